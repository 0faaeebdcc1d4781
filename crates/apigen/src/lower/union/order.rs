//! The order in which the variants of an untagged union are tried, and the
//! variants no order can reach.
//!
//! serde's `untagged` takes the first variant that decodes, so a variant
//! that accepts every value a later one accepts hides the later one. Whether
//! it does is judged on the values each variant's schema describes: an
//! object variant hides another when it requires no more properties and
//! every property both declare decodes in the first whatever the second
//! allows there. One comparison visits at most [`VISIT_BUDGET`] pairs of
//! types; past that, variants are not said to hide each other.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Inexact, Primitive, RuntimeType, TypeDef, TypeKind, TypeRef, UnionVariant};

/// How many pairs of types one comparison of two variants may visit, so
/// that wide and deep structs cannot take exponential time.
const VISIT_BUDGET: usize = 256;

/// What a variant's decoder accepts, as far as the trial order is concerned.
#[derive(Debug, Clone, PartialEq)]
enum Accepts {
    /// Every JSON value (`serde_json::Value`, or a union with its `Other`).
    Everything,
    /// Every object (a map of any JSON value).
    AllObjects,
    /// Objects with all of `required`, whose declared properties decode as
    /// `fields`, and whose other
    /// properties decode as `additional` or are ignored when it is `None`.
    Objects {
        required: BTreeSet<String>,
        fields: BTreeMap<String, FieldAccepts>,
        additional: Option<TypeRef>,
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
    /// Not analysed (runtime types, bytes, typed maps): never said to hide
    /// or be hidden.
    Unknown,
}

/// A declared property of an object variant.
#[derive(Debug, Clone, PartialEq)]
struct FieldAccepts {
    ty: TypeRef,
    /// The schema allows `null` there.
    nullable: bool,
    /// Not required: the Rust field is an `Option`, which also takes `null`.
    optional: bool,
}

fn accepts(ty: &TypeRef, types: &BTreeMap<String, TypeDef>) -> Accepts {
    let mut current = ty;
    // Alias chains are finite (alias cycles are rejected while lowering).
    for _ in 0..=types.len() {
        return match current {
            TypeRef::Any => Accepts::Everything,
            TypeRef::Map(value) if **value == TypeRef::Any => Accepts::AllObjects,
            TypeRef::Map(_) => Accepts::Unknown,
            TypeRef::List(item) => Accepts::Lists((**item).clone()),
            // `type_shadows` compares nullable types before asking this.
            TypeRef::Nullable(_) => Accepts::Unknown,
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
                Some(TypeKind::Struct { fields, additional }) => Accepts::Objects {
                    required: fields
                        .iter()
                        .filter(|f| f.required && !f.nullable && !f.flatten)
                        .map(|f| f.wire_name.clone())
                        .collect(),
                    fields: fields
                        .iter()
                        .filter(|f| !f.flatten)
                        .map(|f| {
                            let field = FieldAccepts {
                                ty: f.ty.clone(),
                                nullable: f.nullable,
                                optional: !f.required,
                            };
                            (f.wire_name.clone(), field)
                        })
                        .collect(),
                    additional: additional.clone(),
                },
                // Open enums keep unknown values, so they take every string or integer.
                Some(TypeKind::Enum { .. }) => Accepts::Strings,
                Some(TypeKind::IntEnum { .. }) => Accepts::Integers { wide: true },
                Some(TypeKind::Union { .. }) => Accepts::Everything,
                Some(TypeKind::StatusEnum { .. } | TypeKind::Form { .. }) | None => Accepts::Unknown,
            },
        };
    }
    Accepts::Unknown
}

