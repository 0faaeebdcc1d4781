//! `cargo xtask bench`: the generator, runtime and compile-time benchmarks,
//! side by side, written to `BENCHMARKS.md`.
//!
//! 1. generator: the release `xtask` binary regenerates the seed and the
//!    full spec, each run in a fresh child process (wall time from outside,
//!    phases and peak memory from inside);
//! 2. compile: `cargo check` and `cargo build` of the generated full-API
//!    crate and of a three-operation subset, dependencies built beforehand;
//! 3. request and 4. serde: the `apigen-benches` benches (`cargo bench`),
//!    which compare the generated client and types with hand-written code
//!    in one process;
//! 5. peers (only with `--peers` or `--only peers`, since it downloads
//!    openapi-generator from PyPI): generation and compile time side by side
//!    with openapi-generator's `rust` generator, alternating, as ratios.
//!
//! Every section of `BENCHMARKS.md` between `<!-- bench:NAME -->` and
//! `<!-- /bench:NAME -->` is rewritten by the run that measured it; the
//! prose around the markers is kept.

mod compile;
mod generator;
mod machine;
mod markdown;
mod peers;
mod runtime;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// The usage text of `cargo xtask bench`.
pub(crate) const USAGE: &str = "\
usage: cargo xtask bench [--only SECTIONS] [--peers] [--runs N] [--compile-runs N] [--quick] [--no-write]

  --only          comma-separated subset of generator,compile,request,serde,peers
                  (default: all but peers)
  --peers         also run the peers section: side by side with openapi-generator,
                  which it installs from PyPI into target/bench/peers/venv and runs
                  on the machine's Java (skipped, with the reason, when either fails);
                  it downloads, so it never runs by default
  --runs          generator runs per spec (default 10; peers: default 5)
  --compile-runs  timed check and build runs per crate (default 3)
  --quick         fewer iterations everywhere (a smoke test; figures are rough)
  --no-write      print the results but leave BENCHMARKS.md alone";

/// The benchmark sections, in report order.
pub(crate) const SECTIONS: [&str; 5] = ["generator", "compile", "request", "serde", "peers"];

/// Sections that only run when asked for by name or flag, because they
/// download tools from outside the workspace.
const ON_REQUEST: [&str; 1] = ["peers"];

/// Options of `cargo xtask bench`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BenchArgs {
    /// Which sections to run.
    pub only: Vec<String>,
    /// Generator runs per spec.
    pub runs: usize,
    /// Generation runs per generator in the peers section.
    pub peer_runs: usize,
    /// Timed compile runs per crate and command.
    pub compile_runs: usize,
    /// Shorter runs.
    pub quick: bool,
    /// Do not touch BENCHMARKS.md.
    pub no_write: bool,
}

impl Default for BenchArgs {
    fn default() -> Self {
        Self {
            only: SECTIONS
                .iter()
                .filter(|s| !ON_REQUEST.contains(s))
                .map(|s| (*s).to_owned())
                .collect(),
            runs: 10,
            peer_runs: 5,
            compile_runs: 3,
            quick: false,
            no_write: false,
        }
    }
}

impl BenchArgs {
    /// Parses the arguments after `bench`.
    pub(crate) fn parse(args: &[String]) -> Result<Self> {
        let mut parsed = Self::default();
        let mut peers = false;
        let mut args = xtask::Args::new(args, USAGE);
        while let Some(arg) = args.next() {
            match arg {
                "--only" => {
                    let list = args.value("--only")?;
                    let mut only = Vec::new();
                    for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                        if !SECTIONS.contains(&name) {
                            bail!("unknown section `{name}` (known: {})\n{USAGE}", SECTIONS.join(", "));
                        }
                        only.push(name.to_owned());
                    }
                    parsed.only = only;
                }
                "--peers" => peers = true,
                "--runs" => {
                    parsed.runs = count("--runs", &args.value("--runs")?)?;
                    parsed.peer_runs = parsed.runs;
                }
                "--compile-runs" => parsed.compile_runs = count("--compile-runs", &args.value("--compile-runs")?)?,
                "--quick" => parsed.quick = true,
                "--no-write" => parsed.no_write = true,
                other => bail!("unknown argument `{other}`\n{USAGE}"),
            }
        }
        if peers && !parsed.runs_section("peers") {
            parsed.only.push("peers".to_owned());
        }
        if parsed.quick {
            parsed.runs = parsed.runs.min(3);
            parsed.peer_runs = parsed.peer_runs.min(2);
            parsed.compile_runs = 1;
        }
        Ok(parsed)
    }

    fn runs_section(&self, name: &str) -> bool {
        self.only.iter().any(|s| s == name)
    }
}

fn count(name: &str, text: &str) -> Result<usize> {
    match text.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => bail!("{name} needs a positive whole number, not `{text}`"),
    }
}

/// The result of one section: its name and Markdown.
pub(crate) struct Section {
    /// Section name (a marker in BENCHMARKS.md).
    pub name: &'static str,
    /// The Markdown written between the markers.
    pub markdown: String,
}

