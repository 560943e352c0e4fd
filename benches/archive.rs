//! Archive benchmark: generates N realistic notices, builds them with the release `jikenbo`
//! (and, with `--hugo`, an equivalent Hugo site) as child processes, and reports wall time, CPU
//! time, peak RSS, output size and pages per second.
//!
//! ```sh
//! cargo bench --bench archive -- --sizes 1000,10000 --hugo [--keep DIR] [--runs 2]
//! ```
//!
//! Cold build = `public/` (and jikenbo's manifest, Hugo's `resources/`) moved away first (see `rm`
//! for why not deleted); the OS page cache is not dropped,
//! so the content files are warm for every tool alike. Second build = the same command again with
//! nothing changed. The Markdown table is printed and written to `target/bench-report.md`.

#[allow(dead_code)]
mod gen;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const SEED: u64 = 0x6a69_6b65_6e62_6f00; // "jikenbo"

struct Args {
    sizes: Vec<usize>,
    hugo: bool,
    keep: Option<PathBuf>,
    runs: usize,
    extract: bool,
    hugo_second: bool,
    /// Also build the Hugo site without its dataset outputs (pages and feeds only).
    hugo_pages_only: bool,
    bin: PathBuf,
    report: PathBuf,
}

fn usage() -> ! {
    eprintln!(
        "usage: cargo bench --bench archive -- [--sizes 1000,10000] [--hugo] [--keep DIR] [--runs N] [--no-extract] [--hugo-second] [--hugo-pages-only] [--bin PATH] [--report PATH]"
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    let mut args = Args {
        sizes: vec![1_000, 10_000],
        hugo: false,
        keep: None,
        runs: 1,
        extract: true,
        hugo_second: false,
        hugo_pages_only: false,
        bin: PathBuf::from(env!("CARGO_BIN_EXE_jikenbo")),
        report: Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-report.md"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--sizes" => {
                args.sizes = value()
                    .split(',')
                    .map(|s| {
                        let s = s.trim().to_ascii_lowercase();
                        let (num, mul) = match s.strip_suffix('k') {
                            Some(n) => (n.to_string(), 1_000),
                            None => (s.clone(), 1),
                        };
                        num.parse::<usize>().unwrap_or_else(|_| usage()) * mul
                    })
                    .collect()
            }
            "--hugo" => args.hugo = true,
            "--keep" => args.keep = Some(PathBuf::from(value())),
            "--runs" => args.runs = value().parse::<usize>().unwrap_or_else(|_| usage()).max(1),
            "--no-extract" => args.extract = false,
            "--hugo-second" => args.hugo_second = true,
            "--hugo-pages-only" => args.hugo_pages_only = true,
            "--bin" => args.bin = PathBuf::from(value()),
            "--report" => args.report = PathBuf::from(value()),
            // cargo bench passes --bench to every bench binary.
            "--bench" => {}
            "-h" | "--help" => usage(),
            _ => usage(),
        }
    }
    args
}

/// One child process, measured.
#[derive(Clone, Copy, Default)]
struct Run {
    wall: f64,
    cpu: f64,
    rss_kb: i64,
    load: f64,
}

fn loadavg() -> f64 {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|x| x.parse().ok()))
        .unwrap_or(f64::NAN)
}

