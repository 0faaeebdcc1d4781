//! OpenAPI parameter serialisation: the `style`, `explode` and
//! `allowReserved` rules of the Parameter Object, applied to any
//! `serde::Serialize` value.
//!
//! Values are first turned into a [`serde_json::Value`], so the rules follow
//! the JSON shape of the value: a string, number or boolean is a primitive,
//! a JSON array an array and a JSON object an object. The expansions follow
//! the "Style Examples" table of the OpenAPI Specification (3.0.4 / 3.1.1),
//! which in turn follows RFC 6570:
//!
//! | style | explode | string | array | object |
//! | --- | --- | --- | --- | --- |
//! | matrix | false | `;color=blue` | `;color=blue,black` | `;color=R,100,G,200` |
//! | matrix | true | `;color=blue` | `;color=blue;color=black` | `;R=100;G=200` |
//! | label | false | `.blue` | `.blue,black` | `.R,100,G,200` |
//! | label | true | `.blue` | `.blue.black` | `.R=100.G=200` |
//! | simple | false | `blue` | `blue,black` | `R,100,G,200` |
//! | simple | true | `blue` | `blue,black` | `R=100,G=200` |
//! | form | false | `color=blue` | `color=blue,black` | `color=R,100,G,200` |
//! | form | true | `color=blue` | `color=blue&color=black` | `R=100&G=200` |
//! | spaceDelimited | false | | `color=blue%20black` | `color=R%20100%20G%20200` |
//! | pipeDelimited | false | | `color=blue%7Cblack` | `color=R%7C100%7CG%7C200` |
//! | deepObject | true | | | `color%5BR%5D=100&color%5BG%5D=200` |
//!
//! Where the table says nothing, these rules apply (the generator lists every
//! parameter that reaches them as "not represented exactly"):
//!
//! * `null` members of arrays and objects are left out, as RFC 6570 leaves
//!   out undefined values; a `null` parameter is an error.
//! * An array or object nested inside another is sent as its JSON text,
//!   except under `deepObject`.
//! * `deepObject` nests objects as `a[b][c]=v` and sends arrays as
//!   `a[b][]=v` (the bracket convention that Rails, PHP and Stripe parse); an
//!   object inside an array takes its index instead, `a[b][0][c]=v`.
//! * `spaceDelimited` and `pipeDelimited` with `explode: true`, and every
//!   style given a primitive where the table has no entry, fall back to `form`.
//!
//! Every literal character of a value is percent-encoded with the RFC 3986
//! unreserved set kept, so a value can never add a pair, a segment or a
//! delimiter. `allowReserved` keeps the reserved characters that cannot change
//! the structure of a query string (`: / ? [ ] @ ! $ ' ( ) * , ;`); `#`, `&`,
//! `=` and `+` stay encoded because they would end the query, split the pair
//! or read as a space, and the server decodes either spelling to the same
//! value.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, utf8_percent_encode};
use serde::Serialize;
use serde_json::Value;

use crate::error::{RequestError, RequestErrorKind};
use crate::operation::OperationInfo;
use crate::path::COMPONENT;

/// The `style` of a parameter or of a form-body property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `simple` (path and header default): `blue,black`.
    Simple,
    /// `label`: `.blue.black`.
    Label,
    /// `matrix`: `;color=blue`.
    Matrix,
    /// `form` (query and cookie default): `color=blue`.
    Form,
    /// `spaceDelimited`: `color=blue%20black`.
    SpaceDelimited,
    /// `pipeDelimited`: `color=blue%7Cblack`.
    PipeDelimited,
    /// `deepObject`: `color%5BR%5D=100`.
    DeepObject,
}

/// How one parameter (or form-body property) is written: its style and
/// `explode`, whether reserved characters are kept, or whether the value
/// is sent as JSON text (a parameter described with `content:
/// application/json`, or a form property whose content type is JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamStyle {
    style: Style,
    explode: bool,
    allow_reserved: bool,
    json: bool,
}

impl ParamStyle {
    /// A style with its `explode` flag.
    pub const fn new(style: Style, explode: bool) -> Self {
        Self {
            style,
            explode,
            allow_reserved: false,
            json: false,
        }
    }

    /// The value's JSON text, sent as one primitive in the location's
    /// default style (`content: {application/json: ...}`).
    pub const fn json(style: Style) -> Self {
        Self {
            style,
            explode: false,
            allow_reserved: false,
            json: true,
        }
    }

