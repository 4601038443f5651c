//! A person's details on their record, with a "Change" link for each to someone who may edit
//! the record, and the change pages themselves: one page per change (GET shows it, POST saves
//! it), each needing nothing but the change (a reason is optional).

use crate::components::{
    Button, Checkboxes, DateInput, ErrorSummary, Input, Radios, Select, SummaryList,
    SummaryListAction, SummaryListActions, SummaryListCell, SummaryListRow, Textarea,
};
use crate::dates::UkDate;
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::people::{coded, dob_certainty};
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::family::details::SafeContact;
use hearth_app::family::details::{DetailForm, DetailsToChange};
use hearth_app::family::FullRecord;
use hearth_app::AppError;
use hearth_domain::ids::PersonId;
use hearth_domain::input::FieldErrors;
use hearth_domain::person::{
    ContactChoice, DetailPage, DobCertainty, Ethnicity, PersonDetail, SafeAnswer, Sex,
};

/// A value in the history as words: a code's label, a date in full, or "not recorded".
pub fn shown(detail: &PersonDetail, value: &Option<String>) -> String {
    match value {
        Some(v) => format!("“{}”", detail.show(v)),
        None => "not recorded".into(),
    }
}

/// The person's details as a summary list; each row has a "Change" link when the user may
/// edit the record (and may see that detail).
pub fn summary(record: &FullRecord) -> SummaryList {
    let p = &record.person;
    let or_not = |v: &Option<String>| v.clone().unwrap_or_else(|| "Not recorded".into());
    let dob = match (p.dob, p.dob_certainty) {
        (None, _) => "Not known".to_string(),
        (Some(d), Some(c)) if c != DobCertainty::Exact => {
            format!("{} ({})", d.uk(), c.label().to_lowercase())
        }
        (Some(d), _) => d.uk(),
    };
    let language = p.first_language.as_ref().map(|l| {
        if p.interpreter_needed {
            format!("{l} (needs an interpreter)")
        } else {
            l.clone()
        }
    });
    let language = match (language, p.interpreter_needed) {
        (None, true) => Some("Needs an interpreter".to_string()),
        (l, _) => l,
    };
    let withheld = |v: &Option<String>| {
        if record.details_withheld {
            "Hidden".to_string()
        } else {
            or_not(v)
        }
    };
    let safe_contact = safe_contact_summary(&p.contact);
    let rows: Vec<(&str, String, Option<DetailPage>, bool)> = vec![
        (
            "Name",
            format!("{} {}", p.given_names, p.family_name),
            Some(DetailPage::Name),
            true,
        ),
        ("Age", record.age.clone(), None, true),
        ("Date of birth", dob, Some(DetailPage::DateOfBirth), true),
        (
            "Sex",
            or_not(&p.sex.map(|s| s.label().to_string())),
            Some(DetailPage::Sex),
            p.sex.is_some(),
        ),
        (
            "Gender",
            or_not(&p.gender),
            Some(DetailPage::Gender),
            p.gender.is_some(),
        ),
        (
            "Ethnicity",
            or_not(&p.ethnicity.map(|e| e.label().to_string())),
            Some(DetailPage::Ethnicity),
            p.ethnicity.is_some(),
        ),
        (
            "First language",
            or_not(&language),
            Some(DetailPage::Language),
            language.is_some(),
        ),
        (
            "Special educational needs",
            or_not(&p.send),
            Some(DetailPage::Send),
            p.send.is_some(),
        ),
        (
            "Disability",
            or_not(&p.disability),
            Some(DetailPage::Disability),
            p.disability.is_some(),
        ),
        (
            "NHS number",
            or_not(&p.nhs_number),
            Some(DetailPage::NhsNumber),
            p.nhs_number.is_some(),
        ),
        (
            "UPN",
            or_not(&p.upn),
            Some(DetailPage::Upn),
            p.upn.is_some(),
        ),
        (
            "Phone",
            withheld(&p.phone),
            Some(DetailPage::Phone),
            p.phone.is_some(),
        ),
        (
            "Email",
            withheld(&p.email),
            Some(DetailPage::Email),
            p.email.is_some(),
        ),
        (
            "Texts and safe contact",
            withheld(&safe_contact.clone()),
            Some(DetailPage::SafeContact),
            safe_contact.is_some(),
        ),
    ];
    SummaryList {
        rows: rows
            .into_iter()
            // Someone who may not change the record sees only what is recorded.
            .filter(|(_, _, _, recorded)| *recorded || record.may_edit)
            .map(|(key, value, page, _)| {
                let page = page.filter(|pg| {
                    record.may_edit && !(pg.withheld_by_restriction() && record.details_withheld)
                });
                SummaryListRow {
                    key: SummaryListCell {
                        text: Some(key.to_string()),
                        ..SummaryListCell::default()
                    },
                    value: SummaryListCell {
                        text: Some(value),
                        ..SummaryListCell::default()
                    },
                    actions: page.map(|pg| SummaryListActions {
                        items: vec![SummaryListAction {
                            href: format!("/people/{}/change/{}", p.id, pg.code()),
                            text: Some("Change".into()),
                            visually_hidden_text: Some(key.to_lowercase()),
                            ..SummaryListAction::default()
                        }],
                        ..SummaryListActions::default()
                    }),
                    ..SummaryListRow::default()
                }
            })
            .collect(),
        ..SummaryList::default()
    }
}

