//! Origins: [serialization](https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin),
//! [same origin](https://html.spec.whatwg.org/multipage/browsers.html#same-origin) and the
//! [address space](https://wicg.github.io/private-network-access/#ip-address-space) of a host
//! (loopback / local / public) used by the local network rules.

use std::net::{Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

/// The page's origin: a tuple origin, or an opaque one (`null`, e.g. a sandboxed iframe or `file:`).
#[derive(Debug, Clone, PartialEq)]
pub struct PageOrigin {
    /// What the browser sends in `Origin`: `scheme://host[:port]` or `null`.
    pub serialized: String,
    url: Option<Url>,
}

impl PageOrigin {
    /// Accepts a serialized origin (a trailing path is tolerated and dropped) or `null`.
    /// `None` when it is neither.
    pub fn parse(s: &str) -> Option<PageOrigin> {
        let s = s.trim();
        if s == "null" {
            return Some(PageOrigin {
                serialized: "null".into(),
                url: None,
            });
        }
        let url = Url::parse(s).ok()?;
        if !matches!(url.scheme(), "http" | "https") {
            // Pages from file:, data:, … have an opaque origin.
            return Some(PageOrigin {
                serialized: "null".into(),
                url: None,
            });
        }
        Some(PageOrigin {
            serialized: url.origin().ascii_serialization(),
            url: Some(url),
        })
    }

    pub fn is_opaque(&self) -> bool {
        self.url.is_none()
    }

    /// Same origin with `url` (an opaque origin is same origin with nothing).
    pub fn same_origin(&self, url: &Url) -> bool {
        match &self.url {
            Some(u) => u.origin() == url.origin(),
            None => false,
        }
    }

    pub fn is_https(&self) -> bool {
        self.url.as_ref().is_some_and(|u| u.scheme() == "https")
    }

    /// The page's address space; an opaque origin counts as public.
    pub fn address_space(&self) -> AddressSpace {
        self.url
            .as_ref()
            .map_or(AddressSpace::Public, address_space)
    }
}

/// Same origin, per the HTML Standard (scheme, host, port; opaque origins never match).
pub fn same_origin(a: &Url, b: &Url) -> bool {
    a.origin() == b.origin()
}

/// How private a host is. Ordered: a request to a *more private* space than the page's is a
/// local network request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AddressSpace {
    Public,
    /// Private ranges (10/8, 172.16/12, 192.168/16, link-local, CGNAT, fc00::/7) and `.local`.
    Local,
    Loopback,
}

impl AddressSpace {
    pub fn as_str(self) -> &'static str {
        match self {
            AddressSpace::Public => "public",
            AddressSpace::Local => "local",
            AddressSpace::Loopback => "loopback",
        }
    }
}

/// Address space from the URL's host. Host names other than `localhost`/`*.local` are counted
/// public: the engine cannot resolve DNS, so it says so where it matters.
pub fn address_space(url: &Url) -> AddressSpace {
    match url.host() {
        Some(Host::Ipv4(ip)) => v4_space(ip),
        Some(Host::Ipv6(ip)) => v6_space(ip),
        Some(Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            if d == "localhost" || d.ends_with(".localhost") {
                AddressSpace::Loopback
            } else if d.ends_with(".local") {
                AddressSpace::Local
            } else {
                AddressSpace::Public
            }
        }
        None => AddressSpace::Public,
    }
}

fn v4_space(ip: Ipv4Addr) -> AddressSpace {
    let [a, b, _, _] = ip.octets();
    // 0.0.0.0/8 reaches the local host on most systems: browsers treat it as loopback.
    if ip.is_loopback() || a == 0 {
        AddressSpace::Loopback
    } else if a == 10
        || (a == 172 && (16..=31).contains(&b))
        || (a == 192 && b == 168)
        || (a == 169 && b == 254)
        || (a == 100 && (64..=127).contains(&b))
        || (a == 198 && (b == 18 || b == 19))
    {
        AddressSpace::Local
    } else {
        AddressSpace::Public
    }
}

fn v6_space(ip: Ipv6Addr) -> AddressSpace {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return v4_space(v4);
    }
    let first = ip.segments().first().copied().unwrap_or(0);
    if ip.is_loopback() || ip.is_unspecified() {
        AddressSpace::Loopback
    } else if (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80 {
        AddressSpace::Local
    } else {
        AddressSpace::Public
    }
}

/// [Potentially trustworthy](https://w3c.github.io/webappsec-secure-contexts/#is-origin-trustworthy):
/// https/wss, loopback IPs, `localhost` and `*.localhost`.
pub fn is_potentially_trustworthy(url: &Url) -> bool {
    if matches!(url.scheme(), "https" | "wss") {
        return true;
    }
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn space(s: &str) -> AddressSpace {
        address_space(&Url::parse(s).unwrap())
    }

    #[test]
    fn spaces() {
        assert_eq!(space("http://127.0.0.1:9/"), AddressSpace::Loopback);
        assert_eq!(space("http://[::1]/"), AddressSpace::Loopback);
        assert_eq!(space("http://192.168.1.2/"), AddressSpace::Local);
        assert_eq!(space("http://[fd00::1]/"), AddressSpace::Local);
        assert_eq!(space("http://[::ffff:10.0.0.1]/"), AddressSpace::Local);
        assert_eq!(space("http://api.localhost/"), AddressSpace::Loopback);
        assert_eq!(space("http://printer.local/"), AddressSpace::Local);
        assert_eq!(space("https://example.com/"), AddressSpace::Public);
        assert_eq!(space("http://8.8.8.8/"), AddressSpace::Public);
    }

    #[test]
    fn page_origin() {
        let p = PageOrigin::parse("http://LOCALHOST:80/x").unwrap();
        assert_eq!(p.serialized, "http://localhost");
        assert!(PageOrigin::parse("null").unwrap().is_opaque());
        assert!(PageOrigin::parse("nope").is_none());
    }
}
