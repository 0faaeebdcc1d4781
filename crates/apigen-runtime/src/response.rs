//! Responses: status, headers and body of a completed exchange.

use std::fmt;
use std::ops::Deref;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::deviation::{DecodePolicy, Deviation};
use crate::error::DecodeError;

use crate::operation::OperationInfo;
use crate::ratelimit::RateLimitInfo;

/// Status, headers and bookkeeping of a response, without its body.
#[derive(Debug, Clone)]
pub struct ResponseMeta {
    operation: &'static OperationInfo,
    status: StatusCode,
    headers: HeaderMap,
    rate_limit: RateLimitInfo,
    attempts: u32,
    decode_policy: DecodePolicy,
    deviations: Vec<Deviation>,
}

impl ResponseMeta {
    /// Builds the metadata of a response; the transport does this, and tests
    /// of generated code can too.
    pub fn new(
        operation: &'static OperationInfo,
        status: StatusCode,
        headers: HeaderMap,
        rate_limit: RateLimitInfo,
        attempts: u32,
    ) -> Self {
        Self {
            operation,
            status,
            headers,
            rate_limit,
            attempts,
            decode_policy: DecodePolicy::default(),
            deviations: Vec::new(),
        }
    }

    /// Sets how the body is to be decoded; the transport sets the policy
    /// of the call (the per-call one, else the client's).
    pub fn with_decode_policy(mut self, policy: DecodePolicy) -> Self {
        self.decode_policy = policy;
        self
    }

    /// How the body is decoded.
    pub fn decode_policy(&self) -> DecodePolicy {
        self.decode_policy
    }

    /// Where the body deviated from its schema and lenient decoding
    /// accepted it ([`DecodePolicy::Lenient`]); empty for a body that
    /// matched its schema.
    pub fn deviations(&self) -> &[Deviation] {
        &self.deviations
    }

    pub(crate) fn set_deviations(&mut self, deviations: Vec<Deviation>) {
        self.deviations = deviations;
    }

    /// The operation this response answers.
    pub fn operation(&self) -> &'static OperationInfo {
        self.operation
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The rate-limit headers, parsed when the response arrived.
    pub fn rate_limit(&self) -> RateLimitInfo {
        self.rate_limit
    }

    /// How many attempts the call took, this one included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The `Content-Type` header, if it is present and readable.
    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
    }
}

/// The final response of a call, whatever its status, with the whole body:
/// what a generated builder's `send_raw` returns, and what every error that
/// follows a response keeps.
///
/// `Debug` prints the body's length, not its content.
#[derive(Clone)]
pub struct RawResponse {
    meta: ResponseMeta,
    body: Bytes,
}

impl RawResponse {
    /// Pairs metadata with a body.
    pub fn new(meta: ResponseMeta, body: Bytes) -> Self {
        Self { meta, body }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.meta.status
    }

    /// Status, headers and bookkeeping.
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.meta.headers
    }

    /// The body as received.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Takes the body.
    pub fn into_body(self) -> Bytes {
        self.body
    }

    /// Decodes the body as JSON into a type of the caller's choosing,
    /// whatever the status, with the checks of [`crate::decode_json`]
    /// (non-empty body, JSON content type, the JSON path of a failure).
    ///
    /// The decode is strict whatever the call's policy: the caller's own
    /// type already says what it tolerates, and the lenient repairs assume
    /// the shapes of generated types (a list's items all of one type).
    pub fn json<T: DeserializeOwned>(mut self) -> Result<Response<T>, DecodeError> {
        self.meta.decode_policy = DecodePolicy::Strict;
        crate::decode::decode_json(self)
    }

    /// Splits the response into metadata and body.
    pub fn into_parts(self) -> (ResponseMeta, Bytes) {
        (self.meta, self.body)
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("meta", &self.meta)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// A successful, decoded response: the body plus status and headers.
/// Dereferences to the body.
#[derive(Debug, Clone)]
pub struct Response<T> {
    body: T,
    meta: ResponseMeta,
}

impl<T> Response<T> {
    /// Pairs a decoded body with its metadata.
    pub fn new(body: T, meta: ResponseMeta) -> Self {
        Self { body, meta }
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// Takes the decoded body.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Status, headers and bookkeeping.
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.meta.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.meta.headers
    }

    /// The rate-limit headers.
    pub fn rate_limit(&self) -> RateLimitInfo {
        self.meta.rate_limit
    }

    /// Where the body deviated from its schema and lenient decoding
    /// accepted it (see [`DecodePolicy`]); empty when it matched.
    pub fn deviations(&self) -> &[Deviation] {
        &self.meta.deviations
    }

    /// Transforms the body, keeping status and headers; generated code uses it
    /// to wrap a body in the variant for its status.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            body: f(self.body),
            meta: self.meta,
        }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}
