//! Which operations page, and by which convention: read from the lowered
//! operations and types (parameter names and types, the page's fields, a
//! documented `Link` header), or from `[pagination.OPERATION_ID]` in the
//! codegen configuration for conventions stated only in prose.
//!
//! Detection is deliberately narrow: a paginator that follows the wrong
//! field would loop or stop early without a word, so every rule needs both
//! the parameter and the page field that feeds it, with the right types.

use std::collections::BTreeMap;

use crate::config::{Config, PaginationConfig};
use crate::error::{Error, Result};
use crate::ir::{
    BodyEncoding, FieldAccess, FieldPath, FieldStep, HttpMethod, Operation, PageRule, Pagination, ParamLocation,
    Primitive, SuccessType, TypeDef, TypeKind, TypeRef,
};
use crate::lower::Context;
use crate::lower::resolve::resolve_alias;

type Types = BTreeMap<String, TypeDef>;

/// Names of an offset parameter, compared by [`simple`] form.
const OFFSET_PARAMS: &[&str] = &["offset", "skip"];
/// Names of a page-number parameter.
const PAGE_PARAMS: &[&str] = &["page", "pagenumber", "pageno", "pagenum", "pageindex"];
/// Names of a cursor parameter.
const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "pagetoken",
    "nexttoken",
    "continuationtoken",
    "continuation",
    "marker",
    "after",
    "pageafter",
    "pagecursor",
    "startcursor",
    "nextcursor",
    "startingtoken",
    "continue",
];
/// Names of a last-item parameter (Stripe's convention).
const LAST_ITEM_PARAMS: &[&str] = &["startingafter"];
/// Names of a page-size parameter: their presence marks an operation as a
/// list, so one without a known convention is reported.
const SIZE_PARAMS: &[&str] = &[
    "limit",
    "pagesize",
    "perpage",
    "pagelimit",
    "maxresults",
    "maxitems",
    "count",
    "size",
    "top",
];
/// Fields of a page that hold the next cursor.
const CURSOR_FIELDS: &[&str] = &[
    "nextcursor",
    "nextpagetoken",
    "nexttoken",
    "continuationtoken",
    "nextcontinuationtoken",
    "endcursor",
    "nextmarker",
    "cursor",
    "lastid",
];
/// Fields of a page that hold the next page's URL.
const NEXT_URL_FIELDS: &[&str] = &[
    "next",
    "nexturl",
    "nextpageurl",
    "nextpageuri",
    "nextlink",
    "odatanextlink",
];
/// Fields of a page that count every item.
const TOTAL_FIELDS: &[&str] = &[
    "totalcount",
    "total",
    "totalitems",
    "totalresults",
    "totalsize",
    "totalrecords",
    "totalelements",
];
/// Fields of a page that count the pages.
const PAGE_COUNT_FIELDS: &[&str] = &["totalpages", "pagecount", "numpages"];
/// Fields of a page that say whether more pages follow.
const HAS_MORE_FIELDS: &[&str] = &["hasmore", "hasnextpage", "more"];
/// Preferred names of the list of items, when a page has several lists.
const ITEM_FIELDS: &[&str] = &[
    "items", "data", "results", "values", "records", "entries", "elements", "list", "content",
];
/// Fields of an item that identify it.
const ID_FIELDS: &[&str] = &["id"];

/// Decides every operation's pagination; configured operations first.
pub(crate) fn mark(cx: &Context<'_>, operations: &mut [Operation], types: &Types) -> Result<()> {
    for op in operations.iter_mut() {
        match cx.config.pagination.get(&op.id) {
            Some(config) if config.rule == "none" => {
                op.unpaged = Some("`rule = \"none\"` in the configuration".to_owned());
            }
            Some(config) => {
                let mut pagination = configured(op, types, config).map_err(|message| Error::Invalid {
                    location: cx.location(&op.pointer),
                    message: format!("[pagination.{}] in the codegen configuration: {message}", op.id),
                    hint: "name the parameter and the page's fields as the document spells them \
                           (dotted JSON paths such as `_links.next.href`)"
                        .into(),
                })?;
                pagination.parse_cursor = parses_cursor(op, types, &pagination);
                op.pagination = Some(pagination);
            }
            None => match detect(op, types) {
                Ok(mut pagination) => {
                    pagination.parse_cursor = parses_cursor(op, types, &pagination);
                    op.pagination = Some(pagination);
                }
                Err(why) => op.unpaged = why,
            },
        }
    }
    Ok(())
}

