//! Typed field paths, the foundation generated code builds patches on.
//!
//! For every patched resource the generator emits a *paths struct* (such
//! as `TokenPaths<Root>`) with one method per field returning a
//! [`FieldPath`] that carries both the root type and the field's Rust type.
//! [`TypedPatch`] only accepts values of that type, so a patch that puts a
//! number where a role name goes does not compile. Lists, maps and nested
//! objects are reached from a field path by the field's type alone
//! ([`FieldPath::index`], [`FieldPath::key`], [`FieldPath::fields`]), so the
//! generator never has to decide which wrapper type to emit.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::comment::PatchWithComment;
use super::diff::DiffOptions;
use super::error::{DiffError, PatchValidationError, PreviewError};
use super::operation::PatchOperation;
use super::patch::JsonPatch;
use super::pointer::JsonPointer;

/// A pointer into a `Root` document at which a value of type `T` lives.
///
/// The type parameters exist only at compile time; at run time this is a
/// [`JsonPointer`]. `fn() -> (Root, T)` keeps the path `Send`, `Sync` and
/// covariant whatever `Root` and `T` are.
pub struct FieldPath<Root, T> {
    pointer: JsonPointer,
    _marker: PhantomData<fn() -> (Root, T)>,
}

impl<Root, T> FieldPath<Root, T> {
    /// A path at `pointer`; the caller vouches that a `T` lives there.
    ///
    /// `const`, so generated code can declare root-level paths as constants
    /// with [`JsonPointer::from_static`].
    pub const fn new(pointer: JsonPointer) -> Self {
        Self {
            pointer,
            _marker: PhantomData,
        }
    }

    /// A path from unescaped tokens; the caller vouches for `T`.
    pub fn from_tokens<I, S>(tokens: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Self::new(JsonPointer::from_tokens(tokens))
    }

    /// The member `name` of the object at this path; the caller vouches
    /// that a `U` lives there. Generated paths structs are built from this.
    pub fn child<U>(&self, name: &str) -> FieldPath<Root, U> {
        FieldPath::new(self.pointer.child(name))
    }

    /// The pointer.
    pub fn pointer(&self) -> &JsonPointer {
        &self.pointer
    }

    /// The pointer, by value.
    pub fn into_pointer(self) -> JsonPointer {
        self.pointer
    }
}

impl<Root> FieldPath<Root, Root> {
    /// The whole document.
    pub const fn root() -> Self {
        Self::new(JsonPointer::root())
    }
}

impl<Root, T: ListLike> FieldPath<Root, T> {
    /// The element at `index`.
    pub fn index(&self, index: usize) -> FieldPath<Root, T::Item> {
        FieldPath::new(self.pointer.clone().push_index(index))
    }

    /// The position after the last element (`-`): the target of `add` that
    /// appends.
    pub fn append(&self) -> FieldPath<Root, T::Item> {
        FieldPath::new(self.pointer.clone().push_append())
    }
}

impl<Root, T: MapLike> FieldPath<Root, T> {
    /// The entry `key` (escaped as a pointer token, so any text is fine).
    pub fn key(&self, key: &str) -> FieldPath<Root, T::Value> {
        FieldPath::new(self.pointer.child(key))
    }
}

impl<Root, T: HasFieldPaths> FieldPath<Root, T> {
    /// The paths of the fields of the object at this path, still rooted at
    /// `Root`.
    pub fn fields(&self) -> T::Paths<Root> {
        <T::Paths<Root> as FieldPaths>::at(self.pointer.clone())
    }
}

// Written by hand because derives would demand `Root: Clone` and so on,
// although only the pointer is stored.
impl<Root, T> Clone for FieldPath<Root, T> {
    fn clone(&self) -> Self {
        Self::new(self.pointer.clone())
    }
}

impl<Root, T> fmt::Debug for FieldPath<Root, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("FieldPath").field(&self.pointer.as_str()).finish()
    }
}

impl<Root, T> PartialEq for FieldPath<Root, T> {
    fn eq(&self, other: &Self) -> bool {
        self.pointer == other.pointer
    }
}

impl<Root, T> Eq for FieldPath<Root, T> {}

impl<Root, T> Hash for FieldPath<Root, T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.pointer.hash(state);
    }
}

/// Types serialised as a JSON array of `Item`, reachable by
/// [`FieldPath::index`] and [`FieldPath::append`].
pub trait ListLike {
    /// The element type.
    type Item;
}

impl<T> ListLike for Vec<T> {
    type Item = T;
}

impl<T> ListLike for VecDeque<T> {
    type Item = T;
}

impl<L: ListLike> ListLike for Option<L> {
    type Item = L::Item;
}

impl<L: ListLike> ListLike for Box<L> {
    type Item = L::Item;
}

/// Types serialised as a JSON object with arbitrary keys and `Value`
/// values, reachable by [`FieldPath::key`].
pub trait MapLike {
    /// The value type.
    type Value;
}

