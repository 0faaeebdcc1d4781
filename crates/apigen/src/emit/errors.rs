//! Emits `errors.rs`: one error enum per distinct list of documented
//! errors (`ir::ErrorEnum`), with a variant per documented error status,
//! status range and `default`, and for each operation its error type: the
//! enum itself, or an alias of the enum it shares. The variant is chosen by
//! status alone.

use proc_macro2::TokenStream;
use quote::quote;

use super::operations::{class_pattern, status_pattern};
use super::split::Part;
use super::tokens::{docs, ident, type_tokens};
use crate::ir::{Api, BodyEncoding, ErrorEnum, ErrorResponse, FeatureGate, Operation, ResponseStatus, TypeRef};

/// How many operations a shared enum's docs name before "and N more".
const OPERATIONS_NAMED: usize = 5;

/// The operations whose error type is an alias of a shared enum.
fn aliased(api: &Api) -> impl Iterator<Item = &Operation> {
    api.operations.iter().filter(|op| op.error_name != op.error_enum)
}

/// The gates of the items of `errors.rs`: an enum is compiled with its
/// operations, an alias with its operation.
pub(super) fn gates(api: &Api) -> impl Iterator<Item = &FeatureGate> {
    let enums = api.error_enums.iter().map(|shared| &shared.gate);
    enums.chain(aliased(api).map(|op| &op.gate))
}

/// The error types that `part` holds.
pub(crate) fn errors_file(api: &Api, part: &Part<'_>) -> TokenStream {
    let enums = api
        .error_enums
        .iter()
        .filter(|shared| part.holds(&shared.gate))
        .map(|shared| part.gated(&shared.gate, error_enum(shared)));
    let aliases = aliased(api)
        .filter(|op| part.holds(&op.gate))
        .map(|op| part.gated(&op.gate, alias(op)));
    if let Part::Feature(_) | Part::Group(_) = part {
        return quote! {
            #( #enums )*
            #( #aliases )*
        };
    }
    quote! {
        //! Error types of the operations. Each documented error status has its own
        //! variant carrying the decoded body and the response headers; statuses the
        //! spec does not document, bodies that do not decode and transport failures
        //! have variants of their own. Operations that document the same errors
        //! share one enum, and each names it through an alias named after the
        //! operation; an error value says which operation it came from
        //! (`ResponseMeta::operation`). Aliases of one enum are one type, so a
        //! trait is implemented once per enum (or for every `OperationError`).
        #( #enums )*
        #( #aliases )*
    }
}

fn method_link(method: &str) -> String {
    format!("[`Client::{method}`](crate::Client::{method})")
}

/// The text of one documented error: its status, description and headers.
fn case_text(case: &ErrorResponse) -> String {
    let mut text = match case.status {
        ResponseStatus::Default => format!("Any other status outside 2xx (`default`): {}", case.docs),
        status => format!("Status {status}: {}", case.docs),
    };
    if !case.headers.is_empty() {
        text.push_str(&format!(" Documented headers: `{}`.", case.headers.join("`, `")));
    }
    text
}

/// An operation's alias of the enum it shares, with the operation's own
/// descriptions of its errors, which the shared enum's variants cannot all
/// carry.
fn alias(op: &Operation) -> TokenStream {
    let name = ident(&op.error_name);
    let shared = ident(&op.error_enum);
    let mut text = format!(
        "Errors of {}: [`{}`], which operations with the same documented errors share.",
        method_link(&op.method_name),
        op.error_enum
    );
    if !op.errors.is_empty() {
        text.push('\n');
    }
    for case in &op.errors {
        text.push_str(&format!(
            "\n- `{}`: {}",
            case.variant,
            case_text(case).replace('\n', " ")
        ));
    }
    let doc = docs(&text);
    quote! {
        #doc
        pub type #name = #shared;
    }
}

