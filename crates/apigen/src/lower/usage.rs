//! How the operations use each type, decided once every type exists: which
//! Cargo features compile it (those of the operations that reach it), and
//! which serde directions it needs (sent in a request, received in a
//! response, or both).
//!
//! Both answers come from one walk per operation over the types it reaches,
//! so a type is compiled exactly when something that uses it is, and derives
//! exactly the code its uses call.

use std::collections::{BTreeMap, BTreeSet};

use super::finish::reachable;
use crate::ir::{
    ErrorEnum, Feature, FeatureGate, FeatureGroup, Operation, SerdeUse, SuccessType, TypeDef, TypeKind, TypeRef,
};
use crate::naming::{feature_group_module, feature_module, feature_name};

/// Gives every operation its feature gate and returns the features, sorted
/// by name. Tags whose names agree after conversion share one feature.
pub(crate) fn assign_features(operations: &mut [Operation]) -> Vec<Feature> {
    let mut features: BTreeMap<String, Feature> = BTreeMap::new();
    for op in operations.iter_mut() {
        let mut gate = BTreeSet::new();
        for tag in &op.tags {
            let name = feature_name(tag);
            let feature = features.entry(name.clone()).or_insert_with(|| Feature {
                module: feature_module(&name),
                name: name.clone(),
                tags: Vec::new(),
                operations: Vec::new(),
            });
            if !feature.tags.contains(tag) {
                feature.tags.push(tag.clone());
            }
            if !feature.operations.contains(&op.method_name) {
                feature.operations.push(op.method_name.clone());
            }
            gate.insert(name);
        }
        op.gate = FeatureGate { any_of: gate };
    }
    let mut features: Vec<Feature> = features.into_values().collect();
    for feature in &mut features {
        feature.tags.sort();
        feature.operations.sort();
    }
    features
}

/// Every set of two or more features that a type, an operation or an error
/// enum is compiled with, each with its module, in the order of their
/// feature names. Runs after the gates are set.
pub(crate) fn feature_groups(
    features: &[Feature],
    operations: &[Operation],
    types: &BTreeMap<String, TypeDef>,
    error_enums: &[ErrorEnum],
) -> Vec<FeatureGroup> {
    let gates = types
        .values()
        .map(|def| &def.gate)
        .chain(operations.iter().map(|op| &op.gate))
        .chain(error_enums.iter().map(|shared| &shared.gate));
    let sets: BTreeSet<&BTreeSet<String>> = gates
        .filter(|gate| gate.any_of.len() > 1)
        .map(|gate| &gate.any_of)
        .collect();
    let feature_modules: Vec<&str> = features.iter().map(|feature| feature.module.as_str()).collect();
    sets.into_iter()
        .enumerate()
        .map(|(index, set)| FeatureGroup {
            module: feature_group_module(index + 1, &feature_modules),
            gate: FeatureGate { any_of: set.clone() },
        })
        .collect()
}

/// The types an operation sends (parameters, bodies, and the resource a
/// JSON Patch applies to, whose field values a typed patch carries) and
/// those it receives (every documented response body).
fn roots(op: &Operation) -> (Vec<TypeRef>, Vec<TypeRef>) {
    let mut sent: Vec<TypeRef> = op.params.iter().map(|p| p.ty.clone()).collect();
    if let Some(body) = &op.body {
        sent.push(body.ty.clone());
        sent.extend(body.alternatives.iter().map(|alt| alt.ty.clone()));
    }
    sent.extend(op.patch_root.iter().cloned());
    let mut received: Vec<TypeRef> = op.successes.iter().map(|s| s.ty.clone()).collect();
    received.extend(op.errors.iter().map(|e| e.ty.clone()));
    if let SuccessType::PerStatus { name } = &op.success_type {
        received.push(TypeRef::Named(name.clone()));
    }
    (sent, received)
}

/// Sets each type's feature gate and serde directions from the operations
/// that reach it. A type reached by an untagged operation is compiled
/// always.
pub(crate) fn mark_types(operations: &[Operation], types: &mut BTreeMap<String, TypeDef>) {
    let mut gates: BTreeMap<String, Option<BTreeSet<String>>> = BTreeMap::new();
    let mut uses: BTreeMap<String, SerdeUse> = BTreeMap::new();
    for op in operations {
        let (sent, received) = roots(op);
        let sent = reachable(&sent, types);
        let received = reachable(&received, types);
        for name in sent.iter().chain(&received) {
            let gate = gates.entry(name.clone()).or_insert_with(|| Some(BTreeSet::new()));
            match (gate.as_mut(), op.gate.is_always()) {
                (Some(_), true) => *gate = None,
                (Some(gate), false) => gate.extend(op.gate.any_of.iter().cloned()),
                (None, _) => {}
            }
        }
        for name in &sent {
            uses.entry(name.clone()).or_default().serialize = true;
        }
        for name in &received {
            uses.entry(name.clone()).or_default().deserialize = true;
        }
    }
    // A type no operation reaches (the base of an `allOf` the lowering merged
    // away, say) is still emitted, whole: compiled always, both directions, and
    // so is everything it holds.
    let unreached: Vec<TypeRef> = types
        .keys()
        .filter(|name| !uses.contains_key(*name))
        .map(|name| TypeRef::Named(name.clone()))
        .collect();
    for name in reachable(&unreached, types) {
        gates.insert(name.clone(), None);
        uses.insert(
            name,
            SerdeUse {
                serialize: true,
                deserialize: true,
                by_fields: false,
            },
        );
    }
    for def in types.values_mut() {
        def.gate = FeatureGate {
            any_of: gates.remove(&def.name).flatten().unwrap_or_default(),
        };
        def.serde = uses.remove(&def.name).unwrap_or_default();
        def.serde.by_fields = match &def.kind {
            // Flattened fields need serde's buffering, which only the derive does.
            TypeKind::Struct { fields, additional } => additional.is_none() && fields.iter().all(|f| !f.flatten),
            _ => false,
        };
    }
}
