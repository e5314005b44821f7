//! Per-project sheets (事務事業評価シート): one project per page or worksheet,
//! or several stacked, as cities print and publish them.
//!
//! The sheet is read with the same `[project]` labels as the list, found by
//! structure, never by position: each label's value is the next cell right
//! of it (a merged cell keeps its value at its left) or, in a row holding
//! only labels, the cell under it; the indicator and cost tables are found
//! by their header row of years (see `sheet_tables`), so the blocks may
//! come in any order. A worksheet (or a whole PDF) holds one project per
//! name label: the next project starts where a name label with another
//! name is, together with the header rows just above it (its title, its
//! ID). The records are the ones the list gives, so a project read from
//! its sheet and from the list is the same record with the same ID.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use crate::era;
use crate::grid::{Cell, Grid, Row, Worksheet};
use crate::model::Source;
use crate::project::choice::{self, Choice};
use crate::project::list::{self, Digit, Field, Header, Level, TextField, Value};
use crate::project::model::{
    Aspect, Background, Expected, Means, Period, PlanRef, ProjectEvaluation, ProjectName,
};
use crate::project::sheet_layout::{is_sheet_form, pair_values, segments};
use crate::project::sheet_tables;
use crate::template::{self, ProjectLabels, Template};
use crate::warning::{Warning, WarningCode};

/// The per-project sheets of one worksheet.
pub(super) struct SheetReading {
    /// The projects, in the order they stand (IDs not yet assigned).
    pub projects: Vec<ProjectEvaluation>,
    /// The worksheet's warnings outside every project.
    pub file_warnings: Vec<Warning>,
}

/// Reads the worksheet as per-project sheets, if it is laid out as them.
pub(super) fn read(ws: &Worksheet, source: &Source, template: &Template) -> Option<SheetReading> {
    let grid = ws.grid.as_ref()?;
    let l = template.project();
    if !is_sheet_form(grid, l) {
        return None;
    }
    let headers = classify_rows(grid, l);
    let segments = segments(grid, &headers);
    if segments.is_empty() {
        return None;
    }
    let mut projects = Vec::new();
    for range in segments {
        let reader = SegmentReader {
            grid,
            headers: &headers,
            range: range.clone(),
            labels: l,
        };
        projects.push(reader.project(source));
    }
    let mut file_warnings = Vec::new();
    // The projects stand in row order: the one holding a row is found by
    // binary search (a hostile worksheet may hold many of both).
    let mut own: Vec<Vec<Warning>> = vec![Vec::new(); projects.len()];
    for w in &ws.warnings {
        let holder = w.row.and_then(|row| {
            let i = projects.partition_point(|p| p.source.rows[1] < row);
            projects
                .get(i)
                .is_some_and(|p| p.source.rows[0] <= row)
                .then_some(i)
        });
        match holder {
            Some(i) => own[i].push(w.clone()),
            None => file_warnings.push(w.clone()),
        }
    }
    for (p, mut own) in projects.iter_mut().zip(own) {
        own.append(&mut p.warnings);
        p.warnings = own;
    }
    Some(SheetReading {
        projects,
        file_warnings,
    })
}

/// Every row's labels. A stacked worksheet repeats its labels once per
/// project, so each distinct text is classified once.
pub(super) fn classify_rows(grid: &Grid, l: &ProjectLabels) -> Vec<Vec<Header>> {
    let mut memo: HashMap<&str, Option<list::Classified>> = HashMap::new();
    grid.rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .enumerate()
                .filter_map(|(column, cell)| {
                    let text = cell.as_str()?;
                    let (field, year, key) = memo
                        .entry(text)
                        .or_insert_with(|| list::classify_cell(text, l))
                        .clone()?;
                    Some(Header {
                        column,
                        field,
                        year,
                        key,
                    })
                })
                .collect()
        })
        .collect()
}

/// Reads the rows of one project.
struct SegmentReader<'a> {
    grid: &'a Grid,
    headers: &'a [Vec<Header>],
    range: Range<usize>,
    labels: &'a ProjectLabels,
}

