//! Decode and encode of a realistic `Token` body: the generated type versus
//! plain serde on the hand-written [`HandToken`], measured alternately in
//! one process (`cargo bench -p apigen-benches --bench serde`).
//!
//! Each round times a batch of each candidate back to back, in alternating
//! order; the figure per candidate is the median over rounds of the time per
//! operation, and the ratio is the median of the per-round ratios
//! generated / hand-written.

use std::hint::black_box;
use std::time::Instant;

use apigen_benches::{HandEffect, HandPatchOperation, HandToken, Summary, TOKEN_JSON, env_count, report};
use apigen_runtime::http::{HeaderMap, HeaderValue, StatusCode, header};
use apigen_runtime::patch::JsonPatch;
use apigen_runtime::{DecodePolicy, HttpMethod, OperationInfo, RateLimitInfo, RawResponse, ResponseMeta, bytes::Bytes};
use launchdarkly_api::types::{StatementEffect, Token};

static PATCH_TOKEN: OperationInfo = OperationInfo {
    id: "patch-token",
    method: HttpMethod::Patch,
    path_template: "/api/v2/tokens/{id}",
};

/// Times `batch` calls of `f` and returns nanoseconds per call.
fn per_op(batch: usize, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..batch {
        f();
    }
    start.elapsed().as_secs_f64() * 1e9 / batch as f64
}

