//! Conventions of an API that its OpenAPI document states only in prose,
//! read from a small TOML file next to the spec (`spec/codegen.toml`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::emit::RuntimeDependency;
use crate::error::{Error, Result};

/// The codegen configuration.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Names and docs for server URLs, and servers the spec does not list.
    #[serde(default)]
    pub servers: Vec<ServerConfig>,
    /// The name of the default server preset; the first server when absent.
    pub default_server: Option<String>,
    /// A header that selects the API version.
    pub version_header: Option<VersionHeaderConfig>,
    /// Text that marks an operation's description as beta, such as
    /// "This feature is in beta"; such operations send the beta version.
    pub beta_marker: Option<String>,
    /// A tag ending that marks an operation as beta, such as "(beta)"
    /// (LaunchDarkly files beta operations under tags like "Views (beta)");
    /// such operations send the beta version.
    pub beta_tag_suffix: Option<String>,
    /// A prefix of property names that marks the property as read-only
    /// when the schema does not say so with `readOnly` (LaunchDarkly writes
    /// `_id`, `_links`, `_creationDate`): such fields may be left out of
    /// request bodies.
    pub read_only_prefix: Option<String>,
    /// How the generated crate names `apigen-runtime` (a path, a git
    /// repository or a registry version); the runtime of the generator's own
    /// repository, by relative path, when absent.
    pub runtime: Option<RuntimeConfig>,
    /// OpenAPI Overlay files that correct the spec, applied in order to the
    /// entry document before anything else reads it. Written relative to the
    /// configuration file's folder; [`Config::load`] resolves them.
    #[serde(default)]
    pub overlays: Vec<PathBuf>,
    /// Rust examples the generated crate carries in its `examples/` folder,
    /// built with its `mock` feature: hand-written code that shows (and, in
    /// CI, proves) how the client is used. An example names the crate
    /// `generated_crate` (`use generated_crate::Client;`), which the copy
    /// replaces with the crate's name. Written relative to the
    /// configuration file's folder; [`Config::load`] resolves them.
    #[serde(default)]
    pub examples: Vec<PathBuf>,
    /// Paging conventions by `operationId`, for operations whose document
    /// states them only in prose, or to correct what the generator detects.
    #[serde(default)]
    pub pagination: BTreeMap<String, PaginationConfig>,
}

/// A `[pagination.OPERATION_ID]` table. Fields left out are found the way
/// the generator finds them without configuration.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PaginationConfig {
    /// `offset`, `page-number`, `cursor`, `last-item`, `link-header`,
    /// `next-url`, or `none` (no paginator for this operation).
    pub rule: String,
    /// The query parameter the paginator sets, by its wire name.
    pub param: Option<String>,
    /// The page's list of items, as a dotted path of JSON names (`data.items`);
    /// an empty string when the body itself is the list.
    pub items: Option<String>,
    /// The total of items (offset) or of pages (page numbers), as a dotted path.
    pub total: Option<String>,
    /// The next cursor or next page's URL, as a dotted path (`_links.next.href`).
    pub next: Option<String>,
    /// The "more pages follow" flag, as a dotted path.
    pub has_more: Option<String>,
    /// Within one item, its identifier (for `last-item`).
    pub item_id: Option<String>,
    /// The number of the first page (for `page-number`); 1 when left out.
    pub first_page: Option<u64>,
}

/// The `[runtime]` table: exactly one of `path`, `git` or `version`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RuntimeConfig {
    /// The runtime crate's folder, relative to the generated crate's folder.
    pub path: Option<String>,
    /// A git repository holding the runtime crate.
    pub git: Option<String>,
    /// With `git`: a commit.
    pub rev: Option<String>,
    /// With `git`: a tag.
    pub tag: Option<String>,
    /// With `git`: a branch.
    pub branch: Option<String>,
    /// A registry version requirement, such as `0.1`.
    pub version: Option<String>,
    /// With `version`: an alternative registry's name.
    pub registry: Option<String>,
}

