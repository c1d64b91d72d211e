//! The fairness review (`domain::fairness`) rendered for people: each flag's name and reason with
//! its figures in Danish or English, the table of `fairness --format text`, and the printable PDF
//! report for the committee (`fairness --pdf`, the Fordeling tab's print button), in Danish.
//!
//! The PDF uses the statements' layout tools (DejaVu Sans embedded, text measured by glyph
//! advances) and draws its plots with printpdf shapes: bars as filled rectangles, lines as
//! strokes, each plot with its axes named and its baseline drawn as a dashed line.

use std::fmt::Write as _;

use chrono::NaiveDate;
use printpdf::{
    Color, Line, LineDashPattern, LinePoint, Mm, OffsetDateTime, Op, PaintMode, PdfDocument, PdfPage, PdfSaveOptions,
    Point, Polygon, PolygonRing, Rgb, WindingOrder,
};

use super::format::{Lang, date, number};
use super::statement::{Canvas, Face, Fonts, ReportError};
use crate::domain::fairness::{
    EVEN_TYPE_SHARE, FairnessReview, Flag, FlagKind, IdleStretch, P6Figures, P6Thresholds, PracticeFairness,
};
use crate::domain::model::TraineeType;

/// One colour per trainee type, shared by the desk's timeline and plots and the PDF's plots.
pub fn kind_rgb(kind: TraineeType) -> (u8, u8, u8) {
    match kind {
        TraineeType::Kbu => (66, 133, 244),
        TraineeType::Intro => (52, 168, 83),
        TraineeType::Phase1 => (251, 188, 5),
        TraineeType::Phase2 => (234, 120, 30),
        TraineeType::Phase3 => (200, 50, 60),
        TraineeType::Other => (150, 100, 200),
    }
}

/// The flag's name, e.g. "P6 drives af uddannelseslæger".
pub fn flag_name(kind: FlagKind, lang: Lang) -> &'static str {
    match kind {
        FlagKind::RefusesTypes => lang.t("P3 afviser en type", "P3 refuses a type"),
        FlagKind::RunsOnTrainees => lang.t("P6 drives af uddannelseslæger", "P6 runs on trainees"),
        FlagKind::Idle => lang.t("Ingen i lang tid", "Idle"),
    }
}

fn percent_of(share: f64) -> String {
    format!("{} %", number(share * 100.0, 0))
}

fn type_list(types: &[TraineeType], lang: Lang) -> String {
    types.iter().map(|k| lang.kind(*k)).collect::<Vec<_>>().join(", ")
}

/// The flag with its figures, short enough for a table cell: "P6: 98 % · 0,62 pr. læge".
pub fn flag_short(flag: &Flag, lang: Lang) -> String {
    match flag {
        Flag::RefusesTypes { types } => format!("P3: {}", type_list(types, lang)),
        Flag::RunsOnTrainees { figures, .. } => format!(
            "P6: {} · {} {}",
            percent_of(figures.share_of_days()),
            number(figures.trainees_per_doctor(), 2),
            lang.t("pr. læge", "per doctor")
        ),
        Flag::Idle { stretch } => match stretch.months() {
            Some(m) => format!("{} {} {}", lang.t("Ingen i", "Idle"), number(m, 0), lang.t("mdr.", "months")),
            None => lang.t("Ingen nogensinde", "Never any").to_string(),
        },
    }
}

/// Why the flag was raised, with its figures and thresholds: the sentence a reviewer reads.
pub fn flag_reason(flag: &Flag, lang: Lang) -> String {
    match flag {
        Flag::RefusesTypes { types } => {
            format!("P3: {} {}.", lang.t("afviser", "refuses"), type_list(types, lang))
        }
        Flag::RunsOnTrainees { figures, thresholds } => p6_reason(figures, thresholds, lang),
        Flag::Idle { stretch } => idle_reason(stretch, lang),
    }
}

/// Rule P6's figures against its thresholds, flagged or not.
pub fn p6_reason(figures: &P6Figures, thresholds: &P6Thresholds, lang: Lang) -> String {
    format!(
        "P6: {} {} {} ({} {} %); {} {} {} ({} {}). {} {} {} {}.",
        lang.t("uddannelseslæger til stede", "trainees present on"),
        percent_of(figures.share_of_days()),
        lang.t("af dagene", "of the days"),
        lang.t("markeres ved mindst", "flagged from"),
        thresholds.min_days_percent,
        lang.t("de dage i snit", "on those days on average"),
        number(figures.trainees_per_doctor(), 2),
        lang.t("pr. læge", "per doctor"),
        lang.t("markeres ved mindst", "flagged from"),
        number(thresholds.min_trainees_per_doctor, 2),
        lang.t("Seneste", "Over the last"),
        thresholds.window_months,
        lang.t("måneder til", "months to"),
        date(figures.window_end)
    )
}

fn idle_reason(stretch: &IdleStretch, lang: Lang) -> String {
    let name = flag_name(FlagKind::Idle, lang);
    let limit =
        format!("{} {} {}", lang.t("markeres efter", "flagged after"), stretch.idle_months, lang.t("mdr.", "months"));
    match (stretch.free_from, stretch.months()) {
        (Some(from), Some(months)) => format!(
            "{name}: {} {} {} {} ({} {}; {limit}).",
            lang.t("ingen uddannelseslæge fra", "no trainee from"),
            date(from),
            lang.t("til", "to"),
            date(stretch.free_to),
            number(months, 1),
            lang.t("mdr.", "months"),
        ),
        _ => format!(
            "{name}: {} {} ({limit}).",
            lang.t("ingen uddannelseslæge registreret til", "no trainee on record up to"),
            date(stretch.free_to)
        ),
    }
}

