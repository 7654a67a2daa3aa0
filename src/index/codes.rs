//! The one-byte codes the index stores the event model's closed sets as.
//! Each code is the variant's place in its list: a list may only grow at
//! its end (or the format version is raised), and a variant missing from
//! its list does not compile.

use crate::event::{Action, ErrorKind, IdSource, Provider, ReadKind, Scope, Stage};

macro_rules! codes {
    ($($kind:ident: [$($variant:ident),* $(,)?]),* $(,)?) => {$(
        impl Code for $kind {
            fn code(self) -> u8 {
                // Exhaustive: a variant missing from the list does not compile.
                match self {
                    $($kind::$variant)|* => {}
                }
                let mut n = 0u8;
                $(
                    if matches!(self, $kind::$variant) {
                        return n;
                    }
                    n += 1;
                )*
                n
            }

            fn from_code(code: u8) -> Option<Self> {
                [$($kind::$variant),*].get(usize::from(code)).copied()
            }
        }
    )*};
}

pub(super) trait Code: Sized + Copy {
    fn code(self) -> u8;
    fn from_code(code: u8) -> Option<Self>;
}

codes! {
    Provider: [Vault, Aws, Ssm, Azure, Gcp, K8s],
    Action: [Read, List, Metadata, Write, Delete, Other],
    ReadKind: [Value, Undecrypted, Possible],
    Scope: [One, Children, Descendants, All],
    Stage: [Request, Response],
    ErrorKind: [None, NoValue, NotFound, Other, Denied],
    IdSource: [
        Entity, Accessor, DisplayName, Token, Arn, Service, PrincipalId, ObjectId, AppId, Email,
        Subject, Username, Unknown,
    ],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for p in Provider::ALL {
            assert_eq!(Provider::from_code(p.code()), Some(p));
        }
        for a in Action::ALL {
            assert_eq!(Action::from_code(a.code()), Some(a));
        }
        for i in 0..13 {
            let id = IdSource::from_code(i).unwrap();
            assert_eq!(id.code(), i);
        }
        assert_eq!(IdSource::from_code(13), None);
        assert_eq!(Scope::from_code(Scope::All.code()), Some(Scope::All));
    }
}
