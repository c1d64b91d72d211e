//! "Foreslå runde" (suggest a round) and the phase-3 shortlist, run on a background thread.

use super::state::AppState;

/// The round's view state: the running job and the proposals waiting for a decision.
#[derive(Default)]
pub struct RoundPanel {}

impl RoundPanel {
    pub fn ui(&mut self, _ui: &mut egui::Ui, _state: &mut AppState) {}
}
