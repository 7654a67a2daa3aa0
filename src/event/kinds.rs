//! The closed sets every store's events are told in: the store, what an
//! event did, what a read exposed and how far it reached, how it ended, and
//! where an identity's id came from. Each serializes as its `as_str`
//! name, which the JSON contract uses.

use serde::{Deserialize, Serialize};

/// The secret store a record came from; also the prefix of a qualified
/// query (`aws:prod/db-password`). SSM Parameter Store is its own store: its
/// names are paths of their own, read by AWS identities.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Vault,
    Aws,
    Ssm,
    Azure,
    Gcp,
    K8s,
}

impl Provider {
    pub const ALL: [Provider; 6] = [
        Provider::Vault,
        Provider::Aws,
        Provider::Ssm,
        Provider::Azure,
        Provider::Gcp,
        Provider::K8s,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Vault => "vault",
            Provider::Aws => "aws",
            Provider::Ssm => "ssm",
            Provider::Azure => "azure",
            Provider::Gcp => "gcp",
            Provider::K8s => "k8s",
        }
    }

    pub fn from_name(name: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.as_str() == name)
    }

    /// Where the identities reading this store live (SSM readers are AWS
    /// principals).
    pub fn realm(self) -> Provider {
        match self {
            Provider::Ssm => Provider::Aws,
            p => p,
        }
    }
}

/// What an event did, in every store's terms: the `--action` filter and the
/// timeline's `action` field.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
// `--action` lists the names alone: the comments here are not its help.
pub enum Action {
    /// Read a secret's value (or tried to).
    #[value(help = None::<&str>)]
    Read,
    /// Listed names (a list of a store's secrets; a Kubernetes list, which
    /// also returns values, is a wide read: see `Scope`).
    #[value(help = None::<&str>)]
    List,
    /// Read what is known about a secret but not its value (its metadata,
    /// versions or description).
    #[value(help = None::<&str>)]
    Metadata,
    /// Created or changed a secret, its value, versions, tags or policy.
    #[value(help = None::<&str>)]
    Write,
    Delete,
    /// Anything else the store logged (logins, `sys/` calls, key operations).
    #[value(help = None::<&str>)]
    Other,
}

impl Action {
    pub const ALL: [Action; 6] = [
        Action::Read,
        Action::List,
        Action::Metadata,
        Action::Write,
        Action::Delete,
        Action::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::List => "list",
            Action::Metadata => "metadata",
            Action::Write => "write",
            Action::Delete => "delete",
            Action::Other => "other",
        }
    }
}

/// What a read exposed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReadKind {
    /// The secret's value.
    Value,
    /// An SSM parameter read without decryption: a SecureString stays
    /// encrypted, a plain String is exposed anyway (the log does not say).
    Undecrypted,
    /// A read that returned secrets the log does not name (an AWS batch
    /// read by filter): possibly this one.
    Possible,
}

impl ReadKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReadKind::Value => "value",
            ReadKind::Undecrypted => "undecrypted",
            ReadKind::Possible => "possible",
        }
    }
}

/// How many secrets one read covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The one secret named.
    One,
    /// Every secret directly under a prefix (a Kubernetes namespace list,
    /// an SSM read by path that is not recursive).
    Children,
    /// Every secret under a prefix, at any depth.
    Descendants,
    /// Every secret of the store (a cluster-wide list, a filtered batch).
    All,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::One => "one",
            Scope::Children => "children",
            Scope::Descendants => "descendants",
            Scope::All => "all",
        }
    }
}

/// How one access ended. Only `Success` means the log proves the store
/// answered: for a read, that the value left it.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
// `--outcome`'s help is written for users, not taken from the comments.
pub enum Outcome {
    Success,
    Denied,
    /// The store said the secret does not exist (an HTTP 404, a not-found
    /// error code).
    #[value(
        name = "not_found",
        help = "The secret does not exist (a 404, NOT_FOUND)"
    )]
    NotFound,
    /// The store answered without error but returned nothing (a Vault read
    /// whose response holds no data).
    #[value(
        name = "no_value",
        help = "Answered without a value (a Vault read with no data)"
    )]
    NoValue,
    Error,
    /// The request was logged but no response ever was (crash, cut log).
    #[value(help = "A request that never got a response")]
    Unknown,
}

impl Outcome {
    pub const ALL: [Outcome; 6] = [
        Outcome::Success,
        Outcome::Denied,
        Outcome::NotFound,
        Outcome::NoValue,
        Outcome::Error,
        Outcome::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Denied => "denied",
            Outcome::NotFound => "not_found",
            Outcome::NoValue => "no_value",
            Outcome::Error => "error",
            Outcome::Unknown => "unknown",
        }
    }
}

