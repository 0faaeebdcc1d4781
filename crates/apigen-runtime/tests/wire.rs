//! What goes on the wire, checked against an independent server (wiremock).

use apigen_runtime::{
    ApiRequest, ClientConfig, HttpMethod, OperationInfo, RequestErrorKind, RequestOptions, SecretString, Transport,
    decode_error, decode_json, encode_path_segment,
};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "api-SECRET-0123456789";

static PATCH_TOKEN: OperationInfo = OperationInfo {
    id: "patch-token",
    method: HttpMethod::Patch,
    path_template: "/api/v2/tokens/{id}",
};

static LIST_FLAGS: OperationInfo = OperationInfo {
    id: "get-feature-flags",
    method: HttpMethod::Get,
    path_template: "/api/v2/flags/{projectKey}",
};

fn transport(server: &MockServer) -> Transport {
    let config = ClientConfig::new(&format!("{}/", server.uri()))
        .unwrap()
        .credential("Authorization", SecretString::new(TOKEN))
        .api_version("LD-API-Version", "20240415");
    Transport::new(config).unwrap()
}

#[tokio::test]
async fn patch_sends_raw_token_version_and_json_body() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/api/v2/tokens/tok%2F1"))
        .and(header("authorization", TOKEN))
        .and(header("ld-api-version", "beta"))
        .and(header("content-type", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"_id": "tok/1", "name": "new"})))
        .expect(1)
        .mount(&server)
        .await;
    let t = transport(&server);
    let mut r = ApiRequest::new(&PATCH_TOKEN, format!("/api/v2/tokens/{}", encode_path_segment("tok/1")));
    r.json_body(
        "application/json",
        &json!([{"op": "replace", "path": "/name", "value": "new"}]),
    )
    .unwrap();
    r.options(RequestOptions::default().api_version("beta"));
    let response = decode_json::<Value>(t.execute(r).await.unwrap()).unwrap();
    assert_eq!(response["name"], "new");
    let received = server.received_requests().await.unwrap();
    let body: Value = received[0].body_json().unwrap();
    assert_eq!(body[0]["op"], "replace");
    server.verify().await;
}

#[tokio::test]
async fn query_parameters_and_default_version_arrive_decoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/flags/my%20proj"))
        .and(query_param("filter", "tags:a b&c"))
        .and(query_param("env", "prod,test"))
        .and(header("ld-api-version", "20240415"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": []})))
        .expect(1)
        .mount(&server)
        .await;
    let t = transport(&server);
    let mut r = ApiRequest::new(&LIST_FLAGS, format!("/api/v2/flags/{}", encode_path_segment("my proj")));
    r.query("filter", "tags:a b&c");
    r.query_list("env", ["prod", "test"], false);
    r.query_list("tag", Vec::<String>::new(), true);
    let raw = t.execute(r).await.unwrap();
    assert_eq!(raw.status().as_u16(), 200);
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].url.query(), Some("filter=tags%3Aa%20b%26c&env=prod,test"));
    server.verify().await;
}

#[tokio::test]
async fn documented_error_is_decoded_with_code_and_message() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"code": "invalid_request", "message": "unknown path /nme", "id": "req-1"})),
        )
        .mount(&server)
        .await;
    let t = transport(&server);
    let raw = t
        .execute(ApiRequest::new(&PATCH_TOKEN, "/api/v2/tokens/x".into()))
        .await
        .unwrap();
    let err = decode_error::<Value>(raw).unwrap();
    assert_eq!(err.code(), Some("invalid_request"));
    assert_eq!(
        err.to_string(),
        "patch-token (PATCH /api/v2/tokens/{id}) failed with status 400 Bad Request: \
         invalid_request: unknown path /nme"
    );
}

#[tokio::test]
async fn dot_and_empty_segments_are_refused_before_sending() {
    let server = MockServer::start().await;
    let t = transport(&server);
    for value in ["..", ".", ""] {
        let r = ApiRequest::new(&PATCH_TOKEN, format!("/api/v2/tokens/{}", encode_path_segment(value)));
        let err = t.execute(r).await.unwrap_err();
        assert_eq!(err.kind(), RequestErrorKind::InvalidPath, "{value:?}");
        assert_eq!(err.attempts(), 0);
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn extra_headers_from_request_options_reach_the_server() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(header("prefer", "code=404"))
        .and(header("x-request-tag", "wire-test"))
        .and(header("authorization", TOKEN))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"code": "not_found", "message": "gone"})))
        .expect(1)
        .mount(&server)
        .await;
    let t = transport(&server);
    let mut r = ApiRequest::new(&PATCH_TOKEN, "/api/v2/tokens/x".into());
    r.options(
        RequestOptions::default()
            .header("Prefer", "code=404")
            .header("X-Request-Tag", "wire-test"),
    );
    let raw = t.execute(r).await.unwrap();
    assert_eq!(raw.status().as_u16(), 404);
    server.verify().await;

    // A clash with the credential is refused before anything is sent.
    let mut r = ApiRequest::new(&PATCH_TOKEN, "/api/v2/tokens/x".into());
    r.options(RequestOptions::default().header("Authorization", "other"));
    let err = t.execute(r).await.unwrap_err();
    assert_eq!(err.kind(), RequestErrorKind::InvalidHeader);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
