//! Where packets live and which copy of one is read.
//!
//! A packet is a flat `WP-ID.md`, a folder `WP-ID/packet.md`, or `WP-ID/packet.json`.
//! When several exist, the project's own resolver decides, and so does gov: folder
//! `packet.md` before `packet.json` before the flat file (`packets.prefer: flat` puts
//! the flat file first). Live packets come before those under `_archive/`. The copies
//! that are not read are kept so that they can be reported once, never as a second
//! packet.

use crate::config::PacketPreference;
use crate::model::wp_id::WpId;
use std::collections::BTreeMap;
use std::path::Path;

/// Archive folders are searched this deep (`_archive/validated_closed/2026-03/`).
const ARCHIVE_DEPTH: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Form {
    /// `WP-ID.md`
    Flat,
    /// `WP-ID/packet.md`
    FolderMarkdown,
    /// `WP-ID/packet.json`
    FolderJson,
}

impl Form {
    pub fn is_json(self) -> bool {
        self == Form::FolderJson
    }
}

/// The copy of a packet gov reads, and the others that exist for the same id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PacketFile {
    pub id: WpId,
    pub path: String,
    pub form: Form,
    /// `packet.json` beside the `packet.md` that is read: compared, not read as the packet.
    pub json_beside: Option<String>,
    /// Other copies (flat or folder twin) that are not read.
    pub twins: Vec<String>,
    /// Found under an `_archive/` folder.
    pub archived: bool,
    /// The copy read is a regular file (not a link), as the folder listing said: a
    /// loader may then read it directly in the checked folder.
    pub regular: bool,
}

/// The copies of one id found in one folder.
#[derive(Debug, Default, Clone)]
struct Copies {
    flat: Option<String>,
    /// The flat copy is a regular file (from the directory listing).
    flat_regular: bool,
    folder_md: Option<String>,
    folder_json: Option<String>,
}

impl Copies {
    fn choose(self, id: WpId, prefer: PacketPreference, archived: bool) -> Option<PacketFile> {
        let Copies {
            flat,
            flat_regular,
            folder_md,
            folder_json,
        } = self;
        let (folder, json_beside) = match folder_md {
            Some(md) => (Some((md, Form::FolderMarkdown)), folder_json),
            None => (folder_json.map(|p| (p, Form::FolderJson)), None),
        };
        let flat = flat.map(|p| (p, Form::Flat));
        let (first, second) = match prefer {
            PacketPreference::Folder => (folder, flat),
            PacketPreference::Flat => (flat, folder),
        };
        let ((path, form), twins) = match (first, second) {
            (Some(read), Some((other, _))) => (read, vec![other]),
            (Some(read), None) | (None, Some(read)) => (read, Vec::new()),
            (None, None) => return None,
        };
        Some(PacketFile {
            id,
            path,
            form,
            json_beside: json_beside.filter(|_| form == Form::FolderMarkdown),
            twins,
            archived,
            regular: form == Form::Flat && flat_regular,
        })
    }
}

/// Every packet under `dir` (stubs excluded), one per id, sorted by id: live ones,
/// then archived ones whose id has no live packet.
pub fn list(root: &Path, dir: &str, prefer: PacketPreference) -> Vec<PacketFile> {
    // `copies_in` gives ids in order: the live packets are already sorted, and the
    // archive (usually empty) is merged in by id
    let live = copies_in(root, dir);
    let mut out: Vec<PacketFile> = Vec::with_capacity(live.len());
    out.extend(grouped(dir, live).filter_map(|(id, copies)| copies.choose(id, prefer, false)));
    let mut archived: BTreeMap<WpId, PacketFile> = BTreeMap::new();
    for archive in archive_folders(root, dir) {
        for (id, copies) in grouped(&archive, copies_in(root, &archive)) {
            let live = out.binary_search_by(|p| p.id.cmp(&id)).is_ok();
            if !live && !archived.contains_key(&id) {
                archived.extend(copies.choose(id.clone(), prefer, true).map(|p| (id, p)));
            }
        }
    }
    if !archived.is_empty() {
        out.extend(archived.into_values());
        out.sort_by(|a, b| a.id.cmp(&b.id));
    }
    out
}

