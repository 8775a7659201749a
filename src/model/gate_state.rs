//! The orchestrator gate state (`ORCHESTRATOR_GATES.json`): an append-only log of
//! gate events, in the shape the seed's `orchestrator_gates.mjs` wrote —
//! `{"gate_logs": [{"wpId": ..., "type": "REFINEMENT", "data": ..., "timestamp":
//! ISO-8601}]}` — so existing files keep working.
//!
//! Writers append, they do not re-serialise: an event is inserted as new text after
//! the log's last entry, and every other byte of the file (member order, number
//! spelling, duplicate keys, unknown members, line endings) stays as it was. A file
//! that is not UTF-8 is refused rather than repaired.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::{json, Map, Value};

pub const LOG_KEY: &str = "gate_logs";

/// The event `gov start` (alias `record-prepare`) records: who works on a WP, where.
pub const PREPARE: &str = "PREPARE";
/// The event every lifecycle transition records: `data` holds `action`, `from`, `to`.
pub const STATUS_SYNC: &str = "STATUS_SYNC";

#[derive(Debug, Clone, PartialEq, Default)]
pub struct GateState {
    /// The file's text as read, plus whatever was appended since.
    text: String,
    /// The parsed log, for reading.
    log: Vec<Value>,
}

/// One readable entry of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateEvent {
    pub wp_id: String,
    pub kind: String,
    /// UTC.
    pub at: NaiveDateTime,
}

/// Why a gate state file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateStateError {
    pub line: usize,
    pub column: usize,
    pub reason: String,
}

impl GateState {
    /// Parses the file's bytes, refusing text that is not UTF-8 (a writer would
    /// otherwise replace the bad bytes for good).
    pub fn parse_bytes(bytes: &[u8]) -> Result<GateState, GateStateError> {
        match std::str::from_utf8(bytes) {
            Ok(text) => GateState::parse(text),
            Err(e) => {
                let before = &bytes[..e.valid_up_to()];
                let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
                let column = before.len()
                    - before
                        .iter()
                        .rposition(|&b| b == b'\n')
                        .map_or(0, |i| i + 1)
                    + 1;
                Err(GateStateError {
                    line,
                    column,
                    reason: format!(
                        "the file is not valid UTF-8 (byte {}); gov will not rewrite it",
                        e.valid_up_to()
                    ),
                })
            }
        }
    }

    /// Parses the file's text; an empty file is an empty log.
    pub fn parse(text: &str) -> Result<GateState, GateStateError> {
        if text.trim().is_empty() {
            return Ok(GateState {
                text: text.to_string(),
                log: Vec::new(),
            });
        }
        let value: Value = serde_json::from_str(text).map_err(|e| GateStateError {
            line: e.line().max(1),
            column: e.column().max(1),
            reason: e.to_string(),
        })?;
        let Value::Object(mut root) = value else {
            return Err(GateStateError {
                line: 1,
                column: 1,
                reason: "the top level is not a JSON object".into(),
            });
        };
        let log = match root.remove(LOG_KEY) {
            None => Vec::new(),
            Some(Value::Array(a)) => a,
            Some(_) => {
                return Err(GateStateError {
                    line: 1,
                    column: 1,
                    reason: format!("`{LOG_KEY}` is not an array"),
                })
            }
        };
        Ok(GateState {
            text: text.to_string(),
            log,
        })
    }

    /// The raw entries of the log, in file order.
    pub fn entries(&self) -> &[Value] {
        &self.log
    }

    /// Entries with a wpId, a type and a parseable timestamp, in file order.
    pub fn events(&self) -> Vec<GateEvent> {
        self.log
            .iter()
            .filter_map(|e| {
                let wp_id = e.get("wpId")?.as_str()?.to_string();
                let kind = e.get("type")?.as_str()?.to_string();
                let at = parse_timestamp(e.get("timestamp")?.as_str()?)?;
                Some(GateEvent { wp_id, kind, at })
            })
            .collect()
    }

    /// The latest event of `kind` for `wp_id`.
    pub fn last(&self, wp_id: &str, kind: &str) -> Option<GateEvent> {
        self.events()
            .into_iter()
            .filter(|e| e.wp_id == wp_id && e.kind == kind)
            .max_by_key(|e| e.at)
    }

    /// The `data` of the last entry (in file order) of `kind` for `wp_id`.
    pub fn last_data(&self, wp_id: &str, kind: &str) -> Option<&Value> {
        self.log
            .iter()
            .rev()
            .find(|e| {
                e.get("wpId").and_then(Value::as_str) == Some(wp_id)
                    && e.get("type").and_then(Value::as_str) == Some(kind)
            })
            .and_then(|e| e.get("data"))
    }