/// The safe contact in a line: the mobile, what is safe, the hours and the chosen channel;
/// none when nothing is recorded.
fn safe_contact_summary(c: &SafeContact) -> Option<String> {
    if *c == SafeContact::default() {
        return None;
    }
    let answer = |a: Option<SafeAnswer>| a.map(|a| a.label()).unwrap_or("not asked");
    let mut parts = vec![
        c.mobile
            .as_ref()
            .map(|m| m.e164().to_string())
            .unwrap_or_else(|| "No mobile".into()),
        format!("safe to text: {}", answer(c.safe_to_text).to_lowercase()),
        format!(
            "safe to leave a message: {}",
            answer(c.safe_to_leave_message).to_lowercase()
        ),
    ];
    if let Some(h) = c.safe_hours {
        parts.push(format!(
            "texts between {} and {}{}",
            h.from.format("%H:%M"),
            h.until.format("%H:%M"),
            if h.weekdays_only { " on weekdays" } else { "" }
        ));
    }
    if let Some(by) = c.contact_by {
        parts.push(format!("hears from us by {}", by.label().to_lowercase()));
    }
    Some(parts.join("; "))
}

#[derive(Template)]
#[template(path = "people/change.html")]
struct ChangePage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    id: PersonId,
    name: String,
    page: DetailPage,
    version: String,
    /// Someone else saved the record since this page was shown: what it holds now.
    conflict: Option<String>,
    /// …and what this user typed, beside it (both versions shown).
    typed: Option<String>,
    fields: Vec<String>,
    reason: Textarea,
    /// The person disagrees with the change: ticked, what they say is kept beside it.
    disputed: Checkboxes,
    submit: Button,
}

fn options(items: Vec<(&str, &str)>) -> Vec<(String, String)> {
    let mut v = vec![(String::new(), "Not recorded".to_string())];
    v.extend(
        items
            .into_iter()
            .map(|(c, l)| (c.to_string(), l.to_string())),
    );
    v
}

/// The fields of one change page, rendered.
fn page_fields(
    page: DetailPage,
    f: &DetailForm,
    errors: &FieldErrors,
) -> Result<Vec<String>, WebError> {
    let r = |t: &dyn askama::DynTemplate| {
        t.dyn_render()
            .map_err(|e| WebError::Internal(e.to_string()))
    };
    let text = |name: &str, label: &str, value: &str| fields::text(name, label, value, errors);
    let one = |i: Input| -> Result<Vec<String>, WebError> { Ok(vec![r(&i)?]) };
    match page {
        DetailPage::Name => Ok(vec![
            r(&text("given_names", "First names", &f.given_names))?,
            r(&text("family_name", "Last name", &f.family_name))?,
        ]),
        DetailPage::DateOfBirth => {
            let dob: DateInput = fields::date(
                "dob",
                "Date of birth",
                Some("For example, 27 3 2012. For an unborn baby, the expected date. Leave it empty if it is not known."),
                &f.dob_parts(),
                errors,
            );
            let certainty: Radios = dob_certainty(&f.dob_certainty, errors);
            Ok(vec![r(&dob)?, r(&certainty)?])
        }
        DetailPage::Sex => {
            let s: Select = fields::select(
                "sex",
                "Sex",
                options(coded(Sex::ALL.iter().map(|s| (s.code(), s.label())))),
                &f.sex,
                errors,
            );
            Ok(vec![r(&s)?])
        }
        DetailPage::Gender => one(text("gender", "Gender, in the person's words", &f.gender)),
        DetailPage::Ethnicity => {
            let s: Select = fields::select(
                "ethnicity",
                "Ethnicity",
                options(coded(Ethnicity::ALL.iter().map(|e| (e.code(), e.label())))),
                &f.ethnicity,
                errors,
            );
            Ok(vec![r(&s)?])
        }
        DetailPage::Language => Ok(vec![
            r(&text("first_language", "First language", &f.first_language))?,
            r(&fields::checkboxes(
                "interpreter_needed",
                "Interpreter",
                vec![("yes".into(), "Needs an interpreter".into(), None)],
                &f.interpreter_needed.iter().cloned().collect::<Vec<_>>(),
                errors,
            ))?,
        ]),
        DetailPage::Send => Ok(vec![r(&fields::textarea(
            "send",
            "Special educational needs (SEND)",
            &f.send,
            errors,
        ))?]),
        DetailPage::Disability => Ok(vec![r(&fields::textarea(
            "disability",
            "Disability",
            &f.disability,
            errors,
        ))?]),
        DetailPage::NhsNumber => one(fields::with_hint(
            text("nhs_number", "NHS number", &f.nhs_number),
            "10 digits, for example 943 476 5919",
        )),
        DetailPage::Upn => one(fields::with_hint(
            text("upn", "Unique pupil number (UPN)", &f.upn),
            "13 characters, for example A123456789012",
        )),
        DetailPage::Phone => one(text("phone", "Phone", &f.phone)),
        DetailPage::Email => one(fields::email("email", "Email address", &f.email, errors)),
        DetailPage::SafeContact => safe_contact_fields(f, errors),
    }
}

