//! The family's voice on both engines (ADR 0037): survey links sent by the episode's team,
//! emailed to the family's grown-ups (never to a child), answered once in the family's
//! language and kept with the questions as asked; refusals (another team, a used link, an
//! unknown one) recorded; the answers in aggregate and in the dashboard's indicator; case
//! studies written from a closed episode with consent and without the family's names,
//! reviewed by another person, published to the board.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::episodes::plan::{OutcomeForm, PlanForm};
use hearth_app::episodes::review::ReviewForm;
use hearth_app::insight::{ReportFilter, Scope};
use hearth_app::voice::case_studies::{CaseStudyForm, ReviewForm as CaseStudyReviewForm};
use hearth_app::voice::SurveyRequest;
use hearth_app::{Actor, AppError, Hearth, Origin, Policies, Store};
use hearth_domain::case_study::CaseStudyStatus;
use hearth_domain::feedback::LinkProblem;
use hearth_domain::insight::Quarter;
use hearth_domain::survey::{Audience, Moment, SurveyBook};
use hearth_testkit::app::{actor_from, hearth_with_clock, subject_access, years_ago};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::{Family, Targeted};
use std::collections::HashMap;

fn origin() -> Origin {
    Origin {
        ip: Some("192.0.2.7".into()),
        user_agent: None,
    }
}

async fn actor(h: &Hearth, email: &str) -> Actor {
    actor_from(h, email, origin()).await
}

async fn run(store: &Store, sql: &str, binds: &[&str]) {
    let mut tx = store.write().await.unwrap();
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(*b);
    }
    q.execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
}

async fn count(store: &Store, sql: &str, bind: &str) -> i64 {
    let mut conn = store.read().await.unwrap();
    sqlx::query_scalar::<_, i64>(sql)
        .bind(bind)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

/// The Kowalski family: Marta (14) and her mother Ewa, who gave an email address and speaks
/// Polish; Targeted Family Help allocated to the demo worker in the core team.
async fn family(h: &Hearth, store: &Store) -> Targeted {
    let t = Family::new("Kowalski")
        .child("Marta", &years_ago(14))
        .parent("Ewa", &years_ago(40))
        .need("family_relationships")
        .detail("family_relationships", "Arguments at home")
        .told("Mum asked for help")
        .targeted(h, origin())
        .await;
    run(
        store,
        "UPDATE people SET email = 'ewa@example.org', first_language = 'Polish' WHERE id = $1",
        &[&t.people[1].to_string()],
    )
    .await;
    t
}

fn token(path: &str) -> String {
    path.strip_prefix("/feedback/").unwrap().to_string()
}

fn sent(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

both_engines!(
    a_survey_is_sent_to_the_family_answered_once_and_kept_with_its_questions,
    |store| async move {
        let (h, _) = hearth_with_clock(store.clone()).await;
        let t = family(&h, &store).await;
        let link = h
            .send_survey(
                &t.worker,
                t.episode,
                &SurveyRequest {
                    moment: "start".into(),
                    who: "family".into(),
                },
            )
            .await
            .unwrap();
        assert_eq!(link.audience, Audience::Family);
        // Emailed to Ewa (a grown-up who gave an address); Marta is not written to.
        assert_eq!(link.emailed, 1);
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM messages WHERE template = $1 AND language = 'pl'",
                "survey_link"
            )
            .await,
            1
        );
        let tk = token(&link.path);
        let asks = h.survey_link(&tk, &origin()).await.unwrap().unwrap();
        assert_eq!(asks.moment, Moment::Start);
        assert!(!asks.feedback_form);
        let codes: Vec<&str> = asks.questions.iter().map(|q| q.code).collect();
        assert_eq!(codes, ["listened", "clear", "comment"]);

        // A required question left out, a choice that is not one: each named.
        match h
            .answer_survey(&tk, "pl", &sent(&[("listened", "maybe")]), &origin())
            .await
        {
            Err(AppError::Invalid(e)) => {
                assert!(e.get("listened").is_some());
                assert!(e.get("clear").is_some());
                assert!(e.get("comment").is_none());
            }
            other => panic!("expected invalid, got {other:?}"),
        }
        h.answer_survey(
            &tk,
            "pl",
            &sent(&[
                ("listened", "yes"),
                ("clear", "a_bit"),
                ("comment", "Dziękuję"),
            ]),
            &origin(),
        )
        .await
        .unwrap()
        .unwrap();
        // Kept with the English wording asked and the language answered in.
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM survey_answers WHERE asked = $1 AND answer = 'a_bit'",
                "Do you know what will happen next?"
            )
            .await,
            1
        );
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM feedback_invitations WHERE language = $1",
                "pl"
            )
            .await,
            1
        );
        // Used: refused, and the refusal recorded.
        assert_eq!(
            h.answer_survey(
                &tk,
                "pl",
                &sent(&[("listened", "no"), ("clear", "no")]),
                &origin()
            )
            .await
            .unwrap(),
            Err(LinkProblem::Used)
        );
        assert_eq!(
            h.survey_link(&tk, &origin()).await.unwrap().err(),
            Some(LinkProblem::Used)
        );
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM audit_events WHERE action = 'access_denied' AND record_type = $1",
                "survey_link"
            )
            .await,
            2
        );
        assert!(matches!(
            h.survey_link("not-a-token", &origin()).await,
            Err(AppError::NotFound)
        ));
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM audit_events WHERE action = $1",
                "survey_answered"
            )
            .await,
            1
        );

        // The team sees it answered, the choices, and not the family's own words.
        let s = h.episode_surveys(&t.worker, t.episode).await.unwrap();
        assert_eq!(s.lines.len(), 1);
        let line = &s.lines[0];
        assert!(line.invitation.answered_at.is_some());
        assert_eq!(line.answers.len(), 2);
        assert!(line.answers.iter().all(|a| a.answer != "Dziękuję"));
        assert_eq!(line.withheld, 1);
        // Marta (14) may be sent the children's version.
        assert_eq!(s.children.len(), 1);
        assert_eq!(s.children[0].0, t.people[0]);

        // Ewa's subject access request gathers the answers, with their questions.
        let review = subject_access(&h, t.people[1], "Ewa herself").await;
        let surveys = review.sections.iter().find(|s| s.key == "surveys").unwrap();
        assert_eq!(surveys.items.len(), 3);
        assert!(surveys
            .items
            .iter()
            .any(|i| i.fields.iter().any(|f| f.value == "Dziękuję")));
    }
);

