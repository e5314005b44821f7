//! The lattice: characters and ruling lines back to rows and cells.
//!
//! Columns come from the vertical rules of every page together, so a table
//! broken across pages keeps its columns; rows from the horizontal rules
//! of each page. A cell whose boundary rule is missing is merged with its
//! neighbour, and its text goes to the merged range's top-left cell as a
//! workbook keeps it. Each character goes to the cell holding its centre,
//! so a run of text crossed by a rule becomes two cells. Text outside any
//! ruled area (the heading, the department, the directions) is read as
//! lines, its runs placed in the column where they start. A merged cell
//! cut by a page break (open at the bottom of one page and at the top of
//! the next) is joined back into one cell.

use super::content::{PageContent, Rule, TextChar};
use super::{PdfError, PdfGrid};
use crate::grid::{Cell, Grid, Row};
use crate::warning::{Warning, WarningCode};

/// Rules closer than this are one rule (points).
const SNAP: f64 = 1.0;

/// Lines of one axis, grouped by position, each with its covered spans.
#[derive(Debug, Clone)]
struct Lines {
    lines: Vec<(f64, Vec<(f64, f64)>)>,
}

impl Lines {
    fn new(rules: &[Rule]) -> Lines {
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

    fn positions(&self) -> Vec<f64> {
        self.lines.iter().map(|l| l.0).collect()
    }

    /// Whether a line near `at` covers the point `along`.
    fn covers(&self, at: f64, along: f64) -> bool {
        let reach = SNAP * 1.5;
        let first = self.lines.partition_point(|l| l.0 < at - reach);
        self.lines[first..]
            .iter()
            .take_while(|l| l.0 <= at + reach)
            .any(|(_, spans)| span_covers(spans, along, SNAP))
    }

    /// The lines covering the point `along`.
    fn covering(&self, along: f64) -> impl Iterator<Item = f64> + '_ {
        self.lines
            .iter()
            .filter(move |(_, spans)| span_covers(spans, along, 0.0))
            .map(|l| l.0)
    }
}

/// Whether sorted, disjoint spans cover `x` (give or take `slack`).
fn span_covers(spans: &[(f64, f64)], x: f64, slack: f64) -> bool {
    let i = spans.partition_point(|s| s.1 + slack < x);
    spans.get(i).is_some_and(|s| s.0 - slack <= x)
}

