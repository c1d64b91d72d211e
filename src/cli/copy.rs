//! `copy --from A --to B`: a region between a file and a PostgreSQL server, either way, all or
//! nothing (CONTRACT.md, "Server mode").

use std::path::PathBuf;

use super::{CliResult, Failure, open_store};
use crate::domain::region::Region;
use crate::store::copy::copy_into;
use crate::store::{Store, StoreError};

#[derive(clap::Args, Debug)]
pub struct CopyArgs {
    /// The region to copy: a file or a postgresql:// URL.
    #[arg(long)]
    pub from: PathBuf,
    /// Where to: a file that does not exist yet (it is created), or an empty server database
    /// made by `new --db URL`.
    #[arg(long)]
    pub to: PathBuf,
}

pub fn run(args: &CopyArgs) -> CliResult {
    let source = open_store(&args.from)?;
    let server = crate::store::is_server_url(&args.to);
    // A file target is made here (and removed again if the copy fails); a server's database is
    // made by its IT department and prepared by `new`.
    let created = !server && !args.to.exists();
    let mut target = if created {
        Store::create(&args.to, &Region::midtjylland()).map_err(Failure::from)?
    } else {
        open_store(&args.to)?
    };
    match copy_into(&source, &mut target) {
        Ok(report) => {
            eprintln!(
                "copied {} practices, {} trainees, {} placements, {} pauses and {} log entries from {} to {}",
                report.rows("practices"),
                report.rows("trainees"),
                report.rows("placements"),
                report.rows("pauses"),
                report.rows("audit"),
                source.path().display(),
                target.path().display()
            );
            Ok(())
        }
        Err(e) => {
            drop(target);
            if created {
                drop(std::fs::remove_file(&args.to));
            }
            Err(match e {
                StoreError::Server(m) => Failure::BadInput(m),
                e => Failure::from(e),
            })
        }
    }
}
