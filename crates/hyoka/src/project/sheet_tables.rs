//! The yearly tables of a per-project sheet: the indicators and the costs,
//! each under a header row of fiscal years.
//!
//! A table is found by its header row (two or more fiscal years, rising,
//! in any form `era` reads: `令和2年度`, `2020(R2)年度`, `R2`, `2020`), not by
//! its place on the page, so the tables may come in any order, be split
//! across pages (a repeated header row continues them) or hold indicators
//! and costs together. Each row under the header is read by its labels: a
//! cost label makes a cost row, a kind label (`活動指標`, carried down a
//! merged cell) or a slot (`ア`) an indicator row.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::era;
use crate::grid::{Cell, Grid, Row};
use crate::model::Number;
use crate::project::list::{self, CostField, Field, Header, Value};
use crate::project::model::{CostYear, Indicator, IndicatorKind, YearValue};
use crate::template::ProjectLabels;
use crate::warning::{Warning, WarningCode};
use crate::workbook::column_name;

/// The longest remainder of a year header cell once the year is taken out
/// (`実績`, `(見込)`, `決算`), in characters.
const MAX_YEAR_REMAINDER: usize = 8;

/// What the yearly tables of one project gave.
#[derive(Debug, Default)]
pub(super) struct Tables {
    pub indicators: Vec<Indicator>,
    pub costs: Vec<CostYear>,
    /// The indices of the grid rows the tables took (headers and bodies).
    pub rows: std::collections::BTreeSet<usize>,
    pub warnings: Vec<Warning>,
}

/// The fiscal years of a table's header row, with their columns, if the
/// row is one: two or more years, rising, and no label of another field.
pub(super) fn year_header(row: &Row, headers: &[Header]) -> Option<Vec<(usize, i32)>> {
    if headers.iter().any(|h| !is_table_field(h.field)) {
        return None;
    }
    let mut years = Vec::new();
    let mut numbers = false;
    for (column, cell) in row.filled() {
        if headers.iter().any(|h| h.column == column) {
            continue;
        }
        let year = match cell {
            Cell::Text(t) if t.len() <= 80 => year_cell(t),
            Cell::Number(n) if n.fract() == 0.0 && (1900.0..=2100.0).contains(n) => {
                numbers = true;
                Some(*n as i32)
            }
            _ => None,
        };
        if let Some(y) = year {
            years.push((column, y));
        }
    }
    let rising = years.windows(2).all(|w| w[0].1 < w[1].1);
    // Plain numbers are years only as a run (2020 2021 2022), not as values.
    let run = !numbers || years.windows(2).all(|w| w[1].1 == w[0].1 + 1);
    (years.len() >= 2 && rising && run).then_some(years)
}

/// The year a header cell names: the year, and at most a short word.
fn year_cell(text: &str) -> Option<i32> {
    let (year, range) = era::find_year(text)?;
    let rest: String = format!("{}{}", &text[..range.start], &text[range.end..])
        .chars()
        .filter(|c| !c.is_whitespace() && !"()（）年度".contains(*c))
        .collect();
    (rest.chars().count() <= MAX_YEAR_REMAINDER).then_some(year.gregorian)
}

fn is_table_field(field: Field) -> bool {
    matches!(
        field,
        Field::Cost(_)
            | Field::IndicatorBare(..)
            | Field::IndicatorName(..)
            | Field::IndicatorUnit(..)
    )
}

/// The kind of an indicator label, and its slot when the label names one
/// (`活動指標ア`, `成果指標2`).
fn kind_label(key: &str, l: &ProjectLabels) -> Option<(IndicatorKind, Option<usize>)> {
    let (kind, rest) = list::kind_prefixes(key, l).next()?;
    Some((kind, slot_of(rest, Some(kind)).map(|(_, s)| s)))
}

/// A slot written alone: a letter (ア … ス, which also gives the kind) or,
/// for a known kind, 1..3 or ①..③.
fn slot_of(text: &str, kind: Option<IndicatorKind>) -> Option<(IndicatorKind, usize)> {
    let text = text.trim_matches(|c: char| c.is_whitespace() || "()・.:".contains(c));
    for k in IndicatorKind::ALL {
        if let Some(i) = k.slots().iter().position(|s| *s == text) {
            return Some((k, i));
        }
    }
    let kind = kind?;
    let mut chars = text.chars();
    let (c, rest) = (chars.next()?, chars.as_str());
    if !rest.is_empty() {
        return None;
    }
    match c {
        '1'..='3' => Some((kind, c as usize - '1' as usize)),
        '①'..='③' => Some((kind, c as usize - '①' as usize)),
        _ => None,
    }
}

/// The columns of a table's header row left of its years.
#[derive(Debug, Default, Clone, Copy)]
struct LeftColumns {
    name: Option<usize>,
    unit: Option<usize>,
    slot: Option<usize>,
}

