//! Encoding of path parameters.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Every byte except the RFC 3986 unreserved characters (`ALPHA DIGIT - . _ ~`).
///
/// Encoding this much is stricter than RFC 3986 requires for a path segment,
/// but it guarantees that a value can never add a segment (`/`), start a query
/// (`?`) or fragment (`#`), or be decoded twice (`%`).
pub(crate) const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes `value` so that it stays exactly one path segment.
///
/// Every byte outside RFC 3986 unreserved (`ALPHA DIGIT - . _ ~`) is
/// `%XX`-encoded, so `/`, `%`, `?`, `#`, space and non-ASCII characters are
/// encoded. A segment made only of dots (`.`, `..`) has its dots encoded as
/// `%2E`.
///
/// Note that WHATWG URL parsing (which the HTTP stack uses) still treats
/// `%2E` and `%2E%2E` as dot segments and would remove them; the transport
/// therefore refuses to send a request whose path the URL parser changed
/// (see [`crate::RequestErrorKind::InvalidPath`]) instead of letting a
/// value such as `..` address a different resource. An empty value gives an
/// empty segment, which the transport refuses for the same reason.
pub fn encode_path_segment(value: &str) -> Cow<'_, str> {
    if !value.is_empty() && value.bytes().all(|b| b == b'.') {
        return Cow::Owned("%2E".repeat(value.len()));
    }
    utf8_percent_encode(value, COMPONENT).into()
}

/// Checks that a generated path cannot address another resource than its
/// template describes: no empty segment that the template does not have,
/// and no dot segment (`.`, `..` in any encoding) that URL normalisation
/// would collapse. Returns a reason when the path is unsafe.
pub(crate) fn check_path(path: &str, template: &str) -> Result<(), &'static str> {
    if !path.starts_with('/') {
        return Err("the path does not start with '/'");
    }
    let empty_in_path = path.split('/').skip(1).filter(|s| s.is_empty()).count();
    let empty_in_template = template.split('/').skip(1).filter(|s| s.is_empty()).count();
    if empty_in_path > empty_in_template {
        return Err("a path parameter is empty, which would address another resource");
    }
    for segment in path.split('/') {
        if is_dot_segment(segment) {
            return Err("a path parameter is '.' or '..', which URL normalisation would remove");
        }
    }
    Ok(())
}

/// Whether `segment` is `.` or `..` once `%2E`/`%2e` is decoded, which is the
/// WHATWG URL definition of single- and double-dot segments.
fn is_dot_segment(segment: &str) -> bool {
    [".", "..", "%2e", "%2e%2e", ".%2e", "%2e."]
        .iter()
        .any(|dot| segment.eq_ignore_ascii_case(dot))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreserved_characters_are_kept() {
        assert_eq!(encode_path_segment("Abc-1.2_x~"), "Abc-1.2_x~");
        assert!(matches!(encode_path_segment("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn separators_and_specials_are_encoded() {
        assert_eq!(encode_path_segment("a/../b"), "a%2F..%2Fb");
        assert_eq!(encode_path_segment("100%"), "100%25");
        assert_eq!(encode_path_segment("a?b=c"), "a%3Fb%3Dc");
        assert_eq!(encode_path_segment("a#frag"), "a%23frag");
        assert_eq!(encode_path_segment("a b"), "a%20b");
        assert_eq!(encode_path_segment("a+b"), "a%2Bb");
    }

    #[test]
    fn non_ascii_is_utf8_percent_encoded() {
        assert_eq!(encode_path_segment("é"), "%C3%A9");
        assert_eq!(encode_path_segment("日本"), "%E6%97%A5%E6%9C%AC");
    }

    #[test]
    fn dot_only_segments_are_encoded() {
        assert_eq!(encode_path_segment("."), "%2E");
        assert_eq!(encode_path_segment(".."), "%2E%2E");
        assert_eq!(encode_path_segment("..."), "%2E%2E%2E");
        // Dots inside a longer value are harmless and stay readable.
        assert_eq!(encode_path_segment("v1.2"), "v1.2");
        assert_eq!(encode_path_segment(".hidden"), ".hidden");
    }

    #[test]
    fn check_path_rejects_dot_and_empty_segments() {
        let template = "/api/v2/tokens/{id}";
        assert!(check_path("/api/v2/tokens/abc", template).is_ok());
        assert!(check_path("/api/v2/tokens/%2E%2E%2E", template).is_ok());
        assert!(check_path("/api/v2/tokens/%2E%2E", template).is_err());
        assert!(check_path("/api/v2/tokens/%2e", template).is_err());
        assert!(check_path("/api/v2/tokens/.%2E", template).is_err());
        assert!(check_path("/api/v2/tokens/", template).is_err());
        assert!(check_path("/api/v2//x", "/api/v2/{a}/x").is_err());
        assert!(check_path("/api/v2/items/", "/api/v2/items/").is_ok());
        assert!(check_path("api/v2", "api/v2").is_err());
    }

    #[test]
    fn encoded_segment_round_trips_through_url_parsing() {
        // The encoded value must survive URL parsing unchanged, so that the
        // server receives exactly one segment.
        for value in ["a/../b", "100%", "a?b", "x#y", "a b", "é", "..."] {
            let encoded = encode_path_segment(value);
            let url = url::Url::parse(&format!("http://h/base/{encoded}")).unwrap();
            assert_eq!(url.path(), format!("/base/{encoded}"), "{value}");
            let decoded = percent_encoding::percent_decode_str(&encoded).decode_utf8().unwrap();
            assert_eq!(decoded, value);
        }
    }

    #[test]
    fn url_parsing_does_remove_encoded_double_dots() {
        // This is why the transport checks paths: `%2E%2E` alone is not enough.
        let url = url::Url::parse("http://h/base/x/%2E%2E").unwrap();
        assert_eq!(url.path(), "/base/");
    }
}
