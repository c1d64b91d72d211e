//! The optimizer's model of a whole round and its exact solver (`suggest`, CONTRACT.md "The
//! optimizer's model"; ARCHITECTURE.md "The optimizer").
//!
//! # The model
//!
//! One binary variable per allowed trainee → practice pair: a pair exists where `RuleContext`
//! allows the placement against the stored placements (H1–H9), geography first. Every open
//! trainee is placed at most once, or is unplaced. Two families of constraints tie the trainees of
//! one practice together, on every day, counting the stored placements and the rest of the round:
//!
//! - **H8**: on each day the trainees of the round at the practice are at most its capacity minus
//!   the stored placements of that day. The load only changes where a period starts or ends, so one
//!   row per elementary stretch of the practice's calendar covers every day (`Limit`).
//! - **H6**: two phase-3 trainees overlap by more than the allowed `A` days exactly when their
//!   periods shortened by `A` days at the end intersect; intervals that pairwise intersect share a
//!   day (Helly), so "at most one shortened phase-3 period on each day" is H6 for the round.
//!
//! The objective, minimised, is lexicographic in three tiers folded into one integer:
//!
//! ```text
//! C × unplaced + B × unplaced general-medicine trainees + Σ pair costs + Σ practices f_p(n_p)
//! ```
//!
//! - a pair costs `−round(100 × score)` (T1–T2, P2–P7 and the history part of P1);
//! - `f_p(n) = Σ_{k=1..n} round(100 × w_P1 × (2(L+k) − 1) / (2t))` is the convex load per tutor of
//!   P1 for the `n` trainees of the round at a practice with `t` tutors and a peak of `L` stored
//!   placements over the period its candidates span: 1/2/3 tutors get 1/2/3 of 6 trainees;
//! - `B` is a power of ten above the widest possible spread of the last two sums, and `C` one at
//!   least `B × (general trainees + 1)`, so the count placed comes first, then general-medicine
//!   trainees before other specialties (P7), then the score.
//!
//! # The solver
//!
//! The round splits into independent parts (trainees that share no candidate practice), each
//! solved by branch and bound:
//!
//! - A node's **relaxation** is a min-cost flow (`flow.rs`): trainee → practice → sink with the
//!   convex P1 arc at each practice, and an "unplaced" arc to the sink. A laminar subset of the
//!   practice's day constraints is kept exactly, as a tree of capacity nodes between the trainees
//!   and the practice. Dropping constraints only relaxes the problem, and flows with integer
//!   capacities have integer optima, so the flow's cost is a lower bound and its solution is a
//!   placement.
//! - If that placement breaks no day constraint it is the node's optimum. Otherwise the broken
//!   constraints join the pool (cuts); when one of them fits the node's laminar family the flow is
//!   solved again, else the node **branches** on a broken constraint with capacity `c` and
//!   placed trainees `v_1 … v_{c+1}`: child `i` keeps `v_1 … v_{i−1}` at the practice and forbids
//!   `v_i` there. Every feasible placement lies in exactly one child.
//! - Nodes are taken best bound first and pruned when their bound reaches the best placement found
//!   (objectives are integers). A repair heuristic turns each relaxation into a feasible placement.
//!
//! When the search ends the best placement is optimal. A node limit may stop it first; then the
//! smallest open bound proves the gap.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt::Write as _;
use std::ops::Range;

use chrono::{Datelike, NaiveDate};

use super::dates::Period;
use super::flow::{FlowError, Network};
use super::model::{Dataset, Rule, Settings, TraineeType};
use super::rules::RuleContext;
use super::score::ScoreContext;

/// Score points are scaled to integer costs by this factor.
pub const SCALE: f64 = 100.0;

/// The branch-and-bound nodes explored before the search stops with a gap.
pub const DEFAULT_MAX_NODES: usize = 20_000;

const NONE: u32 = u32::MAX;

/// Arcs per trainee in a relaxation before pricing adds more.
const CORE_PAIRS: usize = 12;

/// Pairs per trainee that one pricing round may add.
const PRICED_PER_ROUND: usize = 4;

/// A date as a day number, for fast comparisons.
pub(crate) fn day(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

/// A day number back as a date.
pub(crate) fn date(d: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(d).unwrap_or(NaiveDate::MIN)
}

/// One allowed trainee → practice pair.
#[derive(Clone, Debug, PartialEq)]
pub struct Pair {
    /// Position in `RoundModel::trainees`.
    pub trainee: u32,
    /// Position in `RoundModel::practices`.
    pub practice: u32,
    /// `−round(100 × score)`.
    pub cost: i64,
    pub score: f64,
}

/// One day constraint of a practice: its trainees of the round whose period (H8) or shortened
/// phase-3 period (H6) covers `day` number at most `cap`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub rule: Rule,
    pub day: i32,
    pub cap: u32,
}

/// An open trainee of the round.
#[derive(Clone, Debug)]
pub struct RoundTrainee {
    /// Position in `Dataset::trainees`.
    pub index: usize,
    pub start: i32,
    pub end: i32,
    /// Phase 3: the last day of the period shortened by the allowed overlap (H6), if any is left.
    pub h6_end: Option<i32>,
    /// KBU or general medicine (P7): ahead of other specialties.
    pub general: bool,
    /// What leaving the trainee unplaced costs: `C`, plus `B` for general medicine.
    pub unplaced_cost: i64,
    /// The trainee's pairs in `RoundModel::pairs`.
    pub pairs: Range<usize>,
}

impl RoundTrainee {
    fn covers(&self, limit: &Limit) -> bool {
        match limit.rule {
            Rule::H6 => self.h6_end.is_some_and(|e| self.start <= limit.day && limit.day <= e),
            _ => self.start <= limit.day && limit.day <= self.end,
        }
    }
}

