//! Client-side pacing: holding requests back until an announced
//! rate-limit window has reset, instead of provoking a 429.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use http::StatusCode;

use crate::operation::{HttpMethod, OperationInfo};
use crate::ratelimit::RateLimitInfo;

/// A set of requests that share one rate-limit window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Scope {
    /// Every request of the account (`X-Ratelimit-Global-*`) or of this
    /// client's IP address (`Retry-After` without other hints).
    Global,
    /// One route and verb (`X-Ratelimit-Route-*`).
    Route(HttpMethod, &'static str),
}

impl Scope {
    pub(crate) fn route(op: &OperationInfo) -> Self {
        Self::Route(op.method, op.path_template)
    }
}

/// Shared pacing state: for each scope, the instant before which no request
/// on it should be sent. Clones of a transport share one `Pacer`.
#[derive(Debug, Default)]
pub(crate) struct Pacer {
    blocked: Mutex<HashMap<Scope, Instant>>,
}

impl Pacer {
    /// The instant the next request of `op` may be sent, if it lies after `now`.
    pub(crate) fn ready_at(&self, op: &OperationInfo, now: Instant) -> Option<Instant> {
        let mut blocked = self.lock();
        // Expired entries are dropped here so that the map stays as small as
        // the set of currently limited scopes.
        blocked.retain(|_, until| *until > now);
        let global = blocked.get(&Scope::Global).copied();
        let route = blocked.get(&Scope::route(op)).copied();
        global.max(route)
    }

    /// Records what a response of `op` announced.
    ///
    /// A scope whose remaining count is zero is blocked until the announced
    /// reset plus `margin` (the margin absorbs clock granularity so that the
    /// next request arrives after the server's window has turned over). A
    /// 429 without such a hint blocks the global scope, because an IP-based
    /// limit applies to every request. No block lasts longer than `max_wait`
    /// past `now`, so a garbled or far-future reset cannot stall the client.
    pub(crate) fn observe(&self, op: &OperationInfo, status: StatusCode, info: &RateLimitInfo, pacing: &PacingClock) {
        let mut scopes: Vec<Scope> = Vec::with_capacity(2);
        if info.global_remaining == Some(0) {
            scopes.push(Scope::Global);
        }
        if info.route_remaining == Some(0) {
            scopes.push(Scope::route(op));
        }
        if scopes.is_empty() && status == StatusCode::TOO_MANY_REQUESTS {
            scopes.push(Scope::Global);
        }
        if scopes.is_empty() {
            return;
        }
        let Some(wait) = wait_until_reset(info, pacing.now_system) else {
            return;
        };
        let until = pacing.now + wait.min(pacing.max_wait) + pacing.margin;
        let mut blocked = self.lock();
        for scope in scopes {
            let entry = blocked.entry(scope).or_insert(until);
            if *entry < until {
                *entry = until;
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Scope, Instant>> {
        // The map holds plain instants, so a panic elsewhere cannot leave it
        // inconsistent; recovering from poisoning is safe.
        self.blocked.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The clocks and limits an observation is made with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PacingClock {
    pub(crate) now: Instant,
    pub(crate) now_system: SystemTime,
    pub(crate) margin: Duration,
    pub(crate) max_wait: Duration,
}

impl PacingClock {
    pub(crate) fn new(margin: Duration, max_wait: Duration) -> Self {
        Self {
            now: Instant::now(),
            now_system: SystemTime::now(),
            margin,
            max_wait,
        }
    }
}

/// How long until the announced window resets: `X-Ratelimit-Reset` when
/// present (it names the window), otherwise `Retry-After`.
fn wait_until_reset(info: &RateLimitInfo, now: SystemTime) -> Option<Duration> {
    match info.reset {
        Some(reset) => Some(reset.duration_since(now).unwrap_or(Duration::ZERO)),
        None => info.retry_after,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static OP: OperationInfo = OperationInfo {
        id: "get-thing",
        method: HttpMethod::Get,
        path_template: "/things/{id}",
    };
    static OTHER: OperationInfo = OperationInfo {
        id: "get-other",
        method: HttpMethod::Get,
        path_template: "/other",
    };

    fn clock() -> PacingClock {
        PacingClock::new(Duration::from_millis(10), Duration::from_secs(60))
    }

    #[test]
    fn spent_route_blocks_only_that_route() {
        let pacer = Pacer::default();
        let c = clock();
        let info = RateLimitInfo {
            route_remaining: Some(0),
            reset: Some(c.now_system + Duration::from_millis(300)),
            ..RateLimitInfo::default()
        };
        pacer.observe(&OP, StatusCode::OK, &info, &c);
        let ready = pacer.ready_at(&OP, c.now).unwrap();
        assert!(ready >= c.now + Duration::from_millis(310));
        assert!(ready <= c.now + Duration::from_millis(311));
        assert_eq!(pacer.ready_at(&OTHER, c.now), None);
        // Once the instant has passed, the scope is free again.
        assert_eq!(pacer.ready_at(&OP, ready), None);
    }

    #[test]
    fn spent_global_blocks_everything() {
        let pacer = Pacer::default();
        let c = clock();
        let info = RateLimitInfo {
            global_remaining: Some(0),
            route_remaining: Some(5),
            reset: Some(c.now_system + Duration::from_millis(100)),
            ..RateLimitInfo::default()
        };
        pacer.observe(&OP, StatusCode::OK, &info, &c);
        assert!(pacer.ready_at(&OTHER, c.now).is_some());
    }

    #[test]
    fn remaining_requests_do_not_block() {
        let pacer = Pacer::default();
        let c = clock();
        let info = RateLimitInfo {
            route_remaining: Some(1),
            reset: Some(c.now_system + Duration::from_millis(100)),
            ..RateLimitInfo::default()
        };
        pacer.observe(&OP, StatusCode::OK, &info, &c);
        assert_eq!(pacer.ready_at(&OP, c.now), None);
    }

    #[test]
    fn bare_429_with_retry_after_blocks_globally_and_is_capped() {
        let pacer = Pacer::default();
        let c = PacingClock::new(Duration::ZERO, Duration::from_secs(2));
        let info = RateLimitInfo {
            retry_after: Some(Duration::from_secs(3600)),
            ..RateLimitInfo::default()
        };
        pacer.observe(&OP, StatusCode::TOO_MANY_REQUESTS, &info, &c);
        assert_eq!(pacer.ready_at(&OTHER, c.now), Some(c.now + Duration::from_secs(2)));
    }

    #[test]
    fn later_announcement_extends_but_earlier_does_not_shorten() {
        let pacer = Pacer::default();
        let c = clock();
        let mk = |ms| RateLimitInfo {
            route_remaining: Some(0),
            reset: Some(c.now_system + Duration::from_millis(ms)),
            ..RateLimitInfo::default()
        };
        pacer.observe(&OP, StatusCode::OK, &mk(200), &c);
        pacer.observe(&OP, StatusCode::OK, &mk(100), &c);
        let ready = pacer.ready_at(&OP, c.now).unwrap();
        assert!(ready >= c.now + Duration::from_millis(210));
    }
}
