//! The `tutorfordeling` binary: the GUI with no arguments, the CLI with a subcommand.

fn main() {
    std::process::exit(tutorfordeling::cli::main());
}
