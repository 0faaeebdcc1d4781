//! The paginator against a scripted list operation: which requests it
//! makes under each rule, and when it stops.

use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use http::{HeaderMap, HeaderValue, StatusCode};
use proptest::prelude::*;

use super::*;
use crate::operation::{HttpMethod, OperationInfo};
use crate::ratelimit::RateLimitInfo;
use crate::response::ResponseMeta;

static OP: OperationInfo = OperationInfo {
    id: "list-things",
    method: HttpMethod::Get,
    path_template: "/things",
};

/// One scripted page: its items, facts and `Link` header.
#[derive(Debug, Clone, Default, PartialEq)]
struct Page {
    items: Vec<u32>,
    total: Option<u64>,
    next: Option<String>,
    has_more: Option<bool>,
    link: Option<String>,
}

/// The server's answer to a request at a position: a page or an error status.
type Script = dyn Fn(Option<&NextPage>) -> Result<Page, u16> + Send + Sync;

/// A list operation whose pages come from a script; `K` picks the rule.
#[derive(Clone)]
struct Fake<const K: u8> {
    script: Arc<Script>,
    calls: Arc<Mutex<Vec<Option<NextPage>>>>,
    at: Option<NextPage>,
    start: Option<u64>,
}

impl<const K: u8> Fake<K> {
    fn new(script: impl Fn(Option<&NextPage>) -> Result<Page, u16> + Send + Sync + 'static) -> Self {
        Self {
            script: Arc::new(script),
            calls: Arc::default(),
            at: None,
            start: None,
        }
    }

    fn calls(&self) -> Vec<Option<NextPage>> {
        self.calls.lock().unwrap().clone()
    }
}

impl<const K: u8> Paginated for Fake<K> {
    type Page = Page;
    type Item = u32;
    type Error = u16;
    const RULE: PageRule = match K {
        0 => PageRule::Offset,
        1 => PageRule::PageNumber { first: 1 },
        2 => PageRule::Cursor,
        3 => PageRule::LastItem,
        4 => PageRule::LinkHeader,
        _ => PageRule::NextUrl,
    };

    fn send_page(self) -> PageFuture<Page, u16> {
        self.calls.lock().unwrap().push(self.at.clone());
        let answer = (self.script)(self.at.as_ref());
        Box::pin(async move {
            let page = answer?;
            let mut headers = HeaderMap::new();
            if let Some(link) = &page.link {
                headers.insert(http::header::LINK, HeaderValue::from_str(link).unwrap());
            }
            let meta = ResponseMeta::new(&OP, StatusCode::OK, headers, RateLimitInfo::default(), 1);
            Ok(Response::new(page, meta))
        })
    }

    fn facts(page: &Page) -> PageFacts {
        PageFacts {
            items: page.items.len(),
            total: page.total,
            next: page.next.clone(),
            has_more: page.has_more,
        }
    }

    fn into_items(page: Page) -> Vec<u32> {
        page.items
    }

    fn start(&self) -> Option<u64> {
        self.start
    }

    fn seek(&mut self, next: NextPage) -> bool {
        self.at = Some(next);
        true
    }
}

/// Items `from..to`, capped at `len`.
fn range(from: u64, size: u64, len: u64) -> Vec<u32> {
    (from..(from + size).min(len)).map(|n| n as u32).collect()
}

/// An offset-paged collection of `len` items, pages of `size`.
fn offset_list(len: u64, size: u64, with_total: bool) -> Fake<0> {
    Fake::new(move |at| {
        let from = match at {
            None => 0,
            Some(NextPage::Offset(n)) => *n,
            other => panic!("unexpected {other:?}"),
        };
        Ok(Page {
            items: range(from, size, len),
            total: with_total.then_some(len),
            ..Page::default()
        })
    })
}

fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(future)
}

#[test]
fn offset_pages_stop_at_the_total() {
    let fake = offset_list(5, 2, true);
    let items = block_on(Items::new(fake.clone()).try_collect()).unwrap();
    assert_eq!(items, [0, 1, 2, 3, 4]);
    assert_eq!(
        fake.calls(),
        [None, Some(NextPage::Offset(2)), Some(NextPage::Offset(4))]
    );
}

#[test]
fn a_last_page_exactly_full_ends_the_stream_without_another_call_when_the_total_is_known() {
    let fake = offset_list(4, 2, true);
    assert_eq!(block_on(Items::new(fake.clone()).try_collect()).unwrap(), [0, 1, 2, 3]);
    assert_eq!(fake.calls().len(), 2);
    // Without a total, one more call finds the empty page that ends it.
    let fake = offset_list(4, 2, false);
    assert_eq!(block_on(Items::new(fake.clone()).try_collect()).unwrap(), [0, 1, 2, 3]);
    assert_eq!(fake.calls().len(), 3);
}

