use launchdarkly_api::patch::TypedPatch;
use launchdarkly_api::types::{Statement, Token};

fn main() {
    // A path into a `Statement` document cannot patch a `Token`.
    let _ = TypedPatch::<Token>::new().replace(Statement::paths().resources(), vec![]);
}