/// The packet for an exact id: the live folder first, then the archive.
pub fn find(root: &Path, dir: &str, id: &WpId, prefer: PacketPreference) -> Option<PacketFile> {
    let probe = |folder: &str, archived: bool| {
        let copies = Copies {
            flat: file_at(root, format!("{folder}/{id}.md")),
            // a look-up by id does not list the folder; the loader checks the file
            flat_regular: false,
            folder_md: file_at(root, format!("{folder}/{id}/packet.md")),
            folder_json: file_at(root, format!("{folder}/{id}/packet.json")),
        };
        copies.choose(id.clone(), prefer, archived)
    };
    probe(dir, false).or_else(|| {
        archive_folders(root, dir)
            .iter()
            .find_map(|a| probe(a, true))
    })
}

/// `rel` when something is there (a link counts, so that reading it reports where it
/// leads instead of "missing").
fn file_at(root: &Path, rel: String) -> Option<String> {
    (crate::paths::check_relative(&rel).is_ok()
        && std::fs::symlink_metadata(root.join(&rel)).is_ok())
    .then_some(rel)
}

/// The entries directly in `dir` (inside the root) whose names are UTF-8, with the
/// folder's full path; None when it cannot be listed. Ids are ASCII, so other names
/// are never packets.
fn named_entries(
    root: &Path,
    dir: &str,
) -> Option<(
    std::path::PathBuf,
    impl Iterator<Item = (String, std::fs::DirEntry)>,
)> {
    let full = crate::paths::resolve_inside(root, dir).ok()?;
    let entries = std::fs::read_dir(&full).ok()?;
    let named = entries
        .flatten()
        .filter_map(|e| Some((e.file_name().into_string().ok()?, e)));
    Some((full, named))
}

/// A name in a packets folder that is a copy of a packet: small, so that listing ten
/// thousand packets touches little memory before their paths are made.
struct Entry {
    /// The id's first 16 bytes, zero-padded, big-endian: ordered as the ids are
    /// where they differ (names hold no NUL byte), and compared without a call.
    order: u128,
    id: WpId,
    copy: Copy,
}

impl Entry {
    fn new(id: WpId, copy: Copy) -> Entry {
        let mut head = [0u8; 16];
        let n = id.as_str().len().min(16);
        head[..n].copy_from_slice(&id.as_str().as_bytes()[..n]);
        Entry {
            order: u128::from_be_bytes(head),
            id,
            copy,
        }
    }
}

enum Copy {
    /// `WP-ID.md`; whether it is a regular file (from the directory listing)
    Flat { regular: bool },
    /// `WP-ID/` with `packet.md`, `packet.json` in it
    Folder { md: bool, json: bool },
}

/// The packet copies directly in `dir`, sorted by id (an id has at most two: names
/// in a folder are unique, and only `WP-ID.md` and `WP-ID/` name the same id).
fn copies_in(root: &Path, dir: &str) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    let Some((full, entries)) = named_entries(root, dir) else {
        return out;
    };
    for (name, entry) in entries {
        let Ok(ft) = entry.file_type() else { continue };
        if let Some(stem) = name.strip_suffix(".md") {
            if let Ok(id) = WpId::parse(stem) {
                let regular = ft.is_file();
                out.push(Entry::new(id, Copy::Flat { regular }));
            }
        } else if ft.is_dir() || ft.is_symlink() {
            let Ok(id) = WpId::parse(&name) else { continue };
            let folder = full.join(&name);
            let md = folder.join("packet.md").exists();
            let json = folder.join("packet.json").exists();
            if md || json {
                out.push(Entry::new(id, Copy::Folder { md, json }));
            }
        }
    }
    out.sort_unstable_by(|a, b| a.order.cmp(&b.order).then_with(|| a.id.cmp(&b.id)));
    out
}

