//! Shared pieces of the benchmarks in `benches/`: a realistic `Token` body,
//! the hand-written types the generated ones are compared with, and the
//! statistics every bench prints.
//!
//! The benches themselves run only through `cargo bench -p apigen-benches`
//! (or `cargo xtask bench`, which runs them and writes `BENCHMARKS.md`);
//! `cargo test` never runs them. Each one measures two candidates
//! alternately in one process and prints `bench:` lines that `cargo xtask
//! bench` reads.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// A `Token` as LaunchDarkly returns it from `PATCH /api/v2/tokens/{id}`:
/// every documented field set, a member summary, two inline-role statements
/// and the usual links (shaped after the examples in the API documentation).
pub const TOKEN_JSON: &str = r#"{"_id":"61f1a5d2e6d1fa0f4a3c0b1e","ownerId":"569f514156e003339cfd3917","memberId":"569f514156e003339cfd3918","_member":{"_links":{"self":{"href":"/api/v2/members/569f514156e003339cfd3918","type":"application/json"}},"_id":"569f514156e003339cfd3918","firstName":"Ariel","lastName":"Flores","role":"admin","email":"ariel@acme.com"},"name":"Example reader token","description":"A reader token used in testing and examples","creationDate":1443652232590,"lastModified":1469326565348,"customRoleIds":["5f2e0f3a8c9b4d1e2f3a4b5c","5f2e0f3a8c9b4d1e2f3a4b5d"],"inlineRole":[{"effect":"allow","resources":["proj/*:env/production:flag/*"],"actions":["updateOn","updateFallthrough","updateTargets"]},{"effect":"deny","notResources":["proj/*:env/test:flag/*"],"actions":["deleteFlag"]}],"role":"reader","token":"1234","serviceToken":false,"_links":{"parent":{"href":"/api/v2","type":"application/json"},"self":{"href":"/api/v2/tokens/61f1a5d2e6d1fa0f4a3c0b1e","type":"application/json"}},"defaultApiVersion":20240415,"lastUsed":1469326565348}"#;

/// The token id the request bench patches.
pub const TOKEN_ID: &str = "61f1a5d2e6d1fa0f4a3c0b1e";

/// What a programmer would write by hand for the same `Token` schema: plain
/// `#[derive]`s, optional fields as `Option` skipped when `None`, and a
/// closed enum for the statement effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandToken {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(rename = "ownerId")]
    pub owner_id: String,
    #[serde(rename = "memberId")]
    pub member_id: String,
    #[serde(rename = "_member", default, skip_serializing_if = "Option::is_none")]
    pub member: Option<HandMemberSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "creationDate")]
    pub creation_date: i64,
    #[serde(rename = "lastModified")]
    pub last_modified: i64,
    #[serde(rename = "customRoleIds", default, skip_serializing_if = "Option::is_none")]
    pub custom_role_ids: Option<Vec<String>>,
    #[serde(rename = "inlineRole", default, skip_serializing_if = "Option::is_none")]
    pub inline_role: Option<Vec<HandStatement>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(rename = "serviceToken", default, skip_serializing_if = "Option::is_none")]
    pub service_token: Option<bool>,
    #[serde(rename = "_links")]
    pub links: BTreeMap<String, HandLink>,
    #[serde(rename = "defaultApiVersion", default, skip_serializing_if = "Option::is_none")]
    pub default_api_version: Option<i64>,
    #[serde(rename = "lastUsed", default, skip_serializing_if = "Option::is_none")]
    pub last_used: Option<i64>,
}

/// Hand-written `MemberSummary`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandMemberSummary {
    #[serde(rename = "_links")]
    pub links: BTreeMap<String, HandLink>,
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(rename = "firstName", default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(rename = "lastName", default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    pub role: String,
    pub email: String,
}

/// Hand-written `Link`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HandLink {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
}

/// Hand-written `Statement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandStatement {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<String>>,
    #[serde(rename = "notResources", default, skip_serializing_if = "Option::is_none")]
    pub not_resources: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<Vec<String>>,
    #[serde(rename = "notActions", default, skip_serializing_if = "Option::is_none")]
    pub not_actions: Option<Vec<String>>,
    pub effect: HandEffect,
}

/// A closed enum, as plain serde code would have it (no unknown values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HandEffect {
    /// `allow`
    Allow,
    /// `deny`
    Deny,
}

/// One JSON Patch operation, as a hand-written client would send it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandPatchOperation {
    pub op: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Median, 99th percentile and mean of a set of samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// The 50th percentile.
    pub median: f64,
    /// The 99th percentile (nearest rank).
    pub p99: f64,
    /// The arithmetic mean.
    pub mean: f64,
    /// How many samples.
    pub count: usize,
}

impl Summary {
    /// Summarises `samples` (any unit); `None` when there are none or one is NaN.
    pub fn of(samples: &[f64]) -> Option<Self> {
        if samples.is_empty() || samples.iter().any(|s| s.is_nan()) {
            return None;
        }
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        Some(Self {
            median: percentile(&sorted, 50.0),
            p99: percentile(&sorted, 99.0),
            mean: sorted.iter().sum::<f64>() / sorted.len() as f64,
            count: sorted.len(),
        })
    }
}

/// Nearest-rank percentile of sorted, non-empty samples (`p` in 0..=100).
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Microseconds in a duration, as a float.
pub fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}

/// Prints one result line for `cargo xtask bench`: `bench: <key> <value>`.
pub fn report(key: &str, value: f64) {
    println!("bench: {key} {value:.4}");
}

/// Reads `NAME` from the environment as a count, falling back to `default`
/// (lets `cargo xtask bench --quick` shorten a run).
pub fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_uses_nearest_rank() {
        let samples: Vec<f64> = (1..=100).map(f64::from).collect();
        let s = Summary::of(&samples).unwrap();
        assert_eq!(s.median, 50.0);
        assert_eq!(s.p99, 99.0);
        assert_eq!(s.mean, 50.5);
        assert_eq!(Summary::of(&[3.0]).unwrap().p99, 3.0);
        assert!(Summary::of(&[]).is_none());
    }

    #[test]
    fn the_sample_token_round_trips_through_the_hand_written_type() {
        let token: HandToken = serde_json::from_str(TOKEN_JSON).unwrap();
        assert_eq!(token.id, TOKEN_ID);
        let again: serde_json::Value = serde_json::to_value(&token).unwrap();
        let original: serde_json::Value = serde_json::from_str(TOKEN_JSON).unwrap();
        assert_eq!(again, original);
    }
}
