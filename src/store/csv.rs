//! CSV import and export exactly as CONTRACT.md says.
//!
//! Import is all or nothing: every row of every file is parsed and every reference resolved
//! against the database plus the files themselves before a single row is written. The first bad
//! cell stops the import with `FILE:LINE:COLUMN: reason`.

use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::Batch;
use crate::domain::dates::{iso, parse_date};
use crate::domain::finance::{formula_safe, formula_unsafe};
use crate::domain::intro::RankingRow;
use crate::domain::model::{Dataset, Pause, Placement, Practice, Rule, Setting, Trainee, TraineeType};
use crate::domain::money::Money;

/// A bad input file: where, and why (CLI exit code 2).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}:{line}:{column}: {reason}")]
pub struct CsvError {
    pub file: String,
    pub line: u64,
    pub column: usize,
    pub reason: String,
}

/// The four tables of CONTRACT.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    Practices,
    Trainees,
    Placements,
    Pauses,
    /// The intro committee's ranked list (`intro-round --ranking`).
    Ranking,
}

impl Table {
    pub const ALL: [Table; 4] = [Table::Practices, Table::Trainees, Table::Placements, Table::Pauses];

    pub fn file_name(self) -> &'static str {
        match self {
            Table::Practices => "practices.csv",
            Table::Trainees => "trainees.csv",
            Table::Placements => "placements.csv",
            Table::Pauses => "pauses.csv",
            Table::Ranking => "ranking.csv",
        }
    }

    /// (column, required) in the order export writes them.
    fn columns(self) -> &'static [(&'static str, bool)] {
        match self {
            Table::Practices => &[
                ("id", true),
                ("name", true),
                ("address", false),
                ("municipality", true),
                ("lat", true),
                ("lon", true),
                ("tutors", true),
                ("doctors", true),
                ("setting", true),
                ("burdened", true),
                ("threatened", false),
                ("capacity", false),
                ("large", false),
                ("refuses", false),
                ("quality", false),
                // The practice's contact for the trainees' letters (issue 13); export writes these
                // two only when some practice has one, so older files export as they did.
                ("phone", false),
                ("email", false),
            ],
            Table::Trainees => &[
                ("id", true),
                ("name", true),
                ("type", true),
                ("hospital_unit", false),
                ("municipality", false),
                ("start", true),
                ("end", true),
                ("monthly_salary", false),
                ("seniority_step", false),
                ("own_gp", false),
                ("family_practices", false),
                ("history", false),
            ],
            Table::Placements => &[
                ("trainee_id", true),
                ("practice_id", true),
                ("start", false),
                ("end", false),
                ("pinned", false),
                ("override", false),
                ("reason", false),
            ],
            Table::Pauses => &[("practice_id", true), ("start", true), ("end", true), ("wish_type", false)],
            // `earlier_intro` is our optional extension: DOMAIN.md §3.2 ranks such applicants last.
            Table::Ranking => &[("rank", true), ("trainee_id", true), ("priorities", true), ("earlier_intro", false)],
        }
    }
}

/// The files of one import; any may be absent.
#[derive(Clone, Debug, Default)]
pub struct ImportFiles {
    pub practices: Option<PathBuf>,
    pub trainees: Option<PathBuf>,
    pub placements: Option<PathBuf>,
    pub pauses: Option<PathBuf>,
}

/// Raw file contents to import, named for messages.
#[derive(Clone, Debug, Default)]
pub struct ImportInput {
    pub practices: Option<(String, Vec<u8>)>,
    pub trainees: Option<(String, Vec<u8>)>,
    pub placements: Option<(String, Vec<u8>)>,
    pub pauses: Option<(String, Vec<u8>)>,
}

