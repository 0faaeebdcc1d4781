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
//! | security scheme of `type: mutualTLS` | moved by name to `components.x-apigen-mutual-tls`, which the lowering reads |
//! | an operation without `responses` | an empty `responses` |

use serde_json::{Map, Value};

const HTTP_METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Normalises a whole document in place.
pub fn normalize(document: &mut Value) {
    let Some(root) = document.as_object_mut() else {
        return;
    };
    if let Some(webhooks) = root.remove("webhooks") {
        root.insert("x-webhooks".into(), webhooks);
    }
    root.entry("paths").or_insert_with(|| Value::Object(Map::new()));
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for item in paths.values_mut() {
            path_item(item);
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        for_each_entry(components.get_mut("schemas"), schema);
        for_each_entry(components.get_mut("parameters"), parameter_or_header);
        for_each_entry(components.get_mut("headers"), parameter_or_header);
        for_each_entry(components.get_mut("requestBodies"), with_content);
        for_each_entry(components.get_mut("responses"), response);
        for_each_entry(components.get_mut("pathItems"), path_item);
        move_mutual_tls(components);
    }
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

fn for_each_entry(map: Option<&mut Value>, visit: fn(&mut Value)) {
    if let Some(Value::Object(map)) = map {
        for value in map.values_mut() {
            visit(value);
        }
    }
}

fn for_each_item(list: Option<&mut Value>, visit: fn(&mut Value)) {
    if let Some(Value::Array(list)) = list {
        for value in list {
            visit(value);
        }
    }
}

fn path_item(item: &mut Value) {
    let Some(item) = item.as_object_mut() else {
        return;
    };
    for_each_item(item.get_mut("parameters"), parameter_or_header);
    for method in HTTP_METHODS {
        if let Some(Value::Object(operation)) = item.get_mut(method) {
            for_each_item(operation.get_mut("parameters"), parameter_or_header);
            if let Some(body) = operation.get_mut("requestBody") {
                with_content(body);
            }
            // `responses` is optional since 3.1; no entry documents no status.
            let responses = operation
                .entry("responses")
                .or_insert_with(|| Value::Object(Map::new()));
            for_each_entry(Some(responses), response);
        }
    }
}

fn parameter_or_header(value: &mut Value) {
    if let Some(object) = value.as_object_mut() {
        if let Some(inner) = object.get_mut("schema") {
            schema(inner);
        }
    }
    with_content(value);
}

fn response(value: &mut Value) {
    with_content(value);
    if let Some(Value::Object(object)) = Some(value) {
        for_each_entry(object.get_mut("headers"), parameter_or_header);
    }
}

fn with_content(value: &mut Value) {
    let Some(content) = value.get_mut("content").and_then(Value::as_object_mut) else {
        return;
    };
    for media in content.values_mut() {
        if let Some(inner) = media.get_mut("schema") {
            schema(inner);
        }
    }
}

/// Normalises one schema and everything nested in it.
pub(crate) fn schema(value: &mut Value) {
    let Some(object) = value.as_object_mut() else {
        return;
    };
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

    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        for property in properties.values_mut() {
            schema(property);
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(inner) = object.get_mut(key) {
            schema(inner);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for_each_item(object.get_mut(key), schema);
    }
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

    use super::schema;

    fn normalized(mut value: serde_json::Value) -> serde_json::Value {
        schema(&mut value);
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
