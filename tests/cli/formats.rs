//! Every FORMATS.md variant, as a fixture file, read into the typed model.

use gov::model::anchor::Anchor;
use gov::model::audit::{Column, SignatureAudit};
use gov::model::board::{Board, SectionKind};
use gov::model::packet::{Packet, RiskTier, SignatureValue, TierValue, Verdict};
use gov::model::pointer::{Pointer, PointerForm};
use gov::model::spec::{Part, Resolution, RoadmapMatcher, Spec};
use gov::model::status::StatusKind;
use gov::model::wp_id::WpId;
use gov::text::Source;

fn source(rel: &str) -> Source {
    let bytes =
        std::fs::read(crate::support::fixtures_dir().join("formats").join(rel)).expect("fixture");
    Source::from_bytes(rel, &bytes)
}

fn packet(id: &str) -> Packet {
    Packet::parse(
        WpId::parse(id).unwrap(),
        source(&format!("packets/{id}.md")),
    )
}

fn anchors(p: &Packet) -> Vec<String> {
    p.spec_anchors()
        .iter()
        .map(|a| a.value.to_string())
        .collect()
}

#[test]
fn plain_bullet_metadata() {
    let p = packet("WP-1-Bullets");
    assert_eq!(
        p.status().unwrap().value.kind,
        Some(StatusKind::ReadyForDev)
    );
    assert_eq!(
        p.risk_tier().unwrap().value,
        TierValue::Tier(RiskTier::High)
    );
    assert_eq!(
        p.signature().unwrap().value,
        SignatureValue::Given("alice110220262332".into())
    );
    let paths: Vec<_> = p.in_scope_paths().into_iter().map(|s| s.value).collect();
    assert_eq!(paths, ["src/storage/mod.rs", "src/storage/sqlite.rs"]);
    let cmds: Vec<_> = p.test_plan().into_iter().map(|s| s.value).collect();
    assert_eq!(
        cmds,
        [
            "cargo test -p storage",
            "cargo clippy --all-targets -- -D warnings"
        ]
    );
}

#[test]
fn bold_bullets_work_packet_title_and_ranges() {
    let p = packet("WP-1-Bold-Bullets");
    assert_eq!(p.task_id().unwrap().value, "WP-1-Bold-Bullets");
    assert_eq!(p.status().unwrap().value.kind, Some(StatusKind::InProgress));
    assert_eq!(
        p.risk_tier().unwrap().value,
        TierValue::Tier(RiskTier::High)
    );
    assert_eq!(
        p.signature().unwrap().value,
        SignatureValue::Given("alice110220262332".into())
    );
    assert_eq!(anchors(&p), ["§2.3.12.3", "§2.3.10.6-§2.3.10.8"]);
    assert_eq!(p.in_scope_paths().len(), 2);
}

#[test]
fn bold_lines_emoji_status_level_risk_and_locked_signature() {
    let p = packet("WP-1-Bold-Lines");
    let s = p.status().unwrap().value;
    assert_eq!(s.kind, Some(StatusKind::ReadyForDev));
    assert_eq!(s.raw, "READY FOR DEV 🔴");
    assert_eq!(
        p.risk_tier().unwrap().value,
        TierValue::Tier(RiskTier::High)
    );
    assert_eq!(
        p.signature().unwrap().value,
        SignatureValue::Given("bob_ops020120260930".into())
    );
    assert_eq!(anchors(&p), ["§2.3.12", "[CX-DBP-001]"]);
}

#[test]
fn wp_status_completed_metadata_wins_over_handoff_and_heading_risk() {
    let p = packet("WP-1-Completed");
    assert_eq!(p.status().unwrap().value.kind, Some(StatusKind::Done));
    assert_eq!(
        p.risk_tier().unwrap().value,
        TierValue::Tier(RiskTier::Medium)
    );
    assert!(matches!(
        p.signature().unwrap().value,
        SignatureValue::Pending(_)
    ));
}

#[test]
fn bom_crlf_mojibake_and_bare_username() {
    let p = packet("WP-1-Mojibake");
    assert_eq!(p.status().unwrap().value.kind, Some(StatusKind::Validated));
    assert_eq!(p.status().unwrap().line, 4);
    assert_eq!(
        p.risk_tier().unwrap().value,
        TierValue::Tier(RiskTier::High)
    );
    assert_eq!(
        p.signature().unwrap().value,
        SignatureValue::Unsigned("alice".into())
    );
    assert_eq!(anchors(&p), ["§2.3.12", "§2.3.13"]);
    assert_eq!(p.dependencies()[0].value.as_str(), "WP-1-Bullets");
}

