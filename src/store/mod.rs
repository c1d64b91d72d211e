//! One SQLite file per region: schema, migrations, loading, the one write path and the audit log.
//!
//! Every write runs in one IMMEDIATE transaction: it takes the write lock before it reads, so two
//! writers (the GUI and an HR script) queue behind the busy timeout instead of failing.
//!
//! Opening a file (`Store::open_with`) checks it with `quick_check`, migrates it, keeps rotating
//! backups beside it, and (for the desktop program) takes the instance lock. RELIABILITY.md lists
//! what this guarantees and the tests that show it.

pub mod backup;
pub mod boundaries;
pub mod csv;
pub mod fs;
pub mod lock;
pub mod outfile;
mod schema;

use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::domain::command::{Command, CommandError};
use crate::domain::dates::iso;
use crate::domain::model::{Dataset, Pause, Placement, Practice, Rule, Setting, Settings, Trainee, TraineeType};
use crate::domain::money::Money;
use crate::domain::region::{District, HospitalUnit, Municipality, Region};

pub use backup::{BackupInfo, RestoreReport, backup_dir, list_backups, newest_good_backup, restore_backup};
pub use lock::LockInfo;
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};

/// How long a write waits for another program's write to finish before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// What can go wrong with a database file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} already exists; choose a new file name")]
    Exists(PathBuf),
    #[error("{0} does not exist")]
    Missing(PathBuf),
    #[error("{0} is not a tutorfordeling database")]
    NotOurs(PathBuf),
    #[error(
        "{path} was made by a newer version of tutorfordeling (schema {found}; this version reads up to {supported}). \
         Update the program to open it; the file was not changed."
    )]
    TooNew { path: PathBuf, found: i32, supported: i32 },
    /// Another running program has the file open for writing (the instance lock).
    #[error(
        "{} is open in tutorfordeling by {holder}. Open it read-only, or take it over if that program has stopped.",
        path.display()
    )]
    HeldBy { path: PathBuf, holder: Box<LockInfo> },
    /// The file fails `quick_check` (or cannot be read as a database although it has backups).
    #[error(
        "{} is damaged ({problem}). {}",
        path.display(),
        match newest_good_backup {
            Some(b) => format!("The newest good backup is {}; restore it with \"Restore from backup\".", b.display()),
            None => "No good backup was found beside it.".to_string(),
        }
    )]
    Damaged { path: PathBuf, problem: String, newest_good_backup: Option<PathBuf> },
    /// A write on a store opened read-only.
    #[error("{0} is open read-only: nothing was saved")]
    ReadOnly(PathBuf),
    /// SQLITE_FULL: the disk (or the database's size limit) is full. The transaction was rolled back.
    #[error(
        "the disk is full (or the database reached its size limit): nothing was saved. Free some space and try again"
    )]
    Full,
    /// SQLITE_BUSY after the busy timeout: another program held the write lock too long.
    #[error("another program kept the database busy for more than 30 seconds: nothing was saved. Try again")]
    Busy,
    /// SQLITE_IOERR: the disk could not be read or written. The transaction was rolled back.
    #[error("the disk could not be read or written ({0}): nothing was saved")]
    DiskIo(String),
    #[error("{0}")]
    Command(#[from] CommandError),
    #[error("{0}")]
    Undo(String),
    #[error("the database holds data this version cannot read: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// SQLite's result codes that a user can act on get their own message.
impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            match f.code {
                rusqlite::ErrorCode::DiskFull => return StoreError::Full,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => return StoreError::Busy,
                rusqlite::ErrorCode::SystemIoFailure => return StoreError::DiskIo(e.to_string()),
                _ => {}
            }
        }
        StoreError::Sqlite(e)
    }
}

/// Something a user should know about a file that opened anyway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenWarning {
    /// The file lies on a network filesystem: it uses the rollback journal instead of WAL.
    NetworkFilesystem { fs_type: String },
    /// The journal mode could not be switched (another program has the file open).
    JournalMode { wanted: String, got: String },
    /// A lock left by a program that no longer runs was taken over.
    StaleLockTakenOver(LockInfo),
    /// A lock of a program that may still run was taken over, as the user asked.
    LockTakenOver(LockInfo),
    /// The file is open read-only.
    ReadOnly,
    /// The backup on open failed; the file itself is fine.
    BackupFailed(String),
}