/// A practice with at least one pair.
#[derive(Clone, Debug)]
pub struct RoundPractice {
    /// Position in `Dataset::practices`.
    pub index: usize,
    /// Its pairs, by trainee.
    pub pairs: Vec<u32>,
    /// P1: the k-th trainee of the round here costs `marginals[k-1]`.
    pub marginals: Vec<i64>,
    pub limits: Vec<Limit>,
}

/// The round as a mixed-integer program (see the module comment).
#[derive(Clone, Debug)]
pub struct RoundModel {
    pub trainees: Vec<RoundTrainee>,
    pub practices: Vec<RoundPractice>,
    pub pairs: Vec<Pair>,
    /// `C`: the cost of leaving anyone unplaced.
    pub tier_unplaced: i64,
    /// `B`: the extra cost of leaving a general-medicine trainee unplaced.
    pub tier_general: i64,
}

/// The round was cancelled through the progress callback.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the suggestion was cancelled")]
pub struct Cancelled;

/// The convex fairness cost of the k-th new trainee (k ≥ 1) at a practice already holding `load`.
pub fn fairness_marginal(settings: &Settings, load: u32, k: u32, tutors: u32) -> i64 {
    let n = f64::from(load + k);
    (SCALE * settings.weights.p1_load_per_tutor.max(0.0) * (2.0 * n - 1.0) / (2.0 * f64::from(tutors.max(1)))).round()
        as i64
}

/// The smallest power of ten above `x` (at least 10).
fn power_of_ten_above(x: i128) -> i128 {
    let mut p: i128 = 10;
    while p <= x && p < 10i128.pow(30) {
        p *= 10;
    }
    p
}

impl RoundModel {
    /// Builds the model of a round for `open` trainees (none of them placed). `keep_going` hears
    /// the share of trainees done and cancels by returning false.
    pub fn build(
        data: &Dataset,
        ctx: &RuleContext<'_>,
        scorer: &ScoreContext<'_>,
        open: &[usize],
        keep_going: &mut dyn FnMut(f32) -> bool,
    ) -> Result<RoundModel, Cancelled> {
        let settings = &data.settings;
        let allowed_overlap = i32::try_from(settings.phase3_overlap_days).unwrap_or(i32::MAX);
        let mut model_of_practice = vec![NONE; data.practices.len()];
        let mut practices: Vec<RoundPractice> = Vec::new();
        let mut pairs: Vec<Pair> = Vec::new();
        let mut trainees: Vec<RoundTrainee> = Vec::with_capacity(open.len());
        for (ti, &index) in open.iter().enumerate() {
            let t = &data.trainees[index];
            if ti % 32 == 31 && !keep_going(ti as f32 / open.len().max(1) as f32) {
                return Err(Cancelled);
            }
            let first = pairs.len();
            let period = t.period();
            if period.is_valid() {
                let allowed = ctx.allowed_among(t, period, &ctx.candidate_practices(t));
                let scores = scorer.totals(t, &allowed, period);
                for (&pi, &score) in allowed.iter().zip(&scores) {
                    let mp = if model_of_practice[pi] == NONE {
                        model_of_practice[pi] = practices.len() as u32;
                        practices.push(RoundPractice {
                            index: pi,
                            pairs: Vec::new(),
                            marginals: Vec::new(),
                            limits: Vec::new(),
                        });
                        practices.len() - 1
                    } else {
                        model_of_practice[pi] as usize
                    };
                    practices[mp].pairs.push(pairs.len() as u32);
                    pairs.push(Pair {
                        trainee: ti as u32,
                        practice: mp as u32,
                        cost: -(score * SCALE).round() as i64,
                        score,
                    });
                }
            }
            let (start, end) = (day(t.start), day(t.end));
            let h6_end =
                (t.kind == TraineeType::Phase3).then(|| end.saturating_sub(allowed_overlap)).filter(|&e| e >= start);
            trainees.push(RoundTrainee {
                index,
                start,
                end,
                h6_end,
                general: t.kind != TraineeType::Other,
                unplaced_cost: 0,
                pairs: first..pairs.len(),
            });
        }
        let mut model = RoundModel { trainees, practices, pairs, tier_unplaced: 0, tier_general: 0 };
        for mp in 0..model.practices.len() {
            model.limit_practice(data, ctx, mp);
        }
        model.set_tiers();
        Ok(model)
    }

    /// A practice's day constraints and its P1 marginals.
    fn limit_practice(&mut self, data: &Dataset, ctx: &RuleContext<'_>, mp: usize) {
        let pi = self.practices[mp].index;
        let practice = &data.practices[pi];
        let cap = practice.effective_capacity(data.settings.capacity_per_tutor);
        let members: Vec<&RoundTrainee> =
            self.practices[mp].pairs.iter().map(|&q| &self.trainees[self.pairs[q as usize].trainee as usize]).collect();
        let span_start = members.iter().map(|t| t.start).min().unwrap_or(0);
        let span_end = members.iter().map(|t| t.end).max().unwrap_or(0);
        let stored: Vec<(i32, i32)> = ctx
            .periods_at(pi)
            .map(|p| (day(p.start), day(p.end)))
            .filter(|&(s, e)| s <= e && s <= span_end && e >= span_start)
            .collect();
        let mut bounds: Vec<i32> = vec![span_start];
        for t in &members {
            bounds.push(t.start);
            bounds.push(t.end + 1);
        }
        for &(s, e) in &stored {
            bounds.push(s);
            bounds.push(e + 1);
        }
        bounds.sort_unstable();
        bounds.dedup();
        let mut limits = Vec::new();
        let mut peak = 0u32;
        for &b in bounds.iter().filter(|&&b| b >= span_start && b <= span_end) {
            let load = stored.iter().filter(|&&(s, e)| s <= b && b <= e).count() as u32;
            peak = peak.max(load);
            let here = members.iter().filter(|t| t.start <= b && b <= t.end).count() as u32;
            let free = cap.saturating_sub(load);
            if here > free {
                limits.push(Limit { rule: Rule::H8, day: b, cap: free });
            }
        }
        let phase3: Vec<(i32, i32)> = members.iter().filter_map(|t| t.h6_end.map(|e| (t.start, e))).collect();
        if phase3.len() >= 2 {
            let mut bounds: Vec<i32> = phase3.iter().flat_map(|&(s, e)| [s, e + 1]).collect();
            bounds.sort_unstable();
            bounds.dedup();
            for b in bounds {
                if phase3.iter().filter(|&&(s, e)| s <= b && b <= e).count() >= 2 {
                    limits.push(Limit { rule: Rule::H6, day: b, cap: 1 });
                }
            }
        }
        let marginals: Vec<i64> =
            (1..=members.len() as u32).map(|k| fairness_marginal(&data.settings, peak, k, practice.tutors)).collect();
        let p = &mut self.practices[mp];
        p.limits = limits;
        p.marginals = marginals;
    }

