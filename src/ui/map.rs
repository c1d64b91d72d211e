//! The map tab: municipality polygons and practice markers on walkers' offline map, and the drop
//! target for trainees dragged from the queue.
//!
//! Speed (5,000 markers): geometry is projected once per data change into Web-Mercator units
//! relative to the region's centre; a frame only scales and shifts them (one multiply-add per
//! vertex), culls what is off screen and emits two meshes. Feasibility while dragging is computed
//! once per drag start (`AppState::ensure_drag_check`), never per frame.

use std::collections::BTreeMap;

use egui::{Color32, Mesh, Pos2, Rect, Shape, Stroke, Vec2};
use geo::TriangulateEarcut;
use walkers::{MapMemory, Position, Projector, lat_lon};

use crate::domain::model::{Dataset, Practice};
use crate::domain::region::District;
use crate::store::BoundaryRing;

use super::i18n;
use super::state::{AppState, DraggedTrainee, Selection};

/// The region's centre, where the map opens.
const REGION_CENTRE: (f64, f64) = (56.23, 9.45); // (lat, lon)
const START_ZOOM: f64 = 8.0;

/// The map tab's view state.
pub struct MapPanel {
    memory: MapMemory,
    geometry: Option<MapGeometry>,
    geometry_version: u64,
    /// How the last frame mapped geometry to the screen (for the drop handler and tests).
    last_transform: Option<ScreenTransform>,
    hovered: Option<usize>,
    /// Whether the zoom has been fitted to the region on the first frame.
    fitted: bool,
    /// The size it was fitted to and whether the user has zoomed or panned since: until they
    /// do, a resized window fits the region again.
    fit_size: Vec2,
    fitted_zoom: f64,
    touched: bool,
    /// "Find": practices whose name, id or municipality contain it are ringed on the map.
    search: String,
    /// Draw OpenStreetMap tiles under the region (needs the network; off by default so the map
    /// is the same offline and online).
    pub show_tiles: bool,
    /// Made on first use: walkers' HTTP tile source with its disk cache. Offline its requests
    /// fail in the background and the plain background shows; it never blocks a frame.
    tiles: Option<walkers::HttpTiles>,
    /// When the base map was switched on, and whether any tile has shown since (offline, none
    /// ever does: the map says so quietly).
    tiles_since: Option<f64>,
    tiles_seen: bool,
    /// The map's rectangle in the last frame (tests check that nothing is painted outside it).
    pub last_rect: Option<Rect>,
    /// The selected practice's ring in the last frame: its centre and radius.
    pub selected_ring: Option<(Pos2, f32)>,
}

impl Default for MapPanel {
    fn default() -> MapPanel {
        let mut memory = MapMemory::default();
        // START_ZOOM is inside walkers' range; an error would only keep walkers' default zoom.
        let _ = memory.set_zoom(START_ZOOM);
        memory.center_at(lat_lon(REGION_CENTRE.0, REGION_CENTRE.1));
        MapPanel {
            memory,
            geometry: None,
            geometry_version: u64::MAX,
            last_transform: None,
            hovered: None,
            fitted: false,
            fit_size: Vec2::ZERO,
            fitted_zoom: START_ZOOM,
            touched: false,
            search: String::new(),
            show_tiles: false,
            tiles: None,
            tiles_since: None,
            tiles_seen: false,
            last_rect: None,
            selected_ring: None,
        }
    }
}

/// Screen position = `base + rel * scale`, where `rel` is Web-Mercator (0..1) minus the origin.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScreenTransform {
    pub base: Pos2,
    pub scale: f32,
}

impl ScreenTransform {
    fn apply(self, rel: Vec2) -> Pos2 {
        self.base + rel * self.scale
    }
}

/// The region's extent (west, south, east, north) in degrees, for the first view.
const REGION_BOUNDS: (f64, f64, f64, f64) = (8.05, 55.62, 10.98, 56.85);

/// The zoom at which the region fills `size` (walkers: 256 px tiles, doubling per level).
fn fitting_zoom(size: Vec2) -> f64 {
    let (w, s, e, n) = REGION_BOUNDS;
    let (x0, y0) = mercator(w, n);
    let (x1, y1) = mercator(e, s);
    let zx = (f64::from(size.x) * 0.95 / ((x1 - x0) * 256.0)).log2();
    let zy = (f64::from(size.y) * 0.95 / ((y1 - y0) * 256.0)).log2();
    zx.min(zy).clamp(6.0, 12.0)
}

/// Web-Mercator coordinates normalised to 0..1, as walkers projects them.
fn mercator(lon: f64, lat: f64) -> (f64, f64) {
    let x = (1.0 + lon.to_radians() / std::f64::consts::PI) / 2.0;
    let y = (1.0 - lat.to_radians().tan().asinh() / std::f64::consts::PI) / 2.0;
    (x, y)
}