fn left_columns(row: &Row, first_year: usize, l: &ProjectLabels) -> LeftColumns {
    let mut out = LeftColumns::default();
    for (column, cell) in row.filled().filter(|(c, _)| *c < first_year) {
        let Some(text) = cell.as_str() else { continue };
        let key = list::header_key(text);
        let is = |labels: &[String]| labels.iter().any(|x| list::glob(x, &key));
        if is(&l.indicator_name) {
            out.name.get_or_insert(column);
        } else if is(&l.indicator_unit) {
            out.unit.get_or_insert(column);
        } else if is(&l.indicator_slot) {
            out.slot.get_or_insert(column);
        }
    }
    out
}

/// An indicator while its rows are read: values by year.
struct Slot {
    name: Option<String>,
    unit: Option<String>,
    values: BTreeMap<i32, (Option<Number>, Option<String>)>,
    row: u32,
    column: usize,
    own: Vec<Warning>,
}

/// Reads every yearly table in rows `range` of the grid; `headers` holds
/// each row's classified labels.
pub(super) fn read(
    grid: &Grid,
    range: Range<usize>,
    headers: &[Vec<Header>],
    l: &ProjectLabels,
) -> Tables {
    let mut out = Tables::default();
    let mut slots: BTreeMap<(IndicatorKind, usize), Slot> = BTreeMap::new();
    let mut costs: BTreeMap<i32, CostYear> = BTreeMap::new();
    let mut index = range.start;
    while index < range.end {
        let Some(years) = year_header(&grid.rows[index], &headers[index]) else {
            index += 1;
            continue;
        };
        out.rows.insert(index);
        let header_number = grid.rows[index].number;
        let first_year = years[0].0;
        let left = left_columns(&grid.rows[index], first_year, l);
        let mut carried: Option<IndicatorKind> = None;
        let mut next_slot: BTreeMap<IndicatorKind, usize> = BTreeMap::new();
        let mut has_costs = false;
        index += 1;
        while index < range.end {
            let row = &grid.rows[index];
            let row_headers = &headers[index];
            if row.is_blank()
                || year_header(row, row_headers).is_some()
                || row_headers.iter().any(|h| !is_table_field(h.field))
            {
                break;
            }
            // The years stand in column order.
            let in_years = |c: usize| years.binary_search_by_key(&c, |(yc, _)| *yc).is_ok();
            // Text under the years (`評価の理由・説明`) is the next block's
            // header, not values.
            let has_values = row
                .filled()
                .any(|(c, cell)| in_years(c) && !matches!(list::value(cell), Value::NotANumber(_)));
            let cost = row_headers
                .iter()
                .filter(|h| h.column < first_year)
                .filter_map(|h| match h.field {
                    Field::Cost(f) => Some(f),
                    _ => None,
                })
                .next_back();
            if let Some(field) = cost {
                out.rows.insert(index);
                carried = None;
                has_costs = true;
                cost_row(row, &years, field, &mut costs, &mut out.warnings);
                index += 1;
                continue;
            }
            // An indicator row: its kind from a label or from above, its
            // slot from a slot cell, the label, or the order of rows.
            let (kind, slot, used) = row_kind(row, first_year, &left, carried, l);
            let Some(kind) = kind.or(carried) else {
                if has_values {
                    out.rows.insert(index);
                    out.warnings.push(Warning::at_row(
                        WarningCode::UnrecognizedRow,
                        row.number,
                        format!(
                            "row {} of the yearly table under row {} holds values but neither a \
                             cost label nor an indicator kind or slot; it is not read",
                            row.number, header_number
                        ),
                    ));
                    index += 1;
                    continue;
                }
                break;
            };
            carried = Some(kind);
            out.rows.insert(index);
            let text_at = |c: Option<usize>| c.and_then(|c| list::text(row.cell(c)));
            let name_column = left
                .name
                .or_else(|| {
                    row.filled()
                        .filter(|(c, cell)| {
                            *c < first_year
                                && !used.contains(c)
                                && Some(*c) != left.unit
                                && cell.as_str().is_some()
                        })
                        .map(|(c, _)| c)
                        .last()
                })
                .filter(|c| !used.contains(c));
            if slot.is_none() && !has_values && text_at(name_column).is_none() {
                // A kind's heading row (`成果指標` over its indicators).
                index += 1;
                continue;
            }
            let slot = match slot {
                Some(s) => s,
                None => *next_slot.get(&kind).unwrap_or(&0),
            };
            next_slot.insert(kind, slot + 1);
            if slot >= 3 {
                out.warnings.push(Warning::at_row(
                    WarningCode::UnrecognizedRow,
                    row.number,
                    format!(
                        "row {} would be a fourth {} indicator; the form has three slots, so it \
                         is not read",
                        row.number,
                        kind.as_str()
                    ),
                ));
                index += 1;
                continue;
            }
            let entry = slots.entry((kind, slot)).or_insert_with(|| Slot {
                name: None,
                unit: None,
                values: BTreeMap::new(),
                row: row.number,
                column: name_column.unwrap_or(first_year.saturating_sub(1)),
                own: Vec::new(),
            });
            if entry.name.is_none() {
                entry.name = text_at(name_column);
            }
            if entry.unit.is_none() {
                entry.unit = text_at(left.unit);
            }
            for &(column, year) in &years {
                let v = number(row, column, &mut entry.own);
                entry.values.entry(year).or_insert(v);
            }
            index += 1;
        }
        if has_costs {
            for &(_, year) in &years {
                costs.entry(year).or_insert_with(|| empty_cost(year));
            }
        }
    }
    named_indicators(slots, &mut out);
    out.costs = costs.into_values().collect();
    out
}

