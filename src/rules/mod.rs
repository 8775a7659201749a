//! Checks over the typed model. Each rule family lives in its own file and turns
//! model values into diagnostics; rules never read files themselves (the loaders in
//! `inventory`, `spec::run` and `board::history` are the documented exceptions).

pub mod board;
pub mod change;
pub mod hygiene;
pub mod inventory;
pub mod packet;
pub mod signature;
pub mod spec;
