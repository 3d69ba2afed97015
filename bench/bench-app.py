"""bench/app: start-up time of the touch app to its first screen, and its
resident memory with the camera preview running (simulated camera, test
pattern). Prints figures and one JSON line; never fails on a figure.

Run under a display and a session bus, from the build tree:
  dbus-run-session -- xvfb-run -a meson test -C build --benchmark app -v
Targets: first screen <= 1.5 s, RSS <= 150 MB.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.environ["FK_SOURCE_ROOT"], "tests", "ui"))
from fkui import App, Server, wait_for  # noqa: E402


def rss_mb(pid):
    with open("/proc/%d/status" % pid, encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def timed_start(**kw):
    t0 = time.monotonic()
    app = App(**kw)
    # App() returns once the window reports a size: the first screen is up.
    return app, time.monotonic() - t0


def main():
    # GSK_RENDERER=cairo in the environment measures without GL: under Xvfb
    # the GL renderer is Mesa's llvmpipe, which holds far more memory than a
    # Pi's V3D driver does.
    renderer = os.environ.get("GSK_RENDERER", "default")
    server = Server()
    app, first_run = timed_start()
    data = app.data_dir
    app.set_up(server, "2468")
    app.ui("setup.done")
    app.wait_page("home")
    app.close()

    app, start = timed_start(data_dir=data)
    start_rss = rss_mb(app.proc.pid)
    app.enter_pin("2468")
    app.wait_page("home")
    app.navigate("intake")
    wait_for(lambda: app.widget("intake-preview")["has_image"], what="the camera preview")
    time.sleep(3)
    preview_rss = rss_mb(app.proc.pid)
    app.close()
    server.close()

    print("renderer:                     %s" % renderer)
    print("first screen, first run:      %.2f s" % first_run)
    print("first screen, locked device:  %.2f s (target <= 1.5 s)" % start)
    print("RSS at the PIN pad:           %.1f MB" % start_rss)
    print("RSS with the camera preview:  %.1f MB (target <= 150 MB)" % preview_rss)
    print(json.dumps({"bench": "app", "renderer": renderer, "first_screen_first_run_s": round(first_run, 3),
                      "first_screen_s": round(start, 3), "rss_pin_pad_mb": round(start_rss, 1),
                      "rss_camera_preview_mb": round(preview_rss, 1)}))


if __name__ == "__main__":
    main()
