//! References to a pointer inside a schema, and chains of references, give
//! working operations: the shared `ArchiveState` type is sent and decoded,
//! the chained parameter lands in the path, and the error response behind a
//! `~0`-escaped name decodes.

use apigen_runtime::{ClientConfig, RetryPolicy};
use refs_api::Client;
use refs_api::errors::GetArchiveError;
use refs_api::types::ArchiveState;
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client_for(server: &MockServer) -> Client {
    let config = ClientConfig::new(&server.uri())
        .expect("the mock server's address is a valid base URL")
        .retry(RetryPolicy::disabled())
        .decode_policy(apigen_runtime::DecodePolicy::Strict);
    Client::from_config(config).expect("a client for the mock server")
}

#[tokio::test]
async fn a_chained_parameter_and_response_reach_the_archive() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/archives/a%2Fb"))
        .and(query_param("verbose", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "a/b", "state": "sealed", "previous": "open"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    let archive = client.get_archive("a/b").verbose(true).await.expect("an archive").into_body();
    assert_eq!(archive.id, "a/b");
    assert_eq!(archive.state, ArchiveState::Sealed);
    assert_eq!(archive.previous, Some(ArchiveState::Open));
}

#[tokio::test]
async fn the_state_type_from_a_deep_pointer_is_sent_and_decoded() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/archives/x"))
        .and(body_json(json!("sealed")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!("reopened")))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    let state = client.set_archive_state("x", ArchiveState::Sealed).await.expect("a state").into_body();
    assert_eq!(state, ArchiveState::Unknown("reopened".into()));
}

#[tokio::test]
async fn the_error_behind_an_escaped_name_decodes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/archives/gone"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "no such archive"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    let error = client.get_archive("gone").await.expect_err("a 404");
    let GetArchiveError::NotFound(problem) = &error else {
        panic!("not the 404 variant: {error:?}")
    };
    assert_eq!(problem.body().message.as_deref(), Some("no such archive"));
}
