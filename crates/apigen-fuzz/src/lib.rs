//! Fuzz targets for apigen: the generator and the runtime's response path
//! take input from strangers (any vendor's spec, any server's answer), so
//! each target runs one input through the real code and checks the
//! invariants that input must keep, not only that nothing panicked.
//!
//! A target returns `Err` with a description when an invariant breaks; the
//! binary turns that into a panic, which the fuzzer records as a crash.
//! [`Target::run`] is the one entry point for the AFL++ loop
//! (`cargo xtask fuzz`), for replaying saved inputs, and for the regression
//! tests, so a crash found by the fuzzer replays the same way everywhere.

pub mod generator;
pub mod overlay;
pub mod params;
pub mod patch;
pub mod refs;
pub mod response;
pub mod seeds;

use std::alloc::System;
use std::fmt;
use std::str::FromStr;

use cap::Cap;

/// The allocator of every program that links this crate: the system's,
/// counted, so that the response target can limit how much a decode may
/// allocate (see [`response::enforce_heap_limit`]). Without a limit set it
/// only counts.
#[global_allocator]
pub static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

/// A place where fuzzed input enters the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A spec's bytes through `load`, `lower` and `emit`.
    Generator,
    /// A status, headers and a body through the LaunchDarkly client's
    /// decoding, under both decode policies.
    Response,
    /// JSON Pointer parsing and JSON Patch validation and application.
    Patch,
    /// An OpenAPI Overlay (its JSONPath targets) applied to a document.
    Overlay,
    /// Parameter styles and form bodies encoded into URL text.
    Params,
    /// A document split over several files, bundled by the loader.
    Refs,
}

impl Target {
    /// Every target, in the order `cargo xtask fuzz --target` lists them.
    pub const ALL: [Target; 6] = [
        Target::Generator,
        Target::Response,
        Target::Patch,
        Target::Overlay,
        Target::Params,
        Target::Refs,
    ];

    /// The name on the command line and in `target/fuzz/<name>/`.
    pub fn name(self) -> &'static str {
        match self {
            Target::Generator => "generator",
            Target::Response => "response",
            Target::Patch => "patch",
            Target::Overlay => "overlay",
            Target::Params => "params",
            Target::Refs => "refs",
        }
    }

    /// Runs one input; `Err` says which invariant it broke.
    pub fn run(self, data: &[u8]) -> Result<(), Violation> {
        match self {
            Target::Generator => generator::run(data),
            Target::Response => response::run(data),
            Target::Patch => patch::run(data),
            Target::Overlay => overlay::run(data),
            Target::Params => params::run(data),
            Target::Refs => refs::run(data),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Target {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Target::ALL
            .into_iter()
            .find(|target| target.name() == name)
            .ok_or_else(|| {
                let names: Vec<_> = Target::ALL.iter().map(|target| target.name()).collect();
                format!("unknown fuzz target `{name}`; the targets are {}", names.join(", "))
            })
    }
}

/// An invariant an input broke: a bug, reported as a crash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation(pub String);

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Violation {}

/// Fails with `message` unless `holds`.
pub(crate) fn ensure(holds: bool, message: impl FnOnce() -> String) -> Result<(), Violation> {
    if holds { Ok(()) } else { Err(Violation(message())) }
}

/// Splits an input into the part before the first NUL byte and the rest, so
/// one input can carry two documents; without a NUL the second part is empty.
pub(crate) fn split_at_nul(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&byte| byte == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[]),
    }
}
