//! The desk as a desktop program (issue 10, items 3, 4, 5, 7 and 8): the map stays inside its own
//! rectangle and zooms as web maps do, the plots name their axes and bars, Økonomi scrolls to its
//! last column, the first start has a real map, and a file dialog never goes silent.
//!
//! Driven through egui_kittest by widget labels (AccessKit); what was painted is read from the
//! frame's shapes (`Harness::output`), which is what the screen shows.

use std::path::{Path, PathBuf};

use egui::epaint::{ClippedShape, Shape};
use egui::{Event, Modifiers, MouseWheelSource, MouseWheelUnit, Pos2, Rect, TouchPhase, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use tutorfordeling::demo::{DemoParams, demo_round_date, generate, store_demo};
use tutorfordeling::store::Store;
use tutorfordeling::ui::App;
use tutorfordeling::ui::files::{FilePurpose, NativeDialogs};
use tutorfordeling::ui::state::{Selection, Tab};

/// A small deterministic demo region in a temp dir, with no boundaries imported.
fn demo_db(dir: &Path) -> PathBuf {
    let path = dir.join("demo.sqlite");
    let data = generate(&DemoParams { seed: 7, practices: 80, open_trainees: Some(12), years: 3 });
    let mut store = Store::create(&path, &data.region).expect("create");
    store_demo(&mut store, &data).expect("store demo");
    path
}

fn harness_at(path: &Path, size: [f32; 2]) -> Harness<'static, App> {
    harness_with(path, size, true)
}

/// `accessibility_check` off only where egui_file's dialog is on screen: its path and file name
/// fields have no accessible name (upstream), which the check would refuse.
fn harness_with(path: &Path, size: [f32; 2], accessibility_check: bool) -> Harness<'static, App> {
    let app = App::with_path_on(path, demo_round_date());
    let mut h = Harness::builder()
        .with_size(size)
        .with_accessibility_check(accessibility_check)
        .with_context_setup(tutorfordeling::ui::install_fonts)
        .build_ui_state(|ui, app: &mut App| app.ui_root(ui), app);
    h.run_ok();
    h
}

/// Every shape of the last frame with its clip rectangle, nested shapes flattened.
fn shapes(h: &Harness<'_, App>) -> Vec<(Rect, Shape)> {
    fn push(out: &mut Vec<(Rect, Shape)>, clip: Rect, shape: &Shape) {
        match shape {
            Shape::Vec(inner) => inner.iter().for_each(|s| push(out, clip, s)),
            other => out.push((clip, other.clone())),
        }
    }
    let mut out = Vec::new();
    for ClippedShape { clip_rect, shape, .. } in &h.output().shapes {
        push(&mut out, *clip_rect, shape);
    }
    out
}

/// The painted texts of the last frame: (text, where it is on screen), only what is not clipped
/// away entirely.
fn texts(h: &Harness<'_, App>) -> Vec<(String, Rect)> {
    shapes(h)
        .into_iter()
        .filter_map(|(clip, shape)| match shape {
            Shape::Text(t) => {
                let rect = t.galley.rect.translate(t.pos.to_vec2());
                clip.intersects(rect).then(|| (t.galley.text().to_string(), rect))
            }
            _ => None,
        })
        .collect()
}

fn wheel(h: &Harness<'_, App>, at: Pos2, delta: Vec2, modifiers: Modifiers) {
    h.hover_at(at);
    h.event(Event::MouseWheel {
        unit: MouseWheelUnit::Line,
        delta,
        phase: TouchPhase::Move,
        source: MouseWheelSource::Wheel,
        modifiers,
    });
}

// ---- Item 3: the map ----------------------------------------------------------------------

