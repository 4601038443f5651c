//! Measuring impact on both engines: every default indicator counted from a small, known
//! record (the first quarter of 2020/21, April to June 2020, long before anything the demo
//! seeds), each expected figure worked out by hand in the comments; the filters; the scopes a
//! viewer is fixed to; suppression of small numbers outside the council; the records behind a
//! figure listed only through the gate (and audited); partners' published figures entered.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::insight::{IndicatorForm, ReportFilter, Scope};
use hearth_app::records::AuditQuery;
use hearth_app::{AppError, Hearth, Store};
use hearth_domain::insight::{AgeBand, Quarter, Shown};
use hearth_testkit::app::{actor, hearth_with_clock};
use hearth_testkit::both_engines;

const Q1: Quarter = Quarter {
    year: 2020,
    number: 1,
};

async fn run(store: &Store, sql: &str, binds: &[&str]) {
    let mut tx = store.write().await.unwrap();
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(*b);
    }
    q.execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
}

async fn id_of(store: &Store, sql: &str, bind: &str) -> String {
    let mut conn = store.read().await.unwrap();
    sqlx::query_scalar::<_, String>(sql)
        .bind(bind)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

async fn user(store: &Store, email: &str) -> String {
    id_of(store, "SELECT id FROM users WHERE email = $1", email).await
}

/// A person with what the filters read: first language, sex, ethnicity, SEND, date of birth
/// and a current address in a postcode district.
#[allow(clippy::too_many_arguments)]
async fn person(
    store: &Store,
    id: &str,
    name: &str,
    dob: &str,
    sex: &str,
    ethnicity: &str,
    language: &str,
    send: Option<&str>,
    postcode: &str,
) {
    run(
        store,
        "INSERT INTO people (id, given_names, family_name, family_key, given_key, family_lower,
             given_lower, dob, sex, ethnicity, first_language, send, created_at, updated_at)
         VALUES ($1, $2, 'Known', 'KN', $2, 'known', $2, $3, $4, $5, $6, $7,
                 '2019-01-01T00:00:00.000000Z', '2019-01-01T00:00:00.000000Z')",
        &[id, name, dob, sex, ethnicity, language, send.unwrap_or("")],
    )
    .await;
    let key = postcode.replace(' ', "");
    run(
        store,
        "INSERT INTO addresses (id, person_id, line1, postcode, postcode_key, created_at)
         VALUES ($1, $2, '1 Known Street', $3, $4, '2019-01-01T00:00:00.000000Z')",
        &[&format!("a{id}"), id, postcode, &key],
    )
    .await;
}

#[allow(clippy::too_many_arguments)]
async fn request(
    store: &Store,
    id: &str,
    person: &str,
    requester: &str,
    urgency: &str,
    safeguarding: &str,
    submitted: &str,
    decided: Option<(&str, &str)>,
) {
    let org = id_of(
        store,
        "SELECT organisation_id FROM users WHERE id = $1",
        requester,
    )
    .await;
    let status = if decided.is_some() {
        "decided"
    } else {
        "submitted"
    };
    run(
        store,
        "INSERT INTO requests (id, status, requester_id, requester_organisation_id, urgency,
             safeguarding, queue, consent, submitted_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, CAST($6 AS BIGINT), 'standard', 'given', $7, $7, $7)",
        &[
            id,
            status,
            requester,
            &org,
            urgency,
            safeguarding,
            submitted,
        ],
    )
    .await;
    run(
        store,
        "INSERT INTO request_people (request_id, person_id) VALUES ($1, $2)",
        &[id, person],
    )
    .await;
    if let Some((at, outcome)) = decided {
        run(
            store,
            // Each outcome's own column filled, as the front door's form would.
            "INSERT INTO decisions (request_id, decided_by, decided_at, level, outcome, rationale,
                 signposted_to, service, lead_user_id, nfa_reason)
             VALUES ($1, $2, $3, 2, $4, 'Known data set', 'Family Hub stay-and-play', 'core',
                     $2, 'Needs met by the school')",
            &[id, requester, at, outcome],
        )
        .await;
    }
}