/// The copies of each id of `entries` (sorted, from `copies_in(_, dir)`), with their
/// paths, in id order.
fn grouped(dir: &str, entries: Vec<Entry>) -> impl Iterator<Item = (WpId, Copies)> + '_ {
    let mut entries = entries.into_iter().peekable();
    std::iter::from_fn(move || {
        let first = entries.next()?;
        let mut copies = Copies::default();
        copies.add(dir, &first.id, first.copy);
        while let Some(next) = entries.next_if(|e| e.id == first.id) {
            copies.add(dir, &next.id, next.copy);
        }
        Some((first.id, copies))
    })
}

impl Copies {
    fn add(&mut self, dir: &str, id: &WpId, copy: Copy) {
        let id = id.as_str();
        match copy {
            Copy::Flat { regular } => {
                self.flat = Some([dir, "/", id, ".md"].concat());
                self.flat_regular = regular;
            }
            Copy::Folder { md, json } => {
                self.folder_md = md.then(|| [dir, "/", id, "/packet.md"].concat());
                self.folder_json = json.then(|| [dir, "/", id, "/packet.json"].concat());
            }
        }
    }
}

/// Folders under `dir/_archive/` (any depth up to [`ARCHIVE_DEPTH`]), sorted, not
/// through links.
fn archive_folders(root: &Path, dir: &str) -> Vec<String> {
    let base = format!("{dir}/_archive");
    let Ok(full) = crate::paths::resolve_inside(root, &base) else {
        return Vec::new();
    };
    if !full.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(&full)
        .follow_links(false)
        .max_depth(ARCHIVE_DEPTH)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_dir())
        // a packet folder is not an archive folder
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| WpId::parse(n).is_err())
        })
        .filter_map(|e| {
            let rel = e.path().strip_prefix(&full).ok()?;
            let rel = crate::paths::to_slash(rel);
            Some(if rel.is_empty() {
                base.clone()
            } else {
                format!("{base}/{rel}")
            })
        })
        .collect()
}

/// Stub files in `dir`: `WP-ID.md` and `WP-ID.contract.json`, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StubFiles {
    pub markdown: Option<String>,
    pub contract: Option<String>,
}

impl StubFiles {
    /// The path that names the stub: the Markdown one when there is one.
    pub fn path(&self) -> &str {
        self.markdown
            .as_deref()
            .or(self.contract.as_deref())
            .unwrap_or_default()
    }
}

