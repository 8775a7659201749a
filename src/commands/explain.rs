//! `gov explain <CODE>` / `gov explain --list`.

use crate::diag::codes::{self, gov};
use crate::diag::Severity;
use crate::diag::{Diagnostic, Report};
use crate::error::GovError;
use clap::Args;
use schemars::JsonSchema;
use serde::Serialize;

/// The data members of `gov explain --format json`: `code` for one code, `codes` with
/// `--list`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ExplainData {
    /// `--list`: every code.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<CodeSummary>")]
    pub codes: Option<Vec<CodeSummary>>,
    /// The code explained.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "CodeExplained")]
    pub code: Option<CodeExplained>,
}

/// A diagnostic code: its default severity, title and help line.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CodeSummary {
    pub code: &'static str,
    /// The default severity (gov.yaml `severity:` may change it).
    pub severity: Severity,
    pub title: &'static str,
    pub help: &'static str,
}

/// A diagnostic code with what it means and why it matters.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CodeExplained {
    #[serde(flatten)]
    pub summary: CodeSummary,
    pub explanation: &'static str,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A diagnostic code such as PKT003 (case-insensitive)
    #[arg(required_unless_present = "list")]
    pub code: Option<String>,
    /// List every code with its default severity and title
    #[arg(long)]
    pub list: bool,
}

pub fn run(args: &ExplainArgs) -> Result<Report, GovError> {
    let mut report = Report::new("explain", args.code.clone());
    report.informational = true;
    if args.list {
        let all = codes::all();
        report.headline = all
            .iter()
            .map(|c| format!("{}  {:<7}  {}", c.code, c.severity.as_str(), c.title))
            .collect();
        report.set_typed(ExplainData {
            codes: Some(
                all.iter()
                    .map(|c| CodeSummary {
                        code: c.code,
                        severity: c.severity,
                        title: c.title,
                        help: c.help,
                    })
                    .collect(),
            ),
            code: None,
        });
        return Ok(report);
    }
    let wanted = args.code.as_deref().unwrap_or_default();
    let info = codes::find(wanted).ok_or_else(|| {
        Diagnostic::new(
            &gov::USAGE,
            format!(
                "`{}` is not a gov diagnostic code",
                crate::model::wp_id::printable(wanted)
            ),
        )
        .help("run `gov explain --list` to see every code")
    })?;
    report.target = Some(info.code.to_string());
    report.headline = vec![
        format!("{} ({}): {}", info.code, info.severity.as_str(), info.title),
        String::new(),
        info.explanation.to_string(),
        String::new(),
        format!("help: {}", info.help),
    ];
    report.set_typed(ExplainData {
        codes: None,
        code: Some(CodeExplained {
            summary: CodeSummary {
                code: info.code,
                severity: info.severity,
                title: info.title,
                help: info.help,
            },
            explanation: info.explanation,
        }),
    });
    Ok(report)
}
