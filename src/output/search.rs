//! Full-text search files: a character-bigram inverted index that `search.js` reads in the
//! browser, offline, from the built site (no server, no pagefind).
//!
//! Japanese has no spaces between words, so the index cuts text into overlapping pairs of
//! characters (bigrams), as Lucene's CJKAnalyzer does: `ランサムウェア` → `ラン ンサ サム ムウ ウェ ェア`.
//! A query matches the notices holding all of its bigrams; the browser then checks that each
//! candidate really contains the query as one string before showing it (an index of bigrams
//! alone would also match `誤送付 … 送信` for `誤送信`).
//!
//! Text is normalized the same way for indexing and querying ([`normalize`]): NFKC (full-width
//! letters and digits, half-width kana, `㈱`), lower case, and every whitespace character
//! removed, so `株式会社 ひかり工業`, `株式会社ひかり工業` and a PDF's `株 式 会 社` are one string.
//! Bigrams are only made from letters and digits (punctuation still has to match in the
//! verification step). Single-character queries work for kanji (`県`, `市`): kanji also get
//! unigram postings. A single kana or Latin letter is not searchable (too common to be useful);
//! the page asks for two characters.
//!
//! Files, all under `search/` (every URL the page needs comes from `data-*` attributes that
//! Rust renders through [`Urls`], so the site works under a subpath):
//!
//! | file | content |
//! |---|---|
//! | `meta.json` | `{version, gen, docs, shards, page, max_keys, filters: {vector\|year\|label: [[key, count], …]}}` |
//! | `index/<hhh>.json` | one shard: `{key: postings, …}` for the keys whose [`shard_of`] is `hhh` (hex) |
//! | `docs/<c>.json` | a JSON array of [`DOCS_PER_FILE`] result entries: notice `i` (archive order, newest first) is entry `i % DOCS_PER_FILE` of file `i / DOCS_PER_FILE`: title, url, org, date, vectors, labels |
//! | `filters/<kind>/<i>.json` | the postings of the `i`-th filter value of `meta.filters[kind]`, as a JSON string |
//!
//! Postings (see [`encode_postings`]) are sorted notice numbers in one of two compact ASCII
//! forms, whichever is shorter: gaps as base-32 varints in a base64url alphabet, or `~` and a
//! bitmap, six notices per character. The number of shards is a power of two chosen so that a
//! shard averages about 8 KiB (at most 4096), so a query fetches at most [`MAX_QUERY_KEYS`]
//! small files, then the notice files of one result page. `gen` is a hash of all search files;
//! the script appends it to every fetch so a rebuilt site never mixes old and new shards.
//!
//! A result entry holds no text: to verify a match and cut the snippet, the script reads the
//! text from the notice page itself (`[data-search-text]`), so bodies are never copied into the
//! index. Entries are grouped [`DOCS_PER_FILE`] to a file because file count is what costs at
//! archive scale.

use crate::archive::{Archive, TaxonomyKind};
use crate::notice::Format;
use crate::output::OutputFile;
use crate::render::url::{Route, Urls};
use crate::render::view::TermView;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// A hasher for key codes (two chars packed in a u64): millions of postings are added per
/// build, and SipHash's protection against chosen keys buys nothing here.
#[derive(Default)]
struct CodeHasher(u64);

