//! Constructs of the full LaunchDarkly API (and of OpenAPI around them),
//! each in a small fixture: unions with discriminators, properties next to a
//! `oneOf` and trial order; several request media types, multipart uploads,
//! text and binary bodies, beta and deprecated operations, parameters of
//! every kind. The IR and the emitted files are snapshotted; the assertions
//! pin the decisions that matter. CI also compiles both fixtures and runs
//! their example round-trip tests (`.ci/run`).

use std::path::Path;

use apigen::config::VersionHeaderConfig;
use apigen::ir::{BodyEncoding, FormPart, Operation, Primitive, TypeDef, TypeKind, TypeRef};
use apigen::{Config, EmitOptions, GenerateOptions, Generated, Selection};

fn generate(name: &str, config: Config) -> Generated {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.yaml"));
    let options = GenerateOptions {
        spec: spec.clone(),
        config,
        selection: Selection::default(),
        emit: EmitOptions {
            crate_name: format!("{name}-api"),
            crate_version: "0.1.0".into(),
            runtime: "../../crates/apigen-runtime".into(),
            spec_display: format!("{name}.yaml"),
            command: "cargo xtask codegen".into(),
            standalone: false,
        },
        overlays: Vec::new(),
    };
    apigen::generate(&options).unwrap_or_else(|err| panic!("{}: {err}", spec.display()))
}

/// The LaunchDarkly conventions that matter here: the version header and beta tags.
fn launchdarkly_config() -> Config {
    Config {
        version_header: Some(VersionHeaderConfig {
            header: "LD-API-Version".into(),
            default: "20240415".into(),
            beta: Some("beta".into()),
        }),
        beta_tag_suffix: Some("(beta)".into()),
        ..Config::default()
    }
}

fn def<'a>(g: &'a Generated, name: &str) -> &'a TypeDef {
    g.api
        .types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}"))
}

