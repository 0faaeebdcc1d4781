//! 429 handling and pacing against a local server that records arrival times.

mod common;

use std::time::{Duration, Instant, SystemTime};

use apigen_runtime::{ApiRequest, OperationInfo, RequestErrorKind, RequestOptions, RetryPolicy, Transport};
use common::{Action, GET_TOKEN, LIST_ITEMS, PATCH_TOKEN, epoch_ms, fast_retries, start, transport};

fn request(op: &'static OperationInfo) -> ApiRequest {
    let path = if op.path_template == "/items" {
        "/items".to_owned()
    } else {
        "/api/v2/tokens/abc".to_owned()
    };
    ApiRequest::new(op, path)
}

fn ok() -> Action {
    Action::json(200, "{}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_seconds_is_honoured() {
    let server = start(|r| {
        if r.index == 0 {
            Action::json(429, r#"{"code":"rate_limited","message":"slow down"}"#).header("Retry-After", "1")
        } else {
            ok()
        }
    })
    .await;
    // PATCH too: a 429 was not applied, so it is safe to send again.
    let t = transport(&server.base_url(), fast_retries(3));
    let started = Instant::now();
    let raw = t.execute(request(&PATCH_TOKEN)).await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(raw.status().as_u16(), 200);
    assert_eq!(raw.meta().attempts(), 2);
    let log = server.requests();
    assert_eq!(log.len(), 2);
    let gap = log[1].at - log[0].at;
    assert!(gap >= Duration::from_secs(1), "second attempt after {gap:?}");
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    let stats = t.stats();
    assert_eq!(
        (stats.requests, stats.attempts, stats.retries, stats.rate_limited),
        (1, 2, 1, 1)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ratelimit_reset_epoch_millis_is_honoured() {
    let reset = std::sync::Arc::new(std::sync::Mutex::new(None::<SystemTime>));
    let seen = reset.clone();
    let server = start(move |r| {
        if r.index == 0 {
            let at = r.at_system + Duration::from_millis(400);
            *seen.lock().unwrap() = Some(at);
            Action::json(429, "{}")
                .header("X-Ratelimit-Route-Remaining", "0")
                .header("X-Ratelimit-Reset", epoch_ms(at).to_string())
        } else {
            ok()
        }
    })
    .await;
    let t = transport(&server.base_url(), fast_retries(3));
    let started = Instant::now();
    let raw = t.execute(request(&GET_TOKEN)).await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(raw.status().as_u16(), 200);
    assert_eq!(raw.meta().attempts(), 2);
    let reset = reset.lock().unwrap().unwrap();
    let log = server.requests();
    // The header has millisecond precision, so compare at that precision.
    assert!(
        epoch_ms(log[1].at_system) >= epoch_ms(reset),
        "retry arrived {:?} before the reset",
        reset.duration_since(log[1].at_system).unwrap_or_default()
    );
    assert!(elapsed >= Duration::from_millis(399), "{elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attempts_are_bounded() {
    let server = start(|r| {
        Action::json(429, "{}").header(
            "X-Ratelimit-Reset",
            epoch_ms(r.at_system + Duration::from_millis(30)).to_string(),
        )
    })
    .await;
    let t = transport(&server.base_url(), fast_retries(3));
    let raw = t.execute(request(&GET_TOKEN)).await.unwrap();
    assert_eq!(raw.status().as_u16(), 429);
    assert_eq!(raw.meta().attempts(), 3);
    assert_eq!(server.count(), 3);
    let info = raw.meta().rate_limit();
    assert!(info.reset.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disabled_policy_returns_429_immediately() {
    let server = start(|_| Action::json(429, "{}").header("Retry-After", "1")).await;
    let t = transport(&server.base_url(), RetryPolicy::disabled());
    let started = Instant::now();
    let raw = t.execute(request(&GET_TOKEN)).await.unwrap();
    assert_eq!(raw.status().as_u16(), 429);
    assert_eq!(raw.meta().attempts(), 1);
    assert_eq!(raw.meta().rate_limit().retry_after, Some(Duration::from_secs(1)));
    assert_eq!(server.count(), 1);
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_longer_than_allowed_returns_429() {
    let server = start(|_| Action::json(429, "{}").header("Retry-After", "120")).await;
    let policy = fast_retries(3).with_max_rate_limit_wait(Duration::from_secs(2));
    let t = transport(&server.base_url(), policy);
    let started = Instant::now();
    let raw = t.execute(request(&GET_TOKEN)).await.unwrap();
    assert_eq!(raw.status().as_u16(), 429);
    assert_eq!(server.count(), 1);
    assert!(started.elapsed() < Duration::from_millis(500));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_beyond_total_timeout_returns_429() {
    let server = start(|_| Action::json(429, "{}").header("Retry-After", "2")).await;
    let t = transport(&server.base_url(), fast_retries(3));
    let mut r = request(&GET_TOKEN);
    r.options(RequestOptions::default().total_timeout(Duration::from_millis(800)));
    let started = Instant::now();
    let raw = t.execute(r).await.unwrap();
    assert_eq!(raw.status().as_u16(), 429);
    assert_eq!(server.count(), 1);
    assert!(started.elapsed() < Duration::from_millis(500));
}

/// A server whose first answer announces a spent route window resetting
/// 300 ms later; returns the server and the announced reset.
async fn spent_window_server(
    header: &'static str,
) -> (common::TestServer, std::sync::Arc<std::sync::Mutex<Option<SystemTime>>>) {
    let reset = std::sync::Arc::new(std::sync::Mutex::new(None::<SystemTime>));
    let seen = reset.clone();
    let server = start(move |r| {
        if r.index == 0 {
            let at = r.at_system + Duration::from_millis(300);
            *seen.lock().unwrap() = Some(at);
            ok().header(header, "0")
                .header("X-Ratelimit-Reset", epoch_ms(at).to_string())
        } else {
            ok()
        }
    })
    .await;
    (server, reset)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pacing_holds_the_route_until_reset() {
    let (server, reset) = spent_window_server("X-Ratelimit-Route-Remaining").await;
    let t = transport(&server.base_url(), fast_retries(3));
    t.execute(request(&GET_TOKEN)).await.unwrap();
    // Another route is not held back.
    t.clone().execute(request(&LIST_ITEMS)).await.unwrap();
    // A clone shares the pacing state.
    t.clone().execute(request(&GET_TOKEN)).await.unwrap();
    let reset = reset.lock().unwrap().unwrap();
    let log = server.requests();
    assert_eq!(log.len(), 3);
    assert!(log[1].target.starts_with("/items"));
    assert!(log[1].at_system < reset, "the other route was held back");
    assert!(
        log[2].at_system >= reset,
        "request arrived {:?} before the announced reset",
        reset.duration_since(log[2].at_system).unwrap_or_default()
    );
    let stats = t.stats();
    assert_eq!(stats.paced_waits, 1);
    assert_eq!(stats.rate_limited, 0, "pacing must not provoke a 429");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pacing_holds_every_route_on_global_limit() {
    let (server, reset) = spent_window_server("X-Ratelimit-Global-Remaining").await;
    let t = transport(&server.base_url(), fast_retries(3));
    t.execute(request(&GET_TOKEN)).await.unwrap();
    t.execute(request(&LIST_ITEMS)).await.unwrap();
    let reset = reset.lock().unwrap().unwrap();
    let log = server.requests();
    assert!(log[1].at_system >= reset);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_pacing_the_next_request_goes_out_at_once() {
    // The control for the pacing test: the same server, pacing off.
    let (server, reset) = spent_window_server("X-Ratelimit-Route-Remaining").await;
    let t = Transport::new(common::config(&server.base_url(), fast_retries(3)).pacing(false)).unwrap();
    t.execute(request(&GET_TOKEN)).await.unwrap();
    t.execute(request(&GET_TOKEN)).await.unwrap();
    let reset = reset.lock().unwrap().unwrap();
    assert!(server.requests()[1].at_system < reset);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pacing_beyond_the_budget_fails_without_sending() {
    let server = start(|r| {
        ok().header("X-Ratelimit-Route-Remaining", "0").header(
            "X-Ratelimit-Reset",
            epoch_ms(r.at_system + Duration::from_secs(5)).to_string(),
        )
    })
    .await;
    let t = transport(&server.base_url(), fast_retries(3));
    t.execute(request(&GET_TOKEN)).await.unwrap();
    let mut r = request(&GET_TOKEN);
    r.options(RequestOptions::default().total_timeout(Duration::from_secs(1)));
    let started = Instant::now();
    let err = t.execute(r).await.unwrap_err();
    assert_eq!(err.kind(), RequestErrorKind::RateLimited);
    assert_eq!(err.attempts(), 0);
    assert_eq!(server.count(), 1, "the request must not be sent");
    assert!(started.elapsed() < Duration::from_millis(200));
    assert!(err.to_string().contains("get-token (GET /api/v2/tokens/{id})"));
}
