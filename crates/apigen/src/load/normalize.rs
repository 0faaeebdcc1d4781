//! Rewrites OpenAPI 3.1 constructs into their 3.0 equivalents, in place, so the
//! `openapiv3` crate (which models 3.0) can parse the document without losing
//! anything the generator uses.
//!
//! Only schema positions are rewritten: example values, defaults and
//! extensions are data and must stay byte-for-byte what the author wrote.
//!
//! | 3.1 construct | rewritten as |
//! |---|---|
//! | `$ref` with sibling keywords | `allOf: [{$ref}]` plus the siblings, so `description` survives |
//! | `type: [T, "null"]` | `type: T` and `nullable: true` |
//! | `type: [T, U]` | `anyOf: [{type: T}, {type: U}]` |
//! | `oneOf`/`anyOf` with a `{type: "null"}` branch | the other branches and `nullable: true` |
//! | `const: v` | `enum: [v]` |
//! | `examples: [a, b]` | `example: a`, the whole list kept as `x-examples` |
//! | numeric `exclusiveMinimum: n` | `minimum: n` and `exclusiveMinimum: true` (same for maximum) |
//! | `webhooks` (with or without `paths`) | `x-webhooks`, and an empty `paths` when there is none |
//! | an operation without `responses` | an empty `responses` |
//! | security scheme of `type: mutualTLS` | moved by name to `components.x-apigen-mutual-tls`, which the lowering reads |

use serde_json::{Map, Value};

use super::walk::{self, Kind, Next};

/// Normalises a whole document in place: every schema position the
/// document walk knows ([`super::walk`]), callbacks and encoding headers
/// included. Webhooks are kept as data under `x-webhooks`, as before.
pub fn normalize(document: &mut Value) {
    let Some(root) = document.as_object_mut() else {
        return;
    };
    if let Some(webhooks) = root.remove("webhooks") {
        root.insert("x-webhooks".into(), webhooks);
    }
    root.entry("paths").or_insert_with(|| Value::Object(Map::new()));
    if let Some(Value::Object(components)) = root.get_mut("components") {
        move_mutual_tls(components);
    }
    walk_schemas(document, Kind::Document);
}

/// `openapiv3` knows no `mutualTLS` scheme and would refuse the whole
/// document, so such schemes move aside under their own names; the lowering
/// reports them at their original pointer.
fn move_mutual_tls(components: &mut Map<String, Value>) {
    let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") else {
        return;
    };
    let names: Vec<String> = schemes
        .iter()
        .filter(|(_, scheme)| scheme.get("type").and_then(Value::as_str) == Some("mutualTLS"))
        .map(|(name, _)| name.clone())
        .collect();
    if names.is_empty() {
        return;
    }
    let mut moved = Map::new();
    for name in names {
        if let Some(scheme) = schemes.remove(&name) {
            moved.insert(name, scheme);
        }
    }
    components.insert(crate::lower::MUTUAL_TLS_EXTENSION.to_owned(), Value::Object(moved));
}

/// Rewrites every schema in `value` (of kind `kind`), each before the
/// schemas nested in it, so that branches a rewrite creates are visited too.
fn walk_schemas(value: &mut Value, kind: Kind) {
    let walked = walk::walk::<std::convert::Infallible>(value, kind, "#", &mut |node, kind, pointer| {
        Ok(match kind {
            Kind::PathItem if pointer.starts_with("#/x-webhooks/") => Next::Skip,
            // `responses` is optional since 3.1; no entry documents no status.
            Kind::Operation => {
                if let Some(operation) = node.as_object_mut() {
                    operation
                        .entry("responses")
                        .or_insert_with(|| Value::Object(Map::new()));
                }
                Next::Descend
            }
            Kind::Schema => {
                if let Some(object) = node.as_object_mut() {
                    schema_here(object);
                }
                Next::Descend
            }
            _ => Next::Descend,
        })
    });
    match walked {
        Ok(()) => {}
        Err(never) => match never {},
    }
}

