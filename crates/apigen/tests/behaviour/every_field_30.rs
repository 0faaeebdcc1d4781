//! The audit's messages for `every_field_30.yaml` describe what the client
//! really does on the wire: each test sends a request and checks the
//! behaviour an inexact entry promises.

use every_field_30_api::errors::GetPetError;
use every_field_30_api::{Client, Server, StaticToken};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder(Server::Custom(server.uri()))
        .api_key("secret-key")
        .o_auth(StaticToken::new("oauth-token"))
        .configure(|config| config.decode_policy(apigen_runtime::DecodePolicy::Strict))
        .build()
        .unwrap()
}

fn pet() -> serde_json::Value {
    serde_json::json!({"id": "rex", "secret": "s", "age": 3})
}

/// Server variables are substituted with the document's defaults.
#[test]
fn the_preset_resolves_its_variables() {
    assert_eq!(Server::default().url(), "https://eu.example.com/v1");
}

/// The path parameter is sent in its `matrix` style, and the operation's
/// requirement (`{}` or `OAuth`) sends the configured OAuth token, not the
/// document-wide API key.
#[tokio::test]
async fn path_parameter_is_matrix_and_the_credential_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/;petId=rex"))
        .and(header("authorization", "Bearer oauth-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(pet()))
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server).get_pet("rex").await.unwrap();
    // `id` is read-only and required, and `Pet` is also sent in requests,
    // so the field is optional; the server sent it.
    assert_eq!(response.body().id.as_deref(), Some("rex"));
    assert_eq!(response.body().age, Some(3));
}

/// `allowReserved` keeps reserved characters such as `/` as they are.
#[tokio::test]
async fn reserved_characters_are_kept() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/;petId=rex"))
        .respond_with(ResponseTemplate::new(200).set_body_json(pet()))
        .mount(&server)
        .await;
    #[allow(deprecated)]
    let request = client(&server).get_pet("rex").fields("name/age");
    request.await.unwrap();
    let received = server.received_requests().await.unwrap_or_default();
    let queries: Vec<Option<String>> = received.iter().map(|r| r.url.query().map(str::to_owned)).collect();
    assert_eq!(queries, [Some("fields=name/age".to_owned())]);
}

/// "response headers are not typed or checked; they can be read only as raw
/// text through `Response::headers()`".
#[tokio::test]
async fn response_headers_are_raw() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/;petId=rex"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(pet())
                .insert_header("X-Rate-Limit", "not a number"),
        )
        .mount(&server)
        .await;
    // The header's schema says integer; the value is not checked.
    let response = client(&server).get_pet("rex").await.unwrap();
    let value = response.headers().get("X-Rate-Limit").and_then(|v| v.to_str().ok());
    assert_eq!(value, Some("not a number"));
}

/// "`default` covers every status the operation does not list": a 418 decodes
/// into the `default` response's schema, with the status kept.
#[tokio::test]
async fn default_response_decodes_into_its_schema() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/;petId=rex"))
        .respond_with(ResponseTemplate::new(418).set_body_json(serde_json::json!({"message": "teapot"})))
        .mount(&server)
        .await;
    let error = client(&server).get_pet("rex").await.unwrap_err();
    let GetPetError::Default(problem) = &error else {
        panic!("expected the default error, got {error:?}");
    };
    assert_eq!(problem.status().as_u16(), 418);
    assert_eq!(problem.body().message.as_deref(), Some("teapot"));
}

/// "this required `writeOnly` property is part of responses too: a response
/// without it fails to decode".
#[tokio::test]
async fn a_required_write_only_property_is_expected_in_responses() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/;petId=rex"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "rex"})))
        .mount(&server)
        .await;
    let error = client(&server).get_pet("rex").await.unwrap_err();
    assert!(matches!(error, GetPetError::Decode(_)), "{error:?}");
}
