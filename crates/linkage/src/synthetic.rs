//! A synthetic UK family dataset with known truth, for testing and benchmarking linkage.
//!
//! People live in households (couples, single parents, children, twins, a son named after
//! his father); each person appears in one to five agency records, each copied with the
//! mistakes real agency data has: nicknames, transliterated spellings, typing mistakes,
//! swapped names, partial or missing dates of birth, day and month swapped, moved addresses,
//! missing and mistyped postcodes. Everything is drawn from one seeded generator, so a seed
//! always gives the same file.

use crate::nicknames;
use crate::record::PersonRecord;
use crate::rng::SplitMix64;

#[derive(Debug, Clone)]
pub struct Config {
    /// Approximate number of records to produce (households are added until it is reached).
    pub records: usize,
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            records: 10_000,
            seed: 1,
        }
    }
}

pub struct Synthetic {
    pub records: Vec<PersonRecord>,
    /// The true person behind each record.
    pub person: Vec<u32>,
}

const MALE: &[&str] = &[
    "oliver",
    "george",
    "harry",
    "jack",
    "jacob",
    "noah",
    "charlie",
    "muhammad",
    "thomas",
    "oscar",
    "william",
    "james",
    "henry",
    "leo",
    "alfie",
    "joshua",
    "freddie",
    "archie",
    "ethan",
    "isaac",
    "alexander",
    "joseph",
    "edward",
    "samuel",
    "max",
    "daniel",
    "arthur",
    "lucas",
    "mohammed",
    "logan",
    "theo",
    "harrison",
    "benjamin",
    "mason",
    "sebastian",
    "finley",
    "adam",
    "dylan",
    "zachary",
    "riley",
    "teddy",
    "david",
    "john",
    "michael",
    "robert",
    "richard",
    "peter",
    "paul",
    "mark",
    "stephen",
    "andrew",
    "christopher",
    "matthew",
    "anthony",
    "kevin",
    "gary",
    "ian",
    "simon",
    "darren",
    "lee",
    "craig",
    "wayne",
    "dean",
    "ahmed",
    "ali",
    "hassan",
    "ibrahim",
    "yusuf",
    "omar",
    "arjun",
    "rohan",
    "harpreet",
    "gurpreet",
    "piotr",
    "jakub",
    "tomasz",
    "kacper",
    "oluwaseun",
    "chidi",
    "kwame",
    "tyrone",
    "jamal",
    "ciaran",
    "declan",
    "sean",
    "patrick",
    "rhys",
    "dafydd",
    "callum",
    "connor",
    "ryan",
    "liam",
    "kieran",
    "jordan",
    "aaron",
    "nathan",
    "luke",
    "alan",
    "kenneth",
    "frank",
];

const FEMALE: &[&str] = &[
    "olivia",
    "amelia",
    "isla",
    "ava",
    "emily",
    "isabella",
    "mia",
    "poppy",
    "ella",
    "lily",
    "sophia",
    "grace",
    "evie",
    "charlotte",
    "jessica",
    "daisy",
    "sophie",
    "freya",
    "alice",
    "ruby",
    "florence",
    "chloe",
    "phoebe",
    "matilda",
    "rosie",
    "elizabeth",
    "sarah",
    "emma",
    "hannah",
    "lucy",
    "katie",
    "laura",
    "rebecca",
    "amy",
    "rachel",
    "samantha",
    "nicola",
    "michelle",
    "lisa",
    "claire",
    "donna",
    "joanne",
    "karen",
    "susan",
    "julie",
    "tracey",
    "margaret",
    "patricia",
    "catherine",
    "jennifer",
    "deborah",
    "victoria",
    "helen",
    "louise",
    "fatima",
    "aisha",
    "zainab",
    "maryam",
    "amina",
    "khadija",
    "priya",
    "anjali",
    "simran",
    "harpreet",
    "katarzyna",
    "agnieszka",
    "zofia",
    "oluwadamilola",
    "chiamaka",
    "abena",
    "shanice",
    "aoife",
    "siobhan",
    "niamh",
    "caitlin",
    "megan",
    "bethan",
    "cerys",
    "eilidh",
    "kirsty",
    "leanne",
    "gemma",
    "stacey",
    "kelly",
    "natalie",
    "zoe",
    "jade",
    "holly",
    "abigail",
    "eleanor",
    "mary",
    "anne",
    "jane",
    "barbara",
    "dorothy",
    "christine",
    "joan",
];

