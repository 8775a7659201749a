//! GIT: diff selection and the completion gate (post-work).
crate::declare_codes! {
    NOT_A_GIT_REPOSITORY = "GIT001", Error, "the repository is not a git repository",
        help: "run gov inside a git work tree, or initialise one with `git init`",
        why: "Git-backed checks read history and diffs through libgit2; without a repository they cannot run.";
}