    /// Chooses `B` and `C` (see the module comment) and the cost of leaving each trainee unplaced.
    fn set_tiers(&mut self) {
        let mut spread: i128 = 0;
        for t in &self.trainees {
            let costs = self.pairs[t.pairs.clone()].iter().map(|p| i128::from(p.cost));
            let (lo, hi) = costs.fold((0i128, 0i128), |(lo, hi), c| (lo.min(c), hi.max(c)));
            spread += hi - lo;
        }
        // P1 is at most the largest marginals, one per trainee placed.
        let placeable = self.trainees.iter().filter(|t| !t.pairs.is_empty()).count();
        let mut heap: BinaryHeap<(i64, usize, usize)> = self
            .practices
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.marginals.last().map(|&m| (m, i, p.marginals.len() - 1)))
            .collect();
        for _ in 0..placeable {
            let Some((m, i, k)) = heap.pop() else { break };
            spread += i128::from(m.max(0));
            if k > 0 {
                heap.push((self.practices[i].marginals[k - 1], i, k - 1));
            }
        }
        let general = self.trainees.iter().filter(|t| t.general).count() as i128;
        let b = power_of_ten_above(spread);
        let c = power_of_ten_above(b * (general + 1) - 1);
        // Far beyond any real region; keeps the sums inside i64.
        let cap = 10i128.pow(17);
        self.tier_general = b.min(cap) as i64;
        self.tier_unplaced = c.min(cap) as i64;
        for t in &mut self.trainees {
            t.unplaced_cost = self.tier_unplaced + if t.general { self.tier_general } else { 0 };
        }
    }

    /// The objective of a placement: `choice[i]` is trainee i's pair, if placed.
    pub fn objective(&self, choice: &[Option<u32>]) -> i64 {
        let mut total = 0i64;
        let mut count = vec![0usize; self.practices.len()];
        for (t, c) in self.trainees.iter().zip(choice) {
            match c {
                Some(q) => {
                    let pair = &self.pairs[*q as usize];
                    total += pair.cost;
                    count[pair.practice as usize] += 1;
                }
                None => total += t.unplaced_cost,
            }
        }
        for (p, &n) in self.practices.iter().zip(&count) {
            total += p.marginals[..n.min(p.marginals.len())].iter().sum::<i64>();
        }
        total
    }

    /// Whether a placement keeps every day constraint.
    pub fn is_feasible(&self, choice: &[Option<u32>]) -> bool {
        let mut at: Vec<Vec<u32>> = vec![Vec::new(); self.practices.len()];
        for (i, c) in choice.iter().enumerate() {
            if let Some(q) = c {
                let pair = &self.pairs[*q as usize];
                if pair.trainee as usize != i {
                    return false;
                }
                at[pair.practice as usize].push(i as u32);
            }
        }
        self.practices.iter().zip(&at).all(|(p, here)| {
            p.limits
                .iter()
                .all(|l| here.iter().filter(|&&i| self.trainees[i as usize].covers(l)).count() as u32 <= l.cap)
        })
    }

    /// The day constraints of a practice that trainee `i` would break there, given the others
    /// placed by `choice`, with the trainees that fill each.
    pub fn blocking(&self, choice: &[Option<u32>], i: usize, mp: usize) -> Vec<(Limit, Vec<usize>)> {
        let here: Vec<usize> = self.practices[mp]
            .pairs
            .iter()
            .map(|&q| self.pairs[q as usize].trainee as usize)
            .filter(|&j| j != i && choice[j].is_some_and(|q| self.pairs[q as usize].practice as usize == mp))
            .collect();
        let t = &self.trainees[i];
        self.practices[mp]
            .limits
            .iter()
            .filter(|l| t.covers(l))
            .filter_map(|l| {
                let by: Vec<usize> = here.iter().copied().filter(|&j| self.trainees[j].covers(l)).collect();
                (by.len() as u32 >= l.cap).then_some((*l, by))
            })
            .collect()
    }

    /// The model in free MPS, for any MIP solver; its minimum is the round's objective.
    /// `trainee_id` and `practice_id` name the rows in the comments.
    pub fn to_mps(&self, trainee_id: &dyn Fn(usize) -> String, practice_id: &dyn Fn(usize) -> String) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "* tutorfordeling: one placement round as a mixed-integer program (free MPS).");
        let _ = writeln!(s, "* Minimise C x unplaced + B x unplaced general-medicine + pair costs + P1 load.");
        let _ = writeln!(s, "* C = {}, B = {}.", self.tier_unplaced, self.tier_general);
        let _ = writeln!(s, "* X<i>_<p> = 1 places trainee i at practice p; U<i> = 1 leaves i unplaced;");
        let _ = writeln!(s, "* Y<p>_<k> is the k-th trainee of the round at p (convex P1 marginals);");
        let _ = writeln!(s, "* H8_<p>_<j> and H6_<p>_<j> are the day constraints (rule and first day in the comment).");
        for (i, t) in self.trainees.iter().enumerate() {
            let _ = writeln!(s, "* T{i} = trainee {}", trainee_id(t.index));
        }
        for (p, pr) in self.practices.iter().enumerate() {
            let _ = writeln!(s, "* N{p} = practice {}", practice_id(pr.index));
            for (j, l) in pr.limits.iter().enumerate() {
                let _ = writeln!(s, "* {}_{p}_{j}: {} from {}", l.rule.id(), l.rule.id(), date(l.day));
            }
        }
        s.push_str("NAME ROUND\nROWS\n N COST\n");
        for i in 0..self.trainees.len() {
            let _ = writeln!(s, " E T{i}");
        }
        for (p, pr) in self.practices.iter().enumerate() {
            let _ = writeln!(s, " E N{p}");
            for (j, l) in pr.limits.iter().enumerate() {
                let _ = writeln!(s, " L {}_{p}_{j}", l.rule.id());
            }
        }
        s.push_str("COLUMNS\n");
        for pair in &self.pairs {
            let (i, p) = (pair.trainee as usize, pair.practice as usize);
            let name = format!("X{i}_{p}");
            let _ = writeln!(s, "    {name} COST {} T{i} 1", pair.cost);
            let _ = writeln!(s, "    {name} N{p} 1");
            let t = &self.trainees[i];
            for (j, l) in self.practices[p].limits.iter().enumerate() {
                if t.covers(l) {
                    let _ = writeln!(s, "    {name} {}_{p}_{j} 1", l.rule.id());
                }
            }
        }
        for (i, t) in self.trainees.iter().enumerate() {
            let _ = writeln!(s, "    U{i} COST {} T{i} 1", t.unplaced_cost);
        }
        for (p, pr) in self.practices.iter().enumerate() {
            for (k, m) in pr.marginals.iter().enumerate() {
                let _ = writeln!(s, "    Y{p}_{} COST {m} N{p} -1", k + 1);
            }
        }
        s.push_str("RHS\n");
        for i in 0..self.trainees.len() {
            let _ = writeln!(s, "    RHS T{i} 1");
        }
        for (p, pr) in self.practices.iter().enumerate() {
            for (j, l) in pr.limits.iter().enumerate() {
                if l.cap > 0 {
                    let _ = writeln!(s, "    RHS {}_{p}_{j} {}", l.rule.id(), l.cap);
                }
            }
        }
        s.push_str("BOUNDS\n");
        for pair in &self.pairs {
            let _ = writeln!(s, " BV BND X{}_{}", pair.trainee, pair.practice);
        }
        for i in 0..self.trainees.len() {
            let _ = writeln!(s, " UP BND U{i} 1");
        }
        for (p, pr) in self.practices.iter().enumerate() {
            for k in 0..pr.marginals.len() {
                let _ = writeln!(s, " UP BND Y{p}_{} 1", k + 1);
            }
        }
        s.push_str("ENDATA\n");
        s
    }
}

