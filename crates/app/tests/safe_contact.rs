//! Contacting a family member safely (ADR 0050) through the app's public interface on both
//! engines: the mobile, what the family said is safe, their safe hours and their choice of
//! channel recorded on the person's details (refused with what to fix, audited without the
//! values); the own-page link sent by text only when texting is safe, held in the outbox until
//! the safe hours begin and then received by a real SMS gateway (Kannel), and the link in it
//! opening the page; another family's person and a restricted record refused.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{DateTime, Duration, TimeZone, Utc};
use hearth_app::family::details::DetailForm;
use hearth_app::family::PersonView;
use hearth_app::messages::{Kannel, KannelSettings, MessagePolicy};
use hearth_app::records::AuditQuery;
use hearth_app::{Actor, AppError, Hearth, Origin, Policies};
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_domain::person::{ContactChoice, DetailPage, SafeAnswer};
use hearth_store::family::people;
use hearth_store::Store;
use hearth_testkit::app::{actor, years_ago, PASSWORD};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use hearth_testkit::sms::{SmsGateway, PASSWORD as GATEWAY_PASSWORD, USERNAME};
use std::sync::{Arc, Mutex};

type Clock = Arc<Mutex<DateTime<Utc>>>;

/// Saturday 5 December 2026, noon in London.
fn saturday_noon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 5, 12, 0, 0).unwrap()
}

async fn hearth(store: Store) -> (Hearth, Clock) {
    let now: Clock = Arc::new(Mutex::new(saturday_noon()));
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

struct Haddads {
    lead: Actor,
    episode: EpisodeId,
    amina: PersonId,
}

/// An Early Family Help episode led by the demo lead: Zofia (14) and her mother Amina (38),
/// who reads Arabic and has an email address.
async fn family(h: &Hearth, store: &Store, name: &str) -> Haddads {
    let lead = actor(h, "lead@demo.hearth.test").await;
    let opened = Family::new(name)
        .child("Zofia", &years_ago(14))
        .parent("Amina", &years_ago(38))
        .need("family_relationships")
        .detail("family_relationships", "Arguments at home")
        .early_help(h, &lead, "School knows the family best")
        .await;
    let amina = opened.people[1];
    let mut conn = store.write().await.unwrap();
    sqlx::query("UPDATE people SET email = $1, first_language = 'Arabic' WHERE id = $2")
        .bind(format!("amina.{}@example.org", name.to_lowercase()))
        .bind(amina.to_string())
        .execute(&mut *conn)
        .await
        .unwrap();
    Store::commit(conn).await.unwrap();
    Haddads {
        lead,
        episode: opened.episode,
        amina,
    }
}

/// Saves the safe-contact page as a practitioner types it.
async fn record_contact(
    h: &Hearth,
    who: &Actor,
    person: PersonId,
    fill: impl FnOnce(&mut DetailForm),
) -> Result<(), AppError> {
    let now = h
        .details_to_change(who, person, DetailPage::SafeContact)
        .await?;
    let mut form = DetailForm::of(&now.person);
    fill(&mut form);
    h.change_details(who, person, DetailPage::SafeContact, &form)
        .await
}

fn invalid(r: Result<impl std::fmt::Debug, AppError>) -> Vec<(String, String)> {
    match r {
        Err(AppError::Invalid(e)) => e
            .iter()
            .map(|(f, m)| (f.to_string(), m.to_string()))
            .collect(),
        other => panic!("expected a form problem, got {other:?}"),
    }
}

async fn audited(h: &Hearth, action: AuditAction) -> Vec<Option<String>> {
    h.search_audit(
        &actor(h, "admin@demo.hearth.test").await,
        &AuditQuery::default(),
    )
    .await
    .unwrap()
    .into_iter()
    .filter(|e| e.action == action)
    .map(|e| e.detail)
    .collect()
}

fn kannel(url: String) -> Kannel {
    Kannel::new(&KannelSettings {
        sendsms_url: url,
        username: USERNAME.into(),
        password: GATEWAY_PASSWORD.into(),
        from: Some("FamilyHelp".into()),
    })
    .unwrap()
}

async fn texts_to(store: &Store, number: &str) -> Vec<(String, String)> {
    let mut conn = store.read().await.unwrap();
    sqlx::query_as(
        "SELECT state, next_try_at FROM messages WHERE channel = 'sms' AND recipient = $1
         ORDER BY created_at",
    )
    .bind(number)
    .fetch_all(&mut *conn)
    .await
    .unwrap()
}

both_engines!(
    safe_contact_is_recorded_with_what_to_fix_and_audited_without_its_values,
    |store| async move {
        let (h, _) = hearth(store.clone()).await;
        let f = family(&h, &store, "Haddad").await;

        // Each problem says what to fix, and nothing is saved.
        let problems = invalid(
            record_contact(&h, &f.lead, f.amina, |form| {
                form.mobile = "01632 960001".into();
                form.safe_to_text = "perhaps".into();
                form.safe_from = "17:00".into();
                form.safe_until = "09:00".into();
            })
            .await,
        );
        let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            vec!["mobile", "safe_to_text", "safe_until"],
            "{problems:?}"
        );
        assert!(problems[0].1.contains("landline"), "{problems:?}");
        let problems = invalid(
            record_contact(&h, &f.lead, f.amina, |form| {
                form.contact_by = "text".into();
            })
            .await,
        );
        assert_eq!(
            problems,
            vec![(
                "mobile".to_string(),
                "Enter their mobile number: they chose to hear from us by text".to_string()
            )]
        );
        let mut conn = store.read().await.unwrap();
        assert_eq!(
            people::get(&mut conn, f.amina).await.unwrap().contact,
            Default::default()
        );
        drop(conn);

        record_contact(&h, &f.lead, f.amina, |form| {
            form.mobile = "+44 (0)7700-900123".into();
            form.safe_to_text = "yes".into();
            form.safe_to_leave_message = "no".into();
            form.safe_from = "9".into();
            form.safe_until = "17.00".into();
            form.safe_weekdays = Some("yes".into());
            form.contact_by = "both".into();
        })
        .await
        .unwrap();
        let mut conn = store.read().await.unwrap();
        let c = people::get(&mut conn, f.amina).await.unwrap().contact;
        drop(conn);
        assert_eq!(c.mobile.unwrap().e164(), "+447700900123");
        assert_eq!(c.safe_to_text, Some(SafeAnswer::Yes));
        assert_eq!(c.safe_to_leave_message, Some(SafeAnswer::No));
        assert_eq!(c.safe_hours.unwrap().code(), "09:00-17:00 weekdays");
        assert_eq!(c.contact_by, Some(ContactChoice::Both));

        // Audited by which details changed, never their values.
        let changed = audited(&h, AuditAction::PersonChanged).await;
        let detail = changed.last().cloned().flatten().unwrap();
        assert!(
            detail.contains("safe_hours") && detail.contains("mobile"),
            "{detail}"
        );
        assert!(
            !detail.contains("7700") && !detail.contains("09:00"),
            "{detail}"
        );
    }
);

