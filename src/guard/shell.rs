//! The files a shell command line would write, read from its text and never run:
//! output redirections (`>`, `>>`, `>|`, `&>`, `2>`), and the file arguments of
//! `tee`, `cp` (its destination), `mv`, `rm` and `touch`. A target decided at run
//! time (`> $F`, `> *.rs`, `> "$(pick)"`) is reported as unreadable, never guessed.

/// What a command line writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShellWrites {
    /// Literal paths, as written (unquoted).
    pub paths: Vec<String>,
    /// Targets the text does not fix (a variable, a glob, a substitution), or a
    /// reason the line could not be read at all.
    pub unreadable: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word {
        text: String,
        dynamic: bool,
    },
    /// An output redirection: the next word is its target.
    Out,
    /// A here-document (`<<`, `<<-`): the next word is its delimiter.
    HereDoc {
        strip_tabs: bool,
    },
    /// `<`, `<<<` and descriptor duplications: the next word is not written.
    In,
    Sep,
}

/// Reads a command line.
pub fn writes(line: &str) -> ShellWrites {
    let mut out = ShellWrites::default();
    let tokens = match tokenize(line) {
        Ok(t) => t,
        Err(reason) => {
            out.unreadable.push(reason.to_string());
            return out;
        }
    };
    let mut command: Vec<(String, bool)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Out => {
                match tokens.get(i + 1) {
                    Some(Token::Word { text, dynamic }) => push(&mut out, text, *dynamic),
                    _ => out
                        .unreadable
                        .push("a redirection without a target".to_string()),
                }
                i += 2;
                continue;
            }
            Token::In | Token::HereDoc { .. } => {
                i += 2;
                continue;
            }
            Token::Sep => {
                command_writes(&command, &mut out);
                command.clear();
            }
            Token::Word { text, dynamic } => command.push((text.clone(), *dynamic)),
        }
        i += 1;
    }
    command_writes(&command, &mut out);
    out
}

fn push(out: &mut ShellWrites, text: &str, dynamic: bool) {
    if dynamic {
        out.unreadable.push(text.to_string());
    } else {
        out.paths.push(text.to_string());
    }
}

/// The file arguments of the commands known to write them.
fn command_writes(words: &[(String, bool)], out: &mut ShellWrites) {
    // leading `VAR=value` assignments and wrappers that run the next word
    let mut rest = words.iter().skip_while(|(w, _)| {
        is_assignment(w)
            || matches!(
                w.as_str(),
                "sudo" | "command" | "env" | "exec" | "nohup" | "time"
            )
    });
    let Some((name, _)) = rest.next() else {
        return;
    };
    let name = name.rsplit('/').next().unwrap_or(name);
    let args: Vec<&(String, bool)> = rest.filter(|(w, _)| !w.starts_with('-')).collect();
    let targets: Vec<&(String, bool)> = match name {
        "tee" | "rm" | "touch" | "mv" | "truncate" | "mkdir" | "rmdir" | "unlink" => args,
        "cp" | "install" | "ln" => args.last().copied().into_iter().collect(),
        _ => return,
    };
    for (w, dynamic) in targets {
        push(out, w, *dynamic);
    }
}

