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
    insta::assert_snapshot!(format!("{name}__types"), generated.files["src/types.rs"]);
    insta::assert_snapshot!(format!("{name}__operations"), generated.files["src/operations.rs"]);
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
    let g = fixture("json_patch");
    insta::assert_yaml_snapshot!("json_patch__ir", g.api);
    insta::assert_snapshot!("json_patch__operations", g.files["src/operations.rs"]);
    insta::assert_snapshot!("json_patch__paths", g.files["src/paths.rs"]);
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
        .filter(|t| t.patch_paths)
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(marked, ["Flag", "Variation"]);
    assert!(
        !g.files["src/paths.rs"].contains("fn archived"),
        "readOnly fields have no path"
    );
    assert!(
        !g.files["src/paths.rs"].contains("fn version"),
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
    assert_eq!(
        scheme.variants,
        [
            ("Https".to_owned(), "https".to_owned()),
            ("Http".to_owned(), "http".to_owned())
        ]
    );
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
