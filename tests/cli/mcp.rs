//! `gov mcp` driven by the official Rust MCP SDK's client (rmcp) over stdio:
//! initialize, tools/list, tools/call (the same JSON document as `--format json`),
//! and the error cases.

use crate::support::{Gov, FIXED_NOW};
use rmcp::model::CallToolRequestParams;
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use rmcp::ServiceExt;
use serde_json::{json, Value};

fn args(v: Value) -> serde_json::Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

#[test]
fn rmcp_client_lists_and_calls_the_tools() {
    let gov = Gov::fixture("guard");
    let root = gov.root().to_path_buf();
    let expected_show = gov
        .run_with(&["show", "WP-1-Login", "--format", "json"])
        .json();
    let expected_pre = gov.run_with(&["pre-work", "WP-1-Billing", "--format", "json"]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_gov")).configure(|c| {
            c.arg("mcp")
                .current_dir(&root)
                .env("GOV_NOW", FIXED_NOW)
                .env("GOV_NO_CACHE", "1")
                .env("NO_COLOR", "1");
        });
        let client =
            ().serve(TokioChildProcess::new(cmd).expect("spawn gov mcp"))
                .await
                .expect("initialize");
        let info = client.peer_info().expect("server info");
        assert_eq!(
            info.server_info.as_ref().map(|s| s.name.as_str()),
            Some("gov")
        );

        let tools = client.list_all_tools().await.expect("tools/list");
        let mut names: Vec<String> = tools.iter().map(|t| t.name.to_string()).collect();
        names.sort();
        assert_eq!(
            names,
            [
                "board_check",
                "explain",
                "phase_gate",
                "post_work",
                "pre_work",
                "show",
                "spec_regression",
                "status"
            ]
        );
        for t in &tools {
            let d = t.description.as_deref().unwrap_or("");
            assert!(!d.is_empty() && d.len() <= 120, "{}: {d}", t.name);
        }

        let show = client
            .call_tool(
                CallToolRequestParams::new("show")
                    .with_arguments(args(json!({"wp_id": "WP-1-Login"}))),
            )
            .await
            .expect("tools/call show");
        assert_eq!(show.is_error, Some(false));
        assert_eq!(show.structured_content.as_ref(), Some(&expected_show));

        // a failing gate is an answer, not an error
        let pre = client
            .call_tool(
                CallToolRequestParams::new("pre_work")
                    .with_arguments(args(json!({"wp_id": "WP-1-Billing"}))),
            )
            .await
            .expect("tools/call pre_work");
        assert_eq!(pre.structured_content.as_ref(), Some(&expected_pre.json()));
        assert_eq!(pre.is_error, Some(expected_pre.code == 2));

        // could not evaluate: an unknown packet is a tool error with gov's document
        let unknown = client
            .call_tool(
                CallToolRequestParams::new("show")
                    .with_arguments(args(json!({"wp_id": "WP-9-Nope"}))),
            )
            .await
            .expect("tools/call unknown packet");
        assert_eq!(unknown.is_error, Some(true));
        assert_eq!(
            unknown.structured_content.as_ref().unwrap()["verdict"],
            "error"
        );

        // protocol errors: an unknown tool, a missing argument, an injected option
        for (name, a) in [
            ("rm_rf", json!({})),
            ("show", json!({})),
            ("show", json!({"wp_id": "--help"})),
            ("status", json!({"extra": 1})),
        ] {
            let r = client
                .call_tool(CallToolRequestParams::new(name).with_arguments(args(a.clone())))
                .await;
            assert!(r.is_err(), "{name} {a}: {r:?}");
        }
        client.cancel().await.expect("shutdown");
    });
}