#[test]
fn quality_gate_bullets_validation_and_reports() {
    let p = packet("WP-1-Quality-Gate");
    assert_eq!(p.status().unwrap().value.kind, Some(StatusKind::Validated));
    assert!(matches!(
        p.risk_tier().unwrap().value,
        TierValue::Unfilled(_)
    ));
    let paths: Vec<_> = p.in_scope_paths().into_iter().map(|s| s.value).collect();
    assert_eq!(paths, ["src/api/jobs.rs", "src/jobs.rs"]);
    let dm: Vec<_> = p.done_means().into_iter().map(|s| s.value).collect();
    assert_eq!(
        dm,
        [
            "POST /jobs/:id/cancel returns 200",
            "Status becomes cancelled"
        ]
    );
    let cmds: Vec<_> = p.test_plan().into_iter().map(|s| s.value).collect();
    assert_eq!(
        cmds,
        [
            "cargo test -p api cancel",
            "just post-work WP-1-Quality-Gate"
        ]
    );
    let boot = p.bootstrap();
    assert_eq!(Packet::search_term_count(&boot.search_terms), 2);
    assert_eq!(boot.risk_map.len(), 1);
    // `## VALIDATION` and `## VALIDATION_REPORTS` are different fields
    assert_eq!(p.fields_named(&["VALIDATION"]).count(), 1);
    let verdicts: Vec<_> = p.verdicts().into_iter().map(|v| v.value).collect();
    assert_eq!(
        verdicts,
        [Verdict::Pass, Verdict::Fail, Verdict::OutdatedOnly]
    );
    assert_eq!(p.last_verdict().unwrap().value, Verdict::OutdatedOnly);
    let deps: Vec<_> = p
        .dependencies()
        .into_iter()
        .map(|d| d.value.to_string())
        .collect();
    assert_eq!(deps, ["WP-1-Bullets"]);
    assert_eq!(
        p.scalar(&["PACKET_FORMAT_VERSION"]).unwrap().value,
        "2026-02-01"
    );
}

#[test]
fn board_sections_and_entries() {
    let b = Board::parse(source("board.md"));
    assert_eq!(b.phases(), ["1", "2"]);
    let kinds: Vec<_> = b.sections.iter().map(|s| s.kind.clone()).collect();
    for k in [
        SectionKind::Active,
        SectionKind::InProgress,
        SectionKind::ReadyForValidation,
        SectionKind::ReadyForDev,
        SectionKind::Done,
        SectionKind::Blocked,
        SectionKind::Stub,
        SectionKind::Superseded,
        SectionKind::Other,
    ] {
        assert!(kinds.contains(&k), "{k:?}");
    }
    let find = |id: &str, section: SectionKind| {
        b.entries
            .iter()
            .find(|e| e.id.as_str() == id && b.sections[e.section].kind == section)
            .unwrap_or_else(|| panic!("{id}"))
    };
    let gate = find(
        "WP-1-Storage-Abstraction-Layer",
        SectionKind::PhaseGate("1".into()),
    );
    assert_eq!(
        gate.explicit.as_ref().unwrap().kind,
        Some(StatusKind::ReadyForDev)
    );
    let gap = find(
        "WP-1-AppState-Refactoring",
        SectionKind::PhaseGate("1".into()),
    );
    assert_eq!(
        gap.explicit.as_ref().unwrap().kind,
        Some(StatusKind::Backlog)
    );
    assert_eq!(gap.blockers[0].as_str(), "WP-1-Storage-Abstraction-Layer");
    let logging = find("WP-1-Logging", SectionKind::InProgress);
    assert_eq!(logging.date.unwrap().to_string(), "2025-12-16");
    assert_eq!(
        b.entry_status(find("WP-1-Error-Codes", SectionKind::Done)),
        Some(StatusKind::Validated)
    );
    let dual = find("WP-1-Dual-Backend", SectionKind::Blocked);
    assert_eq!(dual.blockers.len(), 2);
    let waiting = find("WP-1-AppState-Refactoring", SectionKind::Blocked);
    assert_eq!(b.entry_status(waiting), Some(StatusKind::Blocked));
    let old = find("WP-1-Old-Storage", SectionKind::Superseded);
    assert_eq!(
        old.explicit.as_ref().unwrap().kind,
        Some(StatusKind::Superseded)
    );
    assert!(!b
        .entries
        .iter()
        .any(|e| b.sections[e.section].kind == SectionKind::Other));
}