impl std::hash::Hasher for CodeHasher {
    fn finish(&self) -> u64 {
        // The product's low bits depend only on the key's low bits (the second character of a
        // bigram), and the table picks buckets by the low bits: the well-mixed high bits are
        // rotated down (as rustc-hash 2 does), or bigrams sharing a second character cluster.
        self.0.rotate_left(26)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, k: u64) {
        self.0 = (self.0.rotate_left(5) ^ k).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

/// Version of the file format, in `meta.json`.
pub const FORMAT_VERSION: u32 = 1;
/// Results per page.
pub const PAGE_SIZE: usize = 10;
/// At most this many index keys are looked up per query (spread over the query); the
/// verification step makes up for the keys left out of long queries.
pub const MAX_QUERY_KEYS: usize = 8;
/// Only the first this many characters of a body (not counting whitespace) are indexed.
pub const MAX_TEXT_CHARS: usize = 10_000;
/// Target average shard size.
const SHARD_TARGET_BYTES: usize = 8 * 1024;
/// Most shards.
const MAX_SHARDS: usize = 4096;
/// The alphabet of the postings encoding (base64url: safe in JSON strings and file names).
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The URLs the search page passes to `search.js` in `data-*` attributes.
#[derive(Clone, Debug, Serialize)]
pub struct SearchPageView {
    /// `search.js` with its version query.
    pub script_url: String,
    /// `…/search/meta.json`.
    pub meta_url: String,
    /// `…/search/index/` (shards are `<hhh>.json` below it).
    pub index_url: String,
    /// `…/search/docs/` (notices are `<n>.json` below it).
    pub docs_url: String,
    /// `…/search/filters/` (lists are `<kind>/<i>.json` below it).
    pub filters_url: String,
}

impl SearchPageView {
    /// The URLs under the site's base path.
    pub fn new(urls: &Urls, asset_version: &str) -> SearchPageView {
        SearchPageView {
            script_url: urls.asset("search.js", asset_version),
            meta_url: urls.href(&Route::file(&["search", "meta.json"])),
            index_url: urls.href(&Route::dir(&["search", "index"])),
            docs_url: urls.href(&Route::dir(&["search", "docs"])),
            filters_url: urls.href(&Route::dir(&["search", "filters"])),
        }
    }
}

/// The search page's route.
pub fn route() -> Route {
    Route::dir(&["search"])
}

/// True for the characters [`normalize`] removes (Unicode White_Space, BOM, zero-width space
/// and word joiner), the same set as `search.js`'s `/[\s\u0085\u200b\u2060]/`.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}' | '\u{2060}' | '\u{feff}')
}

/// True for characters that make index keys: letters and digits (JS `[\p{Alphabetic}\p{N}]`).
pub fn is_indexable(c: char) -> bool {
    match c {
        '\0'..='\x7f' => c.is_ascii_alphanumeric(),
        // Kana and unified ideographs, the bulk of the text: all letters.
        '\u{3041}'..='\u{3096}'
        | '\u{30a1}'..='\u{30fa}'
        | '\u{30fc}'
        | '\u{4e00}'..='\u{9fff}' => true,
        // CJK punctuation and the rest of these blocks, common in notices: from a table.
        '\u{3000}'..='\u{30ff}' => cjk_indexable(c),
        _ => c.is_alphanumeric(),
    }
}

/// `char::is_alphanumeric` for U+3000–U+30FF (CJK symbols and punctuation, kana), one bit a
/// character, for [`is_indexable`]; a test checks it.
const CJK_INDEXABLE: [u64; 4] = [
    0x1f3e_03fe_0000_00e0,
    0xffff_ffff_ffff_fffe,
    0xffff_fffe_e07f_ffff,
    0xf7ff_ffff_ffff_ffff,
];

/// `char::is_alphanumeric` of a character in U+3000–U+30FF, from [`CJK_INDEXABLE`].
fn cjk_indexable(c: char) -> bool {
    let i = c as usize - 0x3000;
    CJK_INDEXABLE[i / 64] & (1 << (i % 64)) != 0
}

/// True for kanji, which also get single-character keys (the same ranges as `search.js`).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3005}' | '\u{3007}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{3134f}')
}

/// The form both the index and queries are matched in: NFKC, lower case, no whitespace.
pub fn normalize(s: &str) -> String {
    let n = crate::text::nfkc(s);
    // `str::to_lowercase` (final sigma and all) only where a non-ASCII capital needs it.
    let lower = if has_non_ascii_capital(&n) {
        n.to_lowercase()
    } else {
        n.to_ascii_lowercase()
    };
    lower.chars().filter(|&c| !is_space(c)).collect()
}

/// Adds the keys of one normalized field: bigrams of adjacent letters/digits, and kanji alone.
fn add_keys(norm: &str, out: &mut Codes) {
    let mut prev: Option<char> = None;
    for c in norm.chars() {
        prev = add_char(c, prev, out);
    }
}

/// One character of a normalized field: its keys go into `out`; returns the new `prev`.
#[inline]
fn add_char(c: char, prev: Option<char>, out: &mut Codes) -> Option<char> {
    if !is_indexable(c) {
        return None;
    }
    if is_han(c) {
        out.push(key_code(c, None));
    }
    if let Some(p) = prev {
        out.push(key_code(p, Some(c)));
    }
    Some(c)
}

/// The keys of one notice as codes, in text order, with most repeats dropped by a small
/// direct-mapped table of the codes last seen (a repeat whose slot was taken in between gets
/// through; [`PostingsBuf::push`] skips a notice it already has, as every key's notices arrive
/// in order). Exact deduplication by a hash set per notice cost 0.18 s of CPU at 10k notices,
/// this a fraction of it. The table is kept across the notices of a rayon job (`map_init`) and
/// emptied slot by slot after each ([`Codes::take`]), so a notice never costs a table-sized
/// clear.
struct Codes {
    list: Vec<u64>,
    seen: Box<[u64]>,
}

/// Slots of [`Codes::seen`]: 32 KiB, a few times a notice's distinct keys.
const SEEN_BITS: u32 = 12;

impl Codes {
    fn new() -> Codes {
        Codes {
            list: Vec::new(),
            seen: vec![0; 1 << SEEN_BITS].into_boxed_slice(),
        }
    }

