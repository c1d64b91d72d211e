//! Issue 9, "one honest write path": commands that carry what they expect, per-user undo that is
//! checked like any write, the change feed, who did it, the CPR guard, and the CLI's exits.
//! Each test is named after what broke.

use std::path::{Path, PathBuf};

use tutorfordeling::domain::command::Command;
use tutorfordeling::domain::model::{Placement, Practice};
use tutorfordeling::ops::{self, OpError, PracticeChanges};
use tutorfordeling::store::csv::ImportInput;
use tutorfordeling::store::{Store, StoreError, Subjects, Who};

mod util;
use util::{Dir, examples, stderr, stdout};

fn example(name: &str) -> Vec<u8> {
    std::fs::read(examples().join(name)).expect("example file")
}

/// The public examples in a new file.
fn examples_db(dir: &Path) -> PathBuf {
    let db = dir.join("region.sqlite");
    let mut store = ops::new_file(&db).expect("new");
    let files = ImportInput {
        practices: Some(("practices.csv".into(), example("practices.csv"))),
        trainees: Some(("trainees.csv".into(), example("trainees.csv"))),
        pauses: Some(("pauses.csv".into(), example("pauses.csv"))),
        ..ImportInput::default()
    };
    ops::import_csv(&mut store, &files, false).expect("import");
    db
}

fn open_as(db: &Path, user: &str) -> Store {
    Store::open(db).expect("open").acting_as_for_tests(user)
}

fn placements(db: &Path) -> Vec<(String, String)> {
    let data = Store::open(db).expect("open").load().expect("load");
    data.placements.iter().map(|p| (p.trainee_id.clone(), p.practice_id.clone())).collect()
}

fn pair(t: &str, p: &str) -> (String, String) {
    (t.to_string(), p.to_string())
}

#[test]
fn undo_took_back_another_users_change_now_it_takes_back_only_your_own() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = examples_db(dir.path());
    let mut bob = open_as(&db, "bob");
    ops::place(&mut bob, "EX-K2", "EX-P7", None, None, vec![], None).expect("bob places");
    let mut alice = open_as(&db, "alice");
    let err = alice.undo(Who::Me).expect_err("alice has nothing of hers to undo");
    assert!(matches!(err, StoreError::Undo(_)), "{err:?}");
    assert_eq!(placements(&db), vec![pair("EX-K2", "EX-P7")], "bob's change stays");
    let step = alice.undo(Who::Anyone).expect("--all-users reaches bob's change");
    assert_eq!(step.user, "bob", "and says whose it was");
    assert!(placements(&db).is_empty());
}

#[test]
fn an_undo_into_a_practice_full_by_then_broke_h8_now_it_is_refused_and_older_changes_stay_undoable() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = examples_db(dir.path());
    let mut bob = open_as(&db, "bob");
    let mut alice = open_as(&db, "alice");
    ops::place(&mut bob, "EX-K1", "EX-P2", None, None, vec![], None).expect("bob fills EX-P2 (capacity 1)");
    ops::place(&mut alice, "EX-F1", "EX-P1", None, None, vec![], None).expect("alice places EX-F1");
    ops::unplace(&mut alice, "EX-K1").expect("alice unplaces EX-K1");
    ops::place(&mut bob, "EX-K2", "EX-P2", None, None, vec![], None).expect("bob fills EX-P2 again");

    let err = alice.undo(Who::Me).expect_err("the undo would put EX-K1 back into a full EX-P2");
    match &err {
        StoreError::Command(tutorfordeling::domain::command::CommandError::Refused(v)) => {
            assert!(v.iter().any(|v| v.rule.id() == "H8"), "{v:?}")
        }
        other => panic!("expected an H8 refusal, got {other:?}"),
    }
    assert_eq!(placements(&db), vec![pair("EX-F1", "EX-P1"), pair("EX-K2", "EX-P2")], "nothing changed");
    let step = alice.undo(Who::Me).expect("the history is not jammed: the older place is undone");
    assert!(step.summary.contains("EX-F1"), "{}", step.summary);
    assert_eq!(placements(&db), vec![pair("EX-K2", "EX-P2")]);
    assert!(
        tutorfordeling::domain::rules::check_all(&Store::open(&db).expect("open").load().expect("load")).is_empty()
    );
}

