//! The client generated from `tests/fixtures/salvage.yaml` against a local
//! mock server: a 200 whose body contradicts the schema (a missing required
//! field, `null` in a string array, a wrong type) fails with a decode error
//! that keeps the status, headers, body bytes and JSON path; `send_as`
//! decodes the same body into the caller's own type; `send_raw` returns
//! any status as it arrived, through the same retries and body cap as
//! `send`; and a documented error body that does not decode keeps its bytes.
//! Those run strictly; a client left at its defaults decodes leniently and
//! accepts, and reports, only the deviations that lose nothing.

use std::time::Duration;

use apigen_runtime::{DecodeError, DecodePolicy, DeviationKind, RequestErrorKind, RequestOptions, RetryPolicy};
use salvage_api::errors::{DeleteThingError, GetThingError};
use salvage_api::{Client, Server};
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client_with(server: &MockServer, retry: RetryPolicy) -> Client {
    let config = Client::config(Server::Custom(server.uri()))
        .unwrap()
        .retry(retry)
        .max_response_bytes(4096)
        .decode_policy(DecodePolicy::Strict);
    Client::from_config(config).unwrap()
}

fn client(server: &MockServer) -> Client {
    client_with(server, RetryPolicy::disabled())
}

/// Serves `body` as JSON with `status` and an `X-Request-Id` header.
async fn serve(server: &MockServer, status: u16, body: &str) {
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("x-request-id", "req-42")
                .set_body_raw(body.as_bytes().to_vec(), "application/json"),
        )
        .mount(server)
        .await;
}

