//! Integration tests of the `gov` binary: one module per command, fixtures under
//! `tests/fixtures/`, output snapshot-tested with insta.

mod support;

mod codes;
mod pre_work;
mod record_refinement;
mod record_signature;
mod signatures;
