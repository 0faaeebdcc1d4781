//! Developer commands of the workspace. `main.rs` parses the command line;
//! the work is here so that tests can run exactly what `cargo xtask` runs.

pub mod conformance;
pub mod corpus;

use std::path::{Component, Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use apigen::config::RuntimeConfig;
use apigen::emit::RuntimeDependency;
use apigen::write::{Mode, Protected, Report, check_out_location};
use apigen::{Config, EmitOptions, GenerateOptions, Selection};

/// The command that regenerates the checked-in client.
pub const CODEGEN_COMMAND: &str = "cargo xtask codegen";

/// Options of `cargo xtask codegen`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodegenArgs {
    /// Only compare; fail when anything differs.
    pub check: bool,
    /// The spec, relative to the workspace root unless absolute.
    pub spec: PathBuf,
    /// The conventions file; `None` for none.
    pub config: Option<PathBuf>,
    /// The output crate folder.
    pub out: PathBuf,
    /// The crate's package name.
    pub crate_name: String,
    /// Only these tags / operation ids (both empty: everything).
    pub selection: Selection,
    /// Print the IR's list of inexact constructs in full.
    pub verbose: bool,
    /// Make the output its own workspace (for crates generated under `target/`).
    pub standalone: bool,
    /// Also write `tests/examples.rs`, the round-trip test of the spec's examples.
    pub example_tests: bool,
    /// How the generated crate names the runtime, from the command line
    /// (overrides the configuration's `[runtime]`).
    pub runtime: Option<RuntimeConfig>,
    /// OpenAPI Overlay files, relative to the workspace root unless absolute,
    /// applied in order after the configuration's `overlays`.
    pub overlays: Vec<PathBuf>,
    /// Example programs the crate carries, relative to the workspace root
    /// unless absolute, after the configuration's `examples`. The seed
    /// spec's run carries `spec/examples/typed_mocks.rs`; giving `--spec`
    /// drops it, since it is written against the seed crate's API.
    pub examples: Vec<PathBuf>,
}

/// The example program of the seed crate, which tests a small function
/// with the typed mocks.
pub const SEED_EXAMPLE: &str = "spec/examples/typed_mocks.rs";

impl Default for CodegenArgs {
    fn default() -> Self {
        CodegenArgs {
            check: false,
            spec: PathBuf::from("spec/launchdarkly.yaml"),
            config: Some(PathBuf::from("spec/codegen.toml")),
            out: PathBuf::from("generated/launchdarkly-api"),
            crate_name: "launchdarkly-api".into(),
            selection: Selection::default(),
            verbose: false,
            standalone: false,
            example_tests: false,
            runtime: None,
            overlays: Vec::new(),
            examples: vec![PathBuf::from(SEED_EXAMPLE)],
        }
    }
}