    /// Appends an event `{wpId, type, data, ..., timestamp}`; `detail` members go
    /// between type and timestamp. Only new text is added to the file.
    pub fn append(
        &mut self,
        wp_id: &str,
        kind: &str,
        at: NaiveDateTime,
        detail: Map<String, Value>,
    ) {
        let mut members: Vec<(String, Value)> =
            vec![("wpId".into(), json!(wp_id)), ("type".into(), json!(kind))];
        let mut rest: Vec<(String, Value)> = detail.into_iter().collect();
        rest.sort_by_key(|(k, _)| k != "data"); // data first, as the seed wrote it
        members.extend(rest);
        members.push(("timestamp".into(), json!(format_timestamp(at))));
        self.text = insert_entry(&self.text, &members);
        self.log.push(Value::Object(members.into_iter().collect()));
    }

    /// The file's text: what was read, with appended events.
    pub fn to_text(&self) -> String {
        if self.text.trim().is_empty() {
            // a new file: the seed's pretty layout
            return "{\n  \"gate_logs\": []\n}\n".to_string();
        }
        self.text.clone()
    }

    /// Every recorded assignment, in file order.
    pub fn assignments(&self) -> Vec<Assignment> {
        self.log.iter().filter_map(Assignment::from_entry).collect()
    }

    /// The active assignment of a worktree (repository-relative, as `gov start`
    /// recorded it) or a branch: the last PREPARE naming it whose WP has not since
    /// been closed (moved to Done or Superseded) or re-assigned elsewhere. This is
    /// how a write-time guard finds the packet a worktree works on.
    pub fn assignment_for(
        &self,
        worktree: Option<&str>,
        branch: Option<&str>,
    ) -> Option<Assignment> {
        let mut active: Vec<Assignment> = Vec::new();
        for e in &self.log {
            if let Some(a) = Assignment::from_entry(e) {
                active.retain(|b| b.wp_id != a.wp_id);
                active.push(a);
            } else if let Some((wp, to)) = status_sync_target(e) {
                if matches!(to.as_str(), "done" | "superseded") {
                    active.retain(|b| b.wp_id != wp);
                }
            }
        }
        let worktree = worktree.map(normalize_dir);
        active.into_iter().rev().find(|a| {
            worktree.is_some() && a.worktree.as_deref().map(normalize_dir) == worktree
                || branch.is_some() && a.branch.as_deref() == branch
        })
    }
}

/// `(wpId, to)` of a STATUS_SYNC entry.
fn status_sync_target(e: &Value) -> Option<(String, String)> {
    if e.get("type")?.as_str()? != STATUS_SYNC {
        return None;
    }
    let wp = e.get("wpId")?.as_str()?.to_string();
    let to = e.get("data")?.get("to")?.as_str()?.to_string();
    Some((wp, to))
}

fn normalize_dir(s: &str) -> String {
    let t = s.trim().replace('\\', "/");
    let t = t.strip_prefix("./").unwrap_or(&t);
    t.trim_end_matches('/').to_string()
}

/// Who works on a WP, where: a PREPARE event's `data`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Assignment {
    pub wp_id: String,
    pub coder: Option<String>,
    /// Repository-relative.
    pub worktree: Option<String>,
    pub branch: Option<String>,
    pub timestamp: Option<String>,
}

impl Assignment {
    fn from_entry(e: &Value) -> Option<Assignment> {
        if e.get("type")?.as_str()? != PREPARE {
            return None;
        }
        let data = e.get("data");
        let field = |k: &str| {
            data.and_then(|d| d.get(k))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        Some(Assignment {
            wp_id: e.get("wpId")?.as_str()?.to_string(),
            coder: field("coder"),
            worktree: field("worktree_dir"),
            branch: field("branch"),
            timestamp: e
                .get("timestamp")
                .and_then(Value::as_str)
                .map(str::to_string),
        })
    }

    /// The PREPARE event's `data` for these values.
    pub fn data(coder: Option<&str>, worktree: Option<&str>, branch: Option<&str>) -> Value {
        json!({"coder": coder, "worktree_dir": worktree, "branch": branch})
    }
}

/// `2026-11-21T12:00:00Z` (what JavaScript's `toISOString` produces, without millis).
pub fn format_timestamp(at: NaiveDateTime) -> String {
    at.and_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// RFC 3339 (any offset, converted to UTC), or a naive `YYYY-MM-DDTHH:MM:SS` read as UTC.
pub fn parse_timestamp(s: &str) -> Option<NaiveDateTime> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc).naive_utc())
        .ok()
        .or_else(|| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").ok())
}

