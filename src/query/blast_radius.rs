//! `blast-radius`: the minimal rotation list. The secret is always on it;
//! every identity that retrieved it in the window adds its credentials;
//! identities that only tried go to `investigate`. At depth 2 the other
//! secrets those identities retrieved are added too.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::exposures::ExposureOut;
use super::readers::{Reader, strings};
use super::report::{
    BLAST_RADIUS_SCHEMA, BlastRadiusReport, CredentialEvidence, CredentialItem, InvestigateItem,
    QueryEcho, RotateItem, SecretEvidence, SecretItem, Stats,
};
use super::rotation;
use crate::event::Event;
use crate::event::{Outcome, Provider, ReadKind, Timestamp};
use crate::time::Window;

pub(crate) struct Inputs<'a> {
    /// The query as typed, used as the target when the secret was never seen.
    pub exact_secret: Option<&'a str>,
    /// The store an exact query names, when it names one.
    pub provider_of_query: Option<Provider>,
    /// Accesses of the queried secret(s), time-ordered.
    pub accesses: &'a [Event],
    pub readers: &'a [Reader],
    /// Depth 2: accesses by the credential identities to any secret.
    pub further: Option<&'a [Event]>,
    /// The store a name not read in the window was seen in (any event).
    pub provider_seen: Option<Provider>,
    /// What the log holds in clear of the queried secret(s).
    pub exposures: Vec<ExposureOut>,
    pub window: Window,
}

/// Why a secret whose value is in the log in clear is on the list.
const IN_CLEAR: &str =
    "its value is in the audit log in clear: everyone who can read this log has it";

pub(crate) fn report(inputs: Inputs<'_>, query: QueryEcho, stats: Stats) -> BlastRadiusReport {
    let in_window = |a: &&Event| inputs.window.contains(a.time);
    let mut rotate: Vec<RotateItem> = Vec::new();

    let counted = |a: &&Event| in_window(a) && a.excluded.is_none();
    // Reads the log does not tie to the secret (a batch by filter) or that
    // may not have exposed it (SSM without decryption) are told apart from
    // proven ones: they never make the secret "retrieved".
    let unproven = Unproven::of(inputs.accesses.iter().filter(counted));
    let queried = secret_groups(inputs.accesses.iter().filter(counted), false);
    if queried.is_empty()
        && let Some(name) = inputs.exact_secret
    {
        let provider = inputs.provider_of_query.or(inputs.provider_seen);
        rotate.push(RotateItem::Secret(SecretItem {
            provider,
            target: name.to_string(),
            reason: format!(
                "named as compromised; no read of it was found in the window{}",
                unproven.clause()
            ),
            hint: rotation::secret_hint(provider, name, None),
            depth: 1,
            via: Vec::new(),
            evidence: SecretEvidence {
                successful_reads: 0,
                readers: 0,
                possible_reads: unproven.possible,
                undecrypted_reads: unproven.undecrypted,
                first_seen: None,
                last_seen: None,
            },
            exposures: Vec::new(),
        }));
    }
    let mut queried_keys: BTreeSet<Arc<str>> = queried.iter().map(|g| g.key.clone()).collect();
    // A certificate's backing secret is the certificate: not another secret
    // at depth 2.
    queried_keys.extend(
        inputs
            .accesses
            .iter()
            .filter(in_window)
            .filter(|a| through_backing(a))
            .map(|a| a.secret.clone()),
    );
    rotate.extend(
        queried
            .into_iter()
            .map(|g| g.into_item(1, false, &unproven)),
    );
    add_exposures(&mut rotate, inputs.exposures);

    let mut credentials: Vec<&Reader> =
        inputs.readers.iter().filter(|r| r.successful > 0).collect();
    credentials.sort_by(|a, b| {
        (
            Reverse(a.last_success),
            Reverse(a.successful),
            &a.identity.id,
        )
            .cmp(&(
                Reverse(b.last_success),
                Reverse(b.successful),
                &b.identity.id,
            ))
    });
    rotate.extend(
        credentials
            .iter()
            .map(|r| RotateItem::Credential(credential_item(r))),
    );

    if let Some(further) = inputs.further {
        let groups = secret_groups(
            further
                .iter()
                .filter(counted)
                .filter(|a| !queried_keys.contains(a.secret_key())),
            true,
        );
        let none = Unproven::default();
        rotate.extend(groups.into_iter().map(|g| g.into_item(2, true, &none)));
    }

    let mut investigate: Vec<&Reader> = inputs
        .readers
        .iter()
        .filter(|r| r.successful == 0)
        .collect();
    investigate.sort_by(|a, b| {
        (Reverse(a.last_seen), &a.identity.id).cmp(&(Reverse(b.last_seen), &b.identity.id))
    });
    BlastRadiusReport {
        schema: BLAST_RADIUS_SCHEMA,
        query,
        rotate,
        investigate: investigate.into_iter().map(investigate_item).collect(),
        // The app's to tell, from its scan (see `app::trail_coverage`).
        coverage: Default::default(),
        stats,
    }
}

