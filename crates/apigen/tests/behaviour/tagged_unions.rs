//! Unions told apart by a tag property decode into the variant the tag
//! names, encode back byte for byte, keep unknown tags as JSON, and name the
//! variant when a body does not fit the shape its tag promised.

use apigen_runtime::{ClientConfig, RetryPolicy};
use serde_json::{Value, json};
use tagged_unions_api::Client;
use tagged_unions_api::types::{
    Answer, Choice, ChoiceVariant1, Component, Datum, DatumF64, DatumF64Type, Level, Mixed, Pet, SettingsKind, SettingsSize,
    Shape, Widget,
};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn serve(route: &str, body: Value) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
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
async fn the_tag_picks_the_float_member_and_the_value_encodes_back_identically() {
    let sent = json!({"type": "f64", "datum": 2});
    let (_server, client) = serve("/datum", sent.clone()).await;
    let datum = client.get_datum().await.expect("a datum").into_body();
    let Datum::F64(float) = &datum else {
        panic!("decoded into the wrong member: {datum:?}")
    };
    assert_eq!(float.type_, DatumF64Type::F64);
    assert_eq!(float.datum, 2.0);
    // `2.0` is written as `2.0`, which is the same JSON number as `2`.
    assert_eq!(serde_json::to_value(&datum).expect("encodes"), json!({"type": "f64", "datum": 2.0}));
}

#[tokio::test]
async fn the_integer_member_keeps_its_integer() {
    let (_server, client) = serve("/datum", json!({"type": "i64", "datum": 9007199254740993_i64})).await;
    let datum = client.get_datum().await.expect("a datum").into_body();
    let Datum::I64(integer) = &datum else {
        panic!("decoded into the wrong member: {datum:?}")
    };
    assert_eq!(integer.datum, 9_007_199_254_740_993);
    assert_eq!(
        serde_json::to_string(&datum).expect("encodes"),
        r#"{"type":"i64","datum":9007199254740993}"#
    );
}

