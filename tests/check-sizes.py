#!/usr/bin/python3
"""Lists the source files over 800 lines and the functions over 80 lines.

Reads the C and C++ files of core/ hw/ store/ sync/ server/ cli/ app/ as
text. The tree is formatted by clang-format in GNU style, so a function's
body opens with "{" alone at column 0, right after its declarator (a line
"name (" at column 0, possibly continued over a few lines), and closes with
"}" alone at column 0; a struct or an initializer never looks like that.
A function's length is the count of lines between its braces.

A file or function with a reason a reader would accept is listed in
tests/check-sizes.allow ("path" or "path:function", then the reason);
anything else over a limit fails the test. An allowed entry that is no
longer over its limit fails too, so the list never outlives its reasons.

  check-sizes.py            fail on an offender not allowed
  check-sizes.py --all      print every offender, allowed or not, and exit 0
"""
import os
import re
import subprocess
import sys

FOLDERS = ("core", "hw", "paper", "store", "sync", "server", "cli", "app")
MAX_FILE_LINES = 800
MAX_FUNCTION_LINES = 80
DECLARATOR = re.compile(r"^(?:[A-Za-z_][\w:]*\s+\**)*\**([A-Za-z_][\w:]*)\s*\(")


def source_files(root):
    try:
        out = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--"]
            + list(FOLDERS),
            cwd=root, capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        out = []
        for folder in FOLDERS:
            for dirpath, _, names in os.walk(os.path.join(root, folder)):
                out += [os.path.relpath(os.path.join(dirpath, n), root) for n in names]
    return sorted(f for f in out if f.endswith((".c", ".cpp"))
                  and os.path.isfile(os.path.join(root, f)))


def function_name(lines, brace):
    """The name declared just above the "{" at @brace, or None."""
    for i in range(brace - 1, max(brace - 12, -1), -1):
        line = lines[i]
        if line.strip() == "" or line.rstrip().endswith((";", "}")) or line.startswith("#"):
            return None
        if not line[:1].isspace():
            m = DECLARATOR.match(line)
            if m:
                return m.group(1)
            if "(" not in line:
                return None
    return None


def functions(lines):
    """(name, first line, length) of each function body in @lines."""
    i = 0
    while i < len(lines):
        if lines[i].rstrip() == "{":
            name = function_name(lines, i)
            end = i + 1
            while end < len(lines) and not lines[end].startswith("}"):
                end += 1
            if name is not None:
                yield name, i + 1, end - i - 1
            i = end
        i += 1


def offenders(root):
    for path in source_files(root):
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
            lines = f.read().split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if len(lines) > MAX_FILE_LINES:
            yield path, "%s: %d lines (file)" % (path, len(lines))
        for name, line, length in functions(lines):
            if length > MAX_FUNCTION_LINES:
                yield "%s:%s" % (path, name), "%s:%d: %s, %d lines" % (path, line, name, length)


def allowed(root):
    entries = {}
    path = os.path.join(root, "tests", "check-sizes.allow")
    if os.path.exists(path):
        for raw in open(path, encoding="utf-8"):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            key, _, reason = line.partition(" ")
            entries[key] = reason.strip()
    return entries


def main():
    root = os.environ.get("FK_SOURCE_ROOT") or os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))
    everything = "--all" in sys.argv[1:]
    allow = allowed(root)
    found = list(offenders(root))
    status = 0
    for key, text in found:
        if everything:
            print(text + ("  [allowed: %s]" % allow[key] if key in allow else ""))
        elif key not in allow:
            print("over the limit: " + text)
            status = 1
        elif not allow[key]:
            print("allowed without a reason: " + text)
            status = 1
    for key in sorted(set(allow) - {k for k, _ in found}):
        if not everything:
            print("tests/check-sizes.allow: %s is no longer over the limit; remove it" % key)
            status = 1
    if everything:
        print("%d over the limits (files > %d lines, functions > %d lines)"
              % (len(found), MAX_FILE_LINES, MAX_FUNCTION_LINES))
        return 0
    return status


if __name__ == "__main__":
    sys.exit(main())
