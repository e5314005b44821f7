//! A list of project evaluations: one row per 事務事業 under a header row.
//!
//! The list is found by its structure (a header row with a project-name
//! label and a code or department label) and read by its labels, never by
//! positions: each header cell is classified into a [`Field`] by the
//! template's `[project]` labels, the columns that repeat once per year
//! (costs, indicator values) are grouped into yearly blocks, and each row
//! below becomes a [`ProjectEvaluation`]. Columns of personal data (課長名,
//! 担当者, 電話 …) are classified first, and nothing of theirs is read.
//!
//! Long because: the header's classification (labels over several rows,
//! numbered pairs, blocks repeated once per year, the template's year
//! placement) and every field's reading from a row share one `Field` table
//! and one set of column indexes; split, each half would need the other's
//! private state.

use std::collections::{BTreeMap, BTreeSet};

use crate::era;
use crate::grid::{Cell, Grid, Row};
use crate::model::{Number, Source};
use crate::normalize::{self, ParsedNumber};
use crate::project::model::{
    Aspect, Background, CostYear, Expected, Indicator, IndicatorKind, Means, Period, PlanRef,
    ProjectEvaluation, ProjectName, YearValue,
};
use crate::template::{BlockPlacement, ProjectLabels, Template};
use crate::warning::{Warning, WarningCode};
use crate::workbook::column_name;

/// How many rows from the top a header row is looked for in.
const HEADER_SEARCH_ROWS: usize = 60;
/// The longest cell looked at as a header, in bytes.
const MAX_HEADER_BYTES: usize = 600;
/// How many rows above the header a year row (`令和5年度`) is looked for in.
const YEAR_ROWS_ABOVE: usize = 3;

/// What a worksheet held of a project list.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// No list at all.
    None,
    /// A list, read.
    List(ListReading),
    /// Something that looks like a list but cannot be read: what was seen.
    Unreadable(String),
}

/// A project list read from one worksheet.
#[derive(Debug)]
pub(crate) struct ListReading {
    /// The projects, in row order (IDs not yet assigned).
    pub projects: Vec<ProjectEvaluation>,
    /// Warnings about the list as a whole.
    pub warnings: Vec<Warning>,
    /// The 1-based columns the reader took values from.
    pub read_columns: BTreeSet<u32>,
    /// The worksheet rows of the header and the projects.
    pub rows: std::ops::RangeInclusive<u32>,
}

/// Which part of a number a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Digit {
    Whole,
    Tens,
    Ones,
}

/// The plan levels with a number and a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Level {
    Policy,
    Measure,
    BasicProject,
}

/// The cost fields of a yearly block, in [`CostYear`] order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum CostField {
    National,
    Prefectural,
    Bonds,
    Other,
    General,
    ProjectTotal,
    Staff,
    Hours,
    PersonnelCost,
    Total,
}

/// The text fields of a project, one column each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum TextField {
    FiscalYear,
    DepartmentSection,
    Department,
    Section,
    LegalBasis,
    PeriodKind,
    PeriodStart,
    PeriodEnd,
    Category,
    Overview,
    MeansPrevious,
    MeansCurrent,
    Target,
    Intent,
    Result,
    BackgroundOrigin,
    BackgroundChanges,
    BackgroundRequests,
    ManagerDirection,
    ManagerSummary,
    ExpectedOutcome,
    ExpectedCost,
    Issues,
    Direction,
}

/// What a header cell names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Field {
    /// Officials' names, desks, telephones: never read.
    Personal,
    Name,
    Code,
    PlanName(Level),
    PlanNumber(Level, Digit),
    Text(TextField),
    IndicatorName(IndicatorKind, usize),
    IndicatorUnit(IndicatorKind, usize),
    /// An indicator slot's header without a name or unit label: its value
    /// column in a yearly block (or, standing once and without a year, its
    /// name).
    IndicatorBare(IndicatorKind, usize),
    Cost(CostField),
    AspectRating(u32),
    AspectComment(u32),
}

impl Field {
    fn is_yearly(self) -> bool {
        matches!(self, Field::Cost(_) | Field::IndicatorBare(..))
    }
}

/// A header cell classified.
#[derive(Debug, Clone)]
pub(super) struct Header {
    pub column: usize,
    pub field: Field,
    /// A year written in the header itself (`事業費(R5)`).
    pub year: Option<i32>,
    /// The header text with white space and enumerator removed.
    pub key: String,
}

/// A yearly block: the columns of one year's costs and indicator values.
#[derive(Debug, Clone)]
struct Block {
    columns: BTreeMap<Field, usize>,
    first: usize,
    last: usize,
    /// The year from a header or a year row over the block.
    year: Option<i32>,
}

/// The columns of a list, found from its header row.
#[derive(Debug, Default)]
struct Columns {
    single: BTreeMap<Field, usize>,
    blocks: Vec<Block>,
    /// Fields found twice outside the yearly blocks: the first is read.
    duplicates: Vec<(Field, usize)>,
    /// Columns of the yearly kind left outside every block.
    stray: Vec<Header>,
}

/// Finds and reads the project list of a worksheet grid.
pub(crate) fn read(grid: &Grid, source: &Source, template: &Template) -> Outcome {
    let labels = template.project();
    let mut near: Option<(usize, Vec<Header>)> = None;
    for (index, row) in grid.rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let headers = classify_row(row, labels);
        let has = |f: fn(&Field) -> bool| headers.iter().any(|h| f(&h.field));
        let name = has(|f| *f == Field::Name);
        let anchor = has(|f| {
            matches!(
                f,
                Field::Code
                    | Field::Text(
                        TextField::DepartmentSection | TextField::Department | TextField::Section
                    )
            )
        });
        if name && anchor {
            return read_list(grid, index, headers, source, labels);
        }
        let known = headers
            .iter()
            .filter(|h| h.field != Field::Personal)
            .count();
        if known >= 3 && near.as_ref().is_none_or(|(_, h)| h.len() < known) {
            near = Some((index, headers));
        }
    }
    match near {
        Some((index, headers)) => Outcome::Unreadable(describe_near_miss(grid, index, &headers)),
        None => Outcome::None,
    }
}

