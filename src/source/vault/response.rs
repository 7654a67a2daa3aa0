//! A Vault read's answer, judged from its structure alone: did a value
//! leave the store? And the fast path that decodes a line without its
//! response (the bulk of a read's line).

use std::borrow::Cow;

use super::RawLine;
use crate::event::ErrorKind;
use crate::source::lenient::{Obj, Str};

/// What a response without `error` returned, from its structure alone (its
/// strings are skipped, never decoded, so no value is ever read):
/// - `data.http_status_code` ≥ 400 (a KV v2 read of a missing or deleted
///   secret is logged as a 404 *inside* the data): not found for 404,
///   another error otherwise;
/// - no `response`, an empty one, or one without `data` (null or empty):
///   nothing was returned;
/// - `wrap_info`: the value was wrapped for the caller, who holds the token
///   that unwraps it: a read;
/// - any other `data`: a value.
pub(super) fn answer_of(response: Option<&[u8]>) -> Answer {
    let nothing = Answer {
        verdict: ErrorKind::NoValue,
        reason: Some(Cow::Borrowed("the response holds no data")),
        data: false,
    };
    let Some(response) = response.filter(|r| r.first() == Some(&b'{')) else {
        return nothing;
    };
    let is_null = |at: usize| response[at..].starts_with(b"null");
    // The walk stops at the first `data` that holds something: neither the
    // data nor what follows it is scanned member by member.
    let mut data_at = None;
    let mut wrapped = false;
    let walked = crate::json::members_until(response, 0, |key, start| {
        match key {
            b"data" if !is_null(start) && !crate::json::is_empty_object(response, start) => {
                data_at = Some(start);
                return false;
            }
            b"wrap_info" => wrapped |= !is_null(start),
            _ => {}
        }
        true
    });
    let Some(data_at) = data_at.filter(|_| walked.is_ok()) else {
        // No data (or, unreachable for a line serde accepted, a response
        // that cannot be walked: never claim a value).
        return match (wrapped, walked) {
            (true, Ok(())) => Answer {
                verdict: ErrorKind::None,
                reason: None,
                data: false,
            },
            _ => nothing,
        };
    };
    // A status is rare, and comes in a small body of its own
    // (`http_content_type`, `http_raw_body`, `http_status_code`: in that
    // order, as Go sorts map keys): told by the first key, so a value is
    // never scanned twice; then confirmed to be the data's own member,
    // beside a raw body.
    let data = &response[data_at..];
    let candidate = data.first() == Some(&b'{')
        && data[crate::json::skip_blanks(data, 1)..].starts_with(b"\"http_");
    let mut status = None;
    if candidate {
        let mut raw_body = false;
        let _ = crate::json::members(data, 0, |key, start, end| match key {
            b"http_status_code" => {
                let text = std::str::from_utf8(&data[start..end]);
                status = text
                    .ok()
                    .and_then(|t| t.trim_matches('"').parse::<i64>().ok());
            }
            b"http_raw_body" | b"http_content_type" => raw_body = true,
            _ => {}
        });
        status = status.filter(|_| raw_body);
    }
    let (verdict, reason) = match status {
        Some(404) => (
            ErrorKind::NotFound,
            Some(Cow::Borrowed("not found (HTTP 404 in the response data)")),
        ),
        Some(code @ 400..) => (
            ErrorKind::Other,
            Some(Cow::Owned(format!("HTTP {code} in the response data"))),
        ),
        _ => (ErrorKind::None, None),
    };
    Answer {
        verdict,
        reason,
        data: true,
    }
}

/// What a response returned (see `answer_of`).
pub(super) struct Answer {
    pub verdict: ErrorKind,
    pub reason: Option<Cow<'static, str>>,
    /// It carries data (in clear on a `log_raw` device).
    pub data: bool,
}

/// A line laid out as Vault writes it (Go's field order: `time`, `type`,
/// `auth`, `request`, `response`, `error`) whose last member is `response`:
/// everything whosaw reads precedes it, so the response (the bulk of a read's
/// line) is only checked to be whole — a structural scan that skips its
/// strings — and never decoded. `None`: the line is parsed in full (another
/// layout, an `error` after the response, anything unexpected). The
/// response's text comes back beside the line, for `answer_of`.
pub(super) fn head_only(json: &str) -> Option<(RawLine<'_>, Option<&str>)> {
    static RESPONSE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b",\"response\":"));
    let bytes = json.as_bytes();
    if !bytes.starts_with(b"{\"time\":\"") {
        return None;
    }
    let at = RESPONSE.find(bytes)?;
    // The response must be one whole value and the object's last member.
    let value = crate::json::skip_blanks(bytes, at + RESPONSE.needle().len());
    let end = crate::json::value_end(bytes, value).ok()?;
    let close = crate::json::skip_blanks(bytes, end);
    if bytes.get(close) != Some(&b'}') || crate::json::skip_blanks(bytes, close + 1) != bytes.len()
    {
        return None;
    }
    // The members before it: a clean end of input right where the next key
    // would start proves the cut is at the top level, not inside a value.
    let mut de = serde_json::Deserializer::from_str(&json[..at]);
    let mut head = None;
    let result = serde::Deserializer::deserialize_map(&mut de, HeadVisitor { head: &mut head });
    match result {
        Err(e) if e.is_eof() => head
            .and_then(|h| h.complete.then_some(h.line))
            .map(|line| (line, Some(&json[value..end]))),
        _ => None,
    }
}

/// What [`HeadVisitor`] read before the input ran out.
struct Head<'a> {
    line: RawLine<'a>,
    /// The input ended where a key would start (not inside a value).
    complete: bool,
}

struct HeadVisitor<'h, 'a> {
    head: &'h mut Option<Head<'a>>,
}

impl<'de> serde::de::Visitor<'de> for HeadVisitor<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a Vault audit entry")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut line = RawLine {
            time: Str::default(),
            kind: Str::default(),
            auth: Obj::default(),
            request: Obj::default(),
            error: Str::default(),
            response: None,
        };
        loop {
            let key = match map.next_key::<Str<'de>>() {
                Ok(Some(key)) => key,
                Ok(None) => break,
                Err(e) => {
                    *self.head = Some(Head {
                        line,
                        complete: true,
                    });
                    return Err(e);
                }
            };
            match key.get() {
                Some("time") => line.time = map.next_value()?,
                Some("type") => line.kind = map.next_value()?,
                Some("auth") => line.auth = map.next_value()?,
                Some("request") => line.request = map.next_value()?,
                Some("error") => line.error = map.next_value()?,
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        // The whole object was there: no cut, which the caller never asks for.
        *self.head = Some(Head {
            line,
            complete: false,
        });
        Ok(())
    }
}
