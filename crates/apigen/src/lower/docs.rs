//! Turns spec prose into rustdoc text.
//!
//! Descriptions are Markdown written for a web page. Two constructs would
//! change meaning in rustdoc: indented blocks (rustdoc compiles them as Rust
//! doc tests) and bare code fences (also Rust by default). Lines are
//! de-indented and bare fences are marked `text`; bare URLs are wrapped in
//! `<...>` so they render as links.

/// Joins non-empty parts with a blank line and sanitises the result.
pub(crate) fn join(parts: &[Option<&str>]) -> String {
    let texts: Vec<String> = parts
        .iter()
        .flatten()
        .map(|text| sanitize(text))
        .filter(|text| !text.is_empty())
        .collect();
    let mut out: Vec<String> = Vec::new();
    for text in texts {
        // A summary is often repeated as the first sentence of the description.
        if out.last().is_some_and(|last| text.starts_with(last.as_str())) {
            out.pop();
        }
        out.push(text);
    }
    out.join("\n\n")
}

/// Sanitises one piece of prose.
pub(crate) fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.trim().lines() {
        let line = line.trim();
        if let Some(language) = line.strip_prefix("```") {
            if !in_fence && (language.is_empty() || language == "rust") {
                out.push("```text".to_owned());
            } else {
                out.push(line.to_owned());
            }
            in_fence = !in_fence;
            continue;
        }
        out.push(if in_fence {
            line.to_owned()
        } else {
            wrap_bare_urls(line)
        });
    }
    if in_fence {
        out.push("```".to_owned());
    }
    out.join("\n")
}

fn wrap_bare_urls(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = find_url(rest) {
        let (before, from_url) = rest.split_at(start);
        let preceding = before.chars().last();
        let end = from_url
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | ']' | '`'))
            .unwrap_or(from_url.len());
        let url = from_url[..end].trim_end_matches(['.', ',', ';', ':']);
        let after = &from_url[url.len()..];
        out.push_str(before);
        if matches!(preceding, Some('(' | '<' | '"' | '\'' | '`' | '[' | '=')) {
            out.push_str(url);
        } else {
            out.push('<');
            out.push_str(url);
            out.push('>');
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

fn find_url(text: &str) -> Option<usize> {
    match (text.find("https://"), text.find("http://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// What a schema says about its values, as a phrase for the docs of a
/// property or parameter that has no description of its own: "a `uuid`
/// string", "an integer from 1 to 20, 10 by default", "one of `asc`,
/// `desc`". `None` when the schema states nothing beyond its type.
pub(crate) fn facts(schema: &openapiv3::Schema) -> Option<String> {
    use openapiv3::{SchemaKind, Type, VariantOrUnknownOrEmpty};
    let format = |format: &VariantOrUnknownOrEmpty<_>, name: fn(&_) -> &'static str| match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(name(item).to_owned()),
        VariantOrUnknownOrEmpty::Unknown(text) => Some(text.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    };
    let range = |min: Option<String>, max: Option<String>| match (min, max) {
        (Some(min), Some(max)) => Some(format!("from {min} to {max}")),
        (Some(min), None) => Some(format!("at least {min}")),
        (None, Some(max)) => Some(format!("at most {max}")),
        (None, None) => None,
    };
    let mut parts: Vec<String> = Vec::new();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            let members: Vec<String> = string
                .enumeration
                .iter()
                .flatten()
                .map(|m| {
                    if m.is_empty() {
                        "`\"\"`".to_owned()
                    } else {
                        format!("`{m}`")
                    }
                })
                .collect();
            if !members.is_empty() {
                parts.push(one_of(&members));
            } else {
                match format(&string.format, |f| match f {
                    openapiv3::StringFormat::Date => "date",
                    openapiv3::StringFormat::DateTime => "date-time",
                    openapiv3::StringFormat::Password => "password",
                    openapiv3::StringFormat::Byte => "base64",
                    openapiv3::StringFormat::Binary => "binary",
                }) {
                    Some(format) if format != "string" => parts.push(format!("a `{format}` string")),
                    _ => parts.push("a string".into()),
                }
                let length = range(
                    string.min_length.map(|n| n.to_string()),
                    string.max_length.map(|n| n.to_string()),
                );
                if let Some(length) = length {
                    parts.push(format!("{length} characters long"));
                }
                if let Some(pattern) = &string.pattern {
                    parts.push(format!("matching `{pattern}`"));
                }
            }
        }
        SchemaKind::Type(Type::Integer(integer)) => {
            let members: Vec<String> = integer.enumeration.iter().flatten().map(|m| format!("`{m}`")).collect();
            if !members.is_empty() {
                parts.push(one_of(&members));
            } else {
                parts.push("an integer".into());
                if let Some(range) = range(
                    integer.minimum.map(|n| n.to_string()),
                    integer.maximum.map(|n| n.to_string()),
                ) {
                    parts.push(range);
                }
            }
        }
        SchemaKind::Type(Type::Number(number)) => {
            parts.push("a number".into());
            if let Some(range) = range(
                number.minimum.map(|n| n.to_string()),
                number.maximum.map(|n| n.to_string()),
            ) {
                parts.push(range);
            }
        }
        _ => {}
    }
    if let Some(default) = &schema.schema_data.default {
        parts.push(format!("`{default}` by default"));
    }
    if let Some(example) = &schema.schema_data.example {
        parts.push(format!("for example `{example}`"));
    }
    // A bare type says nothing the field's Rust type does not.
    if parts.len() <= 1
        && matches!(
            parts.first().map(String::as_str),
            Some("a string" | "an integer" | "a number") | None
        )
    {
        return None;
    }
    Some(parts.join(", "))
}

fn one_of(members: &[String]) -> String {
    match members {
        [only] => format!("always {only}"),
        _ => format!("one of {}", members.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_bare_urls_only() {
        assert_eq!(sanitize("see https://x.dev/a."), "see <https://x.dev/a>.");
        assert_eq!(sanitize("[a](https://x.dev)"), "[a](https://x.dev)");
        assert_eq!(sanitize("<https://x.dev>"), "<https://x.dev>");
    }

    #[test]
    fn fences_become_text_and_lines_are_dedented() {
        assert_eq!(sanitize("a\n\n    code\n```\nx\n```"), "a\n\ncode\n```text\nx\n```");
    }

    #[test]
    fn summary_repeated_in_description_is_dropped() {
        assert_eq!(
            join(&[Some("Get a flag"), Some("Get a flag by key.")]),
            "Get a flag by key."
        );
        assert_eq!(join(&[Some("A"), None, Some("B")]), "A\n\nB");
    }

    fn schema(yaml: &str) -> openapiv3::Schema {
        serde_yaml_ng::from_str(yaml).unwrap_or_else(|err| panic!("{yaml}: {err}"))
    }

    #[test]
    fn facts_say_what_a_schema_allows() {
        let cases = [
            (
                "{type: integer, minimum: 1, maximum: 20, default: 10}",
                Some("an integer, from 1 to 20, `10` by default"),
            ),
            ("{type: string, format: uuid}", Some("a `uuid` string")),
            ("{type: string, enum: [asc, desc]}", Some("one of `asc`, `desc`")),
            ("{type: string, enum: [only]}", Some("always `only`")),
            (
                "{type: string, maxLength: 64, pattern: '^[a-z]+$'}",
                Some("a string, at most 64 characters long, matching `^[a-z]+$`"),
            ),
            ("{type: string}", None),
            ("{type: boolean}", None),
        ];
        for (yaml, expected) in cases {
            assert_eq!(facts(&schema(yaml)).as_deref(), expected, "{yaml}");
        }
    }
}
