//! Family Hub staff under load (issue 21's measure): a hub worker sets up a course of thirty
//! places today, registers five families of six and books all thirty, then marks that
//! register again and again: the whole form without JavaScript, and single marks as the
//! register's script sends them. The partnership's analyst reads the hubs' reach over ten
//! years. Setting up is named `hubs set-up: …`, so it does not mix with the measured steps,
//! and with `--warm-up` it is done before measuring, as on a day the courses already exist.

use crate::journeys::{get, post, require, session, sign_in_as};
use crate::page;
use goose::prelude::*;
use rand::Rng;
use std::sync::Mutex;

/// The demo's hub worker (present in every city demo) and the analyst who reads the reach.
const HUB_WORKER: &str = "hub@demo.hearth.test";
const ANALYST: &str = "analyst@demo.hearth.test";
/// Five families of six: a register of thirty.
const FAMILIES: usize = 5;
const MEMBERS: usize = 6;

/// Registers set up before measuring (`--warm-up`), each taken by one measured hub worker.
static SET_UP: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Warm-up: sets up a register of thirty for a hub worker measured later.
pub async fn set_up_for_later(user: &mut GooseUser) -> TransactionResult {
    sign_in_as(user, HUB_WORKER.to_string()).await?;
    set_up_register(user).await?;
    if let (Some(register), Ok(mut set_up)) = (session(user).register.take(), SET_UP.lock()) {
        set_up.push(register);
    }
    Ok(())
}

/// Signs in as the hub worker and takes a register set up in the warm-up, or sets up this
/// user's own when there is none left.
pub async fn take_register(user: &mut GooseUser) -> TransactionResult {
    sign_in_as(user, HUB_WORKER.to_string()).await?;
    let taken = SET_UP.lock().ok().and_then(|mut set_up| set_up.pop());
    match taken {
        Some(register) => session(user).register = Some(register),
        None => set_up_register(user).await?,
    }
    Ok(())
}

/// Sets up this (signed-in) user's own register of thirty.
async fn set_up_register(user: &mut GooseUser) -> TransactionResult {
    let csrf = session(user).csrf.clone();
    let form = get(user, "/hubs/programmes/new", "hubs set-up: programme form").await?;
    let service = page::options(&form.body, "service");
    let location = page::options(&form.body, "location");
    let today = chrono::Local::now().format("%d/%m/%Y").to_string();
    let run = format!("{:x}", rand::thread_rng().gen::<u64>());
    let mut programme = post(
        user,
        "/hubs/programmes/new",
        "hubs set-up: programme",
        &[
            ("csrf_token", csrf.clone()),
            ("service", service.first().cloned().unwrap_or_default()),
            ("location", location.first().cloned().unwrap_or_default()),
            ("name", format!("Load test course {run}")),
            ("kind", "course".into()),
            ("first_date", today),
            ("weeks", "10".into()),
            ("starts", "10:00".into()),
            ("ends", "12:00".into()),
            ("facilitators", "Load test".into()),
            ("capacity", "30".into()),
        ],
    )
    .await?;
    let programme_id = programme
        .url
        .strip_prefix("/hubs/programmes/")
        .map(str::to_string);
    let register = page::linked_ids(&programme.body, "/hubs/sessions/")
        .into_iter()
        .next();
    let ok = programme_id.is_some() && register.is_some();
    require(user, ok, &mut programme, "the course was not set up")?;
    let (Some(programme_id), Some(register)) = (programme_id, register) else {
        return Ok(());
    };
    let hubs = page::options(
        &get(user, "/hubs/families/new", "hubs set-up: family form")
            .await?
            .body,
        "hub",
    );
    for f in 0..FAMILIES {
        let mut fields = vec![
            ("csrf_token", csrf.clone()),
            ("hub", hubs.first().cloned().unwrap_or_default()),
            ("postcode", "NG5 5AB".to_string()),
            ("language", "English".to_string()),
            ("consent_attendance", "yes".to_string()),
        ];
        for m in 0..MEMBERS {
            fields.push(("given_names", format!("Member{m}")));
            fields.push(("family_name", format!("Load{run}{f}")));
            fields.push(("born", "born".to_string()));
            fields.push(("dob", format!("{:02}/03/{}", m + 1, 1990 + m * 4)));
            fields.push(("ethnicity", String::new()));
        }
        let mut family = post(user, "/hubs/families/new", "hubs set-up: family", &fields).await?;
        let members = page::options(&family.body, "member");
        let ok = family.url.starts_with("/hubs/families/") && members.len() == MEMBERS;
        require(user, ok, &mut family, "the family was not registered")?;
        for member in members {
            post(
                user,
                &format!("{}/bookings", family.url),
                "hubs set-up: booking",
                &[
                    ("csrf_token", csrf.clone()),
                    ("member", member),
                    ("programme", programme_id.clone()),
                ],
            )
            .await?;
        }
    }
    session(user).register = Some(register);
    Ok(())
}

