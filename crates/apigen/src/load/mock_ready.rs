//! An equivalent copy of a document for a mock server.
//!
//! Prism generates response bodies with a JSON Schema faker that reads the
//! parts of an `allOf` and ignores an `enum` written beside them. Discord
//! narrows shared enums that way on every tagged object
//! (`type: {enum: [11], allOf: [{$ref: ApplicationCommandOptionType}]}`), so
//! Prism answers with values its own validator then rejects, and no client
//! could pass. When every member of such an `enum` is one of the values that
//! each part allows, the parts add nothing: the schema accepts exactly the
//! members of the `enum`. This pass drops those parts, which leaves a
//! document that means the same and that Prism generates right. Anything it
//! cannot prove equivalent it leaves alone.
//!
//! A second pass removes extensions, examples and defaults whose data holds
//! a `$ref` to another file, which Prism would try to open; such data does
//! not change what the API accepts.

use serde_json::{Map, Value};

use super::walk::{self, Kind, Next};

/// Keywords that do not restrict which values a schema accepts (or restrict
/// them only by JSON type, which is checked separately).
const ANNOTATIONS: [&str; 13] = [
    "type",
    "format",
    "title",
    "description",
    "default",
    "example",
    "examples",
    "deprecated",
    "nullable",
    "readOnly",
    "writeOnly",
    "externalDocs",
    "$comment",
];

/// Keys whose value is data, not a part of the document's structure:
/// extensions, and example and default values.
fn holds_data(key: &str) -> bool {
    key.starts_with("x-") || matches!(key, "example" | "value" | "default")
}

/// Removes every extension, example or default value that holds a `$ref` to
/// another file, and returns how many it removed. Such a `$ref` is data (a
/// JSON object with a `$ref` member), so bundling leaves it alone and it
/// does not change what the API accepts; but Prism's reference parser
/// follows every `$ref`, and a path relative to the original file does not
/// resolve from the copy. DigitalOcean refers to its code samples and to
/// some response examples this way.
pub fn drop_data_with_file_references(value: &mut Value) -> usize {
    match value {
        Value::Object(object) => {
            let before = object.len();
            object.retain(|key, inner| !(holds_data(key) && refers_to_another_file(inner)));
            let removed = before - object.len();
            removed + object.values_mut().map(drop_data_with_file_references).sum::<usize>()
        }
        Value::Array(items) => items.iter_mut().map(drop_data_with_file_references).sum(),
        _ => 0,
    }
}

/// Whether `value` holds a `$ref` that does not start with `#`.
fn refers_to_another_file(value: &Value) -> bool {
    match value {
        Value::Object(object) => object.iter().any(|(key, inner)| {
            (key == "$ref" && inner.as_str().is_some_and(|target| !target.starts_with('#')))
                || refers_to_another_file(inner)
        }),
        Value::Array(items) => items.iter().any(refers_to_another_file),
        _ => false,
    }
}

/// Drops every `allOf` that a sibling `enum` makes redundant, and returns
/// the JSON pointers of the schemas it changed, in document order.
pub fn drop_parts_an_enum_narrows(document: &mut Value) -> Vec<String> {
    let mut redundant = Vec::new();
    let found = walk::walk_ref::<()>(document, Kind::Document, "#", &mut |node, kind, at| {
        if kind == Kind::Schema && enum_makes_parts_redundant(document, node) {
            redundant.push(at.to_owned());
        }
        Ok(Next::Descend)
    });
    debug_assert!(found.is_ok(), "the visitor never fails");
    for pointer in &redundant {
        if let Some(Value::Object(schema)) = document.pointer_mut(&pointer[1..]) {
            schema.remove("allOf");
        }
    }
    redundant
}

/// Whether `schema` has a non-empty `enum` and `allOf` parts that each allow
/// every member of it.
fn enum_makes_parts_redundant(document: &Value, schema: &Value) -> bool {
    let (Some(Value::Array(members)), Some(Value::Array(parts))) = (schema.get("enum"), schema.get("allOf")) else {
        return false;
    };
    !members.is_empty()
        && parts.iter().all(|part| {
            let Some(part) = resolve(document, part) else {
                return false;
            };
            allowed_values(document, part).is_some_and(|allowed| {
                members
                    .iter()
                    .all(|member| allowed.contains(&member) && has_type(part, member))
            })
        })
}

/// The finite set of values `schema` accepts, when it says so with `enum`,
/// `const`, or a `oneOf`/`anyOf` of such branches, and restricts them with
/// nothing but its JSON `type`.
fn allowed_values<'a>(document: &'a Value, schema: &'a Value) -> Option<Vec<&'a Value>> {
    let object = schema.as_object()?;
    let mut allowed: Option<Vec<&Value>> = None;
    for (keyword, value) in object {
        let values = match keyword.as_str() {
            "enum" => value.as_array()?.iter().collect(),
            "const" => vec![value],
            "oneOf" | "anyOf" => {
                let mut values = Vec::new();
                for branch in value.as_array()? {
                    let branch = resolve(document, branch)?;
                    if !only_annotations_besides(branch.as_object()?, &["const", "enum"]) {
                        return None;
                    }
                    values.extend(allowed_values(document, branch)?);
                }
                values
            }
            _ if is_annotation(keyword) => continue,
            _ => return None,
        };
        // Two keywords that each list values would intersect; such schemas
        // are rare enough to leave alone.
        if allowed.replace(values).is_some() {
            return None;
        }
    }
    allowed
}

