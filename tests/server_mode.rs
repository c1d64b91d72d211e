//! Server mode (issue 15, CONTRACT.md "Server mode") against a real PostgreSQL server: the test
//! cluster of `scripts/pg-test-cluster` named by `TUTOR_TEST_PG`. Without it every test here says
//! that it skipped and passes; `.ci/run` sets `TUTOR_TEST_REQUIRE_PG`, so there they cannot skip.
//!
//! Each test gets its own database (`util::PgDb`, dropped at the end) and its own logins.

mod util;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;
use util::{Dir, PgDb, examples, stderr, stdout};

/// A login of `role` (coordinator, reviewer, hr) on this database, as the README's two SQL lines
/// make one; its URL.
fn login(pg: &PgDb, name: &str, role: &str) -> String {
    let login = format!("{}_{name}", pg.name);
    pg.sql(&format!("CREATE ROLE {login} LOGIN; GRANT {role} TO {login};"));
    pg.url_as(&login)
}

fn run(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_tutorfordeling")).args(args).output().expect("run")
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// The examples imported into a fresh server database by its owner (`new`, then `import`).
fn server_with_examples() -> Option<(Dir, String)> {
    let dir = Dir::on_server()?;
    dir.with_examples();
    let url = dir.db().to_str().expect("url").to_string();
    Some((dir, url))
}

/// trainee → practice of every placement, as the superuser sees the table.
fn placements(pg: &PgDb) -> BTreeMap<String, String> {
    let mut c = postgres::Client::connect(&pg.url, postgres::NoTls).expect("connect");
    c.query("SELECT trainee_id, practice_id FROM placements", &[])
        .expect("placements")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

#[test]
fn the_same_commands_give_the_same_results_on_a_file_and_on_the_server() {
    let mut exports = Vec::new();
    for dir in Dir::each_engine() {
        let db = dir.with_examples();
        let db = db.to_str().expect("path");
        let e = dir.engine();
        let ok = dir.run(&["place", "--db", db, "EX-K2", "EX-P7"]);
        assert_eq!(ok.status.code(), Some(0), "{e}: {}", stderr(&ok));
        let h1 = dir.run(&["place", "--db", db, "EX-K1", "EX-P7"]);
        assert_eq!(h1.status.code(), Some(3), "{e}: H1 must refuse: {}", stderr(&h1));
        assert!(stderr(&h1).contains("H1"), "{e}: {}", stderr(&h1));
        dir.ok(&["place", "--db", db, "EX-F1", "EX-P1"]);
        dir.ok(&["undo", "--db", db]);
        dir.ok(&["redo", "--db", db]);
        dir.ok(&["unplace", "--db", db, "EX-F1"]);
        dir.ok(&["undo", "--db", db]);
        let check = dir.run(&["check", "--db", db]);
        assert_eq!(check.status.code(), Some(0), "{e}: {}", stdout(&check));
        let log = stdout(&dir.ok(&["log", "--db", db, "--trainee", "EX-F1"]));
        assert_eq!(
            log.lines().filter(|l| !l.trim().is_empty()).count(),
            6,
            "{e}: the import, place, undo, redo, unplace, undo: {log}"
        );
        exports.push((e, dir.export_bytes(Path::new(db), "out")));
    }
    if let [(_, file), (_, server)] = exports.as_slice() {
        assert!(file == server, "the file's and the server's exports differ");
    }
}

#[test]
fn copy_moves_a_region_from_a_file_to_a_server_and_back_byte_for_byte() {
    let Some(pg) = PgDb::new() else { return };
    let dir = Dir::on_file();
    let file = dir.with_examples();
    let file_s = file.to_str().expect("path");
    dir.ok(&["place", "--db", file_s, "EX-K2", "EX-P7"]);
    dir.ok(&["new", "--db", &pg.url]);
    let copied = dir.run(&["copy", "--from", file_s, "--to", &pg.url]);
    assert_eq!(code(&copied), 0, "{}", stderr(&copied));
    assert_eq!(dir.export_bytes(&file, "a"), dir.export_bytes(Path::new(&pg.url), "b"));
    // The history came along: the server can undo the file's placement.
    let back = dir.path("back.sqlite");
    dir.ok(&["copy", "--from", &pg.url, "--to", back.to_str().expect("path")]);
    assert_eq!(dir.export_bytes(&file, "c"), dir.export_bytes(&back, "d"));
    dir.ok(&["undo", "--db", &pg.url, "--all-users"]);
    assert!(placements(&pg).is_empty(), "the copied placement is undone on the server");
    // All or nothing: a second copy into the now non-empty server is refused and changes nothing.
    let again = dir.run(&["copy", "--from", file_s, "--to", &pg.url]);
    assert_eq!(code(&again), 2, "{}", stderr(&again));
    assert!(stderr(&again).contains("empty"), "{}", stderr(&again));
    assert!(placements(&pg).is_empty());
}

#[test]
fn new_on_a_server_that_holds_a_region_is_refused() {
    let Some((_dir, url)) = server_with_examples() else { return };
    let again = run(&["new", "--db", &url]);
    assert_eq!(code(&again), 2, "{}", stderr(&again));
}

#[test]
fn a_reviewers_place_exits_5_and_changes_nothing() {
    let Some((dir, _)) = server_with_examples() else { return };
    let pg = dir.server.as_ref().expect("server");
    let rita = login(pg, "rita", "reviewer");
    let before = pg.count("SELECT COUNT(*) FROM audit");
    let out = run(&["place", "--db", &rita, "EX-K2", "EX-P7"]);
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    assert!(stderr(&out).contains("role"), "{}", stderr(&out));
    assert!(placements(pg).is_empty());
    assert_eq!(pg.count("SELECT COUNT(*) FROM audit"), before, "no audit row for a refused write");
    // Reading is what a reviewer does.
    let check = run(&["check", "--db", &rita]);
    assert_eq!(code(&check), 0, "{}", stderr(&check));
    let settings = run(&["settings", "set", "--db", &rita, "salary.laege1", "40000"]);
    assert_eq!(code(&settings), 5, "{}", stderr(&settings));
}

#[test]
fn hr_edits_the_salary_scale_but_cannot_place() {
    let Some((dir, _)) = server_with_examples() else { return };
    let pg = dir.server.as_ref().expect("server");
    let hanne = login(pg, "hanne", "hr");
    let set = run(&["settings", "set", "--db", &hanne, "salary.laege1", "40000", "--from", "2026-01-01"]);
    assert_eq!(code(&set), 0, "{}", stderr(&set));
    let shown = stdout(&run(&["settings", "show", "--db", &hanne, "--format", "json"]));
    assert!(shown.contains("4000000"), "the new salary is stored in øre: {shown}");
    let place = run(&["place", "--db", &hanne, "EX-K2", "EX-P7"]);
    assert_eq!(code(&place), 5, "{}", stderr(&place));
    assert!(placements(pg).is_empty());
    // A coordinator places, but may not touch the settings.
    let anna = login(pg, "anna", "coordinator");
    let place = run(&["place", "--db", &anna, "EX-K2", "EX-P7"]);
    assert_eq!(code(&place), 0, "{}", stderr(&place));
    let set = run(&["settings", "set", "--db", &anna, "salary.laege1", "41000"]);
    assert_eq!(code(&set), 5, "{}", stderr(&set));
}

#[test]
fn the_audit_user_is_the_authenticated_login_and_undo_is_per_login() {
    let Some((dir, _)) = server_with_examples() else { return };
    let pg = dir.server.as_ref().expect("server");
    let anna = login(pg, "anna", "coordinator");
    let bo = login(pg, "bo", "coordinator");
    assert_eq!(code(&run(&["place", "--db", &anna, "EX-K2", "EX-P7"])), 0);
    assert_eq!(code(&run(&["place", "--db", &bo, "EX-F1", "EX-P1"])), 0);
    let log = stdout(&run(&["log", "--db", &anna, "--trainee", "EX-K2"]));
    assert!(log.contains(&format!("{}_anna", pg.name)), "{log}");
    // Anna's undo takes back her change, not Bo's newer one.
    assert_eq!(code(&run(&["undo", "--db", &anna])), 0);
    let now = placements(pg);
    assert_eq!(now.get("EX-F1").map(String::as_str), Some("EX-P1"));
    assert!(!now.contains_key("EX-K2"));
    // Nobody writes an audit row in another's name (row-level security), not even by hand.
    let mut c = postgres::Client::connect(&bo, postgres::NoTls).expect("connect");
    let forged = c.execute(
        "INSERT INTO audit(at, os_user, action, summary, state) VALUES ('x', 'somebody_else', 'place', 'forged', 'final')",
        &[],
    );
    let err = forged.expect_err("a forged audit row must be refused");
    assert_eq!(err.code(), Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE), "{err}");
}

/// Practices and trainees for the load tests: `n` practices in Aarhus with capacity `cap`, and
/// `t` phase-1 trainees of Aarhus Universitetshospital with the same period (H4 allows every
/// pair; H8 is the only rule they can meet).
fn load_region(dir: &Dir, db: &str, n: usize, cap: u32, t: usize) {
    let mut practices = String::from("id;name;municipality;lat;lon;tutors;doctors;setting;burdened;capacity;large\n");
    for i in 0..n {
        practices.push_str(&format!("L-P{i:02};Lasttest {i};Aarhus;56,15;10,20;{cap};{cap};urban;nej;{cap};nej\n"));
    }
    let mut trainees = String::from(
        "id;name;type;hospital_unit;municipality;start;end;monthly_salary;own_gp;family_practices;history\n",
    );
    for i in 0..t {
        trainees.push_str(&format!(
            "L-T{i:02};Last Kursist {i};phase1;Aarhus Universitetshospital;;2026-09-01;2027-02-28;41000,00;;;\n"
        ));
    }
    let p = dir.write("load_practices.csv", practices);
    let tr = dir.write("load_trainees.csv", trainees);
    dir.ok(&["import", "--db", db, "--practices", p.to_str().expect("p"), "--trainees", tr.to_str().expect("t")]);
}

#[test]
fn a_race_for_the_last_slot_has_exactly_one_winner() {
    let Some(dir) = Dir::on_server() else { return };
    let pg = dir.server.as_ref().expect("server");
    let db = dir.db().to_str().expect("url").to_string();
    dir.ok(&["new", "--db", &db]);
    load_region(&dir, &db, 1, 1, 8);
    let anna = login(pg, "anna", "coordinator");
    let bo = login(pg, "bo", "coordinator");
    for round in 0..10 {
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(8));
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let url = if i % 2 == 0 { anna.clone() } else { bo.clone() };
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    run(&["place", "--db", &url, &format!("L-T{i:02}"), "L-P00"])
                })
            })
            .collect();
        let outs: Vec<Output> = handles.into_iter().map(|h| h.join().expect("thread")).collect();
        let winners = outs.iter().filter(|o| code(o) == 0).count();
        assert_eq!(winners, 1, "round {round}: exactly one wins the last slot");
        for o in outs.iter().filter(|o| code(o) != 0) {
            assert!(
                (code(o) == 3 && stderr(o).contains("H8")) || code(o) == 4,
                "round {round}: a loser gets H8 or a conflict, not: {} {}",
                code(o),
                stderr(o)
            );
        }
        assert_eq!(placements(pg).len(), 1);
        let winner = placements(pg).into_keys().next().expect("one placement");
        dir.ok(&["unplace", "--db", &db, &winner]);
    }
}

