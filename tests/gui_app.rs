//! The coordinator's desktop, driven through egui_kittest by widget labels (AccessKit), with the
//! database checked afterwards through `Store::open`.

use std::path::{Path, PathBuf};

use egui::accesskit::Role;
use egui::{Key, Modifiers, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use tutorfordeling::demo::{DemoParams, demo_round_date, generate, store_demo};
use tutorfordeling::domain::dates::YearMonth;
use tutorfordeling::domain::finance::{finance_lines, summarize};
use tutorfordeling::domain::model::{Dataset, Rule, Trainee};
use tutorfordeling::domain::rules::RuleContext;
use tutorfordeling::store::Store;
use tutorfordeling::ui::App;
use tutorfordeling::ui::queue::deadline;
use tutorfordeling::ui::state::Tab;

mod util;
use util::damage;

/// A small deterministic demo region in a temp dir.
fn demo_db(dir: &Path) -> PathBuf {
    let path = dir.join("demo.sqlite");
    let data = generate(&DemoParams { seed: 7, practices: 60, open_trainees: Some(12), years: 3 });
    let mut store = Store::create(&path, &data.region).expect("create");
    store_demo(&mut store, &data).expect("store demo");
    path
}

fn load(path: &Path) -> Dataset {
    Store::open(path).expect("open").load().expect("load")
}

fn harness(path: &Path) -> Harness<'static, App> {
    let app = App::with_path_on(path, demo_round_date());
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_context_setup(tutorfordeling::ui::install_fonts)
        .build_ui_state(|ui, app: &mut App| app.ui_root(ui), app);
    h.run_ok();
    h
}

/// The first trainee of the queue (first type, earliest deadline): visible without scrolling.
fn first_in_queue(data: &Dataset) -> Trainee {
    let open = data.open_trainees();
    let kind = open.iter().map(|t| t.kind).min().expect("an open trainee");
    let mut of_kind: Vec<&Trainee> = open.into_iter().filter(|t| t.kind == kind).collect();
    of_kind.sort_by(|a, b| deadline(a).cmp(&deadline(b)).then(a.id.cmp(&b.id)));
    of_kind[0].clone()
}

/// Presses on `from`, moves in steps and releases on `to`, a frame per step.
fn drag(h: &mut Harness<'_, App>, from: Pos2, to: Pos2) {
    h.hover_at(from);
    h.step();
    h.drag_at(from);
    h.step();
    for i in 1..=8 {
        h.hover_at(from.lerp(to, i as f32 / 8.0));
        h.step();
    }
    h.hover_at(to);
    h.step();
    h.step();
    h.drop_at(to);
    h.step();
    h.run_ok();
}

fn queue_row(h: &Harness<'_, App>, name: &str) -> Pos2 {
    h.get_all_by_label(name).next().expect("the trainee in the queue").rect().center()
}

/// A practice where the trainee may go (or may not), picked among those drawn well inside the map.
fn practice_on_map(h: &Harness<'_, App>, data: &Dataset, t: &Trainee, feasible: bool) -> (usize, Pos2) {
    let rules = RuleContext::new(data);
    let map = h.state();
    let mut best: Option<(usize, Pos2, f32)> = None;
    let centre = Pos2::new(700.0, 500.0);
    for (i, p) in data.practices.iter().enumerate() {
        if rules.check(t, p, t.period(), None).is_empty() != feasible {
            continue;
        }
        let Some(pos) = map.map.marker_screen_pos(i) else { continue };
        // Keep clear of other markers so the drop lands on this one.
        let crowded = (0..data.practices.len())
            .filter(|j| *j != i)
            .filter_map(|j| map.map.marker_screen_pos(j))
            .any(|q| q.distance(pos) < 14.0);
        let d = pos.distance(centre);
        if !crowded && best.is_none_or(|b| d < b.2) {
            best = Some((i, pos, d));
        }
    }
    let (i, pos, _) = best.expect("a practice on the map");
    (i, pos)
}

