//! The checked-in client's typed mocks (`--features mock`): expectations
//! speak the operation's own types, match the JSON Patch sent, answer with
//! typed successes and errors, exercise the client's 429 handling, and are
//! verified when the server is dropped.

use std::time::Duration;

use launchdarkly_api::errors::PatchTokenError;
use launchdarkly_api::mock::MockServer;
use launchdarkly_api::patch::{JsonPatch, TypedPatch};
use launchdarkly_api::types::{PatchFailedErrorRep, RateLimitedErrorRep, Token};

fn token(role: &str) -> Token {
    serde_json::from_value(serde_json::json!({
        "_id": "t1",
        "ownerId": "o1",
        "memberId": "m1",
        "creationDate": 1,
        "lastModified": 2,
        "role": role,
        "_links": {},
    }))
    .unwrap()
}

fn writer_patch() -> TypedPatch<Token> {
    TypedPatch::<Token>::new().replace(Token::paths().role(), "writer")
}

#[tokio::test]
async fn respond_ok_answers_a_matching_patch_with_the_typed_token() {
    let server = MockServer::start().await;
    server
        .patch_token("t1")
        .with_body(writer_patch())
        .times(1)
        .respond_ok(token("writer"))
        .await;
    let response = server.client().patch_token("t1").body(writer_patch()).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(*response.body(), token("writer"));
    let requests = server.runtime().received_requests().await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].headers["authorization"], "mock-credential");
    assert_eq!(requests[0].headers["ld-api-version"], "20240415");
}

#[tokio::test]
async fn a_different_patch_does_not_match_the_expectation() {
    let server = MockServer::start().await;
    server
        .patch_token("t1")
        .with_body(writer_patch())
        .times(0)
        .respond_ok(token("writer"))
        .await;
    let other = JsonPatch::new().replace("/role", "admin");
    match server.client().patch_token("t1").body(other).await {
        // wiremock answers requests no mock matches with 404, undocumented body and all.
        Err(PatchTokenError::NotFound(_) | PatchTokenError::Decode(_)) => {}
        result => panic!("expected no match, got {result:?}"),
    }
}

#[tokio::test]
async fn typed_error_answers_reach_their_own_variants() {
    let server = MockServer::start().await;
    server
        .patch_token("conflicting")
        .respond_unprocessable_entity(PatchFailedErrorRep {
            code: "patch_failed".into(),
            message: "the role changed".into(),
        })
        .await;
    match server.client().patch_token("conflicting").body(writer_patch()).await {
        Err(PatchTokenError::UnprocessableEntity(error)) => {
            assert_eq!(error.status(), 422);
            assert_eq!(error.body().message, "the role changed");
        }
        other => panic!("expected the 422 variant, got {other:?}"),
    }
}

#[tokio::test]
async fn rate_limited_expectations_are_waited_out_and_retried() {
    let server = MockServer::start().await;
    server
        .patch_token("t1")
        .rate_limited(Duration::from_millis(200))
        .times(1)
        .respond_ok(token("writer"))
        .await;
    let started = std::time::Instant::now();
    let response = server.client().patch_token("t1").body(writer_patch()).await.unwrap();
    assert_eq!(response.meta().attempts(), 2);
    // `Retry-After` is whole seconds: 200 ms rounds up to one.
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_429_without_retries_is_the_typed_rate_limit_error() {
    let server = MockServer::start().await;
    server
        .patch_token("t1")
        .respond_too_many_requests(RateLimitedErrorRep {
            code: "rate_limited".into(),
            message: "slow down".into(),
        })
        .await;
    let config = server.config().retry(launchdarkly_api::RetryPolicy::disabled());
    let client = launchdarkly_api::Client::from_config(config).unwrap();
    match client.patch_token("t1").body(writer_patch()).await {
        Err(PatchTokenError::TooManyRequests(error)) => assert_eq!(error.body().code, "rate_limited"),
        other => panic!("expected the 429 variant, got {other:?}"),
    }
}

#[tokio::test]
#[should_panic(expected = "Verifications failed")]
async fn an_expectation_never_met_fails_the_test_when_the_server_drops() {
    let server = MockServer::start().await;
    server.patch_token("t1").respond_ok(token("writer")).await;
    drop(server);
}

#[tokio::test]
async fn an_error_a_call_returned_is_replayed_by_respond_err() {
    let first = MockServer::start().await;
    first
        .patch_token("t1")
        .respond_unprocessable_entity(PatchFailedErrorRep {
            code: "patch_failed".into(),
            message: "the role changed".into(),
        })
        .await;
    let error = first.client().patch_token("t1").body(writer_patch()).await.unwrap_err();

    let second = MockServer::start().await;
    second.patch_token("t1").respond_err(&error).await;
    match second.client().patch_token("t1").body(writer_patch()).await {
        Err(PatchTokenError::UnprocessableEntity(replayed)) => {
            assert_eq!(replayed.status(), 422);
            assert_eq!(replayed.body().code, "patch_failed");
        }
        other => panic!("expected the replayed 422, got {other:?}"),
    }
}