#[test]
fn four_processes_of_two_users_run_100_commands_each_and_lose_nothing() {
    let Some(dir) = Dir::on_server() else { return };
    let pg = dir.server.as_ref().expect("server");
    let db = dir.db().to_str().expect("url").to_string();
    dir.ok(&["new", "--db", &db]);
    // 6 practices with room for 2 each, 40 trainees: places are scarce, so commands collide.
    load_region(&dir, &db, 6, 2, 40);
    let users = [login(pg, "anna", "coordinator"), login(pg, "bo", "coordinator")];
    let handles: Vec<_> = (0..4usize)
        .map(|proc| {
            let url = users[proc % 2].clone();
            std::thread::spawn(move || {
                // This process's own 10 trainees, and where each is now as far as it knows.
                let mine: Vec<String> = (0..10).map(|k| format!("L-T{:02}", proc * 10 + k)).collect();
                let mut at: BTreeMap<String, Option<String>> = mine.iter().map(|t| (t.clone(), None)).collect();
                let (mut done, mut unexpected) = (0usize, Vec::new());
                for i in 0..100usize {
                    let t = &mine[i % 10];
                    let out = match &at[t] {
                        Some(_) => run(&["unplace", "--db", &url, t]),
                        None => run(&["place", "--db", &url, t, &format!("L-P{:02}", (i * 7 + proc) % 6)]),
                    };
                    match code(&out) {
                        0 => {
                            done += 1;
                            let next = match &at[t] {
                                Some(_) => None,
                                None => Some(format!("L-P{:02}", (i * 7 + proc) % 6)),
                            };
                            at.insert(t.clone(), next);
                        }
                        3 if stderr(&out).contains("H8") => {}
                        4 => {}
                        c => unexpected.push(format!("{c}: {}", stderr(&out))),
                    }
                }
                (at, done, unexpected)
            })
        })
        .collect();
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    let mut done = 0;
    for h in handles {
        let (at, n, unexpected) = h.join().expect("thread");
        assert!(unexpected.is_empty(), "unexpected errors: {unexpected:?}");
        done += n;
        expected.extend(at.into_iter().filter_map(|(t, p)| p.map(|p| (t, p))));
    }
    assert_eq!(placements(pg), expected, "nothing lost: every process's last successful command holds");
    let audited = pg.count("SELECT COUNT(*) FROM audit WHERE action IN ('place', 'unplace')");
    assert_eq!(audited as usize, done, "one audit row per successful command");
    let check = dir.run(&["check", "--db", &db]);
    assert_eq!(code(&check), 0, "check is clean: {}", stdout(&check));
}

