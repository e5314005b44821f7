// The page: files in, sheets and warnings shown, department files out.
// Everything runs in this browser; nothing is sent anywhere.
"use strict";

const TEXT = {
  ja: {
    title: "評価シートの取り込み", lang: "English",
    offline: "このページはファイルをどこにも送りません。読み込みも変換もこのブラウザの中だけで行います(インストール不要、読み込み後はオフラインでも動きます)。",
    drop: "PDF・Excel ブック・テキストをここにドロップするか、クリックして選んでください",
    downloads: "部局ファイル(JSON)",
    opendata: "オープンデータ", zip: "CSV とデータパッケージ (zip)",
    zipNote: "hyoka import --csv と同じ csv/*.csv と datapackage.json(見出しは日本語)",
    preview: "成果指標の達成状況", previewNote: "hyoka report の索引ページと同じ数え方(各指標の最新の報告)です。",
    report: "レポート", reportZip: "レポート(HTML、zip)",
    reportNote: "hyoka report と同じページ(シートごとのページ、成果指標のグラフ)。展開して index.html を開いてください",
    reportPreview: "レポートの索引ページ(プレビュー)",
    municipalityLabel: "自治体コード(任意、全国地方公共団体コード 6 桁)",
    municipalityNote: "ファイルに自治体名がないとき、hyoka import --municipality と同じく、以後に読み込むファイルすべての自治体にします。",
    municipalityNone: "指定なし",
    municipality: "自治体", municipalityUnknown: "自治体の記載なし", total: "成果指標",
    st_behind: "遅れ", st_on_track: "順調", st_achieved: "達成", st_unknown: "不明", st_no_target: "目標なし",
    footer: "hyoka の同じライブラリを WebAssembly で動かしています。出力はコマンド版の hyoka import と同じバイト列です。",
    reading: (i, n, name) => `読み込み中 ${i}/${n}: ${name}`,
    done: (n, s, ms) => `${n} ファイル、${s} シートを ${ms} ミリ秒で読み込みました`,
    file: "ファイル", status: "状態", sheets: "シート", department: "部局", policy: "施策",
    year: "年度", kpis: "成果指標", behind: "うち遅れ", warnings: "警告",
    ok: "成功", skipped: "シートなし", error: "失敗", download: "保存",
  },
  en: {
    title: "Import evaluation sheets", lang: "日本語",
    offline: "This page sends your files nowhere: they are read and converted in this browser only (nothing to install; works offline once loaded).",
    drop: "Drop PDFs, workbooks or text exports here, or click to choose",
    downloads: "Department files (JSON)",
    opendata: "Open data", zip: "CSV tables and Data Package (zip)",
    zipNote: "the same csv/*.csv and datapackage.json as hyoka import --csv (Japanese headers)",
    preview: "KPIs on track", previewNote: "Counted as the index page of hyoka report counts them (each KPI by its latest report).",
    report: "Report", reportZip: "Report (HTML, zip)",
    reportNote: "the pages hyoka report writes (a page per sheet, the KPI charts); unpack it and open index.html",
    reportPreview: "The report's index page (preview)",
    municipalityLabel: "Municipality code (optional, the 6-digit 全国地方公共団体コード)",
    municipalityNote: "Where the files do not name their city: states it for every file read, as hyoka import --municipality does.",
    municipalityNone: "none stated",
    municipality: "Municipality", municipalityUnknown: "Municipality not stated", total: "KPIs",
    st_behind: "behind", st_on_track: "on track", st_achieved: "achieved", st_unknown: "not known", st_no_target: "no target",
    footer: "The same hyoka library, built to WebAssembly. The output is byte for byte what the hyoka import command writes.",
    reading: (i, n, name) => `Reading ${i}/${n}: ${name}`,
    done: (n, s, ms) => `Read ${n} file(s), ${s} sheet(s) in ${ms} ms`,
    file: "File", status: "Status", sheets: "Sheets", department: "Department", policy: "Policy",
    year: "Fiscal year", kpis: "KPIs", behind: "behind", warnings: "Warnings",
    ok: "ok", skipped: "no sheet", error: "failed", download: "Save",
  },
};
// Japanese first, whatever the browser's language; English on request.
let lang = location.hash.indexOf("lang=en") >= 0 ? "en" : "ja";
let engine = null;
let reports = [];
// The department files and the open-data zip of what has been read.
let outputs = {departments: [], zip: null, status: [], reportZip: null, reportIndex: ""};
// Every file dropped, so that they are read again when the municipality changes.
let dropped = [];

