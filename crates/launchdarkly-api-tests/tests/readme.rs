//! The README's example is `examples/change_role.rs`, which CI compiles; this
//! test keeps the two from drifting apart.

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