struct Episode<'a> {
    id: &'a str,
    request: Option<&'a str>,
    person: &'a str,
    level: &'a str,
    started: &'a str,
    ended: Option<(&'a str, &'a str)>,
    lead: Option<&'a str>,
    team: Option<&'a str>,
    /// (due on, submitted at)
    assessment: Option<(&'a str, Option<&'a str>)>,
    /// needs' results
    needs: &'a [(&'a str, &'a str)],
    rating: Option<&'a str>,
}

async fn episode(store: &Store, e: Episode<'_>, by: &str) {
    let status = if e.ended.is_some() { "closed" } else { "open" };
    run(
        store,
        "INSERT INTO episodes (id, request_id, level, route, status, owning_team_id, lead_user_id,
             started_on, ended_on, closure_reason, created_at, updated_at)
         VALUES ($1, NULLIF($2, ''), $3, 'full', $4, NULLIF($5, ''), NULLIF($6, ''), $7,
                 NULLIF($8, ''), NULLIF($9, ''), '2019-01-01T00:00:00.000000Z',
                 '2019-01-01T00:00:00.000000Z')",
        &[
            e.id,
            e.request.unwrap_or(""),
            e.level,
            status,
            e.team.unwrap_or(""),
            e.lead.unwrap_or(""),
            e.started,
            e.ended.map_or("", |x| x.0),
            e.ended.map_or("", |x| x.1),
        ],
    )
    .await;
    run(
        store,
        "INSERT INTO episode_people (episode_id, person_id) VALUES ($1, $2)",
        &[e.id, e.person],
    )
    .await;
    if let Some((due, done)) = e.assessment {
        run(
            store,
            "INSERT INTO assessments (id, episode_id, route, status, due_on, child_voice,
                 parent_voice, saved_by, saved_at, submitted_at)
             VALUES ($1, $2, 'full', 'draft', $3, '', '', $4, '2019-01-01T00:00:00.000000Z',
                     NULLIF($5, ''))",
            &[&format!("as{}", e.id), e.id, due, by, done.unwrap_or("")],
        )
        .await;
    }
    for (domain, result) in e.needs {
        run(
            store,
            "INSERT INTO episode_needs (episode_id, domain, result) VALUES ($1, $2, $3)",
            &[e.id, domain, result],
        )
        .await;
    }
    if let Some(rating) = e.rating {
        run(
            store,
            "INSERT INTO feedback_invitations (id, episode_id, token_hash, created_by, created_at,
                 expires_at, answered_at, rating)
             VALUES ($1, $2, $1, $3, '2020-06-01T00:00:00.000000Z',
                     '2020-07-01T00:00:00.000000Z', '2020-06-02T00:00:00.000000Z',
                     CAST($4 AS BIGINT))",
            &[&format!("fb{}", e.id), e.id, by, rating],
        )
        .await;
    }
}

/// A survey answer to "are things better?" given on `day` (an invitation answered then).
async fn said_better(store: &Store, n: u8, episode: &str, by: &str, day: &str, answer: &str) {
    let id = format!("sv{n}");
    let at = format!("{day}T12:00:00.000000Z");
    run(
        store,
        "INSERT INTO feedback_invitations (id, episode_id, token_hash, created_by, created_at,
             expires_at, answered_at, moment, audience, version)
         VALUES ($1, $2, $1, $3, $4, $4, $4, 'review', 'family', '2026-1')",
        &[&id, episode, by, &at],
    )
    .await;
    run(
        store,
        "INSERT INTO survey_answers (invitation_id, position, question, asked, answer)
         VALUES ($1, 0, 'better', 'Are things better?', $2)",
        &[&id, answer],
    )
    .await;
}