function t(key) { return TEXT[lang][key]; }

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  document.getElementById("lang").textContent = t("lang");
  render();
}

// The reading engine: a Web Worker when the browser starts one, so the
// page stays responsive on a large batch; otherwise (a browser that refuses
// a worker, such as some for a page opened from disk) the same module on
// this page, which then reads a file at a time and draws the progress
// between files. Both give the same bytes.
function workerEngine() {
  return new Promise((resolve, reject) => {
    if (typeof Worker === "undefined" || typeof HYOKA_WORKER_SOURCE === "undefined") {
      reject(new Error("no worker"));
      return;
    }
    let worker;
    try {
      worker = new Worker(URL.createObjectURL(new Blob([HYOKA_WORKER_SOURCE], {type: "text/javascript"})));
    } catch (err) {
      reject(err);
      return;
    }
    const waiting = new Map();
    let next = 0;
    let failed = null;
    const call = (message, transfer) => new Promise((res, rej) => {
      if (failed) { rej(failed); return; }
      const id = ++next;
      waiting.set(id, {res, rej});
      worker.postMessage({...message, id}, transfer || []);
    });
    worker.onerror = (e) => {
      e.preventDefault();
      failed = new Error(e.message || "worker failed");
      reject(failed);
      for (const w of waiting.values()) w.rej(failed);
      waiting.clear();
    };
    worker.onmessage = (e) => {
      const m = e.data;
      if (m.type === "ready") {
        resolve({
          kind: "worker",
          version: m.version,
          add: (name, bytes) => call({type: "add", name, bytes: bytes.buffer}, [bytes.buffer]).then((r) => r.report),
          municipality: (code) => call({type: "municipality", code}).then((r) => r.answer),
          reset: () => call({type: "reset"}),
          outputs: () => call({type: "outputs", lang}),
        });
        return;
      }
      const w = waiting.get(m.id);
      if (!w) { if (m.type === "failed") reject(new Error(m.message)); return; }
      waiting.delete(m.id);
      if (m.type === "failed") w.rej(new Error(m.message)); else w.res(m);
    };
    worker.postMessage({type: "init", wasm: HYOKA_WASM_BYTES()});
  });
}

async function pageEngine() {
  await wasm_bindgen({ module_or_path: HYOKA_WASM_BYTES() });
  let session = new wasm_bindgen.Session();
  return {
    kind: "page",
    version: wasm_bindgen.version(),
    add: async (name, bytes) => {
      // Let the page draw the progress before the file is read.
      await new Promise((r) => setTimeout(r, 0));
      return session.add(name, bytes);
    },
    municipality: async (code) => session.setMunicipality(code),
    reset: async () => { session.free(); session = new wasm_bindgen.Session(); },
    outputs: async () => ({departments: session.departmentFiles(), zip: session.openDataZip(), status: session.kpiStatus(),
                           reportZip: session.reportZip(lang), reportIndex: session.reportIndex(lang)}),
  };
}

async function ready() {
  // The module's bytes ship inside hyoka_web_wasm.js, so the page also
  // works opened from disk, where a browser refuses to fetch files.
  try {
    engine = await workerEngine();
  } catch (err) {
    engine = await pageEngine();
  }
  document.body.dataset.engine = engine.kind;
  document.getElementById("version").textContent = "hyoka " + engine.version;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

async function importFiles(files) {
  dropped.push(...files);
  await readFiles(files);
}

async function readFiles(files) {
  const bar = document.getElementById("progress");
  const status = document.getElementById("status");
  bar.hidden = false; bar.max = files.length; bar.value = 0;
  const started = performance.now();
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    status.textContent = t("reading")(i + 1, files.length, f.name);
    const bytes = new Uint8Array(await f.arrayBuffer());
    try {
      reports.push(JSON.parse(await engine.add(f.name, bytes)));
    } catch (err) {
      reports.push({file: f.name, status: "error", error: String(err.message || err), sheets: [], warnings: []});
    }
    bar.value = i + 1;
  }
  await refreshOutputs();
  const ms = Math.round(performance.now() - started);
  const sheets = reports.reduce((n, r) => n + r.sheets.length, 0);
  status.textContent = t("done")(reports.length, sheets, ms);
  status.dataset.ms = String(ms);
  render();
}

