//! `cargo xtask codegen [--check] ...` (see [`xtask::USAGE`]),
//! `cargo xtask corpus ...` (see [`xtask::corpus::USAGE`]),
//! `cargo xtask conformance ...` (see [`xtask::conformance::USAGE`]) and
//! `cargo xtask bench ...` (see [`bench::USAGE`]) and
//! `cargo xtask fuzz ...` (see [`fuzz::USAGE`]).

mod bench;
mod fuzz;

// See the note on the dependency in Cargo.toml.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::{Result, bail};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("codegen") => {
            let options = xtask::CodegenArgs::parse(&args[1..])?;
            print!("{}", xtask::codegen(&xtask::workspace_root(), &options)?);
            Ok(())
        }
        Some("corpus") => {
            let options = xtask::corpus::CorpusArgs::parse(&args[1..])?;
            let (report, all_good) = xtask::corpus::run(&xtask::workspace_root(), &options)?;
            print!("{report}");
            if !all_good {
                bail!("some corpus documents did not generate, compile or pass clippy (table above)");
            }
            Ok(())
        }
        Some("conformance") => {
            let options = xtask::conformance::ConformanceArgs::parse(&args[1..])?;
            let (report, figures) = xtask::conformance::run(&xtask::workspace_root(), &options)?;
            print!("{report}");
            if !figures.passed {
                bail!("some operations failed the conformance check (lines above)");
            }
            Ok(())
        }
        Some("bench") => {
            let options = bench::BenchArgs::parse(&args[1..])?;
            let command_line = format!("cargo xtask {}", args.join(" "));
            bench::run(&xtask::workspace_root(), &command_line, &options)
        }
        Some("fuzz") => fuzz::run(&xtask::workspace_root(), &fuzz::FuzzArgs::parse(&args[1..])?),
        // One generator run for `bench` (not for direct use).
        Some("bench-child") => bench::child(&xtask::workspace_root(), &args[1..]),
        Some("help" | "--help" | "-h") | None => {
            println!(
                "{}\n\n{}\n\n{}\n\n{}\n\n{}",
                xtask::USAGE,
                xtask::corpus::USAGE,
                xtask::conformance::USAGE,
                bench::USAGE,
                fuzz::USAGE
            );
            Ok(())
        }
        Some(other) => bail!(
            "unknown command `{other}`\n{}\n\n{}\n\n{}\n\n{}\n\n{}",
            xtask::USAGE,
            xtask::corpus::USAGE,
            xtask::conformance::USAGE,
            bench::USAGE,
            fuzz::USAGE
        ),
    }
}
