//! Conventions of an API that its OpenAPI document states only in prose,
//! read from a small TOML file next to the spec (`spec/codegen.toml`).

use std::path::Path;

use serde::Deserialize;

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
    /// Reads a configuration file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|err| Error::Config {
            path: path.to_path_buf(),
            message: err.to_string(),
        })?;
        toml::from_str(&text).map_err(|err| Error::Config {
            path: path.to_path_buf(),
            message: err.to_string(),
        })
    }
}
