//! The soft-principle score shown while dragging, from `domain::score` once it is in the build.
//!
//! One place wraps the engine, so the panels do not change when the engine does.

use chrono::NaiveDate;

use crate::domain::model::{Dataset, Practice, Trainee};

/// Scores candidate practices for a trainee.
pub struct Scorer<'a> {
    _data: &'a Dataset,
    _today: NaiveDate,
}

impl<'a> Scorer<'a> {
    pub fn new(data: &'a Dataset, today: NaiveDate) -> Scorer<'a> {
        Scorer { _data: data, _today: today }
    }

    /// The total score, where the engine can give one.
    pub fn score(&self, _trainee: &Trainee, _practice: &Practice) -> Option<f64> {
        None
    }
}
