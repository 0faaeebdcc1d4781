//! Paginators: every page (or every item) of a list operation as a
//! [`Stream`], whatever convention the API pages by.
//!
//! The generator decides, per operation, which [`PageRule`] applies and
//! which fields of the page hold the items and the paging facts; the
//! generated request builder implements [`Paginated`] with exactly that
//! and nothing else. Everything else lives here: when to stop, what the
//! next request is, and never asking for the same page twice.
//!
//! Each page is one ordinary call of the builder's `send`, so retries,
//! rate-limit pacing, timeouts and the decode policy apply to every page.
//! A failed page ends the stream after yielding its error; dropping the
//! stream cancels the call in flight. A cursor or link the stream has
//! already followed ends it instead of being followed again, and under the
//! offset and page-number rules so does a page equal to the one before it.

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

pub use futures_core::Stream;

use crate::response::Response;

/// How an operation says where the next page starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageRule {
    /// An `offset` parameter counts the items to skip: the next page starts
    /// after the items received so far. The stream ends on an empty page,
    /// when the offset reaches the total the page reports, or when the page
    /// says there is no more.
    Offset,
    /// A page-number parameter: the next page is the next number, starting
    /// at `first` when the caller set none. The stream ends on an empty
    /// page, or after the last page the response reports.
    PageNumber {
        /// The number of the first page (usually 1).
        first: u64,
    },
    /// A cursor parameter fed from a field of the page (such as
    /// `next_cursor` or `continuationToken`). The stream ends when the
    /// page has no cursor, says there is no more, repeats a cursor, or is
    /// empty without saying whether more follow.
    Cursor,
    /// A parameter fed with the last item's identifier (such as
    /// `starting_after`), while the page says there is more.
    LastItem,
    /// The `Link: <...>; rel="next"` response header holds the next page's
    /// URL. The stream ends when there is none or it repeats.
    LinkHeader,
    /// A field of the page holds the next page's URL. The stream ends when
    /// it is absent or repeats.
    NextUrl,
}

/// What a page says about the pages after it, read by generated code from
/// the page's own fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageFacts {
    /// How many items the page holds.
    pub items: usize,
    /// For [`PageRule::Offset`], the total number of items; for
    /// [`PageRule::PageNumber`], the number of pages. `None` when the page
    /// does not say.
    pub total: Option<u64>,
    /// For [`PageRule::Cursor`], the next cursor; for
    /// [`PageRule::LastItem`], the last item's identifier; for
    /// [`PageRule::NextUrl`], the next page's URL.
    pub next: Option<String>,
    /// Whether the page says more pages follow, when it does.
    pub has_more: Option<bool>,
}

/// Where the next page starts, as handed to [`Paginated::seek`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NextPage {
    /// The offset of the next page's first item.
    Offset(u64),
    /// The next page's number.
    Page(u64),
    /// The cursor or identifier to send in the paging parameter.
    Cursor(String),
    /// The URL to send the next request to
    /// ([`RequestOptions::follow_link`](crate::RequestOptions::follow_link)).
    Url(String),
}

/// The boxed future of one page.
pub type PageFuture<P, E> = Pin<Box<dyn Future<Output = Result<Response<P>, E>> + Send>>;

/// One page as the stream yields it.
type PageResult<R> = Result<Response<<R as Paginated>::Page>, <R as Paginated>::Error>;

/// A request builder of a list operation: implemented by generated code.
pub trait Paginated: Clone + Send + 'static {
    /// The decoded page (the success body). Compared with the page before
    /// it under offset and page-number rules: a server that ignores the
    /// position would otherwise send the same page forever.
    type Page: Clone + PartialEq + Send + 'static;
    /// One item of a page.
    type Item: Send + 'static;
    /// The operation's error.
    type Error: Send + 'static;
    /// How the operation pages.
    const RULE: PageRule;
    /// Sends this request for one page.
    fn send_page(self) -> PageFuture<Self::Page, Self::Error>;
    /// The paging facts of a page.
    fn facts(page: &Self::Page) -> PageFacts;
    /// Takes the items out of a page.
    fn into_items(page: Self::Page) -> Vec<Self::Item>;
    /// The offset or page number this request asks for, when the caller
    /// set one.
    fn start(&self) -> Option<u64>;
    /// Points this request at the next page; `false` when the value does
    /// not fit the operation's parameter (an offset beyond its integer
    /// type), which ends the stream.
    fn seek(&mut self, next: NextPage) -> bool;
}

