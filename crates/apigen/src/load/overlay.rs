//! OpenAPI Overlay 1.0 documents, which correct a spec without editing it.
//!
//! Real servers drift from the documents that describe them, and the
//! document is often a vendor's file that an edit by hand would be lost
//! from at the next download. An Overlay (the OpenAPI Initiative's Overlay
//! Specification 1.0) keeps the corrections in a file of their own: an
//! ordered list of actions, each selecting nodes of the document with an
//! RFC 9535 JSONPath `target` and either merging an `update` into them or
//! removing them. Overlays apply to the entry document as decoded, before
//! bundling, so that the audit, the lowering and the mock server all see
//! the corrected document.
//!
//! Where Overlay 1.0 leaves a case open, the rules of Overlay 1.1 are
//! followed: an object update is merged recursively (the update's
//! primitives replace the document's, its arrays are appended to the
//! document's arrays, its objects are merged), a primitive target is
//! replaced by a primitive update, and `remove` also takes primitive array
//! items. One rule departs from the letter of both versions, which make an
//! update of an array target one entry to append: an update that is itself
//! an array is appended item by item, as the tools most overlays are
//! written for read it (an update `[{name: Snacks}]` on `$.tags` adds one
//! tag, not a list). Any other update of an array target is appended as one
//! item. Any other pairing of kinds is
//! an error, never a guess. One rule is stricter than the specification on
//! purpose: a target that selects nothing is an error rather than a no-op,
//! because it almost always means that the document changed under the
//! overlay, and a correction that silently stops applying brings back the
//! drift it was written to fix.

use std::path::{Path, PathBuf};

use serde_json::Value;
use serde_json_path::{JsonPath, PathElement};

use crate::error::{Error, Location, Result, pointer_push};

/// An overlay file, read and checked, ready to apply.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// The file as the user named it; every error names it.
    path: PathBuf,
    /// The actions, in the order they apply.
    actions: Vec<Action>,
}

/// One action of an overlay.
#[derive(Debug, Clone)]
struct Action {
    /// Its index in `actions`, for the pointer `#/actions/N`.
    index: usize,
    /// Its `description`, repeated in messages so the user recognises it.
    description: Option<String>,
    /// The `target` as written.
    target: String,
    /// The `target` parsed.
    query: JsonPath,
    /// What it does to the nodes the target selects.
    change: Change,
}

/// What an action does to each node its target selects.
#[derive(Debug, Clone)]
enum Change {
    /// Merge this value into the node.
    Update(Value),
    /// Remove the node from the object or array holding it.
    Remove,
}

/// One step from a node to a child: a property name or an array index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    /// A property of an object.
    Key(String),
    /// An item of an array.
    Index(usize),
}

/// What a mismatch between an update and the document asks the user to do.
const MISMATCH_HINT: &str = "an update merges an object into an object, appends to an array and replaces a \
     primitive; to change what kind of value is there, remove it with an earlier action and add it again";