#[test]
fn dragging_a_trainee_onto_a_practice_on_the_map_places_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = load(&db);
    let t = first_in_queue(&before);
    let mut h = harness(&db);
    let (index, target) = practice_on_map(&h, &before, &t, true);
    let from = queue_row(&h, &t.name);
    drag(&mut h, from, target);

    let after = load(&db);
    let placed = after.placement_of(&t.id).expect("the trainee is placed");
    assert_eq!(placed.practice_id, before.practices[index].id);
    assert_eq!((placed.start, placed.end), (t.start, t.end));
    assert!(placed.overrides.is_empty());
    assert_eq!(after.placements.len(), before.placements.len() + 1);
}

#[test]
fn with_the_base_map_on_and_no_tile_server_the_map_still_takes_a_drop() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = load(&db);
    let t = first_in_queue(&before);
    let mut h = harness(&db);
    h.get_by_label("Baggrundskort (OpenStreetMap)").click();
    h.run_ok();
    assert!(h.state().map.show_tiles);
    // Tiles cannot load here (no network); walkers fetches in the background and the frame goes on.
    let (index, target) = practice_on_map(&h, &before, &t, true);
    let from = queue_row(&h, &t.name);
    drag(&mut h, from, target);
    let after = load(&db);
    assert_eq!(after.placement_of(&t.id).map(|p| p.practice_id.as_str()), Some(before.practices[index].id.as_str()));
}

#[test]
fn a_refused_drop_names_its_rule_and_an_override_needs_a_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = load(&db);
    let t = first_in_queue(&before);
    let mut h = harness(&db);
    let (index, target) = practice_on_map(&h, &before, &t, false);
    let practice = before.practices[index].clone();
    let broken = RuleContext::new(&before).check(&t, &practice, t.period(), None);
    let from = queue_row(&h, &t.name);
    drag(&mut h, from, target);

    // The dialog names every broken rule; nothing is stored yet.
    h.get_by_label("Placering afvist");
    for v in &broken {
        h.get_by_label_contains(&format!("{}: ", v.rule));
    }
    assert!(load(&db).placement_of(&t.id).is_none(), "a refused drop stores nothing");

    // The override stays disabled until a reason is given.
    h.get_by_label("Tilsidesæt og placér").click();
    h.run_ok();
    assert!(load(&db).placement_of(&t.id).is_none());
    let reason = h.get_by_role_and_label(Role::MultilineTextInput, "Begrundelse for at tilsidesætte");
    reason.focus();
    h.run_ok();
    h.get_by_role_and_label(Role::MultilineTextInput, "Begrundelse for at tilsidesætte")
        .type_text("Aftalt med praksis");
    h.run_ok();
    h.get_by_label("Tilsidesæt og placér").click();
    h.run_ok();

    let after = load(&db);
    let placed = after.placement_of(&t.id).expect("placed with an override");
    assert_eq!(placed.practice_id, practice.id);
    let mut rules: Vec<Rule> = broken.iter().map(|v| v.rule).collect();
    rules.sort();
    rules.dedup();
    assert_eq!(placed.overrides, rules);
    assert_eq!(placed.reason.as_deref(), Some("Aftalt med praksis"));
}

