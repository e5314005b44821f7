//! Markup helpers: escaping, numbers and years as people read them, and the
//! page frame with its inline style sheet.
//!
//! Pages are written as well-formed XHTML-compatible HTML (every element
//! closed, every attribute quoted), so a strict XML parser can check them
//! and any browser reads them.

use std::fmt::Write;

use hyoka::model::Number;

use super::text::Text;

/// Escapes text for element content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in HTML or XML text.
            c if c.is_control() && !matches!(c, '\n' | '\t') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A number with thousands separators (`3,878,604`, `11.4`).
pub fn num(n: Number) -> String {
    let text = n.to_string();
    let (sign, rest) = match text.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", text.as_str()),
    };
    // Exponent forms (1e+300) are left as they are.
    if rest.contains('e') {
        return text;
    }
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A list of items, nested, or nothing when empty.
pub fn list(out: &mut String, items: &[hyoka::model::ListItem]) {
    if items.is_empty() {
        return;
    }
    out.push_str("<ul>");
    for item in items {
        let _ = write!(out, "<li>{}", esc(&item.text));
        list(out, &item.children);
        out.push_str("</li>");
    }
    out.push_str("</ul>");
}

/// A whole page: `title` in the tab, `body` inside `<main>`.
pub fn page(t: &Text, title: &str, nav: &str, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + STYLE.len() + 512);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
         <meta name=\"generator\" content=\"hyoka {}\"/>\n<title>{} | {}</title>\n<style>{STYLE}</style>\n\
         </head>\n<body>\n<a class=\"skip\" href=\"#main\">{}</a>\n<header class=\"site\">{nav}</header>\n\
         <main id=\"main\">\n{body}</main>\n<footer class=\"site\">{}</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        esc(title),
        esc(t.site_title),
        esc(t.skip),
        esc(&t.footer()),
    );
    out
}