#[test]
fn a_desk_sees_another_connections_placement_through_the_change_feed() {
    use tutorfordeling::store::Store;
    use tutorfordeling::ui::state::AppState;
    let Some((_dir, url)) = server_with_examples() else { return };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let mut desk = AppState::open(Path::new(&url), today);
    assert!(desk.error.is_none(), "{:?}", desk.error);
    desk.poll_every = std::time::Duration::ZERO;
    assert!(desk.data.placement_of("EX-K2").is_none());
    let mut other = Store::open(Path::new(&url)).expect("second connection");
    tutorfordeling::ops::place(&mut other, "EX-K2", "EX-P7", None, None, Vec::new(), None).expect("place");
    desk.poll();
    assert_eq!(desk.data.placement_of("EX-K2").map(|p| p.practice_id.as_str()), Some("EX-P7"));
    // And the desk's own write reaches the other connection's feed.
    let (_, mut feed) = other.load_with_feed().expect("feed");
    assert!(desk.execute(&tutorfordeling::domain::command::Command::Unplace {
        placement: desk.data.placement_of("EX-K2").cloned().expect("placed"),
        reason: None,
    }));
    let changes = other.changes_since(&mut feed).expect("changes");
    assert_eq!(changes.entries.len(), 1);
    assert_eq!(changes.entries[0].0.action, "unplace");
}

