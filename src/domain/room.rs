//! Rule P7: "is there room in this area for N months from date D?"
//!
//! Other-specialty trainees get a place only where it does not crowd out KBU and general-medicine
//! trainees. Room is the free capacity (H8, on every day of the period, 0 while paused, H7) of the
//! area's practices, minus the KBU and general-medicine trainees who are still open (not placed) and
//! expected in the area over the period. A phase 1–3 trainee's catchment may reach beyond the area; it
//! counts with the share of the catchment's free capacity that lies inside the area.

use chrono::{Months, NaiveDate};
use serde::Serialize;

use super::dates::{self, Period};
use super::model::{Dataset, Trainee, TraineeType};
use super::rules::RuleContext;

/// An area asked about: one municipality or a hospital unit's catchment (DOMAIN.md §2.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Area {
    Municipality(String),
    /// A hospital unit's catchment, named by the unit.
    Catchment(String),
}

/// A practice of the area and the trainees it can still take on every day of the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PracticeRoom {
    pub practice_id: String,
    pub free_slots: u32,
}

/// The answer, with the numbers behind it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoomAnswer {
    pub has_room: bool,
    /// Every practice of the area, most free slots first, then by id.
    pub practices: Vec<PracticeRoom>,
    /// Free slots summed over the area.
    pub free_slots: u32,
    /// KBU and general-medicine trainees expected in the area and not yet placed (may be a fraction).
    pub expected_general: f64,
    pub explanation: String,
}

/// The inclusive period of `months` months from `start`.
pub fn months_from(start: NaiveDate, months: u32) -> Period {
    let end = start.checked_add_months(Months::new(months.max(1))).and_then(|d| d.pred_opt()).unwrap_or(start);
    Period::new(start, end)
}

/// Rule P7: is there room in `area` for one more trainee for `months` months from `start`, given
/// the placed trainees and the expected open KBU and general-medicine trainees of that area?
pub fn room_for(data: &Dataset, area: &Area, start: NaiveDate, months: u32) -> RoomAnswer {
    let ctx = RuleContext::new(data);
    let period = months_from(start, months);
    let (munis, label) = match area {
        Area::Municipality(name) => match ctx.municipality_index(name) {
            Some(m) => (vec![m], data.region.municipalities[m].name.clone()),
            None => return unknown_area(format!("{name} is not a municipality of the region.")),
        },
        Area::Catchment(unit) => {
            let munis = ctx.catchment(unit);
            if munis.is_empty() {
                return unknown_area(format!("{unit} is not a hospital unit of the region."));
            }
            (munis, format!("the catchment of {unit}"))
        }
    };
    room_in(&ctx, &munis, period, &label, months)
}

fn unknown_area(explanation: String) -> RoomAnswer {
    RoomAnswer { has_room: false, practices: Vec::new(), free_slots: 0, expected_general: 0.0, explanation }
}

/// Free slots and expected general demand in the municipalities `munis` over `period`.
pub fn room_in(ctx: &RuleContext<'_>, munis: &[usize], period: Period, label: &str, months: u32) -> RoomAnswer {
    let data = ctx.data();
    let mut practices: Vec<PracticeRoom> = ctx
        .practices_in(munis)
        .into_iter()
        .map(|i| PracticeRoom { practice_id: data.practices[i].id.clone(), free_slots: ctx.free_slots(i, period) })
        .collect();
    practices.sort_by(|a, b| b.free_slots.cmp(&a.free_slots).then_with(|| a.practice_id.cmp(&b.practice_id)));
    let free_slots: u32 = practices.iter().map(|p| p.free_slots).sum();
    let expected = expected_general(ctx, munis, period);
    let needed = expected.ceil() as u32;
    let with_room = practices.iter().filter(|p| p.free_slots > 0).count();
    let has_room = with_room > 0 && free_slots > needed;
    let from = dates::danish(period.start);
    let expected_text = match needed {
        0 => "no KBU or general-medicine trainee is expected".to_string(),
        1 => "1 KBU or general-medicine trainee is expected".to_string(),
        n => format!("{n} KBU or general-medicine trainees are expected"),
    };
    let slots = |n: u32| if n == 1 { "1 free slot".to_string() } else { format!("{n} free slots") };
    let explanation = if practices.is_empty() {
        format!("No room in {label}: it has no tutor practice.")
    } else if has_room {
        format!(
            "Room in {label} for {months} months from {from}: {} in {with_room} of {} practices, and {expected_text}, which \
             leaves {}.",
            slots(free_slots),
            practices.len(),
            slots(free_slots - needed)
        )
    } else {
        format!(
            "No room in {label} for {months} months from {from}: {} in {with_room} of {} practices, and {expected_text}.",
            slots(free_slots),
            practices.len()
        )
    };
    RoomAnswer { has_room, practices, free_slots, expected_general: expected, explanation }
}

/// Open (unplaced) KBU and general-medicine trainees whose period overlaps `period` and whose area
/// lies in `munis`. A catchment reaching beyond `munis` counts with the share of its free slots inside.
pub fn expected_general(ctx: &RuleContext<'_>, munis: &[usize], period: Period) -> f64 {
    expected_general_among(ctx, &open_general(ctx), munis, period)
}

