//! Client-side pacing: holding requests back until an announced
//! rate-limit window has reset, and capping the requests in flight to the
//! budget the server last announced, instead of provoking a 429.
//!
//! Two rules work together. A scope whose window is spent (`Remaining: 0`)
//! is blocked until the announced reset. A scope with an announced budget
//! (`Remaining: n`) admits at most `n` requests in flight at once; each
//! request holds a [`Permit`] until its response head arrives (or the
//! attempt ends in any other way, cancellation included), and the response
//! then announces the next budget. When the window turns over, the budget
//! is assumed to be the largest one seen in the previous window, so that the
//! new window does not open with a burst the server would answer with 429s.
//!
//! Requests sent on a scope before it announced any budget are counted too:
//! the server counts them, and until they are answered they count against
//! the budget the scope announces later. A fresh client's first
//! announcement names the budget left after one request, while the others
//! sent with it are still on their way; admitting that many more again
//! would overshoot the window by as many requests as were in flight.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use http::StatusCode;
use tokio::sync::{Notify, futures::Notified};

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

/// The announced budget of one scope and the requests currently spending it.
#[derive(Debug)]
struct Budget {
    /// Requests the server said it would still admit in the window.
    remaining: u64,
    /// The reset the announcement named; it identifies the window, so that a
    /// late response from an older window cannot raise the budget again.
    window: Option<SystemTime>,
    /// When the announcement stops applying; afterwards the window is assumed
    /// to have turned over and `window_size` is the budget.
    expires: Instant,
    /// The most requests the current window was seen to allow (the largest
    /// `remaining` announced in it, plus the request that carried it).
    window_size: u64,
    /// Requests of this scope sent with a permit and not yet answered.
    in_flight: u64,
}

impl Budget {
    fn allowed(&self, now: Instant) -> u64 {
        if now >= self.expires {
            self.window_size
        } else {
            self.remaining
        }
    }

    /// Whether one more request fits, with `early` requests of the scope in
    /// flight that were sent before it announced anything. One request is
    /// always admitted when none of the scope is in flight: the cap alone
    /// never stops a scope for good, and that request's response brings the
    /// next announcement.
    fn has_room(&self, now: Instant, early: u64) -> bool {
        self.in_flight.saturating_add(early) < self.allowed(now).max(1)
    }

    /// Records an announcement of `remaining` for the window ending at `window`.
    fn announce(&mut self, remaining: u64, window: Option<SystemTime>, expires: Instant) {
        let size = remaining.saturating_add(1);
        match (window, self.window) {
            // A response from an older window says nothing about the current one.
            (Some(new), Some(current)) if new < current => {}
            // Within one window the budget only shrinks, whatever order the
            // responses arrive in.
            (Some(new), Some(current)) if new == current => {
                self.remaining = self.remaining.min(remaining);
                self.window_size = self.window_size.max(size);
                self.expires = self.expires.max(expires);
            }
            // A newer window, or no window named at all: the latest word counts.
            _ => {
                self.remaining = remaining;
                self.window = window;
                self.expires = expires;
                self.window_size = if window.is_some() {
                    size
                } else {
                    self.window_size.max(size)
                };
            }
        }
    }
}

#[derive(Debug, Default)]
struct State {
    /// For each spent scope, the instant before which no request on it should be sent.
    blocked: HashMap<Scope, Instant>,
    /// For each scope that announced a budget, that budget. Entries are kept
    /// (their window size is what the next window starts with); the map is
    /// bounded by the number of operations, whose path templates are static.
    budgets: HashMap<Scope, Budget>,
    /// For each scope, the requests in flight that were sent before it had
    /// a budget; they count against the budget it announces later. An entry
    /// goes when its count reaches zero, so the map holds only scopes with
    /// such requests in flight.
    early: HashMap<Scope, u64>,
}

impl State {
    fn early(&self, scope: &Scope) -> u64 {
        self.early.get(scope).copied().unwrap_or(0)
    }
}

/// Shared pacing state. Clones of a transport share one `Pacer`.
#[derive(Debug)]
pub(crate) struct Pacer {
    state: Mutex<State>,
    /// Woken whenever a permit is released or a budget is announced.
    room: Notify,
    /// Whether in-flight requests are capped to the announced budget.
    cap: bool,
}