impl Overlay {
    /// Reads and checks the overlay file at `path` (YAML, or JSON for a `.json` file).
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|err| {
            overlay_error(
                path,
                "#".into(),
                format!("cannot read the overlay file: {err}"),
                "check the path given with --overlay or in the configuration's `overlays`",
            )
        })?;
        Self::parse(path, &text)
    }

    /// Decodes and checks overlay `text`; `path` names it in messages and
    /// chooses JSON for a `.json` file.
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        let value = super::parse_value(path, text)?;
        Self::from_value(path, &value)
    }

    /// Checks a decoded overlay: an `overlay` version 1.0.x, an `info` with
    /// a `title` and a `version`, and a non-empty list of actions, each with
    /// a valid JSONPath `target` and an `update` or `remove: true`.
    pub fn from_value(path: &Path, value: &Value) -> Result<Self> {
        let fail = |pointer: &str, message: String, hint: &str| overlay_error(path, pointer.into(), message, hint);
        let Some(root) = value.as_object() else {
            return Err(fail(
                "#",
                "the overlay is empty or not a mapping".into(),
                "an overlay is a mapping with `overlay: 1.0.0`, `info` and `actions`",
            ));
        };
        match root.get("overlay") {
            Some(Value::String(version)) if is_version_1_0(version) => {}
            Some(Value::String(version)) => {
                return Err(fail(
                    "#/overlay",
                    format!("Overlay version {version} is not supported"),
                    "write an Overlay 1.0 document (`overlay: 1.0.0`)",
                ));
            }
            Some(_) => {
                return Err(fail(
                    "#/overlay",
                    "`overlay` must be a version string such as \"1.0.0\"".into(),
                    "quote the version",
                ));
            }
            None => {
                return Err(fail(
                    "#/overlay",
                    "the file has no `overlay` version field, so it is not an overlay".into(),
                    "add `overlay: 1.0.0` at the top, or check that this is the overlay and not the spec",
                ));
            }
        }
        let Some(Value::Object(info)) = root.get("info") else {
            return Err(fail(
                "#/info",
                "the overlay has no `info` mapping".into(),
                "add `info:` with a `title` and a `version`, as the Overlay specification requires",
            ));
        };
        for key in ["title", "version"] {
            if !info.get(key).is_some_and(Value::is_string) {
                return Err(fail(
                    &format!("#/info/{key}"),
                    format!("`info.{key}` must be a string"),
                    "the Overlay specification requires `info` with a `title` and a `version`",
                ));
            }
        }
        let actions = match root.get("actions") {
            Some(Value::Array(items)) if !items.is_empty() => items,
            Some(Value::Array(_)) => {
                return Err(fail(
                    "#/actions",
                    "`actions` is empty".into(),
                    "add at least one action, or stop applying this overlay",
                ));
            }
            _ => {
                return Err(fail(
                    "#/actions",
                    "the overlay has no `actions` list".into(),
                    "add `actions:` with at least one `target` and its `update` or `remove: true`",
                ));
            }
        };
        let actions = actions
            .iter()
            .enumerate()
            .map(|(index, action)| parse_action(path, index, action))
            .collect::<Result<Vec<_>>>()?;
        Ok(Overlay {
            path: path.to_path_buf(),
            actions,
        })
    }

    /// The overlay file as the user named it.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Applies every action in order to `document`, the decoded file at
    /// `document_path` (named in messages). Stops at the first action that
    /// cannot apply; `document` may then hold the changes of the actions
    /// before it.
    pub fn apply(&self, document_path: &Path, document: &mut Value) -> Result<()> {
        self.actions
            .iter()
            .try_for_each(|action| self.apply_action(action, document_path, document))
    }

    /// Applies one action: finds every location its target selects first,
    /// then changes them (removals from the last location backwards, so
    /// that removing an array item does not shift the items still to go).
    fn apply_action(&self, action: &Action, document_path: &Path, document: &mut Value) -> Result<()> {
        let mut locations: Vec<Vec<Step>> = action
            .query
            .query_located(document)
            .locations()
            .map(|location| location.iter().map(step).collect())
            .collect();
        locations.sort();
        locations.dedup();
        if locations.is_empty() {
            return Err(self.action_error(
                action,
                format!("matches nothing in {}", document_path.display()),
                "check the path against the document; the overlay was probably written for another version of it",
            ));
        }
        match &action.change {
            Change::Remove => {
                for location in locations.iter().rev() {
                    remove(document, location).map_err(|message| {
                        self.action_error(action, message, "target the properties or items to remove")
                    })?;
                }
            }
            Change::Update(update) => {
                for location in &locations {
                    let at = pointer_of(location);
                    let node = node_mut(document, location).ok_or_else(|| {
                        self.action_error(
                            action,
                            format!("selects {at}, which is no longer in the document"),
                            "split the action in two",
                        )
                    })?;
                    update_node(node, update, &at).map_err(|message| {
                        let message = format!("cannot be merged into {}: {message}", document_path.display());
                        self.action_error(action, message, MISMATCH_HINT)
                    })?;
                }
            }
        }
        Ok(())
    }

    /// An error about `action`, naming the overlay file, the action's
    /// pointer, its description and its target before `message`.
    fn action_error(&self, action: &Action, message: String, hint: &str) -> Error {
        let described = match &action.description {
            Some(description) => format!(" (\"{description}\")"),
            None => String::new(),
        };
        overlay_error(
            &self.path,
            format!("#/actions/{}", action.index),
            format!("the action{described} with target `{}` {message}", action.target),
            hint,
        )
    }
}

