//! Checks nested schemas from the inside out before the typed parse.
//!
//! `openapiv3` parses every schema through untagged enums (`ReferenceOr`,
//! `SchemaKind`), and `ReferenceOr` parses a failing item twice to improve
//! its message. When a deeply nested schema is invalid, every level above it
//! therefore parses its whole subtree again, and the time doubles with each
//! level: a 2 KB document with an invalid schema 30 levels deep ran for more
//! than 20 minutes (found by `tests/fuzz.rs`).
//!
//! Checking schemas on their own, innermost first, finds the invalid one
//! before the levels far above it can retry. Every [`STRIDE`]th level of
//! nesting is checked, so a check meets an invalid schema at most
//! `STRIDE - 1` levels down (the checks below it passed) and retries at
//! most `2^(STRIDE - 1)` times, and the checks cost about `1 / STRIDE` of
//! parsing each level separately. The walk follows the schema positions of
//! OpenAPI 3.0 (as the 3.1 normalisation does), plus callbacks, which nest
//! path items.

use serde_json::Value;

use crate::error::pointer_push;

/// An invalid schema: the pointer of the offending value and what the typed
/// parser said about it.
pub(super) struct Invalid {
    pub(super) pointer: String,
    pub(super) message: String,
}

/// Schemas nested a multiple of this many levels deep are checked.
const STRIDE: usize = 4;

const HTTP_METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Checks every schema position of `document` (after 3.1 normalisation).
pub(super) fn check_nested_schemas(document: &Value) -> Result<(), Invalid> {
    let Some(root) = document.as_object() else {
        return Ok(());
    };
    if let Some(Value::Object(paths)) = root.get("paths") {
        for (path, item) in paths {
            path_item(item, &pointer_push("#/paths", path))?;
        }
    }
    if let Some(Value::Object(components)) = root.get("components") {
        let at = |kind: &str| format!("#/components/{kind}");
        for_each_entry(components.get("schemas"), &at("schemas"), root_schema)?;
        for_each_entry(components.get("parameters"), &at("parameters"), parameter_or_header)?;
        for_each_entry(components.get("headers"), &at("headers"), parameter_or_header)?;
        for_each_entry(components.get("requestBodies"), &at("requestBodies"), with_content)?;
        for_each_entry(components.get("responses"), &at("responses"), response)?;
        for_each_entry(components.get("pathItems"), &at("pathItems"), path_item)?;
        for_each_entry(components.get("callbacks"), &at("callbacks"), callback)?;
    }
    Ok(())
}

type Visit = fn(&Value, &str) -> Result<(), Invalid>;

fn for_each_entry(map: Option<&Value>, pointer: &str, visit: Visit) -> Result<(), Invalid> {
    if let Some(Value::Object(map)) = map {
        for (key, value) in map {
            visit(value, &pointer_push(pointer, key))?;
        }
    }
    Ok(())
}

fn for_each_item(list: Option<&Value>, pointer: &str, visit: Visit) -> Result<(), Invalid> {
    if let Some(Value::Array(list)) = list {
        for (index, value) in list.iter().enumerate() {
            visit(value, &pointer_push(pointer, &index.to_string()))?;
        }
    }
    Ok(())
}

fn path_item(item: &Value, pointer: &str) -> Result<(), Invalid> {
    let Some(item) = item.as_object() else {
        return Ok(());
    };
    for_each_item(
        item.get("parameters"),
        &pointer_push(pointer, "parameters"),
        parameter_or_header,
    )?;
    for method in HTTP_METHODS {
        if let Some(Value::Object(operation)) = item.get(method) {
            let at = |key: &str| pointer_push(&pointer_push(pointer, method), key);
            for_each_item(operation.get("parameters"), &at("parameters"), parameter_or_header)?;
            if let Some(body) = operation.get("requestBody") {
                with_content(body, &at("requestBody"))?;
            }
            for_each_entry(operation.get("responses"), &at("responses"), response)?;
            for_each_entry(operation.get("callbacks"), &at("callbacks"), callback)?;
        }
    }
    Ok(())
}

fn callback(value: &Value, pointer: &str) -> Result<(), Invalid> {
    for_each_entry(Some(value), pointer, path_item)
}