/// The result of a solve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Solution {
    /// Per model trainee: the chosen pair, if placed.
    pub choice: Vec<Option<u32>>,
    pub objective: i64,
    /// A proven lower bound on the objective; equal to it when optimal.
    pub bound: i64,
    pub optimal: bool,
    /// Branch-and-bound nodes explored.
    pub nodes: usize,
    /// Flow relaxations solved (nodes and their cut rounds).
    pub relaxations: usize,
    /// Min-cost flows solved (relaxations and their pricing rounds).
    pub flows: usize,
    /// Nodes settled by the flows' shortest-path searches.
    pub settled: usize,
    /// Pairs that pricing brought into the relaxations beyond each trainee's cheapest.
    pub priced: usize,
}

/// Solves the model exactly, unless `max_nodes` nodes do not suffice (then the gap is proven).
pub fn solve(
    model: &RoundModel,
    max_nodes: usize,
    keep_going: &mut dyn FnMut() -> bool,
) -> Result<Solution, Cancelled> {
    let n = model.trainees.len();
    let mut choice: Vec<Option<u32>> = vec![None; n];
    let mut objective = 0i64;
    let mut bound = 0i64;
    let mut optimal = true;
    let mut nodes = 0usize;
    let mut search = Search::new(model);
    for part in parts(model) {
        let budget = max_nodes.saturating_sub(nodes).max(1);
        let r = search.run(&part, budget, keep_going)?;
        nodes += r.nodes;
        optimal &= r.optimal;
        objective += r.objective;
        bound += r.bound;
        for (&i, c) in part.trainees.iter().zip(r.choice) {
            choice[i as usize] = c;
        }
    }
    // Trainees with no pair at all.
    for t in &model.trainees {
        if t.pairs.is_empty() {
            objective += t.unplaced_cost;
            bound += t.unplaced_cost;
        }
    }
    debug_assert_eq!(model.objective(&choice), objective);
    Ok(Solution {
        choice,
        objective,
        bound,
        optimal,
        nodes,
        relaxations: search.relaxations,
        flows: search.flows,
        settled: search.settled,
        priced: search.core.iter().filter(|&&c| c).count(),
    })
}

/// Trainees that share candidate practices, and those practices.
#[derive(Clone, Debug, Default)]
struct Part {
    trainees: Vec<u32>,
    practices: Vec<u32>,
}

