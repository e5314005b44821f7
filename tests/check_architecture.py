#!/usr/bin/env python3
"""Checks the workspace's module structure, as .ci/run calls it.

- No import circle between modules of a crate (a module is a file; an
  edge is a `crate::`, `super::` or `self::` path outside comments and
  test modules, a re-export resolved to the module that defines the name).
- No reader reaching up to the orchestrator: the text, workbook and PDF
  readers use nothing defined in `lib.rs`.
- No function over 150 lines, and no file over 800 lines of code before
  its tests unless its first lines say why (`Long because: ...`).

Usage: python3 tests/check_architecture.py [CRATE_SRC ...]
(default: every crates/*/src). Exits 1 and says what is wrong otherwise.
"""

import os
import re
import sys

MAX_FUNCTION_LINES = 150
MAX_FILE_LINES = 800
READERS = [("text",), ("workbook",), ("pdf",)]


def modules(src):
    """Every module of a crate by its path (a tuple), with its text."""
    found = {}
    for folder, _, files in os.walk(src):
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(folder, name)
            parts = os.path.relpath(path, src)[:-3].split(os.sep)
            if parts[-1] in ("mod", "lib", "main"):
                parts = parts[:-1]
            with open(path, encoding="utf-8") as f:
                found[tuple(parts)] = (path, f.read())
    return found


def code_of(text):
    """The text before its test module, without comments."""
    cut = [i for i in (text.find("#[cfg(test)]"), text.find("#[cfg(all(test")) if i >= 0]
    if cut:
        text = text[: min(cut)]
    return re.sub(r"//[^\n]*", "", text)


class Crate:
    def __init__(self, src):
        self.src = src
        self.mods = modules(src)
        self.code = {m: code_of(t) for m, (_, t) in self.mods.items()}
        # Names a module re-exports from a child (`pub use child::{A, B}`),
        # and names the crate root re-exports from anywhere.
        self.child_export = {}
        for m, text in self.code.items():
            for found in re.finditer(
                r"pub use (?:self::)?([a-z_]+)::(?:\{([^}]*)\}|([A-Za-z_]+));", text
            ):
                if m + (found.group(1),) not in self.mods:
                    continue
                for name in (found.group(2) or found.group(3)).split(","):
                    name = name.strip().split(" as ")[-1].strip()
                    if name:
                        self.child_export.setdefault(m, {})[name] = found.group(1)
        self.root_export = {}
        for found in re.finditer(
            r"pub use crate::((?:[a-z_]+::)*)(?:\{([^}]*)\}|([A-Za-z_]+));",
            self.code.get((), ""),
        ):
            path = [p for p in found.group(1).split("::") if p]
            for name in (found.group(2) or found.group(3)).split(","):
                name = name.strip().split(" as ")[-1].strip()
                if name:
                    self.root_export[name] = path
        self.root_defs = set(
            re.findall(
                r"^(?:pub )?(?:fn|struct|enum|const|static|type|trait) ([A-Za-z_]\w*)",
                self.code.get((), ""),
                re.M,
            )
        )

    def resolve(self, here, path):
        segs = path.split("::")
        if segs[0] == "crate":
            segs = segs[1:]
            if segs and (segs[0],) not in self.mods and segs[0] in self.root_export:
                segs = self.root_export[segs[0]] + segs[1:]
            base = []
        elif segs[0] == "super":
            base = list(here)
            while segs and segs[0] == "super":
                base, segs = base[:-1], segs[1:]
        elif segs[0] == "self":
            base, segs = list(here), segs[1:]
        else:
            return None
        full = base + segs
        for k in range(1, len(full)):
            m, name = tuple(full[:k]), full[k]
            if m in self.child_export and name in self.child_export[m]:
                full = list(m) + [self.child_export[m][name]] + full[k:]
                break
        best = None
        for k in range(len(full) + 1):
            if tuple(full[:k]) in self.mods:
                best = tuple(full[:k])
        if best == () and full[-1] not in self.root_defs:
            return None  # a name the root only re-exports
        return best

    def edges(self):
        out = {m: set() for m in self.mods}
        for m, text in self.code.items():
            paths = re.findall(r"\b((?:crate|super|self)(?:::[A-Za-z_]\w*)+)", text)
            for group in re.finditer(
                r"use ((?:crate|super|self)(?:::[a-z_]\w*)*)::\{([^;]*)\}", text, re.S
            ):
                for item in re.split(r"[,\s]+", group.group(2)):
                    item = item.split("::")[0].strip("{} ")
                    if item and item != "self":
                        paths.append(group.group(1) + "::" + item)
            for path in paths:
                target = self.resolve(m, path)
                if target is not None and target != m:
                    out[m].add(target)
        return out


def cycles(edges):
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(component)

    sys.setrecursionlimit(10000)
    for v in edges:
        if v not in index:
            visit(v)
    return found


def long_functions(path, text):
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = re.match(r"^(\s*)(?:pub(?:\([^)]*\))? )?(?:const )?(?:async )?fn (\w+)", line)
        if not m or line.rstrip().endswith(";"):
            continue
        indent = m.group(1)
        for j in range(i + 1, len(lines)):
            if lines[j] == indent + "}":
                if j - i + 1 > MAX_FUNCTION_LINES:
                    yield f"{path}:{i + 1}: fn {m.group(2)} is {j - i + 1} lines (at most {MAX_FUNCTION_LINES})"
                break


def main(srcs):
    problems = []
    for src in srcs:
        crate = Crate(src)
        name = lambda m: "::".join(m) or "crate"
        edges = crate.edges()
        for component in cycles(edges):
            problems.append(f"{src}: import circle: {' -> '.join(name(m) for m in component)}")
        if os.path.basename(os.path.dirname(src.rstrip("/"))) == "hyoka":
            for reader in READERS:
                for m in crate.mods:
                    if m[: len(reader)] == reader and () in edges[m]:
                        problems.append(f"{src}: the reader {name(m)} uses the orchestrator (lib.rs)")
        for m, (path, text) in crate.mods.items():
            problems.extend(long_functions(path, text))
            code = code_of(text)
            if code.count("\n") > MAX_FILE_LINES and "Long because:" not in text[:2000]:
                problems.append(
                    f"{path}: {code.count(chr(10))} lines of code (at most {MAX_FILE_LINES} "
                    "without a `Long because:` line in its module docs)"
                )
    for p in problems:
        print(p)
    if problems:
        print(f"check_architecture: {len(problems)} problem(s)")
        return 1
    print(f"check_architecture: {len(srcs)} crate(s): no import circle, no reader reaching up, "
          f"no function over {MAX_FUNCTION_LINES} lines, no file over {MAX_FILE_LINES} without a reason")
    return 0


if __name__ == "__main__":
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    srcs = sys.argv[1:] or sorted(
        os.path.join(root, "crates", c, "src") for c in os.listdir(os.path.join(root, "crates"))
    )
    sys.exit(main(srcs))