/// Whether the cursor's text is parsed into the parameter: a cursor or
/// last-item rule whose parameter is an integer.
fn parses_cursor(op: &Operation, types: &Types, pagination: &Pagination) -> bool {
    matches!(pagination.rule, PageRule::Cursor | PageRule::LastItem)
        && pagination
            .param
            .and_then(|index| op.params.get(index))
            .is_some_and(|param| is_integer(resolve_alias(types, &param.ty)))
}

/// Checks that every `[pagination.ID]` names an operation of the document.
pub(crate) fn check_configured_ids<'a>(
    cx: &Context<'_>,
    config: &Config,
    ids: impl Iterator<Item = &'a str> + Clone,
) -> Result<()> {
    match config
        .pagination
        .keys()
        .find(|id| !ids.clone().any(|known| known == id.as_str()))
    {
        Some(id) => Err(Error::Invalid {
            location: cx.location("#/paths"),
            message: format!(
                "the codegen configuration has [pagination.{id}], but the document has no operation `{id}`"
            ),
            hint: "use the operationId as the document writes it".into(),
        }),
        None => Ok(()),
    }
}

/// A name reduced for comparison: lower case, letters and digits only
/// (`page[after]`, `pageAfter` and `page_after` are all `pageafter`).
fn simple(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The page type of an operation that can be paged at all: one JSON body
/// for every success, and a body a page can be sent again with.
fn page_type(op: &Operation) -> std::result::Result<&TypeRef, String> {
    if !matches!(op.method, HttpMethod::Get | HttpMethod::Post) {
        return Err(format!("{} requests are not list requests", op.method.as_str()));
    }
    if op
        .body
        .as_ref()
        .is_some_and(|body| body.encoding != BodyEncoding::Json || !body.alternatives.is_empty())
    {
        return Err("its request body is not one JSON body".to_owned());
    }
    match (&op.success_type, op.successes.first()) {
        (SuccessType::Single(ty), Some(first)) if first.encoding == BodyEncoding::Json => Ok(ty),
        _ => Err("its successes do not all return one JSON type".to_owned()),
    }
}

/// The query parameter whose simple name is one of `names` and whose type
/// passes `accept`.
fn query_param(op: &Operation, types: &Types, names: &[&str], accept: fn(&TypeRef) -> bool) -> Option<usize> {
    op.params.iter().position(|param| {
        param.location == ParamLocation::Query
            && names.contains(&simple(&param.wire_name).as_str())
            && accept(resolve_alias(types, &param.ty))
    })
}

fn is_integer(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Primitive(Primitive::I32 | Primitive::I64))
}

fn is_string(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Primitive(Primitive::String))
}

fn is_bool(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Primitive(Primitive::Bool))
}

fn is_text_id(ty: &TypeRef) -> bool {
    is_string(ty) || is_integer(ty)
}

/// The fields of a struct type, through aliases.
fn struct_fields<'t>(types: &'t Types, ty: &'t TypeRef) -> &'t [crate::ir::Field] {
    match resolve_alias(types, ty) {
        TypeRef::Named(name) => match types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Struct { fields, .. }) => fields,
            _ => &[],
        },
        _ => &[],
    }
}

/// A step to a struct field; boxed and flattened fields are not stepped
/// through (no paging field is found there).
fn field_step(field: &crate::ir::Field) -> Option<FieldStep> {
    (!field.boxed && !field.flatten).then(|| FieldStep {
        wire_name: field.wire_name.clone(),
        access: FieldAccess::Field(field.rust_name.clone()),
        optional: !field.required || field.nullable,
        ty: field.ty.clone(),
    })
}

/// How deep inside the page paging fields are looked for: DigitalOcean
/// keeps the next link at `links.pages.next`.
const MAX_FIELD_DEPTH: usize = 3;

/// A field named one of `names` (by simple form) whose type passes
/// `accept`: a field of the page, else one inside its struct fields
/// (`meta.next_cursor`, `links.pages.next`), nearest first; or, when `next`
/// is looked for, the `href` of the `next` entry of a map of links
/// (`_links.next.href`).
fn find_field(types: &Types, root: &TypeRef, names: &[&str], accept: fn(&TypeRef) -> bool) -> Option<FieldPath> {
    (1..=MAX_FIELD_DEPTH).find_map(|depth| find_at_depth(types, root, names, accept, depth))
}

