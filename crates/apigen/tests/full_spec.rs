//! The whole LaunchDarkly API (`../shared/specs/launchdarkly-full-3.0.3.yaml`,
//! never copied into this repository): every operation is generated and
//! every construct is represented exactly; the same document as JSON gives
//! byte-identical code; and malformed copies fail with located errors.
//!
//! These tests fail, naming the missing file, when `../shared` is absent.

use std::path::{Path, PathBuf};

use apigen::{Config, EmitOptions, GenerateOptions, Generated, Selection};
use serde_json::Value;

/// `../shared/specs/launchdarkly-full-3.0.3.yaml` beside the checkout.
fn full_spec() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/specs/launchdarkly-full-3.0.3.yaml");
    assert!(
        path.is_file(),
        "{} is missing: these tests need the shared folder next to the checkout",
        path.display()
    );
    path
}

fn config() -> Config {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec/codegen.toml");
    Config::load(&path).unwrap_or_else(|err| panic!("{err}"))
}

/// Generates from `spec`; the header names the same spec whatever the file.
fn generate(spec: &Path) -> apigen::Result<Generated> {
    generate_with(spec, Vec::new())
}

/// [`generate`], with `overlays` applied.
fn generate_with(spec: &Path, overlays: Vec<PathBuf>) -> apigen::Result<Generated> {
    apigen::generate(&GenerateOptions {
        spec: spec.to_path_buf(),
        config: config(),
        selection: Selection::default(),
        emit: EmitOptions {
            crate_name: "launchdarkly-full".into(),
            crate_version: "0.1.0".into(),
            runtime: "../../crates/apigen-runtime".into(),
            spec_display: "launchdarkly-full-3.0.3".into(),
            command: "cargo xtask codegen".into(),
            standalone: true,
        },
        overlays,
    })
}

/// A scratch folder for this test binary.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("full_spec");
    std::fs::create_dir_all(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
    dir.join(name)
}

/// The full spec as a JSON value.
fn full_value() -> Value {
    let path = full_spec();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    apigen::load::parse_value(&path, &text).unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn every_operation_is_generated_and_represented_exactly() {
    let generated = generate(&full_spec()).unwrap_or_else(|err| panic!("{err}"));
    let api = &generated.api;
    assert_eq!(api.operations.len(), 348);
    let inexact: Vec<String> = api
        .inexact
        .iter()
        .map(|i| format!("{}: {}", i.pointer, i.message))
        .collect();
    assert!(inexact.is_empty(), "not represented exactly:\n{}", inexact.join("\n"));
    // Beta operations: tags ending in "(beta)" (121) and five more that
    // declare `LD-API-Version: beta` as a parameter.
    assert_eq!(api.operations.iter().filter(|op| op.beta).count(), 126);
    assert!(
        api.operations
            .iter()
            .flat_map(|op| &op.params)
            .all(|p| !p.wire_name.eq_ignore_ascii_case("LD-API-Version")),
        "the version header is never a per-call parameter"
    );
    assert_eq!(api.operations.iter().filter(|op| op.deprecated).count(), 12);
    let uploads: Vec<&str> = api
        .operations
        .iter()
        .filter(|op| {
            op.body
                .as_ref()
                .is_some_and(|b| b.encoding == apigen::ir::BodyEncoding::Multipart)
        })
        .map(|op| op.id.as_str())
        .collect();
    assert_eq!(uploads, ["createBigSegmentImport", "postTeamMembers"]);
    assert!(api.examples.len() > 1800, "{} examples", api.examples.len());
}

/// The text of the struct `name` in the generated `types` module.
fn struct_text(generated: &Generated, name: &str) -> String {
    let types = generated.module_source("types");
    let start = types
        .find(&format!("pub struct {name} {{"))
        .unwrap_or_else(|| panic!("no struct {name}"));
    let end = types[start..].find("\n}\n").map_or(types.len(), |end| start + end);
    types[start..end].to_owned()
}

#[test]
fn the_overlay_for_the_examples_still_applies_and_makes_its_fields_optional() {
    let overlay = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec/overlays/full-api-examples.yaml");
    let plain = generate(&full_spec()).unwrap_or_else(|err| panic!("{err}"));
    let corrected = generate_with(&full_spec(), vec![overlay]).unwrap_or_else(|err| panic!("{err}"));
    for (name, field) in [
        ("ProjectSummary", "pub id: "),
        ("VariationSummary", "pub context_targets: "),
    ] {
        let before = struct_text(&plain, name);
        let after = struct_text(&corrected, name);
        assert!(!before.contains(&format!("{field}::std::option::Option<")), "{before}");
        assert!(after.contains(&format!("{field}::std::option::Option<")), "{after}");
    }
}

#[test]
fn json_input_generates_byte_identical_code() {
    let yaml = generate(&full_spec()).unwrap_or_else(|err| panic!("{err}"));
    let json_path = scratch("launchdarkly-full-3.0.3.json");
    let text = serde_json::to_string_pretty(&full_value()).unwrap_or_else(|err| panic!("{err}"));
    std::fs::write(&json_path, text).unwrap_or_else(|err| panic!("{}: {err}", json_path.display()));
    let json = generate(&json_path).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        yaml.files.keys().collect::<Vec<_>>(),
        json.files.keys().collect::<Vec<_>>()
    );
    for (path, text) in &yaml.files {
        assert!(json.files[path] == *text, "{path} differs between YAML and JSON input");
    }
    assert_eq!(yaml.api, json.api);
}

