//! gov: offline governance gates for spec-driven, multi-agent software projects.
//!
//! The library parses governance documents (packets, the task board, the spec and its
//! pointer, the signature audit) into typed models and runs deterministic checks that
//! return [`diag::Report`]s. It never prints: the `gov` binary renders reports.

pub mod app;
pub mod cache;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod diag;
pub mod discovery;
pub mod edit;
pub mod error;
pub mod exit;
pub mod git;
pub mod guard;
pub mod harness;
pub mod io;
pub mod markdown;
pub mod mcp;
pub mod model;
pub mod paths;
pub mod repo;
pub mod rules;
pub mod scan;
pub mod schema;
pub mod templates;
pub mod text;

pub use error::GovError;
