//! The demo's Supporting Families story (ADRs 0042 and 0046): the Mensah family, helped by the
//! demo lead from about seven months ago and closed a few weeks later with three outcomes
//! achieved; the school's attendance and the police's notifications shared as partner data.
//! The six-month check is due in the lead's *My work*, and partners' data can answer two of
//! its outcomes. Three more families, helped at the same time, had their checks answered
//! today, so the programme lead has a real quarter: two count for the claim (whole-family
//! working, outcomes achieved and sustained), and one does not (no Team Around the Family, and
//! a new police notification since closure). Each closure is signed off by a manager of the
//! team that owns the episode, which in the city is the city's own core team.

use crate::episodes::assessment::{AssessmentForm, EntryForm};
use crate::episodes::plan::{OutcomeForm, PlanForm};
use crate::episodes::{ClosureForm, MemberForm, SignOff};
use crate::front_door::{DecisionForm, RequestForm};
use crate::identification::DatasetForm;
use crate::programme::SustainmentForm;
use crate::{Actor, AppError, Hearth};
use chrono::{DateTime, Duration, Utc};
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_store::accounts::users;
use hearth_store::episodes;
use std::sync::{Arc, Mutex};

const LEAD: &str = "lead@demo.hearth.test";
const FRONT_DOOR: &str = "frontdoor@demo.hearth.test";
const MANAGER: &str = "manager@demo.hearth.test";
const ANALYST: &str = "matching@demo.hearth.test";
/// Another team's practitioner, in the Team Around the Family of the families that count.
const TAF: &str = "practitioner@demo.hearth.test";
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
            .demo_person(&lead, ("Amara", "Mensah"), &dob, postcode, "", None)
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
        let signer = self.owning_manager(episode.0, &manager).await?;
        past.decide_closure(&signer, episode.0, &SignOff::Approve, episode.1 + 1)
            .await?;
        let closed = (started + Duration::days(30)).date_naive();

        // Three more families, helped at the same time.
        let taf = self.demo_actor(TAF).await?;
        let mut others = Vec::new();
        for f in OTHERS {
            if let Ok(mut t) = then.lock() {
                *t = started;
            }
            let dob = (today - Duration::days(f.age_days))
                .format("%d/%m/%Y")
                .to_string();
            let person = past
                .demo_person(&lead, (f.given, f.family), &dob, f.postcode, "", None)
                .await?;
            let episode = past
                .demo_programme_family(
                    &lead,
                    &officer,
                    &manager,
                    taf.as_ref(),
                    person,
                    f,
                    &then,
                    started,
                )
                .await?;
            others.push((f, episode));
        }

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
        let mut school = format!(
            "{HEADER}\n\
             S1,Amara,Mensah,{dob},{postcode},,attendance,{},84.5\n\
             S2,Amara,Mensah,{dob},{postcode},,attendance,{},96\n\
             S3,Amara,Mensah,{dob},{postcode},,attendance,{},94.5\n",
            day(before),
            day(closed + Duration::days(70)),
            day(closed + Duration::days(150)),
        );
        let mut police_rows = String::new();
        for (i, (f, _)) in others.iter().enumerate() {
            let dob = (today - Duration::days(f.age_days)).to_string();
            let who = format!("{},{},{dob},{}", f.given, f.family, f.postcode);
            school.push_str(&format!(
                "T{i}a,{who},,attendance,{},81\nT{i}b,{who},,attendance,{},95.5\nT{i}c,{who},,attendance,{},97\n",
                day(before),
                day(closed + Duration::days(70)),
                day(closed + Duration::days(150)),
            ));
            if f.needs.contains(&"domestic_abuse") {
                police_rows.push_str(&format!(
                    "Q{i}a,{who},domestic_abuse,{}\nQ{i}b,{who},domestic_abuse,{}\n",
                    day(before - Duration::days(60)),
                    day(before),
                ));
            }
            if f.new_notification {
                police_rows.push_str(&format!(
                    "Q{i}c,{who},domestic_abuse,{}\n",
                    day(closed + Duration::days(100)),
                ));
            }
        }
        self.import_partner_data(&analyst, SCHOOL, "demo", &school)
            .await?;
        let police = format!(
            "{POLICE_HEADER}\n\
             P1,Amara,Mensah,{dob},{postcode},domestic_abuse,{}\n\
             P2,Amara,Mensah,{dob},{postcode},domestic_abuse,{}\n",
            day(before - Duration::days(90)),
            day(before),
        );
        let police = format!("{police}{police_rows}");
        self.import_partner_data(&analyst, POLICE, "demo", &police)
            .await?;

        // Today the lead answers the others' checks: partners' data decides where it can.
        for (f, episode) in &others {
            let mut answers: Vec<(String, String)> = Vec::new();
            for need in f.needs {
                answers.push((format!("sustained_{need}"), "yes".into()));
                answers.push((
                    format!("evidence_{need}"),
                    format!("{} says it has lasted", f.given),
                ));
            }
            self.answer_sustainment(&lead, *episode, &SustainmentForm::from_pairs(&answers))
                .await?;
        }
        Ok(true)
    }

    /// A manager of the team that owns the episode (who signs off its work); `fallback` when
    /// the team has none.
    async fn owning_manager(
        &self,
        episode: EpisodeId,
        fallback: &Actor,
    ) -> Result<Actor, AppError> {
        let mut conn = self.store.read().await?;
        let team = episodes::get(&mut conn, episode).await?.owning_team_id;
        let email = match team {
            Some(t) => users::a_manager_of(&mut conn, t).await?,
            None => None,
        };
        drop(conn);
        match email {
            Some(e) => Ok(self
                .demo_actor(&e)
                .await?
                .unwrap_or_else(|| fallback.clone())),
            None => Ok(fallback.clone()),
        }
    }

    /// One family's help, from the request to the closure signed off, on the clock `then`
    /// (set back): the assessment submitted, the plan written and, where the family has one,
    /// the Team Around the Family.
    #[allow(clippy::too_many_arguments)] // the demo's cast, each in their part
    async fn demo_programme_family(
        &self,
        lead: &Actor,
        officer: &Actor,
        manager: &Actor,
        taf: Option<&Actor>,
        person: PersonId,
        f: &Other,
        then: &Arc<Mutex<DateTime<Utc>>>,
        started: DateTime<Utc>,
    ) -> Result<EpisodeId, AppError> {
        let mut pairs = vec![
            ("people".to_string(), person.to_string()),
            (
                "family_told".into(),
                "The family asked the school for help".into(),
            ),
            ("consent".into(), "given".into()),
            ("urgency".into(), "routine".into()),
            ("safeguarding".into(), "no".into()),
        ];
        for need in f.needs {
            pairs.push(("needs".into(), (*need).into()));
            pairs.push((
                format!("detail_{need}"),
                format!("{} needs help with this", f.given),
            ));
        }
        let request = self
            .save_request(lead, None, &RequestForm::from_pairs(&pairs), true)
            .await?;
        self.decide_request(
            officer,
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
            episodes::for_people(&mut conn, &[person])
                .await?
                .first()
                .map(|e| e.id)
                .ok_or(AppError::NotFound)?
        };
        if let Ok(mut t) = then.lock() {
            *t = started + Duration::days(7);
        }
        let mut assessment = AssessmentForm {
            child_voice: format!("{} wants things to be calmer at home", f.given),
            parent_voice: "We want help before it gets worse".into(),
            next_step: "A family plan with the school and the family".into(),
            ..AssessmentForm::default()
        };
        for need in f.needs {
            assessment.entries.insert(
                (person.to_string(), (*need).into()),
                EntryForm {
                    needs: format!("{} needs help with this", f.given),
                    scale: "3".into(),
                    ..EntryForm::default()
                },
            );
        }
        self.save_assessment(lead, episode, &assessment).await?;
        let version = self
            .assessment(lead, episode)
            .await?
            .assessment
            .map(|a| a.version)
            .ok_or(AppError::NotFound)?;
        self.submit_assessment(lead, episode, version).await?;
        self.save_plan(
            lead,
            episode,
            &PlanForm {
                outcomes: vec![OutcomeForm {
                    id: String::new(),
                    text: format!("{} is settled at school and home is calmer", f.given),
                    needs: f.needs.iter().map(|n| (*n).to_string()).collect(),
                }],
                agreed: "yes".into(),
                agreed_on: (started + Duration::days(7)).format("%d/%m/%Y").to_string(),
                agreed_by: format!("{} and family", f.given),
                ..PlanForm::default()
            },
        )
        .await?;
        if let (true, Some(taf)) = (f.taf, taf) {
            self.add_taf_member(
                lead,
                episode,
                &MemberForm {
                    user_id: taf.user_id.to_string(),
                    role: "School nurse".into(),
                    ..MemberForm::default()
                },
            )
            .await?;
        }
        if let Ok(mut t) = then.lock() {
            *t = started + Duration::days(30);
        }
        let version = self.episode(lead, episode).await?.episode.version;
        let mut closure = vec![
            ("reason".to_string(), "outcomes_met".to_string()),
            (
                "summary".into(),
                format!("{} and the family are doing well", f.given),
            ),
            ("version".into(), version.to_string()),
        ];
        for need in f.needs {
            closure.push((format!("result_{need}"), "achieved".into()));
            closure.push((
                format!("evidence_{need}"),
                format!("The family and the school say {} is doing well", f.given),
            ));
        }
        self.record_closure(lead, episode, &ClosureForm::from_pairs(&closure))
            .await?;
        let signer = self.owning_manager(episode, manager).await?;
        self.decide_closure(&signer, episode, &SignOff::Approve, version + 1)
            .await?;
        Ok(episode)
    }
}

/// A family of the demo quarter besides the Mensahs.
struct Other {
    given: &'static str,
    family: &'static str,
    postcode: &'static str,
    age_days: i64,
    needs: &'static [&'static str],
    /// Whether the family has a Team Around the Family (whole-family working met).
    taf: bool,
    /// A new police notification since closure (domestic abuse not sustained).
    new_notification: bool,
}

const OTHERS: &[Other] = &[
    Other {
        given: "Tobi",
        family: "Adebayo",
        postcode: "NG5 2AB",
        age_days: 9 * 365 + 100,
        needs: &["education", "domestic_abuse", "housing"],
        taf: true,
        new_notification: false,
    },
    Other {
        given: "Zofia",
        family: "Kowalska",
        postcode: "NG7 3CD",
        age_days: 11 * 365 + 20,
        needs: &["education", "family_relationships", "health"],
        taf: true,
        new_notification: false,
    },
    Other {
        given: "Yusuf",
        family: "Haddad",
        postcode: "NG6 4EF",
        age_days: 12 * 365 + 200,
        needs: &["education", "domestic_abuse", "family_relationships"],
        taf: false,
        new_notification: true,
    },
];