#[test]
fn dropping_a_trainee_on_a_roster_row_places_them_and_undo_and_redo_follow_the_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = load(&db);
    let t = first_in_queue(&before);
    let rules = RuleContext::new(&before);
    let practice = before
        .practices
        .iter()
        .find(|p| rules.check(&t, p, t.period(), None).is_empty())
        .expect("a feasible practice")
        .clone();
    let mut h = harness(&db);
    h.get_by_label("Praksisser").click();
    h.run_ok();
    set_text(&mut h, "Filter", &practice.id);
    let from = queue_row(&h, &t.name);
    let to = h.get_by_label(&practice.name).rect().center();
    drag(&mut h, from, to);
    assert_eq!(load(&db).placement_of(&t.id).map(|p| p.practice_id.clone()), Some(practice.id.clone()));

    // Ctrl+Z undoes from the audit log, Ctrl+Y redoes (once the filter field lets go of the keys).
    h.key_press(Key::Escape);
    h.run_ok();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_ok();
    assert!(load(&db).placement_of(&t.id).is_none(), "undone");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run_ok();
    assert_eq!(load(&db).placement_of(&t.id).map(|p| p.practice_id.clone()), Some(practice.id.clone()), "redone");

    // The Edit menu does the same.
    h.get_by_label("Redigér").click();
    h.run_ok();
    h.get_by_label("Fortryd Ctrl+Z").click();
    h.run_ok();
    assert!(load(&db).placement_of(&t.id).is_none(), "undone from the menu");
    assert_eq!(load(&db).placements, before.placements);
}

#[test]
fn accepting_a_suggested_round_stores_every_proposal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = load(&db);
    let mut h = harness(&db);
    h.get_by_label("Foreslå runde").click();
    let mut waited = 0;
    while h.query_by_label("Acceptér alle").is_none() {
        assert!(waited < 600, "the round never finished");
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.step();
        waited += 1;
    }
    h.run_ok();
    let proposals = h.state().queue_proposals();
    assert!(!proposals.is_empty(), "the demo round proposes placements");
    h.get_by_label("Acceptér alle").click();
    h.run_ok();

    let after = load(&db);
    assert_eq!(after.placements.len(), before.placements.len() + proposals.len());
    for (trainee_id, practice_id) in proposals {
        assert_eq!(after.placement_of(&trainee_id).map(|p| p.practice_id.clone()), Some(practice_id));
    }
    assert!(h.query_by_label("Acceptér alle").is_none(), "the proposals are closed after acceptance");
}

/// Replaces the text of a labelled single-line field.
fn set_text(h: &mut Harness<'_, App>, label: &str, text: &str) {
    let field = h.get_by_role_and_label(Role::TextInput, label);
    field.focus();
    h.run_ok();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(Role::TextInput, label).type_text(text);
    h.run_ok();
}

#[test]
fn a_finance_period_shows_the_same_totals_as_the_engine_on_the_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let mut h = harness(&db);
    h.get_by_label("Økonomi").click();
    h.run_ok();
    set_text(&mut h, "Fra måned (åååå-mm)", "2025-01");
    set_text(&mut h, "Til måned (åååå-mm)", "2025-06");
    h.remove_cursor();
    h.run_ok();

    let data = load(&db);
    let from = YearMonth::parse("2025-01").expect("month");
    let to = YearMonth::parse("2025-06").expect("month");
    let totals = summarize(&finance_lines(&data, from, to, None)).totals;
    assert!(totals.basis.0 > 0, "the demo has salaries in the period");
    h.get_by_label("Regionen i alt:");
    h.get_by_label_contains(&totals.basis.to_danish_kr());
    h.get_by_label_contains(&totals.practice_share.to_danish_kr());
    assert_eq!(h.state().finance.totals(), Some(&totals));
    assert_eq!(load(&db), data, "looking at money writes nothing");
}

