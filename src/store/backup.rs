//! Rotating backups beside the file, made with SQLite's online backup API (never a file copy,
//! which could catch a half-written page or miss the WAL), and restoring one.
//!
//! Backups of `region.sqlite` live in `region.sqlite.backups/` beside it, named
//! `YYYYMMDD-HHMMSS-mmm-a<audit id>.sqlite` so that names sort by age and say which change was
//! the newest in them. A backup is written under a `.partial-` name, checked, synced and then
//! renamed, so a crash never leaves a half backup that looks whole.

use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{APPLICATION_ID, Result, SCHEMA_VERSION, StoreError, create_private_file};

/// One backup of a database file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupInfo {
    pub path: PathBuf,
    /// When it was made, local time, `YYYY-MM-DD HH:MM:SS`.
    pub made: String,
    /// The newest audit row in it: two backups with the same id hold the same data.
    pub audit_id: i64,
    pub size_bytes: u64,
}

/// What `restore_backup` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestoreReport {
    /// A backup of the file as it was just before the restore (when it was healthy).
    pub safety_backup: Option<PathBuf>,
    /// Where a damaged file was moved to, for inspection.
    pub moved_aside: Option<PathBuf>,
}

/// The folder of `db`'s backups: `<db>.backups` beside it.
pub fn backup_dir(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".backups");
    db.with_file_name(name)
}

/// `db`'s backups, newest first. Half-written ones (`.partial-`) are never listed.
pub fn list_backups(db: &Path) -> Result<Vec<BackupInfo>> {
    let dir = backup_dir(db);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((made, audit_id)) = parse_name(&name) else { continue };
        out.push(BackupInfo { path: entry.path(), made, audit_id, size_bytes: entry.metadata()?.len() });
    }
    out.sort_by(|a, b| b.path.cmp(&a.path));
    Ok(out)
}

/// `YYYYMMDD-HHMMSS-mmm-a<id>.sqlite` → ("YYYY-MM-DD HH:MM:SS", id).
fn parse_name(name: &str) -> Option<(String, i64)> {
    let stem = name.strip_suffix(".sqlite")?;
    let (stamp, id) = stem.rsplit_once("-a")?;
    let id: i64 = id.parse().ok()?;
    let b = stamp.as_bytes();
    if b.len() != 19 || b[8] != b'-' || b[15] != b'-' {
        return None;
    }
    if !stamp.chars().enumerate().all(|(i, c)| i == 8 || i == 15 || c.is_ascii_digit()) {
        return None;
    }
    let s = |r: std::ops::Range<usize>| &stamp[r];
    Some((format!("{}-{}-{} {}:{}:{}", s(0..4), s(4..6), s(6..8), s(9..11), s(11..13), s(13..15)), id))
}

/// The newest audit id of an open database (0 when empty).
pub(crate) fn newest_audit_id(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT COALESCE(MAX(id), 0) FROM audit", [], |r| r.get(0))?)
}

/// Makes a backup of `conn` (the open file `db`) unless the newest one holds the same data or
/// is younger than `min_interval`; keeps the newest `keep`. Returns the new backup, if any.
/// Whether the newest backup beside `db` was made less than `interval` ago (it was made, and
/// checked, after the file passed its own check).
pub(crate) fn newest_is_younger_than(db: &Path, interval: Duration) -> bool {
    list_backups(db).ok().and_then(|b| b.into_iter().next()).is_some_and(|newest| {
        std::fs::metadata(&newest.path)
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age < interval))
    })
}

pub(crate) fn rotate(conn: &Connection, db: &Path, keep: usize, min_interval: Duration) -> Result<Option<PathBuf>> {
    if keep == 0 {
        return Ok(None);
    }
    let audit_id = newest_audit_id(conn)?;
    let existing = list_backups(db)?;
    if let Some(newest) = existing.first() {
        let age = std::fs::metadata(&newest.path)?.modified()?.elapsed().unwrap_or(Duration::ZERO);
        if newest.audit_id == audit_id || age < min_interval {
            return Ok(None);
        }
    }
    let made = make(conn, db, audit_id)?;
    prune(db, keep)?;
    Ok(Some(made))
}

