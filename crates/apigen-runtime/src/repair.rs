//! Lenient decoding: repairing a body, one deviation at a time, until it
//! decodes.
//!
//! The typed decode itself says where a body deviates (a JSON path, found
//! by [`locate`](crate::locate)) and how (the parser's message). After a failure the body is read as a
//! `serde_json::Value`, the one place is repaired when a repair of the
//! kinds [`DecodePolicy::Lenient`](crate::DecodePolicy::Lenient) allows
//! fits, and the whole body is decoded again. Whether a repair fits is
//! decided by decoding, not by guessing the type: a list or a map property
//! is recognised because an empty list (or map) decodes there and the
//! other empty value does not, which also keeps an untyped property (which
//! would take either) from being given a made-up value.
//!
//! Every attempt decodes the re-serialised `Value` with the same
//! deserializer as the first try, so the generated types' `Deserialize`
//! code is instantiated once for both. Repairs cost one to three decodes
//! each and are bounded by a budget of bytes decoded again (see
//! [`MAX_REPAIR_BYTES`]); all the `null` items of one array are dropped in
//! one repair. A body that conforms is decoded exactly once, as under the
//! strict policy.

use serde_json::{Map, Value};

use crate::deviation::{Deviation, DeviationKind};

/// How many bytes lenient decoding may decode again, in all, for one body:
/// 16 times the body, at least 8 MiB (so that a small body may have many
/// deviations) and at most 256 MiB. A large body with many deviations is
/// given up on after about sixteen decodes' worth of work, not seconds.
pub const MAX_REPAIR_BYTES: usize = 256 << 20;

/// See [`MAX_REPAIR_BYTES`].
const MIN_REPAIR_BYTES: usize = 8 << 20;

/// See [`MAX_REPAIR_BYTES`].
const REPAIR_BYTES_PER_BODY_BYTE: usize = 16;

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Index(usize),
    Key(String),
}

/// Where and why a typed decode failed.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub(crate) steps: Vec<Step>,
    pub(crate) message: String,
}

impl Failure {
    /// The failure serde_path_to_error reports, for comparing it with the
    /// one [`locate`](crate::locate) finds.
    #[cfg(test)]
    pub(crate) fn from_tracked(error: &serde_path_to_error::Error<serde_json::Error>) -> Self {
        let steps = error
            .path()
            .iter()
            .map(|segment| match segment {
                serde_path_to_error::Segment::Seq { index } => Step::Index(*index),
                serde_path_to_error::Segment::Map { key } => Step::Key(key.clone()),
                serde_path_to_error::Segment::Enum { variant } => Step::Key(variant.clone()),
                serde_path_to_error::Segment::Unknown => Step::Key("?".to_owned()),
            })
            .collect();
        Self {
            steps,
            message: error.inner().to_string(),
        }
    }

    /// The path in the usual notation: `items[3].name`, `.` for the root.
    pub(crate) fn path(&self) -> String {
        display_path(&self.steps)
    }

    /// The property named by a ``missing field `x` `` message.
    fn missing_field(&self) -> Option<&str> {
        let rest = self.message.strip_prefix("missing field `")?;
        rest.split_once('`').map(|(name, _)| name)
    }

    fn is_at_or_under(&self, steps: &[Step]) -> bool {
        self.steps.starts_with(steps)
    }
}

/// Repairs `body` until `decode` accepts it. `first` is the failure of the
/// decode of `body` itself. Returns the deviations accepted, with paths
/// into `body` as received, or the failure no repair fits (its path also
/// into `body`, and its message without a line and column, which would
/// refer to the repaired text).
pub(crate) fn repair(
    body: &[u8],
    first: Failure,
    decode: &mut dyn FnMut(&[u8]) -> Result<(), Failure>,
) -> Result<Vec<Deviation>, Failure> {
    let budget = body
        .len()
        .saturating_mul(REPAIR_BYTES_PER_BODY_BYTE)
        .clamp(MIN_REPAIR_BYTES, MAX_REPAIR_BYTES);
    repair_within(body, first, decode, budget)
}

