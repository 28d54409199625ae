//! The [token](https://httpwg.org/specs/rfc9110.html#tokens) production that method and header
//! names share.

/// An RFC 9110 token: one or more tchars.
pub fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_tchar)
}

/// Whether a byte is a tchar: ASCII letters and digits and ``!#$%&'*+-.^_`|~``.
const fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'.'
                | b'^'
                | b'_'
                | b'`'
                | b'|'
                | b'~'
        )
}

/// `a.eq_ignore_ascii_case(b)`, quicker on header names, which share long prefixes
/// (`access-control-allow-…`): compares eight bytes at a time, from the end.
pub fn eq_ignore_case(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    #[inline(always)]
    fn same(x: u64, y: u64) -> bool {
        x == y || ascii_lower(x) == ascii_lower(y)
    }
    let mut end = a.len();
    while end >= 8 {
        if !same(word(a, end - 8), word(b, end - 8)) {
            return false;
        }
        end -= 8;
    }
    if end == 0 {
        return true;
    }
    if a.len() >= 8 {
        // The first bytes again, within the first word (compared twice, which is harmless).
        return same(word(a, 0), word(b, 0));
    }
    a.iter()
        .zip(b)
        .take(end)
        .all(|(x, y)| x.eq_ignore_ascii_case(y))
}

/// The eight bytes at `at` (there are eight there).
#[inline(always)]
fn word(s: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    if let Some(bytes) = s.get(at..at + 8) {
        w.copy_from_slice(bytes);
    }
    u64::from_le_bytes(w)
}

/// Lower-cases the ASCII capital letters of eight bytes at once.
#[inline(always)]
fn ascii_lower(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low7 = w & (0x7f * ONES);
    // The high bit of each byte says: at least `A`, and above `Z`.
    let at_least_a = low7 + (0x80 - u64::from(b'A')) * ONES;
    let above_z = low7 + (0x80 - u64::from(b'Z') - 1) * ONES;
    // ASCII bytes (high bit clear) in A..=Z.
    let upper = at_least_a & !above_z & !w & (0x80 * ONES);
    w | (upper >> 2)
}

/// `s.trim()`, without looking further when `s` starts and ends with a visible ASCII character.
pub fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let visible = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_graphic());
    if visible(b.first()) && visible(b.last()) {
        s
    } else {
        s.trim()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eq_ignore_case_is_std_s() {
        let samples = [
            "",
            "a",
            "A",
            "@",
            "`",
            "[",
            "{",
            "Z",
            "z",
            "\u{e9}",
            "\u{c9}",
            "access-control-allow-origin",
            "Access-Control-Allow-Origin",
            "ACCESS-CONTROL-ALLOW-ORIGIN",
            "access-control-allow-origiN",
            "access-control-allow-origim",
            "access-control-allow-headers",
            "Access-Control-Allow-Methods",
            "x-request-id",
            "X-Request-Id",
            "location",
            "LOCATION",
            "locatio\u{0}",
            "12345678",
            "1234567@",
            "1234567`",
            "content-type",
            "Content-Type\u{7f}",
            "\u{80}\u{80}\u{80}\u{80}",
            "@[`{@[`{@",
            "`{@[`{@[`",
        ];
        for a in samples {
            for b in samples {
                assert_eq!(
                    eq_ignore_case(a, b),
                    a.eq_ignore_ascii_case(b),
                    "{a:?} {b:?}"
                );
            }
        }
        let chars: Vec<String> = (0..0x250u32)
            .filter_map(char::from_u32)
            .map(|c| format!("{c}{c}{c}{c}{c}{c}{c}{c}{c}"))
            .collect();
        for x in &chars {
            for y in &chars {
                assert_eq!(eq_ignore_case(x, y), x.eq_ignore_ascii_case(y), "{x} {y}");
            }
        }
    }
}
