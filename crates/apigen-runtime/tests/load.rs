//! Load against a local rate-limiting server: 2,000 requests from 32 tasks.
//!
//! The server admits `LIMIT` requests per 100 ms window (windows aligned on
//! epoch milliseconds) and announces a spent window on the response to the
//! last admitted request (`X-Ratelimit-Route-Remaining: 0` with
//! `X-Ratelimit-Reset` = the window's end). Requests beyond the limit get a
//! 429, mostly with `X-Ratelimit-Reset`, in some windows with `Retry-After: 1`.
//!
//! Counting violations: with 32 tasks in flight, requests sent before the
//! client could have seen the announcement necessarily arrive in the spent
//! window ("in-flight overshoot"); no client can avoid those. To tell them
//! from real violations, each task stamps its request with the newest window
//! it *knows* to be spent (`known=`, updated when a call returns an
//! announcement). The transport learns of an announcement no later than the
//! task does, so a request that carries `known >= w` and still arrives inside
//! spent window `w` was sent by a transport that knew better: a violation.
//! The control test shows that an unpaced client produces such violations.
//!
//! Bursts: every 429 this server sends answers a request that arrived in a
//! spent window, so the 429 count is the number of requests the client sent
//! beyond the announced budget. Before pacing capped requests in flight, this
//! load drew about a thousand such 429s (1,071 retries for 2,000 requests in
//! one measurement); the main test runs the load with the cap and, as its
//! control, without it, and prints both.

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use apigen_runtime::{ApiRequest, RequestOptions, RetryPolicy, Transport};
use common::{Action, LIST_ITEMS, Recorded, TestServer, epoch_ms, start};

const WINDOW_MS: u64 = 100;
const LIMIT: u32 = 25;
const TASKS: usize = 32;

#[derive(Default)]
struct Window {
    admitted: u32,
}

#[derive(Default)]
struct ServerState {
    windows: HashMap<u64, Window>,
    ok: u64,
    overshoot: u64,
    violations: u64,
    retry_after_answers: u64,
    reset_answers: u64,
}