#[tokio::test]
async fn a_request_body_carries_its_tag() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/datum"))
        .and(body_json(json!({"type": "f64", "datum": 0.5})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let config = ClientConfig::new(&server.uri())
        .expect("a base URL")
        .retry(RetryPolicy::disabled())
        .decode_policy(apigen_runtime::DecodePolicy::Strict);
    let client = Client::from_config(config).expect("a client");
    let body = Datum::F64(DatumF64 {
        type_: DatumF64Type::F64,
        datum: 0.5,
    });
    client.put_datum(body).await.expect("the server accepts the body");
}

#[tokio::test]
async fn an_unknown_tag_is_kept_as_json() {
    let sent = json!({"type": "u8", "datum": 1});
    let (_server, client) = serve("/datum", sent.clone()).await;
    let datum = client.get_datum().await.expect("a datum").into_body();
    assert_eq!(datum, Datum::Other(sent.clone()));
    assert_eq!(serde_json::to_value(&datum).expect("encodes"), sent);
}

#[tokio::test]
async fn a_body_that_does_not_fit_its_tag_names_the_member() {
    let (_server, client) = serve("/datum", json!({"type": "f64", "datum": "two"})).await;
    let error = client.get_datum().await.expect_err("the body does not fit the f64 member");
    let text = format!("{error} / {error:?}");
    assert!(
        text.contains("`Datum` with `type` = `f64` must be a `F64`"),
        "the error names the union, tag and member: {text}"
    );
}

#[tokio::test]
async fn a_const_tag_picks_its_member() {
    let (_server, client) = serve("/level", json!({"level": "high", "name": "boiler", "alarm": true})).await;
    let level = client.get_level().await.expect("a level").into_body();
    let Level::High(high) = &level else {
        panic!("decoded into the wrong member: {level:?}")
    };
    assert_eq!((high.name.as_str(), high.alarm), ("boiler", Some(true)));
}

#[tokio::test]
async fn inline_members_of_a_discriminator_are_chosen_by_their_own_tag() {
    let sent = json!([{"kind": "square", "side": 2.5}, {"kind": "circle", "radius": 1.0}, {"kind": "hexagon"}]);
    let (_server, client) = serve("/shapes", sent.clone()).await;
    let shapes = client.list_shapes().await.expect("shapes").into_body();
    assert!(matches!(&shapes[0], Shape::Square(square) if square.side == 2.5), "{shapes:?}");
    assert!(matches!(&shapes[1], Shape::Circle(circle) if circle.radius == 1.0), "{shapes:?}");
    assert_eq!(shapes[2], Shape::Other(json!({"kind": "hexagon"})));
    assert_eq!(serde_json::to_value(&shapes).expect("encodes"), sent);
}

#[tokio::test]
async fn a_member_enum_gives_the_discriminator_value() {
    let (_server, client) = serve("/pets", json!({"petType": "dog", "name": "Rex"})).await;
    let pet = client.get_pet().await.expect("a pet").into_body();
    assert!(matches!(&pet, Pet::Dog(dog) if dog.name == "Rex"), "{pet:?}");
}

#[tokio::test]
async fn integer_tags_pick_their_member() {
    let sent = json!([{"type": 3, "options": ["a", "b"]}, {"type": 2, "label": "Go"}, {"type": 9}]);
    let (_server, client) = serve("/components", sent.clone()).await;
    let components = client.list_components().await.expect("components").into_body();
    assert!(matches!(&components[0], Component::Select(select) if select.options == ["a", "b"]), "{components:?}");
    assert!(matches!(&components[1], Component::Button(button) if button.label == "Go"), "{components:?}");
    assert_eq!(components[2], Component::Other(json!({"type": 9})));
    assert_eq!(serde_json::to_value(&components).expect("encodes"), sent);
}

#[tokio::test]
async fn a_union_without_a_tag_still_tries_its_shapes_in_order() {
    let (_server, client) = serve("/mixed", json!("plain")).await;
    let mixed = client.get_mixed().await.expect("a value").into_body();
    assert_eq!(mixed, Mixed::String("plain".to_owned()));
}

#[tokio::test]
async fn unions_of_constants_are_open_enums() {
    let sent = json!({"size": "1024x1024", "kind": 2});
    let (_server, client) = serve("/settings", sent.clone()).await;
    let settings = client.get_settings().await.expect("settings").into_body();
    assert_eq!(settings.size, SettingsSize::V1024x1024);
    assert_eq!(settings.kind, SettingsKind::BUTTON);
    assert_eq!(serde_json::to_value(&settings).expect("encodes"), sent);

    let other = json!({"size": "1536x864", "kind": 7});
    let (_server, client) = serve("/settings", other.clone()).await;
    let settings = client.get_settings().await.expect("settings").into_body();
    assert_eq!(settings.size, SettingsSize::Unknown("1536x864".to_owned()));
    assert_eq!(settings.kind, SettingsKind(7));
    assert_eq!(serde_json::to_value(&settings).expect("encodes"), other);
}

#[tokio::test]
async fn a_string_beside_tagged_objects_takes_the_values_that_are_not_objects() {
    for (choice, expected) in [
        (json!("auto"), Some(Choice::ChoiceVariant1(ChoiceVariant1::Auto))),
        (json!({"type": "custom", "name": "grep"}), None),
        (json!({"type": "robot", "name": "x"}), Some(Choice::Other(json!({"type": "robot", "name": "x"})))),
        (json!(42), Some(Choice::Other(json!(42)))),
    ] {
        let sent = json!({"size": "auto", "kind": 1, "choice": choice});
        let (_server, client) = serve("/settings", sent.clone()).await;
        let settings = client.get_settings().await.expect("settings").into_body();
        let decoded = settings.choice.clone().expect("a choice");
        match expected {
            Some(expected) => assert_eq!(decoded, expected),
            None => assert!(matches!(&decoded, Choice::Custom(custom) if custom.name == "grep"), "{decoded:?}"),
        }
        assert_eq!(serde_json::to_value(&settings).expect("encodes"), sent);
    }
}

#[tokio::test]
async fn a_string_beside_discriminated_objects_decodes_as_the_string() {
    let sent = json!({"size": "auto", "kind": 1, "answer": "maybe"});
    let (_server, client) = serve("/settings", sent.clone()).await;
    let settings = client.get_settings().await.expect("settings").into_body();
    assert_eq!(settings.answer, Some(Answer::String("maybe".to_owned())));
    assert_eq!(serde_json::to_value(&settings).expect("encodes"), sent);

    let sent = json!({"size": "auto", "kind": 1, "answer": {"petType": "cat", "name": "Tom"}});
    let (_server, client) = serve("/settings", sent.clone()).await;
    let settings = client.get_settings().await.expect("settings").into_body();
    assert!(matches!(&settings.answer, Some(Answer::Cat(cat)) if cat.name == "Tom"), "{settings:?}");
}

#[tokio::test]
async fn a_discriminator_mapping_with_integer_keys_matches_integer_tags() {
    let sent = json!({"size": "auto", "kind": 1, "widget": {"type": 3, "options": []}});
    let (_server, client) = serve("/settings", sent.clone()).await;
    let settings = client.get_settings().await.expect("settings").into_body();
    assert!(matches!(&settings.widget, Some(Widget::Select(select)) if select.options.is_empty()), "{settings:?}");
    assert_eq!(serde_json::to_value(&settings).expect("encodes"), sent);
}
