//! OpenAPI Overlays from end to end: overlays named in the configuration and
//! in the options correct the entry document before anything reads it, so
//! the IR and the generated code follow the corrected document, and the mock
//! server's copy of it is corrected the same way.

use std::path::{Path, PathBuf};

use apigen::ir::{Field, TypeKind};
use apigen::{Config, EmitOptions, Error, GenerateOptions, Generated, Selection};

/// A pet store whose server, unlike its document, sends `null` names, may
/// leave out `tag` and has no delete.
const SPEC: &str = "\
openapi: 3.0.3
info: {title: Pets, version: '1'}
paths:
  /pets/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      operationId: getPet
      responses:
        '200':
          description: The pet.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
    delete:
      operationId: deletePet
      responses:
        '204': {description: Deleted.}
components:
  schemas:
    Pet:
      type: object
      required: [id, name, tag]
      properties:
        id: {type: string}
        name: {type: string}
        tag: {type: string}
";

/// The correction of the schema, as a configuration would name it.
const SCHEMA_OVERLAY: &str = "\
overlay: 1.0.0
info: {title: Pet as the server sends it, version: '1'}
actions:
  - target: $.components.schemas.Pet.properties.name
    description: The server sends null names
    update: {nullable: true}
  - target: $.components.schemas.Pet.required[?@ == 'tag']
    description: The server leaves tag out
    remove: true
";

/// The correction of the paths, as given on the command line.
const PATHS_OVERLAY: &str = "\
overlay: 1.0.0
info: {title: Operations the server has, version: '1'}
actions:
  - target: $.paths['/pets/{id}'].delete
    remove: true
";

/// A folder of its own for `name`, holding the spec and the overlays.
fn folder(name: &str) -> PathBuf {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join("overlays").join(name);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("pets.yaml"), SPEC).unwrap();
    std::fs::write(folder.join("schema.overlay.yaml"), SCHEMA_OVERLAY).unwrap();
    std::fs::write(folder.join("paths.overlay.yaml"), PATHS_OVERLAY).unwrap();
    folder
}

fn options(folder: &Path, config_overlays: &[&str], overlays: &[&str]) -> GenerateOptions {
    GenerateOptions {
        spec: folder.join("pets.yaml"),
        config: Config {
            overlays: config_overlays.iter().map(|name| folder.join(name)).collect(),
            ..Config::default()
        },
        selection: Selection::default(),
        emit: EmitOptions {
            crate_name: "pets-api".into(),
            crate_version: "0.1.0".into(),
            runtime: "../../crates/apigen-runtime".into(),
            spec_display: "pets.yaml".into(),
            command: "cargo xtask codegen".into(),
            standalone: false,
        },
        overlays: overlays.iter().map(|name| folder.join(name)).collect(),
    }
}

fn generate(options: &GenerateOptions) -> Generated {
    apigen::generate(options).unwrap_or_else(|err| panic!("{err}"))
}

fn operation_ids(generated: &Generated) -> Vec<&str> {
    generated.api.operations.iter().map(|op| op.id.as_str()).collect()
}

/// The fields of `Pet`: wire name, required, nullable.
fn pet_fields(generated: &Generated) -> Vec<(&str, bool, bool)> {
    let pet = generated
        .api
        .types
        .iter()
        .find(|t| t.name == "Pet")
        .expect("a Pet type");
    let TypeKind::Struct { fields, .. } = &pet.kind else {
        panic!("Pet is not a struct");
    };
    fields
        .iter()
        .map(
            |Field {
                 wire_name,
                 required,
                 nullable,
                 ..
             }| (wire_name.as_str(), *required, *nullable),
        )
        .collect()
}

