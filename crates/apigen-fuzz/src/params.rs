//! The params target: the runtime's parameter and form-body encoders, which
//! turn values of the caller's (and so a server's, when values are echoed
//! back) into URL text.
//!
//! The input is one byte choosing the style and `explode`, then a JSON value.
//! Invariants, beyond "no panic":
//! - a path parameter stays inside its segment: its text never holds `/`,
//!   `?`, `#`, a space or a control character, and is never `.` or `..`;
//! - a form body reads back: decoded as `application/x-www-form-urlencoded`,
//!   every string property sent in `form` style with `explode` comes back
//!   as one pair with its name and its exact text (in a body without
//!   object properties, whose own properties would be spread beside it);
//! - a `Link` header read for its `rel="next"` target (the paginators'
//!   parser; the input after the first byte, as text) gives text that
//!   stood between `<` and `>` in the header, and the same target twice.

use apigen_runtime::params::{ParamStyle, Style, path_param};
use apigen_runtime::{HttpMethod, OperationInfo, form};
use serde_json::Value;

use crate::{Violation, ensure};

static OPERATION: OperationInfo = OperationInfo {
    id: "fuzz",
    method: HttpMethod::Get,
    path_template: "/things/{value}",
};

const STYLES: [Style; 7] = [
    Style::Simple,
    Style::Label,
    Style::Matrix,
    Style::Form,
    Style::SpaceDelimited,
    Style::PipeDelimited,
    Style::DeepObject,
];

/// Runs one input and checks the invariants of this module.
pub fn run(data: &[u8]) -> Result<(), Violation> {
    let Some((&selector, rest)) = data.split_first() else {
        return Ok(());
    };
    if let Ok(text) = std::str::from_utf8(rest) {
        check_link(text)?;
    }
    let Ok(value) = serde_json::from_slice::<Value>(rest) else {
        return Ok(());
    };
    let style = STYLES[usize::from(selector) % STYLES.len()];
    let explode = selector & 0x80 != 0;
    let param_style = if selector & 0x40 != 0 {
        ParamStyle::json(style)
    } else {
        ParamStyle::new(style, explode)
    };
    check_path(&value, param_style)?;
    check_form(&value, param_style)
}

fn check_link(header: &str) -> Result<(), Violation> {
    let Some(target) = apigen_runtime::link_with_rel(header, "next") else {
        return Ok(());
    };
    ensure(
        !target.contains('>') && header.find('<').is_some_and(|open| header[open..].contains(target)),
        || format!("Link header {header:?} gives the next target {target:?}, which was not inside `<...>`"),
    )?;
    ensure(apigen_runtime::link_with_rel(header, "next") == Some(target), || {
        format!("Link header {header:?} gives a different next target the second time")
    })
}

fn check_path(value: &Value, style: ParamStyle) -> Result<(), Violation> {
    let Ok(text) = path_param(&OPERATION, "value", value, style) else {
        return Ok(());
    };
    let escapes = text
        .chars()
        .any(|c| matches!(c, '/' | '?' | '#') || c.is_whitespace() || c.is_control());
    ensure(!escapes && text != "." && text != "..", || {
        format!("path parameter {value} in {style:?} gives `{text}`, which leaves its segment")
    })
}

fn check_form(value: &Value, style: ParamStyle) -> Result<(), Violation> {
    let Value::Object(members) = value else {
        return Ok(());
    };
    let names: Vec<String> = members.keys().cloned().collect();
    let fields: Vec<(&str, ParamStyle)> = names.iter().map(|name| (name.as_str(), style)).collect();
    let Ok(body) = form::encode(value, &fields) else {
        return Ok(());
    };
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body)
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    // An exploded object spreads its own properties among the body's, so
    // names are only the body's own when no property is an object.
    if style != ParamStyle::new(Style::Form, true) || members.values().any(Value::is_object) {
        return Ok(());
    }
    for (name, member) in members {
        if let Value::String(text) = member {
            let sent: Vec<&(String, String)> = pairs.iter().filter(|(key, _)| key == name).collect();
            ensure(sent.len() == 1 && sent[0].1 == *text, || {
                format!(
                    "form property `{name}` = {text:?} reads back as {sent:?} from `{}`",
                    String::from_utf8_lossy(&body)
                )
            })?;
        }
    }
    Ok(())
}
