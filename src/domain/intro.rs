//! The intro round: serial dictatorship over the committee's ranked list (DOMAIN.md §3.2).
//!
//! The committee ranks the applicants; each applicant ranks the practices they want. Going down
//! the list, each applicant gets their highest-ranked practice that is still open to them. Nobody
//! gets a practice they did not rank. An applicant who earlier had an intro position in general
//! medicine goes last. An offer must be answered within 5 working days; a declined offer is fed
//! back in as an excluded (applicant, practice) pair and the whole round is recomputed, so the
//! place goes to the next applicant who ranked it.
//!
//! Reading the ranking CSV is the caller's job; this module takes parsed rows.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

use super::dates::{Period, danish};
use super::holidays::add_working_days;
use super::lang::Lang;
use super::model::{Dataset, Placement, Practice, Trainee, TraineeType};

/// DOMAIN.md §3.2: working days an applicant has to answer an offer, after the offer day.
pub const ANSWER_WORKING_DAYS: u32 = 5;

/// One row of the committee's ranking (CONTRACT.md "intro ranking").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankingRow {
    /// The committee's rank, 1 = best.
    pub rank: u32,
    pub trainee_id: String,
    /// Practice ids, best first.
    pub priorities: Vec<String>,
    /// DOMAIN.md §3.2: had an intro position in general medicine before, so is ranked last.
    pub earlier_intro: bool,
}

/// An offer made in the round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub trainee_id: String,
    pub practice_id: String,
    /// Which of the applicant's priorities this is, 1 = their first choice.
    pub choice: u32,
    /// The last day to answer: [`ANSWER_WORKING_DAYS`] working days after the offer day.
    pub deadline: NaiveDate,
}

/// An applicant the round could not place, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unassigned {
    pub trainee_id: String,
    pub why: String,
    /// The same in Danish, for the Danish desk (one language at a time).
    #[serde(skip)]
    pub why_da: String,
}

impl Unassigned {
    /// Why, in `lang`.
    pub fn why_in(&self, lang: Lang) -> &str {
        if lang == Lang::Danish && !self.why_da.is_empty() { &self.why_da } else { &self.why }
    }
}

/// A reason worded in both languages at once, so the two always say the same (the CLI and JSON
/// use `en`; the Danish desk `da`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Why {
    pub en: String,
    pub da: String,
}

impl Why {
    pub fn new(en: impl Into<String>, da: impl Into<String>) -> Why {
        Why { en: en.into(), da: da.into() }
    }

    /// Hard-rule refusals, each worded in both languages.
    pub fn of_violations(v: &[super::rules::Violation]) -> Why {
        let join = |lang| v.iter().map(|v| v.text(lang)).collect::<Vec<_>>().join("; ");
        Why { en: join(Lang::English), da: join(Lang::Danish) }
    }

    fn joined(parts: &[Why], sep: &str) -> Why {
        Why {
            en: parts.iter().map(|w| w.en.as_str()).collect::<Vec<_>>().join(sep),
            da: parts.iter().map(|w| w.da.as_str()).collect::<Vec<_>>().join(sep),
        }
    }
}

/// The result of a round. Serializes to CONTRACT.md's `intro-round --format json` shape, with
/// `offered_on`, `choice`, `deadline` and `cascade` as extra keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntroRound {
    pub offered_on: NaiveDate,
    /// In the order the offers were made.
    pub assignments: Vec<Assignment>,
    /// In the order the applicants came up.
    pub unassigned: Vec<Unassigned>,
    /// One readable line per applicant, in the order they came up, e.g.
    /// `1. EX-I2 gets EX-P4 (1st choice)`.
    pub cascade: Vec<String>,
    /// The same lines in Danish.
    #[serde(skip)]
    pub cascade_da: Vec<String>,
}

impl IntroRound {
    /// The cascade in `lang`.
    pub fn cascade_in(&self, lang: Lang) -> &[String] {
        if lang == Lang::Danish && self.cascade_da.len() == self.cascade.len() {
            &self.cascade_da
        } else {
            &self.cascade
        }
    }

    fn push_line(&mut self, line: Why) {
        self.cascade.push(line.en);
        self.cascade_da.push(line.da);
    }

