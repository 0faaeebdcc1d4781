//! Reading a spec file into a typed `openapiv3` document.
//!
//! The pipeline is: bytes → `serde_json::Value` (from YAML or JSON) → the
//! user's overlays, applied to the entry document only ([`overlay`]) → version
//! check → bundling of every file the document refers to, and of references
//! to any pointer, into one document ([`bundle`]) → OpenAPI 3.1 normalisation
//! ([`normalize`]) → integer bounds the typed parser can hold ([`bounds`]) →
//! typed parse. Working on a plain JSON value first lets every error carry a
//! JSON pointer.

mod bounds;
mod bundle;
mod encoding;
mod mock_ready;
mod nested;
mod normalize;
mod overlay;
mod walk;
mod wide;

use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};

pub use bundle::Origins;
pub use encoding::EXPLODE_EXTENSION;
pub use mock_ready::{drop_data_with_file_references, drop_parts_an_enum_narrows};
pub use normalize::normalize;
pub use overlay::{Overlay, apply_files as apply_overlays};

/// A parsed document together with the file it came from.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The file as the user named it; error messages and the generated header use it.
    pub path: PathBuf,
    /// The typed document after normalisation.
    pub document: openapiv3::OpenAPI,
    /// The major.minor version the file declared, such as `3.1`.
    pub declared_version: String,
    /// What loading changed in a way the generated client does not honour
    /// exactly; the lowering adds these to the IR's list.
    pub inexact: Vec<crate::ir::Inexact>,
    /// Where content taken from other files (or other places) came from.
    pub origins: Origins,
}

/// Reads and parses the spec at `path`.
pub fn load_file(path: &Path) -> Result<LoadedSpec> {
    load_str(path, &read(path)?)
}

/// The text of the spec file at `path`.
fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Parses `text` as the spec named `path` (the name is used in messages and to
/// choose JSON for a `.json` file; anything else is read as YAML, which also
/// accepts JSON).
pub fn load_str(path: &Path, text: &str) -> Result<LoadedSpec> {
    let value = parse_value(path, text)?;
    load_value(path, value)
}

/// The document at `path` in one piece, as a mock server should read it:
/// bundled with every file it refers to, without data that refers to other
/// files ([`drop_data_with_file_references`]), and with the
/// schemas Prism would mis-generate rewritten into equivalent ones
/// ([`drop_parts_an_enum_narrows`]). The `overlays` apply to the entry
/// document first, in order, as they do for generation, so the mock server
/// serves the corrected document. Returns the document and the pointers of
/// the rewritten schemas.
pub fn document_for_mock_server(path: &Path, overlays: &[PathBuf]) -> Result<(serde_json::Value, Vec<String>)> {
    let mut entry = parse_value(path, &read(path)?)?;
    apply_overlays(overlays, path, &mut entry)?;
    let (mut document, _) = bundle(path, entry)?;
    drop_data_with_file_references(&mut document);
    let rewritten = drop_parts_an_enum_narrows(&mut document);
    Ok((document, rewritten))
}

/// Decodes YAML or JSON text into a JSON value.
pub fn parse_value(path: &Path, text: &str) -> Result<serde_json::Value> {
    let is_json = path.extension().is_some_and(|ext| ext == "json");
    if is_json {
        serde_json::from_str(text).map_err(|err| Error::Syntax {
            path: path.to_path_buf(),
            format: "JSON",
            message: err.to_string(),
        })
    } else {
        serde_yaml_ng::from_str(text)
            .map(|wide::WideValue(value)| value)
            .map_err(|err| Error::Syntax {
                path: path.to_path_buf(),
                format: "YAML",
                message: err.to_string(),
            })
    }
}

/// How deeply a document may nest (mappings and sequences, counting the
/// root as 1). The YAML and JSON parsers stop at about the same depth; the
/// check also covers values built in code. The full LaunchDarkly API
/// reaches 20.
pub const MAX_DEPTH: usize = 128;

/// Checks the version, bundles, normalises and parses an already decoded document.
pub fn load_value(path: &Path, value: serde_json::Value) -> Result<LoadedSpec> {
    let (mut value, origins, declared_version) = bundle_checked(path, value)?;
    if declared_version == "3.1" {
        normalize(&mut value);
    }
    let inexact = bounds::fit_integer_bounds(&mut value);
    encoding::mark_stated_explode(&mut value);
    // `openapiv3`'s untagged enums recurse deeply for nested schemas, and
    // take exponential time on an invalid one unless it is found first.
    let parsed = crate::stack::on_deep_stack(|| {
        nested::check_nested_schemas(&value).map_err(|invalid| (invalid.pointer, invalid.message))?;
        serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&value)
            .map_err(|err| (json_pointer_of(err.path()), err.into_inner().to_string()))
    });
    let document = parsed.map_err(|(pointer, message)| {
        let mut error = Error::Shape {
            location: Location {
                file: path.to_path_buf(),
                pointer,
            },
            message,
        };
        error.relocate(&origins);
        error
    })?;
    Ok(LoadedSpec {
        path: path.to_path_buf(),
        document,
        declared_version,
        inexact,
        origins,
    })
}