/// Clusters sorted numbers: values within `tolerance` of a cluster's
/// first value join it; the cluster is its mean.
fn cluster(mut values: Vec<f64>, tolerance: f64) -> Vec<f64> {
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
struct Region {
    pieces: Vec<Vec<TextChar>>,
    left: f64,
    right: f64,
    /// The column boundary the cell ends at, for ruled cells.
    right_column: Option<usize>,
}

/// One row before it becomes a grid row.
struct PendingRow {
    page: u32,
    top: f64,
    cells: Vec<(usize, usize)>,
}

/// Builds one grid from all pages. `max_cells` bounds the cells a page's
/// rules may make (bands times columns), as `--max-cells` does for a
/// worksheet.
pub fn build(pages: &[PageContent], max_cells: usize) -> Result<PdfGrid, PdfError> {
    let columns = cluster(
        pages
            .iter()
            .flat_map(|p| {
                p.vertical
                    .iter()
                    .filter(|r| r.to - r.from > 2.0)
                    .map(|r| r.at)
            })
            .collect(),
        SNAP,
    );
    let mut warnings = Vec::new();
    let mut regions: Vec<Region> = Vec::new();
    let mut rows: Vec<PendingRow> = Vec::new();
    let no_rules = columns.is_empty();
    // Columns by text alignment when nothing is ruled.
    let free_columns = if no_rules {
        warnings.push(Warning::in_file(
            WarningCode::PdfLayoutGuessed,
            "the PDF has no ruling lines (cell borders); rows were read by baseline and \
             columns by text alignment, which can put text in the wrong column: check the \
             records, or print the workbook to PDF with cell borders",
        ));
        alignment_columns(pages)
    } else {
        columns.clone()
    };
    let headers = repeated_margins(pages);
    // Regions open at the bottom of the previous page: (first col, last col, region).
    let mut open_below: Vec<(usize, usize, usize)> = Vec::new();
    // The text of the ruled rows at the top of the previous page.
    let mut previous_top: Vec<Vec<(usize, String)>> = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        let number = index as u32 + 1;
        let hs = Lines::new(
            &page
                .horizontal
                .iter()
                .filter(|r| r.to - r.from > 2.0)
                .copied()
                .collect::<Vec<_>>(),
        );
        let vs = Lines::new(
            &page
                .vertical
                .iter()
                .filter(|r| r.to - r.from > 2.0)
                .copied()
                .collect::<Vec<_>>(),
        );
        let ys = hs.positions();
        let cells = ys.len().saturating_mul(columns.len().max(1));
        if cells > max_cells {
            return Err(PdfError::TooManyCells {
                page: number,
                cells,
                limit: max_cells,
            });
        }
        // Ruled bands: (top, bottom, first column boundary, last boundary).
        let mut bands: Vec<Option<(usize, usize)>> = Vec::new();
        for w in ys.windows(2) {
            let mid = (w[0] + w[1]) / 2.0;
            let xs: Vec<f64> = vs.covering(mid).collect();
            let band = match (xs.first(), xs.last()) {
                (Some(&l), Some(&r)) if r - l > SNAP => {
                    let lo = nearest(&columns, l);
                    let hi = nearest(&columns, r);
                    (hi > lo).then_some((lo, hi))
                }
                _ => None,
            };
            bands.push(band);
        }
        // Union-find over the fine cells (band, column).
        let cell_id = |j: usize, k: usize| j * columns.len() + k;
        let mut parent: Vec<usize> = (0..bands.len() * columns.len().max(1)).collect();
        fn find(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        fn union(parent: &mut [usize], a: usize, b: usize) {
            let (ra, rb) = (find(parent, a), find(parent, b));
            if ra != rb {
                // The top-left cell stays the root.
                let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
                parent[hi] = lo;
            }
        }
        for (j, band) in bands.iter().enumerate() {
            let Some((lo, hi)) = *band else { continue };
            let mid = (ys[j] + ys[j + 1]) / 2.0;
            for k in lo..hi.saturating_sub(1) {
                if !vs.covers(columns[k + 1], mid) {
                    union(&mut parent, cell_id(j, k), cell_id(j, k + 1));
                }
            }
            if let Some(Some((lo2, hi2))) = bands.get(j + 1) {
                for k in lo.max(*lo2)..hi.min(*hi2) {
                    let x = (columns[k] + columns[k + 1]) / 2.0;
                    if !hs.covers(ys[j + 1], x) {
                        union(&mut parent, cell_id(j, k), cell_id(j + 1, k));
                    }
                }
            }
        }
        // Characters into cells or free text.
        let mut cell_chars: std::collections::BTreeMap<usize, Vec<TextChar>> = Default::default();
        let mut free: Vec<TextChar> = Vec::new();
        for c in &page.chars {
            let (cx, cy) = c.center();
            let j = ys.partition_point(|&y| y <= cy);
            let placed = (j >= 1 && j < ys.len())
                .then(|| bands[j - 1])
                .flatten()
                .and_then(|(lo, hi)| {
                    let k = columns.partition_point(|&x| x <= cx);
                    (k > lo && k <= hi).then(|| find(&mut parent, cell_id(j - 1, k - 1)))
                });
            match placed {
                Some(root) => cell_chars.entry(root).or_default().push(c.clone()),
                None => free.push(c.clone()),
            }
        }
        // Regions, their extents, and joins across the page break above.
        let mut extents: std::collections::BTreeMap<usize, (usize, usize, usize, usize)> =
            Default::default();
        for (j, band) in bands.iter().enumerate() {
            let Some((lo, hi)) = *band else { continue };
            for k in lo..hi {
                let root = find(&mut parent, cell_id(j, k));
                let e = extents.entry(root).or_insert((j, j, k, k));
                e.1 = e.1.max(j);
                e.2 = e.2.min(k);
                e.3 = e.3.max(k);
            }
        }
        // Rows a print setup repeats atop every page ("rows to repeat"):
        // the page's first ruled rows, when they read as the previous
        // page's first ruled rows and nothing but page headers stands
        // above them (a page with a heading starts a new sheet).
        let band_text = |j: usize| -> Vec<(usize, String)> {
            extents
                .iter()
                .filter(|(_, e)| e.0 == j)
                .map(|(root, e)| {
                    let chars = cell_chars.get(root).cloned().unwrap_or_default();
                    let text: Vec<String> = lines_of(chars).iter().map(|l| line_text(l)).collect();
                    (e.2, text.join("\n"))
                })
                .filter(|(_, t)| !t.is_empty())
                .collect()
        };
        let top: Vec<Vec<(usize, String)>> = (0..bands.len())
            .take_while(|&j| bands[j].is_some())
            .take(4)
            .map(band_text)
            .collect();
        let table_top = ys.first().copied().unwrap_or(0.0);
        let text_above = lines_of(free.iter().filter(|c| c.y < table_top).cloned().collect())
            .iter()
            .any(|l| {
                let text: String = l.iter().map(|c| c.text.as_str()).collect();
                let top = l.iter().map(|c| c.y - c.size).fold(f64::MAX, f64::min);
                !headers.contains(&(margin_key(&text), margin_zone(top, page.height)))
            });
        let titles = if text_above {
            0
        } else {
            top.iter()
                .zip(&previous_top)
                .take_while(|(a, b)| !a.is_empty() && a == b)
                .count()
        };
        previous_top = top;
        let last_boundary = ys.len().saturating_sub(1);
        let mut band_cells: Vec<Vec<(usize, usize)>> = vec![Vec::new(); bands.len()];
        let mut next_open_below = Vec::new();
        for (&root, &(j0, j1, k0, k1)) in &extents {
            let left = columns[k0];
            let right = columns[k1 + 1];
            let xmid = (left + right) / 2.0;
            let chars = cell_chars.remove(&root).unwrap_or_default();
            if j1 < titles {
                continue; // repeated on this page by the print setup
            }
            // Under repeated rows the cut cell is closed by their border.
            let open_top = j0 == titles && (titles > 0 || !hs.covers(ys[titles], xmid));
            let open_bottom = j1 + 1 == last_boundary && !hs.covers(ys[last_boundary], xmid);
            let continued = open_top
                .then(|| {
                    open_below
                        .iter()
                        .find(|&&(a, b, _)| a == k0 && b == k1)
                        .map(|&(_, _, r)| r)
                })
                .flatten();
            let region = match continued {
                Some(r) => {
                    regions[r].pieces.push(chars);
                    r
                }
                None => {
                    regions.push(Region {
                        pieces: vec![chars],
                        left,
                        right,
                        right_column: Some(k1 + 1),
                    });
                    band_cells[j0].push((k0 + 1, regions.len() - 1));
                    regions.len() - 1
                }
            };
            if open_bottom {
                next_open_below.push((k0, k1, region));
            }
        }
        open_below = next_open_below;
        for (j, cells) in band_cells.into_iter().enumerate() {
            if !cells.is_empty() {
                rows.push(PendingRow {
                    page: number,
                    top: ys[j],
                    cells,
                });
            }
        }
        // Free text: lines by baseline, runs by gaps. A line that fills
        // the width the free text reaches and is followed by one starting
        // at the same place is a cell wrapped without borders: joined.
        let free_lines = lines_of(free);
        // How far single lines reach, by where they start (in SNAP steps).
        let mut reaches: std::collections::HashMap<i64, f64> = Default::default();
        for l in &free_lines {
            let end = l.last().map_or(l[0].x, |c| c.x + c.advance);
            let e = reaches.entry((l[0].x / SNAP).round() as i64).or_insert(end);
            *e = e.max(end);
        }
        let reach = |x: f64| {
            let key = (x / SNAP).round() as i64;
            (key - 1..=key + 1)
                .filter_map(|k| reaches.get(&k))
                .fold(x, |a, &b| a.max(b))
        };
        let mut previous: Option<(usize, f64, f64, f64)> = None;
        for line in free_lines.iter().cloned() {
            let text: String = line.iter().map(|c| c.text.as_str()).collect();
            let top = line.iter().map(|c| c.y - c.size).fold(f64::MAX, f64::min);
            if headers.contains(&(margin_key(&text), margin_zone(top, page.height))) {
                continue;
            }
            let mut runs = runs(line);
            if let ([run], Some((region, x0, end, baseline))) = (runs.as_slice(), previous) {
                let size = run[0].size;
                let ruled_between =
                    ys.partition_point(|&y| y <= baseline) < ys.partition_point(|&y| y < run[0].y);
                let wraps = (run[0].x - x0).abs() <= SNAP
                    && run[0].y - baseline <= size * 2.0
                    && !ruled_between
                    && !run[0].text.starts_with(ITEM_MARKS)
                    && !run[0].text.starts_with('・')
                    && regions[region].pieces[0]
                        .last()
                        .is_none_or(|c| c.text != "。")
                    && end + first_unit(run) > reach(x0) + size * 0.1;
                if wraps {
                    let end = run.last().map_or(end, |c| c.x + c.advance);
                    let baseline = run[0].y;
                    regions[region].pieces[0].extend(runs.pop().into_iter().flatten());
                    regions[region].right = regions[region].right.max(end);
                    previous = Some((region, x0, end, baseline));
                    continue;
                }
            }
            previous = None;
            let single = runs.len() == 1;
            let mut cells = Vec::new();
            for run in runs {
                let start = run[0].x;
                let right = run.iter().map(|c| c.x + c.advance).fold(start, f64::max);
                let baseline = run[0].y;
                let column = free_columns.partition_point(|&x| x <= start + SNAP);
                regions.push(Region {
                    pieces: vec![run],
                    left: start,
                    right,
                    right_column: None,
                });
                if single {
                    previous = Some((regions.len() - 1, start, right, baseline));
                }
                cells.push((column, regions.len() - 1));
            }
            rows.push(PendingRow {
                page: number,
                top,
                cells,
            });
        }
        // Rows of this page in reading order (the sort is stable, so ruled
        // rows and free lines at the same height keep their order).
        let first = rows
            .iter()
            .position(|r| r.page == number)
            .unwrap_or(rows.len());
        rows[first..].sort_by(|a, b| a.top.total_cmp(&b.top));
    }
    // Where full lines end in each column: the furthest any line reaches.
    let mut line_ends: std::collections::HashMap<usize, f64> = Default::default();
    for r in &regions {
        if let Some(k) = r.right_column {
            for piece in &r.pieces {
                for c in piece.iter().filter(|c| c.is_horizontal()) {
                    let e = line_ends.entry(k).or_insert(f64::MIN);
                    *e = e.max(c.x + c.advance);
                }
            }
        }
    }
    let texts: Vec<String> = regions
        .iter()
        .map(|r| region_text(r, r.right_column.and_then(|k| line_ends.get(&k)).copied()))
        .collect();
    let mut grid = Grid::default();
    let mut row_pages = Vec::new();
    for pending in rows {
        let mut cells: Vec<Cell> = Vec::new();
        for (column, region) in pending.cells {
            let cell = Cell::text(&texts[region]);
            if cell.is_empty() {
                continue;
            }
            if cells.len() <= column {
                cells.resize(column + 1, Cell::Empty);
            }
            // Two runs starting in one column (free text) share the cell.
            cells[column] = match std::mem::replace(&mut cells[column], Cell::Empty) {
                Cell::Text(before) => Cell::text(&format!("{before} {}", texts[region])),
                _ => cell,
            };
        }
        if cells.is_empty() {
            continue;
        }
        let number = grid.rows.len() as u32 + 1;
        grid.rows.push(Row::new(number, cells));
        row_pages.push(pending.page);
    }
    Ok(PdfGrid {
        grid,
        row_pages,
        warnings,
        pages: pages.len() as u32,
    })
}

/// The index of the column boundary nearest `x`.
fn nearest(columns: &[f64], x: f64) -> usize {
    let i = columns.partition_point(|&c| c < x);
    match (i.checked_sub(1), columns.get(i)) {
        (Some(a), Some(&b)) if x - columns[a] < b - x => a,
        (Some(a), None) => a,
        _ => i,
    }
}

/// Column boundaries from the left edges of text runs, for pages without
/// rules: every edge where at least two runs start.
fn alignment_columns(pages: &[PageContent]) -> Vec<f64> {
    let mut starts = Vec::new();
    for page in pages {
        for line in lines_of(page.chars.clone()) {
            for run in runs(line) {
                starts.push(run[0].x);
            }
        }
    }
    starts.sort_by(f64::total_cmp);
    let mut out: Vec<(f64, usize)> = Vec::new();
    for s in starts {
        match out.last_mut() {
            Some((first, n)) if s - *first <= 2.0 => *n += 1,
            _ => out.push((s, 1)),
        }
    }
    out.into_iter()
        .filter(|&(_, n)| n >= 2)
        .map(|(x, _)| x - 0.5)
        .collect()
}

/// The text of a page margin line with its digits masked, so `- 1 -` and
/// `- 2 -` compare equal.
fn margin_key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

/// 1 for the top tenth of a page, 2 for the bottom tenth, 0 otherwise.
fn margin_zone(top: f64, height: f64) -> u8 {
    if top < height * 0.1 {
        1
    } else if top > height * 0.9 {
        2
    } else {
        0
    }
}

/// Page headers and footers: free lines in a page's top or bottom tenth
/// that every page repeats (digits aside), or that are only a page number.
fn repeated_margins(pages: &[PageContent]) -> Vec<(String, u8)> {
    let mut seen: std::collections::BTreeMap<(String, u8), std::collections::BTreeSet<usize>> =
        Default::default();
    for (i, page) in pages.iter().enumerate() {
        for line in lines_of(page.chars.clone()) {
            let text: String = line.iter().map(|c| c.text.as_str()).collect();
            let top = line.iter().map(|c| c.y - c.size).fold(f64::MAX, f64::min);
            let zone = margin_zone(top, page.height);
            if zone != 0 {
                seen.entry((margin_key(&text), zone)).or_default().insert(i);
            }
        }
    }
    seen.into_iter()
        .filter(|((key, _), on)| {
            let page_number = !key.is_empty()
                && key.contains('#')
                && key.chars().count() <= 16
                && key
                    .chars()
                    .all(|c| "#-/()|.ページPage頁ofOF第 ".contains(c));
            page_number || (pages.len() >= 2 && on.len() == pages.len())
        })
        .map(|(k, _)| k)
        .collect()
}

/// Characters grouped into lines: horizontal text by baseline, top to
/// bottom, each left to right. Text along other directions gets lines of
/// its own (see [`vertical_text`]).
fn lines_of(mut chars: Vec<TextChar>) -> Vec<Vec<TextChar>> {
    chars.retain(|c| c.is_horizontal());
    chars.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<Vec<TextChar>> = Vec::new();
    for c in chars {
        match lines.last_mut() {
            Some(line) if (c.y - line[0].y).abs() <= line[0].size.max(c.size) * 0.5 => line.push(c),
            _ => lines.push(vec![c]),
        }
    }
    for line in &mut lines {
        line.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    lines
}

/// A line split where the gap between characters is wider than a
/// character: separate cells of a table without borders.
fn runs(line: Vec<TextChar>) -> Vec<Vec<TextChar>> {
    let mut out: Vec<Vec<TextChar>> = Vec::new();
    for c in line {
        match out.last_mut() {
            Some(run) => {
                let last = run.last().expect("runs are never empty");
                let gap = c.x - (last.x + last.advance);
                if gap > last.size.max(c.size) * 1.2 {
                    out.push(vec![c]);
                } else {
                    run.push(c);
                }
            }
            None => out.push(vec![c]),
        }
    }
    out
}

/// A line's text, with a space where characters stand apart.
fn line_text(line: &[TextChar]) -> String {
    let mut s = String::new();
    let mut end: Option<f64> = None;
    for c in line {
        if let Some(e) = end
            && c.x - e > c.size * 0.3
            && !s.ends_with(' ')
        {
            s.push(' ');
        }
        s.push_str(&c.text);
        end = Some(c.x + c.advance);
    }
    s
}

/// Text drawn along any direction but left to right: vertical writing and
/// rotated text, read in reading order (columns of top-to-bottom text
/// right to left, bottom-to-top text left to right).
fn vertical_text(chars: &[TextChar]) -> String {
    let mut chars: Vec<&TextChar> = chars.iter().filter(|c| !c.is_horizontal()).collect();
    if chars.is_empty() {
        return String::new();
    }
    let downward = chars.iter().filter(|c| c.dir.1 > 0.5).count() * 2 >= chars.len();
    chars.sort_by(|a, b| {
        let (ax, ay) = a.center();
        let (bx, by) = b.center();
        let column = if downward {
            bx.total_cmp(&ax)
        } else {
            ax.total_cmp(&bx)
        };
        let size = a.size.max(b.size) * 0.5;
        if (ax - bx).abs() > size {
            column
        } else if downward {
            ay.total_cmp(&by)
        } else {
            by.total_cmp(&ay)
        }
    });
    chars.iter().map(|c| c.text.as_str()).collect()
}

/// Marks that start a list item at the start of a line whatever came
/// before. `・` is not among them: after a line with room left the line
/// break already starts an item, and after a full line it is a middle dot
/// the printer wrapped before (quirk 12).
const ITEM_MARKS: [char; 11] = ['○', '●', '◎', '■', '□', '◆', '◇', '•', '⇒', '→', '※'];

/// The width of a line's first unbreakable unit: opening brackets with
/// what follows them, a Latin word or number with the character after it
/// (`8件`, `(LINE…`), or one character.
fn first_unit(line: &[TextChar]) -> f64 {
    let mut i = 0;
    while line.get(i).is_some_and(|c| {
        c.text
            .starts_with(['(', '「', '『', '【', '〔', '[', '“', '（'])
    }) {
        i += 1;
    }
    let ascii = |c: &TextChar| c.text.chars().all(|ch| ch.is_ascii_alphanumeric());
    if line.get(i).is_some_and(ascii) {
        while line
            .get(i)
            .is_some_and(|c| c.text.chars().all(|ch| ch.is_ascii_graphic()))
        {
            i += 1;
        }
    }
    i += 1;
    line.iter().take(i).map(|c| c.advance).sum()
}

/// A cell's text: its lines joined back the way the author wrote them.
///
/// A line that ends before the cell's right edge with room for the next
/// line's first word was ended by the author (a line break); a full line
/// was wrapped by the printer and continues without a break.
fn region_text(region: &Region, column_end: Option<f64>) -> String {
    let mut lines: Vec<Vec<TextChar>> = Vec::new();
    let mut other = String::new();
    for piece in &region.pieces {
        lines.extend(lines_of(piece.clone()));
        other.push_str(&vertical_text(piece));
    }
    if lines.is_empty() {
        return other;
    }
    // Stacked text: one character per line, one above the other.
    let stacked = lines.len() >= 2
        && lines.iter().all(|l| l.len() == 1)
        && lines.windows(2).all(|w| {
            let (a, _) = w[0][0].center();
            let (b, _) = w[1][0].center();
            (a - b).abs() < w[0][0].size * 0.3
        });
    if stacked {
        let s: String = lines.iter().map(|l| l[0].text.as_str()).collect();
        return s + &other;
    }
    let pad = lines
        .iter()
        .map(|l| l[0].x - region.left)
        .fold(f64::MAX, f64::min)
        .max(0.0);
    let room_right = region.right - pad;
    let longest = lines
        .iter()
        .map(|l| l.last().map_or(0.0, |c| c.x + c.advance))
        .fold(f64::MIN, f64::max);
    // Programs pad cells differently on each side; how far the lines of
    // the whole column reach is a better edge than the rule.
    let width = column_end.unwrap_or(longest).max(longest).min(room_right);
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let text = line_text(line);
        if i > 0 {
            let prev = &lines[i - 1];
            let last = prev.last().expect("lines are never empty");
            let end = last.x + last.advance;
            let size = last.size;
            let short = end + first_unit(line) <= width + size * 0.01;
            let prev_text = line_text(prev);
            // A full line may still have been ended by the author before a
            // `・` item: under a `○` heading, or after a finished sentence
            // (a middle dot never follows `。`).
            let bullet_after = prev_text.starts_with('○') || prev_text.trim_end().ends_with('。');
            let starts_item =
                text.starts_with(ITEM_MARKS) || (text.starts_with('・') && bullet_after);
            if short || starts_item {
                out.push('\n');
            } else if prev_text.ends_with(|c: char| c.is_ascii_alphanumeric())
                && text.starts_with(|c: char| c.is_ascii_alphanumeric())
            {
                out.push(' ');
            }
        }
        out.push_str(&text);
    }
    out + &other
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(text: &str, x: f64, y: f64, size: f64) -> Vec<TextChar> {
        text.chars()
            .enumerate()
            .map(|(i, ch)| TextChar {
                x: x + i as f64 * size,
                y,
                dir: (1.0, 0.0),
                advance: size,
                size,
                text: ch.to_string(),
                vertical_font: false,
            })
            .collect()
    }

    fn rule(at: f64, from: f64, to: f64) -> Rule {
        Rule { at, from, to }
    }

    /// A page with a 2×2 table at x 0,50,100 and y 0,20,40.
    fn table(chars: Vec<TextChar>, rules_h: Vec<Rule>, rules_v: Vec<Rule>) -> PageContent {
        PageContent {
            width: 200.0,
            height: 200.0,
            chars,
            horizontal: rules_h,
            vertical: rules_v,
            ..Default::default()
        }
    }

    fn texts(grid: &Grid) -> Vec<Vec<String>> {
        grid.rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.as_text().into_owned()).collect())
            .collect()
    }

    #[test]
    fn a_rule_splits_a_run_and_a_missing_rule_merges() {
        let mut c = chars("1効果", 45.0, 15.0, 5.0);
        c.extend(chars("AB", 5.0, 35.0, 5.0));
        let h = vec![
            rule(0.0, 0.0, 100.0),
            rule(20.0, 0.0, 100.0),
            rule(40.0, 0.0, 100.0),
        ];
        // The middle rule stops at the first row: the second row is merged.
        let v = vec![
            rule(0.0, 0.0, 40.0),
            rule(50.0, 0.0, 20.0),
            rule(100.0, 0.0, 40.0),
        ];
        let out = build(&[table(c, h, v)], 1_000_000).unwrap();
        assert_eq!(
            texts(&out.grid),
            vec![vec!["", "1", "効果"], vec!["", "AB"]]
        );
        assert_eq!(out.row_pages, vec![1, 1]);
        assert!(out.warnings.is_empty());
    }

    #[test]
    fn wrapped_lines_join_and_short_lines_break() {
        let region = Region {
            pieces: vec![
                [
                    chars("意見の問", 1.0, 10.0, 10.0),
                    chars("・合せ", 1.0, 20.0, 10.0),
                    chars("続く", 1.0, 30.0, 10.0),
                    chars("○次", 1.0, 40.0, 10.0),
                ]
                .concat(),
            ],
            left: 0.0,
            right: 42.0,
            right_column: None,
        };
        // A full line wraps, and `・` after it is a middle dot (quirk 12);
        // a line with room for the next word was ended by the author.
        assert_eq!(region_text(&region, None), "意見の問・合せ\n続く\n○次");
        let wide = Region {
            right: 100.0,
            ..region
        };
        // Where the column's lines reach decides, not the cell's edge.
        assert_eq!(region_text(&wide, Some(41.0)), "意見の問・合せ\n続く\n○次");
        assert_eq!(
            region_text(&wide, Some(99.0)),
            "意見の問\n・合せ\n続く\n○次"
        );
    }

    #[test]
    fn stacked_and_rotated_text_read_in_order() {
        let stacked = Region {
            pieces: vec![[chars("縦", 5.0, 10.0, 10.0), chars("書", 5.0, 20.0, 10.0)].concat()],
            left: 0.0,
            right: 100.0,
            right_column: None,
        };
        assert_eq!(region_text(&stacked, None), "縦書");
        let up: Vec<TextChar> = "上向"
            .chars()
            .enumerate()
            .map(|(i, ch)| TextChar {
                x: 10.0,
                y: 50.0 - i as f64 * 10.0,
                dir: (0.0, -1.0),
                advance: 10.0,
                size: 10.0,
                text: ch.to_string(),
                vertical_font: false,
            })
            .collect();
        let rotated = Region {
            pieces: vec![up],
            left: 0.0,
            right: 100.0,
            right_column: None,
        };
        assert_eq!(region_text(&rotated, None), "上向");
    }

    #[test]
    fn a_cell_cut_by_a_page_break_is_joined() {
        let h1 = vec![
            rule(0.0, 0.0, 100.0),
            rule(20.0, 0.0, 100.0),
            rule(40.0, 50.0, 100.0),
        ];
        let v = vec![
            rule(0.0, 0.0, 40.0),
            rule(50.0, 0.0, 40.0),
            rule(100.0, 0.0, 40.0),
        ];
        let mut c1 = chars("上半", 1.0, 35.0, 5.0);
        c1.extend(chars("x", 60.0, 35.0, 5.0));
        let h2 = vec![rule(0.0, 50.0, 100.0), rule(20.0, 0.0, 100.0)];
        let mut c2 = chars("下半", 1.0, 8.0, 5.0);
        c2.extend(chars("y", 60.0, 8.0, 5.0));
        let out = build(&[table(c1, h1, v.clone()), table(c2, h2, v)], 1_000_000).unwrap();
        assert_eq!(
            texts(&out.grid),
            vec![vec!["", "上半下半", "x"], vec!["", "", "y"]]
        );
        assert_eq!(out.row_pages, vec![1, 2]);
    }

    #[test]
    fn without_rules_columns_follow_alignment_with_a_warning() {
        let mut c = chars("AA", 10.0, 10.0, 5.0);
        c.extend(chars("BB", 60.0, 10.0, 5.0));
        c.extend(chars("CC", 10.0, 20.0, 5.0));
        c.extend(chars("DD", 60.0, 20.0, 5.0));
        let out = build(&[table(c, vec![], vec![])], 1_000_000).unwrap();
        assert_eq!(
            texts(&out.grid),
            vec![vec!["", "AA", "BB"], vec!["", "CC", "DD"]]
        );
        assert_eq!(out.warnings[0].code, WarningCode::PdfLayoutGuessed);
    }

    #[test]
    fn page_numbers_are_dropped() {
        let page = |n: &str| {
            table(
                [chars("本文", 10.0, 50.0, 5.0), chars(n, 90.0, 195.0, 5.0)].concat(),
                vec![],
                vec![],
            )
        };
        let out = build(&[page("1"), page("2")], 1_000_000).unwrap();
        assert_eq!(texts(&out.grid), vec![vec!["", "本文"], vec!["", "本文"]]);
    }

    #[test]
    fn a_dense_mesh_of_rules_is_refused_by_the_cell_limit() {
        let h: Vec<Rule> = (0..200).map(|i| rule(i as f64 * 2.0, 0.0, 400.0)).collect();
        let v: Vec<Rule> = (0..200).map(|i| rule(i as f64 * 2.0, 0.0, 400.0)).collect();
        let err = build(&[table(vec![], h, v)], 10_000).unwrap_err();
        assert!(err.to_string().contains("--max-cells"), "{err}");
    }

    #[test]
    fn vertical_writing_reads_columns_right_to_left() {
        let column = |x: f64, text: &str| -> Vec<TextChar> {
            text.chars()
                .enumerate()
                .map(|(i, ch)| TextChar {
                    x,
                    y: 10.0 + i as f64 * 10.0,
                    dir: (0.0, 1.0),
                    advance: 10.0,
                    size: 10.0,
                    text: ch.to_string(),
                    vertical_font: true,
                })
                .collect()
        };
        let region = Region {
            pieces: vec![[column(20.0, "縦書"), column(40.0, "右列")].concat()],
            left: 0.0,
            right: 60.0,
            right_column: None,
        };
        assert_eq!(region_text(&region, None), "右列縦書");
    }
}
