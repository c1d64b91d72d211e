//! The instance lock: one row in the file saying which running program has it open for writing.
//!
//! SQLite's own locks keep two writers from damaging the file, and short writes from two
//! programs (the GUI and an HR script) simply queue. The instance lock is about people: a second
//! coordinator who opens the same file in a second desktop program is warned and offered
//! read-only, instead of both editing one file without knowing. A program killed without closing
//! the file leaves its row behind; such a stale lock (its process is gone, or the machine has
//! rebooted) is taken over silently, with a warning.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::fmt;

use super::{Result, StoreError};

/// Who holds (or held) a file open for writing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockInfo {
    pub host: String,
    pub os_user: String,
    pub pid: u32,
    /// Local time the holder opened the file.
    pub started: String,
    /// The host's boot id (Linux): a lock from before a reboot is stale.
    pub boot_id: String,
    /// The process's start time in clock ticks since boot (Linux): tells a reused pid apart.
    pub proc_start: Option<u64>,
}

impl fmt::Display for LockInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} on {} (process {}, since {})", self.os_user, self.host, self.pid, self.started)
    }
}

/// Whether the holder of a lock still runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Liveness {
    Alive,
    Gone,
    /// Another host, or no /proc to ask: treated as alive.
    Unknown,
}

impl LockInfo {
    /// This process, now.
    pub fn current() -> LockInfo {
        let pid = std::process::id();
        LockInfo {
            host: host_name(),
            os_user: super::os_user(),
            pid,
            started: super::now_stamp(),
            boot_id: boot_id(),
            proc_start: process_state(pid).map(|(_, start)| start),
        }
    }

    /// Whether this record is this very process (it may open the same file twice).
    pub fn is_this_process(&self) -> bool {
        let me = LockInfo::current();
        self.host == me.host && self.pid == me.pid && (self.boot_id.is_empty() || self.boot_id == me.boot_id)
    }

    /// Asks the operating system whether the holder still runs.
    pub fn liveness(&self) -> Liveness {
        if self.host != host_name() {
            return Liveness::Unknown;
        }
        let here = boot_id();
        if !self.boot_id.is_empty() && !here.is_empty() && self.boot_id != here {
            return Liveness::Gone;
        }
        if !std::path::Path::new("/proc/self/stat").exists() {
            return Liveness::Unknown;
        }
        match process_state(self.pid) {
            None => Liveness::Gone,
            // A zombie has stopped running; it only waits for its parent to notice.
            Some((state, _)) if state == 'Z' || state == 'X' => Liveness::Gone,
            Some((_, start)) if self.proc_start.is_some_and(|s| s != start) => Liveness::Gone,
            Some(_) => Liveness::Alive,
        }
    }
}

/// What taking the lock found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Taken {
    /// Nobody held it (or this process did).
    Free,
    /// A holder that no longer runs.
    Stale(LockInfo),
    /// A holder that may still run, taken over because the user said so.
    Forced(LockInfo),
}

/// Takes the lock in one IMMEDIATE transaction; a live holder gives `StoreError::HeldBy`
/// unless `take_over`.
pub(crate) fn acquire(conn: &mut Connection, path: &std::path::Path, take_over: bool) -> Result<(LockInfo, Taken)> {
    let me = LockInfo::current();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let held = read(&tx)?;
    let taken = match held {
        None => Taken::Free,
        Some(h) if h.is_this_process() => Taken::Free,
        Some(h) => match h.liveness() {
            Liveness::Gone => Taken::Stale(h),
            Liveness::Alive | Liveness::Unknown if take_over => Taken::Forced(h),
            Liveness::Alive | Liveness::Unknown => {
                return Err(StoreError::HeldBy { path: path.to_path_buf(), holder: Box::new(h) });
            }
        },
    };
    tx.execute(
        "INSERT OR REPLACE INTO instance_lock(id, host, boot_id, os_user, pid, proc_start, started)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
        params![me.host, me.boot_id, me.os_user, me.pid, me.proc_start.map(|s| s as i64), me.started],
    )?;
    tx.commit()?;
    Ok((me, taken))
}

/// Gives the lock back, if it is still ours.
pub(crate) fn release(conn: &Connection, mine: &LockInfo) -> Result<()> {
    conn.execute(
        "DELETE FROM instance_lock WHERE id = 1 AND host = ?1 AND pid = ?2 AND started = ?3",
        params![mine.host, mine.pid, mine.started],
    )?;
    Ok(())
}

/// The lock row, if the file has the table (schema 2) and a row.
pub(crate) fn read(conn: &Connection) -> Result<Option<LockInfo>> {
    let has_table: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'instance_lock')",
        [],
        |r| r.get(0),
    )?;
    if !has_table {
        return Ok(None);
    }
    Ok(conn
        .query_row("SELECT host, boot_id, os_user, pid, proc_start, started FROM instance_lock WHERE id = 1", [], |r| {
            Ok(LockInfo {
                host: r.get(0)?,
                boot_id: r.get(1)?,
                os_user: r.get(2)?,
                pid: r.get(3)?,
                proc_start: r.get::<_, Option<i64>>(4)?.map(|s| s as u64),
                started: r.get(5)?,
            })
        })
        .optional()?)
}

/// The machine's name, without any dependency: /proc on Linux, the environment elsewhere.
pub fn host_name() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown".to_string())
}

fn boot_id() -> String {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id").map(|s| s.trim().to_string()).unwrap_or_default()
}

/// (state, start time in ticks) of a process, from /proc/PID/stat.
fn process_state(pid: u32) -> Option<(char, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    parse_stat(&stat)
}

/// The command name in field 2 may hold spaces and parentheses, so fields are counted from the
/// last ')': then field 3 (state) is the first and field 22 (starttime) the 20th.
pub(crate) fn parse_stat(stat: &str) -> Option<(char, u64)> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let state = fields.first()?.chars().next()?;
    let start = fields.get(19)?.parse().ok()?;
    Some((state, start))
}
