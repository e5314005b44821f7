//! Ratings printed as a choice: `■結びついている □結びついていない`.
//!
//! Per-project sheets often print every option of a rating and mark the
//! chosen one, where a list holds only the chosen text. A filled mark
//! (■ ● ☑ …) marks the chosen option and a hollow one (□ ○ …) the others;
//! a circle beside options printed without any mark is a circle drawn
//! around the choice. A choice with no option marked, or with several, is
//! not guessed: the caller warns and leaves the rating null.

/// Marks of the chosen option.
const FILLED: [char; 8] = ['■', '●', '◉', '☑', '☒', '✓', '✔', '◆'];
/// Marks of an option not chosen (a circle may also be drawn around the
/// chosen one, see [`read`]).
const HOLLOW: [char; 5] = ['□', '○', '◯', '☐', '◇'];
/// The longest option, in characters: a longer text after a mark is a
/// comment with a bullet (`○資源状況調査 …`), not an option.
const MAX_OPTION_CHARS: usize = 40;

/// What a rating's cells say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Choice {
    /// No marks: the text as written is the rating.
    Plain(String),
    /// One option marked.
    Chosen(String),
    /// Options printed, none marked: the options as printed.
    Unmarked(String),
    /// Options printed, several marked: the marked ones.
    Several(Vec<String>),
}

/// Whether a cell's text is printed options: it holds a mark and every
/// option in it is short.
pub(crate) fn is_options(text: &str) -> bool {
    let options = options(text);
    options.iter().any(|o| o.mark.is_some())
        && options
            .iter()
            .all(|o| o.text.chars().count() <= MAX_OPTION_CHARS)
}

/// One option as printed, with the mark before it.
#[derive(Debug)]
struct Option_ {
    mark: Option<char>,
    text: String,
}

/// A text split at its marks: the text before the first mark (an option
/// without a mark) and each mark with the text up to the next.
fn options(text: &str) -> Vec<Option_> {
    let mut out = Vec::new();
    let mut current = Option_ {
        mark: None,
        text: String::new(),
    };
    for c in text.chars() {
        if FILLED.contains(&c) || HOLLOW.contains(&c) {
            let done = std::mem::replace(
                &mut current,
                Option_ {
                    mark: Some(c),
                    text: String::new(),
                },
            );
            if done.mark.is_some() || !done.text.trim().is_empty() {
                out.push(done);
            }
        } else {
            current.text.push(c);
        }
    }
    if current.mark.is_some() || !current.text.trim().is_empty() {
        out.push(current);
    }
    for o in &mut out {
        o.text = o.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    out
}

/// Reads the cells of one rating (one cell, or one option per cell).
pub(crate) fn read(cells: &[String]) -> Choice {
    let all: Vec<Option_> = cells.iter().flat_map(|c| options(c)).collect();
    if all.iter().all(|o| o.mark.is_none()) {
        return Choice::Plain(cells.join(" "));
    }
    let filled: Vec<String> = all
        .iter()
        .filter(|o| o.mark.is_some_and(|m| FILLED.contains(&m)) && !o.text.is_empty())
        .map(|o| o.text.clone())
        .collect();
    let chosen = if !filled.is_empty() {
        filled
    } else {
        // Only hollow marks: circles beside unmarked options are drawn
        // around the choice; boxes, or marks on every option, choose none.
        let unmarked = all.iter().any(|o| o.mark.is_none());
        let circles_only = all
            .iter()
            .filter_map(|o| o.mark)
            .all(|m| matches!(m, '○' | '◯'));
        if unmarked && circles_only {
            all.iter()
                .filter(|o| o.mark.is_some() && !o.text.is_empty())
                .map(|o| o.text.clone())
                .collect()
        } else {
            Vec::new()
        }
    };
    match chosen.len() {
        0 => Choice::Unmarked(cells.join(" ")),
        1 => Choice::Chosen(chosen.into_iter().next().unwrap_or_default()),
        _ => Choice::Several(chosen),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(cells: &[&str]) -> Choice {
        read(&cells.iter().map(|c| c.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn the_filled_mark_chooses() {
        assert_eq!(
            r(&["■結びついている □結びついていない"]),
            Choice::Chosen("結びついている".into())
        );
        assert_eq!(
            r(&[
                "□ 1 現状維持",
                "■ 2 改革改善(縮小・統合含む)",
                "□ 3 休止・廃止"
            ]),
            Choice::Chosen("2 改革改善(縮小・統合含む)".into())
        );
        assert_eq!(
            r(&["○妥当である ●妥当でない"]),
            Choice::Chosen("妥当でない".into())
        );
    }

    #[test]
    fn a_circle_beside_unmarked_options_is_drawn_around_the_choice() {
        assert_eq!(
            r(&["○", "適切である"]),
            Choice::Unmarked("○ 適切である".into())
        );
        assert_eq!(
            r(&["○適切である", "見直しが必要"]),
            Choice::Chosen("適切である".into())
        );
    }

    #[test]
    fn no_mark_or_several_marks_are_not_guessed() {
        assert_eq!(
            r(&["□結びついている □結びついていない"]),
            Choice::Unmarked("□結びついている □結びついていない".into())
        );
        assert_eq!(
            r(&["■向上余地がある ■向上余地がない"]),
            Choice::Several(vec!["向上余地がある".into(), "向上余地がない".into()])
        );
    }

    #[test]
    fn text_without_marks_is_the_rating_as_written() {
        assert_eq!(
            r(&["結びついている"]),
            Choice::Plain("結びついている".into())
        );
    }

    #[test]
    fn a_bulleted_comment_is_not_options() {
        assert!(is_options("■結びついている □結びついていない"));
        assert!(!is_options("結びついている"));
        assert!(!is_options(
            "○資源状況調査 東日本大震災による地盤沈下で消失した干潟の状況を調査し、漁場の保全に役立てる。"
        ));
    }
}
