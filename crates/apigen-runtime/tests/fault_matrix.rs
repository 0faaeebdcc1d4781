//! Every way a call can go wrong ends in a typed error (or a typed final
//! response), never a panic or a hang, and every error's `Display` names the
//! operation id, method, path template and status where there is one.

mod common;

use std::time::{Duration, Instant};

use apigen_runtime::{
    ApiRequest, DecodeErrorKind, OperationInfo, RequestErrorKind, RetryPolicy, Transport, decode_json,
    unexpected_status,
};
use common::{Action, GET_TOKEN, PATCH_TOKEN, fast_retries, refused_addr, start, transport};
use serde_json::Value;

fn request(op: &'static OperationInfo) -> ApiRequest {
    let mut r = ApiRequest::new(op, "/api/v2/tokens/abc".to_owned());
    if op.method == apigen_runtime::HttpMethod::Patch {
        r.json_body(
            "application/json",
            &serde_json::json!([{"op": "replace", "path": "/name", "value": "x"}]),
        )
        .unwrap();
    }
    r
}

/// Checks that `text` names the operation and, when given, the status.
fn assert_names(text: &str, op: &OperationInfo, status: Option<u16>) {
    for part in [op.id, op.method.as_str(), op.path_template] {
        assert!(text.contains(part), "{text:?} should contain {part:?}");
    }
    if let Some(status) = status {
        assert!(text.contains(&status.to_string()), "{text:?} should contain {status}");
    }
}

/// The result of one case: the typed outcome's description, or why it was not typed.
type CaseResult = Result<String, String>;

async fn refused() -> CaseResult {
    let addr = refused_addr().await;
    let t = transport(&format!("http://{addr}"), fast_retries(3));
    let err = t.execute(request(&GET_TOKEN)).await.err().ok_or("expected an error")?;
    if err.kind() != RequestErrorKind::Connect || err.attempts() != 3 {
        return Err(format!("connect: {err:?}"));
    }
    assert_names(&err.to_string(), &GET_TOKEN, None);
    Ok(err.to_string())
}

async fn reset_before_response() -> CaseResult {
    let server = start(|_| Action::Reset).await;
    // PATCH may have been applied when the connection drops, so it is not retried.
    let t = transport(&server.base_url(), fast_retries(3));
    let err = t
        .execute(request(&PATCH_TOKEN))
        .await
        .err()
        .ok_or("expected an error")?;
    if err.kind() != RequestErrorKind::ConnectionClosed {
        return Err(format!("reset: {err:?}"));
    }
    assert_eq!(server.count(), 1, "PATCH must not be retried after a reset");
    assert_names(&err.to_string(), &PATCH_TOKEN, None);
    Ok(err.to_string())
}

async fn closed_mid_body() -> CaseResult {
    let server = start(|_| Action::CloseMidBody {
        declared: 100,
        partial: br#"{"name":"#.to_vec(),
    })
    .await;
    let t = transport(&server.base_url(), RetryPolicy::disabled());
    let err = t.execute(request(&GET_TOKEN)).await.err().ok_or("expected an error")?;
    if err.kind() != RequestErrorKind::IncompleteBody || err.status().map(|s| s.as_u16()) != Some(200) {
        return Err(format!("mid-body: {err:?}"));
    }
    assert_names(&err.to_string(), &GET_TOKEN, Some(200));
    Ok(err.to_string())
}

async fn stall_after_headers() -> CaseResult {
    let server = start(|_| Action::StallAfterHeaders {
        stall: Duration::from_secs(8),
    })
    .await;
    let t = transport(&server.base_url(), RetryPolicy::disabled());
    let started = Instant::now();
    let err = t.execute(request(&GET_TOKEN)).await.err().ok_or("expected an error")?;
    let elapsed = started.elapsed();
    if !err.is_timeout() || elapsed > Duration::from_secs(6) {
        return Err(format!("stall: {err:?} after {elapsed:?}"));
    }
    assert!(elapsed >= Duration::from_millis(1500), "{elapsed:?}");
    assert_names(&err.to_string(), &GET_TOKEN, Some(200));
    Ok(err.to_string())
}

async fn decode_case(action: Action, expect: fn(&DecodeErrorKind) -> bool) -> CaseResult {
    let server = start(move |_| action.clone()).await;
    let t = transport(&server.base_url(), RetryPolicy::disabled());
    let raw = t.execute(request(&GET_TOKEN)).await.map_err(|e| e.to_string())?;
    let err = decode_json::<Value>(raw).err().ok_or("expected a decode error")?;
    if !expect(err.kind()) {
        return Err(format!("decode: {err:?}"));
    }
    assert_names(&err.to_string(), &GET_TOKEN, Some(err.status().as_u16()));
    Ok(err.to_string())
}

