//! `gov hook install|uninstall`: core.hooksPath, foreign hooks, --force, uninstall of
//! only what gov wrote.

use crate::support::Gov;

fn repo() -> Gov {
    let gov = Gov::new().file("gov.yaml", "version: 1\n");
    git2::Repository::init(gov.root()).expect("git init");
    gov
}

#[test]
fn install_and_uninstall() {
    let run = repo().args(&["hook", "install"]).run();
    run.expect_code(0);
    insta::assert_snapshot!(run.transcript());
    let hook = run.read(".git/hooks/pre-commit");
    assert!(hook.starts_with("#!/bin/sh\n# gov-managed-hook"));
    assert!(hook.contains("\"$GOV\" validator-scan --staged\n"));
    assert!(hook.contains("\"$GOV\" spec-regression\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(run.root.join(".git/hooks/pre-commit"))
            .expect("hook")
            .permissions()
            .mode();
        assert_eq!(mode & 0o111, 0o111, "executable");
    }
}

#[test]
fn foreign_hook_is_refused_without_force() {
    let run = repo()
        .file(".git/hooks/pre-commit", "#!/bin/sh\necho mine\n")
        .args(&["hook", "install", "--format", "json"])
        .run();
    run.expect_code(1);
    assert_eq!(run.codes(), ["SCN050"]);
    assert_eq!(run.read(".git/hooks/pre-commit"), "#!/bin/sh\necho mine\n");
}

#[test]
fn force_keeps_the_foreign_hook_and_uninstall_restores_it() {
    let gov = repo().file(".git/hooks/pre-commit", "#!/bin/sh\necho mine\n");
    let root = gov.root().to_path_buf();
    let out = crate::support::gov_command()
        .args(["hook", "install", "--force"])
        .current_dir(&root)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let hooks = root.join(".git/hooks");
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit.pre-gov")).expect("backup"),
        "#!/bin/sh\necho mine\n"
    );
    assert!(std::fs::read_to_string(hooks.join("pre-commit"))
        .expect("hook")
        .contains("gov-managed-hook"));
    let out = crate::support::gov_command()
        .args(["hook", "uninstall"])
        .current_dir(&root)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit")).expect("restored"),
        "#!/bin/sh\necho mine\n"
    );
    assert!(!hooks.join("pre-commit.pre-gov").exists());
    drop(gov);
}

#[test]
fn uninstall_leaves_foreign_hooks_alone() {
    let gov = repo().file(".git/hooks/pre-commit", "#!/bin/sh\necho mine\n");
    let run = gov.args(&["hook", "uninstall", "--format", "json"]).run();
    run.expect_code(1);
    assert_eq!(run.codes(), ["SCN050"]);
    assert_eq!(run.read(".git/hooks/pre-commit"), "#!/bin/sh\necho mine\n");
    let run = repo().args(&["hook", "uninstall"]).run();
    run.expect_code(0);
    assert!(run.stdout.contains("nothing to remove"));
}

#[test]
fn respects_core_hooks_path_and_subfolder_roots() {
    let gov = Gov::new().file("gov/gov.yaml", "version: 1\n");
    let repo = git2::Repository::init(gov.root()).expect("git init");
    repo.config()
        .expect("config")
        .set_str("core.hooksPath", "scripts/hooks")
        .expect("set");
    let run = gov.current_dir("gov").args(&["hook", "install"]).run();
    run.expect_code(0);
    let hook = run.read("scripts/hooks/pre-commit");
    assert!(
        hook.contains("\"$GOV\" -C 'gov' validator-scan --staged\n"),
        "{hook}"
    );
    assert!(!run.root.join(".git/hooks/pre-commit").exists());
}

#[test]
fn needs_a_git_repository() {
    let run = Gov::new()
        .file("gov.yaml", "version: 1\n")
        .args(&["hook", "install", "--format", "json"])
        .run();
    run.expect_code(2);
    assert_eq!(run.codes(), ["GIT001"]);
}
