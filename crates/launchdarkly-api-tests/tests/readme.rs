//! The README's examples are `examples/change_role.rs` and
//! `examples/drifted_token.rs`, which CI compiles; `spec/examples/typed_mocks.rs`,
//! which the checked-in crate carries and CI runs; and
//! `full-examples/list_flags.rs`, which CI builds in the full LaunchDarkly
//! client. These tests keep the README and the files from drifting apart.

#[test]
fn readme_shows_the_compiled_example() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("../../README.md")).unwrap();
    let example = std::fs::read_to_string(root.join("examples/change_role.rs")).unwrap();
    assert!(
        readme.contains(&example),
        "README.md must contain examples/change_role.rs verbatim"
    );
}

#[test]
fn readme_shows_the_compiled_salvage_example() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("../../README.md")).unwrap();
    let example = std::fs::read_to_string(root.join("examples/drifted_token.rs")).unwrap();
    assert!(
        readme.contains(&example),
        "README.md must contain examples/drifted_token.rs verbatim"
    );
}

/// A file the generator copies into a crate, as the README shows it: with
/// the crate's placeholder name replaced by `launchdarkly_api`.
fn as_in_readme(path: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join(path))
        .unwrap()
        .replace("generated_crate::", "launchdarkly_api::")
}

#[test]
fn readme_shows_the_compiled_pagination_and_mock_examples() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("../../README.md")).unwrap();
    for path in ["full-examples/list_flags.rs", "../../spec/examples/typed_mocks.rs"] {
        assert!(
            readme.contains(&as_in_readme(path)),
            "README.md must contain {path} verbatim (with `generated_crate` as `launchdarkly_api`)"
        );
    }
    assert!(readme.contains(".items()"));
}
