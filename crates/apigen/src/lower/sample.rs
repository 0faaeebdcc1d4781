//! Values for one call of each operation, which the conformance harness
//! (`cargo xtask conformance`) sends through the generated client.
//!
//! A value comes from the spec when it can: the parameter's or media type's
//! own example, then the schema's example or `default`, each used only when
//! it fits its schema (the example check of `validate`). Otherwise it is
//! synthesised from the schema: the first `enum` member, a value of the
//! string's `format` or `pattern`, numbers inside the bounds, strings
//! within the length limits, arrays of two items (one when they must be
//! unique), objects with their required properties. What had to be synthesised is recorded, so the harness can
//! say which operations ran on made-up values.

use openapiv3::{
    Components, MediaType, ParameterData, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, StringFormat,
    Type, VariantOrUnknownOrEmpty,
};
use serde_json::{Map, Number, Value};

use super::examples::named_examples;
use super::schema::{SchemaOrRef, TypeBuilder};
use super::shape::{Shape, shape_of};
use crate::error::pointer_push;

/// How deep a made-up value nests. Only required properties are filled in,
/// so only a schema that requires itself goes this deep. Such a value
/// repeats the same levels, and is printed into the harness's source, so the
/// limit is lower than [`super::MAX_EXAMPLE_DEPTH`]: more levels would only
/// make the harness bigger.
const MAX_SAMPLE_DEPTH: usize = 32;

/// How many JSON values one made-up value may hold. A schema whose items or
/// required properties nest (arrays of arrays, or objects that require
/// themselves twice) doubles at each level; without a budget a few dozen
/// levels exhaust memory.
const MAX_SAMPLE_VALUES: usize = 10_000;

/// A value for one parameter or body, and the places where it was made up.
pub(crate) struct Sampled {
    pub value: Value,
    /// JSON pointers of the schemas whose value was synthesised, each with
    /// what was used (`#/…/schema: format uuid`).
    pub synthesised: Vec<String>,
}

