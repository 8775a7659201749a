//! The fuzz harness: one function per parser, each feeding arbitrary bytes through
//! the library and checking the invariants gov's commands rely on. The cargo-fuzz
//! targets in `fuzz_targets/` are one-line drivers of these functions, and the
//! integration test `tests/cli/fuzz_regressions.rs` replays every saved crash input
//! through the same functions, so a fixed crash stays fixed in `cargo test`.
//!
//! A panic here is a finding: either a parser panicked on input, or an invariant
//! below (stated in the `assert!` messages) does not hold.

use gov::config::{load_file, Layout, LayoutName};
use gov::diag::render::{self, Style};
use gov::diag::{Diagnostic, Report};
use gov::edit::{fill_signature, insert_audit_row, insert_board_entry, table_cell};
use gov::markdown::table::{is_delimiter_row, split_row};
use gov::markdown::{LineKind, MdDoc};
use gov::model::anchor::parse_anchors;
use gov::model::audit::{Evidence, NewRow, SignatureAudit};
use gov::model::board::{normalize_phase, Board, SectionKind};
use gov::model::gate_state::GateState;
use gov::model::packet::{classify_signature, Packet, SignatureValue, Verdict};
use gov::model::pointer::Pointer;
use gov::model::refinement::{Answer, Refinement};
use gov::model::signature::Signature;
use gov::model::spec::bundle::{check_hash, frontmatter_end, path_problem, Manifest};
use gov::model::spec::{version_from_name, version_key, ModuleText, RoadmapMatcher, Spec};
use gov::model::status::Status;
use gov::model::wp_id::{ids_in, WpId};
use gov::text::{normalize_name, repair_mojibake, strip_decoration, Source};
use std::path::Path;

/// One fuzz target: feeds arbitrary bytes through a parser and checks invariants.
pub type Target = fn(&[u8]);

/// Every target, by name: what the regression test and the property tests
/// iterate over.
pub const TARGETS: &[(&str, Target)] = &[
    ("packet", packet),
    ("board", board),
    ("spec", spec),
    ("audit", audit),
    ("signature", signature),
    ("config", config),
    ("refinement", refinement),
    ("markdown", markdown),
    ("scan", scan),
    ("packet_json", packet_json),
    ("spec_pointer", spec_pointer),
    ("spec_manifest", spec_manifest),
];

/// A root that does not exist: rules that look at the file system find nothing.
const NO_ROOT: &str = "/nonexistent/gov-fuzz-root";
const SIGNATURE: &str = "fuzz010120261200";

fn id(s: &str) -> WpId {
    WpId::parse(s).unwrap_or_else(|e| panic!("static id {s}: {e}"))
}

fn now() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 21)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .unwrap_or_default()
}

/// Renders a report both ways; the renderers must cope with any message text.
fn render(command: &str, diagnostics: Vec<Diagnostic>) {
    let mut report = Report::new(command, Some("WP-1-Fuzz".into()));
    report.extend(diagnostics);
    report.finish();
    let json = render::to_json(&report);
    assert_eq!(
        json["verdict"].as_str(),
        Some(report.verdict().as_str()),
        "the JSON verdict agrees with the report"
    );
    for w in report.diagnostics.windows(2) {
        assert!(
            (&w[0].path, w[0].line, w[0].column, w[0].code)
                <= (&w[1].path, w[1].line, w[1].column, w[1].code),
            "diagnostics are sorted by path, line, column, code"
        );
    }
    let _ = render::to_human(
        &report,
        Style {
            color: true,
            quiet: false,
        },
    );
}

const SPEC_TEXT: &str = "# Spec v1.0\n\n## 1 Intro\n### 1.1 Scope\n## 2 Storage [CX-100]\n### 2.3 Trait\n#### 2.3.12 Storage trait\n\n## Roadmap\n### 9.1 Later\n";
const BOARD_TEXT: &str = "# Task Board\n\n## Ready for Dev\n\n- [WP-1-Fuzz] Ready-for-Dev\n\n## In Progress\n\n## Done\n\n- [WP-1-Dep] [VALIDATED]\n\n## Blocked\n\n## Superseded (Archive)\n";
const AUDIT_TEXT: &str = "# Signature Audit\n\n## Consumed Signatures\n\n| Signature | Used By | Date/Time | Purpose | Master Spec Version | Evidence |\n|---|---|---|---|---|---|\n| alice010120261200 | Orchestrator | 2026-01-01 12:00 | WP-1-Dep | v1.0 | docs/task_packets/WP-1-Dep.md |\n";

