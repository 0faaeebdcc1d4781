//! Checks an example against the schema it illustrates, independently of the
//! generated types.
//!
//! The example round-trip test proves that the generated types read and
//! write what the spec shows, and an example that contradicts its own schema
//! proves nothing either way: a type that followed the example would break
//! the schema. So each example is first checked against the spec's schema
//! here, and one that contradicts it is listed with the reason instead of
//! being tried. The checks are those the generated code depends on: JSON
//! types, `nullable`, `required`, array items, and properties that the schema
//! does not declare (the generated struct has no field to keep them in).
//! Enum values and string formats are not checked: open enums and strings
//! keep any value.

use std::collections::BTreeSet;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;

use super::MAX_EXAMPLE_DEPTH;
use super::schema::{SchemaOrRef, TypeBuilder};
use super::shape::{Shape, shape_of};
use crate::error::pointer_push;

/// Property names an object schema accounts for.
struct Declared {
    names: BTreeSet<String>,
    /// `additionalProperties` keeps the others (the struct has a map for them).
    open: bool,
}

impl TypeBuilder<'_> {
    /// Why `value` contradicts `schema`, naming the place inside the example
    /// (a pointer relative to it); `None` when it fits.
    pub(crate) fn contradiction(&self, value: &Value, schema: ReferenceOr<&Schema>) -> Option<String> {
        self.check(value, schema, "", &BTreeSet::new(), 0)
    }

    fn target<'s>(&'s self, schema: ReferenceOr<&'s Schema>) -> Option<&'s Schema> {
        self.schema_behind(schema, "").ok()
    }

    fn check(
        &self,
        value: &Value,
        schema: ReferenceOr<&Schema>,
        at: &str,
        inherited: &BTreeSet<String>,
        depth: usize,
    ) -> Option<String> {
        let schema = self.target(schema)?;
        if depth > MAX_EXAMPLE_DEPTH {
            return None;
        }
        let place = if at.is_empty() { "the example" } else { at };
        let shape = shape_of(schema);
        if value.is_null() {
            let untyped = matches!(shape, Shape::Any | Shape::Not | Shape::MixedEnum);
            return (!schema.schema_data.nullable && !untyped)
                .then(|| format!("{place} is null, and the schema is not nullable"));
        }
        let wrong = |what: &str| Some(format!("{place} is {}, and the schema wants {what}", kind_of(value)));
        match shape {
            Shape::String { .. } if !value.is_string() => wrong("a string"),
            Shape::Integer { format, .. } => match value.as_i64() {
                Some(n) if format.as_deref() == Some("int32") && i32::try_from(n).is_err() => {
                    Some(format!("{place} is {n}, which is outside `int32`"))
                }
                Some(_) => None,
                None => wrong("an integer"),
            },
            Shape::Number if !value.is_number() => wrong("a number"),
            Shape::Boolean if !value.is_boolean() => wrong("a boolean"),
            Shape::Array(items) => {
                let Value::Array(list) = value else {
                    return wrong("an array");
                };
                let items = items?;
                list.iter().enumerate().find_map(|(index, item)| {
                    let at = pointer_push(at, &index.to_string());
                    self.check(item, items.as_ref_or(), &at, &BTreeSet::new(), depth + 1)
                })
            }
            Shape::Object { .. } | Shape::AllOf { .. } | Shape::Union { .. } => {
                self.check_object(value, schema, at, inherited, depth)
            }
            _ => None,
        }
    }

    /// Checks against an object-like schema (an object, `allOf`, or a union);
    /// `inherited` names properties declared by an enclosing `allOf` or by
    /// the properties next to a union.
    fn check_object(
        &self,
        value: &Value,
        schema: &Schema,
        at: &str,
        inherited: &BTreeSet<String>,
        depth: usize,
    ) -> Option<String> {
        let place = if at.is_empty() { "the example" } else { at };
        match shape_of(schema) {
            Shape::Object {
                properties,
                required,
                additional,
            } => {
                let Value::Object(map) = value else {
                    return Some(format!("{place} is {}, and the schema wants an object", kind_of(value)));
                };
                if let Some(missing) = required.iter().find(|name| !map.contains_key(*name)) {
                    return Some(format!("{place} lacks the required property `{missing}`"));
                }
                for (key, item) in map {
                    let inner = pointer_push(at, key);
                    let found = match (properties.get(key), additional) {
                        (Some(property), _) => {
                            self.check(item, property.as_ref_or(), &inner, &BTreeSet::new(), depth + 1)
                        }
                        (None, Some(AdditionalProperties::Schema(extra))) => {
                            self.check(item, extra.as_ref_or(), &inner, &BTreeSet::new(), depth + 1)
                        }
                        (None, Some(AdditionalProperties::Any(true))) => None,
                        (None, _) if inherited.contains(key) => None,
                        (None, _) => Some(format!(
                            "{inner} is a property the schema does not declare (the generated type has no field for it)"
                        )),
                    };
                    if found.is_some() {
                        return found;
                    }
                }
                None
            }
            Shape::AllOf { parts, properties, .. } => {
                let mut names = inherited.clone();
                for (_, part) in &parts {
                    names.extend(self.declared(part.as_ref_or(), depth).names);
                }
                names.extend(properties.into_iter().flat_map(|p| p.keys().cloned()));
                parts
                    .iter()
                    .find_map(|(_, part)| self.check(value, part.as_ref_or(), at, &names, depth + 1))
            }
            Shape::Union {
                branches,
                properties,
                required,
                ..
            } => {
                if let Value::Object(map) = value {
                    if let Some(missing) = required.iter().find(|name| !map.contains_key(*name)) {
                        return Some(format!("{place} lacks the required property `{missing}`"));
                    }
                    for (key, property) in properties.into_iter().flatten() {
                        if let Some(item) = map.get(key) {
                            let inner = pointer_push(at, key);
                            let found = self.check(item, property.as_ref_or(), &inner, &BTreeSet::new(), depth + 1);
                            if found.is_some() {
                                return found;
                            }
                        }
                    }
                }
                let mut names = inherited.clone();
                names.extend(properties.into_iter().flat_map(|p| p.keys().cloned()));
                let mut reasons = Vec::new();
                for branch in branches {
                    match self.check(value, branch.as_ref_or(), at, &names, depth + 1) {
                        None => return None,
                        Some(reason) => reasons.push(reason),
                    }
                }
                Some(format!(
                    "{place} fits none of the union's shapes ({})",
                    reasons.join("; ")
                ))
            }
            _ => None,
        }
    }

    /// The property names an object-like schema declares, following `allOf`.
    fn declared(&self, schema: ReferenceOr<&Schema>, depth: usize) -> Declared {
        let mut declared = Declared {
            names: BTreeSet::new(),
            open: false,
        };
        let Some(schema) = self.target(schema) else {
            return declared;
        };
        if depth > MAX_EXAMPLE_DEPTH {
            return declared;
        }
        match shape_of(schema) {
            Shape::Object {
                properties, additional, ..
            } => {
                declared.names.extend(properties.keys().cloned());
                declared.open = matches!(
                    additional,
                    Some(AdditionalProperties::Schema(_) | AdditionalProperties::Any(true))
                );
            }
            Shape::AllOf { parts, properties, .. } => {
                for (_, part) in parts {
                    let inner = self.declared(part.as_ref_or(), depth + 1);
                    declared.names.extend(inner.names);
                    declared.open |= inner.open;
                }
                declared
                    .names
                    .extend(properties.into_iter().flat_map(|p| p.keys().cloned()));
            }
            Shape::Union { properties, .. } => {
                declared
                    .names
                    .extend(properties.into_iter().flat_map(|p| p.keys().cloned()));
            }
            _ => {}
        }
        declared
    }
}

/// "a string", "an object", ...: the JSON type of a value, for messages.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a fractional number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
