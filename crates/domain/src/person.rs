//! What we hold about a person that rules depend on: their date of birth and age.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// How sure we are of a date of birth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DobCertainty {
    Exact,
    /// Approximate (e.g. a newly arrived child with no documents).
    Estimated,
    /// An unborn child's expected date of delivery.
    Expected,
}

impl DobCertainty {
    pub fn code(self) -> &'static str {
        match self {
            DobCertainty::Exact => "exact",
            DobCertainty::Estimated => "estimated",
            DobCertainty::Expected => "expected",
        }
    }

    pub const ALL: [DobCertainty; 3] = [
        DobCertainty::Exact,
        DobCertainty::Estimated,
        DobCertainty::Expected,
    ];

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// As a page shows it.
    pub fn label(self) -> &'static str {
        match self {
            DobCertainty::Exact => "Exact",
            DobCertainty::Estimated => "Estimated",
            DobCertainty::Expected => "Expected (unborn)",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DateOfBirth {
    pub date: NaiveDate,
    pub certainty: DobCertainty,
}

/// A person's age as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Age {
    Unborn,
    Years(u32),
}

impl DateOfBirth {
    /// Age in whole years on `today`. An expected child is unborn until the date passes
    /// (then treated as a baby, since the birth will not have been recorded yet).
    pub fn age_on(&self, today: NaiveDate) -> Age {
        if self.certainty == DobCertainty::Expected && self.date > today {
            return Age::Unborn;
        }
        let mut years = today.year() - self.date.year();
        if (today.month(), today.day()) < (self.date.month(), self.date.day()) {
            years -= 1;
        }
        Age::Years(u32::try_from(years.max(0)).unwrap_or(0))
    }

    /// A date of birth as a form gives it, the date if any and how sure it is: no date is
    /// fine unless a baby is expected; a date is checked against today ([`Self::check`]).
    pub fn checked(
        date: Option<NaiveDate>,
        certainty: DobCertainty,
        today: NaiveDate,
    ) -> Result<Option<NaiveDate>, &'static str> {
        match date {
            Some(date) => DateOfBirth { date, certainty }
                .check(today)
                .map(|()| Some(date)),
            None if certainty == DobCertainty::Expected => Err("Enter the expected date of birth"),
            None => Ok(None),
        }
    }

    /// Checks a date of birth against today: only an expected date may be in the future, and
    /// not by more than ten months.
    pub fn check(&self, today: NaiveDate) -> Result<(), &'static str> {
        match self.certainty {
            DobCertainty::Expected => {
                if self.date > today + chrono::Days::new(300) {
                    Err("An expected date of birth must be within the next 10 months")
                } else {
                    Ok(())
                }
            }
            _ if self.date > today => Err("Date of birth must be today or in the past"),
            _ if today.year() - self.date.year() > 120 => {
                Err("Date of birth must be within the last 120 years")
            }
            _ => Ok(()),
        }
    }
}

impl Age {
    pub fn years(self) -> Option<u32> {
        match self {
            Age::Unborn => None,
            Age::Years(y) => Some(y),
        }
    }

    /// Children are under 18; unborn children count as children.
    pub fn is_child(self) -> bool {
        self.years().is_none_or(|y| y < 18)
    }
}

/// An enum stored by its code and shown by its label: `ALL`, `code()`, `from_code()` and
/// `label()`, written once for the person's coded details.
macro_rules! coded {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }

            /// As a page shows it.
            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label),+
                }
            }
        }
    };
}

coded! {
    /// A person's sex as recorded (their gender is recorded separately, in their own words).
    Sex {
        Female = ("female", "Female"),
        Male = ("male", "Male"),
        NotKnown = ("not_known", "Not known"),
    }
}

