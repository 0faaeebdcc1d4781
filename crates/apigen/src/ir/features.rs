//! Cargo features of the generated crate: one per tag, each compiling that
//! tag's operations and exactly the types they reach.

use std::collections::BTreeSet;

use serde::Serialize;

/// A Cargo feature of the generated crate, which compiles the operations of
/// its tags.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Feature {
    /// The feature's name in `Cargo.toml`, such as `access-tokens`.
    pub name: String,
    /// The Rust module, inside each of `types`, `operations`, `errors`,
    /// `paths` and `mock`, that holds the items only this feature compiles, such as
    /// `access_tokens`. The module is declared under the feature's `cfg`, so
    /// a build without the feature does not even read its files.
    pub module: String,
    /// The tags it stands for, as written; several when their names agree
    /// after conversion (`Access tokens` and `access-tokens`).
    pub tags: Vec<String>,
    /// Client method names of its operations, sorted.
    pub operations: Vec<String>,
}

/// Two or more features that some items are compiled with (any one of
/// them): those items live in a module of their own, inside each of
/// `types`, `operations`, `errors`, `paths` and `mock`, declared under the
/// group's `cfg`, so a build with none of the features does not read it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FeatureGroup {
    /// The Rust module, such as `shared_1`.
    pub module: String,
    /// The features.
    pub gate: FeatureGate,
}

/// Which features compile an item: it is compiled when any one of them is
/// enabled. An empty gate compiles the item always, which is what an
/// untagged operation, and every type it reaches, gets.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct FeatureGate {
    /// Feature names, sorted.
    pub any_of: BTreeSet<String>,
}

impl FeatureGate {
    /// Whether the item is compiled whatever the features.
    pub fn is_always(&self) -> bool {
        self.any_of.is_empty()
    }

    /// The one feature that compiles the item, if exactly one does: the item
    /// then lives in that feature's module (`Feature::module`). Items
    /// compiled by several features live in their group's module
    /// (`FeatureGroup`), items compiled always in the shared module.
    pub fn home(&self) -> Option<&str> {
        match self.any_of.len() {
            1 => self.any_of.first().map(String::as_str),
            _ => None,
        }
    }
}
