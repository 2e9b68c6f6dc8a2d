//! What a codemod reports: a finding, with a fix when one can be made safely.

use ruff_diagnostics::{Applicability, Fix};
use ruff_text_size::{Ranged, TextRange};

use crate::codemods::notebook_worker::Companion;
use crate::codemods::{Refusal, Rule};
use crate::noqa::Malformed;
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
    /// A malformed `# noqa` directive on the finding's line: it suppresses nothing, and the user is told.
    pub invalid_noqa: Option<Malformed>,
    /// What the fix adds to another file: the module a notebook's workers move to (PF009).
    pub companion: Option<Box<Companion>>,
}

#[derive(Debug, Clone)]
pub enum Remedy {
    Fix {
        title: String,
        fix: Fix,
    },
    /// Why there is no fix; it renders the message.
    NoFix(Refusal),
}

impl Remedy {
    /// The fix a codemod could make, with its title, or the reason it could not.
    pub fn from_fix(fix: Result<(String, Fix), Refusal>) -> Remedy {
        match fix {
            Ok((title, fix)) => Remedy::Fix { title, fix },
            Err(why) => Remedy::NoFix(why),
        }
    }

    /// Why there is no fix, when there is none.
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            Remedy::Fix { .. } => None,
            Remedy::NoFix(why) => Some(why),
        }
    }
}

impl Finding {
    /// A finding about what the call `sink` hands to another process.
    pub fn at_sink(rule: Rule, sink: &Sink, range: TextRange, message: String, remedy: Remedy) -> Finding {
        Finding::new(rule, range, message, remedy, Some(sink.call.range()))
    }

    /// A finding; `sink` is the call it is about, if any.
    pub fn new(rule: Rule, range: TextRange, message: String, remedy: Remedy, sink: Option<TextRange>) -> Finding {
        Finding { rule, range, message, remedy, sink, invalid_noqa: None, companion: None }
    }

    pub fn fix(&self) -> Option<&Fix> {
        match &self.remedy {
            Remedy::Fix { fix, .. } => Some(fix),
            Remedy::NoFix(_) => None,
        }
    }

    /// Whether `--write` applies this finding's fix with the given applicability threshold.
    pub fn is_fixable(&self, threshold: Applicability) -> bool {
        self.fix().is_some_and(|fix| fix.applies(threshold))
    }
}
