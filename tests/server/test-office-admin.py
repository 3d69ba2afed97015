#!/usr/bin/python3
# The office's administration over HTTP against the real fieldkit-server:
# devices enrolled from a pasted key (then syncing for real), named, tied to
# a commune, revoked (then refused), with when each was last seen and the
# queue it reported; what devices report besides dossiers (VNeID helps);
# photos and fingerprint removed after handover; who may do what.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fkserver  # noqa: E402
from fkoffice import Browser, OfficeDevice, add_user, sqlite_query, text_of, wait_for  # noqa: E402
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
