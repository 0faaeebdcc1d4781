//! `oneOf` and `anyOf`: variants, discriminators, properties written next to
//! the union, and the order in which untagged variants are tried.
//!
//! A union without a discriminator decodes by trying its variants in order
//! (serde's `untagged`), so a variant that accepts everything a later one
//! accepts would make the later one unreachable. [`order_unions`] runs once
//! every type exists and puts the more specific variants first; what it
//! cannot order is reported as inexact. A union whose variants carry a tag
//! property is decoded by the tag instead (`tagged`).

mod constants;
mod order;
mod tagged;

pub(crate) use order::order_unions;

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema};

use super::schema::{SchemaOrRef, TypeBuilder, name_fields};
use crate::error::{Result, pointer_push};
use crate::ir::{Field, TagValue, TypeDef, TypeKind, TypeRef, UnionVariant};
use crate::naming::{self, Scope};

impl TypeBuilder<'_> {
    /// Lowers a union named `name`. With `properties` written next to it,
    /// the result is a struct of those properties plus the union, flattened.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn union(
        &mut self,
        name: &str,
        schema: &Schema,
        keyword: &'static str,
        branches: &[ReferenceOr<Schema>],
        properties: Option<&IndexMap<String, ReferenceOr<Box<Schema>>>>,
        required: &[String],
        pointer: &str,
    ) -> Result<TypeKind> {
        let Some(properties) = properties else {
            if let Some(kind) = constants::enum_of_constants(branches, |branch| self.deref(branch, pointer).ok()) {
                return Ok(kind);
            }
            return self.union_kind(name, schema, keyword, branches, pointer);
        };
        // The properties hold whichever branch matches: they become fields,
        // and the branch's own properties decode from the same object.
        let union_name = self.claim_name(&format!("{name}Variant"));
        let kind = self.union_kind(&union_name, schema, keyword, branches, pointer)?;
        self.insert(TypeDef::new(
            union_name.clone(),
            pointer_push(pointer, keyword),
            format!("The shapes of [`{name}`] besides its own properties (`{keyword}`)."),
            kind,
        ));
        let mut fields = self.fields(name, properties, required, pointer)?;
        fields.push(Field {
            wire_name: String::new(),
            rust_name: String::new(),
            ty: TypeRef::Named(union_name.clone()),
            required: true,
            nullable: false,
            boxed: false,
            read_only: false,
            deprecated: false,
            flatten: true,
            docs: format!("The rest of the object: one of the shapes of [`{union_name}`]."),
        });
        name_fields(&mut fields);
        Ok(TypeKind::Struct {
            fields,
            additional: None,
        })
    }

    fn union_kind(
        &mut self,
        name: &str,
        schema: &Schema,
        keyword: &str,
        branches: &[ReferenceOr<Schema>],
        pointer: &str,
    ) -> Result<TypeKind> {
        let list = pointer_push(pointer, keyword);
        // The tag is decided from the spec first, so that inline branches
        // can be named after the tag value that selects them.
        let tagging = self.tag_union(schema, branches, &list, pointer);
        let mut scope = Scope::with_reserved(&[naming::OTHER_VARIANT]);
        let mut variants = Vec::with_capacity(branches.len());
        for (index, branch) in branches.iter().enumerate() {
            let at = pointer_push(&list, &index.to_string());
            self.unsupported_null(branch, &at, "a union branch");
            let tags = tagging
                .as_ref()
                .and_then(|t| t.tags.get(index))
                .cloned()
                .unwrap_or_default();
            let named_by_tag = match (branch, tags.first()) {
                (ReferenceOr::Item(_), Some(TagValue::Text(tag))) => Some(tag.clone()),
                _ => None,
            };
            let hint = match &named_by_tag {
                Some(tag) => format!("{name} {tag}"),
                None => format!("{name}Variant{}", index + 1),
            };
            let ty = self.type_of(branch, &hint, &at)?;
            let rust_name = match &named_by_tag {
                Some(tag) => naming::variant_name(tag),
                None => naming::union_variant(&ty, index),
            };
            variants.push(UnionVariant {
                rust_name: scope.claim(rust_name),
                ty,
                boxed: false,
                tags,
            });
        }
        let discriminator = tagging.map(|t| t.property);
        Ok(TypeKind::Union {
            variants,
            discriminator,
        })
    }

    /// Reports `nullable` where the generated type has no `Option` to hold
    /// `null` (union branches and request bodies; array items and map values
    /// become `Option<T>` instead).
    pub(crate) fn unsupported_null(&mut self, schema: &impl SchemaOrRef, pointer: &str, place: &str) {
        if let ReferenceOr::Item(schema) = schema.as_ref_or() {
            if schema.schema_data.nullable {
                self.inexact(
                    pointer,
                    format!("`nullable` on {place} is not represented: `null` does not decode there"),
                );
            }
        }
    }
}
