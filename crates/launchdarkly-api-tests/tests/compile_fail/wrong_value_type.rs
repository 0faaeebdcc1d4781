use launchdarkly_api::patch::TypedPatch;
use launchdarkly_api::types::Token;

fn main() {
    let _ = TypedPatch::<Token>::new().replace(Token::paths().custom_role_ids(), 42);
}
