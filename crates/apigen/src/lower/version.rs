//! Which operations need the beta API version.
//!
//! LaunchDarkly states beta status in three ways, all of them recognised:
//! tags ending in "(beta)" (configured as `beta_tag_suffix`), a sentence in
//! the description (`beta_marker`), and, on a few operations, a required
//! `LD-API-Version` header parameter whose only allowed value is `beta`.
//! That parameter is not a per-call argument: the client already sends the
//! version header on every call, so the operation is marked beta instead
//! and its builder sends the beta value (still overridable with
//! `.api_version(..)`).

use openapiv3::{ParameterData, ParameterSchemaOrContent};

use super::Context;
use super::operation::Found;
use super::schema::{SchemaOrRef, TypeBuilder};
use super::shape::{Shape, shape_of};

/// Whether a header parameter named `name` is the configured version header.
pub(crate) fn is_version_header(cx: &Context<'_>, name: &str) -> bool {
    cx.config
        .version_header
        .as_ref()
        .is_some_and(|v| v.header.eq_ignore_ascii_case(name))
}

/// Whether a version-header parameter demands the beta value. A parameter
/// that pins another value is reported: the client sends its default instead.
pub(crate) fn parameter_demands_beta(
    cx: &Context<'_>,
    types: &mut TypeBuilder<'_>,
    data: &ParameterData,
    at: &str,
) -> bool {
    let Some(beta) = cx.config.version_header.as_ref().and_then(|v| v.beta.as_deref()) else {
        return false;
    };
    let ParameterSchemaOrContent::Schema(schema) = &data.format else {
        return false;
    };
    let schema = types.schema_behind(schema.as_ref_or(), at).ok();
    let values: Vec<String> = match schema.map(shape_of) {
        Some(Shape::String { values }) => values.into_iter().flatten().collect(),
        _ => Vec::new(),
    };
    if values.iter().any(|v| v == beta) {
        return true;
    }
    if !values.is_empty() {
        types.inexact(
            at,
            format!(
                "`{}` is limited to {values:?}; the client sends its configured version unless `.api_version(..)` is used",
                data.name
            ),
        );
    }
    false
}

/// Whether the operation's tags or prose mark it as beta.
pub(crate) fn documented_beta(cx: &Context<'_>, found: &Found<'_>) -> bool {
    let op = found.operation;
    let by_tag = cx
        .config
        .beta_tag_suffix
        .as_deref()
        .is_some_and(|suffix| op.tags.iter().any(|tag| tag.trim_end().ends_with(suffix)));
    let by_marker = cx.config.beta_marker.as_deref().is_some_and(|marker| {
        op.description.as_deref().is_some_and(|d| d.contains(marker))
            || op.summary.as_deref().is_some_and(|s| s.contains(marker))
    });
    by_tag || by_marker
}
