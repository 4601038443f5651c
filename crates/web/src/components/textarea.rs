//! The textarea component (`govukTextarea`).

use askama::Template;
use serde::Deserialize;

use super::common::{or_default, Attributes, FieldParts, FormGroup};
use super::{ErrorMessage, Hint, Label};

/// A multi-line text field in a form group, with label, hint and error message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/textarea.html")]
pub struct Textarea {
    /// The textarea's id; defaults to `name`.
    pub id: Option<String>,
    /// The textarea's name.
    pub name: String,
    /// Number of rows; 5 when unset.
    pub rows: Option<u32>,
    /// The textarea's value.
    pub value: Option<String>,
    /// Disable the textarea.
    pub disabled: bool,
    /// Extra ids for `aria-describedby`, space separated.
    pub described_by: Option<String>,
    /// The label.
    pub label: Label,
    /// Hint text.
    pub hint: Option<Hint>,
    /// Error message; also styles the form group and textarea as in error.
    pub error_message: Option<ErrorMessage>,
    /// The form group wrapper.
    pub form_group: FormGroup,
    /// Extra classes for the textarea.
    pub classes: Option<String>,
    /// The `autocomplete` attribute.
    pub autocomplete: Option<String>,
    /// The `spellcheck` attribute, when set.
    pub spellcheck: Option<bool>,
    /// Extra attributes for the textarea.
    pub attributes: Attributes,
}

impl Textarea {
    fn control_id(&self) -> &str {
        or_default(&self.id, &self.name)
    }

    fn rows_or_default(&self) -> u32 {
        self.rows.filter(|rows| *rows > 0).unwrap_or(5)
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
}