#[test]
fn zoomed_in_the_map_paints_nothing_outside_its_own_rectangle() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness_at(&demo_db(dir.path()), [1280.0, 720.0]);
    for _ in 0..3 {
        h.get_by_label("+").click();
        h.run_ok();
    }
    h.remove_cursor();
    h.run_ok();
    let map = h.state().map.last_rect.expect("the map was drawn");
    // The tab bar and the "Find praksis" row are above the map, the status bar below it.
    let find = h.get_by_label("Find praksis").rect();
    assert!(find.bottom() <= map.top() + 1.0, "{find:?} {map:?}");
    let mut map_shapes = 0;
    for (clip, shape) in shapes(&h) {
        // The map's own shapes: the municipalities' and the markers' meshes, and the outlines.
        let is_map_shape = match &shape {
            Shape::Mesh(m) => m.vertices.len() > 50,
            Shape::Path(p) => p.points.len() > 20,
            _ => false,
        };
        if !is_map_shape {
            continue;
        }
        map_shapes += 1;
        let visible = clip.intersect(shape.visual_bounding_rect());
        assert!(
            visible.width() <= 0.0 || map.expand(0.5).contains_rect(visible),
            "a map shape shows at {visible:?}, outside the map {map:?} (clip {clip:?})"
        );
    }
    assert!(map_shapes > 0, "zoomed in, the map still draws its municipalities and markers");
}

#[test]
fn the_zoom_buttons_and_keys_zoom_the_map_and_whole_region_fits_it_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness_at(&demo_db(dir.path()), [1280.0, 720.0]);
    let fitted = h.state().map.zoom();
    h.get_by_label("+").click();
    h.run_ok();
    assert!((h.state().map.zoom() - (fitted + 1.0)).abs() < 1e-9, "{} after + from {fitted}", h.state().map.zoom());
    h.get_by_label("−").click();
    h.get_by_label("−").click();
    h.run_ok();
    assert!((h.state().map.zoom() - (fitted - 1.0)).abs() < 1e-9);
    // The keyboard, as in web maps.
    h.key_press(egui::Key::Plus);
    h.run_ok();
    h.key_press(egui::Key::Plus);
    h.run_ok();
    assert!((h.state().map.zoom() - (fitted + 1.0)).abs() < 1e-9, "{}", h.state().map.zoom());
    h.get_by_label("Hele regionen").click();
    h.run_ok();
    assert!((h.state().map.zoom() - fitted).abs() < 1e-9, "{} vs {fitted}", h.state().map.zoom());
}

#[test]
fn the_mouse_wheel_zooms_the_map_around_the_pointer_and_does_not_pan_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness_at(&demo_db(dir.path()), [1280.0, 720.0]);
    let map = h.state().map.last_rect.expect("the map");
    let before = h.state().map.zoom();
    // A point left of and above the centre: zooming about it keeps it where it is.
    let at = map.center() + Vec2::new(-map.width() / 5.0, -map.height() / 6.0);
    let marker_near = |h: &Harness<'_, App>| {
        let app = h.state();
        (0..app.state.data.practices.len())
            .filter_map(|i| app.map.marker_screen_pos(i).map(|p| (i, p)))
            .min_by(|a, b| a.1.distance(at).total_cmp(&b.1.distance(at)))
            .expect("a marker")
    };
    let (index, was) = marker_near(&h);
    for _ in 0..3 {
        wheel(&h, at, Vec2::new(0.0, 1.0), Modifiers::NONE);
        h.step();
    }
    h.run_ok();
    let after = h.state().map.zoom();
    assert!(after > before + 0.2, "the wheel zooms in: {before} → {after}");
    let now = h.state().map.marker_screen_pos(index).expect("still drawn");
    // The marker moved away from the pointer in proportion to the zoom, not across the map.
    let factor = 2f32.powf((after - before) as f32);
    let expected = at + (was - at) * factor;
    assert!(now.distance(expected) < 6.0 + was.distance(at) * 0.1, "{now:?} vs {expected:?} (zoom ×{factor})");
}

#[test]
fn a_selected_practice_is_ringed_after_the_map_pans_to_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness_at(&demo_db(dir.path()), [1280.0, 720.0]);
    // A practice far from the centre, chosen from the Praksisser tab.
    h.get_by_label("Praksisser").click();
    h.run_ok();
    let id = {
        let data = &h.state().state.data;
        data.practices.iter().max_by(|a, b| a.lat.total_cmp(&b.lat)).expect("a practice").id.clone()
    };
    h.state_mut().state.show_on_map(&id);
    h.run_ok();
    assert_eq!(h.state().state.tab, Tab::Map);
    let map = h.state().map.last_rect.expect("the map");
    let index = h.state().state.data.practices.iter().position(|p| p.id == id).expect("index");
    let marker = h.state().map.marker_screen_pos(index).expect("drawn");
    assert!(marker.distance(map.center()) < 3.0, "the map pans to it: {marker:?} vs {:?}", map.center());
    let selection = h.ctx.global_style().visuals.selection.bg_fill;
    let ring = shapes(&h).into_iter().find_map(|(_, s)| match s {
        Shape::Circle(c) if c.center.distance(marker) < 0.5 && c.stroke.color == selection && c.stroke.width >= 3.0 => {
            Some(c.radius)
        }
        _ => None,
    });
    let radius = ring.expect("a ring in the selection colour round the selected practice");
    assert!(radius > 8.0, "the ring stands out from the marker: {radius}");
    assert_eq!(h.state().map.selected_ring.map(|(c, _)| c), Some(marker));
}

