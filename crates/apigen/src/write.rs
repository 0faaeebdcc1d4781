//! The one place that writes generated files.
//!
//! Files are compared before writing, so an unchanged file keeps its
//! timestamp and cargo does not rebuild it. In check mode nothing is written;
//! every difference is reported with the command that fixes it.
//!
//! The generator deletes only what it wrote: each run records its files in
//! a manifest ([`MANIFEST_FILE`]) in the output folder, and the next run
//! removes only files listed there that it no longer produces. Everything else
//! in the folder is left as it is, symbolic links are never followed, and a
//! non-empty folder holding no earlier output is refused before anything is
//! written.

mod manifest;
mod scan;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::emit::Files;
use crate::error::{Error, Result};

pub use manifest::MANIFEST_FILE;
use scan::io_error;
pub use scan::{Protected, check_out_location};

/// Whether to write or only compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write changed files and remove those an earlier run wrote and this one does not.
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
    /// Files an earlier run wrote that this run no longer produces (removed in write mode).
    pub extra: Vec<PathBuf>,
    /// Symbolic links found in the folder; never followed and left alone.
    pub symlinks: Vec<PathBuf>,
    /// Files already up to date.
    pub unchanged: usize,
}

impl Report {
    /// Whether the folder already matched.
    pub fn is_clean(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }

    /// One line per differing file, then one per symbolic link left alone.
    pub fn describe(&self) -> String {
        let lines = self.stale.iter().map(|p| format!("  stale:   {}", p.display()));
        let lines = lines.chain(self.missing.iter().map(|p| format!("  missing: {}", p.display())));
        let lines = lines.chain(self.extra.iter().map(|p| format!("  extra:   {}", p.display())));
        let lines = lines.chain(
            self.symlinks
                .iter()
                .map(|p| format!("  symbolic link, left alone: {}", p.display())),
        );
        lines.collect::<Vec<_>>().join("\n")
    }
}

/// How many unknown files a refusal names; enough to recognise the folder.
const FILES_NAMED_IN_REFUSAL: usize = 5;

/// The files an earlier run wrote into the folder: the manifest's list, or,
/// for output older than the manifest, the files carrying the generated header.
///
/// Output older than the manifest is only recognised when the folder's own
/// `Cargo.toml` carries the header, as every generated crate's does: a
/// project that merely holds a copied generated file is not mistaken for one.
fn earlier_output(root: &Path, contents: &scan::Contents) -> Result<BTreeSet<String>> {
    if contents.files.iter().any(|file| file == MANIFEST_FILE) {
        let path = root.join(MANIFEST_FILE);
        let text = std::fs::read_to_string(&path).map_err(|err| io_error(&path, err))?;
        return manifest::parse(&path, &text);
    }
    let generated_crate = contents.files.iter().any(|file| file == "Cargo.toml")
        && manifest::carries_generated_header(&root.join("Cargo.toml"));
    if !generated_crate {
        return Ok(BTreeSet::new());
    }
    Ok(contents
        .files
        .iter()
        .filter(|file| manifest::carries_generated_header(&root.join(file)))
        .cloned()
        .collect())
}

