//! Single JSON Patch operations (RFC 6902 §4), typed and raw.

use std::fmt;
use std::str::FromStr;

use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::error::OperationRule;
use super::pointer::JsonPointer;

/// The six operations of RFC 6902.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OpKind {
    /// `add`: insert or set a value.
    Add,
    /// `remove`: delete a value.
    Remove,
    /// `replace`: overwrite an existing value.
    Replace,
    /// `move`: remove at `from`, add at `path`.
    Move,
    /// `copy`: add a copy of the value at `from`.
    Copy,
    /// `test`: fail the whole patch unless the value equals.
    Test,
}

impl OpKind {
    /// The `op` text on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Add => "add",
            Self::Remove => "remove",
            Self::Replace => "replace",
            Self::Move => "move",
            Self::Copy => "copy",
            Self::Test => "test",
        }
    }

    /// Whether RFC 6902 requires a `value` member.
    pub const fn needs_value(self) -> bool {
        matches!(self, Self::Add | Self::Replace | Self::Test)
    }

    /// Whether RFC 6902 requires a `from` member.
    pub const fn needs_from(self) -> bool {
        matches!(self, Self::Move | Self::Copy)
    }
}

impl fmt::Display for OpKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OpKind {
    type Err = OperationRule;

    /// Parses an `op` text; RFC 6902 names are case-sensitive.
    fn from_str(op: &str) -> Result<Self, Self::Err> {
        Ok(match op {
            "add" => Self::Add,
            "remove" => Self::Remove,
            "replace" => Self::Replace,
            "move" => Self::Move,
            "copy" => Self::Copy,
            "test" => Self::Test,
            _ => return Err(OperationRule::UnknownOp { op: op.to_owned() }),
        })
    }
}

/// One JSON Patch operation.
///
/// The six typed variants are valid by construction: their pointers are
/// checked [`JsonPointer`]s and `add`, `replace` and `test` always carry a
/// value, which may be [`Value::Null`] to send `"value": null` explicitly.
/// [`Raw`](Self::Raw) is the untyped escape hatch; it is checked by
/// [`JsonPatch::validate`](super::JsonPatch::validate) before anything is sent.
///
/// Serialises exactly as RFC 6902 writes operations, members in the order
/// `op`, `from`, `path`, `value`:
///
/// ```
/// use apigen_runtime::patch::{JsonPointer, PatchOperation};
///
/// let op = PatchOperation::move_from(JsonPointer::from_static("/a"), JsonPointer::from_static("/b"));
/// assert_eq!(serde_json::to_string(&op).unwrap(), r#"{"op":"move","from":"/a","path":"/b"}"#);
/// ```
///
/// Deserialising accepts the RFC form, ignores unknown members (RFC 6902
/// §4) and rejects operations that break a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatchOperation {
    /// Adds `value` at `path` (inserting into arrays, setting object members).
    Add {
        /// Where to add.
        path: JsonPointer,
        /// What to add.
        value: Value,
    },
    /// Removes the value at `path`.
    Remove {
        /// What to remove.
        path: JsonPointer,
    },
    /// Replaces the existing value at `path`.
    Replace {
        /// What to replace.
        path: JsonPointer,
        /// The new value.
        value: Value,
    },
    /// Moves the value at `from` to `path`.
    Move {
        /// Where the value is now.
        from: JsonPointer,
        /// Where it goes.
        path: JsonPointer,
    },
    /// Copies the value at `from` to `path`.
    Copy {
        /// Where the value is.
        from: JsonPointer,
        /// Where the copy goes.
        path: JsonPointer,
    },
    /// Fails the whole patch unless the value at `path` equals `value`.
    Test {
        /// What to check.
        path: JsonPointer,
        /// The expected value.
        value: Value,
    },
    /// An operation built from arbitrary text, not yet checked.
    Raw(RawPatchOperation),
}

impl PatchOperation {
    /// An `add` operation.
    pub fn add(path: JsonPointer, value: impl Into<Value>) -> Self {
        Self::Add {
            path,
            value: value.into(),
        }
    }

    /// A `remove` operation.
    pub fn remove(path: JsonPointer) -> Self {
        Self::Remove { path }
    }

    /// A `replace` operation.
    pub fn replace(path: JsonPointer, value: impl Into<Value>) -> Self {
        Self::Replace {
            path,
            value: value.into(),
        }
    }

    /// A `move` operation from `from` to `path`.
    pub fn move_from(from: JsonPointer, path: JsonPointer) -> Self {
        Self::Move { from, path }
    }

    /// A `copy` operation from `from` to `path`.
    pub fn copy_from(from: JsonPointer, path: JsonPointer) -> Self {
        Self::Copy { from, path }
    }