impl TypeBuilder<'_> {
    /// A value for a parameter: its example, then its schema's.
    pub(crate) fn sample_parameter(&self, components: Option<&Components>, data: &ParameterData, at: &str) -> Sampled {
        self.sampled_values.set(0);
        let mut synthesised = Vec::new();
        let (schema, schema_at, media_examples) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => (Some(schema.as_ref_or()), pointer_push(at, "schema"), None),
            ParameterSchemaOrContent::Content(content) => match content.iter().next() {
                Some((media_type, media)) => {
                    let media_at = pointer_push(&pointer_push(at, "content"), media_type);
                    (
                        media.schema.as_ref().map(SchemaOrRef::as_ref_or),
                        pointer_push(&media_at, "schema"),
                        Some((media, media_at)),
                    )
                }
                None => (None, pointer_push(at, "content"), None),
            },
        };
        let mut candidates: Vec<Value> = data.example.iter().cloned().collect();
        candidates.extend(
            named_examples(components, &data.examples, at)
                .into_iter()
                .map(|(_, v)| v),
        );
        if let Some((media, media_at)) = media_examples {
            candidates.extend(media.example.iter().cloned());
            candidates.extend(
                named_examples(components, &media.examples, &media_at)
                    .into_iter()
                    .map(|(_, v)| v),
            );
        }
        let value = self
            .first_fitting(candidates, schema.clone())
            .unwrap_or_else(|| match schema {
                Some(schema) => self.sample_schema(schema, &schema_at, 0, &mut synthesised),
                None => {
                    synthesised.push(format!("{at}: no schema, a string"));
                    Value::String("string".into())
                }
            });
        Sampled { value, synthesised }
    }

    /// A value for a request body of `media`: its example, then its schema's.
    pub(crate) fn sample_media(&self, components: Option<&Components>, media: &MediaType, at: &str) -> Sampled {
        self.sampled_values.set(0);
        let mut synthesised = Vec::new();
        let schema = media.schema.as_ref().map(SchemaOrRef::as_ref_or);
        let mut candidates: Vec<Value> = media.example.iter().cloned().collect();
        candidates.extend(
            named_examples(components, &media.examples, at)
                .into_iter()
                .map(|(_, v)| v),
        );
        let value = self
            .first_fitting(candidates, schema.clone())
            .unwrap_or_else(|| match schema {
                Some(schema) => self.sample_schema(schema, &pointer_push(at, "schema"), 0, &mut synthesised),
                None => {
                    synthesised.push(format!("{at}: no schema, an empty object"));
                    Value::Object(Map::new())
                }
            });
        Sampled { value, synthesised }
    }

    /// The first candidate that fits `schema` (all of them fit no schema).
    fn first_fitting(&self, candidates: Vec<Value>, schema: Option<ReferenceOr<&Schema>>) -> Option<Value> {
        candidates.into_iter().find(|value| match &schema {
            Some(schema) => self.fits(value, schema.clone()),
            None => true,
        })
    }

    /// Whether `value` fits `schema`: the example check, plus the enum and
    /// bounds a server validates and the example check leaves alone.
    fn fits(&self, value: &Value, schema: ReferenceOr<&Schema>) -> bool {
        self.contradiction(value, schema.clone()).is_none() && self.keywords_fit(value, schema, 0)
    }

    /// The keyword checks of [`Self::fits`], through the properties and
    /// items of the value.
    fn keywords_fit(&self, value: &Value, schema: ReferenceOr<&Schema>, depth: usize) -> bool {
        let Ok(schema) = self.schema_behind(schema, "") else {
            return false;
        };
        if depth > MAX_SAMPLE_DEPTH {
            return true;
        }
        match (shape_of(schema), value) {
            (Shape::Object { properties, .. }, Value::Object(map)) => {
                return map.iter().all(|(name, item)| {
                    properties
                        .get(name)
                        .is_none_or(|property| self.keywords_fit(item, property.as_ref_or(), depth + 1))
                });
            }
            (Shape::Array(Some(items)), Value::Array(list)) => {
                return list
                    .iter()
                    .all(|item| self.keywords_fit(item, items.as_ref_or(), depth + 1));
            }
            _ => {}
        }
        match (&schema.schema_kind, value) {
            (SchemaKind::Type(Type::String(string)), Value::String(text)) => {
                let members = &string.enumeration;
                (members.is_empty() || members.iter().any(|m| m.as_deref() == Some(text.as_str())))
                    && string.min_length.is_none_or(|min| text.chars().count() >= min)
                    && string.max_length.is_none_or(|max| text.chars().count() <= max)
                    && string
                        .pattern
                        .as_deref()
                        .is_none_or(|pattern| super::pattern::matches(pattern, text) == Some(true))
                    && format_fits(&string.format, text)
            }
            (SchemaKind::Type(Type::Integer(integer)), Value::Number(number)) => {
                let Some(n) = number.as_i64() else {
                    return false;
                };
                (integer.enumeration.is_empty() || integer.enumeration.contains(&Some(n)))
                    && integer
                        .minimum
                        .is_none_or(|min| n > min || (n == min && !integer.exclusive_minimum))
                    && integer
                        .maximum
                        .is_none_or(|max| n < max || (n == max && !integer.exclusive_maximum))
            }
            _ => true,
        }
    }

    /// A value of `schema` synthesised from its keywords (its example or
    /// `default` first, when they fit).
    fn sample_schema(
        &self,
        schema: ReferenceOr<&Schema>,
        at: &str,
        depth: usize,
        synthesised: &mut Vec<String>,
    ) -> Value {
        let at = match &schema {
            ReferenceOr::Reference { reference } => reference.clone(),
            ReferenceOr::Item(_) => at.to_owned(),
        };
        let Ok(resolved) = self.schema_behind(schema.clone(), &at) else {
            synthesised.push(format!("{at}: reference not found, null"));
            return Value::Null;
        };
        if depth > MAX_SAMPLE_DEPTH {
            synthesised.push(format!("{at}: nested deeper than {MAX_SAMPLE_DEPTH} levels, null"));
            return Value::Null;
        }
        let made = self.sampled_values.get() + 1;
        if made > MAX_SAMPLE_VALUES {
            synthesised.push(format!(
                "{at}: the value already holds {MAX_SAMPLE_VALUES} values, null"
            ));
            return Value::Null;
        }
        self.sampled_values.set(made);
        let data = &resolved.schema_data;
        let declared = data.example.iter().chain(data.default.iter()).cloned();
        if let Some(value) = self.first_fitting(declared.collect(), Some(schema)) {
            return value;
        }
        if let SchemaKind::Type(ty) = &resolved.schema_kind {
            if let Some(value) = scalar(ty, &at, synthesised) {
                return value;
            }
        }
        // An `enum` next to `allOf` narrows what the parts allow (Discord's
        // `entity_type: {enum: [3], allOf: [{$ref: EntityTypes}]}`).
        if let SchemaKind::Any(any) = &resolved.schema_kind {
            if let Some(first) = any.enumeration.iter().find(|value| !value.is_null()) {
                return first.clone();
            }
        }
        match shape_of(resolved) {
            Shape::String { values } => {
                if let Some(Some(first)) = values.first() {
                    return Value::String(first.clone());
                }
                synthesised.push(format!("{at}: a string"));
                Value::String("string".into())
            }
            Shape::Integer { values, .. } => {
                let first = values.iter().flatten().next().copied().unwrap_or(1);
                Value::Number(first.into())
            }
            Shape::Number => Value::Number(1.into()),
            Shape::Boolean => Value::Bool(true),
            Shape::Array(items) => {
                // Two items where the schema allows: a one-item array reads
                // like a single value in a query string or a form, and two
                // show that the list is sent as a list. Items must differ
                // when `uniqueItems` says so: such arrays get one item, or
                // as many different ones (`distinct`) as `minItems` asks.
                let count = match &resolved.schema_kind {
                    SchemaKind::Type(Type::Array(array)) => {
                        let wanted = if array.unique_items { 1 } else { 2 };
                        let count = array.min_items.unwrap_or(0).max(wanted);
                        array.max_items.map_or(count, |max| count.min(max))
                    }
                    _ => 2,
                };
                let unique =
                    matches!(&resolved.schema_kind, SchemaKind::Type(Type::Array(array)) if array.unique_items);
                match items {
                    Some(items) => {
                        let item =
                            self.sample_schema(items.as_ref_or(), &pointer_push(&at, "items"), depth + 1, synthesised);
                        // Copies of the item count against the budget too;
                        // when they would overrun it, one item is enough.
                        let size = values_in(&item);
                        let left = MAX_SAMPLE_VALUES.saturating_sub(self.sampled_values.get());
                        let count = count.min(16);
                        let count = if count > 1 && (count - 1).saturating_mul(size) > left {
                            synthesised.push(format!("{at}: one item, as more would make the value too big"));
                            1
                        } else {
                            count
                        };
                        let copies = count.saturating_sub(1).saturating_mul(size);
                        self.sampled_values
                            .set(self.sampled_values.get().saturating_add(copies));
                        let list = (0..count)
                            .map(|index| if unique { distinct(&item, index) } else { item.clone() })
                            .collect();
                        Value::Array(list)
                    }
                    None => Value::Array(Vec::new()),
                }
            }
            Shape::Object {
                properties, required, ..
            } => {
                let mut object = Map::new();
                self.required_properties(properties, required, &at, depth, &mut object, synthesised);
                Value::Object(object)
            }
            Shape::AllOf {
                parts,
                properties,
                required,
            } => {
                let mut object = Map::new();
                for &(index, part) in &parts {
                    let part_at = pointer_push(&pointer_push(&at, "allOf"), &index.to_string());
                    match self.sample_schema(part.as_ref_or(), &part_at, depth + 1, synthesised) {
                        Value::Object(fields) => object.extend(fields),
                        other if object.is_empty() => return other,
                        _ => {}
                    }
                }
                if let Some(properties) = properties {
                    self.required_properties(properties, required, &at, depth, &mut object, synthesised);
                }
                // `required` next to `allOf` may name properties its parts declare.
                let missing: Vec<&String> = required.iter().filter(|name| !object.contains_key(*name)).collect();
                for name in missing {
                    let found = parts
                        .iter()
                        .find_map(|(_, part)| self.declared_property(part.as_ref_or(), name, 0));
                    let value = match found {
                        Some((property, property_at)) => {
                            self.sample_schema(property.as_ref_or(), &property_at, depth + 1, synthesised)
                        }
                        // Required but described nowhere: any value is valid.
                        None => {
                            synthesised.push(format!("{at}: required `{name}` is not declared, a string"));
                            Value::String("string".into())
                        }
                    };
                    object.insert(name.clone(), value);
                }
                Value::Object(object)
            }
            Shape::Union {
                keyword,
                branches,
                properties,
                required,
            } => {
                // The first branch that is not just `null` stands for the union.
                let Some((index, branch)) = branches
                    .iter()
                    .enumerate()
                    .find(|(_, branch)| !is_null_only(self, branch))
                else {
                    return Value::Null;
                };
                let branch_at = pointer_push(&pointer_push(&at, keyword), &index.to_string());
                // A branch that only names required properties (`anyOf:
                // [{required: [a]}, {required: [b]}]` next to `properties`)
                // picks which of the union's own properties are sent.
                if let (Some(properties), Some(branch_required)) = (properties, self.only_requires(branch)) {
                    let mut object = Map::new();
                    let all: Vec<String> = required.iter().chain(branch_required).cloned().collect();
                    self.required_properties(properties, &all, &at, depth, &mut object, synthesised);
                    return Value::Object(object);
                }
                let mut value = self.sample_schema(branch.as_ref_or(), &branch_at, depth + 1, synthesised);
                if let (Value::Object(object), Some(properties)) = (&mut value, properties) {
                    self.required_properties(properties, required, &at, depth, object, synthesised);
                }
                // With a discriminator mapping, the tag must name the branch
                // sent, whatever the branch's own schema made up for it. An
                // unmapped branch keeps its own value: documents rarely use
                // the implicit mapping (the schema's name) and usually fix
                // the tag in the branch itself (OpenAI's `type: message`).
                if let (Value::Object(object), Some(discriminator), ReferenceOr::Reference { reference }) =
                    (&mut value, &resolved.schema_data.discriminator, branch)
                {
                    let tag = discriminator
                        .mapping
                        .iter()
                        .find(|(_, target)| *target == reference)
                        .map(|(tag, _)| tag.clone());
                    if let Some(tag) = tag {
                        object.insert(discriminator.property_name.clone(), Value::String(tag));
                    }
                }
                value
            }
            Shape::Not | Shape::MixedEnum | Shape::Any => {
                if let SchemaKind::Any(any) = &resolved.schema_kind {
                    if let Some(first) = any.enumeration.first() {
                        return first.clone();
                    }
                }
                synthesised.push(format!("{at}: any value, a string"));
                Value::String("string".into())
            }
        }
    }

    /// The `required` list of a schema that says nothing else (no type, no
    /// properties): a constraint on the properties of the schema around it.
    fn only_requires<'s>(&'s self, branch: &'s ReferenceOr<Schema>) -> Option<&'s [String]> {
        let schema = self.schema_behind(branch.as_ref_or(), "").ok()?;
        match &schema.schema_kind {
            SchemaKind::Any(any) if any.typ.is_none() && any.properties.is_empty() && !any.required.is_empty() => {
                Some(&any.required)
            }
            _ => None,
        }
    }

    /// The schema `name` has in the `properties` of `schema` or of its
    /// `allOf` parts, with its pointer.
    fn declared_property<'s>(
        &'s self,
        schema: ReferenceOr<&'s Schema>,
        name: &str,
        depth: usize,
    ) -> Option<(&'s ReferenceOr<Box<Schema>>, String)> {
        let at = match &schema {
            ReferenceOr::Reference { reference } => reference.clone(),
            ReferenceOr::Item(_) => String::new(),
        };
        let resolved = self.schema_behind(schema, &at).ok()?;
        if depth > MAX_SAMPLE_DEPTH {
            return None;
        }
        let property_at = |at: &str| pointer_push(&pointer_push(at, "properties"), name);
        match shape_of(resolved) {
            Shape::Object { properties, .. } => properties.get(name).map(|p| (p, property_at(&at))),
            Shape::AllOf { parts, properties, .. } => properties
                .and_then(|properties| properties.get(name))
                .map(|p| (p, property_at(&at)))
                .or_else(|| {
                    parts
                        .iter()
                        .find_map(|(_, part)| self.declared_property(part.as_ref_or(), name, depth + 1))
                }),
            _ => None,
        }
    }

    /// Fills `object` with a value for each required property that a
    /// request may send (read-only properties are the server's to set).
    fn required_properties(
        &self,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        at: &str,
        depth: usize,
        object: &mut Map<String, Value>,
        synthesised: &mut Vec<String>,
    ) {
        let properties_at = pointer_push(at, "properties");
        for name in required {
            if object.contains_key(name) {
                continue;
            }
            let Some(property) = properties.get(name) else {
                synthesised.push(format!("{at}: required `{name}` is not declared, a string"));
                object.insert(name.clone(), Value::String("string".into()));
                continue;
            };
            if self
                .schema_behind(property.as_ref_or(), at)
                .is_ok_and(|schema| schema.schema_data.read_only)
            {
                continue;
            }
            let value = self.sample_schema(
                property.as_ref_or(),
                &pointer_push(&properties_at, name),
                depth + 1,
                synthesised,
            );
            object.insert(name.clone(), value);
        }
    }
}

