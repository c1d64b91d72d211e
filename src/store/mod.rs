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
pub mod copy;
pub mod csv;
pub mod fs;
pub mod lock;
pub mod outfile;
mod pg;
pub mod rounds;
mod schema;
pub(crate) mod sql;

use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use sql::{Lite, Row, Sql, Val, args, one, rows};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::domain::command::{Command, CommandError, Diff, Rows, Stale, SubjectKind};
use crate::domain::dates::iso;
use crate::domain::model::{Dataset, Pause, Placement, Practice, Rule, Setting, Settings, Trainee, TraineeType};
use crate::domain::money::Money;
use crate::domain::region::{District, HospitalUnit, Municipality, Region};

pub use crate::domain::command::Subjects;
pub use crate::domain::model::BoundaryRing;
pub use backup::{BackupInfo, RestoreReport, backup_dir, list_backups, newest_good_backup, restore_backup};
pub use lock::LockInfo;
pub use pg::{CHANNEL, is_server_url, redact, without_password};
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
    /// The rows a command expected changed since the caller read them (CLI exit 4).
    #[error("{0}")]
    Conflict(String),
    #[error("the database holds data this version cannot read: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// The PostgreSQL server refused a write this login's role may not make (SQLSTATE 42501;
    /// CLI exit 5). Nothing was saved.
    #[error(
        "the server refused this change: {0}. Your login's role may not make it (coordinator: everything but \
         settings; reviewer: reads only; hr: settings, the salary scale, finance). Nothing was saved"
    )]
    Denied(String),
    /// Another PostgreSQL error (connection, server).
    #[error("database server error: {0}")]
    Server(String),
    /// `copy` into a database that holds data of its own.
    #[error("{0}")]
    NotEmpty(String),
    /// What only a file can do (backups, pragmas, the instance lock) asked of a server.
    #[error("{0}")]
    NotOnServer(&'static str),
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

/// PostgreSQL's errors: a refused privilege (42501, also a row-level security policy) is `Denied`.
impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> StoreError {
        match e.as_db_error() {
            Some(db) if *db.code() == postgres::error::SqlState::INSUFFICIENT_PRIVILEGE => {
                StoreError::Denied(db.message().to_string())
            }
            Some(db) => StoreError::Server(format!("{} ({})", db.message(), db.code().code())),
            None => StoreError::Server(e.to_string()),
        }
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

/// The engine under a store: the embedded SQLite file, or a PostgreSQL server.
enum Conn {
    Lite(Connection),
    Pg(Box<pg::PgConn>),
}

/// An open region database: a SQLite file (`--db FILE`) or a PostgreSQL database
/// (`--db postgresql://...`). Callers see the same API; only files have backups, pragmas and the
/// instance lock.
pub struct Store {
    conn: Conn,
    path: PathBuf,
    read_only: bool,
    /// The instance lock this store holds, given back on drop.
    lock: Option<LockInfo>,
    warnings: Vec<OpenWarning>,
    /// The OS account that runs this process (the audit log's user).
    user: String,
}

impl Drop for Store {
    fn drop(&mut self) {
        if let (Some(mine), Conn::Lite(conn)) = (&self.lock, &self.conn) {
            // Best effort: a lock left behind is stale once this process has gone.
            let _ = lock::release(conn, mine);
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

/// The OS account that runs this process, for the audit log: looked up from the process's user
/// id, never from `$USER`, `$LOGNAME` or `$USERNAME` (CONTRACT.md, "Who did it").
pub fn os_user() -> String {
    let uid = uzers::get_current_uid();
    match uzers::get_user_by_uid(uid) {
        Some(u) => u.name().to_string_lossy().into_owned(),
        None => format!("uid {uid}"),
    }
}

pub(crate) fn now_stamp() -> String {
    chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string()
}

impl Store {
    /// Creates a new region file holding only the master data. Refuses an existing file.
    /// The file is created with mode 0600: it holds personal data.
    pub fn create(path: &Path, region: &Region) -> Result<Store> {
        if let Some(url) = pg::url_of(path) {
            return pg::create(url, region);
        }
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
            fill_new(&mut Lite(&tx), region, &os_user())?;
            tx.commit()?;
            Ok(Store {
                conn: Conn::Lite(conn),
                path: path.to_path_buf(),
                read_only: false,
                lock: None,
                warnings,
                user: os_user(),
            })
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
        if let Some(url) = pg::url_of(path) {
            return pg::open(url, options.read_only);
        }
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
        // `quick_check` reads every page: 50 ms on a national file. The desktop checks on every
        // open; a script's open checks when its backup is due (at most every
        // `backup_min_interval`, and the backup itself is checked), so a script run 500 times
        // does not read the whole file 500 times. Damage hit in between is SQLITE_CORRUPT.
        let checked_lately = !options.instance_lock
            && !options.read_only
            && options.keep_backups > 0
            && !options.backup_min_interval.is_zero()
            && backup::newest_is_younger_than(path, options.backup_min_interval);
        let problems = if checked_lately {
            Vec::new()
        } else {
            backup::quick_check(&conn).map_err(|e| match e {
                StoreError::Sqlite(e) => damaged(e.to_string()),
                e => e,
            })?
        };
        if !problems.is_empty() {
            let mut problem = problems.into_iter().take(3).collect::<Vec<_>>().join("; ");
            if problem.len() > 300 {
                problem = format!("{}...", problem.chars().take(300).collect::<String>());
            }
            return Err(damaged(problem));
        }
        let corrupt = |e: &StoreError| {
            matches!(e, StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
                if matches!(f.code, rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase))
        };
        // Damage the skipped check did not see shows up here as SQLITE_CORRUPT: the same refusal.
        let opened = (|| -> Result<Store> {
            let mut warnings = Vec::new();
            if options.read_only {
                conn.pragma_update(None, "foreign_keys", "ON")?;
                check_version(&conn, path)?;
                warnings.push(OpenWarning::ReadOnly);
                return Ok(Store {
                    conn: Conn::Lite(conn),
                    path: path.to_path_buf(),
                    read_only: true,
                    lock: None,
                    warnings,
                    user: os_user(),
                });
            }
            configure(&conn, network_fs(path, options.network_filesystem), &mut warnings)?;
            migrate(&mut conn, path)?;
            // The backup comes before the lock, so a backup never holds this session's lock row.
            match backup::rotate(&conn, path, options.keep_backups, options.backup_min_interval) {
                Err(e) if corrupt(&e) => return Err(e),
                Err(e) => warnings.push(OpenWarning::BackupFailed(e.to_string())),
                Ok(_) => {}
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
            Ok(Store {
                conn: Conn::Lite(conn),
                path: path.to_path_buf(),
                read_only: false,
                lock: held,
                warnings,
                user: os_user(),
            })
        })();
        opened.map_err(|e| if corrupt(&e) { damaged(e.to_string()) } else { e })
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
    /// desktop program has the file open. A server has no instance lock.
    pub fn lock_holder(&self) -> Result<Option<LockInfo>> {
        match &self.conn {
            Conn::Lite(c) => lock::read(c),
            Conn::Pg(_) => Ok(None),
        }
    }

    /// Whether this store is a PostgreSQL server (not a file).
    pub fn is_server(&self) -> bool {
        matches!(self.conn, Conn::Pg(_))
    }

    /// The SQLite connection, for what only a file has.
    fn lite(&self, what: &'static str) -> Result<&Connection> {
        match &self.conn {
            Conn::Lite(c) => Ok(c),
            Conn::Pg(_) => Err(StoreError::NotOnServer(what)),
        }
    }

    /// This file's backups, newest first (for "Restore from backup"). A server has none here:
    /// its IT department backs it up.
    pub fn backups(&self) -> Result<Vec<BackupInfo>> {
        match &self.conn {
            Conn::Lite(_) => list_backups(&self.path),
            Conn::Pg(_) => Ok(Vec::new()),
        }
    }

    /// Makes a backup now (also when the newest holds the same data), keeping the newest `keep`.
    pub fn backup_now(&self, keep: usize) -> Result<PathBuf> {
        let conn = self.lite("a server is backed up by its IT department, not by tutorfordeling")?;
        let made = backup::make(conn, &self.path, backup::newest_audit_id(conn)?)?;
        backup::prune(&self.path, keep.max(1))?;
        Ok(made)
    }

    /// `PRAGMA integrity_check` and `PRAGMA foreign_key_check`: empty when the file is sound. A
    /// server checks its pages and foreign keys itself.
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let Conn::Lite(conn) = &self.conn else { return Ok(Vec::new()) };
        let mut st = conn.prepare("PRAGMA integrity_check")?;
        let mut problems: Vec<String> =
            st.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        if problems == ["ok"] {
            problems.clear();
        }
        let mut st = conn.prepare("PRAGMA foreign_key_check")?;
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

    /// The file, or for a server its URL without the password.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads one `PRAGMA` (journal_mode, page_count, `max_page_count = N`, ...) for diagnostics
    /// and tests. Nothing else can be run from outside the store: every write is a `Command`.
    pub fn pragma(&self, pragma: &str) -> Result<String> {
        let conn = self.lite("a server has no pragmas")?;
        if !pragma.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ' ' | '=')) {
            return Err(StoreError::Corrupt(format!("not a pragma: {pragma}")));
        }
        Ok(conn.query_row(&format!("PRAGMA {pragma}"), [], |r| {
            r.get::<_, rusqlite::types::Value>(0).map(|v| match v {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            })
        })?)
    }

    /// The account this store writes in the audit log: the OS account for a file, the
    /// authenticated login (`session_user`) for a server.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// Acts as another account: only for tests of what several users do to one file (the CLI
    /// and the desktop always write the process's own OS account).
    #[doc(hidden)]
    pub fn acting_as_for_tests(mut self, user: &str) -> Store {
        self.user = user.to_string();
        self
    }

    /// Every round, draft or published, by name (issue 13).
    pub fn rounds(&self) -> Result<Vec<rounds::StoredRound>> {
        self.read_with(rounds::all)
    }

    /// One round by its name.
    pub fn round(&self, name: &str) -> Result<Option<rounds::StoredRound>> {
        self.read_with(|db| rounds::one(db, name))
    }

    /// The newest audit id of a change to the region's data (round drafts do not count): the
    /// version a round is computed on.
    pub fn data_stamp(&self) -> Result<i64> {
        self.read_with(rounds::data_version)
    }

    /// Runs `f` on one read: a plain connection for a file, a read-only REPEATABLE READ
    /// transaction (one snapshot) on a server.
    fn read_with<T>(&self, f: impl FnOnce(&mut dyn Sql) -> Result<T>) -> Result<T> {
        match &self.conn {
            Conn::Lite(c) => f(&mut Lite(c)),
            Conn::Pg(p) => p.read(f),
        }
    }

    /// Runs `f` in one write transaction (IMMEDIATE for a file) and commits when it returns Ok.
    fn write_with<T>(&mut self, f: impl FnOnce(&mut dyn Sql) -> Result<T>) -> Result<T> {
        match &mut self.conn {
            Conn::Lite(c) => {
                let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let out = f(&mut Lite(&tx))?;
                tx.commit()?;
                Ok(out)
            }
            Conn::Pg(p) => p.write(f),
        }
    }

    /// Reads the whole region into memory.
    pub fn load(&self) -> Result<Dataset> {
        self.read_with(load)
    }

    /// Reads only the rows about these trainees and practices (with their placements and
    /// pauses): what one command needs, without ten years of history.
    pub fn read(&self, subjects: &Subjects) -> Result<Dataset> {
        self.read_with(|db| load_scope(db, subjects))
    }

    /// Reads the whole region and the newest audit id it includes, in one read transaction: the
    /// starting point of the change feed (`changes_since`).
    pub fn load_with_feed(&mut self) -> Result<(Dataset, Feed)> {
        let (data, seen) = match &mut self.conn {
            Conn::Lite(c) => {
                let tx = c.transaction_with_behavior(TransactionBehavior::Deferred)?;
                let out = (load(&mut Lite(&tx))?, newest_audit_id(&mut Lite(&tx))?);
                tx.commit()?;
                out
            }
            Conn::Pg(p) => p.read(|db| Ok((load(db)?, newest_audit_id(db)?)))?,
        };
        let data_version = self.data_version()?;
        Ok((data, Feed { seen, data_version }))
    }

    /// `PRAGMA data_version`: changes when another connection commits (a cheap poll). On a
    /// server: the newest audit id (one index lookup; every write appends an audit row).
    pub fn data_version(&self) -> Result<i64> {
        match &self.conn {
            Conn::Lite(c) => Ok(c.query_row("PRAGMA data_version", [], |r| r.get(0))?),
            Conn::Pg(p) => p.read(newest_audit_id),
        }
    }

    /// What changed since `feed` last looked, by anyone (this process included), oldest first.
    /// Cheap when nothing changed. `Changes::reload` is set when the log cannot be replayed
    /// (a backup was restored, or the file was replaced): the caller loads everything again.
    pub fn changes_since(&self, feed: &mut Feed) -> Result<Changes> {
        let version = self.data_version()?;
        self.read_with(|db| {
            let newest = newest_audit_id(db)?;
            let mut changes = Changes::default();
            if newest == feed.seen && version == feed.data_version {
                return Ok(changes);
            }
            feed.data_version = version;
            if newest < feed.seen {
                changes.reload = true;
                feed.seen = newest;
                return Ok(changes);
            }
            db.each(
                "SELECT id, at, os_user, action, summary, reason, state, command FROM audit WHERE id > ?1 ORDER BY id",
                &args![feed.seen],
                &mut |r| {
                    let entry = audit_entry(r)?;
                    let json: Option<String> = r.get(7)?;
                    let command = match json {
                        Some(j) => match serde_json::from_str::<Command>(&j) {
                            Ok(c) => Some(c),
                            Err(_) => {
                                changes.reload = true;
                                None
                            }
                        },
                        None => None,
                    };
                    feed.seen = entry.id;
                    changes.entries.push((entry, command));
                    Ok(())
                },
            )?;
            Ok(changes)
        })
    }

    /// The one write path: checks that the rows `cmd` changes are as it expects (else
    /// `Conflict`), checks it in the domain against the rows it touches as they are now, applies
    /// it and writes an audit row with its inverse, all in one IMMEDIATE transaction. A new
    /// change ends its user's redo history. On a server the transaction first takes the
    /// advisory locks of the practices and trainees it touches (`pg::lock_for`).
    pub fn execute(&mut self, cmd: &Command) -> Result<i64> {
        self.writable()?;
        let user = self.user.clone();
        self.write_with(|db| {
            pg::lock_for(db, Some(cmd))?;
            let summary = check_in(db, cmd, false)?;
            apply(db, cmd)?;
            db.exec("UPDATE audit SET state = 'final' WHERE state = 'undone' AND os_user = ?1", &args![&user])?;
            audit(db, &user, cmd.action(), &summary, cmd.reason(), Some(cmd), "done", None)
        })
    }

    /// Builds a command from the data as it is inside the write transaction and runs it: for
    /// imports, whose rows are parsed against what the file holds now. `f` may reject it.
    pub fn execute_with<E>(
        &mut self,
        f: impl FnOnce(&Dataset) -> std::result::Result<Command, E>,
    ) -> std::result::Result<(i64, Command), BatchError<E>> {
        self.writable()?;
        let user = self.user.clone();
        let mut rejected = None;
        let result = self.write_with(|db| {
            pg::lock_for(db, None)?;
            let data = load(db)?;
            let cmd = match f(&data) {
                Ok(c) => c,
                Err(e) => {
                    rejected = Some(e);
                    return Err(StoreError::Undo("rejected".into()));
                }
            };
            check_in(db, &cmd, false)?;
            apply(db, &cmd)?;
            db.exec("UPDATE audit SET state = 'final' WHERE state = 'undone' AND os_user = ?1", &args![&user])?;
            let id = audit(db, &user, cmd.action(), &cmd.summary(), cmd.reason(), Some(&cmd), "done", None)?;
            Ok((id, cmd))
        });
        match (result, rejected) {
            (_, Some(e)) => Err(BatchError::Rejected(e)),
            (Ok(r), None) => Ok(r),
            (Err(e), None) => Err(BatchError::Store(e)),
        }
    }

    /// Undoes the newest change still in force of this user (or of anyone), from the audit log:
    /// works after a restart. Checked like any write: a hard rule it would break now is
    /// `Refused`, a row changed since is `Conflict`. A refused undo marks that change as final,
    /// so older changes can still be undone.
    pub fn undo(&mut self, who: Who) -> Result<Step> {
        self.step(true, who)
    }

    /// Redoes this user's (or anyone's) change undone last, checked like `undo`.
    pub fn redo(&mut self, who: Who) -> Result<Step> {
        self.step(false, who)
    }

    fn step(&mut self, undo: bool, who: Who) -> Result<Step> {
        self.writable()?;
        let me = self.user.clone();
        let verb = if undo { "undo" } else { "redo" };
        // Ok(Err(..)): the step was refused; nothing was written, and the change is marked final below.
        let outcome = self.write_with(|db| {
            pg::lock_for(db, None)?;
            let sql = format!(
                "SELECT id, os_user, summary, command, inverse FROM audit
                 WHERE state = ?1 AND command IS NOT NULL AND inverse IS NOT NULL {}
                 ORDER BY id {} LIMIT 1",
                if who == Who::Me { "AND os_user = ?2" } else { "AND CAST(?2 AS TEXT) IS NOT NULL" },
                if undo { "DESC" } else { "ASC" }
            );
            let row: Option<(i64, String, String, String, String)> =
                one(db, &sql, &args![if undo { "done" } else { "undone" }, &me], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?;
            let Some((id, user, summary, command, inverse)) = row else {
                return Err(StoreError::Undo(format!(
                    "there is nothing {} to {}",
                    if who == Who::Me { "of yours" } else { "" },
                    verb
                )));
            };
            let json = if undo { inverse } else { command };
            let parsed = serde_json::from_str::<Command>(&json).map_err(|_| {
                StoreError::Undo(format!(
                    "'{summary}' was made by an older version of the program and cannot be {verb}ne; older changes can"
                ))
            });
            let cmd = match parsed.and_then(|cmd| check_in(db, &cmd, true).map(|_| cmd)) {
                Ok(cmd) => cmd,
                Err(e) if matches!(e, StoreError::Conflict(_) | StoreError::Command(_) | StoreError::Undo(_)) => {
                    return Ok(Err((id, user, summary, e)));
                }
                Err(e) => return Err(e),
            };
            apply(db, &cmd)?;
            db.exec("UPDATE audit SET state = ?2 WHERE id = ?1", &args![id, if undo { "undone" } else { "done" }])?;
            audit(db, &me, verb, &format!("{verb}: {summary}"), None, Some(&cmd), "final", Some(id))?;
            Ok(Ok(Step { summary, user, id }))
        })?;
        match outcome {
            Ok(step) => Ok(step),
            Err((id, user, summary, e)) => {
                // Never jam the history: this change can no longer be taken back; older ones can.
                self.write_with(|db| {
                    pg::lock_for(db, None)?;
                    db.exec("UPDATE audit SET state = 'final' WHERE id = ?1", &args![id])?;
                    let note = format!("could not {verb} '{summary}' ({user}); it stays in force");
                    audit(db, &me, &format!("{verb}_refused"), &note, None, None, "final", Some(id))
                })?;
                Err(e)
            }
        }
    }

    /// Whether this user's `undo` and `redo` have something to do.
    pub fn can_undo_redo(&self) -> Result<(bool, bool)> {
        let user = self.user.clone();
        self.read_with(|db| {
            let mut has = |state: &str| -> Result<bool> {
                Ok(one(
                    db,
                    "SELECT EXISTS(SELECT 1 FROM audit WHERE state = ?1 AND os_user = ?2 AND inverse IS NOT NULL)",
                    &args![state, &user],
                    |r| r.get(0),
                )?
                .unwrap_or(false))
            };
            Ok((has("done")?, has("undone")?))
        })
    }

    /// The newest `limit` audit rows, newest first.
    pub fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        self.log(&LogFilter { limit: Some(limit), ..LogFilter::default() })
    }

    /// Audit rows that match `filter`, newest first.
    pub fn log(&self, filter: &LogFilter) -> Result<Vec<AuditEntry>> {
        let mut sql = String::from("SELECT a.id, a.at, a.os_user, a.action, a.summary, a.reason, a.state FROM audit a");
        let mut args: Vec<Val> = Vec::new();
        let mut wheres: Vec<String> = Vec::new();
        for (kind, id) in [(SubjectKind::Trainee, &filter.trainee), (SubjectKind::Practice, &filter.practice)] {
            if let Some(id) = id {
                args.push(kind.key().into());
                args.push(id.into());
                wheres.push(format!(
                    "EXISTS (SELECT 1 FROM audit_subjects s WHERE s.kind = ?{} AND s.id = ?{} AND s.audit_id = a.id)",
                    args.len() - 1,
                    args.len()
                ));
            }
        }
        if let Some(u) = &filter.user {
            args.push(u.into());
            wheres.push(format!("a.os_user = ?{}", args.len()));
        }
        if !wheres.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&wheres.join(" AND "));
        }
        sql.push_str(" ORDER BY a.id DESC");
        if let Some(n) = filter.limit {
            sql.push_str(&format!(" LIMIT {n}"));
        }
        self.read_with(|db| rows(db, &sql, &args, audit_entry))
    }

    /// The commands stored with the given audit rows (rows with none, or one this version cannot
    /// read, are left out): the desk words them in the user's language.
    pub fn audit_commands(&self, ids: &[i64]) -> Result<std::collections::HashMap<i64, Command>> {
        self.read_with(|db| {
            let mut out = std::collections::HashMap::new();
            for &id in ids {
                let json =
                    one(db, "SELECT command FROM audit WHERE id = ?1", &args![id], |r| r.get::<Option<String>>(0))?;
                if let Some(cmd) = json.flatten().and_then(|j| serde_json::from_str::<Command>(&j).ok()) {
                    out.insert(id, cmd);
                }
            }
            Ok(out)
        })
    }

    /// Writes a new file's bulk data (the demo region), and its settings where given, in one
    /// transaction. It is the file's starting point, audited as final: it cannot be undone.
    pub fn seed(&mut self, batch: &Batch, settings: Option<&Settings>) -> Result<BatchReport> {
        self.writable()?;
        let user = self.user.clone();
        self.write_with(|db| {
            pg::lock_for(db, None)?;
            let report = write_batch(db, batch)?;
            if let Some(settings) = settings {
                write_settings(db, settings)?;
            }
            audit(db, &user, "seed", &batch.summary, None, None, "final", None)?;
            Ok(report)
        })
    }

    /// Writes a consistent copy with SQLite's online backup API (never a file copy); from a
    /// server, a new file with everything the server holds (`copy`).
    pub fn save_copy(&self, dest: &Path) -> Result<()> {
        if self.is_server() {
            let mut target = Store::create(dest, &Region::midtjylland())?;
            return copy::copy_into(self, &mut target).map(drop).inspect_err(|_| {
                drop(std::fs::remove_file(dest));
            });
        }
        let conn = self.lite("save_copy")?;
        create_private_file(dest).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                StoreError::Exists(dest.to_path_buf())
            } else {
                StoreError::Io(e)
            }
        })?;
        let mut target = Connection::open(dest)?;
        let backup = rusqlite::backup::Backup::new(conn, &mut target)?;
        backup.run_to_completion(256, Duration::from_millis(5), None)?;
        Ok(())
    }

    /// Stores municipality boundary rings (from GeoJSON), replacing the old ones: a command,
    /// so it is audited and can be undone.
    pub fn replace_boundaries(&mut self, rings: &[BoundaryRing]) -> Result<usize> {
        let before = self.boundaries()?;
        self.execute(&Command::Boundaries { before, after: rings.to_vec() })?;
        Ok(rings.len())
    }

    /// The stored boundary rings.
    pub fn boundaries(&self) -> Result<Vec<BoundaryRing>> {
        self.read_with(boundaries)
    }
}

