//! The intermediate representation: plain data that records every decision
//! the generator makes (names, order, boxing, which runtime pieces are used).
//!
//! The lowering pass (`crate::lower`) builds it from the document in one go;
//! the emitters (`crate::emit`) only turn it into tokens and never look at the
//! spec. All collections are in their final output order.

mod client;
mod features;
mod pagination;
mod types;

use serde::Serialize;

pub use client::{
    ApiKeyLocation, DefaultServer, SecurityScheme, SecuritySchemeKind, Server, ServerUrlPart, ServerVariable,
    ServerVariableEnum,
};
pub use features::{Feature, FeatureGate, FeatureGroup};
pub use pagination::{FieldAccess, FieldPath, FieldStep, PageRule, Pagination};
pub use types::{
    EnumVariant, Field, FormField, FormPart, Inexact, IntEnumValue, Primitive, RuntimeType, SerdeUse, StatusVariant,
    TagValue, TypeDef, TypeKind, TypeRef, UnionVariant,
};

/// A whole API, ready to emit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`, sanitised for rustdoc.
    pub description: Option<String>,
    /// Server presets, the default first.
    pub servers: Vec<Server>,
    /// Which server `Client::new` uses.
    pub default_server: DefaultServer,
    /// Security schemes, each with a `ClientBuilder` setter, in document order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub security_schemes: Vec<SecurityScheme>,
    /// The scheme whose credential `Client::new` and `Client::config` take as
    /// arguments: set when the document defines exactly one scheme.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_shortcut: Option<String>,
    /// An API-version header the client sets by default (from the codegen configuration).
    pub version_header: Option<VersionHeader>,
    /// Cargo features, one per tag (or per group of tags with the same
    /// feature name), sorted by name; `default` enables them all.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<Feature>,
    /// Each set of two or more features that some item is compiled with,
    /// in the order of their feature names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub feature_groups: Vec<FeatureGroup>,
    /// Operations sorted by method name.
    pub operations: Vec<Operation>,
    /// The error enums of the `errors` module, sorted by name: one per
    /// distinct list of documented errors, shared by the operations that
    /// have that list.
    pub error_enums: Vec<ErrorEnum>,
    /// Named types sorted by Rust name: those `operations` reach, and component
    /// schemas lowered on the way that nothing reaches in the end (the base of
    /// a merged `allOf`).
    pub types: Vec<TypeDef>,
    /// Constructs not represented exactly, sorted by pointer.
    pub inexact: Vec<Inexact>,
    /// The spec's own examples for the types above, sorted by pointer; the
    /// example round-trip test is generated from them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
    /// Hand-written Rust examples the crate carries (`examples/NAME.rs`),
    /// from the configuration, sorted by name.
    #[serde(skip)]
    pub crate_examples: Vec<CrateExample>,
}

/// A hand-written example program copied into the generated crate.
#[derive(Debug, Clone, PartialEq)]
pub struct CrateExample {
    /// The file's name without `.rs`, which is the example's name.
    pub name: String,
    /// The program.
    pub text: String,
}

impl Api {
    /// The named type `name`, if the API has one.
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types
            .binary_search_by(|def| def.name.as_str().cmp(name))
            .ok()
            .map(|index| &self.types[index])
    }
}

/// A version header with its default value.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct VersionHeader {
    /// Header name, such as `LD-API-Version`.
    pub header: String,
    /// Default value, such as `20240415`.
    pub default: String,
    /// Value that opts into beta operations, such as `beta`.
    pub beta: Option<String>,
}

