//! Shell integration: completion scripts (clap_complete) and the man page
//! (clap_mangen), generated from the same clap definitions as the parser, so they
//! never drift from the real options.

use crate::cli::Cli;
use crate::diag::codes::gov;
use crate::diag::{Diagnostic, Report};
use crate::error::GovError;
use clap::{Args, CommandFactory, ValueEnum};
use clap_complete::Shell;

/// The data members of `gov completions` and `gov man` with `--format json`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct TextData {
    /// The completion script or man page, exactly as the human form prints it.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellName {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

impl ShellName {
    fn shell(self) -> Shell {
        match self {
            ShellName::Bash => Shell::Bash,
            ShellName::Zsh => Shell::Zsh,
            ShellName::Fish => Shell::Fish,
            ShellName::Powershell => Shell::PowerShell,
            ShellName::Elvish => Shell::Elvish,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell to generate the completion script for
    #[arg(value_enum)]
    pub shell: ShellName,
}

#[derive(Debug, Clone, Args)]
pub struct ManArgs {}

/// The completion script for one shell, as clap_complete writes it.
pub fn script(shell: ShellName) -> String {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell.shell(), &mut cmd, "gov", &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// The man page, gov(1), in roff.
pub fn man_page() -> Result<String, GovError> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(|e| {
            Diagnostic::new(
                &gov::INTERNAL,
                format!("rendering the man page failed: {e}"),
            )
        })?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

pub fn run_completions(a: &CompletionsArgs) -> Result<Report, GovError> {
    Ok(text_report("completions", script(a.shell)))
}

pub fn run_man(_: &ManArgs) -> Result<Report, GovError> {
    Ok(text_report("man", man_page()?))
}

/// An informational report whose human form is exactly `text` and whose JSON form
/// carries it in `text`.
fn text_report(command: &str, text: String) -> Report {
    let mut r = Report::new(command, None);
    r.informational = true;
    r.set_typed(TextData { text: text.clone() });
    r.headline.push(text.trim_end_matches('\n').to_string());
    r
}