/// The usage text.
pub const USAGE: &str = "\
usage: cargo xtask codegen [--check] [--spec FILE] [--overlay FILE]... [--config FILE|--no-config]
                           [--out DIR] [--crate-name NAME] [--example FILE]... [--tag TAG]... [--operation ID]... [--verbose] [--standalone]
                           [--with-example-tests] [--runtime-path DIR | --runtime-version V |
                           --runtime-git URL [--runtime-rev R | --runtime-tag T | --runtime-branch B]]

  --check        change nothing; fail naming every stale, missing or extra file
  --spec         OpenAPI 3.0/3.1 document, YAML or JSON (default spec/launchdarkly.yaml)
  --overlay      an OpenAPI Overlay 1.0 file that corrects the spec (repeatable; applied
                 in order, after the config's `overlays`, to the entry document only)
  --config       API conventions (default spec/codegen.toml); --no-config for none
  --out          crate folder to write (default generated/launchdarkly-api); it must be
                 new, empty or earlier output (listed in its .apigen-manifest), and
                 neither at nor above the workspace root or the spec's folder; only
                 files listed in the manifest are ever removed
  --crate-name   package name of the generated crate (default launchdarkly-api)
  --example      an example program the crate carries in examples/, built with its
                 `mock` feature; it names the crate `generated_crate` (repeatable;
                 default spec/examples/typed_mocks.rs, dropped when --spec is given)
  --tag          only operations with this tag (repeatable)
  --operation    only the operation with this id (repeatable)
  --verbose      list every construct not represented exactly, every pageable
                 operation with its rule, and every list-like one without a paginator
  --standalone   give the crate its own [workspace] (for output under target/)
  --with-example-tests
                 also write tests/examples.rs: every example of the spec must
                 decode into its generated type and encode back unchanged
                 (run it with --features full-serde)
  --runtime-*    how the generated Cargo.toml names apigen-runtime: a path relative
                 to the crate folder, a git repository (pinned by rev, tag or branch)
                 or a registry version; overrides [runtime] in the config (default:
                 this repository's crates/apigen-runtime by relative path)";

impl CodegenArgs {
    /// Parses the arguments after `codegen`.
    pub fn parse(args: &[String]) -> Result<Self> {
        let mut parsed = CodegenArgs::default();
        let mut args = crate::Args::new(args, USAGE);
        let mut examples = Vec::new();
        while let Some(arg) = args.next() {
            match arg {
                "--check" => parsed.check = true,
                "--example" => examples.push(PathBuf::from(args.value("--example")?)),
                "--verbose" => parsed.verbose = true,
                "--standalone" => parsed.standalone = true,
                "--with-example-tests" => parsed.example_tests = true,
                "--spec" => parsed.spec = args.value("--spec")?.into(),
                "--overlay" => parsed.overlays.push(args.value("--overlay")?.into()),
                "--config" => parsed.config = Some(args.value("--config")?.into()),
                "--no-config" => parsed.config = None,
                "--out" => parsed.out = args.value("--out")?.into(),
                "--crate-name" => parsed.crate_name = args.value("--crate-name")?,
                "--runtime-path" => parsed.runtime.get_or_insert_default().path = Some(args.value(arg)?),
                "--runtime-git" => parsed.runtime.get_or_insert_default().git = Some(args.value(arg)?),
                "--runtime-rev" => parsed.runtime.get_or_insert_default().rev = Some(args.value(arg)?),
                "--runtime-tag" => parsed.runtime.get_or_insert_default().tag = Some(args.value(arg)?),
                "--runtime-branch" => parsed.runtime.get_or_insert_default().branch = Some(args.value(arg)?),
                "--runtime-version" => parsed.runtime.get_or_insert_default().version = Some(args.value(arg)?),
                "--tag" => {
                    parsed.selection.tags.insert(args.value("--tag")?);
                }
                "--operation" => {
                    parsed.selection.operation_ids.insert(args.value("--operation")?);
                }
                other => bail!("unknown argument `{other}`\n{USAGE}"),
            }
        }
        if parsed.spec != CodegenArgs::default().spec || !examples.is_empty() {
            parsed.examples = examples;
        }
        if let Some(runtime) = &parsed.runtime {
            runtime
                .dependency()
                .map_err(|message| anyhow::anyhow!("{message}\n{USAGE}"))?;
        }
        Ok(parsed)
    }
}

/// The arguments of a command, read one by one by its parser.
pub struct Args<'a> {
    rest: std::slice::Iter<'a, String>,
    usage: &'static str,
}

impl<'a> Args<'a> {
    /// Reads `args`; `usage` is shown when a value is missing.
    pub fn new(args: &'a [String], usage: &'static str) -> Self {
        Self {
            rest: args.iter(),
            usage,
        }
    }

    /// The value that must follow the option `name`.
    pub fn value(&mut self, name: &str) -> Result<String> {
        self.rest
            .next()
            .cloned()
            .with_context(|| format!("{name} needs a value\n{}", self.usage))
    }
}

impl<'a> Iterator for Args<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        self.rest.next().map(String::as_str)
    }
}

/// The workspace root (the parent of this crate's folder).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// `to` expressed relative to `from` (both absolute and normalised).
fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component<'_>> = from.components().collect();
    let to: Vec<Component<'_>> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for part in &to[common..] {
        out.push(part);
    }
    out
}

/// Removes `.` and `..` components without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Refuses an output folder at or above the workspace root or the spec's
/// folder, before anything is generated: writing there could overwrite the
/// project or the spec itself.
fn check_out(root: &Path, spec: &Path, out: &Path) -> Result<()> {
    let spec_folder = spec.parent().unwrap_or(root);
    let protected = [
        Protected {
            path: root,
            what: "the workspace root",
        },
        Protected {
            path: spec_folder,
            what: "the spec's folder",
        },
    ];
    check_out_location(out, &protected)?;
    Ok(())
}