/// Four people, seven requests and five episodes around April to June 2020.
async fn known_record(store: &Store) {
    let school = user(store, "lead@demo.hearth.test").await;
    let council = user(store, "frontdoor@demo.hearth.test").await;
    let worker = user(store, "worker@demo.hearth.test").await;
    let core = id_of(store, "SELECT team_id FROM users WHERE id = $1", &worker).await;
    // P1 Bestwood (NG5), Urdu, 7 in April 2020; P2 Broxtowe (NG8), English, 2; P3 Hyson
    // Green (NG7), Urdu, SEND, 5; P4 Meadows (NG2), Polish, 11.
    let p1 = "01900000-0000-7000-8000-000000000001";
    let p2 = "01900000-0000-7000-8000-000000000002";
    let p3 = "01900000-0000-7000-8000-000000000003";
    let p4 = "01900000-0000-7000-8000-000000000004";
    person(
        store,
        p1,
        "Amina",
        "2012-05-01",
        "female",
        "APKN",
        "Urdu",
        None,
        "NG5 1AA",
    )
    .await;
    person(
        store,
        p2,
        "Billy",
        "2018-01-01",
        "male",
        "WBRI",
        "English",
        None,
        "NG8 2BB",
    )
    .await;
    person(
        store,
        p3,
        "Zain",
        "2015-03-03",
        "male",
        "APKN",
        "Urdu",
        Some("sen_support"),
        "NG7 3CC",
    )
    .await;
    person(
        store,
        p4,
        "Ola",
        "2008-06-06",
        "female",
        "WOTH",
        "Polish",
        None,
        "NG2 4DD",
    )
    .await;
    let r = |n: u8| format!("01900000-0000-7000-8000-0000000001{n:02}");
    let t = |d: &str, h: &str| format!("{d}T{h}:00.000000Z");
    // R0: P1, September 2019 (before the quarter): opened Early Family Help (E2).
    request(
        store,
        &r(0),
        p1,
        &council,
        "routine",
        "0",
        &t("2019-09-01", "10:00"),
        Some((&t("2019-09-02", "10:00"), "early_help")),
    )
    .await;
    // R1: P1 again 7 months on (a re-request); routine, due 10 working days on; decided in 2.
    request(
        store,
        &r(1),
        p1,
        &school,
        "routine",
        "0",
        &t("2020-04-06", "09:00"),
        Some((&t("2020-04-08", "11:00"), "signpost")),
    )
    .await;
    // R2: P2, safeguarding, due the same day, decided the next: late. A re-request (R6).
    request(
        store,
        &r(2),
        p2,
        &council,
        "urgent",
        "1",
        &t("2020-04-07", "09:00"),
        Some((&t("2020-04-08", "09:00"), "step_up")),
    )
    .await;
    // R3: P3, soon (3 working days: due Thursday 14 May), decided 20 May: late; NFA.
    request(
        store,
        &r(3),
        p3,
        &school,
        "soon",
        "0",
        &t("2020-05-11", "09:00"),
        Some((&t("2020-05-20", "09:00"), "no_further_action")),
    )
    .await;
    // R4: P4, routine, decided the next day: on time; NFA.
    request(
        store,
        &r(4),
        p4,
        &school,
        "routine",
        "0",
        &t("2020-06-01", "09:00"),
        Some((&t("2020-06-02", "09:00"), "no_further_action")),
    )
    .await;
    // R5: P3 again (after R3): a re-request, not decided yet.
    request(
        store,
        &r(5),
        p3,
        &school,
        "routine",
        "0",
        &t("2020-06-29", "09:00"),
        None,
    )
    .await;
    // R6: P2, submitted in the quarter before (Monday 30 March), decided 1 April: on time.
    request(
        store,
        &r(6),
        p2,
        &council,
        "routine",
        "0",
        &t("2020-03-30", "09:00"),
        Some((&t("2020-04-01", "09:00"), "targeted")),
    )
    .await;

    let e = |n: u8| format!("01900000-0000-7000-8000-0000000002{n:02}");
    // E1 from R6: targeted, 1 April to 15 June, stepped up; assessment due 16 May, submitted
    // 10 May (on time); needs: 1 achieved of 2.
    episode(
        store,
        Episode {
            id: &e(1),
            request: Some(&r(6)),
            person: p2,
            level: "targeted",
            started: "2020-04-01",
            ended: Some(("2020-06-15", "step_up")),
            lead: Some(&worker),
            team: Some(&core),
            assessment: Some(("2020-05-16", Some(&t("2020-05-10", "12:00")))),
            needs: &[
                ("family_relationships", "achieved"),
                ("housing", "not_achieved"),
            ],
            rating: None,
        },
        &worker,
    )
    .await;
    // E2 from R0: early help from September 2019, closed 5 May (outcomes met); 2 of 2 needs
    // achieved; the family rated it 4.
    episode(
        store,
        Episode {
            id: &e(2),
            request: Some(&r(0)),
            person: p1,
            level: "early",
            started: "2019-09-02",
            ended: Some(("2020-05-05", "outcomes_met")),
            lead: Some(&school),
            team: None,
            assessment: Some(("2019-10-17", Some(&t("2019-10-01", "12:00")))),
            needs: &[("education", "achieved"), ("health", "achieved")],
            rating: Some("4"),
        },
        &worker,
    )
    .await;
    // E3: P3, early help from 25 May, open, led by the worker; assessment due 20 June, not
    // submitted: late.
    episode(
        store,
        Episode {
            id: &e(3),
            request: None,
            person: p3,
            level: "early",
            started: "2020-05-25",
            ended: None,
            lead: Some(&worker),
            team: Some(&core),
            assessment: Some(("2020-06-20", None)),
            needs: &[],
            rating: None,
        },
        &worker,
    )
    .await;
    // E4: P4, targeted from February, closed 30 June stepped down; 1 need partly met; rated 2.
    episode(
        store,
        Episode {
            id: &e(4),
            request: None,
            person: p4,
            level: "targeted",
            started: "2020-02-01",
            ended: Some(("2020-06-30", "step_down_universal")),
            lead: Some(&worker),
            team: Some(&core),
            assessment: Some(("2020-03-17", Some(&t("2020-03-10", "12:00")))),
            needs: &[("financial", "partly")],
            rating: Some("2"),
        },
        &worker,
    )
    .await;
    // E5: P1, targeted from 10 June, open, nobody leads it yet; no assessment (due 25 July).
    episode(
        store,
        Episode {
            id: &e(5),
            request: None,
            person: p1,
            level: "targeted",
            started: "2020-06-10",
            ended: None,
            lead: None,
            team: Some(&core),
            assessment: None,
            needs: &[],
            rating: None,
        },
        &worker,
    )
    .await;
    // The surveys' "are things better?": E1 "same" on 20 May then "better" on 20 June;
    // E2 "worse" on 1 April (and "better" on 10 July, the next quarter); E3 "better" on 28
    // June; E4 "better" on 1 May then "worse" on 2 June. E5 none.
    said_better(store, 1, &e(1), &worker, "2020-05-20", "same").await;
    said_better(store, 2, &e(1), &worker, "2020-06-20", "better").await;
    said_better(store, 3, &e(2), &worker, "2020-04-01", "worse").await;
    said_better(store, 4, &e(2), &worker, "2020-07-10", "better").await;
    said_better(store, 5, &e(3), &worker, "2020-06-28", "better").await;
    said_better(store, 6, &e(4), &worker, "2020-05-01", "better").await;
    said_better(store, 7, &e(4), &worker, "2020-06-02", "worse").await;
}

