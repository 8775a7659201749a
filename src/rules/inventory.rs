//! Every packet and stub of the repository, each parsed once, with the facts the
//! integrity checks (board-check, spec-regression, phase-gate, status) ask for
//! computed once per packet.

use crate::diag::Diagnostic;
use crate::discovery::packets::{Form, PacketFile};
use crate::model::anchor::Anchor;
use crate::model::packet::{self, Packet, Verdict};
use crate::model::status::{Status, StatusKind};
use crate::model::wp_id::WpId;
use crate::repo::{lossy_warning, Repo, MAX_MARKDOWN_BYTES};
use crate::text::{Source, Spanned};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::PathBuf;

/// What the integrity checks read from one packet. The parsed document itself is
/// dropped once these are taken: a thousand parsed packets held in memory cost more
/// (allocation, page faults) than computing the anchors of closed packets up front.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PacketFacts {
    pub id: WpId,
    pub path: String,
    pub status: Option<Spanned<Status>>,
    pub last_verdict: Option<Spanned<Verdict>>,
    pub dependencies: Vec<Spanned<WpId>>,
    pub anchors: Vec<Spanned<Anchor>>,
}

impl PacketFacts {
    pub fn new(packet: Packet) -> PacketFacts {
        PacketFacts {
            status: packet.status(),
            last_verdict: packet.last_verdict(),
            dependencies: packet.dependencies(),
            anchors: packet.spec_anchors(),
            id: packet.id,
            path: packet.path,
        }
    }

    pub fn status_kind(&self) -> Option<StatusKind> {
        self.status.as_ref().and_then(|s| s.value.kind)
    }

    pub fn is_validated(&self) -> bool {
        packet::is_validated(self.last_verdict.as_ref().map(|v| v.value))
    }

    /// Active packets are still in flight: not Done, Validated or Superseded. A packet
    /// with no readable status counts as active (it has not been closed).
    pub fn is_active(&self) -> bool {
        !self.status_kind().is_some_and(StatusKind::is_closed)
    }

    /// The status as a reader would say it: `In Progress`, a verbatim unknown form,
    /// or `no status`.
    pub fn status_label(&self) -> String {
        match &self.status {
            Some(s) if !s.value.raw.is_empty() => s.value.label(),
            _ => "no status".to_string(),
        }
    }

