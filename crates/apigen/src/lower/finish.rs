//! Whole-graph decisions taken once every type exists: which fields need a
//! `Box` to break a cycle, which types can derive `Eq`, and which read-only
//! fields a request must be able to leave out.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::pointer_push;
use crate::ir::{FormPart, Inexact, Operation, Primitive, TypeDef, TypeKind, TypeRef};

/// Named types a value of `ty` contains inline (not behind a `Vec` or map).
fn direct_targets(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(name) => Some(name),
        // `Option<T>` holds its value inline, unlike a `Vec` or a map.
        TypeRef::Nullable(inner) => direct_targets(inner),
        _ => None,
    }
}

/// Edges of the "contains inline" graph.
fn direct_edges(def: &TypeDef) -> Vec<&str> {
    match &def.kind {
        TypeKind::Struct { fields, .. } => fields.iter().filter_map(|f| direct_targets(&f.ty)).collect(),
        TypeKind::Union { variants, .. } => variants.iter().filter_map(|v| direct_targets(&v.ty)).collect(),
        TypeKind::Alias(ty) => direct_targets(ty).into_iter().collect(),
        TypeKind::StatusEnum { variants } => variants.iter().filter_map(|v| direct_targets(&v.ty)).collect(),
        // Forms are request bodies only; nothing contains them, so they close no cycle.
        TypeKind::Enum { .. } | TypeKind::IntEnum { .. } | TypeKind::Form { .. } => Vec::new(),
    }
}

fn reaches(graph: &BTreeMap<&str, Vec<&str>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(node) = stack.pop() {
        if node == to {
            return true;
        }
        if seen.insert(node) {
            stack.extend(graph.get(node).into_iter().flatten().copied());
        }
    }
    false
}