/// [`find_field`] at exactly `depth` steps (a map entry and its `href`
/// count as one).
fn find_at_depth(
    types: &Types,
    root: &TypeRef,
    names: &[&str],
    accept: fn(&TypeRef) -> bool,
    depth: usize,
) -> Option<FieldPath> {
    let fields = struct_fields(types, root);
    if depth == 1 {
        return fields
            .iter()
            .find(|field| names.contains(&simple(&field.wire_name).as_str()) && accept(resolve_alias(types, &field.ty)))
            .and_then(field_step)
            .map(|step| FieldPath { steps: vec![step] });
    }
    for outer in fields {
        let Some(outer_step) = field_step(outer) else { continue };
        if let Some(inner) = find_at_depth(types, &outer.ty, names, accept, depth - 1) {
            let mut steps = vec![outer_step];
            steps.extend(inner.steps);
            return Some(FieldPath { steps });
        }
        // A map of links (`_links: {next: {href}}`) holds the next page's URL.
        let is_links = ["links", "link"].contains(&simple(&outer.wire_name).as_str());
        if let (2, true, true, TypeRef::Map(value)) = (
            depth,
            is_links,
            names.contains(&"next"),
            resolve_alias(types, &outer.ty),
        ) {
            let href = struct_fields(types, value)
                .iter()
                .find(|field| simple(&field.wire_name) == "href" && accept(resolve_alias(types, &field.ty)))
                .and_then(field_step);
            if let Some(href) = href {
                let key = FieldStep {
                    wire_name: "next".to_owned(),
                    access: FieldAccess::Key,
                    optional: true,
                    ty: (**value).clone(),
                };
                return Some(FieldPath {
                    steps: vec![outer_step, key, href],
                });
            }
        }
    }
    None
}

/// [`find_field`] among the fields of `root` itself: an item's own `id`,
/// never one of an object inside it.
fn find_top_field(types: &Types, root: &TypeRef, names: &[&str], accept: fn(&TypeRef) -> bool) -> Option<FieldPath> {
    find_at_depth(types, root, names, accept, 1)
}

/// The page's list of items and the item type: the body itself when it is
/// a list, else its one list field (or the one with a usual name).
fn find_items(types: &Types, page: &TypeRef) -> std::result::Result<(FieldPath, TypeRef), String> {
    if let TypeRef::List(item) = resolve_alias(types, page) {
        return Ok((FieldPath::default(), (**item).clone()));
    }
    let lists: Vec<(&crate::ir::Field, &TypeRef)> = struct_fields(types, page)
        .iter()
        .filter(|field| !field.boxed && !field.flatten)
        .filter_map(|field| match resolve_alias(types, &field.ty) {
            TypeRef::List(item) => Some((field, &**item)),
            _ => None,
        })
        .collect();
    let usual = |field: &crate::ir::Field| ITEM_FIELDS.contains(&simple(&field.wire_name).as_str());
    let chosen = match lists.as_slice() {
        [] => return Err("its page has no list of items".to_owned()),
        // A lone list with another name (a resource's `tags`) is a list of
        // items only beside a paging field.
        [only] if !usual(only.0) && !has_paging_field(types, page) => {
            return Err(format!(
                "its page's only list, `{}`, has no paging field beside it (a total, a cursor, a next link)",
                only.0.wire_name
            ));
        }
        [only] => *only,
        several => *several.iter().find(|(field, _)| usual(field)).ok_or_else(|| {
            let names: Vec<&str> = several.iter().map(|(field, _)| field.wire_name.as_str()).collect();
            format!(
                "its page has several lists (`{}`) and none is the usual items field",
                names.join("`, `")
            )
        })?,
    };
    let step = field_step(chosen.0).ok_or("its list of items is boxed")?;
    Ok((FieldPath { steps: vec![step] }, chosen.1.clone()))
}

/// Containers of paging fields beside a list (`meta.total`,
/// `links.pages.next`, `response_metadata.next_cursor`).
const PAGING_CONTAINERS: &[&str] = &[
    "meta",
    "links",
    "pagination",
    "paging",
    "pageinfo",
    "responsemetadata",
    "metadata",
];

