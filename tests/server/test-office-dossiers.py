#!/usr/bin/python3
# The office's inbox and dossiers over HTTP, with dossiers a real
# `fieldkit-ctl sync` delivered to the real fieldkit-server (SQLite, and
# PostgreSQL): the hostile name shown as text, a receiver of another
# commune refused (and the refusal audited), search by ID number and by
# name without accents, filters, the dossier decrypted in memory with its
# photo and fingerprint, every opening in the audit trail, a result that
# the device pulls, and no name in clear in the server's files.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import csv
import glob
import io
import json
import os
import re
import sys
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fkserver  # noqa: E402
from fkoffice import (Browser, OfficeDevice, PostgreSQL, add_user, sqlite_query,  # noqa: E402
                      text_of, wait_for)
from fkserver import SOURCE, Server  # noqa: E402

PG = PostgreSQL()
HOSTILE = "<img src=x onerror=alert(1)>"
NAME = "Nguyễn Thị Hoà Bình"
PHOTO = os.path.join(SOURCE, "tests", "data", "qr", "hard-067.jpg")
FINGER = os.path.join(SOURCE, "tests", "data", "fingerprints", "whorl.png")
with open(os.path.join(SOURCE, "assets", "data", "catalog.json"), encoding="utf-8") as f:
    CATALOG_VERSION = json.load(f)["version"]


