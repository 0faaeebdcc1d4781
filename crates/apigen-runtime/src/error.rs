//! Typed errors. Every `Display` names the operation (id, method, path
//! template) and the HTTP status where there is one; none contains the
//! credential, and none contains a response body (bodies are available
//! through `body()` and `body_excerpt()` for whoever decides to read or log
//! them).
//!
//! An error that follows a complete response keeps that response whole:
//! status, headers and every body byte (bodies are already bounded by
//! [`crate::ClientConfig::max_response_bytes`]), so that a body the spec
//! does not describe can still be read, logged or decoded into another type.

use std::error::Error as StdError;
use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::operation::OperationInfo;
use crate::ratelimit::RateLimitInfo;
use crate::response::{RawResponse, Response, ResponseMeta};

/// The longest body excerpt kept in an error, in bytes of the original body.
pub const EXCERPT_LIMIT: usize = 1024;

/// What went wrong before a complete response was available.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RequestErrorKind {
    /// No connection could be made (refused, DNS, TLS, connect timeout); the
    /// request was not sent.
    Connect,
    /// The connect, attempt or total timeout elapsed.
    Timeout,
    /// The connection was closed or reset before a complete response head
    /// arrived; the server may or may not have processed the request.
    ConnectionClosed,
    /// The connection was closed while the body was being read.
    IncompleteBody,
    /// The body exceeded [`crate::ClientConfig::max_response_bytes`].
    BodyTooLarge,
    /// A rate-limit window announced as spent resets later than the call's
    /// remaining time budget allows waiting; the request was not sent.
    RateLimited,
    /// A header name or value is not valid HTTP.
    InvalidHeader,
    /// The path could not be sent safely (an empty or dot-only parameter
    /// that URL normalisation would turn into another resource).
    InvalidPath,
    /// The request body could not be serialised.
    Encode,
    /// The operation requires credentials that are not configured; nothing was sent.
    MissingCredential,
    /// A configured credential could not be put on the request (a token
    /// source failed, or a value is not valid in a header); nothing was sent.
    Credential,
    /// Any other failure of the HTTP stack.
    Transport,
}

impl fmt::Display for RequestErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "could not connect",
            Self::Timeout => "timed out",
            Self::ConnectionClosed => "connection closed before the response was complete",
            Self::IncompleteBody => "connection closed while reading the response body",
            Self::BodyTooLarge => "response body too large",
            Self::RateLimited => "rate limit window spent beyond the time budget",
            Self::InvalidHeader => "invalid header",
            Self::InvalidPath => "invalid path",
            Self::Encode => "could not encode the request body",
            Self::MissingCredential => "missing credential",
            Self::Credential => "credential not usable",
            Self::Transport => "transport error",
        })
    }
}

/// Failure before a complete response was available: connect, timeout,
/// reset, body too large, invalid header, encode.
#[derive(Debug)]
pub struct RequestError {
    operation: &'static OperationInfo,
    kind: RequestErrorKind,
    status: Option<StatusCode>,
    attempts: u32,
    detail: String,
    /// The URL called, with API keys in the query replaced by `<redacted>`.
    url: Option<String>,
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

impl RequestError {
    /// Creates an error of `kind` for `operation`, with a human-readable detail.
    pub fn new(operation: &'static OperationInfo, kind: RequestErrorKind, detail: impl Into<String>) -> Self {
        Self {
            operation,
            kind,
            status: None,
            attempts: 0,
            detail: detail.into(),
            url: None,
            source: None,
        }
    }

    pub(crate) fn with_url(mut self, url: &str) -> Self {
        self.url = Some(url.to_owned());
        self
    }

    /// The URL that was called, when it was built, with API keys sent in the
    /// query replaced by `<redacted>`.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    pub(crate) fn with_status(mut self, status: Option<StatusCode>) -> Self {
        self.status = status;
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    pub(crate) fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// The operation that failed.
    pub fn operation(&self) -> &'static OperationInfo {
        self.operation
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> RequestErrorKind {
        self.kind
    }

