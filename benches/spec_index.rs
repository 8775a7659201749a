//! In-process figures for the spec index, the largest cost of pre-work: parsing a
//! generated 4 MB spec and resolving a few anchors (what pre-work does), the whole-spec
//! walks spec-regression adds (duplicates, Main Body sections), and the worst case of
//! issue 12: 80,000 headings that all carry the number `1.1`.
//! Run with `cargo bench --bench spec_index`.

mod support;

use gov::model::anchor::{Anchor, SectionNumber};
use gov::model::spec::{RoadmapMatcher, Spec};
use std::time::{Duration, Instant};

const RUNS: usize = 21;

fn median(mut f: impl FnMut(), runs: usize) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn anchor(n: &str) -> Anchor {
    Anchor::Section {
        number: SectionNumber(n.to_string()),
    }
}

fn main() {
    for heading_every in [1024usize, 250] {
        let text = support::spec_text(4 << 20, heading_every);
        let headings = text.lines().filter(|l| l.starts_with('#')).count();
        let roadmap = RoadmapMatcher::Default;
        let parse_resolve = median(
            || {
                let spec = Spec::parse("Master_Spec_v2.0.md", text.as_str(), &roadmap);
                for n in ["1.1.3", "2.3.4", "5.5", "99.1", "404.1"] {
                    std::hint::black_box(spec.resolve(&anchor(n)));
                }
            },
            RUNS,
        );
        let spec = Spec::parse("Master_Spec_v2.0.md", text.as_str(), &roadmap);
        let walks = median(
            || {
                std::hint::black_box(spec.duplicates());
                std::hint::black_box(spec.main_body_sections());
            },
            RUNS,
        );
        println!(
            "4 MB spec, {headings:>6} headings: parse + 5 anchors {:>7.2} ms   duplicates + main-body walk {:>7.2} ms",
            ms(parse_resolve),
            ms(walks)
        );
    }
    let dups = "## 1.1 Same\n".repeat(80_000);
    let all = median(
        || {
            let spec = Spec::parse(
                "Master_Spec_v2.0.md",
                dups.as_str(),
                &RoadmapMatcher::Default,
            );
            std::hint::black_box(spec.duplicates().len());
            std::hint::black_box(spec.main_body_sections());
        },
        3,
    );
    println!(
        "80,000 `## 1.1` headings: parse + duplicates + main-body walk {:>9.2} ms",
        ms(all)
    );
}
