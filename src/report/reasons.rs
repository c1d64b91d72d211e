//! Reasons for people, in the user's language: what the desk and the command line call to show a
//! broken rule, a score's reasons or a change. The wording itself is in `domain::reasons` (the
//! domain keeps the English sentence in `Violation::message` for the JSON); this module joins and
//! picks.

use crate::domain::command::Command;
pub use crate::domain::reasons::{Because, Breach, audit_text, command_text};
use crate::domain::rules::Violation;

use super::format::Lang;

/// Broken rules, one sentence a line, each starting with its rule id (once).
pub fn violation_lines(violations: &[Violation], lang: Lang) -> String {
    violations.iter().map(|v| v.text(lang)).collect::<Vec<_>>().join("\n")
}

/// A score's reasons, one a line, each starting with its principle id (once).
pub fn because_lines(because: &[Because], lang: Lang) -> String {
    because.iter().map(|b| b.text(lang)).collect::<Vec<_>>().join("\n")
}

/// A change as the status bar shows it, in `lang` (the stored English summary for a command this
/// version does not word).
pub fn command(cmd: &Command, lang: Lang) -> String {
    command_text(cmd, lang).unwrap_or_else(|| cmd.summary())
}

/// What happened to a change, for the status bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Done {
    Saved,
    Undone,
    Redone,
}

impl Done {
    pub fn verb(self, lang: Lang) -> &'static str {
        match self {
            Done::Saved => lang.t("Gemt", "Saved"),
            Done::Undone => lang.t("Fortrudt", "Undone"),
            Done::Redone => lang.t("Gentaget", "Redone"),
        }
    }
}

/// `Gemt: placér T1 hos P1 fra … til …` in the status bar.
pub fn done_text(done: Done, cmd: &Command, lang: Lang) -> String {
    format!("{}: {}", done.verb(lang), command(cmd, lang))
}

