//! `gov explain <CODE>` / `gov explain --list`.

use crate::diag::codes::{self, gov};
use crate::diag::{Diagnostic, Report};
use crate::error::GovError;
use clap::Args;
use serde_json::json;

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
        report.set_data(
            "codes",
            json!(all.iter().map(|c| json!({"code": c.code, "severity": c.severity.as_str(), "title": c.title, "help": c.help})).collect::<Vec<_>>()),
        );
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
    report.set_data(
        "code",
        json!({"code": info.code, "severity": info.severity.as_str(), "title": info.title, "help": info.help, "explanation": info.explanation}),
    );
    Ok(report)
}
