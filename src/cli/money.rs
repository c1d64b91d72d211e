//! CLI commands of the money engine: `finance` and `statements` (CONTRACT.md "Money").
//!
//! Both stream: the lines are computed practice by practice and written as they come, so memory
//! does not grow with the period (`domain::finance::stream`).

use std::path::Path;

use super::{CliResult, Failure, Format, arg_months, load, today};
use crate::domain::finance::{CsvWriter, FinanceRun, JsonWriter, TextWriter, stream};
use crate::report::statement::{ReportError, statement_pdf};
use crate::store::outfile::{create_dir, print_out_with, statement_file_name, write_atomic};

/// `finance`: one line per trainee × practice × month, with rollups, in text, CSV or JSON.
pub fn finance(db: &Path, from: &str, to: &str, practice: Option<&str>, format: Format) -> CliResult {
    let (from, to, _) = arg_months(from, to)?;
    let (_, data) = load(db)?;
    if let Some(id) = practice
        && data.practice(id).is_none()
    {
        return Err(Failure::BadInput(format!("--practice: unknown practice '{id}'")));
    }
    let mut run = FinanceRun::default();
    print_out_with(|out| {
        run = match format {
            Format::Json => {
                let mut w = JsonWriter::new(out)?;
                let run = stream(&data, from, to, practice, &mut w)?;
                w.finish(&run)?;
                run
            }
            Format::Csv => {
                // Every CSV the program writes starts with a BOM so Danish Excel reads it as UTF-8.
                out.write_all("\u{feff}".as_bytes())?;
                let mut w = CsvWriter::new(out)?;
                let run = stream(&data, from, to, practice, &mut w)?;
                w.finish()?;
                run
            }
            Format::Text => {
                let mut w = TextWriter::new(out);
                let run = stream(&data, from, to, practice, &mut w)?;
                w.finish(&run)?;
                run
            }
        };
        Ok(())
    })?;
    warn_about_gaps(&run, db);
    Ok(())
}

/// One warning for every line that fell on days without a rate: how many lines and trainees,
/// which settings and days, and the command that adds the missing rates.
pub fn warn_about_gaps(run: &FinanceRun, db: &Path) {
    if let Some(text) = gap_warning(run, db) {
        eprint!("{text}");
    }
}

/// The text of [`warn_about_gaps`], or `None` when every day had its rates.
pub fn gap_warning(run: &FinanceRun, db: &Path) -> Option<String> {
    use crate::domain::dates::iso;
    use crate::domain::finance::danish_count;
    if run.gaps.is_empty() {
        return None;
    }
    let mut text = format!(
        "warning: {} of {} lines ({} trainees) fall on days with no rate in force, and carry 0,00 kr. for it:\n",
        danish_count(run.gap_lines),
        danish_count(run.lines),
        danish_count(run.gap_trainees)
    );
    for gap in &run.gaps {
        text.push_str(&format!(
            "  - {}\n    add the rate: tutorfordeling settings set --db {} {} {} --from {}\n",
            gap.describe(true),
            shell_word(&db.display().to_string()),
            gap.key.setting(),
            gap.key.value_hint(),
            iso(gap.first_day)
        ));
    }
    Some(text)
}

/// A word for a shell command line: quoted when it holds anything but plain characters.
fn shell_word(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+:=,@".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// `statements`: one PDF per practice with activity, named `<practice id>.pdf` (cleaned, and
/// hashed where needed: `store::outfile::statement_file_names`), each mode 0600 and renamed into
/// place when complete. Each PDF is written as soon as it is made, so at most one is in memory.
pub fn statements(db: &Path, from: &str, to: &str, out: &Path, practice: Option<&str>) -> CliResult {
    let (from, to, _) = arg_months(from, to)?;
    let (_, data) = load(db)?;
    let printed_on = today();
    if let Some(id) = practice {
        if data.practice(id).is_none() {
            return Err(Failure::BadInput(format!("--practice: unknown practice '{id}'")));
        }
        let pdf = statement_pdf(&data, id, from, to, printed_on).map_err(report_failure)?;
        create_dir(out).map_err(anyhow::Error::from)?;
        write_atomic(&out.join(statement_file_name(id)), &pdf).map_err(anyhow::Error::from)?;
        eprintln!("wrote 1 statement to {}", out.display());
        return Ok(());
    }
    let run = crate::ops::money::write_statements(&data, from, to, printed_on, out, &mut |_, _| true)
        .map_err(report_failure)?;
    eprintln!("wrote {} statements to {}", run.summary.per_practice.len(), out.display());
    warn_about_gaps(&run, db);
    Ok(())
}

fn report_failure(e: ReportError) -> Failure {
    Failure::Unexpected(anyhow::anyhow!("{e}"))
}