/// Runs `cargo xtask codegen` with `args` from the workspace `root`, returning
/// what it would print.
pub fn codegen(root: &Path, args: &CodegenArgs) -> Result<String> {
    let started = Instant::now();
    let spec = normalise(&root.join(&args.spec));
    let out = normalise(&root.join(&args.out));
    check_out(root, &spec, &out)?;
    let mut config = match &args.config {
        Some(path) => Config::load(&root.join(path))?,
        None => Config::default(),
    };
    config.examples.extend(args.examples.iter().map(|path| root.join(path)));
    let runtime = match args.runtime.as_ref().or(config.runtime.as_ref()) {
        Some(runtime) => runtime.dependency().map_err(anyhow::Error::msg)?,
        None => RuntimeDependency::path(
            relative_path(&out, &root.join("crates/apigen-runtime"))
                .to_string_lossy()
                .replace('\\', "/"),
        ),
    };
    let options = GenerateOptions {
        spec: spec.clone(),
        config,
        selection: args.selection.clone(),
        overlays: args.overlays.iter().map(|path| root.join(path)).collect(),
        emit: EmitOptions {
            crate_name: args.crate_name.clone(),
            crate_version: "0.1.0".into(),
            runtime,
            spec_display: spec
                .strip_prefix(root)
                .unwrap_or(&spec)
                .to_string_lossy()
                .replace('\\', "/"),
            command: CODEGEN_COMMAND.into(),
            standalone: args.standalone,
        },
    };
    let mut generated = apigen::generate(&options)?;
    // The crate's size is reported without the optional test file.
    let lines: usize = generated.files.values().map(|text| text.lines().count()).sum();
    let crate_files = generated.files.len();
    if args.example_tests {
        let text = apigen::emit::example_tests(&generated.api, &options.emit)?;
        generated
            .files
            .insert(apigen::emit::EXAMPLE_TESTS_PATH.to_owned(), text);
    }
    let mode = if args.check { Mode::Check } else { Mode::Write };
    let fix = fix_command(args);
    let report: Report = apigen::write::sync(&out, &generated.files, mode, &fix)?;

    let api = &generated.api;
    let t = generated.timings;
    let mut summary = format!(
        "{}: {} operations, {} types, {} files ({} lines) in {}\n",
        spec.strip_prefix(root).unwrap_or(&spec).display(),
        api.operations.len(),
        api.types.len(),
        crate_files,
        lines,
        out.strip_prefix(root).unwrap_or(&out).display(),
    );
    summary.push_str(&format!(
        "phases: parse {:.1} ms, normalise {:.1} ms, IR {:.1} ms, emit {:.1} ms, format {:.1} ms; total {:.1} ms\n",
        t.parse.as_secs_f64() * 1e3,
        t.normalize.as_secs_f64() * 1e3,
        t.lower.as_secs_f64() * 1e3,
        t.emit.as_secs_f64() * 1e3,
        t.format.as_secs_f64() * 1e3,
        started.elapsed().as_secs_f64() * 1e3,
    ));
    summary.push_str(&format!(
        "examples: {}{}\n",
        api.examples.len(),
        if args.example_tests {
            format!(", round-trip test in {}", apigen::emit::EXAMPLE_TESTS_PATH)
        } else {
            String::new()
        }
    ));
    summary.push_str(&pagination_summary(api, args.verbose));
    summary.push_str(&format!("not represented exactly: {}\n", api.inexact.len()));
    for item in api.inexact.iter().take(if args.verbose { usize::MAX } else { 20 }) {
        summary.push_str(&format!("  {}: {}\n", item.pointer, item.message));
    }
    if !args.verbose && api.inexact.len() > 20 {
        summary.push_str("  ... (--verbose lists all)\n");
    }
    if args.check {
        summary.push_str("generated files are up to date\n");
    } else {
        summary.push_str(&format!(
            "written: {}, removed: {}, unchanged: {}\n",
            report.stale.len() + report.missing.len(),
            report.extra.len(),
            report.unchanged
        ));
    }
    for link in &report.symlinks {
        summary.push_str(&format!("symbolic link, left alone: {}\n", link.display()));
    }
    Ok(summary)
}

/// How many operations page, by rule; with `verbose`, each one and its
/// reason, and each list-like operation left without a paginator and why.
fn pagination_summary(api: &apigen::ir::Api, verbose: bool) -> String {
    let mut by_rule: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for pagination in api.operations.iter().filter_map(|op| op.pagination.as_ref()) {
        *by_rule.entry(pagination.rule.name()).or_default() += 1;
    }
    let unpaged = api.operations.iter().filter(|op| op.unpaged.is_some()).count();
    let counts: Vec<String> = by_rule.iter().map(|(rule, count)| format!("{count} {rule}")).collect();
    let mut text = format!(
        "pageable: {} ({}); list-like without a paginator: {unpaged}{}\n",
        by_rule.values().sum::<usize>(),
        if counts.is_empty() {
            "none".to_owned()
        } else {
            counts.join(", ")
        },
        if verbose || unpaged + by_rule.len() == 0 {
            ""
        } else {
            " (--verbose lists them)"
        },
    );
    if verbose {
        for op in &api.operations {
            if let Some(pagination) = &op.pagination {
                text.push_str(&format!(
                    "  {} pages: {}: {}\n",
                    op.id,
                    pagination.rule.name(),
                    pagination.reason
                ));
            }
        }
        for op in &api.operations {
            if let Some(why) = &op.unpaged {
                text.push_str(&format!("  {} has no paginator: {why}\n", op.id));
            }
        }
    }
    text
}

