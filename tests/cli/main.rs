//! Integration tests of the `gov` binary: one module per command, fixtures under
//! `tests/fixtures/`, output snapshot-tested with insta.

mod support;

mod codes;
mod post_work;
mod pre_work;
