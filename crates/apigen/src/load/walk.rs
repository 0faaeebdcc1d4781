//! One walk over an OpenAPI document that knows what each position holds.
//!
//! A `$ref` means different things at different places: at a schema
//! position it names a schema, inside a response a response, and inside
//! `x-` extensions or example values it is plain data. Bundling needs that
//! knowledge for every position, including callbacks and encoding headers,
//! so it lives here once instead of in each pass.

use serde_json::Value;

/// What a position of the document holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    /// The root.
    Document,
    /// A path item (under `paths`, `webhooks`, a callback or `components/pathItems`).
    PathItem,
    /// An operation of a path item.
    Operation,
    /// A parameter.
    Parameter,
    /// A header of a response or an encoding.
    Header,
    /// A request body.
    RequestBody,
    /// A response.
    Response,
    /// A media type entry of `content`.
    MediaType,
    /// An encoding entry of a media type.
    Encoding,
    /// A schema.
    Schema,
    /// A map of schemas (`properties` and the like) that is itself written
    /// as a reference, which some multi-file documents do.
    SchemaMap,
    /// An example object.
    Example,
    /// A link object.
    Link,
    /// A callback (a map of expressions to path items).
    Callback,
    /// A security scheme.
    SecurityScheme,
    /// Any other structure of the specification (`info`, `tags`, `servers`,
    /// `externalDocs`, ...), walked generically so a `$ref` there is found.
    Other,
}

impl Kind {
    /// The `components` section that holds reusable values of this kind.
    pub(crate) fn section(self) -> Option<&'static str> {
        Some(match self {
            Kind::Schema => "schemas",
            Kind::Parameter => "parameters",
            Kind::Header => "headers",
            Kind::RequestBody => "requestBodies",
            Kind::Response => "responses",
            Kind::Example => "examples",
            Kind::Link => "links",
            Kind::Callback => "callbacks",
            Kind::SecurityScheme => "securitySchemes",
            _ => return None,
        })
    }

    /// The kind of the values of the `components` section `section`.
    pub(crate) fn of_section(section: &str) -> Option<Kind> {
        Some(match section {
            "schemas" => Kind::Schema,
            "parameters" => Kind::Parameter,
            "headers" => Kind::Header,
            "requestBodies" => Kind::RequestBody,
            "responses" => Kind::Response,
            "examples" => Kind::Example,
            "links" => Kind::Link,
            "callbacks" => Kind::Callback,
            "securitySchemes" => Kind::SecurityScheme,
            "pathItems" => Kind::PathItem,
            _ => return None,
        })
    }
}

const HTTP_METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Keywords whose value is one schema.
pub(crate) const SCHEMA_KEYWORDS: [&str; 12] = [
    "items",
    "additionalProperties",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "additionalItems",
    "contentSchema",
];

/// Keywords whose value is a map of schemas.
pub(crate) const SCHEMA_MAP_KEYWORDS: [&str; 5] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Keywords whose value is a list of schemas.
pub(crate) const SCHEMA_LIST_KEYWORDS: [&str; 4] = ["allOf", "oneOf", "anyOf", "prefixItems"];

/// A position directly inside a node: the reference tokens leading to it
/// (one or two) and what it holds.
pub(crate) struct Child {
    pub(crate) tokens: Vec<String>,
    pub(crate) kind: Kind,
}

fn child(tokens: &[&str], kind: Kind) -> Child {
    Child {
        tokens: tokens.iter().map(|t| (*t).to_owned()).collect(),
        kind,
    }
}

/// Whether a key names an extension, whose value is data.
fn is_extension(key: &str) -> bool {
    key.starts_with("x-")
}

