//! `settings show` as text.

use std::fmt::Write as _;

use crate::domain::money::Money;
use crate::ops::settings::Shown;

/// Hundredths of a percent as "19,36 %".
fn pct(bp: i64) -> String {
    let m = Money(bp);
    format!("{},{:02} %", m.ore() / 100, m.ore() % 100)
}

/// A row's source on its own indented line, or nothing when none was given.
fn source(text: &str) -> String {
    if text.trim().is_empty() { String::new() } else { format!("\n                    source: {text}") }
}

pub fn write_text(shown: &Shown) -> Result<(), crate::cli::Failure> {
    let s = &shown.settings;
    let mut out = String::new();
    let _ = writeln!(out, "h6.overlap_days     {}", s.phase3_overlap_days);
    let _ = writeln!(out, "capacity_per_tutor  {}", s.capacity_per_tutor);
    let _ = writeln!(out, "lookback_years      {}", s.lookback_years);
    let _ = writeln!(out, "idle_months         {}", s.idle_months);
    let _ = writeln!(out, "p6.window_months    {}", s.p6_window_months);
    let _ = writeln!(out, "p6.min_days_percent {}", s.p6_min_days_percent);
    let _ = writeln!(out, "p6.min_trainees_per_doctor {}", s.p6_min_trainees_per_doctor);
    for p in &s.pension {
        let _ = writeln!(out, "pension             {} from {}{}", pct(p.basis_points), p.valid_from, source(&p.source));
    }
    for h in &s.honorarium {
        let _ = writeln!(out, "honorarium          {} from {}", h.value, h.valid_from);
    }
    for r in &s.share_rates {
        let _ = writeln!(out, "share.{:<13} {} from {}", r.kind.key(), pct(r.practice_basis_points), r.valid_from);
    }
    for st in &s.salary_scale {
        let _ = writeln!(out, "salary.{:<12} {} from {}{}", st.step, st.monthly, st.valid_from, source(&st.source));
    }
    let w = &s.weights;
    for (k, v) in [
        ("t1", w.t1_organisation_variety),
        ("t2", w.t2_patient_variety),
        ("p1", w.p1_load_per_tutor),
        ("p2", w.p2_type_mix),
        ("p3", w.p3_wishes),
        ("p4", w.p4_tutor_quality),
        ("p5", w.p5_threatened_area),
        ("p6", w.p6_dependency),
        ("p7", w.p7_room_for_general),
    ] {
        let _ = writeln!(out, "weight.{k:<12} {v}");
    }
    let _ = writeln!(out, "threatened          {}", shown.threatened_municipalities.join(", "));
    crate::store::outfile::print_out(&out)?;
    Ok(())
}
