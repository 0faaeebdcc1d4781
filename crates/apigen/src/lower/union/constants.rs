//! `oneOf` of constants: an enum written as one branch per value, each a
//! `const` (or a one-value `enum`) with a title and a description. Discord's
//! and other generated specs document their enums that way. As a union of
//! strings or integers every branch would accept every value of the others,
//! so it becomes the open enum it describes, named after the titles.
//!
//! The same goes for "known values or any string" (`anyOf: [{type: string},
//! {type: string, enum: [...]}]`, common in OpenAI's spec): the open enum
//! keeps the known values as variants and any other string in `Unknown`,
//! which is exactly what the union allows.

use std::collections::BTreeSet;

use openapiv3::{ReferenceOr, Schema};

use crate::ir::{EnumVariant, IntEnumValue, TypeKind};
use crate::lower::shape::{Shape, shape_of};
use crate::naming::{self, Scope};

/// The values of one branch, with its title.
enum Constants<'s> {
    Text(Vec<String>, Option<&'s str>),
    Integer(Vec<i64>, Option<&'s str>),
}

/// The values a branch allows (none for a plain string or integer, which
/// allows them all), with its title when it is written inline.
fn constants<'s>(
    branch: &'s ReferenceOr<Schema>,
    deref: &impl Fn(&'s ReferenceOr<Schema>) -> Option<&'s Schema>,
    budget: &mut usize,
) -> Option<Constants<'s>> {
    *budget = budget.checked_sub(1)?;
    let schema = deref(branch)?;
    let title = match branch {
        ReferenceOr::Item(schema) => schema.schema_data.title.as_deref(),
        ReferenceOr::Reference { .. } => None,
    };
    // `null` has no place in the enum; the union keeps reporting it.
    if schema.schema_data.nullable {
        return None;
    }
    match shape_of(schema) {
        Shape::String { values } => Some(Constants::Text(values.into_iter().collect::<Option<_>>()?, title)),
        Shape::Integer { values, .. } => Some(Constants::Integer(values.into_iter().collect::<Option<_>>()?, title)),
        // A branch that is itself a union of constants adds its values; a
        // cycle of such unions ends when the budget runs out.
        Shape::Union {
            branches,
            properties: None,
            ..
        } => {
            let inner: Vec<Constants<'_>> = branches
                .iter()
                .map(|b| constants(b, deref, budget))
                .collect::<Option<_>>()?;
            match inner.first()? {
                Constants::Text(..) => Some(Constants::Text(
                    inner
                        .into_iter()
                        .map(|c| match c {
                            Constants::Text(values, _) => Some(values),
                            Constants::Integer(..) => None,
                        })
                        .collect::<Option<Vec<_>>>()?
                        .concat(),
                    None,
                )),
                Constants::Integer(..) => Some(Constants::Integer(
                    inner
                        .into_iter()
                        .map(|c| match c {
                            Constants::Integer(values, _) => Some(values),
                            Constants::Text(..) => None,
                        })
                        .collect::<Option<Vec<_>>>()?
                        .concat(),
                    None,
                )),
            }
        }
        _ => None,
    }
}

/// How many branches one union's search may visit, nested unions
/// included; real specs list a few hundred values at most.
const VISIT_BUDGET: usize = 4096;

