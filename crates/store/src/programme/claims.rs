//! The programme's claims, their audit samples and verdicts, the explanations given for the
//! data return's problems, and the counts behind the dashboard (ADR 0046). Which families to
//! open is listed here by id only; what is in a family's record is read through an episode
//! the gate opened for the programme ([`crate::gate::Gate::open_for_programme`]).

use crate::decode::{coded, date, opt_coded, opt_date, parse_id, parse_time};
use crate::gate::{ClaimSigner, ProgrammeDesk};
use crate::identification::worklist::{matched_event, MatchedEvent, MATCHED};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use hearth_domain::episode::NeedResult;
use hearth_domain::ids::{EpisodeId, UserId};
use hearth_domain::need::NeedDomain;
use hearth_domain::programme::claims::Verdict;
use hearth_domain::time::to_text;
use sqlx::Row;

fn midnight(d: NaiveDate) -> String {
    to_text(d.and_time(NaiveTime::MIN).and_utc())
}

/// The episodes a quarter's claim looks at: those whose sustainment check was answered before
/// the quarter ended, and those in the quarter's claim.
pub async fn claim_episodes(
    conn: &mut Conn,
    _desk: &ProgrammeDesk,
    quarter: &str,
    quarter_end: NaiveDate,
) -> Result<Vec<EpisodeId>> {
    let rows = sqlx::query(
        "SELECT DISTINCT episode_id FROM sustainment_answers WHERE recorded_at < $1
         UNION SELECT episode_id FROM programme_claim_families WHERE quarter = $2
         ORDER BY 1",
    )
    .bind(midnight(quarter_end))
    .bind(quarter)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| parse_id(&r.try_get::<String, _>(0)?))
        .collect()
}

/// The episodes a quarter's data return carries, among those measured against an outcome
/// framework: open on any day of the quarter (`[start, end)`), or whose sustainment check was
/// answered in it, or in its claim.
pub async fn return_episodes(
    conn: &mut Conn,
    _desk: &ProgrammeDesk,
    quarter: &str,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<Vec<EpisodeId>> {
    let rows = sqlx::query(
        "SELECT e.id FROM episodes e JOIN episode_frameworks f ON f.episode_id = e.id
         WHERE (e.started_on < $1 AND (e.ended_on IS NULL OR e.ended_on >= $2))
            OR e.id IN (SELECT episode_id FROM sustainment_answers
                        WHERE recorded_at >= $3 AND recorded_at < $4)
            OR e.id IN (SELECT episode_id FROM programme_claim_families WHERE quarter = $5)
         ORDER BY e.id",
    )
    .bind(end.to_string())
    .bind(start.to_string())
    .bind(midnight(start))
    .bind(midnight(end))
    .bind(quarter)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| parse_id(&r.try_get::<String, _>(0)?))
        .collect()
}

/// When the family's sustainment check was answered, if it was.
pub async fn answered_at(
    conn: &mut Conn,
    _desk: &ProgrammeDesk,
    episode: EpisodeId,
) -> Result<Option<DateTime<Utc>>> {
    let at: Option<String> = sqlx::query_scalar(
        "SELECT MIN(recorded_at) FROM sustainment_answers WHERE episode_id = $1",
    )
    .bind(episode.to_string())
    .fetch_one(conn)
    .await?;
    at.as_deref().map(parse_time).transpose()
}

/// An outcome of a family in a claim that stands (not withdrawn): which quarter's, and
/// whether that claim is signed off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub episode: EpisodeId,
    pub need: NeedDomain,
    pub quarter: String,
    pub signed_off: bool,
}

/// Every outcome in a claim that stands.
pub async fn claimed(conn: &mut Conn) -> Result<Vec<Claimed>> {
    let rows = sqlx::query(
        "SELECT o.episode_id, o.domain, o.quarter, c.signed_off_at FROM programme_claim_outcomes o
         JOIN programme_claims c ON c.quarter = o.quarter WHERE o.withdrawn = 0",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Claimed {
                episode: parse_id(&r.try_get::<String, _>("episode_id")?)?,
                need: coded(r, "domain", NeedDomain::from_code)?,
                quarter: r.try_get("quarter")?,
                signed_off: r.try_get::<Option<String>, _>("signed_off_at")?.is_some(),
            })
        })
        .collect()
}

