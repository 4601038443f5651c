//! The gate over real HTTP, on both engines: every page over a family's record answered for
//! each kind of relationship a user can have (current, ended, consent withdrawn, restricted,
//! break-glass, an officer's window after deciding), and every route that takes an id of
//! something inside a record refusing an id that belongs to another family.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::episodes::plan::{ActionForm, OutcomeForm, PlanForm};
use hearth_app::episodes::{EscalationForm, MemberForm};
use hearth_app::family::consent::ConsentForm;
use hearth_app::family::{PersonForm, PersonView, SearchForm};
use hearth_app::front_door::{DecisionForm, RequestForm};
use hearth_app::Hearth;
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_testkit::app::{actor, years_ago};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::{Family, Opened};
use hearth_testkit::server::Server;
use reqwest::StatusCode;

/// How a route answered: the record, the contact-search card, a request for a reason, or a
/// refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Open,
    ContactOnly,
    ReasonAsked,
    Refused,
}

async fn answer(s: &Server, path: &str) -> Answer {
    let res = s.get(path).await;
    let status = res.status();
    let location = res
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = res.text().await.unwrap();
    match status {
        StatusCode::FORBIDDEN => Answer::Refused,
        StatusCode::SEE_OTHER if location.starts_with("/people/") => Answer::ReasonAsked,
        StatusCode::OK if body.contains("Contact search") => Answer::ContactOnly,
        StatusCode::OK if body.contains("this record is restricted") => Answer::ReasonAsked,
        StatusCode::OK => Answer::Open,
        other => panic!("{path}: unexpected {other} {location}"),
    }
}

/// The family's record pages: the person, their chronology, and the episode's pages.
fn record_routes(child: PersonId, episode: EpisodeId) -> Vec<String> {
    vec![
        format!("/people/{child}"),
        format!("/people/{child}/chronology"),
        format!("/episodes/{episode}"),
        format!("/episodes/{episode}/plan"),
        format!("/episodes/{episode}/assessment"),
    ]
}

async fn check(s: &mut Server, email: &str, routes: &[String], expected: &[Answer], case: &str) {
    s.sign_in_fresh(email).await;
    for (path, want) in routes.iter().zip(expected) {
        assert_eq!(answer(s, path).await, *want, "{case}: {email} at {path}");
    }
}

async fn early_help(h: &Hearth, family: &str, lead_email: &str) -> Opened {
    let lead = actor(h, lead_email).await;
    Family::new(family)
        .child("Mia", &years_ago(8))
        .parent("Grace", &years_ago(34))
        .need("education")
        .early_help(h, &lead, "School knows the family best")
        .await
}

async fn join_taf(h: &Hearth, episode: EpisodeId, email: &str) -> String {
    let lead = actor(h, "lead@demo.hearth.test").await;
    let member = actor(h, email).await;
    h.add_taf_member(
        &lead,
        episode,
        &MemberForm {
            user_id: member.user_id.to_string(),
            role: "Partner".into(),
            ..MemberForm::default()
        },
    )
    .await
    .unwrap();
    h.episode(&lead, episode)
        .await
        .unwrap()
        .members
        .into_iter()
        .find(|m| m.user_id == Some(member.user_id))
        .unwrap()
        .id
}

