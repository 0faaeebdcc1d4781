//! [`JsonPatch`]: an ordered list of operations, and its serialisation.

use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::comment::PatchWithComment;
use super::error::{OperationRule, PatchValidationError};
use super::operation::{PatchOperation, RawPatchOperation};
use super::pointer::{IntoPointer, JsonPointer};

/// A JSON Patch document (RFC 6902): operations applied in order, all or
/// nothing.
///
/// Build one with the chaining methods, from typed field paths with
/// [`TypedPatch`](super::TypedPatch), as a diff of two documents with
/// [`diff`](Self::diff), or from arbitrary JSON with
/// [`from_value`](Self::from_value).
///
/// ```
/// use apigen_runtime::patch::JsonPatch;
/// use serde_json::json;
///
/// let patch = JsonPatch::new()
///     .test("/version", 10)
///     .replace("/role", "writer")
///     .add("/customRoleIds/-", "abc");
/// assert!(patch.validate().is_ok());
/// assert_eq!(
///     serde_json::to_value(&patch).unwrap(),
///     json!([
///         {"op": "test", "path": "/version", "value": 10},
///         {"op": "replace", "path": "/role", "value": "writer"},
///         {"op": "add", "path": "/customRoleIds/-", "value": "abc"},
///     ])
/// );
/// ```
///
/// # Validity
///
/// Operations built from [`JsonPointer`]s and typed paths are valid by
/// construction. Two things can still make a patch invalid, and both are
/// recorded rather than panicking: a pointer given as text that does not
/// parse (the operation is kept as a [`RawPatchOperation`]), and a value a
/// [`TypedPatch`](super::TypedPatch) method could not serialise. Generated
/// clients call [`validate`](Self::validate) before sending, and
/// serialising an invalid patch fails with the same message, so an invalid
/// patch never reaches the network.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonPatch {
    operations: Vec<PatchOperation>,
    // The first value a typed builder could not serialise. The operation is
    // not stored, so `index` is the position it would have had.
    unserializable: Option<Unserializable>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Unserializable {
    index: usize,
    message: String,
}

impl JsonPatch {
    /// An empty patch.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads a patch from arbitrary JSON without checking operation rules.
    ///
    /// Valid operations become typed; the others are kept as
    /// [`PatchOperation::Raw`] for [`validate`](Self::validate) to report.
    ///
    /// # Errors
    ///
    /// Only when the JSON cannot hold operations at all: it is not an array,
    /// an element is not an object, or `op`, `path` or a needed `from` is
    /// missing or not a string.
    pub fn from_value(value: Value) -> Result<Self, PatchValidationError> {
        let Value::Array(elements) = value else {
            return Err(PatchValidationError::NotAnArray);
        };
        let operations = elements
            .into_iter()
            .enumerate()
            .map(|(index, element)| {
                RawPatchOperation::from_json(element)
                    .map(|raw| PatchOperation::Raw(raw).normalize())
                    .map_err(|rule| PatchValidationError::Operation { index, rule })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            operations,
            unserializable: None,
        })
    }

    /// A patch of raw operations, each converted to its typed form when valid.
    pub fn from_raw(operations: impl IntoIterator<Item = RawPatchOperation>) -> Self {
        operations
            .into_iter()
            .map(PatchOperation::Raw)
            .map(PatchOperation::normalize)
            .collect()
    }

    /// Checks every operation; the single check generated clients run
    /// before sending.
    ///
    /// # Errors
    ///
    /// The first invalid operation, with its index and the rule it breaks.
    pub fn validate(&self) -> Result<(), PatchValidationError> {
        let first_raw = self
            .operations
            .iter()
            .enumerate()
            .find_map(|(index, op)| op.validate().err().map(|rule| (index, rule)));
        // An unserialisable value at index `i` was never stored, so stored
        // operations from `i` on sit one place earlier than the caller
        // thinks: it wins ties to keep the reported index right.
        let first = match (&self.unserializable, first_raw) {
            (Some(bad), raw) if raw.as_ref().is_none_or(|(index, _)| bad.index <= *index) => (
                bad.index,
                OperationRule::UnserializableValue {
                    message: bad.message.clone(),
                },
            ),
            (_, Some(raw)) => raw,
            (_, None) => return Ok(()),
        };
        Err(PatchValidationError::Operation {
            index: first.0,
            rule: first.1,
        })
    }

    /// Appends an operation.
    pub fn push(&mut self, operation: PatchOperation) {
        self.operations.push(operation);
    }

    /// Appends a raw operation, typed if it is valid.
    pub fn push_raw(&mut self, operation: RawPatchOperation) {
        self.push(PatchOperation::Raw(operation).normalize());
    }

    /// Appends a typed operation whose value may have failed to serialise.
    pub(crate) fn push_result(&mut self, operation: Result<PatchOperation, serde_json::Error>) {
        match operation {
            Ok(operation) => self.push(operation),
            Err(error) => {
                if self.unserializable.is_none() {
                    self.unserializable = Some(Unserializable {
                        index: self.operations.len(),
                        message: error.to_string(),
                    });
                }
            }
        }
    }

    /// Appends a single-pointer operation; pointer text that does not parse
    /// is kept raw so that `validate` names it.
    fn push_single(
        mut self,
        op: &str,
        path: impl IntoPointer,
        value: Option<Value>,
        typed: fn(JsonPointer, Option<Value>) -> PatchOperation,
    ) -> Self {
        self.push(match path.into_pointer() {
            Ok(path) => typed(path, value),
            Err(path) => raw(op, path, value, None),
        });
        self
    }

