//! The coordinator's desktop, driven through egui_kittest by widget labels (AccessKit), with the
//! database checked afterwards through `Store::open`.

use std::path::Path;

use egui::accesskit::Role;
use egui::{Key, Modifiers, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use tutorfordeling::demo::demo_round_date;
use tutorfordeling::domain::dates::YearMonth;
use tutorfordeling::domain::finance::{finance_lines, summarize};
use tutorfordeling::domain::model::{Dataset, Rule, Trainee};
use tutorfordeling::domain::rules::RuleContext;
use tutorfordeling::store::Store;
use tutorfordeling::ui::App;
use tutorfordeling::ui::state::Tab;

mod util;
use util::damage;

fn queue_row(h: &Harness<'_, App>, name: &str) -> Pos2 {
    h.get_all_by_label(name).next().expect("the trainee in the queue").rect().center()
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
    h.get_by_label_contains(&format!("proces {holder}, siden 2. nov. 2026 kl. 08.15"));
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
    h.get_by_label(&tutorfordeling::report::format::Lang::Danish.time(&backups[0].made));
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

/// Types into the field labelled `label` (a TextEdit found through its label).
fn type_into(h: &mut Harness<'_, App>, label: &str, text: &str) {
    h.get_by_label(label).click();
    h.run_ok();
    h.get_by_label(label).type_text(text);
    h.run_ok();
}

#[test]
fn the_desks_pause_add_remove_and_pin_were_tested_nowhere_now_they_reach_the_file_and_undo() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = load(&db);
    let practice = before.practices[1].clone();
    let mut h = harness(&db);
    h.state_mut().state.tab = Tab::Practices;
    h.state_mut().state.selection = tutorfordeling::ui::state::Selection::Practice(practice.id.clone());
    h.run_ok();
    type_into(&mut h, "Fra (dd-mm-åååå)", "01-03-2027");
    type_into(&mut h, "Til (dd-mm-åååå)", "31-03-2027");
    h.get_by_label("Tilføj pause/ønske").click();
    h.run_ok();
    let pauses = |db: &Path| load(db).pauses.into_iter().filter(|p| p.practice_id == practice.id).count();
    let n = before.pauses.iter().filter(|p| p.practice_id == practice.id).count();
    assert_eq!(pauses(&db), n + 1, "{:?}", h.state().state.error);
    assert!(h.query_all_by_label_contains("01-03-2027").count() >= 1, "the desk lists the new pause");
    let entry = &Store::open(&db).expect("open").audit_log(1).expect("log")[0];
    assert_eq!(entry.action, "add_pause");
    assert_eq!(entry.os_user, tutorfordeling::store::os_user());

    // Remove it again from the list.
    let removes = h.query_all_by_label("Fjern").count();
    assert!(removes >= 1);
    h.query_all_by_label("Fjern").last().expect("a Fjern button").click();
    h.run_ok();
    assert_eq!(pauses(&db), n);

    // Pin a placed trainee from the inspector, then undo it.
    let t = first_in_queue(&before);
    let rules = RuleContext::new(&before);
    let feasible =
        before.practices.iter().find(|p| rules.check(&t, p, t.period(), None).is_empty()).expect("feasible").id.clone();
    h.state_mut().state.drop_trainee(&t.id, &feasible);
    h.run_ok();
    let placed = load(&db).placement_of(&t.id).expect("placed by the drop").clone();
    assert!(!placed.pinned);
    h.state_mut().state.selection = tutorfordeling::ui::state::Selection::Trainee(placed.trainee_id.clone());
    h.run_ok();
    h.get_by_label("Fastlåst (røres ikke af forslag)").click();
    h.run_ok();
    assert!(load(&db).placement_of(&placed.trainee_id).expect("placed").pinned);
    h.state_mut().state.undo();
    h.run_ok();
    assert!(!load(&db).placement_of(&placed.trainee_id).expect("placed").pinned, "undone");
    assert!(!h.state().state.data.placement_of(&placed.trainee_id).expect("placed").pinned, "the desk follows");
}

fn wait_for_round(h: &mut Harness<'_, App>) {
    let mut waited = 0;
    while h.query_by_label("Acceptér alle").is_none() {
        assert!(waited < 600, "the round never finished");
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.step();
        waited += 1;
    }
    h.run_ok();
}

#[test]
fn the_round_proposed_for_the_whole_region_now_my_area_scopes_the_queue_and_the_round() {
    use tutorfordeling::domain::area::in_area;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = load(&db);
    let unit = "Hospitalsenhed Horsens".to_string();
    let mine: Vec<&Trainee> =
        before.open_trainees().into_iter().filter(|t| in_area(&before, t, std::slice::from_ref(&unit))).collect();
    let others: Vec<&Trainee> =
        before.open_trainees().into_iter().filter(|t| !in_area(&before, t, std::slice::from_ref(&unit))).collect();
    assert!(!mine.is_empty() && !others.is_empty(), "the demo has open trainees in and out of the area");
    let mut h = harness(&db);
    h.get_by_label("Mit område").click();
    h.run_ok();
    h.get_by_label(&unit).click();
    h.run_ok();
    assert_eq!(h.state().state.area.as_deref(), Some(unit.as_str()));
    h.get_by_label_contains(&format!("{} i køen", mine.len()));
    assert!(h.query_by_label(&others[0].name).is_none(), "a trainee of another area is not in the queue");
    h.get_by_label("Foreslå runde").click();
    wait_for_round(&mut h);
    let proposals = h.state().queue_proposals();
    assert!(!proposals.is_empty());
    h.get_by_label("Acceptér alle").click();
    h.run_ok();
    let after = load(&db);
    let new: Vec<&str> = after
        .placements
        .iter()
        .filter(|p| before.placement_of(&p.trainee_id).is_none())
        .map(|p| p.trainee_id.as_str())
        .collect();
    assert_eq!(new.len(), proposals.len());
    for t in new {
        let t = after.trainee(t).expect("trainee");
        assert!(in_area(&after, t, std::slice::from_ref(&unit)), "{} is outside the area", t.id);
    }
}

#[test]
fn a_click_on_a_queue_name_did_nothing_now_it_selects_and_the_ranked_list_places_with_changed_dates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = load(&db);
    let t = first_in_queue(&before);
    let mut h = harness(&db);
    h.get_by_label(&t.name).click();
    h.run_ok();
    assert_eq!(h.state().state.selection, tutorfordeling::ui::state::Selection::Trainee(t.id.clone()));
    h.get_by_label("Placér uden at trække");
    // The first "Placér…" is the best feasible practice.
    let best = tutorfordeling::ops::candidates(&before, &t.id, &[], demo_round_date()).expect("candidates");
    assert!(best[0].feasible);
    h.query_all_by_label("Placér…").next().expect("a Placér… button").click();
    h.run_ok();
    let end = t.end.pred_opt().expect("a day earlier");
    set_text(&mut h, "Til dato (dd-mm-åååå)", &end.format("%d-%m-%Y").to_string());
    h.get_by_label("Ingen hårde regler brydes");
    h.get_by_role_and_label(Role::Button, "Placér").click();
    h.run_ok();
    let p = load(&db).placement_of(&t.id).cloned().expect("placed from the list");
    assert_eq!((p.practice_id.as_str(), p.start, p.end), (best[0].practice_id.as_str(), t.start, end));
}

