//! Generator speed: wall time, phases and peak memory of `cargo xtask
//! codegen`, run by the release binary in a fresh process per run.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use super::machine::peak_rss_kib;
use super::{BenchArgs, Section, median, release_xtask, verdict};

/// Full-spec targets: wall seconds and peak MB.
const TARGET_WALL_S: f64 = 0.4;
const TARGET_PEAK_MB: f64 = 200.0;

/// The full LaunchDarkly spec, relative to the workspace root.
pub(super) const FULL_SPEC: &str = "../shared/specs/launchdarkly-full-3.0.3.yaml";

struct Spec {
    label: &'static str,
    args: &'static [&'static str],
}

const SPECS: [Spec; 2] = [
    Spec {
        label: "spec/launchdarkly.yaml (seed)",
        args: &["--out", "target/bench/gen/seed", "--standalone"],
    },
    Spec {
        label: "launchdarkly-full-3.0.3.yaml (full API)",
        args: &[
            "--spec",
            FULL_SPEC,
            "--out",
            "target/bench/gen/full",
            "--crate-name",
            "launchdarkly-full",
            "--standalone",
        ],
    },
];

/// What one child run reported.
#[derive(Debug, Clone, Default, PartialEq)]
struct RunReport {
    wall_ms: f64,
    peak_kib: f64,
    phases: Vec<(String, f64)>,
    summary: String,
}

/// `xtask bench-child <codegen args>`: runs the codegen command once and
/// prints its summary plus a `bench-child: peak_kib=N` line.
pub(super) fn child(root: &Path, args: &[String]) -> Result<()> {
    let options = xtask::CodegenArgs::parse(args)?;
    let summary = xtask::codegen(root, &options)?;
    print!("{summary}");
    let peak = peak_rss_kib().context("no VmHWM in /proc/self/status")?;
    println!("bench-child: peak_kib={peak}");
    Ok(())
}

/// Builds the release binary, then alternates the specs for `args.runs` runs each.
pub(super) fn run(root: &Path, args: &BenchArgs) -> Result<Section> {
    if !root.join(FULL_SPEC).is_file() {
        bail!("{FULL_SPEC} is missing: the generator benchmark needs the shared folder next to the checkout");
    }
    let binary = release_xtask(root, "generator")?;

    let mut results: Vec<Vec<RunReport>> = vec![Vec::new(); SPECS.len()];
    // One untimed run each writes the output folders and warms the page cache.
    for round in 0..=args.runs {
        for (i, spec) in SPECS.iter().enumerate() {
            let report = run_child(root, &binary, spec.args)?;
            if round > 0 {
                println!(
                    "generator: {} run {round}: {:.0} ms, peak {:.0} MiB",
                    spec.label,
                    report.wall_ms,
                    report.peak_kib / 1024.0
                );
                results[i].push(report);
            }
        }
    }

    let mut md = format!(
        "Release binary (`target/release/xtask bench-child`, the code path of `cargo xtask codegen`), \
         one fresh process per run, {} runs per spec alternating with the other spec; medians. \
         Wall is measured from outside (process start to exit: read, generate, compare and write, exit); \
         phases are the generator's own `Timings`; peak memory is the child's VmHWM.\n\n",
        args.runs
    );
    md.push_str("| spec | output | wall (median, min–max) | parse | normalise | IR | emit | format | peak memory |\n");
    md.push_str("|---|---|---|---|---|---|---|---|---|\n");
    let mut full_wall = f64::NAN;
    let mut full_peak_mb = f64::NAN;
    for (spec, runs) in SPECS.iter().zip(&results) {
        let walls: Vec<f64> = runs.iter().map(|r| r.wall_ms).collect();
        let peaks: Vec<f64> = runs.iter().map(|r| r.peak_kib).collect();
        let phase = |name: &str| {
            let values: Vec<f64> = runs
                .iter()
                .filter_map(|r| r.phases.iter().find(|(n, _)| n == name).map(|(_, v)| *v))
                .collect();
            let ms = median(&values);
            if ms < 10.0 {
                format!("{ms:.1} ms")
            } else {
                format!("{ms:.0} ms")
            }
        };
        let wall = median(&walls);
        let peak_mb = median(&peaks) / 1024.0;
        if spec.label.contains("full") {
            full_wall = wall / 1000.0;
            full_peak_mb = peak_mb;
        }
        let min = walls.iter().copied().fold(f64::INFINITY, f64::min);
        let max = walls.iter().copied().fold(0.0, f64::max);
        let output = runs.first().map(|r| output_summary(&r.summary)).unwrap_or_default();
        md.push_str(&format!(
            "| {} | {output} | **{wall:.0} ms** ({min:.0}–{max:.0}) | {} | {} | {} | {} | {} | **{peak_mb:.0} MiB** |\n",
            spec.label,
            phase("parse"),
            phase("normalise"),
            phase("IR"),
            phase("emit"),
            phase("format"),
        ));
    }
    md.push_str(&format!(
        "\nTargets (full spec): wall ≤ {TARGET_WALL_S} s: {} ({full_wall:.2} s); peak ≤ {TARGET_PEAK_MB:.0} MB: {} ({full_peak_mb:.0} MiB).\n",
        verdict(full_wall, TARGET_WALL_S),
        verdict(full_peak_mb * 1.048_576, TARGET_PEAK_MB),
    ));
    Ok(Section {
        name: "generator",
        markdown: md,
    })
}