/// The positions directly inside `value`, a node of kind `kind`, in
/// document order.
pub(crate) fn children(value: &Value, kind: Kind) -> Vec<Child> {
    let mut found = Vec::new();
    let Some(object) = value.as_object() else {
        if let (Value::Array(items), Kind::Other) = (value, kind) {
            for (index, item) in items.iter().enumerate() {
                if item.is_object() || item.is_array() {
                    found.push(child(&[&index.to_string()], Kind::Other));
                }
            }
        }
        return found;
    };
    let map = |found: &mut Vec<Child>, key: &str, kind: Kind| {
        if let Some(Value::Object(entries)) = object.get(key) {
            for name in entries.keys().filter(|name| !is_extension(name)) {
                found.push(child(&[key, name], kind));
            }
        }
    };
    let list = |found: &mut Vec<Child>, key: &str, kind: Kind| {
        if let Some(Value::Array(items)) = object.get(key) {
            for index in 0..items.len() {
                found.push(child(&[key, &index.to_string()], kind));
            }
        }
    };
    match kind {
        Kind::Document => {
            for (key, inner) in object {
                match key.as_str() {
                    "paths" | "webhooks" | "x-webhooks" => map(&mut found, key, Kind::PathItem),
                    "components" => {
                        if let Value::Object(sections) = inner {
                            for section in sections.keys() {
                                if let Some(kind) = Kind::of_section(section) {
                                    if let Some(Value::Object(entries)) = sections.get(section) {
                                        for name in entries.keys() {
                                            found.push(child(&["components", section, name], kind));
                                        }
                                    }
                                }
                            }
                        }
                    }
                    _ if is_extension(key) => {}
                    _ => found.push(child(&[key], Kind::Other)),
                }
            }
        }
        Kind::PathItem => {
            for (key, _) in object {
                match key.as_str() {
                    "parameters" => list(&mut found, key, Kind::Parameter),
                    "$ref" => {}
                    method if HTTP_METHODS.contains(&method) => found.push(child(&[key], Kind::Operation)),
                    _ if is_extension(key) => {}
                    _ => found.push(child(&[key], Kind::Other)),
                }
            }
        }
        Kind::Operation => {
            for (key, _) in object {
                match key.as_str() {
                    "parameters" => list(&mut found, key, Kind::Parameter),
                    "requestBody" => found.push(child(&[key], Kind::RequestBody)),
                    "responses" => map(&mut found, key, Kind::Response),
                    "callbacks" => map(&mut found, key, Kind::Callback),
                    "$ref" => {}
                    _ if is_extension(key) => {}
                    _ => found.push(child(&[key], Kind::Other)),
                }
            }
        }
        Kind::Parameter | Kind::Header => {
            if object.contains_key("schema") {
                found.push(child(&["schema"], Kind::Schema));
            }
            map(&mut found, "content", Kind::MediaType);
            map(&mut found, "examples", Kind::Example);
        }
        Kind::RequestBody => map(&mut found, "content", Kind::MediaType),
        Kind::Response => {
            map(&mut found, "headers", Kind::Header);
            map(&mut found, "content", Kind::MediaType);
            map(&mut found, "links", Kind::Link);
        }
        Kind::MediaType => {
            if object.contains_key("schema") {
                found.push(child(&["schema"], Kind::Schema));
            }
            map(&mut found, "examples", Kind::Example);
            map(&mut found, "encoding", Kind::Encoding);
        }
        Kind::Encoding => map(&mut found, "headers", Kind::Header),
        Kind::Schema => {
            for (key, inner) in object {
                let key = key.as_str();
                if SCHEMA_KEYWORDS.contains(&key) {
                    match inner {
                        Value::Object(_) => found.push(child(&[key], Kind::Schema)),
                        // Draft 4 tuple form of `items`.
                        Value::Array(_) => list(&mut found, key, Kind::Schema),
                        _ => {}
                    }
                } else if SCHEMA_MAP_KEYWORDS.contains(&key) {
                    if reference_of(inner).is_some() {
                        found.push(child(&[key], Kind::SchemaMap));
                    } else if let Value::Object(entries) = inner {
                        for name in entries.keys() {
                            found.push(child(&[key, name], Kind::Schema));
                        }
                    }
                } else if SCHEMA_LIST_KEYWORDS.contains(&key) {
                    list(&mut found, key, Kind::Schema);
                }
            }
        }
        Kind::SchemaMap => {
            for key in object.keys().filter(|key| *key != "$ref") {
                found.push(child(&[key], Kind::Schema));
            }
        }
        Kind::Callback => {
            for key in object.keys().filter(|key| !is_extension(key) && *key != "$ref") {
                found.push(child(&[key], Kind::PathItem));
            }
        }
        Kind::Example | Kind::Link | Kind::SecurityScheme => {}
        Kind::Other => {
            for (key, inner) in object {
                if !is_extension(key) && key != "$ref" && (inner.is_object() || inner.is_array()) {
                    found.push(child(&[key], Kind::Other));
                }
            }
        }
    }
    found
}

