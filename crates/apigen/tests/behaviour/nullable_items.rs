//! `null` in array items and map values decodes as `None` next to the values
//! around it, whether the item schema is nullable itself, wraps a `$ref` in
//! a nullable `allOf`, or refers to a nullable component.

use std::collections::BTreeMap;

use apigen_runtime::{ClientConfig, RetryPolicy};
use nullable_items_api::Client;
use nullable_items_api::types::{FileMini, Owner};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client_for(server: &MockServer) -> Client {
    let config = ClientConfig::new(&server.uri())
        .expect("the mock server's address is a valid base URL")
        .retry(RetryPolicy::disabled())
        .decode_policy(apigen_runtime::DecodePolicy::Strict);
    Client::from_config(config).expect("a client for the mock server")
}

#[tokio::test]
async fn null_items_and_values_decode_as_none() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/folders/f1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "f1",
            "tags": ["red", null],
            "entries": [null, {"id": "a", "name": "a.txt"}],
            "sizes": {"a.txt": 12, "b.txt": null},
            "counts": {"total": 3, "files": 2, "links": null},
            "owners": [{"login": "ann"}, null],
            "names": ["x"]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    let folder = client.get_folder("f1").await.expect("a folder").into_body();
    assert_eq!(folder.tags, Some(vec![Some("red".to_owned()), None]));
    assert_eq!(
        folder.entries,
        Some(vec![
            None,
            Some(FileMini {
                id: "a".into(),
                name: Some("a.txt".into())
            })
        ])
    );
    let sizes = BTreeMap::from([("a.txt".to_owned(), Some(12)), ("b.txt".to_owned(), None)]);
    assert_eq!(folder.sizes, Some(sizes));
    let counts = folder.counts.expect("counts");
    assert_eq!(counts.total, 3);
    let by_kind = BTreeMap::from([("files".to_owned(), Some(2)), ("links".to_owned(), None)]);
    assert_eq!(counts.additional_properties, by_kind);
    assert_eq!(folder.owners, Some(vec![Some(Owner { login: "ann".into() }), None]));
    assert_eq!(folder.names, Some(vec!["x".to_owned()]));
}

#[test]
fn none_items_are_sent_back_as_null() {
    let folder = nullable_items_api::types::Folder {
        id: "f2".into(),
        tags: Some(vec![None, Some("blue".into())]),
        entries: None,
        sizes: Some(BTreeMap::from([("c".to_owned(), None)])),
        counts: None,
        owners: Some(vec![None]),
        names: None,
    };
    let value = serde_json::to_value(&folder).expect("a folder serialises");
    assert_eq!(
        value,
        json!({"id": "f2", "tags": [null, "blue"], "sizes": {"c": null}, "owners": [null]})
    );
}
