//! How a list operation pages: decided by the lowering
//! (`crate::lower::pagination`), emitted as the builder's `pages()` and
//! `items()` and an implementation of the runtime's `Paginated`.

use serde::Serialize;

use super::TypeRef;

/// A pageable operation's convention and where its facts are.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Pagination {
    /// How the next page is asked for.
    pub rule: PageRule,
    /// Why this rule: what in the document (or the configuration) shows it,
    /// for `--verbose` and the IR snapshot.
    pub reason: String,
    /// The index in `Operation::params` of the parameter the paginator
    /// sets (the offset, page number or cursor); `None` when the next page
    /// is a URL the server gives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub param: Option<usize>,
    /// The page's list of items; empty steps when the body is the list.
    pub items: FieldPath,
    /// The type of one item.
    pub item_type: TypeRef,
    /// The total number of items (offset paging) or of pages (page numbers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<FieldPath>,
    /// The next cursor or next page's URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<FieldPath>,
    /// Whether more pages follow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_more: Option<FieldPath>,
    /// For [`PageRule::LastItem`]: the identifier inside one item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_id: Option<FieldPath>,
    /// For a cursor or last-item rule whose parameter is an integer (an
    /// item id that is a number): the cursor's text is parsed into it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub parse_cursor: bool,
}

/// The paging conventions the runtime's paginator knows.
///
/// The runtime has an enum of the same name, which generated code uses; the
/// generator keeps its own (as it does `HttpMethod`) because it does not
/// depend on the runtime, and the IR serialises its rules.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub enum PageRule {
    /// An offset parameter, advanced by the items received.
    Offset,
    /// A page-number parameter, counting from `first`.
    PageNumber {
        /// The number of the first page.
        first: u64,
    },
    /// A cursor parameter fed from a field of the page.
    Cursor,
    /// A parameter fed with the last item's identifier, while the page says
    /// there is more.
    LastItem,
    /// The `Link` response header's `rel="next"` URL.
    LinkHeader,
    /// A field of the page holding the next page's URL.
    NextUrl,
}

impl PageRule {
    /// The rule's name in `codegen.toml` and in reports.
    pub fn name(self) -> &'static str {
        match self {
            PageRule::Offset => "offset",
            PageRule::PageNumber { .. } => "page-number",
            PageRule::Cursor => "cursor",
            PageRule::LastItem => "last-item",
            PageRule::LinkHeader => "link-header",
            PageRule::NextUrl => "next-url",
        }
    }
}

/// A way from a value to a value inside it.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(transparent)]
pub struct FieldPath {
    /// The steps, outermost first.
    pub steps: Vec<FieldStep>,
}

impl FieldPath {
    /// The path as written in JSON, such as `_links.next.href`; empty for the value itself.
    pub fn wire(&self) -> String {
        self.steps
            .iter()
            .map(|step| step.wire_name.as_str())
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// One step of a [`FieldPath`].
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FieldStep {
    /// The property's name in JSON (the key, for a map entry).
    pub wire_name: String,
    /// How the step reads it.
    pub access: FieldAccess,
    /// Whether the step may find nothing (an `Option` field, a map key).
    pub optional: bool,
    /// The type found there, without optionality.
    pub ty: TypeRef,
}

/// How a [`FieldStep`] reads its value.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub enum FieldAccess {
    /// A struct field, by its Rust name.
    Field(String),
    /// An entry of a map, by key.
    Key,
}
