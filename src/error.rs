//! Conditions under which a command cannot be evaluated (exit 2). Each maps to one
//! diagnostic with a stable code, so JSON consumers see them like any finding.

use crate::config::ConfigError;
use crate::diag::codes::{gov, spc};
use crate::diag::Diagnostic;
use crate::io::{ReadError, WriteError};
use crate::model::wp_id::{printable, InvalidWpId, WpId};

#[derive(Debug, thiserror::Error)]
pub enum GovError {
    #[error("{what}: {error}")]
    Read {
        what: &'static str,
        error: ReadError,
    },
    #[error("{}", .0.reason)]
    Config(ConfigError),
    #[error("{0}")]
    InvalidId(InvalidWpId),
    #[error("no packet has the id {id}")]
    UnknownPacket {
        id: WpId,
        path: String,
        stub: Option<String>,
    },
    #[error("no governance repository found from {start}")]
    NotARepository { start: String },
    #[error("{0}")]
    Write(WriteError),
    #[error("could not take the repository lock {path}: {error}")]
    Lock { path: String, error: std::io::Error },
    #[error("the spec pointer {path} names no spec file")]
    PointerUnresolved { path: String },
    #[error("the spec {target} named by {pointer} does not exist")]
    SpecMissing {
        pointer: String,
        target: String,
        line: usize,
    },
    /// Any other located condition, already expressed as a diagnostic.
    #[error("{}", .0.message)]
    Diagnostic(Box<Diagnostic>),
}

impl GovError {
    pub fn diagnostic(&self) -> Diagnostic {
        match self {
            GovError::Read { what, error } => read_diagnostic(what, error),
            GovError::Config(e) => e.diagnostic(),
            GovError::InvalidId(e) => Diagnostic::new(&gov::INVALID_WP_ID, e.to_string()),
            GovError::UnknownPacket { id, path, stub } => {
                let d = Diagnostic::new(&gov::UNKNOWN_PACKET, format!("no packet has the exact id {id} (looked for {path}/{id}.md, {path}/{id}/packet.md, {path}/{id}/packet.json and under {path}/_archive/)")).in_file(path.clone());
                match stub {
                    Some(s) => d.help(format!("{id} is a stub ({s}); activate it with the normal workflow before starting work")),
                    None => d,
                }
            }
            GovError::NotARepository { start } => Diagnostic::new(
                &gov::NOT_A_REPOSITORY,
                format!("no gov.yaml, and no SPEC_CURRENT.md or TASK_BOARD.md in docs/, .GOV/, .gov/ or governance/ (or their roles_shared/, roles_shared/records/, records/, spec/ folders), found in {} or any parent", printable(start)),
            ),
            GovError::Write(e) => Diagnostic::new(&gov::WRITE_FAILED, e.to_string()),
            GovError::Lock { path, error } => Diagnostic::new(&gov::LOCK_TIMEOUT, format!("could not take the lock {path}: {error}")),
            GovError::PointerUnresolved { path } => {
                Diagnostic::new(&spc::POINTER_UNRESOLVED, format!("{path} does not name a spec file")).in_file(path.clone())
            }
            GovError::SpecMissing { pointer, target, line } => Diagnostic::new(
                &spc::SPEC_MISSING,
                format!("the spec `{}` named by the pointer does not exist (looked beside the pointer and at the repository root)", printable(target)),
            )
            .at_line(pointer.clone(), *line),
            GovError::Diagnostic(d) => (**d).clone(),
        }
    }
}

fn read_diagnostic(what: &str, e: &ReadError) -> Diagnostic {
    match e {
        ReadError::Missing(p) => {
            Diagnostic::new(&gov::DOC_MISSING, format!("the {what} {p} does not exist"))
                .in_file(p.clone())
        }
        ReadError::NotAFile(p) => Diagnostic::new(
            &gov::DOC_UNREADABLE,
            format!("the {what} {p} is not a regular file"),
        )
        .in_file(p.clone()),
        ReadError::Unsafe(u) => Diagnostic::new(
            &gov::PATH_ESCAPES_ROOT,
            format!("the {what} path {} is refused: {}", u.path, u.reason),
        )
        .in_file(u.path.clone()),
        ReadError::TooLarge(p, _) | ReadError::Io(p, _) => {
            Diagnostic::new(&gov::DOC_UNREADABLE, format!("the {what} {e}")).in_file(p.clone())
        }
    }
}

impl From<ConfigError> for GovError {
    fn from(e: ConfigError) -> Self {
        GovError::Config(e)
    }
}

impl From<InvalidWpId> for GovError {
    fn from(e: InvalidWpId) -> Self {
        GovError::InvalidId(e)
    }
}

impl From<WriteError> for GovError {
    fn from(e: WriteError) -> Self {
        GovError::Write(e)
    }
}

impl From<Diagnostic> for GovError {
    fn from(d: Diagnostic) -> Self {
        GovError::Diagnostic(Box::new(d))
    }
}
