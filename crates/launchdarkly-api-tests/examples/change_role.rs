use launchdarkly_api::Client;
use launchdarkly_api::errors::PatchTokenError;
use launchdarkly_api::patch::TypedPatch;
use launchdarkly_api::types::Token;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The token is sent as `Authorization: <token>` and never printed.
    let client = Client::new(std::env::var("LD_API_TOKEN")?)?;

    // One PATCH: only if the role is still `reader`, make it `writer` and
    // append a custom role. A misspelt field or a wrong value type does not compile.
    let t = Token::paths();
    let patch = TypedPatch::<Token>::new()
        .test(t.role(), "reader")
        .replace(t.role(), "writer")
        .add(t.custom_role_ids().append(), "5f0a1b2c3d4e5f6a7b8c9d0e");

    match client.patch_token("61f1a5d2e6d1fa0f4a3c0b1e").body(patch).await {
        Ok(token) => println!("{} now has role {:?}", token.id, token.role),
        Err(PatchTokenError::UnprocessableEntity(error)) => eprintln!("the role changed meanwhile: {error}"),
        Err(PatchTokenError::NotFound(error)) => eprintln!("no such token: {error}"),
        Err(error) => return Err(error.into()),
    }
    Ok(())
}
