//! Similarity of submissions, as MOSS measures it: each submission becomes a stream of
//! tokens (a small Python-aware tokenizer: comments and docstrings dropped, identifiers,
//! strings and numbers normalised, keywords and operators kept), k-grams of tokens are
//! hashed, and winnowing keeps the smallest hash of every window as a fingerprint. Two
//! submissions that share an unusual share of their fingerprints are reported, with the
//! lines where they match. Fingerprints that most of the class shares (the skeleton of
//! the task) are ignored.

use super::outputs::ClassView;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::Path;

/// Tokens per k-gram.
const K: usize = 6;
/// k-grams per winnowing window.
const WINDOW: usize = 4;
/// A pair is reported when it shares at least this part of the smaller fingerprint set...
const MIN_SHARE: f64 = 0.6;
/// ...and at least this many fingerprints.
const MIN_SHARED: usize = 8;
/// Lines between two matches that still make them one region.
const GAP: usize = 3;
/// The most pairs reported.
const MAX_PAIRS: usize = 50;

/// One token with the line it is on (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub line: usize,
}

/// Two similar submissions.
#[derive(Debug, Clone)]
pub struct Pair {
    pub first: String,
    pub second: String,
    /// Shared fingerprints over the fingerprints of the smaller submission.
    pub share: f64,
    pub shared: usize,
    /// The sources, for the side-by-side view.
    pub first_source: String,
    pub second_source: String,
    /// Matching line ranges (1-based, inclusive) in each source, pairwise.
    pub regions: Vec<((usize, usize), (usize, usize))>,
}

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// The normalised tokens of Python `source`.
pub fn tokenize(source: &str) -> Vec<Token> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens: Vec<Token> = Vec::new();
    let mut line = 1;
    let mut index = 0;
    // Whether the current logical line has produced a token yet (a string alone on its
    // line is a docstring or a bare expression: dropped).
    let mut line_start = true;
    let mut depth = 0usize;
    while index < chars.len() {
        let c = chars[index];
        if c == '\n' {
            line += 1;
            index += 1;
            if depth == 0 {
                line_start = true;
            }
            continue;
        }
        if c.is_whitespace() || c == '\\' {
            index += 1;
            continue;
        }
        if c == '#' {
            while index < chars.len() && chars[index] != '\n' {
                index += 1;
            }
            continue;
        }
        let start_line = line;
        // String literals, with their prefixes (r, b, f, u and pairs).
        let mut prefix_end = index;
        while prefix_end < chars.len()
            && prefix_end - index < 2
            && matches!(
                chars[prefix_end],
                'r' | 'R' | 'b' | 'B' | 'f' | 'F' | 'u' | 'U'
            )
        {
            prefix_end += 1;
        }
        if prefix_end < chars.len() && matches!(chars[prefix_end], '"' | '\'') {
            let quote = chars[prefix_end];
            let triple = chars.get(prefix_end + 1) == Some(&quote)
                && chars.get(prefix_end + 2) == Some(&quote);
            let mut cursor = prefix_end + if triple { 3 } else { 1 };
            loop {
                match chars.get(cursor) {
                    None => break,
                    Some('\\') => cursor += 2,
                    Some('\n') if !triple => break,
                    Some(&ch) if ch == quote => {
                        if !triple {
                            cursor += 1;
                            break;
                        }
                        if chars.get(cursor + 1) == Some(&quote)
                            && chars.get(cursor + 2) == Some(&quote)
                        {
                            cursor += 3;
                            break;
                        }
                        cursor += 1;
                    }
                    Some(_) => cursor += 1,
                }
            }
            line += chars[index..cursor.min(chars.len())]
                .iter()
                .filter(|ch| **ch == '\n')
                .count();
            index = cursor;
            // A string that starts a logical line and ends it is a docstring: dropped.
            let mut after = index;
            while after < chars.len() && matches!(chars[after], ' ' | '\t' | '\r') {
                after += 1;
            }
            let alone =
                line_start && (after >= chars.len() || chars[after] == '\n' || chars[after] == '#');
            if !alone {
                tokens.push(Token {
                    text: "S".into(),
                    line: start_line,
                });
                line_start = false;
            }
            continue;
        }
        line_start = false;
        if c.is_alphabetic() || c == '_' {
            let mut end = index;
            while end < chars.len() && (chars[end].is_alphanumeric() || chars[end] == '_') {
                end += 1;
            }
            let word: String = chars[index..end].iter().collect();
            let text = if KEYWORDS.contains(&word.as_str()) {
                word
            } else {
                "V".into()
            };
            tokens.push(Token { text, line });
            index = end;
            continue;
        }
        if c.is_ascii_digit()
            || (c == '.' && chars.get(index + 1).is_some_and(char::is_ascii_digit))
        {
            let mut end = index;
            while end < chars.len()
                && (chars[end].is_alphanumeric() || matches!(chars[end], '.' | '_'))
            {
                end += 1;
            }
            tokens.push(Token {
                text: "N".into(),
                line,
            });
            index = end;
            continue;
        }
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        let two: String = chars[index..(index + 2).min(chars.len())].iter().collect();
        let operator = if [
            "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "**", "//", "->", ":=", "<<", ">>",
        ]
        .contains(&two.as_str())
        {
            index += 2;
            two
        } else {
            index += 1;
            c.to_string()
        };
        tokens.push(Token {
            text: operator,
            line,
        });
    }
    tokens
}