#[test]
fn an_empty_collection_is_one_call_and_no_items() {
    for with_total in [true, false] {
        let fake = offset_list(0, 10, with_total);
        assert!(block_on(Items::new(fake.clone()).try_collect()).unwrap().is_empty());
        assert_eq!(fake.calls().len(), 1);
    }
}

#[test]
fn the_callers_own_offset_is_where_paging_starts() {
    let mut fake = offset_list(5, 2, true);
    fake.start = Some(3);
    fake.at = Some(NextPage::Offset(3));
    assert_eq!(block_on(Items::new(fake.clone()).try_collect()).unwrap(), [3, 4]);
}

#[test]
fn max_pages_stops_early_and_an_error_ends_the_stream() {
    let fake = offset_list(100, 2, true);
    let pages = block_on(Pages::new(fake.clone()).max_pages(3).try_collect()).unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(fake.calls().len(), 3);

    let failing: Fake<0> = Fake::new(|at| match at {
        None => Ok(Page {
            items: vec![1, 2],
            ..Page::default()
        }),
        Some(_) => Err(503),
    });
    let seen: Vec<Result<u32, u16>> = block_on(Items::new(failing.clone()).collect());
    assert_eq!(seen, [Ok(1), Ok(2), Err(503)]);
    assert_eq!(failing.calls().len(), 2, "no call after the error");
}

#[test]
fn a_server_that_ignores_the_offset_does_not_page_forever() {
    let fake: Fake<0> = Fake::new(|_| {
        Ok(Page {
            items: vec![1, 2],
            ..Page::default()
        })
    });
    assert_eq!(block_on(Items::new(fake.clone()).try_collect()).unwrap(), [1, 2]);
    assert_eq!(
        fake.calls().len(),
        2,
        "the repeated page is asked for once and not yielded"
    );
}

#[test]
fn offset_paging_stops_when_the_page_says_there_is_no_more() {
    let fake: Fake<0> = Fake::new(|at| {
        let more = at.is_none();
        Ok(Page {
            items: if more { vec![1, 2] } else { vec![3] },
            has_more: Some(more),
            ..Page::default()
        })
    });
    assert_eq!(block_on(Items::new(fake.clone()).try_collect()).unwrap(), [1, 2, 3]);
    assert_eq!(fake.calls().len(), 2);
}

#[test]
fn page_numbers_count_up_to_the_last_page() {
    let fake: Fake<1> = Fake::new(|at| {
        let page = match at {
            None => 1,
            Some(NextPage::Page(n)) => *n,
            other => panic!("unexpected {other:?}"),
        };
        Ok(Page {
            items: range((page - 1) * 2, 2, 5),
            total: Some(3),
            ..Page::default()
        })
    });
    assert_eq!(
        block_on(Items::new(fake.clone()).try_collect()).unwrap(),
        [0, 1, 2, 3, 4]
    );
    assert_eq!(fake.calls(), [None, Some(NextPage::Page(2)), Some(NextPage::Page(3))]);
}

#[test]
fn a_repeated_cursor_stops_the_stream() {
    let fake: Fake<2> = Fake::new(|at| {
        let next = match at {
            None => "a",
            // The server answers every later page with the same cursor.
            Some(_) => "b",
        };
        Ok(Page {
            items: vec![7],
            next: Some(next.to_owned()),
            ..Page::default()
        })
    });
    assert_eq!(block_on(Items::new(fake.clone()).try_collect()).unwrap(), [7, 7, 7]);
    assert_eq!(
        fake.calls(),
        [
            None,
            Some(NextPage::Cursor("a".into())),
            Some(NextPage::Cursor("b".into()))
        ]
    );
}

#[test]
fn a_cursor_stops_when_absent_empty_or_when_there_is_no_more() {
    for last in [
        Page {
            items: vec![2],
            ..Page::default()
        },
        Page {
            items: vec![2],
            next: Some(String::new()),
            ..Page::default()
        },
        Page {
            items: vec![2],
            next: Some("c".into()),
            has_more: Some(false),
            ..Page::default()
        },
    ] {
        let fake: Fake<2> = Fake::new(move |at| match at {
            None => Ok(Page {
                items: vec![1],
                next: Some("x".into()),
                has_more: Some(true),
                ..Page::default()
            }),
            Some(_) => Ok(last.clone()),
        });
        assert_eq!(block_on(Items::new(fake.clone()).try_collect()).unwrap(), [1, 2]);
        assert_eq!(fake.calls().len(), 2);
    }
}

