//! The per-practice statement of salary co-financing and tutor honorarium, as a PDF (DOMAIN.md §5:
//! "a per-practice statement for a period lists, per trainee and month: days, salary basis, the
//! practice's share, the region's share, honorarium; and the totals the practice pays and receives").
//!
//! The amounts come from `domain::finance` untouched; this module only lays them out. Page
//! coordinates are floats (PDF is a float format), but no amount is ever converted to one: every
//! amount is formatted from integer øre to text first.
//!
//! Layout: A4 portrait, DejaVu Sans (æ, ø and å, embedded as a subset so the text stays
//! selectable). Each page repeats the header with "Side X af Y"; the table is drawn with lines, and
//! numbers are right-aligned by summing glyph advances from the font's metrics.

use chrono::NaiveDate;
use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Mm, OffsetDateTime, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, TextItem,
};

use crate::domain::dates::{YearMonth, danish};
use crate::domain::finance::{FinanceLine, FinanceRun, LineSink, Totals, finance_lines, net_for_practice, stream};
use crate::domain::model::{Dataset, Practice, Settings};
use crate::domain::money::Money;

/// Why a statement could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("practice '{0}' does not exist")]
    UnknownPractice(String),
    #[error("the period is empty: {from} comes after {to}")]
    EmptyPeriod { from: YearMonth, to: YearMonth },
    #[error("the statement font could not be read")]
    Font,
    #[error("cancelled")]
    Cancelled,
    /// A statement could not be written (the message names the file).
    #[error("{0}")]
    Write(String),
}

// Page geometry in millimetres (A4 portrait).
const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const LEFT: f32 = 15.0;
const RIGHT: f32 = 195.0;
/// Baseline of the first table row on every page.
const FIRST_ROW_Y: f32 = 214.0;
/// No row's baseline goes below this.
const BOTTOM_Y: f32 = 22.0;
const ROW_H: f32 = 5.0;
/// Height the totals block needs below the last row.
const TOTALS_H: f32 = 52.0;

const BODY_PT: f32 = 7.5;
const SMALL_PT: f32 = 7.5;

/// Table columns: left edge of text columns, right edge of numeric ones. At 7.5 pt the longest
/// type ("Hoveduddannelse fase 2") is 33 mm and a bold "1.234.567,89" 20 mm.
const COL_NAME_X: f32 = LEFT;
const COL_NAME_W: f32 = 38.0;
const COL_TYPE_X: f32 = 53.5;
const COL_TYPE_W: f32 = 35.0;
const COL_MONTH_X: f32 = 89.0;
const COL_DAYS_R: f32 = 111.0;
const COL_BASIS_R: f32 = 132.0;
const COL_PRACTICE_R: f32 = 153.0;
const COL_REGION_R: f32 = 174.0;
/// The widest an amount may be: the distance between amount columns less a gap.
const AMOUNT_W: f32 = 19.5;
const COL_HONORARIUM_R: f32 = RIGHT;

/// The two fonts of a statement, parsed once and reused for every practice in a batch.
pub(super) struct Fonts {
    pub(super) regular: ParsedFont,
    pub(super) bold: ParsedFont,
}

impl Fonts {
    pub(super) fn load() -> Result<Fonts, ReportError> {
        let mut warnings = Vec::new();
        let regular = ParsedFont::from_bytes(dejavu::sans::regular(), 0, &mut warnings).ok_or(ReportError::Font)?;
        let bold = ParsedFont::from_bytes(dejavu::sans::bold(), 0, &mut warnings).ok_or(ReportError::Font)?;
        Ok(Fonts { regular, bold })
    }
}

/// A font registered in one document, with its metrics for measuring.
pub(super) struct Face<'a> {
    pub(super) id: FontId,
    pub(super) parsed: &'a ParsedFont,
}

impl Face<'_> {
    /// Width of `text` in millimetres at `size_pt`: the sum of the glyph advances (the PDF is written
    /// glyph by glyph with no kerning, so this is exactly the width a viewer draws).
    pub(super) fn width_mm(&self, text: &str, size_pt: f32) -> f32 {
        let units_per_em = f32::from(self.parsed.font_metrics.units_per_em.max(1));
        let units: u32 = text
            .chars()
            .map(|c| {
                let gid = self.parsed.lookup_glyph_index(u32::from(c)).unwrap_or(0);
                u32::from(self.parsed.get_horizontal_advance(gid))
            })
            .sum();
        // 1 pt = 25.4 / 72 mm
        units as f32 / units_per_em * size_pt * 25.4 / 72.0
    }

    /// Cuts `text` with an ellipsis so it fits `max_mm`.
    pub(super) fn fit(&self, text: &str, size_pt: f32, max_mm: f32) -> String {
        if self.width_mm(text, size_pt) <= max_mm {
            return text.to_string();
        }
        let mut chars: Vec<char> = text.chars().collect();
        while !chars.is_empty() {
            chars.pop();
            let candidate: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
            if self.width_mm(&candidate, size_pt) <= max_mm {
                return candidate;
            }
        }
        String::new()
    }
}