    fn nothing(&mut self, step: usize, trainee_id: &str, why: Why, last_note: &Why) {
        self.push_line(Why::new(
            format!("{step}. {trainee_id} gets nothing: {}{}", why.en, last_note.en),
            format!("{step}. {trainee_id} får intet: {}{}", why.da, last_note.da),
        ));
        self.unassigned.push(Unassigned { trainee_id: trainee_id.to_string(), why: why.en, why_da: why.da });
    }
}

/// Why a ranking cannot be run. `row` counts the ranking's rows from 1, in the order given (so
/// a CSV file's line is `row + 1`, the header being line 1); [`IntroError::field`] names the
/// column at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntroError {
    #[error("ranking row {row} (trainee {trainee_id}): rank 0 is not allowed; rank 1 is the best")]
    RankZero { row: usize, trainee_id: String },
    #[error("ranking row {row} (rank {rank}): trainee '{trainee_id}' is unknown")]
    UnknownTrainee { row: usize, rank: u32, trainee_id: String },
    #[error("ranking row {row} (rank {rank}, trainee {trainee_id}): practice '{practice_id}' is unknown")]
    UnknownPractice { row: usize, rank: u32, trainee_id: String, practice_id: String },
    #[error("ranking row {row} (rank {rank}): trainee {trainee_id} is listed twice, first on row {first_row}")]
    DuplicateTrainee { row: usize, rank: u32, trainee_id: String, first_row: usize },
    #[error("ranking row {row} (trainee {trainee_id}): rank {rank} is used twice, first on row {first_row}")]
    DuplicateRank { row: usize, rank: u32, trainee_id: String, first_row: usize },
    #[error(
        "ranking row {row} (rank {rank}): trainee {trainee_id} is of type {kind}, not intro; \
         only intro applicants take part in the intro round"
    )]
    NotIntro { row: usize, rank: u32, trainee_id: String, kind: TraineeType },
}

impl IntroError {
    /// The ranking row at fault, counted from 1.
    pub fn row(&self) -> usize {
        match self {
            IntroError::RankZero { row, .. }
            | IntroError::UnknownTrainee { row, .. }
            | IntroError::UnknownPractice { row, .. }
            | IntroError::DuplicateTrainee { row, .. }
            | IntroError::DuplicateRank { row, .. }
            | IntroError::NotIntro { row, .. } => *row,
        }
    }

    /// The ranking column at fault (CONTRACT.md: `rank`, `trainee_id`, `priorities`).
    pub fn field(&self) -> &'static str {
        match self {
            IntroError::RankZero { .. } | IntroError::DuplicateRank { .. } => "rank",
            IntroError::UnknownTrainee { .. } | IntroError::DuplicateTrainee { .. } | IntroError::NotIntro { .. } => {
                "trainee_id"
            }
            IntroError::UnknownPractice { .. } => "priorities",
        }
    }
}

