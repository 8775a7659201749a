//! The approval protocol's rules: a signature given on the command line, the
//! refinement that must precede it, the locked sections it freezes, and the
//! whole-repository audit of `gov signatures verify`. Rules see typed values only.

pub mod given;
pub mod locked;
pub mod refinement;
pub mod verify;
