//! Runs failing calls of every kind with a recognisable token and checks that
//! the token appears nowhere: not in any `Debug` or `Display` of the
//! configuration, the transport, errors and responses, and not in tracing
//! output at TRACE level (log records of the HTTP stack included). The
//! server checks that the token was still sent.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use apigen_runtime::{
    ApiKeyLocation, ApiRequest, ClientConfig, Credential, OperationInfo, RequestOptions, RetryPolicy, SecretString,
    StaticToken, Transport, decode_error, decode_json, encode_path_segment, unexpected_status,
};
use common::{Action, GET_TOKEN, PATCH_TOKEN, TOKEN, epoch_ms, fast_retries, refused_addr, start, transport};
use serde_json::Value;

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Buffer {
    type Writer = Buffer;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Everything printed during the test.
#[derive(Default)]
struct Printed(Vec<String>);

impl Printed {
    fn debug(&mut self, value: &impl std::fmt::Debug) {
        self.0.push(format!("{value:?}"));
        self.0.push(format!("{value:#?}"));
    }

    fn error(&mut self, err: &(dyn std::error::Error + 'static)) {
        self.0.push(format!("{err}"));
        self.0.push(format!("{err:?}"));
        self.0.push(format!("{err:#?}"));
        let mut source = err.source();
        let mut depth = 0;
        while let (Some(inner), true) = (source, depth < 16) {
            self.0.push(format!("{inner} / {inner:?}"));
            source = inner.source();
            depth += 1;
        }
    }
}

fn request(op: &'static OperationInfo) -> ApiRequest {
    let mut r = ApiRequest::new(op, "/api/v2/tokens/abc".to_owned());
    if op.method == apigen_runtime::HttpMethod::Patch {
        r.json_body("application/json", &serde_json::json!([])).unwrap();
    }
    r
}

async fn run_case(p: &mut Printed, action: Action, op: &'static OperationInfo, policy: RetryPolicy) -> usize {
    let server = start(move |_| action.clone()).await;
    let t = Transport::new(common::config(&server.base_url(), policy).max_response_bytes(2048)).unwrap();
    p.debug(&t);
    p.debug(t.config());
    match t.execute(request(op)).await {
        Err(err) => p.error(&err),
        Ok(raw) => {
            p.debug(&raw);
            p.debug(raw.meta());
            let status = raw.status();
            if status.is_success() {
                match decode_json::<Value>(raw) {
                    Ok(response) => p.debug(&response),
                    Err(err) => p.error(&err),
                }
            } else if status.as_u16() == 401 {
                match decode_error::<Value>(raw) {
                    Ok(err) => {
                        p.error(&err);
                        p.debug(&err);
                    }
                    Err(err) => p.error(&err),
                }
            } else {
                p.error(&unexpected_status(raw));
            }
        }
    }
    // Every request must have carried the token, unchanged, in the raw header.
    let log = server.requests();
    for recorded in &log {
        assert_eq!(recorded.header("Authorization"), Some(TOKEN), "{:?}", recorded.target);
        assert_eq!(recorded.header("LD-API-Version"), Some("20240415"));
    }
    log.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_never_leaks() {
    let buffer = Buffer::default();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(
            tracing_subscriber::fmt::format::FmtSpan::NEW | tracing_subscriber::fmt::format::FmtSpan::CLOSE,
        )
        .with_writer(buffer.clone())
        .try_init()
        .unwrap();

    let mut p = Printed::default();
    let mut sent = 0;
    let short_stall = Action::StallAfterHeaders {
        stall: Duration::from_secs(5),
    };
    let cases: Vec<(Action, &'static OperationInfo, RetryPolicy)> = vec![
        (Action::Reset, &GET_TOKEN, fast_retries(2)),
        (Action::Reset, &PATCH_TOKEN, fast_retries(2)),
        (
            Action::CloseMidBody {
                declared: 50,
                partial: b"{".to_vec(),
            },
            &GET_TOKEN,
            fast_retries(2),
        ),
        (short_stall, &GET_TOKEN, fast_retries(2)),
        (Action::json(200, r#"{"a": [1,"#), &GET_TOKEN, fast_retries(2)),
        (
            Action::with_type(502, "text/html", "<html>bad gateway</html>"),
            &GET_TOKEN,
            fast_retries(2),
        ),
        (
            Action::with_type(502, "text/html", "<html>bad gateway</html>"),
            &PATCH_TOKEN,
            fast_retries(2),
        ),
        (Action::json(200, ""), &GET_TOKEN, fast_retries(2)),
        (
            Action::with_type(200, "text/html", "<p>hi</p>"),
            &GET_TOKEN,
            fast_retries(2),
        ),
        (
            Action::json(200, &format!("\"{}\"", "x".repeat(4096))),
            &GET_TOKEN,
            fast_retries(2),
        ),
        (
            Action::with_type(418, "text/plain", "teapot"),
            &GET_TOKEN,
            fast_retries(2),
        ),
        (
            Action::json(401, r#"{"code":"unauthorized","message":"Invalid access token"}"#),
            &GET_TOKEN,
            fast_retries(2),
        ),
        (
            Action::json(429, "{}")
                .header("Retry-After", "0")
                .header("X-Ratelimit-Route-Remaining", "0"),
            &PATCH_TOKEN,
            fast_retries(2),
        ),
        (
            Action::json(200, r#"{"ok": true}"#),
            &PATCH_TOKEN,
            RetryPolicy::disabled(),
        ),
    ];
    for (action, op, policy) in cases {
        sent += run_case(&mut p, action, op, policy).await;
    }

    // Connection refused.
    let addr = refused_addr().await;
    let t = transport(&format!("http://{addr}"), fast_retries(2));
    p.error(&t.execute(request(&GET_TOKEN)).await.unwrap_err());

    // Pacing beyond the budget, an invalid header parameter, an unsafe path
    // and an invalid per-call API version: all refused before sending.
    let server = start(|r| {
        Action::json(200, "{}")
            .header("X-Ratelimit-Route-Remaining", "0")
            .header(
                "X-Ratelimit-Reset",
                epoch_ms(r.at_system + Duration::from_secs(5)).to_string(),
            )
    })
    .await;
    let t = transport(&server.base_url(), fast_retries(2));
    t.execute(request(&GET_TOKEN)).await.unwrap();
    let mut r = request(&GET_TOKEN);
    r.options(RequestOptions::default().total_timeout(Duration::from_millis(200)));
    p.error(&t.execute(r).await.unwrap_err());
    let mut r = request(&PATCH_TOKEN);
    p.error(&r.header("X-Bad", "line\nbreak").unwrap_err());
    let r = ApiRequest::new(&GET_TOKEN, format!("/api/v2/tokens/{}", encode_path_segment("..")));
    p.error(&t.execute(r).await.unwrap_err());
    let mut r = request(&PATCH_TOKEN);
    r.options(RequestOptions::default().api_version("bad\nversion"));
    p.error(&t.execute(r).await.unwrap_err());
    sent += server.count();

    // Scheme credentials (an API key in the query and in a cookie, a bearer
    // token from a token source, basic authentication), on a call that
    // succeeds and one that cannot connect; the error's URL shows the query
    // key redacted.
    let scheme_config = |base_url: &str| {
        ClientConfig::new(base_url)
            .unwrap()
            .retry(RetryPolicy::disabled())
            .auth("key", Credential::api_key(ApiKeyLocation::Query, "api_key", TOKEN))
            .auth("cookie", Credential::api_key(ApiKeyLocation::Cookie, "session", TOKEN))
            .auth("oauth", Credential::tokens(StaticToken::new(TOKEN)))
            .auth("basic", Credential::basic("user", TOKEN))
    };
    let secured = || {
        let mut r = request(&GET_TOKEN);
        r.security(&[&["key", "cookie", "oauth"]]);
        r
    };
    let server = start(|_| Action::json(200, "{}")).await;
    let t = Transport::new(scheme_config(&server.base_url())).unwrap();
    p.debug(&t);
    p.debug(&secured());
    let raw = t.execute(secured()).await.unwrap();
    p.debug(&raw);
    let mut r = request(&GET_TOKEN);
    r.security(&[&["basic"]]);
    p.debug(&t.execute(r).await.unwrap());
    let log = server.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].target, format!("/api/v2/tokens/abc?api_key={TOKEN}"));
    assert_eq!(log[0].header("Cookie"), Some(format!("session={TOKEN}").as_str()));
    assert_eq!(log[0].header("Authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert!(log[1].header("Authorization").is_some_and(|v| v.starts_with("Basic ")));
    sent += log.len();
    let addr = refused_addr().await;
    let t = Transport::new(scheme_config(&format!("http://{addr}"))).unwrap();
    let err = t.execute(secured()).await.unwrap_err();
    assert_eq!(
        err.url(),
        Some(format!("http://{addr}/api/v2/tokens/abc?api_key=<redacted>").as_str())
    );
    p.error(&err);

    // Build errors: a token that is not a valid header value.
    let bad = ClientConfig::new("http://127.0.0.1:1")
        .unwrap()
        .credential("Authorization", SecretString::new(format!("{TOKEN}\n")));
    p.debug(&bad);
    p.error(&Transport::new(bad).unwrap_err());
    p.error(&ClientConfig::new(&format!("https://user:{TOKEN}@example.com")).unwrap_err());
    p.debug(&SecretString::new(TOKEN));

    let traced = String::from_utf8_lossy(&buffer.0.lock().unwrap()).into_owned();
    let printed = p.0.join("\n");
    let leaks = printed.matches(TOKEN).count() + traced.matches(TOKEN).count();
    let partial = printed.matches("SECRET-0123").count() + traced.matches("SECRET-0123").count();
    println!(
        "secret scan: {} printed values ({} bytes), {} bytes of TRACE output ({} lines), {} requests carried the token; leaks: {leaks}",
        p.0.len(),
        printed.len(),
        traced.len(),
        traced.lines().count(),
        sent,
    );
    // The capture must actually have seen the calls, or a zero proves nothing.
    assert!(traced.contains("apigen_request"), "no request spans captured");
    assert!(traced.contains("apigen_attempt"), "no attempt spans captured");
    assert!(traced.contains("patch-token"));
    assert!(printed.contains("<redacted>"));
    assert!(sent >= 15, "{sent}");
    assert_eq!(leaks, 0, "the token leaked");
    assert_eq!(partial, 0, "part of the token leaked");
}
