//! Compile cost side by side: `cargo check` and `cargo build` of each
//! generated crate with its dependencies built beforehand, non-incremental,
//! the jobs alternating round by round.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result};

use super::install::last_line;
use crate::bench::checked_output;

/// One timed command: a cargo verb with arguments on one crate.
pub(super) struct Job {
    /// Row label in the report.
    pub label: &'static str,
    /// The package name, for `cargo clean -p`.
    pub package: &'static str,
    /// The crate folder.
    pub dir: PathBuf,
    /// The crate's own `CARGO_TARGET_DIR`.
    pub target: PathBuf,
    /// `check` or `build` and their flags.
    pub args: Vec<&'static str>,
    /// Whether a failure of the untimed first run is reported as "not
    /// available" instead of failing the section: for the peer's crate,
    /// third-party output. A failure of our own crate fails the section.
    pub may_fail: bool,
}

/// What became of a job.
pub(super) struct Outcome {
    /// Seconds of each timed run; empty when not available.
    pub times: Vec<f64>,
    /// Why the job could not run, if it could not.
    pub unavailable: Option<String>,
    /// Warnings rustc reported for the crate itself in the untimed run.
    pub warnings: Option<usize>,
}

/// Runs every job once untimed (building the dependencies, and finding out
/// whether it works at all), then `runs` rounds of `cargo clean -p` plus the
/// timed command, alternating between the jobs that work.
pub(super) fn time_all(jobs: &[Job], runs: usize) -> Result<Vec<Outcome>> {
    let mut outcomes = Vec::new();
    for job in jobs {
        println!(
            "peers: building the dependencies of {} (cargo {})",
            job.label,
            job.args.join(" ")
        );
        let output = cargo_in(job, &job.args)
            .output()
            .with_context(|| format!("starting cargo for {}", job.label))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        let unavailable = if output.status.success() {
            None
        } else if job.may_fail {
            let reason = first_error(&stderr).to_owned();
            println!("peers: {} is not available: {reason}", job.label);
            Some(reason)
        } else {
            anyhow::bail!("cargo {} of {} failed:\n{stderr}", job.args.join(" "), job.label);
        };
        outcomes.push(Outcome {
            times: Vec::new(),
            unavailable,
            warnings: warning_count(&stderr, job.package),
        });
    }

    for round in 1..=runs {
        for (job, outcome) in jobs.iter().zip(&mut outcomes) {
            if outcome.unavailable.is_some() {
                continue;
            }
            checked_output(
                &mut cargo_in(job, &["clean", "--quiet", "-p", job.package]),
                &format!("cargo clean -p {}", job.package),
            )?;
            let mut args = job.args.clone();
            args.push("--quiet");
            let start = Instant::now();
            checked_output(
                &mut cargo_in(job, &args),
                &format!("cargo {} of {}", job.args.join(" "), job.label),
            )?;
            let secs = start.elapsed().as_secs_f64();
            println!("peers: {} run {round}: {secs:.1} s", job.label);
            outcome.times.push(secs);
        }
    }
    Ok(outcomes)
}

/// `cargo ARGS` in the job's crate with its own target folder, non-incremental.
fn cargo_in(job: &Job, args: &[&str]) -> Command {
    crate::bench::cargo_in(&job.dir, &job.target, args)
}

/// The first `error` line cargo printed, else its last line.
fn first_error(stderr: &str) -> &str {
    stderr
        .lines()
        .map(str::trim)
        .find(|line| line.starts_with("error"))
        .unwrap_or_else(|| last_line(stderr))
}

/// N from cargo's "warning: `NAME` (lib) generated N warnings" summary.
fn warning_count(stderr: &str, package: &str) -> Option<usize> {
    let prefix = format!("warning: `{package}` (lib) generated ");
    stderr
        .lines()
        .find_map(|line| line.trim().strip_prefix(prefix.as_str()))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cargo_messages() {
        let stderr = "   Compiling x\nwarning: `launchdarkly-peer` (lib) generated 12 warnings (run `cargo fix`)\n";
        assert_eq!(warning_count(stderr, "launchdarkly-peer"), Some(12));
        assert_eq!(warning_count(stderr, "launchdarkly-full"), None);
        let rejected = "error: Package `launchdarkly-full v0.1.0` does not have the feature `access-tokens`\n";
        assert_eq!(
            first_error(rejected),
            "error: Package `launchdarkly-full v0.1.0` does not have the feature `access-tokens`"
        );
        assert_eq!(first_error("a\nlast words\n"), "last words");
    }
}