    /// The status of the response whose body failed, if the head had arrived.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// How many attempts were made (0 when the request was never sent).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether a connect, attempt or total timeout elapsed.
    pub fn is_timeout(&self) -> bool {
        self.kind == RequestErrorKind::Timeout
    }

    /// Whether no connection could be made.
    pub fn is_connect(&self) -> bool {
        self.kind == RequestErrorKind::Connect
    }

    /// Whether the response body exceeded the configured cap.
    pub fn is_body_too_large(&self) -> bool {
        self.kind == RequestErrorKind::BodyTooLarge
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: {}", self.operation, self.kind)?;
        if let Some(status) = self.status {
            write!(f, " (status {status})")?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl StdError for RequestError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.as_deref().map(|source| source as &(dyn StdError + 'static))
    }
}

/// A status the OpenAPI document does not declare for the operation, with
/// the whole response: status, headers and body.
#[derive(Clone, thiserror::Error)]
#[error("{} returned undocumented status {}", .meta.operation(), .meta.status())]
pub struct UnexpectedStatus {
    // Boxed so that results carrying this error stay small.
    meta: Box<ResponseMeta>,
    body: Bytes,
    excerpt: String,
}

impl UnexpectedStatus {
    pub(crate) fn new(meta: ResponseMeta, body: Bytes) -> Self {
        Self {
            excerpt: excerpt(&body),
            meta: Box::new(meta),
            body,
        }
    }

    /// Status, headers and bookkeeping.
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.meta.status()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.meta.headers()
    }

    /// The whole body, as received.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The start of the body (at most 1 KiB, lossy UTF-8).
    pub fn body_excerpt(&self) -> &str {
        &self.excerpt
    }

    /// Decodes the body as JSON into a type of the caller's choosing, such
    /// as `serde_json::Value` (see [`RawResponse::json`]).
    pub fn json<T: DeserializeOwned>(&self) -> Result<Response<T>, DecodeError> {
        self.to_raw().json()
    }

    /// The response as it arrived.
    pub fn into_raw(self) -> RawResponse {
        RawResponse::new(*self.meta, self.body)
    }

    fn to_raw(&self) -> RawResponse {
        RawResponse::new((*self.meta).clone(), self.body.clone())
    }
}

impl fmt::Debug for UnexpectedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The excerpt, not the whole body: a body can be megabytes.
        f.debug_struct("UnexpectedStatus")
            .field("meta", &self.meta)
            .field("body_len", &self.body.len())
            .field("excerpt", &self.excerpt)
            .finish()
    }
}

/// Why a body did not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The body was empty where content was expected.
    EmptyBody,
    /// The `Content-Type` is not the expected one (`None`: header absent).
    ContentType {
        /// The content type received.
        found: Option<String>,
        /// What was expected, e.g. `application/json`.
        expected: &'static str,
    },
    /// The body is not valid JSON or does not have the expected shape.
    Json {
        /// Where in the document decoding failed, e.g. `items[3].name` (`.` for the root).
        path: String,
        /// The parser's message.
        message: String,
    },
    /// A text body is not valid UTF-8.
    NotUtf8,
}

impl fmt::Display for DecodeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyBody => f.write_str("the body is empty"),
            Self::ContentType {
                found: Some(found),
                expected,
            } => write!(f, "content type {found:?} is not {expected}"),
            Self::ContentType { found: None, expected } => write!(f, "no content type, expected {expected}"),
            Self::Json { path, message } => write!(f, "invalid JSON at {path}: {message}"),
            Self::NotUtf8 => f.write_str("the body is not valid UTF-8"),
        }
    }
}

