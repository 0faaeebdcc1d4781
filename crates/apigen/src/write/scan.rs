//! Looking at an output folder without following symbolic links, and checking
//! that a chosen output folder does not enclose something it must not touch.

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// What an output folder holds, by path relative to it (`/`-separated).
#[derive(Debug, Default)]
pub(super) struct Contents {
    /// Regular files, found without entering linked folders.
    pub files: Vec<String>,
    /// Symbolic links (to files or folders); never followed.
    pub symlinks: Vec<String>,
    /// Whether the folder holds anything at all, empty subfolders included.
    pub non_empty: bool,
}

/// Lists `root` recursively; a missing `root` is empty.
///
/// Entries are classified by their own type (`DirEntry::file_type` does not
/// follow links), so a link to a folder outside is reported, never entered.
pub(super) fn contents(root: &Path) -> Result<Contents> {
    let mut found = Contents::default();
    if std::fs::symlink_metadata(root).is_err() {
        return Ok(found);
    }
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|err| io_error(&dir, err))?;
        for entry in entries {
            let entry = entry.map_err(|err| io_error(&dir, err))?;
            let path = entry.path();
            let kind = entry.file_type().map_err(|err| io_error(&path, err))?;
            found.non_empty = true;
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_symlink() {
                found.symlinks.push(relative(root, &path));
            } else if kind.is_file() {
                found.files.push(relative(root, &path));
            }
        }
    }
    found.files.sort();
    found.symlinks.sort();
    Ok(found)
}

/// The first symbolic link on the way from `root` to `root/relative`, if any.
///
/// Writing or deleting through a link would change a file outside the folder.
pub(super) fn symlink_on_path(root: &Path, relative: &str) -> Option<PathBuf> {
    let mut path = root.to_path_buf();
    for part in relative.split('/') {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => return Some(path),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// A folder the output folder must not be, nor contain.
#[derive(Debug, Clone)]
pub struct Protected<'a> {
    /// The folder.
    pub path: &'a Path,
    /// What it is, for the message ("the workspace root").
    pub what: &'a str,
}

/// Refuses an output folder at or above any `protected` folder.
///
/// Both sides are compared as real paths, so `..`, `.` and links in the
/// existing part of a path cannot hide that one encloses the other.
pub fn check_out_location(out: &Path, protected: &[Protected<'_>]) -> Result<()> {
    let real_out = real_path(out);
    for folder in protected {
        let real = real_path(folder.path);
        if real.starts_with(&real_out) {
            return Err(Error::OutputEncloses {
                out: out.to_path_buf(),
                protected: folder.path.to_path_buf(),
                what: folder.what.to_owned(),
            });
        }
    }
    Ok(())
}

/// `path` made absolute, with its longest existing prefix resolved by the
/// file system and the rest normalised lexically.
fn real_path(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                match part {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    other => out.push(other),
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// An input/output failure on `path`.
pub(super) fn io_error(path: &Path, err: std::io::Error) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        message: err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_at_or_above_a_protected_folder_is_refused() {
        let base = std::env::temp_dir().join(format!("apigen-scan-guard-{}", std::process::id()));
        let project = base.join("project");
        std::fs::create_dir_all(project.join("spec")).unwrap();
        let protected = [Protected {
            path: &project,
            what: "the workspace root",
        }];
        for out in [project.clone(), base.clone(), project.join("spec/..")] {
            let err = check_out_location(&out, &protected).unwrap_err().to_string();
            assert!(err.contains("the workspace root"), "{err}");
            assert!(err.contains(&project.display().to_string()), "{err}");
        }
        assert!(check_out_location(&project.join("target/x"), &protected).is_ok());
        assert!(check_out_location(&project.join("spec/../generated/x"), &protected).is_ok());
        std::fs::remove_dir_all(&base).unwrap();
    }
}
