#!/usr/bin/python3
"""Fails when a folder includes a header of a folder it must not depend on.

The arrows point one way: app, cli → hw, paper, store, sync, core; sync →
store, sync/protocol, core; paper → store, sync/protocol, core; store →
sync/protocol, core; server → sync/protocol, core; hw → core; core → GLib
and json-glib only. Nothing below app/ sees
GTK. Meson links the same way (each folder's meson.build); this reads
every #include of the C and C++ files and names the header's folder.
"""
import os
import re
import subprocess
import sys

ALLOWED = {
    "core": {"core"},
    "hw": {"hw", "core"},
    "sync/protocol": {"sync/protocol", "core"},
    "store": {"store", "sync/protocol", "core"},
    "sync": {"sync", "store", "sync/protocol", "core"},
    "paper": {"paper", "store", "sync/protocol", "core"},
    "server": {"server", "sync/protocol", "core"},
    "cli": {"cli", "hw", "paper", "store", "sync", "sync/protocol", "core"},
    "app": {"app", "hw", "paper", "store", "sync", "sync/protocol", "core"},
}
# Longest first: sync/protocol/ is not sync/.
FOLDERS = sorted(ALLOWED, key=len, reverse=True)
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)
GTK = re.compile(r"^(gtk/|adwaita\.h|gdk/|gsk/)")
# What core/ may include besides its own headers and the generated ones.
CORE_SYSTEM = re.compile(r"^(glib|gio/|gobject/|json-glib/|(assert|ctype|errno|limits|locale|math|"
                         r"stdarg|stdbool|stddef|stdint|stdio|stdlib|string|time)\.h$)")


def folder_of(path):
    for folder in FOLDERS:
        if path.startswith(folder + "/"):
            return folder
    return None


def tracked(root):
    try:
        out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                             cwd=root, capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        out = [os.path.relpath(os.path.join(d, n), root)
               for d, _, names in os.walk(root) for n in names]
    return [f for f in out if os.path.isfile(os.path.join(root, f))]


def main():
    root = os.environ.get("FK_SOURCE_ROOT") or os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))
    files = [f for f in tracked(root) if folder_of(f) is not None]
    owner = {}
    for f in files:
        if f.endswith(".h"):
            owner.setdefault(os.path.basename(f), set()).add(folder_of(f))
    status = 0
    for f in files:
        if not f.endswith((".c", ".cpp", ".h")):
            continue
        folder = folder_of(f)
        with open(os.path.join(root, f), encoding="utf-8", errors="replace") as src:
            includes = INCLUDE.findall(src.read())
        for inc in includes:
            base = os.path.basename(inc)
            if base in owner and not owner[base] & ALLOWED[folder]:
                print("%s includes %s, from %s/: %s/ must not depend on it"
                      % (f, inc, "/, ".join(sorted(owner[base])), folder))
                status = 1
            elif folder != "app" and GTK.match(inc):
                print("%s includes %s: only app/ sees GTK" % (f, inc))
                status = 1
            elif (folder == "core" and base not in owner and not CORE_SYSTEM.match(inc)
                  and inc not in ("fk-config.h", "fk-core-resources.h")):
                print("%s includes %s: core/ depends on GLib and json-glib only" % (f, inc))
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