/// What a table with project labels but no usable header row shows.
fn describe_near_miss(grid: &Grid, index: usize, headers: &[Header]) -> String {
    let rows = grid.rows[index + 1..]
        .iter()
        .filter(|r| !r.is_blank())
        .count();
    let seen: Vec<String> = headers
        .iter()
        .filter(|h| h.field != Field::Personal)
        .take(4)
        .map(|h| h.key.clone())
        .collect();
    let has_name = headers.iter().any(|h| h.field == Field::Name);
    let missing = if has_name {
        "no project code (事務事業ID) or department (部課名, 担当課) header"
    } else {
        "no project-name header (事務事業名, 事業名)"
    };
    format!(
        "a list of {rows} rows with {} headers (row {}), but {missing}; add the list's own \
         label to the template's [project] table (see `hyoka template`)",
        seen.join(", "),
        grid.rows[index].number
    )
}

/// The header's text as labels are compared: white space removed, a
/// leading enumerator (`①`, `(1)`, `4`, `1.`) dropped.
pub(super) fn header_key(text: &str) -> String {
    let squashed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    strip_enumerator(&squashed).to_owned()
}

fn strip_enumerator(s: &str) -> &str {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if normalize::is_circled_number(c) => return chars.as_str(),
        Some('(') => {
            let rest = chars.as_str();
            if let Some(end) = rest.find(')')
                && end > 0
                && end <= 2
                && rest[..end].bytes().all(|b| b.is_ascii_digit())
            {
                return &rest[end + 1..];
            }
        }
        _ => {}
    }
    // A short number glued to the label (`4課長等意見`), not a year.
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=2).contains(&digits) {
        let rest = &s[digits..];
        let rest = rest
            .strip_prefix('.')
            .or_else(|| rest.strip_prefix('、'))
            .unwrap_or(rest);
        if !rest.starts_with(['年', '月', '日']) && !rest.is_empty() {
            return rest;
        }
    }
    s
}