    fn slot(code: u64) -> usize {
        (code.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - SEEN_BITS)) as usize
    }

    /// Adds a code (never 0: NUL is not indexable) unless its slot holds it already.
    #[inline]
    fn push(&mut self, code: u64) {
        let slot = &mut self.seen[Self::slot(code)];
        if *slot != code {
            *slot = code;
            self.list.push(code);
        }
    }

    /// The codes added since the last call; the table is empty again.
    fn take(&mut self) -> Vec<u64> {
        for &c in &self.list {
            self.seen[Self::slot(c)] = 0;
        }
        std::mem::take(&mut self.list)
    }
}

/// A key as a number, for building (a char is at most 21 bits; NUL is never indexable).
fn key_code(a: char, b: Option<char>) -> u64 {
    (u64::from(a) << 32) | b.map(u64::from).unwrap_or(0)
}

fn key_string(code: u64) -> String {
    let a = char::from_u32((code >> 32) as u32).unwrap_or('\u{fffd}');
    let mut s = String::from(a);
    if let Some(b) = char::from_u32(code as u32).filter(|&b| b != '\0') {
        s.push(b);
    }
    s
}

/// The sorted, distinct index keys of a notice's fields (each field normalized on its own,
/// so no bigram spans two fields).
pub fn doc_keys(fields: &[&str]) -> Vec<String> {
    let mut codes = Codes::new();
    doc_codes(fields, &mut codes);
    let mut codes = codes.take();
    codes.sort_unstable();
    codes.dedup();
    codes.into_iter().map(key_string).collect()
}

/// Adds the keys of a notice to `set` as integer codes (two chars packed), some repeated:
/// cheap to merge over a whole archive; each distinct code becomes a string once, when written.
///
/// The same keys as [`add_keys`] of [`normalize`] of each field, in one pass over the NFKC
/// form: lower-casing and dropping whitespace happen as the characters go by (a field with a
/// non-ASCII capital, rare in Japanese text, takes the general path).
fn doc_codes(fields: &[&str], set: &mut Codes) {
    set.list
        .reserve(fields.iter().map(|f| f.len() / 2).sum::<usize>());
    for f in fields {
        let mut prev: Option<char> = None;
        let mut general = false;
        crate::text::nfkc_chunks(f, |piece| {
            if !general {
                add_piece(piece, &mut prev, &mut general, set);
            }
        });
        if general {
            // Lower-casing needs more than ASCII rules (final sigma and all): the whole field
            // again, by the general path (keys already added are added again, harmlessly).
            add_keys(&normalize(f), set);
        }
    }
}

/// The keys of one piece of a field's NFKC form (see [`doc_codes`]), on its bytes: kana and
/// kanji, nearly all of a notice, are told by their 3-byte form without decoding the rest of
/// the text through `char`, and their keys pushed here (what [`add_char`] does for them, without
/// its tests: through it, or through `chars()`, this loop took 15 % longer over the benchmark's
/// notices); every other character takes [`add_other`]. Sets `general` (and stops) at a
/// non-ASCII capital.
fn add_piece(piece: &str, prev: &mut Option<char>, general: &mut bool, set: &mut Codes) {
    let b = piece.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        if x < 0x80 {
            add_other(char::from(x), prev, set);
            i += 1;
        } else if (0xe0..0xf0).contains(&x) {
            // A well-formed 3-byte sequence (`piece` is a str).
            let c = (u32::from(x & 0x0f) << 12)
                | (u32::from(b[i + 1] & 0x3f) << 6)
                | u32::from(b[i + 2] & 0x3f);
            let c = char::from_u32(c).expect("a str holds scalar values");
            match c {
                '\u{3041}'..='\u{3096}' | '\u{30a1}'..='\u{30fa}' | '\u{30fc}' => {
                    if let Some(p) = *prev {
                        set.push(key_code(p, Some(c)));
                    }
                    *prev = Some(c);
                }
                '\u{4e00}'..='\u{9fff}' => {
                    set.push(key_code(c, None));
                    if let Some(p) = *prev {
                        set.push(key_code(p, Some(c)));
                    }
                    *prev = Some(c);
                }
                // CJK punctuation (、。「」・): what `add_other` decides for them, without its
                // other tests (the Unicode tables' lookups were 2% of a build's instructions).
                // The few letters among them (々, 〇, ゝ) go on below.
                '\u{3001}'..='\u{30ff}' if !is_indexable(c) => *prev = None,
                _ => {
                    if !add_other(c, prev, set) {
                        *general = true;
                        return;
                    }
                }
            }
            i += 3;
        } else {
            let c = piece[i..].chars().next().expect("at a char boundary");
            if !add_other(c, prev, set) {
                *general = true;
                return;
            }
            i += c.len_utf8();
        }
    }
}

