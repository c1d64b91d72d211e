//! `copy --from A --to B`: a whole region between a file and a server, in either direction, all
//! or nothing: a coordinator's file moving to the server, or the offline snapshot a reviewer
//! takes home.
//!
//! Every table is read in one snapshot of the source and written in one transaction of the
//! target, row by row with the same columns (the store's SQL runs on both engines), the audit log
//! included, so history, undo and `log` carry over. The target must be empty: just made by `new`.

use super::sql::{Sql, Val, args, one, rows};
use super::{Result, Store, StoreError};

/// The tables, parents first, with their columns in the order both schemas list them.
const TABLES: &[(&str, &str, &str)] = &[
    ("meta", "key, value", "key"),
    ("hospital_units", "name, district, coordinators", "name"),
    ("municipalities", "code, name, district, hospital_unit, lat, lon, threatened", "code"),
    ("boundaries", "municipality_code, polygon, ring, coords", "municipality_code, polygon, ring"),
    ("practices", super::PRACTICE_COLS, "id"),
    ("trainees", super::TRAINEE_COLS, "id"),
    ("placements", super::PLACEMENT_COLS, "trainee_id"),
    ("pauses", r#"id, practice_id, start, "end", wish_type"#, "id"),
    ("settings", "key, value", "key"),
    ("audit", "id, at, os_user, action, summary, reason, command, inverse, state, undoes", "id"),
    ("audit_subjects", "kind, id, audit_id", "audit_id, kind, id"),
    ("rounds", "name, published, published_after, body", "name"),
];

/// What a copy wrote: rows per table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CopyReport {
    pub tables: Vec<(&'static str, usize)>,
}

impl CopyReport {
    pub fn rows(&self, table: &str) -> usize {
        self.tables.iter().find(|(t, _)| *t == table).map_or(0, |(_, n)| *n)
    }
}

/// Copies everything `from` holds into `to`, which must hold no practices, trainees, placements,
/// pauses or changes yet (a database just made by `new`). One transaction: on any error the
/// target is as it was. Ends with an audit row in the target naming the source.
pub fn copy_into(from: &Store, to: &mut Store) -> Result<CopyReport> {
    to.writable()?;
    let data: Vec<Vec<Vec<Val>>> = from.read_with(|db| {
        TABLES
            .iter()
            .map(|(table, cols, order)| {
                rows(db, &format!("SELECT {cols} FROM {table} ORDER BY {order}"), &[], |r| {
                    (0..r.len()).map(|i| r.val(i)).collect::<Result<Vec<Val>>>()
                })
            })
            .collect()
    })?;
    let source = from.path().display().to_string();
    let user = to.user.clone();
    let target = to.path().display().to_string();
    to.write_with(|db| {
        super::pg::lock_for(db, None)?;
        ensure_empty(db, &target)?;
        for (table, _, _) in TABLES.iter().rev() {
            db.exec(&format!("DELETE FROM {table}"), &[])?;
        }
        let mut report = CopyReport::default();
        for ((table, cols, _), rows) in TABLES.iter().zip(&data) {
            let n = cols.split(',').count();
            let marks: Vec<String> = (1..=n).map(|i| format!("?{i}")).collect();
            let sql = format!("INSERT INTO {table}({cols}) VALUES ({})", marks.join(", "));
            for row in rows {
                db.exec(&sql, row)?;
            }
            report.tables.push((*table, rows.len()));
        }
        super::pg::reset_identities(db)?;
        super::audit(db, &user, "copy", &format!("copied from {source}"), None, None, "final", None)?;
        Ok(report)
    })
}

/// Refuses a target that holds data of its own (a copy never merges two regions).
fn ensure_empty(db: &mut dyn Sql, target: &str) -> Result<()> {
    for table in ["practices", "trainees", "placements", "pauses"] {
        let n: i64 = one(db, &format!("SELECT COUNT(*) FROM {table}"), &[], |r| r.get(0))?.unwrap_or(0);
        if n > 0 {
            return Err(StoreError::NotEmpty(format!(
                "{target} already holds {n} rows in {table}; copy into an empty database (make one with `new`)"
            )));
        }
    }
    let changes: i64 =
        one(db, "SELECT COUNT(*) FROM audit WHERE action <> ?1", &args!["create"], |r| r.get(0))?.unwrap_or(0);
    if changes > 0 {
        return Err(StoreError::NotEmpty(format!(
            "{target} already has {changes} changes in its log; copy into an empty database (make one with `new`)"
        )));
    }
    Ok(())
}
