//! `cargo xtask corpus`: generates every document of the development corpus
//! (`../shared/specs/corpus/`) into `target/corpus/`, compiles each crate with
//! clippy (warnings denied) in one shared target folder, and prints a table.
//!
//! The documents are public API descriptions the team does not own; they are
//! read in place and nothing generated from them leaves `target/`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use apigen::write::{Mode, sync};
use apigen::{Config, EmitOptions, GenerateOptions, Selection};

use crate::conformance::{ConformanceArgs, Figures};
use serde_json::Value;

/// The usage text of `cargo xtask corpus`.
pub const USAGE: &str = "\
usage: cargo xtask corpus [--dir DIR] [--only NAME]... [--no-compile] [--verbose] [--conformance]
                          [--baseline FILE]

  --dir          folder of documents (default ../shared/specs/corpus); a file there
                 is a document, a folder is a multi-file document whose entry is
                 the one file with a top-level `openapi` key
  --only         only the document with this name (file name without extension;
                 repeatable)
  --no-compile   generate only; skip cargo clippy
  --verbose      list every construct not represented exactly, per document
  --conformance  also run `cargo xtask conformance` on each document that passes
                 clippy (Prism on 127.0.0.1), adding a column and listing each
                 failing or skipped operation
  --baseline     a file of `NAME STAGE` lines (STAGE: fail, generate, compile or
                 clippy): fail only when a document stops short of its stage,
                 and name the documents that went further (default: every
                 document must pass clippy)

  APIGEN_CORPUS_TARGET_DIR names the target folder the crates build in
  (default target/corpus/target).";

/// The environment variable that names a target folder for the corpus's
/// crates instead of `target/corpus/target`.
pub const TARGET_DIR_VARIABLE: &str = "APIGEN_CORPUS_TARGET_DIR";

/// Options of `cargo xtask corpus`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusArgs {
    /// The corpus folder, relative to the workspace root unless absolute.
    pub dir: PathBuf,
    /// Only these documents (empty: all).
    pub only: BTreeSet<String>,
    /// Skip compiling.
    pub no_compile: bool,
    /// Print every inexact construct.
    pub verbose: bool,
    /// The stage each document must reach; `None`: all of them, for every document.
    pub baseline: Option<PathBuf>,
    /// Also run `cargo xtask conformance` on each document that passes clippy.
    pub conformance: bool,
}

impl Default for CorpusArgs {
    fn default() -> Self {
        Self {
            dir: PathBuf::from("../shared/specs/corpus"),
            only: BTreeSet::new(),
            no_compile: false,
            verbose: false,
            baseline: None,
            conformance: false,
        }
    }
}

impl CorpusArgs {
    /// Parses the arguments after `corpus`.
    pub fn parse(args: &[String]) -> Result<Self> {
        let mut parsed = Self::default();
        let mut args = crate::Args::new(args, USAGE);
        while let Some(arg) = args.next() {
            match arg {
                "--dir" => parsed.dir = args.value("--dir")?.into(),
                "--only" => {
                    parsed.only.insert(args.value("--only")?);
                }
                "--no-compile" => parsed.no_compile = true,
                "--verbose" => parsed.verbose = true,
                "--conformance" => parsed.conformance = true,
                "--baseline" => parsed.baseline = Some(args.value("--baseline")?.into()),
                other => bail!("unknown argument `{other}`\n{USAGE}"),
            }
        }
        Ok(parsed)
    }
}

/// One document of the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Name used for the crate and the table (file or folder name without extension).
    pub name: String,
    /// The entry file.
    pub entry: PathBuf,
}

/// What happened to one document.
#[derive(Debug, Clone, Default)]
struct Row {
    name: String,
    spec_operations: Option<usize>,
    operations: Option<usize>,
    types: Option<usize>,
    inexact: Option<usize>,
    generate_error: Option<String>,
    compile: Option<Outcome>,
    /// The conformance run's figures, or why it could not run.
    wire: Option<std::result::Result<Figures, String>>,
    /// The conformance run's failure and skip lines.
    wire_lines: String,
    seconds: f64,
}