pub fn stubs(root: &Path, dir: &str) -> BTreeMap<WpId, StubFiles> {
    let mut out: BTreeMap<WpId, StubFiles> = BTreeMap::new();
    let Some((_, entries)) = named_entries(root, dir) else {
        return out;
    };
    for (name, _) in entries {
        if let Some(stem) = name.strip_suffix(".contract.json") {
            if let Ok(id) = WpId::parse(stem) {
                out.entry(id).or_default().contract = Some(format!("{dir}/{name}"));
            }
        } else if let Some(stem) = name.strip_suffix(".md") {
            if let Ok(id) = WpId::parse(stem) {
                out.entry(id).or_default().markdown = Some(format!("{dir}/{name}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(files: &[&str]) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        for f in files {
            let p = d.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        d
    }

    fn id(s: &str) -> WpId {
        WpId::parse(s).unwrap()
    }

    #[test]
    fn folder_wins_and_the_flat_twin_is_kept() {
        let d = repo(&["p/WP-1-A.md", "p/WP-1-A/packet.md", "p/WP-1-A/packet.json"]);
        let f = find(d.path(), "p", &id("WP-1-A"), PacketPreference::Folder).unwrap();
        assert_eq!(f.path, "p/WP-1-A/packet.md");
        assert_eq!(f.twins, ["p/WP-1-A.md"]);
        assert_eq!(f.json_beside.as_deref(), Some("p/WP-1-A/packet.json"));
        let f = find(d.path(), "p", &id("WP-1-A"), PacketPreference::Flat).unwrap();
        assert_eq!(f.path, "p/WP-1-A.md");
        assert_eq!(f.twins, ["p/WP-1-A/packet.md"]);
        assert_eq!(f.json_beside, None);
    }

    #[test]
    fn json_alone_is_the_packet_and_archive_comes_last() {
        let d = repo(&[
            "p/WP-1-J/packet.json",
            "p/_archive/superseded/WP-1-J.md",
            "p/_archive/validated_closed/2026-03/WP-1-Old.md",
            "p/WP-1-B.md",
            "p/TEMPLATE.md",
        ]);
        let all = list(d.path(), "p", PacketPreference::Folder);
        let got: Vec<_> = all.iter().map(|p| (p.path.as_str(), p.archived)).collect();
        assert_eq!(
            got,
            [
                ("p/WP-1-B.md", false),
                ("p/WP-1-J/packet.json", false),
                ("p/_archive/validated_closed/2026-03/WP-1-Old.md", true),
            ]
        );
        let f = find(d.path(), "p", &id("WP-1-Old"), PacketPreference::Folder).unwrap();
        assert!(f.archived);
        assert!(find(d.path(), "p", &id("WP-1-Nope"), PacketPreference::Folder).is_none());
    }

    #[test]
    fn a_listing_is_sorted_with_one_entry_per_id() {
        let d = repo(&[
            "p/WP-2-Z.md",
            "p/WP-1-B/packet.json",
            "p/WP-1-B.md",
            "p/WP-1-A/packet.md",
            "p/WP-1-C/notes.txt",
            "p/WP-1-C.md",
            "p/WP-10-A.md",
            "p/WP-1-Empty/notes.txt",
            "p/WP-1-Gen-Long-Name-B.md",
            "p/WP-1-Gen-Long-Name-A.md",
            "p/WP-1-Gen-Long-Name.md",
        ]);
        let all = list(d.path(), "p", PacketPreference::Folder);
        let got: Vec<_> = all
            .iter()
            .map(|p| (p.id.as_str(), p.path.as_str(), p.twins.clone(), p.regular))
            .collect();
        assert_eq!(
            got,
            [
                ("WP-1-A", "p/WP-1-A/packet.md", vec![], false),
                (
                    "WP-1-B",
                    "p/WP-1-B/packet.json",
                    vec!["p/WP-1-B.md".to_string()],
                    false
                ),
                ("WP-1-C", "p/WP-1-C.md", vec![], true),
                (
                    "WP-1-Gen-Long-Name",
                    "p/WP-1-Gen-Long-Name.md",
                    vec![],
                    true
                ),
                (
                    "WP-1-Gen-Long-Name-A",
                    "p/WP-1-Gen-Long-Name-A.md",
                    vec![],
                    true
                ),
                (
                    "WP-1-Gen-Long-Name-B",
                    "p/WP-1-Gen-Long-Name-B.md",
                    vec![],
                    true
                ),
                ("WP-10-A", "p/WP-10-A.md", vec![], true),
                ("WP-2-Z", "p/WP-2-Z.md", vec![], true),
            ]
        );
        let flat = list(d.path(), "p", PacketPreference::Flat);
        assert_eq!(flat[1].path, "p/WP-1-B.md");
        assert_eq!(flat[1].twins, ["p/WP-1-B/packet.json"]);
        assert!(flat[1].regular, "the flat copy's type survives the merge");
    }

    #[test]
    fn stubs_by_markdown_and_contract() {
        let d = repo(&[
            "s/WP-1-A.md",
            "s/WP-1-A.contract.json",
            "s/WP-1-B.contract.json",
        ]);
        let s = stubs(d.path(), "s");
        assert_eq!(s[&id("WP-1-A")].path(), "s/WP-1-A.md");
        assert_eq!(s[&id("WP-1-B")].path(), "s/WP-1-B.contract.json");
    }
}
