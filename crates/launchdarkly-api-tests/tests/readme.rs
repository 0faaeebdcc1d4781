//! The README's examples are `examples/change_role.rs` and
//! `examples/drifted_token.rs`, which CI compiles; these tests keep the
//! README and the files from drifting apart.

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
