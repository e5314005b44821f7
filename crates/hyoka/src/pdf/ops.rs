//! Content-stream operations read one at a time, every operator and operand
//! counted as it is read.
//!
//! The grammar is lopdf's (`lopdf::content::Content::decode`), so a good
//! stream gives the same operands, but nothing is collected: an operation is
//! read, drawn and dropped, and its operands' vector is reused. Every
//! operator and every object read (array elements and dictionary values
//! included) costs one unit of the file's operator budget before it is
//! allocated, one operation holds at most [`MAX_OPERANDS`] objects, and a
//! stream that stops parsing says at which byte.

use lopdf::{Dictionary, Object, StringFormat};

/// Objects one operation may hold, nested ones included: a real `TJ` array
/// holds a line's kerning, some hundreds.
pub const MAX_OPERANDS: usize = 1 << 16;

/// Arrays and dictionaries nested deeper than this do not parse (lopdf's
/// bound).
const MAX_DEPTH: usize = 100;

/// Literal strings nested deeper than this do not parse (lopdf's bound).
const MAX_PARENS: usize = 100;

/// Why reading stopped before the end of the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The bytes at this offset do not parse as an operation.
    Parse(usize),
    /// An operation with more than [`MAX_OPERANDS`] objects starts here.
    TooManyOperands(usize),
    /// The operator budget is spent.
    Budget,
}

/// The operations of one content stream.
pub struct Ops<'c> {
    data: &'c [u8],
    pos: usize,
    operands: Vec<Object>,
    /// Objects held by the operation being read.
    held: usize,
}

fn is_white(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0 | 0x0C)
}

fn is_delimiter(c: u8) -> bool {
    b"()<>[]{}/%".contains(&c)
}

