//! The patch target: JSON Pointer parsing and JSON Patch validation and
//! application (`apigen_runtime::patch`), checked against the `json-patch`
//! crate, an independent implementation of RFC 6901 and RFC 6902.
//!
//! The input is a JSON document, a NUL byte, then a JSON Patch. Invariants,
//! beyond "no panic":
//! - a pointer parses exactly when `jsonptr` parses it, and its unescaped
//!   tokens build the same pointer again;
//! - a patch that validates serialises, and `json-patch` reads what it
//!   serialises to;
//! - such a patch applies exactly when `json-patch` applies it, with the
//!   same result;
//! - the diff of the document and the patched document, applied to the
//!   document, gives the patched document.

use apigen_runtime::patch::{JsonPatch, JsonPointer};
use json_patch::jsonptr::Pointer;
use serde_json::Value;

use crate::{Violation, ensure, split_at_nul};

/// Runs one input and checks the invariants of this module.
pub fn run(data: &[u8]) -> Result<(), Violation> {
    let (document, patch) = split_at_nul(data);
    let Ok(patch) = serde_json::from_slice::<Value>(patch) else {
        return Ok(());
    };
    for_each_string(&patch, &mut check_pointer)?;
    let document = serde_json::from_slice::<Value>(document).unwrap_or(Value::Null);
    let Ok(ours) = JsonPatch::from_value(patch) else {
        return Ok(());
    };
    if ours.validate().is_err() {
        return Ok(());
    }
    let wire = serde_json::to_value(&ours)
        .map_err(|error| Violation(format!("a patch that validates does not serialise: {error}")))?;
    let theirs: json_patch::Patch = serde_json::from_value(wire.clone())
        .map_err(|error| Violation(format!("json-patch refuses a patch that validates: {error}\n{wire}")))?;
    let applied = ours.apply_to(&document);
    let mut expected = document.clone();
    // The unchecked function, on a copy: the all-or-nothing `patch` of
    // json-patch 5 panics while undoing some failed patches (a move to the
    // root followed by an operation that fails), which this target found.
    let reference = json_patch::patch_unsafe(&mut expected, &theirs);
    match (&applied, &reference) {
        (Ok(applied), Ok(())) => {
            ensure(*applied == expected, || {
                format!("apply_to gives {applied} where json-patch gives {expected}\npatch: {wire}")
            })?;
            let diff = JsonPatch::diff(&document, applied);
            let round_trip = diff
                .apply_to(&document)
                .map_err(|error| Violation(format!("the diff of {document} and {applied} does not apply: {error}")))?;
            ensure(round_trip == *applied, || {
                format!("diff({document}, {applied}) applied gives {round_trip}")
            })
        }
        (Err(_), Err(_)) => Ok(()),
        _ => Err(Violation(format!(
            "apply_to and json-patch disagree on whether {wire} applies to {document}: {applied:?} and {reference:?}"
        ))),
    }
}

/// Every string in the patch is tried as a pointer, so that paths, `from`s
/// and values all reach the parser.
fn for_each_string(value: &Value, check: &mut impl FnMut(&str) -> Result<(), Violation>) -> Result<(), Violation> {
    match value {
        Value::String(text) => check(text),
        Value::Array(items) => items.iter().try_for_each(|item| for_each_string(item, check)),
        Value::Object(members) => members.iter().try_for_each(|(key, item)| {
            check(key)?;
            for_each_string(item, check)
        }),
        _ => Ok(()),
    }
}

fn check_pointer(text: &str) -> Result<(), Violation> {
    let ours = JsonPointer::parse(text);
    let theirs = Pointer::parse(text);
    ensure(ours.is_ok() == theirs.is_ok(), || {
        format!(
            "pointer `{text}`: ours {ours:?}, jsonptr {:?}",
            theirs.map(Pointer::as_str)
        )
    })?;
    if let Ok(pointer) = ours {
        let rebuilt = JsonPointer::from_tokens(pointer.tokens());
        ensure(rebuilt == pointer, || {
            format!("pointer `{text}` rebuilt from its tokens is `{}`", rebuilt.as_str())
        })?;
    }
    Ok(())
}
