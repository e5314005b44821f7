// The reading engine in a Web Worker, so the page stays responsive while a
// large batch is read. web/build puts this file after the wasm-bindgen glue
// (pkg/hyoka_web.js) into one string, HYOKA_WORKER_SOURCE, that the page
// starts as a worker from a Blob URL: a page opened from disk may run a
// worker made that way, where it may not load a worker script from a file.
// The module's bytes come from the page in the first message.
"use strict";

let session = null;

onmessage = async (event) => {
  const m = event.data;
  try {
    if (m.type === "init") {
      await wasm_bindgen({ module_or_path: m.wasm });
      session = new wasm_bindgen.Session();
      postMessage({ type: "ready", version: wasm_bindgen.version() });
    } else if (m.type === "add") {
      postMessage({ type: "added", id: m.id, report: session.add(m.name, new Uint8Array(m.bytes)) });
    } else if (m.type === "municipality") {
      postMessage({ type: "municipality", id: m.id, answer: session.setMunicipality(m.code) });
    } else if (m.type === "reset") {
      session.free();
      session = new wasm_bindgen.Session();
      postMessage({ type: "reset", id: m.id });
    } else if (m.type === "outputs") {
      const zip = session.openDataZip();
      const reportZip = session.reportZip(m.lang);
      postMessage({ type: "outputs", id: m.id, departments: session.departmentFiles(), zip, status: session.kpiStatus(),
                    reportZip, reportIndex: session.reportIndex(m.lang) }, [zip.buffer, reportZip.buffer]);
    }
  } catch (err) {
    postMessage({ type: "failed", id: m.id, message: String(err && err.message || err) });
  }
};
