#!/usr/bin/python3
# The kiosk session (app/kiosk/) under the compositors' headless backends,
# as the device runs it but without a screen:
#
# - under sway with the kiosk's configuration (fieldkit-kiosk's default):
#   the app fills the screen, the screen goes dark (sway's output power)
#   and comes back, squeekboard's keyboard comes up when a text entry takes
#   the focus and goes when it loses it, and a tap on one of its keys types
#   into the entry;
# - under cage (FIELDKIT_KIOSK_COMPOSITOR=cage): the app full screen, the
#   backlight off and on.
#
# The session's programs are this tree's (fieldkit-kiosk-session, and the
# app of this build, driven through its test actions, app/fk-test-actions.c)
# with the compositors, squeekboard and swayidle of the system. grim takes
# screenshots through the compositor's screencopy protocol; they go to
# $FK_BUILD_ROOT/screenshots/ so a person can look at them. A tap is a
# virtual pointer's (wlr-virtual-pointer, spoken by VirtualPointer below):
# the headless backend has no input device.
#
# cage and sway refuse to run as root, so as root the session runs as
# "nobody", with a session bus of its own, as logind's session has.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import glob
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import unittest

if os.environ.get("FK_TEST_HOOKS") == "0":
    print("SKIP: this fieldkit has no test actions; configure the build with -Dtest_hooks=true")
    sys.exit(77)

import gi  # noqa: E402

gi.require_version("GdkPixbuf", "2.0")
gi.require_version("Gio", "2.0")
from gi.repository import GdkPixbuf, Gio, GLib  # noqa: E402

SOURCE = os.environ["FK_SOURCE_ROOT"]
BUILD = os.environ["FK_BUILD_ROOT"]
SESSION = os.path.join(SOURCE, "app", "kiosk", "fieldkit-kiosk-session")
BLANK = os.path.join(SOURCE, "app", "kiosk", "fieldkit-kiosk-blank")
SWAY_CONF = os.path.join(SOURCE, "app", "kiosk", "fieldkit-kiosk-sway.conf")
SCREENSHOTS = os.path.join(BUILD, "screenshots")
BRIGHTNESS = 180
APP_ID = "vn.fieldkit.FieldKit"
# The setup page's first field, which has the focus when the app starts.
ENTRY = "setup-server-url"
# Generous: the suite runs on two loaded cores.
TIMEOUT = 120


def wait_for(check, timeout, what):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out waiting for " + what)