/// The rewrites of one schema, without the schemas nested in it.
fn schema_here(object: &mut Map<String, Value>) {
    ref_with_siblings(object);
    type_list(object);
    null_branches(object, "oneOf");
    null_branches(object, "anyOf");
    if let Some(constant) = object.remove("const") {
        object.entry("enum").or_insert_with(|| Value::Array(vec![constant]));
    }
    if let Some(Value::Array(examples)) = object.get("examples") {
        let examples = examples.clone();
        object.remove("examples");
        if let Some(first) = examples.first() {
            object.entry("example").or_insert_with(|| first.clone());
        }
        object.insert("x-examples".into(), Value::Array(examples));
    }
    exclusive_bound(object, "exclusiveMinimum", "minimum");
    exclusive_bound(object, "exclusiveMaximum", "maximum");
}

fn ref_with_siblings(object: &mut Map<String, Value>) {
    if !object.contains_key("$ref") || object.len() == 1 {
        return;
    }
    let Some(reference) = object.remove("$ref") else {
        return;
    };
    // A 3.1 reference may carry `summary`; schemas have no such keyword, so it
    // becomes the description when there is none.
    if let Some(summary) = object.remove("summary") {
        object.entry("description").or_insert(summary);
    }
    let mut target = Map::new();
    target.insert("$ref".into(), reference);
    object.insert("allOf".into(), Value::Array(vec![Value::Object(target)]));
}

fn type_list(object: &mut Map<String, Value>) {
    let Some(Value::Array(types)) = object.get("type") else {
        return;
    };
    let nullable = types.iter().any(|t| t == "null");
    let concrete: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
    object.remove("type");
    if nullable {
        object.insert("nullable".into(), Value::Bool(true));
    }
    match concrete.as_slice() {
        [] => {}
        [single] => {
            object.insert("type".into(), single.clone());
        }
        several => {
            let branches = several
                .iter()
                .map(|t| {
                    let mut branch = Map::new();
                    branch.insert("type".into(), t.clone());
                    Value::Object(branch)
                })
                .collect();
            object.insert("anyOf".into(), Value::Array(branches));
        }
    }
}

fn null_branches(object: &mut Map<String, Value>, key: &str) {
    let Some(Value::Array(branches)) = object.get_mut(key) else {
        return;
    };
    let is_null = |branch: &Value| {
        branch.get("type").is_some_and(|t| t == "null") && branch.as_object().is_some_and(|o| o.len() == 1)
    };
    if !branches.iter().any(is_null) {
        return;
    }
    branches.retain(|branch| !is_null(branch));
    let remaining = std::mem::take(branches);
    object.insert("nullable".into(), Value::Bool(true));
    if remaining.len() == 1 {
        object.remove(key);
        object.insert("allOf".into(), Value::Array(remaining));
    } else {
        object.insert(key.into(), Value::Array(remaining));
    }
}

