//! Snapshots of the IR and of every emitted file, for the seed spec and for
//! one small fixture per construct. Review changes with `cargo insta review`;
//! CI runs with `INSTA_UPDATE=no`, so an unreviewed change fails.

use std::path::{Path, PathBuf};

use apigen::{Config, EmitOptions, GenerateOptions, Generated, Selection};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn generate(spec: &Path, config: Config) -> Generated {
    let options = GenerateOptions {
        spec: spec.to_path_buf(),
        config,
        selection: Selection::default(),
        emit: EmitOptions {
            crate_name: "snapshot-api".into(),
            crate_version: "0.1.0".into(),
            runtime: "../../crates/apigen-runtime".into(),
            spec_display: spec.file_name().unwrap().to_string_lossy().into_owned(),
            command: "cargo xtask codegen".into(),
            standalone: false,
        },
        overlays: Vec::new(),
    };
    apigen::generate(&options).unwrap_or_else(|err| panic!("{}: {err}", spec.display()))
}

fn snapshot_all(name: &str, generated: &Generated) {
    insta::assert_yaml_snapshot!(format!("{name}__ir"), generated.api);
    for (path, text) in &generated.files {
        let file = path.replace(['/', '.'], "_");
        insta::assert_snapshot!(format!("{name}__{file}"), text);
    }
}

#[test]
fn seed_spec() {
    let root = workspace_root();
    let config = Config::load(&root.join("spec/codegen.toml")).unwrap();
    let generated = generate(&root.join("spec/launchdarkly.yaml"), config);
    assert_eq!(generated.api.operations.len(), 1);
    snapshot_all("seed", &generated);
}

fn fixture(name: &str) -> Generated {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.yaml"));
    generate(&path, Config::default())
}

/// Fixtures snapshot the IR and the two files where the construct shows.
fn snapshot_fixture(name: &str) -> Generated {
    let generated = fixture(name);
    insta::assert_yaml_snapshot!(format!("{name}__ir"), generated.api);
    insta::assert_snapshot!(format!("{name}__types"), generated.module_source("types"));
    insta::assert_snapshot!(format!("{name}__operations"), generated.module_source("operations"));
    generated
}

fn field<'a>(generated: &'a Generated, ty: &str, wire: &str) -> &'a apigen::ir::Field {
    let def = generated
        .api
        .types
        .iter()
        .find(|t| t.name == ty)
        .unwrap_or_else(|| panic!("no type {ty}"));
    let apigen::ir::TypeKind::Struct { fields, .. } = &def.kind else {
        panic!("{ty} is not a struct")
    };
    fields
        .iter()
        .find(|f| f.wire_name == wire)
        .unwrap_or_else(|| panic!("no field {wire}"))
}

#[test]
fn nullable_31() {
    let g = snapshot_fixture("nullable_31");
    assert!(field(&g, "Thing", "nickname").nullable && field(&g, "Thing", "nickname").required);
    assert!(field(&g, "Thing", "age").nullable);
    assert!(field(&g, "Thing", "owner").nullable);
    assert_eq!(
        field(&g, "Thing", "owner").ty,
        apigen::ir::TypeRef::Named("Owner".into())
    );
    assert_eq!(field(&g, "Thing", "aliases").ty, list_of_nullable(string()));
    assert_eq!(field(&g, "Thing", "previous").ty, list_of_nullable(named("Owner")));
    assert_no_inexact_null(&g);
}

fn string() -> apigen::ir::TypeRef {
    apigen::ir::TypeRef::Primitive(apigen::ir::Primitive::String)
}

fn named(name: &str) -> apigen::ir::TypeRef {
    apigen::ir::TypeRef::Named(name.into())
}

fn nullable(ty: apigen::ir::TypeRef) -> apigen::ir::TypeRef {
    apigen::ir::TypeRef::Nullable(Box::new(ty))
}

fn list_of_nullable(item: apigen::ir::TypeRef) -> apigen::ir::TypeRef {
    apigen::ir::TypeRef::List(Box::new(nullable(item)))
}

/// `null` in array items and map values decodes now, so it is not listed as inexact.
fn assert_no_inexact_null(g: &Generated) {
    let nulls: Vec<_> = g
        .api
        .inexact
        .iter()
        .filter(|i| i.message.contains("nullable"))
        .collect();
    assert!(nulls.is_empty(), "{nulls:?}");
}

#[test]
fn nullable_items() {
    let g = snapshot_fixture("nullable_items");
    assert_eq!(field(&g, "Folder", "tags").ty, list_of_nullable(string()));
    assert_eq!(field(&g, "Folder", "entries").ty, list_of_nullable(named("FileMini")));
    assert_eq!(
        field(&g, "Folder", "sizes").ty,
        apigen::ir::TypeRef::Map(Box::new(nullable(apigen::ir::TypeRef::Primitive(
            apigen::ir::Primitive::I64
        ))))
    );
    assert_eq!(field(&g, "Folder", "owners").ty, list_of_nullable(named("Owner")));
    assert_eq!(
        field(&g, "Folder", "names").ty,
        apigen::ir::TypeRef::List(Box::new(string()))
    );
    // The nullable component is a plain struct: the `Option` is at its use.
    assert!(
        g.api
            .types
            .iter()
            .any(|t| t.name == "Owner" && matches!(t.kind, apigen::ir::TypeKind::Struct { .. }))
    );
    let counts = g.api.types.iter().find(|t| t.name == "Counts").expect("a Counts type");
    let apigen::ir::TypeKind::Struct { additional, .. } = &counts.kind else {
        panic!("Counts is not a struct")
    };
    assert_eq!(
        additional,
        &Some(nullable(apigen::ir::TypeRef::Primitive(apigen::ir::Primitive::I32)))
    );
    assert_no_inexact_null(&g);
}