/// How far a document got, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// It did not generate.
    Fail,
    /// It generated.
    Generate,
    /// Its crate compiles.
    Compile,
    /// Its crate passes clippy with warnings denied.
    Clippy,
}

impl Stage {
    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "fail" => Self::Fail,
            "generate" => Self::Generate,
            "compile" => Self::Compile,
            "clippy" => Self::Clippy,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Self::Fail => "fail",
            Self::Generate => "generate",
            Self::Compile => "compile",
            Self::Clippy => "clippy",
        }
    }
}

impl Row {
    fn stage(&self) -> Stage {
        match (&self.generate_error, &self.compile) {
            (Some(_), _) => Stage::Fail,
            (None, None | Some(Outcome::Errors(_))) => Stage::Generate,
            (None, Some(Outcome::Lints(_))) => Stage::Compile,
            (None, Some(Outcome::Clean)) => Stage::Clippy,
        }
    }
}

/// Reads a baseline file: one `NAME STAGE` a line; `#` starts a comment.
pub fn read_baseline(path: &Path) -> Result<std::collections::BTreeMap<String, Stage>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read the baseline {}", path.display()))?;
    let mut stages = std::collections::BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let (name, stage) = line
            .split_once(char::is_whitespace)
            .and_then(|(name, stage)| Some((name, Stage::parse(stage.trim())?)))
            .with_context(|| {
                format!(
                    "{}:{}: expected `NAME STAGE` with STAGE one of fail, generate, compile, clippy",
                    path.display(),
                    number + 1
                )
            })?;
        stages.insert(name.to_owned(), stage);
    }
    Ok(stages)
}

/// Compares each row with the stage it must reach; returns the lines to
/// print and whether none fell short.
fn against_baseline(rows: &[Row], baseline: &std::collections::BTreeMap<String, Stage>) -> (String, bool) {
    let mut text = String::new();
    let mut good = true;
    for row in rows {
        let reached = row.stage();
        let expected = baseline.get(&row.name).copied().unwrap_or(Stage::Clippy);
        if reached < expected {
            good = false;
            let _ = writeln!(
                text,
                "regression: {} reached `{}`, the baseline expects `{}`",
                row.name,
                reached.name(),
                expected.name()
            );
        } else if reached > expected {
            let _ = writeln!(
                text,
                "improved: {} reached `{}` (baseline `{}`): raise its line in the baseline",
                row.name,
                reached.name(),
                expected.name()
            );
        }
    }
    (text, good)
}

/// The result of compiling one crate with clippy.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// No diagnostics at all.
    Clean,
    /// It compiles, but clippy or rustc lints fail under `-D warnings`.
    Lints(Vec<String>),
    /// rustc errors: it does not compile.
    Errors(Vec<String>),
}

