//! `cargo xtask fuzz`: coverage-guided fuzzing of the generator and the
//! runtime with AFL++ (through `cargo afl`, which works on the stable
//! toolchain), outside CI.
//!
//! Everything it needs and makes lives under `target/fuzz/`: `tools/`
//! (`cargo-afl`, installed from crates.io on first use), `data/` (AFL++
//! itself, built by `cargo afl config --build`), `build/` (the instrumented
//! `apigen-fuzz` binary), and per target `TARGET/seeds/` (the starting
//! inputs, rewritten each run) and `TARGET/out/` (AFL++'s queue, crashes and
//! hangs, kept between runs so that the next run resumes).

use std::path::{Path, PathBuf};
use std::process::{Child, Command};

use anyhow::{Context, Result, bail};

/// The usage text of `cargo xtask fuzz`.
pub(crate) const USAGE: &str = "\
usage: cargo xtask fuzz --target TARGET [--time SECONDS | --cases N] [--jobs N] [--corpus DIR] [--fresh]
       cargo xtask fuzz --target TARGET --replay PATH...

  --target   generator, response, patch, overlay, params or refs (crates/apigen-fuzz)
  --time     stop after this many seconds (default 600)
  --cases    stop after about this many inputs in all, instead of a time
  --jobs     fuzzer processes side by side (default 2, one per core here)
  --corpus   public API descriptions whose slices seed the generator
             (default ../shared/specs/corpus; left out with a note when missing)
  --fresh    forget the previous run's queue and crashes, start from the seeds
  --replay   run saved inputs (files or folders) once through the target and
             report each broken invariant; no fuzzing";

/// The `cargo-afl` release the fuzzing crate's `afl` dependency matches.
const CARGO_AFL_VERSION: &str = "0.18.2";

/// Options of `cargo xtask fuzz`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FuzzArgs {
    target: String,
    time: u64,
    cases: Option<u64>,
    jobs: usize,
    corpus: PathBuf,
    fresh: bool,
    replay: Vec<PathBuf>,
}

impl FuzzArgs {
    /// Parses the arguments after `fuzz`.
    pub(crate) fn parse(args: &[String]) -> Result<Self> {
        let mut parsed = Self {
            target: String::new(),
            time: 600,
            cases: None,
            jobs: 2,
            corpus: PathBuf::from("../shared/specs/corpus"),
            fresh: false,
            replay: Vec::new(),
        };
        let mut args = xtask::Args::new(args, USAGE);
        while let Some(arg) = args.next() {
            match arg {
                "--target" => parsed.target = args.value("--target")?,
                "--time" => parsed.time = number(&args.value("--time")?, "--time")?,
                "--cases" => parsed.cases = Some(number(&args.value("--cases")?, "--cases")?),
                "--jobs" => parsed.jobs = number(&args.value("--jobs")?, "--jobs")?.max(1) as usize,
                "--corpus" => parsed.corpus = PathBuf::from(args.value("--corpus")?),
                "--fresh" => parsed.fresh = true,
                "--replay" => parsed.replay.push(PathBuf::from(args.value("--replay")?)),
                path if !parsed.replay.is_empty() && !path.starts_with("--") => parsed.replay.push(PathBuf::from(path)),
                other => bail!("unknown option `{other}`\n{USAGE}"),
            }
        }
        if parsed.target.is_empty() {
            bail!("--target is required\n{USAGE}");
        }
        Ok(parsed)
    }
}

fn number(text: &str, name: &str) -> Result<u64> {
    text.parse()
        .with_context(|| format!("{name} takes a whole number, not `{text}`"))
}

