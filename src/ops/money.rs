//! HR's files: one PDF statement per practice with activity, and the finance CSV of a period,
//! for the command line and the desktop alike (CONTRACT.md "Files the program writes").

use std::path::Path;

use crate::domain::dates::YearMonth;
use crate::domain::finance::{CsvWriter, FinanceRun, active_practices, stream};
use crate::domain::model::Dataset;
use crate::report::statement::{ReportError, statements_each};
use crate::store::outfile::{create_dir, statement_file_names, write_atomic, write_atomic_with};

/// Writes every statement of the period into `dir`, one at a time as it is made (each 0600,
/// renamed into place when complete); `progress(done, total)` may cancel. Returns the run's sums
/// and rate gaps.
pub fn write_statements(
    data: &Dataset,
    from: YearMonth,
    to: YearMonth,
    printed_on: chrono::NaiveDate,
    dir: &Path,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<FinanceRun, ReportError> {
    create_dir(dir).map_err(|e| ReportError::Write(e.to_string()))?;
    let names = statement_file_names(&active_practices(data, from, to));
    statements_each(data, from, to, printed_on, progress, &mut |i, _, pdf| {
        let name = names.get(i).ok_or_else(|| ReportError::Write("more statements than practices".into()))?;
        write_atomic(&dir.join(name), pdf).map_err(|e| ReportError::Write(e.to_string()))
    })
}

/// Writes one PDF per practice with activity into `dir`, reporting progress; returns how many.
/// Names as the CLI's `statements` (`store::outfile::statement_file_names`); each file mode 0600,
/// renamed into place when complete, and written as soon as it is made.
pub fn print_statements(
    data: &Dataset,
    from: YearMonth,
    to: YearMonth,
    printed_on: chrono::NaiveDate,
    dir: &Path,
    progress: &mut dyn FnMut(f32) -> bool,
) -> anyhow::Result<usize> {
    let run = write_statements(data, from, to, printed_on, dir, &mut |done, total| {
        progress(if total == 0 { 1.0 } else { done as f32 / total as f32 })
    })
    .map_err(|e| match e {
        ReportError::Cancelled => anyhow::anyhow!("cancelled"),
        other => anyhow::anyhow!(other),
    })?;
    Ok(run.summary.per_practice.len())
}

/// Writes the finance CSV of the period to `path`, streamed (with the BOM, as every CSV the
/// program writes).
pub fn export_csv(data: &Dataset, from: YearMonth, to: YearMonth, path: &Path) -> anyhow::Result<()> {
    write_atomic_with(path, |out| {
        out.write_all("\u{feff}".as_bytes())?;
        let mut w = CsvWriter::new(out)?;
        stream(data, from, to, None, &mut w)?;
        w.finish().map(|_| ())
    })?;
    Ok(())
}
