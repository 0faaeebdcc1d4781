//! Server presets: the document's `servers` (with their variables) and the
//! configured extras, and which one `Client::new` uses.

use openapiv3::{OpenAPI, Server as SpecServer};

use super::docs;
use crate::config::Config;
use crate::error::pointer_push;
use crate::ir::{DefaultServer, EnumVariant, Inexact, Server, ServerUrlPart, ServerVariable, ServerVariableEnum};
use crate::naming;

/// Names the client module exports next to the server types.
const CLIENT_NAMES: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Server",
    "BuildError",
    "ClientConfig",
    "DecodeError",
    "ErrorResponse",
    "RateLimitInfo",
    "RequestError",
    "RequestOptions",
    "Response",
    "ResponseMeta",
    "RetryPolicy",
    "SecretString",
    "StaticToken",
    "Timeouts",
    "TokenSource",
    "UnexpectedStatus",
];

/// Server presets, the default first: the configured default, then the
/// spec's order, then configured extras. Servers the client cannot use are
/// left out and listed in `inexact`.
pub(crate) fn servers(document: &OpenAPI, config: &Config, inexact: &mut Vec<Inexact>) -> (Vec<Server>, DefaultServer) {
    let mut variants = naming::Scope::with_reserved(&["Custom"]);
    let mut types = naming::Scope::with_reserved(CLIENT_NAMES);
    let mut servers: Vec<Server> = Vec::new();
    for (index, spec) in document.servers.iter().enumerate() {
        let pointer = pointer_push("#/servers", &index.to_string());
        let url = spec.url.trim_end_matches('/').to_owned();
        if url.is_empty() {
            // `/`: the document's own origin, which is what `Server::Custom` (or the
            // caller-supplied base URL) already is.
            continue;
        }
        if servers.iter().any(|s| s.url == url) {
            continue;
        }
        let configured = config.servers.iter().find(|s| s.url.trim_end_matches('/') == url);
        let variant =
            variants.claim(configured.map_or_else(|| naming::server_name(&url), |c| naming::type_name(&c.name)));
        let Some((parts, variables)) = template(spec, &url, &variant, &pointer, &mut types, inexact) else {
            continue;
        };
        let docs = configured
            .and_then(|c| c.description.clone())
            .or_else(|| spec.description.clone())
            .map_or_else(|| format!("`{url}`."), |d| format!("{} (`{url}`)", docs::sanitize(&d)));
        let variables_type = (!variables.is_empty()).then(|| types.claim(format!("{variant}Variables")));
        servers.push(Server {
            relative: !resolved(&parts, &variables, &url).contains("://"),
            variant,
            url,
            docs,
            parts,
            variables,
            variables_type,
        });
    }
    for extra in &config.servers {
        let url = extra.url.trim_end_matches('/').to_owned();
        if servers.iter().any(|s| s.url == url) {
            continue;
        }
        let docs = extra
            .description
            .as_deref()
            .map_or_else(|| format!("`{url}`."), |d| format!("{} (`{url}`)", docs::sanitize(d)));
        servers.push(Server {
            variant: variants.claim(naming::type_name(&extra.name)),
            relative: !url.contains("://"),
            url,
            docs,
            parts: Vec::new(),
            variables: Vec::new(),
            variables_type: None,
        });
    }
    if let Some(default) = &config.default_server {
        let default = naming::type_name(default);
        if let Some(index) = servers.iter().position(|s| s.variant == default) {
            let server = servers.remove(index);
            servers.insert(0, server);
        }
    }
    let default = match servers.first() {
        Some(first) if !first.relative => DefaultServer::Preset,
        Some(first) => DefaultServer::Origin {
            variant: first.variant.clone(),
        },
        None => DefaultServer::BaseUrl,
    };
    (servers, default)
}

/// Splits `url` into literal text and variables, with the variables' types.
/// `None` when the URL names a variable that `variables` does not define.
fn template(
    spec: &SpecServer,
    url: &str,
    variant: &str,
    pointer: &str,
    types: &mut naming::Scope,
    inexact: &mut Vec<Inexact>,
) -> Option<(Vec<ServerUrlPart>, Vec<ServerVariable>)> {
    let defined = spec.variables.as_ref();
    let mut parts = Vec::new();
    let mut variables: Vec<ServerVariable> = Vec::new();
    let mut fields = naming::Scope::default();
    let mut rest = url;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        if open > 0 {
            parts.push(ServerUrlPart::Literal(rest[..open].to_owned()));
        }
        let name = &rest[open + 1..close];
        let Some(variable) = defined.and_then(|d| d.get(name)) else {
            inexact.push(Inexact {
                pointer: pointer_push(pointer, "url"),
                message: format!(
                    "the URL uses variable `{name}`, which `variables` does not define; the server is \
                     not offered as a preset (use `Server::Custom`)"
                ),
            });
            return None;
        };
        let index = match variables.iter().position(|v| v.wire_name == name) {
            Some(index) => index,
            None => {
                let var_pointer = pointer_push(&pointer_push(pointer, "variables"), name);
                variables.push(variable_of(
                    name,
                    variable,
                    variant,
                    &var_pointer,
                    &mut fields,
                    types,
                    inexact,
                ));
                variables.len() - 1
            }
        };
        parts.push(ServerUrlPart::Variable(index));
        rest = &rest[close + 1..];
    }
    if variables.is_empty() {
        return Some((Vec::new(), Vec::new()));
    }
    if !rest.is_empty() {
        parts.push(ServerUrlPart::Literal(rest.to_owned()));
    }
    Some((parts, variables))
}

fn variable_of(
    name: &str,
    variable: &openapiv3::ServerVariable,
    variant: &str,
    pointer: &str,
    fields: &mut naming::Scope,
    types: &mut naming::Scope,
    inexact: &mut Vec<Inexact>,
) -> ServerVariable {
    let choices = (!variable.enumeration.is_empty()).then(|| {
        let mut values = variable.enumeration.clone();
        values.dedup();
        if !values.contains(&variable.default) {
            inexact.push(Inexact {
                pointer: pointer_push(pointer, "default"),
                message: "the default is not one of the `enum` values; it is offered as one more value".into(),
            });
            values.push(variable.default.clone());
        }
        let mut names = naming::Scope::default();
        let variants: Vec<EnumVariant> = values
            .iter()
            .map(|value| EnumVariant {
                rust_name: names.claim(naming::variant_name(value)),
                wire_value: value.clone(),
            })
            .collect();
        ServerVariableEnum {
            name: types.claim(format!("{variant}{}", naming::type_name(name))),
            default: values.iter().position(|v| *v == variable.default).unwrap_or(0),
            variants,
        }
    });
    let described = variable.description.as_deref().map(docs::sanitize);
    ServerVariable {
        wire_name: name.to_owned(),
        rust_name: fields.claim(naming::field_name(name)),
        default: variable.default.clone(),
        choices,
        docs: described.unwrap_or_else(|| format!("The `{{{name}}}` part of the URL.")),
    }
}

/// The URL with every variable at its default.
fn resolved(parts: &[ServerUrlPart], variables: &[ServerVariable], url: &str) -> String {
    if parts.is_empty() {
        return url.to_owned();
    }
    parts
        .iter()
        .map(|part| match part {
            ServerUrlPart::Literal(text) => text.as_str(),
            ServerUrlPart::Variable(index) => variables.get(*index).map_or("", |v| v.default.as_str()),
        })
        .collect()
}
