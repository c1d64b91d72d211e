use super::*;
use crate::domain::model::Placement;

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn example_store(dir: &tempfile::TempDir) -> Store {
    let path = dir.path().join("r.sqlite");
    let mut store = Store::create(&path, &Region::midtjylland()).expect("create");
    let data = crate::demo::generate(&crate::demo::DemoParams { practices: 40, years: 1, ..Default::default() });
    crate::demo::store_demo(&mut store, &data).expect("demo");
    store
}

/// An open trainee and a practice where placing it breaks exactly the rules `broken`.
fn pair_breaking(data: &Dataset, broken: &[Rule]) -> (String, String) {
    let ctx = crate::domain::rules::RuleContext::new(data);
    for t in data.open_trainees() {
        for p in &data.practices {
            if ctx.broken_rules(t, p, t.period(), None) == broken {
                return (t.id.clone(), p.id.clone());
            }
        }
    }
    panic!("the demo has no open trainee and practice breaking exactly {broken:?}");
}

fn open_trainee_and_practice(store: &Store) -> (String, String) {
    pair_breaking(&store.load().expect("load"), &[])
}

/// Places `t` at `p` overriding `rule` with `reason`.
fn place_overriding(t: &str, p: &str, data: &Dataset, rule: Rule, reason: &str) -> Command {
    let mut cmd = place(t, p, data);
    if let Command::Place { placement } = &mut cmd {
        placement.overrides = vec![rule];
        placement.reason = Some(reason.into());
    }
    cmd
}

fn place(t: &str, p: &str, data: &Dataset) -> Command {
    let tr = data.trainee(t).expect("trainee");
    Command::Place {
        placement: Placement {
            trainee_id: t.to_string(),
            practice_id: p.to_string(),
            start: tr.start,
            end: tr.end,
            pinned: false,
            overrides: vec![],
            reason: None,
        },
    }
}

#[cfg(unix)]
#[test]
fn a_new_database_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tmp();
    let path = dir.path().join("x.sqlite");
    Store::create(&path, &Region::midtjylland()).expect("create");
    let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn creating_over_an_existing_file_is_refused_and_leaves_it_alone() {
    let dir = tmp();
    let path = dir.path().join("x.sqlite");
    std::fs::write(&path, b"precious").expect("write");
    let err = Store::create(&path, &Region::midtjylland()).err().expect("refused");
    assert!(matches!(err, StoreError::Exists(_)));
    assert_eq!(std::fs::read(&path).expect("read"), b"precious");
}

#[test]
fn a_file_made_by_a_newer_version_is_refused_with_a_clear_message() {
    let dir = tmp();
    let path = dir.path().join("x.sqlite");
    drop(Store::create(&path, &Region::midtjylland()).expect("create"));
    let conn = Connection::open(&path).expect("open");
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).expect("bump");
    drop(conn);
    let err = Store::open(&path).err().expect("refused");
    let msg = err.to_string();
    assert!(msg.contains("newer version"), "{msg}");
    assert!(matches!(err, StoreError::TooNew { found, .. } if found == SCHEMA_VERSION + 1));
}

#[test]
fn a_sqlite_file_of_another_program_is_refused() {
    let dir = tmp();
    let path = dir.path().join("other.sqlite");
    let conn = Connection::open(&path).expect("open");
    conn.execute_batch("CREATE TABLE x(a)").expect("create");
    drop(conn);
    assert!(matches!(Store::open(&path), Err(StoreError::NotOurs(_))));
    let text = dir.path().join("t.txt");
    std::fs::write(&text, "hello, this is not a database at all, just text of some length...").expect("write");
    assert!(matches!(Store::open(&text), Err(StoreError::NotOurs(_)) | Err(StoreError::Sqlite(_))));
}

#[test]
fn foreign_keys_are_enforced() {
    let dir = tmp();
    let store = example_store(&dir);
    let conn = store.lite("test").expect("a file");
    let r = conn.execute(
        "INSERT INTO placements(trainee_id, practice_id, start, end) VALUES ('nobody', 'nowhere', '2026-01-01', '2026-02-01')",
        [],
    );
    assert!(r.is_err());
}

#[test]
fn every_write_is_audited_with_user_and_reason() {
    let dir = tmp();
    let mut store = example_store(&dir);
    let data = store.load().expect("load");
    let (t, p) = pair_breaking(&data, &[Rule::H3]);
    let cmd = place_overriding(&t, &p, &data, Rule::H3, "agreed with the KBU office");
    store.execute(&cmd).expect("place");
    let log = store.audit_log(1).expect("log");
    assert_eq!(log[0].action, "place");
    assert_eq!(log[0].os_user, os_user());
    assert_eq!(log[0].reason.as_deref(), Some("agreed with the KBU office"));
    assert!(log[0].summary.contains(&t) && log[0].summary.contains("H3"), "{}", log[0].summary);
}

#[test]
fn an_override_without_a_reason_is_refused() {
    let dir = tmp();
    let mut store = example_store(&dir);
    let (t, p) = open_trainee_and_practice(&store);
    let data = store.load().expect("load");
    let mut cmd = place(&t, &p, &data);
    if let Command::Place { placement } = &mut cmd {
        placement.overrides = vec![Rule::H3];
    }
    let err = store.execute(&cmd).expect_err("refused");
    assert!(err.to_string().contains("reason"), "{err}");
    assert!(store.load().expect("load").placement_of(&t).is_none());
}

