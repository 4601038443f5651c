//! Early identification (issue 19): partners' data (school census, police notifications,
//! housing, health visiting, benefits, youth justice) matched to the family record so that
//! families are noticed early, with every match and every reason explained. Pure rules: the
//! feeds and what a row of each may say ([`feed`]), how an import's job reads
//! ([`import_job`]), how certain a match is ([`matching`]), the
//! indicators and the headline needs they point to ([`indicators`]), which families the
//! worklist shows ([`worklist`]), and the day a family was first identified, for the KPIs
//! ([`measures`]). People decide; nothing here acts on a family.

pub mod fairness;
pub mod feed;
pub mod import_job;
pub mod indicators;
pub mod matching;
pub mod measures;
pub mod worklist;