// The outputs of what has been read, the report in the page's language.
async function refreshOutputs() {
  const made = await engine.outputs();
  outputs = {departments: JSON.parse(made.departments), zip: made.zip, status: JSON.parse(made.status),
             reportZip: made.reportZip, reportIndex: made.reportIndex};
}

// The municipality stated for every file: the files read so far are read
// again under it, in the order they were dropped.
async function stateMunicipality(code) {
  const shown = document.getElementById("municipality-name");
  const answer = JSON.parse(await engine.municipality(code));
  if (answer.error) {
    shown.textContent = lang === "ja" ? answer.error_ja : answer.error;
    shown.className = "error";
    return false;
  }
  shown.className = "";
  shown.dataset.code = answer.code || "";
  shown.textContent = answer.code ? `${answer.code} ${answer.name || ""}` : t("municipalityNone");
  if (dropped.length > 0) {
    await engine.reset();
    await engine.municipality(code);
    reports = [];
    await readFiles(dropped);
  }
  return true;
}

function render() {
  const results = document.getElementById("results");
  results.replaceChildren();
  if (!engine || reports.length === 0) return;
  const table = el("table", {id: "sheets"}, el("tr", {},
    ...["file", "status", "department", "policy", "year", "kpis", "behind", "warnings"].map((k) => el("th", {}, t(k)))));
  for (const r of reports) {
    if (r.sheets.length === 0) {
      table.append(el("tr", {}, el("td", {}, r.file), el("td", {}, el("span", {class: "st " + r.status}, t(r.status))),
        el("td", {colspan: "6"}, r.error || "")));
    }
    for (const s of r.sheets) {
      const warnings = el("ul", {});
      for (const w of s.warnings.concat(r.warnings)) {
        warnings.append(el("li", {class: "w", title: w.message}, (lang === "ja" ? w.meaning_ja : w.message) + " [" + w.code + "]"));
      }
      table.append(el("tr", {}, el("td", {}, r.file), el("td", {}, el("span", {class: "st ok"}, t("ok"))),
        el("td", {}, s.department), el("td", {}, s.title), el("td", {}, s.fiscal_year == null ? "" : String(s.fiscal_year)),
        el("td", {}, String(s.kpis)), el("td", {}, String(s.kpis_behind)), el("td", {}, warnings)));
    }
  }
  results.append(table);
  const out = document.getElementById("files-out");
  out.replaceChildren();
  const files = outputs.departments;
  files.forEach((f, i) => {
    const url = URL.createObjectURL(new Blob([f.json], {type: "application/json"}));
    out.append(el("li", {}, el("a", {href: url, download: f.file_name, class: "department"}, f.file_name),
      ` (${f.sheets} ${t("sheets")})`, el("pre", {id: "department-" + i, hidden: "", "data-name": f.file_name}, f.json)));
  });
  document.getElementById("downloads").hidden = files.length === 0;
  renderZip(files.length > 0 ? outputs.zip : null);
  renderReport(files.length > 0 ? outputs : null);
  renderPreview(outputs.status);
}

// The report: its pages as a zip, and its index page shown in a frame
// that runs no script and follows no link.
let reportUrl = null;
function renderReport(made) {
  const out = document.getElementById("report-out");
  const frame = document.getElementById("report-frame");
  out.replaceChildren();
  if (reportUrl) URL.revokeObjectURL(reportUrl);
  reportUrl = null;
  document.getElementById("report").hidden = !made;
  if (!made) { frame.srcdoc = ""; return; }
  reportUrl = URL.createObjectURL(new Blob([made.reportZip], {type: "application/zip"}));
  out.append(el("li", {}, el("a", {href: reportUrl, download: "hyoka-report.zip", id: "report-zip",
    "data-bytes": String(made.reportZip.length)}, t("reportZip")), ` — ${t("reportNote")}`));
  frame.srcdoc = made.reportIndex;
}

