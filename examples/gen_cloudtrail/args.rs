//! The command line: OUT-DIR, `--size-mib`, `--seed`, `--threads`.

pub const USAGE: &str = "usage: gen_cloudtrail OUT-DIR [--size-mib N] [--seed S] [--threads T]
  OUT-DIR       where AWSLogs/ is written (must not hold an AWSLogs/ already)
  --size-mib N  total uncompressed size in MiB, about [1024]
  --seed S      seed for the deterministic generator [42]
  --threads T   worker threads; the output does not depend on it [all CPUs]";

pub struct Args {
    pub out: String,
    /// Uncompressed bytes to write, about (whole records).
    pub size: u64,
    pub seed: u64,
    pub threads: usize,
}

/// Returns `Ok(None)` when help was asked for.
pub fn parse_args(mut it: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut size_mib: f64 = 1024.0;
    let mut seed = 42;
    let mut threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut out = None;
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--size-mib" | "--seed" | "--threads" => {
                let value = match inline.or_else(|| it.next()) {
                    Some(v) => v,
                    None => return Err(format!("{flag} needs a value")),
                };
                let bad = || format!("bad {flag} {value:?}");
                match flag.as_str() {
                    "--size-mib" => {
                        size_mib = value.parse().map_err(|_| bad())?;
                        // Also refuses NaN and infinity.
                        if !size_mib.is_finite() || size_mib <= 0.0 {
                            return Err(bad());
                        }
                    }
                    "--seed" => seed = value.parse().map_err(|_| bad())?,
                    _ => {
                        threads = value.parse().map_err(|_| bad())?;
                        if threads == 0 {
                            return Err(bad());
                        }
                    }
                }
            }
            f if f.starts_with('-') => return Err(format!("unknown option {f}")),
            _ if out.is_some() => return Err(format!("unexpected argument {arg:?}")),
            _ => out = Some(arg),
        }
    }
    let out = out.ok_or("missing OUT-DIR")?;
    Ok(Some(Args {
        out,
        size: (size_mib * crate::MIB as f64).round() as u64,
        seed,
        threads,
    }))
}
