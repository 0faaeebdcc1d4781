//! Behaviour of generated clients on the wire.
//!
//! Every fixture in `tests/fixtures/` (a `NAME.yaml` or `NAME.json` file, or a
//! `NAME/openapi.yaml` folder for multi-file documents) is generated into a
//! crate `NAME-api` under `target/behaviour/crates/`. Each crate must pass
//! `cargo clippy -D warnings` and rustdoc with warnings denied, because users
//! compile generated code with the same settings. A fixture with a test file
//! `tests/behaviour/NAME.rs` also gets that file run as an integration test of
//! a harness crate that depends on the generated crate (as `NAME_api`) and on
//! `apigen-runtime`, `tokio`, `wiremock`, `serde`, `serde_json`, `bytes`,
//! `http` and `futures`; those tests talk to a wiremock server on 127.0.0.1.
//!
//! `BEHAVIOUR=a,b` limits a run to those fixtures. The crates share one
//! target folder (`target/behaviour/target`, or the absolute path in
//! `APIGEN_BEHAVIOUR_TARGET_DIR`), so dependencies compile once.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use apigen::write::{Mode, sync};
use apigen::{Config, EmitOptions, GenerateOptions, Selection};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn workspace_root() -> PathBuf {
    manifest_dir().join("../..")
}

/// A fixture: its name and the entry document.
struct Case {
    name: String,
    spec: PathBuf,
    test: Option<PathBuf>,
}

/// Every fixture, by name, with its behaviour test when there is one.
fn cases() -> Vec<Case> {
    let fixtures = manifest_dir().join("tests/fixtures");
    let behaviour = manifest_dir().join("tests/behaviour");
    let mut found: BTreeMap<String, PathBuf> = BTreeMap::new();
    let entries = std::fs::read_dir(&fixtures).unwrap_or_else(|err| panic!("{}: {err}", fixtures.display()));
    for entry in entries {
        let path = entry.expect("a readable fixtures folder").path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else {
            continue;
        };
        if path.is_dir() {
            for entry_name in ["openapi.yaml", "openapi.json"] {
                if path.join(entry_name).is_file() {
                    found.insert(stem.clone(), path.join(entry_name));
                }
            }
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
            found.insert(stem, path);
        }
    }
    let only: Option<Vec<String>> = std::env::var("BEHAVIOUR")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(|v| v.split(',').map(|s| s.trim().to_owned()).collect());
    if let Some(only) = &only {
        for name in only {
            assert!(
                found.contains_key(name),
                "BEHAVIOUR names `{name}`, which has no fixture in {}",
                fixtures.display()
            );
        }
    }
    // A test file without a fixture is a mistake worth failing on.
    if let Ok(entries) = std::fs::read_dir(&behaviour) {
        for entry in entries {
            let path = entry.expect("a readable behaviour folder").path();
            if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
                assert!(
                    found.contains_key(stem),
                    "{} has no fixture tests/fixtures/{stem}.yaml",
                    path.display()
                );
            }
        }
    }
    found
        .into_iter()
        .filter(|(name, _)| only.as_ref().is_none_or(|only| only.contains(name)))
        .map(|(name, spec)| {
            let test = behaviour.join(format!("{name}.rs"));
            Case {
                test: test.is_file().then_some(test),
                name,
                spec,
            }
        })
        .collect()
}

/// Turns a fixture name into a crate name (`tagged_unions` → `tagged-unions-api`).
fn crate_name(case: &str) -> String {
    format!("{}-api", case.replace('_', "-"))
}

fn generate(case: &Case, out: &Path) {
    let config_path = case.spec.with_extension("codegen.toml");
    let config = if config_path.is_file() {
        Config::load(&config_path).unwrap_or_else(|err| panic!("{err}"))
    } else {
        Config::default()
    };
    let runtime = workspace_root().join("crates/apigen-runtime");
    let options = GenerateOptions {
        spec: case.spec.clone(),
        config,
        selection: Selection::default(),
        emit: EmitOptions {
            crate_name: crate_name(&case.name),
            crate_version: "0.1.0".into(),
            runtime: runtime.to_string_lossy().replace('\\', "/").into(),
            spec_display: format!("tests/fixtures/{}", case.name),
            command: "cargo test -p apigen --test behaviour".into(),
            standalone: false,
        },
        overlays: Vec::new(),
    };
    let generated = apigen::generate(&options).unwrap_or_else(|err| panic!("fixture `{}`: {err}", case.name));
    sync(
        out,
        &generated.files,
        Mode::Write,
        "cargo test -p apigen --test behaviour",
    )
    .unwrap_or_else(|err| panic!("fixture `{}`: {err}", case.name));
}

/// The harness crate: one integration test per behaviour file.
fn harness_manifest(cases: &[Case]) -> String {
    let runtime = workspace_root().join("crates/apigen-runtime");
    let mut text = String::from(
        "[package]\nname = \"behaviour-harness\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dev-dependencies]\n",
    );
    for case in cases.iter().filter(|c| c.test.is_some()) {
        let _ = writeln!(
            text,
            "{} = {{ path = \"../crates/{}\", features = [\"mock\"] }}",
            crate_name(&case.name),
            case.name
        );
    }
    let _ = writeln!(
        text,
        "apigen-runtime = {{ path = \"{}\" }}",
        runtime.to_string_lossy().replace('\\', "/")
    );
    text.push_str(
        "bytes = \"1\"\nfutures = \"0.3\"\nhttp = \"1\"\nserde = { version = \"1\", features = [\"derive\"] }\n\
         serde_json = \"1\"\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"time\"] }\nwiremock = \"0.6\"\n",
    );
    text
}

fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("create folder");
        std::fs::write(path, text).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    }
}

/// Where the fixture crates build: `APIGEN_BEHAVIOUR_TARGET_DIR` when set
/// (CI points it at the folder its other generated crates build in, so
/// dependencies compile once), else `target/behaviour/target`.
fn target_dir(root: &Path) -> std::path::PathBuf {
    std::env::var_os("APIGEN_BEHAVIOUR_TARGET_DIR").map_or_else(|| root.join("target"), std::path::PathBuf::from)
}

fn cargo(root: &Path, args: &[&str], extra_env: &[(&str, &str)]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    let (subcommand, rest) = args.split_first().expect("a cargo subcommand");
    command
        .arg(subcommand)
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .args(rest)
        .env("CARGO_TARGET_DIR", target_dir(root))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS");
    for (key, value) in extra_env {
        command.env(key, value);
    }
    let output = command.output().unwrap_or_else(|err| panic!("cannot run cargo: {err}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Printed so that `--nocapture` runs (and CI's test count) see the harness's own results.
    print!("{stdout}");
    assert!(
        output.status.success(),
        "`cargo {}` failed in {}:\n{stderr}\n{stdout}",
        args.join(" "),
        root.display()
    );
}

/// The features `default` enables in a generated manifest: one per tag.
fn tag_features(manifest: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(manifest).unwrap_or_else(|err| panic!("{}: {err}", manifest.display()));
    let value: toml::Table = toml::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", manifest.display()));
    value
        .get("features")
        .and_then(|features| features.get("default"))
        .and_then(toml::Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(|name| name.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn generated_fixture_crates_are_clippy_clean_and_behave_on_the_wire() {
    let cases = cases();
    assert!(!cases.is_empty(), "no fixtures selected");
    let root = workspace_root().join("target/behaviour");
    for case in &cases {
        generate(case, &root.join("crates").join(&case.name));
    }
    write_if_changed(
        &root.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"crates/*\", \"harness\"]\n\n[profile.dev.package.\"*\"]\ndebug = false\n",
    );
    // The generator's own lock file pins the versions every test here was
    // written against; it is copied afresh so that a lock file left by a
    // checkout elsewhere (with the runtime at another path) cannot collide.
    std::fs::copy(workspace_root().join("Cargo.lock"), root.join("Cargo.lock")).expect("copy Cargo.lock");
    let harness = root.join("harness");
    write_if_changed(&harness.join("Cargo.toml"), &harness_manifest(&cases));
    write_if_changed(
        &harness.join("src/lib.rs"),
        "//! Behaviour tests of generated fixture crates.\n",
    );
    let tests = harness.join("tests");
    if tests.exists() {
        std::fs::remove_dir_all(&tests).expect("clear old harness tests");
    }
    for case in &cases {
        if let Some(test) = &case.test {
            let text = std::fs::read_to_string(test).unwrap_or_else(|err| panic!("{}: {err}", test.display()));
            write_if_changed(&tests.join(format!("{}.rs", case.name)), &text);
        }
    }

    let packages: Vec<String> = cases.iter().map(|c| crate_name(&c.name)).collect();
    // With the typed mocks, which every generated crate has behind `mock`.
    let mut clippy = vec!["clippy", "--all-targets", "--all-features"];
    let mut doc = vec!["doc", "--no-deps", "--all-features"];
    for package in &packages {
        clippy.extend(["-p", package.as_str()]);
        doc.extend(["-p", package.as_str()]);
    }
    clippy.extend(["--", "-D", "warnings"]);
    cargo(&root, &clippy, &[]);
    // With the default features, each type implements only the serde
    // directions the API uses it in, which must be enough for the crate.
    let mut plain = vec!["clippy", "--lib"];
    for package in &packages {
        plain.extend(["-p", package.as_str()]);
    }
    plain.extend(["--", "-D", "warnings"]);
    cargo(&root, &plain, &[]);
    // Each tag's feature alone compiles clean, and so does none at all: an
    // item gated too narrowly would be missing where something uses it.
    for (case, package) in cases.iter().zip(&packages) {
        let manifest = root.join("crates").join(&case.name).join("Cargo.toml");
        let features = tag_features(&manifest);
        if case.name == "features" {
            // Guards the loop itself: a manifest it could not read would test nothing.
            assert_eq!(
                features,
                ["access-tokens", "flags", "segments"],
                "{}",
                manifest.display()
            );
        }
        // No tag at all, and the mocks alone: what is compiled always must stand alone.
        for feature in features.iter().map(String::as_str).chain(["", "mock"]) {
            let args = [
                "clippy",
                "--lib",
                "-p",
                package,
                "--no-default-features",
                "--features",
                feature,
            ];
            cargo(&root, &[&args[..], &["--", "-D", "warnings"]].concat(), &[]);
        }
    }
    cargo(&root, &doc, &[("RUSTDOCFLAGS", "-Dwarnings")]);
    if cases.iter().any(|c| c.test.is_some()) {
        cargo(&root, &["test", "-p", "behaviour-harness", "--tests"], &[]);
    }
}