/// A packet: the parser, every accessor, every pre-work rule, the locked-section
/// hash, and the signature fill (which must be idempotent).
pub fn packet(data: &[u8]) {
    let p = Packet::parse(
        id("WP-1-Fuzz"),
        Source::from_bytes("docs/task_packets/WP-1-Fuzz.md", data),
    );
    let _ = (p.task_id(), p.status(), p.risk_tier(), p.spec_anchors());
    let _ = (p.in_scope_paths(), p.out_of_scope(), p.done_means());
    let _ = (
        p.test_plan(),
        p.bootstrap(),
        p.signature(),
        p.dependencies(),
    );
    let _ = (p.verdicts(), p.last_verdict(), p.spec_version());
    let _ = gov::model::locked::locked_hash(&p);
    let spec = Spec::parse("Master_Spec_v1.0.md", SPEC_TEXT, &RoadmapMatcher::Default);
    let board = Board::parse(Source::from_bytes(
        "docs/TASK_BOARD.md",
        BOARD_TEXT.as_bytes(),
    ));
    let audit = SignatureAudit::parse(&Source::from_bytes(
        "docs/SIGNATURE_AUDIT.md",
        AUDIT_TEXT.as_bytes(),
    ));
    let config = gov::config::Config::default();
    let load = |_: &WpId| -> Option<std::sync::Arc<Packet>> { None };
    let locks = gov::rules::packet::LockTable::of(&board);
    let check = gov::rules::packet::PacketCheck {
        packet: &p,
        spec: &spec,
        board: &board,
        audit: &audit,
        config: &config,
        root: Path::new(NO_ROOT),
        now: now(),
        locks: &locks,
        load: &load,
    };
    let mut diags = gov::rules::packet::pre_work(&check);
    diags.extend(gov::rules::signature::locked::check(&p, &audit));
    let facts = [gov::rules::signature::verify::SignedFacts::of(&p)];
    let (more, _) = gov::rules::signature::verify::verify(&audit, &facts, now(), 5);
    diags.extend(more);
    for d in &diags {
        if let (Some(line), Some(col)) = (d.line, d.column) {
            assert!(line >= 1 && col >= 1, "locations are 1-based: {d:?}");
        }
    }
    render("pre-work", diags);
    if let Ok(filled) = fill_signature(&p, SIGNATURE) {
        let again = Packet::parse(
            p.id.clone(),
            Source::from_string(p.path.clone(), filled.clone(), None),
        );
        assert_eq!(
            fill_signature(&again, SIGNATURE).as_ref(),
            Ok(&filled),
            "filling a signature twice changes nothing the second time"
        );
    }
}

