//! Integer bounds that the typed parser can hold.
//!
//! `openapiv3` stores `minimum`, `maximum` and `multipleOf` of an integer
//! schema as `i64`, and refuses the whole document when one does not fit:
//! OpenAI's `minimum: -9223372036854776000` is `i64::MIN` after a trip
//! through a double, one digit too far. A bound outside the 64-bit range is
//! clamped to it (generated integers are 64-bit, so nothing beyond it can be
//! sent or received anyway), a fractional bound is rounded inwards, and a
//! `multipleOf` that is no integer is dropped; each change is reported as not
//! represented exactly.

use serde_json::{Number, Value};

use super::walk::{self, Kind, Next};
use crate::ir::Inexact;

/// Rewrites every integer bound of `document` that does not fit an `i64`
/// and returns what was changed.
pub(super) fn fit_integer_bounds(document: &mut Value) -> Vec<Inexact> {
    let mut changed = Vec::new();
    let result = walk::walk::<()>(document, Kind::Document, "#", &mut |node, kind, at| {
        if kind == Kind::Schema {
            fit_schema(node, at, &mut changed);
        }
        Ok(Next::Descend)
    });
    debug_assert!(result.is_ok(), "the visitor never fails");
    changed
}

fn fit_schema(node: &mut Value, at: &str, changed: &mut Vec<Inexact>) {
    let Some(object) = node.as_object_mut() else {
        return;
    };
    if object.get("type").and_then(Value::as_str) != Some("integer") {
        return;
    }
    for (keyword, round_up) in [("minimum", true), ("maximum", false), ("multipleOf", true)] {
        let Some(Value::Number(bound)) = object.get(keyword) else {
            continue;
        };
        if bound.as_i64().is_some() {
            continue;
        }
        let original = bound.to_string();
        let fitted = if keyword == "multipleOf" {
            None
        } else {
            fit(bound, round_up)
        };
        let pointer = crate::error::pointer_push(at, keyword);
        match fitted {
            Some(fitted) => {
                changed.push(Inexact {
                    pointer,
                    message: format!(
                        "integer bound {original} does not fit a 64-bit integer; {fitted} is used instead"
                    ),
                });
                object.insert(keyword.into(), Value::Number(Number::from(fitted)));
            }
            None => {
                changed.push(Inexact {
                    pointer,
                    message: format!("`{keyword}: {original}` is not a 64-bit integer and is ignored"),
                });
                object.remove(keyword);
            }
        }
    }
}

/// The `i64` nearest to `bound` on the inside of the range it bounds.
fn fit(bound: &Number, round_up: bool) -> Option<i64> {
    if bound.as_u64().is_some() {
        return Some(i64::MAX);
    }
    let value = bound.as_f64().filter(|value| value.is_finite())?;
    let rounded = if round_up { value.ceil() } else { value.floor() };
    // `as` saturates at the ends of the range, which is the clamping wanted.
    Some(rounded as i64)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::fit_integer_bounds;

    #[test]
    fn out_of_range_and_fractional_bounds_are_fitted_and_reported() {
        let mut document = json!({"components": {"schemas": {
            "A": {"type": "integer", "minimum": -9.223372036854776e18, "maximum": 18446744073709551615u64},
            "B": {"type": "integer", "minimum": 0.5, "maximum": 9.5, "multipleOf": 0.5},
            "C": {"type": "number", "minimum": -1e300},
            "D": {"type": "integer", "minimum": -3}
        }}});
        let changed = fit_integer_bounds(&mut document);
        let schemas = &document["components"]["schemas"];
        assert_eq!(schemas["A"]["minimum"], json!(i64::MIN));
        assert_eq!(schemas["A"]["maximum"], json!(i64::MAX));
        assert_eq!(schemas["B"], json!({"type": "integer", "minimum": 1, "maximum": 9}));
        assert_eq!(schemas["C"]["minimum"], json!(-1e300));
        assert_eq!(schemas["D"]["minimum"], json!(-3));
        let pointers: Vec<&str> = changed.iter().map(|c| c.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "#/components/schemas/A/minimum",
                "#/components/schemas/A/maximum",
                "#/components/schemas/B/minimum",
                "#/components/schemas/B/maximum",
                "#/components/schemas/B/multipleOf",
            ]
        );
    }
}
