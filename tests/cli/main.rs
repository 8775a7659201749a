//! Integration tests of the `gov` binary: one module per command, fixtures under
//! `tests/fixtures/`, output snapshot-tested with insta.

mod support;

mod codes;
mod hook;
mod pre_work;
mod validator_scan;
