use launchdarkly_api::Client;
use launchdarkly_api::errors::PatchTokenError;
use launchdarkly_api::types::PatchOperation;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The token is sent as `Authorization: <token>` and never printed.
    let client = Client::new(std::env::var("LD_API_TOKEN")?)?;
    let patch = vec![PatchOperation {
        op: "replace".into(),
        path: "/role".into(),
        value: Some("writer".into()),
    }];
    match client.patch_token("61f1a5d2e6d1fa0f4a3c0b1e").body(patch).await {
        Ok(token) => println!("{} now has role {:?}", token.id, token.role),
        Err(PatchTokenError::NotFound(error)) => eprintln!("no such token: {error}"),
        Err(error) => return Err(error.into()),
    }
    Ok(())
}