const SURNAMES: &[&str] = &[
    "smith",
    "jones",
    "williams",
    "taylor",
    "brown",
    "davies",
    "evans",
    "wilson",
    "thomas",
    "johnson",
    "roberts",
    "robinson",
    "thompson",
    "wright",
    "walker",
    "white",
    "edwards",
    "hughes",
    "green",
    "hall",
    "lewis",
    "harris",
    "clarke",
    "patel",
    "jackson",
    "wood",
    "turner",
    "martin",
    "cooper",
    "hill",
    "ward",
    "morris",
    "moore",
    "clark",
    "lee",
    "king",
    "baker",
    "harrison",
    "morgan",
    "allen",
    "james",
    "scott",
    "phillips",
    "watson",
    "davis",
    "parker",
    "price",
    "bennett",
    "young",
    "griffiths",
    "mitchell",
    "kelly",
    "cook",
    "carter",
    "richardson",
    "bailey",
    "collins",
    "bell",
    "shaw",
    "murphy",
    "miller",
    "cox",
    "richards",
    "khan",
    "marshall",
    "anderson",
    "simpson",
    "ellis",
    "adams",
    "singh",
    "begum",
    "wilkinson",
    "foster",
    "chapman",
    "powell",
    "webb",
    "rogers",
    "gray",
    "mason",
    "ali",
    "hunt",
    "hussain",
    "campbell",
    "matthews",
    "owen",
    "palmer",
    "holmes",
    "mills",
    "barnes",
    "knight",
    "lloyd",
    "butler",
    "russell",
    "barker",
    "fisher",
    "stevens",
    "jenkins",
    "murray",
    "dixon",
    "harvey",
    "ahmed",
    "chaudhry",
    "mohammed",
    "kaur",
    "rahman",
    "islam",
    "kowalski",
    "nowak",
    "wisniewski",
    "okafor",
    "adeyemi",
    "mensah",
    "osei",
    "obrien",
    "oconnor",
    "mcdonald",
    "macleod",
    "fraser",
    "reid",
    "stewart",
    "robertson",
    "sharma",
    "gupta",
    "shah",
    "mistry",
    "chen",
    "wang",
    "nguyen",
    "tran",
    "yilmaz",
    "demir",
];

/// Spellings of one surname that different agencies use for the same family.
const SURNAME_VARIANTS: &[&[&str]] = &[
    &[
        "chaudhry",
        "choudhury",
        "chowdhury",
        "chaudhary",
        "choudhry",
    ],
    &["mohammed", "muhammad", "mohamed", "mohammad"],
    &["hussain", "hussein", "husain", "hossain"],
    &["ahmed", "ahmad", "ahmet"],
    &["rahman", "rehman", "rahmaan"],
    &["kowalski", "kowalsky"],
    &["nowak", "novak"],
    &["wisniewski", "wisnewski", "vishnevsky"],
    &["obrien", "o'brien", "o brien"],
    &["oconnor", "o'connor", "o connor"],
    &["mcdonald", "macdonald"],
    &["macleod", "mcleod"],
    &["begum", "begam"],
    &["yilmaz", "yılmaz"],
    &["thompson", "thomson"],
    &["clarke", "clark"],
    &["davies", "davis"],
];

