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
//!
//! Without any rules, the pages of a worksheet printed "down, then across"
//! are first tiled back into one page (`tile`); rows come by baseline,
//! columns by where text starts (numbers by where they end), and a cell's
//! lines by their pitch (`free_cells`).

mod geometry;
mod text;
mod tile;

use crate::grid::{Cell, Grid, Row};
use crate::pdf::content::{PageContent, Rule, TextChar};
use crate::pdf::{PdfError, PdfGrid};
use crate::warning::{Warning, WarningCode};
use geometry::*;
use text::*;
use tile::*;

/// One row before it becomes a grid row.
struct PendingRow {
    /// The page of the layout read (a tiled sheet is one).
    layout: usize,
    /// The printed page it came from, from 1 (its first cell's).
    page: u32,
    /// The last printed page its cells came from.
    last_page: u32,
    top: f64,
    cells: Vec<(usize, usize)>,
}

/// Builds one grid from all pages. `max_cells` bounds the cells a page's
/// rules may make (bands times columns), as `--max-cells` does for a
/// worksheet.
///
/// The steps: the layout (column boundaries from the rules, or, without
/// rules, the pages tiled back into the worksheet and columns by text
/// alignment); for each page, its ruled cells ([`RuledPage`]) joined to
/// the cells a page break cut ([`Assembly::ruled_rows`]) and its free text
/// ([`Assembly::free_text_rows`] or [`free_cells`]); then each cell's text
/// with its line breaks ([`region_texts`]) and the grid.
pub fn build(pages: &[PageContent], max_cells: usize) -> Result<PdfGrid, PdfError> {
    let mut warnings = Vec::new();
    let layout = Layout::new(pages, &mut warnings);
    let mut assembly = Assembly::default();
    for (index, page) in layout.pages().iter().enumerate() {
        let number = index as u32 + 1;
        let (mut ruled, free) = RuledPage::new(page, &layout.columns, number, max_cells)?;
        assembly.ruled_rows(&layout, index, page, &mut ruled, &free);
        if layout.no_rules {
            let rows = free_cells(free, &layout.free_columns, &mut assembly.regions);
            for (top, start, cells) in rows {
                let page = layout.page_of(index, start, top);
                let last_page = cells
                    .iter()
                    .map(|&(_, r)| layout.page_of(index, assembly.regions[r].left, top))
                    .fold(page, u32::max);
                assembly.rows.push(PendingRow {
                    layout: index,
                    page,
                    last_page,
                    top,
                    cells,
                });
            }
        } else {
            assembly.free_text_rows(&layout, index, page, &ruled.ys, free);
        }
        // Rows of this page in reading order (the sort is stable, so ruled
        // rows and free lines at the same height keep their order).
        let rows = &mut assembly.rows;
        let first = rows
            .iter()
            .position(|r| r.layout == index)
            .unwrap_or(rows.len());
        rows[first..].sort_by(|a, b| a.top.total_cmp(&b.top));
    }
    let texts = region_texts(assembly.regions);
    let mut grid = Grid::default();
    let mut row_pages = Vec::new();
    let mut row_last_pages = Vec::new();
    for pending in assembly.rows {
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
        row_last_pages.push(pending.last_page);
    }
    Ok(PdfGrid {
        grid,
        row_pages,
        row_last_pages,
        warnings,
        pages: layout.pages().len() as u32,
    })
}

/// The layout every page is read against.
struct Layout<'p> {
    printed: &'p [PageContent],
    /// Without rules, the worksheet tiled back from its printed pages.
    tiled: Vec<PageContent>,
    placements: Vec<Placement>,
    /// Column boundaries from the vertical rules of all pages.
    columns: Vec<f64>,
    /// Columns of free text: the rules', or by text alignment.
    free_columns: Vec<f64>,
    /// Page headers and footers (text and margin zone) to leave out.
    headers: Vec<(String, u8)>,
    no_rules: bool,
}