fn exclusive_bound(object: &mut Map<String, Value>, exclusive: &str, inclusive: &str) {
    if let Some(bound @ Value::Number(_)) = object.get(exclusive) {
        let bound = bound.clone();
        object.insert(inclusive.into(), bound);
        object.insert(exclusive.into(), Value::Bool(true));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Kind, walk_schemas};

    /// Normalises one schema and everything nested in it.
    fn normalized(mut value: serde_json::Value) -> serde_json::Value {
        walk_schemas(&mut value, Kind::Schema);
        value
    }

    #[test]
    fn ref_siblings_move_into_all_of() {
        let out = normalized(json!({"$ref": "#/components/schemas/A", "description": "d"}));
        assert_eq!(
            out,
            json!({"allOf": [{"$ref": "#/components/schemas/A"}], "description": "d"})
        );
    }

    #[test]
    fn bare_ref_is_untouched() {
        let out = normalized(json!({"$ref": "#/components/schemas/A"}));
        assert_eq!(out, json!({"$ref": "#/components/schemas/A"}));
    }

    #[test]
    fn nullable_type_list() {
        assert_eq!(
            normalized(json!({"type": ["string", "null"]})),
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            normalized(json!({"type": ["string", "integer"]})),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }

    #[test]
    fn null_branch_of_one_of() {
        let out = normalized(json!({"oneOf": [{"$ref": "#/x"}, {"type": "null"}]}));
        assert_eq!(out, json!({"allOf": [{"$ref": "#/x"}], "nullable": true}));
    }

    #[test]
    fn const_examples_and_bounds() {
        let out = normalized(json!({"type": "integer", "const": 3, "examples": [3, 4], "exclusiveMinimum": 1}));
        assert_eq!(
            out,
            json!({"type": "integer", "enum": [3], "example": 3, "x-examples": [3, 4], "minimum": 1, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn nested_properties_and_items_are_visited() {
        let out = normalized(
            json!({"type": "object", "properties": {"a": {"type": "array", "items": {"type": ["integer", "null"]}}}}),
        );
        assert_eq!(
            out["properties"]["a"]["items"],
            json!({"type": "integer", "nullable": true})
        );
    }

    #[test]
    fn callbacks_and_encoding_headers_are_normalised() {
        let mut document = json!({"openapi": "3.1.0", "paths": {"/a": {"post": {
            "requestBody": {"content": {"multipart/form-data": {"encoding": {"f": {"headers": {
                "X-Rate": {"schema": {"type": ["integer", "null"]}}
            }}}}}},
            "callbacks": {"done": {"{$request.body#/url}": {"post": {"requestBody": {"content": {
                "application/json": {"schema": {"const": "done"}}
            }}}}}}
        }}}, "webhooks": {"w": {"post": {"requestBody": {"content": {"a/b": {"schema": {"const": 1}}}}}}}});
        super::normalize(&mut document);
        let post = &document["paths"]["/a"]["post"];
        assert_eq!(
            post["requestBody"]["content"]["multipart/form-data"]["encoding"]["f"]["headers"]["X-Rate"]["schema"],
            json!({"type": "integer", "nullable": true})
        );
        assert_eq!(
            post["callbacks"]["done"]["{$request.body#/url}"]["post"]["requestBody"]["content"]["application/json"]["schema"],
            json!({"enum": ["done"]})
        );
        assert_eq!(
            document["x-webhooks"]["w"]["post"]["requestBody"]["content"]["a/b"]["schema"],
            json!({"const": 1}),
            "webhooks are kept as written"
        );
    }

    #[test]
    fn mutual_tls_schemes_move_aside() {
        let mut document = json!({"components": {"securitySchemes": {
            "cert": {"type": "mutualTLS", "description": "client certificate"},
            "key": {"type": "apiKey", "in": "header", "name": "X-Key"}
        }}});
        super::normalize(&mut document);
        assert_eq!(
            document["components"]["securitySchemes"],
            json!({"key": {"type": "apiKey", "in": "header", "name": "X-Key"}})
        );
        assert_eq!(
            document["components"]["x-apigen-mutual-tls"],
            json!({"cert": {"type": "mutualTLS", "description": "client certificate"}})
        );
    }

    #[test]
    fn example_values_are_not_rewritten() {
        let out = normalized(json!({"type": "object", "example": {"type": ["a", "null"], "const": 1}}));
        assert_eq!(out["example"], json!({"type": ["a", "null"], "const": 1}));
    }

    #[test]
    fn operations_without_responses_get_an_empty_map() {
        let mut document = json!({"paths": {"/ping": {"post": {"operationId": "ping"}, "get": {"responses": {"200": {"description": "ok"}}}}}});
        super::normalize(&mut document);
        assert_eq!(document["paths"]["/ping"]["post"]["responses"], json!({}));
        assert_eq!(
            document["paths"]["/ping"]["get"]["responses"],
            json!({"200": {"description": "ok"}})
        );
    }
}
