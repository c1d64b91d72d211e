//! Reasons as data, and the one place they become text in the user's language.
//!
//! The rules (`rules.rs`) report a broken hard rule as a `Breach`: the rule and the figures that
//! broke it (names, municipalities, dates, counts). The score (`score.rs`) explains each principle
//! with a `Because`: the principle and its figures. A `Command` (the audit log's row) is worded
//! here too. `text(lang)` renders each in Danish or English; every text starts with its rule or
//! principle id, once (`H3: …`, `P1: …`), so a caller never adds it again.
//!
//! The English texts are the ones the command line and the JSON have always shown
//! (`Violation::message`, `ScorePart::reason`, the audit summary); the Danish ones are for the
//! desk and for `--lang da`.

use chrono::NaiveDate;

use super::command::Command;
use super::lang::{Lang, date};
use super::model::{Rule, Setting, TraineeType};
use super::region::District;

/// Why a placement breaks a hard rule (H1–H9), with the figures that show it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Breach {
    /// H1: the practice is the trainee's own GP.
    OwnGp { practice: String, trainee: String },
    /// H2: a family member works in the practice.
    Family { trainee: String, practice: String },
    /// H3: the KBU or intro trainee has no municipality.
    NoMunicipality { trainee: String },
    /// H3: the practice lies in another municipality than the chosen (KBU) or assigned (intro) one.
    OtherMunicipality { practice: String, municipality: String, trainee: String, assigned: bool, wanted: String },
    /// H4 or H5: the trainee has no hospital unit, so the catchment is unknown.
    NoHospitalUnit { rule: Rule, trainee: String },
    /// H5: the practice lies in another district than the course's anchor.
    OtherDistrict {
        practice: String,
        municipality: String,
        district: Option<District>,
        trainee: String,
        unit: String,
        unit_district: Option<District>,
    },
    /// H4 or H5: the practice lies outside the course's catchment.
    OutsideCatchment { rule: Rule, practice: String, municipality: String, unit: String, trainee: String },
    /// H6: another phase-3 doctor overlaps by more than allowed.
    Phase3Overlap { practice: String, from: NaiveDate, to: NaiveDate, overlap: i64, allowed: i64, large: bool },
    /// H7: the practice pauses.
    Paused { practice: String, from: NaiveDate, to: NaiveDate },
    /// H8: the practice is full on some day.
    Full { practice: String, capacity: u32, from: NaiveDate, to: NaiveDate, peak: u32 },
    /// H9: the period starts after it ends.
    StartsAfterEnd { from: NaiveDate, to: NaiveDate },
    /// H9: the period lies outside the trainee's own period.
    OutsideTraineePeriod { from: NaiveDate, to: NaiveDate, trainee: String, own_from: NaiveDate, own_to: NaiveDate },
    /// H9: the trainee already holds a placement.
    AlreadyPlaced { trainee: String, at: String, from: NaiveDate, to: NaiveDate },
    /// H9: a stored placement names a trainee who is not in the register.
    UnknownTrainee { id: String },
    /// H9: a stored placement names a practice that is not in the register.
    UnknownPractice { id: String },
    /// A round's proposal (trainee → practice) that breaks `inner` (issue 13: publish names each).
    Proposal { trainee: String, practice: String, inner: Box<Breach> },
}

/// A date in reasons: the Danish way in both languages (DD-MM-YYYY), as the program always has.
fn d(x: NaiveDate) -> String {
    date(x)
}

fn district(lang: Lang, x: Option<District>) -> &'static str {
    x.map_or("?", |x| lang.district(x))
}

impl Breach {
    /// The hard rule this breaks.
    pub fn rule(&self) -> Rule {
        match self {
            Breach::OwnGp { .. } => Rule::H1,
            Breach::Family { .. } => Rule::H2,
            Breach::NoMunicipality { .. } | Breach::OtherMunicipality { .. } => Rule::H3,
            Breach::NoHospitalUnit { rule, .. } | Breach::OutsideCatchment { rule, .. } => *rule,
            Breach::OtherDistrict { .. } => Rule::H5,
            Breach::Phase3Overlap { .. } => Rule::H6,
            Breach::Paused { .. } => Rule::H7,
            Breach::Full { .. } => Rule::H8,
            Breach::StartsAfterEnd { .. }
            | Breach::OutsideTraineePeriod { .. }
            | Breach::AlreadyPlaced { .. }
            | Breach::UnknownTrainee { .. }
            | Breach::UnknownPractice { .. } => Rule::H9,
            Breach::Proposal { inner, .. } => inner.rule(),
        }
    }

