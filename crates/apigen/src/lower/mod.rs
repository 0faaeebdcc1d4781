//! Lowering: one pass from the typed document to the [`Api`] IR.

mod body;
mod docs;
mod error_enums;
mod examples;
mod finish;
mod operation;
mod pagination;
mod params;
mod patch;
mod pattern;
mod refs;
mod resolve;
mod responses;
mod sample;
mod schema;
mod security;
mod servers;
mod shape;
mod union;
mod url_form;
mod usage;
mod validate;
mod version;

/// How deep the checks of an example (against its schema, and through the
/// generated types) follow nested schemas. Examples are finite, so this only
/// guards against a recursive schema, or a malformed type graph, that the
/// example does not end.
const MAX_EXAMPLE_DEPTH: usize = 64;

pub(crate) use security::MUTUAL_TLS_EXTENSION;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use openapiv3::{Components, OpenAPI, ReferenceOr};

use crate::config::Config;
use crate::error::{Error, Location, Result, pointer_push};
use crate::ir::{Api, HttpMethod, Inexact, VersionHeader};
use operation::Found;

/// Which operations to generate; empty lists mean "all".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Keep operations carrying at least one of these tags.
    pub tags: BTreeSet<String>,
    /// Keep operations with one of these ids.
    pub operation_ids: BTreeSet<String>,
}

impl Selection {
    fn keeps(&self, id: &str, tags: &[String]) -> bool {
        if self.tags.is_empty() && self.operation_ids.is_empty() {
            return true;
        }
        self.operation_ids.contains(id) || tags.iter().any(|tag| self.tags.contains(tag))
    }
}

/// What every lowering step may read.
pub(crate) struct Context<'a> {
    pub file: &'a Path,
    pub components: Option<&'a Components>,
    pub config: &'a Config,
    /// Headers that carry an `apiKey` credential, which the client sets itself.
    pub credential_headers: Vec<String>,
}

impl Context<'_> {
    pub(crate) fn location(&self, pointer: &str) -> Location {
        Location {
            file: self.file.to_path_buf(),
            pointer: pointer.to_owned(),
        }
    }
}

/// Builds the IR of `document` (read from `file`) for the selected operations.
pub fn lower(file: &Path, document: &OpenAPI, config: &Config, selection: &Selection) -> Result<Api> {
    // Lowering recurses once per nesting level of the schemas.
    crate::stack::on_deep_stack(|| lower_on_this_stack(file, document, config, selection))
}

fn lower_on_this_stack(file: &Path, document: &OpenAPI, config: &Config, selection: &Selection) -> Result<Api> {
    let mut client_inexact = Vec::new();
    let security_schemes = security::schemes(document, &mut client_inexact);
    let (servers, default_server) = servers::servers(document, config, &mut client_inexact);
    let cx = Context {
        file,
        components: document.components.as_ref(),
        config,
        credential_headers: security::credential_headers(&security_schemes),
    };
    let empty = indexmap::IndexMap::new();
    let schemas = document.components.as_ref().map_or(&empty, |c| &c.schemas);
    let mut types = schema::TypeBuilder::new(file, schemas, config.read_only_prefix.as_deref());

    let found = discover(&cx, document)?;
    pagination::check_configured_ids(&cx, config, found.iter().map(|f| f.id.as_str()))?;
    let declares_security = document.security.is_some() || found.iter().any(|f| f.operation.security.is_some());
    let mut operations = Vec::new();
    for found in found.iter().filter(|f| selection.keeps(&f.id, &f.operation.tags)) {
        let mut lowered = operation::lower_operation(&cx, &mut types, found)?;
        lowered.security = if declares_security {
            security::requirement(
                document,
                found.operation.security.as_ref(),
                &found.pointer,
                &security_schemes,
                &mut client_inexact,
            )
        } else if let Some(stated) = security::stated_by_parameters(&cx, found, &security_schemes)? {
            stated
        } else {
            security::undeclared_requirement(&security_schemes, &mut client_inexact)
        };
        server_overrides(document, found, &mut client_inexact);
        operations.push(lowered);
    }
    operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
    if let Some(clash) = operations
        .windows(2)
        .find(|pair| pair[0].method_name == pair[1].method_name)
    {
        return Err(Error::Invalid {
            location: cx.location(&clash[1].pointer),
            message: format!(
                "operation ids `{}` and `{}` both become the method name `{}`",
                clash[0].id, clash[1].id, clash[1].method_name
            ),
            hint: "rename one of the operationIds".into(),
        });
    }

    let mut defs = std::mem::take(&mut types.defs);
    patch::mark(&mut operations, &mut defs);
    finish::mark_boxes(&mut defs);
    finish::mark_eq(&mut defs);
    let mut inexact = std::mem::take(&mut types.inexact);
    inexact.extend(finish::relax_read_only_in_requests(&operations, &mut defs));
    finish::mark_defaults(&mut defs);
    finish::document_uses(&operations, &mut defs, &types.undescribed);
    pagination::mark(&cx, &mut operations, &defs)?;
    inexact.append(&mut client_inexact);
    inexact.extend(union::order_unions(&mut defs));
    inexact.sort();
    inexact.dedup();
    let examples = examples::finish(std::mem::take(&mut types.examples), &defs);
    let features = usage::assign_features(&mut operations);
    usage::mark_types(&operations, &mut defs);
    let error_enums = error_enums::share(&mut operations);
    let feature_groups = usage::feature_groups(&features, &operations, &defs, &error_enums);

    Ok(Api {
        title: document.info.title.clone(),
        version: document.info.version.clone(),
        description: document.info.description.as_deref().map(docs::sanitize),
        servers,
        default_server,
        credential_shortcut: match security_schemes.as_slice() {
            [only] => Some(only.name.clone()),
            _ => None,
        },
        security_schemes,
        version_header: config.version_header.as_ref().map(|v| VersionHeader {
            header: v.header.clone(),
            default: v.default.clone(),
            beta: v.beta.clone(),
        }),
        features,
        feature_groups,
        operations,
        error_enums,
        types: defs.into_values().collect(),
        inexact,
        examples,
        crate_examples: Vec::new(),
    })
}

