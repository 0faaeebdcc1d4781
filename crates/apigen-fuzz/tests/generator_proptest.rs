//! No input makes the generator panic: the short, seeded version of the
//! `generator` fuzz target that CI runs on every change (`cargo xtask fuzz`
//! runs the coverage-guided one for as long as it is given).
//!
//! Property tests run the loader ([`apigen::load::load_str`]), the IR builder
//! ([`apigen::lower::lower`]) and the emitter ([`apigen::emit::emit`]) on
//! arbitrary text and on structure-aware mutations of the seed spec and of
//! every fixture. The only acceptable outcomes are `Ok` or a typed `Err`;
//! [`apigen::Error::Emit`] (emitted code that does not parse) is a generator
//! bug and fails the test, and so does an IR whose names would not compile
//! (two types, methods, fields or variants with the same Rust name).
//!
//! Case counts are fixed (see [`CASES`]) and the random source is seeded
//! with a fixed value, so a run is bounded in time and reproducible; set
//! `PROPTEST_CASES` to run more and `APIGEN_FUZZ_SEED` to explore other
//! inputs, and `APIGEN_FUZZ_KEEP_INPUT=1` to keep the input under test in
//! `target/tmp/` (a stack overflow aborts the process before proptest can
//! report it). Every crash found becomes a named regression test at the end
//! of this file.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use apigen::{Config, Error, Selection};
use apigen_fuzz::generator::{Outcome, emit_options, pipeline};
use proptest::prelude::*;
use proptest::test_runner::{RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use serde_json::{Map, Value, json};

/// Cases per property; `PROPTEST_CASES` overrides it.
const CASES: u32 = 256;

fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        // Shrinking a structured document can take long; a failure is
        // reported with its seed either way.
        max_shrink_iters: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------
// The pipeline and its invariants.
// ---------------------------------------------------------------------------

/// How far an input got, counted per property for the printed figures.
#[derive(Default)]
struct Tally {
    ran: AtomicUsize,
    generated: AtomicUsize,
}

impl Tally {
    fn record(&self, outcome: &Outcome) {
        self.ran.fetch_add(1, Ordering::Relaxed);
        if matches!(outcome, Outcome::Generated(_)) {
            self.generated.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn print(&self, name: &str) {
        eprintln!(
            "fuzz {name}: {} inputs ran, {} generated a crate, the rest gave a typed error; 0 panics",
            self.ran.load(Ordering::Relaxed),
            self.generated.load(Ordering::Relaxed)
        );
    }
}

fn seed_config() -> Config {
    Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec/codegen.toml")).unwrap()
}

/// Where the input under test is written before it runs, so that a crash
/// that takes the process down (a stack overflow aborts, it does not
/// unwind) leaves it behind: `target/tmp/fuzz-last-input.*`.
fn keep_last_input(name: &str, text: &str) {
    if std::env::var_os("APIGEN_FUZZ_KEEP_INPUT").is_some() {
        let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fuzz-last-input-{name}"));
        let _ = std::fs::write(file, text);
    }
}

fn run_case(tally: &Tally, name: &str, text: &str, config: &Config) -> Result<(), TestCaseError> {
    keep_last_input(name, text);
    let outcome = pipeline(name, text, config).map_err(|bug| TestCaseError::fail(format!("{bug}\ninput:\n{text}")))?;
    tally.record(&outcome);
    Ok(())
}

// ---------------------------------------------------------------------------
// Seeds.
// ---------------------------------------------------------------------------

fn seeds() -> Vec<(String, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("../../spec/launchdarkly.yaml")];
    let mut fixtures: Vec<_> = std::fs::read_dir(root.join("../apigen/tests/fixtures"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml" || ext == "json"))
        .collect();
    fixtures.sort();
    files.extend(fixtures);
    assert!(files.len() >= 9, "the seed spec and the fixtures: {files:?}");
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let value = apigen::load::parse_value(&path, &text).unwrap();
            (path.file_name().unwrap().to_string_lossy().into_owned(), value)
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Structure-aware mutations.
// ---------------------------------------------------------------------------

/// A choice among however many candidates there turn out to be; shrinks
/// toward the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pick(u64);

impl Pick {
    fn of(self, len: usize) -> usize {
        // `len` is never zero here (callers check), and `u64` holds any `usize`.
        usize::try_from(self.0 % len.max(1) as u64).unwrap_or(0)
    }
}

impl Arbitrary for Pick {
    type Parameters = ();
    type Strategy = prop::strategy::Map<proptest::num::u64::Any, fn(u64) -> Pick>;

    fn arbitrary_with((): ()) -> Self::Strategy {
        any::<u64>().prop_map(Pick)
    }
}

/// Every container in `value`, as JSON pointer tokens, in document order.
fn containers(value: &Value) -> Vec<Vec<String>> {
    fn walk(value: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        match value {
            Value::Object(map) => {
                out.push(path.clone());
                for (key, child) in map {
                    path.push(key.clone());
                    walk(child, path, out);
                    path.pop();
                }
            }
            Value::Array(items) => {
                out.push(path.clone());
                for (index, child) in items.iter().enumerate() {
                    path.push(index.to_string());
                    walk(child, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out
}

fn node_mut<'a>(value: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    let mut node = value;
    for token in path {
        node = match node {
            Value::Object(map) => map.get_mut(token)?,
            Value::Array(items) => items.get_mut(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

fn schema_names(value: &Value) -> Vec<String> {
    value
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default()
}

fn schemas_mut(value: &mut Value) -> Option<&mut Map<String, Value>> {
    value.pointer_mut("/components/schemas").and_then(Value::as_object_mut)
}

/// A replacement of another JSON type.
#[derive(Debug, Clone)]
enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    EmptyList,
    EmptyMap,
}

impl Scalar {
    fn value(&self) -> Value {
        match self {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(*b),
            Scalar::Int(i) => json!(i),
            Scalar::Float(f) => json!(f),
            Scalar::Text(t) => Value::String(t.clone()),
            Scalar::EmptyList => json!([]),
            Scalar::EmptyMap => json!({}),
        }
    }
}

fn scalar() -> impl Strategy<Value = Scalar> {
    prop_oneof![
        Just(Scalar::Null),
        any::<bool>().prop_map(Scalar::Bool),
        any::<i64>().prop_map(Scalar::Int),
        any::<f64>().prop_map(Scalar::Float),
        name().prop_map(Scalar::Text),
        Just(Scalar::EmptyList),
        Just(Scalar::EmptyMap),
    ]
}

/// Names that stress naming: keywords, digits, case collisions, separators,
/// empty strings, and arbitrary unicode.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "\\PC{0,12}",
        2 => prop::sample::select(vec![
            "", "_", "__", "-", "1", "1abc", "self", "Self", "super", "crate", "type", "r#type", "fn", "async",
            "await", "dyn", "Unknown", "unknown", "Option", "Result", "String", "Vec", "Box", "Client", "Server",
            "None", "Some", "Ok", "Err", "id", "_id", "ID", "Id", "i_d", "fooBar", "foo_bar", "FooBar", "foo-bar",
            "foo bar", "Foo.Bar", "foo/bar", "~0", "~1", "a~1b", "%7B", "{id}", "é", "ß", "Ǆ", "ﬁ", "😀", "\u{200b}",
            "\u{0}", "\n", "'", "\"", "\\", "`",
        ])
        .prop_map(str::to_owned),
    ]
}

/// A `$ref` target: existing, nonexistent, malformed, external.
fn ref_target() -> impl Strategy<Value = RefTarget> {
    prop_oneof![
        3 => any::<Pick>().prop_map(RefTarget::Existing),
        2 => prop::sample::select(vec![
            "#/components/schemas/DoesNotExist",
            "#",
            "#/",
            "",
            "#/components",
            "#/components/schemas",
            "#/paths",
            "#/info",
            "other.yaml#/components/schemas/A",
            "https://example.com/spec.yaml#/A",
            "#/components/responses/Missing",
            "#/components/parameters/Missing",
            "#/components/schemas/a~1b",
            "#/components/schemas/~2",
            "#/components/schemas/%7Bx%7D",
            "components/schemas/NoHash",
            "#/paths/~1api~1v2~1tokens~1{id}/patch/requestBody/content/application~1json/schema",
            "#/components/schemas/Token/properties/_id",
            "#/components/schemas/Token/properties/inlineRole/items",
        ])
        .prop_map(|target| RefTarget::Fixed(target.to_owned())),
        1 => name().prop_map(|n| RefTarget::Fixed(format!("#/components/schemas/{n}"))),
    ]
}

#[derive(Debug, Clone)]
enum RefTarget {
    Existing(Pick),
    Fixed(String),
}

impl RefTarget {
    fn text(&self, doc: &Value) -> String {
        match self {
            RefTarget::Existing(index) => {
                let names = schema_names(doc);
                if names.is_empty() {
                    "#/components/schemas/Nothing".into()
                } else {
                    format!(
                        "#/components/schemas/{}",
                        names[index.of(names.len())].replace('~', "~0").replace('/', "~1")
                    )
                }
            }
            RefTarget::Fixed(text) => text.clone(),
        }
    }
}

/// How a schema is wrapped for deep nesting and cycles.
#[derive(Debug, Clone, Copy)]
enum Wrap {
    Array,
    Property,
    AllOf,
    OneOf,
    AnyOfNullable,
    Map,
    Nullable,
}

impl Wrap {
    fn around(self, inner: Value) -> Value {
        match self {
            Wrap::Array => json!({"type": "array", "items": inner}),
            Wrap::Property => json!({"type": "object", "properties": {"p": inner}, "required": ["p"]}),
            Wrap::AllOf => json!({"allOf": [inner]}),
            Wrap::OneOf => json!({"oneOf": [inner, {"type": "string"}]}),
            Wrap::AnyOfNullable => json!({"anyOf": [inner, {"type": "null"}]}),
            Wrap::Map => json!({"type": "object", "additionalProperties": inner}),
            Wrap::Nullable => json!({"allOf": [inner], "nullable": true}),
        }
    }
}

fn wrap() -> impl Strategy<Value = Wrap> {
    prop::sample::select(vec![
        Wrap::Array,
        Wrap::Property,
        Wrap::AllOf,
        Wrap::OneOf,
        Wrap::AnyOfNullable,
        Wrap::Map,
        Wrap::Nullable,
    ])
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Removes one member of an object, or one element of an array.
    Delete { at: Pick, member: Pick },
    /// Replaces one member with a value of another type.
    SwapType { at: Pick, member: Pick, to: Scalar },
    /// Makes an object a `$ref` (alone, or next to its other members).
    InsertRef {
        at: Pick,
        target: RefTarget,
        keep_siblings: bool,
    },
    /// Copies one operationId onto another operation.
    DuplicateOperationId { from: Pick, to: Pick },
    /// Renames one member (a schema, property, path, parameter ...).
    Rename { at: Pick, member: Pick, to: String },
    /// Sets a string member (operationId, name, type, format, in ...).
    SetText { at: Pick, member: Pick, to: String },
    /// Wraps a node in `depth` levels of schema.
    DeepNest { at: Pick, depth: usize, how: Wrap },
    /// Gives a node an enum with many (colliding, mixed-type) values.
    HugeEnum {
        at: Pick,
        size: usize,
        integer: bool,
        mixed: bool,
    },
    /// Makes two component schemas refer to each other (or one to itself).
    Cycle {
        a: Pick,
        b: Pick,
        how_a: Wrap,
        how_b: Option<Wrap>,
    },
    /// Copies a random subtree over another node.
    Graft { from: Pick, to: Pick },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Pick>(), any::<Pick>()).prop_map(|(at, member)| Mutation::Delete { at, member }),
        3 => (any::<Pick>(), any::<Pick>(), scalar()).prop_map(|(at, member, to)| Mutation::SwapType { at, member, to }),
        3 => (any::<Pick>(), ref_target(), any::<bool>())
            .prop_map(|(at, target, keep_siblings)| Mutation::InsertRef { at, target, keep_siblings }),
        1 => (any::<Pick>(), any::<Pick>()).prop_map(|(from, to)| Mutation::DuplicateOperationId { from, to }),
        3 => (any::<Pick>(), any::<Pick>(), name()).prop_map(|(at, member, to)| Mutation::Rename { at, member, to }),
        2 => (any::<Pick>(), any::<Pick>(), name()).prop_map(|(at, member, to)| Mutation::SetText { at, member, to }),
        1 => (any::<Pick>(), 1_usize..40, wrap()).prop_map(|(at, depth, how)| Mutation::DeepNest { at, depth, how }),
        1 => (any::<Pick>(), 1_usize..400, any::<bool>(), any::<bool>())
            .prop_map(|(at, size, integer, mixed)| Mutation::HugeEnum { at, size, integer, mixed }),
        2 => (any::<Pick>(), any::<Pick>(), wrap(), prop::option::of(wrap()))
            .prop_map(|(a, b, how_a, how_b)| Mutation::Cycle { a, b, how_a, how_b }),
        1 => (any::<Pick>(), any::<Pick>()).prop_map(|(from, to)| Mutation::Graft { from, to }),
    ]
}

/// Picks a container of `doc` by index.
fn pick(doc: &Value, at: &Pick) -> Vec<String> {
    let all = containers(doc);
    // The root is always a container of a parsed seed; a mutation may have
    // replaced it with a scalar, and then there is nothing to pick.
    if all.is_empty() {
        return Vec::new();
    }
    all[at.of(all.len())].clone()
}

fn apply(doc: &mut Value, mutation: &Mutation) {
    match mutation {
        Mutation::Delete { at, member } => {
            let path = pick(doc, at);
            match node_mut(doc, &path) {
                Some(Value::Object(map)) if !map.is_empty() => {
                    let key = map.keys().nth(member.of(map.len())).cloned().unwrap_or_default();
                    map.shift_remove(&key);
                }
                Some(Value::Array(items)) if !items.is_empty() => {
                    items.remove(member.of(items.len()));
                }
                _ => {}
            }
        }
        Mutation::SwapType { at, member, to } => {
            let path = pick(doc, at);
            match node_mut(doc, &path) {
                Some(Value::Object(map)) if !map.is_empty() => {
                    let key = map.keys().nth(member.of(map.len())).cloned().unwrap_or_default();
                    map.insert(key, to.value());
                }
                Some(Value::Array(items)) if !items.is_empty() => {
                    let index = member.of(items.len());
                    items[index] = to.value();
                }
                _ => {}
            }
        }
        Mutation::InsertRef {
            at,
            target,
            keep_siblings,
        } => {
            let reference = target.text(doc);
            let path = pick(doc, at);
            if let Some(node) = node_mut(doc, &path) {
                match node {
                    Value::Object(map) if *keep_siblings => {
                        map.insert("$ref".into(), Value::String(reference));
                    }
                    other => *other = json!({ "$ref": reference }),
                }
            }
        }
        Mutation::DuplicateOperationId { from, to } => {
            let holders: Vec<Vec<String>> = containers(doc)
                .into_iter()
                .filter(|path| {
                    doc.pointer(&pointer(path))
                        .and_then(Value::as_object)
                        .is_some_and(|map| map.contains_key("operationId"))
                })
                .collect();
            if holders.is_empty() {
                return;
            }
            let source = &holders[from.of(holders.len())];
            let id = doc
                .pointer(&format!("{}/operationId", pointer(source)))
                .cloned()
                .unwrap_or(Value::Null);
            let target = holders[to.of(holders.len())].clone();
            if let Some(Value::Object(map)) = node_mut(doc, &target) {
                map.insert("operationId".into(), id);
            }
        }
        Mutation::Rename { at, member, to } => {
            let path = pick(doc, at);
            if let Some(Value::Object(map)) = node_mut(doc, &path) {
                if map.is_empty() {
                    return;
                }
                let index = member.of(map.len());
                let key = map.keys().nth(index).cloned().unwrap_or_default();
                if let Some(value) = map.shift_remove(&key) {
                    if map.contains_key(to) {
                        // Renaming onto an existing member replaces it.
                        map.insert(to.clone(), value);
                    } else {
                        map.shift_insert(index.min(map.len()), to.clone(), value);
                    }
                }
            }
        }
        Mutation::SetText { at, member, to } => {
            let path = pick(doc, at);
            if let Some(Value::Object(map)) = node_mut(doc, &path) {
                let keys = [
                    "operationId",
                    "name",
                    "type",
                    "format",
                    "in",
                    "title",
                    "openapi",
                    "style",
                    "$ref",
                    "description",
                    "summary",
                ];
                let key = keys[member.of(keys.len())];
                map.insert(key.into(), Value::String(to.clone()));
            }
        }
        Mutation::DeepNest { at, depth, how } => {
            let path = pick(doc, at);
            if let Some(node) = node_mut(doc, &path) {
                let mut value = node.take();
                for _ in 0..*depth {
                    value = how.around(value);
                }
                *node = value;
            }
        }
        Mutation::HugeEnum {
            at,
            size,
            integer,
            mixed,
        } => {
            let values: Vec<Value> = (0..*size)
                .map(|i| match (integer, mixed, i % 7) {
                    (_, true, 0) => Value::Null,
                    (_, true, 1) => json!(i % 2 == 0),
                    (_, true, 2) => json!({"k": i}),
                    (_, true, 3) => json!(i as f64 + 0.5),
                    (true, _, _) => json!(i as i64 * if i % 2 == 0 { 1 } else { -1 }),
                    // Values that collide after case conversion, and repeats.
                    (false, _, 4) => json!(format!("value-{}", i / 2)),
                    (false, _, 5) => json!(format!("Value_{}", i / 2)),
                    (false, _, 6) => json!(""),
                    (false, _, _) => json!(format!("v{i}")),
                })
                .collect();
            let path = pick(doc, at);
            if let Some(Value::Object(map)) = node_mut(doc, &path) {
                map.insert("type".into(), json!(if *integer { "integer" } else { "string" }));
                map.insert("enum".into(), Value::Array(values));
            }
        }
        Mutation::Cycle { a, b, how_a, how_b } => {
            let names = schema_names(doc);
            if names.is_empty() {
                return;
            }
            let name_a = names[a.of(names.len())].clone();
            let name_b = names[b.of(names.len())].clone();
            let to = |name: &str| json!({ "$ref": format!("#/components/schemas/{}", name.replace('~', "~0").replace('/', "~1")) });
            if let Some(schemas) = schemas_mut(doc) {
                schemas.insert(name_a.clone(), how_a.around(to(&name_b)));
                schemas.insert(
                    name_b,
                    match how_b {
                        Some(how) => how.around(to(&name_a)),
                        None => to(&name_a),
                    },
                );
            }
        }
        Mutation::Graft { from, to } => {
            let source = pick(doc, from);
            let Some(subtree) = doc.pointer(&pointer(&source)).cloned() else {
                return;
            };
            let target = pick(doc, to);
            if let Some(node) = node_mut(doc, &target) {
                *node = subtree;
            }
        }
    }
}

fn pointer(path: &[String]) -> String {
    path.iter()
        .map(|token| format!("/{}", token.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// The mutated document as text: JSON or YAML, to go through both parsers.
fn render(doc: &Value, as_json: bool) -> (&'static str, String) {
    if as_json {
        ("fuzz.json", serde_json::to_string_pretty(doc).unwrap())
    } else {
        ("fuzz.yaml", serde_yaml_ng::to_string(doc).unwrap())
    }
}

// ---------------------------------------------------------------------------
// The properties.
// ---------------------------------------------------------------------------

/// Text that starts like an OpenAPI document half of the time, so that
/// arbitrary bytes also reach the typed parse and the lowering.
fn arbitrary_text() -> impl Strategy<Value = (bool, String)> {
    let head = prop::sample::select(vec![
        "",
        "openapi: 3.0.3\n",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n",
        "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": ",
        "swagger: '2.0'\n",
    ]);
    let body = prop_oneof![
        "\\PC{0,200}",
        prop::collection::vec(any::<u8>(), 0..200).prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        "[ \\n:{}\\[\\],'\"&*!|>#-]{0,80}",
    ];
    (any::<bool>(), head, body).prop_map(|(json, head, body)| (json, format!("{head}{body}")))
}

/// Runs `test` on `cases` inputs of `strategy`, then prints the figures.
fn fuzz<S: Strategy>(name: &str, cases: u32, strategy: S, test: impl Fn(&Tally, S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let tally = Tally::default();
    let started = std::time::Instant::now();
    let seed = seed();
    let mut seed_bytes = [0_u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes);
    let mut runner = TestRunner::new_with_rng(config(cases), rng);
    match runner.run(&strategy, |input| test(&tally, input)) {
        Ok(()) => {}
        Err(TestError::Fail(reason, minimal)) => panic!("{name}: {reason}\nminimal input: {minimal:#?}"),
        Err(TestError::Abort(reason)) => panic!("{name}: aborted: {reason}"),
    }
    tally.print(name);
    eprintln!(
        "fuzz {name}: {:.1} s (APIGEN_FUZZ_SEED={seed})",
        started.elapsed().as_secs_f64()
    );
}

/// The same inputs on every run unless `APIGEN_FUZZ_SEED` asks for others,
/// so that CI is reproducible and explorations can be replayed.
fn seed() -> u64 {
    std::env::var("APIGEN_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x0A91_6E4F_2026)
}

/// (a) Arbitrary text through both parsers.
#[test]
fn arbitrary_text_never_panics() {
    fuzz(
        "arbitrary text",
        CASES * 2,
        arbitrary_text(),
        |tally, (as_json, text)| {
            let name = if as_json { "fuzz.json" } else { "fuzz.yaml" };
            run_case(tally, name, &text, &Config::default())
        },
    );
}

/// (b) One to six structure-aware mutations of a seed document.
#[test]
fn mutated_specs_never_panic() {
    let seeds = seeds();
    let config = seed_config();
    let strategy = (
        any::<Pick>(),
        prop::collection::vec(mutation(), 1..7),
        any::<bool>(),
        any::<bool>(),
    );
    fuzz(
        "mutated specs",
        CASES * 2,
        strategy,
        |tally, (seed, mutations, as_json, with_config)| {
            let (_, seed_doc) = &seeds[seed.of(seeds.len())];
            let mut doc = seed_doc.clone();
            for mutation in &mutations {
                apply(&mut doc, mutation);
            }
            let (name, text) = render(&doc, as_json);
            let config = if with_config { config.clone() } else { Config::default() };
            run_case(tally, name, &text, &config)
        },
    );
}

#[test]
fn seeds_generate_and_every_mutation_kind_applies() {
    let seeds = seeds();
    for (name, doc) in &seeds {
        let (file, text) = render(doc, name.ends_with(".json"));
        let outcome = pipeline(file, &text, &Config::default()).unwrap_or_else(|bug| panic!("{name}: {bug}"));
        assert!(matches!(outcome, Outcome::Generated(_)), "seed {name} must generate");
    }
    // Each mutation kind changes the seed spec (the mutator is not a no-op).
    let (_, seed) = &seeds[0];
    let first = Pick(0);
    let kinds = vec![
        Mutation::Delete {
            at: first,
            member: first,
        },
        Mutation::SwapType {
            at: first,
            member: first,
            to: Scalar::Int(5),
        },
        Mutation::InsertRef {
            at: first,
            target: RefTarget::Fixed("#/x".into()),
            keep_siblings: true,
        },
        Mutation::DuplicateOperationId { from: first, to: first },
        Mutation::Rename {
            at: first,
            member: first,
            to: "renamed".into(),
        },
        Mutation::SetText {
            at: first,
            member: first,
            to: "x".into(),
        },
        Mutation::DeepNest {
            at: first,
            depth: 3,
            how: Wrap::Array,
        },
        Mutation::HugeEnum {
            at: first,
            size: 10,
            integer: false,
            mixed: true,
        },
        Mutation::Cycle {
            a: first,
            b: first,
            how_a: Wrap::Property,
            how_b: None,
        },
        Mutation::Graft {
            from: Pick(u64::MAX / 2),
            to: first,
        },
    ];
    for mutation in kinds {
        let mut doc = seed.clone();
        apply(&mut doc, &mutation);
        let unchanged = matches!(mutation, Mutation::DuplicateOperationId { .. });
        assert_eq!(&doc == seed, unchanged, "{mutation:?}");
    }
}

/// (b, continued) A few mutations of the full LaunchDarkly spec (348
/// operations): each run takes seconds in a debug build, so only a few.
#[test]
fn mutated_full_spec_never_panics() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/specs/launchdarkly-full-3.0.3.yaml");
    assert!(
        path.is_file(),
        "{} is missing: this test needs the shared folder next to the checkout",
        path.display()
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let full = apigen::load::parse_value(&path, &text).unwrap();
    let config = seed_config();
    fuzz(
        "mutated full spec",
        3,
        prop::collection::vec(mutation(), 1..4),
        |tally, mutations| {
            let mut doc = full.clone();
            for mutation in &mutations {
                apply(&mut doc, mutation);
            }
            let (name, text) = render(&doc, true);
            run_case(tally, name, &text, &config)
        },
    );
}

// ---------------------------------------------------------------------------
// Regression tests: each crash or hang the fuzzer found, with its minimal
// input, plus the limits the fixes introduced.
// ---------------------------------------------------------------------------

/// Runs `work` on a thread with a 2 MiB stack (what `cargo test` gives each
/// test) and fails if it takes longer than `budget` instead of hanging.
fn on_small_stack_within<T: Send + 'static>(
    budget: std::time::Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let _ = send.send(work());
        })
        .unwrap();
    receive
        .recv_timeout(budget)
        .unwrap_or_else(|_| panic!("did not finish within {budget:?} (or crashed)"))
}

/// A document whose only schema is `levels` wraps of `wrap` around `leaf`.
fn nested_document(wrap: Wrap, levels: usize, leaf: Value) -> String {
    let mut schema = leaf;
    for _ in 0..levels {
        schema = wrap.around(schema);
    }
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"operationId": "a", "responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}
        }}}}},
        "components": {"schemas": {"A": schema}}
    });
    serde_json::to_string(&doc).unwrap()
}

fn outcome_of(text: String) -> Result<String, String> {
    let path = Path::new("nested.json");
    apigen::load::load_str(path, &text)
        .and_then(|spec| apigen::lower::lower(path, &spec.document, &Config::default(), &Selection::default()))
        .and_then(|api| apigen::emit::emit(&api, &emit_options()).map(|files| files.len()))
        .map(|files| format!("{files} files"))
        .map_err(|error| error.to_string())
}

/// Found by `mutated_specs_never_panic`: an invalid schema (a number) under
/// 30 levels of `allOf` made `openapiv3` retry every level twice, 2^30
/// parses; the test ran for more than 20 minutes. Now the innermost invalid
/// schema is reported at once.
#[test]
fn regression_invalid_schema_deep_inside_is_reported_fast() {
    let budget = std::time::Duration::from_secs(20);
    for (wrap, step) in [
        (Wrap::AllOf, "/allOf/0"),
        (Wrap::OneOf, "/oneOf/0"),
        (Wrap::Property, "/properties/p"),
        (Wrap::Array, "/items"),
        (Wrap::Map, "/additionalProperties"),
        (Wrap::AnyOfNullable, "/anyOf/0"),
    ] {
        let text = nested_document(wrap, 30, json!(1.5));
        let message = on_small_stack_within(budget, move || outcome_of(text)).unwrap_err();
        // The innermost offending value is named, not the outermost level.
        let pointer = format!("#/components/schemas/A{}", step.repeat(30));
        assert!(
            message.starts_with(&format!(
                "nested.json: {pointer}: invalid OpenAPI document: invalid type: floating point `1.5`"
            )),
            "{wrap:?}: {message}"
        );
    }
}

/// Found by `mutated_specs_never_panic`: 33 levels of `allOf` overflowed a
/// 2 MiB stack while `openapiv3` parsed them (and 53 nested arrays while
/// `syn` parsed the emitted type), aborting the process. The recursive
/// phases now run on a thread with a large stack.
#[test]
fn regression_deep_valid_nesting_does_not_overflow_the_callers_stack() {
    let budget = std::time::Duration::from_secs(60);
    for (wrap, levels) in [
        (Wrap::AllOf, 33),
        (Wrap::AllOf, 60),
        (Wrap::Array, 60),
        (Wrap::Map, 60),
        (Wrap::OneOf, 30),
    ] {
        let text = nested_document(wrap, levels, json!({"type": "string"}));
        let outcome = on_small_stack_within(budget, move || outcome_of(text));
        assert!(outcome.is_ok(), "{wrap:?} x{levels}: {outcome:?}");
    }
}

/// Found while reproducing the above: a chain of 1000 schemas, each
/// referring to the next, overflowed even an 8 MiB stack in the lowering.
/// Lowering now stops at a nesting limit with a located error.
#[test]
fn regression_long_ref_chain_is_a_typed_error() {
    fn chain(len: usize) -> String {
        let mut schemas = Map::new();
        for i in 0..len {
            schemas.insert(
                format!("S{i}"),
                json!({"type": "object", "properties": {"next": {"$ref": format!("#/components/schemas/S{}", i + 1)}}}),
            );
        }
        schemas.insert(format!("S{len}"), json!({"type": "string"}));
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"operationId": "a", "responses": {"200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}
            }}}}},
            "components": {"schemas": schemas}
        });
        serde_json::to_string(&doc).unwrap()
    }
    let budget = std::time::Duration::from_secs(60);
    let ok = on_small_stack_within(budget, move || outcome_of(chain(60)));
    assert!(ok.is_ok(), "{ok:?}");
    let message = on_small_stack_within(budget, move || outcome_of(chain(1000))).unwrap_err();
    assert_eq!(
        message,
        "nested.json: #/components/schemas/S63/properties/next: schemas nest more than 64 levels deep here \
         (inline or through $ref); no real API nests this deeply: look for an accidental chain of $refs or \
         of nested schemas and shorten it"
    );
}

