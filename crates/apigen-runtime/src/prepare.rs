//! Preparing a call: the checked URL and the headers an attempt sends.

use http::{HeaderMap, HeaderName, HeaderValue};

use crate::auth::Applied;
use crate::error::{RequestError, RequestErrorKind};
use crate::path::check_path;
use crate::request::RequestParts;

/// The URL and headers of an attempt. The first attempt's are prepared
/// before anything is sent (so an invalid path fails early); a retry
/// prepares them again, which gives the same request.
pub(crate) struct Prepared {
    url: reqwest::Url,
    headers: HeaderMap,
    /// The URL with API keys in the query replaced by `<redacted>`, when the
    /// query holds an API key; see [`Prepared::redacted_url`].
    redacted_url: Option<String>,
}

impl Prepared {
    /// The URL with API keys in the query replaced by `<redacted>`: the only
    /// form of the URL that errors may show.
    pub(crate) fn redacted_url(&self) -> &str {
        self.redacted_url.as_deref().unwrap_or(self.url.as_str())
    }
}

/// Checks the path and builds the URL and headers.
pub(crate) fn prepare(
    base_url: &str,
    default_api_version: Option<&(HeaderName, HeaderValue)>,
    credential: Option<&(HeaderName, HeaderValue)>,
    auth: &Applied,
    parts: &RequestParts,
) -> Result<Prepared, RequestError> {
    let op = parts.operation;
    let invalid_path = |detail: String| RequestError::new(op, RequestErrorKind::InvalidPath, detail);
    let mut text = match parts.options.link() {
        Some(link) => followed_link(base_url, link, auth).map_err(invalid_path)?,
        None => {
            check_path(&parts.path, op.path_template).map_err(|reason| invalid_path(reason.to_owned()))?;
            let query = parts.query.as_str();
            let mut text = String::with_capacity(base_url.len() + parts.path.len() + query.len() + 1);
            text.push_str(base_url);
            text.push_str(&parts.path);
            if !query.is_empty() {
                text.push('?');
                text.push_str(parts.query.as_str());
            }
            text
        }
    };
    // Only a query that carries an API key needs a second, redacted copy.
    let redacted_url = (!auth.query.is_empty()).then(|| {
        let mut redacted = text.clone();
        for (name, value) in &auth.query {
            let separator = if text.contains('?') { '&' } else { '?' };
            text.push(separator);
            redacted.push(separator);
            text.push_str(&format!("{name}={value}"));
            redacted.push_str(&format!("{name}=<redacted>"));
        }
        redacted
    });
    let shown = redacted_url.as_deref().unwrap_or(&text);
    // The parser's message never quotes the input, so it cannot show a key.
    let url = reqwest::Url::parse(&text).map_err(|err| {
        invalid_path(format!("the URL does not parse: {err}"))
            .with_source(err)
            .with_url(shown)
    })?;
    // The URL parser normalises; if it changed anything, the request would
    // not go where the generated code meant it to go.
    if url.as_str() != text {
        return Err(invalid_path(
            "URL normalisation would change the path; a parameter is not encoded safely".to_owned(),
        )
        .with_url(shown));
    }

    let mut headers = parts.headers.clone();
    let api_version = match (&parts.options.api_version, default_api_version) {
        (Some(value), Some((name, _))) => Some((
            name.clone(),
            HeaderValue::from_str(value).map_err(|err| {
                RequestError::new(
                    op,
                    RequestErrorKind::InvalidHeader,
                    format!("the API version {value:?} is not a valid header value"),
                )
                .with_source(err)
            })?,
        )),
        (Some(_), None) => {
            return Err(RequestError::new(
                op,
                RequestErrorKind::InvalidHeader,
                "an API version was requested but no API-version header is configured \
                 (ClientConfig::api_version)",
            ));
        }
        (None, default) => default.cloned(),
    };
    if let Some((name, value)) = api_version {
        headers.insert(name, value);
    }
    if let Some((content_type, _)) = &parts.body {
        let value = HeaderValue::from_str(content_type).map_err(|err| {
            RequestError::new(
                op,
                RequestErrorKind::InvalidHeader,
                format!("content type {content_type:?} is not a valid header value"),
            )
            .with_source(err)
        })?;
        headers.insert(http::header::CONTENT_TYPE, value);
    }
    if let Some((name, value)) = credential {
        headers.insert(name.clone(), value.clone());
    }
    for (name, value) in &auth.headers {
        // Cookie parameters of the operation and API-key cookies share one
        // `Cookie` header; every other credential header replaces.
        let merged = match headers.get(name) {
            Some(existing) if name == http::header::COOKIE => {
                let mut joined = existing.as_bytes().to_vec();
                joined.extend_from_slice(b"; ");
                joined.extend_from_slice(value.as_bytes());
                HeaderValue::from_bytes(&joined).ok().map(|mut v| {
                    v.set_sensitive(true);
                    v
                })
            }
            _ => None,
        };
        headers.insert(name.clone(), merged.unwrap_or_else(|| value.clone()));
    }
    let extra = extra_headers(parts, &headers)?;
    for (name, value) in extra {
        headers.append(name, value);
    }
    Ok(Prepared {
        url,
        headers,
        redacted_url,
    })
}

