//! Parsed URLs and page origins, remembered per thread. The diagnosis simulates the same request
//! URL, page origin and redirect targets thousands of times per check, and parsing them again is
//! most of what a simulation would cost. What comes out is exactly what [`Url::parse`],
//! [`Url::join`] and [`PageOrigin::parse`] give (they are pure functions of their input).

use std::cell::RefCell;
use std::sync::Arc;

use url::{ParseError, Url};

use super::origin::PageOrigin;

/// Entries per cache: a check uses a handful of URLs (the request URL, the page origin, a few
/// redirect targets per server behaviour) and requests.
pub const SIZE: usize = 16;
/// Longer inputs are parsed every time rather than kept.
const MAX_KEY: usize = 2048;

/// A small cache that replaces its entries in turn.
pub struct Ring<K, V> {
    entries: Vec<(K, V)>,
    next: usize,
}

impl<K, V: Clone> Ring<K, V> {
    pub const fn new() -> Self {
        Ring {
            entries: Vec::new(),
            next: 0,
        }
    }

    pub fn get(&self, matches: impl Fn(&K) -> bool) -> Option<V> {
        self.entries
            .iter()
            .find(|(k, _)| matches(k))
            .map(|(_, v)| v.clone())
    }

    pub fn put(&mut self, key: K, value: V) {
        if self.entries.len() < SIZE {
            self.entries.push((key, value));
        } else if let Some(slot) = self.entries.get_mut(self.next) {
            *slot = (key, value);
            self.next = (self.next + 1) % SIZE;
        }
    }
}

type UrlResult = Result<Arc<Url>, ParseError>;
/// `(base, input)`: the base is empty for an absolute parse.
type UrlKey = (Box<str>, Box<str>);

thread_local! {
    static URLS: RefCell<Ring<UrlKey, UrlResult>> = const { RefCell::new(Ring::new()) };
    static PAGES: RefCell<Ring<Box<str>, Option<PageOrigin>>> = const { RefCell::new(Ring::new()) };
}

fn cached_url(base: Option<&Url>, input: &str) -> UrlResult {
    if !super::host::host_is_ascii(input) {
        return Err(ParseError::IdnaError);
    }
    let parse = || match base {
        Some(b) => b.join(input).map(Arc::new),
        None => Url::parse(input).map(Arc::new),
    };
    let base_str = base.map_or("", Url::as_str);
    if input.len() + base_str.len() > MAX_KEY {
        return parse();
    }
    URLS.try_with(|cache| {
        let hit = cache
            .borrow()
            .get(|(b, i)| &**i == input && &**b == base_str);
        hit.unwrap_or_else(|| {
            let value = parse();
            cache
                .borrow_mut()
                .put((base_str.into(), input.into()), value.clone());
            value
        })
    })
    .unwrap_or_else(|_| parse())
}

/// [`Url::parse`].
pub fn parse(input: &str) -> UrlResult {
    cached_url(None, input)
}

/// [`Url::join`]: `input` parsed against `base`.
pub fn join(base: &Url, input: &str) -> UrlResult {
    cached_url(Some(base), input)
}

/// [`PageOrigin::parse`].
pub fn page_origin(s: &str) -> Option<PageOrigin> {
    if s.len() > MAX_KEY {
        return PageOrigin::parse(s);
    }
    PAGES
        .try_with(|cache| {
            let hit = cache.borrow().get(|k| &**k == s);
            hit.unwrap_or_else(|| {
                let value = PageOrigin::parse(s);
                cache.borrow_mut().put(s.into(), value.clone());
                value
            })
        })
        .unwrap_or_else(|_| PageOrigin::parse(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_ascii_hosts_are_refused() {
        for input in ["http://Aé.example/", "http://A%C3%A9.example/"] {
            assert_eq!(parse(input).err(), Some(ParseError::IdnaError), "{input}");
        }
    }

    #[test]
    fn the_same_as_parsing() {
        for i in 0..3 * SIZE {
            let s = format!("http://h{}.test/p?q={i}", i % (SIZE + 3));
            let cached = parse(&s).map(|u| u.as_str().to_string());
            assert_eq!(cached, Url::parse(&s).map(|u| u.as_str().to_string()));
        }
        assert_eq!(parse("not a url").err(), Url::parse("not a url").err());
        let base = Url::parse("http://a.test/x/y").unwrap();
        for rel in ["z", "/z", "//b.test/", "http://c.test", "http://[::1"] {
            assert_eq!(
                join(&base, rel).map(|u| u.as_str().to_string()),
                base.join(rel).map(|u| u.as_str().to_string())
            );
            assert_eq!(
                join(&base, rel).map(|u| u.as_str().to_string()),
                base.join(rel).map(|u| u.as_str().to_string())
            );
        }
        for s in [
            "http://a.test:80",
            "null",
            "file:///x",
            "nope",
            "http://a.test",
        ] {
            assert_eq!(page_origin(s), PageOrigin::parse(s));
            assert_eq!(page_origin(s), PageOrigin::parse(s));
        }
    }
}