fn is_assignment(w: &str) -> bool {
    w.split_once('=').is_some_and(|(k, _)| {
        !k.is_empty()
            && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !k.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// Splits a line into words, operators and separators, honouring quotes, escapes,
/// comments and here-document bodies.
fn tokenize(line: &str) -> Result<Vec<Token>, &'static str> {
    let chars: Vec<char> = line.chars().collect();
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut dynamic = false;
    let mut heredocs: Vec<(String, bool)> = Vec::new();
    let mut i = 0;
    macro_rules! end_word {
        () => {
            if in_word {
                let text = std::mem::take(&mut word);
                // a here-document delimiter is the word right after `<<`
                if let Some(Token::HereDoc { strip_tabs }) = tokens.last() {
                    heredocs.push((text.clone(), *strip_tabs));
                }
                tokens.push(Token::Word { text, dynamic });
                in_word = false;
                dynamic = false;
            }
        };
    }
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\'' => {
                in_word = true;
                let close = chars[i + 1..]
                    .iter()
                    .position(|&c| c == '\'')
                    .ok_or("an unterminated single quote")?;
                word.extend(&chars[i + 1..i + 1 + close]);
                i += close + 2;
                continue;
            }
            '"' => {
                in_word = true;
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("an unterminated double quote"),
                        Some('"') => break,
                        Some('\\') if i + 1 < chars.len() => {
                            word.push(chars[i + 1]);
                            i += 2;
                            continue;
                        }
                        Some(&c) => {
                            if c == '$' || c == '`' {
                                dynamic = true;
                            }
                            word.push(c);
                        }
                    }
                    i += 1;
                }
                i += 1;
                continue;
            }
            '\\' => {
                in_word = true;
                if let Some(&n) = chars.get(i + 1) {
                    if n != '\n' {
                        word.push(n);
                    }
                }
                i += 2;
                continue;
            }
            '#' if !in_word => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            ' ' | '\t' => end_word!(),
            '\n' => {
                end_word!();
                tokens.push(Token::Sep);
                i += 1;
                // here-document bodies are text, not commands
                for (delim, strip) in std::mem::take(&mut heredocs) {
                    loop {
                        let start = i;
                        while i < chars.len() && chars[i] != '\n' {
                            i += 1;
                        }
                        let body: String = chars[start..i].iter().collect();
                        i += 1;
                        let body = if strip {
                            body.trim_start_matches('\t')
                        } else {
                            &body
                        };
                        if body == delim || i >= chars.len() {
                            break;
                        }
                    }
                }
                continue;
            }
            ';' | '|' | '(' | ')' => {
                end_word!();
                tokens.push(Token::Sep);
            }
            '&' => {
                if chars.get(i + 1) == Some(&'>') {
                    // `&>` and `&>>`: stdout and stderr to a file
                    end_word!();
                    i += 2;
                    if chars.get(i) == Some(&'>') {
                        i += 1;
                    }
                    tokens.push(Token::Out);
                    continue;
                }
                end_word!();
                tokens.push(Token::Sep);
            }
            '>' => {
                // `2>`: the digits before are a descriptor, not a word
                if in_word && !dynamic && word.chars().all(|c| c.is_ascii_digit()) {
                    word.clear();
                    in_word = false;
                }
                end_word!();
                i += 1;
                if matches!(chars.get(i), Some('>') | Some('|')) {
                    i += 1;
                }
                if chars.get(i) == Some(&'&') {
                    // `>&2`, `>&-`: a descriptor duplication writes no file
                    i += 1;
                    tokens.push(Token::In);
                } else {
                    tokens.push(Token::Out);
                }
                continue;
            }
            '<' => {
                if in_word && word.chars().all(|c| c.is_ascii_digit()) {
                    word.clear();
                    in_word = false;
                }
                end_word!();
                let mut n = 0;
                while chars.get(i) == Some(&'<') {
                    n += 1;
                    i += 1;
                }
                if n == 2 {
                    let strip = chars.get(i) == Some(&'-');
                    if strip {
                        i += 1;
                    }
                    tokens.push(Token::HereDoc { strip_tabs: strip });
                } else {
                    if chars.get(i) == Some(&'&') || chars.get(i) == Some(&'>') {
                        i += 1;
                    }
                    tokens.push(Token::In);
                }
                continue;
            }
            '$' | '`' | '*' | '?' | '[' | '{' => {
                dynamic = true;
                in_word = true;
                word.push(c);
            }
            '~' if !in_word => {
                dynamic = true;
                in_word = true;
                word.push(c);
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
        i += 1;
    }
    if in_word {
        tokens.push(Token::Word {
            text: word,
            dynamic,
        });
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(line: &str) -> Vec<String> {
        let w = writes(line);
        assert!(w.unreadable.is_empty(), "{line}: {:?}", w.unreadable);
        w.paths
    }

    #[test]
    fn redirections() {
        assert_eq!(paths("echo hi > out.txt"), ["out.txt"]);
        assert_eq!(paths("echo hi>out.txt"), ["out.txt"]);
        assert_eq!(paths("echo hi >> 'a b.txt'"), ["a b.txt"]);
        assert_eq!(paths("cmd 2> err.log 1>out.log"), ["err.log", "out.log"]);
        assert_eq!(paths("cmd &> all.log"), ["all.log"]);
        assert_eq!(paths("cmd >| forced"), ["forced"]);
        assert_eq!(paths("cmd 2>&1 | grep x"), Vec::<String>::new());
        assert_eq!(paths("cmd < in.txt"), Vec::<String>::new());
        assert_eq!(paths("echo '>' not-a-target"), Vec::<String>::new());
        assert_eq!(paths("echo \"a > b\""), Vec::<String>::new());
        assert_eq!(paths("echo x # > comment"), Vec::<String>::new());
        assert_eq!(paths("a && b > one; c || d >> two"), ["one", "two"]);
        assert_eq!(paths("echo $(echo x > inner)"), ["inner"]);
    }

    #[test]
    fn writing_commands() {
        assert_eq!(
            paths("echo x | tee -a log.txt other.txt"),
            ["log.txt", "other.txt"]
        );
        assert_eq!(paths("cp a.rs b.rs"), ["b.rs"]);
        assert_eq!(paths("mv a.rs b.rs"), ["a.rs", "b.rs"]);
        assert_eq!(paths("sudo rm -f x.rs"), ["x.rs"]);
        assert_eq!(paths("FOO=1 touch new.rs"), ["new.rs"]);
        assert_eq!(paths("/usr/bin/tee f"), ["f"]);
        assert_eq!(paths("cargo test"), Vec::<String>::new());
    }

    #[test]
    fn here_documents_are_not_commands() {
        assert_eq!(
            paths(
                "cat > src/a.rs <<'EOF'\nlet x = a > b;\necho > nope\nEOF\necho done > after.txt"
            ),
            ["src/a.rs", "after.txt"]
        );
        assert_eq!(paths("cat <<-END > f\n\tx > y\n\tEND"), ["f"]);
    }

    #[test]
    fn dynamic_targets_are_unreadable() {
        for line in [
            "echo x > $F",
            "echo x > \"$HOME/f\"",
            "echo > *.rs",
            "echo > `pick`",
            "echo > ~/x",
            "tee $(pick)",
        ] {
            let w = writes(line);
            assert!(!w.unreadable.is_empty(), "{line}");
        }
        assert!(!writes("echo 'unterminated > x").unreadable.is_empty());
        assert!(!writes("echo x >").unreadable.is_empty());
    }
}