both_engines!(
    every_record_page_answers_each_relationship_as_the_gate_decides,
    |store| async move {
        use Answer::*;
        let mut s = Server::start_with_clock(store).await;
        let h = s.hearth.clone();
        let a = early_help(&h, "Okafor", "lead@demo.hearth.test").await;
        let (child, episode) = (a.people[0], a.episode);
        let routes = record_routes(child, episode);
        let all = |x: Answer| vec![x; routes.len()];

        // Current: the lead, and a TAF member.
        check(&mut s, "lead@demo.hearth.test", &routes, &all(Open), "lead").await;
        join_taf(&h, episode, "practitioner@demo.hearth.test").await;
        check(
            &mut s,
            "practitioner@demo.hearth.test",
            &routes,
            &all(Open),
            "TAF member",
        )
        .await;

        // Ended: a TAF member who left.
        let member = join_taf(&h, episode, "vcs-worker@demo.hearth.test").await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        h.leave_taf(&lead, episode, &member, "Volunteering finished")
            .await
            .unwrap();
        let mut refused = all(Refused);
        refused[0] = ContactOnly;
        check(
            &mut s,
            "vcs-worker@demo.hearth.test",
            &routes,
            &refused,
            "left the TAF",
        )
        .await;

        // Consent withdrawn: the TAF member by agreement loses the record; the lead does not.
        let consent = h
            .record_consent(
                &lead,
                child,
                &ConsentForm {
                    given_by: "Grace Okafor, Mum".into(),
                    share_with: "The TAF".into(),
                    given_on: chrono::Utc::now().format("%d/%m/%Y").to_string(),
                    expires_on: String::new(),
                },
            )
            .await
            .unwrap();
        h.withdraw_consent(&lead, child, consent, "Mum no longer agrees")
            .await
            .unwrap();
        let mut withdrawn = all(Refused);
        withdrawn[0] = ContactOnly;
        // The episode is the family's: Mum's consent still stands for its pages.
        withdrawn[2..].fill(Open);
        check(
            &mut s,
            "practitioner@demo.hearth.test",
            &routes,
            &withdrawn,
            "consent withdrawn",
        )
        .await;
        check(
            &mut s,
            "lead@demo.hearth.test",
            &routes,
            &all(Open),
            "lead, consent withdrawn",
        )
        .await;

        // Unrelated, then break-glass: the person and their chronology open, for reading.
        let mut unrelated = all(Refused);
        unrelated[0] = ContactOnly;
        check(
            &mut s,
            "manager@demo.hearth.test",
            &routes,
            &unrelated,
            "unrelated manager",
        )
        .await;
        let csrf = s.csrf(&format!("/people/{child}")).await;
        let res = s
            .post(
                &format!("/people/{child}/break-glass"),
                &[
                    ("csrf_token", &csrf),
                    ("reason", "Police called: Mia found alone at 2am"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let mut glass = all(Refused);
        glass[0] = Open;
        glass[1] = Open;
        for (path, want) in routes.iter().zip(&glass) {
            assert_eq!(answer(&s, path).await, *want, "break-glass at {path}");
        }

        // Time passes: break-glass ends (the deciding officer's own window is tested in the
        // app's gate tests; here the front door owns this partner-led episode).
        s.advance(chrono::Duration::hours(5));
        check(
            &mut s,
            "manager@demo.hearth.test",
            &routes,
            &unrelated,
            "break-glass over",
        )
        .await;
    }
);

/// A child whose address is withheld, led by `lead` in Early Family Help.
async fn restricted_family(h: &Hearth, lead: &hearth_app::Actor) -> (PersonId, EpisodeId) {
    let search = h
        .search_people(
            lead,
            &SearchForm {
                name: "Amira Haddad".into(),
                ..SearchForm::default()
            },
        )
        .await
        .unwrap();
    let child = h
        .add_person(
            lead,
            &PersonForm {
                search_id: search.search_id.to_string(),
                given_names: "Amira".into(),
                family_name: "Haddad".into(),
                dob: years_ago(9),
                restricted: Some("yes".into()),
                restriction_reason: "Address withheld: domestic abuse".into(),
                restriction_roles: vec!["lead_professional".into()],
                ..PersonForm::default()
            },
        )
        .await
        .unwrap();
    let pairs: Vec<(String, String)> = [
        ("people", child.to_string()),
        ("needs", "education".into()),
        ("detail_education", "Missing mornings".into()),
        ("family_told", "Mum knows".into()),
        ("consent", "given".into()),
        ("urgency", "routine".into()),
        ("safeguarding", "no".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let request = h
        .save_request(lead, None, &RequestForm::from_pairs(&pairs), true)
        .await
        .unwrap();
    let officer = actor(h, "frontdoor@demo.hearth.test").await;
    h.decide_request(
        &officer,
        request,
        &DecisionForm {
            level: "2".into(),
            outcome: "early_help".into(),
            rationale: "School knows the family best".into(),
            lead_user_id: lead.user_id.to_string(),
            ..DecisionForm::default()
        },
    )
    .await
    .unwrap();
    let episode = h.my_work(lead).await.unwrap().caseload[0].episode.id;
    (child, episode)
}

both_engines!(
    a_restricted_family_asks_the_reason_on_every_page,
    |store| async move {
        let mut s = Server::start_with_clock(store).await;
        let h = s.hearth.clone();
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let (child, episode) = restricted_family(&h, &lead).await;
        let routes = record_routes(child, episode);
        check(
            &mut s,
            "lead@demo.hearth.test",
            &routes,
            &vec![Answer::ReasonAsked; routes.len()],
            "restricted, no reason yet",
        )
        .await;
        let csrf = s.csrf(&format!("/people/{child}")).await;
        let res = s
            .post(
                &format!("/people/{child}"),
                &[
                    ("csrf_token", &csrf),
                    ("reason", "Planning the visit with health"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        for path in &routes {
            assert_eq!(
                answer(&s, path).await,
                Answer::Open,
                "with a reason: {path}"
            );
        }
    }
);

both_engines!(
    ids_from_another_family_are_refused_on_every_route_that_takes_them,
    |store| async move {
        let mut s = Server::start_with_clock(store).await;
        let h = s.hearth.clone();
        // The lead leads both families, so only the parent-child check can refuse.
        let a = early_help(&h, "Okafor", "lead@demo.hearth.test").await;
        let b = early_help(&h, "Brennan", "lead@demo.hearth.test").await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let (a_child, b_child) = (a.people[0], b.people[0]);
        let PersonView::Full(b_record) = h.person(&lead, b_child, None).await.unwrap() else {
            panic!("the lead opens family B");
        };
        let b_membership = b_record.family[0].membership_id.clone();
        let b_consent = h
            .record_consent(
                &lead,
                b_child,
                &ConsentForm {
                    given_by: "Mum".into(),
                    share_with: "The TAF".into(),
                    given_on: chrono::Utc::now().format("%d/%m/%Y").to_string(),
                    expires_on: String::new(),
                },
            )
            .await
            .unwrap();
        let b_member = join_taf(&h, b.episode, "practitioner@demo.hearth.test").await;
        h.raise_escalation(
            &lead,
            b.episode,
            &EscalationForm {
                about: "Housing will not come to meetings".into(),
            },
        )
        .await
        .unwrap();
        let b_escalation = h.episode(&lead, b.episode).await.unwrap().escalations[0]
            .id
            .to_string();
        let due = (chrono::Utc::now() + chrono::Duration::days(14))
            .format("%d/%m/%Y")
            .to_string();
        h.save_plan(
            &lead,
            b.episode,
            &PlanForm {
                outcomes: vec![OutcomeForm {
                    id: String::new(),
                    text: "Mia goes to school every day".into(),
                    needs: vec!["education".into()],
                }],
                actions: vec![ActionForm {
                    outcome: "0".into(),
                    what: "Walk to school together".into(),
                    owner: format!("user:{}", lead.user_id),
                    due_on: due,
                    ..ActionForm::default()
                }],
                agreed: "yes".into(),
                agreed_by: "Grace".into(),
                agreed_on: chrono::Utc::now().format("%d/%m/%Y").to_string(),
                ..PlanForm::default()
            },
        )
        .await
        .unwrap();
        let b_plan = h.plan(&lead, b.episode).await.unwrap().plan.unwrap();
        let b_action = b_plan.fields.actions[0].id.clone();

        s.sign_in_fresh("lead@demo.hearth.test").await;
        let csrf = s.csrf(&format!("/people/{a_child}")).await;
        let tries: Vec<(String, Vec<(&str, String)>)> = vec![
            (
                format!("/people/{a_child}/households/leave"),
                vec![("membership", b_membership.clone())],
            ),
            (
                format!("/people/{a_child}/consents/{b_consent}/withdraw"),
                vec![("withdrawn_reason", "Changed her mind".into())],
            ),
            (
                format!("/episodes/{}/taf/{b_member}/leave", a.episode),
                vec![("reason", "Finished".into())],
            ),
            (
                format!("/episodes/{}/escalations/{b_escalation}", a.episode),
                vec![("action", "next_stage".into()), ("version", "1".into())],
            ),
            (
                format!("/episodes/{}/plan/actions/{b_action}", a.episode),
                vec![("status", "done".into()), ("note", "Done".into())],
            ),
        ];
        for (path, fields) in &tries {
            let mut form: Vec<(&str, &str)> = vec![("csrf_token", csrf.as_str())];
            form.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
            let res = s.post(path, &form).await;
            assert!(
                matches!(res.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                "{path} took another family's id: {}",
                res.status()
            );
        }
        // Family B is as it was.
        let PersonView::Full(after) = h.person(&lead, b_child, None).await.unwrap() else {
            panic!("the lead opens family B");
        };
        assert!(after.family.iter().all(|m| m.to_date.is_none()));
        assert!(h
            .consents(&lead, b_child)
            .await
            .unwrap()
            .iter()
            .all(|c| c.withdrawn_on.is_none()));
        let view = h.episode(&lead, b.episode).await.unwrap();
        assert!(view.members.iter().all(|m| m.left_on.is_none()));
        assert_eq!(view.escalations[0].stage, 1);
        let plan = h.plan(&lead, b.episode).await.unwrap();
        assert!(
            plan.updates.is_empty(),
            "no update reached family B's action"
        );
    }
);
