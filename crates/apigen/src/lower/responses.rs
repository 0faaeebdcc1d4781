//! Lowering of an operation's responses: which statuses are successes and
//! which are errors, what each body decodes into, and what a successful call
//! returns.
//!
//! Precedence follows OpenAPI: an exact code wins over its `NXX` range, and a
//! range over `default`. `default` answers the statuses nothing else lists:
//! it is always the error for those outside 2xx, and it is the success too
//! when the operation documents no 2xx status (the usual "default: successful
//! operation"). When the operation documents a success, an unlisted 2xx
//! status is reported as unexpected rather than decoded as the `default`
//! error, because a 2xx is never a failure of the call. An operation that
//! documents no success at all (no responses, or only errors) succeeds on any
//! 2xx status with no body, for the same reason.

use openapiv3::{ReferenceOr, Response, StatusCode};

use super::Context;
use super::body::{Direction, body_type, pick_media, sent_media_type};
use super::docs;
use super::operation::Found;
use super::schema::TypeBuilder;
use crate::error::{Result, pointer_push};
use crate::ir::{
    BodyEncoding, ErrorResponse, ResponseStatus, StatusVariant, SuccessResponse, SuccessType, TypeDef, TypeKind,
    TypeRef,
};
use crate::naming;

/// The responses of one operation, lowered.
pub(crate) struct Responses {
    /// Successes in match order (codes, then the `2XX` range or `default`).
    pub successes: Vec<SuccessResponse>,
    /// What a successful call returns.
    pub success_type: SuccessType,
    /// Errors in match order (codes, then ranges, then `default`).
    pub errors: Vec<ErrorResponse>,
    /// The media types the client decodes, in document order without
    /// repeats: what the request's `Accept` header asks for.
    pub accept: Vec<String>,
    /// The document describes no success response (`successes` holds the
    /// stand-in that accepts any 2xx status).
    pub no_documented_success: bool,
}

/// One documented response, resolved, with where it is.
struct Documented<'a> {
    status: ResponseStatus,
    at: String,
    response: &'a Response,
}

/// What a documented status is for the generated client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Success,
    Error,
    /// `default` when no 2xx status is documented: any unlisted 2xx is a
    /// success with this body, any other unlisted status an error with it.
    SuccessAndError,
    /// 1xx: the HTTP stack consumes interim responses, and the client cannot
    /// switch protocols, so these never reach the decoder as documented.
    Informational,
}

/// The role of `status` in an operation that documents a 2xx status
/// (`documents_success`) or, failing that, a 3xx one (`documents_redirect`).
///
/// An operation whose only answers besides errors are redirects (a download
/// link sent as `307` with a `Location`) succeeds with the redirect: the
/// client does not follow redirects, so the caller reads it as the result.
fn role(status: ResponseStatus, documents_success: bool, documents_redirect: bool) -> Role {
    match status {
        ResponseStatus::Code(100..=199) | ResponseStatus::Range(1) => Role::Informational,
        ResponseStatus::Code(200..=299) | ResponseStatus::Range(2) => Role::Success,
        ResponseStatus::Code(300..=399) | ResponseStatus::Range(3) if !documents_success => Role::Success,
        ResponseStatus::Default if !documents_success && !documents_redirect => Role::SuccessAndError,
        _ => Role::Error,
    }
}

