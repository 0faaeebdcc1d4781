//! How strictly a response body must match its schema, and what lenient
//! decoding reports when it does not.
//!
//! Servers drift from their OpenAPI descriptions: a `null` in a list the
//! spec says holds strings, a required list left out. Under
//! [`DecodePolicy::Strict`] any such body is a [`crate::DecodeError`] (which
//! keeps the whole response). Under [`DecodePolicy::Lenient`] the few
//! deviations that can be accepted without inventing data are accepted, and
//! each one is reported as a [`Deviation`] on the response and as a
//! `tracing` warning.

use std::fmt;

/// How a response body that deviates from its schema is decoded.
///
/// The default is [`Lenient`](Self::Lenient): a call the server completed
/// should not fail because of a deviation that loses nothing, and every
/// deviation is still reported (on the response and as a warning). Choose
/// [`Strict`](Self::Strict), on [`crate::ClientConfig::decode_policy`] or per
/// call with [`crate::RequestOptions::decode_policy`], to treat any
/// deviation as an error, as conformance tests do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum DecodePolicy {
    /// Any deviation from the schema is a [`crate::DecodeError`].
    Strict,
    /// Accepts, and reports, exactly these deviations:
    /// * a `null` item in an array of non-nullable items is dropped;
    /// * a `null` property or map entry the type can do without is treated
    ///   as absent (an optional property already reads `null` as absent, so
    ///   in generated types this is a map entry, or a property with a
    ///   default);
    /// * a `null` or missing property whose type is a list or a map is
    ///   decoded as empty.
    ///
    /// It applies to the generated types; a type of the caller's own
    /// (`send_as`, [`crate::RawResponse::json`]) is always decoded strictly.
    ///
    /// Anything else, such as a missing required string or number, stays
    /// an error: lenient decoding never makes up a value. A body whose
    /// repairs would decode more than its budget again (see
    /// [`crate::MAX_REPAIR_BYTES`]) is an error too.
    #[default]
    Lenient,
}

/// A place where a response body deviated from its schema and lenient
/// decoding accepted it anyway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deviation {
    path: String,
    pointer: String,
    kind: DeviationKind,
    expected: String,
}

/// What lenient decoding accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DeviationKind {
    /// A `null` item of an array whose items are not nullable; it was left out.
    NullItemDropped,
    /// A `null` property or map entry that is not nullable; it was treated as absent.
    NullAsAbsent,
    /// A `null` list or map property that is not nullable; it was decoded as empty.
    NullAsEmpty,
    /// A required list or map property that was missing; it was decoded as empty.
    MissingAsEmpty,
}

impl Deviation {
    pub(crate) fn new(path: String, pointer: String, kind: DeviationKind, expected: String) -> Self {
        Self {
            path,
            pointer,
            kind,
            expected,
        }
    }

    /// Where in the body as received, e.g. `items[3].tags[0]` (`.` for the
    /// root), in the notation of [`crate::DecodeError::json_path`].
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The same place as an RFC 6901 JSON Pointer, e.g. `/items/3/tags/0`,
    /// which stays unambiguous when a key holds a `.` (`/a.b/0` is not
    /// `/a/b/0`).
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// What was accepted.
    pub fn kind(&self) -> DeviationKind {
        self.kind
    }

    /// What the schema expected there, in the parser's words, e.g.
    /// ``invalid type: null, expected a string`` or ``missing field `tags` ``.
    pub fn expected(&self) -> &str {
        &self.expected
    }
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            DeviationKind::NullItemDropped => "null item dropped",
            DeviationKind::NullAsAbsent => "null treated as absent",
            DeviationKind::NullAsEmpty => "null decoded as empty",
            DeviationKind::MissingAsEmpty => "missing value decoded as empty",
        };
        write!(f, "at `{}`: {what} ({})", self.path, self.expected)
    }
}
