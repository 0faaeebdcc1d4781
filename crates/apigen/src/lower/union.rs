//! `oneOf` and `anyOf`: variants, discriminators, properties written next to
//! the union, and the order in which untagged variants are tried.
//!
//! A union without a discriminator decodes by trying its variants in order
//! (serde's `untagged`), so a variant that accepts everything a later one
//! accepts would make the later one unreachable. [`order_unions`] runs once
//! every type exists and puts the more specific variants first; what it
//! cannot order is reported as inexact.

mod constants;
mod tagged;

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema};

use super::schema::{SchemaOrRef, TypeBuilder, name_fields};
use crate::error::{Result, pointer_push};
use crate::ir::{Field, Inexact, Primitive, RuntimeType, TagValue, TypeDef, TypeKind, TypeRef, UnionVariant};
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
            if let Some(kind) = constants::enum_of_constants(branches) {
                return Ok(kind);
            }
            return self.union_kind(name, schema, keyword, branches, pointer);
        };
        // The properties hold whichever branch matches: they become fields,
        // and the branch's own properties decode from the same object.
        let union_name = self.claim_name(&format!("{name}Variant"));
        let kind = self.union_kind(&union_name, schema, keyword, branches, pointer)?;
        self.insert(TypeDef {
            name: union_name.clone(),
            pointer: pointer_push(pointer, keyword),
            docs: format!("The shapes of [`{name}`] besides its own properties (`{keyword}`)."),
            kind,
            eq: true,
            patch_paths: false,
        });
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
    /// `null` (array items, map values, union branches).
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

/// What a variant's decoder accepts, as far as the trial order is concerned.
#[derive(Debug, Clone, PartialEq)]
enum Accepts {
    /// Every JSON value (`serde_json::Value`, or a union with its `Other`).
    Everything,
    /// Objects: every one (a map), or those with all of `required`.
    Objects {
        all: bool,
        required: BTreeSet<String>,
    },
    Strings,
    /// Integers; `wide` for `i64`.
    Integers {
        wide: bool,
    },
    /// Numbers, integers included.
    Numbers,
    Bools,
    /// Arrays of this item type.
    Lists(TypeRef),
    /// Not analysed (runtime types, bytes): never said to shadow or be shadowed.
    Unknown,
}

fn accepts(ty: &TypeRef, types: &BTreeMap<String, TypeDef>) -> Accepts {
    let mut current = ty;
    // Alias chains are finite (alias cycles are rejected while lowering).
    for _ in 0..=types.len() {
        return match current {
            TypeRef::Any => Accepts::Everything,
            TypeRef::Map(_) => Accepts::Objects {
                all: true,
                required: BTreeSet::new(),
            },
            TypeRef::List(item) => Accepts::Lists((**item).clone()),
            TypeRef::Primitive(Primitive::String) => Accepts::Strings,
            TypeRef::Primitive(Primitive::Bool) => Accepts::Bools,
            TypeRef::Primitive(Primitive::I32) => Accepts::Integers { wide: false },
            TypeRef::Primitive(Primitive::I64) => Accepts::Integers { wide: true },
            TypeRef::Primitive(Primitive::F32 | Primitive::F64) => Accepts::Numbers,
            TypeRef::Runtime(RuntimeType::JsonPatch | RuntimeType::PatchOperation | RuntimeType::PatchWithComment)
            | TypeRef::Primitive(Primitive::Bytes)
            | TypeRef::Unit => Accepts::Unknown,
            TypeRef::Named(name) => match types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Alias(inner)) => {
                    current = inner;
                    continue;
                }
                // `Option` fields (nullable) have a default, so only the
                // others must be present for the struct to decode.
                Some(TypeKind::Struct { fields, .. }) => Accepts::Objects {
                    all: false,
                    required: fields
                        .iter()
                        .filter(|f| f.required && !f.nullable && !f.flatten)
                        .map(|f| f.wire_name.clone())
                        .collect(),
                },
                Some(TypeKind::Enum { .. }) => Accepts::Strings,
                Some(TypeKind::IntEnum { .. }) => Accepts::Integers { wide: true },
                Some(TypeKind::Union { .. }) => Accepts::Everything,
                Some(TypeKind::StatusEnum { .. } | TypeKind::Form { .. }) | None => Accepts::Unknown,
            },
        };
    }
    Accepts::Unknown
}

