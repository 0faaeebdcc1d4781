//! Request overhead and decode/encode: runs the `apigen-benches` benches and
//! turns their `bench:` lines into Markdown.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};

use super::{BenchArgs, Section, cargo, checked_output, verdict};

const TARGET_RATIO: f64 = 1.05;

/// Runs the request and/or serde benches that `args` selects.
pub(super) fn run(root: &Path, args: &BenchArgs) -> Result<Vec<Section>> {
    let mut sections = Vec::new();
    if args.only.iter().any(|s| s == "request") {
        let env: &[(&str, &str)] = if args.quick {
            &[("BENCH_REQUEST_ITERATIONS", "500"), ("BENCH_REQUEST_BLOCKS", "6")]
        } else {
            &[]
        };
        let (text, values) = run_bench(root, "request", env)?;
        sections.push(request_section(&text, &values)?);
    }
    if args.only.iter().any(|s| s == "serde") {
        let env: &[(&str, &str)] = if args.quick {
            &[("BENCH_SERDE_ROUNDS", "60")]
        } else {
            &[]
        };
        let (text, values) = run_bench(root, "serde", env)?;
        sections.push(serde_section(&text, &values)?);
    }
    Ok(sections)
}

/// `cargo bench -p apigen-benches --bench NAME`: the human-readable lines
/// and the `bench:` values.
fn run_bench(root: &Path, name: &str, env: &[(&str, &str)]) -> Result<(String, BTreeMap<String, f64>)> {
    println!("{name}: cargo bench -p apigen-benches --bench {name}");
    let mut command = cargo();
    command
        .current_dir(root)
        .args(["bench", "--quiet", "-p", "apigen-benches", "--bench", name]);
    for (key, value) in env {
        command.env(key, value);
    }
    let stdout = checked_output(&mut command, &format!("cargo bench --bench {name}"))?;
    let (text, values) = parse_bench_output(&stdout);
    print!("{text}");
    Ok((text, values))
}

fn parse_bench_output(stdout: &str) -> (String, BTreeMap<String, f64>) {
    let mut text = String::new();
    let mut values = BTreeMap::new();
    for line in stdout.lines() {
        match line.strip_prefix("bench: ") {
            Some(rest) => {
                if let Some((key, value)) = rest.split_once(' ') {
                    if let Ok(value) = value.trim().parse::<f64>() {
                        values.insert(key.to_owned(), value);
                    }
                }
            }
            None if !line.trim().is_empty() => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    (text, values)
}

fn get(values: &BTreeMap<String, f64>, key: &str) -> Result<f64> {
    values
        .get(key)
        .copied()
        .with_context(|| format!("the bench did not report `{key}`"))
}

fn request_section(text: &str, v: &BTreeMap<String, f64>) -> Result<Section> {
    let mut md = String::from(
        "`cargo bench -p apigen-benches --bench request`: a hyper server on 127.0.0.1 (own thread) answers \
         every request with a fixed `Token`; the clients share one current-thread runtime and keep one \
         connection each. The generated client uses its **default configuration** (retries and pacing on; \
         no retry or pacing wait happened, see the transport counters below). Latency: sequential calls, \
         one of each candidate per iteration in rotating order; throughput: blocks with 8 requests in flight, \
         rotating; medians. Ratios are generated ÷ hand-written cost (lower is better, 1.00 = equal).\n\n",
    );
    md.push_str("| | generated `patch_token` | runtime alone | hand-written reqwest | ratio generated/hand |\n");
    md.push_str("|---|---|---|---|---|\n");
    let lat_ratio = get(v, "request.latency.median.ratio")?;
    let p99_ratio = get(v, "request.latency.p99.ratio")?;
    let tput_ratio = get(v, "request.throughput.ratio")?;
    md.push_str(&format!(
        "| latency, median | {:.1} µs | {:.1} µs | {:.1} µs | **{lat_ratio:.3}** |\n",
        get(v, "request.latency.median.generated_us")?,
        get(v, "request.runtime.latency.median_us")?,
        get(v, "request.latency.median.hand_us")?,
    ));
    md.push_str(&format!(
        "| latency, p99 | {:.1} µs | {:.1} µs | {:.1} µs | **{p99_ratio:.3}** |\n",
        get(v, "request.latency.p99.generated_us")?,
        get(v, "request.runtime.latency.p99_us")?,
        get(v, "request.latency.p99.hand_us")?,
    ));
    md.push_str(&format!(
        "| throughput | {:.0}/s | {:.0}/s | {:.0}/s | **{tput_ratio:.3}** |\n",
        get(v, "request.throughput.generated_rps")?,
        get(v, "request.runtime.throughput_rps")?,
        get(v, "request.throughput.hand_rps")?,
    ));
    md.push_str(&format!(
        "\nTarget ≤ {TARGET_RATIO}×: median latency {}, p99 latency {}, throughput {}.\n\n```text\n{text}```\n",
        verdict(lat_ratio, TARGET_RATIO),
        verdict(p99_ratio, TARGET_RATIO),
        verdict(tput_ratio, TARGET_RATIO),
    ));
    Ok(Section {
        name: "request",
        markdown: md,
    })
}

fn serde_section(text: &str, v: &BTreeMap<String, f64>) -> Result<Section> {
    let mut md = String::from(
        "`cargo bench -p apigen-benches --bench serde`: a realistic `Token` body (1.2 KB: member summary, \
         two inline-role statements, links) through the generated `launchdarkly_api::types::Token` and \
         through a hand-written struct with plain `#[derive(Serialize, Deserialize)]` and a closed enum. \
         Batches of each candidate alternate; the ratio is the median of the per-round ratios.\n\n",
    );
    md.push_str("| case | generated | hand-written | ratio | target ≤ 1.05× |\n|---|---|---|---|---|\n");
    let rows = [
        ("decode", "decode `Token` (`serde_json::from_slice`)", true),
        (
            "decode_runtime",
            "decode `Token` as the client does (`decode_json`) vs `from_slice`",
            true,
        ),
        ("encode", "encode `Token` (`serde_json::to_vec`)", true),
        (
            "lenient_vs_strict",
            "a conforming `Token` through `decode_json`, lenient (left) vs strict (right)",
            false,
        ),
        (
            "lenient_repair",
            "a `Token` with one `null` item, lenient (left) vs a conforming one, strict (right)",
            false,
        ),
        (
            "decode_enum",
            "64 `StatementEffect`s vs a closed enum (open-enum cost alone)",
            false,
        ),
        (
            "encode_patch",
            "build and encode the token patch (`JsonPatch`) vs a `Vec` of structs",
            false,
        ),
    ];
    for (key, label, targeted) in rows {
        let ratio = get(v, &format!("serde.{key}.ratio"))?;
        md.push_str(&format!(
            "| {label} | {:.0} ns | {:.0} ns | **{ratio:.3}** | {} |\n",
            get(v, &format!("serde.{key}.generated_ns"))?,
            get(v, &format!("serde.{key}.hand_ns"))?,
            if targeted {
                verdict(ratio, TARGET_RATIO)
            } else {
                "(diagnostic)"
            },
        ));
    }
    md.push_str(&format!("\n```text\n{text}```\n"));
    Ok(Section {
        name: "serde",
        markdown: md,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_values_from_text() {
        let (text, values) = parse_bench_output("hello\nbench: a.b 1.5000\n\nbench: bad x\nworld\n");
        assert_eq!(text, "hello\nworld\n");
        assert_eq!(values.get("a.b"), Some(&1.5));
        assert_eq!(values.len(), 1);
    }
}
