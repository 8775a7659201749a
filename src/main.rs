//! The `gov` binary: parse arguments, run the command, print, exit. Everything else
//! lives in the library.

use std::io::Write;

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cwd = std::env::current_dir().unwrap_or_else(|_| std::path::PathBuf::from("."));
    let out = gov::app::run_args(&args, &cwd);
    // a closed pipe (`gov ... | head`) is not an error worth a panic
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    std::process::exit(out.code);
}
