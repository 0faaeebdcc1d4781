//! A short string that matches a `pattern` keyword, for the conformance
//! harness's values: Twilio's `^MG[0-9a-fA-F]{32}$` gives `MG000…0`.
//!
//! The pattern is parsed with `regex-syntax` (ECMA-262 patterns are, for
//! what APIs write, a subset of its syntax) and walked once: literals as
//! written, the first character of each class, each repetition its minimum
//! number of times (at least once when the repetition has no upper bound
//! below that), the first branch of each alternation. Anchors and word
//! boundaries add nothing.

use regex_syntax::hir::{Class, Hir, HirKind};

/// How long a made-up string may grow; patterns and `minLength`s that ask
/// for more are not worth a value.
pub(crate) const MAX_LENGTH: usize = 4096;

/// A string that matches `pattern` (anywhere in it, as JSON Schema's
/// `pattern` means); `None` when the pattern does not parse or has no
/// short match.
pub(crate) fn matching(pattern: &str) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
    let mut out = String::new();
    write(&hir, &mut out, 0)?;
    (out.len() <= MAX_LENGTH && matches(pattern, &out) == Some(true)).then_some(out)
}

/// Whether `text` matches `pattern` anywhere; `None` when the pattern does
/// not parse.
pub(crate) fn matches(pattern: &str, text: &str) -> Option<bool> {
    regex::Regex::new(pattern).ok().map(|regex| regex.is_match(text))
}

fn write(hir: &Hir, out: &mut String, depth: usize) -> Option<()> {
    if depth > 64 || out.len() > MAX_LENGTH {
        return None;
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(std::str::from_utf8(&literal.0).ok()?),
        HirKind::Class(Class::Unicode(class)) => out.push(class.ranges().first()?.start()),
        HirKind::Class(Class::Bytes(class)) => out.push(char::from(class.ranges().first()?.start())),
        HirKind::Repetition(repetition) => {
            // A repetition whose part may match nothing would otherwise
            // loop its minimum number of times without growing the string.
            let times = usize::try_from(repetition.min)
                .ok()
                .filter(|&times| times <= MAX_LENGTH)?;
            for _ in 0..times {
                write(&repetition.sub, out, depth + 1)?;
            }
        }
        HirKind::Capture(capture) => write(&capture.sub, out, depth + 1)?,
        HirKind::Concat(parts) => {
            for part in parts {
                write(part, out, depth + 1)?;
            }
        }
        HirKind::Alternation(branches) => write(branches.first()?, out, depth + 1)?,
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::matching;

    #[test]
    fn strings_match_common_api_patterns() {
        assert_eq!(
            matching("^MG[0-9a-fA-F]{32}$").as_deref(),
            Some("MG00000000000000000000000000000000")
        );
        assert_eq!(matching("^(foo|bar)-\\d+$").as_deref(), Some("foo-0"));
        assert_eq!(matching("^[a-z]*$").as_deref(), Some(""));
        assert_eq!(matching("^\\+[1-9]\\d{1,14}$").as_deref(), Some("+10"));
        assert_eq!(matching("(unclosed"), None);
        assert_eq!(matching("a{5000}"), None);
        assert_eq!(matching("(?:x?){4000000000}"), None);
    }
}
