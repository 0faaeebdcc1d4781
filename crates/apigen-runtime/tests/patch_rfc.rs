//! RFC 6901 / RFC 6902 conformance of `apigen_runtime::patch`: pointer
//! escaping, exact wire format, `null` versus absent values, validation,
//! the comment envelope and local application.

// Everything sits in a `patch_` module so `cargo test patch` selects it.
mod patch_rfc {
    use apigen_runtime::patch::{
        ApplyFailure, JsonPatch, JsonPointer, OpKind, OperationRule, PatchApplyError, PatchOperation,
        PatchValidationError, PatchWithComment, PointerError, RawPatchOperation,
    };
    use serde_json::{Value, json};

    fn ptr(text: &str) -> JsonPointer {
        JsonPointer::parse(text).unwrap()
    }

    fn wire(patch: &JsonPatch) -> String {
        serde_json::to_string(patch).unwrap()
    }

    fn invalid(index: usize, rule: OperationRule) -> PatchValidationError {
        PatchValidationError::Operation { index, rule }
    }

    // ---- RFC 6901 escaping ----------------------------------------------

    #[test]
    fn escapes_tilde_and_slash() {
        assert_eq!(JsonPointer::root().push("~").as_str(), "/~0");
        assert_eq!(JsonPointer::root().push("/").as_str(), "/~1");
        assert_eq!(JsonPointer::root().push("a~/b/~").as_str(), "/a~0~1b~1~0");
        // `~1` as text must not be read back as `/`.
        assert_eq!(JsonPointer::root().push("~1").as_str(), "/~01");
    }

    #[test]
    fn builder_from_the_brief() {
        let p = JsonPointer::root().push("a/b").push_index(3).push_append();
        assert_eq!(p.to_string(), "/a~1b/3/-");
        assert_eq!(p.tokens().collect::<Vec<_>>(), ["a/b", "3", "-"]);
    }

    #[test]
    fn tilde_zero_one_decodes_to_tilde_one() {
        // RFC 6901 §4: decode `~1` before `~0`; `~01` is the token `~1`.
        assert_eq!(ptr("/~01").tokens().collect::<Vec<_>>(), ["~1"]);
        assert_eq!(ptr("/~10").tokens().collect::<Vec<_>>(), ["/0"]);
        assert_eq!(ptr("/~0~1").tokens().collect::<Vec<_>>(), ["~/"]);
    }

    #[test]
    fn empty_tokens_are_kept() {
        assert_eq!(JsonPointer::root().push("").as_str(), "/");
        assert_eq!(ptr("//").tokens().collect::<Vec<_>>(), ["", ""]);
        assert_eq!(ptr("/a/").tokens().collect::<Vec<_>>(), ["a", ""]);
        assert_eq!(JsonPointer::from_tokens(["", "", ""]).as_str(), "///");
        assert_eq!(ptr("").tokens().count(), 0);
        assert!(ptr("").is_root());
    }

    #[test]
    fn rfc_6901_examples_resolve_like_serde_json() {
        // RFC 6901 §5: our escaping and serde_json's lookup must agree.
        let doc = json!({
            "foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3,
            "g|h": 4, "i\\j": 5, "k\"l": 6, " ": 7, "m~n": 8
        });
        for key in ["", "a/b", "c%d", "e^f", "g|h", "i\\j", "k\"l", " ", "m~n"] {
            let p = JsonPointer::root().push(key);
            assert_eq!(doc.pointer(p.as_str()), doc.get(key), "{key:?} -> {p}");
        }
        assert_eq!(doc.pointer(ptr("/foo/0").as_str()), Some(&json!("bar")));
    }

    #[test]
    fn parse_rejects_bad_syntax() {
        assert_eq!(JsonPointer::parse("a"), Err(PointerError::MissingLeadingSlash));
        assert_eq!(JsonPointer::parse("~0"), Err(PointerError::MissingLeadingSlash));
        assert_eq!(JsonPointer::parse("/~"), Err(PointerError::InvalidEscape { offset: 1 }));
        assert_eq!(
            JsonPointer::parse("/a~2"),
            Err(PointerError::InvalidEscape { offset: 2 })
        );
        assert_eq!(
            JsonPointer::parse("/a/~x/b"),
            Err(PointerError::InvalidEscape { offset: 3 })
        );
        assert!(JsonPointer::parse("/~0~1/~01").is_ok());
    }