/// A body that did not decode (bad JSON, wrong shape, empty, non-JSON
/// content type), with the whole response: status, headers and body.
///
/// Nothing is lost when a server's answer contradicts the spec: read
/// [`body`](Self::body), decode it into another type with
/// [`json`](Self::json) (for instance `serde_json::Value`), and find where
/// it departs from the spec with [`json_path`](Self::json_path) and
/// [`message`](Self::message).
#[derive(Clone, thiserror::Error)]
#[error(
    "{} returned status {} with a body that could not be decoded: {kind}",
    .meta.operation(),
    .meta.status()
)]
pub struct DecodeError {
    // Boxed so that results carrying this error stay small.
    meta: Box<ResponseMeta>,
    kind: DecodeErrorKind,
    body: Bytes,
    excerpt: String,
}

impl DecodeError {
    pub(crate) fn new(meta: ResponseMeta, kind: DecodeErrorKind, body: Bytes) -> Self {
        Self {
            excerpt: excerpt(&body),
            meta: Box::new(meta),
            kind,
            body,
        }
    }

    /// Status, headers and bookkeeping.
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.meta.status()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.meta.headers()
    }

    /// Why decoding failed.
    pub fn kind(&self) -> &DecodeErrorKind {
        &self.kind
    }

    /// Where in the JSON document decoding failed, e.g. `items[3].name`
    /// (`.` for the root); `None` when the failure was not in the JSON
    /// itself (empty body, content type, text encoding).
    pub fn json_path(&self) -> Option<&str> {
        match &self.kind {
            DecodeErrorKind::Json { path, .. } => Some(path),
            _ => None,
        }
    }

    /// What the spec expected where decoding failed, in the parser's words,
    /// e.g. ``missing field `name` `` or `invalid type: null, expected a
    /// string`; `None` when the failure was not in the JSON itself.
    pub fn message(&self) -> Option<&str> {
        match &self.kind {
            DecodeErrorKind::Json { message, .. } => Some(message),
            _ => None,
        }
    }

    /// The whole body, as received.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The start of the body (at most 1 KiB, lossy UTF-8).
    pub fn body_excerpt(&self) -> &str {
        &self.excerpt
    }

    /// Decodes the body as JSON into a type of the caller's choosing, such
    /// as `serde_json::Value` or a struct that tolerates what the server
    /// actually sends (see [`RawResponse::json`]).
    pub fn json<T: DeserializeOwned>(&self) -> Result<Response<T>, DecodeError> {
        RawResponse::new((*self.meta).clone(), self.body.clone()).json()
    }

    /// The response as it arrived.
    pub fn into_raw(self) -> RawResponse {
        RawResponse::new(*self.meta, self.body)
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The excerpt, not the whole body: a body can be megabytes.
        f.debug_struct("DecodeError")
            .field("meta", &self.meta)
            .field("kind", &self.kind)
            .field("body_len", &self.body.len())
            .field("excerpt", &self.excerpt)
            .finish()
    }
}

/// A documented error status, decoded.
///
/// `Display`: `<op> failed with status 404 Not Found: <code>: <message>`,
/// where `code` and `message` are read from the JSON body when it has such
/// string fields.
#[derive(Debug, Clone)]
pub struct ErrorResponse<T> {
    body: T,
    // Boxed so that results carrying this error stay small.
    meta: Box<ResponseMeta>,
    code: Option<String>,
    message: Option<String>,
}

impl<T> ErrorResponse<T> {
    /// Pairs a decoded error body with its metadata and the `code` and
    /// `message` fields read from it.
    pub fn new(body: T, meta: ResponseMeta, code: Option<String>, message: Option<String>) -> Self {
        Self {
            body,
            meta: Box::new(meta),
            code,
            message,
        }
    }

    /// The decoded error body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// Takes the decoded error body.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Status, headers and bookkeeping.
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.meta.status()
    }

    /// The rate-limit headers (useful on 429).
    pub fn rate_limit(&self) -> RateLimitInfo {
        self.meta.rate_limit()
    }

    /// The body's `code` string field, if any.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The body's `message` string field, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

