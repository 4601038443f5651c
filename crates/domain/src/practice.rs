//! Practice support: the partnership's Threshold of Need (each level's description and its
//! indicators per need, written and versioned by the partnership) and its toolkits of practice
//! guidance. Seed 000, priority 1c–d and 2f: every partner knows the Threshold of Need and the
//! process, uses one shared language, and has toolkits built from the partners' expertise.

use crate::continuum::ContinuumLevel;
use crate::input::{self, FieldErrors};
use crate::need::NeedDomain;
use chrono::NaiveDate;

/// Longest description of a level or indicator, and of a toolkit page's body.
pub const DESCRIPTION_MAX: usize = 2000;
pub const BODY_MAX: usize = 20_000;

/// One level of the Threshold of Need as the partnership describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelText {
    pub level: ContinuumLevel,
    pub description: String,
    /// Who usually helps at this level.
    pub who_helps: String,
    /// What a need looks like at this level, for each need that has a text.
    pub indicators: Vec<(NeedDomain, String)>,
}

impl LevelText {
    pub fn indicator(&self, need: NeedDomain) -> Option<&str> {
        self.indicators
            .iter()
            .find(|(n, _)| *n == need)
            .map(|(_, t)| t.as_str())
    }
}

/// The whole Threshold of Need: the four levels, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Threshold {
    pub levels: Vec<LevelText>,
}

/// The parts of a level's text, as a field is named in the form and a row in the store:
/// the description, who helps, or the indicator for one need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    Description,
    WhoHelps,
    Indicator(NeedDomain),
}

impl Part {
    pub fn all() -> impl Iterator<Item = Part> {
        [Part::Description, Part::WhoHelps]
            .into_iter()
            .chain(NeedDomain::ALL.into_iter().map(Part::Indicator))
    }

    pub fn code(self) -> &'static str {
        match self {
            Part::Description => "description",
            Part::WhoHelps => "who_helps",
            Part::Indicator(n) => n.code(),
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Part::all().find(|p| p.code() == code)
    }

    /// The form field for this part of `level`: `level2-description`, `level2-housing`.
    pub fn field(self, level: ContinuumLevel) -> String {
        format!("level{}-{}", level.number(), self.code())
    }
}

impl Threshold {
    pub fn level(&self, level: ContinuumLevel) -> Option<&LevelText> {
        self.levels.iter().find(|l| l.level == level)
    }

    /// For the needs on a request: each level with the indicators of those needs, so the
    /// requester and the front door read the words that fit this family.
    pub fn indicators_for(
        &self,
        needs: &[NeedDomain],
    ) -> Vec<(ContinuumLevel, Vec<(NeedDomain, &str)>)> {
        self.levels
            .iter()
            .map(|l| {
                (
                    l.level,
                    needs
                        .iter()
                        .filter_map(|n| l.indicator(*n).map(|t| (*n, t)))
                        .collect(),
                )
            })
            .collect()
    }

    /// The text of one part of one level (empty when it has none).
    pub fn text(&self, level: ContinuumLevel, part: Part) -> &str {
        let Some(l) = self.level(level) else {
            return "";
        };
        match part {
            Part::Description => &l.description,
            Part::WhoHelps => &l.who_helps,
            Part::Indicator(n) => l.indicator(n).unwrap_or(""),
        }
    }

