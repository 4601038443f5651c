//! Changing a person's details from their record over real HTTP, on both engines: each kind of
//! detail through its own page, the history of changes on the record, a stale version, a user
//! with no relationship refused (and audited), restricted values hidden in the history from
//! those who may not see them, and the date of birth's boxes marked one by one.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::episodes::MemberForm;
use hearth_app::{Hearth, Store};
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_testkit::app::{actor, years_ago};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::{Family, Opened};
use hearth_testkit::server::Server;
use reqwest::StatusCode;
use sqlx::Row;

const LEAD: &str = "lead@demo.hearth.test";

async fn family(h: &Hearth, name: &str, restricted: bool) -> Opened {
    let lead = actor(h, LEAD).await;
    let mut family = Family::new(name).child("Mia", &years_ago(8));
    if restricted {
        family = family.restricted("Address withheld: domestic abuse", &["lead_professional"]);
    }
    family
        .parent("Grace", &years_ago(34))
        .need("education")
        .early_help(h, &lead, "School knows the family best")
        .await
}

async fn join_taf(h: &Hearth, episode: EpisodeId, email: &str) {
    let lead = actor(h, LEAD).await;
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
}

/// A change page, the fields saved on it, and what the record then shows.
type Case = (
    &'static str,
    Vec<(&'static str, &'static str)>,
    &'static str,
);

