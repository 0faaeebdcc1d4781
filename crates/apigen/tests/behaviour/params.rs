//! Parameter serialisation on the wire: path, query, header and cookie
//! parameters in their OpenAPI styles, checked byte for byte on what a
//! local server receives, and a value that cannot be encoded failing before
//! anything is sent.

use params_api::types::{Filter, FilterOwner, Point, State};
use params_api::{Client, Server};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::builder()
        .listener(std::net::TcpListener::bind("127.0.0.1:0").expect("a local port"))
        .start()
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
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

#[tokio::test]
async fn path_parameters_follow_simple_label_and_matrix() {
    let server = server().await;
    client(&server)
        .get_paths(
            "a b",
            vec![1, 2, 3],
            Point { x: 1, y: 2 },
            2.5,
            Point { x: 3, y: 4 },
            vec!["a".to_owned(), "b/c".to_owned()],
            Point { x: 5, y: 6 },
        )
        .await
        .expect("204");
    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/paths/a%20b/1,2,3/x=1,y=2/.2.5/.x=3.y=4/;tags=a;tags=b%2Fc;grid=x,5,y,6"
    );
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn query_parameters_follow_their_styles() {
    let server = server().await;
    client(&server)
        .get_query()
        .limit(10)
        .tag(vec!["a".to_owned(), "b c".to_owned()])
        .ids(vec![1, 2])
        .point(Point { x: 1, y: 2 })
        .words(vec!["hello".to_owned(), "world".to_owned()])
        .states(vec![State::Open, State::Closed])
        .filter(Filter {
            state: Some(State::Open),
            owner: Some(FilterOwner {
                name: Some("ada".to_owned()),
            }),
            labels: Some(vec!["x".to_owned()]),
        })
        .redirect("https://e.test/a?b=c&d")
        .coords(Point { x: 1, y: 2 })
        .points(vec![Point { x: 7, y: 8 }])
        .order(params_api::types::GetQueryOrder {
            field: Some("name".to_owned()),
            desc: Some(true),
        })
        .await
        .expect("204");
    let request = only_request(&server).await;
    let expected = [
        "coords=%7B%22x%22%3A1%2C%22y%22%3A2%7D",
        "filter%5Bstate%5D=open&filter%5Bowner%5D%5Bname%5D=ada&filter%5Blabels%5D%5B%5D=x",
        "ids=1,2",
        "limit=10",
        "order%5Bfield%5D=name&order%5Bdesc%5D=true",
        "x=1&y=2",
        "points=%7B%22x%22%3A7%2C%22y%22%3A8%7D",
        "redirect=https://e.test/a?b%3Dc%26d",
        "states=open%7Cclosed",
        "tag=a&tag=b%20c",
        "words=hello%20world",
    ]
    .join("&");
    assert_eq!(request.url.query(), Some(expected.as_str()));
}

#[tokio::test]
async fn header_and_cookie_parameters() {
    let server = server().await;
    client(&server)
        .get_headers(vec![1, 2], "s 1;x")
        .x_point(Point { x: 1, y: 2 })
        .x_trace("t-1")
        .prefs(vec!["a".to_owned(), "b".to_owned()])
        .await
        .expect("204");
    let request = only_request(&server).await;
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(header("x-ids").as_deref(), Some("1,2"));
    assert_eq!(header("x-point").as_deref(), Some("x=1,y=2"));
    assert_eq!(header("x-trace").as_deref(), Some("t-1"));
    assert_eq!(header("cookie").as_deref(), Some("prefs=a,b; session=s%201%3Bx"));
}

#[tokio::test]
async fn a_value_that_cannot_be_encoded_is_an_error_and_nothing_is_sent() {
    let server = server().await;
    let result = client(&server)
        .get_paths(
            "a",
            vec![1],
            Point { x: 1, y: 2 },
            f64::NAN,
            Point { x: 3, y: 4 },
            vec!["a".to_owned()],
            Point { x: 5, y: 6 },
        )
        .await;
    match result {
        Err(params_api::errors::GetPathsError::Request(err)) => {
            assert_eq!(err.kind(), apigen_runtime::RequestErrorKind::Encode);
            assert!(err.to_string().contains("ratio"), "{err}");
        }
        other => panic!("expected an encode error, got {other:?}"),
    }
    let received = server.received_requests().await.expect("recording is on");
    assert!(received.is_empty(), "no request may be sent");
}