// ---- Item 7: a real map with no network ---------------------------------------------------

#[test]
fn the_first_start_draws_the_regions_19_municipalities_without_an_import_and_an_import_still_wins() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    assert!(Store::open(&db).expect("open").boundaries().expect("rings").is_empty(), "nothing imported");
    let mut h = harness_at(&db, [1280.0, 720.0]);
    let codes: std::collections::BTreeSet<u16> =
        h.state().state.boundaries.iter().map(|r| r.municipality_code).collect();
    assert_eq!(codes.len(), 19, "{codes:?}");
    // The municipalities are painted: a mesh of many triangles inside the map.
    let map = h.state().map.last_rect.expect("the map");
    let painted = shapes(&h).into_iter().any(|(_, s)| match s {
        Shape::Mesh(m) => m.indices.len() > 3000 && map.contains_rect(m.calc_bounds().shrink(1.0)),
        _ => false,
    });
    assert!(painted, "the outlines are drawn on the first start");
    let all = texts(&h);
    assert!(all.iter().any(|(t, _)| t.contains("Geodatastyrelsen & Danske Kommuner")), "attribution shown");
    assert!(!all.iter().any(|(t, _)| t.contains("Ingen kommunegrænser")), "no 'import boundaries' hint");
    // In English too.
    h.state_mut().state.lang = tutorfordeling::ui::i18n::Lang::English;
    h.run_ok();
    assert!(texts(&h).iter().any(|(t, _)| t.contains("Boundaries: Geodatastyrelsen & Danske Kommuner")));

    // An imported file wins: its rings replace the shipped ones.
    let file = dir.path().join("hedensted.geojson");
    std::fs::write(
        &file,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"lau_1":"766"},
            "geometry":{"type":"Polygon","coordinates":[[[9.7,55.7],[10.0,55.7],[10.0,55.9],[9.7,55.7]]]}}]}"#,
    )
    .expect("write");
    tutorfordeling::ui::app::import_boundaries(&mut h.state_mut().state, &file);
    h.run_ok();
    let rings = &h.state().state.boundaries;
    assert_eq!(rings.len(), 1, "only the imported ring");
    assert_eq!(rings[0].municipality_code, 766);
}

#[test]
fn the_shipped_outlines_are_small_and_parse_with_the_import_parser() {
    let asset = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/midtjylland_municipalities.geojson");
    let bytes = std::fs::read(&asset).expect("the asset");
    assert!(bytes.len() < 300 * 1024, "{} bytes", bytes.len());
    let region = tutorfordeling::domain::region::Region::midtjylland();
    let rings = tutorfordeling::store::boundaries::parse_boundaries(&bytes, &region).expect("parses");
    let codes: std::collections::BTreeSet<u16> = rings.iter().map(|r| r.municipality_code).collect();
    assert_eq!(codes.len(), 19);
    // Coastlines are kept recognisable: enough points along the region's long outline.
    let points: usize = rings.iter().map(|r| r.coords.len()).sum();
    assert!(points > 1500, "{points} points");
}

// ---- Item 4: the plots name their axes and every bar --------------------------------------

