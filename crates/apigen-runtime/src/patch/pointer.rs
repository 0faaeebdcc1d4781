//! JSON Pointer (RFC 6901).

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::de::Visitor;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::error::PointerError;

/// A JSON Pointer (RFC 6901) such as `/customRoleIds/0`.
///
/// The pointer is stored in its escaped form, exactly as it goes on the wire,
/// so [`Display`](fmt::Display), [`as_str`](Self::as_str) and serialisation
/// give back the text it was parsed from. Tokens are escaped when pushed
/// (`~` becomes `~0`, `/` becomes `~1`) and unescaped by [`tokens`](Self::tokens).
///
/// A value of this type is always syntactically valid: every constructor
/// either escapes its input or checks it.
///
/// ```
/// use apigen_runtime::patch::JsonPointer;
///
/// let p = JsonPointer::root().push("a/b").push_index(3).push_append();
/// assert_eq!(p.as_str(), "/a~1b/3/-");
/// assert_eq!(p.tokens().collect::<Vec<_>>(), ["a/b", "3", "-"]);
/// assert_eq!("/a~1b/3/-".parse::<JsonPointer>().unwrap(), p);
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct JsonPointer {
    // `Cow` lets `from_static` build pointers in `const` items without
    // allocating, which generated code relies on for root-level field paths.
    encoded: Cow<'static, str>,
}

impl JsonPointer {
    /// The pointer to the whole document (the empty string).
    pub const fn root() -> Self {
        Self {
            encoded: Cow::Borrowed(""),
        }
    }

    /// Parses an escaped pointer such as `/a~1b/0`.
    ///
    /// # Errors
    ///
    /// [`PointerError`] if the text is neither empty nor starts with `/`, or
    /// if a `~` is not followed by `0` or `1`.
    pub fn parse(text: &str) -> Result<Self, PointerError> {
        check(text.as_bytes())?;
        Ok(Self {
            encoded: Cow::Owned(text.to_owned()),
        })
    }

    /// Checks a pointer literal, usable in `const` items.
    ///
    /// # Errors
    ///
    /// The same as [`parse`](Self::parse).
    pub const fn try_from_static(text: &'static str) -> Result<Self, PointerError> {
        match check(text.as_bytes()) {
            Ok(()) => Ok(Self {
                encoded: Cow::Borrowed(text),
            }),
            Err(err) => Err(err),
        }
    }

    /// Builds a pointer from an escaped literal, meant for `const` items in
    /// generated code.
    ///
    /// ```
    /// use apigen_runtime::patch::JsonPointer;
    ///
    /// const ROLE: JsonPointer = JsonPointer::from_static("/role");
    /// assert_eq!(ROLE.tokens().collect::<Vec<_>>(), ["role"]);
    /// ```
    ///
    /// # Panics
    ///
    /// Panics if `text` is not a valid pointer. In a `const` item that panic
    /// happens during compilation, so a bad literal fails the build instead
    /// of a request; use [`parse`](Self::parse) for text that is not a
    /// literal written by a programmer or a generator.
    pub const fn from_static(text: &'static str) -> Self {
        // Matching on `check` rather than `try_from_static` because a
        // `Result` holding a `Cow` cannot be dropped in a `const fn`.
        match check(text.as_bytes()) {
            Ok(()) => Self {
                encoded: Cow::Borrowed(text),
            },
            Err(_) => panic!("invalid JSON Pointer literal"),
        }
    }

    /// Builds a pointer from unescaped tokens.
    ///
    /// ```
    /// use apigen_runtime::patch::JsonPointer;
    ///
    /// assert_eq!(JsonPointer::from_tokens(["a~b", ""]).as_str(), "/a~0b/");
    /// ```
    pub fn from_tokens<I, S>(tokens: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut pointer = Self::root();
        for token in tokens {
            pointer.push_token(token.as_ref());
        }
        pointer
    }

