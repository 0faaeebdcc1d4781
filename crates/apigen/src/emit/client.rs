//! Emits `client.rs`: the `Client`, its builder with one credential setter
//! per security scheme, its server presets and defaults.

use proc_macro2::TokenStream;
use quote::quote;

use super::servers::server_tokens;
use super::tokens::{docs, ident};
use crate::ir::{Api, ApiKeyLocation, DefaultServer, SecurityScheme, SecuritySchemeKind};

/// The client file.
pub(crate) fn client_file(api: &Api, crate_name: &str, crate_version: &str) -> TokenStream {
    let servers = server_tokens(api);
    let user_agent = format!("{crate_name}/{crate_version}");
    let (version_const, version_config) = match &api.version_header {
        Some(version) => {
            let default = &version.default;
            let header = &version.header;
            let doc = format!(" The `{header}` value sent unless a call or the configuration says otherwise.");
            (
                quote! { #[doc = #doc] pub const DEFAULT_API_VERSION: &str = #default; },
                quote! { .api_version(#header, DEFAULT_API_VERSION) },
            )
        }
        None => (quote! {}, quote! {}),
    };
    let shortcut = api
        .credential_shortcut
        .as_ref()
        .and_then(|name| api.security_schemes.iter().find(|s| &s.name == name));
    let (shortcut_params, shortcut_call, shortcut_doc) = match shortcut {
        Some(scheme) => {
            let CredentialArgs { params, pass, .. } = credential_args(scheme);
            let setter = ident(&scheme.setter);
            let doc = format!(" {}", sent_as(scheme));
            (
                quote! { , #params },
                quote! { .#setter(#pass) },
                quote! { #[doc = ""] #[doc = #doc] },
            )
        }
        None => (quote! {}, quote! {}, quote! {}),
    };
    let (server_param, new_server, new_doc) = match &api.default_server {
        DefaultServer::Preset => (
            None,
            quote! { Server::default() },
            " A client for the default server with default settings.".to_owned(),
        ),
        DefaultServer::Origin { variant } => {
            let variant = ident(variant);
            let url = api.servers.first().map_or("", |s| s.url.as_str());
            (
                Some(quote! { origin: impl ::std::convert::Into<::std::string::String> }),
                quote! { Server::#variant(origin.into()) },
                format!(
                    " A client for the API at `{url}` on `origin` (such as `https://api.example.com`), with \
                     default settings. The document's first server is relative, so the origin is the caller's."
                ),
            )
        }
        DefaultServer::BaseUrl => (
            Some(quote! { base_url: impl ::std::convert::Into<::std::string::String> }),
            quote! { Server::Custom(base_url.into()) },
            " A client for the API at `base_url` with default settings. The document names no server, so \
             the base URL is the caller's."
                .to_owned(),
        ),
    };
    let shortcut_args = shortcut.map(credential_args);
    let new_params = server_param
        .into_iter()
        .chain(shortcut_args.as_ref().map(|args| args.params.clone()));
    let new_params = quote! { #( #new_params ),* };
    let config_pass = shortcut_args.map(|args| {
        let pass = args.pass;
        quote! { , #pass }
    });
    let without_credentials = (api.security_schemes.len() > 1).then(|| {
        quote! {
            #[doc = ""]
            #[doc = " It has no credentials: operations that require one fail before sending. Use [`Client::builder`] to add them."]
        }
    });
    let new_doc = quote! { #[doc = #new_doc] #shortcut_doc #without_credentials };
    let setters = api.security_schemes.iter().map(setter_tokens);
    let credential_fn = (!api.security_schemes.is_empty()).then(|| {
        quote! {
            fn credential(self, scheme: &'static str, credential: ::apigen_runtime::Credential) -> Self {
                Self { config: self.config.map(|config| config.auth(scheme, credential)) }
            }
        }
    });

    quote! {
        //! The client, its builder, its server presets and its defaults.

        #servers

        #version_const

        /// The `User-Agent` this client sends.
        pub const USER_AGENT: &str = #user_agent;

        /// The API client. Cheap to clone: clones share one connection pool and
        /// one rate-limit state.
        #[derive(Debug, Clone)]
        pub struct Client {
            transport: ::apigen_runtime::Transport,
        }

        impl Client {
            #new_doc
            pub fn new(#new_params) -> ::std::result::Result<Self, ::apigen_runtime::BuildError> {
                Self::from_config(Self::config(#new_server #config_pass)?)
            }

            /// The default configuration for `server`: adjust it (retries, timeouts, pacing,
            /// body limits) and pass it to [`Client::from_config`].
            #shortcut_doc
            pub fn config(server: Server #shortcut_params) -> ::std::result::Result<::apigen_runtime::ClientConfig, ::apigen_runtime::BuildError> {
                Self::builder(server) #shortcut_call .config()
            }

            /// Starts a client for `server`: set the credentials of the security schemes the
            /// operations need, adjust the configuration, then call [`ClientBuilder::build`].
            pub fn builder(server: Server) -> ClientBuilder {
                ClientBuilder {
                    config: ::apigen_runtime::ClientConfig::new(&server.url())
                        .map(|config| config #version_config .user_agent(USER_AGENT)),
                }
            }

            /// A client with the given configuration.
            pub fn from_config(config: ::apigen_runtime::ClientConfig) -> ::std::result::Result<Self, ::apigen_runtime::BuildError> {
                ::std::result::Result::Ok(Self { transport: ::apigen_runtime::Transport::new(config)? })
            }

            /// The transport that sends requests, for configuration and diagnostics.
            pub fn transport(&self) -> &::apigen_runtime::Transport {
                &self.transport
            }
        }

        /// Configures a [`Client`]: one credential setter per security scheme of the API.
        ///
        /// Each call sends the credentials its operation requires: of the alternatives the
        /// document lists, the first whose schemes all have a credential here. An operation
        /// whose requirement no configured credential satisfies fails before anything is
        /// sent; one that requires none sends none. Credentials never appear in `Debug`
        /// output, errors or logs.
        #[derive(Debug)]
        #[must_use = "a builder does nothing until `build` is called"]
        pub struct ClientBuilder {
            config: ::std::result::Result<::apigen_runtime::ClientConfig, ::apigen_runtime::BuildError>,
        }

        impl ClientBuilder {
            #( #setters )*

            /// Adjusts the configuration: retries, timeouts, pacing, body limits.
            pub fn configure(self, adjust: impl ::std::ops::FnOnce(::apigen_runtime::ClientConfig) -> ::apigen_runtime::ClientConfig) -> Self {
                Self { config: self.config.map(adjust) }
            }

            /// The configuration built so far, for [`Client::from_config`].
            pub fn config(self) -> ::std::result::Result<::apigen_runtime::ClientConfig, ::apigen_runtime::BuildError> {
                self.config
            }

            /// Builds the client.
            pub fn build(self) -> ::std::result::Result<Client, ::apigen_runtime::BuildError> {
                Client::from_config(self.config?)
            }

            #credential_fn
        }
    }
}

/// The parameters of a scheme's setter, the arguments that pass them on,
/// and the runtime credential built from them.
struct CredentialArgs {
    params: TokenStream,
    pass: TokenStream,
    credential: TokenStream,
}

fn credential_args(scheme: &SecurityScheme) -> CredentialArgs {
    let secret = quote! { impl ::std::convert::Into<::apigen_runtime::SecretString> };
    match &scheme.kind {
        SecuritySchemeKind::ApiKey { location, name } => {
            let location = match location {
                ApiKeyLocation::Header => quote! { Header },
                ApiKeyLocation::Query => quote! { Query },
                ApiKeyLocation::Cookie => quote! { Cookie },
            };
            CredentialArgs {
                params: quote! { token: #secret },
                pass: quote! { token },
                credential: quote! {
                    ::apigen_runtime::Credential::api_key(::apigen_runtime::ApiKeyLocation::#location, #name, token)
                },
            }
        }
        SecuritySchemeKind::Bearer { .. } => CredentialArgs {
            params: quote! { token: #secret },
            pass: quote! { token },
            credential: quote! { ::apigen_runtime::Credential::bearer(token) },
        },
        SecuritySchemeKind::HttpOther { .. } => CredentialArgs {
            params: quote! { value: #secret },
            pass: quote! { value },
            credential: quote! {
                ::apigen_runtime::Credential::api_key(::apigen_runtime::ApiKeyLocation::Header, "Authorization", value)
            },
        },
        SecuritySchemeKind::Basic => CredentialArgs {
            params: quote! { username: #secret, password: #secret },
            pass: quote! { username, password },
            credential: quote! { ::apigen_runtime::Credential::basic(username, password) },
        },
        SecuritySchemeKind::OAuth2 { .. } | SecuritySchemeKind::OpenIdConnect { .. } => CredentialArgs {
            params: quote! { source: impl ::apigen_runtime::TokenSource },
            pass: quote! { source },
            credential: quote! { ::apigen_runtime::Credential::tokens(source) },
        },
        SecuritySchemeKind::MutualTls => CredentialArgs {
            params: quote! { pem: impl ::std::convert::Into<::std::vec::Vec<u8>> },
            pass: quote! { pem },
            credential: quote! { ::apigen_runtime::Credential::client_identity_pem(pem) },
        },
    }
}

/// One sentence on what the credential of `scheme` puts on a request.
fn sent_as(scheme: &SecurityScheme) -> String {
    match &scheme.kind {
        SecuritySchemeKind::ApiKey {
            location: ApiKeyLocation::Header,
            name,
        } => format!("The token is sent as `{name}: <token>` and never appears in `Debug` output or errors."),
        SecuritySchemeKind::ApiKey {
            location: ApiKeyLocation::Query,
            name,
        } => format!(
            "The token is sent as the `{name}` query parameter; wherever the client shows a URL, it shows \
             `{name}=<redacted>`."
        ),
        SecuritySchemeKind::ApiKey {
            location: ApiKeyLocation::Cookie,
            name,
        } => format!("The token is sent as the `{name}` cookie (`Cookie: {name}=<token>`)."),
        SecuritySchemeKind::Bearer { format } => {
            let hint = format.as_deref().map(|f| format!(" (a {f})")).unwrap_or_default();
            format!("The token{hint} is sent as `Authorization: Bearer <token>`.")
        }
        SecuritySchemeKind::Basic => {
            "Sent as `Authorization: Basic <base64 of username:password>` (RFC 7617).".to_owned()
        }
        SecuritySchemeKind::HttpOther { scheme } => format!(
            "The client does not compute `{scheme}` credentials: `value` is sent as the whole \
             `Authorization` header, scheme name included."
        ),
        SecuritySchemeKind::OAuth2 { .. } => "OAuth 2: `source` supplies access tokens, sent as \
                                              `Authorization: Bearer <token>`; the client asks it before each \
                                              call and once more (with `refresh`) after a 401. Wrap a fixed \
                                              token in [`StaticToken`](crate::StaticToken)."
            .to_owned(),
        SecuritySchemeKind::OpenIdConnect { url } => format!(
            "OpenID Connect (discovery at <{url}>): `source` supplies access tokens, sent as \
             `Authorization: Bearer <token>`; the client asks it before each call and once more (with \
             `refresh`) after a 401. Wrap a fixed token in [`StaticToken`](crate::StaticToken)."
        ),
        SecuritySchemeKind::MutualTls => "Mutual TLS: `pem` holds the client certificate chain and its private \
                                          key; the client presents it when it connects, so it applies to every \
                                          request."
            .to_owned(),
    }
}

fn setter_tokens(scheme: &SecurityScheme) -> TokenStream {
    let CredentialArgs { params, credential, .. } = credential_args(scheme);
    let setter = ident(&scheme.setter);
    let name = &scheme.name;
    let mut text = scheme
        .docs
        .clone()
        .unwrap_or_else(|| format!("The credential of the `{name}` security scheme."));
    text.push_str(&format!(
        "\n\n{} Used by the operations that require the `{name}` scheme.",
        sent_as(scheme)
    ));
    if let SecuritySchemeKind::OAuth2 { flows } = &scheme.kind {
        if !flows.is_empty() {
            text.push_str("\n\nThe document's flows:");
            for flow in flows {
                text.push_str(&format!("\n- {flow}"));
            }
        }
    }
    let doc = docs(&text);
    quote! {
        #doc
        pub fn #setter(self, #params) -> Self {
            self.credential(#name, #credential)
        }
    }
}