/// [`repair`], decoding at most `budget` bytes again in all.
fn repair_within(
    body: &[u8],
    first: Failure,
    decode: &mut dyn FnMut(&[u8]) -> Result<(), Failure>,
    budget: usize,
) -> Result<Vec<Deviation>, Failure> {
    // A repeated key, which a `Value` would silently collapse to its last
    // copy, leaves the body as the strict decode judged it.
    let Ok(UniqueKeys(mut document)) = serde_json::from_slice::<UniqueKeys>(body) else {
        return Err(first);
    };
    let spent = std::cell::Cell::new(0_usize);
    let decode = &mut |bytes: &[u8]| {
        spent.set(spent.get().saturating_add(bytes.len()));
        decode(bytes)
    };
    let mut ledger = Ledger::default();
    let mut failure = first;
    let mut untouched = true;
    // Every repair decodes the body again, so the budget also bounds the
    // number of repairs.
    loop {
        if spent.get() > budget {
            let mut limit = ledger.relocate(failure);
            limit.message = format!(
                "{} (lenient decoding gave up after decoding {} bytes again for {} deviations)",
                limit.message,
                spent.get(),
                ledger.deviations.len()
            );
            return Err(limit);
        }
        if let Some(null) = ledger.null_that_was_needed(&failure) {
            return Err(ledger.relocate(null));
        }
        let Some(repaired) = repair_one(&mut document, &failure, decode) else {
            return Err(if untouched { failure } else { ledger.relocate(failure) });
        };
        untouched = false;
        let expected = without_position(&failure.message);
        match repaired {
            Repaired::NullItems { array, indices } => {
                // Highest first, so that each index is still the one the
                // array had when the nulls were found; reported front to
                // back, as the body reads.
                let start = ledger.deviations.len();
                for index in indices.iter().rev() {
                    let mut at = array.clone();
                    at.push(Step::Index(*index));
                    let in_body = ledger.original_steps(&at);
                    ledger.drop_item(&array, *index);
                    ledger.deviations.push(Deviation::new(
                        display_path(&in_body),
                        pointer_of(&in_body),
                        DeviationKind::NullItemDropped,
                        expected.clone(),
                    ));
                }
                ledger.deviations[start..].reverse();
            }
            Repaired::Property { steps, kind } => {
                if kind == DeviationKind::NullAsAbsent {
                    ledger.removed_nulls.push(failure.clone());
                }
                let in_body = ledger.original_steps(&steps);
                ledger.deviations.push(Deviation::new(
                    display_path(&in_body),
                    pointer_of(&in_body),
                    kind,
                    expected,
                ));
            }
        }
        match decode(&to_bytes(&document)) {
            Ok(()) => return Ok(ledger.deviations),
            Err(next) => failure = next,
        }
    }
}

/// What one repair changed, in the document's shape before it.
enum Repaired {
    /// Every `null` item of the array at `array` was dropped: its items
    /// are all of one type, so the other nulls would fail as the first did.
    NullItems { array: Vec<Step>, indices: Vec<usize> },
    /// One property was changed or removed.
    Property { steps: Vec<Step>, kind: DeviationKind },
}

/// Applies the repair that fits `failure`, if one does.
fn repair_one(
    document: &mut Value,
    failure: &Failure,
    decode: &mut dyn FnMut(&[u8]) -> Result<(), Failure>,
) -> Option<Repaired> {
    let steps = &failure.steps;
    if matches!(lookup(document, steps), Some(Value::Null)) {
        let (last, parent) = steps.split_last()?;
        return match last {
            Step::Index(first) => {
                let items = lookup_mut(document, parent)?.as_array_mut()?;
                let indices: Vec<usize> = (*first..items.len()).filter(|index| items[*index].is_null()).collect();
                let mut index = 0;
                items.retain(|item| {
                    let keep = index < *first || !item.is_null();
                    index += 1;
                    keep
                });
                Some(Repaired::NullItems {
                    array: parent.to_vec(),
                    indices,
                })
            }
            Step::Key(key) => repair_null_property(document, parent, key, decode).map(|kind| Repaired::Property {
                steps: steps.clone(),
                kind,
            }),
        };
    }
    let key = failure.missing_field()?.to_owned();
    let object = lookup(document, steps)?.as_object()?;
    if object.contains_key(&key) {
        return None;
    }
    let saved = object.clone();
    let empty = empty_collection_for(document, steps, &key, decode);
    let object = lookup_mut(document, steps)?.as_object_mut()?;
    *object = saved;
    object.insert(key.clone(), empty?);
    let mut at = steps.clone();
    at.push(Step::Key(key));
    Some(Repaired::Property {
        steps: at,
        kind: DeviationKind::MissingAsEmpty,
    })
}

