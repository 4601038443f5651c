//! The demo partnership's directory: the Family Hub offer of a Nottingham-like city, at the
//! four Family Hubs and community venues, from the council, health and voluntary groups; and
//! the postcodes the demo uses, with real-looking coordinates. Invented entries throughout.
//! Seeding is idempotent: ids are fixed, and what is already there is left alone.

use crate::{AppError, Hearth};
use hearth_domain::directory::{AccessMethod, Coordinates, Postcode, ServiceStatus, NEEDS};
use hearth_store::directory::{self as dir, DirectoryOrganisation, Location, ServiceEntry, LOCAL};
use hearth_store::{accounts::organisations, Store};
use uuid::Uuid;

/// Postcodes the demo uses (its families, its venues, the browser journeys), with centroids.
pub const POSTCODES: &[(&str, f64, f64)] = &[
    ("NG1 1AA", 52.9536, -1.1505),
    ("NG1 5FS", 52.9556, -1.1462),
    ("NG1 6HL", 52.9512, -1.1421),
    ("NG2 2EE", 52.9395, -1.1480),
    ("NG2 2JG", 52.9381, -1.1502),
    ("NG2 4PB", 52.9531, -1.1282),
    ("NG3 2FS", 52.9630, -1.1398),
    ("NG3 7JJ", 52.9698, -1.1301),
    ("NG5 1DD", 52.9841, -1.1512),
    ("NG5 2AB", 52.9905, -1.1430),
    ("NG5 5CC", 53.0030, -1.1560),
    ("NG5 5GH", 53.0041, -1.1529),
    ("NG5 9PJ", 53.0112, -1.1347),
    ("NG6 8HH", 53.0051, -1.1968),
    ("NG6 9FB", 53.0000, -1.2031),
    ("NG7 1DA", 52.9550, -1.1730),
    ("NG7 2BH", 52.9430, -1.1870),
    ("NG7 3BB", 52.9621, -1.1742),
    ("NG7 5AA", 52.9690, -1.1690),
    ("NG7 5HY", 52.9701, -1.1671),
    ("NG7 6GG", 52.9722, -1.1703),
    ("NG8 3EZ", 52.9781, -1.2089),
    ("NG8 4FF", 52.9620, -1.2290),
    ("NG8 6JS", 52.9585, -1.2145),
    ("NG9 1AA", 52.9255, -1.2156),
    ("NG11 8KK", 52.9052, -1.1801),
    ("NG11 9BB", 52.9010, -1.1735),
];

struct Venue {
    id: &'static str,
    name: &'static str,
    address: &'static str,
    postcode: &'static str,
    family_hub: bool,
    accessibility: &'static str,
}

const VENUES: &[Venue] = &[
    Venue {
        id: "0192a001-0000-7000-8000-000000000001",
        name: "Bestwood Family Hub",
        address: "Padstow Road",
        postcode: "NG5 5GH",
        family_hub: true,
        accessibility: "Step-free entrance, accessible toilet, baby changing, buggy park.",
    },
    Venue {
        id: "0192a001-0000-7000-8000-000000000002",
        name: "Broxtowe Family Hub",
        address: "Strelley Road",
        postcode: "NG8 4FF",
        family_hub: true,
        accessibility: "Step-free entrance, hearing loop at reception, accessible toilet.",
    },
    Venue {
        id: "0192a001-0000-7000-8000-000000000003",
        name: "Meadows Family Hub",
        address: "Bridgeway Centre",
        postcode: "NG2 2JG",
        family_hub: true,
        accessibility: "Ground floor rooms, accessible toilet, parking for blue badge holders.",
    },
    Venue {
        id: "0192a001-0000-7000-8000-000000000004",
        name: "Hyson Green Family Hub",
        address: "Gregory Boulevard",
        postcode: "NG7 5HY",
        family_hub: true,
        accessibility: "Lift to all floors, accessible toilet, baby changing, quiet room.",
    },
    Venue {
        id: "0192a001-0000-7000-8000-000000000005",
        name: "Radford Community Centre",
        address: "Alfreton Road",
        postcode: "NG7 3BB",
        family_hub: false,
        accessibility: "Step-free entrance; the hall is on the ground floor.",
    },
    Venue {
        id: "0192a001-0000-7000-8000-000000000006",
        name: "Bulwell Riverside",
        address: "Main Street",
        postcode: "NG6 8HH",
        family_hub: false,
        accessibility: "Step-free, accessible toilet.",
    },
    Venue {
        id: "0192a001-0000-7000-8000-000000000007",
        name: "Clifton Youth Centre",
        address: "Southchurch Drive",
        postcode: "NG11 8KK",
        family_hub: false,
        accessibility: "Ramp at the side door.",
    },
    Venue {
        id: "0192a001-0000-7000-8000-000000000008",
        name: "St Ann's Advice Centre",
        address: "Robin Hood Chase",
        postcode: "NG3 2FS",
        family_hub: false,
        accessibility: "Ground floor interview rooms.",
    },
    Venue {
        id: "0192a001-0000-7000-8000-000000000009",
        name: "City centre health clinic",
        address: "Upper Parliament Street",
        postcode: "NG1 6HL",
        family_hub: false,
        accessibility: "Lift, accessible toilet, hearing loop.",
    },
];

