//! The `rounds` table (schema step 4): draft and published rounds, one row each, the round as JSON.
//!
//! All of the store's round SQL is here: reading rounds, the precondition of the round commands
//! (the row must be as the command expects) and their apply step. `Store::execute` calls
//! [`stale`] and [`apply`] beside the other tables' steps, in the same transaction.

use super::sql::{Sql, args, one as one_row, rows};

use super::{Result, StoreError};
use crate::domain::command::Command;
use crate::domain::round::Round;

/// A round as stored, with the newest audit id before it was published.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredRound {
    pub round: Round,
    /// Set while the round is published: changes with a higher audit id came after it.
    pub published_after: Option<i64>,
}

fn parse(name: &str, body: &str) -> Result<Round> {
    serde_json::from_str(body).map_err(|e| StoreError::Corrupt(format!("round {name}: {e}")))
}

fn json(round: &Round) -> Result<String> {
    serde_json::to_string(round).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Every round, by name.
pub(super) fn all(db: &mut dyn Sql) -> Result<Vec<StoredRound>> {
    rows(db, "SELECT name, body, published_after FROM rounds ORDER BY name", &[], |r| {
        let name: String = r.get(0)?;
        Ok(StoredRound { round: parse(&name, &r.get::<String>(1)?)?, published_after: r.get(2)? })
    })
}

/// One round by its exact name.
pub(super) fn one(db: &mut dyn Sql, name: &str) -> Result<Option<StoredRound>> {
    let row: Option<(String, Option<i64>)> =
        one_row(db, "SELECT body, published_after FROM rounds WHERE name = ?1", &args![name], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    row.map(|(body, published_after)| Ok(StoredRound { round: parse(name, &body)?, published_after })).transpose()
}

/// The newest audit id of a change to the region's data: round drafts (new, changed, dropped)
/// do not count, so a draft stays current while other drafts are made.
pub(super) fn data_version(db: &mut dyn Sql) -> Result<i64> {
    Ok(one_row(
        db,
        "SELECT COALESCE(MAX(id), 0) FROM audit
         WHERE action NOT IN ('round_new', 'round_edit', 'round_drop', 'undo_refused', 'redo_refused')",
        &[],
        |r| r.get::<i64>(0),
    )?
    .unwrap_or(0))
}

/// The round row a round command expects, compared with the file: a conflict when it differs.
pub(super) fn stale(db: &mut dyn Sql, cmd: &Command) -> Result<Option<StoreError>> {
    let (name, expected): (&str, Option<Round>) = match cmd {
        Command::SaveRound { before, after } => {
            let Some(name) = before.as_ref().or(after.as_ref()).map(|r| r.name.as_str()) else { return Ok(None) };
            (name, before.as_deref().cloned())
        }
        Command::PublishRound { round } => (round.name.as_str(), Some((**round).clone())),
        Command::UnpublishRound { round } => {
            (round.name.as_str(), Some(Round { published: true, ..(**round).clone() }))
        }
        _ => return Ok(None),
    };
    let now = one(db, name)?.map(|s| s.round);
    if now == expected {
        return Ok(None);
    }
    Ok(Some(match (&now, &expected) {
        (Some(_), None) => StoreError::Command(crate::domain::command::CommandError::Invalid(format!(
            "a round named {name} exists already; choose another name or drop it first"
        ))),
        (None, Some(_)) => StoreError::Conflict(format!(
            "round {name} is gone since it was read (dropped, or its making undone). Nothing was saved"
        )),
        _ => StoreError::Conflict(format!(
            "round {name} changed since it was read (published, or changed in another window). Nothing was saved; look again and retry"
        )),
    }))
}

/// Writes what a round command changes in the `rounds` table (its placements are written with
/// the other rows).
pub(super) fn apply(db: &mut dyn Sql, cmd: &Command) -> Result<()> {
    match cmd {
        Command::SaveRound { before, after } => match (before, after) {
            (_, Some(a)) => {
                db.exec(
                    "INSERT INTO rounds(name, published, published_after, body) VALUES (?1, 0, NULL, ?2)
                     ON CONFLICT(name) DO UPDATE SET published = 0, published_after = NULL, body = excluded.body",
                    &args![&a.name, json(a)?],
                )?;
            }
            (Some(b), None) => {
                db.exec("DELETE FROM rounds WHERE name = ?1", &args![&b.name])?;
            }
            (None, None) => {}
        },
        Command::PublishRound { round } => {
            let published = Round { published: true, ..(**round).clone() };
            db.exec(
                "UPDATE rounds SET published = 1, published_after = (SELECT COALESCE(MAX(id), 0) FROM audit),
                 body = ?2 WHERE name = ?1",
                &args![&round.name, json(&published)?],
            )?;
        }
        Command::UnpublishRound { round } => {
            let draft = Round { published: false, ..(**round).clone() };
            db.exec(
                "UPDATE rounds SET published = 0, published_after = NULL, body = ?2 WHERE name = ?1",
                &args![&round.name, json(&draft)?],
            )?;
        }
        _ => {}
    }
    Ok(())
}