pub(crate) fn lower_responses(
    cx: &Context<'_>,
    types: &mut TypeBuilder<'_>,
    found: &Found<'_>,
    type_base: &str,
) -> Result<Responses> {
    let documented = documented(cx, types, found)?;
    let documents_success = documented.iter().any(|d| role(d.status, true, false) == Role::Success);
    let documents_redirect = documented
        .iter()
        .any(|d| matches!(d.status, ResponseStatus::Code(300..=399) | ResponseStatus::Range(3)));
    let role = |status| role(status, documents_success, documents_redirect);
    let success_count = documented
        .iter()
        .filter(|d| matches!(role(d.status), Role::Success | Role::SuccessAndError))
        .count();

    let mut successes = Vec::new();
    let mut errors = Vec::new();
    let mut accept = Vec::new();
    for Documented { status, at, response } in documented {
        let role = role(status);
        if role == Role::Informational {
            types.inexact(
                &at,
                "informational (1xx) responses are not supported: the HTTP stack consumes interim ones and the \
                 client cannot switch protocols, so such a status is treated as undocumented",
            );
            continue;
        }
        let is_success = matches!(role, Role::Success | Role::SuccessAndError);
        let hint = match status {
            _ if is_success && success_count == 1 => format!("{type_base}Response"),
            ResponseStatus::Default => format!("{type_base}Response Default"),
            status => format!("{type_base}Response{status}"),
        };
        let (encoding, ty, media_type) = body(cx, types, response, &hint, &at)?;
        if let Some(media_type) = media_type.filter(|media_type| !accept.contains(media_type)) {
            accept.push(media_type);
        }
        note_headers(types, response, &at);
        let headers: Vec<String> = response.headers.keys().cloned().collect();
        let docs = docs::join(&[Some(response.description.as_str())]);
        if is_success {
            successes.push(SuccessResponse {
                status,
                encoding,
                ty: ty.clone(),
                headers: headers.clone(),
                docs: docs.clone(),
            });
        }
        if matches!(role, Role::Error | Role::SuccessAndError) {
            let variant = variant(status, naming::status_variant);
            errors.push(ErrorResponse {
                status,
                respond_method: naming::respond_method(&variant),
                variant,
                ty,
                encoding,
                headers,
                docs,
            });
        }
    }
    let no_documented_success = successes.is_empty();
    if no_documented_success {
        successes.push(SuccessResponse {
            status: ResponseStatus::Range(2),
            encoding: BodyEncoding::Empty,
            ty: TypeRef::Unit,
            headers: Vec::new(),
            docs: "Any 2xx status: the document describes no success response, so the body is ignored.".into(),
        });
    }
    let success_type = success_type(types, &successes, type_base);
    Ok(Responses {
        successes,
        success_type,
        errors,
        accept,
        no_documented_success,
    })
}

/// The documented responses in precedence order, references resolved.
fn documented<'a>(cx: &Context<'a>, types: &mut TypeBuilder<'_>, found: &Found<'a>) -> Result<Vec<Documented<'a>>> {
    let responses_at = pointer_push(&found.pointer, "responses");
    let spec = &found.operation.responses;
    let mut documented = Vec::new();
    for (status, response) in &spec.responses {
        let status = match status {
            StatusCode::Code(code) => ResponseStatus::Code(*code),
            StatusCode::Range(class) => match u8::try_from(*class) {
                Ok(class @ 1..=5) => ResponseStatus::Range(class),
                _ => {
                    types.inexact(
                        &pointer_push(&responses_at, &format!("{class}XX")),
                        "only `1XX` to `5XX` are status ranges; this one is treated as undocumented",
                    );
                    continue;
                }
            },
        };
        let at = pointer_push(&responses_at, &status.to_string());
        let response = resolve(cx, response, &at)?;
        documented.push(Documented { status, at, response });
    }
    if let Some(response) = &spec.default {
        let at = pointer_push(&responses_at, "default");
        let response = resolve(cx, response, &at)?;
        documented.push(Documented {
            status: ResponseStatus::Default,
            at,
            response,
        });
    }
    documented.sort_by_key(|d| d.status);
    Ok(documented)
}

fn resolve<'a>(cx: &Context<'a>, response: &'a ReferenceOr<Response>, at: &str) -> Result<&'a Response> {
    super::refs::follow(cx.file, "responses", cx.components.map(|c| &c.responses), response, at)
}

/// How the body of one response is read, and its type. Only one media type
/// is decoded; the others are listed as inexact.
fn body(
    cx: &Context<'_>,
    types: &mut TypeBuilder<'_>,
    response: &Response,
    hint: &str,
    at: &str,
) -> Result<(BodyEncoding, TypeRef, Option<String>)> {
    let Some((media_type, media)) = pick_media(&response.content) else {
        return Ok((BodyEncoding::Empty, TypeRef::Unit, None));
    };
    let content_at = pointer_push(at, "content");
    for other in response.content.keys().filter(|m| *m != media_type) {
        types.inexact(
            &pointer_push(&content_at, other),
            format!("response media type `{other}` is not asked for or decoded; `{media_type}` is"),
        );
    }
    let (encoding, ty) = body_type(types, media_type, media, hint, at, Direction::Response)?;
    types.note_media_examples(cx.components, media, &ty, &pointer_push(&content_at, media_type));
    // Only a media type that is a valid header value can be asked for.
    let accepted = sent_media_type(media_type, encoding);
    let accepted = accepted
        .bytes()
        .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
        .then_some(accepted);
    Ok((encoding, ty, accepted))
}

