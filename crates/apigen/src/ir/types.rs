//! Named types and type references of the IR.

use serde::Serialize;

use super::FeatureGate;

/// A reference to a type, as used by a field, a parameter or a body.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// A generated named type.
    Named(String),
    /// A scalar.
    Primitive(Primitive),
    /// `Vec<T>`.
    List(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// A value that may be JSON `null`: `Option<T>`, used where no field
    /// optionality can hold the null: array items and map values.
    Nullable(Box<TypeRef>),
    /// Any JSON value (`serde_json::Value`): the schema does not constrain it.
    Any,
    /// A type of the runtime crate that models a well-known document exactly.
    Runtime(RuntimeType),
    /// No body.
    Unit,
}

/// Runtime types that replace schemas describing a standard document.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuntimeType {
    /// An RFC 6902 JSON Patch (`apigen_runtime::patch::JsonPatch`).
    JsonPatch,
    /// One RFC 6902 operation (`apigen_runtime::patch::PatchOperation`).
    PatchOperation,
    /// `{"comment": ..., "patch": [...]}` (`apigen_runtime::patch::PatchWithComment`).
    PatchWithComment,
}

/// Scalars.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Primitive {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32` (`format: int32`).
    I32,
    /// `i64` (`format: int64`, and integers without a format).
    I64,
    /// `f32` (`format: float`).
    F32,
    /// `f64`.
    F64,
    /// Raw bytes (`format: binary`).
    Bytes,
}

/// A named type.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TypeDef {
    /// Rust name.
    pub name: String,
    /// JSON pointer of the schema it comes from.
    pub pointer: String,
    /// Documentation.
    pub docs: String,
    /// What kind of type.
    pub kind: TypeKind,
    /// Whether the type is `Eq` as well as `PartialEq` (no floats inside).
    pub eq: bool,
    /// The name of the struct of typed JSON Patch paths to the type's
    /// fields, when it has one: it is the resource of a JSON Patch
    /// operation, or nested inside one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paths_name: Option<String>,
    /// Whether the type derives `Default`: a struct or form whose fields
    /// may all be left out.
    pub default: bool,
    /// The features that compile the type: those of every operation that
    /// reaches it.
    #[serde(skip_serializing_if = "FeatureGate::is_always")]
    pub gate: FeatureGate,
    /// Which serde directions the API uses the type in.
    pub serde: SerdeUse,
}

impl TypeDef {
    /// A type as the lowering first builds it. What depends on the whole
    /// graph (`eq`, `paths_name`, `default`, `gate`, `serde`) is decided once
    /// every type exists (`lower::finish`, `lower::patch`, `lower::usage`).
    pub fn new(name: String, pointer: String, docs: String, kind: TypeKind) -> Self {
        TypeDef {
            name,
            pointer,
            docs,
            kind,
            eq: true,
            paths_name: None,
            default: false,
            gate: FeatureGate::default(),
            serde: SerdeUse::default(),
        }
    }
}

/// The serde directions a type is used in. A type derives only those; the
/// generated crate's `full-serde` feature derives the other as well.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct SerdeUse {
    /// Sent: in a parameter, a request body, or a typed JSON Patch value.
    pub serialize: bool,
    /// Received: in a response body.
    pub deserialize: bool,
    /// Whether `Deserialize` is written out field by field rather than
    /// derived: for a struct without flattened fields or a map of undeclared
    /// properties, which is most of them. It reads the same JSON with the
    /// same errors as serde's derive, in a fraction of the code (the runtime's
    /// `fields` module).
    pub by_fields: bool,
}

/// The shape of a named type.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct {
        /// Fields in document order.
        fields: Vec<Field>,
        /// Type of undeclared properties, kept in a flattened map; `None` when
        /// the schema declares none (unknown fields are then ignored).
        additional: Option<TypeRef>,
    },
    /// An open string enum: known values plus a catch-all that keeps the string.
    Enum {
        /// Known values in document order.
        variants: Vec<EnumVariant>,
    },
    /// An open integer enum: a newtype over `i64` with a constant per known value.
    IntEnum {
        /// Known values in document order.
        values: Vec<IntEnumValue>,
    },
    /// A type alias: the schema adds a name and docs, not structure.
    Alias(TypeRef),
    /// `oneOf`/`anyOf`: a shape that matches no variant is kept as JSON.
    ///
    /// Without a tag the variants are tried in order, and the order is
    /// chosen so that no variant accepts everything a later one does. With
    /// one, the tag property picks the variant; variants without tag values
    /// (a string beside tagged objects) are tried in order for values that
    /// are not objects.
    Union {
        /// Variants in trial order.
        variants: Vec<UnionVariant>,
        /// The property whose value picks the variant: `discriminator.propertyName`,
        /// or a property every variant requires and fixes to its own values
        /// (a one-value `enum` or `const`).
        #[serde(skip_serializing_if = "Option::is_none")]
        discriminator: Option<String>,
    },
    /// The fields of a `multipart/form-data` body: a struct that builds the
    /// runtime's `multipart::Form`, not a JSON type.
    Form {
        /// Fields in document order.
        fields: Vec<FormField>,
    },
    /// An enum with one variant per success status of an operation.
    StatusEnum {
        /// One variant per documented success status, in status order.
        variants: Vec<StatusVariant>,
    },
}