/// Lists the documents of `dir`, sorted by name.
pub fn documents(dir: &Path) -> Result<Vec<Document>> {
    let mut found = Vec::new();
    let entries = std::fs::read_dir(dir).with_context(|| {
        format!(
            "cannot read the corpus folder {}: it lives in the shared folder next to the checkout (../shared/specs/corpus)",
            dir.display()
        )
    })?;
    for entry in entries {
        let path = entry?.path();
        let Some(name) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else {
            continue;
        };
        if path.is_dir() {
            found.push(Document {
                entry: entry_file(&path)?,
                name,
            });
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
            found.push(Document { name, entry: path });
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

/// The one file of a multi-file folder that has a top-level `openapi` key.
fn entry_file(folder: &Path) -> Result<PathBuf> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        if !path.is_file() || !matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
            continue;
        }
        let text = std::fs::read_to_string(&path).with_context(|| path.display().to_string())?;
        let top_level = text
            .lines()
            .any(|line| line.starts_with("openapi:") || line.trim_start().starts_with("\"openapi\""));
        if top_level {
            entries.push(path);
        }
    }
    entries.sort();
    match entries.as_slice() {
        [one] => Ok(one.clone()),
        [] => bail!("{}: no file with a top-level `openapi` key", folder.display()),
        many => bail!(
            "{}: several files look like an entry document: {}",
            folder.display(),
            many.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Operations under `paths` (method and path pairs), path items referred to
/// in other files included; `None` when the entry cannot be read.
fn spec_operations(entry: &Path) -> Option<usize> {
    const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    let text = std::fs::read_to_string(entry).ok()?;
    let value = apigen::load::parse_value(entry, &text).ok()?;
    let paths = value.get("paths")?.as_object()?;
    let mut count = 0;
    for item in paths.values() {
        let item = match item.get("$ref").and_then(Value::as_str) {
            Some(reference) if !reference.starts_with('#') => {
                let (file, _) = reference.split_once('#').unwrap_or((reference, ""));
                let path = entry.parent()?.join(file);
                let text = std::fs::read_to_string(&path).ok()?;
                apigen::load::parse_value(&path, &text).ok()?
            }
            _ => item.clone(),
        };
        count += METHODS.iter().filter(|method| item.get(**method).is_some()).count();
    }
    Some(count)
}

/// Turns a document name into a crate name (`twilio-api-v2010` → `corpus-twilio-api-v2010`).
fn crate_name(document: &str) -> String {
    format!("corpus-{}", package_name(document))
}

/// `text` as a package name: ASCII letters and digits, lower-cased, with
/// dashes for everything else.
pub(crate) fn package_name(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    cleaned.trim_matches('-').to_owned()
}

/// Runs `cargo xtask corpus` from the workspace `root`; returns the report
/// and whether every document generated, compiled and passed clippy.
pub fn run(root: &Path, args: &CorpusArgs) -> Result<(String, bool)> {
    let dir = root.join(&args.dir);
    let mut documents = documents(&dir)?;
    if !args.only.is_empty() {
        for name in &args.only {
            if !documents.iter().any(|d| &d.name == name) {
                bail!("--only {name}: no such document in {}", dir.display());
            }
        }
        documents.retain(|d| args.only.contains(&d.name));
    }
    let out = root.join("target/corpus");
    std::fs::create_dir_all(out.join("crates"))?;
    std::fs::write(
        out.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"crates/*\"]\n\n[profile.dev.package.\"*\"]\ndebug = false\n",
    )?;
    // Copied afresh each run, so a lock file left by a checkout elsewhere
    // (with the runtime at another path) cannot collide.
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))?;
    // Crates of documents not in this run are removed so the workspace only
    // holds what the table reports on.
    let wanted: BTreeSet<String> = documents.iter().map(|d| crate_name(&d.name)).collect();
    for entry in std::fs::read_dir(out.join("crates"))? {
        let path = entry?.path();
        let keep = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| wanted.contains(n));
        if !keep {
            std::fs::remove_dir_all(&path)?;
        }
    }

    let mut report = String::new();
    let mut rows = Vec::new();
    for document in &documents {
        let started = Instant::now();
        let crate_name = crate_name(&document.name);
        let crate_dir = out.join("crates").join(&crate_name);
        let mut row = Row {
            name: document.name.clone(),
            spec_operations: spec_operations(&document.entry),
            ..Row::default()
        };
        let options = GenerateOptions {
            spec: document.entry.clone(),
            config: Config::default(),
            selection: Selection::default(),
            emit: EmitOptions {
                crate_name: crate_name.clone(),
                crate_version: "0.1.0".into(),
                runtime: root
                    .join("crates/apigen-runtime")
                    .to_string_lossy()
                    .replace('\\', "/")
                    .into(),
                spec_display: document
                    .entry
                    .strip_prefix(root)
                    .unwrap_or(&document.entry)
                    .display()
                    .to_string(),
                command: "cargo xtask corpus".into(),
                standalone: false,
            },
            overlays: Vec::new(),
        };
        match apigen::generate(&options) {
            Ok(generated) => {
                row.operations = Some(generated.api.operations.len());
                row.types = Some(generated.api.types.len());
                row.inexact = Some(generated.api.inexact.len());
                if args.verbose {
                    let _ = writeln!(report, "{}: not represented exactly:", document.name);
                    for item in &generated.api.inexact {
                        let _ = writeln!(report, "  {}: {}", item.pointer, item.message);
                    }
                } else if !generated.api.inexact.is_empty() {
                    let _ = writeln!(report, "{}: {}", document.name, inexact_summary(&generated.api.inexact));
                }
                sync(&crate_dir, &generated.files, Mode::Write, "cargo xtask corpus")?;
                if !args.no_compile {
                    row.compile = Some(clippy(&out, &crate_name)?);
                }
                if args.conformance && matches!(row.compile, Some(Outcome::Clean)) {
                    let wire = ConformanceArgs {
                        spec: document.entry.clone(),
                        crate_name: Some(crate_name.clone()),
                        seed: "1".into(),
                        runs: 1,
                        ..ConformanceArgs::default()
                    };
                    row.wire = Some(match crate::conformance::run(root, &wire) {
                        Ok((lines, figures)) => {
                            row.wire_lines = lines;
                            Ok(figures)
                        }
                        Err(error) => Err(format!("{error:#}")),
                    });
                }
            }
            Err(error) => {
                row.generate_error = Some(error.to_string());
                if crate_dir.exists() {
                    std::fs::remove_dir_all(&crate_dir)?;
                }
            }
        }
        row.seconds = started.elapsed().as_secs_f64();
        eprintln!("corpus: {} done in {:.1} s", document.name, row.seconds);
        rows.push(row);
    }
    let (table, all_good) = table(&rows, args.no_compile);
    report.push_str(&table);
    match &args.baseline {
        Some(path) => {
            let baseline = read_baseline(&root.join(path))?;
            let (text, good) = against_baseline(&rows, &baseline);
            report.push_str(&text);
            Ok((report, good))
        }
        None => Ok((report, all_good)),
    }
}

