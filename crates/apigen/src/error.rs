//! Errors of the generator, each naming the file and the place in it.

use std::path::PathBuf;

/// Where in a document a problem was found: the file and an RFC 6901 JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The spec file as the user named it.
    pub file: PathBuf,
    /// JSON pointer into the document, such as `#/components/schemas/Token`.
    pub pointer: String,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.pointer)
    }
}

/// Everything that can go wrong between reading a spec and producing files.
///
/// Every variant that concerns the document carries a [`Location`] and a hint
/// on what to do, so a user can go straight to the offending line.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec file could not be read.
    #[error("{}: cannot read the spec file: {source}; check the path given with --spec", path.display())]
    Read {
        /// The file that could not be read.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file is not valid YAML or JSON.
    #[error("{}: not valid {format}: {message}; fix the syntax at that position", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// "YAML" or "JSON".
        format: &'static str,
        /// The parser's message, which includes line and column.
        message: String,
    },
    /// The document is valid YAML/JSON but not an OpenAPI 3.x document we accept.
    #[error("{location}: {message}; {hint}")]
    Unsupported {
        /// Where.
        location: Location,
        /// What is wrong.
        message: String,
        /// What to do about it.
        hint: String,
    },
    /// A value has the wrong shape for the OpenAPI schema.
    #[error("{location}: invalid OpenAPI document: {message}; correct the value at that pointer")]
    Shape {
        /// Where.
        location: Location,
        /// What the typed parser said.
        message: String,
    },
    /// A `$ref` points nowhere.
    #[error("{location}: $ref `{reference}` does not resolve; define the target or fix the reference")]
    DanglingRef {
        /// The place holding the reference.
        location: Location,
        /// The reference text.
        reference: String,
    },
    /// Anything else that is wrong with the content of the document.
    #[error("{location}: {message}; {hint}")]
    Invalid {
        /// Where.
        location: Location,
        /// What is wrong.
        message: String,
        /// What to do about it.
        hint: String,
    },
    /// An overlay file is invalid, or one of its actions cannot apply to the
    /// document; the location is in the overlay file, such as `#/actions/3`.
    #[error("{location}: overlay: {message}; {hint}")]
    Overlay {
        /// The overlay file and the place in it.
        location: Location,
        /// What is wrong.
        message: String,
        /// What to do about it.
        hint: String,
    },
    /// The codegen configuration file is wrong.
    #[error("{}: invalid codegen configuration: {message}", path.display())]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Emitted tokens did not parse back as Rust: a generator bug, reported with the file name.
    #[error("internal error: generated {file} is not valid Rust ({message}); please report this with the spec")]
    Emit {
        /// The generated file.
        file: String,
        /// The parser's message.
        message: String,
    },
    /// The output folder holds files, none of which an earlier run wrote.
    #[error(
        "{}: the output folder holds files apigen did not write ({}) and no {} from an earlier run; nothing was written. Give --out a new or empty folder, or move those files away",
        path.display(), found.join(", "), crate::write::MANIFEST_FILE
    )]
    OutputNotGenerated {
        /// The output folder.
        path: PathBuf,
        /// The first few files found, relative to the folder.
        found: Vec<String>,
    },
    /// A file the generator would write exists and was not written by it.
    #[error(
        "{}: this file exists and apigen did not write it (it is not in {} and lacks the @generated header); nothing was written. Move the file away or give --out another folder",
        path.display(), crate::write::MANIFEST_FILE
    )]
    OutputOverwrite {
        /// The file.
        path: PathBuf,
    },
    /// A generated file's place is, or lies under, a symbolic link.
    #[error(
        "{}: is a symbolic link; generated files are never written through links, so nothing was written. Replace the link with a real folder or give --out another folder",
        path.display()
    )]
    OutputSymlink {
        /// The link.
        path: PathBuf,
    },
    /// The output folder is, or contains, a folder it must not touch.
    #[error(
        "--out {}: is at or above {what} ({}); generating there could overwrite it. Give --out a folder of its own, such as target/my-api or generated/my-api",
        out.display(), protected.display()
    )]
    OutputEncloses {
        /// The output folder as given.
        out: PathBuf,
        /// The folder it encloses.
        protected: PathBuf,
        /// What that folder is ("the workspace root").
        what: String,
    },
    /// The manifest of an earlier run cannot be trusted.
    #[error(
        "{}:{line}: {message}; this file lists what apigen wrote, so a wrong line could remove the wrong file. Fix or remove that line",
        path.display()
    )]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// The 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Writing or checking the output folder failed.
    #[error("{}: {message}", path.display())]
    Output {
        /// The file or folder.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// The place in a document the error is about, if it is about one.
    pub fn location_mut(&mut self) -> Option<&mut Location> {
        match self {
            Error::Unsupported { location, .. }
            | Error::Shape { location, .. }
            | Error::DanglingRef { location, .. }
            | Error::Invalid { location, .. } => Some(location),
            _ => None,
        }
    }

    /// Points the error at the file and pointer its place was bundled from.
    pub fn relocate(&mut self, origins: &crate::load::Origins) {
        if let Some(location) = self.location_mut() {
            if let Some((file, pointer)) = origins.locate(&location.pointer) {
                *location = Location { file, pointer };
            }
        }
    }
}

/// Result type of the generator.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Appends one reference token to a JSON pointer, escaping `~` and `/` as RFC 6901 requires.
pub fn pointer_push(pointer: &str, token: &str) -> String {
    let escaped = token.replace('~', "~0").replace('/', "~1");
    format!("{pointer}/{escaped}")
}