class Dossiers:
    def setUp(self):
        self.tmp = fkserver.temp_dir()
        self.db = self.new_db()
        self.server = Server(self.tmp.name, "--log-requests=false", "--address-rate-limit=0",
                             db=self.db)
        add_user(self.db, "tiepnhan", "receiver", "01864")
        add_user(self.db, "tiepnhan.badinh", "receiver", "00004")
        add_user(self.db, "giamsat", "supervisor")
        add_user(self.db, "quantri", "admin")
        self.tablet = OfficeDevice(self.tmp.name, self.server, "tablet-07", "01864")
        self.ids = [self.tablet.intake(NAME, photo=PHOTO, fingerprint=FINGER),
                    self.tablet.intake(HOSTILE, id_number="001199004321")]
        self.other = OfficeDevice(self.tmp.name, self.server, "tablet-ba-dinh", "00004")
        self.other_id = self.other.intake("Trần Văn Cường", id_number="001088000111",
                                          visit=None)
        self.assertEqual(self.tablet.sync()["delivered"], 2)
        self.assertEqual(self.other.sync()["delivered"], 1)

    def tearDown(self):
        self.server.stop()
        self.tmp.cleanup()

    def browser(self, name):
        b = Browser(self.server)
        self.assertEqual(b.login(name).status, 303)
        return b

    def audit(self, dossier):
        return self.query("SELECT user_name || ' ' || action FROM office_audit"
                          " WHERE dossier = '%s' ORDER BY id" % dossier).splitlines()

    def test_inbox_lists_escapes_and_searches(self):
        b = self.browser("tiepnhan")
        r = b.get("/office/")
        self.assertEqual(r.location(), "/office/inbox")
        r = b.get("/office/inbox")
        self.assertEqual(r.status, 200)
        # Their commune's dossiers only, the hostile name as text.
        self.assertIn(NAME, r.text)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;", r.text)
        self.assertNotIn(HOSTILE, r.text)
        self.assertNotIn("Trần Văn Cường", r.text)
        self.assertNotRegex(r.text, r"<img[^>]*onerror")
        for dossier in self.ids:
            self.assertIn("/office/dossier/%s" % dossier, r.text)
        self.assertIn("Thôn Nà Phặc", r.text)
        self.assertIn("01/12/2026", r.text)
        # Name without accents, in any case, in any order; ID number exact.
        for query in ("nguyen", "NGUYEN hoa", "hòa nguyễn", "Binh"):
            r = b.get("/office/inbox?" + urllib.parse.urlencode({"name": query}))
            self.assertIn(NAME, r.text, query)
            self.assertNotIn("alert(1)", r.text, query)
        r = b.get("/office/inbox?name=nguyen+khanh")
        self.assertIn("Không có hồ sơ nào", text_of(r.text))
        r = b.get("/office/inbox?id=001199004321")
        self.assertIn("alert(1)", r.text)
        self.assertNotIn(NAME, r.text)
        r = b.get("/office/inbox?id=00119900432")
        self.assertIn("12 chữ số", text_of(r.text))
        # A receiver's query cannot reach another commune.
        r = b.get("/office/inbox?commune=00004")
        self.assertNotIn("Trần Văn Cường", r.text)
        # Filters: state, visit, procedure.
        r = b.get("/office/inbox?state=ready")
        self.assertNotIn(NAME, r.text)
        r = b.get("/office/inbox?visit=6f1c2b9e-8a44-4c1e-9a53-2d0c7b9e1a01&state=new")
        self.assertIn(NAME, r.text)
        r = b.get("/office/inbox?procedure=marriage-registration")
        self.assertNotIn(NAME, r.text)
        # A supervisor sees every commune, and filters by one.
        s = self.browser("giamsat")
        r = s.get("/office/inbox")
        self.assertIn("Trần Văn Cường", r.text)
        self.assertIn(NAME, r.text)
        r = s.get("/office/inbox?commune=00004")
        self.assertIn("Trần Văn Cường", r.text)
        self.assertNotIn(NAME, r.text)
        # An administrator has no dossiers.
        self.assertEqual(self.browser("quantri").get("/office/inbox").status, 403)

    def test_dossier_page_files_audit(self):
        dossier = self.ids[0]
        b = self.browser("tiepnhan")
        r = b.get("/office/dossier/%s" % dossier)
        self.assertEqual(r.status, 200)
        page = text_of(r.text)
        for shown in (NAME, "001099012345", "Lò Văn Khánh", "Thôn Nà Phặc", "Hoàng Văn Tú",
                      "tablet-07", "01/12/2026"):
            self.assertIn(shown, page)
        # Answers under their catalog labels, consents with their words.
        self.assertIn("Họ, chữ đệm và tên của trẻ", page)
        # The catalog version the device filled the form against.
        self.assertIn("Kê khai theo danh mục phiên bản %s." % CATALOG_VERSION, page)
        self.assertIn("Tôi đồng ý", page)
        self.assertIn("2026-01", page)
        self.assertIn("đã kiểm tra", page)  # the receipt's signature verifies
        self.assertEqual(self.query("SELECT state FROM office_dossiers WHERE dossier = '%s'"
                                    % dossier), "in-progress")
        # The photo and the fingerprint, decrypted in memory, as sent.
        files = re.findall(r'src="(/office/dossier/[^"]+/file/\d+)"', r.text)
        self.assertEqual(len(files), 2)
        photo = b.get(files[0])
        self.assertEqual(photo.status, 200)
        self.assertEqual(photo.header("content-type"), "image/jpeg")
        with open(PHOTO, "rb") as f:
            self.assertEqual(photo.body, f.read())
        finger = b.get(files[1])
        self.assertEqual(finger.header("content-type"), "image/png")
        large = b.get("/office/dossier/%s/photo/0" % dossier)
        self.assertEqual(large.status, 200)
        self.assertIn('class="large"', large.text)
        self.assertEqual(b.get("/office/dossier/%s/file/9" % dossier).status, 404)
        # Every opening is in the audit trail: the page and each file.
        self.assertEqual(self.audit(dossier),
                         ["tiepnhan open", "tiepnhan open-file", "tiepnhan open-file"])
        # The hostile name on its own page stays text.
        r = b.get("/office/dossier/%s" % self.ids[1])
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;", r.text)
        self.assertNotIn(HOSTILE, r.text)
        # A newer catalog published since: the page says both versions.
        with open(os.path.join(SOURCE, "assets", "data", "catalog.json"), encoding="utf-8") as f:
            newer = json.load(f)
        newer["version"] += ".1"
        path = os.path.join(self.tmp.name, "catalog-newer.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(newer, f, ensure_ascii=False)
        r = fkserver.run(fkserver.SERVER, "--db", self.server.db, "--keys", self.server.keys,
                         "catalog", "add", "--file", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        page = text_of(b.get("/office/dossier/%s" % dossier).text)
        self.assertIn("Kê khai theo danh mục phiên bản %s; đang dùng: %s."
                      % (CATALOG_VERSION, newer["version"]), page)

    def test_other_commune_refused(self):
        dossier = self.ids[0]
        b = self.browser("tiepnhan.badinh")
        for path in ("/office/dossier/%s" % dossier, "/office/dossier/%s/file/0" % dossier,
                     "/office/dossier/%s/photo/0" % dossier):
            r = b.get(path)
            self.assertEqual(r.status, 403, path)
            self.assertNotIn(NAME, r.text)
        r = b.post("/office/dossier/%s/result" % dossier, {"result": "ready", "note": ""})
        self.assertEqual(r.status, 403)
        self.assertEqual(self.query("SELECT count(*) FROM results"), "0")
        self.assertEqual(self.audit(dossier), ["tiepnhan.badinh refused"] * 4)
        self.assertEqual(b.get("/office/dossier/not-a-uuid").status, 404)
        self.assertEqual(b.get("/office/dossier/0d4c5a5e-6f0e-4a8c-9a51-8c0e3c1d2b7a").status,
                         404)

    def test_result_reaches_the_device(self):
        dossier = self.ids[0]
        b = self.browser("tiepnhan")
        b.get("/office/dossier/%s" % dossier)
        url = "/office/dossier/%s/result" % dossier
        # Without the token: 403, nothing recorded.
        self.assertEqual(b.post(url, {"result": "ready"}, csrf=False).status, 403)
        self.assertEqual(self.query("SELECT count(*) FROM results"), "0")
        # A rejection needs its reason; documents needed, the list.
        self.assertEqual(b.post(url, {"result": "rejected", "note": " "}).status, 400)
        self.assertEqual(b.post(url, {"result": "needs-documents"}).status, 400)
        self.assertEqual(b.post(url, {"result": "approved"}).status, 400)
        r = b.post(url, {"result": "needs-documents", "note": "Giấy chứng sinh bản chính"})
        self.assertEqual(r.status, 303)
        r = b.post(url, {"result": "ready", "note": "Giấy khai sinh đã ký"})
        self.assertEqual(r.status, 303)
        page = b.get(r.location())
        self.assertIn("Có kết quả", text_of(page.text))
        self.assertIn("Giấy chứng sinh bản chính", text_of(page.text))
        pulled = self.tablet.pull()
        results = [(x["dossier"], x["status"], x["note"]) for x in pulled["results"]]
        self.assertEqual(results, [(dossier, "needs-documents", "Giấy chứng sinh bản chính"),
                                   (dossier, "ready", "Giấy khai sinh đã ký")])
        # The other commune's device gets none of them.
        self.assertEqual(self.other.pull()["results"], [])
        self.assertEqual(self.audit(dossier),
                         ["tiepnhan open", "tiepnhan result", "tiepnhan result",
                          "tiepnhan open"])
        # A device of another commune cannot mark it handed over.
        r = fkserver.run(self.other.ctl, "--data", self.other.dir, "handover", dossier)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.other.pull()["handovers_reported"], 1)
        self.assertEqual(self.query("SELECT state FROM office_dossiers WHERE dossier = '%s'"
                                    % dossier), "ready")
        # The team hands it over in the hamlet, without signal; the next
        # pull reports it, signed, and the office shows it.
        r = fkserver.run(self.tablet.ctl, "--data", self.tablet.dir, "handover", "not-a-uuid")
        self.assertEqual(r.returncode, 2)
        r = fkserver.run(self.tablet.ctl, "--data", self.tablet.dir, "handover", dossier)
        self.assertEqual(r.returncode, 0, r.stderr)
        pulled = self.tablet.pull()
        self.assertEqual(pulled["handovers_reported"], 1)
        self.assertEqual(self.tablet.pull()["handovers_reported"], 0)
        page = b.get("/office/dossier/%s" % dossier)
        self.assertIn("Đã trả kết quả", text_of(page.text))
        self.assertIn("tablet-07", text_of(page.text))
        self.assertNotIn('action="/office/dossier/%s/result"' % dossier, page.text)
        self.assertEqual(b.post(url, {"result": "rejected", "note": "x"}).status, 409)
        self.assertEqual(self.query("SELECT state || ' ' || handed_over_by FROM office_dossiers"
                                    " WHERE dossier = '%s'" % dossier), "handed-over tablet-07")

    def test_reports_audit_and_accounts(self):
        # The supervisor's pages on this backend: the report counts the
        # dossiers on their visit's day (the received day without a visit).
        boss = self.browser("giamsat")
        page = boss.get("/office/dossier/%s" % self.ids[0])
        self.assertIn("/office/audit?dossier=%s" % self.ids[0], page.text)
        self.assertNotIn("/office/audit", self.browser("tiepnhan").get(
            "/office/dossier/%s" % self.ids[0]).text)
        today = self.query("SELECT max(received_at) FROM office_dossiers")
        day = time.strftime("%Y-%m-%d", time.gmtime(int(today) + 7 * 3600))
        r = boss.get("/office/reports.csv?from=2026-12-01&to=%s&by=hamlet" % max(day, "2026-12-01"))
        self.assertEqual(r.status, 200)
        rows = {(g, m, k): n for g, m, k, _, n in
                csv.reader(io.StringIO(r.body.decode("utf-8-sig")))}
        self.assertEqual(rows[("total", "dossiers", "")], "3")
        self.assertEqual(rows[("Thôn Nà Phặc", "dossiers", "")], "2")
        r = boss.get("/office/reports.csv?from=2026-12-01&to=2026-12-31&commune=00004&by=month")
        self.assertEqual(r.status, 200)
        rows = {(g, m, k): n for g, m, k, _, n in
                csv.reader(io.StringIO(r.body.decode("utf-8-sig")))}
        self.assertEqual(rows[("total", "dossiers", "")], "1")
        trail = text_of(boss.get("/office/audit?dossier=%s&from=2026-01-01" % self.ids[0]).text)
        self.assertIn("giamsat", trail)
        self.assertIn("Mở hồ sơ", trail)
        admin = self.browser("quantri")
        self.assertEqual(admin.get("/office/users").status, 200)
        r = admin.post("/office/users/add", {"name": "tiepnhan.moi", "role": "receiver",
                                             "commune": "01864", "password": "mat-khau-moi-1",
                                             "again": "mat-khau-moi-1"})
        self.assertEqual(r.status, 303)
        self.assertEqual(admin.post("/office/users/disable", {"name": "tiepnhan.moi"}).status, 303)
        self.assertIn("đã khoá", text_of(admin.get("/office/users").text))

    def test_index_catches_up_and_holds_no_name(self):
        # A dossier the index lost (a server stopped between commit and
        # index) is indexed again at the next start.
        self.query("DELETE FROM office_dossiers WHERE dossier = '%s'" % self.ids[0])
        self.query("DELETE FROM office_name_tokens WHERE dossier = '%s'" % self.ids[0])
        self.server.stop()
        self.server = Server(self.tmp.name, "--log-requests=false", "--address-rate-limit=0",
                             db=self.db)
        self.assertTrue(wait_for(lambda: self.query(
            "SELECT count(*) FROM office_dossiers WHERE dossier = '%s'" % self.ids[0]) == "1"))
        b = self.browser("tiepnhan")
        self.assertIn(NAME, b.get("/office/inbox?name=nguyen").text)
        self.check_no_clear_text()

    def check_no_clear_text(self):
        pass


class Sqlite(Dossiers, unittest.TestCase):
    def new_db(self):
        return os.path.join(self.tmp.name, "server.sqlite")

    def query(self, sql):
        return sqlite_query(self.db, sql)

    def check_no_clear_text(self):
        # Nothing of a citizen in clear in any file of the server's.
        for path in glob.glob(os.path.join(self.tmp.name, "server.sqlite*")):
            with open(path, "rb") as f:
                data = f.read()
            for secret in (NAME, "Nguyen", "001099012345", "Lò Văn Khánh"):
                self.assertNotIn(secret.encode(), data, path)


@unittest.skipUnless(PG.available(), "needs root and the PostgreSQL server binaries")
class Postgres(Dossiers, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        PG.start()

    @classmethod
    def tearDownClass(cls):
        PG.stop()

    def new_db(self):
        return PG.new_database()

    def query(self, sql):
        return PG.query(self.db, sql)


if __name__ == "__main__":
    unittest.main(verbosity=2)
