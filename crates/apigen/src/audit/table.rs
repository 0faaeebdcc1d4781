//! What the generated client does with every field of every OpenAPI 3.0.3 and
//! 3.1.0 object, one line per field.
//!
//! Making a construct honoured is a one-line change here: replace its
//! `NotHonoured(..)` (or check) with `Honoured`. The section "Keyword coverage"
//! of ARCHITECTURE.md is printed from this table (see [`super::markdown`]).

use super::checks;
use super::{Coverage, Field, Holds, Object, ObjectSpec, Patterned, Since};

use Coverage::{Check, Honoured, Informational, Lowering, NotHonoured, ServerSide};
use Holds::{Data, List, Map, One};
use Object as O;

const fn both(name: &'static str, coverage: Coverage, value: Holds) -> Field {
    Field {
        name,
        since: Since::Both,
        coverage,
        holds: value,
    }
}

const fn v30(name: &'static str, coverage: Coverage, value: Holds) -> Field {
    Field {
        name,
        since: Since::V30,
        coverage,
        holds: value,
    }
}

const fn v31(name: &'static str, coverage: Coverage, value: Holds) -> Field {
    Field {
        name,
        since: Since::V31,
        coverage,
        holds: value,
    }
}

const CALLBACKS: &str = "callbacks are requests the API makes to the caller; no receiver is generated for them";
const LINKS: &str = "links are not followed; no follow-up call is generated from a response";
const NO_DIALECT: &str =
    "dialect keywords are not interpreted; the schema is read with the OpenAPI 3.1 default dialect";

