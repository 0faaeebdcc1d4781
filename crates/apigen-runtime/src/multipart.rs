//! `multipart/form-data` bodies (RFC 7578), for operations that upload files.
//!
//! Generated form types turn themselves into a [`Form`]; [`Form::encode`]
//! gives the `Content-Type` (with its boundary) and the body bytes, which
//! [`crate::ApiRequest::raw_body`] sends. The body is built in memory as
//! [`Bytes`], so a retry resends it without rebuilding anything.

use std::fmt;

use bytes::{BufMut, Bytes, BytesMut};

use crate::error::{RequestError, RequestErrorKind};
use crate::operation::OperationInfo;
use crate::request::ApiRequest;

impl ApiRequest {
    /// Sets a `multipart/form-data` body, with its boundary in the `Content-Type`.
    pub fn multipart_body(&mut self, form: &Form) {
        let (content_type, body) = form.encode();
        self.raw_body(&content_type, body);
    }
}

/// The error of a form whose JSON field did not serialise.
pub fn encode_error(operation: &'static OperationInfo, error: serde_json::Error) -> RequestError {
    RequestError::new(
        operation,
        RequestErrorKind::Encode,
        "a JSON field of the multipart form did not serialise",
    )
    .with_source(error)
}

/// A file to upload: its bytes, and optionally a file name and content type.
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    bytes: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A file with these contents; without [`file_name`](Self::file_name)
    /// it is sent with the form field's name as its file name, because
    /// servers tell a file from a text field by the presence of one.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        Self {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sets the file name sent in `Content-Disposition`.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the part's `Content-Type` (`application/octet-stream` when unset).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file's contents.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }
}

impl fmt::Debug for FilePart {
    // Files can be large or private: the length stands in for the contents.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("len", &self.bytes.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Bytes> for FilePart {
    fn from(bytes: Bytes) -> Self {
        Self::new(bytes)
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        Self::new(bytes)
    }
}

impl From<&'static [u8]> for FilePart {
    fn from(bytes: &'static [u8]) -> Self {
        Self::new(bytes)
    }
}

impl From<String> for FilePart {
    fn from(text: String) -> Self {
        Self::new(text)
    }
}

/// One field of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text {
        name: String,
        value: String,
    },
    Json {
        name: String,
        value: String,
    },
    Typed {
        name: String,
        value: String,
        content_type: String,
    },
    File {
        name: String,
        file: FilePart,
    },
}

/// A `multipart/form-data` body under construction; fields keep their order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    parts: Vec<Part>,
}

