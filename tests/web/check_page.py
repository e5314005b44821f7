#!/usr/bin/env python3
"""The browser page, in a real browser: builds nothing, takes the page built
by `web/build` (argument: its folder), serves it with the fixtures from
127.0.0.1, has headless Chromium import the fixture PDF and workbook, and
checks that

- every department file the page offers equals the CLI's golden copy, byte
  for byte (tests/golden/iga-pdf-a4, iga-xlsx, project-list);
- the page offers the open-data zip, and for a case the CLI ran with
  `--csv` (project-list, iga-text-csv) its entries equal the golden
  `csv/*.csv` and `datapackage.json`, byte for byte;
- a municipality stated in the page's field (iga-text-csv: 242161, as its
  golden run gave `--municipality`) is in the records;
- the page offers the report as a zip (`hyoka-report/`: the index, the KPI
  page and a page per sheet; its bytes equal `hyoka report`'s, which
  crates/hyoka-cli/tests/report.rs checks natively) and shows its index in
  a frame;
- the page shows its sheets, with the warnings in Japanese;
- the files are read in a Web Worker, and the page previews the KPIs'
  status per department;
- without a worker, the page reads the files itself; opened from disk
  (file://), the page starts too;
- a screenshot is not blank, and the console logged no error;

and prints the page's load size and how long the browser took to start,
load the page and import each file (wall clock).
"""

import base64
import html
import http.server
import io
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
CASES = {
    "fixtures/pdf/iga-2022-citylike-a4.pdf": "iga-pdf-a4",
    "fixtures/workbooks/iga-2022-workbook.xlsx": "iga-xlsx",
    "fixtures/projects/kaku-r6-list.xlsx": "project-list",
    "fixtures/iga/000_46863bf7e879b4fa.txt": "iga-text-csv",
}
# The municipality a case's golden run stated (`--municipality`), which the
# page is given in its field.
MUNICIPALITY = {"iga-text-csv": "242161"}
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0"]


def check_zip(case, dom):
    """The zip link is there; with the CLI's tables in the golden case, the
    zip's entries are those files, byte for byte."""
    if not re.search(r'<a [^>]*download="hyoka-opendata.zip"', dom):
        return [f"{case}: no open-data zip offered"]
    golden = ROOT / "tests/golden" / case
    if not (golden / "datapackage.json").exists():
        return []
    m = re.search(r'<pre id="zip-base64" hidden="">([^<]*)</pre>', dom)
    if not m:
        return [f"{case}: the zip's bytes are not in the page"]
    failures = []
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(m.group(1)))) as z:
        names = z.namelist()
        want = sorted(["datapackage.json"] + [f"csv/{p.name}" for p in (golden / "csv").iterdir()])
        if sorted(names) != want:
            failures.append(f"{case}: the zip holds {names}, not {want}")
        for name in names:
            path = golden / name
            if path.is_file() and z.read(name) != path.read_bytes():
                failures.append(f"{case}: the zip's {name} differs from the CLI's")
    if not failures:
        print(f"tests/web/check_page.py: {case}: the zip's {len(names)} files equal to the CLI's")
    return failures


def check_report(case, dom):
    """The report's zip: its index, its KPI page and one page per sheet the
    golden department files hold; the index shown in the page's frame."""
    found = re.search(r'<pre id="report-base64" hidden="">([^<]*)</pre>', dom)
    if not found or 'id="report-zip"' not in dom:
        return [f"{case}: no report zip offered"]
    names = zipfile.ZipFile(io.BytesIO(base64.b64decode(found.group(1)))).namelist()
    sheets = sum(len(json.loads(p.read_text())["sheets"])
                 for p in (ROOT / "tests/golden" / case / "departments").glob("*/*.json"))
    pages = [n for n in names if n.startswith("hyoka-report/sheets/")]
    failures = []
    if "hyoka-report/index.html" not in names or "hyoka-report/kpis.html" not in names:
        failures.append(f"{case}: the report zip has no index or KPI page: {names}")
    if len(pages) != sheets:
        failures.append(f"{case}: the report zip has {len(pages)} sheet page(s), the golden files {sheets} sheet(s)")
    if not re.search(r'<iframe id="report-frame"[^>]*srcdoc="[^"]*施策評価レポート', dom):
        failures.append(f"{case}: the report's index is not shown")
    return failures


