//! `cargo xtask conformance`: proves a generated client on the wire.
//!
//! It generates the client and a harness crate (`apigen::emit::conformance_harness`)
//! under `target/conformance/<crate>/`, builds the harness, starts Prism on
//! 127.0.0.1 with the same spec (it validates every request and answers from
//! the response schemas), runs the harness against it, and stops Prism by its
//! process id, whatever happened.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use apigen::emit::RuntimeDependency;
use apigen::write::{Mode, sync};
use apigen::{Config, EmitOptions, GenerateOptions, Selection};

/// The usage text of `cargo xtask conformance`.
pub const USAGE: &str = "\
usage: cargo xtask conformance --spec FILE [--overlay FILE]... [--config FILE | --no-config]
                               [--crate-name NAME] [--tag TAG]... [--operation ID]... [--seed S]
                               [--runs N] [--verbose]

  --spec         the OpenAPI document (YAML or JSON, 3.0 or 3.1)
  --overlay      an OpenAPI Overlay 1.0 file that corrects the spec (repeatable; applied
                 in order, after the config's `overlays`); Prism serves the corrected
                 document too
  --config       API conventions, such as spec/codegen.toml for LaunchDarkly
                 (default: none)
  --crate-name   package name of the generated client (default: from the file name)
  --tag, --operation
                 only these operations (repeatable; default: all)
  --seed         seed of Prism's generated responses (default 1), so runs repeat
  --runs         run the harness N times (default 1), each against a Prism started with
                 the next seed, so more generated answers are tried; every run must pass
  --verbose      list the values the harness had to synthesise, per operation

  The client and the harness are written to target/conformance/<crate>/ and built
  in APIGEN_CONFORMANCE_TARGET_DIR (default target/conformance/target). Prism comes
  from node_modules/ (`npm ci` is run when it is missing).";

/// The environment variable that names the target folder the harness builds in.
pub const TARGET_DIR_VARIABLE: &str = "APIGEN_CONFORMANCE_TARGET_DIR";

/// How long Prism may take to load a document and answer.
const PRISM_START: Duration = Duration::from_secs(180);
/// How long the harness may run.
const HARNESS_RUN: Duration = Duration::from_secs(30 * 60);

/// Options of `cargo xtask conformance`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConformanceArgs {
    /// The spec.
    pub spec: PathBuf,
    /// The conventions file; `None` for none.
    pub config: Option<PathBuf>,
    /// OpenAPI Overlay files, relative to the workspace root unless absolute,
    /// applied in order after the configuration's `overlays`.
    pub overlays: Vec<PathBuf>,
    /// The client's package name.
    pub crate_name: Option<String>,
    /// Which operations.
    pub selection: Selection,
    /// Prism's seed for generated responses.
    pub seed: String,
    /// How many times to run the harness, each against a Prism with the
    /// next seed.
    pub runs: u32,
    /// List the synthesised values.
    pub verbose: bool,
}

impl ConformanceArgs {
    /// Parses the arguments after `conformance`.
    pub fn parse(args: &[String]) -> Result<Self> {
        let mut parsed = ConformanceArgs {
            seed: "1".into(),
            runs: 1,
            ..ConformanceArgs::default()
        };
        let mut spec = None;
        let mut args = crate::Args::new(args, USAGE);
        while let Some(arg) = args.next() {
            match arg {
                "--spec" => spec = Some(PathBuf::from(args.value(arg)?)),
                "--overlay" => parsed.overlays.push(args.value(arg)?.into()),
                "--config" => parsed.config = Some(args.value(arg)?.into()),
                "--no-config" => parsed.config = None,
                "--crate-name" => parsed.crate_name = Some(args.value(arg)?),
                "--seed" => parsed.seed = args.value(arg)?,
                "--runs" => {
                    let text = args.value(arg)?;
                    parsed.runs =
                        text.parse().ok().filter(|runs| *runs >= 1).with_context(|| {
                            format!("--runs takes a whole number of at least 1, not `{text}`\n{USAGE}")
                        })?;
                }
                "--verbose" => parsed.verbose = true,
                "--tag" => {
                    parsed.selection.tags.insert(args.value(arg)?);
                }
                "--operation" => {
                    parsed.selection.operation_ids.insert(args.value(arg)?);
                }
                other => bail!("unknown argument `{other}`\n{USAGE}"),
            }
        }
        parsed.spec = spec.with_context(|| format!("--spec is required\n{USAGE}"))?;
        Ok(parsed)
    }
}

