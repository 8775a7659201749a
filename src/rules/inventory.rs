//! Every packet and stub of the repository, each parsed once, with the facts the
//! integrity checks (board-check, spec-regression, phase-gate, status) ask for
//! computed once per packet.

use crate::cache::{Reader, Record};
use crate::diag::Diagnostic;
use crate::discovery::packets::{Form, PacketFile};
use crate::error::GovError;
use crate::model::anchor::Anchor;
use crate::model::packet::{self, Packet, Verdict};
use crate::model::status::{Status, StatusKind};
use crate::model::wp_id::WpId;
use crate::repo::{lossy_warning, Repo, MAX_MARKDOWN_BYTES};
use crate::text::{Source, Spanned};
use std::collections::BTreeMap;
use std::io::Read;

mod map;

pub use map::PacketMap;

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
    pub packets: PacketMap,
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
        let parts =
            load_parts::<PacketFacts, _>(repo, "packets", &files, |loaded, part| match loaded {
                Ok(l) => {
                    part.problems.extend(l.notes);
                    part.facts.push(l.facts);
                }
                Err(e) => part.problems.push(e.diagnostic()),
            });
        drop(files);
        let mut facts = Vec::with_capacity(parts.len());
        for part in parts {
            inv.problems.extend(part.problems);
            facts.push(part.facts);
        }
        inv.packets = PacketMap::from_parts(facts);
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
        let facts = packets.into_iter().map(PacketFacts::new).collect();
        Inventory {
            packets: PacketMap::from_parts(vec![facts]),
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

/// What one packet gave: its facts and the notes made while reading it.
pub struct Loaded<T> {
    pub facts: T,
    pub notes: Vec<Diagnostic>,
}

/// Facts of one kind that a command takes from each packet, cached per packet by
/// [`load_facts`] in a table of their own.
pub trait FromPacket: Record + Send {
    fn of(packet: Packet) -> Self;
    /// The packet's path, as the facts record it.
    fn path(&self) -> &str;
    /// The facts cached for `file`, read by `r` from the record stored under its
    /// path. The default decodes the record with [`Record::decode`]; a kind whose
    /// record leaves out what the listing already knows takes it from `file`.
    fn cached(file: &PacketFile, r: &mut Reader<'_>) -> Option<Self> {
        Self::decode(&file.path, r)
    }
}

impl FromPacket for PacketFacts {
    fn of(packet: Packet) -> PacketFacts {
        PacketFacts::new(packet)
    }
    fn path(&self) -> &str {
        &self.path
    }
    fn cached(file: &PacketFile, r: &mut Reader<'_>) -> Option<PacketFacts> {
        record::decode_for(file.id.clone(), file.path.clone(), r)
    }
}

/// Every packet file, and its facts of kind `T` (from the cache table `table` when
/// the file and its text are those they were taken from) or why it could not be
/// read. Packets are read on worker threads, in the listing's order.
pub fn load_facts<T: FromPacket>(
    repo: &Repo,
    table: &str,
) -> (Vec<PacketFile>, Vec<Result<Loaded<T>, GovError>>) {
    let files = repo.packet_files();
    let parts = load_parts::<T, Result<Loaded<T>, GovError>>(repo, table, &files, |l, part| {
        part.facts.push(l)
    });
    let loaded = parts.into_iter().flat_map(|p| p.facts).collect();
    (files, loaded)
}

/// What one worker made of its contiguous run of the listing.
pub struct Part<R> {
    pub facts: Vec<R>,
    pub problems: Vec<Diagnostic>,
}

/// Loads `files` on worker threads, each a contiguous run of them, in order: `keep`
/// puts what each file gave into its run's [`Part`]. Each worker reads every file
/// into one buffer of its own.
fn load_parts<T: FromPacket, R: Send>(
    repo: &Repo,
    table: &str,
    files: &[PacketFile],
    keep: impl Fn(Result<Loaded<T>, GovError>, &mut Part<R>) + Sync,
) -> Vec<Part<R>> {
    let flat = FlatFiles::of(repo);
    let store = crate::cache::Table::open(&repo.root, table);
    let parts = parallel_chunks(files, |run| {
        let mut part = Part {
            facts: Vec::with_capacity(run.len()),
            problems: Vec::new(),
        };
        let mut buf = Vec::new();
        let mut near = None;
        for f in run {
            let loaded = match fast_load(&flat, &store, f, &mut buf, &mut near) {
                Some(l) => Ok(l),
                // links, folder and JSON packets, twins and read errors take the
                // checked, reporting path
                None => repo.load_packet_file(f).map(|(packet, notes)| Loaded {
                    facts: T::of(packet),
                    notes,
                }),
            };
            keep(loaded, &mut part);
        }
        part
    });
    store.save();
    parts
}

/// The packets folder, checked once: a flat packet the listing saw as a regular file
/// directly in it is read there without resolving its path again.
struct FlatFiles {
    #[cfg(not(unix))]
    dir: Option<std::path::PathBuf>,
    /// The folder, open (unix): each packet is opened relative to it, so the kernel
    /// walks one name instead of the whole path, ten thousand times on a large
    /// repository.
    #[cfg(unix)]
    fd: Option<rustix::fd::OwnedFd>,
}

impl FlatFiles {
    fn of(repo: &Repo) -> FlatFiles {
        let dir = crate::paths::resolve_inside(&repo.root, &repo.layout.packets).ok();
        #[cfg(unix)]
        let fd = dir.as_deref().and_then(|d| {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
            rustix::fs::open(d, flags, Mode::empty()).ok()
        });
        FlatFiles {
            #[cfg(not(unix))]
            dir,
            #[cfg(unix)]
            fd,
        }
    }

    /// Opens `name` in the folder; never through a link (the listing saw a regular
    /// file; one put there since is refused, and the checked path reads it).
    #[cfg(unix)]
    fn open(&self, name: &str) -> Option<std::fs::File> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(self.fd.as_ref()?, name, flags, Mode::empty()).ok()?;
        Some(std::fs::File::from(fd))
    }

    #[cfg(not(unix))]
    fn open(&self, name: &str) -> Option<std::fs::File> {
        std::fs::File::open(self.dir.as_ref()?.join(name)).ok()
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads and parses a flat packet file that sits directly in the (already checked)
/// packets folder and is not a link: no path can escape the root that way, so the
/// per-file path resolution of `Repo::read` is skipped. Anything else returns `None`
/// and takes the checked path. The file is read into `buf` (the worker's own, kept
/// from file to file); a cache hit needs nothing else. `near` is the cache slot to
/// try first (the one after the last hit: the worker's files come in key order).
fn fast_load<T: FromPacket>(
    flat: &FlatFiles,
    store: &crate::cache::Table<T>,
    f: &PacketFile,
    buf: &mut Vec<u8>,
    near: &mut Option<usize>,
) -> Option<Loaded<T>> {
    let (id, path) = (&f.id, &f.path);
    if f.form != Form::Flat || f.archived || !f.twins.is_empty() {
        return None;
    }
    let name = path.rsplit_once('/').map_or(path.as_str(), |(_, n)| n);
    if !f.regular || name.strip_suffix(".md") != Some(id.as_str()) {
        return None;
    }
    let mut file = flat.open(name)?;
    let meta = file.metadata().ok()?;
    let len = meta.len();
    if len > MAX_MARKDOWN_BYTES {
        return None; // the checked path reports it
    }
    buf.clear();
    buf.reserve(usize::try_from(len).ok()?);
    // through `Take`, so std does not stat and seek the file again for a size hint;
    // limited to the size just measured, so one `read` takes the whole text and no
    // second one is spent finding its end (10,000 packets: 10,000 calls fewer). A file
    // growing meanwhile is read as it was when measured, which its identity says.
    file.by_ref().take(len).read_to_end(buf).ok()?;
    // the parse reads only the text (the bytes less a BOM, lossily decoded), so that
    // is what an entry's hash is of. The bytes are hashed as they are: when they are
    // not UTF-8 they differ from the text, and so (but for a 64-bit collision, the
    // risk every hit takes) does their hash, and the look-up below misses; such a file
    // is looked up again by the hash of its text
    let bytes = buf.strip_prefix(BOM).unwrap_or(buf);
    let mut hash = None;
    if store.is_active() {
        let h = crate::cache::content_hash(bytes);
        let hit = cached(store, f, &meta, h, near, false);
        let text = hit.is_some() || std::str::from_utf8(bytes).is_ok();
        if text {
            // one look-up, counted once
            crate::cache::count(hit.is_some());
        }
        if let Some(facts) = hit {
            return Some(Loaded {
                facts,
                notes: Vec::new(),
            });
        }
        hash = text.then_some(h);
    }
    let source = Source::from_vec(path.clone(), std::mem::take(buf));
    let notes: Vec<Diagnostic> = lossy_warning(&source, "packet").into_iter().collect();
    if store.is_active() && hash.is_none() {
        let h = crate::cache::content_hash(source.text.as_bytes());
        if let Some(facts) = cached(store, f, &meta, h, near, true) {
            return Some(Loaded { facts, notes });
        }
        hash = Some(h);
    }
    // an entry exists only for a text without conflict markers, so a hit skips that scan
    if !crate::markdown::conflicts(&source).is_empty() {
        return None; // the checked path reports the conflict
    }
    let facts = T::of(Packet::parse(id.clone(), source));
    if let Some(h) = hash.filter(|_| facts.path() == path) {
        store.put(path, &meta, h, &facts);
    }
    Some(Loaded { facts, notes })
}

/// The facts cached for `f` whose text hashes to `hash` (a hit or a miss is counted
/// when `counted`); `near` is the slot tried first, and becomes the one after the
/// entry found.
fn cached<T: FromPacket>(
    store: &crate::cache::Table<T>,
    f: &PacketFile,
    meta: &std::fs::Metadata,
    hash: u64,
    near: &mut Option<usize>,
    counted: bool,
) -> Option<T> {
    let mut found = store.lookup_near(&f.path, meta, hash, *near);
    *near = found.next_slot().or(*near);
    if !counted {
        found = found.uncounted();
    }
    found.decode(|r| T::cached(f, r))
}

/// Packet facts as the cache stores them: a compact binary record decoded straight
/// into [`PacketFacts`] (the path is the entry's key). Decoding the cache is most of a
/// warm run's cost on a large repository.
mod record {
    use super::PacketFacts;
    use crate::cache::{Reader, Record, Writer};
    use crate::model::anchor::{Anchor, SectionNumber};
    use crate::model::packet::Verdict;
    use crate::model::status::{Status, StatusKind};
    use crate::model::wp_id::WpId;
    use crate::text::Spanned;

    /// Status kinds are tagged 1.. in the order of [`StatusKind::ALL`] (0: none): the
    /// order is part of the cache schema.
    const KINDS: [StatusKind; 9] = StatusKind::ALL;

    fn kind_tag(k: StatusKind) -> u8 {
        KINDS
            .iter()
            .position(|&x| x == k)
            .map_or(0, |i| i as u8 + 1)
    }

    /// Tags 1.. in this order (0: none); `verdict_tag` must agree.
    const VERDICTS: [Verdict; 7] = [
        Verdict::Pass,
        Verdict::Fail,
        Verdict::OutdatedOnly,
        Verdict::Pending,
        Verdict::Blocked,
        Verdict::NotProven,
        Verdict::Unknown,
    ];

    fn verdict_tag(v: Verdict) -> u8 {
        match v {
            Verdict::Pass => 1,
            Verdict::Fail => 2,
            Verdict::OutdatedOnly => 3,
            Verdict::Pending => 4,
            Verdict::Blocked => 5,
            Verdict::NotProven => 6,
            Verdict::Unknown => 7,
        }
    }

    fn tagged<T: Copy>(table: &[T], tag: u8) -> Option<Option<T>> {
        match tag {
            0 => Some(None),
            t => table.get(usize::from(t) - 1).copied().map(Some),
        }
    }

    /// An id as the parser made it (as the JSON store read it: not parsed again).
    fn wp_id(s: &str) -> Option<WpId> {
        use serde::de::IntoDeserializer;
        use serde::Deserialize;
        let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
            s.into_deserializer();
        WpId::deserialize(de).ok()
    }

    fn at<T>(w: &mut Writer, s: &Spanned<T>) {
        w.u32(s.line);
        w.u32(s.column);
    }

    fn spanned<T>(r: &mut Reader<'_>, value: T) -> Option<Spanned<T>> {
        Some(Spanned {
            value,
            line: r.u32()?,
            column: r.u32()?,
        })
    }

    fn encode_anchor(w: &mut Writer, a: &Anchor) {
        match a {
            Anchor::Section { number } => {
                w.u8(0);
                w.str(&number.0);
            }
            Anchor::Range { from, to } => {
                w.u8(1);
                w.str(&from.0);
                w.str(&to.0);
            }
            Anchor::Code { code } => {
                w.u8(2);
                w.str(code);
            }
            Anchor::Module {
                module,
                number,
                slug,
            } => {
                w.u8(3);
                w.str(module);
                w.opt_str(number.as_ref().map(|n| n.0.as_str()));
                w.opt_str(slug.as_deref());
            }
            Anchor::Title { title } => {
                w.u8(4);
                w.str(title);
            }
            Anchor::Line { file, line, title } => {
                w.u8(5);
                w.str(file);
                w.u32(*line);
                w.opt_str(title.as_deref());
            }
        }
    }

    fn decode_anchor(r: &mut Reader<'_>) -> Option<Anchor> {
        let n = |s: String| SectionNumber(s);
        Some(match r.u8()? {
            0 => Anchor::Section {
                number: n(r.string()?),
            },
            1 => Anchor::Range {
                from: n(r.string()?),
                to: n(r.string()?),
            },
            2 => Anchor::Code { code: r.string()? },
            3 => Anchor::Module {
                module: r.string()?,
                number: r.opt_string()?.map(n),
                slug: r.opt_string()?,
            },
            4 => Anchor::Title { title: r.string()? },
            5 => Anchor::Line {
                file: r.string()?,
                line: r.u32()?,
                title: r.opt_string()?,
            },
            _ => return None,
        })
    }

    impl Record for PacketFacts {
        /// The id and the path are not written: the path is the entry's key and
        /// the id is its file name's (a flat packet is cached only when its name
        /// is its id).
        fn encode(&self, w: &mut Writer) {
            match &self.status {
                None => w.u8(0),
                Some(s) => {
                    w.u8(1);
                    w.u8(s.value.kind.map_or(0, kind_tag));
                    w.str(&s.value.raw);
                    w.opt_str(s.value.qualifier.as_deref());
                    at(w, s);
                }
            }
            match &self.last_verdict {
                None => w.u8(0),
                Some(v) => {
                    w.u8(verdict_tag(v.value));
                    at(w, v);
                }
            }
            w.u32(self.dependencies.len());
            for d in &self.dependencies {
                w.str(d.value.as_str());
                at(w, d);
            }
            w.u32(self.anchors.len());
            for a in &self.anchors {
                encode_anchor(w, &a.value);
                at(w, a);
            }
        }

        fn decode(key: &str, r: &mut Reader<'_>) -> Option<PacketFacts> {
            let name = key.rsplit_once('/').map_or(key, |(_, n)| n);
            let id = WpId::parse(name.strip_suffix(".md")?).ok()?;
            decode_for(id, key.to_string(), r)
        }
    }

    /// The facts of the packet `id` at `path` from the rest of its record.
    pub(super) fn decode_for(id: WpId, path: String, r: &mut Reader<'_>) -> Option<PacketFacts> {
        let status = match r.u8()? {
            0 => None,
            1 => {
                let kind = tagged(&KINDS, r.u8()?)?;
                let value = Status {
                    kind,
                    raw: r.string()?,
                    qualifier: r.opt_string()?,
                };
                Some(spanned(r, value)?)
            }
            _ => return None,
        };
        let last_verdict = match tagged(&VERDICTS, r.u8()?)? {
            None => None,
            Some(v) => Some(spanned(r, v)?),
        };
        // an id takes at least 12 bytes (length, line, column), an anchor 13
        let deps = r.count(12)?;
        let mut dependencies = Vec::with_capacity(deps);
        for _ in 0..deps {
            let id = wp_id(r.str()?)?;
            dependencies.push(spanned(r, id)?);
        }
        let count = r.count(13)?;
        let mut anchors = Vec::with_capacity(count);
        for _ in 0..count {
            let a = decode_anchor(r)?;
            anchors.push(spanned(r, a)?);
        }
        Some(PacketFacts {
            id,
            path,
            status,
            last_verdict,
            dependencies,
            anchors,
        })
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::model::packet::Packet;
        use crate::text::Source;

        fn facts(text: &str) -> PacketFacts {
            let id = WpId::parse("WP-1-A").unwrap();
            PacketFacts::new(Packet::parse(
                id,
                Source::from_bytes("p/WP-1-A.md", text.as_bytes()),
            ))
        }

        fn round_trip(f: &PacketFacts) -> Option<PacketFacts> {
            let mut w = Writer::default();
            f.encode(&mut w);
            let bytes = w.into_bytes();
            let mut r = Reader::new(&bytes);
            PacketFacts::decode(&f.path, &mut r).filter(|_| r.is_empty())
        }

        fn json(f: &PacketFacts) -> serde_json::Value {
            serde_json::to_value(f).unwrap()
        }

        #[test]
        fn facts_survive_the_record() {
            let text = "- STATUS: In Progress (since 2026-01-02)\n- SPEC_ANCHOR: §2.3, A4.1-4.3, [CX-A-1], \
                        03-storage.md#3.5, 03-storage.md#cache-min, X_v02.50.md:4120 Title, \
                        X_v02.50.md Widget format\n- Depends on: WP-1-B, WP-1-C\n\
                        VALIDATION REPORT\nVerdict: FAIL\n";
            let f = facts(text);
            assert!(f.anchors.len() >= 6 && f.dependencies.len() == 2);
            assert_eq!(json(&round_trip(&f).unwrap()), json(&f));
            let bare = facts("no status, nothing\n");
            assert_eq!(json(&round_trip(&bare).unwrap()), json(&bare));
        }

        #[test]
        fn every_status_kind_and_verdict_has_its_own_tag() {
            for (i, k) in KINDS.iter().enumerate() {
                assert_eq!(usize::from(kind_tag(*k)), i + 1);
            }
            for (i, v) in VERDICTS.iter().enumerate() {
                assert_eq!(usize::from(verdict_tag(*v)), i + 1);
            }
            assert_eq!(tagged(&KINDS, 10), None, "past the table");
        }

        #[test]
        fn a_damaged_record_is_refused() {
            let f = facts("- STATUS: Done\n- SPEC_ANCHOR: §2.3\n- Depends on: WP-1-B\n");
            let mut w = Writer::default();
            f.encode(&mut w);
            let bytes = w.into_bytes();
            // every truncation, and every byte changed to 0xff, decodes to a value
            // or to nothing, never a panic; truncations never decode whole
            for cut in 0..bytes.len() {
                let mut r = Reader::new(&bytes[..cut]);
                assert!(PacketFacts::decode(&f.path, &mut r)
                    .filter(|_| r.is_empty())
                    .is_none());
            }
            for i in 0..bytes.len() {
                let mut bad = bytes.clone();
                bad[i] = 0xff;
                let _ = PacketFacts::decode(&f.path, &mut Reader::new(&bad));
            }
        }
    }
}

/// Below this many items a second thread costs more than it saves.
const PARALLEL_FROM: usize = 64;

/// `f` of each of up to `available_parallelism` contiguous runs of `items`, in order
/// (parsing a thousand packets is the one place gov needs this, so std's scoped
/// threads suffice);
/// the first run is worked on by the calling thread (its allocator's free memory is
/// reused; a new thread's arena starts from untouched pages).
pub(crate) fn parallel_chunks<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&[T]) -> R + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if threads < 2 || items.len() < PARALLEL_FROM {
        return vec![f(items)];
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|s| {
        let mut runs = items.chunks(chunk);
        let first = runs.next().unwrap_or_default();
        let handles: Vec<_> = runs.map(|run| s.spawn(move || f(run))).collect();
        let mut out = Vec::with_capacity(handles.len() + 1);
        out.push(f(first));
        for h in handles {
            match h.join() {
                Ok(r) => out.push(r),
                // a panic is a bug; re-raise it rather than lose packets silently
                Err(p) => std::panic::resume_unwind(p),
            }
        }
        out
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
    fn parallel_chunks_keep_order() {
        let items: Vec<usize> = (0..1000).collect();
        let runs = parallel_chunks(&items, |run| run.iter().map(|i| i * 2).collect::<Vec<_>>());
        let doubled: Vec<usize> = runs.into_iter().flatten().collect();
        assert_eq!(doubled, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(
            parallel_chunks(&items[..3], <[usize]>::len),
            [3],
            "one run below the threshold"
        );
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
