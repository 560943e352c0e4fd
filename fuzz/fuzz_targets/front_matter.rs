//! Front matter: `split`, then `parse` of the block in its own syntax and in the other one.
#![no_main]

use jikenbo::notice::front_matter::{key_line, parse, split, Syntax};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match split(&text) {
        Ok(s) => {
            if let Some((_, block)) = s.front {
                for syntax in [Syntax::Toml, Syntax::Yaml] {
                    let _ = parse(syntax, block, s.front_line);
                }
                let _ = key_line(block, s.front_line, "title");
            }
            assert!(s.body_line >= 1);
        }
        Err(e) => assert!(e.line >= 1),
    }
    // The whole input as a block, in both syntaxes (what a file with no delimiters would give).
    for syntax in [Syntax::Toml, Syntax::Yaml] {
        let _ = parse(syntax, &text, 2);
    }
});
