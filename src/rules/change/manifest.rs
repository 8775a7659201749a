//! Check 6: the deterministic manifest. Per entry: Pre-SHA1 is the LF-normalised SHA1
//! of the file at the diff base, Post-SHA1 at the diff head, every hunk lies inside
//! [Start, End], and Line Delta is lines added minus lines deleted. Every changed
//! non-governance text file needs an entry. Required when the packet carries
//! PACKET_FORMAT_VERSION (`packet.require_manifest`).

use super::{ChangeCheck, CheckResult, Finding};
use crate::diag::codes::git;
use crate::diag::{CodeInfo, Diagnostic};
use crate::git::ChangedFile;
use crate::model::validation::ManifestEntry;
use crate::text::Spanned;
use std::collections::HashSet;

pub fn check(c: &ChangeCheck) -> CheckResult {
    let entries = c.packet.manifest();
    if entries.is_empty() {
        let required =
            c.packet.packet_format_version().is_some() && c.config.packet.require_manifest;
        if !required {
            return CheckResult::skipped("manifest");
        }
        let d = match c.packet.validation_sections().first() {
            Some(f) => c.at(
                &git::MANIFEST_MISSING,
                "the packet carries PACKET_FORMAT_VERSION but its VALIDATION has no manifest entry (Target File, Start, End, Line Delta, Pre-SHA1, Post-SHA1)",
                f.line + 1,
                1,
            ),
            None => c.in_packet(
                &git::MANIFEST_MISSING,
                "the packet carries PACKET_FORMAT_VERSION but has no deterministic manifest",
            ),
        };
        return CheckResult::new("manifest", vec![Finding::packet(d)]);
    }
    let mut findings = Vec::new();
    for e in &entries {
        findings.extend(check_entry(c, e));
    }
    let targets: HashSet<&str> = entries
        .iter()
        .map(|e| normalized(&e.target.value))
        .collect();
    for file in &c.changes.files {
        if file.path_only() || c.is_governance(&file.path) {
            continue;
        }
        let listed = file.paths().any(|p| targets.contains(p));
        if !listed {
            findings.push(Finding::file(
                Diagnostic::new(
                    &git::MANIFEST_FILE_MISSING,
                    format!(
                        "`{}` changed but the manifest has no entry for it",
                        file.path
                    ),
                )
                .in_file(file.path.clone()),
                &file.path,
            ));
        }
    }
    CheckResult::new("manifest", findings)
}

fn normalized(target: &str) -> &str {
    target.trim_start_matches("./")
}

/// The entry's values, parsed; a problem with any field is its own diagnostic.
struct Values {
    start: Option<u32>,
    end: Option<u32>,
    delta: Option<i64>,
    pre: Option<String>,
    post: Option<String>,
}

fn parse_values(c: &ChangeCheck, e: &ManifestEntry, bad: &mut Vec<Diagnostic>) -> Values {
    let target = &e.target;
    let mut field = |name: &str, v: &Option<Spanned<String>>| -> Option<Spanned<String>> {
        match v {
            Some(s) if !s.value.trim().is_empty() => Some(s.clone()),
            _ => {
                bad.push(c.at(
                    &git::MANIFEST_ENTRY_INVALID,
                    format!("manifest entry for `{}` has no {name}", target.value),
                    target.line,
                    target.column,
                ));
                None
            }
        }
    };
    let raw = [
        field("Start", &e.start),
        field("End", &e.end),
        field("Line Delta", &e.line_delta),
        field("Pre-SHA1", &e.pre_sha1),
        field("Post-SHA1", &e.post_sha1),
    ];
    let invalid = |s: &Spanned<String>, name: &str, want: &str| {
        c.at(
            &git::MANIFEST_ENTRY_INVALID,
            format!(
                "manifest entry for `{}`: {name} `{}` is not {want}",
                target.value, s.value
            ),
            s.line,
            s.column,
        )
    };
    let mut line_no = |s: &Option<Spanned<String>>, name: &str| {
        let s = s.as_ref()?;
        match s.value.trim().parse::<u32>() {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                bad.push(invalid(s, name, "a line number (1 or more)"));
                None
            }
        }
    };
    let start = line_no(&raw[0], "Start");
    let end = line_no(&raw[1], "End");
    let delta = raw[2].as_ref().and_then(|s| {
        let v = s.value.trim();
        match v.strip_prefix('+').unwrap_or(v).parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                bad.push(invalid(s, "Line Delta", "a whole number"));
                None
            }
        }
    });
    let mut sha = |s: &Option<Spanned<String>>, name: &str| {
        let s = s.as_ref()?;
        let v = s.value.trim().to_ascii_lowercase();
        if v.len() == 40 && v.chars().all(|ch| ch.is_ascii_hexdigit()) {
            Some(v)
        } else {
            bad.push(invalid(s, name, "40 hexadecimal digits"));
            None
        }
    };
    let pre = sha(&raw[3], "Pre-SHA1");
    let post = sha(&raw[4], "Post-SHA1");
    if let (Some(s), Some(en), Some(at)) = (start, end, &raw[1]) {
        if s > en {
            bad.push(c.at(
                &git::MANIFEST_ENTRY_INVALID,
                format!(
                    "manifest entry for `{}`: Start {s} is after End {en}",
                    target.value
                ),
                at.line,
                at.column,
            ));
        }
    }
    Values {
        start,
        end,
        delta,
        pre,
        post,
    }
}

