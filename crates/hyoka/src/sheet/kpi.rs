//! The KPIs: their header row (years, baseline, target), values and targets.

use super::*;

impl<'g> Parser<'g> {
    pub(super) fn kpis(&mut self, block: &[Row], last_header: &mut Option<KpiHeader>) -> Vec<Kpi> {
        let mut out = Vec::new();
        let mut current: Option<KpiDraft> = None;
        for row in block {
            let kpi = self.t.kpi();
            if let Some((col, _)) = row.find_by(|s| template::exact(&kpi.name, s)) {
                if let Some(done) = current.take() {
                    self.finish_kpi(done, &mut out);
                }
                current = Some(KpiDraft {
                    row: row.number,
                    name: row.next_filled(col).and_then(|(_, c)| text_of(c)),
                    ..KpiDraft::default()
                });
                continue;
            }
            if let Some((col, _)) = row.find_by(|s| template::exact(&kpi.description, s)) {
                let draft = KpiDraft::current(&mut current, row.number);
                draft.description = row.next_filled(col).and_then(|(_, c)| text_of(c));
                continue;
            }
            if let Some((col, _)) = row.find_by(|s| template::prefix(&kpi.baseline, s).is_some()) {
                let header = self.kpi_header(row, col);
                *last_header = Some(header.clone());
                KpiDraft::current(&mut current, row.number).header = Some(header);
                continue;
            }
            if let Some((col, label)) = row.find_by(|s| value_label(s, self.t).is_some()) {
                let unit = value_label(label, self.t).flatten();
                let draft = KpiDraft::current(&mut current, row.number);
                let header = match draft.header.clone() {
                    Some(h) => Some(h),
                    // A second KPI of a project repeats no year header:
                    // the template's normal form (SHEET-SPEC quirk 2).
                    None => last_header.clone(),
                };
                draft.kpi = Some(self.kpi_values(row, col, unit, header.as_ref()));
            }
        }
        if let Some(done) = current.take() {
            self.finish_kpi(done, &mut out);
        }
        out
    }

