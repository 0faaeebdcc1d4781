use launchdarkly_api::patch::TypedPatch;
use launchdarkly_api::types::Token;

fn main() {
    // `_id` is read-only in LaunchDarkly, so it has no path.
    let _ = TypedPatch::<Token>::new().replace(Token::paths().id(), "x");
}