#[test]
fn the_desk_had_no_audit_trail_now_the_log_view_filters_to_one_trainee() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = load(&db);
    let open = before.open_trainees();
    let rules = RuleContext::new(&before);
    let mut store = Store::open(&db).expect("open").acting_as_for_tests("hr-script");
    let mut placed = Vec::new();
    for t in open.iter().take(6) {
        if let Some(p) = before.practices.iter().find(|p| rules.check(t, p, t.period(), None).is_empty())
            && tutorfordeling::ops::place(&mut store, &t.id, &p.id, None, None, vec![], None).is_ok()
        {
            placed.push(t.id.clone());
        }
    }
    assert!(placed.len() >= 2);
    let mut h = harness(&db);
    h.get_by_label("Redigér").click();
    h.run_ok();
    h.get_by_label("Log (hvem, hvornår, hvad og hvorfor)…").click();
    h.run_ok();
    set_text(&mut h, "Uddannelseslæge (id)", &placed[0]);
    h.get_by_label("1 poster");
    h.get_by_label_contains(&format!("placér {} hos", placed[0]));
    assert!(h.query_by_label_contains(&format!("placér {} hos", placed[1])).is_none());
    h.get_by_label("hr-script");
}

#[test]
fn trainees_could_only_be_imported_now_the_desk_creates_and_edits_them_and_refuses_an_edit_that_breaks_a_rule() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let mut h = harness(&db);
    h.get_by_label("Redigér").click();
    h.run_ok();
    h.get_by_label("Ny uddannelseslæge…").click();
    h.run_ok();
    set_text(&mut h, "Id", "NY-1");
    set_text(&mut h, "Navn", "Ny Kollega");
    set_text(&mut h, "Fra (dd-mm-åååå)", "01-08-2027");
    set_text(&mut h, "Til (dd-mm-åååå)", "31-01-2028");
    h.get_by_label("Kommune").click();
    h.run_ok();
    h.get_by_label("Horsens").click();
    h.run_ok();
    h.get_by_label("Hospitalsenhed").click();
    h.run_ok();
    h.get_by_label("Hospitalsenhed Horsens").click();
    h.run_ok();
    h.get_by_label("Gem").click();
    h.run_ok();
    let data = load(&db);
    let t = data.trainee("NY-1").cloned().unwrap_or_else(|| panic!("created: {:?}", h.state().state.error));
    assert_eq!((t.name.as_str(), t.municipality.as_deref()), ("Ny Kollega", Some("Horsens")));

    // Place the new trainee, then try to make the practice their own GP (H1): refused.
    let rules = RuleContext::new(&data);
    let p = data.practices.iter().find(|p| rules.check(&t, p, t.period(), None).is_empty()).expect("feasible").clone();
    h.state_mut().state.drop_trainee("NY-1", &p.id);
    h.run_ok();
    assert!(load(&db).placement_of("NY-1").is_some());
    h.state_mut().state.selection = tutorfordeling::ui::state::Selection::Trainee("NY-1".into());
    h.run_ok();
    h.get_by_label("Redigér uddannelseslæge").click();
    h.run_ok();
    set_text(&mut h, "Egen læge (praksis-id)", &p.id);
    h.get_by_label("Gem").click();
    h.run_ok();
    let error = h.state().state.error.clone().unwrap_or_default();
    assert!(error.contains("H1"), "{error}");
    assert_eq!(load(&db).trainee("NY-1").and_then(|t| t.own_gp.clone()), None, "nothing was saved");
    // A plain edit is saved.
    h.state_mut().state.error = None;
    h.get_by_role_and_label(Role::TextInput, "Egen læge (praksis-id)").focus();
    h.run_ok();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.key_press(Key::Backspace);
    h.run_ok();
    set_text(&mut h, "Navn", "Ny Kollega Hansen");
    h.get_by_label("Gem").click();
    h.run_ok();
    assert_eq!(load(&db).trainee("NY-1").map(|t| t.name.clone()).as_deref(), Some("Ny Kollega Hansen"));
}

