//! Server mode: the same store on a PostgreSQL database (`--db postgresql://...`).
//!
//! The queries are the store's own (`sql.rs` runs them on either engine); what is only here:
//! connecting, the schema and its version (`tutor_schema`), the three group roles with their
//! grants and row-level security, the advisory locks each write takes, and `NOTIFY`.
//!
//! Concurrency: every command runs in one READ COMMITTED transaction that first takes
//! transaction-level advisory locks (`lock_for`): a shared lock on the region and an exclusive
//! one per practice and per trainee it touches (hashes of their ids, in sorted order, so two
//! commands never wait on each other in a circle). Commands about the whole region (imports,
//! settings, boundaries, undo and redo) take the region's lock exclusively. Once it holds its
//! locks a command reads its rows, which no one else can change until it commits: two
//! coordinators racing for a practice's last slot queue, and the second one sees the first's
//! placement and is refused by H8. The audit row is written under one more lock (`feed_order`), so
//! audit ids are handed out in commit order and a reader of the change feed never skips a row.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::sql::{PgTx, Sql, args, one};
use super::{Conn, OpenWarning, Result, SCHEMA_VERSION, Store, StoreError};
use crate::domain::command::Command;
use crate::domain::region::Region;

/// The `NOTIFY` channel every write signals on (payload: the new audit id).
pub const CHANNEL: &str = "tutorfordeling";

/// Advisory lock keys (the two-integer key space, apart from the per-row hashes): the region as a
/// whole, and the order of audit ids.
const LOCK_CLASS: i32 = 0x7475;
const LOCK_REGION: i32 = 1;
const LOCK_FEED: i32 = 2;

/// The URL in `path` when it names a PostgreSQL database.
pub(crate) fn url_of(path: &Path) -> Option<&str> {
    let s = path.to_str()?;
    (s.starts_with("postgresql://") || s.starts_with("postgres://")).then_some(s)
}

/// Whether `path` names a PostgreSQL database rather than a file.
pub fn is_server_url(path: &Path) -> bool {
    url_of(path).is_some()
}

/// The URL with its password (if any) replaced by `***`, for messages and the status bar.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let (auth, host) = match rest.rsplit_once('@') {
        Some((a, h)) => (a, h),
        None => return url.to_string(),
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

/// `path` as a program may remember it: a server URL without its password (the server's login
/// then comes from `~/.pgpass` or `PGPASSWORD`, as for psql); a file path as it is.
pub fn without_password(path: &Path) -> std::path::PathBuf {
    let Some(url) = url_of(path) else { return path.to_path_buf() };
    let Some((scheme, rest)) = url.split_once("://") else { return path.to_path_buf() };
    match rest.rsplit_once('@') {
        Some((auth, host)) => {
            let user = auth.split_once(':').map_or(auth, |(user, _)| user);
            std::path::PathBuf::from(format!("{scheme}://{user}@{host}"))
        }
        None => path.to_path_buf(),
    }
}

/// An open connection to the server, with its prepared statements.
pub(crate) struct PgConn {
    client: RefCell<postgres::Client>,
    stmts: RefCell<HashMap<String, postgres::Statement>>,
}

impl PgConn {
    fn connect(url: &str) -> Result<PgConn> {
        let client = postgres::Client::connect(url, postgres::NoTls).map_err(|e| match StoreError::from(e) {
            StoreError::Server(m) => StoreError::Server(format!("cannot connect to {}: {m}", redact(url))),
            other => other,
        })?;
        Ok(PgConn { client: RefCell::new(client), stmts: RefCell::new(HashMap::new()) })
    }

