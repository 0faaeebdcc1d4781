//! The overlay target: an OpenAPI Overlay (its RFC 9535 JSONPath targets,
//! its updates and removals) read and applied to a document.
//!
//! The input is the overlay, a NUL byte, then the document; without a
//! document the seed spec is used. Invariants, beyond "no panic":
//! - every refusal is an error that names the overlay file (or the
//!   document) and points into it with a JSON pointer;
//! - applying is deterministic: twice on the same document, the same result
//!   or the same error.

use std::path::Path;
use std::sync::OnceLock;

use apigen::Error;
use apigen::load::Overlay;
use serde_json::Value;

use crate::{Violation, ensure, split_at_nul};

/// The checked-in seed spec: the document when the input brings none.
const SEED_SPEC: &str = include_str!("../../../spec/launchdarkly.yaml");

const OVERLAY_NAME: &str = "fuzz.overlay.yaml";
const DOCUMENT_NAME: &str = "fuzz.yaml";

/// Runs one input and checks the invariants of this module.
pub fn run(data: &[u8]) -> Result<(), Violation> {
    let (overlay, document) = split_at_nul(data);
    let overlay = String::from_utf8_lossy(overlay);
    let overlay = match Overlay::parse(Path::new(OVERLAY_NAME), &overlay) {
        Ok(overlay) => overlay,
        Err(error) => return located(&error),
    };
    let parsed;
    let document = if document.is_empty() {
        seed_document()
    } else {
        parsed = apigen::load::parse_value(Path::new(DOCUMENT_NAME), &String::from_utf8_lossy(document)).ok();
        parsed.as_ref()
    };
    let Some(document) = document else {
        return Ok(());
    };
    let once = applied(&overlay, document);
    let twice = applied(&overlay, document);
    let same = match (&once, &twice) {
        (Ok(a), Ok(b)) => a == b,
        (Err(a), Err(b)) => a.to_string() == b.to_string(),
        _ => false,
    };
    ensure(same, || {
        format!("the same overlay applied twice gives {once:?} and {twice:?}")
    })?;
    match once {
        Ok(_) => Ok(()),
        Err(error) => located(&error),
    }
}

/// The seed spec, parsed once per process rather than once per input.
fn seed_document() -> Option<&'static Value> {
    static SEED: OnceLock<Option<Value>> = OnceLock::new();
    SEED.get_or_init(|| apigen::load::parse_value(Path::new(DOCUMENT_NAME), SEED_SPEC).ok())
        .as_ref()
}

fn applied(overlay: &Overlay, document: &Value) -> Result<Value, Error> {
    let mut copy = document.clone();
    overlay.apply(Path::new(DOCUMENT_NAME), &mut copy).map(|()| copy)
}

/// An overlay error names the file and points into it.
fn located(error: &Error) -> Result<(), Violation> {
    let text = error.to_string();
    ensure(text.contains(OVERLAY_NAME) || text.contains(DOCUMENT_NAME), || {
        format!("the error names neither the overlay nor the document: {text}")
    })?;
    match error {
        Error::Overlay { location, .. } => {
            let pointer = &location.pointer;
            ensure(pointer == "#" || pointer.starts_with("#/"), || {
                format!("the error's location `{pointer}` is not a JSON pointer: {text}")
            })
        }
        Error::Syntax { .. } => Ok(()),
        other => Err(Violation(format!(
            "an overlay failed with an unexpected kind of error: {other:?}"
        ))),
    }
}
