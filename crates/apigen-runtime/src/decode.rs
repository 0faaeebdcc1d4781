//! Turning a [`RawResponse`] into typed results; generated code picks the
//! helper that matches what the OpenAPI document declares for a status.

use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::deviation::{DecodePolicy, Deviation};
use crate::error::{DecodeError, DecodeErrorKind, ErrorResponse, UnexpectedStatus};
use crate::locate;
use crate::repair::{self, Failure};
use crate::response::{RawResponse, Response, ResponseMeta};

const JSON: &str = "application/json";

/// Decodes a JSON body.
///
/// Fails with a [`DecodeError`] when the body is empty (or only
/// whitespace), when the content type is not JSON (`application/json` or a
/// `+json` type, parameters allowed), or when the body is not valid JSON of
/// the expected shape (the error names the JSON path, e.g. `items[3].name`).
pub fn decode_json<T: DeserializeOwned>(raw: RawResponse) -> Result<Response<T>, DecodeError> {
    let (mut meta, body) = raw.into_parts();
    let value = parse_json(&mut meta, &body)?;
    Ok(Response::new(value, meta))
}

/// Decodes the body of a 2xx response as JSON into the caller's own type,
/// and hands any other status to `error`: the operation's own mapping of
/// statuses to its error type. Generated `send_as` methods call this.
///
/// The checks are those of [`decode_json`], except that an empty body (a
/// 204, say) decodes as JSON `null`, so that `()`, `Option<_>` and
/// `serde_json::Value` accept it; a type that refuses `null` fails with
/// [`DecodeErrorKind::EmptyBody`].
///
/// The decode is strict whatever the call's policy, as in
/// [`RawResponse::json`]: the type is the caller's own.
pub fn decode_as<T, E>(raw: RawResponse, error: impl FnOnce(RawResponse) -> E) -> Result<Response<T>, E>
where
    T: DeserializeOwned,
    E: From<DecodeError>,
{
    if !raw.status().is_success() {
        return Err(error(raw));
    }
    let (meta, body) = raw.into_parts();
    let raw = RawResponse::new(meta.with_decode_policy(DecodePolicy::Strict), body);
    if raw.body().iter().all(u8::is_ascii_whitespace) {
        let (meta, body) = raw.into_parts();
        return match serde_json::from_value::<T>(serde_json::Value::Null) {
            Ok(value) => Ok(Response::new(value, meta)),
            Err(_) => Err(DecodeError::new(meta, DecodeErrorKind::EmptyBody, body).into()),
        };
    }
    Ok(decode_json(raw)?)
}

/// Accepts a response without a body (204 and other bodiless answers); any
/// body that came anyway is ignored.
pub fn decode_empty(raw: RawResponse) -> Response<()> {
    let (meta, _) = raw.into_parts();
    Response::new((), meta)
}