/// The mobile for texts, what the family said is safe, the hours texts are safe in, and how
/// they chose to hear from us (ADR 0050).
fn safe_contact_fields(f: &DetailForm, errors: &FieldErrors) -> Result<Vec<String>, WebError> {
    let r = |t: &dyn askama::DynTemplate| {
        t.dyn_render()
            .map_err(|e| WebError::Internal(e.to_string()))
    };
    let answers = |not_asked: &str| {
        let mut v: Vec<(String, String, Option<String>)> = SafeAnswer::ALL
            .iter()
            .map(|a| (a.code().to_string(), a.label().to_string(), None))
            .collect();
        v.push((String::new(), not_asked.to_string(), None));
        v
    };
    let mobile = Input {
        type_: Some("tel".into()),
        autocomplete: Some("tel".into()),
        classes: Some("govuk-input--width-20".into()),
        ..fields::with_hint(
            fields::text("mobile", "Mobile number for texts", &f.mobile, errors),
            "A UK mobile, for example 07700 900123",
        )
    };
    let time = |name: &str, label: &str, value: &str| Input {
        classes: Some("govuk-input--width-5".into()),
        ..fields::with_hint(
            fields::text(name, label, value, errors),
            "Hours and minutes on a 24-hour clock, for example 09:00",
        )
    };
    let mut choices: Vec<(String, String, Option<String>)> = ContactChoice::ALL
        .iter()
        .map(|c| (c.code().to_string(), c.label().to_string(), None))
        .collect();
    choices.push((String::new(), "Not asked (email)".into(), None));
    Ok(vec![
        r(&mobile)?,
        r(&fields::radios(
            "safe_to_text",
            "Is it safe to text them?",
            answers("Not asked"),
            &f.safe_to_text,
            errors,
        ))?,
        r(&fields::radios(
            "safe_to_leave_message",
            "Is it safe to leave them a message?",
            answers("Not asked"),
            &f.safe_to_leave_message,
            errors,
        ))?,
        r(&time("safe_from", "Texts are safe from", &f.safe_from))?,
        r(&time("safe_until", "Texts are safe until", &f.safe_until))?,
        r(&fields::checkboxes_with_hint(
            fields::checkboxes(
                "safe_weekdays",
                "Days texts are safe",
                vec![("yes".into(), "Weekdays only".into(), None)],
                &f.safe_weekdays.iter().cloned().collect::<Vec<_>>(),
                errors,
            ),
            "Leave both times empty if any time is safe. A text outside these times waits until they begin.",
        ))?,
        r(&fields::radios(
            "contact_by",
            "How do they want to hear from us?",
            choices,
            &f.contact_by,
            errors,
        ))?,
    ])
}

#[allow(clippy::too_many_arguments)]
fn change_page(
    state: &AppState,
    visitor: &Visitor,
    id: PersonId,
    name: &str,
    page: DetailPage,
    f: &DetailForm,
    errors: &FieldErrors,
    conflict: Option<(String, String)>,
) -> Result<ChangePage, WebError> {
    let title = format!("Change {}", in_sentence(page.label()));
    Ok(ChangePage {
        shell: Shell::new(state, visitor, &title)
            .at("/people")
            .with_errors(!errors.is_empty() || conflict.is_some()),
        error_summary: fields::error_summary_with_dates(errors, &[("dob", &f.dob_parts())]),
        id,
        name: name.to_string(),
        page,
        version: f.version.clone(),
        typed: conflict.as_ref().map(|(_, typed)| typed.clone()),
        conflict: conflict.map(|(now, _)| now),
        fields: page_fields(page, f, errors)?,
        reason: fields::with_textarea_hint(
            fields::textarea("reason", "Why (optional)", &f.reason, errors),
            "For example, the family told us at a visit, or a document was seen",
        ),
        disputed: disputed_box(f, errors)?,
        submit: fields::submit("Save the change"),
    })
}