// --- appending as text -------------------------------------------------------------

/// `text` (valid JSON, or blank) with one entry added to the log the reader sees:
/// after the last element of the last top-level `gate_logs` array, or in a new
/// `gate_logs` member at the end of the object.
fn insert_entry(text: &str, members: &[(String, Value)]) -> String {
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    if text.trim().is_empty() {
        let entry = render_entry(members, "    ", eol);
        return format!("{{{eol}  \"{LOG_KEY}\": [{eol}    {entry}{eol}  ]{eol}}}{eol}");
    }
    let multiline = text.trim_end().contains('\n');
    let b = text.as_bytes();
    let open = skip_ws(b, 0); // the top-level `{`
    let close = value_end(b, open) - 1; // its `}`
    let mut log: Option<(usize, usize)> = None; // the array's `[` and `]`
    let mut last_member_end: Option<usize> = None;
    let mut i = skip_ws(b, open + 1);
    while i < close && b[i] == b'"' {
        let key_end = value_end(b, i);
        let key: Option<String> = serde_json::from_str(&text[i..key_end]).ok();
        let v = skip_ws(b, skip_ws(b, key_end) + 1);
        let v_end = value_end(b, v);
        if key.as_deref() == Some(LOG_KEY) && b[v] == b'[' {
            log = Some((v, v_end - 1));
        }
        last_member_end = Some(v_end);
        i = skip_ws(b, v_end);
        if i < close && b[i] == b',' {
            i = skip_ws(b, i + 1);
        }
    }
    match log {
        Some((lb, rb)) => append_to_array(text, lb, rb, members, multiline, eol),
        None => {
            let (indent, sep) = if multiline {
                ("  ", format!("{eol}  "))
            } else {
                ("", " ".to_string())
            };
            let entry = render_entry(members, &format!("{indent}  "), eol);
            let arr = if multiline {
                format!("[{eol}{indent}  {entry}{eol}{indent}]")
            } else {
                format!("[{}]", render_compact(members))
            };
            let member = format!("\"{LOG_KEY}\": {arr}");
            match last_member_end {
                Some(end) => format!("{},{sep}{member}{}", &text[..end], &text[end..]),
                None if multiline => {
                    format!("{}{sep}{member}{eol}{}", &text[..open + 1], &text[close..])
                }
                None => format!("{}{member}{}", &text[..open + 1], &text[close..]),
            }
        }
    }
}

/// Inserts the entry into the array spanning bytes `lb..=rb`.
fn append_to_array(
    text: &str,
    lb: usize,
    rb: usize,
    members: &[(String, Value)],
    multiline: bool,
    eol: &str,
) -> String {
    let b = text.as_bytes();
    let mut last_end: Option<usize> = None;
    let mut last_start = None;
    let mut i = skip_ws(b, lb + 1);
    while i < rb {
        last_start = Some(i);
        let end = value_end(b, i);
        last_end = Some(end);
        i = skip_ws(b, end);
        if i < rb && b[i] == b',' {
            i = skip_ws(b, i + 1);
        }
    }
    let line_indent = |at: usize| -> Option<String> {
        let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        let lead = &text[line_start..at];
        lead.chars()
            .all(|c| c == ' ' || c == '\t')
            .then(|| lead.to_string())
    };
    match (last_start, last_end) {
        (Some(start), Some(end)) => match line_indent(start) {
            Some(indent) if multiline => {
                let entry = render_entry(members, &indent, eol);
                format!("{},{eol}{indent}{entry}{}", &text[..end], &text[end..])
            }
            _ => format!(
                "{}, {}{}",
                &text[..end],
                render_compact(members),
                &text[end..]
            ),
        },
        _ if multiline => {
            let line_start = text[..lb].rfind('\n').map_or(0, |n| n + 1);
            let outer: String = text[line_start..lb]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            let indent = format!("{outer}  ");
            let entry = render_entry(members, &indent, eol);
            format!(
                "{}{eol}{indent}{entry}{eol}{outer}{}",
                &text[..lb + 1],
                &text[rb..]
            )
        }
        _ => format!(
            "{}{}{}",
            &text[..lb + 1],
            render_compact(members),
            &text[rb..]
        ),
    }
}

