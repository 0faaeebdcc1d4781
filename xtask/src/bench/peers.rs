//! Side by side with openapi-generator: our generator and the crate it writes
//! against openapi-generator's `rust` generator and its crate, on the full
//! LaunchDarkly spec, measured alternately in one run and given as ratios.
//!
//! The peer comes from PyPI (`openapi-generator-cli`, which bundles the jar)
//! into a virtual environment under `target/bench/peers/venv` and runs on the
//! machine's Java; when either is missing the section is skipped with the
//! reason, since it depends on things outside the workspace.

mod compile;
mod generate;
mod install;
mod report;

use std::path::Path;

use anyhow::{Context, Result, bail};

use super::generator::FULL_SPEC;
use super::{BenchArgs, Section, release_xtask, target_dir};
use compile::Job;
use generate::Generator;
use install::Install;

/// Package names of the two generated crates.
const OURS: &str = "launchdarkly-full";
const PEER: &str = "launchdarkly-peer";

/// The Cargo feature of one OpenAPI tag, for the one-tag build of our crate.
const ONE_TAG: &str = "access-tokens";

/// Flags the peer needs on this spec beyond `-g rust -i SPEC -o DIR
/// --package-name NAME`; 7.26.0 generates the full spec without any.
const PEER_EXTRA_FLAGS: [&str; 0] = [];

/// Runs the section, or reports why it was skipped.
pub(super) fn run(root: &Path, args: &BenchArgs) -> Result<Section> {
    if !root.join(FULL_SPEC).is_file() {
        bail!("{FULL_SPEC} is missing: the peers benchmark needs the shared folder next to the checkout");
    }
    let bench = target_dir(root).join("bench").join("peers");
    std::fs::create_dir_all(&bench).with_context(|| format!("creating {}", bench.display()))?;
    let peer = match install::ensure(&bench.join("venv"))? {
        Install::Ready(peer) => peer,
        Install::Unavailable(reason) => {
            println!("peers: skipped: {reason}");
            return Ok(Section {
                name: "peers",
                markdown: report::skipped(&reason),
            });
        }
    };

    let ours_program = release_xtask(root, "peers")?;
    let ours_dir = bench.join("ours");
    let peer_dir = bench.join("peer");
    let mut peer_args: Vec<String> = ["generate", "-g", "rust", "-i", FULL_SPEC, "-o"]
        .map(String::from)
        .into();
    peer_args.push(peer_dir.display().to_string());
    peer_args.extend(["--package-name", PEER].map(String::from));
    peer_args.extend(PEER_EXTRA_FLAGS.map(String::from));
    let mut ours_args: Vec<String> = ["codegen", "--spec", FULL_SPEC, "--out"].map(String::from).into();
    ours_args.push(ours_dir.display().to_string());
    ours_args.extend(["--crate-name", OURS, "--standalone"].map(String::from));
    let generators = [
        Generator {
            label: "ours".to_owned(),
            program: ours_program,
            args: ours_args,
            out: ours_dir.clone(),
        },
        Generator {
            label: format!("openapi-generator {}", install::PEER_VERSION),
            program: peer.cli.clone(),
            args: peer_args,
            out: peer_dir.clone(),
        },
    ];
    let generation = generate::time_all(root, &generators, args.peer_runs)?;

    // The workspace lock file pins the versions our crate is tested with; the
    // peer's crate resolves its own, as its users' would.
    std::fs::copy(root.join("Cargo.lock"), ours_dir.join("Cargo.lock"))
        .with_context(|| format!("copying Cargo.lock into {}", ours_dir.display()))?;
    detach_from_workspace(&peer_dir.join("Cargo.toml"))?;
    let sizes = [
        super::compile::count_lines(&ours_dir.join("src"))?,
        super::compile::count_lines(&peer_dir.join("src"))?,
    ];

    let ours_target = bench.join("ours-target");
    let peer_target = bench.join("peer-target");
    let job = |label, package, dir: &Path, target: &Path, args: &[&'static str], may_fail| Job {
        label,
        package,
        dir: dir.to_path_buf(),
        target: target.to_path_buf(),
        args: args.to_vec(),
        may_fail,
    };
    // The order alternates the crates within each round.
    let jobs = [
        job("ours, check", OURS, &ours_dir, &ours_target, &["check"], false),
        job("peer, check", PEER, &peer_dir, &peer_target, &["check"], true),
        job(
            "ours one tag, check",
            OURS,
            &ours_dir,
            &ours_target,
            &["check", "--no-default-features", "--features", ONE_TAG],
            false,
        ),
        job("ours, build", OURS, &ours_dir, &ours_target, &["build"], false),
        job("peer, build", PEER, &peer_dir, &peer_target, &["build"], true),
    ];
    let compiled = compile::time_all(&jobs, args.compile_runs)?;
    let [ours_check, peer_check, one_tag, ours_build, peer_build] = <[_; 5]>::try_from(compiled)
        .map_err(|rest: Vec<_>| anyhow::anyhow!("expected five compile results, got {}", rest.len()))?;

    Ok(Section {
        name: "peers",
        markdown: report::measured(&report::Figures {
            peer: &peer,
            runs: args.peer_runs,
            compile_runs: args.compile_runs,
            generation: &generation,
            sizes,
            check: [ours_check, peer_check],
            build: [ours_build, peer_build],
            one_tag,
        }),
    })
}

/// Gives the peer's crate an empty `[workspace]` table: it is written under
/// our `target/`, inside this workspace, which cargo would otherwise refuse.
fn detach_from_workspace(manifest: &Path) -> Result<()> {
    let text = std::fs::read_to_string(manifest).with_context(|| format!("reading {}", manifest.display()))?;
    if text.lines().any(|line| line.trim() == "[workspace]") {
        return Ok(());
    }
    std::fs::write(manifest, format!("{text}\n[workspace]\n"))
        .with_context(|| format!("writing {}", manifest.display()))
}
