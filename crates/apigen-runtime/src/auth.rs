//! Credentials for the security schemes of an API, and how a call picks and
//! applies the ones its operation requires.
//!
//! A [`ClientConfig`](crate::ClientConfig) holds one [`Credential`] per
//! security scheme the caller configured, keyed by the scheme's name in the
//! OpenAPI document. Each operation states its requirement as alternatives
//! (OpenAPI's list of security requirement objects): the call uses the first
//! alternative, in document order, whose schemes are all configured, and
//! sends exactly those credentials. An empty alternative (`{}`) means the
//! operation may be called anonymously: it is used, sending nothing, only
//! when no other alternative is satisfied. An operation without alternatives
//! (`security: []`, or none declared) sends no scheme credential. When no
//! alternative is satisfied the call fails with
//! [`RequestErrorKind::MissingCredential`](crate::RequestErrorKind) before
//! anything is sent, naming the schemes that would satisfy it.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use base64::Engine as _;
use http::{HeaderName, HeaderValue};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::secret::SecretString;

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter (redacted wherever the client prints the URL).
    Query,
    /// A cookie in the `Cookie` header.
    Cookie,
}

/// The future a [`TokenSource`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<SecretString, TokenError>> + Send + 'a>>;

/// Supplies OAuth 2 or OpenID Connect access tokens, sent as
/// `Authorization: Bearer <token>`.
///
/// The client does not run an OAuth flow itself: the caller obtains tokens
/// (client credentials, a device flow, a cached refresh token) and hands them
/// out here. The client asks for a token before every call; after a `401`
/// answer it asks once more with `refresh` set and repeats the call once, so
/// a source can drop an expired token.
pub trait TokenSource: Send + Sync + 'static {
    /// A token for the next request; `refresh` is `true` when the server has
    /// just refused the previous one.
    fn token(&self, refresh: bool) -> TokenFuture<'_>;
}

/// A [`TokenSource`] that always hands out the same token.
#[derive(Clone)]
pub struct StaticToken(SecretString);

impl StaticToken {
    /// Wraps a token obtained elsewhere.
    pub fn new(token: impl Into<SecretString>) -> Self {
        Self(token.into())
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenSource for StaticToken {
    fn token(&self, _refresh: bool) -> TokenFuture<'_> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// Why a [`TokenSource`] could not supply a token. Its message must not
/// contain a credential: it is shown in errors.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct TokenError {
    message: String,
    #[source]
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

impl TokenError {
    /// An error with a message (no credential in it, please).
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }

    /// Adds the underlying error.
    pub fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }
}

/// The credential configured for one security scheme.
///
/// `Debug` names the kind of credential and never shows a secret.
#[derive(Clone)]
pub enum Credential {
    /// An API key sent as a header, query parameter or cookie named `name`.
    ApiKey {
        /// Where the key goes.
        location: ApiKeyLocation,
        /// The header, query parameter or cookie name.
        name: &'static str,
        /// The key.
        key: SecretString,
    },
    /// `Authorization: Bearer <token>`.
    Bearer(SecretString),
    /// `Authorization: Basic <base64(username:password)>`.
    Basic {
        /// The user name.
        username: SecretString,
        /// The password.
        password: SecretString,
    },
    /// A bearer token from a [`TokenSource`] (OAuth 2, OpenID Connect).
    Tokens(Arc<dyn TokenSource>),
    /// A TLS client certificate and key (mutual TLS), in PEM. It is presented
    /// when connecting, so it applies to every request of the client.
    ClientIdentity(SecretPem),
}

impl Credential {
    /// An API key.
    pub fn api_key(location: ApiKeyLocation, name: &'static str, key: impl Into<SecretString>) -> Self {
        Self::ApiKey {
            location,
            name,
            key: key.into(),
        }
    }

    /// A bearer token.
    pub fn bearer(token: impl Into<SecretString>) -> Self {
        Self::Bearer(token.into())
    }

    /// A user name and password for HTTP basic authentication.
    pub fn basic(username: impl Into<SecretString>, password: impl Into<SecretString>) -> Self {
        Self::Basic {
            username: username.into(),
            password: password.into(),
        }
    }

