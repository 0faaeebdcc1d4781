//! Bad input gets a clear, located error and never a panic. Each message names
//! the file, the JSON pointer (or line), what is wrong and what to do; the
//! messages are snapshotted so a change of wording is reviewed.

use std::path::Path;

use apigen::{Config, Selection};

/// Runs load → lower → emit on `text` as if read from `name`.
fn run(name: &str, text: &str) -> String {
    let path = Path::new(name);
    let result = apigen::load::load_str(path, text).and_then(|spec| {
        let api = apigen::lower::lower(path, &spec.document, &Config::default(), &Selection::default())?;
        let options = apigen::EmitOptions {
            crate_name: "x".into(),
            crate_version: "0.1.0".into(),
            runtime: "r".into(),
            spec_display: name.into(),
            command: "c".into(),
            standalone: false,
        };
        apigen::emit::emit(&api, &options)?;
        Ok(api)
    });
    match result {
        Ok(api) => format!("ok: {} operations, {} types", api.operations.len(), api.types.len()),
        Err(err) => err.to_string(),
    }
}

const GOOD_TAIL: &str = "
components:
  schemas:
    A: {type: object, properties: {b: {$ref: '#/components/schemas/B'}}}
    B: {type: string}
";

fn op(path: &str, id: &str, extra: &str) -> String {
    format!(
        "  {path}:\n    get:\n      operationId: {id}\n{extra}      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/A'}}\n"
    )
}

fn doc(paths: &str, tail: &str) -> String {
    format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}{tail}")
}

/// A document of about `bytes` bytes: many valid operations, then one with a dangling `$ref`.
fn huge(bytes: usize) -> String {
    let mut paths = String::new();
    let mut index = 0;
    while paths.len() < bytes {
        paths.push_str(&op(&format!("/p{index}"), &format!("op{index}"), ""));
        index += 1;
    }
    paths.push_str(&op("/last", "last", "").replace("schemas/A", "schemas/Missing"));
    doc(&paths, GOOD_TAIL)
}

#[test]
fn malformed_specs_have_located_messages() {
    let missing_param = "      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n";
    let cases: Vec<(&str, String)> = vec![
        ("valid", doc(&op("/a", "a", ""), GOOD_TAIL)),
        ("invalid_yaml", "openapi: 3.0.3\ninfo: [unclosed\n".into()),
        (
            "wrong_value_types",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 5\n".into(),
        ),
        (
            "dangling_ref",
            doc(
                &op("/a", "a", ""),
                "\ncomponents:\n  schemas:\n    A: {type: object, properties: {b: {$ref: '#/components/schemas/Nope'}}}\n",
            ),
        ),
        (
            "ref_cycle_through_non_objects",
            doc(
                &op("/a", "a", ""),
                "\ncomponents:\n  schemas:\n    A: {type: array, items: {$ref: '#/components/schemas/B'}}\n    B: {type: array, items: {$ref: '#/components/schemas/A'}}\n",
            ),
        ),
        (
            "duplicate_operation_id",
            doc(&format!("{}{}", op("/a", "same", ""), op("/b", "same", "")), GOOD_TAIL),
        ),
        (
            "path_param_missing_from_template",
            doc(&op("/a", "a", missing_param), GOOD_TAIL),
        ),
        ("template_param_not_declared", doc(&op("/a/{id}", "a", ""), GOOD_TAIL)),
        ("empty_document", String::new()),
        (
            "swagger_2",
            "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n".into(),
        ),
        (
            "openapi_4",
            "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n".into(),
        ),
        ("ten_megabytes_with_a_dangling_ref_at_the_end", huge(10 * 1024 * 1024)),
    ];
    let mut table = String::new();
    for (name, text) in &cases {
        let message = run(&format!("{name}.yaml"), text);
        table.push_str(&format!("{name}:\n  {message}\n"));
    }
    insta::assert_snapshot!(table);
}

#[test]
fn missing_file_names_the_path() {
    let err = apigen::load::load_file(Path::new("no/such/spec.yaml"))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("no/such/spec.yaml: cannot read the spec file"), "{err}");
}

#[test]
fn dangling_ref_names_file_and_pointer() {
    let text = doc(
        &op("/a", "a", ""),
        "\ncomponents:\n  schemas:\n    A: {type: object, properties: {b: {$ref: '#/components/schemas/Nope'}}}\n",
    );
    let message = run("spec.yaml", &text);
    assert!(
        message.contains("spec.yaml: #/components/schemas/A/properties/b"),
        "{message}"
    );
    assert!(message.contains("#/components/schemas/Nope"), "{message}");
}

/// A document whose one operation returns `schema` (YAML flow text), with
/// `tail` appended, as if read from `tests/fixtures/broken_refs/NAME.yaml`.
fn returning(schema: &str, tail: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {schema}\n{tail}"
    )
}

#[test]
fn broken_references_have_located_messages() {
    let alias_cycle = "components:\n  parameters:\n    P: {$ref: '#/components/parameters/Q'}\n    Q: {$ref: '#/components/parameters/P'}\n";
    let with_param = |text: String| {
        text.replace(
            "      responses:",
            "      parameters: [{$ref: '#/components/parameters/P'}]\n      responses:",
        )
    };
    let path_cycle = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a: {$ref: '#/paths/~1b'}\n  /b: {$ref: '#/paths/~1a'}\n";
    let cases: Vec<(&str, String)> = vec![
        ("missing_file", returning("{$ref: 'schemas/none.yaml#/Pet'}", "")),
        (
            "bad_pointer_into_a_file",
            returning("{$ref: '../multi_file/schemas/pet.yaml#/Nope'}", ""),
        ),
        (
            "bad_pointer_inside_a_file",
            returning("{$ref: 'dangling.yaml#/Thing'}", ""),
        ),
        (
            "referenced_file_not_yaml",
            returning("{$ref: 'not_yaml.yaml#/Pet'}", ""),
        ),
        (
            "network_reference",
            returning("{$ref: 'https://example.com/pet.yaml#/Pet'}", ""),
        ),
        (
            "fragment_not_a_pointer",
            returning("{$ref: '../multi_file/schemas/pet.yaml#Pet'}", ""),
        ),
        (
            "deep_pointer_that_does_not_exist",
            returning("{$ref: '#/components/schemas/A/properties/nope'}", GOOD_TAIL),
        ),
        (
            "cycle_of_parameter_aliases",
            with_param(returning("{type: string}", alias_cycle)),
        ),
        ("cycle_of_path_items", path_cycle.into()),
    ];
    let mut table = String::new();
    for (name, text) in &cases {
        let message = run(&format!("tests/fixtures/broken_refs/{name}.yaml"), text);
        table.push_str(&format!("{name}:\n  {message}\n"));
    }
    insta::assert_snapshot!(table);
}