    /// The reason as a sentence in `lang`, starting with the rule id (once).
    pub fn text(&self, lang: Lang) -> String {
        if let Breach::Proposal { trainee, practice, inner } = self {
            let word = lang.t("forslaget", "the proposal");
            return format!("{word} {trainee} → {practice}: {}", inner.text(lang));
        }
        let da = lang == Lang::Danish;
        let id = self.rule().id();
        let body = match self {
            Breach::OwnGp { practice, trainee } => match lang {
                Lang::Danish => format!("{practice} er egen læge for {trainee}."),
                Lang::English => format!("{practice} is the own GP practice of {trainee}."),
            },
            Breach::Family { trainee, practice } => match lang {
                Lang::Danish => format!("et familiemedlem til {trainee} arbejder i {practice}."),
                Lang::English => format!("a family member of {trainee} works in {practice}."),
            },
            Breach::NoMunicipality { trainee } => match lang {
                Lang::Danish => format!("{trainee} har ingen kommune registreret, så ingen praksis kan kontrolleres."),
                Lang::English => format!("{trainee} has no municipality on record, so no practice can be checked."),
            },
            Breach::OtherMunicipality { practice, municipality, trainee, assigned, wanted } => match lang {
                Lang::Danish => {
                    let how = if *assigned { "fik tildelt" } else { "valgte" };
                    format!("{practice} ligger i {municipality}, men {trainee} {how} {wanted}.")
                }
                Lang::English => {
                    let how = if *assigned { "was assigned" } else { "chose" };
                    format!("{practice} lies in {municipality}, but {trainee} {how} {wanted}.")
                }
            },
            Breach::NoHospitalUnit { trainee, .. } => match lang {
                Lang::Danish => {
                    format!("{trainee} har ingen hospitalsenhed registreret, så forløbets optageområde er ukendt.")
                }
                Lang::English => {
                    format!("{trainee} has no hospital unit on record, so the course's catchment is unknown.")
                }
            },
            Breach::OtherDistrict { practice, municipality, district: pd, trainee, unit, unit_district: ud } => {
                let (pd, ud) = (district(lang, *pd), district(lang, *ud));
                match lang {
                    Lang::Danish => format!(
                        "{practice} ligger i {municipality} i distrikt {pd}, men forløbet for {trainee} er forankret på \
                         {unit} i distrikt {ud}."
                    ),
                    Lang::English => format!(
                        "{practice} lies in {municipality} in district {pd}, but the course of {trainee} is anchored \
                         at {unit} in district {ud}."
                    ),
                }
            }
            Breach::OutsideCatchment { practice, municipality, unit, trainee, .. } => match lang {
                Lang::Danish => format!(
                    "{practice} ligger i {municipality}, uden for optageområdet for {unit}, hvor forløbet for \
                     {trainee} er forankret."
                ),
                Lang::English => format!(
                    "{practice} lies in {municipality}, outside the catchment of {unit}, where the course of \
                     {trainee} is anchored."
                ),
            },
            Breach::Phase3Overlap { practice, from, to, overlap, allowed, large } => {
                let (from, to) = (d(*from), d(*to));
                match lang {
                    Lang::Danish => {
                        let note = if *large {
                            " Praksis er markeret som stor: tilsidesæt H6 med en begrundelse for at registrere en \
                             dispensation."
                        } else {
                            " Reglen kan tilsidesættes med en begrundelse; praksis er ikke markeret som stor, så det \
                             er ikke en dispensation."
                        };
                        format!(
                            "{practice} har allerede en fase 3-læge fra {from} til {to}; overlappet er {overlap} dage, \
                             mere end de tilladte {allowed}.{note}"
                        )
                    }
                    Lang::English => {
                        let note = if *large {
                            " The practice is marked large: override H6 with a reason to record a dispensation."
                        } else {
                            " It may be overridden with a reason; the practice is not marked large, so that is not \
                             a dispensation."
                        };
                        format!(
                            "{practice} already has a phase-3 doctor from {from} to {to}; the overlap is {overlap} \
                             days, more than the allowed {allowed}.{note}"
                        )
                    }
                }
            }
            Breach::Paused { practice, from, to } => {
                let (from, to) = (d(*from), d(*to));
                match lang {
                    Lang::Danish => {
                        format!("{practice} har bedt om pause fra {from} til {to} og modtager ingen i den periode.")
                    }
                    Lang::English => {
                        format!("{practice} asked for a pause from {from} to {to} and receives nobody in that period.")
                    }
                }
            }
            Breach::Full { practice, capacity, from, to, peak } => {
                let (from, to) = (d(*from), d(*to));
                match lang {
                    Lang::Danish => {
                        let noun = if *capacity == 1 { "uddannelseslæge" } else { "uddannelseslæger" };
                        format!(
                            "{practice} tager højst {capacity} {noun} ad gangen, og fra {from} til {to} har den \
                             allerede {peak}."
                        )
                    }
                    Lang::English => {
                        let noun = if *capacity == 1 { "trainee" } else { "trainees" };
                        format!(
                            "{practice} takes at most {capacity} {noun} at a time, and from {from} to {to} it already \
                             holds {peak}."
                        )
                    }
                }
            }
            Breach::StartsAfterEnd { from, to } => {
                let (from, to) = (d(*from), d(*to));
                if da {
                    format!("perioden starter {from}, efter den slutter {to}.")
                } else {
                    format!("the period starts {from} after it ends {to}.")
                }
            }
            Breach::OutsideTraineePeriod { from, to, trainee, own_from, own_to } => {
                let (from, to, own_from, own_to) = (d(*from), d(*to), d(*own_from), d(*own_to));
                if da {
                    format!("perioden {from} til {to} ligger uden for perioden for {trainee}, {own_from} til {own_to}.")
                } else {
                    format!("the period {from} to {to} lies outside the period of {trainee}, {own_from} to {own_to}.")
                }
            }
            Breach::AlreadyPlaced { trainee, at, from, to } => {
                let (from, to) = (d(*from), d(*to));
                if da {
                    format!("{trainee} har allerede en placering hos {at} fra {from} til {to}; fjern den først.")
                } else {
                    format!("{trainee} already holds a placement at {at} from {from} to {to}; unplace it first.")
                }
            }
            Breach::UnknownTrainee { id } => {
                if da {
                    format!("placeringen nævner uddannelseslæge '{id}', som ikke er i registret.")
                } else {
                    format!("the placement names trainee '{id}', who is not in the register.")
                }
            }
            Breach::UnknownPractice { id } => {
                if da {
                    format!("placeringen nævner praksis '{id}', som ikke er i registret.")
                } else {
                    format!("the placement names practice '{id}', which is not in the register.")
                }
            }
            Breach::Proposal { inner, .. } => return inner.text(lang),
        };
        format!("{id}: {body}")
    }
}

