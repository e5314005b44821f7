//! `hyoka report`: the static site from an import of three years of Iga
//! City's sheets. The markup is checked page by page (well-formed, Japanese,
//! nothing from the network, one chart per series), and a real browser
//! (headless Chromium) renders two pages without console errors and with
//! something on them.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use quick_xml::events::Event;
use serde_json::Value;
use support::{department, hyoka, import, json, report};

const YEARS: [&str; 3] = [
    "fixtures/workbooks/iga-2022-workbook.xlsx",
    "fixtures/years/iga-2023-workbook.xlsx",
    "fixtures/years/iga-2024-workbook.xlsx",
];

/// Imports the three years and writes the report; returns the temporary
/// folder, the output folder and the site folder.
fn site(lang: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let site = tmp.path().join("site");
    let run = import(&YEARS, &out, &[]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let run = report(&out, &site, lang);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    (tmp, out, site)
}

fn pages(site: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for dir in [
        site.to_path_buf(),
        site.join("sheets"),
        site.join("projects"),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "html") {
                let name = path
                    .strip_prefix(site)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(name, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    out
}

/// What the markup check finds on a page.
#[derive(Default)]
struct Markup {
    lang: Option<String>,
    charts: Vec<String>,
    links: Vec<String>,
    ids: Vec<String>,
    svg_titles: usize,
    tables: usize,
}

/// Parses a page strictly (every element closed, attributes quoted) and
/// collects what the checks need. Panics on any markup error.
fn parse(name: &str, text: &str) -> Markup {
    let body = text
        .strip_prefix("<!DOCTYPE html>\n")
        .unwrap_or_else(|| panic!("{name}: no doctype"));
    let mut reader = quick_xml::Reader::from_str(body);
    reader.config_mut().check_end_names = true;
    let mut m = Markup::default();
    let mut depth = 0i32;
    loop {
        let event = reader.read_event().unwrap_or_else(|e| {
            panic!("{name}: markup error at {}: {e}", reader.buffer_position())
        });
        let element = match &event {
            Event::Start(e) => {
                depth += 1;
                Some(e.clone())
            }
            Event::Empty(e) => Some(e.clone()),
            Event::End(_) => {
                depth -= 1;
                None
            }
            Event::Eof => break,
            _ => None,
        };
        let Some(e) = element else { continue };
        let tag = e.name().0.to_owned();
        assert!(
            tag != "script" && tag != "iframe" && tag != "img",
            "{name}: <{tag}>"
        );
        if tag == "table" {
            m.tables += 1;
        }
        if tag == "desc" {
            m.svg_titles += 1;
        }
        for attr in e.attributes() {
            let attr = attr.unwrap_or_else(|e| panic!("{name}: bad attribute: {e}"));
            let key = attr.key.0.to_owned();
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .unwrap()
                .into_owned();
            match key.as_str() {
                "lang" if tag == "html" => m.lang = Some(value),
                "id" => m.ids.push(value),
                "data-series" if tag == "figure" => m.charts.push(value),
                "href" | "src" | "srcset" | "action" | "poster" | "data" | "xlink:href" => {
                    m.links.push(value)
                }
                // The SVG namespace is a name, never fetched.
                "xmlns" => assert_eq!(value, "http://www.w3.org/2000/svg", "{name}"),
                "style" => panic!("{name}: inline style attribute on <{tag}>"),
                _ => {}
            }
        }
    }
    assert_eq!(depth, 0, "{name}: unbalanced elements");
    m
}

#[test]
fn every_page_is_well_formed_japanese_and_offline() {
    let (_tmp, out, site) = site("ja");
    let pages = pages(&site);
    let panel = json(&out.join("kpi_series.json"));
    let series_ids: BTreeSet<String> = panel["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(series_ids.len(), 15);
    // 15 sheets, the index and the KPI page.
    assert_eq!(pages.len(), 17, "{:?}", pages.keys());
    for (name, text) in &pages {
        let m = parse(name, text);
        assert_eq!(m.lang.as_deref(), Some("ja"), "{name}");
        for needle in ["http:", "https:", "url(", "@import", "//"] {
            let outside_svg_ns = text.replace("http://www.w3.org/2000/svg", "");
            assert!(
                !outside_svg_ns.contains(needle),
                "{name}: {needle} found: a page loads nothing from elsewhere"
            );
        }
        // Every link leads to a page of the site.
        let base = site.join(name).parent().unwrap().to_path_buf();
        for link in &m.links {
            if let Some(anchor) = link.strip_prefix('#') {
                assert!(m.ids.iter().any(|i| i == anchor), "{name}: #{anchor}");
                continue;
            }
            let (file, anchor) = link.split_once('#').unwrap_or((link, ""));
            assert!(base.join(file).is_file(), "{name}: broken link {link}");
            if !anchor.is_empty() {
                let target = std::fs::read_to_string(base.join(file)).unwrap();
                assert!(
                    target.contains(&format!("id=\"{anchor}\"")),
                    "{name}: no #{anchor} in {file}"
                );
            }
        }
        let unique: BTreeSet<&String> = m.ids.iter().collect();
        assert_eq!(unique.len(), m.ids.len(), "{name}: duplicate id");
        // Every chart has a title and a description, and a table beside it.
        assert_eq!(m.svg_titles, m.charts.len(), "{name}");
        assert!(m.tables >= m.charts.len(), "{name}");
        for chart in &m.charts {
            assert!(series_ids.contains(chart), "{name}: unknown series {chart}");
        }
        if name == "kpis.html" {
            // One chart per series, each once.
            let charted: BTreeSet<String> = m.charts.iter().cloned().collect();
            assert_eq!(m.charts.len(), series_ids.len(), "{name}");
            assert_eq!(charted, series_ids);
        }
    }
    // Each sheet page charts each of its KPIs once.
    let file = json(&department(&out, "総務部"));
    for sheet in file["sheets"].as_array().unwrap() {
        let id = sheet["id"].as_str().unwrap();
        let page = &pages[&format!("sheets/{id}.html")];
        let kpis: usize = sheet["basic_projects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["kpis"].as_array().unwrap().len())
            .sum();
        assert_eq!(parse(id, page).charts.len(), kpis, "{id}");
    }
}

#[test]
fn the_restated_point_and_the_target_change_are_shown() {
    let (_tmp, _out, site) = site("ja");
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("施策評価レポート"));
    assert!(index.contains("伊賀市"));
    let kpis = std::fs::read_to_string(site.join("kpis.html")).unwrap();
    // 956 in the 2022 report, 958 since: ringed, and both in the table.
    assert!(
        kpis.contains("956 (2022年度報告) → 958 (2023–2024年度報告)"),
        "restated row"
    );
    assert!(kpis.contains("目標値が報告の間で変わっています"));
    assert!(kpis.contains("5,000,000"));
    // The index lists the change and links to its chart.
    assert!(index.contains("報告の間で変わった項目"));
    assert!(index.contains("4200000 (目標値(単年)) → 5000000 (目標値(単年))"));
}

#[test]
fn the_report_is_deterministic_and_english_on_request() {
    let (_a, _, first) = site("ja");
    let (_b, _, second) = site("ja");
    assert_eq!(pages(&first), pages(&second));
    let (_c, _, english) = site("en");
    let index = std::fs::read_to_string(english.join("index.html")).unwrap();
    assert!(index.contains("Policy evaluation report"));
    assert!(index.contains("lang=\"ja\""));
}

#[test]
fn a_folder_without_an_index_is_an_error_for_people() {
    let tmp = tempfile::tempdir().unwrap();
    let run = report(tmp.path(), &tmp.path().join("site"), "en");
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(stderr.contains("index.json: cannot read"), "{stderr}");
    assert!(stderr.contains("hyoka import --out"), "{stderr}");
}

// ---- The browser test ----

/// Headless Chromium, or None (said loudly) when it is missing outside CI.
fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser"] {
        if let Ok(out) = Command::new("which").arg(name).output()
            && out.status.success()
        {
            return Some(PathBuf::from(String::from_utf8(out.stdout).unwrap().trim()));
        }
    }
    if std::env::var_os("CI").is_some() {
        panic!("chromium is missing under CI: .ci/run installs it (apt-get install chromium)");
    }
    eprintln!(
        "SKIPPED: the browser test needs chromium (apt-get install chromium); \
         it is required under CI"
    );
    None
}

/// Renders `page` in headless Chromium; returns the screenshot's PNG bytes
/// and the browser's log.
fn render(browser: &Path, page: &Path, tmp: &Path, size: &str) -> (Vec<u8>, String) {
    let shot = tmp.join(format!(
        "{}.png",
        page.file_stem().unwrap().to_string_lossy()
    ));
    let profile = tempfile::tempdir_in(tmp).unwrap();
    let url = format!("file://{}", page.display());
    let run = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("--window-size={size}"))
        .arg(&url)
        .output()
        .expect("chromium runs");
    let log = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(run.status.success(), "chromium failed on {url}: {log}");
    let png = std::fs::read(&shot).unwrap_or_else(|e| panic!("no screenshot of {url}: {e}\n{log}"));
    (png, log)
}

/// The RGBA pixels of a PNG (8-bit RGB or RGBA, not interlaced, as
/// Chromium writes them).
fn decode_png(png: &[u8]) -> (u32, u32, Vec<[u8; 4]>) {
    use std::io::Read;
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let mut pos = 8;
    let (mut width, mut height, mut color, mut idat) = (0u32, 0u32, 0u8, Vec::new());
    while pos + 8 <= png.len() {
        let len = u32::from_be_bytes(png[pos..pos + 4].try_into().unwrap()) as usize;
        let kind = &png[pos + 4..pos + 8];
        let data = &png[pos + 8..pos + 8 + len];
        match kind {
            b"IHDR" => {
                width = u32::from_be_bytes(data[0..4].try_into().unwrap());
                height = u32::from_be_bytes(data[4..8].try_into().unwrap());
                assert_eq!(data[8], 8, "bit depth");
                color = data[9];
                assert_eq!(data[12], 0, "interlaced");
            }
            b"IDAT" => idat.extend_from_slice(data),
            _ => {}
        }
        pos += 12 + len;
    }
    let channels = match color {
        2 => 3,
        6 => 4,
        other => panic!("PNG color type {other}"),
    };
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&idat[..])
        .read_to_end(&mut raw)
        .unwrap();
    let stride = width as usize * channels;
    let mut prev = vec![0u8; stride];
    let mut pixels = Vec::with_capacity((width * height) as usize);
    for row in 0..height as usize {
        let start = row * (stride + 1);
        let filter = raw[start];
        let mut line = raw[start + 1..start + 1 + stride].to_vec();
        for i in 0..stride {
            let a = if i >= channels { line[i - channels] } else { 0 } as i16;
            let b = prev[i] as i16;
            let c = if i >= channels { prev[i - channels] } else { 0 } as i16;
            let add = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => {
                    let p = a + b - c;
                    let (pa, pb, pc) = ((p - a).abs(), (p - b).abs(), (p - c).abs());
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                f => panic!("PNG filter {f}"),
            };
            line[i] = line[i].wrapping_add(add as u8);
        }
        for px in line.chunks(channels) {
            pixels.push([px[0], px[1], px[2], if channels == 4 { px[3] } else { 255 }]);
        }
        prev = line;
    }
    (width, height, pixels)
}

