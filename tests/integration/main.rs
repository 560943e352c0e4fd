//! Integration tests: one binary (Cargo finds `tests/integration/main.rs`). Each module drives
//! the real `jikenbo` executable or the library on a fixture site copied to a temp folder.

mod browser; // headless Chromium runs the search page of a fixture served under a subpath
mod build; // building fixture sites: pages, URLs, feeds, determinism, atomic output
mod errors; // invalid sites: each failure named with file:line, exit 1, output untouched
mod extract_eval; // extraction scored field by field on fictional and shared real notices
mod hostile; // attack strings in every field: escaped everywhere
mod import; // extract and import on raw notices
mod links; // links found in the text: follow-ups, contractors, unarchived releases
mod search;
mod serve; // serve (live reload, path safety) and init // the search index: files, determinism, queries, bytes per query

use std::path::{Path, PathBuf};
use std::process::Command;

/// Copies `tests/fixtures/<name>` into a new temp folder and returns (guard, site root).
pub fn fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let dst = tmp.path().join(name);
    copy_dir(&src, &dst);
    (tmp, dst)
}

/// Copies a folder tree.
pub fn copy_dir(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(src).expect("under src");
        let target = dst.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The `name` fixture, copied and built (the build must succeed).
pub fn built(name: &str) -> (tempfile::TempDir, PathBuf) {
    let (tmp, root) = fixture(name);
    let (code, _, err) = run(jikenbo(&root).arg("build"));
    assert_eq!(code, 0, "{err}");
    (tmp, root)
}

/// The jikenbo binary, run in `dir`.
pub fn jikenbo(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jikenbo"));
    cmd.current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env("RUST_LOG", "warn");
    cmd
}

/// Runs and returns (exit code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("run jikenbo");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Reads a built file as text.
pub fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join("public").join(rel))
        .unwrap_or_else(|e| panic!("public/{rel}: {e}"))
}

/// Every file under `dir` with its bytes, sorted.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.expect("walk");
        if e.file_type().is_file() {
            out.push((
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            ));
        }
    }
    out
}
