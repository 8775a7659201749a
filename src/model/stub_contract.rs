//! A stub contract, `stubs/WP-ID.contract.json` (`<abbr>.work_packet_stub_contract@1`):
//! a stub's status and its build order (`build_order.depends_on[]`,
//! `build_order.blocks[]`). Some stubs exist only as a contract.

use super::json_locations::JsonLocations;
use super::packet_json::Reader;
use super::wp_id::{ids_in, WpId};
use crate::diag::Diagnostic;
use crate::error::GovError;
use crate::text::{Source, Spanned};

#[derive(Debug, Clone, Default)]
pub struct StubContract {
    pub path: String,
    pub status: Option<Spanned<String>>,
    /// WP ids this stub depends on, located in the JSON.
    pub depends_on: Vec<Spanned<WpId>>,
    pub blocks: Vec<Spanned<WpId>>,
    /// Fields of an unexpected type (PKT041), ignored.
    pub problems: Vec<Diagnostic>,
}

/// Reads a stub contract; not a JSON object is PKT040.
pub fn parse(id: &WpId, source: &Source) -> Result<StubContract, GovError> {
    let root = super::packet_json::json_object(source)?;
    let r = Reader {
        source,
        root: &root,
        at: JsonLocations::of(&source.text),
    };
    let mut problems = Vec::new();
    let status = r
        .scalar("/lifecycle/status", &mut problems)
        .map(|v| Spanned::new(v.value, v.line, v.column));
    let ids = |pointer: &str, problems: &mut Vec<Diagnostic>| -> Vec<Spanned<WpId>> {
        let mut out: Vec<Spanned<WpId>> = Vec::new();
        for v in r.list(pointer, problems) {
            // `NONE`, `N/A` and the like hold no id; a stub never depends on itself
            for (_, dep) in ids_in(&v.value) {
                if &dep != id && !out.iter().any(|o| o.value == dep) {
                    out.push(Spanned::new(dep, v.line, v.column));
                }
            }
        }
        out
    };
    let depends_on = ids("/build_order/depends_on", &mut problems);
    let blocks = ids("/build_order/blocks", &mut problems);
    Ok(StubContract {
        path: source.path.clone(),
        status,
        depends_on,
        blocks,
        problems,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_and_blocks() {
        let text = "{\n  \"lifecycle\": {\"status\": \"STUB (NOT READY FOR DEV)\"},\n  \"build_order\": {\n    \"depends_on\": [\"WP-1-A\", \"NONE\", \"WP-1-B-v2, WP-1-C\"],\n    \"blocks\": []\n  }\n}\n";
        let id = WpId::parse("WP-1-S").unwrap();
        let c = parse(
            &id,
            &Source::from_bytes("s/WP-1-S.contract.json", text.as_bytes()),
        )
        .unwrap();
        let deps: Vec<_> = c.depends_on.iter().map(|d| d.value.to_string()).collect();
        assert_eq!(deps, ["WP-1-A", "WP-1-B-v2", "WP-1-C"]);
        assert_eq!(c.depends_on[0].line, 4);
        assert!(c.blocks.is_empty());
        assert_eq!(c.status.unwrap().value, "STUB (NOT READY FOR DEV)");
        let bad = parse(&id, &Source::from_bytes("x.json", b"{\"build_order\": "))
            .unwrap_err()
            .diagnostic();
        assert_eq!(bad.code, "PKT040");
    }
}
