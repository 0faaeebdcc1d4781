//! The score of a conformance run: one outcome per operation, one per
//! documented error status, and the closing figures.

use std::fmt::Display;
use std::process::ExitCode;

use apigen_runtime::ResponseMeta;
use serde_json::Value;

use crate::prism::{first_message, header_blames_request, header_list, only_misread_form_fields, violations};

/// Why an operation whose form fields Prism cannot read back is skipped.
const MISREAD_FORM: &str = "prism: it reads repeated keys of a form as one value and a JSON part as text, \
    so an array sent one key or part per item and an object sent as a JSON part (the OpenAPI defaults) \
    look like single strings to it";

/// A call that ended in an error.
pub struct Failure<'a> {
    /// The answer's status and headers, when there was an answer.
    pub meta: Option<&'a ResponseMeta>,
    /// Prism's `validation` list, when it refused the request as invalid.
    pub invalid: Option<Value>,
    /// Prism's own failure to answer (see [`crate::prism_failure`]).
    pub prism_failure: Option<String>,
    /// The body's form fields Prism cannot read back (see
    /// [`crate::only_misread_form_fields`]).
    pub form_fields: &'a [&'a str],
    /// The answer did not decode into the documented type.
    pub decode: bool,
    /// The client's error.
    pub error: &'a dyn Display,
}

/// The operation's static answer (`Prefer: dynamic=false`: the spec's own
/// example, or a value Prism builds from the schema), decoded strictly and,
/// when that fails, leniently.
pub enum StaticAnswer<'a> {
    /// It decoded strictly.
    Conforms,
    /// Its JSON did not decode strictly: the spec's example (or, where it
    /// gives none, Prism's value built from the schema) contradicts the
    /// schema.
    Deviates {
        /// The JSON pointer of the response that was answered (see
        /// [`crate::response_pointer`]).
        response: &'a str,
        /// Where and why strict decoding failed.
        strict: &'a dyn Display,
        /// What lenient decoding did: `Ok` with the paths of the deviations
        /// it accepted, or `Err` with why it refused.
        lenient: Result<Vec<String>, String>,
    },
    /// It was not a documented answer the client could decode either way;
    /// the dynamic call above says whether the client is at fault.
    Other(String),
}

/// Counts outcomes and prints a line for every failure and skip.
#[derive(Debug, Default)]
pub struct Report {
    operations: u32,
    passed: u32,
    violations: u32,
    decode_failures: u32,
    other_failures: u32,
    skipped: u32,
    statuses: u32,
    statuses_passed: u32,
    static_answers: u32,
    static_conforming: u32,
    static_deviating: u32,
    static_lenient: u32,
    /// The last operation's request was refused, so asking for its error
    /// statuses would prove nothing.
    request_refused: bool,
    lines: Vec<String>,
}

impl Report {
    /// A call that succeeded: it passes unless Prism lists violations.
    pub fn success(&mut self, id: &str, meta: &ResponseMeta) {
        self.request_refused = false;
        let Some(text) = violations(Some(meta)) else {
            self.operations += 1;
            self.passed += 1;
            return;
        };
        if header_blames_request(&text) {
            self.request_refused = true;
            self.fail(id, format!("status {} with violations: {text}", meta.status().as_u16()));
            self.violations += 1;
        } else {
            // Prism lists what its own generated response breaks (it cuts
            // recursive schemas short): the request was valid and the answer
            // decoded, but nothing was proven about the response.
            self.skip(id, &prism_response(&text));
        }
    }

    /// A call that failed: a violation when Prism refused the request, a
    /// skip when Prism could not answer, else a failure of the client.
    pub fn failure(&mut self, id: &str, failure: Failure<'_>) {
        let header = violations(failure.meta);
        self.request_refused = failure.invalid.is_some() || header.as_deref().is_some_and(header_blames_request);
        if let Some(list) = failure.invalid {
            if only_misread_form_fields(&list, failure.form_fields) {
                return self.skip(id, MISREAD_FORM);
            }
            self.violations += 1;
            return self.fail(id, format!("invalid request: {list}"));
        }
        if let Some(text) = header {
            if !header_blames_request(&text) {
                // A strict decode rightly refuses what Prism generated against the spec.
                return self.skip(id, &prism_response(&text));
            }
            if header_list(&text).is_some_and(|list| only_misread_form_fields(&list, failure.form_fields)) {
                return self.skip(id, MISREAD_FORM);
            }
            self.violations += 1;
            return self.fail(id, format!("violations: {text}"));
        }
        if let Some(why) = failure.prism_failure {
            return self.skip(id, &format!("prism: it failed to answer: {why}"));
        }
        if failure.decode {
            self.decode_failures += 1;
            self.fail(id, format!("decode: {}", failure.error));
        } else {
            self.other_failures += 1;
            self.fail(id, failure.error.to_string());
        }
    }

