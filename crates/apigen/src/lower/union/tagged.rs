//! Tags of unions: the property whose value says which variant a JSON value is.
//!
//! A `discriminator` names the property outright. Without one, a property
//! that every variant requires and fixes to values of its own (a one-value
//! `enum`, or a 3.1 `const`, which the loader turns into one) tells the
//! variants apart just as well; dropshot- and serde-generated specs describe
//! their internally tagged enums that way. Decoding by the tag is exact where
//! trying the variants in order is not: the member structs keep the tag as an
//! ordinary field, and that field accepts any string, so the first variant
//! whose other fields fit would take every value.
//!
//! The tag is read from the spec rather than from the IR: the IR keeps the
//! type of the tag field, and `{type: integer, enum: [8], allOf: [$ref]}`
//! lowers to the referenced enum, without the value that tells the variant.

use std::collections::BTreeSet;

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use crate::error::pointer_push;
use crate::ir::TagValue;
use crate::lower::schema::{SchemaOrRef, TypeBuilder};
use crate::lower::shape::{Shape, shape_of};

/// How many schemas one look for a tag may visit through `allOf` parts
/// and `$ref`s. Real tags sit one or two levels down; the bound keeps a
/// spec with wide, deep or cyclic `allOf`s from taking exponential time.
const VISIT_BUDGET: usize = 64;

/// Takes one visit from `budget`; `false` when none is left.
fn visit(budget: &mut usize) -> bool {
    match budget.checked_sub(1) {
        Some(left) => {
            *budget = left;
            true
        }
        None => false,
    }
}

/// What one variant says about a candidate tag property.
#[derive(Debug, Default, PartialEq)]
struct Fixed {
    /// The values the variant allows there, in document order; empty when
    /// the property is declared without a string or integer `enum`.
    values: Vec<TagValue>,
    /// Whether the variant declares the property at all.
    declared: bool,
    /// Whether the variant lists the property in `required`.
    required: bool,
}

impl Fixed {
    fn merge(&mut self, other: Fixed) {
        if self.values.is_empty() {
            self.values = other.values;
        }
        self.declared |= other.declared;
        self.required |= other.required;
    }
}

/// The tag of a union: the property, and for each branch (in document
/// order) the values that select it.
pub(crate) struct Tagging {
    pub(crate) property: String,
    pub(crate) tags: Vec<Vec<TagValue>>,
}

impl Tagging {
    /// Tags for the branches at the given indices; the others have none.
    fn from_fixed(property: String, branches: usize, fixed: Vec<(usize, Fixed)>) -> Self {
        let mut tags = vec![Vec::new(); branches];
        for (index, found) in fixed {
            if let Some(slot) = tags.get_mut(index) {
                *slot = found.values;
            }
        }
        Tagging { property, tags }
    }
}

/// Kinds of JSON value other than objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum ScalarKind {
    String,
    Integer,
    Number,
    Boolean,
    Array,
}

