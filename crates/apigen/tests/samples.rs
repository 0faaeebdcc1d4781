//! The values the conformance harness sends (`Operation::sample`): taken
//! from examples and defaults when they fit their schema, otherwise made up
//! from the schema's keywords, and recorded when made up. Prism checks them
//! on the wire (`cargo xtask conformance`); these tests pin the choices.

use std::path::Path;

use apigen::ir::Operation;
use apigen::{Config, EmitOptions, GenerateOptions, Generated, Selection};
use serde_json::json;

fn generate() -> Generated {
    generate_from(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/samples.yaml"))
}

fn generate_from(spec: &Path) -> Generated {
    let spec = spec.to_path_buf();
    let options = GenerateOptions {
        spec: spec.clone(),
        config: Config::default(),
        selection: Selection::default(),
        emit: EmitOptions {
            crate_name: "samples-api".into(),
            crate_version: "0.1.0".into(),
            runtime: "../../crates/apigen-runtime".into(),
            spec_display: "samples.yaml".into(),
            command: "cargo xtask codegen".into(),
            standalone: false,
        },
        overlays: Vec::new(),
    };
    apigen::generate(&options).unwrap_or_else(|err| panic!("{}: {err}", spec.display()))
}

fn op<'a>(generated: &'a Generated, id: &str) -> &'a Operation {
    generated
        .api
        .operations
        .iter()
        .find(|op| op.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

#[test]
fn parameters_take_fitting_examples_and_defaults_and_honour_formats_and_bounds() {
    let generated = generate();
    let create = op(&generated, "createPart");
    let required: Vec<&str> = create
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| p.wire_name.as_str())
        .collect();
    assert_eq!(
        required,
        [
            "widgetId", "count", "callback", "code", "colour", "kind", "label", "size"
        ]
    );
    assert_eq!(
        create.sample.arguments,
        [
            json!("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
            // At least 3, a multiple of 2.
            json!(4),
            // The example `myUrl` is not a URI.
            json!("https://example.com/"),
            // The shortest string that matches `^MG[0-9a-f]{4}$`.
            json!("MG0000"),
            // The example `purple` is not a member of the enum.
            json!("red"),
            // The `enum` next to `allOf` narrows the referenced kinds.
            json!(3),
            json!("long label"),
            json!(12),
        ]
    );
}

#[test]
fn bodies_fill_required_writable_properties_within_their_limits() {
    let generated = generate();
    let body = op(&generated, "createPart").sample.body.clone();
    assert_eq!(
        body,
        Some(json!({
            "name": "str",
            "made": "2024-01-01T00:00:00Z",
            "tags": ["user@example.com", "user@example.com"],
            "size": 1.0,
            "shape": {"radius": 1},
            // Unique items: the digit string counts up and keeps its pattern.
            "ids": ["0", "1"],
        }))
    );
    let synthesised = &op(&generated, "createPart").sample.synthesised;
    assert!(
        synthesised
            .iter()
            .any(|s| s == "#/components/schemas/Part/properties/made: format date-time"),
        "{synthesised:?}"
    );
    assert!(
        synthesised
            .iter()
            .any(|s| s.ends_with("/parameters/2/schema: a string matching its `pattern`")),
        "{synthesised:?}"
    );
    // Values taken from a fitting example or default are not listed.
    assert!(
        !synthesised.iter().any(|s| s.contains("/parameters/4/")),
        "{synthesised:?}"
    );
}

#[test]
fn json_patch_bodies_made_from_bare_strings_become_applicable_operations() {
    let generated = generate();
    let patch = op(&generated, "patchWidget");
    assert_eq!(
        patch.sample.body,
        Some(json!([
            {"op": "replace", "path": "/string", "value": "string"},
            {"op": "replace", "path": "/string", "value": "string"},
        ]))
    );
    assert!(
        patch
            .sample
            .synthesised
            .iter()
            .any(|s| s.contains("`replace` of `/string`"))
    );
}

#[test]
fn an_operation_that_only_redirects_succeeds_with_the_redirect() {
    let generated = generate();
    let export = op(&generated, "getLatestExport");
    let successes: Vec<String> = export.successes.iter().map(|s| s.status.to_string()).collect();
    let errors: Vec<String> = export.errors.iter().map(|e| e.status.to_string()).collect();
    assert_eq!(successes, ["307"]);
    assert_eq!(errors, ["404"]);
}

#[test]
fn a_wildcard_media_type_with_an_object_schema_is_sent_and_read_as_json() {
    let generated = generate();
    let replace = op(&generated, "replaceWidget");
    let body = replace.body.as_ref().expect("a body");
    assert_eq!(body.media_type, "application/json");
    assert_eq!(body.encoding, apigen::ir::BodyEncoding::Json);
    assert_eq!(body.ty, apigen::ir::TypeRef::Named("WidgetInput".into()));
    assert!(
        !generated
            .api
            .inexact
            .iter()
            .any(|item| item.pointer.contains("~1widgets/put")),
        "{:?}",
        generated.api.inexact
    );
}

#[test]
fn a_required_read_only_property_is_optional_in_a_type_that_requests_send() {
    let generated = generate();
    let part = generated
        .api
        .types
        .iter()
        .find(|t| t.name == "Part")
        .expect("a Part type");
    let apigen::ir::TypeKind::Struct { fields, .. } = &part.kind else {
        panic!("Part is a struct")
    };
    let id = fields.iter().find(|f| f.wire_name == "id").expect("an id field");
    assert!(id.read_only && !id.required);
    let name = fields.iter().find(|f| f.wire_name == "name").expect("a name field");
    assert!(name.required);
    assert!(
        generated
            .api
            .inexact
            .iter()
            .any(|item| item.pointer == "#/components/schemas/Part/properties/id"),
        "{:?}",
        generated.api.inexact
    );
}

#[test]
fn a_required_property_without_a_schema_still_has_a_field() {
    let generated = generate();
    let owner = generated
        .api
        .types
        .iter()
        .find(|t| t.name == "WidgetInputOwner")
        .expect("a WidgetInputOwner type");
    let apigen::ir::TypeKind::Struct { fields, .. } = &owner.kind else {
        panic!("WidgetInputOwner is a struct")
    };
    let id = fields.iter().find(|f| f.wire_name == "id").expect("an id field");
    // Optional, so that a response without it (a misspelt `required`
    // entry is common) still decodes; the difference is listed.
    assert!(!id.required);
    assert_eq!(id.ty, apigen::ir::TypeRef::Any);
    assert!(
        generated
            .api
            .inexact
            .iter()
            .any(|item| item.message.starts_with("required property `id` is not described"))
    );
    // The harness sends it, so the mock sees the required property.
    let body = op(&generated, "replaceWidget").sample.body.clone().expect("a body");
    assert_eq!(body["owner"]["id"], serde_json::json!("string"));
}

#[test]
fn a_fragment_in_a_path_is_not_sent_and_is_listed() {
    let generated = generate();
    let csv = op(&generated, "getLatestExportAsCsv");
    assert_eq!(csv.path, [apigen::ir::PathPart::Literal("/exports/latest".into())]);
    assert!(csv.sample.unsupported.is_some());
    assert!(
        generated
            .api
            .inexact
            .iter()
            .any(|item| item.pointer == csv.pointer && item.message.contains("`#csv` is a URL fragment")),
        "{:?}",
        generated.api.inexact
    );
}

#[test]
fn a_branch_that_only_requires_properties_picks_them_from_the_union() {
    let generated = generate();
    let batch = op(&generated, "createBatch");
    assert_eq!(batch.sample.body, Some(json!({"file_ids": ["string", "string"]})));
}

#[test]
fn a_nullable_all_of_part_admits_null_when_the_others_only_annotate() {
    let generated = generate();
    let widget = generated
        .api
        .types
        .iter()
        .find(|t| t.name == "Widget")
        .expect("a Widget type");
    let apigen::ir::TypeKind::Struct { fields, .. } = &widget.kind else {
        panic!("Widget is a struct")
    };
    let sequence = fields
        .iter()
        .find(|f| f.wire_name == "sequence")
        .expect("a sequence field");
    assert!(sequence.nullable);
}

#[test]
fn an_example_whose_property_breaks_its_format_is_not_used() {
    let generated = generate();
    let hook = op(&generated, "createHook");
    assert_eq!(hook.sample.body, Some(json!({"url": "https://example.com/"})));
}

#[test]
fn huge_length_limits_give_bounded_values_and_say_so() {
    // A made-up value never grows with a limit: `minLength` and `minItems`
    // near `u32::MAX` once made generation allocate until the process died.
    let spec = Path::new(env!("CARGO_TARGET_TMPDIR")).join("huge-limits.yaml");
    let text = r#"
openapi: 3.0.3
info: {title: Limits, version: "1"}
paths:
  /notes:
    post:
      operationId: createNote
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [text, tags]
              properties:
                text: {type: string, minLength: 4294967295}
                tags: {type: array, minItems: 4294967295, items: {type: string, pattern: "(?:x?){4000000000}"}}
      responses:
        "204": {description: Created.}
"#;
    std::fs::write(&spec, text).unwrap_or_else(|err| panic!("{}: {err}", spec.display()));
    let generated = generate_from(&spec);
    let note = op(&generated, "createNote");
    let body = note.sample.body.as_ref().expect("a body value");
    assert_eq!(body["text"].as_str().map(str::len), Some(4096));
    assert_eq!(body["tags"].as_array().map(Vec::len), Some(16));
    assert!(
        note.sample
            .synthesised
            .iter()
            .any(|line| line.contains("`minLength` 4294967295 is longer than a made-up value may grow")),
        "{:?}",
        note.sample.synthesised
    );
}

#[test]
fn nested_arrays_and_self_requiring_objects_give_bounded_values() {
    // Each level doubles the value: twenty levels of arrays, or an object
    // that requires itself twice, once made generation run out of memory.
    let spec = Path::new(env!("CARGO_TARGET_TMPDIR")).join("doubling.yaml");
    let mut nested = String::from("{type: string}");
    for _ in 0..30 {
        nested = format!("{{type: array, minItems: 2, items: {nested}}}");
    }
    let text = format!(
        r##"
openapi: 3.0.3
info: {{title: Doubling, version: "1"}}
paths:
  /grids:
    post:
      operationId: createGrid
      requestBody:
        required: true
        content:
          application/json:
            schema: {nested}
      responses:
        "204": {{description: Created.}}
  /trees:
    post:
      operationId: createTree
      requestBody:
        required: true
        content:
          application/json:
            schema: {{$ref: "#/components/schemas/Tree"}}
      responses:
        "204": {{description: Created.}}
components:
  schemas:
    Tree:
      type: object
      required: [left, right]
      properties:
        left: {{$ref: "#/components/schemas/Tree"}}
        right: {{$ref: "#/components/schemas/Tree"}}
"##
    );
    std::fs::write(&spec, text).unwrap_or_else(|err| panic!("{}: {err}", spec.display()));
    let generated = generate_from(&spec);
    for id in ["createGrid", "createTree"] {
        let sample = &op(&generated, id).sample;
        let body = sample.body.as_ref().expect("a body value");
        let size = body.to_string().len();
        assert!(size < 1_000_000, "{id}: the value takes {size} bytes");
        assert!(
            sample
                .synthesised
                .iter()
                .any(|line| line.contains("too big") || line.contains("already holds")),
            "{id}: {:?}",
            sample.synthesised
        );
    }
}

#[test]
fn an_accept_parameter_leaves_a_default_the_parameter_allows() {
    let generated = generate();
    let report = op(&generated, "getReport");
    assert_eq!(report.accept.as_deref(), Some("application/json"));
    assert!(report.params.iter().any(|param| param.wire_name == "Accept"));
}

#[test]
fn a_required_property_described_nowhere_gets_a_value() {
    let generated = generate();
    let check = op(&generated, "createCheck");
    assert_eq!(check.sample.body, Some(json!({"name": "string", "method": "string"})));
    // The body's own `required` list gives it a type of its own: the part's
    // type would make `name` optional and have no place for `method`.
    let body = check.body.as_ref().expect("a body");
    let apigen::ir::TypeRef::Named(name) = &body.ty else {
        panic!("the body is not a named type: {:?}", body.ty)
    };
    assert_ne!(name, "CheckFields");
    let Some(apigen::ir::TypeKind::Struct { fields, .. }) = generated.api.type_def(name).map(|def| &def.kind) else {
        panic!("{name} is not a struct")
    };
    let summary: Vec<(&str, bool)> = fields.iter().map(|f| (f.wire_name.as_str(), f.required)).collect();
    assert_eq!(summary, [("name", true), ("method", false)]);
    assert!(
        generated.api.inexact.iter().any(|item| item
            .pointer
            .ends_with("~1checks/post/requestBody/content/application~1json/schema/required")),
        "the undescribed `method` is listed"
    );
}

#[test]
fn a_discriminated_branch_is_sent_with_its_own_tag() {
    let generated = generate();
    let action = op(&generated, "postAddressAction");
    assert_eq!(action.sample.body, Some(json!({"type": "unassign"})));
}
