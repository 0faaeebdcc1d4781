//! Every security scheme on the wire: what each credential looks like, which
//! credentials each operation sends (global, per operation, `security: []`,
//! alternatives, optional), token refresh after a 401, and that no secret
//! appears in printed URLs, errors or `Debug` output.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use apigen_runtime::auth::TokenFuture;
use apigen_runtime::{BuildError, RequestErrorKind, RetryPolicy, SecretString, TokenError};
use security_api::errors::{GetEitherError, GetQueryError};
use security_api::{Client, ClientBuilder, Server, StaticToken, TokenSource};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn builder(base_url: &str) -> ClientBuilder {
    Client::builder(Server::Custom(base_url.to_owned())).configure(|config| config.retry(RetryPolicy::disabled()))
}

/// Answers `{"ok": true}` on every GET.
async fn mock() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    server
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

fn header_of<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn bearer_token_is_sent_as_authorization_bearer() {
    let server = mock().await;
    let client = builder(&server.uri()).bearer_auth("tok-SECRET-1").build().unwrap();
    let response = client.get_bearer().await.unwrap();
    assert!(response.ok);
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/bearer");
    assert_eq!(header_of(&request, "authorization"), Some("Bearer tok-SECRET-1"));
}

#[tokio::test]
async fn basic_auth_is_base64_of_user_colon_password() {
    let server = mock().await;
    let client = builder(&server.uri())
        .basic_auth("Aladdin", "open sesame")
        .build()
        .unwrap();
    client.get_basic().await.unwrap();
    let request = only_request(&server).await;
    // RFC 7617's own example.
    assert_eq!(
        header_of(&request, "authorization"),
        Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
    );
}

#[tokio::test]
async fn query_key_is_sent_and_redacted_in_printed_urls() {
    let server = mock().await;
    let client = builder(&server.uri()).query_key("q-SECRET-123").build().unwrap();
    client.get_query().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("api_key=q-SECRET-123"));
    assert_eq!(header_of(&request, "authorization"), None);

    // A port nobody listens on: the connection error shows the URL, redacted.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let refused = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = builder(&refused).query_key("q-SECRET-123").build().unwrap();
    let GetQueryError::Request(error) = client.get_query().await.unwrap_err() else {
        panic!("expected a request error");
    };
    assert_eq!(error.kind(), RequestErrorKind::Connect);
    assert_eq!(
        error.url(),
        Some(format!("{refused}/query?api_key=<redacted>").as_str())
    );
    let printed = format!("{error} {error:?} {error:#?} {client:?}");
    assert!(printed.contains("api_key=<redacted>"), "{printed}");
    assert!(!printed.contains("SECRET"), "{printed}");
}

#[tokio::test]
async fn cookie_key_is_sent_as_a_cookie() {
    let server = mock().await;
    let client = builder(&server.uri()).cookie_key("c-SECRET-1").build().unwrap();
    client.get_cookie().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header_of(&request, "cookie"), Some("session=c-SECRET-1"));
}

fn everything(base_url: &str) -> ClientBuilder {
    builder(base_url)
        .bearer_auth("b")
        .basic_auth("u", "p")
        .query_key("q")
        .cookie_key("c")
        .header_key("h")
        .oauth(StaticToken::new("o"))
        .oidc(StaticToken::new("i"))
        .digest_auth("Digest username=\"u\"")
}

#[tokio::test]
async fn empty_security_sends_no_credential() {
    let server = mock().await;
    let client = everything(&server.uri()).build().unwrap();
    client.get_public().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), None);
    for name in ["authorization", "cookie", "x-api-key"] {
        assert_eq!(header_of(&request, name), None, "{name}");
    }
}