/// Marks fields and union variants that close a cycle of inline containment.
pub(crate) fn mark_boxes(types: &mut BTreeMap<String, TypeDef>) {
    let owned: BTreeMap<String, Vec<String>> = types
        .values()
        .map(|def| {
            (
                def.name.clone(),
                direct_edges(def).into_iter().map(str::to_owned).collect(),
            )
        })
        .collect();
    let graph: BTreeMap<&str, Vec<&str>> = owned
        .iter()
        .map(|(name, edges)| (name.as_str(), edges.iter().map(String::as_str).collect()))
        .collect();
    for def in types.values_mut() {
        let owner = def.name.clone();
        match &mut def.kind {
            TypeKind::Struct { fields, .. } => {
                for field in fields {
                    if let Some(target) = direct_targets(&field.ty) {
                        field.boxed = reaches(&graph, target, &owner);
                    }
                }
            }
            TypeKind::Union { variants, .. } => {
                for variant in variants {
                    if let Some(target) = direct_targets(&variant.ty) {
                        variant.boxed = reaches(&graph, target, &owner);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The types a value of `def` holds directly: field, variant, alias and form part types.
fn refs_of(def: &TypeDef) -> Vec<&TypeRef> {
    match &def.kind {
        TypeKind::Struct { fields, additional } => fields.iter().map(|f| &f.ty).chain(additional).collect(),
        TypeKind::Union { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::StatusEnum { variants } => variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Form { fields } => fields
            .iter()
            .filter_map(|f| match &f.part {
                FormPart::Text(ty) | FormPart::TextList(ty) | FormPart::Json(ty) => Some(ty),
                FormPart::File | FormPart::Files => None,
            })
            .collect(),
        TypeKind::Enum { .. } | TypeKind::IntEnum { .. } => Vec::new(),
    }
}

fn ref_is_eq(ty: &TypeRef, non_eq: &BTreeSet<String>) -> bool {
    match ty {
        TypeRef::Primitive(Primitive::F32 | Primitive::F64) => false,
        TypeRef::Named(name) => !non_eq.contains(name),
        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => ref_is_eq(inner, non_eq),
        TypeRef::Primitive(_) | TypeRef::Any | TypeRef::Unit | TypeRef::Runtime(_) => true,
    }
}

/// Decides which types may derive `Eq`: those with no floating-point number anywhere inside.
pub(crate) fn mark_eq(types: &mut BTreeMap<String, TypeDef>) {
    let mut non_eq: BTreeSet<String> = BTreeSet::new();
    // Each round adds at least one type or stops, so the bound is never reached on a finite graph.
    for _ in 0..=types.len() {
        let newly: Vec<String> = types
            .values()
            .filter(|def| !non_eq.contains(&def.name))
            .filter(|def| refs_of(def).iter().any(|ty| !ref_is_eq(ty, &non_eq)))
            .map(|def| def.name.clone())
            .collect();
        if newly.is_empty() {
            break;
        }
        non_eq.extend(newly);
    }
    for def in types.values_mut() {
        def.eq = !non_eq.contains(&def.name);
    }
}

/// Makes required read-only fields optional in every type a request body
/// can contain. OpenAPI says `required` on a `readOnly` property applies to
/// responses only: a request leaves the property out, so a type that is
/// also sent cannot demand it. Responses that omit such a field then decode
/// with `None` instead of failing, which is listed as not exact.
pub(crate) fn relax_read_only_in_requests(
    operations: &[Operation],
    types: &mut BTreeMap<String, TypeDef>,
) -> Vec<Inexact> {
    let bodies = operations
        .iter()
        .filter_map(|op| op.body.as_ref())
        .flat_map(|body| std::iter::once(&body.ty).chain(body.alternatives.iter().map(|alt| &alt.ty)));
    let sent = reachable(bodies, types);
    let mut inexact = Vec::new();
    for name in &sent {
        let Some(def) = types.get_mut(name) else { continue };
        let pointer = def.pointer.clone();
        let TypeKind::Struct { fields, .. } = &mut def.kind else {
            continue;
        };
        for field in fields.iter_mut().filter(|field| field.required && field.read_only) {
            field.required = false;
            inexact.push(Inexact {
                pointer: pointer_push(&pointer_push(&pointer, "properties"), &field.wire_name),
                message: format!(
                    "required read-only property `{}` is optional in `{name}`, which requests also send \
                     (where it must be left out); a response without it decodes as `None`",
                    field.wire_name
                ),
            });
        }
    }
    inexact
}

/// The named types that values of the `roots` types can hold, through
/// fields, variants, aliases, form parts, lists, maps and `Option`, each once.
pub(crate) fn reachable<'a>(
    roots: impl IntoIterator<Item = &'a TypeRef>,
    types: &'a BTreeMap<String, TypeDef>,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&TypeRef> = roots.into_iter().collect();
    // Each named type is expanded once, so the walk ends.
    while let Some(ty) = stack.pop() {
        match ty {
            TypeRef::Named(name) => {
                if let Some(def) = types.get(name) {
                    if seen.insert(name.clone()) {
                        stack.extend(refs_of(def));
                    }
                }
            }
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => stack.push(inner),
            TypeRef::Primitive(_) | TypeRef::Any | TypeRef::Unit | TypeRef::Runtime(_) => {}
        }
    }
    seen
}

/// Marks the types that derive `Default`: structs whose fields are all
/// optional, and multipart forms whose single-valued fields are all
/// optional (lists are empty when there is nothing to send). Runs after
/// every change to which fields are required.
pub(crate) fn mark_defaults(types: &mut BTreeMap<String, TypeDef>) {
    for def in types.values_mut() {
        def.default = match &def.kind {
            TypeKind::Struct { fields, .. } => fields.iter().all(|field| !field.required),
            TypeKind::Form { fields } => fields
                .iter()
                .all(|field| !field.required || matches!(field.part, FormPart::Files | FormPart::TextList(_))),
            _ => false,
        };
    }
}

/// How many uses the docs of an undescribed type name before "and N more".
const USES_NAMED: usize = 3;

/// Adds to the docs of each type in `undescribed` (its schema has no
/// description) where the API uses it: "the 403 error of
/// [`Client::patch_token`]", "field `links` of [`Token`]". A name alone
/// tells a reader little; its uses tell what it is for.
pub(crate) fn document_uses(
    operations: &[Operation],
    types: &mut BTreeMap<String, TypeDef>,
    undescribed: &BTreeSet<String>,
) {
    let mut uses: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let method = |op: &Operation| format!("[`Client::{0}`](crate::Client::{0})", op.method_name);
    for op in operations {
        if let Some(body) = &op.body {
            if let Some(name) = named(&body.ty) {
                uses.entry(name)
                    .or_default()
                    .push(format!("the request body of {}", method(op)));
            }
        }
        for success in &op.successes {
            if let Some(name) = named(&success.ty) {
                uses.entry(name)
                    .or_default()
                    .push(format!("the {} response of {}", success.status, method(op)));
            }
        }
        for error in &op.errors {
            if let Some(name) = named(&error.ty) {
                uses.entry(name)
                    .or_default()
                    .push(format!("the {} error of {}", error.status, method(op)));
            }
        }
    }
    for def in types.values() {
        if let TypeKind::Struct { fields, .. } = &def.kind {
            for field in fields {
                if let Some(name) = named(&field.ty) {
                    // Both types are in the `types` module (in its file
                    // or re-exported from a feature's, which sees the
                    // parent's names), where the name alone is the link.
                    uses.entry(name)
                        .or_default()
                        .push(format!("field `{}` of [`{}`]", field.rust_name, def.name));
                }
            }
        }
    }
    let mut documented: Vec<(String, String)> = Vec::new();
    for name in undescribed {
        let Some(found) = uses.get_mut(name.as_str()) else {
            continue;
        };
        found.dedup();
        let mut text = found.iter().take(USES_NAMED).cloned().collect::<Vec<_>>().join(", ");
        if found.len() > USES_NAMED {
            text.push_str(&format!(", and {} more", found.len() - USES_NAMED));
        }
        documented.push((name.clone(), text));
    }
    for (name, text) in documented {
        if let Some(def) = types.get_mut(&name) {
            def.docs = format!("{}\n\nUsed as {text}.", def.docs);
        }
    }
}

/// The named type `ty` is, or holds as list items, map values or a
/// nullable value.
fn named(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(name) => Some(name),
        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => named(inner),
        _ => None,
    }
}