both_engines!(
    a_childs_survey_uses_simpler_words_and_is_never_emailed,
    |store| async move {
        let (h, _) = hearth_with_clock(store.clone()).await;
        let t = family(&h, &store).await;
        // Ewa is 40: not offered the children's version.
        assert!(matches!(
            h.send_survey(
                &t.worker,
                t.episode,
                &SurveyRequest {
                    moment: "review".into(),
                    who: t.people[1].to_string(),
                },
            )
            .await,
            Err(AppError::Invalid(e)) if e.get("who").is_some()
        ));
        // Closure is not a moment of an open episode.
        assert!(matches!(
            h.send_survey(
                &t.worker,
                t.episode,
                &SurveyRequest {
                    moment: "closure".into(),
                    who: "family".into(),
                },
            )
            .await,
            Err(AppError::Invalid(e)) if e.get("moment").is_some()
        ));
        let link = h
            .send_survey(
                &t.worker,
                t.episode,
                &SurveyRequest {
                    moment: "review".into(),
                    who: t.people[0].to_string(),
                },
            )
            .await
            .unwrap();
        assert_eq!(link.audience, Audience::Child);
        assert_eq!(link.emailed, 0);
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM messages WHERE template = $1",
                "survey_link"
            )
            .await,
            0
        );
        let asks = h
            .survey_link(&token(&link.path), &origin())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(asks.audience, Audience::Child);
        assert_eq!(
            asks.questions[0].wording,
            "Are things better for you now, about the same, or worse?"
        );
        // A new link for the family withdraws the family's earlier one, not the child's.
        let review = |who: &str| SurveyRequest {
            moment: "review".into(),
            who: who.into(),
        };
        let first = h
            .send_survey(&t.worker, t.episode, &review("family"))
            .await
            .unwrap();
        h.send_survey(&t.worker, t.episode, &review("family"))
            .await
            .unwrap();
        assert_eq!(
            h.survey_link(&token(&first.path), &origin())
                .await
                .unwrap()
                .err(),
            Some(LinkProblem::Expired)
        );
        assert!(h
            .survey_link(&token(&link.path), &origin())
            .await
            .unwrap()
            .is_ok());
        h.answer_survey(
            &token(&link.path),
            "en",
            &sent(&[("better", "better"), ("listened", "yes")]),
            &origin(),
        )
        .await
        .unwrap()
        .unwrap();
        // It shows on the partnership's dashboard this quarter: 1 episode of 1 says better.
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        let q = Quarter::containing(h.now().date_naive());
        let d = h
            .dashboard(&analyst, Scope::Partnership, ReportFilter::default(), q, 1)
            .await
            .unwrap();
        let line = d
            .lines
            .iter()
            .find(|l| l.kpi.code == "families_better")
            .unwrap();
        assert_eq!(line.figures[0].text(), "100.0%");
        // And in the aggregate, for the worker's team.
        let r = h.survey_results(&analyst, q).await.unwrap();
        assert_eq!(r.lines.len(), 1);
        assert_eq!(r.lines[0].audience, Audience::Child);
        assert_eq!(r.lines[0].answered.text(), "1");
        assert_eq!(r.lines[0].better.text(), "100.0%");
    }
);