impl std::fmt::Display for OpenWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenWarning::NetworkFilesystem { fs_type } => write!(
                f,
                "the file lies on a network drive ({fs_type}); it uses the slower rollback journal there. \
                 Keep a copy on a local disk if several people edit it at once"
            ),
            OpenWarning::JournalMode { wanted, got } => {
                write!(f, "could not switch the journal to {wanted} (it is {got}): another program has the file open")
            }
            OpenWarning::StaleLockTakenOver(l) => {
                write!(f, "the file was left open by {l}, which no longer runs; you have it now")
            }
            OpenWarning::LockTakenOver(l) => write!(f, "you took the file over from {l}"),
            OpenWarning::ReadOnly => f.write_str("the file is open read-only: changes cannot be saved"),
            OpenWarning::BackupFailed(e) => write!(f, "no backup could be made on opening: {e}"),
        }
    }
}

/// How to open a file. `Default` is what the CLI does: read and write, no instance lock, a
/// backup when the data changed and the newest backup is older than `backup_min_interval`.
#[derive(Clone, Debug)]
pub struct OpenOptions {
    /// Open without writing anything: no migration, no backup, no lock; writes return
    /// `StoreError::ReadOnly`.
    pub read_only: bool,
    /// Take the instance lock (the desktop program): a file held by another live instance gives
    /// `StoreError::HeldBy`. A stale lock is taken over with a warning.
    pub instance_lock: bool,
    /// Take the lock even from a holder that may still run (the user confirmed it has stopped).
    pub take_over: bool,
    /// Rotating backups kept beside the file; 0 makes none.
    pub keep_backups: usize,
    /// No new backup when the newest is younger than this (a script that runs the CLI 500
    /// times must not make 500 backups).
    pub backup_min_interval: Duration,
    /// Force the network-filesystem behaviour on or off; `None` detects it from /proc/mounts.
    pub network_filesystem: Option<bool>,
}

impl Default for OpenOptions {
    fn default() -> OpenOptions {
        OpenOptions {
            read_only: false,
            instance_lock: false,
            take_over: false,
            keep_backups: 10,
            backup_min_interval: Duration::from_secs(10 * 60),
            network_filesystem: None,
        }
    }
}

impl OpenOptions {
    /// The desktop program: instance lock, and a backup every time the file is opened with new data.
    pub fn instance() -> OpenOptions {
        OpenOptions { instance_lock: true, backup_min_interval: Duration::ZERO, ..OpenOptions::default() }
    }

    /// Read-only: for "open read-only" when another instance holds the file.
    pub fn read_only() -> OpenOptions {
        OpenOptions { read_only: true, keep_backups: 0, ..OpenOptions::default() }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open region database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    read_only: bool,
    /// The instance lock this store holds, given back on drop.
    lock: Option<LockInfo>,
    warnings: Vec<OpenWarning>,
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some(mine) = &self.lock {
            // Best effort: a lock left behind is stale once this process has gone.
            let _ = lock::release(&self.conn, mine);
        }
    }
}

/// One row of the audit log.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub os_user: String,
    pub action: String,
    pub summary: String,
    pub reason: Option<String>,
    pub state: String,
}

/// The OS user who made a change, for the audit log.
pub fn os_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".to_string())
}

pub(crate) fn now_stamp() -> String {
    chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string()
}

