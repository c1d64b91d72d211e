//! Every file the program writes for the user (CONTRACT.md "Files the program writes").
//!
//! A file is written to a hidden temporary name in its target folder, created with `O_EXCL` and
//! mode 0600 (set explicitly, so the umask does not matter), synced, and renamed over the final
//! name; then the folder is synced. A run that is killed leaves at most a hidden
//! `.NAME.tmp-<pid>-<n>`, never a partial file under the final name. The rename replaces a
//! symbolic link standing at the final name instead of writing through it, and a hard link to
//! the old file keeps the old contents.
//!
//! Also here: the statement file names (cleaned practice ids, with a hash where needed) and the
//! CLI's way to print results so that a reader going away (`… | head`) ends the program quietly.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

/// A file that could not be written, named in the message: `cannot write /x/y.pdf: No space left
/// on device (os error 28)`.
#[derive(Debug)]
pub struct WriteError {
    pub path: PathBuf,
    pub error: io::Error,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot write {}: {}", self.path.display(), self.error)
    }
}

impl std::error::Error for WriteError {}

impl From<WriteError> for io::Error {
    fn from(e: WriteError) -> io::Error {
        io::Error::new(e.error.kind(), e.to_string())
    }
}

/// Writes `bytes` to `path` atomically with mode 0600 (see the module documentation).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Like [`write_atomic`], but `write` streams the contents into the temporary file. An error from
/// `write` (or from syncing or renaming) removes the temporary file and leaves the final name as
/// it was.
pub fn write_atomic_with(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), WriteError> {
    let fail = |error: io::Error| WriteError { path: path.to_path_buf(), error };
    let Some(name) = path.file_name() else {
        return Err(fail(io::Error::new(io::ErrorKind::InvalidInput, "not a file name")));
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let (tmp, file) = create_temp(dir, &name.to_string_lossy()).map_err(fail)?;
    let mut renamed = false;
    let result = (|| {
        {
            let mut w = BufWriter::new(&file);
            write(&mut w)?;
            w.flush()?;
        }
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        renamed = true;
        sync_dir(dir)
    })();
    if result.is_err() && !renamed {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(fail)
}

/// Creates `.NAME.tmp-<pid>-<n>` in `dir` with `O_CREAT|O_EXCL` and mode 0600.
fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // Keep the temporary name within NAME_MAX (255 bytes) for long final names.
    let mut short: String = String::new();
    for c in name.chars() {
        if short.len() + c.len_utf8() > 180 {
            break;
        }
        short.push(c);
    }
    let mut tries = 0;
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{short}.tmp-{}-{n}", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&tmp) {
            Ok(file) => {
                if let Err(e) = private(&file) {
                    drop(file);
                    let _ = std::fs::remove_file(&tmp);
                    return Err(e);
                }
                return Ok((tmp, file));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && tries < 100 => tries += 1,
            Err(e) => return Err(e),
        }
    }
}

