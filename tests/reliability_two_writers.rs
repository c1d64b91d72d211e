//! Two writers on one file at once never show the user a BUSY error: every write is an
//! IMMEDIATE transaction behind a 30 s busy timeout, so the second writer waits its turn.
//!
//! `TWO_WRITERS_N` sets the commands per writer (default 500, as the issue asks; the CLI side
//! starts one debug process per command, about 35 s on 2 cores).
#![cfg(unix)]

mod reliability_support;

use std::io::{BufRead, BufReader, Write as _};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use reliability_support::*;
use tutorfordeling::domain::command::Command;
use tutorfordeling::domain::model::Rule;
use tutorfordeling::store::{OpenOptions, Store};

const WRITER_TEST: &str = "the_desktop_writer_does_nothing_unless_the_harness_starts_it";
const TRAINEES_PER_WRITER: usize = 20;

fn commands_per_writer() -> usize {
    std::env::var("TWO_WRITERS_N").ok().and_then(|s| s.parse().ok()).unwrap_or(500)
}

/// Step `i` of a writer: place trainee k on even steps, unplace it on odd ones.
fn step(i: usize, trainees: &[String]) -> (bool, String) {
    (i.is_multiple_of(2), trainees[(i / 2) % trainees.len()].clone())
}

/// The desktop path, when re-run by the harness: one long-lived `Store`, commands through
/// `Store::execute` like the GUI's, paced `TUTF_PACE_MS` apart. Prints one line per error.
#[test]
fn the_desktop_writer_does_nothing_unless_the_harness_starts_it() {
    let Ok(db) = std::env::var("TUTF_WRITER_DB") else { return };
    let first: usize = std::env::var("TUTF_WRITER_FIRST").expect("first").parse().expect("first");
    let n: usize = std::env::var("TUTF_WRITER_N").expect("n").parse().expect("n");
    let pace = Duration::from_millis(std::env::var("TUTF_PACE_MS").ok().and_then(|s| s.parse().ok()).unwrap_or(0));
    let lock = std::env::var("TUTF_WRITER_LOCK").is_ok();
    let mut store =
        Store::open_with(Path::new(&db), &OpenOptions { instance_lock: lock, ..test_options() }).expect("open");
    let trainees: Vec<String> = (first..first + TRAINEES_PER_WRITER).map(|i| format!("T{i:05}")).collect();
    println!("\nWRITER-READY");
    std::io::stdout().flush().expect("stdout");
    let mut errors = 0;
    for i in 0..n {
        let (place, t) = step(i, &trainees);
        let data = store.load().expect("load");
        let cmd = if place {
            Command::Place { placement: placement(&data, &t, "P0001") }
        } else {
            Command::unplace(&data, &t).expect("placed")
        };
        if let Err(e) = store.execute(&cmd) {
            errors += 1;
            println!("error: {e}");
        }
        std::thread::sleep(pace);
    }
    println!("done errors={errors}");
}

fn spawn_desktop(db: &Path, first: usize, n: usize, pace_ms: u64, lock: bool) -> std::process::Child {
    let mut env = vec![
        ("TUTF_WRITER_DB", db.display().to_string()),
        ("TUTF_WRITER_FIRST", first.to_string()),
        ("TUTF_WRITER_N", n.to_string()),
        ("TUTF_PACE_MS", pace_ms.to_string()),
    ];
    if lock {
        env.push(("TUTF_WRITER_LOCK", "1".into()));
    }
    child(WRITER_TEST, &env).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("spawn")
}

/// Waits for "ready"; returns a thread that collects the error lines and the final count.
fn watch(child: &mut std::process::Child) -> std::thread::JoinHandle<(Vec<String>, Option<usize>)> {
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    for line in lines.by_ref() {
        if line.expect("line").trim_end().ends_with("WRITER-READY") {
            break;
        }
    }
    std::thread::spawn(move || {
        let mut errors = Vec::new();
        let mut count = None;
        for line in lines.map_while(Result::ok) {
            if let Some(e) = line.strip_prefix("error: ") {
                errors.push(e.to_string());
            } else if let Some(c) = line.strip_prefix("done errors=") {
                count = c.trim().parse().ok();
            }
        }
        (errors, count)
    })
}

