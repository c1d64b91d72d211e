//! The letters of a round (issue 13, DOMAIN.md §3.4): one letter per trainee, from the sending
//! hospital, and one notice per receiving practice. Danish, A4, with the statement's fonts and
//! drawing (`report::statement`).
//!
//! A letter names its own trainee only: the practice, its address, phone and e-mail where known,
//! the period, what to do next, and who pays the salary out. A notice lists the practice's own
//! incoming trainees with type and period, and for phase 2, phase 3 and other specialties the
//! practice's share of the salary over the period, in exact øre from `domain::finance`.

use chrono::NaiveDate;
use printpdf::{Mm, OffsetDateTime, PdfDocument, PdfPage, PdfSaveOptions};

use super::statement::{Canvas, Face, Fonts, ReportError};
use crate::domain::dates::{YearMonth, danish};
use crate::domain::finance::{FinanceLine, finance_lines, paid_out_by};
use crate::domain::model::{Dataset, Practice, Trainee, TraineeType};
use crate::domain::money::Money;
use crate::domain::round::{Round, RoundProposal, with_round};

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const LEFT: f32 = 20.0;
const RIGHT: f32 = 190.0;
const BODY: f32 = 10.0;
const LINE: f32 = 5.2;

/// The hospital that sends a trainee's letter: for KBU the hospital of their KBU employment
/// (DOMAIN.md §3.4), for the others the hospital unit of their course or area, else the region.
pub fn sender(trainee: &Trainee) -> String {
    trainee
        .hospital_unit
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map_or_else(|| "Region Midtjylland, Sundhedsuddannelser".to_string(), str::to_string)
}

/// What the trainee needs to know about the salary (DOMAIN.md §5): who employs them and who pays
/// the salary out.
fn money_facts(trainee: &Trainee) -> String {
    let payer = paid_out_by(trainee);
    match trainee.kind {
        TraineeType::Kbu => format!(
            "Du er ansat i regionen under hele forløbet. Lønnen udbetales af {payer}, hvor du har din KBU-ansættelse. \
             Praksis modtager tutorhonorar fra regionen; det koster dig intet."
        ),
        TraineeType::Intro | TraineeType::Phase1 => {
            format!("Du er ansat i regionen i perioden. Lønnen udbetales af {payer}.")
        }
        TraineeType::Phase2 | TraineeType::Phase3 | TraineeType::Other => format!(
            "Praksis er din arbejdsgiver i perioden og betaler en del af lønnen; regionen betaler resten. \
             Lønnen udbetales af {payer} på praksis' vegne."
        ),
    }
}