struct Marker {
    rel: Vec2,
    radius: f32,
    load_colour: Color32,
}

struct Area {
    rel_vertices: Vec<Vec2>,
    indices: Vec<u32>,
    rings: Vec<Vec<Vec2>>,
    bounds: Rect,
    fill: Color32,
    threatened: bool,
    /// The hospital unit whose catchment holds the municipality (DOMAIN.md §2.2).
    unit: String,
}

/// A municipality's fill: as is inside the coordinator's area (or with the whole region chosen),
/// faded outside it, so the area stands out (DOMAIN.md §3.3).
fn area_fill(fill: Color32, unit: &str, chosen: Option<&str>) -> Color32 {
    match chosen {
        Some(c) if c != unit => fill.gamma_multiply(0.3),
        _ => fill,
    }
}

struct AreaLabel {
    rel: Vec2,
    text: String,
}

/// Everything the map draws, in units relative to `origin`; rebuilt when the data change.
pub struct MapGeometry {
    origin: (f64, f64),
    markers: Vec<Marker>,
    areas: Vec<Area>,
    labels: Vec<AreaLabel>,
}

/// Marker colour by load per tutor (rule P1): pale when idle, amber at half, red when full.
fn load_colour(load_per_tutor: f32) -> Color32 {
    let t = load_per_tutor.clamp(0.0, 1.0);
    let pale = Color32::from_rgb(120, 160, 200);
    let amber = Color32::from_rgb(240, 180, 40);
    let red = Color32::from_rgb(210, 50, 40);
    if t < 0.5 { pale.lerp_to_gamma(amber, t * 2.0) } else { amber.lerp_to_gamma(red, (t - 0.5) * 2.0) }
}

fn district_tint(district: District, dark: bool) -> Color32 {
    let (r, g, b) = match district {
        District::East => (90, 140, 220),
        District::Middle => (90, 190, 120),
        District::West => (220, 170, 80),
    };
    if dark { Color32::from_rgba_unmultiplied(r, g, b, 70) } else { Color32::from_rgba_unmultiplied(r, g, b, 90) }
}

const FEASIBLE: Color32 = Color32::from_rgb(30, 170, 60);
const INFEASIBLE: Color32 = Color32::from_rgb(200, 40, 40);
const THREATENED_OUTLINE: Color32 = Color32::from_rgb(200, 30, 90);

impl MapGeometry {
    /// Projects and triangulates once: practices from `data`, polygons from `boundaries`.
    pub fn build(
        data: &Dataset,
        boundaries: &[BoundaryRing],
        current: &dyn Fn(&Practice) -> u32,
        dark: bool,
    ) -> MapGeometry {
        let origin = mercator(REGION_CENTRE.1, REGION_CENTRE.0);
        let rel = |lon: f64, lat: f64| {
            let (x, y) = mercator(lon, lat);
            Vec2::new((x - origin.0) as f32, (y - origin.1) as f32)
        };
        let markers = data
            .practices
            .iter()
            .map(|p| {
                let tutors = p.tutors.max(1);
                Marker {
                    rel: rel(p.lon, p.lat),
                    radius: 3.0 + 1.4 * (tutors as f32).sqrt(),
                    load_colour: load_colour(current(p) as f32 / tutors as f32),
                }
            })
            .collect();

        // Ring 0 of each (municipality, polygon) is the outline, later rings are holes.
        let mut polygons: BTreeMap<(u16, u32), Vec<&BoundaryRing>> = BTreeMap::new();
        for ring in boundaries {
            polygons.entry((ring.municipality_code, ring.polygon)).or_default().push(ring);
        }
        let mut areas = Vec::new();
        for ((code, _), mut rings) in polygons {
            rings.sort_by_key(|r| r.ring);
            let Some(municipality) = data.region.municipality_by_code(code) else { continue };
            let to_line = |r: &BoundaryRing| -> geo::LineString<f64> {
                r.coords
                    .iter()
                    .map(|c| mercator(c[0], c[1]))
                    .map(|(x, y)| geo::coord! { x: x - origin.0, y: y - origin.1 })
                    .collect()
            };
            let Some((outer, holes)) = rings.split_first() else { continue };
            let polygon = geo::Polygon::new(to_line(outer), holes.iter().map(|r| to_line(r)).collect());
            let raw = polygon.earcut_triangles_raw();
            let rel_vertices: Vec<Vec2> = raw.vertices.iter().map(|v| Vec2::new(v[0] as f32, v[1] as f32)).collect();
            let indices: Vec<u32> = raw.triangle_indices.iter().map(|&i| i as u32).collect();
            let ring_points: Vec<Vec<Vec2>> =
                rings.iter().map(|r| r.coords.iter().map(|c| rel(c[0], c[1])).collect()).collect();
            let bounds = Rect::from_points(&rel_vertices.iter().map(|v| v.to_pos2()).collect::<Vec<_>>());
            areas.push(Area {
                rel_vertices,
                indices,
                rings: ring_points,
                bounds,
                fill: district_tint(municipality.district, dark),
                threatened: municipality.threatened,
                unit: municipality.hospital_unit.clone(),
            });
        }
        let labels = data
            .region
            .municipalities
            .iter()
            .map(|m| AreaLabel { rel: rel(m.lon, m.lat), text: m.name.clone() })
            .collect();
        MapGeometry { origin, markers, areas, labels }
    }

