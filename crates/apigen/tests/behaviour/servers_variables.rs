//! Server variables: the default resolves from the document's defaults, an
//! enum variable can be switched, a free variable set, and a custom base URL
//! still reaches a local server.

use serde_json::json;
use servers_variables_api::{
    Client, DeveloperUsptoGovScheme, DeveloperUsptoGovVariables, ExampleComPort, ExampleComVariables, Server,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn the_default_server_resolves_to_the_documents_defaults() {
    assert_eq!(Server::default().url(), "https://developer.uspto.gov/ds-api");
    let http = Server::DeveloperUsptoGov(DeveloperUsptoGovVariables::default().scheme(DeveloperUsptoGovScheme::Http));
    assert_eq!(http.url(), "http://developer.uspto.gov/ds-api");
    assert_eq!(DeveloperUsptoGovScheme::Http.as_str(), "http");
    let regional = Server::ExampleCom(ExampleComVariables::default());
    assert_eq!(regional.url(), "https://eu-west.example.com:8443/v1");
    let regional = Server::ExampleCom(
        ExampleComVariables::default()
            .region("us-east")
            .port(ExampleComPort::V443),
    );
    assert_eq!(regional.url(), "https://us-east.example.com:443/v1");
    let config = Client::config(Server::default()).unwrap();
    assert_eq!(config.base_url(), "https://developer.uspto.gov/ds-api");
    Client::new().unwrap();
}

#[tokio::test]
async fn a_custom_base_url_is_called() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/ping"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(Server::Custom(server.uri())).build().unwrap();
    assert!(client.ping().await.unwrap().ok);
}
