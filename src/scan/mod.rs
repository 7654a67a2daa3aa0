//! Scanning blocks of input for what a [`Plan`] looks for. Callers say what
//! they want (`Plan::for_secret`, `for_identities`, `any_read`,
//! `answered_reads`, `events`) and `pipeline` hands each block of each file
//! to [`scan_block`] or [`scan_documents`] with the plan. Inside:
//!
//! - `prefilter`: which records are worth parsing, by their bytes alone;
//! - `filter`: which parsed events are kept;
//! - `block`: cutting a block into records (lines, one-line containers,
//!   multi-line documents), pre-filtering and parsing them, and checking
//!   the structure of the rest;
//! - `intern`: turning kept [`RawEvent`]s into owned [`Event`]s that share
//!   their repeated strings and identities.
//!
//! What is store-specific (read needles, a store's read word, where its ids
//! stand) comes from the stores' plug-ins (`source::store::Store`).
//!
//! [`RawEvent`]: crate::event::RawEvent
//! [`Event`]: crate::event::Event

mod block;
mod filter;
mod intern;
mod prefilter;
mod trail;

pub(crate) use block::{BlockOut, Documents, Extra, Hint, scan_block, scan_csv, scan_documents};
use filter::LineFilter;
pub(crate) use filter::{EventFilter, IdentityIds};
use intern::Shared;
pub(crate) use intern::{identity_of, renamed};
use prefilter::Prefilter;
pub(crate) use trail::{Change, TrailOut};

use prefilter::FieldValues;

use crate::event::{Event, Origin, Provider, RawEvent};
use crate::matcher::{Match, SecretQuery};
use crate::source::Source;
use crate::source::store::Wanted;

/// Which of an index's events may be kept by a plan: a superset, which
/// the plan's filter then decides on event by event.
pub(crate) enum Wants<'q> {
    /// Events whose secret the query matches.
    Naming(&'q SecretQuery),
    /// Reads of values by these identities.
    ReadsBy(&'q IdentityIds),
    /// Reads of values; with `answered`, not those on a request half's own
    /// line (see `Extra::request_half`), which such a plan skips.
    Reads { answered: bool },
    /// Every event.
    Every,
}

/// One event read back from an index, with what a scan would know of its
/// record: what the plan's filter judges (its caller's metadata, policies
/// and its request id are left out: no filter asks for them), and which
/// row of the index it is.
pub(crate) struct Indexed<'r> {
    pub read: RawEvent<'r>,
    pub row: u32,
    pub origin: Origin,
    pub export_id: Option<&'r str>,
    pub request_half: bool,
}

/// What a scan looks for.
pub(crate) struct Plan<'q> {
    prefilter: Prefilter,
    filter: LineFilter<'q>,
    /// `--source`: every record is read as this source.
    pub forced: Option<Source>,
    /// The interning tables the scan's blocks borrow in turn.
    shared: Shared,
    /// Count records by type, in files whose store counts them (`-v`).
    count_types: bool,
    /// Keep each entry's `Extra` (see `BlockOut::extras`).
    extras: bool,
    /// Also note the records that stop or start a trail (`BlockOut::trail`),
    /// so a question can say whether the trail was off in its window.
    watch_trail: bool,
}

/// How a scan reads, whatever it looks for.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Options {
    /// `--exhaustive`: parse every record, none skipped by its bytes.
    pub exhaustive: bool,
    /// `--source`: every record is read as this source.
    pub forced: Option<Source>,
    /// `-v`: count the entries of Vault files by `type`.
    pub count_types: bool,
}

