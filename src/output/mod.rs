//! Stage 5: output files — the site-wide builders (feeds, sitemap, static files) and the one
//! function that writes to disk.
//!
//! Writing is atomic: files go to a staging folder beside the output, which replaces the old
//! output only when everything is written. A failed or killed build leaves the previous output
//! as it was. Files whose bytes did not change are hard-linked from the previous output instead
//! of written again.

pub mod dataset;
pub mod feed;
pub mod search;
pub mod sitemap;

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// One file of the built site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, `/`-separated, never absolute, never `..`.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

impl OutputFile {
    /// A file from text.
    pub fn new(path: String, text: String) -> OutputFile {
        OutputFile {
            path,
            bytes: text.into_bytes(),
        }
    }

    /// A file from bytes.
    pub fn from_bytes(path: String, bytes: Vec<u8>) -> OutputFile {
        OutputFile { path, bytes }
    }
}

/// JSON text with `<`, `>` and `&` written as `\u003c`-style escapes: the same data for any
/// JSON reader, but a notice's `</script>` can never close a tag if the file is ever inlined.
pub fn json_safe(json: String) -> String {
    if !json.contains(['<', '>', '&']) {
        return json;
    }
    // These characters can only occur inside JSON strings, where the escapes are equivalent.
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Checks that `path` stays inside the output folder.
fn check_path(path: &str) -> Result<()> {
    if path.is_empty()
        || path.starts_with('/')
        || path.contains('\0')
        || path.contains('\\')
        || path
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == ".." || s.len() > 255)
    {
        bail!("refusing to write outside the output folder: `{path}`");
    }
    Ok(())
}

/// An exclusive lock on an output folder, held for the whole build: two builds on one output
/// at once would race on the staging folder. Released when dropped (or when the process dies).
pub struct OutputLock {
    _file: std::fs::File,
}

/// Takes the lock of `out_dir` (a file `.<name>.jikenbo-lock` beside it), or says who holds it.
pub fn lock(out_dir: &Path) -> Result<OutputLock> {
    let path = sibling(out_dir, "lock");
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .with_context(|| format!("opening {}", path.display()))?;
    if !try_lock(&file) {
        bail!(
            "another jikenbo build is writing {} (lock {}); wait for it to finish and try again",
            out_dir.display(),
            path.display()
        );
    }
    Ok(OutputLock { _file: file })
}

#[cfg(unix)]
fn try_lock(file: &std::fs::File) -> bool {
    use std::os::unix::io::AsRawFd;
    // SAFETY: flock on a file descriptor we own; the lock goes with the descriptor.
    unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
}

#[cfg(not(unix))]
fn try_lock(_: &std::fs::File) -> bool {
    true
}

/// What the last successful build wrote, kept beside the output (`.<name>.jikenbo-manifest`):
/// a fingerprint of its inputs and a hash per output file. It lets the next build skip all work
/// when no input changed, and hard-link unchanged files without reading them.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Fingerprint of every input of the build (content, config, theme, options, version).
    pub inputs: String,
    /// What that build reported (`notices N pages P`, then one line per warning), so a build
    /// that finds nothing changed can say the same.
    pub summary: Vec<String>,
    /// Output path → content hash.
    pub files: std::collections::HashMap<String, u64>,
}

fn sibling(out_dir: &Path, suffix: &str) -> PathBuf {
    let parent = out_dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    parent.join(format!(".{name}.jikenbo-{suffix}"))
}

impl Manifest {
    /// The manifest of the output at `out_dir`, when there is one and the output still exists.
    pub fn load(out_dir: &Path) -> Option<Manifest> {
        if !out_dir.join("index.html").is_file() {
            return None;
        }
        let text = std::fs::read_to_string(sibling(out_dir, "manifest")).ok()?;
        let mut lines = text.lines();
        let inputs = lines.next()?.strip_prefix("inputs ")?.to_string();
        let mut files = std::collections::HashMap::new();
        let mut summary = Vec::new();
        for line in lines {
            if let Some(s) = line.strip_prefix("summary ") {
                summary.push(s.to_string());
                continue;
            }
            let (hash, path) = line.split_once(' ')?;
            files.insert(path.to_string(), u64::from_str_radix(hash, 16).ok()?);
        }
        Some(Manifest {
            inputs,
            summary,
            files,
        })
    }

