//! Small token helpers shared by the emitters.

use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};
use quote::quote;

use crate::ir::{FeatureGate, Primitive, RuntimeType, TypeRef};

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

/// The `#[cfg(...)]` attribute that compiles an item only with the features
/// of `gate`; nothing for an item compiled always.
pub(crate) fn cfg_gate(gate: &FeatureGate) -> Option<TokenStream> {
    let features: Vec<&String> = gate.any_of.iter().collect();
    match features.as_slice() {
        [] => None,
        [one] => Some(quote! { #[cfg(feature = #one)] }),
        many => Some(quote! { #[cfg(any( #( feature = #many ),* ))] }),
    }
}

/// Puts the `#[cfg(...)]` attribute of `gate` in front of every item of
/// `items`, so a type or an operation and all its impls come and go
/// together; `items` unchanged for an item compiled always.
///
/// Items are told apart by their tokens alone: an item ends at a `;` outside
/// any group, or at a `{ ... }` group outside any other that no `;` follows
/// (a `static`'s initialiser is followed by one; a struct, enum, `impl` or
/// function body is not). That covers every item the emitters write.
pub(crate) fn gated(gate: &FeatureGate, items: TokenStream) -> TokenStream {
    let Some(gate) = cfg_gate(gate) else {
        return items;
    };
    let mut out = TokenStream::new();
    let mut item: Vec<TokenTree> = Vec::new();
    let mut tokens = items.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let ends = match &token {
            TokenTree::Punct(punct) => punct.as_char() == ';',
            TokenTree::Group(group) => {
                group.delimiter() == Delimiter::Brace
                    && !matches!(tokens.peek(), Some(TokenTree::Punct(next)) if next.as_char() == ';')
            }
            _ => false,
        };
        item.push(token);
        if ends {
            push_gated(&mut out, &gate, std::mem::take(&mut item));
        }
    }
    if !item.is_empty() {
        push_gated(&mut out, &gate, item);
    }
    out
}

/// Appends `item` to `out` with `gate` after its doc comments, where a
/// reader of the generated code expects attributes.
fn push_gated(out: &mut TokenStream, gate: &TokenStream, item: Vec<TokenTree>) {
    let is_doc = |pair: &[TokenTree]| match pair {
        [TokenTree::Punct(hash), TokenTree::Group(group)] => {
            hash.as_char() == '#'
                && group.delimiter() == Delimiter::Bracket
                && matches!(group.stream().into_iter().next(), Some(TokenTree::Ident(name)) if name == "doc")
        }
        _ => false,
    };
    let mut docs_end = 0;
    while item.get(docs_end..docs_end + 2).is_some_and(is_doc) {
        docs_end += 2;
    }
    let mut tokens = item.into_iter();
    out.extend(tokens.by_ref().take(docs_end));
    out.extend(gate.clone());
    out.extend(tokens);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_gets_the_gate() {
        let gate = FeatureGate {
            any_of: ["a".to_owned()].into(),
        };
        let items = quote! {
            /// A type.
            pub struct A(pub i64);
            impl A { pub fn new() -> Self { Self(1) } }
            static B: Info = Info { id: "b" };
            pub type C = A;
            pub enum D { X, Y }
        };
        let text = gated(&gate, items).to_string();
        assert_eq!(text.matches("# [cfg (feature = \"a\")]").count(), 5, "{text}");
        assert!(
            text.starts_with("# [doc = r\" A type.\"] # [cfg (feature = \"a\")] pub struct A"),
            "{text}"
        );
        assert!(text.contains("# [cfg (feature = \"a\")] static B"), "{text}");
        let two = FeatureGate {
            any_of: ["a".to_owned(), "b".to_owned()].into(),
        };
        let text = gated(&two, quote! { pub struct E; }).to_string();
        assert_eq!(text, "# [cfg (any (feature = \"a\" , feature = \"b\"))] pub struct E ;");
        assert_eq!(
            gated(&FeatureGate::default(), quote! { pub struct E; }).to_string(),
            "pub struct E ;"
        );
    }
}