class Kiosk(unittest.TestCase):
    def setUp(self):
        need(self, "grim", "swayidle", "dbus-daemon")
        self.started = time.monotonic()
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
        # The session bus, where logind's user session has it; the test
        # (root) may use it too.
        bus_conf = os.path.join(self.dir, "bus.conf")
        with open(bus_conf, "w") as f:
            f.write('<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration'
                    ' 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">\n'
                    "<busconfig><include>/usr/share/dbus-1/session.conf</include>"
                    '<policy context="default"><allow user="root"/></policy></busconfig>\n')
        self.user = []
        if os.geteuid() == 0:
            self.user = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]
            for root, dirs, files in os.walk(self.dir):
                for name in [root] + [os.path.join(root, x) for x in dirs + files]:
                    os.chown(name, 65534, 65534)
        self.bus_address = "unix:path=" + os.path.join(self.runtime, "bus")
        self.env = {
            "PATH": os.path.join(BUILD, "app") + ":/usr/bin:/bin",
            "HOME": os.path.join(self.dir, "home"),
            "XDG_RUNTIME_DIR": self.runtime,
            "DBUS_SESSION_BUS_ADDRESS": self.bus_address,
            "WLR_BACKENDS": "headless",
            "WLR_LIBINPUT_NO_DEVICES": "1",
            "WLR_RENDERER": "pixman",
            "LANG": "C.UTF-8",
            # Settings in a file of the session's: the app's, and the
            # accessibility setting the session turns on for squeekboard.
            "GSETTINGS_BACKEND": "keyfile",
            "GSETTINGS_SCHEMA_DIR": os.path.join(BUILD, "assets"),
            "FIELDKIT_LOCALEDIR": os.path.join(BUILD, "assets", "locale"),
            "FIELDKIT_HW": "sim",
            "FIELDKIT_DATA_DIR": os.path.join(self.dir, "data"),
            "FIELDKIT_KIOSK_BACKLIGHT": os.path.join(self.dir, "backlight"),
            "FIELDKIT_KIOSK_BLANK_AFTER": "4",
            "FIELDKIT_TEST_ACTIONS": "1",
            "NO_AT_BRIDGE": "1",
        }
        self.log_file = open(os.path.join(self.dir, "session.log"), "w")
        self.addCleanup(self.log_file.close)
        self.daemon = subprocess.Popen(
            self.user + ["dbus-daemon", "--config-file", bus_conf, "--address",
                         self.bus_address, "--nofork", "--nopidfile"],
            env=self.env, stdout=self.log_file, stderr=subprocess.STDOUT)
        self.addCleanup(self.stop_daemon)
        wait_for(lambda: os.path.exists(os.path.join(self.runtime, "bus")), TIMEOUT,
                 "the session bus")
        self.bus = Gio.DBusConnection.new_for_address_sync(
            self.bus_address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
            | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
        self.session = None

    def stop_daemon(self):
        self.bus.close_sync(None)
        self.daemon.terminate()
        self.daemon.wait(timeout=30)

    def tearDown(self):
        if self.session is not None and self.session.poll() is None:
            os.killpg(self.session.pid, signal.SIGTERM)
            try:
                self.session.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.session.pid, signal.SIGKILL)
                self.session.wait()
        print("%s: %.1f s" % (self._testMethodName, time.monotonic() - self.started),
              file=sys.stderr)

    def start(self, compositor):
        self.session = subprocess.Popen(self.user + compositor, env=self.env,
                                        stdout=self.log_file, stderr=subprocess.STDOUT,
                                        start_new_session=True)

        def display():
            self.alive()
            found = glob.glob(os.path.join(self.runtime, "wayland-[0-9]"))
            return os.path.basename(found[0]) if found else None
        self.display = wait_for(display, TIMEOUT, "the compositor's Wayland socket")

    def alive(self):
        self.assertIsNone(self.session.poll(), "the session ended:\n" + self.log())

    def log(self, tail=4000):
        self.log_file.flush()
        with open(os.path.join(self.dir, "session.log"), errors="replace") as f:
            text = f.read()
        return text if tail is None else text[-tail:]

    # The app, through its test actions on the session bus.

    def owner(self, name):
        try:
            self.bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                               "org.freedesktop.DBus", "GetNameOwner",
                               GLib.Variant("(s)", (name,)), None, Gio.DBusCallFlags.NONE,
                               -1, None)
            return True
        except GLib.Error:
            return False

    def action(self, name, param):
        args = GLib.Variant("(sava{sv})", (name, [param], {}))
        self.bus.call_sync(APP_ID, "/vn/fieldkit/FieldKit", "org.gtk.Actions", "Activate",
                           args, None, Gio.DBusCallFlags.NONE, 60000, None)

    def state(self):
        path = os.path.join(self.dir, "state-%d.json" % time.monotonic_ns())
        self.action("dump-state", GLib.Variant("s", path))
        wait_for(lambda: os.path.exists(path), TIMEOUT, "the app's state")
        with open(path, encoding="utf-8") as f:
            state = json.load(f)
        os.unlink(path)
        return state

    def wait_app(self):
        """Waits for the app's own word that its window is laid out: it is
        on the bus, and its test actions give the window a size. Under load
        that can take long (GTK, the theme, the fonts, the settings), so
        this waits for the app and not for a fixed time."""
        def on_bus():
            self.alive()
            return self.owner(APP_ID)
        wait_for(on_bus, TIMEOUT, "the app on the session bus")
        def laid_out():
            self.alive()
            state = self.state()
            return state if state["width"] > 0 else None
        state = wait_for(laid_out, TIMEOUT, "the app's window")
        print("the app is up after %.1f s" % (time.monotonic() - self.started), file=sys.stderr)
        return state

    def entry_text(self):
        return self.state()["widgets"][ENTRY]["text"]

    def screenshot(self, name):
        path = os.path.join(self.dir, name + ".png")
        r = subprocess.run(self.user + ["grim", path],
                           env=dict(self.env, WAYLAND_DISPLAY=self.display),
                           capture_output=True, text=True, timeout=TIMEOUT)
        self.assertEqual(r.returncode, 0, r.stderr)
        os.makedirs(SCREENSHOTS, exist_ok=True)
        shutil.copy(path, os.path.join(SCREENSHOTS, name + ".png"))
        return Shot(path)

    def wait_drawn(self, name, corner=0):
        """The screenshot once the app's window has drawn itself over the
        whole screen (its first frame, or its first at a new size), but
        @corner pixels at its corners."""
        def drawn():
            self.alive()
            shot = self.screenshot(name)
            return shot if background_share(shot, corner) == 0.0 else None
        return wait_for(drawn, TIMEOUT, "the app's window drawn over the whole screen")

    # sway, through its IPC.

    def swaymsg(self, *args):
        sockets = glob.glob(os.path.join(self.runtime, "sway-ipc.*.sock"))
        if not sockets:
            return None
        r = subprocess.run(self.user + ["swaymsg", "-r", "-s", sockets[0]] + list(args),
                           env=self.env, capture_output=True, text=True, timeout=TIMEOUT)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return json.loads(r.stdout)

    def window(self):
        nodes = [self.swaymsg("-t", "get_tree")]
        while nodes:
            node = nodes.pop()
            if node.get("app_id") == APP_ID:
                return node
            nodes += node.get("nodes", []) + node.get("floating_nodes", [])
        return None

    def wait_window(self, height_ok, what):
        """The app's window in sway's tree once height_ok(its height)."""
        def found():
            self.alive()
            window = self.window()
            return window if window and height_ok(window["rect"]["height"]) else None
        return wait_for(found, TIMEOUT, what)

    def keyboard_visible(self):
        try:
            value = self.bus.call_sync("sm.puri.OSK0", "/sm/puri/OSK0",
                                       "org.freedesktop.DBus.Properties", "Get",
                                       GLib.Variant("(ss)", ("sm.puri.OSK0", "Visible")),
                                       None, Gio.DBusCallFlags.NONE, -1, None)
        except GLib.Error:
            return None
        return value.unpack()[0]

    def test_sway_keyboard_for_text_entries_and_blanking(self):
        need(self, "sway", "swaymsg", "squeekboard")
        # The installed configuration, pointing at this tree's session.
        conf = os.path.join(self.dir, "sway.conf")
        with open(SWAY_CONF) as f, open(conf, "w") as out:
            out.write(f.read().replace("@libexecdir@/fieldkit-kiosk-session", SESSION))
        self.start(["sway", "-V", "--config", conf])
        state = self.wait_app()
        # Nothing in the kiosk closes the app: its window has no buttons.
        self.assertFalse(state["window_buttons"])
        self.assertNotIn("Error on line", self.log(None), "sway refused a line of its configuration")

        # No touch for FIELDKIT_KIOSK_BLANK_AFTER seconds: swayidle, through
        # sway's idle protocol, has sway power the output off and turns the
        # backlight off; what it runs at the next touch (the headless backend
        # has no touch screen) turns both on. The headless backend cannot
        # power its output off (wlroots 0.15 refuses to disable it): sway's
        # log (-V) shows it was told to.
        brightness = os.path.join(self.light, "brightness")
        wait_for(lambda: self.alive() or read(brightness) == "0", TIMEOUT,
                 "the backlight to go off")
        self.assertIn("Handling command 'output * dpms off'", self.log(None))
        sway_env = dict(self.env, SWAYSOCK=glob.glob(os.path.join(self.runtime,
                                                                  "sway-ipc.*.sock"))[0])
        r = subprocess.run(self.user + [BLANK, "on"], env=sway_env, capture_output=True,
                           text=True, timeout=TIMEOUT)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(read(brightness), str(BRIGHTNESS))
        self.assertIn("Handling command 'output * dpms on'", self.log(None))
        # From here on the test's own taps count as touches: the screen
        # stays on while the app's window shows.
        self.swaymsg('[app_id="%s"] inhibit_idle visible' % APP_ID)
        # The pointer that taps later, plugged in now: squeekboard takes it
        # up when sway tells its clients the seat has a pointer.
        pointer = VirtualPointer(os.path.join(self.runtime, self.display))
        self.addCleanup(pointer.close)

        # A tap beside the fields: no text entry has the focus, no keyboard;
        # the app's lone window has the whole screen, without a border.
        self.action("focus", GLib.Variant("s", ""))
        wait_for(lambda: self.keyboard_visible() is False, TIMEOUT,
                 "the on-screen keyboard to go")
        window = self.wait_window(lambda height: height == 720,
                                  "the app to take the whole screen back")
        self.assertEqual(rect(window), (0, 0, 1280, 720))
        self.assertEqual(window["fullscreen_mode"], 0,
                         "a full-screen window would cover the keyboard")
        # GTK 4.8 does not take sway's "tiled" state, so the window keeps
        # its rounded corners (12 pixels) with sway's grey behind them.
        hidden = self.wait_drawn("kiosk-01-sway-no-keyboard", corner=12)
        self.assertEqual((hidden.width, hidden.height), (1280, 720))

        # A tap on the server's address: squeekboard comes up at the bottom
        # of the screen, and the app's window makes room for it above.
        self.action("focus", GLib.Variant("s", ENTRY))
        wait_for(lambda: self.keyboard_visible() is True, TIMEOUT,
                 "the on-screen keyboard to come up")
        window = self.wait_window(lambda height: height < 720,
                                  "the app to make room for the keyboard")
        top = window["rect"]["height"]
        self.assertEqual(rect(window), (0, 0, 1280, top))
        self.assertGreater(top, 240, "the keyboard leaves the app too little room")

        # The band below the app's window is the keyboard: light keys with
        # dark letters on it, not what the app showed there, nor sway's
        # dark background.
        def keys_drawn():
            shot = self.screenshot("kiosk-02-sway-on-screen-keyboard")
            return shot if (band_difference(shot, hidden, top, 720) > 0.5
                            and dark_share(shot, top, 720) < 0.2) else None
        shown = wait_for(keys_drawn, TIMEOUT, "the keyboard's keys on the screen")

        # A tap on the first key of the keyboard's first row (q, in every
        # layout squeekboard has for a Latin script) types it into the entry.
        self.assertEqual(self.entry_text(), "")
        # A tap that comes before squeekboard has taken the pointer up is
        # lost: if nothing is typed for a while, another tap. So the entry
        # holds a q for each tap squeekboard saw.
        x, y = first_key(shown, top, 720)
        taps, text, retap = 0, "", 0
        end = time.monotonic() + TIMEOUT
        while not text and time.monotonic() < end:
            if taps == 0 or time.monotonic() > retap:
                pointer.tap(x, y, 1280, 720)
                taps += 1
                retap = time.monotonic() + 10
            else:
                time.sleep(0.2)
            text = self.entry_text()
        print("typed %r in %d taps" % (text, taps), file=sys.stderr)
        self.assertRegex(text, "^q+$")
        self.assertLessEqual(len(text), taps)
        self.screenshot("kiosk-03-sway-typed")

        # Then away from the field: the keyboard goes.
        self.action("focus", GLib.Variant("s", ""))
        wait_for(lambda: self.keyboard_visible() is False, TIMEOUT,
                 "the on-screen keyboard to go")
        self.wait_window(lambda height: height == 720, "the app to take the whole screen back")

        # The app ends: so does the session (systemd starts it again).
        os.kill(window["pid"], signal.SIGTERM)
        self.session.wait(timeout=TIMEOUT)

    def test_cage_full_screen_and_backlight(self):
        need(self, "cage")
        self.env["FIELDKIT_KIOSK_COMPOSITOR"] = "cage"
        self.start(["cage", "-d", "--", SESSION])
        state = self.wait_app()
        # Nothing in the kiosk closes the app: its window has no buttons.
        self.assertFalse(state["window_buttons"])
        # Nothing of the compositor shows: the app's window is the screen,
        # to its last row and column.
        shot = self.wait_drawn("kiosk-04-cage-full-screen")
        self.assertEqual((shot.width, shot.height), (1280, 720))
        # Under cage no on-screen keyboard comes up.
        self.assertFalse(self.owner("sm.puri.OSK0"))

        # No touch for FIELDKIT_KIOSK_BLANK_AFTER seconds: swayidle, through
        # cage's idle protocol, turns the backlight off and keeps its level.
        brightness = os.path.join(self.light, "brightness")
        wait_for(lambda: self.alive() or read(brightness) == "0", TIMEOUT,
                 "the backlight to go off")
        self.assertEqual(read(os.path.join(self.runtime, "fieldkit-kiosk-brightness.panel")),
                         str(BRIGHTNESS))
        self.alive()

        # What swayidle's "resume" runs at the next touch (the headless
        # backend has no input device to touch).
        r = subprocess.run(self.user + [BLANK, "on"], env=self.env, capture_output=True,
                           text=True, timeout=TIMEOUT)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(read(brightness), str(BRIGHTNESS))
        self.assertFalse(os.path.exists(os.path.join(self.runtime,
                                                     "fieldkit-kiosk-brightness.panel")))

        # The app ends: so does the session (systemd starts it again).
        os.killpg(self.session.pid, signal.SIGTERM)
        self.session.wait(timeout=TIMEOUT)


