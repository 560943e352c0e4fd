//! Extraction throughput (issue 7: ≥ 20 MB/s per core), measured on the library, one thread.
//!
//! ```sh
//! cargo bench --bench extract [-- --seconds 3 --generated 300]
//! ```
//!
//! The corpus: the fictional evaluation notices of `tests/fixtures/extract/` (every encoding,
//! PDF text, HTML, a casebook page), the shared real notices when `../shared/notices` exists, and
//! generated raw notices of 3–8 KB (`benches/gen`, as `import` sees them: a title line and a
//! body). Each stage is timed over the whole corpus, repeatedly, on one thread, and reported in
//! MB of input per CPU-second (process CPU time, so a busy machine does not flatter the result):
//!
//! * `decode`: bytes → text (encoding detection, strict decoding, newlines);
//! * `pipeline`: what `import`/`build` do per raw file after reading it: decode, HTML to text,
//!   casebook split, `extract` of each notice;
//! * `extract`: `extract::extract` alone on decoded, plain text.
//!
//! Without `--bench` (as `cargo test --all-targets` runs it) it makes one quick pass over the
//! fixtures and exits.

#[allow(dead_code)]
mod gen;

use jikenbo::extract;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// CPU seconds used by this process so far.
fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime");
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

struct Raw {
    bytes: Vec<u8>,
    html: bool,
}

fn read_dir_raw(dir: &Path, out: &mut Vec<Raw>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        if matches!(ext, "txt" | "html") {
            out.push(Raw {
                bytes: std::fs::read(&p).expect("read"),
                html: ext == "html",
            });
        }
    }
}

fn pipeline(raw: &Raw) -> usize {
    let Ok(text) = extract::decode(&raw.bytes) else {
        return 0;
    };
    let plain = if raw.html {
        extract::html_to_text(&text)
    } else {
        text
    };
    let mut fields = 0;
    for post in extract::split_posts(&plain) {
        // As `notice::parse_source`: a casebook post's meta is complete already.
        let meta = if post.meta == jikenbo::notice::Meta::default() {
            extract::extract(&post.text)
        } else {
            post.meta
        };
        fields += usize::from(meta.title.is_some()) + usize::from(meta.vectors.is_some());
    }
    fields
}

/// Runs `f` over the corpus until `seconds` of CPU time have passed; returns MB per CPU-second.
fn measure(name: &str, bytes: usize, seconds: f64, mut f: impl FnMut() -> usize) -> f64 {
    let mut sink = f(); // warm-up (lazy regexes, caches)
    let mut best = 0.0f64;
    // Three rounds; the best is reported (the machine is shared).
    for _ in 0..3 {
        let (c0, w0) = (cpu_seconds(), Instant::now());
        let mut runs = 0usize;
        while cpu_seconds() - c0 < seconds / 3.0 {
            sink = sink.wrapping_add(f());
            runs += 1;
        }
        let cpu = cpu_seconds() - c0;
        let wall = w0.elapsed().as_secs_f64();
        let mb = (bytes * runs) as f64 / 1e6;
        let rate = mb / cpu;
        eprintln!(
            "  {name:<9} {runs:>4} passes, {mb:>8.1} MB, {cpu:>5.2} CPU-s, {wall:>5.2} s wall: {rate:>6.1} MB/s per core"
        );
        best = best.max(rate);
    }
    std::hint::black_box(sink);
    best
}

fn main() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut corpus: Vec<Raw> = Vec::new();
    read_dir_raw(&manifest.join("tests/fixtures/extract"), &mut corpus);
    if !std::env::args().any(|a| a == "--bench") {
        let fields: usize = corpus.iter().map(pipeline).sum();
        eprintln!(
            "extract benchmark: one pass over {} fixtures ({fields} fields); run `cargo bench --bench extract` to measure",
            corpus.len()
        );
        return;
    }
    let mut seconds = 3.0f64;
    let mut generated = 300usize;
    let mut only: Option<String> = None;
    let mut dump: Option<PathBuf> = None;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seconds" => seconds = it.next().and_then(|s| s.parse().ok()).unwrap_or(seconds),
            "--generated" => {
                generated = it.next().and_then(|s| s.parse().ok()).unwrap_or(generated)
            }
            // Time one stage only (for a profiler).
            "--stage" => only = it.next(),
            // Write every notice's metadata as JSON lines (to compare two builds).
            "--dump" => dump = it.next().map(PathBuf::from),
            _ => {}
        }
    }
    let run = |stage: &str| only.as_deref().is_none_or(|o| o == stage);
    read_dir_raw(&manifest.join("../shared/notices"), &mut corpus);
    let fixtures = corpus.len();
    let tmp = tempfile::tempdir().expect("temp dir");
    let made = gen::generate(
        generated,
        0x6a69_6b65_6e62_6f00,
        &tmp.path().join("site"),
        None,
        &tmp.path().join("raw"),
        generated,
    )
    .expect("generating notices");
    for p in &made.raw_files {
        corpus.push(Raw {
            bytes: std::fs::read(p).expect("read"),
            html: false,
        });
    }
    let bytes: usize = corpus.iter().map(|r| r.bytes.len()).sum();
    let texts: Vec<String> = corpus
        .iter()
        .filter_map(|r| {
            let t = extract::decode(&r.bytes).ok()?;
            Some(if r.html { extract::html_to_text(&t) } else { t })
        })
        .collect();
    let text_bytes: usize = texts.iter().map(String::len).sum();
    eprintln!(
        "corpus: {} files ({fixtures} fixtures and shared notices, {} generated), {:.2} MB raw, {:.2} MB as UTF-8 text",
        corpus.len(),
        made.raw_files.len(),
        bytes as f64 / 1e6,
        text_bytes as f64 / 1e6
    );
    if let Some(path) = &dump {
        let mut out = String::new();
        for raw in &corpus {
            let Ok(text) = extract::decode(&raw.bytes) else {
                continue;
            };
            let plain = if raw.html {
                extract::html_to_text(&text)
            } else {
                text
            };
            for post in extract::split_posts(&plain) {
                let meta = post.meta.or(extract::extract(&post.text));
                out.push_str(&serde_json::to_string(&meta).expect("json"));
                out.push('\n');
            }
        }
        std::fs::write(path, out).expect("writing dump");
        eprintln!("wrote {}", path.display());
    }
    let mut decode = f64::NAN;
    let mut full = f64::NAN;
    let mut alone = f64::NAN;
    if run("decode") {
        decode = measure("decode", bytes, seconds, || {
            corpus
                .iter()
                .map(|r| extract::decode(&r.bytes).map_or(0, |t| t.len()))
                .sum()
        });
    }
    if run("pipeline") {
        full = measure("pipeline", bytes, seconds, || {
            corpus.iter().map(pipeline).sum()
        });
    }
    if run("extract") {
        alone = measure("extract", text_bytes, seconds, || {
            texts
                .iter()
                .map(|t| usize::from(extract::extract(t).title.is_some()))
                .sum()
        });
    }
    println!("| stage | MB/s per core |\n|---|---|");
    println!("| decode | {decode:.1} |");
    println!("| pipeline (decode + HTML + split + extract) | {full:.1} |");
    println!("| extract alone | {alone:.1} |");
}
