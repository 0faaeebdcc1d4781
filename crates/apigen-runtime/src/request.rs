//! Requests as generated code builds them.

use std::borrow::Cow;
use std::fmt::{self, Display};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};

use crate::auth::SecurityRequirement;
use crate::deviation::DecodePolicy;
use crate::error::{RequestError, RequestErrorKind};
use crate::operation::OperationInfo;
use crate::params::{self, ParamStyle};
use crate::query::Query;
use crate::retry::RetryPolicy;

/// Per-call options; generated request builders expose them.
///
/// `Debug` lists the names of extra headers ([`header`](Self::header)) but
/// not their values, which may be credentials of a proxy.
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct RequestOptions {
    /// Overrides the API-version header value configured with
    /// [`crate::ClientConfig::api_version`] for this call.
    pub api_version: Option<String>,
    /// Overrides [`RetryPolicy::retries_non_idempotent`] for this call: lets
    /// a POST or PATCH be retried after failures that may have reached the
    /// server, or forbids it.
    pub retry_non_idempotent: Option<bool>,
    /// Replaces the configured retry policy for this call.
    pub retry: Option<RetryPolicy>,
    /// Replaces the configured total timeout for this call.
    pub total_timeout: Option<Duration>,
    /// Replaces the configured decode policy for this call.
    pub decode_policy: Option<DecodePolicy>,
    /// Extra headers, in the order they were added.
    extra_headers: Vec<(String, String)>,
    /// A link the server gave, sent to instead of the operation's path and query.
    link: Option<String>,
}

impl RequestOptions {
    /// Sets the API-version header value for this call.
    pub fn api_version(mut self, value: impl Into<String>) -> Self {
        self.api_version = Some(value.into());
        self
    }

    /// Allows (or forbids) retrying this call after failures that may have
    /// reached the server, whatever its method.
    pub fn retry_non_idempotent(mut self, enabled: bool) -> Self {
        self.retry_non_idempotent = Some(enabled);
        self
    }

    /// Uses `policy` instead of the configured retry policy for this call.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Uses `timeout` instead of the configured total timeout for this call.
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = Some(timeout);
        self
    }

    /// Decodes this call's response under `policy` instead of the
    /// configured one: [`DecodePolicy::Strict`] to make any deviation from
    /// the schema an error, [`DecodePolicy::Lenient`] to accept the few
    /// that lose nothing.
    pub fn decode_policy(mut self, policy: DecodePolicy) -> Self {
        self.decode_policy = Some(policy);
        self
    }

    /// Adds a header the spec does not describe to this call, such as
    /// `Prefer: code=404` for a mock server or a tracing header for a proxy.
    /// Adding the same name again sends it twice.
    ///
    /// Extra headers never replace what the request sets itself: a name
    /// that clashes with a header parameter, the content type, `Accept`, the
    /// API-version header or the credential, or that names a framing
    /// header (`Host`, `Content-Length`, `Transfer-Encoding`, `Connection`),
    /// makes the call fail with [`RequestErrorKind::InvalidHeader`] before
    /// anything is sent, and so does a name or value that is not valid HTTP.
    /// Errors and `Debug` output name the header but never show its value.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_headers.push((name.into(), value.into()));
        self
    }

    /// Sends this call to `link`, a URL the server gave for the next page (a
    /// `Link: <...>; rel="next"` header or a URL in the body), instead of
    /// the operation's own path and query. Paginators use it; a link may be
    /// relative to the client's base URL.
    ///
    /// The credential goes only where the base URL points: a link that
    /// leaves the base URL's scheme, host, port or path makes the call fail
    /// with [`RequestErrorKind::InvalidPath`] before anything is sent. A
    /// query-string API key the server echoed in the link is replaced by
    /// the client's own.
    pub fn follow_link(mut self, link: impl Into<String>) -> Self {
        self.link = Some(link.into());
        self
    }

    /// The link set with [`follow_link`](Self::follow_link).
    pub fn link(&self) -> Option<&str> {
        self.link.as_deref()
    }

    /// The extra headers added with [`header`](Self::header), in order.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.extra_headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.extra_headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("api_version", &self.api_version)
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            .field("retry", &self.retry)
            .field("total_timeout", &self.total_timeout)
            .field("decode_policy", &self.decode_policy)
            .field("extra_headers", &names)
            .field("link", &self.link.is_some())
            .finish()
    }
}

