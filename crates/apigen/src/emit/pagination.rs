//! Emits what makes a list operation's builder pageable: `pages()`,
//! `items()`, and its implementation of the runtime's `Paginated`, which
//! says only which rule applies and where the page's facts are.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{ident, type_tokens};
use crate::ir::{FieldAccess, FieldPath, Operation, PageRule, Pagination, TypeRef};

/// A value found by following a [`FieldPath`]: a place (every step
/// required) or an `Option` of it.
enum Found {
    /// A place expression, such as `page.items`.
    Place(TokenStream),
    /// An expression of type `Option<&T>` (borrowing) or `Option<T>` (moving).
    Optional(TokenStream),
}

/// Follows `path` from `root`, borrowing (`Option<&T>` once a step may be
/// missing) or moving out of `root`.
fn follow(path: &FieldPath, root: TokenStream, moving: bool) -> Found {
    let mut found = Found::Place(root);
    for step in &path.steps {
        let wire = &step.wire_name;
        found = match (found, &step.access) {
            (Found::Place(place), FieldAccess::Field(name)) => {
                let field = ident(name);
                match (step.optional, moving) {
                    (false, _) => Found::Place(quote! { #place.#field }),
                    (true, false) => Found::Optional(quote! { #place.#field.as_ref() }),
                    (true, true) => Found::Optional(quote! { #place.#field }),
                }
            }
            (Found::Place(place), FieldAccess::Key) => Found::Optional(if moving {
                quote! { #place.remove(#wire) }
            } else {
                quote! { #place.get(#wire) }
            }),
            (Found::Optional(option), FieldAccess::Field(name)) => {
                let field = ident(name);
                Found::Optional(match (step.optional, moving) {
                    (false, false) => quote! { #option.map(|value| &value.#field) },
                    (false, true) => quote! { #option.map(|value| value.#field) },
                    (true, false) => quote! { #option.and_then(|value| value.#field.as_ref()) },
                    (true, true) => quote! { #option.and_then(|value| value.#field) },
                })
            }
            (Found::Optional(option), FieldAccess::Key) => Found::Optional(if moving {
                quote! { #option.and_then(|mut value| value.remove(#wire)) }
            } else {
                quote! { #option.and_then(|value| value.get(#wire)) }
            }),
        };
        // A map whose values may be `null` holds an `Option` more.
        if matches!(step.ty, TypeRef::Nullable(_)) {
            found = Found::Optional(match found {
                Found::Place(place) if moving => quote! { #place },
                Found::Place(place) => quote! { #place.as_ref() },
                Found::Optional(option) if moving => quote! { #option.flatten() },
                Found::Optional(option) => quote! { #option.and_then(|value| value.as_ref()) },
            });
        }
    }
    found
}

fn page_ref() -> TokenStream {
    quote! { page }
}

/// `usize`: how many items the page holds.
fn item_count(pagination: &Pagination) -> TokenStream {
    match follow(&pagination.items, page_ref(), false) {
        Found::Place(place) => quote! { #place.len() },
        Found::Optional(option) => quote! { #option.map_or(0, |items| items.len()) },
    }
}

/// `Option<u64>` from an integer field.
fn count(path: Option<&FieldPath>) -> TokenStream {
    match path.map(|path| follow(path, page_ref(), false)) {
        None => quote! { ::std::option::Option::None },
        Some(Found::Place(place)) => quote! { u64::try_from(#place).ok() },
        Some(Found::Optional(option)) => quote! { #option.and_then(|value| u64::try_from(*value).ok()) },
    }
}

/// `Option<String>` from a string field.
fn text(path: Option<&FieldPath>) -> TokenStream {
    match path.map(|path| follow(path, page_ref(), false)) {
        None => quote! { ::std::option::Option::None },
        Some(Found::Place(place)) => quote! { ::std::option::Option::Some(#place.clone()) },
        Some(Found::Optional(option)) => quote! { #option.cloned() },
    }
}

/// `Option<bool>` from a boolean field.
fn flag(path: Option<&FieldPath>) -> TokenStream {
    match path.map(|path| follow(path, page_ref(), false)) {
        None => quote! { ::std::option::Option::None },
        Some(Found::Place(place)) => quote! { ::std::option::Option::Some(#place) },
        Some(Found::Optional(option)) => quote! { #option.copied() },
    }
}

/// `Option<String>`: the last item's identifier, as text.
fn last_item_id(pagination: &Pagination) -> TokenStream {
    let last = match follow(&pagination.items, page_ref(), false) {
        Found::Place(place) => quote! { #place.last() },
        Found::Optional(option) => quote! { #option.and_then(|items| items.last()) },
    };
    match pagination
        .item_id
        .as_ref()
        .map(|path| follow(path, quote! { item }, false))
    {
        None => quote! { ::std::option::Option::None },
        Some(Found::Place(place)) => quote! { #last.map(|item| #place.to_string()) },
        Some(Found::Optional(option)) => {
            quote! { #last.and_then(|item| #option).map(::std::string::ToString::to_string) }
        }
    }
}

/// `Vec<Item>`, moved out of `page`.
fn into_items(pagination: &Pagination) -> TokenStream {
    match follow(&pagination.items, page_ref(), true) {
        Found::Place(place) => place,
        Found::Optional(option) => quote! { #option.unwrap_or_default() },
    }
}

/// The runtime's rule.
fn rule_tokens(rule: PageRule) -> TokenStream {
    match rule {
        PageRule::Offset => quote! { ::apigen_runtime::paginate::PageRule::Offset },
        PageRule::PageNumber { first } => quote! { ::apigen_runtime::paginate::PageRule::PageNumber { first: #first } },
        PageRule::Cursor => quote! { ::apigen_runtime::paginate::PageRule::Cursor },
        PageRule::LastItem => quote! { ::apigen_runtime::paginate::PageRule::LastItem },
        PageRule::LinkHeader => quote! { ::apigen_runtime::paginate::PageRule::LinkHeader },
        PageRule::NextUrl => quote! { ::apigen_runtime::paginate::PageRule::NextUrl },
    }
}

/// `start` and `seek`: reading and setting the paging parameter.
fn position(op: &Operation, pagination: &Pagination) -> (TokenStream, TokenStream) {
    let next_page = quote! { ::apigen_runtime::paginate::NextPage };
    let none = quote! { ::std::option::Option::None };
    let Some(param) = pagination.param.and_then(|index| op.params.get(index)) else {
        // The next page is a URL the server gave.
        let seek = quote! {
            match next {
                #next_page::Url(url) => {
                    self.options = ::std::mem::take(&mut self.options).follow_link(url);
                    true
                }
                _ => false,
            }
        };
        return (none, seek);
    };
    let field = ident(&param.rust_name);
    let ty = type_tokens(&param.ty);
    let store = if param.required {
        quote! { self.#field = value; }
    } else {
        quote! { self.#field = ::std::option::Option::Some(value); }
    };
    let (variant, convert) = match pagination.rule {
        PageRule::Offset => (quote! { Offset }, quote! { <#ty>::try_from(value).ok() }),
        PageRule::PageNumber { .. } => (quote! { Page }, quote! { <#ty>::try_from(value).ok() }),
        _ if pagination.parse_cursor => (quote! { Cursor }, quote! { value.parse::<#ty>().ok() }),
        _ => (quote! { Cursor }, quote! { ::std::option::Option::Some(value) }),
    };
    let start = match (pagination.rule, param.required) {
        (PageRule::Offset | PageRule::PageNumber { .. }, true) => quote! { u64::try_from(self.#field).ok() },
        (PageRule::Offset | PageRule::PageNumber { .. }, false) => {
            quote! { self.#field.and_then(|value| u64::try_from(value).ok()) }
        }
        _ => none,
    };
    let seek = quote! {
        match next {
            #next_page::#variant(value) => match #convert {
                ::std::option::Option::Some(value) => {
                    #store
                    true
                }
                ::std::option::Option::None => false,
            },
            _ => false,
        }
    };
    (start, seek)
}

/// The `pages`/`items` methods of the builder.
pub(super) fn methods(op: &Operation) -> Option<TokenStream> {
    let pagination = op.pagination.as_ref()?;
    let size = op
        .params
        .iter()
        .find(|param| {
            let name = param.wire_name.to_ascii_lowercase();
            [
                "limit",
                "page_size",
                "pagesize",
                "per_page",
                "perpage",
                "max_results",
                "maxresults",
            ]
            .contains(&name.as_str())
        })
        .map(|param| format!(" The `{}` you set is the page size.", param.wire_name))
        .unwrap_or_default();
    let pages_doc = format!(
        " Every page, in order, as a stream: pages by {}.{size} Each page is one call with the same \
         retries, pacing and decoding as `send`; the stream ends after the last page or after an error, \
         never follows a cursor or link twice, and cancels the call in flight when dropped. \
         [`Pages::max_pages`](::apigen_runtime::Pages::max_pages) stops it early.",
        pagination.reason
    );
    let items_doc = format!(
        " Every item of every page, in order, as a stream (see [`pages`](Self::pages)); collect them with \
         [`Items::try_collect`](::apigen_runtime::Items::try_collect).{size}"
    );
    Some(quote! {
        #[doc = #pages_doc]
        pub fn pages(self) -> ::apigen_runtime::Pages<Self> {
            ::apigen_runtime::Pages::new(self)
        }

        #[doc = #items_doc]
        pub fn items(self) -> ::apigen_runtime::Items<Self> {
            ::apigen_runtime::Items::new(self)
        }
    })
}

/// The builder's `Paginated` implementation.
pub(super) fn paginated_impl(op: &Operation, page: &TokenStream) -> Option<TokenStream> {
    let pagination = op.pagination.as_ref()?;
    let builder = ident(&op.builder_name);
    let error = ident(&op.error_name);
    let item = type_tokens(&pagination.item_type);
    let rule = rule_tokens(pagination.rule);
    let items = item_count(pagination);
    let total = count(pagination.total.as_ref());
    let next = match pagination.rule {
        PageRule::LastItem => last_item_id(pagination),
        _ => text(pagination.next.as_ref()),
    };
    let has_more = flag(pagination.has_more.as_ref());
    let take_items = into_items(pagination);
    let (start, seek) = position(op, pagination);
    Some(quote! {
        impl ::apigen_runtime::paginate::Paginated for #builder {
            type Page = #page;
            type Item = #item;
            type Error = crate::errors::#error;
            const RULE: ::apigen_runtime::paginate::PageRule = #rule;

            fn send_page(self) -> ::apigen_runtime::paginate::PageFuture<#page, crate::errors::#error> {
                ::std::boxed::Box::pin(self.send())
            }

            fn facts(page: &#page) -> ::apigen_runtime::paginate::PageFacts {
                ::apigen_runtime::paginate::PageFacts {
                    items: #items,
                    total: #total,
                    next: #next,
                    has_more: #has_more,
                }
            }

            fn into_items(page: #page) -> ::std::vec::Vec<#item> {
                #take_items
            }

            fn start(&self) -> ::std::option::Option<u64> {
                #start
            }

            fn seek(&mut self, next: ::apigen_runtime::paginate::NextPage) -> bool {
                #seek
            }
        }
    })
}
