//! Emits unions (`oneOf`/`anyOf`): untagged ones, whose variants serde tries
//! in the order the IR gives, and tagged ones, whose tag property picks the
//! variant before anything is decoded.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{docs, ident, type_tokens};
use super::types::{derives, serde_derives};
use crate::ir::{TagValue, TypeDef, UnionVariant};
use crate::naming;

fn variant_type(v: &UnionVariant) -> TokenStream {
    let ty = type_tokens(&v.ty);
    if v.boxed {
        quote! { ::std::boxed::Box<#ty> }
    } else {
        ty
    }
}

/// The pattern that matches one tag value as `apigen_runtime::union_tag` reads it.
fn tag_pattern(tag: &TagValue) -> TokenStream {
    match tag {
        TagValue::Text(text) => quote! { ::apigen_runtime::UnionTag::Text(#text) },
        TagValue::Integer(number) => quote! { ::apigen_runtime::UnionTag::Integer(#number) },
    }
}

pub(super) fn union(def: &TypeDef, variants: &[UnionVariant], tag: Option<&str>) -> TokenStream {
    let doc = docs(&def.docs);
    let name = ident(&def.name);
    let other = ident(naming::OTHER_VARIANT);
    let declared = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let ty = variant_type(v);
        let doc = match v.tags.as_slice() {
            [] => format!(" The `{}` shape.", v.rust_name),
            tags => format!(
                " The `{}` shape, chosen by {}.",
                v.rust_name,
                tags.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
            ),
        };
        quote! { #[doc = #doc] #variant(#ty), }
    });
    let Some(property) = tag else {
        let (serde, other_serde) = serde_derives(def);
        let derive = derives(def, serde);
        return quote! {
            #doc
            ///
            /// Each shape is tried in order; a value that matches none is kept as JSON in `Other`.
            #derive
            #other_serde
            #[serde(untagged)]
            pub enum #name {
                #( #declared )*
                /// A value that matches none of the documented shapes.
                #other(::serde_json::Value),
            }
        };
    };
    // Encoding is untagged: each variant's own fields include the tag, so
    // a value goes back exactly as it came. Decoding reads the tag first, so
    // a value can only take the variant it names. Each is compiled only where
    // the API uses the union in that direction, or with `full-serde`.
    let (derive, encode_attrs) = if def.serde.serialize {
        (
            derives(def, quote! { ::serde::Serialize, }),
            quote! { #[serde(untagged)] },
        )
    } else {
        (
            derives(def, quote! {}),
            quote! { #[cfg_attr(feature = "full-serde", derive(::serde::Serialize), serde(untagged))] },
        )
    };
    let decode_gate = (!def.serde.deserialize).then(|| quote! { #[cfg(feature = "full-serde")] });
    let union_name = &def.name;
    let arms = variants.iter().filter(|v| !v.tags.is_empty()).map(|v| {
        let variant = ident(&v.rust_name);
        let variant_name = &v.rust_name;
        let patterns = v.tags.iter().map(tag_pattern);
        quote! {
            ::std::option::Option::Some(#( #patterns )|*) => ::apigen_runtime::decode_union_variant(
                value, #union_name, #property, #variant_name,
            )
            .map(Self::#variant),
        }
    });
    // Variants without a tag take values that are not objects (a string
    // beside tagged objects); they are tried in order, as an untagged union's are.
    let untagged: Vec<TokenStream> = variants
        .iter()
        .filter(|v| v.tags.is_empty())
        .map(|v| {
            let variant = ident(&v.rust_name);
            quote! {
                if let ::std::result::Result::Ok(decoded) = ::serde_json::from_value(value.clone()) {
                    return ::std::result::Result::Ok(Self::#variant(decoded));
                }
            }
        })
        .collect();
    let scalars = (!untagged.is_empty()).then(|| {
        quote! {
            ::std::option::Option::None if !value.is_object() => {
                #( #untagged )*
                ::std::result::Result::Ok(Self::#other(value))
            }
        }
    });
    let tag_doc = match scalars {
        Some(_) => format!(
            " The `{property}` property of an object picks the shape, and an object with another or no `{property}` \
             is kept as JSON in `Other`; a value that is not an object takes the first shape without a tag that fits."
        ),
        None => format!(
            " The `{property}` property picks the shape; a value with another or no `{property}` is kept as JSON in `Other`."
        ),
    };
    quote! {
        #doc
        ///
        #[doc = #tag_doc]
        #derive
        #encode_attrs
        pub enum #name {
            #( #declared )*
            /// A value whose tag names none of the documented shapes.
            #other(::serde_json::Value),
        }

        #decode_gate
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                ::apigen_runtime::decode_whole(deserializer, |value| match ::apigen_runtime::union_tag(&value, #property) {
                    #( #arms )*
                    #scalars
                    _ => ::std::result::Result::Ok(Self::#other(value)),
                })
            }
        }
    }
}