    /// Builds a threshold from its parts as typed or stored: every level needs a description
    /// and who helps; an indicator may be left empty (that need has no words at that level).
    pub fn from_parts(
        parts: impl Fn(ContinuumLevel, Part) -> String,
    ) -> Result<Threshold, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut levels = Vec::new();
        for level in ContinuumLevel::ALL {
            let name = level.label();
            let description = input::required_text(
                &mut errors,
                &Part::Description.field(level),
                &format!("a description of {name}"),
                &parts(level, Part::Description),
                DESCRIPTION_MAX,
            );
            let who_helps = input::required_text(
                &mut errors,
                &Part::WhoHelps.field(level),
                &format!("who helps at {name}"),
                &parts(level, Part::WhoHelps),
                DESCRIPTION_MAX,
            );
            let mut indicators = Vec::new();
            for need in NeedDomain::ALL {
                let part = Part::Indicator(need);
                if let Some(t) = input::optional_text(
                    &mut errors,
                    &part.field(level),
                    &format!("the indicator for {} at {name}", need.label()),
                    &parts(level, part),
                    DESCRIPTION_MAX,
                ) {
                    indicators.push((need, t));
                }
            }
            levels.push(LevelText {
                level,
                description,
                who_helps,
                indicators,
            });
        }
        errors.into_result(Threshold { levels })
    }

    /// Hearth's default: Nottingham's four levels in the words of its Early Help Strategy
    /// (seed 000, "How we will work together") and its Family Help model (seed 002), with
    /// indicators per need written from them. A partnership publishes its own edition.
    pub fn nottingham() -> Threshold {
        use NeedDomain::*;
        let level = |level,
                     description: &str,
                     who_helps: &str,
                     indicators: &[(NeedDomain, &str)]| LevelText {
            level,
            description: description.into(),
            who_helps: who_helps.into(),
            indicators: indicators.iter().map(|(n, t)| (*n, (*t).into())).collect(),
        };
        Threshold {
            levels: vec![
                level(
                    ContinuumLevel::Universal,
                    "Children, young people, and families are doing well and their needs are met within universal services including health development and achievement.",
                    "Universal services: schools, GPs, health visitors, midwives, nurseries, youth services, housing services, voluntary and community groups, and Family Hub activities.",
                    &[
                        (GoodEducation, "Attends school regularly and is making expected progress; any worries are handled by the school's usual support."),
                        (EarlyYears, "Reaching developmental milestones; takes up health visitor checks and early education."),
                        (Health, "Physical and mental health needs are met by the GP, health visitor or school nurse."),
                        (SubstanceUse, "No known misuse of drugs or alcohol that affects the children."),
                        (FamilyRelationships, "Warm, stable relationships; ordinary ups and downs are managed within the family."),
                        (SafeFromAbuseAndExploitation, "No known concerns about abuse or exploitation; the child knows how to keep safe."),
                        (CrimePrevention, "No involvement in offending or anti-social behaviour."),
                        (DomesticAbuse, "No known domestic abuse."),
                        (SecureHousing, "Settled, suitable housing."),
                        (FinancialStability, "Income meets the family's basic needs."),
                    ],
                ),
                level(
                    ContinuumLevel::EarlyFamilyHelp,
                    "Children, young people, and families are experiencing problems requiring universal services to offer additional support or work together with other support services to prevent problems increasing.",
                    "A Team Around the Family with a lead professional from the agency that knows the family best, after an Early Help Partnership Assessment; Lead Professionals can get support and guidance from the TAF Workers based in the Family Hubs.",
                    &[
                        (GoodEducation, "Attendance is falling or persistently low, or there are emerging worries about behaviour, learning or exclusion."),
                        (EarlyYears, "Some delay in development, or parents need extra support with routines, play or feeding."),
                        (Health, "Emerging mental or physical health needs that universal services alone are not meeting."),
                        (SubstanceUse, "A parent's or young person's use of drugs or alcohol is beginning to affect family life."),
                        (FamilyRelationships, "Parental conflict, separation or strained relationships are affecting the children."),
                        (SafeFromAbuseAndExploitation, "Early signs of risk outside the home, such as unsafe friendships or online contact, without evidence of harm."),
                        (CrimePrevention, "Low-level anti-social behaviour or risk of getting involved in offending."),
                        (DomesticAbuse, "Past domestic abuse, or conflict, that still affects the family, with no current risk of significant harm."),
                        (SecureHousing, "Rent arrears, overcrowding or poor conditions putting the tenancy at risk."),
                        (FinancialStability, "Debt, benefit problems or worklessness causing stress; food or fuel poverty."),
                    ],
                ),
                level(
                    ContinuumLevel::TargetedFamilyHelp,
                    "Children, young people, and families are experiencing a range of increasing problems that require intensive multi-agency support to meet the needs of the whole family and crisis is likely to be prevented.",
                    "A council Family Help Worker (the core service, or the Adolescence Service for a child aged 10 or over whose needs are connected to exploitation, missing incidents, anti-social behaviour, criminality or education), reached through the MASH.",
                    &[
                        (GoodEducation, "Persistent absence, repeated suspensions or risk of permanent exclusion, or the child is missing education."),
                        (EarlyYears, "Significant developmental delay together with other family difficulties."),
                        (Health, "Mental or physical health needs, of a child or parent, that affect daily care and need several services together."),
                        (SubstanceUse, "Substance misuse that affects the parent's ability to care for the children or puts the young person at risk."),
                        (FamilyRelationships, "Relationships at risk of breaking down; the young person may have to leave home."),
                        (SafeFromAbuseAndExploitation, "Going missing, or growing concerns about exploitation that need an intensive plan."),
                        (CrimePrevention, "Repeated anti-social behaviour or offending, or a parent's offending affecting the children."),
                        (DomesticAbuse, "Recent or repeated domestic abuse assessed below the high-risk threshold."),
                        (SecureHousing, "Facing eviction or homelessness, or living in unsuitable temporary accommodation."),
                        (FinancialStability, "Severe debt or no income, affecting the children's basic needs."),
                    ],
                ),
                level(
                    ContinuumLevel::Specialist,
                    "Children in Need - Children are 'in need' if they are disabled or unlikely to achieve a reasonable standard of health or development unless services are provided (Children Act 1989). Child Protection - Children who are suffering or likely to suffer significant harm. Children in Care & Care Leavers - The family's needs may change over time and their level of support will move between the levels.",
                    "Children's social care. Any concern of significant harm goes to the MASH at once; it never waits in an early help queue.",
                    &[
                        (GoodEducation, "Missing education together with safeguarding concerns."),
                        (EarlyYears, "Neglect of a baby's or young child's basic care, or faltering growth without explanation."),
                        (Health, "A disabled child who needs specialist services, or a health need neglected to the point of harm."),
                        (SubstanceUse, "Substance misuse leaving children without safe care."),
                        (FamilyRelationships, "Family breakdown leaving the child without a safe carer."),
                        (SafeFromAbuseAndExploitation, "A child suffering, or likely to suffer, significant harm, including sexual or criminal exploitation."),
                        (CrimePrevention, "Serious offending, or the child is at risk of serious violence."),
                        (DomesticAbuse, "High-risk domestic abuse (MARAC level) where children are present."),
                        (SecureHousing, "A child without a safe place to live."),
                        (FinancialStability, "Poverty so severe the child's basic needs are not met and the family cannot be helped to meet them."),
                    ],
                ),
            ],
        }
    }
}