coded! {
    /// DfE ethnicity codes: the main categories of the school census and children's social
    /// care returns, so that returns need no translation.
    Ethnicity {
        WhiteBritish = ("WBRI", "White – British"),
        WhiteIrish = ("WIRI", "White – Irish"),
        TravellerOfIrishHeritage = ("WIRT", "Traveller of Irish heritage"),
        GypsyRoma = ("WROM", "Gypsy/Roma"),
        AnyOtherWhite = ("WOTH", "Any other White background"),
        WhiteAndBlackCaribbean = ("MWBC", "White and Black Caribbean"),
        WhiteAndBlackAfrican = ("MWBA", "White and Black African"),
        WhiteAndAsian = ("MWAS", "White and Asian"),
        AnyOtherMixed = ("MOTH", "Any other mixed background"),
        Indian = ("AIND", "Indian"),
        Pakistani = ("APKN", "Pakistani"),
        Bangladeshi = ("ABAN", "Bangladeshi"),
        AnyOtherAsian = ("AOTH", "Any other Asian background"),
        BlackCaribbean = ("BCRB", "Black Caribbean"),
        BlackAfrican = ("BAFR", "Black – African"),
        AnyOtherBlack = ("BOTH", "Any other Black background"),
        Chinese = ("CHNE", "Chinese"),
        AnyOtherEthnicGroup = ("OOTH", "Any other ethnic group"),
        Refused = ("REFU", "Refused"),
        NotYetObtained = ("NOBT", "Information not yet obtained"),
    }
}

coded! {
    /// How someone in a household is related to the person they were added with.
    HouseholdRelationship {
        Parent = ("parent", "Parent"),
        StepParent = ("step_parent", "Step-parent"),
        Carer = ("carer", "Carer"),
        Child = ("child", "Child"),
        Sibling = ("sibling", "Sibling"),
        HalfSibling = ("half_sibling", "Half-sibling"),
        Partner = ("partner", "Partner"),
        Grandparent = ("grandparent", "Grandparent"),
        Other = ("other", "Other"),
        /// The person a household was first made for, when someone joined them: related to
        /// nobody in particular.
        Member = ("member", "Lives here"),
    }
}

impl HouseholdRelationship {
    /// What a practitioner chooses from when adding someone to a household (`Member` is only
    /// ever given by Hearth itself).
    pub fn chosen() -> impl Iterator<Item = HouseholdRelationship> {
        Self::ALL
            .iter()
            .copied()
            .filter(|r| *r != HouseholdRelationship::Member)
    }
}

coded! {
    /// One detail of a person that can be changed from their record, as its history names it.
    PersonDetail {
        GivenNames = ("given_names", "First names"),
        FamilyName = ("family_name", "Last name"),
        Dob = ("dob", "Date of birth"),
        DobCertainty = ("dob_certainty", "Date of birth is"),
        Sex = ("sex", "Sex"),
        Gender = ("gender", "Gender"),
        Ethnicity = ("ethnicity", "Ethnicity"),
        FirstLanguage = ("first_language", "First language"),
        InterpreterNeeded = ("interpreter_needed", "Needs an interpreter"),
        Send = ("send", "Special educational needs (SEND)"),
        Disability = ("disability", "Disability"),
        NhsNumber = ("nhs_number", "NHS number"),
        Upn = ("upn", "Unique pupil number (UPN)"),
        Phone = ("phone", "Phone"),
        Email = ("email", "Email"),
        Mobile = ("mobile", "Mobile for texts"),
        SafeToText = ("safe_to_text", "Safe to text"),
        SafeToLeaveMessage = ("safe_to_leave_message", "Safe to leave a message"),
        SafeHours = ("safe_hours", "Safe times to text"),
        ContactBy = ("contact_by", "Hears from us by"),
    }
}

coded! {
    /// What a family member said when asked whether a text or a voice message is safe (a
    /// person never asked has none).
    SafeAnswer {
        Yes = ("yes", "Yes"),
        No = ("no", "No"),
    }
}

coded! {
    /// How a person chose to hear from Hearth.
    ContactChoice {
        Email = ("email", "Email"),
        Text = ("text", "Text message"),
        Both = ("both", "Email and text message"),
    }
}