/// The inexact list grouped by message, largest groups first, at most five.
fn inexact_summary(inexact: &[apigen::ir::Inexact]) -> String {
    let mut groups: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for item in inexact {
        *groups.entry(item.message.clone()).or_default() += 1;
    }
    let mut groups: Vec<(String, usize)> = groups.into_iter().collect();
    groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let shown: Vec<String> = groups
        .iter()
        .take(5)
        .map(|(message, count)| format!("{count}× {message}"))
        .collect();
    format!(
        "{} not represented exactly ({} kinds): {}",
        inexact.len(),
        groups.len(),
        shown.join("; ")
    )
}

/// Runs clippy with warnings denied on one crate of the corpus workspace and
/// sorts its diagnostics into compile errors and lints.
fn clippy(workspace: &Path, package: &str) -> Result<Outcome> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["clippy", "--manifest-path"])
        .arg(workspace.join("Cargo.toml"))
        .args(["-p", package, "--message-format=json", "--", "-D", "warnings"])
        // A target folder named by the caller (CI shares one between all the
        // generated crates it builds) wins over the corpus's own.
        .env(
            "CARGO_TARGET_DIR",
            std::env::var_os(TARGET_DIR_VARIABLE).map_or_else(|| workspace.join("target"), PathBuf::from),
        )
        .output()
        .context("cannot run cargo clippy")?;
    let mut errors = Vec::new();
    let mut lints = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-message" || message["message"]["level"] != "error" {
            continue;
        }
        let rendered = message["message"]["rendered"].as_str().unwrap_or_default();
        let first_lines: String = rendered.lines().take(2).collect::<Vec<_>>().join(" | ");
        // rustc's own errors carry an `E` code or none; lints promoted by
        // `-D warnings` carry the lint's name (`clippy::...`, `unused_...`).
        match message["message"]["code"]["code"].as_str() {
            Some(code) if !code.starts_with('E') => lints.push(first_lines),
            _ if rendered.starts_with("error: aborting") || rendered.contains("could not compile") => {}
            _ => errors.push(first_lines),
        }
    }
    if !output.status.success() && errors.is_empty() && lints.is_empty() {
        errors.push(
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .rev()
                .take(5)
                .collect::<Vec<_>>()
                .join(" | "),
        );
    }
    Ok(if !errors.is_empty() {
        Outcome::Errors(errors)
    } else if !lints.is_empty() {
        Outcome::Lints(lints)
    } else {
        Outcome::Clean
    })
}