    pub(super) fn finish_kpi(&mut self, draft: KpiDraft, out: &mut Vec<Kpi>) {
        let name = draft.name.unwrap_or_default();
        let kpi = draft.kpi.unwrap_or_else(|| Kpi {
            id: String::new(),
            name: String::new(),
            description: None,
            unit: None,
            baseline: Baseline {
                fiscal_year: draft.header.as_ref().and_then(|h| h.baseline_year),
                value: None,
                raw: None,
            },
            actuals: draft
                .header
                .as_ref()
                .map(|h| {
                    h.years
                        .iter()
                        .map(|&(_, fiscal_year)| Actual {
                            fiscal_year,
                            value: None,
                            raw: None,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            target: Target {
                value: None,
                raw: None,
                basis: draft.header.as_ref().and_then(|h| h.basis),
                bound: None,
            },
            assessment: Default::default(),
        });
        let has_values = kpi.baseline.raw.is_some()
            || kpi.target.raw.is_some()
            || kpi.actuals.iter().any(|a| a.raw.is_some());
        if name.is_empty() && draft.description.is_none() && !has_values {
            return; // an empty template slot (quirk 1)
        }
        if name.is_empty() {
            self.warn_row(
                WarningCode::KpiWithoutName,
                draft.row,
                "a KPI has values but no name (成果指標 is empty); name is empty",
            );
        }
        out.push(Kpi {
            name,
            description: draft.description,
            ..kpi
        });
    }

    pub(super) fn kpi_header(&mut self, row: &Row, baseline_column: usize) -> KpiHeader {
        let baseline_text = row.cell(baseline_column).as_text();
        let baseline_year = era::find_year(&baseline_text).map(|(y, _)| {
            self.note_year(&y, row.number, baseline_column, &baseline_text);
            y.gregorian
        });
        let mut years = Vec::new();
        let mut target_column = None;
        let mut basis = None;
        for (col, cell) in row.filled().filter(|(c, _)| *c > baseline_column) {
            let text = cell.as_text();
            let kpi = self.t.kpi();
            if template::prefix(&kpi.target, &text).is_some() {
                target_column = Some(col);
                basis = if template::contains(&kpi.single_year, &text) {
                    Some(TargetBasis::SingleYear)
                } else if template::contains(&kpi.cumulative, &text) {
                    Some(TargetBasis::Cumulative)
                } else {
                    None
                };
                break;
            }
            let year = match cell {
                Cell::Number(n) if n.fract() == 0.0 => era::parse_year(&format_number(*n)),
                _ => era::parse_year(&text),
            };
            match (year, date_fiscal_year(cell)) {
                (Some(y), _) => {
                    self.note_year(&y, row.number, col, &text);
                    years.push((col, y.gregorian));
                }
                // A date (`2022-03-31`, `R4.3.31`, `2022年3月末`) stands for
                // the fiscal year it falls in.
                (None, Some(fiscal_year)) => years.push((col, fiscal_year)),
                (None, None) => self.warn_cell(
                    WarningCode::UnrecognizedRow,
                    row.number,
                    col,
                    format!("`{text}` in the KPI header is neither a year nor 目標値; the column is skipped"),
                ),
            }
        }
        KpiHeader {
            row: row.number,
            baseline_column,
            baseline_year,
            years,
            target_column,
            basis,
        }
    }

    pub(super) fn kpi_values(
        &mut self,
        row: &Row,
        label_column: usize,
        unit: Option<String>,
        header: Option<&KpiHeader>,
    ) -> Kpi {
        let Some(header) = header else {
            return self.kpi_without_header(row, label_column, unit);
        };
        let (baseline_cell, year_cells, target_cell) = self.value_cells(row, label_column, header);
        let (value, raw) = self.value(row, baseline_cell);
        let baseline = Baseline {
            fiscal_year: header
                .baseline_year
                .or_else(|| in_cell(baseline_cell).map(|v| v.fiscal_year)),
            value,
            raw,
        };
        // A value that carries its unit (`1,032万t-CO2 (R3年度)`) gives the
        // KPI's unit when the row label has none.
        let unit = unit.or_else(|| {
            std::iter::once(baseline_cell)
                .chain(year_cells.iter().copied())
                .chain(std::iter::once(target_cell))
                .find_map(|c| in_cell(c).and_then(|v| v.unit))
        });
        let unit = self.percent_unit(
            row,
            unit,
            std::iter::once(baseline_cell)
                .chain(year_cells.iter().copied())
                .chain(std::iter::once(target_cell)),
        );
        if let (Some(column_year), Some(stated)) = (header.baseline_year, in_cell(baseline_cell)) {
            self.warn_value_year(row, stated.fiscal_year, column_year, "baseline");
        }
        let mut actuals = Vec::with_capacity(header.years.len());
        for (&(_, fiscal_year), cell) in header.years.iter().zip(year_cells) {
            if let Some(stated) = in_cell(cell) {
                self.warn_value_year(row, stated.fiscal_year, fiscal_year, "actual");
            }
            let (value, raw) = self.value(row, cell);
            if raw.is_some()
                && value.is_some()
                && self.fiscal_year.is_some_and(|fy| fiscal_year > fy)
            {
                self.warn_row(
                    WarningCode::ActualAfterFiscalYear,
                    row.number,
                    format!(
                        "an actual value is given for fiscal {fiscal_year}, later than the sheet's \
                         fiscal year {}; check the column alignment",
                        self.fiscal_year.unwrap_or_default()
                    ),
                );
            }
            actuals.push(Actual {
                fiscal_year,
                value,
                raw,
            });
        }
        let (target, bound) = self.target(row, target_cell);
        Kpi {
            id: String::new(),
            name: String::new(),
            description: None,
            unit,
            baseline,
            actuals,
            target: Target {
                basis: header.basis,
                bound,
                ..target
            },
            assessment: Default::default(),
        }
    }

    /// A KPI value row with no year header before it: the first value is
    /// the baseline, the last the target, with a warning.
    fn kpi_without_header(&mut self, row: &Row, label_column: usize, unit: Option<String>) -> Kpi {
        if row_has_values(row, label_column) {
            self.warn_row(
                WarningCode::KpiHeaderMissing,
                row.number,
                "a KPI value row has no year header before it (a row starting with 現状値); \
                 the first value is read as the baseline, the last as the target, and no \
                 yearly actuals are recorded",
            );
        }
        let values: Vec<&Cell> = positional(row, label_column);
        let target_cell = if values.len() >= 2 {
            values.last().copied()
        } else {
            None
        };
        let (target, bound) = self.target(row, target_cell);
        let unit = self.percent_unit(row, unit, values.iter().map(|c| Some(*c)));
        Kpi {
            id: String::new(),
            name: String::new(),
            description: None,
            unit,
            baseline: {
                let first = values.first().copied();
                let (value, raw) = self.value(row, first);
                Baseline {
                    fiscal_year: in_cell(first).map(|v| v.fiscal_year),
                    value,
                    raw,
                }
            },
            actuals: Vec::new(),
            target: Target {
                basis: None,
                bound,
                ..target
            },
            assessment: Default::default(),
        }
    }

    /// A value row's cells by the slots of its header: the baseline, one
    /// per year, the target. Where the row does not line up with its
    /// header, the values are read from the left with a warning.
    fn value_cells<'r>(
        &mut self,
        row: &'r Row,
        label_column: usize,
        header: &KpiHeader,
    ) -> (Option<&'r Cell>, Vec<Option<&'r Cell>>, Option<&'r Cell>) {
        let slots: Vec<usize> = header.columns().collect();
        let stray = row
            .filled()
            .any(|(c, _)| c > label_column && !slots.contains(&c));
        let aligned = header.baseline_column > label_column && !stray;
        if !row_has_values(row, label_column) {
            (None, vec![None; header.years.len()], None)
        } else if aligned {
            (
                Some(row.cell(header.baseline_column)),
                header
                    .years
                    .iter()
                    .map(|(c, _)| Some(row.cell(*c)))
                    .collect(),
                header.target_column.map(|c| row.cell(c)),
            )
        } else {
            let values = positional(row, label_column);
            let mut year_cells: Vec<Option<&Cell>> = vec![None; header.years.len()];
            let (target_cell, middle) = match (header.target_column, values.len()) {
                (Some(_), n) if n >= 2 => (values.last().copied(), &values[1..n - 1]),
                (_, 0) => (None, &values[..0]),
                (_, _) => (None, &values[1..]),
            };
            for (slot, cell) in year_cells.iter_mut().zip(middle) {
                *slot = Some(*cell);
            }
            let lost = middle.len().saturating_sub(header.years.len());
            let mut message = format!(
                "the KPI value row has {} value cells for the {} slots of its header (row {}), \
                     which {}; read with the baseline first, the target as the right-most value \
                     and the years filled from the left",
                values.len(),
                header.slots(),
                header.row,
                if header.baseline_column <= label_column {
                    "starts left of the values"
                } else {
                    "does not line up with the values"
                },
            );
            if lost > 0 {
                message.push_str(&format!(
                    "; {lost} value(s) had no year column and were dropped"
                ));
            }
            self.warn_row(WarningCode::KpiRowRealigned, row.number, message);
            (values.first().copied(), year_cells, target_cell)
        }
    }

    /// The unit of a KPI whose value cells a workbook formats as
    /// percentages: they are read as shown (`30.5%` is 30.5), so the unit is
    /// `%`. A row label that gives none, or another, could mean the stored
    /// fraction: the choice is said, at the first such cell.
    pub(super) fn percent_unit<'c>(
        &mut self,
        row: &Row,
        unit: Option<String>,
        cells: impl Iterator<Item = Option<&'c Cell>>,
    ) -> Option<String> {
        let Some((column, shown)) = cells.flatten().find_map(|c| match c {
            Cell::Shown(s) if s.percent => row
                .cells
                .iter()
                .position(|x| std::ptr::eq(x, c))
                .map(|col| (col, s.shown.clone())),
            _ => None,
        }) else {
            return unit;
        };
        match unit.as_deref() {
            Some("%") => unit,
            None => {
                self.warn_cell(
                    WarningCode::PercentUnitFromFormat,
                    row.number,
                    column,
                    format!(
                        "the row label gives no unit and the workbook shows the values as \
                         percentages (`{shown}`): read as shown, with the unit `%`; check that \
                         the KPI is a percentage"
                    ),
                );
                Some("%".to_owned())
            }
            Some(other) => {
                self.warn_cell(
                    WarningCode::PercentUnitConflict,
                    row.number,
                    column,
                    format!(
                        "the row label gives the unit `{other}` but the workbook shows the values \
                         as percentages (`{shown}`): read as shown (a hundred times the stored \
                         value) and the unit `{other}` kept; check which the sheet means"
                    ),
                );
                unit
            }
        }
    }

    /// Warns when a value written with its own year (`24.7%(H29年度)`)
    /// stands in the column of another year: the column's year is kept,
    /// since the table's layout is what the sheet's reader sees.
    pub(super) fn warn_value_year(&mut self, row: &Row, stated: i32, column_year: i32, what: &str) {
        if stated != column_year {
            self.warn_row(
                WarningCode::ValueYearMismatch,
                row.number,
                format!(
                    "a {what} value gives its own fiscal year {stated} but stands in the column \
                     of fiscal {column_year}; it was read as fiscal {column_year}; check which \
                     year it belongs to"
                ),
            );
        }
    }

    /// A baseline or actual value: a number, or no value; text is kept raw
    /// with a warning.
    pub(super) fn value(
        &mut self,
        row: &Row,
        cell: Option<&Cell>,
    ) -> (Option<Number>, Option<String>) {
        let Some(cell) = cell else {
            return (None, None);
        };
        let column = row.cells.iter().position(|c| std::ptr::eq(c, cell));
        match cell {
            Cell::Empty => (None, None),
            Cell::Number(n) => (Number::new(*n), Some(format_number(*n))),
            Cell::Shown(shown) => (Number::new(shown.value), Some(shown.shown.clone())),
            Cell::Text(text) => match normalize::number(text) {
                ParsedNumber::Number { value, .. } => (Number::new(value), Some(text.clone())),
                ParsedNumber::NoValue => (None, Some(text.clone())),
                ParsedNumber::Text if value_with_year(text).is_some() => (
                    value_with_year(text).and_then(|v| Number::new(v.value)),
                    Some(text.clone()),
                ),
                ParsedNumber::Text => {
                    let message = format!(
                        "`{text}` is not a number; value is null and the text is kept in raw"
                    );
                    match column {
                        Some(c) => {
                            self.warn_cell(WarningCode::ValueNotANumber, row.number, c, message)
                        }
                        None => self.warn_row(WarningCode::ValueNotANumber, row.number, message),
                    }
                    (None, Some(text.clone()))
                }
            },
            Cell::Error(e) => {
                let message = format!("the cell holds the error value `{e}`; value is null");
                match column {
                    Some(c) => self.warn_cell(WarningCode::CellError, row.number, c, message),
                    None => self.warn_row(WarningCode::CellError, row.number, message),
                }
                (None, Some(e.clone()))
            }
            Cell::Bool(_) | Cell::DateTime(_) => {
                let text = cell.as_text().into_owned();
                let message = format!(
                    "the cell holds `{text}`, a date or boolean, where a number was expected; value is null"
                );
                match column {
                    Some(c) => {
                        self.warn_cell(WarningCode::CellTypeUnexpected, row.number, c, message)
                    }
                    None => self.warn_row(WarningCode::CellTypeUnexpected, row.number, message),
                }
                (None, Some(text))
            }
        }
    }

    pub(super) fn target(
        &mut self,
        row: &Row,
        cell: Option<&Cell>,
    ) -> (Target, Option<TargetBound>) {
        let empty = Target {
            value: None,
            raw: None,
            basis: None,
            bound: None,
        };
        let Some(cell) = cell else {
            return (empty, None);
        };
        match cell {
            Cell::Empty => (empty, None),
            Cell::Text(text) => {
                let value = match normalize::number(text) {
                    ParsedNumber::Number { value, .. } => Number::new(value),
                    _ => value_with_year(text).and_then(|v| Number::new(v.value)),
                };
                let bound = if value.is_none() {
                    target_bound(text)
                } else {
                    None
                };
                (
                    Target {
                        value,
                        raw: Some(text.clone()),
                        ..empty
                    },
                    bound,
                )
            }
            other => {
                let (value, raw) = self.value(row, Some(other));
                (
                    Target {
                        value,
                        raw,
                        ..empty
                    },
                    None,
                )
            }
        }
    }
}

/// A KPI year header: where the baseline, the years and the target sit.
#[derive(Debug, Clone)]
pub(super) struct KpiHeader {
    pub(super) row: u32,
    pub(super) baseline_column: usize,
    pub(super) baseline_year: Option<i32>,
    pub(super) years: Vec<(usize, i32)>,
    pub(super) target_column: Option<usize>,
    pub(super) basis: Option<TargetBasis>,
}

impl KpiHeader {
    fn slots(&self) -> usize {
        1 + self.years.len() + usize::from(self.target_column.is_some())
    }

    fn columns(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.baseline_column)
            .chain(self.years.iter().map(|(c, _)| *c))
            .chain(self.target_column)
    }
}

#[derive(Default)]
pub(super) struct KpiDraft {
    pub(super) row: u32,
    pub(super) name: Option<String>,
    pub(super) description: Option<String>,
    pub(super) header: Option<KpiHeader>,
    pub(super) kpi: Option<Kpi>,
}

impl KpiDraft {
    /// The KPI being read, or a new one starting at `row` when a KPI row
    /// comes without its 成果指標 row.
    fn current(current: &mut Option<KpiDraft>, row: u32) -> &mut KpiDraft {
        current.get_or_insert_with(|| KpiDraft {
            row,
            ..KpiDraft::default()
        })
    }
}

/// A value-row label (`実績`, `実績(件)`, `実績値()`): `Some(unit)`, the
/// unit `None` when the brackets are empty or missing.
pub(super) fn value_label(text: &str, t: &Template) -> Option<Option<String>> {
    let rest = t
        .kpi()
        .values
        .iter()
        .find_map(|l| text.strip_prefix(l.as_str()))?;
    if rest.is_empty() {
        return Some(None);
    }
    let unit = rest.strip_prefix('(')?.strip_suffix(')')?.trim();
    Some((!unit.is_empty()).then(|| unit.to_owned()))
}

/// A value written with its year in the cell: `24.7%(H29年度)`,
/// `1,032万t-CO2 (R3年度)`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct InCell {
    pub(super) value: f64,
    pub(super) unit: Option<String>,
    pub(super) fiscal_year: i32,
}

