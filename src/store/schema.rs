//! The SQLite schema and its migrations, keyed on `PRAGMA user_version`.
//!
//! Each entry of `MIGRATIONS` moves the schema one version up and runs in the same transaction as
//! the `user_version` bump, so a file is never left between two versions.

/// `PRAGMA application_id`: "TUTF" in ASCII, so other programs' SQLite files are told apart.
pub const APPLICATION_ID: i32 = 0x5455_5446;

/// The schema version this build writes. A file with a higher `user_version` is refused.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// Migration `i` takes the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: the whole first schema.
    r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE hospital_units (
    name         TEXT PRIMARY KEY,
    district     TEXT NOT NULL,
    coordinators INTEGER NOT NULL
) STRICT;

CREATE TABLE municipalities (
    code          INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    district      TEXT NOT NULL,
    hospital_unit TEXT NOT NULL REFERENCES hospital_units(name),
    lat           REAL NOT NULL,
    lon           REAL NOT NULL,
    threatened    INTEGER NOT NULL CHECK (threatened IN (0, 1))
) STRICT;

-- Boundary rings imported from GeoJSON, for the map. Ring 0 of a polygon is its outline.
CREATE TABLE boundaries (
    municipality_code INTEGER NOT NULL REFERENCES municipalities(code) ON DELETE CASCADE,
    polygon           INTEGER NOT NULL,
    ring              INTEGER NOT NULL,
    coords            TEXT NOT NULL, -- JSON [[lon, lat], ...]
    PRIMARY KEY (municipality_code, polygon, ring)
) STRICT;

CREATE TABLE practices (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    address      TEXT NOT NULL DEFAULT '',
    municipality TEXT NOT NULL REFERENCES municipalities(name),
    lat          REAL NOT NULL,
    lon          REAL NOT NULL,
    tutors       INTEGER NOT NULL CHECK (tutors >= 1),
    doctors      INTEGER NOT NULL CHECK (doctors >= 1),
    setting      TEXT NOT NULL CHECK (setting IN ('urban', 'rural')),
    burdened     INTEGER NOT NULL CHECK (burdened IN (0, 1)),
    threatened   INTEGER CHECK (threatened IN (0, 1)),
    capacity     INTEGER CHECK (capacity >= 0),
    large        INTEGER NOT NULL CHECK (large IN (0, 1)),
    refuses      TEXT NOT NULL DEFAULT '', -- type keys, '|'-separated
    quality      INTEGER CHECK (quality BETWEEN 1 AND 5)
) STRICT;

CREATE TABLE trainees (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('kbu', 'intro', 'phase1', 'phase2', 'phase3', 'other')),
    hospital_unit     TEXT REFERENCES hospital_units(name),
    municipality      TEXT REFERENCES municipalities(name),
    start             TEXT NOT NULL,
    end               TEXT NOT NULL,
    monthly_salary    INTEGER, -- øre
    seniority_step    TEXT,
    own_gp            TEXT,
    family_practices  TEXT NOT NULL DEFAULT '',
    history           TEXT NOT NULL DEFAULT '',
    CHECK (start <= end)
) STRICT;

-- One practice placement per trainee (H9) is the primary key.
CREATE TABLE placements (
    trainee_id  TEXT PRIMARY KEY REFERENCES trainees(id),
    practice_id TEXT NOT NULL REFERENCES practices(id),
    start       TEXT NOT NULL,
    end         TEXT NOT NULL,
    pinned      INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    overrides   TEXT NOT NULL DEFAULT '', -- rule ids, '|'-separated
    reason      TEXT,
    CHECK (start <= end)
) STRICT;
CREATE INDEX placements_by_practice ON placements(practice_id, start);

CREATE TABLE pauses (
    id          INTEGER PRIMARY KEY,
    practice_id TEXT NOT NULL REFERENCES practices(id),
    start       TEXT NOT NULL,
    end         TEXT NOT NULL,
    wish_type   TEXT,
    CHECK (start <= end)
) STRICT;
CREATE INDEX pauses_by_practice ON pauses(practice_id, start);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL -- JSON
) STRICT;

-- Who (OS user), when, what and why, for every write. `command` and `inverse` are JSON, so
-- undo and redo work across restarts.
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    os_user   TEXT NOT NULL,
    action    TEXT NOT NULL,
    summary   TEXT NOT NULL,
    reason    TEXT,
    command   TEXT,
    inverse   TEXT,
    state     TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('done', 'undone', 'final'))
) STRICT;
"#,
    // 2: the instance lock (one row: who has the file open for writing, so a second instance
    // is warned and offered read-only) and an index that keeps undo, redo and every command's
    // "end the redo history" update fast after years of audit rows.
    r#"
CREATE TABLE instance_lock (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    host       TEXT NOT NULL,
    boot_id    TEXT NOT NULL DEFAULT '', -- /proc/sys/kernel/random/boot_id: a reboot frees the lock
    os_user    TEXT NOT NULL,
    pid        INTEGER NOT NULL,
    proc_start INTEGER,                  -- the process's start time in clock ticks: tells pid reuse apart
    started    TEXT NOT NULL             -- local time the instance opened the file
) STRICT;

CREATE INDEX audit_by_state ON audit(state, id);
"#,
    // 3: commands that carry what they expect (their old values), per-user undo, the change feed
    // and the audit log's filters. Audit rows from before may hold commands of the old shape:
    // an undo that cannot read one marks it final and says so.
    r#"
ALTER TABLE audit ADD COLUMN undoes INTEGER REFERENCES audit(id);
CREATE INDEX audit_by_user ON audit(os_user, state, id);

-- The trainees and practices each audit row touches: `log --trainee/--practice`, and who
-- changed a row when a command finds it changed (a conflict).
CREATE TABLE audit_subjects (
    kind     TEXT NOT NULL CHECK (kind IN ('trainee', 'practice')),
    id       TEXT NOT NULL,
    audit_id INTEGER NOT NULL REFERENCES audit(id),
    PRIMARY KEY (kind, id, audit_id)
) STRICT, WITHOUT ROWID;
"#,
    // 4: draft rounds (issue 13), and the practices' optional phone and e-mail for the letters.
    // A round is one row: its scope, weights, data version, proposals with scores and reasons,
    // pins and exclusions are the JSON `body` (`domain::round::Round`); `published_after` is the
    // newest audit id before it was published ("changes since publishing").
    r#"
CREATE TABLE rounds (
    name            TEXT PRIMARY KEY,
    published       INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
    published_after INTEGER,
    body            TEXT NOT NULL
) STRICT;

ALTER TABLE practices ADD COLUMN phone TEXT;
ALTER TABLE practices ADD COLUMN email TEXT;
"#,
];
