//! Lowering of schemas into named types and type references.
//!
//! Types are created lazily, starting from the operations, so only what is
//! reachable is emitted. Names of component schemas are fixed up front from
//! the sorted list of all components, so choosing a subset of operations
//! never renames a type.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::docs;
use super::resolve::resolve_alias;
use super::shape::{Shape, annotations, shape_of};
use crate::error::{Error, Location, Result, pointer_push};
use crate::ir::{EnumVariant, Field, Inexact, IntEnumValue, Primitive, TypeDef, TypeKind, TypeRef};
use crate::naming::{self, Scope};

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// How deeply schemas may nest while they are lowered, counting each inline
/// schema and each `$ref` followed for the first time. Lowering recurses,
/// and a long enough chain would overflow the stack (a 2 MiB test thread
/// overflowed at about 170 levels in a debug build); real specs stay far
/// below this (the full LaunchDarkly API needs 12).
pub(crate) const MAX_NESTING: usize = 64;

/// Builds named types on demand.
pub(crate) struct TypeBuilder<'a> {
    file: &'a Path,
    components: &'a IndexMap<String, ReferenceOr<Schema>>,
    /// Property names with this prefix are read-only (from the codegen configuration).
    read_only_prefix: Option<&'a str>,
    component_names: BTreeMap<String, String>,
    names: Scope,
    /// The named types built so far, by Rust name.
    pub(crate) defs: BTreeMap<String, TypeDef>,
    lowered: BTreeMap<String, TypeRef>,
    /// Components being lowered as aliases; a reference back into this chain
    /// is a cycle that no Rust type can express.
    alias_chain: Vec<String>,
    pub(crate) inexact: Vec<Inexact>,
    /// Examples met so far, with the types chosen for their places.
    pub(crate) examples: Vec<super::examples::Site>,
    /// Current depth of `reference` and `inline` calls; see [`MAX_NESTING`].
    nesting: usize,
    /// JSON values made up so far for the current conformance sample; see
    /// [`super::sample`]. A cell because sampling only reads the builder.
    pub(crate) sampled_values: std::cell::Cell<usize>,
    /// Types whose schema has no description; their docs say where they are used.
    pub(crate) undescribed: BTreeSet<String>,
}

/// Anything that is either a schema or a reference to one.
pub(crate) trait SchemaOrRef {
    fn as_ref_or(&self) -> ReferenceOr<&Schema>;
}

impl SchemaOrRef for ReferenceOr<Schema> {
    fn as_ref_or(&self) -> ReferenceOr<&Schema> {
        match self {
            ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                reference: reference.clone(),
            },
            ReferenceOr::Item(schema) => ReferenceOr::Item(schema),
        }
    }
}

impl SchemaOrRef for ReferenceOr<Box<Schema>> {
    fn as_ref_or(&self) -> ReferenceOr<&Schema> {
        match self {
            ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                reference: reference.clone(),
            },
            ReferenceOr::Item(schema) => ReferenceOr::Item(schema),
        }
    }
}

impl<'a> TypeBuilder<'a> {
    pub(crate) fn new(
        file: &'a Path,
        components: &'a IndexMap<String, ReferenceOr<Schema>>,
        read_only_prefix: Option<&'a str>,
    ) -> Self {
        let mut names = Scope::default();
        let mut keys: Vec<&String> = components.keys().collect();
        keys.sort();
        let component_names = keys
            .into_iter()
            .map(|key| (key.clone(), names.claim(naming::type_name(key))))
            .collect();
        TypeBuilder {
            file,
            components,
            read_only_prefix,
            component_names,
            names,
            defs: BTreeMap::new(),
            lowered: BTreeMap::new(),
            alias_chain: Vec::new(),
            inexact: Vec::new(),
            examples: Vec::new(),
            nesting: 0,
            sampled_values: std::cell::Cell::new(0),
            undescribed: BTreeSet::new(),
        }
    }

    /// Runs `lower` one nesting level deeper, or fails when that would
    /// exceed [`MAX_NESTING`].
    fn nested<T>(&mut self, pointer: &str, lower: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if self.nesting >= MAX_NESTING {
            return Err(Error::Invalid {
                location: self.location(pointer),
                message: format!("schemas nest more than {MAX_NESTING} levels deep here (inline or through $ref)"),
                hint: "no real API nests this deeply: look for an accidental chain of $refs or of nested schemas and shorten it".into(),
            });
        }
        self.nesting += 1;
        let result = lower(self);
        self.nesting -= 1;
        result
    }

