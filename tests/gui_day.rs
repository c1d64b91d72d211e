//! Issue 11, the rest of a coordinator's day, driven through egui_kittest by widget labels and
//! checked on the database afterwards: the ranked list by keyboard and its infeasible rows, a drop
//! with Shift that asks for the dates, a placement's new dates (live check, override with a
//! reason), removal with a reason, overrides in both details, the trainee form's ties, the log's
//! period and user filters with undo and the data-subject export, and the fairness table
//! following my area. (Area → queue and round, the list with changed dates, the log by trainee
//! and the trainee form with an H1 refusal are in tests/gui_app.rs.)

use std::path::Path;

use chrono::{Days, NaiveDate};
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use tutorfordeling::demo::demo_round_date;
use tutorfordeling::domain::model::{Dataset, Pause, Placement, Rule, Trainee};
use tutorfordeling::domain::rules::RuleContext;
use tutorfordeling::store::Store;
use tutorfordeling::ui::App;
use tutorfordeling::ui::state::{Selection, Tab};
mod gui_util;
use gui_util::{demo_db, drag, first_in_queue, harness, load, set_text};

/// Empties the field labelled `label`.
fn clear(h: &mut Harness<'_, App>, label: &str) {
    h.get_by_role_and_label(Role::TextInput, label).focus();
    h.run_ok();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.key_press(Key::Backspace);
    h.run_ok();
}