/// Installs what is missing, builds, seeds, fuzzes and reports.
pub(crate) fn run(root: &Path, args: &FuzzArgs) -> Result<()> {
    let fuzz_dir = root.join("target/fuzz");
    let tools = Tools::ensure(root, &fuzz_dir)?;
    let binary = tools.build(root, &fuzz_dir)?;
    if !args.replay.is_empty() {
        let status = Command::new(&binary)
            .arg("replay")
            .arg(&args.target)
            .args(&args.replay)
            .status()
            .context("cannot run the fuzzing binary")?;
        if !status.success() {
            bail!("some inputs broke an invariant of {} (lines above)", args.target);
        }
        return Ok(());
    }
    let target_dir = fuzz_dir.join(&args.target);
    let seeds = target_dir.join("seeds");
    let out = target_dir.join("out");
    if args.fresh {
        remove_if_there(&out)?;
    }
    remove_if_there(&seeds)?;
    let corpus = root.join(&args.corpus);
    let mut seed_command = Command::new(&binary);
    seed_command.arg("seeds").arg(&args.target).arg(&seeds).arg(root);
    if corpus.is_dir() {
        seed_command.arg(&corpus);
    } else {
        println!(
            "note: no corpus folder at {}; the generator starts from the seed spec and the fixtures only",
            corpus.display()
        );
    }
    check(seed_command.status(), "write the seeds")?;
    let session = Session {
        afl_fuzz: tools.afl_fuzz()?,
        binary,
        dictionary: root.join(format!("crates/apigen-fuzz/dictionaries/{}.dict", args.target)),
        seeds,
        out: out.clone(),
        logs: target_dir.clone(),
    };
    let fuzzers = (0..args.jobs)
        .map(|job| session.start(job, args))
        .collect::<Result<Vec<_>>>()?;
    println!(
        "fuzzing {} with {} process(es); logs in {}",
        args.target,
        args.jobs,
        target_dir.display()
    );
    for (name, mut child) in fuzzers {
        let status = child.wait()?;
        if !status.success() {
            bail!(
                "afl-fuzz ({name}) stopped with {status}; see {}",
                target_dir.join(format!("{name}.log")).display()
            );
        }
    }
    let report = Report::read(&out)?;
    print!("{}", report.render(&args.target, &out));
    if report.crashes > 0 {
        bail!(
            "{} crash(es) of {}: replay them with `cargo xtask fuzz --target {} --replay {}/*/crashes`",
            report.crashes,
            args.target,
            args.target,
            out.display()
        );
    }
    Ok(())
}

/// One run of a target: what each fuzzer process is started with.
struct Session {
    afl_fuzz: PathBuf,
    binary: PathBuf,
    dictionary: PathBuf,
    seeds: PathBuf,
    out: PathBuf,
    logs: PathBuf,
}

impl Session {
    /// Starts fuzzer process number `job`: the first leads (`-M main`), the
    /// others follow (`-S secondaryN`) and share its queue.
    fn start(&self, job: usize, args: &FuzzArgs) -> Result<(String, Child)> {
        let name = if job == 0 {
            "main".to_owned()
        } else {
            format!("secondary{job}")
        };
        // afl-fuzz itself, not `cargo afl fuzz`: that one adds `-c0`, a
        // comparison-logging pass that needs an instrumentation the stable
        // toolchain cannot build, and spends minutes per large seed on it.
        let mut command = Command::new(&self.afl_fuzz);
        command.arg("-i").arg(&self.seeds).arg("-o").arg(&self.out);
        command.arg(if job == 0 { "-M" } else { "-S" }).arg(&name);
        // The generator takes a few milliseconds per input, more on large
        // ones; a second is a hang.
        command.args(["-t", "1000", "-m", "none"]);
        match args.cases {
            Some(cases) => command.arg("-E").arg((cases / args.jobs as u64).max(1).to_string()),
            None => command.arg("-V").arg(args.time.to_string()),
        };
        if self.dictionary.is_file() {
            command.arg("-x").arg(&self.dictionary);
        }
        command.arg("--").arg(&self.binary).arg("fuzz").arg(&args.target);
        command
            .env("AFL_NO_UI", "1")
            .env("AFL_AUTORESUME", "1")
            .env("AFL_SKIP_CPUFREQ", "1")
            .env("AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES", "1")
            .env("AFL_NO_AFFINITY", "1")
            .stdout(std::fs::File::create(self.logs.join(format!("{name}.log")))?)
            .stderr(std::process::Stdio::null());
        let child = command.spawn().context("cannot start afl-fuzz")?;
        Ok((name, child))
    }
}

fn remove_if_there(path: &Path) -> Result<()> {
    if path.exists() {
        std::fs::remove_dir_all(path).with_context(|| format!("cannot remove {}", path.display()))?;
    }
    Ok(())
}

fn check(status: std::io::Result<std::process::ExitStatus>, what: &str) -> Result<()> {
    let status = status.with_context(|| format!("cannot {what}"))?;
    if !status.success() {
        bail!("could not {what} ({status})");
    }
    Ok(())
}

/// `cargo-afl` and AFL++, under `target/fuzz/`.
struct Tools {
    bin: PathBuf,
    data: PathBuf,
}

impl Tools {
    fn ensure(root: &Path, fuzz_dir: &Path) -> Result<Self> {
        let tools = Self {
            bin: fuzz_dir.join("tools/bin"),
            data: fuzz_dir.join("data"),
        };
        if !tools.bin.join("cargo-afl").is_file() {
            println!(
                "installing cargo-afl {CARGO_AFL_VERSION} into {}",
                fuzz_dir.join("tools").display()
            );
            let status = Command::new("cargo")
                .args([
                    "install",
                    "cargo-afl",
                    "--locked",
                    "--version",
                    CARGO_AFL_VERSION,
                    "--root",
                ])
                .arg(fuzz_dir.join("tools"))
                .current_dir(root)
                .status();
            check(status, "install cargo-afl from crates.io")?;
        }
        if !tools.data.join("afl.rs").is_dir() {
            println!("building AFL++ into {}", tools.data.display());
            check(
                tools.cargo_afl().args(["config", "--build"]).status(),
                "build AFL++ (`cargo afl config --build`)",
            )?;
        }
        Ok(tools)
    }

