//! Every input the fuzzers ever crashed on, replayed through the same harness the
//! fuzz targets use (`fuzz/src/lib.rs`), plus every fixture and example document
//! through every target. A crash fixed once stays fixed in `cargo test`.

#[path = "../../../fuzz/src/lib.rs"]
pub mod harness;

use std::path::{Path, PathBuf};

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

fn replay(target: &str, f: fn(&[u8]), file: &Path) {
    let bytes = std::fs::read(file).expect("read input");
    let outcome = std::panic::catch_unwind(|| f(&bytes));
    assert!(
        outcome.is_ok(),
        "fuzz target `{target}` fails on {}",
        file.display()
    );
}

#[test]
fn saved_crash_inputs_stay_fixed() {
    let root = crate::support::fixtures_dir().join("fuzz-regressions");
    let mut replayed = 0;
    for (target, f) in harness::TARGETS {
        for file in files_under(&root.join(target)) {
            replay(target, *f, &file);
            replayed += 1;
        }
    }
    let on_disk = files_under(&root)
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .count();
    assert_eq!(
        replayed, on_disk,
        "every saved input belongs to a target folder"
    );
}

#[test]
fn fixtures_and_examples_pass_every_target() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = files_under(&manifest.join("examples"));
    for entry in std::fs::read_dir(crate::support::fixtures_dir()).expect("fixtures") {
        let dir = entry.expect("entry").path();
        if dir.is_dir() && !dir.ends_with("fuzz-regressions") && !dir.ends_with("generated") {
            files.extend(files_under(&dir));
        }
    }
    for file in &files {
        for (target, f) in harness::TARGETS {
            replay(target, *f, file);
        }
    }
}