    #[test]
    fn pointer_serde_is_a_checked_string() {
        let p = JsonPointer::root().push("a/b");
        assert_eq!(serde_json::to_string(&p).unwrap(), r#""/a~1b""#);
        assert_eq!(serde_json::from_str::<JsonPointer>(r#""/a~1b""#).unwrap(), p);
        let err = serde_json::from_str::<JsonPointer>(r#""/a~""#).unwrap_err();
        assert!(err.to_string().contains("must be followed by `0` or `1`"), "{err}");
    }

    // ---- RFC 6902 wire format --------------------------------------------

    #[test]
    fn all_six_operations_serialise_exactly() {
        let patch = JsonPatch::new()
            .add("/a", 1)
            .remove("/b")
            .replace("/c", "x")
            .move_from("/d", "/e")
            .copy_from("/f", "/g")
            .test("/h", json!([1, {"k": true}]));
        assert_eq!(
            wire(&patch),
            concat!(
                r#"[{"op":"add","path":"/a","value":1},"#,
                r#"{"op":"remove","path":"/b"},"#,
                r#"{"op":"replace","path":"/c","value":"x"},"#,
                r#"{"op":"move","from":"/d","path":"/e"},"#,
                r#"{"op":"copy","from":"/f","path":"/g"},"#,
                r#"{"op":"test","path":"/h","value":[1,{"k":true}]}]"#
            )
        );
        let kinds: Vec<_> = patch.iter().filter_map(PatchOperation::kind).collect();
        assert_eq!(
            kinds,
            [
                OpKind::Add,
                OpKind::Remove,
                OpKind::Replace,
                OpKind::Move,
                OpKind::Copy,
                OpKind::Test
            ]
        );
    }

    #[test]
    fn wire_format_round_trips() {
        let text = concat!(
            r#"[{"op":"test","path":"/version","value":10},"#,
            r#"{"op":"move","from":"/a~1b","path":"/c~0"},"#,
            r#"{"op":"add","path":"/customRoleIds/-","value":null}]"#
        );
        let patch: JsonPatch = serde_json::from_str(text).unwrap();
        assert_eq!(wire(&patch), text);
        assert!(patch.iter().all(|op| !matches!(op, PatchOperation::Raw(_))));
    }

    #[test]
    fn explicit_null_value_is_sent() {
        let patch = JsonPatch::new().replace("/description", Value::Null);
        assert_eq!(wire(&patch), r#"[{"op":"replace","path":"/description","value":null}]"#);
        let typed = PatchOperation::test(ptr("/x"), Value::Null);
        assert_eq!(
            serde_json::to_string(&typed).unwrap(),
            r#"{"op":"test","path":"/x","value":null}"#
        );
    }

    #[test]
    fn null_value_differs_from_absent_value() {
        let with_null: PatchOperation = serde_json::from_str(r#"{"op":"add","path":"/a","value":null}"#).unwrap();
        assert_eq!(with_null, PatchOperation::add(ptr("/a"), Value::Null));

        let absent = serde_json::from_str::<PatchOperation>(r#"{"op":"add","path":"/a"}"#).unwrap_err();
        assert!(
            absent.to_string().contains("`add` requires a `value` member"),
            "{absent}"
        );

        let raw_null: RawPatchOperation = serde_json::from_str(r#"{"op":"add","path":"/a","value":null}"#).unwrap();
        assert_eq!(raw_null.value, Some(Value::Null));
        let raw_absent: RawPatchOperation = serde_json::from_str(r#"{"op":"add","path":"/a"}"#).unwrap();
        assert_eq!(raw_absent.value, None);
        assert_eq!(
            serde_json::to_string(&raw_absent).unwrap(),
            r#"{"op":"add","path":"/a"}"#
        );
        assert_eq!(
            serde_json::to_string(&raw_null).unwrap(),
            r#"{"op":"add","path":"/a","value":null}"#
        );
    }

    #[test]
    fn unknown_members_are_ignored() {
        // RFC 6902 §4: members not defined for an operation are ignored.
        let op: PatchOperation =
            serde_json::from_str(r#"{"op":"remove","path":"/a","value":1,"from":7,"extra":true}"#).unwrap();
        assert_eq!(op, PatchOperation::remove(ptr("/a")));
    }

    // ---- validation ------------------------------------------------------

    #[test]
    fn raw_patch_from_value_is_validated_later() {
        let patch = JsonPatch::from_value(json!([
            {"op": "replace", "path": "/role", "value": "writer"},
            {"op": "frobnicate", "path": "/x"},
        ]))
        .unwrap();
        assert_eq!(patch.len(), 2);
        assert!(matches!(patch.as_slice()[0], PatchOperation::Replace { .. }));
        assert!(matches!(patch.as_slice()[1], PatchOperation::Raw(_)));
        assert_eq!(
            patch.validate(),
            Err(invalid(
                1,
                OperationRule::UnknownOp {
                    op: "frobnicate".into()
                }
            ))
        );
    }

    #[test]
    fn every_rule_is_named_with_its_index() {
        let cases = [
            (
                json!({"op": "Add", "path": "/a", "value": 1}),
                OperationRule::UnknownOp { op: "Add".into() },
            ),
            (
                json!({"op": "add", "path": "/a"}),
                OperationRule::MissingValue { op: OpKind::Add },
            ),
            (
                json!({"op": "replace", "path": "/a"}),
                OperationRule::MissingValue { op: OpKind::Replace },
            ),
            (
                json!({"op": "test", "path": "/a"}),
                OperationRule::MissingValue { op: OpKind::Test },
            ),
            (
                json!({"op": "move", "path": "/a"}),
                OperationRule::MissingFrom { op: OpKind::Move },
            ),
            (
                json!({"op": "copy", "path": "/a"}),
                OperationRule::MissingFrom { op: OpKind::Copy },
            ),
            (
                json!({"op": "remove", "path": "a"}),
                OperationRule::InvalidPointer {
                    member: "path",
                    error: PointerError::MissingLeadingSlash,
                },
            ),
            (
                json!({"op": "copy", "from": "/a~", "path": "/b"}),
                OperationRule::InvalidPointer {
                    member: "from",
                    error: PointerError::InvalidEscape { offset: 2 },
                },
            ),
        ];
        for (op, rule) in cases {
            let patch = JsonPatch::from_value(json!([{"op": "remove", "path": "/ok"}, op.clone()])).unwrap();
            let err = patch.validate().unwrap_err();
            assert_eq!(err, invalid(1, rule.clone()), "{op}");
            assert_eq!(err.index(), Some(1));
            assert_eq!(err.rule(), Some(&rule));
            assert!(
                err.to_string().starts_with("JSON Patch operation 1 is invalid: "),
                "{err}"
            );
        }
    }

    #[test]
    fn shape_errors_fail_from_value() {
        assert_eq!(
            JsonPatch::from_value(json!({"op": "add"})),
            Err(PatchValidationError::NotAnArray)
        );
        let cases = [
            (json!(1), OperationRule::NotAnObject),
            (json!({"path": "/a"}), OperationRule::MissingMember { member: "op" }),
            (json!({"op": "remove"}), OperationRule::MissingMember { member: "path" }),
            (
                json!({"op": 1, "path": "/a"}),
                OperationRule::NotAString { member: "op" },
            ),
            (
                json!({"op": "remove", "path": null}),
                OperationRule::NotAString { member: "path" },
            ),
            (
                json!({"op": "move", "from": 3, "path": "/a"}),
                OperationRule::NotAString { member: "from" },
            ),
        ];
        for (op, rule) in cases {
            assert_eq!(
                JsonPatch::from_value(json!([{"op": "remove", "path": "/ok"}, op])),
                Err(invalid(1, rule))
            );
        }
    }

    #[test]
    fn bad_pointer_text_in_builders_is_reported_not_panicked() {
        let patch = JsonPatch::new()
            .replace("/ok", 1)
            .add("no-slash", 2)
            .move_from("/a~9", "/b");
        assert_eq!(patch.len(), 3);
        assert_eq!(
            patch.validate(),
            Err(invalid(
                1,
                OperationRule::InvalidPointer {
                    member: "path",
                    error: PointerError::MissingLeadingSlash
                }
            ))
        );
        // Serialising refuses to produce a body for an invalid patch.
        let err = serde_json::to_string(&patch).unwrap_err();
        assert!(err.to_string().contains("operation 1 is invalid"), "{err}");
        // Deserialising is strict and names the index too.
        let err = serde_json::from_str::<JsonPatch>(r#"[{"op":"remove","path":"/a"},{"op":"move","path":"/b"}]"#)
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("operation 1 is invalid: `move` requires a `from` member"),
            "{err}"
        );
    }

    #[test]
    fn valid_raw_operations_become_typed() {
        let raw = RawPatchOperation {
            op: "copy".into(),
            path: "/b".into(),
            value: None,
            from: Some("/a".into()),
        };
        let patch = JsonPatch::from_raw([raw.clone()]);
        assert_eq!(patch.as_slice(), [PatchOperation::copy_from(ptr("/a"), ptr("/b"))]);
        assert_eq!(
            raw.clone().into_typed(),
            Ok(PatchOperation::copy_from(ptr("/a"), ptr("/b")))
        );
        let bad = RawPatchOperation { from: None, ..raw };
        assert_eq!(bad.into_typed(), Err(OperationRule::MissingFrom { op: OpKind::Copy }));
    }

    // ---- envelope --------------------------------------------------------

    #[test]
    fn comment_envelope() {
        let patch = JsonPatch::new().replace("/name", "x");
        assert_eq!(
            serde_json::to_string(&PatchWithComment::new(patch.clone())).unwrap(),
            r#"{"patch":[{"op":"replace","path":"/name","value":"x"}]}"#
        );
        let body = patch.with_comment("why");
        let text = serde_json::to_string(&body).unwrap();
        assert_eq!(
            text,
            r#"{"comment":"why","patch":[{"op":"replace","path":"/name","value":"x"}]}"#
        );
        assert_eq!(serde_json::from_str::<PatchWithComment>(&text).unwrap(), body);
        let bad = PatchWithComment::new(JsonPatch::new().remove("x"));
        assert_eq!(bad.validate().unwrap_err().index(), Some(0));
    }

    // ---- local application -------------------------------------------------

    #[test]
    fn apply_follows_rfc_6902_examples() {
        // RFC 6902 appendix A.1, A.4, A.6, A.7, A.8 in one go.
        let doc = json!({"foo": "bar", "baz": "qux", "list": [1, 2], "a": {"b": "c"}});
        let patch = JsonPatch::new()
            .add("/new", "v")
            .remove("/baz")
            .move_from("/a/b", "/moved")
            .copy_from("/list", "/copy")
            .add("/list/1", 9)
            .test("/foo", "bar");
        assert_eq!(
            patch.apply_to(&doc).unwrap(),
            json!({"foo": "bar", "new": "v", "list": [1, 9, 2], "a": {}, "moved": "c", "copy": [1, 2]})
        );
    }

    #[test]
    fn apply_reports_index_path_and_reason() {
        let doc = json!({"version": 3, "role": "reader"});
        let stale = JsonPatch::new().test("/version", 2).replace("/role", "writer");
        assert_eq!(
            stale.apply_to(&doc),
            Err(PatchApplyError::Failed {
                index: 0,
                path: ptr("/version"),
                reason: ApplyFailure::TestFailed
            })
        );
        let missing = JsonPatch::new().replace("/role", "w").remove("/nope");
        assert_eq!(
            missing.apply_to(&doc),
            Err(PatchApplyError::Failed {
                index: 1,
                path: ptr("/nope"),
                reason: ApplyFailure::PathNotFound
            })
        );
        let invalid_patch = JsonPatch::new().add("x", 1);
        assert!(matches!(invalid_patch.apply_to(&doc), Err(PatchApplyError::Invalid(_))));
    }
}