/// Whether every value of type `later` also decodes as `earlier`.
fn type_shadows(earlier: &TypeRef, later: &TypeRef, types: &BTreeMap<String, TypeDef>, budget: &mut usize) -> bool {
    if earlier == later {
        return true;
    }
    let Some(left) = budget.checked_sub(1) else {
        return false;
    };
    *budget = left;
    match (earlier, later) {
        // `null` decodes into the earlier `Option` as well, so only the values matter.
        (TypeRef::Nullable(own), TypeRef::Nullable(other)) => type_shadows(own, other, types, budget),
        (TypeRef::Nullable(own), other) => type_shadows(own, other, types, budget),
        // Of the types that are not `Option`, only one that takes every value takes `null`.
        (own, TypeRef::Nullable(_)) => accepts(own, types) == Accepts::Everything,
        _ => shadows(&accepts(earlier, types), &accepts(later, types), types, budget),
    }
}

/// Whether every value `later` accepts is already taken by `earlier`.
fn shadows(earlier: &Accepts, later: &Accepts, types: &BTreeMap<String, TypeDef>, budget: &mut usize) -> bool {
    match (earlier, later) {
        (Accepts::Unknown, _) | (_, Accepts::Unknown) => false,
        (Accepts::Everything, _) => true,
        (Accepts::AllObjects, Accepts::AllObjects | Accepts::Objects { .. }) => true,
        (
            Accepts::Objects {
                required,
                fields,
                additional,
            },
            Accepts::Objects {
                required: later_required,
                fields: later_fields,
                additional: later_additional,
            },
        ) => {
            let rest_fits = match (additional, later_additional) {
                (Some(rest), Some(later_rest)) => type_shadows(rest, later_rest, types, budget),
                _ => true,
            };
            // A property only `later` declares lands in `earlier`'s map of
            // undeclared properties, or is ignored when it has none. `null`
            // decodes into an `Option`, whether the field is nullable or optional.
            let mut fits_earlier = |name: &String, field: &FieldAccepts| match fields.get(name) {
                Some(own) => {
                    (own.nullable || own.optional || !field.nullable) && type_shadows(&own.ty, &field.ty, types, budget)
                }
                None => match additional {
                    Some(rest) => !field.nullable && type_shadows(rest, &field.ty, types, budget),
                    None => true,
                },
            };
            required.is_subset(later_required)
                && rest_fits
                && later_fields.iter().all(|(name, field)| fits_earlier(name, field))
        }
        (Accepts::Strings, Accepts::Strings) | (Accepts::Bools, Accepts::Bools) => true,
        (Accepts::Numbers, Accepts::Numbers | Accepts::Integers { .. }) => true,
        (Accepts::Integers { wide }, Accepts::Integers { wide: other }) => *wide || !other,
        (Accepts::Lists(a), Accepts::Lists(b)) => *a == TypeRef::Any || type_shadows(a, b, types, budget),
        _ => false,
    }
}