/// A principle's figures (T1, T2, P1–P7), as the score used them.
#[derive(Clone, Debug, PartialEq)]
pub enum Because {
    /// T1 or T2: the trainee has no earlier practice.
    NoHistory { principle: &'static str },
    /// T1: the last practice on record is not in the register.
    T1LastUnknown { id: String },
    /// T1: the last practice and its number of doctors, and this one's.
    T1 { last: String, last_doctors: u32, doctors: u32 },
    /// T2: how many earlier practices shared this one's setting and burden.
    T2 { same_setting: usize, earlier: usize, burdened: usize, setting: Setting, this_burdened: bool },
    /// P1: trainee-months per tutor over the lookback, and the region's median.
    P1 { months_per_tutor: f64, median: f64, years: u32 },
    /// P2: other specialties are outside the type mix.
    P2Outside,
    /// P2: no general-medicine trainee over the lookback.
    P2None { years: u32 },
    /// P2: the type's share of the practice's general-medicine months.
    P2 { kind: TraineeType, share_pct: f64, total_months: f64, years: u32, even_pct: f64 },
    /// P3: the practice wishes this type in a period.
    P3Wish { practice: String, kind: TraineeType, from: NaiveDate, to: NaiveDate },
    /// P3: no wish for this type in the period.
    P3NoWish { practice: String, kind: TraineeType },
    /// P3: the practice refuses this type.
    P3Refuses { practice: String, kind: TraineeType },
    /// P4: the tutor's quality, 1–5, if known.
    P4 { quality: Option<u8> },
    /// P5: the practice lies in a threatened area; `most` for phase 3 and intro.
    P5Threatened { practice: String, most: bool },
    /// P5: not a threatened area.
    P5NotThreatened { practice: String },
    /// P6: the longest run with at least as many trainees as tutors, in months.
    P6 { longest_months: f64, years: u32 },
    /// P7: outside the wished catchment.
    P7Outside { practice: String, municipality: String, unit: String },
    /// P7: the practice's municipality is not the region's.
    P7Unknown { municipality: String },
    /// P7: free slots and expected general trainees in the municipality over the period.
    P7Room { municipality: String, free: u32, from: NaiveDate, to: NaiveDate, expected: f64 },
}

fn since(lang: Lang, years: u32) -> String {
    match (lang, years) {
        (Lang::Danish, 1) => "det seneste år".to_string(),
        (Lang::Danish, n) => format!("de seneste {n} år"),
        (Lang::English, 1) => "over the last year".to_string(),
        (Lang::English, n) => format!("over the last {n} years"),
    }
}

fn organisation(lang: Lang, doctors: u32) -> String {
    match (lang, doctors <= 1) {
        (Lang::Danish, true) => "en solopraksis".to_string(),
        (Lang::Danish, false) => format!("en praksis med {doctors} læger"),
        (Lang::English, true) => "a solo practice".to_string(),
        (Lang::English, false) => format!("a practice with {doctors} doctors"),
    }
}

/// A figure with a decimal comma, as the score has always written it in both languages.
fn fig(x: f64, decimals: usize) -> String {
    format!("{x:.decimals$}").replace('.', ",")
}

impl Because {
    /// The principle: `T1`, `T2`, `P1` … `P7`.
    pub fn principle(&self) -> &'static str {
        match self {
            Because::NoHistory { principle } => principle,
            Because::T1LastUnknown { .. } | Because::T1 { .. } => "T1",
            Because::T2 { .. } => "T2",
            Because::P1 { .. } => "P1",
            Because::P2Outside | Because::P2None { .. } | Because::P2 { .. } => "P2",
            Because::P3Wish { .. } | Because::P3NoWish { .. } | Because::P3Refuses { .. } => "P3",
            Because::P4 { .. } => "P4",
            Because::P5Threatened { .. } | Because::P5NotThreatened { .. } => "P5",
            Because::P6 { .. } => "P6",
            Because::P7Outside { .. } | Because::P7Unknown { .. } | Because::P7Room { .. } => "P7",
        }
    }