impl<'p> Layout<'p> {
    fn new(printed: &'p [PageContent], warnings: &mut Vec<Warning>) -> Layout<'p> {
        let columns = cluster(
            printed
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
        let no_rules = columns.is_empty();
        let headers = repeated_margins(printed);
        if !no_rules {
            return Layout {
                printed,
                tiled: Vec::new(),
                placements: Vec::new(),
                free_columns: columns.clone(),
                columns,
                headers,
                no_rules,
            };
        }
        // Without rules, a worksheet printed on pages "down, then across" is
        // tiled back into one page first (see [`tile`]); its headers are
        // left out while tiling.
        let (tiled, placements) = tile(printed, &headers);
        warnings.push(Warning::in_file(
            WarningCode::PdfLayoutGuessed,
            "the PDF has no ruling lines (cell borders); rows were read by baseline and \
             columns by text alignment, which can put text in the wrong column: check the \
             records, or print the workbook to PDF with cell borders",
        ));
        let free_columns = alignment_columns(&tiled);
        Layout {
            printed,
            tiled,
            placements,
            columns,
            free_columns,
            headers: Vec::new(),
            no_rules,
        }
    }

    /// The pages of the layout read: the printed pages, or the tiled one.
    fn pages(&self) -> &[PageContent] {
        if self.no_rules {
            &self.tiled
        } else {
            self.printed
        }
    }

    /// The printed page under a point of layout page `layout`.
    fn page_of(&self, layout: usize, x: f64, y: f64) -> u32 {
        if !self.no_rules {
            return layout as u32 + 1;
        }
        self.placements
            .iter()
            .enumerate()
            .filter(|(_, p)| p.sheet == layout && p.dy <= y + SNAP && p.dx <= x + SNAP)
            // The first of equals: an empty page shares the place before it.
            .rev()
            .max_by(|a, b| a.1.dy.total_cmp(&b.1.dy).then(a.1.dx.total_cmp(&b.1.dx)))
            .map_or(layout as u32 + 1, |(i, _)| i as u32 + 1)
    }

    /// Whether a line of text at `top` is a page header or footer.
    fn is_margin(&self, text: &str, top: f64, height: f64) -> bool {
        (self.headers).contains(&(margin_key(text), margin_zone(top, height)))
    }
}

/// One page's ruled cells: the bands between horizontal rules, the fine
/// cells (band, column) merged where no rule divides them, and the
/// characters inside each merged cell.
struct RuledPage {
    hs: Lines,
    ys: Vec<f64>,
    /// Per band, the column boundaries its rules span.
    bands: Vec<Option<(usize, usize)>>,
    /// Per merged cell (its top-left fine cell): its characters.
    cell_chars: std::collections::BTreeMap<usize, Vec<TextChar>>,
    /// Per merged cell: its first and last band and column.
    extents: std::collections::BTreeMap<usize, (usize, usize, usize, usize)>,
}

impl RuledPage {
    /// The page's ruled cells, and the characters outside them.
    fn new(
        page: &PageContent,
        columns: &[f64],
        number: u32,
        max_cells: usize,
    ) -> Result<(RuledPage, Vec<TextChar>), PdfError> {
        let long = |rules: &[Rule]| -> Vec<Rule> {
            rules
                .iter()
                .filter(|r| r.to - r.from > 2.0)
                .copied()
                .collect()
        };
        let hs = Lines::new(&long(&page.horizontal));
        let vs = Lines::new(&long(&page.vertical));
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
                    let lo = nearest(columns, l);
                    let hi = nearest(columns, r);
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
        // Each merged cell's extent.
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
        let ruled = RuledPage {
            hs,
            ys,
            bands,
            cell_chars,
            extents,
        };
        Ok((ruled, free))
    }

    /// The text of each non-empty cell that starts in band `j`, by column.
    fn band_text(&self, j: usize) -> Vec<(usize, String)> {
        self.extents
            .iter()
            .filter(|(_, e)| e.0 == j)
            .map(|(root, e)| {
                let chars = self.cell_chars.get(root).cloned().unwrap_or_default();
                let text: Vec<String> = lines_of(chars).iter().map(|l| line_text(l)).collect();
                (e.2, text.join("\n"))
            })
            .filter(|(_, t)| !t.is_empty())
            .collect()
    }
}

/// The rows and cells (regions) of every page read so far.
#[derive(Default)]
struct Assembly {
    regions: Vec<Region>,
    rows: Vec<PendingRow>,
    /// Regions open at the bottom of the previous page: (first col, last
    /// col, region).
    open_below: Vec<(usize, usize, usize)>,
    /// The text of the ruled rows at the top of the previous page.
    previous_top: Vec<Vec<(usize, String)>>,
}

impl Assembly {
    /// Adds a page's ruled cells (taking their characters): rows a print
    /// setup repeats are left out, and a cell a page break cut continues
    /// the region open above it.
    fn ruled_rows(
        &mut self,
        layout: &Layout<'_>,
        index: usize,
        page: &PageContent,
        ruled: &mut RuledPage,
        free: &[TextChar],
    ) {
        let number = index as u32 + 1;
        let titles = self.repeated_titles(layout, page, ruled, free);
        let (ys, hs, columns) = (&ruled.ys, &ruled.hs, &layout.columns);
        let last_boundary = ys.len().saturating_sub(1);
        let mut band_cells: Vec<Vec<(usize, usize)>> = vec![Vec::new(); ruled.bands.len()];
        let mut next_open_below = Vec::new();
        for (&root, &(j0, j1, k0, k1)) in &ruled.extents {
            let left = columns[k0];
            let right = columns[k1 + 1];
            let xmid = (left + right) / 2.0;
            let chars = ruled.cell_chars.remove(&root).unwrap_or_default();
            if j1 < titles {
                continue; // repeated on this page by the print setup
            }
            // Under repeated rows the cut cell is closed by their border.
            let open_top = j0 == titles && (titles > 0 || !hs.covers(ys[titles], xmid));
            let open_bottom = j1 + 1 == last_boundary && !hs.covers(ys[last_boundary], xmid);
            let continued = open_top
                .then(|| {
                    (self.open_below)
                        .iter()
                        .find(|&&(a, b, _)| a == k0 && b == k1)
                        .map(|&(_, _, r)| r)
                })
                .flatten();
            let region = match continued {
                Some(r) => {
                    self.regions[r].pieces.push(chars);
                    r
                }
                None => {
                    self.regions.push(Region {
                        pieces: vec![chars],
                        left,
                        right,
                        right_column: Some(k1 + 1),
                    });
                    band_cells[j0].push((k0 + 1, self.regions.len() - 1));
                    self.regions.len() - 1
                }
            };
            if open_bottom {
                next_open_below.push((k0, k1, region));
            }
        }
        self.open_below = next_open_below;
        for (j, cells) in band_cells.into_iter().enumerate() {
            if !cells.is_empty() {
                self.rows.push(PendingRow {
                    layout: index,
                    page: number,
                    last_page: number,
                    top: ys[j],
                    cells,
                });
            }
        }
    }

    /// How many of the page's first ruled rows a print setup repeats atop
    /// every page ("rows to repeat"): those that read as the previous
    /// page's first ruled rows, when nothing but page headers stands above
    /// them (a page with a heading starts a new sheet).
    fn repeated_titles(
        &mut self,
        layout: &Layout<'_>,
        page: &PageContent,
        ruled: &RuledPage,
        free: &[TextChar],
    ) -> usize {
        let top: Vec<Vec<(usize, String)>> = (0..ruled.bands.len())
            .take_while(|&j| ruled.bands[j].is_some())
            .take(4)
            .map(|j| ruled.band_text(j))
            .collect();
        let table_top = ruled.ys.first().copied().unwrap_or(0.0);
        let text_above = lines_of(free.iter().filter(|c| c.y < table_top).cloned().collect())
            .iter()
            .any(|l| {
                let text: String = l.iter().map(|c| c.text.as_str()).collect();
                let top = l.iter().map(|c| c.y - c.size).fold(f64::MAX, f64::min);
                !layout.is_margin(&text, top, page.height)
            });
        let titles = if text_above {
            0
        } else {
            top.iter()
                .zip(&self.previous_top)
                .take_while(|(a, b)| !a.is_empty() && a == b)
                .count()
        };
        self.previous_top = top;
        titles
    }

    /// Adds a ruled page's free text: lines by baseline, runs by gaps. A
    /// line that fills the width the free text reaches and is followed by
    /// one starting at the same place is a cell wrapped without borders:
    /// joined.
    fn free_text_rows(
        &mut self,
        layout: &Layout<'_>,
        index: usize,
        page: &PageContent,
        ys: &[f64],
        free: Vec<TextChar>,
    ) {
        let number = index as u32 + 1;
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
        let regions = &mut self.regions;
        let mut previous: Option<(usize, f64, f64, f64)> = None;
        for line in free_lines.iter().cloned() {
            let text: String = line.iter().map(|c| c.text.as_str()).collect();
            let top = line.iter().map(|c| c.y - c.size).fold(f64::MAX, f64::min);
            if layout.is_margin(&text, top, page.height) {
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
                let column = layout.free_columns.partition_point(|&x| x <= start + SNAP);
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
            self.rows.push(PendingRow {
                layout: index,
                page: number,
                last_page: number,
                top,
                cells,
            });
        }
    }
}

/// Each region's text with its line breaks. Where full lines end in each
/// column: the furthest any line reaches. Without rules, only cells of
/// several lines tell where a column wraps (a single line may run on over
/// empty cells).
fn region_texts(mut regions: Vec<Region>) -> Vec<String> {
    let mut line_ends: std::collections::HashMap<usize, f64> = Default::default();
    for r in &regions {
        let free = r.right_column.is_some_and(|k| k >= FREE_COLUMN);
        if free
            && r.pieces
                .iter()
                .map(|p| lines_of(p.clone()).len())
                .sum::<usize>()
                < 2
        {
            continue;
        }
        if let Some(k) = r.right_column {
            for piece in &r.pieces {
                for c in piece.iter().filter(|c| c.is_horizontal()) {
                    let e = line_ends.entry(k).or_insert(f64::MIN);
                    *e = e.max(c.x + c.advance);
                }
            }
        }
    }
    for r in regions.iter_mut() {
        // A free cell's right edge is where its column wraps.
        if let Some(k) = r.right_column.filter(|&k| k >= FREE_COLUMN)
            && let Some(&end) = line_ends.get(&k)
        {
            r.right = r.right.max(end);
        }
    }
    regions
        .into_iter()
        .map(|r| {
            let column_end = r.right_column.and_then(|k| line_ends.get(&k)).copied();
            region_text(r, column_end)
        })
        .collect()
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
        assert_eq!(
            region_text(region.clone(), None),
            "意見の問・合せ\n続く\n○次"
        );
        let wide = Region {
            right: 100.0,
            ..region
        };
        // Where the column's lines reach decides, not the cell's edge.
        assert_eq!(
            region_text(wide.clone(), Some(41.0)),
            "意見の問・合せ\n続く\n○次"
        );
        assert_eq!(
            region_text(wide.clone(), Some(99.0)),
            "意見の問\n・合せ\n続く\n○次"
        );
    }

    #[test]
    fn a_line_short_by_what_kinsoku_moves_down_continues() {
        // Lines end at x 41 and 31 in a column 50 wide: the second has room
        // for one character (`近`) but not for `近、`, which cannot be split
        // (`、` never starts a line), nor for `近、JR` (a Latin word stays
        // with it): the printer moved them down, so the line continues.
        let lines = |next: &str| Region {
            pieces: vec![
                [
                    chars("駐車場の検", 1.0, 10.0, 8.0),
                    chars("旧庁舎", 7.0, 20.0, 8.0),
                    chars(next, 1.0, 30.0, 8.0),
                ]
                .concat(),
            ],
            left: 0.0,
            right: 45.0,
            right_column: None,
        };
        assert_eq!(region_text(lines("近、駅"), None), "駐車場の検旧庁舎近、駅");
        assert_eq!(region_text(lines("近JR"), None), "駐車場の検旧庁舎\n近JR");
        // A closing bracket after the first character moves down with it.
        assert_eq!(region_text(lines("近)"), None), "駐車場の検旧庁舎近)");
        // Room for the whole unit: the author ended the line.
        let roomy = Region {
            right: 60.0,
            ..lines("近、駅")
        };
        assert_eq!(region_text(roomy, Some(60.0)), "駐車場の検\n旧庁舎\n近、駅");
    }

    #[test]
    fn a_bullet_after_a_closing_bracket_starts_an_item() {
        let region = Region {
            pieces: vec![
                [
                    chars("安定化)", 1.0, 10.0, 10.0),
                    chars("・アプリ", 1.0, 20.0, 10.0),
                ]
                .concat(),
            ],
            left: 0.0,
            right: 42.0,
            right_column: None,
        };
        assert_eq!(region_text(region, None), "安定化)\n・アプリ");
    }

    #[test]
    fn stacked_and_rotated_text_read_in_order() {
        let stacked = Region {
            pieces: vec![[chars("縦", 5.0, 10.0, 10.0), chars("書", 5.0, 20.0, 10.0)].concat()],
            left: 0.0,
            right: 100.0,
            right_column: None,
        };
        assert_eq!(region_text(stacked.clone(), None), "縦書");
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
        assert_eq!(region_text(rotated.clone(), None), "上向");
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
    fn pages_printed_down_then_across_are_tiled_back() {
        // A worksheet printed as two strips of columns, each two pages
        // tall ("down, then across"), then a worksheet of one page. Size-5
        // text, left margin 10, pages 200 high.
        let page = |lines: Vec<Vec<TextChar>>| table(lines.concat(), vec![], vec![]);
        let pages = [
            // Strip 1, top: a cell's text runs off the strip at x 80; the
            // page is full (text down to the bottom line).
            page(vec![
                chars("見出し", 10.0, 20.0, 5.0),
                chars("名前", 10.0, 40.0, 5.0),
                chars("長い文章が続", 50.0, 40.0, 5.0),
                chars("最下行", 10.0, 180.0, 5.0),
            ]),
            // Strip 1, below: starts at the top margin after a full page.
            page(vec![chars("下段", 10.0, 20.0, 5.0)]),
            // Strip 2, top: empty first rows, and the cut text's end
            // starting left of the margin; full again.
            page(vec![
                chars("く", 8.0, 40.0, 5.0),
                chars("右列", 30.0, 60.0, 5.0),
                chars("右端", 10.0, 180.0, 5.0),
            ]),
            // Strip 2, below.
            page(vec![chars("右下", 10.0, 20.0, 5.0)]),
            // At the top margin after a page that was not full: a new sheet.
            page(vec![chars("次の表", 10.0, 20.0, 5.0)]),
        ];
        let (tiled, placements) = tile(&pages, &[]);
        let at: Vec<(usize, usize, usize, f64, f64)> = placements
            .iter()
            .map(|p| (p.sheet, p.strip, p.band, p.dx, p.dy))
            .collect();
        assert_eq!(
            at,
            [
                (0, 0, 0, 0.0, 0.0),
                (0, 0, 1, 0.0, 200.0),
                // The strip is as wide as the cut text says: 80 - 8.
                (0, 1, 0, 72.0, 0.0),
                (0, 1, 1, 72.0, 200.0),
                (1, 0, 0, 0.0, 0.0),
            ]
        );
        assert_eq!(tiled.len(), 2);
        let out = build(&pages, 1_000_000).unwrap();
        assert_eq!(
            texts(&out.grid),
            vec![
                vec!["", "見出し"],
                // One run starts at x 50: no column of its own, the cell
                // is shared; the text cut by the strip boundary is whole.
                vec!["", "名前 長い文章が続く"],
                vec!["", "", "右列"],
                // The strips' rows side by side, the bands one below the other.
                vec!["", "最下行", "右端"],
                vec!["", "下段", "右下"],
                vec!["", "次の表"],
            ]
        );
        // Each row knows the page its first cell was printed on.
        assert_eq!(out.row_pages, vec![1, 1, 3, 1, 2, 5]);
        // And the last page its cells were printed on.
        assert_eq!(out.row_last_pages, vec![1, 1, 3, 3, 4, 5]);
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
        assert_eq!(region_text(region.clone(), None), "右列縦書");
    }
}
