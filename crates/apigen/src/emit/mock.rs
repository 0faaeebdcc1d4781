//! Emits `mock.rs` (the `mock` feature): a mock server that speaks the
//! operations' own types. One expectation builder per operation matches the
//! method and path (and, from typed values, query parameters and the JSON
//! body) and answers with a typed success, a typed error, a status, or a
//! list operation's pages; the runtime's `mock` module does the rest.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::split::Part;
use super::tokens::{docs, ident, type_tokens};
use crate::ir::{
    Api, BodyEncoding, ErrorResponse, FeatureGate, Operation, PageRule, Param, ParamLocation, ParamWire, PathPart,
    Primitive, ResponseStatus, RuntimeType, SecuritySchemeKind, SuccessType, TypeRef,
};

/// The mock file.
/// The gates of the items of `mock.rs` beside the server itself: an
/// operation's mock is compiled with the operation.
pub(super) fn gates(api: &Api) -> impl Iterator<Item = &FeatureGate> {
    api.operations.iter().map(|op| &op.gate)
}

/// The mocks that `part` holds; the shared part also holds the server.
pub(crate) fn mock_file(api: &Api, part: &Part<'_>) -> TokenStream {
    let operations: Vec<&Operation> = api.operations.iter().filter(|op| part.holds(&op.gate)).collect();
    let starters = operations.iter().map(|op| part.gated(&op.gate, starter(op)));
    let builders = operations.iter().map(|op| part.gated(&op.gate, builder(op)));
    if let Part::Feature(_) | Part::Group(_) = part {
        // The server's private field is visible here: this is a submodule
        // of the module that defines it.
        return quote! {
            impl MockServer {
                #( #starters )*
            }
            #( #builders )*
        };
    }
    let credentials = api.security_schemes.iter().filter_map(|scheme| {
        let name = &scheme.name;
        let credential = match &scheme.kind {
            SecuritySchemeKind::ApiKey { location, name } => {
                let location = ident(match location {
                    crate::ir::ApiKeyLocation::Header => "Header",
                    crate::ir::ApiKeyLocation::Query => "Query",
                    crate::ir::ApiKeyLocation::Cookie => "Cookie",
                });
                quote! { ::apigen_runtime::Credential::api_key(::apigen_runtime::ApiKeyLocation::#location, #name, "mock-credential") }
            }
            SecuritySchemeKind::Basic => quote! { ::apigen_runtime::Credential::basic("mock-user", "mock-password") },
            SecuritySchemeKind::HttpOther { scheme } => {
                let value = format!("{scheme} mock-credential");
                quote! { ::apigen_runtime::Credential::api_key(::apigen_runtime::ApiKeyLocation::Header, "Authorization", #value) }
            }
            SecuritySchemeKind::Bearer { .. } | SecuritySchemeKind::OAuth2 { .. } | SecuritySchemeKind::OpenIdConnect { .. } => {
                quote! { ::apigen_runtime::Credential::bearer("mock-token") }
            }
            // A client certificate means nothing to a plain-HTTP mock.
            SecuritySchemeKind::MutualTls => return None,
        };
        Some(quote! { .auth(#name, #credential) })
    });
    quote! {
        //! Typed mocks, for testing code that calls this client (the `mock`
        //! feature, which pulls in `wiremock`).
        //!
        //! [`MockServer::start`] runs a server on 127.0.0.1 and
        //! [`MockServer::client`] a [`Client`](crate::Client) pointed at it.
        //! Each operation has an expectation builder named like the client's
        //! method: narrow it with typed matchers (`with_…` for query
        //! parameters, `with_body`), say how often it must come (`times`; by
        //! default at least once), make its first answer a 429
        //! (`rate_limited`), then answer with `respond_ok` (for operations with
        //! one success type), one `respond_<error>` per documented error,
        //! `respond_err` (an error value, such as one a real call returned),
        //! `respond_status`, or, for a list operation, `respond_pages`.
        //! Expectations are verified when the server is dropped. An operation
        //! whose name is taken by a method of [`MockServer`] itself gets
        //! `_operation` appended.

        /// A mock of this API on 127.0.0.1; see the [module documentation](self).
        #[derive(Debug)]
        pub struct MockServer {
            inner: ::apigen_runtime::mock::MockServer,
        }

        impl MockServer {
            /// Starts the server on a free port of 127.0.0.1.
            pub async fn start() -> Self {
                Self { inner: ::apigen_runtime::mock::MockServer::start().await }
            }

            /// The server's base URL.
            pub fn uri(&self) -> ::std::string::String {
                self.inner.uri()
            }

            /// The runtime's server: received requests, and the `wiremock` server for other matchers.
            pub fn runtime(&self) -> &::apigen_runtime::mock::MockServer {
                &self.inner
            }

            /// The client's configuration for this server, with a made-up credential for every
            /// security scheme but mutual TLS: adjust it and pass it to
            /// [`Client::from_config`](crate::Client::from_config).
            ///
            /// # Panics
            ///
            /// When the server's URL is refused, which a 127.0.0.1 URL never is.
            pub fn config(&self) -> ::apigen_runtime::ClientConfig {
                crate::Client::builder(crate::Server::Custom(self.uri()))
                    .configure(|config| config #( #credentials )*)
                    .config()
                    .unwrap_or_else(|err| panic!("the mock server's URL is refused: {err}"))
            }

            /// A client pointed at this server, with a made-up credential for every security scheme
            /// but mutual TLS.
            ///
            /// # Panics
            ///
            /// When the server's URL is refused, which a 127.0.0.1 URL never is.
            pub fn client(&self) -> crate::Client {
                crate::Client::from_config(self.config())
                    .unwrap_or_else(|err| panic!("the mock server's client does not build: {err}"))
            }

            #( #starters )*
        }

        #( #builders )*
    }
}

/// Whether a path parameter's value goes into the matched path (a plain
/// segment); a styled one matches any segment.
fn in_matched_path(param: &Param) -> bool {
    param.location == ParamLocation::Path && param.wire == ParamWire::Display
}

fn starter(op: &Operation) -> TokenStream {
    let method = ident(op.mock_method.as_deref().unwrap_or(&op.method_name));
    let mock = ident(&op.mock_name);
    let info = ident(&op.static_name);
    let doc = format!(
        " Expects `{} {}` (operation `{}`, [`Client::{}`](crate::Client::{})).",
        op.method.as_str(),
        op.path_template,
        op.id,
        op.method_name,
        op.method_name
    );
    let args = op.params.iter().filter(|p| in_matched_path(p)).map(|p| {
        let name = ident(&p.rust_name);
        let ty = type_tokens(&p.ty);
        quote! { #name: impl ::std::convert::Into<#ty> }
    });
    let path = op.path.iter().map(|part| match part {
        PathPart::Literal(text) => match text.chars().collect::<Vec<_>>()[..] {
            [single] => quote! { expected_path.push(#single); },
            _ => quote! { expected_path.push_str(#text); },
        },
        PathPart::Param(index) => match op.params.get(*index) {
            Some(param) if in_matched_path(param) => {
                let name = ident(&param.rust_name);
                let ty = type_tokens(&param.ty);
                if param.ty == TypeRef::Primitive(Primitive::String) {
                    quote! { expected_path.push_str(&::apigen_runtime::encode_path_segment(&::std::convert::Into::<#ty>::into(#name))); }
                } else {
                    quote! { expected_path.push_str(&::apigen_runtime::encode_path_segment(&::std::convert::Into::<#ty>::into(#name).to_string())); }
                }
            }
            Some(param) => {
                let placeholder = format!("{{{}}}", param.wire_name);
                quote! { expected_path.push_str(#placeholder); }
            }
            None => quote! {},
        },
    });
    quote! {
        #[doc = #doc]
        pub fn #method(&self, #( #args ),*) -> #mock<'_> {
            let mut expected_path = ::std::string::String::new();
            #( #path )*
            #mock {
                server: self,
                expectation: ::apigen_runtime::mock::Expectation::new(&crate::operations::#info, expected_path),
            }
        }
    }
}

/// The status a typed success answers with: the first documented code.
fn success_status(op: &Operation) -> u16 {
    op.successes
        .iter()
        .find_map(|success| success.status.code())
        .unwrap_or(200)
}

/// A response of `encoding` with `body` (an expression of the body type).
fn response(status: TokenStream, encoding: BodyEncoding, ty: &TypeRef, body: TokenStream) -> TokenStream {
    match (encoding, ty) {
        (_, TypeRef::Unit) | (BodyEncoding::Empty, _) => {
            quote! { ::apigen_runtime::mock::MockResponse::empty(#status) }
        }
        (BodyEncoding::Text, _) => quote! { ::apigen_runtime::mock::MockResponse::bytes(#status, "text/plain", #body) },
        (BodyEncoding::Binary | BodyEncoding::Multipart | BodyEncoding::UrlForm, _) => {
            quote! { ::apigen_runtime::mock::MockResponse::bytes(#status, "application/octet-stream", #body) }
        }
        (BodyEncoding::Json, _) => quote! { ::apigen_runtime::mock::MockResponse::json(#status, &#body) },
    }
}

fn respond_ok(op: &Operation) -> Option<TokenStream> {
    let SuccessType::Single(ty) = &op.success_type else {
        return None;
    };
    let first = op.successes.first()?;
    let status = Literal::u16_unsuffixed(success_status(op));
    let doc = format!(" Answers with status {status} and `body`, as the operation's success.");
    if *ty == TypeRef::Unit || first.encoding == BodyEncoding::Empty {
        let doc = format!(" Answers with status {status} and no body, as the operation's success.");
        return Some(quote! {
            #[doc = #doc]
            pub async fn respond_ok(self) {
                self.expectation.respond(&self.server.inner, ::apigen_runtime::mock::MockResponse::empty(#status)).await;
            }
        });
    }
    let ty_tokens = type_tokens(ty);
    let answer = response(quote! { #status }, first.encoding, ty, quote! { body });
    Some(quote! {
        #[doc = #doc]
        pub async fn respond_ok(self, body: #ty_tokens) {
            self.expectation.respond(&self.server.inner, #answer).await;
        }
    })
}

fn respond_error(op: &Operation, case: &ErrorResponse) -> TokenStream {
    let method = ident(&case.respond_method);
    let (status_param, status, status_text) = match case.status {
        ResponseStatus::Code(code) => {
            let literal = Literal::u16_unsuffixed(code);
            (quote! {}, quote! { #literal }, format!("status {code}"))
        }
        other => (
            quote! { status: u16, },
            quote! { status },
            format!("`status` (documented as `{other}`)"),
        ),
    };
    let variant = &case.variant;
    let error = &op.error_name;
    if case.ty == TypeRef::Unit {
        let doc = format!(
            " Answers with {status_text} and no body: [`{error}::{variant}`](crate::errors::{error}::{variant})."
        );
        return quote! {
            #[doc = #doc]
            pub async fn #method(self, #status_param) {
                self.expectation.respond(&self.server.inner, ::apigen_runtime::mock::MockResponse::empty(#status)).await;
            }
        };
    }
    let doc =
        format!(" Answers with {status_text} and `body`: [`{error}::{variant}`](crate::errors::{error}::{variant}).");
    let ty = type_tokens(&case.ty);
    let answer = response(status.clone(), case.encoding, &case.ty, quote! { body });
    quote! {
        #[doc = #doc]
        pub async fn #method(self, #status_param body: #ty) {
            self.expectation.respond(&self.server.inner, #answer).await;
        }
    }
}

/// `respond_err`: replays an error value of the operation, such as one a
/// real call returned.
fn respond_err(op: &Operation) -> TokenStream {
    let error = ident(&op.error_name);
    let arms = op.errors.iter().map(|case| {
        let variant = ident(&case.variant);
        let answer = response(
            quote! { error.status().as_u16() },
            case.encoding,
            &case.ty,
            quote! { error.body() },
        );
        quote! { crate::errors::#error::#variant(error) => #answer, }
    });
    let doc = docs(&format!(
        "Answers with what `error` holds: a documented variant's status and body, or the status and \
         bytes of an undocumented status or of a body that did not decode; for replaying an error a \
         real call returned.\n\n# Panics\n\nFor [`{0}::Request`](crate::errors::{0}::Request), which \
         holds no response.",
        op.error_name
    ));
    quote! {
        #doc
        pub async fn respond_err(self, error: &crate::errors::#error) {
            let response = match error {
                #( #arms )*
                crate::errors::#error::UnexpectedStatus(error) => ::apigen_runtime::mock::MockResponse::bytes(
                    error.status().as_u16(),
                    error.meta().content_type().unwrap_or("application/octet-stream"),
                    error.body(),
                ),
                crate::errors::#error::Decode(error) => ::apigen_runtime::mock::MockResponse::bytes(
                    error.status().as_u16(),
                    error.meta().content_type().unwrap_or("application/octet-stream"),
                    error.body(),
                ),
                crate::errors::#error::Request(error) => {
                    panic!("a `Request` error holds no response to replay: {error}")
                }
            };
            self.expectation.respond(&self.server.inner, response).await;
        }
    }
}

/// `with_…` matchers for the query parameters sent as plain text.
fn query_matchers(op: &Operation) -> impl Iterator<Item = TokenStream> + '_ {
    op.params
        .iter()
        .filter(|p| p.location == ParamLocation::Query && p.wire == ParamWire::Display)
        .map(|p| {
            let method = ident(&format!("with_{}", p.rust_name));
            let ty = type_tokens(&p.ty);
            let wire = &p.wire_name;
            let doc = format!(" Matches requests whose query has `{wire}` set to `value`.");
            quote! {
                #[doc = #doc]
                pub fn #method(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                    self.expectation = self.expectation.query(#wire, ::std::convert::Into::<#ty>::into(value));
                    self
                }
            }
        })
}

fn body_matcher(op: &Operation) -> Option<TokenStream> {
    let body = op.body.as_ref().filter(|body| body.encoding == BodyEncoding::Json)?;
    let doc = " Matches requests whose JSON body is `body`.";
    Some(match body.patch {
        Some(kind) => {
            let root = op
                .patch_root
                .as_ref()
                .map_or_else(|| quote! { ::serde_json::Value }, type_tokens);
            let matcher = if kind == RuntimeType::PatchWithComment {
                // The comment is free text; the patch is what matters.
                quote! { json_body_containing(&::serde_json::json!({ "patch": patch })) }
            } else {
                quote! { json_body(&patch) }
            };
            quote! {
                #[doc = " Matches requests whose JSON Patch is `patch` (a comment sent with it may be anything)."]
                pub fn with_body(mut self, patch: impl ::apigen_runtime::patch::IntoPatch<#root>) -> Self {
                    let patch = ::apigen_runtime::patch::IntoPatch::<#root>::into_patch(patch);
                    self.expectation = self.expectation.#matcher;
                    self
                }
            }
        }
        None => {
            let ty = type_tokens(&body.ty);
            quote! {
                #[doc = #doc]
                pub fn with_body(mut self, body: impl ::std::convert::Into<#ty>) -> Self {
                    self.expectation = self.expectation.json_body(&::std::convert::Into::<#ty>::into(body));
                    self
                }
            }
        }
    })
}

fn respond_pages(op: &Operation) -> Option<TokenStream> {
    let pagination = op.pagination.as_ref()?;
    let SuccessType::Single(ty) = &op.success_type else {
        return None;
    };
    let page = type_tokens(ty);
    let status = Literal::u16_unsuffixed(success_status(op));
    let (doc, mount) = if pagination.rule == PageRule::LinkHeader {
        (
            " Answers successive requests with `pages` in turn, each but the last with a `Link` header \
             to the next.",
            quote! { respond_pages_with_links },
        )
    } else {
        (
            " Answers successive requests with `pages` in turn, and the last one again after that \
             (which the client takes for the end under offset and page-number paging): the pages' own \
             fields (totals, cursors, next links) lead the client from one to the next, so write them \
             as the server would.",
            quote! { respond_in_turn },
        )
    };
    Some(quote! {
        #[doc = #doc]
        pub async fn respond_pages(self, pages: ::std::vec::Vec<#page>) {
            let responses = pages.iter().map(|page| ::apigen_runtime::mock::MockResponse::json(#status, page)).collect();
            self.expectation.#mount(&self.server.inner, responses).await;
        }
    })
}

fn builder(op: &Operation) -> TokenStream {
    let mock = ident(&op.mock_name);
    let doc = docs(&format!(
        "The expectation of a `{}` request (operation `{}`); answer it with one of the `respond_…` methods.",
        op.method.as_str(),
        op.id
    ));
    let queries = query_matchers(op);
    let body = body_matcher(op);
    let ok = respond_ok(op);
    let errors = op.errors.iter().map(|case| respond_error(op, case));
    let replay = respond_err(op);
    let pages = respond_pages(op);
    quote! {
        #doc
        #[derive(Debug)]
        #[must_use = "an expectation does nothing until one of its `respond_…` methods is awaited"]
        pub struct #mock<'a> {
            server: &'a MockServer,
            expectation: ::apigen_runtime::mock::Expectation,
        }

        impl #mock<'_> {
            #( #queries )*
            #body
            /// The request must come exactly `times` times (by default: at least once).
            pub fn times(mut self, times: u64) -> Self {
                self.expectation = self.expectation.times(times);
                self
            }

            /// The first matching request gets `429 Too Many Requests` with `Retry-After`
            /// (whole seconds), the next ones the response: the client waits and retries.
            pub fn rate_limited(mut self, retry_after: ::std::time::Duration) -> Self {
                self.expectation = self.expectation.rate_limited(retry_after);
                self
            }

            #ok
            #( #errors )*
            #replay

            /// Answers with `status` and `body` as JSON, whatever the spec documents.
            pub async fn respond_status(self, status: u16, body: impl ::serde::Serialize) {
                self.expectation.respond(&self.server.inner, ::apigen_runtime::mock::MockResponse::json(status, &body)).await;
            }

            #pages
        }
    }
}
