//! Pieces shared by several components: HTML attributes, text-or-HTML content
//! and the serde helpers that accept the loose values the Nunjucks macros take.

use std::collections::BTreeMap;

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::Deserialize;
use serde_json::Value;

use super::{ErrorMessage, Hint, Label};

/// Extra HTML attributes for an element (the macros' `attributes` param).
///
/// Names and values are escaped when rendered. They are rendered in name
/// order. In JSON, number and boolean values are accepted and turned into
/// strings, as Nunjucks does; the `{ value, optional }` object form of the
/// macros is not supported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attributes(BTreeMap<String, String>);

impl Attributes {
    /// No attributes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) an attribute, builder style.
    #[must_use]
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.insert(name, value);
        self
    }

    /// Adds (or replaces) an attribute.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.insert(name.into(), value.into());
    }

    /// The attributes, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }

    /// Whether there are no attributes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: Into<String>, V: Into<String>, const N: usize> From<[(K, V); N]> for Attributes {
    fn from(pairs: [(K, V); N]) -> Self {
        let mut attributes = Self::new();
        for (name, value) in pairs {
            attributes.insert(name, value);
        }
        attributes
    }
}

impl<'de> Deserialize<'de> for Attributes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Option::<BTreeMap<String, Value>>::deserialize(deserializer)?.unwrap_or_default();
        let mut attributes = Self::new();
        for (name, value) in raw {
            let value = match value {
                Value::Null => String::new(),
                Value::String(s) => s,
                Value::Bool(b) => b.to_string(),
                Value::Number(n) => n.to_string(),
                Value::Array(_) | Value::Object(_) => {
                    return Err(de::Error::custom(format!(
                        "attribute `{name}`: only string, number and boolean values are supported"
                    )))
                }
            };
            attributes.insert(name, value);
        }
        Ok(attributes)
    }
}

/// Content given either as plain `text` (escaped) or as trusted `html`
/// (rendered as is); `html` wins when both are set. Used for the macros'
/// `beforeInput`, `afterInput`, `beforeInputs`, `afterInputs` params.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TextOrHtml {
    /// Plain text, escaped.
    pub text: Option<String>,
    /// Trusted HTML, not escaped.
    pub html: Option<String>,
}

/// The `formGroup` param of input, textarea and select.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FormGroup {
    /// Classes to add to the form group wrapper.
    pub classes: Option<String>,
    /// Attributes to add to the form group wrapper.
    pub attributes: Attributes,
    /// Content to add before the control.
    pub before_input: Option<TextOrHtml>,
    /// Content to add after the control.
    pub after_input: Option<TextOrHtml>,
}

/// The `formGroup` param of checkboxes and radios.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChoicesFormGroup {
    /// Classes to add to the form group wrapper.
    pub classes: Option<String>,
    /// Attributes to add to the form group wrapper.
    pub attributes: Attributes,
    /// Content to add before all the inputs.
    pub before_inputs: Option<TextOrHtml>,
    /// Content to add after all the inputs.
    pub after_inputs: Option<TextOrHtml>,
}

/// Joins `aria-describedby` ids, skipping empty ones.
pub(crate) fn join_ids<'a>(ids: impl IntoIterator<Item = &'a str>) -> String {
    ids.into_iter()
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Appends `extra` (if any) to the class list `base`.
pub(crate) fn with_classes(base: &str, extra: Option<&str>) -> String {
    match extra {
        Some(extra) if !extra.is_empty() => format!("{base} {extra}"),
        _ => base.to_owned(),
    }
}

/// A JSON scalar as the string Nunjucks would print for it.
fn scalar(value: Value) -> Result<Option<String>, String> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Bool(b) => Ok(Some(b.to_string())),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Array(_) | Value::Object(_) => Err("expected a string, number or boolean".into()),
    }
}

/// Whether a JSON value is falsy in JavaScript.
fn is_falsy(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(false) => true,
        Value::String(s) => s.is_empty(),
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::Bool(true) | Value::Array(_) | Value::Object(_) => false,
    }
}