/// A label found with its value cells.
struct Pair<'g> {
    row: u32,
    column: usize,
    key: String,
    cells: Vec<&'g Cell>,
    /// Each cell's row number and (0-based) column.
    places: Vec<(u32, usize)>,
}

impl<'a> SegmentReader<'a> {
    fn rows(&self) -> &'a [Row] {
        &self.grid.rows[self.range.clone()]
    }

    /// The rows from the first to the last that hold anything.
    fn filled_span(&self) -> Range<usize> {
        let filled = |r: &usize| !self.grid.rows[*r].is_blank();
        let start = self.range.clone().find(filled).unwrap_or(self.range.start);
        let end = self
            .range
            .clone()
            .rev()
            .find(filled)
            .map_or(start, |e| e + 1);
        start..end
    }

    fn project(&self, source: &Source) -> ProjectEvaluation {
        let tables = sheet_tables::read(self.grid, self.range.clone(), self.headers, self.labels);
        let mut warnings = tables.warnings;
        // The first label of each field, outside the tables.
        let mut pairs: BTreeMap<Field, Pair> = BTreeMap::new();
        for index in self.range.clone() {
            if tables.rows.contains(&index) {
                continue;
            }
            for h in &self.headers[index] {
                if pairs.contains_key(&h.field) || h.field == Field::Personal {
                    continue;
                }
                let found = pair_values(self.grid, self.headers, index, h, self.range.end);
                let places = found.iter().map(|(r, c, _)| (*r, *c)).collect();
                let cells: Vec<&Cell> = found.into_iter().map(|(_, _, cell)| cell).collect();
                if cells.is_empty() && !matches!(h.field, Field::AspectRating(_)) {
                    continue;
                }
                pairs.insert(
                    h.field,
                    Pair {
                        row: self.grid.rows[index].number,
                        column: h.column,
                        key: h.key.clone(),
                        cells,
                        places,
                    },
                );
            }
        }
        let text = |field: TextField| -> Option<String> {
            pairs
                .get(&Field::Text(field))
                .and_then(|p| p.cells.first())
                .and_then(|c| list::text(c))
        };
        let choice = |field: TextField, warnings: &mut Vec<Warning>| -> Option<String> {
            let pair = pairs.get(&Field::Text(field))?;
            let (rating, _) = rating_and_rest(pair, warnings);
            rating
        };
        let name = pairs
            .get(&Field::Name)
            .and_then(|p| p.cells.first())
            .and_then(|c| list::text(c))
            .unwrap_or_default();
        let code = pairs.get(&Field::Code).and_then(|p| match p.cells.first() {
            Some(cell @ Cell::Number(_)) => {
                let code = cell.as_text().into_owned();
                let (row, column) = p.places.first().copied().unwrap_or((p.row, p.column));
                warnings.push(Warning::at_cell(
                    WarningCode::ProjectCodeNumeric,
                    row,
                    column as u32 + 1,
                    format!(
                        "the project code is stored as the number {code}, not as text: leading \
                         zeros may be lost; it is kept as `{code}`"
                    ),
                ));
                Some(code)
            }
            Some(cell) => list::text(cell),
            None => None,
        });
        let fiscal_year = self.fiscal_year(&pairs, &mut warnings);
        let (mut department, mut section) = match text(TextField::DepartmentSection) {
            Some(whole) => list::split_department(&whole, &self.labels.department_endings),
            None => (None, None),
        };
        if let Some(d) = text(TextField::Department) {
            department = Some(d);
        }
        if let Some(s) = text(TextField::Section) {
            // A section label alone may hold the department too
            // (所管課 `教育委員会事務局学校教育課`).
            match list::split_department(&s, &self.labels.department_endings) {
                (d, Some(s)) if department.is_none() => {
                    department = d;
                    section = Some(s);
                }
                _ => section = Some(s),
            }
        }
        let period = Period {
            kind: choice(TextField::PeriodKind, &mut warnings),
            start: text(TextField::PeriodStart),
            end: text(TextField::PeriodEnd),
        };
        let period = (period.kind.is_some() || period.start.is_some() || period.end.is_some())
            .then_some(period);
        let span = self.filled_span();
        let number = |i: usize| self.grid.rows.get(i).map_or(0, |r| r.number);
        let (first, last) = (
            number(span.start),
            number(span.end.saturating_sub(1).max(span.start)),
        );
        let mut p = ProjectEvaluation {
            id: String::new(),
            municipality: None,
            source: Source {
                rows: [first, last],
                pages: self.grid.pages(self.filled_span()),
                ..source.clone()
            },
            fiscal_year,
            project: ProjectName { code, name },
            policy: plan(&pairs, Level::Policy),
            measure: plan(&pairs, Level::Measure),
            basic_project: plan(&pairs, Level::BasicProject),
            department,
            section,
            legal_basis: text(TextField::LegalBasis),
            period,
            category: choice(TextField::Category, &mut warnings),
            overview: text(TextField::Overview),
            means: Means {
                previous: text(TextField::MeansPrevious),
                current: text(TextField::MeansCurrent),
            },
            target: text(TextField::Target),
            intent: text(TextField::Intent),
            result: text(TextField::Result),
            indicators: tables.indicators,
            costs: tables.costs,
            background: Background {
                origin: text(TextField::BackgroundOrigin),
                changes: text(TextField::BackgroundChanges),
                requests: text(TextField::BackgroundRequests),
            },
            evaluation: Vec::new(),
            direction: choice(TextField::Direction, &mut warnings),
            expected: Expected {
                outcome: choice(TextField::ExpectedOutcome, &mut warnings),
                cost: choice(TextField::ExpectedCost, &mut warnings),
            },
            issues: text(TextField::Issues),
            manager_direction: choice(TextField::ManagerDirection, &mut warnings),
            manager_summary: text(TextField::ManagerSummary),
            warnings: Vec::new(),
        };
        p.evaluation = self.evaluation(&pairs, &mut warnings);
        warnings.sort_by_key(|w| (w.row, w.column));
        p.warnings = warnings;
        p
    }

    /// The evaluation year: a year label's value, else the year in the
    /// sheet's title (`令和7年度 事務事業評価シート`); never a guess.
    fn fiscal_year(
        &self,
        pairs: &BTreeMap<Field, Pair>,
        warnings: &mut Vec<Warning>,
    ) -> Option<i32> {
        if let Some(pair) = pairs.get(&Field::Text(TextField::FiscalYear))
            && let Some(raw) = pair.cells.first().and_then(|c| list::text(c))
        {
            let year =
                match raw.parse::<u32>() {
                    Ok(n) if n < 100 => self.labels.year_era.first().and_then(|era| {
                        era::parse_year(&format!("{era}{n}年度")).map(|y| y.gregorian)
                    }),
                    Ok(n) if (1868..=2200).contains(&n) => Some(n as i32),
                    _ => era::parse_year(&raw).map(|y| y.gregorian),
                };
            if year.is_some() {
                return year;
            }
        }
        let titled = self.rows().iter().find_map(|row| {
            row.filled().find_map(|(_, cell)| {
                let text = cell.as_str()?;
                template::contains(&self.labels.sheet_title, text)
                    .then(|| era::find_year(text))
                    .flatten()
                    .map(|(y, _)| y.gregorian)
            })
        });
        if titled.is_none() {
            let first = self.rows().first().map_or(0, |r| r.number);
            warnings.push(Warning::at_row(
                WarningCode::FiscalYearMissing,
                first,
                format!(
                    "the project sheet from row {first} has no evaluation year: no year label \
                     ({}) and no title with a year ({}); its fiscal_year is null",
                    self.labels.fiscal_year.join(", "),
                    self.labels.sheet_title.join(", ")
                ),
            ));
        }
        titled
    }

    /// The eight aspects: each label's rating (chosen text of printed
    /// options, or the text as written) and the comment after it.
    fn evaluation(
        &self,
        pairs: &BTreeMap<Field, Pair>,
        warnings: &mut Vec<Warning>,
    ) -> Vec<Aspect> {
        let mut out = Vec::new();
        for n in 1..=8 {
            let rating_pair = pairs.get(&Field::AspectRating(n));
            let comment_pair = pairs.get(&Field::AspectComment(n));
            let Some(label) = rating_pair.or(comment_pair) else {
                continue;
            };
            let (rating, rest) = match rating_pair {
                Some(pair) => rating_and_rest(pair, warnings),
                None => (None, Vec::new()),
            };
            let comment = comment_pair
                .and_then(|p| p.cells.first())
                .and_then(|c| list::text(c))
                .or_else(|| rest.first().cloned());
            out.push(Aspect {
                number: n,
                aspect: list::aspect_text(&label.key, self.labels),
                rating,
                comment,
            });
        }
        out
    }
}

