//! The refs target: a document split over several files, whose `$ref`s
//! between files the loader resolves and bundles into one document.
//!
//! The input is a list of files separated by NUL bytes, each a first line
//! with its relative name (letters, digits, `_`, `-`, `.` and `/`, no `..`)
//! and then its text; the first file is the entry. They are written to a
//! folder of this thread's own and generated from there. Invariants,
//! beyond "no panic":
//! - the outcome is a crate or a typed error that names a file and a JSON
//!   pointer (as for the generator target), and it is the same twice;
//! - the bundled document refers to no other file: bundling it again, as a
//!   file in a folder that holds nothing, reads nothing and changes nothing.

use std::path::{Path, PathBuf};

use apigen::Config;
use serde_json::Value;

use crate::generator::{Outcome, lower_and_emit, refused};
use crate::{Violation, ensure};

/// At most this many files per input; more would only slow the fuzzer.
const MAX_FILES: usize = 8;

/// Runs one input and checks the invariants of this module.
pub fn run(data: &[u8]) -> Result<(), Violation> {
    let files = files_of(data);
    let Some((entry, _)) = files.first() else {
        return Ok(());
    };
    let folder = work_folder();
    if write_files(&folder, &files).is_err() {
        // The machine's problem, not the input's.
        return Ok(());
    }
    let entry = folder.join(entry);
    let config = Config::default();
    let first = generate(&entry, &config)?;
    let second = generate(&entry, &config)?;
    ensure(first == second, || {
        format!("the same files generate twice differently:\n{first:?}\n{second:?}")
    })?;
    check_bundle_is_self_contained(&entry)
}

/// The files of an input, in order; parts without a usable name are left out.
fn files_of(data: &[u8]) -> Vec<(String, Vec<u8>)> {
    data.split(|&byte| byte == 0)
        .filter_map(|part| {
            let newline = part.iter().position(|&byte| byte == b'\n')?;
            let name = std::str::from_utf8(&part[..newline]).ok()?.trim();
            usable_name(name).then(|| (name.to_owned(), part[newline + 1..].to_vec()))
        })
        .take(MAX_FILES)
        .collect()
}

fn usable_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && name
            .split('/')
            .all(|segment| !segment.is_empty() && segment != "." && segment != "..")
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"_-./".contains(&byte))
}

/// A folder of this thread's own (tests run targets on several threads),
/// emptied for each input.
fn work_folder() -> PathBuf {
    let thread = format!("{:?}", std::thread::current().id());
    let thread: String = thread.chars().filter(char::is_ascii_digit).collect();
    std::env::temp_dir().join(format!("apigen-fuzz-refs-{}-{thread}", std::process::id()))
}

fn write_files(folder: &Path, files: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    if folder.exists() {
        std::fs::remove_dir_all(folder)?;
    }
    for (name, text) in files {
        let path = folder.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        // A name that is also another file's folder cannot be written; the
        // input then has fewer files.
        let _ = std::fs::write(path, text);
    }
    Ok(())
}

/// What the pipeline makes of the entry file. Every error must name a file
/// of the input, all of which are in the work folder.
fn generate(entry: &Path, config: &Config) -> Result<Outcome, Violation> {
    let folder = work_folder().to_string_lossy().into_owned();
    match apigen::load::load_file(entry) {
        Ok(spec) => lower_and_emit(&folder, &spec, config),
        Err(error) => refused(&folder, error),
    }
}

/// Bundling the bundled document again reads no file and changes nothing.
fn check_bundle_is_self_contained(entry: &Path) -> Result<(), Violation> {
    let Ok(text) = std::fs::read_to_string(entry) else {
        return Ok(());
    };
    let Ok(value) = apigen::load::parse_value(entry, &text) else {
        return Ok(());
    };
    let Ok((bundled, _)) = apigen::load::bundle(entry, value) else {
        return Ok(());
    };
    let elsewhere = work_folder().join("nothing-here").join("bundled.json");
    match apigen::load::bundle(&elsewhere, bundled.clone()) {
        Ok((again, _)) => ensure(again == bundled, || {
            format!(
                "bundling the bundled document changed it:\n{}",
                first_difference(&bundled, &again)
            )
        }),
        Err(error) => Err(Violation(format!(
            "the bundled document still needs another file: {error}"
        ))),
    }
}

/// Where two documents first differ, as a pointer and both values.
fn first_difference(a: &Value, b: &Value) -> String {
    fn walk(a: &Value, b: &Value, at: &mut String) -> Option<String> {
        match (a, b) {
            (Value::Object(x), Value::Object(y)) if x.len() == y.len() => {
                for ((key_a, value_a), (key_b, value_b)) in x.iter().zip(y) {
                    if key_a != key_b {
                        return Some(format!("{at}: key `{key_a}` became `{key_b}`"));
                    }
                    let length = at.len();
                    at.push('/');
                    at.push_str(key_a);
                    let found = walk(value_a, value_b, at);
                    at.truncate(length);
                    if found.is_some() {
                        return found;
                    }
                }
                None
            }
            _ if a == b => None,
            _ => Some(format!("{at}: {a} became {b}")),
        }
    }
    walk(a, b, &mut String::new()).unwrap_or_else(|| "(the documents differ in order)".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTRY: &str = "openapi.yaml\nopenapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: REF}\n";

    fn outcome(reference: &str, other: &str) -> Outcome {
        let input = [ENTRY.replace("REF", reference).as_bytes(), b"\0", other.as_bytes()].concat();
        assert_eq!(run(&input), Ok(()));
        let files = files_of(&input);
        let folder = work_folder();
        write_files(&folder, &files).unwrap();
        generate(&folder.join("openapi.yaml"), &Config::default()).unwrap()
    }

    #[test]
    fn files_are_named_by_their_first_line_and_unusable_names_are_left_out() {
        let files = files_of(b"openapi.yaml\nA\0../up.yaml\nB\0/abs.yaml\nC\0dir/ok-1.yaml\nD\0no newline");
        let names: Vec<_> = files.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["openapi.yaml", "dir/ok-1.yaml"]);
        assert_eq!(files[1].1, b"D");
    }

    #[test]
    fn a_reference_to_another_file_is_bundled_and_a_missing_file_is_named() {
        let generated = outcome("a.yaml", "a.yaml\ntype: object\nproperties:\n  id: {type: string}\n");
        assert!(matches!(generated, Outcome::Generated(_)), "{generated:?}");
        match outcome("nowhere.yaml", "other.yaml\ntype: string\n") {
            Outcome::Refused(message) => assert!(message.contains("nowhere.yaml"), "{message}"),
            other => panic!("a missing file must be refused: {other:?}"),
        }
    }
}
