//! The select component (`govukSelect`).

use askama::Template;
use serde::Deserialize;

use super::common::{loose, or_default, Attributes, FieldParts, FormGroup};
use super::{ErrorMessage, Hint, Label};

/// A `<select>` in a form group, with label, hint and error message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/select.html")]
pub struct Select {
    /// The select's id; defaults to `name`.
    pub id: Option<String>,
    /// The select's name.
    pub name: String,
    /// The options.
    #[serde(deserialize_with = "loose::truthy_items")]
    pub items: Vec<SelectItem>,
    /// The value of the option to select (unless an item sets `selected`).
    #[serde(deserialize_with = "loose::truthy_string")]
    pub value: Option<String>,
    /// Disable the select.
    pub disabled: bool,
    /// Extra ids for `aria-describedby`, space separated.
    pub described_by: Option<String>,
    /// The label.
    pub label: Label,
    /// Hint text.
    pub hint: Option<Hint>,
    /// Error message; also styles the form group and select as in error.
    pub error_message: Option<ErrorMessage>,
    /// The form group wrapper.
    pub form_group: FormGroup,
    /// Extra classes for the select.
    pub classes: Option<String>,
    /// Extra attributes for the select.
    pub attributes: Attributes,
}

/// An `<option>` of a [`Select`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SelectItem {
    /// The option's value; without one, the browser submits its text.
    #[serde(deserialize_with = "loose::scalar_string")]
    pub value: Option<String>,
    /// The option's text, escaped.
    #[serde(deserialize_with = "loose::scalar_string")]
    pub text: Option<String>,
    /// Select this option (`Some(false)` also overrides the select's `value`).
    pub selected: Option<bool>,
    /// Disable this option.
    pub disabled: bool,
    /// Extra attributes.
    pub attributes: Attributes,
}

impl SelectItem {
    /// An option with a value and text.
    pub fn new(value: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            value: Some(value.into()),
            text: Some(text.into()),
            ..Self::default()
        }
    }
}

impl Select {
    fn control_id(&self) -> &str {
        or_default(&self.id, &self.name)
    }

    fn parts(&self) -> FieldParts {
        FieldParts::new(
            self.control_id(),
            self.described_by.as_deref(),
            Some(&self.label),
            self.hint.as_ref(),
            self.error_message.as_ref(),
        )
    }

    fn is_selected(&self, item: &SelectItem) -> bool {
        match (item.selected, &self.value) {
            (Some(selected), _) => selected,
            (None, Some(value)) => item.value.as_ref().or(item.text.as_ref()) == Some(value),
            (None, None) => false,
        }
    }
}