impl Store {
    /// Creates a new region file holding only the master data. Refuses an existing file.
    /// The file is created with mode 0600: it holds personal data.
    pub fn create(path: &Path, region: &Region) -> Result<Store> {
        create_private_file(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                StoreError::Exists(path.to_path_buf())
            } else {
                StoreError::Io(e)
            }
        })?;
        let result = (|| {
            let mut conn = Connection::open(path)?;
            let mut warnings = Vec::new();
            configure(&conn, network_fs(path, None), &mut warnings)?;
            migrate(&mut conn, path)?;
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            write_region(&tx, region)?;
            write_settings(&tx, &Settings::default())?;
            tx.execute("INSERT INTO meta(key, value) VALUES ('region', ?1)", [&region.name])?;
            audit(&tx, "create", &format!("new database for {}", region.name), None, None, None)?;
            tx.commit()?;
            Ok(Store { conn, path: path.to_path_buf(), read_only: false, lock: None, warnings })
        })();
        if result.is_err() {
            // Nothing half-made is left behind.
            let _ = std::fs::remove_file(path);
        }
        result
    }

    /// Opens an existing file for reading and writing, as the CLI does: checks it, migrates an
    /// older schema, refuses a newer one, and keeps rotating backups (`OpenOptions::default`).
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, &OpenOptions::default())
    }

    /// Opens a file read-only: for a file another instance holds, or one on a read-only share.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        Store::open_with(path, &OpenOptions::read_only())
    }

    /// Opens an existing file as `options` say.
    ///
    /// In order: the file must be ours (`NotOurs`) and sound (`quick_check`, else `Damaged`
    /// naming the newest good backup), not newer than this build (`TooNew`); then it is
    /// configured (WAL, or the rollback journal on a network filesystem), migrated, backed up,
    /// and locked. Warnings that did not stop the open are in `Store::warnings`.
    pub fn open_with(path: &Path, options: &OpenOptions) -> Result<Store> {
        if !path.exists() {
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        let flags = if options.read_only {
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
        };
        let mut conn = Connection::open_with_flags(path, flags)?;
        // Before the first read: even reading can wait for another program's write.
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let damaged = |problem: String| StoreError::Damaged {
            path: path.to_path_buf(),
            problem,
            newest_good_backup: newest_good_backup(path).map(|b| b.path),
        };
        let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _)
                if matches!(f.code, rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) =>
            {
                // A file with backups beside it was ours: its first page is damaged.
                if list_backups(path).is_ok_and(|b| !b.is_empty()) {
                    damaged(e.to_string())
                } else {
                    StoreError::NotOurs(path.to_path_buf())
                }
            }
            e => StoreError::from(e),
        })?;
        if app_id != APPLICATION_ID {
            return Err(StoreError::NotOurs(path.to_path_buf()));
        }
        let problems = backup::quick_check(&conn).map_err(|e| match e {
            StoreError::Sqlite(e) => damaged(e.to_string()),
            e => e,
        })?;
        if !problems.is_empty() {
            let mut problem = problems.into_iter().take(3).collect::<Vec<_>>().join("; ");
            if problem.len() > 300 {
                problem = format!("{}...", problem.chars().take(300).collect::<String>());
            }
            return Err(damaged(problem));
        }
        let mut warnings = Vec::new();
        if options.read_only {
            conn.pragma_update(None, "foreign_keys", "ON")?;
            check_version(&conn, path)?;
            warnings.push(OpenWarning::ReadOnly);
            return Ok(Store { conn, path: path.to_path_buf(), read_only: true, lock: None, warnings });
        }
        configure(&conn, network_fs(path, options.network_filesystem), &mut warnings)?;
        migrate(&mut conn, path)?;
        // The backup comes before the lock, so a backup never holds this session's lock row.
        if let Err(e) = backup::rotate(&conn, path, options.keep_backups, options.backup_min_interval) {
            warnings.push(OpenWarning::BackupFailed(e.to_string()));
        }
        let mut held = None;
        if options.instance_lock {
            let (mine, taken) = lock::acquire(&mut conn, path, options.take_over)?;
            match taken {
                lock::Taken::Free => {}
                lock::Taken::Stale(old) => warnings.push(OpenWarning::StaleLockTakenOver(old)),
                lock::Taken::Forced(old) => warnings.push(OpenWarning::LockTakenOver(old)),
            }
            held = Some(mine);
        }
        Ok(Store { conn, path: path.to_path_buf(), read_only: false, lock: held, warnings })
    }

    /// What the user should be told about the file that opened anyway (network drive, a stale
    /// lock taken over, read-only, a failed backup).
    pub fn warnings(&self) -> &[OpenWarning] {
        &self.warnings
    }

    /// Whether writes are refused.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Who holds the instance lock now (maybe this store), if anyone: the CLI can say that the
    /// desktop program has the file open.
    pub fn lock_holder(&self) -> Result<Option<LockInfo>> {
        lock::read(&self.conn)
    }

    /// This file's backups, newest first (for "Restore from backup").
    pub fn backups(&self) -> Result<Vec<BackupInfo>> {
        list_backups(&self.path)
    }

    /// Makes a backup now (also when the newest holds the same data), keeping the newest `keep`.
    pub fn backup_now(&self, keep: usize) -> Result<PathBuf> {
        let made = backup::make(&self.conn, &self.path, backup::newest_audit_id(&self.conn)?)?;
        backup::prune(&self.path, keep.max(1))?;
        Ok(made)
    }

    /// `PRAGMA integrity_check` and `PRAGMA foreign_key_check`: empty when the file is sound.
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut st = self.conn.prepare("PRAGMA integrity_check")?;
        let mut problems: Vec<String> =
            st.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        if problems == ["ok"] {
            problems.clear();
        }
        let mut st = self.conn.prepare("PRAGMA foreign_key_check")?;
        let fk = st.query_map([], |r| {
            Ok(format!(
                "foreign key: {} row {} -> {}",
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?
            ))
        })?;
        for row in fk {
            problems.push(row?);
        }
        Ok(problems)
    }

    fn writable(&self) -> Result<()> {
        if self.read_only { Err(StoreError::ReadOnly(self.path.clone())) } else { Ok(()) }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The raw connection, for the store's own tests and for backups.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Reads the whole region into memory.
    pub fn load(&self) -> Result<Dataset> {
        load(&self.conn)
    }

    /// The one write path: checks `cmd` in the domain against fresh data, applies it and writes
    /// an audit row with its inverse, all in one IMMEDIATE transaction.
    pub fn execute(&mut self, cmd: &Command) -> Result<i64> {
        self.writable()?;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let before = load(&tx)?;
        cmd.check(&before)?;
        apply(&tx, cmd)?;
        let inverse = cmd.inverse(&before);
        // A new change ends the redo history.
        tx.execute("UPDATE audit SET state = 'final' WHERE state = 'undone'", [])?;
        let id = audit(&tx, cmd.action(), &cmd.summary(), cmd.reason(), Some(cmd), inverse.as_ref())?;
        tx.commit()?;
        Ok(id)
    }

    /// Undoes the newest change still in force, from the audit log (works after a restart).
    /// Returns what was undone.
    pub fn undo(&mut self) -> Result<String> {
        self.writable()?;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let row: Option<(i64, String, Option<String>)> = tx
            .query_row(
                "SELECT id, summary, inverse FROM audit WHERE state = 'done' AND command IS NOT NULL
                 ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((id, summary, inverse)) = row else {
            return Err(StoreError::Undo("there is nothing to undo".into()));
        };
        let inverse = inverse.ok_or_else(|| StoreError::Undo(format!("'{summary}' cannot be undone")))?;
        let inverse: Command = serde_json::from_str(&inverse).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        apply(&tx, &inverse)?;
        tx.execute("UPDATE audit SET state = 'undone' WHERE id = ?1", [id])?;
        audit(&tx, "undo", &format!("undo: {summary}"), None, None, None)?;
        tx.commit()?;
        Ok(summary)
    }

    /// Redoes the change undone last.
    pub fn redo(&mut self) -> Result<String> {
        self.writable()?;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let row: Option<(i64, String, String)> = tx
            .query_row(
                "SELECT id, summary, command FROM audit WHERE state = 'undone' ORDER BY id ASC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((id, summary, command)) = row else {
            return Err(StoreError::Undo("there is nothing to redo".into()));
        };
        let command: Command = serde_json::from_str(&command).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        apply(&tx, &command)?;
        tx.execute("UPDATE audit SET state = 'done' WHERE id = ?1", [id])?;
        audit(&tx, "redo", &format!("redo: {summary}"), None, None, None)?;
        tx.commit()?;
        Ok(summary)
    }

    /// Whether `undo` and `redo` have something to do.
    pub fn can_undo_redo(&self) -> Result<(bool, bool)> {
        let undo: bool = self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM audit WHERE state = 'done' AND inverse IS NOT NULL)",
            [],
            |r| r.get(0),
        )?;
        let redo: bool =
            self.conn.query_row("SELECT EXISTS(SELECT 1 FROM audit WHERE state = 'undone')", [], |r| r.get(0))?;
        Ok((undo, redo))
    }

    /// The newest `limit` audit rows, newest first.
    pub fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        let mut st = self
            .conn
            .prepare("SELECT id, at, os_user, action, summary, reason, state FROM audit ORDER BY id DESC LIMIT ?1")?;
        let rows = st.query_map([limit as i64], |r| {
            Ok(AuditEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                os_user: r.get(2)?,
                action: r.get(3)?,
                summary: r.get(4)?,
                reason: r.get(5)?,
                state: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Runs `f` on the data as it is inside one IMMEDIATE transaction; what `f` returns is
    /// written whole, or nothing is (imports).
    pub fn write_batch<E>(
        &mut self,
        f: impl FnOnce(&Dataset) -> std::result::Result<Batch, E>,
    ) -> std::result::Result<BatchReport, BatchError<E>> {
        self.writable()?;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let before = load(&tx)?;
        let batch = f(&before).map_err(BatchError::Rejected)?;
        let report = write_batch(&tx, &batch)?;
        audit(&tx, "import", &batch.summary, None, None, None)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(report)
    }

    /// Writes a consistent copy with SQLite's online backup API (never a file copy).
    pub fn save_copy(&self, dest: &Path) -> Result<()> {
        create_private_file(dest).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                StoreError::Exists(dest.to_path_buf())
            } else {
                StoreError::Io(e)
            }
        })?;
        let mut target = Connection::open(dest)?;
        let backup = rusqlite::backup::Backup::new(&self.conn, &mut target)?;
        backup.run_to_completion(256, Duration::from_millis(5), None)?;
        Ok(())
    }

    /// Stores municipality boundary rings (from GeoJSON), replacing the old ones.
    pub fn replace_boundaries(&mut self, rings: &[BoundaryRing]) -> Result<usize> {
        self.writable()?;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM boundaries", [])?;
        {
            let mut st = tx.prepare(
                "INSERT OR REPLACE INTO boundaries(municipality_code, polygon, ring, coords) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for r in rings {
                let coords = serde_json::to_string(&r.coords).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                st.execute(params![r.municipality_code, r.polygon, r.ring, coords])?;
            }
        }
        audit(&tx, "import_boundaries", &format!("import {} boundary rings", rings.len()), None, None, None)?;
        tx.commit()?;
        Ok(rings.len())
    }

    /// The stored boundary rings.
    pub fn boundaries(&self) -> Result<Vec<BoundaryRing>> {
        let mut st = self.conn.prepare(
            "SELECT municipality_code, polygon, ring, coords FROM boundaries ORDER BY municipality_code, polygon, ring",
        )?;
        let rows = st.query_map([], |r| {
            Ok((r.get::<_, u16>(0)?, r.get::<_, u32>(1)?, r.get::<_, u32>(2)?, r.get::<_, String>(3)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (code, polygon, ring, coords) = row?;
            let coords = serde_json::from_str(&coords).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            out.push(BoundaryRing { municipality_code: code, polygon, ring, coords });
        }
        Ok(out)
    }
}

/// One ring of a municipality's boundary polygon: ring 0 is the outline, later rings are holes.
#[derive(Clone, Debug, PartialEq)]
pub struct BoundaryRing {
    pub municipality_code: u16,
    pub polygon: u32,
    pub ring: u32,
    /// `[lon, lat]` pairs, WGS84.
    pub coords: Vec<[f64; 2]>,
}

/// Rows to write in one transaction: new rows, and with `update`, replacements.
#[derive(Clone, Debug, Default)]
pub struct Batch {
    pub practices: Vec<Practice>,
    pub trainees: Vec<Trainee>,
    pub placements: Vec<Placement>,
    pub pauses: Vec<Pause>,
    /// Replace rows whose id exists (import --update).
    pub update: bool,
    pub summary: String,
}

/// What a batch wrote.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BatchReport {
    pub practices: usize,
    pub trainees: usize,
    pub placements: usize,
    pub pauses: usize,
}

/// A batch failed: either `f` rejected it (bad input) or the store failed.
#[derive(Debug, thiserror::Error)]
pub enum BatchError<E> {
    #[error("{0}")]
    Rejected(E),
    #[error("{0}")]
    Store(#[from] StoreError),
}

pub(crate) fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path).map(drop)
}

