//! Conformance against Prism (`@stoplight/prism-cli`, pinned in the root
//! `package.json`), a mock server nobody here wrote: it validates every
//! request against the spec and answers `422` with an `sl-violations` header
//! when a request breaks it.
//!
//! Each test starts its own Prism on 127.0.0.1 and a free port, waits until
//! it answers over HTTP (any status means it is up), and kills it by its
//! process id when the test ends, passes or fails.
//!
//! Prism comes from `node_modules/`. When it is missing, the first test that
//! needs it runs `npm ci` (bounded in time) so that the README's
//! `cargo test --workspace` works on a fresh machine with Node.js 20 and
//! npm; when npm is missing or `npm ci` fails, the tests fail and say to run
//! `npm ci`. They never pass without Prism.

use std::fs::File;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use apigen_runtime::{
    ApiRequest, ClientConfig, HttpMethod, OperationInfo, RawResponse, RequestErrorKind, RequestOptions, SecretString,
    Transport, decode_error, decode_json, encode_path_segment,
};
use launchdarkly_api::OperationError;
use launchdarkly_api::errors::PatchTokenError;
use launchdarkly_api::patch::{JsonPatch, TypedPatch};
use launchdarkly_api::types::{PatchFailedErrorRep, Statement, StatementEffect, Token, UnauthorizedErrorRep};
use launchdarkly_api::{Client, DecodePolicy, RetryPolicy, Server};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const TOKEN: &str = "api-0000-prism-conformance-token";
const VIOLATIONS: &str = "sl-violations";
/// What Prism's static mode puts in every string and in a required
/// `int64` without an example (`Number.MIN_SAFE_INTEGER`).
const MOCK_STRING: &str = "string";
const MOCK_INT64: i64 = -9_007_199_254_740_991;

// ---------------------------------------------------------------------------
// Harness: install, start, wait for and stop Prism.
// ---------------------------------------------------------------------------

fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

fn log_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("prism");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Waits for `child` at most `budget`; kills it when the budget runs out.
fn wait_bounded(child: &mut Child, budget: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + budget;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// The Prism executable, installed with `npm ci` first if it is missing.
fn prism_executable() -> PathBuf {
    static INSTALL: Mutex<()> = Mutex::new(());
    let _one_at_a_time = INSTALL.lock().unwrap_or_else(PoisonError::into_inner);
    let root = workspace_root();
    let prism = root.join("node_modules/.bin/prism");
    if prism.is_file() {
        return prism;
    }
    let how = format!(
        "install Node.js 20 with npm, then run `npm ci` in {} (package-lock.json pins @stoplight/prism-cli 5.14.2)",
        root.display()
    );
    match Command::new("npm").arg("--version").stdin(Stdio::null()).output() {
        Ok(output) if output.status.success() => {}
        Ok(output) => panic!(
            "{} is missing and `npm --version` failed ({}); {how}",
            prism.display(),
            output.status
        ),
        Err(error) => panic!(
            "{} is missing and npm could not be run ({error}); {how}",
            prism.display()
        ),
    }
    let log = log_dir().join("npm-ci.log");
    eprintln!(
        "prism: {} is missing; running `npm ci` in {} (log: {})",
        prism.display(),
        root.display(),
        log.display()
    );
    let out = File::create(&log).unwrap();
    let mut child = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&root)
        .stdin(Stdio::null())
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .spawn()
        .unwrap_or_else(|error| panic!("could not start `npm ci` ({error}); {how}"));
    match wait_bounded(&mut child, Duration::from_secs(600)) {
        Some(status) if status.success() => {}
        Some(status) => panic!(
            "`npm ci` failed ({status}), see {}; run `npm ci` in {} by hand",
            log.display(),
            root.display()
        ),
        None => panic!(
            "`npm ci` took more than 10 minutes and was stopped, see {}; run `npm ci` in {} by hand",
            log.display(),
            root.display()
        ),
    }
    assert!(
        prism.is_file(),
        "`npm ci` succeeded but {} is still missing; {how}",
        prism.display()
    );
    prism
}