/// The harness's last line, parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    /// The line as printed, such as `conformance: 348 of 348 operations passed, ...`.
    pub summary: String,
    /// Whether every operation and error status passed (skips aside).
    pub passed: bool,
    /// Operations that passed.
    pub operations_passed: u64,
    /// Operations checked, skipped ones included.
    pub operations: u64,
    /// Operations skipped because Prism could not answer them.
    pub skipped: u64,
}

impl Figures {
    /// Reads the counts from the summary line
    /// (`P of N operations passed, V violations, D decode failures, F other failures, S skipped`).
    fn read(summary: String, passed: bool) -> Self {
        let numbers: Vec<u64> = summary
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|part| part.parse().ok())
            .collect();
        let at = |index: usize| numbers.get(index).copied().unwrap_or_default();
        Figures {
            operations_passed: at(0),
            operations: at(1),
            skipped: at(5),
            summary,
            passed,
        }
    }
}

/// Runs the conformance check; returns the report (the harness's failure
/// lines and figures) and the figures.
pub fn run(root: &Path, args: &ConformanceArgs) -> Result<(String, Figures)> {
    let spec = root.join(&args.spec);
    if !spec.is_file() {
        bail!(
            "{}: no such file; --spec names the OpenAPI document to check",
            spec.display()
        );
    }
    let crate_name = match &args.crate_name {
        Some(name) => name.clone(),
        None => default_crate_name(&spec),
    };
    let config = match &args.config {
        Some(path) => Config::load(&root.join(path))?,
        None => Config::default(),
    };
    let folder = root.join("target/conformance").join(&crate_name);
    let client_dir = folder.join("client");
    let harness_dir = folder.join("harness");
    let runtime: RuntimeDependency = root
        .join("crates/apigen-runtime")
        .to_string_lossy()
        .replace('\\', "/")
        .into();
    let options = GenerateOptions {
        spec: spec.clone(),
        config,
        selection: args.selection.clone(),
        overlays: args.overlays.iter().map(|path| root.join(path)).collect(),
        emit: EmitOptions {
            crate_name: crate_name.clone(),
            crate_version: "0.1.0".into(),
            runtime,
            spec_display: spec.strip_prefix(root).unwrap_or(&spec).display().to_string(),
            command: "cargo xtask conformance".into(),
            standalone: true,
        },
    };
    let generated = apigen::generate(&options)?;
    let mut report = String::new();
    let api = &generated.api;
    sync(&client_dir, &generated.files, Mode::Write, "cargo xtask conformance")?;
    let support = root
        .join("crates/apigen-conformance")
        .to_string_lossy()
        .replace('\\', "/");
    let harness = apigen::emit::conformance_harness(api, &options.emit, "../client", &support)?;
    sync(&harness_dir, &harness, Mode::Write, "cargo xtask conformance")?;
    // The workspace's lock file pins the versions every other build here uses.
    std::fs::copy(root.join("Cargo.lock"), harness_dir.join("Cargo.lock"))?;

    let synthesising: Vec<_> = api
        .operations
        .iter()
        .filter(|op| !op.sample.synthesised.is_empty())
        .collect();
    let _ = writeln!(
        report,
        "values: {} of {} operations needed values synthesised from their schemas{}",
        synthesising.len(),
        api.operations.len(),
        if args.verbose || synthesising.is_empty() {
            ""
        } else {
            " (--verbose lists them)"
        }
    );
    if args.verbose {
        for op in synthesising {
            let _ = writeln!(report, "  {}: {}", op.id, op.sample.synthesised.join("; "));
        }
    }

    let target =
        std::env::var_os(TARGET_DIR_VARIABLE).map_or_else(|| root.join("target/conformance/target"), PathBuf::from);
    let binary = build_harness(&harness_dir, &target, &crate_name)?;
    let prism = prism_executable(root)?;
    let log = folder.join("prism.log");
    // Prism reads the document corrected by the same overlays and bundled
    // into one file, with the schemas its faker would mis-generate rewritten
    // into equivalent ones.
    let (document, rewritten) = apigen::load::document_for_mock_server(&spec, &options.overlays_in_order())?;
    let mock_spec = folder.join("prism-document.json");
    std::fs::write(&mock_spec, serde_json::to_vec(&document)?)?;
    if !rewritten.is_empty() {
        let _ = writeln!(
            report,
            "prism: reads {}, where {} {} without an `allOf` that a sibling `enum` makes redundant",
            mock_spec.display(),
            rewritten.len(),
            if rewritten.len() == 1 {
                "schema is written"
            } else {
                "schemas are written"
            }
        );
    }
    let runs = args.runs.max(1);
    let mut worst: Option<Figures> = None;
    let mut all_passed = true;
    for run in 0..runs {
        let seed = run_seed(&args.seed, run);
        if runs > 1 {
            let _ = writeln!(report, "run {} of {runs} (Prism seed {seed}):", run + 1);
        }
        // Each run keeps its own logs, so a failing run's survive the next.
        let (prism_log, harness_log) = if runs > 1 {
            (
                folder.join(format!("prism-{}.log", run + 1)),
                folder.join(format!("harness-{}.log", run + 1)),
            )
        } else {
            (log.clone(), folder.join("harness.log"))
        };
        let (lines, figures) = run_once(&prism, &mock_spec, &binary, &seed, &prism_log, &harness_log)?;
        report.push_str(&lines);
        all_passed &= figures.passed;
        if worst
            .as_ref()
            .is_none_or(|worst| figures.operations_passed < worst.operations_passed)
        {
            worst = Some(figures);
        }
    }
    let mut figures = worst.unwrap_or_default();
    figures.passed = all_passed;
    Ok((report, figures))
}

