//! Markdown table rows split the way people mean them: a `|` inside inline code or
//! escaped as `\|` belongs to the cell. (GFM itself splits inside code spans, which
//! breaks real signature-audit rows.)

/// Splits one table row into trimmed cells. Leading and trailing pipes are optional.
pub fn split_row(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = line.trim().chars().peekable();
    let mut tick_run = 0usize; // length of the backtick run that opened a code span
    while let Some(c) = chars.next() {
        match c {
            '\\' if tick_run == 0 && chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '`' => {
                let mut n = 1;
                while chars.peek() == Some(&'`') {
                    chars.next();
                    n += 1;
                }
                if tick_run == 0 {
                    tick_run = n;
                } else if tick_run == n {
                    tick_run = 0;
                }
                cell.extend(std::iter::repeat_n('`', n));
            }
            '|' if tick_run == 0 => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    cells.push(cell);
    let trimmed = line.trim();
    if trimmed.starts_with('|') && !cells.is_empty() {
        cells.remove(0);
    }
    if trimmed.ends_with('|')
        && !trimmed.ends_with("\\|")
        && cells.len() > 1
        && cells.last().is_some_and(|c| c.trim().is_empty())
    {
        cells.pop();
    }
    cells.into_iter().map(|c| c.trim().to_string()).collect()
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
