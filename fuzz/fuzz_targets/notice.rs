//! One content file through `parse_source`, as a `.md` and as a `.txt`.
#![no_main]

use jikenbo::config::Config;
use jikenbo::notice::{parse_source, Format, Source};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static CONFIG: OnceLock<Config> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let config = CONFIG.get_or_init(|| {
        Config::parse("title = \"f\"\nbase_url = \"https://f.example/\"\n").expect("config")
    });
    for format in [Format::Markdown, Format::Text] {
        let src = Source {
            path: "content/notices/2024/11/fuzz.md".into(),
            stem: "fuzz".into(),
            folders: vec!["2024".into(), "11".into()],
            format,
            bytes: data.to_vec(),
        };
        let _ = parse_source(&src, config);
    }
});
