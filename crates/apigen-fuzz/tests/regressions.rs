//! Every input a fuzzer found that broke an invariant, replayed by name from
//! `regressions/TARGET/`, and every target's seeds, which must keep the
//! invariants too (the fuzzers start from them).

use std::path::{Path, PathBuf};

use apigen_fuzz::{Target, seeds};
use apigen_runtime::patch::{JsonPatch, PatchApplyError};
use serde_json::json;

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the saved input `name` of `target`; it must keep every invariant.
fn replay(target: Target, name: &str) {
    let path = crate_dir().join("regressions").join(target.name()).join(name);
    let data = std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    if let Err(violation) = target.run(&data) {
        panic!("{} breaks an invariant of {target}: {violation}", path.display());
    }
}

/// Every saved input, named or not, so that none is forgotten.
#[test]
fn every_saved_input_keeps_the_invariants() {
    for target in Target::ALL {
        let folder = crate_dir().join("regressions").join(target.name());
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        let mut names: Vec<_> = entries.map(|entry| entry.unwrap().file_name()).collect();
        names.sort();
        for name in names {
            replay(target, &name.to_string_lossy());
        }
    }
}

#[test]
fn every_target_keeps_its_invariants_on_its_seeds() {
    let sources = seeds::Sources {
        workspace: crate_dir().join("../.."),
        corpus: None,
    };
    for target in Target::ALL {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("seeds-{target}"));
        let _ = std::fs::remove_dir_all(&out);
        let written = seeds::write(target, &sources, &out).unwrap();
        assert!(written >= 5, "{target} has {written} seeds");
        let mut files: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
        files.sort();
        assert_eq!(files.len(), written);
        for file in files {
            let data = std::fs::read(&file).unwrap();
            if let Err(violation) = target.run(&data) {
                panic!("seed {} of {target}: {violation}", file.display());
            }
        }
    }
}

/// Found by the patch target: a member moved to the root, then an operation
/// that fails, made json-patch's all-or-nothing `patch` panic while undoing
/// ("unable to undo applied patches"), in the target's reference check.
/// `JsonPatch::apply_to` works on a copy with the unchecked function and
/// reports the failing operation instead, which this pins down.
#[test]
fn regression_a_failure_after_a_move_to_the_root_is_an_error_not_a_panic() {
    replay(Target::Patch, "move-to-the-root-then-a-failing-operation.bin");
    let patch = JsonPatch::from_value(json!([
        {"op": "move", "from": "/a", "path": ""},
        {"op": "move", "from": "/c/0", "path": "/c/"}
    ]))
    .unwrap();
    let error = patch.apply_to(&json!({"a": {"b": 1}, "c": ["adg"]})).unwrap_err();
    assert!(matches!(error, PatchApplyError::Failed { index: 1, .. }), "{error}");
}

/// Found by the overlay target: a JSONPath target that ends inside a `\u`
/// escape (`$["\u`) made `serde_json_path` panic ("we do not use streaming
/// parsers"), which aborted the generator on a user's overlay. The loader
/// now refuses such a target with a located error.
#[test]
fn regression_a_target_ending_inside_a_unicode_escape_is_an_overlay_error() {
    replay(Target::Overlay, "target-ending-inside-a-unicode-escape.bin");
    let path = crate_dir().join("regressions/overlay/target-ending-inside-a-unicode-escape.bin");
    let text = std::fs::read_to_string(&path).unwrap();
    let error = apigen::load::Overlay::parse(Path::new("fix.yaml"), &text).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("fix.yaml: #/actions/0/target"), "{message}");
    assert!(message.contains("needs four hexadecimal digits"), "{message}");
}
