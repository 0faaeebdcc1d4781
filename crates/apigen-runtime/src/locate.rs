//! The JSON path of a failed decode, found after the fact.
//!
//! A typed decode runs on serde_json's own deserializer and tracks no path,
//! so a body that decodes pays nothing for error reporting. A tracking
//! deserializer wraps every value and copies every key as it goes, which
//! made decoding about twice as slow and was the largest part of the
//! client's cost per request. When a decode fails, serde_json's error says
//! where the parser stopped (line and column), and a scan of the text up to
//! there names the value it was reading.
//!
//! serde_json gives an error the position where the innermost of its calls
//! that saw the error stopped reading:
//! - right after a value whose type or content is wrong;
//! - at the opening `{` or `[` of a value that should not be an object or an
//!   array at all;
//! - right after the key of a field that came twice;
//! - right after the closing `}` or `]` of an object or array whose whole is
//!   wrong: a required field is missing, or there are too few items.
//!
//! So the value the error concerns is the innermost one that has begun
//! before the position, counting an object or array that closes right
//! before it as that value. This holds for every type that judges a value
//! while serde_json is reading it. A type that reads a value whole and
//! judges it after serde_json has returned gives its error no position, and
//! serde_json then places it where the enclosing object or array stops
//! reading, which can name the next item or the enclosing object instead.
//! The runtime's own such types (unions, JSON Patch documents and
//! operations) therefore judge inside the visit, through
//! [`decode_whole`](crate::decode_whole). serde's `#[serde(untagged)]`
//! enums, which generated untagged unions use, never fail (their last
//! variant keeps any value).

use serde_json::error::Category;

use crate::repair::Step;

/// The path of the value the parser was reading when `error` arose in
/// `text`; empty (the root) when the error carries no position.
pub(crate) fn steps_of_error(text: &[u8], error: &serde_json::Error) -> Vec<Step> {
    let Some(offset) = offset_of(text, error.line(), error.column()) else {
        return Vec::new();
    };
    // A syntax error's position is just past the byte that broke the
    // syntax; at the end of the input it is the input's length, past no byte.
    let offset = match error.classify() {
        Category::Syntax => offset.saturating_sub(1),
        Category::Eof | Category::Data | Category::Io => offset,
    };
    steps_at(text, offset)
}

/// The byte offset of serde_json's 1-based line and 0-based byte column;
/// `None` for line 0, which serde_json uses for errors without a position.
fn offset_of(text: &[u8], line: usize, column: usize) -> Option<usize> {
    let start = if line <= 1 {
        if line == 0 {
            return None;
        }
        0
    } else {
        // The line starts after its predecessor's newline.
        text.iter()
            .enumerate()
            .filter(|(_, byte)| **byte == b'\n')
            .nth(line - 2)
            .map(|(index, _)| index + 1)?
    };
    Some(start.saturating_add(column).min(text.len()))
}

/// One open object or array on the way to the stopping point.
enum Frame {
    /// An object, with the key of the member being read: set when the key
    /// has been read, and counted in the path once its colon has been.
    Object { key: Option<String>, in_value: bool },
    /// An array, with the index of the item being read.
    Array { index: usize },
}

/// The path of the value being read at `offset`.
fn steps_at(text: &[u8], offset: usize) -> Vec<Step> {
    let end = offset.min(text.len());
    let mut frames: Vec<Frame> = Vec::new();
    let mut i = 0;
    // Each round consumes at least one byte, and the scan stops at `end`.
    while i < end {
        match text[i] {
            b'"' => {
                let close = closing_quote(text, i);
                if close >= end {
                    // The parser stopped inside this string.
                    break;
                }
                if let Some(Frame::Object { key, in_value: false }) = frames.last_mut() {
                    *key = Some(unescape_key(&text[i..=close]));
                }
                i = close + 1;
                continue;
            }
            b':' => {
                if let Some(Frame::Object { in_value, .. }) = frames.last_mut() {
                    *in_value = true;
                }
            }
            b',' => match frames.last_mut() {
                Some(Frame::Object { key, in_value }) => {
                    *key = None;
                    *in_value = false;
                }
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            b'{' => frames.push(Frame::Object {
                key: None,
                in_value: false,
            }),
            b'[' => frames.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                frames.pop();
            }
            _ => {}
        }
        i += 1;
    }
    let mut steps = Vec::with_capacity(frames.len());
    for frame in frames {
        match frame {
            Frame::Object {
                key: Some(key),
                in_value: true,
            } => steps.push(Step::Key(key)),
            // Between members: the error concerns the object itself.
            Frame::Object { .. } => break,
            Frame::Array { index } => steps.push(Step::Index(index)),
        }
    }
    steps
}