fn is_null_only(types: &TypeBuilder<'_>, branch: &ReferenceOr<Schema>) -> bool {
    types
        .schema_behind(branch.as_ref_or(), "")
        .is_ok_and(|schema| matches!(&schema.schema_kind, SchemaKind::Any(any) if any.typ.as_deref() == Some("null")))
}

/// A string, integer or number value honouring the type's enum, format,
/// bounds and lengths; `None` for other types.
fn scalar(ty: &Type, at: &str, synthesised: &mut Vec<String>) -> Option<Value> {
    match ty {
        Type::String(string) => {
            if let Some(Some(first)) = string.enumeration.first() {
                return Some(Value::String(first.clone()));
            }
            let (text, what) = match &string.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::Date) => ("2024-01-01".to_owned(), "format date"),
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => {
                    ("2024-01-01T00:00:00Z".to_owned(), "format date-time")
                }
                VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => ("c3RyaW5n".to_owned(), "format byte"),
                VariantOrUnknownOrEmpty::Unknown(format) => match formatted(format) {
                    Some(text) => (text.to_owned(), "a value of its format"),
                    None => ("string".to_owned(), "a string"),
                },
                _ => ("string".to_owned(), "a string"),
            };
            let (mut text, what) = match string.pattern.as_deref().map(super::pattern::matching) {
                Some(Some(matching)) => (matching, "a string matching its `pattern`"),
                Some(None) => (text, "a string, which may not match its `pattern`"),
                None => (text, what),
            };
            let before = text.clone();
            if let Some(min) = string.min_length {
                let short_by = min.min(super::pattern::MAX_LENGTH).saturating_sub(text.chars().count());
                text.extend(std::iter::repeat_n('s', short_by));
                if min > super::pattern::MAX_LENGTH {
                    synthesised.push(format!(
                        "{at}: `minLength` {min} is longer than a made-up value may grow, so the value is too short"
                    ));
                }
            }
            if let Some(max) = string.max_length {
                text = text.chars().take(max).collect();
            }
            if string.pattern.is_some() && text != before {
                synthesised.push(format!("{at}: {what}, cut or padded to its length limits"));
            } else {
                synthesised.push(format!("{at}: {what}"));
            }
            Some(Value::String(text))
        }
        Type::Integer(integer) => {
            if let Some(first) = integer.enumeration.iter().flatten().next() {
                return Some(Value::Number((*first).into()));
            }
            let low = integer
                .minimum
                .map(|min| if integer.exclusive_minimum { min + 1 } else { min });
            let high = integer
                .maximum
                .map(|max| if integer.exclusive_maximum { max - 1 } else { max });
            let mut n = match (low, high) {
                (Some(low), _) => low,
                (None, Some(high)) if high < 1 => high,
                _ => 1,
            };
            if let Some(step) = integer.multiple_of.filter(|step| *step > 0) {
                n = n.div_euclid(step) * step + if n.rem_euclid(step) == 0 { 0 } else { step };
            }
            Some(Value::Number(n.into()))
        }
        Type::Number(number) => {
            if let Some(first) = number.enumeration.iter().flatten().next() {
                return Number::from_f64(*first).map(Value::Number);
            }
            let n = match (number.minimum, number.maximum) {
                (Some(min), Some(max)) => (min + max) / 2.0,
                (Some(min), None) => min + 1.0,
                (None, Some(max)) if max < 1.0 => max - 1.0,
                _ => 1.0,
            };
            let n = match number.multiple_of.filter(|step| *step > 0.0) {
                Some(step) => (n / step).ceil() * step,
                None => n,
            };
            Number::from_f64(n).map(Value::Number)
        }
        Type::Boolean(_) => Some(Value::Bool(true)),
        Type::Object(_) | Type::Array(_) => None,
    }
}

