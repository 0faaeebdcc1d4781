//! The spec's own examples, each paired with the generated type it must fit.
//!
//! Lowering notes every example it passes (on a schema, a property, a
//! parameter or a media type) together with the type it just chose for that
//! place, so the pairing is exactly the one the generated code uses. The
//! example round-trip test (`emit::example_tests`) is generated from the
//! result; the emitter never reads the spec.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{Components, Example as SpecExample, ReferenceOr, Schema, SchemaData};
use serde_json::Value;

use super::MAX_EXAMPLE_DEPTH;
use super::schema::{SchemaOrRef, TypeBuilder};
use crate::error::pointer_push;
use crate::ir::{Example, TypeDef, TypeKind, TypeRef};

/// An example found while lowering, before the whole type graph exists.
pub(crate) struct Site {
    pointer: String,
    ty: TypeRef,
    nullable: bool,
    value: Value,
    /// Why the example contradicts its own schema, if it does.
    contradiction: Option<String>,
}

/// The example values of a schema with their pointers: each item of a 3.1
/// `examples` list (the normalisation keeps it in `x-examples`), and
/// `example` when it is not simply the first of those.
fn schema_examples(data: &SchemaData, pointer: &str) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    let list = match data.extensions.get("x-examples") {
        Some(Value::Array(list)) => list.as_slice(),
        _ => &[],
    };
    if let Some(example) = &data.example {
        if list.first() != Some(example) {
            found.push((pointer_push(pointer, "example"), example.clone()));
        }
    }
    let examples = pointer_push(pointer, "examples");
    for (index, value) in list.iter().enumerate() {
        found.push((pointer_push(&examples, &index.to_string()), value.clone()));
    }
    found
}

/// The values of an `examples` map of a media type or parameter; references
/// are followed into `components.examples`, and external values are skipped
/// (they are not part of the document).
pub(crate) fn named_examples(
    components: Option<&Components>,
    examples: &IndexMap<String, ReferenceOr<SpecExample>>,
    pointer: &str,
) -> Vec<(String, Value)> {
    let list = pointer_push(pointer, "examples");
    examples
        .iter()
        .filter_map(|(name, example)| {
            // An example that does not resolve is not checked; the
            // example is documentation, not part of the client.
            let example = super::refs::follow(
                std::path::Path::new(""),
                "examples",
                components.map(|c| &c.examples),
                example,
                pointer,
            )
            .ok()?;
            let value = example.value.clone()?;
            Some((pointer_push(&pointer_push(&list, name), "value"), value))
        })
        .collect()
}

impl TypeBuilder<'_> {
    /// Notes the examples of a schema that lowered to `ty` at `pointer`.
    pub(crate) fn note_schema_examples(&mut self, schema: &Schema, ty: &TypeRef, pointer: &str) {
        for (at, value) in schema_examples(&schema.schema_data, pointer) {
            self.note_example(
                at,
                ty,
                schema.schema_data.nullable,
                value,
                Some(ReferenceOr::Item(schema)),
            );
        }
    }

    /// Notes one example value at `pointer` that must fit `ty` and the
    /// schema it illustrates (`None`: a media type without a schema).
    fn note_example(
        &mut self,
        pointer: String,
        ty: &TypeRef,
        nullable: bool,
        value: Value,
        schema: Option<ReferenceOr<&Schema>>,
    ) {
        let contradiction = schema.and_then(|schema| self.contradiction(&value, schema));
        self.examples.push(Site {
            pointer,
            ty: ty.clone(),
            nullable,
            value,
            contradiction,
        });
    }
}

/// The examples of the IR, sorted by pointer, once every type is defined.
///
/// Examples whose type is not JSON (no body, raw bytes) are left out: they
/// have no JSON form to round-trip.
pub(crate) fn finish(sites: Vec<Site>, types: &BTreeMap<String, TypeDef>) -> Vec<Example> {
    let mut examples: Vec<Example> = sites
        .into_iter()
        .filter(|site| is_json(&site.ty, types))
        .map(|site| {
            let mut null_may_vanish = Vec::new();
            vanishing_nulls(&site.value, &site.ty, types, "", &mut null_may_vanish, 0);
            null_may_vanish.sort();
            null_may_vanish.dedup();
            Example {
                pointer: site.pointer,
                ty: site.ty,
                nullable: site.nullable,
                json: site.value.to_string(),
                null_may_vanish,
                contradiction: site.contradiction,
            }
        })
        .collect();
    examples.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    // The same place can be lowered twice (a shared parameter, say); it is one example.
    examples.dedup_by(|a, b| a.pointer == b.pointer);
    examples
}