    /// Appends an unescaped token, returning the longer pointer.
    #[must_use]
    pub fn push(mut self, token: &str) -> Self {
        self.push_token(token);
        self
    }

    /// Appends an array index.
    #[must_use]
    pub fn push_index(self, index: usize) -> Self {
        self.push(&index.to_string())
    }

    /// Appends `-`, which names the position after the last element of an
    /// array (only meaningful as the target of `add`, `move` or `copy`).
    #[must_use]
    pub fn push_append(self) -> Self {
        self.push("-")
    }

    /// Returns this pointer extended by one unescaped token, leaving `self`
    /// unchanged.
    #[must_use]
    pub fn child(&self, token: &str) -> Self {
        self.clone().push(token)
    }

    /// Appends an unescaped token in place.
    pub fn push_token(&mut self, token: &str) {
        let encoded = self.encoded.to_mut();
        encoded.push('/');
        encoded.push_str(&escape(token));
    }

    /// Removes the last token and returns it unescaped, or `None` at the root.
    pub fn pop(&mut self) -> Option<String> {
        let cut = self.encoded.rfind('/')?;
        let last = unescape(&self.encoded[cut + 1..]).into_owned();
        match &mut self.encoded {
            Cow::Borrowed(text) => *text = &text[..cut],
            Cow::Owned(text) => text.truncate(cut),
        }
        Some(last)
    }

    /// The escaped text of the pointer, as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.encoded
    }

    /// Whether this is the pointer to the whole document.
    pub fn is_root(&self) -> bool {
        self.encoded.is_empty()
    }

    /// The unescaped tokens, from the outermost to the innermost.
    pub fn tokens(&self) -> Tokens<'_> {
        Tokens {
            rest: self.encoded.strip_prefix('/'),
        }
    }
}

/// Iterator over the unescaped tokens of a [`JsonPointer`].
///
/// Tokens borrow from the pointer unless they contain an escape.
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    // `None` once every token has been returned; the root pointer starts
    // there because it has no tokens at all (while `/` has one empty token).
    rest: Option<&'a str>,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Cow<'a, str>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.rest?;
        match rest.split_once('/') {
            Some((token, tail)) => {
                self.rest = Some(tail);
                Some(unescape(token))
            }
            None => {
                self.rest = None;
                Some(unescape(rest))
            }
        }
    }
}

/// Escapes one token: `~` becomes `~0` and `/` becomes `~1`.
pub(crate) fn escape(token: &str) -> Cow<'_, str> {
    if !token.contains(['~', '/']) {
        return Cow::Borrowed(token);
    }
    let mut out = String::with_capacity(token.len() + 2);
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Unescapes one token of a checked pointer.
///
/// Decoding in a single pass is what keeps `~01` as `~1` (RFC 6901 §4: a
/// second `~0` pass after `~1` would wrongly produce `/`).
fn unescape(token: &str) -> Cow<'_, str> {
    if !token.contains('~') {
        return Cow::Borrowed(token);
    }
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars();
    while let Some(c) = chars.next() {
        if c != '~' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('0') => out.push('~'),
            Some('1') => out.push('/'),
            // Unreachable for checked pointers; keeping the text is safer
            // than panicking if that invariant is ever broken.
            Some(other) => {
                out.push('~');
                out.push(other);
            }
            None => out.push('~'),
        }
    }
    Cow::Owned(out)
}

/// Checks pointer syntax; `const` so that `from_static` can run at compile time.
const fn check(bytes: &[u8]) -> Result<(), PointerError> {
    if bytes.is_empty() {
        return Ok(());
    }
    if bytes[0] != b'/' {
        return Err(PointerError::MissingLeadingSlash);
    }
    let mut i = 1;
    while i < bytes.len() {
        if bytes[i] == b'~' {
            if i + 1 >= bytes.len() || (bytes[i + 1] != b'0' && bytes[i + 1] != b'1') {
                return Err(PointerError::InvalidEscape { offset: i });
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    Ok(())
}

impl fmt::Display for JsonPointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encoded)
    }
}

