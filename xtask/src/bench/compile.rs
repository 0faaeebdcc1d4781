//! Compile cost of generated code: `cargo check` and `cargo build` of the
//! generated full-API crate and of a three-operation subset, with their
//! dependencies already built, non-incremental.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};

use super::generator::FULL_SPEC;
use super::{BenchArgs, Section, cargo, checked_output, median, target_dir, verdict};

const TARGET_CHECK_S: f64 = 8.0;
const TARGET_BUILD_S: f64 = 15.0;

/// The three operations of the subset crate.
const SUBSET: [&str; 3] = ["getToken", "getTokens", "patchToken"];

struct Crate {
    name: &'static str,
    dir: PathBuf,
    lines: usize,
    files: usize,
}

/// Generates both crates, builds their dependencies once, then times
/// `cargo clean -p <crate>` + `cargo check` and + `cargo build`, alternating.
pub(super) fn run(root: &Path, args: &BenchArgs) -> Result<Section> {
    let bench = target_dir(root).join("bench");
    let target = bench.join("compile-target");
    let mut crates = Vec::new();
    for (name, extra) in [
        ("launchdarkly-full", Vec::new()),
        (
            "launchdarkly-subset",
            SUBSET.iter().flat_map(|id| ["--operation", id]).collect::<Vec<_>>(),
        ),
    ] {
        let dir = bench.join(name);
        println!("compile: generating {name}");
        let mut command = cargo();
        command
            .current_dir(root)
            .args(["run", "--release", "--quiet", "-p", "xtask", "--", "codegen"]);
        command.args(["--spec", FULL_SPEC, "--crate-name", name, "--standalone", "--out"]);
        command.arg(&dir).args(&extra);
        checked_output(&mut command, &format!("cargo xtask codegen for {name}"))?;
        // The workspace lock file pins the same dependency versions.
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
            .with_context(|| format!("copying Cargo.lock into {}", dir.display()))?;
        let (files, lines) = count_lines(&dir.join("src"))?;
        crates.push(Crate {
            name,
            dir,
            lines,
            files,
        });
    }

    let cargo_in = |dir: &Path, verb: &str| super::cargo_in(dir, &target, &[verb, "--quiet"]);
    for krate in &crates {
        for verb in ["check", "build"] {
            println!("compile: building the dependencies of {} ({verb})", krate.name);
            checked_output(
                &mut cargo_in(&krate.dir, verb),
                &format!("cargo {verb} of {}", krate.name),
            )?;
        }
    }

    // times[crate][0 = check, 1 = build]
    let mut times = vec![[Vec::new(), Vec::new()]; crates.len()];
    for round in 0..args.compile_runs {
        for (c, krate) in crates.iter().enumerate() {
            for (v, verb) in ["check", "build"].into_iter().enumerate() {
                let mut clean = cargo_in(&krate.dir, "clean");
                clean.args(["-p", krate.name]);
                checked_output(&mut clean, &format!("cargo clean -p {}", krate.name))?;
                let start = Instant::now();
                checked_output(
                    &mut cargo_in(&krate.dir, verb),
                    &format!("cargo {verb} of {}", krate.name),
                )?;
                let secs = start.elapsed().as_secs_f64();
                println!("compile: {} cargo {verb} run {}: {secs:.2} s", krate.name, round + 1);
                times[c][v].push(secs);
            }
        }
    }

    let mut md = format!(
        "Generated with `cargo xtask codegen --spec {FULL_SPEC} --crate-name NAME --standalone` \
         (the subset adds `--operation {}`), with the workspace `Cargo.lock`. \
         Dependencies are built once; each timed run is `cargo clean -p NAME` and then `cargo check` \
         or `cargo build` (dev profile) with `CARGO_INCREMENTAL=0` in `target/bench/compile-target`, \
         so only the generated crate compiles. Medians of {} runs; cargo's own start-up is included.\n\n",
        SUBSET.join(" --operation "),
        args.compile_runs
    );
    md.push_str("| crate | .rs files | lines | `cargo check` | `cargo build` |\n|---|---|---|---|---|\n");
    for (krate, [check, build]) in crates.iter().zip(&times) {
        md.push_str(&format!(
            "| {} | {} | {} | **{:.1} s** | **{:.1} s** |\n",
            krate.name,
            krate.files,
            krate.lines,
            median(check),
            median(build)
        ));
    }
    if let Some([check, build]) = times.first() {
        let (check, build) = (median(check), median(build));
        md.push_str(&format!(
            "\nTargets (full crate): check ≤ {TARGET_CHECK_S:.0} s: {} ({check:.1} s); build ≤ {TARGET_BUILD_S:.0} s: {} ({build:.1} s).\n",
            verdict(check, TARGET_CHECK_S),
            verdict(build, TARGET_BUILD_S),
        ));
    }
    Ok(Section {
        name: "compile",
        markdown: md,
    })
}

/// The number of `.rs` files under `dir` and their lines.
pub(super) fn count_lines(dir: &Path) -> Result<(usize, usize)> {
    let mut files = 0;
    let mut lines = 0;
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            let (f, l) = count_lines(&path)?;
            files += f;
            lines += l;
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files += 1;
            lines += std::fs::read_to_string(&path)?.lines().count();
        }
    }
    Ok((files, lines))
}
