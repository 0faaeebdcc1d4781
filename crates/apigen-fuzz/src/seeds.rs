//! The inputs each target starts from. Mutations of real documents and real
//! answers reach far more of the code than random bytes, so the generator
//! starts from the seed spec, the fixtures and slices of the corpus's public
//! API descriptions, and the other targets from hand-written inputs of each
//! shape they read.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::Target;

/// Slices taken from each corpus document, spread over its paths.
const SLICES_PER_DOCUMENT: usize = 12;

/// A slice larger than this is left out: the fuzzer runs each input many
/// times, and small inputs run fast.
const MAX_SEED_BYTES: usize = 16 * 1024;

/// Where the seeds come from.
#[derive(Debug, Clone)]
pub struct Sources {
    /// The workspace root, holding `spec/` and `crates/apigen/tests/fixtures/`.
    pub workspace: PathBuf,
    /// The corpus folder (`../shared/specs/corpus`), when it is there.
    pub corpus: Option<PathBuf>,
}

/// Writes the seeds of `target` into `out`, one file each, and returns how
/// many it wrote.
pub fn write(target: Target, sources: &Sources, out: &Path) -> io::Result<usize> {
    std::fs::create_dir_all(out)?;
    let seeds = match target {
        Target::Generator => generator(sources)?,
        Target::Response => response(),
        Target::Patch => patch(),
        Target::Overlay => overlay(sources)?,
        Target::Params => params(),
        Target::Refs => refs(sources)?,
    };
    for (name, bytes) in &seeds {
        std::fs::write(out.join(name), bytes)?;
    }
    Ok(seeds.len())
}

type Seed = (String, Vec<u8>);

fn generator(sources: &Sources) -> io::Result<Vec<Seed>> {
    let mut seeds = vec![read(&sources.workspace.join("spec/launchdarkly.yaml"))?];
    seeds.extend(files_in(&sources.workspace.join("crates/apigen/tests/fixtures"))?);
    if let Some(corpus) = &sources.corpus {
        for path in spec_files_in(corpus)? {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let Ok(document) = apigen::load::parse_value(&path, &text) else {
                continue;
            };
            let stem = path
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_default();
            let as_json = path.extension().is_some_and(|ext| ext == "json");
            for (index, slice) in slices(&document).into_iter().enumerate() {
                let text = if as_json {
                    serde_json::to_string_pretty(&slice).ok()
                } else {
                    serde_yaml_ng::to_string(&slice).ok()
                };
                if let Some(text) = text.filter(|text| text.len() <= MAX_SEED_BYTES) {
                    let extension = if as_json { "json" } else { "yaml" };
                    seeds.push((format!("{stem}-{index:02}.{extension}"), text.into_bytes()));
                }
            }
        }
    }
    Ok(seeds)
}

fn read(path: &Path) -> io::Result<Seed> {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((name, std::fs::read(path)?))
}

/// The spec files directly in `folder`, sorted.
fn files_in(folder: &Path) -> io::Result<Vec<Seed>> {
    spec_files_in(folder)?.iter().map(|path| read(path)).collect()
}

fn spec_files_in(folder: &Path) -> io::Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        let is_spec = path
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml" || ext == "json");
        if path.is_file() && is_spec {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

/// Documents of one path item each, with the components that path refers
/// to (transitively) and the document's servers and security.
pub fn slices(document: &Value) -> Vec<Value> {
    let Some(paths) = document.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let step = paths.len().div_ceil(SLICES_PER_DOCUMENT).max(1);
    paths
        .iter()
        .step_by(step)
        .map(|(path, item)| {
            let mut slice = Map::new();
            for key in ["openapi", "swagger", "info", "servers", "security"] {
                if let Some(value) = document.get(key) {
                    slice.insert(key.into(), value.clone());
                }
            }
            slice.insert("paths".into(), json!({ path: item }));
            let mut components = Map::new();
            if let Some(schemes) = document.pointer("/components/securitySchemes") {
                components.insert("securitySchemes".into(), schemes.clone());
            }
            for (kind, name) in referenced_components(document, item) {
                if let Some(value) = document
                    .get("components")
                    .and_then(|c| c.get(&kind))
                    .and_then(|c| c.get(&name))
                {
                    let group = components.entry(kind).or_insert_with(|| json!({}));
                    if let Some(group) = group.as_object_mut() {
                        group.insert(name, value.clone());
                    }
                }
            }
            slice.insert("components".into(), Value::Object(components));
            Value::Object(slice)
        })
        .collect()
}

/// The `(kind, name)` of every component `start` refers to, directly or
/// through other components.
fn referenced_components(document: &Value, start: &Value) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    let mut pending = vec![start.clone()];
    // Each component is queued once, so this ends after at most as many
    // rounds as the document has components.
    while let Some(value) = pending.pop() {
        let mut refs = Vec::new();
        collect_refs(&value, &mut refs);
        for reference in refs {
            let Some(rest) = reference.strip_prefix("#/components/") else {
                continue;
            };
            let Some((kind, name)) = rest.split_once('/') else {
                continue;
            };
            let name = name
                .split('/')
                .next()
                .unwrap_or(name)
                .replace("~1", "/")
                .replace("~0", "~");
            if found.insert((kind.to_owned(), name.clone())) {
                if let Some(target) = document
                    .get("components")
                    .and_then(|c| c.get(kind))
                    .and_then(|c| c.get(&name))
                {
                    pending.push(target.clone());
                }
            }
        }
    }
    found
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (key, item) in members {
                match (key.as_str(), item) {
                    ("$ref", Value::String(target)) => out.push(target.clone()),
                    _ => collect_refs(item, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, out)),
        _ => {}
    }
}