/// Whose changes `undo` and `redo` take back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    /// The calling OS account's own changes (the default).
    Me,
    /// Anyone's (`undo --all-users`).
    Anyone,
}

/// What an undo or redo took back or brought back.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub summary: String,
    /// Whose change it was.
    pub user: String,
    /// Its audit id.
    pub id: i64,
}

/// Filters of `log` (CONTRACT.md).
#[derive(Clone, Debug, Default)]
pub struct LogFilter {
    pub trainee: Option<String>,
    pub practice: Option<String>,
    pub user: Option<String>,
    pub limit: Option<usize>,
}

/// Where a reader of the change feed is: the newest audit id its data includes, and the file's
/// `data_version` when it last looked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Feed {
    pub seen: i64,
    data_version: i64,
}

/// New audit rows, oldest first, with the command each applied (none for rows that changed no
/// data). `reload`: the log cannot be replayed; load everything again.
#[derive(Clone, Debug, Default)]
pub struct Changes {
    pub entries: Vec<(AuditEntry, Option<Command>)>,
    pub reload: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && !self.reload
    }
}

fn audit_entry(r: &Row<'_>) -> Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        os_user: r.get(2)?,
        action: r.get(3)?,
        summary: r.get(4)?,
        reason: r.get(5)?,
        state: r.get(6)?,
    })
}

