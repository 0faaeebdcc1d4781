//! `cargo xtask codegen` refuses an `--out` at or above the workspace root or
//! the spec's folder before generating anything, and regenerating into a
//! folder of earlier output keeps the user's files there.

use std::path::{Path, PathBuf};

use xtask::{CodegenArgs, codegen, workspace_root};

fn args(out: &str) -> CodegenArgs {
    CodegenArgs {
        out: PathBuf::from(out),
        ..CodegenArgs::default()
    }
}

fn refusal(out: &str) -> String {
    match codegen(&workspace_root(), &args(out)) {
        Ok(summary) => panic!("--out {out} was accepted:\n{summary}"),
        Err(err) => format!("{err:#}"),
    }
}

#[test]
fn out_at_or_above_the_workspace_root_is_refused() {
    let root = workspace_root();
    for out in [".", "..", "generated/..", &root.display().to_string()] {
        let message = refusal(out);
        assert!(
            message.contains("is at or above the workspace root"),
            "{out}: {message}"
        );
        assert!(message.contains("Give --out a folder of its own"), "{out}: {message}");
    }
    assert!(root.join("Cargo.toml").is_file());
}

#[test]
fn out_at_the_specs_folder_is_refused() {
    let message = refusal("spec");
    assert!(message.contains("is at or above the spec's folder"), "{message}");
    assert!(message.contains(&Path::new("spec").display().to_string()), "{message}");
    assert!(workspace_root().join("spec/launchdarkly.yaml").is_file());
}

#[test]
fn regenerating_keeps_the_users_files_and_a_foreign_folder_is_refused() {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("out-folder");
    let _ = std::fs::remove_dir_all(&base);
    let out = base.join("client");
    let mut first = args(&out.display().to_string());
    first.selection.operation_ids.insert("patch-token".into());
    first.standalone = true;
    let summary = codegen(&workspace_root(), &first).unwrap_or_else(|err| panic!("{err:#}"));
    assert!(
        summary.contains("1 operations") && summary.contains("removed: 0"),
        "{summary}"
    );
    std::fs::write(out.join("README.md"), "mine\n").unwrap();
    std::fs::write(out.join("src/notes.md"), "mine too\n").unwrap();
    let again = codegen(&workspace_root(), &first).unwrap_or_else(|err| panic!("{err:#}"));
    assert!(again.contains("written: 0, removed: 0"), "{again}");
    assert_eq!(std::fs::read_to_string(out.join("README.md")).unwrap(), "mine\n");
    assert_eq!(std::fs::read_to_string(out.join("src/notes.md")).unwrap(), "mine too\n");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&base, out.join("up")).unwrap();
        let linked = codegen(&workspace_root(), &first).unwrap_or_else(|err| panic!("{err:#}"));
        let line = format!("symbolic link, left alone: {}", out.join("up").display());
        assert!(linked.lines().any(|l| l == line), "{linked}");
        std::fs::remove_file(out.join("up")).unwrap();
    }

    let foreign = base.join("foreign");
    std::fs::create_dir_all(foreign.join("notes")).unwrap();
    std::fs::write(foreign.join("README.md"), "mine\n").unwrap();
    std::fs::write(foreign.join("notes/a.md"), "a\n").unwrap();
    let message = refusal(&foreign.display().to_string());
    assert!(message.contains("README.md, notes/a.md"), "{message}");
    assert!(message.contains("nothing was written"), "{message}");
    assert!(!foreign.join("Cargo.toml").exists());
    std::fs::remove_dir_all(&base).unwrap();
}