/// Adds the keyword-coverage audit's findings (`crate::audit`) to the inexact
/// list of `api`. Findings inside operations or component schemas that
/// `api` does not generate are left out, since nothing of them reaches the
/// client; so is a finding at a pointer the lowering already reported, whose
/// message is the more specific.
pub fn join_audit(api: &mut Api, findings: Vec<Inexact>) {
    let reported: BTreeSet<String> = api.inexact.iter().map(|i| i.pointer.clone()).collect();
    let kept: Vec<Inexact> = findings
        .into_iter()
        .filter(|finding| !reported.contains(&finding.pointer) && is_generated(api, &finding.pointer))
        .collect();
    api.inexact.extend(kept);
    api.inexact.sort();
    api.inexact.dedup();
}

/// Whether the construct at `pointer` is part of what `api` generates.
fn is_generated(api: &Api, pointer: &str) -> bool {
    let tokens: Vec<&str> = pointer.split('/').collect();
    match tokens.as_slice() {
        ["#", "paths", path, rest @ ..] => {
            let item = format!("#/paths/{path}");
            const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
            let method = rest.first().filter(|token| METHODS.contains(token));
            match method {
                Some(method) => {
                    let operation = format!("{item}/{method}");
                    api.operations.iter().any(|o| o.pointer == operation)
                }
                None => {
                    let inside = format!("{item}/");
                    api.operations.iter().any(|o| o.pointer.starts_with(&inside))
                }
            }
        }
        ["#", "components", "schemas", name, ..] => {
            let schema = format!("#/components/schemas/{name}");
            api.types.iter().any(|t| t.pointer == schema)
        }
        _ => true,
    }
}

/// Lists every operation with its id, checking that ids are unique.
fn discover<'a>(cx: &Context<'_>, document: &'a OpenAPI) -> Result<Vec<Found<'a>>> {
    let mut found = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (path, item) in &document.paths.paths {
        let item_pointer = pointer_push("#/paths", path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                return Err(Error::Unsupported {
                    location: cx.location(&item_pointer),
                    message: format!("path item references (`{reference}`) are not supported"),
                    hint: "inline the path item".into(),
                });
            }
        };
        let methods = [
            (HttpMethod::Get, &item.get),
            (HttpMethod::Put, &item.put),
            (HttpMethod::Post, &item.post),
            (HttpMethod::Delete, &item.delete),
            (HttpMethod::Options, &item.options),
            (HttpMethod::Head, &item.head),
            (HttpMethod::Patch, &item.patch),
            (HttpMethod::Trace, &item.trace),
        ];
        for (method, operation) in methods {
            let Some(operation) = operation else { continue };
            let pointer = pointer_push(&item_pointer, &method.as_str().to_lowercase());
            let id = operation
                .operation_id
                .clone()
                .unwrap_or_else(|| format!("{} {path}", method.as_str().to_lowercase()));
            if let Some(first) = seen.insert(id.clone(), pointer.clone()) {
                return Err(Error::Invalid {
                    location: cx.location(&pointer_push(&pointer, "operationId")),
                    message: format!("operationId `{id}` is also used at {first}"),
                    hint: "operationIds must be unique; rename one of them".into(),
                });
            }
            found.push(Found {
                id,
                method,
                path,
                pointer,
                operation,
                path_params: &item.parameters,
            });
        }
    }
    Ok(found)
}

/// Path-level and operation-level `servers` are not honoured: every request
/// goes to the client's base URL, which is listed so nothing is lost silently.
fn server_overrides(document: &OpenAPI, found: &Found<'_>, inexact: &mut Vec<Inexact>) {
    let message = "this `servers` override is not honoured: requests go to the client's base URL \
                   (point a separate client at the listed server to call it there)";
    // An override that repeats the document's own servers (Twilio repeats them
    // on every path) changes nothing.
    let urls = |servers: &[openapiv3::Server]| -> Vec<String> {
        servers.iter().map(|s| s.url.trim_end_matches('/').to_owned()).collect()
    };
    let own = urls(&document.servers);
    let overrides = |servers: &[openapiv3::Server]| !servers.is_empty() && urls(servers) != own;
    if overrides(&found.operation.servers) {
        inexact.push(Inexact {
            pointer: pointer_push(&found.pointer, "servers"),
            message: message.into(),
        });
    }
    if let Some(ReferenceOr::Item(item)) = document.paths.paths.get(found.path) {
        if overrides(&item.servers) {
            inexact.push(Inexact {
                pointer: pointer_push(&pointer_push("#/paths", found.path), "servers"),
                message: message.into(),
            });
        }
    }
}