/// Which partner organisation publishes which services (by its demo name).
struct Publisher {
    id: &'static str,
    partner: &'static str,
    description: &'static str,
    website: Option<&'static str>,
}

const PUBLISHERS: &[Publisher] = &[
    Publisher {
        id: "0192a002-0000-7000-8000-000000000001",
        partner: "Nottingham City Council (demo)",
        description: "The city council's Family Hubs, Early Help and youth services.",
        website: Some("https://www.example.org/family-hubs"),
    },
    Publisher {
        id: "0192a002-0000-7000-8000-000000000002",
        partner: "City 0-19 Health Service (demo)",
        description: "Health visiting, school nursing and infant feeding support for families.",
        website: None,
    },
    Publisher {
        id: "0192a002-0000-7000-8000-000000000003",
        partner: "Family Friends Volunteers (demo)",
        description: "Volunteers who visit families at home to help with the early years.",
        website: None,
    },
    Publisher {
        id: "0192a002-0000-7000-8000-000000000004",
        partner: "Young Minds Together (demo)",
        description: "Emotional wellbeing groups and one-to-one support for young people.",
        website: None,
    },
    Publisher {
        id: "0192a002-0000-7000-8000-000000000005",
        partner: "Meadows Community Pantry (demo)",
        description: "Food, money advice and help with bills in the Meadows.",
        website: None,
    },
];

struct DemoService {
    n: u8,
    publisher: usize,
    name: &'static str,
    description: &'static str,
    ages: (Option<f64>, Option<f64>),
    free: bool,
    cost: Option<&'static str>,
    access: AccessMethod,
    needs: &'static [&'static str],
    venues: &'static [usize],
    days: &'static [&'static str],
    hours: (&'static str, &'static str),
    languages: &'static [&'static str],
}