/// The enum a union of constants stands for; `None` when a branch is
/// anything else, the branches mix strings and integers, or no branch
/// names a value. `deref` follows a branch's `$ref`s.
pub(crate) fn enum_of_constants<'s>(
    branches: &'s [ReferenceOr<Schema>],
    deref: impl Fn(&'s ReferenceOr<Schema>) -> Option<&'s Schema>,
) -> Option<TypeKind> {
    let mut budget = VISIT_BUDGET;
    let found: Vec<Constants<'_>> = branches
        .iter()
        .map(|b| constants(b, &deref, &mut budget))
        .collect::<Option<_>>()?;
    let named = found.iter().any(|c| match c {
        Constants::Text(values, _) => !values.is_empty(),
        Constants::Integer(values, _) => !values.is_empty(),
    });
    if !named {
        return None;
    }
    // Titles name the values only when each branch has one value and its own
    // title; otherwise the values name themselves.
    let mut titles = BTreeSet::new();
    let titled = found.iter().all(|c| match c {
        Constants::Text(values, Some(title)) => values.len() == 1 && titles.insert(*title),
        Constants::Integer(values, Some(title)) => values.len() == 1 && titles.insert(*title),
        _ => false,
    });
    match found.first()? {
        Constants::Text(..) => {
            let mut scope = Scope::with_reserved(&[naming::UNKNOWN_VARIANT]);
            let mut seen = BTreeSet::new();
            let mut variants = Vec::new();
            for branch in &found {
                let Constants::Text(values, title) = branch else {
                    return None;
                };
                for value in values.iter().filter(|v| seen.insert((*v).clone())) {
                    let name = match title.filter(|_| titled) {
                        Some(title) => naming::variant_name(title),
                        None => naming::variant_name(value),
                    };
                    variants.push(EnumVariant {
                        rust_name: scope.claim(name),
                        wire_value: value.clone(),
                    });
                }
            }
            Some(TypeKind::Enum { variants })
        }
        Constants::Integer(..) => {
            let mut scope = Scope::default();
            let mut seen = BTreeSet::new();
            let mut values = Vec::new();
            for branch in &found {
                let Constants::Integer(numbers, title) = branch else {
                    return None;
                };
                for &value in numbers.iter().filter(|v| seen.insert(**v)) {
                    let name = title
                        .filter(|_| titled)
                        .and_then(naming::constant_name)
                        .unwrap_or_else(|| naming::int_enum_constant(value));
                    values.push(IntEnumValue {
                        constant: scope.claim(name),
                        value,
                    });
                }
            }
            Some(TypeKind::IntEnum { values })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn branches(yaml: &str) -> Vec<ReferenceOr<Schema>> {
        serde_yaml_ng::from_str(yaml).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Inline branches only: a `$ref` is not followed.
    fn enum_of_constants(branches: &[ReferenceOr<Schema>]) -> Option<TypeKind> {
        super::enum_of_constants(branches, |branch| match branch {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { .. } => None,
        })
    }

    #[test]
    fn titled_integer_constants_become_named_constants() {
        let kind = enum_of_constants(&branches(
            "[{title: ACTION_ROW, type: integer, enum: [1]}, {title: Button, type: integer, enum: [2]}]",
        ));
        assert_eq!(
            kind,
            Some(TypeKind::IntEnum {
                values: vec![
                    IntEnumValue {
                        constant: "ACTION_ROW".into(),
                        value: 1
                    },
                    IntEnumValue {
                        constant: "BUTTON".into(),
                        value: 2
                    }
                ]
            })
        );
    }

    #[test]
    fn untitled_string_constants_are_named_by_value() {
        let kind = enum_of_constants(&branches("[{enum: [link]}, {enum: [embed, file]}]"));
        let Some(TypeKind::Enum { variants }) = kind else {
            panic!("{kind:?}")
        };
        let names: Vec<(&str, &str)> = variants
            .iter()
            .map(|v| (v.rust_name.as_str(), v.wire_value.as_str()))
            .collect();
        assert_eq!(names, [("Link", "link"), ("Embed", "embed"), ("File", "file")]);
    }

    #[test]
    fn known_values_or_any_string_is_an_open_enum() {
        let kind = enum_of_constants(&branches("[{type: string}, {type: string, enum: [auto, 1024x1024]}]"));
        let Some(TypeKind::Enum { variants }) = kind else {
            panic!("{kind:?}")
        };
        let names: Vec<(&str, &str)> = variants
            .iter()
            .map(|v| (v.rust_name.as_str(), v.wire_value.as_str()))
            .collect();
        assert_eq!(names, [("Auto", "auto"), ("V1024x1024", "1024x1024")]);
    }

    #[test]
    fn a_nested_union_of_constants_adds_its_values() {
        let kind = enum_of_constants(&branches("[{anyOf: [{type: string}, {enum: [a]}]}, {enum: [b]}]"));
        let Some(TypeKind::Enum { variants }) = kind else {
            panic!("{kind:?}")
        };
        let values: Vec<&str> = variants.iter().map(|v| v.wire_value.as_str()).collect();
        assert_eq!(values, ["a", "b"]);
    }

    #[test]
    fn anything_but_constants_is_no_enum() {
        assert_eq!(enum_of_constants(&branches("[{type: string}, {type: string}]")), None);
        assert_eq!(
            enum_of_constants(&branches("[{enum: [a]}, {type: string, nullable: true}]")),
            None
        );
        assert_eq!(enum_of_constants(&branches("[{enum: [a]}, {type: object}]")), None);
        assert_eq!(enum_of_constants(&branches("[{enum: [a]}, {enum: [1]}]")), None);
        assert_eq!(
            enum_of_constants(&branches("[{enum: [a]}, {$ref: '#/components/schemas/A'}]")),
            None
        );
        assert_eq!(enum_of_constants(&branches("[{enum: [a, null]}]")), None);
    }
}
