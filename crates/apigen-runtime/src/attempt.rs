//! One attempt: send the request, read the head, read the body under a cap,
//! and classify what went wrong in a way the retry logic can act on.

use std::error::Error as StdError;
use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use http::{HeaderMap, StatusCode};
use tokio::time::{Instant, timeout_at};

use crate::error::{RequestError, RequestErrorKind};
use crate::operation::OperationInfo;
use crate::ratelimit::RateLimitInfo;

/// A complete response of one attempt.
pub(crate) struct Exchange {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) rate_limit: RateLimitInfo,
}

/// Whether a failed attempt may have been applied by the server, which is
/// what decides if methods other than the idempotent ones may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FailureClass {
    /// The request never left: a connect failure. Safe to retry for every method.
    NotSent,
    /// The request may have reached the server (closed connection, reset,
    /// incomplete body). Retried only for idempotent methods.
    MaybeApplied,
    /// The attempt timed out after the request may have been sent.
    TimedOut,
    /// Retrying cannot help (body too large, invalid request).
    Final,
}

/// A failed attempt.
pub(crate) struct AttemptFailure {
    pub(crate) error: RequestError,
    pub(crate) class: FailureClass,
}

/// What the attempt needs to know about its limits.
pub(crate) struct AttemptLimits {
    /// When this attempt must be finished, body included.
    pub(crate) deadline: Instant,
    /// Whether `deadline` is the call's total deadline rather than the attempt timeout.
    pub(crate) deadline_is_total: bool,
    /// The timeout that `deadline` came from, for messages.
    pub(crate) timeout: Duration,
    /// The body cap in bytes.
    pub(crate) max_body: usize,
}

impl AttemptLimits {
    fn timeout_detail(&self, phase: &str) -> String {
        let which = if self.deadline_is_total { "total" } else { "attempt" };
        format!("{which} timeout of {:?} elapsed {phase}", self.timeout)
    }
}

/// Sends `request` and reads the whole response within `limits`. `on_head`
/// runs as soon as the status and headers are known, before the body is
/// read, so that pacing learns about a spent window as early as possible.
///
/// One timer covers the whole attempt, head and body: a timer costs a
/// registration with the runtime's timer wheel and a removal, which showed
/// in the cost per request when the head and every body chunk had their own.
pub(crate) async fn run(
    client: &reqwest::Client,
    op: &'static OperationInfo,
    request: reqwest::Request,
    limits: &AttemptLimits,
    on_head: impl FnOnce(StatusCode, &RateLimitInfo),
) -> Result<Exchange, AttemptFailure> {
    let mut progress = Progress::WaitingForHead;
    match timeout_at(
        limits.deadline,
        exchange(client, op, request, limits.max_body, on_head, &mut progress),
    )
    .await
    {
        Ok(outcome) => outcome,
        Err(_elapsed) => {
            let (phase, status) = match progress {
                Progress::WaitingForHead => ("waiting for the response head", None),
                Progress::ReadingBody(status) => ("while reading the response body", Some(status)),
            };
            Err(AttemptFailure {
                error: RequestError::new(op, RequestErrorKind::Timeout, limits.timeout_detail(phase))
                    .with_status(status),
                class: FailureClass::TimedOut,
            })
        }
    }
}

/// How far an attempt got, for the message of a timeout.
#[derive(Debug, Clone, Copy)]
enum Progress {
    WaitingForHead,
    ReadingBody(StatusCode),
}

