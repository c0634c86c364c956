//! Escaping what came from outside before it reaches a terminal.
//!
//! A token, a key file or a batch line is untrusted, and so is every string in it: a header
//! member name, a claim, a kid, the text of an error that quotes one. Printed raw, such a string
//! can clear the screen or move the cursor (ESC sequences), set the clipboard or the window title
//! (OSC), draw a forged line ("✓ signature verifies") after a line break or carriage return, or
//! read differently from what it is (U+202E and the other bidi controls, zero-width characters).
//! As in fd's `sanitize.rs`, one module escapes all of it, and every human view uses it.
//!
//! It cannot be skipped by forgetting a call, because human text is never built as a `String`:
//! reports, notes, warnings and errors are written into a [`Screen`], and a Screen escapes
//! everything formatted into it, literal text and arguments alike. The one exception is what a
//! [`Paint`] writes (acjwt's own colours, the constants in `output`); a colour code that arrives
//! any other way, in a token say, is escaped like any other control. Each `write!`/`writeln!`
//! into a Screen is one line: a line break inside a value shows as `\n`. So a print that skips
//! this module is one that bypasses `Screen`, which a reviewer finds by looking for
//! `print_stdout`: it is kept for the products acjwt makes itself (tokens, keys, JSON).
//!
//! Escaped characters are shown as `\n`, `\t`, `\r`, `\x1b` (ASCII) or `\u{202e}` (the rest).
//! Backslashes are left alone: they are not dangerous, and doubling them would make every
//! Windows path and regex in a claim harder to read.
//!
//! `--json` output does not pass through here: scripts (and the server and web page that consume
//! it) need the exact values. serde_json escapes the C0 controls in strings (ESC, line breaks),
//! not DEL, C1 or bidi controls: a program that shows the strings to a person escapes them.

use std::cell::Cell;
use std::fmt::{self, Write as _};

use anstyle::Style;

/// Whether `c` must not reach a terminal as it is: it controls the terminal, breaks or rewrites
/// a line, reorders text, or draws nothing at all.
pub fn is_unsafe(c: char) -> bool {
    // Cc: C0 (including tab, line feed, carriage return, ESC), DEL and C1 (CSI, OSC, NEL).
    c.is_control()
        || matches!(
            c,
            // Cf, the Unicode format characters: invisible, and some reorder text.
            '\u{00AD}' // soft hyphen
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}' // Arabic letter mark (bidi)
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}' // zero-width space, non-joiner, joiner; LRM, RLM (bidi)
            | '\u{2028}'..='\u{2029}' // line and paragraph separators (Zl, Zp): line breaks
            | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{206F}' // bidi isolates, deprecated format characters
            | '\u{FEFF}' // zero-width no-break space, byte order mark
            | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}' // tag characters
            // Hangul fillers: letters that draw nothing, a favourite for blank-looking names.
            | '\u{115F}'
            | '\u{1160}'
            | '\u{3164}'
            | '\u{FFA0}'
        )
}

/// `text` with every [unsafe](is_unsafe) character escaped; borrowed when there is none.
pub fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    escape_into(&mut out, text);
    out.into()
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        if !is_unsafe(c) {
            out.push(c);
            continue;
        }
        let _ = match c {
            '\n' => out.write_str("\\n"),
            '\r' => out.write_str("\\r"),
            '\t' => out.write_str("\\t"),
            c if c.is_ascii() => write!(out, "\\x{:02x}", c as u32),
            c => write!(out, "\\u{{{:x}}}", c as u32),
        };
    }
}

thread_local! {
    /// Set while a [`Paint`] formats itself: what it writes is acjwt's own colour code. A
    /// `Display` impl cannot reach the writer it writes to, so this is how a [`Screen`] tells
    /// the code acjwt chose from the same bytes arriving in a value.
    static PAINTING: Cell<bool> = const { Cell::new(false) };
}

/// One of acjwt's own colours: `{PAINT}` starts it, `{PAINT:#}` resets it. The only thing a
/// [`Screen`] writes unescaped. (Whether colour reaches the terminal at all is `anstream`'s
/// choice: it strips the codes for pipes, `NO_COLOR` and `--color never`.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paint(Style);