    /// The transform walkers' projector implies for this frame.
    fn transform(&self, projector: &Projector) -> ScreenTransform {
        let origin = self.origin_position();
        let base = projector.project(origin).to_pos2();
        let east = projector.project(lat_lon(origin.y(), origin.x() + 1.0)).to_pos2();
        ScreenTransform { base, scale: (east.x - base.x) * 360.0 }
    }

    fn origin_position(&self) -> Position {
        let _ = self.origin;
        lat_lon(REGION_CENTRE.0, REGION_CENTRE.1)
    }

    /// Paints the polygons, labels and markers; returns the marker under `pointer`, if any.
    // The frame's inputs are all plain values; a struct for them would only rename them.
    #[allow(clippy::too_many_arguments)]
    pub fn paint(
        &self,
        painter: &egui::Painter,
        transform: ScreenTransform,
        pointer: Option<Pos2>,
        colour_of: &dyn Fn(usize, Color32) -> Color32,
        highlighted: &[usize],
        show_labels: bool,
        text_colour: Color32,
        chosen_area: Option<&str>,
    ) -> Option<usize> {
        let clip = painter.clip_rect();
        let visible = clip.expand(12.0);

        // Polygons: one mesh, then outlines on top.
        let mut mesh = Mesh::default();
        let mut outlines: Vec<Shape> = Vec::new();
        let border = Stroke::new(0.8, Color32::from_gray(120));
        let threatened_border = Stroke::new(2.5, THREATENED_OUTLINE);
        for area in &self.areas {
            let bounds = Rect::from_min_max(
                transform.apply(area.bounds.min.to_vec2()),
                transform.apply(area.bounds.max.to_vec2()),
            );
            if !bounds.intersects(visible) {
                continue;
            }
            let first = mesh.vertices.len() as u32;
            let fill = area_fill(area.fill, &area.unit, chosen_area);
            for v in &area.rel_vertices {
                mesh.colored_vertex(transform.apply(*v), fill);
            }
            mesh.indices.extend(area.indices.iter().map(|i| first + i));
            for ring in &area.rings {
                let points: Vec<Pos2> = ring.iter().map(|v| transform.apply(*v)).collect();
                outlines.push(Shape::closed_line(points, if area.threatened { threatened_border } else { border }));
            }
        }
        painter.add(Shape::mesh(mesh));
        painter.extend(outlines);

        // Markers: one mesh of small fans, a dark rim under a coloured disc.
        let zoom_factor = (transform.scale / 65_536.0).clamp(0.6, 2.5); // 1.0 at zoom 8
        // One textured quad per marker (an anti-aliased disc with a dark rim, tinted by the
        // vertex colour): 4 vertices instead of ~20 for two fans, which the benchmark wants.
        let texture = marker_texture(painter.ctx());
        let mut markers = Mesh::with_texture(texture.id());
        markers.reserve_vertices(self.markers.len() * 4);
        markers.reserve_triangles(self.markers.len() * 2);
        let uv = Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0));
        let mut hovered: Option<(usize, f32)> = None;
        for (index, marker) in self.markers.iter().enumerate() {
            let pos = transform.apply(marker.rel);
            if !visible.contains(pos) {
                continue;
            }
            let radius = marker.radius * zoom_factor;
            if let Some(p) = pointer {
                let d = p.distance(pos);
                if d <= radius + 3.0 && hovered.is_none_or(|(_, best)| d < best) {
                    hovered = Some((index, d));
                }
            }
            let r = radius + 1.2;
            markers.add_rect_with_uv(
                Rect::from_center_size(pos, Vec2::splat(2.0 * r)),
                uv,
                colour_of(index, marker.load_colour),
            );
        }
        painter.add(Shape::mesh(markers));

        if show_labels {
            let font = egui::FontId::proportional(11.0);
            let halo =
                if text_colour.r() > 128 { Color32::from_black_alpha(150) } else { Color32::from_white_alpha(170) };
            for label in &self.labels {
                let pos = transform.apply(label.rel);
                if visible.contains(pos) {
                    let galley = painter.layout_no_wrap(label.text.clone(), font.clone(), text_colour);
                    let rect = egui::Align2::CENTER_CENTER.anchor_size(pos, galley.size());
                    painter.rect_filled(rect.expand(1.5), 3.0, halo);
                    painter.galley(rect.min, galley, text_colour);
                }
            }
        }
        for index in highlighted.iter().copied().chain(hovered.map(|h| h.0)) {
            if let Some(marker) = self.markers.get(index) {
                let pos = transform.apply(marker.rel);
                painter.circle_stroke(pos, marker.radius * zoom_factor + 3.0, Stroke::new(2.5, Color32::WHITE));
                painter.circle_stroke(pos, marker.radius * zoom_factor + 4.5, Stroke::new(1.5, Color32::BLACK));
            }
        }
        hovered.map(|h| h.0)
    }

    /// The selected practice's mark: a wide ring in the selection colour round a dark one, drawn
    /// above everything else. Returns its centre and radius when it is on screen.
    pub fn paint_selected(
        &self,
        painter: &egui::Painter,
        transform: ScreenTransform,
        index: usize,
        colour: Color32,
    ) -> Option<(Pos2, f32)> {
        let marker = self.markers.get(index)?;
        let pos = transform.apply(marker.rel);
        if !painter.clip_rect().contains(pos) {
            return None;
        }
        let zoom_factor = (transform.scale / 65_536.0).clamp(0.6, 2.5);
        let radius = marker.radius * zoom_factor + 7.0;
        painter.circle_stroke(pos, radius + 2.0, Stroke::new(1.5, Color32::BLACK));
        painter.circle_stroke(pos, radius, Stroke::new(3.5, colour));
        painter.circle_stroke(pos, radius - 2.5, Stroke::new(1.0, Color32::WHITE));
        Some((pos, radius))
    }

    /// The screen position of a practice's marker under `transform`.
    pub fn marker_pos(&self, index: usize, transform: ScreenTransform) -> Option<Pos2> {
        self.markers.get(index).map(|m| transform.apply(m.rel))
    }
}