// ---------------------------------------------------------------------------------------------
// The Fordeling tab's review (issue 12). The desk's "today" is `demo_round_date()` (1 Dec 2026),
// so its default period is the 5 lookback years to December 2026.

use tutorfordeling::domain::dates::Period;
use tutorfordeling::domain::fairness::{FairnessReview, FlagKind, fairness_review};
use tutorfordeling::report::fairness::{flag_name, flag_reason};
use tutorfordeling::report::format::Lang;
mod gui_util;
use gui_util::{demo_db, drag, first_in_queue, harness, load, practice_on_map, set_text};

fn default_review(data: &Dataset) -> FairnessReview {
    let period =
        Period::of_months(YearMonth::parse("2021-01").expect("month"), YearMonth::parse("2026-12").expect("month"));
    fairness_review(data, period, demo_round_date())
}

fn ids(
    review: &FairnessReview,
    keep: impl Fn(&tutorfordeling::domain::fairness::PracticeFairness) -> bool,
) -> Vec<String> {
    review.practices.iter().filter(|p| keep(p)).map(|p| p.practice_id.clone()).collect()
}

/// Opens the combo box labelled `combo` and picks `choice`.
fn choose(h: &mut Harness<'_, App>, combo: &str, choice: &str) {
    h.get_by_role_and_label(Role::ComboBox, combo).click();
    h.run_ok();
    h.get_by_label(choice).click();
    h.run_ok();
}