impl TypeBuilder<'_> {
    /// Decides the tag property of a union and the tag values that select
    /// each branch; `None` leaves the union untagged.
    pub(crate) fn tag_union(
        &mut self,
        schema: &Schema,
        branches: &[ReferenceOr<Schema>],
        list: &str,
        pointer: &str,
    ) -> Option<Tagging> {
        let mut tagging = match &schema.schema_data.discriminator {
            Some(discriminator) => {
                let tags = self.tag_discriminated(discriminator, branches, list, pointer);
                if tags.iter().all(Vec::is_empty) {
                    self.inexact(
                        &pointer_push(pointer, "discriminator"),
                        format!(
                            "no variant has a known value of the discriminator `{}`; the variants are tried in order instead",
                            discriminator.property_name
                        ),
                    );
                    return None;
                }
                Tagging {
                    property: discriminator.property_name.clone(),
                    tags,
                }
            }
            None => self.infer_tag(branches, list)?,
        };
        self.drop_repeated_tags(&mut tagging, list);
        Some(tagging)
    }

    /// Tags from a `discriminator`: its `mapping`, else the values the
    /// branch fixes the property to, else (for a `$ref`) the schema's name.
    fn tag_discriminated(
        &mut self,
        discriminator: &openapiv3::Discriminator,
        branches: &[ReferenceOr<Schema>],
        list: &str,
        pointer: &str,
    ) -> Vec<Vec<TagValue>> {
        let reference_of = |branch: &ReferenceOr<Schema>| match branch {
            ReferenceOr::Reference { reference } => Some(reference.clone()),
            ReferenceOr::Item(_) => None,
        };
        let mut tags: Vec<Vec<TagValue>> = vec![Vec::new(); branches.len()];
        let mapping_at = pointer_push(&pointer_push(pointer, "discriminator"), "mapping");
        for (value, target) in &discriminator.mapping {
            // A mapping value is a `$ref` or, as a shorthand, a schema name.
            let full = if target.contains('/') {
                target.clone()
            } else {
                format!("#/components/schemas/{target}")
            };
            let position = branches
                .iter()
                .position(|b| reference_of(b).as_deref() == Some(full.as_str()));
            // Mapping keys are strings, but the tag of a branch that fixes
            // the property to integers is an integer on the wire.
            let integer = position
                .and_then(|index| branches.get(index))
                .map(|branch| self.fixed_in_branch(branch, &discriminator.property_name).values)
                .and_then(|values| {
                    values
                        .into_iter()
                        .find(|fixed| matches!(fixed, TagValue::Integer(n) if n.to_string() == *value))
                });
            match position.and_then(|index| tags.get_mut(index)) {
                Some(found) => found.push(integer.unwrap_or_else(|| TagValue::Text(value.clone()))),
                None => self.inexact(
                    &pointer_push(&mapping_at, value),
                    format!("`{target}` is not one of the branches; the value `{value}` decodes into `Other`"),
                ),
            }
        }
        let mapped: BTreeSet<&String> = discriminator.mapping.values().collect();
        let mut kinds = BTreeSet::new();
        for (index, (branch, found)) in branches.iter().zip(tags.iter_mut()).enumerate() {
            if !found.is_empty() {
                continue;
            }
            // A branch that is not an object has no tag property; it takes
            // the values that are not objects, tried in order.
            if let Some(kind) = self.scalar_kind(branch) {
                if !kinds.insert(kind) {
                    self.inexact(
                        &pointer_push(list, &index.to_string()),
                        format!("an earlier branch also takes {kind:?} values and is tried first, so this branch may never decode"),
                    );
                }
                continue;
            }
            let fixed = self.fixed_in_branch(branch, &discriminator.property_name);
            if !fixed.values.is_empty() {
                *found = fixed.values;
                continue;
            }
            match reference_of(branch) {
                Some(reference) if !mapped.contains(&reference) => {
                    if let Some(key) = reference.rsplit('/').next() {
                        found.push(TagValue::Text(key.replace("~1", "/").replace("~0", "~")));
                    }
                }
                _ => self.inexact(
                    &pointer_push(list, &index.to_string()),
                    "an inline branch has no discriminator value, so no tag selects it; it decodes into `Other`",
                ),
            }
        }
        tags
    }

    /// Finds a property every object branch fixes to values of its own.
    /// Ones all object branches require come first; one that some branch
    /// only declares is used too, and reported, because a value without it
    /// then decodes into `Other` although that branch would accept it.
    ///
    /// Branches that are not objects (a string, a number, an array...) may
    /// sit beside the tagged ones when no two of them take the same kind of
    /// JSON value: a value that is not an object tries them in order.
    fn infer_tag(&mut self, branches: &[ReferenceOr<Schema>], list: &str) -> Option<Tagging> {
        let mut kinds = BTreeSet::new();
        let mut objects = Vec::new();
        for (index, branch) in branches.iter().enumerate() {
            match self.scalar_kind(branch) {
                Some(kind) if kinds.insert(kind) => {}
                Some(_) => return None,
                None => objects.push(index),
            }
        }
        // Integers are numbers too, so the two kinds would overlap.
        if objects.len() < 2 || (kinds.contains(&ScalarKind::Integer) && kinds.contains(&ScalarKind::Number)) {
            return None;
        }
        let candidates = self.property_names(branches.get(*objects.first()?)?);
        let mut declared_only = None;
        for property in candidates {
            let fixed: Vec<(usize, Fixed)> = objects
                .iter()
                .filter_map(|&index| Some((index, self.fixed_in_branch(branches.get(index)?, &property))))
                .collect();
            let mut seen = BTreeSet::new();
            let distinct = fixed
                .iter()
                .all(|(_, f)| !f.values.is_empty() && f.values.iter().all(|value| seen.insert(value.clone())));
            if !distinct {
                continue;
            }
            if fixed.iter().all(|(_, f)| f.required) {
                return Some(Tagging::from_fixed(property, branches.len(), fixed));
            }
            if declared_only.is_none() && fixed.iter().all(|(_, f)| f.declared) {
                declared_only = Some((property, fixed));
            }
        }
        let (property, fixed) = declared_only?;
        let optional: Vec<String> = fixed
            .iter()
            .filter(|(_, f)| !f.required)
            .map(|(index, _)| index.to_string())
            .collect();
        self.inexact(
            list,
            format!(
                "the variants are told apart by `{property}`, which branches {} do not require; a value without it decodes into `Other`",
                optional.join(", ")
            ),
        );
        Some(Tagging::from_fixed(property, branches.len(), fixed))
    }

    /// The kind of JSON value a branch that is not an object takes.
    fn scalar_kind(&self, branch: &ReferenceOr<Schema>) -> Option<ScalarKind> {
        match shape_of(self.branch_schema(branch)?) {
            Shape::String { .. } => Some(ScalarKind::String),
            Shape::Integer { .. } => Some(ScalarKind::Integer),
            Shape::Number => Some(ScalarKind::Number),
            Shape::Boolean => Some(ScalarKind::Boolean),
            Shape::Array(_) => Some(ScalarKind::Array),
            _ => None,
        }
    }

    /// A value can select one variant only: a tag value that an earlier
    /// branch already owns is taken from the later one, and reported.
    fn drop_repeated_tags(&mut self, tagging: &mut Tagging, list: &str) {
        let mut seen = BTreeSet::new();
        for (index, tags) in tagging.tags.iter_mut().enumerate() {
            let mut repeated = Vec::new();
            tags.retain(|tag| {
                let first = seen.insert(tag.clone());
                if !first {
                    repeated.push(tag.clone());
                }
                first
            });
            for tag in repeated {
                self.inexact.push(crate::ir::Inexact {
                    pointer: pointer_push(list, &index.to_string()),
                    message: format!(
                        "`{}` = `{tag}` also selects an earlier branch, so this branch never decodes from it",
                        tagging.property
                    ),
                });
            }
        }
    }

    /// Names of the properties a branch declares, in document order.
    fn property_names(&self, branch: &ReferenceOr<Schema>) -> Vec<String> {
        let mut names = Vec::new();
        if let Some(schema) = self.branch_schema(branch) {
            let mut budget = VISIT_BUDGET;
            self.collect_property_names(schema, &mut budget, &mut names);
        }
        names
    }

    fn collect_property_names(&self, schema: &Schema, budget: &mut usize, names: &mut Vec<String>) {
        if !visit(budget) {
            return;
        }
        let (properties, parts) = match shape_of(schema) {
            Shape::Object { properties, .. } => (Some(properties), Vec::new()),
            Shape::AllOf { parts, properties, .. } => (properties, parts),
            _ => return,
        };
        for name in properties.into_iter().flat_map(|p| p.keys()) {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        for (_, part) in parts {
            if let Some(part) = self.branch_schema(part) {
                self.collect_property_names(part, budget, names);
            }
        }
    }

    fn branch_schema<'s>(&'s self, branch: &'s ReferenceOr<Schema>) -> Option<&'s Schema> {
        // A dangling reference is reported where the branch is lowered.
        self.deref_quietly(branch.as_ref_or())
    }

    fn deref_quietly<'s>(&'s self, schema: ReferenceOr<&'s Schema>) -> Option<&'s Schema> {
        match schema {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => {
                let (_, target) = self.resolve(&reference, "").ok()?;
                self.deref(target, "").ok()
            }
        }
    }

    /// What a branch says about `property`, looking through `$ref`s and `allOf`.
    fn fixed_in_branch(&self, branch: &ReferenceOr<Schema>, property: &str) -> Fixed {
        match self.branch_schema(branch) {
            Some(schema) => {
                let mut budget = VISIT_BUDGET;
                self.fixed_in(schema, property, &mut budget)
            }
            None => Fixed::default(),
        }
    }

    fn fixed_in(&self, schema: &Schema, property: &str, budget: &mut usize) -> Fixed {
        let mut fixed = Fixed::default();
        if !visit(budget) {
            return fixed;
        }
        let (properties, required, parts) = match shape_of(schema) {
            Shape::Object {
                properties, required, ..
            } => (Some(properties), required, Vec::new()),
            Shape::AllOf {
                parts,
                properties,
                required,
            } => (properties, required, parts),
            _ => return fixed,
        };
        fixed.required = required.iter().any(|name| name == property);
        if let Some(found) = properties.and_then(|p| p.get(property)) {
            fixed.declared = true;
            fixed.values = self.enum_values(found.as_ref_or(), budget);
        }
        for (_, part) in parts {
            if let Some(part) = self.branch_schema(part) {
                fixed.merge(self.fixed_in(part, property, budget));
            }
        }
        fixed
    }

    /// The values of a string or integer `enum`, looking through `$ref`s and
    /// `allOf`; empty when the schema allows other values too.
    fn enum_values(&self, schema: ReferenceOr<&Schema>, budget: &mut usize) -> Vec<TagValue> {
        if !visit(budget) {
            return Vec::new();
        }
        let Some(schema) = self.deref_quietly(schema) else {
            return Vec::new();
        };
        let own: Option<Vec<TagValue>> = match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => string
                .enumeration
                .iter()
                .flatten()
                .map(|v| Some(TagValue::Text(v.clone())))
                .collect(),
            SchemaKind::Type(Type::Integer(integer)) => integer
                .enumeration
                .iter()
                .flatten()
                .map(|v| Some(TagValue::Integer(*v)))
                .collect(),
            SchemaKind::Any(any) => any
                .enumeration
                .iter()
                .filter(|value| !value.is_null())
                .map(|value| match value {
                    serde_json::Value::String(text) => Some(TagValue::Text(text.clone())),
                    other => other.as_i64().map(TagValue::Integer),
                })
                .collect(),
            _ => Some(Vec::new()),
        };
        match own {
            Some(values) if !values.is_empty() => values,
            // A value of another kind (a number, a boolean) cannot be a tag.
            Some(_) => match shape_of(schema) {
                Shape::AllOf { parts, .. } => parts
                    .iter()
                    .map(|(_, part)| self.enum_values(part.as_ref_or(), budget))
                    .find(|values| !values.is_empty())
                    .unwrap_or_default(),
                _ => Vec::new(),
            },
            None => Vec::new(),
        }
    }
}