fn is_regular(c: u8) -> bool {
    !is_white(c) && !is_delimiter(c)
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

impl<'c> Ops<'c> {
    pub fn new(data: &'c [u8]) -> Self {
        Ops {
            data,
            pos: 0,
            operands: Vec::new(),
            held: 0,
        }
    }

    /// The operands of the operation [`Ops::next_op`] returned last.
    pub fn operands(&self) -> &[Object] {
        &self.operands
    }

    /// The next operator, its operands in [`Ops::operands`]; `Ok(None)` at
    /// the end. `budget` is the file's operators and operands left.
    pub fn next_op(&mut self, budget: &mut u64) -> Result<Option<&'c [u8]>, Stop> {
        self.operands.clear();
        self.held = 0;
        self.skip_space_and_comments();
        if self.pos >= self.data.len() {
            return Ok(None);
        }
        let start = self.pos;
        match self.operation(budget) {
            Ok(op) => Ok(Some(op)),
            Err(Some(stop)) => Err(stop),
            Err(None) => Err(Stop::Parse(start)),
        }
    }

    fn operation(&mut self, budget: &mut u64) -> Result<&'c [u8], Option<Stop>> {
        let start = self.pos;
        if self.data[self.pos..].starts_with(b"BI") {
            self.pos += 2;
            self.inline_image(budget).map_err(|_| None)?;
            return Ok(b"BI");
        }
        loop {
            self.skip_white();
            let Some(&c) = self.data.get(self.pos) else {
                return Err(None);
            };
            if c == b'%' {
                // lopdf reads comments only before an operation.
                return Err(None);
            }
            if c.is_ascii_alphabetic() || b"*'\"".contains(&c) {
                if let Some(object) = self.keyword_object() {
                    self.push(object, budget, start)?;
                    continue;
                }
                let from = self.pos;
                while self
                    .data
                    .get(self.pos)
                    .is_some_and(|&c| c.is_ascii_alphanumeric() || b"*'\"".contains(&c))
                {
                    self.pos += 1;
                }
                self.charge(budget)?;
                let op = &self.data[from..self.pos];
                self.skip_white();
                return Ok(op);
            }
            let object = self.object(MAX_DEPTH, false, budget).map_err(|e| {
                e.map(|stop| match stop {
                    Stop::TooManyOperands(_) => Stop::TooManyOperands(start),
                    other => other,
                })
            })?;
            self.push(object, budget, start)?;
        }
    }

    fn push(&mut self, object: Object, budget: &mut u64, start: usize) -> Result<(), Option<Stop>> {
        self.held += 1;
        if self.held > MAX_OPERANDS {
            return Err(Some(Stop::TooManyOperands(start)));
        }
        self.charge(budget)?;
        self.operands.push(object);
        Ok(())
    }

    fn charge(&mut self, budget: &mut u64) -> Result<(), Option<Stop>> {
        *budget = budget.checked_sub(1).ok_or(Some(Stop::Budget))?;
        Ok(())
    }

    /// `null`, `true` and `false` as operands (tried before operators, as
    /// lopdf does).
    fn keyword_object(&mut self) -> Option<Object> {
        let rest = &self.data[self.pos..];
        let (object, len) = if rest.starts_with(b"null") {
            (Object::Null, 4)
        } else if rest.starts_with(b"true") {
            (Object::Boolean(true), 4)
        } else if rest.starts_with(b"false") {
            (Object::Boolean(false), 5)
        } else {
            return None;
        };
        self.pos += len;
        Some(object)
    }

    fn skip_white(&mut self) {
        while self.data.get(self.pos).is_some_and(|&c| is_white(c)) {
            self.pos += 1;
        }
    }

    fn skip_space_and_comments(&mut self) {
        loop {
            self.skip_white();
            if self.data.get(self.pos) != Some(&b'%') {
                return;
            }
            while self
                .data
                .get(self.pos)
                .is_some_and(|&c| c != b'\n' && c != b'\r')
            {
                self.pos += 1;
            }
        }
    }

    /// One object and the space after it. `nested`: inside an array or a
    /// dictionary, where comments count as space and every element is held.
    fn object(
        &mut self,
        depth: usize,
        nested: bool,
        budget: &mut u64,
    ) -> Result<Object, Option<Stop>> {
        if depth == 0 {
            return Err(None);
        }
        let Some(&c) = self.data.get(self.pos) else {
            return Err(None);
        };
        let object = match c {
            b'n' | b't' | b'f' if nested => self.keyword_object().ok_or(None)?,
            b'0'..=b'9' | b'+' | b'-' | b'.' => self.number().ok_or(None)?,
            b'/' => Object::Name(self.name()),
            b'(' => Object::String(self.literal().ok_or(None)?, StringFormat::Literal),
            b'<' if self.data.get(self.pos + 1) == Some(&b'<') => {
                Object::Dictionary(self.dictionary(depth, budget)?)
            }
            b'<' => Object::String(self.hex_string().ok_or(None)?, StringFormat::Hexadecimal),
            b'[' => {
                self.pos += 1;
                self.skip_space_and_comments();
                let mut items = Vec::new();
                loop {
                    match self.data.get(self.pos) {
                        None => return Err(None),
                        Some(b']') => {
                            self.pos += 1;
                            break;
                        }
                        Some(_) => {
                            let item = self.object(depth - 1, true, budget)?;
                            self.held += 1;
                            if self.held > MAX_OPERANDS {
                                return Err(Some(Stop::TooManyOperands(0)));
                            }
                            self.charge(budget)?;
                            items.push(item);
                        }
                    }
                }
                Object::Array(items)
            }
            _ => return Err(None),
        };
        if nested {
            self.skip_space_and_comments();
        } else {
            self.skip_white();
        }
        Ok(object)
    }

    fn dictionary(&mut self, depth: usize, budget: &mut u64) -> Result<Dictionary, Option<Stop>> {
        self.pos += 2;
        self.skip_space_and_comments();
        let mut dict = Dictionary::new();
        loop {
            if self.data[self.pos..].starts_with(b">>") {
                self.pos += 2;
                return Ok(dict);
            }
            if self.data.get(self.pos) != Some(&b'/') {
                return Err(None);
            }
            let key = self.name();
            self.skip_space_and_comments();
            let value = self.object(depth - 1, true, budget)?;
            self.held += 1;
            if self.held > MAX_OPERANDS {
                return Err(Some(Stop::TooManyOperands(0)));
            }
            self.charge(budget)?;
            dict.set(key, value);
        }
    }

    /// lopdf's numbers: a real has a point (`1.`, `.5`, `-1.5`, and digits
    /// or `-` after it, which it drops), otherwise an integer that fits.
    fn number(&mut self) -> Option<Object> {
        let d = self.data;
        let start = self.pos;
        let mut i = start;
        if matches!(d.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let int_from = i;
        while d.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let int_digits = i - int_from;
        let is_real = d.get(i) == Some(&b'.')
            && (int_digits > 0 || d.get(i + 1).is_some_and(u8::is_ascii_digit));
        if is_real {
            i += 1;
            let fraction_from = i;
            while d.get(i).is_some_and(|&c| c == b'-' || c.is_ascii_digit()) {
                i += 1;
            }
            let text = &d[start..i];
            let value = if d[fraction_from..i].contains(&b'-') {
                let (sign, rest) = text.split_at(1);
                let mut digits = sign.to_vec();
                digits.extend(rest.iter().filter(|&&c| c != b'-'));
                std::str::from_utf8(&digits).ok()?.parse::<f32>().ok()?
            } else {
                std::str::from_utf8(text).ok()?.parse::<f32>().ok()?
            };
            self.pos = i;
            return Some(Object::Real(value));
        }
        if int_digits == 0 {
            return None;
        }
        let magnitude = d[int_from..i].iter().try_fold(0u64, |v, &c| {
            v.checked_mul(10)?.checked_add(u64::from(c - b'0'))
        })?;
        let value = if d[start] == b'-' {
            0i64.checked_sub_unsigned(magnitude)?
        } else {
            i64::try_from(magnitude).ok()?
        };
        self.pos = i;
        Some(Object::Integer(value))
    }

    fn name(&mut self) -> Vec<u8> {
        self.pos += 1;
        let mut bytes = Vec::new();
        while let Some(&c) = self.data.get(self.pos) {
            if c == b'#' {
                match (
                    self.data.get(self.pos + 1).copied().and_then(hex),
                    self.data.get(self.pos + 2).copied().and_then(hex),
                ) {
                    (Some(h), Some(l)) => {
                        bytes.push((h << 4) | l);
                        self.pos += 3;
                        continue;
                    }
                    _ => break,
                }
            }
            if !is_regular(c) {
                break;
            }
            bytes.push(c);
            self.pos += 1;
        }
        bytes
    }

    fn literal(&mut self) -> Option<Vec<u8>> {
        let d = self.data;
        let mut i = self.pos + 1;
        let mut out = Vec::new();
        let mut depth = 0usize;
        loop {
            match *d.get(i)? {
                b'(' => {
                    depth += 1;
                    if depth >= MAX_PARENS {
                        return None;
                    }
                    out.push(b'(');
                    i += 1;
                }
                b')' if depth == 0 => {
                    self.pos = i + 1;
                    return Some(out);
                }
                b')' => {
                    depth -= 1;
                    out.push(b')');
                    i += 1;
                }
                b'\r' => {
                    out.push(b'\n');
                    i += if d.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                }
                b'\n' => {
                    out.push(b'\n');
                    i += 1;
                }
                b'\\' => {
                    i += 1;
                    let c = *d.get(i)?;
                    match c {
                        b'0'..=b'7' => {
                            let mut v: u16 = 0;
                            let mut n = 0;
                            while n < 3 && d.get(i).is_some_and(|c| (b'0'..=b'7').contains(c)) {
                                v = v * 8 + u16::from(d[i] - b'0');
                                i += 1;
                                n += 1;
                            }
                            out.push(v as u8);
                        }
                        b'\r' => i += if d.get(i + 1) == Some(&b'\n') { 2 } else { 1 },
                        b'\n' => i += 1,
                        _ => {
                            out.push(match c {
                                b'n' => b'\n',
                                b'r' => b'\r',
                                b't' => b'\t',
                                b'b' => 0x08,
                                b'f' => 0x0C,
                                c => c,
                            });
                            i += 1;
                        }
                    }
                }
                c => {
                    out.push(c);
                    i += 1;
                }
            }
        }
    }

    fn hex_string(&mut self) -> Option<Vec<u8>> {
        let d = self.data;
        let mut i = self.pos + 1;
        let mut out = Vec::new();
        let mut high = true;
        loop {
            while d.get(i).is_some_and(|&c| is_white(c)) {
                i += 1;
            }
            let c = *d.get(i)?;
            if c == b'>' {
                self.pos = i + 1;
                return Some(out);
            }
            let v = hex(c)?;
            if high {
                out.push(v << 4);
            } else if let Some(last) = out.last_mut() {
                *last |= v;
            }
            high = !high;
            i += 1;
        }
    }

    /// `BI … ID data EI`: the dictionary, then the data, skipped by its
    /// size when that can be worked out (no filter), else up to `EI`.
    fn inline_image(&mut self, budget: &mut u64) -> Result<(), Option<Stop>> {
        self.skip_white();
        let mut dict = Dictionary::new();
        loop {
            self.skip_space_and_comments();
            if self.data[self.pos..].starts_with(b"ID") {
                self.pos += 2;
                break;
            }
            if self.data.get(self.pos) != Some(&b'/') {
                return Err(None);
            }
            let key = self.name();
            self.skip_space_and_comments();
            let value = self.object(MAX_DEPTH, true, budget)?;
            self.charge(budget)?;
            dict.set(key, value);
        }
        // One white-space byte (CR LF as one) separates ID from the data.
        if self.data[self.pos..].starts_with(b"\r\n") {
            self.pos += 2;
        } else if self.data.get(self.pos).is_some_and(|&c| is_white(c)) {
            self.pos += 1;
        }
        let rest = &self.data[self.pos..];
        let skip = match inline_image_len(&dict) {
            Some(len) if len <= rest.len() => {
                let after = &rest[len..];
                let white = after.iter().take_while(|&&c| is_white(c)).count();
                after[white..].starts_with(b"EI").then_some(len)
            }
            _ => None,
        };
        let end = match skip {
            Some(len) => {
                let white = rest[len..].iter().take_while(|&&c| is_white(c)).count();
                len + white + 2
            }
            None => {
                let at = rest
                    .windows(3)
                    .enumerate()
                    .find(|&(i, w)| {
                        is_white(w[0])
                            && &w[1..] == b"EI"
                            && rest.get(i + 3).is_none_or(|&c| is_white(c))
                    })
                    .map(|(i, _)| i)
                    .ok_or(None)?;
                at + 3
            }
        };
        self.pos += end;
        self.skip_white();
        Ok(())
    }
}