/// Whether a page has, beside its list, a field that only a page of a list
/// has: a total, a page count, a cursor, a next link or a "more" flag, at
/// the top or inside a paging container. A resource with a list among its
/// fields (a view and its `tags`) has none, and paging it would never end.
fn has_paging_field(types: &Types, page: &TypeRef) -> bool {
    let paging = [
        TOTAL_FIELDS,
        PAGE_COUNT_FIELDS,
        CURSOR_FIELDS,
        NEXT_URL_FIELDS,
        HAS_MORE_FIELDS,
    ];
    let any = |_: &TypeRef| true;
    struct_fields(types, page).iter().any(|field| {
        let name = simple(&field.wire_name);
        paging.iter().any(|names| names.contains(&name.as_str()))
            || (PAGING_CONTAINERS.contains(&name.as_str())
                && paging
                    .iter()
                    .any(|names| find_field(types, &field.ty, names, any).is_some()))
    })
}

/// The convention an operation's structure shows, or why it shows none
/// (`None` when it does not look like a list at all).
fn detect(op: &Operation, types: &Types) -> std::result::Result<Pagination, Option<String>> {
    let any_paging_param = op.params.iter().any(|param| {
        let name = simple(&param.wire_name);
        param.location == ParamLocation::Query
            && [OFFSET_PARAMS, PAGE_PARAMS, CURSOR_PARAMS, LAST_ITEM_PARAMS, SIZE_PARAMS]
                .iter()
                .any(|names| names.contains(&name.as_str()))
    });
    let documents_link = op
        .successes
        .iter()
        .flat_map(|success| &success.headers)
        .any(|header| header.eq_ignore_ascii_case("link"));
    if !any_paging_param && !documents_link {
        return Err(None);
    }
    let page = page_type(op).map_err(Some)?;
    let (items, item_type) = find_items(types, page).map_err(Some)?;
    // `GET /orders/{id}` names one resource: its list is a page only beside
    // a paging field, whatever the list is called.
    if op.path_template.ends_with('}') && !items.steps.is_empty() && !has_paging_field(types, page) {
        return Err(Some(format!(
            "it reads one resource (`{}`), and its list `{}` has no paging field beside it",
            op.path_template,
            items.wire()
        )));
    }
    let base = |rule, reason: String, param| Pagination {
        rule,
        reason,
        param,
        items: items.clone(),
        item_type: item_type.clone(),
        total: None,
        next: None,
        has_more: None,
        item_id: None,
        parse_cursor: false,
    };
    let has_more = find_field(types, page, HAS_MORE_FIELDS, is_bool);
    // A string `offset` or `page` is a cursor too (Asana, OpenAI).
    let cursor_param = query_param(op, types, CURSOR_PARAMS, is_string)
        .or_else(|| query_param(op, types, OFFSET_PARAMS, is_string))
        .or_else(|| query_param(op, types, PAGE_PARAMS, is_string));
    // A link is followed with the operation's own method and body, which is
    // only sure to mean "the next page" for a GET.
    let next_url = find_field(types, page, NEXT_URL_FIELDS, is_string).filter(|_| op.method == HttpMethod::Get);
    if let Some(index) = cursor_param {
        let param = &op.params[index].wire_name;
        let own = [format!("next{}", simple(param)), simple(param)];
        let names: Vec<&str> = own
            .iter()
            .map(String::as_str)
            .chain(CURSOR_FIELDS.iter().copied())
            .collect();
        if let Some(next) = find_field(types, page, &names, is_string) {
            return Ok(Pagination {
                reason: format!("cursor parameter `{param}` fed from `{}`", next.wire()),
                next: Some(next),
                has_more,
                ..base(PageRule::Cursor, String::new(), Some(index))
            });
        }
        let item_id = find_top_field(types, &item_type, ID_FIELDS, is_text_id);
        if let (Some(has_more), Some(item_id), true) = (&has_more, item_id, simple(param) == "after") {
            return Ok(Pagination {
                reason: format!(
                    "parameter `{param}` fed from the last item's `{}` while `{}` is true",
                    item_id.wire(),
                    has_more.wire()
                ),
                has_more: Some(has_more.clone()),
                item_id: Some(item_id),
                ..base(PageRule::LastItem, String::new(), Some(index))
            });
        }
        return match next_url {
            Some(next) => Ok(Pagination {
                reason: format!(
                    "the next page's URL in `{}` (the cursor `{param}` is only given inside it)",
                    next.wire()
                ),
                next: Some(next),
                has_more,
                ..base(PageRule::NextUrl, String::new(), None)
            }),
            None => Err(Some(format!(
                "it takes the cursor `{param}`, but no field of its page holds the next cursor or the next page's URL"
            ))),
        };
    }
    if let Some(index) = query_param(op, types, LAST_ITEM_PARAMS, is_text_id) {
        let param = &op.params[index].wire_name;
        let item_id = find_top_field(types, &item_type, ID_FIELDS, is_text_id);
        return match (has_more, item_id) {
            (Some(has_more), Some(item_id)) => Ok(Pagination {
                reason: format!(
                    "parameter `{param}` fed from the last item's `{}` while `{}` is true",
                    item_id.wire(),
                    has_more.wire()
                ),
                has_more: Some(has_more),
                item_id: Some(item_id),
                ..base(PageRule::LastItem, String::new(), Some(index))
            }),
            _ => Err(Some(format!(
                "it takes `{param}`, but its page has no `has_more` flag or its items no `id`"
            ))),
        };
    }
    // Offsets and page numbers: an integer position, and a total (of items
    // or of pages) beside the list when the page reports one.
    let counted = |names: &[&str], totals: &[&str], rule: PageRule, kind: &str, up_to: &str| {
        query_param(op, types, names, is_integer).map(|index| {
            let param = &op.params[index].wire_name;
            let total = find_field(types, page, totals, is_integer).filter(|total| total.steps.len() == 1);
            let reason = match &total {
                Some(total) => format!("{kind} parameter `{param}` {up_to} `{}`", total.wire()),
                None => format!("{kind} parameter `{param}`, until an empty page"),
            };
            Pagination {
                total,
                has_more: has_more.clone(),
                ..base(rule, reason, Some(index))
            }
        })
    };
    if let Some(pagination) = counted(
        OFFSET_PARAMS,
        TOTAL_FIELDS,
        PageRule::Offset,
        "offset",
        "with the total",
    ) {
        return Ok(pagination);
    }
    // After the body's own conventions: a documented `Link` header may be
    // there for other relations (deprecation, sunset).
    if documents_link && op.method == HttpMethod::Get {
        return Ok(base(
            PageRule::LinkHeader,
            "a documented `Link` response header".to_owned(),
            None,
        ));
    }
    // The server's own link to the next page is the surest way there when
    // the position is a page number (Twilio needs its page token as well).
    if let Some(next) = next_url {
        return Ok(Pagination {
            reason: format!("the next page's URL in `{}`", next.wire()),
            next: Some(next),
            has_more,
            ..base(PageRule::NextUrl, String::new(), None)
        });
    }
    if let Some(pagination) = counted(
        PAGE_PARAMS,
        PAGE_COUNT_FIELDS,
        PageRule::PageNumber { first: 1 },
        "page-number",
        "up to",
    ) {
        return Ok(pagination);
    }
    Err(Some(
        "it takes a page size, but neither an offset, page number or cursor parameter nor a next link".to_owned(),
    ))
}

