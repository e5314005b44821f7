//! Segmentation: a grid to the sheets it holds, and each sheet to its parts.
//!
//! A sheet is anchored on its department label (【主担当部局】, 【担当部署】):
//! every template has one, while the heading above it (伊賀流自治の視点)
//! differs between cities. The heading and a policy-title row just above the
//! label belong to the sheet; everything up to the next sheet's first row
//! belongs to it too. Within a sheet, the PLAN/DO/CHECK① table, the survey
//! and the CHECK②/ACTION table are found by their title cells.

use std::ops::Range;

use crate::grid::{Cell, Grid, Row};
use crate::template::{self, Template};

/// One sheet's rows within a grid, split into its parts. Ranges index
/// `grid.rows`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// All rows of the sheet, blank rows at the end excluded.
    pub rows: Range<usize>,
    /// The row holding the department label.
    pub label_row: usize,
    /// Heading, department, policy title and directions.
    pub header: Range<usize>,
    /// The PLAN/DO/CHECK① table, if found.
    pub plan: Option<Range<usize>>,
    /// The survey remarks, if found.
    pub survey: Option<Range<usize>>,
    /// The CHECK②/ACTION/progress table, if found.
    pub check: Option<Range<usize>>,
}

/// The label of a department cell (`【主担当部局】` gives `主担当部局`), if
/// the text is one.
pub fn department_label<'t>(text: &str, t: &'t Template) -> Option<&'t str> {
    let inner = text
        .strip_prefix('【')
        .and_then(|t| t.strip_suffix('】'))
        .or_else(|| text.strip_prefix('[').and_then(|t| t.strip_suffix(']')))
        .unwrap_or(text)
        .trim();
    t.sheet()
        .department
        .iter()
        .find(|l| l.as_str() == inner)
        .map(String::as_str)
}

