//! Retry policy and the decisions derived from it.
//!
//! What is retried, by default:
//!
//! * `429 Too Many Requests`, for every method: the server refused the
//!   request, so it cannot have been applied. The wait is at least what the
//!   server asked for (`Retry-After`, seconds or HTTP date, or
//!   `X-Ratelimit-Reset`, epoch milliseconds; the later of the two), plus a
//!   random jitter. If the server asks for more than
//!   [`RetryPolicy::max_rate_limit_wait`] or more than the call's remaining
//!   time budget, the 429 response is returned instead of waiting.
//! * Connection failures before the request was sent (connection refused,
//!   DNS, TLS, connect timeout), for every method.
//! * `502`, `503`, `504`, connections closed or reset before the response
//!   was complete, and attempt timeouts, for idempotent methods only (GET,
//!   HEAD, PUT, DELETE, OPTIONS, TRACE), with exponential backoff and jitter.
//!   POST and PATCH may already have been applied in these cases, so they are
//!   retried only when the caller opts in with
//!   [`RetryPolicy::with_retry_non_idempotent`] or
//!   [`crate::RequestOptions::retry_non_idempotent`].
//! * `409 Conflict` is **not** retried by default. LaunchDarkly documents 409
//!   as "retry your request", but a conflict usually means the resource
//!   changed under the caller (for example a JSON Patch `test` on `/version`
//!   failed), and replaying the same body cannot succeed: the caller has to
//!   re-read the resource and rebuild the change. Callers whose requests do
//!   not depend on the current version can opt in with
//!   [`RetryPolicy::with_retry_conflict`]; a 409 was not applied, so the
//!   opt-in covers every method.
//!
//! Every retry counts against [`RetryPolicy::max_attempts`] and the total
//! timeout ([`crate::Timeouts`]).

use std::time::{Duration, SystemTime};

use http::StatusCode;

use crate::attempt::FailureClass;
use crate::operation::{HttpMethod, OperationInfo};
use crate::ratelimit::RateLimitInfo;

/// How a [`crate::Transport`] retries; see the module documentation of
/// `retry` for what is retried. `Default` gives sensible retries;
/// [`RetryPolicy::disabled`] sends every request exactly once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    rate_limit_jitter: Duration,
    max_rate_limit_wait: Duration,
    retry_non_idempotent: bool,
    retry_conflict: bool,
    retry_timeouts: bool,
}

impl Default for RetryPolicy {
    /// Up to 5 attempts, backoff from 250 ms doubling up to 8 s, up to 250 ms
    /// of jitter on top of server-requested waits, server-requested waits of
    /// at most 60 s, no retries of POST/PATCH after they may have been
    /// applied, no retries of 409, attempt timeouts retried for idempotent
    /// methods.
    fn default() -> Self {
        Self {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            rate_limit_jitter: Duration::from_millis(250),
            max_rate_limit_wait: Duration::from_secs(60),
            retry_non_idempotent: false,
            retry_conflict: false,
            retry_timeouts: true,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries: every call makes exactly one attempt and
    /// returns whatever the server answered, 429 included.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the maximum number of attempts, the first one included (values
    /// below 1 are treated as 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the exponential backoff: the n-th retry waits between half and all
    /// of `min(max, initial * 2^(n-1))`.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Sets the largest random extra added to a wait the server asked for.
    pub fn with_rate_limit_jitter(mut self, jitter: Duration) -> Self {
        self.rate_limit_jitter = jitter;
        self
    }

    /// Sets the longest server-requested wait that is honoured; a 429 that
    /// asks for more is returned to the caller instead.
    pub fn with_max_rate_limit_wait(mut self, wait: Duration) -> Self {
        self.max_rate_limit_wait = wait;
        self
    }

    /// Also retries POST and PATCH after failures that may have reached the
    /// server (502/503/504, connection closed, attempt timeout). Only safe
    /// when the server de-duplicates or the change is idempotent in effect.
    pub fn with_retry_non_idempotent(mut self, enabled: bool) -> Self {
        self.retry_non_idempotent = enabled;
        self
    }

    /// Retries `409 Conflict` with backoff (off by default; see the module
    /// documentation for why).
    pub fn with_retry_conflict(mut self, enabled: bool) -> Self {
        self.retry_conflict = enabled;
        self
    }

    /// Whether attempt timeouts are retried (for idempotent methods, or all
    /// methods with the non-idempotent opt-in). On by default.
    pub fn with_retry_timeouts(mut self, enabled: bool) -> Self {
        self.retry_timeouts = enabled;
        self
    }

    /// The maximum number of attempts, the first one included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The first backoff step.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The largest backoff step.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The largest random extra added to a server-requested wait.
    pub fn rate_limit_jitter(&self) -> Duration {
        self.rate_limit_jitter
    }

    /// The longest server-requested wait that is honoured.
    pub fn max_rate_limit_wait(&self) -> Duration {
        self.max_rate_limit_wait
    }

    /// Whether POST and PATCH are retried after failures that may have reached the server.
    pub fn retries_non_idempotent(&self) -> bool {
        self.retry_non_idempotent
    }

    /// Whether 409 is retried.
    pub fn retries_conflict(&self) -> bool {
        self.retry_conflict
    }

    /// Whether attempt timeouts are retried.
    pub fn retries_timeouts(&self) -> bool {
        self.retry_timeouts
    }

    /// Backoff before the `retry`-th retry (1-based), with `unit` in `[0, 1)`
    /// choosing the point in the jitter range `[cap / 2, cap]`.
    pub(crate) fn backoff(&self, retry: u32, unit: f64) -> Duration {
        let exponent = retry.saturating_sub(1).min(31);
        let cap = self
            .initial_backoff
            .saturating_mul(1u32 << exponent)
            .min(self.max_backoff);
        let half = cap / 2;
        half + half.mul_f64(unit.clamp(0.0, 1.0))
    }

    /// Whether a request with `method` may be retried after a failure that
    /// may have reached the server.
    pub(crate) fn may_repeat(&self, method: HttpMethod, per_call: Option<bool>) -> bool {
        method.is_idempotent() || per_call.unwrap_or(self.retry_non_idempotent)
    }
}

/// Why a retry happens; used in tracing and statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryReason {
    RateLimited,
    ServerError,
    Conflict,
    Connect,
    Closed,
    Timeout,
}

impl RetryReason {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::RateLimited => "rate limited",
            Self::ServerError => "server error",
            Self::Conflict => "conflict",
            Self::Connect => "connect failure",
            Self::Closed => "connection closed",
            Self::Timeout => "attempt timeout",
        }
    }
}

