//! Static descriptions of API operations.

use std::fmt;

/// The HTTP methods an OpenAPI operation can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
    /// `OPTIONS`
    Options,
    /// `HEAD`
    Head,
    /// `PATCH`
    Patch,
    /// `TRACE`
    Trace,
}

impl HttpMethod {
    /// The method name as sent on the wire, e.g. `"PATCH"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Options => "OPTIONS",
            Self::Head => "HEAD",
            Self::Patch => "PATCH",
            Self::Trace => "TRACE",
        }
    }

    /// Whether sending the request twice has the same effect as sending it
    /// once (RFC 9110 section 9.2.2). Only these methods are retried after a
    /// failure that may have reached the server.
    pub const fn is_idempotent(self) -> bool {
        !matches!(self, Self::Post | Self::Patch)
    }

    /// The equivalent `http::Method`.
    pub fn to_http(self) -> http::Method {
        match self {
            Self::Get => http::Method::GET,
            Self::Put => http::Method::PUT,
            Self::Post => http::Method::POST,
            Self::Delete => http::Method::DELETE,
            Self::Options => http::Method::OPTIONS,
            Self::Head => http::Method::HEAD,
            Self::Patch => http::Method::PATCH,
            Self::Trace => http::Method::TRACE,
        }
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Static description of one operation; generated code declares one
/// `static` per operation and every request and error refers back to it.
#[derive(Debug, PartialEq, Eq)]
pub struct OperationInfo {
    /// The OpenAPI `operationId`, e.g. `patch-token`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path template from the document, e.g. `/api/v2/tokens/{id}`.
    pub path_template: &'static str,
}

impl fmt::Display for OperationInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} {})", self.id, self.method, self.path_template)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_id_method_and_template() {
        let op = OperationInfo {
            id: "patch-token",
            method: HttpMethod::Patch,
            path_template: "/api/v2/tokens/{id}",
        };
        assert_eq!(op.to_string(), "patch-token (PATCH /api/v2/tokens/{id})");
    }

    #[test]
    fn idempotency_follows_rfc_9110() {
        let idempotent = [
            HttpMethod::Get,
            HttpMethod::Head,
            HttpMethod::Put,
            HttpMethod::Delete,
            HttpMethod::Options,
            HttpMethod::Trace,
        ];
        for method in idempotent {
            assert!(method.is_idempotent(), "{method}");
            assert_eq!(method.to_http().as_str(), method.as_str());
        }
        assert!(!HttpMethod::Post.is_idempotent());
        assert!(!HttpMethod::Patch.is_idempotent());
        assert_eq!(HttpMethod::Patch.to_string(), "PATCH");
    }
}