    fn location(&self, pointer: &str) -> Location {
        Location {
            file: self.file.to_path_buf(),
            pointer: pointer.to_owned(),
        }
    }

    /// Claims a fresh type name for something defined inline.
    pub(crate) fn claim_name(&mut self, hint: &str) -> String {
        self.names.claim(naming::type_name(hint))
    }

    /// Records a construct that could not be represented exactly.
    pub(crate) fn inexact(&mut self, pointer: &str, message: impl Into<String>) {
        self.inexact.push(Inexact {
            pointer: pointer.to_owned(),
            message: message.into(),
        });
    }

    /// Resolves a component reference to its key and schema.
    pub(crate) fn resolve(&self, reference: &str, at: &str) -> Result<(String, &'a ReferenceOr<Schema>)> {
        super::refs::lookup(self.file, "schemas", Some(self.components), reference, at)
    }

    /// Follows component references until a schema, for reading its docs or shape.
    pub(crate) fn deref(&self, schema: &'a ReferenceOr<Schema>, at: &str) -> Result<&'a Schema> {
        super::refs::follow(self.file, "schemas", Some(self.components), schema, at)
    }

    /// The schema that `schema` is or finally refers to.
    pub(crate) fn schema_behind<'s>(&self, schema: ReferenceOr<&'s Schema>, at: &str) -> Result<&'s Schema>
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Item(schema) => Ok(schema),
            ReferenceOr::Reference { reference } => {
                let (_, target) = self.resolve(&reference, at)?;
                self.deref(target, at)
            }
        }
    }

    /// The type of an array item or map value. No field optionality can hold
    /// a `null` there, so a schema that admits `null` becomes `Option<T>`.
    pub(crate) fn element_type(&mut self, schema: &impl SchemaOrRef, hint: &str, pointer: &str) -> Result<TypeRef> {
        let ty = self.type_of(schema, hint, pointer)?;
        // `serde_json::Value` holds `null` itself, and an `Option` inside
        // another would read `null` as the outer `None` only.
        if matches!(ty, TypeRef::Any | TypeRef::Nullable(_)) || !self.admits_null(schema.as_ref_or(), pointer)? {
            return Ok(ty);
        }
        Ok(TypeRef::Nullable(Box::new(ty)))
    }

    /// Whether a schema admits `null`: `nullable` on the schema, on an
    /// `allOf` wrapper or on a part that constrains nothing, on the target of
    /// a `$ref` chain, or on the one schema a single-part `allOf` stands for.
    /// A 3.1 `type: [T, "null"]` or a union with a `null` branch already
    /// reads as `nullable` after normalisation.
    pub(crate) fn admits_null(&self, schema: ReferenceOr<&Schema>, pointer: &str) -> Result<bool> {
        let mut current = self.schema_behind(schema, pointer)?;
        // Each step enters one single-part `allOf`; the bound ends a cycle of them.
        for _ in 0..MAX_NESTING {
            if annotations(current).any(|data| data.nullable) {
                return Ok(true);
            }
            let Shape::AllOf {
                parts,
                properties: None,
                ..
            } = shape_of(current)
            else {
                return Ok(false);
            };
            let [(_, only)] = parts.as_slice() else {
                return Ok(false);
            };
            current = self.schema_behind(only.as_ref_or(), pointer)?;
        }
        Ok(false)
    }

    /// The type of a schema or reference; `hint` names a type defined inline.
    pub(crate) fn type_of(&mut self, schema: &impl SchemaOrRef, hint: &str, pointer: &str) -> Result<TypeRef> {
        match schema.as_ref_or() {
            ReferenceOr::Reference { reference } => self.reference(&reference, pointer),
            ReferenceOr::Item(schema) => {
                let ty = self.inline(schema, hint, pointer)?;
                self.note_schema_examples(schema, &ty, pointer);
                Ok(ty)
            }
        }
    }

    fn reference(&mut self, reference: &str, at: &str) -> Result<TypeRef> {
        self.nested(at, |this| this.reference_unguarded(reference, at))
    }

    fn reference_unguarded(&mut self, reference: &str, at: &str) -> Result<TypeRef> {
        let (key, target) = self.resolve(reference, at)?;
        if self.alias_chain.contains(&key) {
            return Err(Error::Invalid {
                location: self.location(at),
                message: format!(
                    "$ref `{reference}` closes a cycle through schemas that are not objects ({} -> {key})",
                    self.alias_chain.join(" -> ")
                ),
                hint: "a cycle must pass through an object schema; make one member an object with a property".into(),
            });
        }
        if let Some(found) = self.lowered.get(&key) {
            return Ok(found.clone());
        }
        let name = self
            .component_names
            .get(&key)
            .cloned()
            .unwrap_or_else(|| naming::type_name(&key));
        let pointer = pointer_push(COMPONENT_PREFIX.trim_end_matches('/'), &key);
        let named = TypeRef::Named(name.clone());
        self.lowered.insert(key.clone(), named.clone());
        if let ReferenceOr::Item(schema) = target {
            self.note_schema_examples(schema, &named, &pointer);
        }
        match target {
            ReferenceOr::Item(schema) if super::patch::recognize(self, schema).is_some() => {
                let runtime = super::patch::recognize(self, schema).map_or(TypeRef::Any, TypeRef::Runtime);
                self.insert(TypeDef::new(
                    name,
                    pointer,
                    schema_docs(schema),
                    TypeKind::Alias(runtime),
                ));
            }
            ReferenceOr::Item(schema) if defines_type(schema) || self.requires_more_than_its_part(schema, &pointer) => {
                self.define(&name, schema, &pointer)?
            }
            _ => {
                self.alias_chain.push(key);
                let aliased = match target {
                    ReferenceOr::Reference { reference } => self.reference(reference, &pointer),
                    ReferenceOr::Item(schema) => self.inline(schema, &name, &pointer),
                };
                self.alias_chain.pop();
                let aliased = aliased?;
                let docs = match target {
                    ReferenceOr::Item(schema) => schema_docs(schema),
                    ReferenceOr::Reference { .. } => String::new(),
                };
                self.insert(TypeDef::new(name, pointer, docs, TypeKind::Alias(aliased)));
            }
        }
        Ok(named)
    }

    pub(crate) fn insert(&mut self, mut def: TypeDef) {
        // A title that only repeats the schema's name documents nothing.
        let component = def
            .pointer
            .strip_prefix(COMPONENT_PREFIX)
            .filter(|key| !key.contains('/'));
        let key = component.map(|key| key.replace("~1", "/").replace("~0", "~"));
        if def.docs.is_empty() || Some(&def.docs) == key.as_ref() || def.docs == def.name {
            // Where the type is used is added once every operation is known.
            def.docs = match key {
                Some(key) => format!("The `{key}` schema."),
                None => format!("The schema defined inline at `{}`.", def.pointer),
            };
            self.undescribed.insert(def.name.clone());
        }
        self.defs.insert(def.name.clone(), def);
    }

    /// Whether `schema` is one `allOf` part plus a `required` list that
    /// names a property the part does not require (DigitalOcean's
    /// `{allOf: [{$ref: CheckUpdatable}], required: [name, method]}`): the
    /// part's type would make those fields optional, or leave them out, so
    /// the schema needs a type of its own.
    fn requires_more_than_its_part(&self, schema: &Schema, pointer: &str) -> bool {
        let Shape::AllOf {
            parts,
            properties: None,
            required,
        } = shape_of(schema)
        else {
            return false;
        };
        let [(_, only)] = parts.as_slice() else {
            return false;
        };
        if required.is_empty() {
            return false;
        }
        let part_required = match self.schema_behind(only.as_ref_or(), pointer).map(shape_of) {
            Ok(Shape::Object { required, .. } | Shape::AllOf { required, .. }) => required,
            _ => &[],
        };
        required.iter().any(|name| !part_required.contains(name))
    }

    fn inline(&mut self, schema: &Schema, hint: &str, pointer: &str) -> Result<TypeRef> {
        self.nested(pointer, |this| this.inline_unguarded(schema, hint, pointer))
    }

    fn inline_unguarded(&mut self, schema: &Schema, hint: &str, pointer: &str) -> Result<TypeRef> {
        if let Some(runtime) = super::patch::recognize(self, schema) {
            return Ok(TypeRef::Runtime(runtime));
        }
        if defines_type(schema) || self.requires_more_than_its_part(schema, pointer) {
            let name = self.claim_name(hint);
            self.define(&name, schema, pointer)?;
            return Ok(TypeRef::Named(name));
        }
        Ok(match shape_of(schema) {
            Shape::Object { additional, .. } => match additional {
                Some(AdditionalProperties::Schema(value)) => {
                    let at = pointer_push(pointer, "additionalProperties");
                    TypeRef::Map(Box::new(self.element_type(
                        value.as_ref(),
                        &format!("{hint}Value"),
                        &at,
                    )?))
                }
                _ => TypeRef::Map(Box::new(TypeRef::Any)),
            },
            Shape::Array(items) => TypeRef::List(Box::new(match items {
                Some(items) => {
                    let at = pointer_push(pointer, "items");
                    self.element_type(items, &format!("{hint}Item"), &at)?
                }
                None => TypeRef::Any,
            })),
            Shape::String { .. } => TypeRef::Primitive(Primitive::String),
            Shape::Integer { format, .. } => TypeRef::Primitive(match format.as_deref() {
                Some("int32") => Primitive::I32,
                _ => Primitive::I64,
            }),
            Shape::Number => TypeRef::Primitive(Primitive::F64),
            Shape::Boolean => TypeRef::Primitive(Primitive::Bool),
            Shape::AllOf { parts, .. } => match parts.as_slice() {
                [(index, only)] => self.type_of(
                    *only,
                    hint,
                    &pointer_push(&pointer_push(pointer, "allOf"), &index.to_string()),
                )?,
                // An empty `allOf` constrains nothing.
                _ => TypeRef::Any,
            },
            Shape::Not => {
                self.inexact(pointer, "`not` is not checked; any JSON value is accepted");
                TypeRef::Any
            }
            Shape::MixedEnum => {
                self.inexact(
                    pointer,
                    "an `enum` mixing value types has no Rust enum; any JSON value is accepted",
                );
                TypeRef::Any
            }
            // Unions always define a type; an untyped schema is any JSON value, exactly.
            Shape::Union { .. } | Shape::Any => TypeRef::Any,
        })
    }

    /// Defines the named type `name` from `schema`, whose shape needs a definition.
    fn define(&mut self, name: &str, schema: &Schema, pointer: &str) -> Result<()> {
        let docs = schema_docs(schema);
        let kind = match shape_of(schema) {
            Shape::Object {
                properties,
                required,
                additional,
            } => {
                let mut fields = self.fields(name, properties, required, pointer)?;
                let additional = self.additional(name, additional, pointer)?;
                if self.add_undeclared_required(&mut fields, required, additional.as_ref(), pointer) {
                    name_fields(&mut fields);
                }
                TypeKind::Struct { fields, additional }
            }
            Shape::AllOf {
                parts,
                properties,
                required,
            } => self.merge(name, &parts, properties, required, pointer)?,
            Shape::Union {
                keyword,
                branches,
                properties,
                required,
            } => self.union(name, schema, keyword, branches, properties, required, pointer)?,
            Shape::String { values, .. } => {
                let mut scope = Scope::with_reserved(&[naming::UNKNOWN_VARIANT]);
                let mut seen = BTreeSet::new();
                let variants = values
                    .into_iter()
                    .flatten()
                    .filter(|value| seen.insert(value.clone()))
                    .map(|value| EnumVariant {
                        rust_name: scope.claim(naming::variant_name(&value)),
                        wire_value: value,
                    })
                    .collect();
                TypeKind::Enum { variants }
            }
            Shape::Integer { values, .. } => {
                let mut scope = Scope::default();
                let mut seen = BTreeSet::new();
                let values = values
                    .into_iter()
                    .flatten()
                    .filter(|value| seen.insert(*value))
                    .map(|value| IntEnumValue {
                        constant: scope.claim(naming::int_enum_constant(value)),
                        value,
                    })
                    .collect();
                TypeKind::IntEnum { values }
            }
            Shape::Array(_) | Shape::Number | Shape::Boolean | Shape::Not | Shape::MixedEnum | Shape::Any => {
                TypeKind::Alias(self.inline(schema, &format!("{name}Inner"), pointer)?)
            }
        };
        self.insert(TypeDef::new(name.to_owned(), pointer.to_owned(), docs, kind));
        Ok(())
    }

    pub(crate) fn fields(
        &mut self,
        owner: &str,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        pointer: &str,
    ) -> Result<Vec<Field>> {
        let wire_names: Vec<&str> = properties.keys().map(String::as_str).collect();
        let rust_names = naming::field_names(&wire_names);
        let properties_pointer = pointer_push(pointer, "properties");
        let mut fields = Vec::with_capacity(properties.len());
        for ((wire, property), rust_name) in properties.iter().zip(rust_names) {
            let at = pointer_push(&properties_pointer, wire);
            let ty = self.type_of(property, &format!("{owner} {wire}"), &at)?;
            // OpenAPI 3.0 ignores siblings of `$ref`; the target's own
            // `nullable` still admits `null` here, and so does a nullable
            // part of an `allOf` whose other parts only annotate.
            let nullable = self.admits_null(property.as_ref_or(), &at)?;
            let (read_only, deprecated, docs, facts) = match property {
                ReferenceOr::Item(schema) => (
                    annotations(schema).any(|data| data.read_only),
                    annotations(schema).any(|data| data.deprecated),
                    schema_docs(schema),
                    super::docs::facts(schema),
                ),
                ReferenceOr::Reference { .. } => {
                    let target = self.schema_behind(property.as_ref_or(), &at)?;
                    (false, false, schema_docs(target), super::docs::facts(target))
                }
            };
            let docs = match (docs.is_empty(), facts) {
                (false, _) => docs,
                (true, Some(facts)) => super::docs::sanitize(&format!("The `{wire}` property: {facts}.")),
                (true, None) => format!("The `{wire}` property."),
            };
            fields.push(Field {
                wire_name: wire.clone(),
                rust_name,
                ty,
                required: required.contains(wire),
                nullable,
                boxed: false,
                read_only: read_only || self.read_only_prefix.is_some_and(|prefix| wire.starts_with(prefix)),
                deprecated,
                flatten: false,
                docs,
            });
        }
        Ok(fields)
    }

    fn additional(
        &mut self,
        owner: &str,
        additional: Option<&AdditionalProperties>,
        pointer: &str,
    ) -> Result<Option<TypeRef>> {
        Ok(match additional {
            Some(AdditionalProperties::Schema(value)) => Some(self.element_type(
                value.as_ref(),
                &format!("{owner}Value"),
                &pointer_push(pointer, "additionalProperties"),
            )?),
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Any),
            Some(AdditionalProperties::Any(false)) | None => None,
        })
    }

    /// Merges `allOf` parts into one struct.
    fn merge(
        &mut self,
        name: &str,
        parts: &[(usize, &ReferenceOr<Schema>)],
        own: Option<&IndexMap<String, ReferenceOr<Box<Schema>>>>,
        own_required: &[String],
        pointer: &str,
    ) -> Result<TypeKind> {
        let mut fields: Vec<Field> = Vec::new();
        let mut additional = None;
        let mut required: BTreeSet<String> = own_required.iter().cloned().collect();
        let all_of = pointer_push(pointer, "allOf");
        for &(index, part) in parts {
            let at = pointer_push(&all_of, &index.to_string());
            let (part_fields, part_additional) = match part {
                ReferenceOr::Reference { reference } => {
                    let ty = self.reference(reference, &at)?;
                    match self.struct_parts(&ty) {
                        Some(found) => found,
                        None => {
                            self.inexact(
                                &at,
                                format!("allOf part `{reference}` is not an object; its constraints are not merged"),
                            );
                            continue;
                        }
                    }
                }
                ReferenceOr::Item(schema) => match shape_of(schema) {
                    Shape::Object {
                        properties,
                        required: part_required,
                        additional,
                    } => {
                        required.extend(part_required.iter().cloned());
                        (
                            self.fields(name, properties, &[], &at)?,
                            self.additional(name, additional, &at)?,
                        )
                    }
                    _ => {
                        let ty = self.inline(schema, &format!("{name}Part{index}"), &at)?;
                        match self.struct_parts(&ty) {
                            Some(found) => found,
                            None => {
                                self.inexact(&at, "allOf part is not an object; its constraints are not merged");
                                continue;
                            }
                        }
                    }
                },
            };
            for field in part_fields {
                self.add_field(&mut fields, field, &at);
            }
            match (&additional, part_additional) {
                (Some(kept), Some(other)) if *kept != other => self.inexact(
                    &at,
                    format!("allOf parts disagree on additionalProperties ({kept:?} vs {other:?}); the first is kept"),
                ),
                (None, Some(other)) => additional = Some(other),
                _ => {}
            }
        }
        if let Some(own) = own {
            for field in self.fields(name, own, &[], pointer)? {
                self.add_field(&mut fields, field, pointer);
            }
        }
        for field in &mut fields {
            field.required |= required.contains(&field.wire_name);
        }
        let required: Vec<String> = required.into_iter().collect();
        self.add_undeclared_required(&mut fields, &required, additional.as_ref(), pointer);
        name_fields(&mut fields);
        Ok(TypeKind::Struct { fields, additional })
    }

    /// Adds a field for each property that `required` names but no
    /// `properties` entry describes, so that a request can send it (JSON
    /// Schema allows any value there). The field is optional: documents
    /// list names there that their servers never send (a misspelt
    /// property), and a response without one must still decode; that
    /// difference is listed. Properties kept by `additionalProperties`
    /// already have a place (the flattened map). Returns whether it added
    /// any; the new fields still need their Rust names.
    fn add_undeclared_required(
        &mut self,
        fields: &mut Vec<Field>,
        required: &[String],
        additional: Option<&TypeRef>,
        pointer: &str,
    ) -> bool {
        if additional.is_some() {
            return false;
        }
        let mut added = false;
        for wire in required {
            if fields.iter().any(|field| &field.wire_name == wire) {
                continue;
            }
            self.inexact(
                &pointer_push(pointer, "required"),
                format!(
                    "required property `{wire}` is not described: its field is an optional JSON value, so a \
                     response without it still decodes; requests should set it"
                ),
            );
            fields.push(Field {
                wire_name: wire.clone(),
                rust_name: String::new(),
                ty: TypeRef::Any,
                required: false,
                nullable: false,
                boxed: false,
                read_only: false,
                deprecated: false,
                flatten: false,
                docs: format!(
                    "The `{wire}` property, which the schema requires without describing it: any JSON value."
                ),
            });
            added = true;
        }
        added
    }

    fn add_field(&mut self, fields: &mut Vec<Field>, field: Field, at: &str) {
        match fields.iter_mut().find(|existing| existing.wire_name == field.wire_name) {
            Some(existing) if existing.ty == field.ty => {
                existing.required |= field.required;
                existing.nullable |= field.nullable;
            }
            Some(existing) => {
                let message = format!(
                    "allOf parts disagree on the type of `{}` ({:?} vs {:?}); the first is kept",
                    field.wire_name, existing.ty, field.ty
                );
                self.inexact(at, message);
            }
            None => fields.push(field),
        }
    }

    /// The fields of a named struct (following aliases), for `allOf` merging.
    fn struct_parts(&self, ty: &TypeRef) -> Option<(Vec<Field>, Option<TypeRef>)> {
        let TypeRef::Named(name) = resolve_alias(&self.defs, ty) else {
            return None;
        };
        match &self.defs.get(name)?.kind {
            TypeKind::Struct { fields, additional } => Some((fields.clone(), additional.clone())),
            _ => None,
        }
    }
}