/// Gives each listed secret its exposures, and each other secret the log
/// holds in clear an item of its own.
fn add_exposures(rotate: &mut Vec<RotateItem>, mut exposures: Vec<ExposureOut>) {
    for item in rotate.iter_mut() {
        let RotateItem::Secret(s) = item else {
            continue;
        };
        let (mine, rest): (Vec<_>, Vec<_>) = exposures
            .into_iter()
            .partition(|x| x.secret == s.target || x.path.as_deref() == Some(s.target.as_str()));
        exposures = rest;
        if !mine.is_empty() {
            s.reason = format!("{}; {IN_CLEAR}", s.reason);
            s.exposures = mine;
        }
    }
    let mut by_secret: BTreeMap<(Provider, String), Vec<ExposureOut>> = BTreeMap::new();
    for x in exposures {
        by_secret
            .entry((x.provider, x.secret.clone()))
            .or_default()
            .push(x);
    }
    for ((provider, target), exposures) in by_secret {
        rotate.push(RotateItem::Secret(SecretItem {
            provider: Some(provider),
            hint: rotation::secret_hint(Some(provider), &target, None),
            reason: IN_CLEAR.to_string(),
            target,
            depth: 1,
            via: Vec::new(),
            evidence: SecretEvidence {
                successful_reads: 0,
                readers: 0,
                possible_reads: 0,
                undecrypted_reads: 0,
                first_seen: exposures.iter().map(|x| x.first_seen).min(),
                last_seen: exposures.iter().map(|x| x.last_seen).max(),
            },
            exposures,
        }));
    }
}

/// Reads of one secret.
struct SecretGroup {
    provider: Provider,
    key: Arc<str>,
    /// The path as logged on the latest access.
    target: Arc<str>,
    logical: Option<Arc<str>>,
    /// Proven reads of the value.
    reads: u64,
    attempts: u64,
    readers: BTreeSet<String>,
    first: Option<Timestamp>,
    last: Option<Timestamp>,
    last_attempt: Timestamp,
}

impl SecretGroup {
    /// `unproven`: the reads that may have returned it, told beside the
    /// proven ones.
    fn into_item(self, depth: u8, with_via: bool, unproven: &Unproven) -> RotateItem {
        let who = if self.readers.len() == 1 {
            "identity"
        } else {
            "identities"
        };
        let reason = match (depth, self.reads) {
            (1, 0) => format!(
                "named as compromised; no successful read in the window ({} failed or unanswered attempts){}",
                self.attempts,
                unproven.clause()
            ),
            (1, n) => format!(
                "retrieved {} by {} {who} in the window{}",
                times(n),
                self.readers.len(),
                unproven.clause()
            ),
            (_, n) => format!(
                "also retrieved by readers of the compromised secret ({} by {} {who})",
                times(n),
                self.readers.len()
            ),
        };
        RotateItem::Secret(SecretItem {
            provider: Some(self.provider),
            reason,
            hint: rotation::secret_hint(Some(self.provider), &self.target, self.logical.as_deref()),
            target: self.target.to_string(),
            depth,
            via: if with_via {
                self.readers.iter().cloned().collect()
            } else {
                Vec::new()
            },
            evidence: SecretEvidence {
                successful_reads: self.reads,
                readers: self.readers.len() as u64,
                possible_reads: unproven.possible,
                undecrypted_reads: unproven.undecrypted,
                first_seen: self.first,
                last_seen: self.last,
            },
            exposures: Vec::new(),
        })
    }
}