#[test]
fn ref_siblings() {
    let g = snapshot_fixture("ref_siblings");
    assert_eq!(
        field(&g, "Item", "_id").docs,
        "The item's own id, documented at the reference."
    );
    assert_eq!(
        field(&g, "Item", "created").docs,
        "When it was created (a 3.1 summary)."
    );
    assert_eq!(field(&g, "Item", "_id").rust_name, "id");
}

#[test]
fn keywords() {
    let g = snapshot_fixture("keywords");
    assert_eq!(field(&g, "Self_", "type").rust_name, "type_");
    assert_eq!(field(&g, "Self_", "2fa").rust_name, "n_2fa");
    let params: Vec<&str> = g.api.operations[0]
        .params
        .iter()
        .map(|p| p.rust_name.as_str())
        .collect();
    assert_eq!(params, ["self_", "options_2", "type_"]);
    assert_eq!(g.api.operations[0].method_name, "match_");
}

#[test]
fn collisions() {
    let g = snapshot_fixture("collisions");
    assert_eq!(field(&g, "Collision2", "id").rust_name, "id");
    assert_eq!(field(&g, "Collision2", "_id").rust_name, "id_2");
    assert_eq!(field(&g, "Collision2", "first_name").rust_name, "first_name");
    assert_eq!(field(&g, "Collision2", "firstName").rust_name, "first_name_3");
}

#[test]
fn open_enums() {
    snapshot_fixture("open_enums");
}

#[test]
fn maps() {
    let g = snapshot_fixture("maps");
    assert_eq!(
        field(&g, "Settings", "links").ty,
        apigen::ir::TypeRef::Map(Box::new(apigen::ir::TypeRef::Named("Link".into())))
    );
}

#[test]
fn recursion() {
    let g = snapshot_fixture("recursion");
    assert!(field(&g, "Node", "parent").boxed, "a direct self-reference needs a Box");
    assert!(!field(&g, "Node", "children").boxed, "a Vec already breaks the cycle");
    assert!(field(&g, "Edge", "to").boxed || field(&g, "Node", "first").boxed);
}

#[test]
fn untyped() {
    let g = snapshot_fixture("untyped");
    let request = g
        .api
        .types
        .iter()
        .find(|t| t.name == "PostUntypedRequest")
        .expect("inline body type");
    let apigen::ir::TypeKind::Struct { fields, .. } = &request.kind else {
        panic!()
    };
    assert_eq!(fields[2].ty, apigen::ir::TypeRef::Any);
}

#[test]
fn json_patch() {
    // The fixture follows LaunchDarkly's conventions, where a leading `_`
    // marks a read-only property.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/json_patch.yaml");
    let config = Config {
        read_only_prefix: Some("_".into()),
        ..Config::default()
    };
    let g = generate(&path, config);
    insta::assert_yaml_snapshot!("json_patch__ir", g.api);
    insta::assert_snapshot!("json_patch__operations", g.module_source("operations"));
    insta::assert_snapshot!("json_patch__paths", g.module_source("paths"));
    let flag = g.api.operations.iter().find(|op| op.id == "patchFlag").unwrap();
    let body = flag.body.as_ref().unwrap();
    assert_eq!(body.patch, Some(apigen::ir::RuntimeType::PatchWithComment));
    assert_eq!(flag.patch_root, Some(apigen::ir::TypeRef::Named("Flag".into())));
    let segment = g.api.operations.iter().find(|op| op.id == "patchSegment").unwrap();
    assert_eq!(
        segment.body.as_ref().unwrap().patch,
        Some(apigen::ir::RuntimeType::JsonPatch)
    );
    assert_eq!(
        segment.patch_root, None,
        "a 204 gives no resource to type paths against"
    );
    let marked: Vec<&str> = g
        .api
        .types
        .iter()
        .filter(|t| t.paths_name.is_some())
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(marked, ["Flag", "Variation"]);
    assert!(
        !g.module_source("paths").contains("fn archived"),
        "readOnly fields have no path"
    );
    assert!(
        !g.module_source("paths").contains("fn version"),
        "`_` fields have no path"
    );
}

/// Client-construction fixtures also snapshot `client.rs`, where servers and
/// credentials show.
fn snapshot_client_fixture(name: &str) -> Generated {
    let generated = snapshot_fixture(name);
    insta::assert_snapshot!(format!("{name}__client"), generated.files["src/client.rs"]);
    generated
}

#[test]
fn servers_none() {
    let g = snapshot_client_fixture("servers_none");
    assert!(g.api.servers.is_empty());
    assert_eq!(g.api.default_server, apigen::ir::DefaultServer::BaseUrl);
    let client = &g.files["src/client.rs"];
    assert!(!client.contains("Default"), "no server, so no default: {client}");
    assert!(client.contains("pub fn new(\n        base_url: impl"), "{client}");
}