#[test]
fn without_a_server_the_server_tests_say_they_skipped() {
    if std::env::var_os("TUTOR_TEST_PG").is_some() {
        return;
    }
    assert!(util::test_server().is_none());
    let _ = examples();
}

#[test]
fn a_feed_read_while_four_connections_write_misses_nothing_and_replays_to_a_fresh_load() {
    use tutorfordeling::store::Store;
    let Some(dir) = Dir::on_server() else { return };
    let db = dir.db().to_str().expect("url").to_string();
    dir.ok(&["new", "--db", &db]);
    load_region(&dir, &db, 6, 2, 40);
    let mut reader = Store::open(Path::new(&db)).expect("reader");
    let (mut data, mut feed) = reader.load_with_feed().expect("load");
    let seen0 = feed.seen;
    let writers: Vec<_> = (0..4usize)
        .map(|w| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(Path::new(&db)).expect("writer");
                for i in 0..40usize {
                    let t = format!("L-T{:02}", w * 10 + i % 10);
                    let placed =
                        store.read(&tutorfordeling::store::Subjects { trainees: vec![t.clone()], practices: vec![] });
                    let placed = placed.expect("read").placement_of(&t).is_some();
                    // Refusals (H8 when a practice is full) are expected; they write nothing.
                    let _ = if placed {
                        tutorfordeling::ops::unplace(&mut store, &t).map(drop)
                    } else {
                        let p = format!("L-P{:02}", (i * 5 + w) % 6);
                        tutorfordeling::ops::place(&mut store, &t, &p, None, None, Vec::new(), None).map(drop)
                    };
                }
            })
        })
        .collect();
    // The desk's poll, as fast as it can, while the writers commit in any order.
    let mut ids = Vec::new();
    let mut replay = |data: &mut tutorfordeling::domain::model::Dataset, feed: &mut tutorfordeling::store::Feed| {
        let changes = reader.changes_since(feed).expect("feed");
        assert!(!changes.reload);
        for (entry, cmd) in &changes.entries {
            ids.push(entry.id);
            if let Some(cmd) = cmd {
                data.apply(cmd);
            }
        }
    };
    while writers.iter().any(|w| !w.is_finished()) {
        replay(&mut data, &mut feed);
    }
    for w in writers {
        w.join().expect("writer");
    }
    replay(&mut data, &mut feed);
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "audit ids arrive in increasing order");
    assert_eq!(data, reader.load().expect("load"), "the replayed feed equals a fresh load: no row was skipped");
    let pg = dir.server.as_ref().expect("server");
    assert_eq!(
        ids.len() as i64,
        pg.count(&format!("SELECT COUNT(*) FROM audit WHERE id > {seen0}")),
        "every audit row was seen once"
    );
}