/// A department cell: the label alone (`【主担当部局】`), or the label and
/// the name in one cell (`主担当部局:健康福祉部`, `【担当部署】総務部`),
/// which some templates use. The name needs a separator after the label (a
/// bracket, a colon or a space), so text that merely starts like a label is
/// not taken for one; a name glued to an unbracketed label
/// (`主担当部局健康福祉部`) is taken when it ends like a department name.
pub fn department_cell<'a, 't>(
    text: &'a str,
    t: &'t Template,
) -> Option<(&'t str, Option<&'a str>)> {
    if let Some(label) = department_label(text, t) {
        return Some((label, None));
    }
    let (bracketed, inner) = match text.strip_prefix(['【', '[']) {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let label = template::prefix(&t.sheet().department, inner)?;
    let rest = &inner[label.len()..];
    let rest = if bracketed {
        rest.strip_prefix(['】', ']'])?
    } else if let Some(rest) = rest.strip_prefix([':', ' ']) {
        rest
    } else {
        let glued = !rest.is_empty()
            && t.sheet()
                .department_name_endings
                .iter()
                .any(|e| rest.ends_with(e.as_str()));
        if !glued {
            return None;
        }
        rest
    };
    let name = rest.trim_start_matches([':', ' ']).trim();
    (!name.is_empty()).then_some((label, Some(name)))
}

/// Whether a cell is a policy-title label (`施策名`, `【施策】`, `施策名:`).
pub fn is_policy_label(text: &str, t: &Template) -> bool {
    let text = text.trim_end_matches([':', '：']);
    let inner = text
        .strip_prefix('【')
        .and_then(|s| s.strip_suffix('】'))
        .unwrap_or(text);
    template::exact(&t.sheet().policy, inner)
}

fn is_label_row(row: &Row, t: &Template) -> bool {
    row.cells
        .iter()
        .any(|c| c.as_str().is_some_and(|s| department_cell(s, t).is_some()))
}

/// A row that can be a sheet's heading or title: one text cell in the first
/// column the grid uses (`left`: a worksheet may keep column A as a margin)
/// that is not a number or a table label, or a row holding the policy-title
/// label (alone, or beside a heading).
fn is_title_like(row: &Row, left: usize, t: &Template) -> bool {
    let mut filled = row.filled();
    let Some((column, Cell::Text(text))) = filled.next() else {
        return is_policy_row(row, t);
    };
    column == left
        && filled.next().is_none()
        && !text.chars().all(|c| c.is_ascii_digit())
        && !template::exact(&t.check().effects, text)
        && !template::exact(&t.check().issues, text)
        || is_policy_row(row, t)
}

/// Whether the row holds the policy-title label in any cell.
pub fn is_policy_row(row: &Row, t: &Template) -> bool {
    row.cells
        .iter()
        .any(|c| c.as_str().is_some_and(|s| is_policy_label(s, t)))
}

/// Finds the sheets in a grid.
pub fn segments(grid: &Grid, t: &Template) -> Vec<Segment> {
    let rows = &grid.rows;
    let label_rows: Vec<usize> = (0..rows.len())
        .filter(|&i| is_label_row(&rows[i], t))
        .collect();
    let left = rows
        .iter()
        .filter_map(|r| r.first_filled().map(|(c, _)| c))
        .min()
        .unwrap_or(0);
    let mut starts = Vec::with_capacity(label_rows.len());
    let mut floor = 0;
    for &label in &label_rows {
        let mut start = label;
        let mut taken = 0;
        let mut j = label;
        while j > floor && taken < 3 {
            j -= 1;
            if rows[j].is_blank() {
                continue;
            }
            if !is_title_like(&rows[j], left, t) {
                break;
            }
            start = j;
            taken += 1;
        }
        starts.push(start);
        floor = label + 1;
    }
    let mut out = Vec::with_capacity(starts.len());
    for (k, &start) in starts.iter().enumerate() {
        let mut end = starts.get(k + 1).copied().unwrap_or(rows.len());
        while end > start && rows[end - 1].is_blank() {
            end -= 1;
        }
        let segment = split(grid, start..end, label_rows[k], t);
        // A bare `担当部局` can be a column heading (a table of contents);
        // without its brackets it makes a sheet only with a table under it.
        let has_table =
            segment.plan.is_some() || segment.check.is_some() || segment.survey.is_some();
        if has_table || has_bracketed_label(&rows[label_rows[k]], t) {
            out.push(segment);
        }
    }
    out
}

fn has_bracketed_label(row: &Row, t: &Template) -> bool {
    row.cells.iter().any(|c| {
        c.as_str()
            .is_some_and(|s| s.starts_with(['【', '[']) && department_cell(s, t).is_some())
    })
}

fn split(grid: &Grid, rows: Range<usize>, label_row: usize, t: &Template) -> Segment {
    let find = |from: usize, pred: &dyn Fn(&str) -> bool| {
        (from..rows.end).find(|&i| {
            grid.rows[i]
                .cells
                .iter()
                .any(|c| c.as_str().is_some_and(pred))
        })
    };
    let plan = find(label_row, &|s| template::contains(&t.plan().title, s));
    let after_plan = plan.unwrap_or(label_row);
    let check = find(after_plan, &|s| template::contains(&t.check().title, s));
    let survey = find(after_plan, &|s| template::pattern(&t.survey().title, s))
        .filter(|&s| check.is_none_or(|c| s < c));
    let header_end = plan.or(survey).or(check).unwrap_or(rows.end);
    let plan_range = plan.map(|p| p..survey.or(check).unwrap_or(rows.end));
    let survey_range = survey.map(|s| s..check.unwrap_or(rows.end));
    let check_range = check.map(|c| c..rows.end);
    Segment {
        header: rows.start..header_end,
        rows,
        label_row,
        plan: plan_range,
        survey: survey_range,
        check: check_range,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> std::sync::Arc<Template> {
        Template::builtin()
    }

    fn grid(text: &str) -> Grid {
        crate::text::converter_grid(text)
    }

    #[test]
    fn labels() {
        assert_eq!(department_label("【主担当部局】", &t()), Some("主担当部局"));
        assert_eq!(department_label("担当部署", &t()), Some("担当部署"));
        assert_eq!(department_label("総務部", &t()), None);
        assert_eq!(
            department_cell("主担当部局:健康福祉部", &t()),
            Some(("主担当部局", Some("健康福祉部")))
        );
        assert_eq!(
            department_cell("【担当部署】 総務部", &t()),
            Some(("担当部署", Some("総務部")))
        );
        assert_eq!(
            department_cell("【主担当部局】", &t()),
            Some(("主担当部局", None))
        );
        assert_eq!(department_cell("担当部局長が決定する", &t()), None);
        assert_eq!(department_cell("主担当部局:", &t()), None);
        // A name glued to its label counts when it ends like a department.
        assert_eq!(
            department_cell("主担当部局健康福祉部", &t()),
            Some(("主担当部局", Some("健康福祉部")))
        );
        assert_eq!(
            department_cell("【所管課】企画課", &t()),
            Some(("所管課", Some("企画課")))
        );
    }

    #[test]
    fn two_sheets_with_headings() {
        let g = grid(
            "\n見出し\n\n【主担当部局】\n\n総務部\n・方針\n【PLAN】\t\t【DO】\n1\t名前\n\
             【CHECK②】\n1\t効果が出ている点\tx\n4\t\t\n\n見出し\n【担当部署】\t財務部\n",
        );
        let segs = segments(&g, &t());
        assert_eq!(segs.len(), 2);
        let first = &segs[0];
        assert_eq!(g.rows[first.rows.start].number, 2);
        assert_eq!(g.rows[first.rows.end - 1].number, 12);
        assert!(first.plan.is_some() && first.check.is_some() && first.survey.is_none());
        assert_eq!(g.rows[segs[1].rows.start].number, 14);
    }

    #[test]
    fn a_table_of_contents_is_no_sheet() {
        // `担当部局` as a column heading, not a label.
        let g = grid("目次\nNo.\t施策名\t担当部局\n1\t地域福祉の推進\t健康福祉部\n");
        assert!(segments(&g, &t()).is_empty());
        // A bracketed label makes a sheet even without tables (a cut-off file).
        let g = grid("見出し\n【主担当部局】\t総務部\n・方針\n");
        assert_eq!(segments(&g, &t()).len(), 1);
        // A bare label with a table under it is a sheet.
        let g = grid("担当部局\t総務部\n【PLAN】\t\t【DO】\n1\t名前\n");
        assert_eq!(segments(&g, &t()).len(), 1);
    }

    #[test]
    fn headings_are_found_by_structure_not_text() {
        // Another city's heading, and one that starts like a CHECK② label.
        for heading in ["基本目標1 市民とともに", "効果的な行政運営の推進"] {
            let g = grid(&format!(
                "{heading}\n【所管部局】\t総務部\n【PLAN】\t\t【DO】\n1\t名前\n"
            ));
            let segs = segments(&g, &t());
            assert_eq!(segs.len(), 1, "{heading}");
            assert_eq!(g.rows[segs[0].rows.start].number, 1, "{heading}");
        }
        // Heading, policy label and policy name side by side.
        let g = grid("基本目標2\t\t施策名\t地域医療\n主担当部局健康福祉部\n【PLAN】\n");
        assert_eq!(g.rows[segments(&g, &t())[0].rows.start].number, 1);
    }

    #[test]
    fn no_label_no_sheet() {
        assert!(segments(&grid("表紙\n令和4年度 施策評価シート\n"), &t()).is_empty());
    }
}