fn count(value: Option<usize>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

/// The table and its closing line; `true` when every document passed every step run.
fn table(rows: &[Row], no_compile: bool) -> (String, bool) {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "\n| document | operations (spec / generated) | types | inexact | generate | check | clippy | conformance | seconds |"
    );
    let _ = writeln!(text, "|---|---|---|---|---|---|---|---|---|");
    let mut details = String::new();
    let (mut generated, mut compiled, mut clean) = (0, 0, 0);
    let (mut wire_runs, mut wire_passed, mut wire_operations, mut wire_skipped, mut wire_good) = (0, 0, 0, 0, true);
    for row in rows {
        let generate = if row.generate_error.is_some() { "FAIL" } else { "ok" };
        let (check, clippy) = match &row.compile {
            None => ("-", "-"),
            Some(Outcome::Clean) => ("ok", "ok"),
            Some(Outcome::Lints(_)) => ("ok", "FAIL"),
            Some(Outcome::Errors(_)) => ("FAIL", "-"),
        };
        generated += usize::from(row.generate_error.is_none());
        compiled += usize::from(matches!(row.compile, Some(Outcome::Clean | Outcome::Lints(_))));
        clean += usize::from(matches!(row.compile, Some(Outcome::Clean)));
        let wire = match &row.wire {
            None => "-".to_owned(),
            Some(Err(_)) => "FAIL".to_owned(),
            Some(Ok(figures)) => format!(
                "{} / {} passed{}",
                figures.operations_passed,
                figures.operations,
                if figures.skipped > 0 {
                    format!(", {} skipped", figures.skipped)
                } else {
                    String::new()
                }
            ),
        };
        if let Some(outcome) = &row.wire {
            wire_runs += 1;
            match outcome {
                Ok(figures) => {
                    wire_passed += figures.operations_passed;
                    wire_operations += figures.operations;
                    wire_skipped += figures.skipped;
                    wire_good &= figures.passed;
                }
                Err(_) => wire_good = false,
            }
        }
        let _ = writeln!(
            text,
            "| {} | {} / {} | {} | {} | {} | {} | {} | {} | {:.0} |",
            row.name,
            count(row.spec_operations),
            count(row.operations),
            count(row.types),
            count(row.inexact),
            generate,
            check,
            clippy,
            wire,
            row.seconds
        );
        match &row.wire {
            Some(Err(error)) => {
                let _ = writeln!(details, "{}: conformance could not run: {error}", row.name);
            }
            Some(Ok(_)) => {
                for line in row
                    .wire_lines
                    .lines()
                    .filter(|l| l.starts_with("FAIL ") || l.starts_with("SKIP "))
                {
                    let _ = writeln!(details, "{}: {}", row.name, truncated(line, 400));
                }
            }
            None => {}
        }
        if let Some(error) = &row.generate_error {
            let _ = writeln!(details, "{}: generation failed: {error}", row.name);
        }
        if let Some(Outcome::Errors(list) | Outcome::Lints(list)) = &row.compile {
            let _ = writeln!(details, "{}: {} diagnostics, the first ones:", row.name, list.len());
            for item in list.iter().take(8) {
                let _ = writeln!(details, "  {item}");
            }
        }
    }
    text.push_str(&details);
    let _ = writeln!(
        text,
        "corpus: {} documents, {generated} generate, {compiled} compile, {clean} clippy-clean",
        rows.len()
    );
    if wire_runs > 0 {
        let _ = writeln!(
            text,
            "conformance: {wire_runs} documents, {wire_passed} of {wire_operations} operations passed, {wire_skipped} skipped"
        );
    }
    let all_good = generated == rows.len() && (no_compile || clean == rows.len()) && wire_good;
    (text, all_good)
}