/// Reads and applies each overlay file in turn to `document`, the decoded
/// entry document at `document_path`.
pub fn apply_files(overlays: &[PathBuf], document_path: &Path, document: &mut Value) -> Result<()> {
    overlays
        .iter()
        .try_for_each(|path| Overlay::load(path)?.apply(document_path, document))
}

/// Whether `version` is an Overlay 1.0 version: `1.0.` and a patch number.
fn is_version_1_0(version: &str) -> bool {
    version
        .strip_prefix("1.0.")
        .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

/// Checks one action (`value`, at `#/actions/{index}` of the overlay `path`).
fn parse_action(path: &Path, index: usize, value: &Value) -> Result<Action> {
    let pointer = format!("#/actions/{index}");
    let fail = |pointer: String, message: String, hint: &str| overlay_error(path, pointer, message, hint);
    let Some(fields) = value.as_object() else {
        return Err(fail(
            pointer,
            "an action must be a mapping".into(),
            "give it a `target` and an `update` or `remove: true`",
        ));
    };
    for key in fields.keys() {
        if !matches!(key.as_str(), "target" | "description" | "update" | "remove") && !key.starts_with("x-") {
            let hint = if key == "copy" {
                "`copy` belongs to Overlay 1.1, which apigen does not apply; write the value as `update`"
            } else {
                "an Overlay 1.0 action has only `target`, `description`, `update`, `remove` and `x-` extensions"
            };
            return Err(fail(
                pointer_push(&pointer, key),
                format!("unknown action field `{key}`"),
                hint,
            ));
        }
    }
    let description = match fields.get("description") {
        None => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(_) => {
            return Err(fail(
                format!("{pointer}/description"),
                "`description` must be a string".into(),
                "quote it",
            ));
        }
    };
    let target = match fields.get("target") {
        Some(Value::String(target)) => target.clone(),
        Some(_) => {
            return Err(fail(
                format!("{pointer}/target"),
                "`target` must be a JSONPath string".into(),
                "quote it, as in `target: '$.paths'`",
            ));
        }
        None => {
            return Err(fail(
                pointer,
                "the action has no `target`".into(),
                "add a JSONPath `target` such as `$.components.schemas.Pet`",
            ));
        }
    };
    let query = parse_target(&target).map_err(|message| {
        fail(
            format!("{pointer}/target"),
            format!("`{target}` is not a valid JSONPath: {message}"),
            "write an RFC 9535 JSONPath such as `$.paths['/pets'].get`",
        )
    })?;
    let remove = match fields.get("remove") {
        None => false,
        Some(Value::Bool(remove)) => *remove,
        Some(_) => {
            return Err(fail(
                format!("{pointer}/remove"),
                "`remove` must be true or false".into(),
                "write `remove: true` to remove the target",
            ));
        }
    };
    // As the specification says, `update` has no effect when `remove` is true.
    let change = match (remove, fields.get("update")) {
        (true, _) => Change::Remove,
        (false, Some(update)) => Change::Update(update.clone()),
        (false, None) => {
            return Err(fail(
                pointer,
                "the action has neither `update` nor `remove: true`".into(),
                "add the value to merge as `update`, or `remove: true` to remove the target",
            ));
        }
    };
    Ok(Action {
        index,
        description,
        target,
        query,
        change,
    })
}

/// Parses a JSONPath target.
///
/// `serde_json_path` 0.7 panics (an `unreachable!` on its parser's
/// "incomplete input" result) when the text ends inside a `\u` escape, such
/// as `$["\u`; the fuzzer found it. That case is refused here first, and any
/// other panic of the parser becomes an error too, since an overlay is user
/// input and must never abort the generator.
fn parse_target(target: &str) -> std::result::Result<JsonPath, String> {
    if let Some(at) = unfinished_unicode_escape(target) {
        return Err(format!(
            "the `\\u` escape at character {at} needs four hexadecimal digits"
        ));
    }
    match std::panic::catch_unwind(|| JsonPath::parse(target)) {
        Ok(parsed) => parsed.map_err(|err| err.to_string()),
        Err(_) => Err("the JSONPath parser failed on it".into()),
    }
}

/// The character position of the first `\u` escape not followed by four
/// hexadecimal digits, if any (an escaped backslash is not an escape).
fn unfinished_unicode_escape(text: &str) -> Option<usize> {
    let chars: Vec<char> = text.chars().collect();
    let mut index = 0;
    while index < chars.len() {
        if chars[index] == '\\' {
            if chars.get(index + 1) == Some(&'u') {
                let digits = chars
                    .iter()
                    .skip(index + 2)
                    .take(4)
                    .filter(|c| c.is_ascii_hexdigit())
                    .count();
                let complete = chars.len() >= index + 6 && digits == 4;
                if !complete {
                    return Some(index);
                }
            }
            // Whatever the backslash escapes is not an escape of its own.
            index += 2;
        } else {
            index += 1;
        }
    }
    None
}

/// The error of an overlay at `pointer` of the overlay file `path`.
fn overlay_error(path: &Path, pointer: String, message: String, hint: &str) -> Error {
    Error::Overlay {
        location: Location {
            file: path.to_path_buf(),
            pointer,
        },
        message,
        hint: hint.to_owned(),
    }
}

/// A step of a JSONPath normalized path.
fn step(element: &PathElement<'_>) -> Step {
    match element {
        PathElement::Name(name) => Step::Key((*name).to_owned()),
        PathElement::Index(index) => Step::Index(*index),
    }
}

/// The JSON pointer of `location`, for messages.
fn pointer_of(location: &[Step]) -> String {
    location.iter().fold(String::from("#"), |pointer, step| match step {
        Step::Key(key) => pointer_push(&pointer, key),
        Step::Index(index) => pointer_push(&pointer, &index.to_string()),
    })
}

/// The node at `location`, if it is there.
fn node_mut<'a>(document: &'a mut Value, location: &[Step]) -> Option<&'a mut Value> {
    location.iter().try_fold(document, |node, step| match (node, step) {
        (Value::Object(fields), Step::Key(key)) => fields.get_mut(key),
        (Value::Array(items), Step::Index(index)) => items.get_mut(*index),
        _ => None,
    })
}