    /// Keeps reserved characters unencoded (`allowReserved: true`); see the
    /// [module documentation](self) for the ones that stay encoded anyway.
    pub const fn allow_reserved(mut self) -> Self {
        self.allow_reserved = true;
        self
    }

    /// The style.
    pub const fn style(&self) -> Style {
        self.style
    }

    /// The `explode` flag.
    pub const fn explode(&self) -> bool {
        self.explode
    }
}

/// Why a parameter value could not be encoded; no request is sent.
#[derive(Debug, thiserror::Error)]
pub enum ParamError {
    /// The value could not be turned into JSON (a map with non-string keys,
    /// or a `Serialize` implementation that failed).
    #[error("parameter `{name}` could not be serialised: {source}")]
    Serialize {
        /// The parameter's name.
        name: String,
        /// What serde reported.
        #[source]
        source: serde_json::Error,
    },
    /// A form body is not a JSON object, so it has no properties to send.
    #[error("a form body must serialise to a JSON object")]
    NotAnObject,
    /// The value is `null` (or a float that is not finite, which JSON writes
    /// as `null`), and a parameter needs a value.
    #[error("parameter `{name}` has no value (null or a non-finite number); set a value or leave the parameter out")]
    Null {
        /// The parameter's name.
        name: String,
    },
}

impl ParamError {
    /// The request error that generated code returns for this failure.
    pub fn into_request_error(self, operation: &'static OperationInfo) -> RequestError {
        let detail = self.to_string();
        RequestError::new(operation, RequestErrorKind::Encode, detail).with_source(self)
    }
}

/// Reserved characters kept by `allowReserved`, removed from the strict set.
const RESERVED_KEPT: &AsciiSet = &COMPONENT
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'[')
    .remove(b']')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b',')
    .remove(b';');

/// Percent-encodes one literal piece (a name, key or value) of a query string
/// or path segment.
pub(crate) fn encode_uri(text: &str, allow_reserved: bool) -> Cow<'_, str> {
    let set = if allow_reserved { RESERVED_KEPT } else { COMPONENT };
    utf8_percent_encode(text, set).into()
}

/// Encodes one literal piece of an `application/x-www-form-urlencoded`
/// body: like a query string, except that a space is `+` (RFC 1866).
pub(crate) fn encode_form(text: &str, allow_reserved: bool) -> Cow<'_, str> {
    let encoded = encode_uri(text, allow_reserved);
    if encoded.contains("%20") {
        Cow::Owned(encoded.replace("%20", "+"))
    } else {
        encoded
    }
}

/// Leaves a piece as it is (header values are text, not URI components).
fn keep(text: &str, _allow_reserved: bool) -> Cow<'_, str> {
    Cow::Borrowed(text)
}

type Encoder = for<'a> fn(&'a str, bool) -> Cow<'a, str>;

/// Turns `value` into JSON, refusing a top-level `null`.
pub(crate) fn to_json<T: Serialize + ?Sized>(name: &str, value: &T, style: ParamStyle) -> Result<Value, ParamError> {
    let json = serde_json::to_value(value).map_err(|source| ParamError::Serialize {
        name: name.to_owned(),
        source,
    })?;
    if json.is_null() {
        return Err(ParamError::Null { name: name.to_owned() });
    }
    if style.json {
        // Serialising a `Value` again cannot fail: its map keys are strings.
        return Ok(Value::String(json.to_string()));
    }
    Ok(json)
}

/// The text of a primitive; nested arrays and objects become JSON text.
fn text(value: &Value) -> Cow<'_, str> {
    match value {
        Value::String(text) => Cow::Borrowed(text),
        other => Cow::Owned(other.to_string()),
    }
}

/// The members of an array or object as (key, value) pairs, `null`s left out.
fn members(value: &Value) -> Vec<(Option<&str>, &Value)> {
    match value {
        Value::Array(items) => items.iter().filter(|v| !v.is_null()).map(|v| (None, v)).collect(),
        Value::Object(map) => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (Some(k.as_str()), v))
            .collect(),
        _ => Vec::new(),
    }
}

/// Joins the members of an unexploded array (`a,b`) or object (`k,v,k2,v2`).
fn joined(value: &Value, delimiter: &str, encode: Encoder, reserved: bool) -> String {
    let mut pieces = Vec::new();
    for (key, member) in members(value) {
        if let Some(key) = key {
            pieces.push(encode(key, reserved).into_owned());
        }
        pieces.push(encode(&text(member), reserved).into_owned());
    }
    pieces.join(delimiter)
}