/// Whether `path` is treated as lying on a network filesystem, with the warning that goes with it.
fn network_fs(path: &Path, forced: Option<bool>) -> Option<String> {
    match forced {
        Some(true) => Some(fs::network_filesystem(path).unwrap_or_else(|| "network".to_string())),
        Some(false) => None,
        None => fs::network_filesystem(path),
    }
}

/// Busy timeout, foreign keys, the journal and full syncs. WAL lets the GUI read while a script
/// writes; on a network filesystem (`network` names its type) WAL's shared memory does not work,
/// so the rollback journal is used and the user warned.
fn configure(conn: &Connection, network: Option<String>, warnings: &mut Vec<OpenWarning>) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let wanted = if network.is_some() { "delete" } else { "wal" };
    let got: String = conn.query_row(&format!("PRAGMA journal_mode = {wanted}"), [], |r| r.get(0))?;
    if !got.eq_ignore_ascii_case(wanted) {
        warnings.push(OpenWarning::JournalMode { wanted: wanted.to_string(), got });
    }
    if let Some(fs_type) = network {
        warnings.push(OpenWarning::NetworkFilesystem { fs_type });
    }
    // FULL: a commit that returned is on the disk, also in WAL mode, even after a power cut.
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

fn check_version(conn: &Connection, path: &Path) -> Result<i32> {
    let version: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew { path: path.to_path_buf(), found: version, supported: SCHEMA_VERSION });
    }
    Ok(version)
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    if check_version(conn, path)? == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Again under the write lock: another program may have migrated the file meanwhile.
    let version = check_version(&tx, path)?;
    for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i32 + 1)?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.commit()?;
    Ok(())
}

