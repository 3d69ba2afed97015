"""bench/intake-chip: the chip read as the app does it, in the intake's chip
step, through the real pcscd, vsmartcard's vpcd and the card emulator of
the tests. Prints, over RUNS reads of the same card:

- the app's own measure, from the card found on the reader to its data
  checked (BAC, DG1, DG13, DG2, EF.SOD, passive authentication), which it
  logs as "chip read: … ms" (G_MESSAGES_DEBUG=fieldkit);
- from the tap on "read the chip again" to that line, as the officer waits
  for it (the test actions' D-Bus call and the wait for the card included;
  polled every 10 ms).

and one JSON line. Never fails on a time. Needs root (pcscd), a display and
a session bus:

  dbus-run-session -- xvfb-run -a -s "-screen 0 1920x1200x24" \\
    meson test -C build --benchmark intake-chip -v

The emulator answers at once; a real card over NFC adds its own time per
APDU.
"""
import json
import os
import re
import statistics
import sys
import tempfile
import time

SRC = os.environ["FK_SOURCE_ROOT"]
sys.path.insert(0, os.path.join(SRC, "tests", "app"))
sys.path.insert(0, os.path.join(SRC, "tests", "tools"))
import fk_chip_harness  # noqa: E402
import fk_pcscd  # noqa: E402

LINE = re.compile(r"chip read: (\w+), (\w+), (\d+) APDUs, (\d+) BAC tries, (\d+) ms")


def reads(log):
    with open(log, encoding="utf-8", errors="replace") as f:
        return LINE.findall(f.read())


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    reason = fk_pcscd.cannot_run()
    if reason:
        print("bench/intake-chip: skipped:", reason)
        return 0
    from fkui import App, Server, wait_for
    from test_intake_chip import CARD, NGA

    tmp = tempfile.mkdtemp(prefix="fk-bench-intake-chip-")
    pki = fk_chip_harness.make_pki(tmp)
    jpeg, _ = fk_chip_harness.make_portraits(tmp)
    log = os.path.join(tmp, "app.log")
    app_ms, tap_ms = [], []
    with fk_pcscd.PcscdWithVpcd(tmp) as pcscd:
        emu = fk_chip_harness.Emulator(pcscd, pki, NGA, jpeg, tmp)
        server = Server()
        app = App(env={"FIELDKIT_SIM_CAMERA": CARD, "G_MESSAGES_DEBUG": "fieldkit"}, log=log)
        try:
            app.set_up(server)
            app.start_visit()
            app.navigate("settings")
            app.type("settings-csca-folder", os.path.join(pki, "trust"))
            app.navigate("intake")
            app.wait_step("chip")
            wait_for(lambda: len(reads(log)) == 1, timeout=60, what="the first read")
            for i in range(runs):
                t0 = time.monotonic()
                app.ui("intake.chip-read")
                while len(reads(log)) < i + 2:
                    time.sleep(0.01)
                tap_ms.append((time.monotonic() - t0) * 1000)
            found = reads(log)[1:]
            assert all(r[1] == "verified" for r in found), found
            app_ms = [int(r[4]) for r in found]
            apdus = int(found[0][2])
        finally:
            app.close()
            server.close()
            emu.close()
    result = {"runs": runs, "apdus": apdus,
              "app_read_median_ms": statistics.median(app_ms), "app_read_min_ms": min(app_ms),
              "app_read_max_ms": max(app_ms),
              "tap_to_data_median_ms": round(statistics.median(tap_ms), 1),
              "tap_to_data_min_ms": round(min(tap_ms), 1),
              "tap_to_data_max_ms": round(max(tap_ms), 1)}
    print("in the app, card found → data checked: median %d ms (min %d, max %d) over %d reads, "
          "%d APDUs" % (result["app_read_median_ms"], min(app_ms), max(app_ms), runs, apdus))
    print("tap on 'read again' → data in the intake: median %.1f ms (min %.1f, max %.1f)"
          % (result["tap_to_data_median_ms"], min(tap_ms), max(tap_ms)))
    print(json.dumps({"bench": "intake-chip", "results": result}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