    /// The reason as a sentence in `lang`, starting with the principle id (once).
    pub fn text(&self, lang: Lang) -> String {
        let da = lang == Lang::Danish;
        let kind = |k: TraineeType| if da { lang.kind(k) } else { k.english() };
        let body = match self {
            Because::NoHistory { .. } => {
                lang.t("ingen tidligere praksis registreret.", "no earlier practice on record.").to_string()
            }
            Because::T1LastUnknown { id } => {
                if da {
                    format!("den seneste registrerede praksis ({id}) er ikke i registret.")
                } else {
                    format!("the last practice on record ({id}) is not in the register.")
                }
            }
            Because::T1 { last, last_doctors, doctors } => {
                let (was, this) = (organisation(lang, *last_doctors), organisation(lang, *doctors));
                match ((*last_doctors <= 1) != (*doctors <= 1), da) {
                    (true, true) => format!("den seneste praksis, {last}, var {was}; denne er {this}."),
                    (true, false) => format!("the last practice, {last}, was {was}; this one is {this}."),
                    (false, true) => format!("den seneste praksis, {last}, var også {was}."),
                    (false, false) => format!("the last practice, {last}, was also {was}."),
                }
            }
            Because::T2 { same_setting, earlier: n, burdened, setting, this_burdened } => {
                if da {
                    let place = match setting {
                        Setting::Urban => "i by",
                        Setting::Rural => "på landet",
                    };
                    let this = if *this_burdened { "belastet" } else { "ikke belastet" };
                    format!(
                        "{same_setting} af {n} tidligere praksisser lå {place}, og {burdened} af {n} var belastede; \
                         denne ligger {place} og er {this}."
                    )
                } else {
                    let this = if *this_burdened { "burdened" } else { "not burdened" };
                    let key = setting.key();
                    format!(
                        "{same_setting} of {n} earlier practices were {key} and {burdened} of {n} burdened; this one \
                         is {key} and {this}."
                    )
                }
            }
            Because::P1 { months_per_tutor, median, years } => {
                let (m, med, since) = (fig(*months_per_tutor, 1), fig(*median, 1), since(lang, *years));
                if da {
                    format!("{m} uddannelsesmåneder pr. vejleder {since} (regionens median {med}).")
                } else {
                    format!("{m} trainee-months per tutor {since} (region median {med}).")
                }
            }
            Because::P2Outside => lang
                .t("andre specialer er uden for typefordelingen.", "other specialties are outside the type mix.")
                .to_string(),
            Because::P2None { years } => {
                let since = since(lang, *years);
                if da {
                    format!("ingen almenmedicinsk uddannelseslæge {since}; alle typer er velkomne.")
                } else {
                    format!("no general-medicine trainee {since}; every type is welcome.")
                }
            }
            Because::P2 { kind: k, share_pct, total_months, years, even_pct } => {
                let (share, total, even, since) =
                    (fig(*share_pct, 0), fig(*total_months, 1), fig(*even_pct, 0), since(lang, *years));
                if da {
                    format!(
                        "{} udgjorde {share} % af praksisens {total} almenmedicinske uddannelsesmåneder {since} (en \
                         jævn fordeling er {even} %).",
                        kind(*k)
                    )
                } else {
                    format!(
                        "{} made up {share} % of the practice's {total} general-medicine trainee-months {since} (an \
                         even mix is {even} %).",
                        kind(*k)
                    )
                }
            }
            Because::P3Wish { practice, kind: k, from, to } => {
                let (from, to) = (d(*from), d(*to));
                if da {
                    format!("{practice} ønsker en uddannelseslæge af typen {} fra {from} til {to}.", kind(*k))
                } else {
                    format!("{practice} wishes a {} trainee from {from} to {to}.", kind(*k))
                }
            }
            Because::P3NoWish { practice, kind: k } => {
                if da {
                    format!("{practice} har intet ønske om typen {} i perioden.", kind(*k))
                } else {
                    format!("{practice} has no wish for {} in the period.", kind(*k))
                }
            }
            Because::P3Refuses { practice, kind: k } => {
                if da {
                    format!("{practice} afviser uddannelseslæger af typen {} (markeret).", kind(*k))
                } else {
                    format!("{practice} refuses {} trainees (flagged).", kind(*k))
                }
            }
            Because::P4 { quality } => match (quality, da) {
                (Some(q), true) => format!("vejlederkvalitet {q} af 5."),
                (Some(q), false) => format!("tutor quality {q} of 5."),
                (None, true) => "vejlederkvalitet ukendt, regnet som 3 af 5.".to_string(),
                (None, false) => "tutor quality unknown, counted as 3 of 5.".to_string(),
            },
            Because::P5Threatened { practice, most } => {
                if da {
                    let why = if *most {
                        "en placering her hjælper rekrutteringen mest"
                    } else {
                        "en placering her hjælper rekrutteringen"
                    };
                    format!("{practice} ligger i et område truet af lægemangel; {why}.")
                } else {
                    let why = if *most {
                        "a placement here helps recruitment most"
                    } else {
                        "a placement here helps recruitment"
                    };
                    format!("{practice} lies in an area threatened by GP shortage; {why}.")
                }
            }
            Because::P5NotThreatened { practice } => {
                if da {
                    format!("{practice} ligger ikke i et truet område.")
                } else {
                    format!("{practice} does not lie in a threatened area.")
                }
            }
            Because::P6 { longest_months, years } => {
                let (m, since) = (fig(*longest_months, 1), since(lang, *years));
                if da {
                    format!(
                        "uddannelseslægerne var højst {m} måneder i træk mindst lige så mange som vejlederne, {since}."
                    )
                } else {
                    format!("trainees were at least as many as tutors for {m} months in a row at most, {since}.")
                }
            }
            Because::P7Outside { practice, municipality, unit } => {
                if da {
                    format!("{practice} ligger i {municipality}, uden for det ønskede optageområde for {unit}.")
                } else {
                    format!("{practice} lies in {municipality}, outside the wished catchment of {unit}.")
                }
            }
            Because::P7Unknown { municipality } => {
                if da {
                    format!("{municipality} er ikke en kommune i regionen.")
                } else {
                    format!("{municipality} is not a municipality of the region.")
                }
            }
            Because::P7Room { municipality, free, from, to, expected } => {
                let (from, to, expected) = (d(*from), d(*to), fig(*expected, 1));
                if da {
                    format!(
                        "{municipality} har {free} ledige pladser fra {from} til {to}, og der ventes {expected} KBU- \
                         eller almenmedicinske uddannelseslæger."
                    )
                } else {
                    format!(
                        "{municipality} has {free} free slots from {from} to {to}, and {expected} KBU or \
                         general-medicine trainees are expected there."
                    )
                }
            }
        };
        format!("{}: {body}", self.principle())
    }
}

