use generated_crate::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::new(std::env::var("LD_API_TOKEN")?)?;

    // Every flag of the project, one page of 50 after another: the stream
    // asks for the next page (offset += items received) until `totalCount`
    // is reached, with retries and rate-limit pacing on every page.
    let mut flags = client.get_feature_flags("default").limit(50).items();
    while let Some(flag) = flags.next().await {
        let flag = flag?;
        println!("{} ({})", flag.key, flag.name);
    }

    // Whole pages, with their headers, at most three of them.
    let pages = client
        .get_feature_flags("default")
        .pages()
        .max_pages(3)
        .try_collect()
        .await?;
    for page in &pages {
        println!(
            "{} flags, {:?} calls left on this route",
            page.items.len(),
            page.rate_limit().route_remaining
        );
    }
    Ok(())
}
