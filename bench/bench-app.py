"""bench/app: start-up time of the touch app to its first screen, its
resident memory with the camera preview running (simulated camera, test
pattern) and the CPU the preview takes. Prints figures and one JSON line
per renderer; never fails on a figure.

The app draws with GTK's cairo renderer and leaves OpenGL unloaded unless
its environment asks for GL (app/main.c); the second run, GSK_RENDERER=gl,
shows what GL would cost. Under Xvfb GL is Mesa's llvmpipe: its figures
are the CPU a GPU would spare, not a device's.

Run under a display and a session bus, from the build tree:
  dbus-run-session -- xvfb-run -a meson test -C build --benchmark app -v
Targets: first screen <= 1.5 s, RSS <= 150 MB.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.environ["FK_SOURCE_ROOT"], "tests", "app"))
from fkui import App, Server, wait_for  # noqa: E402

CPU_SECONDS = 5.0


def rss_mb(pid):
    with open("/proc/%d/status" % pid, encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid, encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # utime and stime, fields 14 and 15 of stat(5), after the command name.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_start(**kw):
    t0 = time.monotonic()
    app = App(**kw)
    # App() returns once the window reports a size: the first screen is up.
    return app, time.monotonic() - t0


def measure(env):
    server = Server()
    app, first_run = timed_start(env=env)
    data = app.data_dir
    app.set_up(server, "2468")
    app.close()

    app, start = timed_start(data_dir=data, env=env)
    renderer = app.state()["renderer"]
    start_rss = rss_mb(app.proc.pid)
    app.enter_pin("2468")
    app.wait_page("home")
    app.start_visit()
    app.navigate("intake")
    wait_for(lambda: app.widget("scanner-preview")["has_image"], what="the camera preview")
    time.sleep(3)
    preview_rss = rss_mb(app.proc.pid)
    cpu0, t0 = cpu_seconds(app.proc.pid), time.monotonic()
    time.sleep(CPU_SECONDS)
    cpu = (cpu_seconds(app.proc.pid) - cpu0) / (time.monotonic() - t0)
    app.close()
    server.close()
    return {"renderer": renderer, "first_screen_first_run_s": round(first_run, 3),
            "first_screen_s": round(start, 3), "rss_pin_pad_mb": round(start_rss, 1),
            "rss_camera_preview_mb": round(preview_rss, 1),
            "cpu_camera_preview_percent": round(100 * cpu, 1)}


def main():
    runs = [("as shipped", {})]
    if "GSK_RENDERER" not in os.environ and "GDK_DEBUG" not in os.environ:
        runs.append(("GSK_RENDERER=gl", {"GSK_RENDERER": "gl"}))
    for label, env in runs:
        r = measure(env)
        print("%s: %s" % (label, r["renderer"]))
        print("  first screen, first run:      %.2f s" % r["first_screen_first_run_s"])
        print("  first screen, locked device:  %.2f s (target <= 1.5 s)" % r["first_screen_s"])
        print("  RSS at the PIN pad:           %.1f MB" % r["rss_pin_pad_mb"])
        print("  RSS with the camera preview:  %.1f MB (target <= 150 MB)"
              % r["rss_camera_preview_mb"])
        print("  CPU with the camera preview:  %.1f%% of one core (1280x720, 15 frames/s)"
              % r["cpu_camera_preview_percent"])
        print(json.dumps(dict(bench="app", run=label, **r)))


if __name__ == "__main__":
    main()