/// Runs the intro round (DOMAIN.md §3.2) by serial dictatorship.
///
/// Applicants come up by rank, those with `earlier_intro` after all others (keeping their order
/// by rank). Each gets the first practice of their priorities that
/// - was not declined by that applicant (`declined` pairs: trainee id, practice id),
/// - has room over the applicant's whole period (rule H8): at no day do the stored placements
///   there plus this round's offers reach `Practice::effective_capacity`,
/// - passes `feasible`, the caller's hard-rule check (H1–H9 against stored data).
///
/// An applicant who already holds a stored placement is not offered another one (rule H9) and is
/// listed as unassigned. `declined` pairs that match no ranked applicant are ignored, and a
/// practice ranked twice by one applicant counts at its first place.
pub fn intro_round(
    data: &Dataset,
    ranking: &[RankingRow],
    declined: &[(String, String)],
    offered_on: NaiveDate,
    feasible: &dyn Fn(&Trainee, &Practice) -> Result<(), Why>,
) -> Result<IntroRound, IntroError> {
    let trainees = validate(data, ranking)?;

    let mut order: Vec<(&RankingRow, &Trainee)> = ranking.iter().zip(trainees).collect();
    order.sort_by_key(|(row, _)| (row.earlier_intro, row.rank));

    let declined: HashSet<(&str, &str)> = declined.iter().map(|(t, p)| (t.as_str(), p.as_str())).collect();
    let deadline = add_working_days(offered_on, ANSWER_WORKING_DAYS);

    // Periods held at each practice: stored placements, then this round's offers as they are made.
    let mut held: HashMap<&str, Vec<Period>> = HashMap::new();
    for placement in &data.placements {
        held.entry(placement.practice_id.as_str()).or_default().push(placement.period());
    }

    let mut round = IntroRound {
        offered_on,
        assignments: Vec::new(),
        unassigned: Vec::new(),
        cascade: Vec::new(),
        cascade_da: Vec::new(),
    };
    for (step, (row, trainee)) in order.into_iter().enumerate() {
        let step = step + 1;
        let last_note = if row.earlier_intro {
            Why::new(" [had an intro position before: ranked last]", " [har haft en introstilling før: sidst i rækken]")
        } else {
            Why::default()
        };

        if let Some(stored) = data.placement_of(&trainee.id) {
            let (at, from, to) = (&stored.practice_id, danish(stored.start), danish(stored.end));
            let why = Why::new(
                format!("already placed at {at} from {from} to {to}; unplace first (H9)"),
                format!("er allerede placeret hos {at} fra {from} til {to}; fjern placeringen først (H9)"),
            );
            round.nothing(step, &trainee.id, why, &last_note);
            continue;
        }

        let mut passed_over: Vec<Why> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        let mut offer: Option<(u32, &Practice)> = None;
        for (index, practice_id) in row.priorities.iter().enumerate() {
            if !seen.insert(practice_id.as_str()) {
                continue;
            }
            let Some(practice) = data.practice(practice_id) else {
                // validate() has refused unknown practices; nothing to offer here regardless.
                continue;
            };
            if declined.contains(&(trainee.id.as_str(), practice_id.as_str())) {
                passed_over.push(Why::new(format!("{practice_id}: declined"), format!("{practice_id}: afslået")));
                continue;
            }
            let capacity = practice.effective_capacity(data.settings.capacity_per_tutor);
            let busiest = held.get(practice_id.as_str()).map_or(0, |periods| max_concurrent(periods, trainee.period()));
            if busiest >= capacity {
                passed_over.push(Why::new(
                    format!("{practice_id}: no room (H8: {busiest} of {capacity} places taken during the period)"),
                    format!("{practice_id}: ingen plads (H8: {busiest} af {capacity} pladser optaget i perioden)"),
                ));
                continue;
            }
            if let Err(why) = feasible(trainee, practice) {
                passed_over.push(Why::new(format!("{practice_id}: {}", why.en), format!("{practice_id}: {}", why.da)));
                continue;
            }
            offer = Some((u32::try_from(index + 1).unwrap_or(u32::MAX), practice));
            break;
        }

        match offer {
            Some((choice, practice)) => {
                let mut line = Why::new(
                    format!("{step}. {} gets {} ({} choice", trainee.id, practice.id, ordinal(choice)),
                    format!("{step}. {} får {} ({choice}. prioritet", trainee.id, practice.id),
                );
                if !passed_over.is_empty() {
                    let over = Why::joined(&passed_over, "; ");
                    line.en.push_str(&format!("; passed over {}", over.en));
                    line.da.push_str(&format!("; sprunget over: {}", over.da));
                }
                line.en.push(')');
                line.da.push(')');
                line.en.push_str(&last_note.en);
                line.da.push_str(&last_note.da);
                round.push_line(line);
                held.entry(practice.id.as_str()).or_default().push(trainee.period());
                round.assignments.push(Assignment {
                    trainee_id: trainee.id.clone(),
                    practice_id: practice.id.clone(),
                    choice,
                    deadline,
                });
            }
            None => {
                let why = if row.priorities.is_empty() {
                    Why::new("ranked no practice", "har ikke prioriteret nogen praksis")
                } else {
                    let over = Why::joined(&passed_over, "; ");
                    Why::new(
                        format!("no ranked practice is open: {}", over.en),
                        format!("ingen af de prioriterede praksisser er ledige: {}", over.da),
                    )
                };
                round.nothing(step, &trainee.id, why, &last_note);
            }
        }
    }
    Ok(round)
}

