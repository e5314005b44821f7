//! A check of a legacy `.xls` workbook before calamine reads it.
//!
//! calamine reads every worksheet of an `.xls` when it opens the file, and
//! trusts the compound file's sector chains and the worksheets' records:
//!
//! - a directory or stream whose sector chain loops back on itself, with a
//!   declared length beyond the file, is read round and round until memory
//!   runs out;
//! - a worksheet's `DIMENSIONS` record makes it reserve room for
//!   rows × columns cells, and its cells are laid out in the rectangle
//!   from the first to the last cell position (up to 65,536 × 65,536).
//!
//! This module reads the compound file the way calamine does, follows the
//! same chains with a bound on their length, and counts the cells each
//! worksheet would take, so that a hostile file fails with an error instead
//! of exhausting memory. Anything it cannot make sense of is left for
//! calamine to report.

use std::collections::HashMap;

use super::error::WorkbookError;
use super::numfmt::{Display, ShownCells};
use crate::limits::Limits;
use crate::model::Format;

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// Sector ids from here up are markers, not sectors.
const RESERVED: u32 = 0xFFFF_FFFA;
/// Streams below this length live in the mini stream.
const MINI_CUTOFF: u64 = 4096;

/// Checks the compound file and the worksheets' cell counts.
pub fn check(bytes: &[u8], limits: &Limits) -> Result<(), WorkbookError> {
    let Some(cfb) = Cfb::open(bytes)? else {
        return Ok(());
    };
    let Some(stream) = cfb.workbook_stream()? else {
        return Ok(());
    };
    check_worksheets(&stream, limits.grid.max_cells)
}

