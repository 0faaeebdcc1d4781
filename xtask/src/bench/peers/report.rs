//! The Markdown of the peers section.

use super::compile::Outcome;
use super::generate::Timing;
use super::install::{PEER_VERSION, Peer};
use super::{ONE_TAG, OURS, PEER, PEER_EXTRA_FLAGS};
use crate::bench::generator::FULL_SPEC;
use crate::bench::{median, verdict};

/// Ours should generate at least this many times faster than the peer.
const TARGET_SPEEDUP: f64 = 40.0;
/// Our `cargo check` as a fraction of the peer's, at most.
const TARGET_CHECK_RATIO: f64 = 0.35;
/// The one-tag check as a fraction of our full check, at most.
const TARGET_ONE_TAG: f64 = 0.05;

/// Everything a measured section reports.
pub(super) struct Figures<'a> {
    pub peer: &'a Peer,
    pub runs: usize,
    pub compile_runs: usize,
    /// Generation timings, ours then the peer's.
    pub generation: &'a [Vec<Timing>],
    /// `.rs` files and lines of each generated crate, ours then the peer's.
    pub sizes: [(usize, usize); 2],
    /// `cargo check`, ours then the peer's.
    pub check: [Outcome; 2],
    /// `cargo build`, ours then the peer's.
    pub build: [Outcome; 2],
    /// `cargo check` of ours with one tag's feature only.
    pub one_tag: Outcome,
}

/// The section when the peer could not be installed or run.
pub(super) fn skipped(reason: &str) -> String {
    format!(
        "**Skipped**: {reason}.\n\nThis section needs Java (17 or newer), Python 3 with `venv` and \
         access to PyPI for `openapi-generator-cli=={PEER_VERSION}`; rerun \
         `cargo xtask bench --peers --only peers` where they are available.\n"
    )
}

