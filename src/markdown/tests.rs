//! The reader's contract, line by line: CommonMark shapes, and the damaged shapes
//! of FORMATS.md read as their author meant them.

use super::*;
use crate::text::Source;

fn doc(text: &str) -> MdDoc {
    MdDoc::parse(Source::from_bytes("t.md", text.as_bytes()))
}

fn kinds(d: &MdDoc) -> Vec<LineKind> {
    d.lines.iter().map(|l| l.kind).collect()
}

fn headings(d: &MdDoc) -> Vec<String> {
    (0..d.lines.len())
        .filter(|&i| matches!(d.lines[i].kind, LineKind::Heading(_)))
        .map(|i| d.content(i).trim().to_string())
        .collect()
}

use LineKind::*;

#[test]
fn classifies_lines() {
    let d = doc("# Title\n\n- a: 1\n  - nested\n\n```bash\ncargo test\n```\n| a | b |\n|---|---|\n| 1 | 2 |\n");
    let k = kinds(&d);
    assert_eq!(k[0], Heading(1));
    assert_eq!(k[2], ItemStart);
    assert_eq!(d.lines[2].depth, 1);
    assert_eq!(d.lines[3].depth, 2);
    assert_eq!(d.content(2), "a: 1");
    assert_eq!(d.content(3), "nested");
    assert_eq!(k[5], CodeFence);
    assert_eq!(k[6], Code);
    assert_eq!(k[7], CodeFence);
    assert_eq!(k[8..11], [TableRow, TableRow, TableRow]);
    assert_eq!(d.content(0), "Title");
    assert_eq!(d.code_blocks[0].lang.as_deref(), Some("bash"));
}

#[test]
fn inline_code_spans_are_known() {
    let d = doc("run `cargo test {}` now, ``a ` b`` and \\`not code`\n");
    let off = d.source.text.find('{').unwrap();
    assert!(d.in_code_span(off));
    assert!(!d.in_code_span(0));
    let spans: Vec<_> = d
        .code_spans
        .iter()
        .map(|r| &d.source.text[r.clone()])
        .collect();
    assert_eq!(spans, ["`cargo test {}`", "``a ` b``"]);
}

#[test]
fn crlf_and_unclosed_fence() {
    let d = doc("a\r\n```\r\ncode\r\n");
    assert_eq!(d.lines[1].kind, CodeFence);
    assert_eq!(d.lines[2].kind, Code);
    assert_eq!(d.raw(0), "a");
    assert_eq!(d.issues.len(), 1);
}

#[test]
fn setext_rules_and_lazy_lines() {
    let d = doc("Title\n=====\n\ntext\n---\n\n- a\n---\n- b\nlazy\n\n***\n");
    assert_eq!(
        kinds(&d),
        [
            Heading(1),
            Heading(1),
            Blank,
            Heading(2),
            Heading(2),
            Blank,
            ItemStart,
            Rule,
            ItemStart,
            Text,
            Blank,
            Rule,
            Blank
        ]
    );
    assert_eq!(d.lines[9].depth, 1);
}

#[test]
fn ordered_items_and_what_cannot_interrupt_a_paragraph() {
    let d = doc("1. one\n2. two\n   - sub\n\nVersion\n2. not an item\n-\n\nx\n1. an item\n");
    assert_eq!(kinds(&d)[..3], [ItemStart, ItemStart, ItemStart]);
    assert_eq!(d.lines[2].depth, 2);
    // `-` alone under a paragraph is a setext underline, not an empty item
    assert_eq!(kinds(&d)[4..7], [Heading(2), Heading(2), Heading(2)]);
    assert_eq!(kinds(&d)[8..10], [Text, ItemStart]);
}

#[test]
fn indented_code_and_quotes() {
    let d = doc("para\n    lazy\n\n    code\n\n    more\n> ## quoted\n> text\n");
    assert_eq!(kinds(&d)[..6], [Text, Text, Blank, Code, Code, Code]);
    assert_eq!(d.code_blocks[0].lines, 3..6);
    assert_eq!(d.lines[6].kind, Heading(2));
    assert_eq!(d.content(6), "quoted");
    assert_eq!(d.lines[7].kind, Text);
}

#[test]
fn html_blocks() {
    let d = doc("<details>\n<summary>x</summary>\n\n- a\n<pending>\n\ntext\n<div>\n");
    assert_eq!(kinds(&d)[..3], [Html, Html, Blank]);
    assert_eq!(d.lines[3].kind, ItemStart);
    assert_eq!(
        d.lines[4].kind, Text,
        "a lone tag cannot interrupt a paragraph"
    );
    assert_eq!(d.lines[7].kind, Html, "a block tag can");
}

/// FORMATS.md "Markdown damage": the fence indented under a bullet, first content
/// line at column 0, the rest and the closer indented.
#[test]
fn indented_fence_under_an_item_stays_one_block() {
    let d = doc("## TEST_PLAN\n- Commands:\n  ```bash\ncargo test\n  cargo clippy\n  ```\n\n## VALIDATION_REPORTS\nVerdict: PASS\n");
    assert_eq!(
        kinds(&d),
        [
            Heading(2),
            ItemStart,
            CodeFence,
            Code,
            Code,
            CodeFence,
            Blank,
            Heading(2),
            Text,
            Blank
        ]
    );
    assert_eq!(d.code_blocks.len(), 1);
    assert_eq!(d.code_blocks[0].lines, 3..5);
    assert!(d.lines[2..6].iter().all(|l| l.depth == 1));
    assert_eq!(headings(&d), ["TEST_PLAN", "VALIDATION_REPORTS"]);
    assert!(d.issues.is_empty());
}

