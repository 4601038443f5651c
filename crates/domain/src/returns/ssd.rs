//! The early-help tables of Data to Insight's Standard Safeguarding Dataset (SSD): the
//! people, their contacts, their early help episodes and the workers involved, named and
//! coded as the SSD's data model names them, so a region's tools read Hearth as they read
//! a social care system. Children only, as in the SSD; people whose date of birth is not
//! known are left out and counted.

use super::{
    sex_code, Cell, Contact, ContactOutcome, EarlyHelp, Involvement, Sheet, Subject, Window,
};
use crate::ids::PersonId;
use crate::person::DobCertainty;
use std::collections::BTreeMap;

/// The four tables and who was left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub window: Window,
    pub tables: [Sheet; 4],
    pub no_date_of_birth: usize,
}

/// Builds the tables for the window from what the gate opened for it.
pub fn tables(
    window: Window,
    contacts: &[Contact],
    early_help: &[EarlyHelp],
    involvements: &[Involvement],
) -> Dataset {
    let mut people: BTreeMap<String, &Subject> = BTreeMap::new();
    let mut no_date_of_birth = 0;
    let mut keep = |subject: &'_ Subject, day| match super::is_child(subject.dob, day) {
        Some(true) => true,
        Some(false) => false,
        None => {
            no_date_of_birth += 1;
            false
        }
    };
    let contacts: Vec<&Contact> = contacts
        .iter()
        .filter(|c| window.contains(c.received_on) && keep(&c.subject, c.received_on))
        .collect();
    let episodes: Vec<&EarlyHelp> = early_help
        .iter()
        .filter(|e| e.is_early_help() && window.overlaps(e.started_on, e.ended_on))
        .filter(|e| keep(&e.subject, e.started_on))
        .collect();
    for subject in contacts
        .iter()
        .map(|c| &c.subject)
        .chain(episodes.iter().map(|e| &e.subject))
    {
        people.insert(subject.id.to_string(), subject);
    }
    let in_tables = |id: PersonId| people.contains_key(&id.to_string());
    let involvements: Vec<&Involvement> = involvements
        .iter()
        .filter(|i| in_tables(i.person) && window.overlaps(i.from, i.to))
        .collect();

    let date = |d: Option<chrono::NaiveDate>| d.map_or(Cell::Empty, Cell::Date);
    let text = |t: &str| Cell::Text(t.to_string());
    let person = Sheet {
        name: "ssd_person",
        title: "People",
        columns: vec![
            "pers_person_id",
            "pers_sex",
            "pers_gender",
            "pers_ethnicity",
            "pers_dob",
            "pers_common_child_id",
            "pers_upn_unknown",
            "pers_send_flag",
            "pers_expected_dob",
            "pers_death_date",
            "pers_is_mother",
            "pers_nationality",
        ],
        rows: people
            .values()
            .map(|p| {
                let expected = p.dob.filter(|d| d.certainty == DobCertainty::Expected);
                let born = p.dob.filter(|d| d.certainty != DobCertainty::Expected);
                vec![
                    text(&p.id.to_string()),
                    text(sex_code(p.sex)),
                    // gender is recorded in the person's own words, not coded
                    Cell::Empty,
                    text(p.ethnicity.map_or("NOBT", |e| e.code())),
                    date(born.map(|d| d.date)),
                    p.nhs_number.clone().map_or(Cell::Empty, Cell::Text),
                    Cell::Empty,
                    Cell::Empty,
                    date(expected.map(|d| d.date)),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                ]
            })
            .collect(),
    };
    let contact_table = Sheet {
        name: "ssd_contacts",
        title: "Contacts",
        columns: vec![
            "cont_contact_id",
            "cont_person_id",
            "cont_contact_date",
            "cont_contact_source_code",
            "cont_contact_source_desc",
            "cont_contact_outcome_json",
        ],
        rows: contacts
            .iter()
            .map(|c| {
                vec![
                    Cell::Text(format!("{}:{}", c.request, c.subject.id)),
                    text(&c.subject.id.to_string()),
                    Cell::Date(c.received_on),
                    text(c.source_code()),
                    text(&c.source_name),
                    Cell::Text(outcome_json(c.outcome)),
                ]
            })
            .collect(),
    };
    let episode_table = Sheet {
        name: "ssd_early_help_episodes",
        title: "Early help episodes",
        columns: vec![
            "earl_episode_id",
            "earl_person_id",
            "earl_episode_start_date",
            "earl_episode_end_date",
            "earl_episode_reason",
            "earl_episode_end_reason",
            "earl_episode_organisation",
            "earl_episode_worker_id",
        ],
        rows: episodes
            .iter()
            .map(|e| {
                let reason: Vec<&str> = e.needs.iter().map(|n| n.label()).collect();
                vec![
                    Cell::Text(format!("{}:{}", e.episode, e.subject.id)),
                    text(&e.subject.id.to_string()),
                    Cell::Date(e.started_on),
                    date(e.ended_on),
                    Cell::Text(reason.join("; ")),
                    e.closure.map_or(Cell::Empty, |c| text(c.label())),
                    e.organisation.clone().map_or(Cell::Empty, Cell::Text),
                    e.lead.map_or(Cell::Empty, |u| Cell::Text(u.to_string())),
                ]
            })
            .collect(),
    };
    let involvement_table = Sheet {
        name: "ssd_involvements",
        title: "Involvements",
        columns: vec![
            "invo_involvements_id",
            "invo_professional_id",
            "invo_professional_role_id",
            "invo_professional_team",
            "invo_involvement_start_date",
            "invo_involvement_end_date",
            "invo_worker_change_reason",
            "invo_person_id",
            "invo_referral_id",
        ],
        rows: involvements
            .iter()
            .map(|i| {
                vec![
                    text(&i.id),
                    i.worker.map_or(Cell::Empty, |u| Cell::Text(u.to_string())),
                    text(&i.role),
                    i.team.clone().map_or(Cell::Empty, Cell::Text),
                    Cell::Date(i.from),
                    date(i.to),
                    Cell::Empty,
                    text(&i.person.to_string()),
                    i.request.map_or(Cell::Empty, |r| Cell::Text(r.to_string())),
                ]
            })
            .collect(),
    };
    Dataset {
        window,
        tables: [person, contact_table, episode_table, involvement_table],
        no_date_of_birth,
    }
}

