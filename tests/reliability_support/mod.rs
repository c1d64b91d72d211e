//! Shared by the `reliability_*` tests: a synthetic region, a deterministic plan of writes, a
//! small random generator, and re-running this test binary as a child process.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use tutorfordeling::domain::command::Command;
use tutorfordeling::domain::model::{Dataset, Placement, Rule};
use tutorfordeling::domain::region::Region;
use tutorfordeling::store::csv::ImportInput;
use tutorfordeling::store::{OpenOptions, Store};

/// A 64-bit LCG (Knuth's MMIX constants): deterministic, so a failing trial can be rerun.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 11
    }
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

/// The options the tests open with: no backup throttling, network detection off (the tests'
/// temp folder decides nothing).
pub fn test_options() -> OpenOptions {
    OpenOptions {
        backup_min_interval: std::time::Duration::ZERO,
        network_filesystem: Some(false),
        ..OpenOptions::default()
    }
}

/// A new region file with `practices` practices and `trainees` unplaced trainees of type
/// `other`, imported through the CSV path of CONTRACT.md.
pub fn synthetic_region(path: &Path, practices: usize, trainees: usize) -> Store {
    let region = Region::midtjylland();
    let mut store = Store::create(path, &region).expect("create");
    let municipality = &region.municipalities[0].name;
    let unit = &region.hospital_units[0].name;
    let mut p = String::from("id;name;municipality;lat;lon;tutors;doctors;setting;burdened;capacity\n");
    for i in 0..practices {
        p.push_str(&format!("P{i:04};Practice {i};{municipality};56,1;10,2;4;4;urban;nej;100000\n"));
    }
    let mut t = String::from("id;name;type;hospital_unit;start;end\n");
    for i in 0..trainees {
        t.push_str(&format!("T{i:05};Trainee {i};other;{unit};2027-02-01;2027-07-31\n"));
    }
    let input = ImportInput {
        practices: Some(("practices.csv".into(), p.into_bytes())),
        trainees: Some(("trainees.csv".into(), t.into_bytes())),
        ..ImportInput::default()
    };
    tutorfordeling::ops::import_csv(&mut store, &input, false).expect("import");
    store
}

/// One write of the crash harness.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Place(String),
    /// An accepted round: several placements in one command.
    Round(Vec<String>),
}

impl Step {
    pub fn trainees(&self) -> Vec<String> {
        match self {
            Step::Place(t) => vec![t.clone()],
            Step::Round(ts) => ts.clone(),
        }
    }
}

/// The fixed sequence of writes over `trainees` (sorted ids): every 4th step is a round of 5.
pub fn plan(trainees: &[String]) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut i = 0;
    while i < trainees.len() {
        if steps.len() % 4 == 3 && i + 5 <= trainees.len() {
            steps.push(Step::Round(trainees[i..i + 5].to_vec()));
            i += 5;
        } else {
            steps.push(Step::Place(trainees[i].clone()));
            i += 1;
        }
    }
    steps
}

/// A placement that passes every rule it may: all but H9 overridden, with a reason.
pub fn placement(data: &Dataset, trainee: &str, practice: &str) -> Placement {
    let t = data.trainee(trainee).expect("trainee");
    Placement {
        trainee_id: trainee.to_string(),
        practice_id: practice.to_string(),
        start: t.start,
        end: t.end,
        pinned: false,
        overrides: Rule::ALL.iter().copied().filter(|r| r.may_be_overridden()).collect(),
        reason: Some("reliability test".into()),
    }
}

pub fn command(data: &Dataset, step: &Step, practices: &[String]) -> Command {
    let practice = |t: &str| {
        let n: usize = t.trim_start_matches('T').parse().unwrap_or(0);
        practices[n % practices.len()].clone()
    };
    match step {
        Step::Place(t) => Command::Place { placement: placement(data, t, &practice(t)) },
        Step::Round(ts) => {
            Command::AcceptRound { placements: ts.iter().map(|t| placement(data, t, &practice(t))).collect() }
        }
    }
}

/// Runs this test binary again as a child, running only `test_name`, with `env` set.
pub fn child(test_name: &str, env: &[(&str, String)]) -> std::process::Command {
    let mut cmd = std::process::Command::new(std::env::current_exe().expect("own exe"));
    cmd.args(["--exact", test_name, "--nocapture", "--test-threads=1"]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// `PRAGMA integrity_check` and `foreign_key_check` through a plain connection.
pub fn integrity(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).expect("open");
    let mut out: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .expect("prepare")
        .query_map([], |r| r.get::<_, String>(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    if out == ["ok"] {
        out.clear();
    }
    let fk: Vec<String> = conn
        .prepare("PRAGMA foreign_key_check")
        .expect("prepare")
        .query_map([], |r| r.get::<_, String>(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    out.extend(fk.into_iter().map(|t| format!("foreign key broken in {t}")));
    out
}

pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

pub fn path_in(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}