/// The path-segment text of a `simple`, `label` or `matrix` parameter
/// (other styles are written as `simple`). Delimiters stay literal and every
/// value is percent-encoded, so the result is exactly one segment.
pub(crate) fn path_text(name: &str, value: &Value, style: ParamStyle) -> String {
    styled_text(name, value, style, encode_uri)
}

/// The value of a `simple` header parameter: like the path form, but not
/// percent-encoded.
pub(crate) fn header_text(name: &str, value: &Value, style: ParamStyle) -> String {
    styled_text(
        name,
        value,
        ParamStyle {
            style: Style::Simple,
            ..style
        },
        keep,
    )
}

fn styled_text(name: &str, value: &Value, style: ParamStyle, encode: Encoder) -> String {
    let reserved = style.allow_reserved;
    let explode = style.explode;
    let is_container = matches!(value, Value::Array(_) | Value::Object(_));
    let exploded_pairs = |separator: &str| {
        members(value)
            .into_iter()
            .map(|(key, member)| match key {
                Some(key) => format!("{}={}", encode(key, reserved), encode(&text(member), reserved)),
                None => encode(&text(member), reserved).into_owned(),
            })
            .collect::<Vec<_>>()
            .join(separator)
    };
    match style.style {
        Style::Label => {
            if !is_container {
                format!(".{}", encode(&text(value), reserved))
            } else if explode {
                format!(".{}", exploded_pairs("."))
            } else {
                format!(".{}", joined(value, ",", encode, reserved))
            }
        }
        Style::Matrix => {
            let name = encode(name, false);
            match value {
                Value::Array(_) if explode => members(value)
                    .into_iter()
                    .map(|(_, member)| matrix_pair(&name, &encode(&text(member), reserved)))
                    .collect(),
                Value::Object(_) if explode => format!(";{}", exploded_pairs(";")),
                Value::Array(_) | Value::Object(_) => matrix_pair(&name, &joined(value, ",", encode, reserved)),
                scalar => matrix_pair(&name, &encode(&text(scalar), reserved)),
            }
        }
        _ => {
            if !is_container {
                encode(&text(value), reserved).into_owned()
            } else if explode {
                exploded_pairs(",")
            } else {
                joined(value, ",", encode, reserved)
            }
        }
    }
}

/// `;name=value`, or `;name` for an empty value (RFC 6570 section 3.2.7).
fn matrix_pair(name: &str, value: &str) -> String {
    if value.is_empty() {
        format!(";{name}")
    } else {
        format!(";{name}={value}")
    }
}

/// The `name=value` pairs of a query (or form-body) parameter, already
/// encoded with `encode`. An empty array or object gives no pair.
pub(crate) fn pairs(name: &str, value: &Value, style: ParamStyle, encode: Encoder) -> Vec<(String, String)> {
    let reserved = style.allow_reserved;
    let encoded_name = encode(name, false).into_owned();
    let scalar = |v: &Value| encode(&text(v), reserved).into_owned();
    if !matches!(value, Value::Array(_) | Value::Object(_)) {
        return vec![(encoded_name, scalar(value))];
    }
    if members(value).is_empty() {
        return Vec::new();
    }
    let delimiter = match style.style {
        Style::SpaceDelimited if !style.explode => Some(encode(" ", false).into_owned()),
        Style::PipeDelimited if !style.explode => Some(encode("|", false).into_owned()),
        Style::DeepObject => {
            let mut out = Vec::new();
            deep_pairs(&encoded_name, value, encode, reserved, &mut out);
            return out;
        }
        _ if !style.explode => Some(",".to_owned()),
        _ => None,
    };
    if let Some(delimiter) = delimiter {
        return vec![(encoded_name, joined(value, &delimiter, encode, reserved))];
    }
    members(value)
        .into_iter()
        .map(|(key, member)| match key {
            Some(key) => (encode(key, false).into_owned(), scalar(member)),
            None => (encoded_name.clone(), scalar(member)),
        })
        .collect()
}

