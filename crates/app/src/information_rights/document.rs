//! The document a subject access request releases: everything gathered, less what the data
//! protection officer left out, in plain words. The same document is kept as sent (JSON, for
//! data portability), shown as a page and printed as a PDF.

use chrono::NaiveDate;
use hearth_store::information_rights::gathered::Section;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Who the document is about.
    pub person: String,
    /// Every id their data was held under (their record, then any joined to it).
    pub record_ids: Vec<String>,
    pub requested_by: String,
    pub received_on: NaiveDate,
    pub released_on: NaiveDate,
    /// How many items were left out because they tell of someone else.
    pub left_out: usize,
    pub sections: Vec<Section>,
}

impl Document {
    /// The document from what was gathered, leaving out the items whose keys are `redacted`
    /// and the items that repeat them (a note's chronology entry and earlier versions), whole:
    /// their fields do not reach the JSON, the page or the PDF.
    pub fn new(
        person: String,
        record_ids: Vec<String>,
        requested_by: String,
        received_on: NaiveDate,
        released_on: NaiveDate,
        gathered: Vec<Section>,
        redacted: &[String],
    ) -> Self {
        let mut left_out = 0;
        let sections = gathered
            .into_iter()
            .map(|mut s| {
                let before = s.items.len();
                s.items.retain(|i| !i.left_out_by(redacted));
                left_out += before - s.items.len();
                s
            })
            .collect();
        Self {
            person,
            record_ids,
            requested_by,
            received_on,
            released_on,
            left_out,
            sections,
        }
    }

    /// The opening words, the same in every format.
    pub fn introduction(&self) -> Vec<String> {
        let mut out = vec![
            format!(
                "This is the information the Family Help partnership holds about {}, as you asked on {} (a subject access request under the UK General Data Protection Regulation).",
                self.person,
                self.received_on.format("%-d %B %Y")
            ),
            "Each section below is one kind of record. Where a section says \"Nothing held\", we looked and found nothing of that kind.".to_string(),
        ];
        if self.left_out > 0 {
            out.push(format!(
                "We left out {} {} because {} about other people, whose privacy the law also protects. You can ask us why, or complain to the Information Commissioner's Office (ico.org.uk).",
                self.left_out,
                if self.left_out == 1 { "item" } else { "items" },
                if self.left_out == 1 { "it is mostly" } else { "they are mostly" }
            ));
        }
        out
    }
}