/// Winnowing fingerprints: (hash, index of the k-gram's first token).
pub fn fingerprints(tokens: &[Token]) -> Vec<(u64, usize)> {
    if tokens.len() < K {
        return Vec::new();
    }
    let hashes: Vec<u64> = tokens
        .windows(K)
        .map(|gram| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            for token in gram {
                token.text.hash(&mut hasher);
            }
            hasher.finish()
        })
        .collect();
    let mut chosen: Vec<(u64, usize)> = Vec::new();
    let windows = hashes.len().saturating_sub(WINDOW - 1).max(1);
    for start in 0..windows {
        let end = (start + WINDOW).min(hashes.len());
        // The rightmost smallest hash of the window.
        let mut best = start;
        for position in start..end {
            if hashes[position] <= hashes[best] {
                best = position;
            }
        }
        if chosen.last().map(|(_, position)| *position) != Some(best) {
            chosen.push((hashes[best], best));
        }
    }
    chosen
}

/// The Python source of a submission: the file, or the non-test modules of the folder.
fn source_of(path: &Path) -> Option<String> {
    if path.is_file() {
        return std::fs::read_to_string(path).ok();
    }
    let mut files = Vec::new();
    super::discover::walk(path, &mut files).ok()?;
    let mut text = String::new();
    for (file, _) in files {
        let name = file.file_name()?.to_string_lossy().into_owned();
        if name.ends_with(".py")
            && !name.starts_with("test_")
            && !name.ends_with("_test.py")
            && name != "conftest.py"
        {
            text.push_str(&std::fs::read_to_string(&file).ok()?);
            text.push('\n');
        }
    }
    (!text.is_empty()).then_some(text)
}

