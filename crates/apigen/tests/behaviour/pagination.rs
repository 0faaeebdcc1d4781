//! The client generated from `tests/fixtures/pagination.yaml` against
//! wiremock: every paging convention's `pages()` and `items()` make exactly
//! the requests the convention calls for, stop at the end (an empty
//! collection, a last page exactly full), never ask again for a repeated
//! cursor or link, ride out a 429 in the middle through the client's retry,
//! and never send the credential to a link outside the base URL.

use std::time::Duration;

use apigen_runtime::{RequestErrorKind, RetryPolicy};
use futures::StreamExt;
use pagination_api::errors::ListReposError;
use pagination_api::{Client, Server};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    let retry = RetryPolicy::default()
        .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .with_max_attempts(3);
    Client::from_config(Client::config(Server::Custom(server.uri())).unwrap().retry(retry)).unwrap()
}

/// Answers `GET path` with `body` once, for requests that pass `matchers`
/// (query parameters given as `(name, Some(value))`, or `(name, None)` for absent).
async fn page(server: &MockServer, at: &str, query: &[(&str, Option<&str>)], body: Value) {
    page_with(server, at, query, ResponseTemplate::new(200).set_body_json(body)).await;
}

async fn page_with(server: &MockServer, at: &str, query: &[(&str, Option<&str>)], response: ResponseTemplate) {
    let mut mock = Mock::given(method("GET")).and(path(at));
    for (name, value) in query {
        mock = match value {
            Some(value) => mock.and(query_param(*name, *value)),
            None => mock.and(query_param_is_missing(*name)),
        };
    }
    mock.respond_with(response).expect(1).mount(server).await;
}

fn flags(keys: &[&str], total: u64) -> Value {
    json!({
        "items": keys.iter().map(|key| json!({"key": key})).collect::<Vec<_>>(),
        "totalCount": total,
        "_links": {"self": {"href": "/flags"}},
    })
}

#[tokio::test]
async fn offset_pages_stop_when_a_last_page_exactly_full_reaches_the_total() {
    let server = MockServer::start().await;
    page(&server, "/flags", &[("limit", Some("2")), ("offset", None)], flags(&["a", "b"], 4)).await;
    page(&server, "/flags", &[("limit", Some("2")), ("offset", Some("2"))], flags(&["c", "d"], 4)).await;
    let keys: Vec<String> = client(&server)
        .list_flags()
        .limit(2)
        .items()
        .try_collect()
        .await
        .unwrap()
        .into_iter()
        .map(|flag| flag.key)
        .collect();
    assert_eq!(keys, ["a", "b", "c", "d"]);
    // `expect(1)` on each page: exactly two calls, no third for an empty page.
}

#[tokio::test]
async fn an_empty_collection_is_one_call_and_no_items() {
    let server = MockServer::start().await;
    page(&server, "/flags", &[("offset", None)], flags(&[], 0)).await;
    let pages = client(&server).list_flags().pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 1);
    assert!(pages[0].items.is_empty());
    assert_eq!(pages[0].status(), 200);
}

