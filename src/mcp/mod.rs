//! A Model Context Protocol server over stdio: newline-delimited JSON-RPC 2.0 on
//! serde_json, synchronous like the rest of gov. Each tool runs the same command
//! dispatch as the CLI with `--format json`, in-process, and returns that JSON
//! document — what `gov <command> --format json` prints — as its structured result.
//!
//! Written here rather than on the official Rust SDK (rmcp): rmcp's server needs
//! the tokio runtime and a schema generator, a second concurrency model and many
//! crates for eight request/response tools; the protocol surface used here
//! (initialize, ping, tools/list, tools/call) is small. The tests drive this server
//! with rmcp's client.

mod tools;

use serde_json::{json, Value};
use std::io::{BufRead, Write};
use std::path::Path;

/// The protocol versions this server speaks, newest first.
pub const PROTOCOL_VERSIONS: [&str; 4] = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

/// A request line longer than this is refused without being held in memory.
pub const MAX_MESSAGE_BYTES: usize = 4 * 1024 * 1024;

const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;

/// What the server needs from the command line it was started with.
#[derive(Debug, Clone)]
pub struct Server {
    pub cwd: std::path::PathBuf,
    /// `-C` and `--config`, passed on to every tool call.
    pub root: Option<std::path::PathBuf>,
    pub config: Option<std::path::PathBuf>,
}

impl Server {
    pub fn new(cwd: &Path, global: &crate::cli::GlobalArgs) -> Server {
        Server {
            cwd: cwd.to_path_buf(),
            root: global.root.clone(),
            config: global.config.clone(),
        }
    }

    /// Serves until the input ends. Errors are the streams' own (a closed pipe).
    pub fn serve(&self, input: impl BufRead, mut output: impl Write) -> std::io::Result<()> {
        let mut input = input;
        loop {
            let line = match read_line(&mut input)? {
                Line::End => return Ok(()),
                Line::TooLong => Some(error_response(
                    Value::Null,
                    INVALID_REQUEST,
                    &format!("a message is longer than {MAX_MESSAGE_BYTES} bytes"),
                )),
                Line::Text(t) if t.trim().is_empty() => None,
                Line::Text(t) => self.handle_text(&t),
            };
            if let Some(reply) = line {
                output.write_all(reply.to_string().as_bytes())?;
                output.write_all(b"\n")?;
                output.flush()?;
            }
        }
    }

    /// The reply to one message (`None` for a notification).
    pub fn handle_text(&self, text: &str) -> Option<Value> {
        let msg: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                return Some(error_response(
                    Value::Null,
                    PARSE_ERROR,
                    &format!("not JSON: {e}"),
                ))
            }
        };
        let id = msg.get("id").cloned();
        let Some(method) = msg.get("method").and_then(Value::as_str) else {
            // a response from the client (we send no requests) or garbage
            return id.map(|id| error_response(id, INVALID_REQUEST, "not a JSON-RPC request"));
        };
        let id = id?; // notifications (initialized, cancelled) need no reply
        let params = msg.get("params").cloned().unwrap_or(Value::Null);
        Some(match self.call(method, &params) {
            Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
            Err((code, message)) => error_response(id, code, &message),
        })
    }

    fn call(&self, method: &str, params: &Value) -> Result<Value, (i64, String)> {
        match method {
            "initialize" => Ok(initialize(params)),
            "ping" => Ok(json!({})),
            "tools/list" => Ok(json!({ "tools": tools::list() })),
            "tools/call" => {
                let name = params
                    .get("name")
                    .and_then(Value::as_str)
                    .ok_or((INVALID_PARAMS, "tools/call needs a tool `name`".to_string()))?;
                let args = params.get("arguments").cloned().unwrap_or(json!({}));
                let argv = tools::argv(name, &args).map_err(|m| (INVALID_PARAMS, m))?;
                Ok(self.run(&argv))
            }
            other => Err((
                METHOD_NOT_FOUND,
                format!("method `{other}` is not supported"),
            )),
        }
    }

    /// Runs one gov command line in-process and wraps its JSON document.
    fn run(&self, argv: &[String]) -> Value {
        let mut args: Vec<std::ffi::OsString> = vec!["gov".into()];
        if let Some(r) = &self.root {
            args.push("-C".into());
            args.push(r.into());
        }
        if let Some(c) = &self.config {
            args.push("--config".into());
            args.push(c.into());
        }
        args.extend(argv.iter().map(Into::into));
        args.push("--format".into());
        args.push("json".into());
        let out = crate::app::run_args(&args, &self.cwd);
        let doc: Value = serde_json::from_str(&out.stdout).unwrap_or_else(
            |_| json!({"schema_version": 1, "verdict": "error", "message": out.stderr.trim()}),
        );
        json!({
            "content": [{"type": "text", "text": out.stdout.trim_end()}],
            "structuredContent": doc,
            // a gate that failed is an answer; only "could not evaluate" is an error
            "isError": out.code == 2,
        })
    }
}

