//! CLI commands of the money engine (issue: money). Filled in as it lands.

use std::path::Path;

use super::{CliResult, Failure, Format};

pub fn finance(_db: &Path, _from: &str, _to: &str, _practice: Option<&str>, _format: Format) -> CliResult {
    Err(Failure::Unexpected(anyhow::anyhow!("`finance` is not yet available in this version")))
}
pub fn statements(_db: &Path, _from: &str, _to: &str, _out: &Path, _practice: Option<&str>) -> CliResult {
    Err(Failure::Unexpected(anyhow::anyhow!("`statements` is not yet available in this version")))
}
