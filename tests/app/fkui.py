"""Drive the real FieldKit app under Xvfb through its D-Bus-exported actions.

The app runs with FIELDKIT_TEST_ACTIONS=1, which adds app.activate-ui,
app.screenshot, app.resize and app.dump-state (app/fk-test-actions.c).
Those exist only in a build configured with -Dtest_hooks=true (scripts/test
does); elsewhere every UI test is skipped.
Screenshots go to $FK_BUILD_ROOT/screenshots/ so a person can look at them.
"""
import atexit
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

if os.environ.get("FK_TEST_HOOKS") == "0":
    print("SKIP: this fieldkit has no test actions; configure the build with -Dtest_hooks=true")
    sys.exit(77)

import gi

gi.require_version("Gio", "2.0")
gi.require_version("GdkPixbuf", "2.0")
from gi.repository import GdkPixbuf, Gio, GLib  # noqa: E402

APP_ID = "vn.fieldkit.FieldKit"
OBJECT_PATH = "/vn/fieldkit/FieldKit"
BUILD_ROOT = os.environ["FK_BUILD_ROOT"]
SCREENSHOTS = os.path.join(BUILD_ROOT, "screenshots")


# A citizen for dossiers made with fieldkit-ctl while the app is closed.
CITIZEN = {"id_number": "011195866217", "full_name": "Phạm Minh Nga",
           "birth_date": "1995-10-24", "sex": "female", "address": "Thôn Nà Hẩu"}


def ctl(data_dir, *args, pin="2468"):
    """fieldkit-ctl on @data_dir (None: no store), as the officer with @pin;
    returns what it printed."""
    argv = [os.path.join(BUILD_ROOT, "cli", "fieldkit-ctl")]
    argv += ["--data", data_dir] if data_dir is not None else []
    return subprocess.run(argv + list(args), check=True, stdout=subprocess.PIPE, text=True,
                          env=dict(os.environ, FIELDKIT_PIN=pin)).stdout


def intake_add(data_dir, work, name, attachments):
    """A certified-copies dossier for CITIZEN with @attachments ([(kind,
    file in @work)]), sealed into the store by fieldkit-ctl: its id. The
    store has one writer, so the app is closed meanwhile."""
    path = os.path.join(work, name + ".json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"procedure": "certified-copies", "citizen": CITIZEN,
                   "fields": {"document_title": "Giấy khai sinh", "pages": 1, "copies": 2},
                   "attachments": [{"kind": k, "path": p} for k, p in attachments]},
                  f, ensure_ascii=False)
    return ctl(data_dir, "intake", "add", "--json", path).strip().splitlines()[-1]


def shipped_catalog(version=None):
    """The catalog shipped with FieldKit, as a dict; with @version, as that
    version."""
    with open(os.path.join(os.environ["FK_SOURCE_ROOT"], "assets", "data", "catalog.json"),
              encoding="utf-8") as f:
        catalog = json.load(f)
    if version is not None:
        catalog["version"] = version
    return catalog


def wait_for(predicate, timeout=30.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting for %s" % what)


def luminance(r, g, b):
    def lin(c):
        c /= 255.0
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(pixbuf, bounds):
    """The ratio between the lightest and the darkest pixel of a text's box:
    its glyphs against the background around them."""
    x, y, w, h = bounds
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + w, pixbuf.get_width()), min(y + h, pixbuf.get_height())
    if x1 <= x0 or y1 <= y0:
        return None
    data = pixbuf.get_pixels()
    stride, n = pixbuf.get_rowstride(), pixbuf.get_n_channels()
    lo, hi = 1.0, 0.0
    for row in range(y0, y1):
        for col in range(x0, x1):
            i = row * stride + col * n
            lum = luminance(data[i], data[i + 1], data[i + 2])
            lo, hi = min(lo, lum), max(hi, lum)
    return (hi + 0.05) / (lo + 0.05)


def low_contrast(app, name, minimum):
    """Texts on the current screen under @minimum:1, as (ratio, text), and
    how many texts were measured, on a screenshot called @name. The screen
    is measured once it holds still: laid out, and the same before and
    after the screenshot (a toast may be leaving)."""
    def still():
        before = app.state()
        if not all(t["bounds"][2] > 0 and t["bounds"][3] > 0 for t in before["texts"]):
            return None
        shot = app.screenshot(name)
        after = app.state()
        return before["texts"] == after["texts"] and (before["texts"], shot)
    texts, shot = wait_for(still, what="the screen holding still")
    pixbuf = GdkPixbuf.Pixbuf.new_from_file(shot)
    found = []
    for t in texts:
        ratio = contrast(pixbuf, t["bounds"])
        if ratio is not None and ratio < minimum:
            found.append((round(ratio, 1), t["text"]))
    return found, len(texts)