#[test]
fn servers_relative() {
    let g = snapshot_client_fixture("servers_relative");
    let urls: Vec<(&str, bool)> = g.api.servers.iter().map(|s| (s.url.as_str(), s.relative)).collect();
    assert_eq!(
        urls,
        [("/v3", true), ("/api/{version}", true)],
        "`/` is the caller's origin itself"
    );
    assert_eq!(g.api.servers[1].variables_type.as_deref(), Some("ApiVariables"));
    assert_eq!(
        g.api.default_server,
        apigen::ir::DefaultServer::Origin { variant: "V3".into() }
    );
}

#[test]
fn servers_variables() {
    let g = snapshot_client_fixture("servers_variables");
    let uspto = &g.api.servers[0];
    assert_eq!(uspto.variant, "DeveloperUsptoGov");
    assert!(!uspto.relative);
    assert_eq!(uspto.variables_type.as_deref(), Some("DeveloperUsptoGovVariables"));
    let scheme = uspto.variables[0].choices.as_ref().unwrap();
    assert_eq!(scheme.name, "DeveloperUsptoGovScheme");
    let variants: Vec<(&str, &str)> = scheme
        .variants
        .iter()
        .map(|v| (v.rust_name.as_str(), v.wire_value.as_str()))
        .collect();
    assert_eq!(variants, [("Https", "https"), ("Http", "http")]);
    assert_eq!(scheme.default, 0);
    let regional = &g.api.servers[1];
    assert_eq!(regional.variant, "ExampleCom");
    assert_eq!(regional.variables[0].rust_name, "region");
    assert!(regional.variables[0].choices.is_none());
    assert_eq!(regional.variables[1].default, "8443");
    let pointers: Vec<&str> = g.api.inexact.iter().map(|i| i.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        ["#/paths/~1uploads/post/servers", "#/paths/~1uploads/servers"]
    );
}

#[test]
fn security() {
    let g = snapshot_client_fixture("security");
    let schemes: Vec<(&str, &str)> = g
        .api
        .security_schemes
        .iter()
        .map(|s| (s.name.as_str(), s.setter.as_str()))
        .collect();
    assert_eq!(
        schemes,
        [
            ("bearerAuth", "bearer_auth"),
            ("basicAuth", "basic_auth"),
            ("queryKey", "query_key"),
            ("cookieKey", "cookie_key"),
            ("headerKey", "header_key"),
            ("oauth", "oauth"),
            ("oidc", "oidc"),
            ("digestAuth", "digest_auth"),
            ("cert", "cert"),
        ]
    );
    assert_eq!(g.api.security_schemes[8].pointer, "#/components/securitySchemes/cert");
    assert_eq!(
        g.api.security_schemes[8].kind,
        apigen::ir::SecuritySchemeKind::MutualTls
    );
    assert_eq!(g.api.credential_shortcut, None, "several schemes: no shortcut");
    let security = |id: &str| {
        g.api
            .operations
            .iter()
            .find(|op| op.id == id)
            .unwrap_or_else(|| panic!("no operation {id}"))
            .security
            .clone()
    };
    let names = |list: &[&[&str]]| -> Vec<Vec<String>> {
        list.iter()
            .map(|alt| alt.iter().map(|s| (*s).to_owned()).collect())
            .collect()
    };
    assert_eq!(security("get-bearer"), names(&[&["bearerAuth"]]), "global requirement");
    assert_eq!(security("get-public"), names(&[]), "`security: []`");
    assert_eq!(
        security("get-either"),
        names(&[&["headerKey", "cookieKey"], &["basicAuth"]])
    );
    assert_eq!(security("get-optional"), names(&[&[], &["headerKey"]]));
    assert_eq!(security("get-oauth"), names(&[&["oauth"]]), "scopes are dropped");
    let inexact: Vec<&str> = g.api.inexact.iter().map(|i| i.pointer.as_str()).collect();
    assert_eq!(inexact, ["#/components/securitySchemes/digestAuth/scheme"]);
}

#[test]
fn seed_sends_its_api_key_on_every_operation() {
    let root = workspace_root();
    let config = Config::load(&root.join("spec/codegen.toml")).unwrap();
    let g = generate(&root.join("spec/launchdarkly.yaml"), config);
    assert_eq!(g.api.credential_shortcut.as_deref(), Some("ApiKey"));
    assert_eq!(g.api.operations[0].security, [vec!["ApiKey".to_owned()]]);
    assert_eq!(
        g.api.security_schemes[0].kind,
        apigen::ir::SecuritySchemeKind::ApiKey {
            location: apigen::ir::ApiKeyLocation::Header,
            name: "Authorization".into()
        }
    );
}

/// The tag property and the values that select each variant of a union.
fn union_tags(generated: &Generated, ty: &str) -> (Option<String>, Vec<(String, Vec<apigen::ir::TagValue>)>) {
    let def = generated
        .api
        .types
        .iter()
        .find(|t| t.name == ty)
        .unwrap_or_else(|| panic!("no type {ty}"));
    let apigen::ir::TypeKind::Union {
        variants,
        discriminator,
    } = &def.kind
    else {
        panic!("{ty} is not a union")
    };
    let variants = variants.iter().map(|v| (v.rust_name.clone(), v.tags.clone())).collect();
    (discriminator.clone(), variants)
}

