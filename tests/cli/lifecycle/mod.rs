//! The packet lifecycle through gov (issue 14): `ready`, `start`, `submit`,
//! `verdict`, `block`, `unblock`, `supersede`, `board sync`, and the init and
//! create-task-packet changes that let a fresh repository reach a closed phase.

mod concurrency;
mod e2e;
mod moves;
mod team;
