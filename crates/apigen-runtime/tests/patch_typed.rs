//! Typed field paths as the generator will emit them, for LaunchDarkly's
//! access token (`PATCH /api/v2/tokens/{id}`).

mod patch_typed {
    use std::collections::{BTreeMap, HashMap};
    use std::marker::PhantomData;

    use apigen_runtime::patch::{
        DiffOptions, FieldPath, FieldPaths, HasFieldPaths, JsonPatch, JsonPointer, OperationRule, PatchValidationError,
        TypedPatch,
    };
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    // ---- what the generator emits ------------------------------------------

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct Token {
        #[serde(rename = "_id")]
        pub id: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub role: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub custom_role_ids: Option<Vec<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub inline_role: Option<Vec<Statement>>,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        pub labels: BTreeMap<String, String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct Statement {
        pub effect: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub actions: Option<Vec<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub resources: Option<Vec<String>>,
    }

    /// Typed JSON Pointers to the fields of a [`Token`] inside a `Root`.
    pub(crate) struct TokenPaths<Root = Token> {
        base: JsonPointer,
        _root: PhantomData<fn() -> Root>,
    }

    impl<Root> FieldPaths for TokenPaths<Root> {
        fn at(base: JsonPointer) -> Self {
            Self {
                base,
                _root: PhantomData,
            }
        }
    }

    impl HasFieldPaths for Token {
        type Paths<Root> = TokenPaths<Root>;
    }

    impl<Root> TokenPaths<Root> {
        pub(crate) fn name(&self) -> FieldPath<Root, Option<String>> {
            FieldPath::new(self.base.child("name"))
        }
        pub(crate) fn role(&self) -> FieldPath<Root, Option<String>> {
            FieldPath::new(self.base.child("role"))
        }
        pub(crate) fn custom_role_ids(&self) -> FieldPath<Root, Option<Vec<String>>> {
            FieldPath::new(self.base.child("customRoleIds"))
        }
        pub(crate) fn inline_role(&self) -> FieldPath<Root, Option<Vec<Statement>>> {
            FieldPath::new(self.base.child("inlineRole"))
        }
        pub(crate) fn labels(&self) -> FieldPath<Root, BTreeMap<String, String>> {
            FieldPath::new(self.base.child("labels"))
        }
    }

    pub(crate) struct StatementPaths<Root = Statement> {
        base: JsonPointer,
        _root: PhantomData<fn() -> Root>,
    }

    impl<Root> FieldPaths for StatementPaths<Root> {
        fn at(base: JsonPointer) -> Self {
            Self {
                base,
                _root: PhantomData,
            }
        }
    }

    impl HasFieldPaths for Statement {
        type Paths<Root> = StatementPaths<Root>;
    }

    impl<Root> StatementPaths<Root> {
        pub(crate) fn effect(&self) -> FieldPath<Root, String> {
            FieldPath::new(self.base.child("effect"))
        }
        pub(crate) fn actions(&self) -> FieldPath<Root, Option<Vec<String>>> {
            FieldPath::new(self.base.child("actions"))
        }
    }

    // ---- what users write ----------------------------------------------------

    fn token() -> Token {
        Token {
            id: "t1".into(),
            name: Some("ci".into()),
            role: Some("reader".into()),
            custom_role_ids: Some(vec!["a".into()]),
            inline_role: Some(vec![Statement {
                effect: "allow".into(),
                actions: Some(vec!["*".into()]),
                resources: None,
            }]),
            labels: BTreeMap::from([("env".to_owned(), "prod".to_owned())]),
        }
    }

    #[test]
    fn replace_role_and_append_custom_role_guarded_by_version() {
        let t = Token::paths();
        let patch = TypedPatch::<Token>::new()
            .untyped(|p| p.test("/version", 10))
            .replace(t.role(), "writer".to_owned())
            .add(t.custom_role_ids().append(), "abc");
        patch.validate().unwrap();
        assert_eq!(
            serde_json::to_value(&patch).unwrap(),
            json!([
                {"op": "test", "path": "/version", "value": 10},
                {"op": "replace", "path": "/role", "value": "writer"},
                {"op": "add", "path": "/customRoleIds/-", "value": "abc"},
            ])
        );
    }

    #[test]
    fn nested_lists_maps_and_objects() {
        let t = Token::paths();
        let first = t.inline_role().index(0).fields();
        let patch = TypedPatch::<Token>::new()
            .replace(first.effect(), "deny")
            .add(first.actions().append(), "updateName")
            .add(t.labels().key("team/eu~1"), "core")
            .remove(t.name())
            .replace(t.custom_role_ids(), None);
        let wire = serde_json::to_value(&patch).unwrap();
        assert_eq!(
            wire,
            json!([
                {"op": "replace", "path": "/inlineRole/0/effect", "value": "deny"},
                {"op": "add", "path": "/inlineRole/0/actions/-", "value": "updateName"},
                {"op": "add", "path": "/labels/team~1eu~01", "value": "core"},
                {"op": "remove", "path": "/name"},
                {"op": "replace", "path": "/customRoleIds", "value": null},
            ])
        );
        let after = patch.preview(&token()).unwrap();
        assert_eq!(after.inline_role.as_ref().unwrap()[0].effect, "deny");
        assert_eq!(
            after.inline_role.as_ref().unwrap()[0].actions,
            Some(vec!["*".to_owned(), "updateName".to_owned()])
        );
        assert_eq!(after.labels.get("team/eu~1").map(String::as_str), Some("core"));
        assert_eq!(after.name, None);
        assert_eq!(after.custom_role_ids, None);
    }

    #[test]
    fn const_root_paths_and_move_copy() {
        const ROLE: FieldPath<Token, Option<String>> = FieldPath::new(JsonPointer::from_static("/role"));
        const NAME: FieldPath<Token, Option<String>> = FieldPath::new(JsonPointer::from_static("/name"));
        let patch = TypedPatch::<Token>::new()
            .copy_from(ROLE, NAME)
            .test(ROLE, Some("reader".to_owned()));
        let after = patch.preview(&token()).unwrap();
        assert_eq!(after.name.as_deref(), Some("reader"));
        let root = FieldPath::<Token, Token>::root();
        assert!(root.pointer().is_root());
        assert_eq!(root.fields().role(), ROLE);
    }

    #[test]
    fn typed_diff_skips_read_only_and_guards() {
        let current = token();
        let mut desired = current.clone();
        desired.id = "ignored".into();
        desired.role = Some("writer".into());
        let options = DiffOptions::new().skip_read_only(true).guard_with_tests(true);
        let patch = TypedPatch::diff(&current, &desired, &options).unwrap();
        assert_eq!(
            serde_json::to_value(&patch).unwrap(),
            json!([
                {"op": "test", "path": "/role", "value": "reader"},
                {"op": "replace", "path": "/role", "value": "writer"},
            ])
        );
        assert_eq!(patch.preview(&current).unwrap().role.as_deref(), Some("writer"));
    }

    #[test]
    fn unserializable_value_is_recorded_with_its_index() {
        // JSON object keys must be strings; a tuple key cannot serialise.
        let weird: FieldPath<Token, HashMap<(u8, u8), u8>> = FieldPath::from_tokens(["weird"]);
        let patch = TypedPatch::<Token>::new()
            .replace(Token::paths().role(), "writer".to_owned())
            .add(weird, HashMap::from([((1, 2), 3)]))
            .remove(Token::paths().name());
        let err = patch.validate().unwrap_err();
        assert_eq!(err.index(), Some(1));
        assert!(
            matches!(err.rule(), Some(OperationRule::UnserializableValue { .. })),
            "{err}"
        );
        // The failing operation is never sent.
        assert!(serde_json::to_string(&patch).is_err());
        let untyped: JsonPatch = patch.into();
        assert_eq!(untyped.len(), 2);
    }

    #[test]
    fn unserializable_value_wins_ties_with_later_raw_errors() {
        let weird: FieldPath<Token, HashMap<(u8, u8), u8>> = FieldPath::from_tokens(["weird"]);
        let patch = TypedPatch::<Token>::new()
            .add(weird, HashMap::from([((1, 2), 3)]))
            .untyped(|p| p.remove("bad"));
        assert!(matches!(
            patch.validate(),
            Err(PatchValidationError::Operation {
                index: 0,
                rule: OperationRule::UnserializableValue { .. }
            })
        ));
        let raw_first = JsonPatch::new().remove("bad");
        let later: FieldPath<Token, HashMap<(u8, u8), u8>> = FieldPath::from_tokens(["weird"]);
        let patch = TypedPatch::<Token>::from_patch(raw_first).add(later, HashMap::from([((1, 2), 3)]));
        assert_eq!(patch.validate().unwrap_err().index(), Some(0));
        assert!(matches!(
            patch.validate().unwrap_err().rule(),
            Some(OperationRule::InvalidPointer { .. })
        ));
    }
}
