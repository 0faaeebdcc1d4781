//! Decoding of tagged unions: unions whose variants are told apart by the
//! value of one property (an OpenAPI `discriminator`, or a property every
//! variant fixes to its own values with a one-value `enum` or `const`).
//!
//! Generated code reads the tag with [`union_tag`], matches it against the
//! values each variant owns, and decodes the chosen variant with
//! [`decode_union_variant`]. Looking at the tag first is what makes the
//! choice exact: trying variants in order would take the first one whose
//! fields happen to fit, whatever the tag says. The whole choice runs inside
//! [`decode_whole`](crate::decode_whole), so that a refusal carries the
//! position of the value it refuses.

use serde::de::{DeserializeOwned, Error};
use serde_json::Value;

/// The value of a union's tag property, when it is one that can select a variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnionTag<'a> {
    /// A string tag, such as `"f64"`.
    Text(&'a str),
    /// An integer tag, such as `8`.
    Integer(i64),
}

/// Reads the tag `property` of an object; `None` when the value is not an
/// object, lacks the property, or holds something that is neither a string
/// nor an integer there (such a value keeps its JSON in the union's `Other`).
pub fn union_tag<'a>(value: &'a Value, property: &str) -> Option<UnionTag<'a>> {
    match value.get(property)? {
        Value::String(text) => Some(UnionTag::Text(text)),
        Value::Number(number) => number.as_i64().map(UnionTag::Integer),
        _ => None,
    }
}

/// Decodes the variant a tag selected. A body that does not fit fails with
/// an error naming the union, the tag and the variant, because the tag has
/// already said which shape the value must have.
pub fn decode_union_variant<T: DeserializeOwned, E: Error>(
    value: Value,
    union: &str,
    property: &str,
    variant: &str,
) -> Result<T, E> {
    let tag = match value.get(property) {
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    serde_json::from_value(value).map_err(|error| {
        E::custom(format_args!(
            "`{union}` with `{property}` = `{tag}` must be a `{variant}`, but it does not decode as one: {error}"
        ))
    })
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Float {
        datum: f64,
    }

    #[test]
    fn reads_string_and_integer_tags() {
        let text = json!({"type": "f64", "datum": 2});
        assert_eq!(union_tag(&text, "type"), Some(UnionTag::Text("f64")));
        let integer = json!({"type": 8});
        assert_eq!(union_tag(&integer, "type"), Some(UnionTag::Integer(8)));
    }

    #[test]
    fn other_values_have_no_tag() {
        assert_eq!(union_tag(&json!({"type": 1.5}), "type"), None);
        assert_eq!(union_tag(&json!({"type": null}), "type"), None);
        assert_eq!(union_tag(&json!({"kind": "f64"}), "type"), None);
        assert_eq!(union_tag(&json!(["type"]), "type"), None);
        assert_eq!(union_tag(&json!("type"), "type"), None);
    }

    #[test]
    fn decodes_the_selected_variant() {
        let decoded: Result<Float, serde_json::Error> =
            decode_union_variant(json!({"type": "f64", "datum": 2}), "Datum", "type", "F64");
        assert_eq!(decoded.ok(), Some(Float { datum: 2.0 }));
    }

    #[test]
    fn a_body_that_does_not_fit_names_union_tag_and_variant() {
        let decoded: Result<Float, serde_json::Error> =
            decode_union_variant(json!({"type": "f64", "datum": "two"}), "Datum", "type", "F64");
        let message = decoded.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            message.starts_with(
                "`Datum` with `type` = `f64` must be a `F64`, but it does not decode as one: invalid type"
            ),
            "{message}"
        );
    }
}