/// One request of one operation, built by generated code and sent with
/// [`crate::Transport::execute`].
pub struct ApiRequest {
    operation: &'static OperationInfo,
    path: String,
    query: Query,
    headers: HeaderMap,
    body: Option<(Cow<'static, str>, Bytes)>,
    options: RequestOptions,
    security: SecurityRequirement,
}

impl ApiRequest {
    /// Starts a request. `path` is already encoded (generated code builds it
    /// with [`crate::encode_path_segment`]) and starts with `/`.
    pub fn new(operation: &'static OperationInfo, path: String) -> Self {
        Self {
            operation,
            path,
            query: Query::default(),
            headers: HeaderMap::new(),
            body: None,
            options: RequestOptions::default(),
            security: &[],
        }
    }

    /// The operation this request belongs to.
    pub fn operation(&self) -> &'static OperationInfo {
        self.operation
    }

    /// The encoded path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The encoded query string without `?` (empty when there is none).
    pub fn query_string(&self) -> &str {
        self.query.as_str()
    }

    /// The header parameters added so far.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body bytes, if one was set.
    pub fn body(&self) -> Option<&Bytes> {
        self.body.as_ref().map(|(_, bytes)| bytes)
    }

    /// The per-call options.
    pub fn request_options(&self) -> &RequestOptions {
        &self.options
    }

    /// Adds one `name=value` query pair; the value is percent-encoded.
    pub fn query(&mut self, name: &'static str, value: impl Display) {
        self.query.push(name, &value.to_string());
    }

    /// Adds an array query parameter: `explode = true` gives
    /// `name=a&name=b`, `false` gives `name=a,b`. An empty list adds nothing.
    pub fn query_list<I, T>(&mut self, name: &'static str, values: I, explode: bool)
    where
        I: IntoIterator<Item = T>,
        T: Display,
    {
        let values = values.into_iter().map(|v| v.to_string()).collect();
        self.query.push_list(name, values, explode);
    }

    /// Sets a header parameter; a name or value that is not valid HTTP is an
    /// error (which names the header but not the value).
    pub fn header(&mut self, name: &'static str, value: impl Display) -> Result<(), RequestError> {
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|err| {
            RequestError::new(
                self.operation,
                RequestErrorKind::InvalidHeader,
                format!("{name:?} is not a valid header name"),
            )
            .with_source(err)
        })?;
        // From the `String` itself: its buffer becomes the value's, uncopied.
        let value = HeaderValue::try_from(value.to_string()).map_err(|err| {
            RequestError::new(
                self.operation,
                RequestErrorKind::InvalidHeader,
                format!("the value of header {name:?} is not a valid header value"),
            )
            .with_source(err)
        })?;
        self.headers.insert(header, value);
        Ok(())
    }

