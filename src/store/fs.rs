//! On what kind of filesystem a database lies.
//!
//! SQLite's WAL mode needs shared memory between the processes that use a file, which a network
//! filesystem cannot give, and its file locks are unreliable over NFS and SMB. A file there gets
//! a warning and the rollback journal (`journal_mode = DELETE`). Linux only, from /proc/mounts;
//! elsewhere nothing is detected.

use std::path::{Path, PathBuf};

/// The filesystem type of `path` when it is a network filesystem (nfs, cifs, sshfs, 9p, ...).
pub fn network_filesystem(path: &Path) -> Option<String> {
    let mounts = std::fs::read_to_string("/proc/mounts").ok()?;
    let fs_type = filesystem_type(&mounts, &resolved(path))?;
    is_network(&fs_type).then_some(fs_type)
}

/// The file's folder, resolved: the file itself may not exist yet.
fn resolved(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf())
    };
    std::fs::canonicalize(&absolute)
        .or_else(|_| absolute.parent().map(std::fs::canonicalize).unwrap_or_else(|| Ok(absolute.clone())))
        .unwrap_or(absolute)
}

/// The type of the mount that holds `path`: the longest mount point that is a prefix of it.
/// Later lines win on ties, as the kernel stacks them.
pub fn filesystem_type(mounts: &str, path: &Path) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    for line in mounts.lines() {
        let mut fields = line.split_whitespace();
        let (Some(_device), Some(mount_point), Some(fs_type)) = (fields.next(), fields.next(), fields.next()) else {
            continue;
        };
        let mount_point = unescape(mount_point);
        if path.starts_with(&mount_point) {
            let depth = Path::new(&mount_point).components().count();
            if best.as_ref().is_none_or(|(d, _)| depth >= *d) {
                best = Some((depth, fs_type.to_string()));
            }
        }
    }
    best.map(|(_, t)| t)
}

/// Whether a filesystem type from /proc/mounts is a network (or host-shared) one.
pub fn is_network(fs_type: &str) -> bool {
    const NETWORK: &[&str] = &[
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "9p",
        "afs",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "ncpfs",
        "coda",
        "davfs",
        "sshfs",
        "virtiofs",
        "vboxsf",
        "vmhgfs",
        "drvfs",
    ];
    const NETWORK_FUSE: &[&str] = &["sshfs", "rclone", "s3fs", "gvfs", "davfs", "smb", "nfs", "ceph", "gluster"];
    let t = fs_type.to_ascii_lowercase();
    if NETWORK.contains(&t.as_str()) {
        return true;
    }
    match t.strip_prefix("fuse.") {
        Some(driver) => NETWORK_FUSE.iter().any(|n| driver.contains(n)),
        None => false,
    }
}

/// /proc/mounts writes a space as `\040` (and tab, newline and backslash likewise, in octal).
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && i + 3 < bytes.len() && bytes[i + 1..i + 4].iter().all(|b| (b'0'..=b'7').contains(b)) {
            let value = bytes[i + 1..i + 4].iter().fold(0u32, |v, b| v * 8 + u32::from(b - b'0'));
            out.push(value as u8);
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