impl ImportFiles {
    /// Reads the files; an unreadable file is reported at line 1, column 1... of nothing, so
    /// as `FILE:0:0`.
    pub fn read(&self) -> Result<ImportInput, CsvError> {
        let read = |p: &Option<PathBuf>| -> Result<Option<(String, Vec<u8>)>, CsvError> {
            match p {
                None => Ok(None),
                Some(p) => std::fs::read(p).map(|b| Some((p.display().to_string(), b))).map_err(|e| CsvError {
                    file: p.display().to_string(),
                    line: 1,
                    column: 1,
                    reason: format!("cannot read the file: {e}"),
                }),
            }
        };
        Ok(ImportInput {
            practices: read(&self.practices)?,
            trainees: read(&self.trainees)?,
            placements: read(&self.placements)?,
            pauses: read(&self.pauses)?,
        })
    }
}

/// One parsed data row with its position, for reference errors.
struct Row<'a> {
    file: &'a str,
    line: u64,
    fields: Vec<String>,
    index: &'a HashMap<&'static str, usize>,
}

impl Row<'_> {
    fn err(&self, column: &str, reason: impl Into<String>) -> CsvError {
        CsvError {
            file: self.file.to_string(),
            line: self.line,
            column: self.index.get(column).map_or(1, |i| i + 1),
            reason: reason.into(),
        }
    }

    /// The trimmed cell, or "" where the column is absent; a `'` that export put before `=`, `+`,
    /// `-`, `@`, a tab or a carriage return is removed (once).
    fn get(&self, column: &str) -> &str {
        self.index.get(column).and_then(|&i| self.fields.get(i)).map_or("", |s| formula_unsafe(s.trim()))
    }

    fn required(&self, column: &str) -> Result<&str, CsvError> {
        let v = self.get(column);
        if v.is_empty() { Err(self.err(column, format!("'{column}' is required but empty"))) } else { Ok(v) }
    }

    fn optional(&self, column: &str) -> Option<&str> {
        Some(self.get(column)).filter(|v| !v.is_empty())
    }

    fn date(&self, column: &str) -> Result<NaiveDate, CsvError> {
        let v = self.required(column)?;
        parse_date(v).map_err(|e| self.err(column, format!("bad date in '{column}': {e}")))
    }

    fn optional_date(&self, column: &str) -> Result<Option<NaiveDate>, CsvError> {
        match self.optional(column) {
            None => Ok(None),
            Some(_) => self.date(column).map(Some),
        }
    }

    fn bool(&self, column: &str) -> Result<bool, CsvError> {
        let v = self.required(column)?;
        parse_bool(v).ok_or_else(|| {
            self.err(
                column,
                format!("'{v}' is not a yes/no value in '{column}'; write yes/no, ja/nej, true/false or 1/0"),
            )
        })
    }

    fn optional_bool(&self, column: &str) -> Result<Option<bool>, CsvError> {
        match self.optional(column) {
            None => Ok(None),
            Some(_) => self.bool(column).map(Some),
        }
    }

    fn uint(&self, column: &str, min: u32) -> Result<u32, CsvError> {
        let v = self.required(column)?;
        let n: u32 = v.parse().map_err(|_| self.err(column, format!("'{v}' is not a whole number in '{column}'")))?;
        if n < min {
            return Err(self.err(column, format!("'{column}' must be at least {min}, not {n}")));
        }
        Ok(n)
    }

    fn optional_uint(&self, column: &str, min: u32) -> Result<Option<u32>, CsvError> {
        match self.optional(column) {
            None => Ok(None),
            Some(_) => self.uint(column, min).map(Some),
        }
    }

    fn degrees(&self, column: &str, range: std::ops::RangeInclusive<f64>) -> Result<f64, CsvError> {
        let v = self.required(column)?;
        let ok = v.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',' || b == b'-')
            && v.bytes().filter(|&b| b == b'.' || b == b',').count() <= 1;
        let n: f64 = if ok { v.replace(',', ".").parse().ok() } else { None }
            .ok_or_else(|| self.err(column, format!("'{v}' is not a number in '{column}'")))?;
        if !range.contains(&n) {
            return Err(self.err(column, format!("{column} {v} is outside {}..{}", range.start(), range.end())));
        }
        Ok(n)
    }

    fn list(&self, column: &str) -> Vec<String> {
        split_list(self.get(column))
    }
}

