//! The `gov` binary: parse arguments, run the command, print, exit. Everything else
//! lives in the library.

use std::io::Write;

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cwd = std::env::current_dir().unwrap_or_else(|_| std::path::PathBuf::from("."));
    // `gov mcp` is a server: it keeps talking over stdin and stdout until stdin ends
    if let Ok(cli) = <gov::cli::Cli as clap::Parser>::try_parse_from(&args) {
        if let gov::cli::Command::Mcp(_) = cli.command {
            let server = gov::mcp::Server::new(&cwd, &cli.global);
            let code = match server.serve(std::io::stdin().lock(), std::io::stdout().lock()) {
                Ok(()) => 0,
                Err(_) => 2,
            };
            std::process::exit(code);
        }
    }
    gov::exit::ends_after_run();
    let out = gov::app::run_args(&args, &cwd);
    // a closed pipe (`gov ... | head`) is not an error worth a panic
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    std::process::exit(out.code);
}