fn parts(model: &RoundModel) -> Vec<Part> {
    let n = model.trainees.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for p in &model.practices {
        let mut first = None;
        for &q in &p.pairs {
            let t = model.pairs[q as usize].trainee as usize;
            match first {
                None => first = Some(t),
                Some(f) => {
                    let (a, b) = (find(&mut parent, f), find(&mut parent, t));
                    if a != b {
                        parent[a.max(b)] = a.min(b);
                    }
                }
            }
        }
    }
    let mut of_root: Vec<usize> = vec![usize::MAX; n];
    let mut out: Vec<Part> = Vec::new();
    for i in 0..n {
        if model.trainees[i].pairs.is_empty() {
            continue;
        }
        let r = find(&mut parent, i);
        if of_root[r] == usize::MAX {
            of_root[r] = out.len();
            out.push(Part::default());
        }
        out[of_root[r]].trainees.push(i as u32);
    }
    for (mp, p) in model.practices.iter().enumerate() {
        if let Some(&q) = p.pairs.first() {
            let r = find(&mut parent, model.pairs[q as usize].trainee as usize);
            out[of_root[r]].practices.push(mp as u32);
        }
    }
    out
}

/// A branch-and-bound node: pairs forbidden and pairs forced.
#[derive(Clone, Debug)]
struct Node {
    bound: i64,
    seq: u64,
    removed: Vec<u32>,
    forced: Vec<u32>,
}

impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        (self.bound, self.seq) == (other.bound, other.seq)
    }
}
impl Eq for Node {}
impl PartialOrd for Node {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Node {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.bound, self.seq).cmp(&(other.bound, other.seq))
    }
}

/// What evaluating a node found.
enum Outcome {
    /// The bound reaches the best placement, or the forced pairs break a constraint.
    Pruned,
    /// The relaxation's placement keeps every constraint: the node's optimum.
    Feasible(i64, Vec<Option<u32>>),
    /// Children to explore, with the node's bound.
    Branch(i64, Vec<(Vec<u32>, Vec<u32>)>),
}

struct PartResult {
    choice: Vec<Option<u32>>,
    objective: i64,
    bound: i64,
    optimal: bool,
    nodes: usize,
}

/// The search over one part, with scratch space sized for the whole model.
struct Search<'m> {
    model: &'m RoundModel,
    /// Position of a model trainee within the current part.
    local: Vec<u32>,
    /// Cuts per model practice (limit positions), kept across nodes: they hold everywhere.
    pool: Vec<Vec<u32>>,
    removed: Vec<bool>,
    /// Per model trainee: its forced pair.
    forced: Vec<u32>,
    /// Per model practice: how many forced pairs it holds.
    forced_count: Vec<u32>,
    /// Position of a model practice within the current part.
    slot: Vec<u32>,
    /// Added to every trainee arc so that no cost is negative.
    shift: i64,
    relaxations: usize,
    flows: usize,
    settled: usize,
    /// Each model trainee's pairs by cost (the same ranges as `RoundTrainee::pairs`).
    by_cost: Vec<u32>,
    /// Pairs always given an arc: priced in once, they stay.
    core: Vec<bool>,
    /// The network node a pair's arc leads to in the relaxation being built.
    leaf: Vec<u32>,
    /// Pairs priced in by the last pricing round.
    priced: Vec<u32>,
}

