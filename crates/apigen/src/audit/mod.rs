//! The keyword-coverage audit: which fields of the document the generated
//! client does not honour exactly.
//!
//! The lowering notices some losses where it makes a decision (a union it
//! cannot order, a query style it does not send). Everything else a document
//! can say is classified here, field by field, in one table (`audit/table.rs`,
//! read through [`objects`]): each field of each OpenAPI 3.0.3 and 3.1.0
//! object is honoured, informational (documentation that does not change what
//! is sent or accepted), left to the server (validation keywords), decided by
//! the lowering (which reports its own losses), or not honoured. The audit
//! walks the document and lists every use of a not-honoured field, and every
//! key the table does not know, with its JSON pointer.
//!
//! The audit reads the document as written, before the 3.1 normalisation
//! (`load::normalize`), because the normalisation moves and renames keys
//! (`webhooks` → `x-webhooks`, `$ref` siblings → `allOf`, `const` → `enum`):
//! only the original document gives pointers a user can follow, and the table
//! classifies the 3.1 spellings directly.

mod checks;
mod markdown;
mod table;
mod walk;

use serde_json::{Map, Value};

use crate::ir::Inexact;

pub use markdown::markdown;
pub use walk::{audit, visits};

/// An object of the OpenAPI specification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Object {
    OpenApi,
    Info,
    Contact,
    License,
    Server,
    ServerVariable,
    Components,
    Paths,
    PathItem,
    Operation,
    ExternalDocumentation,
    Parameter,
    RequestBody,
    MediaType,
    Encoding,
    Responses,
    Response,
    Callback,
    Example,
    Link,
    Header,
    Tag,
    Reference,
    Schema,
    Discriminator,
    Xml,
    SecurityScheme,
    OAuthFlows,
    OAuthFlow,
    SecurityRequirement,
}

impl Object {
    /// The object's name in the specification.
    pub fn name(self) -> &'static str {
        match self {
            Self::OpenApi => "OpenAPI",
            Self::Info => "Info",
            Self::Contact => "Contact",
            Self::License => "License",
            Self::Server => "Server",
            Self::ServerVariable => "Server Variable",
            Self::Components => "Components",
            Self::Paths => "Paths",
            Self::PathItem => "Path Item",
            Self::Operation => "Operation",
            Self::ExternalDocumentation => "External Documentation",
            Self::Parameter => "Parameter",
            Self::RequestBody => "Request Body",
            Self::MediaType => "Media Type",
            Self::Encoding => "Encoding",
            Self::Responses => "Responses",
            Self::Response => "Response",
            Self::Callback => "Callback",
            Self::Example => "Example",
            Self::Link => "Link",
            Self::Header => "Header",
            Self::Tag => "Tag",
            Self::Reference => "Reference",
            Self::Schema => "Schema",
            Self::Discriminator => "Discriminator",
            Self::Xml => "XML",
            Self::SecurityScheme => "Security Scheme",
            Self::OAuthFlows => "OAuth Flows",
            Self::OAuthFlow => "OAuth Flow",
            Self::SecurityRequirement => "Security Requirement",
        }
    }

    /// Whether a `$ref` makes this object a Reference object. Path items
    /// have `$ref` as a field of their own; 3.1 schemas have it as a keyword.
    fn may_be_reference(self, version: Version) -> bool {
        match self {
            Self::Parameter
            | Self::RequestBody
            | Self::Response
            | Self::Example
            | Self::Header
            | Self::Link
            | Self::Callback
            | Self::SecurityScheme => true,
            Self::Schema => version == Version::V30,
            _ => false,
        }
    }
}

/// The OpenAPI version of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// OpenAPI 3.0.x.
    V30,
    /// OpenAPI 3.1.x.
    V31,
}

impl Version {
    /// The version a document declares (3.1 for `3.1.*`, else 3.0).
    pub fn of(document: &Value) -> Self {
        match document.get("openapi").and_then(Value::as_str) {
            Some(version) if version.starts_with("3.1") => Self::V31,
            _ => Self::V30,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::V30 => "3.0",
            Self::V31 => "3.1",
        }
    }
}

/// The versions of the specification that define a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    /// 3.0 and 3.1.
    Both,
    /// 3.0 only (3.1 documents that still use it get the 3.0 meaning).
    V30,
    /// 3.1 only.
    V31,
}

impl Since {
    /// Whether the field is defined in (or read for) a document of `version`.
    pub fn applies(self, version: Version) -> bool {
        !(self == Self::V31 && version == Version::V30)
    }

    /// Whether the specification of `version` defines the field.
    pub fn defined_in(self, version: Version) -> bool {
        match self {
            Self::Both => true,
            Self::V30 => version == Version::V30,
            Self::V31 => version == Version::V31,
        }
    }
}

/// A field whose coverage depends on its value or its neighbours.
#[derive(Clone, Copy)]
pub struct Check {
    /// The rule, for the documentation.
    pub rule: &'static str,
    /// `None` when this use is honoured, else what is lost.
    pub run: fn(&Site<'_>) -> Option<String>,
}

/// One use of a field, as a [`Check`] sees it.
pub struct Site<'a> {
    /// The field's key.
    pub key: &'a str,
    /// The object holding it.
    pub parent: &'a Map<String, Value>,
    /// Its value.
    pub value: &'a Value,
    /// Whether the object holding it is a property its schema requires.
    pub required: bool,
    /// The whole document, as written.
    pub document: &'a Value,
}