/// The steps of a family's journey a toolkit page may help with: the page is linked from there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PracticeStep {
    AskingForHelp,
    Decision,
    Assessment,
    Plan,
    TafMeeting,
    Closure,
}

impl PracticeStep {
    pub const ALL: [PracticeStep; 6] = [
        PracticeStep::AskingForHelp,
        PracticeStep::Decision,
        PracticeStep::Assessment,
        PracticeStep::Plan,
        PracticeStep::TafMeeting,
        PracticeStep::Closure,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PracticeStep::AskingForHelp => "asking_for_help",
            PracticeStep::Decision => "decision",
            PracticeStep::Assessment => "assessment",
            PracticeStep::Plan => "plan",
            PracticeStep::TafMeeting => "taf_meeting",
            PracticeStep::Closure => "closure",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            PracticeStep::AskingForHelp => "Asking for help for a family",
            PracticeStep::Decision => "The front door's decision",
            PracticeStep::Assessment => "The whole-family assessment",
            PracticeStep::Plan => "The family plan",
            PracticeStep::TafMeeting => "Team Around the Family meetings and reviews",
            PracticeStep::Closure => "Closing an episode",
        }
    }
}

/// A toolkit page as its author wrote it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolkitText {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub step: Option<PracticeStep>,
    pub review_on: NaiveDate,
}

/// The longest a review date may be put off: guidance is looked at again at least every two
/// years, so what practitioners read stays current.
pub const REVIEW_WITHIN_DAYS: i64 = 731;

impl ToolkitText {
    /// Checks a page as typed; `review_on` is the date read from its boxes (`None` if empty).
    pub fn check(
        title: &str,
        summary: &str,
        body: &str,
        step: &str,
        review_on: Option<NaiveDate>,
        today: NaiveDate,
        mut errors: FieldErrors,
    ) -> Result<ToolkitText, FieldErrors> {
        let title = input::required_text(&mut errors, "title", "a title", title, 120);
        let summary = input::required_text(
            &mut errors,
            "summary",
            "a summary in one or two sentences",
            summary,
            300,
        );
        let body = input::required_text(&mut errors, "body", "the guidance", body, BODY_MAX);
        let step = match step.trim() {
            "" => None,
            code => {
                let s = PracticeStep::from_code(code);
                if s.is_none() {
                    errors.add("step", "Choose the step it helps with, or none");
                }
                s
            }
        };
        let review_on = match review_on {
            None => {
                if errors.get("review_on").is_none() {
                    errors.add("review_on", "Enter the date to review it by");
                }
                today
            }
            Some(d) if d <= today => {
                errors.add("review_on", "The review date must be in the future");
                d
            }
            Some(d) if (d - today).num_days() > REVIEW_WITHIN_DAYS => {
                errors.add("review_on", "The review date must be within two years");
                d
            }
            Some(d) => d,
        };
        errors.into_result(ToolkitText {
            title,
            summary,
            body,
            step,
            review_on,
        })
    }
}

