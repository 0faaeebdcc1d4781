//! Checks nested schemas from the inside out before the typed parse.
//!
//! `openapiv3` parses every schema through untagged enums (`ReferenceOr`,
//! `SchemaKind`), and `ReferenceOr` parses a failing item twice to improve
//! its message. When a deeply nested schema is invalid, every level above it
//! therefore parses its whole subtree again, and the time doubles with each
//! level: a 2 KB document with an invalid schema 30 levels deep ran for more
//! than 20 minutes (found by the generator's fuzz tests).
//!
//! Checking schemas on their own, innermost first, finds the invalid one
//! before the levels far above it can retry. Every [`STRIDE`]th level of
//! nesting is checked, so a check meets an invalid schema at most
//! `STRIDE - 1` levels down (the checks below it passed) and retries at
//! most `2^(STRIDE - 1)` times, and the checks cost about `1 / STRIDE` of
//! parsing each level separately. The schema positions come from the one
//! document walk ([`super::walk`]), callbacks and encoding headers included.

use serde_json::Value;

use super::walk::{self, Kind, Next};
use crate::error::pointer_push;

/// An invalid schema: the pointer of the offending value and what the typed
/// parser said about it.
pub(super) struct Invalid {
    pub(super) pointer: String,
    pub(super) message: String,
}

/// Schemas nested a multiple of this many levels deep are checked.
const STRIDE: usize = 4;

/// Checks every schema position of `document` (after 3.1 normalisation).
/// Webhooks are skipped: they are kept as an extension, not parsed.
pub(super) fn check_nested_schemas(document: &Value) -> Result<(), Invalid> {
    walk::walk_ref(document, Kind::Document, "#", &mut |value, kind, pointer| match kind {
        Kind::PathItem if pointer.starts_with("#/webhooks/") || pointer.starts_with("#/x-webhooks/") => Ok(Next::Skip),
        Kind::Schema => root_schema(value, pointer).map(|()| Next::Skip),
        _ => Ok(Next::Descend),
    })
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