/// A decision to retry after `delay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RetryPlan {
    pub(crate) delay: Duration,
    pub(crate) reason: RetryReason,
}

/// The wait the server asked for in a rate-limit answer: the later of
/// `Retry-After` and `X-Ratelimit-Reset`, or `None` when it gave neither.
pub(crate) fn server_requested_wait(info: &RateLimitInfo, now: SystemTime) -> Option<Duration> {
    let until_reset = info
        .reset
        .map(|reset| reset.duration_since(now).unwrap_or(Duration::ZERO));
    match (info.retry_after, until_reset) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// What a retry decision depends on besides the response.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PlanContext {
    pub(crate) method: HttpMethod,
    /// The per-call override of [`RetryPolicy::retries_non_idempotent`].
    pub(crate) per_call_non_idempotent: Option<bool>,
    pub(crate) now: SystemTime,
    /// The number this retry would have (1 for the first).
    pub(crate) retry: u32,
    /// A random number in `[0, 1)` for the backoff.
    pub(crate) unit: f64,
    /// A random number in `[0, 1)` for the rate-limit jitter.
    pub(crate) jitter_unit: f64,
}

/// Decides whether a complete response with `status` is retried.
pub(crate) fn plan_for_status(
    policy: &RetryPolicy,
    ctx: &PlanContext,
    status: StatusCode,
    info: &RateLimitInfo,
) -> Option<RetryPlan> {
    let PlanContext {
        method,
        per_call_non_idempotent,
        now,
        retry,
        unit,
        jitter_unit,
    } = *ctx;
    match status.as_u16() {
        429 => {
            let delay = match server_requested_wait(info, now) {
                Some(wait) if wait > policy.max_rate_limit_wait => return None,
                Some(wait) => wait + policy.rate_limit_jitter.mul_f64(jitter_unit.clamp(0.0, 1.0)),
                None => policy.backoff(retry, unit),
            };
            Some(RetryPlan {
                delay,
                reason: RetryReason::RateLimited,
            })
        }
        502..=504 if policy.may_repeat(method, per_call_non_idempotent) => {
            // A 503 may say how long to stay away; honour it when it is sane.
            let asked = info
                .retry_after
                .filter(|wait| *wait <= policy.max_rate_limit_wait)
                .unwrap_or(Duration::ZERO);
            Some(RetryPlan {
                delay: policy.backoff(retry, unit).max(asked),
                reason: RetryReason::ServerError,
            })
        }
        409 if policy.retry_conflict => Some(RetryPlan {
            delay: policy.backoff(retry, unit),
            reason: RetryReason::Conflict,
        }),
        _ => None,
    }
}

