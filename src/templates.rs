//! Built-in templates, embedded in the binary. A repository's own packet template
//! (`paths.packet_template`) wins when it exists.

pub const PACKET: &str = include_str!("../templates/packet.md");
pub const TASK_BOARD: &str = include_str!("../templates/task_board.md");
pub const SIGNATURE_AUDIT: &str = include_str!("../templates/signature_audit.md");
pub const SPEC_POINTER: &str = include_str!("../templates/spec_current.md");
pub const SPEC: &str = include_str!("../templates/spec.md");
pub const REFINEMENT: &str = include_str!("../templates/refinement.md");
pub const CONFIG: &str = include_str!("../templates/gov.yaml");

/// Replaces `{{KEY}}` tokens; unknown tokens are left for the author to fill.
pub fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{{{k}}}}}"), v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_known_tokens_only() {
        assert_eq!(fill("a {{X}} {{Y}} {z}", &[("X", "1")]), "a 1 {{Y}} {z}");
    }
}