impl Form {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field (a scalar's `Display` form).
    pub fn text(&mut self, name: &str, value: impl fmt::Display) -> &mut Self {
        self.parts.push(Part::Text {
            name: name.to_owned(),
            value: value.to_string(),
        });
        self
    }

    /// Adds a text field with its own `Content-Type` (from the operation's
    /// `encoding` map, such as `text/csv`).
    pub fn text_as(&mut self, name: &str, value: impl fmt::Display, content_type: &str) -> &mut Self {
        self.parts.push(Part::Typed {
            name: name.to_owned(),
            value: value.to_string(),
            content_type: content_type.to_owned(),
        });
        self
    }

    /// Adds a file whose content type defaults to `content_type` when the
    /// caller did not set one.
    pub fn file_as(&mut self, name: &str, mut file: FilePart, content_type: &str) -> &mut Self {
        if file.content_type.is_none() {
            file.content_type = Some(content_type.to_owned());
        }
        self.file(name, file)
    }

    /// Adds a field sent as JSON (`Content-Type: application/json`), for
    /// object and array values.
    pub fn json<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<&mut Self, serde_json::Error> {
        self.parts.push(Part::Json {
            name: name.to_owned(),
            value: serde_json::to_string(value)?,
        });
        Ok(self)
    }

    /// Adds a file.
    pub fn file(&mut self, name: &str, file: FilePart) -> &mut Self {
        self.parts.push(Part::File {
            name: name.to_owned(),
            file,
        });
        self
    }

    /// The `Content-Type` header value and the body, with a random boundary
    /// that occurs in no part.
    pub fn encode(&self) -> (String, Bytes) {
        let mut boundary = random_boundary();
        // A 128-bit random boundary practically never occurs in the data;
        // checking makes it certain.
        while self.contains(&boundary) {
            boundary = random_boundary();
        }
        let body = self.encode_with_boundary(&boundary);
        (format!("multipart/form-data; boundary={boundary}"), body)
    }

    fn contains(&self, boundary: &str) -> bool {
        let needle = boundary.as_bytes();
        let found = |haystack: &[u8]| haystack.windows(needle.len()).any(|w| w == needle);
        self.parts.iter().any(|part| match part {
            Part::Text { name, value } | Part::Json { name, value } => {
                found(name.as_bytes()) || found(value.as_bytes())
            }
            Part::Typed {
                name,
                value,
                content_type,
            } => found(name.as_bytes()) || found(value.as_bytes()) || found(content_type.as_bytes()),
            Part::File { name, file } => {
                found(name.as_bytes())
                    || found(&file.bytes)
                    || file.file_name.as_deref().is_some_and(|n| found(n.as_bytes()))
            }
        })
    }

    /// The body with a given boundary (the caller guarantees it occurs in no part).
    pub fn encode_with_boundary(&self, boundary: &str) -> Bytes {
        let mut out = BytesMut::new();
        for part in &self.parts {
            out.put_slice(format!("--{boundary}\r\n").as_bytes());
            match part {
                Part::Text { name, value } => {
                    out.put_slice(disposition(name, None).as_bytes());
                    out.put_slice(b"\r\n");
                    out.put_slice(value.as_bytes());
                }
                Part::Json { name, value } => {
                    out.put_slice(disposition(name, None).as_bytes());
                    out.put_slice(b"Content-Type: application/json\r\n\r\n");
                    out.put_slice(value.as_bytes());
                }
                Part::Typed {
                    name,
                    value,
                    content_type,
                } => {
                    out.put_slice(disposition(name, None).as_bytes());
                    out.put_slice(format!("Content-Type: {}\r\n\r\n", header_safe(content_type)).as_bytes());
                    out.put_slice(value.as_bytes());
                }
                Part::File { name, file } => {
                    let file_name = file.file_name.as_deref().unwrap_or(name);
                    out.put_slice(disposition(name, Some(file_name)).as_bytes());
                    let content_type = file.content_type.as_deref().unwrap_or("application/octet-stream");
                    out.put_slice(format!("Content-Type: {}\r\n\r\n", header_safe(content_type)).as_bytes());
                    out.put_slice(&file.bytes);
                }
            }
            out.put_slice(b"\r\n");
        }
        out.put_slice(format!("--{boundary}--\r\n").as_bytes());
        out.freeze()
    }
}

fn random_boundary() -> String {
    format!("apigen-{:032x}", rand::random::<u128>())
}

/// `Content-Disposition` for a field, ending with CRLF. Quotes and line
/// breaks in names are percent-encoded, as browsers do (RFC 7578 §2).
fn disposition(name: &str, file_name: Option<&str>) -> String {
    let mut line = format!("Content-Disposition: form-data; name=\"{}\"", quoted(name));
    if let Some(file_name) = file_name {
        line.push_str(&format!("; filename=\"{}\"", quoted(file_name)));
    }
    line.push_str("\r\n");
    line
}

fn quoted(text: &str) -> String {
    text.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

/// A content type with line breaks removed, so it cannot end the header early.
fn header_safe(text: &str) -> String {
    text.chars().filter(|c| *c != '\r' && *c != '\n').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_take_the_content_type_of_the_encoding_map() {
        let mut form = Form::new();
        form.text_as("rows", "a,b", "text/csv");
        form.file_as("logo", FilePart::new(&b"PNG"[..]), "image/png");
        form.file_as("own", FilePart::new(&b"x"[..]).content_type("image/gif"), "image/png");
        let body = form.encode_with_boundary("B");
        assert_eq!(
            String::from_utf8_lossy(&body),
            "--B\r\nContent-Disposition: form-data; name=\"rows\"\r\nContent-Type: text/csv\r\n\r\na,b\r\n\
             --B\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"logo\"\r\nContent-Type: image/png\r\n\r\nPNG\r\n\
             --B\r\nContent-Disposition: form-data; name=\"own\"; filename=\"own\"\r\nContent-Type: image/gif\r\n\r\nx\r\n\
             --B--\r\n"
        );
    }

    #[test]
    fn fields_in_order_with_file_names_and_types() {
        let mut form = Form::new();
        form.text("mode", "replace");
        form.text("wait", true);
        form.file(
            "file",
            FilePart::new(b"a,b\n".to_vec())
                .file_name("keys.csv")
                .content_type("text/csv"),
        );
        form.file("other", FilePart::from(&b"x"[..]));
        form.json("meta", &serde_json::json!({"a": 1})).unwrap();
        let body = form.encode_with_boundary("B");
        let expected = "--B\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\nreplace\r\n\
            --B\r\nContent-Disposition: form-data; name=\"wait\"\r\n\r\ntrue\r\n\
            --B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"keys.csv\"\r\nContent-Type: text/csv\r\n\r\na,b\n\r\n\
            --B\r\nContent-Disposition: form-data; name=\"other\"; filename=\"other\"\r\nContent-Type: application/octet-stream\r\n\r\nx\r\n\
            --B\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"a\":1}\r\n\
            --B--\r\n";
        assert_eq!(std::str::from_utf8(&body).unwrap(), expected);
    }

    #[test]
    fn names_cannot_break_out_of_their_quotes_or_headers() {
        let mut form = Form::new();
        form.file(
            "a\"b",
            FilePart::new(Vec::new())
                .file_name("x\r\ny.csv")
                .content_type("text/csv\r\nX-Evil: 1"),
        );
        let body = String::from_utf8(form.encode_with_boundary("B").to_vec()).unwrap();
        assert!(body.contains("name=\"a%22b\"; filename=\"x%0D%0Ay.csv\""), "{body}");
        assert!(body.contains("Content-Type: text/csvX-Evil: 1\r\n"), "{body}");
    }

    #[test]
    fn the_boundary_never_occurs_in_the_data() {
        let mut form = Form::new();
        form.text("a", "b");
        let (content_type, body) = form.encode();
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").unwrap();
        assert!(boundary.starts_with("apigen-") && boundary.len() == 39, "{boundary}");
        let text = std::str::from_utf8(&body).unwrap();
        assert_eq!(text.matches(boundary).count(), 2, "{text}");
        assert!(form.contains("b") && !form.contains(boundary));
    }

    #[test]
    fn debug_shows_the_length_not_the_bytes() {
        let text = format!("{:?}", FilePart::new(b"SECRET".to_vec()));
        assert!(text.contains("len: 6") && !text.contains("SECRET"), "{text}");
    }
}