/// How many JSON values `value` holds, itself included.
fn values_in(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(values_in).sum(),
        Value::Object(members) => members.values().map(values_in).sum(),
        _ => 0,
    }
}

/// The `index`th of several different values like `value`, for arrays whose
/// items must be unique: numbers and digit strings count up (so that a
/// snowflake id stays one), other strings get a suffix.
fn distinct(value: &Value, index: usize) -> Value {
    if index == 0 {
        return value.clone();
    }
    match value {
        Value::Number(number) => number
            .as_i64()
            .and_then(|n| n.checked_add(i64::try_from(index).ok()?))
            .map_or_else(|| value.clone(), |n| Value::Number(n.into())),
        Value::String(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
            match text.parse::<u128>().ok().and_then(|n| n.checked_add(index as u128)) {
                Some(n) => Value::String(n.to_string()),
                None => Value::String(format!("{text}{index}")),
            }
        }
        Value::String(text) => Value::String(format!("{text}{index}")),
        other => other.clone(),
    }
}

/// Whether `text` has the shape of its `format`, for the formats a server
/// (or a mock) checks; other formats accept any text.
fn format_fits(format: &VariantOrUnknownOrEmpty<StringFormat>, text: &str) -> bool {
    let pattern = match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => r"^\d{4}-\d{2}-\d{2}$",
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => {
            r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
        }
        VariantOrUnknownOrEmpty::Unknown(format) => match format.as_str() {
            "uuid" => r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
            "email" | "idn-email" => r"^[^@\s]+@[^@\s]+$",
            "uri" | "url" | "iri" => r"^[A-Za-z][A-Za-z0-9+.-]*:\S*$",
            "ipv4" => r"^\d{1,3}(\.\d{1,3}){3}$",
            "date" => r"^\d{4}-\d{2}-\d{2}$",
            "date-time" => r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$",
            _ => return true,
        },
        _ => return true,
    };
    super::pattern::matches(pattern, text) == Some(true)
}

/// A valid value of a well-known string format that `openapiv3` does not name.
fn formatted(format: &str) -> Option<&'static str> {
    Some(match format {
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "email" | "idn-email" => "user@example.com",
        "uri" | "url" | "iri" => "https://example.com/",
        "uri-reference" | "iri-reference" => "/example",
        "hostname" | "idn-hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "time" => "00:00:00Z",
        "duration" => "P1D",
        "date" => "2024-01-01",
        "date-time" => "2024-01-01T00:00:00Z",
        "int32" | "int64" => "1",
        _ => return None,
    })
}