/// The marker disc: white inside, a dark rim, transparent outside; made once per context.
fn marker_texture(ctx: &egui::Context) -> egui::TextureHandle {
    let id = egui::Id::unique("tutorfordeling_marker_texture");
    if let Some(t) = ctx.data(|d| d.get_temp::<egui::TextureHandle>(id)) {
        return t;
    }
    const SIZE: usize = 32;
    let centre = SIZE as f32 / 2.0;
    let outer = centre - 0.5;
    let rim_width = 3.0;
    let pixels: Vec<Color32> = (0..SIZE * SIZE)
        .map(|i| {
            let (x, y) = ((i % SIZE) as f32 + 0.5, (i / SIZE) as f32 + 0.5);
            let d = ((x - centre).powi(2) + (y - centre).powi(2)).sqrt();
            let alpha = (outer - d + 0.5).clamp(0.0, 1.0);
            let inside = (outer - rim_width - d + 0.5).clamp(0.0, 1.0);
            let grey = 60.0 + 195.0 * inside;
            Color32::from_rgba_unmultiplied(grey as u8, grey as u8, grey as u8, (alpha * 255.0) as u8)
        })
        .collect();
    let image = egui::ColorImage::new([SIZE, SIZE], pixels);
    let texture = ctx.load_texture("marker", image, egui::TextureOptions::LINEAR);
    ctx.data_mut(|d| d.insert_temp(id, texture.clone()));
    texture
}

impl MapPanel {
    /// The screen position of a practice's marker in the last frame (tests drag onto it).
    pub fn marker_screen_pos(&self, practice_index: usize) -> Option<Pos2> {
        self.geometry.as_ref()?.marker_pos(practice_index, self.last_transform?)
    }

    fn ensure_geometry(&mut self, state: &AppState) {
        if self.geometry.is_some() && self.geometry_version == state.data_version {
            return;
        }
        let counts = state.current_counts();
        let current = |p: &Practice| counts.get(p.id.as_str()).copied().unwrap_or(0);
        self.geometry = Some(MapGeometry::build(&state.data, &state.boundaries, &current, state.dark));
        self.geometry_version = state.data_version;
    }

    /// The map's zoom level (walkers: 256 px tiles, doubling per level).
    pub fn zoom(&self) -> f64 {
        self.memory.zoom()
    }