#[test]
fn tagged_unions() {
    use apigen::ir::TagValue::{Integer, Text};
    let g = snapshot_fixture("tagged_unions");
    let types = &g.module_source("types");
    let text = |s: &str| vec![Text(s.to_owned())];
    let tagged = |property: &str, variants: Vec<(&str, Vec<apigen::ir::TagValue>)>| {
        (
            Some(property.to_owned()),
            variants.into_iter().map(|(n, t)| (n.to_owned(), t)).collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        union_tags(&g, "Datum"),
        tagged("type", vec![("I64", text("i64")), ("F64", text("f64"))])
    );
    assert_eq!(
        union_tags(&g, "Level"),
        tagged("level", vec![("Low", text("low")), ("High", text("high"))])
    );
    assert_eq!(
        union_tags(&g, "Shape"),
        tagged("kind", vec![("Circle", text("circle")), ("Square", text("square"))])
    );
    assert_eq!(
        union_tags(&g, "Pet"),
        tagged("petType", vec![("Cat", text("cat")), ("Dog", text("dog"))])
    );
    assert_eq!(
        union_tags(&g, "Component"),
        tagged("type", vec![("Button", vec![Integer(2)]), ("Select", vec![Integer(3)])])
    );
    // A string beside tagged objects has no tag value; it takes the values that are not objects.
    assert_eq!(
        union_tags(&g, "Choice"),
        tagged(
            "type",
            vec![
                ("ChoiceVariant1", vec![]),
                ("Function", text("function")),
                ("Custom", text("custom"))
            ]
        )
    );
    assert!(types.contains("::std::option::Option::None if !value.is_object() =>"));
    assert_eq!(
        union_tags(&g, "Answer"),
        tagged(
            "petType",
            vec![("Cat", text("cat")), ("Dog", text("dog")), ("String", vec![])]
        )
    );
    assert_eq!(
        union_tags(&g, "Widget"),
        tagged("type", vec![("Button", vec![Integer(2)]), ("Select", vec![Integer(3)])]),
        "mapping keys of integer tags are integers"
    );
    let (tag, _) = union_tags(&g, "Mixed");
    assert_eq!(tag, None, "no property tells `Mixed` apart");
    // Inline members are named after their tag.
    assert_eq!(
        field(&g, "DatumF64", "datum").ty,
        apigen::ir::TypeRef::Primitive(apigen::ir::Primitive::F64)
    );
    // Unions of constants are the open enums they describe.
    let kind_of = |name: &str| {
        g.api
            .types
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.kind.clone())
            .unwrap_or_else(|| panic!("no type {name}"))
    };
    assert_eq!(
        kind_of("SettingsKind"),
        apigen::ir::TypeKind::IntEnum {
            values: vec![
                apigen::ir::IntEnumValue {
                    constant: "ACTION_ROW".into(),
                    value: 1
                },
                apigen::ir::IntEnumValue {
                    constant: "BUTTON".into(),
                    value: 2
                }
            ]
        }
    );
    let apigen::ir::TypeKind::Enum { variants } = kind_of("SettingsSize") else {
        panic!("SettingsSize is not an enum")
    };
    let values: Vec<&str> = variants.iter().map(|v| v.wire_value.as_str()).collect();
    assert_eq!(values, ["auto", "1024x1024"]);
    assert!(g.api.inexact.is_empty(), "{:?}", g.api.inexact);
    assert!(types.contains("::apigen_runtime::UnionTag::Integer(3i64)"));
    assert!(!types.contains("_ => Self::Other"), "no match is a lone wildcard");
}

fn operation<'a>(generated: &'a Generated, id: &str) -> &'a apigen::ir::Operation {
    generated
        .api
        .operations
        .iter()
        .find(|op| op.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

#[test]
fn refs() {
    use apigen::ir::{TypeKind, TypeRef};
    let g = snapshot_fixture("refs");
    let names: Vec<&str> = g.api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Archive",
            "ArchiveAlias",
            "ArchiveLatest",
            "ArchiveState",
            "FolderEntry",
            "ProblemDetails"
        ]
    );
    // The deep pointer became one named enum, used by the property it came
    // from, by the other property that referred to it, and by both bodies.
    let state = g.api.types.iter().find(|t| t.name == "ArchiveState").unwrap();
    assert!(matches!(&state.kind, TypeKind::Enum { variants } if variants.len() == 2));
    assert_eq!(state.docs, "Where the archive is in its life.");
    let named_state = TypeRef::Named("ArchiveState".into());
    assert_eq!(field(&g, "Archive", "state").ty, named_state);
    assert_eq!(field(&g, "Archive", "previous").ty, named_state);
    let put = operation(&g, "setArchiveState");
    assert_eq!(put.body.as_ref().unwrap().ty, named_state);
    assert!(put.body.as_ref().unwrap().argument, "the chained body keeps `required`");
    // Chained parameter (twice: by name and by a pointer into another operation).
    for id in ["getArchive", "setArchiveState"] {
        let param = &operation(&g, id).params[0];
        assert_eq!((param.wire_name.as_str(), param.required), ("id", true));
    }
    // Chained responses, including one behind a `~0`-escaped schema name.
    let get = operation(&g, "getArchive");
    assert_eq!(get.successes[0].ty, TypeRef::Named("ArchiveAlias".into()));
    assert_eq!(get.errors[0].ty, TypeRef::Named("ProblemDetails".into()));
    // The path item reference.
    assert_eq!(operation(&g, "listFolders").path_template, "/folders");
    assert!(g.api.inexact.is_empty(), "{:?}", g.api.inexact);
}