async fn figures(
    h: &Hearth,
    email: &str,
    scope: Scope,
    filter: ReportFilter,
) -> std::collections::HashMap<String, Shown> {
    let who = actor(h, email).await;
    let d = h.dashboard(&who, scope, filter, Q1, 1).await.unwrap();
    assert_eq!(d.quarters, vec![Q1]);
    d.lines
        .into_iter()
        .map(|l| (l.kpi.code.clone(), l.figures[0].clone()))
        .collect()
}

fn text(f: &std::collections::HashMap<String, Shown>, code: &str) -> String {
    f.get(code)
        .unwrap_or_else(|| panic!("no indicator {code}"))
        .text()
}

both_engines!(
    each_default_indicator_matches_its_hand_count,
    |store| async move {
        let (h, _) = hearth_with_clock(store.clone()).await;
        known_record(&store).await;
        let f = figures(
            &h,
            "analyst@demo.hearth.test",
            Scope::Partnership,
            ReportFilter::default(),
        )
        .await;
        // Submitted in the quarter: R1–R5.
        assert_eq!(text(&f, "requests"), "5");
        // Decided in the quarter: R1, R2, R3, R4, R6; on time R1, R4, R6: 3 of 5.
        assert_eq!(text(&f, "decided_on_time"), "60.0%");
        // Re-requests among R1–R5: R1 (R0), R2 (R6), R5 (R3): 3 of 5.
        assert_eq!(text(&f, "rerequests"), "60.0%");
        // No further action: R3, R4 of the 5 decided.
        assert_eq!(text(&f, "no_further_action"), "40.0%");
        // Assessments due in the quarter: E1 (on time), E3 (not submitted): 1 of 2.
        assert_eq!(text(&f, "assessments_on_time"), "50.0%");
        // Open on 30 June: E3 (led by the worker) and E5 (nobody): 1 family over 1 worker.
        assert_eq!(text(&f, "caseload"), "1.0");
        // Started: E1, E3, E5. Closed: E1, E2, E4.
        assert_eq!(text(&f, "episodes_opened"), "3");
        assert_eq!(text(&f, "episodes_closed"), "3");
        // Of the 3 closed: E1 stepped up, E4 stepped down.
        assert_eq!(text(&f, "step_up"), "33.3%");
        assert_eq!(text(&f, "step_down"), "33.3%");
        // Needs with a result at closure: E1 1 of 2, E2 2 of 2, E4 0 of 1: 3 of 5.
        assert_eq!(text(&f, "needs_met"), "60.0%");
        // Ratings: E2 4, E4 2: 6 over 2 families.
        assert_eq!(text(&f, "family_feedback"), "3.0");
        // Episodes with an answer to "are things better?" in the quarter: E1, E2, E3, E4;
        // their latest answer in it says better for E1 and E3: 2 of 4.
        assert_eq!(text(&f, "families_better"), "50.0%");
        // Nothing entered for the partners' indicators yet.
        assert_eq!(text(&f, "cp_plans"), "No figure");
    }
);