/// One operation.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Operation {
    /// `operationId` as written in the spec.
    pub id: String,
    /// JSON pointer of the operation.
    pub pointer: String,
    /// Client method name.
    pub method_name: String,
    /// Request builder type name.
    pub builder_name: String,
    /// Name of the operation's error type: the shared error enum itself when
    /// only this operation uses it, else an alias of it.
    pub error_name: String,
    /// Name of the shared error enum (`Api::error_enums`) the operation's
    /// errors decode into.
    pub error_enum: String,
    /// Name of the `static` operation descriptor.
    pub static_name: String,
    /// Name of the typed mock's expectation builder (the `mock` feature).
    pub mock_name: String,
    /// The `mock::MockServer` method that starts that builder when it is not
    /// `method_name`, which the server has a method of its own of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mock_method: Option<String>,
    /// HTTP method.
    pub method: HttpMethod,
    /// Path template as written, such as `/api/v2/tokens/{id}`.
    pub path_template: String,
    /// The template split into literal text and parameters.
    pub path: Vec<PathPart>,
    /// Parameters in argument order: path parameters in template order,
    /// then the others sorted by wire name.
    pub params: Vec<Param>,
    /// The request body, if any.
    pub body: Option<RequestBody>,
    /// For a JSON Patch body: the resource type the patch applies to (the
    /// type of the success response), which typed patches are checked against.
    pub patch_root: Option<TypeRef>,
    /// Documented success responses, by status.
    pub successes: Vec<SuccessResponse>,
    /// The type a successful call returns.
    pub success_type: SuccessType,
    /// Documented error responses, by status.
    pub errors: Vec<ErrorResponse>,
    /// The `Accept` header sent: the media types the client decodes for
    /// this operation; `None` when no response has a body, or when the
    /// operation takes `Accept` as a header parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accept: Option<String>,
    /// Whether the operation is deprecated.
    pub deprecated: bool,
    /// Whether the operation needs the beta API version.
    pub beta: bool,
    /// Security requirement: alternatives (any one), each the names of the
    /// schemes it needs (all of them). An empty alternative allows anonymous
    /// calls; no alternatives at all means no credential is sent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub security: Vec<Vec<String>>,
    /// Tags, as written.
    pub tags: Vec<String>,
    /// The features that compile the operation: those of its tags.
    #[serde(skip_serializing_if = "FeatureGate::is_always")]
    pub gate: FeatureGate,
    /// How the operation pages, when it is a list operation with a
    /// convention the generator knows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// Why a list-like operation (one with a paging parameter or a list in
    /// its body) has no paginator; reported by `--verbose`.
    #[serde(skip)]
    pub unpaged: Option<String>,
    /// Summary and description, sanitised.
    pub docs: String,
    /// Values for one call, which the conformance harness sends. Left out of
    /// the serialised IR: the conformance run checks them against a mock
    /// server that validates requests, which says more than a snapshot.
    #[serde(skip)]
    pub sample: CallSample,
}

/// Values for one call of an operation through the generated client: every
/// argument of the client method, and the body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallSample {
    /// One value per argument of the client method (the required
    /// parameters, in `Operation::params` order), as JSON that decodes into
    /// the parameter's type.
    pub arguments: Vec<serde_json::Value>,
    /// The body, as JSON that decodes into the body's type; for a multipart
    /// form, an object with a value for each of its required text and JSON
    /// fields (files are sent as fixed bytes, like binary bodies). `None`
    /// when the operation has no body.
    pub body: Option<serde_json::Value>,
    /// Why the call cannot be made at all, when it cannot.
    pub unsupported: Option<String>,
    /// Places whose value was synthesised from the schema rather than taken
    /// from an example or default, each with what was used.
    pub synthesised: Vec<String>,
}

/// HTTP methods OpenAPI can describe.
///
/// The runtime has an enum of the same name, which generated code uses. The
/// generator keeps its own because it does not depend on the runtime (that
/// would build the whole HTTP stack into the generator), and because the IR
/// serialises its methods; the emitter maps each variant to the runtime's.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
}

impl HttpMethod {
    /// The method as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

/// A piece of a path template.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub enum PathPart {
    /// Literal text, sent as is.
    Literal(String),
    /// The path parameter at this index of `Operation::params`.
    Param(usize),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub enum ParamLocation {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie, sent in the `Cookie` header.
    Cookie,
}

/// A path, query, header or cookie parameter.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Param {
    /// Name on the wire.
    pub wire_name: String,
    /// Argument or setter name.
    pub rust_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Whether the caller must give it.
    pub required: bool,
    /// For an optional parameter: the builder method that takes an
    /// `Option` of it (`set_limit`), beside the one named `rust_name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option_setter: Option<String>,
    /// Its type.
    pub ty: TypeRef,
    /// How the value becomes text on the wire.
    pub wire: ParamWire,
    /// Whether the parameter is deprecated.
    pub deprecated: bool,
    /// Documentation.
    pub docs: String,
}

