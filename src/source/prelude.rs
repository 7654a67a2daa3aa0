//! What a store's module needs, in one import (`use super::prelude::*`):
//! the event it produces, the plug-in interface it implements, the lenient
//! field types its records are declared with, and the shared helpers.

pub(crate) use std::borrow::Cow;

pub(crate) use serde::Deserialize;
pub(crate) use serde_json::value::RawValue;

pub(crate) use super::lenient::{Obj, Str, StrList, StrMap};
pub(crate) use super::store::{
    About, ContainerLead, CredentialKind, Credentials, Halves, Mark, NameNeedles, PathSearch,
    SecretRef, Store, StoreName, TrailNeedle, Wrapper,
};
pub(crate) use super::{
    RecordError, Source, StatusCode, from_json, raw_int, record_time, record_time_utc,
};
pub(crate) use crate::event::{
    Action, Caller, ErrorKind, IdSource, Identity, Provider, RawEvent, ReadKind, Scope, Stage,
};