both_engines!(
    filters_narrow_every_figure_to_the_people_they_name,
    |store| async move {
        let (h, _) = hearth_with_clock(store.clone()).await;
        known_record(&store).await;
        let analyst = "analyst@demo.hearth.test";
        let by = |filter: ReportFilter| figures(&h, analyst, Scope::Partnership, filter);

        // Urdu speakers: P1 and P3. Requests R1, R3, R5; closed E2 (P1); opened E3, E5.
        let urdu = by(ReportFilter {
            language: Some("urdu".into()),
            ..ReportFilter::default()
        })
        .await;
        assert_eq!(text(&urdu, "requests"), "3");
        assert_eq!(text(&urdu, "episodes_closed"), "1");
        assert_eq!(text(&urdu, "episodes_opened"), "2");

        // Hyson Green (NG7: P3) and Urdu: R3, R5.
        let hub = by(ReportFilter {
            locality: Some("Hyson Green".into()),
            language: Some("Urdu".into()),
            ..ReportFilter::default()
        })
        .await;
        assert_eq!(text(&hub, "requests"), "2");
        // R3 decided late and NFA: 0 of 1 on time, 1 of 1 NFA.
        assert_eq!(text(&hub, "decided_on_time"), "0.0%");
        assert_eq!(text(&hub, "no_further_action"), "100.0%");

        // Bestwood ward (NG5: P1): R1; E5 opened.
        let ward = by(ReportFilter {
            ward: Some("Bestwood".into()),
            ..ReportFilter::default()
        })
        .await;
        assert_eq!(text(&ward, "requests"), "1");
        assert_eq!(text(&ward, "episodes_opened"), "1");

        // Aged 5 to 9 at the request: P1 (7) on R1, P3 (5) on R3 and R5; 10 to 15: P4 on R4.
        let young = by(ReportFilter {
            age_band: Some(AgeBand::FiveToNine),
            ..ReportFilter::default()
        })
        .await;
        assert_eq!(text(&young, "requests"), "3");
        let older = by(ReportFilter {
            age_band: Some(AgeBand::TenToFifteen),
            ..ReportFilter::default()
        })
        .await;
        assert_eq!(text(&older, "requests"), "1");

        // SEND recorded: P3. Female: P1, P4 (R1, R4).
        let send = by(ReportFilter {
            send: true,
            ..ReportFilter::default()
        })
        .await;
        assert_eq!(text(&send, "requests"), "2");
        let female = by(ReportFilter {
            sex: Some(hearth_domain::person::Sex::Female),
            ..ReportFilter::default()
        })
        .await;
        assert_eq!(text(&female, "requests"), "2");

        // The school asked R1, R3, R4, R5; the core team owns E1 and E4 of those closed.
        let school_id: String = id_of(
            &store,
            "SELECT organisation_id FROM users WHERE email = $1",
            "lead@demo.hearth.test",
        )
        .await;
        let school = by(ReportFilter {
            agency: Some(school_id.parse().unwrap()),
            ..ReportFilter::default()
        })
        .await;
        assert_eq!(text(&school, "requests"), "4");
        let core: String = id_of(
            &store,
            "SELECT team_id FROM users WHERE email = $1",
            "worker@demo.hearth.test",
        )
        .await;
        let team = by(ReportFilter {
            team: Some(core.parse().unwrap()),
            ..ReportFilter::default()
        })
        .await;
        assert_eq!(text(&team, "episodes_closed"), "2");
    }
);

