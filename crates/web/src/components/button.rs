//! The button component (`govukButton`).

use askama::Template;
use serde::Deserialize;

use super::common::{or_default, with_classes, Attributes};

/// A button: a `<button>`, or a link styled as one when `href` is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/button.html")]
pub struct Button {
    /// `button`, `a` or `input`; by default `a` when `href` is set, else `button`.
    pub element: Option<String>,
    /// Button text, escaped.
    pub text: Option<String>,
    /// Button content as trusted HTML; wins over `text`. Not for `input`.
    pub html: Option<String>,
    /// `name` of a `<button>` or `<input>`.
    pub name: Option<String>,
    /// `type` of a `<button>` or `<input>`; `submit` when unset.
    #[serde(rename = "type")]
    pub type_: Option<String>,
    /// `value` of a `<button>`.
    pub value: Option<String>,
    /// Disable the button.
    pub disabled: bool,
    /// Link target; makes the button a link.
    pub href: Option<String>,
    /// Extra classes, e.g. `govuk-button--secondary`.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
    /// Set `data-prevent-double-click` to this value.
    pub prevent_double_click: Option<bool>,
    /// Show the start button arrow.
    pub is_start_button: bool,
    /// Id of the element.
    pub id: Option<String>,
}

impl Button {
    /// A submit button with plain text.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }

    fn element_name(&self) -> String {
        match self.element.as_deref() {
            Some(element) if !element.is_empty() => element.to_ascii_lowercase(),
            _ if self.href.as_deref().is_some_and(|href| !href.is_empty()) => "a".into(),
            _ => "button".into(),
        }
    }

    fn class_names(&self) -> String {
        let classes = with_classes("govuk-button", self.classes.as_deref());
        if self.is_start_button {
            format!("{classes} govuk-button--start")
        } else {
            classes
        }
    }

    fn href_or_default(&self) -> &str {
        or_default(&self.href, "#")
    }

    fn type_or_default(&self) -> &str {
        or_default(&self.type_, "submit")
    }
}
