//! Release-mode benchmark of the Markdown block reader, in process, over 1,000
//! generated packets, a generated board of 1,000 entries, and every packet and board
//! fixture of the test suite. Sides: gov's reader (`MdDoc::parse`); the classifier
//! it replaced (pulldown-cmark's offset iterator plus line marking, kept in
//! `support/old_reader.rs`); pulldown-cmark's event iterator alone; and gov's reader
//! plus field collection (what a packet parse costs before the model reads values).
//!
//! `cargo bench --bench reader` prints, per corpus, the median and minimum time of a
//! whole pass, and each side's ratio to gov's reader (all in one process, one
//! session). `cargo bench --bench reader -- gov` (or `old`, `pulldown`) runs only
//! that side, 20 passes, for `perf stat -e instructions` or callgrind.

#[path = "support/old_reader.rs"]
mod old_reader;
mod support;

use gov::markdown::MdDoc;
use gov::model::fields;
use gov::text::Source;
use std::time::{Duration, Instant};

const PASSES: usize = 30;

fn corpus_generated() -> Vec<String> {
    (0..1000).map(support::packet_text).collect()
}

fn corpus_board() -> Vec<String> {
    let mut b = String::from("# Task Board\n\n## Ready for Dev\n\n");
    for i in 0..1000 {
        b.push_str(&format!(
            "- **[WP-1-Gen-{i:05}]** - [READY_FOR_DEV] - generated entry {i} with a tail of free text\n"
        ));
    }
    b.push_str("\n## Done\n\n- **[WP-1-Done]** - [VALIDATED]\n");
    vec![b]
}

fn corpus_fixtures() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(root).sort_by_file_name() {
        let Ok(e) = e else { continue };
        let p = e.path();
        let s = p.to_string_lossy();
        if p.extension().is_some_and(|x| x == "md")
            && !s.contains("fuzz-regressions")
            && !s.contains("Master_Spec")
            && !s.contains("spec")
        {
            if let Ok(bytes) = std::fs::read(p) {
                out.push(String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    out
}

fn gov_pass(docs: &[String]) -> usize {
    let mut n = 0;
    for d in docs {
        let doc = MdDoc::parse(Source::from_string("p.md", d.clone(), None));
        n += doc.lines.len();
    }
    n
}

fn old_pass(docs: &[String]) -> usize {
    let mut n = 0;
    for d in docs {
        let doc = old_reader::MdDoc::parse(Source::from_string("p.md", d.clone(), None));
        n += doc.lines.len();
    }
    n
}

fn fields_pass(docs: &[String]) -> usize {
    let mut n = 0;
    for d in docs {
        let doc = MdDoc::parse(Source::from_string("p.md", d.clone(), None));
        n += fields::collect(&doc).len() + doc.lines.len();
    }
    n
}

fn pulldown_pass(docs: &[String]) -> usize {
    use pulldown_cmark::{Options, Parser};
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TASKLISTS);
    let mut n = 0;
    for d in docs {
        // the same copy the other sides make, so they differ only by the parse
        let s = d.clone();
        n += Parser::new_ext(&s, opts).into_offset_iter().count();
    }
    n
}

fn time(passes: usize, f: impl Fn() -> usize) -> (Duration, Duration) {
    let mut t = Vec::with_capacity(passes);
    for _ in 0..passes {
        let start = Instant::now();
        std::hint::black_box(f());
        t.push(start.elapsed());
    }
    t.sort();
    (t[passes / 2], t[0])
}

type Pass = fn(&[String]) -> usize;

const SIDES: &[(&str, Pass)] = &[
    ("gov reader", gov_pass),
    ("old classifier (pulldown-cmark)", old_pass),
    ("pulldown-cmark events alone", pulldown_pass),
    ("gov reader + fields", fields_pass),
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let corpora = [
        ("1,000 generated packets", corpus_generated()),
        ("generated board, 1,000 entries", corpus_board()),
        ("test fixtures (packets, boards)", corpus_fixtures()),
    ];
    if let Some((_, f)) = SIDES
        .iter()
        .find(|(name, _)| args.iter().any(|a| name.starts_with(a.as_str())))
    {
        for _ in 0..20 {
            for (_, docs) in &corpora {
                std::hint::black_box(f(docs));
            }
        }
        return;
    }
    println!(
        "{:<32} {:>9} {:>10} {:>10}  side",
        "corpus", "bytes", "median", "min"
    );
    for (name, docs) in &corpora {
        let bytes: usize = docs.iter().map(String::len).sum();
        let mut base = None;
        for (side, f) in SIDES {
            let (med, min) = time(PASSES, || f(docs));
            let ratio = match base {
                None => {
                    base = Some(med);
                    String::new()
                }
                Some(b) => format!(" ({:.2}x gov reader)", med.as_secs_f64() / b.as_secs_f64()),
            };
            println!(
                "{:<32} {:>9} {:>7.3} ms {:>7.3} ms  {side}{ratio}",
                name,
                bytes,
                med.as_secs_f64() * 1e3,
                min.as_secs_f64() * 1e3
            );
        }
    }
}
