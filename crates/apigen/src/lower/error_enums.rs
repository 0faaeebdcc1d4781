//! Which operations share an error enum: those whose documented errors are
//! the same. A large API documents the same few errors on most operations
//! (the full LaunchDarkly API has 348 operations and 55 distinct lists), and
//! an enum with its `Display`, `Error`, `From` and `OperationError` impls is
//! a good part of what a generated crate costs to compile.

use std::collections::BTreeSet;

use crate::ir::{ErrorEnum, ErrorResponse, FeatureGate, Operation};
use crate::naming::{self, Scope};

/// Whether two lists of errors decode alike: the same statuses, variants,
/// body types and encodings, in the same order. Docs and headers may differ.
fn same_errors(a: &[ErrorResponse], b: &[ErrorResponse]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.status == y.status && x.variant == y.variant && x.ty == y.ty && x.encoding == y.encoding)
}

/// Groups the operations by their errors, names each group's enum and sets
/// every operation's `error_enum`. An enum only one operation uses keeps
/// that operation's error name; a shared one is named by its variants.
/// Runs after the features are assigned, since an enum takes the features
/// of its operations.
pub(crate) fn share(operations: &mut [Operation]) -> Vec<ErrorEnum> {
    // Indices of the operations in each group, in operation order.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (index, op) in operations.iter().enumerate() {
        match groups
            .iter_mut()
            .find(|group| same_errors(&operations[group[0]].errors, &op.errors))
        {
            Some(group) => group.push(index),
            None => groups.push(vec![index]),
        }
    }
    let own_names: Vec<&str> = operations.iter().map(|op| op.error_name.as_str()).collect();
    let mut scope = Scope::with_reserved(&own_names);
    let mut enums = Vec::new();
    for group in groups {
        let members: Vec<&Operation> = group.iter().map(|&index| &operations[index]).collect();
        let name = match members.as_slice() {
            [only] => only.error_name.clone(),
            _ => {
                let variants: Vec<&str> = members[0].errors.iter().map(|e| e.variant.as_str()).collect();
                scope.claim(naming::shared_error_name(&variants))
            }
        };
        let shared = ErrorEnum {
            cases: merged_cases(&members),
            operations: members.iter().map(|op| op.method_name.clone()).collect(),
            gate: union_gate(&members),
            name,
        };
        for &index in &group {
            operations[index].error_enum = shared.name.clone();
        }
        enums.push(shared);
    }
    enums.sort_by(|a, b| a.name.cmp(&b.name));
    enums
}

/// The cases of a group, with each case's headers merged over the
/// operations, and its docs kept where they all say the same.
fn merged_cases(members: &[&Operation]) -> Vec<ErrorResponse> {
    let Some(first) = members.first() else {
        return Vec::new();
    };
    let mut cases = first.errors.clone();
    for (index, case) in cases.iter_mut().enumerate() {
        let mut headers: Vec<String> = Vec::new();
        let mut docs: BTreeSet<&str> = BTreeSet::new();
        for op in members {
            if let Some(theirs) = op.errors.get(index) {
                docs.insert(theirs.docs.as_str());
                for header in &theirs.headers {
                    if !headers.contains(header) {
                        headers.push(header.clone());
                    }
                }
            }
        }
        case.headers = headers;
        if docs.len() > 1 {
            case.docs = "described by each operation in its own words (see the operation's alias).".into();
        }
    }
    cases
}

/// The features of a group: any of its operations' (always, when one of
/// them is compiled always).
fn union_gate(members: &[&Operation]) -> FeatureGate {
    if members.iter().any(|op| op.gate.is_always()) {
        return FeatureGate::default();
    }
    FeatureGate {
        any_of: members.iter().flat_map(|op| op.gate.any_of.iter().cloned()).collect(),
    }
}
