//! A single view of a schema's structure.
//!
//! `openapiv3` spreads one schema over `SchemaKind::Type(..)` and the catch-all
//! `SchemaKind::Any`; the lowering wants to ask one question ("what shape is
//! this?") regardless of which of the two the parser chose.

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty};

/// The shape of one schema, borrowed from the document.
pub(crate) enum Shape<'s> {
    Object {
        properties: &'s IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &'s [String],
        additional: Option<&'s AdditionalProperties>,
    },
    Array(Option<&'s ReferenceOr<Box<Schema>>>),
    String {
        values: Vec<Option<String>>,
    },
    Integer {
        values: Vec<Option<i64>>,
        format: Option<String>,
    },
    Number,
    Boolean,
    /// `allOf`: the parts that constrain values, each with its index in the
    /// document's list (parts that only annotate are left out, see
    /// [`annotates_only`]).
    AllOf {
        parts: Vec<(usize, &'s ReferenceOr<Schema>)>,
        properties: Option<&'s IndexMap<String, ReferenceOr<Box<Schema>>>>,
        required: &'s [String],
    },
    /// `oneOf` or `anyOf`, with the object properties written next to it
    /// (which every branch shares).
    Union {
        keyword: &'static str,
        branches: &'s [ReferenceOr<Schema>],
        properties: Option<&'s IndexMap<String, ReferenceOr<Box<Schema>>>>,
        required: &'s [String],
    },
    /// `not`: a constraint no Rust type expresses.
    Not,
    /// An `enum` whose values are not all strings or all integers.
    MixedEnum,
    Any,
}

/// Whether an `allOf` part only annotates: it has a description, a title,
/// `nullable`, `readOnly`, an example and the like, but no keyword that
/// constrains values. Descriptions written as `allOf: [{$ref: X},
/// {description: ...}]` (a common way to document a reference in OpenAPI
/// 3.0, where siblings of `$ref` are ignored) are such parts.
pub(crate) fn annotates_only(part: &ReferenceOr<Schema>) -> bool {
    matches!(part, ReferenceOr::Item(schema) if constrains_nothing(schema))
}

fn constrains_nothing(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == openapiv3::AnySchema::default())
}

fn constraining(parts: &[ReferenceOr<Schema>]) -> Vec<(usize, &ReferenceOr<Schema>)> {
    parts
        .iter()
        .enumerate()
        .filter(|(_, part)| !annotates_only(part))
        .collect()
}

/// The annotations that apply to values of `schema`: its own, then those of
/// its annotation-only `allOf` parts.
pub(crate) fn annotations(schema: &Schema) -> impl Iterator<Item = &openapiv3::SchemaData> {
    let parts: &[ReferenceOr<Schema>] = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(any) => &any.all_of,
        _ => &[],
    };
    std::iter::once(&schema.schema_data).chain(parts.iter().filter_map(|part| match part {
        ReferenceOr::Item(part) if constrains_nothing(part) => Some(&part.schema_data),
        _ => None,
    }))
}

fn format_of<T>(format: &VariantOrUnknownOrEmpty<T>, known: impl Fn(&T) -> &'static str) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(known(item).to_owned()),
        VariantOrUnknownOrEmpty::Unknown(text) => Some(text.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

/// Classifies a schema.
pub(crate) fn shape_of(schema: &Schema) -> Shape<'_> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => Shape::Object {
            properties: &object.properties,
            required: &object.required,
            additional: object.additional_properties.as_ref(),
        },
        SchemaKind::Type(Type::Array(array)) => Shape::Array(array.items.as_ref()),
        SchemaKind::Type(Type::String(string)) => Shape::String {
            values: string.enumeration.clone(),
        },
        SchemaKind::Type(Type::Integer(integer)) => Shape::Integer {
            values: integer.enumeration.clone(),
            format: format_of(&integer.format, |f| match f {
                openapiv3::IntegerFormat::Int32 => "int32",
                openapiv3::IntegerFormat::Int64 => "int64",
            }),
        },
        SchemaKind::Type(Type::Number(_)) => Shape::Number,
        SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
        SchemaKind::AllOf { all_of } => Shape::AllOf {
            parts: constraining(all_of),
            properties: None,
            required: &[],
        },
        SchemaKind::OneOf { one_of } => Shape::Union {
            keyword: "oneOf",
            branches: one_of,
            properties: None,
            required: &[],
        },
        SchemaKind::AnyOf { any_of } => Shape::Union {
            keyword: "anyOf",
            branches: any_of,
            properties: None,
            required: &[],
        },
        SchemaKind::Not { .. } => Shape::Not,
        SchemaKind::Any(any) => any_shape(any),
    }
}

fn any_shape(any: &openapiv3::AnySchema) -> Shape<'_> {
    let has_object_parts = !any.properties.is_empty() || any.additional_properties.is_some();
    if !any.all_of.is_empty() {
        return Shape::AllOf {
            parts: constraining(&any.all_of),
            properties: has_object_parts.then_some(&any.properties),
            required: &any.required,
        };
    }
    for (keyword, branches) in [("oneOf", &any.one_of), ("anyOf", &any.any_of)] {
        if !branches.is_empty() {
            return Shape::Union {
                keyword,
                branches,
                properties: (!any.properties.is_empty()).then_some(&any.properties),
                required: &any.required,
            };
        }
    }
    if any.not.is_some() {
        return Shape::Not;
    }
    let typ = any.typ.as_deref();
    if has_object_parts || typ == Some("object") {
        return Shape::Object {
            properties: &any.properties,
            required: &any.required,
            additional: any.additional_properties.as_ref(),
        };
    }
    if typ == Some("array") || any.items.is_some() {
        return Shape::Array(any.items.as_ref());
    }
    let strings = || any.enumeration.iter().map(|v| v.as_str().map(str::to_owned)).collect();
    let integers = || any.enumeration.iter().map(serde_json::Value::as_i64).collect();
    match typ {
        Some("string") => Shape::String { values: strings() },
        Some("integer") => Shape::Integer {
            values: integers(),
            format: any.format.clone(),
        },
        Some("number") => Shape::Number,
        Some("boolean") => Shape::Boolean,
        _ if !any.enumeration.is_empty() && any.enumeration.iter().all(|v| v.is_string() || v.is_null()) => {
            Shape::String { values: strings() }
        }
        _ if !any.enumeration.is_empty() && any.enumeration.iter().all(|v| v.is_i64() || v.is_null()) => {
            Shape::Integer {
                values: integers(),
                format: any.format.clone(),
            }
        }
        _ if !any.enumeration.is_empty() => Shape::MixedEnum,
        _ => Shape::Any,
    }
}