/// Any character of a piece: its keys as [`add_char`] makes them, spaces skipped. False
/// (nothing added) for a non-ASCII capital, which needs the general path.
fn add_other(c: char, prev: &mut Option<char>, set: &mut Codes) -> bool {
    if is_space(c) {
        return true;
    }
    if !c.is_ascii() && is_non_ascii_capital(c) {
        return false;
    }
    *prev = add_char(c.to_ascii_lowercase(), *prev, set);
    true
}

/// True for a non-ASCII capital that lower-cases (kana and kanji never do).
fn is_non_ascii_capital(c: char) -> bool {
    !matches!(c, '\u{3000}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}') && c.is_uppercase()
}

/// True when lower-casing `s` needs more than ASCII rules.
fn has_non_ascii_capital(s: &str) -> bool {
    !s.is_ascii() && s.chars().any(|c| !c.is_ascii() && is_non_ascii_capital(c))
}

/// The start of `text` up to its [`MAX_TEXT_CHARS`]-th character that is not whitespace.
fn cut_text(text: &str) -> &str {
    if text.len() <= MAX_TEXT_CHARS {
        return text; // fewer bytes than that, so fewer characters
    }
    let mut count = 0;
    for (i, c) in text.char_indices() {
        if is_space(c) {
            continue;
        }
        count += 1;
        if count > MAX_TEXT_CHARS {
            return &text[..i];
        }
    }
    text
}

/// The keys a query looks up, for a normalized query: its bigrams (in order, distinct), or if
/// it has none, its kanji. At most [`MAX_QUERY_KEYS`], spread evenly over the query. Empty when
/// the query cannot be looked up (a single kana or letter). Mirrors `queryKeys` in search.js.
pub fn query_keys(norm: &str) -> Vec<String> {
    let chars: Vec<char> = norm.chars().collect();
    let mut keys: Vec<String> = Vec::new();
    for w in chars.windows(2) {
        if is_indexable(w[0]) && is_indexable(w[1]) {
            let k: String = w.iter().collect();
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    if keys.is_empty() {
        for &c in &chars {
            if is_han(c) && !keys.contains(&c.to_string()) {
                keys.push(c.to_string());
            }
        }
    }
    if keys.len() > MAX_QUERY_KEYS {
        let n = keys.len();
        keys = (0..MAX_QUERY_KEYS)
            .map(|i| keys[i * (n - 1) / (MAX_QUERY_KEYS - 1)].clone())
            .collect();
    }
    keys
}

/// The shard of a key: FNV-1a (32-bit) of its UTF-8 bytes, modulo `shards` (a power of two).
pub fn shard_of(key: &str, shards: usize) -> usize {
    let mut h: u32 = 0x811c9dc5;
    for &b in key.as_bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    (h as usize) % shards.max(1)
}

/// The output path of shard `i`.
pub fn shard_path(i: usize) -> String {
    format!("search/index/{i:03x}.json")
}

/// Sorted, distinct notice numbers → the shorter of the gap form and the bitmap form.
///
/// Gap form: the first number, then each difference minus one, each as a varint of 5-bit
/// groups, low group first, one base64url character per group (value + 32 when more groups
/// follow). Bitmap form: `~`, then one character per six notices (bit `j` of character `k` is
/// notice `6k + j`), up to the last notice in the list.
pub fn encode_postings(docs: &[u32]) -> String {
    let mut buf = PostingsBuf::default();
    for &d in docs {
        buf.push(d);
    }
    buf.finish()
}

/// A postings list being built, notice by notice in increasing order, already in the gap
/// form (one or two bytes a notice where a `Vec<u32>` takes four, and at 100k notices the
/// postings are a gigabyte of those): [`PostingsBuf::finish`] turns it into the bitmap form
/// when that is shorter.
#[derive(Default)]
struct PostingsBuf {
    gaps: Vec<u8>,
    last: Option<u32>,
}

impl PostingsBuf {
    /// Adds notice `d`, which is not below the last one added (adding the last one again
    /// does nothing).
    fn push(&mut self, d: u32) {
        let mut v = match self.last {
            None => d,
            Some(p) if p == d => return,
            Some(p) => d - p - 1,
        };
        self.last = Some(d);
        while v >= 32 {
            self.gaps.push(ALPHABET[((v & 31) | 32) as usize]);
            v >>= 5;
        }
        self.gaps.push(ALPHABET[v as usize]);
    }

    fn finish(self) -> String {
        let gaps = String::from_utf8(self.gaps).expect("the alphabet is ASCII");
        let Some(last) = self.last else {
            return gaps;
        };
        let chars = last as usize / 6 + 1;
        if chars + 1 >= gaps.len() {
            return gaps;
        }
        let mut bits = vec![0u8; chars];
        let (mut v, mut shift, mut prev): (u32, u32, Option<u32>) = (0, 0, None);
        for c in gaps.bytes() {
            let x = u32::from(ALPHABET_INDEX[c as usize]);
            v |= (x & 31) << shift;
            if x & 32 != 0 {
                shift += 5;
                continue;
            }
            let d = prev.map_or(v, |p| p + v + 1);
            bits[d as usize / 6] |= 1 << (d % 6);
            prev = Some(d);
            (v, shift) = (0, 0);
        }
        let mut out = String::with_capacity(chars + 1);
        out.push('~');
        out.extend(bits.iter().map(|&b| ALPHABET[b as usize] as char));
        out
    }
}

/// The value of each byte of [`ALPHABET`] (other bytes: 0, never met in built postings).
const ALPHABET_INDEX: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 64 {
        t[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// The inverse of [`encode_postings`]; `None` for malformed input.
pub fn decode_postings(s: &str) -> Option<Vec<u32>> {
    let value = |c: u8| ALPHABET.iter().position(|&a| a == c).map(|v| v as u32);
    let mut out = Vec::new();
    if let Some(bitmap) = s.strip_prefix('~') {
        for (k, c) in bitmap.bytes().enumerate() {
            let v = value(c)?;
            for j in 0..6 {
                if v & (1 << j) != 0 {
                    out.push((k * 6 + j) as u32);
                }
            }
        }
        return Some(out);
    }
    let (mut v, mut shift, mut prev): (u32, u32, Option<u32>) = (0, 0, None);
    for c in s.bytes() {
        let x = value(c)?;
        v |= (x & 31).checked_shl(shift)?;
        if x & 32 != 0 {
            shift += 5;
            continue;
        }
        let d = match prev {
            None => v,
            Some(p) => p.checked_add(v)?.checked_add(1)?,
        };
        out.push(d);
        prev = Some(d);
        v = 0;
        shift = 0;
    }
    (shift == 0).then_some(out)
}

/// A notice body as plain text: Markdown syntax dropped (text, code and raw HTML kept, as the
/// page shows them), blocks on their own lines; text and HTML notices are already text.
pub fn plain_text(body: &str, format: Format) -> String {
    if format != Format::Markdown {
        return body.to_string();
    }
    let options = crate::render::markdown::Markdown::parse_options();
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, body, &options);
    crate::render::markdown::plain_text_of(root, body.len())
}

/// Key-value pairs, sorted by key and unique, written as a JSON object.
struct SortedMap<'a>(&'a [(&'a str, &'a str)]);

impl Serialize for SortedMap<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// One notice as `docs/<n>.json`.
#[derive(Serialize)]
struct DocFile<'a> {
    title: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    org: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    vectors: Vec<TagFile<'a>>,
    labels: Vec<TagFile<'a>>,
}

/// A vector or label of a notice file.
#[derive(Serialize)]
struct TagFile<'a> {
    key: &'a str,
    name: &'a str,
    url: &'a str,
}

