//! Emits `client.rs`: the `Client`, its server presets and defaults.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{docs, ident};
use crate::ir::Api;

/// The client file.
pub(crate) fn client_file(api: &Api, crate_name: &str, crate_version: &str) -> TokenStream {
    let servers = api.servers.iter().enumerate().map(|(index, server)| {
        let variant = ident(&server.variant);
        let mut text = server.docs.clone();
        if index == 0 {
            text.push_str("\n\nThe default.");
        }
        let doc = docs(&text);
        let default = (index == 0).then(|| quote! { #[default] });
        quote! { #doc #default #variant, }
    });
    let urls = api.servers.iter().map(|server| {
        let variant = ident(&server.variant);
        let url = &server.url;
        quote! { Self::#variant => #url, }
    });
    let user_agent = format!("{crate_name}/{crate_version}");
    let credential = api.credential.as_ref().map(|credential| {
        let header = &credential.header;
        quote! { .credential(#header, token.into()) }
    });
    let token_arg = api
        .credential
        .as_ref()
        .map(|_| quote! { token: impl ::std::convert::Into<::apigen_runtime::SecretString> });
    let token_pass = api.credential.as_ref().map(|_| quote! { token });
    let token_doc = api.credential.as_ref().map(|credential| {
        let text = format!(
            " The token is sent as `{}: <token>` on every request and never appears in `Debug` output or errors.",
            credential.header
        );
        quote! { #[doc = ""] #[doc = #text] }
    });
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
    quote! {
        //! The client, its server presets and its defaults.

        /// Where the API is served. Any other base URL (a proxy, a mock) works through [`Server::Custom`].
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub enum Server {
            #( #servers )*
            /// Any base URL, such as a proxy or a local mock.
            Custom(::std::string::String),
        }

        impl Server {
            /// The base URL.
            pub fn url(&self) -> &str {
                match self {
                    #( #urls )*
                    Self::Custom(url) => url,
                }
            }
        }

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
            /// A client for the default server with default settings.
            #token_doc
            pub fn new(#token_arg) -> ::std::result::Result<Self, ::apigen_runtime::BuildError> {
                Self::from_config(Self::config(Server::default(), #token_pass)?)
            }

            /// The default configuration for `server`: adjust it (retries, timeouts, pacing,
            /// body limits) and pass it to [`Client::from_config`].
            pub fn config(server: Server, #token_arg) -> ::std::result::Result<::apigen_runtime::ClientConfig, ::apigen_runtime::BuildError> {
                ::std::result::Result::Ok(
                    ::apigen_runtime::ClientConfig::new(server.url())?
                        #credential
                        #version_config
                        .user_agent(USER_AGENT),
                )
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
    }
}