/// Checks every row and returns each row's trainee, in row order.
fn validate<'a>(data: &'a Dataset, ranking: &[RankingRow]) -> Result<Vec<&'a Trainee>, IntroError> {
    let mut first_row_of_trainee: HashMap<&str, usize> = HashMap::new();
    let mut first_row_of_rank: HashMap<u32, usize> = HashMap::new();
    let mut trainees = Vec::with_capacity(ranking.len());
    for (i, r) in ranking.iter().enumerate() {
        let row = i + 1;
        if r.rank == 0 {
            return Err(IntroError::RankZero { row, trainee_id: r.trainee_id.clone() });
        }
        let Some(trainee) = data.trainee(&r.trainee_id) else {
            return Err(IntroError::UnknownTrainee { row, rank: r.rank, trainee_id: r.trainee_id.clone() });
        };
        if let Some(&first_row) = first_row_of_trainee.get(r.trainee_id.as_str()) {
            return Err(IntroError::DuplicateTrainee {
                row,
                rank: r.rank,
                trainee_id: r.trainee_id.clone(),
                first_row,
            });
        }
        first_row_of_trainee.insert(r.trainee_id.as_str(), row);
        if let Some(&first_row) = first_row_of_rank.get(&r.rank) {
            return Err(IntroError::DuplicateRank { row, rank: r.rank, trainee_id: r.trainee_id.clone(), first_row });
        }
        first_row_of_rank.insert(r.rank, row);
        if trainee.kind != TraineeType::Intro {
            return Err(IntroError::NotIntro {
                row,
                rank: r.rank,
                trainee_id: r.trainee_id.clone(),
                kind: trainee.kind,
            });
        }
        if let Some(unknown) = r.priorities.iter().find(|p| data.practice(p).is_none()) {
            return Err(IntroError::UnknownPractice {
                row,
                rank: r.rank,
                trainee_id: r.trainee_id.clone(),
                practice_id: unknown.clone(),
            });
        }
        trainees.push(trainee);
    }
    Ok(trainees)
}

/// The most periods that share one day inside `window` (periods are inclusive at both ends).
fn max_concurrent(periods: &[Period], window: Period) -> u32 {
    // (day, 0 = starts, 1 = ends): starts sort before ends on the same day, because a period
    // ending on a day still holds its place that day.
    let mut events: Vec<(NaiveDate, u8)> = Vec::with_capacity(periods.len() * 2);
    for p in periods {
        let start = p.start.max(window.start);
        let end = p.end.min(window.end);
        if start <= end {
            events.push((start, 0));
            events.push((end, 1));
        }
    }
    events.sort_unstable();
    let (mut now, mut most) = (0u32, 0u32);
    for (_, kind) in events {
        if kind == 0 {
            now += 1;
            most = most.max(now);
        } else {
            now = now.saturating_sub(1);
        }
    }
    most
}

/// `1st`, `2nd`, `3rd`, `4th`, …, `11th`, `21st`.
fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Pads `text` with spaces to `width` characters (not bytes: ids and names may hold æøå).
fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}

impl IntroRound {
    /// The accepted offers as placements for the trainees' whole periods (`--apply`, "Acceptér").
    pub fn to_placements(&self, data: &Dataset) -> Vec<Placement> {
        self.assignments
            .iter()
            .filter_map(|a| {
                let t = data.trainee(&a.trainee_id)?;
                Some(Placement {
                    trainee_id: a.trainee_id.clone(),
                    practice_id: a.practice_id.clone(),
                    start: t.start,
                    end: t.end,
                    pinned: false,
                    overrides: Vec::new(),
                    reason: None,
                })
            })
            .collect()
    }