/// Whether `text` matches the glob `pattern`: `*` is any text; without a
/// `*` at an end, that end is anchored. White space in the pattern is
/// ignored, as it is in headers.
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    // Labels rarely hold white space: only those are copied without it.
    let pattern: std::borrow::Cow<'_, str> = if pattern.contains(char::is_whitespace) {
        pattern
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .into()
    } else {
        pattern.into()
    };
    if !pattern.contains('*') {
        return *pattern == *text;
    }
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &text[first.len()..];
    if !rest.ends_with(last) {
        return false;
    }
    rest = &rest[..rest.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        if part.is_empty() {
            continue;
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

pub(super) fn any_glob(labels: &[String], key: &str) -> bool {
    labels.iter().any(|l| glob(l, key))
}

/// Classifies the cells of a row as headers.
pub(super) fn classify_row(row: &Row, labels: &ProjectLabels) -> Vec<Header> {
    row.cells
        .iter()
        .enumerate()
        .filter_map(|(column, cell)| {
            let (field, year, key) = classify_cell(cell.as_str()?, labels)?;
            Some(Header {
                column,
                field,
                year,
                key,
            })
        })
        .collect()
}

/// What one header cell names: its field, a year written in it (for the
/// columns that repeat per year) and its key.
pub(super) type Classified = (Field, Option<i32>, String);

/// Classifies one header cell's text.
pub(super) fn classify_cell(text: &str, labels: &ProjectLabels) -> Option<Classified> {
    // Headers are short (大船渡's longest has 70 characters); a long cell
    // is content, and is not searched for labels and years.
    if text.len() > MAX_HEADER_BYTES {
        return None;
    }
    let (year, rest) = match era::find_year(text) {
        Some((y, range)) => (
            Some(y.gregorian),
            format!("{}{}", &text[..range.start], &text[range.end..]),
        ),
        None => (None, text.to_owned()),
    };
    let mut key = header_key(&rest);
    if year.is_some() {
        // What was left around a year (`事業費(令和5年度)` → `事業費()`).
        key = key.replace("()", "").replace("年度", "");
    }
    if key.is_empty() {
        return None;
    }
    let field = classify(&key, labels)?;
    // A year only counts in the columns that repeat per year.
    let year = year.filter(|_| field.is_yearly());
    Some((field, year, key))
}

/// The field a header names, by the template's labels; `None` for headers
/// the form has but the record does not take (`No.`, 予算科目).
fn classify(key: &str, l: &ProjectLabels) -> Option<Field> {
    if any_glob(&l.personal, key) {
        return Some(Field::Personal);
    }
    if let Some(field) = indicator(key, l) {
        return Some(field);
    }
    let costs = [
        (&l.national, CostField::National),
        (&l.prefectural, CostField::Prefectural),
        (&l.bonds, CostField::Bonds),
        (&l.other, CostField::Other),
        (&l.general, CostField::General),
        (&l.project_total, CostField::ProjectTotal),
        (&l.staff, CostField::Staff),
        (&l.hours, CostField::Hours),
        (&l.personnel_cost, CostField::PersonnelCost),
        (&l.total, CostField::Total),
    ];
    for (labels, field) in costs {
        if any_glob(labels, key) {
            return Some(Field::Cost(field));
        }
    }
    if let Some(field) = aspect(key, l) {
        return Some(field);
    }
    if any_glob(&l.name, key) {
        return Some(Field::Name);
    }
    if any_glob(&l.code, key) {
        return Some(Field::Code);
    }
    let levels = [
        (Level::Policy, &l.policy_number, &l.policy_name),
        (Level::Measure, &l.measure_number, &l.measure_name),
        (
            Level::BasicProject,
            &l.basic_project_number,
            &l.basic_project_name,
        ),
    ];
    for (level, numbers, names) in levels {
        for label in numbers {
            let Some(rest) = key.strip_prefix(label.as_str()) else {
                continue;
            };
            let rest = rest.trim_start_matches('(').trim_end_matches(')');
            if rest.is_empty() {
                return Some(Field::PlanNumber(level, Digit::Whole));
            }
            if l.tens.iter().any(|t| t == rest) {
                return Some(Field::PlanNumber(level, Digit::Tens));
            }
            if l.ones.iter().any(|t| t == rest) {
                return Some(Field::PlanNumber(level, Digit::Ones));
            }
        }
        if any_glob(names, key) {
            return Some(Field::PlanName(level));
        }
    }
    // Longer, more specific labels first: 課長等意見 before 方向性.
    let texts = [
        (&l.fiscal_year, TextField::FiscalYear),
        (&l.department_section, TextField::DepartmentSection),
        (&l.department, TextField::Department),
        (&l.section, TextField::Section),
        (&l.legal_basis, TextField::LegalBasis),
        (&l.period_kind, TextField::PeriodKind),
        (&l.period_start, TextField::PeriodStart),
        (&l.period_end, TextField::PeriodEnd),
        (&l.category, TextField::Category),
        (&l.overview, TextField::Overview),
        (&l.means_previous, TextField::MeansPrevious),
        (&l.means_current, TextField::MeansCurrent),
        (&l.background_origin, TextField::BackgroundOrigin),
        (&l.background_changes, TextField::BackgroundChanges),
        (&l.background_requests, TextField::BackgroundRequests),
        (&l.manager_direction, TextField::ManagerDirection),
        (&l.manager_summary, TextField::ManagerSummary),
        (&l.expected_outcome, TextField::ExpectedOutcome),
        (&l.expected_cost, TextField::ExpectedCost),
        (&l.issues, TextField::Issues),
        (&l.direction, TextField::Direction),
        (&l.target, TextField::Target),
        (&l.intent, TextField::Intent),
        (&l.result, TextField::Result),
    ];
    texts
        .into_iter()
        .find(|(labels, _)| any_glob(labels, key))
        .map(|(_, field)| Field::Text(field))
}

/// Each indicator kind whose label `key` starts with, and what follows
/// the label (and a bracket after it, `活動指標(1)`), in the template's order:
/// the list and the per-project sheets read kind labels alike.
pub(super) fn kind_prefixes<'k>(
    key: &'k str,
    l: &'k ProjectLabels,
) -> impl Iterator<Item = (IndicatorKind, &'k str)> + 'k {
    let kinds = [
        (IndicatorKind::Activity, &l.activity),
        (IndicatorKind::Target, &l.target_indicator),
        (IndicatorKind::Outcome, &l.outcome),
    ];
    kinds.into_iter().flat_map(move |(kind, labels)| {
        labels.iter().filter_map(move |label| {
            let mut rest = key.strip_prefix(label.as_str())?;
            if rest.starts_with('(') {
                rest = rest.find(')').map_or("", |end| &rest[end + 1..]);
            }
            Some((kind, rest))
        })
    })
}

/// An indicator header: kind label, an optional bracket, a slot, and a
/// name or unit label (or neither: the value column).
fn indicator(key: &str, l: &ProjectLabels) -> Option<Field> {
    for (kind, mut rest) in kind_prefixes(key, l) {
        let mut slot = 0;
        let slots = kind.slots();
        if let Some((i, s)) = slots.iter().enumerate().find(|(_, s)| rest.starts_with(*s)) {
            slot = i;
            rest = &rest[s.len()..];
        } else if let Some(d @ b'1'..=b'3') = rest.bytes().next() {
            slot = (d - b'1') as usize;
            rest = &rest[1..];
        } else if let Some(c) = rest.chars().next().filter(|c| ('①'..='③').contains(c)) {
            slot = c as usize - '①' as usize;
            rest = &rest[c.len_utf8()..];
        }
        let rest = rest.trim_start_matches([':', '・', '_', '-', '.']);
        if rest.is_empty() {
            return Some(Field::IndicatorBare(kind, slot));
        }
        if l.indicator_name.iter().any(|n| n == rest) {
            return Some(Field::IndicatorName(kind, slot));
        }
        if l.indicator_unit.iter().any(|n| n == rest) {
            return Some(Field::IndicatorUnit(kind, slot));
        }
    }
    None
}

/// An evaluation aspect's rating or comment header.
fn aspect(key: &str, l: &ProjectLabels) -> Option<Field> {
    let aspects = [
        &l.aspect_1,
        &l.aspect_2,
        &l.aspect_3,
        &l.aspect_4,
        &l.aspect_5,
        &l.aspect_6,
        &l.aspect_7,
        &l.aspect_8,
    ];
    for (i, labels) in aspects.into_iter().enumerate() {
        let number = i as u32 + 1;
        for label in labels {
            let Some(rest) = key.strip_prefix(label.as_str()) else {
                continue;
            };
            if rest.is_empty() || l.rating_suffix.iter().any(|s| s == rest) {
                return Some(Field::AspectRating(number));
            }
            if l.comment_suffix.iter().any(|s| s == rest) {
                return Some(Field::AspectComment(number));
            }
        }
    }
    None
}

/// The aspect's text as the header writes it, without suffix.
pub(super) fn aspect_text(key: &str, l: &ProjectLabels) -> String {
    let mut text = key;
    for suffix in l.rating_suffix.iter().chain(&l.comment_suffix) {
        if let Some(stripped) = text.strip_suffix(suffix.as_str())
            && !stripped.is_empty()
        {
            text = stripped;
            break;
        }
    }
    text.to_owned()
}

/// Groups the headers into single columns and yearly blocks.
fn columns(grid: &Grid, header_index: usize, headers: &[Header]) -> Columns {
    let mut out = Columns::default();
    // Indicator slots whose bare header stands once, without a year and
    // without a name column: that header is the slot's name.
    let mut bare_count: BTreeMap<Field, usize> = BTreeMap::new();
    for h in headers {
        if let Field::IndicatorBare(..) = h.field {
            *bare_count.entry(h.field).or_default() += 1;
        }
    }
    let mut yearly: Vec<&Header> = Vec::new();
    for h in headers {
        let field = match h.field {
            Field::IndicatorBare(kind, slot)
                if bare_count[&h.field] == 1
                    && h.year.is_none()
                    && !headers
                        .iter()
                        .any(|o| o.field == Field::IndicatorName(kind, slot)) =>
            {
                Field::IndicatorName(kind, slot)
            }
            f => f,
        };
        if field.is_yearly() {
            yearly.push(h);
        } else if field != Field::Personal {
            match out.single.entry(field) {
                std::collections::btree_map::Entry::Occupied(_) => {
                    out.duplicates.push((field, h.column));
                }
                std::collections::btree_map::Entry::Vacant(e) => {
                    e.insert(h.column);
                }
            }
        }
    }
    // Blocks: runs of adjacent yearly columns; a field met again, or a
    // header naming another year, starts the next block.
    let mut blocks: Vec<(Block, Vec<Header>)> = Vec::new();
    for h in yearly {
        let starts_new = match blocks.last() {
            None => true,
            Some((b, _)) => {
                b.columns.contains_key(&h.field)
                    || h.column != b.last + 1
                    || (h.year.is_some() && b.year.is_some() && h.year != b.year)
            }
        };
        if starts_new {
            blocks.push((
                Block {
                    columns: BTreeMap::new(),
                    first: h.column,
                    last: h.column,
                    year: None,
                },
                Vec::new(),
            ));
        }
        let (b, members) = blocks.last_mut().expect("a block was pushed");
        b.columns.insert(h.field, h.column);
        b.last = h.column;
        b.year = b.year.or(h.year);
        members.push(h.clone());
    }
    // A lone yearly column beside the blocks (大船渡's トータルコスト after
    // its 全体計画 columns) is not a year of its own.
    let widest = blocks
        .iter()
        .map(|(b, _)| b.columns.len())
        .max()
        .unwrap_or(0);
    for (block, members) in blocks {
        if block.columns.len() * 2 < widest {
            out.stray.extend(members);
        } else {
            out.blocks.push(block);
        }
    }
    // Years from a row over the blocks (a merged `令和5年度(2023年度)`).
    let start = header_index.saturating_sub(YEAR_ROWS_ABOVE);
    let above = &grid.rows[start..header_index];
    let mut previous_last: Option<usize> = None;
    for block in &mut out.blocks {
        if block.year.is_none() {
            block.year = above
                .iter()
                .rev()
                .find_map(|row| year_over(row, block.first, block.last, previous_last));
        }
        previous_last = Some(block.last);
    }
    out
}

/// The year written over columns `first..=last` of a row: in them, or in
/// the nearest cell to the left that is not over the previous block (a
/// merged cell keeps its value at its left).
fn year_over(row: &Row, first: usize, last: usize, previous_last: Option<usize>) -> Option<i32> {
    let year = |c: usize| {
        row.cell(c)
            .as_str()
            .and_then(era::find_year)
            .map(|(y, _)| y.gregorian)
    };
    if let Some(y) = (first..=last).find_map(year) {
        return Some(y);
    }
    let floor = previous_last.map_or(0, |p| p + 1);
    (floor..first).rev().find_map(year)
}

/// What the header says that is not read: a yearly heading outside the
/// blocks, a field named twice, blocks whose years come from the template.
fn header_warnings(
    cols: &Columns,
    headers: &[Header],
    header_row: u32,
    labels: &ProjectLabels,
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let name_of = |field: Field| {
        headers
            .iter()
            .find(|h| h.field == field)
            .map_or_else(String::new, |h| h.key.clone())
    };
    for h in &cols.stray {
        warnings.push(Warning::at_cell(
            WarningCode::ProjectColumnIgnored,
            header_row,
            h.column as u32 + 1,
            format!(
                "column {} ({}) repeats a yearly heading but stands outside the yearly blocks; \
                 it is not read",
                column_name(h.column as u32),
                h.key
            ),
        ));
    }
    for (field, column) in &cols.duplicates {
        warnings.push(Warning::at_cell(
            WarningCode::ProjectColumnIgnored,
            header_row,
            *column as u32 + 1,
            format!(
                "column {} ({}) names a field an earlier column already names; the earlier \
                 one is read",
                column_name(*column as u32),
                name_of(*field)
            ),
        ));
    }
    let unlabeled = cols.blocks.iter().filter(|b| b.year.is_none()).count();
    let placement = labels.unlabeled_blocks;
    if unlabeled > 0 {
        let span = match (cols.blocks.first(), cols.blocks.last()) {
            (Some(a), Some(b)) => format!(
                "columns {}–{}",
                column_name(a.first as u32),
                column_name(b.last as u32)
            ),
            _ => String::new(),
        };
        let how = match placement {
            BlockPlacement::EndingAtEvaluationYear => format!(
                "placed as the {} years before each project's evaluation year and the year \
                 itself, as the template says (project.unlabeled_blocks = \
                 \"ending_at_evaluation_year\")",
                cols.blocks.len().saturating_sub(1)
            ),
            BlockPlacement::StartingAtEvaluationYear => "placed as each project's evaluation \
                 year and the years after it, as the template says (project.unlabeled_blocks \
                 = \"starting_at_evaluation_year\")"
                .to_owned(),
            BlockPlacement::None => "not read, as the template says (project.unlabeled_blocks \
                 = \"none\")"
                .to_owned(),
        };
        warnings.push(Warning::in_file(
            WarningCode::ProjectYearsFromTemplate,
            format!(
                "{unlabeled} of the {} yearly blocks ({span}) carry no year in their headers or \
                 above them: {how}; check the years against the printed form",
                cols.blocks.len()
            ),
        ));
    }
    warnings
}

/// Reads the list under the header row at `header_index`.
fn read_list(
    grid: &Grid,
    header_index: usize,
    headers: Vec<Header>,
    source: &Source,
    labels: &ProjectLabels,
) -> Outcome {
    let cols = columns(grid, header_index, &headers);
    let header_row = grid.rows[header_index].number;
    let mut warnings = header_warnings(&cols, &headers, header_row, labels);
    let name_of = |field: Field| {
        headers
            .iter()
            .find(|h| h.field == field)
            .map_or_else(String::new, |h| h.key.clone())
    };
    let placement = labels.unlabeled_blocks;
    let mut read_columns: BTreeSet<u32> = cols.single.values().map(|c| *c as u32 + 1).collect();
    for b in &cols.blocks {
        read_columns.extend(b.columns.values().map(|c| *c as u32 + 1));
    }
    // An aspect's comment sits right of its rating when no column names it.
    let mut comment_columns = BTreeMap::new();
    let taken: BTreeSet<usize> = headers.iter().map(|h| h.column).collect();
    for n in 1..=8 {
        if let Some(&c) = cols.single.get(&Field::AspectComment(n)) {
            comment_columns.insert(n, c);
        } else if let Some(&r) = cols.single.get(&Field::AspectRating(n))
            && !taken.contains(&(r + 1))
        {
            comment_columns.insert(n, r + 1);
            read_columns.insert(r as u32 + 2);
        }
    }

    let name_column = cols.single[&Field::Name];
    let mut projects = Vec::new();
    let mut era_assumed: Option<(String, i32)> = None;
    let mut last_row = header_row;
    for row in &grid.rows[header_index + 1..] {
        if row.is_blank() {
            continue;
        }
        let Some(name) = text(row.cell(name_column)) else {
            let content = row
                .filled()
                .any(|(c, cell)| read_columns.contains(&(c as u32 + 1)) && text(cell).is_some());
            if content {
                warnings.push(Warning::at_row(
                    WarningCode::ProjectRowWithoutName,
                    row.number,
                    format!(
                        "row {} holds project data but no project name ({}); it is not read",
                        row.number,
                        name_of(Field::Name)
                    ),
                ));
            }
            continue;
        };
        last_row = row.number;
        let reader = RowReader {
            row,
            cols: &cols,
            labels,
            comment_columns: &comment_columns,
            headers: &headers,
        };
        let mut p = reader.project(name, source, projects.len() as u32 + 1);
        if let Some(found) = reader.era_assumed() {
            era_assumed.get_or_insert(found);
        }
        place_years(&mut p, &cols, placement);
        projects.push(p);
    }
    if let Some((raw, year)) = era_assumed {
        warnings.push(Warning::in_file(
            WarningCode::ProjectYearEraAssumed,
            format!(
                "the evaluation year ({}) is written without an era (`{raw}`): read as a year of \
                 {} ({year}), as the template's project.year_era says",
                name_of(Field::Text(TextField::FiscalYear)),
                labels.year_era.first().map_or("", String::as_str)
            ),
        ));
    }
    if projects.is_empty() {
        return Outcome::Unreadable(format!(
            "a list with {} and {} headers (row {header_row}), but no rows of projects under it",
            name_of(Field::Name),
            headers
                .iter()
                .find(|h| matches!(h.field, Field::Code | Field::Text(_)))
                .map_or("", |h| h.key.as_str())
        ));
    }
    Outcome::List(ListReading {
        projects,
        warnings,
        read_columns,
        rows: header_row..=last_row,
    })
}

/// Gives the yearly values the years of their blocks.
fn place_years(p: &mut ProjectEvaluation, cols: &Columns, placement: BlockPlacement) {
    let n = cols.blocks.len() as i32;
    let years: Vec<Option<i32>> = cols
        .blocks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            b.year.or_else(|| {
                let fy = p.fiscal_year?;
                match placement {
                    BlockPlacement::EndingAtEvaluationYear => Some(fy - (n - 1 - i as i32)),
                    BlockPlacement::StartingAtEvaluationYear => Some(fy + i as i32),
                    BlockPlacement::None => None,
                }
            })
        })
        .collect();
    for cost in &mut p.costs {
        cost.fiscal_year = cost.fiscal_year.and_then(|i| years[i as usize]);
    }
    for indicator in &mut p.indicators {
        for v in &mut indicator.values {
            v.fiscal_year = v.fiscal_year.and_then(|i| years[i as usize]);
        }
    }
    // Blocks the template leaves unread go, costs and values alike.
    if placement == BlockPlacement::None {
        p.costs.retain(|c| c.fiscal_year.is_some());
        for indicator in &mut p.indicators {
            indicator.values.retain(|v| v.fiscal_year.is_some());
        }
    }
}

