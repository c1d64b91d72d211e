//! Issue 11 on the command line, the rest of a coordinator's day: a placement's new dates
//! (`reschedule`, checked against H1–H9 like a new placement, overridable with a reason but never
//! H9) and a removal with a reason (`unplace --reason`), both in the audit log and undoable.

mod util;
use util::{Dir, stderr, stdout};

use chrono::NaiveDate;
use tutorfordeling::domain::model::{Placement, Rule};
use tutorfordeling::store::Store;

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
}

fn placement(db: &str, trainee: &str) -> Option<Placement> {
    Store::open(std::path::Path::new(db)).expect("open").load().expect("load").placement_of(trainee).cloned()
}

fn newest_entry(dir: &Dir, db: &str, trainee: &str) -> serde_json::Value {
    let j = json(&dir.ok(&["log", "--db", db, "--trainee", trainee, "--limit", "1", "--format", "json"]));
    j["entries"][0].clone()
}

#[test]
fn reschedule_checks_the_new_dates_like_a_new_placement_and_an_override_needs_a_reason() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let db = db.to_str().expect("path");
    // EX-P2 (Hedensted) has one tutor: room for one trainee at a time (H8).
    dir.ok(&["place", "--db", db, "EX-K1", "EX-P2", "--from", "2026-08-01", "--to", "2026-10-31"]);
    dir.ok(&["place", "--db", db, "EX-K2", "EX-P2", "--from", "2026-11-01", "--to", "2027-01-31"]);

    // A shorter stay is fine.
    let out = dir.ok(&["reschedule", "--db", db, "EX-K1", "--to", "2026-10-15"]);
    assert!(stdout(&out).contains("EX-K1 is at EX-P2 from 2026-08-01 to 2026-10-15"), "{}", stdout(&out));
    let p = placement(db, "EX-K1").expect("placed");
    assert_eq!((p.start, p.end), (day("2026-08-01"), day("2026-10-15")));
    assert_eq!(newest_entry(&dir, db, "EX-K1")["action"], "edit_placement");

    // Into EX-K2's months: H8, refused with exit 3; nothing changes.
    let out = dir.run(&["reschedule", "--db", db, "EX-K1", "--to", "2026-11-30"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("H8"), "{}", stderr(&out));
    assert_eq!(placement(db, "EX-K1").expect("placed").end, day("2026-10-15"));

    // An override needs a reason; with one it is stored, and the log keeps the reason.
    let out = dir.run(&["reschedule", "--db", db, "EX-K1", "--to", "2026-11-30", "--override", "H8"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    dir.ok(&["reschedule", "--db", db, "EX-K1", "--to", "2026-11-30", "--override", "H8", "--reason", "Aftalt"]);
    let p = placement(db, "EX-K1").expect("placed");
    assert_eq!((p.end, p.overrides.clone(), p.reason.as_deref()), (day("2026-11-30"), vec![Rule::H8], Some("Aftalt")));
    let entry = newest_entry(&dir, db, "EX-K1");
    assert_eq!((entry["action"].as_str(), entry["reason"].as_str()), (Some("edit_placement"), Some("Aftalt")));

    // Undo gives back the dates before, checked like any write.
    dir.ok(&["undo", "--db", db]);
    let p = placement(db, "EX-K1").expect("placed");
    assert_eq!((p.end, p.overrides.is_empty()), (day("2026-10-15"), true));

    // Past the trainee's own period is H9, which no reason overrides.
    let out = dir.run(&["reschedule", "--db", db, "EX-K1", "--to", "2027-02-28"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("H9"), "{}", stderr(&out));
    let out = dir.run(&["reschedule", "--db", db, "EX-K1", "--to", "2027-02-28", "--override", "H9", "--reason", "x"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));

    // Bad input: dates the wrong way round, a trainee with no placement.
    let out = dir.run(&["reschedule", "--db", db, "EX-K1", "--from", "2026-12-01", "--to", "2026-11-01"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = dir.run(&["reschedule", "--db", db, "EX-F1", "--to", "2026-12-01"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("EX-F1"), "{}", stderr(&out));
    assert_eq!(placement(db, "EX-K1").expect("placed").end, day("2026-10-15"));
}

#[test]
fn unplace_with_a_reason_keeps_the_reason_in_the_log_and_refuses_a_cpr_number() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let db = db.to_str().expect("path");
    dir.ok(&["place", "--db", db, "EX-K2", "EX-P2"]);
    // A CPR-like number is never stored, not even in a reason.
    let out = dir.run(&["unplace", "--db", db, "EX-K2", "--reason", "se 010190-1234"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(placement(db, "EX-K2").is_some(), "nothing was removed");

    dir.ok(&["unplace", "--db", db, "EX-K2", "--reason", "Barselsorlov fra oktober"]);
    assert!(placement(db, "EX-K2").is_none());
    let entry = newest_entry(&dir, db, "EX-K2");
    assert_eq!(entry["action"], "unplace");
    assert_eq!(entry["reason"], "Barselsorlov fra oktober");
    // The CSV for a data-subject request holds it too.
    let csv = stdout(&dir.ok(&["log", "--db", db, "--trainee", "EX-K2", "--format", "csv"]));
    assert!(csv.contains("Barselsorlov fra oktober"), "{csv}");
    // Undo puts the placement back.
    dir.ok(&["undo", "--db", db]);
    assert_eq!(placement(db, "EX-K2").map(|p| p.practice_id), Some("EX-P2".to_string()));
    // Without a reason, as before.
    dir.ok(&["unplace", "--db", db, "EX-K2"]);
    assert!(newest_entry(&dir, db, "EX-K2")["reason"].is_null());
}

#[test]
fn new_dates_a_removal_with_a_reason_and_their_undo_replay_from_the_change_feed_as_a_fresh_load_reads() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let mut desk = Store::open(&db).expect("open");
    let (mut data, mut feed) = desk.load_with_feed().expect("load");
    let s = &mut desk;
    tutorfordeling::ops::place(s, "EX-K1", "EX-P2", None, Some(day("2026-10-31")), vec![], None).expect("place");
    tutorfordeling::ops::change_dates(s, "EX-K1", Some(day("2026-08-15")), None, vec![], None).expect("dates");
    tutorfordeling::ops::unplace_with_reason(s, "EX-K1", Some("Flytter".into())).expect("unplace");
    s.undo(tutorfordeling::store::Who::Me).expect("undo the removal");
    s.undo(tutorfordeling::store::Who::Me).expect("undo the new dates");
    let changes = desk.changes_since(&mut feed).expect("feed");
    assert!(!changes.reload);
    assert_eq!(changes.entries.len(), 5, "one row per write, the undos included");
    for cmd in changes.entries.iter().filter_map(|(_, c)| c.as_ref()) {
        data.apply(cmd);
    }
    let fresh = desk.load().expect("load");
    assert_eq!(data, fresh);
    let p = fresh.placement_of("EX-K1").expect("placed again");
    assert_eq!((p.start, p.end), (day("2026-08-01"), day("2026-10-31")), "the first dates are back");
}
