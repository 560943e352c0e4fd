//! Splitting a Markdown notice into front matter and body, and reading the front matter.
//!
//! TOML between `+++` lines (what `import` writes) or YAML between `---` lines. Errors carry the
//! line in the *file* (not in the front matter block), so messages read `path:line: …`.

use super::Meta;
use crate::config::line_of;

/// The front matter syntax.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// `+++` … `+++`
    Toml,
    /// `---` … `---`
    Yaml,
}

/// A notice file cut in two.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The front matter block, when there is one.
    pub front: Option<(Syntax, &'a str)>,
    /// Everything after the closing delimiter.
    pub body: &'a str,
    /// 1-based line of the first front-matter line (2 when the file opens with a delimiter).
    pub front_line: usize,
    /// 1-based line where the body starts.
    pub body_line: usize,
}

/// An error in front matter, with its line in the file.
#[derive(Debug, PartialEq, Eq)]
pub struct FrontMatterError {
    /// 1-based line in the file.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Cuts `text` at its front matter delimiters. A file that opens with `+++`/`---` but never
/// closes it is an error at line 1.
pub fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let syntax = if is_delimiter(first_line(text), "+++") {
        Syntax::Toml
    } else if is_delimiter(first_line(text), "---") {
        Syntax::Yaml
    } else {
        return Ok(Split {
            front: None,
            body: text,
            front_line: 1,
            body_line: 1,
        });
    };
    let delim = if syntax == Syntax::Toml { "+++" } else { "---" };
    let start = text.find('\n').map(|i| i + 1).unwrap_or(text.len());
    let mut pos = start;
    while pos < text.len() {
        let end = text[pos..]
            .find('\n')
            .map(|i| pos + i + 1)
            .unwrap_or(text.len());
        if is_delimiter(&text[pos..end], delim) {
            let body_line = line_of(text, end) + usize::from(!text[..end].ends_with('\n'));
            return Ok(Split {
                front: Some((syntax, &text[start..pos])),
                body: &text[end..],
                front_line: 2,
                body_line,
            });
        }
        pos = end;
    }
    Err(FrontMatterError {
        line: 1,
        message: format!(
            "front matter opened with `{delim}` is never closed; add a `{delim}` line after it"
        ),
    })
}

fn first_line(text: &str) -> &str {
    text.split('\n').next().unwrap_or("")
}

fn is_delimiter(line: &str, delim: &str) -> bool {
    line.trim_end() == delim
}

/// Parses a front matter block into `Meta`; `front_line` is the file line where the block starts.
pub fn parse(syntax: Syntax, block: &str, front_line: usize) -> Result<Meta, FrontMatterError> {
    match syntax {
        Syntax::Toml => toml::from_str::<Meta>(block).map_err(|e| FrontMatterError {
            line: front_line - 1 + e.span().map(|s| line_of(block, s.start)).unwrap_or(1),
            message: format!("invalid front matter: {}", e.message().trim()),
        }),
        Syntax::Yaml => {
            if block.trim().is_empty() {
                return Ok(Meta::default());
            }
            if let Some(line) = too_deep(block) {
                return Err(FrontMatterError {
                    line: front_line - 1 + line,
                    message: format!(
                        "invalid front matter: more than {MAX_BRACKETS} `[`/`{{`; nest lists less deeply"
                    ),
                });
            }
            serde_yaml::from_str::<Meta>(block).map_err(|e| {
                let msg = e.to_string();
                // Errors raised while converting a value (a bad date) point at the mapping, not
                // the value: find the line that holds the quoted value instead.
                let quoted = msg.split('`').nth(1).filter(|q| !q.is_empty());
                let line = quoted
                    .and_then(|q| block.lines().position(|l| l.contains(q)).map(|i| i + 1))
                    .or_else(|| e.location().map(|l| l.line()))
                    .unwrap_or(1);
                // serde_yaml appends " at line N column M"; the line is already in front.
                let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                FrontMatterError {
                    line: front_line - 1 + line,
                    message: format!("invalid front matter: {msg}"),
                }
            })
        }
    }
}

/// Most `[`/`{` a YAML block may hold. libyaml scans flow collections in time quadratic in their
/// depth (100 KB of `[` took minutes, before serde_yaml's own 128-level limit is reached), so a
/// block is checked first. Opening brackets are counted, not nesting: closers inside quoted
/// strings would otherwise hide real depth, and no front matter holds hundreds of brackets.
const MAX_BRACKETS: usize = 256;