/// Drawing operations for one page.
pub(super) struct Canvas<'a> {
    pub(super) ops: Vec<Op>,
    pub(super) regular: &'a Face<'a>,
    pub(super) bold: &'a Face<'a>,
}

impl<'a> Canvas<'a> {
    pub(super) fn new(regular: &'a Face<'a>, bold: &'a Face<'a>) -> Canvas<'a> {
        Canvas { ops: Vec::new(), regular, bold }
    }

    /// Text with its left end at `x` (mm) on baseline `y` (mm). Each text gets its own text
    /// section, because a text cursor move is relative inside one.
    fn text(&mut self, face: &Face<'_>, size_pt: f32, x: f32, y: f32, text: &str) {
        if text.is_empty() {
            return;
        }
        self.ops.push(Op::StartTextSection);
        self.ops.push(Op::SetFont { font: PdfFontHandle::External(face.id.clone()), size: Pt(size_pt) });
        self.ops.push(Op::SetTextCursor { pos: Point::new(Mm(x), Mm(y)) });
        self.ops.push(Op::ShowText { items: vec![TextItem::Text(text.to_string())] });
        self.ops.push(Op::EndTextSection);
    }

    pub(super) fn left(&mut self, bold: bool, size_pt: f32, x: f32, y: f32, text: &str) {
        let face = if bold { self.bold } else { self.regular };
        self.text(face, size_pt, x, y, text);
    }

    /// Text with its right end at `right` (mm).
    pub(super) fn right(&mut self, bold: bool, size_pt: f32, right: f32, y: f32, text: &str) {
        let face = if bold { self.bold } else { self.regular };
        let w = face.width_mm(text, size_pt);
        self.text(face, size_pt, right - w, y, text);
    }

    /// An amount right-aligned at `right`, set smaller when it would be wider than `max_mm`, so a
    /// very large sum never runs into the next column.
    fn amount(&mut self, bold: bool, size_pt: f32, right: f32, max_mm: f32, y: f32, text: &str) {
        let face = if bold { self.bold } else { self.regular };
        let w = face.width_mm(text, size_pt);
        let size = if w > max_mm { size_pt * max_mm / w } else { size_pt };
        self.right(bold, size, right, y, text);
    }

    /// A horizontal rule from `x1` to `x2` at `y`, `grey` 0 (black) to 1 (white).
    pub(super) fn rule(&mut self, x1: f32, x2: f32, y: f32, thickness_pt: f32, grey: f32) {
        self.ops.push(Op::SaveGraphicsState);
        self.ops.push(Op::SetOutlineColor { col: Color::Greyscale(Greyscale { percent: grey, icc_profile: None }) });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness_pt) });
        let point = |x: f32| LinePoint { p: Point::new(Mm(x), Mm(y)), bezier: false };
        self.ops.push(Op::DrawLine { line: Line { points: vec![point(x1), point(x2)], is_closed: false } });
        self.ops.push(Op::RestoreGraphicsState);
    }
}

/// The Danish abbreviation of a month with its year, e.g. `maj 2026`, `sep. 2026`.
fn danish_month(m: YearMonth) -> String {
    const NAMES: [&str; 12] =
        ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."];
    let name = NAMES.get(m.month.saturating_sub(1) as usize).copied().unwrap_or("?");
    format!("{name} {}", m.year)
}

/// An amount in a table cell: Danish format without the currency (the header says kr.); a dash for
/// zero, so what applies to each type stands out.
fn cell_amount(m: Money) -> String {
    if m == Money::ZERO { "–".to_string() } else { m.to_danish() }
}

/// A percentage held in hundredths of a percent, in Danish form: 1936 → `19,36 %`.
fn danish_percent(basis_points: i64) -> String {
    let sign = if basis_points < 0 { "-" } else { "" };
    let a = basis_points.unsigned_abs();
    if a.is_multiple_of(100) { format!("{sign}{} %", a / 100) } else { format!("{sign}{},{:02} %", a / 100, a % 100) }
}

/// What a statement shows, gathered before layout.
struct Statement<'a> {
    practice: &'a Practice,
    lines: &'a [FinanceLine],
    from: YearMonth,
    to: YearMonth,
    printed_on: NaiveDate,
    /// The pension rate(s) in force in the period, e.g. `19,36 %` or `17,25 %; 19,36 % fra 01-04-2025`.
    pension: String,
    pension_in_split: bool,
}