#[tokio::test]
async fn the_callers_offset_is_where_paging_starts_and_max_pages_stops_it() {
    let server = MockServer::start().await;
    page(&server, "/flags", &[("offset", Some("10"))], flags(&["k", "l"], 100)).await;
    page(&server, "/flags", &[("offset", Some("12"))], flags(&["m", "n"], 100)).await;
    let items = client(&server)
        .list_flags()
        .offset(10)
        .items()
        .max_pages(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 4);
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream_instead_of_looping() {
    let server = MockServer::start().await;
    let events = |ids: &[&str], next: Value| {
        json!({"events": ids.iter().map(|id| json!({"id": id})).collect::<Vec<_>>(), "meta": {"next_cursor": next}})
    };
    page(&server, "/events", &[("cursor", None)], events(&["e1"], json!("c1"))).await;
    // The server answers the second page with the cursor it already gave.
    page(&server, "/events", &[("cursor", Some("c1"))], events(&["e2"], json!("c1"))).await;
    let mut stream = client(&server).list_events().page_size(1).items();
    let mut ids = Vec::new();
    while let Some(event) = stream.next().await {
        ids.push(event.unwrap().id);
    }
    assert_eq!(ids, ["e1", "e2"]);
}

#[tokio::test]
async fn a_null_cursor_ends_the_stream() {
    let server = MockServer::start().await;
    page(&server, "/events", &[("cursor", None)], json!({"events": [{"id": "e1"}], "meta": {"next_cursor": "c1"}})).await;
    page(&server, "/events", &[("cursor", Some("c1"))], json!({"events": [{"id": "e2"}], "meta": {"next_cursor": null}})).await;
    let items = client(&server).list_events().items().try_collect().await.unwrap();
    assert_eq!(items.len(), 2);
}

#[tokio::test]
async fn a_429_in_the_middle_is_retried_and_paging_goes_on() {
    let server = MockServer::start().await;
    let charges = |ids: &[&str], more: bool| {
        json!({"data": ids.iter().map(|id| json!({"id": id, "amount": 1})).collect::<Vec<_>>(), "has_more": more})
    };
    page(&server, "/charges", &[("starting_after", None)], charges(&["ch_1", "ch_2"], true)).await;
    // The second page is rate limited once, then served.
    Mock::given(method("GET"))
        .and(path("/charges"))
        .and(query_param("starting_after", "ch_2"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    page(&server, "/charges", &[("starting_after", Some("ch_2"))], charges(&["ch_3"], false)).await;
    let pages = client(&server).list_charges().limit(2).pages().try_collect().await.unwrap();
    let ids: Vec<&str> = pages.iter().flat_map(|page| page.data.iter().map(|c| c.id.as_str())).collect();
    assert_eq!(ids, ["ch_1", "ch_2", "ch_3"]);
    assert_eq!(pages[1].meta().attempts(), 2, "the second page took a retry");
}

#[tokio::test]
async fn link_headers_are_followed_until_there_is_no_next() {
    let server = MockServer::start().await;
    let next = format!("<{}/repos?page=2&per_page=1>; rel=\"next\", <{}/repos?page=2&per_page=1>; rel=\"last\"", server.uri(), server.uri());
    page_with(
        &server,
        "/repos",
        &[("page", None), ("per_page", Some("1"))],
        ResponseTemplate::new(200).insert_header("Link", next.as_str()).set_body_json(json!([{"name": "one"}])),
    )
    .await;
    page(&server, "/repos", &[("page", Some("2")), ("per_page", Some("1"))], json!([{"name": "two"}])).await;
    let names: Vec<String> = client(&server)
        .list_repos()
        .per_page(1)
        .items()
        .try_collect()
        .await
        .unwrap()
        .into_iter()
        .map(|repo| repo.name)
        .collect();
    assert_eq!(names, ["one", "two"]);
}

#[tokio::test]
async fn a_link_outside_the_base_url_is_an_error_and_nothing_is_sent_there() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    page_with(
        &server,
        "/repos",
        &[],
        ResponseTemplate::new(200)
            .insert_header("Link", format!("<{}/repos?page=2>; rel=\"next\"", elsewhere.uri()).as_str())
            .set_body_json(json!([{"name": "one"}])),
    )
    .await;
    let seen: Vec<_> = client(&server).list_repos().items().collect().await;
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].as_ref().unwrap().name, "one");
    match &seen[1] {
        Err(ListReposError::Request(error)) => assert_eq!(error.kind(), RequestErrorKind::InvalidPath),
        other => panic!("expected a refused link, got {other:?}"),
    }
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn page_numbers_count_up_to_the_total_pages() {
    let server = MockServer::start().await;
    page(&server, "/users", &[("page", None)], json!({"users": ["a", "b"], "total_pages": 2})).await;
    page(&server, "/users", &[("page", Some("2"))], json!({"users": ["c"], "total_pages": 2})).await;
    let users = client(&server).list_users().items().try_collect().await.unwrap();
    assert_eq!(users, ["a", "b", "c"]);
}

#[tokio::test]
async fn next_urls_in_the_body_are_followed_with_their_own_query() {
    let server = MockServer::start().await;
    page(
        &server,
        "/messages",
        &[("PageSize", Some("1")), ("PageToken", None)],
        json!({"messages": ["m1"], "next_page_uri": "/messages?PageSize=1&Page=1&PageToken=PA1"}),
    )
    .await;
    page(
        &server,
        "/messages",
        &[("PageSize", Some("1")), ("Page", Some("1")), ("PageToken", Some("PA1"))],
        json!({"messages": ["m2"], "next_page_uri": null}),
    )
    .await;
    let messages = client(&server).list_messages().page_size(1).items().try_collect().await.unwrap();
    assert_eq!(messages, ["m1", "m2"]);
}

#[tokio::test]
async fn a_configured_convention_pages_by_the_last_items_field() {
    let server = MockServer::start().await;
    page(
        &server,
        "/audit",
        &[("before", None)],
        json!({"entries": [{"date": "2026-12-03"}, {"date": "2026-12-02"}], "more": true}),
    )
    .await;
    page(&server, "/audit", &[("before", Some("2026-12-02"))], json!({"entries": [{"date": "2026-12-01"}], "more": false})).await;
    let dates: Vec<String> = client(&server)
        .list_audit()
        .items()
        .try_collect()
        .await
        .unwrap()
        .into_iter()
        .map(|entry| entry.date)
        .collect();
    assert_eq!(dates, ["2026-12-03", "2026-12-02", "2026-12-01"]);
}

#[tokio::test]
async fn an_error_page_ends_the_stream_after_yielding_the_error() {
    let server = MockServer::start().await;
    page(&server, "/flags", &[("offset", None)], flags(&["a"], 3)).await;
    page_with(&server, "/flags", &[("offset", Some("1"))], ResponseTemplate::new(404)).await;
    let seen: Vec<_> = client(&server).list_flags().items().collect().await;
    assert_eq!(seen.len(), 2);
    assert!(seen[0].is_ok());
    assert!(seen[1].is_err());
}

mod typed_mocks {
    //! The same conventions served by the crate's own typed mocks.

    use std::time::Duration;

    use pagination_api::mock::MockServer;
    use pagination_api::types::{Flag, Flags, ListChargesResponse, Repo};

    fn flags(keys: &[&str], total: i64) -> Flags {
        Flags {
            items: keys.iter().map(|key| Flag { key: (*key).to_owned() }).collect(),
            total_count: Some(total),
            links: None,
        }
    }

    #[tokio::test]
    async fn respond_pages_serves_offset_pages_and_items_reads_them_all() {
        let server = MockServer::start().await;
        server
            .list_flags()
            .respond_pages(vec![flags(&["a", "b"], 3), flags(&["c"], 3)])
            .await;
        let items = server.client().list_flags().limit(2).items().try_collect().await.unwrap();
        let keys: Vec<&str> = items.iter().map(|flag| flag.key.as_str()).collect();
        assert_eq!(keys, ["a", "b", "c"]);
    }

    #[tokio::test]
    async fn link_header_pages_get_their_links_from_the_mock() {
        let server = MockServer::start().await;
        let repo = |name: &str| Repo { name: name.to_owned() };
        server
            .list_repos()
            .with_per_page(1)
            .respond_pages(vec![vec![repo("one")], vec![repo("two")], vec![repo("three")]])
            .await;
        let names: Vec<String> = server
            .client()
            .list_repos()
            .per_page(1)
            .items()
            .try_collect()
            .await
            .unwrap()
            .into_iter()
            .map(|repo| repo.name)
            .collect();
        assert_eq!(names, ["one", "two", "three"]);
    }

    #[tokio::test]
    async fn a_rate_limited_expectation_is_waited_out_by_the_client() {
        let server = MockServer::start().await;
        let page = ListChargesResponse {
            data: Vec::new(),
            has_more: false,
        };
        server
            .list_charges()
            .with_limit(5)
            .rate_limited(Duration::ZERO)
            .times(1)
            .respond_ok(page)
            .await;
        let response = server.client().list_charges().limit(5).await.unwrap();
        assert_eq!(response.meta().attempts(), 2);
        assert!(response.data.is_empty());
    }

    #[tokio::test]
    async fn respond_status_answers_anything() {
        let server = MockServer::start().await;
        server.list_tags().respond_status(503, serde_json::json!({"message": "down"})).await;
        let config = server.config().retry(apigen_runtime::RetryPolicy::disabled());
        let error = pagination_api::Client::from_config(config).unwrap().list_tags().await.unwrap_err();
        assert_eq!(apigen_runtime::OperationError::meta(&error).map(|meta| meta.status().as_u16()), Some(503));
    }
}
