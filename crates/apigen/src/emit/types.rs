//! Emits `types.rs`: one Rust item per named type of the IR.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{docs, ident, type_tokens};
use crate::ir::{EnumVariant, Field, TypeDef, TypeKind, TypeRef, UnionVariant};
use crate::naming;

/// All type definitions, in IR order.
pub(crate) fn types_file(types: &[TypeDef]) -> TokenStream {
    let items = types.iter().map(type_def);
    quote! {
        //! Types of the request and response bodies, one per schema the operations use.
        #( #items )*
    }
}

fn derives(def: &TypeDef, extra: TokenStream) -> TokenStream {
    let eq = def.eq.then(|| quote! { Eq, });
    quote! { #[derive(Debug, Clone, PartialEq, #eq #extra)] }
}

fn type_def(def: &TypeDef) -> TokenStream {
    let doc = docs(&def.docs);
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct { fields, additional } => {
            let all_optional = fields.iter().all(|f| !f.required);
            let default = all_optional.then(|| quote! { Default, });
            let derive = derives(def, quote! { #default ::serde::Serialize, ::serde::Deserialize });
            let fields = fields.iter().map(field);
            let additional = additional.as_ref().map(|ty| {
                let ty = type_tokens(ty);
                quote! {
                    /// Properties the schema does not declare, kept so they survive a round trip.
                    #[serde(flatten)]
                    pub additional_properties: ::std::collections::BTreeMap<::std::string::String, #ty>,
                }
            });
            quote! {
                #doc
                #derive
                pub struct #name {
                    #( #fields )*
                    #additional
                }
            }
        }
        TypeKind::Enum { variants } => open_enum(def, variants),
        TypeKind::IntEnum { values } => {
            let derive = derives(
                def,
                quote! { Copy, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize },
            );
            let consts = values.iter().map(|(constant, value)| {
                let constant = ident(constant);
                let doc = format!(" The value `{value}`.");
                quote! { #[doc = #doc] pub const #constant: Self = Self(#value); }
            });
            quote! {
                #doc
                ///
                /// Open: any integer decodes, and the known values are associated constants.
                #derive
                #[serde(transparent)]
                pub struct #name(pub i64);
                impl #name { #( #consts )* }
                impl ::std::fmt::Display for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        ::std::fmt::Display::fmt(&self.0, f)
                    }
                }
            }
        }
        TypeKind::Alias(target) => {
            let target = type_tokens(target);
            quote! { #doc pub type #name = #target; }
        }
        TypeKind::Union { variants } => union(def, variants),
        TypeKind::StatusEnum { variants } => {
            let derive = derives(def, quote! {});
            let variants = variants.iter().map(|(variant, status, ty, text)| {
                let variant = ident(variant);
                let doc = docs(&format!("Status {status}: {text}"));
                match ty {
                    TypeRef::Unit => quote! { #doc #variant, },
                    ty => {
                        let ty = type_tokens(ty);
                        quote! { #doc #variant(#ty), }
                    }
                }
            });
            quote! { #doc #derive pub enum #name { #( #variants )* } }
        }
    }
}

fn field(field: &Field) -> TokenStream {
    let doc = docs(&field.docs);
    let name = ident(&field.rust_name);
    let wire = &field.wire_name;
    let mut ty = type_tokens(&field.ty);
    if field.boxed {
        ty = quote! { ::std::boxed::Box<#ty> };
    }
    let rename = (*wire != field.rust_name).then(|| quote! { rename = #wire, });
    if field.required && !field.nullable {
        let attrs = rename.map(|rename| quote! { #[serde(#rename)] });
        quote! { #doc #attrs pub #name: #ty, }
    } else if field.required {
        // Required but nullable: always sent, as `null` when `None`.
        quote! { #doc #[serde(#rename default)] pub #name: ::std::option::Option<#ty>, }
    } else {
        quote! {
            #doc
            #[serde(#rename default, skip_serializing_if = "::std::option::Option::is_none")]
            pub #name: ::std::option::Option<#ty>,
        }
    }
}

fn open_enum(def: &TypeDef, variants: &[EnumVariant]) -> TokenStream {
    let doc = docs(&def.docs);
    let name = ident(&def.name);
    let unknown = ident(naming::UNKNOWN_VARIANT);
    let declared = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_value;
        let doc = format!(" `{wire}`");
        quote! { #[doc = #doc] #[serde(rename = #wire)] #variant, }
    });
    let as_str = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_value;
        quote! { Self::#variant => #wire, }
    });
    let unknown_doc = format!(
        " Open: a value this client does not know decodes into [`{}::Unknown`], which keeps it and sends it back unchanged.",
        def.name
    );
    let from_str = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire_value;
        quote! { #wire => Self::#variant, }
    });
    quote! {
        #doc
        ///
        #[doc = #unknown_doc]
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        pub enum #name {
            #( #declared )*
            /// A value not known when this client was generated, kept as sent.
            #[serde(untagged)]
            #unknown(::std::string::String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #as_str )*
                    Self::#unknown(value) => value,
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #from_str )*
                    other => Self::#unknown(other.to_owned()),
                }
            }
        }
    }
}

fn union(def: &TypeDef, variants: &[UnionVariant]) -> TokenStream {
    let doc = docs(&def.docs);
    let name = ident(&def.name);
    let derive = derives(def, quote! { ::serde::Serialize, ::serde::Deserialize });
    let variants = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let mut ty = type_tokens(&v.ty);
        if v.boxed {
            ty = quote! { ::std::boxed::Box<#ty> };
        }
        let doc = format!(" The `{}` shape.", v.rust_name);
        quote! { #[doc = #doc] #variant(#ty), }
    });
    quote! {
        #doc
        ///
        /// Each shape is tried in order; a value that matches none is kept as JSON in `Other`.
        #derive
        #[serde(untagged)]
        pub enum #name {
            #( #variants )*
            /// A value that matches none of the documented shapes.
            Other(::serde_json::Value),
        }
    }
}
