//! Given code: Redis's glob patterns, for `KEYS`, `SCAN ... MATCH` and `PSUBSCRIBE`.
//!
//! `*` matches any run of bytes, `?` any one byte, `[abc]`, `[a-z]` and
//! `[^a]` a class, and `\x` the byte `x` itself. Like Redis, a malformed
//! pattern (an unclosed `[`) is matched as far as it makes sense, never an
//! error.

/// Whether `text` matches `pattern`.
pub fn matches(pattern: &[u8], text: &[u8]) -> bool {
    match_from(pattern, text, 0)
}

fn match_from(pattern: &[u8], text: &[u8], depth: usize) -> bool {
    // A pattern of many stars could recurse deeply on a long text; Redis
    // caps the nesting the same way.
    if depth > 1000 {
        return false;
    }
    let (mut p, mut t) = (0, 0);
    while p < pattern.len() {
        match pattern[p] {
            b'*' => {
                while p + 1 < pattern.len() && pattern[p + 1] == b'*' {
                    p += 1;
                }
                if p + 1 == pattern.len() {
                    return true;
                }
                return (t..=text.len())
                    .any(|start| match_from(&pattern[p + 1..], &text[start..], depth + 1));
            }
            b'?' => {
                if t == text.len() {
                    return false;
                }
                t += 1;
            }
            b'[' => {
                let Some(&byte) = text.get(t) else {
                    return false;
                };
                let (matched, next) = class(pattern, p + 1, byte);
                if !matched {
                    return false;
                }
                p = next;
                t += 1;
                continue;
            }
            b'\\' if p + 1 < pattern.len() => {
                p += 1;
                if text.get(t) != Some(&pattern[p]) {
                    return false;
                }
                t += 1;
            }
            literal => {
                if text.get(t) != Some(&literal) {
                    return false;
                }
                t += 1;
            }
        }
        p += 1;
    }
    t == text.len()
}

/// Matches `byte` against the class starting at `pattern[start]` (just after
/// `[`); returns whether it matched and where the pattern goes on.
fn class(pattern: &[u8], start: usize, byte: u8) -> (bool, usize) {
    let mut p = start;
    let negate = pattern.get(p) == Some(&b'^');
    if negate {
        p += 1;
    }
    let mut matched = false;
    while p < pattern.len() && pattern[p] != b']' {
        if pattern[p] == b'\\' && p + 1 < pattern.len() {
            p += 1;
            matched |= pattern[p] == byte;
        } else if p + 2 < pattern.len() && pattern[p + 1] == b'-' && pattern[p + 2] != b']' {
            let (low, high) = (
                pattern[p].min(pattern[p + 2]),
                pattern[p].max(pattern[p + 2]),
            );
            matched |= (low..=high).contains(&byte);
            p += 2;
        } else {
            matched |= pattern[p] == byte;
        }
        p += 1;
    }
    // `p` is at the `]` (or the end of an unclosed class); go past it.
    (matched != negate, (p + 1).min(pattern.len()))
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn patterns_match_like_redis() {
        assert!(matches(b"*", b""));
        assert!(matches(b"h?llo", b"hello"));
        assert!(matches(b"h*llo", b"heeeello"));
        assert!(matches(b"h[ae]llo", b"hallo"));
        assert!(!matches(b"h[^e]llo", b"hello"));
        assert!(matches(b"h[a-b]llo", b"hbllo"));
        assert!(matches(b"news.*", b"news.art"));
        assert!(!matches(b"news.*", b"new"));
        assert!(matches(b"a\\*b", b"a*b"));
        assert!(!matches(b"a\\*b", b"axb"));
    }
}