/// A rating's value and the texts after it: the leading cells printed as
/// options are read as a choice, else the first cell is the rating as
/// written. A choice with no mark, or several, warns and gives no rating.
fn rating_and_rest(pair: &Pair, warnings: &mut Vec<Warning>) -> (Option<String>, Vec<String>) {
    let texts: Vec<(usize, String)> = pair
        .cells
        .iter()
        .enumerate()
        .filter_map(|(i, c)| list::text(c).map(|t| (i, t)))
        .collect();
    let options = texts
        .iter()
        .take_while(|(_, t)| choice::is_options(t))
        .count();
    if options == 0 {
        let mut texts = texts.into_iter().map(|(_, t)| t);
        return (texts.next(), texts.collect());
    }
    let printed: Vec<String> = texts[..options].iter().map(|(_, t)| t.clone()).collect();
    // The warning points at the first option's cell.
    let (row, column) = pair
        .places
        .get(texts[0].0)
        .map_or((pair.row, pair.column as u32 + 1), |&(r, c)| {
            (r, c as u32 + 1)
        });
    let rest = texts[options..].iter().map(|(_, t)| t.clone()).collect();
    let what = if pair.key.is_empty() {
        "the rating".to_owned()
    } else {
        format!("`{}`", pair.key)
    };
    let rating = match choice::read(&printed) {
        Choice::Plain(t) | Choice::Chosen(t) => Some(t),
        Choice::Unmarked(shown) => {
            warnings.push(Warning::at_cell(
                WarningCode::ChoiceUnmarked,
                row,
                column,
                format!(
                    "{what} is printed as a choice (`{shown}`) with no option marked; it is left \
                     null, not guessed"
                ),
            ));
            None
        }
        Choice::Several(marked) => {
            warnings.push(Warning::at_cell(
                WarningCode::ChoiceSeveralMarked,
                row,
                column,
                format!(
                    "{what} is printed as a choice with {} options marked ({}); it is left null, \
                     not guessed",
                    marked.len(),
                    marked.join(", ")
                ),
            ));
            None
        }
    };
    (rating, rest)
}