#[test]
fn the_last_items_id_is_the_next_cursor_while_there_is_more() {
    let fake: Fake<3> = Fake::new(|at| {
        let from = match at {
            None => 0,
            Some(NextPage::Cursor(id)) => id.parse::<u64>().unwrap() + 1,
            other => panic!("unexpected {other:?}"),
        };
        let items = range(from, 2, 5);
        Ok(Page {
            next: items.last().map(u32::to_string),
            has_more: Some(from + 2 < 5),
            items,
            ..Page::default()
        })
    });
    assert_eq!(
        block_on(Items::new(fake.clone()).try_collect()).unwrap(),
        [0, 1, 2, 3, 4]
    );
    assert_eq!(
        fake.calls(),
        [
            None,
            Some(NextPage::Cursor("1".into())),
            Some(NextPage::Cursor("3".into()))
        ]
    );
}

#[test]
fn link_headers_are_followed_until_absent_or_repeated() {
    let fake: Fake<4> = Fake::new(|at| {
        let (items, link) = match at {
            None => (
                vec![1],
                Some(r#"</things?page=2>; rel="next", </things?page=9>; rel="last""#),
            ),
            Some(NextPage::Url(url)) if url == "/things?page=2" => (vec![2], Some("</things?page=3>; rel=next")),
            Some(_) => (vec![3], None),
        };
        Ok(Page {
            items,
            link: link.map(str::to_owned),
            ..Page::default()
        })
    });
    assert_eq!(block_on(Items::new(fake.clone()).try_collect()).unwrap(), [1, 2, 3]);
    assert_eq!(fake.calls().len(), 3);

    let looping: Fake<4> = Fake::new(|_| {
        Ok(Page {
            items: vec![1],
            link: Some("</same>; rel=next".into()),
            ..Page::default()
        })
    });
    assert_eq!(block_on(Items::new(looping.clone()).try_collect()).unwrap(), [1, 1]);
    assert_eq!(looping.calls().len(), 2);
}

#[test]
fn next_urls_in_the_body_are_followed() {
    let fake: Fake<5> = Fake::new(|at| {
        Ok(match at {
            None => Page {
                items: vec![1],
                next: Some("/things?after=1".into()),
                ..Page::default()
            },
            Some(_) => Page {
                items: vec![2],
                ..Page::default()
            },
        })
    });
    assert_eq!(block_on(Items::new(fake.clone()).try_collect()).unwrap(), [1, 2]);
    assert_eq!(fake.calls(), [None, Some(NextPage::Url("/things?after=1".into()))]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// `items()` yields exactly the concatenation of the pages `pages()`
    /// yields, and that is every item the server holds, whatever page
    /// sizes the server chooses (empty pages in the middle included).
    #[test]
    fn items_are_the_concatenation_of_the_pages(sizes in proptest::collection::vec(0usize..5, 1..8)) {
        let mut counter = 0u32;
        let pages: Vec<Vec<u32>> = sizes
            .iter()
            .map(|size| (0..*size).map(|_| { counter += 1; counter }).collect())
            .collect();
        let script = pages.clone();
        let fake: Fake<2> = Fake::new(move |at| {
            let index: usize = match at {
                None => 0,
                Some(NextPage::Cursor(n)) => n.parse().unwrap(),
                other => panic!("unexpected {other:?}"),
            };
            let more = index + 1 < script.len();
            Ok(Page {
                items: script[index].clone(),
                next: more.then(|| (index + 1).to_string()),
                has_more: Some(more),
                ..Page::default()
            })
        });
        let items = block_on(Items::new(fake.clone()).try_collect()).unwrap();
        let from_pages: Vec<u32> = block_on(Pages::new(fake).try_collect())
            .unwrap()
            .into_iter()
            .flat_map(|page| page.into_body().items)
            .collect();
        prop_assert_eq!(&items, &from_pages);
        prop_assert_eq!(items, pages.concat());
    }

    /// Offset paging yields every item once, in order, for any page size
    /// and collection size, with or without a total.
    #[test]
    fn offset_paging_yields_every_item_once(len in 0u64..40, size in 1u64..7, with_total in any::<bool>()) {
        let fake = offset_list(len, size, with_total);
        let items = block_on(Items::new(fake.clone()).try_collect()).unwrap();
        prop_assert_eq!(items, (0..len as u32).collect::<Vec<u32>>());
        let full_pages = len.div_ceil(size);
        let calls = fake.calls().len() as u64;
        prop_assert_eq!(calls, if with_total { full_pages.max(1) } else { full_pages + 1 });
    }
}
