//! Lowering of one operation: its path template, parameters and body; its
//! responses are lowered by `responses`.

use openapiv3::{Operation as SpecOperation, Parameter, ReferenceOr};

use super::Context;
use super::body::{Direction, body_type, pick_media, sent_media_type};
use super::docs;
use super::params::{Parameters, RESERVED_PARAM_NAMES, parameters};
use super::resolve::resolve_alias;
use super::responses;
use super::sample::Sampled;
use super::schema::TypeBuilder;
use super::url_form::url_form_fields;
use super::version;
use crate::error::{Error, Result, pointer_push};
use crate::ir::{
    BodyAlternative, BodyEncoding, CallSample, HttpMethod, Operation, Param, ParamLocation, PathPart, RequestBody,
    TypeKind, TypeRef, UrlFormField,
};
use crate::naming::{self, Scope};

/// One operation as found in the document, before lowering.
pub(crate) struct Found<'a> {
    pub id: String,
    pub method: HttpMethod,
    pub path: &'a str,
    pub pointer: String,
    pub operation: &'a SpecOperation,
    pub path_params: &'a [ReferenceOr<Parameter>],
}

pub(crate) fn lower_operation(cx: &Context<'_>, types: &mut TypeBuilder<'_>, found: &Found<'_>) -> Result<Operation> {
    let op = found.operation;
    let type_base = naming::type_name(&found.id);
    let Parameters {
        params,
        demands_beta: header_demands_beta,
        samples,
    } = parameters(cx, types, found, &type_base)?;
    // Some documents tell two operations on one URL apart with a `#...`
    // suffix on the path. That part is a URL fragment, which HTTP never
    // sends, so the request goes to the path before it.
    let (sent_path, fragment) = match found.path.split_once('#') {
        Some((sent, fragment)) => (sent, Some(fragment)),
        None => (found.path, None),
    };
    if let Some(fragment) = fragment {
        types.inexact(
            &found.pointer,
            format!("the path's `#{fragment}` is a URL fragment, which is never sent: requests go to `{sent_path}`"),
        );
    }
    let path = split_template(cx, found, sent_path, &params)?;
    let (body, body_sample) = match &op.request_body {
        Some(body) => request_body(cx, types, found, body, &type_base, &params)?,
        None => (None, None),
    };
    let mut sample = call_sample(samples, body.as_ref(), body_sample);
    let responses = responses::lower_responses(cx, types, found, &type_base)?;
    if fragment.is_some() {
        sample.unsupported = Some(format!(
            "the request goes to `{sent_path}` (the rest of the path is a URL fragment), which a mock \
             answers as the operation documented there"
        ));
    }
    if responses.no_documented_success {
        sample.unsupported = Some("the document describes no success response, so no answer can pass".into());
    }
    let beta = header_demands_beta || version::documented_beta(cx, found);
    let accept = accept_header(types, &params, &responses.accept);
    Ok(Operation {
        id: found.id.clone(),
        pointer: found.pointer.clone(),
        method_name: naming::method_name(&found.id),
        mock_method: naming::mock_method(&naming::method_name(&found.id)),
        builder_name: naming::operation_type_name(&found.id, "Request"),
        error_name: naming::operation_type_name(&found.id, "Error"),
        // Decided once every operation exists (`error_enums::share`).
        error_enum: String::new(),
        mock_name: naming::operation_type_name(&found.id, "Mock"),
        static_name: naming::operation_static_name(&found.id),
        method: found.method,
        path_template: found.path.to_owned(),
        path,
        params,
        body,
        patch_root: None,
        successes: responses.successes,
        success_type: responses.success_type,
        errors: responses.errors,
        accept,
        deprecated: op.deprecated,
        beta,
        security: Vec::new(),
        tags: op.tags.clone(),
        // Decided once every operation exists (`usage::assign_features`).
        gate: crate::ir::FeatureGate::default(),
        pagination: None,
        unpaged: None,
        docs: docs::join(&[op.summary.as_deref(), op.description.as_deref()]),
        sample,
    })
}