both_engines!(
    narrower_dashboards_are_fixed_to_the_viewers_own_work_and_small_numbers_hidden_outside_the_council,
    |store| async move {
        let (h, _) = hearth_with_clock(store.clone()).await;
        known_record(&store).await;
        // The worker's own families: E1 and E4 closed; whatever filter they try to widen it.
        let mine = figures(&h, "worker@demo.hearth.test", Scope::Mine, ReportFilter::default()).await;
        assert_eq!(text(&mine, "episodes_closed"), "2");
        assert!(!mine.contains_key("cp_plans"), "partners' figures are the partnership's");

        // The school's own requests: 4, shown as fewer than 5 outside the council; its zero
        // step-ups are not hidden.
        let school = figures(&h, "lead@demo.hearth.test", Scope::Agency, ReportFilter::default()).await;
        assert_eq!(school.get("requests"), Some(&Shown::Suppressed));
        assert_eq!(text(&school, "requests"), "Fewer than 5");

        // The manager's team: the core team's three episodes closed or open.
        let team = figures(&h, "manager@demo.hearth.test", Scope::Team, ReportFilter::default()).await;
        assert_eq!(text(&team, "episodes_closed"), "2");

        // The partnership's dashboard is refused to those without the capability, audited.
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let refused = h
            .dashboard(&lead, Scope::Partnership, ReportFilter::default(), Q1, 1)
            .await;
        assert!(matches!(refused, Err(AppError::Forbidden(_))), "{refused:?}");
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        let refused = h.dashboard(&analyst, Scope::Mine, ReportFilter::default(), Q1, 1).await;
        assert!(matches!(refused, Err(AppError::Forbidden(_))));
    }
);