const SERVICES: &[DemoService] = &[
    DemoService { n: 1, publisher: 0, name: "Stay and Play", description: "Play sessions for babies and young children with their parents and carers: messy play, songs and stories, and a chance to meet other families.", ages: (Some(0.0), Some(4.0)), free: true, cost: None, access: AccessMethod::DropIn, needs: &["play_learning"], venues: &[0, 1, 2, 3], days: &["MO", "WE"], hours: ("09:30", "11:30"), languages: &["en", "ur", "pl"] },
    DemoService { n: 2, publisher: 0, name: "Incredible Years parenting group", description: "A free 12-week group for parents of children aged 2 to 5: praise and play, routines, calm ways to set limits. A crèche is provided.", ages: (Some(2.0), Some(5.0)), free: true, cost: None, access: AccessMethod::SelfReferral, needs: &["parenting"], venues: &[3], days: &["TU"], hours: ("10:00", "12:00"), languages: &["en", "ur", "pa"] },
    DemoService { n: 3, publisher: 0, name: "Parenting teenagers group", description: "An eight-week group for parents and carers of 11 to 16-year-olds: talking and listening, keeping safe online, boundaries.", ages: (Some(11.0), Some(16.0)), free: true, cost: None, access: AccessMethod::SelfReferral, needs: &["parenting", "relationships"], venues: &[1], days: &["TH"], hours: ("18:00", "20:00"), languages: &["en"] },
    DemoService { n: 4, publisher: 1, name: "Infant feeding drop-in", description: "Breastfeeding and bottle feeding support from trained infant feeding workers and peer supporters. Just come along.", ages: (Some(0.0), Some(1.0)), free: true, cost: None, access: AccessMethod::DropIn, needs: &["infant_feeding"], venues: &[0, 2, 3], days: &["FR"], hours: ("10:00", "12:00"), languages: &["en", "ar", "ur"] },
    DemoService { n: 5, publisher: 1, name: "Perinatal mental health support", description: "Support for parents who feel low, anxious or not themselves in pregnancy or after the baby arrives. Ask your midwife or health visitor.", ages: (None, Some(2.0)), free: true, cost: None, access: AccessMethod::ProfessionalReferral, needs: &["perinatal_mental_health", "wellbeing"], venues: &[8], days: &["MO", "TU", "WE", "TH", "FR"], hours: ("09:00", "17:00"), languages: &["en", "ar", "ro"] },
    DemoService { n: 6, publisher: 0, name: "SEND information and advice", description: "Advice for families of children with special educational needs and disabilities, up to age 25: education plans, short breaks and local support.", ages: (Some(0.0), Some(25.0)), free: true, cost: None, access: AccessMethod::SelfReferral, needs: &["send"], venues: &[3, 8], days: &["WE"], hours: ("13:00", "16:00"), languages: &["en", "bfi"] },
    DemoService { n: 7, publisher: 0, name: "Youth club", description: "Evening youth club with sport, music, cooking and trips. Youth workers are there to talk to.", ages: (Some(11.0), Some(19.0)), free: true, cost: None, access: AccessMethod::DropIn, needs: &["youth", "staying_safe"], venues: &[6, 5], days: &["TU", "TH"], hours: ("18:00", "21:00"), languages: &["en"] },
    DemoService { n: 8, publisher: 4, name: "Money and debt advice", description: "Free, confidential help with debts, benefits, bills and budgeting. Appointments and a weekly drop-in.", ages: (None, None), free: true, cost: None, access: AccessMethod::SelfReferral, needs: &["money"], venues: &[7, 2], days: &["MO", "TH"], hours: ("09:30", "15:30"), languages: &["en", "pl", "ro"] },
    DemoService { n: 9, publisher: 0, name: "Domestic abuse support for families", description: "Safety planning and support for parents and children affected by domestic abuse. Call the helpline; a worker will call back discreetly.", ages: (None, None), free: true, cost: None, access: AccessMethod::SelfReferral, needs: &["domestic_abuse", "relationships"], venues: &[8], days: &["MO", "TU", "WE", "TH", "FR"], hours: ("09:00", "17:00"), languages: &["en", "ar", "ur", "pa"] },
    DemoService { n: 10, publisher: 2, name: "Family Friends home visiting", description: "A trained volunteer visits once a week for a few months to help with the early years: routines, play, getting out and about, and someone to talk to.", ages: (Some(0.0), Some(5.0)), free: true, cost: None, access: AccessMethod::ProfessionalReferral, needs: &["parenting", "play_learning", "wellbeing"], venues: &[4], days: &["MO", "TU", "WE", "TH", "FR"], hours: ("09:00", "16:00"), languages: &["en", "ur", "pa", "pl"] },
    DemoService { n: 11, publisher: 3, name: "Teen wellbeing group", description: "A small group for 12 to 18-year-olds who feel anxious or low: coping skills, peer support, and one-to-one sessions if needed.", ages: (Some(12.0), Some(18.0)), free: true, cost: None, access: AccessMethod::ProfessionalReferral, needs: &["wellbeing", "youth"], venues: &[4, 6], days: &["WE"], hours: ("16:30", "18:00"), languages: &["en"] },
    DemoService { n: 12, publisher: 4, name: "Community pantry", description: "Weekly shop for members at a small fee: fresh food, store cupboard items and toiletries, with money advice on the spot.", ages: (None, None), free: false, cost: Some("£3.50 a week membership"), access: AccessMethod::DropIn, needs: &["money"], venues: &[2], days: &["SA"], hours: ("10:00", "13:00"), languages: &["en", "ar"] },
    DemoService { n: 13, publisher: 0, name: "Young parents together", description: "A friendly group for parents under 25 and their babies: baby massage, weaning, and help with college and work.", ages: (Some(0.0), Some(3.0)), free: true, cost: None, access: AccessMethod::DropIn, needs: &["parenting", "work"], venues: &[0], days: &["TH"], hours: ("13:00", "15:00"), languages: &["en"] },
    DemoService { n: 14, publisher: 0, name: "Housing advice for families", description: "Help if you are worried about losing your home, have rent arrears, or need to move for safety.", ages: (None, None), free: true, cost: None, access: AccessMethod::SelfReferral, needs: &["housing"], venues: &[7], days: &["TU", "FR"], hours: ("09:30", "12:30"), languages: &["en", "pl", "ro", "ar"] },
    DemoService { n: 15, publisher: 0, name: "School attendance support", description: "Family support workers who help when a child is missing school: talking to the school, routines, and getting help early.", ages: (Some(5.0), Some(16.0)), free: true, cost: None, access: AccessMethod::ProfessionalReferral, needs: &["school"], venues: &[1, 2], days: &["MO", "TU", "WE", "TH", "FR"], hours: ("08:30", "16:30"), languages: &["en", "ro"] },
    DemoService { n: 16, publisher: 0, name: "Family drug and alcohol support", description: "Confidential support for parents and young people affected by drugs or alcohol, including family members.", ages: (Some(10.0), None), free: true, cost: None, access: AccessMethod::SelfReferral, needs: &["substance_use"], venues: &[8], days: &["WE"], hours: ("10:00", "16:00"), languages: &["en"] },
    DemoService { n: 17, publisher: 0, name: "Baby and toddler music", description: "Singing and rhythm for babies and toddlers with their grown-ups. Small charge per session.", ages: (Some(0.0), Some(3.0)), free: false, cost: Some("£1 a session"), access: AccessMethod::DropIn, needs: &["play_learning"], venues: &[3], days: &["FR"], hours: ("13:30", "14:30"), languages: &["en"] },
    DemoService { n: 18, publisher: 0, name: "Dads' group", description: "A monthly Saturday group for dads, step-dads and male carers and their children: play, food, and a chat.", ages: (Some(0.0), Some(11.0)), free: true, cost: None, access: AccessMethod::DropIn, needs: &["parenting", "relationships"], venues: &[1], days: &["SA"], hours: ("10:00", "12:00"), languages: &["en", "pl"] },
];

