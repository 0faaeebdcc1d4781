//! The pieces of a generated struct's `Deserialize`: a generated type reads
//! its JSON object with one `match` on the field name and fills each field
//! through these functions.
//!
//! They behave as serde's derive does for a JSON object (a field given twice
//! is an error, a missing required field is an error unless its type accepts
//! absence, as `Option` does, unknown fields are skipped), but the derive
//! writes a field enum, its visitor and a sequence visitor for every struct,
//! which a large API pays for in compile time. Written once here, these are
//! checked once and only instantiated per field type.
//!
//! The one difference: a generated struct reads only an object, where the
//! derive also reads an array of the field values in order. JSON APIs send
//! objects; formats that write structs as arrays (bincode, postcard) cannot
//! read a generated type back.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

/// A field name of a JSON object: borrowed from the input where the
/// deserializer can lend it, so reading a name does not allocate.
#[derive(Debug)]
pub enum FieldName<'de> {
    /// Borrowed from the input.
    Borrowed(&'de str),
    /// Copied, where the input could not lend it (escapes, a reader).
    Owned(String),
}

impl FieldName<'_> {
    /// The name.
    pub fn as_str(&self) -> &str {
        match self {
            FieldName::Borrowed(name) => name,
            FieldName::Owned(name) => name,
        }
    }
}

impl<'de> Deserialize<'de> for FieldName<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;

        impl<'de> Visitor<'de> for NameVisitor {
            type Value = FieldName<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }

            fn visit_borrowed_str<E: de::Error>(self, name: &'de str) -> Result<Self::Value, E> {
                Ok(FieldName::Borrowed(name))
            }

            fn visit_str<E: de::Error>(self, name: &str) -> Result<Self::Value, E> {
                Ok(FieldName::Owned(name.to_owned()))
            }

            fn visit_string<E: de::Error>(self, name: String) -> Result<Self::Value, E> {
                Ok(FieldName::Owned(name))
            }
        }

        deserializer.deserialize_str(NameVisitor)
    }
}

/// Reads the value of field `name` into `slot`; a second value for the same
/// field is serde's "duplicate field" error.
pub fn next_field<'de, T, A>(map: &mut A, slot: &mut Option<T>, name: &'static str) -> Result<(), A::Error>
where
    T: Deserialize<'de>,
    A: MapAccess<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// The value of a required field, or, when the object had none, what its
/// type makes of a missing value: `None` for an `Option`, serde's "missing
/// field" error for anything else.
pub fn required_field<'de, T, E>(slot: Option<T>, name: &'static str) -> Result<T, E>
where
    T: Deserialize<'de>,
    E: de::Error,
{
    match slot {
        Some(value) => Ok(value),
        None => T::deserialize(MissingField {
            name,
            error: PhantomData,
        }),
    }
}

/// Stands in for the value of a missing field: an `Option` reads it as
/// `None`, every other type fails with "missing field".
struct MissingField<E> {
    name: &'static str,
    error: PhantomData<E>,
}

impl<'de, E: de::Error> Deserializer<'de> for MissingField<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(de::Error::missing_field(self.name))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a generated struct's `Deserialize` looks like.
    #[derive(Debug, PartialEq)]
    struct Token {
        id: String,
        name: Option<String>,
        role: Option<String>,
    }

    impl<'de> Deserialize<'de> for Token {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct TokenVisitor;
            impl<'de> Visitor<'de> for TokenVisitor {
                type Value = Token;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("struct Token")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Token, A::Error> {
                    let (mut id, mut name, mut role) = (None, None, None);
                    while let Some(key) = map.next_key::<FieldName<'de>>()? {
                        match key.as_str() {
                            "_id" => next_field(&mut map, &mut id, "_id")?,
                            "name" => next_field(&mut map, &mut name, "name")?,
                            "role" => next_field(&mut map, &mut role, "role")?,
                            _ => {
                                map.next_value::<de::IgnoredAny>()?;
                            }
                        }
                    }
                    Ok(Token {
                        id: required_field(id, "_id")?,
                        // A required field of an `Option` type: absent reads as `None`.
                        name: required_field(name, "name")?,
                        // A field with a default, as the generator writes every optional one.
                        role: role.unwrap_or_default(),
                    })
                }
            }
            deserializer.deserialize_struct("Token", &["_id", "name", "role"], TokenVisitor)
        }
    }

    #[test]
    fn reads_fields_skips_unknown_ones_and_accepts_escaped_names() {
        let token: Token = serde_json::from_str(r#"{"_id":"a","extra":[1,{"x":2}],"n\u0061me":"n"}"#).unwrap();
        assert_eq!(
            token,
            Token {
                id: "a".into(),
                name: Some("n".into()),
                role: None
            }
        );
        let from_value: Token = serde_json::from_value(serde_json::json!({"_id": "b", "role": null})).unwrap();
        assert_eq!(from_value.id, "b");
        assert_eq!(from_value.role, None);
    }

    /// The same struct as serde's derive reads it.
    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Derived {
        #[serde(rename = "_id")]
        id: String,
        name: Option<String>,
        #[serde(default)]
        role: Option<String>,
    }

    #[test]
    fn results_and_errors_are_those_of_serde_s_derive() {
        let inputs = [
            r#"{"_id":"a","name":"n","role":"r"}"#,
            r#"{"name":"n"}"#,
            r#"{"_id":"a","_id":"b"}"#,
            r#"{"_id":"a","role":"r","role":"s"}"#,
            r#"{"_id":1}"#,
            r#"{"_id":"a","role":5}"#,
            r#"{"_id":"a","name":null,"role":null,"x":{"y":[1,2]}}"#,
            r#"{"_id":"a""#,
            "null",
            "7",
        ];
        for input in inputs {
            let ours = serde_json::from_str::<Token>(input);
            let derived = serde_json::from_str::<Derived>(input);
            match (ours, derived) {
                (Ok(ours), Ok(derived)) => {
                    assert_eq!(
                        (ours.id, ours.name, ours.role),
                        (derived.id, derived.name, derived.role),
                        "{input}"
                    )
                }
                (Err(ours), Err(derived)) => {
                    let derived = derived.to_string().replace("struct Derived", "struct Token");
                    assert_eq!(ours.to_string(), derived, "{input}")
                }
                (ours, derived) => panic!("{input}: ours {ours:?}, derived {derived:?}"),
            }
        }
        // The derive also reads an array as the fields in order; JSON objects are what APIs send.
        let array = serde_json::from_str::<Token>(r#"["a"]"#).unwrap_err();
        assert!(
            array
                .to_string()
                .starts_with("invalid type: sequence, expected struct Token"),
            "{array}"
        );
    }

    #[test]
    fn the_path_of_an_error_is_kept() {
        let json = r#"{"_id":"a","role":5}"#;
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let err = serde_path_to_error::deserialize::<_, Token>(&mut deserializer).unwrap_err();
        assert_eq!(err.path().to_string(), "role");
        // Inside a list, a missing field is reported at the object that lacks it.
        let json = r#"[{"_id":"a"},{"name":"n"}]"#;
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let err = serde_path_to_error::deserialize::<_, Vec<Token>>(&mut deserializer).unwrap_err();
        assert_eq!(err.path().to_string(), "[1]");
        assert!(err.inner().to_string().starts_with("missing field `_id`"), "{err}");
    }
}
