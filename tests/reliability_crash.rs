//! Crash safety: a writer process doing single placements and accepted rounds is killed with
//! SIGKILL at random moments. After each kill the file passes `integrity_check` and
//! `foreign_key_check`, every write the writer saw committed is there, every accepted round is
//! there whole or not at all, the writes form a prefix of the writer's plan, the backups beside
//! the file are sound, and the file opens (taking over the dead writer's instance lock) and
//! accepts a new write.
//!
//! `CRASH_TRIALS` sets the number of trials (20 here; `scripts/crash-trials.sh` runs 200).
#![cfg(unix)]

mod reliability_support;

use std::io::{BufRead, BufReader, Write as _};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use reliability_support::*;
use tutorfordeling::store::{OpenOptions, OpenWarning, Store, list_backups};

const WRITER_TEST: &str = "the_crash_writer_does_nothing_unless_the_harness_starts_it";
const ENV_DB: &str = "TUTF_CRASH_WRITER_DB";
const ENV_LOG: &str = "TUTF_CRASH_WRITER_LOG";
const PRACTICES: usize = 20;
const TRAINEES: usize = 1500;

/// The writer, when this binary is re-run by the harness: opens the file as the desktop program
/// does (instance lock, backup on open), then runs the plan, logging each command's audit id
/// once `execute` has returned, with the log synced to disk before the next command.
#[test]
fn the_crash_writer_does_nothing_unless_the_harness_starts_it() {
    let (Ok(db), Ok(log)) = (std::env::var(ENV_DB), std::env::var(ENV_LOG)) else { return };
    let mut store =
        Store::open_with(Path::new(&db), &OpenOptions { instance_lock: true, ..test_options() }).expect("open");
    let data = store.load().expect("load");
    let open: Vec<String> = data.open_trainees().iter().map(|t| t.id.clone()).collect();
    let practices: Vec<String> = data.practices.iter().map(|p| p.id.clone()).collect();
    let mut log = std::fs::OpenOptions::new().create(true).append(true).open(log).expect("log");
    println!("\nWRITER-READY");
    std::io::stdout().flush().expect("stdout");
    for step in plan(&open) {
        let id = store.execute(&command(&data, &step, &practices)).expect("execute");
        writeln!(log, "{id} {}", step.trainees().join(",")).expect("log line");
        log.sync_data().expect("sync log");
    }
}

#[derive(Default, Debug)]
struct Figures {
    trials: usize,
    killed_before_ready: usize,
    finished_before_kill: usize,
    acknowledged: usize,
    committed_steps: usize,
    committed_rounds: usize,
    committed_but_unacknowledged: usize,
    stale_locks_taken_over: usize,
    backups_checked: usize,
}