    /// Runs `f` in one read-only REPEATABLE READ transaction: one snapshot of the region.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&mut dyn Sql) -> Result<T>) -> Result<T> {
        let mut client = self.client.borrow_mut();
        let mut stmts = self.stmts.borrow_mut();
        let mut tx = client
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let out = f(&mut PgTx { tx: &mut tx, stmts: &mut stmts })?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` in one READ COMMITTED write transaction (the caller takes its locks first).
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&mut dyn Sql) -> Result<T>) -> Result<T> {
        self.write_migrating(None, f)
    }

    /// `write`, first migrating the schema from version `from` in the same transaction.
    fn write_migrating<T>(&mut self, from: Option<i64>, f: impl FnOnce(&mut dyn Sql) -> Result<T>) -> Result<T> {
        let mut client = self.client.borrow_mut();
        let mut stmts = self.stmts.borrow_mut();
        let result = (|| {
            let mut tx = client.transaction()?;
            if let Some(from) = from {
                stmts.clear();
                tx.batch_execute(&migration_batch(from))?;
            }
            let out = f(&mut PgTx { tx: &mut tx, stmts: &mut stmts })?;
            tx.commit()?;
            Ok(out)
        })();
        if result.is_err() {
            // A statement prepared in a rolled-back transaction may name what no longer exists.
            stmts.clear();
        }
        result
    }
}

/// Takes the locks a write needs before it reads (see the module's doc). `cmd` None: the whole
/// region, exclusively (imports, seeds, undo and redo, copies). Nothing on SQLite, whose
/// IMMEDIATE transaction already holds the file's one write lock.
pub(crate) fn lock_for(db: &mut dyn Sql, cmd: Option<&Command>) -> Result<()> {
    if !db.is_pg() {
        return Ok(());
    }
    let whole = match cmd {
        None => true,
        Some(c) => matches!(
            c,
            Command::Import { .. }
                | Command::SetSettings { .. }
                | Command::SetThreatened { .. }
                | Command::Boundaries { .. }
        ),
    };
    if whole {
        db.exec("SELECT pg_advisory_xact_lock(?1, ?2)", &args![LOCK_CLASS, LOCK_REGION])?;
        return Ok(());
    }
    db.exec("SELECT pg_advisory_xact_lock_shared(?1, ?2)", &args![LOCK_CLASS, LOCK_REGION])?;
    let subjects = cmd.map(Command::subjects).unwrap_or_default();
    let mut keys: Vec<String> = subjects
        .practices
        .iter()
        .map(|p| format!("practice:{p}"))
        .chain(subjects.trainees.iter().map(|t| format!("trainee:{t}")))
        .collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        db.exec("SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))", &args![k])?;
    }
    Ok(())
}

/// Before the audit row: audit ids in commit order (held until this transaction ends).
pub(crate) fn feed_order(db: &mut dyn Sql) -> Result<()> {
    if db.is_pg() {
        db.exec("SELECT pg_advisory_xact_lock(?1, ?2)", &args![LOCK_CLASS, LOCK_FEED])?;
    }
    Ok(())
}

/// Tells every listening desk that audit row `id` is there (delivered when the write commits).
pub(crate) fn notify(db: &mut dyn Sql, id: i64) -> Result<()> {
    if db.is_pg() {
        db.exec("SELECT pg_notify(?1, CAST(?2 AS TEXT))", &args![CHANNEL, id])?;
    }
    Ok(())
}

/// Migration `i` takes the server's schema from version `i` to `i + 1`, as `schema::MIGRATIONS`
/// does for a file: the same tables and columns (TXT is TEXT with the "C" collation, so text
/// sorts byte by byte as in SQLite and exports are identical).
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: the whole first schema.
    r#"
CREATE TABLE meta (
    key   TXT PRIMARY KEY,
    value TXT NOT NULL
);
CREATE TABLE hospital_units (
    name         TXT PRIMARY KEY,
    district     TXT NOT NULL,
    coordinators BIGINT NOT NULL
);
CREATE TABLE municipalities (
    code          BIGINT PRIMARY KEY,
    name          TXT NOT NULL UNIQUE,
    district      TXT NOT NULL,
    hospital_unit TXT NOT NULL REFERENCES hospital_units(name),
    lat           DOUBLE PRECISION NOT NULL,
    lon           DOUBLE PRECISION NOT NULL,
    threatened    BIGINT NOT NULL CHECK (threatened IN (0, 1))
);
CREATE TABLE boundaries (
    municipality_code BIGINT NOT NULL REFERENCES municipalities(code) ON DELETE CASCADE,
    polygon           BIGINT NOT NULL,
    ring              BIGINT NOT NULL,
    coords            TXT NOT NULL,
    PRIMARY KEY (municipality_code, polygon, ring)
);
CREATE TABLE practices (
    id           TXT PRIMARY KEY,
    name         TXT NOT NULL,
    address      TXT NOT NULL DEFAULT '',
    municipality TXT NOT NULL REFERENCES municipalities(name),
    lat          DOUBLE PRECISION NOT NULL,
    lon          DOUBLE PRECISION NOT NULL,
    tutors       BIGINT NOT NULL CHECK (tutors >= 1),
    doctors      BIGINT NOT NULL CHECK (doctors >= 1),
    setting      TXT NOT NULL CHECK (setting IN ('urban', 'rural')),
    burdened     BIGINT NOT NULL CHECK (burdened IN (0, 1)),
    threatened   BIGINT CHECK (threatened IN (0, 1)),
    capacity     BIGINT CHECK (capacity >= 0),
    large        BIGINT NOT NULL CHECK (large IN (0, 1)),
    refuses      TXT NOT NULL DEFAULT '',
    quality      BIGINT CHECK (quality BETWEEN 1 AND 5)
);
CREATE TABLE trainees (
    id                TXT PRIMARY KEY,
    name              TXT NOT NULL,
    kind              TXT NOT NULL CHECK (kind IN ('kbu', 'intro', 'phase1', 'phase2', 'phase3', 'other')),
    hospital_unit     TXT REFERENCES hospital_units(name),
    municipality      TXT REFERENCES municipalities(name),
    start             TXT NOT NULL,
    "end"             TXT NOT NULL,
    monthly_salary    BIGINT,
    seniority_step    TXT,
    own_gp            TXT,
    family_practices  TXT NOT NULL DEFAULT '',
    history           TXT NOT NULL DEFAULT '',
    CHECK (start <= "end")
);
CREATE TABLE placements (
    trainee_id  TXT PRIMARY KEY REFERENCES trainees(id),
    practice_id TXT NOT NULL REFERENCES practices(id),
    start       TXT NOT NULL,
    "end"       TXT NOT NULL,
    pinned      BIGINT NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    overrides   TXT NOT NULL DEFAULT '',
    reason      TXT,
    CHECK (start <= "end")
);
CREATE INDEX placements_by_practice ON placements(practice_id, start);
CREATE TABLE pauses (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    practice_id TXT NOT NULL REFERENCES practices(id),
    start       TXT NOT NULL,
    "end"       TXT NOT NULL,
    wish_type   TXT,
    CHECK (start <= "end")
);
CREATE INDEX pauses_by_practice ON pauses(practice_id, start);
CREATE TABLE settings (
    key   TXT PRIMARY KEY,
    value TXT NOT NULL
);
CREATE TABLE audit (
    id        BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    at        TXT NOT NULL,
    os_user   TXT NOT NULL,
    action    TXT NOT NULL,
    summary   TXT NOT NULL,
    reason    TXT,
    command   TXT,
    inverse   TXT,
    state     TXT NOT NULL DEFAULT 'done' CHECK (state IN ('done', 'undone', 'final'))
);
"#,
    // 2: (a file's instance lock has no place on a server) the index for undo and redo.
    r#"
CREATE INDEX audit_by_state ON audit(state, id);
"#,
    // 3: per-user undo, the change feed and the audit log's filters.
    r#"
ALTER TABLE audit ADD COLUMN undoes BIGINT REFERENCES audit(id);
CREATE INDEX audit_by_user ON audit(os_user, state, id);
CREATE TABLE audit_subjects (
    kind     TXT NOT NULL CHECK (kind IN ('trainee', 'practice')),
    id       TXT NOT NULL,
    audit_id BIGINT NOT NULL REFERENCES audit(id),
    PRIMARY KEY (kind, id, audit_id)
);
"#,
    // 4: draft rounds (issue 13), and the practices' optional phone and e-mail for the letters.
    r#"
CREATE TABLE rounds (
    name            TXT PRIMARY KEY,
    published       BIGINT NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
    published_after BIGINT,
    body            TXT NOT NULL
);
ALTER TABLE practices ADD COLUMN phone TXT;
ALTER TABLE practices ADD COLUMN email TXT;
"#,
];

/// The three group roles and what each may do, enforced by the server (CONTRACT.md, "Server
/// mode"). Run after every migration, so new tables get their grants. Roles belong to the whole
/// cluster: made once, reused by every region database in it.
const ROLES: &str = r#"
DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'coordinator') THEN CREATE ROLE coordinator NOLOGIN; END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'reviewer') THEN CREATE ROLE reviewer NOLOGIN; END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hr') THEN CREATE ROLE hr NOLOGIN; END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
GRANT USAGE ON SCHEMA public TO coordinator, reviewer, hr;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO coordinator, reviewer, hr;
-- coordinator: everything but settings.
GRANT INSERT, UPDATE, DELETE ON practices, trainees, placements, pauses, boundaries, rounds TO coordinator;
-- hr: settings, the salary scale, the threatened municipalities (finance and statements only read).
GRANT INSERT, UPDATE ON settings TO hr;
GRANT UPDATE (threatened) ON municipalities TO hr;
-- Both write their audit rows and mark their own changes undone or final.
GRANT INSERT ON audit, audit_subjects TO coordinator, hr;
GRANT UPDATE (state) ON audit TO coordinator, hr;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO coordinator, hr;
-- The audit user is the authenticated login: nobody but the owner writes a row in another's name.
ALTER TABLE audit ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS audit_read ON audit;
DROP POLICY IF EXISTS audit_own_rows ON audit;
DROP POLICY IF EXISTS audit_state ON audit;
CREATE POLICY audit_read ON audit FOR SELECT USING (true);
CREATE POLICY audit_own_rows ON audit FOR INSERT WITH CHECK (os_user = session_user);
CREATE POLICY audit_state ON audit FOR UPDATE USING (true) WITH CHECK (true);
"#;

fn migration_sql(i: usize) -> String {
    MIGRATIONS[i].replace("TXT", "TEXT COLLATE \"C\"")
}

/// The SQL that brings the schema from version `from` to `SCHEMA_VERSION`, with the version bump
/// and the grants; run inside the transaction that uses it.
fn migration_batch(from: i64) -> String {
    let mut sql = format!("SELECT pg_advisory_xact_lock({LOCK_CLASS}, {LOCK_REGION});\n");
    if from == 0 {
        sql.push_str("CREATE TABLE tutor_schema (version BIGINT NOT NULL, application TEXT NOT NULL);\n");
        sql.push_str("INSERT INTO tutor_schema VALUES (0, 'tutorfordeling');\n");
    }
    for i in usize::try_from(from).unwrap_or(0)..MIGRATIONS.len() {
        sql.push_str(&migration_sql(i));
    }
    sql.push_str(&format!("UPDATE tutor_schema SET version = {SCHEMA_VERSION};\n"));
    sql.push_str(ROLES);
    sql.push_str("GRANT SELECT ON tutor_schema TO coordinator, reviewer, hr;\n");
    sql
}

/// The schema version the database holds; None when it is not a tutorfordeling database.
fn version(conn: &PgConn) -> Result<Option<i64>> {
    conn.read(|db| {
        let exists = one(db, "SELECT to_regclass('public.tutor_schema') IS NOT NULL", &[], |r| r.get::<bool>(0))?;
        if exists != Some(true) {
            return Ok(None);
        }
        one(db, "SELECT version FROM tutor_schema", &[], |r| r.get::<i64>(0))
    })
}

/// The authenticated login: the audit log's user.
fn session_user(conn: &PgConn) -> Result<String> {
    Ok(conn.read(|db| one(db, "SELECT CAST(session_user AS TEXT)", &[], |r| r.get::<String>(0)))?.unwrap_or_default())
}

fn store(conn: PgConn, url: &str, read_only: bool) -> Result<Store> {
    let user = session_user(&conn)?;
    let mut warnings = Vec::new();
    if read_only {
        warnings.push(OpenWarning::ReadOnly);
    }
    Ok(Store {
        conn: Conn::Pg(Box::new(conn)),
        path: PathBuf::from(redact(url)),
        read_only,
        lock: None,
        warnings,
        user,
    })
}

/// `new --db URL`, run by the database's owner: the schema in an empty database, the roles and
/// their grants, and the region's master data, in one transaction. Refuses a database that
/// already holds a region.
pub(crate) fn create(url: &str, region: &Region) -> Result<Store> {
    let conn = PgConn::connect(url)?;
    if version(&conn)?.is_some() {
        return Err(StoreError::Exists(PathBuf::from(redact(url))));
    }
    let mut conn = conn;
    let user = session_user(&conn)?;
    conn.write_migrating(Some(0), |db| super::fill_new(db, region, &user))?;
    store(conn, url, false)
}

/// Opens a region on a server: it must be ours and not newer than this build; an older schema
/// is migrated (by the owner).
pub(crate) fn open(url: &str, read_only: bool) -> Result<Store> {
    let mut conn = PgConn::connect(url)?;
    let path = || PathBuf::from(redact(url));
    match version(&conn)? {
        None => return Err(StoreError::NotOurs(path())),
        Some(v) if v > i64::from(SCHEMA_VERSION) => {
            return Err(StoreError::TooNew {
                path: path(),
                found: i32::try_from(v).unwrap_or(i32::MAX),
                supported: SCHEMA_VERSION,
            });
        }
        Some(v) if v < i64::from(SCHEMA_VERSION) && !read_only => conn.write_migrating(Some(v), |_| Ok(()))?,
        Some(_) => {}
    }
    store(conn, url, read_only)
}

/// After a copy into a server: identity columns continue after the highest copied id.
pub(crate) fn reset_identities(db: &mut dyn Sql) -> Result<()> {
    if db.is_pg() {
        for table in ["audit", "pauses"] {
            db.exec(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
                ),
                &[],
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_desk_remembered_a_servers_password_in_its_settings_now_it_keeps_the_url_without_it() {
        let url = Path::new("postgresql://rita:hemmelig@db.rm.dk:5432/tutor");
        assert_eq!(without_password(url), Path::new("postgresql://rita@db.rm.dk:5432/tutor"));
        let plain = Path::new("postgres://rita@db.rm.dk/tutor");
        assert_eq!(without_password(plain), plain);
        let file = Path::new("/home/rita/region:a@b.sqlite");
        assert_eq!(without_password(file), file);
    }

    #[test]
    fn a_password_never_shows() {
        assert_eq!(
            redact("postgresql://anna:hemmelig@db.rm.dk:5432/tutor"),
            "postgresql://anna:***@db.rm.dk:5432/tutor"
        );
        assert_eq!(redact("postgres://anna@db/tutor"), "postgres://anna@db/tutor");
        assert!(is_server_url(Path::new("postgres://x/y")));
        assert!(!is_server_url(Path::new("region.sqlite")));
    }

    #[test]
    fn both_engines_have_the_same_schema_version() {
        assert_eq!(MIGRATIONS.len(), super::super::schema::MIGRATIONS.len());
    }
}