fn parameter_or_header(value: &Value, pointer: &str) -> Result<(), Invalid> {
    if let Some(inner) = value.get("schema") {
        root_schema(inner, &pointer_push(pointer, "schema"))?;
    }
    with_content(value, pointer)
}

fn response(value: &Value, pointer: &str) -> Result<(), Invalid> {
    with_content(value, pointer)?;
    for_each_entry(
        value.get("headers"),
        &pointer_push(pointer, "headers"),
        parameter_or_header,
    )
}

fn with_content(value: &Value, pointer: &str) -> Result<(), Invalid> {
    let Some(content) = value.get("content").and_then(Value::as_object) else {
        return Ok(());
    };
    let pointer = pointer_push(pointer, "content");
    for (media_type, media) in content {
        let at = pointer_push(&pointer, media_type);
        if let Some(inner) = media.get("schema") {
            root_schema(inner, &pointer_push(&at, "schema"))?;
        }
        if let Some(Value::Object(encoding)) = media.get("encoding") {
            for (property, encoding) in encoding {
                let at = pointer_push(&pointer_push(&at, "encoding"), property);
                for_each_entry(
                    encoding.get("headers"),
                    &pointer_push(&at, "headers"),
                    parameter_or_header,
                )?;
            }
        }
    }
    Ok(())
}

fn root_schema(value: &Value, pointer: &str) -> Result<(), Invalid> {
    schema(value, pointer, 0)
}

/// Checks the schemas nested in `value`, then `value` itself when it is
/// `depth` levels deep, with `depth` a multiple of [`STRIDE`], and has
/// nested schemas.
fn schema(value: &Value, pointer: &str, depth: usize) -> Result<(), Invalid> {
    let Some(object) = value.as_object() else {
        // Not a schema at all: the check of an enclosing level reports it.
        return Ok(());
    };
    let nested = nested_schemas(object, pointer);
    for (inner, at) in &nested {
        schema(inner, at, depth + 1)?;
    }
    if nested.is_empty() || depth % STRIDE != 0 {
        // A leaf costs no more as part of its parent; other levels are
        // covered by the next check above.
        return Ok(());
    }
    check(value, pointer).map_err(|first| innermost(value, pointer, STRIDE).unwrap_or(first))
}

/// The schema positions directly inside a schema, with their pointers.
fn nested_schemas<'a>(object: &'a serde_json::Map<String, Value>, pointer: &str) -> Vec<(&'a Value, String)> {
    let mut nested = Vec::new();
    if let Some(Value::Object(properties)) = object.get("properties") {
        let at = pointer_push(pointer, "properties");
        nested.extend(properties.iter().map(|(name, value)| (value, pointer_push(&at, name))));
    }
    for key in ["items", "additionalProperties", "not"] {
        // `additionalProperties: true` (or `false`) is valid and no schema.
        if let Some(value) = object.get(key).filter(|value| !value.is_boolean()) {
            nested.push((value, pointer_push(pointer, key)));
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(list)) = object.get(key) {
            let at = pointer_push(pointer, key);
            nested.extend(
                list.iter()
                    .enumerate()
                    .map(|(i, value)| (value, pointer_push(&at, &i.to_string()))),
            );
        }
    }
    nested
}

/// After a failed check: the deepest value at most `levels` below `value`
/// that fails on its own, to name it rather than the level checked.
fn innermost(value: &Value, pointer: &str, levels: usize) -> Option<Invalid> {
    if levels > 0 {
        if let Some(object) = value.as_object() {
            for (inner, at) in nested_schemas(object, pointer) {
                if let Some(found) = innermost(inner, &at, levels - 1) {
                    return Some(found);
                }
            }
        }
    }
    check(value, pointer).err()
}

/// Parses `value` alone as a schema or reference.
fn check(value: &Value, pointer: &str) -> Result<(), Invalid> {
    serde_path_to_error::deserialize::<_, openapiv3::ReferenceOr<openapiv3::Schema>>(value)
        .map(drop)
        .map_err(|err| Invalid {
            pointer: format!(
                "{pointer}{}",
                super::json_pointer_of(err.path()).trim_start_matches('#')
            ),
            message: err.into_inner().to_string(),
        })
}