/// Groups reads by secret; most recent, then most read, first. With
/// `successful_only` false, a secret with only failed attempts still gets an
/// item (it was asked about), with zero reads.
fn secret_groups<'a>(
    accesses: impl Iterator<Item = &'a Event>,
    successful_only: bool,
) -> Vec<SecretGroup> {
    let mut groups: BTreeMap<(Provider, Arc<str>), SecretGroup> = BTreeMap::new();
    for a in accesses {
        // Unproven reads are counted apart (`Unproven`), never as a read or
        // an attempt of a secret: a batch by filter names no secret at all.
        if a.outcome == Outcome::Success && a.kind != Some(ReadKind::Value) {
            continue;
        }
        let success = a.outcome == Outcome::Success;
        if successful_only && !success {
            continue;
        }
        let g = groups
            .entry((a.provider, a.secret_key().clone()))
            .or_insert_with(|| SecretGroup {
                provider: a.provider,
                key: a.secret_key().clone(),
                target: match through_backing(a) {
                    true => a.secret_key().clone(),
                    false => a.secret.clone(),
                },
                logical: a.logical.clone(),
                reads: 0,
                attempts: 0,
                readers: BTreeSet::new(),
                first: None,
                last: None,
                last_attempt: a.time,
            });
        // Accesses arrive in time order: the latest path spelling wins (a
        // backing secret's read spells the secret, not its certificate).
        if !through_backing(a) {
            g.target = a.secret.clone();
        }
        g.last_attempt = g.last_attempt.max(a.time);
        if success {
            g.reads += 1;
            g.readers.insert(a.identity.id.clone());
            g.first = Some(g.first.map_or(a.time, |t| t.min(a.time)));
            g.last = Some(g.last.map_or(a.time, |t| t.max(a.time)));
        } else {
            g.attempts += 1;
        }
    }
    let mut list: Vec<SecretGroup> = groups.into_values().collect();
    let order = |g: &SecretGroup| (Reverse(g.last.unwrap_or(g.last_attempt)), Reverse(g.reads));
    list.sort_by(|a, b| (order(a), &a.key).cmp(&(order(b), &b.key)));
    list
}

/// Successful reads that do not prove the value left the store.
#[derive(Default)]
struct Unproven {
    /// Batches by filter that may have returned it.
    possible: u64,
    /// SSM reads without decryption.
    undecrypted: u64,
}

impl Unproven {
    fn of<'a>(accesses: impl Iterator<Item = &'a Event>) -> Unproven {
        let mut u = Unproven::default();
        for a in accesses.filter(|a| a.outcome == Outcome::Success) {
            match a.kind {
                Some(ReadKind::Possible) => u.possible += 1,
                Some(ReadKind::Undecrypted) => u.undecrypted += 1,
                _ => {}
            }
        }
        u
    }

    /// `; 5 batch reads by filter may have returned it`, or nothing.
    fn clause(&self) -> String {
        let mut parts = Vec::new();
        if self.possible > 0 {
            parts.push(possible_phrase(self.possible));
        }
        if self.undecrypted > 0 {
            parts.push(undecrypted_phrase(self.undecrypted));
        }
        parts.iter().map(|p| format!("; {p}")).collect()
    }
}

