//! The spec-independent part of typed mocks (the `mock` feature): a
//! wiremock server on 127.0.0.1 and expectations built from an operation's
//! method, path and typed values. A generated crate's `mock` module wraps
//! them in one typed builder per operation.
//!
//! Expectations are verified when the server is dropped: each must have
//! been met at least once, or exactly as often as `times` says, and a test
//! that breaks one fails with wiremock's report of the requests received.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde::Serialize;
pub use wiremock;
use wiremock::matchers::{body_json, body_partial_json, method, path_regex, query_param};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

use crate::operation::OperationInfo;

/// A mock HTTP server on 127.0.0.1 that answers what the expectations
/// mounted on it say, and checks them when dropped.
#[derive(Debug)]
pub struct MockServer {
    inner: wiremock::MockServer,
}

impl MockServer {
    /// Starts a server on a free port of 127.0.0.1.
    pub async fn start() -> Self {
        Self {
            inner: wiremock::MockServer::start().await,
        }
    }

    /// The server's base URL, such as `http://127.0.0.1:43121`.
    pub fn uri(&self) -> String {
        self.inner.uri()
    }

    /// The wiremock server, for matchers the typed builders do not offer.
    pub fn wiremock(&self) -> &wiremock::MockServer {
        &self.inner
    }

    /// The requests received so far, in order.
    pub async fn received_requests(&self) -> Vec<Request> {
        self.inner.received_requests().await.unwrap_or_default()
    }
}

/// One response a mock gives.
#[derive(Debug, Clone)]
pub struct MockResponse {
    status: u16,
    template: ResponseTemplate,
}

impl MockResponse {
    /// `status` with `body` as JSON.
    ///
    /// # Panics
    ///
    /// When `body` does not serialise to JSON, as serde_json's
    /// `to_value` fails only for maps with non-string keys, which a test's
    /// own value is to fix.
    pub fn json<T: Serialize + ?Sized>(status: u16, body: &T) -> Self {
        let value = json_value(body, "the mock body");
        Self {
            status,
            template: ResponseTemplate::new(status).set_body_json(value),
        }
    }

    /// `status` without a body.
    pub fn empty(status: u16) -> Self {
        Self {
            status,
            template: ResponseTemplate::new(status),
        }
    }

    /// `status` with `body` as bytes of `content_type`.
    pub fn bytes(status: u16, content_type: &str, body: impl AsRef<[u8]>) -> Self {
        Self {
            status,
            template: ResponseTemplate::new(status).set_body_raw(body.as_ref().to_vec(), content_type),
        }
    }

    /// `429 Too Many Requests` with `Retry-After` in whole seconds (rounded up).
    pub fn rate_limited(retry_after: Duration) -> Self {
        let seconds = whole_seconds(retry_after).to_string();
        Self {
            status: 429,
            template: ResponseTemplate::new(429).insert_header("Retry-After", seconds.as_str()),
        }
    }
}

/// `duration` in whole seconds, rounded up: what `Retry-After` can say.
fn whole_seconds(duration: Duration) -> u64 {
    duration.as_secs() + u64::from(duration.subsec_nanos() > 0)
}

/// `body` as a JSON value.
///
/// # Panics
///
/// When `body` does not serialise to JSON (a map with non-string keys),
/// which the test's own value is to fix; `what` names it in the message.
fn json_value<T: Serialize + ?Sized>(body: &T, what: &str) -> serde_json::Value {
    serde_json::to_value(body).unwrap_or_else(|err| panic!("{what} does not serialise to JSON: {err}"))
}

/// The matchers of one expected request: method, path, query parameters
/// and body, and how often it must come.
#[must_use = "an expectation does nothing until a response is mounted"]
#[derive(Debug)]
pub struct Expectation {
    operation: &'static OperationInfo,
    path: String,
    query: Vec<(String, String)>,
    body: Option<(serde_json::Value, bool)>,
    times: Option<u64>,
    rate_limited: Option<Duration>,
}

impl Expectation {
    /// Expects `operation` at `path`, an encoded path as the client sends it
    /// (generated code builds it as the client does); `{name}` segments
    /// left in it match any one segment.
    pub fn new(operation: &'static OperationInfo, path: String) -> Self {
        Self {
            operation,
            path,
            query: Vec::new(),
            body: None,
            times: None,
            rate_limited: None,
        }
    }

    /// Matches requests whose query has `name=value` (decoded).
    pub fn query(mut self, name: &str, value: impl ToString) -> Self {
        self.query.push((name.to_owned(), value.to_string()));
        self
    }