fn corrupt(detail: impl Into<String>) -> WorkbookError {
    WorkbookError::Corrupt {
        format: Format::Xls,
        detail: detail.into(),
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// The parts of a compound file calamine reads.
struct Cfb<'a> {
    bytes: &'a [u8],
    sector_size: usize,
    /// The highest sector id calamine accepts.
    max_id: u32,
    fat: Vec<u32>,
    /// Directory entries: name, start sector, length.
    entries: Vec<(String, u32, u64)>,
    mini_fat: Vec<u32>,
    mini_stream: Vec<u8>,
}

impl<'a> Cfb<'a> {
    /// Reads the header, the allocation table and the directory; `None`
    /// when calamine would refuse the header itself.
    fn open(bytes: &'a [u8]) -> Result<Option<Cfb<'a>>, WorkbookError> {
        if bytes.len() < 512 {
            return Ok(None);
        }
        let sector_size = match u16_at(bytes, 30) {
            Some(9) => 512,
            Some(12) => 4096,
            _ => return Ok(None),
        };
        if bytes.len() < sector_size {
            return Ok(None);
        }
        let max_id = u32::try_from(bytes.len() / sector_size).unwrap_or(u32::MAX);
        let mut cfb = Cfb {
            bytes,
            sector_size,
            max_id,
            fat: Vec::new(),
            entries: Vec::new(),
            mini_fat: Vec::new(),
            mini_stream: Vec::new(),
        };
        // The allocation table's sectors: 109 in the header, more in a
        // chain of DIFAT sectors, each ending with the next one's id.
        let mut difat: Vec<u32> = (0..109).filter_map(|i| u32_at(bytes, 76 + 4 * i)).collect();
        let mut id = u32_at(bytes, 68).unwrap_or(END_OF_CHAIN);
        let mut steps = 0u32;
        while id < RESERVED {
            steps += 1;
            if steps > max_id.saturating_add(1) {
                return Ok(None); // calamine stops here with an error
            }
            let Some(sector) = cfb.sector(id)? else {
                return Ok(None);
            };
            difat.extend(
                sector
                    .chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            );
            id = difat.pop().unwrap_or(END_OF_CHAIN);
        }
        // calamine reads every listed sector into the table, repeats and
        // all: more of them than the file has sectors would make the table
        // many times the file's size.
        difat.retain(|&id| id < 0xFFFF_FFFC);
        if difat.len() > max_id as usize + 1 {
            return Err(corrupt(format!(
                "its allocation table lists {} sectors, more than the file's {}",
                difat.len(),
                max_id as usize + 1
            )));
        }
        for id in difat {
            let Some(sector) = cfb.sector(id)? else {
                return Ok(None);
            };
            cfb.fat.extend(
                sector
                    .chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            );
        }
        // The directory is read to the end of its chain, whatever its length.
        let dir_start = u32_at(bytes, 48).unwrap_or(END_OF_CHAIN);
        let Some(dirs) = cfb.chain(dir_start, u64::MAX, "the directory")? else {
            return Ok(None);
        };
        let large = sector_size == 4096;
        cfb.entries = dirs
            .chunks_exact(128)
            .map(|e| {
                let units: Vec<u16> = e[..64]
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .take_while(|&u| u != 0)
                    .collect();
                let name = String::from_utf16_lossy(&units);
                let start = u32_at(e, 116).unwrap_or(END_OF_CHAIN);
                let len = if large {
                    u64_at(e, 120).unwrap_or(0)
                } else {
                    u64::from(u32_at(e, 120).unwrap_or(0))
                };
                (name, start, len)
            })
            .collect();
        let Some(&(_, root_start, root_len)) = cfb.entries.first() else {
            return Ok(None);
        };
        let mini_fat_len = u64::from(u32_at(bytes, 64).unwrap_or(0));
        if mini_fat_len > 0 {
            let Some(mini_stream) = cfb.chain(root_start, root_len, "the mini stream")? else {
                return Ok(None);
            };
            let mini_fat_start = u32_at(bytes, 60).unwrap_or(END_OF_CHAIN);
            let mini_fat_bytes = mini_fat_len.saturating_mul(sector_size as u64);
            let Some(mini_fat) = cfb.chain(mini_fat_start, mini_fat_bytes, "the mini FAT")? else {
                return Ok(None);
            };
            cfb.mini_stream = mini_stream;
            cfb.mini_fat = mini_fat
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
        }
        Ok(Some(cfb))
    }

    /// Sector `id`, cut short at the end of the file; `None` past the ids
    /// calamine accepts. A sector that starts past the end of the file is
    /// a workbook cut short (calamine would panic slicing it, found by the
    /// fuzzer).
    fn sector(&self, id: u32) -> Result<Option<&'a [u8]>, WorkbookError> {
        if id > self.max_id {
            return Ok(None);
        }
        let Some(start) = (id as usize + 1).checked_mul(self.sector_size) else {
            return Ok(None);
        };
        if start > self.bytes.len() {
            return Err(WorkbookError::Truncated {
                format: Format::Xls,
                size: self.bytes.len(),
            });
        }
        let end = start.saturating_add(self.sector_size).min(self.bytes.len());
        Ok(Some(&self.bytes[start..end]))
    }

    /// A stream's bytes, following its chain in the allocation table until
    /// `len` bytes or the end of the chain, as calamine does. A chain that
    /// comes back on itself before either is an error, as it would make
    /// calamine read forever. `None` where calamine stops with an error.
    fn chain(&self, start: u32, len: u64, what: &str) -> Result<Option<Vec<u8>>, WorkbookError> {
        let mut out = Vec::new();
        let mut id = start;
        let mut steps = 0usize;
        // A chain without a loop visits each sector at most once.
        let most = self.fat.len().min(self.max_id as usize + 1).max(1);
        while id != END_OF_CHAIN {
            steps += 1;
            if steps > most {
                return Err(corrupt(format!(
                    "the sectors of {what} form a loop (sector {id} comes back)"
                )));
            }
            let Some(sector) = self.sector(id)? else {
                return Ok(None);
            };
            let remaining =
                usize::try_from(len.saturating_sub(out.len() as u64)).unwrap_or(usize::MAX);
            out.extend_from_slice(&sector[..sector.len().min(remaining)]);
            if out.len() as u64 >= len {
                break;
            }
            let Some(&next) = self.fat.get(id as usize) else {
                return Ok(None);
            };
            id = next;
        }
        Ok(Some(out))
    }

    /// A stream in the mini stream (64-byte sectors), read as calamine does.
    fn mini_chain(&self, start: u32, len: u64) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let mut id = start;
        let mut steps = 0usize;
        while id != END_OF_CHAIN && (out.len() as u64) < len {
            steps += 1;
            if steps > self.mini_fat.len().max(1) {
                return None;
            }
            let from = (id as usize).checked_mul(64)?;
            let sector = self
                .mini_stream
                .get(from..from.saturating_add(64).min(self.mini_stream.len()))?;
            let remaining = (len - out.len() as u64) as usize;
            out.extend_from_slice(&sector[..sector.len().min(remaining)]);
            id = *self.mini_fat.get(id as usize)?;
        }
        Some(out)
    }

    /// The `Workbook` stream (or `Book`, in BIFF5 files), found by name as
    /// calamine finds it.
    fn workbook_stream(&self) -> Result<Option<Vec<u8>>, WorkbookError> {
        for wanted in ["Workbook", "Book"] {
            let Some(&(_, start, len)) = self
                .entries
                .iter()
                .find(|(name, _, _)| name.eq_ignore_ascii_case(wanted))
            else {
                continue;
            };
            return if len < MINI_CUTOFF {
                Ok(self.mini_chain(start, len))
            } else {
                self.chain(start, len, "the workbook stream")
            };
        }
        Ok(None)
    }
}

