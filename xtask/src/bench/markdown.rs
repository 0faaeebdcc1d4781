//! Rewriting the measured sections of `BENCHMARKS.md` in place.

/// The file written when there is none yet.
pub(super) const SKELETON: &str = "# Benchmarks\n\nRun `cargo xtask bench` to fill in the figures.\n\n\
## 1. Generator\n\n<!-- bench:generator -->\n<!-- /bench:generator -->\n\n\
## 2. Compile cost of generated code\n\n<!-- bench:compile -->\n<!-- /bench:compile -->\n\n\
## 3. Request overhead\n\n<!-- bench:request -->\n<!-- /bench:request -->\n\n\
## 4. Decode and encode\n\n<!-- bench:serde -->\n<!-- /bench:serde -->\n\n\
## 5. Side by side with openapi-generator\n\n<!-- bench:peers -->\n<!-- /bench:peers -->\n";

/// Replaces what lies between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`
/// with `body`; appends a new section at the end when the markers are missing.
pub(super) fn replace_section(document: &str, name: &str, body: &str) -> String {
    let open = format!("<!-- bench:{name} -->");
    let close = format!("<!-- /bench:{name} -->");
    let body = body.trim_end();
    if let Some(start) = document.find(&open) {
        let after_open = start + open.len();
        if let Some(end) = document[after_open..].find(&close) {
            let end = after_open + end;
            return format!("{}\n{body}\n{}", &document[..after_open], &document[end..]);
        }
    }
    format!("{}\n\n{open}\n{body}\n{close}\n", document.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_between_markers_and_keeps_the_rest() {
        let doc = "intro\n<!-- bench:a -->\nold\n<!-- /bench:a -->\nnotes\n";
        assert_eq!(
            replace_section(doc, "a", "new\n"),
            "intro\n<!-- bench:a -->\nnew\n<!-- /bench:a -->\nnotes\n"
        );
        assert_eq!(
            replace_section("intro\n", "b", "x"),
            "intro\n\n<!-- bench:b -->\nx\n<!-- /bench:b -->\n"
        );
        let filled = replace_section(SKELETON, "serde", "figures");
        assert!(filled.contains("<!-- bench:serde -->\nfigures\n<!-- /bench:serde -->"));
        assert!(
            filled.contains("<!-- bench:generator -->\n\n<!-- /bench:generator -->")
                || filled.contains("<!-- bench:generator -->\n<!-- /bench:generator -->")
        );
    }
}
