//! How the crate's large modules (`types`, `operations`, `errors`, `paths`,
//! `mock`) are split into files along the Cargo features.
//!
//! An item that exactly one feature compiles lives in that feature's
//! submodule (`src/types/access_tokens.rs`), whose `mod` line carries the
//! feature's `cfg`; the shared file (`src/types.rs`) holds the items compiled
//! always or by several features, each under its own `cfg`, and re-exports
//! every submodule's items, so paths such as `crate::types::Token` do not
//! depend on the layout. A build without a feature then never reads that
//! feature's files: with one tag of a large API enabled, reading and parsing
//! the source of all the others was most of the build's time.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{gated, ident};
use crate::ir::{Api, Feature, FeatureGate};

/// A module of the generated crate that is split into files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SplitModule {
    Types,
    Operations,
    Errors,
    Paths,
    Mock,
}

impl SplitModule {
    /// The module's name in `lib.rs`.
    pub(super) fn name(self) -> &'static str {
        match self {
            Self::Types => "types",
            Self::Operations => "operations",
            Self::Errors => "errors",
            Self::Paths => "paths",
            Self::Mock => "mock",
        }
    }

    /// The features that compile at least one item of this module on their
    /// own, in the order of `api.features` (sorted by name).
    pub(super) fn features(self, api: &Api) -> Vec<&Feature> {
        let homes: BTreeSet<&str> = match self {
            Self::Types => super::types::gates(&api.types).filter_map(FeatureGate::home).collect(),
            Self::Operations => super::operations::gates(api).filter_map(FeatureGate::home).collect(),
            Self::Errors => super::errors::gates(api).filter_map(FeatureGate::home).collect(),
            Self::Paths => super::paths::gates(&api.types).filter_map(FeatureGate::home).collect(),
            Self::Mock => super::mock::gates(api).filter_map(FeatureGate::home).collect(),
        };
        api.features
            .iter()
            .filter(|feature| homes.contains(feature.name.as_str()))
            .collect()
    }
}

/// Which file of a split module is being written.
#[derive(Debug, Clone, Copy)]
pub(super) enum Part<'a> {
    /// The module's own file: items compiled always or by several features.
    Shared,
    /// The file of one feature's submodule.
    Feature(&'a Feature),
}

impl Part<'_> {
    /// Whether an item compiled with `gate` is written in this part.
    pub(super) fn holds(&self, gate: &FeatureGate) -> bool {
        match self {
            Part::Shared => gate.home().is_none(),
            Part::Feature(feature) => gate.home() == Some(feature.name.as_str()),
        }
    }

    /// `items` with the `cfg` of `gate` where this part needs one: in a
    /// feature's submodule the `mod` line carries it, once for all.
    pub(super) fn gated(&self, gate: &FeatureGate, items: TokenStream) -> TokenStream {
        match self {
            Part::Shared => gated(gate, items),
            Part::Feature(_) => items,
        }
    }

    /// The path of this part's file, relative to the crate folder.
    pub(super) fn path(&self, module: SplitModule) -> String {
        match self {
            Part::Shared => format!("src/{}.rs", module.name()),
            Part::Feature(feature) => format!("src/{}/{}.rs", module.name(), feature.module),
        }
    }
}

/// What a shared file ends with: each feature's submodule under its `cfg`,
/// and the re-export of its items.
pub(super) fn submodules(features: &[&Feature]) -> TokenStream {
    let declarations = features.iter().map(|feature| {
        let name = &feature.name;
        let module = ident(&feature.module);
        quote! {
            #[cfg(feature = #name)]
            #[rustfmt::skip]
            mod #module;
            #[cfg(feature = #name)]
            pub use self::#module::*;
        }
    });
    quote! { #( #declarations )* }
}

/// What a feature's submodule file starts with.
pub(super) fn submodule_preamble(module: SplitModule, feature: &Feature) -> TokenStream {
    let doc = format!(
        " The items of `{}` that only the `{}` feature compiles; `{}` re-exports them all.",
        module.name(),
        feature.name,
        module.name()
    );
    quote! {
        #![doc = #doc]
        // The docs the generator writes link to items by their bare names
        // (`[`Token`]`), which may live in the shared module or in another
        // feature's.
        #[allow(unused_imports)]
        use super::*;
    }
}
