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
}