fn audit(
    tx: &Transaction<'_>,
    action: &str,
    summary: &str,
    reason: Option<&str>,
    cmd: Option<&Command>,
    inverse: Option<&Command>,
) -> Result<i64> {
    let json = |c: Option<&Command>| -> Result<Option<String>> {
        c.map(|c| serde_json::to_string(c).map_err(|e| StoreError::Corrupt(e.to_string()))).transpose()
    };
    let state = if cmd.is_some() { "done" } else { "final" };
    tx.execute(
        "INSERT INTO audit(at, os_user, action, summary, reason, command, inverse, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![now_stamp(), os_user(), action, summary, reason, json(cmd)?, json(inverse)?, state],
    )?;
    Ok(tx.last_insert_rowid())
}

fn district_key(d: District) -> &'static str {
    match d {
        District::East => "east",
        District::Middle => "middle",
        District::West => "west",
    }
}

fn district_from_key(k: &str) -> Result<District> {
    match k {
        "east" => Ok(District::East),
        "middle" => Ok(District::Middle),
        "west" => Ok(District::West),
        other => Err(StoreError::Corrupt(format!("unknown district '{other}'"))),
    }
}

fn write_region(tx: &Transaction<'_>, region: &Region) -> Result<()> {
    for h in &region.hospital_units {
        tx.execute(
            "INSERT INTO hospital_units(name, district, coordinators) VALUES (?1, ?2, ?3)",
            params![h.name, district_key(h.district), h.coordinators],
        )?;
    }
    for m in &region.municipalities {
        tx.execute(
            "INSERT INTO municipalities(code, name, district, hospital_unit, lat, lon, threatened)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![m.code, m.name, district_key(m.district), m.hospital_unit, m.lat, m.lon, m.threatened],
        )?;
    }
    Ok(())
}

