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

/// A wiremock server whose every answer takes `delay` and announces
/// `remaining` requests left on the route until a reset 10 s away.
async fn slow_budget_server(remaining: Option<u32>, delay: Duration) -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    let mut answer = wiremock::ResponseTemplate::new(200)
        .set_body_raw("{}", "application/json")
        .set_delay(delay);
    if let Some(remaining) = remaining {
        let reset = epoch_ms(SystemTime::now() + Duration::from_secs(10));
        answer = answer
            .insert_header("X-Ratelimit-Route-Remaining", remaining.to_string())
            .insert_header("X-Ratelimit-Reset", reset.to_string());
    }
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(answer)
        .mount(&server)
        .await;
    server
}

async fn received(server: &wiremock::MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

/// Sends `n` requests from clones of `t` at once and waits for all of them.
fn spawn_requests(t: &Transport, n: usize) -> Vec<tokio::task::JoinHandle<u16>> {
    (0..n)
        .map(|_| {
            let t = t.clone();
            tokio::spawn(async move { t.execute(request(&LIST_ITEMS)).await.unwrap().status().as_u16() })
        })
        .collect()
}

/// After `Remaining: 3`, at most three requests of the route are in flight,
/// across clones, until their answers arrive; then the next three go.
async fn in_flight_after_announcement(cap: bool) -> (usize, Duration) {
    let delay = Duration::from_millis(400);
    let server = slow_budget_server(Some(3), delay).await;
    let t = Transport::new(common::config(&server.uri(), fast_retries(1)).pacing_cap(cap)).unwrap();
    assert_eq!(t.execute(request(&LIST_ITEMS)).await.unwrap().status().as_u16(), 200);
    let started = Instant::now();
    let tasks = spawn_requests(&t, 10);
    // Half the answer delay: every request that may go has arrived, none has
    // been answered yet.
    tokio::time::sleep(delay / 2).await;
    let in_flight = received(&server).await - 1;
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
    assert_eq!(received(&server).await, 11);
    (in_flight, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn announced_budget_caps_requests_in_flight() {
    let (in_flight, elapsed) = in_flight_after_announcement(true).await;
    assert_eq!(in_flight, 3);
    // Ten requests, three at a time: four rounds of one answer delay each.
    assert!(elapsed >= Duration::from_millis(1600), "{elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_cap_every_request_goes_at_once() {
    // The control for the test above: the same server, the cap off.
    let (in_flight, _) = in_flight_after_announcement(false).await;
    assert_eq!(in_flight, 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_rate_limit_headers_nothing_is_held_back() {
    let delay = Duration::from_millis(400);
    let server = slow_budget_server(None, delay).await;
    let t = transport(&server.uri(), fast_retries(1));
    assert_eq!(t.execute(request(&LIST_ITEMS)).await.unwrap().status().as_u16(), 200);
    let tasks = spawn_requests(&t, 20);
    tokio::time::sleep(delay / 2).await;
    assert_eq!(received(&server).await, 21);
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
    assert_eq!(t.stats().paced_waits, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_request_gives_its_place_back() {
    let delay = Duration::from_millis(600);
    let server = slow_budget_server(Some(1), delay).await;
    let t = transport(&server.uri(), fast_retries(1));
    assert_eq!(t.execute(request(&LIST_ITEMS)).await.unwrap().status().as_u16(), 200);
    // The first request takes the only place; dropping its future (as a
    // `select!` or a timeout would) must free the place for the second.
    let first = t.execute(request(&LIST_ITEMS));
    let cancelled = tokio::time::timeout(Duration::from_millis(100), first).await;
    assert!(cancelled.is_err(), "the answer cannot arrive within 100 ms");
    let started = Instant::now();
    let second = spawn_requests(&t, 1);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(received(&server).await, 3);
    for task in second {
        assert_eq!(task.await.unwrap(), 200);
    }
    // It went at once instead of waiting for the reset 10 s away.
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_for_room_ends_at_the_total_timeout_without_sending() {
    let server = slow_budget_server(Some(1), Duration::from_millis(1000)).await;
    let t = transport(&server.uri(), fast_retries(1));
    assert_eq!(t.execute(request(&LIST_ITEMS)).await.unwrap().status().as_u16(), 200);
    let holder = spawn_requests(&t, 1);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut late = request(&LIST_ITEMS);
    late.options(RequestOptions::default().total_timeout(Duration::from_millis(300)));
    let started = Instant::now();
    let err = t.execute(late).await.unwrap_err();
    assert_eq!(err.kind(), RequestErrorKind::RateLimited);
    assert!(err.to_string().contains("not sent"), "{err}");
    assert!(
        started.elapsed() < Duration::from_millis(800),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(received(&server).await, 2);
    for task in holder {
        assert_eq!(task.await.unwrap(), 200);
    }
}