/// Response headers stay readable through `headers()`, but untyped. (Links,
/// which the client does not follow, are reported by the audit.)
fn note_headers(types: &mut TypeBuilder<'_>, response: &Response, at: &str) {
    // OpenAPI says a documented `Content-Type` header is ignored, so
    // ignoring it is exact.
    let headers: Vec<&str> = response
        .headers
        .keys()
        .map(String::as_str)
        .filter(|name| !name.eq_ignore_ascii_case("content-type"))
        .collect();
    if !headers.is_empty() {
        // One entry per response: APIs repeat the same headers (rate
        // limits, CORS) on every response, and one line each would bury
        // everything else in the list.
        types.inexact(
            &pointer_push(at, "headers"),
            format!(
                "response headers `{}` are not decoded into typed values; read them from the response's `headers()`",
                headers.join("`, `")
            ),
        );
    }
}

/// The variant name for a status: `code_variant` names exact codes.
fn variant(status: ResponseStatus, code_variant: fn(u16) -> String) -> String {
    match status {
        ResponseStatus::Code(code) => code_variant(code),
        ResponseStatus::Range(class) => naming::status_range_variant(class),
        ResponseStatus::Default => naming::DEFAULT_RESPONSE_VARIANT.to_owned(),
    }
}

fn success_type(types: &mut TypeBuilder<'_>, successes: &[SuccessResponse], type_base: &str) -> SuccessType {
    match successes {
        [] => return SuccessType::Single(TypeRef::Unit),
        [first, rest @ ..] if rest.iter().all(|s| s.ty == first.ty && s.encoding == first.encoding) => {
            return SuccessType::Single(first.ty.clone());
        }
        _ => {}
    }
    let name = types.claim_name(&format!("{type_base}Success"));
    let variants = successes
        .iter()
        .map(|s| StatusVariant {
            rust_name: variant(s.status, naming::success_variant),
            status: s.status,
            encoding: s.encoding,
            ty: s.ty.clone(),
            docs: s.docs.clone(),
        })
        .collect();
    types.defs.insert(
        name.clone(),
        TypeDef::new(
            name.clone(),
            String::new(),
            "The body of a successful response, which depends on the status.".into(),
            TypeKind::StatusEnum { variants },
        ),
    );
    SuccessType::PerStatus { name }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_follow_the_status_and_whether_a_success_is_documented() {
        assert_eq!(role(ResponseStatus::Code(204), true, false), Role::Success);
        assert_eq!(role(ResponseStatus::Range(2), true, false), Role::Success);
        assert_eq!(role(ResponseStatus::Code(304), true, true), Role::Error);
        assert_eq!(role(ResponseStatus::Code(307), false, true), Role::Success);
        assert_eq!(role(ResponseStatus::Range(5), false, false), Role::Error);
        assert_eq!(role(ResponseStatus::Code(101), false, false), Role::Informational);
        assert_eq!(role(ResponseStatus::Range(1), true, false), Role::Informational);
        assert_eq!(role(ResponseStatus::Default, true, false), Role::Error);
        assert_eq!(role(ResponseStatus::Default, false, false), Role::SuccessAndError);
        assert_eq!(role(ResponseStatus::Default, false, true), Role::Error);
    }

    #[test]
    fn statuses_sort_in_precedence_order() {
        let mut statuses = [
            ResponseStatus::Default,
            ResponseStatus::Range(4),
            ResponseStatus::Code(404),
            ResponseStatus::Range(2),
            ResponseStatus::Code(200),
        ];
        statuses.sort();
        let written: Vec<String> = statuses.iter().map(ToString::to_string).collect();
        assert_eq!(written, ["200", "404", "2XX", "4XX", "default"]);
    }
}
