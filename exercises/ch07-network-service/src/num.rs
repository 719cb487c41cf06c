//! Given code: numbers as Redis reads and writes them.

/// Parses a signed 64-bit decimal the way Redis's `string2ll` does: an
/// optional `-`, then digits with no leading zero (except `0` itself), no
/// `+`, no spaces, nothing after.
pub fn parse_i64(text: &[u8]) -> Option<i64> {
    let digits = text.strip_prefix(b"-").unwrap_or(text);
    let well_formed = match digits {
        [] => false,
        [b'0'] => text.len() == 1,
        [first, ..] => (b'1'..=b'9').contains(first) && digits.iter().all(u8::is_ascii_digit),
    };
    if !well_formed {
        return None;
    }
    std::str::from_utf8(text).ok()?.parse().ok()
}

/// Parses a non-negative count (`SCAN`'s `COUNT`, a cursor, a database index).
pub fn parse_u64(text: &[u8]) -> Option<u64> {
    parse_i64(text).and_then(|n| u64::try_from(n).ok())
}

#[cfg(test)]
mod tests {
    use super::parse_i64;

    #[test]
    fn integers_are_strict() {
        assert_eq!(parse_i64(b"42"), Some(42));
        assert_eq!(parse_i64(b"-7"), Some(-7));
        assert_eq!(parse_i64(b"0"), Some(0));
        assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        for bad in [
            &b""[..],
            b"-",
            b"-0",
            b"007",
            b"+1",
            b" 1",
            b"1 ",
            b"1.5",
            b"9223372036854775808",
        ] {
            assert_eq!(parse_i64(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