    /// A `test` operation.
    pub fn test(path: JsonPointer, value: impl Into<Value>) -> Self {
        Self::Test {
            path,
            value: value.into(),
        }
    }

    /// The `op` text, as given for raw operations.
    pub fn op_name(&self) -> &str {
        match self {
            Self::Raw(raw) => &raw.op,
            typed => typed.kind().map_or("", OpKind::as_str),
        }
    }

    /// The operation, or `None` for a raw operation whose `op` is unknown.
    pub fn kind(&self) -> Option<OpKind> {
        Some(match self {
            Self::Add { .. } => OpKind::Add,
            Self::Remove { .. } => OpKind::Remove,
            Self::Replace { .. } => OpKind::Replace,
            Self::Move { .. } => OpKind::Move,
            Self::Copy { .. } => OpKind::Copy,
            Self::Test { .. } => OpKind::Test,
            Self::Raw(raw) => return raw.op.parse().ok(),
        })
    }

    /// The target pointer of a typed operation (`None` for raw ones, whose
    /// path may not even be a pointer).
    pub fn path(&self) -> Option<&JsonPointer> {
        match self {
            Self::Add { path, .. }
            | Self::Remove { path }
            | Self::Replace { path, .. }
            | Self::Move { path, .. }
            | Self::Copy { path, .. }
            | Self::Test { path, .. } => Some(path),
            Self::Raw(_) => None,
        }
    }

    /// Checks the operation; typed variants always pass.
    ///
    /// # Errors
    ///
    /// The rule a raw operation breaks.
    pub fn validate(&self) -> Result<(), OperationRule> {
        match self {
            Self::Raw(raw) => raw.validate(),
            _ => Ok(()),
        }
    }

    /// Converts a raw operation to its typed variant when it is valid, and
    /// returns every other operation unchanged.
    pub fn normalize(self) -> Self {
        match self {
            Self::Raw(raw) => raw.normalize(),
            typed => typed,
        }
    }
}

impl From<RawPatchOperation> for PatchOperation {
    /// Keeps the raw form; see [`PatchOperation::normalize`].
    fn from(raw: RawPatchOperation) -> Self {
        Self::Raw(raw)
    }
}

/// An unchecked operation: the untyped escape hatch for patches built from
/// arbitrary JSON or text.
///
/// `value: None` means the member is absent, while `Some(Value::Null)` is an
/// explicit `"value": null`; RFC 6902 treats them differently (`add` without
/// a value is invalid, `add` with `null` sets null).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPatchOperation {
    /// The `op` member.
    pub op: String,
    /// The `path` member, escaped.
    pub path: String,
    /// The `value` member, if present.
    pub value: Option<Value>,
    /// The `from` member, escaped, if present.
    pub from: Option<String>,
}

impl RawPatchOperation {
    /// Reads an operation from JSON without checking its rules, only that it
    /// has the members a raw operation can hold.
    ///
    /// A non-string `from` is dropped unless the operation needs one,
    /// because RFC 6902 tells receivers to ignore members an operation does
    /// not use.
    ///
    /// # Errors
    ///
    /// [`OperationRule::NotAnObject`], [`OperationRule::MissingMember`] or
    /// [`OperationRule::NotAString`].
    pub fn from_json(value: Value) -> Result<Self, OperationRule> {
        let Value::Object(mut members) = value else {
            return Err(OperationRule::NotAnObject);
        };
        let op = take_string(&mut members, "op")?;
        let path = take_string(&mut members, "path")?;
        let needs_from = op.parse::<OpKind>().is_ok_and(OpKind::needs_from);
        let from = match members.remove("from") {
            None => None,
            Some(Value::String(from)) => Some(from),
            Some(_) if needs_from => return Err(OperationRule::NotAString { member: "from" }),
            Some(_) => None,
        };
        Ok(Self {
            op,
            path,
            value: members.remove("value"),
            from,
        })
    }

    /// Checks every RFC 6902 rule: a known `op`, `value` and `from` where
    /// required, and pointer syntax of `path` and `from`.
    ///
    /// # Errors
    ///
    /// The first rule broken, checked in that order.
    pub fn validate(&self) -> Result<(), OperationRule> {
        self.checked_parts().map(|_| ())
    }

    /// Converts to the typed operation.
    ///
    /// # Errors
    ///
    /// The first rule broken, as [`validate`](Self::validate) reports it;
    /// clone first to keep the raw operation.
    pub fn into_typed(self) -> Result<PatchOperation, OperationRule> {
        let (kind, path, from) = self.checked_parts()?;
        Ok(assemble(kind, path, from, self.value))
    }