both_engines!(
    a_link_by_text_goes_only_when_safe_and_waits_for_the_safe_hours,
    |store| async move {
        let Some(gateway) = SmsGateway::start() else {
            return;
        };
        let (h, clock) = hearth(store.clone()).await;
        let f = family(&h, &store, "Haddad").await;
        let invite = |channel: &'static str| {
            let h = &h;
            let f = &f;
            async move {
                h.invite_to_own_page(&f.lead, f.episode, &f.amina.to_string(), channel)
                    .await
            }
        };

        // Nothing recorded: not by text, and why.
        assert_eq!(
            invalid(invite("text").await),
            vec![(
                "channel".to_string(),
                "Amina Haddad: Record their mobile number on their details first".to_string()
            )]
        );
        record_contact(&h, &f.lead, f.amina, |form| {
            form.mobile = "07700 900123".into();
        })
        .await
        .unwrap();
        assert!(invalid(invite("text").await)[0]
            .1
            .contains("Ask them whether texting is safe"));
        record_contact(&h, &f.lead, f.amina, |form| form.safe_to_text = "no".into())
            .await
            .unwrap();
        assert!(invalid(invite("text").await)[0]
            .1
            .contains("texting them is not safe"));
        // A channel that is neither is refused too.
        assert_eq!(invalid(invite("pigeon").await)[0].0, "channel");

        // Safe between 09:00 and 17:00 on weekdays; it is Saturday noon.
        record_contact(&h, &f.lead, f.amina, |form| {
            form.safe_to_text = "yes".into();
            form.safe_from = "09:00".into();
            form.safe_until = "17:00".into();
            form.safe_weekdays = Some("yes".into());
        })
        .await
        .unwrap();
        let thread = h.family_thread(&f.lead, f.episode).await.unwrap();
        let her = thread.family.iter().find(|i| i.person == f.amina).unwrap();
        assert!(her.by_text.is_ok() && her.by_email.is_ok());
        assert_eq!(
            invite("text").await.unwrap(),
            hearth_app::own::LinkChannel::Text
        );

        // Held in the outbox until Monday 09:00 (London is on GMT in December): not dropped,
        // not sent early.
        let queued = texts_to(&store, "+447700900123").await;
        assert_eq!(queued.len(), 1);
        assert_eq!(queued[0].0, "queued");
        assert!(queued[0].1.starts_with("2026-12-07T09:00:00"), "{queued:?}");
        let transport = kannel(gateway.sendsms_url());
        let r = h.send_texts_due(&transport, "texts").await.unwrap();
        assert_eq!(r.sent, 0);
        *clock.lock().unwrap() += Duration::days(1);
        assert_eq!(h.send_texts_due(&transport, "texts").await.unwrap().sent, 0);
        let queued_detail = audited(&h, AuditAction::TextQueued).await;
        assert!(
            queued_detail[0]
                .as_deref()
                .unwrap()
                .contains("\"held_until\":\"2026-12-07T09:00:00"),
            "{queued_detail:?}"
        );

        // Monday 09:00: it goes, in Arabic, and the link in what the gateway received opens
        // her page.
        *clock.lock().unwrap() = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap();
        let r = h.send_texts_due(&transport, "texts").await.unwrap();
        assert_eq!(r.sent, 1);
        let got = gateway.wait_for_texts(1);
        assert_eq!(got[0].to, "+447700900123");
        assert_eq!(got[0].coding, "ucs-2");
        let at = got[0].text.find("/my-family/sign-in/").unwrap() + "/my-family/sign-in/".len();
        let rest = &got[0].text[at..];
        let token = &rest[..rest.find('?').unwrap()];
        assert!(rest.ends_with("?lang=ar"), "{rest}");
        let (_, visit) = h
            .family_sign_in(token, &Origin::default())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(visit.member.person(), f.amina);
        let sent = audited(&h, AuditAction::FamilyLinkSent).await;
        assert!(sent[0].as_deref().unwrap().contains("\"channel\":\"text\""));

        // She chose text only: no email link then.
        record_contact(&h, &f.lead, f.amina, |form| form.contact_by = "text".into())
            .await
            .unwrap();
        assert_eq!(
            invalid(invite("email").await)[0].1,
            "Amina Haddad: They asked to hear from us by text only"
        );
    }
);

