//! The same spec generates the same bytes: `cargo xtask
//! codegen` runs 10 times, in 10 separate processes (each with its own hash
//! seeds, thread timing and allocation addresses), into 10 folders under
//! `target/`, and every file of every run is compared byte for byte with the
//! first run's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 10;

fn workspace_root() -> PathBuf {
    xtask::workspace_root()
}

/// Every file under `dir`, by path relative to it.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    // Generated crates hold a handful of folders; the bound is generous.
    for _ in 0..1_000 {
        let Some(folder) = pending.pop() else {
            return out;
        };
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    panic!("more than 1000 folders under {}", dir.display());
}

/// Starts the 10 runs at once (the machine decides how they interleave),
/// waits for all of them within `budget`, and compares their output.
fn assert_deterministic(name: &str, spec: &Path, extra: &[&str], budget: Duration) {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("determinism").join(name);
    match std::fs::remove_dir_all(&base) {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => panic!("cannot clear {}: {error}", base.display()),
    }
    let started = Instant::now();
    let mut children: Vec<(PathBuf, Child)> = (0..RUNS)
        .map(|run| {
            let out = base.join(format!("run-{run}"));
            let child = Command::new(env!("CARGO_BIN_EXE_xtask"))
                .arg("codegen")
                .arg("--spec")
                .arg(spec)
                .arg("--out")
                .arg(&out)
                .args(extra)
                .current_dir(workspace_root())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            (out, child)
        })
        .collect();
    let deadline = started + budget;
    let mut outputs = Vec::new();
    for (out, child) in &mut children {
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                assert!(
                    status.success(),
                    "{name}: a run failed ({status}) for {}",
                    out.display()
                );
                break;
            }
            if Instant::now() > deadline {
                for (_, other) in &mut children {
                    let _ = other.kill();
                    let _ = other.wait();
                }
                panic!("{name}: the {RUNS} runs took more than {budget:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        outputs.push(files(out));
    }
    let elapsed = started.elapsed();

    let first = &outputs[0];
    assert!(first.len() >= 5, "{name}: only {:?}", first.keys().collect::<Vec<_>>());
    assert!(
        first.contains_key("Cargo.toml") && first.contains_key("src/lib.rs"),
        "{name}"
    );
    for (run, output) in outputs.iter().enumerate().skip(1) {
        assert_eq!(
            output.keys().collect::<Vec<_>>(),
            first.keys().collect::<Vec<_>>(),
            "{name}: run {run} wrote other files than run 0"
        );
        for (path, bytes) in output {
            assert!(
                bytes == &first[path],
                "{name}: {path} differs between run 0 and run {run} (see {})",
                base.display()
            );
        }
    }
    let bytes: usize = first.values().map(Vec::len).sum();
    eprintln!(
        "determinism ({name}): {RUNS} runs in separate processes, {} files ({bytes} bytes) each, \
         byte-identical; {:.1} s",
        first.len(),
        elapsed.as_secs_f64()
    );
}

#[test]
fn seed_spec_generates_identical_bytes_in_10_processes() {
    let spec = workspace_root().join("spec/launchdarkly.yaml");
    assert_deterministic(
        "seed",
        &spec,
        &["--crate-name", "launchdarkly-api"],
        Duration::from_secs(120),
    );
}

#[test]
fn full_spec_generates_identical_bytes_in_10_processes() {
    let spec = workspace_root().join("../shared/specs/launchdarkly-full-3.0.3.yaml");
    assert!(
        spec.is_file(),
        "{} is missing: this test needs the shared folder next to the checkout",
        spec.display()
    );
    assert_deterministic(
        "full",
        &spec,
        &["--crate-name", "launchdarkly-full", "--standalone"],
        Duration::from_secs(600),
    );
}