/// A `null` property: an empty list or map if the property is one, else
/// absent. Whether the type can do without it shows only when its object
/// ends (the ``missing field`` check), so a removal is recorded and
/// [`repair`] gives up with this `null` failure if that check fails.
fn repair_null_property(
    document: &mut Value,
    parent: &[Step],
    key: &str,
    decode: &mut dyn FnMut(&[u8]) -> Result<(), Failure>,
) -> Option<DeviationKind> {
    let saved = lookup(document, parent)?.as_object()?.clone();
    let empty = empty_collection_for(document, parent, key, decode);
    restore(document, parent, saved)?;
    let object = lookup_mut(document, parent)?.as_object_mut()?;
    match empty {
        Some(empty) => {
            object.insert(key.to_owned(), empty);
            Some(DeviationKind::NullAsEmpty)
        }
        None => {
            object.shift_remove(key);
            Some(DeviationKind::NullAsAbsent)
        }
    }
}

/// The empty value a list or map property `key` of the object at `parent`
/// accepts, found by trying both. A property that accepts both empty values
/// (an untyped one) or neither gets none. Leaves the property set to `{}`;
/// callers restore the object.
fn empty_collection_for(
    document: &mut Value,
    parent: &[Step],
    key: &str,
    decode: &mut dyn FnMut(&[u8]) -> Result<(), Failure>,
) -> Option<Value> {
    let mut at = parent.to_vec();
    at.push(Step::Key(key.to_owned()));
    let mut attempt = |document: &mut Value, empty: Value| {
        lookup_mut(document, parent)?
            .as_object_mut()?
            .insert(key.to_owned(), empty);
        Some(decode(&to_bytes(document)))
    };
    let as_list = attempt(document, Value::Array(Vec::new()))?;
    let as_map = attempt(document, Value::Object(Map::new()))?;
    let settled = |result: &Result<(), Failure>| match result {
        Ok(()) => true,
        Err(failure) => {
            let missing_here = failure.steps == parent && failure.missing_field() == Some(key);
            !(failure.is_at_or_under(&at) || missing_here)
        }
    };
    match (settled(&as_list), settled(&as_map)) {
        (true, false) => Some(Value::Array(Vec::new())),
        (false, true) => match &as_list {
            Err(failure) if failure.message.contains("expected a map") => Some(Value::Object(Map::new())),
            _ => None,
        },
        _ => None,
    }
}

fn restore(document: &mut Value, parent: &[Step], saved: Map<String, Value>) -> Option<()> {
    *lookup_mut(document, parent)?.as_object_mut()? = saved;
    Some(())
}

/// What was dropped from which array, to give paths into the body as
/// received rather than into the repaired document.
///
/// Typed decoding reads a body front to back, so each repair lies after
/// every earlier one: an array's path, recorded in the shape of the
/// document at the time, stays valid as later items are dropped.
#[derive(Default)]
struct Ledger {
    /// Per array (its path in the repaired document), the indices dropped
    /// from it, as they were in the body.
    dropped: Vec<(Vec<Step>, Vec<usize>)>,
    /// The failures of `null` properties that were removed.
    removed_nulls: Vec<Failure>,
    deviations: Vec<Deviation>,
}

impl Ledger {
    /// The `null` failure behind a ``missing field`` one: the property was
    /// removed as `null`, and its type cannot do without it.
    fn null_that_was_needed(&self, failure: &Failure) -> Option<Failure> {
        let key = failure.missing_field()?;
        self.removed_nulls
            .iter()
            .find(|null| {
                null.steps.split_last().is_some_and(|(last, parent)| {
                    parent == failure.steps.as_slice() && *last == Step::Key(key.to_owned())
                })
            })
            .cloned()
    }

    fn drop_item(&mut self, array: &[Step], index: usize) {
        let original = self.original_index(array, index);
        match self.dropped.iter_mut().find(|(path, _)| path == array) {
            Some((_, indices)) => {
                indices.push(original);
                indices.sort_unstable();
            }
            None => self.dropped.push((array.to_vec(), vec![original])),
        }
    }

    fn original_index(&self, array: &[Step], index: usize) -> usize {
        let Some((_, indices)) = self.dropped.iter().find(|(path, _)| path == array) else {
            return index;
        };
        let mut original = index;
        for dropped in indices {
            if *dropped <= original {
                original += 1;
            }
        }
        original
    }

    /// `steps` (a path into the repaired document) as a path into the body.
    fn original_steps(&self, steps: &[Step]) -> Vec<Step> {
        steps
            .iter()
            .enumerate()
            .map(|(depth, step)| match step {
                Step::Index(index) => Step::Index(self.original_index(&steps[..depth], *index)),
                other => other.clone(),
            })
            .collect()
    }

    fn relocate(&self, failure: Failure) -> Failure {
        Failure {
            steps: self.original_steps(&failure.steps),
            message: without_position(&failure.message),
        }
    }
}

/// A JSON value read like [`serde_json::Value`], except that an object
/// with a repeated key is an error instead of keeping the last copy.
struct UniqueKeys(Value);