#[tokio::test]
async fn alternatives_pick_the_first_fully_configured_one() {
    // Both alternatives configured: the first (header key and cookie) wins.
    let server = mock().await;
    everything(&server.uri()).build().unwrap().get_either().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header_of(&request, "x-api-key"), Some("h"));
    assert_eq!(header_of(&request, "cookie"), Some("session=c"));
    assert_eq!(header_of(&request, "authorization"), None);

    // Half of the first alternative is not enough: the second is used.
    let server = mock().await;
    let client = builder(&server.uri())
        .header_key("h")
        .basic_auth("u", "p")
        .build()
        .unwrap();
    client.get_either().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header_of(&request, "x-api-key"), None);
    assert_eq!(header_of(&request, "authorization"), Some("Basic dTpw"));

    // Nothing that satisfies it: refused before sending, naming the schemes.
    let server = mock().await;
    let client = builder(&server.uri()).header_key("h").build().unwrap();
    let GetEitherError::Request(error) = client.get_either().await.unwrap_err() else {
        panic!("expected a request error");
    };
    assert_eq!(error.kind(), RequestErrorKind::MissingCredential);
    assert!(
        error.to_string().contains("`headerKey` and `cookieKey` or `basicAuth`"),
        "{error}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn optional_security_sends_a_configured_credential_and_works_without() {
    let server = mock().await;
    builder(&server.uri()).build().unwrap().get_optional().await.unwrap();
    assert_eq!(header_of(&only_request(&server).await, "x-api-key"), None);

    let server = mock().await;
    builder(&server.uri())
        .header_key("h")
        .build()
        .unwrap()
        .get_optional()
        .await
        .unwrap();
    assert_eq!(header_of(&only_request(&server).await, "x-api-key"), Some("h"));
}

/// Hands out `old` until asked to refresh, then `new`.
struct Rotating {
    calls: Arc<AtomicUsize>,
}

impl TokenSource for Rotating {
    fn token(&self, refresh: bool) -> TokenFuture<'_> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move { Ok(SecretString::new(if refresh { "new" } else { "old" })) })
    }
}

#[tokio::test]
async fn token_source_is_refreshed_once_after_a_401() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/oauth"))
        .and(header("authorization", "Bearer old"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/oauth"))
        .and(header("authorization", "Bearer new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    let calls = Arc::new(AtomicUsize::new(0));
    let client = builder(&server.uri())
        .oauth(Rotating { calls: calls.clone() })
        .build()
        .unwrap();
    assert!(client.get_oauth().await.unwrap().ok);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

/// A token source that cannot produce a token.
struct Broken;

impl TokenSource for Broken {
    fn token(&self, _refresh: bool) -> TokenFuture<'_> {
        Box::pin(async { Err(TokenError::new("the identity provider is unreachable")) })
    }
}

#[tokio::test]
async fn openid_connect_uses_its_token_source() {
    let server = mock().await;
    let client = builder(&server.uri())
        .oidc(StaticToken::new("id-SECRET"))
        .build()
        .unwrap();
    client.get_oidc().await.unwrap();
    assert_eq!(
        header_of(&only_request(&server).await, "authorization"),
        Some("Bearer id-SECRET")
    );

    let server = mock().await;
    let client = builder(&server.uri()).oidc(Broken).build().unwrap();
    let error = client.get_oidc().await.unwrap_err();
    assert!(
        error.to_string().contains("token source of scheme `oidc` failed"),
        "{error}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_invalid_client_identity_is_a_build_error_without_the_pem() {
    let result = builder("http://127.0.0.1:9")
        .cert(b"-----BEGIN PRIVATE KEY-----\nSECRET\n-----END PRIVATE KEY-----\n".to_vec())
        .build();
    let Err(error) = result else {
        panic!("an invalid PEM was accepted");
    };
    assert!(
        matches!(error, BuildError::InvalidIdentity { scheme: "cert", .. }),
        "{error:?}"
    );
    assert!(!format!("{error} {error:?}").contains("SECRET"));
}

#[tokio::test]
async fn debug_output_never_shows_a_credential() {
    let builder = builder("http://127.0.0.1:9")
        .bearer_auth("b-SECRET")
        .basic_auth("u-SECRET", "p-SECRET")
        .query_key("q-SECRET")
        .cookie_key("c-SECRET")
        .header_key("h-SECRET")
        .oauth(StaticToken::new("o-SECRET"))
        .digest_auth("d-SECRET");
    let printed = format!("{builder:?}");
    assert!(printed.contains("Bearer(<redacted>)"), "{printed}");
    let client = builder.build().unwrap();
    let printed = format!("{client:?} {client:#?} {:?}", client.transport().config());
    assert!(!printed.contains("SECRET"), "{printed}");
}