/// Decodes a documented error status into its schema, with the same checks
/// as [`decode_json`]. The `code` and `message` string fields, when the body
/// has them, are kept for the error's `Display`.
pub fn decode_error<T: DeserializeOwned>(raw: RawResponse) -> Result<ErrorResponse<T>, DecodeError> {
    let (mut meta, body) = raw.into_parts();
    let value: T = parse_json(&mut meta, &body)?;
    // A second, schema-free parse finds `code` and `message` whatever the
    // generated error type calls them.
    let fields = serde_json::from_slice::<serde_json::Value>(&body).ok();
    let field = |name: &str| {
        fields
            .as_ref()
            .and_then(|v| v.get(name))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let (code, message) = (field("code"), field("message"));
    Ok(ErrorResponse::new(value, meta, code, message))
}

/// A documented error status whose response has no body in the spec; any
/// body that came anyway is ignored.
pub fn error_without_body(raw: RawResponse) -> ErrorResponse<()> {
    let (meta, _) = raw.into_parts();
    ErrorResponse::new((), meta, None, None)
}

/// A documented error status with a text body (`text/*`); fails when the
/// body is not valid UTF-8. The text is not put in the error's `Display`,
/// which never shows a body.
pub fn decode_error_text(raw: RawResponse) -> Result<ErrorResponse<String>, DecodeError> {
    let (meta, body) = raw.into_parts();
    match String::from_utf8(body.to_vec()) {
        Ok(text) => Ok(ErrorResponse::new(text, meta, None, None)),
        Err(_) => Err(DecodeError::new(meta, DecodeErrorKind::NotUtf8, body)),
    }
}

/// A documented error status with a binary body, kept as it arrived.
pub fn error_bytes(raw: RawResponse) -> ErrorResponse<Bytes> {
    let (meta, body) = raw.into_parts();
    ErrorResponse::new(body, meta, None, None)
}

/// Wraps a status the document does not declare, keeping a body excerpt.
pub fn unexpected_status(raw: RawResponse) -> UnexpectedStatus {
    let (meta, body) = raw.into_parts();
    UnexpectedStatus::new(meta, body)
}

/// Decodes a text body; fails when it is not valid UTF-8. The content type
/// is not checked, because servers label plain text inconsistently.
pub fn decode_text(raw: RawResponse) -> Result<Response<String>, DecodeError> {
    let (meta, body) = raw.into_parts();
    match String::from_utf8(body.to_vec()) {
        Ok(text) => Ok(Response::new(text, meta)),
        Err(_) => Err(DecodeError::new(meta, DecodeErrorKind::NotUtf8, body)),
    }
}

/// Returns a binary body as it arrived.
pub fn decode_bytes(raw: RawResponse) -> Response<Bytes> {
    let (meta, body) = raw.into_parts();
    Response::new(body, meta)
}

/// Deserialises an open string enum of generated code: any string becomes
/// `T::from(&str)` (a known value its variant, any other value `Unknown`
/// with the text kept); anything but a string is an error.
///
/// Generated enums call this from their `Deserialize` impl. It decodes in
/// one pass, where `#[derive(Deserialize)]` with an `#[serde(untagged)]`
/// fallback variant buffers every value first (BENCHMARKS.md).
pub fn deserialize_open_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct OpenEnum<T>(std::marker::PhantomData<T>);

    impl<T: for<'a> From<&'a str>> serde::de::Visitor<'_> for OpenEnum<T> {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            Ok(T::from(value))
        }

        fn visit_bytes<E: serde::de::Error>(self, value: &[u8]) -> Result<T, E> {
            match std::str::from_utf8(value) {
                Ok(text) => Ok(T::from(text)),
                Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(value), &self)),
            }
        }
    }

    deserializer.deserialize_str(OpenEnum(std::marker::PhantomData))
}

fn parse_json<T: DeserializeOwned>(meta: &mut ResponseMeta, body: &Bytes) -> Result<T, DecodeError> {
    let fail = |meta: &ResponseMeta, kind| DecodeError::new(meta.clone(), kind, body.clone());
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(fail(meta, DecodeErrorKind::EmptyBody));
    }
    let content_type = meta.content_type();
    if !content_type.is_some_and(is_json_content_type) {
        return Err(fail(
            meta,
            DecodeErrorKind::ContentType {
                found: content_type.map(str::to_owned),
                expected: JSON,
            },
        ));
    }
    // A body that conforms, the usual case, is decoded once and returned
    // straight away.
    let first = match decode_located::<T>(body) {
        Ok(value) => return Ok(value),
        Err(failure) => failure,
    };
    let mut decoded = None;
    let mut attempt = |bytes: &[u8]| {
        decoded = Some(decode_located::<T>(bytes)?);
        Ok(())
    };
    let outcome = match meta.decode_policy() {
        DecodePolicy::Lenient => repair::repair(body, first, &mut attempt).map(|deviations| report(meta, deviations)),
        DecodePolicy::Strict => Err(first),
    };
    let json_failure = |failure: Failure| DecodeErrorKind::Json {
        path: failure.path(),
        message: failure.message,
    };
    match (outcome, decoded) {
        (Ok(()), Some(value)) => Ok(value),
        (Err(failure), _) => Err(fail(meta, json_failure(failure))),
        // An accepted attempt always leaves its value.
        (Ok(()), None) => Err(fail(
            meta,
            DecodeErrorKind::Json {
                path: ".".to_owned(),
                message: "lenient decoding lost the decoded value".to_owned(),
            },
        )),
    }
}