impl<'de> serde::Deserialize<'de> for UniqueKeys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(UniqueKeysVisitor).map(UniqueKeys)
    }
}

struct UniqueKeysVisitor;

impl<'de> serde::de::Visitor<'de> for UniqueKeysVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value without repeated keys")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(UniqueKeys(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let UniqueKeys(value) = map.next_value()?;
            if object.insert(key.clone(), value).is_some() {
                return Err(serde::de::Error::custom(format_args!("duplicate key `{key}`")));
            }
        }
        Ok(Value::Object(object))
    }
}

fn lookup<'a>(document: &'a Value, steps: &[Step]) -> Option<&'a Value> {
    steps.iter().try_fold(document, |value, step| match step {
        Step::Index(index) => value.as_array()?.get(*index),
        Step::Key(key) => value.as_object()?.get(key),
    })
}

fn lookup_mut<'a>(document: &'a mut Value, steps: &[Step]) -> Option<&'a mut Value> {
    steps.iter().try_fold(document, |value, step| match step {
        Step::Index(index) => value.as_array_mut()?.get_mut(*index),
        Step::Key(key) => value.as_object_mut()?.get_mut(key),
    })
}

fn to_bytes(document: &Value) -> Vec<u8> {
    // Serialising a `Value` cannot fail: its keys are strings.
    serde_json::to_vec(document).unwrap_or_default()
}

/// The parser's message without its ` at line L column C` suffix.
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// `steps` as an RFC 6901 JSON Pointer (`~` and `/` in keys escaped).
fn pointer_of(steps: &[Step]) -> String {
    steps
        .iter()
        .map(|step| match step {
            Step::Index(index) => format!("/{index}"),
            Step::Key(key) => format!("/{}", key.replace('~', "~0").replace('/', "~1")),
        })
        .collect()
}