#[test]
fn mangled_opener_is_a_fence() {
    let d = doc("## TEST_PLAN\n`\u{8}ash\ncargo test\n`\n## NEXT\n");
    assert_eq!(
        kinds(&d),
        [Heading(2), CodeFence, Code, CodeFence, Heading(2), Blank]
    );
    assert_eq!(d.code_blocks[0].lang.as_deref(), Some("bash"));
    let d = doc("\u{1b}```rust\u{7}\nfn main() {}\n```\n");
    assert_eq!(kinds(&d)[..3], [CodeFence, Code, CodeFence]);
    assert_eq!(d.code_blocks[0].lang.as_deref(), Some("rust"));
}

#[test]
fn unclosed_fence_gives_way_to_the_next_heading() {
    let d =
        doc("## TEST_PLAN\n````bash\ncargo test\n# a shell comment\n## VALIDATION\n- Command: x\n");
    assert_eq!(
        kinds(&d),
        [
            Heading(2),
            CodeFence,
            Code,
            Code,
            Heading(2),
            ItemStart,
            Blank
        ]
    );
    assert_eq!(d.issues.len(), 1);
    assert_eq!(d.issues[0].code, "GOV041");
    assert_eq!(d.issues[0].line, Some(2));
    // a closed fence keeps its headings as code
    let d = doc("```md\n## inside\n```\n");
    assert_eq!(kinds(&d)[..3], [CodeFence, Code, CodeFence]);
    assert!(d.issues.is_empty());
}

#[test]
fn comments_are_not_content() {
    let d = doc("Verdict: FAIL\n<!--\n## VALIDATION\nVerdict: PASS\n-->\n- STATUS: Done <!-- Validated --> ok\n<!-- Verdict: PASS --> tail\n");
    assert_eq!(
        kinds(&d)[..7],
        [Text, Comment, Comment, Comment, Comment, ItemStart, Html]
    );
    assert!(!d.raw(3).contains("PASS"));
    assert_eq!(
        d.content(5).split_whitespace().collect::<Vec<_>>(),
        ["STATUS:", "Done", "ok"]
    );
    assert_eq!(d.raw(6).trim(), "tail");
    assert_eq!(d.original(3), "Verdict: PASS");
    assert!(headings(&d).is_empty());
}

#[test]
fn inline_comment_over_lines_of_one_paragraph() {
    let d = doc("Verdict: FAIL <!--\nVerdict: PASS\n--> end\n\nx <!--\n## Seen\n-->\n");
    assert_eq!(kinds(&d)[..3], [Text, Comment, Text]);
    assert_eq!(d.content(2), "end");
    // a heading breaks the paragraph: the `<!--` was literal text
    assert_eq!(d.lines[5].kind, Heading(2));
    assert_eq!(headings(&d), ["Seen"]);
}

#[test]
fn comments_inside_code_are_code() {
    let d = doc("```html\n<!-- kept -->\n```\nuse `<!--` here\n");
    assert_eq!(d.raw(1), "<!-- kept -->");
    assert_eq!(d.raw(3), "use `<!--` here");
}

#[test]
fn unclosed_comment_hides_the_rest_and_warns() {
    let d = doc("a\n<!-- open\n## H\n");
    assert_eq!(kinds(&d), [Text, Comment, Comment, Comment]);
    assert_eq!(d.issues[0].code, "GOV042");
}

#[test]
fn comment_lines_keep_the_list_open() {
    let d = doc("- IN_SCOPE_PATHS:\n  - a\n<!-- note -->\n  - b\n");
    assert_eq!(d.lines[3].depth, 2);
    assert_eq!(d.lines[2].kind, Comment);
}

#[test]
fn invisible_characters_are_blanked() {
    let d = doc("- STATUS: Done\u{200B}\n## VALI\u{202E}DATION\n");
    assert_eq!(d.content(0).trim_end(), "STATUS: Done");
    assert!(d.original(0).contains('\u{200B}'));
    assert_eq!(d.lines[1].kind, Heading(2));
}

#[test]
fn conflict_markers_are_their_own_kind() {
    let d = doc("## Done\n<<<<<<< HEAD\n- [WP-1-A]\n=======\n- [WP-1-B]\n>>>>>>> topic\n");
    assert_eq!(
        kinds(&d),
        [
            Heading(2),
            Conflict,
            ItemStart,
            Conflict,
            ItemStart,
            Conflict,
            Blank
        ]
    );
}

#[test]
fn cr_only_lines() {
    let d = doc("# T\r- a: 1\r- b: 2\r");
    assert_eq!(kinds(&d), [Heading(1), ItemStart, ItemStart, Blank]);
    assert_eq!(d.content(2), "b: 2");
}

#[test]
fn fence_in_an_item_line() {
    let d = doc("- ```bash\n  cargo test\n  ```\n- next\n");
    assert_eq!(kinds(&d), [CodeFence, Code, CodeFence, ItemStart, Blank]);
}

#[test]
fn tables_end_at_a_blank_line_or_block() {
    let d = doc("| a | b |\n|---|---|\n| 1 | 2 |\nno pipe\n- item\n\n| x |\nplain\n");
    assert_eq!(
        kinds(&d)[..8],
        [TableRow, TableRow, TableRow, TableRow, ItemStart, Blank, Text, Text]
    );
}

#[test]
fn hostile_shapes_stay_linear() {
    // many unclosed fences, comment openers and backtick runs: a quadratic reader
    // would take minutes here
    let mut s = String::new();
    for k in 0..20_000 {
        s.push_str(&format!(
            "````x{k}\n## h\nx <!-- y `{}\n",
            "`".repeat(k % 50)
        ));
    }
    let start = std::time::Instant::now();
    let d = doc(&s);
    assert_eq!(d.lines.len(), 60_001);
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
}