/// A task board: the parser, its look-ups, and entry insertion, which must add
/// exactly one entry to the wanted section and keep every other entry.
pub fn board(data: &[u8]) {
    let source = Source::from_bytes("docs/TASK_BOARD.md", data);
    // the text gov edits: decoded, BOM removed (writers put the BOM back), and only
    // when valid UTF-8 (gov refuses to rewrite a board that is not)
    let text = (source.invalid_utf8_at.is_none()).then(|| source.text.clone());
    let b = Board::parse(source);
    for e in &b.entries {
        let _ = b.entry_status(e);
        let _ = b.status_entry(&e.id);
    }
    for phase in b.phases() {
        assert!(b.phase_gate(&phase).is_some(), "a listed phase has a gate");
    }
    let _ = b.phase_gate(&normalize_phase("Phase-1"));
    let Some(text) = text.as_deref() else {
        return;
    };
    let new = id("WP-9-Fuzz-New");
    if b.entries.iter().any(|e| e.id == new) || text.contains("WP-9-Fuzz-New") {
        return;
    }
    let after = insert_board_entry(
        text,
        &SectionKind::ReadyForDev,
        "Ready for Dev",
        "- [WP-9-Fuzz-New] Ready-for-Dev",
    );
    let after = match after {
        Ok(t) => t,
        Err(hidden) => {
            // refused: only ever at a real line of the board, which is left alone
            assert!(hidden.line >= 1, "a refusal names a line");
            return;
        }
    };
    assert!(after.len() > text.len(), "insertion only adds");
    let b2 = Board::parse(Source::from_string("docs/TASK_BOARD.md", after, None));
    let added: Vec<_> = b2.entries.iter().filter(|e| e.id == new).collect();
    assert_eq!(added.len(), 1, "the inserted entry is read back once");
    assert_eq!(
        b2.sections[added[0].section].kind,
        SectionKind::ReadyForDev,
        "the inserted entry sits in Ready for Dev"
    );
    assert_eq!(
        b2.entries.len(),
        b.entries.len() + 1,
        "insertion keeps every other entry"
    );
}

/// The spec index and the pointer: headings, duplicates, anchor resolution for
/// every anchor the text itself mentions, and version parsing.
pub fn spec(data: &[u8]) {
    let source = Source::from_bytes("docs/SPEC_CURRENT.md", data);
    if let Some(p) = Pointer::parse(&source) {
        assert!(p.line >= 1 && p.column >= 1, "pointer location is 1-based");
        let _ = version_from_name(&p.target);
        if let Some(v) = &p.version {
            let _ = version_key(v);
        }
    }
    let s = Spec::parse(
        "Master_Spec_v1.0.md",
        source.text.as_str(),
        &RoadmapMatcher::Default,
    );
    let headings = s.headings();
    assert_eq!(headings.len(), s.heading_count());
    for w in headings.windows(2) {
        assert!(w[0].line < w[1].line, "headings are in file order");
    }
    for d in s.duplicates() {
        assert!(d.first_line < d.line, "a duplicate comes after its first");
    }
    for n in s.section_numbers() {
        assert!(s.heading(&n).is_some(), "every listed number resolves");
    }
    let head: String = source.text.chars().take(4096).collect();
    for a in parse_anchors(&head) {
        let _ = s.resolve(&a);
    }
}

/// The spec pointer as JSON: the bytes as the whole pointer, and as the value of the
/// current entry and of the keys that must never be taken for it.
pub fn spec_pointer(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let check = |text: &str| {
        let source = Source::from_bytes("docs/SPEC_CURRENT.md", text.as_bytes());
        let parsed = Pointer::parse(&source);
        let problem = gov::model::pointer::json_problem(text);
        if let Some(p) = &parsed {
            assert!(p.line >= 1 && p.column >= 1, "pointer location is 1-based");
            assert!(!p.target.is_empty(), "a pointer names something");
        }
        if text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('{')
        {
            assert_eq!(
                parsed.is_none(),
                problem.is_some(),
                "a JSON pointer either names a spec or says why not"
            );
        }
        parsed
    };
    check(&text);
    let value = serde_json::Value::String(text.to_string());
    let current = serde_json::json!({
        "schema": "fuzz.spec_current@1",
        "current_spec": {"entrypoint_path": value, "version": value, "previous_version": value,
                         "source_baseline_path": ".GOV/spec/Baseline_v1.0.md"},
        "previous_current_spec": {"entrypoint_path": "old.json", "version": value},
    });
    if let Some(p) = check(&current.to_string()) {
        assert_ne!(
            p.target, ".GOV/spec/Baseline_v1.0.md",
            "the baseline is never current"
        );
    }
    let baseline_only = serde_json::json!({
        "current_spec": {"source_baseline_path": value},
        "active_bundle_root_path": value, "archive_root_path": value, "changelog_path": value,
    });
    assert!(
        check(&baseline_only.to_string()).is_none(),
        "a pointer whose current entry names no spec names nothing"
    );
}

