//! The spec-independent part of the conformance harness.
//!
//! `cargo xtask conformance` generates, for one API, a binary that calls
//! every operation of the generated client against Prism, a mock server
//! that validates each request against the spec and answers from the
//! response schemas. The generated part only knows the operations; this
//! crate knows Prism and keeps the score: which answers pass, which prove
//! nothing because Prism itself cannot answer, and which are failures of
//! the client.

mod prism;
mod report;

pub use prism::{
    first_message, generated_response_broken, only_misread_form_fields, prism_failure, validation_list, violations,
};
pub use report::{Failure, Report, StaticAnswer};

use apigen_runtime::RequestOptions;

/// The credential the harness configures for every security scheme.
pub const TOKEN: &str = "conformance-token";

/// What every file part and binary body the harness sends carries.
pub const FILE_BYTES: &[u8] = b"conformance";

/// Decodes one of the harness's values (JSON chosen by the generator) into
/// the type the client method takes; `what` names the value in the error.
pub fn sample<T: serde::de::DeserializeOwned>(what: &str, json: &str) -> Result<T, String> {
    serde_json::from_str(json)
        .map_err(|error| format!("the harness's value for {what} does not decode into its type: {error}"))
}

/// `options` asking Prism to answer with status `code` (`Prefer: code=NNN`).
pub fn prefer(options: RequestOptions, code: u16) -> RequestOptions {
    options.header("Prefer", format!("code={code}"))
}

/// `options` asking Prism for its static answer (`Prefer: dynamic=false`):
/// the declared example, or a value built from the schema without chance.
pub fn static_answer(options: RequestOptions) -> RequestOptions {
    options.header("Prefer", "dynamic=false")
}

/// The JSON pointer of the response of the operation at `operation` that
/// answers `status`, given the operation's success response keys: the
/// exact code, else its class (`2XX`), else `default`.
pub fn response_pointer(operation: &str, keys: &[&str], status: u16) -> String {
    let code = status.to_string();
    let class = format!("{}XX", status / 100);
    let key = [code.as_str(), class.as_str(), "default"]
        .into_iter()
        .find(|wanted| keys.iter().any(|key| key.eq_ignore_ascii_case(wanted)))
        .unwrap_or(code.as_str());
    format!("{operation}/responses/{key}")
}

/// What an answer was, for a failure line.
pub fn describe<T, E: std::fmt::Display>(outcome: &Result<T, E>) -> String {
    match outcome {
        Ok(_) => "a success".to_owned(),
        Err(error) => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_decode_or_say_which_value_did_not() {
        assert_eq!(sample::<Vec<u8>>("the body", "[1,2]"), Ok(vec![1, 2]));
        let error = sample::<u8>("parameter `id`", "\"x\"").err().unwrap_or_default();
        assert!(
            error.starts_with("the harness's value for parameter `id` does not decode into its type: invalid type"),
            "{error}"
        );
    }

    #[test]
    fn the_response_pointer_names_the_key_that_answered() {
        let op = "#/paths/~1things/get";
        assert_eq!(
            response_pointer(op, &["200", "2XX"], 200),
            "#/paths/~1things/get/responses/200"
        );
        assert_eq!(
            response_pointer(op, &["200", "2XX"], 201),
            "#/paths/~1things/get/responses/2XX"
        );
        assert_eq!(
            response_pointer(op, &["default"], 204),
            "#/paths/~1things/get/responses/default"
        );
        assert_eq!(response_pointer(op, &[], 200), "#/paths/~1things/get/responses/200");
    }

    #[test]
    fn prefer_adds_the_status_to_the_call_options() {
        let options = prefer(RequestOptions::default().api_version("beta"), 404);
        let headers: Vec<(&str, &str)> = options.headers().collect();
        assert_eq!(headers, [("Prefer", "code=404")]);
    }
}
