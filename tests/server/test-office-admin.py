#!/usr/bin/python3
# The office's administration over HTTP against the real fieldkit-server:
# devices enrolled from a pasted key (then syncing for real) or from a photo
# of the QR code the device shows (JPEG, PNG), named, tied to
# a commune, revoked (then refused), with when each was last seen and the
# queue it reported; what devices report besides dossiers (VNeID helps);
# photos and fingerprint removed after handover; accounts added, disabled
# and given a new password from the office; a procedure catalog
# checked, compared and published, then pulled by a device; the reports (per visit,
# hamlet, month, date range; CSV) and the audit trail for supervisors; who
# may do what.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import copy
import csv
import http.client
import io
import json
import os
import subprocess
import sys
import unittest

from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fkserver  # noqa: E402
from fkoffice import (PASSWORD, Browser, HAMLET_VISIT, OfficeDevice, add_user,  # noqa: E402
                      sqlite_query, text_of, wait_for)
from fkserver import CTL, SERVER, SOURCE, Server, run  # noqa: E402

PHOTO = os.path.join(SOURCE, "tests", "data", "qr", "hard-067.jpg")
FINGER = os.path.join(SOURCE, "tests", "data", "fingerprints", "whorl.png")


class Admin(unittest.TestCase):
    def setUp(self):
        self.tmp = fkserver.temp_dir()
        self.server = None
        self.db = os.path.join(self.tmp.name, "server.sqlite")
        add_user(self.db, "quantri", "admin")
        add_user(self.db, "giamsat", "supervisor")
        add_user(self.db, "tiepnhan", "receiver", "01864")

    def tearDown(self):
        if self.server is not None:
            self.server.stop()
        self.tmp.cleanup()

    def serve(self, *args):
        self.server = Server(self.tmp.name, "--log-requests=false", "--address-rate-limit=0",
                             *args, db=self.db)
        return self.server

    def browser(self, name):
        b = Browser(self.server)
        self.assertEqual(b.login(name).status, 303)
        return b

    def query(self, sql):
        return sqlite_query(self.db, sql)

    def new_device(self, name):
        data = os.path.join(self.tmp.name, "device-" + name)
        r = run(CTL, "--data", data, "init", "--server-key",
                os.path.join(self.server.keys, "server.pub"), "--kdf-passes", "1",
                "--kdf-memory", "0")
        self.assertEqual(r.returncode, 0, r.stderr)
        return data, run(CTL, "--data", data, "device-key", pin=None).stdout.strip()

    def qr_photo(self, text, fmt="JPEG"):
        """A photo-like picture of a QR code: qrencode's PNG on a larger
        grey background, saved as @fmt."""
        png = os.path.join(self.tmp.name, "qr.png")
        subprocess.run(["qrencode", "-s", "6", "-o", png, text], check=True)
        code = Image.open(png).convert("RGBA")
        photo = Image.new("L", (code.width * 3, code.height * 2), 170)
        photo.paste(code, (code.width, code.height // 2), code)
        out = io.BytesIO()
        photo.save(out, fmt, quality=80)
        return out.getvalue()

    def test_enroll_from_a_photo_of_the_qr_code(self):
        self.serve()
        data, key = self.new_device("tablet-11")
        _, other_key = self.new_device("tablet-12")
        admin = self.browser("quantri")
        page = admin.get("/office/devices")
        self.assertIn('accept="image/*" capture="environment"', page.text)
        self.assertIn('enctype="multipart/form-data"', page.text)
        fields = {"name": "tablet-11", "commune": "01864"}
        jpeg = self.qr_photo(key)
        # The size in the JPEG's header says 60000 x 60000 pixels.
        sof = jpeg.index(b"\xff\xc0")
        huge = jpeg[:sof + 5] + b"\xea\x60\xea\x60" + jpeg[sof + 9:]
        with open(os.path.join(SOURCE, "tests", "data", "qr", "easy-002.jpg"), "rb") as f:
            other_qr = f.read()
        for photo, reason in ((b"GIF89a not a photo at all", "không phải ảnh"),
                              (jpeg[:600], ""),  # cut short: refused, whichever way
                              (self.blank_jpeg(), "Không tìm thấy mã QR"),
                              (other_qr, "không phải khoá thiết bị"),
                              (self.qr_photo("https://example.org/" + key), "không phải khoá"),
                              (huge, "quá lớn")):
            r = admin.post_files("/office/devices/enroll", fields, {"keyphoto": ("p.jpg", photo)})
            self.assertEqual(r.status, 400, reason)
            self.assertIn(reason, text_of(r.text))
        # A photo larger than the server reads: refused from its headers,
        # in Vietnamese, before it is sent.
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        conn.putrequest("POST", "/office/devices/enroll", skip_host=True)
        conn.putheader("Host", "127.0.0.1:%d" % self.server.port)
        conn.putheader("Cookie", "; ".join("%s=%s" % kv for kv in admin.cookies.items()))
        conn.putheader("Content-Type", "multipart/form-data; boundary=x")
        conn.putheader("Content-Length", str(13 * 1024 * 1024))
        conn.endheaders()
        r = conn.getresponse()
        self.assertEqual(r.status, 413)
        self.assertIn("Ảnh quá lớn", text_of(r.read().decode()))
        conn.close()
        # Without the CSRF token: refused, however good the photo.
        r = admin.post_files("/office/devices/enroll", fields, {"keyphoto": ("p.jpg", jpeg)},
                             csrf=False)
        self.assertEqual(r.status, 403)
        self.assertEqual(self.query("SELECT count(*) FROM devices"), "0")
        # A JPEG of the device's own code: enrolled as if pasted, audited.
        r = admin.post_files("/office/devices/enroll", fields, {"keyphoto": ("p.jpg", jpeg)})
        self.assertEqual(r.status, 303, text_of(r.text))
        self.assertEqual(self.query("SELECT pubkey, name, commune FROM devices"),
                         "%s|tablet-11|01864" % key)
        # A PNG works too; the same code twice is enrolled already.
        png = self.qr_photo(other_key, "PNG")
        r = admin.post_files("/office/devices/enroll", {"name": "tablet-12", "commune": "01864"},
                             {"keyphoto": ("p.png", png)})
        self.assertEqual(r.status, 303, text_of(r.text))
        r = admin.post_files("/office/devices/enroll", {"name": "again", "commune": "01864"},
                             {"keyphoto": ("p.png", png)})
        self.assertEqual(r.status, 409)
        actions = self.query("SELECT action FROM office_audit WHERE user_name = 'quantri'"
                             " ORDER BY id").split()
        self.assertEqual([a for a in actions if a.startswith("device")],
                         ["device-enroll", "device-enroll"])
        # The enrolled device syncs.
        r = run(CTL, "--data", data, "pull", "--server", self.server.url, pin=None)
        self.assertEqual(r.returncode, 0, r.stderr)

    def blank_jpeg(self):
        out = io.BytesIO()
        Image.new("L", (320, 240), 200).save(out, "JPEG")
        return out.getvalue()

    def test_enroll_revoke_from_the_office(self):
        self.serve()
        data, key = self.new_device("tablet-09")
        admin = self.browser("quantri")
        self.assertEqual(admin.get("/office/").location(), "/office/devices")
        page = admin.get("/office/devices")
        self.assertEqual(page.status, 200)
        self.assertIn("Chưa có thiết bị nào", text_of(page.text))
        # Refused with a reason: a damaged key, no name, an unknown commune.
        for fields, status in (({"pubkey": key[:-4], "name": "tablet-09", "commune": "01864"}, 400),
                               ({"pubkey": key, "name": " ", "commune": "01864"}, 400),
                               ({"pubkey": key, "name": "tablet-09", "commune": "99999"}, 400)):
            self.assertEqual(admin.post("/office/devices/enroll", fields).status, status, fields)
        # Without the CSRF token: nothing enrolled.
        r = admin.post("/office/devices/enroll",
                       {"pubkey": key, "name": "tablet-09", "commune": "01864"}, csrf=False)
        self.assertEqual(r.status, 403)
        self.assertEqual(self.query("SELECT count(*) FROM devices"), "0")
        r = admin.post("/office/devices/enroll",
                       {"pubkey": " %s\n" % key, "name": "tablet-09", "commune": "01864"})
        self.assertEqual(r.status, 303)
        self.assertEqual(admin.post("/office/devices/enroll", {"pubkey": key, "name": "again",
                                                               "commune": "01864"}).status, 409)
        page = text_of(admin.get("/office/devices").text)
        self.assertIn("tablet-09", page)
        self.assertIn("Bằng Thành", page)
        # The device enrolled in the office delivers, and reports its queue.
        with open(os.path.join(self.tmp.name, "d.json"), "w", encoding="utf-8") as f:
            f.write('{"procedure": "birth-registration", "citizen": {"full_name": "Lò Thị Ún"},'
                    ' "fields": {"child_name": "Lò Văn Khánh", "child_birth_date": "2026-10-02",'
                    ' "child_sex": "male", "child_birth_place": "Trạm y tế",'
                    ' "child_ethnicity": "Tày", "child_nationality": "Việt Nam",'
                    ' "submitter_relation": "mother"}}')
        r = run(CTL, "--data", data, "intake", "add", "--json", os.path.join(self.tmp.name,
                                                                           "d.json"))
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run(CTL, "--data", data, "sync", "--server", self.server.url, pin=None)
        self.assertEqual(r.returncode, 0, r.stderr + r.stdout)
        r = run(CTL, "--data", data, "pull", "--server", self.server.url, pin=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        page = text_of(admin.get("/office/devices").text)
        self.assertIn("0 chờ gửi, 0 bị từ chối", page)
        # A supervisor sees the devices but cannot change them.
        sup = self.browser("giamsat")
        page = sup.get("/office/devices")
        self.assertIn("tablet-09", page.text)
        self.assertNotIn("/office/devices/revoke", page.text)
        self.assertEqual(sup.post("/office/devices/revoke", {"pubkey": key}).status, 403)
        self.assertEqual(self.browser("tiepnhan").get("/office/devices").status, 403)
        # Revoked in the office: the device is refused from then on.
        admin.get("/office/devices")
        self.assertEqual(admin.post("/office/devices/revoke", {"pubkey": key}).status, 303)
        self.assertIn("đã thu hồi", text_of(admin.get("/office/devices").text))
        r = run(CTL, "--data", data, "pull", "--server", self.server.url, pin=None)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("revoked", r.stderr)
        actions = self.query("SELECT action FROM office_audit WHERE user_name = 'quantri'"
                             " ORDER BY id").split()
        self.assertEqual([a for a in actions if a.startswith("device")],
                         ["device-enroll", "device-revoke"])

    def test_vneid_helps_reported(self):
        self.serve()
        device = OfficeDevice(self.tmp.name, self.server, "tablet-07", "01864")
        for outcome in ("success", "success", "no-nfc", "face-fail"):
            r = run(CTL, "--data", device.dir, "vneid", outcome, "--date", "2026-12-01",
                    "--commune", "01864", "--hamlet", "Thôn Nà Phặc")
            self.assertEqual(r.returncode, 0, r.stderr)
        r = run(CTL, "--data", device.dir, "vneid", "success", "--date", "yesterday")
        self.assertEqual(r.returncode, 2)
        device.pull()
        self.assertEqual(self.query("SELECT outcome, count(*) FROM office_vneid"
                                    " GROUP BY outcome ORDER BY outcome"),
                         "face-fail|1\nno-nfc|1\nsuccess|2")
        self.assertEqual(self.query("SELECT DISTINCT commune || ' ' || hamlet FROM office_vneid"),
                         "01864 Thôn Nà Phặc")
        device.pull()
        self.assertEqual(self.query("SELECT count(*) FROM office_vneid"), "4")

    def test_accounts_from_the_office(self):
        self.serve()
        admin = self.browser("quantri")
        page = admin.get("/office/users")
        self.assertEqual(page.status, 200)
        for name in ("quantri", "giamsat", "tiepnhan"):
            self.assertIn(name, text_of(page.text))
        new = {"name": "tiepnhan.badinh", "role": "receiver", "commune": "00004",
               "password": "mat-khau-moi-1", "again": "mat-khau-moi-1"}
        # Refused with why, and nothing added.
        for change, status, why in (({"again": "khac-hoan-toan"}, 400, "không giống nhau"),
                                    ({"password": "ngan", "again": "ngan"}, 400, "ít nhất 10"),
                                    ({"name": "Nguyễn Văn A"}, 400, "chữ thường không dấu"),
                                    ({"commune": ""}, 400, "5 chữ số"),
                                    ({"role": "boss"}, 400, "chọn vai trò"),
                                    ({"name": "giamsat"}, 409, "Đã có tài khoản")):
            r = admin.post("/office/users/add", dict(new, **change))
            self.assertEqual(r.status, status, change)
            self.assertIn(why, text_of(r.text), change)
        self.assertEqual(admin.post("/office/users/add", new, csrf=False).status, 403)
        self.assertEqual(self.query("SELECT count(*) FROM office_users"), "3")
        r = admin.post("/office/users/add", new)
        self.assertEqual(r.status, 303)
        self.assertIn("Đã thêm tài khoản", text_of(admin.get(r.location()).text))
        self.assertEqual(self.query("SELECT role || ' ' || commune FROM office_users"
                                    " WHERE name = 'tiepnhan.badinh'"), "receiver 00004")
        newcomer = Browser(self.server)
        self.assertEqual(newcomer.login("tiepnhan.badinh", "mat-khau-moi-1").status, 303)
        self.assertEqual(newcomer.get("/office/inbox").status, 200)
        # A new password ends the account's sessions; the old one no longer works.
        r = admin.post("/office/users/password", {"name": "tiepnhan.badinh",
                                                  "password": "mat-khau-khac-2",
                                                  "again": "mat-khau-khac-2"})
        self.assertEqual(r.status, 303)
        self.assertEqual(newcomer.get("/office/inbox").status, 303)
        self.assertEqual(Browser(self.server).login("tiepnhan.badinh", "mat-khau-moi-1").status,
                         401)
        self.assertEqual(newcomer.login("tiepnhan.badinh", "mat-khau-khac-2").status, 303)
        # Disabled: its session ends and it cannot log in.
        self.assertEqual(admin.post("/office/users/disable", {"name": "quantri"}).status, 400)
        self.assertEqual(admin.post("/office/users/disable", {"name": "nobody"}).status, 404)
        self.assertEqual(admin.post("/office/users/disable",
                                    {"name": "tiepnhan.badinh"}).status, 303)
        self.assertEqual(newcomer.get("/office/inbox").status, 303)
        self.assertEqual(newcomer.login("tiepnhan.badinh", "mat-khau-khac-2").status, 401)
        self.assertIn("đã khoá", text_of(admin.get("/office/users").text))
        self.assertEqual(self.query("SELECT action || ' ' || detail FROM office_audit"
                                    " WHERE action LIKE 'user-%' ORDER BY id"),
                         "user-add tiepnhan.badinh (receiver)\nuser-password tiepnhan.badinh\n"
                         "user-disable tiepnhan.badinh")
        # Only administrators.
        for name in ("giamsat", "tiepnhan"):
            b = self.browser(name)
            self.assertEqual(b.get("/office/users").status, 403)
            self.assertEqual(b.post("/office/users/disable", {"name": "quantri"}).status, 403)
        self.assertEqual(Browser(self.server).login("quantri", PASSWORD).status, 303)

    def test_catalog_checked_compared_published(self):
        self.serve()
        device = OfficeDevice(self.tmp.name, self.server, "tablet-07", "01864")
        with open(os.path.join(SOURCE, "assets", "data", "catalog.json"), encoding="utf-8") as f:
            built_in = json.load(f)
        admin = self.browser("quantri")
        page = admin.get("/office/catalog")
        self.assertEqual(page.status, 200)
        self.assertIn("Phiên bản %s" % built_in["version"], text_of(page.text))
        self.assertIn('name="catalog"', page.text)
        # Refused with why: not JSON, invalid, not newer; the text is kept.
        r = admin.post("/office/catalog/check", {"catalog": "{not json"})
        self.assertEqual(r.status, 400)
        self.assertIn("không hợp lệ", text_of(r.text))
        self.assertIn("{not json", text_of(r.text))
        broken = copy.deepcopy(built_in)
        broken["version"] = "2099.1"
        broken["procedures"][0]["fields"][0]["type"] = "colour"
        r = admin.post("/office/catalog/check", {"catalog": json.dumps(broken)})
        self.assertEqual(r.status, 400)
        self.assertIn("không hợp lệ", text_of(r.text))
        r = admin.post("/office/catalog/check", {"catalog": json.dumps(built_in)})
        self.assertEqual(r.status, 400)
        self.assertIn("phải mới hơn", text_of(r.text))
        # A newer one: a field and a procedure added, a paper and a
        # procedure removed, a title changed; a hostile title stays text.
        fresh = copy.deepcopy(built_in)
        fresh["version"] = built_in["version"] + ".1"
        birth = fresh["procedures"][0]
        extra = dict(birth["fields"][0], name="extra_note", required=False,
                     label={"vi": "Ghi chú thêm", "en": "Extra note"})
        birth["fields"].append(extra)
        gone_paper = birth["documents"].pop()
        gone = fresh["procedures"].pop()
        fresh["procedures"][1]["title"]["vi"] = "<b>Khai sinh lại</b>"
        added = copy.deepcopy(fresh["procedures"][2])
        added["code"] = "test-procedure"
        fresh["procedures"].append(added)
        text = json.dumps(fresh, ensure_ascii=False)
        self.assertEqual(admin.post("/office/catalog/check", {"catalog": text},
                                    csrf=False).status, 403)
        r = admin.post("/office/catalog/check", {"catalog": text})
        self.assertEqual(r.status, 200)
        diff = text_of(r.text)
        self.assertIn("Trường mới “Ghi chú thêm”", diff)
        self.assertIn("Bỏ giấy tờ “%s”" % gone_paper["title"]["vi"], diff)
        self.assertIn("Bỏ thủ tục: %s (%s)" % (gone["title"]["vi"], gone["code"]), diff)
        self.assertIn("Thủ tục mới: %s (test-procedure)" % added["title"]["vi"], diff)
        self.assertIn("%d thủ tục không thay đổi" % (len(fresh["procedures"]) - 3), diff)
        self.assertNotIn("<b>Khai sinh lại</b>", r.text)
        self.assertEqual(self.query("SELECT count(*) FROM catalog"), "0")
        # Supervisors read it; receivers do not; neither publishes.
        supervisor = self.browser("giamsat")
        self.assertEqual(supervisor.get("/office/catalog").status, 200)
        self.assertNotIn('name="catalog"', supervisor.get("/office/catalog").text)
        self.assertEqual(supervisor.post("/office/catalog/publish", {"catalog": text}).status, 403)
        self.assertEqual(self.browser("tiepnhan").get("/office/catalog").status, 403)
        r = admin.post("/office/catalog/publish", {"catalog": text})
        self.assertEqual(r.status, 303)
        self.assertIn("Đã ban hành", text_of(admin.get(r.location()).text))
        self.assertIn("Phiên bản %s" % fresh["version"], text_of(admin.get("/office/catalog").text))
        self.assertEqual(self.query("SELECT action || ' ' || detail FROM office_audit"
                                    " WHERE action = 'catalog-publish'"),
                         "catalog-publish " + fresh["version"])
        # The same version again is refused; the device pulls the new one:
        self.assertEqual(admin.post("/office/catalog/publish", {"catalog": text}).status, 400)
        # the device verifies the server's signature before it uses it.
        pulled = device.pull()
        self.assertTrue(pulled["catalog_applied"])
        self.assertEqual(pulled["catalog_version"], fresh["version"])

    def report_csv(self, b, query):
        r = b.get("/office/reports.csv?" + query)
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/csv"))
        self.assertIn("attachment", r.header("Content-Disposition"))
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8-sig"))))
        self.assertEqual(rows[0], ["group", "measure", "key", "label", "count"])
        return {(g, m, k): int(n) for g, m, k, _, n in rows[1:]}

    def test_reports_and_audit_trail(self):
        self.serve()
        device = OfficeDevice(self.tmp.name, self.server, "tablet-07", "01864")
        hostile = dict(HAMLET_VISIT, id="0b6d7f9c-3f25-4d2e-8c1a-5e2f3a4b5c6d", date="2026-12-15",
                       hamlet='=HYPERLINK("x")<b>bản</b>')
        first = device.intake("Lò Thị Ún")
        device.intake("Hà Văn Páo", id_number="001099054321")
        device.intake("Vàng Thị Dung", id_number="001099067890", visit=hostile)
        self.assertEqual(device.sync()["delivered"], 3)
        self.assertEqual(run(SERVER, "--db", self.db, "result", "add", "--commune", "01864",
                             "--dossier", first, "--status", "ready").returncode, 0)
        for outcome in ("success", "no-nfc"):
            self.assertEqual(run(CTL, "--data", device.dir, "vneid", outcome, "--date",
                                 "2026-12-01", "--commune", "01864", "--hamlet",
                                 "Thôn Nà Phặc").returncode, 0)
        device.pull()
        boss = self.browser("giamsat")
        page = boss.get("/office/reports?from=2026-12-01&to=2026-12-31&by=visit")
        self.assertEqual(page.status, 200)
        text = text_of(page.text)
        self.assertIn("3 hồ sơ, 2 lượt hỗ trợ VNeID", text)
        self.assertIn("Đăng ký khai sinh", text)
        self.assertIn("<svg class=\"chart\"", page.text)
        # The hamlet came from a device: text, never markup.
        self.assertNotIn("<b>bản</b>", page.text)
        self.assertIn("&lt;b&gt;bản&lt;/b&gt;", page.text)
        counts = self.report_csv(boss, "from=2026-12-01&to=2026-12-31&by=visit")
        self.assertEqual(counts[("total", "dossiers", "")], 3)
        self.assertEqual(counts[("total", "procedure", "birth-registration")], 3)
        self.assertEqual(counts[("total", "result", "ready")], 1)
        self.assertEqual(counts[("total", "result", "new")], 2)
        self.assertEqual(counts[("total", "vneid", "success")], 1)
        self.assertEqual(counts[("total", "vneid", "no-nfc")], 1)
        self.assertEqual(counts[("2026-12-01 · Thôn Nà Phặc", "dossiers", "")], 2)
        self.assertEqual(counts[("2026-12-01 · Thôn Nà Phặc", "vneid", "")], 2)
        self.assertEqual(counts[("2026-12-15 · " + hostile["hamlet"], "dossiers", "")], 1)
        counts = self.report_csv(boss, "from=2026-12-01&to=2026-12-31&by=hamlet")
        self.assertEqual(counts[("Thôn Nà Phặc", "dossiers", "")], 2)
        # A spreadsheet does not take the hostile hamlet for a formula.
        self.assertEqual(counts[("'" + hostile["hamlet"], "dossiers", "")], 1)
        counts = self.report_csv(boss, "from=2026-12-01&to=2026-12-10&by=month")
        self.assertEqual(counts[("2026-12", "dossiers", "")], 2)
        self.assertEqual(counts[("total", "vneid", "")], 2)
        counts = self.report_csv(boss, "from=2027-01-01&to=2027-01-31&commune=01864")
        self.assertEqual(counts[("total", "dossiers", "")], 0)
        # Bad ranges say why.
        self.assertIn("ngày bắt đầu ở sau", text_of(
            boss.get("/office/reports?from=2026-12-31&to=2026-12-01").text).lower())
        self.assertIn("theo lịch", text_of(boss.get("/office/reports?from=31/12/2026").text))
        self.assertEqual(boss.get("/office/reports.csv?to=2026-13-01").status, 400)
        # The audit trail: who opened which dossier, for supervisors only.
        receiver = self.browser("tiepnhan")
        self.assertEqual(receiver.get("/office/dossier/%s" % first).status, 200)
        self.assertEqual(receiver.get("/office/dossier/%s/file/0" % first).status, 404)
        trail = text_of(boss.get("/office/audit?dossier=%s" % first).text)
        self.assertIn("tiepnhan", trail)
        self.assertIn("Mở hồ sơ", trail)
        self.assertNotIn("Đăng nhập", trail)
        trail = text_of(boss.get("/office/audit?user=giamsat").text)
        self.assertIn("Đăng nhập", trail)
        self.assertNotIn("tiepnhan", trail)
        self.assertIn("Không có mục nào", text_of(boss.get("/office/audit?to=2020-01-01").text))
        self.assertIn("sao chép", text_of(boss.get("/office/audit?dossier=%3Cx%3E").text))
        for b in (receiver, self.browser("quantri")):
            for path in ("/office/audit", "/office/reports", "/office/reports.csv"):
                self.assertEqual(b.get(path).status, 403, path)

    def test_photos_removed_after_handover(self):
        # Removed about two seconds after handover.
        self.serve("--office-retention-days=0.00002")
        device = OfficeDevice(self.tmp.name, self.server, "tablet-07", "01864")
        dossier = device.intake("Lò Thị Ún", photo=PHOTO, fingerprint=FINGER)
        device.sync()
        r = run(SERVER, "--db", self.db, "result", "add", "--commune", "01864", "--dossier",
                dossier, "--status", "ready")
        self.assertEqual(r.returncode, 0, r.stderr)
        b = self.browser("tiepnhan")
        self.assertEqual(b.get("/office/dossier/%s/file/0" % dossier).status, 200)
        blobs = int(self.query("SELECT count(*) FROM blobs"))
        self.assertEqual(blobs, 3)
        r = run(CTL, "--data", device.dir, "handover", dossier)
        self.assertEqual(r.returncode, 0, r.stderr)
        device.pull()
        self.assertTrue(wait_for(lambda: self.query(
            "SELECT purged_at > 0 FROM office_dossiers WHERE dossier = '%s'" % dossier) == "1"))
        # Only the sealed dossier is left: the record, the result, the trail.
        self.assertEqual(self.query("SELECT count(*) FROM blobs"), "1")
        self.assertEqual(b.get("/office/dossier/%s/file/0" % dossier).status, 410)
        page = text_of(b.get("/office/dossier/%s" % dossier).text)
        self.assertIn("đã được xoá", page)
        self.assertIn("Lò Thị Ún", page)
        self.assertIn("Đã xoá ảnh và vân tay", page)
        out = os.path.join(self.tmp.name, "export")
        r = run(SERVER, "--db", self.db, "--keys", self.server.keys, "export", "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(os.listdir(os.path.join(out, dossier)), ["dossier.json"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