/// The bundle manifest and its modules: the manifest parser and reading order, module
/// path refusals, hashes, frontmatter, and the bytes as modules of one spec.
pub fn spec_manifest(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(m) = Manifest::parse(&text) {
        let (order, _) = m.ordered();
        assert!(order.len() <= m.modules.len(), "each module is read once");
        let mut paths: Vec<&str> = order.iter().map(|m| m.path.as_str()).collect();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), order.len(), "no path is read twice");
        for module in &m.modules {
            if let Some(why) = path_problem(&module.path) {
                assert!(!why.is_empty());
            } else {
                assert!(
                    !module.path.split(['/', '\\']).any(|s| s == ".."),
                    "no accepted path climbs out"
                );
            }
            let _ = check_hash(data, module.sha256.as_deref());
        }
    }
    if let Some((end, lines)) = frontmatter_end(&text) {
        assert!(
            end <= text.len() && lines >= 2,
            "frontmatter ends inside the text"
        );
    }
    // the bytes cut into three modules, read as one spec
    let cuts: Vec<&str> = text.splitn(3, "\n\n").collect();
    let modules = cuts
        .iter()
        .enumerate()
        .map(|(k, t)| ModuleText {
            path: format!("b/spec-modules/0{k}-m.md"),
            id: format!("0{k}"),
            section_id: Some(k.to_string()),
            text: t.to_string(),
        })
        .collect();
    let s = Spec::from_modules(
        "b/indexed-spec-manifest.json",
        None,
        modules,
        &RoadmapMatcher::Default,
    );
    assert_eq!(s.headings().len(), s.heading_count());
    for d in s.duplicates() {
        assert!(
            (d.first_path.as_str(), d.first_line) < (d.path.as_str(), d.line),
            "a duplicate comes after its first"
        );
    }
    for n in s.section_numbers() {
        assert!(s.heading(&n).is_some(), "every listed number resolves");
    }
    let head: String = text.chars().take(4096).collect();
    for a in parse_anchors(&head) {
        let _ = s.resolve(&a);
    }
}

/// The signature audit: parse, look-ups, evidence, and row insertion, which must
/// add a row that reads back at the reported line and keep every other row.
pub fn audit(data: &[u8]) {
    let source = Source::from_bytes("docs/SIGNATURE_AUDIT.md", data);
    let a = SignatureAudit::parse(&source);
    for r in &a.rows {
        let sig = a.signature_of(r);
        assert!(a.contains(&sig), "every row is found by its signature");
        let _ = a.evidence(r);
    }
    // as record-signature edits it: decoded, BOM removed, only when valid UTF-8
    let Some(text) = source
        .invalid_utf8_at
        .is_none()
        .then_some(source.text.as_str())
    else {
        return;
    };
    if text.contains(SIGNATURE) || text.contains('\r') && !text.contains("\r\n") {
        return;
    }
    let row = NewRow {
        signature: SIGNATURE.into(),
        used_by: "Orchestrator".into(),
        timestamp: "2026-11-21 12:00:00 UTC".into(),
        purpose: "WP-1-Fuzz".into(),
        spec_version: "v1.0".into(),
        evidence: "docs/task_packets/WP-1-Fuzz.md sha256:00".into(),
    };
    let ins = insert_audit_row(text, &row);
    let a2 = SignatureAudit::parse(&Source::from_string(
        "docs/SIGNATURE_AUDIT.md",
        ins.text,
        None,
    ));
    let found: Vec<_> = a2.rows_for(SIGNATURE).collect();
    assert_eq!(found.len(), 1, "the inserted row is read back once");
    assert_eq!(found[0].line, ins.line, "the row is where insertion says");
    if a.header_line.is_some() {
        assert_eq!(a2.rows.len(), a.rows.len() + 1, "insertion keeps every row");
    }
}

