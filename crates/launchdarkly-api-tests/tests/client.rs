//! The generated LaunchDarkly client against a local mock server on 127.0.0.1.

use launchdarkly_api::OperationError;
use launchdarkly_api::errors::PatchTokenError;
use launchdarkly_api::patch::{JsonPatch, RawPatchOperation, TypedPatch};
use launchdarkly_api::types::{StatementEffect, Token};
use launchdarkly_api::{Client, DecodePolicy, DeviationKind, RequestOptions, RetryPolicy, Server};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "api-0000-secret-token-value";

fn client(server: &MockServer) -> Client {
    let config = Client::config(Server::Custom(server.uri()), TOKEN)
        .unwrap()
        .retry(RetryPolicy::disabled())
        // The project's own tests hold the client to the spec exactly.
        .decode_policy(DecodePolicy::Strict);
    Client::from_config(config).unwrap()
}

fn token_json() -> Value {
    json!({
        "_id": "61f1a5d2e6d1fa0f4a3c0b1e",
        "ownerId": "5a580a01b4ff89217bdf9dc1",
        "memberId": "5a580a01b4ff89217bdf9dc2",
        "_member": {
            "_links": {"self": {"href": "/api/v2/members/5a58", "type": "application/json"}},
            "_id": "5a580a01b4ff89217bdf9dc2",
            "firstName": "Ada",
            "lastName": "Lovelace",
            "role": "admin",
            "email": "ada@example.com"
        },
        "name": "CI token",
        "description": "Used by CI",
        "creationDate": 1_700_000_000_000_i64,
        "lastModified": 1_700_000_100_000_i64,
        "customRoleIds": ["role-a", "role-b"],
        "inlineRole": [{
            "resources": ["proj/*"],
            "notResources": ["proj/secret"],
            "actions": ["*"],
            "notActions": ["deleteProject"],
            "effect": "allow"
        }],
        "role": "writer",
        "token": "abcd",
        "serviceToken": true,
        "_links": {"self": {"href": "/api/v2/tokens/61f1", "type": "application/json"}},
        "defaultApiVersion": 20240415,
        "lastUsed": 1_700_000_200_000_i64,
        "someFutureField": {"ignored": true}
    })
}

fn replace_role(role: &str) -> TypedPatch<Token> {
    TypedPatch::new().replace(Token::paths().role(), role)
}

fn raw_replace_role(value: Option<Value>) -> RawPatchOperation {
    RawPatchOperation {
        op: "replace".into(),
        path: "/role".into(),
        value,
        from: None,
    }
}

