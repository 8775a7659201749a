//! Required fields present and non-empty; TASK_ID agrees with the file name.

use super::PacketCheck;
use crate::diag::codes::pkt;
use crate::diag::Diagnostic;
use crate::model::packet::names;

/// (display name, accepted spellings, may be empty before work)
const REQUIRED: &[(&str, &[&str], bool)] = &[
    ("TASK_ID", names::TASK_ID, false),
    ("STATUS", names::STATUS, false),
    ("SPEC_ANCHOR", names::SPEC_ANCHOR, false),
    ("What", names::WHAT, false),
    ("Why", names::WHY, false),
    ("IN_SCOPE_PATHS", names::IN_SCOPE_PATHS, false),
    ("OUT_OF_SCOPE", names::OUT_OF_SCOPE, false),
    ("DONE_MEANS", names::DONE_MEANS, false),
    ("TEST_PLAN", names::TEST_PLAN, false),
    ("BOOTSTRAP", names::BOOTSTRAP, false),
    ("FILES_TO_OPEN", names::FILES_TO_OPEN, false),
    ("SEARCH_TERMS", names::SEARCH_TERMS, false),
    ("RUN_COMMANDS", names::RUN_COMMANDS, false),
    ("RISK_MAP", names::RISK_MAP, false),
    ("ROLLBACK_HINT", names::ROLLBACK_HINT, false),
    ("RISK_TIER", names::RISK_TIER, false),
    ("VALIDATION", names::VALIDATION, true),
];

pub fn required(c: &PacketCheck) -> Vec<Diagnostic> {
    let p = c.packet;
    let mut out = Vec::new();
    for (name, spellings, may_be_empty) in REQUIRED {
        match p.field(spellings) {
            None => out.push(
                Diagnostic::new(
                    &pkt::MISSING_FIELD,
                    format!("required field {name} is missing"),
                )
                .in_file(p.path.clone())
                .help(format!(
                    "add `## {name}` (or a `- {name}:` bullet) with concrete content"
                )),
            ),
            Some(f) if !may_be_empty && f.is_empty(&p.doc) => out.push(c.at(
                &pkt::EMPTY_FIELD,
                format!("required field {name} is empty"),
                f.line + 1,
                1,
            )),
            Some(_) => {}
        }
    }
    let has_signature_field =
        p.field(names::USER_SIGNATURE).is_some() || p.field(names::SIGNATURE_LOG).is_some();
    if !has_signature_field {
        out.push(
            Diagnostic::new(
                &pkt::MISSING_FIELD,
                "required field USER_SIGNATURE (or a Signature & Enrichment Log) is missing",
            )
            .in_file(p.path.clone())
            .help("add `- USER_SIGNATURE: <signature>` to the metadata once the user has signed"),
        );
    }
    out
}

pub fn task_id(c: &PacketCheck) -> Vec<Diagnostic> {
    let Some(t) = c.packet.task_id() else {
        return Vec::new();
    };
    if t.value.is_empty()
        || t.value == c.packet.id.as_str()
        || t.value.starts_with('{')
        || t.value.starts_with('<')
    {
        return Vec::new();
    }
    vec![c.at(
        &pkt::TASK_ID_MISMATCH,
        format!(
            "TASK_ID is `{}` but the file is for {}",
            t.value, c.packet.id
        ),
        t.line,
        t.column,
    )]
}