#[test]
fn multi_file() {
    use apigen::ir::TypeRef;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multi_file/openapi.yaml");
    let g = generate(&path, Config::default());
    insta::assert_yaml_snapshot!("multi_file__ir", g.api);
    insta::assert_snapshot!("multi_file__types", g.module_source("types"));
    insta::assert_snapshot!("multi_file__operations", g.module_source("operations"));
    let names: Vec<&str> = g.api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Name", "Owner", "Pet", "Tag"]);
    assert_eq!(field(&g, "Pet", "owner").ty, TypeRef::Named("Owner".into()));
    assert_eq!(
        field(&g, "Owner", "pets").ty,
        TypeRef::List(Box::new(TypeRef::Named("Pet".into())))
    );
    assert_eq!(field(&g, "Pet", "name").ty, TypeRef::Named("Name".into()));
    let get = operation(&g, "getPet");
    assert_eq!(get.path_template, "/pets/{id}");
    assert_eq!(get.params[0].ty, TypeRef::Primitive(apigen::ir::Primitive::I64));
    assert_eq!(get.params[0].rust_name, "id");
    assert_eq!(get.successes[0].ty, TypeRef::Named("Pet".into()));
    // Bundling is deterministic: a second run gives the same files.
    let again = generate(&path, Config::default());
    assert_eq!(again.files, g.files);
}

/// (status, variant) of each error, in match order.
fn error_cases(op: &apigen::ir::Operation) -> Vec<(String, &str)> {
    op.errors
        .iter()
        .map(|e| (e.status.to_string(), e.variant.as_str()))
        .collect()
}

#[test]
fn responses() {
    use apigen::ir::{BodyEncoding, Primitive, ResponseStatus, SuccessType, TypeRef};
    let g = snapshot_fixture("responses");
    insta::assert_snapshot!("responses__errors", g.module_source("errors"));
    let named = |name: &str| TypeRef::Named(name.into());

    // Only `default`: it is the success (any 2xx) and the error of the rest.
    let create = operation(&g, "createUser");
    assert_eq!(create.successes[0].status, ResponseStatus::Default);
    assert_eq!(create.success_type, SuccessType::Single(TypeRef::Unit));
    assert_eq!(error_cases(create), [("default".to_owned(), "Default")]);

    // A `default` error next to a 200 decodes into its schema.
    let names = operation(&g, "listNames");
    assert_eq!(
        names.success_type,
        SuccessType::Single(TypeRef::List(Box::new(TypeRef::Primitive(Primitive::String))))
    );
    assert_eq!(names.errors[0].ty, named("Error"));
    assert_eq!(error_cases(names), [("default".to_owned(), "Default")]);

    // Precedence: code, then range; a text range body is a `String`.
    let widget = operation(&g, "getWidget");
    assert_eq!(
        error_cases(widget),
        [
            ("404".to_owned(), "NotFound"),
            ("4XX".to_owned(), "ClientError"),
            ("5XX".to_owned(), "ServerError")
        ]
    );
    assert_eq!(widget.errors[0].ty, named("Problem"));
    assert_eq!(widget.errors[2].encoding, BodyEncoding::Text);
    assert_eq!(widget.errors[2].ty, TypeRef::Primitive(Primitive::String));
    let errors = &g.module_source("errors");
    assert!(
        errors.contains("400..=403 | 405..=499 =>"),
        "a range leaves out its listed codes"
    );

    // A `2XX` range success; several success bodies get a per-status enum.
    let job = operation(&g, "startJob");
    assert_eq!(job.successes[0].status, ResponseStatus::Range(2));
    assert_eq!(job.success_type, SuccessType::Single(named("Job")));
    let put = operation(&g, "putJob");
    let SuccessType::PerStatus { name } = &put.success_type else {
        panic!("putJob returns one type for every status: {:?}", put.success_type)
    };
    let Some(apigen::ir::TypeKind::StatusEnum { variants }) = g.api.type_def(name).map(|def| &def.kind) else {
        panic!("{name} is not a per-status enum")
    };
    let variants: Vec<(String, &str, BodyEncoding)> = variants
        .iter()
        .map(|v| (v.status.to_string(), v.rust_name.as_str(), v.encoding))
        .collect();
    assert_eq!(
        variants,
        [
            ("200".to_owned(), "Ok", BodyEncoding::Json),
            ("201".to_owned(), "Created", BodyEncoding::Json),
            ("204".to_owned(), "NoContent", BodyEncoding::Empty),
            ("2XX".to_owned(), "OtherSuccess", BodyEncoding::Text)
        ]
    );
    assert_eq!(put.successes[1].ty, named("Widget"), "a vendor `+json` body is JSON");

    // No success documented (only error ranges, or only a 101): any 2xx is `Ok(())`.
    for id in ["ping", "openStream"] {
        let op = operation(&g, id);
        assert_eq!(op.successes.len(), 1, "{id}");
        assert_eq!(op.successes[0].status, ResponseStatus::Range(2), "{id}");
        assert_eq!(op.successes[0].encoding, BodyEncoding::Empty, "{id}");
    }

    // Text and binary bodies, both as successes and as errors.
    assert_eq!(operation(&g, "getReadme").successes[0].encoding, BodyEncoding::Text);
    let logo = operation(&g, "getLogo");
    assert_eq!(
        logo.success_type,
        SuccessType::Single(TypeRef::Primitive(Primitive::Bytes))
    );
    let logo_errors: Vec<BodyEncoding> = logo.errors.iter().map(|e| e.encoding).collect();
    assert_eq!(logo_errors, [BodyEncoding::Text, BodyEncoding::Binary]);

    // Exactly what is not represented: headers (but not `Content-Type`), links, the 101.
    let inexact: Vec<&str> = g.api.inexact.iter().map(|i| i.pointer.as_str()).collect();
    assert_eq!(
        inexact,
        [
            "#/paths/~1stream/get/responses/101",
            "#/paths/~1widgets~1{id}/get/responses/200/headers",
            "#/paths/~1widgets~1{id}/get/responses/200/links",
        ]
    );
}