fn type_multiline(h: &mut Harness<'_, App>, label: &str, text: &str) {
    h.get_by_role_and_label(Role::MultilineTextInput, label).focus();
    h.run_ok();
    h.get_by_role_and_label(Role::MultilineTextInput, label).type_text(text);
    h.run_ok();
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

fn select(h: &mut Harness<'_, App>, selection: Selection) {
    h.state_mut().state.selection = selection;
    h.run_ok();
}

/// A practice the trainee may go to for their period.
fn feasible_for(data: &Dataset, t: &Trainee) -> String {
    let rules = RuleContext::new(data);
    data.practices
        .iter()
        .find(|p| rules.check(t, p, t.period(), None).is_empty())
        .expect("a feasible practice")
        .id
        .clone()
}

/// Places `t` with this process's user (so the desk may undo it), from `from` to `to`.
fn place_as_me(db: &Path, t: &str, p: &str, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Placement {
    let mut store = Store::open(db).expect("open");
    tutorfordeling::ops::place(&mut store, t, p, from, to, vec![], None).expect("place").placement
}

#[test]
fn the_ranked_list_opens_its_form_from_the_keyboard_and_places_with_changed_dates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = load(&db);
    // A trainee with at least two feasible practices, so the list has a row past the first.
    let (t, ranked) = before
        .open_trainees()
        .into_iter()
        .find_map(|t| {
            let ranked = tutorfordeling::ops::candidates(&before, &t.id, &[], demo_round_date()).ok()?;
            (ranked.iter().filter(|c| c.feasible).count() >= 2).then(|| (t.clone(), ranked))
        })
        .expect("an open trainee with two feasible practices");
    // The second-best feasible practice.
    let feasible: Vec<_> = ranked.iter().filter(|c| c.feasible).collect();
    let target = before.practice(&feasible[1].practice_id).expect("practice").clone();
    let mut h = harness(&db);
    select(&mut h, Selection::Trainee(t.id.clone()));
    // Filter to the practice's id, then Arrow Down to its "Placér…" and Enter.
    set_text(&mut h, "Filtrér listen", &target.id);
    h.key_press(Key::ArrowDown);
    h.run_ok();
    h.key_press(Key::Enter);
    h.run_ok();
    assert_eq!(
        h.state().place.form.as_ref().map(|f| f.practice_id.clone()),
        Some(target.id.clone()),
        "Enter on the row opens the form for it"
    );
    // The reasons of the focused row show under the list (what hover shows a mouse user).
    for b in &feasible[1].because {
        let r = b.text(tutorfordeling::report::format::Lang::Danish);
        assert!(h.query_all_by_label(&r).count() >= 1, "the reason '{r}' is shown");
    }
    let start = t.start.checked_add_days(Days::new(14)).expect("a later start");
    set_text(&mut h, "Fra dato (dd-mm-åååå)", &dmy(start));
    h.get_by_label("Ingen hårde regler brydes");
    h.get_by_role_and_label(Role::Button, "Placér").click();
    h.run_ok();
    let p = load(&db).placement_of(&t.id).cloned().unwrap_or_else(|| panic!("{:?}", h.state().state.error));
    assert_eq!((p.practice_id.as_str(), p.start, p.end), (target.id.as_str(), start, t.end));
    assert!(p.overrides.is_empty());
}

#[test]
fn enter_in_the_filter_opens_the_first_row_and_an_infeasible_row_names_its_rules_and_needs_a_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = load(&db);
    let t = first_in_queue(&before);
    let ranked = tutorfordeling::ops::candidates(&before, &t.id, &[], demo_round_date()).expect("candidates");
    let bad = ranked
        .iter()
        .find(|c| !c.feasible && c.violations.iter().all(|v| v.rule.may_be_overridden()))
        .expect("an overridable infeasible practice");
    let mut rules: Vec<Rule> = bad.violations.iter().map(|v| v.rule).collect();
    rules.sort();
    rules.dedup();
    let ids: Vec<&str> = rules.iter().map(|r| r.id()).collect();
    let mut h = harness(&db);
    select(&mut h, Selection::Trainee(t.id.clone()));
    set_text(&mut h, "Filtrér listen", &bad.practice_id);
    // The row shows the rules it breaks.
    h.get_by_label(&ids.join(", "));
    h.key_press(Key::Enter);
    h.run_ok();
    assert_eq!(h.state().place.form.as_ref().map(|f| f.practice_id.clone()), Some(bad.practice_id.clone()));
    // The form checks live and names each broken rule; placing asks for a reason.
    for v in &bad.violations {
        h.get_by_label(&v.text(tutorfordeling::report::format::Lang::Danish));
    }
    h.get_by_role_and_label(Role::Button, "Placér").click();
    h.run_ok();
    h.get_by_label("Placering afvist");
    assert!(load(&db).placement_of(&t.id).is_none(), "nothing without a reason");
    type_multiline(&mut h, "Begrundelse for at tilsidesætte", "Aftalt med tutor");
    h.get_by_label("Tilsidesæt og placér").click();
    h.run_ok();
    let p = load(&db).placement_of(&t.id).cloned().expect("placed with an override");
    assert_eq!((p.practice_id.as_str(), p.overrides.clone()), (bad.practice_id.as_str(), rules));
    assert_eq!(p.reason.as_deref(), Some("Aftalt med tutor"));
}

#[test]
fn a_drop_with_shift_on_a_roster_row_opens_the_place_form_and_stores_the_chosen_dates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = load(&db);
    let t = first_in_queue(&before);
    let practice = before.practice(&feasible_for(&before, &t)).expect("practice").clone();
    let mut h = harness(&db);
    h.get_by_label("Praksisser").click();
    h.run_ok();
    set_text(&mut h, "Filter", &practice.id);
    h.key_press(Key::Escape);
    h.run_ok();
    let from = h.get_all_by_label(&t.name).next().expect("the trainee in the queue").rect().center();
    let to = h.get_by_label(&practice.name).rect().center();
    h.event(egui::Event::ModifiersChanged(Modifiers::SHIFT));
    drag(&mut h, from, to);
    h.event(egui::Event::ModifiersChanged(Modifiers::NONE));
    h.run_ok();
    assert!(load(&db).placement_of(&t.id).is_none(), "a drop with Shift asks for the dates first");
    let form = h.state().place.form.clone().expect("the place form is open");
    assert_eq!((form.trainee_id.as_str(), form.practice_id.as_str()), (t.id.as_str(), practice.id.as_str()));
    let end = t.end.checked_sub_days(Days::new(31)).expect("an earlier end");
    set_text(&mut h, "Til dato (dd-mm-åååå)", &dmy(end));
    h.get_by_role_and_label(Role::Button, "Placér").click();
    h.run_ok();
    let p = load(&db).placement_of(&t.id).cloned().expect("placed");
    assert_eq!((p.practice_id, p.start, p.end), (practice.id.clone(), t.start, end));

    // Without Shift a drop places at once, for the trainee's period (as before).
    let other = load(&db).open_trainees().into_iter().find(|x| x.kind == t.kind).cloned();
    if let Some(other) = other {
        let p = feasible_for(&load(&db), &other);
        h.state_mut().state.drop_trainee(&other.id, &p);
        h.run_ok();
        let placed = load(&db).placement_of(&other.id).cloned().expect("placed by a plain drop");
        assert_eq!((placed.start, placed.end), (other.start, other.end));
    }
}