fn split_list(s: &str) -> Vec<String> {
    s.split('|').map(str::trim).filter(|x| !x.is_empty()).map(str::to_string).collect()
}

/// CONTRACT.md booleans: yes/no, ja/nej, true/false, 1/0.
pub fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_lowercase().as_str() {
        "yes" | "ja" | "true" | "1" => Some(true),
        "no" | "nej" | "false" | "0" => Some(false),
        _ => None,
    }
}

/// A parsed table: its rows, with the header index they share.
struct Parsed {
    file: String,
    index: HashMap<&'static str, usize>,
    rows: Vec<(u64, Vec<String>)>,
}

impl Parsed {
    fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(|(line, fields)| Row {
            file: &self.file,
            line: *line,
            fields: fields.clone(),
            index: &self.index,
        })
    }
}

/// Reads one CSV file: encoding, BOM, separator, header, field counts.
fn parse_table(table: Table, file: &str, bytes: &[u8]) -> Result<Parsed, CsvError> {
    let err = |line: u64, column: usize, reason: String| CsvError { file: file.to_string(), line, column, reason };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let before = &bytes[..e.valid_up_to()];
            let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
            let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let prefix = &bytes[line_start..e.valid_up_to()];
            let sep = if bytes.iter().take_while(|&&b| b != b'\n').any(|&b| b == b';') { b';' } else { b',' };
            let column = prefix.iter().filter(|&&b| b == sep).count() + 1;
            return Err(err(
                line,
                column,
                format!(
                    "the file is not UTF-8 text (byte 0x{:02X}); it may be saved as Windows-1252 or Latin-1. \
                     Save it as UTF-8 (in Excel: Save as → 'CSV UTF-8 (comma delimited)') and import again",
                    bytes[e.valid_up_to()]
                ),
            ));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(err(
            1,
            1,
            format!("the file is empty; expected a header row with the columns of {}", table.file_name()),
        ));
    }
    let header_line = text.lines().next().unwrap_or("");
    let delimiter = if header_line.contains(';') { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(true).flexible(true).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| err(1, 1, format!("cannot read the header row: {e}")))?.clone();
    let known: Vec<&'static str> = table.columns().iter().map(|(c, _)| *c).collect();
    let mut index: HashMap<&'static str, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let name = h.trim().to_lowercase();
        let Some(&col) = known.iter().find(|&&k| k == name) else {
            return Err(err(
                1,
                i + 1,
                format!(
                    "unknown column '{}'; the columns of {} are: {}",
                    h.trim(),
                    table.file_name(),
                    known.join(", ")
                ),
            ));
        };
        if index.insert(col, i).is_some() {
            return Err(err(1, i + 1, format!("column '{col}' appears twice")));
        }
    }
    for (col, required) in table.columns() {
        if *required && !index.contains_key(col) {
            return Err(err(1, 1, format!("missing required column '{col}'")));
        }
    }
    let width = headers.len();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            err(line, 1, format!("cannot read the row: {e}"))
        })?;
        let line = record.position().map_or(0, |p| p.line());
        if record.len() == 1 && record.get(0).is_some_and(|f| f.trim().is_empty()) {
            continue; // a blank line
        }
        if record.len() != width {
            return Err(err(
                line,
                record.len().min(width) + 1,
                format!("the row has {} fields but the header has {width}", record.len()),
            ));
        }
        // Personal data: no cell may hold a CPR number (ids, names, reasons alike).
        if let Some(i) = record.iter().position(crate::domain::privacy::contains_cpr) {
            let column = headers.get(i).unwrap_or("").trim().to_lowercase();
            return Err(err(line, i + 1, crate::domain::privacy::cpr_refusal(&format!("the '{column}' cell"))));
        }
        rows.push((line, record.iter().map(str::to_string).collect()));
    }
    Ok(Parsed { file: file.to_string(), index, rows })
}

