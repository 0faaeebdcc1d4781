//! Emits `errors.rs`: one error enum per operation, with a variant per
//! documented error status, status range and `default`. The variant is
//! chosen by status alone.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{docs, gated, ident, type_tokens};
use crate::ir::{Api, Operation, ResponseStatus};

/// The errors file.
pub(crate) fn errors_file(api: &Api) -> TokenStream {
    // An operation's error type is compiled with the operation.
    let enums = api.operations.iter().map(|op| gated(&op.gate, error_enum(op)));
    quote! {
        //! Error types of the operations. Each documented error status has its own
        //! variant carrying the decoded body and the response headers; statuses the
        //! spec does not document, bodies that do not decode and transport failures
        //! have variants of their own.
        #( #enums )*
    }
}

fn error_enum(op: &Operation) -> TokenStream {
    let name = ident(&op.error_name);
    let method = &op.method_name;
    let doc = format!(" Errors of [`Client::{method}`](crate::Client::{method}).");
    let documented = op.errors.iter().map(|case| {
        let variant = ident(&case.variant);
        let ty = type_tokens(&case.ty);
        let mut text = match case.status {
            ResponseStatus::Default => format!("Any other status outside 2xx (`default`): {}", case.docs),
            status => format!("Status {status}: {}", case.docs),
        };
        if !case.headers.is_empty() {
            text.push_str(&format!("\n\nDocumented headers: `{}`.", case.headers.join("`, `")));
        }
        let doc = docs(&text);
        quote! {
            #doc
            #[error(transparent)]
            #variant(::apigen_runtime::ErrorResponse<#ty>),
        }
    });
    let meta_arms = op.errors.iter().map(|case| {
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
