//! Reading a Python file the way CPython does, and giving its bytes back exactly.
//!
//! A file is UTF-8 unless a BOM or a PEP 263 cookie (`# -*- coding: latin-1 -*-` on line 1 or 2) says
//! otherwise. pickfix decodes to a `String`, edits that, and encodes the result with the same encoding. A
//! file is accepted only when decoding and re-encoding gives back the very same bytes, so every byte outside
//! an edit is kept.

use std::fmt;

use encoding_rs::Encoding;
use ruff_python_ast::ModModule;
use ruff_python_parser::{Parsed, parse_module};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The encoding a file is stored in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    /// ISO-8859-1 exactly as Python means it: byte `n` is code point `n`.
    Latin1,
    Other(&'static Encoding),
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextEncoding::Utf8 => f.write_str("utf-8"),
            TextEncoding::Latin1 => f.write_str("latin-1"),
            TextEncoding::Other(encoding) => f.write_str(&encoding.name().to_ascii_lowercase()),
        }
    }
}

/// A decoded file: the text pickfix edits, and how to turn it back into bytes.
#[derive(Clone, Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: TextEncoding,
    pub bom: bool,
}

/// Why a file cannot be processed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError(pub String);

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Decodes the bytes of a Python file.
pub fn decode(bytes: &[u8]) -> Result<Decoded, SourceError> {
    let (bom, body) = match bytes.strip_prefix(BOM) {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    if body.contains(&0) {
        return Err(SourceError("source code contains a NUL byte".to_string()));
    }
    let encoding = match coding_cookie(body) {
        None => TextEncoding::Utf8,
        Some(label) => {
            let encoding = encoding_for_label(&label)
                .ok_or_else(|| SourceError(format!("unknown encoding `{label}` in the coding declaration")))?;
            // CPython accepts a BOM only with a cookie that normalises to exactly `utf-8`.
            let norm = label.to_ascii_lowercase().replace('_', "-");
            if bom && !(norm == "utf-8" || norm.starts_with("utf-8-")) {
                return Err(SourceError(format!("the file starts with a UTF-8 BOM but declares `{label}`")));
            }
            encoding
        }
    };
    let text = match encoding {
        TextEncoding::Utf8 => {
            std::str::from_utf8(body).map_err(|err| SourceError(format!("not valid UTF-8 ({err})")))?.to_string()
        }
        TextEncoding::Latin1 => body.iter().map(|&b| char::from(b)).collect(),
        TextEncoding::Other(enc) => {
            let (text, had_errors) = enc.decode_without_bom_handling(body);
            if had_errors {
                return Err(SourceError(format!("not valid {}", encoding)));
            }
            let text = text.into_owned();
            // Only accept encodings that give the same bytes back.
            let (back, _, unmappable) = enc.encode(&text);
            if unmappable || back.as_ref() != body {
                return Err(SourceError(format!("cannot keep the bytes of this {encoding} file unchanged")));
            }
            text
        }
    };
    Ok(Decoded { text, encoding, bom })
}

/// Encodes edited text back into bytes, in the file's own encoding.
pub fn encode(text: &str, encoding: TextEncoding, bom: bool) -> Result<Vec<u8>, SourceError> {
    let mut out = Vec::with_capacity(text.len() + 3);
    if bom {
        out.extend_from_slice(BOM);
    }
    match encoding {
        TextEncoding::Utf8 => out.extend_from_slice(text.as_bytes()),
        TextEncoding::Latin1 => {
            for c in text.chars() {
                let code = u32::from(c);
                if code > 0xFF {
                    return Err(SourceError(format!("`{c}` cannot be written as latin-1")));
                }
                out.push(code as u8);
            }
        }
        TextEncoding::Other(enc) => {
            let (bytes, _, unmappable) = enc.encode(text);
            if unmappable {
                return Err(SourceError(format!("the new text cannot be written as {encoding}")));
            }
            out.extend_from_slice(&bytes);
        }
    }
    Ok(out)
}

/// The PEP 263 declaration on line 1 or 2, if any.
fn coding_cookie(bytes: &[u8]) -> Option<String> {
    let mut lines = bytes.split(|&b| b == b'\n');
    let first = lines.next()?;
    if let Some(label) = cookie_in_line(first) {
        return Some(label);
    }
    // Line 2 counts only when line 1 is blank or a comment.
    let first_trimmed = trim_start(first);
    if !(first_trimmed.is_empty() || first_trimmed.starts_with(b"#") || first_trimmed == b"\r") {
        return None;
    }
    lines.next().and_then(cookie_in_line)
}

fn trim_start(line: &[u8]) -> &[u8] {
    let start = line.iter().position(|b| !matches!(b, b' ' | b'\t' | b'\x0c')).unwrap_or(line.len());
    &line[start..]
}

/// `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)`
fn cookie_in_line(line: &[u8]) -> Option<String> {
    let rest = trim_start(line).strip_prefix(b"#")?;
    let mut search = rest;
    while let Some(pos) = find(search, b"coding") {
        let after = &search[pos + 6..];
        if let Some((&sep, value)) = after.split_first()
            && (sep == b':' || sep == b'=')
        {
            let value = trim_start(value);
            let len = value
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.'))
                .unwrap_or(value.len());
            if len > 0 {
                return Some(String::from_utf8_lossy(&value[..len]).into_owned());
            }
        }
        search = &search[pos + 6..];
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// Maps a Python codec name to an encoding; `None` for codecs pickfix cannot round-trip.
fn encoding_for_label(label: &str) -> Option<TextEncoding> {
    let norm = label.to_ascii_lowercase().replace('_', "-");
    let utf8 = ["utf-8", "utf8", "u8", "utf", "cp65001"];
    if utf8.contains(&norm.as_str()) || norm.starts_with("utf-8-") {
        return Some(TextEncoding::Utf8);
    }
    let latin1 = ["latin-1", "latin1", "iso-8859-1", "iso8859-1", "8859", "cp819", "l1", "latin"];
    if latin1.contains(&norm.as_str()) {
        return Some(TextEncoding::Latin1);
    }
    if norm == "ascii" || norm == "us-ascii" {
        // ASCII is a subset of UTF-8; CPython rejects any other byte anyway.
        return Some(TextEncoding::Utf8);
    }
    let enc = Encoding::for_label(norm.as_bytes())?;
    // WHATWG maps several labels to windows-1252 or replaces them: Python means something else there.
    if enc == encoding_rs::REPLACEMENT || enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        return None;
    }
    if enc == encoding_rs::WINDOWS_1252 && !matches!(norm.as_str(), "cp1252" | "windows-1252") {
        return None;
    }
    Some(TextEncoding::Other(enc))
}

/// Parses text; a syntax error comes back as `line:col: message`.
pub fn parse(text: &str) -> Result<Parsed<ModModule>, SourceError> {
    parse_module(text).map_err(|err| {
        let index = ruff_source_file::LineIndex::from_source_text(text);
        let at = index.line_column(err.location.start(), text);
        SourceError(format!("{}:{}: {}", at.line, at.column, err.error))
    })
}

/// The ranges of the comments among `tokens`.
pub fn comment_ranges(tokens: &ruff_python_ast::token::Tokens) -> Vec<ruff_text_size::TextRange> {
    use ruff_text_size::Ranged;
    tokens.iter().filter(|t| t.kind() == ruff_python_ast::token::TokenKind::Comment).map(Ranged::range).collect()
}

/// Parses the joined code cells of a notebook, where IPython's `%magic`, `!command` and `help?` lines are
/// statements of their own.
pub fn parse_notebook(text: &str) -> Result<Parsed<ModModule>, SourceError> {
    let options = ruff_python_parser::ParseOptions::from(ruff_python_parser::Mode::Ipython);
    let parsed = ruff_python_parser::parse(text, options).map_err(|err| {
        let index = ruff_source_file::LineIndex::from_source_text(text);
        let at = index.line_column(err.location.start(), text);
        SourceError(format!("{}:{}: {}", at.line, at.column, err.error))
    })?;
    Ok(parsed.try_into_module().expect("IPython mode parses a module"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_on_second_line_after_shebang() {
        let src = b"#!/usr/bin/env python\n# -*- coding: latin-1 -*-\nx = '\xe9'\n";
        let decoded = decode(src).unwrap();
        assert_eq!(decoded.encoding, TextEncoding::Latin1);
        assert!(decoded.text.contains('\u{e9}'));
        assert_eq!(encode(&decoded.text, decoded.encoding, decoded.bom).unwrap(), src);
    }

    #[test]
    fn cookie_ignored_after_code_on_line_one() {
        assert_eq!(coding_cookie(b"x = 1\n# coding: latin-1\n"), None);
    }

    #[test]
    fn bom_is_kept() {
        let src = b"\xEF\xBB\xBFx = 1\r\n";
        let decoded = decode(src).unwrap();
        assert!(decoded.bom);
        assert_eq!(decoded.text, "x = 1\r\n");
        assert_eq!(encode(&decoded.text, decoded.encoding, decoded.bom).unwrap(), src);
    }

    #[test]
    fn bom_with_a_cookie_other_than_utf_8_is_rejected_as_cpython_does() {
        assert!(decode(b"\xEF\xBB\xBF# coding: utf8\nx = 1\n").is_err());
        assert!(decode(b"\xEF\xBB\xBF# coding: utf-8\nx = 1\n").is_ok());
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        let err = decode(b"x = '\xff'\n").unwrap_err();
        assert!(err.0.contains("not valid UTF-8"), "{err}");
    }

    #[test]
    fn koi8_round_trips() {
        let src = b"# coding: koi8-r\ns = '\xc1\xc2'\n";
        let decoded = decode(src).unwrap();
        assert_eq!(encode(&decoded.text, decoded.encoding, false).unwrap(), src);
    }
}
