//! Lowering of an operation's parameters: which ones the caller gives, in
//! what order, and exactly how each value is written on the wire
//! (location × `style` × `explode` × `allowReserved`, or `content`).

use std::collections::BTreeMap;

use openapiv3::{
    CookieStyle, HeaderStyle, MediaType, Parameter, ParameterData, ParameterSchemaOrContent, PathStyle, QueryStyle,
    ReferenceOr,
};

use super::Context;
use super::body::is_json;
use super::docs;
use super::operation::Found;
use super::resolve::{has_text_form, resolve_alias};
use super::sample::Sampled;
use super::schema::{SchemaOrRef, TypeBuilder};
use super::version;
use crate::error::{Result, pointer_push};
use crate::ir::{Param, ParamLocation, ParamStyle, ParamWire, Primitive, Style, TypeDef, TypeKind, TypeRef};
use crate::naming::{self, Scope};

/// Names the generated builder already uses for its own methods.
pub(crate) const RESERVED_PARAM_NAMES: &[&str] = &[
    "body",
    "options",
    "api_version",
    "send",
    "send_raw",
    "send_as",
    "decode",
    "pages",
    "items",
    "client",
    "into_future",
    "into_request",
];

fn resolve_parameter<'a>(cx: &Context<'a>, parameter: &'a ReferenceOr<Parameter>, at: &str) -> Result<&'a Parameter> {
    super::refs::follow(
        cx.file,
        "parameters",
        cx.components.map(|c| &c.parameters),
        parameter,
        at,
    )
}

/// The operation's parameters, and what the lowering found out about them.
pub(crate) struct Parameters {
    /// In argument order.
    pub params: Vec<Param>,
    /// One of them demands the beta API version.
    pub demands_beta: bool,
    /// A sample value for each required parameter, in `params` order.
    pub samples: Vec<Sampled>,
}

/// The operation's parameters.
pub(crate) fn parameters(
    cx: &Context<'_>,
    types: &mut TypeBuilder<'_>,
    found: &Found<'_>,
    type_base: &str,
) -> Result<Parameters> {
    // Operation-level parameters override path-level ones with the same name and location.
    let mut all: Vec<(&Parameter, String)> = Vec::new();
    let path_pointer = found
        .pointer
        .rsplit_once('/')
        .map(|(p, _)| p.to_owned())
        .unwrap_or_default();
    for (index, parameter) in found.path_params.iter().enumerate() {
        let at = pointer_push(&pointer_push(&path_pointer, "parameters"), &index.to_string());
        all.push((resolve_parameter(cx, parameter, &at)?, at));
    }
    for (index, parameter) in found.operation.parameters.iter().enumerate() {
        let at = pointer_push(&pointer_push(&found.pointer, "parameters"), &index.to_string());
        let parameter = resolve_parameter(cx, parameter, &at)?;
        let same = |(p, _): &(&Parameter, String)| {
            p.parameter_data_ref().name == parameter.parameter_data_ref().name
                && std::mem::discriminant(*p) == std::mem::discriminant(parameter)
        };
        all.retain(|entry| !same(entry));
        all.push((parameter, at));
    }

    let mut params = Vec::new();
    let mut demands_beta = false;
    for (parameter, at) in all {
        let data = parameter.parameter_data_ref();
        if let Parameter::Header { .. } = parameter {
            if cx.credential_headers.iter().any(|h| h.eq_ignore_ascii_case(&data.name)) {
                // The credential is configured once on the client, not passed per call.
                continue;
            }
            if version::is_version_header(cx, &data.name) {
                // The client sends this header on every call; see `version`.
                demands_beta |= version::parameter_demands_beta(cx, types, data, &at);
                continue;
            }
        }
        let (location, style) = declared_style(parameter);
        let (ty, wire) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let ty = types.type_of(
                    schema,
                    &format!("{type_base} {}", data.name),
                    &pointer_push(&at, "schema"),
                )?;
                let wire = schema_wire(types, &at, &data.name, location, style, &ty);
                (ty, wire)
            }
            ParameterSchemaOrContent::Content(content) => content_wire(types, data, content, location, type_base, &at)?,
        };
        types.note_parameter_examples(cx.components, data, &ty, &at);
        let required = data.required || location == ParamLocation::Path;
        let sample = required.then(|| types.sample_parameter(cx.components, data, &at));
        params.push((
            Param {
                wire_name: data.name.clone(),
                rust_name: String::new(),
                location,
                required,
                option_setter: None,
                ty,
                wire,
                deprecated: data.deprecated.unwrap_or(false),
                docs: parameter_docs(types, data, &at),
            },
            sample,
        ));
    }

    // Required path parameters come first in template order; the others are sorted by wire name.
    let template_order = |p: &Param| found.path.find(&format!("{{{}}}", p.wire_name)).unwrap_or(usize::MAX);
    params.sort_by(|(a, _), (b, _)| {
        let rank = |p: &Param| {
            (
                p.location != ParamLocation::Path,
                template_order(p),
                p.wire_name.clone(),
            )
        };
        rank(a).cmp(&rank(b))
    });
    let (mut params, samples): (Vec<Param>, Vec<Option<Sampled>>) = params.into_iter().unzip();
    let mut scope = Scope::with_reserved(RESERVED_PARAM_NAMES);
    for param in &mut params {
        param.rust_name = scope.claim(naming::field_name(&param.wire_name));
        if param.docs.is_empty() {
            param.docs = format!("The `{}` parameter.", param.wire_name);
        }
    }
    // Claimed after every parameter's own name, so a parameter that is
    // itself called `set_…` keeps its name.
    for param in params.iter_mut().filter(|param| !param.required) {
        param.option_setter = Some(scope.claim(naming::option_setter_name(&param.rust_name)));
    }
    Ok(Parameters {
        params,
        demands_beta,
        samples: samples.into_iter().flatten().collect(),
    })
}

