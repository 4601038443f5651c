//! The date input component (`govukDateInput`): a memorable date as three boxes (day, month,
//! year) in a fieldset. [`DateInput::for_date`] builds one from what was typed and its
//! problem, marking only the boxes that are wrong.

use askama::Template;
use hearth_domain::date_parts::{DateError, DatePart, DateParts};
use serde::Deserialize;

use super::common::{loose, Attributes, ChoicesFormGroup, FieldParts};
use super::{ErrorMessage, Fieldset, Hint, Input, Label, Legend};

/// A date input in a form group, usually in a fieldset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Template)]
#[serde(rename_all = "camelCase", default)]
#[template(path = "components/date-input.html")]
pub struct DateInput {
    /// The id of the boxes' wrapper; each box's id is `ID-NAME` unless it has its own.
    pub id: String,
    /// Prefix of the boxes' names (`dob` gives `dob-day`, `dob-month`, `dob-year`).
    pub name_prefix: Option<String>,
    /// The boxes; day, month and year when empty.
    #[serde(deserialize_with = "loose::truthy_items")]
    pub items: Vec<DateInputItem>,
    /// Hint text.
    pub hint: Option<Hint>,
    /// Error message; also styles the form group as in error (the boxes in error say so in
    /// their own classes).
    pub error_message: Option<ErrorMessage>,
    /// The form group wrapper.
    pub form_group: ChoicesFormGroup,
    /// The fieldset around the boxes (its `html` is ignored).
    pub fieldset: Option<Fieldset>,
    /// Extra classes for the boxes' wrapper.
    pub classes: Option<String>,
    /// Extra attributes for the boxes' wrapper.
    pub attributes: Attributes,
}

/// One box of a [`DateInput`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DateInputItem {
    /// The box's own id, instead of `ID-NAME`.
    pub id: Option<String>,
    /// The box's name (after the prefix), e.g. `day`.
    pub name: String,
    /// The label's text; the name, capitalised, when unset.
    pub label: Option<String>,
    /// The box's value.
    #[serde(deserialize_with = "loose::scalar_string")]
    pub value: Option<String>,
    /// The `autocomplete` attribute.
    pub autocomplete: Option<String>,
    /// The `pattern` attribute.
    pub pattern: Option<String>,
    /// The `inputmode` attribute; `numeric` when unset.
    pub inputmode: Option<String>,
    /// Extra classes, e.g. `govuk-input--width-2 govuk-input--error`.
    pub classes: Option<String>,
    /// Extra attributes.
    pub attributes: Attributes,
}

/// The boxes and their messages: put in the fieldset when there is one.
#[derive(Template)]
#[template(path = "components/date-input-content.html")]
struct Content<'a> {
    params: &'a DateInput,
    parts: FieldParts,
    boxes: Vec<Input>,
}

/// `day`, `month` → `Day`, `Month`, as Nunjucks' `capitalize` does.
fn capitalise(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

impl DateInput {
    /// A date of a form: its legend, the boxes as typed (named `NAME-day` …, with ids to
    /// match, so the error summary can link to a box), and its problem with only the wrong
    /// boxes marked.
    pub fn for_date(
        name: &str,
        legend: &str,
        hint: Option<&str>,
        typed: &DateParts,
        error: Option<&DateError>,
    ) -> Self {
        let item = |part: DatePart, value: &str, width: &str| {
            let wrong = error.is_some_and(|e| e.parts.contains(&part));
            DateInputItem {
                name: part.suffix().into(),
                value: Some(value.to_string()).filter(|v| !v.is_empty()),
                classes: Some(if wrong {
                    format!("{width} govuk-input--error")
                } else {
                    width.to_string()
                }),
                autocomplete: (name == "dob").then(|| format!("bday-{}", part.suffix())),
                ..DateInputItem::default()
            }
        };
        DateInput {
            id: name.into(),
            name_prefix: Some(name.into()),
            items: vec![
                item(DatePart::Day, &typed.day, "govuk-input--width-2"),
                item(DatePart::Month, &typed.month, "govuk-input--width-2"),
                item(DatePart::Year, &typed.year, "govuk-input--width-4"),
            ],
            hint: hint.map(Hint::text),
            error_message: error.map(|e| ErrorMessage::text(e.message.clone())),
            fieldset: Some(Fieldset {
                legend: Some(Legend {
                    classes: Some("govuk-fieldset__legend--s".into()),
                    ..Legend::text(legend)
                }),
                ..Fieldset::default()
            }),
            ..DateInput::default()
        }
    }

    /// The id of the first box in error, for the error summary to link to.
    pub fn first_error_id(name: &str, error: &DateError) -> String {
        let part = [DatePart::Day, DatePart::Month, DatePart::Year]
            .into_iter()
            .find(|p| error.parts.contains(p))
            .unwrap_or(DatePart::Day);
        format!("{name}-{}", part.suffix())
    }

    fn parts(&self) -> FieldParts {
        let described_by = self
            .fieldset
            .as_ref()
            .and_then(|f| f.described_by.as_deref());
        FieldParts::new(
            &self.id,
            described_by,
            None,
            self.hint.as_ref(),
            self.error_message.as_ref(),
        )
    }

    fn items(&self) -> Vec<DateInputItem> {
        if !self.items.is_empty() {
            return self.items.clone();
        }
        [
            ("day", "govuk-input--width-2"),
            ("month", "govuk-input--width-2"),
            ("year", "govuk-input--width-4"),
        ]
        .into_iter()
        .map(|(name, classes)| DateInputItem {
            name: name.into(),
            classes: Some(classes.into()),
            ..DateInputItem::default()
        })
        .collect()
    }

    fn boxes(&self) -> Vec<Input> {
        self.items()
            .into_iter()
            .map(|item| Input {
                id: Some(
                    item.id
                        .clone()
                        .unwrap_or_else(|| format!("{}-{}", self.id, item.name)),
                ),
                name: match &self.name_prefix {
                    Some(prefix) if !prefix.is_empty() => format!("{prefix}-{}", item.name),
                    _ => item.name.clone(),
                },
                type_: Some("text".into()),
                inputmode: Some(item.inputmode.clone().unwrap_or_else(|| "numeric".into())),
                value: item.value.clone(),
                label: Label {
                    classes: Some("govuk-date-input__label".into()),
                    ..Label::text(item.label.clone().unwrap_or_else(|| capitalise(&item.name)))
                },
                classes: Some(format!(
                    "govuk-date-input__input {}",
                    item.classes.as_deref().unwrap_or("")
                )),
                autocomplete: item.autocomplete.clone(),
                pattern: item.pattern.clone(),
                attributes: item.attributes.clone(),
                ..Input::default()
            })
            .collect()
    }

    /// The group's content, in its fieldset if it has one.
    fn content(&self) -> askama::Result<String> {
        let content = Content {
            params: self,
            parts: self.parts(),
            boxes: self.boxes(),
        };
        match &self.fieldset {
            None => content.render(),
            Some(fieldset) => {
                let described_by =
                    Some(content.parts.described_by.clone()).filter(|d| !d.is_empty());
                Fieldset {
                    described_by,
                    role: Some("group".into()),
                    html: Some(content.render()?),
                    ..fieldset.clone()
                }
                .render()
            }
        }
    }
}