/// The open KBU and general-medicine trainees, in dataset order: those `expected_general` counts
/// from, for callers that ask about many areas.
pub fn open_general<'a>(ctx: &RuleContext<'a>) -> Vec<&'a Trainee> {
    ctx.data().trainees.iter().filter(|t| t.kind != TraineeType::Other && !ctx.is_placed(&t.id)).collect()
}

/// `expected_general` over `open_general(ctx)`, computed once by the caller.
pub fn expected_general_among(ctx: &RuleContext<'_>, open: &[&Trainee], munis: &[usize], period: Period) -> f64 {
    let mut expected = 0.0;
    let mut catchment_share: Vec<(String, f64)> = Vec::new();
    for &t in open {
        if !t.period().overlaps(&period) {
            continue;
        }
        let Some(area) = ctx.trainee_area(t) else { continue };
        if area.is_empty() {
            continue;
        }
        let inside: Vec<usize> = area.iter().copied().filter(|m| munis.contains(m)).collect();
        if inside.is_empty() {
            continue;
        }
        if inside.len() == area.len() {
            expected += 1.0;
            continue;
        }
        let key = t.hospital_unit.clone().unwrap_or_default();
        let share = match catchment_share.iter().find(|(k, _)| *k == key) {
            Some((_, s)) => *s,
            None => {
                let free =
                    |ms: &[usize]| -> u32 { ctx.practices_in(ms).into_iter().map(|i| ctx.free_slots(i, period)).sum() };
                let all = free(&area);
                let s = if all == 0 {
                    inside.len() as f64 / area.len() as f64
                } else {
                    f64::from(free(&inside)) / f64::from(all)
                };
                catchment_share.push((key, s));
                s
            }
        };
        expected += share;
    }
    expected
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules::test_support::*;

    fn lemvig() -> Dataset {
        let mut data = region_data();
        data.practices = vec![practice("A", "Lemvig", 2), practice("B", "Lemvig", 1), practice("C", "Struer", 1)];
        data
    }

    #[test]
    fn an_empty_area_has_room_in_every_practice() {
        let answer = room_for(&lemvig(), &Area::Municipality("Lemvig".into()), d(2026, 8, 1), 6);
        assert!(answer.has_room);
        assert_eq!(answer.free_slots, 3);
        assert_eq!(answer.practices[0], PracticeRoom { practice_id: "A".into(), free_slots: 2 });
        assert!(
            answer.explanation.starts_with("Room in Lemvig for 6 months from 01-08-2026"),
            "{}",
            answer.explanation
        );
    }

    #[test]
    fn expected_kbu_doctors_take_the_room_first() {
        let mut data = lemvig();
        for i in 0..3 {
            data.trainees.push(kbu(&format!("K{i}"), "Lemvig", d(2026, 8, 1), d(2027, 1, 31)));
        }
        let answer = room_for(&data, &Area::Municipality("lemvig".into()), d(2026, 9, 1), 6);
        assert!(!answer.has_room, "{}", answer.explanation);
        assert_eq!(answer.expected_general, 3.0);
        assert!(answer.explanation.contains("3 KBU or general-medicine trainees are expected"));
        // Once placed they are capacity used, not demand: still no room.
        let k0 = data.trainees[0].clone();
        data.placements.push(placement(&k0, "A"));
        let answer = room_for(&data, &Area::Municipality("Lemvig".into()), d(2026, 9, 1), 6);
        assert_eq!((answer.free_slots, answer.expected_general), (2, 2.0));
        assert!(!answer.has_room);
        // After their period there is room again.
        let answer = room_for(&data, &Area::Municipality("Lemvig".into()), d(2027, 2, 1), 6);
        assert!(answer.has_room);
    }

    #[test]
    fn a_pause_or_a_full_practice_leaves_no_free_slot() {
        let mut data = lemvig();
        data.pauses.push(pause("A", d(2026, 10, 1), d(2026, 10, 31)));
        let k = kbu("K", "Lemvig", d(2026, 8, 1), d(2027, 1, 31));
        data.placements.push(placement(&k, "B"));
        data.trainees.push(k);
        let answer = room_for(&data, &Area::Municipality("Lemvig".into()), d(2026, 8, 1), 6);
        assert_eq!(answer.free_slots, 0);
        assert!(!answer.has_room);
    }

    #[test]
    fn a_phase_trainee_counts_with_the_areas_share_of_the_catchment() {
        let mut data = lemvig();
        data.trainees.push(course(
            "F",
            TraineeType::Phase1,
            "Regionshospitalet Gødstrup",
            d(2026, 8, 1),
            d(2027, 1, 31),
        ));
        let answer = room_for(&data, &Area::Municipality("Lemvig".into()), d(2026, 8, 1), 6);
        assert!((answer.expected_general - 0.75).abs() < 1e-9);
        let answer = room_for(&data, &Area::Catchment("Regionshospitalet Gødstrup".into()), d(2026, 8, 1), 6);
        assert_eq!(answer.expected_general, 1.0);
        assert_eq!(answer.free_slots, 4);
        assert!(answer.has_room);
    }

    #[test]
    fn an_unknown_area_has_no_room_and_says_why() {
        let answer = room_for(&lemvig(), &Area::Municipality("Odense".into()), d(2026, 8, 1), 6);
        assert!(!answer.has_room);
        assert_eq!(answer.explanation, "Odense is not a municipality of the region.");
    }
}
