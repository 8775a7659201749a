//! Has a signature been used anywhere before? The seed's check is
//! `grep -r "{signature}" .`; gov searches the files git tracks instead (the git
//! index, read through git2, so build output and untracked scratch files do not
//! count), matching the signature as a whole token in any case or Unicode form
//! (NFKC, case-folded). Outside a git repository it walks the governance folders of
//! the layout and says so. Inside one whose index libgit2 cannot read (a SHA-256
//! repository, another user's checkout, a corrupt index) it walks the whole work tree
//! instead, never fewer files, and says so (SIG020).

use crate::config::Layout;
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::Path;

/// Files larger than this are skipped (a 4 MB spec is searched; a data dump is not).
pub const MAX_SEARCH_BYTES: u64 = 16 * 1024 * 1024;

/// Where a signature was found: repository path, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Use {
    pub path: String,
    pub line: usize,
    pub column: usize,
}

/// How the one-time search for earlier uses of a signature read the repository.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Searched {
    /// `git-index`, `work-tree` (the index could not be read) or `governance-folders`
    /// (no git repository).
    #[schemars(extend("enum" = ["git-index", "work-tree", "governance-folders"]))]
    pub method: &'static str,
    pub files: usize,
    pub skipped_binary: usize,
    pub skipped_large: usize,
    /// Why the fallback was used, when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub note: Option<String>,
}

/// The first use of `signature` (in path order), skipping the files in `skip` (the
/// packet being signed and its refinement).
pub fn first_use(
    root: &Path,
    layout: &Layout,
    extra_files: &[String],
    signature: &str,
    skip: &[String],
) -> (Option<Use>, Searched) {
    let matcher = Matcher::new(signature);
    match tracked_files(root) {
        Err(Unreadable::Index(why)) => scan(
            work_tree_files(root)
                .into_iter()
                .filter(|p| !skip.contains(p))
                .map(|p| {
                    let source = Content::WorkTree(root.join(&p));
                    (p, source)
                }),
            &matcher,
            Searched {
                method: "work-tree",
                note: Some(why),
                ..Searched::default()
            },
        ),
        Ok(files) => scan(
            files.into_iter().filter(|(p, _)| !skip.contains(p)),
            &matcher,
            Searched {
                method: "git-index",
                ..Searched::default()
            },
        ),
        Err(Unreadable::NoRepository(why)) => {
            let files = governance_files(root, layout, extra_files)
                .into_iter()
                .filter(|p| !skip.contains(p))
                .map(|p| {
                    let source = Content::WorkTree(root.join(&p));
                    (p, source)
                });
            scan(
                files,
                &matcher,
                Searched {
                    method: "governance-folders",
                    note: Some(why),
                    ..Searched::default()
                },
            )
        }
    }
}

/// Where a file's bytes come from.
enum Content {
    WorkTree(std::path::PathBuf),
    /// Tracked but missing from the work tree: the staged blob.
    Blob(std::rc::Rc<git2::Repository>, git2::Oid),
}

impl Content {
    /// The bytes, or `Err(true)` when too large, `Err(false)` when unreadable.
    fn read(&self) -> Result<Vec<u8>, bool> {
        match self {
            Content::WorkTree(p) => {
                let meta = std::fs::symlink_metadata(p).map_err(|_| false)?;
                if !meta.is_file() {
                    return Err(false);
                }
                if meta.len() > MAX_SEARCH_BYTES {
                    return Err(true);
                }
                std::fs::read(p).map_err(|_| false)
            }
            Content::Blob(repo, id) => {
                let odb = repo.odb().map_err(|_| false)?;
                let (size, _) = odb.read_header(*id).map_err(|_| false)?;
                if size as u64 > MAX_SEARCH_BYTES {
                    return Err(true);
                }
                let blob = repo.find_blob(*id).map_err(|_| false)?;
                Ok(blob.content().to_vec())
            }
        }
    }
}

fn scan(
    files: impl Iterator<Item = (String, Content)>,
    matcher: &Matcher,
    mut searched: Searched,
) -> (Option<Use>, Searched) {
    for (path, content) in files {
        // a writer killed mid-write leaves its temporary copy: not a use
        if crate::io::is_temporary(&path) {
            continue;
        }
        let bytes = match content.read() {
            Ok(b) => b,
            Err(true) => {
                searched.skipped_large += 1;
                continue;
            }
            Err(false) => continue,
        };
        if is_binary(&bytes) {
            searched.skipped_binary += 1;
            continue;
        }
        searched.files += 1;
        if let Some((line, column)) = matcher.find(&bytes) {
            return (Some(Use { path, line, column }), searched);
        }
    }
    (None, searched)
}

