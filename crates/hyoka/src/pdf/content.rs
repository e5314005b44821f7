//! The content-stream interpreter: a page's operators to positioned
//! characters and ruling lines.
//!
//! Long because: the graphics and text state machine of PDF content
//! (operators, the state stack, paths and clipping, text matrices, fonts'
//! widths, Form XObjects) with the budget charged at every step; its parts
//! share one frame of state and read best together.
//!
//! Coordinates leave here in "view" space: points, origin at the top-left
//! of the page as displayed (after `/Rotate`), y growing downwards. The
//! initial CTM maps user space there, so everything downstream reads a
//! page the way a person sees it.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::PdfError;
use super::font::{Font, Glyph};
use super::ops::{Ops, Stop};

/// A 2-D affine matrix `[a b c d e f]`, PDF convention (row vectors).
pub type Matrix = [f64; 6];

pub const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n`.
pub fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

pub fn apply(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

/// An axis-aligned rectangle in view space.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    fn around(points: impl Iterator<Item = (f64, f64)>) -> Option<Rect> {
        let mut r: Option<Rect> = None;
        for (x, y) in points {
            r = Some(match r {
                None => Rect {
                    x0: x,
                    y0: y,
                    x1: x,
                    y1: y,
                },
                Some(r) => Rect {
                    x0: r.x0.min(x),
                    y0: r.y0.min(y),
                    x1: r.x1.max(x),
                    y1: r.y1.max(y),
                },
            });
        }
        r
    }

    fn intersect(&self, o: &Rect) -> Rect {
        Rect {
            x0: self.x0.max(o.x0),
            y0: self.y0.max(o.y0),
            x1: self.x1.min(o.x1).max(self.x0.max(o.x0)),
            y1: self.y1.min(o.y1).max(self.y0.max(o.y0)),
        }
    }

    pub fn contains(&self, x: f64, y: f64) -> bool {
        const E: f64 = 0.01;
        x >= self.x0 - E && x <= self.x1 + E && y >= self.y0 - E && y <= self.y1 + E
    }
}

/// One character drawn, in view space.
#[derive(Debug, Clone, PartialEq)]
pub struct TextChar {
    /// Where the glyph starts on its baseline.
    pub x: f64,
    pub y: f64,
    /// The unit vector it advances along: `(1, 0)` for ordinary text.
    pub dir: (f64, f64),
    /// How far it advances.
    pub advance: f64,
    /// The font size as drawn.
    pub size: f64,
    /// Its characters.
    pub text: String,
    /// Whether it was drawn with a vertical (Identity-V) font, so its
    /// position is its top centre rather than its baseline start.
    pub vertical_font: bool,
}

impl TextChar {
    /// The glyph's centre.
    pub fn center(&self) -> (f64, f64) {
        let (mx, my) = (
            self.x + self.dir.0 * self.advance / 2.0,
            self.y + self.dir.1 * self.advance / 2.0,
        );
        if self.vertical_font {
            return (mx, my);
        }
        // Up is the advance turned a quarter anticlockwise on the page
        // (y grows downwards); the glyph body sits about a third of the
        // size above its baseline.
        let up = (self.dir.1, -self.dir.0);
        (mx + up.0 * self.size * 0.35, my + up.1 * self.size * 0.35)
    }

    /// Whether it reads left to right on a horizontal line.
    pub fn is_horizontal(&self) -> bool {
        !self.vertical_font && self.dir.0 > 0.9
    }
}

/// A ruling line: horizontal (`y` fixed, `from..to` in x) or vertical.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub at: f64,
    pub from: f64,
    pub to: f64,
}

/// What a page draws, in view space.
#[derive(Debug, Clone, Default)]
pub struct PageContent {
    pub width: f64,
    pub height: f64,
    pub chars: Vec<TextChar>,
    pub horizontal: Vec<Rule>,
    pub vertical: Vec<Rule>,
    /// Fonts that drew glyphs with no known characters.
    pub unmapped_fonts: Vec<String>,
    pub unmapped_glyphs: usize,
    /// Images drawn (image XObjects and inline images).
    pub images: usize,
    /// Where the page's content first stopped parsing, if it did: what a
    /// page without text says instead of "a scan".
    pub unreadable: Option<String>,
}

/// How much drawing one file may cost: content bytes unpacked, counted
/// every time a stream is drawn (a form drawn 1,000 times counts 1,000
/// times, a stream a page's `/Contents` names 40 times counts 40 times), so
/// nested forms cannot multiply work without bound; and operators, operands
/// and glyphs read, counted the same way.
pub struct Budget {
    pub stream_bytes_left: u64,
    pub limit: u64,
    /// Operators, operands and glyphs still allowed.
    pub operators_left: u64,
    pub operators_limit: u64,
}

impl Budget {
    /// A budget of `limits` for one file.
    pub fn new(limits: &crate::limits::PdfLimits) -> Budget {
        Budget {
            stream_bytes_left: limits.max_stream_bytes,
            limit: limits.max_stream_bytes,
            operators_left: limits.max_operators,
            operators_limit: limits.max_operators,
        }
    }

    /// Charges `bytes` of content.
    pub fn charge(&mut self, bytes: usize) -> Result<(), PdfError> {
        let bytes = bytes as u64;
        if bytes > self.stream_bytes_left {
            return Err(PdfError::TooMuchContent {
                limit: self.limit,
                page: None,
            });
        }
        self.stream_bytes_left -= bytes;
        Ok(())
    }

    /// Unpacks a content stream within what is left, and charges it.
    ///
    /// A stream over 1 MiB unpacked is, when it is plain Flate, inflated
    /// twice: once to count, once into a buffer of exactly that size, so a
    /// 120 MiB stream holds 120 MiB, not the 190 MiB and more a doubling
    /// buffer reaches (the stream over the budget is refused after the
    /// count, holding nothing).
    pub fn unpack(&mut self, stream: &lopdf::Stream) -> Result<Option<Vec<u8>>, PdfError> {
        const SMALL: usize = 1 << 20;
        let left = self.stream_bytes_left.min(usize::MAX as u64) as usize;
        let first = stream.decompressed_content_with_limit(left.min(SMALL));
        let over_small = matches!(
            first,
            Err(lopdf::Error::Decompress(
                lopdf::DecompressError::MemoryLimitExceeded { .. }
            ))
        );
        let result = match first {
            _ if over_small && left > SMALL => match inflate_exact(stream, left) {
                Some(Ok(bytes)) => Ok(bytes),
                Some(Err(())) => {
                    return Err(PdfError::TooMuchContent {
                        limit: self.limit,
                        page: None,
                    });
                }
                None => stream.decompressed_content_with_limit(left),
            },
            other => other,
        };
        let bytes = match result {
            Ok(b) => b,
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => {
                return Err(PdfError::TooMuchContent {
                    limit: self.limit,
                    page: None,
                });
            }
            // An uncompressed stream, or a filter lopdf leaves alone.
            Err(_) if stream.filters().map(|f| f.is_empty()).unwrap_or(true) => {
                stream.content.clone()
            }
            // A damaged stream draws nothing, as in viewers.
            Err(_) => return Ok(None),
        };
        // lopdf gives damaged Flate data as nothing: a stream that packs
        // something and unpacks to nothing is damaged (an empty stream packs
        // to a few bytes that inflate cleanly, which is checked).
        if bytes.is_empty() && !stream.content.is_empty() && damaged_flate(stream) {
            return Ok(None);
        }
        self.charge(bytes.len())?;
        Ok(Some(bytes))
    }

    pub(crate) fn too_many_operators(&self) -> PdfError {
        PdfError::TooManyOperators {
            page: None,
            limit: self.operators_limit,
        }
    }
}

/// A plain Flate stream (no predictor) inflated into a buffer of exactly
/// its size: `None` for other streams or a damaged one (lopdf reads those),
/// `Err` when it unpacks to more than `limit`.
fn inflate_exact(stream: &lopdf::Stream, limit: usize) -> Option<Result<Vec<u8>, ()>> {
    use std::io::Read;
    let filters = stream.filters().ok()?;
    if filters != [b"FlateDecode"] || stream.dict.has(b"DecodeParms") {
        return None;
    }
    let decoder = || flate2::read::ZlibDecoder::new(stream.content.as_slice());
    let size = std::io::copy(
        &mut decoder().take((limit as u64).saturating_add(1)),
        &mut std::io::sink(),
    )
    .ok()?;
    if size > limit as u64 {
        return Some(Err(()));
    }
    let mut out = Vec::with_capacity(size as usize);
    decoder().read_to_end(&mut out).ok()?;
    Some(Ok(out))
}

/// Whether a Flate stream's data does not inflate.
fn damaged_flate(stream: &lopdf::Stream) -> bool {
    use std::io::Read;
    let is_flate = stream
        .filters()
        .is_ok_and(|f| f.first().is_some_and(|f| *f == b"FlateDecode"));
    let mut sink = [0u8; 64];
    is_flate
        && flate2::read::ZlibDecoder::new(stream.content.as_slice())
            .read(&mut sink)
            .is_err()
}

/// What one character or rule kept costs against the budget, in bytes: about
/// what it takes in memory (a character is 80 bytes and its text), so a
/// stream of tiny `Tj`s cannot hold gigabytes: at the default budget a file
/// keeps at most about a million characters, some 120 MB.
const KEPT_COST: usize = 128;

/// Glyphs of one string decoded at a time.
const GLYPH_CHUNK: usize = 4096;

/// What drawing a form costs against the budget besides its content, in
/// bytes: a form that draws itself ten times, nested, is refused after
/// some tens of thousands of draws rather than run a trillion times.
const FORM_COST: usize = 4096;

/// A filled rectangle thinner than this is a drawn rule (points).
const THIN: f64 = 2.0;
/// Forms nested deeper than this are not drawn.
const MAX_FORM_DEPTH: usize = 12;

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    clip: Rect,
    stroke_visible: bool,
    fill_visible: bool,
    font: Option<Rc<Font>>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    h_scale: f64,
    leading: f64,
    rise: f64,
}

struct Path {
    /// Subpaths in view space; `closed_rect` marks those from `re`.
    subpaths: Vec<(Vec<(f64, f64)>, bool)>,
    current: Option<(f64, f64)>,
}

/// How a loaded font is found again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FontKey {
    Object(ObjectId),
    Inline(usize),
}

/// The fonts of a document, loaded once for all its pages.
pub type FontCache = HashMap<FontKey, Rc<Font>>;

pub struct Interpreter<'a> {
    doc: &'a Document,
    out: PageContent,
    /// Characters and rules kept since the budget was last charged.
    kept: usize,
    fonts: &'a mut FontCache,
    budget: &'a mut Budget,
}

/// The matrix from user space to view space for a page box and rotation.
pub fn view_matrix(media: Rect, rotate: i64) -> (Matrix, f64, f64) {
    let (w, h) = (media.x1 - media.x0, media.y1 - media.y0);
    match rotate.rem_euclid(360) {
        90 => ([0.0, 1.0, 1.0, 0.0, -media.y0, -media.x0], h, w),
        180 => ([-1.0, 0.0, 0.0, 1.0, media.x1, -media.y0], w, h),
        270 => ([0.0, -1.0, -1.0, 0.0, media.y1, media.x1], h, w),
        _ => ([1.0, 0.0, 0.0, -1.0, -media.x0, media.y1], w, h),
    }
}

impl<'a> Interpreter<'a> {
    pub fn new(doc: &'a Document, budget: &'a mut Budget, fonts: &'a mut FontCache) -> Self {
        Interpreter {
            doc,
            out: PageContent::default(),
            kept: 0,
            fonts,
            budget,
        }
    }

    /// Draws one page.
    pub fn page(
        mut self,
        content: &[u8],
        resources: &Dictionary,
        media: Rect,
        rotate: i64,
    ) -> Result<PageContent, PdfError> {
        let (ctm, width, height) = view_matrix(media, rotate);
        self.out.width = width;
        self.out.height = height;
        let clip = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: width,
            y1: height,
        };
        let state = GState {
            ctm,
            clip,
            stroke_visible: true,
            fill_visible: true,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            h_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        };
        self.run(content, resources, state, 0, None)?;
        Ok(self.out)
    }

    fn charge(&mut self, bytes: usize) -> Result<(), PdfError> {
        self.budget.charge(bytes)
    }

    fn run(
        &mut self,
        content: &[u8],
        resources: &Dictionary,
        initial: GState,
        depth: usize,
        form: Option<&[u8]>,
    ) -> Result<(), PdfError> {
        // The content was charged as it was unpacked. A damaged stream is
        // read as far as it parses, as viewers do; operations are read one
        // at a time, never all held.
        let mut ops = Ops::new(content);
        let mut frame = Frame {
            stack: Vec::new(),
            gs: initial,
            path: Path {
                subpaths: Vec::new(),
                current: None,
            },
            pending_clip: false,
            tm: IDENTITY,
            tlm: IDENTITY,
            glyphs: Vec::new(),
        };
        loop {
            if self.kept > 0 {
                self.charge(self.kept.saturating_mul(KEPT_COST))?;
                self.kept = 0;
            }
            let operator = match ops.next_op(&mut self.budget.operators_left) {
                Ok(Some(op)) => op,
                Ok(None) => break,
                Err(Stop::Budget) => return Err(self.budget.too_many_operators()),
                Err(stop @ (Stop::Parse(at) | Stop::TooManyOperands(at))) => {
                    if self.out.unreadable.is_none() {
                        let what = if matches!(stop, Stop::TooManyOperands(_)) {
                            "holds an operation with more than 65,536 operands"
                        } else {
                            "cannot be parsed"
                        };
                        self.out.unreadable = Some(match form {
                            Some(name) => format!(
                                "the content of its form /{} {what} at byte {at}",
                                String::from_utf8_lossy(name)
                            ),
                            None => format!("its content {what} at byte {at}"),
                        });
                    }
                    break;
                }
            };
            let args = ops.operands();
            // Operators are ASCII letters, digits and `*'"`.
            let operator = std::str::from_utf8(operator).unwrap_or("");
            match operator {
                "Do" => {
                    if depth < MAX_FORM_DEPTH
                        && let Some(name) = args.first().and_then(|o| o.as_name().ok())
                    {
                        self.form(resources, name, &frame.gs, depth)?;
                    }
                }
                "BI" => self.out.images += 1,
                _ if self.text_op(&mut frame, resources, operator, args)? => {}
                _ => self.graphics_op(&mut frame, operator, args),
            }
        }
        Ok(())
    }

    /// A text operator (`BT` … `TJ`): the text state, and glyphs shown.
    /// `false` for an operator that is not one.
    fn text_op(
        &mut self,
        f: &mut Frame,
        resources: &Dictionary,
        operator: &str,
        args: &[Object],
    ) -> Result<bool, PdfError> {
        match operator {
            "BT" => {
                f.tm = IDENTITY;
                f.tlm = IDENTITY;
            }
            "Tf" => {
                f.gs.size = num(args, 1);
                f.gs.font = match args.first().and_then(|o| o.as_name().ok()) {
                    Some(name) => self.font(resources, name)?,
                    None => None,
                };
            }
            "Tc" => f.gs.char_spacing = num(args, 0),
            "Tw" => f.gs.word_spacing = num(args, 0),
            "Tz" => f.gs.h_scale = num(args, 0) / 100.0,
            "TL" => f.gs.leading = num(args, 0),
            "Ts" => f.gs.rise = num(args, 0),
            "Td" | "TD" => {
                if operator == "TD" {
                    f.gs.leading = -num(args, 1);
                }
                f.tlm = mul(&[1.0, 0.0, 0.0, 1.0, num(args, 0), num(args, 1)], &f.tlm);
                f.tm = f.tlm;
            }
            "Tm" => {
                f.tlm = [
                    num(args, 0),
                    num(args, 1),
                    num(args, 2),
                    num(args, 3),
                    num(args, 4),
                    num(args, 5),
                ];
                f.tm = f.tlm;
            }
            "T*" => {
                f.tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -f.gs.leading], &f.tlm);
                f.tm = f.tlm;
            }
            "Tj" | "'" | "\"" => {
                if operator != "Tj" {
                    if operator == "\"" {
                        f.gs.word_spacing = num(args, 0);
                        f.gs.char_spacing = num(args, 1);
                    }
                    f.tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -f.gs.leading], &f.tlm);
                    f.tm = f.tlm;
                }
                if let Some(Ok(bytes)) = args.last().map(Object::as_str) {
                    self.show(bytes, &f.gs, &mut f.tm, &mut f.glyphs)?;
                }
            }
            "TJ" => {
                if let Some(Ok(items)) = args.first().map(Object::as_array) {
                    for item in items {
                        match item {
                            Object::String(bytes, _) => {
                                self.show(bytes, &f.gs, &mut f.tm, &mut f.glyphs)?
                            }
                            Object::Integer(_) | Object::Real(_) => {
                                let n = item.as_float().map(f64::from).unwrap_or(0.0);
                                let shift = -n / 1000.0 * f.gs.size;
                                let vertical = f.gs.font.as_ref().is_some_and(|f| f.vertical);
                                let t = if vertical {
                                    [1.0, 0.0, 0.0, 1.0, 0.0, shift]
                                } else {
                                    [1.0, 0.0, 0.0, 1.0, shift * f.gs.h_scale, 0.0]
                                };
                                f.tm = mul(&t, &f.tm);
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// A graphics operator: the state stack, the path, clipping, painting
    /// (rules are what painting leaves) and colours.
    fn graphics_op(&mut self, f: &mut Frame, operator: &str, args: &[Object]) {
        match operator {
            "q" if f.stack.len() < 256 => f.stack.push(f.gs.clone()),
            "Q" => {
                if let Some(saved) = f.stack.pop() {
                    f.gs = saved;
                }
            }
            "cm" => {
                let m = [
                    num(args, 0),
                    num(args, 1),
                    num(args, 2),
                    num(args, 3),
                    num(args, 4),
                    num(args, 5),
                ];
                f.gs.ctm = mul(&m, &f.gs.ctm);
            }
            "m" => {
                let p = apply(&f.gs.ctm, num(args, 0), num(args, 1));
                f.path.subpaths.push((vec![p], false));
                f.path.current = Some(p);
            }
            "l" => {
                let p = apply(&f.gs.ctm, num(args, 0), num(args, 1));
                match f.path.subpaths.last_mut() {
                    Some((points, _)) if f.path.current.is_some() => points.push(p),
                    _ => f.path.subpaths.push((vec![p], false)),
                }
                f.path.current = Some(p);
            }
            "c" | "v" | "y" => {
                // A curve is never a rule: keep its end points for the
                // bounding box of a clip, and break the straight run.
                let n = args.len();
                let p = apply(
                    &f.gs.ctm,
                    num(args, n.saturating_sub(2)),
                    num(args, n.saturating_sub(1)),
                );
                f.path.subpaths.push((vec![p, p, p, p, p], false));
                f.path.current = Some(p);
            }
            "h" => {
                if let Some((points, _)) = f.path.subpaths.last_mut()
                    && let Some(&first) = points.first()
                {
                    points.push(first);
                }
            }
            "re" => {
                let (x, y, w, h) = (num(args, 0), num(args, 1), num(args, 2), num(args, 3));
                let corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)];
                let points = corners
                    .iter()
                    .map(|&(px, py)| apply(&f.gs.ctm, px, py))
                    .collect();
                f.path.subpaths.push((points, true));
                f.path.current = None;
            }
            "W" | "W*" => f.pending_clip = true,
            "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" | "n" => {
                let stroke = matches!(operator, "S" | "s" | "B" | "B*" | "b" | "b*");
                let fill = matches!(operator, "f" | "F" | "f*" | "B" | "B*" | "b" | "b*");
                if stroke && f.gs.stroke_visible {
                    self.stroke(&f.path, &f.gs.clip);
                }
                if fill && f.gs.fill_visible {
                    self.fill(&f.path, &f.gs.clip);
                }
                if f.pending_clip {
                    let all = f.path.subpaths.iter().flat_map(|(p, _)| p.iter().copied());
                    f.gs.clip = match Rect::around(all) {
                        Some(r) => f.gs.clip.intersect(&r),
                        None => f.gs.clip,
                    };
                    f.pending_clip = false;
                }
                f.path.subpaths.clear();
                f.path.current = None;
            }
            "w" => {}
            "G" | "RG" | "K" | "SC" | "SCN" => f.gs.stroke_visible = !is_white(operator, args),
            "g" | "rg" | "k" | "sc" | "scn" => f.gs.fill_visible = !is_white(operator, args),
            _ => {}
        }
    }

    fn font(&mut self, resources: &Dictionary, name: &[u8]) -> Result<Option<Rc<Font>>, PdfError> {
        let Some(fonts) = self.dict(resources.get(b"Font").ok()) else {
            return Ok(None);
        };
        let Ok(reference) = fonts.get(name) else {
            return Ok(None);
        };
        // A font written inline in a resource dictionary has no object
        // number: it is cached by where it sits, so a stream of `Tf`s
        // cannot make its ToUnicode map be unpacked again and again.
        let key = match reference.as_reference() {
            Ok(id) => FontKey::Object(id),
            Err(_) => FontKey::Inline(reference as *const Object as usize),
        };
        if let Some(font) = self.fonts.get(&key) {
            return Ok(Some(font.clone()));
        }
        let Some(dict) = self.dict(Some(reference)) else {
            return Ok(None);
        };
        // A font is loaded once per file; its ToUnicode map is charged to
        // the content budget like any stream (a file of 10,000 fonts with
        // 4 MiB maps meets the budget, not 40 GB of unpacking).
        let (font, unpacked) = Font::load_counted(self.doc, dict);
        self.charge(unpacked)?;
        let font = Rc::new(font);
        self.fonts.insert(key, font.clone());
        Ok(Some(font))
    }

    fn dict(&self, object: Option<&'a Object>) -> Option<&'a Dictionary> {
        let (_, o) = self.doc.dereference(object?).ok()?;
        match o {
            Object::Dictionary(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }

    fn show(
        &mut self,
        bytes: &[u8],
        gs: &GState,
        tm: &mut Matrix,
        glyphs: &mut Vec<Glyph>,
    ) -> Result<(), PdfError> {
        let Some(font) = gs.font.clone() else {
            return Ok(());
        };
        // Glyphs are decoded a chunk at a time, each costing one operator
        // before it is decoded and each character kept its share of the
        // content budget: a string of millions of glyphs stops at a budget
        // without being held whole.
        let mut rest = bytes;
        while !rest.is_empty() {
            glyphs.clear();
            let most = self.budget.operators_left.min(GLYPH_CHUNK as u64) as usize;
            if most == 0 {
                return Err(self.budget.too_many_operators());
            }
            let used = font.decode(rest, glyphs, most);
            rest = &rest[used..];
            self.budget.operators_left -= glyphs.len() as u64;
            self.place(&font, glyphs, gs, tm);
            self.charge(self.kept.saturating_mul(KEPT_COST))?;
            self.kept = 0;
        }
        Ok(())
    }

    fn place(&mut self, font: &Font, glyphs: &[Glyph], gs: &GState, tm: &mut Matrix) {
        for g in glyphs.iter() {
            let size_matrix = [gs.size * gs.h_scale, 0.0, 0.0, gs.size, 0.0, gs.rise];
            let trm = mul(&mul(&size_matrix, tm), &gs.ctm);
            let (x, y) = apply(&trm, 0.0, 0.0);
            let spacing = gs.char_spacing
                + if g.is_space_byte {
                    gs.word_spacing
                } else {
                    0.0
                };
            let (adv_text, step) = if font.vertical {
                ((0.0, -1.0), [1.0, 0.0, 0.0, 1.0, 0.0, -(gs.size) + spacing])
            } else {
                let tx = (g.width / 1000.0 * gs.size + spacing) * gs.h_scale;
                ((g.width / 1000.0, 0.0), [1.0, 0.0, 0.0, 1.0, tx, 0.0])
            };
            let (ex, ey) = apply(&trm, adv_text.0, adv_text.1);
            let (ux, uy) = apply(&trm, 0.0, 1.0);
            let size = ((ux - x).powi(2) + (uy - y).powi(2)).sqrt();
            let (dx, dy) = (ex - x, ey - y);
            let advance = (dx * dx + dy * dy).sqrt();
            let dir = if advance > 1e-9 {
                (dx / advance, dy / advance)
            } else {
                // A zero-width glyph reads along the text matrix's x axis.
                let (bx, by) = apply(&trm, 1.0, 0.0);
                let l = ((bx - x).powi(2) + (by - y).powi(2)).sqrt().max(1e-9);
                ((bx - x) / l, (by - y) / l)
            };
            *tm = mul(&step, tm);
            match &g.text {
                None => {
                    self.out.unmapped_glyphs += 1;
                    if !self.out.unmapped_fonts.contains(&font.name) {
                        self.out.unmapped_fonts.push(font.name.clone());
                    }
                }
                Some(text) => {
                    let c = TextChar {
                        x,
                        y,
                        dir,
                        advance,
                        size,
                        text: text.clone(),
                        vertical_font: font.vertical,
                    };
                    let (cx, cy) = c.center();
                    if gs.clip.contains(cx, cy) && size.is_finite() && advance.is_finite() {
                        self.out.chars.push(c);
                        self.kept += 1;
                    }
                }
            }
        }
    }

    fn stroke(&mut self, path: &Path, clip: &Rect) {
        for (points, _) in &path.subpaths {
            for pair in points.windows(2) {
                self.segment(pair[0], pair[1], clip);
            }
        }
    }

    fn fill(&mut self, path: &Path, clip: &Rect) {
        for (points, _) in &path.subpaths {
            let Some(r) = Rect::around(points.iter().copied()) else {
                continue;
            };
            let axis_aligned = points
                .windows(2)
                .all(|p| (p[0].0 - p[1].0).abs() < 0.01 || (p[0].1 - p[1].1).abs() < 0.01);
            if !axis_aligned || points.len() < 4 {
                continue;
            }
            let (w, h) = (r.x1 - r.x0, r.y1 - r.y0);
            if h <= THIN && w > h {
                let y = (r.y0 + r.y1) / 2.0;
                self.segment((r.x0, y), (r.x1, y), clip);
            } else if w <= THIN && h > w {
                let x = (r.x0 + r.x1) / 2.0;
                self.segment((x, r.y0), (x, r.y1), clip);
            }
        }
    }

    fn segment(&mut self, a: (f64, f64), b: (f64, f64), clip: &Rect) {
        const E: f64 = 0.2;
        if !(a.0.is_finite() && a.1.is_finite() && b.0.is_finite() && b.1.is_finite()) {
            return;
        }
        if (a.1 - b.1).abs() < E && (a.0 - b.0).abs() > E {
            let y = (a.1 + b.1) / 2.0;
            let (from, to) = (a.0.min(b.0).max(clip.x0), a.0.max(b.0).min(clip.x1));
            if to > from && y >= clip.y0 - E && y <= clip.y1 + E {
                self.out.horizontal.push(Rule { at: y, from, to });
                self.kept += 1;
            }
        } else if (a.0 - b.0).abs() < E && (a.1 - b.1).abs() > E {
            let x = (a.0 + b.0) / 2.0;
            let (from, to) = (a.1.min(b.1).max(clip.y0), a.1.max(b.1).min(clip.y1));
            if to > from && x >= clip.x0 - E && x <= clip.x1 + E {
                self.out.vertical.push(Rule { at: x, from, to });
                self.kept += 1;
            }
        }
    }

    fn form(
        &mut self,
        resources: &Dictionary,
        name: &[u8],
        gs: &GState,
        depth: usize,
    ) -> Result<(), PdfError> {
        let Some(xobjects) = self.dict(resources.get(b"XObject").ok()) else {
            return Ok(());
        };
        let Some(object) = xobjects.get(name).ok() else {
            return Ok(());
        };
        let Ok((_, Object::Stream(stream))) = self.doc.dereference(object) else {
            return Ok(());
        };
        match stream.dict.get(b"Subtype").and_then(Object::as_name).ok() {
            Some(b"Form") => {}
            Some(b"Image") => {
                // Images carry no text, but say the page is not empty.
                self.out.images += 1;
                return Ok(());
            }
            _ => return Ok(()),
        }
        self.charge(FORM_COST)?;
        let Some(content) = self.budget.unpack(stream)? else {
            return Ok(());
        };
        let matrix = match stream.dict.get(b"Matrix").and_then(Object::as_array) {
            Ok(a) if a.len() == 6 => {
                let v: Vec<f64> = a
                    .iter()
                    .map(|o| o.as_float().map(f64::from).unwrap_or(0.0))
                    .collect();
                [v[0], v[1], v[2], v[3], v[4], v[5]]
            }
            _ => IDENTITY,
        };
        let mut state = gs.clone();
        state.ctm = mul(&matrix, &gs.ctm);
        if let Ok(bbox) = stream.dict.get(b"BBox").and_then(Object::as_array)
            && bbox.len() == 4
        {
            let v: Vec<f64> = bbox
                .iter()
                .map(|o| o.as_float().map(f64::from).unwrap_or(0.0))
                .collect();
            let corners = [(v[0], v[1]), (v[2], v[1]), (v[2], v[3]), (v[0], v[3])];
            if let Some(r) = Rect::around(corners.iter().map(|&(x, y)| apply(&state.ctm, x, y))) {
                state.clip = state.clip.intersect(&r);
            }
        }
        let own = self.dict(stream.dict.get(b"Resources").ok());
        let resources = own.unwrap_or(resources);
        self.run(&content, resources, state, depth + 1, Some(name))
    }
}

/// Whether a colour operator sets white, which draws nothing on paper.
fn is_white(operator: &str, args: &[Object]) -> bool {
    let values: Vec<f64> = args
        .iter()
        .filter_map(|o| o.as_float().ok().map(f64::from))
        .collect();
    match (operator, values.len()) {
        ("G" | "g", 1) | ("RG" | "rg", 3) => values.iter().all(|v| *v >= 0.99),
        ("K" | "k", 4) => values.iter().all(|v| *v <= 0.01),
        ("SC" | "sc" | "SCN" | "scn", 1 | 3) => values.iter().all(|v| *v >= 0.99),
        _ => false,
    }
}

/// What one content stream's run holds while it is read: the graphics
/// state and its saved copies, the path being built, the text matrices.
struct Frame {
    stack: Vec<GState>,
    gs: GState,
    path: Path,
    pending_clip: bool,
    tm: Matrix,
    tlm: Matrix,
    glyphs: Vec<Glyph>,
}

/// Operand `i` as a number (0 when it is not one), clamped so that hostile
/// values (1e400, NaN read as 0) cannot overflow the geometry.
fn num(args: &[Object], i: usize) -> f64 {
    match args.get(i) {
        Some(Object::Integer(v)) => *v as f64,
        Some(Object::Real(v)) => f64::from(*v),
        _ => 0.0,
    }
    .clamp(-1e7, 1e7)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices_compose_in_pdf_order() {
        let scale = [2.0, 0.0, 0.0, 2.0, 0.0, 0.0];
        let shift = [1.0, 0.0, 0.0, 1.0, 10.0, 0.0];
        // Scale first, then shift.
        assert_eq!(apply(&mul(&scale, &shift), 1.0, 1.0), (12.0, 2.0));
    }

    #[test]
    fn view_matrix_puts_the_displayed_top_left_at_the_origin() {
        let media = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 600.0,
            y1: 800.0,
        };
        let (m, w, h) = view_matrix(media, 0);
        assert_eq!((w, h), (600.0, 800.0));
        assert_eq!(apply(&m, 0.0, 800.0), (0.0, 0.0));
        let (m, w, h) = view_matrix(media, 90);
        assert_eq!((w, h), (800.0, 600.0));
        // Turned clockwise: the bottom-left corner comes to the top-left.
        assert_eq!(apply(&m, 0.0, 0.0), (0.0, 0.0));
        assert_eq!(apply(&m, 0.0, 800.0), (800.0, 0.0));
        let (m, _, _) = view_matrix(media, 270);
        assert_eq!(apply(&m, 600.0, 800.0), (0.0, 0.0));
    }

    fn draw(content: &[u8]) -> PageContent {
        use lopdf::dictionary;
        let mut doc = Document::with_version("1.7");
        let font = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let resources = dictionary! { "Font" => dictionary! { "F1" => font } };
        let mut budget = Budget::new(&crate::limits::PdfLimits {
            max_stream_bytes: 1 << 20,
            ..Default::default()
        });
        let media = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 600.0,
            y1: 800.0,
        };
        Interpreter::new(&doc, &mut budget, &mut FontCache::new())
            .page(content, &resources, media, 0)
            .unwrap()
    }

    #[test]
    fn text_state_kerning_and_clipping() {
        let page = draw(
            b"BT /F1 10 Tf 2 0 0 2 100 700 Tm [(A) -1000 (B)] TJ ET \
              q 0 0 50 50 re W n BT /F1 10 Tf 200 700 Td (C) Tj ET Q \
              BT /F1 10 Tf 3 Tc 300 700 Td (DE) Tj ET",
        );
        let placed: Vec<(&str, f64, f64)> = page
            .chars
            .iter()
            .map(|c| (c.text.as_str(), c.x, c.y))
            .collect();
        // No widths: 500 units. Scaled by 2: A advances 10, the kerning of
        // -1000 moves 20 more. C lies outside the clip. Tc adds 3 per glyph.
        assert_eq!(
            placed,
            [
                ("A", 100.0, 100.0),
                ("B", 130.0, 100.0),
                ("D", 300.0, 100.0),
                ("E", 308.0, 100.0)
            ]
        );
        assert!(page.chars.iter().all(TextChar::is_horizontal));
    }

    #[test]
    fn rules_from_strokes_and_thin_fills_not_white_or_squares() {
        let page = draw(
            b"10 500 100 1 re f 0 0 1 1 re f 300 100 m 300 300 l S \
              1 1 1 RG 10 400 m 100 400 l S 0 G 20 600 m 80 600 l S",
        );
        assert_eq!(
            page.horizontal,
            [
                Rule {
                    at: 299.5,
                    from: 10.0,
                    to: 110.0
                },
                Rule {
                    at: 200.0,
                    from: 20.0,
                    to: 80.0
                }
            ]
        );
        assert_eq!(
            page.vertical,
            [Rule {
                at: 300.0,
                from: 500.0,
                to: 700.0
            }]
        );
    }

    #[test]
    fn a_damaged_stream_draws_what_parses() {
        let page = draw(b"BT /F1 10 Tf 100 700 Td (ok) Tj ET BT /F1 (unterminated");
        let text: String = page.chars.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(text, "ok");
    }
}
