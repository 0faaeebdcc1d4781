//! JSON Patch (RFC 6902) and JSON Pointer (RFC 6901) support.
//!
//! LaunchDarkly updates resources with `PATCH` requests whose body is a JSON
//! Patch, optionally wrapped with a comment (`{"comment": ..., "patch": [...]}`).
//! This module builds such bodies in three ways, from the most to the least
//! typed:
//!
//! - [`TypedPatch`] with [`FieldPath`]s emitted by the generator: wrong value
//!   types do not compile;
//! - [`JsonPatch::diff_with`] / [`JsonPatch::diff_serialize`] between the
//!   current and the desired document, optionally leaving read-only `_`
//!   members alone and guarding with `test` operations;
//! - [`JsonPatch`]'s own builders with pointer text, and
//!   [`JsonPatch::from_value`] / [`RawPatchOperation`] for arbitrary JSON.
//!
//! Whatever the route, [`JsonPatch::validate`] is the one check generated
//! clients run before sending, and [`JsonPatch::apply_to`] /
//! [`JsonPatch::preview`] show the result locally.
//!
//! Generated patch methods take `impl IntoPatch<Resource>`: a
//! [`TypedPatch<Resource>`], a [`JsonPatch`] or a `Vec<PatchOperation>`. Where
//! the schema has the comment envelope, the request builder also has a
//! `comment` setter and sends a [`PatchWithComment`].

mod apply;
mod comment;
mod diff;
mod error;
mod operation;
// The module is named after the type it holds, like its siblings.
#[allow(clippy::module_inception)]
mod patch;
mod pointer;
mod typed;

pub use comment::PatchWithComment;
pub use diff::{DiffOptions, is_read_only_member, strip_read_only};
pub use error::{
    ApplyFailure, DiffError, OperationRule, PatchApplyError, PatchValidationError, PointerError, PreviewError,
};
pub use operation::{OpKind, PatchOperation, RawPatchOperation};
pub use patch::JsonPatch;
pub use pointer::{IntoPointer, JsonPointer, Tokens};
pub use typed::{FieldPath, FieldPaths, HasFieldPaths, IntoPatch, ListLike, MapLike, TypedPatch};