/// A trainee's area (§3.3), named: a municipality, or a hospital unit's catchment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AreaName {
    Municipality(String),
    NoMunicipality,
    Catchment(String),
    Region,
    NoHospitalUnit,
}

impl AreaName {
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (AreaName::Municipality(m), _) => m.clone(),
            (AreaName::NoMunicipality, Lang::Danish) => "ingen kommune".into(),
            (AreaName::NoMunicipality, Lang::English) => "no municipality".into(),
            (AreaName::Catchment(u), Lang::Danish) => format!("optageområdet for {u}"),
            (AreaName::Catchment(u), Lang::English) => format!("the catchment of {u}"),
            (AreaName::Region, Lang::Danish) => "regionen".into(),
            (AreaName::Region, Lang::English) => "the region".into(),
            (AreaName::NoHospitalUnit, Lang::Danish) => "ingen hospitalsenhed".into(),
            (AreaName::NoHospitalUnit, Lang::English) => "no hospital unit".into(),
        }
    }
}

/// Why practices refuse a trainee, each counted once under its most telling rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Refusal {
    /// H8
    Full,
    /// H7
    Paused,
    /// H6
    Phase3,
    /// H1
    OwnGp,
    /// H2
    Family,
    /// H9
    OtherPlacement,
    Other,
}

/// Practices refusing a trainee, counted by `Refusal`, in the order coordinators read them
/// ("3 full, 1 paused").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Refusals(pub Vec<(Refusal, usize)>);

impl Refusals {
    pub fn text(&self, lang: Lang) -> String {
        if self.0.is_empty() {
            return lang.t("hver af dem kan stadig tage uddannelseslægen", "each could still take the trainee").into();
        }
        let word = |r: Refusal, n: usize| match (lang, r) {
            (Lang::Danish, Refusal::Full) => format!("{n} {}", if n == 1 { "fuld" } else { "fulde" }),
            (Lang::Danish, Refusal::Paused) => format!("{n} holder pause"),
            (Lang::Danish, Refusal::Phase3) => format!("{n} har allerede en fase 3-læge"),
            (Lang::Danish, Refusal::OwnGp) => format!("{n} er egen læge"),
            (Lang::Danish, Refusal::Family) => format!("{n} med familiebånd"),
            (Lang::Danish, Refusal::OtherPlacement) => {
                format!("{n} i konflikt med en anden placering af uddannelseslægen")
            }
            (Lang::Danish, Refusal::Other) => format!("{n} afvist af en anden regel"),
            (Lang::English, Refusal::Full) => format!("{n} full"),
            (Lang::English, Refusal::Paused) => format!("{n} paused"),
            (Lang::English, Refusal::Phase3) if n == 1 => "1 already has a phase-3 doctor".to_string(),
            (Lang::English, Refusal::Phase3) => format!("{n} already have a phase-3 doctor"),
            (Lang::English, Refusal::OwnGp) => format!("{n} own GP"),
            (Lang::English, Refusal::Family) => format!("{n} with family ties"),
            (Lang::English, Refusal::OtherPlacement) => {
                format!("{n} in conflict with another placement of the trainee")
            }
            (Lang::English, Refusal::Other) => format!("{n} refused by another rule"),
        };
        self.0.iter().map(|&(r, n)| word(r, n)).collect::<Vec<_>>().join(", ")
    }
}

/// What keeps an allowed practice from a trainee in a round: who fills it first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// The search stopped before it was proven full.
    Room { practice: String },
    /// H6: it takes another phase-3 doctor.
    Phase3 { practice: String, names: Vec<String> },
    /// H8: full from a day, with these trainees.
    Full { practice: String, from: NaiveDate, names: Vec<String> },
}

/// `A`, `A and B`, `A, B and C` (`og` in Danish).
fn and_list(items: &[String], lang: Lang) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {} {last}", rest.join(", "), lang.t("og", "and")),
    }
}

impl Block {
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (Block::Room { practice }, Lang::Danish) => format!("{practice} havde stadig plads, da søgningen stoppede"),
            (Block::Room { practice }, Lang::English) => format!("{practice} still had room when the search stopped"),
            (Block::Phase3 { practice, names }, Lang::Danish) => {
                format!("{practice} tager fase 3-lægen {} (H6)", and_list(names, lang))
            }
            (Block::Phase3 { practice, names }, Lang::English) => {
                format!("{practice} takes the phase-3 doctor {} (H6)", and_list(names, lang))
            }
            (Block::Full { practice, from, names }, Lang::Danish) => {
                format!("{practice} er fuld fra {} med {}", d(*from), and_list(names, lang))
            }
            (Block::Full { practice, from, names }, Lang::English) => {
                format!("{practice} is full from {} with {}", d(*from), and_list(names, lang))
            }
        }
    }
}