/// Draws the header every page repeats.
fn draw_header(c: &mut Canvas<'_>, s: &Statement<'_>, page: usize, pages: usize) {
    c.left(true, 11.0, LEFT, 282.0, "Region Midtjylland");
    c.left(false, 8.5, LEFT, 277.5, "Koncern HR, Sundhedsuddannelser");
    c.right(false, 8.5, RIGHT, 282.0, &format!("Udskrevet {}", danish(s.printed_on)));
    c.right(false, 8.5, RIGHT, 277.5, &format!("Side {page} af {pages}"));
    c.rule(LEFT, RIGHT, 274.0, 0.6, 0.0);

    c.left(true, 14.0, LEFT, 264.0, "Opgørelse over medfinansiering og tutorhonorar");

    let mut y = 255.0;
    c.left(true, 10.0, LEFT, y, &c.bold.fit(&s.practice.name, 10.0, 100.0));
    if !s.practice.address.trim().is_empty() {
        y -= 4.8;
        c.left(false, 9.0, LEFT, y, &c.regular.fit(&s.practice.address, 9.0, 100.0));
    }
    if !s.practice.municipality.trim().is_empty() {
        y -= 4.8;
        c.left(false, 9.0, LEFT, y, &format!("{} Kommune", s.practice.municipality));
    }

    let label_x = 125.0;
    let value_x = 145.0;
    c.left(false, 9.0, label_x, 255.0, "Praksis-id:");
    c.left(true, 9.0, value_x, 255.0, &c.bold.fit(&s.practice.id, 9.0, RIGHT - value_x));
    c.left(false, 9.0, label_x, 250.2, "Periode:");
    let period = format!("{} – {}", danish(s.from.first_day()), danish(s.to.last_day()));
    c.left(false, 9.0, value_x, 250.2, &period);

    // Column headings, two lines where needed; amounts in kroner.
    let (y1, y2) = (225.0, 221.5);
    c.right(false, SMALL_PT, RIGHT, 231.0, "Beløb i kr.");
    c.rule(LEFT, RIGHT, 229.0, 0.6, 0.0);
    c.left(true, BODY_PT, COL_NAME_X, y2, "Uddannelseslæge");
    c.left(true, BODY_PT, COL_TYPE_X, y2, "Type");
    c.left(true, BODY_PT, COL_MONTH_X, y2, "Måned");
    c.right(true, BODY_PT, COL_DAYS_R, y2, "Dage");
    for (right, first, second) in [
        (COL_BASIS_R, "Løn-", "grundlag"),
        (COL_PRACTICE_R, "Praksis'", "andel"),
        (COL_REGION_R, "Regionens", "andel"),
        (COL_HONORARIUM_R, "Tutor-", "honorar"),
    ] {
        c.right(true, BODY_PT, right, y1, first);
        c.right(true, BODY_PT, right, y2, second);
    }
    c.rule(LEFT, RIGHT, 219.0, 0.6, 0.0);
}

fn draw_row(c: &mut Canvas<'_>, l: &FinanceLine, y: f32, first_of_trainee: bool) {
    if first_of_trainee {
        let name = c.regular.fit(&l.trainee_name, BODY_PT, COL_NAME_W - 1.0);
        c.left(false, BODY_PT, COL_NAME_X, y, &name);
        let kind = c.regular.fit(l.kind.danish(), BODY_PT, COL_TYPE_W - 1.0);
        c.left(false, BODY_PT, COL_TYPE_X, y, &kind);
    }
    c.left(false, BODY_PT, COL_MONTH_X, y, &danish_month(l.month));
    c.right(false, BODY_PT, COL_DAYS_R, y, &l.days.to_string());
    c.amount(false, BODY_PT, COL_BASIS_R, AMOUNT_W, y, &cell_amount(l.basis));
    c.amount(false, BODY_PT, COL_PRACTICE_R, AMOUNT_W, y, &cell_amount(l.practice_share));
    c.amount(false, BODY_PT, COL_REGION_R, AMOUNT_W, y, &cell_amount(l.region_share));
    c.amount(false, BODY_PT, COL_HONORARIUM_R, AMOUNT_W, y, &cell_amount(l.honorarium));
}

/// The sums row and the block that says what the practice pays or receives. `y` is the baseline
/// of the first line of the block.
fn draw_totals(c: &mut Canvas<'_>, s: &Statement<'_>, y: f32) {
    let t = Totals::of(s.lines);
    c.rule(LEFT, RIGHT, y + 3.2, 0.6, 0.0);
    c.left(true, BODY_PT, COL_NAME_X, y, "I alt");
    c.amount(true, BODY_PT, COL_BASIS_R, AMOUNT_W, y, &t.basis.to_danish());
    c.amount(true, BODY_PT, COL_PRACTICE_R, AMOUNT_W, y, &t.practice_share.to_danish());
    c.amount(true, BODY_PT, COL_REGION_R, AMOUNT_W, y, &t.region_share.to_danish());
    c.amount(true, BODY_PT, COL_HONORARIUM_R, AMOUNT_W, y, &t.honorarium.to_danish());

    let label_x = 100.0;
    let mut y = y - 11.0;
    c.left(false, 9.0, label_x, y, "Praksis' andel af lønnen (opkræves)");
    c.right(false, 9.0, RIGHT, y, &t.practice_share.to_danish_kr());
    y -= 5.0;
    c.left(false, 9.0, label_x, y, "Tutorhonorar (udbetales til praksis)");
    let honorarium = if t.honorarium == Money::ZERO {
        t.honorarium.to_danish_kr()
    } else {
        format!("- {}", t.honorarium.to_danish_kr())
    };
    c.right(false, 9.0, RIGHT, y, &honorarium);
    y -= 2.8;
    c.rule(label_x, RIGHT, y, 0.4, 0.0);
    y -= 5.0;
    let net = net_for_practice(&t);
    let (label, amount) =
        if net.ore() >= 0 { ("Praksis betaler i alt", net) } else { ("Praksis modtager i alt", -net) };
    c.left(true, 10.0, label_x, y, label);
    c.right(true, 10.0, RIGHT, y, &amount.to_danish_kr());
    y -= 1.8;
    c.rule(label_x, RIGHT, y, 0.4, 0.0);
    c.rule(label_x, RIGHT, y - 0.8, 0.4, 0.0);

    // Notes: who pays the salary out, and where the pension stands.
    let mut payers: Vec<&str> = s.lines.iter().map(|l| l.paid_out_by.as_str()).collect();
    payers.sort_unstable();
    payers.dedup();
    let mut y = y - 8.0;
    if !payers.is_empty() {
        let note = format!("Lønnen udbetales af {}.", payers.join(", "));
        c.left(false, SMALL_PT, LEFT, y, &c.regular.fit(&note, SMALL_PT, RIGHT - LEFT));
        y -= 4.0;
    }
    let pension = if s.pension_in_split {
        format!("Praksis' og regionens andele omfatter pension ({}) af løngrundlaget.", s.pension)
    } else {
        format!("Pension ({}) er ikke medregnet i fordelingen.", s.pension)
    };
    c.left(false, SMALL_PT, LEFT, y, &c.regular.fit(&pension, SMALL_PT, RIGHT - LEFT));
    y -= 4.0;
    c.left(
        false,
        SMALL_PT,
        LEFT,
        y,
        "Delmåneder beregnes efter kalenderdage: månedsbeløb × dage ÷ dage i måneden, afrundet til hele øre.",
    );
}

