//! The built-in table of forenames that name the same person: English nicknames (Bill for
//! William, Peggy for Margaret) and the spellings a name takes when it is transliterated from
//! Arabic, Urdu, Bengali, Polish and others (Mohammed, Muhammad, Mohamed).
//!
//! Each line is one group; a name may sit in several groups ("chris" is Christopher's and
//! Christine's). Two forenames are variants when their groups intersect.

use std::collections::HashMap;
use std::sync::OnceLock;

const TABLE: &str = "\
abigail abi abby abbie gail
abdul abdool abdel abdal
abdullah abdulla abdallah
adam ad addy
adrian adi
agnes aggie nessa
ahmed ahmad ahmet achmed ahmedd
aisha ayesha aysha ayisha aishah
albert al bert bertie
alexander alex alec alexandr aleksander sasha sandy xander alistair alasdair
alexandra alex alexa sandra sasha lexi aleksandra alexandria
alfred alf alfie fred freddie
alice ally allie alicia
alan allan allen al
amanda mandy manda
andrew andy drew andre andrzej
angela angie
anthony tony antony anton antoni
ann anne anna annie nan nancy hannah
arthur art artie
barbara barb babs barbie
benjamin ben benny benji
bernard bernie barney
beatrice bea bee trixie
catherine katherine kathryn kate katie kath cathy kathy kat cath kitty katarzyna kasia caitlin
charles charlie chas chuck chaz carl karl
charlotte lottie charlie lotte
christopher chris kit christoph krzysztof
christine chris chrissie christina kristina tina kirsty kirstie
clifford cliff
daniel dan danny dani
david dave davey davie dawid dafydd
deborah debbie debra deb
donald don donny
dorothy dot dotty dolly
douglas doug dougie
edward ed eddie ted teddy ned edwin
eleanor ellie nell nellie elinor eleanore
elizabeth liz lizzie beth betty bess bessie eliza elisabeth libby lisa elspeth isabel
emily em emmy emilia
emma em emmie
eugene gene
evelyn evie eve
fatima fatimah fatma fatema
frances fran fanny francesca
francis frank frankie franciszek
frederick fred freddie freddy fredrick
gareth gaz gary
geoffrey geoff jeff jeffrey
george georgie geo jerzy
georgina georgie gina
gerald gerry jerry
gregory greg
gurpreet gurprit
gwendolyn gwen
harold harry hal
harpreet harprit
harriet hattie harri
helen helena nell ellen
henry harry hank hal henryk
herbert herb bert
hussain hussein husain hossain hosain husein
ibrahim ebrahim ibraheem abraham
isabella isabel izzy bella isobel
jacob jake jakub
jacqueline jackie jacquie
james jim jimmy jamie jas jimbo seamus
jane janey jayne jan
janet jan jess
jennifer jen jenny jenni
jessica jess jessie
joanne jo joanna joan
john jon johnny jack ian sean shaun jan johann jonathan ioan ion
jonathan jon jonny nathan
joseph joe joey jo jozef józef
joshua josh
judith judy jude
julia julie jules juliet
kenneth ken kenny
kimberley kim kimberly
lawrence laurence larry laurie
leonard len lenny leo
lesley leslie les
louise lou louisa lulu
margaret maggie meg peggy peg marge madge greta rita maisie daisy
martin marty
mary molly polly mae maria marie mariya maryam mariam miriam
matthew matt matty mateusz
michael mike mikey mick micky mickey michal
mohammed muhammad mohamed mohammad muhammed mohamad mohammod mohd muhamed mohamud mahomed
nathaniel nat nathan
nicholas nick nicky nic mikolaj
nicola nicky nikki nicole
oliver ollie olly
patricia pat patty tricia trish
patrick pat paddy
peter pete piotr
philip phil pip phillip filip
rachel rach rae
rebecca becky becca bex
richard rick ricky dick rich richie ryszard
robert rob bob bobby robbie bert robin
ronald ron ronnie
rosemary rose rosie
samuel sam sammy
samantha sam sammie
sarah sara sally sadie
siobhan shevaun chevonne
stephen steven steve stevie stefan
stuart stewart stu
susan sue susie suzanne susanna
terence terry
theodore theo ted teddy
thomas tom tommy tomasz
timothy tim timmy
valerie val
victoria vicky vicki tori
vincent vince vinnie
walter walt wally
william bill billy will willy liam wills wilhelm
yusuf yousef yousuf youssef joseph yosef
zachary zach zak zack
zainab zaynab zenab zeinab
";

