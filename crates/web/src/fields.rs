//! Form fields built from GOV.UK components, wired to the problems found in a submission so
//! each field shows its own message and the error summary links to it.

use crate::components::{
    Button, CheckboxItem, Checkboxes, DateInput, ErrorMessage, ErrorSummary, ErrorSummaryItem,
    Fieldset, Hint, Input, Label, Legend, NotificationBanner, RadioItem, Radios, Select,
    SelectItem, Table, TableCell, Textarea,
};
use hearth_domain::date_parts::{DateError, DateParts};
use hearth_domain::input::FieldErrors;

fn error(errors: &FieldErrors, name: &str) -> Option<ErrorMessage> {
    errors.get(name).map(ErrorMessage::text)
}

/// A one-line text input.
pub fn text(name: &str, label: &str, value: &str, errors: &FieldErrors) -> Input {
    Input {
        id: Some(name.to_string()),
        name: name.to_string(),
        value: Some(value.to_string()),
        label: Label::text(label),
        error_message: error(errors, name),
        ..Input::default()
    }
}

pub fn with_hint(mut input: Input, hint: &str) -> Input {
    input.hint = Some(Hint::text(hint));
    input
}

/// A drop-down list with a hint under its label.
pub fn select_with_hint(mut select: Select, hint: &str) -> Select {
    select.hint = Some(Hint::text(hint));
    select
}

/// A group of checkboxes with a hint under its question.
pub fn checkboxes_with_hint(mut group: Checkboxes, hint: &str) -> Checkboxes {
    group.hint = Some(Hint::text(hint));
    group
}

/// An email address input.
pub fn email(name: &str, label: &str, value: &str, errors: &FieldErrors) -> Input {
    Input {
        type_: Some("email".into()),
        autocomplete: Some("email".into()),
        spellcheck: Some(false),
        ..text(name, label, value, errors)
    }
}

/// A password input; its value is never sent back to the browser.
pub fn password(name: &str, label: &str, autocomplete: &str, errors: &FieldErrors) -> Input {
    Input {
        type_: Some("password".into()),
        autocomplete: Some(autocomplete.into()),
        value: None,
        ..text(name, label, "", errors)
    }
}

/// A drop-down list. `choices` are (value, text); the first choice is usually "Select …".
pub fn select(
    name: &str,
    label: &str,
    choices: Vec<(String, String)>,
    value: &str,
    errors: &FieldErrors,
) -> Select {
    Select {
        id: Some(name.to_string()),
        name: name.to_string(),
        items: choices
            .into_iter()
            .map(|(v, t)| SelectItem::new(v, t))
            .collect(),
        value: Some(value.to_string()),
        label: Label::text(label),
        error_message: error(errors, name),
        ..Select::default()
    }
}

/// A group of checkboxes in a fieldset. `choices` are (value, text, hint).
pub fn checkboxes(
    name: &str,
    legend: &str,
    choices: Vec<(String, String, Option<String>)>,
    checked: &[String],
    errors: &FieldErrors,
) -> Checkboxes {
    Checkboxes {
        name: name.to_string(),
        id_prefix: Some(name.to_string()),
        fieldset: Some(legend_fieldset(legend)),
        items: choices
            .into_iter()
            .map(|(value, text, hint)| CheckboxItem {
                checked: Some(checked.contains(&value)),
                value: Some(value),
                text: Some(text),
                hint: hint.map(Hint::text),
                ..CheckboxItem::default()
            })
            .collect(),
        error_message: error(errors, name),
        ..Checkboxes::default()
    }
}

/// The fieldset around a group of choices, with its question as a medium legend.
fn legend_fieldset(legend: &str) -> Fieldset {
    Fieldset {
        legend: Some(Legend {
            text: Some(legend.to_string()),
            classes: Some("govuk-fieldset__legend--m".into()),
            ..Legend::default()
        }),
        ..Fieldset::default()
    }
}

/// The summary of problems at the top of a page, each linking to its field.
pub fn error_summary(errors: &FieldErrors) -> Option<ErrorSummary> {
    (!errors.is_empty()).then(|| ErrorSummary {
        title_text: Some("There is a problem".into()),
        error_list: errors
            .iter()
            .map(|(field, message)| ErrorSummaryItem {
                text: Some(message.to_string()),
                href: Some(format!("#{field}")),
                ..ErrorSummaryItem::default()
            })
            .collect(),
        ..ErrorSummary::default()
    })
}

pub fn submit(text: &str) -> Button {
    Button {
        prevent_double_click: Some(true),
        ..Button::text(text)
    }
}

/// A multi-line text box.
pub fn textarea(name: &str, label: &str, value: &str, errors: &FieldErrors) -> Textarea {
    Textarea {
        id: Some(name.to_string()),
        name: name.to_string(),
        value: Some(value.to_string()),
        label: Label::text(label),
        error_message: error(errors, name),
        ..Textarea::default()
    }
}