fn newest_audit_id(db: &mut dyn Sql) -> Result<i64> {
    Ok(one(db, "SELECT COALESCE(MAX(id), 0) FROM audit", &[], |r| r.get(0))?.unwrap_or(0))
}

fn boundaries(db: &mut dyn Sql) -> Result<Vec<BoundaryRing>> {
    rows(
        db,
        "SELECT municipality_code, polygon, ring, coords FROM boundaries ORDER BY municipality_code, polygon, ring",
        &[],
        |r| {
            let coords: String = r.get(3)?;
            let coords = serde_json::from_str(&coords).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            Ok(BoundaryRing { municipality_code: r.get(0)?, polygon: r.get(1)?, ring: r.get(2)?, coords })
        },
    )
}

/// The command's preconditions and rules, against the rows it touches as they are inside the
/// write transaction. `strict` (undo, redo): a trainee placed meanwhile is a conflict, not H9.
/// Returns the command's summary for the audit log.
fn check_in(db: &mut dyn Sql, cmd: &Command, strict: bool) -> Result<String> {
    let data = match cmd {
        Command::Import { .. } => load(db)?,
        _ => load_scope(db, &cmd.subjects())?,
    };
    if let Some(stale) = cmd.stale_row(&data, !strict) {
        return Err(conflict(db, &stale));
    }
    if let Some(e) = rounds::stale(db, cmd)? {
        return Err(e);
    }
    cmd.check(&data)?;
    Ok(cmd.summary_in(&data))
}

