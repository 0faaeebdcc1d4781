//! Emits `types.rs`: one Rust item per named type of the IR.

use proc_macro2::TokenStream;
use quote::quote;

use super::split::Part;
use super::tokens::{docs, ident, type_tokens};
use crate::ir::{
    EnumVariant, FeatureGate, Field, FormField, FormPart, IntEnumValue, StatusVariant, TypeDef, TypeKind, TypeRef,
};
use crate::naming;

/// The type definitions that `part` holds, in IR order.
pub(crate) fn types_file(types: &[TypeDef], part: &Part<'_>) -> TokenStream {
    // Every item of the type gets the gate: a type's impls sit beside it.
    let items = types
        .iter()
        .filter(|def| part.holds(&def.gate))
        .map(|def| part.gated(&def.gate, type_items(def)));
    if let Part::Feature(_) | Part::Group(_) = part {
        return quote! { #( #items )* };
    }
    quote! {
        //! Types of the request and response bodies, one per schema the operations use.
        #( #items )*
    }
}

/// The gates of the items of `types.rs`, one per type.
pub(super) fn gates(types: &[TypeDef]) -> impl Iterator<Item = &FeatureGate> {
    types.iter().map(|def| &def.gate)
}

pub(super) fn derives(def: &TypeDef, extra: TokenStream) -> TokenStream {
    let eq = def.eq.then(|| quote! { Eq, });
    quote! { #[derive(Debug, Clone, PartialEq, #eq #extra)] }
}

/// The serde derives of a type: the directions the API uses it in, and the
/// others behind the `full-serde` feature, so a response type does not pay
/// for a `Serialize` only mocks and tests call.
pub(super) fn serde_derives(def: &TypeDef) -> (TokenStream, Option<TokenStream>) {
    let mut used = Vec::new();
    let mut unused = Vec::new();
    let mut derived = vec![(quote! { ::serde::Serialize }, def.serde.serialize)];
    if !def.serde.by_fields {
        derived.push((quote! { ::serde::Deserialize }, def.serde.deserialize));
    }
    for (trait_path, needed) in derived {
        if needed {
            used.push(trait_path)
        } else {
            unused.push(trait_path)
        }
    }
    let rest = (!unused.is_empty()).then(|| quote! { #[cfg_attr(feature = "full-serde", derive(#( #unused ),*))] });
    (quote! { #( #used, )* }, rest)
}

fn type_items(def: &TypeDef) -> TokenStream {
    let doc = docs(&def.docs);
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct { fields, additional } => {
            let default = def.default.then(|| quote! { Default, });
            let (serde, other_serde) = serde_derives(def);
            let derive = derives(def, quote! { #default #serde });
            // Field attributes are the derives'; with `Deserialize` written out
            // and `Serialize` behind `full-serde`, they must be too.
            let attrs_need_feature = def.serde.by_fields && !def.serde.serialize;
            let decode = def.serde.by_fields.then(|| deserialize_by_fields(def, fields));
            let fields = fields.iter().map(|f| field(f, attrs_need_feature));
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
                #other_serde
                pub struct #name {
                    #( #fields )*
                    #additional
                }
                #decode
            }
        }
        TypeKind::Enum { variants } => open_enum(def, variants),
        TypeKind::IntEnum { values } => {
            let derive = derives(
                def,
                quote! { Copy, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize },
            );
            let consts = values.iter().map(|IntEnumValue { constant, value }| {
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
        TypeKind::Union {
            variants,
            discriminator,
        } => super::unions::union(def, variants, discriminator.as_deref()),
        TypeKind::Form { fields } => form(def, fields),
        TypeKind::StatusEnum { variants } => {
            let derive = derives(def, quote! {});
            let variants = variants.iter().map(|variant| {
                let StatusVariant { status, ty, .. } = variant;
                let doc = docs(&format!("Status {status}: {}", variant.docs));
                let variant = ident(&variant.rust_name);
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

/// `Deserialize` written out: one `visit_map` that matches each field name
/// and fills the field through the runtime's `fields` helpers, which behave
/// as serde's derive (see `apigen_runtime::fields`). Compiled only with
/// `full-serde` when no response holds the type.
fn deserialize_by_fields(def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = ident(&def.name);
    let expecting = format!("struct {}", def.name);
    let type_name = &def.name;
    // Each field's value is gathered in a local of the field's own name; the
    // visitor's own names (`__Visitor`, `__map`, `__key`) start with `__`,
    // which no field or type name the generator gives does.
    let slots: Vec<proc_macro2::Ident> = fields.iter().map(|f| ident(&f.rust_name)).collect();
    let wires: Vec<&str> = fields.iter().map(|f| f.wire_name.as_str()).collect();
    let reader = quote! { ::apigen_runtime::fields };
    let read = if fields.is_empty() {
        quote! {
            while __map.next_entry::<::serde::de::IgnoredAny, ::serde::de::IgnoredAny>()?.is_some() {}
        }
    } else {
        quote! {
            while let ::std::option::Option::Some(__key) = __map.next_key::<#reader::FieldName<'de>>()? {
                match __key.as_str() {
                    #( #wires => #reader::next_field(&mut __map, &mut #slots, #wires)?, )*
                    _ => {
                        __map.next_value::<::serde::de::IgnoredAny>()?;
                    }
                }
            }
        }
    };
    let inits = fields.iter().zip(&slots).map(|(f, slot)| {
        let field = ident(&f.rust_name);
        let wire = &f.wire_name;
        // A field with a default (every `Option` the generator writes) is
        // `None` when absent; any other is required.
        if f.without_default() {
            quote! { #field: #reader::required_field(#slot, #wire)?, }
        } else {
            quote! { #field: #slot.unwrap_or_default(), }
        }
    });
    let gate = (!def.serde.deserialize).then(|| quote! { #[cfg(feature = "full-serde")] });
    let allow_deprecated = fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote! { #[allow(deprecated)] });
    quote! {
        #gate
        #allow_deprecated
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(self, mut __map: __A) -> ::std::result::Result<#name, __A::Error> {
                        #( let mut #slots = ::std::option::Option::None; )*
                        #read
                        ::std::result::Result::Ok(#name { #( #inits )* })
                    }
                }
                deserializer.deserialize_struct(#type_name, &[#( #wires ),*], __Visitor)
            }
        }
    }
}

fn field(field: &Field, attrs_need_feature: bool) -> TokenStream {
    // `#[serde(..)]`, or, where no serde derive is certain to read it, the same
    // behind `full-serde`.
    let serde_attr = |inner: TokenStream| match attrs_need_feature {
        true => quote! { #[cfg_attr(feature = "full-serde", serde(#inner))] },
        false => quote! { #[serde(#inner)] },
    };
    let doc = docs(&field.docs);
    let doc = match field.deprecated {
        true => quote! { #doc #[deprecated] },
        false => doc,
    };
    let name = ident(&field.rust_name);
    let wire = &field.wire_name;
    let mut ty = type_tokens(&field.ty);
    if field.boxed {
        ty = quote! { ::std::boxed::Box<#ty> };
    }
    if field.flatten {
        let attr = serde_attr(quote! { flatten });
        return quote! { #doc #attr pub #name: #ty, };
    }
    let rename = (*wire != field.rust_name).then(|| quote! { rename = #wire, });
    if field.without_default() {
        let attrs = rename.map(serde_attr);
        quote! { #doc #attrs pub #name: #ty, }
    } else if field.required {
        // Required but nullable: always sent, as `null` when `None`.
        let attr = serde_attr(quote! { #rename default });
        quote! { #doc #attr pub #name: ::std::option::Option<#ty>, }
    } else {
        let attr = serde_attr(quote! { #rename default, skip_serializing_if = "::std::option::Option::is_none" });
        quote! {
            #doc
            #attr
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
        quote! { #[doc = #doc] #variant, }
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
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #declared )*
            /// A value not known when this client was generated, kept as sent.
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

        // Written out rather than derived: a derived `Deserialize` with an
        // untagged fallback buffers every value before matching it.
        impl ::serde::Serialize for #name {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                ::apigen_runtime::deserialize_open_enum(deserializer)
            }
        }
    }
}

/// A multipart form: a plain struct (no serde) and the method that builds
/// the runtime's `Form` from it, one part per field in document order.
fn form(def: &TypeDef, fields: &[FormField]) -> TokenStream {
    let doc = docs(&def.docs);
    let name = ident(&def.name);
    let file = quote! { ::apigen_runtime::multipart::FilePart };
    // Lists are empty when there is nothing to send, so only single values need `Option`.
    let single = |f: &FormField| matches!(f.part, FormPart::File | FormPart::Text(_) | FormPart::Json(_));
    let default = def.default.then(|| quote! { Default, });
    let derive = derives(def, quote! { #default });
    let declared = fields.iter().map(|f| {
        let doc = docs(&f.docs);
        let field = ident(&f.rust_name);
        let ty = match &f.part {
            FormPart::File => file.clone(),
            FormPart::Files => quote! { ::std::vec::Vec<#file> },
            FormPart::Text(ty) | FormPart::Json(ty) => type_tokens(ty),
            FormPart::TextList(ty) => {
                let ty = type_tokens(ty);
                quote! { ::std::vec::Vec<#ty> }
            }
        };
        let ty = if single(f) && !f.required {
            quote! { ::std::option::Option<#ty> }
        } else {
            ty
        };
        quote! { #doc pub #field: #ty, }
    });
    let parts = fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let wire = &f.wire_name;
        let add = match (&f.part, f.content_type.as_deref()) {
            (FormPart::File | FormPart::Files, Some(content_type)) => {
                quote! { form.file_as(#wire, value.clone(), #content_type); }
            }
            (FormPart::Text(_) | FormPart::TextList(_), Some(content_type)) => {
                quote! { form.text_as(#wire, value, #content_type); }
            }
            (part, _) => match part {
                FormPart::File => quote! { form.file(#wire, value.clone()); },
                FormPart::Text(_) => quote! { form.text(#wire, value); },
                FormPart::Json(_) => quote! { form.json(#wire, value)?; },
                FormPart::Files => quote! { form.file(#wire, value.clone()); },
                FormPart::TextList(_) => quote! { form.text(#wire, value); },
            },
        };
        if !single(f) {
            // One part per item, all under the field's name.
            quote! { for value in &self.#field { #add } }
        } else if !f.required {
            quote! { if let ::std::option::Option::Some(value) = &self.#field { #add } }
        } else {
            quote! { { let value = &self.#field; #add } }
        }
    });
    let mutable = (!fields.is_empty()).then(|| quote! { mut });
    quote! {
        #doc
        ///
        /// Sent as `multipart/form-data`, one part per field.
        #derive
        pub struct #name {
            #( #declared )*
        }

        impl #name {
            /// The multipart form this body is sent as. Fails only when a
            /// JSON field does not serialise.
            pub fn to_form(&self) -> ::std::result::Result<::apigen_runtime::multipart::Form, ::serde_json::Error> {
                let #mutable form = ::apigen_runtime::multipart::Form::new();
                #( #parts )*
                ::std::result::Result::Ok(form)
            }
        }
    }
}