/// Prism's seed for run `run` (from 0): the given seed first, then the
/// next numbers (or the seed with `-1`, `-2`, ... when it is not a number),
/// so that each run sees other generated answers and every run repeats.
fn run_seed(seed: &str, run: u32) -> String {
    match (run, seed.parse::<u64>()) {
        (0, _) => seed.to_owned(),
        (_, Ok(number)) => number.saturating_add(u64::from(run)).to_string(),
        (_, Err(_)) => format!("{seed}-{run}"),
    }
}

/// Starts Prism with `seed`, runs the harness against it once and stops
/// Prism; returns the harness's listed lines and its figures.
fn run_once(
    prism: &Path,
    mock_spec: &Path,
    binary: &Path,
    seed: &str,
    log: &Path,
    harness_log: &Path,
) -> Result<(String, Figures)> {
    let mut report = String::new();
    let port = free_port()?;
    let mut server = Prism::start(prism, mock_spec, port, seed, log)?;
    server.wait_ready(log)?;
    let output = run_bounded(
        Command::new(binary).arg(format!("http://127.0.0.1:{port}")),
        harness_log,
        HARNESS_RUN,
    );
    let prism_died = server.child.try_wait()?.is_some();
    drop(server);
    let (status, text) = output?;
    if prism_died {
        let _ = writeln!(
            report,
            "Prism exited during the run (a crash of Prism, see {}); the operations after it fail to connect",
            log.display()
        );
    }
    for line in text.lines() {
        let listed = [
            "FAIL ",
            "SKIP ",
            "DEVIATION ",
            "STATIC ",
            "error statuses:",
            "static answers:",
        ];
        if listed.iter().any(|start| line.starts_with(start)) {
            let _ = writeln!(report, "{line}");
        }
    }
    let summary = text
        .lines()
        .rev()
        .find(|line| line.starts_with(apigen::emit::CONFORMANCE_SUMMARY_PREFIX))
        .map(str::to_owned);
    let Some(summary) = summary else {
        bail!(
            "the harness ended ({status}) without its summary line; see {}",
            harness_log.display()
        );
    };
    let _ = writeln!(report, "{summary}");
    Ok((report, Figures::read(summary, status.success())))
}

/// The client's package name when none is given: the file's name, or its
/// folder's for a multi-file document whose entry is `openapi.yaml`.
fn default_crate_name(spec: &Path) -> String {
    let stem = spec.file_stem().unwrap_or_default().to_string_lossy();
    let name = if stem.eq_ignore_ascii_case("openapi") {
        spec.parent()
            .and_then(Path::file_name)
            .map_or_else(|| stem.to_string(), |folder| folder.to_string_lossy().into_owned())
    } else {
        stem.into_owned()
    };
    let name = crate::corpus::package_name(&name);
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name
    } else {
        format!("api-{name}")
    }
}

/// Builds the harness and returns its executable.
fn build_harness(harness_dir: &Path, target: &Path, crate_name: &str) -> Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "--manifest-path"])
        .arg(harness_dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .status()
        .context("cannot run cargo build for the conformance harness")?;
    if !status.success() {
        bail!(
            "the conformance harness in {} does not build ({status}); the errors are above",
            harness_dir.display()
        );
    }
    let binary = target
        .join("debug")
        .join(format!("{crate_name}-conformance{}", std::env::consts::EXE_SUFFIX));
    if !binary.is_file() {
        bail!("the harness built, but {} is missing", binary.display());
    }
    Ok(binary)
}