/// One entry, pretty, its lines indented below `indent` (the first line is not).
fn render_entry(members: &[(String, Value)], indent: &str, eol: &str) -> String {
    let mut out = String::from("{");
    for (k, (key, value)) in members.iter().enumerate() {
        out.push_str(eol);
        out.push_str(indent);
        out.push_str("  ");
        out.push_str(&json!(key).to_string());
        out.push_str(": ");
        out.push_str(&value.to_string());
        if k + 1 < members.len() {
            out.push(',');
        }
    }
    out.push_str(eol);
    out.push_str(indent);
    out.push('}');
    out
}

fn render_compact(members: &[(String, Value)]) -> String {
    let inner: Vec<String> = members
        .iter()
        .map(|(k, v)| format!("{}: {v}", json!(k)))
        .collect();
    format!("{{{}}}", inner.join(", "))
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// The end (exclusive) of the JSON value starting at `i`, in text already known to
/// be valid JSON.
fn value_end(b: &[u8], i: usize) -> usize {
    if i >= b.len() {
        return b.len();
    }
    match b[i] {
        b'"' => {
            let mut j = i + 1;
            while j < b.len() {
                match b[j] {
                    b'\\' => j += 2,
                    b'"' => return j + 1,
                    _ => j += 1,
                }
            }
            b.len()
        }
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = value_end(b, j);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            b.len()
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            {
                j += 1;
            }
            j
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap()
    }

    fn data(s: &str) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("data".into(), json!(s));
        m
    }

    #[test]
    fn reads_the_seed_shape_and_keeps_unknown_members() {
        let text = r#"{"gate_logs": [{"wpId": "WP-1-X", "type": "REFINEMENT", "data": "x", "timestamp": "2026-11-21T11:59:30.123Z"}, {"note": "free"}], "other": 1}"#;
        let mut s = GateState::parse(text).unwrap();
        assert_eq!(
            s.last("WP-1-X", "REFINEMENT").unwrap().at,
            at("2026-11-21T11:59:30") + chrono::Duration::milliseconds(123)
        );
        assert!(s.last("WP-1-Y", "REFINEMENT").is_none());
        s.append(
            "WP-1-X",
            "REFINEMENT",
            at("2026-11-21T12:05:00"),
            Map::new(),
        );
        let again = GateState::parse(&s.to_text()).unwrap();
        assert_eq!(
            again.last("WP-1-X", "REFINEMENT").unwrap().at,
            at("2026-11-21T12:05:00")
        );
        assert!(again.to_text().contains("\"other\": 1"));
        assert!(again.to_text().contains("\"note\": \"free\""));
    }

    #[test]
    fn bad_files_are_located_errors() {
        let e = GateState::parse("{\n  \"gate_logs\": [\n}").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(GateState::parse("[]").is_err());
        assert!(GateState::parse(r#"{"gate_logs": 3}"#).is_err());
        assert_eq!(GateState::parse("").unwrap(), GateState::default());
    }

    #[test]
    fn appending_keeps_every_other_byte() {
        // member order, number spelling, duplicate keys, CRLF: all kept
        let text = "{\r\n  \"z\": 1.50,\r\n  \"big\": 12345678901234567890123,\r\n  \"gate_logs\": [\r\n    {\"wpId\": \"WP-1-A\", \"type\": \"X\", \"k\": 1, \"k\": 2}\r\n  ],\r\n  \"a\": 1e3\r\n}\r\n";
        let mut s = GateState::parse(text).unwrap();
        s.append("WP-1-B", "PREPARE", at("2026-11-21T12:00:00"), data("d"));
        let out = s.to_text();
        let inserted = ",\r\n    {\r\n      \"wpId\": \"WP-1-B\",\r\n      \"type\": \"PREPARE\",\r\n      \"data\": \"d\",\r\n      \"timestamp\": \"2026-11-21T12:00:00Z\"\r\n    }";
        let at_end = text.find("2}").unwrap() + 2;
        assert_eq!(
            out,
            format!("{}{inserted}{}", &text[..at_end], &text[at_end..])
        );
        let again = GateState::parse(&out).unwrap();
        assert_eq!(again.events().len(), 1, "the first entry has no timestamp");
        assert_eq!(again.entries().len(), 2);
    }

    #[test]
    fn appends_to_empty_missing_and_compact_logs() {
        let mut s = GateState::parse("{\n  \"gate_logs\": []\n}\n").unwrap();
        s.append("WP-1-A", "T", at("2026-11-21T12:00:00"), Map::new());
        assert_eq!(
            s.to_text(),
            "{\n  \"gate_logs\": [\n    {\n      \"wpId\": \"WP-1-A\",\n      \"type\": \"T\",\n      \"timestamp\": \"2026-11-21T12:00:00Z\"\n    }\n  ]\n}\n"
        );
        let mut s = GateState::parse(r#"{"v": 2}"#).unwrap();
        s.append("WP-1-A", "T", at("2026-11-21T12:00:00"), Map::new());
        assert_eq!(
            s.to_text(),
            r#"{"v": 2, "gate_logs": [{"wpId": "WP-1-A", "type": "T", "timestamp": "2026-11-21T12:00:00Z"}]}"#
        );
        let mut s = GateState::parse(r#"{"gate_logs": [{"a": "]}"}]}"#).unwrap();
        s.append("WP-1-A", "T", at("2026-11-21T12:00:00"), Map::new());
        assert_eq!(
            s.to_text(),
            r#"{"gate_logs": [{"a": "]}"}, {"wpId": "WP-1-A", "type": "T", "timestamp": "2026-11-21T12:00:00Z"}]}"#
        );
        let mut s = GateState::parse("").unwrap();
        s.append("WP-1-A", "T", at("2026-11-21T12:00:00"), Map::new());
        let parsed = GateState::parse(&s.to_text()).unwrap();
        assert_eq!(parsed.events().len(), 1);
        let mut s = GateState::parse("{}").unwrap();
        s.append("WP-1-A", "T", at("2026-11-21T12:00:00"), Map::new());
        assert_eq!(GateState::parse(&s.to_text()).unwrap().events().len(), 1);
    }

    #[test]
    fn duplicate_logs_append_to_the_one_readers_see() {
        let text = r#"{"gate_logs": [], "gate_logs": [{"wpId": "WP-1-A"}]}"#;
        let mut s = GateState::parse(text).unwrap();
        s.append("WP-1-B", "T", at("2026-11-21T12:00:00"), Map::new());
        let out = s.to_text();
        assert!(
            out.starts_with(
                r#"{"gate_logs": [], "gate_logs": [{"wpId": "WP-1-A"}, {"wpId": "WP-1-B""#
            ),
            "{out}"
        );
        assert_eq!(GateState::parse(&out).unwrap().entries().len(), 2);
    }

    #[test]
    fn invalid_utf8_is_refused_with_its_place() {
        let e = GateState::parse_bytes(b"{\n  \"gate_logs\": [\"\xff\"]}").unwrap_err();
        assert_eq!((e.line, e.column), (2, 18));
        assert!(e.reason.contains("not valid UTF-8"));
    }

    #[test]
    fn assignments_follow_prepare_and_closing_events() {
        let mut s = GateState::default();
        let prep = |wt: &str, br: &str| {
            let mut m = Map::new();
            m.insert(
                "data".into(),
                Assignment::data(Some("coder-a"), Some(wt), Some(br)),
            );
            m
        };
        s.append(
            "WP-1-A",
            PREPARE,
            at("2026-11-21T12:00:00"),
            prep("../wt-a", "feat/a"),
        );
        s.append(
            "WP-1-B",
            PREPARE,
            at("2026-11-21T12:01:00"),
            prep("../wt-b/", "feat/b"),
        );
        let a = s.assignment_for(Some("./../wt-a"), None).unwrap();
        assert_eq!(a.wp_id, "WP-1-A");
        assert_eq!(a.coder.as_deref(), Some("coder-a"));
        assert_eq!(
            s.assignment_for(None, Some("feat/b")).unwrap().wp_id,
            "WP-1-B"
        );
        assert_eq!(
            s.assignment_for(Some("../wt-b"), None).unwrap().wp_id,
            "WP-1-B"
        );
        assert!(s
            .assignment_for(Some("../elsewhere"), Some("main"))
            .is_none());
        let mut m = Map::new();
        m.insert(
            "data".into(),
            json!({"action": "pass", "from": "ready_for_validation", "to": "done"}),
        );
        s.append("WP-1-A", STATUS_SYNC, at("2026-11-21T13:00:00"), m);
        assert!(s.assignment_for(Some("../wt-a"), None).is_none());
        // a worktree re-assigned to another WP names the newer one
        s.append(
            "WP-1-C",
            PREPARE,
            at("2026-11-21T13:01:00"),
            prep("../wt-b", "feat/c"),
        );
        assert_eq!(
            s.assignment_for(Some("../wt-b"), None).unwrap().wp_id,
            "WP-1-C"
        );
        assert_eq!(s.assignments().len(), 3);
    }
}