#[test]
fn a_placements_dates_change_with_a_live_check_and_an_infeasible_change_needs_a_reason_shown_in_both_details() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = load(&db);
    let t = first_in_queue(&before);
    let practice = feasible_for(&before, &t);
    // Placed for all but the last 60 days; a pause (H7) covers the last 30 of the trainee's period.
    let short_end = t.end.checked_sub_days(Days::new(60)).expect("date");
    place_as_me(&db, &t.id, &practice, None, Some(short_end));
    let pause_start = t.end.checked_sub_days(Days::new(30)).expect("date");
    let mut store = Store::open(&db).expect("open");
    let pause = Pause { practice_id: practice.clone(), start: pause_start, end: t.end, wish_type: None };
    tutorfordeling::ops::add_pause(&mut store, pause).expect("pause");
    drop(store);

    let mut h = harness(&db);
    select(&mut h, Selection::Trainee(t.id.clone()));
    // A feasible change: ten days later.
    h.get_by_label("Skift datoer…").click();
    h.run_ok();
    let ten_later = short_end.checked_add_days(Days::new(10)).expect("date");
    set_text(&mut h, "Til dato (dd-mm-åååå)", &dmy(ten_later));
    h.get_by_label("Ingen hårde regler brydes");
    h.get_by_label("Gem datoer").click();
    h.run_ok();
    let p = load(&db).placement_of(&t.id).cloned().expect("placed");
    assert_eq!((p.start, p.end), (t.start, ten_later), "{:?}", h.state().state.error);
    let entry = &Store::open(&db).expect("open").audit_log(1).expect("log")[0];
    assert_eq!(entry.action, "edit_placement");

    // Into the pause: the form names H7 live; saving asks for a reason, then stores the override.
    h.get_by_label("Skift datoer…").click();
    h.run_ok();
    set_text(&mut h, "Til dato (dd-mm-åååå)", &dmy(t.end));
    assert!(h.query_all_by_label_contains("H7").count() >= 1, "the live check names H7");
    h.get_by_label("Gem datoer").click();
    h.run_ok();
    h.get_by_label("De nye datoer er afvist");
    assert_eq!(load(&db).placement_of(&t.id).map(|p| p.end), Some(ten_later), "nothing without a reason");
    type_multiline(&mut h, "Begrundelse for at tilsidesætte", "Praksis har sagt ja");
    h.get_by_label("Tilsidesæt og gem datoer").click();
    h.run_ok();
    let p = load(&db).placement_of(&t.id).cloned().expect("placed");
    assert_eq!((p.end, p.overrides.clone()), (t.end, vec![Rule::H7]));
    assert_eq!(p.reason.as_deref(), Some("Praksis har sagt ja"));
    let entry = &Store::open(&db).expect("open").audit_log(1).expect("log")[0];
    assert_eq!((entry.action.as_str(), entry.reason.as_deref()), ("edit_placement", Some("Praksis har sagt ja")));

    // The override shows with its reason, who and when in the trainee's and the practice's details.
    let me = tutorfordeling::store::os_user();
    h.get_by_label_contains("Tilsidesatte regler H7: Praksis har sagt ja");
    h.get_by_label_contains(&format!("Tilsidesat af {me}"));
    select(&mut h, Selection::Practice(practice.clone()));
    h.get_by_label_contains("Tilsidesatte regler H7: Praksis har sagt ja");
    h.get_by_label_contains(&format!("Tilsidesat af {me}"));

    // Undo takes the new dates back (Ctrl+Z, the user's own change).
    h.state_mut().state.undo();
    h.run_ok();
    assert_eq!(load(&db).placement_of(&t.id).map(|p| (p.end, p.overrides.len())), Some((ten_later, 0)));
}

