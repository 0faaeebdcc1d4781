//! Security schemes and requirements: which credentials the client can be
//! configured with, and which of them each operation sends.

use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityRequirement, SecurityScheme as Scheme};

use super::docs;
use crate::error::pointer_push;
use crate::ir::{ApiKeyLocation, Inexact, SecurityScheme, SecuritySchemeKind};
use crate::naming;

/// The extension of `components` where load normalisation puts OpenAPI 3.1
/// `mutualTLS` schemes, which `openapiv3` cannot parse (see `load::normalize`).
pub(crate) const MUTUAL_TLS_EXTENSION: &str = "x-apigen-mutual-tls";

/// Methods of the generated `ClientBuilder` that a scheme setter must not take.
const BUILDER_METHODS: &[&str] = &["build", "configure", "config", "credential", "new"];

/// Every scheme of the document, in document order (`mutualTLS` ones last).
pub(crate) fn schemes(document: &OpenAPI, inexact: &mut Vec<Inexact>) -> Vec<SecurityScheme> {
    let Some(components) = &document.components else {
        return Vec::new();
    };
    let mut setters = naming::Scope::with_reserved(BUILDER_METHODS);
    let mut out = Vec::new();
    for (name, scheme) in &components.security_schemes {
        let pointer = pointer_push("#/components/securitySchemes", name);
        let scheme = match scheme {
            ReferenceOr::Item(scheme) => scheme,
            ReferenceOr::Reference { reference } => {
                inexact.push(Inexact {
                    pointer,
                    message: format!(
                        "security scheme reference `{reference}` is not followed; the scheme has no client setter, \
                         so operations that require only it cannot be called"
                    ),
                });
                continue;
            }
        };
        let (kind, description) = match scheme {
            Scheme::APIKey {
                location,
                name: key_name,
                description,
                ..
            } => (
                SecuritySchemeKind::ApiKey {
                    location: match location {
                        APIKeyLocation::Header => ApiKeyLocation::Header,
                        APIKeyLocation::Query => ApiKeyLocation::Query,
                        APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                    },
                    name: key_name.clone(),
                },
                description,
            ),
            Scheme::HTTP {
                scheme: http,
                bearer_format,
                description,
                ..
            } => {
                let kind = if http.eq_ignore_ascii_case("bearer") {
                    SecuritySchemeKind::Bearer {
                        format: bearer_format.clone(),
                    }
                } else if http.eq_ignore_ascii_case("basic") {
                    SecuritySchemeKind::Basic
                } else {
                    inexact.push(Inexact {
                        pointer: pointer_push(&pointer, "scheme"),
                        message: format!(
                            "HTTP authentication scheme `{http}` is not computed by the client; the caller \
                             supplies the whole `Authorization` value"
                        ),
                    });
                    SecuritySchemeKind::HttpOther { scheme: http.clone() }
                };
                (kind, description)
            }
            Scheme::OAuth2 { flows, description, .. } => {
                let mut lines = Vec::new();
                if let Some(f) = &flows.authorization_code {
                    lines.push(format!(
                        "authorization code: authorize at <{}>, token at <{}>",
                        f.authorization_url, f.token_url
                    ));
                }
                if let Some(f) = &flows.client_credentials {
                    lines.push(format!("client credentials: token at <{}>", f.token_url));
                }
                if let Some(f) = &flows.password {
                    lines.push(format!("password: token at <{}>", f.token_url));
                }
                if let Some(f) = &flows.implicit {
                    lines.push(format!("implicit: authorize at <{}>", f.authorization_url));
                }
                (SecuritySchemeKind::OAuth2 { flows: lines }, description)
            }
            Scheme::OpenIDConnect {
                open_id_connect_url,
                description,
                ..
            } => (
                SecuritySchemeKind::OpenIdConnect {
                    url: open_id_connect_url.clone(),
                },
                description,
            ),
        };
        out.push(SecurityScheme {
            name: name.clone(),
            pointer,
            setter: setters.claim(naming::field_name(name)),
            kind,
            docs: description.as_deref().map(docs::sanitize),
        });
    }
    if let Some(serde_json::Value::Object(moved)) = components.extensions.get(MUTUAL_TLS_EXTENSION) {
        for (name, scheme) in moved {
            out.push(SecurityScheme {
                name: name.clone(),
                pointer: pointer_push("#/components/securitySchemes", name),
                setter: setters.claim(naming::field_name(name)),
                kind: SecuritySchemeKind::MutualTls,
                docs: scheme
                    .get("description")
                    .and_then(serde_json::Value::as_str)
                    .map(docs::sanitize),
            });
        }
    }
    out
}

