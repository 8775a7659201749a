//! The repository being governed: its root, configuration, layout, and loaders for
//! each governance document. Loaders return typed models; problems that prevent
//! evaluation are [`GovError`]s (exit 2), and lossy reads leave warnings behind.

use crate::config::{self, Config, Layout};
use crate::diag::codes::gov;
use crate::diag::Diagnostic;
use crate::discovery::packets::{self, Form, PacketFile, StubFiles};
use crate::discovery::Discovery;
use crate::error::GovError;
use crate::io::{read_source_within, OpenedFile, ReadError};
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
    /// How each document's path was decided (`gov doctor` prints it).
    pub discovery: Discovery,
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
    /// Finds the repository (or uses `--root`) and loads its configuration. Two
    /// candidates for one document are an error (GOV020).
    pub fn open(opts: &RepoOptions, cwd: &Path) -> Result<Repo, GovError> {
        let repo = Repo::open_unchecked(opts, cwd)?;
        match repo.discovery.ambiguities.first() {
            Some(a) => Err(a.diagnostic().into()),
            None => Ok(repo),
        }
    }

    /// [`Repo::open`] that keeps ambiguous documents for the caller to report
    /// (`gov doctor`).
    pub fn open_unchecked(opts: &RepoOptions, cwd: &Path) -> Result<Repo, GovError> {
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
        let (layout, discovery) = crate::discovery::discover(root, &config);
        Ok(Repo {
            root: root.to_path_buf(),
            config,
            layout,
            config_path,
            discovery,
            warnings: Mutex::new(Vec::new()),
        })
    }

    /// Reads a repository file; `what` names it in errors ("task board").
    pub fn read(&self, rel: &str, what: &'static str) -> Result<Source, GovError> {
        self.read_within(rel, what, crate::io::MAX_FILE_BYTES)
            .map_err(|error| self.read_error(what, error))
    }

    /// A read error; a discovered document that is missing says where gov looked.
    fn read_error(&self, what: &'static str, error: ReadError) -> GovError {
        if let ReadError::Missing(p) = &error {
            if let Some(f) = self.discovery.for_path(p).filter(|f| !f.looked.is_empty()) {
                return Diagnostic::new(
                    &gov::DOC_MISSING,
                    format!(
                        "no {what} found: there is no {} (looked at {})",
                        f.doc.display_name(),
                        f.looked.join(", ")
                    ),
                )
                .in_file(p.clone())
                .help(format!(
                    "create it, or set `paths.{}` in gov.yaml to where it is (`gov doctor` shows what was found)",
                    f.doc.key()
                ))
                .into();
            }
        }
        GovError::Read { what, error }
    }

    /// Reads a Markdown document (packet, board, refinement, template, audit, spec
    /// pointer), refusing one larger than [`MAX_MARKDOWN_BYTES`] before it is read. The
    /// spec, an index of headings scanned line by line, may be larger.
    pub fn read_markdown(&self, rel: &str, what: &'static str) -> Result<Source, GovError> {
        self.read_markdown_with_meta(rel, what)
            .map(|(source, _)| source)
    }

    /// [`Repo::read_markdown`], with the metadata of the handle it was read through
    /// (the file's identity for the cache).
    fn read_markdown_with_meta(
        &self,
        rel: &str,
        what: &'static str,
    ) -> Result<(Source, std::fs::Metadata), GovError> {
        let error = |error| match error {
            ReadError::TooLarge(_, size) => too_large(rel, what, size),
            error => self.read_error(what, error),
        };
        let file = crate::io::open_within(&self.root, rel, MAX_MARKDOWN_BYTES).map_err(error)?;
        let meta = file.meta.clone();
        let source = Source::from_vec(rel, file.read_all().map_err(error)?);
        self.warn_decoding(&source, what);
        Ok((source, meta))
    }

    /// Reads `rel` up to `cap` bytes, warning (once read) when it is not valid UTF-8.
    fn read_within(&self, rel: &str, what: &'static str, cap: u64) -> Result<Source, ReadError> {
        let source = read_source_within(&self.root, rel, cap)?;
        self.warn_decoding(&source, what);
        Ok(source)
    }

    /// Opens a document (the spec) for reading, with the refusals of [`Repo::read`],
    /// without reading it yet.
    pub fn open_file(&self, rel: &str, what: &'static str) -> Result<OpenedFile, GovError> {
        crate::io::open_within(&self.root, rel, crate::io::MAX_FILE_BYTES)
            .map_err(|error| self.read_error(what, error))
    }

    /// Reads a document opened with [`Repo::open_file`], warning as [`Repo::read`] does;
    /// also says whether the text was clean (valid UTF-8, no conflict markers).
    pub fn read_opened(
        &self,
        file: OpenedFile,
        what: &'static str,
    ) -> Result<(Source, bool), GovError> {
        let rel = file.rel().to_string();
        let bytes = file
            .read_all()
            .map_err(|error| self.read_error(what, error))?;
        let source = Source::from_vec(rel, bytes);
        let clean = self.warn_decoding(&source, what);
        Ok((source, clean))
    }

    /// Warns about a text that is not valid UTF-8 or holds conflict markers; true when
    /// there was nothing to warn about.
    fn warn_decoding(&self, source: &Source, what: &str) -> bool {
        let lossy = lossy_warning(source, what);
        let conflicts = crate::markdown::conflict_diagnostics(source, what);
        let clean = lossy.is_none() && conflicts.is_empty();
        lossy
            .into_iter()
            .chain(conflicts)
            .for_each(|d| self.warn(d));
        clean
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

    /// The packet file read for an exact id (see [`packets`] for the order).
    pub fn packet_path(&self, id: &WpId) -> Result<Option<String>, GovError> {
        Ok(self.packet_file(id).map(|f| f.path))
    }

    /// The copy of a packet gov reads, and its twins.
    pub fn packet_file(&self, id: &WpId) -> Option<PacketFile> {
        packets::find(
            &self.root,
            &self.layout.packets,
            id,
            self.config.packets.prefer,
        )
    }

    /// A stub's file: the Markdown stub, else its contract.
    pub fn stub_path(&self, id: &WpId) -> Option<String> {
        let md = format!("{}/{}.md", self.layout.stubs, id);
        let contract = format!("{}/{}.contract.json", self.layout.stubs, id);
        [md, contract].into_iter().find(|p| self.exists(p))
    }

    pub fn load_packet(&self, id: &WpId) -> Result<Packet, GovError> {
        self.load_found_packet(&self.find_packet(id)?)
    }

    /// The file of packet `id`, or the error that names where it was looked for.
    pub fn find_packet(&self, id: &WpId) -> Result<PacketFile, GovError> {
        self.packet_file(id).ok_or_else(|| GovError::UnknownPacket {
            id: id.clone(),
            path: self.layout.packets.clone(),
            stub: self.stub_path(id),
        })
    }

    /// Loads a packet [`Repo::find_packet`] found, warning as [`Repo::load_packet`] does.
    pub fn load_found_packet(&self, file: &PacketFile) -> Result<Packet, GovError> {
        let (packet, notes) = self.load_packet_file(file)?;
        for d in notes {
            self.warn(d);
        }
        packet.doc.issues.iter().for_each(|d| self.warn(d.clone()));
        Ok(packet)
    }

    /// Reads one packet in whichever form it has, with the notes and warnings that
    /// come with its form: the twin that is not read, a `packet.json` that disagrees
    /// with the `packet.md` beside it, JSON fields of the wrong type.
    pub fn load_packet_file(&self, f: &PacketFile) -> Result<(Packet, Vec<Diagnostic>), GovError> {
        let mut notes = Vec::new();
        let source = self.read_markdown(&f.path, "packet")?;
        let packet = if f.form.is_json() {
            let json = crate::model::packet_json::parse(&source)?;
            notes.extend(json.problems.iter().cloned());
            json.to_packet(f.id.clone())
        } else {
            Packet::parse(f.id.clone(), source)
        };
        for twin in &f.twins {
            notes.push(twin_note(f, twin, &packet));
        }
        if let Some(json_path) = &f.json_beside {
            notes.extend(self.compare_json(json_path, &packet));
        }
        Ok((packet, notes))
    }

    /// Warnings where `packet.json` disagrees with the authoritative `packet.md`.
    fn compare_json(&self, json_path: &str, md: &Packet) -> Vec<Diagnostic> {
        let source = match self.read_markdown(json_path, "packet.json") {
            Ok(s) => s,
            Err(e) => return vec![e.diagnostic().severity(crate::diag::Severity::Warning)],
        };
        match crate::model::packet_json::parse(&source) {
            Ok(json) => {
                let mut out = json.problems.clone();
                out.extend(json.disagreements(md));
                out
            }
            // the Markdown is the packet: a broken JSON beside it does not stop a gate
            Err(e) => vec![e.diagnostic().severity(crate::diag::Severity::Warning)],
        }
    }

    /// Every packet (stubs excluded), one per id, sorted by id: live packets, then
    /// archived ones. Names that are not valid ids (TEMPLATE.md, README.md) are skipped.
    pub fn packet_ids(&self) -> Vec<(WpId, String)> {
        self.packet_files()
            .into_iter()
            .map(|f| (f.id, f.path))
            .collect()
    }

    pub fn packet_files(&self) -> Vec<PacketFile> {
        packets::list(&self.root, &self.layout.packets, self.config.packets.prefer)
    }

    pub fn stub_ids(&self) -> Vec<(WpId, String)> {
        self.stub_files()
            .into_iter()
            .map(|(id, s)| (id, s.path().to_string()))
            .collect()
    }

    /// Stubs by id: Markdown stubs and stub contracts (`WP-ID.contract.json`).
    pub fn stub_files(&self) -> Vec<(WpId, StubFiles)> {
        packets::stubs(&self.root, &self.layout.stubs)
            .into_iter()
            .collect()
    }

    pub fn load_board(&self) -> Result<Board, GovError> {
        Ok(self.load_board_with_text()?.0)
    }

    /// The board and its text (the history walk diffs the text); the board's facts
    /// come from the cache when it holds them for this very file and text.
    pub fn load_board_with_text(&self) -> Result<(Board, Source), GovError> {
        let (source, meta) = self.read_markdown_with_meta(&self.layout.task_board, "task board")?;
        let (board, source) = Board::load_cached(&self.root, source, &meta);
        board.issues.iter().for_each(|d| self.warn(d.clone()));
        Ok((board, source))
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

    /// The repository path of the spec a pointer names (a Markdown spec, or the
    /// manifest of a modular spec). A link is resolved beside the pointer, then at the
    /// repository root; a bold name or path, prose and a JSON entry path are
    /// repository-relative, so the root comes first. `None` when neither exists, or
    /// the name escapes the root (nothing outside it is read).
    pub fn spec_path(&self, pointer: &Pointer) -> Option<String> {
        use crate::model::pointer::PointerForm;
        let dir = Path::new(&self.layout.spec_pointer)
            .parent()
            .map(crate::paths::to_slash)
            .unwrap_or_default();
        let target = pointer.target.trim().trim_start_matches("./");
        let beside = normalize_join(&dir, target);
        let at_root = if pointer.form == PointerForm::Json {
            crate::rules::spec::source::join("", target)
        } else {
            normalize_join("", target.trim_start_matches('/'))
        };
        let order = match pointer.form {
            PointerForm::Link | PointerForm::Text => [beside, at_root],
            PointerForm::Json => [at_root, None],
            PointerForm::BoldName | PointerForm::BoldPath => [at_root, beside],
        };
        order
            .into_iter()
            .flatten()
            .find(|p| self.exists(p) && Path::new(&self.root.join(p)).is_file())
    }

    /// The current spec, one file or a modular bundle read as one. Findings made while
    /// reading it (a module hash mismatch, a module that cannot be read) are warnings
    /// of the command; a spec that cannot be found or a manifest that cannot be read
    /// stops it (exit 2).
    pub fn load_spec(&self) -> Result<CurrentSpec, GovError> {
        use crate::rules::spec::source;
        let pointer = self.load_pointer()?;
        let path = source::locate(self, &pointer).map_err(|d| {
            if source::escapes(&pointer) {
                GovError::from(*d)
            } else {
                GovError::SpecMissing {
                    pointer: self.layout.spec_pointer.clone(),
                    target: pointer.target.clone(),
                    line: pointer.line,
                }
            }
        })?;
        let mut findings = Vec::new();
        let version = pointer
            .version
            .as_deref()
            .filter(|_| source::is_manifest(&path));
        let read = source::read(self, &path, version, &mut findings)?;
        let Some(read) = read else {
            let why = findings.into_iter().next();
            return Err(why.map_or_else(
                || GovError::SpecMissing {
                    pointer: self.layout.spec_pointer.clone(),
                    target: pointer.target.clone(),
                    line: pointer.line,
                },
                GovError::from,
            ));
        };
        for d in findings {
            self.warn(d);
        }
        let cache = source::spec_cache_read_only(&self.root);
        let spec = read.parse(self, &cache, &self.config.roadmap_regex())?;
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
    crate::paths::join_segments(dir, target.split('/'))
}

/// Walks upward from `start` to the first folder that looks like a governance root.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|d| is_governance_root(d))
        .map(Path::to_path_buf)
}

/// gov.yaml, or a pointer or board where some known layout keeps one: `docs/`,
/// `.GOV/roles_shared/` (and its `records/`), `.GOV/spec/`, and the same under
/// `.gov/` and `governance/`. A few fixed probes per folder, no walk.
fn is_governance_root(d: &Path) -> bool {
    const FOLDERS: &[&str] = &["docs", ".GOV", ".gov", "governance"];
    const BELOW: &[&str] = &[
        "",
        "roles_shared/",
        "roles_shared/records/",
        "records/",
        "spec/",
    ];
    const NAMES: &[&str] = &["SPEC_CURRENT.md", "TASK_BOARD.md"];
    d.join(config::CONFIG_FILE).is_file()
        || FOLDERS.iter().any(|f| {
            BELOW.iter().any(|b| {
                NAMES
                    .iter()
                    .any(|n| d.join(format!("{f}/{b}{n}")).is_file())
            })
        })
}

/// The note for a packet copy that is not read.
fn twin_note(f: &PacketFile, twin: &str, read: &Packet) -> Diagnostic {
    let why = match f.form {
        Form::Flat => "`packets.prefer: flat`".to_string(),
        _ => {
            let generated = read.doc.source.text.lines().next().is_some_and(|l| {
                l.trim_start().starts_with("<!--") && l.contains("_GENERATED_PROJECTION")
            });
            if generated {
                "the folder copy, marked as a generated projection, is authoritative".to_string()
            } else {
                "the folder copy is authoritative".to_string()
            }
        }
    };
    let d = Diagnostic::new(
        &gov::DUPLICATE_PACKET,
        format!(
            "{} exists as both {} and {twin}; {} is read ({why})",
            f.id, f.path, f.path
        ),
    )
    .in_file(twin.to_string());
    match f.form {
        Form::Flat => {
            d.help("remove `packets.prefer: flat` from gov.yaml to read the folder copy instead")
        }
        _ => d,
    }
}

fn load_config(root: &Path, explicit: Option<&Path>) -> Result<(Config, Option<String>), GovError> {
    let read_error = |error| GovError::Read {
        what: "configuration file",
        error,
    };
    let (bytes, shown) = match explicit {
        // named on the command line: the one file gov reads wherever it is
        Some(p) => {
            let shown = crate::paths::to_slash(p.strip_prefix(root).unwrap_or(p));
            let printable = crate::model::wp_id::printable(&shown);
            match std::fs::metadata(p) {
                Err(_) => {
                    return Err(Diagnostic::new(
                        &crate::diag::codes::cfg::CONFIG_NOT_FOUND,
                        format!("the configuration file {printable} does not exist"),
                    )
                    .into())
                }
                // a FIFO would block and a device never end: only regular files are read
                Ok(m) if !m.is_file() => {
                    return Err(Diagnostic::new(
                        &crate::diag::codes::cfg::CONFIG_NOT_REGULAR,
                        format!("the configuration file {printable} is not a regular file"),
                    )
                    .into())
                }
                Ok(_) => {}
            }
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
