//! The `Link` response header (RFC 8288): the target of the link whose
//! relation is `next`, which paginated APIs use to point at the next page.

/// The target of the first link in `value` whose `rel` includes `rel`
/// (compared without regard to case), such as `next`.
///
/// Reads `<target>; param=value; ...` links separated by commas; commas
/// inside the angle brackets or inside a quoted value belong to them. A
/// link without a closing `>` ends the reading: what follows cannot be
/// told apart from its target.
pub fn link_with_rel<'a>(value: &'a str, rel: &str) -> Option<&'a str> {
    let mut rest = value;
    loop {
        let start = rest.find('<')?;
        let after = &rest[start + 1..];
        let end = after.find('>')?;
        let target = after[..end].trim();
        let (params, next) = split_params(&after[end + 1..]);
        if params
            .split(';')
            .filter_map(|param| param.split_once('='))
            .filter(|(name, _)| name.trim().eq_ignore_ascii_case("rel"))
            .any(|(_, values)| {
                values
                    .trim()
                    .trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|value| value.eq_ignore_ascii_case(rel))
            })
        {
            return Some(target);
        }
        rest = next;
    }
}

/// Splits the parameters of one link from the links after it, at the
/// first comma outside a quoted value.
fn split_params(text: &str) -> (&str, &str) {
    let mut quoted = false;
    for (index, byte) in text.bytes().enumerate() {
        match byte {
            b'"' => quoted = !quoted,
            b',' if !quoted => return (&text[..index], &text[index + 1..]),
            _ => {}
        }
    }
    (text, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_next_link_among_others() {
        let value = r#"<https://api.example.com/items?page=1>; rel="first", <https://api.example.com/items?page=3>; rel="next", <https://api.example.com/items?page=9>; rel="last""#;
        assert_eq!(
            link_with_rel(value, "next"),
            Some("https://api.example.com/items?page=3")
        );
        assert_eq!(
            link_with_rel(value, "last"),
            Some("https://api.example.com/items?page=9")
        );
        assert_eq!(link_with_rel(value, "prev"), None);
    }

    #[test]
    fn relations_are_space_separated_unquoted_or_in_any_case() {
        assert_eq!(link_with_rel("</b>; rel=\"prefetch NEXT\"", "next"), Some("/b"));
        assert_eq!(link_with_rel("</b>;rel=next", "next"), Some("/b"));
        assert_eq!(link_with_rel("</a,b>; title=\"x, y\"; rel=next", "next"), Some("/a,b"));
        assert_eq!(link_with_rel("</a>; rel=nextish", "next"), None);
    }

    #[test]
    fn broken_values_give_nothing() {
        for value in ["", "<", "</a; rel=next", "rel=next", "/a; rel=next", "<>;", ",,,"] {
            assert_eq!(link_with_rel(value, "next"), None, "{value:?}");
        }
    }
}
