//! A misspelt field, a value of the wrong type, a read-only field and a path
//! into another resource do not compile. The expected compiler messages are
//! in `compile_fail/*.stderr`.

#[test]
fn typed_patch_mistakes_do_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile_fail/*.rs");
}
