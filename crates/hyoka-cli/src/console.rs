//! Lines on stderr. File and department names come from untrusted input
//! and may hold line breaks or terminal escapes: printed raw, one error
//! would span two lines, or a name could forge a log line or drive the
//! terminal. Every line hyoka prints goes through [`escape`].

use std::borrow::Cow;

/// `text` with control characters (and the Unicode line and paragraph
/// separators) written as `\n`, `\t`, `\r` or `\u{..}`, so it stays one
/// harmless line.
pub fn escape(text: &str) -> Cow<'_, str> {
    let needs = |c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
    if !text.chars().any(needs) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Prints one line on stderr with its control characters escaped.
pub fn line(text: &str) {
    eprintln!("{}", escape(text));
}

/// Prints many lines on stderr, each escaped as by [`line`], in blocks of
/// 64 KiB rather than a write per line (a batch can print tens of
/// thousands). A failure to write stderr is ignored, as there is nowhere
/// left to report it.
pub fn lines(lines: impl IntoIterator<Item = String>) {
    use std::io::Write;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stderr().lock());
    for text in lines {
        if writeln!(out, "{}", escape(&text)).is_err() {
            return;
        }
    }
    let _ = out.flush();
}

/// `eprintln!` for hyoka's messages: formats, escapes control characters
/// (see [`escape`]) and prints one line.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::console::line(&format!($($arg)*))
    };
}
pub(crate) use say;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape("総務部.txt"), "総務部.txt");
        assert_eq!(
            escape("a\nerror: forged\x1b[2J\u{7}\u{2028}"),
            "a\\nerror: forged\\u{1b}[2J\\u{7}\\u{2028}"
        );
    }
}
