//! The command line: `--size`, `--seed`, OUT, and the SIZE syntax.

use crate::{GIB, KIB, MIB};

pub const USAGE: &str = "usage: gen_vault [--size SIZE] [--seed N] [--anomalies FILE] [--plant-trail] OUT
  --size SIZE       stop after SIZE bytes (whole pairs): 1GiB, 200MiB, 500MB, 10KiB, bytes [100MiB]
  --seed N          seed for the deterministic generator [42]
  --anomalies FILE  write the planted anomalies (the known answer of `whosaw suspicious`) as JSON
  --plant-trail     disable the audit device for 3 hours halfway through, generate a root token at 3/4
  OUT               output file, or - for stdout";

pub struct Args {
    pub size: u64,
    pub seed: u64,
    pub anomalies: Option<String>,
    pub plant_trail: bool,
    pub out: String,
}

/// Returns `Ok(None)` when help was asked for.
pub fn parse_args(mut it: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut size = 100 * MIB;
    let mut seed = 42;
    let mut out = None;
    let mut anomalies = None;
    let mut plant_trail = false;
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--plant-trail" => plant_trail = true,
            "--size" | "--seed" | "--anomalies" => {
                let value = match inline.or_else(|| it.next()) {
                    Some(v) => v,
                    None => return Err(format!("{flag} needs a value")),
                };
                if flag == "--size" {
                    size = parse_size(&value)?;
                } else if flag == "--anomalies" {
                    anomalies = Some(value);
                } else {
                    seed = value.parse().map_err(|_| format!("bad --seed {value:?}"))?;
                }
            }
            f if f.starts_with('-') && f != "-" => return Err(format!("unknown option {f}")),
            _ if out.is_some() => return Err(format!("unexpected argument {arg:?}")),
            _ => out = Some(arg),
        }
    }
    let out = out.ok_or("missing OUT (a file path, or - for stdout)")?;
    Ok(Some(Args {
        size,
        seed,
        anomalies,
        plant_trail,
        out,
    }))
}

/// `1GiB`, `200MiB`, `500MB`, `10KiB`, `1.5G`, `4096`. Bare K/M/G are binary.
fn parse_size(text: &str) -> Result<u64, String> {
    let bad = || format!("bad size {text:?} (try 1GiB, 200MiB, 500MB, 10KiB or bytes)");
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().map_err(|_| bad())?;
    let unit_bytes = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => KIB,
        "kb" => 1_000,
        "m" | "mib" => MIB,
        "mb" => 1_000_000,
        "g" | "gib" => GIB,
        "gb" => 1_000_000_000,
        "t" | "tib" => GIB << 10,
        "tb" => 1_000_000_000_000,
        _ => return Err(bad()),
    };
    let bytes = (number * unit_bytes as f64).round();
    if bytes < 1.0 {
        Err(bad())
    } else {
        Ok(bytes as u64)
    }
}
