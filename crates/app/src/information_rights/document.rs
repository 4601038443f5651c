//! The document a subject access request releases: everything gathered, less what the data
//! protection officer left out, in plain words. The same document is kept as sent (JSON, for
//! data portability), shown as a page and printed as a PDF.

use chrono::NaiveDate;
use hearth_domain::information_rights::{
    passages_left_out as passages_left_out_of, sentences, without_passages, PASSAGE_LEFT_OUT,
};
use hearth_store::information_rights::gathered::Section;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

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
    /// How many passages (sentences, a run of them counted once) were taken out of the items
    /// kept, for the same reason. Documents released before this was offered have none.
    #[serde(default)]
    pub passages_left_out: usize,
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
        // The sentences the officer ticked, by the item they were ticked in: a passage left
        // out of a note is left out of what repeats it too (its chronology entry, an earlier
        // version), whose fields are laid out differently, so they are matched by their words.
        let mut removed: HashMap<&str, Vec<&str>> = HashMap::new();
        for item in gathered.iter().flat_map(|s| &s.items) {
            for (n, field) in item.fields.iter().enumerate() {
                let gone = passages_left_out_of(redacted, &item.key, n);
                let all = sentences(&field.value);
                for i in gone {
                    if let Some(text) = all.get(i) {
                        removed
                            .entry(item.key.as_str())
                            .or_default()
                            .push(text.trim());
                    }
                }
            }
        }
        let removed: HashMap<String, Vec<String>> = removed
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.into_iter().map(str::to_string).collect()))
            .collect();
        let mut left_out = 0;
        let mut passages_left_out = 0;
        let sections = gathered
            .into_iter()
            .map(|mut s| {
                let before = s.items.len();
                s.items.retain(|i| !i.left_out_by(redacted));
                left_out += before - s.items.len();
                for item in &mut s.items {
                    let gone: Vec<&String> = [Some(&item.key), item.repeats.as_ref()]
                        .into_iter()
                        .flatten()
                        .filter_map(|k| removed.get(k))
                        .flatten()
                        .collect();
                    if gone.is_empty() {
                        continue;
                    }
                    for field in &mut item.fields {
                        let at: Vec<usize> = sentences(&field.value)
                            .iter()
                            .enumerate()
                            .filter(|(_, t)| gone.iter().any(|g| g.as_str() == t.trim()))
                            .map(|(i, _)| i)
                            .collect();
                        if !at.is_empty() {
                            field.value = without_passages(&field.value, &at);
                            passages_left_out += field.value.matches(PASSAGE_LEFT_OUT).count();
                        }
                    }
                }
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
            passages_left_out,
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
        if self.passages_left_out > 0 {
            out.push(format!(
                "We also took {} {} out of what we kept, for the same reason: each place shows \"{}\".",
                self.passages_left_out,
                if self.passages_left_out == 1 { "passage" } else { "passages" },
                PASSAGE_LEFT_OUT
            ));
        }
        out
    }
}
