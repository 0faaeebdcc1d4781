//! The Cargo features of the generated crate, in its manifest and in its
//! crate docs: one per tag (`ir::Feature`), and `mock` and `full-serde`.

use proc_macro2::TokenStream;

use super::tokens;
use crate::ir::Api;

/// A tag as text on one line: tags are prose, and a line break or another
/// control character would end a TOML comment or a Markdown table row.
fn tag_text(tag: &str) -> String {
    tag.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// `default` and one feature per tag, each with a comment naming its tags;
/// empty when the document has no tags. Feature names are kebab-case ASCII,
/// which TOML takes as bare keys.
pub(super) fn manifest_section(api: &Api) -> String {
    if api.features.is_empty() {
        return String::new();
    }
    let mut text = String::from("# Every tag's operations, so a plain dependency gets the whole API.\ndefault = [\n");
    for feature in &api.features {
        text.push_str(&format!("    \"{}\",\n", feature.name));
    }
    text.push_str("]\n# One feature per tag: its operations, their errors and exactly the types they use.\n");
    for feature in &api.features {
        let tags: Vec<String> = feature.tags.iter().map(|tag| format!("`{}`", tag_text(tag))).collect();
        let count = feature.operations.len();
        let noun = if count == 1 { "operation" } else { "operations" };
        text.push_str(&format!(
            "# {} ({count} {noun})\n{} = []\n",
            tags.join(", "),
            feature.name
        ));
    }
    text
}

/// The crate docs' section on Cargo features.
pub(super) fn crate_docs(api: &Api) -> TokenStream {
    let mut text = String::from("\n## Cargo features\n\n");
    if let Some(first) = api.features.first() {
        let untagged = if api.operations.iter().any(|op| op.gate.is_always()) {
            " Operations without a tag are always compiled."
        } else {
            ""
        };
        text.push_str(&format!(
            "Each tag of the API has a feature that compiles its operations, their error types and \
             the types they use; `default` enables them all. A program that calls only some tags \
             compiles less with `default-features = false` and those tags' features, such as \
             `features = [\"{}\"]`.{untagged}\n\n| feature | tags | operations |\n|---|---|---|\n",
            first.name,
        ));
        for feature in &api.features {
            // In a table cell, a `|` would end the cell.
            let tags: Vec<String> = feature
                .tags
                .iter()
                .map(|tag| tag_text(tag).replace('|', "\\|"))
                .collect();
            text.push_str(&format!(
                "| `{}` | {} | {} |\n",
                feature.name,
                tags.join(", "),
                feature.operations.len()
            ));
        }
        text.push('\n');
    }
    text.push_str(
        "`mock` adds the typed mocks (the `mock` module). Without `full-serde`, a type implements \
         only the serde directions the API uses it in: `Serialize` for what requests send, \
         `Deserialize` for what responses bring, both for types used both ways. `full-serde` \
         gives every type that implements either the other too, for a program that also stores responses \
         as JSON or reads request bodies from files; `mock` enables it.",
    );
    tokens::docs_inner(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_stay_on_one_line() {
        assert_eq!(tag_text("Access\r\ntokens\t(beta)"), "Access  tokens (beta)");
    }
}