#[test]
fn undo_jammed_for_good_with_unique_constraint_failed_now_it_is_a_conflict_and_the_history_moves_on() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = examples_db(dir.path());
    let mut alice = open_as(&db, "alice");
    let mut bob = open_as(&db, "bob");
    ops::place(&mut alice, "EX-K2", "EX-P7", None, None, vec![], None).expect("place at PA");
    ops::unplace(&mut alice, "EX-K2").expect("unplace");
    ops::place(
        &mut bob,
        "EX-K2",
        "EX-P6",
        None,
        None,
        vec![tutorfordeling::domain::model::Rule::H3],
        Some("agreed".into()),
    )
    .expect("someone places at PB");
    for _ in 0..2 {
        let err = alice.undo(Who::Me).expect_err("EX-K2's placement changed since");
        assert!(matches!(err, StoreError::Conflict(_)), "a conflict, not a raw SQLite error: {err:?}");
        assert!(!err.to_string().contains("UNIQUE"), "{err}");
        assert!(err.to_string().contains("bob"), "names who changed it: {err}");
    }
    let err = alice.undo(Who::Me).expect_err("nothing left");
    assert!(matches!(err, StoreError::Undo(_)), "{err:?}");
    assert_eq!(placements(&db), vec![pair("EX-K2", "EX-P6")], "bob's placement stands");
}

#[test]
fn an_import_could_not_be_undone_now_it_undoes_as_one_step_and_ends_the_redo_history() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    let mut store = ops::new_file(&db).expect("new");
    let practices =
        ImportInput { practices: Some(("practices.csv".into(), example("practices.csv"))), ..ImportInput::default() };
    ops::import_csv(&mut store, &practices, false).expect("practices");
    let trainees =
        ImportInput { trainees: Some(("trainees.csv".into(), example("trainees.csv"))), ..ImportInput::default() };
    ops::import_csv(&mut store, &trainees, false).expect("trainees");
    ops::place(&mut store, "EX-K2", "EX-P7", None, None, vec![], None).expect("place");
    store.undo(Who::Me).expect("undo the place");
    assert_eq!(store.can_undo_redo().expect("flags"), (true, true));
    let pauses = ImportInput { pauses: Some(("pauses.csv".into(), example("pauses.csv"))), ..ImportInput::default() };
    ops::import_csv(&mut store, &pauses, false).expect("pauses");
    assert!(store.redo(Who::Me).is_err(), "the import ended the redo history");
    let step = store.undo(Who::Me).expect("undo the pauses import");
    assert!(step.summary.contains("import"), "{}", step.summary);
    assert!(store.load().expect("load").pauses.is_empty());
    store.undo(Who::Me).expect("undo the trainees import as one step");
    let data = store.load().expect("load");
    assert!(data.trainees.is_empty() && data.practices.len() == 7, "{} trainees", data.trainees.len());
    store.redo(Who::Me).expect("redo it");
    assert_eq!(store.load().expect("load").trainees.len(), 9);
}

#[test]
fn a_stale_edit_wrote_old_values_back_now_it_is_a_conflict_naming_who_changed_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = examples_db(dir.path());
    let desk = open_as(&db, "alice");
    let view = desk.load().expect("the desk reads");
    let mut script = open_as(&db, "hr-script");
    let changes = PracticeChanges { name: Some("Nyt navn".into()), tutors: Some(3), ..PracticeChanges::default() };
    ops::edit_practice(&mut script, "EX-P1", &changes).expect("the script edits");
    let mut desk = desk;
    let stale: Practice = Practice { large: true, ..view.practice("EX-P1").expect("EX-P1").clone() };
    let err = desk.execute(&Command::edit_practice(&view, stale).expect("cmd")).expect_err("stale");
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("EX-P1") && msg.contains("hr-script"), "{msg}");
    let now = Store::open(&db).expect("open").load().expect("load");
    let p = now.practice("EX-P1").expect("EX-P1");
    assert_eq!((p.name.as_str(), p.tutors, p.large), ("Nyt navn", 3, false), "the script's change stands");
}

#[test]
fn the_desk_reloaded_everything_now_replaying_the_change_feed_gives_the_same_data_as_loading_the_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = examples_db(dir.path());
    let mut desk = open_as(&db, "alice");
    let (mut data, mut feed) = desk.load_with_feed().expect("load");
    let mut other = open_as(&db, "bob");
    ops::place(&mut other, "EX-K2", "EX-P7", None, None, vec![], None).expect("place");
    ops::place(&mut desk, "EX-F2", "EX-P5", None, None, vec![], None).expect("place");
    ops::set_pinned(&mut other, "EX-K2", true).expect("pin");
    ops::edit_practice(&mut other, "EX-P3", &PracticeChanges { quality: Some(5), ..Default::default() }).expect("edit");
    ops::add_pause(
        &mut desk,
        tutorfordeling::domain::model::Pause {
            practice_id: "EX-P6".into(),
            start: chrono::NaiveDate::from_ymd_opt(2027, 5, 1).expect("date"),
            end: chrono::NaiveDate::from_ymd_opt(2027, 5, 31).expect("date"),
            wish_type: None,
        },
    )
    .expect("pause");
    ops::settings::set(&mut other, "salary.laege1", "40000", chrono::NaiveDate::from_ymd_opt(2026, 11, 1), "")
        .expect("set");
    ops::settings::set(&mut other, "threatened.Horsens", "ja", None, "").expect("threatened");
    ops::unplace(&mut other, "EX-F2").expect("unplace");
    other.undo(Who::Me).expect("undo the unplace");
    let changes = desk.changes_since(&mut feed).expect("feed");
    assert!(!changes.reload);
    assert_eq!(changes.entries.len(), 9, "one row per write, the undo included");
    for (_, cmd) in &changes.entries {
        if let Some(cmd) = cmd {
            data.apply(cmd);
        }
    }
    assert_eq!(data, desk.load().expect("load"));
    assert!(desk.changes_since(&mut feed).expect("feed").is_empty(), "nothing new: nothing read");
}