/// The decode error of a `getThing` call that must fail to decode.
async fn decode_error(client: &Client) -> DecodeError {
    match client.get_thing("t1").await {
        Err(GetThingError::Decode(error)) => error,
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_200_that_contradicts_the_schema_keeps_status_headers_body_and_path() {
    let server = MockServer::start().await;
    let client = client(&server);

    // The good case first, so that the failures below are the body's fault.
    serve(&server, 200, r#"{"id":"t1","name":"one","tags":["a"],"count":3}"#).await;
    let thing = client.get_thing("t1").await.unwrap();
    assert_eq!((thing.name.as_str(), thing.count), ("one", Some(3)));

    let cases = [
        (r#"{"id":"t1","tags":[]}"#, ".", "missing field `name`"),
        (
            r#"{"id":"t1","name":"one","tags":["a",null]}"#,
            "tags[1]",
            "invalid type: null, expected a string",
        ),
        (
            r#"{"id":"t1","name":"one","tags":[],"count":"five"}"#,
            "count",
            "invalid type: string \"five\", expected i64",
        ),
    ];
    for (body, json_path, expected) in cases {
        serve(&server, 200, body).await;
        let error = decode_error(&client).await;
        assert_eq!(error.status().as_u16(), 200, "{body}");
        assert_eq!(error.headers()["x-request-id"], "req-42", "{body}");
        assert_eq!(error.body().as_ref(), body.as_bytes());
        assert_eq!(error.json_path(), Some(json_path), "{body}");
        let message = error.message().unwrap_or_default();
        assert!(message.starts_with(expected), "{body}: {message}");
        // The body is still there to decode another way.
        let value = error.json::<Value>().unwrap().into_body();
        assert_eq!(value["id"], "t1", "{body}");
        // The whole error, as the generated enum shows it, names the path
        // but never the body.
        let text = GetThingError::Decode(error).to_string();
        assert!(text.contains(json_path) && text.contains("getThing (GET /things/{id})"), "{text}");
    }
}

#[tokio::test]
async fn send_as_decodes_the_same_body_into_the_callers_type() {
    let server = MockServer::start().await;
    let client = client(&server);
    let body = r#"{"id":"t1","tags":["a",null],"count":"five"}"#;
    serve(&server, 200, body).await;

    let value = client.get_thing("t1").send_as::<Value>().await.unwrap();
    assert_eq!(value.status().as_u16(), 200);
    assert_eq!(value.headers()["x-request-id"], "req-42");
    assert_eq!(value.body(), &json!({"id": "t1", "tags": ["a", null], "count": "five"}));

    // A type of the caller's own that tolerates what the server sends.
    #[derive(Deserialize)]
    struct Lenient {
        id: String,
        tags: Vec<Option<String>>,
    }
    let lenient = client.get_thing("t1").send_as::<Lenient>().await.unwrap();
    assert_eq!(lenient.id, "t1");
    assert_eq!(lenient.tags, [Some("a".to_owned()), None]);

    // A caller's type that does not fit either is a decode error with the path.
    match client.get_thing("t1").send_as::<Vec<u8>>().await {
        Err(GetThingError::Decode(error)) => {
            assert_eq!(error.json_path(), Some("."));
            assert_eq!(error.body().as_ref(), body.as_bytes());
        }
        other => panic!("expected a decode error, got {other:?}"),
    }

    // Other statuses keep the operation's own error handling.
    serve(&server, 404, r#"{"code":404,"message":"no thing"}"#).await;
    match client.get_thing("t1").send_as::<Value>().await {
        Err(GetThingError::NotFound(error)) => {
            assert_eq!(error.body().message, "no thing");
            assert_eq!(error.status().as_u16(), 404);
        }
        other => panic!("expected the documented 404, got {other:?}"),
    }

    // A 204 without a body is JSON `null` for a type that accepts it.
    Mock::given(method("DELETE"))
        .and(path("/things/t1"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let deleted = client.delete_thing("t1").send_as::<Value>().await.unwrap();
    assert_eq!((deleted.status().as_u16(), deleted.body()), (204, &Value::Null));
    let deleted: Result<_, DeleteThingError> = client.delete_thing("t1").send_as::<()>().await;
    assert_eq!(deleted.unwrap().status().as_u16(), 204);
}

#[tokio::test]
async fn send_raw_returns_any_status_as_it_arrived() {
    let server = MockServer::start().await;
    let client = client(&server);

    serve(&server, 404, r#"{"code":404,"message":"no thing"}"#).await;
    let raw = client.get_thing("t1").send_raw().await.unwrap();
    assert_eq!(raw.status().as_u16(), 404);
    assert_eq!(raw.headers()["x-request-id"], "req-42");
    assert_eq!(raw.body().as_ref(), br#"{"code":404,"message":"no thing"}"#);

    let body = r#"{"id":"t1","tags":[null]}"#;
    serve(&server, 200, body).await;
    let raw = client.get_thing("t1").send_raw().await.unwrap();
    assert_eq!(raw.status().as_u16(), 200);
    assert_eq!(raw.meta().attempts(), 1);
    assert_eq!(raw.clone().into_body().as_ref(), body.as_bytes());
    assert_eq!(raw.json::<Value>().unwrap().body()["tags"], json!([null]));

    // The setters of parameters named like the send methods still send them.
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/things/t%2F2"))
        .and(query_param("send_raw", "true"))
        .and(query_param("send_as", "x"))
        .respond_with(ResponseTemplate::new(418))
        .mount(&server)
        .await;
    let raw = client
        .get_thing("t/2")
        .send_raw_2(true)
        .send_as_2("x")
        .send_raw()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 418);
}

#[tokio::test]
async fn send_raw_goes_through_the_same_retries_and_body_cap_as_send() {
    let server = MockServer::start().await;
    let fast = RetryPolicy::default()
        .with_max_attempts(3)
        .with_backoff(Duration::from_millis(1), Duration::from_millis(2));
    let client = client_with(&server, fast);

    // One 503, then the answer: retried like any send.
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/things/t1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"{}".to_vec(), "application/json"))
        .mount(&server)
        .await;
    let raw = client.get_thing("t1").send_raw().await.unwrap();
    assert_eq!((raw.status().as_u16(), raw.meta().attempts()), (200, 2));

    // The configured body cap holds for raw responses too.
    let big = format!(r#"{{"id":"{}"}}"#, "x".repeat(8192));
    serve(&server, 200, &big).await;
    let error = client.get_thing("t1").send_raw().await.unwrap_err();
    assert_eq!(error.kind(), RequestErrorKind::BodyTooLarge);
    match client.get_thing("t1").send_as::<Value>().await {
        Err(GetThingError::Request(error)) => assert!(error.is_body_too_large()),
        other => panic!("expected the body cap, got {other:?}"),
    }
}

#[tokio::test]
async fn a_documented_error_body_that_does_not_decode_keeps_its_bytes() {
    let server = MockServer::start().await;
    let client = client(&server);
    let body = r#"{"code":"gone","detail":"moved away"}"#;
    serve(&server, 404, body).await;
    let error = decode_error(&client).await;
    assert_eq!(error.status().as_u16(), 404);
    assert_eq!(error.body().as_ref(), body.as_bytes());
    assert_eq!(error.json_path(), Some("code"));
    assert_eq!(error.json::<Value>().unwrap().body()["detail"], "moved away");

    // An undocumented 2xx keeps its whole body as well.
    let body = r#"{"id":"t1","name":"one","tags":[]}"#;
    serve(&server, 201, body).await;
    match client.get_thing("t1").await {
        Err(GetThingError::UnexpectedStatus(unexpected)) => {
            assert_eq!(unexpected.status().as_u16(), 201);
            assert_eq!(unexpected.body().as_ref(), body.as_bytes());
            assert_eq!(unexpected.headers()["x-request-id"], "req-42");
        }
        other => panic!("expected an undocumented status, got {other:?}"),
    }
    // send_as reads any 2xx, documented or not.
    let thing = client.get_thing("t1").send_as::<Value>().await.unwrap();
    assert_eq!(thing.body()["name"], "one");
}

#[tokio::test]
async fn a_lenient_client_accepts_only_what_loses_nothing_and_says_where() {
    let server = MockServer::start().await;
    let lenient = Client::from_config(Client::config(Server::Custom(server.uri())).unwrap()).unwrap();

    serve(&server, 200, r#"{"id":"t1","name":"one","tags":[null,"a",null]}"#).await;
    let thing = lenient.get_thing("t1").await.unwrap();
    assert_eq!(thing.tags, ["a"]);
    let found: Vec<(&str, DeviationKind)> = thing.deviations().iter().map(|d| (d.path(), d.kind())).collect();
    assert_eq!(
        found,
        [("tags[0]", DeviationKind::NullItemDropped), ("tags[2]", DeviationKind::NullItemDropped)]
    );

    for (body, kind) in [
        (r#"{"id":"t1","name":"one"}"#, DeviationKind::MissingAsEmpty),
        (r#"{"id":"t1","name":"one","tags":null}"#, DeviationKind::NullAsEmpty),
    ] {
        serve(&server, 200, body).await;
        let thing = lenient.get_thing("t1").await.unwrap();
        assert!(thing.tags.is_empty(), "{body}");
        assert_eq!(thing.deviations().len(), 1, "{body}");
        assert_eq!((thing.deviations()[0].path(), thing.deviations()[0].kind()), ("tags", kind));
    }

    // A missing string and a wrong type are never made up or coerced.
    for (body, json_path) in [(r#"{"id":"t1","tags":[]}"#, "."), (r#"{"id":"t1","name":"one","tags":[],"count":"five"}"#, "count")] {
        serve(&server, 200, body).await;
        let error = decode_error(&lenient).await;
        assert_eq!(error.json_path(), Some(json_path), "{body}");
        assert_eq!(error.body().as_ref(), body.as_bytes());
    }

    // A strict client can ask for leniency per call, and the other way round.
    serve(&server, 200, r#"{"id":"t1","name":"one","tags":["a",null]}"#).await;
    let strict = client(&server);
    let per_call = RequestOptions::default().decode_policy(DecodePolicy::Lenient);
    assert_eq!(strict.get_thing("t1").options(per_call).await.unwrap().tags, ["a"]);
    let per_call = RequestOptions::default().decode_policy(DecodePolicy::Strict);
    match lenient.get_thing("t1").options(per_call).await {
        Err(GetThingError::Decode(error)) => assert_eq!(error.json_path(), Some("tags[1]")),
        other => panic!("expected a decode error, got {other:?}"),
    }
}
