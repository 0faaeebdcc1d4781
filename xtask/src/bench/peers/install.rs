//! Installing the peer generator: openapi-generator's PyPI package (which
//! bundles the jar) in a Python virtual environment, run on the machine's Java.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::Result;

/// The pinned openapi-generator release (the newest 7.x on PyPI when the
/// section was written); a change of version is a change of the comparison.
pub(super) const PEER_VERSION: &str = "7.26.0";

/// The PyPI package that bundles the openapi-generator jar.
const PACKAGE: &str = "openapi-generator-cli";

/// A ready peer generator.
pub(super) struct Peer {
    /// `<venv>/bin/openapi-generator-cli`.
    pub cli: PathBuf,
    /// The first line of `java -version`.
    pub java: String,
    /// How it got there: installed in N s, or reused.
    pub install_note: String,
}

/// Either a ready peer or why the section cannot run on this machine.
pub(super) enum Install {
    Ready(Peer),
    Unavailable(String),
}

/// Finds Java and makes sure `venv` holds [`PEER_VERSION`]; a missing Java,
/// Python or network makes the peer unavailable rather than failing the run,
/// because the section depends on things outside the workspace.
pub(super) fn ensure(venv: &Path) -> Result<Install> {
    let java = match java_version() {
        Ok(line) => line,
        Err(reason) => {
            return Ok(Install::Unavailable(format!(
                "Java is needed to run openapi-generator: {reason}"
            )));
        }
    };
    let python = venv.join("bin").join("python");
    let cli = venv.join("bin").join(PACKAGE);
    let installed = installed_version(&python);
    if installed.as_deref() == Some(PEER_VERSION) && cli.is_file() {
        println!("peers: reusing {PACKAGE} {PEER_VERSION} in {}", venv.display());
        return Ok(Install::Ready(Peer {
            cli,
            java,
            install_note: "reused from an earlier run".to_owned(),
        }));
    }

    let start = Instant::now();
    if installed.is_none() {
        // No working interpreter in the folder: start again from scratch.
        if venv.exists() {
            std::fs::remove_dir_all(venv)?;
        }
        println!("peers: creating a virtual environment in {}", venv.display());
        let mut command = Command::new("python3");
        command.args(["-m", "venv"]).arg(venv);
        if let Err(reason) = run_quietly(&mut command) {
            return Ok(Install::Unavailable(format!(
                "could not create a Python virtual environment (`python3 -m venv`): {reason}"
            )));
        }
    }
    println!("peers: pip install {PACKAGE}=={PEER_VERSION}");
    let mut pip = Command::new(&python);
    pip.args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check"])
        .arg(format!("{PACKAGE}=={PEER_VERSION}"));
    if let Err(reason) = run_quietly(&mut pip) {
        return Ok(Install::Unavailable(format!(
            "`pip install {PACKAGE}=={PEER_VERSION}` failed (is PyPI reachable?): {reason}"
        )));
    }
    let secs = start.elapsed().as_secs_f64();
    println!("peers: installed in {secs:.1} s");
    Ok(Install::Ready(Peer {
        cli,
        java,
        install_note: format!("installed in {secs:.1} s by this run"),
    }))
}

/// The first line of `java -version` (which prints to stderr), or why there is none.
fn java_version() -> std::result::Result<String, String> {
    let output = Command::new("java")
        .arg("-version")
        .output()
        .map_err(|error| format!("`java -version` did not start ({error})"))?;
    let text = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "`java -version` failed ({}): {}",
            output.status,
            last_line(&text)
        ));
    }
    Ok(text
        .lines()
        .next()
        .unwrap_or("java (unknown version)")
        .trim()
        .to_owned())
}

/// The package's version in the environment of `python`, if it runs and has it
/// (`Some("")` when the interpreter works but the package is absent).
fn installed_version(python: &Path) -> Option<String> {
    let output = Command::new(python)
        .args(["-c", "import importlib.metadata as m\ntry:\n print(m.version('openapi-generator-cli'))\nexcept Exception:\n print('')"])
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Runs `command`; on failure, the last line it printed.
fn run_quietly(command: &mut Command) -> std::result::Result<(), String> {
    let output = command.output().map_err(|error| format!("did not start ({error})"))?;
    if output.status.success() {
        return Ok(());
    }
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Err(format!("{}: {}", output.status, last_line(&text)))
}

/// The last non-empty line of `text`, the one that usually says what went wrong.
pub(super) fn last_line(text: &str) -> &str {
    text.lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("(no output)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_line_skips_blank_lines() {
        assert_eq!(last_line("a\nERROR: no network\n\n  \n"), "ERROR: no network");
        assert_eq!(last_line(""), "(no output)");
    }
}
