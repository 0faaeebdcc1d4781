//! JSON Patch support in the IR.
//!
//! Schemas that describe an RFC 6902 document (an array of `{op, path,
//! value?, from?}` objects) or LaunchDarkly's `{comment?, patch}` envelope
//! are replaced by the runtime's validated types, which model every
//! operation exactly (including `from` and an explicit `null` value) and
//! cannot send a malformed patch. Operations with such a body get a patch
//! root (the resource type they return), and that type and everything it
//! contains get typed field paths.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema};

use super::resolve::resolve_alias;
use super::schema::TypeBuilder;
use super::shape::{Shape, shape_of};
use crate::ir::{Operation, RuntimeType, SuccessType, TypeDef, TypeKind, TypeRef};

const OPERATION_MEMBERS: [&str; 4] = ["op", "path", "value", "from"];

/// Follows references; `None` when one does not resolve (the normal
/// lowering reports that with its location).
fn deref<'a: 's, 's>(types: &TypeBuilder<'a>, schema: ReferenceOr<&'s Schema>) -> Option<&'s Schema> {
    types.schema_behind(schema, "").ok()
}

fn boxed(schema: &ReferenceOr<Box<Schema>>) -> ReferenceOr<&Schema> {
    match schema {
        ReferenceOr::Item(schema) => ReferenceOr::Item(schema),
        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.clone(),
        },
    }
}

fn is_string<'a: 's, 's>(types: &TypeBuilder<'a>, schema: Option<&'s ReferenceOr<Box<Schema>>>) -> bool {
    schema
        .and_then(|s| deref(types, boxed(s)))
        .is_some_and(|s| matches!(shape_of(s), Shape::String { .. }))
}

/// The declared properties of an object schema.
type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

fn object_parts(schema: &Schema) -> Option<(&Properties, &[String])> {
    match shape_of(schema) {
        Shape::Object {
            properties, required, ..
        } if !properties.is_empty() => Some((properties, required)),
        _ => None,
    }
}

fn is_operation<'a: 's, 's>(types: &TypeBuilder<'a>, schema: &'s Schema) -> bool {
    let Some((properties, required)) = object_parts(schema) else {
        return false;
    };
    properties.keys().all(|key| OPERATION_MEMBERS.contains(&key.as_str()))
        && ["op", "path"].iter().all(|key| required.iter().any(|r| r == key))
        && is_string(types, properties.get("op"))
        && is_string(types, properties.get("path"))
}

fn is_patch<'a: 's, 's>(types: &TypeBuilder<'a>, schema: &'s Schema) -> bool {
    match shape_of(schema) {
        Shape::Array(Some(items)) => deref(types, boxed(items)).is_some_and(|item| is_operation(types, item)),
        _ => false,
    }
}

fn is_patch_with_comment<'a: 's, 's>(types: &TypeBuilder<'a>, schema: &'s Schema) -> bool {
    let Some((properties, required)) = object_parts(schema) else {
        return false;
    };
    properties.keys().all(|key| key == "patch" || key == "comment")
        && required.iter().any(|r| r == "patch")
        && properties
            .get("patch")
            .and_then(|p| deref(types, boxed(p)))
            .is_some_and(|p| is_patch(types, p))
        && (!properties.contains_key("comment") || is_string(types, properties.get("comment")))
}

/// The runtime type that models `schema` exactly, if any.
pub(crate) fn recognize<'a: 's, 's>(types: &TypeBuilder<'a>, schema: &'s Schema) -> Option<RuntimeType> {
    if is_patch(types, schema) {
        Some(RuntimeType::JsonPatch)
    } else if is_operation(types, schema) {
        Some(RuntimeType::PatchOperation)
    } else if is_patch_with_comment(types, schema) {
        Some(RuntimeType::PatchWithComment)
    } else {
        None
    }
}

/// Turns a patch operation synthesised from a schema that only says
/// "strings" into one RFC 6902 accepts: a `replace` of a pointer, with a value.
fn make_applicable(operation: &mut serde_json::Value, synthesised: &mut Vec<String>) {
    const OPERATIONS: [&str; 6] = ["add", "remove", "replace", "move", "copy", "test"];
    let serde_json::Value::Object(fields) = operation else {
        return;
    };
    let known = fields
        .get("op")
        .and_then(serde_json::Value::as_str)
        .is_some_and(|op| OPERATIONS.contains(&op));
    let pointer = fields
        .get("path")
        .and_then(serde_json::Value::as_str)
        .is_some_and(|path| path.is_empty() || path.starts_with('/'));
    if known && pointer {
        return;
    }
    let path = fields.get("path").and_then(serde_json::Value::as_str).unwrap_or("name");
    let path = format!("/{}", path.trim_start_matches('/'));
    fields.insert("op".into(), "replace".into());
    fields.insert("path".into(), path.clone().into());
    fields.entry("value").or_insert_with(|| "string".into());
    synthesised.push(format!("the JSON Patch body: `replace` of `{path}`"));
}

/// Sets each patch operation's root and marks the types that get typed paths.
pub(crate) fn mark(operations: &mut [Operation], types: &mut BTreeMap<String, TypeDef>) {
    let mut roots = Vec::new();
    for op in operations.iter_mut() {
        let Some(body) = &mut op.body else { continue };
        let kind = match resolve_alias(types, &body.ty) {
            TypeRef::Runtime(kind @ (RuntimeType::JsonPatch | RuntimeType::PatchWithComment)) => *kind,
            _ => continue,
        };
        body.patch = Some(kind);
        if kind == RuntimeType::PatchWithComment {
            // The builder takes the patch, and the comment through its own setter.
            op.sample.body = op.sample.body.take().and_then(|value| value.get("patch").cloned());
        }
        if let Some(serde_json::Value::Array(patch)) = &mut op.sample.body {
            for operation in patch.iter_mut() {
                make_applicable(operation, &mut op.sample.synthesised);
            }
        }
        if let SuccessType::Single(ty) = &op.success_type {
            let root = resolve_alias(types, ty);
            if let TypeRef::Named(name) = root {
                if matches!(types.get(name).map(|d| &d.kind), Some(TypeKind::Struct { .. })) {
                    op.patch_root = Some(root.clone());
                    roots.push(name.clone());
                }
            }
        }
    }
    let mut seen = BTreeSet::new();
    // Each type is visited once, so the walk ends after at most `types.len()` steps.
    while let Some(name) = roots.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(def) = types.get_mut(&name) else { continue };
        let TypeKind::Struct { fields, .. } = &def.kind else {
            continue;
        };
        def.paths_name = Some(crate::naming::paths_type_name(&def.name));
        let nested: Vec<TypeRef> = fields.iter().filter(|f| !f.read_only).map(|f| f.ty.clone()).collect();
        for ty in nested {
            let mut current = &ty;
            // Lists and maps are reached through index and key paths, and a
            // nullable item or value through the same path once it is set.
            while let TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) = current {
                current = inner;
            }
            if let TypeRef::Named(target) = resolve_alias(types, current) {
                roots.push(target.clone());
            }
        }
    }
}