#[test]
fn seed_request_example_serialises_as_documented() {
    // The seed's example omits `value`, which RFC 6902 requires for `replace`:
    // the raw form still writes it exactly, and validation names the problem.
    let body = serde_json::to_string(&[raw_replace_role(None)]).unwrap();
    assert_eq!(body, r#"[{"op":"replace","path":"/role"}]"#);
    let invalid = JsonPatch::from_raw([raw_replace_role(None)])
        .validate()
        .unwrap_err()
        .to_string();
    assert!(
        invalid.contains("operation 0") && invalid.contains("value"),
        "{invalid}"
    );

    let with_value = serde_json::to_string(&JsonPatch::from_raw([raw_replace_role(Some(json!("reader")))])).unwrap();
    assert_eq!(with_value, r#"[{"op":"replace","path":"/role","value":"reader"}]"#);
    assert_eq!(
        serde_json::to_string(&replace_role("reader").into_patch()).unwrap(),
        with_value
    );
}

#[test]
fn typed_paths_reach_nested_fields_lists_and_maps() {
    let t = Token::paths();
    assert_eq!(t.role().pointer().as_str(), "/role");
    assert_eq!(t.custom_role_ids().append().pointer().as_str(), "/customRoleIds/-");
    assert_eq!(
        t.inline_role().index(2).fields().effect().pointer().as_str(),
        "/inlineRole/2/effect"
    );
    let patch = TypedPatch::<Token>::new()
        .test(t.role(), "reader")
        .replace(t.role(), "writer")
        .add(t.custom_role_ids().append(), "role-1")
        .add(t.inline_role().index(0).fields().effect(), StatementEffect::Deny);
    assert_eq!(
        serde_json::to_value(patch.into_patch()).unwrap(),
        json!([
            {"op": "test", "path": "/role", "value": "reader"},
            {"op": "replace", "path": "/role", "value": "writer"},
            {"op": "add", "path": "/customRoleIds/-", "value": "role-1"},
            {"op": "add", "path": "/inlineRole/0/effect", "value": "deny"}
        ])
    );
}

#[tokio::test]
async fn an_invalid_patch_is_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let error = client(&server)
        .patch_token("t")
        .body(JsonPatch::from_raw([raw_replace_role(None)]))
        .await
        .unwrap_err();
    let PatchTokenError::Request(error) = error else {
        panic!("{error:?}")
    };
    let text = error.to_string();
    assert!(text.contains("patch-token") && text.contains("operation 0"), "{text}");
}

#[tokio::test]
async fn patch_sends_method_encoded_path_headers_and_exact_body() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/api/v2/tokens/a%2F..%2Fb%20%25%3F%23%C3%A9"))
        .and(header("authorization", TOKEN))
        .and(header("content-type", "application/json"))
        .and(header("accept", "application/json"))
        .and(header("ld-api-version", "20240415"))
        .and(body_json(
            json!([{"op": "replace", "path": "/role", "value": "reader"}]),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(token_json())
                .insert_header("X-Ratelimit-Route-Remaining", "7")
                .insert_header("X-Ratelimit-Global-Remaining", "99")
                .insert_header("X-Ratelimit-Reset", "1700000000000"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let response = client(&server)
        .patch_token("a/../b %?#é")
        .body(replace_role("reader"))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let limits = response.rate_limit();
    assert_eq!(limits.route_remaining, Some(7));
    assert_eq!(limits.global_remaining, Some(99));
    assert_eq!(
        limits.reset,
        Some(std::time::UNIX_EPOCH + std::time::Duration::from_millis(1_700_000_000_000))
    );
    let token: Token = response.into_body();
    assert_eq!(serde_json::to_value(&token).unwrap()["someFutureField"], Value::Null);
}

#[tokio::test]
async fn every_token_field_decodes() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_json()))
        .mount(&server)
        .await;
    let token = client(&server)
        .patch_token("t")
        .body(replace_role("reader"))
        .await
        .unwrap()
        .into_body();
    assert_eq!(token.id, "61f1a5d2e6d1fa0f4a3c0b1e");
    assert_eq!(token.owner_id, "5a580a01b4ff89217bdf9dc1");
    assert_eq!(token.member_id, "5a580a01b4ff89217bdf9dc2");
    let member = token.member.as_ref().unwrap();
    assert_eq!(
        (member.first_name.as_deref(), member.last_name.as_deref()),
        (Some("Ada"), Some("Lovelace"))
    );
    assert_eq!(
        (member.role.as_str(), member.email.as_str()),
        ("admin", "ada@example.com")
    );
    assert_eq!(member.links["self"].href.as_deref(), Some("/api/v2/members/5a58"));
    assert_eq!(token.name.as_deref(), Some("CI token"));
    assert_eq!(token.description.as_deref(), Some("Used by CI"));
    assert_eq!(token.creation_date, 1_700_000_000_000);
    assert_eq!(token.last_modified, 1_700_000_100_000);
    assert_eq!(
        token.custom_role_ids.as_deref(),
        Some(&["role-a".to_owned(), "role-b".to_owned()][..])
    );
    let statement = &token.inline_role.as_ref().unwrap()[0];
    assert_eq!(statement.effect, StatementEffect::Allow);
    assert_eq!(statement.resources.as_deref(), Some(&["proj/*".to_owned()][..]));
    assert_eq!(
        statement.not_resources.as_deref(),
        Some(&["proj/secret".to_owned()][..])
    );
    assert_eq!(statement.actions.as_deref(), Some(&["*".to_owned()][..]));
    assert_eq!(
        statement.not_actions.as_deref(),
        Some(&["deleteProject".to_owned()][..])
    );
    assert_eq!(token.role.as_deref(), Some("writer"));
    assert_eq!(token.token.as_deref(), Some("abcd"));
    assert_eq!(token.service_token, Some(true));
    assert_eq!(token.links["self"].type_.as_deref(), Some("application/json"));
    assert_eq!(token.default_api_version, Some(20240415));
    assert_eq!(token.last_used, Some(1_700_000_200_000));
}

#[tokio::test]
async fn per_call_api_version_overrides_the_default() {
    let server = MockServer::start().await;
    Mock::given(header("ld-api-version", "beta"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_json()))
        .expect(1)
        .mount(&server)
        .await;
    client(&server).patch_token("t").api_version("beta").await.unwrap();
}

