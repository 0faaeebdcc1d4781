//! Property tests of `apigen_runtime::patch`: pointer escaping round-trips,
//! `apply(diff(a, b), a) == b`, and the read-only and guard options.
//!
//! Case counts are set explicitly (see `CASES`) so test reports state how
//! much was explored; values are bounded to keep the run well under a
//! second in debug builds.

mod patch_proptest {
    use apigen_runtime::patch::{
        DiffOptions, JsonPatch, JsonPointer, OpKind, PatchOperation, is_read_only_member, strip_read_only,
    };
    use proptest::prelude::*;
    use serde_json::{Map, Value};

    /// Cases per property.
    const CASES: u32 = 512;

    /// Short strings over `alphabet`; cheaper to generate than a regex
    /// strategy, which matters for debug-build test time.
    fn short_text(alphabet: &'static [char], len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(alphabet), len).prop_map(String::from_iter)
    }

    /// Member names: few, so that two random documents share members and the
    /// diff recurses, and awkward, so escaping is exercised.
    fn name() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("a".to_owned()),
            Just("b".to_owned()),
            Just("0".to_owned()),
            Just("-".to_owned()),
            Just("a/b".to_owned()),
            Just("~1".to_owned()),
            Just("~".to_owned()),
            Just("_links".to_owned()),
            Just("_id".to_owned()),
            short_text(&['a', 'b', 'c', '_', '~', '/'], 1..4),
        ]
    }

    fn scalar() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-3i64..4).prop_map(Value::from),
            // Quarters print and parse exactly; arbitrary doubles need
            // serde_json's `float_roundtrip` to survive the wire check.
            (-400i32..400).prop_map(|n| Value::from(f64::from(n) / 4.0)),
            short_text(&['x', 'y', '~', '/'], 0..3).prop_map(Value::String),
        ]
    }

    /// JSON values up to depth 3 and about 24 nodes.
    fn json() -> impl Strategy<Value = Value> {
        scalar().prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(name(), inner, 0..4)
                    .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
            ]
        })
    }

    /// Documents that are usually objects, as API resources are.
    fn document() -> impl Strategy<Value = Value> {
        prop_oneof![
            4 => prop::collection::btree_map(name(), json(), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
            1 => json(),
        ]
    }

    /// A current and a desired document: either unrelated, or the desired
    /// one derived from the current by a JSON Merge Patch, so that most
    /// members are shared and the diff has to recurse.
    fn pair() -> impl Strategy<Value = (Value, Value)> {
        prop_oneof![
            (document(), document()),
            (document(), document()).prop_map(|(a, merge)| {
                let mut b = a.clone();
                json_patch::merge(&mut b, &merge);
                (a, b)
            }),
        ]
    }

    /// Every pointer the patch writes to or reads from.
    fn pointers(patch: &JsonPatch) -> Vec<&JsonPointer> {
        patch
            .iter()
            .flat_map(|op| match op {
                PatchOperation::Move { from, path } | PatchOperation::Copy { from, path } => vec![from, path],
                other => other.path().into_iter().collect(),
            })
            .collect()
    }

    fn has_read_only_member(value: &Value) -> bool {
        match value {
            Value::Object(members) => members
                .iter()
                .any(|(name, member)| is_read_only_member(name) || has_read_only_member(member)),
            Value::Array(elements) => elements.iter().any(has_read_only_member),
            _ => false,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(CASES))]

        #[test]
        fn pointer_escaping_round_trips(tokens in prop::collection::vec(".{0,6}", 0..6)) {
            let pointer = JsonPointer::from_tokens(&tokens);
            prop_assert_eq!(pointer.tokens().collect::<Vec<_>>(), tokens.clone());
            prop_assert_eq!(pointer.to_string(), pointer.as_str());
            let reparsed = JsonPointer::parse(pointer.as_str()).unwrap();
            prop_assert_eq!(&reparsed, &pointer);
            let json = serde_json::to_string(&pointer).unwrap();
            prop_assert_eq!(serde_json::from_str::<JsonPointer>(&json).unwrap(), pointer.clone());
            let mut popped = pointer;
            for token in tokens.iter().rev() {
                prop_assert_eq!(popped.pop(), Some(token.clone()));
            }
            prop_assert!(popped.is_root());
        }

        #[test]
        fn apply_diff_gives_desired((a, b) in pair()) {
            let patch = JsonPatch::diff(&a, &b);
            prop_assert_eq!(patch.apply_to(&a).unwrap(), b.clone());
            prop_assert_eq!(patch.is_empty(), a == b);
            // As small as the `json-patch` crate's diff: same algorithm, our
            // removals just name their original indices.
            prop_assert_eq!(patch.len(), json_patch::diff(&a, &b).len());
            // The wire form reads back to the same patch.
            let wire = serde_json::to_string(&patch).unwrap();
            prop_assert_eq!(serde_json::from_str::<JsonPatch>(&wire).unwrap(), patch);
        }

        #[test]
        fn skip_read_only_never_touches_underscore_members((a, b) in pair()) {
            let options = DiffOptions::new().skip_read_only(true);
            let patch = JsonPatch::diff_with(&a, &b, &options).unwrap();
            for pointer in pointers(&patch) {
                prop_assert!(!pointer.tokens().any(|t| is_read_only_member(&t)), "{pointer} in {patch:?}");
            }
            for op in &patch {
                if let PatchOperation::Add { value, .. } | PatchOperation::Replace { value, .. } = op {
                    prop_assert!(!has_read_only_member(value), "sends a read-only member: {op:?}");
                }
            }
            let after = patch.apply_to(&a).unwrap();
            prop_assert_eq!(strip_read_only(&after), strip_read_only(&b));
            prop_assert_eq!(patch.is_empty(), strip_read_only(&a) == strip_read_only(&b));
        }

        #[test]
        fn guarded_diff_tests_first_and_still_applies((a, b) in pair()) {
            let options = DiffOptions::new().guard_with_tests(true);
            let patch = JsonPatch::diff_with(&a, &b, &options).unwrap();
            let tests = patch.iter().take_while(|op| op.kind() == Some(OpKind::Test)).count();
            let plain = JsonPatch::diff(&a, &b);
            // One test per replace or remove, and nothing but tests first.
            let guarded = plain
                .iter()
                .filter(|op| matches!(op.kind(), Some(OpKind::Replace | OpKind::Remove)))
                .count();
            prop_assert_eq!(tests, guarded);
            let tested: Vec<_> = patch.iter().take(tests).map(PatchOperation::path).collect();
            let changed: Vec<_> = plain
                .iter()
                .filter(|op| matches!(op.kind(), Some(OpKind::Replace | OpKind::Remove)))
                .map(PatchOperation::path)
                .collect();
            prop_assert_eq!(tested, changed);
            prop_assert_eq!(&patch.as_slice()[tests..], plain.as_slice());
            // Every test holds on `a` itself, so each names the value it guards.
            prop_assert_eq!(patch.apply_to(&a).unwrap(), b);
        }
    }
}