    /// The typed operation when valid, otherwise `self` as a raw one.
    pub(crate) fn normalize(self) -> PatchOperation {
        match self.checked_parts() {
            Ok((kind, path, from)) => assemble(kind, path, from, self.value),
            Err(_) => PatchOperation::Raw(self),
        }
    }

    fn checked_parts(&self) -> Result<(OpKind, JsonPointer, Option<JsonPointer>), OperationRule> {
        let kind: OpKind = self.op.parse()?;
        let path =
            JsonPointer::parse(&self.path).map_err(|error| OperationRule::InvalidPointer { member: "path", error })?;
        if kind.needs_value() && self.value.is_none() {
            return Err(OperationRule::MissingValue { op: kind });
        }
        let from = if kind.needs_from() {
            let from = self.from.as_deref().ok_or(OperationRule::MissingFrom { op: kind })?;
            let from =
                JsonPointer::parse(from).map_err(|error| OperationRule::InvalidPointer { member: "from", error })?;
            Some(from)
        } else {
            None
        };
        Ok((kind, path, from))
    }
}

/// Builds a typed operation from parts `checked_parts` accepted.
fn assemble(kind: OpKind, path: JsonPointer, from: Option<JsonPointer>, value: Option<Value>) -> PatchOperation {
    // `checked_parts` guarantees `value` and `from` where the kind needs
    // them, so the `Null` and root fallbacks are never used.
    let value = value.unwrap_or(Value::Null);
    let from = from.unwrap_or_default();
    match kind {
        OpKind::Add => PatchOperation::Add { path, value },
        OpKind::Remove => PatchOperation::Remove { path },
        OpKind::Replace => PatchOperation::Replace { path, value },
        OpKind::Move => PatchOperation::Move { from, path },
        OpKind::Copy => PatchOperation::Copy { from, path },
        OpKind::Test => PatchOperation::Test { path, value },
    }
}

fn take_string(members: &mut Map<String, Value>, member: &'static str) -> Result<String, OperationRule> {
    match members.remove(member) {
        Some(Value::String(text)) => Ok(text),
        Some(_) => Err(OperationRule::NotAString { member }),
        None => Err(OperationRule::MissingMember { member }),
    }
}

/// Writes one operation in RFC 6902 member order.
fn serialize_parts<S: Serializer>(
    serializer: S,
    op: &str,
    from: Option<&str>,
    path: &str,
    value: Option<&Value>,
) -> Result<S::Ok, S::Error> {
    let len = 2 + usize::from(from.is_some()) + usize::from(value.is_some());
    let mut map = serializer.serialize_map(Some(len))?;
    map.serialize_entry("op", op)?;
    if let Some(from) = from {
        map.serialize_entry("from", from)?;
    }
    map.serialize_entry("path", path)?;
    if let Some(value) = value {
        map.serialize_entry("value", value)?;
    }
    map.end()
}

impl Serialize for PatchOperation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Add { path, value } => serialize_parts(serializer, "add", None, path.as_str(), Some(value)),
            Self::Remove { path } => serialize_parts(serializer, "remove", None, path.as_str(), None),
            Self::Replace { path, value } => serialize_parts(serializer, "replace", None, path.as_str(), Some(value)),
            Self::Move { from, path } => serialize_parts(serializer, "move", Some(from.as_str()), path.as_str(), None),
            Self::Copy { from, path } => serialize_parts(serializer, "copy", Some(from.as_str()), path.as_str(), None),
            Self::Test { path, value } => serialize_parts(serializer, "test", None, path.as_str(), Some(value)),
            Self::Raw(raw) => raw.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for PatchOperation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Judged while the deserializer is at the value, so that a refusal
        // names this value's JSON path (see `decode_whole`).
        crate::decode_whole(deserializer, |value| {
            let raw = RawPatchOperation::from_json(value).map_err(serde::de::Error::custom)?;
            raw.validate().map_err(serde::de::Error::custom)?;
            Ok(PatchOperation::Raw(raw).normalize())
        })
    }
}

impl Serialize for RawPatchOperation {
    /// Writes the members as they are, valid or not; sending goes through
    /// [`JsonPatch`](super::JsonPatch), whose serialisation refuses invalid
    /// operations.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_parts(
            serializer,
            &self.op,
            self.from.as_deref(),
            &self.path,
            self.value.as_ref(),
        )
    }
}

impl<'de> Deserialize<'de> for RawPatchOperation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Going through `Value` keeps "absent" apart from `null`, which a
        // derived `Option<Value>` field would merge; judging it while the
        // deserializer is at the value names this value's JSON path in a
        // refusal (see `decode_whole`).
        crate::decode_whole(deserializer, |value| {
            Self::from_json(value).map_err(serde::de::Error::custom)
        })
    }
}