// The child is reaped by `wait4` below, which std cannot see.
#[allow(clippy::zombie_processes)]
/// Runs `cmd` to completion, with stdout and stderr into `log` (or discarded), and measures wall
/// time, user+sys CPU time and peak RSS of the child (`wait4`'s rusage).
fn measure(cmd: &mut Command, log: Option<&Path>) -> Run {
    // The previous run's output (2 GB at 100k notices) is still being written back: a build
    // started now would be throttled by the kernel's dirty-page limit for the other's bytes.
    // SAFETY: sync has no preconditions.
    unsafe { libc::sync() };
    let load = loadavg();
    // std spawns with vfork semantics, and Linux folds the pre-exec memory's high-water mark (ours)
    // into the child's ru_maxrss: shrink and reset our own peak first, so it cannot mask the child's.
    // SAFETY: malloc_trim only returns free heap pages to the OS.
    unsafe { libc::malloc_trim(0) };
    let _ = fs::write("/proc/self/clear_refs", "5");
    let floor = self_peak_kb();
    match log {
        Some(p) => {
            let f = fs::File::create(p).expect("creating log");
            cmd.stdout(f.try_clone().expect("dup log")).stderr(f);
        }
        None => {
            cmd.stdout(Stdio::null()).stderr(Stdio::null());
        }
    }
    let start = Instant::now();
    let child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("spawning {cmd:?}: {e}"));
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for our own child.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
    let wall = start.elapsed().as_secs_f64();
    assert_eq!(r, pid, "wait4 failed");
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        let tail = log
            .and_then(|p| fs::read_to_string(p).ok())
            .map(|s| s.lines().rev().take(20).collect::<Vec<_>>().join("\n"))
            .unwrap_or_default();
        panic!("{cmd:?} failed (status {status}); last lines of its log (reversed):\n{tail}");
    }
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    if ru.ru_maxrss <= floor {
        eprintln!(
            "warning: peak RSS of {cmd:?} ({} KB) is not above the benchmark's own ({floor} KB)",
            ru.ru_maxrss
        );
    }
    Run {
        wall,
        cpu: tv(ru.ru_utime) + tv(ru.ru_stime),
        rss_kb: ru.ru_maxrss,
        load,
    }
}

/// This process's peak RSS (VmHWM) in KB.
fn self_peak_kb() -> i64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// Size, file count and HTML count of an output folder, and its largest files.
#[derive(Default)]
struct Output {
    bytes: u64,
    files: u64,
    html: u64,
    largest: Vec<(u64, String)>,
}

fn scan(dir: &Path) -> Output {
    let mut out = Output::default();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.expect("walking output");
        if !e.file_type().is_file() {
            continue;
        }
        let len = e.metadata().expect("metadata").len();
        out.bytes += len;
        out.files += 1;
        if e.path().extension().is_some_and(|x| x == "html") {
            out.html += 1;
        }
        out.largest.push((
            len,
            e.path()
                .strip_prefix(dir)
                .unwrap_or(e.path())
                .display()
                .to_string(),
        ));
        if out.largest.len() > 64 {
            out.largest.sort_by(|a, b| b.cmp(a));
            out.largest.truncate(8);
        }
    }
    out.largest.sort_by(|a, b| b.cmp(a));
    out.largest.truncate(8);
    out
}

struct Row {
    n: usize,
    tool: &'static str,
    kind: &'static str,
    run: Run,
    out: Output,
    all_walls: Vec<(f64, f64)>,
}

fn mb(b: u64) -> f64 {
    b as f64 / 1e6
}

/// Builds `runs` times (cold each time when `cold`), returns the fastest run and every (wall, load).
fn best_of(
    runs: usize,
    cold: bool,
    clean: &dyn Fn(),
    mut cmd: impl FnMut() -> Command,
    log: &Path,
) -> (Run, Vec<(f64, f64)>) {
    let mut best: Option<Run> = None;
    let mut all = Vec::new();
    for _ in 0..runs {
        if cold {
            clean();
        }
        let r = measure(&mut cmd(), Some(log));
        all.push((r.wall, r.load));
        if best.is_none_or(|b| r.wall < b.wall) {
            best = Some(r);
        }
    }
    (best.expect("at least one run"), all)
}

/// Where `rm` puts what it removes until the benchmark ends.
static TRASH: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Removes `p` by renaming it into the trash folder, which is deleted after the last timed run.
///
/// Deleting a tree right before a timed build would make that build slow, and unevenly so: ext4
/// without a journal (as on these machines: `dmesg` says "mounted filesystem without journal")
/// will not reuse an inode freed in the last 60 s (300 s more while its inode-table block is
/// unwritten), and every new file's inode allocation scans past them. Measured here at 10k: the
/// same jikenbo build took 4.9 s with the previous output renamed away and 15 s right after an
/// `rm -rf` of it; `cp -r` of that output, 1.5 s and 5.6 s.
fn rm(p: &Path) {
    if !p.exists() {
        return;
    }
    static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let trash = TRASH.get().expect("trash folder set in main");
    let to = trash.join(
        COUNT
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            .to_string(),
    );
    fs::rename(p, &to)
        .unwrap_or_else(|e| panic!("moving {} to {}: {e}", p.display(), to.display()));
}

