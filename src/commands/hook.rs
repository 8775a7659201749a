//! `gov hook install|uninstall`: a git pre-commit hook that runs
//! `gov validator-scan --staged` and `gov spec-regression`, and with `--commit-msg` a
//! commit-msg hook that runs `gov commit-msg`. gov writes the hook file
//! (a POSIX sh script) and never runs a shell itself; the hook runs gov. Hooks gov
//! wrote carry a marker line, so gov never overwrites or removes anyone else's.

use crate::diag::codes::{git as gitcodes, gov, scn};
use crate::diag::{Diagnostic, Report};
use crate::error::GovError;
use crate::io::{write_atomic, RepoLock};
use crate::repo::Repo;
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Args)]
pub struct HookArgs {
    #[command(subcommand)]
    pub action: HookAction,
}

#[derive(Debug, Subcommand)]
pub enum HookAction {
    /// Install the pre-commit hook (respects core.hooksPath)
    Install {
        /// Replace a hook gov did not write (it is kept as <hook>.pre-gov and still run first)
        #[arg(long)]
        force: bool,
        /// Also install the commit-msg hook: every commit message names its WP
        #[arg(long)]
        commit_msg: bool,
    },
    /// Remove the hooks gov installed (and restore the ones they replaced)
    Uninstall,
}

/// The line that marks a hook as written by gov.
pub const MARKER: &str = "# gov-managed-hook";

/// Where a replaced hook is kept: `pre-commit.pre-gov`.
fn backup_name(hook: &str) -> String {
    format!("{hook}.pre-gov")
}

/// The data members of `gov hook --format json`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct HookData {
    /// The pre-commit hook file, relative to the repository root where it lies inside.
    pub hook: String,
}

pub fn run(args: &HookArgs, repo: &Repo) -> Result<Report, GovError> {
    let (hooks, prefix) = hooks_dir(&repo.root)?;
    let _lock =
        RepoLock::acquire(&repo.root, Duration::from_secs(10)).map_err(|error| GovError::Lock {
            path: RepoLock::path_for(&repo.root).display().to_string(),
            error,
        })?;
    let mut report = Report::new("hook", Some(action_name(&args.action).into()));
    let shown = shown_path(&repo.root, &hooks.join("pre-commit"));
    report.set_typed(HookData {
        hook: shown.clone(),
    });
    match args.action {
        HookAction::Install { force, commit_msg } => {
            install(
                &mut report,
                &hooks,
                "pre-commit",
                &script(&prefix),
                &repo.root,
                force,
            )?;
            if commit_msg {
                let s = commit_msg_script(&prefix);
                install(&mut report, &hooks, "commit-msg", &s, &repo.root, force)?;
            }
        }
        HookAction::Uninstall => {
            for name in ["pre-commit", "commit-msg"] {
                uninstall(&mut report, &hooks, name, &repo.root)?;
            }
        }
    }
    Ok(report)
}

/// The hook's path relative to the root when it is inside it (it usually is).
fn shown_path(root: &Path, hook: &Path) -> String {
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let dir = hook.parent().map(canon).unwrap_or_default();
    let name = hook.file_name().unwrap_or_default();
    match dir.strip_prefix(canon(root)) {
        Ok(rel) => crate::paths::to_slash(&rel.join(name)),
        Err(_) => hook.display().to_string(),
    }
}

fn action_name(a: &HookAction) -> &'static str {
    match a {
        HookAction::Install { .. } => "install",
        HookAction::Uninstall => "uninstall",
    }
}

/// The hooks folder (`core.hooksPath`, else `<common git dir>/hooks`) and the governance
/// root relative to the work tree (for `-C` in the script).
fn hooks_dir(root: &Path) -> Result<(PathBuf, String), GovError> {
    let not_git = || {
        GovError::from(Diagnostic::new(
            &gitcodes::NOT_A_GIT_REPOSITORY,
            format!("{} is not inside a git work tree", root.display()),
        ))
    };
    let repo = crate::git::open_repository(root).map_err(|_| not_git())?;
    let workdir = repo.workdir().ok_or_else(not_git)?.to_path_buf();
    let configured = repo
        .config()
        .ok()
        .and_then(|c| c.get_path("core.hooksPath").ok());
    let dir = match configured {
        Some(p) if p.is_absolute() => p,
        Some(p) => workdir.join(p),
        None => repo.commondir().join("hooks"),
    };
    let prefix = crate::scan::git::root_in_workdir(root, &workdir);
    Ok((dir, prefix))
}

fn is_gov_hook(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|b| String::from_utf8_lossy(&b).contains(MARKER))
}

/// The hook script. `prefix` is the governance root inside the work tree (git runs
/// hooks from the top of the work tree).
pub fn script(prefix: &str) -> String {
    let root = root_arg(prefix);
    let backup = backup_name("pre-commit");
    format!(
        "#!/bin/sh\n\
         {MARKER} v1: written by `gov hook install`; `gov hook uninstall` removes it.\n\
         # Runs the governance gates on what is about to be committed.\n\
         set -e\n\
         hook_dir=$(dirname \"$0\")\n\
         if [ -x \"$hook_dir/{backup}\" ]; then\n  \"$hook_dir/{backup}\" \"$@\"\nfi\n\
         GOV=\"${{GOV:-gov}}\"\n\
         if ! command -v \"$GOV\" >/dev/null 2>&1; then\n  \
           echo \"pre-commit: gov is not on PATH (set GOV to its path)\" >&2\n  exit 1\nfi\n\
         \"$GOV\"{root} validator-scan --staged\n\
         \"$GOV\"{root} spec-regression\n"
    )
}