/// `12,35`: two decimals with the Danish decimal comma (the CLI's text output).
fn comma(x: f64) -> String {
    number(x, 2)
}

/// `12,35 %` for a share 0–1.
fn percent(share: f64) -> String {
    format!("{} %", comma(share * 100.0))
}

/// The review as a readable table for `fairness --format text`, numbers with a decimal comma,
/// followed by the region's figures with their baselines and the flagged practices with reasons.
pub fn text(review: &FairnessReview) -> String {
    let t = &review.p6_thresholds;
    let mut out = format!(
        "Fairness review {} to {} (today {})\nMonths are days ÷ (365,25 ÷ 12). Flags: P3 refuses a type; \
         P6 trainees present on {}+ % of the days of the last {} months, on those days {}+ per doctor \
         on average; idle nobody for a long time.\n\n",
        date(review.from),
        date(review.to),
        date(review.today),
        t.min_days_percent,
        t.window_months,
        comma(t.min_trainees_per_doctor)
    );

    let mut headers: Vec<String> =
        ["Practice", "Tutors", "Doctors", "Months", "Per tutor", "Per doctor"].map(String::from).to_vec();
    headers.extend(TraineeType::ALL.iter().map(|t| t.key().to_string()));
    headers.extend(["Flags", "Name"].map(String::from));
    let numeric_columns = 1..=5 + TraineeType::ALL.len();
    let rows: Vec<Vec<String>> = review
        .practices
        .iter()
        .map(|p| {
            let mut row = vec![
                p.practice_id.clone(),
                p.tutors.to_string(),
                p.doctors.to_string(),
                comma(p.trainee_months),
                comma(p.months_per_tutor),
                comma(p.months_per_doctor),
            ];
            row.extend(TraineeType::ALL.iter().map(|t| comma(p.by_type.get(t.key()).copied().unwrap_or(0.0))));
            row.push(p.flags.iter().map(Flag::rule_id).collect::<Vec<_>>().join(","));
            row.push(p.name.clone());
            row
        })
        .collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(column, (cell, &width))| {
                let fill = " ".repeat(width.saturating_sub(cell.chars().count()));
                if numeric_columns.contains(&column) { format!("{fill}{cell}") } else { format!("{cell}{fill}") }
            })
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    out.push_str(&line(&headers));
    for row in &rows {
        out.push_str(&line(row));
    }

    let counts = review.flag_counts();
    let count = |k: FlagKind| counts.get(&k).copied().unwrap_or(0);
    let _ = write!(
        out,
        "\nRegion\n  Gini of months per tutor: {} (0 = perfectly even)\n  Median months per tutor: {}\n  \
         Months in threatened areas: {} (tutors there: {})\n  Flagged: P3 {}, P6 {}, idle {} of {} practices\n",
        comma(review.gini_months_per_tutor),
        comma(review.median_months_per_tutor),
        percent(review.threatened_share),
        percent(review.threatened_tutor_share),
        count(FlagKind::RefusesTypes),
        count(FlagKind::RunsOnTrainees),
        count(FlagKind::Idle),
        review.practices.len()
    );
    if !review.years.is_empty() {
        out.push_str("\n  Year  Months      Gini  Threatened\n");
        for y in &review.years {
            let _ = writeln!(
                out,
                "  {}  {:>8}  {:>6}  {:>10}",
                y.year,
                comma(y.trainee_months),
                comma(y.gini_months_per_tutor),
                percent(y.threatened_share)
            );
        }
    }
    let flagged: Vec<&PracticeFairness> = review.flagged().collect();
    if !flagged.is_empty() {
        out.push_str("\nFlagged practices\n");
        for p in flagged {
            let _ = writeln!(out, "  {} {}", p.practice_id, p.name);
            for f in &p.flags {
                let _ = writeln!(out, "    {}", flag_reason(f, Lang::English));
            }
        }
    }
    out
}

// ------------------------------------------------------------------------------------------
// The PDF report. A4 portrait; coordinates in millimetres from the bottom left.

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const LEFT: f32 = 15.0;
const RIGHT: f32 = 195.0;
/// The first baseline below the header on pages after the first.
const TOP_Y: f32 = 262.0;
const BOTTOM_Y: f32 = 20.0;
const BODY_PT: f32 = 8.0;
const SMALL_PT: f32 = 7.0;

/// The flagged practices' table: left edges of the columns and the reason column's width.
const COL_ID_X: f32 = LEFT;
const COL_NAME_X: f32 = 34.0;
const COL_MUNICIPALITY_X: f32 = 80.0;
const COL_REASON_X: f32 = 106.0;
const REASON_W: f32 = RIGHT - COL_REASON_X;
const FLAG_LINE_H: f32 = 3.6;

fn rgb(r: u8, g: u8, b: u8) -> Color {
    Color::Rgb(Rgb { r: f32::from(r) / 255.0, g: f32::from(g) / 255.0, b: f32::from(b) / 255.0, icc_profile: None })
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint { p: Point::new(Mm(x), Mm(y)), bezier: false }
}

