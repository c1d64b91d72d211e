//! The headless surface of CONTRACT.md: one binary, subcommands, exit codes 0/1/2/3.
//!
//! Results go to stdout, messages to stderr. Every write goes through `Store::execute`, the
//! same path the GUI uses.

mod engine;
mod money;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

use crate::domain::command::{Command, CommandError};
use crate::domain::dates::{Period, YearMonth, parse_date};
use crate::domain::model::{Placement, Rule};
use crate::domain::region::Region;
use crate::store::csv::{CsvError, ImportFiles, export_all, parse_import};
use crate::store::outfile::print_out;
use crate::store::{BatchError, Store, StoreError};

/// Exit codes of CONTRACT.md.
pub const EXIT_OK: i32 = 0;
pub const EXIT_UNEXPECTED: i32 = 1;
pub const EXIT_BAD_INPUT: i32 = 2;
pub const EXIT_REFUSED: i32 = 3;

/// Why a command failed, with the exit code it maps to.
#[derive(Debug)]
pub enum Failure {
    /// Exit 2: arguments, a file, a CSV row.
    BadInput(String),
    /// Exit 3: a hard rule.
    Refused(String),
    /// Exit 1.
    Unexpected(anyhow::Error),
}

impl Failure {
    pub fn code(&self) -> i32 {
        match self {
            Failure::BadInput(_) => EXIT_BAD_INPUT,
            Failure::Refused(_) => EXIT_REFUSED,
            Failure::Unexpected(_) => EXIT_UNEXPECTED,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::BadInput(m) | Failure::Refused(m) => f.write_str(m),
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
            | StoreError::ReadOnly(_) => Failure::BadInput(e.to_string()),
            StoreError::Command(CommandError::Refused(_)) => Failure::Refused(e.to_string()),
            StoreError::Command(CommandError::Invalid(_)) | StoreError::Undo(_) => Failure::BadInput(e.to_string()),
            other => Failure::Unexpected(other.into()),
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
        (FILE:LINE:COLUMN: reason), 3 refused by a hard rule (H1-H9)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Cmd>,
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
        /// Store the proposals.
        #[arg(long)]
        apply: bool,
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
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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
    /// Undo the last change (also after a restart).
    Undo {
        #[arg(long)]
        db: PathBuf,
    },
    /// Redo the change undone last.
    Redo {
        #[arg(long)]
        db: PathBuf,
    },
    /// Show the newest entries of the audit log.
    Log {
        #[arg(long)]
        db: PathBuf,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
}

/// Runs the program; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_BAD_INPUT } else { EXIT_OK };
        }
    };
    match run(cli.command.unwrap_or(Cmd::Gui { db: None })) {
        Ok(()) => EXIT_OK,
        Err(f) => {
            eprintln!("error: {f}");
            f.code()
        }
    }
}

