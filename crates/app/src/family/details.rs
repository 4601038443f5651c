//! Changing a person's details from their record, one page at a time (their name, date of
//! birth, sex, an identifier …), with the history of every change. Only someone who may edit
//! the record (`RecordAction::Edit`) may change it; a detail a restriction withholds from them
//! they may neither see nor change. A change lands only on the version the user saw.

use super::{chosen, identifiers};
use crate::accounts::auth::event;
use crate::{Actor, AppError, Hearth};
use hearth_domain::access::RecordAction;
use hearth_domain::audit::AuditAction;
use hearth_domain::date_parts::{DateError, DateParts};
use hearth_domain::ids::PersonId;
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::person::{
    ContactChoice, DateOfBirth, DetailPage, DobCertainty, Ethnicity, PersonDetail, SafeAnswer, Sex,
};
use hearth_domain::safe_contact::SafeHours;
use hearth_domain::sms::MobileNumber;
use hearth_store::family::changes::{self, DetailChange};
pub use hearth_store::family::people::SafeContact;
use hearth_store::family::people::{self, OtherName, Person};
use hearth_store::gate::OpenedPerson;
use hearth_store::{audit, Store};
use serde::Deserialize;

/// A change page as typed. Only the fields of the page being saved are read.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DetailForm {
    /// The version of the record the page was shown with.
    #[serde(default)]
    pub version: String,
    /// Why, if the user says (optional).
    #[serde(default)]
    pub reason: String,
    /// Ticked when the person disagrees with the change being made (a correction they
    /// dispute): the change is made, and their view is kept beside it.
    #[serde(default)]
    pub disputed: Option<String>,
    /// What the person says, when they dispute the change.
    #[serde(default)]
    pub disputed_note: String,
    #[serde(default)]
    pub given_names: String,
    #[serde(default)]
    pub family_name: String,
    #[serde(default, rename = "dob-day")]
    pub dob_day: String,
    #[serde(default, rename = "dob-month")]
    pub dob_month: String,
    #[serde(default, rename = "dob-year")]
    pub dob_year: String,
    #[serde(default)]
    pub dob_certainty: String,
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub gender: String,
    #[serde(default)]
    pub ethnicity: String,
    #[serde(default)]
    pub first_language: String,
    #[serde(default)]
    pub interpreter_needed: Option<String>,
    #[serde(default)]
    pub send: String,
    #[serde(default)]
    pub disability: String,
    #[serde(default)]
    pub nhs_number: String,
    #[serde(default)]
    pub upn: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub mobile: String,
    /// `yes`, `no`, or empty: not asked.
    #[serde(default)]
    pub safe_to_text: String,
    #[serde(default)]
    pub safe_to_leave_message: String,
    #[serde(default)]
    pub safe_from: String,
    #[serde(default)]
    pub safe_until: String,
    #[serde(default)]
    pub safe_weekdays: Option<String>,
    /// `email`, `text`, `both`, or empty: not asked.
    #[serde(default)]
    pub contact_by: String,
}

impl DetailForm {
    /// The form filled with what the record holds now, for the page to show.
    pub fn of(person: &Person) -> Self {
        let dob = person.dob.map(DateParts::of).unwrap_or_default();
        let c = &person.contact;
        DetailForm {
            version: person.version.to_string(),
            reason: String::new(),
            disputed: None,
            disputed_note: String::new(),
            given_names: person.given_names.clone(),
            family_name: person.family_name.clone(),
            dob_day: dob.day,
            dob_month: dob.month,
            dob_year: dob.year,
            dob_certainty: person
                .dob_certainty
                .unwrap_or(DobCertainty::Exact)
                .code()
                .into(),
            sex: person.sex.map(|s| s.code().into()).unwrap_or_default(),
            gender: person.gender.clone().unwrap_or_default(),
            ethnicity: person
                .ethnicity
                .map(|e| e.code().into())
                .unwrap_or_default(),
            first_language: person.first_language.clone().unwrap_or_default(),
            interpreter_needed: person.interpreter_needed.then(|| "yes".into()),
            send: person.send.clone().unwrap_or_default(),
            disability: person.disability.clone().unwrap_or_default(),
            nhs_number: person.nhs_number.clone().unwrap_or_default(),
            upn: person.upn.clone().unwrap_or_default(),
            phone: person.phone.clone().unwrap_or_default(),
            email: person.email.clone().unwrap_or_default(),
            mobile: c
                .mobile
                .as_ref()
                .map(|m| m.e164().to_string())
                .unwrap_or_default(),
            safe_to_text: c.safe_to_text.map(|a| a.code().into()).unwrap_or_default(),
            safe_to_leave_message: c
                .safe_to_leave_message
                .map(|a| a.code().into())
                .unwrap_or_default(),
            safe_from: c
                .safe_hours
                .map(|h| h.from.format("%H:%M").to_string())
                .unwrap_or_default(),
            safe_until: c
                .safe_hours
                .map(|h| h.until.format("%H:%M").to_string())
                .unwrap_or_default(),
            safe_weekdays: c
                .safe_hours
                .filter(|h| h.weekdays_only)
                .map(|_| "yes".into()),
            contact_by: c.contact_by.map(|a| a.code().into()).unwrap_or_default(),
        }
    }