#[test]
fn responses_31() {
    use apigen::ir::{BodyEncoding, ResponseStatus, SuccessType, TypeRef};
    let g = snapshot_fixture("responses_31");
    // No `responses` at all: any 2xx is `Ok(())`, anything else unexpected.
    let send = operation(&g, "sendEvent");
    assert_eq!(send.successes[0].status, ResponseStatus::Range(2));
    assert_eq!(send.successes[0].encoding, BodyEncoding::Empty);
    assert_eq!(send.success_type, SuccessType::Single(TypeRef::Unit));
    assert!(send.errors.is_empty());
    // A lower-case range is a range.
    assert_eq!(
        error_cases(operation(&g, "getStatus")),
        [("4XX".to_owned(), "ClientError")]
    );
    assert!(g.api.inexact.is_empty(), "{:?}", g.api.inexact);
}

fn param<'a>(generated: &'a Generated, op: &str, wire: &str) -> &'a apigen::ir::Param {
    generated
        .api
        .operations
        .iter()
        .find(|o| o.id == op)
        .and_then(|o| o.params.iter().find(|p| p.wire_name == wire))
        .unwrap_or_else(|| panic!("no parameter {wire} in {op}"))
}

fn styled(style: apigen::ir::Style, explode: bool) -> apigen::ir::ParamWire {
    apigen::ir::ParamWire::Styled(apigen::ir::ParamStyle {
        style,
        explode,
        allow_reserved: false,
        json: false,
    })
}

#[test]
fn params() {
    use apigen::ir::{ParamLocation, ParamStyle, ParamWire, Style};
    let g = snapshot_fixture("params");
    assert_eq!(param(&g, "get-paths", "id").wire, ParamWire::Display);
    assert_eq!(param(&g, "get-paths", "ids").wire, styled(Style::Simple, false));
    assert_eq!(param(&g, "get-paths", "point").wire, styled(Style::Simple, true));
    assert_eq!(param(&g, "get-paths", "ratio").wire, styled(Style::Label, false));
    assert_eq!(param(&g, "get-paths", "tags").wire, styled(Style::Matrix, true));
    assert_eq!(param(&g, "get-query", "limit").wire, ParamWire::Display);
    assert_eq!(param(&g, "get-query", "tag").wire, styled(Style::Form, true));
    assert_eq!(param(&g, "get-query", "ids").wire, styled(Style::Form, false));
    assert_eq!(
        param(&g, "get-query", "words").wire,
        styled(Style::SpaceDelimited, false)
    );
    assert_eq!(param(&g, "get-query", "filter").wire, styled(Style::DeepObject, true));
    assert_eq!(param(&g, "get-query", "order").wire, styled(Style::DeepObject, true));
    assert_eq!(
        param(&g, "get-query", "redirect").wire,
        ParamWire::Styled(ParamStyle {
            style: Style::Form,
            explode: true,
            allow_reserved: true,
            json: false
        })
    );
    assert_eq!(
        param(&g, "get-query", "coords").wire,
        ParamWire::Styled(ParamStyle {
            style: Style::Form,
            explode: true,
            allow_reserved: false,
            json: true
        })
    );
    assert_eq!(param(&g, "get-headers", "X-Ids").wire, styled(Style::Simple, false));
    assert_eq!(param(&g, "get-headers", "session").location, ParamLocation::Cookie);
    assert_eq!(param(&g, "get-headers", "prefs").wire, styled(Style::Form, false));
    let inexact: Vec<&str> = g.api.inexact.iter().map(|i| i.pointer.as_str()).collect();
    assert_eq!(inexact, ["#/paths/~1query/get/parameters/10"]);
}