#[test]
fn a_place_loaded_ten_years_of_history_now_it_reads_only_its_trainee_and_practice() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("demo.sqlite");
    let params = tutorfordeling::demo::DemoParams { seed: 3, practices: 200, open_trainees: Some(40), years: 5 };
    let (store, _) = ops::demo_file(&db, &params).expect("demo");
    let all = store.load().expect("load");
    let t = all.open_trainees()[0].id.clone();
    let p = all.practices[0].id.clone();
    let view = store.read(&Subjects { trainees: vec![t.clone()], practices: vec![p.clone()] }).expect("read");
    assert!(view.trainee(&t).is_some() && view.practice(&p).is_some());
    let at_p: Vec<&Placement> = all.placements.iter().filter(|x| x.practice_id == p).collect();
    assert_eq!(view.placements.len(), at_p.len(), "the practice's placements, and no others");
    assert!(view.practices.len() <= 1 + 1, "{} practices read", view.practices.len());
    assert!(view.trainees.len() <= at_p.len() + 1, "{} trainees read of {}", view.trainees.len(), all.trainees.len());
}

#[test]
fn cpr_numbers_were_accepted_in_ids_names_and_reasons_now_they_are_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = examples_db(dir.path());
    let mut store = Store::open(&db).expect("open");
    let err = ops::place(
        &mut store,
        "EX-K1",
        "EX-P7",
        None,
        None,
        vec![tutorfordeling::domain::model::Rule::H1],
        Some("cpr 010190-1234".into()),
    )
    .expect_err("reason");
    assert!(matches!(err, OpError::Store(StoreError::Command(_))), "{err:?}");
    let changes = tutorfordeling::ops::TraineeChanges { name: Some("Navn 0101901234".into()), ..Default::default() };
    assert!(ops::edit_trainee(&mut store, "EX-K1", &changes).is_err());
    let changes = PracticeChanges { name: Some("Klinik 010190-1234".into()), ..Default::default() };
    assert!(ops::edit_practice(&mut store, "EX-P1", &changes).is_err());
    assert!(Store::open(&db).expect("open").load().expect("load").placements.is_empty());
}

// --- The command line ------------------------------------------------------------------------

#[test]
fn the_audit_user_came_from_dollar_user_now_it_is_the_os_account() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let db_s = db.to_str().expect("path");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tutorfordeling"))
        .args(["place", "--db", db_s, "EX-K2", "EX-P7"])
        .env("USER", "anyone")
        .env("LOGNAME", "anyone")
        .env("USERNAME", "anyone")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let log = dir.ok(&["log", "--db", db_s, "--format", "json", "--limit", "1"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&log)).expect("json");
    let user = json["entries"][0]["user"].as_str().expect("user").to_string();
    assert_ne!(user, "anyone");
    assert_eq!(user, tutorfordeling::store::os_user());
}

#[test]
fn a_stale_undo_exits_4_naming_who_changed_it() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let db_s = db.to_str().expect("path");
    dir.ok(&["place", "--db", db_s, "EX-K2", "EX-P7"]);
    dir.ok(&["unplace", "--db", db_s, "EX-K2"]);
    // Another account places EX-K2 elsewhere.
    let mut bob = open_as(&db, "bob");
    ops::place(
        &mut bob,
        "EX-K2",
        "EX-P6",
        None,
        None,
        vec![tutorfordeling::domain::model::Rule::H3],
        Some("agreed".into()),
    )
    .expect("bob");
    let out = dir.run(&["undo", "--db", db_s]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("bob"), "{}", stderr(&out));
}