/// The words of a search, lower-cased, each at least two characters, at most eight: every
/// word must appear in a page's title, summary or text for it to be found.
pub fn search_words(query: &str) -> Vec<String> {
    let mut words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .map(|w| w.trim_matches(|c| c == '\'' || c == '-').to_lowercase())
        .filter(|w| w.chars().count() >= 2)
        .collect();
    let mut seen = std::collections::HashSet::new();
    words.retain(|w| seen.insert(w.clone()));
    words.truncate(8);
    words
}

/// What a toolkit page is found by: its title, summary and text, lower-cased, on one line.
pub fn searchable(text: &ToolkitText) -> String {
    format!("{} {} {}", text.title, text.summary, text.body)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_default_threshold_describes_every_level_in_the_seeds_words_with_an_indicator_per_need() {
        let t = Threshold::nottingham();
        assert_eq!(t.levels.len(), 4);
        assert!(t
            .text(ContinuumLevel::EarlyFamilyHelp, Part::Description)
            .starts_with("Children, young people, and families are experiencing problems"));
        for l in &t.levels {
            assert_eq!(l.indicators.len(), NeedDomain::ALL.len(), "{:?}", l.level);
        }
        // It passes its own checks, so a partnership can publish it unchanged.
        let again = Threshold::from_parts(|l, p| t.text(l, p).to_string()).unwrap();
        assert_eq!(again, t);
    }

    #[test]
    fn indicators_for_a_request_are_those_of_its_needs_at_each_level() {
        let t = Threshold::nottingham();
        let fits = t.indicators_for(&[NeedDomain::SecureHousing]);
        assert_eq!(fits.len(), 4);
        assert!(fits
            .iter()
            .all(|(_, i)| i.len() == 1 && i[0].0 == NeedDomain::SecureHousing));
        assert!(fits[2].1[0].1.contains("eviction"));
    }

    #[test]
    fn a_threshold_needs_each_levels_description_and_who_helps_but_indicators_may_be_empty() {
        let errors = Threshold::from_parts(|l, p| match (l, p) {
            (ContinuumLevel::Specialist, Part::Description) => String::new(),
            (_, Part::Indicator(_)) => String::new(),
            _ => "words".into(),
        })
        .unwrap_err();
        assert_eq!(errors.iter().count(), 1);
        assert!(errors.get("level4-description").is_some());
        assert_eq!(
            Part::from_code("housing"),
            Some(Part::Indicator(NeedDomain::SecureHousing))
        );
        assert_eq!(
            Part::Indicator(NeedDomain::SecureHousing).field(ContinuumLevel::Universal),
            "level1-housing"
        );
    }

    #[test]
    fn a_toolkit_page_needs_its_words_and_a_review_date_within_two_years() {
        let today = d("2026-12-05");
        let ok = ToolkitText::check(
            "Running a TAF meeting",
            "How to plan, chair and record a Team Around the Family meeting.",
            "## Before the meeting\nInvite the family first.",
            "taf_meeting",
            Some(d("2027-06-01")),
            today,
            FieldErrors::new(),
        )
        .unwrap();
        assert_eq!(ok.step, Some(PracticeStep::TafMeeting));
        let past = ToolkitText::check("t", "s", "b", "", Some(today), today, FieldErrors::new())
            .unwrap_err();
        assert!(past.get("review_on").unwrap().contains("future"));
        let far = ToolkitText::check(
            "t",
            "s",
            "b",
            "",
            Some(d("2029-01-01")),
            today,
            FieldErrors::new(),
        )
        .unwrap_err();
        assert!(far.get("review_on").unwrap().contains("two years"));
        let empty = ToolkitText::check("", "", "", "nonsense", None, today, FieldErrors::new())
            .unwrap_err();
        for f in ["title", "summary", "body", "step", "review_on"] {
            assert!(empty.get(f).is_some(), "{f}");
        }
    }

    #[test]
    fn search_words_are_lower_cased_and_short_words_dropped() {
        assert_eq!(
            search_words("Signs of Safety: a TAF!"),
            vec!["signs", "of", "safety", "taf"]
        );
        assert!(search_words("  % _ ").is_empty());
        assert_eq!(
            search_words("one two three four five six seven eight nine").len(),
            8
        );
    }
}