    /// One zoom step in (`+`, the "+" button) or out (`−`), about the map's centre.
    fn zoom_step(&mut self, steps: f64) {
        self.touched = true;
        // Outside walkers' range (0..=26) the zoom stays as it is, as with a web map at its end.
        let _ = self.memory.set_zoom((self.memory.zoom() + steps).clamp(MIN_ZOOM, MAX_ZOOM));
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, state: &mut AppState) {
        self.ensure_geometry(state);
        let size = ui.available_size() - Vec2::new(0.0, 30.0);
        if self.fitted && !self.touched && (size - self.fit_size).length() > 20.0 {
            // The window or a side panel changed size before the user moved the map: fit again.
            self.fitted = false;
        }
        if !self.fitted {
            // Only fails outside walkers' zoom range, which `fitting_zoom` clamps to.
            let _ = self.memory.set_zoom(fitting_zoom(size));
            let (w, s, e, n) = REGION_BOUNDS;
            self.memory.center_at(lat_lon((s + n) / 2.0, (w + e) / 2.0));
            self.fitted = true;
            self.fit_size = size;
            self.fitted_zoom = self.memory.zoom();
        }
        // After the fit, so that "Vis på kortet" on the map's first frame still pans to it.
        if let Some(id) = state.focus_practice.take()
            && let Some(p) = state.data.practice(&id)
        {
            self.touched = true;
            self.memory.center_at(lat_lon(p.lat, p.lon));
            if self.memory.zoom() < FOCUS_ZOOM {
                let _ = self.memory.set_zoom(FOCUS_ZOOM);
            }
        }
        let ctx = ui.ctx().clone();
        let dragged = egui::DragAndDrop::payload::<DraggedTrainee>(&ctx);
        if let Some(d) = &dragged {
            state.ensure_drag_check(&d.0);
        }
        let selected: Option<usize> = match &state.selection {
            Selection::Practice(id) => state.data.practices.iter().position(|p| &p.id == id),
            _ => None,
        };
        let mut highlighted: Vec<usize> = Vec::new();
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(state.t("Find praksis", "Find practice"));
            ui.add(
                egui::TextEdit::singleline(&mut self.search)
                    .desired_width(200.0)
                    .hint_text(state.t("navn, id eller kommune", "name, id or municipality")),
            )
            .labelled_by(l.id);
            let needle = self.search.trim().to_lowercase();
            if !needle.is_empty() {
                let found: Vec<usize> = state
                    .data
                    .practices
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| {
                        p.name.to_lowercase().contains(&needle)
                            || p.id.to_lowercase().contains(&needle)
                            || p.municipality.to_lowercase().contains(&needle)
                    })
                    .map(|(i, _)| i)
                    .collect();
                ui.label(format!("{} {}", found.len(), state.t("fundet", "found")));
                if found.len() == 1 && ui.button(state.t("Vælg", "Select")).clicked() {
                    state.selection = Selection::Practice(state.data.practices[found[0]].id.clone());
                    state.focus_practice = Some(state.data.practices[found[0]].id.clone());
                }
                // Ringing thousands of markers would hide the map; the count still tells.
                highlighted.extend(found.into_iter().take(500));
            }
            let was = self.show_tiles;
            ui.checkbox(&mut self.show_tiles, state.t("Baggrundskort (OpenStreetMap)", "Base map (OpenStreetMap)"));
            if self.show_tiles && !was {
                self.tiles_since = None;
                self.tiles_seen = false;
            }
        });
        if self.show_tiles && self.tiles.is_none() {
            let cache = directories::ProjectDirs::from("dk", "Region Midtjylland", "tutorfordeling")
                .map(|d| d.cache_dir().join("tiles"));
            let options = walkers::HttpOptions { cache, ..Default::default() };
            self.tiles = Some(walkers::HttpTiles::with_options(walkers::sources::OpenStreetMap, options, ctx.clone()));
        }
        // Keyboard zoom, as in web maps: + and − (also = and the keypad's), unless a text field
        // has the keyboard.
        if !ctx.egui_wants_keyboard_input() {
            let (zoom_in, zoom_out) = ctx.input(|i| {
                (i.key_pressed(egui::Key::Plus) || i.key_pressed(egui::Key::Equals), i.key_pressed(egui::Key::Minus))
            });
            if zoom_in {
                self.zoom_step(1.0);
            }
            if zoom_out {
                self.zoom_step(-1.0);
            }
        }
        let pointer = ctx.input(|i| i.pointer.interact_pos().or(i.pointer.hover_pos()));
        let dark = ui.visuals().dark_mode;
        let text_colour = if dark { Color32::from_gray(220) } else { Color32::from_gray(40) };
        let background = if dark { Color32::from_rgb(24, 30, 38) } else { Color32::from_rgb(214, 228, 238) };
        let map_rect = ui.available_rect_before_wrap();
        ui.painter().rect_filled(map_rect, 0.0, background);
        let selection_colour = ui.visuals().selection.bg_fill;

        let geometry = self.geometry.as_ref();
        let mut hovered = None;
        let mut transform = None;
        let mut selected_ring = None;
        let mut tile_shown = false;
        let now = ctx.input(|i| i.time);
        let mut tracked =
            self.tiles.as_mut().filter(|_| self.show_tiles).map(|t| TrackedTiles { inner: t, shown: &mut tile_shown });
        let tiles: Option<&mut dyn walkers::Tiles> = tracked.as_mut().map(|t| t as &mut dyn walkers::Tiles);
        // Wheel zooms around the pointer and a drag pans, as in web maps (walkers' default wants
        // Ctrl for zooming and pans with the wheel).
        let map = walkers::Map::new(tiles, &mut self.memory, lat_lon(REGION_CENTRE.0, REGION_CENTRE.1))
            .zoom_with_ctrl(false)
            .double_click_to_zoom(true);
        let response = map
            .show(ui, |ui, response, projector, _memory| {
                let Some(geometry) = geometry else { return };
                let t = geometry.transform(projector);
                transform = Some(t);
                let colour_of = |index: usize, load: Color32| match state.drag_feasibility(index) {
                    Some(f) if dragged.is_some() => {
                        if f.is_feasible() {
                            FEASIBLE
                        } else {
                            INFEASIBLE
                        }
                    }
                    _ => load,
                };
                // walkers gives its closure a child of the panel's Ui, clipped as the panel is:
                // everything drawn on the map is clipped to the map's own rectangle, so that
                // zoomed in it never paints over the tab bar, the search row or the status bar.
                let painter = ui.painter_at(response.rect);
                let inside = pointer.filter(|p| response.rect.contains(*p));
                hovered = geometry.paint(
                    &painter,
                    t,
                    inside,
                    &colour_of,
                    &highlighted,
                    projector.zoom() >= 7.5,
                    text_colour,
                    state.area.as_deref(),
                );
                super::rounds::paint_layer(&painter, state, &|i| geometry.marker_pos(i, t), text_colour);
                if let Some(index) = selected {
                    selected_ring = geometry.paint_selected(&painter, t, index, selection_colour);
                }
            })
            .response;
        if response.dragged() || (self.memory.zoom() - self.fitted_zoom).abs() > 1e-9 {
            self.touched = true;
        }
        self.last_transform = transform;
        self.last_rect = Some(response.rect);
        self.selected_ring = selected_ring;
        self.hovered = hovered;
        if self.show_tiles {
            let since = *self.tiles_since.get_or_insert(now);
            self.tiles_seen |= tile_shown;
            if !self.tiles_seen && now - since > TILES_GRACE_SECONDS {
                offline_note(ui, response.rect, state);
            } else if !self.tiles_seen {
                ctx.request_repaint_after(std::time::Duration::from_millis(500));
            }
        }

        // Legend and attribution.
        legend_ui(ui, response.rect, state, dragged.is_some(), self.show_tiles);
        self.controls_ui(ui, response.rect, state);

        if let Some(index) = hovered {
            if let Some(practice) = state.data.practices.get(index) {
                let id = egui::Id::unique("map_tooltip");
                egui::Tooltip::always_open(ctx.clone(), ui.layer_id(), id, egui::PopupAnchor::Pointer)
                    .show(|ui| tooltip_ui(ui, state, index, practice, dragged.is_some()));
            }
            if response.clicked()
                && let Some(p) = state.data.practices.get(index)
            {
                state.selection = Selection::Practice(p.id.clone());
            }
        }

        // The drop: the pointer is released over the map while carrying a trainee.
        let released = ctx.input(|i| i.pointer.any_released());
        let over_map = pointer.is_some_and(|p| response.rect.contains(p));
        if dragged.is_some()
            && released
            && over_map
            && let (Some(index), Some(payload)) = (hovered, egui::DragAndDrop::take_payload::<DraggedTrainee>(&ctx))
            && let Some(practice_id) = state.data.practices.get(index).map(|p| p.id.clone())
        {
            state.drop_trainee(&payload.0, &practice_id);
        }
    }

    /// "+", "−" and "Hele regionen" in the map's top right corner, one above the other, as web
    /// maps have them (narrow, so the legend keeps its place at the left).
    fn controls_ui(&mut self, ui: &mut egui::Ui, map_rect: Rect, state: &AppState) {
        let width = 118.0;
        let rect = Rect::from_min_size(
            Pos2::new(map_rect.right() - width - 8.0, map_rect.top() + 8.0),
            Vec2::new(width, 96.0),
        );
        let mut child =
            ui.new_child(egui::UiBuilder::new().max_rect(rect).layout(egui::Layout::top_down(egui::Align::Max)));
        let button = |text: &str| egui::Button::new(text).min_size(Vec2::new(28.0, 24.0));
        if child.add(button("+")).on_hover_text(state.t("Zoom ind (+)", "Zoom in (+)")).clicked() {
            self.zoom_step(1.0);
        }
        if child.add(button("−")).on_hover_text(state.t("Zoom ud (−)", "Zoom out (−)")).clicked() {
            self.zoom_step(-1.0);
        }
        if child
            .add(button(state.t("Hele regionen", "Whole region")))
            .on_hover_text(state.t("Vis hele regionen", "Show the whole region"))
            .clicked()
        {
            self.fitted = false;
            self.touched = false;
            child.ctx().request_repaint();
        }
    }
}