/// Every object, in the order of the specification.
pub(super) const OBJECTS: &[ObjectSpec] = &[
    ObjectSpec {
        object: O::OpenApi,
        fields: &[
            both("openapi", Honoured, Data),
            both("info", Honoured, One(O::Info)),
            v31("jsonSchemaDialect", Check(checks::DIALECT), Data),
            both("servers", Honoured, List(O::Server)),
            both("paths", Honoured, One(O::Paths)),
            v31(
                "webhooks",
                NotHonoured("webhooks are requests the API sends; no receiver is generated for them"),
                Map(O::PathItem),
            ),
            both("components", Honoured, One(O::Components)),
            both("security", Honoured, List(O::SecurityRequirement)),
            both("tags", Informational, List(O::Tag)),
            both("externalDocs", Informational, One(O::ExternalDocumentation)),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::Info,
        fields: &[
            both("title", Informational, Data),
            v31("summary", Informational, Data),
            both("description", Informational, Data),
            both("termsOfService", Informational, Data),
            both("contact", Informational, One(O::Contact)),
            both("license", Informational, One(O::License)),
            both("version", Informational, Data),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::Contact,
        fields: &[
            both("name", Informational, Data),
            both("url", Informational, Data),
            both("email", Informational, Data),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::License,
        fields: &[
            both("name", Informational, Data),
            v31("identifier", Informational, Data),
            both("url", Informational, Data),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::Server,
        fields: &[
            both("url", Lowering, Data),
            both("description", Informational, Data),
            both("variables", Honoured, Map(O::ServerVariable)),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::ServerVariable,
        fields: &[
            both("enum", Honoured, Data),
            both("default", Honoured, Data),
            both("description", Informational, Data),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::Components,
        fields: &[
            both("schemas", Honoured, Map(O::Schema)),
            both("responses", Honoured, Map(O::Response)),
            both("parameters", Honoured, Map(O::Parameter)),
            both("examples", Informational, Map(O::Example)),
            both("requestBodies", Honoured, Map(O::RequestBody)),
            both("headers", Honoured, Map(O::Header)),
            both("securitySchemes", Honoured, Map(O::SecurityScheme)),
            both("links", NotHonoured(LINKS), Map(O::Link)),
            both("callbacks", NotHonoured(CALLBACKS), Map(O::Callback)),
            v31("pathItems", Honoured, Map(O::PathItem)),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::Paths,
        fields: &[],
        patterned: Some(Patterned {
            name: "/{path}",
            matches: checks::is_path,
            field: both("/{path}", Honoured, One(O::PathItem)),
        }),
    },
    ObjectSpec {
        object: O::PathItem,
        fields: &[
            both("$ref", Lowering, Data),
            both("summary", Informational, Data),
            both("description", Informational, Data),
            both("get", Honoured, One(O::Operation)),
            both("put", Honoured, One(O::Operation)),
            both("post", Honoured, One(O::Operation)),
            both("delete", Honoured, One(O::Operation)),
            both("options", Honoured, One(O::Operation)),
            both("head", Honoured, One(O::Operation)),
            both("patch", Honoured, One(O::Operation)),
            both("trace", Honoured, One(O::Operation)),
            both("servers", Lowering, List(O::Server)),
            both("parameters", Honoured, List(O::Parameter)),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::Operation,
        fields: &[
            both("tags", Honoured, Data),
            both("summary", Informational, Data),
            both("description", Informational, Data),
            both("externalDocs", Informational, One(O::ExternalDocumentation)),
            both("operationId", Honoured, Data),
            both("parameters", Honoured, List(O::Parameter)),
            both("requestBody", Honoured, One(O::RequestBody)),
            both("responses", Honoured, One(O::Responses)),
            both("callbacks", NotHonoured(CALLBACKS), Map(O::Callback)),
            both("deprecated", Honoured, Data),
            both("security", Honoured, List(O::SecurityRequirement)),
            both("servers", Lowering, List(O::Server)),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::ExternalDocumentation,
        fields: &[
            both("description", Informational, Data),
            both("url", Informational, Data),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::Parameter,
        fields: &[
            both("name", Honoured, Data),
            both("in", Lowering, Data),
            both("description", Informational, Data),
            both("required", Honoured, Data),
            both("deprecated", Honoured, Data),
            both(
                "allowEmptyValue",
                NotHonoured(
                    "`allowEmptyValue` is not modelled; an empty string is sent as `name=` and there is no valueless form",
                ),
                Data,
            ),
            both("style", Lowering, Data),
            both("explode", Lowering, Data),
            both("allowReserved", Honoured, Data),
            both("schema", Honoured, One(O::Schema)),
            both("example", Informational, Data),
            both("examples", Informational, Map(O::Example)),
            both("content", Lowering, Map(O::MediaType)),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::RequestBody,
        fields: &[
            both("description", Informational, Data),
            both("content", Honoured, Map(O::MediaType)),
            both("required", Honoured, Data),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::MediaType,
        fields: &[
            both("schema", Honoured, One(O::Schema)),
            both("example", Informational, Data),
            both("examples", Informational, Map(O::Example)),
            both("encoding", Lowering, Map(O::Encoding)),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::Encoding,
        fields: &[
            both("contentType", Lowering, Data),
            both("headers", Lowering, Map(O::Header)),
            both("style", Lowering, Data),
            both("explode", Lowering, Data),
            both("allowReserved", Lowering, Data),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::Responses,
        fields: &[both("default", Honoured, One(O::Response))],
        patterned: Some(Patterned {
            name: "{status}",
            matches: checks::is_status,
            field: both("{status}", Lowering, One(O::Response)),
        }),
    },
    ObjectSpec {
        object: O::Response,
        fields: &[
            both("description", Informational, Data),
            // The lowering lists them per response, by name, leaving out
            // `Content-Type`, which OpenAPI says is ignored.
            both("headers", Lowering, Map(O::Header)),
            both("content", Honoured, Map(O::MediaType)),
            both("links", NotHonoured(LINKS), Map(O::Link)),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::Callback,
        fields: &[],
        patterned: Some(Patterned {
            name: "{expression}",
            matches: checks::any_key,
            field: both("{expression}", NotHonoured(CALLBACKS), One(O::PathItem)),
        }),
    },
    ObjectSpec {
        object: O::Example,
        fields: &[
            both("summary", Informational, Data),
            both("description", Informational, Data),
            both("value", Informational, Data),
            both("externalValue", Informational, Data),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::Link,
        fields: &[
            both("operationRef", NotHonoured(LINKS), Data),
            both("operationId", NotHonoured(LINKS), Data),
            both("parameters", NotHonoured(LINKS), Data),
            both("requestBody", NotHonoured(LINKS), Data),
            both("description", Informational, Data),
            both("server", NotHonoured(LINKS), One(O::Server)),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::Header,
        fields: &[
            both("description", Informational, Data),
            both("required", Honoured, Data),
            both("deprecated", Honoured, Data),
            both("allowEmptyValue", Informational, Data),
            both("style", Honoured, Data),
            both("explode", Honoured, Data),
            both("allowReserved", Informational, Data),
            both("schema", Honoured, One(O::Schema)),
            both("example", Informational, Data),
            both("examples", Informational, Map(O::Example)),
            both("content", Lowering, Map(O::MediaType)),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::Tag,
        fields: &[
            both("name", Honoured, Data),
            both("description", Informational, Data),
            both("externalDocs", Informational, One(O::ExternalDocumentation)),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::Reference,
        fields: &[
            both("$ref", Lowering, Data),
            v31("summary", Informational, Data),
            v31("description", Informational, Data),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::Schema,
        fields: &[
            // Core and identifiers (3.1: JSON Schema 2020-12).
            v31("$schema", Check(checks::SCHEMA_DIALECT), Data),
            v31(
                "$id",
                NotHonoured("`$id` does not set a base URI; references are resolved against the document"),
                Data,
            ),
            // In 3.0 a schema with `$ref` is a Reference object.
            v31("$ref", Lowering, Data),
            v31(
                "$anchor",
                NotHonoured("`$anchor` names are not resolved; a reference to this anchor fails"),
                Data,
            ),
            v31(
                "$dynamicRef",
                NotHonoured("`$dynamicRef` is not resolved; the schema is typed from its other keywords"),
                Data,
            ),
            v31(
                "$dynamicAnchor",
                NotHonoured("`$dynamicAnchor` is not resolved; dynamic references cannot reach it"),
                Data,
            ),
            v31("$vocabulary", NotHonoured(NO_DIALECT), Data),
            v31("$comment", Informational, Data),
            v31("$defs", Lowering, Map(O::Schema)),
            // Applicators.
            both("allOf", Lowering, List(O::Schema)),
            both("anyOf", Lowering, List(O::Schema)),
            both("oneOf", Lowering, List(O::Schema)),
            both("not", Lowering, One(O::Schema)),
            v31(
                "if",
                NotHonoured("`if`/`then`/`else` is not checked; the type follows the schema's other keywords"),
                One(O::Schema),
            ),
            v31(
                "then",
                NotHonoured("`then` is not applied; the type follows the schema's other keywords"),
                One(O::Schema),
            ),
            v31(
                "else",
                NotHonoured("`else` is not applied; the type follows the schema's other keywords"),
                One(O::Schema),
            ),
            v31(
                "dependentSchemas",
                NotHonoured("`dependentSchemas` is not applied; the extra constraints are not typed"),
                Map(O::Schema),
            ),
            v31(
                "prefixItems",
                NotHonoured(
                    "tuple positions (`prefixItems`) are not typed; every item has the type of `items` (or any JSON value)",
                ),
                List(O::Schema),
            ),
            both("items", Honoured, One(O::Schema)),
            v31("contains", ServerSide, One(O::Schema)),
            both("properties", Honoured, Map(O::Schema)),
            v31(
                "patternProperties",
                NotHonoured(
                    "`patternProperties` are not typed; such properties decode only through `additionalProperties`, if any",
                ),
                Map(O::Schema),
            ),
            both("additionalProperties", Honoured, One(O::Schema)),
            v31("propertyNames", ServerSide, One(O::Schema)),
            v31("unevaluatedItems", Check(checks::UNEVALUATED), One(O::Schema)),
            v31("unevaluatedProperties", Check(checks::UNEVALUATED), One(O::Schema)),
            // Validation.
            both("type", Honoured, Data),
            v31("const", Honoured, Data),
            both("enum", Honoured, Data),
            both("multipleOf", ServerSide, Data),
            both("maximum", ServerSide, Data),
            both("exclusiveMaximum", ServerSide, Data),
            both("minimum", ServerSide, Data),
            both("exclusiveMinimum", ServerSide, Data),
            both("maxLength", ServerSide, Data),
            both("minLength", ServerSide, Data),
            both("pattern", ServerSide, Data),
            both("maxItems", ServerSide, Data),
            both("minItems", ServerSide, Data),
            both("uniqueItems", ServerSide, Data),
            v31("maxContains", ServerSide, Data),
            v31("minContains", ServerSide, Data),
            both("maxProperties", ServerSide, Data),
            both("minProperties", ServerSide, Data),
            both("required", Honoured, Data),
            v31("dependentRequired", ServerSide, Data),
            // Format and content.
            both("format", Check(checks::FORMAT), Data),
            v31(
                "contentEncoding",
                NotHonoured("`contentEncoding` is not decoded; the value stays the encoded string"),
                Data,
            ),
            v31(
                "contentMediaType",
                NotHonoured("`contentMediaType` is not used; the value stays a string"),
                Data,
            ),
            v31(
                "contentSchema",
                NotHonoured("`contentSchema` is not applied; the encoded content is not typed"),
                One(O::Schema),
            ),
            // Annotations.
            both("title", Informational, Data),
            both("description", Informational, Data),
            both("default", ServerSide, Data),
            both("deprecated", Informational, Data),
            both("readOnly", Check(checks::READ_ONLY), Data),
            both("writeOnly", Check(checks::WRITE_ONLY), Data),
            v31("examples", Informational, Data),
            // Not a JSON Schema keyword, but next to `$ref` it is read as
            // the description, as a Reference object's `summary` would be.
            v31("summary", Informational, Data),
            // OpenAPI's own schema fields.
            // 3.0 only, but 3.1 documents that still use it get the 3.0 meaning.
            v30("nullable", Honoured, Data),
            both("discriminator", Check(checks::DISCRIMINATOR), One(O::Discriminator)),
            both(
                "xml",
                NotHonoured("`xml` is not applied; the client never encodes or decodes XML"),
                One(O::Xml),
            ),
            both("externalDocs", Informational, One(O::ExternalDocumentation)),
            both("example", Informational, Data),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::Discriminator,
        fields: &[both("propertyName", Lowering, Data), both("mapping", Lowering, Data)],
        patterned: None,
    },
    ObjectSpec {
        object: O::Xml,
        fields: &[
            both("name", Informational, Data),
            both("namespace", Informational, Data),
            both("prefix", Informational, Data),
            both("attribute", Informational, Data),
            both("wrapped", Informational, Data),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::SecurityScheme,
        fields: &[
            both("type", Honoured, Data),
            both("description", Informational, Data),
            both("name", Honoured, Data),
            both("in", Honoured, Data),
            both("scheme", Lowering, Data),
            both("bearerFormat", Informational, Data),
            both("flows", Informational, One(O::OAuthFlows)),
            both("openIdConnectUrl", Informational, Data),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::OAuthFlows,
        fields: &[
            both("implicit", Informational, One(O::OAuthFlow)),
            both("password", Informational, One(O::OAuthFlow)),
            both("clientCredentials", Informational, One(O::OAuthFlow)),
            both("authorizationCode", Informational, One(O::OAuthFlow)),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::OAuthFlow,
        fields: &[
            both("authorizationUrl", Informational, Data),
            both("tokenUrl", Informational, Data),
            both("refreshUrl", Informational, Data),
            both("scopes", Informational, Data),
        ],
        patterned: None,
    },
    ObjectSpec {
        object: O::SecurityRequirement,
        fields: &[],
        patterned: Some(Patterned {
            name: "{name}",
            matches: checks::any_key,
            field: both("{name}", Honoured, Data),
        }),
    },
];