/// Reads every file under `dir`, so a timed build finds its content in the page cache (as on
/// the machine of an author who has just edited it). Without this, a run's reads depend on
/// what the runs before it pushed out of memory: here a 10k-notice build read its content
/// from disk again minutes after the previous one had read it.
fn warm(dir: &Path) {
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if e.file_type().is_file() {
            let _ = fs::read(e.path());
        }
    }
}

/// Deletes the trash folder (after the timed runs).
fn empty_trash() {
    if let Some(t) = TRASH.get() {
        let _ = fs::remove_dir_all(t);
    }
}

fn hugo_available() -> bool {
    Command::new("hugo")
        .arg("version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn version_of(cmd: &str, arg: &str) -> String {
    Command::new(cmd)
        .arg(arg)
        .output()
        .ok()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .to_string()
        })
        .unwrap_or_default()
}

/// Extraction throughput: `jikenbo extract` over `files` in batches (argument lists stay short).
fn extract_throughput(bin: &Path, files: &[PathBuf]) -> (f64, f64, f64, u64, i64) {
    let bytes: u64 = files
        .iter()
        .map(|f| fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum();
    let (mut wall, mut cpu, mut rss, mut load) = (0.0, 0.0, 0i64, 0.0);
    let chunks: Vec<&[PathBuf]> = files.chunks(1_000).collect();
    for chunk in &chunks {
        let mut cmd = Command::new(bin);
        cmd.arg("-q").arg("extract").args(*chunk);
        let r = measure(&mut cmd, None);
        wall += r.wall;
        cpu += r.cpu;
        rss = rss.max(r.rss_kb);
        load += r.load / chunks.len() as f64;
    }
    (wall, cpu, load, bytes, rss)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this binary without it, and
    // a benchmark of minutes has no place in the test suite.
    if !std::env::args().any(|a| a == "--bench") {
        eprintln!(
            "archive benchmark: skipped outside `cargo bench` (run `cargo bench --bench archive`)"
        );
        return;
    }
    let mut args = parse_args();
    let hugo = args.hugo && {
        let ok = hugo_available();
        if !ok {
            eprintln!("hugo not found: building jikenbo only");
        }
        ok
    };
    let tmp;
    let base = match &args.keep {
        Some(d) => d.clone(),
        None => {
            tmp = tempfile::tempdir().expect("temp dir");
            tmp.path().to_path_buf()
        }
    };
    fs::create_dir_all(&base).expect("creating work dir");
    let trash = base.join("trash");
    let _ = fs::remove_dir_all(&trash);
    fs::create_dir_all(&trash).expect("creating the trash folder");
    TRASH.set(trash).expect("set once");
    args.bin = private_copy(&args.bin, &base);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut notes = String::new();
    let _ = writeln!(
        notes,
        "machine: {cores} cores ({}), load at start {:.2}; jikenbo {}; {}",
        cpu_model(),
        loadavg(),
        args.bin.display(),
        if hugo {
            version_of("hugo", "version")
        } else {
            "no Hugo".into()
        }
    );
    eprintln!("{}", notes.trim_end());
    let mut rows: Vec<Row> = Vec::new();
    let mut extra = String::new();

    for &n in &args.sizes {
        let dir = base.join(format!("n{n}"));
        let jdir = dir.join("jikenbo");
        let hdir = dir.join("hugo");
        let rawdir = dir.join("raw");
        let stamp = dir.join(".generated");
        let want = format!("gen v{} n={n} seed={SEED:x} hugo={hugo}\n", gen::VERSION);
        let t = Instant::now();
        let corpus;
        if fs::read_to_string(&stamp).ok().as_deref() == Some(want.as_str()) {
            eprintln!("n={n}: reusing the corpus in {}", dir.display());
            let mut files: Vec<PathBuf> = walkdir::WalkDir::new(jdir.join("content"))
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .collect();
            files.sort();
            let mut raw_files: Vec<PathBuf> = fs::read_dir(&rawdir)
                .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
                .unwrap_or_default();
            raw_files.sort();
            let content_bytes = files
                .iter()
                .map(|f| fs::metadata(f).map(|m| m.len()).unwrap_or(0))
                .sum();
            corpus = gen::Corpus {
                notices: files.len(),
                orgs: 0,
                series_notices: 0,
                with_code: 0,
                with_table: 0,
                content_bytes,
                files,
                raw_files,
            };
        } else {
            rm(&dir);
            corpus = gen::generate(
                n,
                SEED,
                &jdir,
                hugo.then_some(hdir.as_path()),
                &rawdir,
                n.min(2_000),
            )
            .expect("generating the corpus");
            fs::write(&stamp, &want).expect("writing stamp");
        }
        let msg = format!(
            "n={n}: {} notices, {:.1} MB of content ({:.1} KB average){} in {:.1}s",
            corpus.notices,
            mb(corpus.content_bytes),
            corpus.content_bytes as f64 / corpus.notices as f64 / 1e3,
            if corpus.orgs > 0 {
                format!(
                    ", {} organizations, {} notices in series, {} with code, {} with tables, generated",
                    corpus.orgs, corpus.series_notices, corpus.with_code, corpus.with_table
                )
            } else {
                ", reused".to_string()
            },
            t.elapsed().as_secs_f64()
        );
        eprintln!("{msg}");
        let _ = writeln!(notes, "{msg}");

        // jikenbo: cold, then second build with nothing changed.
        let jpub = jdir.join("public");
        let bin = args.bin.clone();
        let jcmd = || {
            let mut c = Command::new(&bin);
            c.arg("-v").arg("build").arg("--root").arg(&jdir);
            c
        };
        eprintln!("n={n}: jikenbo cold build ×{}", args.runs);
        let (cold, walls) = best_of(
            args.runs,
            true,
            &|| {
                rm(&jpub);
                rm(&jdir.join(".public.jikenbo-manifest"));
                warm(&jdir.join("content"));
            },
            jcmd,
            &dir.join("jikenbo-cold.log"),
        );
        let out = scan(&jpub);
        let stages = fs::read_to_string(dir.join("jikenbo-cold.log")).unwrap_or_default();
        let _ = writeln!(
            extra,
            "\n### n = {n}: jikenbo cold build log (-v)\n\n```text"
        );
        for l in stages.lines().filter(|l| !l.contains("warning:")).take(20) {
            let _ = writeln!(extra, "{l}");
        }
        let _ = writeln!(extra, "```\n\nlargest output files:\n");
        for (len, p) in &out.largest {
            let _ = writeln!(extra, "- {:.2} MB `{p}`", mb(*len));
        }
        rows.push(Row {
            n,
            tool: "jikenbo",
            kind: "cold",
            run: cold,
            out,
            all_walls: walls,
        });
        eprintln!("n={n}: jikenbo second build ×{}", args.runs);
        let (second, walls) = best_of(
            args.runs,
            false,
            &|| {},
            jcmd,
            &dir.join("jikenbo-second.log"),
        );
        rows.push(Row {
            n,
            tool: "jikenbo",
            kind: "second",
            run: second,
            out: scan(&jpub),
            all_walls: walls,
        });

        if hugo {
            let hpub = hdir.join("public");
            let hres = hdir.join("resources");
            let hcmd = || {
                let mut c = Command::new("hugo");
                c.arg("--source").arg(&hdir).arg("--destination").arg(&hpub);
                c
            };
            // Before each cold run: no output, no resource cache, the content in the page cache.
            let cold_prep = || {
                rm(&hpub);
                rm(&hres);
                warm(&hdir.join("content"));
            };
            eprintln!("n={n}: hugo cold build ×{}", args.runs);
            let (cold, walls) = best_of(
                args.runs,
                true,
                &cold_prep,
                hcmd,
                &dir.join("hugo-cold.log"),
            );
            let out = scan(&hpub);
            let _ = writeln!(extra, "\n### n = {n}: Hugo cold build log\n\n```text");
            for l in fs::read_to_string(dir.join("hugo-cold.log"))
                .unwrap_or_default()
                .lines()
                .take(30)
            {
                let _ = writeln!(extra, "{l}");
            }
            let _ = writeln!(extra, "```\n\nlargest output files:\n");
            for (len, p) in &out.largest {
                let _ = writeln!(extra, "- {:.2} MB `{p}`", mb(*len));
            }
            rows.push(Row {
                n,
                tool: "hugo",
                kind: "cold",
                run: cold,
                out,
                all_walls: walls,
            });
            if args.hugo_pages_only {
                // The same site without the dataset (hugo-pages-only.toml turns its outputs off),
                // as the peer was before it wrote one: the ratio against it is in the notes.
                fs::write(hdir.join("hugo-pages-only.toml"), gen::HUGO_PAGES_ONLY)
                    .expect("writing hugo-pages-only.toml");
                let pcmd = || {
                    let mut c = hcmd();
                    c.arg("--config").arg(format!(
                        "{},{}",
                        hdir.join("hugo.toml").display(),
                        hdir.join("hugo-pages-only.toml").display()
                    ));
                    c
                };
                eprintln!("n={n}: hugo (pages only) cold build ×{}", args.runs);
                let (run, walls) = best_of(
                    args.runs,
                    true,
                    &cold_prep,
                    pcmd,
                    &dir.join("hugo-pages-only.log"),
                );
                rows.push(Row {
                    n,
                    tool: "hugo-pages-only",
                    kind: "cold",
                    run,
                    out: scan(&hpub),
                    all_walls: walls,
                });
            }
            if !args.hugo_second {
                continue_extract(&args, n, &corpus, &mut notes);
                if args.keep.is_none() {
                    rm(&dir);
                }
                continue;
            }
            eprintln!("n={n}: hugo second build ×{}", args.runs);
            let (second, walls) =
                best_of(args.runs, false, &|| {}, hcmd, &dir.join("hugo-second.log"));
            rows.push(Row {
                n,
                tool: "hugo",
                kind: "second",
                run: second,
                out: scan(&hpub),
                all_walls: walls,
            });
        }

        continue_extract(&args, n, &corpus, &mut notes);
        if args.keep.is_none() {
            rm(&dir);
        }
    }

    empty_trash();
    let report = render_report(&rows, &notes, &extra);
    println!("{report}");
    if let Some(d) = args.report.parent() {
        let _ = fs::create_dir_all(d);
    }
    fs::write(&args.report, &report).expect("writing the report");
    eprintln!("report written to {}", args.report.display());
}

/// Times `jikenbo extract` over the corpus (when asked) and notes the throughput.
fn continue_extract(args: &Args, n: usize, corpus: &gen::Corpus, notes: &mut String) {
    if args.extract {
        eprintln!("n={n}: jikenbo extract");
        let (wall, cpu, load, bytes, rss) = extract_throughput(&args.bin, &corpus.files);
        let _ = writeln!(
            notes,
            "n={n}: `jikenbo extract` over all {} notice files ({:.1} MB, with front matter): {:.2}s wall, {:.2}s CPU, {:.1} MB/s wall, {:.1} MB/s per CPU-second, peak RSS {:.0} MB (load {load:.2})",
            corpus.files.len(),
            mb(bytes),
            wall,
            cpu,
            mb(bytes) / wall,
            mb(bytes) / cpu,
            rss as f64 / 1024.0
        );
        if !corpus.raw_files.is_empty() {
            let (wall, cpu, load, bytes, rss) = extract_throughput(&args.bin, &corpus.raw_files);
            let _ = writeln!(
                notes,
                "n={n}: `jikenbo extract` over {} raw .txt notices ({:.1} MB, no front matter): {:.2}s wall, {:.2}s CPU, {:.1} MB/s wall, {:.1} MB/s per CPU-second, peak RSS {:.0} MB (load {load:.2})",
                corpus.raw_files.len(),
                mb(bytes),
                wall,
                cpu,
                mb(bytes) / wall,
                mb(bytes) / cpu,
                rss as f64 / 1024.0
            );
        }
    }
}

/// Copies the binary under test into the work folder, so a build of another checkout sharing
/// `CARGO_TARGET_DIR` cannot replace it mid-run (cargo uplifts every checkout's `jikenbo` to the
/// same `release/jikenbo`), and checks that it was built from this checkout.
fn private_copy(bin: &Path, base: &Path) -> PathBuf {
    let bytes = fs::read(bin).unwrap_or_else(|e| panic!("reading {}: {e}", bin.display()));
    // The debug info's compilation folder, NUL-terminated.
    let ours = format!("{}\0", env!("CARGO_MANIFEST_DIR"));
    if !bytes.windows(ours.len()).any(|w| w == ours.as_bytes()) {
        eprintln!(
            "warning: {} does not mention {}: it may have been built from another checkout \
             sharing CARGO_TARGET_DIR; rebuild with `cargo build --release` here or pass --bin",
            bin.display(),
            env!("CARGO_MANIFEST_DIR")
        );
    }
    let copy = base.join("jikenbo-under-test");
    fs::write(&copy, &bytes).expect("copying the binary");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&copy, fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    copy
}

fn cpu_model() -> String {
    fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

fn render_report(rows: &[Row], notes: &str, extra: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| N | tool | build | wall s | CPU s | peak RSS MB | output MB | files | HTML pages | pages/s | wall ÷ Hugo | RSS ÷ Hugo | load |"
    );
    let _ = writeln!(
        s,
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for r in rows {
        let hugo = rows
            .iter()
            .find(|h| h.n == r.n && h.tool == "hugo" && h.kind == r.kind);
        let (wr, mr) = match (r.tool, hugo) {
            ("jikenbo", Some(h)) => (
                format!("{:.3}", r.run.wall / h.run.wall),
                format!("{:.3}", r.run.rss_kb as f64 / h.run.rss_kb as f64),
            ),
            _ => ("—".into(), "—".into()),
        };
        let walls = if r.all_walls.len() > 1 {
            format!(
                " (runs: {})",
                r.all_walls
                    .iter()
                    .map(|(w, l)| format!("{w:.2}s@{l:.1}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {:.2}{walls} | {:.2} | {:.0} | {:.1} | {} | {} | {:.0} | {wr} | {mr} | {:.2} |",
            r.n,
            r.tool,
            r.kind,
            r.run.wall,
            r.run.cpu,
            r.run.rss_kb as f64 / 1024.0,
            mb(r.out.bytes),
            r.out.files,
            r.out.html,
            r.out.html as f64 / r.run.wall,
            r.run.load
        );
    }
    let _ = writeln!(s);
    // Targets of the benchmark issue.
    let find = |n: usize, tool: &str, kind: &str| {
        rows.iter()
            .find(|r| r.n == n && r.tool == tool && r.kind == kind)
    };
    let mark = |ok: bool| if ok { "met" } else { "MISSED" };
    let mut targets = Vec::new();
    if let (Some(j), Some(h)) = (
        find(10_000, "jikenbo", "cold"),
        find(10_000, "hugo", "cold"),
    ) {
        let w = j.run.wall / h.run.wall;
        let m = j.run.rss_kb as f64 / h.run.rss_kb as f64;
        targets.push(format!(
            "10k wall ≤ 0.15× Hugo: {w:.3}× — {}; 10k peak RSS ≤ 0.5× Hugo: {m:.3}× — {}",
            mark(w <= 0.15),
            mark(m <= 0.5)
        ));
        if let Some(p) = find(10_000, "hugo-pages-only", "cold") {
            targets.push(format!(
                "(against the Hugo site without its dataset: 10k wall {:.3}×, peak RSS {:.3}×)",
                j.run.wall / p.run.wall,
                j.run.rss_kb as f64 / p.run.rss_kb as f64
            ));
        }
    }
    if let Some(j) = find(100_000, "jikenbo", "cold") {
        let rss_gb = j.run.rss_kb as f64 / 1024.0 / 1024.0;
        targets.push(format!(
            "100k in ≤ 30 s: {:.1} s — {}; ≤ 3 GB: {rss_gb:.2} GB — {}; output ≤ 1 GB: {:.2} GB — {}",
            j.run.wall,
            mark(j.run.wall <= 30.0),
            mark(rss_gb <= 3.0),
            mb(j.out.bytes) / 1e3,
            mark(j.out.bytes <= 1_000_000_000)
        ));
    }
    for c in rows
        .iter()
        .filter(|r| r.tool == "jikenbo" && r.kind == "cold")
    {
        if let Some(sec) = find(c.n, "jikenbo", "second") {
            let q = sec.run.wall / c.run.wall;
            targets.push(format!(
                "n={}: second build ≤ 0.2× cold: {q:.3}× — {}",
                c.n,
                mark(q <= 0.2)
            ));
        }
    }
    if !targets.is_empty() {
        let _ = writeln!(s, "Targets:\n");
        for t in targets {
            let _ = writeln!(s, "- {t}");
        }
        let _ = writeln!(s);
    }
    let _ = writeln!(s, "Notes:\n");
    for l in notes.lines() {
        let _ = writeln!(s, "- {l}");
    }
    s.push_str(extra);
    s
}