/// The style sheet of every page: inline, so a page is one file that works
/// from `file://` and prints on A4 without anything else.
const STYLE: &str = r#"
:root{--ink:#1b1f24;--muted:#5b6470;--line:#c9d1db;--soft:#f3f5f8;--accent:#0b5cad;--actual:#0b5cad;--target:#c0392b;--base:#6b7280;--warn:#8a5a00;--warnbg:#fff6e0}
*{box-sizing:border-box}
html{font-family:"Noto Sans CJK JP","Noto Sans JP","Hiragino Sans","Yu Gothic","Meiryo",sans-serif;color:var(--ink);background:#fff;line-height:1.6;font-size:15px}
body{margin:0}
a{color:var(--accent)}
.skip{position:absolute;left:-999px}
.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:1}
header.site{background:#123a63;color:#fff;padding:10px 24px;font-size:14px}
header.site a{color:#fff}
header.site .crumbs{margin:0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:6px}
header.site .crumbs li+li::before{content:"›";margin-right:6px;opacity:.7}
main{max-width:1100px;margin:0 auto;padding:16px 24px 40px}
footer.site{max-width:1100px;margin:0 auto;padding:12px 24px 32px;color:var(--muted);font-size:12px;border-top:1px solid var(--line)}
h1{font-size:24px;margin:8px 0 4px}
h2{font-size:19px;margin:28px 0 10px;padding:4px 10px;border-left:6px solid var(--accent);background:var(--soft)}
h3{font-size:16px;margin:18px 0 6px}
h4{font-size:15px;margin:12px 0 4px}
.lead{color:var(--muted);margin:0 0 12px}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0 16px;padding:10px 14px;background:var(--soft);border-radius:6px}
dl.meta dt{font-weight:bold;color:var(--muted)}
dl.meta dd{margin:0}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:14px}
th,td{border:1px solid var(--line);padding:4px 8px;vertical-align:top;text-align:left}
thead th{background:#e4eaf1}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
ul{margin:4px 0;padding-left:1.4em}
li{margin:1px 0}
.project{border:1px solid var(--line);border-radius:8px;padding:6px 16px 10px;margin:14px 0}
.project h3{margin-top:8px}
.project .num{display:inline-block;min-width:1.8em;height:1.8em;line-height:1.8em;text-align:center;border-radius:50%;background:var(--accent);color:#fff;margin-right:8px;font-size:14px}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:0 24px}
.kpi{margin:10px 0 6px;padding-top:6px;border-top:1px dashed var(--line)}
figure.chart{margin:8px 0 14px;display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:14px;align-items:start;break-inside:avoid}
figure.chart figcaption{grid-column:1/-1;font-weight:bold}
figure.chart svg{width:100%;height:auto;border:1px solid var(--line);border-radius:6px;background:#fff}
figure.chart table{font-size:13px;margin:0}
figure.chart table th[scope=row]{white-space:nowrap}
td small,.sub{color:var(--muted);font-size:12px}
.minis{display:flex;flex-wrap:wrap;gap:10px;margin:6px 0}
figure.mini{margin:0;width:260px;break-inside:avoid}
figure.mini svg{width:100%;height:auto;border:1px solid var(--line);border-radius:6px;background:#fff}
figure.mini figcaption{font-size:12px;color:var(--muted)}
svg.mini .cost-a{fill:#5b8fd1}
svg.mini .cost-b{fill:#f0b35a}
.key.cost-a{width:10px;border-top:8px solid #5b8fd1}
.key.cost-b{width:10px;border-top:8px solid #f0b35a}
svg.mini .line{fill:none;stroke:var(--actual);stroke-width:2}
svg.mini .dot{fill:var(--actual)}
svg.mini .axis{stroke:var(--line)}
svg.mini text{font-size:9px;text-anchor:middle;fill:var(--ink)}
svg.mini text.yr{fill:var(--muted)}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;color:var(--muted);grid-column:1/-1;margin:0;padding:0;list-style:none}
.key{display:inline-block;width:18px;height:0;border-top:3px solid var(--actual);vertical-align:middle;margin-right:4px}
.key.target{border-top:2px dashed var(--target)}
.key.base{border-top:2px dotted var(--base)}
.key.restated{width:10px;height:10px;border:2px solid var(--warn);border-radius:50%;background:#fff}
.restated-mark{color:var(--warn);font-weight:bold}
.warn{background:var(--warnbg);border:1px solid #ecd29a;border-radius:6px;padding:8px 14px;margin:12px 0}
.warn h2,.warn h3{background:none;border:none;padding:0;margin:4px 0}
.count{font-variant-numeric:tabular-nums}
.st{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;font-weight:bold;border:1px solid var(--line)}
.st.achieved{background:#e3f4e5;border-color:#9fd3a6;color:#1d6b2a}
.st.on_track{background:#e8f0fb;border-color:#a9c3ea;color:#1f4f99}
.st.behind{background:#fde8e8;border-color:#f2b8b8;color:#9b1c1c}
.st.no_target,.st.unknown{background:var(--soft);color:var(--muted)}
.status{margin:6px 0}
.badge{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;background:var(--soft);border:1px solid var(--line)}
.badge.w{background:var(--warnbg);border-color:#ecd29a;color:var(--warn)}
.badge.e{background:#fde8e8;border-color:#f2b8b8;color:#9b1c1c}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px;margin:10px 0 18px}
.card{border:1px solid var(--line);border-radius:8px;padding:8px 12px;background:var(--soft)}
.card b{display:block;font-size:22px}
.source{color:var(--muted);font-size:12px}
@media (max-width:760px){.cols,figure.chart{grid-template-columns:1fr}}
@page{size:A4;margin:14mm 12mm}
@media print{
 html{font-size:10.5pt}
 header.site{background:none;color:var(--ink);border-bottom:2px solid var(--ink);padding:0 0 4px}
 header.site a{color:var(--ink);text-decoration:none}
 .skip{display:none}
 main,footer.site{max-width:none;padding:0}
 a{color:var(--ink);text-decoration:none}
 h2{break-after:avoid;background:none;border-left:4px solid var(--ink)}
 h3,h4{break-after:avoid}
 figure.chart{grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:8px}
 figure.chart table{font-size:8pt}
 figure.chart table th[scope=row]{white-space:normal}
 td.n,th.n{white-space:normal}
 tr,li{break-inside:avoid}
 .cols{grid-template-columns:1fr 1fr}
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped() {
        let n = |v: f64| num(Number::new(v).unwrap());
        assert_eq!(n(3_878_604.0), "3,878,604");
        assert_eq!(n(-1234.5), "-1,234.5");
        assert_eq!(n(958.0), "958");
        assert_eq!(n(0.0), "0");
    }

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">&'\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;\u{FFFD}"
        );
    }

    #[test]
    fn years_read_as_on_the_sheets() {
        assert_eq!(super::super::text::year(2022), "2022(R4)");
        assert_eq!(super::super::text::year(2018), "2018(H30)");
    }
}
