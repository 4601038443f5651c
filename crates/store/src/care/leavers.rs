//! Care leavers' contacts (ADR 0053): recorded on the young person's care record, read back for
//! their page, and read for the SSDA903 return's OC3 file and the sufficiency picture. Only the
//! gate's proofs open them.

use crate::decode::{coded, date, opt_coded};
use crate::gate::OpenedChildInCare;
use crate::{Conn, Result};
use chrono::{DateTime, Utc};
use hearth_domain::care::leavers::{Accommodation, Activity, Contact, InTouch};
use hearth_domain::ids::PersonId;
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;

pub(crate) const COLUMNS: &str = "l.person_id, l.recorded_on, l.in_touch, l.activity,
    l.accommodation, l.accommodation_suitable, l.staying_put, l.staying_close";

pub(crate) fn contact(r: &AnyRow) -> Result<Contact> {
    let accommodation = opt_coded(r, "accommodation", Accommodation::from_code)?;
    let suitable = r.try_get::<i64, _>("accommodation_suitable")? != 0;
    Ok(Contact {
        recorded_on: date(&r.try_get::<String, _>("recorded_on")?)?,
        in_touch: coded(r, "in_touch", InTouch::from_code)?,
        activity: opt_coded(r, "activity", Activity::from_code)?,
        accommodation: accommodation.map(|a| (a, suitable)),
        staying_put: r.try_get::<i64, _>("staying_put")? != 0,
        staying_close: r.try_get::<i64, _>("staying_close")? != 0,
    })
}

/// Records a contact with the young person whose care record the gate opened.
pub async fn record(
    conn: &mut Conn,
    child: &OpenedChildInCare,
    c: &Contact,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO care_leaver_contacts (id, person_id, recorded_on, in_touch, activity,
            accommodation, accommodation_suitable, staying_put, staying_close, recorded_by,
            created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(child.person().to_string())
    .bind(c.recorded_on.to_string())
    .bind(c.in_touch.code())
    .bind(c.activity.map(|a| a.code()))
    .bind(c.accommodation.map(|(a, _)| a.code()))
    .bind(i64::from(c.accommodation.is_none_or(|(_, s)| s)))
    .bind(i64::from(c.staying_put))
    .bind(i64::from(c.staying_close))
    .bind(child.user().to_string())
    .bind(to_text(at))
    .execute(conn)
    .await?;
    Ok(())
}

/// The young person's contacts, the latest first.
pub async fn contacts(conn: &mut Conn, child: &OpenedChildInCare) -> Result<Vec<Contact>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM care_leaver_contacts l WHERE l.person_id = $1
         ORDER BY l.recorded_on DESC, l.created_at DESC"
    ))
    .bind(child.person().to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(contact).collect()
}

/// The person a contact row is about.
pub(crate) fn person(r: &AnyRow) -> Result<PersonId> {
    crate::decode::parse_id(&r.try_get::<String, _>("person_id")?)
}