#[tokio::test]
async fn each_documented_error_status_has_its_own_variant() {
    for status in [400u16, 401, 403, 404, 409, 422, 429] {
        let server = MockServer::start().await;
        let body = json!({"code": format!("code_{status}"), "message": format!("message {status}"), "id": "ref-1"});
        Mock::given(method("PATCH"))
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_json(body)
                    .insert_header("Retry-After", "0"),
            )
            .mount(&server)
            .await;
        let error = client(&server).patch_token("t").await.unwrap_err();
        let (code, message) = match &error {
            PatchTokenError::BadRequest(e) if status == 400 => (e.body().code.clone(), e.body().message.clone()),
            PatchTokenError::Unauthorized(e) if status == 401 => (e.body().code.clone(), e.body().message.clone()),
            PatchTokenError::Forbidden(e) if status == 403 => (e.body().code.clone(), e.body().message.clone()),
            PatchTokenError::NotFound(e) if status == 404 => (e.body().code.clone(), e.body().message.clone()),
            PatchTokenError::Conflict(e) if status == 409 => (e.body().code.clone(), e.body().message.clone()),
            PatchTokenError::UnprocessableEntity(e) if status == 422 => {
                (e.body().code.clone(), e.body().message.clone())
            }
            PatchTokenError::TooManyRequests(e) if status == 429 => (e.body().code.clone(), e.body().message.clone()),
            other => panic!("status {status} gave {other:?}"),
        };
        assert_eq!(code, format!("code_{status}"));
        assert_eq!(message, format!("message {status}"));
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.meta().unwrap().headers()["retry-after"], "0");
        let text = error.to_string();
        assert!(
            text.contains("patch-token") && text.contains(&status.to_string()),
            "{text}"
        );
        assert!(!format!("{error:?}{text}").contains(TOKEN));
    }
}

#[tokio::test]
async fn an_error_variant_is_chosen_by_status_even_when_the_body_is_another_shape() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"code": "x", "message": "y", "extra": 1})))
        .mount(&server)
        .await;
    assert!(matches!(
        client(&server).patch_token("t").await,
        Err(PatchTokenError::NotFound(_))
    ));
}

#[tokio::test]
async fn html_500_truncated_json_and_unknown_enum_values_are_typed() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/tokens/html"))
        .respond_with(ResponseTemplate::new(500).set_body_raw("<html><body>Bad gateway</body></html>", "text/html"))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/tokens/truncated"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"_id": "x", "ownerId": "#, "application/json"))
        .mount(&server)
        .await;
    let mut future_effect = token_json();
    future_effect["inlineRole"][0]["effect"] = json!("audit");
    Mock::given(path("/api/v2/tokens/future"))
        .respond_with(ResponseTemplate::new(200).set_body_json(future_effect))
        .mount(&server)
        .await;

    let client = client(&server);
    match client.patch_token("html").await {
        Err(PatchTokenError::UnexpectedStatus(e)) => {
            assert_eq!(e.status().as_u16(), 500);
            assert!(e.body_excerpt().contains("Bad gateway"));
        }
        other => panic!("{other:?}"),
    }
    match client.patch_token("truncated").await {
        Err(PatchTokenError::Decode(e)) => assert_eq!(e.status().as_u16(), 200),
        other => panic!("{other:?}"),
    }
    let token = client.patch_token("future").await.unwrap().into_body();
    let statement = &token.inline_role.as_ref().unwrap()[0];
    assert_eq!(statement.effect, StatementEffect::Unknown("audit".into()));
    assert_eq!(serde_json::to_value(&statement.effect).unwrap(), json!("audit"));
}

#[test]
fn open_enum_round_trips_known_and_unknown_values() {
    for (text, expected) in [("allow", StatementEffect::Allow), ("deny", StatementEffect::Deny)] {
        let value: StatementEffect = serde_json::from_value(json!(text)).unwrap();
        assert_eq!(value, expected);
        assert_eq!(serde_json::to_value(&value).unwrap(), json!(text));
        assert_eq!(StatementEffect::from(text), expected);
    }
    let unknown: StatementEffect = serde_json::from_value(json!("maybe")).unwrap();
    assert_eq!(unknown.as_str(), "maybe");
}

#[test]
fn servers_and_debug_output() {
    assert_eq!(Server::default(), Server::Commercial);
    assert_eq!(Server::Commercial.url(), "https://app.launchdarkly.com");
    assert_eq!(Server::Federal.url(), "https://app.launchdarkly.us");
    assert_eq!(Server::Eu.url(), "https://app.eu.launchdarkly.com");
    let client = Client::new(TOKEN).unwrap();
    let config = Client::config(Server::Eu, TOKEN).unwrap();
    let debug = format!("{client:?} {config:?}");
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(
        debug.contains("app.eu.launchdarkly.com") || format!("{config:?}").contains("eu"),
        "{debug}"
    );
}

