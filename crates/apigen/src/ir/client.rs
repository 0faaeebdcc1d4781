//! How the client is constructed: server presets with their variables, the
//! default server, and the security schemes a caller configures credentials for.

use serde::Serialize;

/// A base URL the client can be pointed at.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Server {
    /// Variant name of the generated `Server` enum.
    pub variant: String,
    /// The URL as written (a template when it has variables), without a trailing `/`.
    pub url: String,
    /// Documentation of the preset.
    pub docs: String,
    /// The URL is relative to where the document is served (such as `/v3`):
    /// the variant takes the caller's origin, and the path is appended to it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub relative: bool,
    /// The URL template split into literal text and variables; empty when
    /// the URL has no variables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<ServerUrlPart>,
    /// The server variables, in document order; the variant holds a value
    /// of the `variables_type` struct.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub variables: Vec<ServerVariable>,
    /// Name of the generated struct that holds the variables.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables_type: Option<String>,
}

/// A piece of a server URL template.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub enum ServerUrlPart {
    /// Literal text.
    Literal(String),
    /// The variable at this index of `Server::variables`.
    Variable(usize),
}

/// A server variable (`servers[].variables`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ServerVariable {
    /// Name in the URL template.
    pub wire_name: String,
    /// Field and setter name.
    pub rust_name: String,
    /// The default value.
    pub default: String,
    /// The allowed values, as a generated enum; `None` for free text.
    pub choices: Option<ServerVariableEnum>,
    /// Documentation.
    pub docs: String,
}

/// The enum generated for a server variable with an `enum` list.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ServerVariableEnum {
    /// Type name.
    pub name: String,
    /// Variants in document order.
    pub variants: Vec<super::EnumVariant>,
    /// Index of the default value in `variants`.
    pub default: usize,
}

/// Which server `Client::new` uses, and what it needs from the caller.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub enum DefaultServer {
    /// The first preset, an absolute URL: `Server` implements `Default`.
    Preset,
    /// The first preset is relative: `Client::new` takes the origin it is appended to.
    Origin {
        /// The preset's variant.
        variant: String,
    },
    /// The document gives no server: `Client::new` takes the whole base URL.
    BaseUrl,
}

/// A security scheme from `components.securitySchemes`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SecurityScheme {
    /// The scheme's name in the document, which requirements refer to.
    pub name: String,
    /// JSON pointer of the scheme.
    pub pointer: String,
    /// Name of the `ClientBuilder` method that configures its credential.
    pub setter: String,
    /// What the credential is and where it goes.
    pub kind: SecuritySchemeKind,
    /// Documentation from the scheme.
    pub docs: Option<String>,
}

/// What a security scheme sends.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub enum SecuritySchemeKind {
    /// An API key in a header, query parameter or cookie.
    ApiKey {
        /// Where the key goes.
        location: ApiKeyLocation,
        /// The header, parameter or cookie name.
        name: String,
    },
    /// `Authorization: Bearer <token>` (`http` scheme `bearer`).
    Bearer {
        /// `bearerFormat`, a hint such as `JWT`.
        format: Option<String>,
    },
    /// `Authorization: Basic ...` (`http` scheme `basic`).
    Basic,
    /// Another `http` scheme: the caller supplies the whole `Authorization` value.
    HttpOther {
        /// The scheme as written, such as `digest`.
        scheme: String,
    },
    /// OAuth 2: a bearer token from a caller-supplied token source.
    OAuth2 {
        /// One line per flow: its name and URLs, for the setter's documentation.
        flows: Vec<String>,
    },
    /// OpenID Connect: a bearer token from a caller-supplied token source.
    OpenIdConnect {
        /// The discovery URL.
        url: String,
    },
    /// A TLS client certificate (OpenAPI 3.1 `mutualTLS`).
    MutualTls,
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}
