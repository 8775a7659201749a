//! Integration tests of the `gov` binary: one module per command, fixtures under
//! `tests/fixtures/`, output snapshot-tested with insta.

mod support;

mod board_check;
mod codes;
mod phase_gate;
mod pre_work;
mod spec_regression;
mod status;