    /// The harness could not build the call (its value did not decode).
    pub fn unusable(&mut self, id: &str, why: &str) {
        self.request_refused = true;
        self.other_failures += 1;
        self.fail(id, why.to_owned());
    }

    /// An operation no client could pass, with the reason.
    pub fn skip(&mut self, id: &str, why: &str) {
        self.operations += 1;
        self.skipped += 1;
        self.line(format!("SKIP {id}: {why}"));
    }

    /// Whether the last operation's request was refused; its error
    /// statuses are then not asked for.
    pub fn request_refused(&self) -> bool {
        self.request_refused
    }

    /// The answer to `Prefer: code=NNN`: it passes when it decoded into the
    /// status's own error variant.
    pub fn status(&mut self, id: &str, code: u16, variant: &str, matched: bool, outcome: &str) {
        self.statuses += 1;
        if matched {
            self.statuses_passed += 1;
        } else {
            self.line(format!(
                "FAIL {id}: `Prefer: code={code}` did not give the `{variant}` error: {outcome}"
            ));
        }
    }

    /// The outcome of the static answer of `id`. A deviation is the spec
    /// contradicting itself, not a failure of the client, so it is listed
    /// and counted apart.
    pub fn static_answer(&mut self, id: &str, answer: StaticAnswer<'_>) {
        self.static_answers += 1;
        match answer {
            StaticAnswer::Conforms => self.static_conforming += 1,
            StaticAnswer::Deviates {
                response,
                strict,
                lenient,
            } => {
                self.static_deviating += 1;
                let lenient = match lenient {
                    Ok(paths) => {
                        self.static_lenient += 1;
                        format!(
                            "lenient decoding accepts it with {} deviation(s): {}",
                            paths.len(),
                            paths.join(", ")
                        )
                    }
                    Err(why) => format!("lenient decoding refuses it too: {why}"),
                };
                self.line(format!(
                    "DEVIATION {id}: the static answer for {response} (its example, or Prism's value from the \
                     schema) contradicts the schema: {strict}; {lenient}"
                ));
            }
            StaticAnswer::Other(what) => self.line(format!("STATIC {id}: {what}")),
        }
    }

    /// Everything that failed: operations and error statuses.
    pub fn failed(&self) -> u32 {
        self.violations + self.decode_failures + self.other_failures + (self.statuses - self.statuses_passed)
    }

    /// The lines printed so far.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// Prints the figures; the exit status fails when anything failed.
    pub fn finish(mut self) -> ExitCode {
        self.line(format!(
            "error statuses: {} of {} decode into their own variant",
            self.statuses_passed, self.statuses
        ));
        self.line(self.static_summary());
        self.line(self.summary());
        if self.failed() == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    }

    /// The closing line, which `cargo xtask conformance` reads.
    pub fn summary(&self) -> String {
        format!(
            "conformance: {} of {} operations passed, {} violations, {} decode failures, {} other failures, {} skipped",
            self.passed, self.operations, self.violations, self.decode_failures, self.other_failures, self.skipped
        )
    }

    /// The line on static answers, which `cargo xtask conformance` reads too.
    pub fn static_summary(&self) -> String {
        format!(
            "static answers: {} of {} decode strictly, {} contradict their schema ({} of them decode leniently)",
            self.static_conforming, self.static_answers, self.static_deviating, self.static_lenient
        )
    }

    fn fail(&mut self, id: &str, what: String) {
        self.operations += 1;
        self.line(format!("FAIL {id}: {what}"));
    }

    fn line(&mut self, line: String) {
        println!("{line}");
        self.lines.push(line);
    }
}

fn prism_response(text: &str) -> String {
    format!("prism: its generated response breaks the spec: {}", first_message(text))
}

#[cfg(test)]
mod tests {
    use apigen_runtime::http::{HeaderMap, HeaderValue, StatusCode};
    use apigen_runtime::{HttpMethod, OperationInfo, RateLimitInfo};
    use serde_json::json;

    use super::*;

    static OPERATION: OperationInfo = OperationInfo {
        id: "op",
        method: HttpMethod::Get,
        path_template: "/x",
    };

    fn meta(violations: Option<&str>) -> ResponseMeta {
        let mut headers = HeaderMap::new();
        if let Some(text) = violations {
            headers.insert(
                "sl-violations",
                HeaderValue::from_str(text).unwrap_or(HeaderValue::from_static("")),
            );
        }
        ResponseMeta::new(&OPERATION, StatusCode::OK, headers, RateLimitInfo::default(), 1)
    }