/// The URL of a next-page link the server gave, resolved against the base
/// URL, without its fragment and without query pairs named like a
/// query-string credential (the client appends its own). The error says
/// why the link is refused, without quoting its query.
fn followed_link(base_url: &str, link: &str, auth: &Applied) -> Result<String, String> {
    let base =
        reqwest::Url::parse(&format!("{base_url}/")).map_err(|err| format!("the base URL does not parse: {err}"))?;
    let mut url = base
        .join(link)
        .map_err(|err| format!("the next-page link does not parse as a URL: {err}"))?;
    let within_base = url.scheme() == base.scheme()
        && url.host_str() == base.host_str()
        && url.port_or_known_default() == base.port_or_known_default()
        && url.path().starts_with(base.path());
    if !within_base {
        return Err(format!(
            "the next-page link points to {}://{}{} outside the client's base URL {base_url}; \
             the client sends its credential only to the base URL",
            url.scheme(),
            url.host_str().unwrap_or(""),
            url.path()
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("the next-page link carries a user name or password; the client does not follow it".to_owned());
    }
    url.set_fragment(None);
    // Only the pairs named like a query-string credential are dropped; the
    // rest stay byte for byte (a signed link must not be re-encoded).
    if let (false, Some(query)) = (auth.query.is_empty(), url.query().map(str::to_owned)) {
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| {
                let name = pair.split('=').next().unwrap_or_default();
                let name = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
                !auth.query.iter().any(|(key, _)| key.as_str() == name)
            })
            .collect();
        url.set_query((!kept.is_empty()).then(|| kept.join("&")).as_deref());
    }
    Ok(url.into())
}

/// Headers that describe the message framing; reqwest sets them.
const FRAMING_HEADERS: [HeaderName; 4] = [
    http::header::HOST,
    http::header::CONTENT_LENGTH,
    http::header::TRANSFER_ENCODING,
    http::header::CONNECTION,
];

/// Checks the per-call extra headers ([`crate::RequestOptions::header`])
/// against the headers the request sets itself. Errors name the header,
/// never its value.
fn extra_headers(parts: &RequestParts, own: &HeaderMap) -> Result<Vec<(HeaderName, HeaderValue)>, RequestError> {
    let op = parts.operation;
    let invalid = |detail: String| RequestError::new(op, RequestErrorKind::InvalidHeader, detail);
    parts
        .options
        .headers()
        .map(|(name, value)| {
            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|err| {
                invalid(format!("extra header name {name:?} is not a valid header name")).with_source(err)
            })?;
            if own.contains_key(&header) || FRAMING_HEADERS.contains(&header) {
                return Err(invalid(format!(
                    "extra header {name:?} would replace a header the client sets itself; \
                     use the builder's own setter (or the configuration) instead"
                )));
            }
            let value = HeaderValue::from_str(value).map_err(|err| {
                invalid(format!(
                    "the value of extra header {name:?} is not a valid header value"
                ))
                .with_source(err)
            })?;
            Ok((header, value))
        })
        .collect()
}