/// A table with a caption and column headings; on a phone each row reads as a card with
/// every cell under its column's heading (`hearth-table--stack`).
pub fn table(caption: &str, head: &[&str], mut rows: Vec<Vec<TableCell>>) -> Table {
    for row in &mut rows {
        for (cell, heading) in row.iter_mut().zip(head) {
            cell.attributes.insert("data-label", *heading);
        }
    }
    Table {
        caption: Some(caption.to_string()),
        caption_classes: Some("govuk-table__caption--m".into()),
        head: Some(head.iter().map(|h| text_cell(*h)).collect()),
        rows,
        classes: Some("hearth-table--stack".into()),
        ..Table::default()
    }
}

pub fn text_cell(text: impl Into<String>) -> TableCell {
    TableCell {
        text: Some(text.into()),
        ..TableCell::default()
    }
}

/// A cell of trusted markup (a link built with escaped parts).
pub fn html_cell(html: String) -> TableCell {
    TableCell {
        html: Some(html),
        ..TableCell::default()
    }
}

/// A green "Success" banner saying what just happened.
pub fn success(message: &str) -> NotificationBanner {
    NotificationBanner {
        type_: Some("success".into()),
        text: Some(message.to_string()),
        ..NotificationBanner::default()
    }
}

/// A blue "Important" banner: something to know before going on.
pub fn important(message: &str) -> NotificationBanner {
    NotificationBanner {
        text: Some(message.to_string()),
        ..NotificationBanner::default()
    }
}

/// One choice among several, in a fieldset. `choices` are (value, text, hint).
pub fn radios(
    name: &str,
    legend: &str,
    choices: Vec<(String, String, Option<String>)>,
    value: &str,
    errors: &FieldErrors,
) -> Radios {
    Radios {
        name: name.to_string(),
        id_prefix: Some(name.to_string()),
        fieldset: Some(legend_fieldset(legend)),
        items: choices
            .into_iter()
            .map(|(v, text, hint)| RadioItem {
                checked: Some(v == value),
                value: Some(v),
                text: Some(text),
                hint: hint.map(Hint::text),
                ..RadioItem::default()
            })
            .collect(),
        error_message: error(errors, name),
        ..Radios::default()
    }
}

/// A summary list of (key, value) rows, values as text.
pub fn with_textarea_hint(mut textarea: Textarea, hint: &str) -> Textarea {
    textarea.hint = Some(Hint::text(hint));
    textarea
}

/// Components shown under one choice of a group of radios or checkboxes (GOV.UK conditional
/// reveal): revealed when it is chosen, and always shown, under its choice, without
/// JavaScript. Components render from escaped parts, so their markup is trusted.
pub fn reveal(parts: &[&dyn askama::DynTemplate]) -> Option<crate::components::Conditional> {
    let html: String = parts
        .iter()
        .map(|p| p.dyn_render().unwrap_or_default())
        .collect();
    Some(crate::components::Conditional { html: Some(html) })
}

/// Reveals `content` under the radio whose value is `value`.
pub fn reveal_under(
    radios: &mut crate::components::Radios,
    value: &str,
    content: Option<crate::components::Conditional>,
) {
    if let Some(item) = radios
        .items
        .iter_mut()
        .find(|i| i.value.as_deref() == Some(value))
    {
        item.conditional = content;
    }
}

/// A memorable date as the GOV.UK date input (`NAME-day`, `NAME-month`, `NAME-year`), with
/// the problem reported against `name`: only the boxes that are wrong are marked (all three
/// when the whole date is wrong, e.g. in the future).
pub fn date(
    name: &str,
    legend: &str,
    hint: Option<&str>,
    typed: &DateParts,
    errors: &FieldErrors,
) -> DateInput {
    let error = date_error(name, typed, errors);
    DateInput::for_date(name, legend, hint, typed, error.as_ref())
}

fn date_error(name: &str, typed: &DateParts, errors: &FieldErrors) -> Option<DateError> {
    errors.get(name).map(|message| match typed.read("Date") {
        Err(e) => DateError {
            message: message.to_string(),
            parts: e.parts,
        },
        Ok(_) => DateError::whole(message),
    })
}

/// The error summary, linking a date's problem to its first wrong box (as GOV.UK asks).
pub fn error_summary_with_dates(
    errors: &FieldErrors,
    dates: &[(&str, &DateParts)],
) -> Option<ErrorSummary> {
    let mut summary = error_summary(errors)?;
    for (name, typed) in dates {
        if let Some(e) = date_error(name, typed, errors) {
            let target = format!("#{name}");
            for item in summary
                .error_list
                .iter_mut()
                .filter(|i| i.href.as_deref() == Some(target.as_str()))
            {
                item.href = Some(format!("#{}", DateInput::first_error_id(name, &e)));
            }
        }
    }
    Some(summary)
}