fn id(text: &str) -> Result<Uuid, AppError> {
    text.parse()
        .map_err(|_| AppError::Internal(format!("demo id {text}")))
}

/// An id for the n-th part of a demo service, fixed so seeding again changes nothing.
fn part(service: u8, kind: u8, n: usize) -> Result<Uuid, AppError> {
    id(&format!("0192a003-{service:04x}-7{kind:03x}-8000-{n:012x}"))
}

impl Hearth {
    /// Adds the demo directory and postcodes. Returns how many services were added.
    pub async fn seed_demo_directory(&self) -> Result<usize, AppError> {
        self.ensure_directory_taxonomies().await?;
        let now = self.now();
        let today = now.date_naive();
        let mut tx = self.store.write().await?;
        for (pc, la, lo) in POSTCODES {
            if let (Some(p), Some(c)) = (Postcode::parse(pc), Coordinates::new(*la, *lo)) {
                dir::put_postcode(&mut tx, &p, c).await?;
            }
        }
        for (n, v) in VENUES.iter().enumerate() {
            let at = POSTCODES.iter().find(|(p, _, _)| *p == v.postcode);
            if dir::location(&mut tx, id(v.id)?).await.is_ok() {
                continue;
            }
            dir::put_location(
                &mut tx,
                &Location {
                    id: id(v.id)?,
                    name: v.name.into(),
                    description: None,
                    address_id: part(0, 1, n)?,
                    address_1: v.address.into(),
                    city: "Nottingham".into(),
                    postal_code: v.postcode.into(),
                    latitude: at.map(|a| a.1),
                    longitude: at.map(|a| a.2),
                    family_hub: v.family_hub,
                    accessibility_id: part(0, 2, n)?,
                    accessibility: Some(v.accessibility.into()),
                    source: LOCAL.into(),
                },
                now,
            )
            .await?;
        }
        let mut publishers = Vec::new();
        for p in PUBLISHERS {
            let partner = organisations::list(&mut tx)
                .await?
                .into_iter()
                .find(|o| o.name == p.partner)
                .ok_or(AppError::NotFound)?;
            let existing = dir::organisation_for_partner(&mut tx, partner.id).await?;
            let org = match existing {
                Some(o) => o,
                None => {
                    let o = DirectoryOrganisation {
                        id: id(p.id)?,
                        name: partner.name.trim_end_matches(" (demo)").to_string(),
                        description: p.description.into(),
                        email: None,
                        website: p.website.map(str::to_string),
                        partner_organisation_id: Some(partner.id),
                        source: LOCAL.into(),
                    };
                    dir::put_organisation(&mut tx, &self.policies.vocabulary, &o, now).await?;
                    o
                }
            };
            publishers.push(org);
        }
        let needs = dir::all_terms_of(&mut tx, id(NEEDS.id)?).await?;
        let mut added = 0;
        for s in SERVICES {
            let service_id = part(u8::MAX, 0, usize::from(s.n))?;
            if dir::service(&mut tx, service_id).await.is_ok() {
                continue;
            }
            let mut attributes = Vec::new();
            for (k, code) in s.needs.iter().enumerate() {
                if let Some(t) = needs.iter().find(|t| t.code == *code) {
                    attributes.push(dir::Attribute {
                        id: part(s.n, 3, k)?,
                        term_id: t.id,
                    });
                }
            }
            if let Some(t) = crate::directory::oruk::access_attribute_term(s.access) {
                attributes.push(dir::Attribute {
                    id: part(s.n, 3, 99)?,
                    term_id: t,
                });
            }
            let org = publishers.get(s.publisher).ok_or(AppError::NotFound)?;
            let entry = ServiceEntry {
                id: service_id,
                organisation_id: org.id,
                name: s.name.into(),
                description: s.description.into(),
                url: None,
                email: None,
                status: ServiceStatus::Active,
                minimum_age: s.ages.0,
                maximum_age: s.ages.1,
                free: s.free,
                cost_option_id: part(s.n, 4, 0)?,
                cost_description: s.cost.map(str::to_string),
                access: s.access,
                contact_id: part(s.n, 5, 0)?,
                contact_name: Some("Family Hub information line".into()),
                phone_id: part(s.n, 6, 0)?,
                phone: Some("0115 496 0123".into()),
                service_area_id: part(s.n, 7, 0)?,
                service_area: Some("Nottingham City".into()),
                last_reviewed: today - chrono::Days::new(u64::from(s.n) * 12),
                schedules: s
                    .days
                    .iter()
                    .enumerate()
                    .map(|(k, d)| {
                        Ok(dir::Schedule {
                            id: part(s.n, 8, k)?,
                            service_at_location_id: None,
                            byday: d.to_string(),
                            opens_at: Some(s.hours.0.into()),
                            closes_at: Some(s.hours.1.into()),
                            description: None,
                        })
                    })
                    .collect::<Result<_, AppError>>()?,
                languages: s
                    .languages
                    .iter()
                    .enumerate()
                    .map(|(k, c)| {
                        Ok(dir::Language {
                            id: part(s.n, 9, k)?,
                            code: c.to_string(),
                            name: crate::directory::language_label(c),
                        })
                    })
                    .collect::<Result<_, AppError>>()?,
                locations: s
                    .venues
                    .iter()
                    .map(|v| {
                        Ok(dir::ServiceAtLocation {
                            id: part(s.n, 10, *v)?,
                            location_id: id(VENUES.get(*v).ok_or(AppError::NotFound)?.id)?,
                        })
                    })
                    .collect::<Result<_, AppError>>()?,
                attributes,
                translations: translations_of(s.n),
            };
            dir::put_service(
                &mut tx,
                &self.policies.vocabulary,
                &entry,
                true,
                LOCAL,
                None,
                now,
            )
            .await?;
            added += 1;
        }
        Store::commit(tx).await?;
        Ok(added)
    }
}

