//! Generation side by side: our release binary and openapi-generator write a
//! client for the full spec, alternately, each into an emptied folder.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

/// One generator as the bench runs it.
pub(super) struct Generator {
    /// Row label in the report.
    pub label: String,
    /// The program and its arguments.
    pub program: PathBuf,
    pub args: Vec<String>,
    /// The folder it writes, emptied before every run.
    pub out: PathBuf,
}

/// Wall and CPU seconds of one run.
#[derive(Debug, Clone, Copy)]
pub(super) struct Timing {
    pub wall: f64,
    pub cpu: f64,
}

/// Runs every generator once untimed (to warm the page cache with the spec,
/// the jar and our binary), then `runs` timed rounds in alternation; returns
/// the timings per generator.
pub(super) fn time_all(root: &Path, generators: &[Generator], runs: usize) -> Result<Vec<Vec<Timing>>> {
    let mut timings = vec![Vec::new(); generators.len()];
    for round in 0..=runs {
        for (g, generator) in generators.iter().enumerate() {
            let timing = run_once(root, generator)?;
            if round > 0 {
                println!(
                    "peers: {} run {round}: {:.2} s wall, {:.2} s CPU",
                    generator.label, timing.wall, timing.cpu
                );
                timings[g].push(timing);
            }
        }
    }
    Ok(timings)
}

/// One run into an emptied folder, so that both generators write every file
/// (ours would otherwise skip files whose content did not change).
fn run_once(root: &Path, generator: &Generator) -> Result<Timing> {
    if generator.out.exists() {
        std::fs::remove_dir_all(&generator.out).with_context(|| format!("emptying {}", generator.out.display()))?;
    }
    let cpu_before = children_cpu_secs();
    let start = Instant::now();
    let output = Command::new(&generator.program)
        .current_dir(root)
        .args(&generator.args)
        .output()
        .with_context(|| format!("starting {}", generator.program.display()))?;
    let wall = start.elapsed().as_secs_f64();
    let cpu = children_cpu_secs() - cpu_before;
    if !output.status.success() {
        bail!(
            "{} failed ({}):\n{}\n{}",
            generator.label,
            output.status,
            tail(&String::from_utf8_lossy(&output.stdout), 40),
            tail(&String::from_utf8_lossy(&output.stderr), 40)
        );
    }
    Ok(Timing { wall, cpu })
}

/// User plus system CPU seconds of every child this process has waited for
/// (fields `cutime` and `cstime` of `/proc/self/stat`, in the kernel's fixed
/// 100 ticks per second); it includes grandchildren such as the JVM that
/// openapi-generator's Python launcher starts. NaN where `/proc` is missing.
fn children_cpu_secs() -> f64 {
    const TICKS_PER_SECOND: f64 = 100.0;
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return f64::NAN;
    };
    parse_children_ticks(&stat).map_or(f64::NAN, |ticks| ticks as f64 / TICKS_PER_SECOND)
}

/// `cutime + cstime` from the text of `/proc/PID/stat`.
fn parse_children_ticks(stat: &str) -> Option<u64> {
    // The command name in parentheses may hold spaces; fields are counted after it.
    let (_, rest) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3 (state); cutime and cstime are fields 16 and 17.
    let cutime: u64 = fields.get(13)?.parse().ok()?;
    let cstime: u64 = fields.get(14)?.parse().ok()?;
    Some(cutime + cstime)
}

/// The last `n` lines of `text`.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_children_cpu_ticks() {
        let stat = "4242 (x task) S 1 2 3 4 5 6 7 8 9 10 11 12 130 140 15 16 17 18 19";
        assert_eq!(parse_children_ticks(stat), Some(270));
        assert_eq!(parse_children_ticks("4242 (x) S 1"), None);
    }
}