#[test]
fn removing_a_placement_asks_for_a_reason_the_log_keeps_it_and_the_log_undoes_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = load(&db);
    let t = first_in_queue(&before);
    let placed = place_as_me(&db, &t.id, &feasible_for(&before, &t), None, None);
    let mut h = harness(&db);
    select(&mut h, Selection::Trainee(t.id.clone()));
    h.get_by_label("Fjern placering…").click();
    h.run_ok();
    // No reason, no removal.
    h.get_by_role_and_label(Role::Button, "Fjern").click();
    h.run_ok();
    assert!(load(&db).placement_of(&t.id).is_some());
    type_multiline(&mut h, "Begrundelse (gemmes i loggen)", "Flytter til Aalborg");
    h.get_by_role_and_label(Role::Button, "Fjern").click();
    h.run_ok();
    assert!(load(&db).placement_of(&t.id).is_none(), "{:?}", h.state().state.error);
    let entry = &Store::open(&db).expect("open").audit_log(1).expect("log")[0];
    assert_eq!((entry.action.as_str(), entry.reason.as_deref()), ("unplace", Some("Flytter til Aalborg")));

    // The log shows it with its reason; its ↶ undo (the user's newest change) brings it back.
    h.get_by_label("Redigér").click();
    h.run_ok();
    h.get_by_label("Log (hvem, hvornår, hvad og hvorfor)…").click();
    h.run_ok();
    set_text(&mut h, "Uddannelseslæge (id)", &t.id);
    h.get_by_label("Flytter til Aalborg");
    h.get_by_label("2 poster");
    assert_eq!(h.query_all_by_label("↶ Fortryd").count(), 1, "only the newest own entry offers undo");
    h.get_by_label("↶ Fortryd").click();
    h.run_ok();
    assert_eq!(load(&db).placement_of(&t.id), Some(&placed));
}

/// Sets an audit row's time, as if it had been written on another day.
fn backdate(db: &Path, id: i64, at: &str) {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.execute("UPDATE audit SET at = ?1 WHERE id = ?2", rusqlite::params![at, id]).expect("backdate");
}