/// The SSD's contact outcome: every key present, `Y` or `N`, all blank while undecided.
pub fn outcome_json(outcome: Option<ContactOutcome>) -> String {
    let flag = |yes: fn(ContactOutcome) -> bool| match outcome {
        Some(o) if yes(o) => "Y",
        Some(_) => "N",
        None => "",
    };
    let flags = [
        (
            "NEW_REFERRAL_FLAG",
            flag(|o| o == ContactOutcome::SteppedUp),
        ),
        ("EXISTING_REFERRAL_FLAG", flag(|_| false)),
        ("CP_ENQUIRY_FLAG", flag(|_| false)),
        ("NFA_FLAG", flag(|o| o == ContactOutcome::NoFurtherAction)),
        ("NON_AGENCY_ADOPTION_FLAG", flag(|_| false)),
        ("PRIVATE_FOSTERING_FLAG", flag(|_| false)),
        ("ADVICE_FLAG", flag(|o| o == ContactOutcome::Signposted)),
        ("MISSING_FLAG", flag(|_| false)),
        ("OLA_CP_FLAG", flag(|_| false)),
        (
            "OTHER_OUTCOMES_EXIST_FLAG",
            flag(|o| matches!(o, ContactOutcome::EarlyHelp | ContactOutcome::Targeted)),
        ),
    ];
    let body: Vec<String> = flags
        .iter()
        .map(|(key, value)| format!("\"{key}\": \"{value}\""))
        .collect();
    format!("{{{}}}", body.join(", "))
}

#[cfg(test)]
mod tests {
    use super::super::tests_support::*;
    use super::*;
    use crate::episode::EpisodeLevel;

    #[test]
    fn the_tables_hold_the_children_of_the_period_and_their_workers() {
        let window = Window::new(d(2026, 1, 1), d(2026, 6, 30)).unwrap();
        let amy = child("2015-04-01");
        let mum = adult();
        let mut unborn = child("2026-08-01");
        unborn.dob = super::super::date_of_birth(Some(d(2026, 8, 1)), Some(DobCertainty::Expected));
        let mut step_up = contact(&unborn, d(2026, 5, 1));
        step_up.outcome = Some(ContactOutcome::SteppedUp);
        let contacts = [
            contact(&amy, d(2026, 2, 1)),
            contact(&mum, d(2026, 2, 1)),
            step_up,
        ];
        let episodes = [episode(&amy, d(2026, 2, 10), None, EpisodeLevel::Early)];
        let involvements = [
            Involvement {
                id: "i1".into(),
                person: amy.id,
                worker: episodes[0].lead,
                role: "lead_professional".into(),
                team: Some("Meadows Family Hub".into()),
                from: d(2026, 2, 10),
                to: None,
                request: Some(contacts[0].request),
            },
            Involvement {
                id: "i2".into(),
                person: mum.id,
                worker: None,
                role: "lead_professional".into(),
                team: None,
                from: d(2026, 2, 10),
                to: None,
                request: None,
            },
        ];
        let data = tables(window, &contacts, &episodes, &involvements);
        let [people, contact_rows, episode_rows, involvement_rows] = &data.tables;
        assert_eq!(
            people.rows.len(),
            2,
            "Amy and the unborn child, not their mother"
        );
        let unborn_row = people
            .rows
            .iter()
            .find(|r| r[0] == Cell::Text(unborn.id.to_string()))
            .unwrap();
        assert_eq!(unborn_row[4], Cell::Empty, "no date of birth yet");
        assert_eq!(
            unborn_row[8],
            Cell::Date(d(2026, 8, 1)),
            "the expected date"
        );
        assert_eq!(contact_rows.rows.len(), 2);
        let json = contact_rows.rows[1][5].text();
        assert!(json.contains("\"NEW_REFERRAL_FLAG\": \"Y\""), "{json}");
        assert!(json.contains("\"NFA_FLAG\": \"N\""), "{json}");
        assert_eq!(
            episode_rows.rows[0][4],
            Cell::Text(crate::need::NeedDomain::Health.label().into())
        );
        assert_eq!(
            involvement_rows.rows.len(),
            1,
            "only the children's workers"
        );
        for t in &data.tables {
            assert!(
                t.rows.iter().all(|r| r.len() == t.columns.len()),
                "{}",
                t.name
            );
        }
    }

    #[test]
    fn an_undecided_contact_has_every_key_blank() {
        let json = outcome_json(None);
        assert_eq!(json.matches("\"\"").count(), 10, "{json}");
    }
}