/// Runs one command.
pub fn run(cmd: Cmd) -> CliResult {
    match cmd {
        Cmd::Gui { db } => crate::ui::run(db).map_err(Failure::Unexpected),
        Cmd::New { db } => {
            Store::create(&db, &Region::midtjylland())?;
            eprintln!("created {}", db.display());
            Ok(())
        }
        Cmd::Demo { db, seed, practices, trainees, years } => {
            let params = crate::demo::DemoParams { seed, practices, open_trainees: trainees, years };
            let data = crate::demo::generate(&params);
            let mut store = Store::create(&db, &data.region)?;
            let report = crate::demo::store_demo(&mut store, &data)?;
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
            let report = store.write_batch(|existing| parse_import(&input, existing, update)).map_err(|e| match e {
                BatchError::Rejected(csv) => Failure::from(csv),
                BatchError::Store(s) => Failure::from(s),
            })?;
            eprintln!(
                "imported {} practices, {} trainees, {} placements, {} pauses and wishes",
                report.practices, report.trainees, report.placements, report.pauses
            );
            let violations = crate::domain::rules::check_all(&store.load()?);
            if !violations.is_empty() {
                eprintln!(
                    "warning: {} hard-rule violations among stored placements; run `tutorfordeling check` to list them",
                    violations.len()
                );
            }
            Ok(())
        }
        Cmd::Boundaries { db, geojson } => {
            let name = geojson.display().to_string();
            let bytes =
                std::fs::read(&geojson).map_err(|e| Failure::BadInput(format!("{name}: cannot read the file: {e}")))?;
            let mut store = open_store(&db)?;
            let rings = crate::store::boundaries::parse_boundaries(&bytes, &store.load()?.region)
                .map_err(|e| Failure::BadInput(format!("{name}: {e}")))?;
            let n = store.replace_boundaries(&rings)?;
            eprintln!("imported {n} boundary rings from {name}");
            Ok(())
        }
        Cmd::Export { db, out } => {
            let store = open_store(&db)?;
            let data = store.load()?;
            for p in export_all(&data, &out)? {
                eprintln!("wrote {}", p.display());
            }
            Ok(())
        }
        Cmd::Place { db, trainee_id, practice_id, from, to, overrides, reason } => {
            let mut store = open_store(&db)?;
            let data = store.load()?;
            let trainee = data
                .trainee(&trainee_id)
                .ok_or_else(|| Failure::BadInput(format!("unknown trainee '{trainee_id}'")))?;
            let start = match from {
                Some(s) => arg_date("--from", &s)?,
                None => trainee.start,
            };
            let end = match to {
                Some(s) => arg_date("--to", &s)?,
                None => trainee.end,
            };
            let overrides = overrides
                .iter()
                .map(|r| Rule::parse(r).ok_or_else(|| Failure::BadInput(format!("--override: unknown rule '{r}'"))))
                .collect::<Result<Vec<_>, _>>()?;
            let placement = Placement { trainee_id, practice_id, start, end, pinned: false, overrides, reason };
            for r in crate::domain::command::unneeded_overrides(&data, &placement) {
                eprintln!("note: --override {r} was not needed; no such rule is broken");
            }
            store.execute(&Command::Place { placement: placement.clone() })?;
            print_out(&format!(
                "placed {} at {} from {} to {}\n",
                placement.trainee_id, placement.practice_id, start, end
            ))?;
            Ok(())
        }
        Cmd::Unplace { db, trainee_id } => {
            let mut store = open_store(&db)?;
            store.execute(&Command::Unplace { trainee_id: trainee_id.clone() })?;
            print_out(&format!("unplaced {trainee_id}\n"))?;
            Ok(())
        }
        Cmd::Undo { db } => {
            let s = open_store(&db)?.undo()?;
            print_out(&format!("undone: {s}\n"))?;
            Ok(())
        }
        Cmd::Redo { db } => {
            let s = open_store(&db)?.redo()?;
            print_out(&format!("redone: {s}\n"))?;
            Ok(())
        }
        Cmd::Log { db, limit } => {
            let store = open_store(&db)?;
            for e in store.audit_log(limit)? {
                print_out(&format!(
                    "#{} {} {} {}: {}{}\n",
                    e.id,
                    e.at,
                    e.os_user,
                    e.action,
                    e.summary,
                    e.reason.map(|r| format!(" (reason: {r})")).unwrap_or_default()
                ))?;
            }
            Ok(())
        }
        Cmd::Check { db, format } => engine::check(&db, format),
        Cmd::Suggest { db, kind, apply, format } => engine::suggest(&db, kind.as_deref(), apply, format),
        Cmd::Phase3Options { db, trainee_id, agreement, format } => {
            engine::phase3_options(&db, &trainee_id, agreement.as_deref(), format)
        }
        Cmd::IntroRound { db, ranking, decline, offered_on, apply, format } => {
            engine::intro_round(&db, &ranking, &decline, offered_on.as_deref(), apply, format)
        }
        Cmd::Room { db, area, from, months, format } => engine::room(&db, &area, &from, months, format),
        Cmd::Fairness { db, from, to, format } => engine::fairness(&db, &from, &to, format),
        Cmd::Finance { db, from, to, practice, format } => money::finance(&db, &from, &to, practice.as_deref(), format),
        Cmd::Statements { db, from, to, out, practice } => {
            money::statements(&db, &from, &to, &out, practice.as_deref())
        }
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
    let store = Store::open(db)?;
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