fn possible_phrase(n: u64) -> String {
    format!(
        "{n} batch read{} by filter may have returned it (see investigate)",
        if n == 1 { "" } else { "s" }
    )
}

fn undecrypted_phrase(n: u64) -> String {
    format!(
        "{n} read{} without decryption (exposed if the parameter is a plain String)",
        if n == 1 { "" } else { "s" }
    )
}

/// A read of a backing secret (an Azure certificate's), grouped under the
/// object it backs.
fn through_backing(a: &Event) -> bool {
    crate::source::store_of(a.provider).is_backing_read(&a.secret, a.secret_key())
}

fn times(n: u64) -> String {
    if n == 1 {
        "once".to_string()
    } else {
        format!("{n} times")
    }
}

fn credential_item(r: &Reader) -> CredentialItem {
    let first = r.first_success.unwrap_or(r.first_seen);
    let last = r.last_success.unwrap_or(r.last_seen);
    let (credential_kind, hint) = rotation::credential(&r.identity, &r.credentials);
    CredentialItem {
        identity: r.identity.label.clone(),
        identity_id: r.identity.id.clone(),
        provider: r.identity.provider,
        credential_kind,
        credentials: strings(&r.credentials),
        hint,
        reason: format!(
            "retrieved the secret {} ({first} – {last}): its credentials may be the leak path",
            times(r.successful)
        ),
        metadata: r.identity.metadata.clone(),
        policies: r.identity.policies.clone(),
        evidence: CredentialEvidence {
            successful_reads: r.successful,
            first_seen: first,
            last_seen: last,
            source_addresses: r.success_addresses.list(),
            secrets: strings(&r.success_secrets),
            unknown_outcome: r.unknown,
        },
    }
}

fn investigate_item(r: &Reader) -> InvestigateItem {
    let plural = |n: u64| if n == 1 { "" } else { "s" };
    let mut failed = Vec::new();
    if r.denied > 0 {
        failed.push(format!("denied {} time{}", r.denied, plural(r.denied)));
    }
    if r.not_found > 0 {
        failed.push(format!(
            "{} answered that it does not exist (not found)",
            r.not_found
        ));
    }
    if r.no_value > 0 {
        failed.push(format!(
            "{} answered without a value (no data in the response)",
            r.no_value
        ));
    }
    if r.errors > 0 {
        failed.push(format!("{} failed with an error", r.errors));
    }
    if r.unknown > 0 {
        failed.push(format!(
            "{} without a logged response (outcome unknown)",
            r.unknown
        ));
    }
    let mut why = Vec::new();
    if !failed.is_empty() {
        why.push(format!(
            "tried to read it but got no value: {}",
            failed.join(", ")
        ));
    }
    if r.undecrypted > 0 {
        why.push(undecrypted_phrase(r.undecrypted));
    }
    if r.possible > 0 {
        let filters: Vec<&str> = r
            .secrets
            .iter()
            .filter(|s| crate::event::is_filter_name(s))
            .map(|s| &**s)
            .collect();
        why.push(format!(
            "{} batch read{} by filter may have returned it ({}): the log does not say which secrets matched",
            r.possible,
            plural(r.possible),
            filters.join("; ")
        ));
    }
    InvestigateItem {
        identity: r.identity.label.clone(),
        identity_id: r.identity.id.clone(),
        provider: r.identity.provider,
        denied_reads: r.denied,
        undecrypted_reads: r.undecrypted,
        possible_reads: r.possible,
        error_reads: r.errors,
        not_found_reads: r.not_found,
        no_value_reads: r.no_value,
        unknown_outcome: r.unknown,
        first_seen: r.first_seen,
        last_seen: r.last_seen,
        source_addresses: r.source_addresses.list(),
        busiest_address: r.source_addresses.busiest(),
        secrets: strings(&r.secrets),
        reason: why.join("; "),
        metadata: r.identity.metadata.clone(),
    }
}
