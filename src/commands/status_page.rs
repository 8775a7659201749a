//! `gov status --format html`: the orchestrator's screen as one self-contained page —
//! phase progress, WP states, the dependency graph as inline SVG, SLA ageing, drift and
//! blocks. No script, no external resource, no timestamp: the same repository gives the
//! same bytes, and the page can be attached to a CI run or opened from disk offline.
//!
//! The page is drawn from status's JSON document (so both always agree) plus the
//! board picture and the SLA findings that status adds to it in this format.

use crate::rules::board::picture::CLASSES;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write;

const NODE_W: usize = 230;
const NODE_H: usize = 46;
const GAP_X: usize = 70;
const GAP_Y: usize = 18;
const MARGIN: usize = 12;

/// Text from documents: every markup character escaped.
fn esc(s: &str) -> String {
    crate::diag::render::escape_markup(s)
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn list(v: &Value, key: &str) -> Vec<Value> {
    v.get(key)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// A WP of the picture, as status's JSON document carries it.
struct Node {
    id: String,
    state: String,
    class: String,
}

/// `from` waits for `to`.
struct Link {
    from: String,
    to: String,
}

fn picture(doc: &Value) -> (Vec<Node>, Vec<Link>) {
    let nodes = list(&doc["picture"], "nodes")
        .iter()
        .map(|n| Node {
            id: str_of(n, "id").to_string(),
            state: str_of(n, "state").to_string(),
            class: str_of(n, "class").to_string(),
        })
        .collect();
    let links = list(&doc["picture"], "links")
        .iter()
        .map(|l| Link {
            from: str_of(l, "from").to_string(),
            to: str_of(l, "to").to_string(),
        })
        .collect();
    (nodes, links)
}

/// The whole page for status's JSON document.
pub fn page(doc: &Value) -> String {
    let (nodes, links) = picture(doc);
    let mut body = String::new();
    header(&mut body, doc);
    phases(&mut body, doc);
    counts(&mut body, doc);
    let _ = write!(
        body,
        "<section><h2>Dependencies</h2>{}{}</section>",
        svg(&nodes, &links),
        legend()
    );
    findings(&mut body, "Blocked", &list(doc, "blocked"), |b| {
        let waits: Vec<String> = list(b, "blockers")
            .iter()
            .map(|w| format!("{} ({})", esc(str_of(w, "id")), esc(str_of(w, "state"))))
            .collect();
        format!(
            "<b>{}</b> ({}) waits for {}{}",
            esc(str_of(b, "id")),
            esc(str_of(b, "status")),
            if waits.is_empty() {
                "—".to_string()
            } else {
                waits.join(", ")
            },
            b.get("reason")
                .and_then(Value::as_str)
                .map_or(String::new(), |r| format!(": {}", esc(r)))
        )
    });
    findings(&mut body, "SLA ageing", &list(doc, "sla"), located);
    findings(
        &mut body,
        "Drift between board and packets",
        &list(doc, "drift"),
        located,
    );
    findings(&mut body, "Warnings", &list(doc, "diagnostics"), located);
    let next: Vec<String> = list(doc, "next")
        .iter()
        .filter_map(Value::as_str)
        .map(|n| format!("<li><code>{}</code></li>", esc(n)))
        .collect();
    if !next.is_empty() {
        let _ = write!(
            body,
            "<section><h2>Next</h2><ul>{}</ul></section>",
            next.concat()
        );
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>gov status — {}</title><style>{}</style></head><body>{}</body></html>\n",
        esc(str_of(&doc["board"], "path")),
        css(),
        body
    )
}

fn header(out: &mut String, doc: &Value) {
    let spec = &doc["spec"];
    let _ = write!(
        out,
        "<header><h1>gov status</h1><p>Board <code>{}</code> · spec <code>{}</code> ({}) · spec-regression <b class=\"{}\">{}</b> · board errors {}</p><p class=\"muted\">gov {}</p></header>",
        esc(str_of(&doc["board"], "path")),
        esc(str_of(spec, "path")),
        esc(spec.get("version").and_then(Value::as_str).unwrap_or("unversioned")),
        if str_of(spec, "verdict") == "pass" { "ok" } else { "bad" },
        esc(str_of(spec, "verdict")),
        doc["board"]["errors"],
        env!("CARGO_PKG_VERSION"),
    );
}

fn phases(out: &mut String, doc: &Value) {
    out.push_str("<section><h2>Phase gates</h2>");
    let phases = list(doc, "phases");
    if phases.is_empty() {
        out.push_str("<p class=\"muted\">The board has no phase closure gate.</p>");
    }
    for p in &phases {
        let done = p["done"].as_u64().unwrap_or(0);
        let total = p["total"].as_u64().unwrap_or(0);
        let pct = (done * 100).checked_div(total).unwrap_or(0);
        let _ = write!(
            out,
            "<div class=\"phase\"><h3>Phase {} <span class=\"muted\">{}</span></h3>\
             <div class=\"bar\" role=\"progressbar\" aria-valuenow=\"{pct}\" aria-valuemin=\"0\" aria-valuemax=\"100\"><div style=\"width:{pct}%\"></div></div>\
             <p>{done} of {total} VALIDATED{}</p><ul class=\"wps\">",
            esc(str_of(p, "phase")),
            esc(str_of(p, "title")),
            if p["clear"] == true { " — <b class=\"ok\">clear</b>" } else { "" }
        );
        for w in list(p, "wps") {
            let class = if str_of(&w, "state") == "validated" {
                "validated"
            } else {
                "open"
            };
            let _ = write!(
                out,
                "<li class=\"{class}\"><code>{}</code> {}</li>",
                esc(str_of(&w, "id")),
                esc(str_of(&w, "status"))
            );
        }
        out.push_str("</ul></div>");
    }
    out.push_str("</section>");
}

fn counts(out: &mut String, doc: &Value) {
    let Some(counts) = doc["counts"].as_object() else {
        return;
    };
    out.push_str(
        "<section><h2>Packets by state</h2><table><tr><th>state</th><th>packets</th></tr>",
    );
    for (k, n) in counts {
        if n.as_u64().unwrap_or(0) > 0 {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{n}</td></tr>",
                esc(&k.replace('_', " "))
            );
        }
    }
    out.push_str("</table></section>");
}

fn located(d: &Value) -> String {
    let at = match (
        d.get("path").and_then(Value::as_str),
        d.get("line").and_then(Value::as_u64),
    ) {
        (Some(p), Some(l)) => format!(" <span class=\"muted\">{}:{l}</span>", esc(p)),
        (Some(p), None) => format!(" <span class=\"muted\">{}</span>", esc(p)),
        _ => String::new(),
    };
    format!(
        "<code>{}</code> {}{at}",
        esc(str_of(d, "code")),
        esc(str_of(d, "message"))
    )
}

fn findings(out: &mut String, title: &str, items: &[Value], line: impl Fn(&Value) -> String) {
    let _ = write!(out, "<section><h2>{}</h2>", esc(title));
    if items.is_empty() {
        out.push_str("<p class=\"muted\">None.</p>");
    } else {
        out.push_str("<ul>");
        for i in items {
            let _ = write!(out, "<li>{}</li>", line(i));
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");
}

/// Columns by dependency depth: a WP sits one column right of the deepest WP it waits
/// for, so every arrow points rightwards (cycles are cut where they close).
fn columns(nodes: &[Node], links: &[Link]) -> Vec<usize> {
    let index: BTreeMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let mut waits: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for l in links {
        if let (Some(&f), Some(&t)) = (index.get(l.from.as_str()), index.get(l.to.as_str())) {
            waits[f].push(t);
        }
    }
    let mut depth: Vec<Option<usize>> = vec![None; nodes.len()];
    for i in 0..nodes.len() {
        depth_of(i, &waits, &mut depth, &mut vec![false; nodes.len()]);
    }
    depth.into_iter().map(|d| d.unwrap_or(0)).collect()
}

fn depth_of(
    i: usize,
    waits: &[Vec<usize>],
    depth: &mut [Option<usize>],
    on_path: &mut [bool],
) -> usize {
    if let Some(d) = depth[i] {
        return d;
    }
    if on_path[i] {
        return 0;
    }
    on_path[i] = true;
    let d = waits[i]
        .iter()
        .map(|&t| depth_of(t, waits, depth, on_path) + 1)
        .max()
        .unwrap_or(0);
    on_path[i] = false;
    depth[i] = Some(d);
    d
}

fn svg(nodes: &[Node], links: &[Link]) -> String {
    if nodes.is_empty() {
        return "<p class=\"muted\">No WPs on the board.</p>".to_string();
    }
    let cols = columns(nodes, links);
    let mut rows_in: BTreeMap<usize, usize> = BTreeMap::new();
    let pos: Vec<(usize, usize)> = cols
        .iter()
        .map(|&c| {
            let r = rows_in.entry(c).or_insert(0);
            *r += 1;
            (
                MARGIN + c * (NODE_W + GAP_X),
                MARGIN + (*r - 1) * (NODE_H + GAP_Y),
            )
        })
        .collect();
    let width = MARGIN * 2 + (cols.iter().max().unwrap_or(&0) + 1) * (NODE_W + GAP_X) - GAP_X;
    let height = MARGIN * 2 + rows_in.values().max().unwrap_or(&1) * (NODE_H + GAP_Y) - GAP_Y;
    let index: BTreeMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"dependency graph\">\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#57606a\"/></marker></defs>"
    );
    for l in links {
        if let (Some(&f), Some(&t)) = (index.get(l.from.as_str()), index.get(l.to.as_str())) {
            let (x1, y1) = (pos[t].0 + NODE_W, pos[t].1 + NODE_H / 2);
            let (x2, y2) = (pos[f].0, pos[f].1 + NODE_H / 2);
            let _ = write!(
                out,
                "<path class=\"link\" d=\"M{x1},{y1} C{},{y1} {},{y2} {x2},{y2}\" fill=\"none\" stroke=\"#57606a\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"><title>{} waits for {}</title></path>",
                x1 + GAP_X / 2,
                x2.saturating_sub(GAP_X / 2),
                esc(l.from.as_str()),
                esc(l.to.as_str())
            );
        }
    }
    for (n, (x, y)) in nodes.iter().zip(&pos) {
        let (_, fill, text) = CLASSES
            .iter()
            .find(|c| c.0 == n.class.as_str())
            .copied()
            .unwrap_or(("", "#fff", "#000"));
        let _ = write!(
            out,
            "<g class=\"node {}\" data-wp=\"{}\"><rect x=\"{x}\" y=\"{y}\" width=\"{NODE_W}\" height=\"{NODE_H}\" rx=\"6\" fill=\"{fill}\" stroke=\"#57606a\"/>\
             <text x=\"{}\" y=\"{}\" fill=\"{text}\" font-size=\"13\" font-weight=\"600\">{}</text>\
             <text x=\"{}\" y=\"{}\" fill=\"{text}\" font-size=\"12\">{}</text></g>",
            n.class,
            esc(n.id.as_str()),
            x + 8,
            y + 19,
            esc(n.id.as_str()),
            x + 8,
            y + 36,
            esc(&n.state)
        );
    }
    out.push_str("</svg>");
    out
}

fn legend() -> String {
    let items: Vec<String> = CLASSES
        .iter()
        .map(|(class, fill, _)| format!("<span><i style=\"background:{fill}\"></i>{class}</span>"))
        .collect();
    format!("<p class=\"legend\">{}</p>", items.concat())
}

fn css() -> &'static str {
    "body{font-family:system-ui,sans-serif;margin:2rem;color:#24292f;max-width:1200px}\
     h1{margin:0}h2{border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2rem}\
     .muted{color:#57606a}.ok{color:#1a7f37}.bad{color:#cf222e}\
     .bar{background:#eaeef2;border-radius:4px;height:12px;width:320px}.bar div{background:#1a7f37;height:12px;border-radius:4px}\
     ul.wps{list-style:none;padding-left:0}ul.wps li::before{content:'○ '}ul.wps li.validated::before{content:'● ';color:#1a7f37}\
     table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.2rem .6rem;text-align:left}\
     .graph{max-width:100%;height:auto;border:1px solid #d0d7de;border-radius:6px;background:#fff}\
     .legend span{margin-right:1rem}.legend i{display:inline-block;width:.8rem;height:.8rem;border:1px solid #57606a;margin-right:.3rem;vertical-align:middle}"
}
