//! The edit engine: applies fixes all or nothing, the way ruff's `apply_fixes` does.
//!
//! Fixes are taken in the order given (pickfix passes them in source order of their findings). A fix whose
//! edits overlap an edit already taken, or replace text where another edit inserts, waits for the next
//! pass. Two fixes may insert at the same point: their texts follow each other in fix order, so that new
//! functions appear in the order of the code they came from. An edit identical to one already taken, such
//! as the same `import functools` or the same blank lines requested by two fixes, is applied once. A
//! fix whose own edits overlap is malformed (a rule's bug): it is never applied.

use ruff_diagnostics::{Edit, Fix};
use ruff_text_size::{Ranged, TextSize};

/// The new text and how many fixes went into it.
pub fn apply_fixes<'f>(text: &str, fixes: impl IntoIterator<Item = &'f Fix>) -> (String, usize) {
    let applied = apply_fixes_detailed(text, fixes);
    (applied.text, applied.fixes.len())
}

/// What [`apply_fixes_detailed`] did.
#[derive(Debug, Clone)]
pub struct Applied {
    pub text: String,
    /// The positions (in the order given) of the fixes that went into `text`.
    pub fixes: Vec<usize>,
    /// The edits made, in text order: start and end in the old text, and the length of the new content.
    pub edits: Vec<(TextSize, TextSize, usize)>,
}

/// [`apply_fixes`], telling which fixes were applied and which edits were made.
pub fn apply_fixes_detailed<'f>(text: &str, fixes: impl IntoIterator<Item = &'f Fix>) -> Applied {
    let fixes: Vec<&Fix> = fixes.into_iter().collect();
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = Vec::new();
    'fixes: for (index, fix) in fixes.into_iter().enumerate() {
        let mut new_edits = Vec::new();
        for edit in fix.edits() {
            if taken.contains(&edit) || new_edits.contains(&edit) {
                continue;
            }
            if taken.iter().any(|other| conflicts(edit, other)) {
                continue 'fixes;
            }
            new_edits.push(edit);
        }
        let malformed = new_edits.iter().enumerate().any(|(i, a)| new_edits[i + 1..].iter().any(|b| overlaps(a, b)));
        if malformed {
            continue;
        }
        taken.extend(new_edits);
        applied.push(index);
    }

    // Stable sort: insertions at one point keep the order their fix gave them.
    taken.sort_by_key(|edit| (edit.start(), edit.end()));
    let mut out = String::with_capacity(text.len() + 256);
    let mut cursor = TextSize::new(0);
    for edit in &taken {
        out.push_str(&text[cursor.to_usize()..edit.start().to_usize()]);
        out.push_str(edit.content().unwrap_or(""));
        cursor = edit.end();
    }
    out.push_str(&text[cursor.to_usize()..]);
    let edits = taken.iter().map(|edit| (edit.start(), edit.end(), edit.content().map_or(0, str::len))).collect();
    Applied { text: out, fixes: applied, edits }
}

/// Two edits of one fix overlap when their ranges share text, or one inserts strictly inside the other.
fn overlaps(a: &Edit, b: &Edit) -> bool {
    a.start() < b.end() && b.start() < a.end()
}

/// Two edits of different fixes conflict when their ranges overlap, or when one inserts where the other
/// replaces or deletes (the order would be ambiguous).
fn conflicts(a: &Edit, b: &Edit) -> bool {
    let a_inserts = a.start() == a.end();
    let b_inserts = b.start() == b.end();
    if a.start() == b.start() {
        return !(a_inserts && b_inserts);
    }
    overlaps(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_text_size::TextRange;

    fn range(a: u32, b: u32) -> TextRange {
        TextRange::new(TextSize::new(a), TextSize::new(b))
    }

    #[test]
    fn overlapping_fix_waits_and_identical_edits_apply_once() {
        let text = "abcdef";
        let import = Edit::insertion("I".into(), TextSize::new(0));
        let first = Fix::safe_edits(import.clone(), [Edit::range_replacement("X".into(), range(1, 3))]);
        let second = Fix::safe_edits(import.clone(), [Edit::range_replacement("Y".into(), range(2, 4))]);
        let third = Fix::safe_edits(import, [Edit::range_replacement("Z".into(), range(4, 5))]);
        let (out, applied) = apply_fixes(text, [&first, &second, &third]);
        assert_eq!(out, "IaXdZf");
        assert_eq!(applied, 2);
    }

    #[test]
    fn insertions_of_two_fixes_at_one_point_follow_fix_order() {
        let at = TextSize::new(1);
        let first =
            Fix::safe_edits(Edit::insertion("A".into(), at), [Edit::range_replacement("x".into(), range(2, 3))]);
        let second =
            Fix::safe_edits(Edit::insertion("B".into(), at), [Edit::range_replacement("y".into(), range(3, 4))]);
        assert_eq!(apply_fixes("0123", [&first, &second]), ("0AB1xy".to_string(), 2));
        // An insertion where another fix replaces text waits.
        let third = Fix::safe_edit(Edit::range_replacement("Z".into(), range(1, 2)));
        assert_eq!(apply_fixes("0123", [&first, &third]), ("0A1x3".to_string(), 1));
    }

    #[test]
    fn insertions_at_one_point_keep_their_order() {
        let fix = Fix::safe_edits(
            Edit::insertion("import x\n".into(), TextSize::new(0)),
            [Edit::insertion("def f(): pass\n".into(), TextSize::new(0))],
        );
        assert_eq!(apply_fixes("y\n", [&fix]).0, "import x\ndef f(): pass\ny\n");
    }

    #[test]
    fn a_fix_whose_own_edits_overlap_is_not_applied() {
        // A deletion that reaches past the point where the same fix inserts.
        let fix = Fix::safe_edits(Edit::range_deletion(range(1, 4)), [Edit::insertion("I".into(), TextSize::new(2))]);
        let other = Fix::safe_edit(Edit::range_replacement("Z".into(), range(5, 6)));
        assert_eq!(apply_fixes("012345", [&fix, &other]), ("01234Z".to_string(), 1));
    }
}