/// How long the base map may take before the map says that it cannot be fetched.
const TILES_GRACE_SECONDS: f64 = 6.0;
const MIN_ZOOM: f64 = 5.0;
const MAX_ZOOM: f64 = 18.0;
/// "Vis på kortet" zooms in at least this far, so the practice stands out from its neighbours.
const FOCUS_ZOOM: f64 = 10.0;

/// The OpenStreetMap tiles, noting whether any tile was ready this frame.
struct TrackedTiles<'a> {
    inner: &'a mut walkers::HttpTiles,
    shown: &'a mut bool,
}

impl walkers::Tiles for TrackedTiles<'_> {
    fn at(&mut self, tile_id: walkers::TileId) -> Option<walkers::TilePiece> {
        let piece = walkers::Tiles::at(self.inner, tile_id);
        *self.shown |= piece.is_some();
        piece
    }

    fn attribution(&self) -> walkers::sources::Attribution {
        walkers::Tiles::attribution(self.inner)
    }

    fn tile_size(&self) -> u32 {
        walkers::Tiles::tile_size(self.inner)
    }

    fn stats(&self) -> walkers::Stats {
        walkers::Tiles::stats(self.inner)
    }
}

/// With the base map on and no tile arriving (no network): a quiet note at the map's foot.
fn offline_note(ui: &egui::Ui, map_rect: Rect, state: &AppState) {
    let painter = ui.painter_at(map_rect);
    let text = state.t("Baggrundskort kan ikke hentes", "Background map unavailable");
    let colour = ui.visuals().weak_text_color();
    let galley = painter.layout_no_wrap(text.to_string(), egui::FontId::proportional(12.0), colour);
    let pos = Pos2::new(map_rect.center().x - galley.size().x / 2.0, map_rect.bottom() - galley.size().y - 24.0);
    painter.rect_filled(
        Rect::from_min_size(pos, galley.size()).expand(4.0),
        3.0,
        ui.visuals().extreme_bg_color.gamma_multiply(0.85),
    );
    painter.galley(pos, galley, colour);
}

