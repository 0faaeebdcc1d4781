//! Decoding YAML into a JSON value when an integer is wider than 64 bits.
//!
//! `serde_json::Value` refuses integers outside the `i64`/`u64` range ("JSON
//! number out of range"), and the YAML parser hands such literals over as
//! 128-bit integers. A document is still a valid API description with such a
//! number in it (OpenAI writes `i64::MIN` rounded through a double), so the
//! number is kept as the nearest double instead, like a JSON parser would.
//! The integer bounds that then do not fit are fitted and reported by
//! [`super::bounds`].

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// A JSON value decoded with wide integers turned into doubles.
pub(super) struct WideValue(pub(super) Value);

impl<'de> Deserialize<'de> for WideValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(WideVisitor).map(WideValue)
    }
}

struct WideVisitor;

fn double<E: de::Error>(value: f64) -> Result<Value, E> {
    Number::from_f64(value)
        .map(Value::Number)
        .ok_or_else(|| E::custom("number is not finite"))
}

impl<'de> Visitor<'de> for WideVisitor {
    type Value = Value;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("any YAML or JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<Value, E> {
        match i64::try_from(value) {
            Ok(fits) => Ok(Value::Number(fits.into())),
            // The nearest double is what a JSON parser keeps of such a literal.
            Err(_) => double(value as f64),
        }
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<Value, E> {
        match u64::try_from(value) {
            Ok(fits) => Ok(Value::Number(fits.into())),
            Err(_) => double(value as f64),
        }
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        // YAML's `.nan` and `.inf` have no JSON form; JSON's own parser
        // turns them into null, and so does this.
        Ok(Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        WideValue::deserialize(deserializer).map(|wide| wide.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(WideValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some((key, WideValue(value))) = map.next_entry::<String, WideValue>()? {
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::WideValue;

    #[test]
    fn wide_integers_become_doubles_and_the_rest_is_unchanged() {
        let text = "a: -9223372036854776000\nb: 18446744073709551616\nc: 7\nd: [x, 1.5, null, true]\n200: ok\n";
        let WideValue(value) = serde_yaml_ng::from_str(text).unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(value["a"].as_f64(), Some(-9.223372036854776e18));
        assert_eq!(value["b"].as_f64(), Some(1.8446744073709552e19));
        assert_eq!(value["c"].as_i64(), Some(7));
        assert_eq!(value["d"], serde_json::json!(["x", 1.5, null, true]));
        assert_eq!(value["200"], "ok");
        let plain: serde_json::Value =
            serde_yaml_ng::from_str("c: 7\nd: [x, 1.5, null, true]\n200: ok\n").unwrap_or_default();
        let WideValue(wide) =
            serde_yaml_ng::from_str("c: 7\nd: [x, 1.5, null, true]\n200: ok\n").unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(wide, plain);
    }
}