/// Appends `index` to `order`, after every variant it shadows (which must be
/// tried before it). A variant moves only as far as it must: just before the
/// first variant that would take its values. `visiting` guards against
/// loops; variants that shadow each other are reported by the caller.
fn place(index: usize, hides: &[Vec<bool>], visiting: &mut [bool], order: &mut Vec<usize>) {
    if visiting[index] || order.contains(&index) {
        return;
    }
    visiting[index] = true;
    for other in 0..hides.len() {
        // Variants that accept the same values keep their document order.
        if other != index && hides[index][other] && !hides[other][index] {
            place(other, hides, visiting, order);
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
        // `hides[a][b]`: every value variant `b` accepts decodes as variant `a`.
        let hides: Vec<Vec<bool>> = seen
            .iter()
            .map(|a| {
                seen.iter()
                    .map(|b| {
                        let mut budget = VISIT_BUDGET;
                        shadows(a, b, types, &mut budget)
                    })
                    .collect()
            })
            .collect();
        let mut order = Vec::with_capacity(seen.len());
        let mut visiting = vec![false; seen.len()];
        for index in 0..seen.len() {
            place(index, &hides, &mut visiting, &mut order);
        }
        let mut stuck = Vec::new();
        for (position, &first) in order.iter().enumerate() {
            for &later in order.get(position + 1..).unwrap_or_default() {
                if hides[first][later] {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Field;

    fn field(wire: &str, ty: TypeRef, required: bool) -> Field {
        Field {
            wire_name: wire.into(),
            rust_name: wire.into(),
            ty,
            required,
            nullable: false,
            boxed: false,
            read_only: false,
            deprecated: false,
            flatten: false,
            docs: String::new(),
        }
    }

    fn object(name: &str, fields: Vec<Field>) -> (String, TypeDef) {
        let def = TypeDef::new(
            name.into(),
            format!("#/components/schemas/{name}"),
            String::new(),
            TypeKind::Struct {
                fields,
                additional: None,
            },
        );
        (name.into(), def)
    }

    fn union(variants: &[&str]) -> (String, TypeDef) {
        let variants = variants
            .iter()
            .map(|name| UnionVariant {
                rust_name: (*name).into(),
                ty: TypeRef::Named((*name).into()),
                boxed: false,
                tags: Vec::new(),
            })
            .collect();
        let def = TypeDef::new(
            "U".into(),
            "#/components/schemas/U".into(),
            String::new(),
            TypeKind::Union {
                variants,
                discriminator: None,
            },
        );
        ("U".into(), def)
    }

    const INTEGER: TypeRef = TypeRef::Primitive(Primitive::I64);
    const STRING: TypeRef = TypeRef::Primitive(Primitive::String);

    #[test]
    fn objects_whose_shared_property_differs_in_type_do_not_hide_each_other() {
        let mut types: BTreeMap<String, TypeDef> = [
            object("Ints", vec![field("value", INTEGER, false)]),
            object("Texts", vec![field("value", STRING, false)]),
            union(&["Ints", "Texts"]),
        ]
        .into_iter()
        .collect();
        assert_eq!(order_unions(&mut types), []);
    }

    #[test]
    fn an_object_with_fewer_required_properties_of_the_same_types_hides_the_other() {
        let mut types: BTreeMap<String, TypeDef> = [
            object("General", vec![field("id", STRING, true)]),
            object(
                "Specific",
                vec![field("id", STRING, true), field("size", INTEGER, true)],
            ),
            union(&["General", "Specific"]),
        ]
        .into_iter()
        .collect();
        assert_eq!(order_unions(&mut types), [], "reordering is enough");
        let Some(TypeKind::Union { variants, .. }) = types.get("U").map(|d| &d.kind) else {
            panic!("U is a union")
        };
        let order: Vec<&str> = variants.iter().map(|v| v.rust_name.as_str()).collect();
        assert_eq!(order, ["Specific", "General"]);
    }

    #[test]
    fn a_nullable_property_is_not_hidden_by_one_that_refuses_null() {
        let mut nullable = field("id", STRING, true);
        nullable.nullable = true;
        let mut types: BTreeMap<String, TypeDef> = [
            object("Strict", vec![field("id", STRING, true)]),
            object("Loose", vec![nullable]),
            union(&["Strict", "Loose"]),
        ]
        .into_iter()
        .collect();
        assert_eq!(order_unions(&mut types), []);
        let Some(TypeKind::Union { variants, .. }) = types.get("U").map(|d| &d.kind) else {
            panic!("U is a union")
        };
        // `Loose` takes every value `Strict` does, so `Strict` goes first.
        let order: Vec<&str> = variants.iter().map(|v| v.rust_name.as_str()).collect();
        assert_eq!(order, ["Strict", "Loose"]);
    }

    #[test]
    fn objects_that_accept_the_same_values_are_reported() {
        let mut types: BTreeMap<String, TypeDef> = [
            object("A", vec![field("a", STRING, false)]),
            object("B", vec![field("b", STRING, false)]),
            union(&["A", "B"]),
        ]
        .into_iter()
        .collect();
        let found = order_unions(&mut types);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("`B` never decodes"), "{}", found[0].message);
    }
}
