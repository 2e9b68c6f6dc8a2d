//! `# noqa` suppression comments, read the way ruff reads them.
//!
//! A directive is a `#`, optional whitespace and `noqa` in any case, anywhere in a comment (so
//! `# type: ignore  # noqa: PF001` counts). After `noqa` comes either nothing, another `#` or whitespace
//! not followed by `:` (a blanket `# noqa` that suppresses every finding on its line), or `:` with rule
//! codes (`PF001`: uppercase letters then digits) separated by commas and/or whitespace; the first word
//! that is not a code ends the list, so a remark may follow (`# noqa: PF001 the pool is fork-only`).
//!
//! As in ruff, a malformed directive suppresses nothing: `noqa` glued to more text (`# noqaxyz`,
//! `# noqa; PF001`), a `# noqa:` without a single valid code (`# noqa:`, `# noqa: pf001`), or a code with
//! a bad suffix (`# noqa: PF001x`). Text that merely contains `noqa` (`# data from snoqalmie`) is no
//! directive at all.
//!
//! A file-level `# pickfix: noqa` (or `# pickfix: noqa: PF001`), like ruff's `# ruff: noqa`, anywhere in
//! the file suppresses every finding (of those rules) in it.

use ruff_source_file::LineRanges;
use ruff_text_size::{TextRange, TextSize};

/// A well-formed `noqa` directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Directive<'a> {
    /// `# noqa`: every finding on the line.
    All,
    /// `# noqa: PF001, PF002`: findings of these rules only.
    Codes(Vec<&'a str>),
}

impl Directive<'_> {
    /// Whether the directive suppresses findings of the rule with this code (codes match exactly).
    pub fn suppresses(&self, code: &str) -> bool {
        match self {
            Directive::All => true,
            Directive::Codes(codes) => codes.contains(&code),
        }
    }
}

/// Why a comment that starts a `noqa` directive does not make a valid one; such a comment suppresses
/// nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformed {
    /// `noqa` is followed by something other than `:`, whitespace, `#` or the end (`# noqa; PF001`).
    Suffix,
    /// `# noqa:` with no valid code after it.
    MissingCodes,
    /// A code runs into other text (`# noqa: PF001x`, `# noqa: PF001PF`).
    CodeSuffix,
}

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Malformed::Suffix => "expected `:` followed by rule codes after `noqa`",
            Malformed::MissingCodes => "expected rule codes after `noqa:` (e.g. `# noqa: PF001, PF002`)",
            Malformed::CodeSuffix => "expected a code of uppercase letters followed by digits (e.g. `PF001`)",
        })
    }
}

/// The directive in one comment (the text of a comment token, `#` included), if it holds one.
pub fn parse(comment: &str) -> Result<Option<Directive<'_>>, Malformed> {
    let mut rest = comment;
    while let Some(hash) = rest.find('#') {
        rest = rest[hash + 1..].trim_start();
        if let Some(after) = strip_noqa(rest) {
            return after_noqa(after).map(Some);
        }
    }
    Ok(None)
}

/// `text` after a leading `noqa`, in any case.
fn strip_noqa(text: &str) -> Option<&str> {
    let word = text.get(..4)?;
    word.eq_ignore_ascii_case("noqa").then(|| &text[4..])
}

/// What follows `noqa` decides between a blanket directive and a list of codes.
fn after_noqa(text: &str) -> Result<Directive<'_>, Malformed> {
    match text.chars().next() {
        None | Some('#') => Ok(Directive::All),
        Some(':') => codes(&text[1..]),
        Some(c) if c.is_whitespace() => match text.trim_start().strip_prefix(':') {
            Some(list) => codes(list),
            None => Ok(Directive::All),
        },
        Some(_) => Err(Malformed::Suffix),
    }
}

/// The codes after `noqa:`.
fn codes(text: &str) -> Result<Directive<'_>, Malformed> {
    let mut found = Vec::new();
    let mut rest = text;
    // The previous code ran straight into this one (`PF001PF002`): tolerated, but then what follows must
    // be a code, not a remark.
    let mut glued = false;
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix(',') {
            rest = after;
            continue;
        }
        let letters = rest.bytes().take_while(u8::is_ascii_uppercase).count();
        let digits = rest[letters..].bytes().take_while(u8::is_ascii_digit).count();
        if letters == 0 {
            // The end, a new comment, or a remark.
            break;
        }
        if digits == 0 {
            if glued {
                return Err(Malformed::CodeSuffix);
            }
            // A remark that starts with a capital (`# noqa: PF001 Needed for fork`).
            break;
        }
        let (code, after) = rest.split_at(letters + digits);
        found.push(code);
        rest = after;
        glued = match rest.chars().next() {
            None => break,
            Some(',') => {
                rest = &rest[1..];
                false
            }
            Some(c) if c.is_whitespace() || c == '#' => false,
            Some(c) if c.is_ascii_uppercase() => true,
            Some(_) => return Err(Malformed::CodeSuffix),
        };
    }
    if found.is_empty() { Err(Malformed::MissingCodes) } else { Ok(Directive::Codes(found)) }
}

