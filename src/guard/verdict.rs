//! The decision for one tool call against the active packet.

use super::paths::{resolve, Target};
use super::{Change, Decision, ToolCall, Write};
use crate::diag::codes::grd;
use crate::diag::Diagnostic;
use crate::model::locked::locked_sections;
use crate::model::packet::{Packet, SignatureValue};
use crate::repo::Repo;
use crate::rules::change::scope::{covers, Cover};

/// What the decision is made against: the active packet (or why there is none), the
/// other In Progress packets, and the exemptions.
pub struct Against<'a> {
    pub repo: &'a Repo,
    pub active: Result<&'a Packet, Box<Diagnostic>>,
    /// Other packets In Progress: their scopes are locked to them.
    pub others: &'a [Packet],
}

/// Decides a tool call. A call that writes nothing is allowed whatever the packet.
pub fn decide(call: &ToolCall, against: &Against) -> Decision {
    let mut d = Decision {
        packet: against.active.as_ref().ok().map(|p| p.id.to_string()),
        ..Decision::default()
    };
    for u in &call.unreadable {
        d.findings.push(Diagnostic::new(
            &grd::UNREADABLE_TARGET,
            format!(
                "the {} call writes to `{}`, which is decided only when it runs",
                call.tool,
                crate::model::wp_id::printable(u)
            ),
        ));
    }
    if call.writes.is_empty() {
        return d;
    }
    let exempt = exemptions(against.repo);
    for w in &call.writes {
        match resolve(&against.repo.root, call.cwd.as_deref(), &w.path) {
            Target::Device => {}
            Target::Refused { shown, reason } => d.findings.push(Diagnostic::new(
                &grd::OUTSIDE_ROOT_WRITE,
                format!("blocked write to `{shown}`: {reason}"),
            )),
            Target::Inside { rel, real } => {
                for p in std::iter::once(&rel).chain(real.as_ref()) {
                    match check_path(p, w, against, &exempt) {
                        Ok(()) => d.allowed_paths.push(p.clone()),
                        Err(f) => d.findings.push((*f).in_file(p.clone())),
                    }
                }
                if let Some(real) = &real {
                    if d.findings.iter().any(|f| f.path.as_deref() == Some(real)) {
                        d.findings.push(
                            Diagnostic::new(
                                &grd::OUTSIDE_ROOT_WRITE,
                                format!(
                                    "`{rel}` is a symbolic link to `{real}`; the write lands there"
                                ),
                            )
                            .in_file(rel.clone()),
                        );
                    }
                }
            }
        }
    }
    d
}

fn exemptions(repo: &Repo) -> globset::GlobSet {
    let mut b = globset::GlobSetBuilder::new();
    for g in &repo.config.guard.exempt {
        if let Ok(g) = globset::Glob::new(g) {
            b.add(g);
        }
    }
    b.build().unwrap_or_else(|_| globset::GlobSet::empty())
}

/// One repository path against the packet.
fn check_path(
    rel: &str,
    w: &Write,
    against: &Against,
    exempt: &globset::GlobSet,
) -> Result<(), Box<Diagnostic>> {
    if exempt.is_match(rel) {
        return Ok(());
    }
    let packet = match &against.active {
        Ok(p) => *p,
        Err(d) => return Err(d.clone()),
    };
    if rel == packet.path {
        return own_packet(packet, w);
    }
    if let Some(what) = governance_document(rel, against) {
        return Err(Box::new(Diagnostic::new(
            &grd::GOVERNANCE_WRITE,
            format!(
                "blocked write to `{rel}`: it is {what}, not {}'s to change",
                packet.id
            ),
        )));
    }
    let scope = packet.in_scope_paths();
    if scope.iter().any(|e| covers(&e.value, rel) == Cover::Yes) {
        return Ok(());
    }
    if packet.waivers().is_some_and(|w| w.for_path(rel).is_some()) {
        return Ok(());
    }
    if let Some(other) = holder(rel, against.others) {
        return Err(Box::new(Diagnostic::new(
            &grd::LOCKED_BY_OTHER_PACKET,
            format!(
                "blocked write to `{rel}`: it is in the scope of {}, which is In Progress ({}); {} may not change it",
                other.id, other.path, packet.id
            ),
        )));
    }
    let mut msg = format!(
        "blocked write to `{rel}`: it is not in {}'s IN_SCOPE_PATHS ({})",
        packet.id, packet.path
    );
    for e in &scope {
        if let Some(hint) = near_miss(&e.value, rel) {
            msg.push_str(&format!("; {hint} `{}` (line {})", e.value, e.line));
            break;
        }
    }
    Err(Box::new(Diagnostic::new(&grd::OUT_OF_SCOPE_WRITE, msg)))
}