    /// `status In Progress, last verdict FAIL` / `status Done, no validation verdict`.
    pub fn describe(&self) -> String {
        match &self.last_verdict {
            Some(v) => format!(
                "status {}, last verdict {}",
                self.status_label(),
                v.value.as_str()
            ),
            None => format!("status {}, no validation verdict", self.status_label()),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Inventory {
    /// The packets folder, relative to the root.
    pub dir: String,
    pub packets: BTreeMap<WpId, PacketFacts>,
    /// Stub ids and their paths: known WPs that are not activated yet.
    pub stubs: BTreeMap<WpId, String>,
    /// What stub contracts (`WP-ID.contract.json`) say a stub waits for.
    pub stub_dependencies: BTreeMap<WpId, StubDependencies>,
    /// Problems met while loading: unreadable packets, twins that are not read,
    /// JSON that disagrees with the Markdown beside it.
    pub problems: Vec<Diagnostic>,
}

/// A stub's build-order dependencies, from its contract.
#[derive(Debug, Clone, Default)]
pub struct StubDependencies {
    pub path: String,
    pub depends_on: Vec<Spanned<WpId>>,
}

impl Inventory {
    /// Reads and parses every packet once, in whichever form it has (flat, folder,
    /// `packet.json`). A packet that cannot be read is reported (and left out) rather
    /// than stopping the whole check.
    pub fn load(repo: &Repo) -> Inventory {
        let mut inv = Inventory {
            dir: repo.layout.packets.clone(),
            ..Inventory::default()
        };
        inv.load_stubs(repo);
        let files = repo.packet_files();
        let flat = FlatFiles::of(repo);
        let store = crate::cache::Store::open(&repo.root, "packets");
        let loaded = parallel_map(&files, |f| match fast_load(&flat, &store, f) {
            Some(l) => Ok(l),
            // links, folder and JSON packets, twins and read errors take the checked,
            // reporting path
            None => repo.load_packet_file(f).map(|(packet, notes)| Loaded {
                facts: PacketFacts::new(packet),
                notes,
            }),
        });
        store.save();
        for (f, loaded) in files.iter().zip(loaded) {
            match loaded {
                Ok(l) => {
                    inv.problems.extend(l.notes);
                    inv.packets.insert(f.id.clone(), l.facts);
                }
                Err(e) => inv.problems.push(e.diagnostic()),
            }
        }
        inv
    }

    /// Stub ids, and the dependencies their contracts declare.
    fn load_stubs(&mut self, repo: &Repo) {
        for (id, files) in repo.stub_files() {
            self.stubs.insert(id.clone(), files.path().to_string());
            let Some(path) = files.contract else { continue };
            let contract = repo
                .read_markdown(&path, "stub contract")
                .and_then(|source| crate::model::stub_contract::parse(&id, &source));
            match contract {
                Ok(c) => {
                    self.problems.extend(c.problems);
                    if !c.depends_on.is_empty() {
                        self.stub_dependencies.insert(
                            id,
                            StubDependencies {
                                path: c.path,
                                depends_on: c.depends_on,
                            },
                        );
                    }
                }
                Err(e) => self.problems.push(e.diagnostic()),
            }
        }
    }

    /// An inventory of already parsed packets (tests and library callers).
    pub fn from_packets(packets: impl IntoIterator<Item = Packet>) -> Inventory {
        Inventory {
            packets: packets
                .into_iter()
                .map(|p| (p.id.clone(), PacketFacts::new(p)))
                .collect(),
            ..Inventory::default()
        }
    }

    pub fn get(&self, id: &WpId) -> Option<&PacketFacts> {
        self.packets.get(id)
    }

    pub fn is_stub(&self, id: &WpId) -> bool {
        !self.packets.contains_key(id) && self.stubs.contains_key(id)
    }

    /// A WP gov knows: it has a packet or a stub.
    pub fn is_known(&self, id: &WpId) -> bool {
        self.packets.contains_key(id) || self.stubs.contains_key(id)
    }

    /// Whether the WP's packet is validated (its last verdict is PASS).
    pub fn is_validated(&self, id: &WpId) -> bool {
        self.get(id).is_some_and(PacketFacts::is_validated)
    }

    pub fn active(&self) -> impl Iterator<Item = &PacketFacts> {
        self.packets.values().filter(|p| p.is_active())
    }
}

struct Loaded {
    facts: PacketFacts,
    notes: Vec<Diagnostic>,
}

/// The regular files directly in the (checked) packets folder, from one directory
/// read: their types come with the listing, so no per-file `lstat` is needed.
struct FlatFiles {
    dir: Option<PathBuf>,
    regular: BTreeSet<String>,
}

impl FlatFiles {
    fn of(repo: &Repo) -> FlatFiles {
        let dir = crate::paths::resolve_inside(&repo.root, &repo.layout.packets).ok();
        let regular = dir
            .as_deref()
            .and_then(|d| std::fs::read_dir(d).ok())
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        FlatFiles { dir, regular }
    }
}

/// Reads and parses a flat packet file that sits directly in the (already checked)
/// packets folder and is not a link: no path can escape the root that way, so the
/// per-file path resolution of `Repo::read` is skipped. Anything else returns `None`
/// and takes the checked path.
fn fast_load(
    flat: &FlatFiles,
    store: &crate::cache::Store<compact::Facts>,
    f: &PacketFile,
) -> Option<Loaded> {
    let (id, path) = (&f.id, &f.path);
    if f.form != Form::Flat || f.archived || !f.twins.is_empty() {
        return None;
    }
    let name = path.rsplit_once('/').map_or(path.as_str(), |(_, n)| n);
    if !flat.regular.contains(name) || name.strip_suffix(".md") != Some(id.as_str()) {
        return None;
    }
    let mut file = std::fs::File::open(flat.dir.as_ref()?.join(name)).ok()?;
    let meta = file.metadata().ok()?;
    let len = meta.len();
    if len > MAX_MARKDOWN_BYTES {
        return None; // the checked path reports it
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).ok()?);
    // through `Take`, so std does not stat and seek the file again for a size hint
    file.by_ref()
        .take(len.saturating_add(1))
        .read_to_end(&mut bytes)
        .ok()?;
    let source = Source::from_vec(path.clone(), bytes);
    let notes = lossy_warning(&source, "packet").into_iter().collect();
    // the parse reads only the (lossily decoded) text, so that is what is hashed; an
    // entry exists only for a text without conflict markers, so a hit skips that scan
    let hash = store
        .is_active()
        .then(|| crate::cache::content_hash(source.text.as_bytes()));
    if let Some(facts) = hash.and_then(|h| store.get_with(path, &meta, h, compact::Facts::expand)) {
        return Some(Loaded { facts, notes });
    }
    if !crate::markdown::conflicts(&source).is_empty() {
        return None; // the checked path reports the conflict
    }
    let facts = PacketFacts::new(Packet::parse(id.clone(), source));
    if let Some(h) = hash {
        store.put(path, &meta, h, compact::Facts::of(&facts));
    }
    Some(Loaded { facts, notes })
}

/// Packet facts as the cache stores them: positional (no field names to match) and
/// without internally tagged enums, which serde decodes through a buffer: decoding
/// the cache is most of a warm run's cost on a large repository.
mod compact {
    use super::PacketFacts;
    use crate::model::anchor::{Anchor, SectionNumber};
    use crate::model::packet::Verdict;
    use crate::model::status::{Status, StatusKind};
    use crate::model::wp_id::WpId;
    use crate::text::Spanned;
    use serde::{Deserialize, Serialize};

    type At = (usize, usize);

    #[derive(Debug, Clone, Serialize, Deserialize)]
    pub struct Facts(
        WpId,
        String,
        Option<(Option<StatusKind>, String, Option<String>, At)>,
        Option<(Verdict, At)>,
        Vec<(WpId, At)>,
        Vec<(Anchor2, At)>,
    );

    /// [`Anchor`], externally tagged.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    enum Anchor2 {
        S(String),
        R(String, String),
        C(String),
        M(String, Option<String>, Option<String>),
        T(String),
        L(String, usize, Option<String>),
    }

    fn at<T>(s: &Spanned<T>) -> At {
        (s.line, s.column)
    }

    fn spanned<T>(value: T, (line, column): At) -> Spanned<T> {
        Spanned {
            value,
            line,
            column,
        }
    }

    impl Facts {
        pub fn of(f: &PacketFacts) -> Facts {
            let anchor = |a: &Anchor| match a {
                Anchor::Section { number } => Anchor2::S(number.0.clone()),
                Anchor::Range { from, to } => Anchor2::R(from.0.clone(), to.0.clone()),
                Anchor::Code { code } => Anchor2::C(code.clone()),
                Anchor::Module {
                    module,
                    number,
                    slug,
                } => Anchor2::M(
                    module.clone(),
                    number.as_ref().map(|n| n.0.clone()),
                    slug.clone(),
                ),
                Anchor::Title { title } => Anchor2::T(title.clone()),
                Anchor::Line { file, line, title } => {
                    Anchor2::L(file.clone(), *line, title.clone())
                }
            };
            Facts(
                f.id.clone(),
                f.path.clone(),
                f.status.as_ref().map(|s| {
                    let v = &s.value;
                    (v.kind, v.raw.clone(), v.qualifier.clone(), at(s))
                }),
                f.last_verdict.as_ref().map(|v| (v.value, at(v))),
                f.dependencies
                    .iter()
                    .map(|d| (d.value.clone(), at(d)))
                    .collect(),
                f.anchors
                    .iter()
                    .map(|a| (anchor(&a.value), at(a)))
                    .collect(),
            )
        }

        pub fn expand(&self) -> PacketFacts {
            let n = |s: &String| SectionNumber(s.clone());
            let anchor = |a: &Anchor2| match a {
                Anchor2::S(number) => Anchor::Section { number: n(number) },
                Anchor2::R(from, to) => Anchor::Range {
                    from: n(from),
                    to: n(to),
                },
                Anchor2::C(code) => Anchor::Code { code: code.clone() },
                Anchor2::M(module, number, slug) => Anchor::Module {
                    module: module.clone(),
                    number: number.as_ref().map(n),
                    slug: slug.clone(),
                },
                Anchor2::T(title) => Anchor::Title {
                    title: title.clone(),
                },
                Anchor2::L(file, line, title) => Anchor::Line {
                    file: file.clone(),
                    line: *line,
                    title: title.clone(),
                },
            };
            PacketFacts {
                id: self.0.clone(),
                path: self.1.clone(),
                status: self.2.as_ref().map(|(kind, raw, qualifier, a)| {
                    spanned(
                        Status {
                            kind: *kind,
                            raw: raw.clone(),
                            qualifier: qualifier.clone(),
                        },
                        *a,
                    )
                }),
                last_verdict: self.3.map(|(v, a)| spanned(v, a)),
                dependencies: self.4.iter().map(|(d, a)| spanned(d.clone(), *a)).collect(),
                anchors: self.5.iter().map(|(x, a)| spanned(anchor(x), *a)).collect(),
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::model::packet::Packet;
        use crate::text::Source;

        #[test]
        fn facts_survive_the_compact_form_and_json() {
            let text = "- STATUS: In Progress (since 2026-01-02)\n- SPEC_ANCHOR: §2.3, A4.1-4.3, [CX-A-1], \
                        03-storage.md#3.5, 03-storage.md#cache-min, X_v02.50.md:4120 Title, \
                        X_v02.50.md Widget format\n- Depends on: WP-1-B, WP-1-C\n\
                        VALIDATION REPORT\nVerdict: FAIL\n";
            let id = WpId::parse("WP-1-A").unwrap();
            let facts = PacketFacts::new(Packet::parse(
                id,
                Source::from_bytes("p.md", text.as_bytes()),
            ));
            assert!(facts.anchors.len() >= 3 && !facts.dependencies.is_empty());
            let json = serde_json::to_string(&Facts::of(&facts)).unwrap();
            let back: Facts = serde_json::from_str(&json).unwrap();
            let (a, b) = (back.expand(), facts);
            assert_eq!(
                serde_json::to_value(&a).unwrap(),
                serde_json::to_value(&b).unwrap()
            );
        }
    }
}

/// Below this many items a second thread costs more than it saves.
const PARALLEL_FROM: usize = 64;

/// Maps `f` over `items` on up to `available_parallelism` scoped threads (contiguous
/// chunks, results in input order). Parsing a thousand packets is the one place gov
/// needs this, so std's scoped threads suffice.
pub(crate) fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if threads < 2 || items.len() < PARALLEL_FROM {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(v) => v,
                // a panic is a bug; re-raise it rather than lose packets silently
                Err(p) => std::panic::resume_unwind(p),
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Source;

    fn packet(id: &str, text: &str) -> Packet {
        Packet::parse(
            WpId::parse(id).unwrap(),
            Source::from_bytes(format!("{id}.md"), text.as_bytes()),
        )
    }

    #[test]
    fn validated_means_last_verdict_pass() {
        let inv = Inventory::from_packets([
            packet("WP-1-A", "- STATUS: Done\nVerdict: PASS\n"),
            packet("WP-1-B", "- STATUS: Done\nVerdict: PASS\nVerdict: FAIL\n"),
            packet("WP-1-C", "- STATUS: Done (VALIDATED)\n"),
        ]);
        let v = |s: &str| inv.is_validated(&WpId::parse(s).unwrap());
        assert!(v("WP-1-A"));
        assert!(!v("WP-1-B"), "a later FAIL undoes an earlier PASS");
        assert!(!v("WP-1-C"), "a status alone is not a verdict");
    }

    #[test]
    fn parallel_map_keeps_order() {
        let items: Vec<usize> = (0..1000).collect();
        let doubled = parallel_map(&items, |i| i * 2);
        assert_eq!(doubled, items.iter().map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn active_packets() {
        let inv = Inventory::from_packets([
            packet("WP-1-A", "- STATUS: Done\n"),
            packet("WP-1-B", "- STATUS: In Progress\n"),
            packet("WP-1-C", "no status here\n"),
            packet("WP-1-D", "- STATUS: Superseded\n"),
        ]);
        let ids: Vec<_> = inv.active().map(|p| p.id.to_string()).collect();
        assert_eq!(ids, ["WP-1-B", "WP-1-C"]);
    }
}