/// Error messages of the input checks (CSV import, arguments, files), English as the CLI shows
/// them, and Danish: `{}` is a value taken over as it is. More specific first.
const INPUT_ERRORS: &[(&str, &str)] = &[
    (
        "unknown municipality '{}'; it must be one of the region's 19",
        "ukendt kommune '{}'; den skal være en af regionens 19",
    ),
    ("unknown municipality '{}'", "ukendt kommune '{}'"),
    ("cannot read the file: {}", "kan ikke læse filen: {}"),
    ("'{}' is required but empty", "'{}' skal udfyldes, men er tom"),
    ("bad date in '{}': {}", "ugyldig dato i '{}': {}"),
    (
        "'{}' is not a yes/no value in '{}'; write yes/no, ja/nej, true/false or 1/0",
        "'{}' er ikke en ja/nej-værdi i '{}'; skriv ja/nej, yes/no, true/false eller 1/0",
    ),
    ("'{}' is not a whole number in '{}'", "'{}' er ikke et helt tal i '{}'"),
    ("'{}' must be at least {}, not {}", "'{}' skal være mindst {}, ikke {}"),
    ("'{}' is not a number in '{}'", "'{}' er ikke et tal i '{}'"),
    (
        "the file is empty; expected a header row with the columns of {}",
        "filen er tom; den skal have en overskriftsrække med kolonnerne i {}",
    ),
    ("cannot read the header row: {}", "kan ikke læse overskriftsrækken: {}"),
    ("column '{}' appears twice", "kolonnen '{}' står der to gange"),
    ("missing required column '{}'", "den påkrævede kolonne '{}' mangler"),
    ("cannot read the row: {}", "kan ikke læse rækken: {}"),
    ("the row has {} fields but the header has {}", "rækken har {} felter, men overskriftsrækken har {}"),
    ("duplicate id '{}' in this file", "id '{}' står der to gange i filen"),
    (
        "practice '{}' already exists; use --update to replace it",
        "praksis '{}' findes allerede; brug --update for at erstatte den",
    ),
    (
        "unknown trainee type '{}'; use kbu, intro, phase1, phase2, phase3, other",
        "ukendt type '{}'; brug kbu, intro, phase1, phase2, phase3 eller other",
    ),
    ("quality is 1 to 5", "kvaliteten er 1 til 5"),
    (
        "'{}' is not a setting; write urban or rural",
        "'{}' er ikke et patientgrundlag; skriv urban (by) eller rural (land)",
    ),
    (
        "trainee '{}' already exists; use --update to replace it",
        "uddannelseslæge '{}' findes allerede; brug --update for at erstatte den",
    ),
    (
        "unknown type '{}'; use kbu, intro, phase1, phase2, phase3 or other",
        "ukendt type '{}'; brug kbu, intro, phase1, phase2, phase3 eller other",
    ),
    ("unknown hospital unit '{}'; use one of: {}", "ukendt hospitalsenhed '{}'; brug en af: {}"),
    ("unknown hospital unit '{}'; the units are: {}", "ukendt hospitalsenhed '{}'; enhederne er: {}"),
    ("unknown hospital unit '{}'", "ukendt hospitalsenhed '{}'"),
    ("'hospital_unit' is required for {}", "'hospital_unit' skal udfyldes for {}"),
    ("'municipality' is required for {} (rule H3)", "'municipality' skal udfyldes for {} (regel H3)"),
    ("the end {} is before the start {} (rule H9)", "slutdatoen {} ligger før startdatoen {} (regel H9)"),
    ("the end {} is before the start {}", "slutdatoen {} ligger før startdatoen {}"),
    ("unknown salary step '{}'", "ukendt løntrin '{}'"),
    ("unknown practice id '{}'", "ukendt praksis-id '{}'"),
    ("unknown trainee id '{}'", "ukendt uddannelseslæge-id '{}'"),
    ("unknown practice '{}'", "ukendt praksis '{}'"),
    ("unknown trainee '{}'", "ukendt uddannelseslæge '{}'"),
    (
        "trainee '{}' is placed twice in this file (rule H9)",
        "uddannelseslæge '{}' er placeret to gange i filen (regel H9)",
    ),
    (
        "trainee '{}' is already placed; use --update to replace the placement",
        "uddannelseslæge '{}' er allerede placeret; brug --update for at erstatte placeringen",
    ),
    ("unknown rule '{}'; use H1 to H8", "ukendt regel '{}'; brug H1 til H8"),
    ("this pause or wish already exists", "denne pause eller dette ønske findes allerede"),
    (
        "the '{}' cell holds a CPR-like number (6 digits, an optional '-', 4 digits); CPR numbers are never stored. \
         Remove it and try again",
        "cellen '{}' indeholder et CPR-lignende nummer (6 cifre, evt. '-', 4 cifre); CPR-numre gemmes aldrig. \
         Fjern det, og prøv igen",
    ),
    ("{} has no pause or wish that starts on {}", "{} har ingen pause eller ønske, der starter {}"),
    ("{} belongs to {}, not to {}", "{} hører til {}, ikke til {}"),
    ("{} already exists; choose a new file name", "{} findes allerede; vælg et nyt filnavn"),
    ("{} does not exist", "{} findes ikke"),
    ("there is nothing of yours to undo", "der er intet af dit at fortryde"),
    ("there is nothing of yours to redo", "der er intet af dit at gentage"),
    ("there is nothing  to undo", "der er intet at fortryde"),
    ("there is nothing  to redo", "der er intet at gentage"),
    (
        "'{}' was made by an older version of the program and cannot be undone; older changes can",
        "'{}' blev lavet af en ældre version af programmet og kan ikke fortrydes; ældre ændringer kan",
    ),
    (
        "'{}' was made by an older version of the program and cannot be redone; older changes can",
        "'{}' blev lavet af en ældre version af programmet og kan ikke gentages; ældre ændringer kan",
    ),
    ("{} is not a tutorfordeling database", "{} er ikke en tutorfordeling-database"),
    ("{} is open read-only: nothing was saved", "{} er åben skrivebeskyttet: intet blev gemt"),
    (
        "another program kept the database busy for more than 30 seconds: nothing was saved. Try again",
        "et andet program holdt databasen optaget i mere end 30 sekunder: intet blev gemt. Prøv igen",
    ),
    (
        "the disk could not be read or written ({}): nothing was saved",
        "disken kunne ikke læses eller skrives ({}): intet blev gemt",
    ),
    (
        "{} changed since it was read. Nothing was saved; look again and retry",
        "{} er ændret, siden den blev læst. Intet blev gemt; se efter, og prøv igen",
    ),
    (
        "{} changed since it was read: {} changed it at {} ({}). Nothing was saved; look again and retry",
        "{} er ændret, siden den blev læst: {} ændrede den {} ({}). Intet blev gemt; se efter, og prøv igen",
    ),
];