#[test]
fn the_review_table_sorts_by_load_filters_by_flag_and_opens_a_flagged_practice_with_its_reasons() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let data = load(&db);
    let review = default_review(&data);
    let mut h = harness(&db);
    h.get_by_label("Fordeling").click();
    h.run_ok();
    assert_eq!(h.state().fairness.review().map(|r| (r.from, r.to)), Some((review.from, review.to)));
    h.get_by_label(&format!("Viser {n} af {n} praksisser", n = data.practices.len()));

    // Largest load per tutor first, ties by id; the first row is drawn above the second.
    h.get_by_role_and_label(Role::Button, "Mdr./tutor").click();
    h.run_ok();
    let mut by_load = review.practices.clone();
    by_load.sort_by(|a, b| b.months_per_tutor.total_cmp(&a.months_per_tutor).then(a.practice_id.cmp(&b.practice_id)));
    let want: Vec<String> = by_load.iter().map(|p| p.practice_id.clone()).collect();
    assert_eq!(h.state().fairness.shown(), want.as_slice());
    let y = |h: &Harness<'_, App>, id: &str| h.get_by_label(id).rect().center().y;
    assert!(y(&h, &want[0]) < y(&h, &want[1]));
    // A second click: smallest first.
    h.get_by_role_and_label(Role::Button, "Mdr./tutor ▼").click();
    h.run_ok();
    by_load.sort_by(|a, b| a.months_per_tutor.total_cmp(&b.months_per_tutor).then(a.practice_id.cmp(&b.practice_id)));
    let want: Vec<String> = by_load.iter().map(|p| p.practice_id.clone()).collect();
    assert_eq!(h.state().fairness.shown(), want.as_slice());

    // Only the practices that run on trainees (P6), still smallest load first.
    let p6 = ids(&review, |p| p.has(FlagKind::RunsOnTrainees));
    assert!(!p6.is_empty(), "the demo has practices that run on trainees");
    choose(&mut h, "Markering", flag_name(FlagKind::RunsOnTrainees, Lang::Danish));
    let shown = h.state().fairness.shown().to_vec();
    let mut sorted = shown.clone();
    sorted.sort();
    assert_eq!(sorted, p6);
    assert_eq!(shown, want.iter().filter(|id| p6.contains(id)).cloned().collect::<Vec<_>>());
    h.get_by_label(&format!("Viser {} af {} praksisser", p6.len(), data.practices.len()));
    assert!(h.query_by_label(&want.iter().find(|id| !p6.contains(id)).expect("an unflagged one").clone()).is_none());

    // Open the first: its heading, why it is flagged (with its figures) and the way to the map.
    let id = shown[0].clone();
    let line = review.practices.iter().find(|p| p.practice_id == id).expect("line").clone();
    h.get_by_label(&id).click();
    h.run_ok();
    assert_eq!(h.state().fairness.selected(), Some(id.as_str()));
    h.get_by_label(&format!("{} ({})", line.name, id));
    h.get_by_label("Hvorfor markeret");
    for flag in &line.flags {
        h.get_by_label(&flag_reason(flag, Lang::Danish));
    }
    h.get_by_label_contains("regionens median");
    h.get_all_by_label("Vis på kortet").next().expect("the button").click();
    h.run_ok();
    assert_eq!(h.state().state.tab, Tab::Map);
    // The map took the focus request and shows the practice selected.
    assert_eq!(h.state().state.selection, tutorfordeling::ui::state::Selection::Practice(id.clone()));
    h.get_by_label("← Tilbage til Fordeling").click();
    h.run_ok();
    assert_eq!(h.state().state.tab, Tab::Fairness);
    h.get_by_label(&format!("{} ({})", line.name, id));
    assert!(h.query_by_label("← Tilbage til Fordeling").is_none());
    assert_eq!(load(&db), data, "reviewing writes nothing");
}

#[test]
fn in_english_the_review_filters_by_area_district_and_threatened_with_no_danish_labels() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let data = load(&db);
    let review = default_review(&data);
    let mut h = harness(&db);
    h.get_by_label("Vis").click();
    h.run_ok();
    h.get_by_label("English").click();
    h.run_ok();
    h.get_by_label("Fairness").click();
    h.run_ok();
    h.get_by_label(&format!("Showing {n} of {n} practices", n = data.practices.len()));
    h.get_by_role_and_label(Role::Button, "Months/tutor");
    for danish in ["Mdr./tutor", "Markeringer", "Fordeling", "Gennemgang", "Søg", "Område", "Kommune"] {
        assert!(h.query_by_label(danish).is_none(), "{danish} in English");
    }
    h.get_by_label_contains("Flagged of");

    // Area, then district (the area's), then threatened.
    let unit = "Regionshospitalet Gødstrup";
    choose(&mut h, "Area", unit);
    let mut shown = h.state().fairness.shown().to_vec();
    shown.sort();
    assert_eq!(shown, ids(&review, |p| p.hospital_unit.as_deref() == Some(unit)));
    choose(&mut h, "District", "West");
    choose(&mut h, "Threatened (P5)", "yes");
    let mut shown = h.state().fairness.shown().to_vec();
    shown.sort();
    let want = ids(&review, |p| p.hospital_unit.as_deref() == Some(unit) && p.threatened);
    assert!(!want.is_empty(), "Gødstrup's catchment holds threatened municipalities");
    assert_eq!(shown, want);
    choose(&mut h, "Threatened (P5)", "no");
    let mut shown = h.state().fairness.shown().to_vec();
    shown.sort();
    assert_eq!(shown, ids(&review, |p| p.hospital_unit.as_deref() == Some(unit) && !p.threatened));

    // The plots and the years, in English.
    h.get_by_label("Plots").click();
    h.run_ok();
    h.get_by_label("Months per tutor (P1)");
    h.get_by_label("Type mix in the region (P2)");
    h.get_by_label("Over time").click();
    h.run_ok();
    h.get_by_label("Compare two periods");
    h.get_by_label("Period A");
}