/// Whether a failed attempt is retried, and why.
pub(crate) fn retry_reason_for_failure(
    class: FailureClass,
    policy: &RetryPolicy,
    op: &OperationInfo,
    per_call: Option<bool>,
) -> Option<RetryReason> {
    match class {
        FailureClass::NotSent => Some(RetryReason::Connect),
        FailureClass::MaybeApplied if policy.may_repeat(op.method, per_call) => Some(RetryReason::Closed),
        FailureClass::TimedOut if policy.retries_timeouts() && policy.may_repeat(op.method, per_call) => {
            Some(RetryReason::Timeout)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: SystemTime = SystemTime::UNIX_EPOCH;

    fn plan(policy: &RetryPolicy, method: HttpMethod, status: u16, info: RateLimitInfo) -> Option<RetryPlan> {
        let ctx = PlanContext {
            method,
            per_call_non_idempotent: None,
            now: NOW,
            retry: 1,
            unit: 0.5,
            jitter_unit: 0.5,
        };
        plan_for_status(policy, &ctx, StatusCode::from_u16(status).unwrap(), &info)
    }

    #[test]
    fn backoff_stays_within_bounds() {
        let policy = RetryPolicy::default().with_backoff(Duration::from_millis(100), Duration::from_millis(1000));
        for retry in 1..=40 {
            let cap = Duration::from_millis(100)
                .saturating_mul(1u32 << (retry - 1).min(31))
                .min(Duration::from_millis(1000));
            for unit in [0.0, 0.25, 0.5, 0.999_999, 1.0, -3.0, 7.0] {
                let delay = policy.backoff(retry, unit);
                assert!(delay >= cap / 2, "retry {retry} unit {unit}: {delay:?}");
                assert!(delay <= cap, "retry {retry} unit {unit}: {delay:?}");
            }
        }
        assert_eq!(policy.backoff(1, 0.0), Duration::from_millis(50));
        assert_eq!(policy.backoff(2, 1.0), Duration::from_millis(200));
        assert_eq!(policy.backoff(30, 1.0), Duration::from_millis(1000));
    }

    #[test]
    fn rate_limit_waits_at_least_what_the_server_asked() {
        let policy = RetryPolicy::default().with_rate_limit_jitter(Duration::from_millis(100));
        let info = RateLimitInfo {
            retry_after: Some(Duration::from_secs(1)),
            reset: Some(NOW + Duration::from_millis(1500)),
            ..RateLimitInfo::default()
        };
        let p = plan(&policy, HttpMethod::Patch, 429, info).unwrap();
        assert_eq!(p.reason, RetryReason::RateLimited);
        assert_eq!(p.delay, Duration::from_millis(1550));
    }

    #[test]
    fn rate_limit_beyond_the_cap_is_not_waited_for() {
        let policy = RetryPolicy::default().with_max_rate_limit_wait(Duration::from_secs(5));
        let info = RateLimitInfo {
            retry_after: Some(Duration::from_secs(6)),
            ..RateLimitInfo::default()
        };
        assert_eq!(plan(&policy, HttpMethod::Get, 429, info), None);
    }

    #[test]
    fn server_errors_are_retried_only_for_idempotent_methods() {
        let policy = RetryPolicy::default();
        let info = RateLimitInfo::default();
        for status in [502, 503, 504] {
            assert!(plan(&policy, HttpMethod::Get, status, info).is_some());
            assert!(plan(&policy, HttpMethod::Put, status, info).is_some());
            assert!(plan(&policy, HttpMethod::Patch, status, info).is_none());
            assert!(plan(&policy, HttpMethod::Post, status, info).is_none());
        }
        assert!(plan(&policy, HttpMethod::Get, 500, info).is_none());
        let opted_in = policy.with_retry_non_idempotent(true);
        assert!(plan(&opted_in, HttpMethod::Patch, 502, info).is_some());
    }

    #[test]
    fn conflict_is_opt_in() {
        let info = RateLimitInfo::default();
        assert!(plan(&RetryPolicy::default(), HttpMethod::Patch, 409, info).is_none());
        let policy = RetryPolicy::default().with_retry_conflict(true);
        let p = plan(&policy, HttpMethod::Patch, 409, info).unwrap();
        assert_eq!(p.reason, RetryReason::Conflict);
    }

    #[test]
    fn disabled_policy_makes_one_attempt() {
        assert_eq!(RetryPolicy::disabled().max_attempts(), 1);
        assert_eq!(RetryPolicy::default().with_max_attempts(0).max_attempts(), 1);
    }
}