/// Every page of a list operation, in order: a [`Stream`] of
/// `Result<Response<Page>, Error>`.
///
/// Create it with a generated builder's `pages()`. Use [`next`](Self::next)
/// directly, or any `Stream` combinator (`futures::StreamExt`,
/// `tokio_stream::StreamExt`).
#[must_use = "a stream does nothing unless polled"]
pub struct Pages<R: Paginated> {
    request: Option<R>,
    in_flight: Option<PageFuture<R::Page, R::Error>>,
    position: u64,
    seen: HashSet<String>,
    previous: Option<R::Page>,
    pages: u64,
    max_pages: Option<u64>,
}

impl<R: Paginated> Pages<R> {
    /// Starts at the page `request` asks for.
    pub fn new(request: R) -> Self {
        let position = match R::RULE {
            PageRule::PageNumber { first } => request.start().unwrap_or(first),
            _ => request.start().unwrap_or(0),
        };
        Self {
            request: Some(request),
            in_flight: None,
            position,
            seen: HashSet::new(),
            previous: None,
            pages: 0,
            max_pages: None,
        }
    }

    /// Stops after `pages` pages, whether or not more follow.
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = Some(pages);
        self
    }

    /// Every item of every page instead of the pages.
    pub fn items(self) -> Items<R> {
        Items {
            pages: self,
            buffered: VecDeque::new(),
        }
    }

    /// The next page; `None` after the last one or after an error.
    pub async fn next(&mut self) -> Option<PageResult<R>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    /// Every remaining page, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<Response<R::Page>>, R::Error> {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page?);
        }
        Ok(pages)
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<PageResult<R>>> {
        if self.in_flight.is_none() {
            let Some(request) = self.request.take() else {
                return Poll::Ready(None);
            };
            if self.max_pages.is_some_and(|max| self.pages >= max) {
                return Poll::Ready(None);
            }
            self.pages += 1;
            // The request stays here, to be pointed at the page after this one.
            self.request = Some(request.clone());
            self.in_flight = Some(request.send_page());
        }
        let Some(in_flight) = self.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        let result = ready!(in_flight.as_mut().poll(cx));
        self.in_flight = None;
        match result {
            Ok(page) => {
                if matches!(R::RULE, PageRule::Offset | PageRule::PageNumber { .. }) {
                    if self.previous.as_ref() == Some(page.body()) {
                        tracing::warn!(
                            pages = self.pages,
                            "the server sent the same page again for the next position; pagination stops"
                        );
                        self.request = None;
                        return Poll::Ready(None);
                    }
                    self.previous = Some(page.body().clone());
                }
                self.advance(&page);
                Poll::Ready(Some(Ok(page)))
            }
            Err(error) => {
                self.request = None;
                Poll::Ready(Some(Err(error)))
            }
        }
    }

    /// Points the kept request at the page after `page`, or drops it when
    /// `page` is the last.
    fn advance(&mut self, page: &Response<R::Page>) {
        let facts = R::facts(page.body());
        let next = match R::RULE {
            PageRule::Offset => {
                let next = self.position.saturating_add(facts.items as u64);
                let ended =
                    facts.items == 0 || facts.has_more == Some(false) || facts.total.is_some_and(|total| next >= total);
                (!ended).then(|| {
                    self.position = next;
                    NextPage::Offset(next)
                })
            }
            PageRule::PageNumber { first } => {
                let received = self.position.saturating_sub(first).saturating_add(1);
                let ended = facts.items == 0
                    || facts.has_more == Some(false)
                    || facts.total.is_some_and(|pages| received >= pages);
                (!ended).then(|| {
                    self.position = self.position.saturating_add(1);
                    NextPage::Page(self.position)
                })
            }
            PageRule::Cursor => {
                let ended = facts.has_more == Some(false) || (facts.items == 0 && facts.has_more.is_none());
                self.fresh(facts.next.filter(|_| !ended)).map(NextPage::Cursor)
            }
            PageRule::LastItem => {
                let ended = facts.items == 0 || facts.has_more != Some(true);
                self.fresh(facts.next.filter(|_| !ended)).map(NextPage::Cursor)
            }
            PageRule::LinkHeader => {
                let link = page
                    .headers()
                    .get_all(http::header::LINK)
                    .iter()
                    .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
                    .find_map(|value| crate::link_header::link_with_rel(&value, "next").map(str::to_owned));
                self.fresh(link).map(NextPage::Url)
            }
            PageRule::NextUrl => self.fresh(facts.next).map(NextPage::Url),
        };
        let moved = match (next, self.request.as_mut()) {
            (Some(next), Some(request)) => {
                let position = format!("{next:?}");
                let moved = request.seek(next);
                if !moved {
                    tracing::warn!(
                        next = %position,
                        "the next page's position does not fit the operation's parameter; pagination stops"
                    );
                }
                moved
            }
            _ => false,
        };
        if !moved {
            self.request = None;
        }
    }

    /// `marker` when it is a cursor or link not seen before in this stream;
    /// a repeated one would ask for a page already received, forever.
    fn fresh(&mut self, marker: Option<String>) -> Option<String> {
        let marker = marker.filter(|marker| !marker.is_empty())?;
        if self.seen.insert(marker.clone()) {
            Some(marker)
        } else {
            tracing::warn!(
                pages = self.pages,
                "the server repeated a page cursor or link; pagination stops instead of asking for a page it already sent"
            );
            None
        }
    }
}

