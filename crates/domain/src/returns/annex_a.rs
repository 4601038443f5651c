//! Ofsted's Annex A for early help: list 1, the contacts in the six months before the
//! inspection, and list 2, the early help going on at any time in them. One row per child;
//! people whose date of birth is not known cannot be told to be children, so they are left
//! out and counted, for the analyst to put right.

use super::{age_in_years, is_child, sex_word, Cell, Contact, EarlyHelp, Sheet, Subject, Window};
use chrono::NaiveDate;

/// The columns every Annex A list starts with.
const CHILD_COLUMNS: [&str; 5] = [
    "Child unique ID",
    "Gender",
    "Ethnicity",
    "Date of birth",
    "Age of child (years)",
];

/// The two lists, and who was left out of them.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnexA {
    pub window: Window,
    pub contacts: Sheet,
    pub early_help: Sheet,
    /// Rows left out because the person's date of birth is not recorded.
    pub no_date_of_birth: usize,
}

/// Builds the lists for an inspection on `on` from the contacts and early help the gate
/// opened for the six months before it.
pub fn lists(on: NaiveDate, contacts: &[Contact], early_help: &[EarlyHelp]) -> AnnexA {
    let window = Window::six_months_to(on);
    let mut no_date_of_birth = 0;
    let mut child_on = |subject: &Subject, day: NaiveDate| match is_child(subject.dob, day) {
        Some(child) => child,
        None => {
            no_date_of_birth += 1;
            false
        }
    };

    let mut contact_rows: Vec<&Contact> = contacts
        .iter()
        .filter(|c| window.contains(c.received_on))
        .filter(|c| child_on(&c.subject, c.received_on))
        .collect();
    contact_rows.sort_by_key(|c| (c.received_on, c.subject.id.to_string()));

    let mut help_rows: Vec<&EarlyHelp> = early_help
        .iter()
        .filter(|e| e.is_early_help() && window.overlaps(e.started_on, e.ended_on))
        .filter(|e| child_on(&e.subject, e.started_on))
        .collect();
    help_rows.sort_by_key(|e| (e.started_on, e.subject.id.to_string()));

    let columns = |extra: &[&'static str]| CHILD_COLUMNS.iter().chain(extra).copied().collect();
    AnnexA {
        window,
        contacts: Sheet {
            name: "List 1 Contacts",
            title: "List 1: Contacts. All contacts received in the six months before the inspection",
            columns: columns(&["Date of contact", "Contact source"]),
            rows: contact_rows
                .into_iter()
                .map(|c| {
                    let mut row = child_cells(&c.subject, on);
                    row.push(Cell::Date(c.received_on));
                    row.push(Cell::Text(format!("{} – {}", c.source_code(), c.source_name)));
                    row
                })
                .collect(),
        },
        early_help: Sheet {
            name: "List 2 Early help",
            title: "List 2: Early help. Early help that was going on at any time in the six months before the inspection",
            columns: columns(&[
                "Early help start date",
                "Early help end date",
                "Organisation providing early help",
            ]),
            rows: help_rows
                .into_iter()
                .map(|e| {
                    let mut row = child_cells(&e.subject, on);
                    row.push(Cell::Date(e.started_on));
                    row.push(e.ended_on.map_or(Cell::Empty, Cell::Date));
                    row.push(e.organisation.clone().map_or(Cell::Empty, Cell::Text));
                    row
                })
                .collect(),
        },
        no_date_of_birth,
    }
}

/// The child columns: id, gender, ethnicity, date of birth and age on the inspection date.
fn child_cells(subject: &Subject, on: NaiveDate) -> Vec<Cell> {
    vec![
        Cell::Text(subject.id.to_string()),
        Cell::Text(sex_word(subject.sex).into()),
        Cell::Text(subject.ethnicity.map_or("NOBT", |e| e.code()).into()),
        subject.dob.map_or(Cell::Empty, |d| Cell::Date(d.date)),
        age_in_years(subject.dob, on).map_or(Cell::Empty, Cell::Number),
    ]
}

#[cfg(test)]
mod tests {
    use super::super::tests_support::*;
    use super::*;
    use crate::episode::EpisodeLevel;

    #[test]
    fn list_one_has_each_childs_contacts_in_the_six_months_and_no_adults() {
        let on = d(2026, 6, 30);
        let amy = child("2015-04-01");
        let dad = adult();
        let unknown = no_dob();
        let contacts = [
            contact(&amy, d(2026, 1, 10)),
            contact(&amy, d(2025, 12, 29)), // before the window opens on 30 December
            contact(&dad, d(2026, 2, 1)),
            contact(&unknown, d(2026, 3, 1)),
        ];
        let a = lists(on, &contacts, &[]);
        assert_eq!(a.contacts.rows.len(), 1);
        let row = &a.contacts.rows[0];
        assert_eq!(row[0], Cell::Text(amy.id.to_string()));
        assert_eq!(row[1], Cell::Text("Female".into()));
        assert_eq!(row[2], Cell::Text("APKN".into()));
        assert_eq!(row[4], Cell::Number(11), "age on the inspection date");
        assert_eq!(row[5], Cell::Date(d(2026, 1, 10)));
        assert_eq!(row[6], Cell::Text("2A – Sycamore Primary".into()));
        assert_eq!(a.no_date_of_birth, 1);
        assert_eq!(a.contacts.columns.len(), row.len());
    }

    #[test]
    fn list_two_has_early_help_going_on_in_the_window_but_not_social_care() {
        let on = d(2026, 6, 30);
        let amy = child("2015-04-01");
        let episodes = [
            episode(&amy, d(2024, 1, 1), None, EpisodeLevel::Early),
            episode(
                &amy,
                d(2024, 1, 1),
                Some(d(2025, 11, 1)),
                EpisodeLevel::Targeted,
            ),
            episode(
                &amy,
                d(2026, 2, 1),
                Some(d(2026, 5, 1)),
                EpisodeLevel::Targeted,
            ),
            episode(&amy, d(2026, 2, 1), None, EpisodeLevel::SocialCare),
        ];
        let a = lists(on, &[], &episodes);
        let starts: Vec<_> = a.early_help.rows.iter().map(|r| r[5].clone()).collect();
        assert_eq!(
            starts,
            vec![Cell::Date(d(2024, 1, 1)), Cell::Date(d(2026, 2, 1))]
        );
        assert_eq!(a.early_help.rows[0][6], Cell::Empty, "still open");
        assert_eq!(
            a.early_help.rows[1][7],
            Cell::Text("Meadows Family Hub".into())
        );
    }
}
