//! `apigen` turns an OpenAPI 3.0 or 3.1 document into a typed async Rust client crate.
//!
//! The pipeline, one module per step:
//! 1. [`load`]: YAML or JSON → `serde_json::Value` → the user's overlays →
//!    3.1 normalisation → `openapiv3` document;
//! 2. [`lower`]: document → [`ir::Api`], where every decision is made; the
//!    [`audit`] of the document as written adds what the client does not honour;
//! 3. [`emit`]: IR → tokens → formatted Rust files;
//! 4. [`write`]: the files → the output folder (or a check that it is fresh).
//!
//! [`naming`] holds every naming rule; [`config`] the API conventions the
//! spec states only in prose.

pub mod audit;
pub mod config;
pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
mod stack;
pub mod write;

use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use config::Config;
pub use emit::{EmitOptions, Files};
pub use error::{Error, Result};
pub use lower::Selection;

/// Everything a generation run needs.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    /// The spec file.
    pub spec: PathBuf,
    /// API conventions.
    pub config: Config,
    /// Which operations to generate.
    pub selection: Selection,
    /// Crate name, header text and runtime location.
    pub emit: EmitOptions,
    /// OpenAPI Overlay files that correct the entry document, applied in
    /// order after those of the configuration ([`Config::overlays`]).
    pub overlays: Vec<PathBuf>,
}

impl GenerateOptions {
    /// Every overlay the run applies, in order: the configuration's, then
    /// [`GenerateOptions::overlays`].
    pub fn overlays_in_order(&self) -> Vec<PathBuf> {
        self.config.overlays.iter().chain(&self.overlays).cloned().collect()
    }
}

/// Wall time of each phase of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    /// Reading and parsing YAML or JSON, and applying overlays.
    pub parse: Duration,
    /// 3.1 normalisation and typed parsing.
    pub normalize: Duration,
    /// Lowering to the IR.
    pub lower: Duration,
    /// Building token streams and parsing them with `syn`, summed over the
    /// threads that emit files side by side (so it can exceed the wall time).
    pub emit: Duration,
    /// Printing with `prettyplease`, summed over those threads.
    pub format: Duration,
}

/// The result of a run.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The IR.
    pub api: ir::Api,
    /// The files, by path relative to the crate folder.
    pub files: Files,
    /// Phase timings.
    pub timings: Timings,
}

impl Generated {
    /// The whole source of a module of the generated crate, such as `types`:
    /// its own file and then the files of its feature submodules, in path
    /// order, each after a `// file: PATH` line. Empty when the crate has no
    /// such module.
    pub fn module_source(&self, module: &str) -> String {
        let own = format!("src/{module}.rs");
        let prefix = format!("src/{module}/");
        let mut text = String::new();
        for (path, source) in &self.files {
            if *path == own || path.starts_with(&prefix) {
                text.push_str(&format!("// file: {path}\n{source}"));
            }
        }
        text
    }
}

/// Runs the whole pipeline in memory.
pub fn generate(options: &GenerateOptions) -> Result<Generated> {
    let mut timings = Timings::default();
    let start = Instant::now();
    let text = std::fs::read_to_string(&options.spec).map_err(|source| Error::Read {
        path: options.spec.clone(),
        source,
    })?;
    let mut value = load::parse_value(&options.spec, &text)?;
    // Overlays correct the entry document before anything reads it, so the
    // audit and the lowering see the document the mock server serves.
    load::apply_overlays(&options.overlays_in_order(), &options.spec, &mut value)?;
    timings.parse = start.elapsed();

    let start = Instant::now();
    // The audit reads the document as written (bundled, so it sees every
    // file), before normalisation consumes and rewrites it, so that no copy
    // of the document is needed.
    let (value, origins) = load::bundle(&options.spec, value)?;
    let audit = audit::audit(&value);
    let mut spec = load::load_value(&options.spec, value).map_err(|error| relocated(error, &origins))?;
    spec.origins = origins;
    timings.normalize = start.elapsed();

    let start = Instant::now();
    let mut api = lower::lower(&spec.path, &spec.document, &options.config, &options.selection)
        .map_err(|error| relocated(error, &spec.origins))?;
    lower::join_audit(&mut api, audit);
    api.inexact.extend(spec.inexact);
    // Content bundled from another file is listed where the user can find
    // it: `file#pointer`, the form a `$ref` to it would take.
    for item in &mut api.inexact {
        if let Some((file, pointer)) = spec.origins.locate(&item.pointer) {
            item.pointer = if file == spec.path {
                pointer
            } else {
                format!("{}{pointer}", file.display())
            };
        }
    }
    api.inexact.sort();
    api.inexact.dedup();
    api.crate_examples = read_crate_examples(&options.config.examples)?;
    timings.lower = start.elapsed();

    let (files, emit_time, format_time) = emit::emit_timed(&api, &options.emit)?;
    timings.emit = emit_time;
    timings.format = format_time;
    Ok(Generated { api, files, timings })
}

/// The configuration's example programs, sorted by name.
fn read_crate_examples(paths: &[std::path::PathBuf]) -> Result<Vec<ir::CrateExample>> {
    let mut examples = paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?;
            let name = path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .filter(|_| path.extension().is_some_and(|ext| ext == "rs"))
                .ok_or_else(|| Error::Config {
                    path: path.clone(),
                    message: "an example must be a `.rs` file with a UTF-8 name".to_owned(),
                })?;
            Ok(ir::CrateExample {
                name: name.to_owned(),
                text,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    examples.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(examples)
}

/// `error`, pointing at the file and place its location was bundled from.
fn relocated(mut error: Error, origins: &load::Origins) -> Error {
    error.relocate(origins);
    error
}
