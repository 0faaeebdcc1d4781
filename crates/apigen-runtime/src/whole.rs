//! Decoding a value that has to be read whole before it can be judged: a
//! union picking its shape, a JSON Patch validating its operations.
//!
//! Such a type could read a `serde_json::Value` and judge it after the
//! deserializer has returned, but then its refusal carries no position, and
//! serde_json gives it the position where the enclosing object or array
//! stops reading, which names the wrong value in the error's JSON path (see
//! `locate.rs`). Judging inside the deserializer's visit gives the refusal
//! the position where the value ends.

use std::fmt;

use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{Deserializer, Error, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// Reads a whole value as JSON and lets `convert` turn it into the type,
/// while the deserializer is still at the value.
pub fn decode_whole<'de, D, T>(
    deserializer: D,
    convert: impl FnOnce(Value) -> Result<T, WholeValueError>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    deserializer.deserialize_any(WholeValue(convert))
}

/// Why a type refused the value it read whole; [`decode_whole`] turns it
/// into the deserializer's own error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WholeValueError(String);

impl fmt::Display for WholeValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WholeValueError {}

impl Error for WholeValueError {
    fn custom<M: fmt::Display>(message: M) -> Self {
        Self(message.to_string())
    }
}

struct WholeValue<F>(F);

impl<F> WholeValue<F> {
    fn finish<T, E: Error>(self, value: Value) -> Result<T, E>
    where
        F: FnOnce(Value) -> Result<T, WholeValueError>,
    {
        (self.0)(value).map_err(|error| E::custom(error.0))
    }
}

impl<'de, T, F> Visitor<'de> for WholeValue<F>
where
    F: FnOnce(Value) -> Result<T, WholeValueError>,
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
