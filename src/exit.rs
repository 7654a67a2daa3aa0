//! Exit statuses, the contract runbooks branch on.

/// What a run amounts to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Answered from all of the input, and something was found.
    Found,
    /// Answered from all of the input; nothing was found (as grep).
    NothingFound,
    /// Usage error, a missing PATH, or any fatal problem.
    Fatal,
    /// Answered, but some input was skipped: coverage is partial.
    Partial,
}

impl Exit {
    /// Partial coverage wins over found and not found: a runbook must not
    /// read "nobody read it" from a run that skipped part of the evidence.
    pub fn answered(found: bool, partial: bool) -> Exit {
        match (partial, found) {
            (true, _) => Exit::Partial,
            (false, true) => Exit::Found,
            (false, false) => Exit::NothingFound,
        }
    }

    /// An answer over a window the trail was off in is partial too (see
    /// `coverage`); a fatal run stays fatal.
    pub fn or_partial(self, partial: bool) -> Exit {
        match (self, partial) {
            (Exit::Found | Exit::NothingFound, true) => Exit::Partial,
            (exit, _) => exit,
        }
    }

    pub fn code(self) -> u8 {
        match self {
            Exit::Found => 0,
            Exit::NothingFound => 1,
            Exit::Fatal => 2,
            Exit::Partial => 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_wins_over_found_and_not_found() {
        assert_eq!(Exit::answered(true, false).code(), 0);
        assert_eq!(Exit::answered(false, false).code(), 1);
        assert_eq!(Exit::answered(true, true).code(), 3);
        assert_eq!(Exit::answered(false, true).code(), 3);
        assert_eq!(Exit::Fatal.code(), 2);
    }
}
