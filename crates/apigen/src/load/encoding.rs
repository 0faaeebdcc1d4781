//! Keeps whether an Encoding Object states `explode`.
//!
//! `openapiv3` reads a missing `explode` of an Encoding Object as `false`,
//! but OpenAPI defaults it to `true` for `form`, and its mere presence
//! selects the `style`-based serialisation of a URL-encoded form property.
//! Before the typed parse, the stated value is copied into the extension
//! [`EXPLODE_EXTENSION`], which the typed document keeps.

use serde_json::Value;

/// The extension that carries a stated `explode` of an Encoding Object.
pub const EXPLODE_EXTENSION: &str = "x-apigen-explode";

/// Copies `explode` into [`EXPLODE_EXTENSION`] in every Encoding Object of
/// a request body (under `paths` and `components/requestBodies`).
pub(super) fn mark_stated_explode(document: &mut Value) {
    if let Some(Value::Object(paths)) = document.get_mut("paths") {
        for item in paths.values_mut() {
            if let Value::Object(item) = item {
                for operation in item.values_mut() {
                    if let Some(body) = operation.get_mut("requestBody") {
                        mark_body(body);
                    }
                }
            }
        }
    }
    if let Some(Value::Object(bodies)) = document.pointer_mut("/components/requestBodies") {
        bodies.values_mut().for_each(mark_body);
    }
}

fn mark_body(body: &mut Value) {
    let Some(Value::Object(content)) = body.get_mut("content") else {
        return;
    };
    for media in content.values_mut() {
        let Some(Value::Object(encoding)) = media.get_mut("encoding") else {
            continue;
        };
        for entry in encoding.values_mut() {
            if let Value::Object(entry) = entry {
                if let Some(Value::Bool(explode)) = entry.get("explode") {
                    let explode = *explode;
                    entry.insert(EXPLODE_EXTENSION.to_owned(), Value::Bool(explode));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn stated_explode_is_copied_and_absent_stays_absent() {
        let mut doc = json!({
            "paths": {"/a": {"post": {"requestBody": {"content": {"application/x-www-form-urlencoded": {
                "encoding": {"x": {"explode": false}, "y": {"style": "form"}}
            }}}}}},
            "components": {"requestBodies": {"B": {"content": {"m": {"encoding": {"z": {"explode": true}}}}}}}
        });
        mark_stated_explode(&mut doc);
        let encoding =
            &doc["paths"]["/a"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]["encoding"];
        assert_eq!(encoding["x"][EXPLODE_EXTENSION], json!(false));
        assert_eq!(encoding["y"].get(EXPLODE_EXTENSION), None);
        assert_eq!(
            doc["components"]["requestBodies"]["B"]["content"]["m"]["encoding"]["z"][EXPLODE_EXTENSION],
            json!(true)
        );
    }
}