/// Writes one backup now.
pub(crate) fn make(conn: &Connection, db: &Path, audit_id: i64) -> Result<PathBuf> {
    let dir = backup_dir(db);
    create_private_dir(&dir)?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S-%3f").to_string();
    let name = format!("{stamp}-a{audit_id}.sqlite");
    let partial = dir.join(format!(".partial-{}-{name}", std::process::id()));
    let _ = std::fs::remove_file(&partial);
    create_private_file(&partial)?;
    let result = (|| -> Result<PathBuf> {
        {
            let mut target = Connection::open(&partial)?;
            let backup = rusqlite::backup::Backup::new(conn, &mut target)?;
            backup.run_to_completion(1024, Duration::from_millis(2), None)?;
            drop(backup);
            // The copy is a standalone file: no WAL beside it.
            let _: String = target.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
            if !quick_check(&target)?.is_empty() {
                return Err(StoreError::Corrupt("the new backup failed its check".into()));
            }
        }
        std::fs::File::open(&partial)?.sync_all()?;
        let final_path = dir.join(&name);
        if final_path.exists() {
            // Two programs made a backup in the same millisecond: theirs is as good as ours.
            std::fs::remove_file(&partial)?;
            return Ok(final_path);
        }
        std::fs::rename(&partial, &final_path)?;
        sync_dir(&dir);
        Ok(final_path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

/// Deletes all but the newest `keep` backups, and partial ones a crash left over an hour ago.
pub(crate) fn prune(db: &Path, keep: usize) -> Result<()> {
    for old in list_backups(db)?.into_iter().skip(keep) {
        std::fs::remove_file(&old.path)?;
    }
    if let Ok(entries) = std::fs::read_dir(backup_dir(db)) {
        for entry in entries.flatten() {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > Duration::from_secs(3600));
            if entry.file_name().to_string_lossy().starts_with(".partial-") && old {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    Ok(())
}

/// `PRAGMA quick_check`: empty when the file is sound, else its complaints.
pub(crate) fn quick_check(conn: &Connection) -> Result<Vec<String>> {
    let mut st = conn.prepare("PRAGMA quick_check")?;
    let rows = st.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(if rows.len() == 1 && rows[0] == "ok" { Vec::new() } else { rows })
}

/// Whether a file is a sound database of ours that this version can read.
pub(crate) fn is_good(path: &Path) -> bool {
    let check = || -> Result<bool> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let version: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        Ok(app_id == APPLICATION_ID && version <= SCHEMA_VERSION && quick_check(&conn)?.is_empty())
    };
    check().unwrap_or(false)
}

/// The newest backup of `db` that passes its check.
pub fn newest_good_backup(db: &Path) -> Option<BackupInfo> {
    list_backups(db).ok()?.into_iter().find(|b| is_good(&b.path))
}

/// Replaces the data of `db` by the backup `backup`, with the backup API.
///
/// A healthy `db` is first backed up itself (so a restore can be undone by restoring that), then
/// overwritten in place. A damaged `db` is moved aside to `<db>.damaged-<time>` (with its -wal
/// and -shm) and a new file is written. No program may have `db` open for writing: a live
/// instance lock refuses the restore with `StoreError::HeldBy`.
pub fn restore_backup(db: &Path, backup: &Path) -> Result<RestoreReport> {
    if !is_good(backup) {
        return Err(StoreError::Corrupt(format!(
            "{} is not a sound backup of a tutorfordeling database",
            backup.display()
        )));
    }
    let source = Connection::open_with_flags(backup, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut report = RestoreReport { safety_backup: None, moved_aside: None };
    if db.exists() {
        if is_good(db) {
            let mut target = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
            target.busy_timeout(super::BUSY_TIMEOUT)?;
            if let Some(holder) = super::lock::read(&target)?
                && !holder.is_this_process()
                && holder.liveness() != super::lock::Liveness::Gone
            {
                return Err(StoreError::HeldBy { path: db.to_path_buf(), holder: Box::new(holder) });
            }
            report.safety_backup = Some(make(&target, db, newest_audit_id(&target)?)?);
            let backup_run = rusqlite::backup::Backup::new(&source, &mut target)?;
            backup_run.run_to_completion(1024, Duration::from_millis(2), None)?;
            drop(backup_run);
            clear_lock(&target)?;
            return Ok(report);
        }
        report.moved_aside = Some(move_aside(db)?);
    }
    create_private_file(db)?;
    let mut target = Connection::open(db)?;
    let backup_run = rusqlite::backup::Backup::new(&source, &mut target)?;
    backup_run.run_to_completion(1024, Duration::from_millis(2), None)?;
    drop(backup_run);
    clear_lock(&target)?;
    Ok(report)
}

/// A restored file holds whatever lock row the backup caught; nobody holds it now.
fn clear_lock(conn: &Connection) -> Result<()> {
    if super::lock::read(conn)?.is_some() {
        conn.execute("DELETE FROM instance_lock", [])?;
    }
    Ok(())
}

/// Renames a damaged file and its -wal and -shm out of the way; returns the new name.
fn move_aside(db: &Path) -> Result<PathBuf> {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
    let with_suffix = |p: &Path, suffix: &str| {
        let mut name = p.file_name().map(|n| n.to_os_string()).unwrap_or_default();
        name.push(suffix);
        p.with_file_name(name)
    };
    let aside = with_suffix(db, &format!(".damaged-{stamp}"));
    std::fs::rename(db, &aside)?;
    for ext in ["-wal", "-shm", "-journal"] {
        let side = with_suffix(db, ext);
        if side.exists() {
            std::fs::rename(&side, with_suffix(&aside, ext))?;
        }
    }
    Ok(aside)
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Makes a rename durable. Best effort: not every platform can open a folder.
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}
