//! The signature audit: a Markdown table of consumed signatures, usually under
//! `## Consumed Signatures`. Columns are found by header name, unknown columns are
//! kept, and damaged rows are reported without stopping the read.

use crate::markdown::table::{is_delimiter_row, split_row};
use crate::text::{normalize_name, strip_decoration, Source};
use serde::Serialize;
use std::collections::HashMap;

/// Known columns, by the header spellings seen in real audits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Signature,
    UsedBy,
    Timestamp,
    Purpose,
    SpecVersion,
    Notes,
    Evidence,
}

impl Column {
    fn from_header(h: &str) -> Option<Column> {
        let n = normalize_name(&strip_decoration(h));
        Some(match n.as_str() {
            "signature" | "user signature" => Column::Signature,
            "used by" | "consumed by" | "by" => Column::UsedBy,
            "date/time" | "date" | "timestamp" | "date / time" | "time" | "datetime" => {
                Column::Timestamp
            }
            "purpose" => Column::Purpose,
            "master spec version" | "spec version" | "spec" => Column::SpecVersion,
            "notes" | "note" => Column::Notes,
            "evidence" => Column::Evidence,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditRow {
    /// 1-based line of the row.
    pub line: usize,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BadRow {
    pub line: usize,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SignatureAudit {
    pub path: String,
    pub headers: Vec<String>,
    #[serde(skip)]
    columns: Vec<Option<Column>>,
    /// 1-based lines of the header and delimiter rows, when a table was found.
    pub header_line: Option<usize>,
    pub rows: Vec<AuditRow>,
    pub bad_rows: Vec<BadRow>,
    /// 1-based line after the last table line: where the table ends.
    pub table_end_line: Option<usize>,
    /// Row indices by signature, so look-ups stay cheap in audits of thousands of rows.
    #[serde(skip)]
    by_signature: HashMap<String, Vec<usize>>,
}

impl SignatureAudit {
    pub fn parse(source: &Source) -> SignatureAudit {
        let mut audit = SignatureAudit {
            path: source.path.clone(),
            headers: Vec::new(),
            columns: Vec::new(),
            header_line: None,
            rows: Vec::new(),
            bad_rows: Vec::new(),
            table_end_line: None,
            by_signature: HashMap::new(),
        };
        let n = source.line_count();
        let Some(header) = find_header(source) else {
            return audit;
        };
        audit.headers = split_row(source.line_text(header));
        audit.columns = audit
            .headers
            .iter()
            .map(|h| Column::from_header(h))
            .collect();
        audit.header_line = Some(header);
        let mut ln = header + 2;
        while ln <= n {
            let text = source.line_text(ln);
            if text.trim().is_empty() || !text.contains('|') {
                break;
            }
            audit.read_row(ln, text);
            ln += 1;
        }
        audit.table_end_line = Some(ln);
        for (i, row) in audit.rows.iter().enumerate() {
            let sig = crate::model::signature::key(&audit.signature_of(row));
            audit.by_signature.entry(sig).or_default().push(i);
        }
        audit
    }

    fn read_row(&mut self, line: usize, text: &str) {
        let cells = split_row(text);
        let sig = self
            .col_index(Column::Signature)
            .and_then(|i| cells.get(i))
            .map(|c| clean_cell(c));
        match sig {
            Some(s) if !s.is_empty() => {
                if cells.len() != self.headers.len() {
                    self.bad_rows.push(BadRow {
                        line,
                        reason: format!(
                            "the row has {} cells; the header has {}",
                            cells.len(),
                            self.headers.len()
                        ),
                    });
                }
                self.rows.push(AuditRow { line, cells });
            }
            _ => self.bad_rows.push(BadRow {
                line,
                reason: "the row has no signature cell".into(),
            }),
        }
    }

    pub fn col_index(&self, c: Column) -> Option<usize> {
        self.columns.iter().position(|x| *x == Some(c))
    }

    /// A cell of a row by column, cleaned of code ticks and emphasis.
    pub fn cell(&self, row: &AuditRow, c: Column) -> Option<String> {
        self.col_index(c)
            .and_then(|i| row.cells.get(i))
            .map(|s| clean_cell(s))
    }

    pub fn signature_of(&self, row: &AuditRow) -> String {
        self.cell(row, Column::Signature).unwrap_or_default()
    }

    /// Rows recording this signature (in any case or Unicode form), in file order.
    pub fn rows_for<'a>(&'a self, signature: &'a str) -> impl Iterator<Item = &'a AuditRow> + 'a {
        self.by_signature
            .get(&crate::model::signature::key(signature))
            .into_iter()
            .flatten()
            .filter_map(|&i| self.rows.get(i))
    }

    pub fn contains(&self, signature: &str) -> bool {
        self.rows_for(signature).next().is_some()
    }

    /// The row's evidence: its Evidence cell, else its Notes cell.
    pub fn evidence(&self, row: &AuditRow) -> Evidence {
        let cell = self
            .col_index(Column::Evidence)
            .or_else(|| self.col_index(Column::Notes))
            .and_then(|i| row.cells.get(i));
        cell.map(|c| Evidence::parse(c)).unwrap_or_default()
    }
}

/// What an Evidence (or, lacking one, Notes) cell says: the packet path and the
/// locked-section hash recorded at signing (`docs/task_packets/WP-1-X.md sha256:...`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub path: Option<String>,
    pub hash: Option<String>,
}

impl Evidence {
    pub fn parse(cell: &str) -> Evidence {
        let mut e = Evidence::default();
        for token in cell.split_whitespace() {
            let t = token.trim_matches(|c: char| "`*()[],;".contains(c));
            if let Some(hex) = t.strip_prefix(crate::model::locked::HASH_PREFIX) {
                if e.hash.is_none() && hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit())
                {
                    e.hash = Some(t.to_ascii_lowercase());
                }
            } else if e.path.is_none() && t.ends_with(".md") {
                e.path = Some(t.to_string());
            }
        }
        e
    }
}

/// A row `gov record-signature` adds, before it is fitted to the table's columns.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct NewRow {
    pub signature: String,
    pub used_by: String,
    pub timestamp: String,
    pub purpose: String,
    pub spec_version: String,
    pub evidence: String,
}

/// The header of a table gov creates.
pub const STANDARD_HEADER: [&str; 6] = [
    "Signature",
    "Used By",
    "Date/Time",
    "Purpose",
    "Master Spec Version",
    "Evidence",
];

impl NewRow {
    /// The row's cells in the order of `headers`, and whether the evidence found a
    /// place. Evidence goes to the Evidence column, else to Notes; unknown columns
    /// stay empty (they are kept in the table, never dropped).
    pub fn cells_for(&self, headers: &[String]) -> (Vec<String>, bool) {
        let cols: Vec<Option<Column>> = headers.iter().map(|h| Column::from_header(h)).collect();
        let evidence_col = if cols.contains(&Some(Column::Evidence)) {
            Some(Column::Evidence)
        } else if cols.contains(&Some(Column::Notes)) {
            Some(Column::Notes)
        } else {
            None
        };
        let cells = cols
            .iter()
            .map(|c| match c {
                Some(Column::Signature) => self.signature.clone(),
                Some(Column::UsedBy) => self.used_by.clone(),
                Some(Column::Timestamp) => self.timestamp.clone(),
                Some(Column::Purpose) => self.purpose.clone(),
                Some(Column::SpecVersion) => self.spec_version.clone(),
                Some(c) if Some(*c) == evidence_col => self.evidence.clone(),
                _ => String::new(),
            })
            .collect();
        (cells, evidence_col.is_some() || self.evidence.is_empty())
    }
}

/// A signature cell's value: `` `alice...` `` and `**alice...**` both read as the token.
pub fn clean_cell(s: &str) -> String {
    strip_decoration(s)
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_string()
}

/// The header row of the audit table: under `Consumed Signatures` when present,
/// otherwise the first table whose header has a Signature column.
fn find_header(source: &Source) -> Option<usize> {
    let n = source.line_count();
    let is_header = |ln: usize| {
        ln < n
            && source.line_text(ln).contains('|')
            && is_delimiter_row(source.line_text(ln + 1))
            && split_row(source.line_text(ln))
                .iter()
                .any(|h| Column::from_header(h) == Some(Column::Signature))
    };
    let section = (1..=n).find(|&ln| {
        let t = source.line_text(ln);
        t.trim_start().starts_with('#')
            && normalize_name(&strip_decoration(t.trim_start_matches('#'))) == "consumed signatures"
    });
    if let Some(s) = section {
        if let Some(h) = (s + 1..=n)
            .take_while(|&ln| !source.line_text(ln).trim_start().starts_with('#'))
            .find(|&ln| is_header(ln))
        {
            return Some(h);
        }
    }
    (1..=n).find(|&ln| is_header(ln))
}

#[cfg(test)]
mod tests {
    use super::*;

    const AUDIT: &str = "# SIGNATURE_AUDIT.md\n\n## Consumed Signatures\n\n| Signature | Used By | Date/Time | Purpose | Master Spec Version | Notes |\n|---|---|---|---|---|---|\n| ilja251225041500 | Orchestrator | 2025-12-25 04:15 | WP-1 | v02.85 | uses `a|b` pipes |\n| `ilja251225032800` | Orchestrator | 2025-12-25 03:28 | enrichment | v02.85 |\n| | broken |\n\nAfter the table.\n";

    #[test]
    fn reads_rows_with_code_pipes_and_ragged_rows() {
        let a = SignatureAudit::parse(&Source::from_bytes(
            "docs/SIGNATURE_AUDIT.md",
            AUDIT.as_bytes(),
        ));
        assert_eq!(a.header_line, Some(5));
        assert_eq!(a.rows.len(), 2);
        assert!(a.contains("ilja251225041500"));
        assert!(a.contains("ilja251225032800"));
        // one approval whatever its case or Unicode form
        assert!(a.contains("ILJA251225032800"));
        assert!(a.contains("\u{ff29}lja251225032800"));
        assert_eq!(a.cell(&a.rows[0], Column::Notes).as_deref(), Some("uses"));
        assert_eq!(a.rows[0].cells[5], "uses `a|b` pipes");
        assert_eq!(a.bad_rows.len(), 2); // ragged row and the row without a signature
        assert_eq!(a.table_end_line, Some(10));
    }

    #[test]
    fn evidence_path_and_hash() {
        let h = "ab".repeat(32);
        let e = Evidence::parse(&format!("`docs/task_packets/WP-1-X.md` sha256:{h}"));
        assert_eq!(e.path.as_deref(), Some("docs/task_packets/WP-1-X.md"));
        assert_eq!(e.hash, Some(format!("sha256:{h}")));
        assert_eq!(
            Evidence::parse("Spec already enriched"),
            Evidence::default()
        );
        assert_eq!(Evidence::parse("sha256:abc").hash, None);
    }
}