    pub fn dob_parts(&self) -> DateParts {
        DateParts {
            day: self.dob_day.clone(),
            month: self.dob_month.clone(),
            year: self.dob_year.clone(),
        }
    }

    /// The date of birth's problem, with the boxes that are wrong (for the page to mark).
    pub fn dob_error(&self, today: chrono::NaiveDate) -> Option<DateError> {
        let certainty = DobCertainty::from_code(&self.dob_certainty).unwrap_or(DobCertainty::Exact);
        match self.dob_parts().read("Date of birth") {
            Err(e) => Some(e),
            Ok(date) => DateOfBirth::checked(date, certainty, today)
                .err()
                .map(DateError::whole),
        }
    }

    /// The values this page sets, as stored, or what is wrong with them.
    fn values(
        &self,
        page: DetailPage,
        today: chrono::NaiveDate,
    ) -> Result<Vec<(PersonDetail, Option<String>)>, FieldErrors> {
        let (values, e) = self.read(page, today);
        e.into_result(values)
    }

    /// What the page says, detail by detail, in stored form (a value that does not read is
    /// left out): shown beside what the record holds when it was saved from an out-of-date
    /// page.
    pub fn typed(
        &self,
        page: DetailPage,
        today: chrono::NaiveDate,
    ) -> Vec<(PersonDetail, Option<String>)> {
        self.read(page, today).0
    }

    fn read(
        &self,
        page: DetailPage,
        today: chrono::NaiveDate,
    ) -> (Vec<(PersonDetail, Option<String>)>, FieldErrors) {
        use PersonDetail as D;
        let mut e = FieldErrors::new();
        let text = |e: &mut FieldErrors, field: &str, what: &str, value: &str, max: usize| {
            input::optional_text(e, field, what, value, max)
        };
        let values = match page {
            DetailPage::Name => vec![
                (
                    D::GivenNames,
                    Some(input::required_text(
                        &mut e,
                        "given_names",
                        "the person's first name",
                        &self.given_names,
                        100,
                    )),
                ),
                (
                    D::FamilyName,
                    Some(input::required_text(
                        &mut e,
                        "family_name",
                        "the person's last name",
                        &self.family_name,
                        100,
                    )),
                ),
            ],
            DetailPage::DateOfBirth => {
                if let Some(err) = self.dob_error(today) {
                    e.add("dob", err.message);
                }
                let dob = self.dob_parts().read("Date of birth").ok().flatten();
                let certainty = chosen(
                    &mut e,
                    "dob_certainty",
                    &self.dob_certainty,
                    DobCertainty::from_code,
                    "Select how sure the date of birth is",
                )
                .unwrap_or(DobCertainty::Exact);
                vec![
                    (D::Dob, dob.map(|d| d.to_string())),
                    (D::DobCertainty, dob.map(|_| certainty.code().to_string())),
                ]
            }
            DetailPage::Sex => vec![(
                D::Sex,
                chosen(
                    &mut e,
                    "sex",
                    &self.sex,
                    Sex::from_code,
                    "Select the person's sex from the list",
                )
                .map(|s| s.code().to_string()),
            )],
            DetailPage::Gender => vec![(
                D::Gender,
                text(&mut e, "gender", "the gender", &self.gender, 100),
            )],
            DetailPage::Ethnicity => vec![(
                D::Ethnicity,
                chosen(
                    &mut e,
                    "ethnicity",
                    &self.ethnicity,
                    Ethnicity::from_code,
                    "Select an ethnicity from the list",
                )
                .map(|x| x.code().to_string()),
            )],
            DetailPage::Language => vec![
                (
                    D::FirstLanguage,
                    text(
                        &mut e,
                        "first_language",
                        "the first language",
                        &self.first_language,
                        100,
                    ),
                ),
                (
                    D::InterpreterNeeded,
                    Some(
                        if self.interpreter_needed.is_some() {
                            "yes"
                        } else {
                            "no"
                        }
                        .to_string(),
                    ),
                ),
            ],
            DetailPage::Send => vec![(
                D::Send,
                text(&mut e, "send", "the SEND details", &self.send, 500),
            )],
            DetailPage::Disability => vec![(
                D::Disability,
                text(
                    &mut e,
                    "disability",
                    "the disability details",
                    &self.disability,
                    500,
                ),
            )],
            DetailPage::NhsNumber => {
                vec![(D::NhsNumber, identifiers(&mut e, &self.nhs_number, "").0)]
            }
            DetailPage::Upn => vec![(D::Upn, identifiers(&mut e, "", &self.upn).1)],
            DetailPage::Phone => vec![(
                D::Phone,
                text(&mut e, "phone", "the phone number", &self.phone, 40),
            )],
            DetailPage::Email => vec![(
                D::Email,
                match self.email.trim() {
                    "" => None,
                    raw => Some(input::email(&mut e, "email", raw)),
                },
            )],
            DetailPage::SafeContact => self.safe_contact(&mut e),
        };
        let _ = text(&mut e, "reason", "the reason", &self.reason, 1000);
        if self.disputed.is_some() {
            input::required_text(
                &mut e,
                "disputed_note",
                "what the person says about the change",
                &self.disputed_note,
                1000,
            );
        }
        (values, e)
    }

