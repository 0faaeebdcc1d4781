//! Emits `operations.rs`: the client methods, one request builder per
//! operation, and the code that maps each status to a typed result.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

use super::split::Part;
use super::tokens::{docs, ident, type_tokens};
use crate::ir::{
    Api, BodyAlternative, BodyEncoding, FeatureGate, HttpMethod, Operation, Param, ParamLocation, ParamStyle,
    ParamWire, PathPart, Primitive, RequestBody, ResponseStatus, RuntimeType, Style, SuccessType, TypeKind, TypeRef,
    UrlFormField,
};

/// The gates of the items of `operations.rs`: each operation is compiled
/// with the features of its tags.
pub(super) fn gates(api: &Api) -> impl Iterator<Item = &FeatureGate> {
    api.operations.iter().map(|op| &op.gate)
}

/// The operations that `part` holds: their descriptions, client methods and
/// request builders.
pub(crate) fn operations_file(api: &Api, part: &Part<'_>) -> TokenStream {
    let operations: Vec<&Operation> = api.operations.iter().filter(|op| part.holds(&op.gate)).collect();
    let statics = operations.iter().map(|op| part.gated(&op.gate, operation_static(op)));
    let methods: Vec<TokenStream> = operations
        .iter()
        .map(|op| part.gated(&op.gate, client_method(api, op)))
        .collect();
    let builders = operations.iter().map(|op| part.gated(&op.gate, builder(api, op)));
    // Inherent impls may sit in any module of the crate; a part without
    // operations has none.
    let client_impl = (!methods.is_empty()).then(|| {
        quote! {
            impl crate::Client {
                #( #methods )*
            }
        }
    });
    if let Part::Feature(_) | Part::Group(_) = part {
        return quote! {
            #( #statics )*
            #client_impl
            #( #builders )*
        };
    }
    quote! {
        //! One request builder per operation. Create them with the methods of
        //! [`Client`](crate::Client), set optional parameters, then `.await` them
        //! (or call `send`).
        //!
        //! When the server's answer does not match the spec, nothing is lost:
        //! a body that does not decode gives a `Decode` error that keeps the
        //! status, headers and body bytes; `send_raw` returns the response as
        //! it arrived, whatever its status; and `send_as` decodes a 2xx body
        //! into a type of your choosing, such as `serde_json::Value`. All three
        //! send the request the same way (auth, retries, pacing, timeouts).
        #( #statics )*
        #client_impl
        #( #builders )*
    }
}

fn method_tokens(method: HttpMethod) -> TokenStream {
    let variant = ident(match method {
        HttpMethod::Get => "Get",
        HttpMethod::Put => "Put",
        HttpMethod::Post => "Post",
        HttpMethod::Delete => "Delete",
        HttpMethod::Options => "Options",
        HttpMethod::Head => "Head",
        HttpMethod::Patch => "Patch",
        HttpMethod::Trace => "Trace",
    });
    quote! { ::apigen_runtime::HttpMethod::#variant }
}

fn operation_static(op: &Operation) -> TokenStream {
    let name = ident(&op.static_name);
    let id = &op.id;
    let method = method_tokens(op.method);
    let template = &op.path_template;
    quote! {
        pub(crate) static #name: ::apigen_runtime::OperationInfo = ::apigen_runtime::OperationInfo {
            id: #id,
            method: #method,
            path_template: #template,
        };
    }
}

/// Whether a parameter is a positional argument of the client method.
fn is_argument(param: &Param) -> bool {
    param.required
}

fn body_is_argument(op: &Operation) -> bool {
    op.body.as_ref().is_some_and(|body| body.argument)
}

