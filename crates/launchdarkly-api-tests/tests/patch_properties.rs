//! Property tests of JSON Patch on the generated `Token`: the diff between two
//! tokens, applied to the first, gives the second (on the fields a patch may
//! touch), and a diff never touches a read-only `_` field. Each property runs
//! `CASES` (256) cases of random `Token` pairs.

use std::collections::BTreeMap;

use launchdarkly_api::patch::{DiffOptions, JsonPatch, TypedPatch};
use launchdarkly_api::types::{Link, MemberSummary, Statement, StatementEffect, Token};
use proptest::prelude::*;

const CASES: u32 = 256;

fn text() -> impl Strategy<Value = String> {
    // Includes `/` and `~`, which JSON Pointer must escape, and non-ASCII.
    "[a-z~/é ]{0,8}"
}

fn links() -> impl Strategy<Value = BTreeMap<String, Link>> {
    prop::collection::btree_map(text(), (prop::option::of(text()), prop::option::of(text())), 0..3).prop_map(|map| {
        map.into_iter()
            .map(|(k, (href, type_))| (k, Link { href, type_ }))
            .collect()
    })
}

fn effect() -> impl Strategy<Value = StatementEffect> {
    prop_oneof![
        Just(StatementEffect::Allow),
        Just(StatementEffect::Deny),
        "[a-z]{1,6}".prop_map(|s| StatementEffect::from(s.as_str())),
    ]
}

fn statement() -> impl Strategy<Value = Statement> {
    let list = || prop::option::of(prop::collection::vec(text(), 0..3));
    (list(), list(), list(), list(), effect()).prop_map(|(resources, not_resources, actions, not_actions, effect)| {
        Statement {
            resources,
            not_resources,
            actions,
            not_actions,
            effect,
        }
    })
}

fn member() -> impl Strategy<Value = MemberSummary> {
    (
        links(),
        text(),
        prop::option::of(text()),
        prop::option::of(text()),
        text(),
        text(),
    )
        .prop_map(|(links, id, first_name, last_name, role, email)| MemberSummary {
            links,
            id,
            first_name,
            last_name,
            role,
            email,
        })
}

prop_compose! {
    fn token()(
        ids in (text(), text(), text()),
        member in prop::option::of(member()),
        names in (prop::option::of(text()), prop::option::of(text()), prop::option::of(text()), prop::option::of(text())),
        dates in (any::<i64>(), any::<i64>(), prop::option::of(any::<i64>())),
        custom_role_ids in prop::option::of(prop::collection::vec(text(), 0..4)),
        inline_role in prop::option::of(prop::collection::vec(statement(), 0..3)),
        service_token in prop::option::of(any::<bool>()),
        links in links(),
        default_api_version in prop::option::of(any::<i64>()),
    ) -> Token {
        Token {
            id: ids.0, owner_id: ids.1, member_id: ids.2, member,
            name: names.0, description: names.1, role: names.2, token: names.3,
            creation_date: dates.0, last_modified: dates.1, last_used: dates.2,
            custom_role_ids, inline_role, service_token, links, default_api_version,
        }
    }
}

/// The desired token with its read-only `_` fields taken from the current one:
/// what a patch that leaves read-only fields alone can reach.
fn editable_target(current: &Token, desired: &Token) -> Token {
    Token {
        id: current.id.clone(),
        member: current.member.clone(),
        links: current.links.clone(),
        ..desired.clone()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn applying_the_diff_gives_the_desired_token(current in token(), desired in token()) {
        let patch = TypedPatch::<Token>::diff(&current, &desired, &DiffOptions::new()).unwrap();
        prop_assert_eq!(patch.preview(&current).unwrap(), desired);
    }

    #[test]
    fn an_editable_diff_reaches_every_editable_field_and_no_read_only_one(current in token(), desired in token()) {
        let options = DiffOptions::new().skip_read_only(true);
        let patch: JsonPatch = TypedPatch::<Token>::diff(&current, &desired, &options).unwrap().into_patch();
        for operation in patch.iter() {
            let path = operation.path().map(|p| p.as_str().to_owned()).unwrap_or_default();
            prop_assert!(!path.split('/').any(|token| token.starts_with('_')), "touches {}", path);
        }
        let previewed: Token = patch.preview(&current).unwrap();
        prop_assert_eq!(previewed, editable_target(&current, &desired));
    }

    #[test]
    fn a_guarded_diff_starts_with_tests_and_still_applies(current in token(), desired in token()) {
        let options = DiffOptions::new().skip_read_only(true).guard_with_tests(true);
        let patch: JsonPatch = TypedPatch::<Token>::diff(&current, &desired, &options).unwrap().into_patch();
        let first_change = patch.iter().position(|op| op.op_name() != "test").unwrap_or(patch.len());
        prop_assert!(patch.iter().skip(first_change).all(|op| op.op_name() != "test"));
        let previewed: Token = patch.preview(&current).unwrap();
        prop_assert_eq!(previewed, editable_target(&current, &desired));
    }
}