    /// The mobile (read into E.164 with the text rules' own messages), the family's answers
    /// on safety, the safe hours and how they chose to hear from us.
    fn safe_contact(&self, e: &mut FieldErrors) -> Vec<(PersonDetail, Option<String>)> {
        use PersonDetail as D;
        let mobile = match self.mobile.trim() {
            "" => None,
            typed => match MobileNumber::parse(typed) {
                Ok(m) => Some(m.e164().to_string()),
                Err(p) => {
                    e.add("mobile", p.message());
                    None
                }
            },
        };
        let answer = |e: &mut FieldErrors, field: &str, value: &str, what: &str| {
            chosen(e, field, value, SafeAnswer::from_code, what).map(|a| a.code().to_string())
        };
        let text = answer(
            e,
            "safe_to_text",
            &self.safe_to_text,
            "Select whether texting them is safe",
        );
        let message = answer(
            e,
            "safe_to_leave_message",
            &self.safe_to_leave_message,
            "Select whether leaving them a message is safe",
        );
        let hours = match SafeHours::read(
            &self.safe_from,
            &self.safe_until,
            self.safe_weekdays.is_some(),
        ) {
            Ok(h) => h.map(|h| h.code()),
            Err(p) => {
                e.add(p.field(), p.message());
                None
            }
        };
        let contact_by = chosen(
            e,
            "contact_by",
            &self.contact_by,
            ContactChoice::from_code,
            "Select how they want to hear from us",
        );
        let by_text = matches!(contact_by, Some(ContactChoice::Text | ContactChoice::Both));
        if by_text && self.mobile.trim().is_empty() {
            e.add(
                "mobile",
                "Enter their mobile number: they chose to hear from us by text",
            );
        }
        vec![
            (D::Mobile, mobile),
            (D::SafeToText, text),
            (D::SafeToLeaveMessage, message),
            (D::SafeHours, hours),
            (D::ContactBy, contact_by.map(|c| c.code().to_string())),
        ]
    }
}

/// A detail's value as the record holds it now, in its stored form.
fn stored(person: &Person, detail: PersonDetail) -> Option<String> {
    use PersonDetail as D;
    match detail {
        D::GivenNames => Some(person.given_names.clone()),
        D::FamilyName => Some(person.family_name.clone()),
        D::Dob => person.dob.map(|d| d.to_string()),
        D::DobCertainty => person
            .dob
            .and(person.dob_certainty)
            .map(|c| c.code().into()),
        D::Sex => person.sex.map(|s| s.code().into()),
        D::Gender => person.gender.clone(),
        D::Ethnicity => person.ethnicity.map(|e| e.code().into()),
        D::FirstLanguage => person.first_language.clone(),
        D::InterpreterNeeded => Some(
            if person.interpreter_needed {
                "yes"
            } else {
                "no"
            }
            .into(),
        ),
        D::Send => person.send.clone(),
        D::Disability => person.disability.clone(),
        D::NhsNumber => person.nhs_number.clone(),
        D::Upn => person.upn.clone(),
        D::Phone => person.phone.clone(),
        D::Email => person.email.clone(),
        D::Mobile => person.contact.mobile.as_ref().map(|m| m.e164().to_string()),
        D::SafeToText => person.contact.safe_to_text.map(|a| a.code().into()),
        D::SafeToLeaveMessage => person
            .contact
            .safe_to_leave_message
            .map(|a| a.code().into()),
        D::SafeHours => person.contact.safe_hours.map(|h| h.code()),
        D::ContactBy => person.contact.contact_by.map(|c| c.code().into()),
    }
}