/// The section with figures.
pub(super) fn measured(f: &Figures<'_>) -> String {
    let flags = if PEER_EXTRA_FLAGS.is_empty() {
        "no further flags were needed".to_owned()
    } else {
        format!("with `{}`", PEER_EXTRA_FLAGS.join(" "))
    };
    let mut md = format!(
        "Peer: openapi-generator {PEER_VERSION}, `rust` generator, from PyPI's `openapi-generator-cli` \
         (the bundled jar; {}) on {}. Spec: `{FULL_SPEC}` for both.\n\n\
         **Generation.** Ours: `target/release/xtask codegen --spec {FULL_SPEC} --out target/bench/peers/ours \
         --crate-name {OURS} --standalone`; peer: `openapi-generator-cli generate -g rust -i {FULL_SPEC} \
         -o target/bench/peers/peer --package-name {PEER}` ({flags}). One untimed run each, then {} \
         each, alternating, every run into an emptied folder. Wall is measured from outside (process start to \
         exit, so the peer's includes its Python launcher and JVM start-up); CPU is user + system time of the \
         process and its children.\n\n",
        f.peer.install_note,
        f.peer.java,
        runs(f.runs),
    );
    md.push_str("| generator | generated crate | wall (median, min–max) | CPU (median) |\n|---|---|---|---|\n");
    let labels = ["ours".to_owned(), format!("openapi-generator {PEER_VERSION} (`rust`)")];
    let mut walls = [f64::NAN; 2];
    let mut cpus = [f64::NAN; 2];
    for (i, runs) in f.generation.iter().enumerate().take(2) {
        let wall: Vec<f64> = runs.iter().map(|t| t.wall).collect();
        let cpu: Vec<f64> = runs.iter().map(|t| t.cpu).collect();
        let (min, max) = wall
            .iter()
            .fold((f64::INFINITY, 0.0_f64), |(lo, hi), &w| (lo.min(w), hi.max(w)));
        walls[i] = median(&wall);
        cpus[i] = median(&cpu);
        let (files, lines) = f.sizes[i];
        md.push_str(&format!(
            "| {} | {files} .rs files, {lines} lines | **{:.2} s** ({min:.2}–{max:.2}) | {:.2} s |\n",
            labels[i], walls[i], cpus[i]
        ));
    }
    let speedup = walls[1] / walls[0];
    md.push_str(&format!(
        "\nOurs is **{speedup:.1}× faster** (peer ÷ ours, median wall) and uses {:.1}× less CPU. \
         Target ≥ {TARGET_SPEEDUP:.0}×: {}.\n\n",
        cpus[1] / cpus[0],
        if speedup >= TARGET_SPEEDUP { "met" } else { "**missed**" }
    ));

    md.push_str(&format!(
        "**Compile.** Each crate has its own target folder under `target/bench/peers/`; ours uses the \
         workspace `Cargo.lock`, the peer's crate resolves its own dependencies with its default features. \
         One untimed run of each command builds the dependencies; each timed run is `cargo clean -p NAME` \
         and then the command with `CARGO_INCREMENTAL=0` (dev profile), the five commands alternating; \
         {} per command, cargo's start-up included.\n\n",
        if f.compile_runs == 1 {
            "one run".to_owned()
        } else {
            format!("medians of {}", runs(f.compile_runs))
        }
    ));
    md.push_str("| crate | `cargo check` | `cargo build` | rustc warnings |\n|---|---|---|---|\n");
    for (i, name) in [OURS, PEER].into_iter().enumerate() {
        let who = if i == 0 { "ours" } else { "peer" };
        md.push_str(&format!(
            "| {who} (`{name}`) | {} | {} | {} |\n",
            cell(&f.check[i]),
            cell(&f.build[i]),
            warnings(&f.check[i]),
        ));
    }
    let full_check = median(&f.check[0].times);
    let one_tag = median(&f.one_tag.times);
    let one_tag_cell = match &f.one_tag.unavailable {
        Some(_) => cell(&f.one_tag),
        None => format!(
            "{} ({:.1} % of the full check)",
            cell(&f.one_tag),
            one_tag / full_check * 100.0
        ),
    };
    md.push_str(&format!(
        "| ours, one tag (`--no-default-features --features {ONE_TAG}`) | {one_tag_cell} | — | {} |\n",
        warnings(&f.one_tag)
    ));

    let check_ratio = ratio(&f.check);
    let build_ratio = ratio(&f.build);
    md.push_str(&format!(
        "\nRatios ours ÷ peer: check {}; build {}. One tag: {}.\n",
        match check_ratio {
            Some(r) => format!(
                "**{r:.2}** (target ≤ {TARGET_CHECK_RATIO}: {})",
                verdict(r, TARGET_CHECK_RATIO)
            ),
            None => "not available".to_owned(),
        },
        build_ratio.map_or_else(|| "not available".to_owned(), |r| format!("**{r:.2}**")),
        match f.one_tag.unavailable {
            Some(_) => "not available".to_owned(),
            None => format!(
                "**{:.1} %** of the full check (target ≤ {:.0} %: {})",
                one_tag / full_check * 100.0,
                TARGET_ONE_TAG * 100.0,
                verdict(one_tag / full_check, TARGET_ONE_TAG)
            ),
        },
    ));
    md
}

/// "1 run" or "N runs".
fn runs(n: usize) -> String {
    if n == 1 {
        "1 run".to_owned()
    } else {
        format!("{n} runs")
    }
}

/// A table cell: the median time, or why there is none.
fn cell(outcome: &Outcome) -> String {
    match &outcome.unavailable {
        Some(reason) => format!("not available: {}", reason.replace('|', "\\|")),
        None => format!("**{:.1} s**", median(&outcome.times)),
    }
}

/// The rustc warnings cell.
fn warnings(outcome: &Outcome) -> String {
    match (&outcome.unavailable, outcome.warnings) {
        (Some(_), _) => "—".to_owned(),
        (None, n) => n.unwrap_or(0).to_string(),
    }
}

/// Ours ÷ peer of the medians, when both ran.
fn ratio(pair: &[Outcome; 2]) -> Option<f64> {
    let [ours, peer] = pair;
    (ours.unavailable.is_none() && peer.unavailable.is_none()).then(|| median(&ours.times) / median(&peer.times))
}
