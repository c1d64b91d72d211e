//! `settings show` and `settings set KEY VALUE [--from DATE]`: the dated settings of DOMAIN.md
//! by name, for the command line and the desktop.

use chrono::NaiveDate;

use super::{OpError, OpResult, input};
use crate::domain::command::{Command, Subjects};
use crate::domain::model::{Dated, PensionRate, SalaryStep, Settings, ShareRate, TraineeType, always_from};
use crate::domain::money::Money;
use crate::store::Store;

/// Every key `settings set` knows, with what it means (also `--help` and the error for an
/// unknown key).
pub const KEYS: &[(&str, &str)] = &[
    ("salary.<step>", "a step of the salary scale, DKK a month (dated)"),
    ("share.<type>", "the practice's share of the salary for a type, percent (dated)"),
    ("honorarium", "the KBU tutor honorarium, DKK a month (dated)"),
    ("pension", "pension, percent of the salary (dated)"),
    ("h6.overlap_days", "H6: the allowed overlap of two phase-3 trainees, days"),
    ("capacity_per_tutor", "H8: trainees per tutor at a time"),
    ("lookback_years", "years the score and the review look back"),
    ("idle_months", "months without a trainee before a practice is flagged idle"),
    ("p6.window_months", "P6: the months looked back over, ending on the review's last day"),
    ("p6.min_days_percent", "P6: trainees present on at least this percentage of the days"),
    ("p6.min_trainees_per_doctor", "P6: on those days, at least this many trainees per doctor on average"),
    ("weight.<t1|t2|p1..p7>", "the weight of a soft principle in the score"),
    ("threatened.<municipality>", "P5: the municipality is threatened by GP shortage (yes/no)"),
];

fn unknown(key: &str) -> OpError {
    let known: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
    input(format!("unknown setting '{key}'; the settings are: {}", known.join(", ")))
}

fn money(key: &str, value: &str) -> OpResult<Money> {
    let m = Money::parse(value).map_err(|e| input(format!("{key}: '{value}' is not an amount: {e}")))?;
    if m.ore() < 0 {
        return Err(input(format!("{key}: an amount cannot be negative")));
    }
    Ok(m)
}

/// A percentage with up to two decimals, in hundredths of a percent (19,36 → 1936).
fn percent(key: &str, value: &str) -> OpResult<i64> {
    let bp = Money::parse(value.trim_end_matches('%').trim())
        .map_err(|_| input(format!("{key}: '{value}' is not a percentage")))?
        .ore();
    if !(0..=10_000).contains(&bp) {
        return Err(input(format!("{key}: a percentage lies between 0 and 100")));
    }
    Ok(bp)
}

fn whole<T: std::str::FromStr>(key: &str, value: &str) -> OpResult<T> {
    value.trim().parse().map_err(|_| input(format!("{key}: '{value}' is not a whole number")))
}

/// Puts a dated value in force from `from`: entries from that day on are replaced. Without a
/// date the value holds for every day (from [`always_from`]): the older entries go.
fn dated<T>(
    list: &mut Vec<T>,
    from: Option<NaiveDate>,
    same: impl Fn(&T) -> bool,
    valid: impl Fn(&T) -> NaiveDate,
    new: impl Fn(NaiveDate) -> T,
) {
    match from {
        Some(d) => {
            list.retain(|e| !(same(e) && valid(e) >= d));
            list.push(new(d));
        }
        None => {
            list.retain(|e| !same(e));
            list.push(new(always_from()));
        }
    }
}

/// The command that sets `key` to `value` (from `from` where the key is dated).
pub fn command(store: &Store, key: &str, value: &str, from: Option<NaiveDate>) -> OpResult<Command> {
    command_with_source(store, key, value, from, "")
}

