#!/usr/bin/python3
# Enrollment codes in the office, over HTTP against the real
# fieldkit-server: an administrator makes one for any commune, a receiver
# for their own only; the page shows the QR code and the same code as text
# (the QR code decodes to it); a device enrolls with it and the list then
# shows it used, by whom it was made and which device used it. A
# supervisor may not, a form without its CSRF token changes nothing, and a
# hostile device name shows as text. Devices that would reach the server
# over plain HTTP on another machine: the page says so, only an
# administrator may allow it, and a device refuses a code not allowed.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import html
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.environ["FK_SOURCE_ROOT"], "tests", "tools"))
import fk_qr_png  # noqa: E402
import fkserver  # noqa: E402
from fkoffice import Browser, add_user, sqlite_query, text_of  # noqa: E402
from fkserver import CTL, Server, run  # noqa: E402

HOSTILE = "<img src=x onerror=alert(1)>"


def made_code(page):
    m = re.search(r'<pre class="code" id="code-text">([^<]*)</pre>', page)
    return html.unescape(m.group(1)) if m else None


def rows(page):
    """The list's rows: their cells as text."""
    table = re.search(r'<table id="invitations">.*?</table>', page, re.S)
    if table is None:
        return []
    out = []
    for row in re.findall(r"<tr class=\"(\w+)\">(.*?)</tr>", table.group(0), re.S):
        out.append([row[0]] + [text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                         row[1], re.S)])
    return out