/// One page's body: its rows and whether the totals go on it.
struct PagePlan {
    rows: Vec<(usize, f32, bool)>, // (line index, baseline, first row of a trainee on the page)
    totals_y: Option<f32>,
}

/// Splits the lines into pages; the totals go below the last row, or on a page of their own.
fn paginate(lines: &[FinanceLine]) -> Vec<PagePlan> {
    let mut pages = vec![PagePlan { rows: Vec::new(), totals_y: None }];
    let mut y = FIRST_ROW_Y;
    for (i, l) in lines.iter().enumerate() {
        let new_trainee = i == 0 || lines[i - 1].trainee_id != l.trainee_id;
        if y < BOTTOM_Y {
            pages.push(PagePlan { rows: Vec::new(), totals_y: None });
            y = FIRST_ROW_Y;
        }
        let first_on_page = pages.last().is_none_or(|p| p.rows.is_empty());
        if let Some(page) = pages.last_mut() {
            page.rows.push((i, y, new_trainee || first_on_page));
        }
        y -= ROW_H;
    }
    // The totals block starts one row lower than the next row would.
    let mut totals_y = y - 1.0;
    if totals_y - TOTALS_H < BOTTOM_Y - 8.0 {
        pages.push(PagePlan { rows: Vec::new(), totals_y: None });
        totals_y = FIRST_ROW_Y;
    }
    if let Some(page) = pages.last_mut() {
        page.totals_y = Some(totals_y);
    }
    pages
}

fn render(s: &Statement<'_>, fonts: &Fonts) -> Vec<u8> {
    let mut doc = PdfDocument::new(&format!("Opgørelse {} {} – {}", s.practice.id, s.from, s.to));
    doc.metadata.info.author = "Region Midtjylland".to_string();
    doc.metadata.info.creator = "tutorfordeling".to_string();
    doc.metadata.info.subject = "Opgørelse over medfinansiering og tutorhonorar".to_string();
    // Dates from the statement, not the clock, so a statement depends only on its inputs.
    if let Some(stamp) = s.printed_on.and_hms_opt(12, 0, 0).map(|t| t.and_utc().timestamp())
        && let Ok(date) = OffsetDateTime::from_unix_timestamp(stamp)
    {
        doc.metadata.info.creation_date = date;
        doc.metadata.info.modification_date = date;
        doc.metadata.info.metadata_date = date;
    }
    let regular = Face { id: doc.add_font(&fonts.regular), parsed: &fonts.regular };
    let bold = Face { id: doc.add_font(&fonts.bold), parsed: &fonts.bold };

    let plan = paginate(s.lines);
    let count = plan.len();
    let mut pages = Vec::with_capacity(count);
    for (n, page) in plan.iter().enumerate() {
        let mut c = Canvas::new(&regular, &bold);
        draw_header(&mut c, s, n + 1, count);
        for (k, &(i, y, first)) in page.rows.iter().enumerate() {
            let l = &s.lines[i];
            // A thin rule between trainees.
            if first && k > 0 {
                c.rule(LEFT, RIGHT, y + 3.4, 0.3, 0.6);
            }
            draw_row(&mut c, l, y, first);
        }
        if s.lines.is_empty() && n == 0 {
            c.left(false, 9.0, LEFT, FIRST_ROW_Y, "Praksis har ingen uddannelseslæger i perioden.");
        }
        if let Some(y) = page.totals_y {
            let y = if s.lines.is_empty() { y - ROW_H } else { y };
            draw_totals(&mut c, s, y);
        }
        pages.push(PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), c.ops));
    }
    let mut warnings = Vec::new();
    doc.with_pages(pages).save(&PdfSaveOptions::default(), &mut warnings)
}