/// One BIFF record: type and data (`CONTINUE` records are skipped, as
/// calamine appends them to the record before).
fn records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        loop {
            let typ = u16_at(rest, 0)?;
            let len = u16_at(rest, 2)? as usize;
            let data = rest.get(4..4 + len)?;
            rest = &rest[4 + len..];
            if typ != 0x003C {
                return Some((typ, data));
            }
        }
    })
}

/// The bounding rectangle of cell positions.
#[derive(Default)]
struct Bounds(Option<(u32, u32, u32, u32)>);

impl Bounds {
    fn add(&mut self, row: u32, col: u32) {
        self.0 = Some(match self.0 {
            None => (row, row, col, col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
        });
    }

    fn cells(&self) -> u64 {
        self.0.map_or(0, |(r0, r1, c0, c1)| {
            u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1)
        })
    }
}

/// Counts, for every worksheet the globals list, the cells calamine would
/// reserve and lay out.
fn check_worksheets(stream: &[u8], limit: usize) -> Result<(), WorkbookError> {
    let limit = limit as u64;
    let mut sheets = Vec::new();
    for (typ, data) in records(stream) {
        match typ {
            // FilePass: encrypted; calamine says so.
            0x002F if u16_at(data, 0) != Some(0) => return Ok(()),
            // BoundSheet8: where a sheet's records start, and its name.
            0x0085 => {
                if let Some(pos) = u32_at(data, 0) {
                    sheets.push((pos as usize, sheet_name(data)));
                }
            }
            0x000A => break,
            _ => {}
        }
    }
    // Each sheet's records are read from where the globals say it starts to
    // its end; in a real workbook the sheets do not overlap, so all of them
    // together are read once. Sheets that all start at the same place would
    // have the stream read over and over.
    let mut budget = stream.len();
    for (pos, name) in sheets {
        let Some(records_from) = stream.get(pos..) else {
            continue;
        };
        let mut bounds = Bounds::default();
        let mut reserved = 0u64;
        let mut seen_bof = false;
        let mut depth = 0usize;
        for (typ, data) in records(records_from) {
            budget = budget.checked_sub(4 + data.len()).ok_or_else(|| {
                corrupt("its worksheets' records overlap, so they would be read over and over")
            })?;
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let at = |min_len: usize| -> Option<(u32, u32)> {
                (data.len() >= min_len)
                    .then(|| Some((u32::from(u16_at(data, 0)?), u32::from(u16_at(data, 2)?))))
                    .flatten()
            };
            let cell = match typ {
                0x0809 => {
                    if seen_bof {
                        depth += 1;
                    }
                    seen_bof = true;
                    None
                }
                0x0200 => {
                    reserved = reserved.max(dimensions(data));
                    None
                }
                0x0203 => at(14),
                0x0204 | 0x00D6 => at(6),
                0x0205 => at(8),
                0x027E | 0x00FD => at(10),
                0x0006 => at(20),
                0x00BD => {
                    // MulRk: a row of cells from the first to the last column.
                    if let (Some((row, first)), Some(last)) =
                        (at(6), u16_at(data, data.len().saturating_sub(2)))
                    {
                        let count = last.wrapping_sub(first as u16).wrapping_add(1) as usize;
                        if data.len() == 6 + 6 * count {
                            bounds.add(row, first);
                            bounds.add(row, u32::from(last));
                        }
                    }
                    None
                }
                0x000A => break,
                _ => None,
            };
            if let Some((row, col)) = cell {
                bounds.add(row, col);
            }
        }
        let cells = reserved.max(bounds.cells());
        if cells > limit {
            return Err(WorkbookError::TooManyCells {
                worksheet: name,
                found: cells,
                limit: limit as usize,
            });
        }
    }
    Ok(())
}