class Invitations(unittest.TestCase):
    def setUp(self):
        self.tmp = fkserver.temp_dir()
        self.db = os.path.join(self.tmp.name, "server.sqlite")
        add_user(self.db, "quantri", "admin")
        add_user(self.db, "tiepnhan", "receiver", "00004")
        add_user(self.db, "khac", "receiver", "00007")
        add_user(self.db, "giamsat", "supervisor")
        self.server = Server(self.tmp.name, "--log-requests=false", "--address-rate-limit=0",
                             db=self.db)

    def tearDown(self):
        self.server.stop()
        self.tmp.cleanup()

    def browser(self, name):
        b = Browser(self.server)
        self.assertEqual(b.login(name).status, 303)
        return b

    def count(self):
        return int(sqlite_query(self.db, "SELECT count(*) FROM invitations"))

    def test_admin_code_enrolls_a_device(self):
        b = self.browser("quantri")
        page = b.get("/office/invitations")
        self.assertEqual(page.status, 200)
        self.assertIn('href="/office/invitations"', page.text)
        self.assertIn('name="commune"', page.text)
        r = b.post("/office/invitations", {"commune": "00004", "name": "tablet-09",
                                           "hours": "24"})
        self.assertEqual(r.status, 200, text_of(r.text))
        code = made_code(r.text)
        self.assertTrue(code.startswith("FKJOIN1:"), code)
        # The QR code on the page holds exactly the code shown as text.
        svg = re.search(r"<svg[^>]*>.*?</svg>", r.text, re.S).group(0)
        png = os.path.join(self.tmp.name, "qr.png")
        fk_qr_png.write_png(fk_qr_png.svg_qr_lines(svg), png)
        d = run(CTL, "qr", "decode", png, pin=None)
        self.assertEqual(d.returncode, 0, d.stderr)
        self.assertEqual(d.stdout, code)
        # No inline script or style: the page keeps to the office's CSP.
        self.assertNotRegex(r.text, r"<script(?![^>]*\bsrc=)")
        self.assertNotIn("style=", r.text)
        self.assertEqual(rows(r.text)[0][0], "pending")

        # A device joins with it, from the address this browser used.
        data = os.path.join(self.tmp.name, "device")
        e = run(CTL, "--data", data, "init", "--enroll", code, "--json", "--kdf-passes", "1",
                "--kdf-memory", "0")
        self.assertEqual(e.returncode, 0, e.stderr)
        key = run(CTL, "--data", data, "device-key", pin=None).stdout.strip()
        listed = rows(b.get("/office/invitations").text)
        self.assertEqual(len(listed), 1)
        state, made, commune, name, label, until, by, device = listed[0]
        self.assertEqual((state, commune, name, by), ("used", "00004", "tablet-09", "quantri"))
        self.assertIn(key[:12], device)
        self.assertEqual(label, "đã dùng")
        # The office's audit trail says who made it.
        self.assertEqual(sqlite_query(self.db, "SELECT user_name FROM office_audit WHERE "
                                      "action = 'invitation'"), "quantri")

    def test_receiver_own_commune_only(self):
        b = self.browser("tiepnhan")
        page = b.get("/office/invitations")
        self.assertIn("00004", text_of(page.text))
        self.assertEqual(page.status, 200)
        self.assertNotIn('name="commune"', page.text)
        # A commune slipped into the form is not taken: the receiver's is.
        r = b.post("/office/invitations", {"commune": "00007", "name": "tablet-10"})
        self.assertEqual(r.status, 200, text_of(r.text))
        self.assertEqual(sqlite_query(self.db, "SELECT commune FROM invitations"), "00004")
        self.assertEqual([row[2] for row in rows(r.text)], ["00004"])
        # Another commune's receiver does not see it; an admin sees all.
        other = self.browser("khac")
        self.assertEqual(rows(other.get("/office/invitations").text), [])
        admin = self.browser("quantri")
        admin.get("/office/invitations")
        admin.post("/office/invitations", {"commune": "00007", "name": "tablet-11"})
        self.assertEqual(len(rows(admin.get("/office/invitations").text)), 2)
        self.assertEqual([row[2] for row in rows(other.get("/office/invitations").text)],
                         ["00007"])

    def test_refusals(self):
        # A supervisor does not make devices join.
        s = self.browser("giamsat")
        self.assertEqual(s.get("/office/invitations").status, 403)
        self.assertEqual(s.post("/office/invitations", {"commune": "00004", "name": "t"}).status,
                         403)
        # No CSRF token: refused, nothing made.
        b = self.browser("quantri")
        b.get("/office/invitations")
        r = b.post("/office/invitations", {"commune": "00004", "name": "t"}, csrf=False)
        self.assertEqual(r.status, 403)
        self.assertEqual(self.count(), 0)
        # Bad input: said why, nothing made.
        for fields in ({"commune": "", "name": "t"}, {"commune": "00004", "name": ""},
                       {"commune": "00004", "name": "t", "hours": "9999"},
                       {"commune": "0000'4", "name": "t"}):
            r = b.post("/office/invitations", fields)
            self.assertEqual(r.status, 400, fields)
            self.assertIn('class="notice"', r.text)
        self.assertEqual(self.count(), 0)
        # A hostile name is a name: stored, shown as text.
        r = b.post("/office/invitations", {"commune": "00004", "name": HOSTILE})
        self.assertEqual(r.status, 200)
        self.assertNotIn(HOSTILE, r.text)
        self.assertIn(html.escape(HOSTILE, quote=True), r.text)
        self.assertEqual(rows(r.text)[0][3], HOSTILE)

    def test_plain_http(self):
        # The browser came by an address that is not loopback to the
        # device's check, yet reaches this server: plain HTTP elsewhere.
        host = {"Host": "[::ffff:127.0.0.1]:%d" % self.server.port}
        r = self.browser("tiepnhan")
        page = r.get("/office/invitations", headers=host)
        self.assertIn('id="plain-http"', page.text)
        self.assertIn("không được mã hoá", text_of(page.text))
        # A receiver is not offered the choice, and a box slipped in is not taken.
        self.assertNotIn('name="allow-http"', page.text)
        made = r.post("/office/invitations", {"name": "tablet-12", "allow-http": "1"},
                      headers=host)
        self.assertEqual(made.status, 200, text_of(made.text))
        data = os.path.join(self.tmp.name, "refused")
        e = run(CTL, "--data", data, "init", "--enroll", made_code(made.text), "--kdf-passes",
                "1", "--kdf-memory", "0")
        self.assertNotEqual(e.returncode, 0)
        self.assertIn("not encrypted", e.stderr)
        self.assertFalse(os.path.exists(data), "the device kept a half-made store")

        # An administrator allows it: the device joins, with a warning.
        b = self.browser("quantri")
        page = b.get("/office/invitations", headers=host)
        self.assertIn('name="allow-http"', page.text)
        made = b.post("/office/invitations", {"commune": "00004", "name": "tablet-13",
                                              "allow-http": "1"}, headers=host)
        self.assertEqual(made.status, 200, text_of(made.text))
        data = os.path.join(self.tmp.name, "allowed")
        e = run(CTL, "--data", data, "init", "--enroll", made_code(made.text), "--kdf-passes",
                "1", "--kdf-memory", "0")
        self.assertEqual(e.returncode, 0, e.stderr)
        self.assertIn("not encrypted", e.stderr)
        self.assertIn("plain-http", sqlite_query(
            self.db, "SELECT detail FROM office_audit WHERE action = 'invitation' "
            "AND user_name = 'quantri'"))
        # By the loopback address there is nothing to warn of.
        self.assertNotIn('id="plain-http"', b.get("/office/invitations").text)


if __name__ == "__main__":
    unittest.main()