both_engines!(
    another_team_cannot_send_or_read_surveys_and_the_refusal_is_recorded,
    |store| async move {
        let (h, _) = hearth_with_clock(store.clone()).await;
        let t = family(&h, &store).await;
        for email in [
            "taf-worker@demo.hearth.test",
            "practitioner@demo.hearth.test",
        ] {
            let other = actor(&h, email).await;
            assert!(
                matches!(
                    h.send_survey(
                        &other,
                        t.episode,
                        &SurveyRequest {
                            moment: "start".into(),
                            who: "family".into()
                        }
                    )
                    .await,
                    Err(AppError::Forbidden(_))
                ),
                "{email}"
            );
            assert!(matches!(
                h.episode_surveys(&other, t.episode).await,
                Err(AppError::Forbidden(_))
            ));
        }
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM audit_events WHERE action = 'access_denied' AND record_id = $1",
                &t.episode.to_string()
            )
            .await,
            4
        );
        // The aggregate needs the reports capability.
        assert!(matches!(
            h.survey_results(&t.worker, Quarter::containing(h.now().date_naive()))
                .await,
            Err(AppError::Forbidden(_))
        ));
    }
);

/// Closes the episode as a signed-off closure would leave it (the closure journey itself is
/// tested in plans.rs).
async fn closed(store: &Store, t: &Targeted) {
    run(
        store,
        "UPDATE episodes SET status = 'closed', ended_on = '2026-01-15', closure_reason = 'outcomes_met'
         WHERE id = $1",
        &[&t.episode.to_string()],
    )
    .await;
}

fn story_form(t: &Targeted, story: &str) -> CaseStudyForm {
    CaseStudyForm {
        title: "A family finds calm at home".into(),
        story: story.into(),
        consent_person: t.people[1].to_string(),
        consent_day: "10".into(),
        consent_month: "1".into(),
        consent_year: "2026".into(),
        consent_way: "in_writing".into(),
        anonymised: "yes".into(),
    }
}