#[test]
fn forms() {
    use apigen::ir::{BodyEncoding, Style, TypeRef};
    let g = snapshot_fixture("forms");
    let create = g.api.operations.iter().find(|o| o.id == "create-customer").unwrap();
    let body = create.body.as_ref().unwrap();
    assert_eq!(body.encoding, BodyEncoding::UrlForm);
    assert_eq!(body.ty, TypeRef::Named("CustomerForm".into()));
    let style = |wire: &str| {
        body.url_form
            .iter()
            .find(|f| f.wire_name == wire)
            .map(|f| (f.style.style, f.style.explode, f.style.allow_reserved, f.style.json))
            .unwrap_or_else(|| panic!("no form field {wire}"))
    };
    assert_eq!(style("name"), (Style::Form, true, false, false));
    assert_eq!(style("tags"), (Style::Form, true, false, false));
    assert_eq!(style("ids"), (Style::Form, false, false, false));
    assert_eq!(style("metadata"), (Style::DeepObject, true, false, false));
    assert_eq!(style("address"), (Style::DeepObject, true, false, false));
    assert_eq!(style("expand"), (Style::DeepObject, true, false, false));
    assert!(style("prefs").3, "objects default to JSON text");
    assert!(style("profile").3, "contentType application/json is JSON text");
    assert!(style("return_url").2, "allowReserved");
    assert_eq!(body.url_form.len(), 11, "every declared property is listed");
    let message = g.api.operations.iter().find(|o| o.id == "CreateMessage").unwrap();
    assert_eq!(message.body.as_ref().unwrap().encoding, BodyEncoding::UrlForm);
    let inexact: Vec<&str> = g.api.inexact.iter().map(|i| i.pointer.as_str()).collect();
    assert_eq!(
        inexact,
        [
            "#/paths/~1customers/post/requestBody/content/application~1x-www-form-urlencoded/encoding/legacy/contentType",
            "#/paths/~1imports/post/requestBody/content/multipart~1form-data/encoding/label/headers",
            "#/paths/~1imports/post/requestBody/content/multipart~1form-data/encoding/logo/contentType",
        ]
    );
    let import = g
        .api
        .types
        .iter()
        .find(|t| t.name == "CreateImportRequestForm")
        .unwrap();
    let apigen::ir::TypeKind::Form { fields } = &import.kind else {
        panic!("a multipart form")
    };
    let parts: Vec<(&str, Option<&str>, bool)> = fields
        .iter()
        .map(|f| {
            (
                f.wire_name.as_str(),
                f.content_type.as_deref(),
                matches!(f.part, apigen::ir::FormPart::Json(_)),
            )
        })
        .collect();
    assert_eq!(
        parts,
        [
            ("data", Some("text/csv"), false),
            ("summary", Some("text/markdown"), false),
            ("label", None, true),
            ("logo", None, false),
        ]
    );
}

#[test]
fn salvage() {
    let g = snapshot_fixture("salvage");
    // Parameters named like the builder's send methods get other setter
    // names, so `send_raw` and `send_as` keep meaning "send".
    let get = operation(&g, "getThing");
    let names: Vec<(&str, &str)> = get
        .params
        .iter()
        .map(|p| (p.wire_name.as_str(), p.rust_name.as_str()))
        .collect();
    assert_eq!(
        names,
        [("id", "id"), ("send_as", "send_as_2"), ("send_raw", "send_raw_2")]
    );
    let operations = &g.module_source("operations");
    for method in [
        "pub fn send(",
        "pub fn send_raw(",
        "pub fn send_as<T: ::serde::de::DeserializeOwned>(",
        "pub fn decode(",
        "fn into_request(",
    ] {
        assert_eq!(operations.matches(method).count(), 2, "{method}");
    }
    assert!(g.api.inexact.is_empty(), "{:?}", g.api.inexact);
}

/// Shapes from real documents that once gave code that did not compile or
/// did not pass clippy; the behaviour test builds the fixture with clippy.
#[test]
fn shapes_from_corpus() {
    let generated = snapshot_fixture("shapes_from_corpus");
    let upload = generated
        .api
        .operations
        .iter()
        .find(|op| op.id == "upload")
        .expect("upload");
    let body = upload.body.as_ref().expect("a body");
    assert_eq!(body.encoding, apigen::ir::BodyEncoding::Binary);
    assert!(
        generated
            .api
            .inexact
            .iter()
            .any(|i| i.message.contains("not an object")),
        "the raw form body is listed: {:?}",
        generated.api.inexact
    );
    assert!(generated.module_source("operations").contains("200..=202 =>"));
}

