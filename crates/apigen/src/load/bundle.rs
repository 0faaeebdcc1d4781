//! Bundles a document and every file it refers to into one document whose
//! references are all of the form `#/components/<section>/<name>`.
//!
//! The rest of the pipeline then sees a single document and looks up
//! references in one place. The rules:
//!
//! - A `$ref` is relative to the file that holds it, never to the entry file.
//!   Every file is read once (cached by canonical path); a network address is
//!   refused, because generation must not depend on what a server answers.
//! - At a position that has a `components` section (schemas, parameters,
//!   responses, ...; not examples and links), a target that is not already a component of the entry
//!   document is hoisted into that section under a name derived from the file
//!   and the pointer ([`naming::component_key`]), once per target, so files
//!   may refer to each other in cycles. An entry component that is only a
//!   reference to another file takes the target's content under its own name.
//! - A schema deep inside an entry component (`#/components/schemas/A/properties/b`)
//!   is moved into a component of its own and its old place refers to it, so
//!   both uses share one named type.
//! - Anywhere else (path items, operations, descriptions) the target is
//!   copied in place; a cycle there can never end and is an error naming its
//!   members.
//!
//! Deterministic: files are walked in document order, and names are claimed
//! in that order.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::walk::{self, Kind, Next, SCHEMA_KEYWORDS, SCHEMA_LIST_KEYWORDS, SCHEMA_MAP_KEYWORDS};
use crate::error::{Error, Location, Result, pointer_push};
use crate::naming;

/// How many references may be followed one inside another while bundling.
const MAX_CHAIN: usize = 256;

/// How many JSON values copying in place may create in all. Copies can
/// nest (a copied path item whose operations copy other files), so a few
/// kilobytes of references could otherwise expand exponentially; real
/// multi-file APIs stay far below (DigitalOcean's 659 operations copy about
/// 27,000 values).
const MAX_COPIED_VALUES: usize = 1_000_000;

/// A reference target: a file (canonical) and the decoded tokens of the pointer in it.
type Target = (PathBuf, Vec<String>);

/// Where bundled content came from, so that messages about it name the
/// file and the pointer a user can open rather than the bundled place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origins {
    /// (pointer in the bundled document, file as shown, pointer in that file).
    places: Vec<(String, PathBuf, String)>,
}

