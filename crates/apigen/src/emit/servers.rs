//! The `Server` enum of `client.rs`, with a struct of typed values per
//! server that has variables and an enum per variable with an `enum` list.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{docs, ident};
use crate::ir::{Api, DefaultServer, Server, ServerUrlPart, ServerVariable};

/// The `Server` enum, its `Default` (when the default is a usable URL) and
/// the variable types.
pub(crate) fn server_tokens(api: &Api) -> TokenStream {
    let variants = api.servers.iter().enumerate().map(|(index, server)| {
        let variant = ident(&server.variant);
        let mut text = server.docs.clone();
        if server.relative {
            text.push_str("\n\nThe path is appended to the origin given, such as `https://api.example.com`.");
        }
        if let Some(name) = &server.variables_type {
            text.push_str(&format!(
                "\n\nThe variables default to the document's values: [`{name}::default()`]."
            ));
        }
        let is_default = index == 0 && api.default_server == DefaultServer::Preset;
        match (index, &api.default_server) {
            (0, DefaultServer::Preset) => text.push_str("\n\nThe default."),
            (0, DefaultServer::Origin { .. }) => text.push_str("\n\nThe server `Client::new` uses."),
            _ => {}
        }
        let doc = docs(&text);
        let fields = fields(server);
        // A unit variant takes the derived `Default`; one with variables gets an `impl`.
        let default = (is_default && server.variables_type.is_none()).then(|| quote! { #[default] });
        quote! { #doc #default #variant #fields, }
    });
    let urls = api.servers.iter().map(url_arm);
    let (derive_default, default) = match (&api.default_server, api.servers.first()) {
        (DefaultServer::Preset, Some(first)) if first.variables_type.is_some() => {
            let variant = ident(&first.variant);
            let default = quote! {
                impl ::std::default::Default for Server {
                    fn default() -> Self {
                        Self::#variant(::std::default::Default::default())
                    }
                }
            };
            (quote! {}, default)
        }
        (DefaultServer::Preset, Some(_)) => (quote! { , Default }, quote! {}),
        _ => (quote! {}, quote! {}),
    };
    let variable_types = api.servers.iter().filter_map(variables_tokens);
    quote! {
        /// Where the API is served. Any other base URL (a proxy, a mock) works through [`Server::Custom`].
        #[derive(Debug, Clone, PartialEq, Eq #derive_default)]
        pub enum Server {
            #( #variants )*
            /// Any base URL, such as a proxy or a local mock.
            Custom(::std::string::String),
        }

        #default

        impl Server {
            /// The base URL.
            pub fn url(&self) -> ::std::borrow::Cow<'_, str> {
                match self {
                    #( #urls )*
                    Self::Custom(url) => ::std::borrow::Cow::Borrowed(url),
                }
            }
        }

        #( #variable_types )*
    }
}

/// The server variable types, which the crate root re-exports.
pub(crate) fn exported_names(api: &Api) -> Vec<String> {
    let mut names = Vec::new();
    for server in &api.servers {
        names.extend(server.variables_type.clone());
        names.extend(
            server
                .variables
                .iter()
                .filter_map(|v| v.choices.as_ref().map(|c| c.name.clone())),
        );
    }
    names
}

fn fields(server: &Server) -> TokenStream {
    let variables = server.variables_type.as_deref().map(ident);
    match (server.relative, variables) {
        (false, None) => quote! {},
        (false, Some(name)) => quote! { (#name) },
        (true, None) => quote! { (::std::string::String) },
        (true, Some(name)) => quote! { (::std::string::String, #name) },
    }
}

fn url_arm(server: &Server) -> TokenStream {
    let variant = ident(&server.variant);
    let url = &server.url;
    let path = url.trim_start_matches('/');
    match (server.relative, server.variables_type.is_some()) {
        (false, false) => quote! { Self::#variant => ::std::borrow::Cow::Borrowed(#url), },
        (false, true) => quote! { Self::#variant(variables) => ::std::borrow::Cow::Owned(variables.url()), },
        (true, false) => quote! {
            Self::#variant(origin) => ::std::borrow::Cow::Owned(::std::format!("{}/{}", origin.trim_end_matches('/'), #path)),
        },
        (true, true) => quote! {
            Self::#variant(origin, variables) => ::std::borrow::Cow::Owned(::std::format!(
                "{}/{}",
                origin.trim_end_matches('/'),
                variables.url().trim_start_matches('/')
            )),
        },
    }
}

/// The struct holding a server's variables, and the enums of its variables.
fn variables_tokens(server: &Server) -> Option<TokenStream> {
    let name = ident(server.variables_type.as_deref()?);
    let variant = &server.variant;
    let doc = format!(" The variables of [`Server::{variant}`] (`{}`).", server.url);
    let field_decls = server.variables.iter().map(|v| {
        let field = ident(&v.rust_name);
        let ty = variable_type(v);
        quote! { #field: #ty, }
    });
    let defaults = server.variables.iter().map(|v| {
        let field = ident(&v.rust_name);
        let value = match &v.choices {
            Some(choices) => {
                let ty = ident(&choices.name);
                quote! { #ty::default() }
            }
            None => {
                let text = &v.default;
                quote! { ::std::string::String::from(#text) }
            }
        };
        quote! { #field: #value, }
    });
    // Enums default to the document's default and empty text to "": then
    // `Default` derives, and clippy asks for exactly that.
    let derivable = server
        .variables
        .iter()
        .all(|v| v.choices.is_some() || v.default.is_empty());
    let (derive_default, default_impl) = if derivable {
        (quote! { , Default }, quote! {})
    } else {
        (
            quote! {},
            quote! {
                impl ::std::default::Default for #name {
                    fn default() -> Self {
                        Self { #( #defaults )* }
                    }
                }
            },
        )
    };
    let setters = server.variables.iter().map(|v| {
        let field = ident(&v.rust_name);
        let doc = docs(&format!("{}\n\nDefault: `{}`.", v.docs, v.default));
        match &v.choices {
            Some(choices) => {
                let ty = ident(&choices.name);
                quote! {
                    #doc
                    pub fn #field(mut self, value: #ty) -> Self {
                        self.#field = value;
                        self
                    }
                }
            }
            None => quote! {
                #doc
                pub fn #field(mut self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.#field = value.into();
                    self
                }
            },
        }
    });
    let pieces = server.parts.iter().map(|part| match part {
        ServerUrlPart::Literal(text) => quote! { url.push_str(#text); },
        ServerUrlPart::Variable(index) => match server.variables.get(*index) {
            Some(v) => {
                let field = ident(&v.rust_name);
                match v.choices {
                    Some(_) => quote! { url.push_str(self.#field.as_str()); },
                    None => quote! { url.push_str(&self.#field); },
                }
            }
            None => quote! {},
        },
    });
    let enums = server.variables.iter().filter_map(variable_enum);
    let url_doc = if server.relative {
        " The path with these values."
    } else {
        " The URL with these values."
    };
    Some(quote! {
        #[doc = #doc]
        ///
        /// `Default` gives the document's default values; the setters change one each.
        #[derive(Debug, Clone, PartialEq, Eq #derive_default)]
        pub struct #name {
            #( #field_decls )*
        }

        #default_impl

        impl #name {
            #( #setters )*

            #[doc = #url_doc]
            pub fn url(&self) -> ::std::string::String {
                let mut url = ::std::string::String::new();
                #( #pieces )*
                url
            }
        }

        #( #enums )*
    })
}

fn variable_type(variable: &ServerVariable) -> TokenStream {
    match &variable.choices {
        Some(choices) => {
            let ty = ident(&choices.name);
            quote! { #ty }
        }
        None => quote! { ::std::string::String },
    }
}

fn variable_enum(variable: &ServerVariable) -> Option<TokenStream> {
    let choices = variable.choices.as_ref()?;
    let name = ident(&choices.name);
    let doc = format!(" The values of `{{{}}}` in the server URL.", variable.wire_name);
    let variants = choices.variants.iter().enumerate().map(|(index, variant)| {
        let text = format!(" `{}`", variant.wire_value);
        let variant = ident(&variant.rust_name);
        let default = (index == choices.default).then(|| quote! { #[default] });
        quote! { #[doc = #text] #default #variant, }
    });
    let arms = choices.variants.iter().map(|variant| {
        let value = &variant.wire_value;
        let variant = ident(&variant.rust_name);
        quote! { Self::#variant => #value, }
    });
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum #name {
            #( #variants )*
        }

        impl #name {
            /// The value as it appears in the URL.
            pub fn as_str(self) -> &'static str {
                match self {
                    #( #arms )*
                }
            }
        }
    })
}