#[test]
fn audit_table_with_code_pipes_escapes_and_damage() {
    let a = SignatureAudit::parse(&source("audit.md"));
    assert_eq!(a.rows.len(), 3);
    assert!(a.contains("ilja251220250415"));
    assert!(a.contains("bob_ops020120260930"));
    assert_eq!(a.rows[0].cells[5], "uses `a|b` in a cell; newest first");
    assert_eq!(
        a.cell(&a.rows[2], Column::Purpose).as_deref(),
        Some("escaped")
    );
    assert_eq!(a.rows[2].cells[3], "escaped | pipe");
    assert_eq!(
        a.bad_rows.iter().map(|r| r.line).collect::<Vec<_>>(),
        [13, 14]
    );
    assert!(
        gov::model::signature::Signature::parse(&a.signature_of(&a.rows[1])).is_err(),
        "legacy form is reported, not trusted"
    );
}

#[test]
fn pointer_forms() {
    let cases = [
        (
            "link.md",
            "../Master_Spec_v02.44.md",
            PointerForm::Link,
            Some("v02.44"),
        ),
        (
            "bold-name.md",
            "Master_Spec_v02.103.md",
            PointerForm::BoldName,
            Some("v02.103"),
        ),
        (
            "bold-path.md",
            ".GOV/spec/Master_Spec_v02.179.md",
            PointerForm::BoldPath,
            Some("v02.179"),
        ),
        (
            "json.md",
            ".GOV/spec/Master_Spec_v02.179.md",
            PointerForm::Json,
            Some("v02.179"),
        ),
        (
            "text.md",
            "Master_Spec_v1.0.md",
            PointerForm::Text,
            Some("v1.0"),
        ),
    ];
    for (file, target, form, version) in cases {
        let p = Pointer::parse(&source(&format!("pointers/{file}")))
            .unwrap_or_else(|| panic!("{file}"));
        assert_eq!(
            (p.target.as_str(), p.form, p.version.as_deref()),
            (target, form, version),
            "{file}"
        );
    }
}

#[test]
fn spec_with_art_fences_duplicates_and_roadmap() {
    let src = source("spec.md");
    let s = Spec::parse(
        "Master_Spec_v02.85.md",
        src.text.as_str(),
        &RoadmapMatcher::Default,
    );
    let sec = |n: &str| Anchor::Section {
        number: gov::model::anchor::SectionNumber(n.into()),
    };
    assert!(matches!(s.resolve(&sec("1.1")), Resolution::MainBody(_)));
    assert!(matches!(
        s.resolve(&sec("2.3.14.A")),
        Resolution::MainBody(_)
    ));
    assert!(
        matches!(s.resolve(&sec("9.9")), Resolution::Missing),
        "a heading inside a fence is not a heading"
    );
    assert!(
        matches!(s.resolve(&sec("3.1")), Resolution::MainBody(_)),
        "an unclosed fence does not hide later headings"
    );
    assert!(
        matches!(s.resolve(&sec("7.6.1")), Resolution::MainBody(_)),
        "'Roadmap Coverage Matrix' is Main Body"
    );
    assert!(matches!(s.resolve(&sec("7.1")), Resolution::RoadmapOnly(_)));
    assert!(matches!(
        s.resolve(&Anchor::Code {
            code: "CX-DBP-001".into()
        }),
        Resolution::MainBody(_)
    ));
    let h = s
        .heading(&gov::model::anchor::SectionNumber("2.3.13".into()))
        .unwrap();
    assert_eq!(
        (h.title.as_str(), h.line),
        ("Storage Backend Portability", 11)
    );
    assert_eq!(s.duplicates().len(), 1);
    assert_eq!(s.duplicates()[0].first_line, 11);
    assert_eq!(s.unclosed_fences.len(), 1);
    assert_eq!(
        s.headings()
            .iter()
            .filter(|h| h.part == Part::Roadmap)
            .count(),
        2
    );
}

#[test]
fn four_megabyte_spec_with_duplicates_and_unbalanced_fences() {
    let mut text = String::new();
    let (mut real, mut unclosed, mut i) = (0usize, 0usize, 0usize);
    while text.len() < 4 << 20 {
        text.push_str(&format!(
            "## {}.{} Section {i}\nBody text for section {i}, long enough to be realistic prose.\n",
            i / 100,
            i % 100
        ));
        real += 1;
        if i % 997 == 0 {
            text.push_str("~~~python\nan opening fence that nothing can close\n");
            unclosed += 1;
        }
        if i % 1500 == 0 {
            text.push_str("```\n## 999.999 Fake Heading In Code\n```\n");
        }
        if i % 1000 == 0 {
            text.push_str(&format!("## {}.{} Duplicate\n", i / 100, i % 100));
            real += 1;
        }
        i += 1;
    }
    let s = Spec::parse("Master_Spec_v9.md", text, &RoadmapMatcher::Default);
    assert_eq!(s.heading_count(), real);
    assert_eq!(s.unclosed_fences.len(), unclosed);
    assert!(s
        .heading(&gov::model::anchor::SectionNumber("999.999".into()))
        .is_none());
    assert_eq!(s.duplicates().len(), i.div_ceil(1000));
}