#[test]
fn the_log_filters_to_a_period_and_a_user_and_exports_one_trainees_entries_as_a_private_csv() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = load(&db);
    let open = before.open_trainees();
    let rules = RuleContext::new(&before);
    let mut script = Store::open(&db).expect("open").acting_as_for_tests("hr-script");
    let mut placed = Vec::new();
    for t in open.iter().take(8) {
        if let Some(p) = before.practices.iter().find(|p| rules.check(t, p, t.period(), None).is_empty())
            && tutorfordeling::ops::place(&mut script, &t.id, &p.id, None, None, vec![], None).is_ok()
        {
            placed.push(t.id.clone());
        }
        if placed.len() == 3 {
            break;
        }
    }
    assert_eq!(placed.len(), 3);
    drop(script);
    // The first placement was written in January 2025, the second in March 2025.
    let log = Store::open(&db).expect("open").audit_log(3).expect("log");
    let (second, first) = (log[1].id, log[2].id);
    backdate(&db, first, "2025-01-15T10:00:00.000+01:00");
    backdate(&db, second, "2025-03-02T09:30:00.000+01:00");
    // And this user unplaces the third today.
    let mut me = Store::open(&db).expect("open");
    tutorfordeling::ops::unplace_with_reason(&mut me, &placed[2], Some("Ombooket".into())).expect("unplace");
    drop(me);

    let mut h = harness(&db);
    h.state_mut().log.open = true;
    h.run_ok();
    set_text(&mut h, "Periode fra (dd-mm-åååå)", "01-01-2025");
    set_text(&mut h, "Periode til (dd-mm-åååå)", "31-01-2025");
    h.get_by_label("1 poster");
    h.get_by_label_contains(&format!("placér {} hos", placed[0]));
    set_text(&mut h, "Periode til (dd-mm-åååå)", "31-03-2025");
    h.get_by_label("2 poster");
    assert!(h.query_by_label_contains(&format!("placér {} hos", placed[2])).is_none(), "today is outside");
    // A wrong date says so and filters nothing away.
    set_text(&mut h, "Periode til (dd-mm-åååå)", "31-13-2025");
    h.get_by_label_contains("ikke en dato");
    clear(&mut h, "Periode fra (dd-mm-åååå)");
    clear(&mut h, "Periode til (dd-mm-åååå)");
    assert_eq!((h.state().log.from.as_str(), h.state().log.to.as_str()), ("", ""));
    // By user: the script's three placements; mine is the unplace.
    set_text(&mut h, "Bruger", "hr-script");
    h.get_by_label("3 poster");
    set_text(&mut h, "Bruger", &tutorfordeling::store::os_user());
    h.get_by_label("Ombooket");
    assert!(h.query_by_label_contains(&format!("placér {} hos", placed[0])).is_none(), "not the script's");
    clear(&mut h, "Bruger");

    // The data-subject export: every entry about one trainee, mode 0600, named for the trainee.
    set_text(&mut h, "Uddannelseslæge (id)", &placed[2]);
    h.get_by_label("2 poster");
    let out = dir.path().join("udtraek");
    std::fs::create_dir(&out).expect("dir");
    let app = h.state_mut();
    assert!(app.log.export_to(&out, &mut app.state), "{:?}", app.state.error);
    let file = out.join(format!("log-{}.csv", placed[2]));
    let text = std::fs::read_to_string(&file).expect("the export");
    assert_eq!(text.lines().count(), 3, "a header and two entries: {text}");
    assert!(text.contains("Ombooket") && text.contains(&format!("place {} at", placed[2])), "{text}");
    assert!(!text.contains(&placed[0]) && !text.contains(&placed[1]), "no other trainee: {text}");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&file).expect("meta").permissions().mode() & 0o777, 0o600);
    let status = h.state().state.status.clone();
    assert!(status.contains(&out.display().to_string()), "the status names the folder: {status}");
}