async fn html_502() -> CaseResult {
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = start(move |_| Action::with_type(502, "text/html", page)).await;
    let t = transport(&server.base_url(), fast_retries(3));

    // PATCH: not retried, the 502 comes back as the final response.
    let raw = t.execute(request(&PATCH_TOKEN)).await.map_err(|e| e.to_string())?;
    if raw.status().as_u16() != 502 || raw.meta().attempts() != 1 || server.count() != 1 {
        return Err(format!("502 PATCH: {raw:?}, {} requests", server.count()));
    }
    let patch_err = unexpected_status(raw);
    assert!(patch_err.body_excerpt().contains("502 Bad Gateway"));
    assert_names(&patch_err.to_string(), &PATCH_TOKEN, Some(502));

    // GET: retried up to the limit, then the final 502 response is returned.
    let raw = t.execute(request(&GET_TOKEN)).await.map_err(|e| e.to_string())?;
    if raw.status().as_u16() != 502 || raw.meta().attempts() != 3 || server.count() != 4 {
        return Err(format!("502 GET: {raw:?}, {} requests", server.count()));
    }
    let get_err = decode_json::<Value>(raw).err().ok_or("HTML must not decode as JSON")?;
    assert_names(&get_err.to_string(), &GET_TOKEN, Some(502));
    Ok(format!("{patch_err} / {get_err}"))
}

async fn body_too_large() -> CaseResult {
    let big = "x".repeat(4096);
    let server = start(move |r| {
        if r.index == 0 {
            Action::with_type(200, "application/json", &big)
        } else {
            // Without Content-Length the cap must hold while streaming.
            Action::RespondChunked {
                status: 200,
                content_type: "application/json".into(),
                chunk: vec![b'y'; 1000],
                chunks: 100,
            }
        }
    })
    .await;
    let t = Transport::new(common::config(&server.base_url(), fast_retries(3)).max_response_bytes(1024)).unwrap();
    let mut last = String::new();
    for case in ["content-length", "chunked"] {
        let err = t.execute(request(&GET_TOKEN)).await.err().ok_or("expected an error")?;
        if !err.is_body_too_large() || err.attempts() != 1 {
            return Err(format!("too large ({case}): {err:?}"));
        }
        assert_names(&err.to_string(), &GET_TOKEN, Some(200));
        last = err.to_string();
    }
    Ok(last)
}

async fn teapot() -> CaseResult {
    let server = start(|_| Action::with_type(418, "text/plain", "I am short and stout")).await;
    let t = transport(&server.base_url(), fast_retries(3));
    let raw = t.execute(request(&GET_TOKEN)).await.map_err(|e| e.to_string())?;
    let err = unexpected_status(raw);
    if err.status().as_u16() != 418 || err.body_excerpt() != "I am short and stout" {
        return Err(format!("418: {err:?}"));
    }
    assert_eq!(server.count(), 1, "418 is not retried");
    assert_names(&err.to_string(), &GET_TOKEN, Some(418));
    Ok(err.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_matrix() {
    type Case = (&'static str, tokio::task::JoinHandle<CaseResult>);
    let cases: Vec<Case> = vec![
        ("connection refused", tokio::spawn(refused())),
        ("reset before response", tokio::spawn(reset_before_response())),
        ("closed mid-body", tokio::spawn(closed_mid_body())),
        ("stall after headers", tokio::spawn(stall_after_headers())),
        (
            "truncated JSON",
            tokio::spawn(decode_case(
                Action::json(200, r#"{"name": "tok", "items": [1, 2"#),
                |k| matches!(k, DecodeErrorKind::Json { .. }),
            )),
        ),
        ("HTML 502", tokio::spawn(html_502())),
        (
            "empty 200",
            tokio::spawn(decode_case(Action::json(200, ""), |k| *k == DecodeErrorKind::EmptyBody)),
        ),
        (
            "200 text/html",
            tokio::spawn(decode_case(
                Action::with_type(200, "text/html; charset=utf-8", "<html>hi</html>"),
                |k| matches!(k, DecodeErrorKind::ContentType { found: Some(f), .. } if f.starts_with("text/html")),
            )),
        ),
        ("body over the cap", tokio::spawn(body_too_large())),
        ("418", tokio::spawn(teapot())),
    ];
    let total = cases.len();
    let (mut typed, mut panics, mut failures) = (0, 0, Vec::new());
    for (name, handle) in cases {
        match tokio::time::timeout(Duration::from_secs(10), handle).await {
            Ok(Ok(Ok(display))) => {
                typed += 1;
                println!("  {name}: {display}");
            }
            Ok(Ok(Err(why))) => failures.push(format!("{name}: {why}")),
            Ok(Err(join)) if join.is_panic() => {
                panics += 1;
                failures.push(format!("{name}: panicked"));
            }
            Ok(Err(join)) => failures.push(format!("{name}: {join}")),
            Err(_) => failures.push(format!("{name}: hung")),
        }
    }
    println!("fault matrix: {typed} of {total} typed, {panics} panics");
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!((typed, panics), (total, 0));
    assert_eq!(total, 10);
}
