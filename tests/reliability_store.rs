//! The store's promises on real desks: a second instance, network drives, backups and restore,
//! damaged files, a full disk, old schemas, and undo after a restart.

mod reliability_support;
mod util;

use util::damage;

use std::path::Path;

use reliability_support::*;
use tutorfordeling::domain::command::Command;
use tutorfordeling::store::fs::{filesystem_type, is_network};
use tutorfordeling::store::{
    OpenOptions, OpenWarning, SCHEMA_VERSION, Store, StoreError, Who, backup_dir, list_backups, restore_backup,
};

fn region(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let db = dir.path().join("region.sqlite");
    drop(synthetic_region(&db, 5, 60));
    db
}

fn open(db: &Path) -> Store {
    Store::open_with(db, &test_options()).expect("open")
}

fn instance(db: &Path) -> Result<Store, StoreError> {
    Store::open_with(db, &OpenOptions { instance_lock: true, ..test_options() })
}

/// Places the `k`th open trainee.
fn place_next(store: &mut Store) -> i64 {
    let data = store.load().expect("load");
    let t = data.open_trainees()[0].id.clone();
    store.execute(&Command::Place { placement: placement(&data, &t, "P0000") }).expect("place")
}

/// Writes a lock row as another program would.
fn plant_lock(db: &Path, host: &str, pid: u32, proc_start: Option<i64>) {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.execute(
        "INSERT OR REPLACE INTO instance_lock(id, host, boot_id, os_user, pid, proc_start, started)
         VALUES (1, ?1, '', 'kirsten', ?2, ?3, '2026-11-02T08:15:00')",
        rusqlite::params![host, pid, proc_start],
    )
    .expect("plant lock");
}

fn journal_mode(store: &Store) -> String {
    store.pragma("journal_mode").expect("journal mode")
}

// --- A second instance -------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn a_second_instance_is_told_who_holds_the_file_and_may_open_it_read_only() {
    let dir = tmp();
    let db = region(&dir);
    // The test runner that started this process is alive, on this host.
    let holder = std::os::unix::process::parent_id();
    plant_lock(&db, &tutorfordeling::store::lock::host_name(), holder, None);

    let err = instance(&db).err().expect("refused");
    let msg = err.to_string();
    assert!(matches!(&err, StoreError::HeldBy { holder: h, .. } if h.pid == holder), "{msg}");
    assert!(msg.contains("kirsten") && msg.contains("read-only"), "{msg}");

    let mut ro = Store::open_read_only(&db).expect("read-only");
    assert!(ro.is_read_only() && ro.warnings().contains(&OpenWarning::ReadOnly));
    let before = ro.load().expect("load");
    let t = before.open_trainees()[0].id.clone();
    let err = ro.execute(&Command::Place { placement: placement(&before, &t, "P0000") }).expect_err("refused");
    assert!(matches!(err, StoreError::ReadOnly(_)), "{err}");
    assert!(ro.undo(Who::Me).is_err());
    assert_eq!(ro.load().expect("load"), before);

    // The CLI's own short writes still go through: SQLite's locks keep them apart.
    let mut cli = open(&db);
    place_next(&mut cli);
}

#[test]
fn the_holder_of_the_lock_may_be_taken_over_when_the_user_says_it_has_stopped() {
    let dir = tmp();
    let db = region(&dir);
    plant_lock(&db, "another-pc", 4242, None);
    assert!(matches!(instance(&db), Err(StoreError::HeldBy { .. })), "another host may still run");
    let store = Store::open_with(&db, &OpenOptions { instance_lock: true, take_over: true, ..test_options() })
        .expect("take over");
    assert!(store.warnings().iter().any(|w| matches!(w, OpenWarning::LockTakenOver(l) if l.host == "another-pc")));
    assert_eq!(store.lock_holder().expect("holder").expect("held").pid, std::process::id());
}

#[cfg(target_os = "linux")]
#[test]
fn a_lock_left_by_a_program_that_no_longer_runs_is_taken_over_with_a_warning() {
    let dir = tmp();
    let db = region(&dir);
    let mut gone = std::process::Command::new("true").spawn().expect("spawn");
    let pid = gone.id();
    gone.wait().expect("wait");
    plant_lock(&db, &tutorfordeling::store::lock::host_name(), pid, None);
    let store = instance(&db).expect("stale lock taken over");
    assert!(store.warnings().iter().any(|w| matches!(w, OpenWarning::StaleLockTakenOver(l) if l.pid == pid)));
    drop(store);

    // A live pid that started at another time is a reused pid: stale too.
    plant_lock(&db, &tutorfordeling::store::lock::host_name(), std::os::unix::process::parent_id(), Some(1));
    let store = instance(&db).expect("reused pid");
    assert!(store.warnings().iter().any(|w| matches!(w, OpenWarning::StaleLockTakenOver(_))));
}