pub(crate) fn display_path(steps: &[Step]) -> String {
    if steps.is_empty() {
        return ".".to_owned();
    }
    let mut path = String::new();
    for step in steps {
        match step {
            Step::Index(index) => path.push_str(&format!("[{index}]")),
            Step::Key(key) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::decode_located;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Reason {
        name: String,
        actions: Vec<String>,
        #[serde(default)]
        note: Option<String>,
        labels: BTreeMap<String, String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Page {
        items: Vec<Reason>,
    }

    /// Decodes `body` as `T` leniently; the deviations as text, or the failure's path and message.
    fn lenient<T: serde::de::DeserializeOwned>(body: &str) -> Result<(T, Vec<String>), (String, String)> {
        let mut decoded = None;
        let mut attempt = |bytes: &[u8]| {
            let value = decode_located::<T>(bytes)?;
            decoded = Some(value);
            Ok(())
        };
        let outcome = match attempt(body.as_bytes()) {
            Ok(()) => Ok(Vec::new()),
            Err(first) => repair(body.as_bytes(), first, &mut attempt),
        };
        match outcome {
            Ok(deviations) => Ok((
                decoded.expect("an accepted body leaves its value"),
                deviations.iter().map(ToString::to_string).collect(),
            )),
            Err(failure) => Err((failure.path(), failure.message)),
        }
    }

    #[test]
    fn null_items_are_dropped_and_reported_where_they_were_in_the_body() {
        let body = r#"{"items":[{"name":"a","actions":[null,"x",null,null,"y"],"labels":{}}]}"#;
        let (page, deviations) = lenient::<Page>(body).unwrap();
        assert_eq!(page.items[0].actions, ["x", "y"]);
        assert_eq!(
            deviations,
            [
                "at `items[0].actions[0]`: null item dropped (invalid type: null, expected a string)",
                "at `items[0].actions[2]`: null item dropped (invalid type: null, expected a string)",
                "at `items[0].actions[3]`: null item dropped (invalid type: null, expected a string)",
            ]
        );
    }

    #[test]
    fn a_repeated_key_leaves_the_body_to_the_strict_decode() {
        // A `Value` would keep only the last `name` and the repaired body
        // would decode; the strict decode's first failure stands.
        let body = r#"{"items":[{"actions":[null],"name":"a","name":"b","labels":{}}]}"#;
        let (path, message) = lenient::<Page>(body).unwrap_err();
        assert_eq!(path, "items[0].actions[0]");
        assert!(message.starts_with("invalid type: null"), "{message}");
        let (_, message) = lenient::<BTreeMap<String, String>>(r#"{"k":"x","k":null}"#).unwrap_err();
        assert!(message.starts_with("invalid type: null"), "{message}");
    }

    #[test]
    fn missing_or_null_lists_and_maps_decode_as_empty() {
        let body = r#"{"items":[{"name":"a"},{"name":"b","actions":null,"labels":null}]}"#;
        let (page, deviations) = lenient::<Page>(body).unwrap();
        assert!(
            page.items
                .iter()
                .all(|item| item.actions.is_empty() && item.labels.is_empty())
        );
        assert_eq!(
            deviations,
            [
                "at `items[0].actions`: missing value decoded as empty (missing field `actions`)",
                "at `items[0].labels`: missing value decoded as empty (missing field `labels`)",
                "at `items[1].actions`: null decoded as empty (invalid type: null, expected a sequence)",
                "at `items[1].labels`: null decoded as empty (invalid type: null, expected a map)",
            ]
        );
    }

    #[test]
    fn pointers_stay_unambiguous_where_paths_are_not() {
        let mut decoded = None;
        let mut attempt = |bytes: &[u8]| {
            let value = decode_located::<BTreeMap<String, Vec<String>>>(bytes)?;
            decoded = Some(value);
            Ok(())
        };
        let body = br#"{"a.b/c~d":["x",null]}"#;
        let first = attempt(body).unwrap_err();
        let deviations = repair(body, first, &mut attempt).unwrap();
        assert_eq!(deviations[0].path(), "a.b/c~d[1]");
        assert_eq!(deviations[0].pointer(), "/a.b~1c~0d/1");
    }

    #[test]
    fn a_null_the_type_can_do_without_is_absent() {
        #[derive(Debug, Deserialize)]
        struct Counter {
            #[serde(default)]
            count: u32,
        }
        let (counter, deviations) = lenient::<Counter>(r#"{"count":null}"#).unwrap();
        assert_eq!(counter.count, 0);
        assert_eq!(
            deviations,
            ["at `count`: null treated as absent (invalid type: null, expected u32)"]
        );
    }

    #[test]
    fn a_missing_or_null_required_string_stays_an_error() {
        let missing = lenient::<Page>(r#"{"items":[{"actions":[],"labels":{}}]}"#).unwrap_err();
        assert_eq!(missing.0, "items[0]");
        assert!(missing.1.starts_with("missing field `name`"), "{}", missing.1);
        // After a dropped item, the path still points into the body as received.
        let null = lenient::<Page>(r#"{"items":[null,{"name":null,"actions":[],"labels":{}}]}"#).unwrap_err();
        assert_eq!(null.0, "items[1].name");
        assert_eq!(null.1, "invalid type: null, expected a string");
    }

    #[test]
    fn untyped_values_and_structs_are_never_made_up() {
        #[derive(Debug, Deserialize)]
        struct Untyped {
            #[allow(dead_code)]
            value: serde_json::Value,
        }
        #[derive(Debug, Deserialize)]
        struct Optional {
            #[allow(dead_code)]
            note: Option<String>,
        }
        #[derive(Debug, Deserialize)]
        struct Holder {
            #[allow(dead_code)]
            inner: Optional,
        }
        let untyped = lenient::<Untyped>("{}").unwrap_err();
        assert!(untyped.1.starts_with("missing field `value`"), "{}", untyped.1);
        let structure = lenient::<Holder>("{}").unwrap_err();
        assert!(structure.1.starts_with("missing field `inner`"), "{}", structure.1);
    }

    #[test]
    fn a_large_body_with_many_deviations_is_given_up_on_within_the_byte_budget() {
        // Fifty arrays with one `null` each: fifty repairs.
        let item = r#"{"name":"a","actions":[null],"labels":{}}"#;
        let body = format!(r#"{{"items":[{}]}}"#, vec![item; 50].join(","));
        let mut attempt = |bytes: &[u8]| decode_located::<Page>(bytes).map(drop);
        let first = attempt(body.as_bytes()).unwrap_err();
        // Room for about ten decodes of the body.
        let failure = repair_within(body.as_bytes(), first, &mut attempt, 10 * body.len()).unwrap_err();
        assert!(
            failure.message.contains("lenient decoding gave up after decoding"),
            "{}",
            failure.message
        );
        // The body shrinks as nulls are dropped, so eleven repairs fit.
        assert!(failure.message.ends_with("for 11 deviations)"), "{}", failure.message);
        assert_eq!(failure.path(), "items[11].actions[0]");
    }

    #[test]
    fn a_body_that_is_not_json_keeps_its_first_failure() {
        let (path, message) = lenient::<Page>(r#"{"items":[tru]}"#).unwrap_err();
        assert_eq!(path, "items[0]");
        assert!(message.starts_with("expected ident"), "{message}");
    }
}