/// The text of a cell on one line (a line break folds to a space, as the
/// contract's records have it), or `None` for an empty cell and for a bare
/// `0` (what a formula shows when its source is empty).
pub(super) fn text(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Empty => None,
        Cell::Number(n) if *n == 0.0 => None,
        Cell::Text(s) if s == "0" => None,
        Cell::Error(_) => None,
        other => Some(other.as_text().replace('\n', " ")),
    }
}

/// A value cell: the number (0 included), and the text as written.
pub(super) enum Value {
    Number(Number, String),
    Empty(Option<String>),
    NotANumber(String),
}

pub(super) fn value(cell: &Cell) -> Value {
    match cell {
        Cell::Empty => Value::Empty(None),
        Cell::Number(n) => match Number::new(*n) {
            Some(v) => Value::Number(v, normalize::format_number(*n)),
            None => Value::NotANumber(cell.as_text().into_owned()),
        },
        Cell::Text(s) => match normalize::number(s) {
            ParsedNumber::Number { value, .. } => match Number::new(value) {
                Some(v) => Value::Number(v, s.clone()),
                None => Value::NotANumber(s.clone()),
            },
            ParsedNumber::NoValue => Value::Empty(Some(s.clone())),
            ParsedNumber::Text => Value::NotANumber(s.clone()),
        },
        other => Value::NotANumber(other.as_text().into_owned()),
    }
}

