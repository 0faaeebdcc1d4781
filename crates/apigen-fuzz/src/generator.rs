//! The generator target: a spec's bytes through `load`, `lower` and `emit`.
//!
//! Invariants, beyond "no panic":
//! - the outcome is a crate or a typed error, never [`Error::Emit`]
//!   (emitted code that `syn` cannot parse is a generator bug);
//! - every refusal has a message, names the file, and every JSON pointer in
//!   it is a pointer (`#` or `#/...`);
//! - a generated IR has no two items with the same Rust name where that
//!   would not compile;
//! - the same document generates the same bytes from its JSON form and from
//!   its YAML form, and from the text as given (which is also the check that
//!   generation is deterministic: three runs, one result). That takes three
//!   runs of the pipeline, so it is checked on one input in
//!   [`FORMS_CHECKED_ONE_IN`], chosen by a hash of the input so that each
//!   input is always treated the same way (the fuzzer needs that).

use std::collections::BTreeSet;
use std::path::Path;

use apigen::emit::Files;
use apigen::ir::{Api, TypeKind};
use apigen::load::LoadedSpec;
use apigen::{Config, EmitOptions, Error, Selection};

use crate::{Violation, ensure};

/// What the pipeline made of an input.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A crate: its files by path.
    Generated(Files),
    /// A typed error, as its message.
    Refused(String),
}

/// The file name an input is given when it reads as JSON.
const JSON_NAME: &str = "fuzz.json";
/// The file name an input is given otherwise.
const YAML_NAME: &str = "fuzz.yaml";

/// The JSON and YAML forms of an input are compared for one input in this
/// many.
pub const FORMS_CHECKED_ONE_IN: u64 = 8;

/// Runs one input and checks the invariants of this module.
pub fn run(data: &[u8]) -> Result<(), Violation> {
    run_checking_forms(data, fnv1a(data) % FORMS_CHECKED_ONE_IN == 0)
}

/// Runs one input, comparing its JSON and YAML forms when `forms` is set.
fn run_checking_forms(data: &[u8], forms: bool) -> Result<(), Violation> {
    let text = String::from_utf8_lossy(data);
    // JSON text goes to the JSON parser; everything else to the YAML one,
    // which reads JSON too.
    let name = if text.trim_start().starts_with('{') {
        JSON_NAME
    } else {
        YAML_NAME
    };
    let config = Config::default();
    let as_given = pipeline(name, &text, &config)?;
    if !forms {
        return Ok(());
    }
    // Only a document that parses has other forms to compare with.
    let Ok(value) = apigen::load::parse_value(Path::new(name), &text) else {
        return Ok(());
    };
    let Ok(json) = serde_json::to_string_pretty(&value) else {
        return Ok(());
    };
    let as_json = pipeline(JSON_NAME, &json, &config)?;
    let Ok(yaml) = serde_yaml_ng::to_string(&value) else {
        return Ok(());
    };
    let as_yaml = pipeline(YAML_NAME, &yaml, &config)?;
    same_outcome(&as_given, &as_json, "the text as given", "its JSON form")?;
    same_outcome(&as_json, &as_yaml, "its JSON form", "its YAML form")
}

/// Two runs on the same document must agree; error messages may differ only
/// in the file name.
fn same_outcome(a: &Outcome, b: &Outcome, a_is: &str, b_is: &str) -> Result<(), Violation> {
    let agree = match (a, b) {
        (Outcome::Generated(a), Outcome::Generated(b)) => a == b,
        (Outcome::Refused(a), Outcome::Refused(b)) => without_file_name(a) == without_file_name(b),
        _ => false,
    };
    ensure(agree, || {
        format!("{a_is} and {b_is} of the same document give different results:\n{a_is}: {a:?}\n{b_is}: {b:?}")
    })
}

/// The 64-bit FNV-1a hash: cheap, and the same on every run.
fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn without_file_name(message: &str) -> String {
    message.replace(JSON_NAME, "FILE").replace(YAML_NAME, "FILE")
}

/// The options of every emit: a workspace crate next to the runtime.
pub fn emit_options() -> EmitOptions {
    EmitOptions {
        crate_name: "fuzzed-api".into(),
        crate_version: "0.1.0".into(),
        runtime: "../apigen-runtime".into(),
        spec_display: "fuzz.yaml".into(),
        command: "fuzz".into(),
        standalone: false,
    }
}