/// The bytes of an unfiltered inline image, from its dictionary.
fn inline_image_len(dict: &Dictionary) -> Option<usize> {
    let get = |short: &[u8], long: &[u8]| dict.get(short).or_else(|_| dict.get(long)).ok();
    if get(b"F", b"Filter").is_some() {
        return None;
    }
    let size = |short: &[u8], long: &[u8]| -> Option<usize> {
        usize::try_from(get(short, long)?.as_i64().ok()?).ok()
    };
    let (w, h) = (size(b"W", b"Width")?, size(b"H", b"Height")?);
    let mask = get(b"IM", b"ImageMask").and_then(|o| o.as_bool().ok()) == Some(true);
    let bpc = match size(b"BPC", b"BitsPerComponent") {
        Some(b) => b,
        None if mask => 1,
        None => return None,
    };
    let colors = if mask {
        1
    } else {
        match get(b"CS", b"ColorSpace")? {
            Object::Array(a)
                if matches!(a.first().map(Object::as_name), Some(Ok(b"Indexed" | b"I"))) =>
            {
                1
            }
            o => match o.as_name().ok()? {
                b"DeviceGray" | b"G" | b"Gray" => 1,
                b"DeviceRGB" | b"RGB" => 3,
                b"DeviceRGBA" | b"RGBA" | b"DeviceCMYK" | b"CMYK" => 4,
                _ => return None,
            },
        }
    };
    bpc.checked_mul(colors)
        .and_then(|b| w.checked_mul(b))
        .and_then(|bits| bits.div_ceil(8).checked_mul(h))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::content::Content;

    type Operations = Vec<(String, Vec<Object>)>;

    /// Every operation as lopdf reads it and as [`Ops`] does.
    fn both(data: &[u8]) -> (Operations, Operations) {
        let theirs = Content::decode_iter(data)
            .map_while(Result::ok)
            .map(|o| {
                // lopdf gives an inline image as its stream; ours is skipped.
                let operands = if o.operator == "BI" {
                    Vec::new()
                } else {
                    o.operands
                };
                (o.operator, operands)
            })
            .collect();
        let mut ops = Ops::new(data);
        let mut budget = u64::MAX;
        let mut ours = Vec::new();
        while let Ok(Some(op)) = ops.next_op(&mut budget) {
            ours.push((
                String::from_utf8(op.to_vec()).unwrap(),
                ops.operands().to_vec(),
            ));
        }
        (theirs, ours)
    }

    #[test]
    fn reads_what_lopdf_reads() {
        for data in [
            &b"BT /F1 10 Tf 2 0 0 2 100 700 Tm [(A) -1000 (B)] TJ ET"[..],
            b"q 1 0 0 1 .5 -3. cm 0 0 m 10 0 l S Q 0.1-2 w +4 w",
            b"/P <</MCID 3 /Alt (x\\)y)>> BDC (a(b)c\\101\\n\\\nd) Tj <4F 0a1> Tj EMC",
            b"% comment\n/Name#20x Do true false null 1 2 d0 T* ' \"",
            b"BI /W 2 /H 1 /BPC 8 /CS /G ID \x01\x02 EI Q (after) Tj",
            b"BT (unterminated",
            b"12345678901234567890123 w (x) Tj",
            b"[1 [2 [3]] <</A [4]>>] x",
        ] {
            let (theirs, ours) = both(data);
            assert_eq!(theirs, ours, "{}", String::from_utf8_lossy(data));
        }
    }

    #[test]
    fn reads_what_lopdf_reads_in_every_fixture() {
        // Every page's content and every form of the PDF fixtures: the
        // same operations, operands and all, so good PDFs read as before.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/pdf");
        let mut streams = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "pdf") {
                continue;
            }
            let Ok(doc) = lopdf::Document::load(&path) else {
                continue;
            };
            let mut contents: Vec<Vec<u8>> = Vec::new();
            for id in doc.page_iter() {
                contents.push(doc.get_page_content(id));
            }
            for object in doc.objects.values() {
                if let Ok(stream) = object.as_stream()
                    && stream.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form")
                    && let Ok(c) = stream.decompressed_content()
                {
                    contents.push(c);
                }
            }
            for content in contents {
                let (theirs, ours) = both(&content);
                assert!(!ours.is_empty(), "{}", path.display());
                assert_eq!(theirs, ours, "{}", path.display());
                streams += 1;
            }
        }
        assert!(streams > 50, "{streams}");
    }

    #[test]
    fn mutated_streams_never_panic_and_always_end() {
        // Random bytes changed, dropped or repeated in a real page's
        // content: every read ends (each operation consumes input or stops).
        let content = b"BT /F1 10 Tf 2 0 0 2 100 700 Tm [(A\\)) -1000 <4142>] TJ ET \
            q 1 0 0 1 .5 -3. cm 0 0 m 10 0 l S Q /P <</MCID 3>> BDC EMC \
            BI /W 2 /H 1 /BPC 8 /CS /G ID \x01\x02 EI % comment\n (x\\101\\\n) '";
        let mut seed = 1u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % n.max(1)
        };
        for _ in 0..5_000 {
            let mut data = content.to_vec();
            for _ in 0..1 + next(4) {
                let at = next(data.len());
                match next(3) {
                    0 => {
                        let bytes = b"()<>[]/%\\ \n0.-+BIEDT";
                        data[at] = bytes[next(bytes.len())];
                    }
                    1 => {
                        data.remove(at);
                    }
                    _ => {
                        let piece = data[at..(at + next(8)).min(data.len())].to_vec();
                        data.splice(at..at, piece.iter().copied().cycle().take(piece.len() * 50));
                    }
                }
            }
            let mut ops = Ops::new(&data);
            let mut budget = 1_000_000u64;
            let mut steps = 0;
            while let Ok(Some(_)) = ops.next_op(&mut budget) {
                steps += 1;
                assert!(steps <= data.len(), "no progress");
            }
        }
    }

    #[test]
    fn a_stream_that_stops_parsing_says_where() {
        let mut ops = Ops::new(b"BT (ok) Tj ET BT /F1 (unterminated");
        let mut budget = u64::MAX;
        let mut n = 0;
        let stop = loop {
            match ops.next_op(&mut budget) {
                Ok(Some(_)) => n += 1,
                Ok(None) => panic!("no error"),
                Err(stop) => break stop,
            }
        };
        assert_eq!((n, stop), (4, Stop::Parse(17)));
    }

    #[test]
    fn operators_and_operands_are_charged_and_capped() {
        let mut budget = 5;
        let mut ops = Ops::new(b"1 2 3 re n n n");
        assert_eq!(ops.next_op(&mut budget), Ok(Some(&b"re"[..])));
        assert_eq!(budget, 1);
        assert_eq!(ops.next_op(&mut budget), Ok(Some(&b"n"[..])));
        assert_eq!(ops.next_op(&mut budget), Err(Stop::Budget));

        let many = "1 ".repeat(MAX_OPERANDS + 1) + "re";
        let mut ops = Ops::new(many.as_bytes());
        let mut budget = u64::MAX;
        assert_eq!(ops.next_op(&mut budget), Err(Stop::TooManyOperands(0)));
        let nested = format!("q [{}] TJ", "1 ".repeat(MAX_OPERANDS + 1));
        let mut ops = Ops::new(nested.as_bytes());
        assert_eq!(ops.next_op(&mut budget), Ok(Some(&b"q"[..])));
        assert_eq!(ops.next_op(&mut budget), Err(Stop::TooManyOperands(2)));
    }
}