fn tags(list: &[TermView]) -> Vec<TagFile<'_>> {
    list.iter()
        .map(|t| TagFile {
            key: &t.key,
            name: &t.name,
            url: &t.url,
        })
        .collect()
}

/// `meta.json`.
#[derive(Serialize)]
struct MetaFile {
    version: u32,
    gen: String,
    docs: usize,
    shards: usize,
    page: usize,
    max_keys: usize,
    docs_per_file: usize,
    filters: BTreeMap<&'static str, Vec<(String, usize)>>,
}

/// Result entries per `search/docs/<n>.json` file: notice `i` is entry `i % 16` of file `i / 16`.
pub const DOCS_PER_FILE: usize = 16;
/// Notices whose keys are made at once (in parallel) before going into the postings: about
/// 50 MB of keys, and few enough waits at block ends (4096 rather than 1024 saved ~1 s of CPU
/// at 100k notices). The output does not depend on it; debug builds (the tests, whose largest
/// archive has 2,000 notices) use small blocks so that the joins between blocks are tested.
const KEYS_BLOCK: usize = if cfg!(debug_assertions) { 512 } else { 4096 };

/// Every file of the search index, for the archive's notices in archive order.
pub fn search_files(
    archive: &Archive,
    cards: &[&crate::render::view::CardView],
) -> Vec<OutputFile> {
    search_files_with(archive, cards, &|i| {
        let n = &archive.notices[i];
        Ok(plain_text(&n.body, n.format))
    })
    .expect("plain text never fails")
}

