//! The soft-principle score shown while dragging, from `domain::score`.
//!
//! One place wraps the engine, so the panels do not change when the engine does.

use chrono::NaiveDate;

use crate::domain::model::{Dataset, Practice, Trainee};
use crate::domain::score::ScoreContext;

/// Scores candidate practices for a trainee (rules T1–T2, P1–P7).
pub struct Scorer<'a> {
    context: ScoreContext<'a>,
}

impl<'a> Scorer<'a> {
    pub fn new(data: &'a Dataset, today: NaiveDate) -> Scorer<'a> {
        Scorer { context: ScoreContext::new(data, today) }
    }

    /// The total score of placing `trainee` at `practice` for the trainee's whole period.
    pub fn score(&self, trainee: &Trainee, practice: &Practice) -> Option<f64> {
        Some(self.context.total(trainee, practice, trainee.period()))
    }
}
