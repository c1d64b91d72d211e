//! The headless surface of CONTRACT.md: one binary, subcommands, exit codes 0/1/2/3.
//!
//! Results go to stdout, messages to stderr. Every write goes through `Store::execute`, the
//! same path the GUI uses.

mod copy;
mod engine;
mod money;
mod rounds;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

use crate::domain::command::CommandError;
use crate::domain::dates::{Period, YearMonth, parse_date};
use crate::domain::model::{Rule, Setting, TraineeType};
use crate::domain::money::Money;
use crate::ops;
use crate::report::format::Lang;
use crate::store::csv::{CsvError, ImportFiles, export_all};
use crate::store::outfile::print_out;
use crate::store::{LogFilter, Store, StoreError, Who};

/// Exit codes of CONTRACT.md.
pub const EXIT_OK: i32 = 0;
pub const EXIT_UNEXPECTED: i32 = 1;
pub const EXIT_BAD_INPUT: i32 = 2;
pub const EXIT_REFUSED: i32 = 3;
pub const EXIT_CONFLICT: i32 = 4;
/// A PostgreSQL server refused the write: the login's role may not make it.
pub const EXIT_DENIED: i32 = 5;

/// Why a command failed, with the exit code it maps to.
#[derive(Debug)]
pub enum Failure {
    /// Exit 2: arguments, a file, a CSV row.
    BadInput(String),
    /// Exit 3: a hard rule.
    Refused(String),
    /// Exit 4: the data changed since it was read.
    Conflict(String),
    /// Exit 5: the server refused the write (the login's role).
    Denied(String),
    /// Exit 1.
    Unexpected(anyhow::Error),
}

