//! The keyword-coverage audit on two fixtures that use every object and field
//! of OpenAPI 3.0.3 and 3.1.0: every use is either honoured, informational,
//! left to the server, decided by the lowering, or listed in the generated
//! API's inexact list with its JSON pointer (or that of a listed construct
//! containing it). Also checks that the "Keyword coverage" section of
//! ARCHITECTURE.md is the audit table.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use apigen::audit::{self, Class, Version};
use apigen::ir::Inexact;
use apigen::{Config, EmitOptions, GenerateOptions, Generated, Selection};

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.yaml"))
}

fn generate(name: &str) -> Generated {
    let spec = fixture_path(name);
    let options = GenerateOptions {
        spec: spec.clone(),
        config: Config::default(),
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

fn document(name: &str) -> serde_json::Value {
    let path = fixture_path(name);
    let text = std::fs::read_to_string(&path).unwrap();
    apigen::load::parse_value(&path, &text).unwrap()
}

/// Whether `pointer`, or a construct containing it, is in the inexact list.
fn listed(listed: &BTreeSet<&str>, pointer: &str) -> bool {
    let mut at = pointer;
    loop {
        if listed.contains(at) {
            return true;
        }
        match at.rfind('/') {
            Some(end) => at = &at[..end],
            None => return false,
        }
    }
}

/// Checks every use in the fixture and that the fixture uses every field the
/// specification of `version` defines; returns the generated API.
fn check_fixture(name: &str, version: Version) -> Generated {
    let generated = generate(name);
    let document = document(name);
    assert_eq!(Version::of(&document), version);
    let inexact: BTreeSet<&str> = generated.api.inexact.iter().map(|i| i.pointer.as_str()).collect();
    let visits = audit::visits(&document);

    let mut silent = Vec::new();
    for visit in &visits {
        match &visit.class {
            Class::Honoured | Class::Informational | Class::ServerSide | Class::Lowering => {}
            Class::NotHonoured(_) | Class::Unknown(_) => {
                if !listed(&inexact, &visit.pointer) {
                    silent.push(visit.pointer.clone());
                }
            }
        }
    }
    assert_eq!(silent, Vec::<String>::new(), "not honoured yet not listed");

    let used: BTreeSet<(&str, &str)> = visits.iter().map(|v| (v.object.name(), v.field.as_str())).collect();
    let mut unused = Vec::new();
    for spec in audit::objects() {
        let fields = spec.fields.iter().chain(spec.patterned.as_ref().map(|p| &p.field));
        for field in fields.filter(|f| f.since.defined_in(version)) {
            if !used.contains(&(spec.object.name(), field.name)) {
                unused.push(format!("{}.{}", spec.object.name(), field.name));
            }
        }
    }
    assert_eq!(
        unused,
        Vec::<String>::new(),
        "fields of the specification the fixture does not use"
    );
    generated
}

fn inexact_list(generated: &Generated) -> String {
    generated
        .api
        .inexact
        .iter()
        .map(|i| format!("{}: {}\n", i.pointer, i.message))
        .collect()
}

#[test]
fn every_field_30() {
    let generated = check_fixture("every_field_30", Version::V30);
    let pointers: Vec<&str> = generated.api.inexact.iter().map(|i| i.pointer.as_str()).collect();
    // A key the specification does not define is listed, an extension is not.
    assert!(pointers.contains(&"#/components/schemas/Pet/unknownKeyword"));
    assert!(!pointers.iter().any(|p| p.contains("x-audience")));
    // Validation keywords are left to the server and not listed.
    assert!(
        !pointers
            .iter()
            .any(|p| p.ends_with("/pattern") || p.ends_with("/maximum"))
    );
    insta::assert_snapshot!("every_field_30__inexact", inexact_list(&generated));
}

#[test]
fn every_field_31() {
    let generated = check_fixture("every_field_31", Version::V31);
    let pointers: Vec<&str> = generated.api.inexact.iter().map(|i| i.pointer.as_str()).collect();
    // Webhooks are listed where the document wrote them, not where the
    // normalisation moved them.
    assert!(pointers.contains(&"#/webhooks"));
    assert!(!pointers.iter().any(|p| p.contains("x-webhooks")));
    insta::assert_snapshot!("every_field_31__inexact", inexact_list(&generated));
}

#[test]
fn findings_outside_the_selection_are_left_out() {
    let spec = fixture_path("every_field_30");
    let options = GenerateOptions {
        spec: spec.clone(),
        config: Config::default(),
        selection: Selection {
            tags: BTreeSet::new(),
            operation_ids: ["deletePet".to_owned()].into(),
        },
        emit: EmitOptions {
            crate_name: "subset-api".into(),
            crate_version: "0.1.0".into(),
            runtime: "../../crates/apigen-runtime".into(),
            spec_display: "every_field_30.yaml".into(),
            command: "cargo xtask codegen".into(),
            standalone: false,
        },
        overlays: Vec::new(),
    };
    let generated = apigen::generate(&options).unwrap();
    let pointers: Vec<&str> = generated.api.inexact.iter().map(|i| i.pointer.as_str()).collect();
    // The path item's own `servers` apply to the kept operation; the other
    // operations and the unused schemas are not generated.
    assert!(pointers.contains(&"#/paths/~1pets~1{petId}/servers"));
    assert!(!pointers.iter().any(|p| p.starts_with("#/paths/~1pets~1{petId}/get")));
    assert!(!pointers.iter().any(|p| p.starts_with("#/components/schemas/")));
    // Server variables are honoured (typed values with the document's defaults).
    assert!(!pointers.iter().any(|p| p.starts_with("#/servers")));
}

#[test]
fn a_construct_is_listed_once() {
    let mut api = generate("every_field_30").api;
    let before = api.inexact.clone();
    let part_headers = "#/paths/~1pets~1{petId}/post/requestBody/content/multipart~1form-data/encoding/photo/headers";
    assert!(
        before.iter().any(|i| i.pointer == part_headers),
        "the lowering lists the per-part headers"
    );
    let findings = vec![
        // The lowering's own words win at a pointer it already reported.
        Inexact {
            pointer: part_headers.into(),
            message: "the same thing in other words".into(),
        },
        // An operation the document does not have is not generated.
        Inexact {
            pointer: "#/paths/~1elsewhere/get/servers".into(),
            message: "servers declared here are ignored".into(),
        },
    ];
    apigen::lower::join_audit(&mut api, findings);
    assert_eq!(api.inexact, before);
}

const START: &str = "<!-- keyword coverage: start -->\n";
const END: &str = "<!-- keyword coverage: end -->";

/// ARCHITECTURE.md shows the audit table. `APIGEN_BLESS=1` rewrites it.
#[test]
fn architecture_lists_the_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ARCHITECTURE.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let (Some(start), Some(end)) = (text.find(START), text.find(END)) else {
        panic!("ARCHITECTURE.md has no `{START}` … `{END}` section");
    };
    let current = &text[start + START.len()..end];
    let table = audit::markdown();
    if current != table {
        if std::env::var_os("APIGEN_BLESS").is_some() {
            let updated = format!("{}{START}{table}{}", &text[..start], &text[end..]);
            std::fs::write(&path, updated).unwrap();
        } else {
            panic!(
                "ARCHITECTURE.md's keyword coverage table is stale; run `APIGEN_BLESS=1 cargo test -p apigen --test coverage`"
            );
        }
    }
}

/// Prints the audit's own findings (before they are joined with the
/// lowering's) for the document named by `AUDIT_SPEC`, counted by message:
/// `AUDIT_SPEC=path cargo test -p apigen --test coverage -- --ignored --nocapture`.
#[test]
#[ignore = "a report on a document of your choice"]
fn audit_report() {
    let Some(path) = std::env::var_os("AUDIT_SPEC").map(PathBuf::from) else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    let document = apigen::load::parse_value(&path, &text).unwrap_or_else(|err| panic!("{err}"));
    let found = audit::audit(&document);
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for finding in &found {
        *counts.entry(finding.message.as_str()).or_default() += 1;
    }
    println!("{}: {} findings", path.display(), found.len());
    for (message, count) in counts {
        println!("{count:6}  {message}");
    }
}
