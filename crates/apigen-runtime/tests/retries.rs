//! Which failures are retried, for which methods, within which bounds.

mod common;

use std::time::{Duration, Instant};

use apigen_runtime::{ApiRequest, OperationInfo, RequestErrorKind, RequestOptions, RetryPolicy, Timeouts, Transport};
use common::{Action, GET_TOKEN, PATCH_TOKEN, fast_retries, refused_addr, start, transport};

fn request(op: &'static OperationInfo) -> ApiRequest {
    ApiRequest::new(op, "/api/v2/tokens/abc".to_owned())
}

/// Fails the first `failures` requests with `failure`, then answers 200.
async fn flaky(failures: usize, failure: Action) -> common::TestServer {
    start(move |r| {
        if r.index < failures {
            failure.clone()
        } else {
            Action::json(200, "{}")
        }
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_recovers_from_502_and_503() {
    let server = flaky(2, Action::with_type(503, "text/html", "<h1>busy</h1>")).await;
    let t = transport(&server.base_url(), fast_retries(4));
    let raw = t.execute(request(&GET_TOKEN)).await.unwrap();
    assert_eq!(raw.status().as_u16(), 200);
    assert_eq!(raw.meta().attempts(), 3);
    assert_eq!(server.count(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patch_is_retried_on_502_only_when_the_caller_opts_in() {
    let server = flaky(1, Action::with_type(502, "text/html", "<h1>bad gateway</h1>")).await;
    let t = transport(&server.base_url(), fast_retries(4));
    let raw = t.execute(request(&PATCH_TOKEN)).await.unwrap();
    assert_eq!((raw.status().as_u16(), server.count()), (502, 1));

    let server = flaky(1, Action::with_type(502, "text/html", "<h1>bad gateway</h1>")).await;
    let t = transport(&server.base_url(), fast_retries(4));
    let mut r = request(&PATCH_TOKEN);
    r.options(RequestOptions::default().retry_non_idempotent(true));
    let raw = t.execute(r).await.unwrap();
    assert_eq!((raw.status().as_u16(), server.count()), (200, 2));

    let server = flaky(1, Action::with_type(502, "text/html", "x")).await;
    let t = transport(&server.base_url(), fast_retries(4).with_retry_non_idempotent(true));
    let raw = t.execute(request(&PATCH_TOKEN)).await.unwrap();
    assert_eq!((raw.status().as_u16(), server.count()), (200, 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patch_is_retried_after_connection_refused() {
    // A refused connection means the request was never sent.
    let addr = refused_addr().await;
    let t = transport(&format!("http://{addr}"), fast_retries(3));
    let err = t.execute(request(&PATCH_TOKEN)).await.unwrap_err();
    assert_eq!(err.kind(), RequestErrorKind::Connect);
    assert_eq!(err.attempts(), 3);
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_is_retried_after_a_reset_and_recovers() {
    let server = flaky(1, Action::Reset).await;
    let t = transport(&server.base_url(), fast_retries(3));
    let raw = t.execute(request(&GET_TOKEN)).await.unwrap();
    assert_eq!((raw.status().as_u16(), raw.meta().attempts()), (200, 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conflict_is_not_retried_unless_enabled() {
    let conflict = Action::json(409, r#"{"code":"conflict","message":"retry your request"}"#);
    let server = flaky(1, conflict.clone()).await;
    let t = transport(&server.base_url(), fast_retries(3));
    let raw = t.execute(request(&PATCH_TOKEN)).await.unwrap();
    assert_eq!((raw.status().as_u16(), server.count()), (409, 1));

    let server = flaky(1, conflict).await;
    let t = transport(&server.base_url(), fast_retries(3).with_retry_conflict(true));
    let raw = t.execute(request(&PATCH_TOKEN)).await.unwrap();
    assert_eq!((raw.status().as_u16(), server.count()), (200, 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_get_is_retried_within_the_total_timeout() {
    let server = start(|_| Action::StallAfterHeaders {
        stall: Duration::from_secs(3),
    })
    .await;
    let config = common::config(&server.base_url(), fast_retries(10)).timeouts(Timeouts::new(
        Duration::from_millis(500),
        Duration::from_millis(300),
        Duration::from_millis(1000),
    ));
    let t = Transport::new(config).unwrap();
    let started = Instant::now();
    let err = t.execute(request(&GET_TOKEN)).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(err.is_timeout(), "{err:?}");
    assert!(err.attempts() >= 2, "attempt timeouts of a GET are retried: {err:?}");
    assert!(elapsed >= Duration::from_millis(900), "{elapsed:?}");
    assert!(
        elapsed < Duration::from_millis(3000),
        "the total timeout bounds the call: {elapsed:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_patch_is_not_retried() {
    let server = start(|_| Action::StallAfterHeaders {
        stall: Duration::from_secs(8),
    })
    .await;
    let t = transport(&server.base_url(), fast_retries(5));
    let err = t.execute(request(&PATCH_TOKEN)).await.unwrap_err();
    assert!(err.is_timeout());
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_are_returned_not_followed() {
    let server =
        start(|_| Action::status_with_headers(302, &[("Location", "http://127.0.0.1:1/elsewhere".into())])).await;
    let t = transport(&server.base_url(), fast_retries(3));
    let raw = t.execute(request(&GET_TOKEN)).await.unwrap();
    assert_eq!(raw.status().as_u16(), 302);
    assert_eq!(server.count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_call_policy_overrides_the_configured_one() {
    let server = flaky(5, Action::with_type(503, "text/plain", "busy")).await;
    let t = transport(&server.base_url(), fast_retries(10));
    let mut r = request(&GET_TOKEN);
    r.options(RequestOptions::default().retry_policy(RetryPolicy::disabled()));
    let raw = t.execute(r).await.unwrap();
    assert_eq!((raw.status().as_u16(), server.count()), (503, 1));
}