#[test]
fn unreadable_files_gave_exit_1_with_a_raw_sqlite_message_now_exit_2_naming_the_file() {
    let dir = Dir::new();
    let folder = dir.path("a-folder");
    std::fs::create_dir(&folder).expect("mkdir");
    let out = dir.run(&["place", "--db", folder.to_str().expect("path"), "T", "P"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("a-folder"), "{}", stderr(&out));
    let junk = dir.write("junk.sqlite", b"");
    let out = dir.run(&["unplace", "--db", junk.to_str().expect("path"), "T"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("junk.sqlite"), "{}", stderr(&out));
}

#[test]
fn a_huge_demo_panicked_now_it_is_refused_as_bad_input() {
    let dir = Dir::new();
    let db = dir.path("d.sqlite");
    let out = dir.run(&["demo", "--db", db.to_str().expect("path"), "--trainees", "18446744073709551615"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    assert!(!db.exists(), "nothing half-made is left");
}

#[test]
fn settings_set_with_from_keeps_the_old_value_before_that_date() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let db_s = db.to_str().expect("path");
    dir.ok(&["settings", "set", "--db", db_s, "salary.laege1", "40000", "--from", "2026-11-01"]);
    let s = Store::open(&db).expect("open").load().expect("load").settings;
    let day = |m| chrono::NaiveDate::from_ymd_opt(2026, m, 1).expect("date");
    assert_eq!(s.salary_step("laege1", day(11)).map(|m| m.ore()), Some(4_000_000));
    assert_eq!(s.salary_step("laege1", day(10)).map(|m| m.ore()), Some(3_578_800));
    // The pension is dated too now (it was refused with exit 2 here before).
    dir.ok(&["settings", "set", "--db", db_s, "pension", "19,36", "--from", "2025-04-01"]);
    let s = Store::open(&db).expect("open").load().expect("load").settings;
    assert_eq!(s.pension_basis_points_on(chrono::NaiveDate::from_ymd_opt(2025, 4, 1).expect("date")), Some(1936));
    let out = dir.run(&["settings", "set", "--db", db_s, "idle_months", "20", "--from", "2026-01-01"]);
    assert_eq!(out.status.code(), Some(2), "an undated key refuses --from: {}", stderr(&out));
}

#[test]
fn the_h6_message_said_only_large_practices_may_be_overridden_now_any_may_and_a_large_one_records_a_dispensation() {
    use tutorfordeling::domain::model::Rule;
    let dir = tempfile::tempdir().expect("tmp");
    let db = examples_db(dir.path());
    let mut store = open_as(&db, "pkl");
    // EX-P3 is marked large; EX-P5 is not.
    ops::place(&mut store, "EX-F3", "EX-P3", None, None, vec![], None).expect("first phase-3 doctor");
    let err = ops::place(&mut store, "EX-F3B", "EX-P3", None, None, vec![], None).expect_err("H6");
    assert!(err.to_string().contains("H6") && err.to_string().contains("dispensation"), "{err}");
    ops::place(&mut store, "EX-F3B", "EX-P3", None, None, vec![Rule::H6], Some("Aftalt med DYNAMU".into()))
        .expect("a dispensation");
    let entry = &store.audit_log(1).expect("log")[0];
    assert!(entry.summary.contains("H6 dispensation"), "{}", entry.summary);
    assert_eq!(entry.os_user, "pkl", "who granted it");
    ops::unplace(&mut store, "EX-F3B").expect("unplace");
    ops::unplace(&mut store, "EX-F3").expect("unplace");
    ops::place(&mut store, "EX-F3", "EX-P5", None, None, vec![], None).expect("first at EX-P5");
    let err = ops::place(&mut store, "EX-F3B", "EX-P5", None, None, vec![], None).expect_err("H6");
    assert!(!err.to_string().contains("Only a practice marked large"), "{err}");
    ops::place(&mut store, "EX-F3B", "EX-P5", None, None, vec![Rule::H6], Some("kort overlap".into()))
        .expect("any practice may be overridden with a reason");
    let entry = &store.audit_log(1).expect("log")[0];
    assert!(!entry.summary.contains("dispensation"), "{}", entry.summary);
}

#[test]
fn a_trainee_edit_that_makes_the_stored_placement_break_a_rule_is_refused_naming_it() {
    let dir = Dir::new();
    let db = dir.with_examples();
    let db_s = db.to_str().expect("path");
    dir.ok(&["place", "--db", db_s, "EX-K2", "EX-P7"]);
    let out = dir.run(&["trainee", "set", "--db", db_s, "EX-K2", "--own-gp", "EX-P7"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("H1"), "{}", stderr(&out));
    let out = dir.run(&["trainee", "set", "--db", db_s, "EX-K2", "--municipality", "Skive"]);
    assert_eq!(out.status.code(), Some(3), "H3 once the chosen municipality moves: {}", stderr(&out));
    dir.ok(&["trainee", "set", "--db", db_s, "EX-K2", "--name", "Eksempel Kbu To B"]);
    let data = Store::open(&db).expect("open").load().expect("load");
    let t = data.trainee("EX-K2").expect("EX-K2");
    assert_eq!(
        (t.name.as_str(), t.own_gp.as_deref(), t.municipality.as_deref()),
        ("Eksempel Kbu To B", None, Some("Hedensted"))
    );
}
