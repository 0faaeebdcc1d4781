//! Request and response bodies: which media type is the main one, how each
//! is encoded, and the fields of `multipart/form-data` forms.

use indexmap::IndexMap;
use openapiv3::{Encoding, MediaType, ReferenceOr, Schema};

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

/// `application/x-www-form-urlencoded`, with or without parameters.
pub(crate) fn is_url_form(media: &str) -> bool {
    media
        .split(';')
        .next()
        .unwrap_or(media)
        .trim()
        .eq_ignore_ascii_case("application/x-www-form-urlencoded")
}

/// `*/*` and `application/*`: the API takes any (application) media type.
fn is_wildcard(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or(media).trim();
    essence == "*/*" || essence.eq_ignore_ascii_case("application/*")
}

/// The media type a request body of `media_type` is sent as: JSON for a
/// wildcard whose schema describes structured values, which the client
/// encodes as JSON (the one structured encoding every such API reads).
pub(crate) fn sent_media_type(media_type: &str, encoding: BodyEncoding) -> String {
    if encoding == BodyEncoding::Json && is_wildcard(media_type) {
        "application/json".to_owned()
    } else {
        media_type.to_owned()
    }
}

/// Whether the media type's schema describes structured values (not a
/// string, not anything at all).
fn is_structured(types: &TypeBuilder<'_>, media: &MediaType, schema_at: &str) -> bool {
    media.schema.as_ref().is_some_and(|schema| {
        let target = types.schema_behind(schema.as_ref_or(), schema_at).ok();
        target.is_some_and(|s| !matches!(shape_of(s), Shape::String { .. } | Shape::Any))
    })
}

/// Whether values of `ty` serialise to a JSON object (or may, for untyped values).
fn is_object_like(types: &std::collections::BTreeMap<String, TypeDef>, ty: &TypeRef) -> bool {
    match super::resolve::resolve_alias(types, ty) {
        TypeRef::Map(_) | TypeRef::Any => true,
        TypeRef::Named(name) => matches!(
            types.get(name).map(|def| &def.kind),
            Some(TypeKind::Struct { .. } | TypeKind::Union { .. }) | None
        ),
        _ => false,
    }
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
    if is_json(media_type) || (is_wildcard(media_type) && is_structured(types, media, &schema_at)) {
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
        return Ok(match &media.schema {
            Some(schema) => {
                let ty = types.form(schema, &media.encoding, hint, &schema_at, &at)?;
                // A schema without properties gives no form type: the caller
                // sends the encoded bytes (listed as inexact by `form`).
                let encoding = if ty == TypeRef::Primitive(Primitive::Bytes) {
                    BodyEncoding::Binary
                } else {
                    BodyEncoding::Multipart
                };
                (encoding, ty)
            }
            None => {
                types.inexact(&at, "a form without a schema is sent as raw bytes");
                (BodyEncoding::Binary, TypeRef::Primitive(Primitive::Bytes))
            }
        });
    }
    if is_url_form(media_type) && direction == Direction::Request {
        if let Some(schema) = &media.schema {
            let ty = types.type_of(schema, hint, &schema_at)?;
            if is_object_like(&types.defs, &ty) {
                return Ok((BodyEncoding::UrlForm, ty));
            }
            types.inexact(
                &at,
                "a form whose schema is not an object has no properties to send; the body is raw bytes the caller encodes",
            );
            return Ok((BodyEncoding::Binary, TypeRef::Primitive(Primitive::Bytes)));
        }
    }
    if media_type.trim_start().to_ascii_lowercase().starts_with("text/") {
        return Ok((BodyEncoding::Text, TypeRef::Primitive(Primitive::String)));
    }
    // Raw bytes are exact for a binary string or no schema at all; a
    // structured schema under another media type is not encoded for the caller.
    if is_structured(types, media, &schema_at) {
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
    fn form(
        &mut self,
        schema: &ReferenceOr<Schema>,
        encoding: &IndexMap<String, Encoding>,
        hint: &str,
        at: &str,
        media_at: &str,
    ) -> Result<TypeRef> {
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
            let entry_at = pointer_push(&pointer_push(media_at, "encoding"), wire);
            let (part, content_type) = match encoding.get(wire) {
                Some(entry) => self.part_encoding(part, entry, wire, &entry_at),
                None => (part, None),
            };
            let docs = match property {
                ReferenceOr::Item(schema) => schema_docs(schema),
                ReferenceOr::Reference { .. } => String::new(),
            };
            fields.push(FormField {
                wire_name: wire.clone(),
                rust_name,
                part,
                required: required.contains(wire),
                content_type,
                docs: if docs.is_empty() {
                    format!("The `{wire}` field.")
                } else {
                    docs
                },
            });
        }
        self.insert(TypeDef::new(
            name.clone(),
            at.to_owned(),
            schema_docs(target),
            TypeKind::Form { fields },
        ));
        Ok(TypeRef::Named(name))
    }

    /// Applies a property's Encoding Object to its part: a single specific
    /// `contentType` becomes the part's `Content-Type` (a text part with a
    /// JSON type is sent as JSON text); what cannot be honoured is recorded.
    fn part_encoding(&mut self, part: FormPart, entry: &Encoding, wire: &str, at: &str) -> (FormPart, Option<String>) {
        if !entry.headers.is_empty() {
            self.inexact(
                &pointer_push(at, "headers"),
                format!("per-part headers of `{wire}` are not sent"),
            );
        }
        let Some(content_type) = entry.content_type.as_deref().map(str::trim) else {
            return (part, None);
        };
        let type_at = pointer_push(at, "contentType");
        if content_type.contains(',') || content_type.contains('*') {
            self.inexact(
                &type_at,
                format!(
                    "`{wire}` accepts `{content_type}`; the part is sent with its default content type unless the caller sets one on a file"
                ),
            );
            return (part, None);
        }
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        match part {
            FormPart::File | FormPart::Files if essence == "application/octet-stream" => (part, None),
            FormPart::File | FormPart::Files => (part, Some(content_type.to_owned())),
            FormPart::Json(_) if is_json(&essence) => (part, None),
            FormPart::Text(ty) if is_json(&essence) => (FormPart::Json(ty), None),
            FormPart::Text(_) | FormPart::TextList(_) if essence == "text/plain" => (part, None),
            FormPart::Text(_) | FormPart::TextList(_) if !is_json(&essence) => (part, Some(content_type.to_owned())),
            part => {
                self.inexact(
                    &type_at,
                    format!("`{wire}` is declared as `{content_type}`, which the client does not encode; it keeps its default encoding"),
                );
                (part, None)
            }
        }
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
            if has_text_form(&self.defs, &ty) {
                return Ok(FormPart::TextList(ty));
            }
            return Ok(FormPart::Json(TypeRef::List(Box::new(ty))));
        }
        let ty = self.type_of(property, hint, at)?;
        Ok(if has_text_form(&self.defs, &ty) {
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
