//! The SSRF guard: opskit sends requests only to public addresses unless the
//! configuration allows loopback or private networks. The check applies to
//! the addresses a host name resolves to, at the moment of sending (the
//! client resolves through [`Guard`]), not just to the name in the URL; IP
//! literals are checked before sending. Redirects are never followed.

use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::Arc,
    time::Duration,
};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Which non-public targets are allowed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Guard {
    /// `127.0.0.0/8` and `::1` (`OPSKIT_DELIVERY_ALLOW_LOOPBACK`; tests set it).
    pub allow_loopback: bool,
    /// Private, shared and link-local networks: `10/8`, `172.16/12`,
    /// `192.168/16`, `100.64/10`, `169.254/16`, `fc00::/7`, `fe80::/10`
    /// (`OPSKIT_DELIVERY_ALLOW_PRIVATE`).
    pub allow_private: bool,
}

/// Why a target is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAllowed(pub String);

impl std::fmt::Display for NotAllowed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotAllowed {}

/// What kind of network an address is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Network {
    Public,
    Loopback,
    Private,
    /// Unspecified, multicast, broadcast, documentation: never a target.
    Never,
}

fn network(ip: IpAddr) -> Network {
    match ip {
        IpAddr::V4(v4) => network_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => network_v4(v4),
            None => network_v6(v6),
        },
    }
}

fn network_v4(ip: Ipv4Addr) -> Network {
    let [a, b, ..] = ip.octets();
    if ip.is_loopback() {
        Network::Loopback
    } else if ip.is_private() || ip.is_link_local() || (a == 100 && (64..128).contains(&b)) {
        Network::Private
    } else if ip.is_unspecified() || ip.is_multicast() || ip.is_broadcast() || ip.is_documentation() || a == 0 {
        Network::Never
    } else {
        Network::Public
    }
}

fn network_v6(ip: Ipv6Addr) -> Network {
    let first = ip.segments()[0];
    if ip.is_loopback() {
        Network::Loopback
    } else if (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80 {
        Network::Private
    } else if ip.is_unspecified() || ip.is_multicast() || first == 0x2001 && ip.segments()[1] == 0x0db8 {
        Network::Never
    } else {
        Network::Public
    }
}

impl Guard {
    /// Whether requests may go to `ip`.
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), NotAllowed> {
        let allowed = match network(ip) {
            Network::Public => true,
            Network::Loopback => self.allow_loopback,
            Network::Private => self.allow_private,
            Network::Never => false,
        };
        if allowed { Ok(()) } else { Err(NotAllowed(format!("{ip} is not a public address"))) }
    }

    /// Checks an absolute http(s) URL: an IP literal directly, a host name by
    /// the addresses it resolves to now. A name that does not resolve passes
    /// (it is checked again at every send).
    pub async fn check_url(&self, url: &url::Url) -> Result<(), NotAllowed> {
        match url.host() {
            Some(url::Host::Ipv4(ip)) => self.check_ip(IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => self.check_ip(IpAddr::V6(ip)),
            Some(url::Host::Domain(name)) => {
                let port = url.port_or_known_default().unwrap_or(443);
                let lookup = tokio::time::timeout(Duration::from_secs(3), tokio::net::lookup_host((name, port))).await;
                match lookup {
                    Ok(Ok(addrs)) => addrs.map(|a| a.ip()).try_for_each(|ip| self.check_ip(ip)),
                    _ => Ok(()),
                }
            }
            None => Err(NotAllowed("the URL has no host".into())),
        }
    }

    /// The resolver the delivery client uses: it drops nothing silently, but
    /// fails the request when any address the name resolves to is refused.
    pub fn resolver(self) -> Arc<Guard> {
        Arc::new(self)
    }
}

impl Resolve for Guard {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = *self;
        Box::pin(async move {
            let found = tokio::net::lookup_host((name.as_str(), 0)).await.map_err(|e| Box::new(e) as BoxError)?;
            let addrs: Vec<SocketAddr> = found.collect();
            for addr in &addrs {
                guard.check_ip(addr.ip()).map_err(|e| Box::new(e) as BoxError)?;
            }
            Ok::<Addrs, BoxError>(Box::new(addrs.into_iter()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn networks_are_told_apart() {
        let strict = Guard::default();
        for refused in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "224.0.0.1",
            "::",
        ] {
            assert!(strict.check_ip(ip(refused)).is_err(), "{refused}");
        }
        for public in ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "172.32.0.1", "100.128.0.1"] {
            assert!(strict.check_ip(ip(public)).is_ok(), "{public}");
        }
        let loopback = Guard { allow_loopback: true, allow_private: false };
        assert!(loopback.check_ip(ip("127.0.0.1")).is_ok());
        assert!(loopback.check_ip(ip("10.0.0.1")).is_err());
        let private = Guard { allow_loopback: false, allow_private: true };
        assert!(private.check_ip(ip("169.254.169.254")).is_ok());
        assert!(private.check_ip(ip("127.0.0.1")).is_err());
        assert!(private.check_ip(ip("0.0.0.0")).is_err());
    }
}
