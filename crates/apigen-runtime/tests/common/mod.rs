//! A small HTTP/1.1 test server on 127.0.0.1 that can misbehave on purpose
//! (reset, close mid-body, stall), plus shared helpers.
//!
//! Every loop here is bounded: connections close after an idle timeout or
//! a maximum number of requests, heads and bodies have size limits, and the
//! accept loop stops after a maximum number of connections. The server task
//! also ends when the test's runtime shuts down.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use apigen_runtime::{ClientConfig, HttpMethod, OperationInfo, RetryPolicy, Timeouts, Transport};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub(crate) const TOKEN: &str = "api-SECRET-0123456789";

pub(crate) static GET_TOKEN: OperationInfo = OperationInfo {
    id: "get-token",
    method: HttpMethod::Get,
    path_template: "/api/v2/tokens/{id}",
};

pub(crate) static PATCH_TOKEN: OperationInfo = OperationInfo {
    id: "patch-token",
    method: HttpMethod::Patch,
    path_template: "/api/v2/tokens/{id}",
};

pub(crate) static LIST_ITEMS: OperationInfo = OperationInfo {
    id: "list-items",
    method: HttpMethod::Get,
    path_template: "/items",
};

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub(crate) struct Recorded {
    /// 0-based index over all requests the server received.
    pub index: usize,
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub at: Instant,
    pub at_system: SystemTime,
}

impl Recorded {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn query_param(&self, name: &str) -> Option<&str> {
        let query = self.target.split_once('?')?.1;
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }
}

/// What the server does with a request.
#[derive(Debug, Clone)]
pub(crate) enum Action {
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Sends the body with chunked transfer encoding (no Content-Length).
    RespondChunked {
        status: u16,
        content_type: String,
        chunk: Vec<u8>,
        chunks: usize,
    },
    /// Resets the connection (RST) without answering.
    Reset,
    /// Sends the head announcing `declared` bytes, then `partial`, then closes.
    CloseMidBody { declared: usize, partial: Vec<u8> },
    /// Sends the head announcing a body, then nothing for `stall`.
    StallAfterHeaders { stall: Duration },
}

impl Action {
    pub(crate) fn json(status: u16, body: &str) -> Self {
        Self::with_type(status, "application/json", body)
    }

    pub(crate) fn with_type(status: u16, content_type: &str, body: &str) -> Self {
        Self::Respond {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }

    pub(crate) fn status_with_headers(status: u16, headers: &[(&str, String)]) -> Self {
        Self::Respond {
            status,
            headers: headers.iter().map(|(n, v)| (n.to_string(), v.clone())).collect(),
            body: Vec::new(),
        }
    }

    /// Adds a header to a `Respond` action.
    pub(crate) fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        if let Self::Respond { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.into()));
        }
        self
    }
}

pub(crate) type Handler = Arc<dyn Fn(&Recorded) -> Action + Send + Sync>;

pub(crate) struct TestServer {
    pub addr: SocketAddr,
    pub log: Arc<Mutex<Vec<Recorded>>>,
}

impl TestServer {
    pub(crate) fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub(crate) fn requests(&self) -> Vec<Recorded> {
        self.log.lock().unwrap().clone()
    }

    pub(crate) fn count(&self) -> usize {
        self.log.lock().unwrap().len()
    }
}

const MAX_CONNECTIONS: usize = 100_000;
const MAX_REQUESTS_PER_CONNECTION: usize = 10_000;
const IDLE_TIMEOUT: Duration = Duration::from_secs(10);
const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 1024 * 1024;

pub(crate) async fn start(handler: impl Fn(&Recorded) -> Action + Send + Sync + 'static) -> TestServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let handler: Handler = Arc::new(handler);
    let task_log = log.clone();
    tokio::spawn(async move {
        for _ in 0..MAX_CONNECTIONS {
            let Ok((stream, _)) = listener.accept().await else {
                break;
            };
            let _ = stream.set_nodelay(true);
            tokio::spawn(serve_connection(stream, handler.clone(), task_log.clone()));
        }
    });
    TestServer { addr, log }
}

/// An address on 127.0.0.1 where nothing listens.
pub(crate) async fn refused_addr() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    addr
}

