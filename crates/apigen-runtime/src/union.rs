//! Decoding of tagged unions: unions whose variants are told apart by the
//! value of one property (an OpenAPI `discriminator`, or a property every
//! variant fixes to its own values with a one-value `enum` or `const`).
//!
//! Generated code reads the tag with [`union_tag`], matches it against the
//! values each variant owns, and decodes the chosen variant with
//! [`decode_union_variant`]. Looking at the tag first is what makes the
//! choice exact: trying variants in order would take the first one whose
//! fields happen to fit, whatever the tag says.

use std::fmt;

use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeOwned, Deserializer, Error, MapAccess, SeqAccess, Visitor};
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

/// Reads a whole value as JSON and lets `choose` turn it into the union,
/// while the deserializer is still at the value.
///
/// A union must see all of a value before it can pick a shape. Choosing
/// inside the deserializer's visit, rather than after it has returned,
/// makes serde_json give a failure the position where the value ends, which
/// is what names its JSON path in a decode error.
pub fn decode_whole<'de, D, T>(
    deserializer: D,
    choose: impl FnOnce(Value) -> Result<T, UnionError>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    deserializer.deserialize_any(WholeValue(choose))
}

/// Why a union refused a value; [`decode_whole`] turns it into the
/// deserializer's own error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnionError(String);

impl fmt::Display for UnionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UnionError {}

impl Error for UnionError {
    fn custom<M: fmt::Display>(message: M) -> Self {
        Self(message.to_string())
    }
}

struct WholeValue<F>(F);

impl<F> WholeValue<F> {
    fn finish<T, E: Error>(self, value: Value) -> Result<T, E>
    where
        F: FnOnce(Value) -> Result<T, UnionError>,
    {
        (self.0)(value).map_err(|error| E::custom(error.0))
    }
}

impl<'de, T, F> Visitor<'de> for WholeValue<F>
where
    F: FnOnce(Value) -> Result<T, UnionError>,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: Error>(self, value: bool) -> Result<T, E> {
        self.finish(Value::Bool(value))
    }

    fn visit_i64<E: Error>(self, value: i64) -> Result<T, E> {
        self.finish(Value::from(value))
    }

    fn visit_u64<E: Error>(self, value: u64) -> Result<T, E> {
        self.finish(Value::from(value))
    }

    fn visit_f64<E: Error>(self, value: f64) -> Result<T, E> {
        // serde_json's own `Value` keeps a non-finite number as `null` too.
        self.finish(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<T, E> {
        self.finish(Value::String(value.to_owned()))
    }

    fn visit_string<E: Error>(self, value: String) -> Result<T, E> {
        self.finish(Value::String(value))
    }

    fn visit_unit<E: Error>(self) -> Result<T, E> {
        self.finish(Value::Null)
    }

    fn visit_none<E: Error>(self) -> Result<T, E> {
        self.finish(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        let value = Value::deserialize(deserializer)?;
        self.finish(value)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        let value = Value::deserialize(SeqAccessDeserializer::new(seq))?;
        self.finish(value)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        let value = Value::deserialize(MapAccessDeserializer::new(map))?;
        self.finish(value)
    }
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