/// Git's own heuristic: a NUL byte in the first 8000 bytes means binary.
fn is_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(8000).any(|&b| b == 0)
}

struct Matcher(regex::bytes::Regex);

impl Matcher {
    fn new(signature: &str) -> Matcher {
        // ASCII word boundaries: `xalice...` and `alice...0` are other tokens; the
        // text is NFKC-normalised before matching and the match ignores case, so
        // `ALICE...` and full-width `ａｌｉｃｅ...` are the same approval
        let key = crate::model::signature::key(signature);
        let re = regex::bytes::Regex::new(&format!(r"(?i)(?-u:\b){}(?-u:\b)", regex::escape(&key)))
            .unwrap_or_else(|_| crate::text::static_bytes_regex(r"[^\s\S]"));
        Matcher(re)
    }

    fn find(&self, bytes: &[u8]) -> Option<(usize, usize)> {
        if bytes.is_ascii() {
            return self.find_in(bytes);
        }
        use unicode_normalization::UnicodeNormalization;
        let text: String = String::from_utf8_lossy(bytes).nfkc().collect();
        self.find_in(text.as_bytes())
    }

    /// Line and column (in the normalised text) of the first match.
    fn find_in(&self, bytes: &[u8]) -> Option<(usize, usize)> {
        let m = self.0.find(bytes)?;
        let before = &bytes[..m.start()];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        Some((line, column))
    }
}

/// Why the git index was not used.
enum Unreadable {
    /// No git repository with a work tree around the root: the governance folders
    /// are searched.
    NoRepository(String),
    /// A repository whose index libgit2 cannot read: the whole work tree is searched.
    Index(String),
}

/// Every regular file in the git index under `root`, in index (path) order, read
/// from the work tree when present there, else from the staged blob.
fn tracked_files(root: &Path) -> Result<Vec<(String, Content)>, Unreadable> {
    let none = |why: &str| Unreadable::NoRepository(why.to_string());
    let repo = match crate::git::open_repository(root) {
        Ok(r) => r,
        Err(e) if e.code() == git2::ErrorCode::NotFound => {
            return Err(none("the root is not inside a git repository"))
        }
        // a repository is there, but libgit2 cannot open it (an object format or
        // extension it does not know, another owner): never search fewer files
        Err(e) => {
            return Err(Unreadable::Index(format!(
                "the git repository could not be opened: {}",
                e.message()
            )))
        }
    };
    let workdir = repo
        .workdir()
        .ok_or_else(|| none("the git repository has no work tree"))?
        .to_path_buf();
    let canon_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let canon_work = workdir.canonicalize().unwrap_or(workdir);
    let prefix = canon_root
        .strip_prefix(&canon_work)
        .map(crate::paths::to_slash)
        .map_err(|_| none("the root lies outside the git work tree"))?;
    let index = repo.index().map_err(|e| {
        Unreadable::Index(format!("the git index could not be read: {}", e.message()))
    })?;
    let repo = std::rc::Rc::new(repo);
    let mut out = Vec::new();
    for entry in index.iter() {
        // regular files only: symbolic links (0o120000) and submodules (0o160000) are skipped
        if entry.mode & 0o170000 != 0o100000 {
            continue;
        }
        let full = String::from_utf8_lossy(&entry.path).into_owned();
        let rel = if prefix.is_empty() {
            full.clone()
        } else {
            match full.strip_prefix(&format!("{prefix}/")) {
                Some(r) => r.to_string(),
                None => continue,
            }
        };
        let content = match crate::paths::resolve_inside(root, &rel) {
            Ok(p) if p.exists() => Content::WorkTree(p),
            Ok(_) => Content::Blob(repo.clone(), entry.id),
            Err(_) => continue,
        };
        out.push((rel, content));
    }
    Ok(out)
}

