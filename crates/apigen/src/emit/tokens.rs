//! Small token helpers shared by the emitters.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Primitive, RuntimeType, TypeRef};

/// An identifier; names come from `crate::naming`, so they are valid.
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc = "..."]` lines for a piece of documentation (one attribute per line,
/// each starting with a space so it prints as `/// text`).
pub(crate) fn docs(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

/// The Rust type for a type reference. Standard types are fully qualified so
/// that a schema named `Option` or `String` cannot shadow them.
pub(crate) fn type_tokens(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            quote! { crate::types::#name }
        }
        TypeRef::Primitive(primitive) => primitive_tokens(*primitive),
        TypeRef::List(inner) => {
            let inner = type_tokens(inner);
            quote! { ::std::vec::Vec<#inner> }
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner);
            quote! { ::std::collections::BTreeMap<::std::string::String, #inner> }
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(inner);
            quote! { ::std::option::Option<#inner> }
        }
        TypeRef::Any => quote! { ::serde_json::Value },
        TypeRef::Runtime(RuntimeType::JsonPatch) => quote! { ::apigen_runtime::patch::JsonPatch },
        TypeRef::Runtime(RuntimeType::PatchOperation) => quote! { ::apigen_runtime::patch::PatchOperation },
        TypeRef::Runtime(RuntimeType::PatchWithComment) => quote! { ::apigen_runtime::patch::PatchWithComment },
        TypeRef::Unit => quote! { () },
    }
}

fn primitive_tokens(primitive: Primitive) -> TokenStream {
    match primitive {
        Primitive::String => quote! { ::std::string::String },
        Primitive::Bool => quote! { bool },
        Primitive::I32 => quote! { i32 },
        Primitive::I64 => quote! { i64 },
        Primitive::F32 => quote! { f32 },
        Primitive::F64 => quote! { f64 },
        Primitive::Bytes => quote! { ::apigen_runtime::bytes::Bytes },
    }
}

/// `#![doc = "..."]` lines, for crate-level documentation.
pub(crate) fn docs_inner(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    });
    quote! { #( #![doc = #lines] )* }
}