both_engines!(
    a_case_study_needs_consent_and_no_names_and_is_published_after_review,
    |store| async move {
        let (h, _) = hearth_with_clock(store.clone()).await;
        let t = family(&h, &store).await;
        let calm = "A mother and her teenage daughter argued every day. With the team they agreed house rules, and the daughter went back to school.";
        // Not from an open episode.
        assert!(matches!(
            h.write_case_study(&t.worker, t.episode, &story_form(&t, calm))
                .await,
            Err(AppError::Forbidden(_))
        ));
        closed(&store, &t).await;
        // Only the lead writes it.
        assert!(matches!(
            h.write_case_study(&t.manager, t.episode, &story_form(&t, calm))
                .await,
            Err(AppError::Forbidden(_))
        ));
        // The family's names are refused, named back to the writer.
        match h
            .write_case_study(
                &t.worker,
                t.episode,
                &story_form(
                    &t,
                    "Ewa asked for help because marta stopped going to school.",
                ),
            )
            .await
        {
            Err(AppError::Invalid(e)) => {
                let m = e.get("story").unwrap();
                assert!(m.contains("Ewa") && m.contains("Marta"), "{m}");
            }
            other => panic!("expected the names refused, got {other:?}"),
        }
        // Consent and the confirmation are required.
        let mut no_consent = story_form(&t, calm);
        no_consent.consent_person = String::new();
        no_consent.anonymised = String::new();
        match h.write_case_study(&t.worker, t.episode, &no_consent).await {
            Err(AppError::Invalid(e)) => {
                assert!(e.get("consent_person").is_some());
                assert!(e.get("anonymised").is_some());
            }
            other => panic!("expected invalid, got {other:?}"),
        }
        let id = h
            .write_case_study(&t.worker, t.episode, &story_form(&t, calm))
            .await
            .unwrap();
        let mine = h.case_study_worklist(&t.worker).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert!(mine[0].1);
        assert_eq!(mine[0].0.status, CaseStudyStatus::Submitted);
        // Not reviewed by its writer, nor by someone who does not sign off work.
        assert!(matches!(
            h.case_study_for_review(&t.worker, id).await,
            Err(AppError::Forbidden(_))
        ));
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        assert!(matches!(
            h.review_case_study(
                &analyst,
                id,
                &CaseStudyReviewForm {
                    decision: "publish".into(),
                    note: String::new()
                }
            )
            .await,
            Err(AppError::Forbidden(_))
        ));
        // Not on the board before it is published.
        assert!(h.board_case_studies(&analyst).await.unwrap().is_empty());
        let queue = h.case_study_worklist(&t.manager).await.unwrap();
        assert_eq!(queue.len(), 1);
        assert!(!queue[0].1);
        let read = h.case_study_for_review(&t.manager, id).await.unwrap();
        assert_eq!(read.story, calm);
        assert!(h
            .review_case_study(
                &t.manager,
                id,
                &CaseStudyReviewForm {
                    decision: "publish".into(),
                    note: String::new()
                }
            )
            .await
            .unwrap());
        let board = h.board_case_studies(&analyst).await.unwrap();
        assert_eq!(board.len(), 1);
        assert_eq!(board[0].title, "A family finds calm at home");
        // Published once: it is no longer waiting for review.
        assert!(matches!(
            h.case_study_for_review(&t.manager, id).await,
            Err(AppError::Forbidden(_))
        ));
        // The worker does not read the board's list.
        assert!(matches!(
            h.board_case_studies(&t.worker).await,
            Err(AppError::Forbidden(_))
        ));
        for action in [
            "case_study_written",
            "case_study_reviewed",
            "case_studies_read",
        ] {
            assert!(
                count(
                    &store,
                    "SELECT COUNT(*) FROM audit_events WHERE action = $1",
                    action
                )
                .await
                    >= 1,
                "{action}"
            );
        }
    }
);

/// A plan of one outcome for the Kowalski family, so that a review can score it.
async fn planned(h: &Hearth, t: &Targeted) -> String {
    let today = chrono::Utc::now()
        .date_naive()
        .format("%d/%m/%Y")
        .to_string();
    let plan = PlanForm {
        outcomes: vec![OutcomeForm {
            id: String::new(),
            text: "Calmer evenings at home".into(),
            needs: vec!["family_relationships".into()],
        }],
        agreed: "yes".into(),
        agreed_on: today,
        agreed_by: "Ewa".into(),
        ..PlanForm::default()
    };
    h.save_plan(&t.worker, t.episode, &plan).await.unwrap();
    h.plan(&t.worker, t.episode)
        .await
        .unwrap()
        .plan
        .unwrap()
        .fields
        .outcomes[0]
        .id
        .clone()
}

fn review_of(outcome: &str) -> ReviewForm {
    let mut form = ReviewForm {
        held_on: chrono::Utc::now()
            .date_naive()
            .format("%d/%m/%Y")
            .to_string(),
        attendees: "Ewa, Marta".into(),
        decisions: "Carry on".into(),
        ..ReviewForm::default()
    };
    form.progress
        .insert(outcome.into(), ("6".into(), "Fewer arguments".into()));
    form
}

both_engines!(
    recording_a_review_asks_the_family_how_it_is_going_unless_the_partnership_says_no,
    |store| async move {
        let (h, _) = hearth_with_clock(store.clone()).await;
        let t = family(&h, &store).await;
        let outcome = planned(&h, &t).await;
        h.record_review(&t.worker, t.episode, &review_of(&outcome))
            .await
            .unwrap();
        let surveys = h.episode_surveys(&t.worker, t.episode).await.unwrap();
        assert_eq!(surveys.lines.len(), 1);
        assert_eq!(surveys.lines[0].invitation.moment, Moment::Review);
        assert_eq!(surveys.lines[0].invitation.audience, Audience::Family);
        // Emailed to Ewa in Polish, once; noted in the chronology and the audit as Hearth's.
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM messages WHERE template = $1 AND language = 'pl'",
                "survey_link"
            )
            .await,
            1
        );
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM chronology WHERE summary = $1",
                "A survey was sent (after a review, the family) with the review"
            )
            .await,
            1
        );
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM audit_events WHERE action = $1 AND detail LIKE '%\"automatic\":true%'",
                "survey_sent"
            )
            .await,
            1
        );

        // A partnership that sends review surveys by hand: the next review sends nothing.
        let by_hand = Hearth::new(
            store.clone(),
            Policies {
                surveys: SurveyBook::with_overrides("after_review = no").unwrap(),
                ..Policies::default()
            },
        );
        by_hand
            .record_review(&t.worker, t.episode, &review_of(&outcome))
            .await
            .unwrap();
        let surveys = h.episode_surveys(&t.worker, t.episode).await.unwrap();
        assert_eq!(surveys.lines.len(), 1);
    }
);