/// The pagination a `[pagination.ID]` table describes, with the fields it
/// leaves out detected as without configuration.
fn configured(op: &Operation, types: &Types, config: &PaginationConfig) -> std::result::Result<Pagination, String> {
    let rule = match config.rule.as_str() {
        "offset" => PageRule::Offset,
        "page-number" => PageRule::PageNumber {
            first: config.first_page.unwrap_or(1),
        },
        "cursor" => PageRule::Cursor,
        "last-item" => PageRule::LastItem,
        "link-header" => PageRule::LinkHeader,
        "next-url" => PageRule::NextUrl,
        other => {
            return Err(format!(
                "unknown rule `{other}`; use offset, page-number, cursor, last-item, link-header, next-url or none"
            ));
        }
    };
    let page = page_type(op)?;
    let (items, item_type) = match config.items.as_deref() {
        Some(dotted) => {
            let path = dotted_path(types, page, dotted)?;
            if path.steps.iter().any(|step| step.access == FieldAccess::Key) {
                return Err(format!(
                    "`items = \"{dotted}\"` goes through a map; the items must be a field"
                ));
            }
            let item = match resolve_alias(types, path.steps.last().map_or(page, |step| &step.ty)) {
                TypeRef::List(item) => (**item).clone(),
                _ => return Err(format!("`items = \"{dotted}\"` is not a list")),
            };
            (path, item)
        }
        None => find_items(types, page)?,
    };
    let (param_names, param_type): (&[&str], fn(&TypeRef) -> bool) = match rule {
        PageRule::Offset => (OFFSET_PARAMS, is_integer),
        PageRule::PageNumber { .. } => (PAGE_PARAMS, is_integer),
        PageRule::Cursor => (CURSOR_PARAMS, is_string),
        PageRule::LastItem => (LAST_ITEM_PARAMS, is_text_id),
        PageRule::LinkHeader | PageRule::NextUrl => (&[], is_string),
    };
    let param = match (&config.param, param_names.is_empty()) {
        (Some(name), false) => {
            let index = op
                .params
                .iter()
                .position(|p| p.location == ParamLocation::Query && &p.wire_name == name)
                .ok_or_else(|| format!("the operation has no query parameter `{name}`"))?;
            if !param_type(resolve_alias(types, &op.params[index].ty)) {
                return Err(format!(
                    "the parameter `{name}` has the wrong type for the rule `{}`",
                    rule.name()
                ));
            }
            Some(index)
        }
        (Some(name), true) => {
            return Err(format!(
                "the rule `{}` sets no parameter, but `param = \"{name}\"` names one",
                rule.name()
            ));
        }
        (None, false) => Some(query_param(op, types, param_names, param_type).ok_or_else(|| {
            format!(
                "no query parameter looks like the rule `{}`'s; name it with `param`",
                rule.name()
            )
        })?),
        (None, true) => None,
    };
    let field =
        |dotted: &Option<String>, root: &TypeRef, names: &[&str], accept: fn(&TypeRef) -> bool, key: &str| match dotted
        {
            Some(dotted) => typed_path(types, root, dotted, accept, key).map(Some),
            None => Ok(find_field(types, root, names, accept)),
        };
    let pagination = Pagination {
        rule,
        reason: format!("`rule = \"{}\"` in the configuration", rule.name()),
        param,
        total: field(
            &config.total,
            page,
            if rule == PageRule::Offset {
                TOTAL_FIELDS
            } else {
                PAGE_COUNT_FIELDS
            },
            is_integer,
            "total",
        )?,
        next: field(
            &config.next,
            page,
            if rule == PageRule::NextUrl {
                NEXT_URL_FIELDS
            } else {
                CURSOR_FIELDS
            },
            is_string,
            "next",
        )?,
        has_more: field(&config.has_more, page, HAS_MORE_FIELDS, is_bool, "has-more")?,
        item_id: match &config.item_id {
            Some(dotted) => Some(typed_path(types, &item_type, dotted, is_text_id, "item-id")?),
            None => find_top_field(types, &item_type, ID_FIELDS, is_text_id),
        },
        items,
        item_type,
        parse_cursor: false,
    };
    let needs = |what: &str, found: bool| {
        if found {
            Ok(())
        } else {
            Err(format!("the rule `{}` needs `{what}`, and none was found", rule.name()))
        }
    };
    match rule {
        PageRule::Cursor | PageRule::NextUrl => needs("next", pagination.next.is_some())?,
        PageRule::LastItem => {
            needs("has-more", pagination.has_more.is_some())?;
            needs("item-id", pagination.item_id.is_some())?;
        }
        _ => {}
    }
    Ok(pagination)
}

