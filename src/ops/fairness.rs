//! The fairness review as a printable PDF report, for `fairness --pdf` and the Fordeling tab's
//! print button alike.

use std::path::Path;

use chrono::NaiveDate;

use super::{OpError, OpResult};
use crate::domain::fairness::FairnessReview;
use crate::report::fairness::review_pdf;
use crate::store::outfile::write_atomic;

/// Writes `review` as a PDF report to `path`: mode 0600, written under a temporary name and
/// renamed into place when complete (CONTRACT.md "Files the program writes").
pub fn write_report(review: &FairnessReview, printed_on: NaiveDate, path: &Path) -> OpResult<()> {
    let bytes = review_pdf(review, printed_on).map_err(|e| OpError::Output(e.to_string()))?;
    write_atomic(path, &bytes).map_err(|e| OpError::Output(e.to_string()))
}