async fn serve_connection(mut stream: TcpStream, handler: Handler, log: Arc<Mutex<Vec<Recorded>>>) {
    let mut buffer = Vec::with_capacity(4096);
    for _ in 0..MAX_REQUESTS_PER_CONNECTION {
        let Some(request) = read_request(&mut stream, &mut buffer, &log).await else {
            return;
        };
        let close = request
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let action = handler(&request);
        match action {
            Action::Respond { status, headers, body } => {
                let mut head = status_line(status);
                for (name, value) in &headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
                let mut bytes = head.into_bytes();
                bytes.extend_from_slice(&body);
                if stream.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Action::RespondChunked {
                status,
                content_type,
                chunk,
                chunks,
            } => {
                let head = format!(
                    "{}content-type: {content_type}\r\ntransfer-encoding: chunked\r\n\r\n",
                    status_line(status)
                );
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                for _ in 0..chunks {
                    let mut frame = format!("{:x}\r\n", chunk.len()).into_bytes();
                    frame.extend_from_slice(&chunk);
                    frame.extend_from_slice(b"\r\n");
                    if stream.write_all(&frame).await.is_err() {
                        // The client stopped reading, as a capped client should.
                        return;
                    }
                }
                if stream.write_all(b"0\r\n\r\n").await.is_err() {
                    return;
                }
            }
            Action::Reset => {
                let _ = stream.set_zero_linger();
                return;
            }
            Action::CloseMidBody { declared, partial } => {
                let head = format!(
                    "{}content-type: application/json\r\ncontent-length: {declared}\r\n\r\n",
                    status_line(200)
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&partial).await;
                let _ = stream.flush().await;
                let _ = stream.shutdown().await;
                return;
            }
            Action::StallAfterHeaders { stall } => {
                let head = format!(
                    "{}content-type: application/json\r\ncontent-length: 100\r\n\r\n",
                    status_line(200)
                );
                let _ = stream.write_all(head.as_bytes()).await;
                tokio::time::sleep(stall).await;
                return;
            }
        }
        if close {
            return;
        }
    }
}

fn status_line(status: u16) -> String {
    let reason = apigen_runtime::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Unknown");
    format!("HTTP/1.1 {status} {reason}\r\n")
}

async fn read_request(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
    log: &Arc<Mutex<Vec<Recorded>>>,
) -> Option<Recorded> {
    let head_end = loop {
        if let Some(pos) = find(buffer, b"\r\n\r\n") {
            break pos;
        }
        if buffer.len() > MAX_HEAD {
            return None;
        }
        let mut chunk = [0u8; 8192];
        let n = tokio::time::timeout(IDLE_TIMEOUT, stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let at = Instant::now();
    let at_system = SystemTime::now();
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
        .min(MAX_BODY);
    buffer.drain(..head_end + 4);
    while buffer.len() < length {
        let mut chunk = [0u8; 8192];
        let n = tokio::time::timeout(IDLE_TIMEOUT, stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body: Vec<u8> = buffer.drain(..length).collect();
    let mut log = log.lock().unwrap();
    let recorded = Recorded {
        index: log.len(),
        method,
        target,
        headers,
        body,
        at,
        at_system,
    };
    log.push(recorded.clone());
    Some(recorded)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A transport for tests: short timeouts, short backoff, the test token.
pub(crate) fn transport(base_url: &str, policy: RetryPolicy) -> Transport {
    Transport::new(config(base_url, policy)).unwrap()
}

pub(crate) fn config(base_url: &str, policy: RetryPolicy) -> ClientConfig {
    ClientConfig::new(base_url)
        .unwrap()
        .credential("Authorization", TOKEN.into())
        .api_version("LD-API-Version", "20240415")
        .retry(policy)
        // Generous enough for a loaded 2-core CI machine; tests that wait for
        // a timeout stall their server for longer than the attempt timeout.
        .timeouts(Timeouts::new(
            Duration::from_millis(1500),
            Duration::from_millis(1500),
            Duration::from_secs(10),
        ))
}

/// Retries with millisecond backoff so that tests stay fast.
pub(crate) fn fast_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(attempts)
        .with_backoff(Duration::from_millis(5), Duration::from_millis(20))
        .with_rate_limit_jitter(Duration::from_millis(20))
}

pub(crate) fn epoch_ms(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_millis() as u64
}