/// Syllables for the long tail of rarer surnames.
const SYLLABLES: &[&str] = &[
    "ash", "bar", "ber", "brook", "by", "cal", "car", "ton", "den", "dale", "ford", "ham", "hurst",
    "ing", "ley", "mer", "mond", "nor", "ridge", "ster", "wick", "well", "worth", "field", "stone",
    "haw", "kin", "lan", "mor", "pen", "rad", "shaw", "thorn", "win", "ward", "gold", "fitz",
    "stan", "bur", "holt", "lock", "more", "ow", "ing", "el", "ay", "ett",
];

const STREETS: &[&str] = &[
    "High",
    "Station",
    "Church",
    "Park",
    "Victoria",
    "Green",
    "Manor",
    "Kings",
    "Queens",
    "Mill",
    "School",
    "New",
    "Albert",
    "Grange",
    "North",
    "South",
    "West",
    "Chapel",
    "Windsor",
    "York",
    "Springfield",
    "Elm",
    "Oak",
    "Beech",
    "Cedar",
    "Willow",
    "Ash",
    "Meadow",
    "Orchard",
    "Brook",
    "Forest",
    "Hill",
    "Castle",
    "Market",
    "Bridge",
    "Abbey",
    "Clifton",
    "Lenton",
    "Mansfield",
    "Derby",
    "Carlton",
    "Woodland",
    "Sherwood",
    "Trent",
];

const STREET_TYPES: &[(&str, &str)] = &[
    ("Road", "Rd"),
    ("Street", "St"),
    ("Avenue", "Ave"),
    ("Lane", "Ln"),
    ("Close", "Cl"),
    ("Drive", "Dr"),
    ("Crescent", "Cres"),
    ("Gardens", "Gdns"),
];

const TOWNS: &[(&str, &str)] = &[
    ("Nottingham", "NG"),
    ("Leeds", "LS"),
    ("Manchester", "M"),
    ("Birmingham", "B"),
    ("Sheffield", "S"),
    ("Bristol", "BS"),
    ("Leicester", "LE"),
    ("Derby", "DE"),
    ("Bradford", "BD"),
    ("Liverpool", "L"),
    ("Newcastle", "NE"),
    ("Cardiff", "CF"),
    ("Coventry", "CV"),
    ("Hull", "HU"),
    ("Stoke", "ST"),
    ("Wolverhampton", "WV"),
    ("Plymouth", "PL"),
    ("Southampton", "SO"),
    ("Reading", "RG"),
    ("Luton", "LU"),
];

/// The year the data is "collected": ages are relative to it.
const NOW: i32 = 2024;

struct Household {
    number: u32,
    street: String,
    town: &'static str,
    postcode: String,
}

#[derive(Clone)]
struct Person {
    first: String,
    surname: String,
    year: i32,
    month: u8,
    day: u8,
    /// "jr", "sr" or empty.
    marker: &'static str,
    home: usize,
}

struct Draw {
    rng: SplitMix64,
    male_cdf: Vec<f64>,
    female_cdf: Vec<f64>,
    surname_cdf: Vec<f64>,
}

/// Cumulative Zipf weights: a few names are very common and most are rare, as in real
/// registers. Term-frequency adjustment needs that shape to be tested at all.
fn zipf_cdf(n: usize, s: f64) -> Vec<f64> {
    let mut acc = 0.0;
    let mut v: Vec<f64> = (1..=n)
        .map(|r| {
            acc += 1.0 / (r as f64).powf(s);
            acc
        })
        .collect();
    for x in &mut v {
        *x /= acc;
    }
    v
}

fn from_cdf(rng: &mut SplitMix64, cdf: &[f64]) -> usize {
    let x = rng.unit();
    cdf.partition_point(|&c| c < x).min(cdf.len() - 1)
}

impl Draw {
    fn chance(&mut self, p: f64) -> bool {
        self.rng.unit() < p
    }