/// Opens Fordeling → Grafer and returns the painted texts with the four plots' title positions.
fn plot_texts(size: [f32; 2]) -> Vec<(String, Rect)> {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness_at(&demo_db(dir.path()), size);
    h.get_by_label("Fordeling").click();
    h.run_ok();
    h.get_by_label("Grafer").click();
    h.run_ok();
    h.remove_cursor();
    h.run_ok();
    let all = texts(&h);
    let title = |name: &str| all.iter().find(|(t, _)| t == name).map(|(_, r)| *r).expect(name);
    let left = title("Måneder pr. tutor (P1)");
    let right = title("Typeblanding i regionen (P2)");
    let lower = title("Gini pr. år (0 = helt jævnt)");
    // Only the central area: not the queue at the left nor the details at the right.
    let central_right = h.get_by_label("Detaljer ▶").rect().right() + 2.0;
    // Which plot a text belongs to: its quadrant.
    all.into_iter()
        .filter(|(_, r)| r.left() >= left.left() - 2.0 && r.right() <= central_right)
        .map(|(t, r)| {
            let quadrant = match (r.center().x < right.left() - 4.0, r.center().y < lower.top()) {
                (true, true) => "histogram",
                (false, true) => "type mix",
                (true, false) => "gini",
                (false, false) => "threatened",
            };
            (format!("{quadrant}|{t}"), r)
        })
        .filter(|(_, r)| r.top() > left.bottom())
        .collect()
}

fn in_plot<'a>(texts: &'a [(String, Rect)], plot: &str) -> Vec<&'a str> {
    texts.iter().filter_map(|(t, _)| t.strip_prefix(&format!("{plot}|"))).collect()
}

fn numbers(labels: &[&str]) -> Vec<f64> {
    labels.iter().filter_map(|l| l.replace('.', "").replace(',', ".").trim().parse::<f64>().ok()).collect()
}

fn assert_plots_are_labelled(size: [f32; 2]) {
    let texts = plot_texts(size);
    let histogram = in_plot(&texts, "histogram");
    assert!(histogram.contains(&"måneder pr. tutor"), "{histogram:?}");
    assert!(histogram.contains(&"praksisser"), "{histogram:?}");
    // Both axes have numbered ticks, not only "0": at least four along x and two up y.
    let ticks = numbers(&histogram);
    assert!(ticks.len() >= 6 && ticks.iter().any(|v| *v > 0.0), "the histogram's ticks at {size:?}: {histogram:?}");

    let mix = in_plot(&texts, "type mix");
    for name in ["KBU", "Intro", "F1", "F2", "F3", "Andre"] {
        assert!(mix.contains(&name), "the type mix names {name} at {size:?}: {mix:?}");
    }

    for plot in ["gini", "threatened"] {
        let labels = in_plot(&texts, plot);
        assert!(labels.contains(&"år"), "{plot}: {labels:?}");
        let years: Vec<f64> = numbers(&labels).into_iter().filter(|v| (2000.0..2100.0).contains(v)).collect();
        assert!(years.len() >= 2, "{plot} names its years at {size:?}: {labels:?}");
    }
    let threatened = in_plot(&texts, "threatened");
    let percent: Vec<f64> = numbers(&threatened).into_iter().filter(|v| *v < 1000.0).collect();
    assert!(percent.len() >= 4, "the threatened share has enough ticks at {size:?}: {threatened:?}");
}

#[test]
fn at_1400_by_900_the_plots_name_their_axes_years_and_every_type() {
    assert_plots_are_labelled([1400.0, 900.0]);
}

#[test]
fn at_1280_by_720_the_plots_name_their_axes_years_and_every_type() {
    assert_plots_are_labelled([1280.0, 720.0]);
}

// ---- Item 5: Økonomi's last column ----------------------------------------------------------

#[test]
fn at_1280_by_720_okonomi_scrolls_sideways_to_its_last_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness_at(&demo_db(dir.path()), [1280.0, 720.0]);
    h.get_by_label("Økonomi").click();
    h.run_ok();
    // The central area ends where the details panel begins.
    let edge = h.get_by_label("Detaljer").rect().left() - 4.0;
    let first = h.get_by_label("Praksis").rect();
    let at = Pos2::new(first.left() + 40.0, first.bottom() + 40.0);
    let mut reached = false;
    for _ in 0..30 {
        if h.get_by_label("Netto for praksis").rect().right() <= edge {
            reached = true;
            break;
        }
        wheel(&h, at, Vec2::new(-3.0, 0.0), Modifiers::NONE);
        h.step();
        h.run_ok();
    }
    assert!(
        reached,
        "\"Netto for praksis\" ends at {:?}, the area at {edge}",
        h.get_by_label("Netto for praksis").rect()
    );
}