/// How a SHA1 mismatch on one side of the diff is reported.
struct Sha1Side {
    name: &'static str,
    side: &'static str,
    code: &'static CodeInfo,
}

fn check_entry(c: &ChangeCheck, e: &ManifestEntry) -> Vec<Finding> {
    let target = normalized(&e.target.value);
    let mut bad = Vec::new();
    if crate::paths::check_relative(target).is_err() {
        bad.push(c.at(
            &git::MANIFEST_ENTRY_INVALID,
            format!("manifest Target File `{target}` is not a path inside the repository"),
            e.target.line,
            e.target.column,
        ));
        return bad.into_iter().map(Finding::packet).collect();
    }
    let v = parse_values(c, e, &mut bad);
    let change = c.changes.find(target);
    let file_key = change.map(|f| f.path.clone());
    let mut out: Vec<Finding> = bad
        .into_iter()
        .map(|d| Finding {
            diag: d,
            file: file_key.clone(),
        })
        .collect();
    let mut push = |d: Diagnostic| {
        out.push(Finding {
            diag: d,
            file: file_key.clone(),
        })
    };
    let Some(change) = change else {
        push(c.at(
            &git::MANIFEST_FILE_UNCHANGED,
            format!(
                "manifest entry names `{target}`, which the selected diff, {}, does not change",
                c.selection.describe()
            ),
            e.target.line,
            e.target.column,
        ));
        return out;
    };
    if change.path_only() {
        return out; // binary files are checked by path only
    }
    let pre = Sha1Side {
        name: "Pre-SHA1",
        side: "base",
        code: &git::MANIFEST_PRE_SHA1,
    };
    let post = Sha1Side {
        name: "Post-SHA1",
        side: "head",
        code: &git::MANIFEST_POST_SHA1,
    };
    let checks = [
        (
            pre,
            change.base_path(),
            &change.pre_sha1,
            &v.pre,
            &e.pre_sha1,
        ),
        (
            post,
            change.path.as_str(),
            &change.post_sha1,
            &v.post,
            &e.post_sha1,
        ),
    ];
    for (s, path, actual, want, at) in checks {
        if let (Some(want), Some(at)) = (want, at) {
            if actual != want {
                push(c.at(
                    s.code,
                    format!(
                        "{} of `{path}` is {want}, but the file at the diff {} hashes to {actual}",
                        s.name, s.side
                    ),
                    at.line,
                    at.column,
                ));
            }
        }
    }
    if let (Some(start), Some(end), Some(at)) = (v.start, v.end, &e.start) {
        for d in window_findings(c, change, start, end, at) {
            push(d);
        }
    }
    if let (Some(delta), Some(at)) = (v.delta, &e.line_delta) {
        if delta != change.line_delta() {
            push(c.at(
                &git::MANIFEST_LINE_DELTA,
                format!(
                    "Line Delta of `{}` is {delta}, but the diff adds {} and deletes {} lines ({:+})",
                    change.path,
                    change.added,
                    change.deleted,
                    change.line_delta()
                ),
                at.line,
                at.column,
            ));
        }
    }
    out
}

fn window_findings(
    c: &ChangeCheck,
    change: &ChangedFile,
    start: u32,
    end: u32,
    at: &Spanned<String>,
) -> Vec<Diagnostic> {
    change
        .hunks
        .iter()
        .map(|h| h.new_span())
        .filter(|&(s, e)| s < start || e > end)
        .map(|(s, e)| {
            let lines = if s == e {
                format!("line {s}")
            } else {
                format!("lines {s}-{e}")
            };
            c.at(
                &git::MANIFEST_WINDOW,
                format!(
                    "a hunk of `{}` at {lines} lies outside the manifest window [{start}, {end}]",
                    change.path
                ),
                at.line,
                at.column,
            )
        })
        .collect()
}