/// "The person disagrees with this change", revealing what they say when ticked.
fn disputed_box(f: &DetailForm, errors: &FieldErrors) -> Result<Checkboxes, WebError> {
    let note: Textarea = fields::textarea(
        "disputed_note",
        "What the person says",
        &f.disputed_note,
        errors,
    );
    let mut group = fields::checkboxes(
        "disputed",
        "If the person disagrees",
        vec![(
            "yes".into(),
            "The person disagrees with this change (it is made, and marked as disputed)".into(),
            None,
        )],
        &f.disputed.iter().cloned().collect::<Vec<_>>(),
        errors,
    );
    if let Some(item) = group.items.first_mut() {
        item.conditional = fields::reveal(&[&note]);
    }
    Ok(group)
}

/// A label inside a sentence: "Date of birth" → "date of birth", but "NHS number" stays.
pub fn in_sentence(label: &str) -> String {
    let first_word_is_acronym = label.split_whitespace().next().is_some_and(|w| {
        w.chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
            && w.len() > 1
    });
    if first_word_is_acronym {
        return label.to_string();
    }
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn detail_page(code: &str) -> Result<DetailPage, WebError> {
    DetailPage::from_code(code).ok_or(WebError::NotFound)
}

fn person_id(id: &str) -> Result<PersonId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

/// `GET /people/{id}/change/{page}`: the change page, filled with what the record holds.
pub async fn change_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path((id, page)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let id = person_id(&id)?;
    let page = detail_page(&page)?;
    let now = state.hearth.details_to_change(&actor, id, page).await?;
    let p = &now.person;
    let name = format!("{} {}", p.given_names, p.family_name);
    let form = DetailForm::of(p);
    Ok(render(
        StatusCode::OK,
        &change_page(
            &state,
            &visitor,
            p.id,
            &name,
            page,
            &form,
            &FieldErrors::new(),
            None,
        )?,
    ))
}

/// `POST /people/{id}/change/{page}`: saves the change, or shows the page again with what was
/// typed (its problems, or what someone else saved meanwhile).
pub async fn change(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path((id, page)): Path<(String, String)>,
    Form(form): Form<DetailForm>,
) -> Result<Response, WebError> {
    let id = person_id(&id)?;
    let page = detail_page(&page)?;
    match state.hearth.change_details(&actor, id, page, &form).await {
        Ok(()) => Ok(Redirect::to(&format!("/people/{id}?done=changed#history")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let now = state.hearth.details_to_change(&actor, id, page).await?;
            let p = &now.person;
            let name = format!("{} {}", p.given_names, p.family_name);
            Ok(render(
                status_for(true),
                &change_page(&state, &visitor, p.id, &name, page, &form, &errors, None)?,
            ))
        }
        Err(AppError::Conflict) => {
            // What is typed stays; the page now carries the new version, and says what the
            // record holds now, so the user can choose to save theirs over it.
            let now = state.hearth.details_to_change(&actor, id, page).await?;
            let p = &now.person;
            let name = format!("{} {}", p.given_names, p.family_name);
            let current = DetailForm::of(p);
            let holds = current_values(page, &now);
            let mine = typed_values(page, &form, state.hearth.now().date_naive());
            let typed = DetailForm {
                version: current.version,
                ..form
            };
            Ok(render(
                StatusCode::CONFLICT,
                &change_page(
                    &state,
                    &visitor,
                    p.id,
                    &name,
                    page,
                    &typed,
                    &FieldErrors::new(),
                    Some((holds, mine)),
                )?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// What this user typed on a page, in words, beside what the record holds (a value typed
/// that does not read is shown as typed).
fn typed_values(page: DetailPage, typed: &DetailForm, today: chrono::NaiveDate) -> String {
    typed
        .typed(page, today)
        .into_iter()
        .map(|(d, v)| {
            format!(
                "{}: {}",
                d.label(),
                v.map(|v| d.show(&v))
                    .unwrap_or_else(|| "not recorded".into())
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// What the record holds now for the details of a page, in words.
fn current_values(page: DetailPage, now: &DetailsToChange) -> String {
    page.details()
        .iter()
        .map(|d| {
            let v = now.stored(*d);
            format!(
                "{}: {}",
                d.label(),
                v.map(|v| d.show(&v))
                    .unwrap_or_else(|| "not recorded".into())
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}