/// Reads one project row.
struct RowReader<'a> {
    row: &'a Row,
    cols: &'a Columns,
    labels: &'a ProjectLabels,
    comment_columns: &'a BTreeMap<u32, usize>,
    headers: &'a [Header],
}

impl RowReader<'_> {
    fn cell(&self, field: Field) -> &Cell {
        self.cols
            .single
            .get(&field)
            .map_or(&Cell::Empty, |&c| self.row.cell(c))
    }

    fn text(&self, field: TextField) -> Option<String> {
        text(self.cell(Field::Text(field)))
    }

    /// The bare evaluation year (`7`) and the year it was read as, when
    /// the template's era had to be assumed.
    fn era_assumed(&self) -> Option<(String, i32)> {
        let raw = self.cell(Field::Text(TextField::FiscalYear)).as_text();
        let n: u32 = raw.parse().ok().filter(|n| *n < 100)?;
        Some((raw.into_owned(), self.fiscal_year_of(n)?))
    }

    fn fiscal_year_of(&self, era_year: u32) -> Option<i32> {
        let era = self.labels.year_era.first()?;
        era::parse_year(&format!("{era}{era_year}年度")).map(|y| y.gregorian)
    }

    fn fiscal_year(&self, warnings: &mut Vec<Warning>) -> Option<i32> {
        let column = *self.cols.single.get(&Field::Text(TextField::FiscalYear))?;
        let raw = text(self.row.cell(column))?;
        let year = match raw.parse::<u32>() {
            Ok(n) if n < 100 => self.fiscal_year_of(n),
            Ok(n) if (1868..=2200).contains(&n) => Some(n as i32),
            _ => era::parse_year(&raw).map(|y| y.gregorian),
        };
        if year.is_none() {
            warnings.push(self.at(
                WarningCode::FiscalYearMissing,
                column,
                format!("the evaluation year `{raw}` is not a year; the project has none"),
            ));
        }
        year
    }

    fn at(&self, code: WarningCode, column: usize, message: String) -> Warning {
        Warning::at_cell(code, self.row.number, column as u32 + 1, message)
    }

    fn project(&self, name: String, source: &Source, ordinal: u32) -> ProjectEvaluation {
        let mut warnings = Vec::new();
        let fiscal_year = self.fiscal_year(&mut warnings);
        let code = self.code(&mut warnings);
        let (mut department, mut section) = match self.text(TextField::DepartmentSection) {
            Some(whole) => split_department(&whole, &self.labels.department_endings),
            None => (None, None),
        };
        if let Some(d) = self.text(TextField::Department) {
            department = Some(d);
        }
        if let Some(s) = self.text(TextField::Section) {
            section = Some(s);
        }
        let period = Period {
            kind: self.text(TextField::PeriodKind),
            start: self.text(TextField::PeriodStart),
            end: self.text(TextField::PeriodEnd),
        };
        let period = (period.kind.is_some() || period.start.is_some() || period.end.is_some())
            .then_some(period);
        ProjectEvaluation {
            id: String::new(),
            municipality: None,
            source: Source {
                ordinal,
                rows: [self.row.number, self.row.number],
                ..source.clone()
            },
            fiscal_year,
            project: ProjectName { code, name },
            policy: self.plan(Level::Policy, &mut warnings),
            measure: self.plan(Level::Measure, &mut warnings),
            basic_project: self.plan(Level::BasicProject, &mut warnings),
            department,
            section,
            legal_basis: self.text(TextField::LegalBasis),
            period,
            category: self.text(TextField::Category),
            overview: self.text(TextField::Overview),
            means: Means {
                previous: self.text(TextField::MeansPrevious),
                current: self.text(TextField::MeansCurrent),
            },
            target: self.text(TextField::Target),
            intent: self.text(TextField::Intent),
            result: self.text(TextField::Result),
            indicators: self.indicators(&mut warnings),
            costs: self.costs(&mut warnings),
            background: Background {
                origin: self.text(TextField::BackgroundOrigin),
                changes: self.text(TextField::BackgroundChanges),
                requests: self.text(TextField::BackgroundRequests),
            },
            evaluation: self.evaluation(),
            direction: self.text(TextField::Direction),
            expected: Expected {
                outcome: self.text(TextField::ExpectedOutcome),
                cost: self.text(TextField::ExpectedCost),
            },
            issues: self.text(TextField::Issues),
            manager_direction: self.text(TextField::ManagerDirection),
            manager_summary: self.text(TextField::ManagerSummary),
            warnings,
        }
    }

    /// The code as text; a code stored as a number keeps its digits, with
    /// a warning (leading zeros a text cell would have kept may be lost).
    fn code(&self, warnings: &mut Vec<Warning>) -> Option<String> {
        let column = *self.cols.single.get(&Field::Code)?;
        match self.row.cell(column) {
            Cell::Empty => None,
            cell @ Cell::Number(_) => {
                let code = cell.as_text().into_owned();
                warnings.push(self.at(
                    WarningCode::ProjectCodeNumeric,
                    column,
                    format!(
                        "the project code is stored as the number {code}, not as text: leading \
                         zeros the other codes have may be lost; it is kept as `{code}`"
                    ),
                ));
                Some(code)
            }
            cell => Some(cell.as_text().into_owned()),
        }
    }

    fn plan(&self, level: Level, warnings: &mut Vec<Warning>) -> Option<PlanRef> {
        let name = text(self.cell(Field::PlanName(level)));
        let digit = |d: Digit, warnings: &mut Vec<Warning>| -> Option<u32> {
            let column = *self.cols.single.get(&Field::PlanNumber(level, d))?;
            let cell = self.row.cell(column);
            match value(cell) {
                Value::Number(n, _) => match n.as_integer() {
                    Some(i) if (0..=u32::MAX as i64).contains(&i) => Some(i as u32),
                    _ => None,
                },
                Value::Empty(_) => None,
                Value::NotANumber(raw) => {
                    warnings.push(self.at(
                        WarningCode::ValueNotANumber,
                        column,
                        format!("the plan number `{raw}` is not a number; it is left out"),
                    ));
                    None
                }
            }
        };
        let whole = digit(Digit::Whole, warnings);
        let tens = digit(Digit::Tens, warnings);
        let ones = digit(Digit::Ones, warnings);
        let number = match (tens, ones) {
            (_, None) if tens.is_none() => whole,
            (t, Some(o)) => Some(t.unwrap_or(0) * 10 + o),
            (Some(t), None) => Some(t * 10),
            (None, None) => whole,
        };
        (number.is_some() || name.is_some()).then_some(PlanRef { number, name })
    }

    fn number(
        &self,
        column: usize,
        warnings: &mut Vec<Warning>,
    ) -> (Option<Number>, Option<String>) {
        match value(self.row.cell(column)) {
            Value::Number(n, raw) => (Some(n), Some(raw)),
            Value::Empty(raw) => (None, raw),
            Value::NotANumber(raw) => {
                warnings.push(self.at(
                    WarningCode::ValueNotANumber,
                    column,
                    format!(
                        "{} holds `{raw}`, which is not a number: the value is null and the text \
                         is kept as raw",
                        column_name(column as u32)
                    ),
                ));
                (None, Some(raw))
            }
        }
    }

    fn costs(&self, warnings: &mut Vec<Warning>) -> Vec<CostYear> {
        let mut out = Vec::new();
        for (i, block) in self.cols.blocks.iter().enumerate() {
            let has_costs = block.columns.keys().any(|f| matches!(f, Field::Cost(_)));
            if !has_costs {
                continue;
            }
            let mut get = |f: CostField| {
                block
                    .columns
                    .get(&Field::Cost(f))
                    .and_then(|&c| self.number(c, warnings).0)
            };
            out.push(CostYear {
                // The block's index until `place_years` gives its year.
                fiscal_year: Some(i as i32),
                national: get(CostField::National),
                prefectural: get(CostField::Prefectural),
                bonds: get(CostField::Bonds),
                other: get(CostField::Other),
                general: get(CostField::General),
                project_total: get(CostField::ProjectTotal),
                staff: get(CostField::Staff),
                hours: get(CostField::Hours),
                personnel_cost: get(CostField::PersonnelCost),
                total: get(CostField::Total),
            });
        }
        out
    }

    fn indicators(&self, warnings: &mut Vec<Warning>) -> Vec<Indicator> {
        let mut out = Vec::new();
        for kind in IndicatorKind::ALL {
            for (slot, letter) in kind.slots().iter().enumerate() {
                let name_column = self.cols.single.get(&Field::IndicatorName(kind, slot));
                let name = name_column.and_then(|&c| text(self.row.cell(c)));
                let unit = self
                    .cols
                    .single
                    .get(&Field::IndicatorUnit(kind, slot))
                    .and_then(|&c| text(self.row.cell(c)));
                let mut values = Vec::new();
                let mut own = Vec::new();
                let mut real = false;
                for (i, block) in self.cols.blocks.iter().enumerate() {
                    let Some(&c) = block.columns.get(&Field::IndicatorBare(kind, slot)) else {
                        continue;
                    };
                    let (value, raw) = self.number(c, &mut own);
                    real |= value.is_some_and(|v| v.get() != 0.0) || !own.is_empty();
                    values.push(YearValue {
                        fiscal_year: Some(i as i32),
                        value,
                        raw,
                    });
                }
                if name.is_none() && !real {
                    // An unused slot: empty, dashes or the zeros of a formula.
                    continue;
                }
                if name.is_none() {
                    let column = name_column.copied().unwrap_or_else(|| {
                        self.headers
                            .iter()
                            .find(|h| h.field == Field::IndicatorBare(kind, slot))
                            .map_or(0, |h| h.column)
                    });
                    warnings.push(self.at(
                        WarningCode::IndicatorWithoutName,
                        column,
                        format!(
                            "the {} indicator slot {letter} has values but no name; it is kept \
                             without one",
                            kind.as_str()
                        ),
                    ));
                }
                warnings.append(&mut own);
                out.push(Indicator {
                    id: String::new(),
                    kind,
                    slot: (*letter).to_owned(),
                    name,
                    unit,
                    values,
                });
            }
        }
        out
    }

    fn evaluation(&self) -> Vec<Aspect> {
        let mut out = Vec::new();
        for n in 1..=8 {
            let rating_column = self.cols.single.get(&Field::AspectRating(n)).copied();
            let comment_column = self.comment_columns.get(&n).copied();
            let header = if rating_column.is_some() {
                Field::AspectRating(n)
            } else if comment_column.is_some() {
                Field::AspectComment(n)
            } else {
                continue;
            };
            let key = self
                .headers
                .iter()
                .find(|h| h.field == header)
                .map_or_else(String::new, |h| aspect_text(&h.key, self.labels));
            out.push(Aspect {
                number: n,
                aspect: key,
                rating: rating_column.and_then(|c| text(self.row.cell(c))),
                comment: comment_column.and_then(|c| text(self.row.cell(c))),
            });
        }
        out
    }
}

