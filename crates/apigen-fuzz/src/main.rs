//! The fuzzing binary; `cargo xtask fuzz` drives it.
//!
//! ```text
//! apigen-fuzz fuzz TARGET                      the AFL++ loop (built with the `afl` feature)
//! apigen-fuzz replay TARGET PATH...            runs saved inputs (files, or every file of a folder)
//! apigen-fuzz seeds TARGET OUT WORKSPACE [CORPUS]   writes the target's starting inputs
//! ```
//!
//! A broken invariant prints what broke and aborts, which the fuzzer records
//! as a crash and `replay` reports with exit status 1.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use apigen_fuzz::{Target, response, seeds};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("apigen-fuzz: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let [command, target, rest @ ..] = args else {
        return Err("usage: apigen-fuzz (fuzz | replay | seeds) TARGET ...".into());
    };
    let target: Target = target.parse()?;
    match command.as_str() {
        "fuzz" => fuzz(target),
        "replay" => replay(target, rest),
        "seeds" => {
            let [out, workspace, corpus @ ..] = rest else {
                return Err("usage: apigen-fuzz seeds TARGET OUT WORKSPACE [CORPUS]".into());
            };
            let sources = seeds::Sources {
                workspace: PathBuf::from(workspace),
                corpus: corpus.first().map(PathBuf::from),
            };
            let written = seeds::write(target, &sources, Path::new(out)).map_err(|error| format!("{out}: {error}"))?;
            println!("{written} seeds of {target} in {out}");
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!(
            "unknown command `{other}`; the commands are fuzz, replay and seeds"
        )),
    }
}

#[cfg(feature = "afl")]
fn fuzz(target: Target) -> Result<ExitCode, String> {
    response::enforce_heap_limit();
    afl::fuzz!(|data: &[u8]| {
        if let Err(violation) = target.run(data) {
            crash(&violation);
        }
    });
    Ok(ExitCode::SUCCESS)
}

#[cfg(not(feature = "afl"))]
fn fuzz(_: Target) -> Result<ExitCode, String> {
    Err("this build has no fuzzing loop; `cargo xtask fuzz` builds one with `cargo afl` and the `afl` feature".into())
}

#[cfg(feature = "afl")]
fn crash(violation: &apigen_fuzz::Violation) -> ! {
    eprintln!("invariant broken: {violation}");
    std::process::abort()
}

/// Runs every input once; exit status 1 if any broke an invariant.
fn replay(target: Target, paths: &[String]) -> Result<ExitCode, String> {
    response::enforce_heap_limit();
    let mut files = Vec::new();
    for path in paths.iter().map(PathBuf::from) {
        if path.is_dir() {
            let entries = std::fs::read_dir(&path).map_err(|error| format!("{}: {error}", path.display()))?;
            let mut inside: Vec<PathBuf> = entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .collect();
            inside.retain(|file| file.is_file());
            inside.sort();
            files.extend(inside);
        } else {
            files.push(path);
        }
    }
    let mut broken = 0;
    for file in &files {
        let data = std::fs::read(file).map_err(|error| format!("{}: {error}", file.display()))?;
        match target.run(&data) {
            Ok(()) => println!("ok        {}", file.display()),
            Err(violation) => {
                broken += 1;
                println!("VIOLATION {}: {violation}", file.display());
            }
        }
    }
    println!("replay {target}: {} inputs, {broken} broke an invariant", files.len());
    Ok(if broken == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