#[test]
fn the_trainee_form_creates_and_edits_with_family_ties_history_and_salary_step_and_refuses_an_edit_that_breaks_h2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = load(&db);
    let t = first_in_queue(&before);
    let practice = feasible_for(&before, &t);
    let others: Vec<String> =
        before.practices.iter().filter(|p| p.id != practice).take(2).map(|p| p.id.clone()).collect();
    place_as_me(&db, &t.id, &practice, None, None);
    let mut h = harness(&db);
    select(&mut h, Selection::Trainee(t.id.clone()));
    h.get_by_label("Redigér uddannelseslæge").click();
    h.run_ok();
    // An unknown practice id is named before anything is saved.
    set_text(&mut h, "Tidligere praksisser (ældste først, |)", "P9999");
    h.get_by_label_contains("ukendt praksis 'P9999'");
    set_text(&mut h, "Tidligere praksisser (ældste først, |)", &others.join("|"));
    set_text(&mut h, "Familie i praksis (id'er, |)", &others[0]);
    h.get_by_label("Gem").click();
    h.run_ok();
    let now = load(&db).trainee(&t.id).cloned().expect("trainee");
    assert_eq!((now.history.clone(), now.family_practices.clone()), (others.clone(), vec![others[0].clone()]));

    // A new trainee with history and a salary step instead of a monthly salary.
    select(&mut h, Selection::Nothing);
    h.get_by_label("Redigér").click();
    h.run_ok();
    h.get_by_label("Ny uddannelseslæge…").click();
    h.run_ok();
    set_text(&mut h, "Id", "NY-2");
    set_text(&mut h, "Navn", "Ny Fasekollega");
    // The form's combo (the queue above has one labelled "Type" too); the form is drawn last.
    h.get_all_by_label("Type").last().expect("the form's type").click();
    h.run_ok();
    h.get_all_by_label("Fase 1").last().expect("Fase 1 in the list").click();
    h.run_ok();
    set_text(&mut h, "Fra (dd-mm-åååå)", "01-09-2027");
    set_text(&mut h, "Til (dd-mm-åååå)", "29-02-2028");
    h.get_by_label("Hospitalsenhed").click();
    h.run_ok();
    h.get_by_label("Hospitalsenhed Horsens").click();
    h.run_ok();
    set_text(&mut h, "Tidligere praksisser (ældste først, |)", &others[1]);
    h.get_by_label("Løntrin (uden månedsløn)").click();
    h.run_ok();
    h.get_by_label("laege2").click();
    h.run_ok();
    h.get_by_label("Gem").click();
    h.run_ok();
    let new = load(&db).trainee("NY-2").cloned().unwrap_or_else(|| panic!("created: {:?}", h.state().state.error));
    assert_eq!(new.kind, tutorfordeling::domain::model::TraineeType::Phase1);
    assert_eq!((new.history.clone(), new.seniority_step.as_deref()), (vec![others[1].clone()], Some("laege2")));
    assert_eq!(new.hospital_unit.as_deref(), Some("Hospitalsenhed Horsens"));
    select(&mut h, Selection::Trainee(t.id.clone()));

    // Family in the practice where the trainee is placed: H2, refused, nothing saved.
    h.get_by_label("Redigér uddannelseslæge").click();
    h.run_ok();
    set_text(&mut h, "Familie i praksis (id'er, |)", &practice);
    h.get_by_label("Gem").click();
    h.run_ok();
    let error = h.state().state.error.clone().unwrap_or_default();
    assert!(error.contains("H2"), "{error}");
    assert_eq!(load(&db).trainee(&t.id).map(|x| x.family_practices.clone()), Some(vec![others[0].clone()]));
}

#[test]
fn the_fairness_table_follows_my_area_and_the_whole_region_is_one_click_away() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let data = load(&db);
    let unit = "Hospitalsenhed Horsens";
    let unit_of = |id: &str| {
        data.practice(id).and_then(|p| data.region.municipality(&p.municipality)).map(|m| m.hospital_unit.clone())
    };
    let mut h = harness(&db);
    h.state_mut().state.tab = Tab::Fairness;
    h.run_ok();
    let whole = h.state().fairness.shown().len();
    h.get_by_label("Mit område").click();
    h.run_ok();
    h.get_by_label(unit).click();
    h.run_ok();
    let shown = h.state().fairness.shown().to_vec();
    assert!(!shown.is_empty() && shown.len() < whole);
    assert!(shown.iter().all(|id| unit_of(id).as_deref() == Some(unit)), "only my area's practices");
    // "alle" in the table's area filter: the whole region.
    h.get_by_label("Område").click();
    h.run_ok();
    h.get_all_by_label("alle").last().expect("alle").click();
    h.run_ok();
    assert_eq!(h.state().fairness.shown().len(), whole, "the whole region");
    // Choosing another area above the queue moves the table with it.
    h.get_by_label("Mit område").click();
    h.run_ok();
    h.get_by_label("Hele regionen").click();
    h.run_ok();
    assert_eq!(h.state().fairness.shown().len(), whole);
}