// The report's index page, reduced: how many KPIs stand where, per
// department and in all, as hyoka report shows them.
function renderPreview(rows) {
  const section = document.getElementById("preview");
  const out = document.getElementById("preview-out");
  out.replaceChildren();
  section.hidden = rows.length === 0;
  if (rows.length === 0) return;
  const codes = rows[0].counts.map(([code]) => code);
  const table = el("table", {id: "kpi-status", class: "statuses"}, el("tr", {},
    el("th", {}, t("municipality")), el("th", {}, t("department")),
    ...codes.map((c) => el("th", {class: "n"}, el("span", {class: "st " + c}, t("st_" + c))))));
  const total = codes.map(() => 0);
  for (const r of rows) {
    table.append(el("tr", {}, el("td", {}, r.municipality == null ? t("municipalityUnknown") : r.municipality),
      el("td", {}, r.department), ...r.counts.map(([, n], i) => { total[i] += n; return el("td", {class: "n"}, String(n)); })));
  }
  table.append(el("tr", {class: "total"}, el("td", {}, ""), el("td", {}, t("total")),
    ...total.map((n) => el("td", {class: "n"}, String(n)))));
  out.append(table);
}

// The open-data zip, made again for what has been read so far.
let zipUrl = null;
function renderZip(bytes) {
  const out = document.getElementById("zip-out");
  out.replaceChildren();
  if (zipUrl) URL.revokeObjectURL(zipUrl);
  zipUrl = null;
  if (!bytes) return;
  zipUrl = URL.createObjectURL(new Blob([bytes], {type: "application/zip"}));
  out.append(el("li", {}, el("a", {href: zipUrl, download: "hyoka-opendata.zip", id: "zip", "data-bytes": String(bytes.length)}, t("zip")),
    ` — ${t("zipNote")}`));
}

const drop = document.getElementById("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); importFiles([...e.dataTransfer.files]); });
document.getElementById("files").addEventListener("change", (e) => importFiles([...e.target.files]));
document.getElementById("lang").addEventListener("click", async () => {
  lang = lang === "ja" ? "en" : "ja";
  // The report is rendered in the page's language.
  if (engine && reports.length > 0) await refreshOutputs();
  applyLanguage();
});
document.getElementById("municipality").addEventListener("change", (e) => stateMunicipality(e.target.value));

// A test hook: `#load=a.pdf,b.xlsx` fetches those files (from the same
// server) and imports them as if they were dropped.
ready().then(async () => {
  applyLanguage();
  const m = location.hash.match(/load=([^&]+)/);
  const code = location.hash.match(/municipality=([^&]+)/);
  if (code) {
    document.getElementById("municipality").value = code[1];
    await stateMunicipality(code[1]);
  }
  if (m) {
    const files = [];
    for (const path of decodeURIComponent(m[1]).split(",")) {
      const res = await fetch(path);
      // A dropped file has its name only, as `hyoka import` records a file given.
      files.push(new File([await res.arrayBuffer()], path.split("/").pop()));
    }
    await importFiles(files);
    // The zips' bytes in the page too, for the test to compare.
    for (const [url, id] of [[zipUrl, "zip-base64"], [reportUrl, "report-base64"]]) {
      if (!url) continue;
      const zip = new Uint8Array(await (await fetch(url)).arrayBuffer());
      let text = "";
      for (let i = 0; i < zip.length; i += 0x8000) text += String.fromCharCode(...zip.subarray(i, i + 0x8000));
      document.body.append(el("pre", {id, hidden: ""}, btoa(text)));
    }
    document.body.dataset.done = "true";
    // Tells the test's server the import is done (tests/web/check_page.py).
    fetch("done").catch(() => {});
  }
});
