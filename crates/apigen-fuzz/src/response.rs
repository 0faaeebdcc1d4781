//! The response target: a status, headers and a body through the
//! LaunchDarkly client's own decoding (`PatchTokenRequest::decode`, the
//! function `send` uses), under both decode policies.
//!
//! The input is one status byte, then header lines (`name: value`) up to an
//! empty line, then the body. Invariants, beyond "no panic":
//! - each status decodes into its own variant: 200 into the token (or a
//!   `Decode` error), each documented error status into its variant, any
//!   other status into `UnexpectedStatus`;
//! - a body that does not decode is kept whole, with the status and headers
//!   (nothing is lost);
//! - what decodes strictly decodes leniently to the same value with no
//!   deviation, lenient decoding reports deviations only where strict
//!   decoding failed, and every deviation names a path and a JSON pointer;
//! - while a body decodes, the heap grows by at most [`heap_budget`] of it
//!   (checked when [`enforce_heap_limit`] was called: the allocator then
//!   refuses more, which aborts the process, a crash the fuzzer reports).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use apigen_runtime::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use apigen_runtime::{DecodePolicy, HttpMethod, OperationInfo, RateLimitInfo, RawResponse, Response, ResponseMeta};
use launchdarkly_api::errors::PatchTokenError;
use launchdarkly_api::operations::PatchTokenRequest;
use launchdarkly_api::types::Token;

use crate::{ALLOCATOR, Violation, ensure};

/// The operation the responses answer.
static PATCH_TOKEN: OperationInfo = OperationInfo {
    id: "patch-token",
    method: HttpMethod::Patch,
    path_template: "/api/v2/tokens/{id}",
};

/// The statuses the first byte picks most of the time: the documented ones
/// of `patch-token` and a few it does not document.
const STATUSES: [u16; 12] = [200, 400, 401, 403, 404, 409, 422, 429, 500, 201, 204, 302];

static HEAP_LIMIT: AtomicBool = AtomicBool::new(false);

/// Makes every later decode run under the heap limit. Only for a process
/// that decodes one body at a time: the limit is on the whole heap.
pub fn enforce_heap_limit() {
    HEAP_LIMIT.store(true, Ordering::Relaxed);
}

/// How much the heap may grow while a body of `len` bytes decodes: the
/// lenient repair may hold the body as a `serde_json::Value` (a few words
/// per byte at worst, for `[0,0,0,...]`) and a copy of it.
pub fn heap_budget(len: usize) -> usize {
    len.saturating_mul(64).saturating_add(1 << 20)
}

/// Runs one input and checks the invariants of this module.
pub fn run(data: &[u8]) -> Result<(), Violation> {
    let Some((&selector, rest)) = data.split_first() else {
        return Ok(());
    };
    let status = status_of(selector);
    let (head, body) = split_head(rest);
    let headers = headers_of(head);
    check_rate_limit(&headers)?;
    let strict = decode(status, &headers, body, DecodePolicy::Strict)?;
    let lenient = decode(status, &headers, body, DecodePolicy::Lenient)?;
    for (result, policy) in [(&strict, "strict"), (&lenient, "lenient")] {
        check_variant(status, result, policy)?;
        check_nothing_lost(status, &headers, body, result, policy)?;
    }
    match (&strict, &lenient) {
        (Ok(strict), Ok(lenient)) => {
            ensure(strict.body() == lenient.body(), || {
                format!(
                    "strict and lenient decoding disagree: {:?} and {:?}",
                    strict.body(),
                    lenient.body()
                )
            })?;
            ensure(lenient.deviations().is_empty(), || {
                format!(
                    "a body that decodes strictly got deviations: {:?}",
                    lenient.deviations()
                )
            })
        }
        (Ok(strict), Err(error)) => Err(Violation(format!(
            "decodes strictly ({:?}) but not leniently: {error}",
            strict.body()
        ))),
        (Err(_), Ok(lenient)) => {
            ensure(!lenient.deviations().is_empty(), || {
                "lenient decoding accepted a body strict decoding refused, without a deviation".into()
            })?;
            for deviation in lenient.deviations() {
                let pointer = deviation.pointer();
                ensure(!deviation.path().is_empty(), || {
                    format!("a deviation without a path: {deviation:?}")
                })?;
                ensure(pointer.is_empty() || pointer.starts_with('/'), || {
                    format!("a deviation's pointer `{pointer}` is not a JSON pointer")
                })?;
            }
            Ok(())
        }
        (Err(_), Err(_)) => Ok(()),
    }
}

fn status_of(selector: u8) -> StatusCode {
    let code = match STATUSES.get(usize::from(selector % 32)) {
        Some(&code) => code,
        None => 100 + u16::from(selector) * 2,
    };
    StatusCode::from_u16(code).unwrap_or(StatusCode::OK)
}

/// Splits at the first empty line; without one, everything is the head.
fn split_head(data: &[u8]) -> (&[u8], &[u8]) {
    match data.windows(2).position(|pair| pair == b"\n\n") {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &[]),
    }
}

/// The header lines that make a valid header; the others are left out, as
/// an HTTP library would refuse them before the client sees them.
fn headers_of(head: &[u8]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for line in head.split(|&byte| byte == b'\n') {
        let Some(colon) = line.iter().position(|&byte| byte == b':') else {
            continue;
        };
        let name = HeaderName::from_bytes(&line[..colon]);
        let value = HeaderValue::from_bytes(line[colon + 1..].trim_ascii());
        if let (Ok(name), Ok(value)) = (name, value) {
            headers.append(name, value);
        }
    }
    headers
}

type Decoded = Result<Response<Token>, PatchTokenError>;

