//! Integration tests of the `gov` binary: one module per command, fixtures under
//! `tests/fixtures/`, output snapshot-tested with insta.

mod support;

mod bad_input;
mod board_check;
mod codes;
mod codex;
mod config;
mod create_packet;
mod ecosystem;
mod explain;
mod formats;
mod hook;
mod init;
mod lifecycle;
mod phase_gate;
mod post_work;
mod pre_work;
mod pre_work_rules;
mod record_refinement;
mod record_signature;
mod reliability;
mod show;
mod signatures;
mod spec_regression;
mod status;
mod validator_scan;