#[test]
fn the_lock_is_given_back_when_the_store_closes() {
    let dir = tmp();
    let db = region(&dir);
    let store = instance(&db).expect("open");
    assert!(store.lock_holder().expect("holder").is_some_and(|l| l.pid == std::process::id()));
    drop(store);
    assert_eq!(open(&db).lock_holder().expect("holder"), None);
}

// --- Network filesystems -----------------------------------------------------------------------

#[test]
fn network_filesystems_are_told_apart_from_local_ones_in_proc_mounts() {
    let mounts = "/dev/sda1 / ext4 rw,relatime 0 0\n\
        server:/export /mnt/share nfs4 rw 0 0\n\
        //nas/hr /mnt/hr\\040data cifs rw 0 0\n\
        kirsten@host: /home/k/remote fuse.sshfs rw 0 0\n\
        drvfs /mnt/c 9p rw 0 0\n\
        tmpfs /mnt/share/tmp tmpfs rw 0 0\n";
    let fs = |p: &str| filesystem_type(mounts, Path::new(p)).expect("a mount");
    assert_eq!(fs("/home/k/region.sqlite"), "ext4");
    assert_eq!(fs("/mnt/share/region.sqlite"), "nfs4");
    assert_eq!(fs("/mnt/hr data/region.sqlite"), "cifs");
    assert_eq!(fs("/home/k/remote/region.sqlite"), "fuse.sshfs");
    assert_eq!(fs("/mnt/c/Users/region.sqlite"), "9p");
    assert_eq!(fs("/mnt/share/tmp/region.sqlite"), "tmpfs");
    for network in ["nfs", "nfs4", "cifs", "smb3", "9p", "fuse.sshfs", "fuse.rclone"] {
        assert!(is_network(network), "{network}");
    }
    for local in ["ext4", "btrfs", "xfs", "tmpfs", "overlay", "fuse.portal", "zfs"] {
        assert!(!is_network(local), "{local}");
    }
}

#[test]
fn a_file_on_a_network_filesystem_gets_a_warning_and_the_rollback_journal() {
    let dir = tmp();
    let db = region(&dir);
    let store = Store::open_with(&db, &OpenOptions { network_filesystem: Some(true), ..test_options() }).expect("open");
    assert!(
        store.warnings().iter().any(|w| matches!(w, OpenWarning::NetworkFilesystem { .. })),
        "{:?}",
        store.warnings()
    );
    assert!(store.warnings().iter().any(|w| w.to_string().contains("network drive")));
    assert_eq!(journal_mode(&store), "delete");
    drop(store);
    assert_eq!(journal_mode(&open(&db)), "wal", "back on a local disk, WAL again");
}

// --- Backups -----------------------------------------------------------------------------------

#[test]
fn opening_a_changed_file_keeps_the_last_ten_backups_made_with_the_backup_api() {
    let dir = tmp();
    let db = region(&dir);
    for _ in 0..13 {
        let mut store = open(&db);
        place_next(&mut store);
    }
    drop(open(&db)); // backs up the 13th change
    let backups = list_backups(&db).expect("list");
    assert_eq!(backups.len(), 10);
    assert_eq!(backups[0].audit_id, 2 + 13, "create, import and 13 placements");
    assert!(backups.windows(2).all(|w| w[0].audit_id > w[1].audit_id), "newest first");
    assert_eq!(backups[0].path.parent(), Some(backup_dir(&db).as_path()));
    for b in &backups {
        let copy = Store::open_read_only(&b.path).expect("a backup opens");
        assert!(copy.integrity_problems().expect("check").is_empty());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&b.path).expect("meta").permissions().mode() & 0o777, 0o600);
        }
    }
    // Opening without a change adds none; the store lists the same.
    let store = open(&db);
    assert_eq!(store.backups().expect("list"), backups);
}

#[test]
fn a_script_opening_the_file_many_times_makes_one_backup_per_interval() {
    let dir = tmp();
    let db = region(&dir);
    for _ in 0..5 {
        let mut store = Store::open(&db).expect("open"); // default: 10 minutes apart
        place_next(&mut store);
    }
    assert_eq!(list_backups(&db).expect("list").len(), 1);
}

#[test]
fn restoring_a_backup_brings_its_data_back_and_keeps_the_current_file_as_a_backup() {
    let dir = tmp();
    let db = region(&dir);
    let mut store = open(&db);
    let at_backup = store.load().expect("load");
    let backup = store.backup_now(10).expect("backup");
    place_next(&mut store);
    place_next(&mut store);
    let changed = store.load().expect("load");
    drop(store);

    let report = restore_backup(&db, &backup).expect("restore");
    let safety = report.safety_backup.expect("the current data is kept");
    assert_eq!(report.moved_aside, None);
    assert_eq!(open(&db).load().expect("load"), at_backup);
    // ...and the restore itself can be undone by restoring the safety backup.
    restore_backup(&db, &safety).expect("restore back");
    assert_eq!(open(&db).load().expect("load"), changed);
}

