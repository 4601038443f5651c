//! The demo's Supporting Families story (ADR 0042): the Mensah family, helped by the demo lead
//! from about seven months ago and closed a few weeks later with three outcomes achieved; the
//! school's attendance and the police's notifications shared as partner data. The six-month
//! check is due in the lead's *My work*, and partners' data can answer two of its outcomes.

use crate::episodes::{ClosureForm, SignOff};
use crate::front_door::{DecisionForm, RequestForm};
use crate::identification::DatasetForm;
use crate::{AppError, Hearth};
use chrono::{DateTime, Duration, Utc};
use hearth_store::episodes;
use std::sync::{Arc, Mutex};

const LEAD: &str = "lead@demo.hearth.test";
const FRONT_DOOR: &str = "frontdoor@demo.hearth.test";
const MANAGER: &str = "manager@demo.hearth.test";
const ANALYST: &str = "matching@demo.hearth.test";
const SCHOOL: &str = "demo-school-attendance";
const POLICE: &str = "demo-police-notifications";
const HEADER: &str = "reference,given_names,family_name,dob,postcode,upn,event,date,attendance";
const POLICE_HEADER: &str = "reference,given_names,family_name,dob,postcode,event,date";

fn pairs(list: &[(&str, String)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

impl Hearth {
    /// Seeds the story unless its partner datasets exist. Returns whether it was added.
    pub async fn seed_demo_programme(&self) -> Result<bool, AppError> {
        let (Some(lead), Some(officer), Some(manager), Some(analyst)) = (
            self.demo_actor(LEAD).await?,
            self.demo_actor(FRONT_DOOR).await?,
            self.demo_actor(MANAGER).await?,
            self.demo_actor(ANALYST).await?,
        ) else {
            return Ok(false);
        };
        if self
            .partner_datasets(&analyst)
            .await?
            .iter()
            .any(|d| d.code == SCHOOL)
        {
            return Ok(false);
        }
        let now = self.now();
        let today = now.date_naive();
        // The help happened in the past: the same use cases, on a clock set back.
        let then: Arc<Mutex<DateTime<Utc>>> = Arc::new(Mutex::new(now - Duration::days(230)));
        let clock = then.clone();
        let past = Hearth::with_clock(
            self.store.clone(),
            self.policies.clone(),
            Arc::new(move || clock.lock().map(|t| *t).unwrap_or(now)),
        );
        let started = now - Duration::days(230);
        let dob = (today - Duration::days(10 * 365 + 40))
            .format("%d/%m/%Y")
            .to_string();
        let postcode = "NG5 1DD";
        let amara = past
            .demo_person(&lead, "Amara", "Mensah", &dob, postcode, None)
            .await?;
        let request = past
            .save_request(
                &lead,
                None,
                &RequestForm::from_pairs(&pairs(&[
                    ("people", amara.to_string()),
                    ("needs", "education".into()),
                    ("needs", "domestic_abuse".into()),
                    ("needs", "family_relationships".into()),
                    (
                        "detail_education",
                        "Amara misses school most Mondays".into(),
                    ),
                    (
                        "detail_domestic_abuse",
                        "Police were called to the home twice this year".into(),
                    ),
                    (
                        "detail_family_relationships",
                        "Mum and Amara argue most evenings".into(),
                    ),
                    ("family_told", "Mum asked the school for help".into()),
                    ("consent", "given".into()),
                    ("urgency", "routine".into()),
                    ("safeguarding", "no".into()),
                ])),
                true,
            )
            .await?;
        past.decide_request(
            &officer,
            request,
            &DecisionForm {
                level: "2".into(),
                outcome: "early_help".into(),
                rationale: "The school knows the family best".into(),
                lead_user_id: lead.user_id.to_string(),
                ..DecisionForm::default()
            },
        )
        .await?;
        let episode = {
            let mut conn = self.store.read().await?;
            episodes::for_people(&mut conn, &[amara])
                .await?
                .first()
                .map(|e| (e.id, e.version))
                .ok_or(AppError::NotFound)?
        };
        if let Ok(mut t) = then.lock() {
            *t = started + Duration::days(30);
        }
        past.record_closure(
            &lead,
            episode.0,
            &ClosureForm::from_pairs(&pairs(&[
                ("reason", "outcomes_met".into()),
                (
                    "summary",
                    "Amara is going to school every day and home is calmer".into(),
                ),
                ("result_education", "achieved".into()),
                (
                    "evidence_education",
                    "The school says she has not missed a day this half-term".into(),
                ),
                ("result_domestic_abuse", "achieved".into()),
                (
                    "evidence_domestic_abuse",
                    "Mum has a safety plan and support from the domestic abuse service".into(),
                ),
                ("result_family_relationships", "achieved".into()),
                (
                    "evidence_family_relationships",
                    "Mum and Amara finished the parenting course together".into(),
                ),
                ("version", episode.1.to_string()),
            ])),
        )
        .await?;
        past.decide_closure(&manager, episode.0, &SignOff::Approve, episode.1 + 1)
            .await?;
        let closed = (started + Duration::days(30)).date_naive();

        // The partners' data, shared today: the term before the help, and the terms since.
        for (code, name, kind) in [
            (SCHOOL, "Schools' attendance (demo)", "school_census"),
            (
                POLICE,
                "Police notifications (demo)",
                "police_notifications",
            ),
        ] {
            let owner = self
                .find_organisation("Nottingham City Council (demo)")
                .await?
                .ok_or(AppError::NotFound)?;
            self.register_dataset(
                &analyst,
                &DatasetForm {
                    code: code.into(),
                    name: name.into(),
                    kind: kind.into(),
                    owner: owner.id.to_string(),
                    agreement_reference: format!("DSA-{code}"),
                    agreement_from: (today - Duration::days(400)).to_string(),
                    agreement_to: (today + Duration::days(700)).to_string(),
                    lawful_basis: "public_task".into(),
                    fields: "names, date of birth, postcode, event, date".into(),
                    refresh: "monthly".into(),
                    unmatched_days: "30".into(),
                },
            )
            .await?;
        }
        let dob = (today - Duration::days(10 * 365 + 40)).to_string();
        let day = |d: chrono::NaiveDate| d.to_string();
        let before = started.date_naive() - Duration::days(20);
        let school = format!(
            "{HEADER}\n\
             S1,Amara,Mensah,{dob},{postcode},,attendance,{},84.5\n\
             S2,Amara,Mensah,{dob},{postcode},,attendance,{},96\n\
             S3,Amara,Mensah,{dob},{postcode},,attendance,{},94.5\n",
            day(before),
            day(closed + Duration::days(70)),
            day(closed + Duration::days(150)),
        );
        self.import_partner_data(&analyst, SCHOOL, "demo", &school)
            .await?;
        let police = format!(
            "{POLICE_HEADER}\n\
             P1,Amara,Mensah,{dob},{postcode},domestic_abuse,{}\n\
             P2,Amara,Mensah,{dob},{postcode},domestic_abuse,{}\n",
            day(before - Duration::days(90)),
            day(before),
        );
        self.import_partner_data(&analyst, POLICE, "demo", &police)
            .await?;
        Ok(true)
    }
}