#[test]
fn the_finance_tab_gives_one_notice_for_days_without_a_salary_and_holds_only_the_selected_practices_lines() {
    use tutorfordeling::domain::command::Command;
    use tutorfordeling::domain::model::SalaryStep;
    use tutorfordeling::domain::money::Money;
    use tutorfordeling::ui::state::Selection;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    // The laege1 scale starts on 1 March 2026: the KBU, intro and phase-1 lines before that
    // carry no salary.
    {
        let mut store = Store::open(&db).expect("open");
        let data = store.load().expect("load");
        let mut s = data.settings.clone();
        s.salary_scale.retain(|r| r.step != "laege1");
        s.salary_scale.push(SalaryStep {
            step: "laege1".into(),
            valid_from: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"),
            monthly: Money::from_dkk(35_788),
            source: "test".into(),
        });
        store.execute(&Command::set_settings(&data, s)).expect("settings");
    }
    let mut h = harness(&db);
    h.get_by_label("Økonomi").click();
    h.run_ok();
    // The whole of 2026 (the demo's today is in 2026): one notice, one line for laege1.
    let run = h.state().finance.run().expect("computed").clone();
    assert_eq!(run.gaps.len(), 1, "{:?}", run.gaps);
    assert!(run.gaps[0].lines > 0);
    h.get_by_label_contains("lønskalaen for laege1 begynder 01-03-2026");
    h.get_by_label_contains("Tilføj tidligere satser under");
    assert!(h.state().finance.held_lines().is_empty(), "no practice selected: no lines held");
    // Selecting a practice holds its lines, and only its.
    let data = load(&db);
    let from = YearMonth::parse("2026-01").expect("month");
    let to = YearMonth::parse("2026-12").expect("month");
    let practice = run.summary.per_practice.keys().next().expect("a practice with lines").clone();
    h.state_mut().state.selection = Selection::Practice(practice.clone());
    h.run_ok();
    let held = h.state().finance.held_lines().to_vec();
    assert_eq!(held, finance_lines(&data, from, to, Some(&practice)));
    assert!(!held.is_empty() && held.iter().all(|l| l.practice_id == practice));
    h.get_by_label_contains(&format!("({practice}): {} linjer", held.len()));

    // HR adds the missing row in the desk, from a date: the notice goes, the file has the row.
    h.get_by_label("Lønskala og pension").click();
    h.run_ok();
    set_text(&mut h, "Sats (salary.<trin> eller pension)", "salary.laege1");
    set_text(&mut h, "Gælder fra (åååå-mm-dd)", "2026-01-01");
    set_text(&mut h, "Beløb eller procent", "35000");
    set_text(&mut h, "Kilde", "lønaftale (test)");
    h.get_by_label("Tilføj sats").click();
    h.run_ok();
    assert!(h.state().state.error.is_none(), "{:?}", h.state().state.error);
    let scale = load(&db).settings.salary_scale;
    let row = scale
        .iter()
        .find(|r| r.step == "laege1" && r.valid_from == chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"))
        .expect("the new row");
    assert_eq!((row.monthly, row.source.as_str()), (Money::from_dkk(35_000), "lønaftale (test)"));
    assert!(h.state().finance.run().expect("computed").gaps.is_empty(), "the notice is gone");
    assert!(h.query_by_label_contains("lønskalaen for laege1 begynder").is_none());
}

#[test]
fn switching_the_language_relabels_the_window_and_leaves_the_database_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = load(&db);
    let audit_before = Store::open(&db).expect("open").audit_log(1000).expect("audit").len();
    let mut h = harness(&db);
    h.get_by_label("Kort");
    h.get_by_label("Vis").click();
    h.run_ok();
    h.get_by_label("English").click();
    h.run_ok();
    h.get_by_label("Map");
    h.get_by_label("Practices");
    h.get_by_label("Suggest round");
    assert!(h.query_by_label("Kort").is_none());
    h.get_by_label("View").click();
    h.run_ok();
    h.get_by_label("Dansk").click();
    h.run_ok();
    h.get_by_label("Kort");
    assert_eq!(h.state().state.tab, Tab::Map);
    assert_eq!(load(&db), before);
    assert_eq!(Store::open(&db).expect("open").audit_log(1000).expect("audit").len(), audit_before);
}