/// The conflict message: what changed, who changed it last and when.
fn conflict(db: &mut dyn Sql, stale: &Stale) -> StoreError {
    let last: Option<(String, String, String)> = match &stale.subject {
        Some((kind, id)) => one(
            db,
            "SELECT a.os_user, a.at, a.summary FROM audit_subjects s JOIN audit a ON a.id = s.audit_id
                 WHERE s.kind = ?1 AND s.id = ?2 ORDER BY a.id DESC LIMIT 1",
            &args![kind.key(), id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .ok()
        .flatten(),
        None => one(
            db,
            "SELECT os_user, at, summary FROM audit WHERE action IN ('set_settings', 'set_threatened', 'undo', 'redo')
                 ORDER BY id DESC LIMIT 1",
            &[],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .ok()
        .flatten(),
    };
    StoreError::Conflict(match last {
        Some((user, at, summary)) => format!(
            "{} changed since it was read: {user} changed it at {} ({summary}). Nothing was saved; look again and retry",
            stale.what,
            at.get(..16).unwrap_or(&at).replace('T', " ")
        ),
        None => format!("{} changed since it was read. Nothing was saved; look again and retry", stale.what),
    })
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

impl Batch {
    /// The import as one command: each row with what it replaces in `existing` (the file's data
    /// when the import is parsed, inside the write transaction), so it undoes as one step.
    pub fn into_command(self, existing: &Dataset) -> Command {
        let practices = self
            .practices
            .into_iter()
            .map(|p| Diff { before: existing.practice(&p.id).cloned(), after: Some(p) })
            .collect();
        let trainees = self
            .trainees
            .into_iter()
            .map(|t| Diff { before: existing.trainee(&t.id).cloned(), after: Some(t) })
            .collect();
        let placements = self
            .placements
            .into_iter()
            .map(|p| Diff { before: existing.placement_of(&p.trainee_id).cloned(), after: Some(p) })
            .collect();
        let pauses = self.pauses.into_iter().map(|p| Diff { before: None, after: Some(p) }).collect();
        Command::Import { summary: self.summary, rows: Rows { practices, trainees, placements, pauses } }
    }

    pub fn report(&self) -> BatchReport {
        BatchReport {
            practices: self.practices.len(),
            trainees: self.trainees.len(),
            placements: self.placements.len(),
            pauses: self.pauses.len(),
        }
    }
}

/// What an import wrote.
pub fn import_report(cmd: &Command) -> BatchReport {
    let rows = cmd.rows();
    BatchReport {
        practices: rows.practices.len(),
        trainees: rows.trainees.len(),
        placements: rows.placements.len(),
        pauses: rows.pauses.len(),
    }
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

/// Writes one audit row (and the trainees and practices it touches). `cmd` is the command that
/// was applied: the change feed replays it; its inverse is stored for undo.
#[allow(clippy::too_many_arguments)]
fn audit(
    db: &mut dyn Sql,
    user: &str,
    action: &str,
    summary: &str,
    reason: Option<&str>,
    cmd: Option<&Command>,
    state: &str,
    undoes: Option<i64>,
) -> Result<i64> {
    let json = |c: Option<&Command>| -> Result<Option<String>> {
        c.map(|c| serde_json::to_string(c).map_err(|e| StoreError::Corrupt(e.to_string()))).transpose()
    };
    let inverse = cmd.map(Command::inverse);
    // A server hands out audit ids in commit order, so the change feed never skips a row.
    pg::feed_order(db)?;
    let id: i64 = one(
        db,
        "INSERT INTO audit(at, os_user, action, summary, reason, command, inverse, state, undoes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
        &args![now_stamp(), user, action, summary, reason, json(cmd)?, json(inverse.as_ref())?, state, undoes],
        |r| r.get(0),
    )?
    .ok_or_else(|| StoreError::Corrupt("no audit id".into()))?;
    if let Some(cmd) = cmd {
        let Subjects { trainees, practices } = cmd.subjects();
        let sql = "INSERT INTO audit_subjects(kind, id, audit_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";
        for t in &trainees {
            db.exec(sql, &args!["trainee", t, id])?;
        }
        for p in &practices {
            db.exec(sql, &args!["practice", p, id])?;
        }
    }
    pg::notify(db, id)?;
    Ok(id)
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

fn write_region(db: &mut dyn Sql, region: &Region) -> Result<()> {
    for h in &region.hospital_units {
        db.exec(
            "INSERT INTO hospital_units(name, district, coordinators) VALUES (?1, ?2, ?3)",
            &args![&h.name, district_key(h.district), h.coordinators],
        )?;
    }
    for m in &region.municipalities {
        db.exec(
            "INSERT INTO municipalities(code, name, district, hospital_unit, lat, lon, threatened)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            &args![m.code, &m.name, district_key(m.district), &m.hospital_unit, m.lat, m.lon, m.threatened],
        )?;
    }
    Ok(())
}

/// A new database's first rows: the region, default settings, its name, the `create` audit row.
fn fill_new(db: &mut dyn Sql, region: &Region, user: &str) -> Result<()> {
    write_region(db, region)?;
    write_settings(db, &Settings::default())?;
    db.exec("INSERT INTO meta(key, value) VALUES ('region', ?1)", &args![&region.name])?;
    audit(db, user, "create", &format!("new database for {}", region.name), None, None, "final", None)?;
    Ok(())
}

fn write_settings(db: &mut dyn Sql, settings: &Settings) -> Result<()> {
    let json = serde_json::to_string(settings).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    db.exec(
        "INSERT INTO settings(key, value) VALUES ('settings', ?1) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        &args![json],
    )?;
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
    // The stored form is always `YYYY-MM-DD`: read it directly (a national file holds some
    // 300,000 dates; chrono's format parser is most of the load time); anything else goes the
    // general way.
    let b = s.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let num = |from: usize, to: usize| {
            b[from..to].iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
        };
        if let (Some(y), Some(m), Some(d)) = (num(0, 4), num(5, 7), num(8, 10))
            && let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d)
        {
            return Ok(date);
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| StoreError::Corrupt(format!("bad stored date '{s}'")))
}

/// `ON CONFLICT(key) DO UPDATE SET col = excluded.col, ...` for the columns after the key (the
/// first column): an existing row is updated in place (`INSERT OR REPLACE` would delete it
/// first, which the placements' foreign keys refuse). Both engines read it.
fn update_clause(columns: &str) -> String {
    let cols: Vec<&str> = columns.split(',').map(str::trim).collect();
    let sets: Vec<String> = cols.iter().skip(1).map(|c| format!("{c} = excluded.{c}")).collect();
    format!("ON CONFLICT({}) DO UPDATE SET {}", cols[0], sets.join(", "))
}

fn upsert_practice(db: &mut dyn Sql, p: &Practice, replace: bool) -> Result<()> {
    let on_conflict = if replace { update_clause(PRACTICE_COLS) } else { String::new() };
    db.exec(
        &format!(
            "INSERT INTO practices({PRACTICE_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
             ?16, ?17)
         {on_conflict}"
        ),
        &args![
            &p.id,
            &p.name,
            &p.address,
            &p.municipality,
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
            &p.phone,
            &p.email,
        ],
    )?;
    Ok(())
}

fn upsert_trainee(db: &mut dyn Sql, t: &Trainee, replace: bool) -> Result<()> {
    let on_conflict = if replace { update_clause(TRAINEE_COLS) } else { String::new() };
    db.exec(
        &format!(
            "INSERT INTO trainees({TRAINEE_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         {on_conflict}"
        ),
        &args![
            &t.id,
            &t.name,
            t.kind.key(),
            &t.hospital_unit,
            &t.municipality,
            iso(t.start),
            iso(t.end),
            t.monthly_salary.map(Money::ore),
            &t.seniority_step,
            &t.own_gp,
            t.family_practices.join("|"),
            t.history.join("|"),
        ],
    )?;
    Ok(())
}

fn upsert_placement(db: &mut dyn Sql, p: &Placement, replace: bool) -> Result<()> {
    let on_conflict = if replace { update_clause(PLACEMENT_COLS) } else { String::new() };
    db.exec(
        &format!("INSERT INTO placements({PLACEMENT_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) {on_conflict}"),
        &args![&p.trainee_id, &p.practice_id, iso(p.start), iso(p.end), p.pinned, join_rules(&p.overrides), &p.reason],
    )?;
    Ok(())
}

fn insert_pause(db: &mut dyn Sql, p: &Pause) -> Result<()> {
    db.exec(
        &format!("INSERT INTO pauses({PAUSE_COLS}) VALUES (?1, ?2, ?3, ?4)"),
        &args![&p.practice_id, iso(p.start), iso(p.end), p.wish_type.map(TraineeType::key)],
    )?;
    Ok(())
}

fn delete_pause(db: &mut dyn Sql, p: &Pause) -> Result<u64> {
    db.exec(
        r#"DELETE FROM pauses WHERE id = (SELECT id FROM pauses WHERE practice_id = ?1 AND start = ?2 AND "end" = ?3
            AND wish_type IS NOT DISTINCT FROM ?4 LIMIT 1)"#,
        &args![&p.practice_id, iso(p.start), iso(p.end), p.wish_type.map(TraineeType::key)],
    )
}

fn write_batch(db: &mut dyn Sql, b: &Batch) -> Result<BatchReport> {
    for p in &b.practices {
        upsert_practice(db, p, b.update)?;
    }
    for t in &b.trainees {
        upsert_trainee(db, t, b.update)?;
    }
    for p in &b.placements {
        upsert_placement(db, p, b.update)?;
    }
    for p in &b.pauses {
        insert_pause(db, p)?;
    }
    Ok(BatchReport {
        practices: b.practices.len(),
        trainees: b.trainees.len(),
        placements: b.placements.len(),
        pauses: b.pauses.len(),
    })
}

/// Whether a statement failed on a foreign key (a row still in use), in either engine.
fn is_constraint(e: &StoreError) -> bool {
    match e {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => f.code == rusqlite::ErrorCode::ConstraintViolation,
        StoreError::Server(m) => m.ends_with("(23503)"),
        _ => false,
    }
}

/// Applies a command that the domain and the preconditions have checked.
fn apply(db: &mut dyn Sql, cmd: &Command) -> Result<()> {
    let rows = cmd.rows();
    // Deletes first (children before parents), then inserts and replacements (parents first).
    for d in &rows.pauses {
        if let Some(b) = &d.before
            && delete_pause(db, b)? == 0
        {
            return Err(StoreError::Conflict(format!("the pause at {} from {} is gone", b.practice_id, b.start)));
        }
    }
    for d in &rows.placements {
        if let (Some(b), None) = (&d.before, &d.after) {
            db.exec("DELETE FROM placements WHERE trainee_id = ?1", &args![&b.trainee_id])?;
        }
    }
    let in_use = |e: StoreError, what: String| {
        if is_constraint(&e) {
            StoreError::Conflict(format!("{what} is in use by rows added since; nothing was saved"))
        } else {
            e
        }
    };
    for d in &rows.trainees {
        if let (Some(b), None) = (&d.before, &d.after) {
            db.exec("DELETE FROM trainees WHERE id = ?1", &args![&b.id])
                .map_err(|e| in_use(e, format!("trainee {}", b.id)))?;
        }
    }
    for d in &rows.practices {
        if let (Some(b), None) = (&d.before, &d.after) {
            db.exec("DELETE FROM practices WHERE id = ?1", &args![&b.id])
                .map_err(|e| in_use(e, format!("practice {}", b.id)))?;
        }
    }
    for d in &rows.practices {
        if let Some(a) = &d.after {
            upsert_practice(db, a, true)?;
        }
    }
    for d in &rows.trainees {
        if let Some(a) = &d.after {
            upsert_trainee(db, a, true)?;
        }
    }
    for d in &rows.placements {
        if let Some(a) = &d.after {
            upsert_placement(db, a, d.before.is_some())?;
        }
    }
    for d in &rows.pauses {
        if let Some(a) = &d.after {
            insert_pause(db, a)?;
        }
    }
    match cmd {
        Command::SetThreatened { municipality, after, .. } => {
            db.exec(
                "UPDATE municipalities SET threatened = ?2 WHERE lower(name) = lower(?1)",
                &args![municipality, *after],
            )?;
        }
        Command::SetSettings { after, .. } => write_settings(db, after)?,
        Command::SaveRound { .. } | Command::PublishRound { .. } | Command::UnpublishRound { .. } => {
            rounds::apply(db, cmd)?
        }
        Command::Boundaries { after, .. } => {
            db.exec("DELETE FROM boundaries", &[])?;
            for r in after {
                let coords = serde_json::to_string(&r.coords).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                db.exec(
                    "INSERT INTO boundaries(municipality_code, polygon, ring, coords) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(municipality_code, polygon, ring) DO UPDATE SET coords = excluded.coords",
                    &args![r.municipality_code, r.polygon, r.ring, coords],
                )?;
            }
        }
        _ => {}
    }
    Ok(())
}

const PRACTICE_COLS: &str = "id, name, address, municipality, lat, lon, tutors, doctors, setting, burdened, threatened,
    capacity, large, refuses, quality, phone, email";
/// The practice columns as a file before schema 4 has them (phone and e-mail came with 4): an old
/// file opened read-only is not migrated, and reads NULL for both.
const PRACTICE_COLS_V3: &str =
    "id, name, address, municipality, lat, lon, tutors, doctors, setting, burdened, threatened,
    capacity, large, refuses, quality, NULL, NULL";

/// The practice columns to read from this database (a server is always migrated).
fn practice_cols(db: &mut dyn Sql) -> Result<&'static str> {
    if db.is_pg() {
        return Ok(PRACTICE_COLS);
    }
    let has = one(db, "SELECT EXISTS(SELECT 1 FROM pragma_table_info('practices') WHERE name = 'phone')", &[], |r| {
        r.get::<bool>(0)
    })?
    .unwrap_or(false);
    Ok(if has { PRACTICE_COLS } else { PRACTICE_COLS_V3 })
}
const TRAINEE_COLS: &str = r#"id, name, kind, hospital_unit, municipality, start, "end", monthly_salary, seniority_step,
    own_gp, family_practices, history"#;
const PLACEMENT_COLS: &str = r#"trainee_id, practice_id, start, "end", pinned, overrides, reason"#;
const PAUSE_COLS: &str = r#"practice_id, start, "end", wish_type"#;

fn types_col(s: String) -> Result<Vec<TraineeType>> {
    split_list(&s)
        .iter()
        .map(|k| TraineeType::from_key(k).ok_or_else(|| StoreError::Corrupt(format!("unknown type '{k}'"))))
        .collect()
}

fn practice_row(r: &Row<'_>) -> Result<Practice> {
    let setting: String = r.get(8)?;
    Ok(Practice {
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
        refuses: types_col(r.get(13)?)?,
        quality: r.get(14)?,
        phone: r.get(15)?,
        email: r.get(16)?,
    })
}

fn trainee_row(r: &Row<'_>) -> Result<Trainee> {
    let kind: String = r.get(2)?;
    Ok(Trainee {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: TraineeType::from_key(&kind).ok_or_else(|| StoreError::Corrupt(format!("unknown type '{kind}'")))?,
        hospital_unit: r.get(3)?,
        municipality: r.get(4)?,
        start: date_col(&r.get::<String>(5)?)?,
        end: date_col(&r.get::<String>(6)?)?,
        monthly_salary: r.get::<Option<i64>>(7)?.map(Money),
        seniority_step: r.get(8)?,
        own_gp: r.get(9)?,
        family_practices: split_list(&r.get::<String>(10)?),
        history: split_list(&r.get::<String>(11)?),
    })
}

fn placement_row(r: &Row<'_>) -> Result<Placement> {
    let overrides = split_list(&r.get::<String>(5)?)
        .iter()
        .map(|k| Rule::parse(k).ok_or_else(|| StoreError::Corrupt(format!("unknown rule '{k}'"))))
        .collect::<Result<Vec<_>>>()?;
    Ok(Placement {
        trainee_id: r.get(0)?,
        practice_id: r.get(1)?,
        start: date_col(&r.get::<String>(2)?)?,
        end: date_col(&r.get::<String>(3)?)?,
        pinned: r.get(4)?,
        overrides,
        reason: r.get(6)?,
    })
}

fn pause_row(r: &Row<'_>) -> Result<Pause> {
    let wish: Option<String> = r.get(3)?;
    Ok(Pause {
        practice_id: r.get(0)?,
        start: date_col(&r.get::<String>(1)?)?,
        end: date_col(&r.get::<String>(2)?)?,
        wish_type: wish
            .map(|k| TraineeType::from_key(&k).ok_or_else(|| StoreError::Corrupt(format!("unknown type '{k}'"))))
            .transpose()?,
    })
}

fn load_region(db: &mut dyn Sql) -> Result<Region> {
    let name: String = one(db, "SELECT value FROM meta WHERE key = 'region'", &[], |r| r.get(0))?
        .unwrap_or_else(|| "Region Midtjylland".to_string());
    let hospital_units = rows(db, "SELECT name, district, coordinators FROM hospital_units ORDER BY name", &[], |r| {
        Ok(HospitalUnit {
            name: r.get(0)?,
            district: district_from_key(&r.get::<String>(1)?)?,
            coordinators: r.get(2)?,
        })
    })?;
    // `code` is SQLite's rowid here: the order the region was written in.
    let municipalities = rows(
        db,
        "SELECT code, name, district, hospital_unit, lat, lon, threatened FROM municipalities ORDER BY code",
        &[],
        |r| {
            Ok(Municipality {
                code: r.get(0)?,
                name: r.get(1)?,
                district: district_from_key(&r.get::<String>(2)?)?,
                hospital_unit: r.get(3)?,
                lat: r.get(4)?,
                lon: r.get(5)?,
                threatened: r.get(6)?,
            })
        },
    )?;
    Ok(Region { name, municipalities, hospital_units })
}

fn load_settings(db: &mut dyn Sql) -> Result<Settings> {
    Ok(match one(db, "SELECT value FROM settings WHERE key = 'settings'", &[], |r| r.get::<String>(0))? {
        Some(json) => serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(format!("settings: {e}")))?,
        None => Settings::default(),
    })
}

fn load(db: &mut dyn Sql) -> Result<Dataset> {
    let practice_cols = practice_cols(db)?;
    Ok(Dataset {
        region: load_region(db)?,
        practices: rows(db, &format!("SELECT {practice_cols} FROM practices ORDER BY id"), &[], practice_row)?,
        trainees: rows(db, &format!("SELECT {TRAINEE_COLS} FROM trainees ORDER BY id"), &[], trainee_row)?,
        placements: rows(
            db,
            &format!("SELECT {PLACEMENT_COLS} FROM placements ORDER BY trainee_id"),
            &[],
            placement_row,
        )?,
        pauses: rows(
            db,
            // No wish (NULL) first in both engines (PostgreSQL sorts NULL last by itself).
            &format!(
                r#"SELECT {PAUSE_COLS} FROM pauses ORDER BY practice_id, start, "end", (wish_type IS NOT NULL), wish_type"#
            ),
            &[],
            pause_row,
        )?,
        settings: load_settings(db)?,
    })
}

/// Only what a command about `subjects` needs for its rules and preconditions: those practices
/// with their placements and pauses, those trainees with their placements, and the trainees and
/// practices those placements name. A `place` on a national file with ten years of history reads
/// a few dozen rows, not the whole file.
fn load_scope(db: &mut dyn Sql, subjects: &Subjects) -> Result<Dataset> {
    use std::collections::BTreeMap;
    let mut practices: BTreeMap<String, Practice> = BTreeMap::new();
    let mut trainees: BTreeMap<String, Trainee> = BTreeMap::new();
    let mut placements: BTreeMap<String, Placement> = BTreeMap::new();
    let mut pauses: Vec<Pause> = Vec::new();
    let practice_sql = format!("SELECT {} FROM practices WHERE id = ?1", practice_cols(db)?);
    let trainee_sql = format!("SELECT {TRAINEE_COLS} FROM trainees WHERE id = ?1");
    for id in &subjects.practices {
        for p in rows(db, &practice_sql, &args![id], practice_row)? {
            practices.insert(p.id.clone(), p);
        }
        for p in rows(
            db,
            &format!("SELECT {PLACEMENT_COLS} FROM placements WHERE practice_id = ?1"),
            &args![id],
            placement_row,
        )? {
            placements.insert(p.trainee_id.clone(), p);
        }
        pauses.extend(rows(
            db,
            &format!("SELECT {PAUSE_COLS} FROM pauses WHERE practice_id = ?1"),
            &args![id],
            pause_row,
        )?);
    }
    for id in &subjects.trainees {
        for p in rows(
            db,
            &format!("SELECT {PLACEMENT_COLS} FROM placements WHERE trainee_id = ?1"),
            &args![id],
            placement_row,
        )? {
            placements.insert(p.trainee_id.clone(), p);
        }
    }
    let mut trainee_ids: Vec<String> = subjects.trainees.to_vec();
    trainee_ids.extend(placements.keys().cloned());
    for id in trainee_ids {
        if !trainees.contains_key(&id) {
            for t in rows(db, &trainee_sql, &args![&id], trainee_row)? {
                trainees.insert(t.id.clone(), t);
            }
        }
    }
    let practice_ids: Vec<String> = placements.values().map(|p| p.practice_id.clone()).collect();
    for id in practice_ids {
        if !practices.contains_key(&id) {
            for p in rows(db, &practice_sql, &args![&id], practice_row)? {
                practices.insert(p.id.clone(), p);
            }
        }
    }
    pauses.sort_by(|a, b| {
        (&a.practice_id, a.start, a.end, a.wish_type.map(|t| t.key())).cmp(&(
            &b.practice_id,
            b.start,
            b.end,
            b.wish_type.map(|t| t.key()),
        ))
    });
    Ok(Dataset {
        region: load_region(db)?,
        practices: practices.into_values().collect(),
        trainees: trainees.into_values().collect(),
        placements: placements.into_values().collect(),
        pauses,
        settings: load_settings(db)?,
    })
}

#[cfg(test)]
mod tests;
