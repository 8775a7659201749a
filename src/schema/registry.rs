//! The registry of typed command documents: one line per command, the name its
//! documents carry in `command` and the schema built from its data type. A command
//! not listed here has no schema yet (the snapshot test says which it skipped).
//!
//! Adding a command is one line: `("name", document::<NameData>),` where `NameData`
//! derives `Serialize` and `JsonSchema` and is what the command passes to
//! `Report::set_typed`. Then regenerate `schemas/` (see docs/json-schemas.md).

use super::{answer, document, SchemaFn};
use crate::commands::{
    agent::{AgentCheckData, AgentInstallData, AgentUninstallData},
    board_check::BoardCheckData,
    board_sync::BoardSyncData,
    check::CheckData,
    codex_check::CodexCheckData,
    commit_msg::CommitMsgData,
    completions::TextData,
    create_packet::CreatePacketData,
    doctor::DoctorData,
    explain::ExplainData,
    graph::GraphData,
    guard::GuardData,
    hook::HookData,
    init::InitData,
    lifecycle::LifecycleData,
    manifest::ManifestData,
    phase_gate::PhaseGateData,
    post_work::PostWorkData,
    pre_work::PreWorkData,
    record_refinement::RecordRefinementData,
    record_signature::RecordSignatureData,
    schema::SchemaData,
    show::ShowData,
    signatures::SignaturesData,
    spec_regression::SpecRegressionData,
    status::StatusData,
    validator_scan::ValidatorScanData,
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
    ("show", document::<ShowData>),
    ("status", document::<StatusData>),
    ("graph", document::<GraphData>),
    // one data type per action: a flattened untagged enum would not close the object
    ("agent install", document::<AgentInstallData>),
    ("agent uninstall", document::<AgentUninstallData>),
    ("agent check", document::<AgentCheckData>),
    ("ready", document::<LifecycleData>),
    ("start", document::<LifecycleData>),
    ("submit", document::<LifecycleData>),
    ("verdict", document::<LifecycleData>),
    ("block", document::<LifecycleData>),
    ("unblock", document::<LifecycleData>),
    ("supersede", document::<LifecycleData>),
    ("board sync", document::<BoardSyncData>),
    // the guard answers a harness in the harness's own format, without an envelope
    ("guard", answer::<GuardData>),
];