/// Small token parsers: signatures, WP ids, anchors, statuses, verdicts, answers,
/// evidence, name normalisation, and table-cell escaping (a cell gov writes must
/// read back as one cell).
pub fn signature(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for tok in text
        .split_whitespace()
        .take(64)
        .chain(std::iter::once(text.as_ref()))
    {
        // a signature's identity is stable and ignores case (issue 12)
        let key = gov::model::signature::key(tok);
        assert_eq!(
            gov::model::signature::key(&key),
            key,
            "key is idempotent: {tok:?}"
        );
        // human output never carries a control character from a document
        let shown = render::escape_control(tok);
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\t'),
            "escaped: {shown:?}"
        );
        if let Ok(s) = Signature::parse(tok) {
            assert_eq!(s.raw, tok);
            assert_eq!(
                s.key(),
                gov::model::signature::key(&tok.to_ascii_uppercase())
            );
            assert!(
                matches!(classify_signature(tok), SignatureValue::Given(_)),
                "a valid signature reads as given: {tok:?}"
            );
            let _ = s.is_in_future(now(), gov::config::MAX_CLOCK_SKEW_MINUTES);
            let _ = gov::rules::signature::given::check(tok, now(), 5);
        }
        let _ = classify_signature(tok);
        if let Ok(w) = WpId::parse(tok) {
            let _ = (w.variant(), w.phase());
            let base = w.base();
            assert!(WpId::parse(base.as_str()).is_ok(), "a base id is an id");
            let v = base.with_variant(w.variant().unwrap_or(1).saturating_add(1));
            let _ = WpId::parse(v.as_str());
        }
        let _ = (Status::parse(tok), Verdict::parse(tok), Answer::parse(tok));
        let _ = (
            normalize_name(tok),
            strip_decoration(tok),
            repair_mojibake(tok),
        );
        let _ = normalize_phase(tok);
    }
    for (_, w) in ids_in(&text) {
        assert!(WpId::parse(w.as_str()).is_ok());
    }
    let _ = parse_anchors(&text);
    let _ = Evidence::parse(&text);
    let cell = table_cell(&text);
    let cells = split_row(&format!("| {cell} | x |"));
    assert_eq!(cells.len(), 2, "an escaped cell stays one cell: {cell:?}");
    assert_eq!(cells[1], "x");
}

/// gov.yaml and the gate-state JSON: loading never panics, a loaded config yields
/// a layout and a roadmap matcher, and gate state survives a write/read cycle.
pub fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match load_file("gov.yaml", &text) {
        Ok(c) => {
            let layout =
                Layout::preset(c.layout.unwrap_or(LayoutName::Docs)).with_overrides(&c.paths);
            for p in [&layout.task_board, &layout.packets, &layout.signature_audit] {
                assert!(
                    gov::paths::check_relative(p).is_ok() || p.is_empty(),
                    "a loaded config's paths stay inside the root: {p:?}"
                );
            }
            let _ = c.roadmap_regex().is_match("Roadmap");
            let _ = c.severity_overrides();
            // the time values feed date arithmetic in the signature rules
            if let Ok(s) = Signature::parse("alice010120261200") {
                let _ = s.is_in_future(now(), c.signatures.clock_skew_minutes);
            }
            let gap = chrono::Duration::try_seconds(c.signatures.refinement_gap_seconds);
            assert!(gap.is_some(), "the refinement gap is a duration");
        }
        Err(e) => {
            let d = e.diagnostic();
            assert!(d.path.is_some(), "a config error names the file");
        }
    }
    if let Ok(state) = GateState::parse(&text) {
        let _ = state.events();
        let written = state.to_text();
        let again = GateState::parse(&written);
        assert!(again.is_ok(), "gate state gov writes reads back");
        assert_eq!(again.map(|s| s.events()).ok(), Some(state.events()));
    }
}

/// A refinement block: every accessor and the record-refinement validation.
pub fn refinement(data: &[u8]) {
    let r = Refinement::parse(Source::from_bytes("docs/refinements/WP-1-Fuzz.md", data));
    let wp = id("WP-1-Fuzz");
    let _ = (r.wp_id(), r.enrichment_needed(), r.approval_evidence());
    let _ = (r.clearly_covers().all_yes(), r.proposed_enrichment());
    let _ = r.is_approved("WP-1-Fuzz");
    let mut diags = gov::rules::signature::refinement::validate(&r, &wp);
    diags.extend(gov::rules::signature::refinement::approval(&r, &wp));
    render("record-refinement", diags);
}