/// What [`Pacer::admit`] decided.
#[derive(Debug)]
pub(crate) enum Admission<'a> {
    /// Send now, holding this permit until the response head arrives.
    Go(Permit<'a>),
    /// A spent window blocks the request until this instant.
    Blocked(Instant),
    /// The announced budget is in flight; wait for a permit to be released
    /// or for a budget to be announced, but no later than this instant (when
    /// the announcement expires), if any.
    Full(Option<Instant>),
}

/// Which count of a scope a request holds a place in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// The scope's announced budget (`Budget::in_flight`).
    Budget,
    /// The scope had no budget when the request was sent (`State::early`).
    Early,
}

/// A request's place in the counts of its scopes. Dropping it (after the
/// response head, or when the attempt fails or is cancelled) frees the
/// place.
#[derive(Debug)]
pub(crate) struct Permit<'a> {
    pacer: &'a Pacer,
    places: [Option<(Scope, Place)>; 2],
}

impl Permit<'_> {
    /// A permit that holds no place, for requests sent without pacing.
    pub(crate) fn none(pacer: &Pacer) -> Permit<'_> {
        Permit {
            pacer,
            places: [None, None],
        }
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if self.places.iter().all(Option::is_none) {
            return;
        }
        let budgeted = {
            let mut state = self.pacer.lock();
            for &(scope, place) in self.places.iter().flatten() {
                match place {
                    Place::Budget => {
                        if let Some(budget) = state.budgets.get_mut(&scope) {
                            budget.in_flight = budget.in_flight.saturating_sub(1);
                        }
                    }
                    Place::Early => {
                        if let Entry::Occupied(mut count) = state.early.entry(scope) {
                            *count.get_mut() = count.get().saturating_sub(1);
                            if *count.get() == 0 {
                                count.remove();
                            }
                        }
                    }
                }
            }
            !state.budgets.is_empty()
        };
        // Without any budget nobody waits for room.
        if budgeted {
            self.pacer.room.notify_waiters();
        }
    }
}

impl Default for Pacer {
    fn default() -> Self {
        Self::new(true)
    }
}

impl Pacer {
    /// A pacer; `cap` decides whether in-flight requests are capped to the
    /// announced budget (spent windows are honoured either way).
    pub(crate) fn new(cap: bool) -> Self {
        Self {
            state: Mutex::new(State::default()),
            room: Notify::new(),
            cap,
        }
    }