/// Whether values of `ty` have a JSON form (derive serde).
fn is_json(ty: &TypeRef, types: &BTreeMap<String, TypeDef>) -> bool {
    match ty {
        TypeRef::Unit | TypeRef::Primitive(crate::ir::Primitive::Bytes) => false,
        TypeRef::Named(name) => !matches!(
            types.get(name).map(|def| &def.kind),
            Some(TypeKind::StatusEnum { .. }) | None
        ),
        _ => true,
    }
}

/// Collects the pointers of `null` values in `value` that sit at optional,
/// nullable fields of `ty`: `Option` writes those back as absent.
fn vanishing_nulls(
    value: &Value,
    ty: &TypeRef,
    types: &BTreeMap<String, TypeDef>,
    at: &str,
    out: &mut Vec<String>,
    depth: usize,
) {
    if depth > MAX_EXAMPLE_DEPTH {
        return;
    }
    match (ty, value) {
        (TypeRef::List(inner), Value::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                vanishing_nulls(
                    item,
                    inner,
                    types,
                    &pointer_push(at, &index.to_string()),
                    out,
                    depth + 1,
                );
            }
        }
        // `Option` writes `null` back as `null`, so only a value inside can vanish.
        (TypeRef::Nullable(inner), _) => vanishing_nulls(value, inner, types, at, out, depth + 1),
        (TypeRef::Map(inner), Value::Object(entries)) => {
            for (key, item) in entries {
                vanishing_nulls(item, inner, types, &pointer_push(at, key), out, depth + 1);
            }
        }
        (TypeRef::Named(name), _) => match types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Alias(inner)) => vanishing_nulls(value, inner, types, at, out, depth + 1),
            Some(TypeKind::Struct { fields, additional, .. }) => {
                let Value::Object(entries) = value else { return };
                for (key, item) in entries {
                    match fields.iter().find(|f| &f.wire_name == key) {
                        Some(field) if item.is_null() && field.nullable && !field.required => {
                            out.push(pointer_push(at, key));
                        }
                        Some(field) => vanishing_nulls(item, &field.ty, types, &pointer_push(at, key), out, depth + 1),
                        None => {
                            if let Some(additional) = additional {
                                vanishing_nulls(item, additional, types, &pointer_push(at, key), out, depth + 1);
                            }
                        }
                    }
                }
            }
            // The variant that decodes is not known here; each may explain a null.
            Some(TypeKind::Union { variants, .. }) => {
                for variant in variants {
                    vanishing_nulls(value, &variant.ty, types, at, out, depth + 1);
                }
            }
            _ => {}
        },
        _ => {}
    }
}

impl TypeBuilder<'_> {
    /// Notes the `example` and `examples` of a media type (at `pointer`) whose body lowered to `ty`.
    pub(crate) fn note_media_examples(
        &mut self,
        components: Option<&Components>,
        media: &openapiv3::MediaType,
        ty: &TypeRef,
        pointer: &str,
    ) {
        let schema = media.schema.as_ref().map(SchemaOrRef::as_ref_or);
        self.note_example_fields(components, media.example.as_ref(), &media.examples, ty, schema, pointer);
    }

    /// Notes the `example` and `examples` of a parameter (at `pointer`) of type `ty`.
    pub(crate) fn note_parameter_examples(
        &mut self,
        components: Option<&Components>,
        data: &openapiv3::ParameterData,
        ty: &TypeRef,
        pointer: &str,
    ) {
        let schema = match &data.format {
            openapiv3::ParameterSchemaOrContent::Schema(schema) => Some(schema.as_ref_or()),
            openapiv3::ParameterSchemaOrContent::Content(_) => None,
        };
        self.note_example_fields(components, data.example.as_ref(), &data.examples, ty, schema, pointer);
    }

    /// Notes the `example` value and the named `examples` of a media type or
    /// parameter: both shapes carry the same pair of fields.
    fn note_example_fields(
        &mut self,
        components: Option<&Components>,
        example: Option<&Value>,
        examples: &IndexMap<String, ReferenceOr<SpecExample>>,
        ty: &TypeRef,
        schema: Option<ReferenceOr<&Schema>>,
        pointer: &str,
    ) {
        if let Some(example) = example {
            self.note_example(
                pointer_push(pointer, "example"),
                ty,
                false,
                example.clone(),
                schema.clone(),
            );
        }
        for (at, value) in named_examples(components, examples, pointer) {
            self.note_example(at, ty, false, value, schema.clone());
        }
    }
}
