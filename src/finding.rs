//! What a codemod reports: a finding, with a fix when one can be made safely.

use ruff_diagnostics::{Applicability, Fix};
use ruff_text_size::{Ranged, TextRange};

use crate::codemods::Rule;
use crate::pools::Sink;

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

impl Remedy {
    /// The fix a codemod could make, with its title, or the reason it could not.
    pub fn from_fix(fix: Result<(String, Fix), String>) -> Remedy {
        match fix {
            Ok((title, fix)) => Remedy::Fix { title, fix },
            Err(reason) => Remedy::NoFix { reason },
        }
    }
}

impl Finding {
    /// A finding about what the call `sink` hands to another process.
    pub fn at_sink(rule: Rule, sink: &Sink, range: TextRange, message: String, remedy: Remedy) -> Finding {
        Finding { rule, range, message, remedy, sink: Some(sink.call.range()) }
    }

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
