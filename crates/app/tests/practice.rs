//! Practice support through the app's public interface, on both engines: the Threshold of
//! Need published in editions (the default until then), toolkits versioned and found by
//! their words, challenges to a front-door decision through the escalation stages, and
//! consultations with a Family Hub's TAF Workers, with the refusals audited.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::practice::{
    AnswerForm, ChallengeForm, ChallengeUpdate, ConsultationForm, ThresholdForm, ToolkitForm,
};
use hearth_app::{AppError, Hearth, Store};
use hearth_domain::continuum::ContinuumLevel;
use hearth_domain::disagreement::{ChallengeOutcome, Stage};
use hearth_domain::ids::{EpisodeId, RequestId};
use hearth_domain::practice::{Part, PracticeStep};
use hearth_testkit::app::{actor, hearth};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use sqlx::Row;

async fn refusals(store: &Store) -> i64 {
    let mut conn = store.read().await.unwrap();
    sqlx::query("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'access_denied'")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

async fn events(store: &Store, action: &str) -> i64 {
    let mut conn = store.read().await.unwrap();
    sqlx::query("SELECT COUNT(*) AS n FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

/// A school asks for help; the front door opens Early Family Help with the school's lead.
async fn decided(h: &Hearth, name: &str) -> (EpisodeId, RequestId) {
    let lead = actor(h, "lead@demo.hearth.test").await;
    let opened = Family::new(name)
        .child("Mia", "01/02/2016")
        .need("housing")
        .early_help(h, &lead, "School knows the family best")
        .await;
    let request = h
        .episode(&lead, opened.episode)
        .await
        .unwrap()
        .episode
        .request_id
        .unwrap();
    (opened.episode, request)
}

fn page(title: &str, body: &str, step: &str) -> ToolkitForm {
    ToolkitForm {
        title: title.into(),
        summary: "How to do it well, in plain words.".into(),
        body: body.into(),
        step: step.into(),
        review_day: "1".into(),
        review_month: "6".into(),
        review_year: (hearth_testkit::app::years_ago(-1)[6..]).into(),
        version: 0,
    }
}

both_engines!(
    the_threshold_is_nottinghams_until_the_partnership_publishes_its_own_and_every_edition_is_kept,
    |store| async move {
        let h = hearth(store.clone()).await;
        let t = h.threshold(None).await.unwrap();
        assert_eq!((t.in_force, t.edition.is_none()), (0, true));
        assert!(t
            .threshold
            .text(ContinuumLevel::Universal, Part::Description)
            .contains("doing well"));

        // A practitioner may read it, not publish it (refused, audited).
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let before = refusals(&store).await;
        let mut form = ThresholdForm::of(&t);
        form.note = "Housing indicators agreed with City Homes".into();
        assert!(matches!(
            h.publish_threshold(&lead, &form).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(refusals(&store).await, before + 1);

        // A TAF Worker publishes edition 1; a level without its description is refused.
        let taf = actor(&h, "taf-worker@demo.hearth.test").await;
        let field = Part::Indicator(hearth_domain::need::NeedDomain::SecureHousing)
            .field(ContinuumLevel::EarlyFamilyHelp);
        form.fields
            .insert(field.clone(), "Rent arrears of two months or more.".into());
        let mut broken = form.clone();
        broken.fields.insert(
            Part::Description.field(ContinuumLevel::Specialist),
            " ".into(),
        );
        let Err(AppError::Invalid(errors)) = h.publish_threshold(&taf, &broken).await else {
            panic!("a level without its description is refused");
        };
        assert!(errors.get("level4-description").is_some());
        assert_eq!(h.publish_threshold(&taf, &form).await.unwrap(), 1);
        // Someone else's form written from the default is now out of date.
        assert!(matches!(
            h.publish_threshold(&taf, &form).await,
            Err(AppError::Conflict)
        ));
        let now = h.threshold(None).await.unwrap();
        assert_eq!(now.in_force, 1);
        assert_eq!(
            now.threshold
                .indicators_for(&[hearth_domain::need::NeedDomain::SecureHousing])[1]
                .1[0]
                .1,
            "Rent arrears of two months or more."
        );
        // The default is still there to read.
        let old = h.threshold(Some(0)).await.unwrap();
        assert!(!old.is_in_force());
        assert_eq!(events(&store, "threshold_published").await, 1);
    }
);

both_engines!(
    toolkit_pages_are_versioned_owned_and_found_by_their_words,
    |store| async move {
        let h = hearth(store.clone()).await;
        let taf = actor(&h, "taf-worker@demo.hearth.test").await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let id = h
            .publish_toolkit_page(
                &taf,
                None,
                &page(
                    "Running a TAF meeting",
                    "## Before\nInvite the family first. Use the Signs of Safety three columns.",
                    "taf_meeting",
                ),
            )
            .await
            .unwrap();
        h.publish_toolkit_page(
            &taf,
            None,
            &page(
                "What a good assessment looks like",
                "Strengths first; 50% of it is listening.",
                "assessment",
            ),
        )
        .await
        .unwrap();
        // Every word must be there; case does not matter; LIKE's wildcards are only text.
        let found = h.search_toolkits("signs of SAFETY").await.unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].id, id);
        assert_eq!(found[0].owner, "Tamsin Tafworker");
        assert_eq!(h.search_toolkits("signs housing").await.unwrap().len(), 0);
        assert_eq!(h.search_toolkits("50%").await.unwrap().len(), 1);
        assert_eq!(
            h.search_toolkits("%").await.unwrap().len(),
            2,
            "no words: every page"
        );
        assert_eq!(h.search_toolkits("_").await.unwrap().len(), 2);
        assert_eq!(
            h.toolkits_for(PracticeStep::Assessment)
                .await
                .unwrap()
                .len(),
            1
        );

        // A new version keeps the old one; a save from an out-of-date copy is refused.
        let mut next = page(
            "Running a TAF meeting",
            "Invite the family first; chair it with them.",
            "taf_meeting",
        );
        next.version = 1;
        h.publish_toolkit_page(&taf, Some(id), &next).await.unwrap();
        assert!(matches!(
            h.publish_toolkit_page(&taf, Some(id), &next).await,
            Err(AppError::Conflict)
        ));
        let now = h.toolkit_page(&lead, id, None).await.unwrap();
        assert_eq!((now.page.version, now.versions.len()), (2, 2));
        assert!(!now.may_edit);
        let first = h.toolkit_page(&lead, id, Some(1)).await.unwrap();
        assert!(first.page.text.body.contains("Signs of Safety"));
        assert_eq!(
            h.search_toolkits("signs").await.unwrap().len(),
            0,
            "search reads the version in force"
        );

        // A practitioner cannot publish (refused, audited); a review date must be ahead.
        let before = refusals(&store).await;
        assert!(matches!(
            h.publish_toolkit_page(&lead, None, &page("Mine", "Text", ""))
                .await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(refusals(&store).await, before + 1);
        let mut past = page("Old", "Text", "");
        past.review_year = "2020".into();
        let Err(AppError::Invalid(errors)) = h.publish_toolkit_page(&taf, None, &past).await else {
            panic!("a review date in the past is refused");
        };
        assert!(errors.get("review_on").is_some());
        assert_eq!(events(&store, "toolkit_page_published").await, 3);
    }
);

both_engines!(
    a_challenge_to_a_decision_goes_through_the_stages_and_only_the_front_door_settles_it,
    |store| async move {
        let h = hearth(store.clone()).await;
        let (_, request) = decided(&h, "Okafor").await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let front = actor(&h, "frontdoor@demo.hearth.test").await;
        let manager = actor(&h, "manager@demo.hearth.test").await;
        let stranger = actor(&h, "vcs-worker@demo.hearth.test").await;

        // Before any challenge the front door has nothing to settle, and a stranger nothing
        // to read: both refused and audited.
        let before = refusals(&store).await;
        assert!(matches!(
            h.challenges(&manager, request).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.challenge_decision(
                &stranger,
                request,
                &ChallengeForm {
                    about: "Wrong".into(),
                    level_sought: String::new()
                }
            )
            .await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(refusals(&store).await, before + 2);

        // The requester challenges the level.
        let form = ChallengeForm {
            about: "Eviction is listed for next week: this is Targeted Family Help.".into(),
            level_sought: "3".into(),
        };
        h.challenge_decision(&lead, request, &form).await.unwrap();
        let Err(AppError::Invalid(errors)) = h.challenge_decision(&lead, request, &form).await
        else {
            panic!("one open challenge at a time");
        };
        assert!(errors.get("about").is_some());
        let c = h.challenges(&lead, request).await.unwrap();
        assert!(c.may_raise && !c.may_settle);
        let x = c.list[0].clone();
        assert_eq!(
            (x.stage, x.level_sought),
            (
                Stage::Conversation,
                Some(ContinuumLevel::TargetedFamilyHelp)
            )
        );

        // The requester cannot settle it; the front door moves it to stage 2.
        let next = ChallengeUpdate {
            action: "next_stage".into(),
            version: x.version,
            ..ChallengeUpdate::default()
        };
        let before = refusals(&store).await;
        assert!(matches!(
            h.update_challenge(&lead, request, x.id, &next).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(refusals(&store).await, before + 1);
        h.update_challenge(&front, request, x.id, &next)
            .await
            .unwrap();
        assert!(matches!(
            h.update_challenge(&front, request, x.id, &next).await,
            Err(AppError::Conflict)
        ));
        // A manager resolves it at stage 2: the outcome is required.
        let c = h.challenges(&manager, request).await.unwrap();
        assert!(c.may_settle);
        let x = c.list[0].clone();
        assert_eq!((x.stage, x.stages.len()), (Stage::Manager, 2));
        let mut resolve = ChallengeUpdate {
            action: "resolve".into(),
            resolution: "Agreed at managers' meeting: step up to Targeted.".into(),
            version: x.version,
            ..ChallengeUpdate::default()
        };
        let Err(AppError::Invalid(errors)) =
            h.update_challenge(&manager, request, x.id, &resolve).await
        else {
            panic!("an outcome is needed");
        };
        assert!(errors.get("outcome").is_some());
        resolve.outcome = "changed".into();
        h.update_challenge(&manager, request, x.id, &resolve)
            .await
            .unwrap();
        let x = h.challenges(&lead, request).await.unwrap().list[0].clone();
        assert_eq!(x.outcome, Some(ChallengeOutcome::Changed));
        assert!(x.stages.iter().all(|s| s.ended_on.is_some()));

        // Reported, without any family.
        let f = h.challenge_figures(&front).await.unwrap();
        assert_eq!((f.raised, f.open, f.changed), (1, 0, 1));
        assert_eq!(f.stages[1].1, 1);
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        assert!(h.challenge_figures(&analyst).await.is_ok());
        assert!(matches!(
            h.challenge_figures(&lead).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(events(&store, "decision_challenged").await, 1);
        assert_eq!(events(&store, "decision_challenge_updated").await, 2);
    }
);

both_engines!(
    a_lead_asks_a_hubs_taf_workers_and_reads_the_answer_on_the_episode,
    |store| async move {
        let h = hearth(store.clone()).await;
        let (episode, _) = decided(&h, "Okafor").await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let taf = actor(&h, "taf-worker@demo.hearth.test").await;
        let hubs = h.hubs().await.unwrap();
        assert_eq!(hubs.len(), 1, "the hubs that have a TAF Worker: {hubs:?}");
        let hub = hubs[0].0.to_string();

        // Without naming the family: the hub sees the question, not who it is about.
        h.ask_taf_worker(
            &lead,
            episode,
            &ConsultationForm {
                hub: hub.clone(),
                named: "no".into(),
                question: "How do I run a first TAF meeting with a dad who works nights?".into(),
            },
        )
        .await
        .unwrap();
        let q = h.hub_queue(&taf).await.unwrap();
        assert_eq!(q.waiting.len(), 1);
        assert!(q.waiting[0].family.is_none());
        // Named: the hub sees the family's names.
        h.ask_taf_worker(
            &lead,
            episode,
            &ConsultationForm {
                hub: hub.clone(),
                named: "yes".into(),
                question: "Which hub groups suit Mia?".into(),
            },
        )
        .await
        .unwrap();
        let q = h.hub_queue(&taf).await.unwrap();
        assert_eq!(q.waiting[1].family.as_ref().unwrap().1, "Mia Okafor");

        // Another hub's worker, or someone who is not a TAF Worker, cannot see or answer.
        let practitioner = actor(&h, "practitioner@demo.hearth.test").await;
        let before = refusals(&store).await;
        assert!(matches!(
            h.hub_queue(&practitioner).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.answer_consultation(
                &practitioner,
                q.waiting[0].id,
                &AnswerForm { answer: "x".into() }
            )
            .await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(refusals(&store).await, before + 2);
        // A hub that is not asked: a hub id no TAF Worker is in is refused as a choice.
        let Err(AppError::Invalid(errors)) = h
            .ask_taf_worker(
                &lead,
                episode,
                &ConsultationForm {
                    hub: lead.team_id.unwrap().to_string(),
                    named: "no".into(),
                    question: "?".into(),
                },
            )
            .await
        else {
            panic!("only a hub with TAF Workers may be asked");
        };
        assert!(errors.get("hub").is_some());

        h.answer_consultation(
            &taf,
            q.waiting[0].id,
            &AnswerForm {
                answer: "Hold it at 5pm at the hub; invite him by text.".into(),
            },
        )
        .await
        .unwrap();
        assert!(matches!(
            h.answer_consultation(
                &taf,
                q.waiting[0].id,
                &AnswerForm {
                    answer: "again".into()
                }
            )
            .await,
            Err(AppError::NotFound)
        ));
        let on_episode = h.consultations(&lead, episode).await.unwrap();
        let answered = on_episode.iter().find(|c| c.answer.is_some()).unwrap();
        assert_eq!(answered.answered_by.as_deref(), Some("Tamsin Tafworker"));
        assert!(!answered.named);

        // The answer is the episode's: someone who may not see the episode may not read it.
        let stranger = actor(&h, "vcs-worker@demo.hearth.test").await;
        assert!(matches!(
            h.consultations(&stranger, episode).await,
            Err(AppError::Forbidden(_))
        ));
        // A TAF Worker advises; they do not thereby open the family's episode.
        assert!(matches!(
            h.consultations(&taf, episode).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(events(&store, "consultation_asked").await, 2);
        assert_eq!(events(&store, "consultation_answered").await, 1);
    }
);

both_engines!(
    the_demo_has_guidance_for_every_step_that_links_to_it,
    |store| async move {
        let h = hearth(store.clone()).await;
        assert_eq!(h.seed_demo_guidance().await.unwrap(), 6);
        assert_eq!(h.seed_demo_guidance().await.unwrap(), 0, "seeded once");
        // Each step whose page links "Guidance on …" finds at least one page.
        for step in [
            PracticeStep::AskingForHelp,
            PracticeStep::Decision,
            PracticeStep::Assessment,
            PracticeStep::Plan,
            PracticeStep::TafMeeting,
            PracticeStep::Closure,
        ] {
            assert!(
                !h.toolkits_for(step).await.unwrap().is_empty(),
                "guidance for {step:?}"
            );
        }
        assert_eq!(events(&store, "toolkit_page_published").await, 6);
        let found = h.search_toolkits("team around the family").await.unwrap();
        assert_eq!(found.len(), 1, "{found:?}");
    }
);