/// The command line that rewrites what `args` checks.
fn fix_command(args: &CodegenArgs) -> String {
    let defaults = CodegenArgs::default();
    let mut command = CODEGEN_COMMAND.to_owned();
    if args.spec != defaults.spec {
        command.push_str(&format!(" --spec {}", args.spec.display()));
    }
    for overlay in &args.overlays {
        command.push_str(&format!(" --overlay {}", overlay.display()));
    }
    // The examples `parse` gives without `--example`: the seed's for the seed spec, none otherwise.
    let implied = if args.spec == defaults.spec {
        defaults.examples.clone()
    } else {
        Vec::new()
    };
    if args.examples != implied {
        for example in &args.examples {
            command.push_str(&format!(" --example {}", example.display()));
        }
    }
    match &args.config {
        None => command.push_str(" --no-config"),
        Some(path) if Some(path) != defaults.config.as_ref() => {
            command.push_str(&format!(" --config {}", path.display()))
        }
        Some(_) => {}
    }
    if args.out != defaults.out {
        command.push_str(&format!(" --out {}", args.out.display()));
    }
    if args.standalone {
        command.push_str(" --standalone");
    }
    if args.example_tests {
        command.push_str(" --with-example-tests");
    }
    if args.crate_name != defaults.crate_name {
        command.push_str(&format!(" --crate-name {}", args.crate_name));
    }
    if let Some(runtime) = &args.runtime {
        let flags = [
            ("--runtime-path", &runtime.path),
            ("--runtime-git", &runtime.git),
            ("--runtime-rev", &runtime.rev),
            ("--runtime-tag", &runtime.tag),
            ("--runtime-branch", &runtime.branch),
            ("--runtime-version", &runtime.version),
        ];
        for (flag, value) in flags {
            if let Some(value) = value {
                command.push_str(&format!(" {flag} {value}"));
            }
        }
    }
    for tag in &args.selection.tags {
        command.push_str(&format!(" --tag {tag}"));
    }
    for id in &args.selection.operation_ids {
        command.push_str(&format!(" --operation {id}"));
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_runtime_path() {
        assert_eq!(
            relative_path(Path::new("/w/generated/x"), Path::new("/w/crates/apigen-runtime")),
            PathBuf::from("../../crates/apigen-runtime")
        );
        assert_eq!(normalise(Path::new("/w/./a/../b")), PathBuf::from("/w/b"));
    }

    #[test]
    fn example_tests_option_is_parsed_and_repeated_in_the_fix_command() {
        let args: Vec<String> = ["--with-example-tests", "--standalone"].map(String::from).into();
        let parsed = CodegenArgs::parse(&args).unwrap();
        assert!(parsed.example_tests);
        assert_eq!(
            fix_command(&parsed),
            "cargo xtask codegen --standalone --with-example-tests"
        );
        assert!(!CodegenArgs::default().example_tests);
    }

    #[test]
    fn parses_options_and_rejects_unknown_ones() {
        let args: Vec<String> = ["--check", "--tag", "a", "--operation", "b", "--out", "target/x"]
            .map(String::from)
            .into();
        let parsed = CodegenArgs::parse(&args).unwrap();
        assert!(parsed.check);
        assert_eq!(parsed.out, PathBuf::from("target/x"));
        assert_eq!(
            fix_command(&parsed),
            "cargo xtask codegen --out target/x --tag a --operation b"
        );
        assert!(CodegenArgs::parse(&["--bogus".to_owned()]).is_err());
    }

    #[test]
    fn overlays_are_repeatable_kept_in_order_and_repeated_in_the_fix_command() {
        let args: Vec<String> = ["--overlay", "spec/b.yaml", "--check", "--overlay", "spec/a.yaml"]
            .map(String::from)
            .into();
        let parsed = CodegenArgs::parse(&args).unwrap();
        assert_eq!(
            parsed.overlays,
            vec![PathBuf::from("spec/b.yaml"), PathBuf::from("spec/a.yaml")]
        );
        assert_eq!(
            fix_command(&parsed),
            "cargo xtask codegen --overlay spec/b.yaml --overlay spec/a.yaml"
        );
        assert!(CodegenArgs::parse(&["--overlay".to_owned()]).is_err());
    }

    #[test]
    fn runtime_options_are_checked_and_repeated_in_the_fix_command() {
        let args: Vec<String> = ["--runtime-git", "https://example.com/apigen.git", "--runtime-tag", "v1"]
            .map(String::from)
            .into();
        let parsed = CodegenArgs::parse(&args).unwrap();
        assert_eq!(
            fix_command(&parsed),
            "cargo xtask codegen --runtime-git https://example.com/apigen.git --runtime-tag v1"
        );
        let both: Vec<String> = ["--runtime-path", "a", "--runtime-version", "1"]
            .map(String::from)
            .into();
        assert!(CodegenArgs::parse(&both).is_err());
    }
}