/// A place in the plan: a name label's values (`6` then `自然豊かな…`, or
/// `6 自然豊かな…` in one cell), or a number label's.
fn plan(pairs: &BTreeMap<Field, Pair>, level: Level) -> Option<PlanRef> {
    let mut number = pairs
        .get(&Field::PlanNumber(level, Digit::Whole))
        .and_then(|p| p.cells.first())
        .and_then(|c| whole_number(c));
    let mut name = None;
    if let Some(pair) = pairs.get(&Field::PlanName(level)) {
        let mut cells = pair.cells.iter();
        if let Some(first) = cells.next() {
            match whole_number(first) {
                Some(n) => {
                    number = number.or(Some(n));
                    name = cells.next().and_then(|c| list::text(c));
                }
                None => {
                    let whole = list::text(first);
                    match whole.as_deref().and_then(split_numbered) {
                        Some((n, rest)) => {
                            number = number.or(Some(n));
                            name = Some(rest);
                        }
                        None => name = whole,
                    }
                }
            }
        }
    }
    (number.is_some() || name.is_some()).then_some(PlanRef { number, name })
}

fn whole_number(cell: &Cell) -> Option<u32> {
    match list::value(cell) {
        Value::Number(n, _) => n
            .as_integer()
            .filter(|i| (0..=u32::MAX as i64).contains(i))
            .map(|i| i as u32),
        _ => None,
    }
}

