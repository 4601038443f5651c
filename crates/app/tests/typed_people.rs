//! A person's household relationships come back from the store as the domain's type, shown by
//! label; a stored relationship that does not decode makes the record an error, never a
//! guess. Both engines.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::family::PersonView;
use hearth_app::AppError;
use hearth_domain::person::HouseholdRelationship;
use hearth_store::StoreError;
use hearth_testkit::app::{actor, hearth, years_ago};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;

both_engines!(
    household_relationships_are_typed_and_a_bad_one_is_an_error,
    |store| async move {
        let h = hearth(store.clone()).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let opened = Family::new("Mensah")
            .child("Ama", &years_ago(6))
            .parent("Efua", &years_ago(31))
            .need("education")
            .early_help(&h, &lead, "School knows the family best")
            .await;
        let child = opened.people[0];
        let PersonView::Full(record) = h.person(&lead, child, None).await.unwrap() else {
            panic!("the lead opens the record");
        };
        let parent = record
            .family
            .iter()
            .find(|m| m.person_id == opened.people[1])
            .unwrap();
        assert_eq!(parent.relationship, HouseholdRelationship::Parent);
        assert_eq!(parent.relationship.label(), "Parent");

        let mut tx = store.write().await.unwrap();
        sqlx::query("UPDATE household_members SET relationship = 'cousin' WHERE person_id = $1")
            .bind(opened.people[1].to_string())
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let err = h.person(&lead, child, None).await.unwrap_err();
        assert!(
            matches!(err, AppError::Store(StoreError::Corrupt(ref m)) if m.contains("cousin")),
            "{err:?}"
        );
    }
);