/// Every regular file under `root` (links are not followed; `.git` and what
/// `.gitignore` excludes are skipped, as git would), sorted.
fn work_tree_files(root: &Path) -> Vec<String> {
    let mut files: Vec<String> = ignore::WalkBuilder::new(root)
        .hidden(false)
        .follow_links(false)
        .require_git(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .filter_map(|e| e.path().strip_prefix(root).ok().map(crate::paths::to_slash))
        .collect();
    files.sort();
    files
}

/// Files under the layout's governance folders (and `extra_files`), sorted.
fn governance_files(root: &Path, layout: &Layout, extra_files: &[String]) -> Vec<String> {
    let parent = |p: &str| p.rsplit_once('/').map(|(d, _)| d.to_string());
    let mut dirs: Vec<String> = [
        parent(&layout.spec_pointer),
        parent(&layout.task_board),
        parent(&layout.signature_audit),
        parent(&layout.packet_template),
        parent(&layout.gate_state),
        Some(layout.packets.clone()),
        Some(layout.stubs.clone()),
        Some(layout.refinements.clone()),
    ]
    .into_iter()
    .flatten()
    .filter(|d| !d.is_empty())
    .collect();
    dirs.sort();
    dirs.dedup();
    let mut files: BTreeSet<String> = extra_files.iter().cloned().collect();
    for &top in &[
        layout.spec_pointer.as_str(),
        layout.task_board.as_str(),
        layout.signature_audit.as_str(),
    ] {
        files.insert(top.to_string());
    }
    for dir in &dirs {
        let Ok(full) = crate::paths::resolve_inside(root, dir) else {
            continue;
        };
        for entry in walkdir::WalkDir::new(&full)
            .follow_links(false)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
        {
            if let Ok(rel) = entry.path().strip_prefix(root) {
                files.insert(crate::paths::to_slash(rel));
            }
        }
    }
    files
        .into_iter()
        .filter(|f| crate::paths::resolve_inside(root, f).is_ok_and(|p| p.is_file()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Layout, LayoutName};

    #[test]
    fn whole_token_with_line_and_column() {
        let m = Matcher::new("alice151220251430");
        assert_eq!(m.find(b"x\n  alice151220251430 y"), Some((2, 3)));
        assert_eq!(m.find(b"xalice151220251430"), None);
        assert_eq!(m.find(b"alice1512202514301"), None);
        assert_eq!(m.find(b"`alice151220251430`"), Some((1, 2)));
        assert_eq!(m.find(b"[Approved: alice151220251430]"), Some((1, 12)));
    }

    #[test]
    fn fallback_walks_governance_folders_and_git_index_is_used_when_present() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let layout = Layout::preset(LayoutName::Docs);
        std::fs::create_dir_all(root.join("docs/task_packets")).unwrap();
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(
            root.join("docs/task_packets/WP-1-A.md"),
            "- USER_SIGNATURE: alice151220251430\n",
        )
        .unwrap();
        std::fs::write(root.join("src/notes.txt"), "alice010120261200\n").unwrap();
        std::fs::write(root.join("docs/blob.bin"), b"alice010120261200\0").unwrap();
        let (u, s) = first_use(root, &layout, &[], "alice151220251430", &[]);
        assert_eq!(s.method, "governance-folders");
        assert_eq!(u.unwrap().path, "docs/task_packets/WP-1-A.md");
        // a killed writer's temporary copy is not a use
        std::fs::write(
            root.join("docs/task_packets/.gov-tmp-x1"),
            "alice151220251430",
        )
        .unwrap();
        let (u, _) = first_use(
            root,
            &layout,
            &[],
            "alice151220251430",
            &["docs/task_packets/WP-1-A.md".to_string()],
        );
        assert!(u.is_none());
        // outside the governance folders nothing is searched without git
        let (u, s) = first_use(root, &layout, &[], "alice010120261200", &[]);
        assert!(u.is_none());
        assert_eq!(s.skipped_binary, 1);

        let repo = git2::Repository::init(root).unwrap();
        let mut index = repo.index().unwrap();
        index.add_path(Path::new("src/notes.txt")).unwrap();
        index
            .add_path(Path::new("docs/task_packets/WP-1-A.md"))
            .unwrap();
        index.write().unwrap();
        let (u, s) = first_use(root, &layout, &[], "alice010120261200", &[]);
        assert_eq!(s.method, "git-index");
        assert_eq!(
            u.unwrap(),
            Use {
                path: "src/notes.txt".into(),
                line: 1,
                column: 1
            }
        );
        let (u, _) = first_use(
            root,
            &layout,
            &[],
            "alice151220251430",
            &["docs/task_packets/WP-1-A.md".to_string()],
        );
        assert!(u.is_none());
        // a tracked file deleted from the work tree is still read from its blob
        std::fs::remove_file(root.join("src/notes.txt")).unwrap();
        let (u, _) = first_use(root, &layout, &[], "alice010120261200", &[]);
        assert_eq!(u.unwrap().path, "src/notes.txt");
    }
}