impl<R: Paginated> Unpin for Pages<R> {}

impl<R: Paginated> Stream for Pages<R> {
    type Item = PageResult<R>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

impl<R: Paginated + std::fmt::Debug> std::fmt::Debug for Pages<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("request", &self.request)
            .field("in_flight", &self.in_flight.is_some())
            .field("pages", &self.pages)
            .field("max_pages", &self.max_pages)
            .finish()
    }
}

/// Every item of every page of a list operation, in order: a [`Stream`] of
/// `Result<Item, Error>`. Create it with a generated builder's `items()`.
#[must_use = "a stream does nothing unless polled"]
pub struct Items<R: Paginated> {
    pages: Pages<R>,
    buffered: VecDeque<R::Item>,
}

impl<R: Paginated> Items<R> {
    /// Starts at the page `request` asks for.
    pub fn new(request: R) -> Self {
        Pages::new(request).items()
    }

    /// Stops after the items of `pages` pages, whether or not more follow.
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.pages.max_pages = Some(pages);
        self
    }

    /// The next item; `None` after the last one or after an error.
    pub async fn next(&mut self) -> Option<Result<R::Item, R::Error>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Every remaining item, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<R::Item>, R::Error> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<R::Item, R::Error>>> {
        // Each turn takes one more page: only empty pages come round again.
        loop {
            if let Some(item) = self.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(self.pages.poll_page(cx)) {
                Some(Ok(page)) => self.buffered.extend(R::into_items(page.into_body())),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }
}

impl<R: Paginated> Unpin for Items<R> {}

impl<R: Paginated> Stream for Items<R> {
    type Item = Result<R::Item, R::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

impl<R: Paginated + std::fmt::Debug> std::fmt::Debug for Items<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffered.len())
            .finish()
    }
}

#[cfg(test)]
mod tests;