/// serde helpers for the loose values the Nunjucks macros accept.
pub(crate) mod loose {
    use super::{de, is_falsy, scalar, Deserialize, DeserializeOwned, Deserializer, Value};

    /// An optional string that may be given as a number or boolean
    /// (`value: 1` renders as `value="1"`, `value: false` as `value="false"`).
    pub(crate) fn scalar_string<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<String>, D::Error> {
        scalar(Value::deserialize(deserializer)?).map_err(de::Error::custom)
    }

    /// A map of strings that may be given as numbers or booleans (`values: {day: 31}`).
    pub(crate) fn scalar_map<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<std::collections::BTreeMap<String, String>, D::Error> {
        let values =
            Option::<std::collections::BTreeMap<String, Value>>::deserialize(deserializer)?
                .unwrap_or_default();
        let mut map = std::collections::BTreeMap::new();
        for (key, value) in values {
            if let Some(text) = scalar(value).map_err(de::Error::custom)? {
                map.insert(key, text);
            }
        }
        Ok(map)
    }

    /// An optional string where JavaScript-falsy values (`false`, `""`, `0`,
    /// `null`) mean "not set", as the macros' `{% if param %}` tests do.
    pub(crate) fn truthy_string<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<String>, D::Error> {
        let value = Value::deserialize(deserializer)?;
        if is_falsy(&value) {
            return Ok(None);
        }
        scalar(value).map_err(de::Error::custom)
    }

    /// A list whose JavaScript-falsy entries are dropped, as the macros'
    /// `{% for item in items %}{% if item %}` loops do.
    pub(crate) fn truthy_items<'de, D: Deserializer<'de>, T: DeserializeOwned>(
        deserializer: D,
    ) -> Result<Vec<T>, D::Error> {
        let values = Option::<Vec<Value>>::deserialize(deserializer)?.unwrap_or_default();
        values
            .into_iter()
            .filter(|value| !is_falsy(value))
            .map(|value| serde_json::from_value(value).map_err(de::Error::custom))
            .collect()
    }
}

/// Marks component templates as producing safe HTML, so that
/// `{{ component }}` in a page template is not escaped a second time.
macro_rules! html_safe {
    ($($component:ty),* $(,)?) => {
        $(impl askama::filters::HtmlSafe for $component {})*
    };
}
pub(crate) use html_safe;

/// `value` unless it is unset or empty, else `default`: the macros'
/// `param | default(value, true)`.
pub(crate) fn or_default<'a>(value: &'a Option<String>, default: &'a str) -> &'a str {
    match value.as_deref() {
        Some(value) if !value.is_empty() => value,
        _ => default,
    }
}

/// The label, hint and error message of a form control, with the ids the
/// control refers to, worked out as govuk-frontend's macros do. Rendered by
/// `templates/components/partials/field-messages.html`.
pub(crate) struct FieldParts {
    pub(crate) label: Option<Label>,
    pub(crate) hint: Option<Hint>,
    pub(crate) error_message: Option<ErrorMessage>,
    /// `aria-describedby` for the control (or fieldset): the given ids, then
    /// the hint's, then the error message's.
    pub(crate) described_by: String,
}

impl FieldParts {
    /// `id` is the control's id (or the id prefix of checkboxes and radios);
    /// `label`, if any, is made to point at it.
    pub(crate) fn new(
        id: &str,
        described_by: Option<&str>,
        label: Option<&Label>,
        hint: Option<&Hint>,
        error_message: Option<&ErrorMessage>,
    ) -> Self {
        let hint = hint.map(|hint| Hint {
            id: Some(format!("{id}-hint")),
            ..hint.clone()
        });
        let error_message = error_message.map(|error| ErrorMessage {
            id: Some(format!("{id}-error")),
            ..error.clone()
        });
        let described_by = join_ids(
            [
                described_by,
                hint.as_ref().and_then(|h| h.id.as_deref()),
                error_message.as_ref().and_then(|e| e.id.as_deref()),
            ]
            .into_iter()
            .flatten(),
        );
        Self {
            label: label.map(|label| Label {
                for_: Some(id.to_owned()),
                ..label.clone()
            }),
            hint,
            error_message,
            described_by,
        }
    }
}