def main(site):
    site = pathlib.Path(site).resolve()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        sys.exit("tests/web/check_page.py: chromium is missing (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        served = tmp / "www"
        shutil.copytree(site, served)
        for path in CASES:
            target = served / path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / path, target)
        # The page reads in a Web Worker, on real time: Chromium's virtual
        # clock would run out while the main thread waits. So the served
        # page holds its load event (which --dump-dom and --screenshot wait
        # for) on an image, /hold, answered once the page asks for /done
        # (its test hook does when the import is done) or, opened from
        # disk, after a few seconds.
        done = threading.Event()

        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self):
                if self.path.startswith("/hold"):
                    if "disk" in self.path:
                        time.sleep(5)
                    else:
                        done.wait(120)
                    self.send_response(204)
                    self.end_headers()
                elif self.path == "/done":
                    done.set()
                    self.send_response(204)
                    self.end_headers()
                else:
                    super().do_GET()

        handler = lambda *a: Handler(*a, directory=str(served))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        page = (served / "index.html").read_text()
        (served / "index.html").write_text(page.replace("</body>", '<img src="/hold" alt="" hidden>\n</body>'))
        (served / "disk.html").write_text(page.replace("</body>", f'<img src="{base}/hold?disk" alt="" hidden>\n</body>'))
        (served / "noworker.html").write_text(
            page.replace('<script src="pkg/hyoka_web_worker.js"></script>', "")
                .replace("</body>", '<img src="/hold" alt="" hidden>\n</body>'))
        url = f"{base}/index.html#load={','.join(CASES)}"
        failures = []
        # Each case alone, as the CLI's golden case imported it.
        for path, case in CASES.items():
            one = url.split("#")[0] + "#load=" + path
            if case in MUNICIPALITY:
                one += "&municipality=" + MUNICIPALITY[case]
            started = time.monotonic()
            done.clear()
            run = subprocess.run([browser, *FLAGS, f"--user-data-dir={tmp / 'p1'}",
                                  "--dump-dom", one],
                                 capture_output=True, text=True, timeout=300)
            dom = run.stdout
            if 'data-done="true"' not in dom:
                failures.append(f"{case}: the page did not finish: {run.stderr[-2000:]}")
                continue
            pres = re.findall(r'<pre id="department-\d+" hidden="" data-name="([^"]+)">(.*?)</pre>', dom, re.S)
            if not pres:
                failures.append(f"{case}: no department file offered")
            for name, text in pres:
                found = sorted((ROOT / "tests/golden" / case / "departments").glob("*/" + html.unescape(name)))
                if len(found) != 1:
                    failures.append(f"{case}: {name}: {len(found)} golden department file(s) of that name")
                    continue
                want = found[0].read_text()
                if html.unescape(text) != want:
                    failures.append(f"{case}: {name} differs from the CLI's")
            failures += check_zip(case, dom)
            failures += check_report(case, dom)
            # Served over http, the files are read in a Web Worker.
            if 'data-engine="worker"' not in dom:
                failures.append(f"{case}: the files were not read in a worker")
            golden_panel = json.loads((ROOT / "tests/golden" / case / "kpi_series.json").read_text())
            if golden_panel["series"] and '<table id="kpi-status"' not in dom:
                failures.append(f"{case}: no preview of the KPIs' status")
            if "成果指標" not in dom or "評価シートの取り込み" not in dom:
                failures.append(f"{case}: the page shows no Japanese result")
            # The wall clock of the whole browser run (start, load, import,
            # dump) is the honest figure.
            print(f"tests/web/check_page.py: {path}: {len(pres)} department file(s) equal to the CLI's; "
                  f"browser started, page loaded and file imported in {time.monotonic() - started:.1f} s")
            errors = [l for l in run.stderr.splitlines() if "CONSOLE" in l or "Failed to load" in l]
            if errors:
                failures.append(f"{case}: console: {errors}")
        # Without a worker, the page reads the files itself.
        path = next(iter(CASES))
        done.clear()
        run = subprocess.run([browser, *FLAGS, f"--user-data-dir={tmp / 'p4'}", "--dump-dom",
                              f"{base}/noworker.html#load={path}"], capture_output=True, text=True, timeout=300)
        if 'data-engine="page"' not in run.stdout or 'data-done="true"' not in run.stdout \
                or 'download="hyoka-opendata.zip"' not in run.stdout:
            failures.append(f"without a worker, the page did not read {path}: {run.stderr[-2000:]}")
        else:
            print(f"tests/web/check_page.py: without a worker, the page read {path} itself")
        # Opened from disk: the page starts (in a worker where the browser
        # allows one made from a Blob URL, else on the page) and stays quiet.
        run = subprocess.run([browser, *FLAGS, f"--user-data-dir={tmp / 'p3'}",
                              "--dump-dom", (served / "disk.html").as_uri()],
                             capture_output=True, text=True, timeout=300)
        engine = re.search(r'data-engine="(\w+)"', run.stdout)
        if not engine:
            failures.append(f"opened from disk, the page did not start: {run.stderr[-2000:]}")
        else:
            print(f"tests/web/check_page.py: opened from disk, the page reads files in the {engine.group(1)}")
        errors = [l for l in run.stderr.splitlines() if "CONSOLE" in l or "Failed to load" in l]
        if errors:
            failures.append(f"opened from disk: console: {errors}")
        shot = tmp / "page.png"
        done.clear()
        run = subprocess.run([browser, *FLAGS, f"--user-data-dir={tmp / 'p2'}",
                              "--window-size=1100,1400", f"--screenshot={shot}", url],
                             capture_output=True, text=True, timeout=300)
        if not shot.exists():
            failures.append(f"no screenshot: {run.stderr[-2000:]}")
        else:
            from PIL import Image
            img = Image.open(shot).convert("RGB")
            colours = img.getcolors(maxcolors=1 << 20) or []
            commonest = max((c for c, _ in colours), default=0)
            total = img.width * img.height
            if len(colours) < 64 or commonest * 100 >= total * 97:
                failures.append(f"the screenshot is blank ({len(colours)} colours)")
        size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
        print(f"tests/web/check_page.py: the page loads {size / (1 << 20):.1f} MiB "
              f"({', '.join(sorted(p.name for p in site.rglob('*') if p.is_file()))})")
        server.shutdown()
    if failures:
        sys.exit("tests/web/check_page.py:\n  " + "\n  ".join(failures))
    print("tests/web/check_page.py: 1 passed, 0 failed")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "target/web")
