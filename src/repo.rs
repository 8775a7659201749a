//! The repository being governed: its root, configuration, layout, and loaders for
//! each governance document. Loaders return typed models; problems that prevent
//! evaluation are [`GovError`]s (exit 2), and lossy reads leave warnings behind.

use crate::config::{self, Config, Layout, LayoutName};
use crate::diag::codes::gov;
use crate::diag::Diagnostic;
use crate::error::GovError;
use crate::io::{read_source_within, ReadError};
use crate::model::audit::SignatureAudit;
use crate::model::board::Board;
use crate::model::packet::Packet;
use crate::model::pointer::Pointer;
use crate::model::spec::Spec;
use crate::model::wp_id::WpId;
use crate::text::Source;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Debug, Clone, Default)]
pub struct RepoOptions {
    /// `-C, --root`: the repository root; discovered upward from the cwd when absent.
    pub root: Option<PathBuf>,
    /// `--config`: an explicit configuration file.
    pub config: Option<PathBuf>,
}

#[derive(Debug)]
pub struct Repo {
    pub root: PathBuf,
    pub config: Config,
    pub layout: Layout,
    /// The configuration file that was read, relative to the root when inside it.
    pub config_path: Option<String>,
    /// Shared by loaders that run on worker threads.
    warnings: Mutex<Vec<Diagnostic>>,
}

/// A spec and the pointer that named it.
#[derive(Debug, Clone)]
pub struct CurrentSpec {
    pub pointer: Pointer,
    pub spec: Spec,
}

impl Repo {
    /// Finds the repository (or uses `--root`) and loads its configuration.
    pub fn open(opts: &RepoOptions, cwd: &Path) -> Result<Repo, GovError> {
        let root = match &opts.root {
            Some(r) => {
                let r = cwd.join(r);
                if !r.is_dir() {
                    return Err(GovError::NotARepository {
                        start: r.display().to_string(),
                    });
                }
                r
            }
            None => discover(cwd).ok_or_else(|| GovError::NotARepository {
                start: cwd.display().to_string(),
            })?,
        };
        Repo::at(
            &root,
            opts.config.as_deref().map(|c| cwd.join(c)).as_deref(),
        )
    }

    /// Opens `root` as it is, without discovery (what `init` needs).
    pub fn at(root: &Path, config_file: Option<&Path>) -> Result<Repo, GovError> {
        let (config, config_path) = load_config(root, config_file)?;
        let name = config.layout.unwrap_or_else(|| LayoutName::detect(root));
        let layout = Layout::preset(name).with_overrides(&config.paths);
        Ok(Repo {
            root: root.to_path_buf(),
            config,
            layout,
            config_path,
            warnings: Mutex::new(Vec::new()),
        })
    }

    /// Reads a repository file; `what` names it in errors ("task board").
    pub fn read(&self, rel: &str, what: &'static str) -> Result<Source, GovError> {
        self.read_within(rel, what, crate::io::MAX_FILE_BYTES)
            .map_err(|error| GovError::Read { what, error })
    }

    /// Reads a Markdown document (packet, board, refinement, template, audit, spec
    /// pointer), refusing one larger than [`MAX_MARKDOWN_BYTES`] before it is read. The
    /// spec, an index of headings scanned line by line, may be larger.
    pub fn read_markdown(&self, rel: &str, what: &'static str) -> Result<Source, GovError> {
        self.read_within(rel, what, MAX_MARKDOWN_BYTES)
            .map_err(|error| match error {
                ReadError::TooLarge(_, size) => too_large(rel, what, size),
                error => GovError::Read { what, error },
            })
    }

    /// Reads `rel` up to `cap` bytes, warning (once read) when it is not valid UTF-8.
    fn read_within(&self, rel: &str, what: &'static str, cap: u64) -> Result<Source, ReadError> {
        let source = read_source_within(&self.root, rel, cap)?;
        if let Some(d) = lossy_warning(&source, what) {
            self.warn(d);
        }
        crate::markdown::conflict_diagnostics(&source, what)
            .into_iter()
            .for_each(|d| self.warn(d));
        Ok(source)
    }