/// Reads a value cell that carries its own year in trailing brackets; the
/// rest is a number and, optionally, a unit. Only with the year present is
/// a trailing unit split off, so target texts such as `50%台後半` stay text.
pub(super) fn value_with_year(text: &str) -> Option<InCell> {
    let text = text.trim();
    let open = text.strip_suffix(')')?.rfind('(')?;
    let (year, _) = era::find_year(&text[open + 1..text.len() - 1])?;
    let rest = text[..open].trim();
    if let ParsedNumber::Number { value, percent } = normalize::number(rest) {
        return Some(InCell {
            value,
            unit: percent.then(|| "%".to_owned()),
            fiscal_year: year.gregorian,
        });
    }
    static LEADING: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^[△▲-]?[0-9][0-9,]*(?:\.[0-9]+)?").expect("valid regex")
    });
    let number = LEADING.find(rest)?;
    let ParsedNumber::Number { value, .. } = normalize::number(number.as_str()) else {
        return None;
    };
    let unit = rest[number.end()..].trim();
    Some(InCell {
        value,
        unit: (!unit.is_empty()).then(|| unit.to_owned()),
        fiscal_year: year.gregorian,
    })
}

pub(super) fn in_cell(cell: Option<&Cell>) -> Option<InCell> {
    cell.and_then(Cell::as_str).and_then(value_with_year)
}