#[test]
fn overlays_correct_the_document_the_client_is_generated_from() {
    let folder = folder("correct");
    let plain = generate(&options(&folder, &[], &[]));
    assert_eq!(operation_ids(&plain), ["deletePet", "getPet"]);
    assert_eq!(
        pet_fields(&plain),
        [("id", true, false), ("name", true, false), ("tag", true, false)]
    );

    let corrected = generate(&options(&folder, &["schema.overlay.yaml"], &["paths.overlay.yaml"]));
    assert_eq!(operation_ids(&corrected), ["getPet"]);
    assert_eq!(
        pet_fields(&corrected),
        [("id", true, false), ("name", true, true), ("tag", false, false)]
    );
    let types = &corrected.module_source("types");
    for field in [
        "pub id: ::std::string::String,",
        "pub name: ::std::option::Option<::std::string::String>,",
        "pub tag: ::std::option::Option<::std::string::String>,",
    ] {
        assert!(types.contains(field), "{field} in {types}");
    }
    assert!(
        plain
            .module_source("types")
            .contains("pub name: ::std::string::String,")
    );
    assert_ne!(types, &plain.module_source("types"));
    assert!(!corrected.module_source("operations").contains("fn delete_pet"));
    assert!(plain.module_source("operations").contains("fn delete_pet"));
}

#[test]
fn the_options_overlays_apply_after_the_configurations() {
    let folder = folder("order");
    std::fs::write(
        folder.join("rename.overlay.yaml"),
        "overlay: 1.0.0\ninfo: {title: Rename, version: '1'}\nactions:\n  - target: $.paths['/pets/{id}'].get\n    update: {operationId: fetchPet}\n",
    )
    .unwrap();
    std::fs::write(
        folder.join("rename-again.overlay.yaml"),
        "overlay: 1.0.0\ninfo: {title: Rename again, version: '1'}\nactions:\n  - target: $.paths['/pets/{id}'].get\n    update: {operationId: readPet}\n",
    )
    .unwrap();
    let generated = generate(&options(
        &folder,
        &["rename.overlay.yaml", "paths.overlay.yaml"],
        &["rename-again.overlay.yaml"],
    ));
    assert_eq!(operation_ids(&generated), ["readPet"]);
    let generated = generate(&options(
        &folder,
        &["rename-again.overlay.yaml", "paths.overlay.yaml"],
        &["rename.overlay.yaml"],
    ));
    assert_eq!(operation_ids(&generated), ["fetchPet"]);
}

#[test]
fn an_overlay_written_for_another_document_stops_the_run() {
    let folder = folder("unmatched");
    std::fs::write(
        folder.join("stale.overlay.yaml"),
        "overlay: 1.0.0\ninfo: {title: Stale, version: '1'}\nactions:\n  - target: $.info\n    update: {x-fixed: true}\n  - target: $.components.schemas.Dog\n    description: Dogs bark\n    remove: true\n",
    )
    .unwrap();
    let error =
        apigen::generate(&options(&folder, &[], &["stale.overlay.yaml"])).expect_err("an unmatched target is an error");
    assert!(matches!(error, Error::Overlay { .. }), "{error:?}");
    let overlay = folder.join("stale.overlay.yaml");
    let spec = folder.join("pets.yaml");
    assert_eq!(
        error.to_string(),
        format!(
            "{}: #/actions/1: overlay: the action (\"Dogs bark\") with target `$.components.schemas.Dog` \
             matches nothing in {}; check the path against the document; the overlay was probably \
             written for another version of it",
            overlay.display(),
            spec.display()
        )
    );
}

#[test]
fn the_mock_server_reads_the_corrected_document() {
    let folder = folder("mock");
    let overlays = [folder.join("schema.overlay.yaml"), folder.join("paths.overlay.yaml")];
    let (document, _) = apigen::load::document_for_mock_server(&folder.join("pets.yaml"), &overlays).unwrap();
    let pet = &document["components"]["schemas"]["Pet"];
    assert_eq!(pet["required"], serde_json::json!(["id", "name"]));
    assert_eq!(pet["properties"]["name"]["nullable"], serde_json::json!(true));
    assert!(document["paths"]["/pets/{id}"].get("delete").is_none());
    assert!(document["paths"]["/pets/{id}"].get("get").is_some());

    let (plain, _) = apigen::load::document_for_mock_server(&folder.join("pets.yaml"), &[]).unwrap();
    assert!(plain["paths"]["/pets/{id}"].get("delete").is_some());
}