    fn save(&self, out_dir: &Path, paths: &[&str]) -> Result<()> {
        let mut text = format!("inputs {}\n", self.inputs);
        for line in &self.summary {
            text.push_str(&format!("summary {}\n", line.replace('\n', " ")));
        }
        for p in paths {
            text.push_str(&format!("{:016x} {p}\n", self.files[*p]));
        }
        let target = sibling(out_dir, "manifest");
        let tmp = sibling(out_dir, "manifest-tmp");
        std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &target).with_context(|| format!("writing {}", target.display()))
    }
}

/// Removes what a killed build left beside `out_dir` (its staging folder, a swapped-out
/// previous output). Call with the output lock held.
pub fn clean_leftovers(out_dir: &Path) -> Result<()> {
    for leftover in [
        sibling(out_dir, "staging"),
        sibling(out_dir, "old"),
        sibling(out_dir, "manifest-tmp"),
    ] {
        if leftover.is_dir() {
            std::fs::remove_dir_all(&leftover)
                .with_context(|| format!("removing leftover {}", leftover.display()))?;
        } else if leftover.exists() {
            std::fs::remove_file(&leftover)
                .with_context(|| format!("removing leftover {}", leftover.display()))?;
        }
    }
    Ok(())
}

/// A fast 64-bit content hash (xxh3).
pub fn hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// A new output being written: files go into a staging folder beside the output as they are
/// made (so a build never holds the whole site in memory), each hard-linked from the previous
/// output when its bytes did not change (known from the manifest without reading, or compared),
/// and `finish` swaps the staging folder in whole. Until then the previous output is untouched,
/// and a failed build leaves it as it was.
pub struct Staging {
    out_dir: PathBuf,
    staging: PathBuf,
    previous: Option<PathBuf>,
    manifest: Option<Manifest>,
    dirs: std::sync::Mutex<std::collections::HashSet<String>>,
    /// (path, hash, unchanged) of every file put.
    entries: std::sync::Mutex<Vec<(String, u64, bool)>>,
}

impl Staging {
    /// Starts a new output for `out_dir` (after removing leftovers of an interrupted build).
    pub fn begin(out_dir: &Path) -> Result<Staging> {
        let staging = sibling(out_dir, "staging");
        clean_leftovers(out_dir)?;
        std::fs::create_dir_all(&staging)
            .with_context(|| format!("creating {}", staging.display()))?;
        Ok(Staging {
            out_dir: out_dir.to_path_buf(),
            staging,
            previous: out_dir.is_dir().then(|| out_dir.to_path_buf()),
            manifest: Manifest::load(out_dir),
            dirs: Default::default(),
            entries: Default::default(),
        })
    }

    /// Adds one file (from any thread).
    pub fn put(&self, f: OutputFile) -> Result<()> {
        let (path, bytes) = (f.path.as_str(), f.bytes.as_slice());
        check_path(path)?;
        if let Some((dir, _)) = path.rsplit_once('/') {
            let known = self.dirs.lock().expect("dirs lock").contains(dir);
            if !known {
                std::fs::create_dir_all(self.staging.join(dir))
                    .with_context(|| format!("creating {}", self.staging.join(dir).display()))?;
                self.dirs.lock().expect("dirs lock").insert(dir.to_string());
            }
        }
        let h = hash(bytes);
        let target = self.staging.join(path);
        let mut unchanged = false;
        if let Some(prev) = &self.previous {
            let old_file = prev.join(path);
            let same = match &self.manifest {
                Some(m) => m.files.get(path) == Some(&h),
                None => same_bytes(&old_file, bytes),
            };
            unchanged = same && std::fs::hard_link(&old_file, &target).is_ok();
        }
        if !unchanged {
            std::fs::write(&target, bytes)
                .with_context(|| format!("writing {}", target.display()))?;
        }
        self.entries
            .lock()
            .expect("entries lock")
            .push((path.to_string(), h, unchanged));
        Ok(())
    }