/// The fiscal year a date in a KPI year header stands for: a workbook date
/// (`2022-03-31`) or a written one (`R4.3.31`, `2022/3/31`, `令和4年3月末`).
pub(super) fn date_fiscal_year(cell: &Cell) -> Option<i32> {
    static WRITTEN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^(.+?)(?:年|[./-])([0-9]{1,2})(?:月|[./-])?(?:[0-9]{1,2}日?)?\s*(?:末|現在|時点)?$",
        )
        .expect("valid regex")
    });
    let (year, month) = match cell {
        Cell::DateTime(iso) => {
            let year: i32 = iso.get(..4)?.parse().ok()?;
            let month: u32 = iso.get(5..7)?.parse().ok()?;
            (year, month)
        }
        Cell::Text(text) => {
            let caps = WRITTEN.captures(text)?;
            let year = era::parse_year(caps.get(1)?.as_str())?.gregorian;
            (year, caps.get(2)?.as_str().parse().ok()?)
        }
        _ => return None,
    };
    (1..=12)
        .contains(&month)
        .then(|| era::fiscal_year_of(year, month))
}

/// Reads a one-sided bound from a target text such as `20%以下` or
/// `概ね9%を超えないこと`; `50%台後半` has none.
pub(super) fn target_bound(text: &str) -> Option<TargetBound> {
    static NUMBER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"[△▲-]?[0-9][0-9,]*(?:\.[0-9]+)?").expect("valid regex")
    });
    let m = NUMBER.find(text)?;
    let value = match normalize::number(m.as_str()) {
        ParsedNumber::Number { value, .. } => Number::new(value)?,
        _ => return None,
    };
    let after = &text[m.end()..];
    let after = after.trim_start_matches(|c: char| !matches!(c, '以' | '未' | '超' | 'を' | '台'));
    let comparison =
        if after.starts_with("以下") || after.contains("超えない") || after.contains("超えな")
        {
            Comparison::AtMost
        } else if after.starts_with("未満") {
            Comparison::LessThan
        } else if after.starts_with("以上") {
            Comparison::AtLeast
        } else if after.starts_with("超") || after.starts_with("を超える") {
            Comparison::MoreThan
        } else {
            return None;
        };
    let approximate = ["概ね", "おおむね", "程度", "約"]
        .iter()
        .any(|h| text.contains(h));
    Some(TargetBound {
        comparison,
        value,
        approximate,
    })
}