    /// The round as a readable report for `intro-round --format text`.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "Intro round (DOMAIN.md §3.2): offers made {}, answer within {ANSWER_WORKING_DAYS} working days\n",
            danish(self.offered_on)
        ));

        out.push_str(&format!("\nAssigned: {}\n", self.assignments.len()));
        if !self.assignments.is_empty() {
            let headers = ["Trainee", "Practice", "Choice", "Answer by"];
            let rows: Vec<[String; 4]> = self
                .assignments
                .iter()
                .map(|a| [a.trainee_id.clone(), a.practice_id.clone(), ordinal(a.choice), danish(a.deadline)])
                .collect();
            let mut widths = headers.map(|h| h.chars().count());
            for row in &rows {
                for (w, cell) in widths.iter_mut().zip(row) {
                    *w = (*w).max(cell.chars().count());
                }
            }
            let line = |cells: [&str; 4]| -> String {
                let padded: Vec<String> = cells.iter().zip(widths).map(|(c, w)| pad(c, w)).collect();
                format!("  {}\n", padded.join("  ").trim_end())
            };
            out.push_str(&line(headers));
            for row in &rows {
                out.push_str(&line([&row[0], &row[1], &row[2], &row[3]]));
            }
        }

        out.push_str(&format!("\nNot assigned: {}\n", self.unassigned.len()));
        let width = self.unassigned.iter().map(|u| u.trainee_id.chars().count()).max().unwrap_or(0);
        for u in &self.unassigned {
            out.push_str(&format!("  {}  {}\n", pad(&u.trainee_id, width), u.why));
        }

        if !self.cascade.is_empty() {
            out.push_str("\nCascade\n");
            for step in &self.cascade {
                out.push_str(&format!("  {step}\n"));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Placement, Setting};
    use crate::domain::region::Region;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).expect("valid test date")
    }

    fn practice(id: &str, municipality: &str, tutors: u32, capacity: u32) -> Practice {
        Practice {
            id: id.to_string(),
            name: format!("Practice {id}"),
            address: String::new(),
            municipality: municipality.to_string(),
            lat: 56.0,
            lon: 9.5,
            tutors,
            doctors: tutors + 1,
            setting: Setting::Rural,
            burdened: false,
            threatened: None,
            capacity: Some(capacity),
            large: false,
            refuses: Vec::new(),
            quality: None,
            phone: None,
            email: None,
        }
    }

    fn trainee(id: &str, kind: TraineeType, municipality: &str, family: &[&str]) -> Trainee {
        Trainee {
            id: id.to_string(),
            name: format!("Trainee {id}"),
            kind,
            hospital_unit: None,
            municipality: Some(municipality.to_string()),
            start: d(2026, 8, 1),
            end: d(2027, 7, 31),
            monthly_salary: None,
            seniority_step: None,
            own_gp: None,
            family_practices: family.iter().map(|s| s.to_string()).collect(),
            history: Vec::new(),
        }
    }

    /// The public example region of `shared/examples` (practices.csv, trainees.csv), by hand.
    fn example() -> Dataset {
        let mut data = Dataset::empty(Region::midtjylland());
        data.practices = vec![
            practice("EX-P1", "Horsens", 2, 2),
            practice("EX-P2", "Hedensted", 1, 1),
            practice("EX-P3", "Silkeborg", 3, 3),
            practice("EX-P4", "Silkeborg", 1, 1),
            practice("EX-P5", "Viborg", 2, 2),
            practice("EX-P6", "Skive", 1, 1),
            practice("EX-P7", "Hedensted", 2, 2),
        ];
        data.trainees = vec![
            trainee("EX-K1", TraineeType::Kbu, "Hedensted", &[]),
            trainee("EX-I1", TraineeType::Intro, "Silkeborg", &[]),
            trainee("EX-I2", TraineeType::Intro, "Silkeborg", &["EX-P3"]),
        ];
        data
    }

    /// A stand-in for the lead's hard-rule checker: H2 and H3 are the ones the example touches.
    fn hard_rules(t: &Trainee, p: &Practice) -> Result<(), Why> {
        if t.family_practices.contains(&p.id) {
            let en = format!("H2: a family member of {} works at {}", t.id, p.id);
            return Err(Why::new(en, format!("H2: et familiemedlem til {} arbejder i {}", t.id, p.id)));
        }
        if t.municipality.as_deref().is_some_and(|m| m != p.municipality) {
            let en = format!("H3: {} lies outside the assigned municipality", p.id);
            return Err(Why::new(en, format!("H3: {} ligger uden for den tildelte kommune", p.id)));
        }
        Ok(())
    }

    fn anything_goes(_: &Trainee, _: &Practice) -> Result<(), Why> {
        Ok(())
    }

    fn row(rank: u32, trainee_id: &str, priorities: &[&str]) -> RankingRow {
        RankingRow {
            rank,
            trainee_id: trainee_id.to_string(),
            priorities: priorities.iter().map(|s| s.to_string()).collect(),
            earlier_intro: false,
        }
    }

    /// `shared/examples/ranking.csv`, in file order.
    fn example_ranking() -> Vec<RankingRow> {
        vec![row(2, "EX-I1", &["EX-P4", "EX-P3"]), row(1, "EX-I2", &["EX-P4", "EX-P3"])]
    }

    fn pairs(round: &IntroRound) -> Vec<(&str, &str)> {
        round.assignments.iter().map(|a| (a.trainee_id.as_str(), a.practice_id.as_str())).collect()
    }

    fn declined(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(t, p)| (t.to_string(), p.to_string())).collect()
    }

    #[test]
    fn the_public_example_gives_ex_i2_ex_p4_and_ex_i1_ex_p3() {
        let round = intro_round(&example(), &example_ranking(), &[], d(2026, 4, 1), &hard_rules).expect("round");
        assert_eq!(pairs(&round), [("EX-I2", "EX-P4"), ("EX-I1", "EX-P3")]);
        assert!(round.unassigned.is_empty());
        assert_eq!(round.assignments[0].choice, 1);
        assert_eq!(round.assignments[1].choice, 2);
        assert_eq!(round.cascade[0], "1. EX-I2 gets EX-P4 (1st choice)");
        assert!(round.cascade[1].starts_with("2. EX-I1 gets EX-P3 (2nd choice; passed over EX-P4: no room"));
    }

    #[test]
    fn the_answer_deadline_is_five_working_days_after_the_offer_day() {
        let round = intro_round(&example(), &example_ranking(), &[], d(2026, 4, 1), &hard_rules).expect("round");
        // Easter 2026: 2, 3 and 6 April are holidays.
        assert!(round.assignments.iter().all(|a| a.deadline == d(2026, 4, 13)));
    }

    #[test]
    fn a_declined_offer_goes_to_the_next_applicant_who_ranked_it() {
        let no = declined(&[("EX-I2", "EX-P4")]);
        let round = intro_round(&example(), &example_ranking(), &no, d(2026, 4, 1), &anything_goes).expect("round");
        assert_eq!(pairs(&round), [("EX-I2", "EX-P3"), ("EX-I1", "EX-P4")]);
        assert_eq!(round.cascade[0], "1. EX-I2 gets EX-P3 (2nd choice; passed over EX-P4: declined)");
        assert_eq!(round.cascade[1], "2. EX-I1 gets EX-P4 (1st choice)");
    }

    #[test]
    fn a_decline_cascades_so_the_decliner_may_end_with_nothing() {
        // EX-I2 declines EX-P4 and may not have EX-P3 (H2: family there), so EX-P4 passes to EX-I1.
        let no = declined(&[("EX-I2", "EX-P4")]);
        let round = intro_round(&example(), &example_ranking(), &no, d(2026, 4, 1), &hard_rules).expect("round");
        assert_eq!(pairs(&round), [("EX-I1", "EX-P4")]);
        assert_eq!(round.unassigned.len(), 1);
        assert_eq!(round.unassigned[0].trainee_id, "EX-I2");
        assert!(round.unassigned[0].why.contains("EX-P4: declined"), "{}", round.unassigned[0].why);
        assert!(round.unassigned[0].why.contains("EX-P3: H2"), "{}", round.unassigned[0].why);
    }

    #[test]
    fn the_intro_window_in_danish_had_english_reasons_now_the_cascade_is_worded_in_danish_too() {
        let no = declined(&[("EX-I2", "EX-P4")]);
        let round = intro_round(&example(), &example_ranking(), &no, d(2026, 4, 1), &hard_rules).expect("round");
        assert_eq!(round.cascade_in(Lang::English), round.cascade.as_slice());
        let da = round.cascade_in(Lang::Danish);
        assert_eq!(da.len(), round.cascade.len());
        assert!(da[0].starts_with("1. EX-I2 får intet: ingen af de prioriterede praksisser er ledige"), "{}", da[0]);
        assert_eq!(da[1], "2. EX-I1 får EX-P4 (1. prioritet)");
        let why = round.unassigned[0].why_in(Lang::Danish);
        assert!(why.starts_with("ingen af de prioriterede praksisser er ledige: "), "{why}");
        assert!(why.contains("EX-P4: afslået") && why.contains("EX-P3: H2: et familiemedlem"), "{why}");
        for line in da.iter().map(String::as_str).chain([why]) {
            for english in ["gets", "nothing", "declined", "choice", "passed over", "family member"] {
                assert!(!line.contains(english), "'{english}' in the Danish line '{line}'");
            }
        }
    }

    #[test]
    fn an_applicant_who_had_an_intro_position_before_goes_last_whatever_the_rank() {
        let mut ranking = example_ranking();
        ranking[1].earlier_intro = true; // EX-I2, rank 1
        let round = intro_round(&example(), &ranking, &[], d(2026, 4, 1), &hard_rules).expect("round");
        assert_eq!(pairs(&round), [("EX-I1", "EX-P4")]);
        assert_eq!(round.unassigned[0].trainee_id, "EX-I2");
        assert!(round.cascade[1].ends_with("[had an intro position before: ranked last]"));
    }

    #[test]
    fn applicants_who_had_intro_before_keep_their_order_among_themselves() {
        let mut data = example();
        data.trainees.push(trainee("EX-I3", TraineeType::Intro, "Silkeborg", &[]));
        let mut ranking = vec![row(1, "EX-I1", &["EX-P3"]), row(2, "EX-I2", &["EX-P4"]), row(3, "EX-I3", &["EX-P4"])];
        ranking[0].earlier_intro = true;
        ranking[1].earlier_intro = true;
        let round = intro_round(&data, &ranking, &[], d(2026, 4, 1), &anything_goes).expect("round");
        assert_eq!(pairs(&round), [("EX-I3", "EX-P4"), ("EX-I1", "EX-P3")]);
        assert_eq!(round.unassigned[0].trainee_id, "EX-I2");
    }

    #[test]
    fn nobody_gets_a_practice_they_did_not_rank() {
        let ranking = vec![row(1, "EX-I2", &["EX-P4"]), row(2, "EX-I1", &["EX-P4"])];
        let round = intro_round(&example(), &ranking, &[], d(2026, 4, 1), &anything_goes).expect("round");
        assert_eq!(pairs(&round), [("EX-I2", "EX-P4")]);
        assert_eq!(round.unassigned[0].trainee_id, "EX-I1");
        assert!(round.unassigned[0].why.contains("EX-P4: no room"));

        let ranking = vec![row(1, "EX-I1", &[])];
        let round = intro_round(&example(), &ranking, &[], d(2026, 4, 1), &anything_goes).expect("round");
        assert!(round.assignments.is_empty());
        assert_eq!(round.unassigned[0].why, "ranked no practice");
    }

    #[test]
    fn a_practice_with_room_for_three_takes_two_applicants() {
        let ranking = vec![row(1, "EX-I2", &["EX-P3"]), row(2, "EX-I1", &["EX-P3"])];
        let round = intro_round(&example(), &ranking, &[], d(2026, 4, 1), &anything_goes).expect("round");
        assert_eq!(pairs(&round), [("EX-I2", "EX-P3"), ("EX-I1", "EX-P3")]);
    }

    #[test]
    fn stored_placements_take_room_only_when_they_overlap_the_period() {
        let mut data = example();
        data.trainees.push(trainee("EX-K2", TraineeType::Kbu, "Silkeborg", &[]));
        let stored = |trainee_id: &str, start, end| Placement {
            trainee_id: trainee_id.to_string(),
            practice_id: "EX-P4".to_string(),
            start,
            end,
            pinned: false,
            overrides: Vec::new(),
            reason: None,
        };
        // Ends the day before the intro period starts: EX-P4 is still free.
        data.placements = vec![stored("EX-K1", d(2026, 2, 1), d(2026, 7, 31))];
        let round = intro_round(&data, &example_ranking(), &[], d(2026, 4, 1), &anything_goes).expect("round");
        assert_eq!(pairs(&round)[0], ("EX-I2", "EX-P4"));

        // Overlaps the last day of the intro period: EX-P4 (capacity 1) is full.
        data.placements.push(stored("EX-K2", d(2027, 7, 31), d(2027, 12, 31)));
        let round = intro_round(&data, &example_ranking(), &[], d(2026, 4, 1), &anything_goes).expect("round");
        assert_eq!(pairs(&round), [("EX-I2", "EX-P3"), ("EX-I1", "EX-P3")]);
    }

    #[test]
    fn an_applicant_already_placed_is_not_offered_a_second_practice() {
        let mut data = example();
        data.placements = vec![Placement {
            trainee_id: "EX-I2".to_string(),
            practice_id: "EX-P3".to_string(),
            start: d(2026, 8, 1),
            end: d(2027, 7, 31),
            pinned: false,
            overrides: Vec::new(),
            reason: None,
        }];
        let round = intro_round(&data, &example_ranking(), &[], d(2026, 4, 1), &anything_goes).expect("round");
        assert_eq!(pairs(&round), [("EX-I1", "EX-P4")]);
        assert!(round.unassigned[0].why.contains("already placed at EX-P3"));
        assert!(round.unassigned[0].why.contains("H9"));
    }

    #[test]
    fn an_unknown_trainee_is_refused_naming_the_row() {
        let ranking = vec![row(1, "EX-I2", &["EX-P4"]), row(2, "EX-NOPE", &["EX-P4"])];
        let err = intro_round(&example(), &ranking, &[], d(2026, 4, 1), &anything_goes).expect_err("unknown");
        assert_eq!(err, IntroError::UnknownTrainee { row: 2, rank: 2, trainee_id: "EX-NOPE".to_string() });
        assert_eq!(err.to_string(), "ranking row 2 (rank 2): trainee 'EX-NOPE' is unknown");
        assert_eq!((err.row(), err.field()), (2, "trainee_id"));
    }

    #[test]
    fn an_unknown_practice_is_refused_naming_the_row() {
        let ranking = vec![row(1, "EX-I2", &["EX-P4", "EX-P99"])];
        let err = intro_round(&example(), &ranking, &[], d(2026, 4, 1), &anything_goes).expect_err("unknown");
        assert_eq!(err.to_string(), "ranking row 1 (rank 1, trainee EX-I2): practice 'EX-P99' is unknown");
        assert_eq!(err.field(), "priorities");
    }

    #[test]
    fn a_trainee_listed_twice_is_refused_naming_both_rows() {
        let ranking = vec![row(1, "EX-I2", &["EX-P4"]), row(2, "EX-I1", &[]), row(3, "EX-I2", &["EX-P3"])];
        let err = intro_round(&example(), &ranking, &[], d(2026, 4, 1), &anything_goes).expect_err("twice");
        assert_eq!(err.to_string(), "ranking row 3 (rank 3): trainee EX-I2 is listed twice, first on row 1");
    }

    #[test]
    fn a_rank_used_twice_is_refused_naming_both_rows() {
        let ranking = vec![row(1, "EX-I2", &["EX-P4"]), row(1, "EX-I1", &["EX-P4"])];
        let err = intro_round(&example(), &ranking, &[], d(2026, 4, 1), &anything_goes).expect_err("rank");
        assert_eq!(err.to_string(), "ranking row 2 (trainee EX-I1): rank 1 is used twice, first on row 1");
        assert_eq!(err.field(), "rank");
    }

    #[test]
    fn rank_zero_is_refused() {
        let ranking = vec![row(0, "EX-I2", &["EX-P4"])];
        let err = intro_round(&example(), &ranking, &[], d(2026, 4, 1), &anything_goes).expect_err("rank 0");
        assert_eq!(err, IntroError::RankZero { row: 1, trainee_id: "EX-I2".to_string() });
    }

    #[test]
    fn a_trainee_who_is_not_intro_is_refused_naming_the_row() {
        let ranking = vec![row(1, "EX-K1", &["EX-P7"])];
        let err = intro_round(&example(), &ranking, &[], d(2026, 4, 1), &anything_goes).expect_err("kbu");
        assert_eq!(
            err.to_string(),
            "ranking row 1 (rank 1): trainee EX-K1 is of type kbu, not intro; \
             only intro applicants take part in the intro round"
        );
    }

    #[test]
    fn the_json_has_the_contract_shape() {
        let no = declined(&[("EX-I2", "EX-P4")]);
        let round = intro_round(&example(), &example_ranking(), &no, d(2026, 4, 1), &hard_rules).expect("round");
        let json = serde_json::to_value(&round).expect("json");
        assert_eq!(json["assignments"][0]["trainee_id"], "EX-I1");
        assert_eq!(json["assignments"][0]["practice_id"], "EX-P4");
        assert_eq!(json["assignments"][0]["deadline"], "2026-04-13");
        assert_eq!(json["unassigned"][0]["trainee_id"], "EX-I2");
        assert!(json["unassigned"][0]["why"].as_str().is_some_and(|w| !w.is_empty()));
    }

    #[test]
    fn the_text_report_lists_offers_refusals_and_the_cascade() {
        let no = declined(&[("EX-I2", "EX-P4")]);
        let round = intro_round(&example(), &example_ranking(), &no, d(2026, 4, 1), &hard_rules).expect("round");
        let text = round.to_text();
        assert!(text.contains("offers made 01-04-2026"), "{text}");
        assert!(text.contains("  Trainee  Practice  Choice  Answer by\n"), "{text}");
        assert!(text.contains("  EX-I1    EX-P4     1st     13-04-2026\n"), "{text}");
        assert!(text.contains("Not assigned: 1\n  EX-I2  no ranked practice is open"), "{text}");
        assert!(text.contains("  2. EX-I1 gets EX-P4 (1st choice)\n"), "{text}");
    }

    #[test]
    fn ordinals_read_naturally() {
        let v: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].into_iter().map(ordinal).collect();
        assert_eq!(v, ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]);
    }
}