/// The location and declared (or default) style of a parameter. `explode`
/// defaults to true for `form` only.
fn declared_style(parameter: &Parameter) -> (ParamLocation, ParamStyle) {
    let data = parameter.parameter_data_ref();
    let (location, style, allow_reserved) = match parameter {
        Parameter::Path { style, .. } => (
            ParamLocation::Path,
            match style {
                PathStyle::Simple => Style::Simple,
                PathStyle::Label => Style::Label,
                PathStyle::Matrix => Style::Matrix,
            },
            false,
        ),
        Parameter::Query {
            style, allow_reserved, ..
        } => (ParamLocation::Query, query_style(style), *allow_reserved),
        Parameter::Header {
            style: HeaderStyle::Simple,
            ..
        } => (ParamLocation::Header, Style::Simple, false),
        Parameter::Cookie {
            style: CookieStyle::Form,
            ..
        } => (ParamLocation::Cookie, Style::Form, false),
    };
    (location, styled(style, data.explode, allow_reserved))
}

/// A style with `explode` defaulted as OpenAPI says: true for `form` only.
/// `deepObject` is only defined exploded, so an unstated `explode` takes
/// that form rather than an undefined one.
pub(crate) fn styled(style: Style, explode: Option<bool>, allow_reserved: bool) -> ParamStyle {
    ParamStyle {
        style,
        explode: explode.unwrap_or(matches!(style, Style::Form | Style::DeepObject)),
        allow_reserved,
        json: false,
    }
}

pub(crate) fn query_style(style: &QueryStyle) -> Style {
    match style {
        QueryStyle::Form => Style::Form,
        QueryStyle::SpaceDelimited => Style::SpaceDelimited,
        QueryStyle::PipeDelimited => Style::PipeDelimited,
        QueryStyle::DeepObject => Style::DeepObject,
    }
}

/// The default style of a location, used for JSON text and plain-text content.
fn location_style(location: ParamLocation) -> Style {
    match location {
        ParamLocation::Path | ParamLocation::Header => Style::Simple,
        ParamLocation::Query | ParamLocation::Cookie => Style::Form,
    }
}

/// How a parameter described by a schema is written. A primitive in the
/// location's default style is its `Display` text (path and header values
/// are encoded by the request itself); everything else goes through the
/// runtime's style encoder, and whatever OpenAPI leaves undefined for that
/// combination is recorded as inexact.
fn schema_wire(
    types: &mut TypeBuilder<'_>,
    at: &str,
    name: &str,
    location: ParamLocation,
    style: ParamStyle,
    ty: &TypeRef,
) -> ParamWire {
    let shape = value_shape(&types.defs, ty);
    note_style_gaps(types, at, name, style, shape);
    let bare = matches!(
        (location, style.style),
        (ParamLocation::Path | ParamLocation::Header, Style::Simple) | (ParamLocation::Query, Style::Form)
    );
    if shape == ValueShape::Primitive && has_text_form(&types.defs, ty) && bare && !style.allow_reserved {
        ParamWire::Display
    } else {
        ParamWire::Styled(style)
    }
}

/// How a parameter described by `content` is written: JSON media types as
/// the value's JSON text, `text/*` with a string schema as the text itself.
fn content_wire(
    types: &mut TypeBuilder<'_>,
    data: &ParameterData,
    content: &indexmap::IndexMap<String, MediaType>,
    location: ParamLocation,
    type_base: &str,
    at: &str,
) -> Result<(TypeRef, ParamWire)> {
    let Some((media_type, media)) = content.iter().next() else {
        types.inexact(
            at,
            format!("`{}` has an empty `content`; it is sent as JSON text", data.name),
        );
        return Ok((TypeRef::Any, ParamWire::Styled(json_text(location))));
    };
    let schema_at = pointer_push(&pointer_push(&pointer_push(at, "content"), media_type), "schema");
    let ty = match &media.schema {
        Some(schema) => types.type_of(schema, &format!("{type_base} {}", data.name), &schema_at)?,
        None => TypeRef::Any,
    };
    if is_json(media_type) {
        return Ok((ty, ParamWire::Styled(json_text(location))));
    }
    let text = media_type.trim_start().to_ascii_lowercase().starts_with("text/");
    if text && resolve_alias(&types.defs, &ty) == &TypeRef::Primitive(Primitive::String) {
        let style = styled(location_style(location), None, false);
        return Ok((ty, ParamWire::Styled(style)));
    }
    types.inexact(
        &pointer_push(&pointer_push(at, "content"), media_type),
        format!(
            "`{}` is described as `{media_type}`, which the client does not encode; it is sent as JSON text",
            data.name
        ),
    );
    Ok((ty, ParamWire::Styled(json_text(location))))
}