def overlap(a, b):
    """Whether two [x, y, width, height] boxes share more than a hairline."""
    return (min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]) > 1
            and min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]) > 1)


def covered_controls(state):
    """The controls of a dump-state that the message bar (the toast) or
    another control lies over, as pairs of names."""
    controls = state["controls"]
    found = []
    toast = state["widgets"].get("toast")
    if toast and toast["visible"]:
        for c in controls:
            if "toast-dismiss" not in c["control"] and overlap(toast["bounds"], c["bounds"]):
                found.append(("toast", c["control"]))
    for i, a in enumerate(controls):
        for b in controls[i + 1:]:
            if overlap(a["bounds"], b["bounds"]):
                found.append((a["control"], b["control"]))
    return found


class Server:
    """fieldkit-server keys (and, with serve(), the server itself) on loopback."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="fk-server-")
        self.exe = os.path.join(BUILD_ROOT, "server", "fieldkit-server")
        self.keys = os.path.join(self.dir, "keys")
        self.db = os.path.join(self.dir, "server.db")
        subprocess.run([self.exe, "keygen", "--out", self.keys], check=True,
                       stdout=subprocess.DEVNULL)
        with open(os.path.join(self.keys, "server.pub"), encoding="ascii") as f:
            self.pub = f.read()
        self.url = "http://127.0.0.1:9/"
        self.proc = None
        self.group = False

    def _cmd(self, *args, **kw):
        return subprocess.run([self.exe, "--db", self.db, "--keys", self.keys] + list(args),
                              check=True, stdout=subprocess.PIPE, text=True, **kw).stdout

    def enroll(self, device_key, commune=None):
        self._cmd("device", "add", "--pubkey", device_key, "--name", "test",
                  *(["--commune", commune] if commune else []))

    def add_result(self, commune, dossier, status="ready"):
        self._cmd("result", "add", "--commune", commune, "--dossier", dossier, "--status", status)

    def publish_catalog(self, catalog):
        """Publishes @catalog (a dict in the shipped format) as the office does."""
        path = os.path.join(self.dir, "catalog-%s.json" % catalog["version"])
        with open(path, "w", encoding="utf-8") as f:
            json.dump(catalog, f, ensure_ascii=False)
        self._cmd("catalog", "add", "--file", path)

    def serve(self, prefix=(), env=None):
        """Starts the server; @prefix runs it through a wrapper (faketime…)."""
        import socket
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        sock.close()
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.proc = subprocess.Popen(list(prefix) + [self.exe, "--db", self.db, "--keys", self.keys,
                                                     "serve", "--listen", "127.0.0.1:%d" % port],
                                     env=full_env, start_new_session=bool(prefix))
        # A wrapper does not pass SIGTERM on: close() signals the group.
        self.group = bool(prefix)
        self.url = "http://127.0.0.1:%d" % port

        def up():
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return True
            except OSError:
                return False
        wait_for(up, what="fieldkit-server")

    def close(self):
        if self.proc is not None and self.proc.poll() is None:
            if self.group:
                os.killpg(self.proc.pid, signal.SIGTERM)
            else:
                self.proc.terminate()
            self.proc.wait(timeout=10)


def set_setting(env, key, value):
    """Writes a setting of the app (a GVariant text such as "true") into
    the keyfile the app started with @env reads."""
    subprocess.run(["gsettings", "set", APP_ID, key, value], env=env, check=True)


class App:
    def __init__(self, data_dir=None, env=None, size=(800, 480), log=None, tour=False):
        self.tmp = tempfile.mkdtemp(prefix="fk-ui-")
        self.data_dir = data_dir or os.path.join(self.tmp, "data")
        full_env = dict(os.environ)
        full_env.update({
            "FIELDKIT_TEST_ACTIONS": "1",
            "FIELDKIT_HW": "sim",
            "FIELDKIT_DATA_DIR": self.data_dir,
            # Settings last across restarts of the app within one test.
            "GSETTINGS_BACKEND": "keyfile",
            # The practice profile runs the server built here.
            "FIELDKIT_PRACTICE_SERVER": os.path.join(BUILD_ROOT, "server", "fieldkit-server"),
        })
        full_env.update(env or {})
        # The guided tour starts by itself at a device's first intake; only
        # a test that asks for it (@tour) sees it.
        if not tour:
            set_setting(full_env, "tour-seen", "true")
        self.bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        if self._owner():
            raise AssertionError("another FieldKit already owns the bus name")
        argv = [os.path.join(BUILD_ROOT, "app", "fieldkit")]
        if os.environ.get("FK_UI_GDB"):
            argv = ["gdb", "-q", "-batch", "-ex", "run", "-ex", "bt", "--args"] + argv
        # @log: a file that gets what the app prints, for a test to read
        out = open(log, "a", encoding="utf-8") if log else None
        self.proc = subprocess.Popen(argv, env=full_env, stdout=out,
                                     stderr=subprocess.STDOUT if out else None)
        if out:
            out.close()
        atexit.register(lambda p=self.proc: p.poll() is None and p.kill())
        wait_for(lambda: self._owner() or self.proc.poll() is not None, what="the app on the bus")
        if self.proc.poll() is not None:
            raise AssertionError("the app exited with %d" % self.proc.returncode)
        wait_for(lambda: self.state()["width"] > 0, what="the window on screen")
        self.resize(*size)

    def _owner(self):
        try:
            self.bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                               "org.freedesktop.DBus", "GetNameOwner",
                               GLib.Variant("(s)", (APP_ID,)), None,
                               Gio.DBusCallFlags.NONE, -1, None)
            return True
        except GLib.Error:
            return False

    def _call(self, name, param=None):
        # Activate synchronously so calls keep their order and errors surface.
        args = GLib.Variant("(sava{sv})", (name, [param] if param is not None else [], {}))
        self.bus.call_sync(APP_ID, OBJECT_PATH, "org.gtk.Actions", "Activate", args, None,
                           Gio.DBusCallFlags.NONE, 10000, None)

    def ui(self, action, param=None):
        """Activate a widget action (win.navigate, …) as a tap on the visible page would."""
        self._call("activate-ui", GLib.Variant("(sav)", (action, [param] if param is not None else [])))

    @staticmethod
    def variant(fmt, value):
        return GLib.Variant(fmt, value)

    def type(self, entry, text):
        """Set the text of the entry with this widget name on the visible page."""
        self._call("type", GLib.Variant("(ss)", (entry, text)))

    def select(self, name, label):
        """Pick the option with this label in the combo row with this widget name."""
        self._call("select", GLib.Variant("(ss)", (name, label)))

    def click(self, name):
        """Tap the widget (a button, a toggle button) with this name on the visible page."""
        self._call("click", GLib.Variant("s", name))

    def widget(self, name):
        return self.state()["widgets"].get(name)

    def text(self, name):
        w = self.widget(name)
        return w.get("text") if w else None

    def wait_text(self, name, predicate, timeout=30.0):
        try:
            return wait_for(lambda: predicate(self.text(name) or "") and self.text(name),
                            timeout=timeout, what="text of %s" % name)
        except AssertionError:
            raise AssertionError("timed out waiting for the text of %s, which is %r"
                                 % (name, self.text(name)))

    def wait_page(self, page, timeout=30.0):
        wait_for(lambda: self.state()["page"] == page, timeout=timeout, what="page %s" % page)

    def create_store(self, server, pin="2468"):
        """First run up to the recovery code, which it returns; the set-up
        page stays on it."""
        self.wait_page("setup")
        self.type("setup-server-url", server.url)
        self.type("setup-server-key", server.pub.replace("\n", " ").strip())
        self.type("setup-pin", pin)
        self.type("setup-pin-again", pin)
        self.ui("setup.create")
        wait_for(lambda: self.widget("setup-step")["child"] == "recovery", timeout=60,
                 what="the recovery code")
        code = self.text("setup-recovery-code")
        assert code, "no recovery code shown"
        return code

    def set_up(self, server, pin="2468"):
        """First run: the server's key, the operator PIN, the recovery code
        noted; ends on the home page. Returns the recovery code."""
        code = self.create_store(server, pin)
        self.ui("setup.done")
        self.wait_page("home")
        return code

    def start_visit(self, commune_query="ba dinh", hamlet="Thôn Nà Lầu", day="tue", team=()):
        """@day: "today", or the next "tue" or "thu" (today included);
        @team: the names of the team's members."""
        self.navigate("visit")
        self.ui("visit.suggest-date", GLib.Variant("s", day))
        self.type("visit-commune-search", commune_query)
        rows = wait_for(lambda: [k for k in self.state()["widgets"] if k.startswith("commune-")],
                        what="commune search results")
        self.ui("visit.pick-commune", GLib.Variant("s", rows[0][len("commune-"):]))
        self.type("visit-hamlet", hamlet)
        for member in team:
            self.type("visit-member", member)
            self.ui("visit.add-member")
        self.ui("visit.start")
        self.wait_page("home")
        return rows[0][len("commune-"):]

    def step(self):
        return self.widget("intake-step")["child"]

    def wait_step(self, step, timeout=30.0):
        try:
            wait_for(lambda: self.step() == step, timeout=timeout, what="step %s" % step)
        except AssertionError:
            raise AssertionError("waited for step %s, still on %s" % (step, self.step()))

    def manual_intake(self):
        """A new intake without a card: Lò Văn Pá's identity typed in, up
        to the procedure step."""
        self.navigate("intake")
        self.ui("intake.manual")
        self.wait_step("identity")
        self.type("intake-id", "001089012345")
        self.type("intake-name", "Lò Văn Pá")
        self.type("intake-birth", "12/03/1989")
        self.type("intake-address", "Bản Nà Phặc")
        self.ui("intake.next")

    def certified_copy(self, pages="2", copies="3"):
        """From the procedure step: a certified copy of a birth certificate
        picked and its form filled, up to the photos step."""
        self.wait_step("procedure")
        self.ui("intake.pick-procedure", self.variant("s", "certified-copies"))
        self.wait_step("form")
        self.type("field-document_title", "Giấy khai sinh")
        self.type("field-pages", pages)
        self.type("field-copies", copies)
        self.ui("intake.next")
        self.wait_step("photos")

    def photograph_original(self):
        """On the photos step: the original document photographed and
        checked, then on to the fingerprint step."""
        wait_for(lambda: self.widget("intake-photo-preview")["has_image"],
                 what="the camera preview")
        self.ui("intake.take-photo", self.variant("s", "original-document"))
        self.wait_text("intake-photo-message",
                       lambda t: "Đang kiểm tra" not in t and "trước" not in t)
        self.ui("intake.next")
        self.wait_step("fingerprint")

    def give_fingerprint(self):
        """On the fingerprint step: a print taken, then on to the consents."""
        self.ui("intake.fingerprint")
        self.wait_text("intake-fp-message", lambda t: "Đã lấy vân tay" in t, timeout=60)
        self.ui("intake.next")
        self.wait_step("consent")

    def consent(self, *consents):
        """On the consent step: @consents given, then on to the review."""
        for code in consents:
            self.ui("intake.consent", self.variant("(sb)", (code, True)))
        self.ui("intake.next")
        self.wait_step("review")

    def ctl(self, *args):
        out = subprocess.run([os.path.join(BUILD_ROOT, "cli", "fieldkit-ctl"), "--data",
                              self.data_dir] + list(args), check=True, stdout=subprocess.PIPE,
                             text=True)
        return out.stdout

    def queue(self):
        return json.loads(self.ctl("queue", "list", "--json"))

    def respond(self, response):
        """Tap the button of this response id in the message dialog on top."""
        self._call("respond", GLib.Variant("s", response))

    def enter_pin(self, pin):
        for d in pin:
            self.ui("unlock.digit", GLib.Variant("s", d))
        self.ui("unlock.submit")

    def navigate(self, page):
        self.ui("win.navigate", GLib.Variant("s", page))
        wait_for(lambda: self.state()["page"] == page, what="page %s" % page)

    def resize(self, width, height):
        self._call("resize", GLib.Variant("(ii)", (width, height)))
        # The window cannot grow past the X screen: scripts/test runs Xvfb
        # at 1920x1200, xvfb-run alone at 640x480.
        try:
            wait_for(lambda: (self.state()["width"], self.state()["height"]) == (width, height),
                     what="window size %dx%d" % (width, height))
        except AssertionError:
            raise AssertionError("window size %dx%d asked, %dx%d given (is the X screen at "
                                 "least that large?)"
                                 % (width, height, self.state()["width"], self.state()["height"]))

    def state(self):
        path = os.path.join(self.tmp, "state-%d.json" % time.monotonic_ns())
        self._call("dump-state", GLib.Variant("s", path))
        wait_for(lambda: os.path.exists(path), what="state dump")
        with open(path, encoding="utf-8") as f:
            state = json.load(f)
        os.unlink(path)
        return state

    def screenshot(self, name):
        os.makedirs(SCREENSHOTS, exist_ok=True)
        path = os.path.join(SCREENSHOTS, name + ".png")
        if os.path.exists(path):
            os.unlink(path)
        self._call("screenshot", GLib.Variant("s", path))
        wait_for(lambda: os.path.exists(path), what="screenshot %s" % name)
        with open(path, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n", "screenshot is not a PNG"
        # Every screen a test looks at is also checked for touch targets,
        # and for controls that a message or another control covers.
        state = self.state()
        small = state["small_targets"]
        assert not small, "touch targets under 48 px on %s: %s" % (name, small)
        covered = covered_controls(state)
        assert not covered, "controls covered on %s: %s" % (name, covered)
        return path

    def crash(self):
        """Kill the app as a power cut would: no clean-up at all."""
        self.proc.kill()
        self.proc.wait()
        self.crashed = True

    def close(self):
        if getattr(self, "crashed", False):
            return 0
        if self.proc.poll() is None:
            try:
                self._call("quit")
            except GLib.Error:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        code = self.close()
        if exc[0] is None and code not in (0, None):
            raise AssertionError("the app exited with %d" % code)