impl<'m> Search<'m> {
    fn new(model: &'m RoundModel) -> Search<'m> {
        Search {
            model,
            local: vec![NONE; model.trainees.len()],
            pool: vec![Vec::new(); model.practices.len()],
            removed: vec![false; model.pairs.len()],
            forced: vec![NONE; model.trainees.len()],
            forced_count: vec![0; model.practices.len()],
            slot: vec![NONE; model.practices.len()],
            shift: model.pairs.iter().map(|p| -p.cost).max().unwrap_or(0).max(0),
            relaxations: 0,
            flows: 0,
            settled: 0,
            by_cost: {
                let mut v: Vec<u32> = (0..model.pairs.len() as u32).collect();
                for t in &model.trainees {
                    v[t.pairs.clone()].sort_by_key(|&q| (model.pairs[q as usize].cost, q));
                }
                v
            },
            core: vec![false; model.pairs.len()],
            leaf: vec![NONE; model.pairs.len()],
            priced: Vec::new(),
        }
    }

    fn run(
        &mut self,
        part: &Part,
        max_nodes: usize,
        keep_going: &mut dyn FnMut() -> bool,
    ) -> Result<PartResult, Cancelled> {
        let model = self.model;
        for (k, &i) in part.trainees.iter().enumerate() {
            self.local[i as usize] = k as u32;
        }
        for (k, &p) in part.practices.iter().enumerate() {
            self.slot[p as usize] = k as u32;
        }
        let mut best_choice: Vec<Option<u32>> = vec![None; part.trainees.len()];
        let mut best: i64 = self.part_objective(part, &best_choice);
        let mut heap: BinaryHeap<Reverse<Node>> = BinaryHeap::new();
        let mut seq = 0u64;
        heap.push(Reverse(Node { bound: i64::MIN, seq, removed: Vec::new(), forced: Vec::new() }));
        let mut nodes = 0usize;
        let mut open_bound = None;
        while let Some(Reverse(node)) = heap.pop() {
            if node.bound >= best {
                heap.clear();
                break;
            }
            if nodes >= max_nodes {
                open_bound = Some(node.bound);
                break;
            }
            if !keep_going() {
                return Err(Cancelled);
            }
            nodes += 1;
            match self.evaluate(part, &node, &mut best, &mut best_choice)? {
                Outcome::Pruned => {}
                Outcome::Feasible(value, choice) => {
                    if value < best {
                        best = value;
                        best_choice = choice;
                    }
                }
                Outcome::Branch(bound, children) => {
                    for (removed, forced) in children {
                        seq += 1;
                        heap.push(Reverse(Node { bound, seq, removed, forced }));
                    }
                }
            }
        }
        for &i in &part.trainees {
            self.local[i as usize] = NONE;
        }
        for &p in &part.practices {
            self.slot[p as usize] = NONE;
        }
        let bound = open_bound.map_or(best, |b| b.max(i64::MIN / 2).min(best));
        debug_assert!(model_is_feasible_part(model, part, &best_choice));
        Ok(PartResult { choice: best_choice, objective: best, bound, optimal: open_bound.is_none(), nodes })
    }

    /// The objective of a part's placement (`choice` by position in the part).
    fn part_objective(&self, part: &Part, choice: &[Option<u32>]) -> i64 {
        let model = self.model;
        let mut total = 0;
        let mut count: Vec<usize> = vec![0; part.practices.len()];
        let slot = &self.slot;
        for (&i, c) in part.trainees.iter().zip(choice) {
            match c {
                Some(q) => {
                    let pair = &model.pairs[*q as usize];
                    total += pair.cost;
                    count[slot[pair.practice as usize] as usize] += 1;
                }
                None => total += model.trainees[i as usize].unplaced_cost,
            }
        }
        for (&p, &n) in part.practices.iter().zip(&count) {
            total += model.practices[p as usize].marginals[..n].iter().sum::<i64>();
        }
        total
    }

    /// Evaluates a node: cut loop over its flow relaxation, then a verdict. Improves `best`
    /// through the repair heuristic on the way.
    fn evaluate(
        &mut self,
        part: &Part,
        node: &Node,
        best: &mut i64,
        best_choice: &mut Vec<Option<u32>>,
    ) -> Result<Outcome, Cancelled> {
        let model = self.model;
        for &q in &node.removed {
            self.removed[q as usize] = true;
        }
        for &q in &node.forced {
            let pair = &model.pairs[q as usize];
            self.forced[pair.trainee as usize] = q;
            self.forced_count[pair.practice as usize] += 1;
        }
        let outcome = self.evaluate_inner(part, node, best, best_choice);
        for &q in &node.removed {
            self.removed[q as usize] = false;
        }
        for &q in &node.forced {
            let pair = &model.pairs[q as usize];
            self.forced[pair.trainee as usize] = NONE;
            self.forced_count[pair.practice as usize] -= 1;
        }
        outcome
    }

    fn is_active(&self, q: u32) -> bool {
        !self.removed[q as usize] && self.forced[self.model.pairs[q as usize].trainee as usize] == NONE
    }

    /// Forced pairs at practice `mp` that a limit counts.
    fn forced_in(&self, mp: usize, limit: &Limit) -> u32 {
        if self.forced_count[mp] == 0 {
            return 0;
        }
        let model = self.model;
        model.practices[mp]
            .pairs
            .iter()
            .filter(|&&q| {
                let t = model.pairs[q as usize].trainee as usize;
                self.forced[t] == q && model.trainees[t].covers(limit)
            })
            .count() as u32
    }

    /// The laminar family of pooled cuts kept at practice `mp` in this node: (limit, active pairs
    /// it counts, capacity left after the forced pairs).
    fn family(&self, mp: usize) -> Vec<(u32, Vec<u32>, u32)> {
        let model = self.model;
        let pr = &model.practices[mp];
        let mut out: Vec<(u32, Vec<u32>, u32)> = Vec::new();
        for &li in &self.pool[mp] {
            let limit = &pr.limits[li as usize];
            let forced = self.forced_in(mp, limit);
            let cap = limit.cap.saturating_sub(forced);
            let members: Vec<u32> = pr
                .pairs
                .iter()
                .copied()
                .filter(|&q| {
                    self.is_active(q) && model.trainees[model.pairs[q as usize].trainee as usize].covers(limit)
                })
                .collect();
            if members.len() as u32 <= cap {
                continue;
            }
            let laminar = out.iter().all(|(_, other, _)| {
                let common = intersection_len(&members, other);
                common == 0 || common == members.len() || common == other.len()
            });
            if laminar {
                out.push((li, members, cap));
            }
        }
        out
    }

    fn evaluate_inner(
        &mut self,
        part: &Part,
        node: &Node,
        best: &mut i64,
        best_choice: &mut Vec<Option<u32>>,
    ) -> Result<Outcome, Cancelled> {
        let model = self.model;
        // The forced pairs alone must keep every constraint.
        let mut constant = 0i64;
        for &q in &node.forced {
            constant += model.pairs[q as usize].cost;
        }
        for &mp in &part.practices {
            let mp = mp as usize;
            let f = self.forced_count[mp];
            if f == 0 {
                continue;
            }
            constant += model.practices[mp].marginals[..f as usize].iter().sum::<i64>();
            if model.practices[mp].limits.iter().any(|l| self.forced_in(mp, l) > l.cap) {
                return Ok(Outcome::Pruned);
            }
        }
        loop {
            let relaxed = self.relax(part)?;
            let Some((value, assigned)) = relaxed else { return Ok(Outcome::Pruned) };
            let value = value + constant;
            let bound = value.max(node.bound);
            if bound >= *best {
                return Ok(Outcome::Pruned);
            }
            // The placement: the flow's, plus the forced pairs.
            let choice: Vec<Option<u32>> = part
                .trainees
                .iter()
                .zip(&assigned)
                .map(|(&i, a)| {
                    let f = self.forced[i as usize];
                    if f != NONE { Some(f) } else { *a }
                })
                .collect();
            let broken = self.broken(part, &choice);
            if broken.is_empty() {
                return Ok(Outcome::Feasible(value, choice));
            }
            let (repaired_value, repaired) = self.repair(part, &choice);
            if repaired_value < *best {
                *best = repaired_value;
                *best_choice = repaired;
                if bound >= *best {
                    return Ok(Outcome::Pruned);
                }
            }
            let mut progress = false;
            for &(mp, li, _) in &broken {
                if !self.pool[mp].contains(&li) {
                    self.pool[mp].push(li);
                }
            }
            // `broken` is by practice: one family per practice.
            let mut s = 0;
            while s < broken.len() && !progress {
                let mp = broken[s].0;
                let mut e = s;
                while e < broken.len() && broken[e].0 == mp {
                    e += 1;
                }
                let family = self.family(mp);
                progress = broken[s..e].iter().any(|&(_, li, _)| family.iter().any(|(l, _, _)| *l == li));
                s = e;
            }
            if progress {
                continue;
            }
            // Branch on the most broken constraint.
            let Some(&(mp, li, _)) = broken.iter().max_by_key(|(mp, li, excess)| (*excess, Reverse(*mp), Reverse(*li)))
            else {
                return Ok(Outcome::Pruned);
            };
            let limit = model.practices[mp].limits[li as usize];
            let cap = limit.cap.saturating_sub(self.forced_in(mp, &limit)) as usize;
            let mut placed: Vec<u32> = part
                .trainees
                .iter()
                .zip(&assigned)
                .filter_map(|(&i, a)| {
                    a.filter(|&q| {
                        model.pairs[q as usize].practice as usize == mp && model.trainees[i as usize].covers(&limit)
                    })
                })
                .collect();
            placed.sort_by_key(|&q| (Reverse(model.pairs[q as usize].cost), q));
            let mut children = Vec::new();
            for k in 0..=cap.min(placed.len().saturating_sub(1)) {
                let mut removed = node.removed.clone();
                removed.push(placed[k]);
                let mut forced = node.forced.clone();
                forced.extend_from_slice(&placed[..k]);
                children.push((removed, forced));
            }
            return Ok(Outcome::Branch(bound, children));
        }
    }

    /// The node's flow relaxation: its cost (without the forced pairs) and each part trainee's
    /// pair, or `None` if infeasible.
    #[allow(clippy::type_complexity)]
    fn relax(&mut self, part: &Part) -> Result<Option<(i64, Vec<Option<u32>>)>, Cancelled> {
        let model = self.model;
        self.relaxations += 1;
        let shift = self.shift;
        let sink = 0usize;
        let mut g = Network::new(1 + part.trainees.len());
        let mut leaf_of_pair: Vec<(u32, usize)> = Vec::new();
        let mut free_trainees = 0i64;
        for &mp in &part.practices {
            let mp = mp as usize;
            let pr = &model.practices[mp];
            let active: Vec<u32> = pr.pairs.iter().copied().filter(|&q| self.is_active(q)).collect();
            if active.is_empty() {
                continue;
            }
            let root = g.add_node();
            let f = self.forced_count[mp] as usize;
            let end = (f + active.len()).min(pr.marginals.len());
            g.add_convex_arc(root, sink, &pr.marginals[f..end]);
            let mut family = self.family(mp);
            family.sort_by_key(|(_, members, _)| Reverse(members.len()));
            // Deepest set holding each active pair, by position in `active`.
            let mut deepest: Vec<usize> = vec![root; active.len()];
            for (_, members, cap) in &family {
                let Some(first) = members.first() else { continue };
                let Ok(pos) = active.binary_search(first) else { continue };
                let parent = deepest[pos];
                let node = g.add_node();
                g.add_arc(node, parent, *cap as i32, 0);
                for q in members {
                    if let Ok(pos) = active.binary_search(q) {
                        deepest[pos] = node;
                    }
                }
            }
            for (q, leaf) in active.iter().zip(deepest) {
                leaf_of_pair.push((*q, leaf));
            }
        }
        // Trainee arcs: each trainee's cheapest pairs and those priced in before (the core); the
        // rest only when their reduced cost shows they could lower the cost (pricing below).
        for &(q, leaf) in &leaf_of_pair {
            self.leaf[q as usize] = leaf as u32;
        }
        let mut arcs: Vec<Vec<(usize, u32)>> = vec![Vec::new(); part.trainees.len()];
        let mut left_out: Vec<u32> = Vec::new();
        for (k, &i) in part.trainees.iter().enumerate() {
            if self.forced[i as usize] != NONE {
                continue;
            }
            free_trainees += 1;
            g.set_supply(1 + k, 1);
            g.add_arc(1 + k, sink, 1, model.trainees[i as usize].unplaced_cost + shift);
            let mut taken = 0;
            for &q in &self.by_cost[model.trainees[i as usize].pairs.clone()] {
                if !self.is_active(q) {
                    continue;
                }
                if taken < CORE_PAIRS || self.core[q as usize] {
                    let arc = g.add_arc(1 + k, self.leaf[q as usize] as usize, 1, model.pairs[q as usize].cost + shift);
                    arcs[k].push((arc, q));
                    taken += 1;
                } else {
                    left_out.push(q);
                }
            }
        }
        let cost = loop {
            self.flows += 1;
            let cost = match g.solve(sink, &mut |_| true) {
                Ok(c) => c,
                Err(FlowError::Infeasible) => return Ok(None),
                Err(FlowError::Stopped) => return Err(Cancelled),
            };
            // Pricing: a pair left out with a negative reduced cost joins and the flow is solved
            // again; when none has, the potentials prove the flow optimal with every pair.
            // Potentials as low as the network allows at the practices, and each trainee's as
            // high as its own arc allows: the tightest test the flow can prove.
            let mut potential = g.potentials_towards(sink);
            for (k, &i) in part.trainees.iter().enumerate() {
                if self.forced[i as usize] != NONE {
                    continue;
                }
                potential[1 + k] = match arcs[k].iter().find(|(arc, _)| g.flow(*arc) > 0) {
                    Some(&(_, q)) => potential[self.leaf[q as usize] as usize] - model.pairs[q as usize].cost - shift,
                    None => potential[sink] - model.trainees[i as usize].unplaced_cost - shift,
                };
            }
            // Each trainee's most negative pairs join (column generation).
            let mut negative: Vec<(usize, i64, u32)> = Vec::new();
            for &q in &left_out {
                let pair = &model.pairs[q as usize];
                let k = self.local[pair.trainee as usize] as usize;
                let leaf = self.leaf[q as usize] as usize;
                let reduced = pair.cost + shift + potential[1 + k] - potential[leaf];
                if reduced < 0 {
                    negative.push((k, reduced, q));
                }
            }
            negative.sort_unstable();
            self.priced.clear();
            let mut run = (usize::MAX, 0);
            for &(k, _, q) in &negative {
                run = if run.0 == k { (k, run.1 + 1) } else { (k, 1) };
                if run.1 <= PRICED_PER_ROUND {
                    self.core[q as usize] = true;
                    self.priced.push(q);
                }
            }
            left_out.retain(|&q| !self.core[q as usize]);
            if self.priced.is_empty() {
                self.settled += g.settled;
                break cost;
            }
            for &q in &self.priced {
                let pair = &model.pairs[q as usize];
                let k = self.local[pair.trainee as usize] as usize;
                let arc = g.add_arc(1 + k, self.leaf[q as usize] as usize, 1, pair.cost + shift);
                arcs[k].push((arc, q));
            }
        };
        let assigned: Vec<Option<u32>> =
            arcs.iter().map(|a| a.iter().find(|(arc, _)| g.flow(*arc) > 0).map(|&(_, q)| q)).collect();
        Ok(Some((cost - shift * free_trainees, assigned)))
    }

    /// Broken day constraints of a part placement: (model practice, limit, excess).
    fn broken(&self, part: &Part, choice: &[Option<u32>]) -> Vec<(usize, u32, u32)> {
        let model = self.model;
        let mut at: Vec<(u32, u32)> = choice
            .iter()
            .zip(&part.trainees)
            .filter_map(|(c, &i)| c.map(|q| (model.pairs[q as usize].practice, i)))
            .collect();
        at.sort_unstable();
        let mut out = Vec::new();
        let mut s = 0;
        while s < at.len() {
            let mp = at[s].0;
            let mut e = s;
            while e < at.len() && at[e].0 == mp {
                e += 1;
            }
            let here = &at[s..e];
            for (li, l) in model.practices[mp as usize].limits.iter().enumerate() {
                let n = here.iter().filter(|(_, i)| model.trainees[*i as usize].covers(l)).count() as u32;
                if n > l.cap {
                    out.push((mp as usize, li as u32, n - l.cap));
                }
            }
            s = e;
        }
        out
    }

    /// A feasible placement near `choice`: keeps the best pairs that fit at each practice, then
    /// offers every trainee left out its pairs in order of cost.
    fn repair(&self, part: &Part, choice: &[Option<u32>]) -> (i64, Vec<Option<u32>>) {
        let model = self.model;
        let slot = &self.slot;
        let mut at: Vec<Vec<u32>> = vec![Vec::new(); part.practices.len()];
        let mut out: Vec<Option<u32>> = vec![None; part.trainees.len()];
        let fits = |at: &Vec<Vec<u32>>, q: u32| -> bool {
            let pair = &model.pairs[q as usize];
            let t = &model.trainees[pair.trainee as usize];
            let here = &at[slot[pair.practice as usize] as usize];
            model.practices[pair.practice as usize]
                .limits
                .iter()
                .filter(|l| t.covers(l))
                .all(|l| (here.iter().filter(|&&j| model.trainees[j as usize].covers(l)).count() as u32) < l.cap)
        };
        let mut order: Vec<usize> = (0..part.trainees.len()).filter(|&k| choice[k].is_some()).collect();
        // Forced pairs first, then by cost.
        order.sort_by_key(|&k| {
            let q = choice[k].unwrap_or(0);
            (self.forced[part.trainees[k] as usize] == NONE, model.pairs[q as usize].cost, k)
        });
        for k in order {
            let Some(q) = choice[k] else { continue };
            if fits(&at, q) {
                at[slot[model.pairs[q as usize].practice as usize] as usize].push(part.trainees[k]);
                out[k] = Some(q);
            }
        }
        let mut left: Vec<usize> = (0..part.trainees.len()).filter(|&k| out[k].is_none()).collect();
        left.sort_by_key(|&k| (Reverse(model.trainees[part.trainees[k] as usize].unplaced_cost), k));
        for k in left {
            let t = &model.trainees[part.trainees[k] as usize];
            let mut options: Vec<u32> = t.pairs.clone().map(|q| q as u32).collect();
            options.sort_by_key(|&q| (model.pairs[q as usize].cost, q));
            if let Some(q) = options.into_iter().find(|&q| fits(&at, q)) {
                at[slot[model.pairs[q as usize].practice as usize] as usize].push(part.trainees[k]);
                out[k] = Some(q);
            }
        }
        (self.part_objective(part, &out), out)
    }
}

fn model_is_feasible_part(model: &RoundModel, part: &Part, choice: &[Option<u32>]) -> bool {
    let mut full: Vec<Option<u32>> = vec![None; model.trainees.len()];
    for (&i, c) in part.trainees.iter().zip(choice) {
        full[i as usize] = *c;
    }
    model.is_feasible(&full)
}

/// Common elements of two ascending lists.
fn intersection_len(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The period of a model trainee.
pub fn period_of(t: &RoundTrainee) -> Period {
    Period::new(date(t.start), date(t.end))
}