/// DOMAIN.md §5: the statement for one practice over the months `from` to `to`, as PDF bytes.
/// A practice with no trainees in the period gets a statement that says so, with zero totals.
pub fn statement_pdf(
    data: &Dataset,
    practice_id: &str,
    from: YearMonth,
    to: YearMonth,
    printed_on: NaiveDate,
) -> Result<Vec<u8>, ReportError> {
    if from > to {
        return Err(ReportError::EmptyPeriod { from, to });
    }
    let practice = data.practice(practice_id).ok_or_else(|| ReportError::UnknownPractice(practice_id.to_string()))?;
    let lines = finance_lines(data, from, to, Some(practice_id));
    let fonts = Fonts::load()?;
    Ok(render(&statement(data, practice, &lines, from, to, printed_on), &fonts))
}

fn statement<'a>(
    data: &Dataset,
    practice: &'a Practice,
    lines: &'a [FinanceLine],
    from: YearMonth,
    to: YearMonth,
    printed_on: NaiveDate,
) -> Statement<'a> {
    Statement {
        practice,
        lines,
        from,
        to,
        printed_on,
        pension: pension_in_period(&data.settings, from, to),
        pension_in_split: data.settings.pension_in_split,
    }
}

/// The pension rates in force from `from` to `to`, in Danish: the first, then each change with
/// its date (`17,25 %; 19,36 % fra 01-04-2025`); `0 %` where none is.
fn pension_in_period(settings: &Settings, from: YearMonth, to: YearMonth) -> String {
    let first = settings.pension_basis_points_on(from.first_day()).unwrap_or(0);
    let mut changes: Vec<(NaiveDate, i64)> = settings
        .pension
        .iter()
        .filter(|p| p.valid_from > from.first_day() && p.valid_from <= to.last_day())
        .map(|p| (p.valid_from, p.basis_points))
        .collect();
    changes.sort();
    let mut text = danish_percent(first);
    for (day, _) in changes {
        let bp = settings.pension_basis_points_on(day).unwrap_or(0);
        text.push_str(&format!("; {} fra {}", danish_percent(bp), danish(day)));
    }
    text
}

/// Receives each statement as it is made: (index in the batch, practice id, PDF bytes).
pub type EmitStatement<'a> = dyn FnMut(usize, &str, &[u8]) -> Result<(), ReportError> + 'a;

/// One statement per practice with at least one finance line in the period, in practice id order
/// (`domain::finance::active_practices`), made one at a time from the streamed lines: each PDF
/// goes to `emit(index, practice id, bytes)` as soon as it is made, so memory holds one
/// practice's lines and one PDF, whatever the number of practices. `progress(done, total)` is
/// called before each statement and once at the end; returning `false` cancels the batch with
/// [`ReportError::Cancelled`]. Returns the run of the split (its sums and gaps).
pub fn statements_each(
    data: &Dataset,
    from: YearMonth,
    to: YearMonth,
    printed_on: NaiveDate,
    progress: &mut dyn FnMut(usize, usize) -> bool,
    emit: &mut EmitStatement<'_>,
) -> Result<FinanceRun, ReportError> {
    if from > to {
        return Err(ReportError::EmptyPeriod { from, to });
    }
    let total = crate::domain::finance::active_practices(data, from, to).len();
    let fonts = Fonts::load()?;
    let mut sink = StatementSink {
        data,
        from,
        to,
        printed_on,
        fonts: &fonts,
        lines: Vec::new(),
        practice: None,
        done: 0,
        total,
        progress,
        emit,
    };
    let run = stream(data, from, to, None, &mut sink)?;
    if !(sink.progress)(total, total) {
        return Err(ReportError::Cancelled);
    }
    Ok(run)
}

/// Gathers one practice's lines, and renders and hands on its statement when the practice ends.
struct StatementSink<'a, 'f> {
    data: &'a Dataset,
    from: YearMonth,
    to: YearMonth,
    printed_on: NaiveDate,
    fonts: &'a Fonts,
    lines: Vec<FinanceLine>,
    /// The practice of the lines (a stand-in for an id that is gone).
    practice: Option<Practice>,
    done: usize,
    total: usize,
    progress: &'f mut dyn FnMut(usize, usize) -> bool,
    emit: &'f mut EmitStatement<'f>,
}

impl LineSink for StatementSink<'_, '_> {
    type Error = ReportError;

    fn practice_start(&mut self, id: &str, practice: Option<&Practice>) -> Result<(), ReportError> {
        if !(self.progress)(self.done, self.total) {
            return Err(ReportError::Cancelled);
        }
        self.lines.clear();
        // A placement may name a practice that is gone; it still gets a statement under its id.
        self.practice = Some(practice.cloned().unwrap_or_else(|| unknown_practice(id)));
        Ok(())
    }

    fn line(&mut self, line: &FinanceLine) -> Result<(), ReportError> {
        self.lines.push(line.clone());
        Ok(())
    }

    fn practice_end(&mut self, id: &str, _totals: &Totals) -> Result<(), ReportError> {
        let Some(practice) = self.practice.take() else { return Ok(()) };
        let pdf =
            render(&statement(self.data, &practice, &self.lines, self.from, self.to, self.printed_on), self.fonts);
        (self.emit)(self.done, id, &pdf)?;
        self.done += 1;
        Ok(())
    }
}