/// The header names of `apiKey` header schemes: a header parameter of the
/// same name is the credential, configured on the client instead of per call.
pub(crate) fn credential_headers(schemes: &[SecurityScheme]) -> Vec<String> {
    schemes
        .iter()
        .filter_map(|scheme| match &scheme.kind {
            SecuritySchemeKind::ApiKey {
                location: ApiKeyLocation::Header,
                name,
            } => Some(name.clone()),
            _ => None,
        })
        .collect()
}

/// An operation's requirement: its own `security` when it has one (`[]`
/// included), else the document's. Scopes are informational and dropped:
/// the server decides what a token may do.
pub(crate) fn requirement(
    document: &OpenAPI,
    own: Option<&Vec<SecurityRequirement>>,
    operation_pointer: &str,
    schemes: &[SecurityScheme],
    inexact: &mut Vec<Inexact>,
) -> Vec<Vec<String>> {
    let (list, pointer) = match own {
        Some(list) => (list, pointer_push(operation_pointer, "security")),
        None => match &document.security {
            Some(list) => (list, "#/security".to_owned()),
            None => return Vec::new(),
        },
    };
    list.iter()
        .enumerate()
        .map(|(index, alternative)| {
            let names: Vec<String> = alternative.keys().cloned().collect();
            for name in &names {
                if !schemes.iter().any(|s| &s.name == name) {
                    inexact.push(Inexact {
                        pointer: pointer_push(&pointer, &index.to_string()),
                        message: format!(
                            "security requirement names `{name}`, which is not a usable scheme of \
                             `components.securitySchemes`; this alternative can never be satisfied"
                        ),
                    });
                }
            }
            names
        })
        .collect()
}

/// The requirement of every operation of a document that defines schemes but
/// never says which operations need them (Kubernetes defines a bearer token
/// and no `security` at all). Taken literally that means "no credential",
/// and a configured token would never be sent; instead each scheme is an
/// alternative and anonymous access the fallback, so a configured credential
/// is sent and calls without one still go out. Listed, since the document
/// does not say so.
pub(crate) fn undeclared_requirement(schemes: &[SecurityScheme], inexact: &mut Vec<Inexact>) -> Vec<Vec<String>> {
    if schemes.is_empty() {
        return Vec::new();
    }
    inexact.push(Inexact {
        pointer: "#/components/securitySchemes".into(),
        message: "no operation declares `security`; every operation sends the credential of the first \
                  configured scheme (in document order), and none when none is configured"
            .into(),
    });
    let mut alternatives: Vec<Vec<String>> = schemes.iter().map(|s| vec![s.name.clone()]).collect();
    alternatives.push(Vec::new());
    alternatives
}

/// The requirement an operation states through its parameters when the
/// document declares no `security`: a header parameter named like an
/// `apiKey` header scheme (the seed's `Authorization`) says the operation
/// takes that credential. A required parameter makes the scheme required;
/// an optional one leaves anonymous access as the alternative. `None` when
/// no parameter names a credential header.
pub(crate) fn stated_by_parameters(
    cx: &super::Context<'_>,
    found: &super::operation::Found<'_>,
    schemes: &[SecurityScheme],
) -> crate::error::Result<Option<Vec<Vec<String>>>> {
    let mut alternatives: Vec<Vec<String>> = Vec::new();
    let mut optional = false;
    let parameters = found.path_params.iter().chain(&found.operation.parameters);
    for (index, parameter) in parameters.enumerate() {
        let at = pointer_push(&pointer_push(&found.pointer, "parameters"), &index.to_string());
        let parameter = super::refs::follow(
            cx.file,
            "parameters",
            cx.components.map(|c| &c.parameters),
            parameter,
            &at,
        )?;
        let openapiv3::Parameter::Header { parameter_data, .. } = parameter else {
            continue;
        };
        let scheme = schemes.iter().find(|scheme| {
            matches!(&scheme.kind, SecuritySchemeKind::ApiKey { location: ApiKeyLocation::Header, name }
                if name.eq_ignore_ascii_case(&parameter_data.name))
        });
        if let Some(scheme) = scheme {
            alternatives.push(vec![scheme.name.clone()]);
            optional |= !parameter_data.required;
        }
    }
    if alternatives.is_empty() {
        return Ok(None);
    }
    if optional {
        alternatives.push(Vec::new());
    }
    Ok(Some(alternatives))
}