fn run_child(root: &Path, binary: &Path, args: &[&str]) -> Result<RunReport> {
    let start = Instant::now();
    let output = Command::new(binary)
        .current_dir(root)
        .arg("bench-child")
        .args(args)
        .output()
        .with_context(|| format!("starting {}", binary.display()))?;
    let wall_ms = start.elapsed().as_secs_f64() * 1e3;
    if !output.status.success() {
        bail!(
            "xtask bench-child {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut report = parse_child(&stdout)?;
    report.wall_ms = wall_ms;
    Ok(report)
}

/// Reads the `phases:` line of the codegen summary and the `bench-child:` line.
fn parse_child(stdout: &str) -> Result<RunReport> {
    let mut report = RunReport {
        summary: stdout.lines().next().unwrap_or_default().to_owned(),
        ..RunReport::default()
    };
    let phases = stdout
        .lines()
        .find_map(|line| line.strip_prefix("phases:"))
        .context("the codegen summary has no `phases:` line")?;
    // "parse 292.4 ms, normalise 98.4 ms, IR 49.0 ms, emit 1262.0 ms, format 180.8 ms; total 2016.1 ms"
    for part in phases.split([',', ';']) {
        let words: Vec<&str> = part.split_whitespace().collect();
        if let [name, value, "ms"] = words[..] {
            let value: f64 = value.parse().with_context(|| format!("phase `{name}`: `{value}`"))?;
            report.phases.push((name.to_owned(), value));
        }
    }
    if report.phases.len() < 5 {
        bail!("could not read the phases from `{phases}`");
    }
    report.peak_kib = stdout
        .lines()
        .find_map(|line| line.strip_prefix("bench-child: peak_kib="))
        .and_then(|kib| kib.trim().parse().ok())
        .context("the child did not report its peak memory")?;
    Ok(report)
}

/// "348 operations, 745 types, 6 files (93472 lines)" from the summary's first line.
fn output_summary(first_line: &str) -> String {
    first_line
        .split_once(": ")
        .map(|(_, rest)| rest.split(" in ").next().unwrap_or(rest).to_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_child_report() {
        let stdout = "spec/x.yaml: 1 operations, 16 types, 6 files (937 lines) in target/bench/gen/seed\n\
             phases: parse 2.4 ms, normalise 0.4 ms, IR 0.2 ms, emit 12.0 ms, format 1.8 ms; total 20.1 ms\n\
             not represented exactly: 0\nbench-child: peak_kib=10240\n";
        let report = parse_child(stdout).unwrap();
        assert_eq!(report.peak_kib, 10240.0);
        assert_eq!(report.phases[0], ("parse".to_owned(), 2.4));
        assert_eq!(report.phases[4], ("format".to_owned(), 1.8));
        assert_eq!(report.phases[5], ("total".to_owned(), 20.1));
        assert_eq!(
            output_summary(&report.summary),
            "1 operations, 16 types, 6 files (937 lines)"
        );
        assert!(parse_child("nothing\n").is_err());
    }
}