/// Parses and checks an import against the data already stored. Returns the rows to write.
pub fn parse_import(input: &ImportInput, existing: &Dataset, update: bool) -> Result<Batch, CsvError> {
    let region = &existing.region;
    let parsed = |t: Table, f: &Option<(String, Vec<u8>)>| -> Result<Option<Parsed>, CsvError> {
        f.as_ref().map(|(name, bytes)| parse_table(t, name, bytes)).transpose()
    };
    let practices_csv = parsed(Table::Practices, &input.practices)?;
    let trainees_csv = parsed(Table::Trainees, &input.trainees)?;
    let placements_csv = parsed(Table::Placements, &input.placements)?;
    let pauses_csv = parsed(Table::Pauses, &input.pauses)?;

    let mut batch = Batch { update, ..Batch::default() };

    // Practices.
    let mut new_practice_ids: HashSet<String> = HashSet::new();
    if let Some(t) = &practices_csv {
        for row in t.rows() {
            let id = row.required("id")?.to_string();
            if !new_practice_ids.insert(id.clone()) {
                return Err(row.err("id", format!("duplicate id '{id}' in this file")));
            }
            if !update && existing.practice(&id).is_some() {
                return Err(row.err("id", format!("practice '{id}' already exists; use --update to replace it")));
            }
            let municipality = row.required("municipality")?;
            let m = region.municipality(municipality).ok_or_else(|| {
                row.err(
                    "municipality",
                    format!("unknown municipality '{municipality}'; it must be one of the region's 19"),
                )
            })?;
            let tutors = row.uint("tutors", 1)?;
            let setting = row.required("setting")?;
            let refuses = row
                .list("refuses")
                .iter()
                .map(|k| {
                    TraineeType::from_key(k).ok_or_else(|| {
                        row.err(
                            "refuses",
                            format!("unknown trainee type '{k}'; use kbu, intro, phase1, phase2, phase3, other"),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let quality = row.optional_uint("quality", 1)?;
            if quality.is_some_and(|q| q > 5) {
                return Err(row.err("quality", "quality is 1 to 5"));
            }
            batch.practices.push(Practice {
                id,
                name: row.required("name")?.to_string(),
                address: row.get("address").to_string(),
                municipality: m.name.clone(),
                lat: row.degrees("lat", 54.0..=58.0)?,
                lon: row.degrees("lon", 7.0..=16.0)?,
                tutors,
                doctors: row.uint("doctors", 1)?,
                setting: Setting::from_key(setting)
                    .ok_or_else(|| row.err("setting", format!("'{setting}' is not a setting; write urban or rural")))?,
                burdened: row.bool("burdened")?,
                threatened: row.optional_bool("threatened")?,
                capacity: row.optional_uint("capacity", 0)?,
                large: row.optional_bool("large")?.unwrap_or(false),
                refuses,
                quality: quality.map(|q| q as u8),
                phone: Some(row.get("phone").to_string()).filter(|v| !v.is_empty()),
                email: Some(row.get("email").to_string()).filter(|v| !v.is_empty()),
            });
        }
    }
    let practice_exists = |id: &str| new_practice_ids.contains(id) || existing.practice(id).is_some();

    // Trainees.
    let mut new_trainees: HashMap<String, (NaiveDate, NaiveDate)> = HashMap::new();
    if let Some(t) = &trainees_csv {
        for row in t.rows() {
            let id = row.required("id")?.to_string();
            if new_trainees.contains_key(&id) {
                return Err(row.err("id", format!("duplicate id '{id}' in this file")));
            }
            if !update && existing.trainee(&id).is_some() {
                return Err(row.err("id", format!("trainee '{id}' already exists; use --update to replace it")));
            }
            let kind_text = row.required("type")?;
            let kind = TraineeType::from_key(kind_text).ok_or_else(|| {
                row.err("type", format!("unknown type '{kind_text}'; use kbu, intro, phase1, phase2, phase3 or other"))
            })?;
            let hospital_unit = match row.optional("hospital_unit") {
                Some(h) => Some(
                    region
                        .hospital_unit(h)
                        .ok_or_else(|| {
                            let names: Vec<&str> = region.hospital_units.iter().map(|u| u.name.as_str()).collect();
                            row.err(
                                "hospital_unit",
                                format!("unknown hospital unit '{h}'; use one of: {}", names.join(", ")),
                            )
                        })?
                        .name
                        .clone(),
                ),
                None if kind != TraineeType::Intro => {
                    return Err(row.err("hospital_unit", format!("'hospital_unit' is required for {kind}")));
                }
                None => None,
            };
            let municipality = match row.optional("municipality") {
                Some(m) => Some(
                    region
                        .municipality(m)
                        .ok_or_else(|| row.err("municipality", format!("unknown municipality '{m}'")))?
                        .name
                        .clone(),
                ),
                None if matches!(kind, TraineeType::Kbu | TraineeType::Intro) => {
                    return Err(row.err("municipality", format!("'municipality' is required for {kind} (rule H3)")));
                }
                None => None,
            };
            let start = row.date("start")?;
            let end = row.date("end")?;
            if end < start {
                return Err(
                    row.err("end", format!("the end {} is before the start {} (rule H9)", iso(end), iso(start)))
                );
            }
            let monthly_salary = match row.optional("monthly_salary") {
                Some(v) => Some(Money::parse(v).map_err(|e| row.err("monthly_salary", e.to_string()))?),
                None => None,
            };
            let seniority_step = row.optional("seniority_step").map(str::to_string);
            if let Some(step) = &seniority_step
                && !existing.settings.salary_scale.iter().any(|s| s.step.eq_ignore_ascii_case(step))
            {
                return Err(row.err("seniority_step", format!("unknown salary step '{step}'")));
            }
            let own_gp = row.optional("own_gp").map(str::to_string);
            if let Some(p) = &own_gp
                && !practice_exists(p)
            {
                return Err(row.err("own_gp", format!("unknown practice id '{p}'")));
            }
            for col in ["family_practices", "history"] {
                if let Some(p) = row.list(col).iter().find(|p| !practice_exists(p)) {
                    return Err(row.err(col, format!("unknown practice id '{p}'")));
                }
            }
            new_trainees.insert(id.clone(), (start, end));
            batch.trainees.push(Trainee {
                id,
                name: row.required("name")?.to_string(),
                kind,
                hospital_unit,
                municipality,
                start,
                end,
                monthly_salary,
                seniority_step,
                own_gp,
                family_practices: row.list("family_practices"),
                history: row.list("history"),
            });
        }
    }

    // Placements. History is history: a placement that breaks a hard rule is stored anyway and
    // counted by the caller; only malformed rows are refused.
    let mut placed: HashSet<String> = HashSet::new();
    if let Some(t) = &placements_csv {
        for row in t.rows() {
            let trainee_id = row.required("trainee_id")?.to_string();
            let period = new_trainees
                .get(&trainee_id)
                .copied()
                .or_else(|| existing.trainee(&trainee_id).map(|t| (t.start, t.end)))
                .ok_or_else(|| row.err("trainee_id", format!("unknown trainee id '{trainee_id}'")))?;
            let practice_id = row.required("practice_id")?.to_string();
            if !practice_exists(&practice_id) {
                return Err(row.err("practice_id", format!("unknown practice id '{practice_id}'")));
            }
            if !placed.insert(trainee_id.clone()) {
                return Err(
                    row.err("trainee_id", format!("trainee '{trainee_id}' is placed twice in this file (rule H9)"))
                );
            }
            if !update && existing.placement_of(&trainee_id).is_some() {
                return Err(row.err(
                    "trainee_id",
                    format!("trainee '{trainee_id}' is already placed; use --update to replace the placement"),
                ));
            }
            let start = row.optional_date("start")?.unwrap_or(period.0);
            let end = row.optional_date("end")?.unwrap_or(period.1);
            if end < start {
                return Err(
                    row.err("end", format!("the end {} is before the start {} (rule H9)", iso(end), iso(start)))
                );
            }
            let overrides = row
                .list("override")
                .iter()
                .map(|r| Rule::parse(r).ok_or_else(|| row.err("override", format!("unknown rule '{r}'; use H1 to H8"))))
                .collect::<Result<Vec<_>, _>>()?;
            batch.placements.push(Placement {
                trainee_id,
                practice_id,
                start,
                end,
                pinned: row.optional_bool("pinned")?.unwrap_or(false),
                overrides,
                reason: row.optional("reason").map(str::to_string),
            });
        }
    }

    // Pauses and wishes.
    if let Some(t) = &pauses_csv {
        for row in t.rows() {
            let practice_id = row.required("practice_id")?.to_string();
            if !practice_exists(&practice_id) {
                return Err(row.err("practice_id", format!("unknown practice id '{practice_id}'")));
            }
            let start = row.date("start")?;
            let end = row.date("end")?;
            if end < start {
                return Err(row.err("end", format!("the end {} is before the start {}", iso(end), iso(start))));
            }
            let wish_type = match row.optional("wish_type") {
                Some(k) => Some(TraineeType::from_key(k).ok_or_else(|| {
                    row.err(
                        "wish_type",
                        format!("unknown trainee type '{k}'; use kbu, intro, phase1, phase2, phase3, other"),
                    )
                })?),
                None => None,
            };
            let pause = Pause { practice_id, start, end, wish_type };
            if existing.pauses.contains(&pause) || batch.pauses.contains(&pause) {
                if update {
                    continue;
                }
                return Err(row.err("practice_id", "this pause or wish already exists".to_string()));
            }
            batch.pauses.push(pause);
        }
    }

    batch.summary = format!(
        "import {} practices, {} trainees, {} placements, {} pauses{}",
        batch.practices.len(),
        batch.trainees.len(),
        batch.placements.len(),
        batch.pauses.len(),
        if update { " (update)" } else { "" }
    );
    Ok(batch)
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// Decimal degrees with a decimal comma; Rust's shortest round-trip form, so import → export
/// gives the same text.
fn degrees_csv(v: f64) -> String {
    format!("{v}").replace('.', ",")
}

/// A text cell (id, name, address, reason, list of ids) as written: formula-safe.
fn text(s: &str) -> String {
    formula_safe(s).into_owned()
}

/// Writes one table as CONTRACT.md says: `;`, decimal comma, yes/no, UTF-8 BOM; text cells that
/// begin like a formula get a leading `'` (numbers, dates and keys are written as they are).
pub fn export_table(table: Table, data: &Dataset) -> Result<Vec<u8>, csv::Error> {
    let mut out: Vec<u8> = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::CRLF).from_writer(&mut out);
        let contacts = data.practices.iter().any(|p| p.phone.is_some() || p.email.is_some());
        let columns = match table {
            Table::Practices if !contacts => &table.columns()[..table.columns().len() - 2],
            _ => table.columns(),
        };
        w.write_record(columns.iter().map(|(c, _)| *c))?;
        let opt = |v: Option<String>| v.unwrap_or_default();
        let opt_text = |v: &Option<String>| v.as_deref().map(text).unwrap_or_default();
        match table {
            Table::Practices => {
                let mut ps: Vec<&Practice> = data.practices.iter().collect();
                ps.sort_by(|a, b| a.id.cmp(&b.id));
                for p in ps {
                    let mut record = vec![
                        text(&p.id),
                        text(&p.name),
                        text(&p.address),
                        text(&p.municipality),
                        degrees_csv(p.lat),
                        degrees_csv(p.lon),
                        p.tutors.to_string(),
                        p.doctors.to_string(),
                        p.setting.key().to_string(),
                        yes_no(p.burdened).to_string(),
                        opt(p.threatened.map(|b| yes_no(b).to_string())),
                        opt(p.capacity.map(|c| c.to_string())),
                        yes_no(p.large).to_string(),
                        p.refuses.iter().map(|t| t.key()).collect::<Vec<_>>().join("|"),
                        opt(p.quality.map(|q| q.to_string())),
                    ];
                    if contacts {
                        record.extend([opt_text(&p.phone), opt_text(&p.email)]);
                    }
                    w.write_record(record)?;
                }
            }
            Table::Trainees => {
                let mut ts: Vec<&Trainee> = data.trainees.iter().collect();
                ts.sort_by(|a, b| a.id.cmp(&b.id));
                for t in ts {
                    w.write_record([
                        text(&t.id),
                        text(&t.name),
                        t.kind.key().to_string(),
                        opt_text(&t.hospital_unit),
                        opt_text(&t.municipality),
                        iso(t.start),
                        iso(t.end),
                        opt(t.monthly_salary.map(Money::to_csv_string)),
                        opt_text(&t.seniority_step),
                        opt_text(&t.own_gp),
                        text(&t.family_practices.join("|")),
                        text(&t.history.join("|")),
                    ])?;
                }
            }
            Table::Placements => {
                let mut ps: Vec<&Placement> = data.placements.iter().collect();
                ps.sort_by(|a, b| a.trainee_id.cmp(&b.trainee_id));
                for p in ps {
                    w.write_record([
                        text(&p.trainee_id),
                        text(&p.practice_id),
                        iso(p.start),
                        iso(p.end),
                        yes_no(p.pinned).to_string(),
                        p.overrides.iter().map(|r| r.id()).collect::<Vec<_>>().join("|"),
                        opt_text(&p.reason),
                    ])?;
                }
            }
            Table::Ranking => {}
            Table::Pauses => {
                let mut ps: Vec<&Pause> = data.pauses.iter().collect();
                ps.sort_by(|a, b| {
                    (&a.practice_id, a.start, a.end, a.wish_type).cmp(&(&b.practice_id, b.start, b.end, b.wish_type))
                });
                for p in ps {
                    w.write_record([
                        text(&p.practice_id),
                        iso(p.start),
                        iso(p.end),
                        opt(p.wish_type.map(|t| t.key().to_string())),
                    ])?;
                }
            }
        }
        w.flush()?;
    }
    Ok(out)
}

/// Writes the four files into `dir` (created if missing), each mode 0600 and renamed into place
/// when complete (`store::outfile`), so a killed export never leaves a partial file.
pub fn export_all(data: &Dataset, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    super::outfile::create_dir(dir)?;
    let mut written = Vec::new();
    for table in Table::ALL {
        let path = dir.join(table.file_name());
        super::outfile::write_atomic(&path, &export_table(table, data)?)?;
        written.push(path);
    }
    Ok(written)
}

/// A ranking row with where it stood in its file, for error messages.
pub struct RankingLine {
    pub row: RankingRow,
    pub line: u64,
}

/// Reads the intro committee's ranked list: `rank`, `trainee_id`, `priorities` (practice ids best
/// first, `|`-separated) and the optional `earlier_intro`.
pub fn parse_ranking(file: &str, bytes: &[u8]) -> Result<(Vec<RankingLine>, RankingColumns), CsvError> {
    let t = parse_table(Table::Ranking, file, bytes)?;
    let mut out = Vec::new();
    for row in t.rows() {
        let rank = row.uint("rank", 1)?;
        out.push(RankingLine {
            row: RankingRow {
                rank,
                trainee_id: row.required("trainee_id")?.to_string(),
                priorities: row.list("priorities"),
                earlier_intro: row.optional_bool("earlier_intro")?.unwrap_or(false),
            },
            line: row.line,
        });
    }
    let column = |c: &str| t.index.get(c).map_or(1, |i| i + 1);
    let columns =
        RankingColumns { rank: column("rank"), trainee_id: column("trainee_id"), priorities: column("priorities") };
    Ok((out, columns))
}

/// 1-based column numbers of a ranking file, to place an engine error.
#[derive(Clone, Copy, Debug)]
pub struct RankingColumns {
    pub rank: usize,
    pub trainee_id: usize,
    pub priorities: usize,
}
