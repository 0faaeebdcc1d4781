//! A relative server (`/v3`): the caller's origin is the base, and the path
//! is appended to it.

use serde_json::json;
use servers_relative_api::{ApiVariables, ApiVersion, Client, Server};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_relative_path_is_appended_to_the_callers_origin() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/ping"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(
        Server::V3("https://api.example.com/".into()).url(),
        "https://api.example.com/v3"
    );
    let versioned = Server::Api("https://api.example.com".into(), ApiVariables::default());
    assert_eq!(versioned.url(), "https://api.example.com/api/v3");
    let older = Server::Api(
        "https://api.example.com".into(),
        ApiVariables::default().version(ApiVersion::V2),
    );
    assert_eq!(older.url(), "https://api.example.com/api/v2");
    let client = Client::new(server.uri()).unwrap();
    assert_eq!(client.transport().config().base_url(), format!("{}/v3", server.uri()));
    assert!(client.ping().await.unwrap().ok);
}