/// Which half of a request/response pair a line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Request,
    Response,
}

/// What one line says went wrong, before pairing decides the outcome.
/// Declared from least to most severe: of a request's two lines, the
/// greater decides (a denial, then another error, then a missing secret,
/// then an empty answer).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    None,
    /// An answer without error that carries no value (a Vault read response
    /// without data): only ever set on a response.
    NoValue,
    /// The secret does not exist (a 404, `NOT_FOUND`).
    NotFound,
    Other,
    Denied,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Request => "request",
            Stage::Response => "response",
        }
    }
}

impl ErrorKind {
    pub const ALL: [ErrorKind; 5] = [
        ErrorKind::None,
        ErrorKind::NoValue,
        ErrorKind::NotFound,
        ErrorKind::Other,
        ErrorKind::Denied,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::None => "none",
            ErrorKind::NoValue => "no_value",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Other => "other",
            ErrorKind::Denied => "denied",
        }
    }

    /// The outcome of an answered request with this verdict.
    pub fn outcome(self) -> Outcome {
        match self {
            ErrorKind::None => Outcome::Success,
            ErrorKind::Denied => Outcome::Denied,
            ErrorKind::NotFound => Outcome::NotFound,
            ErrorKind::NoValue => Outcome::NoValue,
            ErrorKind::Other => Outcome::Error,
        }
    }
}

/// Which logged field an identity's id was taken from (each store's
/// module says which of its fields each one is).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdSource {
    Entity,
    Accessor,
    DisplayName,
    /// `token:` + the HMAC of a token no entity or accessor was logged for.
    Token,
    /// An ARN (a session ARN for assumed roles).
    Arn,
    /// A service acting on the account's behalf.
    Service,
    /// A principal id, when nothing better was logged.
    PrincipalId,
    /// An object id, or an application id when no object id was logged.
    ObjectId,
    AppId,
    /// An e-mail address, or a federated subject.
    Email,
    Subject,
    /// A user name (or the impersonated user's).
    Username,
    /// Nothing identified the caller.
    Unknown,
}

impl IdSource {
    pub const ALL: [IdSource; 13] = [
        IdSource::Entity,
        IdSource::Accessor,
        IdSource::DisplayName,
        IdSource::Token,
        IdSource::Arn,
        IdSource::Service,
        IdSource::PrincipalId,
        IdSource::ObjectId,
        IdSource::AppId,
        IdSource::Email,
        IdSource::Subject,
        IdSource::Username,
        IdSource::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IdSource::Entity => "entity",
            IdSource::Accessor => "accessor",
            IdSource::DisplayName => "display_name",
            IdSource::Token => "token",
            IdSource::Arn => "arn",
            IdSource::Service => "service",
            IdSource::PrincipalId => "principal_id",
            IdSource::ObjectId => "object_id",
            IdSource::AppId => "app_id",
            IdSource::Email => "email",
            IdSource::Subject => "subject",
            IdSource::Username => "username",
            IdSource::Unknown => "unknown",
        }
    }
}

/// Tables print each by its name (`{:<9}` pads it).
macro_rules! display_as_str {
    ($($kind:ty),*) => {$(
        impl std::fmt::Display for $kind {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }
    )*};
}

display_as_str!(Provider, Action, ReadKind, Scope, Outcome);

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON contract's names are the ones tables and filters print.
    #[test]
    fn serialized_names_are_the_printed_names() {
        fn json<T: Serialize>(value: T) -> String {
            serde_json::to_value(value)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        }
        for p in Provider::ALL {
            assert_eq!(json(p), p.as_str());
        }
        for a in Action::ALL {
            assert_eq!(json(a), a.as_str());
        }
        for o in Outcome::ALL {
            assert_eq!(json(o), o.as_str());
        }
        for k in [ReadKind::Value, ReadKind::Undecrypted, ReadKind::Possible] {
            assert_eq!(json(k), k.as_str());
        }
        for s in [Scope::One, Scope::Children, Scope::Descendants, Scope::All] {
            assert_eq!(json(s), s.as_str());
        }
        for s in [Stage::Request, Stage::Response] {
            assert_eq!(json(s), s.as_str());
        }
        for e in ErrorKind::ALL {
            assert_eq!(json(e), e.as_str());
        }
        for i in IdSource::ALL {
            assert_eq!(json(i), i.as_str());
        }
    }
}