    /// Adds a query parameter in its OpenAPI `style` (see [`crate::params`]).
    /// A value that cannot be encoded is an error and nothing is added.
    pub fn query_param<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        style: ParamStyle,
    ) -> Result<(), RequestError> {
        let json = params::to_json(name, value, style).map_err(|err| err.into_request_error(self.operation))?;
        for (name, value) in params::pairs(name, &json, style, params::encode_uri) {
            self.query.push_encoded(&name, &value);
        }
        Ok(())
    }

    /// Sets a header parameter in `simple` style (see [`crate::params`]).
    pub fn header_param<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        style: ParamStyle,
    ) -> Result<(), RequestError> {
        let json = params::to_json(name, value, style).map_err(|err| err.into_request_error(self.operation))?;
        // An empty array or object is undefined in RFC 6570: no header at all.
        let empty = match &json {
            serde_json::Value::Array(items) => items.is_empty(),
            serde_json::Value::Object(members) => members.is_empty(),
            _ => false,
        };
        if empty {
            return Ok(());
        }
        self.header(name, params::header_text(name, &json, style))
    }

    /// Adds a cookie parameter in `form` style to the `Cookie` header.
    /// Values are percent-encoded; the pairs of an exploded array or object
    /// are separate cookies, joined with `; ` as RFC 6265 requires, where
    /// the RFC 6570 table would join them with `&`.
    pub fn cookie_param<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        style: ParamStyle,
    ) -> Result<(), RequestError> {
        let json = params::to_json(name, value, style).map_err(|err| err.into_request_error(self.operation))?;
        let mut cookies: Vec<String> = self
            .headers
            .get(http::header::COOKIE)
            .and_then(|existing| existing.to_str().ok())
            .map(|existing| vec![existing.to_owned()])
            .unwrap_or_default();
        for (name, value) in params::pairs(name, &json, style, params::encode_uri) {
            cookies.push(format!("{name}={value}"));
        }
        if cookies.is_empty() {
            return Ok(());
        }
        self.header("Cookie", cookies.join("; "))
    }

    /// Encodes `body` as `application/x-www-form-urlencoded` (see
    /// [`crate::form`]), each property in the style `fields` gives it.
    pub fn form_body<T: serde::Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        body: &T,
        fields: &[(&str, ParamStyle)],
    ) -> Result<(), RequestError> {
        let bytes = crate::form::encode(body, fields).map_err(|err| err.into_request_error(self.operation))?;
        self.body = Some((Cow::Borrowed(content_type), bytes));
        Ok(())
    }

    /// Serialises `body` as JSON and sets `Content-Type: content_type`
    /// (e.g. `application/json`).
    pub fn json_body<T: serde::Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        body: &T,
    ) -> Result<(), RequestError> {
        // The serialiser's message names the problem (for a JSON Patch, the
        // invalid operation's index and rule) and never includes values.
        let bytes = serde_json::to_vec(body).map_err(|err| {
            let detail = format!("JSON serialisation failed: {err}");
            RequestError::new(self.operation, RequestErrorKind::Encode, detail).with_source(err)
        })?;
        self.body = Some((Cow::Borrowed(content_type), Bytes::from(bytes)));
        Ok(())
    }

    /// Sets a body as bytes with `Content-Type: content_type`. An invalid
    /// content type is reported when the request is executed.
    pub fn raw_body(&mut self, content_type: &str, bytes: Bytes) {
        self.body = Some((Cow::Owned(content_type.to_owned()), bytes));
    }

    /// Sets the operation's security requirement: alternatives, each a list
    /// of scheme names that must all be configured. Without it, the request
    /// sends no scheme credential (see [`crate::auth`]).
    pub fn security(&mut self, requirement: SecurityRequirement) {
        self.security = requirement;
    }

    /// The operation's security requirement.
    pub fn security_requirement(&self) -> SecurityRequirement {
        self.security
    }

    /// Sets the per-call options.
    pub fn options(&mut self, options: RequestOptions) {
        self.options = options;
    }

    pub(crate) fn into_parts(self) -> RequestParts {
        RequestParts {
            operation: self.operation,
            path: self.path,
            query: self.query,
            headers: self.headers,
            body: self.body,
            options: self.options,
            security: self.security,
        }
    }
}

impl fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Bodies are summarised by length: they can be large or hold user data.
        f.debug_struct("ApiRequest")
            .field("operation", &self.operation)
            .field("path", &self.path)
            .field("query", &self.query.as_str())
            .field("headers", &self.headers)
            .field("content_type", &self.body.as_ref().map(|(ct, _)| ct))
            .field("body_len", &self.body.as_ref().map(|(_, b)| b.len()))
            .field("options", &self.options)
            .field("security", &self.security)
            .finish()
    }
}