    fn failure<'a>(
        meta: Option<&'a ResponseMeta>,
        invalid: Option<Value>,
        decode: bool,
        error: &'a dyn Display,
    ) -> Failure<'a> {
        Failure {
            meta,
            invalid,
            prism_failure: None,
            form_fields: &["tags"],
            decode,
            error,
        }
    }

    #[test]
    fn static_answers_that_contradict_their_schema_are_listed_apart_from_failures() {
        let mut report = Report::default();
        report.static_answer("a", StaticAnswer::Conforms);
        let strict = "items[0].tags[1]: invalid type: null, expected a string";
        report.static_answer(
            "b",
            StaticAnswer::Deviates {
                response: "#/paths/~1b/get/responses/200",
                strict: &strict,
                lenient: Ok(vec!["items[0].tags[1]".to_owned()]),
            },
        );
        report.static_answer(
            "c",
            StaticAnswer::Deviates {
                response: "#/paths/~1c/get/responses/default",
                strict: &"missing field `id`",
                lenient: Err("missing field `id`".to_owned()),
            },
        );
        report.static_answer("d", StaticAnswer::Other("status 500".to_owned()));
        assert_eq!(report.failed(), 0);
        assert_eq!(
            report.static_summary(),
            "static answers: 1 of 4 decode strictly, 2 contradict their schema (1 of them decode leniently)"
        );
        assert!(report.lines()[0].starts_with("DEVIATION b: the static answer for #/paths/~1b/get/responses/200"));
        assert!(report.lines()[0].ends_with("lenient decoding accepts it with 1 deviation(s): items[0].tags[1]"));
        assert!(report.lines()[1].ends_with("lenient decoding refuses it too: missing field `id`"));
        assert_eq!(report.lines()[2], "STATIC d: status 500");
    }

    #[test]
    fn each_outcome_is_counted_once_and_printed() {
        let mut report = Report::default();
        report.success("a", &meta(None));
        report.success(
            "b",
            &meta(Some(
                r#"[{"location":["response","body"],"code":"required","message":"m"}]"#,
            )),
        );
        report.success(
            "c",
            &meta(Some(
                r#"[{"location":["request","query","q"],"code":"type","message":"m"}]"#,
            )),
        );
        assert!(report.request_refused());
        report.failure(
            "d",
            failure(
                None,
                Some(json!([{"location":["body","tags"],"code":"type"}])),
                false,
                &"e",
            ),
        );
        report.failure(
            "e",
            failure(
                None,
                Some(json!([{"location":["body","name"],"code":"type"}])),
                false,
                &"e",
            ),
        );
        report.failure("f", failure(None, None, true, &"missing field `x`"));
        report.failure("g", failure(None, None, false, &"connection refused"));
        assert!(!report.request_refused());
        report.unusable("h", "the value does not decode");
        report.status("a", 404, "NotFound", true, "");
        report.status("a", 409, "Conflict", false, "a success");
        assert_eq!(
            report.summary(),
            "conformance: 1 of 8 operations passed, 2 violations, 1 decode failures, 2 other failures, 2 skipped"
        );
        assert_eq!(report.failed(), 6);
        let lines = report.lines().join("\n");
        assert!(
            lines.contains("SKIP b: prism: its generated response breaks the spec: m"),
            "{lines}"
        );
        assert!(lines.contains("SKIP d: prism: it reads repeated keys"), "{lines}");
        assert!(lines.contains("FAIL e: invalid request: "), "{lines}");
        assert!(lines.contains("FAIL f: decode: missing field `x`"), "{lines}");
        assert!(
            lines.contains("FAIL a: `Prefer: code=409` did not give the `Conflict` error: a success"),
            "{lines}"
        );
    }

    #[test]
    fn a_decode_failure_under_a_list_cut_short_is_a_skip() {
        let mut report = Report::default();
        let answer = meta(Some(
            r#"Too many violations! [{"location":["response","body","a"],"code":"required","message":"gone"},{"loc"#,
        ));
        report.failure("a", failure(Some(&answer), None, true, &"missing field"));
        assert_eq!(report.failed(), 0);
        assert!(report.lines()[0].starts_with("SKIP a: prism: its generated response breaks the spec: "));
    }

    #[test]
    fn a_decode_failure_on_prisms_own_bad_response_is_a_skip() {
        let mut report = Report::default();
        let answer = meta(Some(
            r#"Too many violations! [{"location":["response","body","a"],"code":"required","message":"gone"}]"#,
        ));
        report.failure("a", failure(Some(&answer), None, true, &"missing field"));
        assert_eq!(report.failed(), 0);
        assert_eq!(
            report.lines(),
            ["SKIP a: prism: its generated response breaks the spec: gone"]
        );
    }
}