impl PersonDetail {
    /// A restriction withholds these (with the address) from roles it does not name: their
    /// old and new values are not shown to them in the history either.
    pub fn withheld_by_restriction(self) -> bool {
        matches!(
            self,
            PersonDetail::Phone
                | PersonDetail::Email
                | PersonDetail::Mobile
                | PersonDetail::SafeToText
                | PersonDetail::SafeToLeaveMessage
                | PersonDetail::SafeHours
                | PersonDetail::ContactBy
        )
    }

    /// A stored value (a code, a date, `yes`/`no` or text) as a page shows it.
    pub fn show(self, value: &str) -> String {
        let coded = match self {
            PersonDetail::Sex => Sex::from_code(value).map(Sex::label),
            PersonDetail::Ethnicity => Ethnicity::from_code(value).map(Ethnicity::label),
            PersonDetail::DobCertainty => DobCertainty::from_code(value).map(DobCertainty::label),
            PersonDetail::InterpreterNeeded => Some(if value == "yes" { "Yes" } else { "No" }),
            PersonDetail::SafeToText | PersonDetail::SafeToLeaveMessage => {
                SafeAnswer::from_code(value).map(SafeAnswer::label)
            }
            PersonDetail::ContactBy => ContactChoice::from_code(value).map(ContactChoice::label),
            _ => None,
        };
        match (self, coded) {
            (_, Some(label)) => label.to_string(),
            (PersonDetail::Dob, None) => NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .map(|d| d.format("%-d %B %Y").to_string())
                .unwrap_or_else(|_| value.to_string()),
            (_, None) => value.to_string(),
        }
    }
}

coded! {
    /// The pages that change a person's details, one change each: the address's last part of
    /// `/people/{id}/change/{page}`.
    DetailPage {
        Name = ("name", "Name"),
        DateOfBirth = ("date-of-birth", "Date of birth"),
        Sex = ("sex", "Sex"),
        Gender = ("gender", "Gender"),
        Ethnicity = ("ethnicity", "Ethnicity"),
        Language = ("language", "First language and interpreter"),
        Send = ("send", "Special educational needs (SEND)"),
        Disability = ("disability", "Disability"),
        NhsNumber = ("nhs-number", "NHS number"),
        Upn = ("upn", "Unique pupil number (UPN)"),
        Phone = ("phone", "Phone"),
        Email = ("email", "Email"),
        SafeContact = ("safe-contact", "Texts and safe contact"),
    }
}

impl DetailPage {
    /// The details the page changes.
    pub fn details(self) -> &'static [PersonDetail] {
        use PersonDetail as D;
        match self {
            DetailPage::Name => &[D::GivenNames, D::FamilyName],
            DetailPage::DateOfBirth => &[D::Dob, D::DobCertainty],
            DetailPage::Sex => &[D::Sex],
            DetailPage::Gender => &[D::Gender],
            DetailPage::Ethnicity => &[D::Ethnicity],
            DetailPage::Language => &[D::FirstLanguage, D::InterpreterNeeded],
            DetailPage::Send => &[D::Send],
            DetailPage::Disability => &[D::Disability],
            DetailPage::NhsNumber => &[D::NhsNumber],
            DetailPage::Upn => &[D::Upn],
            DetailPage::Phone => &[D::Phone],
            DetailPage::Email => &[D::Email],
            DetailPage::SafeContact => &[
                D::Mobile,
                D::SafeToText,
                D::SafeToLeaveMessage,
                D::SafeHours,
                D::ContactBy,
            ],
        }
    }

    /// Whether a restriction withholds what this page changes.
    pub fn withheld_by_restriction(self) -> bool {
        self.details().iter().any(|d| d.withheld_by_restriction())
    }
}

