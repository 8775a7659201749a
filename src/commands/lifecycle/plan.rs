//! The files one lifecycle move writes, written together. Every new text is computed
//! and checked before the first write; the files are then written one by one, each
//! atomically, in a fixed order (gate state, board, packet: the packet, which is
//! authoritative, last). If a write fails, the files already written get their old
//! bytes back. A process killed between two writes leaves each file old or new, and
//! running the same command again finishes the move: every step is idempotent, and
//! the packet is only new once everything before it is.

use crate::commands::record_signature::{write_file, Exact};
use crate::diag::{Diagnostic, Report};
use crate::error::GovError;
use schemars::JsonSchema;
use serde::Serialize;
use std::path::PathBuf;

/// One file's old and new content.
pub struct FileEdit {
    pub rel: String,
    path: PathBuf,
    /// `None`: the file does not exist yet.
    old: Option<Vec<u8>>,
    old_text: String,
    new_bytes: Vec<u8>,
    pub new_text: String,
}

impl FileEdit {
    pub fn changes(&self) -> bool {
        self.old.as_deref() != Some(self.new_bytes.as_slice())
    }
}

#[derive(Default)]
pub struct Plan {
    edits: Vec<FileEdit>,
}

impl Plan {
    /// Adds an existing file with its new text (kept BOM and all).
    pub fn edit(&mut self, file: &Exact, new_text: String) {
        self.edits.push(FileEdit {
            rel: file.rel.clone(),
            path: file.path.clone(),
            old: Some(file.bytes.clone()),
            old_text: file.text.clone(),
            new_bytes: file.with_text(&new_text),
            new_text,
        });
    }

    /// Adds a file that does not exist yet.
    pub fn create(&mut self, rel: &str, path: PathBuf, text: String) {
        self.edits.push(FileEdit {
            rel: rel.to_string(),
            path,
            old: None,
            old_text: String::new(),
            new_bytes: text.clone().into_bytes(),
            new_text: text,
        });
    }

    /// The repository paths that change, in write order.
    pub fn changed(&self) -> Vec<String> {
        self.edits
            .iter()
            .filter(|e| e.changes())
            .map(|e| e.rel.clone())
            .collect()
    }

    /// A unified diff of every change, as `--dry-run` prints it.
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for e in self.edits.iter().filter(|e| e.changes()) {
            let old_name = if e.old.is_some() {
                format!("a/{}", e.rel)
            } else {
                "/dev/null".to_string()
            };
            let d = similar::TextDiff::from_lines(&e.old_text, &e.new_text);
            out.push_str(
                &d.unified_diff()
                    .context_radius(2)
                    .header(&old_name, &format!("b/{}", e.rel))
                    .to_string(),
            );
        }
        out
    }

    /// Writes every changed file in order; restores the written ones if one fails.
    pub fn commit(&self) -> Result<(), GovError> {
        let mut written: Vec<&FileEdit> = Vec::new();
        for e in self.edits.iter().filter(|e| e.changes()) {
            if let Err(err) = write_file(&e.rel, &e.path, &e.new_bytes) {
                return Err(rollback(&written, err));
            }
            written.push(e);
        }
        Ok(())
    }

    /// Says in the report's headline what the plan wrote (or would write), and
    /// returns it as data: the changed files, and the diff for a dry run.
    pub fn describe(&self, report: &mut Report, dry_run: bool) -> PlanData {
        let changed = self.changed();
        let mut data = PlanData {
            files: changed.clone(),
            dry_run,
            diff: None,
        };
        if dry_run {
            let diff = self.diff();
            report.headline.push(if changed.is_empty() {
                "dry run: nothing would change".to_string()
            } else {
                format!("dry run: would write {}", changed.join(", "))
            });
            report.headline.extend(diff.lines().map(str::to_string));
            data.diff = Some(diff);
        } else if changed.is_empty() {
            report
                .headline
                .push("nothing to write: already in this state".to_string());
        } else {
            report
                .headline
                .push(format!("wrote {}", changed.join(", ")));
        }
        data
    }
}

/// What a move wrote, or would write.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PlanData {
    /// Files changed, relative to the repository root, in the order written.
    pub files: Vec<String>,
    /// `--dry-run`: nothing was written.
    pub dry_run: bool,
    /// For a dry run, the unified diff of what would be written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

/// Puts back the files written before `err`, and says what happened.
fn rollback(written: &[&FileEdit], err: GovError) -> GovError {
    let mut failed: Vec<String> = Vec::new();
    for e in written.iter().rev() {
        let undone = match &e.old {
            Some(bytes) => write_file(&e.rel, &e.path, bytes).is_ok(),
            None => std::fs::remove_file(&e.path).is_ok(),
        };
        if !undone {
            failed.push(e.rel.clone());
        }
    }
    let mut d: Diagnostic = err.diagnostic();
    d.message = if written.is_empty() {
        format!("{}; nothing was changed", d.message)
    } else if failed.is_empty() {
        format!(
            "{}; the files already written were restored, nothing changed",
            d.message
        )
    } else {
        format!(
            "{}; restoring {} failed too: run the same command again to finish the move",
            d.message,
            failed.join(", ")
        )
    };
    d.into()
}