/// The number cells of every worksheet whose page shows another value than
/// they store (percentages, numbers shown rounded; see [`super::numfmt`]), by
/// worksheet name and (0-based) position, at most `limit` in all.
/// calamine reads `.xls` number formats only to tell dates, so they are read
/// here from the `FORMAT` and `XF` records and each cell's format index.
pub fn shown(bytes: &[u8], limit: usize) -> ShownCells {
    let mut out = ShownCells::new();
    let Ok(Some(cfb)) = Cfb::open(bytes) else {
        return out;
    };
    let Ok(Some(stream)) = cfb.workbook_stream() else {
        return out;
    };
    let mut codes: HashMap<u16, String> = HashMap::new();
    let mut xfs: Vec<u16> = Vec::new();
    let mut sheets = Vec::new();
    let mut biff8 = false;
    for (typ, data) in records(&stream) {
        match typ {
            0x0809 => biff8 = u16_at(data, 0) == Some(0x0600),
            // Format: its index and code (an XLUnicodeString, BIFF8 only).
            0x041E if biff8 => {
                if let (Some(index), Some(cch), Some(&flags)) =
                    (u16_at(data, 0), u16_at(data, 2), data.get(4))
                {
                    let chars = data.get(5..).unwrap_or(&[]);
                    let code = if flags & 1 == 1 {
                        let units: Vec<u16> = chars
                            .chunks_exact(2)
                            .take(cch as usize)
                            .map(|c| u16::from_le_bytes([c[0], c[1]]))
                            .collect();
                        String::from_utf16_lossy(&units)
                    } else {
                        chars
                            .iter()
                            .take(cch as usize)
                            .map(|&b| b as char)
                            .collect()
                    };
                    codes.insert(index, code);
                }
            }
            // XF: the format index of each cell style, in order.
            0x00E0 => xfs.push(u16_at(data, 2).unwrap_or(0)),
            0x0085 => {
                if let Some(pos) = u32_at(data, 0) {
                    sheets.push((pos as usize, sheet_name(data)));
                }
            }
            0x000A => break,
            _ => {}
        }
    }
    let displays: Vec<Option<Display>> = xfs
        .iter()
        .map(|index| {
            let code = codes
                .get(index)
                .map(String::as_str)
                .or(builtin_format(*index))?;
            Display::of(code).filter(|d| d.can_change())
        })
        .collect();
    if displays.iter().all(Option::is_none) {
        return out;
    }
    let mut found = 0usize;
    let mut budget = stream.len();
    for (pos, name) in sheets {
        let Some(from) = stream.get(pos..) else {
            continue;
        };
        let mut cells = Vec::new();
        let mut push = |row: u16, col: u16, xf: u16, value: f64| {
            if let Some(Some(display)) = displays.get(xf as usize)
                && let Some(cell) = display.show(value)
                && found < limit
            {
                found += 1;
                cells.push(((u32::from(row), u32::from(col)), cell));
            }
        };
        let mut bofs = 0;
        for (typ, data) in records(from) {
            // Sheets that overlap are read once at most, as in the check.
            let Some(left) = budget.checked_sub(4 + data.len()) else {
                break;
            };
            budget = left;
            let head = || Some((u16_at(data, 0)?, u16_at(data, 2)?, u16_at(data, 4)?));
            match typ {
                0x0809 => {
                    bofs += 1;
                    if bofs > 1 {
                        break;
                    }
                }
                0x000A => break,
                // Number.
                0x0203 => {
                    if let (Some((r, c, xf)), Some(bits)) = (head(), u64_at(data, 6)) {
                        push(r, c, xf, f64::from_bits(bits));
                    }
                }
                // RK.
                0x027E => {
                    if let (Some((r, c, xf)), Some(rk)) = (head(), u32_at(data, 6)) {
                        push(r, c, xf, rk_value(rk));
                    }
                }
                // MulRk: (format, RK) pairs from the first column on.
                0x00BD => {
                    if let (Some(r), Some(first)) = (u16_at(data, 0), u16_at(data, 2)) {
                        let pairs = data.get(4..data.len().saturating_sub(2)).unwrap_or(&[]);
                        for (k, pair) in pairs.chunks_exact(6).enumerate() {
                            if let (Some(xf), Some(rk)) = (u16_at(pair, 0), u32_at(pair, 2)) {
                                push(r, first.wrapping_add(k as u16), xf, rk_value(rk));
                            }
                        }
                    }
                }
                // Formula: a number result unless its last two bytes are
                // 0xFFFF (text, a boolean, an error or empty).
                0x0006 => {
                    if let (Some((r, c, xf)), Some(bits)) = (head(), u64_at(data, 6))
                        && u16_at(data, 12) != Some(0xFFFF)
                    {
                        push(r, c, xf, f64::from_bits(bits));
                    }
                }
                _ => {}
            }
        }
        if !cells.is_empty() {
            out.entry(name).or_default().extend(cells);
        }
    }
    out
}