/// The 1-based block line holding the `[`/`{` past `MAX_BRACKETS`, if any.
fn too_deep(block: &str) -> Option<usize> {
    let mut seen = 0usize;
    for (i, line) in block.lines().enumerate() {
        seen += line.bytes().filter(|b| matches!(b, b'[' | b'{')).count();
        if seen > MAX_BRACKETS {
            return Some(i + 1);
        }
    }
    None
}

/// 1-based file line of `key = …` / `key: …` inside a front matter block, for messages about a
/// field whose value is wrong in meaning (e.g. an unknown vector) rather than in syntax.
pub fn key_line(block: &str, front_line: usize, key: &str) -> Option<usize> {
    block
        .lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key).is_some_and(|rest| {
                let rest = rest.trim_start();
                rest.starts_with('=') || rest.starts_with(':')
            })
        })
        .map(|i| front_line + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_toml_and_yaml() {
        let s = split("+++\ntitle = \"a\"\n+++\n本文\n").unwrap();
        assert_eq!(s.front, Some((Syntax::Toml, "title = \"a\"\n")));
        assert_eq!(s.body, "本文\n");
        assert_eq!(s.body_line, 4);
        let s = split("---\ntitle: a\n---\n").unwrap();
        assert_eq!(s.front, Some((Syntax::Yaml, "title: a\n")));
        let s = split("ただの本文\n").unwrap();
        assert_eq!(s.front, None);
        assert_eq!(split("+++\ntitle = 1\n").unwrap_err().line, 1);
    }

    #[test]
    fn unknown_key_has_file_line() {
        let block = "title = \"a\"\norganisation = \"x\"\n";
        let err = parse(Syntax::Toml, block, 2).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(
            err.message.contains("unknown field `organisation`"),
            "{}",
            err.message
        );
        let err = parse(Syntax::Yaml, "title: a\nfoo: 1\n", 2).unwrap_err();
        assert_eq!(err.line, 3, "{}", err.message);
        assert!(
            err.message.contains("unknown field `foo`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn dates_in_both_syntaxes() {
        let m = parse(
            Syntax::Toml,
            "published = 2024-11-25\nexposure = { from = 2021-06-28, to = 2024-05-30 }\n",
            2,
        )
        .unwrap();
        assert_eq!(m.published.unwrap().to_string(), "2024-11-25");
        assert_eq!(
            m.exposure.unwrap().to_string_pair(),
            ("2021-06-28".into(), "2024-05-30".into())
        );
        let m = parse(
            Syntax::Yaml,
            "published: 2024-11-25\nrefers:\n  - date: 2024-06-11\n",
            2,
        )
        .unwrap();
        assert_eq!(m.published.unwrap().to_string(), "2024-11-25");
        let err = parse(Syntax::Toml, "title = \"a\"\npublished = 2024-02-30\n", 2).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("date"), "{}", err.message);
        let err = parse(Syntax::Toml, "records = -5\n", 2).unwrap_err();
        assert_eq!(err.line, 2);
    }

    #[test]
    fn deep_yaml_flow_nesting_is_rejected_quickly() {
        // 50,000 nested `[` made libyaml scan for minutes; now it is an error at once.
        let block = format!(
            "title: a\nlabels: {}{}\n",
            "[".repeat(50_000),
            "]".repeat(50_000)
        );
        let start = std::time::Instant::now();
        let err = parse(Syntax::Yaml, &block, 2).unwrap_err();
        assert!(start.elapsed().as_secs() < 2, "{:?}", start.elapsed());
        assert_eq!(err.line, 3, "{}", err.message);
        assert!(err.message.contains("256"), "{}", err.message);
        // Ordinary lists still parse.
        let m = parse(
            Syntax::Yaml,
            "labels: [\"[速報]\", b]\nvectors: [ransomware]\n",
            2,
        )
        .unwrap();
        assert_eq!(m.labels.unwrap().len(), 2);
    }

    trait Pair {
        fn to_string_pair(&self) -> (String, String);
    }
    impl Pair for super::super::Exposure {
        fn to_string_pair(&self) -> (String, String) {
            (self.from.unwrap().to_string(), self.to.unwrap().to_string())
        }
    }
}
