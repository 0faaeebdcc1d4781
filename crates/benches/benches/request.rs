//! Request overhead: the generated `client.patch_token(id).body(patch)` call
//! versus a hand-written reqwest call that sends the same request (same
//! method, URL, headers and body bytes; checked before measuring) to the same
//! local hyper server on 127.0.0.1, which answers every request with a fixed
//! `Token` body. Run with `cargo bench -p apigen-benches --bench request`.
//!
//! The generated client runs with its default configuration (retries and
//! rate-limit pacing on): the server never fails and sends no rate-limit
//! headers, so no retry or pacing wait happens, but their bookkeeping is part
//! of what is measured. The server runs on its own thread and runtime; the
//! clients share one current-thread runtime on the main thread, and each keeps
//! one pooled keep-alive connection.
//!
//! A third candidate, the runtime alone (the same request built as an
//! `ApiRequest` with the body already encoded, sent through the same
//! transport), separates what the runtime costs from what the generated
//! builder adds.
//!
//! Latency: single requests, one of each candidate per iteration, in an
//! order that rotates every iteration. Throughput: blocks of requests with
//! `CONCURRENCY` in flight, rotating the same way; the figure is the median
//! block rate.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use apigen_benches::{HandPatchOperation, HandToken, Summary, TOKEN_ID, TOKEN_JSON, env_count, micros, report};
use apigen_runtime::patch::JsonPatch;
use apigen_runtime::{ApiRequest, HttpMethod, OperationInfo, decode_json};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use launchdarkly_api::types::Token;
use launchdarkly_api::{Client, DEFAULT_API_VERSION, Server, USER_AGENT};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

type Error = Box<dyn std::error::Error + Send + Sync>;

const API_TOKEN: &str = "api-00000000-0000-0000-0000-000000000000";
const CONCURRENCY: usize = 8;

/// One request as the server saw it, for the sameness check.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    method: String,
    uri: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

type Recorder = Arc<Mutex<Vec<Seen>>>;

async fn answer(request: Request<Incoming>, recorder: Recorder) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let body = body.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    if let Ok(mut seen) = recorder.lock() {
        if seen.len() < 2 {
            let mut headers: Vec<(String, String)> = parts
                .headers
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            headers.sort();
            seen.push(Seen {
                method: parts.method.to_string(),
                uri: parts.uri.to_string(),
                headers,
                body: body.to_vec(),
            });
        }
    }
    let mut response = Response::new(Full::new(Bytes::from_static(TOKEN_JSON.as_bytes())));
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    Ok(response)
}

/// Starts the server on its own thread; returns its address, the recorder
/// and the switch that stops it.
fn start_server() -> Result<(SocketAddr, Recorder, oneshot::Sender<()>, std::thread::JoinHandle<()>), Error> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0"))?;
    let addr = listener.local_addr()?;
    let recorder: Recorder = Arc::default();
    let (stop, mut stopped) = oneshot::channel::<()>();
    let rec = recorder.clone();
    let thread = std::thread::spawn(move || {
        runtime.block_on(async move {
            loop {
                tokio::select! {
                    _ = &mut stopped => break,
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { continue };
                        let _ = stream.set_nodelay(true);
                        let rec = rec.clone();
                        tokio::spawn(async move {
                            let service = service_fn(move |req| answer(req, rec.clone()));
                            let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                        });
                    }
                }
            }
        });
    });
    Ok((addr, recorder, stop, thread))
}

/// The generated client's call.
async fn generated_call(client: &Client) -> Result<(), Error> {
    let patch = JsonPatch::new().replace("/role", "writer");
    let token = client.patch_token(TOKEN_ID).body(patch).await?;
    std::hint::black_box(&token.id);
    Ok(())
}

static PATCH_TOKEN: OperationInfo = OperationInfo {
    id: "patch-token",
    method: HttpMethod::Patch,
    path_template: "/api/v2/tokens/{id}",
};

