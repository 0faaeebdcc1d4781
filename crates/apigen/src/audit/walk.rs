//! The walk over the document as written: each key is classified with the
//! table, and the keys that are not honoured become inexact entries.

use serde_json::{Map, Value};

use super::{Class, Coverage, Holds, Object, ObjectSpec, Site, Version, Visit, spec_of};
use crate::error::pointer_push;
use crate::ir::Inexact;

/// Every key of `document` (as written, before normalisation), classified.
pub fn visits(document: &Value) -> Vec<Visit> {
    let mut walker = Walker {
        version: Version::of(document),
        document,
        visits: Vec::new(),
    };
    walker.object(Object::OpenApi, document, "#", false, false);
    walker.visits
}

/// What `document` uses that the generated client does not honour exactly,
/// sorted by pointer.
pub fn audit(document: &Value) -> Vec<Inexact> {
    let mut found: Vec<Inexact> = visits(document).iter().filter_map(Visit::inexact).collect();
    found.sort();
    found.dedup();
    found
}

/// Whether `schema` lists `name` in its `required`.
fn is_required(schema: &Map<String, Value>, name: &str) -> bool {
    schema
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|required| required.iter().any(|r| r == name))
}

struct Walker<'d> {
    version: Version,
    document: &'d Value,
    visits: Vec<Visit>,
}

impl Walker<'_> {
    /// Walks `value`, an `object` at `pointer`; `covered` when a key above is
    /// listed, `required` when it is a property its schema requires.
    fn object(&mut self, object: Object, value: &Value, pointer: &str, covered: bool, required: bool) {
        let Some(map) = value.as_object() else {
            // Booleans are valid schemas and carry no keys; anything else
            // malformed is the typed parse's to report.
            return;
        };
        let object = if map.contains_key("$ref") && object.may_be_reference(self.version) {
            Object::Reference
        } else {
            object
        };
        let Some(spec) = spec_of(object) else { return };
        for (key, child) in map {
            let at = pointer_push(pointer, key);
            let (field, class, holds) = self.classify(spec, key, map, child, required);
            let listed = matches!(class, Class::NotHonoured(_) | Class::Unknown(_));
            self.visits.push(Visit {
                pointer: at.clone(),
                object,
                field,
                class,
                covered,
            });
            let covered = covered || listed;
            match holds {
                Holds::Data => {}
                Holds::One(inner) => self.object(inner, child, &at, covered, false),
                Holds::Map(inner) => {
                    let properties = object == Object::Schema && key == "properties";
                    for (name, entry) in child.as_object().into_iter().flatten() {
                        let required = properties && is_required(map, name);
                        self.object(inner, entry, &pointer_push(&at, name), covered, required);
                    }
                }
                Holds::List(inner) => {
                    for (index, entry) in child.as_array().into_iter().flatten().enumerate() {
                        self.object(inner, entry, &pointer_push(&at, &index.to_string()), covered, false);
                    }
                }
            }
        }
    }

    /// The table's field for `key`, how this use of it is classified, and what to walk into.
    fn classify(
        &self,
        spec: &ObjectSpec,
        key: &str,
        parent: &Map<String, Value>,
        value: &Value,
        required: bool,
    ) -> (String, Class, Holds) {
        if key.starts_with("x-") {
            return ("x-".to_owned(), Class::Informational, Holds::Data);
        }
        let fixed = spec
            .fields
            .iter()
            .find(|field| field.name == key && field.since.applies(self.version));
        let field = fixed.or_else(|| {
            spec.patterned
                .as_ref()
                .filter(|patterned| (patterned.matches)(key) && !spec.fields.iter().any(|f| f.name == key))
                .map(|patterned| &patterned.field)
        });
        let Some(field) = field else {
            if spec.object == Object::Reference {
                // The specification says a Reference object's other keys are
                // ignored, as they are here, so nothing is lost.
                return (key.to_owned(), Class::Informational, Holds::Data);
            }
            let message = format!(
                "`{key}` is not a field of the {} object in OpenAPI {}; it is ignored",
                spec.object.name(),
                self.version.label()
            );
            return (key.to_owned(), Class::Unknown(message), Holds::Data);
        };
        let class = match field.coverage {
            Coverage::Honoured => Class::Honoured,
            Coverage::Informational => Class::Informational,
            Coverage::ServerSide => Class::ServerSide,
            Coverage::Lowering => Class::Lowering,
            Coverage::NotHonoured(message) => Class::NotHonoured(message.to_owned()),
            Coverage::Check(check) => match (check.run)(&Site {
                key,
                parent,
                value,
                required,
                document: self.document,
            }) {
                Some(message) => Class::NotHonoured(message),
                None => Class::Honoured,
            },
        };
        (field.name.to_owned(), class, field.holds)
    }
}