impl Origins {
    /// The file and pointer that `pointer` of the bundled document came
    /// from, when it lies in content taken from another place.
    pub fn locate(&self, pointer: &str) -> Option<(PathBuf, String)> {
        self.places
            .iter()
            .filter(|(bundled, _, _)| {
                pointer
                    .strip_prefix(bundled.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
            .max_by_key(|(bundled, _, _)| bundled.len())
            .map(|(bundled, file, origin)| (file.clone(), format!("{origin}{}", &pointer[bundled.len()..])))
    }
}

/// Bundles `document`, read from `path`, with every file it reaches.
pub(super) fn bundle(path: &Path, document: Value) -> Result<(Value, Origins)> {
    if !needs_bundling(&document) {
        return Ok((document, Origins::default()));
    }
    let entry = canonical_or_absolute(path);
    let mut bundler = Bundler {
        entry: entry.clone(),
        original: document.clone(),
        files: HashMap::new(),
        shown: HashMap::from([(entry.clone(), path.to_path_buf())]),
        hoisted: HashMap::new(),
        pending_slots: BTreeSet::new(),
        moved: HashMap::new(),
        added: IndexMap::new(),
        taken: BTreeMap::new(),
        inlining: Vec::new(),
        depth: 0,
        origins: Origins::default(),
        copied: 0,
    };
    let mut document = document;
    bundler.reserve_entry_names(&document);
    bundler.move_deep_schemas(&mut document)?;
    bundler.register_slots(&document);
    bundler.process(&mut document, Kind::Document, &entry, "#")?;
    bundler.append_components(&mut document);
    Ok((document, bundler.origins))
}

struct Bundler {
    /// The entry file's key.
    entry: PathBuf,
    /// The entry document as read, to copy targets from.
    original: Value,
    /// Every other file read so far, by canonical path.
    files: HashMap<PathBuf, Value>,
    /// How each file is named in messages: as reached from the entry file.
    shown: HashMap<PathBuf, PathBuf>,
    /// Targets already given a component, and the reference to it.
    hoisted: HashMap<Target, String>,
    /// Entry components (by pointer) that are a reference to another file
    /// and take the target's content when the walk reaches them.
    pending_slots: BTreeSet<String>,
    /// Pointers of entry schemas moved into components, and the reference to each.
    moved: HashMap<Vec<String>, String>,
    /// Components added while bundling, by section, in the order they were met.
    added: IndexMap<&'static str, IndexMap<String, Value>>,
    /// Names taken in each section (as type names, so no two collide after conversion).
    taken: BTreeMap<&'static str, BTreeSet<String>>,
    /// Targets being copied in place, outermost first, to detect a cycle.
    inlining: Vec<Target>,
    /// Current depth of nested references.
    depth: usize,
    /// Where hoisted and copied content came from.
    origins: Origins,
    /// JSON values created by copying in place so far; see [`MAX_COPIED_VALUES`].
    copied: usize,
}

impl Bundler {
    /// Notes that the content at `bundled` came from `target` (when
    /// `bundled` is a place of the entry document).
    fn note_origin(&mut self, bundled: String, target: &Target) {
        let file = self.location(&target.0, "").file;
        self.origins.places.push((bundled, file, fragment_pointer(&target.1)));
    }

    fn location(&self, file: &Path, pointer: &str) -> Location {
        Location {
            file: self.shown.get(file).cloned().unwrap_or_else(|| file.to_path_buf()),
            pointer: pointer.to_owned(),
        }
    }

    /// Walks `value` (of kind `kind`, found in `file` at `pointer`) and
    /// rewrites every reference in it.
    fn process(&mut self, value: &mut Value, kind: Kind, file: &Path, pointer: &str) -> Result<()> {
        if self.depth >= MAX_CHAIN {
            return Err(Error::Invalid {
                location: self.location(file, pointer),
                message: format!("references nest more than {MAX_CHAIN} levels deep here"),
                hint: "look for an accidental chain of $refs across files and shorten it".into(),
            });
        }
        self.depth += 1;
        let result = walk::walk(value, kind, pointer, &mut |node, kind, at| {
            self.visit(node, kind, file, at)
        });
        self.depth -= 1;
        result
    }

    fn visit(&mut self, node: &mut Value, kind: Kind, file: &Path, at: &str) -> Result<Next> {
        if kind == Kind::Document {
            return Ok(Next::Descend);
        }
        let Some(reference) = walk::reference_of(node).map(str::to_owned) else {
            if kind == Kind::Schema {
                self.rewrite_mapping(node, file, at)?;
            }
            return Ok(Next::Descend);
        };
        let target = self.target(&reference, file, at)?;
        let in_entry = target.0 == self.entry;
        // Depth 1 is the walk of the entry document itself, the only walk
        // whose pointers are places of the bundled document.
        let entry_walk = file == self.entry && self.depth == 1;
        if entry_walk && self.pending_slots.remove(at) {
            // An entry component that only names another file's value
            // becomes that value, keeping the component's name.
            let mut content = self.fetch(&target, file, at, &reference)?;
            self.process(&mut content, kind, &target.0, &fragment_pointer(&target.1))?;
            *node = content;
            self.note_origin(at.to_owned(), &target);
            return Ok(Next::Skip);
        }
        if in_entry {
            if let Some(moved) = self.moved.get(&target.1) {
                set_reference(node, moved.clone());
                return Ok(Next::Skip);
            }
            if is_component(kind, &target.1) {
                set_reference(node, fragment_pointer(&target.1));
                return Ok(Next::Skip);
            }
        }
        // Examples and links are copied: they name no type and cannot
        // refer back to themselves, and a copy stays where the user wrote it.
        match kind.section().filter(|_| !matches!(kind, Kind::Example | Kind::Link)) {
            Some(section) => {
                let internal = self.hoist(section, kind, &target, file, at, &reference)?;
                set_reference(node, internal);
            }
            _ => {
                self.inline(node, kind, &target, file, at, &reference)?;
                // Content copied into other copied content is located
                // through its outer copy.
                if entry_walk {
                    self.note_origin(at.to_owned(), &target);
                }
            }
        }
        Ok(Next::Skip)
    }

    /// Rewrites the references among a discriminator's mapping values like
    /// any schema reference, so they keep naming the same schemas as the
    /// `oneOf` branches. Bare schema names are left as they are.
    fn rewrite_mapping(&mut self, node: &mut Value, file: &Path, at: &str) -> Result<()> {
        let Some(Value::Object(mapping)) = node.pointer_mut("/discriminator/mapping") else {
            return Ok(());
        };
        let at = pointer_push(&pointer_push(at, "discriminator"), "mapping");
        for (tag, value) in mapping.iter_mut() {
            let Value::String(reference) = value else {
                continue;
            };
            let is_reference = reference.contains(['#', '/'])
                || reference.ends_with(".yaml")
                || reference.ends_with(".yml")
                || reference.ends_with(".json");
            if !is_reference {
                continue;
            }
            let at = pointer_push(&at, tag);
            let target = self.target(reference, file, &at)?;
            let rewritten = if let Some(moved) = self.moved.get(&target.1).filter(|_| target.0 == self.entry) {
                moved.clone()
            } else if target.0 == self.entry && is_component(Kind::Schema, &target.1) {
                fragment_pointer(&target.1)
            } else {
                let reference = reference.clone();
                self.hoist("schemas", Kind::Schema, &target, file, &at, &reference)?
            };
            *value = Value::String(rewritten);
        }
        Ok(())
    }

    /// Gives `target` a component in `section` (once) and returns the reference to it.
    fn hoist(
        &mut self,
        section: &'static str,
        kind: Kind,
        target: &Target,
        file: &Path,
        at: &str,
        reference: &str,
    ) -> Result<String> {
        if let Some(found) = self.hoisted.get(target) {
            return Ok(found.clone());
        }
        let mut content = self.fetch(target, file, at, reference)?;
        let name = self.claim(section, target);
        let internal = pointer_push(&format!("#/components/{section}"), &name);
        self.hoisted.insert(target.clone(), internal.clone());
        self.process(&mut content, kind, &target.0, &fragment_pointer(&target.1))?;
        self.added.entry(section).or_default().insert(name, content);
        self.note_origin(internal.clone(), target);
        Ok(internal)
    }

    /// Replaces `node` by a processed copy of `target`, keeping the node's
    /// other keys (a 3.1 path item reference may carry a summary).
    fn inline(
        &mut self,
        node: &mut Value,
        kind: Kind,
        target: &Target,
        file: &Path,
        at: &str,
        reference: &str,
    ) -> Result<()> {
        if let Some(start) = self.inlining.iter().position(|open| open == target) {
            let cycle: Vec<String> = self.inlining[start..]
                .iter()
                .chain(std::iter::once(target))
                .map(|(file, tokens)| format!("{}{}", self.location(file, "").file.display(), fragment_pointer(tokens)))
                .collect();
            return Err(Error::Invalid {
                location: self.location(file, at),
                message: format!(
                    "$ref `{reference}` closes a cycle of references that can never be expanded ({})",
                    cycle.join(" -> ")
                ),
                hint: "only schemas and other components may refer back to themselves; break the cycle".into(),
            });
        }
        let mut content = self.fetch(target, file, at, reference)?;
        self.copied = self.copied.saturating_add(count_values(&content));
        if self.copied > MAX_COPIED_VALUES {
            return Err(Error::Invalid {
                location: self.location(file, at),
                message: format!(
                    "copying referenced path items and operations in place passes {MAX_COPIED_VALUES} values here"
                ),
                hint: "references that copy content into copies grow exponentially; move shared parts into components"
                    .into(),
            });
        }
        self.inlining.push(target.clone());
        let processed = self.process(&mut content, kind, &target.0, &fragment_pointer(&target.1));
        self.inlining.pop();
        processed?;
        if let (Value::Object(siblings), Value::Object(object)) = (&*node, &mut content) {
            for (key, value) in siblings.iter().filter(|(key, _)| *key != "$ref") {
                object.insert(key.clone(), value.clone());
            }
        }
        *node = content;
        Ok(())
    }

    /// Where `reference`, found in `file` at `at`, points.
    fn target(&mut self, reference: &str, file: &Path, at: &str) -> Result<Target> {
        let (address, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let refuse = |message: String, hint: &str| Error::Invalid {
            location: self.location(file, at),
            message,
            hint: hint.into(),
        };
        if address.contains("://") || address.starts_with("//") {
            return Err(refuse(
                format!("$ref `{reference}` points to a network address, and apigen never fetches one"),
                "download the file next to the spec and refer to it by a relative path",
            ));
        }
        let fragment = percent_decode(fragment);
        let tokens = match fragment.as_str() {
            "" => Vec::new(),
            pointer if pointer.starts_with('/') => pointer[1..]
                .split('/')
                .map(|token| token.replace("~1", "/").replace("~0", "~"))
                .collect(),
            _ => {
                return Err(refuse(
                    format!("$ref `{reference}` has a fragment that is not a JSON pointer"),
                    "write the part after `#` as a JSON pointer such as `#/components/schemas/Pet`",
                ));
            }
        };
        if address.is_empty() {
            return Ok((file.to_path_buf(), tokens));
        }
        let relative = percent_decode(address);
        let shown_base = self.location(file, "").file;
        let shown = lexical(&shown_base.parent().unwrap_or(Path::new("")).join(&relative));
        let joined = file.parent().unwrap_or(Path::new("")).join(&relative);
        // When the entry text came from memory, its neighbours are still
        // read from disk next to the name it was given.
        let canonical = match std::fs::canonicalize(&joined) {
            Ok(found) => found,
            Err(_) if lexical(&joined) == self.entry => self.entry.clone(),
            Err(source) => {
                return Err(refuse(
                    format!(
                        "$ref `{reference}` names the file {} that cannot be read: {source}",
                        shown.display()
                    ),
                    "check the path, which is relative to the file that holds the $ref",
                ));
            }
        };
        self.shown.entry(canonical.clone()).or_insert(shown);
        Ok((canonical, tokens))
    }

    /// A copy of the value `target` names.
    fn fetch(&mut self, target: &Target, file: &Path, at: &str, reference: &str) -> Result<Value> {
        let document = if target.0 == self.entry {
            &self.original
        } else {
            self.read(&target.0, file, at)?
        };
        let found = target.1.iter().try_fold(document, |node, token| match node {
            Value::Object(map) => map.get(token),
            Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        });
        found.cloned().ok_or_else(|| Error::DanglingRef {
            location: self.location(file, at),
            reference: reference.to_owned(),
        })
    }

    /// Reads and decodes another file, once.
    fn read(&mut self, canonical: &Path, file: &Path, at: &str) -> Result<&Value> {
        if !self.files.contains_key(canonical) {
            let shown = self.location(canonical, "").file;
            let text = std::fs::read_to_string(canonical).map_err(|source| Error::Invalid {
                location: self.location(file, at),
                message: format!("the file {} named here cannot be read: {source}", shown.display()),
                hint: "check the path, which is relative to the file that holds the $ref".into(),
            })?;
            let value = super::parse_value(&shown, &text)?;
            super::check_depth(&shown, &value)?;
            self.files.insert(canonical.to_path_buf(), value);
        }
        self.files.get(canonical).ok_or_else(|| Error::Invalid {
            location: self.location(file, at),
            message: "a file read a moment ago is missing from the cache".into(),
            hint: "this is a generator bug; please report it with the spec".into(),
        })
    }

    /// A free component name in `section` for `target`.
    fn claim(&mut self, section: &'static str, target: &Target) -> String {
        let stem = target.0.file_stem().map(|stem| stem.to_string_lossy().into_owned());
        let base = naming::component_key(section, stem.as_deref(), &target.1);
        let taken = self.taken.entry(section).or_default();
        let name = std::iter::once(base.clone())
            .chain((2u32..).map(|n| format!("{base}{n}")))
            .find(|candidate| !taken.contains(&naming::type_name(candidate)))
            .unwrap_or(base);
        taken.insert(naming::type_name(&name));
        name
    }

    fn reserve_entry_names(&mut self, document: &Value) {
        let Some(Value::Object(components)) = document.get("components") else {
            return;
        };
        for (section, entries) in components {
            let Some(section) = Kind::of_section(section).and_then(Kind::section) else {
                continue;
            };
            if let Value::Object(entries) = entries {
                let taken = self.taken.entry(section).or_default();
                taken.extend(entries.keys().map(|key| naming::type_name(key)));
            }
        }
    }

    /// Moves every entry schema that a reference points at deep inside a
    /// component schema into a component of its own, deepest first so a
    /// move never invalidates a pointer still to be moved.
    fn move_deep_schemas(&mut self, document: &mut Value) -> Result<()> {
        let mut deep: BTreeSet<(std::cmp::Reverse<usize>, Vec<String>)> = BTreeSet::new();
        let entry = self.entry.clone();
        let mut scan = document.clone();
        walk::walk(&mut scan, Kind::Document, "#", &mut |node, kind, at| {
            if kind == Kind::Schema {
                if let Some(reference) = walk::reference_of(node) {
                    if let Ok((file, tokens)) = self.target(reference, &entry, at) {
                        if file == entry && is_deep_schema(&tokens) {
                            deep.insert((std::cmp::Reverse(tokens.len()), tokens));
                        }
                    }
                }
            }
            Ok::<_, Error>(Next::Descend)
        })?;
        for (_, tokens) in deep {
            let Some(place) = walk::get_mut(document, &tokens) else {
                continue;
            };
            let name = self.claim("schemas", &(entry.clone(), tokens.clone()));
            let internal = pointer_push("#/components/schemas", &name);
            let mut reference = Map::new();
            reference.insert("$ref".into(), Value::String(internal.clone()));
            let content = std::mem::replace(place, Value::Object(reference));
            if let Some(Value::Object(schemas)) = document.pointer_mut("/components/schemas") {
                schemas.insert(name, content);
            }
            self.note_origin(internal.clone(), &(entry.clone(), tokens.clone()));
            self.moved.insert(tokens, internal);
        }
        Ok(())
    }

    /// Notes the entry components that only refer to another file.
    fn register_slots(&mut self, document: &Value) {
        let Some(Value::Object(components)) = document.get("components") else {
            return;
        };
        let entry = self.entry.clone();
        for (section, entries) in components {
            let Some(Value::Object(entries)) = Some(entries) else {
                continue;
            };
            if Kind::of_section(section).and_then(Kind::section).is_none() {
                continue;
            }
            for (name, value) in entries {
                let at = pointer_push(&pointer_push("#/components", section), name);
                let Some(reference) = walk::reference_of(value) else {
                    continue;
                };
                let Ok(target) = self.target(reference, &entry, &at) else {
                    continue;
                };
                if target.0 != entry && !self.hoisted.contains_key(&target) {
                    self.hoisted.insert(target, at.clone());
                    self.pending_slots.insert(at);
                }
            }
        }
    }

    fn append_components(&mut self, document: &mut Value) {
        if self.added.is_empty() {
            return;
        }
        let Some(root) = document.as_object_mut() else {
            return;
        };
        let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
        if !components.is_object() {
            *components = Value::Object(Map::new());
        }
        let Some(components) = components.as_object_mut() else {
            return;
        };
        for (section, entries) in std::mem::take(&mut self.added) {
            let place = components.entry(section).or_insert_with(|| Value::Object(Map::new()));
            if let Some(place) = place.as_object_mut() {
                place.extend(entries);
            }
        }
    }
}

/// Whether any `$ref` of `document` is something other than a plain
/// `#/components/<section>/<name>`: most single-file documents, and every
/// bundled one, have none, and skip the copying that bundling needs.
/// Iterative, like the depth check.
fn needs_bundling(document: &Value) -> bool {
    let mut stack = vec![document];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    // A path item cannot stay a reference: it is copied.
                    let plain = reference.strip_prefix("#/components/").is_some_and(|rest| {
                        rest.split_once('/').is_some_and(|(section, name)| {
                            section != "pathItems" && Kind::of_section(section).is_some() && !name.contains('/')
                        })
                    });
                    if !plain {
                        return true;
                    }
                }
                // Extensions are data, which bundling leaves alone.
                stack.extend(
                    map.iter()
                        .filter(|(key, _)| !key.starts_with("x-"))
                        .map(|(_, value)| value),
                );
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    false
}

/// How many JSON values `value` holds, itself included. Iterative.
fn count_values(value: &Value) -> usize {
    let mut count = 0;
    let mut stack = vec![value];
    while let Some(node) = stack.pop() {
        count += 1;
        match node {
            Value::Object(map) => stack.extend(map.values()),
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    count
}

/// Replaces the `$ref` of a reference object, keeping its other keys.
fn set_reference(node: &mut Value, reference: String) {
    if let Some(object) = node.as_object_mut() {
        object.insert("$ref".into(), Value::String(reference));
    }
}

/// Whether `tokens` name a component of the section for `kind`.
fn is_component(kind: Kind, tokens: &[String]) -> bool {
    matches!(tokens, [components, section, _] if components == "components" && Some(section.as_str()) == kind.section())
}

/// Whether `tokens` name a schema nested inside a component schema
/// through schema keywords only, so that moving it keeps the document valid.
fn is_deep_schema(tokens: &[String]) -> bool {
    let [components, schemas, _, rest @ ..] = tokens else {
        return false;
    };
    if components != "components" || schemas != "schemas" || rest.is_empty() {
        return false;
    }
    let mut rest = rest;
    while let [keyword, tail @ ..] = rest {
        let keyword = keyword.as_str();
        rest = if SCHEMA_KEYWORDS.contains(&keyword) {
            tail
        } else if SCHEMA_MAP_KEYWORDS.contains(&keyword) || SCHEMA_LIST_KEYWORDS.contains(&keyword) {
            match tail {
                [_, tail @ ..] => tail,
                [] => return false,
            }
        } else {
            return false;
        };
    }
    true
}

/// The JSON pointer (with `#`) of decoded tokens.
fn fragment_pointer(tokens: &[String]) -> String {
    tokens
        .iter()
        .fold(String::from("#"), |at, token| pointer_push(&at, token))
}

/// Decodes `%XX` escapes, which a URI fragment or path may hold.
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (byte, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                index += 3;
            }
            _ => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Removes `.` and `..` components without touching the file system.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The entry file's key: its canonical path, or for a name that does not
/// exist on disk (a document given as text), the absolute name.
fn canonical_or_absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| {
        let absolute = std::env::current_dir()
            .map(|dir| dir.join(path))
            .unwrap_or_else(|_| path.to_path_buf());
        lexical(&absolute)
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{bundle, is_deep_schema, lexical, percent_decode};

    #[test]
    fn deep_schemas_move_and_every_reference_follows_them() {
        let document = json!({
            "paths": {},
            "components": {"schemas": {
                "Zoo": {"type": "object", "properties": {
                    "cat": {"type": "object", "properties": {"kind": {"type": "string"}}},
                    "pet": {
                        "oneOf": [{"$ref": "#/components/schemas/Zoo/properties/cat"}],
                        "discriminator": {"propertyName": "kind", "mapping": {
                            "cat": "#/components/schemas/Zoo/properties/cat",
                            "bare": "Zoo"
                        }}
                    }
                }}
            }}
        });
        let (bundled, origins) = bundle(std::path::Path::new("in-memory.yaml"), document).unwrap_or_default();
        assert_eq!(
            origins.locate("#/components/schemas/ZooCat/properties/kind"),
            Some((
                "in-memory.yaml".into(),
                "#/components/schemas/Zoo/properties/cat/properties/kind".into()
            ))
        );
        assert_eq!(origins.locate("#/components/schemas/ZooCatX"), None);
        let schemas = &bundled["components"]["schemas"];
        assert_eq!(
            schemas["Zoo"]["properties"]["cat"],
            json!({"$ref": "#/components/schemas/ZooCat"})
        );
        assert_eq!(schemas["ZooCat"]["properties"]["kind"], json!({"type": "string"}));
        let pet = &schemas["Zoo"]["properties"]["pet"];
        assert_eq!(pet["oneOf"][0], json!({"$ref": "#/components/schemas/ZooCat"}));
        assert_eq!(
            pet["discriminator"]["mapping"],
            json!({"cat": "#/components/schemas/ZooCat", "bare": "Zoo"})
        );
    }

    fn tokens(pointer: &str) -> Vec<String> {
        pointer.split('/').map(str::to_owned).collect()
    }

    #[test]
    fn only_plain_component_references_skip_bundling() {
        let plain = json!({"a": [{"$ref": "#/components/schemas/A~1b"}, {"$ref": "#/components/responses/R"}]});
        assert!(!super::needs_bundling(&plain));
        for reference in [
            "#/components/pathItems/P",
            "#/components/schemas/A/properties/b",
            "other.yaml",
            "#/paths/~1a",
        ] {
            assert!(super::needs_bundling(&json!({"x": {"$ref": reference}})), "{reference}");
        }
    }

    #[test]
    fn deep_schema_pointers_follow_schema_keywords_only() {
        assert!(is_deep_schema(&tokens("components/schemas/A/properties/b")));
        assert!(is_deep_schema(&tokens(
            "components/schemas/A/properties/b/items/allOf/0"
        )));
        assert!(!is_deep_schema(&tokens("components/schemas/A")));
        assert!(!is_deep_schema(&tokens("components/schemas/A/properties")));
        assert!(!is_deep_schema(&tokens("components/schemas/A/example/b")));
        assert!(!is_deep_schema(&tokens("components/parameters/A/schema")));
    }

    #[test]
    fn escapes_and_dot_segments() {
        assert_eq!(percent_decode("/a%20b/%7Bid%7D/%zz"), "/a b/{id}/%zz");
        assert_eq!(
            lexical(std::path::Path::new("a/b/../c/./d.yaml")),
            std::path::Path::new("a/c/d.yaml")
        );
        assert_eq!(
            lexical(std::path::Path::new("../x.yaml")),
            std::path::Path::new("../x.yaml")
        );
    }
}