    /// Appends a `move` or `copy`, like [`push_single`](Self::push_single).
    fn push_double(
        mut self,
        op: &str,
        from: impl IntoPointer,
        path: impl IntoPointer,
        typed: fn(JsonPointer, JsonPointer) -> PatchOperation,
    ) -> Self {
        self.push(match (from.into_pointer(), path.into_pointer()) {
            (Ok(from), Ok(path)) => typed(from, path),
            (from, path) => raw(op, text(path), None, Some(text(from))),
        });
        self
    }

    /// Adds an `add` operation.
    #[must_use]
    pub fn add(self, path: impl IntoPointer, value: impl Into<Value>) -> Self {
        self.push_single("add", path, Some(value.into()), |path, value| PatchOperation::Add {
            path,
            value: value.unwrap_or_default(),
        })
    }

    /// Adds a `remove` operation.
    #[must_use]
    pub fn remove(self, path: impl IntoPointer) -> Self {
        self.push_single("remove", path, None, |path, _| PatchOperation::Remove { path })
    }

    /// Adds a `replace` operation.
    #[must_use]
    pub fn replace(self, path: impl IntoPointer, value: impl Into<Value>) -> Self {
        self.push_single("replace", path, Some(value.into()), |path, value| {
            PatchOperation::Replace {
                path,
                value: value.unwrap_or_default(),
            }
        })
    }

    /// Adds a `move` operation from `from` to `path`.
    #[must_use]
    pub fn move_from(self, from: impl IntoPointer, path: impl IntoPointer) -> Self {
        self.push_double("move", from, path, PatchOperation::move_from)
    }

    /// Adds a `copy` operation from `from` to `path`.
    #[must_use]
    pub fn copy_from(self, from: impl IntoPointer, path: impl IntoPointer) -> Self {
        self.push_double("copy", from, path, PatchOperation::copy_from)
    }

    /// Adds a `test` operation.
    #[must_use]
    pub fn test(self, path: impl IntoPointer, value: impl Into<Value>) -> Self {
        self.push_single("test", path, Some(value.into()), |path, value| PatchOperation::Test {
            path,
            value: value.unwrap_or_default(),
        })
    }

    /// Wraps the patch with a change comment, as LaunchDarkly accepts.
    pub fn with_comment(self, comment: impl Into<String>) -> PatchWithComment {
        PatchWithComment::new(self).with_comment(comment)
    }

    /// The number of operations.
    pub fn len(&self) -> usize {
        self.operations.len()
    }

    /// Whether there are no operations (a diff of equal documents).
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
    }

    /// The operations, in order.
    pub fn as_slice(&self) -> &[PatchOperation] {
        &self.operations
    }

    /// Iterates over the operations, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, PatchOperation> {
        self.operations.iter()
    }

    /// The operations, in order.
    pub fn into_vec(self) -> Vec<PatchOperation> {
        self.operations
    }
}

fn raw(op: &str, path: String, value: Option<Value>, from: Option<String>) -> PatchOperation {
    PatchOperation::Raw(RawPatchOperation {
        op: op.to_owned(),
        path,
        value,
        from,
    })
}

fn text(pointer: Result<JsonPointer, String>) -> String {
    pointer.map_or_else(|text| text, |pointer| pointer.as_str().to_owned())
}

impl From<Vec<PatchOperation>> for JsonPatch {
    fn from(operations: Vec<PatchOperation>) -> Self {
        Self {
            operations,
            unserializable: None,
        }
    }
}

impl FromIterator<PatchOperation> for JsonPatch {
    fn from_iter<I: IntoIterator<Item = PatchOperation>>(iter: I) -> Self {
        Self::from(iter.into_iter().collect::<Vec<_>>())
    }
}

impl Extend<PatchOperation> for JsonPatch {
    fn extend<I: IntoIterator<Item = PatchOperation>>(&mut self, iter: I) {
        self.operations.extend(iter);
    }
}

impl IntoIterator for JsonPatch {
    type Item = PatchOperation;
    type IntoIter = std::vec::IntoIter<PatchOperation>;

    fn into_iter(self) -> Self::IntoIter {
        self.operations.into_iter()
    }
}

impl<'a> IntoIterator for &'a JsonPatch {
    type Item = &'a PatchOperation;
    type IntoIter = std::slice::Iter<'a, PatchOperation>;

    fn into_iter(self) -> Self::IntoIter {
        self.operations.iter()
    }
}

impl From<&JsonPatch> for JsonPatch {
    /// Lets generated methods take `impl Into<JsonPatch>` and still accept a
    /// borrowed patch.
    fn from(patch: &JsonPatch) -> Self {
        patch.clone()
    }
}

impl Serialize for JsonPatch {
    /// Writes a JSON array, or fails with the [`validate`](Self::validate)
    /// message if the patch is invalid.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.validate().map_err(serde::ser::Error::custom)?;
        let mut seq = serializer.serialize_seq(Some(self.operations.len()))?;
        for operation in &self.operations {
            seq.serialize_element(operation)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for JsonPatch {
    /// Reads a JSON array of RFC 6902 operations and rejects invalid ones,
    /// naming the index and rule; use [`from_value`](Self::from_value) to keep
    /// invalid operations instead.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Judged while the deserializer is at the value, so that a refusal
        // names this value's JSON path (see `decode_whole`).
        crate::decode_whole(deserializer, |value| {
            let patch = Self::from_value(value).map_err(serde::de::Error::custom)?;
            patch.validate().map_err(serde::de::Error::custom)?;
            Ok(patch)
        })
    }
}
