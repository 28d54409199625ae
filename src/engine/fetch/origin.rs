//! Origins: [serialization](https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin),
//! [same origin](https://html.spec.whatwg.org/multipage/browsers.html#same-origin) and the
//! [address space](https://wicg.github.io/private-network-access/#ip-address-space) of a host
//! (loopback / local / public) used by the local network rules.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

use url::{Host, Url};

/// The page's origin: a tuple origin, or an opaque one (`null`, e.g. a sandboxed iframe or `file:`).
/// Cheap to clone (shared).
#[derive(Debug, Clone, PartialEq)]
pub struct PageOrigin(Arc<Page>);

#[derive(Debug, PartialEq)]
struct Page {
    /// What the browser sends in `Origin`: `scheme://host[:port]` or `null`.
    serialized: String,
    url: Option<Url>,
    /// The page's (scheme, host, port), worked out once.
    tuple: Option<(&'static str, Host<String>, u16)>,
    /// The page's address space, worked out once.
    space: AddressSpace,
}

impl PageOrigin {
    /// Accepts a serialized origin (a trailing path is tolerated and dropped) or `null`.
    /// `None` when it is neither.
    pub fn parse(s: &str) -> Option<PageOrigin> {
        let s = super::token::trim(s);
        if s == "null" {
            return Some(PageOrigin::opaque());
        }
        if !super::host::host_is_ascii(s) {
            return None;
        }
        let url = Url::parse(s).ok()?;
        if !matches!(url.scheme(), "http" | "https") {
            // Pages from file:, data:, … have an opaque origin.
            return Some(PageOrigin::opaque());
        }
        let scheme = if url.scheme() == "https" {
            "https"
        } else {
            "http"
        };
        Some(PageOrigin(Arc::new(Page {
            serialized: url.origin().ascii_serialization(),
            space: address_space(&url),
            tuple: url
                .host()
                .zip(url.port_or_known_default())
                .map(|(host, port)| (scheme, host.to_owned(), port)),
            url: Some(url),
        })))
    }

    fn opaque() -> PageOrigin {
        PageOrigin(Arc::new(Page {
            serialized: "null".into(),
            url: None,
            tuple: None,
            space: AddressSpace::Public,
        }))
    }

    /// What the browser sends in `Origin`: `scheme://host[:port]` or `null`.
    pub fn serialized(&self) -> &str {
        &self.0.serialized
    }

    pub fn is_opaque(&self) -> bool {
        self.0.url.is_none()
    }

    /// Same origin with `url` (an opaque origin is same origin with nothing).
    pub fn same_origin(&self, url: &Url) -> bool {
        let s = url.as_str();
        // Serializations are canonical (lower-case scheme and host, default port left out): an
        // http(s) URL without user:password@ is same-origin exactly when it starts with this
        // origin followed by the path, query or fragment, or nothing.
        if !self.is_opaque() {
            if let Some(rest) = s.strip_prefix(self.serialized()) {
                if matches!(rest.bytes().next(), None | Some(b'/' | b'?' | b'#')) {
                    return true;
                }
            }
            if !s.contains('@') && !s.starts_with("blob:") {
                return false;
            }
        }
        match (&self.0.url, &self.0.tuple) {
            (Some(page), _) if url.scheme() == "blob" => same_origin(page, url),
            (Some(_), Some((scheme, host, port))) => {
                url.scheme() == *scheme
                    && url.port_or_known_default() == Some(*port)
                    && url.host().is_some_and(|h| *host == h)
            }
            _ => false,
        }
    }

    pub fn is_https(&self) -> bool {
        self.0.url.as_ref().is_some_and(|u| u.scheme() == "https")
    }

    /// The page is a [secure context](https://w3c.github.io/webappsec-secure-contexts/): its
    /// origin is potentially trustworthy (an opaque origin is not).
    pub fn is_secure_context(&self) -> bool {
        self.0.url.as_ref().is_some_and(is_potentially_trustworthy)
    }

    /// The page's address space; an opaque origin counts as public.
    pub fn address_space(&self) -> AddressSpace {
        self.0.space
    }
}

/// Same origin, per the HTML Standard (scheme, host, port; opaque origins never match).
/// Equal to comparing [`Url::origin`]s, without building them.
pub fn same_origin(a: &Url, b: &Url) -> bool {
    let (sa, sb) = (a.scheme(), b.scheme());
    if sa == "blob" || sb == "blob" {
        // The origin of the URL inside: rare, so the url crate works it out.
        return a.origin() == b.origin();
    }
    // An opaque origin is only equal to itself, and each URL gets a new one.
    sa == sb
        && matches!(sa, "ftp" | "http" | "https" | "ws" | "wss")
        && a.port_or_known_default() == b.port_or_known_default()
        && a.host() == b.host()
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
            let d = d.trim_end_matches('.');
            if is_localhost(d) {
                AddressSpace::Loopback
            } else if ends_with_ignore_case(d, ".local") {
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
        Some(Host::Domain(d)) => is_localhost(d.trim_end_matches('.')),
        None => false,
    }
}

/// `localhost` or `*.localhost`, in any case.
fn is_localhost(d: &str) -> bool {
    d.eq_ignore_ascii_case("localhost") || ends_with_ignore_case(d, ".localhost")
}

fn ends_with_ignore_case(s: &str, suffix: &str) -> bool {
    s.len()
        .checked_sub(suffix.len())
        .and_then(|start| s.as_bytes().get(start..))
        .is_some_and(|tail| tail.eq_ignore_ascii_case(suffix.as_bytes()))
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
    fn same_origin_is_the_url_crates() {
        let urls = [
            "http://a.test/",
            "http://a.test:80/x",
            "http://A.test/",
            "https://a.test/",
            "https://a.test:443",
            "http://a.test:8080/",
            "ws://a.test/",
            "ftp://a.test/",
            "blob:http://a.test/uuid",
            "blob:nope",
            "file:///x",
            "data:text/plain,x",
            "http://127.0.0.1/",
            "http://[::1]/",
            "http://user:pw@a.test/",
            "http://user@a.test:80/",
            "http://a.test/@x",
            "http://a.test./",
            "http://a.test.evil/",
            "http://a.test:8080",
            "http://a.test:8080?q",
            "http://a.test#f",
            "https://[::1]:443/",
            "http://[::1]:8080/",
            "HTTP://A.TEST/",
            "http://xn--bcher-kva.test/",
            "ws://a.test:80/",
        ];
        for a in urls {
            let ua = Url::parse(a).unwrap();
            let page = PageOrigin::parse(a).unwrap();
            for b in urls {
                let ub = Url::parse(b).unwrap();
                assert_eq!(same_origin(&ua, &ub), ua.origin() == ub.origin(), "{a} {b}");
                let page_tuple = matches!(ua.scheme(), "http" | "https");
                assert_eq!(
                    page.same_origin(&ub),
                    page_tuple && ua.origin() == ub.origin(),
                    "page {a} {b}"
                );
            }
        }
    }

    #[test]
    fn page_origin() {
        let p = PageOrigin::parse("http://LOCALHOST:80/x").unwrap();
        assert_eq!(p.serialized(), "http://localhost");
        assert!(PageOrigin::parse("null").unwrap().is_opaque());
        assert!(PageOrigin::parse("nope").is_none());
    }
}
