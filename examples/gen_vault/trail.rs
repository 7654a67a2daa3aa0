//! `--plant-trail`: the trail's own events, for `whosaw coverage` and the
//! partial answers of questions over an off period. Halfway through the
//! output an administrator disables the audit device: only its request is
//! logged (a device does not log the answer to its own removal), then the
//! log is silent for three hours until root enables the device again (only
//! that response is logged: the device did not exist for its request). At
//! three quarters a root token is generated: an attempt and two key shares,
//! the last answered `"complete":true`.

use std::io::{self, Write};

use crate::SEC;
use crate::emit::Emitter;
use crate::timestamp::time_string;

/// How long the device stays disabled.
const OFF: i64 = 3 * 3_600 * SEC;

pub struct Trail {
    disable_at: u64,
    generate_at: u64,
    disabled: bool,
    generated: bool,
    n: u64,
    /// What was planted, and when (for the summary on stderr).
    pub planted: Vec<(&'static str, String)>,
}

impl Trail {
    pub fn new(size: u64) -> Trail {
        Trail {
            disable_at: size / 2,
            generate_at: size / 4 * 3,
            disabled: false,
            generated: false,
            n: 0,
            planted: Vec::new(),
        }
    }

    /// Writes what is due once the output has reached its offset.
    pub fn plant<W: Write>(&mut self, em: &mut Emitter<W>) -> io::Result<()> {
        if !self.disabled && em.stats.bytes >= self.disable_at {
            self.disabled = true;
            let t = em.clock + SEC;
            self.write(em, t, "request", ADMIN, "delete", "sys/audit/file", None)?;
            self.planted.push(("audit device disabled", time_string(t)));
            let back = t + OFF;
            self.write(
                em,
                back,
                "response",
                ROOT,
                "update",
                "sys/audit/file",
                Some("{}"),
            )?;
            self.planted
                .push(("audit device enabled again", time_string(back)));
        }
        if !self.generated && em.stats.bytes >= self.generate_at {
            self.generated = true;
            let mut t = em.clock + SEC;
            let steps = [
                (
                    "sys/generate-root/attempt",
                    r#"{"data":{"complete":false,"progress":0,"required":2,"started":true}}"#,
                ),
                (
                    "sys/generate-root/update",
                    r#"{"data":{"complete":false,"progress":1,"required":2,"started":true}}"#,
                ),
                (
                    "sys/generate-root/update",
                    r#"{"data":{"complete":true,"encoded_token":"hmac-sha256:5f0e3c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f","progress":2,"required":2,"started":true}}"#,
                ),
            ];
            for (path, answer) in steps {
                self.write(em, t, "request", ADMIN, "update", path, None)?;
                self.write(
                    em,
                    t + 2_000_000,
                    "response",
                    ADMIN,
                    "update",
                    path,
                    Some(answer),
                )?;
                t += 40 * SEC;
            }
            self.planted
                .push(("root token generated", time_string(t - 40 * SEC)));
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn write<W: Write>(
        &mut self,
        em: &mut Emitter<W>,
        t: i64,
        kind: &str,
        who: &str,
        operation: &str,
        path: &str,
        response: Option<&str>,
    ) -> io::Result<()> {
        // A response follows its request, with its id; one alone is new.
        if kind == "request" || response_only(kind, path) {
            self.n += 1;
        }
        let id = format!("7a11c0de-0000-4000-8000-{:012}", self.n);
        let response = response.map_or(String::new(), |r| format!(",\"response\":{r}"));
        let line = format!(
            "{{\"time\":\"{}\",\"type\":\"{kind}\",\"auth\":{who},\"request\":{{\"id\":\"{id}\",\
             \"operation\":\"{operation}\",\"mount_type\":\"system\",\"namespace\":{{\"id\":\"root\"}},\
             \"path\":\"{path}\",\"remote_address\":\"10.0.0.7\",\"remote_port\":51234}}{response}}}\n",
            time_string(t)
        );
        em.out.write_all(line.as_bytes())?;
        em.stats.bytes += line.len() as u64;
        em.stats.lines += 1;
        em.clock = em.clock.max(t);
        Ok(())
    }
}

/// The enabling's response, whose request the device never saw.
fn response_only(kind: &str, path: &str) -> bool {
    kind == "response" && path == "sys/audit/file"
}

const ADMIN: &str = r#"{"accessor":"hmac-sha256:0c4f2a9e7b1d3c5e6f8a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f2a4b6c8d0e","client_token":"hmac-sha256:9e1d3c5b7a9f0e2d4c6b8a0f1e3d5c7b9a1f2e4d6c8b0a2f4e6d8c0b2a4f6e8d","display_name":"userpass-ops-admin","entity_id":"5e7d9c1b-3a5f-4e7d-9c1b-3a5f7e9d1c3b","metadata":{"username":"ops-admin"},"policies":["admin","default"],"token_policies":["admin","default"],"token_type":"service"}"#;
const ROOT: &str = r#"{"accessor":"hmac-sha256:1d3f5b7d9f1b3d5f7b9d1f3b5d7f9b1d3f5b7d9f1b3d5f7b9d1f3b5d7f9b1d3f","client_token":"hmac-sha256:2e4a6c8e0a2c4e6a8c0e2a4c6e8a0c2e4a6c8e0a2c4e6a8c0e2a4c6e8a0c2e4a","display_name":"root","policies":["root"],"token_policies":["root"],"token_type":"service"}"#;