/// The value at `tokens` below `value`.
pub(crate) fn get_mut<'v>(value: &'v mut Value, tokens: &[String]) -> Option<&'v mut Value> {
    tokens.iter().try_fold(value, |node, token| match node {
        Value::Object(map) => map.get_mut(token),
        Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
        _ => None,
    })
}

/// Whether a node is a reference object: a mapping with a string `$ref`.
pub(crate) fn reference_of(value: &Value) -> Option<&str> {
    value.get("$ref").and_then(Value::as_str)
}

/// What a visitor wants after seeing a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// Walk the node's children.
    Descend,
    /// Leave the node's children alone (the visitor took care of them).
    Skip,
}

/// Calls `visit` on `value` (of kind `kind`, at `pointer`) and on every
/// position below it, parents first. Children are computed after the
/// visitor ran, so a visitor may rewrite a node and have the result walked.
pub(crate) fn walk<E>(
    value: &mut Value,
    kind: Kind,
    pointer: &str,
    visit: &mut dyn FnMut(&mut Value, Kind, &str) -> Result<Next, E>,
) -> Result<(), E> {
    if visit(value, kind, pointer)? == Next::Skip {
        return Ok(());
    }
    for Child { tokens, kind } in children(value, kind) {
        let at = tokens
            .iter()
            .fold(pointer.to_owned(), |at, token| crate::error::pointer_push(&at, token));
        if let Some(inner) = get_mut(value, &tokens) {
            walk(inner, kind, &at, visit)?;
        }
    }
    Ok(())
}

/// Like [`walk`], for reading only.
pub(crate) fn walk_ref<E>(
    value: &Value,
    kind: Kind,
    pointer: &str,
    visit: &mut dyn FnMut(&Value, Kind, &str) -> Result<Next, E>,
) -> Result<(), E> {
    if visit(value, kind, pointer)? == Next::Skip {
        return Ok(());
    }
    for Child { tokens, kind } in children(value, kind) {
        let at = tokens
            .iter()
            .fold(pointer.to_owned(), |at, token| crate::error::pointer_push(&at, token));
        let inner = tokens.iter().try_fold(value, |node, token| match node {
            Value::Object(map) => map.get(token),
            Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        });
        if let Some(inner) = inner {
            walk_ref(inner, kind, &at, visit)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Kind, Next, walk};

    fn kinds_of_refs(mut document: serde_json::Value) -> Vec<(String, Kind)> {
        let mut found = Vec::new();
        walk::<()>(&mut document, Kind::Document, "#", &mut |node, kind, pointer| {
            if super::reference_of(node).is_some() {
                found.push((pointer.to_owned(), kind));
            }
            Ok(Next::Descend)
        })
        .ok();
        found
    }

    #[test]
    fn positions_are_classified_and_data_is_skipped() {
        let found = kinds_of_refs(json!({
            "paths": {"/a": {"get": {
                "parameters": [{"$ref": "p"}],
                "responses": {"200": {"$ref": "r"}},
                "callbacks": {"cb": {"{$url}": {"post": {"requestBody": {"content": {"a/b": {
                    "schema": {"$ref": "s"},
                    "example": {"$ref": "data"},
                    "encoding": {"f": {"headers": {"h": {"$ref": "h"}}}}
                }}}}}}},
                "x-samples": [{"$ref": "data"}]
            }}},
            "tags": [{"name": "t", "description": {"$ref": "d"}}],
            "components": {"schemas": {"A": {"properties": {"$ref": {"$ref": "s2"}}, "default": {"$ref": "data"}}}}
        }));
        let expected = [
            ("#/paths/~1a/get/parameters/0", Kind::Parameter),
            ("#/paths/~1a/get/responses/200", Kind::Response),
            (
                "#/paths/~1a/get/callbacks/cb/{$url}/post/requestBody/content/a~1b/schema",
                Kind::Schema,
            ),
            (
                "#/paths/~1a/get/callbacks/cb/{$url}/post/requestBody/content/a~1b/encoding/f/headers/h",
                Kind::Header,
            ),
            ("#/tags/0/description", Kind::Other),
            ("#/components/schemas/A/properties/$ref", Kind::Schema),
        ];
        let expected: Vec<(String, Kind)> = expected.iter().map(|(p, k)| ((*p).to_owned(), *k)).collect();
        assert_eq!(found, expected);
    }
}