#[test]
fn a_boundary_file_without_the_regions_municipalities_is_refused_with_a_reason_and_stores_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let file = dir.path().join("copenhagen.geojson");
    std::fs::write(
        &file,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"lau_1":"101"},
            "geometry":{"type":"Polygon","coordinates":[[[12.5,55.6],[12.6,55.6],[12.6,55.7],[12.5,55.6]]]}}]}"#,
    )
    .expect("write");
    let mut app = App::with_path_on(&db, demo_round_date());
    tutorfordeling::ui::app::import_boundaries(&mut app.state, &file);
    let error = app.state.error.clone().expect("refused");
    assert!(error.contains("Region Midtjylland"), "{error}");
    std::fs::write(&file, "not json").expect("write");
    tutorfordeling::ui::app::import_boundaries(&mut app.state, &file);
    let error = app.state.error.clone().expect("refused");
    assert!(error.contains("GeoJSON"), "{error}");
    assert!(Store::open(&db).expect("open").boundaries().expect("rings").is_empty());
}

/// Writes a lock row as another running program would (the reliability tests do the same).
fn plant_lock(db: &Path, host: &str, pid: u32) {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.execute(
        "INSERT OR REPLACE INTO instance_lock(id, host, boot_id, os_user, pid, proc_start, started)
         VALUES (1, ?1, '', 'kirsten', ?2, NULL, '2026-11-02T08:15:00')",
        rusqlite::params![host, pid],
    )
    .expect("plant lock");
}

#[cfg(unix)]
#[test]
fn a_file_held_by_another_instance_opens_read_only_on_request_and_refuses_a_drop() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    // The test runner that started this process is alive, on this host.
    let holder = std::os::unix::process::parent_id();
    plant_lock(&db, &tutorfordeling::store::lock::host_name(), holder);
    let before = load(&db);
    let mut h = harness(&db);

    // The dialog names who holds the file; nothing is open behind it yet.
    h.get_by_label("Filen er i brug");
    h.get_by_label_contains(&format!("kirsten på {}", tutorfordeling::store::lock::host_name()));
    h.get_by_label_contains(&format!("proces {holder}, siden 02-11-2026 08:15"));
    assert!(h.state().state.store.is_none());
    h.get_by_label("Åbn skrivebeskyttet").click();
    h.run_ok();
    assert!(h.state().state.is_read_only());
    h.get_by_label("Skrivebeskyttet: ændringer kan ikke gemmes");
    assert!(h.query_by_label("Filen er i brug").is_none());

    // A drop on a practice where the trainee may go is refused with a clear message.
    let t = first_in_queue(&before);
    let (_, target) = practice_on_map(&h, &before, &t, true);
    let from = queue_row(&h, &t.name);
    drag(&mut h, from, target);
    let error = h.state().state.error.clone().expect("refused");
    assert!(error.contains("skrivebeskyttet"), "{error}");
    h.get_by_label_contains("Filen er åbnet skrivebeskyttet");
    assert_eq!(load(&db), before, "nothing was written");
    let lock = Store::open(&db).expect("open").lock_holder().expect("lock").expect("still held");
    assert_eq!(lock.pid, holder, "the other program keeps its lock");
}

#[test]
fn taking_over_a_held_file_gives_this_program_the_lock_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    plant_lock(&db, "pc-ved-siden-af", 4242);
    let mut h = harness(&db);
    h.get_by_label_contains("kirsten på pc-ved-siden-af");
    h.get_by_label("Overtag").click();
    h.run_ok();
    assert!(!h.state().state.is_read_only());
    let lock = Store::open(&db).expect("open").lock_holder().expect("lock").expect("held");
    assert_eq!(lock.pid, std::process::id());
    // The banner says whose lock was taken, and closes.
    h.get_by_label_contains("Du overtog filen fra kirsten");
    h.get_by_label("Luk").click();
    h.run_ok();
    assert!(h.query_by_label_contains("Du overtog filen").is_none());
}