/// The conformance harness's call: the parameters' samples as arguments,
/// and the body's when it can be written as JSON.
fn call_sample(parameters: Vec<Sampled>, body: Option<&RequestBody>, body_sample: Option<Sampled>) -> CallSample {
    let mut sample = CallSample::default();
    for parameter in parameters {
        sample.arguments.push(parameter.value);
        sample.synthesised.extend(parameter.synthesised);
    }
    if let (Some(body), Some(body_sample)) = (body, body_sample) {
        let media = body.media_type.to_ascii_lowercase();
        if body.encoding == BodyEncoding::Binary
            && (media.starts_with("multipart/") || media.starts_with("application/x-www-form-urlencoded"))
        {
            // The caller encodes such a form (its schema gives no fields),
            // and bytes made up here would not be one.
            sample.unsupported = Some(format!(
                "the body is `{}` that the caller encodes, which the harness does not make up",
                body.media_type
            ));
        } else if body.encoding != BodyEncoding::Empty {
            // A multipart form takes its fields from the object; files and
            // binary bodies are sent as a few fixed bytes.
            sample.body = Some(body_sample.value);
            sample.synthesised.extend(body_sample.synthesised);
        }
    }
    sample
}

/// A literal part of a path template as it goes on the wire: characters a
/// URL path cannot hold as they are (a space, `<`, `>`, `"`, non-ASCII
/// letters) are percent-encoded, as RFC 3986 requires; DigitalOcean writes
/// `/<upload_url>`. Everything a path may hold, `%` included, stays, and so
/// does `?`: OpenAI writes a fixed query into some path keys
/// (`/responses/{id}/cancel?beta=true`), and it must reach the server as one.
fn encode_literal(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/%?".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

fn split_template(cx: &Context<'_>, found: &Found<'_>, template: &str, params: &[Param]) -> Result<Vec<PathPart>> {
    let mut parts = Vec::new();
    let mut rest = template;
    let mut used = Vec::new();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        if open > 0 {
            parts.push(PathPart::Literal(encode_literal(&rest[..open])));
        }
        let name = &rest[open + 1..close];
        let index = params
            .iter()
            .position(|p| p.location == ParamLocation::Path && p.wire_name == name)
            .ok_or_else(|| Error::Invalid {
                location: cx.location(&found.pointer),
                message: format!(
                    "path template `{}` names `{{{name}}}`, but no path parameter `{name}` is declared",
                    found.path
                ),
                hint: format!("declare `{name}` with `in: path` on the operation or its path item"),
            })?;
        used.push(index);
        parts.push(PathPart::Param(index));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(encode_literal(rest)));
    }
    if let Some(unused) = params
        .iter()
        .enumerate()
        .find(|(i, p)| p.location == ParamLocation::Path && !used.contains(i))
    {
        return Err(Error::Invalid {
            location: cx.location(&pointer_push(&found.pointer, "parameters")),
            message: format!(
                "path parameter `{}` does not appear in the path template `{}`",
                unused.1.wire_name, found.path
            ),
            hint: format!(
                "add `{{{}}}` to the path or change the parameter's `in`",
                unused.1.wire_name
            ),
        });
    }
    Ok(parts)
}

