//! Source addresses as logged, networks (CIDR) and the /24 or /64 an
//! address belongs to. Only `std::net`: nothing here needs more.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// The IP address in a logged source address: `10.1.2.3`, `10.1.2.3:5000`,
/// `2001:db8::1`, `[2001:db8::1]:443`; an IPv4-mapped IPv6 address is its
/// IPv4 address. `None` for anything else (a host name, `AWS Internal`, a
/// service name such as `secretsmanager.amazonaws.com`).
pub(crate) fn parse_address(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    let ip = if let Some(rest) = text.strip_prefix('[') {
        rest.split(']').next()?.parse::<IpAddr>().ok()?
    } else if let Ok(ip) = text.parse::<IpAddr>() {
        ip
    } else {
        // `v4:port`: exactly one colon.
        let (host, port) = text.rsplit_once(':')?;
        port.parse::<u16>().ok()?;
        IpAddr::V4(host.parse::<Ipv4Addr>().ok()?)
    };
    Some(canonical(ip))
}

/// A logged address without its port, as text (`10.1.2.3:5000` and
/// `[2001:db8::1]:443` are `10.1.2.3` and `2001:db8::1`); anything else as
/// logged (a bare IPv6 address, a host name, `AWS Internal`).
pub(crate) fn without_port<'a>(text: std::borrow::Cow<'a, str>) -> std::borrow::Cow<'a, str> {
    let is_port = |p: &str| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit());
    let host = if let Some(rest) = text.strip_prefix('[') {
        match rest.split_once(']') {
            Some((host, "")) => host,
            Some((host, port)) if port.strip_prefix(':').is_some_and(is_port) => host,
            _ => return text,
        }
    } else {
        // Most addresses have no port: one SIMD search says so.
        let Some(colon) = memchr::memrchr(b':', text.as_bytes()) else {
            return text;
        };
        let (host, port) = (&text[..colon], &text[colon + 1..]);
        // One colon only: more are an IPv6 address, not a port.
        if memchr::memchr(b':', host.as_bytes()).is_some() || !is_port(port) {
            return text;
        }
        host
    };
    if host.is_empty() {
        return text;
    }
    std::borrow::Cow::Owned(host.to_string())
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(v6),
        },
        v4 => v4,
    }
}

/// A network: an address and a prefix length, host bits cleared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Cidr {
    network: IpAddr,
    prefix: u8,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a network (CIDR such as 10.0.0.0/8 or 2001:db8::/32, or an address)")]
pub(crate) struct CidrError;

impl Cidr {
    pub(crate) fn new(ip: IpAddr, prefix: u8) -> Option<Cidr> {
        let ip = canonical(ip);
        let max = match ip {
            IpAddr::V4(_) => 32,
            IpAddr::V6(_) => 128,
        };
        (prefix <= max).then(|| Cidr {
            network: mask(ip, prefix),
            prefix,
        })
    }

    pub(crate) fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        matches!(
            (self.network, ip),
            (IpAddr::V4(_), IpAddr::V4(_)) | (IpAddr::V6(_), IpAddr::V6(_))
        ) && mask(ip, self.prefix) == self.network
    }
}

fn mask(ip: IpAddr, prefix: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4);
            let kept = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from(bits & kept))
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            let kept = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(bits & kept))
        }
    }
}

impl FromStr for Cidr {
    type Err = CidrError;

    fn from_str(text: &str) -> Result<Cidr, CidrError> {
        let text = text.trim();
        match text.split_once('/') {
            Some((ip, prefix)) => {
                let ip: IpAddr = ip.parse().map_err(|_| CidrError)?;
                let prefix: u8 = prefix.parse().map_err(|_| CidrError)?;
                // A mapped IPv6 network becomes the IPv4 one.
                let prefix = match (ip, canonical(ip)) {
                    (IpAddr::V6(_), IpAddr::V4(_)) => prefix.checked_sub(96).ok_or(CidrError)?,
                    _ => prefix,
                };
                Cidr::new(ip, prefix).ok_or(CidrError)
            }
            None => {
                let ip = canonical(text.parse::<IpAddr>().map_err(|_| CidrError)?);
                let full = if ip.is_ipv4() { 32 } else { 128 };
                Cidr::new(ip, full).ok_or(CidrError)
            }
        }
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// The network a baseline remembers an address by: /24 for IPv4, /64 for
/// IPv6 (a host's neighbours, not the host).
pub(crate) fn network_of(ip: IpAddr) -> Cidr {
    let ip = canonical(ip);
    let prefix = if ip.is_ipv4() { 24 } else { 64 };
    Cidr {
        network: mask(ip, prefix),
        prefix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_dropped_from_logged_addresses() {
        use std::borrow::Cow;
        let bare = |s: &str| without_port(Cow::Borrowed(s)).into_owned();
        assert_eq!(bare("10.1.2.3:5000"), "10.1.2.3");
        assert_eq!(bare("[2001:db8::1]:443"), "2001:db8::1");
        assert_eq!(bare("[2001:db8::1]"), "2001:db8::1");
        assert_eq!(bare("2001:db8::1"), "2001:db8::1");
        assert_eq!(bare("10.1.2.3"), "10.1.2.3");
        assert_eq!(bare("AWS Internal"), "AWS Internal");
        assert_eq!(bare("host:http"), "host:http");
        assert_eq!(bare(":80"), ":80");
    }

    #[test]
    fn logged_addresses() {
        let v4: IpAddr = "10.1.2.3".parse().unwrap();
        assert_eq!(parse_address("10.1.2.3"), Some(v4));
        assert_eq!(parse_address("10.1.2.3:5000"), Some(v4));
        assert_eq!(parse_address("::ffff:10.1.2.3"), Some(v4));
        assert_eq!(
            parse_address("[2001:db8::1]:443"),
            Some("2001:db8::1".parse().unwrap())
        );
        assert_eq!(
            parse_address("2001:db8::1"),
            Some("2001:db8::1".parse().unwrap())
        );
        for text in [
            "AWS Internal",
            "secretsmanager.amazonaws.com",
            "",
            "10.1.2",
            "host:80",
        ] {
            assert_eq!(parse_address(text), None, "{text}");
        }
    }

    #[test]
    fn networks_contain_their_addresses() {
        let net: Cidr = "10.0.0.0/8".parse().unwrap();
        assert!(net.contains("10.200.1.1".parse().unwrap()));
        assert!(!net.contains("11.0.0.1".parse().unwrap()));
        assert!(!net.contains("::1".parse().unwrap()));
        let host: Cidr = "192.168.1.7".parse().unwrap();
        assert_eq!(host.to_string(), "192.168.1.7/32");
        assert!(host.contains("192.168.1.7".parse().unwrap()));
        let v6: Cidr = "2001:db8::/32".parse().unwrap();
        assert!(v6.contains("2001:db8:ffff::1".parse().unwrap()));
        // Host bits are cleared, not refused.
        assert_eq!(
            "10.1.2.3/8".parse::<Cidr>().unwrap().to_string(),
            "10.0.0.0/8"
        );
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains("203.0.113.9".parse().unwrap()));
        for bad in ["10.0.0.0/33", "10.0.0/8", "x", "10.0.0.0/", "::/129"] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
    }

    #[test]
    fn baseline_networks_are_24s_and_64s() {
        assert_eq!(
            network_of("10.1.2.3".parse().unwrap()).to_string(),
            "10.1.2.0/24"
        );
        assert_eq!(
            network_of("2001:db8:1:2:3::4".parse().unwrap()).to_string(),
            "2001:db8:1:2::/64"
        );
    }
}