impl Failure {
    pub fn code(&self) -> i32 {
        match self {
            Failure::BadInput(_) => EXIT_BAD_INPUT,
            Failure::Refused(_) => EXIT_REFUSED,
            Failure::Conflict(_) => EXIT_CONFLICT,
            Failure::Denied(_) => EXIT_DENIED,
            Failure::Unexpected(_) => EXIT_UNEXPECTED,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::BadInput(m) | Failure::Refused(m) | Failure::Conflict(m) | Failure::Denied(m) => f.write_str(m),
            Failure::Unexpected(e) => write!(f, "{e:#}"),
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        match e {
            StoreError::Exists(_)
            | StoreError::Missing(_)
            | StoreError::NotOurs(_)
            | StoreError::TooNew { .. }
            | StoreError::Damaged { .. }
            | StoreError::HeldBy { .. }
            | StoreError::ReadOnly(_)
            | StoreError::NotEmpty(_)
            | StoreError::NotOnServer(_) => Failure::BadInput(e.to_string()),
            StoreError::Denied(_) => Failure::Denied(e.to_string()),
            StoreError::Command(CommandError::Refused(v)) => {
                Failure::Refused(crate::report::reasons::violation_lines(&v, lang()))
            }
            StoreError::Command(CommandError::Invalid(_)) | StoreError::Undo(_) => Failure::BadInput(e.to_string()),
            StoreError::Conflict(_) => Failure::Conflict(e.to_string()),
            other => Failure::Unexpected(other.into()),
        }
    }
}

impl From<ops::OpError> for Failure {
    fn from(e: ops::OpError) -> Failure {
        match e {
            ops::OpError::Input(m) => Failure::BadInput(m),
            ops::OpError::Csv(c) => Failure::from(c),
            ops::OpError::Store(s) => Failure::from(s),
            ops::OpError::Output(m) => Failure::Unexpected(anyhow::anyhow!(m)),
        }
    }
}

impl From<CsvError> for Failure {
    fn from(e: CsvError) -> Failure {
        Failure::BadInput(e.to_string())
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure::Unexpected(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Failure {
        Failure::Unexpected(e.into())
    }
}

pub type CliResult = Result<(), Failure>;

#[derive(Parser, Debug)]
#[command(
    name = "tutorfordeling",
    version,
    about = "Place trainee doctors in tutor practices (Region Midtjylland).",
    long_about = "Place trainee doctors in tutor practices (Region Midtjylland).\n\n\
        With no command, the desktop program opens. Every capability of the desktop is also a command \
        here, for scripts and batch work. Exit codes: 0 done, 1 unexpected error, 2 bad input \
        (FILE:LINE:COLUMN: reason), 3 refused by a hard rule (H1-H9), 4 the data changed since it was read \
        (nothing was written), 5 the server refused the write (your login's role). --db takes a file or a \
        postgresql:// URL."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Cmd>,
    /// The language of text messages and reasons: da or en. Default: Danish when LC_ALL,
    /// LC_MESSAGES or LANG names a Danish locale (da_DK…), else English. JSON keys, CSV and exit
    /// codes are the same in both.
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
}

/// `--lang`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    Da,
    En,
}

static LANG: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

/// The language `--lang` asks for, else the one the locale variables ask for.
pub fn choose_lang(arg: Option<LangArg>) -> Lang {
    match arg {
        Some(LangArg::Da) => Lang::Danish,
        Some(LangArg::En) => Lang::English,
        None => {
            let var = |k: &str| std::env::var(k).ok();
            Lang::from_env_values(var("LC_ALL").as_deref(), var("LC_MESSAGES").as_deref(), var("LANG").as_deref())
        }
    }
}

/// Sets the language of this run's messages (once, from `main`).
pub fn set_lang(lang: Lang) {
    let _ = LANG.set(lang);
}

/// The language of this run's messages: as set by `main`, else from the locale.
pub fn lang() -> Lang {
    *LANG.get_or_init(|| choose_lang(None))
}

/// Output formats of the engine commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Csv,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Open the desktop program on FILE (the default with no command).
    Gui {
        /// The region database; default: the last one used, or the demo region in your data folder.
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Create a new database holding only the region's master data (districts, municipalities, hospital units).
    New {
        /// The file to create; refused if it exists.
        #[arg(long)]
        db: PathBuf,
    },
    /// Create a deterministic demo region with invented people: the same seed gives the same data.
    Demo {
        #[arg(long)]
        db: PathBuf,
        /// Random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Tutor practices.
        #[arg(long, default_value_t = 400)]
        practices: usize,
        /// Open (unplaced) trainees for the coming round; default scales with the practices.
        #[arg(long)]
        trainees: Option<usize>,
        /// Years of placement history.
        #[arg(long, default_value_t = 5)]
        years: u32,
    },
    /// Import CSV files, all or nothing (see CONTRACT.md for the columns).
    Import {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        practices: Option<PathBuf>,
        #[arg(long)]
        trainees: Option<PathBuf>,
        #[arg(long)]
        placements: Option<PathBuf>,
        #[arg(long)]
        pauses: Option<PathBuf>,
        /// Replace rows whose id already exists instead of refusing them.
        #[arg(long)]
        update: bool,
    },
    /// Import municipality boundaries for the map from a GeoJSON file (features with `lau_1`).
    Boundaries {
        #[arg(long)]
        db: PathBuf,
        /// e.g. ../shared/data/municipalities.geojson (Geodatastyrelsen & Danske Kommuner)
        #[arg(long)]
        geojson: PathBuf,
    },
    /// Copy a whole region between a file and a PostgreSQL server, either way, all or nothing.
    Copy(copy::CopyArgs),
    /// Export practices.csv, trainees.csv, placements.csv and pauses.csv (';', UTF-8 with BOM).
    Export {
        #[arg(long)]
        db: PathBuf,
        /// Folder to write into (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
    /// Place one trainee in a practice, checked against every hard rule H1-H9.
    Place {
        #[arg(long)]
        db: PathBuf,
        trainee_id: String,
        practice_id: String,
        /// First day (YYYY-MM-DD); default: the trainee's start.
        #[arg(long)]
        from: Option<String>,
        /// Last day (YYYY-MM-DD); default: the trainee's end.
        #[arg(long)]
        to: Option<String>,
        /// Knowingly override a rule (any but H9); repeat for several. Needs --reason.
        #[arg(long = "override", value_name = "RULE")]
        overrides: Vec<String>,
        /// Why the override is right; stored in the audit log with your user name.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Remove a trainee's practice placement.
    Unplace {
        #[arg(long)]
        db: PathBuf,
        trainee_id: String,
        /// Why it is removed; stored in the audit log with your user name.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Give a trainee's placement new dates, checked against every hard rule like a new one.
    Reschedule {
        #[arg(long)]
        db: PathBuf,
        trainee_id: String,
        /// New first day (YYYY-MM-DD); default: the placement's.
        #[arg(long)]
        from: Option<String>,
        /// New last day (YYYY-MM-DD); default: the placement's.
        #[arg(long)]
        to: Option<String>,
        /// Knowingly override a rule the new dates break (any but H9); repeat for several. Needs
        /// --reason.
        #[arg(long = "override", value_name = "RULE")]
        overrides: Vec<String>,
        /// Why the override is right; stored in the audit log with your user name.
        #[arg(long)]
        reason: Option<String>,
    },
    /// List every hard-rule violation among stored placements (exit 3 when any exists).
    Check {
        #[arg(long)]
        db: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Propose an optimal round of placements for unplaced trainees.
    Suggest {
        #[arg(long)]
        db: PathBuf,
        /// Only trainees of this type (kbu, intro, phase1, phase2, phase3, other).
        #[arg(long = "type")]
        kind: Option<String>,
        /// Only trainees of this hospital unit's area; repeat for several (DOMAIN.md 3.3).
        #[arg(long = "hospital-unit", value_name = "NAME")]
        hospital_units: Vec<String>,
        /// Store the proposals.
        #[arg(long)]
        apply: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also write the round as a mixed-integer program in free MPS, for any MIP solver.
        #[arg(long = "write-model", value_name = "FILE.mps")]
        write_model: Option<PathBuf>,
    },
    /// Every practice of the region ranked for one trainee: feasible ones by score, then the
    /// others with the rules they break.
    Candidates {
        #[arg(long)]
        db: PathBuf,
        trainee_id: String,
        /// Refuse unless the trainee belongs to this hospital unit's area; repeatable.
        #[arg(long = "hospital-unit", value_name = "NAME")]
        hospital_units: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The 3 practices proposed to a phase-3 trainee, best first.
    #[command(name = "phase3-options")]
    Phase3Options {
        #[arg(long)]
        db: PathBuf,
        trainee_id: String,
        /// Also judge a preliminary agreement the trainee brings with this practice (DOMAIN.md 3.1).
        #[arg(long)]
        agreement: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Serial dictatorship over the committee's ranked list of intro applicants.
    #[command(name = "intro-round")]
    IntroRound {
        #[arg(long)]
        db: PathBuf,
        /// CSV with rank, trainee_id, priorities (practice ids best first, '|'-separated).
        #[arg(long)]
        ranking: PathBuf,
        /// A declined offer, as TRAINEE:PRACTICE; repeat for several.
        #[arg(long)]
        decline: Vec<String>,
        /// The day offers are sent (YYYY-MM-DD); the deadline is 5 working days later. Default: today.
        #[arg(long)]
        offered_on: Option<String>,
        #[arg(long)]
        apply: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Is there room for an N-month placement from DATE in an area? (rule P7)
    Room {
        #[arg(long)]
        db: PathBuf,
        /// A municipality or a hospital unit.
        #[arg(long)]
        area: String,
        #[arg(long)]
        from: String,
        #[arg(long, default_value_t = 6)]
        months: u32,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The fairness review for DYNAMU over a period of months.
    Fairness {
        #[arg(long)]
        db: PathBuf,
        /// First month, YYYY-MM.
        #[arg(long)]
        from: String,
        /// Last month, YYYY-MM.
        #[arg(long)]
        to: String,
        /// text (the default) or json. With --pdf and no --format, only the PDF is written.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Also write the review as a printable PDF report (Danish) to FILE.
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
    },
    /// The salary co-financing split, exact to the øre.
    Finance {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        practice: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// One PDF statement per practice with activity in the period, named <practice id>.pdf.
    Statements {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        practice: Option<String>,
    },
    /// Undo your newest change still in force (also after a restart), checked like any write.
    Undo {
        #[arg(long)]
        db: PathBuf,
        /// Undo the newest change of anyone, not only yours.
        #[arg(long)]
        all_users: bool,
    },
    /// Redo your change undone last.
    Redo {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        all_users: bool,
    },
    /// The audit log: who changed what, when and why, newest first.
    Log {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        trainee: Option<String>,
        #[arg(long)]
        practice: Option<String>,
        /// An OS account name.
        #[arg(long)]
        user: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// csv: every entry as a spreadsheet, e.g. for a data-subject request about one trainee.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Change a practice's fields.
    Practice {
        #[command(subcommand)]
        action: PracticeCmd,
    },
    /// Change a trainee's fields.
    Trainee {
        #[command(subcommand)]
        action: TraineeCmd,
    },
    /// Add or remove a practice's pause (H7) or wish (P3).
    Pause {
        #[command(subcommand)]
        action: PauseCmd,
    },
    /// Fix a placement so suggested rounds keep it.
    Pin {
        #[arg(long)]
        db: PathBuf,
        trainee_id: String,
    },
    /// Release a pinned placement.
    Unpin {
        #[arg(long)]
        db: PathBuf,
        trainee_id: String,
    },
    /// Show or change the dated settings (shares, honorarium, salary scale, weights, ...).
    Settings {
        #[command(subcommand)]
        action: SettingsCmd,
    },
    /// Rounds as drafts: new, list, show, drop, compare, publish, and what changed since publishing.
    Round {
        #[command(subcommand)]
        action: rounds::RoundCmd,
    },
    /// One letter (PDF, Danish) per placed trainee of a round, named <trainee id>.pdf.
    Letters {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        round: String,
        /// The folder to write into.
        #[arg(long)]
        out: PathBuf,
    },
    /// One notice (PDF, Danish) per practice receiving trainees in a round, named <practice id>.pdf.
    Notices {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        round: String,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum PracticeCmd {
    /// Change the fields given; the others stay.
    Set {
        #[arg(long)]
        db: PathBuf,
        id: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        address: Option<String>,
        #[arg(long)]
        tutors: Option<u32>,
        #[arg(long)]
        doctors: Option<u32>,
        #[arg(long)]
        capacity: Option<u32>,
        /// urban or rural
        #[arg(long)]
        setting: Option<String>,
        #[arg(long)]
        burdened: Option<String>,
        #[arg(long)]
        large: Option<String>,
        #[arg(long)]
        threatened: Option<String>,
        /// Types the practice refuses, '|'-separated (empty for none).
        #[arg(long)]
        refuses: Option<String>,
        /// Tutor quality 1-5.
        #[arg(long)]
        quality: Option<u8>,
    },
}

#[derive(Subcommand, Debug)]
pub enum TraineeCmd {
    /// Change the fields given; the others stay. An empty value clears an optional field.
    Set {
        #[arg(long)]
        db: PathBuf,
        id: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        start: Option<String>,
        #[arg(long)]
        end: Option<String>,
        #[arg(long)]
        municipality: Option<String>,
        #[arg(long)]
        hospital_unit: Option<String>,
        #[arg(long)]
        own_gp: Option<String>,
        /// Practice ids, '|'-separated.
        #[arg(long)]
        family_practices: Option<String>,
        /// DKK for a whole month.
        #[arg(long)]
        monthly_salary: Option<String>,
        #[arg(long)]
        seniority_step: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum PauseCmd {
    /// A pause (H7: no trainees), or with --wish-type a wish for that type (P3).
    Add {
        #[arg(long)]
        db: PathBuf,
        practice_id: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        wish_type: Option<String>,
    },
    /// Remove the pause or wish that starts on --from.
    Remove {
        #[arg(long)]
        db: PathBuf,
        practice_id: String,
        #[arg(long)]
        from: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum SettingsCmd {
    Show {
        #[arg(long)]
        db: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// KEY is one of: salary.<step>, share.<type>, honorarium, pension (these four are dated:
    /// --from), h6.overlap_days, capacity_per_tutor, lookback_years, idle_months, p6.window_months,
    /// p6.min_days_percent, p6.min_trainees_per_doctor, weight.<t1|t2|p1..p7>,
    /// threatened.<municipality>.
    Set {
        #[arg(long)]
        db: PathBuf,
        key: String,
        value: String,
        /// The first day the new value applies (dated keys); earlier months keep the old value.
        #[arg(long)]
        from: Option<String>,
        /// Where a salary-scale or pension figure comes from (a pay table, an agreement);
        /// default: "settings set on <today>".
        #[arg(long)]
        source: Option<String>,
    },
}

/// A command line clap could not read (or `--help`, `--version`): printed; the exit code.
pub fn usage_error(e: clap::Error) -> i32 {
    let _ = e.print();
    if e.use_stderr() { EXIT_BAD_INPUT } else { EXIT_OK }
}

/// A command's result as the process exit code, its message on stderr.
pub fn exit_code_of(result: CliResult) -> i32 {
    match result {
        Ok(()) => EXIT_OK,
        Err(f) => {
            eprintln!("{}: {f}", lang().t("fejl", "error"));
            f.code()
        }
    }
}

/// The desktop program's result as the process exit code.
pub fn exit_code(result: anyhow::Result<()>) -> i32 {
    exit_code_of(result.map_err(Failure::Unexpected))
}

/// What an undo or redo took back or brought back, in the run's language (the stored summary in
/// English, as before).
fn step_text(store: &Store, s: &crate::store::Step) -> String {
    if lang() == Lang::English {
        return s.summary.clone();
    }
    store
        .audit_commands(&[s.id])
        .ok()
        .and_then(|c| c.get(&s.id).and_then(|c| crate::report::reasons::command_text(c, lang())))
        .unwrap_or_else(|| s.summary.clone())
}

/// Runs one command.
pub fn run(cmd: Cmd) -> CliResult {
    match cmd {
        Cmd::Gui { db } => crate::ui::run(db).map_err(Failure::Unexpected),
        Cmd::New { db } => {
            let store = ops::new_file(&db)?;
            eprintln!("created {}", store.path().display());
            Ok(())
        }
        Cmd::Demo { db, seed, practices, trainees, years } => {
            let params = crate::demo::DemoParams { seed, practices, open_trainees: trainees, years };
            let (_, report) = ops::demo_file(&db, &params)?;
            eprintln!(
                "created {} with {} practices, {} trainees ({} placed), {} pauses and wishes",
                db.display(),
                report.practices,
                report.trainees,
                report.placements,
                report.pauses
            );
            Ok(())
        }
        Cmd::Import { db, practices, trainees, placements, pauses, update } => {
            let files = ImportFiles { practices, trainees, placements, pauses };
            let input = files.read()?;
            let mut store = open_store(&db)?;
            let done = ops::import_csv(&mut store, &input, update)?;
            let r = done.report;
            eprintln!(
                "imported {} practices, {} trainees, {} placements, {} pauses and wishes",
                r.practices, r.trainees, r.placements, r.pauses
            );
            if done.violations > 0 {
                eprintln!(
                    "warning: {} hard-rule violations among stored placements; run `tutorfordeling check` to list them",
                    done.violations
                );
            }
            Ok(())
        }
        Cmd::Boundaries { db, geojson } => {
            let name = geojson.display().to_string();
            let bytes =
                std::fs::read(&geojson).map_err(|e| Failure::BadInput(format!("{name}: cannot read the file: {e}")))?;
            let mut store = open_store(&db)?;
            let n = ops::import_boundaries(&mut store, &bytes, &name)?;
            eprintln!("imported {n} boundary rings from {name}");
            Ok(())
        }
        Cmd::Copy(args) => copy::run(&args),
        Cmd::Export { db, out } => {
            let store = open_store(&db)?;
            let data = store.load()?;
            for p in export_all(&data, &out)? {
                eprintln!("wrote {}", p.display());
            }
            Ok(())
        }
        Cmd::Place { db, trainee_id, practice_id, from, to, overrides, reason } => {
            let from = from.map(|s| arg_date("--from", &s)).transpose()?;
            let to = to.map(|s| arg_date("--to", &s)).transpose()?;
            let overrides = overrides
                .iter()
                .map(|r| Rule::parse(r).ok_or_else(|| Failure::BadInput(format!("--override: unknown rule '{r}'"))))
                .collect::<Result<Vec<_>, _>>()?;
            let mut store = open_store(&db)?;
            let done = ops::place(&mut store, &trainee_id, &practice_id, from, to, overrides, reason)?;
            for r in &done.unneeded_overrides {
                eprintln!("note: --override {r} was not needed; no such rule is broken");
            }
            let p = &done.placement;
            print_out(&match lang() {
                Lang::Danish => format!(
                    "placerede {} hos {} fra {} til {}\n",
                    p.trainee_id,
                    p.practice_id,
                    crate::report::format::date(p.start),
                    crate::report::format::date(p.end)
                ),
                Lang::English => {
                    format!("placed {} at {} from {} to {}\n", p.trainee_id, p.practice_id, p.start, p.end)
                }
            })?;
            Ok(())
        }
        Cmd::Unplace { db, trainee_id, reason } => {
            let mut store = open_store(&db)?;
            let p = ops::unplace_with_reason(&mut store, &trainee_id, reason)?;
            print_out(&match lang() {
                Lang::Danish => format!("fjernede {} fra {}\n", p.trainee_id, p.practice_id),
                Lang::English => format!("unplaced {} from {}\n", p.trainee_id, p.practice_id),
            })?;
            Ok(())
        }
        Cmd::Reschedule { db, trainee_id, from, to, overrides, reason } => {
            let from = from.map(|s| arg_date("--from", &s)).transpose()?;
            let to = to.map(|s| arg_date("--to", &s)).transpose()?;
            let overrides = overrides
                .iter()
                .map(|r| Rule::parse(r).ok_or_else(|| Failure::BadInput(format!("--override: unknown rule '{r}'"))))
                .collect::<Result<Vec<_>, _>>()?;
            let mut store = open_store(&db)?;
            let done = ops::change_dates(&mut store, &trainee_id, from, to, overrides, reason)?;
            for r in &done.unneeded_overrides {
                eprintln!("note: --override {r} was not needed; no such rule is broken");
            }
            let p = &done.placement;
            print_out(&match lang() {
                Lang::Danish => format!(
                    "{} er hos {} fra {} til {}\n",
                    p.trainee_id,
                    p.practice_id,
                    crate::report::format::date(p.start),
                    crate::report::format::date(p.end)
                ),
                Lang::English => format!("{} is at {} from {} to {}\n", p.trainee_id, p.practice_id, p.start, p.end),
            })?;
            Ok(())
        }
        Cmd::Undo { db, all_users } => {
            let mut store = open_store(&db)?;
            let s = store.undo(if all_users { Who::Anyone } else { Who::Me })?;
            let what = step_text(&store, &s);
            print_out(&format!(
                "{}: {what} (#{} {} {})\n",
                lang().t("fortrudt", "undone"),
                s.id,
                lang().t("af", "by"),
                s.user
            ))?;
            Ok(())
        }
        Cmd::Redo { db, all_users } => {
            let mut store = open_store(&db)?;
            let s = store.redo(if all_users { Who::Anyone } else { Who::Me })?;
            let what = step_text(&store, &s);
            print_out(&format!(
                "{}: {what} (#{} {} {})\n",
                lang().t("gentaget", "redone"),
                s.id,
                lang().t("af", "by"),
                s.user
            ))?;
            Ok(())
        }
        Cmd::Log { db, trainee, practice, user, limit, format } => {
            let store = open_store(&db)?;
            let entries = store.log(&LogFilter { trainee, practice, user, limit: Some(limit) })?;
            if format == Format::Csv {
                print_out(&crate::report::log::to_csv(&entries))?;
                return Ok(());
            }
            crate::report::log::write(&entries, format == Format::Json)
        }
        Cmd::Practice {
            action:
                PracticeCmd::Set {
                    db,
                    id,
                    name,
                    address,
                    tutors,
                    doctors,
                    capacity,
                    setting,
                    burdened,
                    large,
                    threatened,
                    refuses,
                    quality,
                },
        } => {
            let flag = |opt: &str, v: Option<String>| -> Result<Option<bool>, Failure> {
                v.map(|v| {
                    crate::store::csv::parse_bool(&v)
                        .ok_or_else(|| Failure::BadInput(format!("{opt}: '{v}' is not yes/no")))
                })
                .transpose()
            };
            let changes = ops::PracticeChanges {
                name,
                address,
                tutors,
                doctors,
                capacity,
                setting: setting
                    .map(|s| {
                        Setting::from_key(&s)
                            .ok_or_else(|| Failure::BadInput(format!("--setting: '{s}' is not urban or rural")))
                    })
                    .transpose()?,
                burdened: flag("--burdened", burdened)?,
                large: flag("--large", large)?,
                threatened: flag("--threatened", threatened)?,
                refuses: refuses
                    .map(|r| {
                        r.split('|')
                            .filter(|k| !k.trim().is_empty())
                            .map(|k| {
                                TraineeType::from_key(k.trim())
                                    .ok_or_else(|| Failure::BadInput(format!("--refuses: unknown type '{k}'")))
                            })
                            .collect::<Result<Vec<_>, _>>()
                    })
                    .transpose()?,
                quality,
            };
            let mut store = open_store(&db)?;
            let p = ops::edit_practice(&mut store, &id, &changes)?;
            print_out(&format!("changed practice {}\n", p.id))?;
            Ok(())
        }
        Cmd::Trainee {
            action:
                TraineeCmd::Set {
                    db,
                    id,
                    name,
                    start,
                    end,
                    municipality,
                    hospital_unit,
                    own_gp,
                    family_practices,
                    monthly_salary,
                    seniority_step,
                },
        } => {
            let clearable = |v: Option<String>| v.map(|v| Some(v.trim().to_string()).filter(|v| !v.is_empty()));
            let changes = ops::TraineeChanges {
                name,
                start: start.map(|s| arg_date("--start", &s)).transpose()?,
                end: end.map(|s| arg_date("--end", &s)).transpose()?,
                municipality: clearable(municipality),
                hospital_unit: clearable(hospital_unit),
                own_gp: clearable(own_gp),
                family_practices: family_practices
                    .map(|f| f.split('|').map(str::trim).filter(|x| !x.is_empty()).map(str::to_string).collect()),
                monthly_salary: match clearable(monthly_salary) {
                    None => None,
                    Some(None) => Some(None),
                    Some(Some(m)) => Some(Some(
                        Money::parse(&m).map_err(|e| Failure::BadInput(format!("--monthly-salary: '{m}': {e}")))?,
                    )),
                },
                seniority_step: clearable(seniority_step),
            };
            let mut store = open_store(&db)?;
            let t = ops::edit_trainee(&mut store, &id, &changes)?;
            print_out(&format!("changed trainee {}\n", t.id))?;
            Ok(())
        }
        Cmd::Pause { action: PauseCmd::Add { db, practice_id, from, to, wish_type } } => {
            let pause = crate::domain::model::Pause {
                practice_id,
                start: arg_date("--from", &from)?,
                end: arg_date("--to", &to)?,
                wish_type: wish_type
                    .map(|w| {
                        TraineeType::from_key(&w)
                            .ok_or_else(|| Failure::BadInput(format!("--wish-type: unknown type '{w}'")))
                    })
                    .transpose()?,
            };
            let mut store = open_store(&db)?;
            ops::add_pause(&mut store, pause.clone())?;
            print_out(&format!(
                "added {} for {} from {} to {}\n",
                if pause.wish_type.is_some() { "a wish" } else { "a pause" },
                pause.practice_id,
                pause.start,
                pause.end
            ))?;
            Ok(())
        }
        Cmd::Pause { action: PauseCmd::Remove { db, practice_id, from } } => {
            let from = arg_date("--from", &from)?;
            let mut store = open_store(&db)?;
            let p = ops::remove_pause(&mut store, &practice_id, from)?;
            print_out(&format!(
                "removed the {} for {} from {} to {}\n",
                if p.wish_type.is_some() { "wish" } else { "pause" },
                p.practice_id,
                p.start,
                p.end
            ))?;
            Ok(())
        }
        Cmd::Pin { db, trainee_id } => {
            ops::set_pinned(&mut open_store(&db)?, &trainee_id, true)?;
            print_out(&format!("pinned {trainee_id}\n"))?;
            Ok(())
        }
        Cmd::Unpin { db, trainee_id } => {
            ops::set_pinned(&mut open_store(&db)?, &trainee_id, false)?;
            print_out(&format!("unpinned {trainee_id}\n"))?;
            Ok(())
        }
        Cmd::Settings { action: SettingsCmd::Show { db, format } } => {
            let shown = ops::settings::show(&open_store(&db)?)?;
            if format == Format::Json { print_json(&shown) } else { crate::report::settings::write_text(&shown) }
        }
        Cmd::Settings { action: SettingsCmd::Set { db, key, value, from, source } } => {
            let from = from.map(|s| arg_date("--from", &s)).transpose()?;
            let source = source.unwrap_or_else(|| format!("settings set on {}", today()));
            ops::settings::set(&mut open_store(&db)?, &key, &value, from, &source)?;
            print_out(&format!("{key} = {value}{}\n", from.map(|d| format!(" from {d}")).unwrap_or_default()))?;
            Ok(())
        }
        Cmd::Check { db, format } => engine::check(&db, format),
        Cmd::Suggest { db, kind, hospital_units, apply, format, write_model } => {
            engine::suggest(&db, kind.as_deref(), &hospital_units, apply, format, write_model.as_deref())
        }
        Cmd::Candidates { db, trainee_id, hospital_units, format } => {
            engine::candidates(&db, &trainee_id, &hospital_units, format)
        }
        Cmd::Phase3Options { db, trainee_id, agreement, format } => {
            engine::phase3_options(&db, &trainee_id, agreement.as_deref(), format)
        }
        Cmd::IntroRound { db, ranking, decline, offered_on, apply, format } => {
            engine::intro_round(&db, &ranking, &decline, offered_on.as_deref(), apply, format)
        }
        Cmd::Room { db, area, from, months, format } => engine::room(&db, &area, &from, months, format),
        Cmd::Fairness { db, from, to, format, pdf } => engine::fairness(&db, &from, &to, format, pdf.as_deref()),
        Cmd::Finance { db, from, to, practice, format } => money::finance(&db, &from, &to, practice.as_deref(), format),
        Cmd::Statements { db, from, to, out, practice } => {
            money::statements(&db, &from, &to, &out, practice.as_deref())
        }
        Cmd::Round { action } => rounds::run(action),
        Cmd::Letters { db, round, out } => rounds::letters(&db, &round, &out, false),
        Cmd::Notices { db, round, out } => rounds::letters(&db, &round, &out, true),
    }
}

/// A date argument, or exit 2 naming the option.
pub(crate) fn arg_date(option: &str, text: &str) -> Result<chrono::NaiveDate, Failure> {
    parse_date(text).map_err(|e| Failure::BadInput(format!("{option}: {e}")))
}

/// A `--from`/`--to` month pair as an inclusive period.
pub(crate) fn arg_months(from: &str, to: &str) -> Result<(YearMonth, YearMonth, Period), Failure> {
    let a = YearMonth::parse(from).map_err(|e| Failure::BadInput(format!("--from: {e}")))?;
    let b = YearMonth::parse(to).map_err(|e| Failure::BadInput(format!("--to: {e}")))?;
    if b < a {
        return Err(Failure::BadInput(format!("--to {b} is before --from {a}")));
    }
    Ok((a, b, Period::of_months(a, b)))
}

/// Today, from the clock: only the CLI and the GUI read it; the domain takes it as a parameter.
pub(crate) fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// Prints JSON to stdout.
pub(crate) fn print_json(value: &impl serde::Serialize) -> CliResult {
    let text = serde_json::to_string_pretty(value).context("cannot write JSON")?;
    print_out(&format!("{text}\n"))?;
    Ok(())
}

/// Opens a region file as scripts do (no instance lock; a backup at most every 10 minutes) and
/// tells stderr what the store warns about, e.g. a network drive.
pub(crate) fn open_store(db: &Path) -> Result<Store, Failure> {
    if db.is_dir() {
        return Err(Failure::BadInput(format!("{}: is a folder, not a database file", db.display())));
    }
    let store = Store::open(db).map_err(|e| match e {
        StoreError::Server(m) => Failure::BadInput(m),
        StoreError::Sqlite(_) | StoreError::Io(_) | StoreError::DiskIo(_) | StoreError::Busy => Failure::BadInput(format!(
            "{}: cannot be opened for reading and writing ({e}); check that the file and its folder are yours and writable",
            db.display()
        )),
        e => Failure::from(e),
    })?;
    for w in store.warnings() {
        eprintln!("warning: {w}");
    }
    Ok(store)
}

/// Opens the store and loads the data, for read-only commands.
pub(crate) fn load(db: &Path) -> Result<(Store, crate::domain::model::Dataset), Failure> {
    let store = open_store(db)?;
    let data = store.load()?;
    Ok((store, data))
}