/// A filled rectangle with its lower left corner at (`x`, `y`).
fn fill_rect(ops: &mut Vec<Op>, x: f32, y: f32, w: f32, h: f32, colour: Color) {
    if w <= 0.0 || h <= 0.0 {
        return;
    }
    ops.push(Op::SaveGraphicsState);
    ops.push(Op::SetFillColor { col: colour });
    ops.push(Op::DrawPolygon {
        polygon: Polygon {
            rings: vec![PolygonRing {
                points: vec![point(x, y), point(x + w, y), point(x + w, y + h), point(x, y + h)],
            }],
            mode: PaintMode::Fill,
            winding_order: WindingOrder::NonZero,
        },
    });
    ops.push(Op::RestoreGraphicsState);
}

/// A polyline through `points`, dashed when asked.
fn stroke(ops: &mut Vec<Op>, points: &[(f32, f32)], thickness_pt: f32, colour: Color, dashed: bool) {
    if points.len() < 2 {
        return;
    }
    ops.push(Op::SaveGraphicsState);
    ops.push(Op::SetOutlineColor { col: colour });
    ops.push(Op::SetOutlineThickness { pt: printpdf::Pt(thickness_pt) });
    if dashed {
        ops.push(Op::SetLineDashPattern { dash: LineDashPattern::new(0.0, &[3.0, 2.0]) });
    }
    ops.push(Op::DrawLine {
        line: Line { points: points.iter().map(|&(x, y)| point(x, y)).collect(), is_closed: false },
    });
    ops.push(Op::RestoreGraphicsState);
}