/// The Markdown block reader: one record per line (every line ending counts),
/// ranges inside the text and on character boundaries, code blocks and spans inside
/// the document; the text a reader sees has the source's length and line breaks, no
/// invisible character, and nothing in a comment line; reader warnings point at
/// real lines; conflict-marker lines are markers.
pub fn markdown(data: &[u8]) {
    let doc = MdDoc::parse(Source::from_bytes("x.md", data));
    let text = &doc.source.text;
    let visible = doc.visible_text();
    assert_eq!(
        visible.len(),
        text.len(),
        "the visible text keeps every offset"
    );
    assert_eq!(
        doc.lines.len(),
        doc.source.line_count(),
        "one record per line"
    );
    let mut prev_end = 0;
    for (i, l) in doc.lines.iter().enumerate() {
        assert!(l.range.start >= prev_end && l.range.end <= text.len());
        assert!(text.is_char_boundary(l.range.start) && text.is_char_boundary(l.range.end));
        assert!(l.content >= l.range.start, "content starts on its line");
        prev_end = l.range.end;
        let raw = doc.raw(i);
        assert!(
            !raw.contains(['\n', '\r']),
            "a line holds no line break: {raw:?}"
        );
        assert!(
            !raw.contains(['\u{200B}', '\u{200E}', '\u{202E}', '\u{2066}', '\u{FEFF}']),
            "invisible characters are blanked: {raw:?}"
        );
        if l.kind == LineKind::Comment {
            assert!(
                raw.trim().is_empty(),
                "a comment line shows nothing: {raw:?}"
            );
        }
        if l.kind == LineKind::Conflict {
            assert!(
                ["<<<<<<<", "|||||||", "=======", ">>>>>>>"]
                    .iter()
                    .any(|m| doc.original(i).starts_with(m)),
                "conflict lines are markers"
            );
        }
        let content = doc.content(i);
        let _ = doc.original(i);
        let _ = doc.column(i, l.content);
        let _ = doc.is_code(i);
        let cells = split_row(content);
        let _ = is_delimiter_row(content);
        assert!(!cells.is_empty() || content.trim().is_empty() || content.trim() == "|");
    }
    for (k, b) in doc.code_blocks.iter().enumerate() {
        assert!(b.lines.end <= doc.lines.len(), "code block lines exist");
        for i in b.lines.clone() {
            assert_eq!(
                doc.lines[i].code_block,
                Some(k),
                "a block's lines are its own"
            );
            assert!(doc.is_code(i) || doc.lines[i].kind == LineKind::Blank);
        }
    }
    for s in &doc.code_spans {
        assert!(s.start <= s.end && s.end <= text.len());
        assert!(doc.in_code_span(s.start) || s.is_empty());
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
    }
    for d in &doc.issues {
        let line = d.line.unwrap_or(0);
        assert!(
            line >= 1 && line <= doc.lines.len(),
            "warning on a real line"
        );
    }
    for c in gov::markdown::conflicts(&doc.source) {
        assert!(c.line >= 1 && c.line <= doc.lines.len());
        assert!(c.end.is_none_or(|e| e >= c.line && e <= doc.lines.len()));
    }
}

/// Languages the scan target cycles through, by an input's first byte.
const SCAN_PATHS: &[&str] = &[
    "src/lib.rs",
    "src/app.ts",
    "src/app.js",
    "src/app.py",
    "src/main.go",
    "src/main.c",
    "src/main.cpp",
    "src/App.cs",
    "src/App.java",
    "src/App.kt",
    "src/App.swift",
    "src/run.sh",
    "src/app.rb",
    "src/schema.sql",
    "src/init.lua",
    "src/notes.txt",
];