fn json_text(location: ParamLocation) -> ParamStyle {
    ParamStyle {
        json: true,
        ..styled(location_style(location), None, false)
    }
}

/// What a value of a type looks like once serialised, as far as parameter
/// styles care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ValueShape {
    /// A string, number, boolean or enum.
    Primitive,
    /// An array of primitives.
    Array,
    /// An object whose members are primitives.
    Object,
    /// An array or object with arrays or objects inside.
    Nested,
    /// Anything (untyped, or a union): decided by the value at run time.
    Any,
}

pub(crate) fn value_shape(types: &BTreeMap<String, TypeDef>, ty: &TypeRef) -> ValueShape {
    let is_primitive = |ty: &TypeRef| value_shape_flat(types, ty) == ValueShape::Primitive;
    match resolve_alias(types, ty) {
        TypeRef::List(inner) if is_primitive(inner) => ValueShape::Array,
        TypeRef::Map(inner) if is_primitive(inner) => ValueShape::Object,
        TypeRef::List(_) | TypeRef::Map(_) => ValueShape::Nested,
        TypeRef::Named(name) => match types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Struct { fields, additional }) => {
                let flat = fields.iter().all(|f| !f.flatten && is_primitive(&f.ty))
                    && additional.as_ref().is_none_or(is_primitive);
                if flat { ValueShape::Object } else { ValueShape::Nested }
            }
            _ => value_shape_flat(types, ty),
        },
        _ => value_shape_flat(types, ty),
    }
}

/// The shape of a type seen as a member: primitive or not.
fn value_shape_flat(types: &BTreeMap<String, TypeDef>, ty: &TypeRef) -> ValueShape {
    match resolve_alias(types, ty) {
        TypeRef::Primitive(Primitive::Bytes) => ValueShape::Nested,
        TypeRef::Primitive(_) | TypeRef::Unit => ValueShape::Primitive,
        TypeRef::Any => ValueShape::Any,
        // The runtime leaves `null` members out, so a nullable item is sent as its value.
        TypeRef::Nullable(inner) => value_shape_flat(types, inner),
        TypeRef::Named(name) => match types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Enum { .. } | TypeKind::IntEnum { .. }) => ValueShape::Primitive,
            Some(TypeKind::Union { .. }) | None => ValueShape::Any,
            Some(_) => ValueShape::Nested,
        },
        _ => ValueShape::Nested,
    }
}

/// Records the combinations of style and value that the OpenAPI style
/// table leaves undefined, with what the runtime sends instead.
pub(crate) fn note_style_gaps(types: &mut TypeBuilder<'_>, at: &str, name: &str, style: ParamStyle, shape: ValueShape) {
    if style.json {
        return;
    }
    let style_name = match style.style {
        Style::Simple => "simple",
        Style::Label => "label",
        Style::Matrix => "matrix",
        Style::Form => "form",
        Style::SpaceDelimited => "spaceDelimited",
        Style::PipeDelimited => "pipeDelimited",
        Style::DeepObject => "deepObject",
    };
    let delimited = matches!(style.style, Style::SpaceDelimited | Style::PipeDelimited);
    let message = match (style.style, shape) {
        (Style::DeepObject, ValueShape::Primitive)
        | (Style::SpaceDelimited | Style::PipeDelimited, ValueShape::Primitive) => Some(format!(
            "`{name}` is a primitive, for which `{style_name}` is undefined; it is sent as `{name}=value`"
        )),
        (Style::DeepObject, _) if !style.explode => Some(format!(
            "`{name}` uses `deepObject` with `explode: false`, which is undefined; it is sent exploded (`{name}[key]=value`)"
        )),
        (Style::DeepObject, _) => None,
        (_, ValueShape::Array | ValueShape::Object) if delimited && style.explode => Some(format!(
            "`{name}` uses `{style_name}` with `explode: true`, which is undefined; it is sent as repeated `name=value` pairs"
        )),
        (_, ValueShape::Nested) => Some(format!(
            "`{name}` holds arrays or objects inside an array or object, which `{style_name}` does not define; they are sent as JSON text"
        )),
        _ => None,
    };
    if let Some(message) = message {
        types.inexact(at, message);
    }
}

/// A parameter's description; without one, what its schema says about its
/// values (the fallback names the parameter later).
fn parameter_docs(types: &TypeBuilder<'_>, data: &ParameterData, at: &str) -> String {
    let described = docs::join(&[data.description.as_deref()]);
    if !described.is_empty() {
        return described;
    }
    let ParameterSchemaOrContent::Schema(schema) = &data.format else {
        return described;
    };
    match types.schema_behind(schema.as_ref_or(), at).ok().and_then(docs::facts) {
        Some(facts) => docs::sanitize(&format!("The `{}` parameter: {facts}.", data.name)),
        None => described,
    }
}
