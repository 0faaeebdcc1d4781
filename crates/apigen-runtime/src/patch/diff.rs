//! Computing a patch from a current and a desired document.

use serde::Serialize;
use serde_json::{Map, Value};

use super::error::DiffError;
use super::operation::PatchOperation;
use super::patch::JsonPatch;
use super::pointer::JsonPointer;

/// How [`JsonPatch::diff_with`] builds a patch.
///
/// ```
/// use apigen_runtime::patch::{DiffOptions, JsonPatch, JsonPointer};
/// use serde_json::json;
///
/// let current = json!({"_id": "t1", "version": 3, "role": "reader"});
/// let desired = json!({"_id": "changed", "version": 3, "role": "writer"});
/// let options = DiffOptions::new()
///     .skip_read_only(true)
///     .guard_path(JsonPointer::from_static("/version"));
/// let patch = JsonPatch::diff_with(&current, &desired, &options).unwrap();
/// assert_eq!(
///     serde_json::to_value(&patch).unwrap(),
///     json!([
///         {"op": "test", "path": "/version", "value": 3},
///         {"op": "replace", "path": "/role", "value": "writer"},
///     ])
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiffOptions {
    /// Leave read-only members alone: members whose names start with `_`
    /// (LaunchDarkly's `_links`, `_id`, ...), at any depth.
    ///
    /// They are neither compared nor written: no operation's path passes
    /// through one, and values being added or replaced are sent with such
    /// members stripped. Where the patch descends into an object, its
    /// read-only members keep whatever value the server has.
    pub skip_read_only: bool,
    /// Put a `test` operation first for every value being replaced or
    /// removed, so the server rejects the patch if someone changed those
    /// values since `current` was read (optimistic concurrency).
    ///
    /// The tests carry the values of `current` as given, so `current` must be
    /// the document as the server has it: a typed value that drops unknown
    /// fields makes tests on whole objects fail, which is the safe direction.
    pub guard_with_tests: bool,
    /// Pointers to test first, with their values in `current`, such as
    /// `/version`; the usual LaunchDarkly way to detect concurrent changes.
    pub guard_paths: Vec<JsonPointer>,
}

impl DiffOptions {
    /// Options that change nothing: a plain diff.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`skip_read_only`](Self::skip_read_only).
    #[must_use]
    pub fn skip_read_only(mut self, skip: bool) -> Self {
        self.skip_read_only = skip;
        self
    }

    /// Sets [`guard_with_tests`](Self::guard_with_tests).
    #[must_use]
    pub fn guard_with_tests(mut self, guard: bool) -> Self {
        self.guard_with_tests = guard;
        self
    }

    /// Adds a pointer to [`guard_paths`](Self::guard_paths).
    #[must_use]
    pub fn guard_path(mut self, pointer: JsonPointer) -> Self {
        self.guard_paths.push(pointer);
        self
    }
}

/// Whether a member name is read-only in LaunchDarkly (starts with `_`).
pub fn is_read_only_member(name: &str) -> bool {
    name.starts_with('_')
}

impl JsonPatch {
    /// The patch that turns `current` into `desired`.
    ///
    /// Objects are compared member by member and arrays index by index (no
    /// move detection, like the `json-patch` crate's diff), so that every
    /// `replace` and `remove` path names a location in `current`: array
    /// elements are removed from the last one down. A patch of equal
    /// documents is empty.
    pub fn diff(current: &Value, desired: &Value) -> JsonPatch {
        let mut walker = Walker::new(&DiffOptions::default());
        walker.walk(current, desired, &mut JsonPointer::root());
        JsonPatch::from(walker.changes)
    }

    /// [`diff`](Self::diff) with options; see [`DiffOptions`]. Guards are
    /// only emitted when there is something to change, so an empty result
    /// still means "nothing to send".
    ///
    /// # Errors
    ///
    /// [`DiffError::GuardPathMissing`] when a guard path names nothing in
    /// `current`.
    pub fn diff_with(current: &Value, desired: &Value, options: &DiffOptions) -> Result<JsonPatch, DiffError> {
        // Resolve guards before diffing so that a mistyped guard is reported
        // even when the documents happen to be equal.
        let mut guards = Vec::with_capacity(options.guard_paths.len());
        for pointer in &options.guard_paths {
            let value = current
                .pointer(pointer.as_str())
                .ok_or_else(|| DiffError::GuardPathMissing {
                    pointer: pointer.clone(),
                })?;
            guards.push(PatchOperation::test(pointer.clone(), value.clone()));
        }
        let mut walker = Walker::new(options);
        walker.walk(current, desired, &mut JsonPointer::root());
        if walker.changes.is_empty() {
            return Ok(JsonPatch::new());
        }
        // A value guarded explicitly needs no second, identical test.
        let tests: Vec<_> = walker.tests.into_iter().filter(|test| !guards.contains(test)).collect();
        Ok(guards.into_iter().chain(tests).chain(walker.changes).collect())
    }

