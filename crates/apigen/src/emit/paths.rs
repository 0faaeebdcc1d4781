//! Emits `paths.rs`: typed JSON Patch paths for every resource a JSON Patch
//! operation returns and every object type inside it. A path carries the
//! resource type and the field's Rust type, so `TypedPatch::replace` with a
//! misspelt field or a value of the wrong type does not compile.

use proc_macro2::TokenStream;
use quote::quote;

use super::split::Part;
use super::tokens::{docs, ident, type_tokens};
use crate::ir::{FeatureGate, Field, TypeDef, TypeKind, TypeRef};

/// Whether the crate has a `paths` module at all.
pub(crate) fn has_paths(types: &[TypeDef]) -> bool {
    types.iter().any(|def| def.paths_name.is_some())
}

/// The types with typed paths, in IR order.
fn with_paths(types: &[TypeDef]) -> impl Iterator<Item = (&TypeDef, &str)> {
    types.iter().filter_map(|def| Some((def, def.paths_name.as_deref()?)))
}

/// The gates of the items of `paths.rs`: the paths are compiled with their type.
pub(super) fn gates(types: &[TypeDef]) -> impl Iterator<Item = &FeatureGate> {
    with_paths(types).map(|(def, _)| &def.gate)
}

/// The paths that `part` holds.
pub(crate) fn paths_file(types: &[TypeDef], part: &Part<'_>) -> TokenStream {
    let items = with_paths(types)
        .filter(|(def, _)| part.holds(&def.gate))
        .map(|(def, paths_name)| part.gated(&def.gate, paths_struct(def, paths_name)));
    if let Part::Feature(_) | Part::Group(_) = part {
        return quote! { #( #items )* };
    }
    quote! {
        //! Typed JSON Patch paths. Start from a resource's `paths()`, such as
        //! `Token::paths().role()`, and build a
        //! [`TypedPatch`](::apigen_runtime::patch::TypedPatch) for it; fields
        //! that are read-only in the API have no path.
        #( #items )*
    }
}

fn paths_struct(def: &TypeDef, paths_name: &str) -> TokenStream {
    let TypeKind::Struct { fields, .. } = &def.kind else {
        return TokenStream::new();
    };
    let ty = ident(&def.name);
    let name = ident(paths_name);
    let doc = format!(
        " Typed JSON Patch paths to the editable fields of [`{0}`](crate::types::{0}).",
        def.name
    );
    // A flattened union has no property of its own to point at.
    let methods = fields
        .iter()
        .filter(|field| !field.read_only && !field.flatten)
        .map(field_path);
    quote! {
        #[doc = #doc]
        pub struct #name<Root> {
            base: ::apigen_runtime::patch::JsonPointer,
            root: ::std::marker::PhantomData<fn() -> Root>,
        }

        impl<Root> ::apigen_runtime::patch::FieldPaths for #name<Root> {
            fn at(base: ::apigen_runtime::patch::JsonPointer) -> Self {
                Self { base, root: ::std::marker::PhantomData }
            }
        }

        impl ::apigen_runtime::patch::HasFieldPaths for crate::types::#ty {
            type Paths<Root> = #name<Root>;
        }

        impl crate::types::#ty {
            /// Typed JSON Patch paths to this type's editable fields, from the document root.
            pub fn paths() -> #name<Self> {
                <#name<Self> as ::apigen_runtime::patch::FieldPaths>::at(::apigen_runtime::patch::JsonPointer::root())
            }
        }

        impl<Root> #name<Root> {
            #( #methods )*
        }
    }
}

fn field_path(field: &Field) -> TokenStream {
    if matches!(field.ty, TypeRef::Unit) {
        return TokenStream::new();
    }
    let method = ident(&field.rust_name);
    let wire = &field.wire_name;
    let doc = docs(&format!(
        "`/{}`: {}",
        wire.replace('~', "~0").replace('/', "~1"),
        field.docs
    ));
    // The path's value type is what a patch writes there: the field's type
    // itself, and `Option` only when the API accepts `null`.
    let mut value = type_tokens(&field.ty);
    if field.nullable {
        value = quote! { ::std::option::Option<#value> };
    }
    quote! {
        #doc
        pub fn #method(&self) -> ::apigen_runtime::patch::FieldPath<Root, #value> {
            ::apigen_runtime::patch::FieldPath::new(self.base.child(#wire))
        }
    }
}
