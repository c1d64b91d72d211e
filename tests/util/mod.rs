//! Runs the real binary on temporary databases, as ripgrep's tests/util.rs does.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

/// A temporary folder with helpers to run `tutorfordeling` in it.
pub struct Dir {
    pub tmp: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Dir {
        Dir { tmp: tempfile::tempdir().expect("temp dir") }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    pub fn db(&self) -> PathBuf {
        self.path("region.sqlite")
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