class VirtualPointer:
    """A Wayland client of its own that taps with a virtual pointer
    (zwlr_virtual_pointer_manager_v1, which sway offers), in the protocol's
    wire format: a message is its object's id, its size and opcode, then its
    arguments as 32-bit words, strings with their length and padding."""

    DISPLAY = 1
    BTN_LEFT = 0x110

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.buffer = b""
        # The compositor takes new objects' ids only in this order.
        self.last_id = self.DISPLAY
        self.registry = self.new_id()
        self.send(self.DISPLAY, 1, self.uint(self.registry))        # get_registry
        globals_ = {}
        for obj, opcode, body in self.roundtrip():
            if obj == self.registry and opcode == 0:                  # global
                name, = struct.unpack_from("=I", body)
                interface, end = self.string(body, 4)
                globals_[interface] = (name, struct.unpack_from("=I", body, end)[0])
        if "zwlr_virtual_pointer_manager_v1" not in globals_:
            raise AssertionError("the compositor offers no virtual pointer")
        name, _ = globals_["zwlr_virtual_pointer_manager_v1"]
        manager = self.new_id()
        self.send(self.registry, 0, self.uint(name)                 # bind
                  + self.pack_string("zwlr_virtual_pointer_manager_v1") + self.uint(1)
                  + self.uint(manager))
        self.pointer = self.new_id()
        self.send(manager, 0, self.uint(0) + self.uint(self.pointer))  # create, any seat
        self.roundtrip()

    def new_id(self):
        self.last_id += 1
        return self.last_id

    def close(self):
        self.sock.close()

    @staticmethod
    def uint(value):
        return struct.pack("=I", value)

    @staticmethod
    def pack_string(text):
        data = text.encode() + b"\0"
        return struct.pack("=I", len(data)) + data + b"\0" * (-len(data) % 4)

    @staticmethod
    def string(body, offset):
        length, = struct.unpack_from("=I", body, offset)
        text = body[offset + 4:offset + 4 + length - 1].decode()
        return text, offset + 4 + length + (-length % 4)

    def send(self, obj, opcode, args=b""):
        self.sock.sendall(struct.pack("=II", obj, (8 + len(args)) << 16 | opcode) + args)

    def roundtrip(self):
        """The events up to the answer to a wl_display.sync: the compositor
        has handled every request before it."""
        callback = self.new_id()
        self.send(self.DISPLAY, 0, self.uint(callback))               # sync
        events = []
        self.sock.settimeout(TIMEOUT)
        while True:
            while len(self.buffer) < 8 or len(self.buffer) < struct.unpack_from(
                    "=II", self.buffer)[1] >> 16:
                data = self.sock.recv(4096)
                if not data:
                    raise AssertionError("the compositor closed the connection")
                self.buffer += data
            obj, size_opcode = struct.unpack_from("=II", self.buffer)
            size, opcode = size_opcode >> 16, size_opcode & 0xffff
            body, self.buffer = self.buffer[8:size], self.buffer[size:]
            if obj == self.DISPLAY and opcode == 0:                   # error
                message, _ = self.string(body, 8)
                raise AssertionError("Wayland error: " + message)
            if obj == callback and opcode == 0:                       # done
                return events
            events.append((obj, opcode, body))

    def tap(self, x, y, width, height):
        stamp = int(time.monotonic() * 1000) & 0xffffffff
        args = [self.uint(v) for v in (stamp, x, y, width, height)]
        self.send(self.pointer, 1, b"".join(args))                    # motion_absolute
        self.send(self.pointer, 4)                                    # frame
        for state in (1, 0):                                          # pressed, released
            self.send(self.pointer, 2, self.uint(stamp) + self.uint(self.BTN_LEFT)
                      + self.uint(state))                             # button
            self.send(self.pointer, 4)
            self.roundtrip()


