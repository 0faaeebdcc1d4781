//! The `{"comment": ..., "patch": [...]}` envelope.

use serde::{Deserialize, Serialize};

use super::error::PatchValidationError;
use super::patch::JsonPatch;

/// A JSON Patch with an optional change comment, which LaunchDarkly records
/// in the audit log.
///
/// Serialises as `{"comment": "...", "patch": [...]}`, without `comment`
/// when it is `None`.
///
/// ```
/// use apigen_runtime::patch::JsonPatch;
///
/// let body = JsonPatch::new().replace("/name", "ci").with_comment("rename");
/// assert_eq!(
///     serde_json::to_string(&body).unwrap(),
///     r#"{"comment":"rename","patch":[{"op":"replace","path":"/name","value":"ci"}]}"#
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatchWithComment {
    /// Why the change is made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The operations.
    pub patch: JsonPatch,
}

impl PatchWithComment {
    /// A patch without a comment.
    pub fn new(patch: impl Into<JsonPatch>) -> Self {
        Self {
            comment: None,
            patch: patch.into(),
        }
    }

    /// Sets the comment.
    #[must_use]
    pub fn with_comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// Checks the patch; see [`JsonPatch::validate`].
    ///
    /// # Errors
    ///
    /// The first invalid operation, with its index and the rule it breaks.
    pub fn validate(&self) -> Result<(), PatchValidationError> {
        self.patch.validate()
    }
}

impl From<JsonPatch> for PatchWithComment {
    fn from(patch: JsonPatch) -> Self {
        Self::new(patch)
    }
}

impl From<&PatchWithComment> for PatchWithComment {
    /// Lets generated methods take `impl Into<PatchWithComment>` and still
    /// accept a borrowed body.
    fn from(body: &PatchWithComment) -> Self {
        body.clone()
    }
}
