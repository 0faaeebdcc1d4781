//! A string that holds a credential and refuses to print it.

use std::fmt;

/// A secret such as an access token.
///
/// `Debug` prints `SecretString(<redacted>)` and there is deliberately no
/// `Display` implementation, so the value cannot end up in logs, error
/// messages or panics by accident. Read it with [`SecretString::expose_secret`]
/// at the single place that needs the raw value.
#[derive(Clone)]
pub struct SecretString(Box<str>);

impl SecretString {
    /// Wraps `value` as a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into().into_boxed_str())
    }

    /// Returns the raw secret. Call this only to hand the value to the
    /// protocol layer, never to format it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString(<redacted>)")
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let secret = SecretString::new("api-SECRET-0123456789");
        let printed = format!("{secret:?} {secret:#?}");
        assert!(!printed.contains("SECRET"), "{printed}");
        assert_eq!(format!("{secret:?}"), "SecretString(<redacted>)");
    }

    #[test]
    fn expose_returns_the_value() {
        let secret = SecretString::from("abc");
        assert_eq!(secret.expose_secret(), "abc");
        let cloned = SecretString::from(String::from("xyz")).clone();
        assert_eq!(cloned.expose_secret(), "xyz");
    }
}