def need(test, *tools):
    for tool in tools:
        if shutil.which(tool) is None:
            test.skipTest("%s is not installed (scripts/ensure-deps)" % tool)


def read(path):
    with open(path) as f:
        return f.read().strip()


def rect(node):
    r = node["rect"]
    return (r["x"], r["y"], r["width"], r["height"])


class Shot:
    """A screenshot's pixels."""

    def __init__(self, path):
        pixbuf = GdkPixbuf.Pixbuf.new_from_file(path)
        self.width, self.height = pixbuf.get_width(), pixbuf.get_height()
        self.stride, self.channels = pixbuf.get_rowstride(), pixbuf.get_n_channels()
        self.data = pixbuf.get_pixels()


def pixel(shot, x, y):
    i = y * shot.stride + x * shot.channels
    return tuple(shot.data[i:i + 3])


def band_difference(a, b, top, bottom):
    """The share of the pixels of rows top to bottom (every fourth row and
    column) that differ between two screenshots."""
    points = [(x, y) for y in range(top, bottom, 4) for x in range(0, a.width, 4)]
    return sum(pixel(a, x, y) != pixel(b, x, y) for x, y in points) / len(points)


def first_key(pixbuf, top, bottom):
    """The middle of the leftmost key of the keyboard's first row, which
    takes a quarter of its height: where a row of the middle of that row
    first leaves the keyboard's background, to where it comes back."""
    y = top + (bottom - top) // 8
    background = pixel(pixbuf, 1, y)
    xs = [x for x in range(pixbuf.width) if pixel(pixbuf, x, y) != background]
    if not xs:
        raise AssertionError("no key on the keyboard's first row")
    start = end = xs[0]
    # A pixel of the background within a key (its label's) does not end it.
    while end + 2 < pixbuf.width and background not in (pixel(pixbuf, end + 1, y),
                                                                 pixel(pixbuf, end + 2, y)):
        end += 1
    return (start + end) // 2, y


def dark(shot, x, y):
    return max(pixel(shot, x, y)) < 0x80


def background_share(shot, corner=0):
    """The share of the screen's border pixels, but @corner pixels at each
    end of each side, that are dark: the compositor's background (cage's
    black, sway's grey) where the app's window, which has a light theme,
    does not cover it."""
    width, height = shot.width, shot.height
    xs, ys = range(corner, width - corner), range(corner, height - corner)
    border = [(x, 0) for x in xs] + [(x, height - 1) for x in xs]
    border += [(0, y) for y in ys] + [(width - 1, y) for y in ys]
    return sum(dark(shot, x, y) for x, y in border) / len(border)


def dark_share(shot, top, bottom):
    """The share of the pixels of rows top to bottom (every fourth row and
    column) that are dark."""
    points = [(x, y) for y in range(top, bottom, 4) for x in range(0, shot.width, 4)]
    return sum(dark(shot, x, y) for x, y in points) / len(points)


if __name__ == "__main__":
    unittest.main(verbosity=2)