async fn count(store: &Store, sql: &str) -> i64 {
    let mut conn = store.read().await.unwrap();
    sqlx::query(sql)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

/// The version the change page carries.
async fn version(s: &Server, path: &str) -> String {
    let (status, doc) = s.page(path).await;
    assert_eq!(status, StatusCode::OK, "{path}");
    let sel = scraper::Selector::parse(r#"input[name="version"]"#).unwrap();
    doc.select(&sel)
        .next()
        .unwrap()
        .value()
        .attr("value")
        .unwrap()
        .to_string()
}

/// Saves one change page with `fields`; answers the status and the page it ends on.
async fn change(
    s: &Server,
    child: PersonId,
    page: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let path = format!("/people/{child}/change/{page}");
    let token = s.csrf(&path).await;
    let v = version(s, &path).await;
    let mut form = vec![("csrf_token", token.as_str()), ("version", v.as_str())];
    form.extend_from_slice(fields);
    let res = s.post(&path, &form).await;
    let status = res.status();
    let location = res
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if status == StatusCode::SEE_OTHER {
        let body = s.get(&location).await.text().await.unwrap();
        return (status, body);
    }
    (status, res.text().await.unwrap())
}

both_engines!(
    each_detail_changes_from_the_record_and_the_history_says_who_and_what,
    |store| async move {
        let mut s = Server::start(store.clone()).await;
        let a = family(&s.hearth, "Okafor", false).await;
        let child = a.people[0];
        s.sign_in_fresh(LEAD).await;
        let record = s
            .get(&format!("/people/{child}"))
            .await
            .text()
            .await
            .unwrap();
        for page in [
            "name",
            "date-of-birth",
            "sex",
            "gender",
            "ethnicity",
            "language",
            "send",
            "disability",
            "nhs-number",
            "upn",
            "phone",
            "email",
        ] {
            assert!(
                record.contains(&format!(r#"href="/people/{child}/change/{page}""#)),
                "a Change link for {page}"
            );
        }
        let cases: Vec<Case> = vec![
            (
                "name",
                vec![("given_names", "Mya"), ("family_name", "Okafor-Reid")],
                "Mya Okafor-Reid",
            ),
            (
                "date-of-birth",
                vec![
                    ("dob-day", "2"),
                    ("dob-month", "5"),
                    ("dob-year", "2017"),
                    ("dob_certainty", "estimated"),
                ],
                "2 May 2017",
            ),
            ("sex", vec![("sex", "female")], "Female"),
            ("gender", vec![("gender", "Girl")], "Girl"),
            ("ethnicity", vec![("ethnicity", "BAFR")], "Black – African"),
            (
                "language",
                vec![("first_language", "Yoruba"), ("interpreter_needed", "yes")],
                "Yoruba (needs an interpreter)",
            ),
            (
                "send",
                vec![("send", "EHCP for speech and language")],
                "EHCP for speech and language",
            ),
            (
                "disability",
                vec![("disability", "Hearing loss")],
                "Hearing loss",
            ),
            (
                "nhs-number",
                vec![("nhs_number", "943 476 5919")],
                "9434765919",
            ),
            ("upn", vec![("upn", "A123456789012")], "A123456789012"),
            ("phone", vec![("phone", "0115 496 0123")], "0115 496 0123"),
            (
                "email",
                vec![("email", "mia.family@example.org")],
                "mia.family@example.org",
            ),
        ];
        for (page, fields, shown) in &cases {
            let (status, body) = change(&s, child, page, fields).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{page}: {body}");
            assert!(body.contains(shown), "{page}: the record shows {shown}");
        }
        let body = s
            .get(&format!("/people/{child}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(body.contains("History of changes"));
        // Labels, never codes; who and their organisation.
        assert!(
            body.contains("changed from not recorded to “Black – African”"),
            "{body}"
        );
        assert!(body.contains("changed from “Mia” to “Mya”"));
        assert!(
            body.contains("changed from not recorded to “Estimated”")
                || body.contains("to “Estimated”")
        );
        assert!(!body.contains("BAFR"));
        assert!(
            body.contains("By Lee Lead") || body.contains("By "),
            "who changed it"
        );
        // The old name is kept as a previous name, so a search still finds her by it.
        assert!(body.contains("Other names"));
        assert!(body.contains("Mia Okafor"));
        // One history row per detail (first names and surname, date and how sure, language
        // and interpreter are two each), and one audit event per save naming details only.
        assert_eq!(
            count(&store, "SELECT COUNT(*) AS n FROM person_changes").await,
            15
        );
        let details: Vec<String> = {
            let mut conn = store.read().await.unwrap();
            sqlx::query("SELECT detail FROM audit_events WHERE action = 'person_changed'")
                .fetch_all(&mut *conn)
                .await
                .unwrap()
                .iter()
                .map(|r| {
                    r.try_get::<Option<String>, _>("detail")
                        .unwrap()
                        .unwrap_or_default()
                })
                .collect()
        };
        assert_eq!(details.len(), 12);
        assert!(details.iter().any(|d| d.contains("\"phone\"")));
        assert!(
            details
                .iter()
                .all(|d| !d.contains("0115 496 0123") && !d.contains("example.org")),
            "no values in the audit log"
        );
        // Saving what is already there changes nothing.
        let (status, _) = change(&s, child, "sex", &[("sex", "female")]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(
            count(&store, "SELECT COUNT(*) AS n FROM person_changes").await,
            15
        );
    }
);

both_engines!(
    a_stale_version_keeps_what_was_typed_and_says_someone_else_changed_it,
    |store| async move {
        let mut s = Server::start(store.clone()).await;
        let a = family(&s.hearth, "Brennan", false).await;
        let child = a.people[0];
        s.sign_in_fresh(LEAD).await;
        let path = format!("/people/{child}/change/gender");
        let token = s.csrf(&path).await;
        let seen = version(&s, &path).await;
        // Someone else saves first.
        let (status, _) = change(&s, child, "gender", &[("gender", "Girl")]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let res = s
            .post(
                &path,
                &[
                    ("csrf_token", &token),
                    ("version", &seen),
                    ("gender", "Female"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::CONFLICT);
        let body = res.text().await.unwrap();
        assert!(body.contains("Someone else changed this"));
        assert!(body.contains("Gender: Girl"), "what the record holds now");
        assert!(body.contains(r#"value="Female""#), "what was typed is kept");
        assert_eq!(
            count(&store, "SELECT COUNT(*) AS n FROM person_changes").await,
            1
        );
    }
);

both_engines!(
    someone_who_may_not_edit_is_refused_and_it_is_audited,
    |store| async move {
        let mut s = Server::start(store.clone()).await;
        let a = family(&s.hearth, "Nowak", false).await;
        let child = a.people[0];
        join_taf(&s.hearth, a.episode, "worker@demo.hearth.test").await;
        for who in ["practitioner@demo.hearth.test", "worker@demo.hearth.test"] {
            s.sign_in_fresh(who).await;
            let before = count(
                &store,
                "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'access_denied'",
            )
            .await;
            let res = s.get(&format!("/people/{child}/change/name")).await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{who}");
            let token = s.csrf("/people").await;
            let res = s
                .post(
                    &format!("/people/{child}/change/name"),
                    &[
                        ("csrf_token", &token),
                        ("version", "1"),
                        ("given_names", "X"),
                        ("family_name", "Y"),
                    ],
                )
                .await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{who}");
            let after = count(
                &store,
                "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'access_denied'",
            )
            .await;
            assert_eq!(after - before, 2, "{who}: each refusal audited once");
            // Neither sees a Change link.
            let body = s
                .get(&format!("/people/{child}"))
                .await
                .text()
                .await
                .unwrap();
            assert!(!body.contains("/change/"), "{who}");
        }
        assert_eq!(
            count(&store, "SELECT COUNT(*) AS n FROM person_changes").await,
            0
        );
    }
);

both_engines!(
    restricted_values_are_hidden_in_the_history_from_those_who_may_not_see_them,
    |store| async move {
        let mut s = Server::start(store.clone()).await;
        let a = family(&s.hearth, "Hallam", true).await;
        let child = a.people[0];
        join_taf(&s.hearth, a.episode, "worker@demo.hearth.test").await;
        s.sign_in_fresh(LEAD).await;
        let token = s.csrf("/people").await;
        s.post(
            &format!("/people/{child}"),
            &[
                ("csrf_token", &token),
                ("reason", "Updating the family's details"),
            ],
        )
        .await;
        let (status, body) = change(
            &s,
            child,
            "phone",
            &[
                ("phone", "0115 496 0999"),
                ("reason", "Mum's new number 0115 496 0999"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        assert!(
            body.contains("0115 496 0999"),
            "the lead, named by the restriction, sees it"
        );
        // A TAF member not named by the restriction sees that the phone changed, not to what.
        s.sign_in_fresh("worker@demo.hearth.test").await;
        let token = s.csrf("/people").await;
        let body = s
            .post(
                &format!("/people/{child}"),
                &[
                    ("csrf_token", &token),
                    ("reason", "Visiting the family today"),
                ],
            )
            .await
            .text()
            .await
            .unwrap();
        let body = if body.contains("History of changes") {
            body
        } else {
            s.get(&format!("/people/{child}"))
                .await
                .text()
                .await
                .unwrap()
        };
        assert!(body.contains("History of changes"), "{body}");
        assert!(body.contains("hidden from you by the restriction"));
        assert!(!body.contains("0115 496 0999"));
        assert!(!body.contains("/change/phone"));
        let res = s.get(&format!("/people/{child}/change/phone")).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
);

both_engines!(
    the_date_of_birth_marks_only_the_wrong_boxes,
    |store| async move {
        let mut s = Server::start(store.clone()).await;
        let a = family(&s.hearth, "Kowalski", false).await;
        let child = a.people[0];
        s.sign_in_fresh(LEAD).await;
        let next_year = (chrono::Utc::now().date_naive() + chrono::Days::new(400))
            .format("%Y")
            .to_string();
        for (day, month, year, message, wrong, first) in [
            (
                "27",
                "",
                "2016",
                "Date of birth must include a month",
                vec!["month"],
                "dob-month",
            ),
            (
                "27",
                "13",
                "2016",
                "Date of birth must be a real date",
                vec!["month"],
                "dob-month",
            ),
            (
                "31",
                "6",
                "2016",
                "Date of birth must be a real date",
                vec!["day"],
                "dob-day",
            ),
            (
                "1",
                "1",
                next_year.as_str(),
                "Date of birth must be today or in the past",
                vec!["day", "month", "year"],
                "dob-day",
            ),
        ] {
            let (status, body) = change(
                &s,
                child,
                "date-of-birth",
                &[
                    ("dob-day", day),
                    ("dob-month", month),
                    ("dob-year", year),
                    ("dob_certainty", "exact"),
                ],
            )
            .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
            let doc = scraper::Html::parse_document(&body);
            assert!(body.contains(message), "{message}");
            for part in ["day", "month", "year"] {
                let sel = scraper::Selector::parse(&format!("#dob-{part}")).unwrap();
                let input = doc.select(&sel).next().unwrap();
                let class = input.value().attr("class").unwrap();
                assert_eq!(
                    class.contains("govuk-input--error"),
                    wrong.contains(&part),
                    "{message}: {part} {class}"
                );
            }
            // What was typed is kept, and the summary links to the first wrong box.
            assert!(body.contains(&format!(r#"value="{day}""#)));
            assert!(body.contains(&format!(r##"href="#{first}""##)), "{message}");
        }
        assert_eq!(
            count(&store, "SELECT COUNT(*) AS n FROM person_changes").await,
            0
        );
    }
);