/// Splits `部課名` into department and section: at the first of the
/// endings in the text (where two start at the same place, the longer:
/// 教育委員会事務局 before 教育委員会); without one, the whole text is the
/// department.
///
/// `市民生活部市民環境課` → 市民生活部 + 市民環境課; `大船渡消防署` stays whole.
pub(crate) fn split_department(text: &str, endings: &[String]) -> (Option<String>, Option<String>) {
    let text = text.trim();
    let best = endings
        .iter()
        .filter_map(|e| text.find(e.as_str()).map(|at| (at, at + e.len())))
        .min_by_key(|&(start, end)| (start, std::cmp::Reverse(end)));
    let Some((_, end)) = best else {
        return (Some(text.to_owned()).filter(|t| !t.is_empty()), None);
    };
    let department = text[..end].trim().to_owned();
    let section = text[end..].trim().to_owned();
    (Some(department), Some(section).filter(|s| !s.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;

    fn endings() -> Vec<String> {
        Template::builtin().project().department_endings.clone()
    }

    #[test]
    fn departments_split_at_the_first_ending() {
        let s = |t: &str| split_department(t, &endings());
        let some = |a: &str, b: Option<&str>| (Some(a.to_owned()), b.map(str::to_owned));
        assert_eq!(
            s("市民生活部市民環境課"),
            some("市民生活部", Some("市民環境課"))
        );
        assert_eq!(s("大船渡消防署"), some("大船渡消防署", None));
        assert_eq!(
            s("教育委員会事務局学校教育課"),
            some("教育委員会事務局", Some("学校教育課"))
        );
        assert_eq!(s("教育委員会博物館"), some("教育委員会", Some("博物館")));
        assert_eq!(s("農業委員会事務局"), some("農業委員会事務局", None));
        assert_eq!(
            s("気仙広域連合衛生課"),
            some("気仙広域連合", Some("衛生課"))
        );
        assert_eq!(
            s("保健福祉部 こども家庭センター"),
            some("保健福祉部", Some("こども家庭センター"))
        );
        assert_eq!(s("会計課"), some("会計課", None));
    }

    #[test]
    fn globs_anchor_where_there_is_no_star() {
        assert!(glob("年度", "年度"));
        assert!(!glob("年度", "評価年度"));
        assert!(glob("事務事業の概要*", "事務事業の概要(具体的な)"));
        assert!(glob("*課長等意見*方向性", "課長等意見(1)今後の方向性"));
        assert!(!glob("*課長等意見*方向性", "課長等意見(1)今後の方向性です"));
        assert!(glob("対象(*", "対象(誰)"));
        assert!(!glob("対象(*", "対象指標"));
        assert!(!glob("ab*ba", "aba"));
    }

    #[test]
    fn headers_lose_white_space_and_enumerators() {
        assert_eq!(header_key("① 政策体系との整合性"), "政策体系との整合性");
        assert_eq!(header_key("(1) 改革改善の方向性"), "改革改善の方向性");
        assert_eq!(
            header_key("4 課長等意見\n(1) 今後の方向性"),
            "課長等意見(1)今後の方向性"
        );
        assert_eq!(header_key("事業費計  (A)"), "事業費計(A)");
        assert_eq!(header_key("2023年度"), "2023年度");
    }

    #[test]
    fn headers_are_classified_by_the_template() {
        let t = Template::builtin();
        let l = t.project();
        let c = |h: &str| classify(&header_key(&crate::normalize::text(h)), l);
        use IndicatorKind::*;
        assert_eq!(
            c("⑤ 活動指標（事務事業の活動量を表す指標）\nア：名称"),
            Some(Field::IndicatorName(Activity, 0))
        );
        assert_eq!(
            c("⑦ 成果指標（対象における意図の達成度を表す指標）\nス：単位"),
            Some(Field::IndicatorUnit(Outcome, 2))
        );
        assert_eq!(c("⑥対象指標\nキ"), Some(Field::IndicatorBare(Target, 1)));
        assert_eq!(
            c("成果指標(アウトカム)2名称"),
            Some(Field::IndicatorName(Outcome, 1))
        );
        assert_eq!(
            c("事業費計  （A）"),
            Some(Field::Cost(CostField::ProjectTotal))
        );
        assert_eq!(
            c("トータルコスト(A)＋(B)"),
            Some(Field::Cost(CostField::Total))
        );
        assert_eq!(c("全体計画\n（国庫支出金）"), None);
        assert_eq!(
            c("政策番号\n十の位"),
            Some(Field::PlanNumber(Level::Policy, Digit::Tens))
        );
        assert_eq!(
            c("基本事業番号\n一の位"),
            Some(Field::PlanNumber(Level::BasicProject, Digit::Ones))
        );
        assert_eq!(c("基本事業ID"), None);
        assert_eq!(
            c("⑦ 人件費（延べ業務時間）の削減余地"),
            Some(Field::AspectRating(7))
        );
        assert_eq!(
            c("４　課長等意見\n(1) 今後の方向性"),
            Some(Field::Text(TextField::ManagerDirection))
        );
        assert_eq!(
            c("(1) 改革改善の方向性"),
            Some(Field::Text(TextField::Direction))
        );
        assert_eq!(
            c("② 対象（誰、何を対象にしているのか）＊人や自然資源等"),
            Some(Field::Text(TextField::Target))
        );
        for personal in ["課長名", "係名", "担当者", "電話", "内線"] {
            assert_eq!(c(personal), Some(Field::Personal), "{personal}");
        }
    }

    fn source() -> Source {
        Source {
            file: "l.xlsx".into(),
            sha256: "0".repeat(64),
            format: Format::Xlsx,
            encoding: None,
            worksheet: Some("一覧".into()),
            ordinal: 0,
            rows: [0, 0],
            pages: None,
        }
    }

    fn grid(rows: &[Vec<Cell>]) -> Grid {
        Grid {
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, c)| Row::new(i as u32 + 1, c.clone()))
                .collect(),
        }
    }

    fn t(s: &str) -> Cell {
        Cell::text(s)
    }

    #[test]
    fn a_list_with_a_year_row_reads_its_years_and_values() {
        let rows = vec![
            vec![Cell::Empty; 4]
                .into_iter()
                .chain([
                    t("令和5年度(2023年度)"),
                    Cell::Empty,
                    t("令和6年度(2024年度)"),
                ])
                .collect(),
            [
                "評価年度",
                "事業コード",
                "事業名",
                "担当課",
                "事業費(A)",
                "活動指標1",
                "事業費(A)",
                "活動指標1",
                "活動指標1名称",
            ]
            .iter()
            .map(|s| t(s))
            .collect(),
            vec![
                t("令和6年度"),
                t("007"),
                t("事業"),
                t("総務課"),
                t("1,200"),
                t("0"),
                Cell::Number(0.0),
                t("29(4)"),
                Cell::Number(0.0),
            ],
            vec![],
            vec![
                t("2024"),
                t("008"),
                t("次の事業"),
                t("総務課"),
                t("-"),
                Cell::Empty,
                Cell::Number(5.0),
                t("－"),
            ],
        ];
        let Outcome::List(list) = read(&grid(&rows), &source(), &Template::builtin()) else {
            panic!("no list");
        };
        assert!(list.warnings.is_empty(), "{:?}", list.warnings);
        let [a, b] = &list.projects[..] else { panic!() };
        assert_eq!(a.fiscal_year, Some(2024));
        assert_eq!(a.section.as_deref(), Some("総務課"));
        assert_eq!(a.department, None);
        let costs: Vec<_> = a
            .costs
            .iter()
            .map(|c| (c.fiscal_year, c.project_total.map(|n| n.get())))
            .collect();
        assert_eq!(costs, [(Some(2023), Some(1200.0)), (Some(2024), Some(0.0))]);
        // A bare 0 in the name column is no name: the slot holds 0 and
        // `29(4)`, a real value, so it is kept, with warnings.
        let ind = &a.indicators[0];
        assert_eq!(ind.name, None);
        assert_eq!(ind.values[0].value.map(|n| n.get()), Some(0.0));
        assert_eq!(ind.values[1].raw.as_deref(), Some("29(4)"));
        assert_eq!(ind.values[1].value, None);
        let codes: Vec<_> = a.warnings.iter().map(|w| w.code).collect();
        assert_eq!(
            codes,
            [
                WarningCode::IndicatorWithoutName,
                WarningCode::ValueNotANumber
            ]
        );
        assert_eq!(b.source.rows, [5, 5]);
        assert_eq!(b.costs[0].project_total, None);
        // Only a dash and an empty cell, and no name: no indicator... but 5
        // is a value.
        assert_eq!(b.indicators.len(), 0);
    }

    proptest::proptest! {
        /// Whatever a worksheet holds, reading it as a list never panics,
        /// and every project it gives has its row's number.
        #[test]
        fn any_grid_reads_without_panicking(
            rows in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        "事務事業名", "部課名", "事業コード", "年度", "⑤活動指標\nア", "⑤活動指標\nア:名称",
                        "国庫支出金", "事業費(A)", "令和5年度", "① 政策体系との整合性", "政策番号\n十の位",
                        "政策番号\n一の位", "0", "-", "29(4)", "1,234", "", "(", ")", "R", "7", "担当者",
                        "市民生活部市民環境課", "教育委員会", "トータルコスト",
                    ]),
                    0..12,
                ),
                0..8,
            ),
        ) {
            let rows: Vec<Vec<Cell>> = rows
                .iter()
                .map(|r| r.iter().map(|s| Cell::text(s)).collect())
                .collect();
            let g = grid(&rows);
            if let Outcome::List(list) = read(&g, &source(), &Template::builtin()) {
                for p in list.projects {
                    proptest::prop_assert!(g.rows.iter().any(|r| r.number == p.source.rows[0]));
                }
            }
        }
    }

    #[test]
    fn a_table_without_a_name_column_says_what_it_saw() {
        let rows = vec![
            ["事務事業ID", "部課名", "根拠法令", "事業費(A)"]
                .iter()
                .map(|s| t(s))
                .collect(),
            vec![t("1"), t("総務部総務課"), t("法"), t("3")],
        ];
        let Outcome::Unreadable(seen) = read(&grid(&rows), &source(), &Template::builtin()) else {
            panic!("read");
        };
        assert!(
            seen.starts_with("a list of 1 rows with 事務事業ID, 部課名"),
            "{seen}"
        );
        assert!(seen.contains("no project-name header"), "{seen}");
    }
}
