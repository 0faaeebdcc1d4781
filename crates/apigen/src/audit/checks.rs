//! The fields whose coverage depends on their value or their neighbours, and
//! the key patterns of the objects with patterned fields.

use serde_json::Value;

use super::Check;

/// The dialect OpenAPI 3.1 assumes when none is named.
const OAS_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";
/// Plain JSON Schema 2020-12, which the OpenAPI dialect extends.
const JSON_SCHEMA_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

fn is_default_dialect(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|uri| [OAS_DIALECT, JSON_SCHEMA_2020_12].contains(&uri.trim_end_matches('#')))
}

pub(super) const DIALECT: Check = Check {
    rule: "honoured when it names the OpenAPI 3.1 base dialect or JSON Schema 2020-12; any other dialect is not interpreted",
    run: |site| {
        let value = site.value;
        (!is_default_dialect(value)).then(|| {
            "this schema dialect is not interpreted; schemas are read with the OpenAPI 3.1 base dialect".to_owned()
        })
    },
};

pub(super) const SCHEMA_DIALECT: Check = Check {
    rule: DIALECT.rule,
    run: DIALECT.run,
};

pub(super) const FORMAT: Check = Check {
    rule: "`int32` selects `i32` and `binary` raw bytes; other formats (`date-time`, `uuid`, `byte`, ...) are documentation, and the value keeps its JSON type",
    run: |_| None,
};

pub(super) const READ_ONLY: Check = Check {
    rule: "an optional read-only property is exact (the caller leaves it unset); a required one stays required in types only responses use, and is optional in types requests also send (the lowering lists each such field)",
    run: |_| None,
};

pub(super) const WRITE_ONLY: Check = Check {
    rule: "an optional write-only property is exact (absent from responses, it decodes as `None`); a required one must also be present in responses",
    run: |site| {
        (site.required && site.value == &Value::Bool(true)).then(|| {
            "this required `writeOnly` property is part of responses too: a response without it fails to decode"
                .to_owned()
        })
    },
};

pub(super) const UNEVALUATED: Check = Check {
    rule: "a boolean is left to the server (unknown fields are ignored when decoding); a schema is not applied",
    run: |site| {
        let (key, value) = (site.key, site.value);
        (!value.is_boolean()).then(|| format!("the `{key}` schema is not applied; the extra members are not typed"))
    },
};

pub(super) const DISCRIMINATOR: Check = Check {
    rule: "used by the lowering next to `oneOf`/`anyOf`; anywhere else it does not pick a type",
    run: |site| {
        let parent = site.parent;
        (!parent.contains_key("oneOf") && !parent.contains_key("anyOf")).then(|| {
            "a `discriminator` without `oneOf`/`anyOf` is not used; values decode as this schema, not as the type the tag names"
                .to_owned()
        })
    },
};

/// Keys of the Paths object.
pub(super) fn is_path(key: &str) -> bool {
    key.starts_with('/')
}

/// Keys of the Responses object besides `default`: `200`, `4XX`.
pub(super) fn is_status(key: &str) -> bool {
    let bytes = key.as_bytes();
    match bytes {
        [b'1'..=b'5', rest @ ..] if rest.len() == 2 => {
            rest.iter().all(u8::is_ascii_digit) || rest.iter().all(|b| b.eq_ignore_ascii_case(&b'x'))
        }
        _ => false,
    }
}

/// Keys of objects whose every key is a name or an expression.
pub(super) fn any_key(_: &str) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Site;
    use serde_json::json;

    fn run(check: Check, key: &str, parent: Value, value: Value) -> Option<String> {
        let parent = parent.as_object().cloned().unwrap_or_default();
        let document = json!({});
        (check.run)(&Site {
            key,
            parent: &parent,
            value: &value,
            required: false,
            document: &document,
        })
    }

    #[test]
    fn status_keys() {
        assert!(is_status("200"));
        assert!(is_status("4XX"));
        assert!(is_status("5xx"));
        assert!(!is_status("600"));
        assert!(!is_status("20"));
        assert!(!is_status("2X0"));
        assert!(!is_status("default"));
    }

    #[test]
    fn dialects() {
        assert_eq!(run(DIALECT, "jsonSchemaDialect", json!({}), json!(OAS_DIALECT)), None);
        assert!(
            run(
                DIALECT,
                "jsonSchemaDialect",
                json!({}),
                json!("https://example.com/dialect")
            )
            .is_some()
        );
    }

    #[test]
    fn discriminator_needs_a_union() {
        assert_eq!(
            run(DISCRIMINATOR, "discriminator", json!({"oneOf": []}), json!({})),
            None
        );
        assert!(run(DISCRIMINATOR, "discriminator", json!({"allOf": []}), json!({})).is_some());
        assert_eq!(run(UNEVALUATED, "unevaluatedProperties", json!({}), json!(false)), None);
        assert!(run(UNEVALUATED, "unevaluatedProperties", json!({}), json!({})).is_some());
    }

    #[test]
    fn write_only_matters_when_required_and_read_only_is_left_to_the_lowering() {
        let parent = serde_json::Map::new();
        let document = json!({});
        let site = |required: bool, value: &'static Value| Site {
            key: "readOnly",
            parent: &parent,
            value,
            required,
            document: &document,
        };
        static TRUE: Value = Value::Bool(true);
        static FALSE: Value = Value::Bool(false);
        assert_eq!((READ_ONLY.run)(&site(false, &TRUE)), None);
        assert_eq!((READ_ONLY.run)(&site(true, &FALSE)), None);
        // A required read-only property is the lowering's to judge: it knows
        // whether a request sends the type (`lower/finish.rs` lists those).
        assert_eq!((READ_ONLY.run)(&site(true, &TRUE)), None);
        assert_eq!((WRITE_ONLY.run)(&site(false, &TRUE)), None);
        assert!((WRITE_ONLY.run)(&site(true, &TRUE)).is_some());
    }
}
