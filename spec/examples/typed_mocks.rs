//! Testing your own code against the typed mocks (the `mock` feature):
//! `cargo run --example typed_mocks --features mock`.
//!
//! `promote` is the code under test: it makes a token a writer unless it is
//! one already, and treats a token that no longer exists as nothing to do.
//! The mocks answer with the operation's own types, check the JSON Patch the
//! code sends, and fail the program when an expected call never came.

use std::time::Duration;

use generated_crate::Client;
use generated_crate::errors::PatchTokenError;
use generated_crate::mock::MockServer;
use generated_crate::patch::TypedPatch;
use generated_crate::types::{NotFoundErrorRep, Token};

/// Makes the token a writer; `Ok(None)` when there is no such token.
async fn promote(client: &Client, id: &str) -> Result<Option<Token>, PatchTokenError> {
    let t = Token::paths();
    let patch = TypedPatch::<Token>::new().replace(t.role(), "writer");
    match client.patch_token(id).body(patch).await {
        Ok(token) => Ok(Some(token.into_body())),
        Err(PatchTokenError::NotFound(_)) => Ok(None),
        Err(error) => Err(error),
    }
}

/// A token as the server would send it.
fn token(id: &str, role: &str) -> Token {
    serde_json::from_value(serde_json::json!({
        "_id": id,
        "ownerId": "owner-1",
        "memberId": "member-1",
        "creationDate": 1_700_000_000_000_i64,
        "lastModified": 1_700_000_000_000_i64,
        "role": role,
        "_links": {},
    }))
    .expect("the example token fits the Token type")
}

#[tokio::main]
async fn main() {
    let server = MockServer::start().await;
    let t = Token::paths();

    // The writer's answer, once, for exactly the patch `promote` must send;
    // the first try is rate limited, which the client waits out.
    server
        .patch_token("61f1a5d2e6d1fa0f4a3c0b1e")
        .with_body(TypedPatch::<Token>::new().replace(t.role(), "writer"))
        .rate_limited(Duration::ZERO)
        .times(1)
        .respond_ok(token("61f1a5d2e6d1fa0f4a3c0b1e", "writer"))
        .await;
    // A token that is gone: the documented 404, typed.
    server
        .patch_token("gone")
        .respond_not_found(NotFoundErrorRep {
            code: "not_found".into(),
            message: "Unknown token".into(),
        })
        .await;

    let client = server.client();
    let promoted = promote(&client, "61f1a5d2e6d1fa0f4a3c0b1e")
        .await
        .expect("a promoted token");
    assert_eq!(promoted.map(|token| token.role), Some(Some("writer".to_owned())));
    assert!(
        promote(&client, "gone")
            .await
            .expect("no error for a missing token")
            .is_none()
    );
    println!("promote: both cases pass");
    // Dropping the server checks that every expectation was met.
}
