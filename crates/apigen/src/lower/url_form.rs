//! The per-property serialisation of `application/x-www-form-urlencoded`
//! bodies, from the media type's `encoding` map and the Encoding Object's
//! defaults.
//!
//! OpenAPI 3.0.4 and 3.1.1 say that a property whose Encoding Object sets
//! none of `style`, `explode` and `allowReserved` is serialised by its
//! content type, which defaults to `text/plain` for primitives (and for
//! arrays of them, one pair per item) and `application/json` for objects.
//! A property whose entry sets one of them is serialised like a `form`
//! query parameter with those settings.

use indexmap::IndexMap;
use openapiv3::{Encoding, MediaType};

use super::body::is_json;
use super::params::{ValueShape, note_style_gaps, query_style, styled, value_shape};
use super::resolve::resolve_alias;
use super::schema::TypeBuilder;
use crate::error::pointer_push;
use crate::ir::{ParamStyle, Primitive, Style, TypeKind, TypeRef, UrlFormField};
use crate::load::EXPLODE_EXTENSION;

/// One entry per declared property of the body type, in document order.
/// Properties of untyped or union types are left to the runtime, which
/// applies the same defaults to the value it finds.
pub(crate) fn url_form_fields(
    types: &mut TypeBuilder<'_>,
    media: &MediaType,
    ty: &TypeRef,
    at: &str,
) -> Vec<UrlFormField> {
    let fields = match resolve_alias(&types.defs, ty) {
        TypeRef::Named(name) => match types.defs.get(name).map(|def| &def.kind) {
            Some(TypeKind::Struct { fields, .. }) => fields.clone(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    note_unknown_encodings(types, &media.encoding, &fields, at);
    let mut out = Vec::new();
    for field in fields.iter().filter(|f| !f.flatten) {
        let entry = media.encoding.get(&field.wire_name);
        let entry_at = pointer_push(&pointer_push(at, "encoding"), &field.wire_name);
        let shape = value_shape(&types.defs, &field.ty);
        if shape == ValueShape::Any {
            continue;
        }
        if resolve_alias(&types.defs, &field.ty) == &TypeRef::Primitive(Primitive::Bytes) {
            types.inexact(
                &entry_at,
                format!(
                    "`{}` is binary, which a URL-encoded form cannot carry; it is sent as a list of byte values",
                    field.wire_name
                ),
            );
        }
        let is_list = matches!(resolve_alias(&types.defs, &field.ty), TypeRef::List(_));
        let style = match entry {
            Some(entry) if sets_rfc6570(entry) => {
                let style = styled(
                    entry.style.as_ref().map_or(Style::Form, query_style),
                    stated_explode(entry),
                    entry.allow_reserved,
                );
                note_style_gaps(types, &entry_at, &field.wire_name, style, shape);
                style
            }
            Some(Encoding {
                content_type: Some(content_type),
                ..
            }) => by_content_type(types, content_type, &field.wire_name, shape, is_list, &entry_at),
            _ => default_style(shape, is_list),
        };
        out.push(UrlFormField {
            wire_name: field.wire_name.clone(),
            style,
        });
    }
    out
}

/// An entry that sets `style`, `explode` or `allowReserved` asks for the
/// RFC 6570 serialisation. `allowReserved: false` cannot be told apart from
/// its absence, and means the same.
fn sets_rfc6570(entry: &Encoding) -> bool {
    entry.style.is_some() || stated_explode(entry).is_some() || entry.allow_reserved
}

/// `explode` as the document states it (see [`EXPLODE_EXTENSION`]).
fn stated_explode(entry: &Encoding) -> Option<bool> {
    match entry.extensions.get(EXPLODE_EXTENSION) {
        Some(serde_json::Value::Bool(explode)) => Some(*explode),
        _ => entry.explode.then_some(true),
    }
}

/// The Encoding Object's defaults: objects as JSON text, everything else as
/// text, an array one pair per item.
fn default_style(shape: ValueShape, is_list: bool) -> ParamStyle {
    match shape {
        ValueShape::Object | ValueShape::Nested if !is_list => json(),
        _ => styled(Style::Form, Some(true), false),
    }
}

fn json() -> ParamStyle {
    ParamStyle {
        json: true,
        ..styled(Style::Form, None, false)
    }
}

fn by_content_type(
    types: &mut TypeBuilder<'_>,
    content_type: &str,
    name: &str,
    shape: ValueShape,
    is_list: bool,
    at: &str,
) -> ParamStyle {
    if is_json(content_type) {
        return json();
    }
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    if essence.eq_ignore_ascii_case("text/plain") && matches!(shape, ValueShape::Primitive | ValueShape::Array) {
        return styled(Style::Form, Some(true), false);
    }
    let fallback = default_style(shape, is_list);
    types.inexact(
        &pointer_push(at, "contentType"),
        format!(
            "`{name}` is declared as `{content_type}`, which the client does not encode; it is sent as {}",
            if fallback.json { "JSON text" } else { "text" }
        ),
    );
    fallback
}

/// Encoding entries must name properties of the schema; one that does not
/// cannot apply to anything the caller sets.
fn note_unknown_encodings(
    types: &mut TypeBuilder<'_>,
    encoding: &IndexMap<String, Encoding>,
    fields: &[crate::ir::Field],
    at: &str,
) {
    for name in encoding.keys() {
        if !fields.iter().any(|f| &f.wire_name == name) {
            types.inexact(
                &pointer_push(&pointer_push(at, "encoding"), name),
                format!("the encoding of `{name}` names no property of the form's schema and is not applied"),
            );
        }
    }
}