fn only_annotations_besides(object: &Map<String, Value>, allowed: &[&str]) -> bool {
    object
        .keys()
        .all(|keyword| allowed.contains(&keyword.as_str()) || is_annotation(keyword))
}

fn is_annotation(keyword: &str) -> bool {
    keyword.starts_with("x-") || ANNOTATIONS.contains(&keyword)
}

/// Whether `value` has the JSON type `schema` names, if it names one.
fn has_type(schema: &Value, value: &Value) -> bool {
    let fits = |name: &str| match name {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        _ => false,
    };
    match schema.get("type") {
        None => true,
        Some(Value::String(name)) => fits(name),
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).any(fits),
        Some(_) => false,
    }
}

/// `value`, or the schema its local `$ref` points at (following chains a
/// bounded number of times).
fn resolve<'a>(document: &'a Value, mut value: &'a Value) -> Option<&'a Value> {
    for _ in 0..32 {
        let Some(reference) = walk::reference_of(value) else {
            return Some(value);
        };
        value = document.pointer(reference.strip_prefix('#')?)?;
    }
    None
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn document(property: Value, shared: Value) -> Value {
        json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {
                "Kinds": shared,
                "Thing": {"type": "object", "properties": {"kind": property}},
            }},
        })
    }

    const PROPERTY: &str = "/components/schemas/Thing/properties/kind";

    #[test]
    fn an_enum_inside_the_values_of_its_parts_drops_them() {
        let mut doc = document(
            json!({"type": "integer", "enum": [11], "allOf": [{"$ref": "#/components/schemas/Kinds"}]}),
            json!({"type": "integer", "oneOf": [{"title": "A", "const": 3}, {"title": "B", "const": 11}]}),
        );
        let changed = drop_parts_an_enum_narrows(&mut doc);
        assert_eq!(changed, vec![format!("#{PROPERTY}")]);
        assert_eq!(doc.pointer(PROPERTY), Some(&json!({"type": "integer", "enum": [11]})));
    }

    #[test]
    fn parts_that_restrict_more_than_values_stay() {
        let shared = json!({"type": "string", "enum": ["a", "b"], "maxLength": 1});
        let property = json!({"enum": ["a"], "allOf": [{"$ref": "#/components/schemas/Kinds"}]});
        let mut doc = document(property.clone(), shared);
        assert!(drop_parts_an_enum_narrows(&mut doc).is_empty());
        assert_eq!(doc.pointer(PROPERTY), Some(&property));
    }

    #[test]
    fn a_member_outside_the_parts_or_of_the_wrong_type_keeps_them() {
        for (property, shared) in [
            (json!({"enum": [5]}), json!({"enum": [3, 11]})),
            (json!({"enum": ["3"]}), json!({"type": "integer", "enum": [3, "3"]})),
            (json!({"enum": []}), json!({"enum": [3]})),
        ] {
            let mut property = property;
            property["allOf"] = json!([{"$ref": "#/components/schemas/Kinds"}]);
            let mut doc = document(property.clone(), shared);
            assert!(drop_parts_an_enum_narrows(&mut doc).is_empty(), "{property}");
            assert_eq!(doc.pointer(PROPERTY), Some(&property));
        }
    }

    #[test]
    fn data_that_refers_to_other_files_is_removed() {
        let mut doc = json!({
            "paths": {"/a": {"get": {
                "x-codeSamples": [{"$ref": "examples/curl/a.yml"}],
                "x-local": {"$ref": "#/components/schemas/Kinds"},
                "responses": {"200": {"content": {"application/json": {
                    "example": {"$ref": "examples.yml#/a"},
                    "schema": {"$ref": "#/components/schemas/Kinds"},
                }}}},
            }}},
        });
        assert_eq!(drop_data_with_file_references(&mut doc), 2);
        assert_eq!(
            doc,
            json!({"paths": {"/a": {"get": {
                "x-local": {"$ref": "#/components/schemas/Kinds"},
                "responses": {"200": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Kinds"},
                }}}},
            }}}})
        );
    }

    #[test]
    fn an_unresolvable_part_keeps_them() {
        let property = json!({"enum": [3], "allOf": [{"$ref": "other.yaml#/Kinds"}]});
        let mut doc = document(property, json!({"enum": [3]}));
        assert!(drop_parts_an_enum_narrows(&mut doc).is_empty());
    }
}
