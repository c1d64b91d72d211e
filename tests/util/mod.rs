//! Runs the real binary on temporary databases, as ripgrep's tests/util.rs does.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

/// A temporary folder with helpers to run `tutorfordeling` in it. Its region database (`db()`)
/// is a file, or, with `TUTOR_TEST_ENGINE=server` (and `TUTOR_TEST_PG`), a fresh PostgreSQL
/// database: so the same CLI suites run against both engines (`.ci/run` runs them twice).
pub struct Dir {
    pub tmp: tempfile::TempDir,
    pub server: Option<PgDb>,
}

impl Dir {
    pub fn new() -> Dir {
        let server = (std::env::var("TUTOR_TEST_ENGINE").as_deref() == Ok("server"))
            .then(|| PgDb::new().expect("TUTOR_TEST_ENGINE=server needs TUTOR_TEST_PG"));
        Dir { tmp: tempfile::tempdir().expect("temp dir"), server }
    }

    /// A folder whose region database is a fresh database on the test server (None: no server).
    pub fn on_server() -> Option<Dir> {
        Some(Dir { tmp: tempfile::tempdir().expect("temp dir"), server: Some(PgDb::new()?) })
    }

    /// A folder whose region database is a file, whatever `TUTOR_TEST_ENGINE` says.
    pub fn on_file() -> Dir {
        Dir { tmp: tempfile::tempdir().expect("temp dir"), server: None }
    }

    /// One folder per engine: the file, and the server when there is one.
    pub fn each_engine() -> Vec<Dir> {
        let mut out = vec![Dir::on_file()];
        out.extend(Dir::on_server());
        out
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// The region database: `region.sqlite` in the folder, or the server database's URL.
    pub fn db(&self) -> PathBuf {
        match &self.server {
            Some(pg) => PathBuf::from(&pg.url),
            None => self.path("region.sqlite"),
        }
    }

    /// Which engine `db()` is, for messages.
    pub fn engine(&self) -> &'static str {
        if self.server.is_some() { "server" } else { "file" }
    }

    /// Writes a file into the folder and returns its path.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).expect("write");
        p
    }

    /// Runs the binary with `args`, in English whatever the machine's locale (a Danish `LANG`
    /// would word the messages in Danish; `--lang da` still does).
    pub fn run(&self, args: &[&str]) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_tutorfordeling"))
            .env("LC_ALL", "C.UTF-8")
            .args(args)
            .current_dir(self.tmp.path())
            .output()
            .expect("run tutorfordeling")
    }

    /// Runs and asserts exit 0.
    pub fn ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert_eq!(out.status.code(), Some(0), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        out
    }

    /// A new database with the public examples of ../shared/examples imported.
    pub fn with_examples(&self) -> PathBuf {
        let db = self.db();
        let db_s = db.to_str().expect("utf-8 path");
        self.ok(&["new", "--db", db_s]);
        let ex = examples();
        self.ok(&[
            "import",
            "--db",
            db_s,
            "--practices",
            ex.join("practices.csv").to_str().expect("path"),
            "--trainees",
            ex.join("trainees.csv").to_str().expect("path"),
            "--pauses",
            ex.join("pauses.csv").to_str().expect("path"),
        ]);
        db
    }

    /// The four exported files' bytes, to compare states.
    pub fn export_bytes(&self, db: &Path, name: &str) -> Vec<Vec<u8>> {
        let out = self.path(name);
        self.ok(&["export", "--db", db.to_str().expect("path"), "--out", out.to_str().expect("path")]);
        ["practices.csv", "trainees.csv", "placements.csv", "pauses.csv"]
            .iter()
            .map(|f| std::fs::read(out.join(f)).expect("exported file"))
            .collect()
    }
}

/// The superuser URL of the test server (`TUTOR_TEST_PG`), or None after saying that the server
/// tests are skipped. `.ci/run` sets `TUTOR_TEST_REQUIRE_PG`: then a missing server fails.
pub fn test_server() -> Option<String> {
    match std::env::var("TUTOR_TEST_PG") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var_os("TUTOR_TEST_REQUIRE_PG").is_none(),
                "TUTOR_TEST_REQUIRE_PG is set but TUTOR_TEST_PG is not: the server tests must not be skipped"
            );
            // Once per test binary, and past the test harness's capture, so `cargo test` shows it.
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                use std::io::Write as _;
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "skipped the PostgreSQL server tests: set TUTOR_TEST_PG (scripts/pg-test-cluster start)"
                );
            });
            None
        }
    }
}

/// The superuser URL with another database name.
pub fn url_for(admin: &str, database: &str) -> String {
    match admin.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{database}"),
        None => format!("{admin}/{database}"),
    }
}

/// The URL of `login` (no password: the test cluster trusts 127.0.0.1) on `database`.
pub fn url_as(admin: &str, login: &str, database: &str) -> String {
    let url = url_for(admin, database);
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    format!("{scheme}://{login}@{host}")
}

/// A fresh, empty database on the test server, dropped at the end.
pub struct PgDb {
    pub admin: String,
    pub name: String,
    /// The superuser's URL of this database.
    pub url: String,
}

impl PgDb {
    pub fn new() -> Option<PgDb> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let admin = test_server()?;
        let name = format!("t_{}_{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst));
        let mut c = postgres::Client::connect(&admin, postgres::NoTls).expect("connect to TUTOR_TEST_PG");
        c.batch_execute(&format!("CREATE DATABASE {name}")).expect("create database");
        let url = url_for(&admin, &name);
        Some(PgDb { admin, name, url })
    }

    /// The URL of `login` on this database.
    pub fn url_as(&self, login: &str) -> String {
        url_as(&self.admin, login, &self.name)
    }

    /// Runs SQL as the superuser on this database (logins and grants, as the README shows).
    pub fn sql(&self, sql: &str) {
        let mut c = postgres::Client::connect(&self.url, postgres::NoTls).expect("connect");
        c.batch_execute(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// One number from a query as the superuser.
    pub fn count(&self, sql: &str) -> i64 {
        let mut c = postgres::Client::connect(&self.url, postgres::NoTls).expect("connect");
        c.query_one(sql, &[]).expect(sql).get(0)
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

/// The public example region beside the project.
pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/examples")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Damages a closed database: overwrites every third 4 KiB page after the second with junk, so
/// `quick_check` fails (the reliability and GUI tests of damaged files).
pub fn damage(db: &Path) {
    use std::io::{Seek, SeekFrom, Write};
    let len = std::fs::metadata(db).expect("meta").len();
    let mut f = std::fs::OpenOptions::new().write(true).open(db).expect("open");
    let page = 4096;
    let mut offset = 2 * page;
    while offset + page < len {
        f.seek(SeekFrom::Start(offset)).expect("seek");
        f.write_all(&vec![0xA5; page as usize]).expect("write");
        offset += 3 * page;
    }
    f.sync_all().expect("sync");
}