/// An indicator row's kind (from a kind label, or `carried` from the rows
/// above) and slot (from a slot cell or the label), and the columns that
/// said so.
fn row_kind(
    row: &Row,
    first_year: usize,
    left: &LeftColumns,
    carried: Option<IndicatorKind>,
    l: &ProjectLabels,
) -> (Option<IndicatorKind>, Option<usize>, Vec<usize>) {
    let mut kind = None;
    let mut slot = None;
    let mut used = Vec::new();
    for (column, cell) in row.filled().filter(|(c, _)| *c < first_year) {
        let text = cell.as_text();
        let key = list::header_key(&text);
        if let Some((k, s)) = kind_label(&key, l).filter(|_| cell.as_str().is_some()) {
            kind = Some(k);
            slot = slot.or(s);
            used.push(column);
        } else if (left.slot.is_none() || left.slot == Some(column))
            && let Some((k, s)) = slot_of(&text, kind.or(carried))
        {
            kind = kind.or(Some(k));
            slot = Some(s);
            used.push(column);
        }
    }
    (kind, slot, used)
}

/// The indicators of the slots read, in kind and slot order: a slot with
/// neither a name nor a value other than 0 is left out, one with values
/// but no name is kept with a warning.
fn named_indicators(slots: BTreeMap<(IndicatorKind, usize), Slot>, out: &mut Tables) {
    for ((kind, slot), s) in slots {
        let real = s
            .values
            .values()
            .any(|(v, _)| v.is_some_and(|v| v.get() != 0.0))
            || !s.own.is_empty();
        if s.name.is_none() && !real {
            continue;
        }
        let letter = kind.slots()[slot];
        if s.name.is_none() {
            out.warnings.push(Warning::at_cell(
                WarningCode::IndicatorWithoutName,
                s.row,
                s.column as u32 + 1,
                format!(
                    "the {} indicator slot {letter} has values but no name; it is kept without one",
                    kind.as_str()
                ),
            ));
        }
        out.warnings.extend(s.own);
        out.indicators.push(Indicator {
            id: String::new(),
            kind,
            slot: letter.to_owned(),
            name: s.name,
            unit: s.unit,
            values: s
                .values
                .into_iter()
                .map(|(year, (value, raw))| YearValue {
                    fiscal_year: Some(year),
                    value,
                    raw,
                })
                .collect(),
        });
    }
}

/// A cost row's values into each year's costs; the first value a year's
/// field gets is kept.
fn cost_row(
    row: &Row,
    years: &[(usize, i32)],
    field: CostField,
    costs: &mut BTreeMap<i32, CostYear>,
    warnings: &mut Vec<Warning>,
) {
    for &(column, year) in years {
        let (value, _) = number(row, column, warnings);
        let entry = costs.entry(year).or_insert_with(|| empty_cost(year));
        let slot = cost_field(entry, field);
        if slot.is_none() {
            *slot = value;
        }
    }
}

fn empty_cost(year: i32) -> CostYear {
    CostYear {
        fiscal_year: Some(year),
        national: None,
        prefectural: None,
        bonds: None,
        other: None,
        general: None,
        project_total: None,
        staff: None,
        hours: None,
        personnel_cost: None,
        total: None,
    }
}

fn cost_field(c: &mut CostYear, field: CostField) -> &mut Option<Number> {
    match field {
        CostField::National => &mut c.national,
        CostField::Prefectural => &mut c.prefectural,
        CostField::Bonds => &mut c.bonds,
        CostField::Other => &mut c.other,
        CostField::General => &mut c.general,
        CostField::ProjectTotal => &mut c.project_total,
        CostField::Staff => &mut c.staff,
        CostField::Hours => &mut c.hours,
        CostField::PersonnelCost => &mut c.personnel_cost,
        CostField::Total => &mut c.total,
    }
}