#[test]
fn at_1024_by_700_okonomi_cuts_off_nothing_of_its_period_fields() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness_at(&demo_db(dir.path()), [1024.0, 700.0]);
    h.get_by_label("Økonomi").click();
    h.run_ok();
    let edge = h.get_by_label("Detaljer").rect().left();
    for label in ["Fra måned (åååå-mm)", "Til måned (åååå-mm)", "Udskriv opgørelser…", "Eksportér CSV…"]
    {
        let r = h.get_by_label(label).rect();
        assert!(r.right() <= edge, "{label} ends at {} beyond {edge}", r.right());
    }
}

// ---- Item 8: file dialogs never go silent ---------------------------------------------------

#[test]
fn without_a_native_file_dialog_import_opens_the_in_app_dialog_and_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness_with(&demo_db(dir.path()), [1280.0, 720.0], false);
    h.state_mut().state.files.native = NativeDialogs::Unavailable;
    h.get_by_label("Filer").click();
    h.run_ok();
    h.get_by_label("Importér CSV…").click();
    h.run_ok();
    assert_eq!(h.state().state.files.in_app(), Some(FilePurpose::ImportCsv));
    let status = h.state().state.status.clone();
    assert!(status.contains("xdg-desktop-portal-gtk") && status.contains("zenity"), "{status}");
    // The dialog is on screen, in Danish, and Annullér closes it.
    h.get_by_label("Annullér").click();
    h.run_ok();
    assert_eq!(h.state().state.files.in_app(), None);
}

#[test]
fn statements_go_into_the_folder_chosen_in_the_in_app_dialog_and_the_status_offers_to_open_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("opgørelser");
    std::fs::create_dir(&out).expect("folder");
    let mut h = harness_with(&demo_db(dir.path()), [1280.0, 720.0], false);
    h.state_mut().state.files.native = NativeDialogs::Unavailable;
    h.get_by_label("Økonomi").click();
    h.run_ok();
    // The first time the folder is given as the dialog would give it; the second time the
    // in-app dialog opens in that folder and "Vælg denne mappe" chooses it, not the one above.
    h.state_mut().state.files.answer(FilePurpose::PrintStatements, vec![out.clone()]);
    let wait = |h: &mut Harness<'_, App>| {
        for _ in 0..2000 {
            h.step();
            if h.state().state.busy.is_none() && h.state().state.status.contains("opgørelser skrevet") {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        panic!("the statements did not finish: {}", h.state().state.status);
    };
    wait(&mut h);
    let pdfs = |d: &Path| {
        std::fs::read_dir(d)
            .expect("dir")
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
            .count()
    };
    let written = pdfs(&out);
    assert!(written > 0);
    let status = h.state().state.status.clone();
    assert!(status.contains(&out.display().to_string()), "the status names the folder: {status}");
    h.run_ok();
    let _ = h.get_by_label("Åbn mappen");

    std::fs::remove_dir_all(&out).expect("clean");
    std::fs::create_dir(&out).expect("folder");
    h.state_mut().state.status.clear();
    h.get_by_label("Udskriv opgørelser…").click();
    h.run_ok();
    assert_eq!(h.state().state.files.in_app(), Some(FilePurpose::PrintStatements));
    h.get_by_label("Vælg denne mappe").click();
    h.run_ok();
    wait(&mut h);
    assert_eq!(pdfs(&out), written, "into the chosen folder");
    assert_eq!(pdfs(dir.path()), 0, "nothing one folder up");
}

#[test]
fn the_side_panels_collapse_to_give_a_tab_room() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness_at(&demo_db(dir.path()), [1280.0, 720.0]);
    h.state_mut().state.selection = Selection::Nothing;
    let before = h.state().map.last_rect.expect("map").width();
    h.get_by_label("◀ Kø").click();
    h.run_ok();
    h.get_by_label("Detaljer ▶").click();
    h.run_ok();
    let after = h.state().map.last_rect.expect("map").width();
    assert!(after > before + 400.0, "{before} → {after}");
    h.get_by_label("▶ Kø").click();
    h.run_ok();
    assert!(h.state().map.last_rect.expect("map").width() < after - 200.0);
}