/// [`search_files`], with each notice's plain text from `text_of` (a build renders the notice's
/// page there and keeps the text of the same parse; called once per notice, in parallel).
pub fn search_files_with(
    archive: &Archive,
    cards: &[&crate::render::view::CardView],
    text_of: &(dyn Fn(usize) -> anyhow::Result<String> + Sync),
) -> anyhow::Result<Vec<OutputFile>> {
    // Per notice: its entry for the result list and its keys, in parallel, a block of notices at
    // a time: the keys of a block go into the postings and are dropped (all notices' keys at
    // once would be about 12 kB per notice). The postings are split into `PARTS` maps by key, so
    // that the block's keys go in on every core at once; each map takes the block's notices in
    // order, so every postings list comes out sorted.
    const PARTS: usize = 16;
    let part_of = |k: u64| ((k ^ (k >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 60) as usize;
    let mut docs_json: Vec<String> = Vec::with_capacity(archive.notices.len());
    type Postings = HashMap<u64, PostingsBuf, std::hash::BuildHasherDefault<CodeHasher>>;
    let mut parts: Vec<Postings> = (0..PARTS).map(|_| Postings::default()).collect();
    for start in (0..archive.notices.len()).step_by(KEYS_BLOCK) {
        let end = (start + KEYS_BLOCK).min(archive.notices.len());
        let block: Vec<(String, Vec<u64>, [u32; PARTS + 1])> = (start..end)
            .into_par_iter()
            .map_init(Codes::new, |codes, i| -> anyhow::Result<_> {
                let card = cards[i];
                let text = text_of(i)?;
                let org = card.org.as_ref().map(|o| o.name.as_str());
                let mut fields: Vec<&str> = vec![&card.title];
                fields.extend(org);
                for t in card.vectors.iter().chain(&card.labels) {
                    fields.push(&t.key);
                    fields.push(&t.name);
                }
                fields.push(cut_text(&text));
                // The keys grouped by part (a counting sort), so each part's worker reads
                // only its own keys: `bounds[p]..bounds[p + 1]`.
                doc_codes(&fields, codes);
                let set = codes.take();
                let mut bounds = [0u32; PARTS + 1];
                for &k in &set {
                    bounds[part_of(k) + 1] += 1;
                }
                for p in 0..PARTS {
                    bounds[p + 1] += bounds[p];
                }
                let mut next = bounds;
                let mut keys = vec![0u64; set.len()];
                for k in set {
                    let p = part_of(k);
                    keys[next[p] as usize] = k;
                    next[p] += 1;
                }
                let doc = DocFile {
                    title: &card.title,
                    url: &card.url,
                    org,
                    date: card.date.as_deref(),
                    vectors: tags(&card.vectors),
                    labels: tags(&card.labels),
                };
                let json =
                    crate::output::json_safe(serde_json::to_string(&doc).expect("serializable"));
                Ok((json, keys, bounds))
            })
            .collect::<anyhow::Result<_>>()?;
        parts.par_iter_mut().enumerate().for_each(|(p, map)| {
            for (i, (_, keys, bounds)) in block.iter().enumerate() {
                for &k in &keys[bounds[p] as usize..bounds[p + 1] as usize] {
                    map.entry(k).or_default().push((start + i) as u32);
                }
            }
        });
        docs_json.extend(block.into_iter().map(|(json, _, _)| json));
    }
    let mut encoded: Vec<(String, String)> = parts
        .into_par_iter()
        .flat_map_iter(|map| map.into_iter())
        .map(|(k, docs)| (key_string(k), docs.finish()))
        .collect();
    // Keys are unique, so an unstable sort gives one order; each shard then takes its keys in
    // that order (a JSON object with sorted keys, as a BTreeMap would write it, without one:
    // at 100k notices there are millions of keys, and this part runs on one core).
    encoded.par_sort_unstable();
    let total: usize = encoded.iter().map(|(k, e)| k.len() + e.len() + 6).sum();
    let shards = (total / SHARD_TARGET_BYTES + 1)
        .next_power_of_two()
        .min(MAX_SHARDS);
    let mut by_shard: Vec<Vec<(&str, &str)>> = vec![Vec::new(); shards];
    for (k, e) in &encoded {
        by_shard[shard_of(k, shards)].push((k, e));
    }
    let mut files: Vec<OutputFile> = by_shard
        .par_iter()
        .enumerate()
        .map(|(s, pairs)| {
            OutputFile::new(
                shard_path(s),
                crate::output::json_safe(
                    serde_json::to_string(&SortedMap(pairs)).expect("serializable"),
                ),
            )
        })
        .collect();
    // Result entries in chunks of DOCS_PER_FILE (a JSON array each): one small file per notice
    // would add a file per notice to the site, and file count is what costs at archive scale.
    files.extend(
        docs_json
            .chunks(DOCS_PER_FILE)
            .enumerate()
            .map(|(c, chunk)| {
                let body: Vec<&str> = chunk.iter().map(|json| json.as_str()).collect();
                OutputFile::new(
                    format!("search/docs/{c}.json"),
                    format!("[{}]", body.join(",")),
                )
            }),
    );
    // Filters: one postings file per vector, year and label.
    let mut filters: BTreeMap<&'static str, Vec<(String, usize)>> = BTreeMap::new();
    for (kind, name) in [
        (TaxonomyKind::Vector, "vector"),
        (TaxonomyKind::Year, "year"),
        (TaxonomyKind::Label, "label"),
    ] {
        let mut list = Vec::new();
        for (t, term) in archive.taxonomy(kind).terms.iter().enumerate() {
            let mut docs: Vec<u32> = term.notices.iter().map(|&i| i as u32).collect();
            docs.sort_unstable();
            docs.dedup();
            list.push((term.key.clone(), docs.len()));
            files.push(OutputFile::new(
                format!("search/filters/{name}/{t}.json"),
                serde_json::to_string(&encode_postings(&docs)).expect("serializable"),
            ));
        }
        filters.insert(name, list);
    }
    // A generation hash over every search file, so a fetch never mixes two builds: each file's
    // path and bytes hashed on its own (in parallel), then the hashes in file order.
    let hashes: Vec<u64> = files
        .par_iter()
        .map(|f| {
            xxhash_rust::xxh3::xxh3_64_with_seed(
                &f.bytes,
                xxhash_rust::xxh3::xxh3_64(f.path.as_bytes()),
            )
        })
        .collect();
    let h = xxhash_rust::xxh3::xxh3_64(
        &hashes
            .iter()
            .flat_map(|h| h.to_le_bytes())
            .collect::<Vec<u8>>(),
    );
    let meta = MetaFile {
        version: FORMAT_VERSION,
        gen: format!("{h:016x}"),
        docs: archive.notices.len(),
        shards,
        page: PAGE_SIZE,
        max_keys: MAX_QUERY_KEYS,
        docs_per_file: DOCS_PER_FILE,
        filters,
    };
    files.push(OutputFile::new(
        "search/meta.json".into(),
        crate::output::json_safe(serde_json::to_string(&meta).expect("serializable")),
    ));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_indexable_is_alphanumeric() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert_eq!(is_indexable(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn normalization_unifies_width_case_and_spaces() {
        assert_eq!(normalize("株式会社 ○○工業"), "株式会社○○工業");
        assert_eq!(
            normalize("株式会社\u{3000}ひかり\n工業"),
            "株式会社ひかり工業"
        );
        assert_eq!(normalize("ＶＰＮ機器"), "vpn機器");
        assert_eq!(normalize("ﾗﾝｻﾑｳｪｱ"), "ランサムウェア");
        assert_eq!(normalize("ｶﾞｲﾄﾞ"), "ガイド");
        assert_eq!(normalize("㈱ひかり"), "(株)ひかり");
        assert_eq!(normalize("2023 年 4 月"), "2023年4月");
    }

    #[test]
    fn keys_are_bigrams_of_letters_and_kanji_unigrams() {
        assert_eq!(
            doc_keys(&["ランサム"]),
            vec!["サム".to_string(), "ラン".into(), "ンサ".into()]
        );
        // Punctuation breaks bigrams; kanji stand alone too; fields never join.
        let keys = doc_keys(&["誤送信、お詫び", "株式"]);
        for k in [
            "誤", "送", "信", "詫", "株", "式", "誤送", "送信", "お詫", "詫び", "株式",
        ] {
            assert!(keys.contains(&k.to_string()), "{k} in {keys:?}");
        }
        assert!(!keys.iter().any(|k| k.contains('、') || k == "び株"));
        assert_eq!(
            query_keys(&normalize("最終 報告")),
            ["最終", "終報", "報告"]
        );
        assert_eq!(query_keys("県"), ["県"]);
        assert!(query_keys("の").is_empty());
        assert_eq!(query_keys("県・市"), ["県", "市"]);
        let long = query_keys(&normalize("不正アクセスによる個人情報漏えいに関するお詫び"));
        assert_eq!(long.len(), MAX_QUERY_KEYS);
        assert_eq!(long[0], "不正");
        assert_eq!(long[MAX_QUERY_KEYS - 1], "詫び");
    }

    #[test]
    fn one_pass_keys_equal_keys_of_the_normal_form() {
        for s in [
            "株式会社\u{3000}ひかり\n工業のＶＰＮ機器",
            "ﾗﾝｻﾑｳｪｱ 被害 ＡＢＣ abc",
            "ΣΟΦΙΑ Straße ǅemal İstanbul",
            "㈱ひかり ① 2023 年 4 月",
            "a\u{200b}b\u{feff}c d",
            "",
        ] {
            let mut want = Codes::new();
            add_keys(&normalize(s), &mut want);
            let mut want = want.take();
            want.sort_unstable();
            want.dedup();
            let mut codes = Codes::new();
            doc_codes(&[s], &mut codes);
            let mut got = codes.take();
            got.sort_unstable();
            got.dedup();
            assert_eq!(got, want, "{s:?}");
        }
        // Random strings: kana, kanji, ASCII, full-width forms, spaces of every kind,
        // combining marks, capitals that lower-case beyond ASCII, 4-byte characters.
        let pool = crate::text::char_tokens("あかがゖァカガヺーｰｶﾞ\u{3099}\u{309a}\u{301}漢字々〆\u{4dff}\u{9fff}\u{a000}\u{f900}𠮷aZz09 \t\n\r\u{b}\u{c}\u{85}\u{a0}\u{3000}\u{200b}\u{feff}\u{2060}Ａｚ０（）「」、。・〜※①㈱ΣσÉé\u{0}-_.İ");
        for s in crate::text::random_strings(&pool, 7, 14, 20_000) {
            let mut want = Codes::new();
            add_keys(&normalize(&s), &mut want);
            let mut want = want.take();
            want.sort_unstable();
            want.dedup();
            let mut codes = Codes::new();
            doc_codes(&[&s], &mut codes);
            let mut got = codes.take();
            got.sort_unstable();
            got.dedup();
            assert_eq!(got, want, "{s:?}");
        }
        let long = "あ い".repeat(MAX_TEXT_CHARS);
        let cut = cut_text(&long);
        assert_eq!(
            cut.chars().filter(|&c| !is_space(c)).count(),
            MAX_TEXT_CHARS
        );
        assert_eq!(cut_text("短い 文"), "短い 文");
    }

    #[test]
    fn repeats_are_dropped_per_notice_and_in_postings() {
        let mut codes = Codes::new();
        // Two codes sharing a slot take turns: the repeats get through the table.
        let a = key_code('漏', Some('え'));
        let b = (1u64..)
            .map(|x| x << 32 | 0x3042)
            .find(|&b| Codes::slot(b) == Codes::slot(a) && b != a)
            .expect("a code in the same slot");
        for c in [a, a, b, a, b, b] {
            codes.push(c);
        }
        assert_eq!(codes.take(), [a, b, a, b]);
        // The table is empty again: the next notice gets its codes.
        codes.push(a);
        assert_eq!(codes.take(), [a]);
        let mut buf = PostingsBuf::default();
        for d in [3, 3, 5, 5, 5, 70] {
            buf.push(d);
        }
        assert_eq!(buf.finish(), encode_postings(&[3, 5, 70]));
    }

    #[test]
    fn postings_round_trip_in_both_forms() {
        let cases: Vec<Vec<u32>> = vec![
            vec![],
            vec![0],
            vec![5],
            vec![31, 32, 33, 1000, 1_000_000],
            (0..500).collect(),
            (0..10_000).step_by(3).collect(),
            (0..10_000).step_by(97).collect(),
        ];
        for docs in cases {
            let e = encode_postings(&docs);
            assert!(e.bytes().all(|b| ALPHABET.contains(&b) || b == b'~'), "{e}");
            assert_eq!(decode_postings(&e).as_deref(), Some(docs.as_slice()), "{e}");
        }
        // Dense lists take the bitmap form, sparse ones the gap form.
        assert!(encode_postings(&(0..600).collect::<Vec<_>>()).starts_with('~'));
        assert_eq!(encode_postings(&[0, 10, 20]), "AJJ");
        assert_eq!(encode_postings(&[0, 1, 2]), "~H");
        assert_eq!(encode_postings(&[40]), "oB");
        assert_eq!(decode_postings("o"), None, "unfinished varint");
        assert_eq!(decode_postings("A*"), None, "outside the alphabet");
    }

    #[test]
    fn cjk_table_is_is_indexable() {
        for c in ('\u{3000}'..='\u{30ff}').filter(|c| !is_space(*c)) {
            assert_eq!(cjk_indexable(c), c.is_alphanumeric(), "{c:?}");
            assert_eq!(cjk_indexable(c), is_indexable(c), "{c:?}");
            assert!(!is_non_ascii_capital(c), "{c:?}");
        }
    }

    #[test]
    fn shards_are_stable() {
        assert_eq!(shard_of("ラン", 1), 0);
        // FNV-1a of "a" is 0xe40c292c.
        assert_eq!(shard_of("a", 4096), 0xe40c292c % 4096);
        assert_eq!(shard_path(0x1a), "search/index/01a.json");
    }

    #[test]
    fn plain_text_drops_markdown_syntax() {
        let md = "## 1. 経緯\n\n**委託先**の[株式会社 ひかり工業](https://x.example/)が\n`upload.php` を\n\n| 項目 | 件数 |\n|---|---|\n| 氏名 | 10 |\n\n```text\nPOST /admin\n```\n<b>x</b>\n";
        let text = plain_text(md, Format::Markdown);
        for want in [
            "1. 経緯",
            "委託先の株式会社 ひかり工業が",
            "upload.php",
            "氏名",
            "POST /admin",
            "<b>x</b>",
        ] {
            assert!(text.contains(want), "{want} in {text:?}");
        }
        for gone in ["##", "**", "](", "|", "```"] {
            assert!(!text.contains(gone), "{gone} in {text:?}");
        }
        assert_eq!(plain_text("a *b*", Format::Text), "a *b*");
    }
}