/// A struct field.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Field {
    /// Name in JSON.
    pub wire_name: String,
    /// Name in Rust.
    pub rust_name: String,
    /// Type without optionality.
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable` (3.0) or a `null` type (3.1).
    pub nullable: bool,
    /// A field on a cycle of direct containment: stored in a `Box`.
    pub boxed: bool,
    /// `readOnly`, or a LaunchDarkly `_`-prefixed field.
    pub read_only: bool,
    /// Marked `deprecated` in the schema.
    #[serde(skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// The field stands for the `oneOf`/`anyOf` written next to the
    /// properties: its type is a union whose variant's properties sit in the
    /// same JSON object (`#[serde(flatten)]`); `wire_name` is empty.
    #[serde(skip_serializing_if = "is_false")]
    pub flatten: bool,
    /// Documentation.
    pub docs: String,
}

impl Field {
    /// Whether the field has no default value: required and not nullable.
    /// Every other field is an `Option` that is `None` when absent.
    pub fn without_default(&self) -> bool {
        self.required && !self.nullable
    }
}

/// Keeps IR snapshots free of flags that are almost always off.
fn is_false(value: &bool) -> bool {
    !*value
}

/// A field of a multipart form.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FormField {
    /// The part's name.
    pub wire_name: String,
    /// Name in Rust.
    pub rust_name: String,
    /// How the value is sent.
    pub part: FormPart,
    /// Listed in `required`.
    pub required: bool,
    /// The part's `Content-Type` from the media type's `encoding` map, when
    /// it names one specific type other than the default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Documentation.
    pub docs: String,
}

/// How a form field becomes parts.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub enum FormPart {
    /// A file (`format: binary`), sent with a file name and content type.
    File,
    /// Several files under one name (an array of `format: binary`).
    Files,
    /// A scalar sent as its text (`Display`).
    Text(TypeRef),
    /// Several scalars under one name (an array), one part each.
    TextList(TypeRef),
    /// An object or other structured value, sent as JSON.
    Json(TypeRef),
}

/// A known value of an open string enum.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EnumVariant {
    /// Variant name.
    pub rust_name: String,
    /// The string on the wire.
    pub wire_value: String,
}

/// A known value of an open integer enum.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IntEnumValue {
    /// Name of the associated constant.
    pub constant: String,
    /// The integer on the wire.
    pub value: i64,
}

/// A variant of the enum an operation returns when its success statuses
/// have different bodies.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StatusVariant {
    /// Variant name.
    pub rust_name: String,
    /// The statuses it stands for.
    pub status: super::ResponseStatus,
    /// How the body is read.
    pub encoding: super::BodyEncoding,
    /// The body's type (`Unit` when there is none).
    pub ty: TypeRef,
    /// Documentation.
    pub docs: String,
}

/// A variant of a union.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UnionVariant {
    /// Variant name.
    pub rust_name: String,
    /// Its type.
    pub ty: TypeRef,
    /// On a cycle of direct containment: stored in a `Box`.
    pub boxed: bool,
    /// Values of the union's tag property that select this variant.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<TagValue>,
}

/// A value of a union's tag property: a string, or an integer for specs that
/// number their kinds.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(untagged)]
pub enum TagValue {
    /// A string tag (`"f64"`).
    Text(String),
    /// An integer tag (`8`).
    Integer(i64),
}

impl std::fmt::Display for TagValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TagValue::Text(text) => f.write_str(text),
            TagValue::Integer(number) => write!(f, "{number}"),
        }
    }
}

/// A construct that the generated code does not represent exactly, with what was done instead.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Inexact {
    /// JSON pointer of the construct; prefixed with the file it lies in
    /// (`schemas/pet.yaml#/Pet`) when that is not the spec file itself.
    pub pointer: String,
    /// What was not represented and what was done instead.
    pub message: String,
}
