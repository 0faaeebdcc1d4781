//! URL-encoded form bodies on the wire: the exact body bytes for the
//! Encoding Object's defaults, an `encoding` map (deepObject, brackets,
//! `explode: false`, `allowReserved`, JSON content) and a Twilio-style form.

use std::collections::BTreeMap;

use forms_api::types::{
    Address, AddressGeo, CreateImportRequestForm, CreateMessageRequest, CustomerForm, CustomerFormPrefs,
    CustomerFormProfile,
};
use forms_api::{Client, Server};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server(status: u16) -> MockServer {
    let server = MockServer::builder()
        .listener(std::net::TcpListener::bind("127.0.0.1:0").expect("a local port"))
        .start()
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_json(serde_json::json!({"id": "cus_1"})))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    let config = Client::config(Server::Custom(server.uri())).expect("config");
    Client::from_config(config.decode_policy(apigen_runtime::DecodePolicy::Strict)).expect("client")
}

async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut received = server.received_requests().await.expect("recording is on");
    assert_eq!(received.len(), 1, "exactly one request");
    received.remove(0)
}

fn content_type(request: &wiremock::Request) -> Option<&str> {
    request.headers.get("content-type").and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn a_ref_body_is_sent_with_its_encoding_map() {
    let server = server(200).await;
    let form = CustomerForm {
        name: "Ada L".to_owned(),
        email: Some("a@b.c".to_owned()),
        tags: Some(vec!["x".to_owned(), "y z".to_owned()]),
        ids: Some(vec![1, 2]),
        metadata: Some(BTreeMap::from([("plan".to_owned(), "pro+".to_owned())])),
        address: Some(Address {
            line1: Some("1 Main St".to_owned()),
            city: None,
            geo: Some(AddressGeo {
                lat: Some(1.5),
                lng: None,
            }),
        }),
        expand: Some(vec!["customer".to_owned(), "invoice".to_owned()]),
        prefs: Some(CustomerFormPrefs {
            newsletter: Some(true),
        }),
        profile: Some(CustomerFormProfile {
            bio: Some("hi".to_owned()),
        }),
        return_url: Some("https://x.test/back?a=1".to_owned()),
        legacy: Some("old".to_owned()),
    };
    let customer = client(&server).create_customer(form).await.expect("200");
    assert_eq!(customer.id.as_deref(), Some("cus_1"));
    let request = only_request(&server).await;
    assert_eq!(content_type(&request), Some("application/x-www-form-urlencoded"));
    let expected = [
        "name=Ada+L",
        "email=a%40b.c",
        "tags=x&tags=y+z",
        "ids=1,2",
        "metadata%5Bplan%5D=pro%2B",
        "address%5Bline1%5D=1+Main+St&address%5Bgeo%5D%5Blat%5D=1.5",
        "expand%5B%5D=customer&expand%5B%5D=invoice",
        "prefs=%7B%22newsletter%22%3Atrue%7D",
        "profile=%7B%22bio%22%3A%22hi%22%7D",
        "return_url=https://x.test/back?a%3D1",
        "legacy=old",
    ]
    .join("&");
    assert_eq!(String::from_utf8_lossy(&request.body), expected);
}

#[tokio::test]
async fn optional_fields_left_unset_are_not_sent() {
    let server = server(200).await;
    let form = CustomerForm {
        name: "Bo".to_owned(),
        email: None,
        tags: Some(Vec::new()),
        ids: None,
        metadata: None,
        address: None,
        expand: None,
        prefs: None,
        profile: None,
        return_url: None,
        legacy: None,
    };
    client(&server).create_customer(form).await.expect("200");
    let request = only_request(&server).await;
    assert_eq!(String::from_utf8_lossy(&request.body), "name=Bo");
}

#[tokio::test]
async fn an_inline_twilio_style_form_repeats_array_names() {
    let server = server(201).await;
    let message = CreateMessageRequest {
        to: "+15551234".to_owned(),
        body: Some("Hi there".to_owned()),
        media_url: Some(vec!["https://a.test/x.png".to_owned(), "https://a.test/y.png".to_owned()]),
        max_price: Some(0.5),
        send_as_mms: Some(true),
    };
    client(&server).create_message("AC1", message).await.expect("201");
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/Accounts/AC1/Messages.json");
    assert_eq!(content_type(&request), Some("application/x-www-form-urlencoded"));
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "To=%2B15551234&Body=Hi+there&MediaUrl=https%3A%2F%2Fa.test%2Fx.png\
         &MediaUrl=https%3A%2F%2Fa.test%2Fy.png&MaxPrice=0.5&SendAsMms=true"
    );
}

#[tokio::test]
async fn multipart_parts_take_the_content_types_of_the_encoding_map() {
    let server = server(204).await;
    let form = CreateImportRequestForm {
        data: apigen_runtime::multipart::FilePart::new(&b"a,b\n1,2\n"[..]),
        summary: Some("# Import".to_owned()),
        label: Some("q3".to_owned()),
        logo: None,
    };
    client(&server).create_import(form).await.expect("204");
    let request = only_request(&server).await;
    let body = String::from_utf8_lossy(&request.body).into_owned();
    assert!(
        body.contains("name=\"data\"; filename=\"data\"\r\nContent-Type: text/csv\r\n\r\na,b\n1,2\n\r\n"),
        "{body}"
    );
    assert!(
        body.contains("name=\"summary\"\r\nContent-Type: text/markdown\r\n\r\n# Import\r\n"),
        "{body}"
    );
    assert!(
        body.contains("name=\"label\"\r\nContent-Type: application/json\r\n\r\n\"q3\"\r\n"),
        "{body}"
    );
    assert!(!body.contains("name=\"logo\""), "{body}");
}
