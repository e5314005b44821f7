//! Rules and positions: rules closer than [`SNAP`] are one, column boundaries clustered from all pages, and the cells (regions) a page is cut into.

use crate::pdf::content::{Rule, TextChar};

/// Rules closer than this are one rule (points).
pub(super) const SNAP: f64 = 1.0;

/// Lines of one axis, grouped by position, each with its covered spans.
#[derive(Debug, Clone)]
pub(super) struct Lines {
    pub(super) lines: Vec<(f64, Vec<(f64, f64)>)>,
}

impl Lines {
    pub(super) fn new(rules: &[Rule]) -> Lines {
        let mut rules: Vec<Rule> = rules.to_vec();
        rules.sort_by(|a, b| a.at.total_cmp(&b.at));
        let mut lines: Vec<(f64, Vec<(f64, f64)>)> = Vec::new();
        let mut group: Vec<Rule> = Vec::new();
        let flush = |group: &mut Vec<Rule>, lines: &mut Vec<(f64, Vec<(f64, f64)>)>| {
            if group.is_empty() {
                return;
            }
            let at = group.iter().map(|r| r.at).sum::<f64>() / group.len() as f64;
            let mut spans: Vec<(f64, f64)> = group.iter().map(|r| (r.from, r.to)).collect();
            spans.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut merged: Vec<(f64, f64)> = Vec::new();
            for (from, to) in spans {
                match merged.last_mut() {
                    Some(last) if from <= last.1 + SNAP => last.1 = last.1.max(to),
                    _ => merged.push((from, to)),
                }
            }
            lines.push((at, merged));
            group.clear();
        };
        for r in rules {
            if group.first().is_some_and(|g| r.at - g.at > SNAP) {
                flush(&mut group, &mut lines);
            }
            group.push(r);
        }
        flush(&mut group, &mut lines);
        Lines { lines }
    }

    pub(super) fn positions(&self) -> Vec<f64> {
        self.lines.iter().map(|l| l.0).collect()
    }

    /// Whether a line near `at` covers the point `along`.
    pub(super) fn covers(&self, at: f64, along: f64) -> bool {
        let reach = SNAP * 1.5;
        let first = self.lines.partition_point(|l| l.0 < at - reach);
        self.lines[first..]
            .iter()
            .take_while(|l| l.0 <= at + reach)
            .any(|(_, spans)| span_covers(spans, along, SNAP))
    }

    /// The lines covering the point `along`.
    pub(super) fn covering(&self, along: f64) -> impl Iterator<Item = f64> + '_ {
        self.lines
            .iter()
            .filter(move |(_, spans)| span_covers(spans, along, 0.0))
            .map(|l| l.0)
    }
}

/// Whether sorted, disjoint spans cover `x` (give or take `slack`).
pub(super) fn span_covers(spans: &[(f64, f64)], x: f64, slack: f64) -> bool {
    let i = spans.partition_point(|s| s.1 + slack < x);
    spans.get(i).is_some_and(|s| s.0 - slack <= x)
}

/// Clusters sorted numbers: values within `tolerance` of a cluster's
/// first value join it; the cluster is its mean.
pub(super) fn cluster(mut values: Vec<f64>, tolerance: f64) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    let mut out: Vec<(f64, f64, usize)> = Vec::new();
    for v in values {
        match out.last_mut() {
            Some((first, sum, n)) if v - *first <= tolerance => {
                *sum += v;
                *n += 1;
            }
            _ => out.push((v, v, 1)),
        }
    }
    out.into_iter().map(|(_, sum, n)| sum / n as f64).collect()
}

/// A cell's text in the making: the characters of each page piece, and
/// the cell's left and right edges for telling wrapped lines from breaks.
#[derive(Debug, Clone, Default)]
pub(super) struct Region {
    pub(super) pieces: Vec<Vec<TextChar>>,
    pub(super) left: f64,
    pub(super) right: f64,
    /// The column boundary the cell ends at, for ruled cells.
    pub(super) right_column: Option<usize>,
}

/// The index of the column boundary nearest `x`.
pub(super) fn nearest(columns: &[f64], x: f64) -> usize {
    let i = columns.partition_point(|&c| c < x);
    match (i.checked_sub(1), columns.get(i)) {
        (Some(a), Some(&b)) if x - columns[a] < b - x => a,
        (Some(a), None) => a,
        _ => i,
    }
}

/// Where the keys of columns of text without rules start among the column
/// boundaries of [`Region::right_column`].
pub(super) const FREE_COLUMN: usize = 1 << 24;