/// Each list operation of the pagination fixture gets the rule its
/// structure (or, for `listAudit`, the configuration) shows; `listTags`,
/// which takes a page size but has no way to the next page, gets none and
/// says why, and so does `getView`, a resource whose one list is no page.
#[test]
fn pagination() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pagination.yaml");
    let config = Config::load(&path.with_extension("codegen.toml")).unwrap();
    let generated = generate(&path, config);
    let rules: Vec<(String, Option<String>, Option<String>)> = generated
        .api
        .operations
        .iter()
        .map(|op| {
            let pagination = op.pagination.as_ref();
            (
                op.id.clone(),
                pagination.map(|p| format!("{}: {}", p.rule.name(), p.reason)),
                op.unpaged.clone(),
            )
        })
        .collect();
    let expect = |id: &str, rule: &str| (id.to_owned(), Some(rule.to_owned()), None);
    assert_eq!(
        rules,
        [
            (
                "getView".to_owned(),
                None,
                Some(
                    "its page's only list, `tags`, has no paging field beside it (a total, a cursor, a next link)"
                        .to_owned()
                )
            ),
            expect("listAudit", "last-item: `rule = \"last-item\"` in the configuration"),
            expect(
                "listCharges",
                "last-item: parameter `starting_after` fed from the last item's `id` while `has_more` is true"
            ),
            expect(
                "listEvents",
                "cursor: cursor parameter `cursor` fed from `meta.next_cursor`"
            ),
            expect(
                "listFlags",
                "offset: offset parameter `offset` with the total `totalCount`"
            ),
            expect(
                "listMessages",
                "next-url: the next page's URL in `next_page_uri` (the cursor `PageToken` is only given inside it)"
            ),
            expect("listRepos", "link-header: a documented `Link` response header"),
            (
                "listTags".to_owned(),
                None,
                Some(
                    "it takes a page size, but neither an offset, page number or cursor parameter nor a next link"
                        .to_owned()
                )
            ),
            expect(
                "listUsers",
                "page-number: page-number parameter `page` up to `total_pages`"
            ),
        ]
    );
    insta::assert_yaml_snapshot!("pagination__ir", generated.api);
    insta::assert_snapshot!("pagination__operations", generated.module_source("operations"));
}

#[test]
fn features() {
    let generated = snapshot_fixture("features");
    insta::assert_snapshot!("features__cargo_toml", generated.files["Cargo.toml"]);
    let api = &generated.api;
    let names: Vec<(&str, Vec<&str>, usize)> = api
        .features
        .iter()
        .map(|f| {
            (
                f.name.as_str(),
                f.tags.iter().map(String::as_str).collect(),
                f.operations.len(),
            )
        })
        .collect();
    // `Access tokens` and `access-tokens` name one feature.
    assert_eq!(
        names,
        [
            ("access-tokens", vec!["Access tokens", "access-tokens"], 2),
            ("flags", vec!["Flags"], 5),
            ("segments", vec!["Segments"], 2),
        ]
    );
    let gate = |name: &str| -> Vec<String> {
        let def = api
            .types
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("no type {name}"));
        def.gate.any_of.iter().cloned().collect()
    };
    let serde = |name: &str| {
        let def = api
            .types
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("no type {name}"));
        (def.serde.serialize, def.serde.deserialize)
    };
    // A type takes the features of every operation that reaches it, through other types too.
    assert_eq!(gate("Flag"), ["flags"]);
    assert_eq!(gate("Kind"), ["flags"]);
    assert_eq!(gate("Problem"), ["flags", "segments"]);
    assert_eq!(gate("Segment"), ["flags", "segments"]);
    assert_eq!(gate("Rule"), ["flags", "segments"]);
    // An untagged operation and its types are compiled always.
    assert!(gate("Health").is_empty());
    assert!(operation(&generated, "health").gate.is_always());
    assert_eq!(
        operation(&generated, "setSegmentFlags")
            .gate
            .any_of
            .iter()
            .collect::<Vec<_>>(),
        ["flags", "segments"]
    );
    // The base of a merged `allOf` is emitted though nothing reaches it, so it
    // and what it holds are compiled always, in both directions.
    assert!(gate("SummaryBase").is_empty() && gate("Owner").is_empty());
    assert_eq!(serde("Owner"), (true, true));
    assert_eq!(gate("FlagSummary"), ["flags"]);
    // Serde directions follow the uses: sent, received, or both.
    assert_eq!(serde("NewFlag"), (true, false));
    assert_eq!(serde("Flag"), (false, true));
    assert_eq!(serde("Kind"), (true, true));
    assert_eq!(serde("Segment"), (true, true));
    assert_eq!(serde("Problem"), (false, true));
    // getFlag and getSegment document the same 404: one enum, two aliases,
    // compiled with either tag.
    let shared = api
        .error_enums
        .iter()
        .find(|e| e.name == "NotFoundError")
        .unwrap_or_else(|| panic!("no shared enum in {:?}", api.error_enums));
    assert_eq!(shared.operations, ["get_flag", "get_segment"]);
    assert_eq!(shared.gate.any_of.iter().collect::<Vec<_>>(), ["flags", "segments"]);
    assert_eq!(operation(&generated, "getFlag").error_enum, "NotFoundError");
    assert_eq!(operation(&generated, "getFlag").error_name, "GetFlagError");
    // An enum only one operation has keeps that operation's name.
    assert_eq!(operation(&generated, "createFlag").error_enum, "CreateFlagError");
    let errors = &generated.module_source("errors");
    assert!(errors.contains("pub type GetFlagError = NotFoundError;"), "{errors}");
    assert!(!errors.contains("pub type CreateFlagError"), "{errors}");
    let types = &generated.module_source("types");
    assert!(
        types.contains("#[cfg(any(feature = \"flags\", feature = \"segments\"))]"),
        "{types}"
    );
    assert!(
        types.contains("#[cfg_attr(feature = \"full-serde\", derive(::serde::Serialize))]"),
        "{types}"
    );
}
