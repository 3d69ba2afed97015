#!/usr/bin/python3
# The kiosk session (app/kiosk/) under cage with its headless backend, as the
# device runs it but without a screen: cage starts fieldkit-kiosk-session,
# which starts swayidle and becomes the app (this build's). grim takes
# screenshots through cage's screencopy protocol; they go to
# $FK_BUILD_ROOT/screenshots/ so a person can look at them.
#
# cage refuses to run as root, so as root the session runs as "nobody".
#
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import gi

gi.require_version("GdkPixbuf", "2.0")
from gi.repository import GdkPixbuf  # noqa: E402

SOURCE = os.environ["FK_SOURCE_ROOT"]
BUILD = os.environ["FK_BUILD_ROOT"]
SESSION = os.path.join(SOURCE, "app", "kiosk", "fieldkit-kiosk-session")
BLANK = os.path.join(SOURCE, "app", "kiosk", "fieldkit-kiosk-blank")
SCREENSHOTS = os.path.join(BUILD, "screenshots")
BRIGHTNESS = 180


def wait_for(check, timeout, what):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError("timed out waiting for " + what)


class Kiosk(unittest.TestCase):
    def setUp(self):
        for tool in ("cage", "grim", "swayidle", "dbus-run-session"):
            if shutil.which(tool) is None:
                self.skipTest("%s is not installed (scripts/ensure-deps)" % tool)
        # Where "nobody" can reach: the test's own folder is root's only.
        self.dir = tempfile.mkdtemp(prefix="fk-kiosk.", dir="/tmp")
        self.addCleanup(shutil.rmtree, self.dir, True)
        os.chmod(self.dir, 0o755)
        self.runtime = os.path.join(self.dir, "run")
        os.mkdir(self.runtime, 0o700)
        for sub in ("home", "data", "backlight/panel"):
            os.makedirs(os.path.join(self.dir, sub))
        # A backlight as the kernel shows one, in a folder of our own.
        self.light = os.path.join(self.dir, "backlight", "panel")
        for name, value in (("brightness", BRIGHTNESS), ("max_brightness", 255)):
            with open(os.path.join(self.light, name), "w") as f:
                f.write("%d\n" % value)
        self.user = []
        if os.geteuid() == 0:
            self.user = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]
            for root, dirs, files in os.walk(self.dir):
                for name in [root] + [os.path.join(root, x) for x in dirs + files]:
                    os.chown(name, 65534, 65534)
        self.env = {
            "PATH": os.path.join(BUILD, "app") + ":/usr/bin:/bin",
            "HOME": os.path.join(self.dir, "home"),
            "XDG_RUNTIME_DIR": self.runtime,
            "WLR_BACKENDS": "headless",
            "WLR_LIBINPUT_NO_DEVICES": "1",
            "WLR_RENDERER": "pixman",
            "LANG": "C.UTF-8",
            "GSETTINGS_BACKEND": "memory",
            "GSETTINGS_SCHEMA_DIR": os.path.join(BUILD, "assets"),
            "FIELDKIT_LOCALEDIR": os.path.join(BUILD, "assets", "locale"),
            "FIELDKIT_HW": "sim",
            "FIELDKIT_DATA_DIR": os.path.join(self.dir, "data"),
            "FIELDKIT_KIOSK_BACKLIGHT": os.path.join(self.dir, "backlight"),
            "FIELDKIT_KIOSK_BLANK_AFTER": "4",
            "NO_AT_BRIDGE": "1",
        }
        self.cage = None

    def tearDown(self):
        if self.cage is not None and self.cage.poll() is None:
            os.killpg(self.cage.pid, signal.SIGTERM)
            try:
                self.cage.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.cage.pid, signal.SIGKILL)
                self.cage.wait()

    def start(self):
        log = open(os.path.join(self.dir, "cage.log"), "w")
        self.addCleanup(log.close)
        # A session bus of the session's own, as logind's session has.
        self.cage = subprocess.Popen(
            self.user + ["dbus-run-session", "--", "cage", "-d", "--", SESSION],
            env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(lambda: os.path.exists(os.path.join(self.runtime, "wayland-0")), 60,
                 "cage's Wayland socket")

    def screenshot(self, name):
        path = os.path.join(self.dir, name + ".png")
        r = subprocess.run(self.user + ["grim", path],
                           env=dict(self.env, WAYLAND_DISPLAY="wayland-0"),
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        os.makedirs(SCREENSHOTS, exist_ok=True)
        shutil.copy(path, os.path.join(SCREENSHOTS, name + ".png"))
        return GdkPixbuf.Pixbuf.new_from_file(path)

    def log(self):
        with open(os.path.join(self.dir, "cage.log"), errors="replace") as f:
            return f.read()[-4000:]

    def test_app_fills_the_screen_and_the_screen_blanks(self):
        self.start()
        # cage's own background is black: wait until the app has drawn.
        def drawn():
            self.assertIsNone(self.cage.poll(), "cage ended:\n" + self.log())
            shot = self.screenshot("kiosk-01-full-screen")
            return shot if background_share(shot) < 0.5 else None
        shot = wait_for(drawn, 120, "the app's first frame")
        # Nothing of the compositor shows: the app's window is the screen,
        # to its last row and column.
        self.assertEqual(background_share(shot), 0.0, "the app does not fill the screen")
        self.assertEqual((shot.get_width(), shot.get_height()), (1280, 720))

        # No touch for FIELDKIT_KIOSK_BLANK_AFTER seconds: swayidle, through
        # cage's idle protocol, turns the backlight off and keeps its level.
        brightness = os.path.join(self.light, "brightness")
        wait_for(lambda: read(brightness) == "0", 60, "the backlight to go off")
        self.assertEqual(read(os.path.join(self.runtime, "fieldkit-kiosk-brightness.panel")),
                         str(BRIGHTNESS))
        self.assertIsNone(self.cage.poll(), "cage ended:\n" + self.log())

        # What swayidle's "resume" runs at the next touch (the headless
        # backend has no input device to touch).
        r = subprocess.run(self.user + [BLANK, "on"], env=self.env, capture_output=True,
                           text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(read(brightness), str(BRIGHTNESS))
        self.assertFalse(os.path.exists(os.path.join(self.runtime,
                                                     "fieldkit-kiosk-brightness.panel")))

        # The app ends: so does the session (systemd starts it again).
        os.killpg(self.cage.pid, signal.SIGTERM)
        self.cage.wait(timeout=30)


def read(path):
    with open(path) as f:
        return f.read().strip()


def background_share(pixbuf):
    """The share of the screen's border pixels that are cage's black
    background (the app's window has a light theme)."""
    width, height = pixbuf.get_width(), pixbuf.get_height()
    stride, channels = pixbuf.get_rowstride(), pixbuf.get_n_channels()
    data = pixbuf.get_pixels()

    def black(x, y):
        i = y * stride + x * channels
        return data[i] == 0 and data[i + 1] == 0 and data[i + 2] == 0

    border = [(x, 0) for x in range(width)] + [(x, height - 1) for x in range(width)]
    border += [(0, y) for y in range(height)] + [(width - 1, y) for y in range(height)]
    return sum(black(x, y) for x, y in border) / len(border)


if __name__ == "__main__":
    unittest.main(verbosity=2)