/// Runs `cargo xtask bench` from the workspace `root`, printing as it goes.
pub(crate) fn run(root: &Path, command_line: &str, args: &BenchArgs) -> Result<()> {
    let machine = machine::Machine::probe(root);
    let header = machine.describe(command_line);
    println!("{header}");

    let mut sections = Vec::new();
    if args.runs_section("generator") {
        sections.push(generator::run(root, args)?);
    }
    if args.runs_section("compile") {
        sections.push(compile::run(root, args)?);
    }
    if args.runs_section("request") || args.runs_section("serde") {
        sections.extend(runtime::run(root, args)?);
    }
    if args.runs_section("peers") {
        sections.push(peers::run(root, args)?);
    }

    for section in &mut sections {
        section.markdown = format!("{header}\n{}", section.markdown);
        println!("\n{}", section.markdown);
    }
    if args.no_write {
        println!("(--no-write: BENCHMARKS.md left unchanged)");
        return Ok(());
    }
    let path = root.join("BENCHMARKS.md");
    let current = std::fs::read_to_string(&path).unwrap_or_else(|_| markdown::SKELETON.to_owned());
    let mut updated = current;
    for section in &sections {
        updated = markdown::replace_section(&updated, section.name, &section.markdown);
    }
    std::fs::write(&path, updated).with_context(|| format!("writing {}", path.display()))?;
    println!("updated {}", path.display());
    Ok(())
}

/// The hidden `bench-child` command: one generator run, as `cargo xtask
/// codegen` does it, reporting its phases and peak memory on one line.
pub(crate) fn child(root: &Path, args: &[String]) -> Result<()> {
    generator::child(root, args)
}

/// The target folder cargo uses for this workspace.
fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// Builds the release `xtask` binary (the code path of `cargo xtask codegen`)
/// for `section`, and returns its path.
fn release_xtask(root: &Path, section: &str) -> Result<PathBuf> {
    println!("{section}: building the release xtask binary");
    checked_output(
        cargo()
            .current_dir(root)
            .args(["build", "--release", "--quiet", "-p", "xtask"]),
        "cargo build --release -p xtask",
    )?;
    Ok(target_dir(root).join("release").join("xtask"))
}

/// `cargo`, as the one running this command.
fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// `cargo ARGS` in the crate folder `dir`, with its own target folder and
/// without incremental compilation, as the compile timings run it: only the
/// crate itself compiles, and each run compiles all of it.
fn cargo_in(dir: &Path, target: &Path, args: &[&str]) -> Command {
    let mut command = cargo();
    command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .args(args);
    command
}

/// Runs `command`, failing with its output when it fails; returns stdout.
fn checked_output(command: &mut Command, what: &str) -> Result<String> {
    let output = command.output().with_context(|| format!("starting {what}"))?;
    if !output.status.success() {
        bail!(
            "{what} failed ({}):\n{}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The median of `values` (the mean of the middle two for an even count).
fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 0 {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

/// "met" or "**missed**" for a figure against an upper bound.
fn verdict(value: f64, limit: f64) -> &'static str {
    if value <= limit { "met" } else { "**missed**" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sections_and_counts() {
        let args: Vec<String> = ["--only", "generator,serde", "--runs", "4"].map(String::from).into();
        let parsed = BenchArgs::parse(&args).unwrap();
        assert_eq!(parsed.only, ["generator", "serde"]);
        assert_eq!(parsed.runs, 4);
        assert!(parsed.runs_section("serde") && !parsed.runs_section("compile"));
        assert!(BenchArgs::parse(&["--only".into(), "speed".into()]).is_err());
        assert!(BenchArgs::parse(&["--runs".into(), "0".into()]).is_err());
        let quick = BenchArgs::parse(&["--quick".into()]).unwrap();
        assert_eq!((quick.runs, quick.peer_runs, quick.compile_runs), (3, 2, 1));
    }

    #[test]
    fn peers_run_only_when_asked_for() {
        let plain = BenchArgs::parse(&[]).unwrap();
        assert_eq!(plain.only, ["generator", "compile", "request", "serde"]);
        assert_eq!(plain.peer_runs, 5);
        let flag = BenchArgs::parse(&["--peers".into()]).unwrap();
        assert_eq!(flag.only, SECTIONS);
        let args: Vec<String> = ["--peers", "--only", "peers", "--runs", "2"].map(String::from).into();
        let only = BenchArgs::parse(&args).unwrap();
        assert_eq!(only.only, ["peers"]);
        assert_eq!((only.runs, only.peer_runs), (2, 2));
        let args: Vec<String> = ["--only", "generator", "--peers"].map(String::from).into();
        assert_eq!(BenchArgs::parse(&args).unwrap().only, ["generator", "peers"]);
    }

    #[test]
    fn median_and_verdict() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
        assert_eq!(verdict(1.0, 1.05), "met");
        assert_eq!(verdict(1.2, 1.05), "**missed**");
    }
}