fn tooltip_ui(ui: &mut egui::Ui, state: &AppState, index: usize, practice: &Practice, dragging: bool) {
    ui.strong(&practice.name);
    ui.label(format!("{} · {}", practice.id, practice.municipality));
    let current = state
        .data
        .placements
        .iter()
        .filter(|p| p.practice_id == practice.id && p.start <= state.today && state.today <= p.end)
        .count();
    ui.label(format!(
        "{}: {}   {}: {}",
        state.t("Tutorer", "Tutors"),
        practice.tutors,
        state.t("Nuværende uddannelseslæger", "Current trainees"),
        current
    ));
    let mut flags = Vec::new();
    if state.data.is_threatened(practice) {
        flags.push(state.t("P5 lægedækningstruet", "P5 threatened area").to_string());
    }
    if !practice.refuses.is_empty() {
        let kinds: Vec<&str> = practice.refuses.iter().map(|k| state.lang.kind(*k)).collect();
        flags.push(format!("P3 {} {}", state.t("afviser", "refuses"), kinds.join(", ")));
    }
    if practice.large {
        flags.push(state.t("stor (H6)", "large (H6)").to_string());
    }
    if !flags.is_empty() {
        ui.label(flags.join(" · "));
    }
    if dragging && let Some(f) = state.drag_feasibility(index) {
        ui.separator();
        if f.is_feasible() {
            let score = f.score.map(|s| i18n::number(s, 1)).unwrap_or_else(|| "–".into());
            ui.colored_label(
                FEASIBLE,
                format!("{} · {}: {score}", state.t("Mulig", "Feasible"), state.t("score", "score")),
            );
        } else {
            ui.colored_label(INFEASIBLE, state.t("Ikke mulig:", "Not feasible:"));
            for v in &f.violations {
                ui.label(v.text(state.lang));
            }
        }
    }
}