fn seed_spec() -> PathBuf {
    workspace_root().join("spec/launchdarkly.yaml")
}

fn full_spec() -> PathBuf {
    let path = workspace_root().join("../shared/specs/launchdarkly-full-3.0.3.yaml");
    assert!(
        path.is_file(),
        "{} is missing: the full-spec Prism test needs the shared folder next to the checkout",
        path.display()
    );
    path
}

fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    listener.local_addr().unwrap().port()
}

/// A running Prism, killed by its process id when dropped (also when the
/// test panics).
struct Prism {
    child: Child,
    addr: SocketAddr,
    log: PathBuf,
}

impl Prism {
    /// Starts `prism mock` on `spec` and waits until it answers, at most
    /// `load_budget` per try. A try whose port was taken meanwhile is
    /// repeated on another port (three tries in all).
    async fn start(spec: &Path, load_budget: Duration) -> Prism {
        assert!(spec.is_file(), "{} is missing", spec.display());
        let prism = prism_executable();
        let mut last_error = String::new();
        for _ in 0..3 {
            let port = free_port();
            let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("spec");
            let log = log_dir().join(format!("{stem}-{port}.log"));
            let out = File::create(&log).unwrap();
            let child = Command::new(&prism)
                .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
                .arg(spec)
                .stdin(Stdio::null())
                .stdout(out.try_clone().unwrap())
                .stderr(out)
                .spawn()
                .unwrap_or_else(|error| {
                    panic!(
                        "could not start {} ({error}); is Node.js 20 installed?",
                        prism.display()
                    )
                });
            let mut server = Prism {
                child,
                addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
                log,
            };
            let started = Instant::now();
            match server.wait_until_up(load_budget).await {
                Ok(()) => {
                    eprintln!(
                        "prism: {} up on {} after {:.1} s (pid {}, log {})",
                        spec.display(),
                        server.addr,
                        started.elapsed().as_secs_f64(),
                        server.child.id(),
                        server.log.display()
                    );
                    return server;
                }
                Err(error) => last_error = error,
            }
            if !server.log_text().contains("EADDRINUSE") {
                break;
            }
        }
        panic!("Prism did not come up: {last_error}");
    }

    /// Polls with a plain HTTP request until any status line comes back.
    async fn wait_until_up(&mut self, budget: Duration) -> Result<(), String> {
        let deadline = Instant::now() + budget;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Err(format!("Prism exited ({status}); its log:\n{}", self.log_text()));
            }
            if http_status_line(self.addr).await.is_some() {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!(
            "Prism did not answer on {} within {budget:?}; its log:\n{}",
            self.addr,
            self.log_text()
        ))
    }

    fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        // `Child::kill` sends SIGKILL to exactly this process id.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One `GET /` over a fresh connection; the status line if one came back.
