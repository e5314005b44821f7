// The page: files in, sheets and warnings shown, department files out.
// Everything runs in this browser; nothing is sent anywhere.
"use strict";

const TEXT = {
  ja: {
    title: "評価シートの取り込み", lang: "English",
    offline: "このページはファイルをどこにも送りません。読み込みも変換もこのブラウザの中だけで行います(インストール不要、読み込み後はオフラインでも動きます)。",
    drop: "PDF・Excel ブック・テキストをここにドロップするか、クリックして選んでください",
    downloads: "部局ファイル(JSON)",
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
let session = null;
let reports = [];

function t(key) { return TEXT[lang][key]; }

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  document.getElementById("lang").textContent = t("lang");
  render();
}

async function ready() {
  // The module's bytes ship inside hyoka_web_wasm.js, so the page also
  // works opened from disk, where a browser refuses to fetch files.
  await wasm_bindgen({ module_or_path: HYOKA_WASM_BYTES() });
  session = new wasm_bindgen.Session();
  document.getElementById("version").textContent = "hyoka " + wasm_bindgen.version();
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

async function importFiles(files) {
  const bar = document.getElementById("progress");
  const status = document.getElementById("status");
  bar.hidden = false; bar.max = files.length; bar.value = 0;
  const started = performance.now();
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    status.textContent = t("reading")(i + 1, files.length, f.name);
    // Let the page draw the progress before the file is read.
    await new Promise((r) => setTimeout(r, 0));
    const bytes = new Uint8Array(await f.arrayBuffer());
    reports.push(JSON.parse(session.add(f.name, bytes)));
    bar.value = i + 1;
  }
  const ms = Math.round(performance.now() - started);
  const sheets = reports.reduce((n, r) => n + r.sheets.length, 0);
  status.textContent = t("done")(reports.length, sheets, ms);
  status.dataset.ms = String(ms);
  render();
}

function render() {
  const results = document.getElementById("results");
  results.replaceChildren();
  if (!session || reports.length === 0) return;
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
  const files = JSON.parse(session.departmentFiles());
  files.forEach((f, i) => {
    const url = URL.createObjectURL(new Blob([f.json], {type: "application/json"}));
    out.append(el("li", {}, el("a", {href: url, download: f.file_name, class: "department"}, f.file_name),
      ` (${f.sheets} ${t("sheets")})`, el("pre", {id: "department-" + i, hidden: "", "data-name": f.file_name}, f.json)));
  });
  document.getElementById("downloads").hidden = files.length === 0;
}

const drop = document.getElementById("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); importFiles([...e.dataTransfer.files]); });
document.getElementById("files").addEventListener("change", (e) => importFiles([...e.target.files]));
document.getElementById("lang").addEventListener("click", () => { lang = lang === "ja" ? "en" : "ja"; applyLanguage(); });

// A test hook: `#load=a.pdf,b.xlsx` fetches those files (from the same
// server) and imports them as if they were dropped.
ready().then(async () => {
  applyLanguage();
  const m = location.hash.match(/load=([^&]+)/);
  if (m) {
    const files = [];
    for (const path of decodeURIComponent(m[1]).split(",")) {
      const res = await fetch(path);
      // A dropped file has its name only, as `hyoka import` records a file given.
      files.push(new File([await res.arrayBuffer()], path.split("/").pop()));
    }
    await importFiles(files);
    document.body.dataset.done = "true";
  }
});
