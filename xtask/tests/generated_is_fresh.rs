//! `cargo test` fails when `generated/` is stale: this runs exactly what
//! `cargo xtask codegen --check` runs.

#[test]
fn generated_client_matches_the_spec() {
    let args = xtask::CodegenArgs {
        check: true,
        ..xtask::CodegenArgs::default()
    };
    match xtask::codegen(&xtask::workspace_root(), &args) {
        Ok(summary) => assert!(summary.contains("up to date"), "{summary}"),
        Err(err) => panic!("{err:#}"),
    }
}
