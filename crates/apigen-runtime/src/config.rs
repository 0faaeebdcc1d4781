//! Client configuration: base URL, credential, retries, timeouts and limits.

use std::fmt;
use std::time::Duration;

use crate::auth::Credential;
use crate::deviation::DecodePolicy;
use crate::retry::RetryPolicy;
use crate::secret::SecretString;

/// Default cap on a response body: 16 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// Default margin added after an announced rate-limit reset before the next
/// request on that scope is sent.
pub const DEFAULT_PACING_MARGIN: Duration = Duration::from_millis(25);

/// Configuration of a [`crate::Transport`].
///
/// `Debug` shows everything except the credential's value.
#[derive(Clone)]
pub struct ClientConfig {
    pub(crate) base_url: String,
    pub(crate) credential: Option<(&'static str, SecretString)>,
    pub(crate) auth: Vec<(&'static str, Credential)>,
    pub(crate) api_version: Option<(&'static str, String)>,
    pub(crate) retry: RetryPolicy,
    pub(crate) timeouts: Timeouts,
    pub(crate) max_response_bytes: usize,
    pub(crate) pacing: bool,
    pub(crate) pacing_margin: Duration,
    pub(crate) pacing_cap: bool,
    pub(crate) user_agent: String,
    pub(crate) decode_policy: DecodePolicy,
}

impl ClientConfig {
    /// Starts a configuration for the server at `base_url`.
    ///
    /// Fails on a URL that does not parse, is not http/https, carries a
    /// query, a fragment or user credentials (a credential belongs in
    /// [`ClientConfig::credential`], where it is kept out of logs). A
    /// trailing `/` is removed, so `https://host/` and `https://host` are the
    /// same base; a path prefix such as `https://proxy/ld` is kept.
    pub fn new(base_url: &str) -> Result<Self, BuildError> {
        let parsed = url::Url::parse(base_url).map_err(|err| BuildError::InvalidBaseUrl {
            url: base_url.to_owned(),
            reason: err.to_string(),
        })?;
        let reject = |reason: &str| BuildError::InvalidBaseUrl {
            url: redact_userinfo(&parsed),
            reason: reason.to_owned(),
        };
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(reject("the scheme must be http or https"));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(reject(
                "credentials in the URL are not allowed; use ClientConfig::credential",
            ));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(reject("the base URL must not have a query or fragment"));
        }
        if parsed.cannot_be_a_base() || parsed.host_str().is_none() {
            return Err(reject("the base URL must have a host"));
        }
        let normalised = parsed.as_str().trim_end_matches('/').to_owned();
        Ok(Self {
            base_url: normalised,
            credential: None,
            auth: Vec::new(),
            api_version: None,
            retry: RetryPolicy::default(),
            timeouts: Timeouts::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            pacing: true,
            pacing_margin: DEFAULT_PACING_MARGIN,
            pacing_cap: true,
            user_agent: concat!("apigen-runtime/", env!("CARGO_PKG_VERSION")).to_owned(),
            decode_policy: DecodePolicy::default(),
        })
    }

    /// Sends `header: <secret>` (the raw value, no `Bearer ` prefix) on every
    /// request. The header value is marked sensitive, so the HTTP stack does
    /// not print it either.
    pub fn credential(mut self, header: &'static str, secret: SecretString) -> Self {
        self.credential = Some((header, secret));
        self
    }

    /// Configures the credential of the security scheme named `scheme` in the
    /// OpenAPI document, replacing an earlier one for the same scheme. Each
    /// call sends the credentials its operation requires (see the
    /// [`crate::auth`] module), and only those.
    pub fn auth(mut self, scheme: &'static str, credential: Credential) -> Self {
        self.auth.retain(|(name, _)| *name != scheme);
        self.auth.push((scheme, credential));
        self
    }

    /// The schemes that have a credential configured, in the order they were configured.
    pub fn auth_schemes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.auth.iter().map(|(name, _)| *name)
    }

    /// Default value of an API-version header (e.g. `LD-API-Version: 20240415`),
    /// sent on every request; a call can override the value with
    /// [`crate::RequestOptions::api_version`].
    pub fn api_version(mut self, header: &'static str, value: impl Into<String>) -> Self {
        self.api_version = Some((header, value.into()));
        self
    }

    /// Sets the retry policy ([`RetryPolicy::disabled`] turns retries off).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sets the connect, per-attempt and total timeouts.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Caps the size of a response body; a larger body fails the request with
    /// [`crate::RequestErrorKind::BodyTooLarge`]. Default 16 MiB.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Turns rate-limit pacing on or off (default on). With pacing on, a
    /// response that announces a spent window (`X-Ratelimit-*-Remaining: 0`)
    /// makes later requests on that scope wait for the announced reset.
    pub fn pacing(mut self, enabled: bool) -> Self {
        self.pacing = enabled;
        self
    }

    /// Turns the in-flight cap of pacing on or off (default on). With the cap
    /// on, a response that announces a budget (`X-Ratelimit-*-Remaining: n`)
    /// lets at most `n` requests of that scope be in flight until the next
    /// announcement or the reset, and a new window starts with at most as many
    /// requests as the previous window admitted. Has no effect with pacing off.
    pub fn pacing_cap(mut self, enabled: bool) -> Self {
        self.pacing_cap = enabled;
        self
    }

    /// Sets the margin waited after an announced reset before sending again
    /// (default 25 ms). It absorbs clock granularity; a random extra of up to
    /// the same length spreads the requests that were waiting.
    pub fn pacing_margin(mut self, margin: Duration) -> Self {
        self.pacing_margin = margin;
        self
    }

    /// Sets the `User-Agent` header (default `apigen-runtime/<version>`).
    pub fn user_agent(mut self, value: impl Into<String>) -> Self {
        self.user_agent = value.into();
        self
    }

    /// Sets how response bodies that deviate from their schema are decoded
    /// (default [`DecodePolicy::Lenient`]); a call can override it with
    /// [`crate::RequestOptions::decode_policy`].
    pub fn decode_policy(mut self, policy: DecodePolicy) -> Self {
        self.decode_policy = policy;
        self
    }

    /// How response bodies that deviate from their schema are decoded.
    pub fn decode_policy_in_force(&self) -> DecodePolicy {
        self.decode_policy
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The timeouts in force.
    pub fn timeout_settings(&self) -> &Timeouts {
        &self.timeouts
    }

    /// The response body cap in bytes.
    pub fn response_limit(&self) -> usize {
        self.max_response_bytes
    }

    /// Whether rate-limit pacing is on.
    pub fn is_pacing_enabled(&self) -> bool {
        self.pacing
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The credential is shown by header name only; its value is never formatted.
        let credential = self
            .credential
            .as_ref()
            .map(|(header, _)| format!("{header}: <redacted>"));
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url)
            .field("credential", &credential)
            .field("auth", &self.auth)
            .field("api_version", &self.api_version)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("pacing", &self.pacing)
            .field("pacing_margin", &self.pacing_margin)
            .field("pacing_cap", &self.pacing_cap)
            .field("user_agent", &self.user_agent)
            .field("decode_policy", &self.decode_policy)
            .finish()
    }
}

fn redact_userinfo(url: &url::Url) -> String {
    let mut copy = url.clone();
    // Both setters only fail for URLs that cannot have credentials, in which
    // case there is nothing to remove.
    let _ = copy.set_username("");
    let _ = copy.set_password(None);
    copy.to_string()
}

/// Connect, per-attempt and total timeouts.
///
/// * `connect` bounds establishing a connection (TCP and TLS).
/// * `attempt` bounds one attempt from sending the request until the whole
///   response body is read, so a server that sends headers and then stalls
///   gives a timeout error instead of a hang.
/// * `total` bounds the whole call including every retry and every wait for
///   a rate-limit reset; no retry or wait starts that would end after it.
///
/// Defaults: connect 10 s, attempt 30 s, total 120 s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeouts {
    connect: Duration,
    attempt: Duration,
    total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            attempt: Duration::from_secs(30),
            total: Duration::from_secs(120),
        }
    }
}