impl<'q> Plan<'q> {
    /// The accesses of the secrets `secret` names, and the other events
    /// that name them (`who-read`, and the first pass of `blast-radius`).
    pub(crate) fn for_secret(secret: &'q SecretQuery, options: Options) -> Plan<'q> {
        Plan::new(LineFilter::Secret(secret), options, || {
            match secret.prefilter() {
                Some(p) => Prefilter::Query(p),
                None => Prefilter::reads_in(secret.providers()),
            }
        })
    }

    /// Every value read in `stores` (empty: every store), answered or not:
    /// `--depth 2` over input that cannot be read a second time keeps
    /// them all from its first pass. (Reads of other stores are kept too;
    /// `stores` only narrows what is parsed.)
    pub(crate) fn any_read(stores: &[Provider], options: Options) -> Plan<'static> {
        Plan::new(LineFilter::AnyRead, options, || Prefilter::reads_in(stores))
    }

    /// Every answered value read in `stores` (empty: every store):
    /// `suspicious` and `baseline`. A Vault request line is not parsed at
    /// all; its response tells everything they judge.
    pub(crate) fn answered_reads(stores: &[Provider], options: Options) -> Plan<'static> {
        Plan::new(LineFilter::AnsweredReads, options, || {
            Prefilter::reads_in(stores)
        })
    }

    /// Every value read by these identities (`--depth 2`): records are
    /// picked by the fields that hold Vault ids, when every id has one.
    /// Entries are not counted by type (the first pass did).
    pub(crate) fn for_identities(ids: &'q IdentityIds, options: Options) -> Plan<'q> {
        let options = Options {
            count_types: false,
            ..options
        };
        Plan {
            // The first pass watched the trail.
            watch_trail: false,
            ..Plan::new(LineFilter::Identities(ids), options, || {
                match ids.fields() {
                    Some(fields) => Prefilter::FieldValues(FieldValues::new(fields)),
                    None => Prefilter::reads_in(&ids.providers()),
                }
            })
        }
    }

    /// The events `timeline` shows, of any action.
    pub(crate) fn events(filter: &'q EventFilter<'q>, options: Options) -> Plan<'q> {
        Plan::new(LineFilter::Events(filter), options, || {
            match filter.secret {
                Some(secret) => Prefilter::naming(secret),
                None => Prefilter::Everything,
            }
        })
    }

    /// Every event of every record, with what a query's filter needs
    /// besides (`BlockOut::extras`): what an index stores. Every record is
    /// parsed, so every malformed one is found, as with `--exhaustive`.
    pub(crate) fn everything(options: Options) -> Plan<'static> {
        let options = Options {
            exhaustive: true,
            count_types: true,
            ..options
        };
        Plan {
            extras: true,
            ..Plan::new(LineFilter::Everything, options, || Prefilter::Everything)
        }
    }

    /// The events `timeline` would keep, as logged, with what `Event` does
    /// not hold of their records (`BlockOut::extras`): what `export` writes.
    pub(crate) fn export(filter: &'q EventFilter<'q>, options: Options) -> Plan<'q> {
        Plan {
            extras: true,
            watch_trail: false,
            ..Plan::events(filter, options)
        }
    }

    /// Every event of the records that hold `wanted` (a value's HMAC, or
    /// a value by its SHA-256), with where in each record it sits
    /// (`BlockOut::traces`). A value known by its text is looked for by
    /// its bytes, `--exhaustive` or not; one known by its hash, in every
    /// record that holds values in clear. Never from an index, which keeps
    /// no record's bytes (see `reads_records`).
    pub(crate) fn carrying(wanted: &'q Wanted, options: Options) -> Plan<'q> {
        let options = Options {
            exhaustive: false,
            ..options
        };
        Plan {
            watch_trail: false,
            ..Plan::new(LineFilter::Carrying(wanted), options, || {
                match wanted.text() {
                    Some(text) => Prefilter::literals(&[text]),
                    None => Prefilter::Everything,
                }
            })
        }
    }

    /// The events of every record that holds something of value in clear,
    /// with what (`BlockOut::exposures`). Every record is parsed; never
    /// from an index, which keeps no record's bytes.
    pub(crate) fn exposing(options: Options) -> Plan<'static> {
        let options = Options {
            exhaustive: true,
            ..options
        };
        Plan {
            watch_trail: false,
            ..Plan::new(LineFilter::Exposing, options, || Prefilter::Everything)
        }
    }

    /// What every record tells of the trail itself, and no events
    /// (`BlockOut::trail`): `coverage`. Every record is read; never from an
    /// index, which keeps only events.
    pub(crate) fn covering(options: Options) -> Plan<'static> {
        let options = Options {
            exhaustive: true,
            ..options
        };
        Plan {
            // Every record is read for the trail already.
            watch_trail: false,
            ..Plan::new(LineFilter::Covering, options, || Prefilter::Everything)
        }
    }

    /// Whether the scan reads records for the trail (`Plan::covering`).
    pub(super) fn covers(&self) -> bool {
        matches!(self.filter, LineFilter::Covering)
    }

    /// Whether the scan notes what each record exposes (`Plan::exposing`).
    pub(super) fn notes_exposures(&self) -> bool {
        matches!(self.filter, LineFilter::Exposing)
    }

    /// The value a record must hold to be kept (`Plan::carrying`).
    pub(crate) fn carried(&self) -> Option<&'q Wanted> {
        match self.filter {
            LineFilter::Carrying(wanted) => Some(wanted),
            _ => None,
        }
    }

    /// Whether the plan needs each record's own bytes, which an index
    /// does not keep.
    pub(crate) fn reads_records(&self) -> bool {
        self.carried().is_some() || self.notes_exposures() || self.covers()
    }

    /// Whether the scan keeps each entry's `Extra` (see `Plan::everything`).
    pub(super) fn keeps_extras(&self) -> bool {
        self.extras
    }

    /// What the plan looks for, as an index narrows its events down
    /// before the filter decides (see `keep_indexed`).
    pub(crate) fn wants(&self) -> Wants<'_> {
        match &self.filter {
            LineFilter::Secret(q) => Wants::Naming(q),
            LineFilter::Events(f) => match f.secret {
                Some(q) => Wants::Naming(q),
                None => Wants::Every,
            },
            LineFilter::Identities(ids) => Wants::ReadsBy(ids),
            LineFilter::AnyRead => Wants::Reads { answered: false },
            LineFilter::AnsweredReads => Wants::Reads { answered: true },
            LineFilter::Everything
            | LineFilter::Carrying(_)
            | LineFilter::Exposing
            | LineFilter::Covering => Wants::Every,
        }
    }

    /// Whether `-v` counts records by type in this plan.
    pub(crate) fn counts_types(&self) -> bool {
        self.count_types
    }

    /// Keeps the events this plan wants out of events an index gives back,
    /// with the same filter as a scan, in the order given; `make` builds
    /// each kept one (`None`: it could not be, and the caller knows why).
    pub(crate) fn keep_indexed<'r>(
        &self,
        reads: impl IntoIterator<Item = Indexed<'r>>,
        mut make: impl FnMut(&Indexed<'r>, Match) -> Option<Event>,
    ) -> Vec<Event> {
        let answered_only = matches!(self.filter, LineFilter::AnsweredReads);
        let reads = reads.into_iter();
        // Most candidates are kept: sized once rather than grown.
        let mut kept = Vec::with_capacity(reads.size_hint().1.unwrap_or(0));
        for indexed in reads {
            if answered_only && indexed.request_half {
                continue;
            }
            if let Some(found) = self.filter.accepts(&indexed.read) {
                kept.extend(make(&indexed, found));
            }
        }
        kept
    }

    /// `prefilter` is only built when records may be skipped at all.
    fn new(
        filter: LineFilter<'q>,
        options: Options,
        prefilter: impl FnOnce() -> Prefilter,
    ) -> Plan<'q> {
        Plan {
            prefilter: match options.exhaustive {
                true => Prefilter::Everything,
                false => prefilter(),
            },
            filter,
            forced: options.forced,
            shared: Shared::default(),
            count_types: options.count_types,
            extras: false,
            watch_trail: true,
        }
    }

    /// Whether a record that the byte filter let through may hold what the
    /// plan wants, or stop or start a trail.
    pub(super) fn may_hold(&self, record: &[u8], hint: Option<Source>) -> bool {
        self.prefilter.in_record(record, hint) || self.watches(record, hint)
    }

    /// Whether a record may stop or start a trail the plan watches.
    pub(super) fn watches(&self, record: &[u8], hint: Option<Source>) -> bool {
        self.watch_trail && trail::watched(record, hint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{IdSource, Identity};

    fn options(exhaustive: bool) -> Options {
        Options {
            exhaustive,
            ..Options::default()
        }
    }

    #[test]
    fn exhaustive_plans_parse_everything() {
        let q = SecretQuery::exact("secret/production/db", &[]);
        let ids = IdentityIds::default();
        let filter = EventFilter {
            secret: Some(&q),
            ..EventFilter::default()
        };
        for plan in [
            Plan::for_secret(&q, options(true)),
            Plan::any_read(&[], options(true)),
            Plan::answered_reads(&[Provider::Vault], options(true)),
            Plan::for_identities(&ids, options(true)),
            Plan::events(&filter, options(true)),
        ] {
            assert!(matches!(plan.prefilter, Prefilter::Everything));
        }
    }

    #[test]
    fn plans_pick_their_records_by_what_they_look_for() {
        let q = SecretQuery::exact("secret/production/db", &[]);
        let plan = Plan::for_secret(&q, options(false));
        assert!(matches!(plan.prefilter, Prefilter::Query(_)));
        assert!(matches!(plan.filter, LineFilter::Secret(_)));
        // Vault's reads are told by their operation alone.
        let plan = Plan::answered_reads(&[Provider::Vault], options(false));
        assert!(matches!(plan.prefilter, Prefilter::JsonString(_)));
        assert!(matches!(plan.filter, LineFilter::AnsweredReads));
        let plan = Plan::any_read(&[], options(false));
        assert!(matches!(plan.prefilter, Prefilter::BySource { .. }));
        // A timeline of a secret also finds the events naming it.
        let filter = EventFilter {
            secret: Some(&q),
            ..EventFilter::default()
        };
        let plan = Plan::events(&filter, options(false));
        assert!(matches!(&plan.prefilter, Prefilter::Any(p) if p.len() == 2));
        let every = EventFilter::default();
        let plan = Plan::events(&every, options(false));
        assert!(matches!(plan.prefilter, Prefilter::Everything));
    }

    fn identity(provider: Provider, id_source: IdSource, id: &str) -> Identity {
        Identity {
            id: id.into(),
            id_source,
            label: id.into(),
            provider,
            metadata: Default::default(),
            policies: Vec::new(),
        }
    }

    #[test]
    fn identities_are_found_by_their_vault_fields_while_every_one_has_one() {
        let mut ids = IdentityIds::default();
        ids.insert(&identity(Provider::Vault, IdSource::Entity, "e-1"));
        ids.insert(&identity(Provider::Vault, IdSource::Accessor, "acc"));
        let plan = Plan::for_identities(&ids, options(true));
        assert!(matches!(plan.prefilter, Prefilter::Everything));
        assert!(!plan.count_types);
        let plan = Plan::for_identities(&ids, options(false));
        assert!(matches!(plan.prefilter, Prefilter::FieldValues(_)));
        assert!(ids.contains(Provider::Vault, "e-1") && !ids.contains(Provider::K8s, "e-1"));
        // A Vault id no field holds: every Vault read is a candidate.
        ids.insert(&identity(Provider::Vault, IdSource::Unknown, "who"));
        let plan = Plan::for_identities(&ids, options(false));
        assert!(matches!(plan.prefilter, Prefilter::JsonString(_)));
        // Another store's: every read of any store.
        ids.insert(&identity(Provider::K8s, IdSource::Username, "bob"));
        let plan = Plan::for_identities(&ids, options(false));
        assert!(matches!(plan.prefilter, Prefilter::BySource { .. }));
    }
}