#[test]
fn restoring_a_backup_from_the_file_menu_brings_back_its_data_after_a_confirmation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = load(&db);
    // Opening makes the first backup; a script then places a trainee behind the program's back.
    let mut h = harness(&db);
    let backups = tutorfordeling::store::list_backups(&db).expect("backups");
    assert_eq!(backups.len(), 1, "one backup on open");
    {
        let mut script = Store::open(&db).expect("open");
        let data = script.load().expect("load");
        let t = first_in_queue(&data);
        let rules = RuleContext::new(&data);
        let p = data.practices.iter().find(|p| rules.check(&t, p, t.period(), None).is_empty()).expect("feasible");
        let placement = tutorfordeling::domain::model::Placement {
            trainee_id: t.id.clone(),
            practice_id: p.id.clone(),
            start: t.start,
            end: t.end,
            pinned: false,
            overrides: Vec::new(),
            reason: None,
        };
        script.execute(&tutorfordeling::domain::command::Command::Place { placement }).expect("place");
    }
    assert_ne!(load(&db).placements, before.placements);

    h.get_by_label("Filer").click();
    h.run_ok();
    h.get_by_label("Gendan fra sikkerhedskopi…").click();
    h.run_ok();
    h.get_by_label(&backups[0].made);
    h.get_by_label(&format!("#{}", backups[0].audit_id));
    h.get_by_label("Gendan").click();
    h.run_ok();
    // Nothing happens before the confirmation.
    h.get_by_label("Gendan denne sikkerhedskopi?");
    assert_ne!(load(&db).placements, before.placements);
    h.get_by_label("Ja, gendan").click();
    h.run_ok();

    assert_eq!(load(&db), before, "the backup's data is back");
    assert_eq!(h.state().state.data, before, "and on screen");
    assert!(h.state().state.error.is_none(), "{:?}", h.state().state.error);
    assert!(h.state().state.status.contains("Gendannet fra"), "{}", h.state().state.status);
    // The version that was replaced is kept as a backup too, and the program holds the file again.
    assert!(tutorfordeling::store::list_backups(&db).expect("backups").len() >= 2);
    let lock = Store::open(&db).expect("open").lock_holder().expect("lock").expect("held");
    assert_eq!(lock.pid, std::process::id());
}

#[test]
fn the_intro_round_from_a_ranking_shows_deadlines_reruns_after_a_decline_and_stores_the_accepted_offers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = load(&db);
    let rules = RuleContext::new(&before);
    let applicants: Vec<Trainee> = before
        .open_trainees()
        .into_iter()
        .filter(|t| t.kind == tutorfordeling::domain::model::TraineeType::Intro)
        .take(3)
        .cloned()
        .collect();
    assert!(!applicants.is_empty(), "the demo has open intro trainees");
    let mut csv = String::from("rank;trainee_id;priorities\n");
    for (i, t) in applicants.iter().enumerate() {
        let wishes: Vec<&str> = before
            .practices
            .iter()
            .filter(|p| rules.check(t, p, t.period(), Some(&t.id)).is_empty())
            .take(3)
            .map(|p| p.id.as_str())
            .collect();
        csv.push_str(&format!("{};{};{}\n", i + 1, t.id, wishes.join("|")));
    }
    let ranking = dir.path().join("ranking.csv");
    std::fs::write(&ranking, csv).expect("write ranking");

    let mut h = harness(&db);
    h.get_by_label("Introrunde fra rangliste…");
    h.state_mut().open_intro_ranking(&ranking);
    h.run_ok();
    assert!(h.state().state.error.is_none(), "{:?}", h.state().state.error);
    h.get_by_label("Introrunde");
    let first = h.state().queue.intro_assignments();
    assert!(!first.is_empty(), "the round makes offers");
    // The answer deadline is five working days after today, in Danish dates.
    let deadline = tutorfordeling::domain::holidays::add_working_days(
        demo_round_date(),
        tutorfordeling::domain::intro::ANSWER_WORKING_DAYS,
    );
    assert!(h.get_all_by_label(&tutorfordeling::ui::i18n::date(deadline)).count() >= first.len());

    // The first applicant declines: the round runs again without that offer.
    h.get_all_by_label("Afslået").next().expect("a decline button").click();
    h.run_ok();
    let second = h.state().queue.intro_assignments();
    assert!(!second.contains(&first[0]), "the declined offer is not made again: {second:?}");
    assert_eq!(load(&db), before, "nothing is stored before acceptance");

    h.get_by_label("Acceptér").click();
    h.run_ok();
    let after = load(&db);
    assert_eq!(after.placements.len(), before.placements.len() + second.len());
    for (trainee_id, practice_id) in &second {
        let t = before.trainee(trainee_id).expect("trainee");
        let placed = after.placement_of(trainee_id).expect("placed");
        assert_eq!((&placed.practice_id, placed.start, placed.end), (practice_id, t.start, t.end));
    }
    assert!(h.query_by_label("Introrunde").is_none(), "the window closes after acceptance");
}

