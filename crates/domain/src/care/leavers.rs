//! Care leavers (issue 22, item 5; ADR 0053): young people of 17 to 21 who were looked after,
//! how the council keeps in touch with them, what they are doing and where they live, in the
//! DfE's OC3 codes (`IN_TOUCH`, `ACTIV`, `ACCOM`), with staying put (living on with former
//! foster carers after 18) and staying close (living near the children's home they left).
//! Who counts as a care leaver, and which contact the return reports, are rules here.

use chrono::{Datelike, Months, NaiveDate};

coded!(
    /// Whether the council is in touch with the young person (OC3 `IN_TOUCH`).
    InTouch {
        Yes => ("YES", "Yes, in touch"),
        No => ("NO", "No, not in touch"),
        Refused => ("REFU", "The young person refuses contact"),
        NotRequired => ("NREQ", "No longer needs services"),
        ReturnedHome => ("RHOM", "Returned home to parents for 6 months or more"),
        Died => ("DIED", "Died"),
    }
);

impl InTouch {
    /// Whether activity and accommodation are asked: not of a young person who died or went
    /// home to their parents (the DfE writes `0` for both).
    pub fn asks_more(self) -> bool {
        !matches!(self, InTouch::Died | InTouch::ReturnedHome)
    }
}

coded!(
    /// What the young person is doing (OC3 `ACTIV`).
    Activity {
        HigherFull => ("F1", "Full-time in higher education"),
        HigherPart => ("P1", "Part-time in higher education"),
        EducationFull => ("F2", "Full-time in other education"),
        EducationPart => ("P2", "Part-time in other education"),
        TrainingFull => ("F4", "Full-time in training"),
        TrainingPart => ("P4", "Part-time in training"),
        EmploymentFull => ("F5", "Full-time in employment"),
        EmploymentPart => ("P5", "Part-time in employment"),
        NotIllness => ("G4", "Not in education, training or employment: illness or disability"),
        NotOther => ("G5", "Not in education, training or employment: other reasons"),
        NotParenting => ("G6", "Not in education, training or employment: pregnancy or parenting"),
    }
);

impl Activity {
    /// In education, training or employment: what the sufficiency picture counts as EET.
    pub fn is_eet(self) -> bool {
        !matches!(
            self,
            Activity::NotIllness | Activity::NotOther | Activity::NotParenting
        )
    }
}

coded!(
    /// Where the young person lives (the letter of OC3 `ACCOM`; the digit says whether it
    /// suits them).
    Accommodation {
        Parents => ("B", "With parents or relatives"),
        Residential => ("C", "Community home or other residential care"),
        SemiIndependent => ("D", "Semi-independent, transitional accommodation"),
        SupportedLodgings => ("E", "Supported lodgings"),
        Abroad => ("G", "Gone abroad"),
        Deported => ("H", "Deported"),
        Lodgings => ("K", "Ordinary lodgings, without formal support"),
        NotKnown => ("R", "Residence not known"),
        Homeless => ("S", "No fixed abode or homeless"),
        Foyer => ("T", "Foyer"),
        Independent => ("U", "Independent living"),
        Emergency => ("V", "Emergency accommodation"),
        BedAndBreakfast => ("W", "Bed and breakfast"),
        Custody => ("X", "In custody"),
        Other => ("Y", "Other accommodation"),
        FormerFosterCarers => ("Z", "With former foster carers"),
    }
);

impl Accommodation {
    /// The DfE's `ACCOM` code: the letter, then `1` when it suits the young person and `2` when
    /// not. No fixed abode and custody are never suitable (the DfE has only `S2` and `X2`).
    pub fn oc3_code(self, suitable: bool) -> String {
        let suits = suitable && !matches!(self, Accommodation::Homeless | Accommodation::Custody);
        format!("{}{}", self.code(), if suits { 1 } else { 2 })
    }
}

/// One contact with a care leaver, as recorded on their care page.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub recorded_on: NaiveDate,
    pub in_touch: InTouch,
    /// Nothing when not asked (not in touch, died, returned home).
    pub activity: Option<Activity>,
    pub accommodation: Option<(Accommodation, bool)>,
    /// Living on with their former foster carers after 18.
    pub staying_put: bool,
    /// Living near the children's home they left, with its support.
    pub staying_close: bool,
}