fn trial(template: &Store, dir: &Path, n: usize, rng: &mut Lcg, figures: &mut Figures) {
    let db = dir.join(format!("trial-{n}.sqlite"));
    let log = dir.join(format!("trial-{n}.log"));
    template.save_copy(&db).expect("copy template");
    let before = template.load().expect("load");
    let open: Vec<String> = before.open_trainees().iter().map(|t| t.id.clone()).collect();
    let steps = plan(&open);

    let mut child = child(WRITER_TEST, &[(ENV_DB, db.display().to_string()), (ENV_LOG, log.display().to_string())])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn writer");
    if rng.below(8) == 0 {
        // Early: during start-up, the backup on open, taking the lock, the first commit.
        std::thread::sleep(Duration::from_millis(rng.below(150)));
        figures.killed_before_ready += 1;
    } else {
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        while let Some(Ok(line)) = lines.next() {
            if line.trim_end().ends_with("WRITER-READY") {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(rng.below(800)));
    }
    if child.try_wait().expect("try_wait").is_some() {
        figures.finished_before_kill += 1;
    }
    let _ = child.kill(); // SIGKILL
    child.wait().expect("reap writer");

    // Only whole lines: the kill may cut the last one.
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let acked: Vec<(i64, Vec<String>)> = text
        .split_inclusive('\n')
        .filter(|l| l.ends_with('\n'))
        .map(|l| {
            let (id, ts) = l.trim_end().split_once(' ').expect("log line");
            (id.parse().expect("id"), ts.split(',').map(str::to_string).collect())
        })
        .collect();

    let problems = integrity(&db);
    assert!(problems.is_empty(), "trial {n}: integrity: {problems:?}");

    let mut store = Store::open_with(&db, &OpenOptions { instance_lock: true, ..test_options() })
        .unwrap_or_else(|e| panic!("trial {n}: reopen after the kill: {e}"));
    if store.warnings().iter().any(|w| matches!(w, OpenWarning::StaleLockTakenOver(_))) {
        figures.stale_locks_taken_over += 1;
    }
    let after = store.load().expect("load");
    let placed = |t: &str| after.placement_of(t).is_some();
    let audit_ids: Vec<i64> = store
        .log(&tutorfordeling::store::LogFilter::default())
        .expect("log")
        .into_iter()
        .filter(|e| e.action == "place" || e.action == "accept_round")
        .map(|e| e.id)
        .collect();

    for (id, trainees) in &acked {
        assert!(audit_ids.contains(id), "trial {n}: acknowledged audit row {id} is missing");
        for t in trainees {
            assert!(placed(t), "trial {n}: acknowledged placement of {t} is missing");
        }
    }
    // The committed writes are a prefix of the plan, and no round is there in part.
    let committed = steps.iter().take_while(|s| s.trainees().iter().all(|t| placed(t))).count();
    for s in &steps[committed..] {
        let present: Vec<String> = s.trainees().into_iter().filter(|t| placed(t)).collect();
        assert!(present.is_empty(), "trial {n}: {s:?} after the committed prefix is partly there: {present:?}");
    }
    assert_eq!(audit_ids.len(), committed, "trial {n}: audit rows and committed steps differ");
    assert!(committed >= acked.len(), "trial {n}: fewer committed steps than acknowledged");
    assert_eq!(
        after.placements.len(),
        before.placements.len() + steps[..committed].iter().map(|s| s.trainees().len()).sum::<usize>()
    );

    for b in list_backups(&db).expect("backups") {
        let backup = Store::open_read_only(&b.path).unwrap_or_else(|e| panic!("trial {n}: backup {b:?}: {e}"));
        assert!(backup.integrity_problems().expect("check").is_empty(), "trial {n}: backup {b:?} is unsound");
        figures.backups_checked += 1;
    }

    // The file still takes writes.
    if let Some(next) = steps.get(committed) {
        let practices: Vec<String> = after.practices.iter().map(|p| p.id.clone()).collect();
        store.execute(&command(&after, next, &practices)).expect("a write after the crash");
    }

    figures.trials += 1;
    figures.acknowledged += acked.len();
    figures.committed_steps += committed;
    figures.committed_rounds += steps[..committed].iter().filter(|s| matches!(s, Step::Round(_))).count();
    figures.committed_but_unacknowledged += committed - acked.len();
    drop(store);
    let _ = std::fs::remove_file(&db);
}

#[test]
fn a_writer_killed_at_random_moments_never_loses_an_acknowledged_write_or_half_a_round() {
    let trials: usize = std::env::var("CRASH_TRIALS").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    let seed: u64 = std::env::var("CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5EED);
    let dir = tmp();
    let template = synthetic_region(&dir.path().join("template.sqlite"), PRACTICES, TRAINEES);
    let mut rng = Lcg(seed);
    let mut figures = Figures::default();
    for n in 0..trials {
        trial(&template, dir.path(), n, &mut rng, &mut figures);
    }
    eprintln!("crash figures (seed {seed}): {figures:#?}");
    assert_eq!(figures.trials, trials);
    assert!(figures.acknowledged > 0, "the writer never got going: {figures:?}");
}