    /// [`diff_with`](Self::diff_with) for typed values, compared as their
    /// JSON serialisations.
    ///
    /// # Errors
    ///
    /// [`DiffError::Serialize`] when a value does not serialise, and the
    /// errors of [`diff_with`](Self::diff_with).
    pub fn diff_serialize<T: Serialize + ?Sized>(
        current: &T,
        desired: &T,
        options: &DiffOptions,
    ) -> Result<JsonPatch, DiffError> {
        let current = serde_json::to_value(current).map_err(|source| DiffError::Serialize {
            which: "current",
            source,
        })?;
        let desired = serde_json::to_value(desired).map_err(|source| DiffError::Serialize {
            which: "desired",
            source,
        })?;
        Self::diff_with(&current, &desired, options)
    }
}

/// Walks two documents side by side, collecting changes and their guards.
///
/// Ours rather than `json_patch::diff` because that one cannot skip
/// members, and removes surplus array elements by repeating one index,
/// which would make guard tests placed first name the wrong elements.
struct Walker {
    skip_read_only: bool,
    guard: bool,
    tests: Vec<PatchOperation>,
    changes: Vec<PatchOperation>,
}

impl Walker {
    fn new(options: &DiffOptions) -> Self {
        Self {
            skip_read_only: options.skip_read_only,
            guard: options.guard_with_tests,
            tests: Vec::new(),
            changes: Vec::new(),
        }
    }

    fn walk(&mut self, current: &Value, desired: &Value, path: &mut JsonPointer) {
        if current == desired {
            return;
        }
        match (current, desired) {
            (Value::Object(current), Value::Object(desired)) => self.objects(current, desired, path),
            (Value::Array(current), Value::Array(desired)) => self.arrays(current, desired, path),
            _ => {
                self.guard(current, path);
                let value = self.outgoing(desired);
                self.changes.push(PatchOperation::replace(path.clone(), value));
            }
        }
    }

    fn objects(&mut self, current: &Map<String, Value>, desired: &Map<String, Value>, path: &mut JsonPointer) {
        for (name, desired_value) in desired {
            if self.skips(name) {
                continue;
            }
            path.push_token(name);
            match current.get(name) {
                Some(current_value) => self.walk(current_value, desired_value, path),
                None => {
                    let value = self.outgoing(desired_value);
                    self.changes.push(PatchOperation::add(path.clone(), value));
                }
            }
            path.pop();
        }
        for (name, current_value) in current {
            if self.skips(name) || desired.contains_key(name) {
                continue;
            }
            path.push_token(name);
            self.remove(current_value, path);
            path.pop();
        }
    }

    fn arrays(&mut self, current: &[Value], desired: &[Value], path: &mut JsonPointer) {
        let common = current.len().min(desired.len());
        for (index, (current_value, desired_value)) in current.iter().zip(desired).enumerate() {
            path.push_token(&index.to_string());
            self.walk(current_value, desired_value, path);
            path.pop();
        }
        for (index, desired_value) in desired.iter().enumerate().skip(common) {
            let value = self.outgoing(desired_value);
            self.changes
                .push(PatchOperation::add(path.child(&index.to_string()), value));
        }
        // From the end down, so each index still names the element it had in
        // `current` when its operation runs.
        for (index, current_value) in current.iter().enumerate().skip(common).rev() {
            path.push_token(&index.to_string());
            self.remove(current_value, path);
            path.pop();
        }
    }

    fn remove(&mut self, current: &Value, path: &JsonPointer) {
        self.guard(current, path);
        self.changes.push(PatchOperation::remove(path.clone()));
    }

    fn guard(&mut self, current: &Value, path: &JsonPointer) {
        if self.guard {
            self.tests.push(PatchOperation::test(path.clone(), current.clone()));
        }
    }

    fn skips(&self, name: &str) -> bool {
        self.skip_read_only && is_read_only_member(name)
    }

    /// A value about to be sent, without read-only members when skipping.
    fn outgoing(&self, value: &Value) -> Value {
        if self.skip_read_only {
            strip_read_only(value)
        } else {
            value.clone()
        }
    }
}

/// A copy of `value` without members whose names start with `_`, at any depth.
pub fn strip_read_only(value: &Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .filter(|(name, _)| !is_read_only_member(name))
                .map(|(name, member)| (name.clone(), strip_read_only(member)))
                .collect(),
        ),
        Value::Array(elements) => Value::Array(elements.iter().map(strip_read_only).collect()),
        scalar => scalar.clone(),
    }
}
