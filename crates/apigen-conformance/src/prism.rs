//! How Prism reports what a request or its own response broke.
//!
//! A request that breaks the spec gets an error answer whose body holds a
//! `validation` list (or, when the spec documents the status Prism picks,
//! an `sl-violations` header); a response Prism generated against the spec
//! is answered anyway, with the list in `sl-violations`. Each entry has a
//! `location` (`["request", "body", "name"]`, `["body", "name"]`,
//! `["response", "body", ...]`), a `code` and a `message`.

use apigen_runtime::ResponseMeta;
use serde_json::Value;

/// The header in which Prism lists violations.
const VIOLATIONS: &str = "sl-violations";

/// The `sl-violations` header of an answer, when it has one.
pub fn violations(meta: Option<&ResponseMeta>) -> Option<String> {
    let value = meta?.headers().get(VIOLATIONS)?;
    Some(String::from_utf8_lossy(value.as_bytes()).into_owned())
}

/// The `validation` list of Prism's "Invalid request" answer.
pub fn validation_list(body: &[u8]) -> Option<Value> {
    let mut value: Value = serde_json::from_slice(body).ok()?;
    Some(value.get_mut("validation")?.take())
}

/// Prism's own failure to answer (a 5xx problem answer of its own, such
/// as an internal error while generating a response), as `title: detail`.
/// Prism validates a request before it answers, so such an answer says
/// nothing about the request.
pub fn prism_failure(status: u16, body: &[u8]) -> Option<String> {
    if status < 500 {
        return None;
    }
    let value: Value = serde_json::from_slice(body).ok()?;
    let kind = value["type"].as_str()?;
    if !kind.starts_with("https://stoplight.io/prism/errors#") {
        return None;
    }
    let title = value["title"].as_str().unwrap_or(kind);
    Some(match value["detail"].as_str() {
        Some(detail) if !detail.is_empty() => format!("{title}: {detail}"),
        _ => title.to_owned(),
    })
}

/// The list in an `sl-violations` header (which may start with
/// `Too many violations! `).
pub(crate) fn header_list(text: &str) -> Option<Value> {
    let start = text.find('[')?;
    serde_json::from_str(&text[start..]).ok()
}

/// Whether any entry of the list is about the request (not about Prism's
/// own response).
pub(crate) fn blames_request(list: &Value) -> bool {
    entries(list).any(|entry| location(entry).first().is_none_or(|first| *first != "response"))
}

/// Whether an `sl-violations` header blames the request. Prism cuts long
/// lists short (`Too many violations! [...`), so a list that does not parse
/// is read by the locations it names.
pub(crate) fn header_blames_request(text: &str) -> bool {
    match header_list(text) {
        Some(list) => blames_request(&list),
        None => text.contains(r#""location":["request""#) || !text.contains(r#""location":["response""#),
    }
}

/// Whether an answer carries violations of Prism's own generated response
/// only (none of the request).
pub fn generated_response_broken(meta: Option<&ResponseMeta>) -> bool {
    violations(meta).is_some_and(|text| !header_blames_request(&text))
}

/// The first `message` of a violation list, or the text itself.
pub fn first_message(text: &str) -> String {
    header_list(text)
        .and_then(|list| list[0]["message"].as_str().map(str::to_owned))
        .or_else(|| {
            // A list cut short: the first complete `"message":"..."`.
            let start = text.find(r#""message":""#)? + r#""message":""#.len();
            let end = text[start..].find('"')?;
            Some(text[start..start + end].to_owned())
        })
        .unwrap_or_else(|| text.to_owned())
}

/// Whether every violation says that one of `form_fields` has the wrong
/// type: fields Prism cannot read back from a form (arrays sent one key or
/// part per item, which it reads as one value, and JSON parts, which it
/// reads as text).
pub fn only_misread_form_fields(list: &Value, form_fields: &[&str]) -> bool {
    let mut entries = entries(list).peekable();
    entries.peek().is_some()
        && entries.all(|entry| {
            let location = location(entry);
            let location = location.strip_prefix(&["request"]).unwrap_or(&location);
            entry["code"] == "type" && matches!(location, ["body", name] if form_fields.contains(name))
        })
}

fn entries(list: &Value) -> impl Iterator<Item = &Value> {
    list.as_array().into_iter().flatten()
}

fn location(entry: &Value) -> Vec<&str> {
    entry["location"]
        .as_array()
        .map(|parts| parts.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_header_list_is_read_after_prisms_prefix() {
        let text =
            r#"Too many violations! [{"location":["response","body","a"],"code":"required","message":"a is missing"}]"#;
        let list = header_list(text).unwrap_or_default();
        assert!(!blames_request(&list));
        assert_eq!(first_message(text), "a is missing");
        assert_eq!(first_message("not a list"), "not a list");
    }

    #[test]
    fn a_list_cut_short_is_read_by_the_locations_it_names() {
        let cut = r#"Too many violations! [{"location":["response","body","items","0"],"code":"required","message":"m"},{"loc"#;
        assert!(header_list(cut).is_none());
        assert!(!header_blames_request(cut));
        assert_eq!(first_message(cut), "m");
        let cut = r#"Too many violations! [{"location":["request","body","a"],"code":"type"},{"loc"#;
        assert!(header_blames_request(cut));
    }

    #[test]
    fn request_entries_blame_the_request() {
        let list = json!([
            {"location": ["response", "body"], "code": "type"},
            {"location": ["request", "query", "x"], "code": "type"},
        ]);
        assert!(blames_request(&list));
        assert!(blames_request(&json!([{"location": ["body", "x"], "code": "type"}])));
    }

    #[test]
    fn only_type_errors_of_the_named_form_fields_are_misreadings() {
        let fields = ["tags", "attributes"];
        let misread = json!([
            {"location": ["body", "tags"], "code": "type", "message": "must be array"},
            {"location": ["request", "body", "attributes"], "code": "type", "message": "must be object"},
        ]);
        assert!(only_misread_form_fields(&misread, &fields));
        let other_field = json!([{"location": ["body", "name"], "code": "type"}]);
        assert!(!only_misread_form_fields(&other_field, &fields));
        let other_code = json!([{"location": ["body", "tags"], "code": "required"}]);
        assert!(!only_misread_form_fields(&other_code, &fields));
        assert!(!only_misread_form_fields(&json!([]), &fields));
    }

    #[test]
    fn prisms_own_failures_are_told_from_the_apis_errors() {
        let body = br#"{"type":"https://stoplight.io/prism/errors#UNKNOWN","title":"Unexpected error","status":500,"detail":"TypeError: x"}"#;
        assert_eq!(
            prism_failure(500, body).as_deref(),
            Some("Unexpected error: TypeError: x")
        );
        assert_eq!(prism_failure(422, body), None);
        assert_eq!(
            prism_failure(500, br#"{"type":"about:blank","title":"Server error"}"#),
            None
        );
        assert_eq!(prism_failure(500, b"<html>"), None);
    }

    #[test]
    fn the_validation_list_comes_from_prisms_problem_body() {
        let body = br#"{"title":"Invalid request","status":422,"validation":[{"location":["body"],"code":"type"}]}"#;
        assert_eq!(
            validation_list(body),
            Some(json!([{"location":["body"],"code":"type"}]))
        );
        assert_eq!(validation_list(b"{}"), None);
        assert_eq!(validation_list(b"not json"), None);
    }
}
