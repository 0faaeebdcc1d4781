//! The client generated from `tests/fixtures/responses.yaml` against a local
//! mock server: `default` and range errors decode into their types with the
//! actual status, `default` is the success when no 2xx is documented, text,
//! binary and vendor `+json` bodies decode, and each success status of an
//! operation with several lands in its own variant.

use apigen_runtime::RetryPolicy;
use responses_api::errors::{
    CreateUserError, GetLogoError, GetWidgetError, ListNamesError, ListWidgetsError, PingError,
};
use responses_api::types::{Job, PutJobSuccess, Widget};
use responses_api::{Client, Server};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    // Retries off: the 5xx answers below must reach the decoder once.
    let config = Client::config(Server::Custom(server.uri()))
        .unwrap()
        .retry(RetryPolicy::disabled())
        .decode_policy(apigen_runtime::DecodePolicy::Strict);
    Client::from_config(config).unwrap()
}

/// Serves `body` with `content_type` and `status` for `verb path`.
async fn serve(server: &MockServer, verb: &str, at: &str, status: u16, content_type: &str, body: &[u8]) {
    server.reset().await;
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_vec(), content_type))
        .mount(server)
        .await;
}

async fn serve_json(server: &MockServer, verb: &str, at: &str, status: u16, body: serde_json::Value) {
    serve(server, verb, at, status, "application/json", body.to_string().as_bytes()).await;
}