both_engines!(
    another_familys_person_and_a_restricted_record_are_refused,
    |store| async move {
        let (h, _) = hearth(store.clone()).await;
        let ours = family(&h, &store, "Haddad").await;
        let theirs = family(&h, &store, "Nowak").await;
        record_contact(&h, &theirs.lead, theirs.amina, |form| {
            form.mobile = "07700 900456".into();
            form.safe_to_text = "yes".into();
        })
        .await
        .unwrap();

        // Another family's member in our episode's form: not someone to invite, by any channel.
        for channel in ["text", "email"] {
            assert_eq!(
                invalid(
                    h.invite_to_own_page(
                        &ours.lead,
                        ours.episode,
                        &theirs.amina.to_string(),
                        channel
                    )
                    .await
                ),
                vec![(
                    "person".to_string(),
                    "Choose who in the family to invite".to_string()
                )]
            );
        }
        assert!(texts_to(&store, "+447700900456").await.is_empty());

        // Someone who may not edit the record cannot change or read the safe-contact page.
        let health = actor(&h, "practitioner@demo.hearth.test").await;
        assert!(matches!(
            record_contact(&h, &health, ours.amina, |form| {
                form.mobile = "07700 900789".into();
            })
            .await,
            Err(AppError::Forbidden(_) | AppError::NotFound)
        ));

        // A restricted record whose restriction does not name the user: the safe contact is
        // withheld like the phone, and its page refused.
        let mut conn = store.write().await.unwrap();
        sqlx::query(
            "UPDATE people SET restricted = 1, restriction_roles = 'data_protection_officer',
                 restriction_reason = 'Fled violence' WHERE id = $1",
        )
        .bind(theirs.amina.to_string())
        .execute(&mut *conn)
        .await
        .unwrap();
        Store::commit(conn).await.unwrap();
        assert!(matches!(
            h.details_to_change(&theirs.lead, theirs.amina, DetailPage::SafeContact)
                .await,
            Err(AppError::ReasonNeeded { .. })
        ));
        // With a reason the record opens, its safe contact withheld like the phone.
        let Ok(PersonView::Full(record)) = h
            .person(
                &theirs.lead,
                theirs.amina,
                Some("Checking how to reach her safely"),
            )
            .await
        else {
            panic!("the record opens with a reason");
        };
        assert!(record.details_withheld);
        assert_eq!(record.person.contact, Default::default());
        assert!(matches!(
            h.details_to_change(&theirs.lead, theirs.amina, DetailPage::SafeContact)
                .await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            record_contact(&h, &theirs.lead, theirs.amina, |form| {
                form.safe_to_text = "no".into();
            })
            .await,
            Err(AppError::Forbidden(_))
        ));
        // …nor can they send the family's link to a number or address withheld from them.
        for channel in ["text", "email"] {
            assert_eq!(
                invalid(
                    h.invite_to_own_page(
                        &theirs.lead,
                        theirs.episode,
                        &theirs.amina.to_string(),
                        channel
                    )
                    .await
                ),
                vec![(
                    "person".to_string(),
                    "Amina Nowak: their contact details are restricted, so someone the restriction names must send the link".to_string()
                )]
            );
        }
        assert!(texts_to(&store, "+447700900456").await.is_empty());
    }
);