/// validator-scan on source text: the built-in rules through the combined matcher,
/// the lexer (comments, strings, Rust test items) and waivers. Findings lie on real
/// lines, in order, and never more than the per-file cap.
pub fn scan(data: &[u8]) {
    use gov::scan::file::{scan_file, FileInput, MAX_FINDINGS_PER_FILE};
    use gov::scan::lang::Lang;
    use gov::scan::matcher::Prefilters;
    use gov::scan::rules::RuleSet;
    use std::sync::OnceLock;
    static RULES: OnceLock<Option<(RuleSet, Prefilters)>> = OnceLock::new();
    let Some((rules, prefilters)) = RULES
        .get_or_init(|| {
            RuleSet::build(&gov::config::scan::ScanConfig::default())
                .ok()
                .map(|r| (r, Prefilters::default()))
        })
        .as_ref()
    else {
        panic!("the built-in scan rules build");
    };
    let (selector, text) = data.split_first().map_or((0, data), |(b, t)| (*b, t));
    let rel = SCAN_PATHS[selector as usize % SCAN_PATHS.len()];
    let lang = Lang::of_path(rel);
    if let Some(l) = lang {
        let regions = gov::scan::lex::lex(l.syntax(), text);
        let tests = gov::scan::rust_tests::test_ranges(text, &regions);
        assert!(
            tests.windows(2).all(|w| w[0].1 <= w[1].0),
            "test ranges are sorted and disjoint"
        );
        // the token view points every byte back into the file, in order (issue 12)
        let view = gov::scan::tokens::CodeView::new(text, &regions);
        assert_eq!(view.text.len(), view.origin.len());
        assert!(view.origin.windows(2).all(|w| w[0] <= w[1]));
        assert!(view.origin.iter().all(|&o| (o as usize) < text.len()));
        for pos in [0, text.len() / 2, text.len()] {
            let _ = (regions.at(pos), regions.skip(pos));
        }
    }
    let file = FileInput {
        rel,
        lang,
        test_path: selector >= 128,
        lines: None,
    };
    let Ok(result) = scan_file(rules, prefilters, file, text) else {
        return; // binary
    };
    let normalized = gov::scan::file::normalize(text);
    let lines = normalized.split(|&b| b == b'\n').count();
    assert!(result.findings.len() <= MAX_FINDINGS_PER_FILE);
    for f in &result.findings {
        assert!(
            f.line >= 1 && f.line <= lines,
            "finding on line {} of {lines}",
            f.line
        );
        assert!(f.column >= 1);
        assert!(f.rule < rules.rules.len());
    }
    for w in result.findings.windows(2) {
        assert!(w[0].line <= w[1].line, "findings are in line order");
    }
    let _ = gov::scan::baseline::Baseline::parse("baseline.json", &String::from_utf8_lossy(text));
}

/// `packet.json` and stub contracts: any bytes either fail with one located PKT040 or
/// build a packet whose every accessor works, located inside the JSON file.
pub fn packet_json(data: &[u8]) {
    let source = Source::from_bytes(".GOV/task_packets/WP-1-Fuzz/packet.json", data);
    let lines = source.line_count().max(1);
    match gov::model::packet_json::parse(&source) {
        Err(e) => {
            let d = e.diagnostic();
            assert_eq!(d.code, "PKT040", "unreadable JSON is PKT040: {d:?}");
            assert!(d.line.is_some_and(|l| l >= 1), "PKT040 is located: {d:?}");
        }
        Ok(json) => {
            let p = json.to_packet(id("WP-1-Fuzz"));
            let _ = (p.status(), p.risk_tier(), p.signature(), p.spec_anchors());
            let _ = (p.in_scope_paths(), p.out_of_scope(), p.dependencies());
            let _ = (p.verdicts(), p.last_verdict());
            for v in json
                .status
                .iter()
                .chain(&json.allowed_paths)
                .chain(&json.depends_on)
            {
                assert!(
                    v.line >= 1 && v.line <= lines && v.column >= 1,
                    "a JSON value is located inside the file: {v:?}"
                );
            }
            let md = Packet::parse(
                id("WP-1-Fuzz"),
                Source::from_bytes("WP-1-Fuzz/packet.md", data),
            );
            render("show", json.disagreements(&md));
        }
    }
    let _ = gov::model::stub_contract::parse(&id("WP-1-Fuzz"), &source);
}