both_engines!(
    a_returned_case_study_is_put_right_by_its_writer_and_keeps_what_was_returned,
    |store| async move {
        let (h, _) = hearth_with_clock(store.clone()).await;
        let t = family(&h, &store).await;
        closed(&store, &t).await;
        let first = "A mother and her daughter argued every day at their flat on the estate.";
        let id = h
            .write_case_study(&t.worker, t.episode, &story_form(&t, first))
            .await
            .unwrap();
        // Not changeable while it waits for review, even by its writer.
        assert!(matches!(
            h.case_study_to_revise(&t.worker, id).await,
            Err(AppError::Forbidden(_))
        ));
        let back = "Take out the estate: it could identify them";
        assert!(!h
            .review_case_study(
                &t.manager,
                id,
                &CaseStudyReviewForm {
                    decision: "return".into(),
                    note: back.into(),
                },
            )
            .await
            .unwrap());
        // Only its writer changes it; the reviewer cannot.
        assert!(matches!(
            h.case_study_to_revise(&t.manager, id).await,
            Err(AppError::Forbidden(_))
        ));
        let open = h.case_study_to_revise(&t.worker, id).await.unwrap();
        assert_eq!(open.returned.study.review_note.as_deref(), Some(back));
        let mut form = open.form();
        assert_eq!(form.story, first);
        assert_eq!(form.consent_person, t.people[1].to_string());
        // The confirmation is asked again, and the names are checked as for a new one.
        form.story = "Marta and her mother argued every day.".into();
        match h.revise_case_study(&t.worker, id, &form).await {
            Err(AppError::Invalid(e)) => {
                assert!(e.get("anonymised").is_some());
                assert!(e.get("story").unwrap().contains("Marta"));
            }
            other => panic!("expected invalid, got {other:?}"),
        }
        form.story = "A mother and her daughter argued every day.".into();
        form.anonymised = "yes".into();
        h.revise_case_study(&t.worker, id, &form).await.unwrap();
        // Sent back for review: waiting again, and no longer changeable.
        let queue = h.case_study_worklist(&t.manager).await.unwrap();
        assert_eq!(queue.len(), 1);
        assert_eq!(queue[0].0.status, CaseStudyStatus::Submitted);
        assert_eq!(queue[0].0.story, form.story);
        assert_eq!(queue[0].0.review_note, None);
        assert!(matches!(
            h.revise_case_study(&t.worker, id, &form).await,
            Err(AppError::Forbidden(_))
        ));
        // What was returned, and why, is kept.
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM case_study_versions WHERE review_note = $1",
                back
            )
            .await,
            1
        );
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM audit_events WHERE action = $1",
                "case_study_revised"
            )
            .await,
            1
        );
    }
);

both_engines!(
    the_generated_city_has_families_answers_to_read_in_aggregate,
    |store| async move {
        let h = Hearth::new(store.clone(), Policies::default());
        let today = chrono::Utc::now().date_naive();
        h.seed_city(
            hearth_testkit::app::PASSWORD,
            &hearth_app::demo::city::CityDemo {
                scale: 0.01,
                seed: 3,
                years: 2,
                today,
            },
        )
        .await
        .unwrap();
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        // Over the last year, families answered after reviews and at closure, and some said
        // things are better.
        let mut moments = std::collections::HashSet::new();
        let mut answered = 0.0;
        let mut better = 0.0;
        for quarter in Quarter::containing(today).previous().trailing(4) {
            for line in h.survey_results(&analyst, quarter).await.unwrap().lines {
                if let hearth_domain::insight::Shown::Value { value, .. } = line.answered {
                    moments.insert(line.moment);
                    answered += value;
                }
                if let hearth_domain::insight::Shown::Value { value, .. } = line.better {
                    better += value;
                }
            }
        }
        assert!(moments.contains(&Moment::Review), "{moments:?}");
        assert!(moments.contains(&Moment::Closure), "{moments:?}");
        assert!(answered > 0.0 && better > 0.0, "{answered} {better}");
    }
);