/// `prefix[key]...=value` pairs of a `deepObject` value.
fn deep_pairs(prefix: &str, value: &Value, encode: Encoder, reserved: bool, out: &mut Vec<(String, String)>) {
    let open = encode("[", false);
    let close = encode("]", false);
    match value {
        Value::Object(map) => {
            for (key, member) in map.iter().filter(|(_, v)| !v.is_null()) {
                let name = format!("{prefix}{open}{}{close}", encode(key, false));
                deep_pairs(&name, member, encode, reserved, out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().filter(|v| !v.is_null()).enumerate() {
                let name = if item.is_object() || item.is_array() {
                    format!("{prefix}{open}{index}{close}")
                } else {
                    format!("{prefix}{open}{close}")
                };
                deep_pairs(&name, item, encode, reserved, out);
            }
        }
        scalar => out.push((prefix.to_owned(), encode(&text(scalar), reserved).into_owned())),
    }
}

/// Encodes a path parameter as the text of its segment (or part of one),
/// for generated code: `path.push_str(&path_param(&OP, "id", &id, style)?)`.
///
/// The transport still refuses a path whose segment is empty, `.` or `..`.
pub fn path_param<T: Serialize + ?Sized>(
    operation: &'static OperationInfo,
    name: &str,
    value: &T,
    style: ParamStyle,
) -> Result<String, RequestError> {
    let json = to_json(name, value, style).map_err(|err| err.into_request_error(operation))?;
    let text = path_text(name, &json, style);
    // A label or simple value made only of dots would be a dot segment.
    if !text.is_empty() && text.bytes().all(|b| b == b'.') {
        return Ok("%2E".repeat(text.len()));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn color() -> [Value; 3] {
        [
            json!("blue"),
            json!(["blue", "black", "brown"]),
            json!({"R": 100, "G": 200, "B": 150}),
        ]
    }

    fn path(style: Style, explode: bool) -> Vec<String> {
        color()
            .iter()
            .map(|v| path_text("color", v, ParamStyle::new(style, explode)))
            .collect()
    }

    fn query(style: Style, explode: bool, value: &Value) -> String {
        pairs("color", value, ParamStyle::new(style, explode), encode_uri)
            .into_iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }

    // Rows of the OpenAPI "Style Examples" table (3.0.4 / 3.1.1); objects keep
    // their members' order.
    #[test]
    fn matrix_rows() {
        assert_eq!(
            path(Style::Matrix, false),
            [";color=blue", ";color=blue,black,brown", ";color=R,100,G,200,B,150"]
        );
        assert_eq!(
            path(Style::Matrix, true),
            [
                ";color=blue",
                ";color=blue;color=black;color=brown",
                ";R=100;G=200;B=150"
            ]
        );
        assert_eq!(
            path_text("color", &json!(""), ParamStyle::new(Style::Matrix, false)),
            ";color"
        );
    }

    #[test]
    fn label_rows() {
        assert_eq!(
            path(Style::Label, false),
            [".blue", ".blue,black,brown", ".R,100,G,200,B,150"]
        );
        assert_eq!(
            path(Style::Label, true),
            [".blue", ".blue.black.brown", ".R=100.G=200.B=150"]
        );
    }

    #[test]
    fn simple_rows() {
        assert_eq!(
            path(Style::Simple, false),
            ["blue", "blue,black,brown", "R,100,G,200,B,150"]
        );
        assert_eq!(
            path(Style::Simple, true),
            ["blue", "blue,black,brown", "R=100,G=200,B=150"]
        );
    }

    #[test]
    fn form_rows() {
        let [s, a, o] = color();
        assert_eq!(query(Style::Form, false, &s), "color=blue");
        assert_eq!(query(Style::Form, false, &a), "color=blue,black,brown");
        assert_eq!(query(Style::Form, false, &o), "color=R,100,G,200,B,150");
        assert_eq!(query(Style::Form, true, &s), "color=blue");
        assert_eq!(query(Style::Form, true, &a), "color=blue&color=black&color=brown");
        assert_eq!(query(Style::Form, true, &o), "R=100&G=200&B=150");
        assert_eq!(query(Style::Form, true, &json!("")), "color=");
    }

    #[test]
    fn delimited_and_deep_object_rows() {
        let [_, a, o] = color();
        assert_eq!(query(Style::SpaceDelimited, false, &a), "color=blue%20black%20brown");
        assert_eq!(
            query(Style::SpaceDelimited, false, &o),
            "color=R%20100%20G%20200%20B%20150"
        );
        assert_eq!(query(Style::PipeDelimited, false, &a), "color=blue%7Cblack%7Cbrown");
        assert_eq!(
            query(Style::PipeDelimited, false, &o),
            "color=R%7C100%7CG%7C200%7CB%7C150"
        );
        assert_eq!(
            query(Style::DeepObject, true, &o),
            "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"
        );
    }

    #[test]
    fn deep_object_nests_objects_and_arrays() {
        let value = json!({"a": {"b": {"c": 1}}, "tags": ["x", "y"], "items": [{"p": "q"}], "skip": null});
        assert_eq!(
            query(Style::DeepObject, true, &value),
            "color%5Ba%5D%5Bb%5D%5Bc%5D=1&color%5Btags%5D%5B%5D=x&color%5Btags%5D%5B%5D=y&color%5Bitems%5D%5B0%5D%5Bp%5D=q"
        );
    }

    #[test]
    fn values_cannot_inject_delimiters() {
        let value = json!(["a,b", "c&d=e", "f g", "h/i"]);
        assert_eq!(query(Style::Form, false, &value), "color=a%2Cb,c%26d%3De,f%20g,h%2Fi");
        assert_eq!(
            path_text("x", &json!({"k;": "v=w"}), ParamStyle::new(Style::Matrix, true)),
            ";k%3B=v%3Dw"
        );
        assert_eq!(
            path_text("x", &json!("a/b"), ParamStyle::new(Style::Simple, false)),
            "a%2Fb"
        );
    }

    #[test]
    fn allow_reserved_keeps_only_harmless_reserved_characters() {
        let style = ParamStyle::new(Style::Form, true).allow_reserved();
        let got = pairs("q", &json!("a/b:c?d[e]@!$'()*,;#&=+ f"), style, encode_uri);
        assert_eq!(
            got,
            [("q".to_owned(), "a/b:c?d[e]@!$'()*,;%23%26%3D%2B%20f".to_owned())]
        );
    }

    #[test]
    fn empty_containers_and_nulls_are_left_out() {
        assert_eq!(query(Style::Form, true, &json!([])), "");
        assert_eq!(query(Style::Form, false, &json!({})), "");
        assert_eq!(query(Style::Form, true, &json!(["a", null, "b"])), "color=a&color=b");
        assert_eq!(query(Style::Form, true, &json!({"a": null, "b": 1})), "b=1");
    }

    #[test]
    fn nested_values_outside_deep_object_are_json_text() {
        assert_eq!(
            query(Style::Form, true, &json!([[1, 2], {"a": true}])),
            "color=%5B1%2C2%5D&color=%7B%22a%22%3Atrue%7D"
        );
    }

    #[test]
    fn headers_are_simple_and_not_percent_encoded() {
        let style = ParamStyle::new(Style::Simple, true);
        assert_eq!(header_text("X", &json!({"a": "b c", "d": 1}), style), "a=b c,d=1");
        assert_eq!(
            header_text("X", &json!([1, 2]), ParamStyle::new(Style::Form, false)),
            "1,2"
        );
    }

    #[test]
    fn json_content_is_one_primitive() {
        let style = ParamStyle::json(Style::Form);
        let value = to_json("q", &json!({"lat": 1.5, "long": 2}), style).unwrap();
        assert_eq!(
            query(Style::Form, true, &value),
            "color=%7B%22lat%22%3A1.5%2C%22long%22%3A2%7D"
        );
    }

    #[test]
    fn null_and_non_finite_values_are_errors() {
        let style = ParamStyle::new(Style::Form, true);
        assert!(matches!(to_json("q", &f64::NAN, style), Err(ParamError::Null { .. })));
        assert!(matches!(
            to_json("q", &Option::<i32>::None, style),
            Err(ParamError::Null { .. })
        ));
        let mut bad = std::collections::BTreeMap::new();
        bad.insert(vec![1u8], 1);
        let err = to_json("q", &bad, style).unwrap_err();
        assert!(matches!(err, ParamError::Serialize { .. }), "{err}");
        assert!(err.to_string().contains("`q`"), "{err}");
    }

    #[test]
    fn form_body_pieces_use_plus_for_space() {
        let got = pairs("a b", &json!("c d+e"), ParamStyle::new(Style::Form, true), encode_form);
        assert_eq!(got, [("a+b".to_owned(), "c+d%2Be".to_owned())]);
    }

    #[test]
    fn dot_only_path_values_are_encoded() {
        static OP: OperationInfo = OperationInfo {
            id: "op",
            method: crate::HttpMethod::Get,
            path_template: "/x/{id}",
        };
        let style = ParamStyle::new(Style::Simple, false);
        assert_eq!(path_param(&OP, "id", "..", style).unwrap(), "%2E%2E");
        assert_eq!(path_param(&OP, "id", &["a", "b"], style).unwrap(), "a,b");
        let err = path_param(&OP, "id", &f64::INFINITY, style).unwrap_err();
        assert_eq!(err.kind(), RequestErrorKind::Encode);
    }
}