/// A quarter's claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub quarter: String,
    pub sample_percent: u32,
    pub seed: String,
    pub made_by_name: String,
    pub made_at: DateTime<Utc>,
    pub signed_off: Option<(String, DateTime<Utc>)>,
    pub families: Vec<ClaimFamily>,
}

/// One family of a claim, its outcomes and, in the sample, the auditor's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimFamily {
    pub episode: EpisodeId,
    /// (need, withdrawn)
    pub outcomes: Vec<(NeedDomain, bool)>,
    pub in_sample: bool,
    pub verdict: Option<Verdict>,
    pub note: String,
    pub audited_by: Option<UserId>,
    pub audited_by_name: Option<String>,
}

/// The quarter's claim, if one was made.
pub async fn claim(conn: &mut Conn, _desk: &ProgrammeDesk, quarter: &str) -> Result<Option<Claim>> {
    let Some(c) = sqlx::query(
        "SELECT c.sample_percent, c.seed, m.display_name AS made_by_name, c.made_at,
            s.display_name AS signed_off_by_name, c.signed_off_at
         FROM programme_claims c JOIN users m ON m.id = c.made_by
         LEFT JOIN users s ON s.id = c.signed_off_by WHERE c.quarter = $1",
    )
    .bind(quarter)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let families = sqlx::query(
        "SELECT f.episode_id, f.in_sample, f.verdict, f.verdict_note, f.audited_by, u.display_name
         FROM programme_claim_families f LEFT JOIN users u ON u.id = f.audited_by
         WHERE f.quarter = $1 ORDER BY f.episode_id",
    )
    .bind(quarter)
    .fetch_all(&mut *conn)
    .await?;
    let outcomes = sqlx::query(
        "SELECT episode_id, domain, withdrawn FROM programme_claim_outcomes WHERE quarter = $1
         ORDER BY episode_id, domain",
    )
    .bind(quarter)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for f in &families {
        let episode: String = f.try_get("episode_id")?;
        let mut mine = Vec::new();
        for o in outcomes
            .iter()
            .filter(|o| o.try_get::<String, _>("episode_id").ok().as_ref() == Some(&episode))
        {
            mine.push((
                coded(o, "domain", NeedDomain::from_code)?,
                o.try_get::<i64, _>("withdrawn")? != 0,
            ));
        }
        out.push(ClaimFamily {
            episode: parse_id(&episode)?,
            outcomes: mine,
            in_sample: f.try_get::<i64, _>("in_sample")? != 0,
            verdict: opt_coded(f, "verdict", Verdict::from_code)?,
            note: f.try_get("verdict_note")?,
            audited_by: f
                .try_get::<Option<String>, _>("audited_by")?
                .as_deref()
                .map(parse_id)
                .transpose()?,
            audited_by_name: f.try_get("display_name")?,
        });
    }
    let signed_off = match (
        c.try_get::<Option<String>, _>("signed_off_by_name")?,
        c.try_get::<Option<String>, _>("signed_off_at")?,
    ) {
        (Some(who), Some(at)) => Some((who, parse_time(&at)?)),
        _ => None,
    };
    Ok(Some(Claim {
        quarter: quarter.into(),
        sample_percent: u32::try_from(c.try_get::<i64, _>("sample_percent")?)
            .map_err(|_| StoreError::Corrupt("sample_percent".into()))?,
        seed: c.try_get("seed")?,
        made_by_name: c.try_get("made_by_name")?,
        made_at: parse_time(&c.try_get::<String, _>("made_at")?)?,
        signed_off,
        families: out,
    }))
}

/// One family as a new claim carries it.
#[derive(Debug, Clone)]
pub struct NewClaimFamily {
    pub episode: EpisodeId,
    pub outcomes: Vec<NeedDomain>,
    pub in_sample: bool,
}

