//! The `tutorfordeling` binary: decides between the desktop program (no command, or `gui`) and
//! the command line, as ripgrep's and eframe_template's `main` do.

use clap::Parser as _;
use tutorfordeling::cli::{self, Cli, Cmd};

fn main() {
    let code = match Cli::try_parse() {
        Err(e) => cli::usage_error(e),
        Ok(Cli { command: None | Some(Cmd::Gui { db: None }), .. }) => cli::exit_code(tutorfordeling::ui::run(None)),
        Ok(Cli { command: Some(Cmd::Gui { db }), .. }) => cli::exit_code(tutorfordeling::ui::run(db)),
        Ok(Cli { command: Some(cmd), lang }) => {
            cli::set_lang(cli::choose_lang(lang));
            cli::exit_code_of(cli::run(cmd))
        }
    };
    std::process::exit(code);
}