/// The commit-msg hook: git passes the message file, relative to the top of the work
/// tree, where it runs hooks (and where gov resolves the file).
pub fn commit_msg_script(prefix: &str) -> String {
    let root = root_arg(prefix);
    let backup = backup_name("commit-msg");
    format!(
        "#!/bin/sh\n\
         {MARKER} v1: written by `gov hook install --commit-msg`; `gov hook uninstall` removes it.\n\
         # Every commit message names the WP it belongs to.\n\
         set -e\n\
         hook_dir=$(dirname \"$0\")\n\
         if [ -x \"$hook_dir/{backup}\" ]; then\n  \"$hook_dir/{backup}\" \"$@\"\nfi\n\
         GOV=\"${{GOV:-gov}}\"\n\
         if ! command -v \"$GOV\" >/dev/null 2>&1; then\n  \
           echo \"commit-msg: gov is not on PATH (set GOV to its path)\" >&2\n  exit 1\nfi\n\
         \"$GOV\"{root} commit-msg \"$1\"\n"
    )
}

fn root_arg(prefix: &str) -> String {
    if prefix.is_empty() {
        String::new()
    } else {
        format!(" -C {}", sh_quote(prefix))
    }
}

/// POSIX single quoting: `'it'\''s'`.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn install(
    report: &mut Report,
    hooks: &Path,
    name: &str,
    contents: &str,
    root: &Path,
    force: bool,
) -> Result<(), GovError> {
    let hook = hooks.join(name);
    let shown = shown_path(root, &hook);
    let exists = std::fs::symlink_metadata(&hook).is_ok();
    if exists && !is_gov_hook(&hook) {
        if !force {
            report.push(
                Diagnostic::new(
                    &scn::HOOK_FOREIGN,
                    format!("{shown} exists and was not written by gov; it was left unchanged"),
                )
                .in_file(shown),
            );
            report.next = vec!["gov hook install --force".into()];
            return Ok(());
        }
        let backup = hook.with_file_name(backup_name(name));
        if std::fs::symlink_metadata(&backup).is_ok() {
            return Err(Diagnostic::new(
                &gov::FILE_EXISTS,
                format!(
                    "{} already exists; gov will not replace a second hook",
                    backup.display()
                ),
            )
            .help("merge or remove the old hooks by hand, then run `gov hook install` again")
            .into());
        }
        std::fs::rename(&hook, &backup).map_err(|e| write_failed(&backup, &e))?;
        report.headline.push(format!(
            "kept the previous hook as {} beside it (the gov hook runs it first)",
            backup_name(name)
        ));
    }
    write_atomic(&hook, contents.as_bytes())?;
    make_executable(&hook)?;
    let what = match name {
        "pre-commit" => "validator-scan --staged, spec-regression",
        _ => "commit-msg",
    };
    let at = report.headline.len().min(usize::from(name != "pre-commit"));
    report.headline.insert(
        at,
        format!("installed the gov {name} hook at {shown}: {what}"),
    );
    report.informational = true;
    Ok(())
}

fn uninstall(report: &mut Report, hooks: &Path, name: &str, root: &Path) -> Result<(), GovError> {
    let hook = hooks.join(name);
    let shown = shown_path(root, &hook);
    report.informational = true;
    if std::fs::symlink_metadata(&hook).is_err() {
        if name == "pre-commit" {
            report
                .headline
                .push(format!("no pre-commit hook at {shown}; nothing to remove"));
        }
        return Ok(());
    }
    if !is_gov_hook(&hook) {
        report.push(
            Diagnostic::new(
                &scn::HOOK_FOREIGN,
                format!("{shown} was not written by gov; it was left in place"),
            )
            .help("gov removes only hooks it installed; delete this one by hand if you mean to")
            .in_file(shown),
        );
        return Ok(());
    }
    std::fs::remove_file(&hook).map_err(|e| write_failed(&hook, &e))?;
    report
        .headline
        .push(format!("removed the gov {name} hook {shown}"));
    let backup = hook.with_file_name(backup_name(name));
    if backup.is_file() {
        std::fs::rename(&backup, &hook).map_err(|e| write_failed(&hook, &e))?;
        report.headline.push(format!(
            "restored the previous hook from {}",
            backup_name(name)
        ));
    }
    Ok(())
}

fn write_failed(path: &Path, e: &std::io::Error) -> GovError {
    Diagnostic::new(&gov::WRITE_FAILED, format!("{}: {e}", path.display())).into()
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<(), GovError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| write_failed(path, &e))
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> Result<(), GovError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_quotes_the_root() {
        let s = script("sub dir/it's");
        assert!(s.contains("-C 'sub dir/it'\\''s' validator-scan --staged"));
        assert!(script("").contains("\"$GOV\" validator-scan --staged\n"));
        assert!(s.starts_with("#!/bin/sh\n# gov-managed-hook v1"));
    }
}