/// Splits `text` into lines no wider than `max_mm` at `size_pt`.
fn wrap(face: &Face<'_>, text: &str, size_pt: f32, max_mm: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if !line.is_empty() && face.width_mm(&candidate, size_pt) > max_mm {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A paragraph from `y` down; returns the baseline below it.
fn paragraph(c: &mut Canvas<'_>, text: &str, y: f32) -> f32 {
    let mut y = y;
    for line in wrap(c.regular, text, BODY, RIGHT - LEFT) {
        c.left(false, BODY, LEFT, y, &line);
        y -= LINE;
    }
    y
}

fn header(c: &mut Canvas<'_>, from: &str, printed_on: NaiveDate) {
    c.left(true, 11.0, LEFT, 282.0, "Region Midtjylland");
    c.left(false, 9.0, LEFT, 277.0, &c.regular.fit(&format!("Afsender: {from}"), 9.0, 120.0));
    c.right(false, 9.0, RIGHT, 282.0, &format!("Dato {}", danish(printed_on)));
    c.rule(LEFT, RIGHT, 273.0, 0.6, 0.0);
}

/// The practice's name, address and municipality from `y` down; returns the baseline below.
fn practice_block(c: &mut Canvas<'_>, p: &Practice, y: f32) -> f32 {
    let mut y = y;
    c.left(true, BODY, LEFT + 5.0, y, &c.bold.fit(&p.name, BODY, RIGHT - LEFT - 5.0));
    y -= LINE;
    if !p.address.trim().is_empty() {
        c.left(false, BODY, LEFT + 5.0, y, &c.regular.fit(&p.address, BODY, RIGHT - LEFT - 5.0));
        y -= LINE;
    }
    if !p.municipality.trim().is_empty() {
        c.left(false, BODY, LEFT + 5.0, y, &format!("{} Kommune", p.municipality));
        y -= LINE;
    }
    y
}

fn document(title: &str, printed_on: NaiveDate) -> PdfDocument {
    let mut doc = PdfDocument::new(title);
    doc.metadata.info.author = "Region Midtjylland".to_string();
    doc.metadata.info.creator = "tutorfordeling".to_string();
    // The date of the letter, not the clock: a letter depends only on its inputs.
    if let Some(stamp) = printed_on.and_hms_opt(12, 0, 0).map(|t| t.and_utc().timestamp())
        && let Ok(date) = OffsetDateTime::from_unix_timestamp(stamp)
    {
        doc.metadata.info.creation_date = date;
        doc.metadata.info.modification_date = date;
        doc.metadata.info.metadata_date = date;
    }
    doc
}

/// The finance lines of one trainee at one practice over the proposal's period.
fn lines_of(data: &Dataset, p: &RoundProposal) -> Vec<FinanceLine> {
    finance_lines(data, YearMonth::of(p.start), YearMonth::of(p.end), Some(&p.practice_id))
        .into_iter()
        .filter(|l| l.trainee_id == p.trainee_id)
        .collect()
}

fn letter(data: &Dataset, p: &RoundProposal, printed_on: NaiveDate, fonts: &Fonts) -> Result<Vec<u8>, ReportError> {
    let trainee =
        data.trainee(&p.trainee_id).ok_or_else(|| ReportError::Write(format!("unknown trainee {}", p.trainee_id)))?;
    let practice = data.practice(&p.practice_id).ok_or_else(|| ReportError::UnknownPractice(p.practice_id.clone()))?;
    let mut doc = document(&format!("Placering {}", trainee.id), printed_on);
    let regular = Face { id: doc.add_font(&fonts.regular), parsed: &fonts.regular };
    let bold = Face { id: doc.add_font(&fonts.bold), parsed: &fonts.bold };
    let mut c = Canvas::new(&regular, &bold);
    let from = sender(trainee);
    header(&mut c, &from, printed_on);
    c.left(true, 15.0, LEFT, 260.0, "Din placering i almen praksis");
    let mut y = 248.0;
    c.left(true, BODY, LEFT, y, &c.bold.fit(&format!("Til {}", trainee.name), BODY, RIGHT - LEFT));
    y -= LINE;
    c.left(false, BODY, LEFT, y, trainee.kind.danish());
    y -= 2.0 * LINE;
    c.left(false, BODY, LEFT, y, "Du er placeret i tutorpraksis:");
    y -= LINE + 1.0;
    y = practice_block(&mut c, practice, y);
    y -= 2.0;
    c.left(false, BODY, LEFT, y, "Periode:");
    c.left(true, BODY, LEFT + 30.0, y, &format!("{} – {}", danish(p.start), danish(p.end)));
    y -= LINE;
    let contacts: Vec<(&str, &str)> = [("Telefon:", practice.phone.as_deref()), ("E-mail:", practice.email.as_deref())]
        .into_iter()
        .filter_map(|(k, v)| v.map(str::trim).filter(|v| !v.is_empty()).map(|v| (k, v)))
        .collect();
    for (label, value) in &contacts {
        c.left(false, BODY, LEFT, y, label);
        c.left(false, BODY, LEFT + 30.0, y, &c.regular.fit(value, BODY, RIGHT - LEFT - 30.0));
        y -= LINE;
    }
    if contacts.is_empty() {
        y = paragraph(&mut c, "Praksis' telefon og e-mail er ikke registreret hos os; de står på sundhed.dk.", y);
    }
    y -= LINE;
    c.left(true, 11.0, LEFT, y, "Det skal du gøre nu");
    y -= LINE + 1.0;
    y = paragraph(
        &mut c,
        &format!(
            "Kontakt praksis hurtigst muligt og aftal et første møde inden din start den {}. \
             Praksis venter at høre fra dig. Kan du ikke tage placeringen, så skriv straks til afsenderen af dette brev.",
            danish(p.start)
        ),
        y,
    );
    y -= LINE;
    c.left(true, 11.0, LEFT, y, "Løn");
    y -= LINE + 1.0;
    y = paragraph(&mut c, &money_facts(trainee), y);
    let d = with_round(data, &Round { proposals: vec![p.clone()], ..empty_round() });
    if let Some(l) = lines_of(&d, p).first().filter(|l| l.monthly_salary != Money::ZERO) {
        c.left(false, BODY, LEFT, y, "Månedsløn ved start:");
        c.left(false, BODY, LEFT + 45.0, y, &l.monthly_salary.to_danish_kr());
        y -= LINE;
    }
    y -= 2.0 * LINE;
    c.left(false, BODY, LEFT, y, "Med venlig hilsen");
    c.left(false, BODY, LEFT, y - LINE, &c.regular.fit(&from, BODY, RIGHT - LEFT));
    let page = PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), c.ops);
    let mut warnings = Vec::new();
    Ok(doc.with_pages(vec![page]).save(&PdfSaveOptions::default(), &mut warnings))
}

