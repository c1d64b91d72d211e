//! What the desk's kittest suites share: a small demo region, the harness, and the gestures.
#![allow(dead_code)] // each suite uses its own part

use std::path::{Path, PathBuf};

use egui::accesskit::Role;
use egui::{Key, Modifiers, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use tutorfordeling::demo::{DemoParams, demo_round_date, generate, store_demo};
use tutorfordeling::domain::model::{Dataset, Trainee};
use tutorfordeling::domain::rules::RuleContext;
use tutorfordeling::store::Store;
use tutorfordeling::ui::App;
use tutorfordeling::ui::queue::deadline;

/// A small deterministic demo region in a temp dir.
pub fn demo_db(dir: &Path) -> PathBuf {
    let path = dir.join("demo.sqlite");
    let data = generate(&DemoParams { seed: 7, practices: 60, open_trainees: Some(12), years: 3 });
    let mut store = Store::create(&path, &data.region).expect("create");
    store_demo(&mut store, &data).expect("store demo");
    path
}

pub fn load(path: &Path) -> Dataset {
    Store::open(path).expect("open").load().expect("load")
}

pub fn harness(path: &Path) -> Harness<'static, App> {
    let app = App::with_path_on(path, demo_round_date());
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_context_setup(tutorfordeling::ui::install_fonts)
        .build_ui_state(|ui, app: &mut App| app.ui_root(ui), app);
    h.run_ok();
    h
}

/// The first trainee of the queue (first type, earliest deadline): visible without scrolling.
pub fn first_in_queue(data: &Dataset) -> Trainee {
    let open = data.open_trainees();
    let kind = open.iter().map(|t| t.kind).min().expect("an open trainee");
    let mut of_kind: Vec<&Trainee> = open.into_iter().filter(|t| t.kind == kind).collect();
    of_kind.sort_by(|a, b| deadline(a).cmp(&deadline(b)).then(a.id.cmp(&b.id)));
    of_kind[0].clone()
}

/// Replaces the text of a labelled single-line field.
pub fn set_text(h: &mut Harness<'_, App>, label: &str, text: &str) {
    let field = h.get_by_role_and_label(Role::TextInput, label);
    field.focus();
    h.run_ok();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(Role::TextInput, label).type_text(text);
    h.run_ok();
}

/// Presses on `from`, moves in steps and releases on `to`, a frame per step.
pub fn drag(h: &mut Harness<'_, App>, from: Pos2, to: Pos2) {
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

/// A practice where the trainee may go (or may not), picked among those drawn well inside the map.
pub fn practice_on_map(h: &Harness<'_, App>, data: &Dataset, t: &Trainee, feasible: bool) -> (usize, Pos2) {
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
