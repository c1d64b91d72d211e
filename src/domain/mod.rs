//! The pure core: types, hard rules, scoring, the optimizer, money and fairness.
//!
//! No egui, no rusqlite, no printpdf, no file I/O and no clock here: "today" is a parameter.
//! `tests/architecture.rs` fails if one creeps in.

pub mod area;
pub mod command;
pub mod dates;
pub mod fairness;
pub mod finance;
pub mod flow;
pub mod holidays;
pub mod intro;
pub mod lang;
pub mod model;
pub mod money;
pub mod optimizer;
pub mod phase3;
pub mod privacy;
pub mod reasons;
pub mod region;
pub mod room;
pub mod round;
pub mod rules;
pub mod score;
pub mod suggest;
