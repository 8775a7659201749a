//! Generated governance repositories for benchmarks: N packets, a spec of a given
//! size with thousands of numbered headings, a board listing every packet, and a
//! signature audit with one row per packet.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

pub struct Generated {
    pub packets: usize,
    pub spec_bytes: usize,
    pub headings: usize,
}

/// Writes a `docs`-layout repository into `root`, with a spec of about one numbered
/// heading per KB of prose (a realistic density).
pub fn generate(root: &Path, packets: usize, spec_bytes: usize) -> Generated {
    generate_with(root, packets, spec_bytes, 1024)
}

/// As [`generate`], with one heading per `heading_every` bytes of spec (250 is a dense
/// worst case: 16,700 headings in 4 MB).
pub fn generate_with(
    root: &Path,
    packets: usize,
    spec_bytes: usize,
    heading_every: usize,
) -> Generated {
    let docs = root.join("docs/task_packets");
    std::fs::create_dir_all(&docs).expect("mkdir");
    let spec = spec_text(spec_bytes, heading_every);
    std::fs::write(root.join("Master_Spec_v2.0.md"), &spec).expect("spec");
    std::fs::write(
        root.join("docs/SPEC_CURRENT.md"),
        "# Current\n[Master_Spec_v2.0.md](../Master_Spec_v2.0.md)\n",
    )
    .expect("pointer");
    let mut board = String::from("# Board\n\n## Phase 1 Closure Gates (BLOCKING)\n\n");
    for i in 0..packets.min(20) {
        let _ = writeln!(board, "- [WP-1-Gen-{i:05}] Done [VALIDATED]");
    }
    board.push_str("\n## Ready for Dev\n\n");
    for i in 20.min(packets)..packets {
        let _ = writeln!(
            board,
            "- [WP-1-Gen-{i:05}] Ready-for-Dev (no blockers) since 2026-11-01"
        );
    }
    board.push_str("\n## In Progress\n\n## Done\n\n");
    for i in 0..packets.min(20) {
        let _ = writeln!(board, "- **[WP-1-Gen-{i:05}]** - [VALIDATED]");
    }
    board.push_str("\n## Blocked\n\n## Superseded (Archive)\n");
    std::fs::write(root.join("docs/TASK_BOARD.md"), board).expect("board");
    let mut audit = String::from("# Audit\n\n## Consumed Signatures\n\n| Signature | Used By | Date/Time | Purpose | Master Spec Version | Evidence |\n|---|---|---|---|---|---|\n");
    for i in 0..packets {
        let _ = writeln!(audit, "| {} | Orchestrator | 2026-01-01 | WP-1-Gen-{i:05} | v2.0 | docs/task_packets/WP-1-Gen-{i:05}.md |", signature(i));
    }
    std::fs::write(root.join("docs/SIGNATURE_AUDIT.md"), audit).expect("audit");
    for i in 0..packets {
        std::fs::write(docs.join(format!("WP-1-Gen-{i:05}.md")), packet_text(i)).expect("packet");
    }
    let headings = spec.lines().filter(|l| l.starts_with('#')).count();
    Generated {
        packets,
        spec_bytes: spec.len(),
        headings,
    }
}

pub fn signature(i: usize) -> String {
    // distinct, valid DDMMYYYYHHMM: vary day, hour and minute
    format!(
        "gen{:02}{:02}2026{:02}{:02}",
        1 + i % 28,
        1 + (i / 28) % 12,
        (i / 336) % 24,
        i % 60
    )
}

pub fn spec_text(target: usize, heading_every: usize) -> String {
    let mut s = String::from("# Generated Master Spec v2.0\n\n");
    let filler = "The system MUST behave deterministically; every mutation is logged with a trace id and \
                  every error carries a stable code. Reviewers check this text against the packet.\n";
    let (mut a, mut b, mut c) = (1, 1, 1);
    while s.len() < target {
        let _ = writeln!(
            s,
            "### {a}.{b}.{c} Requirement {a}-{b}-{c} [CX-GEN-{a:03}{b:02}{c:02}]\n"
        );
        let section_start = s.len();
        while s.len() - section_start < heading_every.saturating_sub(60) {
            s.push_str(filler);
        }
        if c % 7 == 0 {
            s.push_str("```rust\nfn example() -> Result<(), Error> { Ok(()) }\n```\n");
        }
        s.push('\n');
        c += 1;
        if c > 20 {
            c = 1;
            b += 1;
            let _ = writeln!(s, "## {a}.{b} Section {a}.{b}\n");
        }
        if b > 20 {
            b = 1;
            a += 1;
        }
    }
    s.push_str("\n# 99 Roadmap\n\n## 99.1 Later\nFuture work.\n");
    s
}

pub fn packet_text(i: usize) -> String {
    let id = format!("WP-1-Gen-{i:05}");
    let status = if i < 20 {
        "Done (VALIDATED)"
    } else {
        "Ready-for-Dev"
    };
    let dep = if i >= 20 {
        "- Depends on: WP-1-Gen-00000\n"
    } else {
        ""
    };
    let verdict = if i < 20 {
        "\n## VALIDATION_REPORTS\nVALIDATION REPORT\nVerdict: PASS\n"
    } else {
        ""
    };
    format!(
        "# Task Packet: {id}\n\n## Metadata\n- TASK_ID: {id}\n- STATUS: {status}\n- RISK_TIER: MEDIUM\n- USER_SIGNATURE: {sig}\n\n\
         ## Authority\n- SPEC_ANCHOR: §1.1.{c}\n\n## Scope\n- What: Generated work item {i}.\n- Why: Benchmark input.\n\
         - IN_SCOPE_PATHS:\n  - src/gen/m{i}/a.rs\n  - src/gen/m{i}/b.rs\n  - src/gen/m{i}/c.rs\n  - src/gen/m{i}/d.rs\n  - tests/gen_{i}.rs\n\
         - OUT_OF_SCOPE:\n  - Everything else\n\n## DONE_MEANS\n1. a\n2. b\n3. c\n\n## TEST_PLAN\n```bash\ncargo test --test gen_{i}\n```\n\n\
         ## BOOTSTRAP\n- FILES_TO_OPEN:\n  - a\n  - b\n  - c\n  - d\n  - e\n- SEARCH_TERMS:\n  - \"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\", \"i\", \"j\"\n\
         - RUN_COMMANDS:\n  - cargo build\n  - cargo test\n  - cargo clippy\n- RISK_MAP:\n  - \"x\" -> \"y\"\n  - \"y\" -> \"z\"\n  - \"z\" -> \"x\"\n\n\
         ## ROLLBACK_HINT\n- git revert HEAD\n\n## Dependencies\n{dep}\n## VALIDATION\n- Command:\n- Result:\n{verdict}",
        sig = signature(i),
        c = 1 + i % 20,
    )
}

/// User + system CPU time (ms) of this process's waited-for children, from
/// /proc/self/stat (Linux; 10 ms clock ticks, so only meaningful summed over many
/// runs). Under a loaded machine this, not wall time, says what a command costs.
pub fn children_cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_comm = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_comm.split_whitespace().collect();
    // fields 16 and 17 of the file (cutime, cstime) are 13 and 14 after the comm
    let ticks: f64 = fields.get(13)?.parse::<f64>().ok()? + fields.get(14)?.parse::<f64>().ok()?;
    Some(ticks * 10.0)
}