    /// Whether something exists at `rel` — a link counts even if it leads out of the
    /// root, so that reading it reports the escape (GOV010) instead of "missing".
    pub fn exists(&self, rel: &str) -> bool {
        crate::paths::check_relative(rel).is_ok()
            && std::fs::symlink_metadata(self.root.join(rel)).is_ok()
    }

    pub fn warn(&self, d: Diagnostic) {
        self.warnings
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(d);
    }

    /// Warnings collected while reading documents (lossy decoding and the like).
    pub fn take_warnings(&self) -> Vec<Diagnostic> {
        std::mem::take(
            &mut self
                .warnings
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        )
    }

    /// The packet file for an exact id: `packets/ID.md` or `packets/ID/packet.md`.
    pub fn packet_path(&self, id: &WpId) -> Result<Option<String>, GovError> {
        let flat = format!("{}/{}.md", self.layout.packets, id);
        let folder = format!("{}/{}/packet.md", self.layout.packets, id);
        match (self.exists(&flat), self.exists(&folder)) {
            (true, true) => Err(GovError::DuplicatePacket {
                id: id.clone(),
                flat,
                folder,
            }),
            (true, false) => Ok(Some(flat)),
            (false, true) => Ok(Some(folder)),
            (false, false) => Ok(None),
        }
    }

    pub fn stub_path(&self, id: &WpId) -> Option<String> {
        let p = format!("{}/{}.md", self.layout.stubs, id);
        self.exists(&p).then_some(p)
    }

    pub fn load_packet(&self, id: &WpId) -> Result<Packet, GovError> {
        let path = self
            .packet_path(id)?
            .ok_or_else(|| GovError::UnknownPacket {
                id: id.clone(),
                path: self.layout.packets.clone(),
                stub: self.stub_path(id),
            })?;
        let source = self.read_markdown(&path, "packet")?;
        let packet = Packet::parse(id.clone(), source);
        packet.doc.issues.iter().for_each(|d| self.warn(d.clone()));
        Ok(packet)
    }

    /// Every packet in the packets folder (stubs excluded), sorted by id. Names that
    /// are not valid ids (TEMPLATE.md, README.md) are skipped.
    pub fn packet_ids(&self) -> Vec<(WpId, String)> {
        list_packets(&self.root, &self.layout.packets, true)
    }

    pub fn stub_ids(&self) -> Vec<(WpId, String)> {
        list_packets(&self.root, &self.layout.stubs, false)
    }

    pub fn load_board(&self) -> Result<Board, GovError> {
        let board = Board::parse(self.read_markdown(&self.layout.task_board, "task board")?);
        board.doc.issues.iter().for_each(|d| self.warn(d.clone()));
        Ok(board)
    }

    pub fn load_audit(&self) -> Result<SignatureAudit, GovError> {
        Ok(SignatureAudit::parse(&self.read_markdown(
            &self.layout.signature_audit,
            "signature audit",
        )?))
    }

    pub fn load_pointer(&self) -> Result<Pointer, GovError> {
        let source = self.read_markdown(&self.layout.spec_pointer, "spec pointer")?;
        Pointer::parse(&source).ok_or_else(|| GovError::PointerUnresolved {
            path: self.layout.spec_pointer.clone(),
        })
    }

    /// The repository path of the spec a pointer names: beside the pointer, then at
    /// the repository root. `None` when neither exists (or the name escapes the root).
    pub fn spec_path(&self, pointer: &Pointer) -> Option<String> {
        let dir = Path::new(&self.layout.spec_pointer)
            .parent()
            .map(crate::paths::to_slash)
            .unwrap_or_default();
        let target = pointer.target.trim_start_matches("./");
        let beside = normalize_join(&dir, target);
        let at_root = normalize_join("", target.trim_start_matches('/'));
        [beside, at_root]
            .into_iter()
            .flatten()
            .find(|p| self.exists(p) && Path::new(&self.root.join(p)).is_file())
    }

    pub fn load_spec(&self) -> Result<CurrentSpec, GovError> {
        let pointer = self.load_pointer()?;
        let path = self
            .spec_path(&pointer)
            .ok_or_else(|| GovError::SpecMissing {
                pointer: self.layout.spec_pointer.clone(),
                target: pointer.target.clone(),
                line: pointer.line,
            })?;
        let source = self.read(&path, "spec")?;
        let spec = Spec::parse(&path, source.text, &self.config.roadmap_regex());
        Ok(CurrentSpec { pointer, spec })
    }