#[test]
fn a_damaged_file_is_refused_naming_the_newest_good_backup_which_restores_it() {
    let dir = tmp();
    let db = region(&dir);
    let good = {
        let mut store = open(&db);
        place_next(&mut store);
        store.backup_now(10).expect("backup");
        store.load().expect("load")
    };
    // A newer backup that is itself damaged is passed over.
    let bad_backup = backup_dir(&db).join("29991231-235959-999-a99999.sqlite");
    std::fs::copy(list_backups(&db).expect("list")[0].path.clone(), &bad_backup).expect("copy");
    damage(&bad_backup);
    damage(&db);

    let err = Store::open(&db).err().expect("refused");
    let msg = err.to_string();
    let StoreError::Damaged { newest_good_backup: Some(newest), .. } = &err else { panic!("{msg}") };
    assert_ne!(newest, &bad_backup);
    assert!(msg.contains("damaged") && msg.contains("Restore from backup"), "{msg}");

    let report = restore_backup(&db, newest).expect("restore");
    let aside = report.moved_aside.expect("the damaged file is kept aside");
    assert!(aside.exists());
    let store = open(&db);
    assert_eq!(store.load().expect("load"), good);
    assert!(store.integrity_problems().expect("check").is_empty());
    assert!(restore_backup(&db, &bad_backup).is_err(), "a damaged backup is refused");
}

// --- A full disk -------------------------------------------------------------------------------

#[test]
fn a_full_disk_gives_one_clear_message_rolls_back_and_the_file_takes_writes_once_there_is_room() {
    let dir = tmp();
    let db = dir.path().join("region.sqlite");
    drop(synthetic_region(&db, 5, 600));
    let mut store = open(&db);
    let before = store.load().expect("load");
    let pages: i64 = store.pragma("page_count").expect("pages").parse().expect("number");
    let _: i64 = store.pragma(&format!("max_page_count = {pages}")).expect("limit").parse::<i64>().expect("number");
    let round = Command::AcceptRound {
        placements: before.open_trainees().iter().map(|t| placement(&before, &t.id, "P0001")).collect(),
    };
    let err = store.execute(&round).expect_err("the disk is full");
    assert!(matches!(err, StoreError::Full), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("full") && msg.contains("nothing was saved"), "{msg}");
    assert_eq!(store.load().expect("load"), before, "rolled back");
    drop(store);

    let mut store = open(&db);
    assert_eq!(store.load().expect("load"), before);
    assert!(store.integrity_problems().expect("check").is_empty());
    store.execute(&round).expect("a write once there is room");
    assert_eq!(store.load().expect("load").placements.len(), before.placements.len() + 600);
}

// --- Schemas -----------------------------------------------------------------------------------

#[test]
fn a_database_made_by_schema_1_migrates_and_keeps_its_data_and_its_undo() {
    let dir = tmp();
    let db = dir.path().join("old.sqlite");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/region-schema-v1.sqlite"), &db).expect("copy");
    let version = |db: &Path| -> i32 {
        rusqlite::Connection::open(db).expect("open").query_row("PRAGMA user_version", [], |r| r.get(0)).expect("v")
    };
    assert_eq!(version(&db), 1);

    // Read-only leaves it as it is.
    let ro = Store::open_read_only(&db).expect("read-only");
    assert_eq!(ro.load().expect("load").placements.len(), 95);
    drop(ro);
    assert_eq!(version(&db), 1);

    let mut store = instance(&db).expect("migrates");
    assert_eq!(version(&db), SCHEMA_VERSION);
    let data = store.load().expect("load");
    assert_eq!((data.practices.len(), data.placements.len()), (30, 95));
    assert!(store.integrity_problems().expect("check").is_empty());
    assert!(store.lock_holder().expect("lock table").is_some());
    // The old version recorded $USER; `--all-users` reaches a change of any account.
    let undone = store.undo(Who::Anyone).expect("undo a change made by the old version");
    assert_eq!(undone.summary, "unplace T000001");
    assert_eq!(store.load().expect("load").placements.len(), 96);
}

// --- Undo after a restart ----------------------------------------------------------------------

#[test]
fn the_last_seven_commands_can_be_undone_one_by_one_after_restarts() {
    let dir = tmp();
    let db = region(&dir);
    let mut states = vec![open(&db).load().expect("load")];
    for _ in 0..7 {
        let mut store = open(&db);
        place_next(&mut store);
        states.push(store.load().expect("load"));
    }
    for expected in states.iter().rev().skip(1) {
        let mut store = open(&db); // a restart before each undo
        store.undo(Who::Me).expect("undo");
        assert_eq!(&store.load().expect("load"), expected);
    }
    for expected in states.iter().skip(1) {
        let mut store = open(&db);
        store.redo(Who::Me).expect("redo");
        assert_eq!(&store.load().expect("load"), expected);
    }
    assert!(open(&db).redo(Who::Me).is_err());
}
