//! Uniqueness kept by the database, not by check-then-insert: many adds at the same moment
//! make one record, and the others get a clear answer, on both engines.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::episodes::MemberForm;
use hearth_app::AppError;
use hearth_domain::ids::HouseholdId;
use hearth_store::{family::households, StoreError};
use hearth_testkit::app::{actor, hearth, years_ago};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;

both_engines!(
    eight_concurrent_adds_to_a_taf_make_one_membership,
    |store| async move {
        let h = hearth(store.clone()).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let health = actor(&h, "practitioner@demo.hearth.test").await;
        let opened = Family::new("Adeyemi")
            .child("Tobi", &years_ago(7))
            .need("education")
            .early_help(&h, &lead, "School knows the family best")
            .await;
        let adds: Vec<_> = (0..8)
            .map(|_| {
                let (h, lead) = (h.clone(), lead.clone());
                let form = MemberForm {
                    user_id: health.user_id.to_string(),
                    role: "Health visitor".into(),
                    ..MemberForm::default()
                };
                tokio::spawn(async move { h.add_taf_member(&lead, opened.episode, &form).await })
            })
            .collect();
        let mut added = 0;
        for add in adds {
            match add.await.unwrap() {
                Ok(()) => added += 1,
                Err(AppError::Invalid(e)) => assert!(e.get("user_id").is_some()),
                Err(other) => {
                    panic!("a concurrent add should be told they are in the team: {other:?}")
                }
            }
        }
        assert_eq!(added, 1);
        let members = h.episode(&lead, opened.episode).await.unwrap().members;
        let current = members
            .iter()
            .filter(|m| m.user_id == Some(health.user_id) && m.left_on.is_none())
            .count();
        assert_eq!(current, 1, "exactly one current membership");

        // A person lives in a household once at a time.
        let mut tx = store.write().await.unwrap();
        let household = HouseholdId::new();
        let today = chrono::Utc::now();
        households::create(&mut tx, household, "Adeyemi", today)
            .await
            .unwrap();
        households::add_member(
            &mut tx,
            household,
            opened.people[0],
            hearth_domain::person::HouseholdRelationship::Child,
            today.date_naive(),
        )
        .await
        .unwrap();
        assert!(matches!(
            households::add_member(
                &mut tx,
                household,
                opened.people[0],
                hearth_domain::person::HouseholdRelationship::Child,
                today.date_naive()
            )
            .await,
            Err(StoreError::Duplicate)
        ));
    }
);