/// The pairs of graded submissions of `view` that are unusually similar, most similar
/// first.
pub fn similar_pairs(view: &ClassView) -> Vec<Pair> {
    let mut sources: Vec<(String, String)> = Vec::new();
    for student in &view.students {
        let Some(report) = &student.report else {
            continue;
        };
        let path = report
            .submission
            .clone()
            .unwrap_or_else(|| student.source.clone());
        if let Some(source) = source_of(Path::new(&path)) {
            sources.push((student.id.clone(), source));
        }
    }
    let prints: Vec<Printed> = sources
        .iter()
        .map(|(_, source)| {
            let tokens = tokenize(source);
            let prints = fingerprints(&tokens);
            (tokens, prints)
        })
        .collect();
    // Which submissions hold each fingerprint.
    let mut holders: HashMap<u64, Vec<usize>> = HashMap::new();
    for (index, (_, prints)) in prints.iter().enumerate() {
        let distinct: HashSet<u64> = prints.iter().map(|(hash, _)| *hash).collect();
        for hash in distinct {
            holders.entry(hash).or_default().push(index);
        }
    }
    // The skeleton of the task: fingerprints more than half the class shares.
    let common_above = (sources.len() / 2).max(2);
    let mut shared: HashMap<(usize, usize), usize> = HashMap::new();
    for list in holders.values() {
        if list.len() > common_above || list.len() < 2 {
            continue;
        }
        for (position, first) in list.iter().enumerate() {
            for second in &list[position + 1..] {
                *shared.entry((*first, *second)).or_default() += 1;
            }
        }
    }
    let distinct_count = |index: usize| {
        prints[index]
            .1
            .iter()
            .map(|(hash, _)| *hash)
            .filter(|hash| holders[hash].len() <= common_above)
            .collect::<HashSet<u64>>()
            .len()
    };
    let mut pairs: Vec<Pair> = shared
        .into_iter()
        .filter_map(|((first, second), count)| {
            let smaller = distinct_count(first).min(distinct_count(second)).max(1);
            let share = count as f64 / smaller as f64;
            (count >= MIN_SHARED && share >= MIN_SHARE).then(|| Pair {
                first: sources[first].0.clone(),
                second: sources[second].0.clone(),
                share: share.min(1.0),
                shared: count,
                first_source: sources[first].1.clone(),
                second_source: sources[second].1.clone(),
                regions: regions(&prints[first], &prints[second], &holders, common_above),
            })
        })
        .collect();
    pairs.sort_by(|a, b| {
        b.share
            .total_cmp(&a.share)
            .then(b.shared.cmp(&a.shared))
            .then(a.first.cmp(&b.first))
    });
    pairs.truncate(MAX_PAIRS);
    pairs
}

type Printed = (Vec<Token>, Vec<(u64, usize)>);

/// The line ranges where two submissions match: runs of shared fingerprints in order.
fn regions(
    first: &Printed,
    second: &Printed,
    holders: &HashMap<u64, Vec<usize>>,
    common_above: usize,
) -> Vec<((usize, usize), (usize, usize))> {
    let mut positions: HashMap<u64, usize> = HashMap::new();
    for (hash, position) in &second.1 {
        positions.entry(*hash).or_insert(*position);
    }
    let mut matches: Vec<((usize, usize), (usize, usize))> = Vec::new();
    for (hash, position) in &first.1 {
        if holders
            .get(hash)
            .is_some_and(|list| list.len() > common_above)
        {
            continue;
        }
        let Some(other) = positions.get(hash) else {
            continue;
        };
        let lines = |tokens: &[Token], at: usize| {
            let end = (at + K - 1).min(tokens.len() - 1);
            (tokens[at].line, tokens[end].line)
        };
        let a = lines(&first.0, *position);
        let b = lines(&second.0, *other);
        match matches.last_mut() {
            // Fingerprints are sparse: a gap of a few lines in both sources is one region.
            Some((last_a, last_b))
                if a.0 <= last_a.1 + GAP && b.0 <= last_b.1 + GAP && b.1 + GAP >= last_b.1 =>
            {
                last_a.1 = last_a.1.max(a.1);
                last_b.1 = last_b.1.max(b.1);
            }
            _ => matches.push((a, b)),
        }
    }
    matches
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(source: &str) -> Vec<String> {
        tokenize(source)
            .into_iter()
            .map(|token| token.text)
            .collect()
    }

    #[test]
    fn renaming_and_comments_do_not_change_the_tokens() {
        let first =
            "def area(side):\n    \"\"\"Docstring.\"\"\"\n    return side * side  # square\n";
        let second = "def f(x):\n    # nothing to see\n    return x * x\n";
        assert_eq!(texts(first), texts(second));
        assert_eq!(
            texts(first),
            ["def", "V", "(", "V", ")", ":", "return", "V", "*", "V"]
        );
        assert_eq!(texts("x = 'a' + 12"), ["V", "=", "S", "+", "N"]);
    }

    #[test]
    fn winnowing_keeps_a_fingerprint_per_window() {
        let tokens = tokenize(&"a = b + c * 2\n".repeat(20));
        let prints = fingerprints(&tokens);
        assert!(!prints.is_empty());
        let grams = tokens.len() - K + 1;
        // Every window of WINDOW k-grams holds a chosen position.
        for start in 0..grams - WINDOW + 1 {
            assert!(
                prints
                    .iter()
                    .any(|(_, p)| *p >= start && *p < start + WINDOW)
            );
        }
    }
}
