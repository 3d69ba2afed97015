#!/usr/bin/python3
"""The test actions (app/fk-test-actions.c) are in fieldkit only when the
build is configured with -Dtest_hooks=true.

check-test-hooks.py BUILD_HAS_HOOKS (true or false: this build's option)

1. This build's fieldkit has the test actions exactly when its option says
   so: its symbols (nm) and the action names in its data.
2. In a build with the hooks, a default configuration is checked as well,
   in a throwaway directory: `meson setup` with no option (about 3 s)
   turns the option off, fieldkit's inputs (`ninja -t inputs`) hold no
   fk-test-actions.c, and its main.c, compiled there alone, refers to no
   test action. The option changes nothing but that one target, so the
   default build's fieldkit is its libraries (the same as here) and that
   main.o: it cannot hold a test action. Building all of it again would
   take minutes; this takes seconds.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

SOURCE_ROOT = os.environ["FK_SOURCE_ROOT"]
BUILD_ROOT = os.environ["FK_BUILD_ROOT"]
# A name from the API, and action names from the data, of fk-test-actions.c.
SYMBOL = "fk_test_actions_install"
ACTION_NAMES = (b"dump-state", b"activate-ui")


def symbols(path):
    out = subprocess.run(["nm", path], check=True, capture_output=True, text=True).stdout
    return {line.split()[-1]: line.split()[-2] for line in out.splitlines() if line.split()}


def check_own_build(has_hooks):
    exe = os.path.join(BUILD_ROOT, "app", "fieldkit")
    with open(exe, "rb") as f:
        data = f.read()
    names = [n.decode() for n in ACTION_NAMES if n in data]
    syms = symbols(exe)
    if has_hooks:
        assert syms.get(SYMBOL) == "T" and len(names) == len(ACTION_NAMES), \
            f"-Dtest_hooks=true, yet {exe} lacks the test actions: {SYMBOL} {syms.get(SYMBOL)}, {names}"
    else:
        assert SYMBOL not in syms and not names, \
            f"-Dtest_hooks=false, yet {exe} holds test actions: {SYMBOL} {syms.get(SYMBOL)}, {names}"
    print(f"ok 1 - {exe}: test actions {'present' if has_hooks else 'absent'}, as configured")


def check_default_configuration():
    work = tempfile.mkdtemp(prefix="fk-default-build-")
    try:
        build = os.path.join(work, "build")
        setup = subprocess.run(["meson", "setup", build, SOURCE_ROOT], capture_output=True,
                               text=True)
        assert setup.returncode == 0, setup.stdout + setup.stderr
        options = json.loads(subprocess.check_output(
            ["meson", "introspect", build, "--buildoptions"]))
        value = [o["value"] for o in options if o["name"] == "test_hooks"]
        assert value == [False], f"a default build has test_hooks = {value}"

        inputs = subprocess.check_output(["ninja", "-C", build, "-t", "inputs", "app/fieldkit"],
                                         text=True).split()
        assert any(i.endswith("app/main.c") for i in inputs), inputs
        assert any(i.endswith("app/fk-application.c") for i in inputs), inputs
        leaked = [i for i in inputs if "fk-test-actions" in i]
        assert not leaked, f"a default build's fieldkit is made of {leaked}"

        main_o = "app/fieldkit.p/main.c.o"
        built = subprocess.run(["ninja", "-C", build, main_o], capture_output=True, text=True)
        assert built.returncode == 0, built.stdout + built.stderr
        refs = [s for s in symbols(os.path.join(build, main_o)) if "test_actions" in s]
        assert not refs, f"a default build's main.c refers to {refs}"
        print("ok 2 - a default configuration builds fieldkit without test actions")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    has_hooks = sys.argv[1] == "true"
    print("1..2")
    check_own_build(has_hooks)
    if has_hooks:
        check_default_configuration()
    else:
        print("ok 2 # SKIP this build has no test actions: 1 checked its fieldkit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
