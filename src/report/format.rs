//! The user's language and the Danish formats for numbers, dates, times and sorting, in one place
//! for the desk, the reports and the command line (Danish by default, English on request).
//!
//! They are defined in `domain::lang` (the domain renders its reasons in the language, and
//! depends on nothing of ours); this module is where the rest of the program takes them from.

pub use crate::domain::lang::{Lang, by_name, collate, date, number, period, sort_names};