#[tokio::test]
async fn default_error_decodes_into_its_schema_with_the_status() {
    let server = MockServer::start().await;
    let client = client(&server);

    serve_json(&server, "GET", "/names", 200, json!(["ada", "grace"])).await;
    let names = client.list_names().await.unwrap();
    assert_eq!(names.into_body(), ["ada", "grace"]);

    serve_json(&server, "GET", "/names", 418, json!({"code": 7, "message": "no tea"})).await;
    match client.list_names().await {
        Err(ListNamesError::Default(error)) => {
            assert_eq!(error.status().as_u16(), 418);
            assert_eq!(error.body().code, 7);
            assert_eq!(error.body().message, "no tea");
            assert_eq!(error.message(), Some("no tea"));
        }
        other => panic!("expected the default error, got {other:?}"),
    }

    // A 2xx the operation does not list is not decoded as the error.
    serve_json(&server, "GET", "/names", 201, json!(["x"])).await;
    match client.list_names().await {
        Err(ListNamesError::UnexpectedStatus(error)) => {
            assert_eq!(error.status().as_u16(), 201);
            assert_eq!(error.body_excerpt(), r#"["x"]"#);
        }
        other => panic!("expected an unexpected status, got {other:?}"),
    }

    // `application/problem+json` is JSON, as a success and as a default error.
    serve(
        &server,
        "GET",
        "/widgets",
        200,
        "application/vnd.acme.widgets+json",
        br#"[{"id": "w1", "name": "gear"}]"#,
    )
    .await;
    let widgets = client.list_widgets().await.unwrap();
    assert_eq!(widgets[0].id, "w1");
    assert_eq!(widgets[0].name.as_deref(), Some("gear"));
    serve(
        &server,
        "GET",
        "/widgets",
        500,
        "application/problem+json",
        br#"{"title": "boom", "status": 500}"#,
    )
    .await;
    match client.list_widgets().await {
        Err(ListWidgetsError::Default(error)) => {
            assert_eq!(error.status().as_u16(), 500);
            assert_eq!(error.body().title.as_deref(), Some("boom"));
            assert_eq!(error.body().status, Some(500));
        }
        other => panic!("expected the default error, got {other:?}"),
    }
}

#[tokio::test]
async fn codes_win_over_ranges() {
    let server = MockServer::start().await;
    let client = client(&server);
    let at = "/widgets/w1";

    serve_json(&server, "GET", at, 200, json!({"id": "w1"})).await;
    let widget: Widget = client.get_widget("w1").await.unwrap().into_body();
    assert_eq!(widget.id, "w1");

    serve(&server, "GET", at, 404, "application/problem+json", br#"{"title": "gone"}"#).await;
    match client.get_widget("w1").await {
        Err(GetWidgetError::NotFound(error)) => assert_eq!(error.body().title.as_deref(), Some("gone")),
        other => panic!("expected NotFound, got {other:?}"),
    }

    serve_json(&server, "GET", at, 422, json!({"code": 42, "message": "bad id"})).await;
    match client.get_widget("w1").await {
        Err(GetWidgetError::ClientError(error)) => {
            assert_eq!(error.status().as_u16(), 422);
            assert_eq!(error.body().code, 42);
        }
        other => panic!("expected ClientError, got {other:?}"),
    }

    serve(&server, "GET", at, 503, "text/plain", b"down for maintenance").await;
    match client.get_widget("w1").await {
        Err(GetWidgetError::ServerError(error)) => {
            assert_eq!(error.status().as_u16(), 503);
            assert_eq!(error.body(), "down for maintenance");
        }
        other => panic!("expected ServerError, got {other:?}"),
    }

    serve(&server, "GET", at, 302, "text/plain", b"elsewhere").await;
    match client.get_widget("w1").await {
        Err(GetWidgetError::UnexpectedStatus(error)) => assert_eq!(error.status().as_u16(), 302),
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
}

#[tokio::test]
async fn default_is_the_success_when_no_2xx_is_documented() {
    let server = MockServer::start().await;
    let client = client(&server);

    serve(&server, "POST", "/user", 201, "text/plain", b"").await;
    let created = client.create_user().await.unwrap();
    assert_eq!(created.status().as_u16(), 201);

    serve(&server, "POST", "/user", 409, "text/plain", b"taken").await;
    match client.create_user().await {
        Err(CreateUserError::Default(error)) => assert_eq!(error.status().as_u16(), 409),
        other => panic!("expected the default error, got {other:?}"),
    }

    // Only error ranges documented: a 2xx is still `Ok`.
    serve(&server, "POST", "/ping", 204, "text/plain", b"").await;
    assert_eq!(client.ping().await.unwrap().status().as_u16(), 204);
    serve(&server, "POST", "/ping", 429, "text/plain", b"slow down").await;
    match client.ping().await {
        Err(PingError::ClientError(error)) => assert_eq!(error.status().as_u16(), 429),
        other => panic!("expected ClientError, got {other:?}"),
    }
}

#[tokio::test]
async fn each_success_status_has_its_variant() {
    let server = MockServer::start().await;
    let client = client(&server);
    let at = "/jobs/j1";

    serve_json(&server, "PUT", at, 200, json!({"id": "j1", "state": "done"})).await;
    let job = Job {
        id: "j1".into(),
        state: "done".into(),
    };
    assert_eq!(client.put_job("j1").await.unwrap().into_body(), PutJobSuccess::Ok(job));

    serve(
        &server,
        "PUT",
        at,
        201,
        "application/vnd.acme.widget+json",
        br#"{"id": "w9"}"#,
    )
    .await;
    match client.put_job("j1").await.unwrap().into_body() {
        PutJobSuccess::Created(widget) => assert_eq!(widget.id, "w9"),
        other => panic!("expected Created, got {other:?}"),
    }

    serve(&server, "PUT", at, 204, "text/plain", b"").await;
    assert_eq!(client.put_job("j1").await.unwrap().into_body(), PutJobSuccess::NoContent);

    serve(&server, "PUT", at, 208, "text/plain", b"already reported").await;
    assert_eq!(
        client.put_job("j1").await.unwrap().into_body(),
        PutJobSuccess::OtherSuccess("already reported".into())
    );

    // A `2XX` range alone is the single success type.
    serve_json(&server, "POST", "/jobs", 202, json!({"id": "j2", "state": "queued"})).await;
    let started = client.start_job().await.unwrap();
    assert_eq!((started.status().as_u16(), started.state.as_str()), (202, "queued"));
}

#[tokio::test]
async fn text_and_binary_bodies() {
    let server = MockServer::start().await;
    let client = client(&server);

    serve(&server, "GET", "/readme", 200, "text/markdown; charset=utf-8", "# Héllo".as_bytes()).await;
    assert_eq!(client.get_readme().await.unwrap().into_body(), "# Héllo");

    let png = [0x89, b'P', b'N', b'G', 0x00, 0xff];
    serve(&server, "GET", "/logo", 200, "image/png", &png).await;
    assert_eq!(client.get_logo().await.unwrap().into_body().as_ref(), png);

    serve(&server, "GET", "/logo", 404, "text/plain", b"no logo here").await;
    match client.get_logo().await {
        Err(GetLogoError::NotFound(error)) => assert_eq!(error.body(), "no logo here"),
        other => panic!("expected NotFound, got {other:?}"),
    }

    serve(&server, "GET", "/logo", 415, "application/octet-stream", &[1, 2, 3]).await;
    match client.get_logo().await {
        Err(GetLogoError::UnsupportedMediaType(error)) => assert_eq!(error.body().as_ref(), [1, 2, 3]),
        other => panic!("expected UnsupportedMediaType, got {other:?}"),
    }

    // A 204 next to a `default` error.
    serve(&server, "DELETE", "/widgets/w1", 204, "text/plain", b"").await;
    let deleted = client.delete_widget("w1").await.unwrap();
    assert_eq!(deleted.status().as_u16(), 204);
}
