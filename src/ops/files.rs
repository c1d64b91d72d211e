//! The use cases that start from a file the user picked: import CSV files recognised by name,
//! import boundaries, the intro round from a ranking, and the demo region on first start. The
//! desktop and the command line both come here; `ui/` does no file I/O of its own.

use chrono::NaiveDate;
use std::path::{Path, PathBuf};

use super::{Imported, OpError, OpResult, import_csv, input};
use crate::domain::intro::{IntroRound, intro_round};
use crate::domain::model::{Dataset, Practice, Trainee};
use crate::domain::rules::RuleContext;
use crate::store::csv::{CsvError, ImportFiles, RankingColumns, RankingLine, parse_ranking};
use crate::store::{OpenOptions, Store, StoreError};

/// Sorts picked CSV files into the four tables by their names (`practices…`, `trainees…`,
/// `placements…`, `pauses…`), as the desktop's "Importér CSV…" does.
pub fn import_files_by_name(files: &[PathBuf]) -> OpResult<ImportFiles> {
    let mut wanted = ImportFiles::default();
    for f in files {
        let name = f.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
        let slot = if name.contains("practice") {
            &mut wanted.practices
        } else if name.contains("trainee") {
            &mut wanted.trainees
        } else if name.contains("placement") {
            &mut wanted.placements
        } else if name.contains("pause") {
            &mut wanted.pauses
        } else {
            return Err(input(format!(
                "{}: the file name must contain practices, trainees, placements or pauses",
                f.display()
            )));
        };
        *slot = Some(f.clone());
    }
    Ok(wanted)
}

/// Reads and imports the files, all or nothing.
pub fn import_files(store: &mut Store, files: &ImportFiles, update: bool) -> OpResult<Imported> {
    let input = files.read()?;
    import_csv(store, &input, update)
}

/// Imports municipality outlines from a GeoJSON file.
pub fn import_boundaries_file(store: &mut Store, path: &Path) -> OpResult<usize> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| input(format!("{name}: cannot read the file: {e}")))?;
    super::import_boundaries(store, &bytes, &name)
}

/// A ranking CSV for the intro round, read and parsed.
pub struct Ranking {
    pub file: String,
    pub lines: Vec<RankingLine>,
    pub columns: RankingColumns,
}

pub fn read_ranking(path: &Path) -> Result<Ranking, CsvError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| CsvError {
        file: file.clone(),
        line: 1,
        column: 1,
        reason: format!("cannot read the file: {e}"),
    })?;
    let (lines, columns) = parse_ranking(&file, &bytes)?;
    Ok(Ranking { file, lines, columns })
}

impl Ranking {
    /// Runs the intro round (DOMAIN.md §3.2) on `data` with the hard rules as the feasibility
    /// test; an error names the ranking's FILE:LINE:COLUMN.
    pub fn run(
        &self,
        data: &Dataset,
        declined: &[(String, String)],
        offered_on: NaiveDate,
    ) -> Result<IntroRound, CsvError> {
        let ctx = RuleContext::new(data);
        let feasible = |t: &Trainee, p: &Practice| -> Result<(), crate::domain::intro::Why> {
            let v = ctx.check(t, p, t.period(), Some(&t.id));
            if v.is_empty() { Ok(()) } else { Err(crate::domain::intro::Why::of_violations(&v)) }
        };
        let rows: Vec<_> = self.lines.iter().map(|l| l.row.clone()).collect();
        intro_round(data, &rows, declined, offered_on, &feasible).map_err(|e| {
            let line = self.lines.get(e.row().saturating_sub(1)).map_or(0, |l| l.line);
            let column = match e.field() {
                "rank" => self.columns.rank,
                "trainee_id" => self.columns.trainee_id,
                _ => self.columns.priorities,
            };
            CsvError { file: self.file.clone(), line, column, reason: e.to_string() }
        })
    }
}

/// Opens `path` as `options` say, first creating the demo region there when `demo_path` is it
/// and it does not exist yet (the desktop's first start).
pub fn open_or_create_demo(path: &Path, demo_path: &Path, options: &OpenOptions) -> Result<Store, StoreError> {
    if !path.exists() && path == demo_path {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        match super::demo_file(path, &crate::demo::DemoParams::default()) {
            Ok(_) => {}
            Err(OpError::Store(e)) => return Err(e),
            Err(e) => return Err(StoreError::Corrupt(e.to_string())),
        }
    }
    Store::open_with(path, options)
}
