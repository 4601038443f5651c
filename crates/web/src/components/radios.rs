//! The radios component (`govukRadios`).

use askama::Template;
use serde::Deserialize;

use super::common::{
    join_ids, loose, or_default, with_classes, Attributes, ChoicesFormGroup, FieldParts,
};
use super::{Conditional, ErrorMessage, Fieldset, Hint, ItemLabel, Label};

/// A group of radio buttons in a form group, usually in a fieldset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/radios.html")]
pub struct Radios {
    /// The fieldset around the radios (its `html` is ignored).
    pub fieldset: Option<Fieldset>,
    /// Hint text for the group.
    pub hint: Option<Hint>,
    /// Error message for the group.
    pub error_message: Option<ErrorMessage>,
    /// The form group wrapper.
    pub form_group: ChoicesFormGroup,
    /// Prefix of the radios' ids; defaults to `name`. The first radio's id is
    /// the prefix itself (for the error summary to link to), the next ones
    /// `PREFIX-2`, `PREFIX-3` …
    pub id_prefix: Option<String>,
    /// The radios' name.
    pub name: String,
    /// The radios.
    #[serde(deserialize_with = "loose::truthy_items")]
    pub items: Vec<RadioItem>,
    /// Value of the radio to check (unless an item sets `checked`).
    #[serde(deserialize_with = "loose::truthy_string")]
    pub value: Option<String>,
    /// Extra classes, e.g. `govuk-radios--inline`.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
}

/// One radio button (or a divider) of [`Radios`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RadioItem {
    /// Label text, escaped.
    #[serde(deserialize_with = "loose::scalar_string")]
    pub text: Option<String>,
    /// Label content as trusted HTML; wins over `text`.
    pub html: Option<String>,
    /// The radio's id, instead of the one made from the id prefix.
    pub id: Option<String>,
    /// The radio's value.
    #[serde(deserialize_with = "loose::scalar_string")]
    pub value: Option<String>,
    /// Classes and attributes for the label.
    pub label: Option<ItemLabel>,
    /// Hint text for this radio.
    pub hint: Option<Hint>,
    /// Makes this item a divider with this text (e.g. "or") instead of a radio.
    pub divider: Option<String>,
    /// Check this radio (`Some(false)` also overrides the group's `value`).
    pub checked: Option<bool>,
    /// Content revealed when the radio is checked.
    pub conditional: Option<Conditional>,
    /// Disable this radio.
    pub disabled: bool,
    /// Extra attributes for the input.
    pub attributes: Attributes,
}

impl RadioItem {
    /// A radio with a value and label text.
    pub fn new(value: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            value: Some(value.into()),
            text: Some(text.into()),
            ..Self::default()
        }
    }

    fn conditional_html(&self) -> Option<&str> {
        self.conditional.as_ref().and_then(|c| c.html.as_deref())
    }
}

/// The content of the group: put in the fieldset when there is one.
#[derive(Template)]
#[template(path = "components/radios-content.html")]
struct Content<'a> {
    params: &'a Radios,
    parts: FieldParts,
}

impl Radios {
    fn id_prefix(&self) -> &str {
        or_default(&self.id_prefix, &self.name)
    }

    fn parts(&self) -> FieldParts {
        let described_by = self
            .fieldset
            .as_ref()
            .and_then(|f| f.described_by.as_deref());
        FieldParts::new(
            self.id_prefix(),
            described_by,
            None,
            self.hint.as_ref(),
            self.error_message.as_ref(),
        )
    }

    /// The group's content, in its fieldset if it has one.
    fn content(&self) -> askama::Result<String> {
        let parts = self.parts();
        match &self.fieldset {
            None => Content {
                params: self,
                parts,
            }
            .render(),
            Some(fieldset) => {
                let described_by = Some(parts.described_by.clone()).filter(|d| !d.is_empty());
                Fieldset {
                    described_by,
                    html: Some(
                        Content {
                            params: self,
                            parts,
                        }
                        .render()?,
                    ),
                    ..fieldset.clone()
                }
                .render()
            }
        }
    }

    fn item_id(&self, item: &RadioItem, index: &usize) -> String {
        match item.id.as_deref() {
            Some(id) if !id.is_empty() => id.to_owned(),
            _ if *index > 1 => format!("{}-{index}", self.id_prefix()),
            _ => self.id_prefix().to_owned(),
        }
    }

    fn is_checked(&self, item: &RadioItem) -> bool {
        match (item.checked, &self.value) {
            (Some(checked), _) => checked,
            (None, Some(value)) => item.value.as_ref() == Some(value),
            (None, None) => false,
        }
    }

    fn item_hint(&self, item: &RadioItem, item_id: &str) -> Option<Hint> {
        item.hint
            .as_ref()
            .filter(|hint| hint.text.is_some() || hint.html.is_some())
            .map(|hint| Hint {
                id: Some(format!("{item_id}-item-hint")),
                classes: Some(with_classes("govuk-radios__hint", hint.classes.as_deref())),
                ..hint.clone()
            })
    }

    fn item_label(&self, item: &RadioItem, item_id: &str) -> Label {
        let label = item.label.clone().unwrap_or_default();
        Label {
            text: item.text.clone(),
            html: item.html.clone(),
            for_: Some(item_id.to_owned()),
            classes: Some(with_classes(
                "govuk-radios__label",
                label.classes.as_deref(),
            )),
            attributes: label.attributes,
            is_page_heading: false,
        }
    }

    fn item_described_by(&self, hint: Option<&Hint>) -> String {
        join_ids(hint.and_then(|h| h.id.as_deref()))
    }
}