/// A value cell: the number and the text as written, with a warning for
/// text that is not a number.
fn number(
    row: &Row,
    column: usize,
    warnings: &mut Vec<Warning>,
) -> (Option<Number>, Option<String>) {
    match list::value(row.cell(column)) {
        Value::Number(n, raw) => (Some(n), Some(raw)),
        Value::Empty(raw) => (None, raw),
        Value::NotANumber(raw) => {
            warnings.push(Warning::at_cell(
                WarningCode::ValueNotANumber,
                row.number,
                column as u32 + 1,
                format!(
                    "{}{} holds `{raw}`, which is not a number: the value is null and the text is \
                     kept as raw",
                    column_name(column as u32),
                    row.number
                ),
            ));
            (None, Some(raw))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Template;

    fn t(s: &str) -> Cell {
        Cell::text(s)
    }

    fn grid(rows: Vec<Vec<Cell>>) -> Grid {
        Grid {
            rows: rows
                .into_iter()
                .enumerate()
                .map(|(i, cells)| Row::new(i as u32 + 1, cells))
                .collect(),
        }
    }

    fn tables(g: &Grid) -> Tables {
        let template = Template::default();
        let l = template.project();
        let headers: Vec<Vec<Header>> = g.rows.iter().map(|r| list::classify_row(r, l)).collect();
        read(g, 0..g.rows.len(), &headers, l)
    }

    #[test]
    fn years_come_from_the_header_in_any_form() {
        for forms in [
            ["令和5年度", "令和6年度", "令和7年度"],
            ["2023(R5)年度", "2024(R6)年度", "2025(R7)年度"],
            ["R5", "R6", "R7"],
            ["2023", "2024", "2025"],
            ["R5実績", "R6実績", "R7見込"],
        ] {
            let mut header = vec![t("区分"), t("記号"), t("指標名"), t("単位")];
            header.extend(forms.iter().map(|f| t(f)));
            let g = grid(vec![
                header,
                vec![
                    t("活動指標"),
                    t("ア"),
                    t("講座の回数"),
                    t("回"),
                    Cell::Number(1.0),
                    t("2"),
                    t("-"),
                ],
            ]);
            let got = tables(&g);
            let values: Vec<_> = got.indicators[0]
                .values
                .iter()
                .map(|v| (v.fiscal_year, v.value.map(|n| n.get()), v.raw.clone()))
                .collect();
            assert_eq!(
                values,
                [
                    (Some(2023), Some(1.0), Some("1".into())),
                    (Some(2024), Some(2.0), Some("2".into())),
                    (Some(2025), None, Some("-".into())),
                ],
                "{forms:?}"
            );
        }
    }

    #[test]
    fn a_row_of_plain_numbers_is_not_a_year_header() {
        let row = Row::new(
            1,
            vec![
                t("延べ業務時間"),
                Cell::Number(1990.0),
                Cell::Number(2010.0),
            ],
        );
        assert_eq!(year_header(&row, &[]), None);
        let row = Row::new(1, vec![Cell::Number(2024.0), Cell::Number(2025.0)]);
        assert_eq!(year_header(&row, &[]), Some(vec![(0, 2024), (1, 2025)]));
    }

    #[test]
    fn kinds_carry_down_and_slots_follow_the_rows() {
        let e = || Cell::Empty;
        let g = grid(vec![
            vec![t("区分"), t("指標名"), t("単位"), t("R6"), t("R7")],
            vec![t("活動指標"), t("講座の回数"), t("回"), t("1"), t("2")],
            vec![t("成果指標")],
            vec![e(), t("参加者数"), t("人"), t("10"), t("12")],
            vec![e(), t("満足度"), t("%"), t("29(4)"), t("80")],
            vec![
                t("事業費計(A)"),
                e(),
                t("千円"),
                t("3,089"),
                Cell::Number(0.0),
            ],
        ]);
        let got = tables(&g);
        let slots: Vec<_> = got
            .indicators
            .iter()
            .map(|i| (i.kind, i.slot.as_str(), i.name.as_deref()))
            .collect();
        assert_eq!(
            slots,
            [
                (IndicatorKind::Activity, "ア", Some("講座の回数")),
                (IndicatorKind::Outcome, "サ", Some("参加者数")),
                (IndicatorKind::Outcome, "シ", Some("満足度")),
            ]
        );
        let totals: Vec<_> = got
            .costs
            .iter()
            .map(|c| (c.fiscal_year, c.project_total.map(|n| n.get())))
            .collect();
        assert_eq!(
            totals,
            [(Some(2024), Some(3089.0)), (Some(2025), Some(0.0))]
        );
        assert_eq!(got.warnings.len(), 1);
        assert_eq!(got.warnings[0].code, WarningCode::ValueNotANumber);
        assert_eq!(
            (got.warnings[0].row, got.warnings[0].column),
            (Some(5), Some(4))
        );
    }
}