/// The runtime alone: the same request built by hand as an `ApiRequest`
/// with the body already encoded, sent through the generated client's
/// transport and decoded with `decode_json`. The difference to
/// [`generated_call`] is what the generated code and the patch builder add.
async fn runtime_call(client: &Client, body: &Bytes) -> Result<(), Error> {
    let mut request = ApiRequest::new(&PATCH_TOKEN, format!("/api/v2/tokens/{TOKEN_ID}"));
    request.raw_body("application/json", body.clone());
    request.header("Accept", "application/json")?;
    let raw = client.transport().execute(request).await?;
    let token = decode_json::<Token>(raw)?;
    std::hint::black_box(&token.id);
    Ok(())
}

/// What a programmer would write with reqwest for the same call.
struct Hand {
    client: reqwest::Client,
    url: String,
}

impl Hand {
    fn new(base: &str) -> Result<Self, Error> {
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self {
            client,
            url: format!("{base}/api/v2/tokens/{TOKEN_ID}"),
        })
    }

    async fn call(&self) -> Result<(), Error> {
        let patch = vec![HandPatchOperation {
            op: "replace".into(),
            path: "/role".into(),
            value: Some("writer".into()),
        }];
        let response = self
            .client
            .patch(&self.url)
            .header("accept", "application/json")
            .header("ld-api-version", DEFAULT_API_VERSION)
            .header("authorization", API_TOKEN)
            .header("content-type", "application/json")
            .body(serde_json::to_vec(&patch)?)
            .send()
            .await?
            .error_for_status()?;
        let body = response.bytes().await?;
        let token: HandToken = serde_json::from_slice(&body)?;
        std::hint::black_box(&token.id);
        Ok(())
    }
}

async fn timed(f: impl Future<Output = Result<(), Error>>) -> Result<f64, Error> {
    let start = Instant::now();
    f.await?;
    Ok(micros(start.elapsed()))
}

/// Requests per second for `total` requests with `CONCURRENCY` in flight.
async fn block<F, Fut>(total: usize, call: F) -> Result<f64, Error>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<(), Error>>,
{
    let start = Instant::now();
    let mut done = 0;
    while done < total {
        let n = CONCURRENCY.min(total - done);
        let results = futures_join(n, &call).await;
        for result in results {
            result?;
        }
        done += n;
    }
    Ok(total as f64 / start.elapsed().as_secs_f64())
}

/// Runs `n` calls concurrently on the current task.
async fn futures_join<F, Fut>(n: usize, call: &F) -> Vec<Result<(), Error>>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<(), Error>>,
{
    let mut futures: Vec<_> = (0..n).map(|_| Box::pin(call())).collect();
    let mut results: Vec<Option<Result<(), Error>>> = (0..n).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, slot) in futures.iter_mut().zip(results.iter_mut()) {
            if slot.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(result) => *slot = Some(result),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    results.into_iter().map(|r| r.unwrap_or(Ok(()))).collect()
}