/// [`dotted_path`], whose value must be of the kind `accept` takes (an
/// integer total, a string cursor, a boolean flag).
fn typed_path(
    types: &Types,
    root: &TypeRef,
    dotted: &str,
    accept: fn(&TypeRef) -> bool,
    key: &str,
) -> std::result::Result<FieldPath, String> {
    let path = dotted_path(types, root, dotted)?;
    match path.steps.last() {
        Some(last) if accept(resolve_alias(types, &last.ty)) => Ok(path),
        _ => Err(format!(
            "`{key} = \"{dotted}\"` does not lead to a value of the kind `{key}` needs"
        )),
    }
}

/// A dotted path of JSON names from `root`: struct fields by wire name,
/// map entries by key.
fn dotted_path(types: &Types, root: &TypeRef, dotted: &str) -> std::result::Result<FieldPath, String> {
    let mut steps = Vec::new();
    let mut current = root.clone();
    for name in dotted.split('.').filter(|name| !name.is_empty()) {
        let step = match resolve_alias(types, &current) {
            TypeRef::Map(value) => FieldStep {
                wire_name: name.to_owned(),
                access: FieldAccess::Key,
                optional: true,
                ty: (**value).clone(),
            },
            _ => struct_fields(types, &current)
                .iter()
                .find(|field| field.wire_name == name)
                .and_then(field_step)
                .ok_or_else(|| format!("`{dotted}`: the page has no field `{name}` there"))?,
        };
        current = step.ty.clone();
        steps.push(step);
    }
    Ok(FieldPath { steps })
}