/// Why a round leaves a trainee unplaced, or offers fewer phase-3 options, with its figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unfit {
    /// H9
    StartsAfterEnd {
        from: NaiveDate,
        to: NaiveDate,
    },
    /// H3
    NoMunicipality,
    /// H3
    UnknownMunicipality {
        name: String,
    },
    NoHospitalUnit,
    UnknownHospitalUnit {
        name: String,
    },
    NoPractice {
        area: AreaName,
    },
    NonePasses {
        area: AreaName,
        from: NaiveDate,
        refusals: Refusals,
    },
    /// P7: an other-specialty trainee would displace a general-medicine one.
    Displaces {
        trainee: String,
        block: Block,
    },
    /// Every allowed practice is full on some day; `shown` of them named, `more` not.
    AllFull {
        area: AreaName,
        shown: Vec<Block>,
        more: usize,
        ruled_out: usize,
        refusals: Refusals,
    },
    /// The greedy baseline of the benchmark found nothing.
    Greedy,
    /// Fewer than three phase-3 options: `feasible` of `candidates` practices.
    FewPhase3 {
        id: String,
        feasible: usize,
        candidates: usize,
        area: AreaName,
        from: NaiveDate,
        refusals: Refusals,
    },
    /// No phase-3 option: no practice in the area.
    NoPhase3Practice {
        id: String,
        area: AreaName,
    },
}

impl Unfit {
    /// The reason in `lang`; in English the sentence the CLI and the JSON have always shown.
    pub fn text(&self, lang: Lang) -> String {
        let da = lang == Lang::Danish;
        match self {
            Unfit::StartsAfterEnd { from, to } => Breach::StartsAfterEnd { from: *from, to: *to }.text(lang),
            Unfit::NoMunicipality => lang.t("H3: ingen kommune registreret.", "H3: no municipality on record.").into(),
            Unfit::UnknownMunicipality { name } => {
                if da {
                    format!("H3: {name} er ikke en kommune i regionen.")
                } else {
                    format!("H3: {name} is not a municipality of the region.")
                }
            }
            Unfit::NoHospitalUnit => lang
                .t(
                    "ingen hospitalsenhed registreret, så optageområdet er ukendt.",
                    "no hospital unit on record, so the catchment is unknown.",
                )
                .into(),
            Unfit::UnknownHospitalUnit { name } => {
                if da {
                    format!("{name} er ikke en hospitalsenhed i regionen.")
                } else {
                    format!("{name} is not a hospital unit of the region.")
                }
            }
            Unfit::NoPractice { area } => {
                let area = area.text(lang);
                if da {
                    format!("ingen vejlederpraksis ligger i {area}.")
                } else {
                    format!("no tutor practice lies in {area}.")
                }
            }
            Unfit::NonePasses { area, from, refusals } => {
                let (area, from, refusals) = (area.text(lang), d(*from), refusals.text(lang));
                if da {
                    format!("ingen praksis i {area} opfylder de hårde regler fra {from}: {refusals}.")
                } else {
                    format!("no practice in {area} passes the hard rules from {from}: {refusals}.")
                }
            }
            Unfit::Displaces { trainee, block } => {
                let block = block.text(lang);
                if da {
                    format!(
                        "at placere {trainee} ville fortrænge en KBU- eller almenmedicinsk uddannelseslæge, som går \
                         forud (P7): {block}."
                    )
                } else {
                    format!(
                        "placing {trainee} would displace a KBU or general-medicine trainee, who come first (P7): \
                         {block}."
                    )
                }
            }
            Unfit::AllFull { area, shown, more, ruled_out, refusals } => {
                let area = area.text(lang);
                let blocks = shown.iter().map(|b| b.text(lang)).collect::<Vec<_>>().join("; ");
                let mut text = if da {
                    format!("alle praksisser i {area}, som reglerne tillader, er fulde på en dag i perioden: {blocks}")
                } else {
                    format!("every practice in {area} that the rules allow is full on a day of the period: {blocks}")
                };
                if *more > 0 {
                    text.push_str(&if da { format!("; og {more} mere") } else { format!("; and {more} more") });
                }
                if *ruled_out == 0 {
                    text.push('.');
                } else {
                    let refusals = refusals.text(lang);
                    text.push_str(&match lang {
                        Lang::Danish => format!(". De øvrige {ruled_out} i {area} er udelukket: {refusals}."),
                        Lang::English => format!(
                            ". The other {ruled_out} in {area} {} ruled out: {refusals}.",
                            if *ruled_out == 1 { "is" } else { "are" }
                        ),
                    });
                }
                text
            }
            Unfit::Greedy => {
                lang.t("grundlinjen (grådig) fandt ingen praksis", "the greedy baseline found no practice").into()
            }
            Unfit::FewPhase3 { id, feasible, candidates, area, from, refusals } => {
                let (area, from, refusals) = (area.text(lang), d(*from), refusals.text(lang));
                if da {
                    format!(
                        "{id}: kun {feasible} af de {candidates} praksisser i {area} kan tage en fase 3-læge fra \
                         {from}; {refusals}."
                    )
                } else {
                    format!(
                        "{id}: only {feasible} of the {candidates} practices in {area} can take a phase-3 trainee \
                         from {from}; {refusals}."
                    )
                }
            }
            Unfit::NoPhase3Practice { id, area } => {
                let area = area.text(lang);
                if da {
                    format!("{id}: ingen vejlederpraksis ligger i {area}.")
                } else {
                    format!("{id}: no tutor practice lies in {area}.")
                }
            }
        }
    }
}

/// The rules' ids joined: `H3, H8`.
fn rule_ids(rules: &[Rule]) -> String {
    rules.iter().map(|r| r.id()).collect::<Vec<_>>().join(", ")
}

