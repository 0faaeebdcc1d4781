//! The futures a generated request builder returns.
//!
//! They are written once here so that a generated operation contains no
//! `async` code of its own: every `async fn` is a state machine that the
//! compiler type- and borrow-checks separately, which in a client of
//! hundreds of operations is a measurable share of its `cargo check`. These
//! two are generic, so they are checked once and only instantiated per
//! operation. A generated builder assembles its [`ApiRequest`] in a plain
//! function and hands it to them.

use std::future::Future;

use crate::{ApiRequest, RawResponse, RequestError, Transport};

/// Sends `request` through `transport`; a request that could not be
/// assembled fails with its error and nothing is sent.
pub async fn send_request(
    transport: Transport,
    request: Result<ApiRequest, RequestError>,
) -> Result<RawResponse, RequestError> {
    transport.execute(request?).await
}

/// Awaits `raw`, then decodes the response it gives with `decode`.
pub async fn send_and_decode<T, E, R, D>(raw: R, decode: D) -> Result<T, E>
where
    R: Future<Output = Result<RawResponse, RequestError>>,
    D: FnOnce(RawResponse) -> Result<T, E>,
    E: From<RequestError>,
{
    decode(raw.await?)
}