/// What is wrong with a contact as entered: field and message.
pub fn check(contact: &Contact) -> Vec<(&'static str, &'static str)> {
    let mut problems = Vec::new();
    if contact.in_touch == InTouch::Yes {
        if contact.activity.is_none() {
            problems.push(("activity", "Select what the young person is doing"));
        }
        if contact.accommodation.is_none() {
            problems.push(("accommodation", "Select where the young person lives"));
        }
    }
    if !contact.in_touch.asks_more()
        && (contact.activity.is_some() || contact.accommodation.is_some())
    {
        problems.push((
            "activity",
            "Leave activity and accommodation empty for a young person who died or returned home",
        ));
    }
    if contact.staying_put
        && contact
            .accommodation
            .is_some_and(|(a, _)| a != Accommodation::FormerFosterCarers)
    {
        problems.push((
            "accommodation",
            "Staying put means living with former foster carers: choose that accommodation, or untick staying put",
        ));
    }
    problems
}

/// The day a person turns `years`.
pub fn birthday(born: NaiveDate, years: u32) -> Option<NaiveDate> {
    born.checked_add_months(Months::new(12 * years))
}

/// Their age in whole years on `on`.
pub fn age_on(born: NaiveDate, on: NaiveDate) -> i32 {
    let mut years = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    years
}

/// A stretch of care: from the day it began to the day it ended (nothing while it goes on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stay {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    /// Ended by the young person's death: no care leaver.
    pub died: bool,
}

/// Whether a young person born on `born` is a care leaver by `on`, as the DfE counts them (a
/// relevant or former relevant child): looked after for 13 weeks in all since their 14th
/// birthday, some of it on or after their 16th, and no longer looked after.
pub fn is_care_leaver(born: NaiveDate, stays: &[Stay], on: NaiveDate) -> bool {
    let (Some(fourteen), Some(sixteen)) = (birthday(born, 14), birthday(born, 16)) else {
        return false;
    };
    if stays
        .iter()
        .any(|s| s.died || s.to.is_none_or(|to| to > on))
    {
        return false;
    }
    let days: i64 = stays
        .iter()
        .filter_map(|s| {
            let from = s.from.max(fourteen);
            let to = s.to.unwrap_or(on);
            (to > from).then(|| (to - from).num_days())
        })
        .sum();
    days >= 91 && stays.iter().any(|s| s.to.unwrap_or(on) >= sixteen)
}

/// Which birthday in the collection year from `first` to `last` the return asks about (17 to
/// 21), if any.
pub fn birthday_in(born: NaiveDate, first: NaiveDate, last: NaiveDate) -> Option<(u32, NaiveDate)> {
    (17..=21).find_map(|years| {
        birthday(born, years)
            .filter(|b| first <= *b && *b <= last)
            .map(|b| (years, b))
    })
}