/// What the body argument or setter accepts, how that becomes the stored
/// body, and the stored body's type. JSON Patch bodies accept anything that
/// is a patch of the operation's resource (`IntoPatch<Resource>`).
fn body_input(op: &Operation, body: &RequestBody) -> (TokenStream, TokenStream, TokenStream) {
    match body.patch {
        Some(_) => {
            let root = op
                .patch_root
                .as_ref()
                .map_or_else(|| quote! { ::serde_json::Value }, type_tokens);
            (
                quote! { impl ::apigen_runtime::patch::IntoPatch<#root> },
                quote! { ::apigen_runtime::patch::IntoPatch::<#root>::into_patch },
                quote! { ::apigen_runtime::patch::JsonPatch },
            )
        }
        None => {
            let ty = type_tokens(&body.ty);
            (
                quote! { impl ::std::convert::Into<#ty> },
                quote! { ::std::convert::Into::<#ty>::into },
                ty,
            )
        }
    }
}

/// The operation's alternative request bodies (other media types).
fn alternatives(op: &Operation) -> impl Iterator<Item = &BodyAlternative> {
    op.body.iter().flat_map(|body| body.alternatives.iter())
}

fn has_comment(op: &Operation) -> bool {
    op.body
        .as_ref()
        .is_some_and(|body| body.patch == Some(RuntimeType::PatchWithComment))
}

fn success_tokens(op: &Operation) -> TokenStream {
    match &op.success_type {
        SuccessType::Single(ty) => type_tokens(ty),
        SuccessType::PerStatus { name } => type_tokens(&TypeRef::Named(name.clone())),
    }
}

fn client_method(api: &Api, op: &Operation) -> TokenStream {
    let method = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let mut doc = op.docs.clone();
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&format!(
        "`{} {}` (operation `{}`).",
        op.method.as_str(),
        op.path_template,
        op.id
    ));
    let mut headers: Vec<&str> = Vec::new();
    for name in op.successes.iter().flat_map(|s| &s.headers) {
        if !name.eq_ignore_ascii_case("content-type") && !headers.contains(&name.as_str()) {
            headers.push(name);
        }
    }
    if !headers.is_empty() {
        doc.push_str(&format!(
            " Documented response headers, read through `headers()`: `{}`.",
            headers.join("`, `")
        ));
    }
    if op.beta {
        if let Some(version) = &api.version_header {
            if let Some(beta) = &version.beta {
                doc.push_str(&format!(
                    " This operation is in beta: it is sent with `{}: {beta}`.",
                    version.header
                ));
            }
        }
    }
    let doc = docs(&doc);
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    let args = op.params.iter().filter(|p| is_argument(p)).map(|p| {
        let name = ident(&p.rust_name);
        let ty = type_tokens(&p.ty);
        quote! { #name: impl ::std::convert::Into<#ty> }
    });
    let body_arg = op.body.as_ref().filter(|body| body.argument).map(|body| {
        let (input, _, _) = body_input(op, body);
        quote! { body: #input }
    });
    let inits = op.params.iter().map(|p| {
        let name = ident(&p.rust_name);
        if is_argument(p) {
            quote! { #name: #name.into(), }
        } else {
            quote! { #name: ::std::option::Option::None, }
        }
    });
    let comment_init = has_comment(op).then(|| quote! { comment: ::std::option::Option::None, });
    let alternative_inits = alternatives(op).map(|alt| {
        let field = ident(&alt.setter);
        quote! { #field: ::std::option::Option::None, }
    });
    let body_init = op.body.as_ref().map(|body| {
        let (_, convert, _) = body_input(op, body);
        if body_is_argument(op) {
            quote! { body: #convert(body), }
        } else {
            quote! { body: ::std::option::Option::None, }
        }
    });
    let beta = beta_options(api, op);
    quote! {
        #doc
        #deprecated
        pub fn #method(&self, #( #args, )* #body_arg) -> crate::operations::#builder {
            crate::operations::#builder {
                client: self.clone(),
                #( #inits )*
                #body_init
                #comment_init
                #( #alternative_inits )*
                options: #beta,
            }
        }
    }
}

pub(super) fn beta_options(api: &Api, op: &Operation) -> TokenStream {
    match (
        api.version_header.as_ref().and_then(|version| version.beta.as_deref()),
        op.beta,
    ) {
        (Some(beta), true) => quote! { ::apigen_runtime::RequestOptions::default().api_version(#beta) },
        _ => quote! { ::apigen_runtime::RequestOptions::default() },
    }
}

fn builder(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.builder_name);
    let error = ident(&op.error_name);
    let success = success_tokens(op);
    let method = &op.method_name;
    let doc = format!(" Request builder for [`Client::{method}`](crate::Client::{method}); `.await` it to send.");
    let fields = op.params.iter().map(|p| {
        let field = ident(&p.rust_name);
        let ty = type_tokens(&p.ty);
        if is_argument(p) {
            quote! { #field: #ty, }
        } else {
            quote! { #field: ::std::option::Option<#ty>, }
        }
    });
    let comment_field = has_comment(op).then(|| quote! { comment: ::std::option::Option<::std::string::String>, });
    let alternative_fields = alternatives(op).map(|alt| {
        let field = ident(&alt.setter);
        let ty = type_tokens(&alt.ty);
        quote! { #field: ::std::option::Option<#ty>, }
    });
    let alternative_setters = alternatives(op).map(|alt| {
        let field = ident(&alt.setter);
        let ty = type_tokens(&alt.ty);
        let doc = docs(&alt.docs);
        quote! {
            #doc
            pub fn #field(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                self.#field = ::std::option::Option::Some(value.into());
                self
            }
        }
    });
    let comment_setter = has_comment(op).then(|| {
        quote! {
            /// A comment for the audit log, sent with the patch as `{"comment": ..., "patch": [...]}`.
            pub fn comment(mut self, comment: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.comment = ::std::option::Option::Some(comment.into());
                self
            }
        }
    });
    let body_field = op.body.as_ref().map(|body| {
        let (_, _, ty) = body_input(op, body);
        if body.argument {
            quote! { body: #ty, }
        } else {
            quote! { body: ::std::option::Option<#ty>, }
        }
    });
    let setters = op.params.iter().filter(|p| !is_argument(p)).map(|p| {
        let field = ident(&p.rust_name);
        let ty = type_tokens(&p.ty);
        let doc = docs(&p.docs);
        let deprecated = p.deprecated.then(|| quote! { #[deprecated] });
        let option_setter = p.option_setter.as_ref().map(|name| {
            let name = ident(name);
            let doc = format!(
                " Sets or clears `{}`: [`Self::{}`] for a value that may be absent.",
                p.wire_name, p.rust_name
            );
            quote! {
                #[doc = #doc]
                #deprecated
                pub fn #name(mut self, value: ::std::option::Option<#ty>) -> Self {
                    self.#field = value;
                    self
                }
            }
        });
        quote! {
            #doc
            #deprecated
            pub fn #field(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                self.#field = ::std::option::Option::Some(value.into());
                self
            }
            #option_setter
        }
    });
    let body_setter = op.body.as_ref().filter(|b| !b.argument).map(|body| {
        let (input, convert, _) = body_input(op, body);
        let doc = docs(&body.docs);
        quote! {
            #doc
            pub fn body(mut self, value: #input) -> Self {
                self.body = ::std::option::Option::Some(#convert(value));
                self
            }
        }
    });
    let version_setter = api.version_header.as_ref().map(|version| {
        let doc = format!(
            " Sends `{}: <version>` on this call instead of the client's default.",
            version.header
        );
        quote! {
            #[doc = #doc]
            pub fn api_version(mut self, version: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.options = self.options.api_version(version);
                self
            }
        }
    });
    let send = send_body(op);
    let success_arms = success_arms(api, op);
    // A pageable builder is cloned to ask for each next page.
    let derives = if op.pagination.is_some() {
        quote! { #[derive(Debug, Clone)] }
    } else {
        quote! { #[derive(Debug)] }
    };
    let paging = super::pagination::methods(op);
    let paginated = super::pagination::paginated_impl(op, &success);
    quote! {
        #[doc = #doc]
        #derives
        #[must_use = "a request does nothing until it is awaited"]
        pub struct #name {
            client: crate::Client,
            #( #fields )*
            #body_field
            #comment_field
            #( #alternative_fields )*
            options: ::apigen_runtime::RequestOptions,
        }

        impl #name {
            #( #setters )*
            #body_setter
            #comment_setter
            #( #alternative_setters )*
            #version_setter
            #paging
            /// Replaces the per-call options (API version, retries, ...).
            pub fn options(mut self, options: ::apigen_runtime::RequestOptions) -> Self {
                self.options = options;
                self
            }

            /// Sends the request and decodes the response. The request is assembled when this is
            /// called and sent when the returned future is first polled.
            pub fn send(self) -> ::apigen_runtime::SendAndDecode<::apigen_runtime::Response<#success>, crate::errors::#error> {
                ::apigen_runtime::send_and_decode(self.send_raw(), Self::decode)
            }

            /// Sends the request and returns the response as it arrived, whatever its status.
            pub fn send_raw(self) -> ::apigen_runtime::SendRaw {
                ::apigen_runtime::send_request(self.client.transport().clone(), self.into_request())
            }

            /// Sends the request and decodes a 2xx JSON body into `T` instead of the documented type;
            /// other statuses are errors as with `send` (see [`apigen_runtime::decode_as`]).
            pub fn send_as<T: ::serde::de::DeserializeOwned>(self) -> ::apigen_runtime::SendAndDecode<::apigen_runtime::Response<T>, crate::errors::#error> {
                ::apigen_runtime::send_and_decode(self.send_raw(), |raw| ::apigen_runtime::decode_as(raw, crate::errors::#error::from_response))
            }

            /// Assembles the request; nothing here waits, so the operation has no
            /// `async` code of its own (see [`apigen_runtime::send_request`]).
            fn into_request(self) -> ::std::result::Result<::apigen_runtime::ApiRequest, ::apigen_runtime::RequestError> {
                #send
            }

            /// Decodes a response as `send` does: a documented status into its type or error
            /// variant, under the response's decode policy. Use it on what
            /// [`send_raw`](Self::send_raw) returned, after looking at the raw response.
            pub fn decode(raw: ::apigen_runtime::RawResponse) -> ::std::result::Result<::apigen_runtime::Response<#success>, crate::errors::#error> {
                match raw.status().as_u16() {
                    #( #success_arms )*
                    _ => ::std::result::Result::Err(crate::errors::#error::from_response(raw)),
                }
            }
        }

        impl ::std::future::IntoFuture for #name {
            type Output = ::std::result::Result<::apigen_runtime::Response<#success>, crate::errors::#error>;
            type IntoFuture = ::apigen_runtime::SendAndDecode<::apigen_runtime::Response<#success>, crate::errors::#error>;
            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }

        #paginated
    }
}

fn send_body(op: &Operation) -> TokenStream {
    let info = ident(&op.static_name);
    let path = op.path.iter().map(|part| match part {
        PathPart::Literal(text) => match text.chars().collect::<Vec<_>>()[..] {
            [single] => quote! { path.push(#single); },
            _ => quote! { path.push_str(#text); },
        },
        PathPart::Param(index) => match op.params.get(*index) {
            Some(param) => path_param(param, &info),
            None => TokenStream::new(),
        },
    });
    let params = op.params.iter().filter(|p| p.location != ParamLocation::Path).map(|p| {
        let name = ident(&p.rust_name);
        let wire = &p.wire_name;
        let add = match (p.location, p.wire) {
            (ParamLocation::Header, ParamWire::Display) => quote! { request.header(#wire, value)?; },
            (_, ParamWire::Display) => quote! { request.query(#wire, value); },
            (location, ParamWire::Styled(style)) => {
                let style = style_tokens(&style);
                let method = ident(match location {
                    ParamLocation::Header => "header_param",
                    ParamLocation::Cookie => "cookie_param",
                    ParamLocation::Path | ParamLocation::Query => "query_param",
                });
                quote! { request.#method(#wire, value, #style)?; }
            }
        };
        if is_argument(p) {
            quote! { { let value = &self.#name; #add } }
        } else {
            quote! { if let ::std::option::Option::Some(value) = &self.#name { #add } }
        }
    });
    let body = op.body.as_ref().map(|body| {
        let media = &body.media_type;
        let set = match (body.encoding, body.patch) {
            (_, Some(RuntimeType::PatchWithComment)) => quote! {
                let value = ::apigen_runtime::patch::PatchWithComment { comment: self.comment, patch: value };
                request.json_body(#media, &value)?;
            },
            (BodyEncoding::Json, _) => quote! { request.json_body(#media, &value)?; },
            (BodyEncoding::Text, _) => {
                quote! { request.raw_body(#media, ::apigen_runtime::bytes::Bytes::from(value)); }
            }
            (BodyEncoding::Binary | BodyEncoding::Empty, _) => quote! { request.raw_body(#media, value); },
            (encoding @ (BodyEncoding::Multipart | BodyEncoding::UrlForm), _) => {
                set_body(encoding, media, &body.url_form, &info)
            }
        };
        let primary = if body.argument {
            quote! { { let value = self.body; #set } }
        } else {
            quote! { if let ::std::option::Option::Some(value) = self.body { #set } }
        };
        // A body set through an alternative's setter is sent instead of the primary one.
        let alternatives = body.alternatives.iter().map(|alt| {
            let field = ident(&alt.setter);
            let set = set_body(alt.encoding, &alt.media_type, &alt.url_form, &info);
            quote! { if let ::std::option::Option::Some(value) = self.#field { #set } else }
        });
        quote! { #( #alternatives )* #primary }
    });
    let security = (!op.security.is_empty()).then(|| {
        let alternatives = op.security.iter().map(|schemes| quote! { &[#( #schemes ),*] });
        quote! { request.security(&[#( #alternatives ),*]); }
    });
    let accept = op
        .accept
        .as_ref()
        .map(|media_types| quote! { request.header("Accept", #media_types)?; });
    quote! {
        let mut path = ::std::string::String::new();
        #( #path )*
        let mut request = ::apigen_runtime::ApiRequest::new(&#info, path);
        #security
        #accept
        #( #params )*
        #body
        request.options(self.options);
        ::std::result::Result::Ok(request)
    }
}

/// Writes one path parameter into `path`: a `Display` value as one
/// percent-encoded segment, a styled one through the runtime's encoder.
fn path_param(param: &Param, info: &proc_macro2::Ident) -> TokenStream {
    let name = ident(&param.rust_name);
    match (&param.ty, param.wire) {
        (TypeRef::Primitive(Primitive::String), ParamWire::Display) => {
            quote! { path.push_str(&::apigen_runtime::encode_path_segment(&self.#name)); }
        }
        (_, ParamWire::Display) => {
            quote! { path.push_str(&::apigen_runtime::encode_path_segment(&self.#name.to_string())); }
        }
        (_, ParamWire::Styled(style)) => {
            let wire = &param.wire_name;
            let style = style_tokens(&style);
            quote! { path.push_str(&::apigen_runtime::params::path_param(&#info, #wire, &self.#name, #style)?); }
        }
    }
}

/// The runtime's `ParamStyle` for an IR style.
fn style_tokens(style: &ParamStyle) -> TokenStream {
    let variant = ident(match style.style {
        Style::Simple => "Simple",
        Style::Label => "Label",
        Style::Matrix => "Matrix",
        Style::Form => "Form",
        Style::SpaceDelimited => "SpaceDelimited",
        Style::PipeDelimited => "PipeDelimited",
        Style::DeepObject => "DeepObject",
    });
    let base = if style.json {
        quote! { ::apigen_runtime::params::ParamStyle::json(::apigen_runtime::params::Style::#variant) }
    } else {
        let explode = style.explode;
        quote! { ::apigen_runtime::params::ParamStyle::new(::apigen_runtime::params::Style::#variant, #explode) }
    };
    if style.allow_reserved {
        quote! { #base.allow_reserved() }
    } else {
        base
    }
}

/// Puts `value` (moved out of the builder) on the request as `media`.
fn set_body(encoding: BodyEncoding, media: &str, url_form: &[UrlFormField], info: &proc_macro2::Ident) -> TokenStream {
    match encoding {
        BodyEncoding::UrlForm => {
            let fields = url_form.iter().map(|field| {
                let wire = &field.wire_name;
                let style = style_tokens(&field.style);
                quote! { (#wire, #style) }
            });
            quote! { request.form_body(#media, &value, &[ #( #fields ),* ])?; }
        }
        BodyEncoding::Json => quote! { request.json_body(#media, &value)?; },
        BodyEncoding::Text => quote! { request.raw_body(#media, ::apigen_runtime::bytes::Bytes::from(value)); },
        BodyEncoding::Binary | BodyEncoding::Empty => quote! { request.raw_body(#media, value); },
        BodyEncoding::Multipart => quote! {
            let form = value.to_form().map_err(|err| ::apigen_runtime::multipart::encode_error(&#info, err))?;
            request.multipart_body(&form);
        },
    }
}

fn decode_call(encoding: BodyEncoding, ty: &TypeRef) -> TokenStream {
    match encoding {
        BodyEncoding::Json => {
            let ty = type_tokens(ty);
            quote! { ::apigen_runtime::decode_json::<#ty>(raw)? }
        }
        BodyEncoding::Text => quote! { ::apigen_runtime::decode_text(raw)? },
        // Lowering never reads a response as a form; bytes are what arrives.
        BodyEncoding::Binary | BodyEncoding::Multipart | BodyEncoding::UrlForm => {
            quote! { ::apigen_runtime::decode_bytes(raw) }
        }
        BodyEncoding::Empty => quote! { ::apigen_runtime::decode_empty(raw) },
    }
}

/// The pattern of a documented status: a code, or the statuses of a range
/// (or of `default` as a success, which answers every 2xx) that no code in
/// `own_arms` takes; `None` when the codes take them all. `default` as an
/// error is the catch-all, which `errors::decode_arms` returns on its own.
pub(super) fn status_pattern(status: ResponseStatus, own_arms: &[u16]) -> Option<TokenStream> {
    match status {
        ResponseStatus::Code(code) => Some(Literal::u16_unsuffixed(code).into_token_stream()),
        ResponseStatus::Range(class) => class_pattern(class, own_arms),
        ResponseStatus::Default => class_pattern(2, own_arms),
    }
}

/// The statuses of a class (`4`: 400 to 499) other than `excluded`, as
/// non-overlapping ranges: an exact code takes precedence over its range,
/// and clippy refuses overlapping arms even where the order decides.
pub(super) fn class_pattern(class: u8, excluded: &[u16]) -> Option<TokenStream> {
    let low = u16::from(class) * 100;
    let high = low + 99;
    let mut cuts: Vec<u16> = excluded.iter().copied().filter(|c| (low..=high).contains(c)).collect();
    cuts.sort_unstable();
    cuts.dedup();
    cuts.push(high + 1);
    let mut parts = Vec::new();
    let mut start = low;
    for cut in cuts {
        if cut > start {
            let (first, last) = (Literal::u16_unsuffixed(start), Literal::u16_unsuffixed(cut - 1));
            parts.push(if cut - 1 == start {
                quote! { #first }
            } else {
                quote! { #first..=#last }
            });
        }
        start = cut + 1;
    }
    (!parts.is_empty()).then(|| quote! { #( #parts )|* })
}

/// Exact codes that share one arm, with runs of three or more consecutive
/// codes written as a range (`200..=202`), as clippy asks of such patterns.
fn codes_pattern(codes: &[u16]) -> Vec<TokenStream> {
    let mut sorted = codes.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut parts = Vec::new();
    let mut index = 0;
    while index < sorted.len() {
        let start = sorted[index];
        let mut end = index;
        while end + 1 < sorted.len() && sorted[end + 1] == sorted[end] + 1 {
            end += 1;
        }
        if end - index >= 2 {
            let (first, last) = (Literal::u16_unsuffixed(start), Literal::u16_unsuffixed(sorted[end]));
            parts.push(quote! { #first..=#last });
        } else {
            parts.extend(
                sorted[index..=end]
                    .iter()
                    .map(|code| Literal::u16_unsuffixed(*code).into_token_stream()),
            );
        }
        index = end + 1;
    }
    parts
}

/// The exact codes that have arms of their own.
fn code_arms(op: &Operation) -> Vec<u16> {
    let successes = op.successes.iter().map(|s| s.status);
    successes
        .chain(op.errors.iter().map(|e| e.status))
        .filter_map(ResponseStatus::code)
        .collect()
}

/// The arms of `decode`: the documented successes, in the IR's
/// precedence order. Every other status goes to the error enum's
/// `from_response` (`errors.rs`).
fn success_arms(api: &Api, op: &Operation) -> Vec<TokenStream> {
    let mut arms = Vec::new();
    let whole_success_class = op.successes.iter().find(|s| s.status.is_whole_success_class());
    let codes = code_arms(op);
    match &op.success_type {
        SuccessType::Single(_) => {
            if let Some(first) = op.successes.first() {
                // A success answering every 2xx status covers the listed
                // codes too, and they all decode the same way.
                let patterns: Vec<TokenStream> = match whole_success_class {
                    Some(_) => class_pattern(2, &[]).into_iter().collect(),
                    None => {
                        let exact: Vec<u16> = op.successes.iter().filter_map(|s| s.status.code()).collect();
                        let others = op
                            .successes
                            .iter()
                            .filter(|s| !matches!(s.status, ResponseStatus::Code(_)))
                            .filter_map(|s| status_pattern(s.status, &codes));
                        codes_pattern(&exact).into_iter().chain(others).collect()
                    }
                };
                let decode = decode_call(first.encoding, &first.ty);
                arms.push(quote! { #( #patterns )|* => ::std::result::Result::Ok(#decode), });
            }
        }
        SuccessType::PerStatus { name } => {
            let enum_name = ident(name);
            let variants = match api.type_def(name).map(|def| &def.kind) {
                Some(TypeKind::StatusEnum { variants }) => variants.as_slice(),
                _ => &[],
            };
            for success in variants {
                let Some(status) = status_pattern(success.status, &codes) else {
                    continue;
                };
                let decode = decode_call(success.encoding, &success.ty);
                let variant = ident(&success.rust_name);
                let wrap = if success.ty == TypeRef::Unit {
                    quote! { |_| crate::types::#enum_name::#variant }
                } else {
                    quote! { crate::types::#enum_name::#variant }
                };
                arms.push(quote! { #status => ::std::result::Result::Ok(#decode.map(#wrap)), });
            }
        }
    }
    arms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_success_codes_become_a_range() {
        let text = |codes: &[u16]| {
            codes_pattern(codes)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" | ")
        };
        assert_eq!(text(&[202, 200, 201]), "200 ..= 202");
        assert_eq!(text(&[200, 201, 204]), "200 | 201 | 204");
        assert_eq!(text(&[200, 201, 202, 203, 206]), "200 ..= 203 | 206");
    }

    fn pattern(class: u8, excluded: &[u16]) -> Option<String> {
        class_pattern(class, excluded).map(|tokens| tokens.to_string())
    }

    #[test]
    fn ranges_leave_out_their_listed_codes() {
        assert_eq!(pattern(4, &[]).as_deref(), Some("400 ..= 499"));
        assert_eq!(
            pattern(4, &[404, 200, 400]).as_deref(),
            Some("401 ..= 403 | 405 ..= 499")
        );
        assert_eq!(pattern(2, &[201, 203]).as_deref(), Some("200 | 202 | 204 ..= 299"));
        assert_eq!(pattern(5, &[599, 599]).as_deref(), Some("500 ..= 598"));
        let every: Vec<u16> = (300..=399).collect();
        assert_eq!(
            pattern(3, &every),
            None,
            "a range whose codes are all listed has no arm"
        );
    }
}