/// Group numbers for each name in the table, built once.
fn index() -> &'static HashMap<&'static str, Vec<u16>> {
    static INDEX: OnceLock<HashMap<&'static str, Vec<u16>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut map: HashMap<&'static str, Vec<u16>> = HashMap::new();
        for (group, line) in TABLE.lines().enumerate() {
            for name in line.split_whitespace() {
                let groups = map.entry(name).or_default();
                let group = group as u16;
                if !groups.contains(&group) {
                    groups.push(group);
                }
            }
        }
        map
    })
}

/// The groups a folded forename belongs to; empty when the table does not know it.
pub fn groups(name: &str) -> &'static [u16] {
    index().get(name).map(Vec::as_slice).unwrap_or(&[])
}

/// Whether two folded forenames are variants of one name, however many groups either is in.
/// [`Groups`] keeps two per name for the pair loop; find-before-create scores a few hundred
/// candidates and can afford the whole list ("bert" is Albert's, Herbert's and Robert's).
pub fn are_variants(a: &str, b: &str) -> bool {
    let theirs = groups(b);
    groups(a).iter().any(|g| theirs.contains(g))
}

/// Up to two groups packed for a prepared record: which groups a name is in decides both
/// comparison and blocking, and two are enough for every ambiguous name in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Groups {
    first: u16,
    second: u16,
}

/// "No group": 0 cannot be used because the first line of the table is group 0.
const NO_GROUP: u16 = u16::MAX;

impl Groups {
    pub fn of(name: &str) -> Groups {
        let g = groups(name);
        Groups {
            first: g.first().copied().unwrap_or(NO_GROUP),
            second: g.get(1).copied().unwrap_or(NO_GROUP),
        }
    }

    pub fn none() -> Groups {
        Groups {
            first: NO_GROUP,
            second: NO_GROUP,
        }
    }

    /// The group used for blocking: the name's first (its most usual) meaning.
    pub fn primary(self) -> Option<u16> {
        (self.first != NO_GROUP).then_some(self.first)
    }

    pub fn shares_with(self, other: Groups) -> bool {
        let mine = [self.first, self.second];
        let theirs = [other.first, other.second];
        mine.iter()
            .any(|g| *g != NO_GROUP && theirs.iter().any(|h| h == g))
    }
}

/// Every spelling in the table: the synthetic data generator draws variants from it.
pub fn variants_of(name: &str) -> Vec<&'static str> {
    let gs = groups(name);
    let mut out: Vec<&'static str> = Vec::new();
    for (group, line) in TABLE.lines().enumerate() {
        if gs.contains(&(group as u16)) {
            for n in line.split_whitespace() {
                if n != name && !out.contains(&n) {
                    out.push(n);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nicknames_share_a_group() {
        assert!(Groups::of("bill").shares_with(Groups::of("william")));
        assert!(Groups::of("mohamed").shares_with(Groups::of("muhammad")));
        assert!(Groups::of("peggy").shares_with(Groups::of("margaret")));
        assert!(Groups::of("chris").shares_with(Groups::of("christine")));
        assert!(Groups::of("chris").shares_with(Groups::of("christopher")));
    }

    #[test]
    fn unrelated_names_do_not() {
        assert!(!Groups::of("bill").shares_with(Groups::of("robert")));
        assert!(!Groups::of("christopher").shares_with(Groups::of("christine")));
        assert!(!Groups::of("zebedee").shares_with(Groups::of("zebedee")));
        assert_eq!(Groups::of("zebedee"), Groups::none());
    }

    #[test]
    fn variants_are_listed_for_the_generator() {
        let v = variants_of("william");
        assert!(v.contains(&"bill"));
        assert!(!v.contains(&"william"));
    }
}
