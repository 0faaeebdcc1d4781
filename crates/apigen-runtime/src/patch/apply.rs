//! Applying a patch locally, to preview what the server will do.

use json_patch::jsonptr::{PointerBuf, Token};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::{ApplyFailure, PatchApplyError, PreviewError};
use super::operation::PatchOperation;
use super::patch::JsonPatch;
use super::pointer::JsonPointer;

impl JsonPatch {
    /// Applies the patch to a copy of `value` and returns the result, leaving
    /// `value` untouched.
    ///
    /// ```
    /// use apigen_runtime::patch::JsonPatch;
    /// use serde_json::json;
    ///
    /// let patch = JsonPatch::new().replace("/role", "writer").add("/ids/-", "b");
    /// let after = patch.apply_to(&json!({"role": "reader", "ids": ["a"]})).unwrap();
    /// assert_eq!(after, json!({"role": "writer", "ids": ["a", "b"]}));
    /// ```
    ///
    /// # Errors
    ///
    /// [`PatchApplyError::Invalid`] for an invalid patch, and
    /// [`PatchApplyError::Failed`] when an operation does not fit the
    /// document (a failed `test`, a missing path, ...).
    pub fn apply_to(&self, value: &Value) -> Result<Value, PatchApplyError> {
        self.validate()?;
        let operations = self
            .iter()
            .enumerate()
            .map(|(index, operation)| to_engine(index, operation.clone()))
            .collect::<Result<Vec<_>, _>>()?;
        let mut document = value.clone();
        // The all-or-nothing `json_patch::patch` would undo on failure, but
        // we discard the copy anyway, and its undo path can panic on an
        // internal inconsistency, which the unchecked variant never reaches.
        json_patch::patch_unsafe(&mut document, &operations).map_err(|error| PatchApplyError::Failed {
            index: error.operation,
            path: JsonPointer::from_tokens(error.path.tokens().map(|token| token.decoded().into_owned())),
            reason: failure(&error.kind),
        })?;
        Ok(document)
    }

    /// Applies the patch to a typed value: what the resource will look like
    /// after the server applies it, if nobody else changes it first.
    ///
    /// # Errors
    ///
    /// [`PreviewError`] if `current` does not serialise, the patch does not
    /// apply, or the result no longer fits `T`.
    pub fn preview<T: Serialize + DeserializeOwned>(&self, current: &T) -> Result<T, PreviewError> {
        let value = serde_json::to_value(current).map_err(PreviewError::Serialize)?;
        let patched = self.apply_to(&value)?;
        serde_json::from_value(patched).map_err(PreviewError::Deserialize)
    }
}

/// Converts one checked operation to the `json_patch` engine's type.
fn to_engine(index: usize, operation: PatchOperation) -> Result<json_patch::PatchOperation, PatchApplyError> {
    use json_patch::{AddOperation, CopyOperation, MoveOperation, RemoveOperation, ReplaceOperation, TestOperation};
    Ok(match operation.normalize() {
        PatchOperation::Add { path, value } => json_patch::PatchOperation::Add(AddOperation {
            path: engine_pointer(&path),
            value,
        }),
        PatchOperation::Remove { path } => json_patch::PatchOperation::Remove(RemoveOperation {
            path: engine_pointer(&path),
        }),
        PatchOperation::Replace { path, value } => json_patch::PatchOperation::Replace(ReplaceOperation {
            path: engine_pointer(&path),
            value,
        }),
        PatchOperation::Move { from, path } => json_patch::PatchOperation::Move(MoveOperation {
            from: engine_pointer(&from),
            path: engine_pointer(&path),
        }),
        PatchOperation::Copy { from, path } => json_patch::PatchOperation::Copy(CopyOperation {
            from: engine_pointer(&from),
            path: engine_pointer(&path),
        }),
        PatchOperation::Test { path, value } => json_patch::PatchOperation::Test(TestOperation {
            path: engine_pointer(&path),
            value,
        }),
        // `validate` ran first, so a raw operation here normalises to a
        // typed one; reporting rather than panicking keeps that an invariant
        // of this module, not of the caller.
        PatchOperation::Raw(raw) => {
            return Err(PatchApplyError::Failed {
                index,
                path: JsonPointer::root(),
                reason: ApplyFailure::Other(format!("unchecked operation `{}`", raw.op)),
            });
        }
    })
}

fn engine_pointer(pointer: &JsonPointer) -> PointerBuf {
    PointerBuf::from_tokens(pointer.tokens().map(Token::new))
}

fn failure(kind: &json_patch::PatchErrorKind) -> ApplyFailure {
    match kind {
        json_patch::PatchErrorKind::TestFailed => ApplyFailure::TestFailed,
        json_patch::PatchErrorKind::InvalidPointer => ApplyFailure::PathNotFound,
        json_patch::PatchErrorKind::InvalidFromPointer => ApplyFailure::FromNotFound,
        json_patch::PatchErrorKind::CannotMoveInsideItself => ApplyFailure::MoveIntoItself,
        other => ApplyFailure::Other(other.to_string()),
    }
}