    /// Swaps the new output in and saves its manifest. Returns (written, unchanged).
    pub fn finish(self, inputs: &str, summary: &[String]) -> Result<(usize, usize)> {
        let mut entries = self.entries.into_inner().expect("entries lock");
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for pair in entries.windows(2) {
            if pair[0].0 == pair[1].0 {
                bail!(
                    "two pages would be written to the same file `{}`",
                    pair[0].0
                );
            }
        }
        let old = sibling(&self.out_dir, "old");
        let unchanged = entries.iter().filter(|e| e.2).count();
        // The old manifest goes before the swap and the new one comes after it: a build killed in
        // between leaves no manifest, and the next build compares bytes instead of trusting one.
        let new_manifest = Manifest {
            inputs: inputs.to_string(),
            summary: summary.to_vec(),
            files: entries.iter().map(|e| (e.0.clone(), e.1)).collect(),
        };
        let paths: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
        let _ = std::fs::remove_file(sibling(&self.out_dir, "manifest"));
        swap_in(&self.staging, &self.out_dir, &old)?;
        new_manifest.save(&self.out_dir, &paths)?;
        if old.exists() {
            std::fs::remove_dir_all(&old).with_context(|| format!("removing {}", old.display()))?;
        }
        Ok((entries.len() - unchanged, unchanged))
    }
}

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            std::fs::read(path).is_ok_and(|b| b == bytes)
        }
        _ => false,
    }
}

/// Puts `staging` where `out_dir` is; the old output ends up at `old` (removed by the caller).
/// On Linux the two folders are exchanged in one atomic `renameat2(RENAME_EXCHANGE)`, so there
/// is no moment without a complete output, even under `kill -9`.
fn swap_in(staging: &Path, out_dir: &Path, old: &PathBuf) -> Result<()> {
    if out_dir.exists() {
        if !out_dir.is_dir() {
            bail!("{} exists and is not a folder", out_dir.display());
        }
        if exchange(staging, out_dir) {
            std::fs::rename(staging, old)
                .with_context(|| format!("moving the previous output to {}", old.display()))?;
            return Ok(());
        }
        std::fs::rename(out_dir, old)
            .with_context(|| format!("moving {} aside", out_dir.display()))?;
    }
    if let Err(e) = std::fs::rename(staging, out_dir) {
        // Put the previous output back before reporting.
        if old.exists() {
            let _ = std::fs::rename(old, out_dir);
        }
        return Err(e).with_context(|| format!("moving the new site into {}", out_dir.display()));
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let (Ok(ca), Ok(cb)) = (
        CString::new(a.as_os_str().as_bytes()),
        CString::new(b.as_os_str().as_bytes()),
    ) else {
        return false;
    };
    // SAFETY: both are valid NUL-terminated paths; renameat2 only reads them.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    rc == 0
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_escape() {
        for bad in [
            "../x",
            "/etc/passwd",
            "a/../../b",
            "a//b",
            "a\0b",
            "",
            "a\\b",
        ] {
            assert!(check_path(bad).is_err(), "{bad:?}");
        }
        assert!(check_path("labels/最終報告/index.html").is_ok());
    }

    #[test]
    fn a_second_lock_is_refused_with_a_message() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let held = lock(&out).unwrap();
        let err = lock(&out).err().expect("second lock refused").to_string();
        assert!(err.contains("another jikenbo build is writing"), "{err}");
        drop(held);
        assert!(lock(&out).is_ok());
    }

    #[test]
    fn json_cannot_close_a_script_tag() {
        let raw = serde_json::to_string(&["</script><b>&"]).unwrap();
        let safe = json_safe(raw);
        assert_eq!(safe, r#"["\u003c/script\u003e\u003cb\u003e\u0026"]"#);
        let back: Vec<String> = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, ["</script><b>&"]);
    }
}