both_engines!(
    the_records_behind_a_figure_are_listed_only_through_the_gate_and_the_listing_audited,
    |store| async move {
        let (h, _) = hearth_with_clock(store.clone()).await;
        known_record(&store).await;
        // The analyst works with no family: the three closed episodes are a count.
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        let d = h
            .drill(
                &analyst,
                Scope::Partnership,
                ReportFilter::default(),
                "episodes_closed",
                Q1,
            )
            .await
            .unwrap();
        assert!(d.shown.is_empty());
        assert_eq!(d.others.text(), "3");
        let r = h
            .drill(
                &analyst,
                Scope::Partnership,
                ReportFilter::default(),
                "requests",
                Q1,
            )
            .await
            .unwrap();
        assert!(r.shown.is_empty());
        assert_eq!(r.others.text(), "5");
        let dpo = actor(&h, "dpo@demo.hearth.test").await;
        let log = h
            .search_audit(
                &dpo,
                &AuditQuery {
                    action: Some("report_drilled".into()),
                    ..AuditQuery::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(log.len(), 2);

        // The school's own requests: it may read what it asked; the count of the rest is
        // hidden outside the council.
        let school = actor(&h, "lead@demo.hearth.test").await;
        let s = h
            .drill(
                &school,
                Scope::Agency,
                ReportFilter::default(),
                "requests",
                Q1,
            )
            .await
            .unwrap();
        assert_eq!(s.shown.len(), 4, "the school asked R1, R3, R4 and R5");
        assert_eq!(s.others.text(), "0");

        // An indicator that is not counted from the record has no records behind it.
        let none = h
            .drill(
                &analyst,
                Scope::Partnership,
                ReportFilter::default(),
                "cp_plans",
                Q1,
            )
            .await;
        assert!(matches!(none, Err(AppError::NotFound)));
    }
);

both_engines!(
    partners_published_figures_are_entered_per_quarter,
    |store| async move {
        let (h, _) = hearth_with_clock(store.clone()).await;
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        let mut form = IndicatorForm {
            indicator: "cp_plans".into(),
            period: "2020-Q1".into(),
            value: "abc".into(),
            note: String::new(),
        };
        let Err(AppError::Invalid(errors)) = h.enter_indicator(&analyst, &form).await else {
            panic!("a figure must be a number");
        };
        assert!(errors.get("value").is_some());
        form.indicator = "requests".into();
        form.value = "41.2".into();
        let Err(AppError::Invalid(errors)) = h.enter_indicator(&analyst, &form).await else {
            panic!("an indicator counted from the record is not entered");
        };
        assert!(errors.get("indicator").is_some());
        form.indicator = "cp_plans".into();
        h.enter_indicator(&analyst, &form).await.unwrap();
        form.value = "40.9".into();
        h.enter_indicator(&analyst, &form).await.unwrap();
        let f = figures(
            &h,
            "analyst@demo.hearth.test",
            Scope::Partnership,
            ReportFilter::default(),
        )
        .await;
        assert_eq!(text(&f, "cp_plans"), "40.9", "entering again replaces");

        let worker = actor(&h, "worker@demo.hearth.test").await;
        assert!(matches!(
            h.enter_indicator(&worker, &form).await,
            Err(AppError::Forbidden(_))
        ));
    }
);

/// Hearth keeping figures for `seconds` (ADR 0040), with the demo and the known record.
async fn keeping_figures(store: &Store, seconds: u64) -> Hearth {
    let h = Hearth::new(
        store.clone(),
        hearth_app::Policies {
            figures_kept: std::time::Duration::from_secs(seconds),
            ..hearth_app::Policies::default()
        },
    );
    h.seed_demo(hearth_testkit::app::PASSWORD).await.unwrap();
    known_record(store).await;
    h
}

/// The dashboard's first quarter's count of requests, as shown.
fn requests(d: &hearth_app::insight::Dashboard) -> String {
    d.lines
        .iter()
        .find(|l| l.kpi.code == "requests")
        .unwrap()
        .figures[0]
        .text()
}

both_engines!(
    kept_figures_are_shared_by_readers_until_worked_out_again_and_never_cross_a_viewers_narrowing,
    |store| async move {
        // A partnership that keeps figures for an hour (ADR 0040).
        let h = keeping_figures(&store, 3600).await;
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        let dpo = actor(&h, "dpo@demo.hearth.test").await;
        let all = ReportFilter::default();
        let first = h
            .dashboard(&analyst, Scope::Partnership, all.clone(), Q1, 1)
            .await
            .unwrap();
        assert_eq!(requests(&first), "5");

        // A sixth request in the quarter: the kept figures do not show it yet, to any reader.
        let school = user(&store, "lead@demo.hearth.test").await;
        request(
            &store,
            "01900000-0000-7000-8000-000000000199",
            "01900000-0000-7000-8000-000000000002",
            &school,
            "routine",
            "0",
            "2020-05-05T09:00:00.000000Z",
            None,
        )
        .await;
        let kept = h
            .dashboard(&dpo, Scope::Partnership, all.clone(), Q1, 1)
            .await
            .unwrap();
        assert_eq!(requests(&kept), "5");
        assert_eq!(kept.worked_out, first.worked_out);

        // A filter is its own set of figures, worked out when first asked for.
        let urdu = ReportFilter {
            language: Some("urdu".into()),
            ..ReportFilter::default()
        };
        let d = h
            .dashboard(&analyst, Scope::Partnership, urdu, Q1, 1)
            .await
            .unwrap();
        assert_eq!(requests(&d), "3");

        // Worked out again on asking: the new request counts, for the next reader too.
        let again = h
            .dashboard_now(&analyst, Scope::Partnership, all.clone(), Q1, 1)
            .await
            .unwrap();
        assert_eq!(requests(&again), "6");
        let next = h
            .dashboard(&dpo, Scope::Partnership, all.clone(), Q1, 1)
            .await
            .unwrap();
        assert_eq!(requests(&next), "6");

        // A worker's own families are kept apart from the partnership's and another worker's:
        // the worker leads E1 and E4, both closed in the quarter; their manager leads none.
        let worker = actor(&h, "worker@demo.hearth.test").await;
        let closed = |d: &hearth_app::insight::Dashboard| {
            d.lines
                .iter()
                .find(|l| l.kpi.code == "episodes_closed")
                .unwrap()
                .figures[0]
                .text()
        };
        let mine = h
            .dashboard(&worker, Scope::Mine, all.clone(), Q1, 1)
            .await
            .unwrap();
        assert_eq!(closed(&mine), "2");
        assert_eq!(closed(&next), "3");
        let manager = actor(&h, "manager@demo.hearth.test").await;
        let theirs = h
            .dashboard(&manager, Scope::Mine, all.clone(), Q1, 1)
            .await
            .unwrap();
        assert_eq!(closed(&theirs), "0");

        // Kept figures are no way round the capability: refused, and audited, as before.
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let refused = h.dashboard(&lead, Scope::Partnership, all, Q1, 1).await;
        assert!(
            matches!(refused, Err(AppError::Forbidden(_))),
            "{refused:?}"
        );
    }
);

both_engines!(
    figures_read_after_the_kept_time_are_shown_at_once_and_renewed_in_the_background,
    |store| async move {
        // A partnership that keeps figures for a second (ADR 0040).
        let h = keeping_figures(&store, 1).await;
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        let school = user(&store, "lead@demo.hearth.test").await;
        let all = ReportFilter::default();
        let read = || h.dashboard(&analyst, Scope::Partnership, all.clone(), Q1, 1);
        let first = read().await.unwrap();
        assert_eq!(requests(&first), "5");

        // A sixth request; once the kept time has passed, the next reader is shown the kept
        // figures at once (they say when they were worked out) and new ones are worked out.
        request(
            &store,
            "01900000-0000-7000-8000-000000000199",
            "01900000-0000-7000-8000-000000000002",
            &school,
            "routine",
            "0",
            "2020-05-05T09:00:00.000000Z",
            None,
        )
        .await;
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let stale = read().await.unwrap();
        assert_eq!(requests(&stale), "5");
        assert_eq!(stale.worked_out, first.worked_out);
        let mut renewed = read().await.unwrap();
        for _ in 0..100 {
            if renewed.worked_out != first.worked_out {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            renewed = read().await.unwrap();
        }
        assert_eq!(requests(&renewed), "6", "renewed in the background");

        // A set nobody reads for twice the kept time is gone: the next reader waits for new
        // figures rather than being shown old ones.
        request(
            &store,
            "01900000-0000-7000-8000-000000000198",
            "01900000-0000-7000-8000-000000000002",
            &school,
            "routine",
            "0",
            "2020-05-06T09:00:00.000000Z",
            None,
        )
        .await;
        tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
        assert_eq!(requests(&read().await.unwrap()), "7");
    }
);