/// Runs the whole pipeline on `text` read as the file `name`; `Err` only for
/// generator bugs.
pub fn pipeline(name: &str, text: &str, config: &Config) -> Result<Outcome, Violation> {
    let path = Path::new(name);
    match apigen::load::load_str(path, text) {
        Ok(spec) => lower_and_emit(name, &spec, config),
        Err(error) => refused(name, error),
    }
}

/// The pipeline after loading: lowering, the name check and emitting. An
/// error must name `name`.
pub fn lower_and_emit(name: &str, spec: &LoadedSpec, config: &Config) -> Result<Outcome, Violation> {
    let path = spec.path.as_path();
    let api = match apigen::lower::lower(path, &spec.document, config, &Selection::default()) {
        Ok(api) => api,
        Err(error) => return refused(name, error),
    };
    check_names(&api)?;
    match apigen::emit::emit(&api, &emit_options()) {
        Ok(files) if files.is_empty() => Err(Violation("emit returned no files".into())),
        Ok(files) => Ok(Outcome::Generated(files)),
        Err(error) => refused(name, error),
    }
}

/// Checks that a refusal is a proper one: says what and where.
pub fn refused(name: &str, error: Error) -> Result<Outcome, Violation> {
    if let Error::Emit { .. } = error {
        return Err(Violation(format!("generator bug: {error}")));
    }
    let text = error.to_string();
    ensure(!text.is_empty(), || format!("empty error message: {error:?}"))?;
    ensure(text.contains(name), || {
        format!("the error does not name the file `{name}`: {text}")
    })?;
    let location = match &error {
        Error::Unsupported { location, .. }
        | Error::Shape { location, .. }
        | Error::DanglingRef { location, .. }
        | Error::Invalid { location, .. }
        | Error::Overlay { location, .. } => Some(location),
        _ => None,
    };
    if let Some(location) = location {
        let pointer = &location.pointer;
        ensure(pointer == "#" || pointer.starts_with("#/"), || {
            format!("the error's location `{pointer}` is not a JSON pointer: {text}")
        })?;
    }
    Ok(Outcome::Refused(text))
}

/// Names that must be unique in the generated code, or it does not compile
/// (`syn` parses duplicate definitions happily).
pub fn check_names(api: &Api) -> Result<(), Violation> {
    fn unique<'a>(what: &str, names: impl IntoIterator<Item = &'a str>) -> Result<(), Violation> {
        let mut seen = BTreeSet::new();
        for name in names {
            ensure(!name.is_empty(), || format!("empty {what} name"))?;
            ensure(seen.insert(name), || format!("duplicate {what} name `{name}`"))?;
        }
        Ok(())
    }
    unique("type", api.types.iter().map(|t| t.name.as_str()))?;
    unique(
        "operation method",
        api.operations.iter().map(|o| o.method_name.as_str()),
    )?;
    unique(
        "request builder",
        api.operations.iter().map(|o| o.builder_name.as_str()),
    )?;
    unique("error enum", api.operations.iter().map(|o| o.error_name.as_str()))?;
    unique(
        "operation static",
        api.operations.iter().map(|o| o.static_name.as_str()),
    )?;
    for op in &api.operations {
        unique(
            &format!("parameter of {}", op.id),
            op.params.iter().map(|p| p.rust_name.as_str()),
        )?;
        unique(
            &format!("error variant of {}", op.id),
            op.errors.iter().map(|e| e.variant.as_str()),
        )?;
    }
    for ty in &api.types {
        let what = format!("member of {}", ty.name);
        match &ty.kind {
            TypeKind::Struct { fields, .. } => unique(&what, fields.iter().map(|f| f.rust_name.as_str()))?,
            TypeKind::Enum { variants, .. } => {
                unique(&what, variants.iter().map(|v| v.rust_name.as_str()).chain(["Unknown"]))?
            }
            TypeKind::IntEnum { values, .. } => unique(&what, values.iter().map(|value| value.constant.as_str()))?,
            TypeKind::Union { variants, .. } => unique(&what, variants.iter().map(|v| v.rust_name.as_str()))?,
            TypeKind::StatusEnum { variants, .. } => {
                unique(&what, variants.iter().map(|variant| variant.rust_name.as_str()))?
            }
            TypeKind::Form { fields } => unique(&what, fields.iter().map(|f| f.rust_name.as_str()))?,
            TypeKind::Alias(_) => {}
        }
    }
    Ok(())
}
