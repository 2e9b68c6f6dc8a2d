//! What a codemod reports: a finding, with a fix when one can be made safely.

use ruff_diagnostics::{Applicability, Fix};
use ruff_text_size::TextRange;

use crate::codemods::Rule;

#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: Rule,
    /// Where the problem is, in the text the finding was made on.
    pub range: TextRange,
    /// The problem.
    pub message: String,
    /// Either a fix with its title, or the reason there is none.
    pub remedy: Remedy,
    /// The call that hands the code or the object to another process, when the finding is about one.
    pub sink: Option<TextRange>,
}

#[derive(Debug, Clone)]
pub enum Remedy {
    Fix { title: String, fix: Fix },
    NoFix { reason: String },
}

impl Finding {
    pub fn fix(&self) -> Option<&Fix> {
        match &self.remedy {
            Remedy::Fix { fix, .. } => Some(fix),
            Remedy::NoFix { .. } => None,
        }
    }

    /// Whether `--write` applies this finding's fix with the given applicability threshold.
    pub fn is_fixable(&self, threshold: Applicability) -> bool {
        self.fix().is_some_and(|fix| fix.applies(threshold))
    }
}