/// Checks the version of a decoded document and bundles it with every file
/// it refers to ([`bundle`]), without normalising it: the document as
/// written, in one piece. Bundling an already bundled document changes nothing.
pub fn bundle(path: &Path, value: serde_json::Value) -> Result<(serde_json::Value, Origins)> {
    bundle_checked(path, value).map(|(value, origins, _)| (value, origins))
}

/// [`bundle`], also returning the declared major.minor version.
fn bundle_checked(path: &Path, value: serde_json::Value) -> Result<(serde_json::Value, Origins, String)> {
    let at = |pointer: &str| Location {
        file: path.to_path_buf(),
        pointer: pointer.to_owned(),
    };
    check_depth(path, &value)?;
    let Some(root) = value.as_object() else {
        return Err(Error::Unsupported {
            location: at("#"),
            message: "the document is empty or not a mapping".into(),
            hint: "an OpenAPI document is a mapping with `openapi`, `info` and `paths`".into(),
        });
    };
    if root.contains_key("swagger") {
        return Err(Error::Unsupported {
            location: at("#/swagger"),
            message: "this is a Swagger 2.0 document, and only OpenAPI 3.0 and 3.1 are supported".into(),
            hint: "convert it to OpenAPI 3 first (for example with swagger2openapi)".into(),
        });
    }
    let declared = match root.get("openapi") {
        Some(serde_json::Value::String(version)) => version.clone(),
        Some(_) => {
            return Err(Error::Unsupported {
                location: at("#/openapi"),
                message: "`openapi` must be a version string such as \"3.1.0\"".into(),
                hint: "quote the version".into(),
            });
        }
        None => {
            return Err(Error::Unsupported {
                location: at("#/openapi"),
                message: "the document has no `openapi` version field".into(),
                hint: "add `openapi: 3.1.0` (or 3.0.x) at the top".into(),
            });
        }
    };
    let declared_version = match declared.split('.').take(2).collect::<Vec<_>>()[..] {
        ["3", minor @ ("0" | "1")] => format!("3.{minor}"),
        _ => {
            return Err(Error::Unsupported {
                location: at("#/openapi"),
                message: format!("OpenAPI version {declared} is not supported"),
                hint: "use an OpenAPI 3.0.x or 3.1.x document".into(),
            });
        }
    };
    // Bundling recurses once per nested reference, so it runs on the deep stack too.
    let (value, origins) = crate::stack::on_deep_stack(|| bundle::bundle(path, value))?;
    check_depth(path, &value)?;
    Ok((value, origins, declared_version))
}

/// Refuses a document (`path` is the file it came from) that nests more than [`MAX_DEPTH`] levels.
fn check_depth(path: &Path, value: &serde_json::Value) -> Result<()> {
    match deeper_than(value, MAX_DEPTH) {
        Some(pointer) => Err(Error::Unsupported {
            location: Location {
                file: path.to_path_buf(),
                pointer,
            },
            message: format!("the document nests more than {MAX_DEPTH} levels deep here"),
            hint: "no real API nests this deeply: look for accidental nesting and flatten it".into(),
        }),
        None => Ok(()),
    }
}

/// The pointer of the first node nested deeper than `limit`, if any.
/// Iterative, so that the check itself cannot overflow the stack.
fn deeper_than(value: &serde_json::Value, limit: usize) -> Option<String> {
    use serde_json::Value;
    // (node, depth, pointer of the node)
    let mut stack: Vec<(&Value, usize, String)> = vec![(value, 1, String::from("#"))];
    while let Some((node, depth, pointer)) = stack.pop() {
        let children: Vec<(String, &Value)> = match node {
            Value::Object(map) => map.iter().map(|(key, child)| (key.clone(), child)).collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, child)| (i.to_string(), child))
                .collect(),
            _ => continue,
        };
        if depth > limit {
            return Some(pointer);
        }
        for (token, child) in children.into_iter().rev() {
            if child.is_object() || child.is_array() {
                stack.push((child, depth + 1, crate::error::pointer_push(&pointer, &token)));
            }
        }
    }
    None
}

/// Turns serde_path_to_error's path into an RFC 6901 pointer.
fn json_pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer = crate::error::pointer_push(&pointer, &index.to_string()),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                pointer = crate::error::pointer_push(&pointer, key)
            }
            Segment::Unknown => pointer.push_str("/?"),
        }
    }
    pointer
}