fn initialize(params: &Value) -> Value {
    let asked = params.get("protocolVersion").and_then(Value::as_str);
    let version = asked
        .filter(|v| PROTOCOL_VERSIONS.contains(v))
        .unwrap_or(PROTOCOL_VERSIONS[0]);
    json!({
        "protocolVersion": version,
        "capabilities": {"tools": {"listChanged": false}},
        "serverInfo": {"name": "gov", "version": env!("CARGO_PKG_VERSION")},
        "instructions": "Governance gates for this repository. Each tool returns gov's JSON report: verdict (pass/fail/error), diagnostics with code, path, line and help, and next commands."
    })
}

fn error_response(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

enum Line {
    Text(String),
    TooLong,
    End,
}

/// One line, at most [`MAX_MESSAGE_BYTES`]; the rest of a longer one is skipped.
fn read_line(input: &mut impl BufRead) -> std::io::Result<Line> {
    let mut buf = Vec::new();
    let mut too_long = false;
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            if buf.is_empty() && !too_long {
                return Ok(Line::End);
            }
            break;
        }
        let (take, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if !too_long {
            if buf.len() + take > MAX_MESSAGE_BYTES + 1 {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(&chunk[..take]);
            }
        }
        input.consume(take);
        if done {
            break;
        }
    }
    if too_long {
        return Ok(Line::TooLong);
    }
    Ok(Line::Text(String::from_utf8_lossy(&buf).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server() -> Server {
        Server {
            cwd: std::env::temp_dir(),
            root: None,
            config: None,
        }
    }

    #[test]
    fn protocol_basics() {
        let s = server();
        let r = s.handle_text(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2024-11-05"}}"#).unwrap();
        assert_eq!(r["result"]["protocolVersion"], "2024-11-05");
        let r = s.handle_text(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"1999-01-01"}}"#).unwrap();
        assert_eq!(r["result"]["protocolVersion"], PROTOCOL_VERSIONS[0]);
        assert!(s
            .handle_text(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
            .is_none());
        let r = s.handle_text("{nope").unwrap();
        assert_eq!(r["error"]["code"], PARSE_ERROR);
        let r = s
            .handle_text(r#"{"jsonrpc":"2.0","id":7,"method":"resources/list"}"#)
            .unwrap();
        assert_eq!(r["error"]["code"], METHOD_NOT_FOUND);
        let r = s
            .handle_text(
                r#"{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"rm_rf"}}"#,
            )
            .unwrap();
        assert_eq!(r["error"]["code"], INVALID_PARAMS);
        let r = s
            .handle_text(r#"{"jsonrpc":"2.0","id":9,"method":"tools/list"}"#)
            .unwrap();
        assert_eq!(r["result"]["tools"].as_array().unwrap().len(), 8);
    }

    #[test]
    fn long_lines_are_refused_without_holding_them() {
        let big = format!(
            "{}\n{}\n",
            "x".repeat(MAX_MESSAGE_BYTES + 10),
            r#"{"jsonrpc":"2.0","id":2,"method":"ping"}"#
        );
        let mut out = Vec::new();
        server().serve(big.as_bytes(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["error"]["code"], INVALID_REQUEST);
        assert_eq!(lines[1]["result"], json!({}));
    }
}