fn request_body(
    cx: &Context<'_>,
    types: &mut TypeBuilder<'_>,
    found: &Found<'_>,
    body: &ReferenceOr<openapiv3::RequestBody>,
    type_base: &str,
    params: &[Param],
) -> Result<(Option<RequestBody>, Option<Sampled>)> {
    let at = pointer_push(&found.pointer, "requestBody");
    let body = super::refs::follow(
        cx.file,
        "requestBodies",
        cx.components.map(|c| &c.request_bodies),
        body,
        &at,
    )?;
    let Some((media_type, media)) = pick_media(&body.content) else {
        return Ok((None, None));
    };
    let hint = format!("{type_base}Request");
    let (encoding, ty) = body_type(types, media_type, media, &hint, &at, Direction::Request)?;
    let content_at = pointer_push(&at, "content");
    types.note_media_examples(cx.components, media, &ty, &pointer_push(&content_at, media_type));
    let url_form = url_form_of(types, encoding, media, &ty, &pointer_push(&content_at, media_type));
    let sample = types.sample_media(cx.components, media, &pointer_push(&content_at, media_type));

    // Every other media type gets its own setter, named after it; the names
    // must not clash with the builder's other methods.
    let mut scope = Scope::with_reserved(RESERVED_PARAM_NAMES);
    for name in ["comment", "body"]
        .into_iter()
        .chain(params.iter().map(|p| p.rust_name.as_str()))
    {
        scope.claim(name.to_owned());
    }
    let mut alternatives = Vec::new();
    for (other, other_media) in body.content.iter().filter(|(m, _)| *m != media_type) {
        let setter = scope.claim(naming::media_type_setter(other));
        let hint = format!("{type_base} {setter} Request");
        let (encoding, ty) = body_type(types, other, other_media, &hint, &at, Direction::Request)?;
        types.note_media_examples(cx.components, other_media, &ty, &pointer_push(&content_at, other));
        let url_form = url_form_of(types, encoding, other_media, &ty, &pointer_push(&content_at, other));
        alternatives.push(BodyAlternative {
            docs: format!("Sends the body as `{other}` instead of `{media_type}` (what `body` sends)."),
            setter,
            media_type: sent_media_type(other, encoding),
            encoding,
            ty,
            url_form,
        });
    }
    let mut docs = docs::join(&[body.description.as_deref()]);
    if docs.is_empty() && alternatives.is_empty() {
        docs = format!("The request body, sent as `{media_type}`.");
    }
    if !alternatives.is_empty() {
        let setters: Vec<String> = alternatives
            .iter()
            .map(|alt| format!("`{}` (`{}`)", alt.setter, alt.media_type))
            .collect();
        if !docs.is_empty() {
            docs.push_str("\n\n");
        }
        docs.push_str(&format!(
            "Sent as `{media_type}`. The operation also takes {}; set one of them{}.",
            setters.join(", "),
            if body.required {
                ", as the API requires a body"
            } else {
                ""
            },
        ));
    }
    let lowered = RequestBody {
        media_type: sent_media_type(media_type, encoding),
        encoding,
        ty,
        // With alternatives, every body is a setter: a caller sending one
        // of them must not have to make up this one.
        argument: body.required && alternatives.is_empty(),
        docs,
        patch: None,
        url_form,
        alternatives,
    };
    Ok((Some(lowered), Some(sample)))
}

/// The per-property styles of a URL-encoded form body (none for other encodings).
fn url_form_of(
    types: &mut TypeBuilder<'_>,
    encoding: BodyEncoding,
    media: &openapiv3::MediaType,
    ty: &TypeRef,
    at: &str,
) -> Vec<UrlFormField> {
    if encoding == BodyEncoding::UrlForm {
        url_form_fields(types, media, ty, at)
    } else {
        Vec::new()
    }
}

/// The `Accept` header the client sends: the media types it decodes. When
/// the operation also takes `Accept` as a header parameter, a value the
/// caller sets replaces this one; with an `enum`, the client sends the
/// first listed value it can decode, or nothing when it can decode none.
fn accept_header(types: &TypeBuilder<'_>, params: &[Param], decoded: &[String]) -> Option<String> {
    if decoded.is_empty() {
        return None;
    }
    let joined = decoded.join(", ");
    let Some(param) = params
        .iter()
        .find(|p| p.location == ParamLocation::Header && p.wire_name.eq_ignore_ascii_case("accept"))
    else {
        return Some(joined);
    };
    let TypeRef::Named(name) = resolve_alias(&types.defs, &param.ty) else {
        return Some(joined);
    };
    match types.defs.get(name).map(|def| &def.kind) {
        Some(TypeKind::Enum { variants }) => variants
            .iter()
            .map(|variant| &variant.wire_value)
            .find(|allowed| **allowed == joined || decoded.contains(allowed))
            .cloned(),
        _ => Some(joined),
    }
}

#[cfg(test)]
mod tests {
    use super::encode_literal;

    #[test]
    fn literal_path_text_that_a_url_cannot_hold_is_percent_encoded() {
        assert_eq!(encode_literal("/<upload_url>"), "/%3Cupload_url%3E");
        assert_eq!(encode_literal("/files/a b"), "/files/a%20b");
        assert_eq!(encode_literal("/café"), "/caf%C3%A9");
        assert_eq!(encode_literal("/cancel?beta=true"), "/cancel?beta=true");
        assert_eq!(
            encode_literal("/api/v2/flags:search/@me/~x/%41"),
            "/api/v2/flags:search/@me/~x/%41"
        );
    }
}
