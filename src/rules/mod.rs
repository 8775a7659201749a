//! Checks over the typed model. Each rule family lives in its own file and turns
//! model values into diagnostics; rules never read files themselves.

pub mod change;
pub mod packet;
pub mod signature;