/// [`command`], with where the figure comes from for a salary-scale or pension row (`source`,
/// shown by `settings show`).
pub fn command_with_source(
    store: &Store,
    key: &str,
    value: &str,
    from: Option<NaiveDate>,
    source: &str,
) -> OpResult<Command> {
    let source = source.trim().to_string();
    if crate::domain::privacy::contains_cpr(&source) {
        return Err(input(crate::domain::privacy::cpr_refusal("the source")));
    }
    let view = store.read(&Subjects::default())?;
    let mut s: Settings = view.settings.clone();
    let undated = |k: &str| -> OpResult<()> {
        match from {
            Some(_) => Err(input(format!("{k} has no dated history; leave out --from"))),
            None => Ok(()),
        }
    };
    if let Some(m) = key.strip_prefix("threatened.") {
        undated(key)?;
        let flag =
            crate::store::csv::parse_bool(value).ok_or_else(|| input(format!("{key}: '{value}' is not yes/no")))?;
        return Ok(Command::set_threatened(&view, m, flag)?);
    }
    if let Some(step) = key.strip_prefix("salary.") {
        if step.is_empty() {
            return Err(unknown(key));
        }
        let monthly = money(key, value)?;
        dated(
            &mut s.salary_scale,
            from,
            |e| e.step.eq_ignore_ascii_case(step),
            |e| e.valid_from,
            |d| SalaryStep { step: step.to_string(), valid_from: d, monthly, source: source.clone() },
        );
    } else if let Some(kind) = key.strip_prefix("share.") {
        let kind = TraineeType::from_key(kind).ok_or_else(|| unknown(key))?;
        let bp = percent(key, value)?;
        dated(
            &mut s.share_rates,
            from,
            |e| e.kind == kind,
            |e| e.valid_from,
            |d| ShareRate { kind, valid_from: d, practice_basis_points: bp },
        );
    } else if key == "pension" {
        let bp = percent(key, value)?;
        dated(
            &mut s.pension,
            from,
            |_| true,
            |e| e.valid_from,
            |d| PensionRate { valid_from: d, basis_points: bp, source: source.clone() },
        );
    } else if key == "honorarium" {
        let m = money(key, value)?;
        dated(&mut s.honorarium, from, |_| true, |e| e.valid_from, |d| Dated { valid_from: d, value: m });
    } else if let Some(w) = key.strip_prefix("weight.") {
        undated(key)?;
        let x: f64 =
            value.trim().replace(',', ".").parse().map_err(|_| input(format!("{key}: '{value}' is not a number")))?;
        if !(0.0..=1000.0).contains(&x) {
            return Err(input(format!("{key}: a weight lies between 0 and 1000")));
        }
        let ws = &mut s.weights;
        let slot = match w.to_ascii_lowercase().as_str() {
            "t1" => &mut ws.t1_organisation_variety,
            "t2" => &mut ws.t2_patient_variety,
            "p1" => &mut ws.p1_load_per_tutor,
            "p2" => &mut ws.p2_type_mix,
            "p3" => &mut ws.p3_wishes,
            "p4" => &mut ws.p4_tutor_quality,
            "p5" => &mut ws.p5_threatened_area,
            "p6" => &mut ws.p6_dependency,
            "p7" => &mut ws.p7_room_for_general,
            _ => return Err(unknown(key)),
        };
        *slot = x;
    } else {
        undated(key)?;
        match key {
            "h6.overlap_days" => s.phase3_overlap_days = whole(key, value)?,
            "capacity_per_tutor" => {
                s.capacity_per_tutor = whole(key, value)?;
                if s.capacity_per_tutor == 0 {
                    return Err(input(format!("{key}: at least 1")));
                }
            }
            "lookback_years" => s.lookback_years = whole(key, value)?,
            "idle_months" => s.idle_months = whole(key, value)?,
            "p6.window_months" => {
                s.p6_window_months = whole(key, value)?;
                if !(1..=120).contains(&s.p6_window_months) {
                    return Err(input(format!("{key}: between 1 and 120 months")));
                }
            }
            "p6.min_days_percent" => {
                s.p6_min_days_percent = whole(key, value)?;
                if s.p6_min_days_percent > 100 {
                    return Err(input(format!("{key}: a percentage lies between 0 and 100")));
                }
            }
            "p6.min_trainees_per_doctor" => {
                let x: f64 = value
                    .trim()
                    .replace(',', ".")
                    .parse()
                    .map_err(|_| input(format!("{key}: '{value}' is not a number")))?;
                if !(0.0..=10.0).contains(&x) {
                    return Err(input(format!("{key}: between 0 and 10 trainees per doctor")));
                }
                s.p6_min_trainees_per_doctor = x;
            }
            _ => return Err(unknown(key)),
        }
    }
    s.salary_scale.sort_by(|a, b| (a.step.as_str(), a.valid_from).cmp(&(b.step.as_str(), b.valid_from)));
    s.share_rates.sort_by_key(|r| (r.kind.key(), r.valid_from));
    s.honorarium.sort_by_key(|h| h.valid_from);
    s.pension.sort_by_key(|p| p.valid_from);
    Ok(Command::set_settings(&view, s))
}

/// Sets one setting (`settings set`); `source` says where a salary or pension figure comes from.
pub fn set(store: &mut Store, key: &str, value: &str, from: Option<NaiveDate>, source: &str) -> OpResult<()> {
    let cmd = command_with_source(store, key, value, from, source)?;
    store.execute(&cmd)?;
    Ok(())
}

/// The settings and the threatened municipalities, for `settings show`.
#[derive(serde::Serialize)]
pub struct Shown {
    pub settings: Settings,
    pub threatened_municipalities: Vec<String>,
}

pub fn show(store: &Store) -> OpResult<Shown> {
    let view = store.read(&Subjects::default())?;
    Ok(Shown {
        threatened_municipalities: view
            .region
            .municipalities
            .iter()
            .filter(|m| m.threatened)
            .map(|m| m.name.clone())
            .collect(),
        settings: view.settings,
    })
}
