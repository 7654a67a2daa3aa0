//! Answering a scan plan from a segment: the plan says which events it may
//! want (`Plan::wants`), the segment finds those through its secrets or its
//! identities without touching the others, and the plan's own filter then
//! keeps them exactly as a scan would (`Plan::keep_indexed`), in file order.

use std::borrow::Cow;
use std::cell::Cell;
use std::sync::Arc;

use super::codes::Code;
use super::format::{
    CREATES, Damaged, Fields, IDENTITY, NONE, REF, REQUEST_HALF, REQUEST_NONE, REQUEST_TEXT,
    REQUEST_UUID, ROW, Section, Segment, TOKENS_IN_CLEAR, VALUES_IN_CLEAR, identity, row, secret,
};
use super::write::Builder;
use rustc_hash::FxHashMap;

use crate::event::{
    Action, Caller, ErrorKind, Event, IdSource, Identity, Origin, Outcome, Provider, RawEvent,
    ReadKind, RequestKey, Stage, Timestamp,
};
use crate::matcher::Match;
use crate::scan::{Extra, Indexed, Plan, Wants, identity_of, renamed};
use crate::source::store::SecretRef;

fn bad(what: &'static str) -> Damaged {
    Damaged::Inconsistent(what)
}

fn code<T: Code>(byte: u8) -> Result<T, Damaged> {
    T::from_code(byte).ok_or(bad("unknown code"))
}

impl Segment {
    pub(super) fn rows(&self) -> usize {
        self.count(Section::Rows, ROW)
    }