/// What the generated client does with a field.
#[derive(Clone, Copy)]
pub enum Coverage {
    /// The client does exactly what the field says.
    Honoured,
    /// Documentation that does not change what is sent or accepted.
    Informational,
    /// A validation keyword the client deliberately leaves to the server.
    ServerSide,
    /// The lowering decides case by case: it honours the field, lists what it
    /// cannot honour in the inexact list itself, or refuses the document.
    Lowering,
    /// Not honoured; every use is listed with this message.
    NotHonoured(&'static str),
    /// Honoured or not depending on the value.
    Check(Check),
}

/// What a field holds, for the walk.
#[derive(Debug, Clone, Copy)]
pub enum Holds {
    /// A value the audit does not walk into (text, numbers, example data).
    Data,
    /// One object.
    One(Object),
    /// A map from names to objects.
    Map(Object),
    /// A list of objects.
    List(Object),
}

/// One field of an object.
#[derive(Clone, Copy)]
pub struct Field {
    /// Its key, or a pattern such as `/{path}` for patterned fields.
    pub name: &'static str,
    /// The versions that define it.
    pub since: Since,
    /// What the client does with it.
    pub coverage: Coverage,
    /// What it holds.
    pub holds: Holds,
}

/// The patterned fields of an object (such as the paths of the Paths object).
#[derive(Clone, Copy)]
pub struct Patterned {
    /// The pattern as the specification writes it.
    pub name: &'static str,
    /// Whether a key matches the pattern.
    pub matches: fn(&str) -> bool,
    /// The field every matching key is.
    pub field: Field,
}

/// All fields of one object.
pub struct ObjectSpec {
    /// The object.
    pub object: Object,
    /// Its fixed fields.
    pub fields: &'static [Field],
    /// Its patterned fields, if any.
    pub patterned: Option<Patterned>,
}

/// The whole table, in the order of the specification.
pub fn objects() -> &'static [ObjectSpec] {
    table::OBJECTS
}

fn spec_of(object: Object) -> Option<&'static ObjectSpec> {
    table::OBJECTS.iter().find(|spec| spec.object == object)
}

/// How one use of a field was classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Class {
    /// Honoured.
    Honoured,
    /// Documentation only, including `x-` extensions.
    Informational,
    /// Validation left to the server.
    ServerSide,
    /// Decided, and reported where needed, by the lowering.
    Lowering,
    /// Not honoured, with what is lost.
    NotHonoured(String),
    /// A key the table does not know, with what happens to it.
    Unknown(String),
}

/// One key of the document the audit classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    /// JSON pointer of the key's value in the document as written.
    pub pointer: String,
    /// The object holding the key.
    pub object: Object,
    /// The table's name of the field (the pattern for patterned fields,
    /// `x-` for extensions, the key itself for unknown keys).
    pub field: String,
    /// The classification.
    pub class: Class,
    /// Whether a key above this one is already listed as not honoured, so
    /// this one is not listed again.
    pub covered: bool,
}

impl Visit {
    /// The inexact entry this visit adds, if any.
    fn inexact(&self) -> Option<Inexact> {
        match &self.class {
            Class::NotHonoured(message) | Class::Unknown(message) if !self.covered => Some(Inexact {
                pointer: self.pointer.clone(),
                message: message.clone(),
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_unhonoured_fields_once_with_their_pointer() {
        let document = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {
                "callbacks": {"done": {"{$request.body#/url}": {"post": {"responses": {"200": {"description": "ok"}}}}}},
                "responses": {"200": {"description": "ok", "links": {"next": {"operationId": "b"}}}}
            }}},
            "components": {"schemas": {"S": {"type": "object", "if": {"required": ["a"]}, "x-note": 1, "bogus": 2}}}
        });
        let found = audit(&document);
        let pointers: Vec<&str> = found.iter().map(|i| i.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "#/components/schemas/S/bogus",
                "#/components/schemas/S/if",
                "#/paths/~1a/get/callbacks",
                "#/paths/~1a/get/responses/200/links",
            ]
        );
        assert_eq!(
            found[0].message,
            "`bogus` is not a field of the Schema object in OpenAPI 3.1; it is ignored"
        );
    }

    #[test]
    fn references_and_versions() {
        let document = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {
                "schemas": {"R": {"$ref": "#/components/schemas/S", "description": "ignored in 3.0"},
                            "S": {"type": "string", "const": "a"}},
                "securitySchemes": {"a": {"type": "apiKey", "in": "header", "name": "A"},
                                    "b": {"type": "apiKey", "in": "header", "name": "B"}}
            }
        });
        let found = audit(&document);
        let pointers: Vec<&str> = found.iter().map(|i| i.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["#/components/schemas/S/const"],
            "every scheme has a client setter"
        );
        let reference = visits(&document)
            .into_iter()
            .find(|v| v.pointer == "#/components/schemas/R/description");
        assert_eq!(
            reference.map(|v| (v.object, v.class)),
            Some((Object::Reference, Class::Informational))
        );
    }

    #[test]
    fn every_object_has_a_table_entry() {
        let mut named: Vec<Object> = objects().iter().map(|spec| spec.object).collect();
        named.sort();
        named.dedup();
        assert_eq!(named.len(), objects().len());
        assert_eq!(named.len(), 30);
    }
}