    /// Bearer tokens from `source`.
    pub fn tokens(source: impl TokenSource) -> Self {
        Self::Tokens(Arc::new(source))
    }

    /// A client certificate chain and private key, both PEM, in one buffer.
    pub fn client_identity_pem(pem: impl Into<Vec<u8>>) -> Self {
        Self::ClientIdentity(SecretPem(Arc::from(pem.into())))
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ApiKey { location, name, .. } => write!(f, "ApiKey({location:?} {name}: <redacted>)"),
            Self::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Self::Basic { .. } => f.write_str("Basic(<redacted>)"),
            Self::Tokens(_) => f.write_str("Tokens(<token source>)"),
            Self::ClientIdentity(_) => f.write_str("ClientIdentity(<redacted>)"),
        }
    }
}

/// PEM text holding a private key; `Debug` does not show it.
#[derive(Clone)]
pub struct SecretPem(Arc<[u8]>);

impl SecretPem {
    /// The PEM bytes, for the TLS layer only.
    pub fn expose_secret(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SecretPem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretPem(<redacted>)")
    }
}

/// An operation's security requirement: alternatives (any one will do), each
/// a list of scheme names (all of them are needed). Empty: no credential.
pub type SecurityRequirement = &'static [&'static [&'static str]];

/// The credentials of one call, ready to put on the request.
#[derive(Default)]
pub(crate) struct Applied {
    /// Headers with sensitive values.
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// Query pairs, already percent-encoded: name and value.
    pub(crate) query: Vec<(String, String)>,
    /// Whether a token source supplied a token, so a 401 may be retried once
    /// with a refreshed token.
    pub(crate) from_token_source: bool,
}

/// Why the credentials of a call could not be put together.
#[derive(Debug)]
pub(crate) enum AuthFailure {
    /// No alternative of the requirement is fully configured.
    Missing(String),
    /// A configured value is not valid in its header, or a token source failed.
    Invalid(String, Option<TokenError>),
}

/// Picks the first alternative of `requirement` whose schemes are all
/// configured, and returns their credentials in the alternative's order.
pub(crate) fn choose<'a>(
    requirement: SecurityRequirement,
    configured: &'a [(&'static str, Credential)],
) -> Result<Vec<(&'static str, &'a Credential)>, AuthFailure> {
    if requirement.is_empty() {
        return Ok(Vec::new());
    }
    let find = |scheme: &str| configured.iter().find(|(name, _)| *name == scheme).map(|(_, c)| c);
    // An empty alternative (anonymous access) is the fallback: a caller who
    // configured a credential the operation accepts expects it to be sent.
    for alternative in requirement.iter().filter(|alternative| !alternative.is_empty()) {
        let found: Option<Vec<_>> = alternative
            .iter()
            .map(|scheme| find(scheme).map(|credential| (*scheme, credential)))
            .collect();
        if let Some(found) = found {
            return Ok(found);
        }
    }
    if requirement.iter().any(|alternative| alternative.is_empty()) {
        return Ok(Vec::new());
    }
    let wanted: Vec<String> = requirement
        .iter()
        .map(|alternative| {
            alternative
                .iter()
                .map(|scheme| format!("`{scheme}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect();
    Err(AuthFailure::Missing(format!(
        "the operation needs credentials for {}, and none of these is configured on the client",
        wanted.join(" or ")
    )))
}

/// Characters a cookie value may not carry as they are (RFC 6265
/// `cookie-octet` excludes controls, space, `"`, `,`, `;` and `\`).
const COOKIE_VALUE: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b',').add(b';').add(b'\\').add(b'%');

/// Turns the chosen credentials into headers and query pairs, asking token
/// sources for a token (`refresh` after a 401).
pub(crate) async fn apply(
    chosen: &[(&'static str, &Credential)],
    fixed: &FixedHeaders,
    refresh: bool,
) -> Result<Applied, AuthFailure> {
    let mut applied = Applied::default();
    let mut cookies: Vec<String> = Vec::new();
    for (scheme, credential) in chosen {
        if let Some(header) = fixed.get(scheme) {
            applied.headers.push(header.clone());
            continue;
        }
        if let Some(header) = fixed_header(scheme, credential) {
            applied.headers.push(header?);
            continue;
        }
        let invalid = || {
            AuthFailure::Invalid(
                format!("the credential of scheme `{scheme}` is not a valid header value"),
                None,
            )
        };
        match credential {
            Credential::ApiKey { location, name, key } => match location {
                ApiKeyLocation::Query => applied.query.push((
                    utf8_percent_encode(name, crate::path::COMPONENT).to_string(),
                    utf8_percent_encode(key.expose_secret(), crate::path::COMPONENT).to_string(),
                )),
                ApiKeyLocation::Cookie => cookies.push(format!(
                    "{name}={}",
                    utf8_percent_encode(key.expose_secret(), COOKIE_VALUE)
                )),
                // A header is a fixed header, sent above.
                ApiKeyLocation::Header => {}
            },
            // Fixed headers, sent above.
            Credential::Bearer(_) | Credential::Basic { .. } => {}
            Credential::Tokens(source) => {
                let token = source.token(refresh).await.map_err(|err| {
                    AuthFailure::Invalid(format!("the token source of scheme `{scheme}` failed"), Some(err))
                })?;
                applied.from_token_source = true;
                applied.headers.push((
                    http::header::AUTHORIZATION,
                    sensitive(&format!("Bearer {}", token.expose_secret())).ok_or_else(invalid)?,
                ));
            }
            // Presented during the TLS handshake; nothing goes on the request.
            Credential::ClientIdentity(_) => {}
        }
    }
    if !cookies.is_empty() {
        let value = sensitive(&cookies.join("; "))
            .ok_or_else(|| AuthFailure::Invalid("an API key cookie name is not valid in a header".to_owned(), None))?;
        applied.headers.push((http::header::COOKIE, value));
    }
    Ok(applied)
}

/// The headers of the credentials that send the same header on every call
/// (an API key in a header, a bearer token, basic credentials), built once
/// when the transport is rather than on each call.
#[derive(Debug, Default)]
pub(crate) struct FixedHeaders(Vec<(&'static str, (HeaderName, HeaderValue))>);

impl FixedHeaders {
    /// The fixed headers of `configured`. A credential whose header cannot be
    /// built is left out, so that each call fails with the reason.
    pub(crate) fn new(configured: &[(&'static str, Credential)]) -> Self {
        let headers = configured
            .iter()
            .filter_map(|(scheme, credential)| Some((*scheme, fixed_header(scheme, credential)?.ok()?)))
            .collect();
        Self(headers)
    }

    fn get(&self, scheme: &str) -> Option<&(HeaderName, HeaderValue)> {
        self.0
            .iter()
            .find(|(name, _)| *name == scheme)
            .map(|(_, header)| header)
    }
}

/// The header of a credential that sends the same header on every call (an
/// API key in a header, a bearer token, basic credentials); `None` for the
/// other kinds.
fn fixed_header(scheme: &str, credential: &Credential) -> Option<Result<(HeaderName, HeaderValue), AuthFailure>> {
    let invalid = || {
        AuthFailure::Invalid(
            format!("the credential of scheme `{scheme}` is not a valid header value"),
            None,
        )
    };
    let header = match credential {
        Credential::ApiKey {
            location: ApiKeyLocation::Header,
            name,
            key,
        } => HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| AuthFailure::Invalid(format!("scheme `{scheme}`: {name:?} is not a valid header name"), None))
            .and_then(|header| Ok((header, sensitive(key.expose_secret()).ok_or_else(invalid)?))),
        Credential::Bearer(token) => sensitive(&format!("Bearer {}", token.expose_secret()))
            .map(|value| (http::header::AUTHORIZATION, value))
            .ok_or_else(invalid),
        Credential::Basic { username, password } => {
            let pair = format!("{}:{}", username.expose_secret(), password.expose_secret());
            let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
            sensitive(&format!("Basic {encoded}"))
                .map(|value| (http::header::AUTHORIZATION, value))
                .ok_or_else(invalid)
        }
        _ => return None,
    };
    Some(header)
}

fn sensitive(text: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(text).ok()?;
    value.set_sensitive(true);
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn configured() -> Vec<(&'static str, Credential)> {
        vec![
            ("basic", Credential::basic("user", "pa:ss")),
            ("key", Credential::api_key(ApiKeyLocation::Query, "api_key", "k y&=")),
            ("cookie", Credential::api_key(ApiKeyLocation::Cookie, "session", "a;b")),
        ]
    }

    #[test]
    fn first_satisfied_alternative_wins() {
        let configured = configured();
        let chosen = choose(&[&["bearer"], &["key", "cookie"], &["basic"]], &configured).unwrap();
        let names: Vec<&str> = chosen.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, ["key", "cookie"]);
        assert!(choose(&[], &configured).unwrap().is_empty());
        assert!(choose(&[&["bearer"], &[]], &configured).unwrap().is_empty());
        let optional = choose(&[&[], &["basic"]], &configured).unwrap();
        assert_eq!(
            optional.len(),
            1,
            "a configured credential is preferred to anonymous access"
        );
    }

    #[test]
    fn unsatisfied_requirement_names_the_schemes() {
        let Err(AuthFailure::Missing(message)) = choose(&[&["bearer"], &["oauth", "key"]], &configured()) else {
            panic!("expected a missing credential");
        };
        assert!(message.contains("`bearer` or `oauth` and `key`"), "{message}");
    }

    #[tokio::test]
    async fn credentials_are_encoded_for_their_place() {
        let configured = configured();
        let chosen = choose(&[&["basic", "key", "cookie"]], &configured).unwrap();
        // Built on the call, and built once with the transport: the same headers.
        for fixed in [FixedHeaders::default(), FixedHeaders::new(&configured)] {
            let applied = apply(&chosen, &fixed, false).await.unwrap();
            assert_eq!(applied.headers[0].0, "authorization");
            // base64("user:pa:ss")
            assert_eq!(applied.headers[0].1, "Basic dXNlcjpwYTpzcw==");
            assert!(applied.headers.iter().all(|(_, v)| v.is_sensitive()));
            assert_eq!(applied.query, [("api_key".to_owned(), "k%20y%26%3D".to_owned())]);
            assert_eq!(applied.headers[1].0, "cookie");
            assert_eq!(applied.headers[1].1, "session=a%3Bb");
            assert!(!applied.from_token_source);
        }
    }

    #[test]
    fn only_headers_that_never_change_are_built_once() {
        let configured = vec![
            ("bearer", Credential::bearer("tok")),
            ("header", Credential::api_key(ApiKeyLocation::Header, "X-Key", "k")),
            ("query", Credential::api_key(ApiKeyLocation::Query, "api_key", "k")),
            ("oauth", Credential::tokens(StaticToken::new("tok"))),
            ("bad", Credential::api_key(ApiKeyLocation::Header, "X Key", "k")),
        ];
        let fixed = FixedHeaders::new(&configured);
        assert_eq!(
            fixed.get("bearer").map(|(_, v)| v.clone()),
            Some(HeaderValue::from_static("Bearer tok"))
        );
        assert_eq!(fixed.get("header").map(|(n, _)| n.as_str()), Some("x-key"));
        assert!(fixed.get("query").is_none() && fixed.get("oauth").is_none());
        // Left to each call, which then fails with the reason.
        assert!(fixed.get("bad").is_none());
    }

    #[tokio::test]
    async fn token_sources_are_asked_and_marked() {
        let configured = vec![("oauth", Credential::tokens(StaticToken::new("tok")))];
        let chosen = choose(&[&["oauth"]], &configured).unwrap();
        let applied = apply(&chosen, &FixedHeaders::new(&configured), true).await.unwrap();
        assert_eq!(applied.headers[0].1, "Bearer tok");
        assert!(applied.from_token_source);
    }

    #[test]
    fn debug_never_shows_secrets() {
        let all = [
            Credential::bearer("SECRET-1"),
            Credential::basic("SECRET-2", "SECRET-3"),
            Credential::api_key(ApiKeyLocation::Header, "X-Key", "SECRET-4"),
            Credential::client_identity_pem(b"SECRET-5".to_vec()),
            Credential::tokens(StaticToken::new("SECRET-6")),
        ];
        let text = format!("{all:?} {all:#?}");
        assert!(!text.contains("SECRET"), "{text}");
        assert!(text.contains("X-Key"), "{text}");
    }
}