impl RuntimeConfig {
    /// The dependency this table describes, or why it describes none.
    pub fn dependency(&self) -> std::result::Result<RuntimeDependency, String> {
        let pins = [&self.rev, &self.tag, &self.branch]
            .iter()
            .filter(|p| p.is_some())
            .count();
        match (&self.path, &self.git, &self.version) {
            (Some(path), None, None) if pins == 0 && self.registry.is_none() => {
                Ok(RuntimeDependency::path(path.clone()))
            }
            (None, Some(git), None) if pins <= 1 && self.registry.is_none() => Ok(RuntimeDependency::Git {
                git: git.clone(),
                rev: self.rev.clone(),
                tag: self.tag.clone(),
                branch: self.branch.clone(),
            }),
            (None, None, Some(version)) if pins == 0 => Ok(RuntimeDependency::Registry {
                version: version.clone(),
                registry: self.registry.clone(),
            }),
            _ => Err(
                "[runtime] takes exactly one of `path`, `git` (with at most one of `rev`, `tag`, `branch`) \
                 or `version` (with an optional `registry`)"
                    .to_owned(),
            ),
        }
    }
}

/// One server preset.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Base URL.
    pub url: String,
    /// Preset name (becomes an enum variant).
    pub name: String,
    /// Documentation.
    pub description: Option<String>,
}

/// The API-version header.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct VersionHeaderConfig {
    /// Header name.
    pub header: String,
    /// Value sent by default.
    pub default: String,
    /// Value that opts into beta operations.
    pub beta: Option<String>,
}

impl Config {
    /// Reads a configuration file; its `overlays` come back relative to the
    /// current folder, as the file's folder joined with what it says.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|err| Error::Config {
            path: path.to_path_buf(),
            message: err.to_string(),
        })?;
        let mut config: Self = toml::from_str(&text).map_err(|err| Error::Config {
            path: path.to_path_buf(),
            message: err.to_string(),
        })?;
        let folder = path.parent().unwrap_or(Path::new(""));
        for overlay in &mut config.overlays {
            *overlay = folder.join(&*overlay);
        }
        for example in &mut config.examples {
            *example = folder.join(&*example);
        }
        if let Some(runtime) = &config.runtime {
            runtime.dependency().map_err(|message| Error::Config {
                path: path.to_path_buf(),
                message,
            })?;
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runtime(text: &str) -> std::result::Result<RuntimeDependency, String> {
        let config: RuntimeConfig = toml::from_str(text).map_err(|err| err.to_string())?;
        config.dependency()
    }

    #[test]
    fn overlays_are_relative_to_the_configuration_file() {
        let folder = std::env::temp_dir().join(format!("apigen-config-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join("codegen.toml");
        std::fs::write(&path, "overlays = [\"fixes/b.yaml\", \"a.json\", \"/abs/c.yaml\"]\n").unwrap();
        let config = Config::load(&path).unwrap();
        std::fs::remove_dir_all(&folder).unwrap();
        assert_eq!(
            config.overlays,
            [
                folder.join("fixes/b.yaml"),
                folder.join("a.json"),
                PathBuf::from("/abs/c.yaml")
            ]
        );
        assert_eq!(Config::default().overlays, Vec::<PathBuf>::new());
    }

    #[test]
    fn the_runtime_table_names_exactly_one_source() {
        assert_eq!(runtime("path = \"../rt\""), Ok(RuntimeDependency::path("../rt")));
        assert!(matches!(
            runtime("git = \"https://example.com/a.git\"\nrev = \"abc\""),
            Ok(RuntimeDependency::Git { rev: Some(_), .. })
        ));
        assert!(matches!(
            runtime("version = \"0.1\""),
            Ok(RuntimeDependency::Registry { .. })
        ));
        assert!(runtime("path = \"a\"\nversion = \"0.1\"").is_err());
        assert!(runtime("git = \"x\"\nrev = \"a\"\ntag = \"b\"").is_err());
        assert!(runtime("").is_err());
        assert!(runtime("revv = \"a\"").is_err(), "unknown keys are refused");
    }
}
