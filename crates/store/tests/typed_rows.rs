//! A request and its decision come back from the store as the domain's types, whole; a stored
//! value that does not decode is an error, never a default a rule would then act on. Both
//! engines.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Duration, Utc};
use hearth_domain::continuum::ContinuumLevel;
use hearth_domain::ids::{OrganisationId, RequestId, UserId};
use hearth_domain::need::{Concern, NeedDomain};
use hearth_domain::organisation::OrganisationKind;
use hearth_domain::role::{Role, RoleSet};
use hearth_domain::routing::{
    Outcome, Queue, RequestStatus, SharingConsent, TargetedService, Urgency,
};
use hearth_store::accounts::organisations::{self, OrganisationFields};
use hearth_store::accounts::users::{self, UserFields};
use hearth_store::requests::{self, DecisionRow, NeedRow, RequestFields};
use hearth_store::{Store, StoreError};
use hearth_testkit::both_engines;

/// A school's practitioner who asks, and the request they sent, decided as `outcome` says
/// (given the practitioner, who may be the lead).
async fn decided_request(
    store: &Store,
    outcome: impl FnOnce(UserId) -> Outcome,
) -> (RequestId, Outcome) {
    let now = Utc::now();
    let org = OrganisationId::new();
    let user = UserId::new();
    let mut tx = store.write().await.unwrap();
    organisations::insert(
        &mut tx,
        org,
        &OrganisationFields {
            name: format!("School {org}"),
            kind: OrganisationKind::School,
            identifier: None,
        },
        now,
    )
    .await
    .unwrap();
    users::insert(
        &mut tx,
        user,
        &UserFields {
            email: format!("{user}@example.org"),
            display_name: "Sam Asker".into(),
            job_title: None,
            phone: None,
            organisation_id: org,
            team_id: None,
            roles: RoleSet::new([Role::Practitioner]),
        },
        "hash",
        users::FirstPassword::AtConsole,
        now,
    )
    .await
    .unwrap();
    let id = RequestId::new();
    let fields = RequestFields {
        urgency: Urgency::Soon,
        safeguarding: false,
        queue: Queue::Standard,
        family_told: None,
        consent: Some(SharingConsent::NotAsked),
        consent_detail: None,
        lawful_basis: Some("Public task".into()),
        people: Vec::new(),
        needs: vec![NeedRow {
            domain: NeedDomain::SafeFromAbuseAndExploitation,
            concerns: vec![Concern::MissingEpisodes, Concern::Exploitation],
            detail: Some("Missing twice this month".into()),
        }],
    };
    requests::insert(
        &mut tx,
        id,
        user,
        org,
        &fields,
        RequestStatus::Submitted,
        now - Duration::hours(2),
    )
    .await
    .unwrap();
    let outcome = outcome(user);
    requests::decide(
        &mut tx,
        id,
        &DecisionRow {
            decided_by: user,
            decided_by_name: "Sam Asker".into(),
            decided_at: now,
            level: ContinuumLevel::TargetedFamilyHelp,
            outcome: outcome.clone(),
            rationale: "Repeated missing episodes".into(),
            proposed_service: Some(TargetedService::Adolescence),
            confirmed: None,
        },
        RequestStatus::Decided,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    (id, outcome)
}

async fn corrupt(store: &Store, sql: &str, id: RequestId) -> StoreError {
    let mut tx = store.write().await.unwrap();
    sqlx::query(sql)
        .bind(id.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut conn = store.read().await.unwrap();
    requests::get(&mut conn, id).await.unwrap_err()
}

both_engines!(
    a_decision_comes_back_whole_with_what_its_outcome_recorded,
    |store| async move {
        let outcomes: [fn(UserId) -> Outcome; 5] = [
            |_| Outcome::Signpost {
                suggested: "Stay and play".into(),
            },
            |lead| Outcome::OpenEarlyHelp { lead },
            |_| Outcome::OpenTargeted {
                service: TargetedService::Core,
                override_reason: Some("Younger siblings' needs lead".into()),
            },
            |_| Outcome::StepUpToSocialCare,
            |_| Outcome::NoFurtherAction {
                reason: "Already met by the school".into(),
            },
        ];
        for decided in outcomes {
            let (id, outcome) = decided_request(&store, decided).await;
            let mut conn = store.read().await.unwrap();
            let r = requests::get(&mut conn, id).await.unwrap();
            let d = r.decision.unwrap();
            assert_eq!(d.outcome, outcome);
            assert_eq!(d.level, ContinuumLevel::TargetedFamilyHelp);
            assert_eq!(d.proposed_service, Some(TargetedService::Adolescence));
            assert_eq!(r.consent, Some(SharingConsent::NotAsked));
            assert_eq!(r.needs[0].domain, NeedDomain::SafeFromAbuseAndExploitation);
            assert_eq!(
                r.needs[0].concerns,
                vec![Concern::MissingEpisodes, Concern::Exploitation]
            );
        }
    }
);

both_engines!(
    stored_values_that_do_not_decode_are_errors,
    |store| async move {
        let cases = [
            "UPDATE decisions SET outcome = 'maybe' WHERE request_id = $1",
            "UPDATE decisions SET service = NULL WHERE request_id = $1",
            "UPDATE decisions SET service = 'teenagers' WHERE request_id = $1",
            "UPDATE decisions SET level = 7 WHERE request_id = $1",
            "UPDATE decisions SET proposed_service = 'any' WHERE request_id = $1",
            "UPDATE request_needs SET domain = 'housng' WHERE request_id = $1",
            "UPDATE request_needs SET concerns = 'missing,lost' WHERE request_id = $1",
            "UPDATE requests SET consent = 'yes' WHERE id = $1",
        ];
        for sql in cases {
            let (id, _) = decided_request(&store, |_| Outcome::OpenTargeted {
                service: TargetedService::Core,
                override_reason: None,
            })
            .await;
            let err = corrupt(&store, sql, id).await;
            assert!(matches!(err, StoreError::Corrupt(_)), "{sql}: {err:?}");
        }
    }
);

/// A person with every coded detail recorded, as the store keeps them.
async fn coded_person(store: &Store) -> hearth_domain::ids::PersonId {
    use hearth_domain::person::{DobCertainty, Ethnicity, Sex};
    use hearth_store::family::people::{self, PersonFields};
    let id = hearth_domain::ids::PersonId::new();
    let mut tx = store.write().await.unwrap();
    people::insert(
        &mut tx,
        id,
        &PersonFields {
            given_names: "Amira".into(),
            family_name: "Haddad".into(),
            dob: chrono::NaiveDate::from_ymd_opt(2014, 5, 2),
            dob_certainty: Some(DobCertainty::Estimated),
            sex: Some(Sex::Female),
            ethnicity: Some(Ethnicity::AnyOtherEthnicGroup),
            restricted: true,
            restriction_roles: vec![Role::FrontDoorOfficer, Role::TeamManager],
            restriction_reason: Some("Address withheld".into()),
            ..PersonFields::default()
        },
        None,
        Utc::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

both_engines!(
    a_person_comes_back_typed_and_bad_codes_are_errors,
    |store| async move {
        use hearth_domain::person::{DobCertainty, Ethnicity, Sex};
        use hearth_store::family::people;
        let id = coded_person(&store).await;
        let mut conn = store.read().await.unwrap();
        let p = people::get(&mut conn, id).await.unwrap();
        drop(conn);
        assert_eq!(p.dob_certainty, Some(DobCertainty::Estimated));
        assert_eq!(p.sex, Some(Sex::Female));
        assert_eq!(p.ethnicity, Some(Ethnicity::AnyOtherEthnicGroup));
        assert_eq!(
            p.restriction_roles,
            vec![Role::FrontDoorOfficer, Role::TeamManager]
        );
        let cases = [
            "UPDATE people SET dob_certainty = 'sure' WHERE id = $1",
            "UPDATE people SET sex = 'F' WHERE id = $1",
            "UPDATE people SET ethnicity = 'white' WHERE id = $1",
            "UPDATE people SET restriction_roles = 'team_manager,wizard' WHERE id = $1",
        ];
        for sql in cases {
            let id = coded_person(&store).await;
            let mut tx = store.write().await.unwrap();
            sqlx::query(sql)
                .bind(id.to_string())
                .execute(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            let mut conn = store.read().await.unwrap();
            let err = people::get(&mut conn, id).await.unwrap_err();
            assert!(matches!(err, StoreError::Corrupt(_)), "{sql}: {err:?}");
            let err = people::summaries(&mut conn, &[id]).await.unwrap_err();
            assert!(matches!(err, StoreError::Corrupt(_)), "{sql}: {err:?}");
        }
    }
);
