//! Counters shared by the clones of one transport.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// A snapshot of what a [`crate::Transport`] and its clones have done so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct TransportStats {
    /// Calls to [`crate::Transport::execute`].
    pub requests: u64,
    /// Attempts sent (or tried) over the network.
    pub attempts: u64,
    /// Attempts that were retries.
    pub retries: u64,
    /// `429` responses received.
    pub rate_limited: u64,
    /// Times a request waited for an announced rate-limit reset, or for room in
    /// an announced budget, before being sent.
    pub paced_waits: u64,
    /// Total time spent in those waits.
    pub paced_wait_time: Duration,
    /// Total time spent waiting before retries.
    pub retry_wait_time: Duration,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    requests: AtomicU64,
    attempts: AtomicU64,
    retries: AtomicU64,
    rate_limited: AtomicU64,
    paced_waits: AtomicU64,
    paced_wait_micros: AtomicU64,
    retry_wait_micros: AtomicU64,
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

impl Counters {
    pub(crate) fn request(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn attempt(&self, is_retry: bool) {
        self.attempts.fetch_add(1, Ordering::Relaxed);
        if is_retry {
            self.retries.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(crate) fn rate_limited(&self) {
        self.rate_limited.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn paced(&self, waited: Duration) {
        self.paced_waits.fetch_add(1, Ordering::Relaxed);
        self.paced_wait_micros.fetch_add(micros(waited), Ordering::Relaxed);
    }

    pub(crate) fn retry_wait(&self, waited: Duration) {
        self.retry_wait_micros.fetch_add(micros(waited), Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> TransportStats {
        TransportStats {
            requests: self.requests.load(Ordering::Relaxed),
            attempts: self.attempts.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            rate_limited: self.rate_limited.load(Ordering::Relaxed),
            paced_waits: self.paced_waits.load(Ordering::Relaxed),
            paced_wait_time: Duration::from_micros(self.paced_wait_micros.load(Ordering::Relaxed)),
            retry_wait_time: Duration::from_micros(self.retry_wait_micros.load(Ordering::Relaxed)),
        }
    }
}