/// An RK number: an integer or the high 30 bits of a double, either
/// perhaps divided by 100.
fn rk_value(rk: u32) -> f64 {
    let value = if rk & 2 != 0 {
        f64::from((rk as i32) >> 2)
    } else {
        f64::from_bits(u64::from(rk & 0xFFFF_FFFC) << 32)
    };
    if rk & 1 != 0 { value / 100.0 } else { value }
}

/// The built-in number formats that can change a value (ECMA-376 18.8.30).
fn builtin_format(index: u16) -> Option<&'static str> {
    Some(match index {
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        37 | 38 => "#,##0 ;(#,##0)",
        39 | 40 => "#,##0.00;(#,##0.00)",
        _ => return None,
    })
}

/// The rows × columns a `DIMENSIONS` record makes calamine reserve, with
/// calamine's own arithmetic.
fn dimensions(data: &[u8]) -> u64 {
    let fields = match data.len() {
        10 => (|| {
            Some((
                u32::from(u16_at(data, 0)?),
                u32::from(u16_at(data, 2)?),
                u32::from(u16_at(data, 4)?),
                u32::from(u16_at(data, 6)?),
            ))
        })(),
        14 | 16 => (|| {
            Some((
                u32_at(data, 0)?,
                u32_at(data, 4)?,
                u32::from(u16_at(data, 8)?),
                u32::from(u16_at(data, 10)?),
            ))
        })(),
        _ => None,
    };
    let Some((row_first, row_last, mut col_first, col_last)) = fields else {
        return 0;
    };
    if col_first > 0xFF || col_last < col_first {
        col_first = 0;
    }
    let (start, end) = if row_last >= 1 && col_last >= 1 {
        ((row_first, col_first), (row_last - 1, col_last - 1))
    } else {
        ((row_first, col_first), (row_first, col_first))
    };
    let rows = end.0.wrapping_sub(start.0).wrapping_add(1);
    let cols = end.1.wrapping_sub(start.1).wrapping_add(1);
    u64::from(rows).saturating_mul(u64::from(cols))
}