/// Removes the node at `location` from the object or array holding it,
/// keeping the order of the rest.
fn remove(document: &mut Value, location: &[Step]) -> std::result::Result<(), String> {
    let Some((last, parent)) = location.split_last() else {
        return Err("selects the whole document, which cannot be removed".into());
    };
    let removed = match (node_mut(document, parent), last) {
        (Some(Value::Object(fields)), Step::Key(key)) => fields.shift_remove(key).is_some(),
        (Some(Value::Array(items)), Step::Index(index)) if *index < items.len() => {
            items.remove(*index);
            true
        }
        _ => false,
    };
    if removed {
        Ok(())
    } else {
        Err(format!(
            "selects {}, which an earlier part of the same action removed",
            pointer_of(location)
        ))
    }
}

/// Applies an `update` to a node its action selected (`at` is the node's
/// pointer): a target array takes an array update's items, or any other
/// update as one item; otherwise the two are merged.
fn update_node(node: &mut Value, update: &Value, at: &str) -> std::result::Result<(), String> {
    match node {
        Value::Array(items) if !update.is_array() => {
            items.push(update.clone());
            Ok(())
        }
        node => merge(node, update, at),
    }
}

/// Merges `update` into `node` (at pointer `at`): objects property by
/// property, recursively, with the update's properties added or merged;
/// arrays by appending the update's items; primitives by replacing them.
fn merge(node: &mut Value, update: &Value, at: &str) -> std::result::Result<(), String> {
    match (node, update) {
        (Value::Object(fields), Value::Object(changes)) => {
            for (key, change) in changes {
                match fields.get_mut(key) {
                    Some(existing) => merge(existing, change, &pointer_push(at, key))?,
                    None => {
                        fields.insert(key.clone(), change.clone());
                    }
                }
            }
            Ok(())
        }
        (Value::Array(items), Value::Array(more)) => {
            items.extend(more.iter().cloned());
            Ok(())
        }
        (node, update) if is_primitive(node) && is_primitive(update) => {
            *node = update.clone();
            Ok(())
        }
        (node, update) => Err(format!(
            "at {at} the document has {} and the update gives {}",
            kind(node),
            kind(update)
        )),
    }
}