/// How a parameter value (or a property of a form body) becomes text.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub enum ParamWire {
    /// Its `Display` text, as is: a primitive in the location's default
    /// style (path and header `simple`, query `form`), whose expansion is
    /// the bare value.
    Display,
    /// Through the runtime's style encoder (`apigen_runtime::params`).
    Styled(ParamStyle),
}

/// The OpenAPI serialisation of one value: `style`, `explode`,
/// `allowReserved`, or JSON text for `content: application/json`.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct ParamStyle {
    /// The style; for JSON text, the style the text is written in.
    pub style: Style,
    /// `explode`.
    pub explode: bool,
    /// `allowReserved`.
    pub allow_reserved: bool,
    /// The value is sent as its JSON text, one primitive.
    pub json: bool,
}

/// OpenAPI `style` values.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub enum Style {
    /// `simple`.
    Simple,
    /// `label`.
    Label,
    /// `matrix`.
    Matrix,
    /// `form`.
    Form,
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject`.
    DeepObject,
}

/// How one property of an `application/x-www-form-urlencoded` body is sent.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UrlFormField {
    /// The property's name (in the body type's JSON).
    pub wire_name: String,
    /// Its serialisation, from the media type's `encoding` map or the defaults.
    pub style: ParamStyle,
}

/// A request body.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RequestBody {
    /// The media type sent as `Content-Type`.
    pub media_type: String,
    /// How the body is encoded.
    pub encoding: BodyEncoding,
    /// The body's type.
    pub ty: TypeRef,
    /// Whether the body is an argument of the client method (the API
    /// requires one); otherwise it is set through the builder's `body` setter.
    /// An operation with alternative bodies takes each through a setter, so
    /// that a caller sending an alternative need not make up this one.
    pub argument: bool,
    /// Documentation.
    pub docs: String,
    /// Set when the body is a JSON Patch (or one with a comment envelope).
    pub patch: Option<RuntimeType>,
    /// For [`BodyEncoding::UrlForm`]: how each property is sent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub url_form: Vec<UrlFormField>,
    /// The operation's other request media types, each with its own setter;
    /// a body set through one of them is sent instead of this one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<BodyAlternative>,
}

/// Another media type an operation accepts, such as a semantic patch next
/// to a JSON Patch.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BodyAlternative {
    /// Name of the builder method (and field) that sets it, such as `semantic_patch`.
    pub setter: String,
    /// The media type sent as `Content-Type`.
    pub media_type: String,
    /// How the body is encoded.
    pub encoding: BodyEncoding,
    /// The body's type.
    pub ty: TypeRef,
    /// For [`BodyEncoding::UrlForm`]: how each property is sent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub url_form: Vec<UrlFormField>,
    /// Documentation of the setter.
    pub docs: String,
}

/// How a body is put on or read from the wire.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON (`application/json` and `+json` types).
    Json,
    /// Text (`text/*`).
    Text,
    /// Raw bytes.
    Binary,
    /// `multipart/form-data`: the body type is a [`TypeKind::Form`].
    Multipart,
    /// `application/x-www-form-urlencoded`: the body type is a JSON type
    /// whose properties are sent as `name=value` pairs.
    UrlForm,
    /// No body at all.
    Empty,
}

impl BodyEncoding {
    /// JSON or no body: the encodings an error body's type already implies.
    pub fn is_json_or_empty(&self) -> bool {
        matches!(self, BodyEncoding::Json | BodyEncoding::Empty)
    }
}

/// The statuses a documented response answers, in precedence order: an
/// exact code wins over its range, a range over `default`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResponseStatus {
    /// One status code, such as `404`.
    Code(u16),
    /// A class of statuses written `1XX` to `5XX`: its first digit.
    Range(u8),
    /// `default`: the statuses that no code or range lists.
    Default,
}

impl ResponseStatus {
    /// Whether this answers every 2xx status (a `2XX` range, or `default` as a success).
    pub fn is_whole_success_class(self) -> bool {
        matches!(self, ResponseStatus::Range(2) | ResponseStatus::Default)
    }

    /// The status code, when this is one code rather than a range or `default`.
    pub fn code(self) -> Option<u16> {
        match self {
            ResponseStatus::Code(code) => Some(code),
            ResponseStatus::Range(_) | ResponseStatus::Default => None,
        }
    }
}

impl std::fmt::Display for ResponseStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResponseStatus::Code(code) => write!(f, "{code}"),
            ResponseStatus::Range(class) => write!(f, "{class}XX"),
            ResponseStatus::Default => f.write_str("default"),
        }
    }
}

/// A code serialises as a number (as the IR always had it), a range or
/// `default` as the key the document uses.
impl Serialize for ResponseStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ResponseStatus::Code(code) => serializer.serialize_u16(*code),
            other => serializer.collect_str(other),
        }
    }
}

/// A documented success response.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SuccessResponse {
    /// The statuses it answers (as a success, `Default` means any 2xx status).
    pub status: ResponseStatus,
    /// How the body is read.
    pub encoding: BodyEncoding,
    /// The body's type (`Unit` when there is none).
    pub ty: TypeRef,
    /// Documented response headers.
    pub headers: Vec<String>,
    /// Documentation.
    pub docs: String,
}

/// What a successful call returns.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub enum SuccessType {
    /// Every success status has the same body type.
    Single(TypeRef),
    /// Success statuses with different bodies: a generated enum with one variant per status.
    PerStatus {
        /// Name of the generated enum.
        name: String,
    },
}

/// An error enum of the generated `errors` module. Operations whose
/// documented errors are the same (status, variant, body type and encoding,
/// in order) share one: the enum, its trait impls and its docs are compiled
/// once, and each operation names it through its own alias. The operation
/// is still known from every error value (`ResponseMeta::operation`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ErrorEnum {
    /// Rust name.
    pub name: String,
    /// The documented errors, in the operations' precedence order; docs and
    /// headers merged over the operations.
    pub cases: Vec<ErrorResponse>,
    /// Method names of the operations that use it, sorted.
    pub operations: Vec<String>,
    /// The features that compile it: those of its operations.
    #[serde(skip_serializing_if = "FeatureGate::is_always")]
    pub gate: FeatureGate,
}

/// A documented error response.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ErrorResponse {
    /// The statuses it answers (as an error, `Default` means any status
    /// outside 2xx that no code or range lists).
    pub status: ResponseStatus,
    /// Error variant name.
    pub variant: String,
    /// The typed mock's method that answers with this error, such as `respond_not_found`.
    pub respond_method: String,
    /// The body type (`Any` when the spec gives none, `Unit` for no body).
    pub ty: TypeRef,
    /// How the body is read. Left out of the serialised IR for JSON and for
    /// no body, which `ty` already tells apart.
    #[serde(skip_serializing_if = "BodyEncoding::is_json_or_empty")]
    pub encoding: BodyEncoding,
    /// Documented response headers.
    pub headers: Vec<String>,
    /// Documentation.
    pub docs: String,
}

/// An example the spec attaches to a schema, a property, a parameter or a
/// media type, with the generated type it must fit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Example {
    /// JSON pointer of the example value, such as `#/components/schemas/Token/example`.
    pub pointer: String,
    /// The type the example decodes into.
    pub ty: TypeRef,
    /// The value may be `null` (a nullable property or schema): it decodes into `Option<ty>`.
    pub nullable: bool,
    /// The example as compact JSON text.
    pub json: String,
    /// Pointers, relative to the example, of `null` values that the generated
    /// type writes back as absent: optional and nullable fields, where the
    /// schema allows both spellings and `Option` keeps one.
    pub null_may_vanish: Vec<String>,
    /// Why the example contradicts the schema it illustrates (checked against
    /// the spec, not the generated types); such an example is listed with
    /// the reason instead of being tried.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contradiction: Option<String>,
}