    /// A future that completes at the next release or announcement. Create
    /// and `enable` it before calling [`Pacer::admit`], so that a release
    /// between the two is not missed.
    pub(crate) fn room_changed(&self) -> Notified<'_> {
        self.room.notified()
    }

    /// Decides whether a request of `op` may be sent at `now`.
    pub(crate) fn admit(&self, op: &OperationInfo, now: Instant) -> Admission<'_> {
        let mut state = self.lock();
        // Expired entries are dropped here so that the map stays as small as
        // the set of currently limited scopes.
        state.blocked.retain(|_, until| *until > now);
        let scopes = [Scope::Global, Scope::route(op)];
        let ready = scopes.iter().filter_map(|s| state.blocked.get(s).copied()).max();
        if let Some(ready) = ready {
            return Admission::Blocked(ready);
        }
        if !self.cap {
            return Admission::Go(Permit::none(self));
        }
        let mut full = false;
        let mut recheck: Option<Instant> = None;
        for (scope, budget) in scopes.iter().filter_map(|s| Some((s, state.budgets.get(s)?))) {
            if !budget.has_room(now, state.early(scope)) {
                full = true;
                // Only an announcement that has not expired yet can change
                // by itself; an expired one already allows `window_size`.
                if budget.expires > now {
                    recheck = Some(recheck.map_or(budget.expires, |r| r.min(budget.expires)));
                }
            }
        }
        if full {
            return Admission::Full(recheck);
        }
        // Counted under the lock, so that an announcement cannot slip in
        // between the check and the count.
        let mut places = [None, None];
        for (slot, scope) in places.iter_mut().zip(scopes) {
            let place = match state.budgets.get_mut(&scope) {
                Some(budget) => {
                    budget.in_flight += 1;
                    Place::Budget
                }
                None => {
                    *state.early.entry(scope).or_insert(0) += 1;
                    Place::Early
                }
            };
            *slot = Some((scope, place));
        }
        Admission::Go(Permit { pacer: self, places })
    }

    /// The instant the next request of `op` may be sent, if it lies after `now`.
    #[cfg(test)]
    pub(crate) fn ready_at(&self, op: &OperationInfo, now: Instant) -> Option<Instant> {
        match self.admit(op, now) {
            Admission::Blocked(ready) => Some(ready),
            Admission::Go(_) | Admission::Full(_) => None,
        }
    }

    /// Records what a response of `op` announced.
    ///
    /// A scope whose remaining count is zero is blocked until the announced
    /// reset plus `margin` (the margin absorbs clock granularity so that the
    /// next request arrives after the server's window has turned over). A
    /// 429 without such a hint blocks the global scope, because an IP-based
    /// limit applies to every request. No block lasts longer than `max_wait`
    /// past `now`, so a garbled or far-future reset cannot stall the client.
    /// Every announced count also becomes the scope's in-flight budget.
    pub(crate) fn observe(&self, op: &OperationInfo, status: StatusCode, info: &RateLimitInfo, pacing: &PacingClock) {
        let announced = [
            (Scope::Global, info.global_remaining),
            (Scope::route(op), info.route_remaining),
        ];
        let spent: Vec<Scope> = if announced.iter().any(|(_, r)| *r == Some(0)) {
            announced
                .iter()
                .filter(|(_, r)| *r == Some(0))
                .map(|(s, _)| *s)
                .collect()
        } else if status == StatusCode::TOO_MANY_REQUESTS {
            vec![Scope::Global]
        } else {
            Vec::new()
        };
        let budgeted = self.cap && announced.iter().any(|(_, r)| r.is_some());
        if spent.is_empty() && !budgeted {
            return;
        }
        // Without a reset, an announcement holds for at most `max_wait`;
        // the next response normally replaces it much sooner.
        let wait = wait_until_reset(info, pacing.now_system);
        let until = pacing.now + wait.unwrap_or(pacing.max_wait).min(pacing.max_wait) + pacing.margin;
        {
            let mut state = self.lock();
            if wait.is_some() {
                for scope in spent {
                    let entry = state.blocked.entry(scope).or_insert(until);
                    if *entry < until {
                        *entry = until;
                    }
                }
            }
            if budgeted {
                for (scope, remaining) in announced {
                    let Some(remaining) = remaining else { continue };
                    state
                        .budgets
                        .entry(scope)
                        .or_insert(Budget {
                            remaining,
                            window: None,
                            expires: until,
                            window_size: 0,
                            in_flight: 0,
                        })
                        .announce(remaining, info.reset, until);
                }
            }
        }
        if budgeted {
            self.room.notify_waiters();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The maps hold plain counts and instants, and every update leaves
        // them consistent, so recovering from poisoning is safe.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
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

    fn budget(c: &PacingClock, route: u64, reset_ms: u64) -> RateLimitInfo {
        RateLimitInfo {
            route_remaining: Some(route),
            reset: Some(c.now_system + Duration::from_millis(reset_ms)),
            ..RateLimitInfo::default()
        }
    }

    fn go<'a>(pacer: &'a Pacer, op: &OperationInfo, now: Instant) -> Permit<'a> {
        match pacer.admit(op, now) {
            Admission::Go(permit) => permit,
            other => panic!("expected a permit, got {other:?}"),
        }
    }

    fn in_flight(pacer: &Pacer, scope: Scope) -> Option<u64> {
        pacer.lock().budgets.get(&scope).map(|b| b.in_flight)
    }

    #[test]
    fn without_announcements_nothing_is_tracked() {
        let pacer = Pacer::default();
        let c = clock();
        let permits: Vec<_> = (0..100).map(|_| go(&pacer, &OP, c.now)).collect();
        assert!(permits.iter().all(|p| p.places
            == [
                Some((Scope::Global, Place::Early)),
                Some((Scope::route(&OP), Place::Early))
            ]));
        assert_eq!(pacer.lock().early(&Scope::route(&OP)), 100);
        // A response without rate-limit headers leaves the state empty.
        pacer.observe(&OP, StatusCode::OK, &RateLimitInfo::default(), &c);
        drop(permits);
        let state = pacer.lock();
        assert!(state.budgets.is_empty() && state.blocked.is_empty() && state.early.is_empty());
    }

    #[test]
    fn announced_budget_caps_requests_in_flight() {
        let pacer = Pacer::default();
        let c = clock();
        pacer.observe(&OP, StatusCode::OK, &budget(&c, 3, 1000), &c);
        let first: Vec<_> = (0..3).map(|_| go(&pacer, &OP, c.now)).collect();
        assert_eq!(in_flight(&pacer, Scope::route(&OP)), Some(3));
        let expires = c.now + Duration::from_millis(1010);
        assert!(matches!(pacer.admit(&OP, c.now), Admission::Full(Some(at)) if at == expires));
        // Another route has its own budget.
        drop(go(&pacer, &OTHER, c.now));
        // A released permit frees one place.
        drop(first);
        assert_eq!(in_flight(&pacer, Scope::route(&OP)), Some(0));
        let _again = go(&pacer, &OP, c.now);
        assert_eq!(in_flight(&pacer, Scope::route(&OP)), Some(1));
    }

    #[tokio::test]
    async fn requests_sent_before_an_announcement_count_against_it() {
        let pacer = Pacer::default();
        let c = clock();
        // A fresh client sends five requests at once; nothing is known yet.
        let early: Vec<_> = (0..5).map(|_| go(&pacer, &OP, c.now)).collect();
        assert_eq!(pacer.lock().early(&Scope::route(&OP)), 5);
        // The first answer says four are left in a window of five: the four
        // others already on their way will spend them.
        pacer.observe(&OP, StatusCode::OK, &budget(&c, 4, 1000), &c);
        assert!(matches!(pacer.admit(&OP, c.now), Admission::Full(_)));
        // Another route's budget is its own: the early requests were not
        // sent on it.
        pacer.observe(&OTHER, StatusCode::OK, &budget(&c, 0, 0), &c);
        let other = go(&pacer, &OTHER, c.now + Duration::from_millis(20));
        drop(other);
        // Releasing an early request wakes a waiter and frees a place.
        let room = pacer.room_changed();
        tokio::pin!(room);
        room.as_mut().enable();
        let mut early = early;
        early.truncate(3);
        tokio::time::timeout(Duration::from_secs(5), room).await.unwrap();
        assert_eq!(pacer.lock().early(&Scope::route(&OP)), 3);
        let one = go(&pacer, &OP, c.now);
        assert!(matches!(pacer.admit(&OP, c.now), Admission::Full(_)));
        drop((early, one));
        assert!(pacer.lock().early.is_empty());
        // Requests sent with the budget known hold a place in it.
        let budgeted = go(&pacer, &OP, c.now);
        assert_eq!(budgeted.places[1], Some((Scope::route(&OP), Place::Budget)));
        assert_eq!(in_flight(&pacer, Scope::route(&OP)), Some(1));
    }

    #[test]
    fn a_global_budget_counts_early_requests_of_every_route() {
        let pacer = Pacer::default();
        let c = clock();
        let early = [go(&pacer, &OP, c.now), go(&pacer, &OTHER, c.now)];
        // The account has one request left in its window: the two in flight
        // will spend it, whichever route they were sent on.
        let info = RateLimitInfo {
            global_remaining: Some(1),
            reset: Some(c.now_system + Duration::from_millis(1000)),
            ..RateLimitInfo::default()
        };
        pacer.observe(&OP, StatusCode::OK, &info, &c);
        assert!(matches!(pacer.admit(&OTHER, c.now), Admission::Full(_)));
        drop(early);
        drop(go(&pacer, &OTHER, c.now));
    }

    #[test]
    fn budget_only_shrinks_within_a_window_and_late_answers_are_ignored() {
        let pacer = Pacer::default();
        let c = clock();
        pacer.observe(&OP, StatusCode::OK, &budget(&c, 2, 500), &c);
        // A response that the server answered earlier but that arrives later.
        pacer.observe(&OP, StatusCode::OK, &budget(&c, 5, 500), &c);
        let held: Vec<_> = (0..2).map(|_| go(&pacer, &OP, c.now)).collect();
        assert!(matches!(pacer.admit(&OP, c.now), Admission::Full(_)));
        // A response from the window before says nothing about this one.
        pacer.observe(&OP, StatusCode::OK, &budget(&c, 9, 100), &c);
        assert!(matches!(pacer.admit(&OP, c.now), Admission::Full(_)));
        // The next window's announcement replaces the budget.
        pacer.observe(&OP, StatusCode::OK, &budget(&c, 4, 900), &c);
        let more: Vec<_> = (0..2).map(|_| go(&pacer, &OP, c.now)).collect();
        assert!(matches!(pacer.admit(&OP, c.now), Admission::Full(_)));
        drop((held, more));
    }

    #[test]
    fn a_new_window_starts_with_the_size_of_the_last_one() {
        let pacer = Pacer::default();
        let c = clock();
        // The first answer of a window of 5 said 4 were left; a later one, 1.
        pacer.observe(&OP, StatusCode::OK, &budget(&c, 4, 200), &c);
        pacer.observe(&OP, StatusCode::OK, &budget(&c, 1, 200), &c);
        let _one = go(&pacer, &OP, c.now);
        assert!(matches!(pacer.admit(&OP, c.now), Admission::Full(_)));
        // After the reset (plus margin) the window is assumed to admit 5
        // again, counting the request still in flight.
        let later = c.now + Duration::from_millis(211);
        let next: Vec<_> = (0..4).map(|_| go(&pacer, &OP, later)).collect();
        assert!(matches!(pacer.admit(&OP, later), Admission::Full(None)));
        drop(next);
    }

    #[test]
    fn one_request_is_always_admitted_when_none_is_in_flight() {
        let pacer = Pacer::default();
        let c = clock();
        // A spent budget without any reset cannot block (nothing says for how
        // long), but it lets only one request through at a time.
        let info = RateLimitInfo {
            global_remaining: Some(0),
            ..RateLimitInfo::default()
        };
        pacer.observe(&OP, StatusCode::OK, &info, &c);
        assert_eq!(pacer.ready_at(&OP, c.now), None);
        let probe = go(&pacer, &OTHER, c.now);
        assert_eq!(
            probe.places,
            [
                Some((Scope::Global, Place::Budget)),
                Some((Scope::route(&OTHER), Place::Early))
            ]
        );
        assert!(matches!(pacer.admit(&OP, c.now), Admission::Full(Some(_))));
        drop(probe);
        drop(go(&pacer, &OP, c.now));
    }

    #[test]
    fn far_future_reset_is_clamped_for_the_budget_too() {
        let pacer = Pacer::default();
        let c = PacingClock::new(Duration::ZERO, Duration::from_secs(2));
        pacer.observe(&OP, StatusCode::OK, &budget(&c, 1, 86_400_000), &c);
        let _held = go(&pacer, &OP, c.now);
        assert!(matches!(pacer.admit(&OP, c.now), Admission::Full(Some(at)) if at == c.now + Duration::from_secs(2)));
    }

    #[test]
    fn cap_off_tracks_no_budget() {
        let pacer = Pacer::new(false);
        let c = clock();
        pacer.observe(&OP, StatusCode::OK, &budget(&c, 1, 1000), &c);
        let held: Vec<_> = (0..10).map(|_| go(&pacer, &OP, c.now)).collect();
        assert!(pacer.lock().budgets.is_empty());
        drop(held);
        // Spent windows are still honoured.
        pacer.observe(&OP, StatusCode::OK, &budget(&c, 0, 1000), &c);
        assert!(pacer.ready_at(&OP, c.now).is_some());
    }

    #[tokio::test]
    async fn a_cancelled_request_releases_its_place_and_wakes_a_waiter() {
        let pacer = std::sync::Arc::new(Pacer::default());
        let c = clock();
        pacer.observe(&OP, StatusCode::OK, &budget(&c, 1, 10_000), &c);
        let (started_tx, started_rx) = tokio::sync::oneshot::channel::<()>();
        let holder = {
            let pacer = pacer.clone();
            tokio::spawn(async move {
                let _permit = go(&pacer, &OP, Instant::now());
                let _ = started_tx.send(());
                // Never finishes by itself: only the abort below ends it.
                std::future::pending::<()>().await;
            })
        };
        started_rx.await.unwrap();
        let room = pacer.room_changed();
        tokio::pin!(room);
        room.as_mut().enable();
        assert!(matches!(pacer.admit(&OP, Instant::now()), Admission::Full(_)));
        holder.abort();
        assert!(holder.await.unwrap_err().is_cancelled());
        tokio::time::timeout(Duration::from_secs(5), room).await.unwrap();
        drop(go(&pacer, &OP, Instant::now()));
    }
}
