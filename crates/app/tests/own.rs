//! The family's own page through the app's public interface on both engines (ADR 0045): a
//! one-time link that works once and expires, and an altered one; what an adult, a young
//! person and a child see; another family's episode, a member who moved out; consent
//! withdrawn for one agency taking only that agency out; the thread with the lead, in the
//! chronology and the outbox, with its limits; notes shared with the family. Every family
//! view, change and refusal audited.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{DateTime, Duration, Utc};
use hearth_app::episodes::case_notes::NoteForm;
use hearth_app::episodes::plan::{ActionForm, OutcomeForm, PlanForm};
use hearth_app::episodes::MemberForm;
use hearth_app::family::consent::ConsentForm;
use hearth_app::information_rights::SarForm;
use hearth_app::messages::MessagePolicy;
use hearth_app::own::FamilyVisit;
use hearth_app::records::AuditQuery;
use hearth_app::{Actor, AppError, Hearth, Origin, Policies};
use hearth_domain::audit::AuditAction;
use hearth_domain::feedback::LinkProblem;
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_domain::own::FamilySight;
use hearth_store::Store;
use hearth_testkit::app::{actor, years_ago, PASSWORD};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use std::sync::{Arc, Mutex};

type Clock = Arc<Mutex<DateTime<Utc>>>;

async fn hearth(store: Store) -> (Hearth, Clock) {
    let now: Clock = Arc::new(Mutex::new(Utc::now()));
    let clock = now.clone();
    let h = Hearth::with_clock(
        store,
        Policies {
            messages: MessagePolicy {
                public_url: "https://hearth.example".into(),
                email_delivered: true,
            },
            ..Policies::default()
        },
        Arc::new(move || *clock.lock().unwrap()),
    );
    h.seed_demo(PASSWORD).await.unwrap();
    (h, now)
}

/// An Early Family Help episode led by the demo lead: Zofia (14), her mother Amina (38, who
/// reads Arabic) and her brother Sami (8), each with an email address.
struct Haddads {
    lead: Actor,
    episode: EpisodeId,
    zofia: PersonId,
    amina: PersonId,
    sami: PersonId,
}