/// A command as the status bar and the Log show it, in `lang`, with dates the Danish way. `None`
/// for a command this version does not word (the caller then shows the stored summary).
pub fn command_text(cmd: &Command, lang: Lang) -> Option<String> {
    let da = lang == Lang::Danish;
    let pause_word = |wish: Option<TraineeType>| match (wish, da) {
        (Some(k), true) => format!("et ønske om {}", lang.kind(k)),
        (Some(k), false) => format!("a wish for {}", k.english()),
        (None, true) => "en pause".to_string(),
        (None, false) => "a pause".to_string(),
    };
    let text = match cmd {
        Command::Place { placement: p } => {
            let (t, at, from, to) = (&p.trainee_id, &p.practice_id, d(p.start), d(p.end));
            let mut s = if da {
                format!("placér {t} hos {at} fra {from} til {to}")
            } else {
                format!("place {t} at {at} from {from} to {to}")
            };
            if !p.overrides.is_empty() {
                let rules = rule_ids(&p.overrides);
                s.push_str(&if da { format!(" og tilsidesæt {rules}") } else { format!(" overriding {rules}") });
            }
            s
        }
        Command::Unplace { placement: p, .. } => {
            if da {
                format!("fjern {} fra {}", p.trainee_id, p.practice_id)
            } else {
                format!("unplace {} from {}", p.trainee_id, p.practice_id)
            }
        }
        Command::SetPinned { placement, pinned } => {
            let verb = match (pinned, da) {
                (true, true) => "fastlås",
                (false, true) => "frigiv",
                (true, false) => "pin",
                (false, false) => "unpin",
            };
            format!("{verb} {}", placement.trainee_id)
        }
        Command::AcceptRound { placements } => {
            let n = placements.len();
            if da {
                format!("acceptér en runde med {n} placeringer")
            } else {
                format!("accept a round of {n} placements")
            }
        }
        Command::RemovePlacements { placements } => {
            let n = placements.len();
            if da { format!("fjern {n} placeringer") } else { format!("remove {n} placements") }
        }
        Command::EditPractice { after, .. } => {
            if da {
                format!("ret praksis {}", after.id)
            } else {
                format!("edit practice {}", after.id)
            }
        }
        Command::EditTrainee { after, .. } => {
            if da {
                format!("ret uddannelseslæge {}", after.id)
            } else {
                format!("edit trainee {}", after.id)
            }
        }
        Command::AddTrainee { trainee } => {
            if da {
                format!("opret uddannelseslæge {} ({})", trainee.id, lang.kind(trainee.kind))
            } else {
                format!("add trainee {} ({})", trainee.id, trainee.kind.english())
            }
        }
        Command::RemoveTrainee { trainee } => {
            if da {
                format!("slet uddannelseslæge {}", trainee.id)
            } else {
                format!("remove trainee {}", trainee.id)
            }
        }
        Command::AddPause { pause } => {
            let what = pause_word(pause.wish_type);
            if da {
                format!("tilføj {what} for {}", pause.practice_id)
            } else {
                format!("add {what} for {}", pause.practice_id)
            }
        }
        Command::RemovePause { pause } => {
            let what = pause_word(pause.wish_type);
            if da {
                format!("fjern {what} for {}", pause.practice_id)
            } else {
                format!("remove {what} for {}", pause.practice_id)
            }
        }
        Command::SetThreatened { municipality, after, .. } => match (after, da) {
            (true, true) => format!("markér {municipality} som truet"),
            (false, true) => format!("markér {municipality} som ikke truet"),
            (true, false) => format!("mark {municipality} as threatened"),
            (false, false) => format!("mark {municipality} as not threatened"),
        },
        Command::SetSettings { .. } => lang.t("ret indstillinger", "change settings").to_string(),
        Command::Import { rows, .. } => {
            let counts = [
                (rows.practices.len(), "praksisser", "practices"),
                (rows.trainees.len(), "uddannelseslæger", "trainees"),
                (rows.placements.len(), "placeringer", "placements"),
                (rows.pauses.len(), "pauser og ønsker", "pauses and wishes"),
            ];
            let parts: Vec<String> = counts
                .iter()
                .filter(|(n, ..)| *n > 0)
                .map(|(n, da_word, en_word)| format!("{n} {}", if da { da_word } else { en_word }))
                .collect();
            let parts =
                if parts.is_empty() { lang.t("ingen rækker", "no rows").to_string() } else { parts.join(", ") };
            format!("{}: {parts}", lang.t("import", "import"))
        }
        Command::Boundaries { after, .. } => {
            let n = after.len();
            if da { format!("importér {n} kommunegrænser") } else { format!("import {n} boundary rings") }
        }
        Command::EditPlacement { before, after } => {
            let (t, at) = (&after.trainee_id, &after.practice_id);
            let (from, to, was_from, was_to) = (d(after.start), d(after.end), d(before.start), d(before.end));
            let mut s = if da {
                format!("nye datoer for {t} hos {at}: {from} til {to} (før {was_from} til {was_to})")
            } else {
                format!("change the dates of {t} at {at} to {from} to {to} (were {was_from} to {was_to})")
            };
            let new: Vec<Rule> = after.overrides.iter().filter(|r| !before.overrides.contains(r)).copied().collect();
            if !new.is_empty() {
                let rules = rule_ids(&new);
                s.push_str(&if da { format!(" og tilsidesæt {rules}") } else { format!(" overriding {rules}") });
            }
            s
        }
        Command::SaveRound { before, after } => {
            let n = |r: &crate::domain::round::Round| r.proposals.len();
            match (before, after, da) {
                (None, Some(a), true) => format!("ny runde {} ({} forslag)", a.name, n(a)),
                (None, Some(a), false) => format!("new round {} ({} proposals)", a.name, n(a)),
                (Some(b), None, true) => format!("slet runde {}", b.name),
                (Some(b), None, false) => format!("drop round {}", b.name),
                (Some(_), Some(a), true) => format!("ret runde {} ({} forslag)", a.name, n(a)),
                (Some(_), Some(a), false) => format!("change round {} ({} proposals)", a.name, n(a)),
                (None, None, _) => lang.t("runde", "round").to_string(),
            }
        }
        Command::PublishRound { round } => {
            let n = round.proposals.len();
            if da {
                format!("udgiv runde {}: placér {n} uddannelseslæger", round.name)
            } else {
                format!("publish round {}: place {n} trainees", round.name)
            }
        }
        Command::UnpublishRound { round } => {
            let n = round.proposals.len();
            if da {
                format!("tag runde {} tilbage: fjern {n} placeringer", round.name)
            } else {
                format!("take back round {}: remove {n} placements", round.name)
            }
        }
    };
    Some(text)
}

