//! Source languages, recognised by file extension, and the comment and string syntax
//! each one needs for code-aware matching.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    Rust,
    TypeScript,
    JavaScript,
    Python,
    Go,
    C,
    Cpp,
    CSharp,
    Java,
    Kotlin,
    Swift,
    Shell,
    Ruby,
    Sql,
    Lua,
}

/// How a language writes comments and strings: what the lexer needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// `//`, nested `/* */`, raw strings `r#"…"#`, char literals vs lifetimes.
    Rust,
    /// `//`, `/* */`, `"…"` and `'…'` (single-line), backtick strings when `backtick`.
    CLike { backtick: bool, triple_quote: bool },
    /// JavaScript and TypeScript: C-like with backtick templates, plus regular
    /// expression literals (`/["']/`), whose quotes are not strings.
    Js,
    /// `#` comments, `'…'` / `"…"` strings, Python-style triple quotes.
    Hash { triple_quote: bool },
    /// `--` comments (and `/* */`), `'…'` strings.
    Dash,
}

const TABLE: &[(Lang, &str, &[&str])] = &[
    (Lang::Rust, "rust", &["rs"]),
    (Lang::TypeScript, "typescript", &["ts", "tsx", "mts", "cts"]),
    (Lang::JavaScript, "javascript", &["js", "jsx", "mjs", "cjs"]),
    (Lang::Python, "python", &["py", "pyi"]),
    (Lang::Go, "go", &["go"]),
    (Lang::C, "c", &["c", "h"]),
    (Lang::Cpp, "cpp", &["cc", "cpp", "cxx", "hpp", "hh", "hxx"]),
    (Lang::CSharp, "csharp", &["cs"]),
    (Lang::Java, "java", &["java"]),
    (Lang::Kotlin, "kotlin", &["kt", "kts"]),
    (Lang::Swift, "swift", &["swift"]),
    (Lang::Shell, "shell", &["sh", "bash", "zsh"]),
    (Lang::Ruby, "ruby", &["rb"]),
    (Lang::Sql, "sql", &["sql"]),
    (Lang::Lua, "lua", &["lua"]),
];

impl Lang {
    /// The language of a path, from its extension.
    pub fn of_path(path: &str) -> Option<Lang> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let (_, ext) = name.rsplit_once('.')?;
        TABLE
            .iter()
            .find(|(_, _, exts)| exts.iter().any(|e| e.eq_ignore_ascii_case(ext)))
            .map(|(l, _, _)| *l)
    }

    pub fn from_name(name: &str) -> Option<Lang> {
        let name = name.trim().to_ascii_lowercase();
        let alias = match name.as_str() {
            "ts" => "typescript",
            "js" => "javascript",
            "c++" => "cpp",
            "c#" => "csharp",
            "sh" | "bash" => "shell",
            "py" => "python",
            "rs" => "rust",
            other => other,
        };
        TABLE
            .iter()
            .find(|(_, n, _)| *n == alias)
            .map(|(l, _, _)| *l)
    }

    pub fn name(self) -> &'static str {
        TABLE
            .iter()
            .find(|(l, _, _)| *l == self)
            .map_or("unknown", |(_, n, _)| n)
    }

    pub fn names() -> Vec<&'static str> {
        TABLE.iter().map(|(_, n, _)| *n).collect()
    }

    /// Every extension gov recognises (the benchmark gives ripgrep the same list).
    pub fn extensions() -> Vec<&'static str> {
        TABLE
            .iter()
            .flat_map(|(_, _, e)| e.iter().copied())
            .collect()
    }

    pub fn syntax(self) -> Syntax {
        match self {
            Lang::Rust => Syntax::Rust,
            Lang::TypeScript | Lang::JavaScript => Syntax::Js,
            Lang::Go => Syntax::CLike {
                backtick: true,
                triple_quote: false,
            },
            Lang::Kotlin | Lang::Swift => Syntax::CLike {
                backtick: false,
                triple_quote: true,
            },
            Lang::C | Lang::Cpp | Lang::CSharp | Lang::Java => Syntax::CLike {
                backtick: false,
                triple_quote: false,
            },
            Lang::Python => Syntax::Hash { triple_quote: true },
            Lang::Shell | Lang::Ruby => Syntax::Hash {
                triple_quote: false,
            },
            Lang::Sql | Lang::Lua => Syntax::Dash,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_extension() {
        assert_eq!(Lang::of_path("src/lib.rs"), Some(Lang::Rust));
        assert_eq!(Lang::of_path("app/src/App.TSX"), Some(Lang::TypeScript));
        assert_eq!(Lang::of_path("README.md"), None);
        assert_eq!(Lang::of_path("Makefile"), None);
        assert_eq!(Lang::from_name("TS"), Some(Lang::TypeScript));
        assert_eq!(Lang::from_name("cobol"), None);
    }
}