/// The attempt without its deadline; [`run`] bounds it in time.
async fn exchange(
    client: &reqwest::Client,
    op: &'static OperationInfo,
    request: reqwest::Request,
    limit: usize,
    on_head: impl FnOnce(StatusCode, &RateLimitInfo),
    progress: &mut Progress,
) -> Result<Exchange, AttemptFailure> {
    let mut response = client
        .execute(request)
        .await
        .map_err(|err| classify_send_error(op, err))?;

    let status = response.status();
    *progress = Progress::ReadingBody(status);
    // Taken rather than cloned: only the body is read from `response` below
    // (its length comes from the body, not from the headers).
    let headers = std::mem::take(response.headers_mut());
    let rate_limit = RateLimitInfo::from_headers(&headers, SystemTime::now());
    on_head(status, &rate_limit);

    let too_large = |detail: String| AttemptFailure {
        error: RequestError::new(op, RequestErrorKind::BodyTooLarge, detail).with_status(Some(status)),
        class: FailureClass::Final,
    };
    // A declared length over the cap fails before reading anything.
    if let Some(declared) = response.content_length() {
        if declared > u64::try_from(limit).unwrap_or(u64::MAX) {
            return Err(too_large(format!(
                "Content-Length {declared} exceeds the limit of {limit} bytes"
            )));
        }
    }

    // A body that arrives in one chunk (the usual case for API responses) is
    // kept as that chunk; only a second chunk starts a copy.
    let mut body = Bytes::new();
    let mut joined: Option<BytesMut> = None;
    // Each round consumes a chunk, and the loop ends at the end of the body
    // or at the cap; the caller's deadline ends it otherwise.
    loop {
        let received = joined.as_ref().map_or(body.len(), BytesMut::len);
        match response.chunk().await {
            Err(err) => {
                let detail = format!("after {received} bytes: {}", root_cause(&err));
                return Err(AttemptFailure {
                    error: RequestError::new(op, RequestErrorKind::IncompleteBody, detail)
                        .with_status(Some(status))
                        .with_source(err.without_url()),
                    class: FailureClass::MaybeApplied,
                });
            }
            Ok(None) => break,
            Ok(Some(chunk)) => {
                if received.saturating_add(chunk.len()) > limit {
                    return Err(too_large(format!("the body exceeds the limit of {limit} bytes")));
                }
                match &mut joined {
                    Some(buffer) => buffer.extend_from_slice(&chunk),
                    None if body.is_empty() => body = chunk,
                    None => {
                        let mut buffer = BytesMut::with_capacity(body.len() + chunk.len());
                        buffer.extend_from_slice(&body);
                        buffer.extend_from_slice(&chunk);
                        joined = Some(buffer);
                    }
                }
            }
        }
    }

    Ok(Exchange {
        status,
        headers,
        body: joined.map_or(body, BytesMut::freeze),
        rate_limit,
    })
}

/// Maps an error from sending the request (before any response head).
fn classify_send_error(op: &'static OperationInfo, err: reqwest::Error) -> AttemptFailure {
    let cause = root_cause(&err);
    let (kind, class, detail) = if err.is_connect() && (err.is_timeout() || mentions_timeout(&err)) {
        (
            RequestErrorKind::Timeout,
            FailureClass::NotSent,
            format!("connect timeout: {cause}"),
        )
    } else if err.is_connect() {
        (RequestErrorKind::Connect, FailureClass::NotSent, cause)
    } else if err.is_timeout() {
        (RequestErrorKind::Timeout, FailureClass::TimedOut, cause)
    } else if err.is_builder() {
        (RequestErrorKind::Transport, FailureClass::Final, cause)
    } else if is_closed_connection(&err) {
        (RequestErrorKind::ConnectionClosed, FailureClass::MaybeApplied, cause)
    } else {
        (RequestErrorKind::Transport, FailureClass::MaybeApplied, cause)
    };
    AttemptFailure {
        // The URL is dropped from the source: the operation already says what
        // was called, and a query string may carry user data.
        error: RequestError::new(op, kind, detail).with_source(err.without_url()),
        class,
    }
}

/// The innermost error message, which is the most specific one
/// (e.g. "Connection refused (os error 111)").
fn root_cause(err: &(dyn StdError + 'static)) -> String {
    let mut current = err;
    // The chain is finite in practice; the bound guards against a cyclic `source`.
    for _ in 0..32 {
        match current.source() {
            Some(next) => current = next,
            None => break,
        }
    }
    current.to_string()
}

fn chain<'a>(err: &'a (dyn StdError + 'static)) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(err), |e: &&'a (dyn StdError + 'static)| (*e).source()).take(32)
}

fn mentions_timeout(err: &reqwest::Error) -> bool {
    chain(err).any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
    })
}

/// Whether the connection was closed or reset under the request, as opposed
/// to some other protocol failure.
fn is_closed_connection(err: &reqwest::Error) -> bool {
    chain(err).any(|e| {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::ConnectionAborted
                    | std::io::ErrorKind::BrokenPipe
                    | std::io::ErrorKind::UnexpectedEof
            );
        }
        if let Some(hyper) = e.downcast_ref::<hyper::Error>() {
            return hyper.is_incomplete_message() || hyper.is_closed() || hyper.is_canceled();
        }
        false
    })
}