/// An audit row as the status bar and the Log show it: its stored command worded in `lang`
/// (an undo is worded as what it took back), else the stored `summary` (old rows, seeds).
pub fn audit_text(action: &str, summary: &str, command: Option<&Command>, lang: Lang) -> String {
    let Some(cmd) = command else { return stored_summary(summary, lang) };
    let worded = match action {
        "undo" => command_text(&cmd.inverse(), lang).map(|s| format!("{}: {s}", lang.t("fortryd", "undo"))),
        "redo" => command_text(cmd, lang).map(|s| format!("{}: {s}", lang.t("gentag", "redo"))),
        _ => command_text(cmd, lang),
    };
    match worded {
        Some(mut s) => {
            if summary.contains("(H6 dispensation") {
                s.push_str(lang.t(" (H6-dispensation: stor praksis)", " (H6 dispensation: large practice)"));
            }
            s
        }
        None => stored_summary(summary, lang),
    }
}

/// An audit row with no command (the file's creation, the demo seed, a refused undo), in
/// `lang`: the stored English summary's known forms, else as stored.
fn stored_summary(summary: &str, lang: Lang) -> String {
    if lang == Lang::English {
        return summary.to_string();
    }
    let known = |prefix: &str, danish: &str| summary.strip_prefix(prefix).map(|rest| format!("{danish}{rest}"));
    if summary == "demo region" {
        return "demoregion".to_string();
    }
    known("new database for ", "ny database for ")
        .or_else(|| known("could not undo ", "kunne ikke fortryde "))
        .or_else(|| known("could not redo ", "kunne ikke gentage "))
        .map(|s| s.replace("; it stays in force", "; den gælder stadig"))
        .or_else(|| {
            // "import 3 practices, 2 trainees, 1 placements, 0 pauses"
            let rest = summary.strip_prefix("import ")?;
            let n: Vec<&str> = rest.split(", ").filter_map(|p| p.split(' ').next()).collect();
            let update = if rest.ends_with(" (update)") { " (opdatering)" } else { "" };
            match n.as_slice() {
                [a, b, c, d] => Some(format!(
                    "import: {a} praksisser, {b} uddannelseslæger, {c} placeringer, {d} pauser og ønsker{update}"
                )),
                _ => None,
            }
        })
        .unwrap_or_else(|| summary.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_old_row_without_a_command_is_worded_from_its_stored_summary() {
        let da = |s: &str| audit_text("create", s, None, Lang::Danish);
        assert_eq!(da("new database for Region Midtjylland"), "ny database for Region Midtjylland");
        assert_eq!(
            da("import 3 practices, 2 trainees, 1 placements, 0 pauses"),
            "import: 3 praksisser, 2 uddannelseslæger, 1 placeringer, 0 pauser og ønsker"
        );
        assert_eq!(da("demo region"), "demoregion");
        assert_eq!(da("something from a newer version"), "something from a newer version");
        assert_eq!(audit_text("create", "new database for X", None, Lang::English), "new database for X");
    }

    #[test]
    fn an_undo_row_is_worded_as_what_it_took_back() {
        let p = super::super::model::Placement {
            trainee_id: "T1".into(),
            practice_id: "P1".into(),
            start: NaiveDate::from_ymd_opt(2027, 2, 1).expect("date"),
            end: NaiveDate::from_ymd_opt(2027, 7, 31).expect("date"),
            pinned: false,
            overrides: vec![Rule::H3],
            reason: Some("aftalt".into()),
        };
        let place = Command::Place { placement: p };
        // The undo row stores the command it applied: the inverse of the placement.
        let undo = place.inverse();
        assert_eq!(
            audit_text("undo", "undo: place T1 at P1", Some(&undo), Lang::Danish),
            "fortryd: placér T1 hos P1 fra 01-02-2027 til 31-07-2027 og tilsidesæt H3"
        );
        assert_eq!(
            audit_text("place", "x (H6 dispensation: large practice)", Some(&place), Lang::English),
            "place T1 at P1 from 01-02-2027 to 31-07-2027 overriding H3 (H6 dispensation: large practice)"
        );
    }
}