/// Opens the register and saves it whole, about two in three ticked, as the form without
/// JavaScript sends it.
pub async fn mark_register(user: &mut GooseUser) -> TransactionResult {
    let Some(register) = session(user).register.clone() else {
        return Ok(());
    };
    let path = format!("/hubs/sessions/{register}/register");
    let mut form = get(user, &path, "hubs: open register of 30").await?;
    let listed = page::values(&form.body, "listed");
    let submission = page::values(&form.body, "submission");
    let ok = listed.len() == FAMILIES * MEMBERS && submission.len() == 1;
    require(user, ok, &mut form, "the register does not list thirty")?;
    let mut fields = vec![
        ("csrf_token", session(user).csrf.clone()),
        ("submission", submission.concat()),
    ];
    {
        let mut rng = rand::thread_rng();
        for m in listed {
            if rng.gen_bool(2.0 / 3.0) {
                fields.push(("present", m.clone()));
            }
            fields.push(("listed", m));
        }
    }
    let mut saved = post(user, &path, "hubs: save register of 30", &fields).await?;
    let ok = saved.body.contains("Register saved.");
    require(user, ok, &mut saved, "the register was not saved")
}

/// One tick as the register's script sends it, with its own mark id.
pub async fn mark_one(user: &mut GooseUser) -> TransactionResult {
    let Some(register) = session(user).register.clone() else {
        return Ok(());
    };
    let path = format!("/hubs/sessions/{register}/register");
    let form = get(user, &path, "hubs: open register of 30").await?;
    let listed = page::values(&form.body, "listed");
    let (member, mark_id, present) = {
        let mut rng = rand::thread_rng();
        (
            listed.get(rng.gen_range(0..listed.len().max(1))).cloned(),
            format!("load-{:x}", rng.gen::<u128>()),
            rng.gen_bool(0.5).to_string(),
        )
    };
    let Some(member) = member else {
        return Ok(());
    };
    let csrf = session(user).csrf.clone();
    let mut marked = post(
        user,
        &format!("/hubs/sessions/{register}/marks"),
        "hubs: one mark (script)",
        &[
            ("csrf_token", csrf),
            ("mark_id", mark_id),
            ("member", member),
            ("present", present),
        ],
    )
    .await?;
    let ok = marked.body.is_empty() && !marked.url.is_empty();
    require(user, ok, &mut marked, "the mark was not kept")
}

pub async fn sign_in_analyst(user: &mut GooseUser) -> TransactionResult {
    sign_in_as(user, ANALYST.to_string()).await
}

/// The reach over the ten years of the city's record.
pub async fn reach(user: &mut GooseUser) -> TransactionResult {
    let to = chrono::Local::now().date_naive();
    let from = to - chrono::Months::new(120);
    let mut page = get(
        user,
        &format!(
            "/hubs/reach?from={}&to={}",
            from.format("%d/%m/%Y"),
            to.format("%d/%m/%Y")
        ),
        "hubs: reach over ten years",
    )
    .await?;
    let ok = page.body.contains("Bestwood");
    require(user, ok, &mut page, "the reach is incomplete")
}
