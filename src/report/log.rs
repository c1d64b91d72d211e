//! The audit log as text or JSON (CONTRACT.md `log`).

use serde::Serialize;
use std::fmt::Write as _;

use crate::store::AuditEntry;

/// One entry of `log --format json`.
#[derive(Serialize)]
struct Entry<'a> {
    id: i64,
    at: &'a str,
    user: &'a str,
    action: &'a str,
    summary: &'a str,
    reason: Option<&'a str>,
    undone: bool,
}

/// The entries as CSV (`;`, UTF-8 with BOM, formula-safe text): a data-subject request's export
/// of every entry about one trainee (`log --trainee ID --format csv`).
pub fn to_csv(entries: &[AuditEntry]) -> String {
    let cell = |t: &str| {
        let t = crate::domain::finance::formula_safe(t);
        if t.contains([';', '"', '\n', '\r']) { format!("\"{}\"", t.replace('"', "\"\"")) } else { t.into_owned() }
    };
    let mut out = String::from("\u{feff}id;at;user;action;summary;reason;undone\n");
    for e in entries {
        let _ = writeln!(
            out,
            "{};{};{};{};{};{};{}",
            e.id,
            cell(&e.at),
            cell(&e.os_user),
            cell(&e.action),
            cell(&e.summary),
            cell(e.reason.as_deref().unwrap_or("")),
            if e.state == "undone" { "yes" } else { "no" }
        );
    }
    out
}

/// Writes `entries` (newest first) to standard output.
pub fn write(entries: &[AuditEntry], json: bool) -> Result<(), crate::cli::Failure> {
    let mut out = String::new();
    if json {
        let list: Vec<Entry<'_>> = entries
            .iter()
            .map(|e| Entry {
                id: e.id,
                at: &e.at,
                user: &e.os_user,
                action: &e.action,
                summary: &e.summary,
                reason: e.reason.as_deref(),
                undone: e.state == "undone",
            })
            .collect();
        let text = serde_json::to_string_pretty(&serde_json::json!({ "entries": list }))
            .map_err(|e| crate::cli::Failure::Unexpected(e.into()))?;
        let _ = writeln!(out, "{text}");
        crate::store::outfile::print_out(&out)?;
        return Ok(());
    }
    for e in entries {
        writeln!(
            out,
            "#{} {} {} {}: {}{}{}",
            e.id,
            e.at,
            e.os_user,
            e.action,
            e.summary,
            e.reason.as_deref().map(|r| format!(" (reason: {r})")).unwrap_or_default(),
            if e.state == "undone" { " [undone]" } else { "" }
        )
        .map_err(|e| crate::cli::Failure::Unexpected(e.into()))?;
    }
    crate::store::outfile::print_out(&out)?;
    Ok(())
}