impl<V, S> MapLike for HashMap<String, V, S> {
    type Value = V;
}

impl<V> MapLike for BTreeMap<String, V> {
    type Value = V;
}

impl MapLike for serde_json::Map<String, serde_json::Value> {
    type Value = serde_json::Value;
}

impl<M: MapLike> MapLike for Option<M> {
    type Value = M::Value;
}

impl<M: MapLike> MapLike for Box<M> {
    type Value = M::Value;
}

/// A generated paths struct: the typed paths of one object type's fields,
/// below some base pointer.
pub trait FieldPaths {
    /// The paths of an object that lives at `base`.
    fn at(base: JsonPointer) -> Self;
}

/// Object types with a generated paths struct.
pub trait HasFieldPaths {
    /// The paths struct, rooted at `Root`.
    type Paths<Root>: FieldPaths;

    /// The paths of this type's fields from the document root.
    fn paths() -> Self::Paths<Self>
    where
        Self: Sized,
    {
        <Self::Paths<Self> as FieldPaths>::at(JsonPointer::root())
    }
}

impl<T: HasFieldPaths> HasFieldPaths for Option<T> {
    type Paths<Root> = T::Paths<Root>;
}

impl<T: HasFieldPaths> HasFieldPaths for Box<T> {
    type Paths<Root> = T::Paths<Root>;
}

/// A [`JsonPatch`] for documents of type `Root`, built from [`FieldPath`]s.
///
/// Values must have the field's Rust type (anything `Into` it):
///
/// ```
/// use apigen_runtime::patch::{FieldPath, JsonPointer, TypedPatch};
///
/// struct Token;
/// const ROLE: FieldPath<Token, Option<String>> = FieldPath::new(JsonPointer::from_static("/role"));
///
/// let patch = TypedPatch::<Token>::new().replace(ROLE, "writer".to_owned());
/// assert_eq!(
///     serde_json::to_string(&patch.into_patch()).unwrap(),
///     r#"[{"op":"replace","path":"/role","value":"writer"}]"#
/// );
/// ```
///
/// and anything else does not compile:
///
/// ```compile_fail
/// use apigen_runtime::patch::{FieldPath, JsonPointer, TypedPatch};
///
/// struct Token;
/// const ROLE: FieldPath<Token, Option<String>> = FieldPath::new(JsonPointer::from_static("/role"));
///
/// let patch = TypedPatch::<Token>::new().replace(ROLE, 42);
/// ```
///
/// nor does a path into another resource type:
///
/// ```compile_fail
/// use apigen_runtime::patch::{FieldPath, JsonPointer, TypedPatch};
///
/// struct Token;
/// struct Flag;
/// const NAME: FieldPath<Flag, String> = FieldPath::new(JsonPointer::from_static("/name"));
///
/// let patch = TypedPatch::<Token>::new().replace(NAME, "x".to_owned());
/// ```
///
/// # Serialisation failures
///
/// Serialising a value into JSON can fail (a map with non-string keys, a
/// hand-written `Serialize` that errors). Rather than making every builder
/// call fallible for a case generated types cannot hit, the failing
/// operation is left out and the error recorded in the patch:
/// [`validate`](Self::validate), which generated clients call before
/// sending, reports it with the operation's index as
/// [`OperationRule::UnserializableValue`](super::OperationRule::UnserializableValue),
/// and serialising the patch fails with the same message.
pub struct TypedPatch<Root> {
    patch: JsonPatch,
    _root: PhantomData<fn() -> Root>,
}

impl<Root> TypedPatch<Root> {
    /// An empty patch.
    pub fn new() -> Self {
        Self::from_patch(JsonPatch::new())
    }

    /// Wraps an untyped patch, trusting that it targets a `Root`.
    pub fn from_patch(patch: JsonPatch) -> Self {
        Self {
            patch,
            _root: PhantomData,
        }
    }

    fn push_valued<T: Serialize>(
        mut self,
        path: FieldPath<Root, T>,
        value: T,
        build: fn(JsonPointer, serde_json::Value) -> PatchOperation,
    ) -> Self {
        let operation = serde_json::to_value(value).map(|value| build(path.into_pointer(), value));
        self.patch.push_result(operation);
        self
    }

    /// Adds an `add` operation.
    #[must_use]
    pub fn add<T: Serialize>(self, path: FieldPath<Root, T>, value: impl Into<T>) -> Self {
        self.push_valued(path, value.into(), PatchOperation::add)
    }

    /// Adds a `replace` operation.
    #[must_use]
    pub fn replace<T: Serialize>(self, path: FieldPath<Root, T>, value: impl Into<T>) -> Self {
        self.push_valued(path, value.into(), PatchOperation::replace)
    }

    /// Adds a `test` operation.
    #[must_use]
    pub fn test<T: Serialize>(self, path: FieldPath<Root, T>, value: impl Into<T>) -> Self {
        self.push_valued(path, value.into(), PatchOperation::test)
    }