fn empty_round() -> Round {
    Round {
        name: String::new(),
        kind: None,
        hospital_units: Vec::new(),
        weights: Default::default(),
        data_version: 0,
        computed_on: NaiveDate::MIN,
        proposals: Vec::new(),
        unplaced: Vec::new(),
        excluded: Vec::new(),
        published: false,
    }
}

/// Rows of the notice's table on one page.
const NOTICE_ROWS: usize = 28;

fn notice(
    data: &Dataset,
    practice: &Practice,
    incoming: &[&RoundProposal],
    printed_on: NaiveDate,
    fonts: &Fonts,
) -> Vec<u8> {
    let mut doc = document(&format!("Meddelelse {}", practice.id), printed_on);
    let regular = Face { id: doc.add_font(&fonts.regular), parsed: &fonts.regular };
    let bold = Face { id: doc.add_font(&fonts.bold), parsed: &fonts.bold };
    let chunks: Vec<&[&RoundProposal]> =
        if incoming.is_empty() { vec![&[][..]] } else { incoming.chunks(NOTICE_ROWS).collect() };
    let pages = chunks.len();
    let (col_type, col_period, col_share) = (LEFT + 55.0, LEFT + 100.0, RIGHT);
    let mut out = Vec::new();
    let mut any_share = false;
    for (n, chunk) in chunks.iter().enumerate() {
        let mut c = Canvas::new(&regular, &bold);
        header(&mut c, "Region Midtjylland, Sundhedsuddannelser", printed_on);
        c.right(false, 9.0, RIGHT, 277.0, &format!("Side {} af {pages}", n + 1));
        c.left(true, 15.0, LEFT, 260.0, "Meddelelse om kommende uddannelseslæger");
        let mut y = practice_block(&mut c, practice, 248.0);
        y -= LINE;
        y = paragraph(
            &mut c,
            "Regionen har placeret disse uddannelseslæger hos jer. Hver læge får et brev og kontakter jer for at aftale \
             et første møde inden start.",
            y,
        );
        y -= LINE;
        c.left(true, 9.0, LEFT, y, "Uddannelseslæge");
        c.left(true, 9.0, col_type, y, "Type");
        c.left(true, 9.0, col_period, y, "Periode");
        c.right(true, 9.0, col_share, y, "Praksis' andel af lønnen");
        c.rule(LEFT, RIGHT, y - 1.8, 0.6, 0.0);
        y -= LINE + 1.0;
        for p in chunk.iter() {
            let Some(t) = data.trainee(&p.trainee_id) else { continue };
            c.left(false, 9.0, LEFT, y, &c.regular.fit(&t.name, 9.0, col_type - LEFT - 2.0));
            c.left(false, 9.0, col_type, y, &c.regular.fit(t.kind.danish(), 9.0, col_period - col_type - 2.0));
            c.left(false, 9.0, col_period, y, &format!("{} – {}", danish(p.start), danish(p.end)));
            let share = if matches!(t.kind, TraineeType::Phase2 | TraineeType::Phase3 | TraineeType::Other) {
                any_share = true;
                let sum = lines_of(data, p).iter().fold(Money::ZERO, |s, l| s + l.practice_share);
                sum.to_danish_kr()
            } else {
                "–".to_string()
            };
            c.right(false, 9.0, col_share, y, &share);
            y -= LINE;
        }
        if chunk.is_empty() {
            c.left(false, 9.0, LEFT, y, "Ingen uddannelseslæger i denne runde.");
            y -= LINE;
        }
        if n + 1 == pages {
            c.rule(LEFT, RIGHT, y + 2.6, 0.3, 0.5);
            y -= LINE;
            if any_share {
                y = paragraph(
                    &mut c,
                    "For hoveduddannelse fase 2 og 3 og andre specialer er praksis arbejdsgiver og betaler sin andel af \
                     lønnen for hele perioden efter regionens satser; Regionshospitalet Gødstrup udbetaler lønnen på \
                     praksis' vegne og opkræver andelen.",
                    y,
                );
            }
            if incoming.iter().any(|p| data.trainee(&p.trainee_id).is_some_and(|t| t.kind == TraineeType::Kbu)) {
                paragraph(&mut c, "For KBU-læger modtager praksis tutorhonorar fra regionen.", y);
            }
        }
        out.push(PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), c.ops));
    }
    let mut warnings = Vec::new();
    doc.with_pages(out).save(&PdfSaveOptions::default(), &mut warnings)
}