impl Paint {
    pub const fn new(style: Style) -> Paint {
        Paint(style)
    }
}

impl fmt::Display for Paint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        PAINTING.set(true);
        let result = if f.alternate() {
            write!(f, "{}", self.0.render_reset())
        } else {
            write!(f, "{}", self.0.render())
        };
        PAINTING.set(false);
        result
    }
}

/// Human text for a terminal, built one line per `write!`/`writeln!`, with everything but
/// acjwt's own colours escaped (see the module docs).
#[derive(Debug, Default)]
pub struct Screen {
    text: String,
}

impl Screen {
    pub fn new() -> Screen {
        Screen::default()
    }

    /// Appends one line (what `write!` and `writeln!` call). A line break at the very end is the
    /// line's own; any other is escaped.
    pub fn write_fmt(&mut self, args: fmt::Arguments<'_>) {
        let mut sink = Sink {
            out: &mut self.text,
            held_newline: false,
        };
        // Writing to a String cannot fail; a Display impl that fails keeps what it wrote.
        let _ = fmt::write(&mut sink, args);
        self.text.push('\n');
    }

    /// The escaped text, ready to print.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Escaped text; a Screen's lines are in it as they are.
impl fmt::Display for Screen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Where a Screen line is formatted: escapes each piece as it arrives, except a Paint's.
struct Sink<'a> {
    out: &'a mut String,
    /// A line break that ended the last piece: the line's own if nothing follows it.
    held_newline: bool,
}

impl fmt::Write for Sink<'_> {
    fn write_str(&mut self, piece: &str) -> fmt::Result {
        if piece.is_empty() {
            return Ok(());
        }
        if std::mem::take(&mut self.held_newline) {
            self.out.push_str("\\n");
        }
        if PAINTING.get() {
            self.out.push_str(piece);
            return Ok(());
        }
        let body = match piece.strip_suffix('\n') {
            Some(body) => {
                self.held_newline = true;
                body
            }
            None => piece,
        };
        escape_into(self.out, body);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOLD: Paint = Paint::new(Style::new().bold());

    #[test]
    fn escapes_controls_bidi_and_invisible_characters() {
        assert_eq!(escape("plain"), "plain");
        assert!(matches!(escape("plain"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(escape("a\x1b[2Jb"), "a\\x1b[2Jb");
        assert_eq!(escape("a\nb\r\tc\x7f\0"), "a\\nb\\r\\tc\\x7f\\x00");
        assert_eq!(escape("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(escape("Ap\u{202e}p"), "Ap\\u{202e}p");
        for c in [
            '\u{202a}',
            '\u{2066}',
            '\u{2069}',
            '\u{200e}',
            '\u{200f}',
            '\u{061c}',
            '\u{200b}',
            '\u{feff}',
            '\u{2028}',
            '\u{e0041}',
            '\u{3164}',
        ] {
            assert!(is_unsafe(c), "{c:?}");
        }
        // Text people write stays as it is: accents, scripts, emoji, backslashes.
        for text in [
            "José",
            "Jose\u{301}",
            "Привет",
            "東京",
            "🔑",
            r"C:\keys",
            "a b",
        ] {
            assert_eq!(escape(text), text);
        }
    }

    #[test]
    fn a_screen_line_escapes_everything_but_paint() {
        let mut screen = Screen::new();
        let value = "x\x1b[2J\n  ✓ forged\r";
        writeln!(screen, "{BOLD}name{BOLD:#} {value}");
        write!(screen, "{:<4}|", "a\n");
        let painted = format!("{BOLD}");
        writeln!(screen, "{painted}");
        assert_eq!(
            screen.as_str(),
            "\x1b[1mname\x1b[0m x\\x1b[2J\\n  ✓ forged\\r\n\
             a\\n  |\n\
             \\x1b[1m\n"
        );
    }

    #[test]
    fn a_trailing_line_break_in_a_value_cannot_start_a_line() {
        let mut screen = Screen::new();
        let (evil, x) = ("evil\n", "x\n");
        writeln!(screen, "{evil}");
        write!(screen, "{x}");
        assert_eq!(screen.as_str(), "evil\\n\nx\n");
    }
}