    /// Adds a `remove` operation.
    #[must_use]
    pub fn remove<T>(mut self, path: FieldPath<Root, T>) -> Self {
        self.patch.push(PatchOperation::remove(path.into_pointer()));
        self
    }

    /// Adds a `move` operation between two paths of the same type.
    #[must_use]
    pub fn move_from<T>(mut self, from: FieldPath<Root, T>, to: FieldPath<Root, T>) -> Self {
        self.patch
            .push(PatchOperation::move_from(from.into_pointer(), to.into_pointer()));
        self
    }

    /// Adds a `copy` operation between two paths of the same type.
    #[must_use]
    pub fn copy_from<T>(mut self, from: FieldPath<Root, T>, to: FieldPath<Root, T>) -> Self {
        self.patch
            .push(PatchOperation::copy_from(from.into_pointer(), to.into_pointer()));
        self
    }

    /// Adds untyped operations, for fields the schema does not describe,
    /// such as a guard on `/version`.
    #[must_use]
    pub fn untyped(self, build: impl FnOnce(JsonPatch) -> JsonPatch) -> Self {
        Self::from_patch(build(self.patch))
    }

    /// Checks the patch; see [`JsonPatch::validate`].
    ///
    /// # Errors
    ///
    /// The first invalid operation, with its index and the rule it breaks.
    pub fn validate(&self) -> Result<(), PatchValidationError> {
        self.patch.validate()
    }

    /// The untyped patch.
    pub fn as_patch(&self) -> &JsonPatch {
        &self.patch
    }

    /// The untyped patch, by value.
    pub fn into_patch(self) -> JsonPatch {
        self.patch
    }

    /// Wraps the patch with a change comment.
    pub fn with_comment(self, comment: impl Into<String>) -> PatchWithComment {
        self.patch.with_comment(comment)
    }
}

impl<Root: Serialize> TypedPatch<Root> {
    /// The patch from `current` to `desired`; see [`JsonPatch::diff_with`].
    ///
    /// # Errors
    ///
    /// See [`JsonPatch::diff_serialize`].
    pub fn diff(current: &Root, desired: &Root, options: &DiffOptions) -> Result<Self, DiffError> {
        JsonPatch::diff_serialize(current, desired, options).map(Self::from_patch)
    }
}

impl<Root: Serialize + DeserializeOwned> TypedPatch<Root> {
    /// What `current` becomes once patched; see [`JsonPatch::preview`].
    ///
    /// # Errors
    ///
    /// See [`JsonPatch::preview`].
    pub fn preview(&self, current: &Root) -> Result<Root, PreviewError> {
        self.patch.preview(current)
    }
}

impl<Root> Default for TypedPatch<Root> {
    fn default() -> Self {
        Self::new()
    }
}

impl<Root> Clone for TypedPatch<Root> {
    fn clone(&self) -> Self {
        Self::from_patch(self.patch.clone())
    }
}

impl<Root> fmt::Debug for TypedPatch<Root> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TypedPatch").field(&self.patch).finish()
    }
}

impl<Root> PartialEq for TypedPatch<Root> {
    fn eq(&self, other: &Self) -> bool {
        self.patch == other.patch
    }
}

impl<Root> From<TypedPatch<Root>> for JsonPatch {
    fn from(patch: TypedPatch<Root>) -> Self {
        patch.patch
    }
}

impl<Root> From<&TypedPatch<Root>> for JsonPatch {
    fn from(patch: &TypedPatch<Root>) -> Self {
        patch.patch.clone()
    }
}

impl<Root> From<TypedPatch<Root>> for PatchWithComment {
    fn from(patch: TypedPatch<Root>) -> Self {
        Self::new(patch.patch)
    }
}

impl<Root> Serialize for TypedPatch<Root> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.patch.serialize(serializer)
    }
}

/// What generated patch methods accept as the patch of a `Root` document:
/// a [`TypedPatch<Root>`] (checked against `Root` at compile time), or an
/// untyped [`JsonPatch`] or list of [`PatchOperation`]s for what the schema
/// does not describe.
pub trait IntoPatch<Root> {
    /// The operations to send.
    fn into_patch(self) -> JsonPatch;
}

impl<Root> IntoPatch<Root> for TypedPatch<Root> {
    fn into_patch(self) -> JsonPatch {
        self.patch
    }
}

impl<Root> IntoPatch<Root> for JsonPatch {
    fn into_patch(self) -> JsonPatch {
        self
    }
}

impl<Root> IntoPatch<Root> for &JsonPatch {
    fn into_patch(self) -> JsonPatch {
        self.clone()
    }
}

impl<Root> IntoPatch<Root> for Vec<PatchOperation> {
    fn into_patch(self) -> JsonPatch {
        JsonPatch::from(self)
    }
}