    pub fn relative(&self, p: &Path) -> String {
        crate::paths::to_slash(p.strip_prefix(&self.root).unwrap_or(p))
    }
}

/// Markdown documents larger than this are refused. The Markdown parser holds the
/// whole document tree in memory (up to about 40 bytes per input byte for dense
/// lists), so this bounds gov's memory at a few hundred MB; real packets and boards
/// are a thousand times smaller.
pub const MAX_MARKDOWN_BYTES: u64 = 8 * 1024 * 1024;

fn too_large(rel: &str, what: &str, size: u64) -> GovError {
    Diagnostic::new(
        &gov::DOC_UNREADABLE,
        format!(
            "the {what} {rel} is {size} bytes; gov reads Markdown documents up to {MAX_MARKDOWN_BYTES} bytes",
        ),
    )
    .in_file(rel.to_string())
    .help("a governance document this large is almost certainly damaged or generated; split or repair it")
    .into()
}

/// The warning for a document that was not valid UTF-8 (read lossily), if it was not.
pub fn lossy_warning(source: &Source, what: &str) -> Option<Diagnostic> {
    let at = source.invalid_utf8_at?;
    let (line, col) = source.line_col(at);
    Some(
        Diagnostic::new(
            &gov::LOSSY_UTF8,
            format!("the {what} is not valid UTF-8 from here on; invalid bytes were replaced"),
        )
        .at(source.path.clone(), line, col),
    )
}

/// Joins a relative target to a folder, resolving `..` lexically; `None` if it
/// climbs above the repository root.
fn normalize_join(dir: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn list_packets(root: &Path, dir: &str, folders: bool) -> Vec<(WpId, String)> {
    let Ok(full) = crate::paths::resolve_inside(root, dir) else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(&full) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Ok(ft) = entry.file_type() else { continue };
        if let Some(stem) = name.strip_suffix(".md") {
            if let Ok(id) = WpId::parse(stem) {
                out.push((id, format!("{dir}/{name}")));
            }
        } else if folders && (ft.is_dir() || ft.is_symlink()) {
            if let Ok(id) = WpId::parse(&name) {
                let p = format!("{dir}/{name}/packet.md");
                if root.join(&p).is_file() {
                    out.push((id, p));
                }
            }
        }
    }
    out.sort();
    out
}

/// Walks upward from `start` to the first folder that looks like a governance root.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|d| is_governance_root(d))
        .map(Path::to_path_buf)
}

fn is_governance_root(d: &Path) -> bool {
    d.join(config::CONFIG_FILE).is_file()
        || d.join("docs/SPEC_CURRENT.md").is_file()
        || d.join(".GOV/roles_shared/SPEC_CURRENT.md").is_file()
}

fn load_config(root: &Path, explicit: Option<&Path>) -> Result<(Config, Option<String>), GovError> {
    let read_error = |error| GovError::Read {
        what: "configuration file",
        error,
    };
    let (bytes, shown) = match explicit {
        // named on the command line: the one file gov reads wherever it is
        Some(p) => {
            if !p.is_file() {
                let d = Diagnostic::new(
                    &crate::diag::codes::cfg::CONFIG_NOT_FOUND,
                    format!(
                        "the configuration file {} does not exist",
                        crate::model::wp_id::printable(&p.display().to_string())
                    ),
                );
                return Err(d.into());
            }
            let shown = crate::paths::to_slash(p.strip_prefix(root).unwrap_or(p));
            let bytes = crate::io::read_file(p, &shown).map_err(read_error)?;
            (bytes, shown)
        }
        // gov.yaml in the repository: a link out of it, a FIFO or a folder is refused
        None => {
            if std::fs::symlink_metadata(root.join(config::CONFIG_FILE)).is_err() {
                return Ok((Config::default(), None));
            }
            let bytes = crate::io::read_bytes(root, config::CONFIG_FILE).map_err(read_error)?;
            (bytes, config::CONFIG_FILE.to_string())
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    let config = config::load_file(&shown, &text)?;
    Ok((config, Some(shown)))
}
