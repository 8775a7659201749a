//! Markdown table rows split the way people mean them: a `|` inside inline code or
//! escaped as `\|` belongs to the cell. (GFM itself splits inside code spans, which
//! breaks real signature-audit rows.)

/// Splits one table row into trimmed cells. Leading and trailing pipes are optional.
pub fn split_row(line: &str) -> Vec<String> {
    let row = line.trim();
    let bytes = row.as_bytes();
    let mut cuts = Vec::new(); // byte positions of cell-separating pipes
    let mut tick_run = 0usize; // length of the backtick run that opened a code span
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if tick_run == 0 && bytes.get(i + 1) == Some(&b'|') => i += 1,
            b'`' => {
                let n = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                if tick_run == 0 {
                    tick_run = n;
                } else if tick_run == n {
                    tick_run = 0;
                }
                i += n - 1;
            }
            b'|' if tick_run == 0 => cuts.push(i),
            _ => {}
        }
        i += 1;
    }
    let mut cells = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for &c in cuts.iter().chain(std::iter::once(&bytes.len())) {
        cells.push(&row[start..c]);
        start = c + 1;
    }
    if row.starts_with('|') && !cells.is_empty() {
        cells.remove(0);
    }
    let closing_pipe = cuts.last() == Some(&(bytes.len().wrapping_sub(1)));
    if closing_pipe && cells.len() > 1 && cells.last().is_some_and(|c| c.trim().is_empty()) {
        cells.pop();
    }
    cells
        .into_iter()
        .map(|c| {
            let c = c.trim();
            if c.contains("\\|") && !c.contains('`') {
                c.replace("\\|", "|")
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Whether a line is a table delimiter row such as `|---|:--:|`.
pub fn is_delimiter_row(line: &str) -> bool {
    let cells = split_row(line);
    !cells.is_empty()
        && cells.iter().all(|c| {
            let c = c.trim();
            !c.is_empty() && c.trim_matches(':').chars().all(|ch| ch == '-') && c.contains('-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipes_in_code_and_escaped() {
        assert_eq!(split_row("| a | `x|y` | b\\|c |"), ["a", "`x|y`", "b|c"]);
        assert_eq!(split_row("a | b"), ["a", "b"]);
        assert_eq!(split_row("| a | | c |"), ["a", "", "c"]);
    }

    #[test]
    fn delimiter_rows() {
        assert!(is_delimiter_row("|---|:--:|--:|"));
        assert!(!is_delimiter_row("| a | b |"));
    }
}