/// The pieces of an [`ApiRequest`], taken apart by the transport.
pub(crate) struct RequestParts {
    pub(crate) operation: &'static OperationInfo,
    pub(crate) path: String,
    pub(crate) query: Query,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<(Cow<'static, str>, Bytes)>,
    pub(crate) options: RequestOptions,
    pub(crate) security: SecurityRequirement,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::HttpMethod;

    static OP: OperationInfo = OperationInfo {
        id: "list-things",
        method: HttpMethod::Get,
        path_template: "/things",
    };

    #[test]
    fn query_pairs_and_lists() {
        let mut r = ApiRequest::new(&OP, "/things".into());
        r.query("limit", 10);
        r.query_list("tag", ["a b", "c"], true);
        r.query_list("env", ["x", "y,z"], false);
        assert_eq!(r.query_string(), "limit=10&tag=a%20b&tag=c&env=x,y%2Cz");
    }

    #[test]
    fn invalid_header_value_is_an_error_without_the_value() {
        let mut r = ApiRequest::new(&OP, "/things".into());
        let err = r.header("X-Thing", "bad\nvalue-SECRET").unwrap_err();
        assert_eq!(err.kind(), RequestErrorKind::InvalidHeader);
        let text = format!("{err} {err:?}");
        assert!(!text.contains("SECRET"), "{text}");
        assert!(text.contains("X-Thing"), "{text}");
        assert!(r.header("bad name", "v").is_err());
        r.header("X-Ok", 5).unwrap();
        assert_eq!(r.headers()["x-ok"], "5");
    }

    #[test]
    fn extra_headers_keep_order_and_debug_hides_values() {
        let options = RequestOptions::default()
            .header("Prefer", "code=404")
            .header("X-Proxy-Auth", "proxy-SECRET")
            .header("Prefer", "example=x");
        let pairs: Vec<(&str, &str)> = options.headers().collect();
        assert_eq!(
            pairs,
            [
                ("Prefer", "code=404"),
                ("X-Proxy-Auth", "proxy-SECRET"),
                ("Prefer", "example=x")
            ]
        );
        let text = format!("{options:?}");
        assert!(!text.contains("SECRET"), "{text}");
        assert!(
            text.contains(r#"extra_headers: ["Prefer", "X-Proxy-Auth", "Prefer"]"#),
            "{text}"
        );
        assert_eq!(RequestOptions::default().headers().count(), 0);
    }

    #[test]
    fn styled_parameters_and_cookies() {
        use crate::params::Style;
        let mut r = ApiRequest::new(&OP, "/things".into());
        r.query_param("ids", &[1, 2], ParamStyle::new(Style::PipeDelimited, false))
            .unwrap();
        r.header_param("X-Ids", &[3, 4], ParamStyle::new(Style::Simple, false))
            .unwrap();
        r.header_param("X-None", &Vec::<i32>::new(), ParamStyle::new(Style::Simple, false))
            .unwrap();
        r.cookie_param("a", "1 2", ParamStyle::new(Style::Form, true)).unwrap();
        r.cookie_param("b", &["x", "y"], ParamStyle::new(Style::Form, true))
            .unwrap();
        assert_eq!(r.query_string(), "ids=1%7C2");
        assert_eq!(r.headers()["x-ids"], "3,4");
        assert!(r.headers().get("x-none").is_none());
        assert_eq!(r.headers()["cookie"], "a=1%202; b=x; b=y");
        let err = r
            .query_param("bad", &f64::NAN, ParamStyle::new(Style::Form, true))
            .unwrap_err();
        assert_eq!(err.kind(), RequestErrorKind::Encode);
        assert_eq!(r.query_string(), "ids=1%7C2", "nothing is added on error");
    }

    #[test]
    fn json_body_is_serialised() {
        let mut r = ApiRequest::new(&OP, "/things".into());
        r.json_body("application/json", &serde_json::json!({"a": 1})).unwrap();
        assert_eq!(r.body().unwrap().as_ref(), br#"{"a":1}"#);
        let text = format!("{r:?}");
        assert!(text.contains("body_len: Some(7)"), "{text}");
    }
}