    fn index(&mut self, n: usize) -> usize {
        self.rng.below(n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    fn forename(&mut self, male: bool) -> String {
        if male {
            MALE[from_cdf(&mut self.rng, &self.male_cdf)].to_string()
        } else {
            FEMALE[from_cdf(&mut self.rng, &self.female_cdf)].to_string()
        }
    }

    fn surname(&mut self) -> String {
        // Two in five families have a rarer name built from syllables: the long tail.
        if self.chance(0.4) {
            let parts = 2 + self.index(2);
            let mut s = String::new();
            for _ in 0..parts {
                let syllable = self.pick::<&str>(SYLLABLES);
                s.push_str(syllable);
            }
            s
        } else {
            SURNAMES[from_cdf(&mut self.rng, &self.surname_cdf)].to_string()
        }
    }

    fn dob_in(&mut self, from: i32, to: i32) -> (i32, u8, u8) {
        let year = from + self.index((to - from + 1).max(1) as usize) as i32;
        (year, 1 + self.index(12) as u8, 1 + self.index(28) as u8)
    }

    fn household(&mut self) -> Household {
        let (town, area) = *self.pick(TOWNS);
        let district = 1 + self.index(25);
        let sector = self.index(10);
        let letters = b"ABDEFGHJLNPQRSTUWXYZ";
        let unit: String = (0..2).map(|_| *self.pick(letters) as char).collect();
        let (street_type, _) = *self.pick(STREET_TYPES);
        Household {
            number: 1 + self.index(180) as u32,
            street: format!("{} {}", self.pick(STREETS), street_type),
            town,
            postcode: format!("{area}{district} {sector}{unit}"),
        }
    }
}

/// Generates a dataset of about `config.records` records.
pub fn generate(config: &Config) -> Synthetic {
    let mut d = Draw {
        rng: SplitMix64::new(config.seed),
        // Exponents chosen so the commonest forename is about 7% of its sex and the
        // commonest surname about 3.5% of people: a little more concentrated than England,
        // which keeps term frequencies and blocking honest.
        male_cdf: zipf_cdf(MALE.len(), 0.6),
        female_cdf: zipf_cdf(FEMALE.len(), 0.6),
        surname_cdf: zipf_cdf(SURNAMES.len(), 0.6),
    };
    let mut homes: Vec<Household> = Vec::new();
    let mut people: Vec<Person> = Vec::new();
    let mut copies: Vec<usize> = Vec::new();
    let mut planned = 0usize;
    while planned < config.records {
        let start = people.len();
        make_household(&mut d, &mut homes, &mut people);
        for _ in start..people.len() {
            // One to five records a person, mean about 1.9.
            let x = d.rng.unit();
            let n = match x {
                x if x < 0.45 => 1,
                x if x < 0.75 => 2,
                x if x < 0.90 => 3,
                x if x < 0.97 => 4,
                _ => 5,
            };
            copies.push(n);
            planned += n;
        }
    }
    let mut records = Vec::with_capacity(planned);
    let mut person = Vec::with_capacity(planned);
    for (p, &n) in copies.iter().enumerate() {
        for copy in 0..n {
            records.push(corrupt(&mut d, &people[p], &homes, copy));
            person.push(p as u32);
        }
    }
    // Shuffle so duplicates are not neighbours, then number the records.
    for i in (1..records.len()).rev() {
        let j = d.index(i + 1);
        records.swap(i, j);
        person.swap(i, j);
    }
    for (i, r) in records.iter_mut().enumerate() {
        r.id = format!("r{i}");
    }
    Synthetic { records, person }
}

fn make_household(d: &mut Draw, homes: &mut Vec<Household>, people: &mut Vec<Person>) {
    homes.push(d.household());
    let home = homes.len() - 1;
    let surname = d.surname();
    let kind = d.rng.unit();
    let adult = |d: &mut Draw, male: bool, surname: &str| {
        let (year, month, day) = d.dob_in(NOW - 75, NOW - 20);
        Person {
            first: d.forename(male),
            surname: surname.to_string(),
            year,
            month,
            day,
            marker: "",
            home,
        }
    };
    if kind < 0.25 {
        let male = d.chance(0.5);
        people.push(adult(d, male, &surname));
        return;
    }
    let couple = kind < 0.85;
    let father_index = people.len();
    people.push(adult(d, true, &surname));
    if couple {
        // One partner in five keeps their own surname.
        let own = if d.chance(0.2) {
            d.surname()
        } else {
            surname.clone()
        };
        let mut mother = adult(d, false, &own);
        mother.year = people[father_index].year + d.index(9) as i32 - 4;
        people.push(mother);
    } else if d.chance(0.8) {
        // A single parent is more often the mother.
        people[father_index] = adult(d, false, &surname);
    }
    if kind < 0.45 {
        return;
    }
    let parent_year = people[father_index].year;
    let children = 1 + d.index(4);
    let child_surname = if couple && d.chance(0.05) {
        let other = d.surname();
        format!("{surname}-{other}")
    } else {
        surname.clone()
    };
    let mut c = 0;
    while c < children {
        let earliest = (parent_year + 18).max(NOW - 18);
        let latest = (parent_year + 45).min(NOW);
        if earliest > latest {
            break;
        }
        let (year, month, day) = d.dob_in(earliest, latest);
        let male = d.chance(0.5);
        let mut child = Person {
            first: d.forename(male),
            surname: child_surname.clone(),
            year,
            month,
            day,
            marker: "",
            home,
        };
        // A son named after his father, at the same address: the Jr/Sr case.
        let father_is_male = MALE.contains(&people[father_index].first.as_str());
        if male && father_is_male && d.chance(0.04) {
            child.first = people[father_index].first.clone();
            child.surname = people[father_index].surname.clone();
            child.marker = "jr";
            people[father_index].marker = "sr";
        }
        people.push(child.clone());
        c += 1;
        // Twins: same date of birth, same surname, same address, different names.
        if d.chance(0.04) {
            let mut twin = child;
            twin.marker = "";
            twin.surname = child_surname.clone();
            loop {
                let male = d.chance(0.5);
                let name = d.forename(male);
                if name != twin.first {
                    twin.first = name;
                    break;
                }
            }
            people.push(twin);
            c += 1;
        }
    }
}

/// One agency's record of a person. The first copy is the cleanest.
fn corrupt(d: &mut Draw, p: &Person, homes: &[Household], copy: usize) -> PersonRecord {
    let rate = if copy == 0 { 0.5 } else { 1.0 };
    let mut first = p.first.clone();
    let mut surname = p.surname.clone();
    if d.chance(0.10 * rate) {
        let v = nicknames::variants_of(&first);
        if !v.is_empty() {
            first = d.pick(&v).to_string();
        }
    }
    if d.chance(0.05 * rate) {
        first = typo(d, &first);
    }
    if d.chance(0.02 * rate) {
        first.truncate(1);
    }
    if let Some(group) = SURNAME_VARIANTS
        .iter()
        .find(|g| g.contains(&surname.as_str()))
    {
        if d.chance(0.5) {
            surname = d.pick(group).to_string();
        }
    }
    if surname.contains('-') && d.chance(0.3) {
        let parts: Vec<&str> = surname.split('-').collect();
        surname = d.pick(&parts).to_string();
    }
    if d.chance(0.05 * rate) {
        surname = typo(d, &surname);
    }
    if !p.marker.is_empty() && d.chance(0.5) {
        surname = format!("{surname} {}", p.marker);
    }
    if d.chance(0.01 * rate) {
        std::mem::swap(&mut first, &mut surname);
    }
    if d.chance(0.01 * rate) {
        first.clear();
    }
    let (mut year, mut month, mut day) = (p.year, p.month, p.day);
    if d.chance(0.03 * rate) {
        // One digit mistyped: the day's last digit or the year's.
        if d.chance(0.5) {
            day = (day / 10) * 10 + ((day % 10 + 1 + d.index(8) as u8) % 10);
            if day == 0 || day > 28 {
                day = p.day;
            }
        } else {
            year = (year / 10) * 10 + ((year % 10 + 1 + d.index(8) as i32) % 10);
        }
    }
    if d.chance(0.02 * rate) && day <= 12 {
        std::mem::swap(&mut day, &mut month);
    }
    let dob = match d.rng.unit() {
        x if x < 0.05 * rate => String::new(),
        x if x < 0.08 * rate => format!("{year:04}"),
        _ => format!("{year:04}-{month:02}-{day:02}"),
    };
    let moved = copy > 0 && d.chance(0.12);
    let home = if moved {
        &homes[d.index(homes.len())]
    } else {
        &homes[p.home]
    };
    let mut postcode = home.postcode.clone();
    if d.chance(0.02 * rate) {
        postcode = typo_keep_shape(d, &postcode);
    }
    if d.chance(0.04 * rate) {
        postcode.clear();
    }
    let street = if d.chance(0.3) {
        abbreviate(&home.street)
    } else {
        home.street.clone()
    };
    let address = match d.rng.unit() {
        x if x < 0.05 * rate => String::new(),
        x if x < 0.35 => format!("{} {}", home.number, street),
        _ => format!("{} {}, {}", home.number, street, home.town),
    };
    PersonRecord {
        id: String::new(),
        first_name: title_case(&first),
        surname: title_case(&surname),
        dob,
        postcode,
        address,
        locality: String::new(),
    }
}

fn abbreviate(street: &str) -> String {
    for (long, short) in STREET_TYPES {
        if let Some(stem) = street.strip_suffix(long) {
            return format!("{stem}{short}");
        }
    }
    street.to_string()
}

/// One keyboard slip: a letter dropped, doubled, swapped with its neighbour or replaced.
fn typo(d: &mut Draw, s: &str) -> String {
    let mut b: Vec<u8> = s.bytes().collect();
    if b.len() < 3 || !s.is_ascii() {
        return s.to_string();
    }
    let i = 1 + d.index(b.len() - 1);
    match d.index(4) {
        0 => {
            b.remove(i);
        }
        1 => b.insert(i, b[i]),
        2 if i + 1 < b.len() => b.swap(i, i + 1),
        _ => b[i] = b'a' + d.index(26) as u8,
    }
    String::from_utf8(b).unwrap_or_else(|_| s.to_string())
}

/// A postcode typo that keeps it postcode-shaped: one inward letter replaced.
fn typo_keep_shape(d: &mut Draw, postcode: &str) -> String {
    let mut b: Vec<u8> = postcode.bytes().collect();
    let n = b.len();
    if n >= 2 {
        b[n - 1 - d.index(2)] = b'A' + d.index(26) as u8;
    }
    String::from_utf8(b).unwrap_or_else(|_| postcode.to_string())
}

fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = c == ' ' || c == '-' || c == '\'';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_data() {
        let a = generate(&Config {
            records: 2000,
            seed: 5,
        });
        let b = generate(&Config {
            records: 2000,
            seed: 5,
        });
        assert_eq!(a.records, b.records);
        assert_eq!(a.person, b.person);
        let c = generate(&Config {
            records: 2000,
            seed: 6,
        });
        assert_ne!(a.records, c.records);
    }

    #[test]
    fn has_duplicates_twins_and_juniors() {
        let s = generate(&Config {
            records: 20_000,
            seed: 9,
        });
        assert!(s.records.len() >= 20_000);
        let people = s.person.iter().max().map(|m| *m as usize + 1).unwrap_or(0);
        assert!(people < s.records.len() * 3 / 4, "duplicates exist");
        assert!(s.records.iter().any(|r| r.surname.ends_with(" Jr")));
        assert!(s.records.iter().any(|r| r.surname.ends_with(" Sr")));
        assert!(
            s.records.iter().any(|r| r.dob.len() == 4),
            "year-only dates"
        );
        assert!(s.records.iter().any(|r| r.dob.is_empty()));
        assert!(s.records.iter().any(|r| r.surname.contains('-')));
    }
}