async fn http_status_line(addr: SocketAddr) -> Option<String> {
    let attempt = async {
        let mut stream = TcpStream::connect(addr).await.ok()?;
        let request = format!("GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.ok()?;
        let mut buffer = [0_u8; 64];
        let read = stream.read(&mut buffer).await.ok()?;
        let head = String::from_utf8_lossy(&buffer[..read]).into_owned();
        head.starts_with("HTTP/")
            .then(|| head.lines().next().unwrap_or_default().to_owned())
    };
    tokio::time::timeout(Duration::from_secs(2), attempt)
        .await
        .ok()
        .flatten()
}

// ---------------------------------------------------------------------------
// A relay that alters request bodies on their way to Prism.
// ---------------------------------------------------------------------------

/// What the relay received and what it sent on, per request.
type Seen = Arc<Mutex<Vec<(Vec<u8>, Vec<u8>)>>>;

/// Rewrites a request body.
type Tamper = fn(&[u8]) -> Vec<u8>;

/// A test-only HTTP/1.1 relay on 127.0.0.1 that rewrites each request body
/// with `tamper` before passing it on, and records what it received and
/// sent. The generated client cannot build a body that breaks the seed's
/// schema (that is the point of its types), so this is how a schema-invalid
/// patch reaches Prism through the generated client's own response
/// handling.
struct TamperRelay {
    addr: SocketAddr,
    seen: Seen,
    task: tokio::task::JoinHandle<()>,
}

impl TamperRelay {
    async fn start(upstream: SocketAddr, tamper: Tamper) -> TamperRelay {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        let task = tokio::spawn(async move {
            // Each test sends a handful of requests; the bound is generous.
            for _ in 0..64 {
                let Ok((client, _)) = listener.accept().await else {
                    return;
                };
                let record = Arc::clone(&record);
                tokio::spawn(async move {
                    let relayed = relay_one(client, upstream, tamper, record);
                    let _ = tokio::time::timeout(Duration::from_secs(30), relayed).await;
                });
            }
        });
        TamperRelay { addr, seen, task }
    }

    fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `(received body, sent body)` per relayed request.
    fn seen(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        self.seen.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

impl Drop for TamperRelay {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Relays one request: reads the head and a `Content-Length` body, sends
/// the tampered body upstream with `Connection: close`, and copies the
/// answer back until the upstream closes.
async fn relay_one(mut client: TcpStream, upstream: SocketAddr, tamper: Tamper, record: Seen) -> Option<()> {
    const HEAD_LIMIT: usize = 64 * 1024;
    let mut buffer = Vec::new();
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if buffer.len() > HEAD_LIMIT {
            return None;
        }
        let mut chunk = [0_u8; 4096];
        let read = client.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8(buffer[..head_end].to_vec()).ok()?;
    let mut lines: Vec<&str> = head.trim_end().split("\r\n").collect();
    let length_at = lines
        .iter()
        .position(|line| line.to_ascii_lowercase().starts_with("content-length:"));
    let length: usize = match length_at {
        Some(at) => lines[at].split_once(':')?.1.trim().parse().ok()?,
        None => 0,
    };
    let mut body = buffer[head_end..].to_vec();
    while body.len() < length {
        let mut chunk = vec![0_u8; length - body.len()];
        let read = client.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    let sent = tamper(&body);
    lines.retain(|line| {
        let lower = line.to_ascii_lowercase();
        !lower.starts_with("content-length:") && !lower.starts_with("connection:")
    });
    let mut out = lines.join("\r\n");
    out.push_str(&format!(
        "\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        sent.len()
    ));
    let mut out = out.into_bytes();
    out.extend_from_slice(&sent);
    record.lock().unwrap_or_else(PoisonError::into_inner).push((body, sent));

    let mut server = TcpStream::connect(upstream).await.ok()?;
    server.write_all(&out).await.ok()?;
    let mut answer = Vec::new();
    server.read_to_end(&mut answer).await.ok()?;
    client.write_all(&answer).await.ok()?;
    client.shutdown().await.ok()
}

// ---------------------------------------------------------------------------
// Clients and patches.
// ---------------------------------------------------------------------------

fn client(base_url: String) -> Client {
    let config = Client::config(Server::Custom(base_url), TOKEN)
        .unwrap()
        // Otherwise Prism's 429 would be retried.
        .retry(RetryPolicy::disabled())
        // The project's own tests hold the client to the spec exactly.
        .decode_policy(DecodePolicy::Strict);
    Client::from_config(config).unwrap()
}

/// Realistic token patches, built every way the client offers.
fn realistic_patches() -> Vec<(&'static str, JsonPatch)> {
    let t = Token::paths();
    let current: Token = serde_json::from_value(json!({
        "_id": "61f1a5d2e6d1fa0f4a3c0b1e",
        "ownerId": "5a580a01b4ff89217bdf9dc1",
        "memberId": "5a580a01b4ff89217bdf9dc2",
        "name": "CI token",
        "description": "Used by CI",
        "creationDate": 1_700_000_000_000_i64,
        "lastModified": 1_700_000_100_000_i64,
        "customRoleIds": ["5f0a1b2c3d4e5f6a7b8c9d0e"],
        "role": "reader",
        "_links": {"self": {"href": "/api/v2/tokens/61f1a5d2e6d1fa0f4a3c0b1e", "type": "application/json"}}
    }))
    .unwrap();
    let mut desired = current.clone();
    desired.name = Some("Deploy token".into());
    desired.role = Some("writer".into());
    desired.custom_role_ids = Some(vec![]);
    let diff = TypedPatch::diff(
        &current,
        &desired,
        &launchdarkly_api::patch::DiffOptions::new().guard_with_tests(true),
    )
    .unwrap();
    vec![
        (
            "replace role",
            TypedPatch::<Token>::new().replace(t.role(), "writer").into_patch(),
        ),
        (
            "test-guarded role change plus appended custom role (README example)",
            TypedPatch::<Token>::new()
                .test(t.role(), "reader")
                .replace(t.role(), "writer")
                .add(t.custom_role_ids().append(), "5f0a1b2c3d4e5f6a7b8c9d0e")
                .into_patch(),
        ),
        (
            "rename and describe",
            TypedPatch::<Token>::new()
                .replace(t.name(), "Deploy token")
                .replace(t.description(), "Used by the deploy pipeline")
                .into_patch(),
        ),
        (
            "inline role instead of a base role",
            TypedPatch::<Token>::new()
                .remove(t.role())
                .add(
                    t.inline_role(),
                    vec![Statement {
                        resources: Some(vec!["proj/*:env/production:flag/*".into()]),
                        not_resources: None,
                        actions: Some(vec!["updateOn".into(), "updateFallthrough".into()]),
                        not_actions: None,
                        effect: StatementEffect::Allow,
                    }],
                )
                .into_patch(),
        ),
        (
            "pin the default API version",
            TypedPatch::<Token>::new()
                .replace(t.default_api_version(), 20240415_i64)
                .into_patch(),
        ),
        (
            "untyped builder: remove one custom role, copy name to description",
            JsonPatch::new()
                .remove("/customRoleIds/0")
                .copy_from("/name", "/description"),
        ),
        ("diff with test guards", diff.into_patch()),
        (
            "from JSON text",
            JsonPatch::from_value(json!([{"op": "replace", "path": "/role", "value": "admin"}])).unwrap(),
        ),
    ]
}

fn violations(headers: &apigen_runtime::http::HeaderMap) -> Option<String> {
    headers
        .get(VIOLATIONS)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
}

fn assert_prism_mock_token(token: &Token) {
    assert_eq!(token.id, MOCK_STRING);
    assert_eq!(token.owner_id, MOCK_STRING);
    assert_eq!(token.creation_date, MOCK_INT64);
    assert_eq!(token.role.as_deref(), Some(MOCK_STRING));
    let member = token.member.as_ref().expect("Prism fills `_member`");
    assert_eq!(member.email, MOCK_STRING);
    let statement = &token.inline_role.as_ref().expect("Prism fills `inlineRole`")[0];
    assert_eq!(statement.effect, StatementEffect::Allow);
    assert_eq!(token.links.len(), 2, "{:?}", token.links);
}

// ---------------------------------------------------------------------------
// The seed spec.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn seed_realistic_patches_pass_prism_validation_and_decode_into_token() {
    let prism = Prism::start(&seed_spec(), Duration::from_secs(60)).await;
    let client = client(prism.base_url());
    let patches = realistic_patches();
    let mut violations_seen = 0;
    for (name, patch) in &patches {
        let response = client
            .patch_token("61f1a5d2e6d1fa0f4a3c0b1e")
            .body(patch)
            .await
            .unwrap_or_else(|error| panic!("{name}: {error:?}\nPrism log:\n{}", prism.log_text()));
        if let Some(found) = violations(response.headers()) {
            violations_seen += 1;
            eprintln!("{name}: {VIOLATIONS}: {found}");
        }
        assert_eq!(response.status().as_u16(), 200, "{name}");
        assert_prism_mock_token(&response);
    }
    eprintln!(
        "prism (seed spec): {} realistic patches sent, {violations_seen} with {VIOLATIONS}",
        patches.len()
    );
    assert_eq!(
        violations_seen,
        0,
        "Prism reported violations; its log:\n{}",
        prism.log_text()
    );
}

#[tokio::test]
async fn seed_each_documented_status_decodes_into_its_typed_variant() {
    let prism = Prism::start(&seed_spec(), Duration::from_secs(60)).await;
    let client = client(prism.base_url());
    let patch = TypedPatch::<Token>::new().replace(Token::paths().role(), "writer");

    // `Prefer: code=200` is the success answer chosen explicitly.
    let prefer = |code: u16| RequestOptions::default().header("Prefer", format!("code={code}"));
    let token = client
        .patch_token("tok")
        .body(patch.clone())
        .options(prefer(200))
        .await
        .unwrap();
    assert_eq!(violations(token.headers()), None);
    assert_prism_mock_token(&token);

    let mut checked = Vec::new();
    for code in [400_u16, 401, 403, 404, 409, 422, 429] {
        let error = client
            .patch_token("tok")
            .body(patch.clone())
            .options(prefer(code))
            .await
            .expect_err("Prism answers the preferred error status");
        let meta = error.meta().unwrap_or_else(|| panic!("{code}: no response: {error:?}"));
        assert_eq!(meta.status().as_u16(), code, "{error:?}");
        assert_eq!(meta.attempts(), 1, "{code} must not be retried");
        assert_eq!(violations(meta.headers()), None, "{code}");
        // Every LaunchDarkly error body has `code` and `message`; Prism
        // fills both with its mock string.
        let (variant, code_field, message) = match &error {
            PatchTokenError::BadRequest(e) => ("BadRequest", e.body().code.clone(), e.body().message.clone()),
            PatchTokenError::Unauthorized(e) => ("Unauthorized", e.body().code.clone(), e.body().message.clone()),
            PatchTokenError::Forbidden(e) => ("Forbidden", e.body().code.clone(), e.body().message.clone()),
            PatchTokenError::NotFound(e) => ("NotFound", e.body().code.clone(), e.body().message.clone()),
            PatchTokenError::Conflict(e) => ("Conflict", e.body().code.clone(), e.body().message.clone()),
            PatchTokenError::UnprocessableEntity(e) => {
                ("UnprocessableEntity", e.body().code.clone(), e.body().message.clone())
            }
            PatchTokenError::TooManyRequests(e) => ("TooManyRequests", e.body().code.clone(), e.body().message.clone()),
            other => panic!("{code}: not a documented variant: {other:?}"),
        };
        let expected = match code {
            400 => "BadRequest",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "NotFound",
            409 => "Conflict",
            422 => "UnprocessableEntity",
            429 => "TooManyRequests",
            _ => unreachable!(),
        };
        assert_eq!(variant, expected, "{code}");
        assert_eq!(
            (code_field.as_str(), message.as_str()),
            (MOCK_STRING, MOCK_STRING),
            "{code}"
        );
        checked.push(format!("{code}→{variant}"));
    }
    eprintln!(
        "prism (seed spec): Prefer answers decoded: 200→Token, {}",
        checked.join(", ")
    );
    assert_eq!(client.transport().stats().retries, 0);
}

/// Makes a valid patch invalid on the wire in three ways.
fn drop_path_member(body: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(body)
        .replace("\"path\":", "\"pointer\":")
        .into_bytes()
}

fn unwrap_array(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    text.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .as_bytes()
        .to_vec()
}

fn numeric_op(body: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(body)
        .replace("\"op\":\"replace\"", "\"op\":6902")
        .into_bytes()
}

#[tokio::test]
async fn seed_invalid_patches_are_reported_by_prism_and_surface_as_typed_422() {
    let prism = Prism::start(&seed_spec(), Duration::from_secs(60)).await;
    let patch = TypedPatch::<Token>::new().replace(Token::paths().role(), "writer");
    let sent_by_client = br#"[{"op":"replace","path":"/role","value":"writer"}]"#;

    let cases: [(&str, Tamper, &str); 3] = [
        (
            "operation without `path`",
            drop_path_member,
            "must have required property 'path'",
        ),
        (
            "a lone operation, not an array",
            unwrap_array,
            "Request body must be array",
        ),
        ("numeric `op`", numeric_op, "must be string"),
    ];
    for (name, tamper, expected) in cases {
        let relay = TamperRelay::start(prism.addr, tamper).await;
        let error = client(relay.base_url())
            .patch_token("tok")
            .body(patch.clone())
            .await
            .expect_err("Prism refuses the invalid patch");
        let seen = relay.seen();
        assert_eq!(seen.len(), 1, "{name}");
        assert_eq!(seen[0].0, sent_by_client, "{name}: the client sent a valid patch");
        assert_ne!(seen[0].1, sent_by_client, "{name}: the relay changed it");
        let PatchTokenError::UnprocessableEntity(rejected) = &error else {
            panic!("{name}: expected the typed 422, got {error:?}");
        };
        assert_eq!(rejected.status().as_u16(), 422);
        let found = violations(rejected.meta().headers()).unwrap_or_else(|| panic!("{name}: no {VIOLATIONS}"));
        assert!(found.contains(expected), "{name}: {found}");
        assert_eq!(
            rejected.body(),
            &PatchFailedErrorRep {
                code: MOCK_STRING.into(),
                message: MOCK_STRING.into()
            }
        );
        eprintln!(
            "prism (seed spec): {name}: sent {} → 422 UnprocessableEntity, {VIOLATIONS}: {found}",
            String::from_utf8_lossy(&seen[0].1)
        );
    }

    // The same answer without any relay: raw runtime calls with a
    // schema-invalid body, decoded with the generated error type.
    static PATCH_TOKEN: OperationInfo = OperationInfo {
        id: "patch-token",
        method: HttpMethod::Patch,
        path_template: "/api/v2/tokens/{id}",
    };
    let transport = raw_transport(&prism, true);
    let mut request = ApiRequest::new(&PATCH_TOKEN, format!("/api/v2/tokens/{}", encode_path_segment("tok")));
    request
        .json_body("application/json", &json!({"op": "replace", "path": "/role"}))
        .unwrap();
    let raw = transport.execute(request).await.unwrap();
    assert_eq!(raw.status().as_u16(), 422);
    assert!(
        violations(raw.meta().headers())
            .unwrap()
            .contains("Request body must be array")
    );
    let rejected = decode_error::<PatchFailedErrorRep>(raw).unwrap();
    assert_eq!(rejected.code(), Some(MOCK_STRING));

    // A patch that breaks RFC 6902 (but not the seed's loose schema) never
    // leaves the client: the runtime's JSON Patch refuses to serialise it.
    let relay = TamperRelay::start(prism.addr, |body| body.to_vec()).await;
    let invalid = JsonPatch::from_value(json!([{"op": "frobnicate", "path": "/role"}])).unwrap();
    let error = client(relay.base_url())
        .patch_token("tok")
        .body(invalid)
        .await
        .expect_err("an RFC-invalid patch is refused");
    let PatchTokenError::Request(request_error) = &error else {
        panic!("expected a request error, got {error:?}");
    };
    assert_eq!(request_error.kind(), RequestErrorKind::Encode, "{request_error}");
    assert!(relay.seen().is_empty(), "nothing was sent");
}

// ---------------------------------------------------------------------------
// The full LaunchDarkly spec, through raw runtime calls.
// ---------------------------------------------------------------------------

fn raw_transport(prism: &Prism, with_credential: bool) -> Transport {
    let mut config = ClientConfig::new(&prism.base_url())
        .unwrap()
        .api_version("LD-API-Version", launchdarkly_api::DEFAULT_API_VERSION)
        .retry(RetryPolicy::disabled());
    if with_credential {
        config = config.credential("Authorization", SecretString::new(TOKEN));
    }
    Transport::new(config).unwrap()
}

fn assert_no_violations(what: &str, raw: &RawResponse, status: u16) {
    assert_eq!(violations(raw.meta().headers()), None, "{what}");
    assert_eq!(raw.status().as_u16(), status, "{what}: {raw:?}");
}

#[tokio::test]
async fn full_spec_raw_runtime_calls_pass_prism_validation() {
    static PATCH_TOKEN: OperationInfo = OperationInfo {
        id: "patchToken",
        method: HttpMethod::Patch,
        path_template: "/api/v2/tokens/{id}",
    };
    static GET_TOKEN: OperationInfo = OperationInfo {
        id: "getToken",
        method: HttpMethod::Get,
        path_template: "/api/v2/tokens/{id}",
    };
    static GET_TOKENS: OperationInfo = OperationInfo {
        id: "getTokens",
        method: HttpMethod::Get,
        path_template: "/api/v2/tokens",
    };
    // The full spec takes about 10 s to load on this machine.
    let prism = Prism::start(&full_spec(), Duration::from_secs(120)).await;
    let transport = raw_transport(&prism, true);
    let token_path = format!("/api/v2/tokens/{}", encode_path_segment("61f1a5d2e6d1fa0f4a3c0b1e"));

    // PATCH with every realistic patch: valid against the full spec too, and
    // the full spec's example token decodes into the seed's `Token`.
    let patches = realistic_patches();
    for (name, patch) in &patches {
        let mut request = ApiRequest::new(&PATCH_TOKEN, token_path.clone());
        request.json_body("application/json", patch).unwrap();
        let raw = transport.execute(request).await.unwrap();
        assert_no_violations(name, &raw, 200);
        let token = decode_json::<Token>(raw).unwrap();
        assert_eq!(token.name.as_deref(), Some("Example reader token"), "{name}");
        assert_eq!(token.role.as_deref(), Some("reader"), "{name}");
    }

    let raw = transport
        .execute(ApiRequest::new(&GET_TOKEN, token_path.clone()))
        .await
        .unwrap();
    assert_no_violations("getToken", &raw, 200);
    let token = decode_json::<Value>(raw).unwrap();
    assert_eq!(token["_member"]["email"], "ariel@acme.com");

    let mut request = ApiRequest::new(&GET_TOKENS, "/api/v2/tokens".into());
    request.query("showAll", true);
    request.query("limit", 5);
    request.query("offset", 10);
    let raw = transport.execute(request).await.unwrap();
    assert_no_violations("getTokens", &raw, 200);
    let list = decode_json::<Value>(raw).unwrap();
    assert!(list["items"].is_array(), "{:?}", list.body());

    // The full spec declares `security: ApiKey`, so Prism checks the
    // credential: without it the answer is 401 with a violation.
    let raw = raw_transport(&prism, false)
        .execute(ApiRequest::new(&GET_TOKEN, token_path.clone()))
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 401);
    assert!(
        violations(raw.meta().headers())
            .unwrap()
            .contains("Invalid security scheme")
    );
    decode_error::<UnauthorizedErrorRep>(raw).unwrap();

    // And a schema-invalid body is reported.
    let mut request = ApiRequest::new(&PATCH_TOKEN, token_path);
    request
        .json_body("application/json", &json!({"op": "replace"}))
        .unwrap();
    let raw = transport.execute(request).await.unwrap();
    assert_eq!(raw.status().as_u16(), 422);
    assert!(
        violations(raw.meta().headers())
            .unwrap()
            .contains("Request body must be array")
    );
    eprintln!(
        "prism (full spec): {} patchToken calls, getToken, getTokens: 0 {VIOLATIONS}; \
         missing credential → 401, non-array body → 422",
        patches.len()
    );
}