fn op<'a>(g: &'a Generated, id: &str) -> &'a Operation {
    g.api
        .operations
        .iter()
        .find(|op| op.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

fn variant_names(def: &TypeDef) -> Vec<&str> {
    let TypeKind::Union { variants, .. } = &def.kind else {
        panic!("{} is not a union", def.name)
    };
    variants.iter().map(|v| v.rust_name.as_str()).collect()
}

#[test]
fn unions() {
    let g = generate("unions", Config::default());
    insta::assert_yaml_snapshot!("unions__ir", g.api);
    insta::assert_snapshot!("unions__types", g.module_source("types"));

    // A discriminator picks the variant: mapped values, else the schema name.
    let TypeKind::Union {
        variants,
        discriminator,
    } = &def(&g, "Pet").kind
    else {
        panic!("Pet is not a union")
    };
    assert_eq!(discriminator.as_deref(), Some("petType"));
    let tags: Vec<(&str, Vec<String>)> = variants
        .iter()
        .map(|v| (v.rust_name.as_str(), v.tags.iter().map(ToString::to_string).collect()))
        .collect();
    assert_eq!(tags, [("Cat", vec!["Cat".to_owned()]), ("Dog", vec!["dog".to_owned()])]);
    assert!(
        g.module_source("types")
            .contains("Some(::apigen_runtime::UnionTag::Text(\"dog\")) =>")
    );

    // Properties next to a `oneOf` are fields; the branch is flattened beside them.
    let TypeKind::Struct { fields, .. } = &def(&g, "Owner").kind else {
        panic!("Owner is not a struct")
    };
    let shape: Vec<(&str, bool, &TypeRef)> = fields
        .iter()
        .map(|f| (f.rust_name.as_str(), f.flatten, &f.ty))
        .collect();
    assert_eq!(
        shape,
        [
            ("kind", false, &TypeRef::Primitive(Primitive::String)),
            ("variant", true, &TypeRef::Named("OwnerVariant".into()))
        ]
    );
    assert_eq!(variant_names(def(&g, "OwnerVariant")), ["Person", "Team"]);

    // More specific variants are tried first; document order otherwise.
    assert_eq!(
        variant_names(def(&g, "Loose")),
        ["Integer", "Number", "Specific", "General", "String"]
    );
    let ambiguous: Vec<&str> = g
        .api
        .inexact
        .iter()
        .filter(|i| i.pointer == "#/components/schemas/Ambiguous")
        .map(|i| i.message.as_str())
        .collect();
    assert_eq!(ambiguous.len(), 1, "{:?}", g.api.inexact);
    assert!(
        ambiguous[0].contains("`AmbiguousVariant2` never decodes"),
        "{}",
        ambiguous[0]
    );
    assert_eq!(g.api.inexact.len(), 1, "{:?}", g.api.inexact);

    // A `$ref` to a nullable schema is a nullable field; deprecation is kept.
    let TypeKind::Struct { fields, .. } = &def(&g, "Person").kind else {
        panic!()
    };
    assert!(fields.iter().any(|f| f.wire_name == "age" && f.nullable));
    let TypeKind::Struct { fields, .. } = &def(&g, "Dog").kind else {
        panic!()
    };
    assert!(fields.iter().any(|f| f.wire_name == "bark" && f.deprecated));
    assert!(g.module_source("types").contains("#[deprecated]"));

    // Every example is found, with the type of its place; the one that
    // contradicts its schema says where and how, checked against the spec.
    let pointers: Vec<&str> = g.api.examples.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(pointers.len(), 10, "{pointers:?}");
    assert!(pointers.contains(&"#/paths/~1pets/post/requestBody/content/application~1json/examples/dog/value"));
    let contradictions: Vec<(&str, &str)> = g
        .api
        .examples
        .iter()
        .filter_map(|e| Some((e.pointer.as_str(), e.contradiction.as_deref()?)))
        .collect();
    assert_eq!(
        contradictions,
        [(
            "#/components/schemas/Team/example",
            "the example lacks the required property `key`"
        )]
    );
}

#[test]
fn bodies() {
    let g = generate("bodies", launchdarkly_config());
    insta::assert_yaml_snapshot!("bodies__ir", g.api);
    insta::assert_snapshot!("bodies__operations", g.module_source("operations"));
    insta::assert_snapshot!("bodies__types", g.module_source("types"));

    // Each extra request media type gets a setter; the main body becomes a setter too.
    let body = op(&g, "patch-flag").body.as_ref().expect("a body");
    assert_eq!(body.media_type, "application/json");
    assert!(!body.argument, "with alternatives, no body is a required argument");
    let alternatives: Vec<(&str, &str, BodyEncoding)> = body
        .alternatives
        .iter()
        .map(|a| (a.setter.as_str(), a.media_type.as_str(), a.encoding))
        .collect();
    assert_eq!(
        alternatives,
        [
            (
                "semantic_patch",
                "application/json; domain-model=launchdarkly.semanticpatch",
                BodyEncoding::Json
            ),
            ("merge_patch", "application/merge-patch+json", BodyEncoding::Json),
        ]
    );
    assert_eq!(body.alternatives[0].ty, TypeRef::Named("SemanticPatch".into()));

    // A multipart upload is a form type with a part per field.
    let import = op(&g, "create-import");
    let body = import.body.as_ref().expect("a body");
    assert_eq!(body.encoding, BodyEncoding::Multipart);
    let TypeRef::Named(form) = &body.ty else {
        panic!("{:?}", body.ty)
    };
    let TypeKind::Form { fields } = &def(&g, form).kind else {
        panic!("{form} is not a form")
    };
    let parts: Vec<(&str, &FormPart, bool)> = fields
        .iter()
        .map(|f| (f.wire_name.as_str(), &f.part, f.required))
        .collect();
    assert_eq!(parts[0], ("file", &FormPart::File, true));
    assert_eq!(parts[1], ("extra", &FormPart::Files, false));
    assert!(matches!(parts[2], ("mode", FormPart::Text(TypeRef::Named(_)), false)));
    assert_eq!(
        parts[3],
        ("wait", &FormPart::Text(TypeRef::Primitive(Primitive::Bool)), false)
    );
    assert_eq!(
        parts[4],
        (
            "tags",
            &FormPart::TextList(TypeRef::Primitive(Primitive::String)),
            false
        )
    );
    assert_eq!(
        parts[5],
        ("meta", &FormPart::Json(TypeRef::Named("Flag".into())), false)
    );

    // Beta by tag and by a version-header parameter, which is not an argument.
    assert!(import.beta);
    let graphs = op(&g, "list-graphs");
    assert!(graphs.beta);
    assert!(graphs.params.is_empty(), "{:?}", graphs.params);
    assert!(!op(&g, "list-flags").beta);
    assert!(op(&g, "delete-flag").deprecated);
    assert_eq!(
        g.module_source("operations")
            .matches("RequestOptions::default().api_version(\"beta\")")
            .count(),
        2
    );

    // Text and binary bodies both ways; 200 with a body next to a 204.
    assert_eq!(graphs.successes[0].encoding, BodyEncoding::Text);
    assert_eq!(op(&g, "export").successes[0].encoding, BodyEncoding::Binary);
    assert_eq!(
        op(&g, "put-note").body.as_ref().map(|b| b.encoding),
        Some(BodyEncoding::Text)
    );
    let list = op(&g, "list-flags");
    assert!(matches!(&list.success_type, apigen::ir::SuccessType::PerStatus { .. }));
    let explode: Vec<(&str, Option<bool>)> = list
        .params
        .iter()
        .map(|p| match p.wire {
            apigen::ir::ParamWire::Styled(style) => (p.wire_name.as_str(), Some(style.explode)),
            apigen::ir::ParamWire::Display => (p.wire_name.as_str(), None),
        })
        .collect();
    assert!(explode.contains(&("tag", Some(true))) && explode.contains(&("expand", Some(false))));

    // The only thing not represented: the CSV alternative of a response.
    let inexact: Vec<&str> = g.api.inexact.iter().map(|i| i.pointer.as_str()).collect();
    assert_eq!(inexact, ["#/paths/~1flags/get/responses/200/content/text~1csv"]);

    // An optional nullable field may come back absent where the example has `null`.
    let flag = g
        .api
        .examples
        .iter()
        .find(|e| e.pointer == "#/components/schemas/Flag/example")
        .expect("the Flag example");
    assert_eq!(flag.null_may_vanish, ["/note"]);
}

#[test]
fn example_tests_embed_every_example() {
    let g = generate("unions", Config::default());
    let options = EmitOptions {
        crate_name: "unions-api".into(),
        crate_version: "0.1.0".into(),
        runtime: "r".into(),
        spec_display: "unions.yaml".into(),
        command: "cargo xtask codegen".into(),
        standalone: true,
    };
    let text = apigen::emit::example_tests(&g.api, &options).expect("the test file");
    assert!(text.starts_with("// @generated by `cargo xtask codegen` from unions.yaml."));
    assert!(text.contains("pub use unions_api::types::*;"));
    assert_eq!(text.matches("pointer: \"#/").count(), g.api.examples.len());
    assert!(text.contains("round_trip::<crate::types::Pet>"));
    assert!(text.contains("examples round-trip: {} of {}"));
}
