//! The registry of typed command documents: one line per command, the name its
//! documents carry in `command` and the schema built from its data type. A command
//! not listed here has no schema yet (the snapshot test says which it skipped).
//!
//! Adding a command is one line: `("name", document::<NameData>),` where `NameData`
//! derives `Serialize` and `JsonSchema` and is what the command passes to
//! `Report::set_typed`. Then regenerate `schemas/` (see docs/json-schemas.md).

use super::{document, SchemaFn};
use crate::commands::{
    board_check::BoardCheckData, check::CheckData, codex_check::CodexCheckData,
    commit_msg::CommitMsgData, completions::TextData, create_packet::CreatePacketData,
    doctor::DoctorData, explain::ExplainData, hook::HookData, init::InitData,
    manifest::ManifestData, phase_gate::PhaseGateData, post_work::PostWorkData,
    pre_work::PreWorkData, record_refinement::RecordRefinementData,
    record_signature::RecordSignatureData, schema::SchemaData, signatures::SignaturesData,
    spec_regression::SpecRegressionData, validator_scan::ValidatorScanData,
};

/// (the document's `command` member, its schema), in `gov --help` order.
pub const DOCUMENTS: &[(&str, SchemaFn)] = &[
    ("init", document::<InitData>),
    ("create-task-packet", document::<CreatePacketData>),
    ("pre-work", document::<PreWorkData>),
    ("post-work", document::<PostWorkData>),
    ("manifest", document::<ManifestData>),
    ("explain", document::<ExplainData>),
    ("spec-regression", document::<SpecRegressionData>),
    ("board-check", document::<BoardCheckData>),
    ("phase-gate", document::<PhaseGateData>),
    ("record-refinement", document::<RecordRefinementData>),
    ("record-signature", document::<RecordSignatureData>),
    ("signatures verify", document::<SignaturesData>),
    ("validator-scan", document::<ValidatorScanData>),
    ("hook", document::<HookData>),
    ("check", document::<CheckData>),
    ("codex-check", document::<CodexCheckData>),
    ("commit-msg", document::<CommitMsgData>),
    ("completions", document::<TextData>),
    ("man", document::<TextData>),
    ("doctor", document::<DoctorData>),
    ("schema", document::<SchemaData>),
];
