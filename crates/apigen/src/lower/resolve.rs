//! Questions about a type reference that look through aliases, shared by
//! every lowering step that asks them.

use std::collections::BTreeMap;

use crate::ir::{Primitive, TypeDef, TypeKind, TypeRef};

/// Follows aliases to what a type reference finally is. Alias cycles are
/// refused while lowering, and the bound keeps even a malformed map finite.
pub(crate) fn resolve_alias<'t>(types: &'t BTreeMap<String, TypeDef>, ty: &'t TypeRef) -> &'t TypeRef {
    let mut current = ty;
    for _ in 0..=types.len() {
        match current {
            TypeRef::Named(name) => match types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Alias(inner)) => current = inner,
                _ => return current,
            },
            _ => return current,
        }
    }
    current
}

/// Whether values of `ty` have a plain text form (`Display`): scalars other
/// than raw bytes, and enums.
pub(crate) fn has_text_form(types: &BTreeMap<String, TypeDef>, ty: &TypeRef) -> bool {
    match resolve_alias(types, ty) {
        TypeRef::Primitive(Primitive::Bytes) => false,
        TypeRef::Primitive(_) => true,
        TypeRef::Named(name) => {
            matches!(
                types.get(name).map(|def| &def.kind),
                Some(TypeKind::Enum { .. } | TypeKind::IntEnum { .. })
            )
        }
        _ => false,
    }
}