/// A BoundSheet8 record's sheet name (BIFF8: a short Unicode string; older
/// files: bytes in the workbook's code page, shown as Latin-1 here).
fn sheet_name(data: &[u8]) -> String {
    let Some(&cch) = data.get(6) else {
        return String::new();
    };
    let cch = cch as usize;
    match data.get(7) {
        Some(&1) => {
            let units: Vec<u16> = data
                .get(8..)
                .unwrap_or(&[])
                .chunks_exact(2)
                .take(cch)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        Some(&0) => data
            .get(8..)
            .unwrap_or(&[])
            .iter()
            .take(cch)
            .map(|&b| b as char)
            .collect(),
        _ => data
            .get(7..)
            .unwrap_or(&[])
            .iter()
            .take(cch)
            .map(|&b| b as char)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut out = typ.to_le_bytes().to_vec();
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
        out
    }

    fn number(row: u16, col: u16) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend(col.to_le_bytes());
        d.extend([0; 10]);
        record(0x0203, &d)
    }

    /// A workbook stream: globals with one BoundSheet8 named `S`, then the
    /// sheet's records.
    fn stream(sheet: &[Vec<u8>]) -> Vec<u8> {
        let bof = record(0x0809, &[0; 16]);
        let mut globals = bof.clone();
        // BoundSheet8 (4 + 9 bytes) and EOF (4) follow.
        let sheet_pos = (globals.len() + 13 + 4) as u32;
        let mut bound = sheet_pos.to_le_bytes().to_vec();
        bound.extend([0, 0, 1, 0, b'S']);
        globals.extend(record(0x0085, &bound));
        globals.extend(record(0x000A, &[]));
        let mut out = globals;
        out.extend(bof);
        for r in sheet {
            out.extend(r);
        }
        out.extend(record(0x000A, &[]));
        out
    }

    #[test]
    fn cell_positions_far_apart_are_too_many_cells() {
        let ok = stream(&[number(0, 0), number(99, 9)]);
        assert!(check_worksheets(&ok, 1000).is_ok());
        let far = stream(&[number(0, 0), number(65_535, 255)]);
        assert_eq!(
            check_worksheets(&far, 1000),
            Err(WorkbookError::TooManyCells {
                worksheet: "S".into(),
                found: 65_536 * 256,
                limit: 1000
            })
        );
    }

    #[test]
    fn sheets_starting_at_the_same_place_are_corrupt() {
        let mut s = stream(&[number(0, 0)]);
        // Nine more BoundSheet8 records, all pointing at the same sheet.
        let bound_at = 20;
        let bound: Vec<u8> = s[bound_at..bound_at + 13].to_vec();
        for _ in 0..9 {
            s.splice(bound_at..bound_at, bound.iter().copied());
        }
        // The sheet moved by 9 records of 13 bytes.
        let pos = u32::from_le_bytes(s[bound_at + 4..bound_at + 8].try_into().unwrap()) + 9 * 13;
        for k in 0..10 {
            let at = bound_at + k * 13 + 4;
            s[at..at + 4].copy_from_slice(&pos.to_le_bytes());
        }
        let err = check_worksheets(&s, 1000).unwrap_err();
        assert!(err.to_string().contains("overlap"), "{err}");
    }

    #[test]
    fn a_huge_dimensions_record_is_too_many_cells() {
        let mut dims = 0u32.to_le_bytes().to_vec();
        dims.extend(u32::MAX.to_le_bytes());
        dims.extend([0, 0, 0xff, 0xff, 0, 0]);
        let s = stream(&[record(0x0200, &dims), number(0, 0)]);
        assert!(matches!(
            check_worksheets(&s, 2_000_000),
            Err(WorkbookError::TooManyCells { .. })
        ));
    }

    #[test]
    fn the_real_workbook_passes() {
        let bytes = include_bytes!("../../../../fixtures/workbooks/iga-2022-workbook.xls");
        let cfb = Cfb::open(bytes).unwrap().unwrap();
        let stream = cfb.workbook_stream().unwrap().unwrap();
        assert!(stream.len() > 10_000);
        assert!(check(bytes, &Limits::default()).is_ok());
        // Its cells fit in a few thousand.
        assert!(matches!(
            check_worksheets(&stream, 100),
            Err(WorkbookError::TooManyCells { .. })
        ));
    }

    #[test]
    fn a_directory_chain_that_loops_is_corrupt() {
        let mut bytes =
            include_bytes!("../../../../fixtures/workbooks/iga-2022-workbook.xls").to_vec();
        let dir_start = u32_at(&bytes, 48).unwrap() as usize;
        // The first FAT sector's entry for the directory's first sector
        // points back at it.
        let fat0 = u32_at(&bytes, 76).unwrap() as usize;
        let at = (fat0 + 1) * 512 + 4 * dir_start;
        bytes[at..at + 4].copy_from_slice(&(dir_start as u32).to_le_bytes());
        let err = check(&bytes, &Limits::default()).unwrap_err();
        assert!(err.to_string().contains("form a loop"), "{err}");
    }
}