fn error_enum(shared: &ErrorEnum) -> TokenStream {
    let name = ident(&shared.name);
    let doc = match shared.operations.as_slice() {
        [only] => format!(" Errors of {}.", method_link(only)),
        all => {
            let named: Vec<String> = all.iter().take(OPERATIONS_NAMED).map(|m| method_link(m)).collect();
            let more = match all.len().saturating_sub(OPERATIONS_NAMED) {
                0 => String::new(),
                rest => format!(", and {rest} more"),
            };
            let what = if shared.cases.is_empty() {
                "that document no error status"
            } else {
                "that document these errors"
            };
            format!(
                " Errors of the {} operations {what}: {}{more}. Each operation's alias says how it describes them.",
                all.len(),
                named.join(", ")
            )
        }
    };
    let documented = shared.cases.iter().map(|case| {
        let variant = ident(&case.variant);
        let ty = type_tokens(&case.ty);
        let doc = docs(&case_text(case));
        quote! {
            #doc
            #[error(transparent)]
            #variant(::apigen_runtime::ErrorResponse<#ty>),
        }
    });
    let from_response = from_response(shared);
    let meta_arms = shared.cases.iter().map(|case| {
        let variant = ident(&case.variant);
        quote! { Self::#variant(error) => ::std::option::Option::Some(error.meta()), }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, ::thiserror::Error)]
        #[non_exhaustive]
        pub enum #name {
            #( #documented )*
            /// A status the spec does not document for this operation.
            #[error(transparent)]
            UnexpectedStatus(::apigen_runtime::UnexpectedStatus),
            /// A response whose body did not decode into the documented type.
            #[error(transparent)]
            Decode(#[from] ::apigen_runtime::DecodeError),
            /// The request failed before a complete response arrived (connection, timeout, size limit, encoding).
            #[error(transparent)]
            Request(#[from] ::apigen_runtime::RequestError),
        }

        #from_response

        impl ::apigen_runtime::OperationError for #name {
            fn meta(&self) -> ::std::option::Option<&::apigen_runtime::ResponseMeta> {
                match self {
                    #( #meta_arms )*
                    Self::UnexpectedStatus(error) => ::std::option::Option::Some(error.meta()),
                    Self::Decode(error) => ::std::option::Option::Some(error.meta()),
                    Self::Request(_) => ::std::option::Option::None,
                }
            }
        }
    }
}

/// The function every operation of `shared` decodes its error answers with,
/// written once per enum rather than once per operation.
fn from_response(shared: &ErrorEnum) -> TokenStream {
    let (arms, catch_all) = decode_arms(shared);
    // Without documented error statuses there is nothing to match on.
    let body = if arms.is_empty() {
        catch_all
    } else {
        quote! {
            match raw.status().as_u16() {
                #( #arms )*
                _ => #catch_all,
            }
        }
    };
    let name = ident(&shared.name);
    quote! {
        impl #name {
            /// Decodes an answer that is not one of the operation's documented successes: a
            /// documented error status into its variant, a body that does not decode into
            /// `Decode` (which keeps the bytes), any other status into `UnexpectedStatus`.
            pub(crate) fn from_response(raw: ::apigen_runtime::RawResponse) -> Self {
                #body
            }
        }
    }
}

/// The arms of `from_response`, which receives every status that is not a
/// documented success of the operation: the documented errors in the IR's
/// precedence order, and the catch-all, the `default` error or
/// `UnexpectedStatus`.
///
/// The arms depend on the errors alone, which is what lets the operations
/// that share an enum share the function. A range leaves out the codes
/// listed on their own; success codes never fall into an error range's
/// class (2xx is always a success, and 3xx is an error only where a 2xx is
/// documented, which makes the successes 2xx). A `default` error answers
/// statuses outside 2xx: a 2xx that reaches this function is one the
/// operation does not document, and where every 2xx is a success, none does.
fn decode_arms(shared: &ErrorEnum) -> (Vec<TokenStream>, TokenStream) {
    let codes: Vec<u16> = shared.cases.iter().filter_map(|case| case.status.code()).collect();
    let mut arms = Vec::new();
    let mut default_error = None;
    for case in &shared.cases {
        let result = error_decode(case);
        if case.status == ResponseStatus::Default {
            default_error = Some(result);
        } else if let Some(status) = status_pattern(case.status, &codes) {
            arms.push(quote! { #status => #result, });
        }
    }
    let unexpected = quote! { Self::UnexpectedStatus(::apigen_runtime::unexpected_status(raw)) };
    match default_error {
        Some(result) => {
            if let Some(every_2xx) = class_pattern(2, &[]) {
                arms.push(quote! { #every_2xx => #unexpected, });
            }
            (arms, result)
        }
        None => (arms, unexpected),
    }
}

/// The error for a documented error status; a body that does not decode
/// into its type becomes the `Decode` variant, which keeps the bytes.
fn error_decode(case: &ErrorResponse) -> TokenStream {
    let variant = ident(&case.variant);
    let fallible = |call: TokenStream| quote! { #call.map_or_else(Self::Decode, Self::#variant) };
    match (&case.ty, case.encoding) {
        (TypeRef::Unit, _) => quote! { Self::#variant(::apigen_runtime::error_without_body(raw)) },
        (_, BodyEncoding::Text) => fallible(quote! { ::apigen_runtime::decode_error_text(raw) }),
        (_, BodyEncoding::Binary | BodyEncoding::Multipart | BodyEncoding::UrlForm) => {
            quote! { Self::#variant(::apigen_runtime::error_bytes(raw)) }
        }
        (ty, BodyEncoding::Json | BodyEncoding::Empty) => {
            let ty = type_tokens(ty);
            fallible(quote! { ::apigen_runtime::decode_error::<#ty>(raw) })
        }
    }
}