/// One typed decode of a whole body; a failure names the JSON path where it
/// arose ([`locate`] finds it from the parser's position, so
/// a body that decodes pays nothing for it). Lenient repairs call this same
/// function, so the generated types' `Deserialize` code is instantiated once,
/// for serde_json's deserializer.
pub(crate) fn decode_located<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Failure> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let located = |err: serde_json::Error| Failure {
        steps: locate::steps_of_error(bytes, &err),
        message: err.to_string(),
    };
    let value = T::deserialize(&mut deserializer).map_err(located)?;
    // Trailing data after the value means the body is not one JSON document.
    deserializer.end().map_err(|err| Failure {
        steps: Vec::new(),
        message: err.to_string(),
    })?;
    Ok(value)
}

/// Keeps the deviations lenient decoding accepted on the response, and
/// logs each, so that a server drifting from its spec is noticed.
fn report(meta: &mut ResponseMeta, deviations: Vec<Deviation>) {
    for deviation in &deviations {
        tracing::warn!(
            operation = meta.operation().id,
            status = meta.status().as_u16(),
            path = deviation.path(),
            pointer = deviation.pointer(),
            expected = deviation.expected(),
            "response deviates from its schema: {deviation}"
        );
    }
    meta.set_deviations(deviations);
}

/// `application/json`, or any `+json` type such as
/// `application/problem+json`; parameters such as `charset` or
/// LaunchDarkly's `domain-model` are allowed.
pub(crate) fn is_json_content_type(value: &str) -> bool {
    let essence = value.split(';').next().unwrap_or("").trim();
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    // Compared without allocating: this runs on every decoded response.
    let is_json = subtype.eq_ignore_ascii_case("json")
        || subtype.len() >= 5
            && subtype
                .as_bytes()
                .get(subtype.len() - 5..)
                .is_some_and(|end| end.eq_ignore_ascii_case(b"+json"));
    !kind.is_empty() && is_json
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::{HttpMethod, OperationInfo};
    use crate::ratelimit::RateLimitInfo;
    use http::{HeaderMap, HeaderValue, StatusCode};
    use serde::Deserialize;

    static OP: OperationInfo = OperationInfo {
        id: "get-token",
        method: HttpMethod::Get,
        path_template: "/api/v2/tokens/{id}",
    };

    fn raw(status: u16, content_type: Option<&str>, body: &str) -> RawResponse {
        let mut headers = HeaderMap::new();
        if let Some(ct) = content_type {
            headers.insert(http::header::CONTENT_TYPE, HeaderValue::from_str(ct).unwrap());
        }
        let meta = ResponseMeta::new(
            &OP,
            StatusCode::from_u16(status).unwrap(),
            headers,
            RateLimitInfo::default(),
            1,
        );
        RawResponse::new(meta, Bytes::from(body.to_owned()))
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Token {
        name: String,
        items: Vec<u32>,
    }

    #[derive(Debug, PartialEq)]
    enum Effect {
        Allow,
        Unknown(String),
    }

    impl From<&str> for Effect {
        fn from(value: &str) -> Self {
            match value {
                "allow" => Self::Allow,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }

    impl<'de> Deserialize<'de> for Effect {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize_open_enum(deserializer)
        }
    }

    #[test]
    fn open_enums_keep_unknown_strings_and_reject_other_types() {
        let decoded: Vec<Effect> = serde_json::from_str(r#"["allow", "deny", "esc\"aped\u00e9"]"#).unwrap();
        assert_eq!(
            decoded,
            [
                Effect::Allow,
                Effect::Unknown("deny".into()),
                Effect::Unknown("esc\"aped\u{e9}".into())
            ]
        );
        let err = serde_json::from_str::<Effect>("5").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid type: integer `5`, expected a string at line 1 column 1"
        );
        // Through serde's buffered paths (untagged unions, flatten) too.
        let value = serde_json::json!("allow");
        assert_eq!(Effect::deserialize(&value).unwrap(), Effect::Allow);
    }

    #[test]
    fn json_content_types() {
        assert!(is_json_content_type("application/json"));
        assert!(is_json_content_type("Application/JSON; charset=utf-8"));
        assert!(is_json_content_type(
            "application/json; domain-model=launchdarkly.semanticpatch"
        ));
        assert!(is_json_content_type("application/problem+json"));
        assert!(!is_json_content_type("text/html"));
        assert!(!is_json_content_type("json"));
        assert!(!is_json_content_type("application/jsonx"));
    }

    #[test]
    fn decodes_valid_json() {
        let r = decode_json::<Token>(raw(200, Some("application/json"), r#"{"name":"a","items":[1]}"#)).unwrap();
        assert_eq!(r.name, "a");
        assert_eq!(r.status(), StatusCode::OK);
    }

    #[test]
    fn reports_the_json_path_of_a_shape_error() {
        let err =
            decode_json::<Token>(raw(200, Some("application/json"), r#"{"name":"a","items":[1,"x"]}"#)).unwrap_err();
        match err.kind() {
            DecodeErrorKind::Json { path, message } => {
                assert_eq!(path, "items[1]");
                let plain = serde_json::from_str::<Token>(r#"{"name":"a","items":[1,"x"]}"#).unwrap_err();
                assert_eq!(message, &plain.to_string());
            }
            other => panic!("unexpected kind {other:?}"),
        }
    }

    #[test]
    fn empty_wrong_type_and_trailing_data_fail() {
        let err = decode_json::<Token>(raw(200, Some("application/json"), "  ")).unwrap_err();
        assert_eq!(err.kind(), &DecodeErrorKind::EmptyBody);
        let err = decode_json::<Token>(raw(200, Some("text/html"), "<html></html>")).unwrap_err();
        assert!(matches!(err.kind(), DecodeErrorKind::ContentType { found: Some(f), .. } if f == "text/html"));
        assert_eq!(err.body_excerpt(), "<html></html>");
        let err = decode_json::<Token>(raw(200, None, "{}")).unwrap_err();
        assert!(matches!(err.kind(), DecodeErrorKind::ContentType { found: None, .. }));
        let err = decode_json::<serde_json::Value>(raw(200, Some("application/json"), "{} {}")).unwrap_err();
        assert!(matches!(err.kind(), DecodeErrorKind::Json { .. }));
    }

    #[test]
    fn error_bodies_expose_code_and_message() {
        let body = r#"{"code":"invalid_request","message":"bad patch","id":"abc"}"#;
        let err = decode_error::<serde_json::Value>(raw(400, Some("application/json"), body)).unwrap();
        assert_eq!(err.code(), Some("invalid_request"));
        assert_eq!(err.message(), Some("bad patch"));
        assert_eq!(err.body()["id"], "abc");
        assert!(
            err.to_string()
                .ends_with("failed with status 400 Bad Request: invalid_request: bad patch")
        );
    }

    #[test]
    fn text_bytes_and_empty() {
        let r = decode_text(raw(200, Some("text/plain"), "héllo")).unwrap();
        assert_eq!(r.body(), "héllo");
        let meta = raw(200, None, "").into_parts().0;
        let bad = RawResponse::new(meta, Bytes::from_static(b"\xff"));
        assert_eq!(decode_text(bad).unwrap_err().kind(), &DecodeErrorKind::NotUtf8);
        assert_eq!(decode_bytes(raw(200, None, "xy")).body().as_ref(), b"xy");
        assert_eq!(decode_empty(raw(204, None, "")).status(), StatusCode::NO_CONTENT);
        let u = unexpected_status(raw(418, Some("text/plain"), "teapot"));
        assert_eq!(u.body_excerpt(), "teapot");
    }

    #[test]
    fn text_and_binary_error_bodies() {
        let err = decode_error_text(raw(503, Some("text/plain"), "down for maintenance")).unwrap();
        assert_eq!(err.body(), "down for maintenance");
        assert_eq!(err.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(err.message(), None);
        assert!(err.to_string().ends_with("failed with status 503 Service Unavailable"));
        let meta = raw(500, None, "").into_parts().0;
        let bad = RawResponse::new(meta, Bytes::from_static(b"\xfe"));
        assert_eq!(decode_error_text(bad).unwrap_err().kind(), &DecodeErrorKind::NotUtf8);
        let err = error_bytes(raw(415, Some("application/octet-stream"), "\u{1}\u{2}"));
        assert_eq!(err.body().as_ref(), b"\x01\x02");
        assert_eq!(err.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }

    /// A JSON response with an `x-request-id` header, decoded strictly.
    fn raw_with_header(status: u16, body: &str) -> RawResponse {
        let (meta, _) = raw(status, Some("application/json"), "").into_parts();
        let mut headers = meta.headers().clone();
        headers.insert("x-request-id", HeaderValue::from_static("req-7"));
        let meta = ResponseMeta::new(&OP, meta.status(), headers, RateLimitInfo::default(), 1)
            .with_decode_policy(DecodePolicy::Strict);
        RawResponse::new(meta, Bytes::from(body.to_owned()))
    }

    #[test]
    fn lenient_decoding_reports_what_it_accepted_on_the_response() {
        let body = r#"{"name":"a","items":[1,null,2]}"#;
        let strict = decode_json::<Token>(raw_with_header(200, body)).unwrap_err();
        assert_eq!(strict.json_path(), Some("items[1]"));
        assert!(raw(200, None, "").meta().deviations().is_empty());

        let lenient = decode_json::<Token>(raw(200, Some("application/json"), body)).unwrap();
        assert_eq!(lenient.items, [1, 2]);
        assert_eq!(lenient.deviations().len(), 1);
        assert_eq!(lenient.deviations()[0].path(), "items[1]");
        assert_eq!(lenient.deviations()[0].kind(), crate::DeviationKind::NullItemDropped);
        assert_eq!(lenient.deviations()[0].expected(), "invalid type: null, expected u32");

        // Documented error bodies are decoded under the same policy.
        let error = decode_error::<Token>(raw(409, Some("application/json"), r#"{"name":"a"}"#)).unwrap();
        assert_eq!(error.meta().deviations()[0].path(), "items");
    }

    #[test]
    fn lenient_decoding_refuses_to_make_up_a_value_and_keeps_the_body() {
        let body = r#"{"items":[null,3],"name":null}"#;
        let err = decode_json::<Token>(raw(200, Some("application/json"), body)).unwrap_err();
        assert_eq!(err.json_path(), Some("name"));
        assert_eq!(err.message(), Some("invalid type: null, expected a string"));
        assert_eq!(err.body().as_ref(), body.as_bytes());
        assert_eq!(err.meta().decode_policy(), DecodePolicy::Lenient);
    }

    #[test]
    fn a_failed_decode_keeps_the_whole_response() {
        // Longer than the excerpt, so that the test tells the two apart.
        let padding = "p".repeat(2 * crate::EXCERPT_LIMIT);
        let body = format!(r#"{{"padding":"{padding}","name":null,"items":[1]}}"#);
        let err = decode_json::<Token>(raw_with_header(200, &body)).unwrap_err();
        assert_eq!(err.status(), StatusCode::OK);
        assert_eq!(err.headers()["x-request-id"], "req-7");
        assert_eq!(err.body().as_ref(), body.as_bytes());
        assert_eq!(err.body_excerpt().len(), crate::EXCERPT_LIMIT);
        assert_eq!(err.json_path(), Some("name"));
        assert_eq!(
            err.message(),
            Some("invalid type: null, expected a string at line 1 column 2073")
        );
        let value = err.json::<serde_json::Value>().unwrap();
        assert_eq!(value.body()["items"][0], 1);
        assert_eq!(value.headers()["x-request-id"], "req-7");
        let debug = format!("{err:?}");
        assert!(debug.contains("body_len: 2086"), "{debug}");
        assert!(debug.len() < 2 * crate::EXCERPT_LIMIT, "Debug shows the excerpt only");
        let again = err.into_raw();
        assert_eq!(again.body().as_ref(), body.as_bytes());
        assert_eq!(again.status(), StatusCode::OK);

        let err = decode_json::<Token>(raw_with_header(200, r#"{"items":[]}"#)).unwrap_err();
        assert_eq!(err.json_path(), Some("."));
        assert_eq!(err.message(), Some("missing field `name` at line 1 column 12"));
        let err = decode_json::<Token>(raw(200, Some("text/html"), "<p>")).unwrap_err();
        assert_eq!((err.json_path(), err.message()), (None, None));
        assert_eq!(err.body().as_ref(), b"<p>");
    }

    #[test]
    fn a_documented_error_that_does_not_decode_keeps_its_body() {
        #[derive(Debug, Deserialize)]
        struct Problem {
            #[allow(dead_code)]
            code: u32,
        }
        let err = decode_error::<Problem>(raw_with_header(409, r#"{"code":"conflict"}"#)).unwrap_err();
        assert_eq!(err.status(), StatusCode::CONFLICT);
        assert_eq!(err.body().as_ref(), br#"{"code":"conflict"}"#);
        assert_eq!(err.json_path(), Some("code"));
        let unexpected = unexpected_status(raw_with_header(201, r#"{"id":5}"#));
        assert_eq!(unexpected.body().as_ref(), br#"{"id":5}"#);
        assert_eq!(unexpected.headers()["x-request-id"], "req-7");
        assert_eq!(unexpected.json::<serde_json::Value>().unwrap().body()["id"], 5);
        assert_eq!(unexpected.into_raw().status(), StatusCode::CREATED);
    }

    #[derive(Debug)]
    enum OpError {
        Status(u16),
        Decode(DecodeError),
    }

    impl From<DecodeError> for OpError {
        fn from(err: DecodeError) -> Self {
            Self::Decode(err)
        }
    }

    fn status_error(raw: RawResponse) -> OpError {
        OpError::Status(raw.status().as_u16())
    }

    #[test]
    fn decode_as_reads_2xx_into_the_callers_type_and_leaves_other_statuses_to_the_operation() {
        let bad = r#"{"name":null,"items":["x"]}"#;
        let value = decode_as::<serde_json::Value, _>(raw_with_header(200, bad), status_error).unwrap();
        assert_eq!(value.body()["items"][0], "x");
        assert_eq!(value.headers()["x-request-id"], "req-7");
        match decode_as::<Token, _>(raw_with_header(200, bad), status_error) {
            Err(OpError::Decode(err)) => assert_eq!(err.json_path(), Some("name")),
            other => panic!("expected a decode error, got {other:?}"),
        }
        match decode_as::<serde_json::Value, _>(raw_with_header(404, r#"{"ok":true}"#), status_error) {
            Err(OpError::Status(404)) => {}
            other => panic!("expected the operation's error, got {other:?}"),
        }
        // An empty 2xx body is JSON `null` for types that accept it.
        let empty = decode_as::<serde_json::Value, _>(raw(204, None, ""), status_error).unwrap();
        assert_eq!(empty.body(), &serde_json::Value::Null);
        assert_eq!(empty.status(), StatusCode::NO_CONTENT);
        assert!(
            decode_as::<Option<Token>, _>(raw(204, None, ""), status_error)
                .unwrap()
                .is_none()
        );
        match decode_as::<Token, _>(raw(204, None, " "), status_error) {
            Err(OpError::Decode(err)) => assert_eq!(err.kind(), &DecodeErrorKind::EmptyBody),
            other => panic!("expected an empty-body error, got {other:?}"),
        }
        let raw_json = raw_with_header(500, r"[1,2]").json::<Vec<u8>>().unwrap();
        assert_eq!(raw_json.into_body(), [1, 2]);
    }
}