/// Writes `value` as JSON to a scratch file and runs the pipeline on it,
/// returning the error message.
fn error_of(name: &str, value: &Value) -> (PathBuf, String) {
    let path = scratch(&format!("{name}.json"));
    let text = serde_json::to_string(value).unwrap_or_else(|err| panic!("{err}"));
    std::fs::write(&path, text).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    match generate(&path) {
        Ok(_) => panic!("{name}: the malformed copy generated without an error"),
        Err(err) => (path, err.to_string()),
    }
}

const FLAG: &str = "/paths/~1api~1v2~1flags~1{projectKey}~1{featureFlagKey}";

#[test]
fn dangling_ref_in_a_copy_is_located() {
    let mut value = full_value();
    let schema = value
        .pointer_mut(&format!("{FLAG}/patch/requestBody/content/application~1json/schema"))
        .expect("the patchFeatureFlag body schema");
    *schema = serde_json::json!({"$ref": "#/components/schemas/NoSuchSchema"});
    let (path, message) = error_of("dangling-ref", &value);
    let expected = format!(
        "{}: #{FLAG}/patch/requestBody/content/application~1json/schema: $ref `#/components/schemas/NoSuchSchema` does not resolve",
        path.display()
    );
    assert!(message.starts_with(&expected), "{message}");
}

#[test]
fn path_parameter_missing_from_the_template_is_located() {
    let mut value = full_value();
    let parameters = value
        .pointer_mut(&format!("{FLAG}/get/parameters"))
        .and_then(Value::as_array_mut)
        .expect("the getFeatureFlag parameters");
    parameters.push(serde_json::json!({"name": "extra", "in": "path", "required": true, "schema": {"type": "string"}}));
    let (path, message) = error_of("missing-path-param", &value);
    let expected = format!(
        "{}: #{FLAG}/get/parameters: path parameter `extra` does not appear in the path template `/api/v2/flags/{{projectKey}}/{{featureFlagKey}}`",
        path.display()
    );
    assert!(message.starts_with(&expected), "{message}");
}

#[test]
fn duplicate_operation_id_is_located() {
    let mut value = full_value();
    let id = value
        .pointer_mut(&format!("{FLAG}/delete/operationId"))
        .expect("the deleteFeatureFlag operation id");
    *id = Value::String("getFeatureFlag".into());
    let (path, message) = error_of("duplicate-operation-id", &value);
    assert!(message.starts_with(&path.display().to_string()), "{message}");
    assert!(
        message.contains("operationId `getFeatureFlag` is also used at"),
        "{message}"
    );
    assert!(
        message.contains(&format!("#{FLAG}/get")) && message.contains(&format!("#{FLAG}/delete/operationId")),
        "{message}"
    );
}
