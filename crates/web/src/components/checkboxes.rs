//! The checkboxes component (`govukCheckboxes`).

use askama::Template;
use serde::Deserialize;

use super::common::{
    join_ids, loose, or_default, with_classes, Attributes, ChoicesFormGroup, FieldParts,
};
use super::{ErrorMessage, Fieldset, Hint, Label};

/// A group of checkboxes in a form group, usually in a fieldset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/checkboxes.html")]
pub struct Checkboxes {
    /// Extra ids for `aria-describedby`, space separated.
    pub described_by: Option<String>,
    /// The fieldset around the checkboxes (its `html` is ignored).
    pub fieldset: Option<Fieldset>,
    /// Hint text for the group.
    pub hint: Option<Hint>,
    /// Error message for the group.
    pub error_message: Option<ErrorMessage>,
    /// The form group wrapper.
    pub form_group: ChoicesFormGroup,
    /// Prefix of the checkboxes' ids; defaults to `name`. The first checkbox's
    /// id is the prefix itself (for the error summary to link to), the next
    /// ones `PREFIX-2`, `PREFIX-3` …
    pub id_prefix: Option<String>,
    /// The checkboxes' name.
    pub name: String,
    /// The checkboxes.
    #[serde(deserialize_with = "loose::truthy_items")]
    pub items: Vec<CheckboxItem>,
    /// Values of the checkboxes to check (unless an item sets `checked`).
    pub values: Option<Vec<String>>,
    /// Extra classes, e.g. `govuk-checkboxes--small`.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
}

/// One checkbox (or a divider) of [`Checkboxes`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CheckboxItem {
    /// Label text, escaped.
    #[serde(deserialize_with = "loose::scalar_string")]
    pub text: Option<String>,
    /// Label content as trusted HTML; wins over `text`.
    pub html: Option<String>,
    /// The checkbox's id, instead of the one made from the id prefix.
    pub id: Option<String>,
    /// The checkbox's name, instead of the group's.
    pub name: Option<String>,
    /// The checkbox's value.
    #[serde(deserialize_with = "loose::scalar_string")]
    pub value: Option<String>,
    /// Classes and attributes for the label.
    pub label: Option<ItemLabel>,
    /// Hint text for this checkbox.
    pub hint: Option<Hint>,
    /// Makes this item a divider with this text (e.g. "or") instead of a checkbox.
    pub divider: Option<String>,
    /// Check this checkbox (`Some(false)` also overrides the group's `values`).
    pub checked: Option<bool>,
    /// Content revealed when the checkbox is checked.
    pub conditional: Option<Conditional>,
    /// `exclusive` for a "None of these" checkbox.
    pub behaviour: Option<String>,
    /// Disable this checkbox.
    pub disabled: bool,
    /// Extra attributes for the input.
    pub attributes: Attributes,
}

/// Classes and attributes for the label of a checkbox or radio.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ItemLabel {
    /// Extra classes.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
}

/// Content revealed when a checkbox or radio is selected.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Conditional {
    /// Trusted HTML.
    #[serde(deserialize_with = "loose::truthy_string")]
    pub html: Option<String>,
}

impl CheckboxItem {
    fn conditional_html(&self) -> Option<&str> {
        self.conditional.as_ref().and_then(|c| c.html.as_deref())
    }

    /// A checkbox with a value and label text.
    pub fn new(value: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            value: Some(value.into()),
            text: Some(text.into()),
            ..Self::default()
        }
    }
}

/// The content of the group: put in the fieldset when there is one.
#[derive(Template)]
#[template(path = "components/checkboxes-content.html")]
struct Content<'a> {
    params: &'a Checkboxes,
    parts: FieldParts,
}

impl Checkboxes {
    fn id_prefix(&self) -> &str {
        or_default(&self.id_prefix, &self.name)
    }

    fn parts(&self) -> FieldParts {
        let described_by = match &self.fieldset {
            Some(Fieldset {
                described_by: Some(d),
                ..
            }) if !d.is_empty() => Some(d.as_str()),
            _ => self.described_by.as_deref(),
        };
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

    fn item_name<'a>(&'a self, item: &'a CheckboxItem) -> &'a str {
        or_default(&item.name, &self.name)
    }

    fn item_id(&self, item: &CheckboxItem, index: &usize) -> String {
        match item.id.as_deref() {
            Some(id) if !id.is_empty() => id.to_owned(),
            _ if *index > 1 => format!("{}-{index}", self.id_prefix()),
            _ => self.id_prefix().to_owned(),
        }
    }

    fn is_checked(&self, item: &CheckboxItem) -> bool {
        match (item.checked, &self.values, &item.value) {
            (Some(checked), _, _) => checked,
            (None, Some(values), Some(value)) => values.contains(value),
            _ => false,
        }
    }

    fn item_hint(&self, item: &CheckboxItem, item_id: &str) -> Option<Hint> {
        item.hint
            .as_ref()
            .filter(|hint| hint.text.is_some() || hint.html.is_some())
            .map(|hint| Hint {
                id: Some(format!("{item_id}-item-hint")),
                classes: Some(with_classes(
                    "govuk-checkboxes__hint",
                    hint.classes.as_deref(),
                )),
                ..hint.clone()
            })
    }

    fn item_label(&self, item: &CheckboxItem, item_id: &str) -> Label {
        let label = item.label.clone().unwrap_or_default();
        Label {
            text: item.text.clone(),
            html: item.html.clone(),
            for_: Some(item_id.to_owned()),
            classes: Some(with_classes(
                "govuk-checkboxes__label",
                label.classes.as_deref(),
            )),
            attributes: label.attributes,
            is_page_heading: false,
        }
    }

    fn item_described_by(&self, parts: &FieldParts, hint: Option<&Hint>) -> String {
        let group = if self.fieldset.is_some() {
            ""
        } else {
            parts.described_by.as_str()
        };
        join_ids([group, hint.and_then(|h| h.id.as_deref()).unwrap_or("")])
    }
}
