//! The one place that writes generated files.
//!
//! Files are compared before writing, so an unchanged file keeps its
//! timestamp and cargo does not rebuild it. In check mode nothing is written;
//! every difference is reported with the command that fixes it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::emit::Files;
use crate::error::{Error, Result};

/// Whether to write or only compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write changed files and remove extra ones.
    Write,
    /// Change nothing; fail if anything differs.
    Check,
}

/// What differed between the wanted files and the folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Files whose content differs.
    pub stale: Vec<PathBuf>,
    /// Files that should exist and do not.
    pub missing: Vec<PathBuf>,
    /// Files in the folder that the generator does not produce.
    pub extra: Vec<PathBuf>,
    /// Files already up to date.
    pub unchanged: usize,
}

impl Report {
    /// Whether the folder already matched.
    pub fn is_clean(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }

    /// One line per differing file.
    pub fn describe(&self) -> String {
        let lines = self.stale.iter().map(|p| format!("  stale:   {}", p.display()));
        let lines = lines.chain(self.missing.iter().map(|p| format!("  missing: {}", p.display())));
        let lines = lines.chain(self.extra.iter().map(|p| format!("  extra:   {}", p.display())));
        lines.collect::<Vec<_>>().join("\n")
    }
}

fn existing_files(root: &Path) -> Result<BTreeSet<PathBuf>> {
    let mut found = BTreeSet::new();
    if !root.exists() {
        return Ok(found);
    }
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|err| io_error(&dir, err))?;
        for entry in entries {
            let path = entry.map_err(|err| io_error(&dir, err))?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.insert(path);
            }
        }
    }
    Ok(found)
}

fn io_error(path: &Path, err: std::io::Error) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        message: err.to_string(),
    }
}

/// Makes `root` hold exactly `files` (write mode) or reports how it differs (check mode).
///
/// In check mode a difference is an error whose message lists every file and
/// ends with `fix_command`.
pub fn sync(root: &Path, files: &Files, mode: Mode, fix_command: &str) -> Result<Report> {
    let mut report = Report::default();
    let mut extra = existing_files(root)?;
    for (relative, content) in files {
        let path = root.join(relative);
        extra.remove(&path);
        match std::fs::read(&path) {
            Ok(current) if current == content.as_bytes() => report.unchanged += 1,
            Ok(_) => report.stale.push(path.clone()),
            Err(_) => report.missing.push(path.clone()),
        }
        if mode == Mode::Write && !report.stale.contains(&path) && !report.missing.contains(&path) {
            continue;
        }
        if mode == Mode::Write {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|err| io_error(parent, err))?;
            }
            std::fs::write(&path, content).map_err(|err| io_error(&path, err))?;
        }
    }
    report.extra = extra.into_iter().collect();
    match mode {
        Mode::Write => {
            for path in &report.extra {
                std::fs::remove_file(path).map_err(|err| io_error(path, err))?;
            }
            Ok(report)
        }
        Mode::Check if report.is_clean() => Ok(report),
        Mode::Check => Err(Error::Output {
            path: root.to_path_buf(),
            message: format!(
                "generated files are out of date:\n{}\nrun `{fix_command}` to update them",
                report.describe()
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("apigen-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn write_then_check_is_clean_and_extra_files_are_removed() {
        let dir = scratch("clean");
        let mut files = Files::new();
        files.insert("src/lib.rs".into(), "// a\n".into());
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("src/old.rs"), "old").unwrap();
        let report = sync(&dir, &files, Mode::Write, "fix").unwrap();
        assert_eq!(report.missing, [dir.join("src/lib.rs")]);
        assert_eq!(report.extra, [dir.join("src/old.rs")]);
        assert!(!dir.join("src/old.rs").exists());
        let again = sync(&dir, &files, Mode::Check, "fix").unwrap();
        assert!(again.is_clean());
        assert_eq!(again.unchanged, 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn check_names_each_stale_file_and_the_command() {
        let dir = scratch("stale");
        let mut files = Files::new();
        files.insert("a.rs".into(), "new".into());
        files.insert("b.rs".into(), "b".into());
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.rs"), "old").unwrap();
        let err = sync(&dir, &files, Mode::Check, "cargo xtask codegen")
            .unwrap_err()
            .to_string();
        assert!(err.contains("stale:   ") && err.contains("a.rs"), "{err}");
        assert!(err.contains("missing: ") && err.contains("b.rs"), "{err}");
        assert!(err.contains("run `cargo xtask codegen`"), "{err}");
        assert_eq!(std::fs::read_to_string(dir.join("a.rs")).unwrap(), "old");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