    fn row(&self, n: usize) -> Result<Fields<'_>, Damaged> {
        self.item(Section::Rows, ROW, n).map(Fields)
    }

    /// Row numbers of the events `wants` may keep, in file order.
    fn candidates(&self, wants: &Wants<'_>) -> Result<Vec<u32>, Damaged> {
        let rows = self.rows();
        let mut picked: Vec<u32> = Vec::new();
        match wants {
            Wants::Every | Wants::Reads { .. } => {
                let order = self.section_bytes(Section::FileOrder)?;
                if order.len() != rows * 4 {
                    return Err(bad("file order"));
                }
                for n in order.chunks_exact(4) {
                    let n = u32::from_le_bytes([n[0], n[1], n[2], n[3]]);
                    let wanted = match wants {
                        Wants::Reads { answered } => {
                            let r = self.row(n as usize)?;
                            r.u8(row::KIND) != 0
                                && !(*answered && r.u8(row::FLAGS) & REQUEST_HALF != 0)
                        }
                        _ => true,
                    };
                    if wanted {
                        picked.push(n);
                    }
                }
                return Ok(picked);
            }
            Wants::Naming(query) => {
                for i in 0..self.count(Section::Refs, REF) {
                    if query.matches(&self.secret(i)?.1).is_some() {
                        let from = self.u64_item(Section::RefRows, i)?;
                        let to = self.u64_item(Section::RefRows, i + 1)?;
                        if from > to || to > rows {
                            return Err(bad("secret's rows"));
                        }
                        picked.extend(from as u32..to as u32);
                    }
                }
            }
            Wants::ReadsBy(ids) => {
                for i in 0..self.count(Section::Identities, IDENTITY) {
                    let r = Fields(self.item(Section::Identities, IDENTITY, i)?);
                    let realm: Provider = code(r.u8(identity::REALM))?;
                    if !ids.contains(realm, self.string(r.u32(identity::ID))?) {
                        continue;
                    }
                    let from = self.u64_item(Section::IdentityEnds, i)?;
                    let to = self.u64_item(Section::IdentityEnds, i + 1)?;
                    for j in from..to {
                        let n = self.u32_item(Section::IdentityRows, j)?;
                        if self.row(n as usize)?.u8(row::KIND) != 0 {
                            picked.push(n);
                        }
                    }
                }
            }
        }
        // Back in file order, as a scan finds them.
        let mut by_seq = Vec::with_capacity(picked.len());
        for n in picked {
            by_seq.push((self.row(n as usize)?.u32(row::SEQ), n));
        }
        by_seq.sort_unstable();
        Ok(by_seq.into_iter().map(|(_, n)| n).collect())
    }

    /// Secret `i`: its record, and what a query matches it by.
    fn secret(&self, i: usize) -> Result<(Fields<'_>, SecretRef<'_>), Damaged> {
        let r = Fields(self.item(Section::Refs, REF, i)?);
        let matched = SecretRef {
            provider: code(r.u8(secret::PROVIDER))?,
            secret: self.string(r.u32(secret::NAME))?,
            logical: self.string_opt(r.u32(secret::LOGICAL))?,
            alias: self.string_opt(r.u32(secret::ALIAS))?,
            scope: code(r.u8(secret::SCOPE))?,
        };
        Ok((r, matched))
    }

    /// Caller `id` whole; with `brief`, its id, id source and label only
    /// (what a filter asks of it).
    fn caller(&self, id: u32, brief: bool) -> Result<Caller<'_>, Damaged> {
        let from = self.u64_item(Section::CallerEnds, id as usize)?;
        let to = self.u64_item(Section::CallerEnds, id as usize + 1)?;
        let mut at = from;
        let mut next = || -> Result<u32, Damaged> {
            if at >= to {
                return Err(bad("caller"));
            }
            at += 1;
            self.u32_item(Section::Callers, at - 1)
        };
        let id = self.string(next()?)?;
        let id_source: IdSource = code(u8::try_from(next()?).map_err(|_| bad("caller"))?)?;
        let label = self.string(next()?)?;
        let mut caller = Caller {
            id: Cow::Borrowed(id),
            id_source: Some(id_source),
            label: Cow::Borrowed(label),
            metadata: Vec::new(),
            policies: Vec::new(),
        };
        if brief {
            return Ok(caller);
        }
        let n = next()? as usize;
        caller.metadata.reserve(n.min(64));
        for _ in 0..n {
            let k = self.string(next()?)?;
            let v = self.string(next()?)?;
            caller.metadata.push((Cow::Borrowed(k), Cow::Borrowed(v)));
        }
        let n = next()? as usize;
        caller.policies.reserve(n.min(64));
        for _ in 0..n {
            caller.policies.push(Cow::Borrowed(self.string(next()?)?));
        }
        Ok(caller)
    }

    /// Row `n` as a filter sees it, in input file `file`.
    fn indexed(&self, n: u32, file: u32) -> Result<Indexed<'_>, Damaged> {
        let r = self.row(n as usize)?;
        let opt = |at: usize| self.string_opt(r.u32(at)).map(|s| s.map(Cow::Borrowed));
        let origin = Origin {
            file,
            line: r.u64(row::LINE),
            record: Some(r.u32(row::RECORD)).filter(|&i| i != NONE),
        };
        let (_, named) = self.secret(r.u32(row::REF) as usize)?;
        let kind: Option<ReadKind> = match r.u8(row::KIND) {
            0 => None,
            k => Some(code(k - 1)?),
        };
        let flags = r.u8(row::FLAGS);
        let read = RawEvent {
            provider: code::<Provider>(r.u8(row::PROVIDER))?,
            action: code::<Action>(r.u8(row::ACTION))?,
            kind,
            scope: named.scope,
            operation: Cow::Borrowed(self.string(r.u32(row::OPERATION))?),
            stage: code::<Stage>(r.u8(row::STAGE))?,
            time: Timestamp::from_raw_parts(r.i64(row::TIME), r.u8(row::DIGITS)),
            request_id: Cow::Borrowed(""),
            error: code::<ErrorKind>(r.u8(row::ERROR))?,
            reason: opt(row::REASON)?,
            secret: Cow::Borrowed(named.secret),
            logical: named.logical.map(Cow::Borrowed),
            alias: named.alias.map(Cow::Borrowed),
            caller: self.caller(r.u32(row::CALLER), true)?,
            credential: opt(row::CREDENTIAL)?,
            source_address: opt(row::ADDRESS)?,
            user_agent: opt(row::USER_AGENT)?,
            raw_values: flags & VALUES_IN_CLEAR != 0,
            raw_tokens: flags & TOKENS_IN_CLEAR != 0,
            creates: flags & CREATES != 0,
            cited: None,
        };
        Ok(Indexed {
            read,
            row: n,
            origin,
            export_id: self.string_opt(r.u32(row::EXPORT_ID))?,
            request_half: flags & REQUEST_HALF != 0,
        })
    }

    /// Keeps what `plan` wants of `rows` (in file order), as events of input
    /// file `file`; `also` sees each kept one with its row.
    fn keep(
        &self,
        plan: &Plan<'_>,
        rows: &[u32],
        file: u32,
        mut also: impl FnMut(&Indexed<'_>),
    ) -> Result<Vec<Event>, Damaged> {
        let failed = Cell::new(None);
        let fail = |e| {
            failed.set(Some(e));
        };
        let mut maker = Maker::new(self);
        let reads = rows
            .iter()
            .map_while(|&n| self.indexed(n, file).map_err(fail).ok());
        let kept = plan.keep_indexed(reads, |indexed, found| {
            also(indexed);
            maker.event(indexed, found).map_err(fail).ok()
        });
        match failed.into_inner() {
            Some(e) => Err(e),
            None => Ok(kept),
        }
    }

    /// The events `plan` keeps, as a scan of input file `file` keeps them.
    pub(super) fn answer(&self, plan: &Plan<'_>, file: u32) -> Result<Vec<Event>, Damaged> {
        let rows = self.candidates(&plan.wants())?;
        self.keep(plan, &rows, file, |_| {})
    }

    /// Adds every event to `builder`, in file order, as they were when
    /// this segment was written: a file that grew keeps its old events.
    pub(super) fn carry_over(
        &self,
        everything: &Plan<'_>,
        builder: &mut Builder,
    ) -> Result<(), Damaged> {
        let rows = self.candidates(&Wants::Every)?;
        for chunk in rows.chunks(1 << 16) {
            let mut extras = Vec::with_capacity(chunk.len());
            let events = self.keep(everything, chunk, 0, |i| {
                extras.push(Extra {
                    alias: i.read.alias.as_deref().map(Arc::from),
                    request_half: i.request_half,
                    ..Extra::default()
                });
            })?;
            if events.len() != chunk.len() {
                return Err(bad("events lost"));
            }
            for (e, x) in events.iter().zip(&extras) {
                builder.add(e, x);
            }
        }
        Ok(())
    }
}

