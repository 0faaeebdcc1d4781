//! Preparing a call once: the checked URL and the headers that every
//! attempt sends.

use http::{HeaderMap, HeaderName, HeaderValue};

use crate::error::{RequestError, RequestErrorKind};
use crate::path::check_path;
use crate::request::RequestParts;

/// The URL and headers of a call, shared by all its attempts.
pub(crate) struct Prepared {
    url: reqwest::Url,
    headers: HeaderMap,
}

/// Checks the path and builds the URL once per call.
pub(crate) fn prepare(
    base_url: &str,
    default_api_version: Option<&(HeaderName, HeaderValue)>,
    credential: Option<&(HeaderName, HeaderValue)>,
    parts: &RequestParts,
) -> Result<Prepared, RequestError> {
    let op = parts.operation;
    let invalid_path = |detail: String| RequestError::new(op, RequestErrorKind::InvalidPath, detail);
    check_path(&parts.path, op.path_template).map_err(|reason| invalid_path(reason.to_owned()))?;
    let mut text = format!("{}{}", base_url, parts.path);
    if !parts.query.as_str().is_empty() {
        text.push('?');
        text.push_str(parts.query.as_str());
    }
    let url = reqwest::Url::parse(&text)
        .map_err(|err| invalid_path(format!("the URL does not parse: {err}")).with_source(err))?;
    // The URL parser normalises; if it changed anything, the request would
    // not go where the generated code meant it to go.
    if url.as_str() != text {
        return Err(invalid_path(
            "URL normalisation would change the path; a parameter is not encoded safely".to_owned(),
        ));
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
    Ok(Prepared { url, headers })
}

/// A fresh request for one attempt; bodies are `Bytes`, so this is cheap.
pub(crate) fn build_request(prepared: &Prepared, parts: &RequestParts) -> reqwest::Request {
    let mut request = reqwest::Request::new(parts.operation.method.to_http(), prepared.url.clone());
    *request.headers_mut() = prepared.headers.clone();
    if let Some((_, body)) = &parts.body {
        *request.body_mut() = Some(reqwest::Body::from(body.clone()));
    }
    request
}