/// Fails when a screenshot is blank: one colour, or nearly one.
fn assert_not_blank(name: &str, png: &[u8]) {
    let (w, h, pixels) = decode_png(png);
    assert_eq!(pixels.len(), (w * h) as usize, "{name}");
    let mut counts: BTreeMap<[u8; 4], usize> = BTreeMap::new();
    for p in &pixels {
        *counts.entry(*p).or_default() += 1;
    }
    let commonest = counts.values().max().copied().unwrap_or(0);
    assert!(counts.len() >= 64, "{name}: only {} colours", counts.len());
    assert!(
        commonest * 100 < pixels.len() * 97,
        "{name}: {commonest} of {} pixels are one colour",
        pixels.len()
    );
}

/// Console messages the page produced (a missing resource, a blocked
/// load or a script error all log one).
fn console_errors(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Failed to load resource"))
        .collect()
}

#[test]
fn a_browser_renders_the_index_and_a_sheet_page() {
    let Some(browser) = chromium() else {
        return;
    };
    let (tmp, out, site) = site("ja");
    let file = json(&department(&out, "総務部"));
    let sheet: &Value = &file["sheets"][2];
    let sheet_page = site
        .join("sheets")
        .join(format!("{}.html", sheet["id"].as_str().unwrap()));
    for (page, size) in [
        (site.join("index.html"), "1200,1400"),
        (sheet_page, "1000,1500"),
    ] {
        let (png, log) = render(&browser, &page, tmp.path(), size);
        let name = page.display().to_string();
        assert_not_blank(&name, &png);
        let errors = console_errors(&log);
        assert!(errors.is_empty(), "{name}: console: {errors:?}");
    }
}

