//! Integration tests of the `gov` binary: one module per command, fixtures under
//! `tests/fixtures/`, output snapshot-tested with insta.

mod support;

mod agent;
mod bad_input;
mod board_cache;
mod board_check;
mod cache;
mod codes;
mod codex;
mod config;
mod create_packet;
mod discovery;
mod ecosystem;
mod explain;
mod fields;
mod formats;
mod guard;
mod hook;
mod init;
mod lifecycle;
mod mcp;
mod phase_gate;
mod post_work;
mod pre_work;
mod pre_work_rules;
mod reader;
mod record_refinement;
mod record_signature;
mod reliability;
mod schemas;
mod show;
mod signatures;
mod spec_bundle;
mod spec_regression;
mod status;
mod validator_scan;