/// The first byte picks the status (see `response::run`): 0 is 200, 1 is
/// 400, 7 is 429, 8 is 500, 11 is 302.
fn response() -> Vec<Seed> {
    let json = "content-type: application/json";
    let token = r#"{"_id":"61f1","ownerId":"o1","memberId":"m1","creationDate":1,"lastModified":2,"_links":{"self":{"href":"/api/v2/tokens/61f1","type":"application/json"}},"name":"ci","role":"reader","customRoleIds":["a",null],"inlineRole":[{"effect":"allow","actions":["*"],"resources":["proj/*"]}],"serviceToken":false,"defaultApiVersion":20240415,"token":"1234"}"#;
    let shapes: [(&str, u8, String, &str); 9] = [
        ("token", 0, json.into(), token),
        (
            "token-nulls",
            0,
            json.into(),
            r#"{"_id":"1","ownerId":null,"memberId":"m","creationDate":1,"lastModified":2,"_links":{},"customRoleIds":[null,null],"inlineRole":null}"#,
        ),
        ("token-missing", 0, json.into(), r#"{"_id":"1","creationDate":1}"#),
        ("token-text", 0, "content-type: text/plain".into(), "not json"),
        (
            "bad-request",
            1,
            json.into(),
            r#"{"code":"invalid_request","message":"bad"}"#,
        ),
        (
            "rate-limited",
            7,
            format!("{json}\nretry-after: 3\nx-ratelimit-route-remaining: 0\nx-ratelimit-reset: 1700000000000"),
            r#"{"code":"rate_limited","message":"slow down"}"#,
        ),
        ("server-error", 8, "content-type: text/html".into(), "<html>oops</html>"),
        ("redirect", 11, "location: https://example.com/".into(), ""),
        (
            "unprocessable",
            6,
            format!("{json}; charset=utf-8"),
            r#"{"code":"patch_failed","message":"no"}"#,
        ),
    ];
    shapes
        .into_iter()
        .map(|(name, status, headers, body)| {
            let mut bytes = vec![status];
            bytes.extend_from_slice(headers.as_bytes());
            bytes.extend_from_slice(b"\n\n");
            bytes.extend_from_slice(body.as_bytes());
            (format!("{name}.bin"), bytes)
        })
        .collect()
}

fn patch() -> Vec<Seed> {
    let cases = [
        (
            "replace",
            r#"{"name":"a","role":"reader","ids":["x","y"]}"#,
            r#"[{"op":"replace","path":"/role","value":"writer"},{"op":"add","path":"/ids/-","value":"z"}]"#,
        ),
        (
            "move-copy",
            r#"{"a":{"b":1},"c":[1,2,3]}"#,
            r#"[{"op":"copy","from":"/a","path":"/d"},{"op":"move","from":"/c/0","path":"/c/2"},{"op":"remove","path":"/a/b"}]"#,
        ),
        (
            "test",
            r#"{"a~b":{"c/d":[true]}}"#,
            r#"[{"op":"test","path":"/a~0b/c~1d/0","value":true},{"op":"remove","path":"/a~0b"}]"#,
        ),
        ("root", "[1,2]", r#"[{"op":"replace","path":"","value":{"new":null}}]"#),
        (
            "invalid",
            "{}",
            r#"[{"op":"add","path":"no-slash","value":1},{"op":"jump","path":"/x"}]"#,
        ),
    ];
    cases
        .into_iter()
        .map(|(name, document, patch)| {
            (
                format!("{name}.bin"),
                [document.as_bytes(), b"\0", patch.as_bytes()].concat(),
            )
        })
        .collect()
}

/// The multi-file fixture as one input, and small documents that refer to
/// other files in the ways the loader must follow: a whole file, a pointer
/// into one, a file that refers back, and a file that is missing.
fn refs(sources: &Sources) -> io::Result<Vec<Seed>> {
    let folder = sources.workspace.join("crates/apigen/tests/fixtures/multi_file");
    let mut names = Vec::new();
    collect_files(&folder, &folder, &mut names)?;
    // The entry first, then the others in order.
    names.sort_by_key(|name| (name != "openapi.yaml", name.clone()));
    let mut fixture = Vec::new();
    for name in &names {
        if !fixture.is_empty() {
            fixture.push(0);
        }
        fixture.extend_from_slice(format!("{name}\n").as_bytes());
        fixture.extend_from_slice(&std::fs::read(folder.join(name))?);
    }
    let head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n";
    let small = [
        (
            "whole-file",
            "$ref: a.yaml",
            "a.yaml\ntype: object\nproperties:\n  id: {type: string}\n",
        ),
        (
            "pointer",
            "$ref: 'defs/b.yaml#/components/schemas/B'",
            "defs/b.yaml\ncomponents:\n  schemas:\n    B: {type: array, items: {$ref: '#/components/schemas/C'}}\n    C: {type: integer}\n",
        ),
        (
            "back-and-forth",
            "$ref: c.yaml",
            "c.yaml\ntype: object\nproperties:\n  next: {$ref: 'openapi.yaml#/paths/~1a/get/responses/200/content/application~1json/schema'}\n",
        ),
        ("missing", "$ref: nowhere.yaml", "other.yaml\ntype: string\n"),
    ];
    let mut seeds = vec![("multi-file.bin".to_owned(), fixture)];
    for (name, reference, other) in small {
        let entry = format!("openapi.yaml\n{head}                {reference}\n");
        seeds.push((
            format!("{name}.bin"),
            [entry.as_bytes(), b"\0", other.as_bytes()].concat(),
        ));
    }
    Ok(seeds)
}

/// The files below `folder`, as names relative to `root` with `/`.
fn collect_files(root: &Path, folder: &Path, out: &mut Vec<String>) -> io::Result<()> {
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(root, &path, out)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            out.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

/// The first byte picks the style (its index modulo 7: simple, label,
/// matrix, form, spaceDelimited, pipeDelimited, deepObject), bit 7 sets
/// `explode` and bit 6 sends the value as JSON text.
fn params() -> Vec<Seed> {
    let cases: [(&str, u8, &str); 6] = [
        (
            "form-exploded",
            0x83,
            r#"{"name":"a b&c=d","tags":["x","y"],"n":1,"ok":true,"none":null}"#,
        ),
        ("simple-array", 0x00, r#"["blue","black","../x"]"#),
        ("label-object", 0x81, r#"{"R":100,"G":"2/0","B":null}"#),
        ("matrix-text", 0x02, r#""a;b=c?d#e""#),
        ("deep-object", 0x86, r#"{"filter":{"name":"x","tags":["a"]}}"#),
        ("json-text", 0x43, r#"{"q":{"nested":[1,2]}}"#),
    ];
    cases
        .into_iter()
        .map(|(name, selector, value)| (format!("{name}.bin"), [&[selector][..], value.as_bytes()].concat()))
        .collect()
}

fn overlay(sources: &Sources) -> io::Result<Vec<Seed>> {
    let mut seeds = vec![read(&sources.workspace.join("spec/overlays/full-api-examples.yaml"))?];
    let head = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n";
    let actions = [
        (
            "update",
            "  - target: $.components.schemas.Token.properties.name\n    update: {nullable: true}\n",
        ),
        (
            "remove-required",
            "  - target: $.components.schemas.Token.required[?@ == '_id']\n    remove: true\n",
        ),
        (
            "remove-operation",
            "  - target: $.paths['/api/v2/tokens/{id}'].patch\n    remove: true\n",
        ),
        (
            "descendants",
            "  - target: $..properties[?@.type == 'string']\n    update: {description: text}\n",
        ),
        (
            "slice",
            "  - target: $.components.schemas.Token.required[0:2]\n    remove: true\n  - target: $.info\n    update: {x-a: [1]}\n",
        ),
        (
            "nothing",
            "  - target: $.nowhere\n    description: matches nothing\n    remove: true\n",
        ),
    ];
    seeds.extend(
        actions
            .into_iter()
            .map(|(name, action)| (format!("{name}.yaml"), format!("{head}{action}").into_bytes())),
    );
    let small = r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":"ok"}}}}}}"#;
    let with_document = format!("{head}  - target: $.paths.*.get\n    update: {{operationId: getA}}\n\0{small}");
    seeds.push(("with-document.bin".into(), with_document.into_bytes()));
    Ok(seeds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slice_holds_one_path_and_exactly_the_components_it_reaches() {
        let document = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/A"}}}},
                "/b": {"get": {"responses": {"200": {"description": "b"}}}}
            },
            "components": {
                "responses": {"A": {"description": "a", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A~1B"}}}}},
                "schemas": {
                    "A/B": {"properties": {"c": {"$ref": "#/components/schemas/C"}}},
                    "C": {"properties": {"a": {"$ref": "#/components/schemas/A~1B"}}},
                    "Unused": {"type": "string"}
                }
            }
        });
        let slices = slices(&document);
        assert_eq!(slices.len(), 2);
        assert_eq!(
            slices[0]["paths"].as_object().unwrap().keys().collect::<Vec<_>>(),
            ["/a"]
        );
        let schemas: Vec<_> = slices[0]["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(schemas, ["A/B", "C"]);
        assert_eq!(slices[0]["components"]["responses"]["A"]["description"], "a");
        assert_eq!(slices[1]["components"], json!({}));
        assert_eq!(slices[1]["info"]["title"], "t");
    }
}