fn write_settings(tx: &Transaction<'_>, settings: &Settings) -> Result<()> {
    let json = serde_json::to_string(settings).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('settings', ?1)", [json])?;
    Ok(())
}

fn join_types(types: &[TraineeType]) -> String {
    types.iter().map(|t| t.key()).collect::<Vec<_>>().join("|")
}

fn join_rules(rules: &[Rule]) -> String {
    rules.iter().map(|r| r.id()).collect::<Vec<_>>().join("|")
}

fn split_list(s: &str) -> Vec<String> {
    s.split('|').filter(|x| !x.is_empty()).map(str::to_string).collect()
}

fn date_col(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| StoreError::Corrupt(format!("bad stored date '{s}'")))
}

fn upsert_practice(tx: &Transaction<'_>, p: &Practice, replace: bool) -> Result<()> {
    let verb = if replace { "INSERT OR REPLACE" } else { "INSERT" };
    tx.prepare_cached(&format!(
        "{verb} INTO practices(id, name, address, municipality, lat, lon, tutors, doctors, setting, burdened,
            threatened, capacity, large, refuses, quality)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
    ))?
    .execute(params![
        p.id,
        p.name,
        p.address,
        p.municipality,
        p.lat,
        p.lon,
        p.tutors,
        p.doctors,
        p.setting.key(),
        p.burdened,
        p.threatened,
        p.capacity,
        p.large,
        join_types(&p.refuses),
        p.quality,
    ])?;
    Ok(())
}

fn upsert_trainee(tx: &Transaction<'_>, t: &Trainee, replace: bool) -> Result<()> {
    let verb = if replace { "INSERT OR REPLACE" } else { "INSERT" };
    tx.prepare_cached(&format!(
        "{verb} INTO trainees(id, name, kind, hospital_unit, municipality, start, end, monthly_salary,
            seniority_step, own_gp, family_practices, history)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
    ))?
    .execute(params![
        t.id,
        t.name,
        t.kind.key(),
        t.hospital_unit,
        t.municipality,
        iso(t.start),
        iso(t.end),
        t.monthly_salary.map(Money::ore),
        t.seniority_step,
        t.own_gp,
        t.family_practices.join("|"),
        t.history.join("|"),
    ])?;
    Ok(())
}

