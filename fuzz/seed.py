#!/usr/bin/env python3
"""Seeds libFuzzer's working corpora (fuzz/work/<target>/) from fixtures/.

    python3 fuzz/seed.py            # from the repository root or anywhere

text: every text fixture (converter text, TSV, CSV in every encoding);
workbook: every workbook fixture, broken ones included;
zip_parts: each XML part of the two template workbooks, prefixed with the
selector byte that puts it back in place (see src/lib.rs);
pdf: every PDF fixture (the small uncompressed synthetic ones mutate best).
The kept, minimized corpus in fuzz/corpus/<target>/ is added too.
"""

import pathlib
import shutil
import zipfile

FUZZ = pathlib.Path(__file__).resolve().parent
ROOT = FUZZ.parent
FIX = ROOT / "fixtures"


def put(target, name, data):
    d = FUZZ / "work" / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


def main():
    for target in ["text", "workbook", "zip_parts", "pdf"]:
        kept = FUZZ / "corpus" / target
        if kept.is_dir():
            for f in kept.iterdir():
                put(target, "kept-" + f.name, f.read_bytes())
    for f in sorted(FIX.rglob("*")):
        if not f.is_file():
            continue
        ext = f.suffix.lower()
        name = "-".join(f.relative_to(FIX).parts)
        if ext in (".txt", ".tsv", ".csv"):
            put("text", name, f.read_bytes())
        elif ext in (".xlsx", ".xls", ".ods"):
            put("workbook", name, f.read_bytes())
        elif ext == ".pdf":
            put("pdf", name, f.read_bytes())
    templates = [FIX / "workbooks/odd-cells.xlsx", FIX / "workbooks/iga-2022-workbook.ods"]
    for t, path in enumerate(templates):
        with zipfile.ZipFile(path) as z:
            for i, info in enumerate(z.infolist()):
                if info.filename.endswith((".xml", ".rels")):
                    data = z.read(info)
                    put("zip_parts", f"{path.stem}-{i:02}", bytes([(i << 1) | t]) + data)


if __name__ == "__main__":
    main()