async fn family(h: &Hearth, store: &Store, name: &str) -> Haddads {
    let lead = actor(h, "lead@demo.hearth.test").await;
    let opened = Family::new(name)
        .child("Zofia", &years_ago(14))
        .parent("Amina", &years_ago(38))
        .parent("Sami", &years_ago(8))
        .need("family_relationships")
        .detail("family_relationships", "Arguments at home")
        .early_help(h, &lead, "School knows the family best")
        .await;
    let (zofia, amina, sami) = (opened.people[0], opened.people[1], opened.people[2]);
    let mut conn = store.write().await.unwrap();
    for (p, who, lang) in [
        (zofia, "zofia", "en"),
        (amina, "amina", "Arabic"),
        (sami, "sami", "en"),
    ] {
        sqlx::query("UPDATE people SET email = $1, first_language = $2 WHERE id = $3")
            .bind(format!("{who}.{}@example.org", name.to_lowercase()))
            .bind(lang)
            .bind(p.to_string())
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    Store::commit(conn).await.unwrap();
    Haddads {
        lead,
        episode: opened.episode,
        zofia,
        amina,
        sami,
    }
}

/// The token of the newest link emailed to this address (the outbox keeps the body until
/// it is sent).
async fn link_to(store: &Store, address: &str) -> String {
    let mut conn = store.read().await.unwrap();
    let bodies: Vec<String> = sqlx::query_scalar(
        "SELECT body_text FROM messages WHERE recipient = $1 AND template = 'family_page_link'
         ORDER BY created_at DESC, id DESC",
    )
    .bind(address)
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let body = bodies.first().expect("a link was queued");
    let at = body.find("/my-family/sign-in/").unwrap() + "/my-family/sign-in/".len();
    let rest = &body[at..];
    rest[..rest.find('?').unwrap()].to_string()
}

async fn signed_in(h: &Hearth, store: &Store, address: &str) -> (String, FamilyVisit) {
    let token = link_to(store, address).await;
    h.family_sign_in(&token, &Origin::default())
        .await
        .unwrap()
        .unwrap()
}

async fn audited(h: &Hearth, action: AuditAction) -> Vec<hearth_app::records::AuditEvent> {
    h.search_audit(
        &actor(h, "admin@demo.hearth.test").await,
        &AuditQuery {
            action: Some(action.code().into()),
            ..AuditQuery::default()
        },
    )
    .await
    .unwrap()
}

/// The demo health visitor, added to the family's Team Around the Family.
async fn health_visitor_in_team(h: &Hearth, f: &Haddads) -> Actor {
    let health = actor(h, "practitioner@demo.hearth.test").await;
    h.add_taf_member(
        &f.lead,
        f.episode,
        &MemberForm {
            user_id: health.user_id.to_string(),
            role: "Health visitor".into(),
            ..MemberForm::default()
        },
    )
    .await
    .unwrap();
    health
}

const HEALTH: &str = "City 0-19 Health Service (demo)";

/// A consent given today by the family's mother for `person` to be shared with `agency`,
/// recorded by the lead.
async fn consent(h: &Hearth, f: &Haddads, person: PersonId, agency: &str) -> uuid::Uuid {
    h.record_consent(
        &f.lead,
        person,
        &ConsentForm {
            given_by: "Amina".into(),
            share_with: agency.into(),
            given_on: Utc::now().date_naive().format("%d/%m/%Y").to_string(),
            expires_on: String::new(),
        },
    )
    .await
    .unwrap()
}

/// The lead records that Amina has left the household she shared with her children.
async fn amina_moves_out(h: &Hearth, store: &Store, f: &Haddads) {
    let membership: String = {
        let mut conn = store.read().await.unwrap();
        sqlx::query_scalar("SELECT id FROM household_members WHERE person_id = $1")
            .bind(f.amina.to_string())
            .fetch_one(&mut *conn)
            .await
            .unwrap()
    };
    h.end_household_membership(&f.lead, f.zofia, &membership)
        .await
        .unwrap();
}

/// Whether the consent is still live (not withdrawn).
async fn live(store: &Store, consent: uuid::Uuid) -> bool {
    let mut conn = store.read().await.unwrap();
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM consents WHERE id = $1 AND withdrawn_on IS NULL")
            .bind(consent.to_string())
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    n == 1
}

async fn plan(h: &Hearth, f: &Haddads) {
    let uk = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    let due = Utc::now().date_naive() + Duration::days(21);
    h.save_plan(
        &f.lead,
        f.episode,
        &PlanForm {
            outcomes: vec![
                OutcomeForm {
                    id: String::new(),
                    text: "We eat tea together without rows".into(),
                    needs: vec!["family_relationships".into()],
                },
                OutcomeForm {
                    id: String::new(),
                    text: "Zofia is at school every day".into(),
                    needs: vec!["family_relationships".into()],
                },
            ],
            actions: vec![
                ActionForm {
                    outcome: "0".into(),
                    what: "Family meal on Sundays".into(),
                    owner: format!("person:{}", f.amina),
                    due_on: uk(due),
                    ..ActionForm::default()
                },
                ActionForm {
                    outcome: "1".into(),
                    what: "Walk to school with a friend".into(),
                    owner: format!("person:{}", f.zofia),
                    due_on: uk(due),
                    ..ActionForm::default()
                },
            ],
            directory_services: Vec::new(),
            directory_services_for: Vec::new(),
            services: String::new(),
            agreed: "yes".into(),
            agreed_on: uk(Utc::now().date_naive()),
            agreed_by: "Amina and Zofia".into(),
            version: 0,
        },
    )
    .await
    .unwrap();
}

both_engines!(
    a_link_works_once_until_it_expires_and_shows_each_their_part,
    |store| async move {
        let (h, clock) = hearth(store.clone()).await;
        let f = family(&h, &store, "Haddad").await;
        plan(&h, &f).await;
        h.invite_to_own_page(&f.lead, f.episode, &f.amina.to_string(), "email")
            .await
            .unwrap();
        let address = "amina.haddad@example.org";
        let token = link_to(&store, address).await;
        {
            let mut conn = store.read().await.unwrap();
            let (lang, body): (String, String) =
                sqlx::query_as("SELECT language, body_text FROM messages WHERE recipient = $1")
                    .bind(address)
                    .fetch_one(&mut *conn)
                    .await
                    .unwrap();
            assert_eq!(lang, "ar", "in her language");
            assert!(body.contains("?lang=ar"), "{body}");
            assert!(
                !body.contains("Zofia") && !body.contains("Haddad"),
                "no family details"
            );
        }
        // An altered link opens nothing and names nobody.
        let last = if token.ends_with('x') { "y" } else { "x" };
        let altered = format!("{}{last}", &token[..token.len() - 1]);
        assert!(matches!(
            h.family_sign_in(&altered, &Origin::default()).await,
            Err(AppError::NotFound)
        ));
        let (session, visit) = h
            .family_sign_in(&token, &Origin::default())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(visit.member.person(), f.amina);
        assert!(matches!(
            h.family_sign_in(&token, &Origin::default()).await.unwrap(),
            Err(LinkProblem::Used)
        ));
        let refusals = audited(&h, AuditAction::AccessDenied).await;
        assert!(
            refusals
                .iter()
                .any(|e| e.record_type.as_deref() == Some("family_link")
                    && e.detail.as_deref().is_some_and(|d| d.contains("used"))),
            "the second use is recorded"
        );

        // The mother sees the whole plan, the review, the lead.
        let visit = h.family_visit(&session, Origin::default()).await.unwrap();
        assert_eq!(
            h.own_episodes(&visit).await.unwrap(),
            vec![(f.episode, FamilySight::WholePlan)]
        );
        let page = h.own_page(&visit, f.episode).await.unwrap();
        assert_eq!(page.sight, FamilySight::WholePlan);
        assert_eq!(page.outcomes.len(), 2);
        assert!(page.plan_agreed);
        assert!(page.next_review.is_some());
        assert_eq!(
            page.lead.as_ref().map(|l| l.name.as_str()),
            Some("Lee Lead")
        );
        assert!(page.notes.is_empty(), "no case note unless shared");
        // Her page, and her son's consents on it (she decides them: he is 8), each audited on
        // its own record.
        let viewed = audited(&h, AuditAction::FamilyPageViewed).await;
        assert_eq!(viewed.len(), 2);
        assert!(viewed
            .iter()
            .any(|e| e.record_id.as_deref() == Some(f.sami.to_string().as_str())));

        // Zofia, 14, sees her own part only.
        h.invite_to_own_page(&f.lead, f.episode, &f.zofia.to_string(), "email")
            .await
            .unwrap();
        let (_, zofia) = signed_in(&h, &store, "zofia.haddad@example.org").await;
        let page = h.own_page(&zofia, f.episode).await.unwrap();
        assert_eq!(page.sight, FamilySight::OwnPart);
        let outcomes: Vec<&str> = page.outcomes.iter().map(|o| o.text.as_str()).collect();
        assert_eq!(outcomes, vec!["Zofia is at school every day"]);
        assert_eq!(
            page.outcomes[0].actions[0].what,
            "Walk to school with a friend"
        );

        // Sami, 8, is too young to be invited.
        assert!(matches!(
            h.invite_to_own_page(&f.lead, f.episode, &f.sami.to_string(), "email")
                .await,
            Err(AppError::Invalid(_))
        ));

        // A link not used in time expires; so does the session.
        h.invite_to_own_page(&f.lead, f.episode, &f.amina.to_string(), "email")
            .await
            .unwrap();
        let late = link_to(&store, address).await;
        *clock.lock().unwrap() += Duration::hours(49);
        assert!(matches!(
            h.family_sign_in(&late, &Origin::default()).await.unwrap(),
            Err(LinkProblem::Expired)
        ));
        assert!(h.family_visit(&session, Origin::default()).await.is_none());
    }
);

both_engines!(
    another_familys_episode_and_a_member_who_moved_out_see_nothing,
    |store| async move {
        let (h, _clock) = hearth(store.clone()).await;
        let f = family(&h, &store, "Haddad").await;
        let other = family(&h, &store, "Kowalski").await;
        h.invite_to_own_page(&f.lead, f.episode, &f.amina.to_string(), "email")
            .await
            .unwrap();
        let (session, visit) = signed_in(&h, &store, "amina.haddad@example.org").await;
        // Another family's episode: refused, audited, and said like a missing one.
        assert!(matches!(
            h.own_page(&visit, other.episode).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.own_send_message(&visit, other.episode, "hello").await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.own_page(&visit, EpisodeId::new()).await,
            Err(AppError::NotFound)
        ));
        let refused: Vec<_> = audited(&h, AuditAction::AccessDenied)
            .await
            .into_iter()
            .filter(|e| e.record_id.as_deref() == Some(other.episode.to_string().as_str()))
            .collect();
        assert_eq!(refused.len(), 2, "each refusal recorded");
        assert!(refused[0].detail.as_deref().unwrap().contains("not_member"));
        // The thread of the other family holds nothing of hers.
        let t = h.family_thread(&other.lead, other.episode).await.unwrap();
        assert!(t.messages.is_empty());

        // A staff session's token is not a family session.
        let staff = h
            .sign_in("lead@demo.hearth.test", PASSWORD, Origin::default())
            .await
            .unwrap();
        assert!(h
            .family_visit(&staff.token, Origin::default())
            .await
            .is_none());

        // Amina moves out of the household she shared with the children: her page closes.
        amina_moves_out(&h, &store, &f).await;
        let visit = h.family_visit(&session, Origin::default()).await.unwrap();
        assert!(matches!(
            h.own_page(&visit, f.episode).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(h.own_episodes(&visit).await.unwrap().is_empty());
    }
);

both_engines!(
    withdrawing_consent_for_one_agency_takes_only_that_agency_out,
    |store| async move {
        let (h, _clock) = hearth(store.clone()).await;
        let f = family(&h, &store, "Haddad").await;
        let health = health_visitor_in_team(&h, &f).await;
        let today = Utc::now().date_naive().format("%d/%m/%Y").to_string();
        for agency in [
            "Oakfield Primary School (demo)",
            "City 0-19 Health Service (demo)",
        ] {
            h.record_consent(
                &f.lead,
                f.amina,
                &ConsentForm {
                    given_by: "Amina".into(),
                    share_with: agency.into(),
                    given_on: today.clone(),
                    expires_on: String::new(),
                },
            )
            .await
            .unwrap();
        }
        assert!(
            h.consents(&health, f.amina).await.is_ok(),
            "the health visitor reads her record"
        );
        h.invite_to_own_page(&f.lead, f.episode, &f.amina.to_string(), "email")
            .await
            .unwrap();
        let (_, visit) = signed_in(&h, &store, "amina.haddad@example.org").await;
        let page = h.own_page(&visit, f.episode).await.unwrap();
        let health_consent = page
            .consents
            .iter()
            .find(|c| c.share_with.starts_with("City 0-19"))
            .unwrap()
            .id;
        h.own_withdraw_consent(&visit, f.episode, health_consent)
            .await
            .unwrap();
        // Access follows at once: the health visitor is out, the school's lead is not.
        assert!(matches!(
            h.consents(&health, f.amina).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(h.consents(&f.lead, f.amina).await.is_ok());
        let withdrawn = audited(&h, AuditAction::ConsentWithdrawn).await;
        assert_eq!(withdrawn.len(), 1);
        assert!(withdrawn[0].actor_label.starts_with("family member"));
        // Twice: refused as a conflict; someone else's consent: not found.
        assert!(matches!(
            h.own_withdraw_consent(&visit, f.episode, health_consent)
                .await,
            Err(AppError::Conflict)
        ));
        let zofias = h
            .record_consent(
                &f.lead,
                f.zofia,
                &ConsentForm {
                    given_by: "Amina".into(),
                    share_with: "City Homes (demo)".into(),
                    given_on: today.clone(),
                    expires_on: String::new(),
                },
            )
            .await
            .unwrap();
        // Her daughter of 14 decides her own consents: refused (and recorded).
        assert!(matches!(
            h.own_withdraw_consent(&visit, f.episode, zofias).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.own_withdraw_consent(&visit, f.episode, uuid::Uuid::now_v7())
                .await,
            Err(AppError::NotFound)
        ));
        // Given again on her page: the health visitor is back in.
        h.own_give_consent(&visit, f.episode, health_consent)
            .await
            .unwrap();
        assert!(h.consents(&health, f.amina).await.is_ok());
        assert!(matches!(
            h.own_give_consent(&visit, f.episode, health_consent).await,
            Err(AppError::Conflict)
        ));
    }
);

both_engines!(
    the_thread_with_the_lead_is_kept_in_the_chronology_and_told_by_email,
    |store| async move {
        let (h, _clock) = hearth(store.clone()).await;
        let f = family(&h, &store, "Haddad").await;
        h.invite_to_own_page(&f.lead, f.episode, &f.amina.to_string(), "email")
            .await
            .unwrap();
        let (_, visit) = signed_in(&h, &store, "amina.haddad@example.org").await;
        let words = "<b>Can we move the meeting?</b>";
        h.own_send_message(&visit, f.episode, words).await.unwrap();
        let t = h.family_thread(&f.lead, f.episode).await.unwrap();
        assert_eq!(t.messages.len(), 1);
        assert_eq!(
            t.messages[0].body, words,
            "kept as written; pages escape it"
        );
        {
            let mut conn = store.read().await.unwrap();
            let summaries: Vec<String> = sqlx::query_scalar(
                "SELECT summary FROM chronology WHERE episode_id = $1 AND kind = 'message'",
            )
            .bind(f.episode.to_string())
            .fetch_all(&mut *conn)
            .await
            .unwrap();
            assert_eq!(summaries.len(), 1);
            assert!(summaries[0].contains(words));
            let told: Vec<String> = sqlx::query_scalar(
                "SELECT body_text FROM messages WHERE recipient = 'lead@demo.hearth.test'
                 AND template = 'family_message'",
            )
            .fetch_all(&mut *conn)
            .await
            .unwrap();
            assert_eq!(told.len(), 1, "the lead is told");
            assert!(!told[0].contains("meeting"), "never the words");
        }
        // What is wrong with a message is said, and nothing is kept.
        for bad in ["   ".to_string(), "a".repeat(2001)] {
            assert!(matches!(
                h.own_send_message(&visit, f.episode, &bad).await,
                Err(AppError::Invalid(_))
            ));
        }
        for i in 0..9 {
            h.own_send_message(&visit, f.episode, &format!("message {i}"))
                .await
                .unwrap();
        }
        match h.own_send_message(&visit, f.episode, "one too many").await {
            Err(AppError::Invalid(e)) => assert_eq!(e.get("message"), Some("too_many")),
            other => panic!("flooding: {other:?}"),
        }
        assert_eq!(
            h.family_thread(&f.lead, f.episode)
                .await
                .unwrap()
                .messages
                .len(),
            10
        );
        // The lead answers; the family is told by email, in Arabic.
        h.message_family(&f.lead, f.episode, "Yes, Thursday works")
            .await
            .unwrap();
        {
            let mut conn = store.read().await.unwrap();
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM messages WHERE recipient = 'amina.haddad@example.org'
                 AND template = 'family_message' AND language = 'ar'",
            )
            .fetch_one(&mut *conn)
            .await
            .unwrap();
            assert_eq!(n, 1);
        }
        // Someone in the TAF who is neither lead nor owning team does not read the thread.
        let health = actor(&h, "practitioner@demo.hearth.test").await;
        assert!(matches!(
            h.family_thread(&health, f.episode).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(audited(&h, AuditAction::FamilyMessageSent).await.len(), 11);

        // A case note shows on the family's page only once shared.
        let note = h
            .add_note(
                &f.lead,
                f.episode,
                &NoteForm {
                    kind: "visit".into(),
                    occurred_on: Utc::now().date_naive().format("%d/%m/%Y").to_string(),
                    participants: "Amina".into(),
                    body: "We talked about mornings.".into(),
                    visibility: "taf".into(),
                    ..NoteForm::default()
                },
            )
            .await
            .unwrap();
        assert!(h
            .own_page(&visit, f.episode)
            .await
            .unwrap()
            .notes
            .is_empty());
        h.share_note_with_family(&f.lead, note, true).await.unwrap();
        let page = h.own_page(&visit, f.episode).await.unwrap();
        assert_eq!(page.notes.len(), 1);
        assert_eq!(page.notes[0].body, "We talked about mornings.");
        h.share_note_with_family(&f.lead, note, false)
            .await
            .unwrap();
        assert!(h
            .own_page(&visit, f.episode)
            .await
            .unwrap()
            .notes
            .is_empty());
        assert_eq!(
            audited(&h, AuditAction::NoteSharedWithFamily).await.len(),
            2
        );
    }
);

both_engines!(
    the_familys_messages_are_in_their_subject_access_document,
    |store| async move {
        let (h, _clock) = hearth(store.clone()).await;
        let f = family(&h, &store, "Haddad").await;
        for p in [f.amina, f.zofia] {
            h.invite_to_own_page(&f.lead, f.episode, &p.to_string(), "email")
                .await
                .unwrap();
        }
        let (_, amina) = signed_in(&h, &store, "amina.haddad@example.org").await;
        let (_, zofia) = signed_in(&h, &store, "zofia.haddad@example.org").await;
        h.own_send_message(&amina, f.episode, "Amina asks: can we meet at the hub?")
            .await
            .unwrap();
        h.message_family(&f.lead, f.episode, "Yes, the hub on Thursday")
            .await
            .unwrap();
        h.own_send_message(&zofia, f.episode, "Zofia says: I can come after school")
            .await
            .unwrap();

        let dpo = actor(&h, "dpo@demo.hearth.test").await;
        let today = Utc::now().date_naive();
        let id = h
            .log_subject_access(
                &dpo,
                &SarForm {
                    person: f.amina.to_string(),
                    requested_by: "Amina, for herself".into(),
                    identity_checked: "Passport seen".into(),
                    received_day: today.format("%-d").to_string(),
                    received_month: today.format("%-m").to_string(),
                    received_year: today.format("%Y").to_string(),
                    ..SarForm::default()
                },
            )
            .await
            .unwrap();
        let review = h.subject_access(&dpo, id).await.unwrap();
        let messages = review
            .sections
            .iter()
            .find(|s| s.key == "messages")
            .unwrap();
        let said = |words: &str| {
            messages
                .items
                .iter()
                .find(|i| i.fields.iter().any(|f| f.value.contains(words)))
                .cloned()
                .unwrap_or_else(|| panic!("{words} in {messages:?}"))
        };
        // Her own words, the lead's answer and her daughter's message, each marked for the
        // officer: the thread is about the whole family, and Zofia's words are hers.
        let hers = said("can we meet at the hub");
        let answer = said("the hub on Thursday");
        let daughters = said("after school");
        assert_eq!(hers.heading, "Message from the family");
        assert_eq!(answer.heading, "Message to the family");
        assert!(hers.third_party.is_some() && answer.third_party.is_some());
        assert_eq!(
            daughters.third_party.as_deref(),
            Some("Written by another family member")
        );
        assert!(answer
            .fields
            .iter()
            .any(|f| f.label == "From" && f.value == "Lee Lead"));
        // The chronology entry of each message repeats it: leaving the message out leaves
        // both out of the released document.
        let chronology = review
            .sections
            .iter()
            .find(|s| s.key == "chronology")
            .unwrap();
        assert!(chronology
            .items
            .iter()
            .any(|i| i.repeats.as_deref() == Some(daughters.key.as_str())));
        h.redact_subject_access(&dpo, id, std::slice::from_ref(&daughters.key))
            .await
            .unwrap();
        h.release_subject_access(&dpo, id).await.unwrap();
        let json =
            serde_json::to_string(&h.released_subject_access(&dpo, id, "json").await.unwrap())
                .unwrap();
        assert!(
            !json.contains("after school"),
            "left out with its chronology entry"
        );
        assert!(json.contains("can we meet at the hub") && json.contains("the hub on Thursday"));
    }
);

both_engines!(
    a_mother_decides_her_young_sons_consents_but_not_her_teenage_daughters,
    |store| async move {
        let (h, _clock) = hearth(store.clone()).await;
        let f = family(&h, &store, "Haddad").await;
        let health = health_visitor_in_team(&h, &f).await;
        consent(&h, &f, f.sami, "Oakfield Primary School (demo)").await;
        let samis = consent(&h, &f, f.sami, HEALTH).await;
        let zofias = consent(&h, &f, f.zofia, HEALTH).await;
        for p in [f.amina, f.zofia] {
            h.invite_to_own_page(&f.lead, f.episode, &p.to_string(), "email")
                .await
                .unwrap();
        }
        let (_, amina) = signed_in(&h, &store, "amina.haddad@example.org").await;
        let (_, zofia) = signed_in(&h, &store, "zofia.haddad@example.org").await;

        // Amina's page lists her son's consents (8), not her daughter's (14, who decides her
        // own); Zofia's lists nobody else's.
        let page = h.own_page(&amina, f.episode).await.unwrap();
        assert_eq!(
            page.children.iter().map(|c| c.person).collect::<Vec<_>>(),
            vec![f.sami]
        );
        assert_eq!(page.children[0].consents.len(), 2);
        assert!(h
            .own_page(&zofia, f.episode)
            .await
            .unwrap()
            .children
            .is_empty());

        // She withdraws his consent for the health service: only that agency is out.
        assert!(h.consents(&health, f.sami).await.is_ok());
        h.own_withdraw_consent(&amina, f.episode, samis)
            .await
            .unwrap();
        assert!(matches!(
            h.consents(&health, f.sami).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(h.consents(&f.lead, f.sami).await.is_ok());
        let withdrawn = audited(&h, AuditAction::ConsentWithdrawn).await;
        assert_eq!(withdrawn.len(), 1);
        assert_eq!(
            withdrawn[0].record_id.as_deref(),
            Some(f.sami.to_string().as_str())
        );
        assert!(withdrawn[0].actor_label.starts_with("family member"));
        assert!(withdrawn[0]
            .detail
            .as_deref()
            .is_some_and(|d| d.contains(&f.amina.to_string())));
        let by = |column: &'static str| {
            let store = store.clone();
            async move {
                let mut conn = store.read().await.unwrap();
                let ids: Vec<Option<String>> = sqlx::query_scalar(&format!(
                    "SELECT {column} FROM consents WHERE person_id = $1 AND {column} IS NOT NULL"
                ))
                .bind(f.sami.to_string())
                .fetch_all(&mut *conn)
                .await
                .unwrap();
                ids
            }
        };
        assert_eq!(
            by("withdrawn_by_person_id").await,
            vec![Some(f.amina.to_string())]
        );

        // Her daughter's is not hers to change, nor is a teenager a parent for her brother:
        // each refusal recorded with its reason.
        assert!(matches!(
            h.own_withdraw_consent(&amina, f.episode, zofias).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.own_give_consent(&zofia, f.episode, samis).await,
            Err(AppError::Forbidden(_))
        ));
        let refusals: Vec<String> = audited(&h, AuditAction::AccessDenied)
            .await
            .into_iter()
            .filter_map(|e| e.detail)
            .collect();
        assert!(refusals
            .iter()
            .any(|d| d.contains("decides_for_themselves")));
        assert!(refusals.iter().any(|d| d.contains("not_an_adult")));

        // She gives it again: the health visitor is back in, and the record says she gave it.
        h.own_give_consent(&amina, f.episode, samis).await.unwrap();
        assert!(h.consents(&health, f.sami).await.is_ok());
        assert_eq!(
            by("given_by_person_id").await,
            vec![Some(f.amina.to_string())]
        );
        assert!(audited(&h, AuditAction::ConsentRecorded)
            .await
            .iter()
            .any(|e| e.detail.as_deref().is_some_and(|d| d.contains("by_person"))));
    }
);

both_engines!(
    a_parent_decides_nothing_for_another_familys_child_nor_after_moving_out,
    |store| async move {
        let (h, _clock) = hearth(store.clone()).await;
        let f = family(&h, &store, "Haddad").await;
        let other = family(&h, &store, "Kowalski").await;
        let samis = consent(&h, &f, f.sami, HEALTH).await;
        let theirs = consent(&h, &other, other.sami, HEALTH).await;
        h.invite_to_own_page(&f.lead, f.episode, &f.amina.to_string(), "email")
            .await
            .unwrap();
        let (session, amina) = signed_in(&h, &store, "amina.haddad@example.org").await;

        // Another family's child's consent, through her own episode or theirs: refused,
        // recorded, and the consent untouched.
        assert!(matches!(
            h.own_withdraw_consent(&amina, f.episode, theirs).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.own_withdraw_consent(&amina, other.episode, theirs).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.own_give_consent(&amina, f.episode, uuid::Uuid::new_v4())
                .await,
            Err(AppError::NotFound)
        ));
        assert!(live(&store, theirs).await);
        let refusals: Vec<String> = audited(&h, AuditAction::AccessDenied)
            .await
            .into_iter()
            .filter_map(|e| e.detail)
            .collect();
        assert!(refusals.iter().any(|d| d.contains("not_in_family")));
        assert!(refusals.iter().any(|d| d.contains("not_member")));

        // She moves out of the household she shared with her son: his consents are no longer
        // hers to change.
        amina_moves_out(&h, &store, &f).await;
        let amina = h.family_visit(&session, Origin::default()).await.unwrap();
        assert!(matches!(
            h.own_withdraw_consent(&amina, f.episode, samis).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(live(&store, samis).await);
    }
);
