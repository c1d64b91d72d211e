//! CLI commands of the money engine: `finance` and `statements` (CONTRACT.md "Money").

use std::path::Path;

use super::{CliResult, Failure, Format, arg_months, load, print_json, today};
use crate::domain::finance::{finance_lines, salary_gaps, summarize, to_csv, to_json, to_text};
use crate::report::statement::{ReportError, statement_pdf, statements_for_all};
use crate::store::outfile::{create_dir, print_out, statement_file_name, statement_file_names, write_atomic};

/// `finance`: one line per trainee × practice × month, with rollups, in text, CSV or JSON.
pub fn finance(db: &Path, from: &str, to: &str, practice: Option<&str>, format: Format) -> CliResult {
    let (from, to, _) = arg_months(from, to)?;
    let (_, data) = load(db)?;
    if let Some(id) = practice
        && data.practice(id).is_none()
    {
        return Err(Failure::BadInput(format!("--practice: unknown practice '{id}'")));
    }
    for gap in salary_gaps(&data, from, to) {
        eprintln!(
            "warning: trainee {} has no salary on {} (step '{}' is not on the scale); its lines carry 0,00",
            gap.trainee_id, gap.day, gap.step
        );
    }
    let lines = finance_lines(&data, from, to, practice);
    let summary = summarize(&lines);
    match format {
        Format::Json => print_json(&to_json(&lines, &summary)),
        Format::Csv => {
            // Every CSV the program writes starts with a BOM so Danish Excel reads it as UTF-8.
            print_out(&format!("\u{feff}{}", to_csv(&lines)))?;
            Ok(())
        }
        Format::Text => {
            print_out(&to_text(&lines, &summary, &data))?;
            Ok(())
        }
    }
}

/// `statements`: one PDF per practice with activity, named `<practice id>.pdf` (cleaned, and
/// hashed where needed: `store::outfile::statement_file_names`), each mode 0600 and renamed into
/// place when complete.
pub fn statements(db: &Path, from: &str, to: &str, out: &Path, practice: Option<&str>) -> CliResult {
    let (from, to, _) = arg_months(from, to)?;
    let (_, data) = load(db)?;
    let printed_on = today();
    let pdfs = match practice {
        Some(id) => {
            if data.practice(id).is_none() {
                return Err(Failure::BadInput(format!("--practice: unknown practice '{id}'")));
            }
            vec![(id.to_string(), statement_pdf(&data, id, from, to, printed_on).map_err(report_failure)?)]
        }
        None => statements_for_all(&data, from, to, printed_on, &mut |_, _| true).map_err(report_failure)?,
    };
    create_dir(out).map_err(anyhow::Error::from)?;
    let names = match practice {
        Some(id) => vec![statement_file_name(id)],
        None => statement_file_names(&pdfs.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>()),
    };
    for ((_, bytes), name) in pdfs.iter().zip(&names) {
        write_atomic(&out.join(name), bytes).map_err(anyhow::Error::from)?;
    }
    eprintln!("wrote {} statements to {}", pdfs.len(), out.display());
    Ok(())
}

fn report_failure(e: ReportError) -> Failure {
    Failure::Unexpected(anyhow::anyhow!("{e}"))
}