/// The contact the return reports for a birthday: the latest from three months before it to
/// one month after, as the DfE asks.
pub fn contact_for(contacts: &[Contact], birthday: NaiveDate) -> Option<&Contact> {
    let from = birthday.checked_sub_months(Months::new(3))?;
    let to = birthday.checked_add_months(Months::new(1))?;
    contacts
        .iter()
        .filter(|c| from <= c.recorded_on && c.recorded_on <= to)
        .max_by_key(|c| c.recorded_on)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn contact(on: NaiveDate, in_touch: InTouch) -> Contact {
        Contact {
            recorded_on: on,
            in_touch,
            activity: Some(Activity::EmploymentFull),
            accommodation: Some((Accommodation::Independent, true)),
            staying_put: false,
            staying_close: false,
        }
    }

    #[test]
    fn accommodation_codes_say_whether_it_suits() {
        assert_eq!(Accommodation::Independent.oc3_code(true), "U1");
        assert_eq!(Accommodation::Independent.oc3_code(false), "U2");
        assert_eq!(
            Accommodation::Homeless.oc3_code(true),
            "S2",
            "never suitable"
        );
        assert_eq!(Accommodation::Custody.oc3_code(true), "X2");
        assert_eq!(Accommodation::FormerFosterCarers.oc3_code(true), "Z1");
        assert!(Activity::TrainingPart.is_eet() && !Activity::NotParenting.is_eet());
        assert!(!InTouch::Died.asks_more() && InTouch::No.asks_more());
    }

    #[test]
    fn care_leavers_are_those_looked_after_13_weeks_from_14_and_after_16() {
        let born = d(2006, 6, 1);
        let on = d(2025, 6, 1);
        let stay = |from, to| Stay {
            from,
            to: Some(to),
            died: false,
        };
        let table = [
            (vec![stay(d(2021, 1, 1), d(2024, 6, 1))], true, "14 to 18"),
            (
                vec![stay(d(2022, 6, 1), d(2022, 8, 1))],
                false,
                "only before 16",
            ),
            (
                vec![stay(d(2022, 5, 1), d(2022, 6, 2))],
                false,
                "13 weeks not reached",
            ),
            (
                vec![
                    stay(d(2020, 1, 1), d(2020, 6, 20)),
                    stay(d(2022, 6, 1), d(2022, 6, 10)),
                ],
                false,
                "too little since 14",
            ),
            (
                vec![stay(d(2022, 3, 1), d(2022, 6, 30))],
                true,
                "left just after 16",
            ),
        ];
        for (stays, leaver, why) in table {
            assert_eq!(is_care_leaver(born, &stays, on), leaver, "{why}");
        }
        let still = [Stay {
            from: d(2021, 1, 1),
            to: None,
            died: false,
        }];
        assert!(!is_care_leaver(born, &still, on), "still looked after");
        let died = [Stay {
            from: d(2021, 1, 1),
            to: Some(d(2024, 1, 1)),
            died: true,
        }];
        assert!(!is_care_leaver(born, &died, on));
    }

    #[test]
    fn the_return_asks_about_a_17th_to_21st_birthday_in_the_year() {
        let (first, last) = (d(2025, 4, 1), d(2026, 3, 31));
        assert_eq!(
            birthday_in(d(2006, 6, 1), first, last),
            Some((19, d(2025, 6, 1)))
        );
        assert_eq!(birthday_in(d(2004, 3, 31), first, last), None, "22");
        assert_eq!(birthday_in(d(2009, 6, 1), first, last), None, "16");
        assert_eq!(
            birthday_in(d(2005, 3, 31), first, last),
            Some((21, d(2026, 3, 31)))
        );
    }

    #[test]
    fn the_contact_reported_is_the_latest_near_the_birthday() {
        let b = d(2025, 6, 1);
        let contacts = [
            contact(d(2025, 2, 28), InTouch::No),
            contact(d(2025, 3, 1), InTouch::Yes),
            contact(d(2025, 7, 1), InTouch::Refused),
            contact(d(2025, 7, 2), InTouch::NotRequired),
        ];
        assert_eq!(
            contact_for(&contacts, b).unwrap().in_touch,
            InTouch::Refused
        );
        assert_eq!(
            contact_for(&contacts[..2], b).unwrap().in_touch,
            InTouch::Yes
        );
        assert!(contact_for(&contacts[..1], b).is_none(), "too early");
    }

    #[test]
    fn a_contact_is_checked_field_by_field() {
        let mut c = contact(d(2025, 6, 1), InTouch::Yes);
        assert!(check(&c).is_empty());
        c.activity = None;
        assert_eq!(check(&c)[0].0, "activity");
        let mut c = contact(d(2025, 6, 1), InTouch::Died);
        assert_eq!(check(&c)[0].0, "activity");
        c.activity = None;
        c.accommodation = None;
        assert!(check(&c).is_empty());
        let mut c = contact(d(2025, 6, 1), InTouch::Yes);
        c.staying_put = true;
        assert_eq!(check(&c)[0].0, "accommodation");
        c.accommodation = Some((Accommodation::FormerFosterCarers, true));
        assert!(check(&c).is_empty());
    }
}