    /// `cargo afl`, finding the installed tool and AFL++ under `target/`.
    fn cargo_afl(&self) -> Command {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut paths = vec![self.bin.clone()];
        paths.extend(std::env::split_paths(&path));
        let mut command = Command::new("cargo");
        command
            .arg("afl")
            .env("PATH", std::env::join_paths(paths).unwrap_or(path))
            .env("XDG_DATA_HOME", &self.data);
        command
    }

    /// The `afl-fuzz` that `cargo afl config --build` built for this toolchain.
    fn afl_fuzz(&self) -> Result<PathBuf> {
        let builds = self.data.join("afl.rs");
        let mut found = Vec::new();
        for toolchain in std::fs::read_dir(&builds).with_context(|| format!("no AFL++ under {}", builds.display()))? {
            let toolchain = toolchain?.path();
            let Ok(versions) = std::fs::read_dir(&toolchain) else {
                continue;
            };
            for version in versions {
                let candidate = version?.path().join("afl/bin/afl-fuzz");
                if candidate.is_file() {
                    found.push(candidate);
                }
            }
        }
        found.sort();
        found.pop().with_context(|| {
            format!(
                "no afl-fuzz under {}; delete that folder to rebuild AFL++",
                builds.display()
            )
        })
    }

    /// Builds the instrumented fuzzing binary and returns its path.
    fn build(&self, root: &Path, fuzz_dir: &Path) -> Result<PathBuf> {
        let build_dir = fuzz_dir.join("build");
        let status = self
            .cargo_afl()
            .args([
                "build",
                "--release",
                "-p",
                "apigen-fuzz",
                "--features",
                "afl",
                "--target-dir",
            ])
            .arg(&build_dir)
            .current_dir(root)
            .status();
        check(status, "build the fuzzing binary with `cargo afl build`")?;
        Ok(build_dir.join("release/apigen-fuzz"))
    }
}

/// What the fuzzers did, summed over the processes.
#[derive(Debug, Default)]
struct Report {
    processes: usize,
    execs: u64,
    seconds: u64,
    edges_found: u64,
    total_edges: u64,
    corpus: u64,
    crashes: u64,
    hangs: u64,
}

impl Report {
    /// Reads every `fuzzer_stats` under `out`.
    fn read(out: &Path) -> Result<Self> {
        let mut report = Report::default();
        let mut entries: Vec<_> = std::fs::read_dir(out)
            .with_context(|| format!("no fuzzer output in {}", out.display()))?
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .collect();
        entries.sort();
        for dir in entries {
            let Ok(stats) = std::fs::read_to_string(dir.join("fuzzer_stats")) else {
                continue;
            };
            let field = |name: &str| -> u64 {
                stats
                    .lines()
                    .find_map(|line| {
                        let (key, value) = line.split_once(':')?;
                        (key.trim() == name).then(|| value.trim().parse().ok()).flatten()
                    })
                    .unwrap_or(0)
            };
            report.processes += 1;
            report.execs += field("execs_done");
            report.seconds = report.seconds.max(field("run_time"));
            // Every process sees the same map; the main one's figure
            // includes what it imported from the others.
            report.edges_found = report.edges_found.max(field("edges_found"));
            report.total_edges = report.total_edges.max(field("total_edges"));
            report.corpus = report.corpus.max(field("corpus_count"));
            report.crashes += field("saved_crashes");
            report.hangs += field("saved_hangs");
        }
        if report.processes == 0 {
            bail!("no fuzzer_stats under {}", out.display());
        }
        Ok(report)
    }

    fn render(&self, target: &str, out: &Path) -> String {
        let coverage = if self.total_edges == 0 {
            0.0
        } else {
            100.0 * self.edges_found as f64 / self.total_edges as f64
        };
        format!(
            "fuzz {target}: {} inputs in {} s over {} process(es) ({:.0}/s), {} edges reached of the {} the \
             binary instruments ({coverage:.1}%), {} inputs in the queue, {} crashes, {} hangs (cumulative over \
             resumed runs; output in {})\n",
            self.execs,
            self.seconds,
            self.processes,
            self.execs as f64 / self.seconds.max(1) as f64,
            self.edges_found,
            self.total_edges,
            self.corpus,
            self.crashes,
            self.hangs,
            out.display()
        )
    }
}
