//! `application/x-www-form-urlencoded` request bodies.
//!
//! The body is a JSON object (a generated struct); each property becomes
//! `name=value` pairs in the style the generator chose for it (from the
//! media type's `encoding` map, see [`crate::params`] for the styles), in the
//! object's order. Pieces are encoded as RFC 1866 and the WHATWG URL standard
//! describe: unreserved characters stay, a space is `+`, everything else is
//! `%XX`, so `a[b]` is sent as `a%5Bb%5D`.
//!
//! A property the generator did not list (a member of `additionalProperties`)
//! follows the OpenAPI defaults of the Encoding Object: an object is sent as
//! its JSON text (content type `application/json`), anything else in `form`
//! style with `explode: true`, so an array repeats its name.

use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;

use crate::params::{self, ParamError, ParamStyle, Style};

/// Encodes `body` as a form: `fields` maps property names to their style.
/// A body that is not a JSON object is an error.
pub fn encode<T: Serialize + ?Sized>(body: &T, fields: &[(&str, ParamStyle)]) -> Result<Bytes, ParamError> {
    let json = serde_json::to_value(body).map_err(|source| ParamError::Serialize {
        name: "the form body".to_owned(),
        source,
    })?;
    let Value::Object(members) = json else {
        return Err(ParamError::NotAnObject);
    };
    let mut out = String::new();
    for (name, value) in &members {
        if value.is_null() {
            continue;
        }
        let style = fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, style)| *style)
            .unwrap_or_else(|| default_style(value));
        let value = params::to_json(name, value, style)?;
        for (name, value) in params::pairs(name, &value, style, params::encode_form) {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(&name);
            out.push('=');
            out.push_str(&value);
        }
    }
    Ok(Bytes::from(out))
}

/// The Encoding Object's defaults for a property the generator did not list.
fn default_style(value: &Value) -> ParamStyle {
    if value.is_object() {
        ParamStyle::json(Style::Form)
    } else {
        ParamStyle::new(Style::Form, true)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn text(body: &Value, fields: &[(&str, ParamStyle)]) -> String {
        String::from_utf8(encode(body, fields).unwrap().to_vec()).unwrap()
    }

    #[test]
    fn properties_follow_their_styles_in_order() {
        let body = json!({
            "name": "Ada Lovelace",
            "tags": ["a b", "c"],
            "ids": [1, 2],
            "metadata": {"plan": "pro+", "inner": {"x": 1}},
            "expand": ["customer"],
            "address": {"city": "Paris"},
            "note": null,
        });
        let fields = [
            ("name", ParamStyle::new(Style::Form, true)),
            ("tags", ParamStyle::new(Style::Form, true)),
            ("ids", ParamStyle::new(Style::Form, false)),
            ("metadata", ParamStyle::new(Style::DeepObject, true)),
            ("expand", ParamStyle::new(Style::DeepObject, true)),
            ("address", ParamStyle::json(Style::Form)),
        ];
        assert_eq!(
            text(&body, &fields),
            "name=Ada+Lovelace&tags=a+b&tags=c&ids=1,2\
             &metadata%5Bplan%5D=pro%2B&metadata%5Binner%5D%5Bx%5D=1\
             &expand%5B%5D=customer&address=%7B%22city%22%3A%22Paris%22%7D"
        );
    }

    #[test]
    fn unlisted_properties_use_the_encoding_defaults() {
        let body = json!({"extra": {"a": 1}, "list": ["x", "y"], "n": 1.5});
        assert_eq!(text(&body, &[]), "extra=%7B%22a%22%3A1%7D&list=x&list=y&n=1.5");
    }

    #[test]
    fn a_body_that_is_not_an_object_is_an_error() {
        assert!(matches!(encode(&json!([1]), &[]), Err(ParamError::NotAnObject)));
        assert!(matches!(encode(&f64::NAN, &[]), Err(ParamError::NotAnObject)));
    }

    #[test]
    fn reserved_characters_stay_when_allowed() {
        let fields = [("url", ParamStyle::new(Style::Form, true).allow_reserved())];
        assert_eq!(text(&json!({"url": "https://x/y?z"}), &fields), "url=https://x/y?z");
    }
}