/// The loader's own depth limit, for documents built in code (the YAML and
/// JSON parsers stop at about the same depth for text).
#[test]
fn document_nested_deeper_than_the_limit_is_refused_with_a_pointer() {
    let mut deep = json!("leaf");
    for _ in 0..200 {
        deep = json!([deep]);
    }
    let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "x-deep": deep});
    let error = on_small_stack_within(std::time::Duration::from_secs(20), move || {
        apigen::load::load_value(Path::new("deep.json"), doc)
            .map(drop)
            .unwrap_err()
            .to_string()
    });
    let pointer = format!("#/x-deep{}", "/0".repeat(apigen::load::MAX_DEPTH - 1));
    assert_eq!(
        error,
        format!(
            "deep.json: {pointer}: the document nests more than 128 levels deep here; \
             no real API nests this deeply: look for accidental nesting and flatten it"
        )
    );
    // Text input stops in the parser, also with a typed error.
    let text = format!("{{\"a\": {}{}}}", "[".repeat(5000), "]".repeat(5000));
    let error = apigen::load::load_str(Path::new("deep.json"), &text)
        .map(drop)
        .unwrap_err();
    assert!(matches!(error, Error::Syntax { .. }), "{error}");
}

/// YAML alias expansion ("billion laughs") is refused by the parser quickly.
#[test]
fn yaml_alias_bomb_is_a_typed_error() {
    let mut text = String::from("openapi: 3.0.3\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    text.push_str("info: {title: t, version: '1'}\npaths: {}\n");
    let started = std::time::Instant::now();
    let error = apigen::load::load_str(Path::new("bomb.yaml"), &text)
        .map(drop)
        .unwrap_err();
    assert!(error.to_string().contains("repetition limit exceeded"), "{error}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}