#[test]
fn a_damaged_file_offers_its_newest_good_backup_and_opens_it_restored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let good = {
        let store = Store::open(&db).expect("open");
        store.backup_now(10).expect("backup");
        store.load().expect("load")
    };
    damage(&db);

    let mut h = harness(&db);
    h.get_by_label("Filen er beskadiget");
    assert!(h.state().state.store.is_none());
    h.get_by_label("Gendan nyeste gode sikkerhedskopi").click();
    h.run_ok();
    assert!(h.state().state.error.is_none(), "{:?}", h.state().state.error);
    assert!(h.query_by_label("Filen er beskadiget").is_none());
    assert_eq!(h.state().state.data, good, "the restored data is on screen");
    assert_eq!(load(&db), good);
    assert!(h.state().state.status.contains("den beskadigede fil er flyttet til"), "{}", h.state().state.status);
}

#[test]
fn the_desk_showed_a_stale_copy_and_wrote_it_back_now_it_shows_a_scripts_change_within_a_poll_and_refuses_the_stale_save()
 {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = load(&db);
    let practice = before.practices[0].clone();
    assert!(!practice.large);
    let mut h = harness(&db);
    h.state_mut().state.tab = Tab::Practices;
    h.state_mut().state.selection = tutorfordeling::ui::state::Selection::Practice(practice.id.clone());
    h.run_ok();
    h.get_by_label(&format!("{} ({})", practice.name, practice.id));
    // The coordinator ticks "Stor praksis" but has not saved yet.
    h.get_by_label("Stor praksis (H6-dispensation)").click();
    h.run_ok();

    // A script changes the practice's name and tutors meanwhile.
    let mut script = Store::open(&db).expect("open").acting_as_for_tests("hr-script");
    let changes = tutorfordeling::ops::PracticeChanges {
        name: Some("Navn fra scriptet".into()),
        tutors: Some(practice.tutors + 1),
        ..Default::default()
    };
    tutorfordeling::ops::edit_practice(&mut script, &practice.id, &changes).expect("script");
    // A trainee placed from the command line leaves the queue.
    let t = first_in_queue(&before);
    let rules = RuleContext::new(&before);
    let feasible =
        before.practices.iter().find(|p| rules.check(&t, p, t.period(), None).is_empty()).expect("feasible").id.clone();
    tutorfordeling::ops::place(&mut script, &t.id, &feasible, None, None, vec![], None).expect("place");

    // One poll later the desk shows both.
    h.state_mut().state.poll_every = std::time::Duration::ZERO;
    h.run_ok();
    h.get_by_label(&format!("Navn fra scriptet ({})", practice.id));
    assert!(h.state().state.data.placement_of(&t.id).is_some(), "the desk's data has the script's placement");
    assert!(h.query_by_label(&t.name).is_none(), "the placed trainee left the queue");

    // Saving the stale edit is refused: the script's change stands, and the desk says who.
    h.get_by_label("Gem praksis").click();
    h.run_ok();
    let now = load(&db);
    let p = now.practice(&practice.id).expect("practice");
    assert_eq!((p.name.as_str(), p.tutors, p.large), ("Navn fra scriptet", practice.tutors + 1, false));
    let error = h.state().state.error.clone().unwrap_or_default();
    assert!(error.contains("hr-script") && error.contains("Ikke gemt"), "{error}");
}