/// Mode 0600 whatever the umask was (`fchmod`).
#[cfg(unix)]
fn private(file: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn private(_file: &File) -> io::Result<()> {
    Ok(())
}

/// Syncs the folder so the rename itself is durable. Best effort where a folder cannot be opened
/// or synced (some network and FUSE filesystems); a real I/O error is reported.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    let Ok(d) = File::open(dir) else { return Ok(()) };
    match d.sync_all() {
        Err(e) if matches!(e.kind(), io::ErrorKind::InvalidInput | io::ErrorKind::Unsupported) => Ok(()),
        other => other,
    }
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// Creates `dir` and its parents, naming it in the error.
pub fn create_dir(dir: &Path) -> Result<(), WriteError> {
    std::fs::create_dir_all(dir).map_err(|error| WriteError { path: dir.to_path_buf(), error })
}

/// The longest cleaned id kept whole in a file name; longer ones are cut and get the hash.
const MAX_ID_CHARS: usize = 120;

/// The id with every character outside `A-Z a-z 0-9 . _ -` replaced by `_`, and whether it
/// needs the hash (changed, starting with `.`, empty, or cut).
fn clean(id: &str) -> (String, bool) {
    let mut out: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' }).collect();
    let mut hash = out != id || out.starts_with('.') || out.is_empty();
    if out.len() > MAX_ID_CHARS {
        out.truncate(MAX_ID_CHARS); // ASCII only by now
        hash = true;
    }
    (out, hash)
}

/// The hex SHA-256 of `id`, `digits` long.
fn hash_hex(id: &str, digits: usize) -> String {
    Sha256::digest(id.as_bytes()).iter().map(|b| format!("{b:02x}")).collect::<String>()[..digits].to_string()
}

fn with_hash(cleaned: &str, id: &str, digits: usize) -> String {
    format!("{cleaned}-{}.pdf", hash_hex(id, digits))
}

/// The file name of one practice's statement (CONTRACT.md): the cleaned id plus `.pdf`, with `-`
/// and the first 8 hex digits of the id's SHA-256 where cleaning changed it or it starts with `.`.
/// For a whole set of statements use [`statement_file_names`], which also separates collisions.
pub fn statement_file_name(id: &str) -> String {
    match clean(id) {
        (c, false) => format!("{c}.pdf"),
        (c, true) => with_hash(&c, id, 8),
    }
}

/// File names for a set of statements, one per id, all different: ids whose cleaned names
/// coincide (`a/b`, `a_b`, `a:b`) all get the hash. Names are compared ignoring ASCII case, so
/// `P1` and `p1` stay two files on a case-insensitive filesystem (a Windows share) too.
pub fn statement_file_names<S: AsRef<str>>(ids: &[S]) -> Vec<String> {
    let cleaned: Vec<(String, bool)> = ids.iter().map(|id| clean(id.as_ref())).collect();
    let mut count: HashMap<String, usize> = HashMap::new();
    for (c, _) in &cleaned {
        *count.entry(c.to_ascii_lowercase()).or_default() += 1;
    }
    let mut names: Vec<String> = ids
        .iter()
        .zip(&cleaned)
        .map(|(id, (c, hash))| {
            if *hash || count.get(&c.to_ascii_lowercase()).is_some_and(|&n| n > 1) {
                with_hash(c, id.as_ref(), 8)
            } else {
                format!("{c}.pdf")
            }
        })
        .collect();
    // Only a contrived id (`x-1234abcd` beside `x/` hashing to 1234abcd) or a clash of 8 hex
    // digits can still collide: those names get the whole hash.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for n in &names {
        *seen.entry(n.to_ascii_lowercase()).or_default() += 1;
    }
    for (i, id) in ids.iter().enumerate() {
        if seen.get(&names[i].to_ascii_lowercase()).is_some_and(|&n| n > 1) {
            names[i] = with_hash(&cleaned[i].0, id.as_ref(), 64);
        }
    }
    names
}

/// Streams a result to stdout through a buffer, the way [`print_out`] prints one: a reader that
/// went away (`EPIPE`) ends the program quietly with exit 0.
pub fn print_out_with(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let result = {
        let stdout = io::stdout();
        let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
        write(&mut out).and_then(|()| out.flush())
    };
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => other,
    }
}

