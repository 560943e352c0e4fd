//! Serve benchmark: how long after an edit to one notice the browser shows it.
//!
//! Generates (or reuses) the benchmark archive of N notices, starts the release `jikenbo serve`
//! on it, listens to the live-reload stream as a browser does, then edits notices one at a time:
//! appends a paragraph with a unique marker, waits for the `reload` event, and fetches the
//! notice's page until it carries the marker. The time from the write to the page is what a
//! user waits for.
//!
//! ```sh
//! cargo bench --bench serve -- [--size 10000] [--edits 20] [--keep DIR]
//! ```

#[allow(dead_code)]
#[path = "gen/mod.rs"]
mod gen;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const SEED: u64 = 0x6a69_6b65_6e62_6f00; // the archive benchmark's seed

struct Args {
    size: usize,
    edits: usize,
    keep: Option<PathBuf>,
    bin: PathBuf,
    trace: bool,
}

fn usage() -> ! {
    eprintln!(
        "usage: cargo bench --bench serve -- [--size 10000] [--edits 20] [--keep DIR] [--bin PATH]"
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    let mut args = Args {
        size: 10_000,
        edits: 20,
        keep: None,
        bin: PathBuf::from(env!("CARGO_BIN_EXE_jikenbo")),
        trace: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--size" => args.size = value().parse().unwrap_or_else(|_| usage()),
            "--edits" => args.edits = value().parse().unwrap_or_else(|_| usage()),
            "--keep" => args.keep = Some(PathBuf::from(value())),
            "--bin" => args.bin = PathBuf::from(value()),
            "--trace" => args.trace = true,
            "--bench" => {}
            _ => usage(),
        }
    }
    args
}

/// Kills the server when the benchmark ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A GET over a fresh connection: (status, body).
fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connecting to serve");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).expect("response");
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Reads the event stream and sends the arrival time of every `reload` event.
fn listen(port: u16) -> mpsc::Receiver<Instant> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connecting to serve");
    write!(
        s,
        "GET /__jikenbo/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("request");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let reader = BufReader::new(s);
        for line in reader.split(b'\n') {
            let Ok(line) = line else { return };
            // The stream is chunked; the event line can follow a chunk-size line.
            if String::from_utf8_lossy(&line).contains("data: reload")
                && tx.send(Instant::now()).is_err()
            {
                return;
            }
        }
    });
    rx
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn rss_mb(pid: u32) -> f64 {
    fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        eprintln!(
            "serve benchmark: skipped outside `cargo bench` (run `cargo bench --bench serve`)"
        );
        return;
    }
    let args = parse_args();
    let tmp;
    let base = match &args.keep {
        Some(d) => d.clone(),
        None => {
            tmp = tempfile::tempdir().expect("temp dir");
            tmp.path().to_path_buf()
        }
    };
    let n = args.size;
    let site = base.join(format!("n{n}")).join("jikenbo");
    if site.join("site.toml").is_file() && site.join("content").is_dir() {
        eprintln!("n={n}: reusing the archive in {}", site.display());
    } else {
        eprintln!("n={n}: generating the archive in {}", site.display());
        gen::generate(
            n,
            SEED,
            &site,
            None,
            &base.join(format!("n{n}")).join("raw"),
            0,
        )
        .expect("generating the corpus");
    }
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| !e.file_name().to_string_lossy().starts_with('_'))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    // Keep the originals, to put them back at the end.
    let picks: Vec<PathBuf> = (0..args.edits)
        .map(|k| files[(k * 7919 + 13) % files.len()].clone())
        .collect();
    let originals: Vec<(PathBuf, Vec<u8>)> = picks
        .iter()
        .map(|p| (p.clone(), fs::read(p).expect("reading a notice")))
        .collect();

    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
        l.local_addr().expect("address").port()
    };
    let t = Instant::now();
    let mut child = Command::new(&args.bin)
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(&site)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting jikenbo serve");
    let stderr = child.stderr.take().expect("stderr");
    let server = Server(child);
    let mut lines = BufReader::new(stderr).lines();
    for line in lines.by_ref() {
        let line = line.expect("reading serve's output");
        if line.starts_with("serving ") {
            break;
        }
    }
    // With --trace, the server's log (run it with RUST_LOG=debug) on the benchmark's clock.
    let trace = args.trace;
    let clock = Instant::now();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if trace {
                eprintln!(
                    "{:>8.1} ms  serve: {line}",
                    clock.elapsed().as_secs_f64() * 1000.0
                );
            }
        }
    });
    let first = t.elapsed().as_secs_f64();
    let events = listen(port);
    // The stream is open once the home page answers after it.
    assert_eq!(get(port, "/").0, 200, "home page");
    std::thread::sleep(Duration::from_millis(300));

    let mut to_event = Vec::new();
    let mut to_page = Vec::new();
    for (k, path) in picks.iter().enumerate() {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let url = format!("/notices/{stem}/");
        assert_eq!(get(port, &url).0, 200, "{url} before the edit");
        while events.try_recv().is_ok() {}
        let marker = format!("計測マーカー{k}号");
        let mut text = fs::read(path).expect("reading");
        text.extend_from_slice(format!("\n\n{marker}の段落。\n").as_bytes());
        let t0 = Instant::now();
        if trace {
            eprintln!(
                "{:>8.1} ms  edit {k}: {}",
                clock.elapsed().as_secs_f64() * 1000.0,
                path.display()
            );
        }
        fs::write(path, &text).expect("writing the edit");
        let event = events
            .recv_timeout(Duration::from_secs(30))
            .expect("no reload event within 30 s");
        to_event.push(event.duration_since(t0).as_secs_f64() * 1000.0);
        loop {
            let (status, body) = get(port, &url);
            if status == 200 && body.contains(&marker) {
                break;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(30),
                "{url} never showed the edit"
            );
        }
        to_page.push(t0.elapsed().as_secs_f64() * 1000.0);
        // Let the watcher settle before the next edit.
        std::thread::sleep(Duration::from_millis(150));
    }
    let rss = rss_mb(server.0.id());
    drop(server);
    for (p, bytes) in originals {
        fs::write(&p, bytes).expect("restoring a notice");
    }
    for v in [&mut to_event, &mut to_page] {
        v.sort_by(f64::total_cmp);
    }
    let load = fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "serve, {n} notices: first build {first:.1} s, server RSS {rss:.0} MB; {} edits of one notice each",
        picks.len()
    );
    println!(
        "  edit → reload event: median {:.0} ms, p90 {:.0} ms, max {:.0} ms",
        percentile(&to_event, 0.5),
        percentile(&to_event, 0.9),
        to_event[to_event.len() - 1]
    );
    println!(
        "  edit → page shows it: median {:.0} ms, p90 {:.0} ms, max {:.0} ms",
        percentile(&to_page, 0.5),
        percentile(&to_page, 0.9),
        to_page[to_page.len() - 1]
    );
    println!(
        "  (load average {})",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
}