#[test]
fn the_console_check_sees_a_broken_page() {
    // The check above can fail: a page that loads a missing file logs it.
    let Some(browser) = chromium() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("broken.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html lang=\"ja\"><body><p>x</p>\
         <script>console.error('broken page')</script></body></html>",
    )
    .unwrap();
    let (png, log) = render(&browser, &page, tmp.path(), "400,300");
    assert!(!console_errors(&log).is_empty(), "{log}");
    // And a blank page is blank.
    let blank = std::panic::catch_unwind(|| assert_not_blank("broken", &png));
    assert!(blank.is_err());
}

#[test]
fn municipalities_have_sections_of_their_own() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let site = tmp.path().join("site");
    let run = hyoka(&[
        "import",
        "--manifest",
        "fixtures/manifest/manifest.csv",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let run = hyoka(&[
        "report",
        out.to_str().unwrap(),
        "--out",
        site.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let pages = pages(&site);
    for (name, text) in &pages {
        parse(name, text);
    }
    let index = &pages["index.html"];
    let iga = index.find("<h2>伊賀市</h2>").expect("伊賀市");
    let nabari = index.find("<h2>名張市</h2>").expect("名張市");
    assert!(iga < nabari);
}

#[test]
fn an_output_folder_without_a_panel_still_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let site = tmp.path().join("site");
    assert!(
        import(&["fixtures/iga/000_46863bf7e879b4fa.txt"], &out, &[])
            .status
            .success()
    );
    // As an import by an earlier version left it.
    std::fs::remove_file(out.join("kpi_series.json")).unwrap();
    let run = report(&out, &site, "ja");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let pages = pages(&site);
    assert_eq!(pages.len(), 7);
    for (name, text) in &pages {
        assert!(parse(name, text).charts.is_empty(), "{name}");
    }
    assert!(pages["index.html"].contains("kpi_series.json がないため"));
}

/// Each KPI's status is shown: counted per department on the index, listed
/// with what needs attention first on the panel page, and on its sheet
/// page beside the KPI with the cross-check that names it.
#[test]
fn the_status_of_each_kpi_is_shown() {
    let (_tmp, out, site) = site("ja");
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(
        index.contains("<h2>成果指標の達成状況</h2>"),
        "status section"
    );
    // The output's files, linked from the site.
    assert!(
        index.contains("<h2>ダウンロード(JSON・CSV)</h2>"),
        "downloads"
    );
    let general = department(&out, "総務部");
    let shown = general
        .strip_prefix(&out)
        .unwrap()
        .to_str()
        .unwrap()
        .replace('\\', "/");
    let href = href_of(&index, &shown);
    assert_eq!(
        site.join(&href).canonicalize().unwrap(),
        department(&out, "総務部").canonicalize().unwrap(),
        "{href}"
    );
    assert!(index.contains("<span class=\"st behind\">遅れ</span>"));
    let kpis = std::fs::read_to_string(site.join("kpis.html")).unwrap();
    let behind = kpis.find("<span class=\"st behind\">遅れ</span>").unwrap();
    let achieved = kpis
        .find("<span class=\"st achieved\">達成</span>")
        .unwrap();
    assert!(behind < achieved, "behind comes first");
    let file = json(&department(&out, "総務部"));
    let sheet = file["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s.to_string().contains("妥当でないと判断された件数"))
        .unwrap();
    let page = std::fs::read_to_string(
        site.join("sheets")
            .join(format!("{}.html", sheet["id"].as_str().unwrap())),
    )
    .unwrap();
    assert!(page.contains("<span class=\"st behind\">遅れ</span>"));
    assert!(page.contains("少ないほどよい"));
    assert!(page.contains("<code>progress_inconsistent</code>"));
}

/// The statuses' colours reach the screen: the index's status table shows
/// the red of `behind` and the green of `achieved`.
#[test]
fn a_browser_shows_the_status_colours() {
    let Some(browser) = chromium() else {
        return;
    };
    let (tmp, _out, site) = site("ja");
    let (png, _) = render(&browser, &site.join("index.html"), tmp.path(), "1200,1400");
    let (_, _, pixels) = decode_png(&png);
    let near =
        |p: &[u8; 4], c: [u8; 3]| (0..3).all(|i| (i32::from(p[i]) - i32::from(c[i])).abs() <= 6);
    let behind = pixels
        .iter()
        .filter(|p| near(p, [0xfd, 0xe8, 0xe8]))
        .count();
    let achieved = pixels
        .iter()
        .filter(|p| near(p, [0xe3, 0xf4, 0xe5]))
        .count();
    assert!(behind > 50, "behind badge pixels: {behind}");
    assert!(achieved > 50, "achieved badge pixels: {achieved}");
}

/// The `href` of the first link whose text is `text`.
fn href_of(page: &str, text: &str) -> String {
    let end = page.find(&format!("\">{text}</a>")).unwrap();
    let start = page[..end].rfind("href=\"").unwrap() + 6;
    page[start..end].to_owned()
}

/// The page (`hyoka-web`, natively here) renders the report `hyoka report`
/// writes for an import of the same files, page for page and byte for
/// byte; only the index's list of downloads, which links into the output
/// folder, is the command's own. One case states the municipality, as a
/// person does on the page.
#[test]
fn the_page_renders_the_report_the_command_writes() {
    let cases: [(&[&str], Option<&str>); 3] = [
        (&YEARS, None),
        (&["fixtures/pdf/iga-2022-citylike-a4.pdf"], Some("242161")),
        (&["fixtures/projects/kaku-r6-list.xlsx"], None),
    ];
    for (files, municipality) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let (out, site) = (tmp.path().join("out"), tmp.path().join("site"));
        let extra: Vec<&str> = municipality.map_or(vec![], |m| vec!["--municipality", m]);
        assert!(import(files, &out, &extra).status.success(), "{files:?}");
        let run = report(&out, &site, "ja");
        assert_eq!(run.status.code(), Some(0), "{files:?}");
        let mut written = pages(&site);
        if site.join("projects.html").exists() {
            // pages() reads the site's two folders; projects.html is in the first.
            assert!(written.contains_key("projects.html"));
        }
        let index = written.get_mut("index.html").unwrap();
        let start = index
            .find("<section><h2>ダウンロード")
            .expect("downloads listed");
        let end = start + index[start..].find("</section>").unwrap() + "</section>".len();
        index.replace_range(start..end, "");

        let mut batch = hyoka_web::Batch::default();
        if let Some(m) = municipality {
            batch.set_municipality(m).unwrap();
        }
        for file in files {
            let bytes = std::fs::read(support::root().join(file)).unwrap();
            let name = Path::new(file).file_name().unwrap().to_str().unwrap();
            assert_eq!(batch.add(name, &bytes).status, "ok", "{file}");
        }
        let rendered: BTreeMap<String, String> = batch
            .report(hyoka_publish::report::Lang::Ja)
            .into_iter()
            .map(|p| (p.path, p.html))
            .collect();
        assert_eq!(
            rendered.keys().collect::<Vec<_>>(),
            written.keys().collect::<Vec<_>>(),
            "{files:?}"
        );
        for (path, html) in &rendered {
            assert!(html == &written[path], "{files:?}: {path} differs");
        }
        if municipality.is_some() {
            assert!(rendered["index.html"].contains("伊賀市"));
        }
    }
}