#[test]
fn a_reviewers_desk_shows_a_clear_refusal_and_saves_nothing() {
    use tutorfordeling::domain::command::Command;
    use tutorfordeling::ui::state::AppState;
    let Some((dir, _)) = server_with_examples() else { return };
    let pg = dir.server.as_ref().expect("server");
    let rita = login(pg, "rita", "reviewer");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let mut desk = AppState::open(Path::new(&rita), today);
    assert!(desk.error.is_none(), "{:?}", desk.error);
    let trainee = desk.data.trainee("EX-K2").cloned().expect("EX-K2");
    let placement = tutorfordeling::domain::model::Placement {
        trainee_id: trainee.id.clone(),
        practice_id: "EX-P7".into(),
        start: trainee.start,
        end: trainee.end,
        pinned: false,
        overrides: Vec::new(),
        reason: None,
    };
    assert!(!desk.execute(&Command::Place { placement }), "the server refuses a reviewer's placement");
    let shown = desk.error.clone().unwrap_or_default();
    assert!(shown.contains("din rolle må ikke"), "the desk says why, in Danish: {shown}");
    assert!(shown.contains("Intet blev gemt"), "{shown}");
    assert!(placements(pg).is_empty());
    assert!(desk.data.placement_of("EX-K2").is_none());
}
