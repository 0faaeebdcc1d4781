//! How the crate's large modules (`types`, `operations`, `errors`, `paths`,
//! `mock`) are split into files along the Cargo features.
//!
//! An item that exactly one feature compiles lives in that feature's
//! submodule (`src/types/access_tokens.rs`), whose `mod` line carries the
//! feature's `cfg`; an item that several features compile lives in the
//! submodule of that group of features (`src/types/shared_1.rs`, under
//! `cfg(any(...))`). The shared file (`src/types.rs`) holds the items
//! compiled always and re-exports every submodule's items, so paths such as
//! `crate::types::Token` do not depend on the layout. A build then reads
//! only the files of the features it enables: with one tag of a large API
//! enabled, reading and parsing the source of all the others was most of
//! the build's time.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{cfg_gate, gated, ident};
use crate::ir::{Api, Feature, FeatureGate, FeatureGroup};

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

    /// The submodules of this module that hold at least one item: the
    /// features' (in the order of `api.features`, sorted by name), then the
    /// groups' (in the order of `api.feature_groups`).
    pub(super) fn submodules(self, api: &Api) -> Vec<Part<'_>> {
        let gates: BTreeSet<&FeatureGate> = match self {
            Self::Types => super::types::gates(&api.types).collect(),
            Self::Operations => super::operations::gates(api).collect(),
            Self::Errors => super::errors::gates(api).collect(),
            Self::Paths => super::paths::gates(&api.types).collect(),
            Self::Mock => super::mock::gates(api).collect(),
        };
        let homes: BTreeSet<&str> = gates.iter().filter_map(|gate| gate.home()).collect();
        let features = api
            .features
            .iter()
            .filter(|feature| homes.contains(feature.name.as_str()))
            .map(Part::Feature);
        let groups = api
            .feature_groups
            .iter()
            .filter(|group| gates.contains(&group.gate))
            .map(Part::Group);
        features.chain(groups).collect()
    }
}

/// Which file of a split module is being written.
#[derive(Debug, Clone, Copy)]
pub(super) enum Part<'a> {
    /// The module's own file: the items compiled always.
    Shared,
    /// The file of one feature's submodule.
    Feature(&'a Feature),
    /// The file of a group of features' submodule.
    Group(&'a FeatureGroup),
}

impl Part<'_> {
    /// Whether an item compiled with `gate` is written in this part.
    pub(super) fn holds(&self, gate: &FeatureGate) -> bool {
        match self {
            Part::Shared => gate.is_always(),
            Part::Feature(feature) => gate.home() == Some(feature.name.as_str()),
            Part::Group(group) => *gate == group.gate,
        }
    }

    /// `items` with the `cfg` of `gate` where this part needs one: in a
    /// submodule the `mod` line carries it, once for all.
    pub(super) fn gated(&self, gate: &FeatureGate, items: TokenStream) -> TokenStream {
        match self {
            Part::Shared => gated(gate, items),
            Part::Feature(_) | Part::Group(_) => items,
        }
    }

    /// The path of this part's file, relative to the crate folder.
    pub(super) fn path(&self, module: SplitModule) -> String {
        match self {
            Part::Shared => format!("src/{}.rs", module.name()),
            Part::Feature(feature) => format!("src/{}/{}.rs", module.name(), feature.module),
            Part::Group(group) => format!("src/{}/{}.rs", module.name(), group.module),
        }
    }

    /// The submodule's name and the features that compile it; nothing for
    /// the shared part.
    fn submodule(&self) -> Option<(&str, FeatureGate)> {
        match self {
            Part::Shared => None,
            Part::Feature(feature) => Some((
                &feature.module,
                FeatureGate {
                    any_of: BTreeSet::from([feature.name.clone()]),
                },
            )),
            Part::Group(group) => Some((&group.module, group.gate.clone())),
        }
    }
}

/// What a shared file ends with: each submodule under its `cfg`, and the
/// re-export of its items.
pub(super) fn submodules(parts: &[Part<'_>]) -> TokenStream {
    let declarations = parts.iter().filter_map(Part::submodule).map(|(module, gate)| {
        let module = ident(module);
        let cfg = cfg_gate(&gate);
        quote! {
            #cfg
            #[rustfmt::skip]
            mod #module;
            #cfg
            pub use self::#module::*;
        }
    });
    quote! { #( #declarations )* }
}

/// What a submodule's file starts with.
pub(super) fn submodule_preamble(module: SplitModule, part: &Part<'_>) -> TokenStream {
    let name = module.name();
    let doc = match part {
        Part::Shared => return TokenStream::new(),
        Part::Feature(feature) => format!(
            " The items of `{name}` that only the `{}` feature compiles; `{name}` re-exports them all.",
            feature.name
        ),
        Part::Group(group) => {
            let features: Vec<String> = group.gate.any_of.iter().map(|f| format!("`{f}`")).collect();
            format!(
                " The items of `{name}` that any one of the features {} compiles; `{name}` re-exports them all.",
                features.join(", ")
            )
        }
    };
    quote! {
        #![doc = #doc]
        // The docs the generator writes link to items by their bare names
        // (`[`Token`]`), which may live in the shared module or in another
        // submodule.
        #[allow(unused_imports)]
        use super::*;
    }
}
