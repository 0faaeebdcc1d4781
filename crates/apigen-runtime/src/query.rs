//! Encoding of query strings.

use std::fmt::Write as _;

use percent_encoding::utf8_percent_encode;

use crate::path::COMPONENT;

/// The query pairs of one request, kept in the order the caller added them.
///
/// Names come from the OpenAPI document and values from the caller; both are
/// percent-encoded with the strict unreserved set so that a value can never
/// add a pair (`&`), split a value (`=`, `,`) or end the query (`#`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Query {
    encoded: String,
}

impl Query {
    /// Adds one `name=value` pair.
    pub(crate) fn push(&mut self, name: &str, value: &str) {
        self.start_pair(name);
        self.encoded
            .extend(utf8_percent_encode(value, COMPONENT).map(|s| s as &str));
    }

    /// Adds an array parameter in OpenAPI `form` style: exploded as
    /// `name=a&name=b`, or not exploded as `name=a,b` (the comma stays a
    /// literal delimiter and commas inside values are encoded). An empty list
    /// adds nothing, because `name=` would send one empty value.
    pub(crate) fn push_list(&mut self, name: &str, values: Vec<String>, explode: bool) {
        if values.is_empty() {
            return;
        }
        if explode {
            for value in &values {
                self.push(name, value);
            }
            return;
        }
        self.start_pair(name);
        for (index, value) in values.iter().enumerate() {
            if index > 0 {
                self.encoded.push(',');
            }
            self.encoded
                .extend(utf8_percent_encode(value, COMPONENT).map(|s| s as &str));
        }
    }

    /// Adds a pair whose name and value are already percent-encoded (by
    /// [`crate::params`], which keeps the delimiters of a style literal).
    pub(crate) fn push_encoded(&mut self, name: &str, value: &str) {
        if !self.encoded.is_empty() {
            self.encoded.push('&');
        }
        self.encoded.push_str(name);
        self.encoded.push('=');
        self.encoded.push_str(value);
    }

    fn start_pair(&mut self, name: &str) {
        if !self.encoded.is_empty() {
            self.encoded.push('&');
        }
        let _ = write!(self.encoded, "{}=", utf8_percent_encode(name, COMPONENT));
    }

    /// The encoded query without the leading `?`, empty when there are no pairs.
    pub(crate) fn as_str(&self) -> &str {
        &self.encoded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    #[test]
    fn single_pairs_are_encoded_and_ordered() {
        let mut q = Query::default();
        q.push("limit", "20");
        q.push("filter", "name eq a&b=c#d");
        q.push("é", "ü");
        assert_eq!(q.as_str(), "limit=20&filter=name%20eq%20a%26b%3Dc%23d&%C3%A9=%C3%BC");
    }

    #[test]
    fn exploded_list_repeats_the_name() {
        let mut q = Query::default();
        q.push_list("tag", list(&["a", "b,c", "d e"]), true);
        assert_eq!(q.as_str(), "tag=a&tag=b%2Cc&tag=d%20e");
    }

    #[test]
    fn unexploded_list_joins_with_literal_commas() {
        let mut q = Query::default();
        q.push("x", "1");
        q.push_list("tag", list(&["a", "b,c", "d"]), false);
        assert_eq!(q.as_str(), "x=1&tag=a,b%2Cc,d");
    }

    #[test]
    fn empty_list_adds_nothing() {
        let mut q = Query::default();
        q.push_list("tag", Vec::new(), false);
        q.push_list("tag", Vec::new(), true);
        assert_eq!(q.as_str(), "");
    }
}
