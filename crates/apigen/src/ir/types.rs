//! Named types and type references of the IR.

use serde::Serialize;

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
    /// Any JSON value (`serde_json::Value`): the schema does not constrain it.
    Any,
    /// No body.
    Unit,
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
    /// Whether the type is `Eq` as well as `PartialEq` (no floats, no JSON values inside).
    pub eq: bool,
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
        /// Known values in document order as (constant name, value, docs).
        values: Vec<(String, i64)>,
    },
    /// A type alias: the schema adds a name and docs, not structure.
    Alias(TypeRef),
    /// `oneOf`/`anyOf`: tried in order; a shape that matches no variant is kept as JSON.
    Union {
        /// Variants in document order.
        variants: Vec<UnionVariant>,
    },
    /// An enum with one variant per success status of an operation.
    StatusEnum {
        /// (variant name, status, body type, docs).
        variants: Vec<(String, u16, TypeRef, String)>,
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
    /// Documentation.
    pub docs: String,
}

/// A known value of an open string enum.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EnumVariant {
    /// Variant name.
    pub rust_name: String,
    /// The string on the wire.
    pub wire_value: String,
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
}

/// A construct that the generated code does not represent exactly, with what was done instead.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Inexact {
    /// JSON pointer of the construct.
    pub pointer: String,
    /// What was not represented and what was done instead.
    pub message: String,
}
