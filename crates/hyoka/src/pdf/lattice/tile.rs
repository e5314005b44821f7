//! Without rules: the pages of a worksheet printed "down, then across" tiled back into one (`tile`), page headers and footers told apart, columns by text alignment, and free cells by line pitch (`free_cells`).

use super::geometry::*;
use super::text::*;
use crate::pdf::content::{PageContent, TextChar};

/// Where a printed page goes in the layout read: the worksheet (layout
/// page) it belongs to, its strip of columns and band of rows there, and
/// the offset that moves its coordinates into place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Placement {
    pub(super) sheet: usize,
    pub(super) strip: usize,
    pub(super) band: usize,
    pub(super) dx: f64,
    pub(super) dy: f64,
}

/// Pages printed without rules, tiled back into one page per worksheet.
///
/// A spreadsheet too wide and too tall for the paper is printed "down,
/// then across": the rows of its first strip of columns page after page,
/// then the next strip from the top. A page that continues the previous
/// strip to the right starts below the top margin (its first rows are
/// empty in those columns) or with text cut at the left margin (a cell
/// overflowing across the strip boundary); a page whose text starts at
/// the top margin continues the strip downwards when the page before it
/// was full, and starts a new worksheet otherwise. Each strip is moved
/// right by the width of the one before it, measured on text cut by the
/// boundary (its end on one page, its start on the next) where there is
/// some, else by how far the previous strip's text reaches; each band is
/// moved down a page height. Page headers and footers are left out.
pub(super) fn tile(
    pages: &[PageContent],
    headers: &[(String, u8)],
) -> (Vec<PageContent>, Vec<Placement>) {
    // Each page's lines without its headers and footers.
    let lines: Vec<Vec<Vec<TextChar>>> = pages
        .iter()
        .map(|page| {
            lines_of(page.chars.clone())
                .into_iter()
                .filter(|l| {
                    let text: String = l.iter().map(|c| c.text.as_str()).collect();
                    let top = l.iter().map(|c| c.y - c.size).fold(f64::MAX, f64::min);
                    !headers.contains(&(margin_key(&text), margin_zone(top, page.height)))
                })
                .collect()
        })
        .collect();
    let size = {
        let mut sizes: Vec<f64> = lines.iter().flatten().map(|l| l[0].size).collect();
        sizes.sort_by(f64::total_cmp);
        sizes.get(sizes.len() / 2).copied().unwrap_or(10.0)
    };
    // The margins: the highest first baseline, the lowest last one, and
    // where lines start on most pages.
    let top = lines
        .iter()
        .filter_map(|p| p.first())
        .map(|l| l[0].y)
        .fold(f64::MAX, f64::min);
    let bottom = lines
        .iter()
        .filter_map(|p| p.last())
        .map(|l| l[0].y)
        .fold(f64::MIN, f64::max);
    let left = {
        // On how many pages lines start at each x.
        let mut counts: std::collections::HashMap<i64, usize> = Default::default();
        for page in &lines {
            let mut starts: Vec<i64> = page.iter().map(|l| l[0].x.round() as i64).collect();
            starts.sort_unstable();
            starts.dedup();
            for x in starts {
                *counts.entry(x).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .max_by_key(|&(x, n)| (n, -x))
            .map_or(0.0, |(x, _)| x as f64)
    };
    let height = pages.iter().map(|p| p.height).fold(0.0, f64::max);
    let mut placements: Vec<Placement> = Vec::with_capacity(pages.len());
    let mut sheet = 0;
    for (i, page_lines) in lines.iter().enumerate() {
        let Some(previous) = placements.last().copied() else {
            placements.push(Placement {
                sheet: 0,
                strip: 0,
                band: 0,
                dx: 0.0,
                dy: 0.0,
            });
            continue;
        };
        let Some(first) = page_lines.first() else {
            // An empty page adds nothing where it goes.
            placements.push(previous);
            continue;
        };
        let cut = page_lines.iter().any(|l| l[0].x < left - size * 0.1);
        let below_top = first[0].y > top + size * 0.5;
        let previous_full = lines[i - 1]
            .last()
            .is_some_and(|l| l[0].y >= bottom - size * 2.0);
        let (strip, band) = if cut || below_top {
            (previous.strip + 1, 0)
        } else if previous_full {
            (previous.strip, previous.band + 1)
        } else {
            sheet += 1;
            (0, 0)
        };
        placements.push(Placement {
            sheet,
            strip,
            band,
            dx: 0.0,
            dy: band as f64 * height,
        });
    }
    strip_offsets(&mut placements, &lines, left, size);
    let sheets = placements.last().map_or(0, |p| p.sheet + 1);
    let mut out: Vec<PageContent> = (0..sheets).map(|_| PageContent::default()).collect();
    for ((page, page_lines), p) in pages.iter().zip(lines).zip(&placements) {
        let layout = &mut out[p.sheet];
        layout.width = layout.width.max(page.width + p.dx);
        layout.height = layout.height.max(page.height + p.dy);
        layout
            .chars
            .extend(page_lines.into_iter().flatten().map(|mut c| {
                c.x += p.dx;
                c.y += p.dy;
                c
            }));
        // Text along other directions is kept where it is.
        layout.chars.extend(
            page.chars
                .iter()
                .filter(|c| !c.is_horizontal())
                .cloned()
                .map(|mut c| {
                    c.x += p.dx;
                    c.y += p.dy;
                    c
                }),
        );
    }
    (out, placements)
}

/// Moves each strip right by the width of the one before it: measured on
/// text cut by the boundary (its end on one page, its start on the next)
/// where there is some, else by how far the previous strip's text reaches.
fn strip_offsets(placements: &mut [Placement], lines: &[Vec<Vec<TextChar>>], left: f64, size: f64) {
    let end_of = |l: &[TextChar]| l.iter().map(|c| c.x + c.advance).fold(f64::MIN, f64::max);
    for i in 0..placements.len() {
        let here = placements[i];
        if here.strip == 0 || here.band != 0 {
            continue;
        }
        let before: Vec<usize> = (0..i)
            .filter(|&j| placements[j].sheet == here.sheet && placements[j].strip + 1 == here.strip)
            .collect();
        let after: Vec<usize> = (i..placements.len())
            .filter(|&j| placements[j].sheet == here.sheet && placements[j].strip == here.strip)
            .collect();
        let mut cuts: Vec<f64> = Vec::new();
        for &j in &after {
            for line in lines[j].iter().filter(|l| l[0].x < left - size * 0.1) {
                let same_band = before
                    .iter()
                    .filter(|&&k| placements[k].band == placements[j].band);
                for &k in same_band {
                    // Where the text on that baseline stops on the page before.
                    let end = lines[k]
                        .iter()
                        .flatten()
                        .filter(|c| (c.y - line[0].y).abs() < 0.5)
                        .map(|c| c.x + c.advance)
                        .fold(f64::NAN, f64::max);
                    if end.is_finite() {
                        cuts.push(end - line[0].x);
                    }
                }
            }
        }
        cuts.sort_by(f64::total_cmp);
        let width = cuts.get(cuts.len() / 2).copied().unwrap_or_else(|| {
            let reach = before
                .iter()
                .flat_map(|&k| lines[k].iter().map(|l| end_of(l)))
                .fold(left, f64::max);
            reach - left + size * 0.5
        });
        let dx = placements[before[0]].dx + width;
        for &j in &after {
            placements[j].dx = dx;
        }
    }
}

/// Whether a run is a number as a spreadsheet prints it (`3,878,604`,
/// `-1.5`, `85%`): printed at the right of its cell.
pub(super) fn is_number(run: &[TextChar]) -> bool {
    let text: String = run.iter().map(|c| c.text.as_str()).collect();
    let text = text.trim();
    text.chars().any(|c| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || ",.-+%△▲ ".contains(c))
}

/// Column boundaries from the left edges of text runs, for pages without
/// rules: every edge where at least two runs start. Numbers, printed at the
/// right of their cells, make none.
pub(super) fn alignment_columns(pages: &[PageContent]) -> Vec<f64> {
    let mut starts = Vec::new();
    for page in pages {
        for line in lines_of(page.chars.clone()) {
            for run in runs(line) {
                // A number printed right beside the text of the next cell
                // (`1` before a name) starts no column itself.
                let gap_after = |i: usize| {
                    run.get(i + 1)
                        .is_some_and(|c| c.x - (run[i].x + run[i].advance) > c.size * 0.15)
                };
                let lead = (0..run.len()).find(|&i| gap_after(i) && is_number(&run[..=i]));
                match lead {
                    Some(i) => starts.push(run[i + 1].x),
                    None if !is_number(&run) => starts.push(run[0].x),
                    None => {}
                }
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
pub(super) fn margin_key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

/// 1 for the top tenth of a page, 2 for the bottom tenth, 0 otherwise.
pub(super) fn margin_zone(top: f64, height: f64) -> u8 {
    if top < height * 0.1 {
        1
    } else if top > height * 0.9 {
        2
    } else {
        0
    }
}

/// Page headers and footers: free lines in a page's top or bottom tenth
/// that every page repeats (digits aside), or that are only a page number
/// on at least half the pages.
pub(super) fn repeated_margins(pages: &[PageContent]) -> Vec<(String, u8)> {
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
            // A number alone at the top of one page is a cell (a strip
            // of a wide sheet may start with one), not a page number.
            (page_number && on.len() * 2 >= pages.len())
                || (pages.len() >= 2 && on.len() == pages.len())
        })
        .map(|(k, _)| k)
        .collect()
}

/// A row of text without rules: its top, where its first run starts, and
/// its cells as (column, region).
pub(super) type FreeRow = (f64, f64, Vec<(usize, usize)>);

/// Text without rules as cells: each line's runs (split where a column of
/// the alignment starts) go to the columns where they start, and a run
/// continues the cell above it in its column when it starts at the same
/// place one line pitch lower (a wrapped or broken line inside one cell:
/// lines of a cell stand closer than the rows of a sheet, and never closer
/// than the font size). Returns the rows as (top, first run's x, cells).
pub(super) fn free_cells(
    free: Vec<TextChar>,
    columns: &[f64],
    regions: &mut Vec<Region>,
) -> Vec<FreeRow> {
    let mut out = Vec::new();
    // The cell each column is filling: (region, start, last baseline).
    let mut open: std::collections::HashMap<usize, (usize, f64, f64)> = Default::default();
    for line in lines_of(free) {
        let top = line.iter().map(|c| c.y - c.size).fold(f64::MAX, f64::min);
        let start = line[0].x;
        let mut cells = Vec::new();
        for run in runs(line)
            .into_iter()
            .flat_map(|run| split_at_columns(run, columns))
        {
            let x = run[0].x;
            let (baseline, size) = (run[0].y, run[0].size);
            let right = run.iter().map(|c| c.x + c.advance).fold(x, f64::max);
            // Numbers stand at the right of their cell, text at the left.
            let column = if is_number(&run) {
                columns.partition_point(|&b| b < right - SNAP)
            } else {
                columns.partition_point(|&b| b <= x + SNAP)
            };
            if let Some(&(region, x0, above)) = open.get(&column) {
                let pitch = baseline - above;
                if (x - x0).abs() <= SNAP && pitch > size * 0.95 && pitch <= size * 1.26 {
                    regions[region].pieces[0].extend(run);
                    regions[region].right = regions[region].right.max(right);
                    open.insert(column, (region, x0, baseline));
                    continue;
                }
            }
            regions.push(Region {
                pieces: vec![run],
                left: x,
                right,
                right_column: Some(FREE_COLUMN + column),
            });
            open.insert(column, (regions.len() - 1, x, baseline));
            cells.push((column, regions.len() - 1));
        }
        if !cells.is_empty() {
            out.push((top, start, cells));
        }
    }
    out
}

/// A run split where a character starts a column of the alignment (a
/// boundary from [`alignment_columns`]) after a gap wider than the spacing
/// inside text: a full cell beside the next one, which printed without
/// borders leaves only that gap.
pub(super) fn split_at_columns(run: Vec<TextChar>, columns: &[f64]) -> Vec<Vec<TextChar>> {
    let mut out: Vec<Vec<TextChar>> = Vec::new();
    for c in run {
        let starts_column = || {
            let i = columns.partition_point(|&b| b < c.x - SNAP);
            columns.get(i).is_some_and(|&b| b <= c.x + SNAP)
        };
        match out.last_mut() {
            Some(part) => {
                let last = part.last().expect("parts are never empty");
                let gap = c.x - (last.x + last.advance);
                if gap > c.size * 0.15 && starts_column() {
                    out.push(vec![c]);
                } else {
                    part.push(c);
                }
            }
            None => out.push(vec![c]),
        }
    }
    out
}