impl fmt::Debug for JsonPointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("JsonPointer").field(&self.as_str()).finish()
    }
}

impl FromStr for JsonPointer {
    type Err = PointerError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl TryFrom<&str> for JsonPointer {
    type Error = PointerError;

    fn try_from(text: &str) -> Result<Self, Self::Error> {
        Self::parse(text)
    }
}

impl TryFrom<String> for JsonPointer {
    type Error = PointerError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        check(text.as_bytes())?;
        Ok(Self {
            encoded: Cow::Owned(text),
        })
    }
}

impl AsRef<str> for JsonPointer {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Serialize for JsonPointer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for JsonPointer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PointerVisitor;

        impl Visitor<'_> for PointerVisitor {
            type Value = JsonPointer;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON Pointer")
            }

            // Judged inside the visit, so that a refusal names this value's
            // JSON path.
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<JsonPointer, E> {
                JsonPointer::try_from(text.to_owned()).map_err(E::custom)
            }

            fn visit_string<E: serde::de::Error>(self, text: String) -> Result<JsonPointer, E> {
                JsonPointer::try_from(text).map_err(E::custom)
            }
        }

        deserializer.deserialize_string(PointerVisitor)
    }
}

/// Something that names a location: a [`JsonPointer`], or pointer text that
/// may still be invalid.
///
/// The untyped builder methods of [`JsonPatch`](super::JsonPatch) take this
/// so that `patch.replace("/name", "x")` reads naturally. Text that is not a
/// valid pointer is not a panic: the operation is kept as a
/// [`RawPatchOperation`](super::RawPatchOperation) and
/// [`JsonPatch::validate`](super::JsonPatch::validate) reports it.
pub trait IntoPointer {
    /// Converts to a pointer, or gives back the rejected text.
    ///
    /// # Errors
    ///
    /// The original text when it is not a valid pointer.
    fn into_pointer(self) -> Result<JsonPointer, String>;
}

impl IntoPointer for JsonPointer {
    fn into_pointer(self) -> Result<JsonPointer, String> {
        Ok(self)
    }
}

impl IntoPointer for &JsonPointer {
    fn into_pointer(self) -> Result<JsonPointer, String> {
        Ok(self.clone())
    }
}

impl IntoPointer for &str {
    fn into_pointer(self) -> Result<JsonPointer, String> {
        JsonPointer::parse(self).map_err(|_| self.to_owned())
    }
}

impl IntoPointer for &String {
    fn into_pointer(self) -> Result<JsonPointer, String> {
        self.as_str().into_pointer()
    }
}

impl IntoPointer for String {
    fn into_pointer(self) -> Result<JsonPointer, String> {
        match check(self.as_bytes()) {
            Ok(()) => Ok(JsonPointer {
                encoded: Cow::Owned(self),
            }),
            Err(_) => Err(self),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pop_returns_unescaped_tokens_in_reverse() {
        let mut p = JsonPointer::from_static("/a~1b/c~0");
        assert_eq!(p.pop().as_deref(), Some("c~"));
        assert_eq!(p.as_str(), "/a~1b");
        assert_eq!(p.pop().as_deref(), Some("a/b"));
        assert!(p.is_root());
        assert_eq!(p.pop(), None);
    }

    #[test]
    fn slash_alone_has_one_empty_token() {
        let p = JsonPointer::parse("/").unwrap();
        assert_eq!(p.tokens().collect::<Vec<_>>(), [""]);
        assert_eq!(JsonPointer::root().tokens().count(), 0);
    }

    #[test]
    fn const_check_reports_offset() {
        assert_eq!(
            JsonPointer::try_from_static("/a~2"),
            Err(PointerError::InvalidEscape { offset: 2 })
        );
    }
}
