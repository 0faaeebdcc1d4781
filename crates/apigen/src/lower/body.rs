//! Request and response bodies: which media type is the main one, how each
//! is encoded, and the fields of `multipart/form-data` forms.

use indexmap::IndexMap;
use openapiv3::{MediaType, ReferenceOr, Schema};

use super::resolve::has_text_form;
use super::schema::{SchemaOrRef, TypeBuilder, schema_docs};
use super::shape::{Shape, shape_of};
use crate::error::{Result, pointer_push};
use crate::ir::{BodyEncoding, FormField, FormPart, Primitive, TypeDef, TypeKind, TypeRef};
use crate::naming;

/// Picks the main media type: `application/json` first, then any JSON, then the first listed.
pub(crate) fn pick_media(content: &IndexMap<String, MediaType>) -> Option<(&String, &MediaType)> {
    content
        .iter()
        .find(|(media, _)| media.as_str() == "application/json")
        .or_else(|| content.iter().find(|(media, _)| is_json(media)))
        .or_else(|| content.iter().next())
}

/// `application/json` with or without parameters, and `+json` types.
pub(crate) fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or(media).trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

fn is_form(media: &str) -> bool {
    media
        .split(';')
        .next()
        .unwrap_or(media)
        .trim()
        .eq_ignore_ascii_case("multipart/form-data")
}

/// Whether a body is a request (sent) or a response (read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Request,
    Response,
}

/// The encoding and type of one media type of a body (at `at`, the body's pointer).
pub(crate) fn body_type(
    types: &mut TypeBuilder<'_>,
    media_type: &str,
    media: &MediaType,
    hint: &str,
    at: &str,
    direction: Direction,
) -> Result<(BodyEncoding, TypeRef)> {
    let at = pointer_push(&pointer_push(at, "content"), media_type);
    let schema_at = pointer_push(&at, "schema");
    if is_json(media_type) {
        if let Some(schema) = &media.schema {
            types.unsupported_null(schema, &schema_at, "a body");
        }
        let ty = match &media.schema {
            Some(schema) => types.type_of(schema, hint, &schema_at)?,
            // No schema: the body may be any JSON value.
            None => TypeRef::Any,
        };
        return Ok((BodyEncoding::Json, ty));
    }
    if is_form(media_type) && direction == Direction::Request {
        if !media.encoding.is_empty() {
            types.inexact(
                &pointer_push(&at, "encoding"),
                "per-part `encoding` is not applied; parts use the default content types",
            );
        }
        return Ok(match &media.schema {
            Some(schema) => (BodyEncoding::Multipart, types.form(schema, hint, &schema_at)?),
            None => {
                types.inexact(&at, "a form without a schema is sent as raw bytes");
                (BodyEncoding::Binary, TypeRef::Primitive(Primitive::Bytes))
            }
        });
    }
    if media_type.trim_start().to_ascii_lowercase().starts_with("text/") {
        return Ok((BodyEncoding::Text, TypeRef::Primitive(Primitive::String)));
    }
    // Raw bytes are exact for a binary string or no schema at all; a
    // structured schema under another media type is not encoded for the caller.
    let structured = media.schema.as_ref().is_some_and(|schema| {
        let target = types.schema_behind(schema.as_ref_or(), &schema_at).ok();
        target.is_some_and(|s| !matches!(shape_of(s), Shape::String { .. } | Shape::Any))
    });
    if structured {
        types.inexact(
            &at,
            format!("`{media_type}` is not encoded by the client; the body is raw bytes the caller encodes"),
        );
    }
    Ok((BodyEncoding::Binary, TypeRef::Primitive(Primitive::Bytes)))
}

impl TypeBuilder<'_> {
    /// Lowers the schema of a `multipart/form-data` body into a form type.
    /// Forms are named after the operation (`hint`), not the schema: they are
    /// not JSON types, so a schema also used as JSON keeps its own type.
    fn form(&mut self, schema: &ReferenceOr<Schema>, hint: &str, at: &str) -> Result<TypeRef> {
        let target = self.schema_behind(schema.as_ref_or(), at)?;
        let Shape::Object {
            properties, required, ..
        } = shape_of(target)
        else {
            self.inexact(at, "a form whose schema is not an object is sent as raw bytes");
            return Ok(TypeRef::Primitive(Primitive::Bytes));
        };
        let name = self.claim_name(&format!("{hint} Form"));
        let wire_names: Vec<&str> = properties.keys().map(String::as_str).collect();
        let rust_names = naming::field_names(&wire_names);
        let mut fields = Vec::with_capacity(properties.len());
        for ((wire, property), rust_name) in properties.iter().zip(rust_names) {
            let property_at = pointer_push(&pointer_push(at, "properties"), wire);
            let part = self.form_part(property, &format!("{name} {wire}"), &property_at)?;
            let docs = match property {
                ReferenceOr::Item(schema) => schema_docs(schema),
                ReferenceOr::Reference { .. } => String::new(),
            };
            fields.push(FormField {
                wire_name: wire.clone(),
                rust_name,
                part,
                required: required.contains(wire),
                docs: if docs.is_empty() {
                    format!("The `{wire}` field.")
                } else {
                    docs
                },
            });
        }
        self.insert(TypeDef {
            name: name.clone(),
            pointer: at.to_owned(),
            docs: schema_docs(target),
            kind: TypeKind::Form { fields },
            eq: true,
            patch_paths: false,
        });
        Ok(TypeRef::Named(name))
    }

    /// How one form property is sent: files for binary strings, text for
    /// scalars (one part per item for arrays), JSON for anything else.
    fn form_part(&mut self, property: &ReferenceOr<Box<Schema>>, hint: &str, at: &str) -> Result<FormPart> {
        let schema = self.schema_behind(property.as_ref_or(), at)?;
        if is_binary(schema) {
            return Ok(FormPart::File);
        }
        if let Shape::Array(Some(items)) = shape_of(schema) {
            let item = Some(self.schema_behind(items.as_ref_or(), at)?);
            if item.is_some_and(is_binary) {
                return Ok(FormPart::Files);
            }
            let ty = self.type_of(items, &format!("{hint} Item"), &pointer_push(at, "items"))?;
            if has_text_form(&self.types, &ty) {
                return Ok(FormPart::TextList(ty));
            }
            return Ok(FormPart::Json(TypeRef::List(Box::new(ty))));
        }
        let ty = self.type_of(property, hint, at)?;
        Ok(if has_text_form(&self.types, &ty) {
            FormPart::Text(ty)
        } else {
            FormPart::Json(ty)
        })
    }
}

/// A string with `format: binary`: a file's contents.
fn is_binary(schema: &Schema) -> bool {
    match &schema.schema_kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::String(string)) => matches!(
            &string.format,
            openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)
        ),
        openapiv3::SchemaKind::Any(any) => {
            any.typ.as_deref() == Some("string") && any.format.as_deref() == Some("binary")
        }
        _ => false,
    }
}