/// Makes the quarter's claim: [`StoreError::Duplicate`] when the quarter has one already, or
/// an outcome is in a claim that stands.
pub async fn make_claim(
    conn: &mut Conn,
    desk: &ProgrammeDesk,
    quarter: &str,
    sample_percent: u32,
    seed: u64,
    families: &[NewClaimFamily],
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO programme_claims (quarter, sample_percent, seed, made_by, made_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(quarter)
    .bind(i64::from(sample_percent))
    .bind(seed.to_string())
    .bind(desk.lead().to_string())
    .bind(to_text(now))
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    for f in families {
        sqlx::query(
            "INSERT INTO programme_claim_families (quarter, episode_id, in_sample)
             VALUES ($1, $2, $3)",
        )
        .bind(quarter)
        .bind(f.episode.to_string())
        .bind(i64::from(f.in_sample))
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
        for need in &f.outcomes {
            sqlx::query(
                "INSERT INTO programme_claim_outcomes (quarter, episode_id, domain)
                 VALUES ($1, $2, $3)",
            )
            .bind(quarter)
            .bind(f.episode.to_string())
            .bind(need.code())
            .execute(&mut *conn)
            .await
            .map_err(StoreError::from_write)?;
        }
    }
    Ok(())
}

/// Records the auditor's verdict on a family of the sample, while the claim is not signed
/// off; `false` when there is no such family in the sample or the claim is signed off.
pub async fn record_verdict(
    conn: &mut Conn,
    desk: &ProgrammeDesk,
    quarter: &str,
    episode: EpisodeId,
    verdict: Verdict,
    note: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE programme_claim_families SET verdict = $1, verdict_note = $2, audited_by = $3,
            audited_at = $4
         WHERE quarter = $5 AND episode_id = $6 AND in_sample = 1
           AND quarter IN (SELECT quarter FROM programme_claims WHERE signed_off_at IS NULL)",
    )
    .bind(verdict.code())
    .bind(note)
    .bind(desk.lead().to_string())
    .bind(to_text(now))
    .bind(quarter)
    .bind(episode.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Who gave the verdicts of the quarter's sample, once each.
pub async fn auditors(
    conn: &mut Conn,
    _desk: &ProgrammeDesk,
    quarter: &str,
) -> Result<Vec<UserId>> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT audited_by FROM programme_claim_families
         WHERE quarter = $1 AND audited_by IS NOT NULL ORDER BY 1",
    )
    .bind(quarter)
    .fetch_all(conn)
    .await?;
    ids.iter().map(String::as_str).map(parse_id).collect()
}

/// Signs the claim off, taking out the outcomes of the families not upheld; `false` when it
/// was signed off already, or the signer has given a verdict of its sample since the gate let
/// them sign.
pub async fn sign_off(conn: &mut Conn, signer: &ClaimSigner, now: DateTime<Utc>) -> Result<bool> {
    let quarter = signer.quarter();
    let done = sqlx::query(
        "UPDATE programme_claims SET signed_off_by = $1, signed_off_at = $2
         WHERE quarter = $3 AND signed_off_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM programme_claim_families
                           WHERE quarter = $4 AND audited_by = $5)",
    )
    .bind(signer.lead().to_string())
    .bind(to_text(now))
    .bind(quarter)
    .bind(quarter)
    .bind(signer.lead().to_string())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE programme_claim_outcomes SET withdrawn = 1 WHERE quarter = $1 AND episode_id IN
            (SELECT episode_id FROM programme_claim_families WHERE quarter = $2
             AND verdict = $3)",
    )
    .bind(quarter)
    .bind(quarter)
    .bind(Verdict::NotUpheld.code())
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// An explanation given for a problem in the data return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub episode: EpisodeId,
    pub problem: String,
    pub explanation: String,
    pub by_name: String,
}

pub async fn explanations(
    conn: &mut Conn,
    _desk: &ProgrammeDesk,
    quarter: &str,
) -> Result<Vec<Explanation>> {
    let rows = sqlx::query(
        "SELECT x.episode_id, x.problem, x.explanation, u.display_name
         FROM programme_return_explanations x JOIN users u ON u.id = x.explained_by
         WHERE x.quarter = $1",
    )
    .bind(quarter)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Explanation {
                episode: parse_id(&r.try_get::<String, _>("episode_id")?)?,
                problem: r.try_get("problem")?,
                explanation: r.try_get("explanation")?,
                by_name: r.try_get("display_name")?,
            })
        })
        .collect()
}