fn upsert_placement(tx: &Transaction<'_>, p: &Placement, replace: bool) -> Result<()> {
    let verb = if replace { "INSERT OR REPLACE" } else { "INSERT" };
    tx.prepare_cached(&format!(
        "{verb} INTO placements(trainee_id, practice_id, start, end, pinned, overrides, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    ))?
    .execute(params![
        p.trainee_id,
        p.practice_id,
        iso(p.start),
        iso(p.end),
        p.pinned,
        join_rules(&p.overrides),
        p.reason
    ])?;
    Ok(())
}

fn insert_pause(tx: &Transaction<'_>, p: &Pause) -> Result<()> {
    tx.prepare_cached("INSERT INTO pauses(practice_id, start, end, wish_type) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![p.practice_id, iso(p.start), iso(p.end), p.wish_type.map(TraineeType::key)])?;
    Ok(())
}

fn delete_pause(tx: &Transaction<'_>, p: &Pause) -> Result<usize> {
    Ok(tx.execute(
        "DELETE FROM pauses WHERE id = (SELECT id FROM pauses WHERE practice_id = ?1 AND start = ?2 AND end = ?3
            AND wish_type IS ?4 LIMIT 1)",
        params![p.practice_id, iso(p.start), iso(p.end), p.wish_type.map(TraineeType::key)],
    )?)
}

fn write_batch(tx: &Transaction<'_>, b: &Batch) -> Result<BatchReport> {
    for p in &b.practices {
        upsert_practice(tx, p, b.update)?;
    }
    for t in &b.trainees {
        upsert_trainee(tx, t, b.update)?;
    }
    for p in &b.placements {
        upsert_placement(tx, p, b.update)?;
    }
    for p in &b.pauses {
        insert_pause(tx, p)?;
    }
    Ok(BatchReport {
        practices: b.practices.len(),
        trainees: b.trainees.len(),
        placements: b.placements.len(),
        pauses: b.pauses.len(),
    })
}

/// Applies a command that the domain has checked (or an inverse from the audit log).
fn apply(tx: &Transaction<'_>, cmd: &Command) -> Result<()> {
    let missing = |what: String| StoreError::Command(CommandError::Invalid(what));
    match cmd {
        Command::Place { placement } => upsert_placement(tx, placement, false)?,
        Command::Unplace { trainee_id } => {
            if tx.execute("DELETE FROM placements WHERE trainee_id = ?1", [trainee_id])? == 0 {
                return Err(missing(format!("trainee {trainee_id} has no placement")));
            }
        }
        Command::SetPinned { trainee_id, pinned } => {
            tx.execute("UPDATE placements SET pinned = ?2 WHERE trainee_id = ?1", params![trainee_id, pinned])?;
        }
        Command::AcceptRound { placements } => {
            for p in placements {
                upsert_placement(tx, p, false)?;
            }
        }
        Command::RemovePlacements { placements } => {
            for p in placements {
                tx.execute("DELETE FROM placements WHERE trainee_id = ?1", [&p.trainee_id])?;
            }
        }
        Command::EditPractice { practice } => upsert_practice(tx, practice, true)?,
        Command::AddPause { pause } => insert_pause(tx, pause)?,
        Command::RemovePause { pause } => {
            if delete_pause(tx, pause)? == 0 {
                return Err(missing(format!("no such pause at {}", pause.practice_id)));
            }
        }
        Command::SetThreatened { municipality, threatened } => {
            tx.execute(
                "UPDATE municipalities SET threatened = ?2 WHERE lower(name) = lower(?1)",
                params![municipality, threatened],
            )?;
        }
        Command::SetSettings { settings } => write_settings(tx, settings)?,
    }
    Ok(())
}

fn load(conn: &Connection) -> Result<Dataset> {
    let region_name: String = conn
        .query_row("SELECT value FROM meta WHERE key = 'region'", [], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| "Region Midtjylland".to_string());

    let mut hospital_units = Vec::new();
    {
        let mut st = conn.prepare("SELECT name, district, coordinators FROM hospital_units ORDER BY name")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            hospital_units.push(HospitalUnit {
                name: r.get(0)?,
                district: district_from_key(&r.get::<_, String>(1)?)?,
                coordinators: r.get(2)?,
            });
        }
    }
    let mut municipalities = Vec::new();
    {
        let mut st = conn.prepare(
            "SELECT code, name, district, hospital_unit, lat, lon, threatened FROM municipalities ORDER BY rowid",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            municipalities.push(Municipality {
                code: r.get(0)?,
                name: r.get(1)?,
                district: district_from_key(&r.get::<_, String>(2)?)?,
                hospital_unit: r.get(3)?,
                lat: r.get(4)?,
                lon: r.get(5)?,
                threatened: r.get(6)?,
            });
        }
    }
    let region = Region { name: region_name, municipalities, hospital_units };

    let types = |s: String| -> Result<Vec<TraineeType>> {
        split_list(&s)
            .iter()
            .map(|k| TraineeType::from_key(k).ok_or_else(|| StoreError::Corrupt(format!("unknown type '{k}'"))))
            .collect()
    };

    let mut practices = Vec::new();
    {
        let mut st = conn.prepare(
            "SELECT id, name, address, municipality, lat, lon, tutors, doctors, setting, burdened, threatened,
                    capacity, large, refuses, quality FROM practices ORDER BY id",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let setting: String = r.get(8)?;
            practices.push(Practice {
                id: r.get(0)?,
                name: r.get(1)?,
                address: r.get(2)?,
                municipality: r.get(3)?,
                lat: r.get(4)?,
                lon: r.get(5)?,
                tutors: r.get(6)?,
                doctors: r.get(7)?,
                setting: Setting::from_key(&setting)
                    .ok_or_else(|| StoreError::Corrupt(format!("unknown setting '{setting}'")))?,
                burdened: r.get(9)?,
                threatened: r.get(10)?,
                capacity: r.get(11)?,
                large: r.get(12)?,
                refuses: types(r.get(13)?)?,
                quality: r.get(14)?,
            });
        }
    }

    let mut trainees = Vec::new();
    {
        let mut st = conn.prepare(
            "SELECT id, name, kind, hospital_unit, municipality, start, end, monthly_salary, seniority_step,
                    own_gp, family_practices, history FROM trainees ORDER BY id",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let kind: String = r.get(2)?;
            trainees.push(Trainee {
                id: r.get(0)?,
                name: r.get(1)?,
                kind: TraineeType::from_key(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("unknown type '{kind}'")))?,
                hospital_unit: r.get(3)?,
                municipality: r.get(4)?,
                start: date_col(&r.get::<_, String>(5)?)?,
                end: date_col(&r.get::<_, String>(6)?)?,
                monthly_salary: r.get::<_, Option<i64>>(7)?.map(Money),
                seniority_step: r.get(8)?,
                own_gp: r.get(9)?,
                family_practices: split_list(&r.get::<_, String>(10)?),
                history: split_list(&r.get::<_, String>(11)?),
            });
        }
    }

    let mut placements = Vec::new();
    {
        let mut st = conn.prepare(
            "SELECT trainee_id, practice_id, start, end, pinned, overrides, reason FROM placements ORDER BY trainee_id",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let overrides = split_list(&r.get::<_, String>(5)?)
                .iter()
                .map(|k| Rule::parse(k).ok_or_else(|| StoreError::Corrupt(format!("unknown rule '{k}'"))))
                .collect::<Result<Vec<_>>>()?;
            placements.push(Placement {
                trainee_id: r.get(0)?,
                practice_id: r.get(1)?,
                start: date_col(&r.get::<_, String>(2)?)?,
                end: date_col(&r.get::<_, String>(3)?)?,
                pinned: r.get(4)?,
                overrides,
                reason: r.get(6)?,
            });
        }
    }

    let mut pauses = Vec::new();
    {
        let mut st = conn.prepare(
            "SELECT practice_id, start, end, wish_type FROM pauses ORDER BY practice_id, start, end, wish_type",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let wish: Option<String> = r.get(3)?;
            pauses.push(Pause {
                practice_id: r.get(0)?,
                start: date_col(&r.get::<_, String>(1)?)?,
                end: date_col(&r.get::<_, String>(2)?)?,
                wish_type: wish
                    .map(|k| {
                        TraineeType::from_key(&k).ok_or_else(|| StoreError::Corrupt(format!("unknown type '{k}'")))
                    })
                    .transpose()?,
            });
        }
    }

    let settings: Settings = match conn
        .query_row("SELECT value FROM settings WHERE key = 'settings'", [], |r| r.get::<_, String>(0))
        .optional()?
    {
        Some(json) => serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(format!("settings: {e}")))?,
        None => Settings::default(),
    };

    Ok(Dataset { region, practices, trainees, placements, pauses, settings })
}

#[cfg(test)]
mod tests;