/// The demo's translations of a few services' own words, as a partnership's editors would
/// write them.
fn translations_of(n: u8) -> Vec<dir::ServiceText> {
    let text = |language: &str, name: &str, description: &str| dir::ServiceText {
        language: language.into(),
        name: name.into(),
        description: description.into(),
    };
    match n {
        1 => vec![
            text("ar", "العب وابقَ", "جلسات لعب للرضّع والأطفال الصغار مع والديهم ومقدّمي الرعاية: لعب، أغانٍ وقصص، وفرصة للتعرّف على عائلات أخرى."),
            text("pl", "Zabawa z dzieckiem", "Zajęcia dla niemowląt i małych dzieci z rodzicami i opiekunami: zabawa, piosenki i bajki oraz okazja, by poznać inne rodziny."),
            text("ur", "کھیلیں اور ساتھ رہیں", "بچوں اور چھوٹے بچوں کے لیے ان کے والدین کے ساتھ کھیل کے سیشن: کھیل، گانے اور کہانیاں، اور دوسرے خاندانوں سے ملنے کا موقع۔"),
        ],
        2 => vec![
            text("ar", "مجموعة السنوات المذهلة للوالدين", "مجموعة مجانية لمدة 12 أسبوعاً لآباء وأمهات الأطفال من سن 2 إلى 5: الثناء واللعب، والروتين، وطرق هادئة لوضع الحدود. تتوفر حضانة."),
            text("pa", "ਇਨਕ੍ਰੈਡੀਬਲ ਈਅਰਜ਼ ਮਾਪਿਆਂ ਦਾ ਗਰੁੱਪ", "2 ਤੋਂ 5 ਸਾਲ ਦੇ ਬੱਚਿਆਂ ਦੇ ਮਾਪਿਆਂ ਲਈ 12 ਹਫ਼ਤਿਆਂ ਦਾ ਮੁਫ਼ਤ ਗਰੁੱਪ: ਸ਼ਾਬਾਸ਼ ਅਤੇ ਖੇਡ, ਰੁਟੀਨ, ਅਤੇ ਸ਼ਾਂਤੀ ਨਾਲ ਹੱਦਾਂ ਬਣਾਉਣ ਦੇ ਤਰੀਕੇ। ਬੱਚਿਆਂ ਦੀ ਦੇਖਭਾਲ ਮਿਲਦੀ ਹੈ।"),
            text("ur", "انکریڈیبل ایئرز والدین گروپ", "2 سے 5 سال کے بچوں کے والدین کے لیے 12 ہفتوں کا مفت گروپ: تعریف اور کھیل، روزمرہ کے معمولات، اور پرسکون طریقے سے حدود طے کرنا۔ بچوں کی دیکھ بھال کا انتظام ہے۔"),
        ],
        8 => vec![
            text("pl", "Porady w sprawie pieniędzy i długów", "Bezpłatna, poufna pomoc w sprawie długów, zasiłków, rachunków i budżetu domowego. Spotkania i cotygodniowe dyżury bez zapisów."),
            text("ro", "Consiliere pentru bani și datorii", "Ajutor gratuit și confidențial pentru datorii, beneficii, facturi și buget. Programări și o sesiune săptămânală fără programare."),
        ],
        _ => Vec::new(),
    }
}