/// A step for about `n` ticks up to `max`: 1, 2 or 5 times a power of ten.
fn nice_step(max: f64, n: f64) -> f64 {
    if max.is_nan() || max <= 0.0 || max.is_infinite() {
        return 1.0;
    }
    let rough = max / n;
    let power = 10f64.powf(rough.log10().floor());
    let unit = rough / power;
    let nice = if unit <= 1.0 {
        1.0
    } else if unit <= 2.0 {
        2.0
    } else if unit <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// The decimals a tick label of `step` needs.
fn decimals_for(step: f64) -> usize {
    if step >= 1.0 {
        0
    } else if step >= 0.1 {
        1
    } else {
        2
    }
}

/// A plot's frame in millimetres and its data ranges.
struct Axes {
    left: f32,
    bottom: f32,
    width: f32,
    height: f32,
    x_min: f64,
    x_max: f64,
    y_max: f64,
}

impl Axes {
    fn x(&self, value: f64) -> f32 {
        let span = (self.x_max - self.x_min).max(1e-9);
        self.left + ((value - self.x_min) / span) as f32 * self.width
    }

    fn y(&self, value: f64) -> f32 {
        self.bottom + (value / self.y_max.max(1e-9)).clamp(0.0, 1.0) as f32 * self.height
    }
}

/// Draws the title, both axes with their names, the y ticks with grid lines, and returns nothing:
/// the caller draws the data after. `y_unit` is written after each tick label (e.g. " %").
fn draw_frame(c: &mut Canvas<'_>, a: &Axes, title: &str, x_name: &str, y_name: &str, y_unit: &str) {
    let top = a.bottom + a.height;
    c.left(true, 8.5, a.left - 10.0, top + 7.0, title);
    c.left(false, SMALL_PT, a.left - 10.0, top + 2.5, y_name);
    let step = nice_step(a.y_max, 4.0);
    let decimals = decimals_for(step);
    let mut tick = 0.0;
    while tick <= a.y_max + step * 1e-6 {
        let y = a.y(tick);
        c.rule(a.left, a.left + a.width, y, 0.2, 0.85);
        c.right(false, 6.0, a.left - 1.0, y - 0.9, &format!("{}{y_unit}", number(tick, decimals)));
        tick += step;
    }
    let black = rgb(0, 0, 0);
    stroke(&mut c.ops, &[(a.left, top), (a.left, a.bottom), (a.left + a.width, a.bottom)], 0.6, black, false);
    let w = c.regular.width_mm(x_name, SMALL_PT);
    c.left(false, SMALL_PT, a.left + (a.width - w) / 2.0, a.bottom - 8.0, x_name);
}

/// A dashed horizontal baseline at `value` with its label at the right end.
fn baseline_h(c: &mut Canvas<'_>, a: &Axes, value: f64, label: &str) {
    let y = a.y(value);
    stroke(&mut c.ops, &[(a.left, y), (a.left + a.width, y)], 0.8, rgb(200, 40, 40), true);
    c.right(false, 6.0, a.left + a.width, y + 1.0, label);
}

fn x_tick(c: &mut Canvas<'_>, a: &Axes, value: f64, label: &str) {
    let x = a.x(value);
    stroke(&mut c.ops, &[(x, a.bottom), (x, a.bottom - 1.0)], 0.4, rgb(0, 0, 0), false);
    let w = c.regular.width_mm(label, 6.0);
    c.left(false, 6.0, x - w / 2.0, a.bottom - 3.6, label);
}

/// P1: how many practices have each load per tutor, with the region's median.
fn plot_months_per_tutor(c: &mut Canvas<'_>, review: &FairnessReview, left: f32, bottom: f32) {
    let max = review.practices.iter().map(|p| p.months_per_tutor).fold(0.0, f64::max);
    let bins = 12usize;
    let bin = nice_step(max.max(1.0), bins as f64);
    let bins = ((max / bin).floor() as usize + 1).max(1);
    let mut counts = vec![0u32; bins];
    for p in &review.practices {
        let i = ((p.months_per_tutor / bin) as usize).min(bins - 1);
        counts[i] += 1;
    }
    let y_max = f64::from(counts.iter().copied().max().unwrap_or(0).max(1)) * 1.1;
    let a = Axes { left, bottom, width: 72.0, height: 42.0, x_min: 0.0, x_max: bins as f64 * bin, y_max };
    draw_frame(c, &a, "Måneder pr. tutor (P1)", "måneder pr. tutor", "antal praksisser", "");
    for (i, &n) in counts.iter().enumerate() {
        let x0 = a.x(i as f64 * bin);
        let x1 = a.x((i + 1) as f64 * bin);
        fill_rect(&mut c.ops, x0 + 0.3, a.bottom, x1 - x0 - 0.6, a.y(f64::from(n)) - a.bottom, rgb(66, 133, 244));
    }
    let label_step = nice_step(a.x_max, 5.0);
    let mut tick = 0.0;
    while tick <= a.x_max + 1e-9 {
        x_tick(c, &a, tick, &number(tick, decimals_for(label_step)));
        tick += label_step;
    }
    let m = review.median_months_per_tutor;
    let x = a.x(m);
    stroke(&mut c.ops, &[(x, a.bottom), (x, a.bottom + a.height)], 0.8, rgb(200, 40, 40), true);
    c.left(false, 6.0, x + 0.8, a.bottom + a.height - 2.5, &format!("median {}", number(m, 1)));
}

/// P2: months by type in the region, against an even mix of the five general-medicine types.
fn plot_type_mix(c: &mut Canvas<'_>, review: &FairnessReview, left: f32, bottom: f32) {
    let months = review.months_by_type();
    let general: f64 =
        TraineeType::ALL.iter().zip(months).filter(|(k, _)| **k != TraineeType::Other).map(|(_, m)| m).sum();
    let even = general * EVEN_TYPE_SHARE;
    let y_max = months.iter().copied().fold(even, f64::max).max(1.0) * 1.15;
    let a = Axes { left, bottom, width: 72.0, height: 42.0, x_min: 0.0, x_max: 6.0, y_max };
    draw_frame(c, &a, "Typeblanding i regionen (P2)", "type", "måneder", "");
    for (i, (kind, m)) in TraineeType::ALL.iter().zip(months).enumerate() {
        let x0 = a.x(i as f64 + 0.15);
        let x1 = a.x(i as f64 + 0.85);
        let (r, g, b) = kind_rgb(*kind);
        fill_rect(&mut c.ops, x0, a.bottom, x1 - x0, a.y(m) - a.bottom, rgb(r, g, b));
        let name = match kind {
            TraineeType::Other => "Anden",
            k => Lang::Danish.kind(*k),
        };
        x_tick(c, &a, i as f64 + 0.5, name);
    }
    baseline_h(c, &a, even, "jævn blanding");
}

/// A line through one value per year, with a square at each point.
fn year_line(c: &mut Canvas<'_>, a: &Axes, points: &[(i32, f64)], colour: Color) {
    let xy: Vec<(f32, f32)> = points.iter().map(|&(year, v)| (a.x(f64::from(year)), a.y(v))).collect();
    stroke(&mut c.ops, &xy, 1.2, colour.clone(), false);
    for &(x, y) in &xy {
        fill_rect(&mut c.ops, x - 0.8, y - 0.8, 1.6, 1.6, colour.clone());
    }
    for &(year, _) in points {
        x_tick(c, a, f64::from(year), &year.to_string());
    }
}

fn year_axes(points: &[(i32, f64)], left: f32, bottom: f32, y_max: f64) -> Axes {
    let first = points.first().map_or(0, |p| p.0);
    let last = points.last().map_or(first, |p| p.0);
    Axes { left, bottom, width: 72.0, height: 42.0, x_min: f64::from(first) - 0.5, x_max: f64::from(last) + 0.5, y_max }
}

/// P1 over time: the Gini per calendar year.
fn plot_gini(c: &mut Canvas<'_>, review: &FairnessReview, left: f32, bottom: f32) {
    let points = &review.gini_by_year;
    let y_max = points.iter().map(|p| p.1).fold(0.5, f64::max) * 1.1;
    let a = year_axes(points, left, bottom, y_max);
    draw_frame(c, &a, "Gini pr. år (0 = helt jævnt)", "år", "Gini for måneder pr. tutor", "");
    year_line(c, &a, points, rgb(66, 133, 244));
}

/// P5 over time: the threatened share per year against the share of tutors there.
fn plot_threatened(c: &mut Canvas<'_>, review: &FairnessReview, left: f32, bottom: f32) {
    let points: Vec<(i32, f64)> = review.threatened_share_by_year.iter().map(|&(y, s)| (y, s * 100.0)).collect();
    let base = review.threatened_tutor_share * 100.0;
    let y_max = points.iter().map(|p| p.1).fold(base, f64::max).max(5.0) * 1.2;
    let a = year_axes(&points, left, bottom, y_max);
    draw_frame(c, &a, "Andel i lægedækningstruede områder (P5)", "år", "% af uddannelsesmånederne", " %");
    year_line(c, &a, &points, rgb(52, 140, 70));
    baseline_h(c, &a, base, &format!("andel af tutorer: {} %", number(base, 1)));
}

/// Breaks `text` into lines no wider than `max_mm`.
fn wrap(face: &Face<'_>, text: &str, size_pt: f32, max_mm: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() { word.to_string() } else { format!("{current} {word}") };
        if face.width_mm(&candidate, size_pt) <= max_mm || current.is_empty() {
            current = candidate;
        } else {
            lines.push(std::mem::take(&mut current));
            current = word.to_string();
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// The header every page repeats.
fn draw_header(c: &mut Canvas<'_>, review: &FairnessReview, printed_on: NaiveDate, page: usize, pages: usize) {
    c.left(true, 11.0, LEFT, 282.0, "Region Midtjylland");
    c.left(false, 8.5, LEFT, 277.5, "DYNAMU: fordeling af uddannelseslæger i tutorpraksis");
    c.right(false, 8.5, RIGHT, 282.0, &format!("Udskrevet {}", date(printed_on)));
    c.right(false, 8.5, RIGHT, 277.5, &format!("Side {page} af {pages}"));
    c.rule(LEFT, RIGHT, 274.0, 0.6, 0.0);
    if page > 1 {
        c.right(false, SMALL_PT, RIGHT, 270.0, &format!("Periode {} – {}", date(review.from), date(review.to)));
    }
}

/// The first page: headline figures with baselines, the definitions, and the four plots.
fn draw_first_page(c: &mut Canvas<'_>, review: &FairnessReview) {
    c.left(true, 14.0, LEFT, 264.0, "Gennemgang af fordelingen");
    c.left(false, 9.5, LEFT, 257.5, &format!("Periode: {} – {}", date(review.from), date(review.to)));

    let counts = review.flag_counts();
    let count = |k: FlagKind| counts.get(&k).copied().unwrap_or(0);
    let flagged = review.flagged().count();
    let rows: Vec<(String, String)> = vec![
        ("Praksisser".into(), format!("{} (heraf markeret: {flagged})", review.practices.len())),
        ("Uddannelsesmåneder i alt".into(), number(review.trainee_months, 1)),
        ("Gini for måneder pr. tutor (P1; 0 = helt jævnt)".into(), number(review.gini_months_per_tutor, 2)),
        ("Måneder pr. tutor, regionens median".into(), number(review.median_months_per_tutor, 1)),
        (
            "Andel af månederne i lægedækningstruede områder (P5)".into(),
            format!(
                "{} %  (andel af regionens tutorer dér: {} %)",
                number(review.threatened_share * 100.0, 1),
                number(review.threatened_tutor_share * 100.0, 1)
            ),
        ),
        (
            "Markerede praksisser".into(),
            format!(
                "P3: {} · P6: {} · ingen i lang tid: {}",
                count(FlagKind::RefusesTypes),
                count(FlagKind::RunsOnTrainees),
                count(FlagKind::Idle)
            ),
        ),
    ];
    let value_x = rows.iter().map(|(label, _)| LEFT + c.regular.width_mm(label, 9.0)).fold(0.0, f32::max) + 4.0;
    let mut y = 247.0;
    for (label, value) in &rows {
        c.left(false, 9.0, LEFT, y, label);
        c.left(true, 9.0, value_x, y, value);
        y -= 5.0;
    }

    // The plots, two by two.
    let (col1, col2) = (LEFT + 10.0, 118.0);
    let (row1, row2) = (160.0, 88.0);
    plot_months_per_tutor(c, review, col1, row1);
    plot_type_mix(c, review, col2, row1);
    plot_gini(c, review, col1, row2);
    plot_threatened(c, review, col2, row2);

    let t = &review.p6_thresholds;
    let notes = [
        format!(
            "P6 markerer en praksis, hvor der de seneste {} måneder af perioden var uddannelseslæger til stede mindst \
             {} % af dagene, og de dage i snit mindst {} pr. læge i praksis.",
            t.window_months,
            t.min_days_percent,
            number(t.min_trainees_per_doctor, 2)
        ),
        format!(
            "P3 markerer en praksis, der afviser en type; en praksis bør over tid være åben for alle typer. \
             \"Ingen i lang tid\" markerer en praksis uden uddannelseslæge i mindst {} måneder.",
            review.idle_months
        ),
        "Måneder er dage ÷ (365,25 ÷ 12). Stiplede linjer er sammenligningsgrundlag: regionens median, en jævn \
         blanding af de fem typer og andelen af tutorer i lægedækningstruede områder."
            .to_string(),
    ];
    let mut y = 62.0;
    for note in &notes {
        for line in wrap(c.regular, note, SMALL_PT, RIGHT - LEFT) {
            c.left(false, SMALL_PT, LEFT, y, &line);
            y -= 3.4;
        }
        y -= 1.2;
    }
}

/// One line of the flowing pages.
enum Row {
    Heading(String),
    Text(String),
    YearHeader,
    Year {
        year: i32,
        months: f64,
        gini: f64,
        share: f64,
    },
    FlagHeader,
    /// A practice's first line carries its id, name and municipality.
    Flagged {
        id: String,
        name: String,
        municipality: String,
        reason: String,
        first: bool,
    },
    Gap,
}

fn row_height(row: &Row) -> f32 {
    match row {
        Row::Heading(_) => 8.0,
        Row::Gap => 3.0,
        Row::YearHeader | Row::FlagHeader => 6.0,
        Row::Flagged { .. } => FLAG_LINE_H,
        Row::Text(_) | Row::Year { .. } => 4.5,
    }
}

fn draw_row(c: &mut Canvas<'_>, row: &Row, y: f32) {
    match row {
        Row::Heading(text) => c.left(true, 11.0, LEFT, y - 2.0, text),
        Row::Text(text) => c.left(false, BODY_PT, LEFT, y, text),
        Row::Gap => {}
        Row::YearHeader => {
            c.left(true, BODY_PT, LEFT, y, "År");
            c.right(true, BODY_PT, 70.0, y, "Måneder");
            c.right(true, BODY_PT, 100.0, y, "Gini");
            c.right(true, BODY_PT, 150.0, y, "Andel i truede områder");
            c.rule(LEFT, 150.0, y - 1.6, 0.4, 0.0);
        }
        Row::Year { year, months, gini, share } => {
            c.left(false, BODY_PT, LEFT, y, &year.to_string());
            c.right(false, BODY_PT, 70.0, y, &number(*months, 1));
            c.right(false, BODY_PT, 100.0, y, &number(*gini, 2));
            c.right(false, BODY_PT, 150.0, y, &format!("{} %", number(share * 100.0, 1)));
        }
        Row::FlagHeader => {
            c.left(true, BODY_PT, COL_ID_X, y, "Id");
            c.left(true, BODY_PT, COL_NAME_X, y, "Praksis");
            c.left(true, BODY_PT, COL_MUNICIPALITY_X, y, "Kommune");
            c.left(true, BODY_PT, COL_REASON_X, y, "Hvorfor markeret");
            c.rule(LEFT, RIGHT, y - 1.6, 0.4, 0.0);
        }
        Row::Flagged { id, name, municipality, reason, first } => {
            if *first {
                c.rule(LEFT, RIGHT, y + 2.8, 0.2, 0.7);
                let id = c.regular.fit(id, SMALL_PT, COL_NAME_X - COL_ID_X - 1.0);
                c.left(false, SMALL_PT, COL_ID_X, y, &id);
                let name = c.regular.fit(name, SMALL_PT, COL_MUNICIPALITY_X - COL_NAME_X - 1.5);
                c.left(false, SMALL_PT, COL_NAME_X, y, &name);
                let municipality = c.regular.fit(municipality, SMALL_PT, COL_REASON_X - COL_MUNICIPALITY_X - 1.5);
                c.left(false, SMALL_PT, COL_MUNICIPALITY_X, y, &municipality);
            }
            c.left(false, SMALL_PT, COL_REASON_X, y, reason);
        }
    }
}

/// The rows after the first page: the years, then every flagged practice with its reasons.
fn flowing_rows(review: &FairnessReview, regular: &Face<'_>) -> Vec<Row> {
    let mut rows = vec![Row::Heading("Over tid".to_string()), Row::YearHeader];
    for y in &review.years {
        rows.push(Row::Year {
            year: y.year,
            months: y.trainee_months,
            gini: y.gini_months_per_tutor,
            share: y.threatened_share,
        });
    }
    rows.push(Row::Text(format!(
        "Andelen af regionens tutorer i lægedækningstruede områder er {} %.",
        number(review.threatened_tutor_share * 100.0, 1)
    )));
    rows.push(Row::Gap);
    let flagged: Vec<&PracticeFairness> = review.flagged().collect();
    rows.push(Row::Heading(format!("Markerede praksisser ({})", flagged.len())));
    if flagged.is_empty() {
        rows.push(Row::Text("Ingen praksisser er markeret i perioden.".to_string()));
        return rows;
    }
    rows.push(Row::FlagHeader);
    for p in flagged {
        let mut first = true;
        for flag in &p.flags {
            for line in wrap(regular, &flag_reason(flag, Lang::Danish), SMALL_PT, REASON_W) {
                rows.push(Row::Flagged {
                    id: p.practice_id.clone(),
                    name: p.name.clone(),
                    municipality: p.municipality.clone(),
                    reason: line,
                    first,
                });
                first = false;
            }
        }
        rows.push(Row::Gap);
    }
    rows
}

/// The review as a printable PDF report in Danish: the headline figures with their baselines,
/// four plots, the figures per year, and every flagged practice with the reasons. Depends only on
/// its inputs (`printed_on` is the date printed and the document's date).
pub fn review_pdf(review: &FairnessReview, printed_on: NaiveDate) -> Result<Vec<u8>, ReportError> {
    let fonts = Fonts::load()?;
    let mut doc = PdfDocument::new(&format!("Fordeling {} – {}", date(review.from), date(review.to)));
    doc.metadata.info.author = "Region Midtjylland".to_string();
    doc.metadata.info.creator = "tutorfordeling".to_string();
    doc.metadata.info.subject = "Gennemgang af fordelingen af uddannelseslæger (DYNAMU)".to_string();
    if let Some(stamp) = printed_on.and_hms_opt(12, 0, 0).map(|t| t.and_utc().timestamp())
        && let Ok(when) = OffsetDateTime::from_unix_timestamp(stamp)
    {
        doc.metadata.info.creation_date = when;
        doc.metadata.info.modification_date = when;
        doc.metadata.info.metadata_date = when;
    }
    let regular = Face { id: doc.add_font(&fonts.regular), parsed: &fonts.regular };
    let bold = Face { id: doc.add_font(&fonts.bold), parsed: &fonts.bold };

    // Bodies first; the header goes on once the page count is known.
    let mut bodies: Vec<Vec<Op>> = Vec::new();
    let mut c = Canvas::new(&regular, &bold);
    draw_first_page(&mut c, review);
    bodies.push(std::mem::take(&mut c.ops));

    let rows = flowing_rows(review, &regular);
    let mut y = TOP_Y;
    for (i, row) in rows.iter().enumerate() {
        let h = row_height(row);
        // Keep a heading with at least three lines after it.
        let needed = if matches!(row, Row::Heading(_)) {
            h + rows.iter().skip(i + 1).take(3).map(row_height).sum::<f32>()
        } else {
            h
        };
        if y - needed < BOTTOM_Y {
            bodies.push(std::mem::take(&mut c.ops));
            y = TOP_Y;
            if matches!(row, Row::Gap) {
                continue;
            }
            // A practice cut by the page break shows its id again.
            if let Row::Flagged { id, name, municipality, reason, first: false } = row {
                draw_row(&mut c, &Row::FlagHeader, y);
                y -= row_height(&Row::FlagHeader);
                let again = Row::Flagged {
                    id: id.clone(),
                    name: name.clone(),
                    municipality: municipality.clone(),
                    reason: reason.clone(),
                    first: true,
                };
                draw_row(&mut c, &again, y);
                y -= h;
                continue;
            }
            if matches!(row, Row::Flagged { .. }) {
                draw_row(&mut c, &Row::FlagHeader, y);
                y -= row_height(&Row::FlagHeader);
            }
        }
        draw_row(&mut c, row, y);
        y -= h;
    }
    if !c.ops.is_empty() {
        bodies.push(std::mem::take(&mut c.ops));
    }

    let count = bodies.len();
    let pages: Vec<PdfPage> = bodies
        .into_iter()
        .enumerate()
        .map(|(n, body)| {
            let mut page = Canvas::new(&regular, &bold);
            draw_header(&mut page, review, printed_on, n + 1, count);
            page.ops.extend(body);
            PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), page.ops)
        })
        .collect();
    let mut warnings = Vec::new();
    Ok(doc.with_pages(pages).save(&PdfSaveOptions::default(), &mut warnings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::{Period, YearMonth};
    use crate::domain::fairness::fairness_review;
    use crate::domain::model::{Dataset, Placement, Practice, Setting, Trainee};
    use crate::domain::region::Region;
    use crate::report::testing::{pdftotext, squeeze};

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).expect("valid test date")
    }

    fn months(from: &str, to: &str) -> Period {
        Period::of_months(YearMonth::parse(from).expect("month"), YearMonth::parse(to).expect("month"))
    }

    fn practice(id: &str, name: &str, municipality: &str, tutors: u32, doctors: u32) -> Practice {
        Practice {
            id: id.to_string(),
            name: name.to_string(),
            address: String::new(),
            municipality: municipality.to_string(),
            lat: 56.0,
            lon: 9.5,
            tutors,
            doctors,
            setting: Setting::Urban,
            burdened: false,
            threatened: None,
            capacity: None,
            large: false,
            refuses: Vec::new(),
            quality: None,
            phone: None,
            email: None,
        }
    }

    fn place(data: &mut Dataset, id: &str, kind: TraineeType, practice_id: &str, start: NaiveDate, end: NaiveDate) {
        data.trainees.push(Trainee {
            id: id.to_string(),
            name: format!("Trainee {id}"),
            kind,
            hospital_unit: None,
            municipality: None,
            start,
            end,
            monthly_salary: None,
            seniority_step: None,
            own_gp: None,
            family_practices: Vec::new(),
            history: Vec::new(),
        });
        data.placements.push(Placement {
            trainee_id: id.to_string(),
            practice_id: practice_id.to_string(),
            start,
            end,
            pinned: false,
            overrides: Vec::new(),
            reason: None,
        });
    }

    /// A solo practice always with a trainee (P6), a refuser (P3), an empty one (idle after the
    /// records begin) and an ordinary one.
    fn example() -> Dataset {
        let mut data = Dataset::empty(Region::midtjylland());
        data.practices = vec![
            practice("R-SOLO", "Solopraksis Ærø-vej", "Skive", 1, 1),
            practice("R-REFUSE", "Lægerne ved Åen", "Aarhus", 2, 3),
            practice("R-EMPTY", "Tomme Lægehus", "Lemvig", 1, 2),
            practice("R-FINE", "Almindelige Lægehus", "Viborg", 2, 4),
        ];
        data.practices[1].refuses = vec![TraineeType::Phase3, TraineeType::Kbu];
        data.settings.idle_months = 12;
        for (n, start) in [d(2023, 1, 1), d(2023, 7, 1), d(2024, 1, 1), d(2024, 7, 1)].into_iter().enumerate() {
            let end = start.checked_add_months(chrono::Months::new(6)).and_then(|e| e.pred_opt()).expect("end");
            place(&mut data, &format!("S{n}"), TraineeType::Kbu, "R-SOLO", start, end);
        }
        place(&mut data, "F1", TraineeType::Intro, "R-FINE", d(2023, 1, 1), d(2024, 12, 31));
        place(&mut data, "A1", TraineeType::Phase1, "R-REFUSE", d(2023, 6, 1), d(2024, 8, 31));
        data
    }

    #[test]
    fn reasons_carry_the_figures_in_the_chosen_language_and_no_other() {
        let review = fairness_review(&example(), months("2023-01", "2024-12"), d(2024, 12, 31));
        let solo = review.practices.iter().find(|p| p.practice_id == "R-SOLO").expect("solo");
        let p6 = solo.flags.iter().find(|f| f.kind() == FlagKind::RunsOnTrainees).expect("P6");
        let da = flag_reason(p6, Lang::Danish);
        assert!(
            da.contains("100 % af dagene") && da.contains("1,00 pr. læge") && da.contains("markeres ved mindst 90 %"),
            "{da}"
        );
        assert!(da.contains("Seneste 24 måneder til 31-12-2024"), "{da}");
        let en = flag_reason(p6, Lang::English);
        assert!(
            en.contains("100 % of the days") && en.contains("1,00 per doctor") && en.contains("flagged from 0,50"),
            "{en}"
        );
        for danish_word in ["dagene", "læge", "måneder", "markeres"] {
            assert!(!en.contains(danish_word), "{en}");
        }
        assert_eq!(flag_short(p6, Lang::Danish), "P6: 100 % · 1,00 pr. læge");
        assert_eq!(flag_short(p6, Lang::English), "P6: 100 % · 1,00 per doctor");

        let refuse = review.practices.iter().find(|p| p.practice_id == "R-REFUSE").expect("refuser");
        assert_eq!(flag_short(&refuse.flags[0], Lang::Danish), "P3: KBU, Fase 3");
        assert_eq!(flag_short(&refuse.flags[0], Lang::English), "P3: KBU, Phase 3");

        let empty = review.practices.iter().find(|p| p.practice_id == "R-EMPTY").expect("empty");
        let idle = flag_reason(&empty.flags[0], Lang::Danish);
        assert!(idle.contains("ingen uddannelseslæge fra 01-01-2023 til 31-12-2024"), "{idle}");
        assert!(idle.contains("markeres efter 12 mdr."), "{idle}");
        let idle = flag_reason(&empty.flags[0], Lang::English);
        assert!(idle.starts_with("Idle: no trainee from 01-01-2023 to 31-12-2024"), "{idle}");
    }

    #[test]
    fn the_text_report_uses_the_decimal_comma_and_lists_the_flagged_with_reasons() {
        let review = fairness_review(&example(), months("2024-01", "2024-12"), d(2024, 12, 31));
        let text = text(&review);
        assert!(text.contains("Practice  Tutors  Doctors  Months  Per tutor  Per doctor    kbu  intro"), "{text}");
        // R-FINE: 12 months (366 days of 2024 = 12,02) over 2 tutors and 4 doctors.
        assert!(text.contains("R-FINE         2        4   12,02       6,01        3,01   0,00  12,02"), "{text}");
        assert!(text.contains("Months in threatened areas: "), "{text}");
        assert!(text.contains("(tutors there: 33,33 %)"), "{text}");
        assert!(text.contains("Flagged practices\n  R-EMPTY Tomme Lægehus\n    Idle:"), "{text}");
        assert!(text.contains("  R-SOLO Solopraksis Ærø-vej\n    P6: trainees present on 100 % of the days"), "{text}");
    }

    #[test]
    fn the_pdf_report_shows_the_figures_the_plots_and_each_flagged_practice_with_its_reasons() {
        let review = fairness_review(&example(), months("2023-01", "2024-12"), d(2024, 12, 31));
        let pdf = review_pdf(&review, d(2025, 1, 15)).expect("pdf");
        assert!(pdf.starts_with(b"%PDF"));
        let text = squeeze(&pdftotext(&pdf));
        for wanted in [
            "Gennemgang af fordelingen",
            "Periode: 01-01-2023 – 31-12-2024",
            "Udskrevet 15-01-2025",
            "Side 1 af 2",
            "Måneder pr. tutor (P1)",
            "Typeblanding i regionen (P2)",
            "Gini pr. år",
            "Andel i lægedækningstruede områder (P5)",
            "jævn blanding",
            "Markerede praksisser (3)",
            "R-SOLO",
            "Solopraksis Ærø-vej",
            "R-REFUSE",
            "R-EMPTY",
            "P3: afviser KBU, Fase 3.",
            "uddannelseslæger til stede 100 % af dagene",
        ] {
            assert!(text.contains(wanted), "{wanted:?} missing in:\n{text}");
        }
        assert!(!text.contains("R-FINE"), "an unflagged practice is not listed:\n{text}");
        // Axes are named.
        for axis in ["måneder pr. tutor", "antal praksisser", "% af uddannelsesmånederne", "år"] {
            assert!(text.contains(axis), "{axis:?}");
        }
    }

    #[test]
    fn a_long_list_of_flagged_practices_runs_over_pages_with_the_header_on_each() {
        let mut data = Dataset::empty(Region::midtjylland());
        for i in 0..150 {
            let mut p = practice(&format!("X{i:03}"), &format!("Lægehus nummer {i}"), "Aarhus", 1, 1);
            p.refuses = vec![TraineeType::Other];
            data.practices.push(p);
        }
        let review = fairness_review(&data, months("2024-01", "2024-12"), d(2024, 12, 31));
        let pdf = review_pdf(&review, d(2025, 1, 15)).expect("pdf");
        let text = squeeze(&pdftotext(&pdf));
        let pages = text.matches("Udskrevet 15-01-2025").count();
        assert!(pages >= 3, "{pages} pages");
        assert!(text.contains(&format!("Side {pages} af {pages}")));
        for i in [0, 75, 149] {
            assert!(text.contains(&format!("X{i:03}")), "X{i:03}");
        }
    }

    #[test]
    fn ticks_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(10.0, 5.0), 2.0);
        assert_eq!(nice_step(0.6, 4.0), 0.2);
        assert_eq!(nice_step(370.0, 4.0), 100.0);
        assert_eq!(nice_step(0.0, 4.0), 1.0);
    }
}
