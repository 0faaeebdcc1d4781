//! The futures a generated request builder returns.
//!
//! They are written once here so that a generated operation contains no
//! `async` code of its own: every `async fn` is a state machine that the
//! compiler type- and borrow-checks separately, which in a client of
//! hundreds of operations is a measurable share of its `cargo check`. A
//! generated builder assembles its [`ApiRequest`] in a plain function and
//! hands it to [`send_request`]; [`send_and_decode`] adds the operation's
//! decoding.
//!
//! Both futures are named types, so a builder's `IntoFuture` is one of them
//! rather than a boxed future: awaiting a builder allocates only the
//! transport's call state, once.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::transport::Call;
use crate::{ApiRequest, RawResponse, RequestError, Transport};

/// Sends `request` through `transport`; a request that could not be
/// assembled fails with its error and nothing is sent. Nothing is sent
/// before the returned future is first polled.
pub fn send_request(transport: Transport, request: Result<ApiRequest, RequestError>) -> SendRaw {
    SendRaw {
        state: match request {
            Ok(request) => State::Sending(transport.call(request)),
            Err(error) => State::Refused(Some(error)),
        },
    }
}

/// Awaits `raw`, then decodes the response it gives with `decode`.
pub fn send_and_decode<T, E>(raw: SendRaw, decode: fn(RawResponse) -> Result<T, E>) -> SendAndDecode<T, E> {
    SendAndDecode {
        raw,
        decode: Some(decode),
    }
}

/// The future of a builder's `send_raw`: the response as it arrived,
/// whatever its status.
#[must_use = "futures do nothing unless awaited"]
pub struct SendRaw {
    state: State,
}

enum State {
    Sending(Call),
    /// The request could not be assembled; the error is handed out once.
    Refused(Option<RequestError>),
}

impl Future for SendRaw {
    type Output = Result<RawResponse, RequestError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.get_mut().state {
            State::Sending(call) => call.as_mut().poll(cx),
            State::Refused(error) => match error.take() {
                Some(error) => Poll::Ready(Err(error)),
                None => panic!("`SendRaw` polled after it completed"),
            },
        }
    }
}

impl std::fmt::Debug for SendRaw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SendRaw")
    }
}

/// The future of a builder's `send` (and of awaiting the builder) and of
/// its `send_as`: the response, decoded.
#[must_use = "futures do nothing unless awaited"]
pub struct SendAndDecode<T, E> {
    raw: SendRaw,
    /// Taken when the response arrives.
    decode: Option<fn(RawResponse) -> Result<T, E>>,
}

impl<T, E: From<RequestError>> Future for SendAndDecode<T, E> {
    type Output = Result<T, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let Some(decode) = this.decode else {
            panic!("`SendAndDecode` polled after it completed");
        };
        let raw = match Pin::new(&mut this.raw).poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(raw) => raw,
        };
        this.decode = None;
        Poll::Ready(raw.map_err(E::from).and_then(decode))
    }
}

impl<T, E> std::fmt::Debug for SendAndDecode<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SendAndDecode")
    }
}
