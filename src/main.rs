//! The `jikenbo` command line: parses arguments, runs the library, maps results to exit codes
//! (0 success, 1 content, check or I/O errors, 2 usage errors).

use clap::{Parser, Subcommand, ValueEnum};
use jikenbo::diagnostic::{self, Diagnostic, Level};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "jikenbo",
    version,
    about = "A static site generator for archives of security-incident notices"
)]
struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Print more detail (timings per stage).
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --output).
    Build {
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: <root>/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override site.toml's base_url (e.g. the GitHub Pages URL in CI).
        #[arg(long)]
        base_url: Option<String>,
        /// Include notices marked draft.
        #[arg(long)]
        drafts: bool,
        /// Worker threads (default: all cores).
        #[arg(long)]
        jobs: Option<usize>,
    },
    /// Serve the site on loopback, rebuild on changes and reload open pages.
    Serve {
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to bind.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Include notices marked draft.
        #[arg(long)]
        drafts: bool,
    },
    /// Create a new site in DIR (site.toml, a sample notice, a GitHub Pages workflow).
    Init {
        /// The folder to create the site in.
        dir: PathBuf,
        /// Add the site to a non-empty folder (changed files are kept as .bak).
        #[arg(long)]
        force: bool,
    },
    /// Validate the content and report every problem; exit 1 on any error.
    Check {
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print the metadata extracted from notice files.
    Extract {
        /// Files to read.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExtractFormat::Json)]
        format: ExtractFormat,
    },
    /// Turn raw notices (.txt, .html, .md without front matter) into Markdown with front matter.
    Import {
        /// Files or folders to import.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Where to write the notices.
        #[arg(long, default_value = "content/notices")]
        into: PathBuf,
        /// Replace existing files (the old file is kept as .bak).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExtractFormat {
    Json,
    Toml,
}

/// A faster allocator: a build makes and frees millions of small strings.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay`: its place in the `mi_option_e` enum of mimalloc's `mimalloc.h`
/// (v3, as libmimalloc-sys 0.1.49 builds it; the Rust bindings do not name this option).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// A build is short and keeps re-using the memory it frees: by default mimalloc hands freed
/// pages back to the kernel after a delay, and the next allocation faults them in again,
/// zeroed. At 10k notices that cost about 0.2 s of system time. `serve` keeps the default, so
/// a long-running server does not hold on to a rebuild's peak; `MIMALLOC_PURGE_DELAY` in the
/// environment still wins.
fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: mi_option_set only stores the value; the option is read when memory is freed.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let level = if cli.quiet {
        log::LevelFilter::Error
    } else if cli.verbose {
        log::LevelFilter::Debug
    } else {
        log::LevelFilter::Info
    };
    env_logger::Builder::new()
        .filter_level(log::LevelFilter::Warn)
        .filter_module("jikenbo", level)
        .format_timestamp(None)
        .format_target(false)
        .parse_default_env()
        .init();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            // Usage errors exit 2 through clap; anything that stops a command (a bad site.toml,
            // an unreadable file) is a content error.
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            jobs,
        } => {
            keep_freed_memory();
            if let Some(n) = jobs {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n.max(1))
                    .build_global()?;
            }
            let opts = jikenbo::BuildOptions {
                progress: !quiet,
                root,
                output,
                base_url,
                drafts,
                dry_run: false,
                exit_after: true,
            };
            let report = jikenbo::build(&opts)?;
            print_diagnostics(&report.diagnostics, quiet);
            let warnings = report
                .diagnostics
                .iter()
                .filter(|d| d.level == Level::Warning)
                .count();
            let errors = report.diagnostics.len() - warnings;
            if !report.wrote_output {
                eprintln!("build failed: {errors} error(s), {warnings} warning(s); the previous output was left as it was");
                return Ok(ExitCode::from(1));
            }
            if !quiet && report.up_to_date {
                for w in &report.previous_warnings {
                    eprintln!("{w}");
                }
                eprintln!(
                    "nothing changed: {} notices, {} pages, {} files left as they were, {} warning(s) in {:.2}s",
                    report.notices, report.pages, report.files, report.previous_warnings.len(), report.seconds
                );
            } else if !quiet {
                eprintln!(
                    "built {} notices: {} pages, {} files ({} written, {} unchanged), {} warning(s) in {:.2}s",
                    report.notices, report.pages, report.files, report.written, report.unchanged, warnings, report.seconds
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            root,
            port,
            bind,
            drafts,
        } => {
            jikenbo::serve::serve(&jikenbo::serve::ServeOptions {
                root,
                bind,
                port,
                drafts,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir, force } => {
            let written = jikenbo::init::init(&dir, force)?;
            for p in &written {
                println!("created {}", p.display());
            }
            println!("next: cd {} && jikenbo serve", dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { root, format } => {
            let result = jikenbo::check::check(&root)?;
            match format {
                Format::Json => {
                    let mut out = std::io::stdout().lock();
                    serde_json::to_writer_pretty(&mut out, &result)?;
                    writeln!(out)?;
                }
                Format::Text => {
                    print_diagnostics(&result.diagnostics, false);
                    let errors = result
                        .diagnostics
                        .iter()
                        .filter(|d| d.level == Level::Error)
                        .count();
                    eprintln!(
                        "checked {} notices{}: {errors} error(s), {} warning(s)",
                        result.notices,
                        if result.checked_output {
                            format!(" and {} output files", result.output_files)
                        } else {
                            String::new()
                        },
                        result.diagnostics.len() - errors
                    );
                }
            }
            Ok(if diagnostic::has_errors(&result.diagnostics) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Extract { files, format } => {
            let (entries, diags) = jikenbo::import::extract_files(&files);
            print_diagnostics(&diags, false);
            let mut out = std::io::stdout().lock();
            match format {
                ExtractFormat::Json => {
                    serde_json::to_writer_pretty(&mut out, &entries)?;
                    writeln!(out)?;
                }
                ExtractFormat::Toml => {
                    for e in &entries {
                        writeln!(out, "# {} ({})", e.file, e.id)?;
                        writeln!(out, "{}", jikenbo::import::front_matter_toml(&e.meta)?)?;
                    }
                }
            }
            Ok(if diagnostic::has_errors(&diags) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Import {
            inputs,
            into,
            force,
        } => {
            let result = jikenbo::import::import(&inputs, &into, force, !quiet)?;
            for line in &result.lines {
                if !quiet || line.starts_with("skipped") {
                    println!("{line}");
                }
            }
            print_diagnostics(&result.diagnostics, quiet);
            Ok(if diagnostic::has_errors(&result.diagnostics) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

fn print_diagnostics(diags: &[Diagnostic], quiet: bool) {
    let mut err = std::io::stderr().lock();
    for d in diags {
        if quiet && d.level == Level::Warning {
            continue;
        }
        let _ = writeln!(err, "{d}");
    }
}
