"""First start with an enrollment code: the QR code the office's page shows,
in front of the simulated camera, the server and commune shown, the PIN set, the device
enrolled on the real server; then a dossier made in the app and delivered.
A code changed by hand and one for plain HTTP to another machine are
refused as soon as they are scanned, a code used already once the PIN is
set; each with its own message, and nothing is kept."""
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

from fkui import App, Server, wait_for

SRC = os.environ["FK_SOURCE_ROOT"]
sys.path.insert(0, os.path.join(SRC, "tests", "tools"))
import fk_qr_png  # noqa: E402

sys.path.insert(0, os.path.join(SRC, "tests", "server"))
import fkoffice  # noqa: E402

CARD = os.path.join(SRC, "tests", "data", "qr", "easy-001.png")
FINGER = os.path.join(SRC, "tests", "data", "fingerprints", "whorl.png")


def invite(server, name, directory):
    """fieldkit-server device invite: the code's text and a PNG of the QR
    code it drew on the terminal."""
    out = subprocess.run([server.exe, "--db", server.db, "--keys", server.keys, "device",
                          "invite", "--commune", "00004", "--name", name, "--url", server.url],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    code = [l for l in out.splitlines() if l.startswith("FKJOIN1:")][0]
    png = os.path.join(directory, name + ".png")
    fk_qr_png.write_png(fk_qr_png.terminal_qr_lines(out), png, scale=5, margin=60)
    return code, png


class _Address:
    def __init__(self, url):
        self.port = int(url.rstrip("/").rsplit(":", 1)[1])


def invite_in_office(server, name, directory):
    """An administrator makes the code on the office's page; the QR code
    that page shows, as a PNG."""
    fkoffice.add_user(server.db, "quantri", "admin")
    browser = fkoffice.Browser(_Address(server.url))
    assert browser.login("quantri").status == 303
    browser.get("/office/invitations")
    page = browser.post("/office/invitations", {"commune": "00004", "name": name})
    assert page.status == 200, page.status
    svg = re.search(r"<svg[^>]*>.*?</svg>", page.text, re.S).group(0)
    png = os.path.join(directory, name + ".png")
    fk_qr_png.write_png(fk_qr_png.svg_qr_lines(svg), png, scale=5, margin=60)
    return png


def scan_code(app):
    app.wait_page("setup")
    app.ui("setup.scan")
    wait_for(lambda: app.widget("setup-joining")["visible"], timeout=60,
             what="the scanned enrollment code")


class EnrollTest(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="fk-enroll-")
        self.server = Server()
        self.addCleanup(self.server.close)
        self.server.serve()

    def test_scan_enroll_deliver(self):
        png = invite_in_office(self.server, "tablet-07", self.work)
        with App(env={"FIELDKIT_SIM_CAMERA": png}) as app:
            app.wait_page("setup")
            app.screenshot("setup-01-form-800x480")
            app.ui("setup.scan")
            wait_for(lambda: app.widget("setup-joining")["visible"], timeout=60,
                     what="the scanned enrollment code")
            joining = app.widget("setup-joining")
            self.assertIn("00004", joining["title"])
            self.assertIn(self.server.url, joining["subtitle"])
            self.assertIn("tablet-07", joining["subtitle"])
            # Until when the code is good, as the code (and the server) says.
            with sqlite3.connect(self.server.db) as db:
                (expires,) = db.execute("SELECT expires_at FROM invitations").fetchone()
            self.assertIn("Dùng được đến " + time.strftime("%Y-%m-%d %H:%M",
                                                            time.localtime(expires)),
                          joining["subtitle"])
            # The manual rows are gone; the PIN is still asked.
            self.assertFalse(app.widget("setup-server-url")["visible"])
            self.assertTrue(app.widget("setup-pin")["visible"])
            app.screenshot("setup-02-code-scanned-800x480")
            app.type("setup-pin", "2468")
            app.type("setup-pin-again", "2468")
            app.ui("setup.create")
            wait_for(lambda: app.widget("setup-step")["child"] == "recovery", timeout=60,
                     what="the recovery code")
            app.ui("setup.done")
            app.wait_page("home")
            key = app.ctl("device-key").strip()
        with sqlite3.connect(self.server.db) as db:
            self.assertEqual(db.execute("SELECT name, commune FROM devices WHERE pubkey = ?",
                                        (key,)).fetchall(), [("tablet-07", "00004")])
            self.assertEqual(db.execute("SELECT device FROM invitations").fetchall(), [(key,)])

        # The card and a finger in front of the devices: a dossier, delivered.
        env = {"FIELDKIT_SIM_CAMERA": CARD, "FIELDKIT_SIM_FINGERPRINT": FINGER}
        with App(data_dir=app.data_dir, env=env) as app:
            app.wait_page("unlock")
            app.enter_pin("2468")
            app.wait_page("home")
            app.start_visit()
            app.navigate("intake")
            app.wait_step("identity")
            self.assertEqual(app.text("intake-id"), "011195866217")
            app.type("intake-phone", "0912345678")
            app.ui("intake.next")
            app.certified_copy()
            app.photograph_original()
            app.give_fingerprint()
            app.consent("personal-data")
            app.ui("intake.save")
            app.wait_step("receipt", timeout=60)
            # The server and key came from the code: nothing typed by hand.
            app.navigate("queue")
            app.ui("queue.send-now")
            app.wait_text("queue-summary", lambda t: "Đã gửi: 1" in t, timeout=60)
            app.screenshot("enroll-delivered-800x480")
            delivered = [d["id"] for d in app.queue() if d["state"] == "delivered"]
        with sqlite3.connect(self.server.db) as db:
            self.assertEqual(db.execute("SELECT dossier, device FROM dossiers").fetchall(),
                             [(delivered[0], key)])

    def test_refused_codes(self):
        # The simulated camera reads its picture each time a scan starts.
        camera = os.path.join(self.work, "camera.png")

        def show(lines):
            fk_qr_png.write_png(lines, camera + ".new", scale=5, margin=60)
            os.replace(camera + ".new", camera)

        def scan_refused(words, shot):
            app.ui("setup.scan")
            message = app.wait_text("setup-scan-status", lambda t: words in t, timeout=60)
            app.screenshot(shot)
            app.ui("setup.cancel-scan")
            self.assertTrue(app.widget("setup-server-url")["visible"], "a refused code was kept")
            return message

        code, png = invite(self.server, "tablet-08", self.work)
        # One character of the token's part changed: the signature fails.
        i = len(code) // 2
        altered = code[:i] + ("A" if code[i] != "A" else "B") + code[i + 1:]
        show(fk_qr_png.encode_lines(altered))
        with App(env={"FIELDKIT_SIM_CAMERA": camera}) as app:
            app.wait_page("setup")
            message = scan_refused("đã bị sửa", "setup-04-code-altered-800x480")
            self.assertIn("xin mã mới", message)

            # Plain HTTP to another machine, not allowed by the administrator.
            out = subprocess.run([self.server.exe, "--db", self.server.db, "--keys",
                                  self.server.keys, "device", "invite", "--commune", "00004",
                                  "--name", "tablet-09", "--url", "http://intake.example.invalid/"],
                                 check=True, stdout=subprocess.PIPE, text=True).stdout
            show(fk_qr_png.terminal_qr_lines(out))
            message = scan_refused("không được mã hoá", "setup-05-code-plain-http-800x480")
            self.assertIn("https://", message)

            # Used by another device first: refused by the server after the PIN.
            first = os.path.join(self.work, "first")
            subprocess.run([os.path.join(os.environ["FK_BUILD_ROOT"], "cli", "fieldkit-ctl"),
                            "--data", first, "init", "--enroll", code, "--kdf-passes", "1",
                            "--kdf-memory", "0"], check=True, stdout=subprocess.DEVNULL,
                           env=dict(os.environ, FIELDKIT_PIN="1357"))
            os.replace(png, camera)
            scan_code(app)
            app.type("setup-pin", "2468")
            app.type("setup-pin-again", "2468")
            app.ui("setup.create")
            message = app.wait_text("setup-error", lambda t: "đã được dùng" in t, timeout=60)
            self.assertIn("mã mới", message)
            app.screenshot("setup-03-code-used-800x480")
            self.assertEqual(app.widget("setup-step")["child"], "form")
            # Nothing half-made: the data folder is as empty as before.
            self.assertFalse(os.path.exists(app.data_dir) and os.listdir(app.data_dir))
            # Back to typing the server by hand.
            app.ui("setup.forget-code")
            wait_for(lambda: app.widget("setup-server-url")["visible"], what="the manual rows")
        with sqlite3.connect(self.server.db) as db:
            self.assertEqual(db.execute("SELECT count(*) FROM devices").fetchone(), (1,))


if __name__ == "__main__":
    unittest.main()
