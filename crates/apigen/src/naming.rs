//! Every naming decision of the generator: case conversion, Rust keywords,
//! names that collide after conversion, and the wire names serde must keep.
//!
//! Nothing else in the crate converts case or invents identifiers, so the
//! rules below are the whole story of how a spec name becomes a Rust name.

use std::collections::BTreeSet;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be plain identifiers. Strict and reserved keywords of
/// edition 2024, plus names that are never valid even as raw identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Splits on anything that is not ASCII alphanumeric so `heck` sees word
/// boundaries in names like `x-ratelimit-reset` or `a.b`; `heck` alone would
/// keep non-ASCII letters, which are legal in Rust but awkward to type.
fn ascii_words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// Feature names the generated crate uses for its own purposes; a tag that
/// converts to one of them gets a `tag-` prefix.
const RESERVED_FEATURES: &[&str] = &["default", "mock", "full-serde"];

/// The Cargo feature name of a tag: lowercase ASCII words joined by `-`,
/// such as `access-tokens` for `Access tokens` or `subpackage_accessTokens`.
/// Words break at anything not ASCII alphanumeric and where a lowercase
/// letter meets an uppercase one, so `OAuth2 Clients` is `oauth2-clients`
/// rather than `o-auth2-clients`.
pub fn feature_name(tag: &str) -> String {
    let mut name = String::new();
    let mut previous_lower = false;
    for c in tag.chars() {
        if !c.is_ascii_alphanumeric() {
            if !name.is_empty() && !name.ends_with('-') {
                name.push('-');
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !name.ends_with('-') {
            name.push('-');
        }
        previous_lower = c.is_ascii_lowercase();
        name.push(c.to_ascii_lowercase());
    }
    let name = name.trim_end_matches('-').to_owned();
    // Letters outside ASCII are dropped above, so two tags that differ only
    // in them (`用户 API`, `订单 API`) would share a name; a hash of the whole
    // tag keeps them apart, and names a tag with no ASCII word at all.
    let dropped_letters = tag.chars().any(|c| !c.is_ascii() && c.is_alphanumeric());
    let hash = || format!("{:08x}", fnv1a(tag.as_bytes()) as u32);
    if name.is_empty() {
        return format!("tag-{}", hash());
    }
    let name = if dropped_letters {
        format!("{name}-{}", hash())
    } else {
        name
    };
    if RESERVED_FEATURES.contains(&name.as_str()) || name.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("tag-{name}");
    }
    name
}

/// Module names a feature's module must not take: the modules it lives in
/// (clippy refuses `operations::operations`), and names Windows reserves
/// for devices, which it refuses as file names (`src/types/aux.rs`).
const RESERVED_MODULES: &[&str] = &[
    "types",
    "operations",
    "errors",
    "paths",
    "mock",
    "con",
    "prn",
    "aux",
    "nul",
    "com1",
    "com2",
    "com3",
    "com4",
    "com5",
    "com6",
    "com7",
    "com8",
    "com9",
    "lpt1",
    "lpt2",
    "lpt3",
    "lpt4",
    "lpt5",
    "lpt6",
    "lpt7",
    "lpt8",
    "lpt9",
];

/// The Rust module that holds what only `feature` compiles (see
/// [`crate::ir::Feature::module`]): the feature's name with `_` for `-`,
/// which is a valid identifier because a feature name is ASCII words that
/// never start with a digit. Feature names hold no `_`, so two features
/// never share a module; a keyword or a reserved module name gets a
/// trailing `_`.
pub fn feature_module(feature: &str) -> String {
    let mut name = feature.replace('-', "_");
    if is_keyword(&name) || RESERVED_MODULES.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// The module of the `index`th group of features (`ir::FeatureGroup`):
/// `shared_1`, `shared_2`, and so on, with `_` added while a feature's
/// module has the name (a tag called `Shared 1` has the module `shared_1`;
/// a feature's module never ends in `_` unless it is a keyword or reserved,
/// which `shared_N` is not).
pub fn feature_group_module(index: usize, feature_modules: &[&str]) -> String {
    let mut name = format!("shared_{index}");
    while feature_modules.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// The 64-bit FNV-1a hash: small, stable across Rust versions and platforms
/// (unlike `std`'s hasher), which a name built from it must be.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The Rust name of a type (UpperCamelCase) for a schema name or a name built from context.
pub fn type_name(raw: &str) -> String {
    let mut name = ascii_words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Unnamed".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'T');
    }
    if is_keyword(&name) {
        name.push('_');
    }
    name
}

/// The key under which bundling stores a value that a `$ref` names in
/// `components/<section>`: built from the pointer's meaningful tokens
/// (`#/components/schemas/Archive/properties/state` → `ArchiveState`,
/// `#/droplet` → `Droplet`), or from the file's stem when the reference
/// names a whole file. Schema keys are type names already, so the type
/// name and the key agree.
pub fn component_key(section: &str, file_stem: Option<&str>, tokens: &[String]) -> String {
    const STRUCTURE: &[&str] = &[
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "allOf",
        "oneOf",
        "anyOf",
        "prefixItems",
        "schema",
        "content",
        "paths",
        "parameters",
        "responses",
        "requestBody",
        "headers",
    ];
    let tokens = match tokens {
        [components, _, rest @ ..] if components == "components" => rest,
        all => all,
    };
    let words: Vec<&str> = tokens
        .iter()
        .map(String::as_str)
        .filter(|token| !STRUCTURE.contains(token) && !token.chars().all(|c| c.is_ascii_digit()))
        .map(|token| match token {
            "items" => "item",
            "additionalProperties" => "value",
            other => other,
        })
        .collect();
    let joined = match (words.is_empty(), file_stem) {
        (false, _) => words.join("_"),
        (true, Some(stem)) => stem.to_owned(),
        (true, None) => "unnamed".to_owned(),
    };
    if section == "schemas" {
        type_name(&joined)
    } else {
        joined
    }
}

/// The Rust name of a struct field or a function argument (snake_case).
///
/// Leading underscores are dropped: APIs mark metadata with them (`_id`,
/// `_links`), and a Rust field starting with `_` reads as "unused". The
/// wire name is kept in `#[serde(rename)]`.
pub fn field_name(wire: &str) -> String {
    let mut name = ascii_words(wire).to_snake_case();
    if name.is_empty() {
        name = "value".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "n_");
    }
    if is_keyword(&name) {
        name.push('_');
    }
    name
}

/// The builder method that takes an `Option` of the optional parameter
/// whose setter is `setter` (`limit` gives `set_limit`).
pub fn option_setter_name(setter: &str) -> String {
    format!("set_{}", setter.trim_end_matches('_'))
}

/// The struct of typed JSON Patch paths to the fields of type `name`
/// (`Token` gives `TokenPaths`, in the `paths` module).
pub fn paths_type_name(name: &str) -> String {
    format!("{name}Paths")
}

/// The name of a method for an operation id such as `patch-token`.
pub fn method_name(operation_id: &str) -> String {
    field_name(operation_id)
}

/// The name of an enum variant for a wire value such as `allow` or `>=`.
pub fn variant_name(wire: &str) -> String {
    let words: String = wire
        .chars()
        .map(|c| match c {
            '<' => " lt ".into(),
            '>' => " gt ".into(),
            '=' => " eq ".into(),
            '!' => " not ".into(),
            '*' => " star ".into(),
            '+' => " plus ".into(),
            '-' if wire.len() == 1 => " minus ".into(),
            c => c.to_string(),
        })
        .collect();
    let mut name = ascii_words(&words).to_upper_camel_case();
    if name.is_empty() {
        name = "Empty".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if is_keyword(&name) {
        name.push('_');
    }
    name
}

/// The name of an associated constant (SCREAMING_SNAKE_CASE) for a title
/// such as `ACTION_ROW` or `Action row`; `None` when no name can be made.
pub fn constant_name(title: &str) -> Option<String> {
    let mut name = ascii_words(title).to_shouty_snake_case();
    if name.is_empty() {
        return None;
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    Some(name)
}

/// The constant naming one value of an integer enum: `V3`, and `V_MINUS_3`
/// for a negative value (constants are upper case, and a name cannot start
/// with a digit or a sign).
pub fn int_enum_constant(value: i64) -> String {
    if value < 0 {
        format!("V_MINUS_{}", value.unsigned_abs())
    } else {
        format!("V{value}")
    }
}

/// The name of the catch-all variant of an open enum.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// The builder method that sets a request body of another media type than
/// the operation's main one, from the media type: `application/json;
/// domain-model=launchdarkly.semanticpatch` gives `semantic_patch` (the last
/// dotted word of its last parameter), `application/merge-patch+json` gives
/// `merge_patch`, `multipart/form-data` gives `multipart`, `text/*` gives
/// `text`, and other types their subtype.
pub fn media_type_setter(media_type: &str) -> String {
    let mut pieces = media_type.split(';').map(str::trim);
    let essence = pieces.next().unwrap_or_default().to_ascii_lowercase();
    // `charset` says how text is encoded, not what the body is.
    let parameter = pieces
        .filter_map(|p| p.split_once('='))
        .filter(|(name, _)| !name.trim().eq_ignore_ascii_case("charset"))
        .map(|(_, value)| value)
        .next_back();
    let (kind, subtype) = essence.split_once('/').unwrap_or((essence.as_str(), ""));
    let word = match parameter {
        Some(value) => value.trim_matches('"').rsplit('.').next().unwrap_or(value).to_owned(),
        None if kind == "multipart" => "multipart".to_owned(),
        None if kind == "text" => "text".to_owned(),
        None if subtype == "octet-stream" => "bytes".to_owned(),
        None => subtype.trim_end_matches("+json").to_owned(),
    };
    // Media type words are written without separators; the common ones are split here.
    let word = match word.as_str() {
        "semanticpatch" => "semantic_patch".to_owned(),
        "mergepatch" => "merge_patch".to_owned(),
        _ => word,
    };
    field_name(&word)
}

/// The name of the catch-all variant of a union, which keeps a value of no known shape.
pub const OTHER_VARIANT: &str = "Other";

/// The field that holds the `oneOf` part of an object whose properties sit
/// next to a `oneOf`: its variant's properties are flattened into the object.
pub const FLATTENED_UNION_FIELD: &str = "variant";

/// The name of a union variant: the named type's own name, or the kind of
/// value for a type without one (`String`, `List`, ...); `index` counts from 0.
pub fn union_variant(ty: &crate::ir::TypeRef, index: usize) -> String {
    use crate::ir::{Primitive, TypeRef};
    match ty {
        TypeRef::Named(target) => target.clone(),
        TypeRef::Primitive(Primitive::String) => "String".into(),
        TypeRef::Primitive(Primitive::Bool) => "Bool".into(),
        TypeRef::Primitive(Primitive::I32 | Primitive::I64) => "Integer".into(),
        TypeRef::Primitive(Primitive::Bytes) => "Bytes".into(),
        TypeRef::Primitive(_) => "Number".into(),
        TypeRef::List(_) => "List".into(),
        TypeRef::Map(_) => "Map".into(),
        TypeRef::Nullable(inner) => union_variant(inner, index),
        TypeRef::Runtime(_) => "Patch".into(),
        TypeRef::Any | TypeRef::Unit => format!("Variant{}", index + 1),
    }
}

/// The error-enum variant for a documented status code, from its reason phrase.
pub fn status_variant(status: u16) -> String {
    let reason = match status {
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return format!("Status{status}"),
    };
    reason.to_owned()
}

/// The variant of a per-status success enum.
pub fn success_variant(status: u16) -> String {
    match status {
        200 => "Ok".into(),
        201 => "Created".into(),
        202 => "Accepted".into(),
        203 => "NonAuthoritative".into(),
        204 => "NoContent".into(),
        206 => "PartialContent".into(),
        other => format!("Status{other}"),
    }
}

/// The variant for a status range (`2XX` as a success, `3XX`, `4XX` and `5XX`
/// as errors), named by its class.
pub fn status_range_variant(class: u8) -> String {
    let name = match class {
        1 => "Informational",
        // Next to exact 2xx codes, which have variants of their own.
        2 => "OtherSuccess",
        3 => "Redirection",
        4 => "ClientError",
        5 => "ServerError",
        other => return format!("Status{other}Xx"),
    };
    name.to_owned()
}

/// The variant for a `default` response.
pub const DEFAULT_RESPONSE_VARIANT: &str = "Default";

/// The name of the per-operation error enum, request builder and static info.
pub fn operation_type_name(operation_id: &str, suffix: &str) -> String {
    format!("{}{suffix}", type_name(operation_id))
}

/// Methods of a generated `mock::MockServer` itself.
const MOCK_SERVER_METHODS: [&str; 5] = ["start", "uri", "runtime", "config", "client"];

/// The `mock::MockServer` method that starts an operation's expectation,
/// when it cannot be the client method's name because the server has a
/// method of that name.
pub fn mock_method(method_name: &str) -> Option<String> {
    MOCK_SERVER_METHODS
        .contains(&method_name)
        .then(|| format!("{method_name}_operation"))
}

/// The typed mock's method that answers with an error variant, such as
/// `respond_not_found` for `NotFound`.
pub fn respond_method(variant: &str) -> String {
    format!("respond_{}", field_name(variant))
}

/// The name of an error enum that several operations share: its variants'
/// names, such as `NotFoundTooManyRequestsError`, or `UndocumentedError`
/// for operations that document no error. Long, but it says what the enum
/// holds; callers name it through each operation's alias (`GetFlagError`).
pub fn shared_error_name(variants: &[&str]) -> String {
    if variants.is_empty() {
        return "UndocumentedError".into();
    }
    let name = variants.concat();
    // `...InternalServerError` needs no second `Error`.
    if name.ends_with("Error") {
        name
    } else {
        format!("{name}Error")
    }
}

/// The name of the `static` describing an operation.
pub fn operation_static_name(operation_id: &str) -> String {
    field_name(operation_id).to_uppercase()
}

/// The name of a server preset for a URL, when the configuration names none:
/// the host's words, such as `AppLaunchdarklyUs`.
pub fn server_name(url: &str) -> String {
    let rest = url.split("://").nth(1).unwrap_or(url);
    // A relative URL such as `/v3` has no host: its first path segment names it.
    let first = rest.split('/').find(|s| !s.is_empty()).unwrap_or(rest);
    // Template variables (`{region}.example.com:{port}`) and the port say
    // nothing about which server it is.
    let mut host = String::new();
    let mut depth = 0_usize;
    for c in first.split(':').next().unwrap_or(first).chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            c if depth == 0 => host.push(c),
            _ => {}
        }
    }
    type_name(if host.trim_matches('.').is_empty() {
        first
    } else {
        &host
    })
}

/// Hands out names that are unique within one scope (the fields of a struct,
/// the variants of an enum, the types of a crate).
///
/// The first claimant of a name keeps it; later ones get `2`, `3`, ... (with
/// an `_` separator for snake_case names). Callers claim in a fixed order, so
/// the outcome is deterministic.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope in which `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|name| (*name).to_owned()).collect(),
        }
    }

    /// Claims `candidate`, or the first free numbered variant of it.
    pub fn claim(&mut self, candidate: String) -> String {
        if self.taken.insert(candidate.clone()) {
            return candidate;
        }
        let separator = if candidate.contains(|c: char| c.is_ascii_uppercase()) {
            ""
        } else {
            "_"
        };
        let base = candidate.trim_end_matches('_');
        (2u32..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|name| self.taken.insert(name.clone()))
            .unwrap_or(candidate)
    }

    /// Whether a name is already taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

