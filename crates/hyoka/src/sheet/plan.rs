//! The PLAN part: basic projects, their descriptions and what was done.

use super::kpi::KpiHeader;
use super::*;

impl<'g> Parser<'g> {
    pub(super) fn plan(&mut self, range: Range<usize>) -> BTreeMap<u32, BasicProject> {
        let rows = self.rows(range.clone());
        // A row that holds both the PLAN title and a later table's title
        // leaves the PLAN table no rows.
        let Some(title_row) = rows.first() else {
            return BTreeMap::new();
        };
        let plan = self.t.plan();
        let number_column = title_row
            .find_by(|s| template::contains(&plan.title, s))
            .map_or(0, |(c, _)| c);
        // The column header row names the DO column with the fiscal year.
        let mut do_column = title_row
            .find_by(|s| template::contains(&plan.do_title, s))
            .map(|(c, _)| c);
        let mut header_end = 1;
        for (i, row) in rows.iter().enumerate().take(4) {
            let is_header = |s: &str| {
                template::exact(&plan.basic_project, s) || template::exact(&plan.kpi_column, s)
            };
            if row.find_by(is_header).is_some() {
                header_end = header_end.max(i + 1);
            }
            if let Some((col, text)) = row.find_by(|s| template::contains(&plan.do_header, s)) {
                do_column = Some(col);
                header_end = i + 1;
                if let Some((year, _)) = era::find_year(text) {
                    self.note_year(&year, row.number, col, text);
                    self.fiscal_year = Some(year.gregorian);
                }
                break;
            }
        }
        if self.fiscal_year.is_none() {
            self.warn_row(
                WarningCode::FiscalYearMissing,
                title_row.number,
                "the PLAN table header names no fiscal year (expected a cell such as \
                 `2022(R4)年度の事務事業`); fiscal_year is null",
            );
        }
        let mut projects: BTreeMap<u32, BasicProject> = BTreeMap::new();
        let mut last_header: Option<KpiHeader> = None;
        let body = &rows[header_end..];
        let starts: Vec<usize> = (0..body.len())
            .filter(|&i| integer(body[i].cell(number_column)).is_some())
            .collect();
        for (k, &start) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(body.len());
            let block = &body[start..end];
            let first = &block[0];
            let number = integer(first.cell(number_column)).expect("filtered on numbers");
            let name_cell = (number_column + 1..do_column.unwrap_or(number_column + 2))
                .map(|c| first.cell(c))
                .find(|c| !c.is_empty() && !matches!(c, Cell::Error(_)));
            let (name, description) = match name_cell {
                Some(cell) => split_name(&cell.as_text()),
                None => (String::new(), None),
            };
            let activities = do_column
                .and_then(|c| list_text(first.cell(c)))
                .map(|t| lists::items(&t))
                .unwrap_or_default();
            let kpis = self.kpis(block, &mut last_header);
            if name.is_empty() && description.is_none() && activities.is_empty() && kpis.is_empty()
            {
                continue; // an empty template slot (quirk 1)
            }
            if name.is_empty() {
                self.warn_row(
                    WarningCode::BasicProjectWithoutName,
                    first.number,
                    format!("basic project {number} has content but no name; name is empty"),
                );
            }
            if projects.contains_key(&number) {
                self.warn_row(
                    WarningCode::BasicProjectDuplicate,
                    first.number,
                    format!("basic project number {number} appears twice; the later one is kept"),
                );
            }
            projects.insert(
                number,
                BasicProject {
                    name,
                    description,
                    activities,
                    kpis,
                    ..unreviewed_project(number)
                },
            );
        }
        projects
    }
}

/// A basic project with its number only; the PLAN table fills its plan and
/// the CHECK② table its review.
pub(super) fn unreviewed_project(number: u32) -> BasicProject {
    BasicProject {
        id: String::new(),
        number,
        name: String::new(),
        description: None,
        description_mentions: Vec::new(),
        activities: Vec::new(),
        kpis: Vec::new(),
        effects: Vec::new(),
        issues: Vec::new(),
        improvements: Improvements::default(),
        progress: None,
    }
}

/// Splits a basic-project cell into name and description at the first line
/// break (the converter shows it as a space).
pub(super) fn split_name(text: &str) -> (String, Option<String>) {
    let text = text.trim();
    let at = text.find('\n').or_else(|| text.find(' '));
    let (name, rest) = match at {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (text, ""),
    };
    let rest = normalize::single_line(rest);
    (
        normalize::single_line(name),
        (!rest.is_empty()).then_some(rest),
    )
}