fn handle(state: &Mutex<ServerState>, r: &Recorded) -> Action {
    let arrival_ms = epoch_ms(r.at_system);
    let w = arrival_ms / WINDOW_MS;
    let reset_ms = (w + 1) * WINDOW_MS;
    let known: i64 = r.query_param("known").and_then(|v| v.parse().ok()).unwrap_or(-1);
    let mut st = state.lock().unwrap();
    // Old windows are dropped so that the map stays small.
    st.windows.retain(|&k, _| k + 20 > w);
    let window = st.windows.entry(w).or_default();
    if window.admitted < LIMIT {
        window.admitted += 1;
        let remaining = LIMIT - window.admitted;
        st.ok += 1;
        return Action::json(200, r#"{"items":[]}"#)
            .header("X-Ratelimit-Route-Remaining", remaining.to_string())
            .header("X-Ratelimit-Reset", reset_ms.to_string())
            .header("X-Test-Window", w.to_string());
    }
    // The window is spent and its last admitted response announced it.
    if known >= w as i64 {
        st.violations += 1;
    } else {
        st.overshoot += 1;
    }
    if w % 40 == 17 {
        // An IP-style limit: only Retry-After, in whole seconds.
        st.retry_after_answers += 1;
        Action::json(429, r#"{"code":"rate_limited","message":"slow down"}"#).header("Retry-After", "1")
    } else {
        st.reset_answers += 1;
        Action::json(429, r#"{"code":"rate_limited","message":"slow down"}"#)
            .header("X-Ratelimit-Route-Remaining", "0")
            .header("X-Ratelimit-Reset", reset_ms.to_string())
    }
}

struct Outcome {
    ok: usize,
    failures: Vec<String>,
    slowest: Duration,
    elapsed: Duration,
}

async fn run_load(server: &TestServer, transport: Transport, requests: usize, budget: Duration) -> Outcome {
    let next = Arc::new(AtomicUsize::new(0));
    let known = Arc::new(AtomicI64::new(-1));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..TASKS {
        let (t, next, known) = (transport.clone(), next.clone(), known.clone());
        tasks.push(tokio::spawn(async move {
            let (mut ok, mut failures, mut slowest) = (0usize, Vec::new(), Duration::ZERO);
            // Bounded: each round takes a fresh index and stops at `requests`.
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= requests {
                    break;
                }
                let mut r = ApiRequest::new(&LIST_ITEMS, "/items".to_owned());
                r.query("known", known.load(Ordering::SeqCst));
                r.query("n", i);
                r.options(RequestOptions::default().total_timeout(budget));
                let sent = Instant::now();
                match t.execute(r).await {
                    Ok(raw) if raw.status().as_u16() == 200 => {
                        ok += 1;
                        slowest = slowest.max(sent.elapsed());
                        if raw.meta().rate_limit().route_remaining == Some(0) {
                            let w = raw.meta().headers()["x-test-window"].to_str().unwrap().parse().unwrap();
                            known.fetch_max(w, Ordering::SeqCst);
                        }
                    }
                    Ok(raw) => failures.push(format!(
                        "request {i}: status {} after {} attempts",
                        raw.status(),
                        raw.meta().attempts()
                    )),
                    Err(err) => failures.push(format!("request {i}: {err}")),
                }
            }
            (ok, failures, slowest)
        }));
    }
    let mut outcome = Outcome {
        ok: 0,
        failures: Vec::new(),
        slowest: Duration::ZERO,
        elapsed: Duration::ZERO,
    };
    for task in tasks {
        let (ok, failures, slowest) = task.await.unwrap();
        outcome.ok += ok;
        outcome.failures.extend(failures);
        outcome.slowest = outcome.slowest.max(slowest);
    }
    outcome.elapsed = started.elapsed();
    assert!(server.count() >= requests);
    outcome
}

fn policy() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(30)
        .with_backoff(Duration::from_millis(10), Duration::from_millis(100))
        .with_rate_limit_jitter(Duration::from_millis(20))
}

/// What one load run produced, as seen by the server and the client.
struct Figures {
    outcome: Outcome,
    stats: apigen_runtime::TransportStats,
    server_requests: usize,
    ok: u64,
    too_many: u64,
    reset_answers: u64,
    retry_after_answers: u64,
    violations: u64,
}

impl Figures {
    fn line(&self, label: &str, requests: usize, budget: Duration) -> String {
        format!(
            "{label}: {requests} requests from {TASKS} tasks in {:.1} s (limit {LIMIT} per {WINDOW_MS} ms): \
             {} ok, {} failed, slowest {:.2} s of a {:.0} s budget; server saw {} requests; \
             429s from the client's own bursts: {} ({:.2} % of requests; {} with X-Ratelimit-Reset, \
             {} with Retry-After); retries {}; paced waits {} totalling {:.1} s; retry waits {:.1} s; \
             violations {}",
            self.outcome.elapsed.as_secs_f64(),
            self.outcome.ok,
            self.outcome.failures.len(),
            self.outcome.slowest.as_secs_f64(),
            budget.as_secs_f64(),
            self.server_requests,
            self.too_many,
            self.too_many as f64 * 100.0 / requests as f64,
            self.reset_answers,
            self.retry_after_answers,
            self.stats.retries,
            self.stats.paced_waits,
            self.stats.paced_wait_time.as_secs_f64(),
            self.stats.retry_wait_time.as_secs_f64(),
            self.violations,
        )
    }
}

async fn measure(cap: bool, requests: usize, budget: Duration) -> Figures {
    let state = Arc::new(Mutex::new(ServerState::default()));
    let server_state = state.clone();
    let server = start(move |r| handle(&server_state, r)).await;
    let transport = Transport::new(common::config(&server.base_url(), policy()).pacing_cap(cap)).unwrap();
    let outcome = run_load(&server, transport.clone(), requests, budget).await;
    let st = state.lock().unwrap();
    Figures {
        outcome,
        stats: transport.stats(),
        server_requests: server.count(),
        ok: st.ok,
        too_many: st.overshoot + st.violations,
        reset_answers: st.reset_answers,
        retry_after_answers: st.retry_after_answers,
        violations: st.violations,
    }
}

/// Runs the load with the in-flight cap and, as the control, without it
/// (pacing still on), one after the other so that they do not compete.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_requests_without_bursts_into_announced_windows() {
    let requests = 2000;
    let budget = Duration::from_secs(15);
    let capped = measure(true, requests, budget).await;
    let uncapped = measure(false, requests, budget).await;
    println!("{}", capped.line("load with the in-flight cap", requests, budget));
    println!("{}", uncapped.line("control without the cap", requests, budget));
    for figures in [&capped, &uncapped] {
        let failures = &figures.outcome.failures;
        assert!(failures.is_empty(), "{:#?}", &failures[..failures.len().min(10)]);
        assert_eq!(figures.outcome.ok, requests);
        assert_eq!(figures.ok, requests as u64);
        assert_eq!(figures.stats.requests, requests as u64);
        assert_eq!(
            figures.violations, 0,
            "requests arrived in windows the client knew were spent"
        );
        assert!(figures.outcome.slowest < budget);
    }
    // At most 1 % of the requests may meet a 429 the client provoked itself.
    // Only the very first window, before any budget is known, overflows by
    // design: all tasks start at once, so by at most TASKS - LIMIT = 7. The
    // requests sent before the first announcement count against the budget
    // it names; without that, the tasks whose first call came back early
    // sent a second round into the same window (18 429s in one measurement).
    // The rest of the bound is slack for a loaded machine, where a request
    // held up on its way can arrive in the next window and spend its budget.
    assert!(
        capped.too_many * 100 <= requests as u64,
        "{} 429s for {requests} requests with the cap",
        capped.too_many
    );
    assert!(capped.stats.paced_waits > 0, "the load never exercised pacing");
    // The control proves that the server's counter sees bursts at all.
    assert!(
        uncapped.too_many > capped.too_many * 5 && uncapped.too_many * 100 > requests as u64,
        "without the cap: {} 429s, with it: {}",
        uncapped.too_many,
        capped.too_many
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_an_unpaced_client_is_caught() {
    let state = Arc::new(Mutex::new(ServerState::default()));
    let server_state = state.clone();
    let server = start(move |r| handle(&server_state, r)).await;
    let transport = Transport::new(common::config(&server.base_url(), policy()).pacing(false)).unwrap();
    let requests = 300;
    let outcome = run_load(&server, transport, requests, Duration::from_secs(15)).await;
    let st = state.lock().unwrap();
    println!(
        "control without pacing: {requests} requests in {:.1} s, {} ok, violations {}",
        outcome.elapsed.as_secs_f64(),
        outcome.ok,
        st.violations
    );
    assert!(outcome.failures.is_empty(), "{:#?}", outcome.failures);
    assert!(st.violations > 0, "the violation counter cannot see an unpaced client");
}