/// The values of `text` in the holes (`{}`) of `template`, if it has that form.
fn holes<'t>(template: &str, text: &'t str) -> Option<Vec<&'t str>> {
    let parts: Vec<&str> = template.split("{}").collect();
    let mut rest = text.strip_prefix(parts[0])?;
    let mut values = Vec::new();
    for (i, lit) in parts.iter().enumerate().skip(1) {
        let last = i == parts.len() - 1;
        let at = if last {
            if !rest.ends_with(lit) {
                return None;
            }
            rest.len() - lit.len()
        } else if lit.is_empty() {
            return None;
        } else {
            rest.find(lit)?
        };
        values.push(&rest[..at]);
        rest = &rest[at + lit.len()..];
    }
    rest.is_empty().then_some(values)
}

fn fill(template: &str, values: &[&str]) -> String {
    let mut out = String::new();
    for (i, part) in template.split("{}").enumerate() {
        if i > 0 {
            out.push_str(values.get(i - 1).copied().unwrap_or(""));
        }
        out.push_str(part);
    }
    out
}

/// A line of a known form in `lang`, with a time stamp among its values shown as people read
/// it (`29. nov. 2026 kl. 14.03`).
fn input_line(line: &str, lang: Lang) -> Option<String> {
    INPUT_ERRORS.iter().find_map(|(en, da)| {
        let values = holes(en, line)?;
        let values: Vec<String> = values
            .iter()
            .map(|v| if chrono::DateTime::parse_from_rfc3339(v).is_ok() { lang.time(v) } else { v.to_string() })
            .collect();
        let values: Vec<&str> = values.iter().map(String::as_str).collect();
        Some(fill(if lang == Lang::Danish { da } else { en }, &values))
    })
}

/// An input error (a CSV row's `FILE:LINE:COLUMN: reason`, an argument's `--flag: reason`, a
/// file's problem) in `lang`. The checks word their errors in English for the CLI; the Danish desk
/// shows them in Danish. A message this table does not know is shown as it is.
pub fn input_error(text: &str, lang: Lang) -> String {
    text.lines()
        .map(|line| {
            if let Some(da) = input_line(line, lang) {
                return da;
            }
            // A location in front: `file.csv:3:4: …` or `--municipality: …`.
            for (i, _) in line.match_indices(": ") {
                if let Some(da) = input_line(&line[i + 2..], lang) {
                    return format!("{}: {da}", &line[..i]);
                }
            }
            line.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_import_error_reads_in_danish_with_its_place_kept() {
        assert_eq!(
            input_error(
                "praktikker.csv:3:4: unknown municipality 'Gotham'; it must be one of the region's 19",
                Lang::Danish
            ),
            "praktikker.csv:3:4: ukendt kommune 'Gotham'; den skal være en af regionens 19"
        );
        assert_eq!(
            input_error("--municipality: unknown municipality 'X'; it must be one of the region's 19", Lang::Danish),
            "--municipality: ukendt kommune 'X'; den skal være en af regionens 19"
        );
        assert_eq!(
            input_error("t.csv:2:1: the row has 3 fields but the header has 5", Lang::Danish),
            "t.csv:2:1: rækken har 3 felter, men overskriftsrækken har 5"
        );
        assert_eq!(
            input_error("t.csv:9:7: the end 2027-01-01 is before the start 2027-02-01 (rule H9)", Lang::Danish),
            "t.csv:9:7: slutdatoen 2027-01-01 ligger før startdatoen 2027-02-01 (regel H9)"
        );
        let english = "t.csv:2:1: unknown municipality 'X'; it must be one of the region's 19";
        assert_eq!(input_error(english, Lang::English), english);
        let conflict = "trainee T1 changed since it was read: kirsten changed it at 2026-11-29T14:03:27.123+01:00 \
                        (edit trainee T1). Nothing was saved; look again and retry";
        assert_eq!(
            input_error(conflict, Lang::Danish),
            "trainee T1 er ændret, siden den blev læst: kirsten ændrede den 29. nov. 2026 kl. 14.03 (edit trainee \
             T1). Intet blev gemt; se efter, og prøv igen"
        );
        assert!(input_error(conflict, Lang::English).contains("changed it at 29 Nov 2026, 14:03 (edit"));
        assert_eq!(input_error("something new", Lang::Danish), "something new");
    }

    #[test]
    fn every_input_error_template_has_the_same_holes_in_both_languages() {
        for (en, da) in INPUT_ERRORS {
            assert_eq!(en.matches("{}").count(), da.matches("{}").count(), "{en}");
            let values: Vec<String> = (0..en.matches("{}").count()).map(|i| format!("v{i}")).collect();
            let v: Vec<&str> = values.iter().map(String::as_str).collect();
            assert_eq!(holes(en, &fill(en, &v)), Some(v.clone()), "{en}");
        }
    }
}
