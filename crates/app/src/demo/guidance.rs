//! The demo's practice guidance: a few toolkit pages written by the hubs' TAF Worker, one for
//! each step of the journey that links to guidance, so "Guidance on …" never opens an empty list.

use crate::practice::ToolkitForm;
use crate::{AppError, Hearth};
use chrono::Datelike;
use hearth_domain::practice::PracticeStep;

const TAF_WORKER: &str = "taf-worker@demo.hearth.test";

/// (title, summary, body in Markdown, step)
const PAGES: &[(&str, &str, &str, PracticeStep)] = &[
    (
        "Before you ask the front door for help",
        "What to do first, and what the front door needs to know.",
        "## Talk to the family first\n- Tell them what worries you and why you want to ask for help.\n- Ask if they agree to share their information. If they do not, you can still ask when a child may be at risk.\n\n## What to write\n- What is happening, for whom, and since when.\n- What the family think, in their words.\n- What has already been tried.\n\nIf a child may be suffering significant harm, phone the MASH now.",
        PracticeStep::AskingForHelp,
    ),
    (
        "Deciding the level of need at the front door",
        "Reading a request against the Threshold of Need.",
        "## Start from the family's needs\n- Read each need against the indicators for each level.\n- Check what other agencies already know, and any earlier requests.\n\n## Say why\n- Write the rationale so the requester and the family understand it.\n- Name the lead professional who knows the family best.\n\nAny concern of significant harm goes to the MASH the same day.",
        PracticeStep::Decision,
    ),
    (
        "The whole-family assessment: a short guide",
        "How to write an assessment the family recognise.",
        "## Who to hear from\n- Every adult and child in the household, and the child on their own where it is safe.\n- Other agencies who know the family.\n\n## What good looks like\n- Strengths first, then worries, in plain words.\n- The child's voice in their own words.\n- Each need linked to what will help.",
        PracticeStep::Assessment,
    ),
    (
        "What a good family plan looks like",
        "SMART actions the family can follow.",
        "## Each action\n- Says who does what, by when.\n- Is written so the family can read it without help.\n- Links to the need it meets.\n\n## Three questions (Signs of Safety)\n1. What are we worried about?\n2. What is working well?\n3. What needs to happen?",
        PracticeStep::Plan,
    ),
    (
        "How to run a Team Around the Family meeting",
        "Plan, hold and record a TAF meeting the family lead.",
        "## Before\n- Agree the time and place with the family.\n- Invite everyone on the plan.\n\n## During\n- Start with what has gone well.\n- Go through each action: done, not done, what next.\n\n## After\n- Record the review the same week.\n- Send the family the plan in their words.",
        PracticeStep::TafMeeting,
    ),
    (
        "Closing an episode well",
        "Ending help so that the change lasts.",
        "## Before closing\n- Agree with the family that the plan's outcomes are met.\n- Tell them where to go if things get hard again, such as their Family Hub.\n\n## Step down, not drop off\n- Hand over to universal services with a summary, so the family do not tell their story again.",
        PracticeStep::Closure,
    ),
];

impl Hearth {
    /// Publishes the demo's guidance unless some guidance exists. Returns how many pages.
    pub async fn seed_demo_guidance(&self) -> Result<usize, AppError> {
        let Some(taf) = self.demo_actor(TAF_WORKER).await? else {
            return Ok(0);
        };
        if !self.search_toolkits("").await?.is_empty() {
            return Ok(0);
        }
        let review = self.now().date_naive();
        for (title, summary, body, step) in PAGES {
            let form = ToolkitForm {
                title: (*title).into(),
                summary: (*summary).into(),
                body: (*body).into(),
                step: step.code().into(),
                review_day: review.day().to_string(),
                review_month: review.month().to_string(),
                review_year: (review.year() + 1).to_string(),
                version: 0,
            };
            self.publish_toolkit_page(&taf, None, &form).await?;
        }
        Ok(PAGES.len())
    }
}