/// Times `generated` and `hand` alternately (the order flips every round,
/// after a few warm-up rounds) and prints and reports the medians and the
/// median of the per-round ratios, which cancels slow drifts in machine load.
fn measure(
    name: &str,
    rounds: usize,
    batch: usize,
    mut generated: impl FnMut(),
    mut hand: impl FnMut(),
) -> Result<(), Box<dyn std::error::Error>> {
    let mut g = Vec::with_capacity(rounds);
    let mut h = Vec::with_capacity(rounds);
    let mut ratios = Vec::with_capacity(rounds);
    for round in 0..rounds + 5 {
        let (a, b) = if round % 2 == 0 {
            let a = per_op(batch, &mut generated);
            (a, per_op(batch, &mut hand))
        } else {
            let b = per_op(batch, &mut hand);
            (per_op(batch, &mut generated), b)
        };
        if round >= 5 {
            g.push(a);
            h.push(b);
            ratios.push(a / b);
        }
    }
    let (Some(g), Some(h), Some(ratio)) = (Summary::of(&g), Summary::of(&h), Summary::of(&ratios)) else {
        return Err("no samples".into());
    };
    println!(
        "{name:>15}: generated {:>8.0} ns  hand-written {:>8.0} ns  ratio {:.3}",
        g.median, h.median, ratio.median
    );
    report(&format!("serde.{name}.generated_ns"), g.median);
    report(&format!("serde.{name}.hand_ns"), h.median);
    report(&format!("serde.{name}.ratio"), ratio.median);
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rounds = env_count("BENCH_SERDE_ROUNDS", 400);
    let batch = env_count("BENCH_SERDE_BATCH", 200);
    let bytes = TOKEN_JSON.as_bytes();

    // Both types must decode the body and encode it back to the same JSON.
    let generated: Token = serde_json::from_slice(bytes)?;
    let hand: HandToken = serde_json::from_slice(bytes)?;
    let original: serde_json::Value = serde_json::from_slice(bytes)?;
    if serde_json::to_value(&generated)? != original || serde_json::to_value(&hand)? != original {
        return Err("a type does not round-trip the sample body".into());
    }
    if serde_json::to_vec(&generated)? != serde_json::to_vec(&hand)? {
        return Err("the two types encode different bytes".into());
    }

    // The open enum on its own: a list of effects, mostly known values.
    let effects_json = serde_json::to_vec(
        &(0..64)
            .map(|i| if i % 3 == 0 { "deny" } else { "allow" })
            .collect::<Vec<_>>(),
    )?;
    let effects = effects_json.as_slice();

    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let meta = ResponseMeta::new(&PATCH_TOKEN, StatusCode::OK, headers, RateLimitInfo::default(), 1);
    let body = Bytes::from_static(bytes);
    let raw = || RawResponse::new(meta.clone(), body.clone());

    let decode_runtime_hand = || {
        let raw = black_box(raw());
        black_box(serde_json::from_slice::<HandToken>(black_box(&body)).ok());
        drop(raw);
    };
    println!(
        "serde: {rounds} alternating rounds of {batch} operations per candidate (ratio = median of per-round generated/hand)"
    );
    measure(
        "decode",
        rounds,
        batch,
        || {
            black_box(serde_json::from_slice::<Token>(black_box(bytes)).ok());
        },
        || {
            black_box(serde_json::from_slice::<HandToken>(black_box(bytes)).ok());
        },
    )?;
    // What the generated client runs on a 200 (`decode_json`: content-type
    // and empty-body checks, JSON-path errors), against plain `from_slice`.
    // Cloning the response metadata is part of neither, so the hand-written
    // side clones it too.
    measure(
        "decode_runtime",
        rounds,
        batch,
        || {
            black_box(apigen_runtime::decode_json::<Token>(black_box(raw())).ok());
        },
        decode_runtime_hand,
    )?;
    // The decode policy: a conforming body takes the same single decode
    // under both (the lenient one only differs after a failure), and a
    // body with one deviation costs the lenient repair (a `Value` parse,
    // the repair's trial decodes and a second decode) over the strict
    // decode of a conforming body.
    let strict_meta = meta.clone().with_decode_policy(DecodePolicy::Strict);
    let strict_raw = || RawResponse::new(strict_meta.clone(), body.clone());
    measure(
        "lenient_vs_strict",
        rounds,
        batch,
        || {
            black_box(apigen_runtime::decode_json::<Token>(black_box(raw())).ok());
        },
        || {
            black_box(apigen_runtime::decode_json::<Token>(black_box(strict_raw())).ok());
        },
    )?;
    let mut deviating = original.clone();
    deviating["customRoleIds"] = serde_json::json!(["5f0a1b2c3d4e5f6a7b8c9d0e", null]);
    let deviating = Bytes::from(serde_json::to_vec(&deviating)?);
    if apigen_runtime::decode_json::<Token>(RawResponse::new(meta.clone(), deviating.clone()))?
        .deviations()
        .len()
        != 1
    {
        return Err("the deviating body must decode leniently with one deviation".into());
    }
    measure(
        "lenient_repair",
        rounds,
        batch,
        || {
            black_box(
                apigen_runtime::decode_json::<Token>(black_box(RawResponse::new(meta.clone(), deviating.clone()))).ok(),
            );
        },
        || {
            black_box(apigen_runtime::decode_json::<Token>(black_box(strict_raw())).ok());
        },
    )?;
    measure(
        "decode_enum",
        rounds,
        batch,
        || {
            black_box(serde_json::from_slice::<Vec<StatementEffect>>(black_box(effects)).ok());
        },
        || {
            black_box(serde_json::from_slice::<Vec<HandEffect>>(black_box(effects)).ok());
        },
    )?;
    measure(
        "encode",
        rounds,
        batch,
        || {
            black_box(serde_json::to_vec(black_box(&generated)).ok());
        },
        || {
            black_box(serde_json::to_vec(black_box(&hand)).ok());
        },
    )?;
    // The request body of the token patch: built and serialised.
    measure(
        "encode_patch",
        rounds,
        batch,
        || {
            let patch = JsonPatch::new().replace("/role", "writer");
            black_box(serde_json::to_vec(black_box(&patch)).ok());
        },
        || {
            let patch = vec![HandPatchOperation {
                op: "replace".into(),
                path: "/role".into(),
                value: Some("writer".into()),
            }];
            black_box(serde_json::to_vec(black_box(&patch)).ok());
        },
    )?;
    Ok(())
}