fn unknown_practice(id: &str) -> Practice {
    Practice {
        id: id.to_string(),
        name: format!("Ukendt praksis {id}"),
        address: String::new(),
        municipality: String::new(),
        lat: 0.0,
        lon: 0.0,
        tutors: 1,
        doctors: 1,
        setting: crate::domain::model::Setting::Urban,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Placement, Setting, Trainee, TraineeType};
    use crate::domain::region::Region;
    use crate::report::testing::{pdftotext, squeeze};

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).expect("valid test date")
    }

    fn ym(y: i32, m: u32) -> YearMonth {
        YearMonth::new(y, m).expect("valid test month")
    }

    fn practice(id: &str, name: &str, municipality: &str) -> Practice {
        Practice {
            id: id.to_string(),
            name: name.to_string(),
            address: "Søndergade 12, 8800 Viborg".to_string(),
            municipality: municipality.to_string(),
            lat: 56.45,
            lon: 9.42,
            tutors: 2,
            doctors: 2,
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

    fn trainee(id: &str, name: &str, kind: TraineeType, start: NaiveDate, end: NaiveDate, dkk: i64) -> Trainee {
        Trainee {
            id: id.to_string(),
            name: name.to_string(),
            kind,
            hospital_unit: Some("Hospitalsenhed Midt".to_string()),
            municipality: Some("Viborg".to_string()),
            start,
            end,
            monthly_salary: Some(Money::from_dkk(dkk)),
            seniority_step: None,
            own_gp: None,
            family_practices: Vec::new(),
            history: Vec::new(),
        }
    }

    fn place(data: &mut Dataset, t: Trainee, practice_id: &str) {
        data.placements.push(Placement {
            trainee_id: t.id.clone(),
            practice_id: practice_id.to_string(),
            start: t.start,
            end: t.end,
            pinned: false,
            overrides: Vec::new(),
            reason: None,
        });
        data.trainees.push(t);
    }

    /// The contract's example practices EX-P5 (phase 2 and phase 3) and EX-P7 (KBU), plus one
    /// other practice whose trainee must not appear on EX-P5's statement.
    fn example() -> Dataset {
        let mut data = Dataset::empty(Region::midtjylland());
        data.practices.push(practice("EX-P5", "Viborg Øst Lægerne", "Viborg"));
        data.practices.push(practice("EX-P7", "Hedensted Lægehus", "Hedensted"));
        data.practices.push(practice("EX-P3", "Silkeborg Centrum Lægehus", "Silkeborg"));
        let f2 = trainee("EX-F2", "Eksempel Fase To", TraineeType::Phase2, d(2026, 5, 18), d(2026, 11, 17), 51_000);
        let f3 = trainee("EX-F3", "Eksempel Fase Tre", TraineeType::Phase3, d(2026, 10, 1), d(2027, 9, 30), 53_000);
        let k2 = trainee("EX-K2", "Eksempel Kbu To", TraineeType::Kbu, d(2026, 8, 1), d(2027, 1, 31), 39_500);
        let o1 =
            trainee("EX-O1", "Eksempel Samfundsmedicin", TraineeType::Other, d(2026, 3, 1), d(2026, 8, 31), 47_000);
        place(&mut data, f2, "EX-P5");
        place(&mut data, f3, "EX-P5");
        place(&mut data, k2, "EX-P7");
        place(&mut data, o1, "EX-P3");
        data
    }

    #[test]
    fn a_statement_shows_its_practice_its_trainees_and_danish_totals() {
        let data = example();
        let pdf = statement_pdf(&data, "EX-P5", ym(2026, 1), ym(2027, 12), d(2026, 11, 22)).expect("statement");
        assert!(pdf.starts_with(b"%PDF"));
        let text = pdftotext(&pdf);
        let flat = squeeze(&text);
        for want in [
            "Region Midtjylland",
            "Opgørelse over medfinansiering og tutorhonorar",
            "Viborg Øst Lægerne",
            "Søndergade 12, 8800 Viborg",
            "EX-P5",
            "Periode: 01-01-2026 – 31-12-2027",
            "Udskrevet 22-11-2026",
            "Side 1 af 1",
            "Eksempel Fase To Hoveduddannelse fase 2 maj 2026 14 23.032,26 7.370,32 15.661,94 –",
            "Eksempel Fase Tre Hoveduddannelse fase 3 okt. 2026 31 53.000,00 20.670,00 32.330,00 –",
        ] {
            assert!(flat.contains(want), "missing '{want}' in:\n{text}");
        }
        // Every line of the practice appears, as a row with its month, days and amounts.
        let lines = finance_lines(&data, ym(2026, 1), ym(2027, 12), Some("EX-P5"));
        assert_eq!(lines.len(), 7 + 12);
        for l in &lines {
            let row = format!(
                "{} {} {} {} {}",
                danish_month(l.month),
                l.days,
                l.basis.to_danish(),
                l.practice_share.to_danish(),
                l.region_share.to_danish()
            );
            assert!(flat.contains(&row), "missing row '{row}' in:\n{text}");
        }
        assert!(flat.contains("16.320,00"), "a whole phase-2 month is 32 % of 51.000");
        let t = Totals::of(&lines);
        assert!(flat.contains(&format!("Praksis betaler i alt {}", t.practice_share.to_danish_kr())), "{text}");
        assert!(!text.contains("Eksempel Kbu To") && !text.contains("Eksempel Samfundsmedicin"), "{text}");
    }

    #[test]
    fn a_kbu_practice_is_told_what_it_receives() {
        let data = example();
        let pdf = statement_pdf(&data, "EX-P7", ym(2026, 1), ym(2027, 12), d(2026, 11, 22)).expect("statement");
        let flat = squeeze(&pdftotext(&pdf));
        assert!(flat.contains("Hedensted Lægehus"), "{flat}");
        assert!(flat.contains("Eksempel Kbu To KBU aug. 2026 31 39.500,00 – 39.500,00 6.000,00"), "{flat}");
        assert!(flat.contains("Praksis modtager i alt 36.000,00 kr."), "{flat}");
        assert!(flat.contains("Lønnen udbetales af Hospitalsenhed Midt."), "{flat}");
        assert!(!flat.contains("Eksempel Fase"), "{flat}");
    }

    /// One practice with 20 trainees × 10 months = 200 lines.
    fn long_example() -> Dataset {
        let mut data = Dataset::empty(Region::midtjylland());
        data.practices.push(practice("P-STOR", "Store Lægehus", "Aarhus"));
        for i in 0..20 {
            let t = trainee(
                &format!("T{i:02}"),
                &format!("Læge Nummer {i:02} Åberg"),
                TraineeType::Phase3,
                d(2026, 1, 1),
                d(2026, 10, 31),
                50_000 + i,
            );
            place(&mut data, t, "P-STOR");
        }
        data
    }

    #[test]
    fn a_long_statement_breaks_across_pages_with_the_header_repeated() {
        let data = long_example();
        let pdf = statement_pdf(&data, "P-STOR", ym(2026, 1), ym(2026, 12), d(2026, 12, 1)).expect("statement");
        let text = pdftotext(&pdf);
        let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
        assert!(pages.len() >= 5, "{} pages", pages.len());
        let n = pages.len();
        for (i, page) in pages.iter().enumerate() {
            assert!(page.contains("Opgørelse over medfinansiering og tutorhonorar"), "page {}", i + 1);
            assert!(page.contains("Store Lægehus"), "page {}", i + 1);
            assert!(page.contains(&format!("Side {} af {n}", i + 1)), "page {}", i + 1);
            assert!(page.contains("Uddannelseslæge") && page.contains("grundlag"), "page {}", i + 1);
        }
        assert!(text.contains("Side 2 af"));
        let flat = squeeze(&text);
        for i in 0..20 {
            assert!(flat.contains(&format!("Læge Nummer {i:02} Åberg")), "trainee {i}");
        }
        assert_eq!(flat.lines().filter(|l| l.contains("okt. 2026 31 ")).count(), 20);
        assert!(pages[n - 1].contains("Praksis betaler i alt"));
    }

    #[test]
    fn a_practice_without_trainees_gets_an_empty_statement_and_an_unknown_one_an_error() {
        let data = example();
        let pdf = statement_pdf(&data, "EX-P3", ym(2027, 1), ym(2027, 12), d(2026, 11, 22)).expect("statement");
        let flat = squeeze(&pdftotext(&pdf));
        assert!(flat.contains("Praksis har ingen uddannelseslæger i perioden."), "{flat}");
        assert!(flat.contains("Praksis betaler i alt 0,00 kr."), "{flat}");
        assert!(matches!(
            statement_pdf(&data, "NOPE", ym(2026, 1), ym(2026, 2), d(2026, 1, 1)),
            Err(ReportError::UnknownPractice(_))
        ));
        assert!(matches!(
            statement_pdf(&data, "EX-P3", ym(2026, 2), ym(2026, 1), d(2026, 1, 1)),
            Err(ReportError::EmptyPeriod { .. })
        ));
    }

    /// Every statement collected, as (practice id, PDF bytes).
    fn statements_for_all(
        data: &Dataset,
        from: YearMonth,
        to: YearMonth,
        printed_on: NaiveDate,
        progress: &mut dyn FnMut(usize, usize) -> bool,
    ) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
        let mut all = Vec::new();
        statements_each(data, from, to, printed_on, progress, &mut |i, id, pdf| {
            assert_eq!(i, all.len(), "in order, one index each");
            all.push((id.to_string(), pdf.to_vec()));
            Ok(())
        })?;
        Ok(all)
    }

    #[test]
    fn each_statement_is_handed_on_before_the_next_is_made_and_a_failed_write_stops_the_batch() {
        let data = example();
        let events = std::cell::RefCell::new(Vec::new());
        let run = statements_each(
            &data,
            ym(2026, 1),
            ym(2027, 12),
            d(2026, 11, 22),
            &mut |done, total| {
                events.borrow_mut().push(format!("progress {done}/{total}"));
                true
            },
            &mut |i, id, pdf| {
                assert!(pdf.starts_with(b"%PDF"));
                events.borrow_mut().push(format!("pdf {i} {id}"));
                Ok(())
            },
        )
        .expect("statements");
        assert_eq!(
            events.into_inner(),
            [
                "progress 0/3",
                "pdf 0 EX-P3",
                "progress 1/3",
                "pdf 1 EX-P5",
                "progress 2/3",
                "pdf 2 EX-P7",
                "progress 3/3"
            ]
        );
        assert_eq!(run.summary.per_practice.len(), 3);
        let mut written = 0;
        let failed =
            statements_each(&data, ym(2026, 1), ym(2027, 12), d(2026, 11, 22), &mut |_, _| true, &mut |_, _, _| {
                written += 1;
                Err(ReportError::Write("cannot write EX-P3.pdf: disk full".into()))
            });
        assert!(matches!(failed, Err(ReportError::Write(m)) if m.contains("disk full")));
        assert_eq!(written, 1, "the batch stops at the first failed write");
    }

    #[test]
    fn a_statement_names_the_pension_rates_of_its_period() {
        let mut data = example();
        assert_eq!(pension_in_period(&data.settings, ym(2026, 1), ym(2026, 12)), "19,36 %");
        assert_eq!(pension_in_period(&data.settings, ym(2025, 1), ym(2025, 12)), "17,25 %; 19,36 % fra 01-04-2025");
        let pdf = statement_pdf(&data, "EX-P5", ym(2025, 1), ym(2026, 12), d(2026, 11, 22)).expect("statement");
        let flat = squeeze(&pdftotext(&pdf));
        assert!(flat.contains("Pension (17,25 %; 19,36 % fra 01-04-2025) er ikke medregnet i fordelingen."), "{flat}");
        data.settings.pension.clear();
        assert_eq!(pension_in_period(&data.settings, ym(2026, 1), ym(2026, 12)), "0 %");
    }

    #[test]
    fn statements_are_made_for_each_active_practice_and_can_be_cancelled() {
        let data = example();
        let mut calls = Vec::new();
        let all = statements_for_all(&data, ym(2026, 1), ym(2027, 12), d(2026, 11, 22), &mut |done, total| {
            calls.push((done, total));
            true
        })
        .expect("statements");
        let ids: Vec<&str> = all.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["EX-P3", "EX-P5", "EX-P7"]);
        assert_eq!(calls, [(0, 3), (1, 3), (2, 3), (3, 3)]);
        assert!(all.iter().all(|(_, pdf)| pdf.starts_with(b"%PDF")));
        // Only practices with activity in the period: EX-P3's trainee left in August 2026.
        let later =
            statements_for_all(&data, ym(2027, 1), ym(2027, 12), d(2026, 11, 22), &mut |_, _| true).expect("ok");
        assert_eq!(later.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(), ["EX-P5", "EX-P7"]);
        let cancelled = statements_for_all(&data, ym(2026, 1), ym(2027, 12), d(2026, 11, 22), &mut |done, _| done < 1);
        assert!(matches!(cancelled, Err(ReportError::Cancelled)));
    }

    #[test]
    fn numbers_are_right_aligned_by_glyph_advances() {
        let fonts = Fonts::load().expect("font");
        let mut doc = PdfDocument::new("t");
        let face = Face { id: doc.add_font(&fonts.regular), parsed: &fonts.regular };
        // DejaVu Sans digits all advance 1303 of 2048 units: at 8 pt, 8 digits are 8 × 1303 / 2048 × 8 pt.
        let w = face.width_mm("12345678", 8.0);
        let want = 8.0 * 1303.0 / 2048.0 * 8.0 * 25.4 / 72.0;
        assert!((w - want).abs() < 0.001, "{w} vs {want}");
        assert!(face.width_mm("WWW", 8.0) > face.width_mm("iii", 8.0));
        let cut = face.fit("Hoveduddannelse fase 2 med en meget lang tilføjelse", 8.0, 30.0);
        assert!(cut.ends_with('…') && face.width_mm(&cut, 8.0) <= 30.0, "{cut}");
    }

    #[test]
    fn percentages_and_months_print_in_danish() {
        assert_eq!(danish_percent(1936), "19,36 %");
        assert_eq!(danish_percent(3200), "32 %");
        assert_eq!(danish_month(ym(2026, 5)), "maj 2026");
        assert_eq!(danish_month(ym(2026, 9)), "sep. 2026");
    }

    /// Writes sample statements for a person to look at: `STATEMENT_SAMPLES=/tmp/dir cargo test`.
    #[test]
    fn sample_statements_can_be_written_for_inspection() {
        let Ok(dir) = std::env::var("STATEMENT_SAMPLES") else { return };
        let dir = std::path::PathBuf::from(dir);
        let (data, long) = (example(), long_example());
        for (data, id) in [(&data, "EX-P5"), (&data, "EX-P7"), (&long, "P-STOR")] {
            let pdf = statement_pdf(data, id, ym(2026, 1), ym(2027, 12), d(2026, 11, 22)).expect("statement");
            std::fs::write(dir.join(format!("{id}.pdf")), pdf).expect("write sample");
        }
    }
}
