use launchdarkly_api::Client;
use launchdarkly_api::errors::PatchTokenError;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::new(std::env::var("LD_API_TOKEN")?)?;
    let id = "61f1a5d2e6d1fa0f4a3c0b1e";

    match client.patch_token(id).await {
        Ok(token) => println!("{} has role {:?}", token.id, token.role),
        // A 200 whose body does not fit the spec: nothing is lost.
        Err(PatchTokenError::Decode(error)) => {
            eprintln!("{error}"); // names the operation, the status and the JSON path
            eprintln!("at {:?}: {:?}", error.json_path(), error.message());
            let token = error.json::<serde_json::Value>()?.into_body();
            println!("role as sent: {}", token["role"]);
        }
        Err(error) => return Err(error.into()),
    }

    // Or skip the documented type altogether, with the same auth and retries.
    let token = client.patch_token(id).send_as::<serde_json::Value>().await?;
    println!("{} attempt(s): {}", token.meta().attempts(), token.body());
    let raw = client.patch_token(id).send_raw().await?;
    println!("{} with {} bytes", raw.status(), raw.body().len());
    Ok(())
}