fn main() -> Result<(), Error> {
    let iterations = env_count("BENCH_REQUEST_ITERATIONS", 4000);
    let blocks = env_count("BENCH_REQUEST_BLOCKS", 40);
    let block_size = env_count("BENCH_REQUEST_BLOCK_SIZE", 400);

    let (addr, recorder, stop, server) = start_server()?;
    let base = format!("http://{addr}");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let config = Client::config(Server::Custom(base.clone()), API_TOKEN)?;
    let generated = Client::from_config(config)?;
    let hand = Hand::new(&base)?;

    runtime.block_on(async {
        // The two calls must send the same request.
        generated_call(&generated).await?;
        hand.call().await?;
        let seen = recorder.lock().map(|s| s.clone()).unwrap_or_default();
        match &seen[..] {
            [a, b] if a == b => println!(
                "request: both clients send the same request ({} {}, {} headers, {} body bytes)",
                a.method,
                a.uri,
                a.headers.len(),
                a.body.len()
            ),
            [a, b] => return Err(format!("the requests differ:\n generated: {a:?}\n hand:      {b:?}").into()),
            _ => return Err("the server did not see both requests".into()),
        }

        let body = Bytes::from(serde_json::to_vec(&JsonPatch::new().replace("/role", "writer"))?);
        // For profiling one candidate alone (`perf stat`, `strace -c`): only
        // its throughput blocks run, and nothing is compared.
        if let Ok(only) = std::env::var("BENCH_REQUEST_ONLY") {
            for _ in 0..blocks {
                let rate = match only.as_str() {
                    "generated" => block(block_size, || generated_call(&generated)).await?,
                    "runtime" => block(block_size, || runtime_call(&generated, &body)).await?,
                    "hand" => block(block_size, || hand.call()).await?,
                    other => return Err(format!("BENCH_REQUEST_ONLY={other}: use generated, runtime or hand").into()),
                };
                println!("request: {only} {rate:.0}/s");
            }
            return Ok(());
        }
        let warmup = iterations / 10 + 1;
        // Latency: one call of each candidate per iteration; the order
        // rotates so that none always runs first.
        let mut lat: [Vec<f64>; 3] = Default::default();
        for i in 0..warmup + iterations {
            let mut sample = [0.0; 3];
            for k in 0..3 {
                let which = (i + k) % 3;
                sample[which] = match which {
                    0 => timed(generated_call(&generated)).await?,
                    1 => timed(runtime_call(&generated, &body)).await?,
                    _ => timed(hand.call()).await?,
                };
            }
            if i >= warmup {
                for (samples, value) in lat.iter_mut().zip(sample) {
                    samples.push(value);
                }
            }
        }

        let mut rps: [Vec<f64>; 3] = Default::default();
        for b in 0..blocks + 3 {
            let mut sample = [0.0; 3];
            for k in 0..3 {
                let which = (b + k) % 3;
                sample[which] = match which {
                    0 => block(block_size, || generated_call(&generated)).await?,
                    1 => block(block_size, || runtime_call(&generated, &body)).await?,
                    _ => block(block_size, || hand.call()).await?,
                };
            }
            if b >= 3 {
                for (samples, value) in rps.iter_mut().zip(sample) {
                    samples.push(value);
                }
            }
        }

        let (Some(gl), Some(rl), Some(hl), Some(gt), Some(rt), Some(ht)) = (
            Summary::of(&lat[0]),
            Summary::of(&lat[1]),
            Summary::of(&lat[2]),
            Summary::of(&rps[0]),
            Summary::of(&rps[1]),
            Summary::of(&rps[2]),
        ) else {
            return Err("no samples".into());
        };
        let retries = generated.transport().stats();
        println!(
            "request: {iterations} alternating calls per client; throughput in {blocks} alternating blocks of {block_size} with {CONCURRENCY} in flight"
        );
        println!(
            "  latency median: generated {:.1} µs, hand-written {:.1} µs, ratio {:.3}",
            gl.median,
            hl.median,
            gl.median / hl.median
        );
        println!(
            "  latency p99:    generated {:.1} µs, hand-written {:.1} µs, ratio {:.3}",
            gl.p99,
            hl.p99,
            gl.p99 / hl.p99
        );
        println!(
            "  throughput:     generated {:.0}/s, hand-written {:.0}/s, ratio (hand/generated) {:.3}",
            gt.median,
            ht.median,
            ht.median / gt.median
        );
        println!(
            "  runtime alone:  latency median {:.1} µs (ratio {:.3}), p99 {:.1} µs, throughput {:.0}/s (ratio {:.3})",
            rl.median,
            rl.median / hl.median,
            rl.p99,
            rt.median,
            ht.median / rt.median
        );
        println!("  generated client's transport: {retries:?}");
        report("request.latency.median.generated_us", gl.median);
        report("request.latency.median.hand_us", hl.median);
        report("request.latency.median.ratio", gl.median / hl.median);
        report("request.latency.p99.generated_us", gl.p99);
        report("request.latency.p99.hand_us", hl.p99);
        report("request.latency.p99.ratio", gl.p99 / hl.p99);
        report("request.throughput.generated_rps", gt.median);
        report("request.throughput.hand_rps", ht.median);
        report("request.throughput.ratio", ht.median / gt.median);
        report("request.runtime.latency.median_us", rl.median);
        report("request.runtime.latency.median.ratio", rl.median / hl.median);
        report("request.runtime.latency.p99_us", rl.p99);
        report("request.runtime.throughput_rps", rt.median);
        report("request.runtime.throughput.ratio", ht.median / rt.median);
        report("request.iterations", iterations as f64);
        Ok::<(), Error>(())
    })?;

    let _ = stop.send(());
    // The server thread ends once its accept loop sees the stop signal.
    let _ = server.join();
    Ok(())
}