/// A scope entry the path nearly matches: by case, or by lookalike characters.
fn near_miss(entry: &str, rel: &str) -> Option<&'static str> {
    if covers(&entry.to_lowercase(), &rel.to_lowercase()) == Cover::Yes {
        return Some("it differs only in letter case from the in-scope");
    }
    if !rel.is_ascii() && covers(entry, &skeleton(rel)) == Cover::Yes {
        return Some("it uses lookalike (non-ASCII) characters for the in-scope");
    }
    None
}

/// Common lookalikes folded to ASCII, after compatibility normalisation.
fn skeleton(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkc()
        .map(|c| match c {
            'а' | 'α' => 'a',
            'с' | 'ϲ' => 'c',
            'е' | 'ε' => 'e',
            'і' | 'ι' | 'ı' => 'i',
            'ј' => 'j',
            'о' | 'ο' | 'σ' => 'o',
            'р' | 'ρ' => 'p',
            'ѕ' => 's',
            'х' | 'χ' => 'x',
            'у' | 'γ' => 'y',
            'ԁ' => 'd',
            'һ' => 'h',
            'ⅼ' | 'Ι' | 'І' => 'l',
            c => c,
        })
        .collect()
}

/// The other In Progress packet whose scope holds `rel` (compared without case, so
/// a case-insensitive file system cannot be used to slip past the lock).
fn holder<'a>(rel: &str, others: &'a [Packet]) -> Option<&'a Packet> {
    let lower = rel.to_lowercase();
    others.iter().find(|p| {
        p.in_scope_paths()
            .iter()
            .any(|e| covers(&e.value.to_lowercase(), &lower) == Cover::Yes)
    })
}

/// What governance document `rel` is, compared without case; `None` for code.
fn governance_document(rel: &str, against: &Against) -> Option<String> {
    let l = &against.repo.layout;
    let lower = rel.to_lowercase();
    let is = |p: &str| lower == p.to_lowercase();
    let under = |dir: &str| lower.starts_with(&format!("{}/", dir.to_lowercase()));
    if let Some(other) = against.others.iter().find(|p| is(&p.path)) {
        return Some(format!("the packet of {} (In Progress)", other.id));
    }
    let named = [
        (&l.task_board, "the task board"),
        (&l.signature_audit, "the signature audit"),
        (&l.spec_pointer, "the spec pointer"),
        (&l.gate_state, "the gate state"),
        (&l.packet_template, "the packet template"),
    ];
    if let Some((_, what)) = named.iter().find(|(p, _)| is(p)) {
        return Some(what.to_string());
    }
    if is(crate::config::CONFIG_FILE) || against.repo.config_path.as_deref().is_some_and(is) {
        return Some("gov's configuration".into());
    }
    if under(&l.packets) || under(&l.stubs) {
        return Some("another task packet".into());
    }
    if under(&l.refinements) {
        return Some("a refinement record".into());
    }
    if crate::harness::CONFIG_FILES.iter().any(|p| is(p)) {
        return Some("a coding-agent hook configuration (it runs this guard)".into());
    }
    let pointer = against.repo.load_pointer().ok()?;
    let spec = against.repo.spec_path(&pointer)?;
    is(&spec).then(|| "the Master Spec".to_string())
}

/// The active packet's own file: free to edit while unsigned; once signed, only
/// when the locked sections come out as they were.
fn own_packet(packet: &Packet, w: &Write) -> Result<(), Box<Diagnostic>> {
    if !matches!(
        packet.signature().map(|s| s.value),
        Some(SignatureValue::Given(_))
    ) {
        return Ok(());
    }
    let blocked = |why: &str| {
        Err(Box::new(Diagnostic::new(
            &grd::SIGNED_SECTION_EDIT,
            format!(
                "blocked write to `{}`: {} is signed and {why}",
                packet.path, packet.id
            ),
        )))
    };
    let current = &packet.doc.source.text;
    let new_text = match &w.change {
        Change::Whole(t) => t.clone(),
        Change::Replace(edits) => {
            let mut t = current.replace("\r\n", "\n");
            for (old, new, all) in edits {
                if old.is_empty() || !t.contains(old.as_str()) {
                    return blocked("the edit's old text is not in the packet, so its effect cannot be checked");
                }
                t = if *all { t.replace(old.as_str(), new) } else { t.replacen(old.as_str(), new, 1) };
            }
            t
        }
        Change::Delete => return blocked("deleting it would drop its signed sections"),
        Change::Unknown => {
            return blocked("this call's new content cannot be read, so it could change the signed sections; edit the unsigned sections with a file-edit tool")
        }
    };
    let source = crate::text::Source::from_string(packet.path.clone(), new_text, None);
    let after = Packet::parse(packet.id.clone(), source);
    if locked_sections(&after) == locked_sections(packet) {
        return Ok(());
    }
    blocked(
        "the edit changes a signed section (DONE_MEANS, TEST_PLAN, IN_SCOPE_PATHS or OUT_OF_SCOPE)",
    )
}