/// Field names for a list of wire names, unique within the struct.
///
/// Exact matches are served first (so `id` keeps `id` when `_id` is also
/// present, and `_id` becomes `id_2`), then the rest in document order.
pub fn field_names(wire_names: &[&str]) -> Vec<String> {
    let mut scope = Scope::default();
    let mut names = vec![String::new(); wire_names.len()];
    let converted: Vec<String> = wire_names.iter().map(|wire| field_name(wire)).collect();
    let exact_first = (0..wire_names.len())
        .filter(|&i| converted[i] == wire_names[i])
        .chain((0..wire_names.len()).filter(|&i| converted[i] != wire_names[i]));
    for i in exact_first {
        names[i] = scope.claim(converted[i].clone());
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_error_names_come_from_the_variants() {
        assert_eq!(
            shared_error_name(&["NotFound", "TooManyRequests"]),
            "NotFoundTooManyRequestsError"
        );
        assert_eq!(
            shared_error_name(&["BadRequest", "InternalServerError"]),
            "BadRequestInternalServerError"
        );
        assert_eq!(shared_error_name(&[]), "UndocumentedError");
    }

    #[test]
    fn feature_modules_are_snake_case_and_never_keywords() {
        assert_eq!(feature_module("access-tokens"), "access_tokens");
        assert_eq!(feature_module(&feature_name("Type")), "type_");
        assert_eq!(feature_module(&feature_name("2FA")), "tag_2fa");
        assert_eq!(feature_module(&feature_name("default")), "tag_default");
        assert_eq!(feature_module(&feature_name("Operations")), "operations_");
        assert_eq!(feature_module(&feature_name("AUX")), "aux_");
        assert_eq!(feature_group_module(2, &["access_tokens"]), "shared_2");
        assert_eq!(
            feature_group_module(1, &[&feature_module(&feature_name("Shared 1"))]),
            "shared_1_"
        );
    }

    #[test]
    fn feature_names_are_kebab_case_words_of_the_tag() {
        assert_eq!(feature_name("Access tokens"), "access-tokens");
        assert_eq!(feature_name("subpackage_accessTokens"), "subpackage-access-tokens");
        assert_eq!(feature_name("FeatureFlags"), "feature-flags");
        assert_eq!(feature_name("OAuth2 Clients"), "oauth2-clients");
        assert_eq!(feature_name("Data Export (beta)"), "data-export-beta");
        assert_eq!(feature_name("  Mock  "), "tag-mock");
        assert_eq!(feature_name("default"), "tag-default");
        assert_eq!(feature_name("3D models"), "tag-3d-models");
        let (one, other) = (feature_name("ユーザー管理"), feature_name("ユーザー設定"));
        assert!(
            one.starts_with("tag-") && other.starts_with("tag-") && one != other,
            "{one} {other}"
        );
        let (one, other) = (feature_name("用户 API"), feature_name("订单 API"));
        assert!(
            one.starts_with("api-") && other.starts_with("api-") && one != other,
            "{one} {other}"
        );
        // Stable across runs and platforms: the hash is spelled out here.
        assert_eq!(
            feature_name("用户 API"),
            format!("api-{:08x}", fnv1a("用户 API".as_bytes()) as u32)
        );
        assert_eq!(
            feature_name("3D 模型"),
            format!("tag-3d-{:08x}", fnv1a("3D 模型".as_bytes()) as u32)
        );
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn component_keys_come_from_the_pointer_or_the_file() {
        let tokens = |pointer: &str| -> Vec<String> { pointer.split('/').map(str::to_owned).collect() };
        assert_eq!(
            component_key("schemas", None, &tokens("components/schemas/Archive/properties/state")),
            "ArchiveState"
        );
        assert_eq!(
            component_key("schemas", Some("pet"), &tokens("Pet/properties/tags/items")),
            "PetTagsItem"
        );
        assert_eq!(component_key("schemas", Some("droplet"), &[]), "Droplet");
        assert_eq!(
            component_key("parameters", Some("ssh_key_identifier"), &[]),
            "ssh_key_identifier"
        );
        let in_operation = ["paths", "/a/{id}", "get", "parameters", "0"].map(str::to_owned);
        assert_eq!(component_key("parameters", None, &in_operation), "/a/{id}_get");
        let body = [
            "paths",
            "/a",
            "post",
            "requestBody",
            "content",
            "application/json",
            "schema",
        ]
        .map(str::to_owned);
        assert_eq!(component_key("schemas", None, &body), "APostApplicationJson");
        assert_eq!(component_key("responses", None, &[]), "unnamed");
    }

    #[test]
    fn launchdarkly_fields() {
        assert_eq!(field_name("_id"), "id");
        assert_eq!(field_name("_links"), "links");
        assert_eq!(field_name("_member"), "member");
        assert_eq!(field_name("customRoleIds"), "custom_role_ids");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("2fa"), "n_2fa");
        assert_eq!(field_name(""), "value");
        assert_eq!(field_name("X-Ratelimit-Reset"), "x_ratelimit_reset");
    }

    #[test]
    fn types_and_variants() {
        assert_eq!(type_name("JSONPatch"), "JsonPatch");
        assert_eq!(type_name("patch-token"), "PatchToken");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(type_name("2xx"), "T2xx");
        assert_eq!(variant_name("allow"), "Allow");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name(">="), "GtEq");
        assert_eq!(variant_name("1"), "V1");
        assert_eq!(status_variant(422), "UnprocessableEntity");
        assert_eq!(status_variant(418), "Status418");
        assert_eq!(status_range_variant(4), "ClientError");
        assert_eq!(status_range_variant(5), "ServerError");
        assert_eq!(status_range_variant(2), "OtherSuccess");
        assert_eq!(status_range_variant(7), "Status7Xx");
    }

    #[test]
    fn media_type_setters() {
        assert_eq!(
            media_type_setter("application/json; domain-model=launchdarkly.semanticpatch"),
            "semantic_patch"
        );
        assert_eq!(media_type_setter("application/merge-patch+json"), "merge_patch");
        assert_eq!(media_type_setter("multipart/form-data"), "multipart");
        assert_eq!(media_type_setter("text/plain; charset=utf-8"), "text");
        assert_eq!(media_type_setter("text/csv"), "text");
        assert_eq!(media_type_setter("application/octet-stream"), "bytes");
        assert_eq!(media_type_setter("application/xml"), "xml");
        assert_eq!(media_type_setter(""), "value");
    }

    #[test]
    fn collisions_are_numbered_deterministically() {
        assert_eq!(field_names(&["_id", "id", "ID"]), ["id_2", "id", "id_3"]);
        let mut scope = Scope::with_reserved(&["Unknown"]);
        assert_eq!(scope.claim("Unknown".into()), "Unknown2");
        assert_eq!(scope.claim("Allow".into()), "Allow");
    }
}