/// The request of one attempt; bodies are `Bytes`, so sharing one is cheap.
pub(crate) fn build_request(prepared: Prepared, parts: &RequestParts) -> reqwest::Request {
    let mut request = reqwest::Request::new(parts.operation.method.to_http(), prepared.url);
    *request.headers_mut() = prepared.headers;
    if let Some((_, body)) = &parts.body {
        *request.body_mut() = Some(reqwest::Body::from(body.clone()));
    }
    request
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::{HttpMethod, OperationInfo};
    use crate::request::{ApiRequest, RequestOptions};

    static OP: OperationInfo = OperationInfo {
        id: "patch-thing",
        method: HttpMethod::Patch,
        path_template: "/things/{id}",
    };

    fn credential() -> (HeaderName, HeaderValue) {
        (
            HeaderName::from_static("authorization"),
            HeaderValue::from_static("api-SECRET"),
        )
    }

    fn api_version() -> (HeaderName, HeaderValue) {
        (
            HeaderName::from_static("ld-api-version"),
            HeaderValue::from_static("20240415"),
        )
    }

    fn prepare_with(options: RequestOptions) -> Result<Prepared, RequestError> {
        let mut request = ApiRequest::new(&OP, "/things/1".into());
        request.header("X-Param", "p").unwrap();
        request.json_body("application/json", &[1]).unwrap();
        request.options(options);
        prepare(
            "http://127.0.0.1:9",
            Some(&api_version()),
            Some(&credential()),
            &Applied::default(),
            &request.into_parts(),
        )
    }

    #[test]
    fn extra_headers_are_sent_next_to_the_clients_own() {
        let options = RequestOptions::default()
            .header("Prefer", "code=404")
            .header("prefer", "example=a")
            .header("X-Trace", "t-1");
        let prepared = prepare_with(options).unwrap();
        let prefer: Vec<&str> = prepared
            .headers
            .get_all("prefer")
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect();
        assert_eq!(prefer, ["code=404", "example=a"]);
        assert_eq!(prepared.headers["x-trace"], "t-1");
        assert_eq!(prepared.headers["x-param"], "p");
        assert_eq!(prepared.headers["content-type"], "application/json");
        assert_eq!(prepared.headers["ld-api-version"], "20240415");
        assert_eq!(prepared.headers["authorization"], "api-SECRET");
        assert_eq!(prepared.headers.keys_len(), 6);
        assert_eq!(prepared.headers.len(), 7);
    }

    #[test]
    fn api_key_cookies_join_the_operations_cookie_parameters() {
        let mut request = ApiRequest::new(&OP, "/things/1".into());
        request.header("Cookie", "theme=dark").unwrap();
        let mut cookie = HeaderValue::from_static("session=s-1");
        cookie.set_sensitive(true);
        let auth = Applied {
            headers: vec![(http::header::COOKIE, cookie)],
            ..Applied::default()
        };
        let prepared = prepare("http://127.0.0.1:9", None, None, &auth, &request.into_parts()).unwrap();
        assert_eq!(prepared.headers["cookie"], "theme=dark; session=s-1");
        assert!(prepared.headers["cookie"].is_sensitive());
    }

    #[test]
    fn query_keys_are_appended_and_redacted() {
        let mut request = ApiRequest::new(&OP, "/things/1".into());
        request.query("limit", 5);
        let auth = Applied {
            query: vec![("api_key".into(), "k-SECRET".into())],
            ..Applied::default()
        };
        let prepared = prepare("http://127.0.0.1:9", None, None, &auth, &request.into_parts()).unwrap();
        assert_eq!(
            prepared.url.as_str(),
            "http://127.0.0.1:9/things/1?limit=5&api_key=k-SECRET"
        );
        assert_eq!(
            prepared.redacted_url(),
            "http://127.0.0.1:9/things/1?limit=5&api_key=<redacted>"
        );
    }

    #[test]
    fn extra_headers_cannot_replace_the_clients_own_or_framing() {
        for name in [
            "Authorization",
            "LD-API-Version",
            "content-type",
            "X-Param",
            "Host",
            "Content-Length",
            "Transfer-Encoding",
            "Connection",
        ] {
            let err = prepare_with(RequestOptions::default().header(name, "value-SECRET"))
                .err()
                .unwrap_or_else(|| panic!("{name} was accepted"));
            assert_eq!(err.kind(), RequestErrorKind::InvalidHeader, "{name}");
            let text = format!("{err} {err:?}");
            assert!(text.contains(&format!("{name:?}")), "{text}");
            assert!(!text.contains("value-SECRET"), "{text}");
        }
    }

    #[test]
    fn invalid_extra_header_names_and_values_are_errors_without_the_value() {
        for (name, value) in [("bad name", "v"), ("", "v"), ("X-Ok", "bad\nvalue-SECRET")] {
            let err = prepare_with(RequestOptions::default().header(name, value))
                .err()
                .unwrap_or_else(|| panic!("{name:?} was accepted"));
            assert_eq!(err.kind(), RequestErrorKind::InvalidHeader);
            let text = format!("{err} {err:?}");
            assert!(text.contains(&format!("{name:?}")), "{text}");
            assert!(!text.contains("SECRET"), "{text}");
        }
    }

    fn prepare_link(base: &str, link: &str, auth: &Applied) -> Result<Prepared, RequestError> {
        let mut request = ApiRequest::new(&OP, "/things/1".into());
        request.query("limit", 5);
        request.options(RequestOptions::default().follow_link(link));
        prepare(base, None, None, auth, &request.into_parts())
    }

    #[test]
    fn a_link_replaces_path_and_query_and_may_be_relative() {
        let auth = Applied::default();
        let prepared = prepare_link("http://127.0.0.1:9/api", "/api/things?page=2#top", &auth).unwrap();
        assert_eq!(prepared.url.as_str(), "http://127.0.0.1:9/api/things?page=2");
        let prepared = prepare_link(
            "http://127.0.0.1:9/api",
            "http://127.0.0.1:9/api/things?cursor=a%2Fb",
            &auth,
        )
        .unwrap();
        assert_eq!(prepared.url.as_str(), "http://127.0.0.1:9/api/things?cursor=a%2Fb");
    }

    #[test]
    fn a_link_outside_the_base_url_is_refused_before_sending() {
        let auth = Applied::default();
        for link in [
            "https://127.0.0.1:9/api/things",
            "http://evil.example/api/things",
            "http://127.0.0.1:10/api/things",
            "http://127.0.0.1:9/other/things",
            "//evil.example/api/things",
        ] {
            let err = prepare_link("http://127.0.0.1:9/api", link, &auth)
                .err()
                .unwrap_or_else(|| panic!("{link} was followed"));
            assert_eq!(err.kind(), RequestErrorKind::InvalidPath, "{link}");
            assert!(err.to_string().contains("outside the client's base URL"), "{err}");
        }
    }

    #[test]
    fn an_echoed_query_key_in_a_link_is_replaced_by_the_clients_own() {
        let auth = Applied {
            query: vec![("api_key".into(), "k-SECRET".into())],
            ..Applied::default()
        };
        let prepared = prepare_link("http://127.0.0.1:9", "/things?api_key=old&page=3", &auth).unwrap();
        assert_eq!(
            prepared.url.as_str(),
            "http://127.0.0.1:9/things?page=3&api_key=k-SECRET"
        );
        assert_eq!(
            prepared.redacted_url(),
            "http://127.0.0.1:9/things?page=3&api_key=<redacted>"
        );
    }
}
