//! Maps written as text without quotes: Java's `Map.toString()`
//! (`{secretId=prod/db, names=[a, b]}`, Elastic's `request_parameters`)
//! and Presto's rendering of a ROW or ARRAY (`{type=AssumedRole,
//! arn=arn:aws:…, sessioncontext={…}}`, `[{arn=…}]`, Athena's results).
//! Nothing is quoted, so a value holding `, k=` or a closing bracket is
//! ambiguous: a value ends where `, ` is followed by a key and `=`, or at
//! its container's closing bracket.
//! See: https://docs.oracle.com/javase/8/docs/api/java/util/AbstractMap.html#toString--

use serde_json::{Map, Value};

/// The object or array `text` renders; scalars are text, `null` is null.
/// `None` when the text is no such rendering.
pub(super) fn parse(text: &str) -> Option<Value> {
    let mut p = Parser {
        text,
        at: 0,
        depth: 0,
    };
    let value = p.value(Closer::End)?;
    (p.at == text.len() && value.is_object() | value.is_array()).then_some(value)
}

#[derive(Clone, Copy, PartialEq)]
enum Closer {
    Map,
    List,
    End,
}

/// How deep maps and lists may nest: no export writes more than a few
/// levels, and a hostile row must not exhaust the stack (serde_json stops
/// at 128 for the same reason).
const MAX_DEPTH: u8 = 64;

struct Parser<'t> {
    text: &'t str,
    at: usize,
    depth: u8,
}

impl<'t> Parser<'t> {
    fn rest(&self) -> &'t str {
        &self.text[self.at..]
    }

    fn value(&mut self, closer: Closer) -> Option<Value> {
        let nested = matches!(self.rest().as_bytes().first(), Some(b'{' | b'['));
        if !nested {
            return Some(self.scalar(closer));
        }
        if self.depth == MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let value = match self.rest().as_bytes().first() {
            Some(b'{') => self.map(),
            _ => self.list(),
        };
        self.depth -= 1;
        value
    }

    fn map(&mut self) -> Option<Value> {
        self.at += 1;
        let mut map = Map::new();
        if self.rest().starts_with('}') {
            self.at += 1;
            return Some(Value::Object(map));
        }
        loop {
            let eq = self.rest().find('=')?;
            let key = self.rest()[..eq].trim().to_string();
            self.at += eq + 1;
            let value = self.value(Closer::Map)?;
            map.insert(key, value);
            if self.rest().starts_with(", ") {
                self.at += 2;
            } else if self.rest().starts_with('}') {
                self.at += 1;
                return Some(Value::Object(map));
            } else {
                return None;
            }
        }
    }

    fn list(&mut self) -> Option<Value> {
        self.at += 1;
        let mut items = Vec::new();
        if self.rest().starts_with(']') {
            self.at += 1;
            return Some(Value::Array(items));
        }
        loop {
            items.push(self.value(Closer::List)?);
            if self.rest().starts_with(", ") {
                self.at += 2;
            } else if self.rest().starts_with(']') {
                self.at += 1;
                return Some(Value::Array(items));
            } else {
                return None;
            }
        }
    }

    fn scalar(&mut self, closer: Closer) -> Value {
        let rest = self.rest();
        let end = (0..=rest.len())
            .find(|&i| rest.is_char_boundary(i) && ends_scalar(&rest[i..], closer))
            .unwrap_or(rest.len());
        let text = &rest[..end];
        self.at += end;
        match text {
            "null" => Value::Null,
            _ => Value::String(text.to_string()),
        }
    }
}

/// Whether a scalar ends where `rest` starts.
fn ends_scalar(rest: &str, closer: Closer) -> bool {
    match closer {
        Closer::End => rest.is_empty(),
        Closer::List => rest.is_empty() || rest.starts_with(", ") || rest.starts_with(']'),
        Closer::Map => {
            if rest.is_empty() {
                return true;
            }
            if let Some(next) = rest.strip_prefix(", ") {
                let key = next
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(next.len());
                return key > 0 && next[key..].starts_with('=');
            }
            // A closing brace ends the value when its container ends too.
            rest.strip_prefix('}')
                .is_some_and(|after| after.is_empty() || after.starts_with([',', '}', ']']))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nesting_past_the_limit_is_no_map() {
        let deep = |n: usize| format!("{}x{}", "{a=".repeat(n), "}".repeat(n));
        assert!(parse(&deep(usize::from(MAX_DEPTH))).is_some());
        assert_eq!(parse(&deep(usize::from(MAX_DEPTH) + 1)), None);
        // Far deeper than any stack allows: refused, not a crash.
        assert_eq!(parse(&deep(200_000)), None);
    }

    #[test]
    fn java_maps_as_elastic_writes_request_parameters() {
        assert_eq!(
            parse("{secretId=prod/db-password}"),
            Some(json!({"secretId": "prod/db-password"}))
        );
        assert_eq!(
            parse("{secretIdList=[arn:aws:a:1, arn:aws:b:2], maxResults=20}"),
            Some(json!({"secretIdList": ["arn:aws:a:1", "arn:aws:b:2"], "maxResults": "20"}))
        );
        assert_eq!(
            parse("{filters=[{key=name, values=[prod/]}], x={}}"),
            Some(json!({"filters": [{"key": "name", "values": ["prod/"]}], "x": {}}))
        );
        // A comma not followed by a key stays in the value.
        assert_eq!(
            parse("{name=a, b, withDecryption=true}"),
            Some(json!({"name": "a, b", "withDecryption": "true"}))
        );
        assert_eq!(parse("{}"), Some(json!({})));
        assert_eq!(parse("plain"), None);
        assert_eq!(parse("{broken"), None);
    }

    #[test]
    fn athena_structs_with_nulls_and_nesting() {
        let text = "{type=AssumedRole, principalid=AROA1:s, arn=arn:aws:sts::1:assumed-role/r/s, \
                    invokedby=null, sessioncontext={attributes={mfaauthenticated=false, \
                    creationdate=2025-03-15T02:30:58Z}, sessionissuer={type=Role, username=r}}}";
        assert_eq!(
            parse(text),
            Some(json!({
                "type": "AssumedRole", "principalid": "AROA1:s",
                "arn": "arn:aws:sts::1:assumed-role/r/s", "invokedby": null,
                "sessioncontext": {
                    "attributes": {"mfaauthenticated": "false", "creationdate": "2025-03-15T02:30:58Z"},
                    "sessionissuer": {"type": "Role", "username": "r"}
                }
            }))
        );
        assert_eq!(
            parse("[{arn=arn:aws:kms:1:key/k, accountid=1, type=AWS::KMS::Key}]"),
            Some(
                json!([{"arn": "arn:aws:kms:1:key/k", "accountid": "1", "type": "AWS::KMS::Key"}])
            )
        );
    }
}