/// Builds the events an answer keeps, each string and identity of the
/// segment made once and shared, as a scan's interning shares them.
struct Maker<'s> {
    segment: &'s Segment,
    strings: FxHashMap<u32, Arc<str>>,
    identities: FxHashMap<u32, Arc<Identity>>,
}

impl<'s> Maker<'s> {
    fn new(segment: &'s Segment) -> Self {
        Maker {
            segment,
            strings: FxHashMap::default(),
            identities: FxHashMap::default(),
        }
    }

    fn string(&mut self, id: u32) -> Result<Arc<str>, Damaged> {
        if let Some(s) = self.strings.get(&id) {
            return Ok(s.clone());
        }
        let s: Arc<str> = Arc::from(self.segment.string(id)?);
        self.strings.insert(id, s.clone());
        Ok(s)
    }

    fn string_opt(&mut self, id: u32) -> Result<Option<Arc<str>>, Damaged> {
        match id {
            NONE => Ok(None),
            id => self.string(id).map(Some),
        }
    }

    fn identity(&mut self, caller: u32, realm: Provider) -> Result<Arc<Identity>, Damaged> {
        if let Some(i) = self.identities.get(&caller) {
            return Ok(i.clone());
        }
        let whole = self.segment.caller(caller, false)?;
        let identity = Arc::new(identity_of(&whole, realm));
        self.identities.insert(caller, identity.clone());
        Ok(identity)
    }

    /// The event of a kept row, as `Interner::entry` makes it from its
    /// record.
    fn event(&mut self, indexed: &Indexed<'_>, found: Match) -> Result<Event, Damaged> {
        let r = self.segment.row(indexed.row as usize)?;
        let read = &indexed.read;
        let (secret, logical) = match renamed(found, &read.secret) {
            None => {
                let (record, _) = self.segment.secret(r.u32(row::REF) as usize)?;
                (
                    self.string(record.u32(secret::NAME))?,
                    self.string_opt(record.u32(secret::LOGICAL))?,
                )
            }
            Some((secret, logical)) => (Arc::from(secret), logical.map(Arc::from)),
        };
        let key = match r.u8(row::REQUEST_KIND) {
            REQUEST_NONE => RequestKey::Unpaired(indexed.origin),
            REQUEST_UUID => RequestKey::Uuid(r.u128(row::REQUEST)),
            REQUEST_TEXT => RequestKey::Text(self.segment.string(r.u32(row::REQUEST))?.into()),
            _ => return Err(bad("request id")),
        };
        Ok(Event {
            key,
            provider: read.provider,
            action: read.action,
            kind: read.kind,
            scope: read.scope,
            operation: self.string(r.u32(row::OPERATION))?,
            stage: read.stage,
            time: read.time,
            end: read.time,
            error: read.error,
            outcome: Outcome::Unknown,
            reason: self.string_opt(r.u32(row::REASON))?,
            secret,
            logical,
            identity: self.identity(r.u32(row::CALLER), read.provider.realm())?,
            credential: self.string_opt(r.u32(row::CREDENTIAL))?,
            source_address: self.string_opt(r.u32(row::ADDRESS))?,
            user_agent: self.string_opt(r.u32(row::USER_AGENT))?,
            origin: indexed.origin,
            export_id: indexed.export_id.map(Arc::from),
            creates: read.creates,
            values_in_clear: read.raw_values,
            tokens_in_clear: read.raw_tokens,
            excluded: None,
        })
    }
}