/// A person's details, opened to be changed.
#[derive(Debug, Clone)]
pub struct DetailsToChange {
    pub person: Person,
}

impl DetailsToChange {
    /// A detail's value as the record holds it now, in its stored form.
    pub fn stored(&self, detail: PersonDetail) -> Option<String> {
        stored(&self.person, detail)
    }
}

impl Hearth {
    /// Opens a person's details for one change page: the gate must let this user edit the
    /// record, and a page for details a restriction withholds from them is refused (audited).
    async fn open_to_change(
        &self,
        actor: &Actor,
        id: PersonId,
        page: DetailPage,
    ) -> Result<OpenedPerson, AppError> {
        let opened = self
            .gate
            .open_person(&self.viewer(actor), id, RecordAction::Edit, None)
            .await?;
        if page.withheld_by_restriction() && opened.details_withheld() {
            return Err(self.refused(actor, "person", id.to_string()).await);
        }
        Ok(opened)
    }

    /// The person's details as they are now, for a change page (recorded as a view).
    pub async fn details_to_change(
        &self,
        actor: &Actor,
        id: PersonId,
        page: DetailPage,
    ) -> Result<DetailsToChange, AppError> {
        let opened = self.open_to_change(actor, id, page).await?;
        let mut ev = self.viewer(actor).audit;
        ev.action = AuditAction::PersonViewed;
        ev.record_type = Some("person");
        ev.record_id = Some(opened.id().to_string());
        ev.reason = opened.reason().map(str::to_string);
        ev.detail = Some(serde_json::json!({"change_page": page.code()}).to_string());
        self.append_event(&ev).await?;
        Ok(DetailsToChange {
            person: opened.person().clone(),
        })
    }

    /// Saves one change page. Nothing is saved when the form has a problem
    /// ([`AppError::Invalid`]) or someone else changed the record since the page was shown
    /// ([`AppError::Conflict`]). A new name keeps the old one as a previous name.
    pub async fn change_details(
        &self,
        actor: &Actor,
        id: PersonId,
        page: DetailPage,
        form: &DetailForm,
    ) -> Result<(), AppError> {
        let opened = self.open_to_change(actor, id, page).await?;
        let now = self.now();
        let values = form
            .values(page, now.date_naive())
            .map_err(AppError::Invalid)?;
        let version: i64 = form
            .version
            .trim()
            .parse()
            .map_err(|_| AppError::Conflict)?;
        let person = opened.person();
        if version != person.version {
            return Err(AppError::Conflict);
        }
        let changed: Vec<DetailChange> = values
            .into_iter()
            .map(|(detail, new)| DetailChange {
                detail,
                old: stored(person, detail),
                new,
            })
            .filter(|c| c.old != c.new)
            .collect();
        if changed.is_empty() {
            return Ok(());
        }
        let reason = Some(form.reason.trim()).filter(|r| !r.is_empty());
        let disputed = form.disputed.as_ref().map(|_| form.disputed_note.trim());
        let mut tx = self.store.write().await?;
        changes::save(
            &mut tx,
            &opened,
            version,
            &changed,
            changes::Why { reason, disputed },
            actor.user_id,
            now,
        )
        .await?;
        if page == DetailPage::Name {
            people::add_name(
                &mut tx,
                opened.id(),
                &OtherName {
                    given_names: person.given_names.clone(),
                    family_name: person.family_name.clone(),
                    kind: "previous".into(),
                },
                now,
            )
            .await?;
        }
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::PersonChanged,
            &actor.origin,
            now,
        );
        ev.record_type = Some("person");
        ev.record_id = Some(opened.id().to_string());
        ev.reason = reason.map(str::to_string);
        // Which details changed, never their values: the audit log is read more widely than
        // a restricted record.
        ev.detail = Some(
            serde_json::json!({
                "changed": changed.iter().map(|c| c.detail.code()).collect::<Vec<_>>(),
                "disputed": disputed.is_some(),
            })
            .to_string(),
        );
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}
