//! No servers: the caller supplies the whole base URL.

use serde_json::json;
use servers_none_api::Client;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_callers_base_url_is_used() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/ping"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(format!("{}/api", server.uri())).unwrap();
    assert!(client.ping().await.unwrap().ok);
    assert!(
        Client::new("not a url").is_err(),
        "a base URL is checked when the client is built"
    );
}