/// The file-level directive in one comment: `# pickfix: noqa` (every finding in the file) or
/// `# pickfix: noqa: PF001, PF002` (findings of these rules), like ruff's `# ruff: noqa`. It must start
/// the comment (`pickfix` and `noqa` in any case); the codes follow the rules of [`parse`]. A malformed
/// one (`# pickfix: noqa: pf001`) suppresses nothing.
pub fn parse_file_level(comment: &str) -> Result<Option<Directive<'_>>, Malformed> {
    let Some(rest) = comment.strip_prefix('#') else { return Ok(None) };
    let rest = rest.trim_start();
    let Some(word) = rest.get(..7).filter(|word| word.eq_ignore_ascii_case("pickfix")) else { return Ok(None) };
    let Some(rest) = rest[word.len()..].trim_start().strip_prefix(':') else { return Ok(None) };
    match strip_noqa(rest.trim_start()) {
        Some(after) => after_noqa(after).map(Some),
        None => Ok(None),
    }
}

/// The well-formed file-level directives among the file's comments (see [`parse_file_level`]): a
/// finding is suppressed everywhere in the file when one of them [suppresses](Directive::suppresses)
/// its rule.
pub fn file_level<'t>(text: &'t str, comments: &[TextRange]) -> Vec<Directive<'t>> {
    comments.iter().filter_map(|comment| parse_file_level(&text[*comment]).ok().flatten()).collect()
}

