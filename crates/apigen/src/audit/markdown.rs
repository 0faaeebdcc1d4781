//! The coverage table as Markdown, for ARCHITECTURE.md.

use super::{Coverage, Field, Since, table};

/// The table as Markdown, for the "Keyword coverage" section of ARCHITECTURE.md.
pub fn markdown() -> String {
    let mut out = String::from("| Object | Field | Versions | What the generated client does |\n|---|---|---|---|\n");
    for spec in table::OBJECTS {
        let mut rows: Vec<&Field> = spec.fields.iter().collect();
        rows.extend(spec.patterned.as_ref().map(|p| &p.field));
        for field in rows {
            let since = match field.since {
                Since::Both => "3.0, 3.1",
                Since::V30 => "3.0",
                Since::V31 => "3.1",
            };
            let what = match field.coverage {
                Coverage::Honoured => "honoured".to_owned(),
                Coverage::Informational => "informational".to_owned(),
                Coverage::ServerSide => "left to the server".to_owned(),
                Coverage::Lowering => "decided by the lowering, which lists what it cannot honour".to_owned(),
                Coverage::NotHonoured(message) => format!("**not represented**: {message}"),
                Coverage::Check(check) => format!("depends: {}", check.rule),
            };
            let what = what.replace('|', "\\|");
            out.push_str(&format!(
                "| {} | `{}` | {since} | {what} |\n",
                spec.object.name(),
                field.name
            ));
        }
    }
    out.push_str("| Reference | any other key | 3.0, 3.1 | informational (ignored, as the specification requires) |\n");
    out.push_str("| any | `x-…` | 3.0, 3.1 | informational |\n");
    out.push_str("| any | any other key | 3.0, 3.1 | **not represented**: listed as ignored |\n");
    out
}
