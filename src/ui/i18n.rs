//! Danish by default, English on request; Danish formats for numbers and dates in both.
//!
//! The language and the formats live in `domain::lang` (through `report::format`), so the reports
//! and the command line share them; the desk uses them through this module.

pub use crate::report::format::{Lang, by_name, collate, date, number, period, sort_names};