#[test]
fn the_practice_list_filters_on_p6_and_idle_from_the_review() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let review = default_review(&load(&db));
    let mut h = harness(&db);
    h.get_by_label("Praksisser").click();
    h.run_ok();
    for (choice, kind) in
        [("drives af uddannelseslæger (P6)", FlagKind::RunsOnTrainees), ("ingen i lang tid", FlagKind::Idle)]
    {
        choose(&mut h, "Markering", choice);
        let flagged = ids(&review, |p| p.has(kind));
        assert!(!flagged.is_empty(), "{choice}: the demo has some");
        for id in &flagged {
            h.get_by_label(id);
        }
        let other = review.practices.iter().find(|p| p.flags.is_empty()).expect("an unflagged practice");
        assert!(h.query_by_label(&other.practice_id).is_none(), "{choice}: {} is not flagged", other.practice_id);
    }
}

#[test]
fn the_print_button_writes_the_review_as_a_private_pdf_naming_the_flagged() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let review = default_review(&load(&db));
    let mut h = harness(&db);
    h.get_by_label("Fordeling").click();
    h.run_ok();
    h.get_by_label("Udskriv rapport (PDF)…");
    // The button opens a native dialog; the panel's write is what it calls with the chosen path.
    let pdf = dir.path().join("fordeling.pdf");
    let app = h.state_mut();
    assert!(app.fairness.write_report(&mut app.state, &pdf));
    assert_eq!(std::fs::metadata(&pdf).expect("pdf").permissions().mode() & 0o777, 0o600);
    let text =
        std::process::Command::new("pdftotext").args([pdf.to_str().expect("p"), "-"]).output().expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    for p in review.flagged() {
        assert!(text.contains(&p.practice_id), "{} missing", p.practice_id);
    }
}

#[test]
fn a_click_on_a_practice_rows_id_or_name_did_nothing_now_it_selects_the_practice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let data = load(&db);
    let (a, b) = (data.practices[2].clone(), data.practices[3].clone());
    let mut h = harness(&db);
    h.get_by_label("Praksisser").click();
    h.run_ok();
    h.get_by_label(&a.name).click();
    h.run_ok();
    assert_eq!(h.state().state.selection, tutorfordeling::ui::state::Selection::Practice(a.id.clone()));
    h.get_by_label(&b.id).click();
    h.run_ok();
    assert_eq!(h.state().state.selection, tutorfordeling::ui::state::Selection::Practice(b.id.clone()));
}

#[test]
fn an_override_did_not_say_who_made_it_now_the_trainees_details_name_the_user() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let data = load(&db);
    let t = first_in_queue(&data);
    let rules = RuleContext::new(&data);
    let (p, broken) = data
        .practices
        .iter()
        .find_map(|p| {
            let v = rules.check(&t, p, t.period(), None);
            (!v.is_empty() && v.iter().all(|v| v.rule.may_be_overridden())).then(|| (p.id.clone(), v))
        })
        .expect("an overridable practice");
    let mut store = Store::open(&db).expect("open").acting_as_for_tests("pkl-aarhus");
    let overrides: Vec<Rule> = broken.iter().map(|v| v.rule).collect();
    tutorfordeling::ops::place(&mut store, &t.id, &p, None, None, overrides, Some("aftalt".into())).expect("place");
    let mut h = harness(&db);
    h.state_mut().state.selection = tutorfordeling::ui::state::Selection::Trainee(t.id.clone());
    h.run_ok();
    h.get_by_label_contains("Tilsidesat af pkl-aarhus");
}