    /// Matches requests whose body is `body` as JSON.
    ///
    /// # Panics
    ///
    /// When `body` does not serialise to JSON.
    pub fn json_body<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        let value = json_value(body, "the expected body");
        self.body = Some((value, false));
        self
    }

    /// Matches requests whose JSON body contains `body` (other members may be present).
    ///
    /// # Panics
    ///
    /// When `body` does not serialise to JSON.
    pub fn json_body_containing<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        let value = json_value(body, "the expected body");
        self.body = Some((value, true));
        self
    }

    /// The request must come exactly `times` times (by default: at least once).
    pub fn times(mut self, times: u64) -> Self {
        self.times = Some(times);
        self
    }

    /// The first matching request gets `429 Too Many Requests` with
    /// `Retry-After`, the next ones the mounted response: the client's
    /// rate-limit handling waits and retries.
    pub fn rate_limited(mut self, retry_after: Duration) -> Self {
        self.rate_limited = Some(retry_after);
        self
    }

    /// Answers every matching request with `response`.
    pub async fn respond(self, server: &MockServer, response: MockResponse) {
        self.mount(server, vec![response], false).await;
    }

    /// Answers matching requests with `responses` in turn, the last one
    /// again once they are used up.
    pub async fn respond_in_turn(self, server: &MockServer, responses: Vec<MockResponse>) {
        self.mount(server, responses, false).await;
    }

    /// Answers matching requests with `pages` in turn, each but the last
    /// with a `Link: <...>; rel="next"` header to the request's own URL
    /// (relative, with `page=N+1`), for operations that page by the `Link` header.
    pub async fn respond_pages_with_links(self, server: &MockServer, pages: Vec<MockResponse>) {
        self.mount(server, pages, true).await;
    }

    async fn mount(self, server: &MockServer, mut responses: Vec<MockResponse>, next_links: bool) {
        if let Some(retry_after) = self.rate_limited {
            responses.insert(0, MockResponse::rate_limited(retry_after));
        }
        let mut mock = Mock::given(method(self.operation.method.as_str())).and(path_regex(path_pattern(&self.path)));
        for (name, value) in &self.query {
            mock = mock.and(query_param(name.as_str(), value.as_str()));
        }
        match self.body {
            Some((value, false)) => mock = mock.and(body_json(value)),
            Some((value, true)) => mock = mock.and(body_partial_json(value)),
            None => {}
        }
        let mock = mock
            .respond_with(InTurn {
                responses,
                served: AtomicUsize::new(0),
                next_links,
            })
            .named(self.operation.to_string());
        let mock = match self.times {
            // The 429 answer is one more request.
            Some(times) => mock.expect(times + u64::from(self.rate_limited.is_some())),
            None => mock.expect(1..),
        };
        mock.mount(&server.inner).await;
    }
}

/// A regular expression matching `path` exactly, with `{name}` segments
/// matching any one segment.
fn path_pattern(path: &str) -> String {
    let mut pattern = String::from("^");
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else { break };
        pattern.push_str(&escape(&rest[..start]));
        pattern.push_str("[^/]+");
        rest = &rest[start + end + 1..];
    }
    pattern.push_str(&escape(rest));
    pattern.push('$');
    pattern
}

/// `text` with the characters a regular expression gives meaning escaped.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Responses in turn; with `next_links`, every one but the last links to
/// the next page.
struct InTurn {
    responses: Vec<MockResponse>,
    served: AtomicUsize,
    next_links: bool,
}

impl Respond for InTurn {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let index = self.served.fetch_add(1, Ordering::SeqCst);
        let last = self.responses.len().saturating_sub(1);
        let Some(response) = self.responses.get(index.min(last)) else {
            return ResponseTemplate::new(500);
        };
        let template = response.template.clone();
        // A 429 served first is not a page: pages count from the next answer.
        let is_page = |response: &&MockResponse| response.status != 429;
        let pages_before = self.responses[..index.min(last)].iter().filter(is_page).count();
        let pages_total = self.responses.iter().filter(is_page).count();
        if !self.next_links || response.status == 429 || pages_before + 1 >= pages_total {
            return template;
        }
        let mut url = request.url.clone();
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(name, _)| name != "page")
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        url.set_query(None);
        url.query_pairs_mut()
            .extend_pairs(kept)
            .append_pair("page", &(pages_before + 2).to_string());
        // Relative: the request's URL names the host as the client wrote it.
        let link = match url.query() {
            Some(query) => format!("<{}?{query}>; rel=\"next\"", url.path()),
            None => format!("<{}>; rel=\"next\"", url.path()),
        };
        template.insert_header("Link", link.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_exactly_with_placeholders_for_any_segment() {
        assert_eq!(path_pattern("/api/v2/tokens/{id}/a.b"), r"^/api/v2/tokens/[^/]+/a\.b$");
        assert_eq!(path_pattern("/t/a%20b"), "^/t/a%20b$");
    }

    #[test]
    fn rate_limits_round_up_to_whole_seconds() {
        assert_eq!(MockResponse::rate_limited(Duration::from_millis(1500)).status, 429);
        assert_eq!(whole_seconds(Duration::from_millis(1500)), 2);
        assert_eq!(whole_seconds(Duration::from_secs(1)), 1);
        assert_eq!(whole_seconds(Duration::ZERO), 0);
    }
}
