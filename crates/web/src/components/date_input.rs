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
    /// The day box, when `items` is empty (instead of the default one).
    pub day: DateBox,
    /// The month box, when `items` is empty.
    pub month: DateBox,
    /// The year box, when `items` is empty.
    pub year: DateBox,
    /// The boxes' values by name (`day`) or full name (`dob-day`), for boxes without their own.
    #[serde(deserialize_with = "loose::scalar_map")]
    pub values: std::collections::BTreeMap<String, String>,
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

/// The day, month or year box when `items` is not given: `false` leaves it out (a birthday
/// without a year), an item replaces the default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum DateBox {
    #[default]
    Default,
    Omitted,
    Given(Box<DateInputItem>),
}

impl DateBox {
    fn given(&self) -> Option<&DateInputItem> {
        match self {
            DateBox::Given(item) => Some(&**item),
            DateBox::Default | DateBox::Omitted => None,
        }
    }
}

impl<'de> Deserialize<'de> for DateBox {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        match value {
            serde_json::Value::Object(_) => serde_json::from_value(value)
                .map(|item| DateBox::Given(Box::new(item)))
                .map_err(serde::de::Error::custom),
            // as `{% if item %}` skips it
            _ => Ok(DateBox::Omitted),
        }
    }
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
    /// Marks the box as in error (`false` keeps it clear when the date has an error).
    pub error: Option<bool>,
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

/// A year box is four characters wide; the others two.
fn width(part: Option<DatePart>) -> u8 {
    if part == Some(DatePart::Year) {
        4
    } else {
        2
    }
}

/// Whether a class list has `class` in it.
fn has_class(classes: Option<&str>, class: &str) -> bool {
    classes.is_some_and(|c| c.split_whitespace().any(|c| c == class))
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

    /// The boxes with the part each one is (when it is one of the three), as govuk-frontend
    /// matches them: by slot when the defaults are used, otherwise by name.
    fn items(&self) -> Vec<(Option<DatePart>, DateInputItem)> {
        let slot = |part: DatePart, given: &DateBox| {
            let item = match given {
                DateBox::Omitted => return None,
                DateBox::Given(item) => (**item).clone(),
                DateBox::Default => DateInputItem {
                    name: part.suffix().into(),
                    value: self.values.get(part.suffix()).cloned(),
                    classes: Some(format!("govuk-input--width-{}", width(Some(part)))),
                    ..DateInputItem::default()
                },
            };
            Some((Some(part), item))
        };
        if self.items.is_empty() {
            return [
                slot(DatePart::Day, &self.day),
                slot(DatePart::Month, &self.month),
                slot(DatePart::Year, &self.year),
            ]
            .into_iter()
            .flatten()
            .collect();
        }
        let named = |part: DatePart, given: &DateBox, name: &str| {
            name == part.suffix() || given.given().is_some_and(|g| g.name == name)
        };
        self.items
            .iter()
            .map(|item| {
                let part = [
                    (DatePart::Day, &self.day),
                    (DatePart::Month, &self.month),
                    (DatePart::Year, &self.year),
                ]
                .into_iter()
                .find(|(part, given)| !item.name.is_empty() && named(*part, given, &item.name))
                .map(|(part, _)| part);
                (part, item.clone())
            })
            .collect()
    }

    fn boxes(&self) -> Vec<Input> {
        let items = self.items();
        let in_error = |item: &DateInputItem| {
            item.error == Some(true) || has_class(item.classes.as_deref(), "govuk-input--error")
        };
        let any_in_error = items.iter().any(|(_, item)| in_error(item));
        let prefix = self
            .name_prefix
            .as_deref()
            .filter(|p| !p.is_empty())
            .map(|p| format!("{p}-"))
            .unwrap_or_default();
        items
            .into_iter()
            .map(|(part, item)| {
                let given = match part {
                    Some(DatePart::Day) => self.day.given(),
                    Some(DatePart::Month) => self.month.given(),
                    Some(DatePart::Year) => self.year.given(),
                    None => None,
                };
                let name = match part {
                    Some(part) if item.name.is_empty() => part.suffix().to_string(),
                    _ => item.name.clone(),
                };
                let value = item
                    .value
                    .clone()
                    .or_else(|| given.and_then(|g| g.value.clone()))
                    .or_else(|| self.values.get(&format!("{prefix}{name}")).cloned());
                let own = item.classes.as_deref();
                let mut classes = vec!["govuk-date-input__input".to_string()];
                if !has_class(own, "govuk-input--error")
                    && (in_error(&item)
                        || (item.error != Some(false)
                            && self.error_message.is_some()
                            && !any_in_error))
                {
                    classes.push("govuk-input--error".into());
                }
                if !own.is_some_and(|c| c.contains("govuk-input--width-")) {
                    classes.push(format!("govuk-input--width-{}", width(part)));
                }
                classes.extend(own.filter(|c| !c.is_empty()).map(str::to_string));
                Input {
                    id: Some(
                        item.id
                            .clone()
                            .unwrap_or_else(|| format!("{}-{name}", self.id)),
                    ),
                    name: format!("{prefix}{name}"),
                    type_: Some("text".into()),
                    inputmode: Some(item.inputmode.clone().unwrap_or_else(|| "numeric".into())),
                    value,
                    label: Label {
                        classes: Some("govuk-date-input__label".into()),
                        ..Label::text(item.label.clone().unwrap_or_else(|| capitalise(&name)))
                    },
                    classes: Some(classes.join(" ")),
                    autocomplete: item.autocomplete.clone(),
                    pattern: item.pattern.clone(),
                    attributes: item.attributes.clone(),
                    ..Input::default()
                }
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