fn cli(db: &Path, place: bool, trainee: &str) -> std::process::Output {
    let db = db.to_str().expect("path");
    let mut args = vec![];
    if place {
        args.extend(["place", "--db", db, trainee, "P0002"]);
        for r in Rule::ALL.iter().filter(|r| r.may_be_overridden()) {
            args.extend(["--override", r.id()]);
        }
        args.extend(["--reason", "two writers"]);
    } else {
        args.extend(["unplace", "--db", db, trainee]);
    }
    std::process::Command::new(env!("CARGO_BIN_EXE_tutorfordeling")).args(&args).output().expect("run cli")
}

fn audit_commands(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row("SELECT COUNT(*) FROM audit WHERE action IN ('place', 'unplace')", [], |r| r.get(0)).expect("count")
}

#[test]
fn the_desktop_program_and_the_cli_writing_at_once_see_no_busy_error() {
    let n = commands_per_writer();
    let dir = tmp();
    let db = dir.path().join("region.sqlite");
    drop(synthetic_region(&db, 4, 2 * TRAINEES_PER_WRITER));
    let cli_trainees: Vec<String> =
        (TRAINEES_PER_WRITER..2 * TRAINEES_PER_WRITER).map(|i| format!("T{i:05}")).collect();

    // Pace the desktop writer like the CLI, so that the two overlap from first to last.
    let started = Instant::now();
    for i in 0..4 {
        let (place, t) = step(i, &cli_trainees);
        let out = cli(&db, place, &t);
        assert!(out.status.success(), "warm-up: {}", String::from_utf8_lossy(&out.stderr));
    }
    let pace_ms = (started.elapsed().as_millis() / 4) as u64;

    let mut desktop = spawn_desktop(&db, 0, n, pace_ms, true);
    let watcher = watch(&mut desktop);
    let mut cli_errors = Vec::new();
    let mut overlapped = 0;
    for i in 4..n + 4 {
        let (place, t) = step(i, &cli_trainees);
        let out = cli(&db, place, &t);
        if !out.status.success() {
            cli_errors.push(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        if desktop.try_wait().expect("try_wait").is_none() {
            overlapped += 1;
        }
    }
    assert!(desktop.wait().expect("wait").success(), "the desktop writer failed");
    let (desktop_errors, count) = watcher.join().expect("watcher");
    eprintln!(
        "two writers: {n} desktop + {n} CLI commands, {overlapped} CLI commands while the desktop wrote, \
         errors: desktop {}, CLI {}",
        desktop_errors.len(),
        cli_errors.len()
    );
    assert_eq!(count, Some(0), "desktop errors: {desktop_errors:?}");
    assert!(desktop_errors.is_empty(), "desktop errors: {desktop_errors:?}");
    assert!(cli_errors.is_empty(), "CLI errors: {cli_errors:?}");
    assert_eq!(audit_commands(&db), 2 * n as i64 + 4);
    assert!(integrity(&db).is_empty());
}

#[test]
fn two_desktop_processes_writing_at_full_speed_see_no_busy_error() {
    let n: usize = std::env::var("TWO_WRITERS_N").ok().and_then(|s| s.parse().ok()).unwrap_or(500);
    let dir = tmp();
    let db = dir.path().join("region.sqlite");
    drop(synthetic_region(&db, 4, 2 * TRAINEES_PER_WRITER));
    let mut a = spawn_desktop(&db, 0, n, 0, false);
    let mut b = spawn_desktop(&db, TRAINEES_PER_WRITER, n, 0, false);
    let (wa, wb) = (watch(&mut a), watch(&mut b));
    assert!(a.wait().expect("wait").success() && b.wait().expect("wait").success());
    let (ea, ca) = wa.join().expect("a");
    let (eb, cb) = wb.join().expect("b");
    eprintln!("two full-speed writers: 2 x {n} commands, errors {} + {}", ea.len(), eb.len());
    assert_eq!((ca, cb), (Some(0), Some(0)), "errors: {ea:?} {eb:?}");
    assert_eq!(audit_commands(&db), 2 * n as i64);
    assert!(integrity(&db).is_empty());
}