impl<T> fmt::Display for ErrorResponse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed with status {}", self.meta.operation(), self.meta.status())?;
        match (&self.code, &self.message) {
            (Some(code), Some(message)) => write!(f, ": {code}: {message}"),
            (Some(only), None) | (None, Some(only)) => write!(f, ": {only}"),
            (None, None) => Ok(()),
        }
    }
}

impl<T: fmt::Debug> StdError for ErrorResponse<T> {}

/// At most [`EXCERPT_LIMIT`] bytes of `body` as text; a character cut in half
/// by the limit is dropped, other invalid bytes become U+FFFD.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let cut = &body[..body.len().min(EXCERPT_LIMIT)];
    match std::str::from_utf8(cut) {
        Ok(text) => text.to_owned(),
        Err(err) if err.error_len().is_none() => String::from_utf8_lossy(&cut[..err.valid_up_to()]).into_owned(),
        Err(_) => String::from_utf8_lossy(cut).into_owned(),
    }
}

/// What the error of every generated operation offers, so that code can
/// treat the errors of all operations alike: log the status, read the
/// rate-limit headers, decide whether to try again.
pub trait OperationError: StdError {
    /// Status, headers and rate-limit information of the response, when
    /// there was one (a request that failed before a complete response
    /// arrived has none).
    fn meta(&self) -> Option<&ResponseMeta>;

    /// The response status, when there was a response.
    fn status(&self) -> Option<StatusCode> {
        self.meta().map(ResponseMeta::status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::HttpMethod;

    static OP: OperationInfo = OperationInfo {
        id: "patch-token",
        method: HttpMethod::Patch,
        path_template: "/api/v2/tokens/{id}",
    };

    fn meta(status: u16) -> ResponseMeta {
        ResponseMeta::new(
            &OP,
            StatusCode::from_u16(status).unwrap(),
            http::HeaderMap::new(),
            RateLimitInfo::default(),
            1,
        )
    }

    #[test]
    fn excerpt_is_bounded_and_cuts_on_char_boundaries() {
        let long = "é".repeat(2000);
        let e = excerpt(long.as_bytes());
        assert_eq!(e.len(), 1024);
        assert!(e.chars().all(|c| c == 'é'));
        let odd = format!("a{}", "é".repeat(600));
        let e = excerpt(odd.as_bytes());
        assert_eq!(e.len(), 1023, "the half character is dropped");
        assert_eq!(excerpt(b"ok \xff"), "ok \u{fffd}");
    }

    #[test]
    fn displays_name_operation_and_status() {
        let err = RequestError::new(&OP, RequestErrorKind::BodyTooLarge, "more than 10 bytes")
            .with_status(Some(StatusCode::OK))
            .with_attempts(2);
        assert_eq!(
            err.to_string(),
            "patch-token (PATCH /api/v2/tokens/{id}) failed: response body too large \
             (status 200 OK): more than 10 bytes (after 2 attempts)"
        );
        let unexpected = UnexpectedStatus::new(meta(418), Bytes::from_static(b"short and stout"));
        assert_eq!(
            unexpected.to_string(),
            "patch-token (PATCH /api/v2/tokens/{id}) returned undocumented status 418 I'm a teapot"
        );
        assert_eq!(unexpected.body_excerpt(), "short and stout");
        let decode = DecodeError::new(meta(200), DecodeErrorKind::EmptyBody, Bytes::new());
        assert_eq!(
            decode.to_string(),
            "patch-token (PATCH /api/v2/tokens/{id}) returned status 200 OK with a body \
             that could not be decoded: the body is empty"
        );
        let error = ErrorResponse::new(
            (),
            meta(404),
            Some("not_found".into()),
            Some("Invalid resource identifier".into()),
        );
        assert_eq!(
            error.to_string(),
            "patch-token (PATCH /api/v2/tokens/{id}) failed with status 404 Not Found: \
             not_found: Invalid resource identifier"
        );
    }
}
