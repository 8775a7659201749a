//! From arguments to rendered output: parses the command line, opens the repository,
//! runs the command, applies severity settings and renders the report. Returns text
//! and an exit code; printing is left to `main`.

use crate::cli::{Cli, ColorChoice, Command, Format};
use crate::commands;
use crate::diag::codes::gov;
use crate::diag::render::{self, Style};
use crate::diag::{Diagnostic, Report, Severity};
use crate::error::GovError;
use clap::Parser;
use std::io::IsTerminal;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// Runs gov with a full argument vector (program name first).
pub fn run_args(args: &[std::ffi::OsString], cwd: &Path) -> Output {
    match Cli::try_parse_from(args) {
        Ok(cli) => run(&cli, cwd),
        Err(e) => usage_error(e, args),
    }
}

fn usage_error(e: clap::Error, args: &[std::ffi::OsString]) -> Output {
    use clap::error::ErrorKind;
    let code = if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            2
        } else {
            0
        }
    } else {
        2
    };
    let wants_json = args
        .windows(2)
        .any(|w| w[0] == "--format" && w[1] == "json")
        || args.iter().any(|a| a == "--format=json");
    if wants_json && code == 2 {
        let msg = e.to_string();
        let first = msg
            .lines()
            .next()
            .unwrap_or("usage error")
            .trim_start_matches("error: ")
            .to_string();
        let report = Report::fatal("gov", None, Diagnostic::new(&gov::USAGE, first));
        return Output {
            stdout: json_text(&report),
            stderr: String::new(),
            code: 2,
        };
    }
    let text = e.render().to_string();
    if code == 0 {
        Output {
            stdout: text,
            stderr: String::new(),
            code,
        }
    } else {
        Output {
            stdout: String::new(),
            stderr: text,
            code,
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: &Cli, cwd: &Path) -> Output {
    crate::cache::configure(cli.global.no_cache);
    run_with(cli, commands::Context::new(cli, cwd))
}

/// Runs a parsed command line in a given context (a fixed "now", for tests that run
/// gov in-process).
pub fn run_with(cli: &Cli, ctx: commands::Context) -> Output {
    let name = cli.command.name();
    // the guard answers in its harness's protocol, not as a report
    if let Command::Guard(a) = &cli.command {
        let out = commands::guard::run_stdin(a, &ctx);
        return Output {
            stdout: out.stdout,
            stderr: out.stderr,
            code: out.code,
        };
    }
    if let Some(refusal) = format_refusal(cli) {
        return render_output(cli, Report::fatal(name, None, refusal), None);
    }
    let (mut report, config) = match commands::dispatch(&cli.command, &ctx) {
        Ok(done) => done,
        Err(e) => (
            fatal_report(name, commands::target_of(&cli.command), &e),
            None,
        ),
    };
    report.cache = crate::cache::stats();
    render_output(cli, report, config.as_ref())
}

/// The usage error for a format this command does not speak, if it does not.
fn format_refusal(cli: &Cli) -> Option<Diagnostic> {
    let name = cli.command.name();
    let format = format!("{:?}", cli.global.format).to_lowercase();
    let graph = matches!(cli.command, Command::Graph(_));
    let (allowed, for_whom) = match cli.global.format {
        Format::Human | Format::Json => return None,
        Format::Sarif | Format::Github | Format::Junit => (is_gate(&cli.command), "gates (pre-work, post-work, spec-regression, board-check, phase-gate, signatures verify, validator-scan, check)"),
        Format::Mermaid | Format::Dot => (graph, "graph"),
        Format::Html => (matches!(cli.command, Command::Status(_)), "status"),
    };
    (!allowed).then(|| {
        Diagnostic::new(
            &gov::USAGE,
            format!("--format {format} is for {for_whom}, not {name}"),
        )
        .help("use --format human or --format json for this command")
    })
}

/// Commands that decide pass/fail over located findings, whose reports make sense as
/// code-scanning results and annotations. Informational commands (show, status,
/// explain, ...) and writers keep human and JSON output.
fn is_gate(c: &Command) -> bool {
    matches!(
        c,
        Command::PreWork(_)
            | Command::PostWork(_)
            | Command::SpecRegression(_)
            | Command::BoardCheck(_)
            | Command::PhaseGate(_)
            | Command::Signatures(_)
            | Command::ValidatorScan(_)
            | Command::Check(_)
            | Command::CodexCheck(_)
            | Command::CommitMsg(_)
    )
}

pub fn fatal_report(command: &str, target: Option<String>, e: &GovError) -> Report {
    let mut r = Report::fatal(command, target, e.diagnostic());
    r.next = Vec::new();
    r
}

fn render_output(cli: &Cli, mut report: Report, config: Option<&crate::config::Config>) -> Output {
    settle(cli, &mut report, config);
    for part in &mut report.parts {
        settle(cli, part, config);
    }
    report.absorb_parts();
    report.finish();
    let code = report.verdict().exit_code();
    match cli.global.format {
        Format::Sarif => Output {
            stdout: crate::diag::sarif::to_text(&report),
            stderr: String::new(),
            code,
        },
        Format::Html if !report.fatal => Output {
            stdout: crate::commands::status_page::page(&render::to_json(&report)),
            stderr: String::new(),
            code,
        },
        Format::Github => Output {
            stdout: crate::diag::github::to_text(&report),
            stderr: String::new(),
            code,
        },
        Format::Junit => Output {
            stdout: crate::diag::junit::to_text(&report),
            stderr: String::new(),
            code,
        },
        Format::Json => Output {
            stdout: json_text(&report),
            stderr: String::new(),
            code,
        },
        // the graph's own text forms are its human output
        Format::Human | Format::Mermaid | Format::Dot | Format::Html => {
            let style = Style {
                color: use_color(cli.global.color),
                quiet: cli.global.quiet,
            };
            let text = render::to_human(&report, style);
            if report.fatal {
                Output {
                    stdout: String::new(),
                    stderr: text,
                    code,
                }
            } else {
                Output {
                    stdout: text,
                    stderr: String::new(),
                    code,
                }
            }
        }
    }
}

/// gov.yaml severity settings, then `--strict`.
fn settle(cli: &Cli, report: &mut Report, config: Option<&crate::config::Config>) {
    if let Some(c) = config {
        c.apply_severity(report);
    }
    if cli.global.strict && !report.fatal {
        for d in &mut report.diagnostics {
            if d.severity == Severity::Warning {
                d.severity = Severity::Error;
            }
        }
    }
}

pub fn json_text(report: &Report) -> String {
    let mut s =
        serde_json::to_string_pretty(&render::to_json(report)).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
                && std::io::stdout().is_terminal()
        }
    }
}
