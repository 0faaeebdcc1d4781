//! Errors of the `patch` module.

use super::operation::OpKind;
use super::pointer::JsonPointer;

/// Why a text is not a JSON Pointer (RFC 6901).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PointerError {
    /// A non-empty pointer must start with `/`.
    #[error("a JSON Pointer must be empty or start with `/`")]
    MissingLeadingSlash,
    /// A `~` must be followed by `0` or `1`.
    #[error("`~` at byte {offset} must be followed by `0` or `1`")]
    InvalidEscape {
        /// Byte offset of the offending `~`.
        offset: usize,
    },
}

/// The rule of RFC 6902 that one operation of a patch breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OperationRule {
    /// The operation is not a JSON object.
    #[error("an operation must be a JSON object")]
    NotAnObject,
    /// A member every operation needs (`op` or `path`) is absent.
    #[error("the `{member}` member is required")]
    MissingMember {
        /// `op` or `path`.
        member: &'static str,
    },
    /// `op`, `path` or `from` is not a JSON string.
    #[error("the `{member}` member must be a string")]
    NotAString {
        /// The member's name.
        member: &'static str,
    },
    /// `op` names none of the six RFC 6902 operations.
    #[error("unknown operation `{op}` (expected add, remove, replace, move, copy or test)")]
    UnknownOp {
        /// The `op` text as given.
        op: String,
    },
    /// `add`, `replace` and `test` need a `value` (which may be `null`).
    #[error("`{op}` requires a `value` member")]
    MissingValue {
        /// The operation.
        op: OpKind,
    },
    /// `move` and `copy` need a `from` pointer.
    #[error("`{op}` requires a `from` member")]
    MissingFrom {
        /// The operation.
        op: OpKind,
    },
    /// `path` or `from` is not a valid JSON Pointer.
    #[error("`{member}` is not a valid JSON Pointer: {error}")]
    InvalidPointer {
        /// `path` or `from`.
        member: &'static str,
        /// What is wrong with it.
        error: PointerError,
    },
    /// A typed builder method could not turn its value into JSON (for
    /// example a map with non-string keys), so the operation was not added.
    #[error("the value could not be converted to JSON: {message}")]
    UnserializableValue {
        /// The serialiser's message.
        message: String,
    },
}

/// A patch that must not be sent, with the index of the first bad operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PatchValidationError {
    /// The document is not a JSON array.
    #[error("a JSON Patch must be a JSON array of operations")]
    NotAnArray,
    /// One operation breaks a rule.
    #[error("JSON Patch operation {index} is invalid: {rule}")]
    Operation {
        /// Zero-based position of the operation in the patch.
        index: usize,
        /// The rule it breaks.
        rule: OperationRule,
    },
}

impl PatchValidationError {
    /// Zero-based position of the bad operation, if the error is about one.
    pub fn index(&self) -> Option<usize> {
        match self {
            Self::NotAnArray => None,
            Self::Operation { index, .. } => Some(*index),
        }
    }

    /// The rule the bad operation breaks, if the error is about one.
    pub fn rule(&self) -> Option<&OperationRule> {
        match self {
            Self::NotAnArray => None,
            Self::Operation { rule, .. } => Some(rule),
        }
    }
}

/// Why a valid operation could not be applied to a particular document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApplyFailure {
    /// A `test` operation found a different value.
    #[error("the tested value did not match")]
    TestFailed,
    /// `path` names nothing in the document (or an index out of range).
    #[error("`path` does not exist in the document")]
    PathNotFound,
    /// `from` names nothing in the document.
    #[error("`from` does not exist in the document")]
    FromNotFound,
    /// `move` would put a value inside itself.
    #[error("a value cannot be moved into one of its own children")]
    MoveIntoItself,
    /// Any other failure reported by the patch engine.
    #[error("{0}")]
    Other(String),
}

/// Applying a patch locally failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PatchApplyError {
    /// The patch itself is invalid.
    #[error(transparent)]
    Invalid(#[from] PatchValidationError),
    /// An operation does not fit the document; nothing was changed.
    #[error("JSON Patch operation {index} failed at `{path}`: {reason}")]
    Failed {
        /// Zero-based position of the operation.
        index: usize,
        /// The operation's `path`.
        path: JsonPointer,
        /// What went wrong.
        reason: ApplyFailure,
    },
}

/// Computing a diff failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DiffError {
    /// A value given to [`JsonPatch::diff_serialize`](super::JsonPatch::diff_serialize)
    /// could not be converted to JSON.
    #[error("could not convert the {which} value to JSON")]
    Serialize {
        /// `current` or `desired`.
        which: &'static str,
        /// The serialiser's error.
        #[source]
        source: serde_json::Error,
    },
    /// A pointer in [`DiffOptions::guard_paths`](super::DiffOptions::guard_paths)
    /// names nothing in the current document, so it cannot be guarded.
    #[error("guard path `{pointer}` does not exist in the current document")]
    GuardPathMissing {
        /// The pointer that was asked for.
        pointer: JsonPointer,
    },
}

/// Previewing a patch on a typed value failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PreviewError {
    /// The current value could not be converted to JSON.
    #[error("could not convert the current value to JSON")]
    Serialize(#[source] serde_json::Error),
    /// The patch could not be applied.
    #[error(transparent)]
    Apply(#[from] PatchApplyError),
    /// The patched document no longer fits the Rust type, so the server
    /// would most likely reject the patch too.
    #[error("the patched document does not match the Rust type")]
    Deserialize(#[source] serde_json::Error),
}
