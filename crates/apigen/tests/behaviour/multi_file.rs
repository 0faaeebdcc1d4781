//! A document split over several files generates one client: a path item, a
//! parameter, a response and schemas from other files (YAML and JSON, with a
//! cycle between two of them) send the right request and decode the body.

use apigen_runtime::{ClientConfig, RetryPolicy};
use multi_file_api::Client;
use multi_file_api::types::{Owner, Pet, Tag};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn serve(route: &str, body: Value) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;
    let config = ClientConfig::new(&server.uri())
        .expect("the mock server's address is a valid base URL")
        .retry(RetryPolicy::disabled())
        .decode_policy(apigen_runtime::DecodePolicy::Strict);
    let client = Client::from_config(config).expect("a client for the mock server");
    (server, client)
}

#[tokio::test]
async fn a_pet_from_another_file_decodes_with_its_owner_from_a_json_file() {
    let body = json!({
        "id": 7,
        "name": "Rex",
        "owner": {"name": "Ada", "pets": [{"id": 8, "name": "Tom"}]},
        "tags": [{"label": "good"}]
    });
    let (_server, client) = serve("/pets/7", body.clone()).await;
    let pet: Pet = client.get_pet(7).await.expect("a pet").into_body();
    assert_eq!(pet.id, 7);
    assert_eq!(pet.name, "Rex");
    let owner: &Owner = pet.owner.as_ref().expect("an owner");
    assert_eq!(owner.name, "Ada");
    let pets = owner.pets.as_ref().expect("the owner's pets");
    assert_eq!(pets.len(), 1);
    assert_eq!(pets.first().map(|p| (p.id, p.name.as_str())), Some((8, "Tom")));
    assert_eq!(pet.tags, Some(vec![Tag { label: "good".into() }]));
    assert_eq!(serde_json::to_value(&pet).expect("a pet encodes"), body);
}

#[tokio::test]
async fn a_list_of_owners_decodes() {
    let (_server, client) = serve("/owners", json!([{"name": "Ada"}, {"name": "Bo", "pets": []}])).await;
    let owners: Vec<Owner> = client.list_owners().await.expect("owners").into_body();
    let names: Vec<&str> = owners.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["Ada", "Bo"]);
    assert_eq!(owners.get(1).and_then(|o| o.pets.as_ref()).map(Vec::len), Some(0));
}