/// Receives each PDF as it is made: (trainee or practice id, PDF bytes).
pub type EmitPdf<'a> = dyn FnMut(&str, &[u8]) -> Result<(), ReportError> + 'a;

/// One letter per proposal of `round` (by trainee id), each handed to `emit(trainee id, PDF)`
/// as soon as it is made. `progress(done, total)` may cancel. Returns how many.
pub fn letters_each(
    data: &Dataset,
    round: &Round,
    printed_on: NaiveDate,
    progress: &mut dyn FnMut(usize, usize) -> bool,
    emit: &mut EmitPdf<'_>,
) -> Result<usize, ReportError> {
    let fonts = Fonts::load()?;
    let total = round.proposals.len();
    for (i, p) in round.proposals.iter().enumerate() {
        if !progress(i, total) {
            return Err(ReportError::Cancelled);
        }
        let pdf = letter(data, p, printed_on, &fonts)?;
        emit(&p.trainee_id, &pdf)?;
    }
    if !progress(total, total) {
        return Err(ReportError::Cancelled);
    }
    Ok(total)
}

/// The practices receiving trainees in `round`, by id.
pub fn receiving_practices(round: &Round) -> Vec<String> {
    round.counts_by_practice().into_keys().collect()
}

/// One notice per practice receiving trainees in `round` (by practice id), handed to
/// `emit(practice id, PDF)`. The amounts count the round's proposals as placed.
pub fn notices_each(
    data: &Dataset,
    round: &Round,
    printed_on: NaiveDate,
    progress: &mut dyn FnMut(usize, usize) -> bool,
    emit: &mut EmitPdf<'_>,
) -> Result<usize, ReportError> {
    let fonts = Fonts::load()?;
    let practices = receiving_practices(round);
    let total = practices.len();
    let d = with_round(data, round);
    for (i, id) in practices.iter().enumerate() {
        if !progress(i, total) {
            return Err(ReportError::Cancelled);
        }
        let practice = d.practice(id).ok_or_else(|| ReportError::UnknownPractice(id.clone()))?;
        let incoming: Vec<&RoundProposal> = round.proposals.iter().filter(|p| p.practice_id == *id).collect();
        emit(id, &notice(&d, practice, &incoming, printed_on, &fonts))?;
    }
    if !progress(total, total) {
        return Err(ReportError::Cancelled);
    }
    Ok(total)
}

/// Collects the letters of a round in memory: (trainee id, PDF), for tests and previews.
pub fn letters(data: &Dataset, round: &Round, printed_on: NaiveDate) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
    let mut out = Vec::new();
    letters_each(data, round, printed_on, &mut |_, _| true, &mut |id, pdf| {
        out.push((id.to_string(), pdf.to_vec()));
        Ok(())
    })?;
    Ok(out)
}