/// The outward code of a postcode (`NG7 1AA` → `NG7`): the area shown in contact search.
pub fn postcode_district(postcode: &str) -> String {
    let compact: String = postcode
        .split_whitespace()
        .collect::<String>()
        .to_uppercase();
    if compact.len() > 3 {
        compact[..compact.len() - 3].to_string()
    } else {
        compact
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_may_leave_the_date_out_unless_a_baby_is_expected() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let soon = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        assert_eq!(
            DateOfBirth::checked(None, DobCertainty::Exact, today),
            Ok(None)
        );
        assert!(DateOfBirth::checked(None, DobCertainty::Expected, today).is_err());
        assert_eq!(
            DateOfBirth::checked(Some(soon), DobCertainty::Expected, today),
            Ok(Some(soon))
        );
        assert!(DateOfBirth::checked(Some(soon), DobCertainty::Exact, today).is_err());
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn dob(date: NaiveDate, certainty: DobCertainty) -> DateOfBirth {
        DateOfBirth { date, certainty }
    }

    #[test]
    fn codes_read_back_and_unknown_codes_do_not() {
        for e in Ethnicity::ALL {
            assert_eq!(Ethnicity::from_code(e.code()), Some(*e));
        }
        assert_eq!(Ethnicity::from_code("white"), None);
        assert_eq!(Sex::from_code("not_known"), Some(Sex::NotKnown));
        assert_eq!(Sex::from_code("Female"), None);
        assert_eq!(
            HouseholdRelationship::from_code("half_sibling").map(HouseholdRelationship::label),
            Some("Half-sibling")
        );
        assert!(!HouseholdRelationship::chosen().any(|r| r == HouseholdRelationship::Member));
        for p in DetailPage::ALL {
            assert_eq!(DetailPage::from_code(p.code()), Some(*p));
        }
    }

    #[test]
    fn a_stored_value_shows_as_words() {
        assert_eq!(PersonDetail::Ethnicity.show("APKN"), "Pakistani");
        assert_eq!(PersonDetail::Sex.show("not_known"), "Not known");
        assert_eq!(PersonDetail::Dob.show("2012-03-07"), "7 March 2012");
        assert_eq!(PersonDetail::InterpreterNeeded.show("yes"), "Yes");
        assert_eq!(PersonDetail::Phone.show("0115 496 0000"), "0115 496 0000");
        assert!(DetailPage::Email.withheld_by_restriction());
        assert!(!DetailPage::Name.withheld_by_restriction());
    }

    #[test]
    fn age_counts_whole_years_and_birthdays() {
        let today = d(2026, 11, 22);
        assert_eq!(
            dob(d(2012, 11, 22), DobCertainty::Exact).age_on(today),
            Age::Years(14)
        );
        assert_eq!(
            dob(d(2012, 11, 23), DobCertainty::Exact).age_on(today),
            Age::Years(13)
        );
        assert_eq!(
            dob(d(2016, 6, 1), DobCertainty::Estimated).age_on(today),
            Age::Years(10)
        );
    }

    #[test]
    fn an_expected_baby_is_unborn_until_the_date() {
        let today = d(2026, 11, 22);
        assert_eq!(
            dob(d(2027, 3, 1), DobCertainty::Expected).age_on(today),
            Age::Unborn
        );
        assert_eq!(
            dob(d(2026, 11, 1), DobCertainty::Expected).age_on(today),
            Age::Years(0)
        );
        assert!(Age::Unborn.is_child());
        assert!(!Age::Years(18).is_child());
    }

    #[test]
    fn impossible_dates_are_refused() {
        let today = d(2026, 11, 22);
        assert!(
            dob(d(2026, 12, 1), DobCertainty::Exact)
                .check(today)
                .is_err(),
            "born in the future"
        );
        assert!(dob(d(2026, 12, 1), DobCertainty::Expected)
            .check(today)
            .is_ok());
        assert!(dob(d(2028, 1, 1), DobCertainty::Expected)
            .check(today)
            .is_err());
        assert!(dob(d(1890, 1, 1), DobCertainty::Exact)
            .check(today)
            .is_err());
        assert!(dob(d(2010, 1, 1), DobCertainty::Estimated)
            .check(today)
            .is_ok());
    }
}
