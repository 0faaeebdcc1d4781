//! `cargo xtask codegen [--check] ...`: see [`xtask::USAGE`].

use anyhow::{Result, bail};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("codegen") => {
            let options = xtask::CodegenArgs::parse(&args[1..])?;
            print!("{}", xtask::codegen(&xtask::workspace_root(), &options)?);
            Ok(())
        }
        Some("help" | "--help" | "-h") | None => {
            println!("{}", xtask::USAGE);
            Ok(())
        }
        Some(other) => bail!("unknown command `{other}`\n{}", xtask::USAGE),
    }
}