#[test]
fn undo_and_redo_work_after_the_file_is_reopened() {
    let dir = tmp();
    let path = {
        let mut store = example_store(&dir);
        let (t, p) = open_trainee_and_practice(&store);
        let data = store.load().expect("load");
        store.execute(&place(&t, &p, &data)).expect("place");
        store.path().to_path_buf()
    };
    let mut store = Store::open(&path).expect("reopen");
    let before = store.load().expect("load").placements.len();
    let undone = store.undo(Who::Me).expect("undo").summary;
    assert!(undone.starts_with("place"), "{undone}");
    assert_eq!(store.load().expect("load").placements.len(), before - 1);
    drop(store);
    let mut store = Store::open(&path).expect("reopen");
    store.redo(Who::Me).expect("redo");
    assert_eq!(store.load().expect("load").placements.len(), before);
    assert!(store.redo(Who::Me).is_err(), "nothing left to redo");
}

#[test]
fn a_new_change_after_undo_ends_the_redo_history() {
    let dir = tmp();
    let mut store = example_store(&dir);
    let data = store.load().expect("load");
    let (a, p) = pair_breaking(&data, &[]);
    store.execute(&place(&a, &p, &data)).expect("place a");
    store.undo(Who::Me).expect("undo");
    store.execute(&Command::set_threatened(&data, "Odder", true).expect("Odder")).expect("flag");
    assert!(store.redo(Who::Me).is_err());
    assert_eq!(store.can_undo_redo().expect("flags"), (true, false));
}

#[test]
fn undo_of_an_unplace_restores_the_placement_with_its_override_and_reason() {
    let dir = tmp();
    let mut store = example_store(&dir);
    let data = store.load().expect("load");
    let (t, p) = pair_breaking(&data, &[Rule::H3]);
    let cmd = place_overriding(&t, &p, &data, Rule::H3, "pause moved");
    store.execute(&cmd).expect("place");
    let placed = store.load().expect("load").placement_of(&t).cloned();
    let now = store.load().expect("load");
    store.execute(&Command::unplace(&now, &t).expect("placed")).expect("unplace");
    store.undo(Who::Me).expect("undo");
    assert_eq!(store.load().expect("load").placement_of(&t).cloned(), placed);
}

#[test]
fn an_accepted_round_is_stored_whole_or_not_at_all() {
    let dir = tmp();
    let mut store = example_store(&dir);
    let data = store.load().expect("load");
    let (t, p) = pair_breaking(&data, &[]);
    let good = match place(&t, &p, &data) {
        Command::Place { placement } => placement,
        _ => unreachable!(),
    };
    let mut bad = good.clone();
    bad.trainee_id = "NO-SUCH".into();
    let before = store.load().expect("load");
    assert!(store.execute(&Command::AcceptRound { placements: vec![good.clone(), bad] }).is_err());
    assert_eq!(store.load().expect("load"), before);
    store.execute(&Command::AcceptRound { placements: vec![good] }).expect("accept");
    assert_eq!(store.load().expect("load").placements.len(), before.placements.len() + 1);
}

#[test]
fn a_copy_is_made_with_the_backup_api_and_opens_with_the_same_data() {
    let dir = tmp();
    let store = example_store(&dir);
    let copy = dir.path().join("copy.sqlite");
    store.save_copy(&copy).expect("copy");
    let other = Store::open(&copy).expect("open copy");
    assert_eq!(other.load().expect("load"), store.load().expect("load"));
    assert!(store.save_copy(&copy).is_err(), "never overwrites");
}

#[test]
fn settings_and_threatened_flags_round_trip_through_the_file() {
    let dir = tmp();
    let mut store = example_store(&dir);
    let s = Settings { phase3_overlap_days: 30, ..Settings::default() };
    let before = store.load().expect("load");
    store.execute(&Command::set_settings(&before, s.clone())).expect("settings");
    store.execute(&Command::set_threatened(&before, "Aarhus", true).expect("Aarhus")).expect("flag");
    let data = store.load().expect("load");
    assert_eq!(data.settings, s);
    assert!(data.region.municipality("Aarhus").expect("Aarhus").threatened);
    store.undo(Who::Me).expect("undo flag");
    assert!(!store.load().expect("load").region.municipality("Aarhus").expect("Aarhus").threatened);
}

#[test]
fn a_process_name_with_spaces_and_parentheses_does_not_confuse_the_lock_liveness_check() {
    let stat = "4242 (tutor (fordeling) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 987654 1000 10";
    assert_eq!(lock::parse_stat(stat), Some(('S', 987654)));
    assert_eq!(lock::parse_stat("garbage"), None);
}

#[test]
fn this_process_is_alive_and_its_own_lock_is_never_held_against_it() {
    let me = LockInfo::current();
    assert!(me.is_this_process());
    assert_ne!(me.liveness(), lock::Liveness::Gone);
}

#[test]
fn a_full_disk_and_a_busy_database_map_to_their_own_messages() {
    let full = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(13), None);
    assert!(matches!(StoreError::from(full), StoreError::Full));
    let busy = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(5), None);
    assert!(matches!(StoreError::from(busy), StoreError::Busy));
    let io = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(10), None);
    assert!(matches!(StoreError::from(io), StoreError::DiskIo(_)));
}