/// Whether a schema needs a named definition rather than a plain type reference.
fn defines_type(schema: &Schema) -> bool {
    match shape_of(schema) {
        Shape::Object { properties, .. } => !properties.is_empty(),
        Shape::String { values, .. } => values.iter().any(Option::is_some),
        Shape::Integer { values, .. } => values.iter().any(Option::is_some),
        // A single inline object part is that object, named after the schema.
        Shape::AllOf { parts, properties, .. } => {
            parts.len() > 1
                || properties.is_some()
                || matches!(parts.as_slice(), [(_, ReferenceOr::Item(part))] if matches!(shape_of(part), Shape::Object { .. }) && defines_type(part))
        }
        Shape::Union { .. } => true,
        Shape::Array(_) | Shape::Number | Shape::Boolean | Shape::Not | Shape::MixedEnum | Shape::Any => false,
    }
}

/// Gives every field its Rust name: declared properties by the naming rules,
/// then the flattened union field, unique within the struct.
pub(crate) fn name_fields(fields: &mut [Field]) {
    let wire_names: Vec<&str> = fields
        .iter()
        .filter(|f| !f.flatten)
        .map(|f| f.wire_name.as_str())
        .collect();
    let mut names = naming::field_names(&wire_names).into_iter();
    let mut scope = Scope::default();
    for field in fields.iter_mut().filter(|f| !f.flatten) {
        field.rust_name = scope.claim(names.next().unwrap_or_default());
    }
    for field in fields.iter_mut().filter(|f| f.flatten) {
        field.rust_name = scope.claim(naming::FLATTENED_UNION_FIELD.to_owned());
    }
}

/// Documentation of a schema: its description, else its title.
pub(crate) fn schema_docs(schema: &Schema) -> String {
    let description = annotations(schema).find_map(|data| data.description.as_deref());
    let title = || annotations(schema).find_map(|data| data.title.as_deref());
    description.or_else(title).map(docs::sanitize).unwrap_or_default()
}