/// The index of the quote that closes the string opening at `open`, or the
/// length of `text` when the string does not close.
fn closing_quote(text: &[u8], open: usize) -> usize {
    let mut i = open + 1;
    while i < text.len() {
        match text[i] {
            b'"' => return i,
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    text.len()
}

/// A key as the decoder saw it: with its escapes resolved.
fn unescape_key(quoted: &[u8]) -> String {
    let inner = &quoted[1..quoted.len().saturating_sub(1).max(1)];
    if !inner.contains(&b'\\') {
        return String::from_utf8_lossy(inner).into_owned();
    }
    serde_json::from_slice::<String>(quoted).unwrap_or_else(|_| String::from_utf8_lossy(inner).into_owned())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;
    use crate::repair::display_path;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: u64,
        name: Option<String>,
        kind: Kind,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Flag,
        Segment,
    }

    /// Read whole, then decoded, as generated tagged unions are.
    #[derive(Debug)]
    struct Choice;

    impl<'de> Deserialize<'de> for Choice {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            crate::decode_whole(deserializer, |value| match value.get("ok") {
                Some(_) => Ok(Choice),
                None => Err(serde::de::Error::custom("no variant fits")),
            })
        }
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Page {
        items: Vec<Item>,
        choice: Option<Choice>,
        choices: Option<Vec<Choice>>,
        patches: Option<Vec<crate::patch::JsonPatch>>,
        pair: Option<(u8, u8)>,
        labels: Option<BTreeMap<String, u8>>,
        #[serde(rename = "with \"quote\"")]
        quoted: Option<u8>,
        last: Option<u8>,
    }

    /// The path of the first failure, found from the position and by serde_path_to_error.
    fn both<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str) -> (String, String) {
        let plain = serde_json::from_str::<T>(json).unwrap_err();
        let located = display_path(&steps_of_error(json.as_bytes(), &plain));
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let tracked = serde_path_to_error::deserialize::<_, T>(&mut deserializer).unwrap_err();
        let tracked_path = display_path(&crate::repair::Failure::from_tracked(&tracked).steps);
        (located, tracked_path)
    }

    #[test]
    fn the_located_path_is_the_tracked_path() {
        let cases = [
            // A wrong scalar in the middle, at the end of a compact object, and before space.
            (r#"{"items":[{"id":"x","kind":"flag"}]}"#, "items[0].id"),
            (
                r#"{"items":[{"id":1,"kind":"flag"},{"id":2,"kind":"rule"}]}"#,
                "items[1].kind",
            ),
            ("{\n  \"items\": [],\n  \"last\": 300\n}", "last"),
            (r#"{"items":[],"last":300}"#, "last"),
            (r#"{"items":[],"last":"x" }"#, "last"),
            // A missing field: compact, pretty, and inside an array.
            (r#"{"items":[{"id":1}]}"#, "items[0]"),
            (
                "{\"items\": [ {\"id\": 1, \"kind\": \"flag\"}, {\"id\": 2} ] }",
                "items[1]",
            ),
            (r#"{"last":1}"#, "."),
            // An object or an array where a scalar belongs.
            (r#"{"items":[{"id":{"a":1},"kind":"flag"}]}"#, "items[0].id"),
            (r#"{"items":[],"last":[1]}"#, "last"),
            (r#"{"items":{}}"#, "items"),
            // Too few items, and a map's value.
            (r#"{"items":[],"pair":[1]}"#, "pair"),
            (r#"{"items":[],"labels":{"a":1,"b":-1}}"#, "labels.b"),
            // A key with escapes, and a key the decoder does not know.
            (r#"{"items":[],"with \"quote\"":-1}"#, "with \"quote\""),
            (r#"{"items":[],"unknown":{"x":[1,2]},"last":"x"}"#, "last"),
            // A value read whole and then refused: last, in the middle, last of an array.
            (r#"{"items":[],"choice":{"no":1}}"#, "choice"),
            (r#"{"items":[],"choice":{"no":1},"last":1}"#, "choice"),
            (r#"{"items":[],"choices":[{"ok":1},{"no":[]}]}"#, "choices[1]"),
            (r#"{"items":[],"choices":[{"ok":1},{"no":[]}] }"#, "choices[1]"),
            // A runtime type read whole and then refused, mid-array and last.
            (
                r#"{"items":[],"patches":[[],[{"op":"bogus","path":"/a"}],[]]}"#,
                "patches[1]",
            ),
            (r#"{"items":[],"patches":[[{"op":"remove","path":"a"}]]}"#, "patches[0]"),
            // A duplicated field is reported at its object.
            (r#"{"items":[{"id":1,"id":2,"kind":"flag"}]}"#, "items[0]"),
            // Not an object at all.
            (r#""page""#, "."),
            ("17", "."),
        ];
        for (json, expected) in cases {
            let (located, tracked) = both::<Page>(json);
            assert_eq!(located, expected, "{json}: located");
            assert_eq!(tracked, expected, "{json}: serde_path_to_error");
        }
    }

    #[test]
    fn syntax_errors_name_the_value_being_read() {
        let (located, _) = both::<Page>(r#"{"items":[{"id":1,"kind":"flag"},{"id":tru"#);
        assert_eq!(located, "items[1].id");
        let (located, _) = both::<Page>(r#"{"items":[{"id":1,"kind":"fl"#);
        assert_eq!(located, "items[0].kind");
        // The input ends where the next item would begin.
        let (located, _) = both::<Page>(r#"{"items":[{"id":1,"kind":"flag"},"#);
        assert_eq!(located, "items[1]");
    }

    #[test]
    fn lines_and_columns_become_offsets() {
        let text = b"ab\ncd\n\nef";
        assert_eq!(offset_of(text, 0, 3), None);
        assert_eq!(offset_of(text, 1, 1), Some(1));
        assert_eq!(offset_of(text, 2, 0), Some(3));
        assert_eq!(offset_of(text, 4, 2), Some(9));
        assert_eq!(offset_of(text, 9, 0), None);
        assert_eq!(offset_of(text, 1, 99), Some(text.len()));
    }
}
