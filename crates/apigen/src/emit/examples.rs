//! Emits `tests/examples.rs`: a test that decodes every example of the spec
//! into its generated type, encodes it again and compares the two JSON values.
//!
//! The examples and their types come from the IR ([`crate::ir::Example`]).
//! The file is optional (`cargo xtask codegen --with-example-tests`): it can
//! be large, and only a crate generated for testing needs it.

use proc_macro2::TokenStream;
use quote::quote;

use super::EmitOptions;
use super::tokens::type_tokens;
use crate::error::{Error, Result};
use crate::ir::Api;

/// Where the test goes, relative to the crate folder.
pub const EXAMPLE_TESTS_PATH: &str = "tests/examples.rs";

/// The text of the example round-trip test for `api`, in the crate `options.crate_name`.
pub fn example_tests(api: &Api, options: &EmitOptions) -> Result<String> {
    let tokens = test_file(api, &options.crate_name.replace('-', "_"));
    let file: syn::File = syn::parse2(tokens).map_err(|err| Error::Emit {
        file: EXAMPLE_TESTS_PATH.to_owned(),
        message: err.to_string(),
    })?;
    Ok(format!("{}{}", super::header(options), prettyplease::unparse(&file)))
}

fn test_file(api: &Api, lib: &str) -> TokenStream {
    let lib = super::tokens::ident(lib);
    let cases = api.examples.iter().map(|example| {
        let pointer = &example.pointer;
        let json = &example.json;
        let mut ty = type_tokens(&example.ty);
        if example.nullable {
            ty = quote! { ::std::option::Option<#ty> };
        }
        let vanish = &example.null_may_vanish;
        let contradiction = match &example.contradiction {
            Some(reason) => quote! { ::std::option::Option::Some(#reason) },
            None => quote! { ::std::option::Option::None },
        };
        quote! {
            Case {
                pointer: #pointer,
                json: #json,
                round_trip: round_trip::<#ty>,
                null_may_vanish: &[#( #vanish ),*],
                contradiction: #contradiction,
            },
        }
    });
    quote! {
        //! Every example of the spec decodes into its generated type and
        //! encodes back to the same JSON value. `null` may come back absent
        //! only at the places listed with the example: optional, nullable
        //! fields, where the schema allows both and `Option` keeps one.
        //! Numbers compare by value (`2` and `2.0` are the same JSON number).

        use ::serde_json::Value;

        // Without `full-serde`, a type implements only the serde directions
        // the API uses it in, and a round trip needs both.
        #[cfg(not(feature = "full-serde"))]
        compile_error!("the example round trip needs both serde directions: run it with `--features full-serde`");

        // Generated code names its types `crate::types::X`; in this test
        // crate that path leads to the library's types.
        mod types {
            pub use #lib::types::*;
        }

        /// One example: where it is, its JSON text, and the round trip through its type.
        struct Case {
            pointer: &'static str,
            json: &'static str,
            round_trip: fn(&str) -> ::std::result::Result<Value, String>,
            null_may_vanish: &'static [&'static str],
            /// Why the example contradicts its own schema (found by the generator).
            contradiction: ::std::option::Option<&'static str>,
        }

        fn round_trip<T: ::serde::Serialize + ::serde::de::DeserializeOwned>(json: &str) -> ::std::result::Result<Value, String> {
            let decoded: T = ::serde_json::from_str(json).map_err(|err| format!("does not decode: {err}"))?;
            ::serde_json::to_value(&decoded).map_err(|err| format!("does not encode: {err}"))
        }

        /// The first place where two JSON values differ, or `None` when they
        /// are equal: objects ignore key order, numbers compare by value.
        fn difference(expected: &Value, actual: &Value, at: &str) -> Option<String> {
            let place = if at.is_empty() { "/" } else { at };
            match (expected, actual) {
                (Value::Number(x), Value::Number(y)) if x == y || x.as_f64() == y.as_f64() => None,
                (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
                    .iter()
                    .zip(y)
                    .enumerate()
                    .find_map(|(index, (x, y))| difference(x, y, &format!("{at}/{index}"))),
                (Value::Object(x), Value::Object(y)) => {
                    let key = |k: &str| format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                    x.iter()
                        .find_map(|(k, x)| match y.get(k) {
                            Some(y) => difference(x, y, &key(k)),
                            None => Some(format!("{}: {x} comes back absent", key(k))),
                        })
                        .or_else(|| {
                            y.iter()
                                .find(|(k, _)| !x.contains_key(*k))
                                .map(|(k, y)| format!("{}: absent, comes back as {y}", key(k)))
                        })
                }
                _ if expected == actual => None,
                _ => Some(format!("{place}: {expected} comes back as {actual}")),
            }
        }

        /// Removes the `null` at `pointer` (relative, RFC 6901) from `value`.
        fn remove_null(value: &mut Value, pointer: &str) {
            let Some((parent, key)) = pointer.rsplit_once('/') else { return };
            let key = key.replace("~1", "/").replace("~0", "~");
            let Some(Value::Object(map)) = value.pointer_mut(parent) else { return };
            if map.get(&key).is_some_and(Value::is_null) {
                map.remove(&key);
            }
        }

        fn check(case: &Case) -> ::std::result::Result<(), String> {
            let mut expected: Value = ::serde_json::from_str(case.json).map_err(|err| format!("not JSON: {err}"))?;
            let actual = (case.round_trip)(case.json)?;
            for pointer in case.null_may_vanish {
                remove_null(&mut expected, pointer);
            }
            match difference(&expected, &actual, "") {
                None => Ok(()),
                Some(difference) => Err(format!("encodes differently at {difference}")),
            }
        }

        #[test]
        fn examples_round_trip() {
            let (tried, contradicting): (Vec<&Case>, Vec<&Case>) =
                CASES.iter().partition(|case| case.contradiction.is_none());
            let failures: Vec<String> = tried
                .iter()
                .filter_map(|case| check(case).err().map(|err| format!("{}: {err}", case.pointer)))
                .collect();
            println!("examples round-trip: {} of {}", tried.len() - failures.len(), tried.len());
            for failure in &failures {
                println!("  {failure}");
            }
            // Not counted: they show the spec's mistakes, not the types'. Each
            // is still run, to show what the generated type makes of it.
            println!(
                "examples that contradict their own schema (listed, not counted): {}",
                contradicting.len()
            );
            for case in &contradicting {
                let outcome = match check(case) {
                    Ok(()) => "round-trips anyway".to_owned(),
                    Err(err) => err,
                };
                println!("  {}: {}; {outcome}", case.pointer, case.contradiction.unwrap_or_default());
            }
            assert!(failures.is_empty(), "{} of {} examples do not round-trip (listed above)", failures.len(), tried.len());
        }

        static CASES: &[Case] = &[
            #( #cases )*
        ];
    }
}