/// Prints a result to standard output. When the reader has gone away (`… | head`, a closed
/// pipe), the program ends quietly with exit 0 instead of panicking as `println!` does; what it
/// had committed stays committed. Other errors are returned.
pub fn print_out(text: &str) -> io::Result<()> {
    let result = {
        let mut out = io::stdout().lock();
        out.write_all(text.as_bytes()).and_then(|()| out.flush())
    };
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(unix)]
    use std::os::unix::fs::PermissionsExt;

    fn listing(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[cfg(unix)]
    #[test]
    fn a_written_file_is_mode_0600_even_over_an_old_0644_file() {
        // The umask is process-wide, so tests/output_files.rs runs the binary under umask 022
        // and 000; here: the new file does not inherit the old file's mode.
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("a.csv");
        std::fs::write(&p, "old").expect("write");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        write_atomic(&p, b"new").expect("write_atomic");
        let mode = std::fs::metadata(&p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(std::fs::read(&p).expect("read"), b"new");
        assert_eq!(listing(dir.path()), vec!["a.csv"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_at_the_final_name_is_replaced_and_its_target_untouched() {
        let dir = tempfile::tempdir().expect("tmp");
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "untouched\n").expect("write");
        std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let out = dir.path().join("out");
        std::fs::create_dir(&out).expect("mkdir");
        let p = out.join("practices.csv");
        std::os::unix::fs::symlink(&victim, &p).expect("symlink");
        write_atomic(&p, b"exported").expect("write_atomic");
        assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "untouched\n");
        assert_eq!(std::fs::metadata(&victim).expect("meta").permissions().mode() & 0o777, 0o644);
        let meta = std::fs::symlink_metadata(&p).expect("lstat");
        assert!(meta.file_type().is_file(), "the link is replaced by a regular file");
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read(&p).expect("read"), b"exported");
    }

    #[cfg(unix)]
    #[test]
    fn a_hard_link_to_the_old_file_keeps_the_old_contents() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("practices.csv");
        std::fs::write(&p, "old\n").expect("write");
        let other = dir.path().join("hardlink.csv");
        std::fs::hard_link(&p, &other).expect("link");
        write_atomic(&p, b"new\n").expect("write_atomic");
        assert_eq!(std::fs::read_to_string(&other).expect("old"), "old\n");
        assert_eq!(std::fs::read_to_string(&p).expect("new"), "new\n");
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file_and_no_final_file() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("statement.pdf");
        let e = write_atomic_with(&p, |w| {
            w.write_all(b"%PDF-1.7 half")?;
            Err(io::Error::other("No space left on device"))
        })
        .expect_err("fails");
        assert!(e.to_string().starts_with(&format!("cannot write {}: ", p.display())), "{e}");
        assert!(e.to_string().contains("No space left on device"), "{e}");
        assert_eq!(listing(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_whole() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("trainees.csv");
        std::fs::write(&p, "old\n").expect("write");
        let _ = write_atomic_with(&p, |w| {
            w.write_all(b"new, but cut")?;
            Err(io::Error::other("killed"))
        });
        assert_eq!(std::fs::read_to_string(&p).expect("read"), "old\n");
        assert_eq!(listing(dir.path()), vec!["trainees.csv"]);
    }

    #[test]
    fn an_error_names_the_file_when_the_folder_is_missing() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("missing").join("x.pdf");
        let e = write_atomic(&p, b"x").expect_err("no folder");
        assert!(e.to_string().starts_with(&format!("cannot write {}: ", p.display())), "{e}");
    }

    #[test]
    fn a_directory_at_the_final_name_is_an_error_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("x.csv");
        std::fs::create_dir(&p).expect("mkdir");
        write_atomic(&p, b"x").expect_err("a folder stands there");
        assert_eq!(listing(dir.path()), vec!["x.csv"]);
    }

    #[test]
    fn plain_ids_keep_their_name() {
        assert_eq!(statement_file_name("EX-P1"), "EX-P1.pdf");
        assert_eq!(statement_file_name("P0001.a_b"), "P0001.a_b.pdf");
        assert_eq!(statement_file_names(&["EX-P1", "EX-P2"]), vec!["EX-P1.pdf", "EX-P2.pdf"]);
    }

    #[test]
    fn cleaned_ids_get_the_first_8_hex_digits_of_their_sha256() {
        assert_eq!(hash_hex("a/b", 64).len(), 64);
        assert_eq!(statement_file_name("a/b"), format!("a_b-{}.pdf", &hash_hex("a/b", 8)));
        assert_eq!(statement_file_name("../etc/passwd"), format!(".._etc_passwd-{}.pdf", hash_hex("../etc/passwd", 8)));
        assert_eq!(statement_file_name("Læge 1"), format!("L_ge_1-{}.pdf", hash_hex("Læge 1", 8)));
        // Known value: sha256("abc") begins ba7816bf.
        assert_eq!(hash_hex("abc", 8), "ba7816bf");
    }

    #[test]
    fn a_hidden_name_gets_a_hash() {
        assert_eq!(statement_file_name(".hidden"), format!(".hidden-{}.pdf", hash_hex(".hidden", 8)));
        assert_eq!(statement_file_name(""), format!("-{}.pdf", hash_hex("", 8)));
    }

    #[test]
    fn colliding_names_a_slash_b_a_underscore_b_a_colon_b_give_three_files() {
        let names = statement_file_names(&["a/b", "a_b", "a:b", "c"]);
        assert_eq!(names[0], format!("a_b-{}.pdf", hash_hex("a/b", 8)));
        assert_eq!(names[1], format!("a_b-{}.pdf", hash_hex("a_b", 8)));
        assert_eq!(names[2], format!("a_b-{}.pdf", hash_hex("a:b", 8)));
        assert_eq!(names[3], "c.pdf");
        let distinct: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(distinct.len(), 4);
    }

    #[test]
    fn ids_differing_only_in_case_get_two_files_on_a_case_insensitive_disk() {
        let names = statement_file_names(&["P1", "p1"]);
        assert_ne!(names[0].to_lowercase(), names[1].to_lowercase());
    }

    #[test]
    fn an_id_shaped_like_another_ids_hashed_name_still_gets_its_own_file() {
        let taken = format!("x_-{}", hash_hex("x/", 8));
        let names = statement_file_names(&["x/", taken.as_str()]);
        assert_ne!(names[0], names[1]);
    }

    #[test]
    fn a_very_long_id_is_cut_and_hashed_to_fit_a_file_name() {
        let id = "P".repeat(400);
        let name = statement_file_name(&id);
        assert!(name.len() < 140, "{}", name.len());
        let dir = tempfile::tempdir().expect("tmp");
        write_atomic(&dir.path().join(&name), b"%PDF").expect("fits NAME_MAX with its temporary name");
    }
}