/// Whether every value `later` accepts is already taken by `earlier`.
fn shadows(earlier: &Accepts, later: &Accepts) -> bool {
    match (earlier, later) {
        (Accepts::Unknown, _) | (_, Accepts::Unknown) => false,
        (Accepts::Everything, _) => true,
        (Accepts::Objects { all: true, .. }, Accepts::Objects { .. }) => true,
        (
            Accepts::Objects {
                all: false,
                required: a,
            },
            Accepts::Objects {
                all: false,
                required: b,
            },
        ) => a.is_subset(b),
        (Accepts::Strings, Accepts::Strings) | (Accepts::Bools, Accepts::Bools) => true,
        (Accepts::Numbers, Accepts::Numbers | Accepts::Integers { .. }) => true,
        (Accepts::Integers { wide }, Accepts::Integers { wide: other }) => *wide || !other,
        (Accepts::Lists(a), Accepts::Lists(b)) => a == b || *a == TypeRef::Any,
        _ => false,
    }
}

/// Appends `index` to `order`, after every variant it shadows (which must be
/// tried before it). A variant moves only as far as it must: just before the
/// first variant that would take its values. `visiting` guards against
/// loops; variants that shadow each other are reported by the caller.
fn place(index: usize, seen: &[Accepts], visiting: &mut [bool], order: &mut Vec<usize>) {
    if visiting[index] || order.contains(&index) {
        return;
    }
    visiting[index] = true;
    for other in 0..seen.len() {
        // Variants that accept the same values keep their document order.
        if other != index && shadows(&seen[index], &seen[other]) && !shadows(&seen[other], &seen[index]) {
            place(other, seen, visiting, order);
        }
    }
    order.push(index);
}

/// Orders the variants of every untagged union so that none is tried after
/// a variant that accepts all it accepts; returns the unions where that is
/// impossible (two variants accept the same values).
pub(crate) fn order_unions(types: &mut BTreeMap<String, TypeDef>) -> Vec<Inexact> {
    let mut inexact = Vec::new();
    let names: Vec<String> = types
        .iter()
        .filter(|(_, def)| {
            matches!(
                &def.kind,
                TypeKind::Union {
                    discriminator: None,
                    ..
                }
            )
        })
        .map(|(name, _)| name.clone())
        .collect();
    for name in names {
        let Some(TypeKind::Union { variants, .. }) = types.get(&name).map(|def| &def.kind) else {
            continue;
        };
        let seen: Vec<Accepts> = variants.iter().map(|v| accepts(&v.ty, types)).collect();
        let mut order = Vec::with_capacity(seen.len());
        let mut visiting = vec![false; seen.len()];
        for index in 0..seen.len() {
            place(index, &seen, &mut visiting, &mut order);
        }
        let mut stuck = Vec::new();
        for (position, &first) in order.iter().enumerate() {
            for &later in &order[position + 1..] {
                if shadows(&seen[first], &seen[later]) {
                    stuck.push((variants[first].rust_name.clone(), variants[later].rust_name.clone()));
                }
            }
        }
        let Some(def) = types.get_mut(&name) else { continue };
        for (first, never) in stuck {
            inexact.push(Inexact {
                pointer: def.pointer.clone(),
                message: format!(
                    "union `{name}`: variant `{first}` accepts every value variant `{never}` accepts, \
                     so `{never}` never decodes (values of that shape decode as `{first}`)"
                ),
            });
        }
        if let TypeKind::Union { variants, .. } = &mut def.kind {
            let mut old: Vec<Option<UnionVariant>> = variants.drain(..).map(Some).collect();
            variants.extend(order.into_iter().filter_map(|i| old[i].take()));
        }
    }
    inexact
}
