//! Problems in the content that don't stop the pipeline: collected, sorted, printed together.
//!
//! A broken file or a dangling link is a `Diagnostic`, not an `Err`: the build reports every one
//! of them in one run (as Zola and ripgrep do) and the exit code says whether any was an error.

use serde::Serialize;
use std::fmt;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Fails `build` and `check`.
    Error,
    /// Reported; fails nothing.
    Warning,
}

/// One problem, tied to a file (and line where there is one).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub level: Level,
    /// Path as shown to the user (relative to the site root).
    pub path: String,
    /// 1-based line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// What is wrong and, where possible, what to do.
    pub message: String,
}

impl Diagnostic {
    /// An error.
    pub fn error(
        path: impl Into<String>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            level: Level::Error,
            path: path.into(),
            line,
            message: message.into(),
        }
    }

    /// A warning.
    pub fn warning(
        path: impl Into<String>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            level: Level::Warning,
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        match self.line {
            Some(line) => write!(f, "{}:{}: {level}: {}", self.path, line, self.message),
            None => write!(f, "{}: {level}: {}", self.path, self.message),
        }
    }
}

/// Sorts diagnostics by path, line, level and message, so reports are stable.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.path, a.line, a.level, &a.message).cmp(&(&b.path, b.line, b.level, &b.message))
    });
}

/// True when any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.level == Level::Error)
}
