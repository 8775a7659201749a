//! Reliability proof (issue 7): fuzz regressions, hostile documents, crash safety,
//! path safety and property tests. Figures and guarantees: `docs/reliability.md`.

mod bounded;
mod crash_safety;
mod documents;
mod fuzz_regressions;
mod hostile;
mod path_safety;
mod properties;
mod trust;