/// Whether a comment on the line holding `offset` suppresses findings of the rule `code`. `comments` are
/// the ranges of the file's comment tokens, sorted by offset. `Err`: nothing suppresses them, and the
/// line holds a malformed directive, which users should hear about (ruff warns too).
pub fn is_suppressed(text: &str, comments: &[TextRange], offset: TextSize, code: &str) -> Result<bool, Malformed> {
    let line = TextRange::new(text.line_start(offset), text.line_end(offset));
    let first = comments.partition_point(|c| c.start() < line.start());
    let mut malformed = None;
    for comment in comments[first..].iter().take_while(|c| c.end() <= line.end()) {
        match parse(&text[*comment]) {
            Ok(Some(directive)) if directive.suppresses(code) => return Ok(true),
            Ok(_) => {}
            Err(why) => malformed = malformed.or(Some(why)),
        }
    }
    malformed.map_or(Ok(false), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suppresses(comment: &str, code: &str) -> bool {
        parse(comment).is_ok_and(|directive| directive.is_some_and(|d| d.suppresses(code)))
    }

    #[test]
    fn a_word_containing_noqa_is_no_directive() {
        assert_eq!(parse("# data from snoqalmie"), Ok(None));
        assert!(!suppresses("# data from snoqalmie", "PF001"));
        assert_eq!(parse("# a plain remark"), Ok(None));
    }

    #[test]
    fn blanket_noqa_in_any_case() {
        for comment in ["# noqa", "#noqa", "# NOQA", "# NoQa", "# noqa   ", "# noqa because", "# noqa# remark"] {
            assert_eq!(parse(comment), Ok(Some(Directive::All)), "{comment}");
            assert!(suppresses(comment, "PF001"), "{comment}");
        }
    }

    #[test]
    fn codes_separated_by_commas_and_or_whitespace() {
        let both = Ok(Some(Directive::Codes(vec!["PF001", "PF002"])));
        for comment in [
            "# noqa: PF001, PF002",
            "# noqa:PF001 PF002",
            "# noqa:PF001,PF002",
            "# noqa : PF001 ,, PF002",
            "# NOQA: PF001 PF002",
        ] {
            assert_eq!(parse(comment), both, "{comment}");
            assert!(suppresses(comment, "PF001") && suppresses(comment, "PF002"), "{comment}");
        }
    }

    #[test]
    fn codes_suppress_only_their_rules() {
        assert!(suppresses("# noqa: PF002", "PF002"));
        assert!(!suppresses("# noqa: PF002", "PF001"));
        assert!(!suppresses("# noqa: PF0011", "PF001"));
    }

    #[test]
    fn a_directive_may_follow_other_comment_text() {
        assert_eq!(parse("# type: ignore # noqa: PF001"), Ok(Some(Directive::Codes(vec!["PF001"]))));
        assert!(suppresses("# type: ignore # noqa: PF001", "PF001"));
        assert!(suppresses("# see #12 # noqa", "PF003"));
    }

    #[test]
    fn a_remark_may_follow_the_codes() {
        assert_eq!(parse("# noqa: PF001 the pool is fork-only"), Ok(Some(Directive::Codes(vec!["PF001"]))));
        assert_eq!(parse("# noqa: PF001 Needed"), Ok(Some(Directive::Codes(vec!["PF001"]))));
        assert_eq!(parse("# noqa: PF001# remark"), Ok(Some(Directive::Codes(vec!["PF001"]))));
        assert_eq!(parse("# noqa: PF001PF002"), Ok(Some(Directive::Codes(vec!["PF001", "PF002"]))));
    }

    #[test]
    fn malformed_directives_suppress_nothing() {
        assert_eq!(parse("# noqaxyz"), Err(Malformed::Suffix));
        assert_eq!(parse("# noqa; PF001"), Err(Malformed::Suffix));
        assert_eq!(parse("# noqa:"), Err(Malformed::MissingCodes));
        assert_eq!(parse("# noqa: "), Err(Malformed::MissingCodes));
        assert_eq!(parse("# noqa: pf001"), Err(Malformed::MissingCodes));
        assert_eq!(parse("# noqa: because"), Err(Malformed::MissingCodes));
        assert_eq!(parse("# noqa: PF001x"), Err(Malformed::CodeSuffix));
        assert_eq!(parse("# noqa: PF001PF"), Err(Malformed::CodeSuffix));
        for comment in ["# noqaxyz", "# noqa:", "# noqa: pf001", "# noqa: PF001x"] {
            assert!(!suppresses(comment, "PF001"), "{comment}");
        }
    }

    #[test]
    fn file_level_directives() {
        assert_eq!(parse_file_level("# pickfix: noqa"), Ok(Some(Directive::All)));
        assert_eq!(parse_file_level("#pickfix:noqa"), Ok(Some(Directive::All)));
        assert_eq!(parse_file_level("# PICKFIX: NOQA  this module is fork-only"), Ok(Some(Directive::All)));
        assert_eq!(
            parse_file_level("# pickfix: noqa: PF001, PF004"),
            Ok(Some(Directive::Codes(vec!["PF001", "PF004"])))
        );
        assert_eq!(parse_file_level("# pickfix: noqa: pf001"), Err(Malformed::MissingCodes));
        assert_eq!(parse_file_level("# noqa"), Ok(None));
        assert_eq!(parse_file_level("# ruff: noqa"), Ok(None));
        assert_eq!(parse_file_level("# see pickfix: noqa"), Ok(None));
        assert_eq!(parse_file_level("# pickfix: enable"), Ok(None));
        // A line-level `# noqa` parser does not take the file-level directive for its own.
        assert_eq!(parse("# pickfix: noqa: PF001"), Ok(None));
    }

    #[test]
    fn only_comments_on_the_line_of_the_offset_count() {
        let text = "a = 1  # noqa: PF001\nb = 2\nc = 3  # data from snoqalmie\nd = 4  # noqa; PF001  # noqa: PF002\n";
        let comments: Vec<TextRange> = ["# noqa: PF001", "# data from snoqalmie", "# noqa; PF001", "# noqa: PF002"]
            .iter()
            .map(|comment| {
                let start = TextSize::try_from(text.find(comment).unwrap()).unwrap();
                TextRange::at(start, TextSize::of(*comment))
            })
            .collect();
        let at = |needle: &str| TextSize::try_from(text.find(needle).unwrap()).unwrap();
        assert_eq!(is_suppressed(text, &comments, at("a ="), "PF001"), Ok(true));
        assert_eq!(is_suppressed(text, &comments, at("a ="), "PF002"), Ok(false));
        assert_eq!(is_suppressed(text, &comments, at("b ="), "PF001"), Ok(false));
        assert_eq!(is_suppressed(text, &comments, at("c ="), "PF001"), Ok(false));
        // A malformed directive is reported unless a well-formed one on the line suppresses the finding.
        assert_eq!(is_suppressed(text, &comments, at("d ="), "PF001"), Err(Malformed::Suffix));
        assert_eq!(is_suppressed(text, &comments, at("d ="), "PF002"), Ok(true));
    }
}