/// Makes `root` hold `files` plus the manifest, removing files an earlier run
/// wrote and this one does not (write mode), or reports how it differs (check mode).
///
/// No other file is touched. In write mode every refusal (a folder of someone
/// else's files, a file apigen did not write at a wanted place, a symbolic
/// link on the way to one) happens before anything is written. In check mode
/// a difference is an error whose message lists every file and ends with
/// `fix_command`.
pub fn sync(root: &Path, files: &Files, mode: Mode, fix_command: &str) -> Result<Report> {
    let contents = scan::contents(root)?;
    let earlier = earlier_output(root, &contents)?;
    let holds_anything = !contents.files.is_empty() || !contents.symlinks.is_empty();
    if mode == Mode::Write && earlier.is_empty() && holds_anything {
        let found = contents.files.iter().chain(&contents.symlinks);
        return Err(Error::OutputNotGenerated {
            path: root.to_path_buf(),
            found: found.take(FILES_NAMED_IN_REFUSAL).cloned().collect(),
        });
    }
    let mut report = Report {
        symlinks: contents.symlinks.iter().map(|link| root.join(link)).collect(),
        ..Report::default()
    };
    let manifest_text = manifest::render(files.keys());
    let wanted = files
        .iter()
        .map(|(relative, content)| (relative.as_str(), content.as_str()))
        .chain([(MANIFEST_FILE, manifest_text.as_str())]);
    let mut to_write = Vec::new();
    for (relative, content) in wanted {
        if let Some(link) = scan::symlink_on_path(root, relative) {
            return Err(Error::OutputSymlink { path: link });
        }
        let path = root.join(relative);
        match std::fs::read(&path) {
            Ok(current) if current == content.as_bytes() => report.unchanged += 1,
            Ok(_) => {
                let ours = relative == MANIFEST_FILE
                    || earlier.contains(relative)
                    || manifest::carries_generated_header(&path);
                if mode == Mode::Write && !ours {
                    return Err(Error::OutputOverwrite { path });
                }
                report.stale.push(path.clone());
                to_write.push((path, content));
            }
            Err(_) => {
                report.missing.push(path.clone());
                to_write.push((path, content));
            }
        }
    }
    for relative in earlier.iter().filter(|file| !files.contains_key(*file)) {
        let is_file = std::fs::symlink_metadata(root.join(relative)).is_ok_and(|meta| meta.is_file());
        if relative != MANIFEST_FILE && is_file && scan::symlink_on_path(root, relative).is_none() {
            report.extra.push(root.join(relative));
        }
    }
    match mode {
        Mode::Write => {
            apply(root, &to_write, &report.extra)?;
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

/// Writes the planned files, removes the files no longer produced, and
/// writes the manifest last: if anything fails on the way, the manifest on
/// disk still lists every file an earlier run wrote, so the next run can
/// finish the clean-up.
fn apply(root: &Path, to_write: &[(PathBuf, &str)], remove: &[PathBuf]) -> Result<()> {
    let manifest = root.join(MANIFEST_FILE);
    let write = |path: &Path, content: &str| -> Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|err| io_error(parent, err))?;
        }
        std::fs::write(path, content).map_err(|err| io_error(path, err))
    };
    for (path, content) in to_write.iter().filter(|(path, _)| *path != manifest) {
        write(path, content)?;
    }
    for path in remove {
        std::fs::remove_file(path).map_err(|err| io_error(path, err))?;
        remove_empty_parents(root, path);
    }
    for (path, content) in to_write.iter().filter(|(path, _)| *path == manifest) {
        write(path, content)?;
    }
    Ok(())
}

/// Removes the folders above a removed file that it leaves empty, up to `root`.
///
/// `remove_dir` only removes an empty folder, so a folder still holding
/// anything (a user's file included) stays.
fn remove_empty_parents(root: &Path, removed: &Path) {
    let mut folder = removed.parent();
    while let Some(dir) = folder {
        if dir == root || !dir.starts_with(root) || std::fs::remove_dir(dir).is_err() {
            return;
        }
        folder = dir.parent();
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
    fn write_then_check_is_clean_and_files_no_longer_produced_are_removed() {
        let dir = scratch("clean");
        let mut files = Files::new();
        files.insert("src/lib.rs".into(), "// a\n".into());
        files.insert("src/old.rs".into(), "// old\n".into());
        sync(&dir, &files, Mode::Write, "fix").unwrap();
        files.remove("src/old.rs");
        let report = sync(&dir, &files, Mode::Write, "fix").unwrap();
        assert_eq!(report.stale, [dir.join(MANIFEST_FILE)]);
        assert_eq!(report.extra, [dir.join("src/old.rs")]);
        assert!(!dir.join("src/old.rs").exists());
        let again = sync(&dir, &files, Mode::Check, "fix").unwrap();
        assert!(again.is_clean());
        assert_eq!(again.unchanged, 2);
        assert_eq!(
            std::fs::read_to_string(dir.join(MANIFEST_FILE)).unwrap().lines().last(),
            Some("src/lib.rs")
        );
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