/// At most `limit` characters of `line`, marked when cut.
fn truncated(line: &str, limit: usize) -> String {
    match line.char_indices().nth(limit) {
        Some((end, _)) => format!("{} ...", &line[..end]),
        None => line.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_are_cargo_package_names() {
        assert_eq!(crate_name("twilio-api-v2010"), "corpus-twilio-api-v2010");
        assert_eq!(crate_name("DigitalOcean.public_v2"), "corpus-digitalocean-public-v2");
    }

    #[test]
    fn the_closing_line_counts_each_step() {
        let rows = vec![
            Row {
                name: "a".into(),
                compile: Some(Outcome::Clean),
                ..Row::default()
            },
            Row {
                name: "b".into(),
                compile: Some(Outcome::Lints(vec!["x".into()])),
                ..Row::default()
            },
            Row {
                name: "c".into(),
                generate_error: Some("bad".into()),
                ..Row::default()
            },
        ];
        let (text, all_good) = table(&rows, false);
        assert!(
            text.ends_with("corpus: 3 documents, 2 generate, 2 compile, 1 clippy-clean\n"),
            "{text}"
        );
        assert!(!all_good);
    }

    #[test]
    fn conformance_figures_fill_their_column_and_a_closing_line() {
        let figures = |passed, operations, skipped, all_passed| Figures {
            summary: String::new(),
            passed: all_passed,
            operations_passed: passed,
            operations,
            skipped,
        };
        let rows = vec![
            Row {
                name: "a".into(),
                compile: Some(Outcome::Clean),
                wire: Some(Ok(figures(54, 58, 4, true))),
                wire_lines: "SKIP op1: prism: why\nvalues: ignored\n".into(),
                ..Row::default()
            },
            Row {
                name: "b".into(),
                compile: Some(Outcome::Clean),
                wire: Some(Ok(figures(9, 10, 0, false))),
                wire_lines: "FAIL op2: invalid request\n".into(),
                ..Row::default()
            },
        ];
        let (text, all_good) = table(&rows, false);
        assert!(!all_good, "a failing conformance run fails the table");
        assert!(text.contains("| ok | ok | ok | 54 / 58 passed, 4 skipped |"), "{text}");
        assert!(
            text.contains("a: SKIP op1: prism: why\n") && text.contains("b: FAIL op2: invalid request\n"),
            "{text}"
        );
        assert!(!text.contains("values: ignored"), "{text}");
        assert!(
            text.contains("conformance: 2 documents, 63 of 68 operations passed, 4 skipped\n"),
            "{text}"
        );
    }

    #[test]
    fn the_baseline_fails_only_on_regressions() {
        let rows = vec![
            Row {
                name: "a".into(),
                compile: Some(Outcome::Lints(vec!["x".into()])),
                ..Row::default()
            },
            Row {
                name: "b".into(),
                compile: Some(Outcome::Clean),
                ..Row::default()
            },
        ];
        let baseline = [("a".to_owned(), Stage::Compile), ("b".to_owned(), Stage::Generate)].into();
        let (text, good) = against_baseline(&rows, &baseline);
        assert!(good, "{text}");
        assert!(text.contains("improved: b reached `clippy`"), "{text}");
        let strict = [("a".to_owned(), Stage::Clippy)].into();
        let (text, good) = against_baseline(&rows, &strict);
        assert!(!good);
        assert!(text.contains("regression: a reached `compile`"), "{text}");
    }

    #[test]
    fn parses_options() {
        let args: Vec<String> = ["--only", "a", "--only", "b", "--no-compile"].map(String::from).into();
        let parsed = CorpusArgs::parse(&args).unwrap();
        assert_eq!(parsed.only.len(), 2);
        assert!(parsed.no_compile);
        assert!(CorpusArgs::parse(&["--nope".to_owned()]).is_err());
    }
}
