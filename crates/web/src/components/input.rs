//! The text input component (`govukInput`).

use askama::Template;
use serde::Deserialize;

use super::common::{loose, or_default, Attributes, FieldParts, FormGroup, TextOrHtml};
use super::{ErrorMessage, Hint, Label};

/// A text input in a form group, with label, hint and error message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/input.html")]
pub struct Input {
    /// The input's id; defaults to `name`.
    pub id: Option<String>,
    /// The input's name.
    pub name: String,
    /// The input's type; `text` when unset.
    #[serde(rename = "type")]
    pub type_: Option<String>,
    /// The `inputmode` attribute.
    pub inputmode: Option<String>,
    /// The input's value.
    #[serde(deserialize_with = "loose::scalar_string")]
    pub value: Option<String>,
    /// Disable the input.
    pub disabled: bool,
    /// Extra ids for `aria-describedby`, space separated.
    pub described_by: Option<String>,
    /// The label.
    pub label: Label,
    /// Hint text.
    pub hint: Option<Hint>,
    /// Error message; also styles the form group and input as in error.
    pub error_message: Option<ErrorMessage>,
    /// Content shown before the input, e.g. `£`.
    pub prefix: Option<Affix>,
    /// Content shown after the input, e.g. `kg`.
    pub suffix: Option<Affix>,
    /// The form group wrapper.
    pub form_group: FormGroup,
    /// Extra classes for the input, e.g. `govuk-input--width-10`.
    pub classes: Option<String>,
    /// The `autocomplete` attribute.
    pub autocomplete: Option<String>,
    /// The `pattern` attribute.
    pub pattern: Option<String>,
    /// The `spellcheck` attribute, when set.
    pub spellcheck: Option<bool>,
    /// The `autocapitalize` attribute.
    pub autocapitalize: Option<String>,
    /// The wrapper used when there is a prefix or suffix.
    pub input_wrapper: InputWrapper,
    /// Extra attributes for the input.
    pub attributes: Attributes,
}

/// A prefix or suffix of an [`Input`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Affix {
    /// Text, escaped.
    pub text: Option<String>,
    /// Content as trusted HTML; wins over `text`.
    pub html: Option<String>,
    /// Extra classes.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
}

/// The wrapper around an [`Input`] with a prefix or suffix.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct InputWrapper {
    /// Extra classes.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
}

impl Affix {
    fn is_set(&self) -> bool {
        self.text.is_some() || self.html.is_some()
    }
}

impl Input {
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

    fn input_classes(&self) -> String {
        let mut classes = String::from("govuk-input");
        if let Some(extra) = self.classes.as_deref().filter(|c| !c.is_empty()) {
            classes.push(' ');
            classes.push_str(extra);
        }
        if self.error_message.is_some() {
            classes.push_str(" govuk-input--error");
        }
        classes
    }

    fn input_type(&self) -> &str {
        or_default(&self.type_, "text")
    }

    fn prefix_if_set(&self) -> Option<&Affix> {
        self.prefix.as_ref().filter(|affix| affix.is_set())
    }

    fn suffix_if_set(&self) -> Option<&Affix> {
        self.suffix.as_ref().filter(|affix| affix.is_set())
    }

    fn before_input(&self) -> Option<&TextOrHtml> {
        self.form_group
            .before_input
            .as_ref()
            .filter(|c| c.text.is_some() || c.html.is_some())
    }

    fn after_input(&self) -> Option<&TextOrHtml> {
        self.form_group
            .after_input
            .as_ref()
            .filter(|c| c.text.is_some() || c.html.is_some())
    }

    fn has_wrapper(&self) -> bool {
        self.prefix_if_set().is_some()
            || self.suffix_if_set().is_some()
            || self.before_input().is_some()
            || self.after_input().is_some()
    }
}