fn legend_ui(ui: &mut egui::Ui, map_rect: Rect, state: &AppState, dragging: bool, osm_tiles: bool) {
    let painter = ui.painter_at(map_rect);
    let mut y = map_rect.top() + 10.0;
    let x = map_rect.left() + 10.0;
    let font = egui::FontId::proportional(12.0);
    let text = if ui.visuals().dark_mode { Color32::from_gray(230) } else { Color32::from_gray(30) };
    let lines = if dragging {
        2.0
    } else if state.boundaries.is_empty() {
        6.0
    } else {
        5.0
    };
    let bg = Rect::from_min_size(Pos2::new(x - 6.0, y - 6.0), Vec2::new(250.0, lines * 18.0 + 10.0));
    painter.rect_filled(bg, 4.0, ui.visuals().extreme_bg_color.gamma_multiply(0.85));
    let mut row = |colour: Color32, label: &str, outline: bool| {
        if outline {
            painter.rect_stroke(
                Rect::from_min_size(Pos2::new(x, y), Vec2::splat(12.0)),
                0.0,
                Stroke::new(2.5, colour),
                egui::StrokeKind::Inside,
            );
        } else {
            painter.circle_filled(Pos2::new(x + 6.0, y + 6.0), 6.0, colour);
        }
        painter.text(Pos2::new(x + 20.0, y + 6.0), egui::Align2::LEFT_CENTER, label, font.clone(), text);
        y += 18.0;
    };
    if dragging {
        row(FEASIBLE, state.t("Mulig (score i tooltip)", "Feasible (score in tooltip)"), false);
        row(INFEASIBLE, state.t("Bryder en hård regel", "Breaks a hard rule"), false);
    } else {
        row(load_colour(0.0), state.t("Ingen uddannelseslæger nu", "No trainees now"), false);
        row(load_colour(0.5), state.t("Halv belastning pr. tutor", "Half load per tutor"), false);
        row(load_colour(1.0), state.t("Fuld belastning pr. tutor", "Full load per tutor"), false);
        row(THREATENED_OUTLINE, state.t("Lægedækningstruet (P5)", "Threatened area (P5)"), true);
        let districts = format!(
            "{}: {} / {} / {}",
            state.t("Distrikt", "District"),
            state.lang.district(District::East),
            state.lang.district(District::Middle),
            state.lang.district(District::West)
        );
        painter.text(Pos2::new(x, y + 4.0), egui::Align2::LEFT_CENTER, districts, font.clone(), text);
        y += 18.0;
        if state.boundaries.is_empty() {
            painter.text(
                Pos2::new(x, y + 4.0),
                egui::Align2::LEFT_CENTER,
                state.t("Ingen kommunegrænser: Filer → Importér", "No boundaries: File → Import"),
                font.clone(),
                text,
            );
        }
        // Attribution for what is drawn: the boundaries' source and, with tiles, OpenStreetMap.
        let mut sources = Vec::new();
        if !state.boundaries.is_empty() {
            sources.push(
                state
                    .t("Grænser: Geodatastyrelsen & Danske Kommuner", "Boundaries: Geodatastyrelsen & Danske Kommuner"),
            );
        }
        if osm_tiles {
            sources.push(state.t("Kort: © OpenStreetMap-bidragydere", "Map: © OpenStreetMap contributors"));
        }
        if !sources.is_empty() {
            painter.text(
                Pos2::new(map_rect.right() - 6.0, map_rect.bottom() - 6.0),
                egui::Align2::RIGHT_BOTTOM,
                sources.join(" · "),
                egui::FontId::proportional(10.0),
                text,
            );
        }
    }
}

/// The simplified outlines of the region's 19 municipalities that ship with the program
/// (`assets/`, made by `scripts/simplify_boundaries.py` from Geodatastyrelsen & Danske Kommuner's
/// public boundaries).
const BUNDLED_BOUNDARIES: &[u8] = include_bytes!("../../assets/midtjylland_municipalities.geojson");

/// The boundaries to draw: the file's own when it has any (an imported file wins), otherwise the
/// outlines shipped with the program, so the first start shows a real map with no network.
pub fn with_bundled_boundaries(own: Vec<BoundaryRing>, region: &crate::domain::region::Region) -> Vec<BoundaryRing> {
    if !own.is_empty() {
        return own;
    }
    // The asset is parsed by the same parser as an imported file; it is checked by a test, so
    // an error here would only mean a region without the shipped municipalities: no outlines.
    crate::store::boundaries::parse_boundaries(BUNDLED_BOUNDARIES, region).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn outside_my_area_the_municipalities_fade_inside_and_with_the_whole_region_they_do_not() {
        let fill = egui::Color32::from_rgb(120, 160, 220);
        assert_eq!(super::area_fill(fill, "Hospitalsenhed Horsens", None), fill);
        assert_eq!(super::area_fill(fill, "Hospitalsenhed Horsens", Some("Hospitalsenhed Horsens")), fill);
        let faded = super::area_fill(fill, "Hospitalsenhed Midt", Some("Hospitalsenhed Horsens"));
        assert!(faded.a() < fill.a(), "{faded:?}");
    }
}
