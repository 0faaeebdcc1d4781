//! Parsing of rate-limit response headers.

use std::time::{Duration, SystemTime};

use http::HeaderMap;

/// `X-Ratelimit-Global-Remaining`: requests left in the account-wide window.
pub const GLOBAL_REMAINING: &str = "x-ratelimit-global-remaining";
/// `X-Ratelimit-Route-Remaining`: requests left in this route's window.
pub const ROUTE_REMAINING: &str = "x-ratelimit-route-remaining";
/// `X-Ratelimit-Reset`: when the window resets, in epoch milliseconds.
pub const RESET: &str = "x-ratelimit-reset";
/// `Retry-After`: seconds to wait, or an HTTP date.
pub const RETRY_AFTER: &str = "retry-after";

/// Rate-limit information of one response.
///
/// Parsed from `X-Ratelimit-Global-Remaining`, `X-Ratelimit-Route-Remaining`,
/// `X-Ratelimit-Reset` (epoch milliseconds) and `Retry-After` (seconds or an
/// HTTP date). A header that is absent or does not parse gives `None`; a
/// garbled header never fails a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateLimitInfo {
    /// Requests left in the account-wide window.
    pub global_remaining: Option<u64>,
    /// Requests left in this route's window.
    pub route_remaining: Option<u64>,
    /// When the window resets.
    pub reset: Option<SystemTime>,
    /// How long the server asked the client to wait, measured from `now` as
    /// passed to [`RateLimitInfo::from_headers`]; an HTTP date in the past
    /// gives zero.
    pub retry_after: Option<Duration>,
}

impl RateLimitInfo {
    /// Parses the rate-limit headers of a response received at `now`.
    pub fn from_headers(headers: &HeaderMap, now: SystemTime) -> Self {
        Self {
            global_remaining: header_str(headers, GLOBAL_REMAINING).and_then(parse_count),
            route_remaining: header_str(headers, ROUTE_REMAINING).and_then(parse_count),
            reset: header_str(headers, RESET).and_then(parse_epoch_millis),
            retry_after: header_str(headers, RETRY_AFTER).and_then(|v| parse_retry_after(v, now)),
        }
    }

    /// Whether any rate-limit header was present and understood.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name)?.to_str().ok().map(str::trim)
}

/// Only plain decimal digits count; signs, fractions and spaces are garbage.
fn parse_count(value: &str) -> Option<u64> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

fn parse_epoch_millis(value: &str) -> Option<SystemTime> {
    let millis = parse_count(value)?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_millis(millis))
}

/// `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 section 10.2.3).
fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    if let Some(seconds) = parse_count(value) {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn retry_after_seconds() {
        let info = RateLimitInfo::from_headers(&headers(&[("Retry-After", " 7 ")]), at(100));
        assert_eq!(info.retry_after, Some(Duration::from_secs(7)));
    }

    #[test]
    fn retry_after_http_date() {
        let now = at(1_700_000_000);
        let date = httpdate::fmt_http_date(now + Duration::from_secs(30));
        let info = RateLimitInfo::from_headers(&headers(&[("Retry-After", &date)]), now);
        assert_eq!(info.retry_after, Some(Duration::from_secs(30)));
        // A date in the past means "no wait", not an error.
        let past = httpdate::fmt_http_date(now - Duration::from_secs(30));
        let info = RateLimitInfo::from_headers(&headers(&[("Retry-After", &past)]), now);
        assert_eq!(info.retry_after, Some(Duration::ZERO));
    }

    #[test]
    fn reset_is_epoch_milliseconds() {
        let h = headers(&[
            ("X-Ratelimit-Reset", "1700000000123"),
            ("X-Ratelimit-Route-Remaining", "0"),
            ("X-Ratelimit-Global-Remaining", "42"),
        ]);
        let info = RateLimitInfo::from_headers(&h, at(0));
        assert_eq!(
            info.reset,
            Some(SystemTime::UNIX_EPOCH + Duration::from_millis(1_700_000_000_123))
        );
        assert_eq!(info.route_remaining, Some(0));
        assert_eq!(info.global_remaining, Some(42));
        assert_eq!(info.retry_after, None);
        assert!(!info.is_empty());
    }

    #[test]
    fn garbage_values_are_ignored() {
        for garbage in ["", "soon", "-1", "1.5", "+3", "0x10", "99999999999999999999999", "1 2"] {
            let h = headers(&[
                ("Retry-After", garbage),
                ("X-Ratelimit-Reset", garbage),
                ("X-Ratelimit-Route-Remaining", garbage),
                ("X-Ratelimit-Global-Remaining", garbage),
            ]);
            let info = RateLimitInfo::from_headers(&h, at(0));
            assert_eq!(info, RateLimitInfo::default(), "{garbage:?}");
            assert!(info.is_empty());
        }
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_bytes(b"\xff\xfe").unwrap());
        assert_eq!(RateLimitInfo::from_headers(&h, at(0)).retry_after, None);
    }
}