/// `6 自然豊かな…` → 6 and the name: a number of at most three digits, a
/// space, a name.
fn split_numbered(text: &str) -> Option<(u32, String)> {
    let (number, rest) = text.split_once(' ')?;
    if number.is_empty() || number.len() > 3 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = rest.trim();
    if rest.is_empty() {
        return None;
    }
    Some((number.parse().ok()?, rest.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;

    fn source() -> Source {
        Source {
            file: "s.xlsx".into(),
            sha256: "0".repeat(64),
            format: Format::Xlsx,
            encoding: None,
            worksheet: Some("0086".into()),
            ordinal: 0,
            rows: [0, 0],
            pages: None,
        }
    }

    fn worksheet(rows: &[&[&str]]) -> Worksheet {
        Worksheet {
            name: Some("0086".into()),
            grid: Some(Grid {
                rows: rows
                    .iter()
                    .enumerate()
                    .map(|(i, r)| Row::new(i as u32 + 1, r.iter().map(|c| Cell::text(c)).collect()))
                    .collect(),
            }),
            warnings: vec![],
        }
    }

    fn projects(rows: &[&[&str]]) -> Vec<ProjectEvaluation> {
        read(&worksheet(rows), &source(), &Template::builtin())
            .map(|r| r.projects)
            .unwrap_or_default()
    }

    /// A short sheet: the header block, a cost table, two aspects.
    fn sheet(title: &str, code: &str, name: &str, department: (&str, &str)) -> Vec<Vec<String>> {
        let rows: Vec<Vec<&str>> = vec![
            vec![title],
            vec!["事務事業ID", code],
            vec!["事務事業名", name],
            vec![department.0, department.1],
            vec!["コスト", "", "R6", "R7"],
            vec!["事業費", "国庫支出金", "0", "0"],
            vec!["", "一般財源", "3,089", "2,948"],
            vec!["", "事業費計(A)", "3,089", "2,948"],
            vec!["トータルコスト(A)+(B)", "", "4,209", "4,068"],
            vec![],
            vec![
                "① 政策体系との整合性",
                "■結びついている □結びついていない",
                "計画に沿う。",
            ],
            vec![
                "② 公共関与の妥当性",
                "□妥当である □妥当でない",
                "市が行う。",
            ],
            vec!["改革改善の方向性", "1 現状維持"],
        ];
        rows.into_iter()
            .map(|r| r.into_iter().map(str::to_owned).collect())
            .collect()
    }

    fn as_rows(rows: &[Vec<String>]) -> Vec<Vec<&str>> {
        rows.iter()
            .map(|r| r.iter().map(String::as_str).collect())
            .collect()
    }

    #[test]
    fn a_sheet_reads_its_labels_tables_and_marks() {
        let rows = sheet(
            "令和7年度 事務事業評価シート",
            "0086",
            "不法投棄対策事業",
            ("担当部課", "市民生活部市民環境課"),
        );
        let rows = as_rows(&rows);
        let refs: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
        let got = projects(&refs);
        assert_eq!(got.len(), 1);
        let p = &got[0];
        assert_eq!(p.fiscal_year, Some(2025));
        assert_eq!(p.project.code.as_deref(), Some("0086"));
        assert_eq!(p.section.as_deref(), Some("市民環境課"));
        let totals: Vec<_> = p
            .costs
            .iter()
            .map(|c| (c.fiscal_year, c.total.map(|n| n.get())))
            .collect();
        assert_eq!(
            totals,
            [(Some(2024), Some(4209.0)), (Some(2025), Some(4068.0))]
        );
        assert_eq!(p.evaluation[0].rating.as_deref(), Some("結びついている"));
        assert_eq!(p.evaluation[0].comment.as_deref(), Some("計画に沿う。"));
        assert_eq!(p.evaluation[1].rating, None);
        assert_eq!(p.evaluation[1].comment.as_deref(), Some("市が行う。"));
        let w: Vec<_> = p
            .warnings
            .iter()
            .map(|w| (w.code, w.row, w.column))
            .collect();
        assert_eq!(w, [(WarningCode::ChoiceUnmarked, Some(12), Some(2))]);
        assert_eq!(p.direction.as_deref(), Some("1 現状維持"));
        assert_eq!(p.source.rows, [1, 13]);
    }

    #[test]
    fn department_labels_vary() {
        for (label, value, want) in [
            ("担当部課", "会計課", (Some("会計課"), None)),
            (
                "所管課",
                "教育委員会事務局学校教育課",
                (Some("教育委員会事務局"), Some("学校教育課")),
            ),
            ("担当課", "市民環境課", (None, Some("市民環境課"))),
            (
                "課名",
                "市民生活部市民環境課",
                (Some("市民生活部"), Some("市民環境課")),
            ),
        ] {
            let rows = sheet(
                "令和7年度 事務事業評価シート",
                "0086",
                "事業",
                (label, value),
            );
            let rows = as_rows(&rows);
            let refs: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
            let p = &projects(&refs)[0];
            assert_eq!(
                (p.department.as_deref(), p.section.as_deref()),
                want,
                "{label}"
            );
        }
    }

    #[test]
    fn stacked_sheets_are_one_project_each_with_their_title_rows() {
        let mut rows = sheet(
            "令和7年度 事務事業評価シート",
            "0086",
            "不法投棄対策事業",
            ("担当部課", "市民生活部市民環境課"),
        );
        rows.push(vec![]);
        rows.extend(sheet(
            "令和7年度 事務事業評価シート",
            "0591",
            "漁場環境管理事業",
            ("担当部課", "農林水産部水産課"),
        ));
        // A page that repeats the second project's name continues it.
        rows.push(vec!["事務事業名".into(), "漁場環境管理事業".into()]);
        rows.push(vec!["課長等意見 今後の方向性".into(), "2 改革改善".into()]);
        let rows = as_rows(&rows);
        let refs: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
        let got = projects(&refs);
        let seen: Vec<_> = got
            .iter()
            .map(|p| (p.project.code.as_deref(), p.fiscal_year, p.source.rows))
            .collect();
        assert_eq!(
            seen,
            [
                (Some("0086"), Some(2025), [1, 13]),
                (Some("0591"), Some(2025), [15, 29])
            ]
        );
        assert_eq!(got[1].manager_direction.as_deref(), Some("2 改革改善"));
        assert_eq!(got[0].manager_direction, None);
    }

    #[test]
    fn values_may_stand_under_a_row_of_labels() {
        let rows: &[&[&str]] = &[
            &["2024(R6)年度 事務事業評価表"],
            &["事業番号", "事業名", "所管課"],
            &["0101", "生涯学習講座事業", "教育委員会事務局生涯学習課"],
            &["事業概要"],
            &["公民館で講座を開く。"],
            &["費用", "2022年度", "2023年度"],
            &["事業費計", "1,000", "1,050"],
            &["職員数", "2", "2"],
            &["業務時間", "300", "300"],
            &["総コスト", "2,200", "2,250"],
            &["評価の視点", "評価"],
            &["① 政策体系との整合性", "○結びついている ●結びついていない"],
        ];
        let p = &projects(rows)[0];
        assert_eq!(p.fiscal_year, Some(2024));
        assert_eq!(p.project.code.as_deref(), Some("0101"));
        assert_eq!(p.project.name, "生涯学習講座事業");
        assert_eq!(p.section.as_deref(), Some("生涯学習課"));
        assert_eq!(p.overview.as_deref(), Some("公民館で講座を開く。"));
        assert_eq!(p.costs[1].hours.map(|n| n.get()), Some(300.0));
        assert_eq!(p.evaluation[0].rating.as_deref(), Some("結びついていない"));
    }

    #[test]
    fn a_sheet_without_a_year_says_so() {
        let rows = sheet("事務事業評価シート", "0086", "事業", ("担当部課", "会計課"));
        let rows = as_rows(&rows);
        let refs: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
        let p = &projects(&refs)[0];
        assert_eq!(p.fiscal_year, None);
        assert!(
            p.warnings
                .iter()
                .any(|w| w.code == WarningCode::FiscalYearMissing && w.row == Some(1))
        );
    }

    #[test]
    fn a_list_is_not_a_sheet() {
        let rows: &[&[&str]] = &[
            &[
                "事務事業ID",
                "事務事業名",
                "国庫支出金",
                "一般財源",
                "① 政策体系との整合性",
            ],
            &["0086", "不法投棄対策事業", "0", "3,089", "結びついている"],
            &["0591", "漁場環境管理事業", "0", "2,930", "結びついている"],
        ];
        assert!(read(&worksheet(rows), &source(), &Template::builtin()).is_none());
        // Data cells that read like labels (a column of `その他`) are not a
        // sheet's label rows either.
        let mut rows: Vec<&[&str]> = vec![&["年度", "事務事業ID", "事務事業名", "財源"]];
        rows.extend(std::iter::repeat_n(&["7", "0001", "事業", "その他"][..], 6));
        assert!(read(&worksheet(&rows), &source(), &Template::builtin()).is_none());
    }

    #[test]
    fn plan_numbers_stand_beside_or_in_their_names() {
        let rows: &[&[&str]] = &[
            &["令和7年度 事務事業評価シート"],
            &["事務事業名", "事業"],
            &["政策", "6", "自然豊かな環境の保全と創造"],
            &["施策", "21 廃棄物処理対策の推進"],
            &["基本事業", "廃棄物の適正処理"],
            &["国庫支出金", "R7"],
            &["一般財源"],
            &["事業費計(A)"],
            &["人件費計(B)"],
        ];
        let p = &projects(rows)[0];
        let plan = |r: &Option<PlanRef>| {
            r.as_ref()
                .map(|r| (r.number, r.name.clone().unwrap_or_default()))
        };
        assert_eq!(
            plan(&p.policy),
            Some((Some(6), "自然豊かな環境の保全と創造".into()))
        );
        assert_eq!(
            plan(&p.measure),
            Some((Some(21), "廃棄物処理対策の推進".into()))
        );
        assert_eq!(
            plan(&p.basic_project),
            Some((None, "廃棄物の適正処理".into()))
        );
    }

    proptest::proptest! {
        /// Whatever a worksheet holds, reading it as sheets never panics,
        /// and every project's rows are rows of the grid, in order.
        #[test]
        fn any_grid_reads_without_panicking(
            rows in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        "事務事業名", "事務事業ID", "担当部課", "令和7年度 事務事業評価シート", "活動指標",
                        "ア", "1", "指標名", "単位", "R6", "R7", "2024", "2025", "国庫支出金", "事業費",
                        "① 政策体系との整合性", "■結びついている □結びついていない", "□妥当", "○", "●",
                        "政策", "6 名前", "-", "29(4)", "1,234", "", "事業期間", "始期", "昭和49",
                        "市民生活部市民環境課", "課長等意見 今後の方向性",
                    ]),
                    0..10,
                ),
                0..30,
            ),
        ) {
            let refs: Vec<Vec<&str>> = rows.iter().map(|r| r.to_vec()).collect();
            let refs: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
            let ws = worksheet(&refs);
            if let Some(reading) = read(&ws, &source(), &Template::builtin()) {
                let mut last = 0;
                for p in reading.projects {
                    proptest::prop_assert!(p.source.rows[0] <= p.source.rows[1]);
                    proptest::prop_assert!(p.source.rows[0] > last || last == 0);
                    last = p.source.rows[1];
                }
            }
        }
    }
}