/// Keeps the explanation of one problem (a later one replaces it).
pub async fn explain(
    conn: &mut Conn,
    desk: &ProgrammeDesk,
    quarter: &str,
    episode: EpisodeId,
    problem: &str,
    explanation: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "DELETE FROM programme_return_explanations
         WHERE quarter = $1 AND episode_id = $2 AND problem = $3",
    )
    .bind(quarter)
    .bind(episode.to_string())
    .bind(problem)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO programme_return_explanations
            (quarter, episode_id, problem, explanation, explained_by, explained_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(quarter)
    .bind(episode.to_string())
    .bind(problem)
    .bind(explanation)
    .bind(desk.lead().to_string())
    .bind(to_text(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// One episode measured against a framework, as the dashboard counts it: its framework
/// version, when it started and closed, and per need its result at closure and the
/// sustainment answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedEpisode {
    pub episode: EpisodeId,
    pub version: String,
    pub started_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    /// (need, result at closure, sustained)
    pub needs: Vec<(NeedDomain, Option<NeedResult>, Option<bool>)>,
}

/// Every episode measured against a framework, with its needs: the counts behind the
/// dashboard (no names, no people; read for aggregate figures only).
pub async fn counted_episodes(conn: &mut Conn) -> Result<Vec<CountedEpisode>> {
    let rows = sqlx::query(
        "SELECT f.episode_id, f.version, e.started_on, e.ended_on, n.domain, n.result,
            a.sustained
         FROM episode_frameworks f JOIN episodes e ON e.id = f.episode_id
         JOIN episode_needs n ON n.episode_id = f.episode_id
         LEFT JOIN sustainment_answers a ON a.episode_id = n.episode_id AND a.domain = n.domain
         ORDER BY f.episode_id, n.domain",
    )
    .fetch_all(conn)
    .await?;
    let mut out: Vec<CountedEpisode> = Vec::new();
    for r in &rows {
        let episode: EpisodeId = parse_id(&r.try_get::<String, _>("episode_id")?)?;
        let need = (
            coded(r, "domain", NeedDomain::from_code)?,
            opt_coded(r, "result", NeedResult::from_code)?,
            r.try_get::<Option<i64>, _>("sustained")?.map(|s| s != 0),
        );
        match out.last_mut() {
            Some(last) if last.episode == episode => last.needs.push(need),
            _ => out.push(CountedEpisode {
                episode,
                version: r.try_get("version")?,
                started_on: date(&r.try_get::<String, _>("started_on")?)?,
                closed_on: opt_date(r.try_get("ended_on")?)?,
                needs: vec![need],
            }),
        }
    }
    Ok(out)
}

/// Every partner event matched to a person of an episode measured against a framework, with
/// the episode: what shows a need at the start besides the record's needs (read for the
/// dashboard's aggregate figures only).
pub async fn counted_events(conn: &mut Conn) -> Result<Vec<(EpisodeId, MatchedEvent)>> {
    let rows = sqlx::query(&format!(
        "SELECT p.episode_id AS counted_episode, m.* FROM ({MATCHED}) m
         JOIN episode_people p ON p.person_id = m.person_id
         JOIN episode_frameworks f ON f.episode_id = p.episode_id
         ORDER BY p.episode_id, m.event_on, m.id"
    ))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                parse_id(&r.try_get::<String, _>("counted_episode")?)?,
                matched_event(r)?,
            ))
        })
        .collect()
}

/// The frameworks kept, by version (JSON definitions), for the dashboard's counting.
pub async fn frameworks(conn: &mut Conn) -> Result<Vec<(String, String)>> {
    let rows = sqlx::query("SELECT version, definition FROM outcome_frameworks")
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("version")?, r.try_get("definition")?)))
        .collect()
}