#[test]
fn client_is_clone_send_sync() {
    fn assert_traits<T: Clone + Send + Sync + 'static>() {}
    assert_traits::<Client>();
    fn assert_future_send<T: std::future::IntoFuture<IntoFuture: Send>>(_: T) {}
    let client = Client::new(TOKEN).unwrap();
    assert_future_send(client.patch_token("x"));
    fn assert_send<T: Send>(_: T) {}
    assert_send(client.patch_token("x").send_raw());
    assert_send(client.patch_token("x").send_as::<Value>());
}

#[tokio::test]
async fn a_token_the_server_sends_against_the_spec_is_never_lost() {
    let server = MockServer::start().await;
    // `name` is a string in the spec; this server sends a number.
    let mut drifted = token_json();
    drifted["name"] = json!(42);
    let body = drifted.to_string();
    Mock::given(method("PATCH"))
        .and(path("/api/v2/tokens/t"))
        .and(header("authorization", TOKEN))
        .and(header("ld-api-version", "20240415"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(body.clone().into_bytes(), "application/json")
                .insert_header("X-Ratelimit-Route-Remaining", "6"),
        )
        .expect(3)
        .mount(&server)
        .await;
    let client = client(&server);

    let Err(PatchTokenError::Decode(error)) = client.patch_token("t").await else {
        panic!("the drifted body must not decode as a Token")
    };
    assert_eq!(error.status().as_u16(), 200);
    assert_eq!(error.headers()["x-ratelimit-route-remaining"], "6");
    assert_eq!(error.json_path(), Some("name"));
    assert!(
        error
            .message()
            .is_some_and(|m| m.starts_with("invalid type: integer `42`, expected a string"))
    );
    assert_eq!(error.body().as_ref(), body.as_bytes());

    // The same call, decoded into a type of the caller's choosing.
    let value = client.patch_token("t").send_as::<Value>().await.unwrap();
    assert_eq!(value.body()["name"], 42);
    assert_eq!(value.rate_limit().route_remaining, Some(6));

    // Or as it arrived; credential and version header were sent all three times.
    let raw = client.patch_token("t").send_raw().await.unwrap();
    assert_eq!(raw.status().as_u16(), 200);
    assert_eq!(raw.body().as_ref(), body.as_bytes());
}

/// Serves `body` for every `PATCH /api/v2/tokens/t`.
async fn serve_token(body: &Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/api/v2/tokens/t"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.to_string().into_bytes(), "application/json"))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn lenient_decoding_accepts_what_loses_nothing_and_reports_it() {
    let mut drifted = token_json();
    drifted["customRoleIds"] = json!(["role-a", null]);
    drifted.as_object_mut().unwrap().remove("_links");
    let server = serve_token(&drifted).await;

    // The tests' client is strict: the body is an error, and kept whole.
    let strict = client(&server);
    let Err(PatchTokenError::Decode(error)) = strict.patch_token("t").await else {
        panic!("a strict client must refuse a null role id")
    };
    assert_eq!(error.json_path(), Some("customRoleIds[1]"));
    assert_eq!(error.body().as_ref(), drifted.to_string().as_bytes());

    // Per call, the lenient policy drops the null and reads the missing map as empty.
    let lenient = RequestOptions::default().decode_policy(DecodePolicy::Lenient);
    let token = strict.patch_token("t").options(lenient).await.unwrap();
    assert_eq!(token.custom_role_ids.as_deref(), Some(&["role-a".to_owned()][..]));
    assert!(token.links.is_empty());
    let found: Vec<(&str, DeviationKind)> = token.deviations().iter().map(|d| (d.path(), d.kind())).collect();
    assert_eq!(
        found,
        [
            ("customRoleIds[1]", DeviationKind::NullItemDropped),
            ("_links", DeviationKind::MissingAsEmpty)
        ]
    );

    // A client left at its defaults is lenient.
    let default = Client::from_config(Client::config(Server::Custom(server.uri()), TOKEN).unwrap()).unwrap();
    let token = default.patch_token("t").await.unwrap();
    assert_eq!(token.deviations().len(), 2);
}

#[tokio::test]
async fn lenient_decoding_never_makes_up_a_required_value() {
    let mut drifted = token_json();
    drifted["ownerId"] = Value::Null;
    let server = serve_token(&drifted).await;
    let default = Client::from_config(Client::config(Server::Custom(server.uri()), TOKEN).unwrap()).unwrap();
    let Err(PatchTokenError::Decode(error)) = default.patch_token("t").await else {
        panic!("a null required id must stay an error")
    };
    assert_eq!(error.json_path(), Some("ownerId"));
    assert_eq!(error.message(), Some("invalid type: null, expected a string"));
    assert_eq!(error.body().as_ref(), drifted.to_string().as_bytes());
}