impl Timeouts {
    /// Sets all three timeouts.
    pub fn new(connect: Duration, attempt: Duration, total: Duration) -> Self {
        Self {
            connect,
            attempt,
            total,
        }
    }

    /// Sets the connect timeout.
    pub fn with_connect(mut self, value: Duration) -> Self {
        self.connect = value;
        self
    }

    /// Sets the per-attempt timeout (request sent until body fully read).
    pub fn with_attempt(mut self, value: Duration) -> Self {
        self.attempt = value;
        self
    }

    /// Sets the total timeout of a call, retries and waits included.
    pub fn with_total(mut self, value: Duration) -> Self {
        self.total = value;
        self
    }

    /// The connect timeout.
    pub fn connect(&self) -> Duration {
        self.connect
    }

    /// The per-attempt timeout.
    pub fn attempt(&self) -> Duration {
        self.attempt
    }

    /// The total timeout of a call.
    pub fn total(&self) -> Duration {
        self.total
    }
}

/// Why a [`ClientConfig`] or [`crate::Transport`] could not be built.
///
/// No variant carries a credential's value.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL does not parse or is not usable as a base.
    #[error("invalid base URL {url:?}: {reason}")]
    InvalidBaseUrl {
        /// The URL as given, without user credentials.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A configured header name is not a valid HTTP header name.
    #[error("invalid header name {name:?}")]
    InvalidHeaderName {
        /// The header name.
        name: &'static str,
    },
    /// A configured header value is not a valid HTTP header value. The value
    /// itself is not included, because it may be a credential.
    #[error("the value configured for header {name:?} is not a valid header value")]
    InvalidHeaderValue {
        /// The header name.
        name: &'static str,
    },
    /// A client identity (mutual TLS) is not a valid PEM certificate chain
    /// and private key. The PEM text itself is not included.
    #[error("the client identity of scheme {scheme:?} is not a valid PEM certificate and key: {reason}")]
    InvalidIdentity {
        /// The security scheme.
        scheme: &'static str,
        /// What the TLS layer said.
        reason: String,
    },
    /// The HTTP client could not be created.
    #[error("could not build the HTTP client: {0}")]
    Client(#[source] reqwest::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_slash_is_removed_and_prefix_kept() {
        let c = ClientConfig::new("https://app.launchdarkly.com/").unwrap();
        assert_eq!(c.base_url(), "https://app.launchdarkly.com");
        let c = ClientConfig::new("http://127.0.0.1:8080/proxy/ld/").unwrap();
        assert_eq!(c.base_url(), "http://127.0.0.1:8080/proxy/ld");
    }

    #[test]
    fn bad_urls_are_rejected() {
        for url in [
            "not a url",
            "ftp://host",
            "https://host/?q=1",
            "https://host/#f",
            "mailto:someone@example.com",
        ] {
            assert!(
                matches!(ClientConfig::new(url), Err(BuildError::InvalidBaseUrl { .. })),
                "{url}"
            );
        }
    }

    #[test]
    fn userinfo_is_rejected_without_echoing_it() {
        let err = ClientConfig::new("https://user:api-SECRET-0123456789@host").unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(!text.contains("SECRET"), "{text}");
        assert!(text.contains("credentials in the URL"), "{text}");
    }

    #[test]
    fn debug_redacts_the_credential() {
        let c = ClientConfig::new("https://host")
            .unwrap()
            .credential("Authorization", SecretString::new("api-SECRET-0123456789"))
            .api_version("LD-API-Version", "20240415");
        let text = format!("{c:?} {c:#?}");
        assert!(!text.contains("SECRET"), "{text}");
        assert!(text.contains("Authorization: <redacted>"), "{text}");
        assert!(text.contains("20240415"), "{text}");
    }

    #[test]
    fn timeouts_have_sensible_defaults() {
        let t = Timeouts::default();
        assert_eq!(t.connect(), Duration::from_secs(10));
        assert_eq!(t.attempt(), Duration::from_secs(30));
        assert_eq!(t.total(), Duration::from_secs(120));
        let t = t.with_attempt(Duration::from_millis(5));
        assert_eq!(t.attempt(), Duration::from_millis(5));
    }
}