/// When every response is received: a fixed time, so that an input always
/// runs the same way (`Retry-After` dates are read relative to it).
fn received_at() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

/// A `Retry-After` of plain digits is that many seconds, and an HTTP date
/// is the time from the response to it (zero when it has passed).
fn check_rate_limit(headers: &HeaderMap) -> Result<(), Violation> {
    let info = RateLimitInfo::from_headers(headers, received_at());
    let Some(value) = headers
        .get("retry-after")
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
    else {
        return ensure(info.retry_after.is_none(), || {
            format!("a wait without a Retry-After: {info:?}")
        });
    };
    let expected = if !value.is_empty() && value.bytes().all(|byte| byte.is_ascii_digit()) {
        value.parse().ok().map(Duration::from_secs)
    } else {
        httpdate::parse_http_date(value)
            .ok()
            .map(|date| date.duration_since(received_at()).unwrap_or(Duration::ZERO))
    };
    ensure(info.retry_after == expected, || {
        format!("Retry-After `{value}` read as {:?}, not {expected:?}", info.retry_after)
    })
}

fn decode(status: StatusCode, headers: &HeaderMap, body: &[u8], policy: DecodePolicy) -> Result<Decoded, Violation> {
    let rate_limit = RateLimitInfo::from_headers(headers, received_at());
    let meta = ResponseMeta::new(&PATCH_TOKEN, status, headers.clone(), rate_limit, 1).with_decode_policy(policy);
    let raw = RawResponse::new(meta, apigen_runtime::bytes::Bytes::copy_from_slice(body));
    let limited = HEAP_LIMIT.load(Ordering::Relaxed);
    if limited {
        let limit = ALLOCATOR.allocated().saturating_add(heap_budget(body.len()));
        ALLOCATOR
            .set_limit(limit)
            .map_err(|()| Violation("the heap is already above its limit".into()))?;
    }
    let decoded = PatchTokenRequest::decode(raw);
    if limited {
        ALLOCATOR
            .set_limit(usize::MAX)
            .map_err(|()| Violation("the heap limit could not be lifted".into()))?;
    }
    Ok(decoded)
}

/// The variant each status must decode into.
fn check_variant(status: StatusCode, result: &Decoded, policy: &str) -> Result<(), Violation> {
    use PatchTokenError as E;
    let fits = match (status.as_u16(), result) {
        (_, Err(E::Decode(_))) => matches!(status.as_u16(), 200 | 400 | 401 | 403 | 404 | 409 | 422 | 429),
        (200, Ok(_)) => true,
        (400, Err(E::BadRequest(_)))
        | (401, Err(E::Unauthorized(_)))
        | (403, Err(E::Forbidden(_)))
        | (404, Err(E::NotFound(_)))
        | (409, Err(E::Conflict(_)))
        | (422, Err(E::UnprocessableEntity(_)))
        | (429, Err(E::TooManyRequests(_))) => true,
        (200 | 400 | 401 | 403 | 404 | 409 | 422 | 429, _) => false,
        (_, Err(E::UnexpectedStatus(_))) => true,
        _ => false,
    };
    ensure(fits, || {
        format!("status {status} decoded ({policy}) into {}", describe(result))
    })
}

/// A body that did not decode, or came with an undocumented status, is kept
/// whole with the status and headers.
fn check_nothing_lost(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    result: &Decoded,
    policy: &str,
) -> Result<(), Violation> {
    let kept = match result {
        Err(PatchTokenError::Decode(error)) => Some((error.status(), error.headers(), error.body())),
        Err(PatchTokenError::UnexpectedStatus(error)) => Some((error.status(), error.headers(), error.body())),
        _ => None,
    };
    if let Some((kept_status, kept_headers, kept_body)) = kept {
        ensure(
            kept_status == status && kept_headers == headers && kept_body.as_ref() == body,
            || format!("{} ({policy}) did not keep the response whole", describe(result)),
        )?;
    }
    Ok(())
}

fn describe(result: &Decoded) -> String {
    match result {
        Ok(response) => format!("a token ({:?})", response.body()),
        Err(error) => format!("{error:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_input_splits_into_status_headers_and_body() {
        assert_eq!(status_of(0), StatusCode::OK);
        assert_eq!(status_of(7), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(status_of(32), StatusCode::OK);
        assert_eq!(status_of(20).as_u16(), 140);
        let (head, body) = split_head(b"content-type: application/json\nbad header\n\n{\"a\":1}\n\nmore");
        assert_eq!(body, b"{\"a\":1}\n\nmore");
        let headers = headers_of(head);
        assert_eq!(headers.len(), 1);
        assert_eq!(headers["content-type"], "application/json");
        assert_eq!(split_head(b"no body"), (&b"no body"[..], &b""[..]));
    }

    #[test]
    fn a_token_with_a_null_item_decodes_leniently_with_its_deviation() {
        let body = br#"{"_id":"1","ownerId":"o","memberId":"m","creationDate":1,"lastModified":2,"_links":{},"customRoleIds":["a",null]}"#;
        let headers = headers_of(b"content-type: application/json");
        let strict = decode(StatusCode::OK, &headers, body, DecodePolicy::Strict).unwrap();
        let lenient = decode(StatusCode::OK, &headers, body, DecodePolicy::Lenient).unwrap();
        assert!(matches!(strict, Err(PatchTokenError::Decode(_))));
        let token = lenient.unwrap();
        assert_eq!(token.body().custom_role_ids.as_deref(), Some(&["a".to_owned()][..]));
        assert_eq!(token.deviations().len(), 1);
        let input = [&[0u8][..], b"content-type: application/json\n\n", body].concat();
        assert_eq!(run(&input), Ok(()));
    }
}