/// Whether `value` is a string, number, boolean or null.
fn is_primitive(value: &Value) -> bool {
    !value.is_object() && !value.is_array()
}

/// What kind of value `value` is, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Object(_) => "an object",
        Value::Array(_) => "an array",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The document the tests correct.
    fn document() -> Value {
        json!({
            "openapi": "3.1.0",
            "info": {"title": "Pets", "version": "1"},
            "tags": [{"name": "pets"}],
            "paths": {
                "/pets": {
                    "get": {
                        "operationId": "listPets",
                        "parameters": [
                            {"name": "limit", "in": "query"},
                            {"name": "dummy", "in": "query"},
                            {"name": "debug", "in": "query"}
                        ]
                    },
                    "delete": {"operationId": "deletePets"}
                }
            },
            "components": {"schemas": {"Pet": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}
            }}}
        })
    }

    /// `actions` (YAML) wrapped in an overlay named `fix.yaml`.
    fn overlay(actions: &str) -> Result<Overlay> {
        let text = format!("overlay: 1.0.0\ninfo: {{title: Fix, version: '1'}}\nactions:\n{actions}");
        Overlay::parse(Path::new("fix.yaml"), &text)
    }

    /// The document after the overlay of `actions`.
    fn applied(actions: &str) -> Result<Value> {
        let mut value = document();
        overlay(actions)?.apply(Path::new("pets.yaml"), &mut value)?;
        Ok(value)
    }

    /// The message of an error, which must be an overlay error at `pointer` of `fix.yaml`.
    fn overlay_message(result: Result<impl std::fmt::Debug>, pointer: &str) -> String {
        let error = result.expect_err("the overlay must fail");
        let Error::Overlay { location, .. } = &error else {
            panic!("not an overlay error: {error}");
        };
        assert_eq!(location.file, Path::new("fix.yaml"));
        assert_eq!(location.pointer, pointer);
        error.to_string()
    }

    #[test]
    fn an_object_update_merges_recursively_and_the_update_wins() {
        let value = applied(
            "- target: $.components.schemas.Pet
  update:
    description: A pet.
    properties:
      id: {type: number}
      name: {maxLength: 10}
      tag: {type: string}
",
        )
        .unwrap();
        assert_eq!(
            value["components"]["schemas"]["Pet"],
            json!({
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "number"},
                    "name": {"type": "string", "maxLength": 10},
                    "tag": {"type": "string"}
                },
                "description": "A pet."
            })
        );
    }

    #[test]
    fn an_update_appends_to_a_target_array_and_concatenates_nested_arrays() {
        let value = applied(
            "- target: $.tags
  update: {name: cats}
- target: $.tags
  update: [{name: dogs}, {name: birds}]
- target: $.components.schemas.Pet
  update: {required: [tag]}
",
        )
        .unwrap();
        assert_eq!(
            value["tags"],
            json!([{"name": "pets"}, {"name": "cats"}, {"name": "dogs"}, {"name": "birds"}])
        );
        assert_eq!(
            value["components"]["schemas"]["Pet"]["required"],
            json!(["id", "name", "tag"])
        );
    }

    #[test]
    fn an_update_applies_to_every_node_the_target_selects() {
        let value = applied("- target: $.paths.*.*\n  update: {x-safe: true}\n").unwrap();
        assert_eq!(value["paths"]["/pets"]["get"]["x-safe"], json!(true));
        assert_eq!(value["paths"]["/pets"]["delete"]["x-safe"], json!(true));
        let value = applied("- target: $.info.title\n  update: Cats\n").unwrap();
        assert_eq!(value["info"]["title"], json!("Cats"));
    }

    #[test]
    fn remove_takes_a_property_an_array_item_or_several_nodes_out() {
        let value = applied(
            "- target: $.paths['/pets'].delete
  remove: true
- target: $.components.schemas.Pet.required[?@ == 'name']
  remove: true
",
        )
        .unwrap();
        let operations: Vec<&String> = value["paths"]["/pets"].as_object().unwrap().keys().collect();
        assert_eq!(operations, ["get"]);
        assert_eq!(value["components"]["schemas"]["Pet"]["required"], json!(["id"]));

        // Two items of one array: the later is removed first, so both go.
        let value = applied(
            "- target: $.paths.*.get.parameters[?@.name == 'dummy' || @.name == 'debug']
  remove: true
",
        )
        .unwrap();
        assert_eq!(
            value["paths"]["/pets"]["get"]["parameters"],
            json!([{"name": "limit", "in": "query"}])
        );
    }

    #[test]
    fn remove_keeps_the_order_of_the_remaining_properties() {
        let value = applied("- target: $.info.title\n  remove: true\n").unwrap();
        let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["openapi", "info", "tags", "paths", "components"]);
        assert_eq!(value["info"], json!({"version": "1"}));
    }

    #[test]
    fn update_is_ignored_when_remove_is_true() {
        let value = applied("- target: $.tags\n  remove: true\n  update: {name: cats}\n").unwrap();
        assert!(value.get("tags").is_none());
    }

    #[test]
    fn actions_apply_in_order_each_to_the_result_of_the_one_before() {
        let value = applied(
            "- target: $.components.schemas.Pet.required
  remove: true
- target: $.components.schemas.Pet
  update: {required: [name]}
- target: $.components.schemas.Pet.required
  update: id
",
        )
        .unwrap();
        assert_eq!(value["components"]["schemas"]["Pet"]["required"], json!(["name", "id"]));
        // The second removal runs on the result of the first, where nothing is left to remove.
        let error = applied(
            "- target: $.components.schemas.Pet.required
  remove: true
- target: $.components.schemas.Pet.required
  remove: true
",
        );
        let message = overlay_message(error, "#/actions/1");
        assert!(message.contains("matches nothing"), "{message}");
    }

    #[test]
    fn a_target_that_matches_nothing_names_the_file_the_action_and_the_target() {
        let error = applied(
            "- target: $.info
  update: {x-checked: true}
- target: $.components.schemas.Dog
  description: Dogs may have no name
  update: {required: []}
",
        );
        let message = overlay_message(error, "#/actions/1");
        assert_eq!(
            message,
            "fix.yaml: #/actions/1: overlay: the action (\"Dogs may have no name\") with target \
             `$.components.schemas.Dog` matches nothing in pets.yaml; check the path against the \
             document; the overlay was probably written for another version of it"
        );
    }

    #[test]
    fn a_target_ending_inside_a_unicode_escape_is_refused_not_a_panic() {
        // Found by the overlay fuzz target: the parser itself panicked here.
        for target in [r#"$["\u"#, r#"$["\u12"#, r#"$["\u00e9\u"#] {
            let actions = format!("  - target: '{target}'\n    remove: true\n");
            let message = overlay_message(overlay(&actions), "#/actions/0/target");
            assert!(message.contains("needs four hexadecimal digits"), "{message}");
        }
        assert_eq!(unfinished_unicode_escape(r#"$["\\u"]"#), None);
        assert_eq!(unfinished_unicode_escape(r#"$["\u00e9"]"#), None);
        assert_eq!(unfinished_unicode_escape(r#"$["a\u"]"#), Some(4));
    }

    #[test]
    fn an_invalid_jsonpath_is_refused_with_the_parser_message() {
        let message = overlay_message(overlay("- target: $.paths[\n  remove: true\n"), "#/actions/0/target");
        assert!(
            message.contains("`$.paths[` is not a valid JSONPath: at position"),
            "{message}"
        );
        let message = overlay_message(overlay("- target: paths\n  remove: true\n"), "#/actions/0/target");
        assert!(message.contains("is not a valid JSONPath"), "{message}");
    }

    #[test]
    fn only_overlay_1_0_documents_are_accepted() {
        let version = |text: &str| Overlay::parse(Path::new("fix.yaml"), text).map(|_| ());
        let actions = "info: {title: Fix, version: '1'}\nactions: [{target: $, remove: true}]\n";
        assert!(version(&format!("overlay: 1.0.0\n{actions}")).is_ok());
        assert!(version(&format!("overlay: 1.0.12\n{actions}")).is_ok());
        let message = overlay_message(version(&format!("overlay: 1.1.0\n{actions}")), "#/overlay");
        assert!(message.contains("Overlay version 1.1.0 is not supported"), "{message}");
        overlay_message(version(&format!("overlay: 1.0\n{actions}")), "#/overlay");
        overlay_message(version(&format!("overlay: 1\n{actions}")), "#/overlay");
        overlay_message(version(&format!("openapi: 3.1.0\n{actions}")), "#/overlay");
    }

    #[test]
    fn malformed_overlays_and_actions_are_refused_where_they_are_wrong() {
        let parse = |text: &str| Overlay::parse(Path::new("fix.yaml"), text).map(|_| ());
        overlay_message(
            parse("overlay: 1.0.0\nactions: [{target: $, remove: true}]\n"),
            "#/info",
        );
        overlay_message(
            parse("overlay: 1.0.0\ninfo: {title: Fix, version: '1'}\nactions: []\n"),
            "#/actions",
        );
        overlay_message(overlay("- {target: $.info}\n"), "#/actions/0");
        overlay_message(overlay("- {target: $.info, remove: false}\n"), "#/actions/0");
        overlay_message(overlay("- {update: {}}\n"), "#/actions/0");
        overlay_message(overlay("- {target: 3, remove: true}\n"), "#/actions/0/target");
        overlay_message(overlay("- {target: $.info, remove: 'yes'}\n"), "#/actions/0/remove");
        let message = overlay_message(overlay("- {target: $.info, copy: $.tags}\n"), "#/actions/0/copy");
        assert!(message.contains("Overlay 1.1"), "{message}");
        assert!(overlay("- {target: $.info, remove: true, x-note: kept}\n").is_ok());
    }

    #[test]
    fn an_update_of_another_kind_than_the_node_is_an_error() {
        let message = overlay_message(
            applied("- target: $.components.schemas.Pet\n  update: {required: {id: true}}\n"),
            "#/actions/0",
        );
        assert!(
            message.contains(
                "cannot be merged into pets.yaml: at #/components/schemas/Pet/required the document \
                 has an array and the update gives an object"
            ),
            "{message}"
        );
        let message = overlay_message(applied("- target: $.info\n  update: [1]\n"), "#/actions/0");
        assert!(
            message.contains("at #/info the document has an object and the update gives an array"),
            "{message}"
        );
        overlay_message(applied("- target: $.info.title\n  update: {a: 1}\n"), "#/actions/0");
        // A 3.1 type made nullable is an array where a string was: remove it first.
        let nullable = "- target: $.components.schemas.Pet.properties.name
  update: {type: [string, 'null']}
";
        let message = overlay_message(applied(nullable), "#/actions/0");
        assert!(
            message.contains("has a string and the update gives an array"),
            "{message}"
        );
        let value = applied(&format!(
            "- target: $.components.schemas.Pet.properties.name.type\n  remove: true\n{nullable}"
        ))
        .unwrap();
        assert_eq!(
            value["components"]["schemas"]["Pet"]["properties"]["name"],
            json!({"type": ["string", "null"]})
        );
    }

    #[test]
    fn the_whole_document_cannot_be_removed() {
        let message = overlay_message(applied("- target: $\n  remove: true\n"), "#/actions/0");
        assert!(message.contains("selects the whole document"), "{message}");
    }

    #[test]
    fn overlay_files_apply_in_the_order_given() {
        let folder = std::env::temp_dir().join(format!("apigen-overlay-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let first = folder.join("first.yaml");
        let second = folder.join("second.json");
        std::fs::write(
            &first,
            "overlay: 1.0.0\ninfo: {title: A, version: '1'}\nactions: [{target: $.info, update: {title: A}}]\n",
        )
        .unwrap();
        std::fs::write(
            &second,
            r#"{"overlay": "1.0.0", "info": {"title": "B", "version": "1"},
                "actions": [{"target": "$.info", "update": {"title": "B"}}]}"#,
        )
        .unwrap();
        let mut value = document();
        apply_files(&[first.clone(), second.clone()], Path::new("pets.yaml"), &mut value).unwrap();
        assert_eq!(value["info"]["title"], json!("B"));
        apply_files(&[second, first.clone()], Path::new("pets.yaml"), &mut value).unwrap();
        assert_eq!(value["info"]["title"], json!("A"));
        let missing = folder.join("missing.yaml");
        let error = apply_files(std::slice::from_ref(&missing), Path::new("pets.yaml"), &mut value).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with(&format!("{}: #: overlay: cannot read", missing.display())),
            "{error}"
        );
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
