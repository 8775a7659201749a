//! The orchestrator gate state (`ORCHESTRATOR_GATES.json`): an append-only log of
//! gate events, in the shape the seed's `orchestrator_gates.mjs` wrote —
//! `{"gate_logs": [{"wpId": ..., "type": "REFINEMENT", "timestamp": ISO-8601, ...}]}` —
//! so existing files keep working. Entries and members gov does not know are kept.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::{json, Map, Value};

pub const LOG_KEY: &str = "gate_logs";

#[derive(Debug, Clone, PartialEq)]
pub struct GateState {
    root: Map<String, Value>,
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

impl Default for GateState {
    fn default() -> Self {
        let mut root = Map::new();
        root.insert(LOG_KEY.into(), Value::Array(Vec::new()));
        GateState { root }
    }
}

impl GateState {
    /// Parses the file's text; an empty file is an empty log.
    pub fn parse(text: &str) -> Result<GateState, GateStateError> {
        if text.trim().is_empty() {
            return Ok(GateState::default());
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
        match root.get(LOG_KEY) {
            None => {
                root.insert(LOG_KEY.into(), Value::Array(Vec::new()));
            }
            Some(Value::Array(_)) => {}
            Some(_) => {
                return Err(GateStateError {
                    line: 1,
                    column: 1,
                    reason: format!("`{LOG_KEY}` is not an array"),
                })
            }
        }
        Ok(GateState { root })
    }

    fn log(&self) -> &[Value] {
        match self.root.get(LOG_KEY) {
            Some(Value::Array(a)) => a,
            _ => &[],
        }
    }

    /// Entries with a wpId, a type and a parseable timestamp, in file order.
    pub fn events(&self) -> Vec<GateEvent> {
        self.log()
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

    /// Appends an event; `detail` members are added to the entry.
    pub fn append(
        &mut self,
        wp_id: &str,
        kind: &str,
        at: NaiveDateTime,
        detail: Map<String, Value>,
    ) {
        let mut entry = Map::new();
        entry.insert("wpId".into(), json!(wp_id));
        entry.insert("type".into(), json!(kind));
        entry.insert("timestamp".into(), json!(format_timestamp(at)));
        entry.extend(detail);
        if let Some(Value::Array(a)) = self.root.get_mut(LOG_KEY) {
            a.push(Value::Object(entry));
        }
    }

    /// Pretty JSON with a final newline.
    pub fn to_text(&self) -> String {
        let mut s = serde_json::to_string_pretty(&Value::Object(self.root.clone()))
            .unwrap_or_else(|_| "{}".into());
        s.push('\n');
        s
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap()
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
}
