//! Dates in free text: `令和5年3月号`, `R5.3`, `平成30年度から`, `2023年度末`
//! found inside list items and descriptions and given as ISO values with
//! their span, so a search across cities by time works.
//!
//! The year is read by the era rules of [`crate::era`] (so `平成32年` is
//! 2020, and a year with an era in brackets is its Gregorian year). Then:
//! a year written with `年度` is a fiscal year (April to March); a month
//! after it (`3月`, or `.3` after an era year: `R5.3`) makes a calendar
//! month (`2023-03`); a bare year is a calendar year (`2023`). Spans count
//! characters, not bytes.

use crate::era;
use crate::model::{ListItem, Mention, Sheet};

/// Every date mentioned in `text`, in order.
///
/// ```ignore
/// let m = find("令和5年3月号で掲載した");
/// assert_eq!(m[0].date.as_deref(), Some("2023-03"));
/// ```
pub(crate) fn find(text: &str) -> Vec<Mention> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some((year, range)) = era::find_year(&text[from..]) {
        let start = from + range.start;
        let mut end = from + range.end;
        let rest = &text[end..];
        let mut fiscal = year.fiscal;
        let mut month = None;
        if !fiscal && let Some(after) = rest.strip_prefix("年度") {
            fiscal = true;
            end += "年度".len();
            let _ = after;
        }
        if !fiscal {
            // `年` (when the match stopped before it), then `N月`; or `.N`
            // right after an era year (`R5.3`).
            let (skip, tail) = match rest.strip_prefix('年') {
                Some(t) => ("年".len(), t),
                None => (0, rest),
            };
            let month_at = |t: &str, suffix: Option<char>| -> Option<(u32, usize)> {
                let digits: String = t.chars().take_while(char::is_ascii_digit).take(2).collect();
                let m: u32 = digits.parse().ok()?;
                let after = &t[digits.len()..];
                let len = match suffix {
                    Some(c) => after.starts_with(c).then(|| digits.len() + c.len_utf8())?,
                    None => {
                        // Not part of a longer number (`R5.31` is no month).
                        if after.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
                            return None;
                        }
                        digits.len()
                    }
                };
                (1..=12).contains(&m).then_some((m, len))
            };
            if let Some((m, len)) = month_at(tail, Some('月')) {
                month = Some(m);
                end += skip + len;
            } else if skip == 0
                && year.era.is_some()
                && let Some(t) = rest.strip_prefix('.')
                && let Some((m, len)) = month_at(t, None)
            {
                month = Some(m);
                end += 1 + len;
            } else {
                end += skip;
            }
        }
        let chars = |b: usize| text[..b].chars().count() as u32;
        out.push(Mention {
            text: text[start..end].to_owned(),
            start: chars(start),
            end: chars(end),
            date: if fiscal {
                None
            } else {
                Some(match month {
                    Some(m) => format!("{:04}-{m:02}", year.gregorian),
                    None => format!("{:04}", year.gregorian),
                })
            },
            fiscal_year: if fiscal {
                Some(year.gregorian)
            } else {
                month.map(|m| era::fiscal_year_of(year.gregorian, m))
            },
        });
        from = end.max(from + range.end);
    }
    out
}

fn annotate_items(items: &mut [ListItem]) {
    for item in items {
        item.mentions = find(&item.text);
        annotate_items(&mut item.children);
    }
}

/// Finds the dates in every list item and description of a sheet.
pub(crate) fn annotate(sheet: &mut Sheet) {
    for project in &mut sheet.basic_projects {
        project.description_mentions = project.description.as_deref().map(find).unwrap_or_default();
        for list in [
            &mut project.activities,
            &mut project.effects,
            &mut project.issues,
            &mut project.improvements.new,
            &mut project.improvements.existing,
            &mut project.improvements.reduced_or_abolished,
            &mut project.improvements.unclassified,
        ] {
            annotate_items(list);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A mention as (text, start, end, date, fiscal year).
    type Found = (String, u32, u32, Option<String>, Option<i32>);

    fn found(text: &str) -> Vec<Found> {
        find(text)
            .into_iter()
            .map(|m| (m.text, m.start, m.end, m.date, m.fiscal_year))
            .collect()
    }

    #[test]
    fn era_months_fiscal_years_and_calendar_years() {
        assert_eq!(
            found("特集内容を検討し令和5年3月号で掲載した。"),
            [(
                "令和5年3月".into(),
                8,
                14,
                Some("2023-03".into()),
                Some(2022)
            )]
        );
        assert_eq!(
            found("R5.3に実施"),
            [("R5.3".into(), 0, 4, Some("2023-03".into()), Some(2022))]
        );
        assert_eq!(
            found("平成30年度から継続"),
            [("平成30年度".into(), 0, 6, None, Some(2018))]
        );
        assert_eq!(
            found("2023年度末までに"),
            [("2023年度".into(), 0, 6, None, Some(2023))]
        );
        assert_eq!(
            found("令和4年に開始し、令和5年度に拡大"),
            [
                ("令和4年".into(), 0, 4, Some("2022".into()), None),
                ("令和5年度".into(), 9, 14, None, Some(2023)),
            ]
        );
    }

    #[test]
    fn numbers_that_are_no_dates_are_not_mentions() {
        assert!(found("アンケート6件とパブリックコメント8件").is_empty());
        assert!(found("2000件を達成").is_empty());
        assert_eq!(found("R5.31%").len(), 1);
        assert_eq!(found("R5.31%")[0].3.as_deref(), Some("2023"));
    }
}

#[cfg(test)]
mod fixture_tests {
    use crate::model::ListItem;

    #[test]
    fn the_seed_mentions_march_2023() {
        let bytes = include_bytes!("../../../fixtures/iga/000_46863bf7e879b4fa.txt");
        let doc = crate::read("iga.txt", bytes, &Default::default()).unwrap();
        fn all(items: &[ListItem], out: &mut Vec<(String, Option<String>)>) {
            for i in items {
                out.extend(i.mentions.iter().map(|m| (m.text.clone(), m.date.clone())));
                all(&i.children, out);
            }
        }
        let mut found = Vec::new();
        for p in doc.sheets.iter().flat_map(|s| &s.basic_projects) {
            all(&p.activities, &mut found);
            all(&p.effects, &mut found);
            all(&p.issues, &mut found);
        }
        assert!(
            found.contains(&("令和5年3月".to_owned(), Some("2023-03".to_owned()))),
            "{found:?}"
        );
    }
}