/// The Prism executable, installed with `npm ci` when it is missing.
fn prism_executable(root: &Path) -> Result<PathBuf> {
    let prism = root.join("node_modules/.bin/prism");
    if prism.is_file() {
        return Ok(prism);
    }
    eprintln!("conformance: {} is missing; running `npm ci`", prism.display());
    let (status, _) = run_bounded(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(root),
        &root.join("target/conformance/npm-ci.log"),
        Duration::from_secs(600),
    )
    .context("cannot run `npm ci`; install Node.js 20 with npm")?;
    if !status.success() || !prism.is_file() {
        bail!(
            "`npm ci` did not install Prism ({status}); see target/conformance/npm-ci.log and run `npm ci` in {}",
            root.display()
        );
    }
    Ok(prism)
}

/// A port nobody listens on now.
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("cannot bind a port on 127.0.0.1")?;
    Ok(listener.local_addr()?.port())
}

/// Runs `command` with its output in `log`, for at most `budget`; returns
/// its status and output.
fn run_bounded(command: &mut Command, log: &Path, budget: Duration) -> Result<(ExitStatus, String)> {
    let out = File::create(log).with_context(|| format!("cannot create {}", log.display()))?;
    let mut child = command
        .stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(out)
        .spawn()
        .context("cannot start the command")?;
    let deadline = Instant::now() + budget;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            bail!("stopped after {} s; see {}", budget.as_secs(), log.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let text = std::fs::read_to_string(log).unwrap_or_default();
    Ok((status, text))
}

/// A running Prism, stopped when dropped.
struct Prism {
    child: Child,
    port: u16,
}

impl Prism {
    fn start(prism: &Path, spec: &Path, port: u16, seed: &str, log: &Path) -> Result<Self> {
        let out = File::create(log).with_context(|| format!("cannot create {}", log.display()))?;
        let child = Command::new(prism)
            .args([
                "mock",
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--dynamic",
                "--seed",
                seed,
            ])
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            .spawn()
            .with_context(|| format!("cannot start {}", prism.display()))?;
        Ok(Prism { child, port })
    }

    /// Waits until Prism answers an HTTP request (any status).
    fn wait_ready(&mut self, log: &Path) -> Result<()> {
        let deadline = Instant::now() + PRISM_START;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait()? {
                bail!("Prism exited ({status}) before it answered; see {}", log.display());
            }
            if answers(self.port) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        bail!(
            "Prism did not answer within {} s; see {}",
            PRISM_START.as_secs(),
            log.display()
        )
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether an HTTP server answers on the port.
fn answers(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect((Ipv4Addr::LOCALHOST, port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if stream
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut first = [0u8; 5];
    stream.read_exact(&mut first).is_ok() && &first == b"HTTP/"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_parsed_and_spec_is_required() {
        let args: Vec<String> = [
            "--spec",
            "a.yaml",
            "--overlay",
            "o2.yaml",
            "--tag",
            "x",
            "--seed",
            "7",
            "--overlay",
            "o1.yaml",
            "--runs",
            "3",
            "--verbose",
        ]
        .map(String::from)
        .into();
        let parsed = ConformanceArgs::parse(&args).expect("valid arguments");
        assert_eq!(parsed.spec, PathBuf::from("a.yaml"));
        assert_eq!(
            parsed.overlays,
            vec![PathBuf::from("o2.yaml"), PathBuf::from("o1.yaml")]
        );
        assert_eq!(parsed.seed, "7");
        assert_eq!(parsed.runs, 3);
        assert_eq!(
            (run_seed("7", 0), run_seed("7", 2), run_seed("abc", 1)),
            ("7".into(), "9".into(), "abc-1".into())
        );
        let zero = ["--spec", "a.yaml", "--runs", "0"].map(String::from);
        assert!(ConformanceArgs::parse(&zero).is_err());
        assert!(parsed.verbose);
        assert!(parsed.selection.tags.contains("x"));
        assert_eq!(parsed.config, None);
        assert_eq!(default_crate_name(Path::new("specs/Pet Store.yaml")), "pet-store");
        assert_eq!(
            default_crate_name(Path::new("specs/digitalocean/openapi.yaml")),
            "digitalocean"
        );
        assert_eq!(default_crate_name(Path::new("2024.json")), "api-2024");
        let figures = Figures::read(
            "conformance: 95 of 97 operations passed, 1 violations, 0 decode failures, 0 other failures, 1 skipped"
                .into(),
            false,
        );
        assert_eq!(
            (figures.operations_passed, figures.operations, figures.skipped),
            (95, 97, 1)
        );
        let error = ConformanceArgs::parse(&[])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.starts_with("--spec is required"), "{error}");
    }
}
