//! The one way the lowering follows a `$ref`.
//!
//! Loading bundles every file and every pointer into components
//! (`load/bundle.rs`), so a reference here always has the form
//! `#/components/<section>/<key>`, with the key escaped as RFC 6901 says. A
//! component may itself be a reference (a chain); chains are followed to the
//! end, and a chain that comes back on itself is an error naming every
//! reference in the loop.

use std::path::Path;

use indexmap::IndexMap;
use openapiv3::ReferenceOr;

use crate::error::{Error, Location, Result};

/// The key a reference names in `section`, unescaped; `None` when the
/// reference does not name a component of that section.
pub(crate) fn component_key(section: &str, reference: &str) -> Option<String> {
    let key = reference
        .strip_prefix("#/components/")?
        .strip_prefix(section)?
        .strip_prefix('/')?;
    if key.contains('/') {
        return None;
    }
    Some(key.replace("~1", "/").replace("~0", "~"))
}

/// One step: the component `reference` (found in `file` at `at`) names in
/// `section`, with its key.
pub(crate) fn lookup<'a, T>(
    file: &Path,
    section: &str,
    components: Option<&'a IndexMap<String, ReferenceOr<T>>>,
    reference: &str,
    at: &str,
) -> Result<(String, &'a ReferenceOr<T>)> {
    component_key(section, reference)
        .and_then(|key| {
            let found = components?.get(&key)?;
            Some((key, found))
        })
        .ok_or_else(|| Error::DanglingRef {
            location: Location {
                file: file.to_path_buf(),
                pointer: at.to_owned(),
            },
            reference: reference.to_owned(),
        })
}

/// Follows `item` through references in `section` to the value at the end
/// of the chain.
pub(crate) fn follow<'a, T>(
    file: &Path,
    section: &str,
    components: Option<&'a IndexMap<String, ReferenceOr<T>>>,
    item: &'a ReferenceOr<T>,
    at: &str,
) -> Result<&'a T> {
    let mut current = item;
    let mut chain: Vec<&'a str> = Vec::new();
    loop {
        let reference = match current {
            ReferenceOr::Item(value) => return Ok(value),
            ReferenceOr::Reference { reference } => reference.as_str(),
        };
        if chain.contains(&reference) {
            chain.push(reference);
            return Err(Error::Invalid {
                location: Location {
                    file: file.to_path_buf(),
                    pointer: at.to_owned(),
                },
                message: format!(
                    "this $ref starts a cycle of references that never reaches a value ({})",
                    chain.join(" -> ")
                ),
                hint: "make one member of the cycle a value instead of a $ref".into(),
            });
        }
        chain.push(reference);
        current = lookup(file, section, components, reference, at)?.1;
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use indexmap::IndexMap;
    use openapiv3::ReferenceOr;

    use super::{component_key, follow};

    fn reference(to: &str) -> ReferenceOr<u32> {
        ReferenceOr::Reference {
            reference: format!("#/components/parameters/{to}"),
        }
    }

    #[test]
    fn keys_are_unescaped_and_other_sections_refused() {
        assert_eq!(
            component_key("schemas", "#/components/schemas/a~1b~0c").as_deref(),
            Some("a/b~c")
        );
        assert_eq!(component_key("schemas", "#/components/schemasX/a"), None);
        assert_eq!(component_key("schemas", "#/components/parameters/a"), None);
        assert_eq!(component_key("schemas", "#/components/schemas/a/properties/b"), None);
    }

    #[test]
    fn chains_are_followed_and_cycles_named() {
        let map: IndexMap<String, ReferenceOr<u32>> = IndexMap::from([
            ("a".to_owned(), reference("b")),
            ("b".to_owned(), reference("c~1d")),
            ("c/d".to_owned(), ReferenceOr::Item(7)),
            ("x".to_owned(), reference("y")),
            ("y".to_owned(), reference("x")),
        ]);
        let file = Path::new("spec.yaml");
        assert_eq!(
            follow(file, "parameters", Some(&map), &reference("a"), "#/p").ok(),
            Some(&7)
        );
        let error = follow(file, "parameters", Some(&map), &reference("x"), "#/p")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(
            error,
            "spec.yaml: #/p: this $ref starts a cycle of references that never reaches a value \
             (#/components/parameters/x -> #/components/parameters/y -> #/components/parameters/x); \
             make one member of the cycle a value instead of a $ref"
        );
        let error = follow(file, "parameters", Some(&map), &reference("nope"), "#/p").err();
        assert!(matches!(error, Some(crate::Error::DanglingRef { .. })));
    }
}
