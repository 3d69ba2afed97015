#!/usr/bin/python3
# Catalog versions from the office to the device with the real programs:
# fieldkit-server catalog add publishes and signs, fieldkit-ctl pull
# verifies and applies, the version survives a restart (every command is a
# new process), is what a new intake is checked against and recorded in
# the dossier; a tampered, unsigned or damaged version is refused and the
# device keeps the one it had.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import copy
import json
import os
import sqlite3
import subprocess
import tempfile
import unittest

BUILD = os.environ["FK_BUILD_ROOT"]
SOURCE = os.environ["FK_SOURCE_ROOT"]
CTL = os.path.join(BUILD, "cli", "fieldkit-ctl")
SERVER = os.path.join(BUILD, "server", "fieldkit-server")
PIN = "2580"

with open(os.path.join(SOURCE, "assets", "data", "catalog.json"), encoding="utf-8") as f:
    SHIPPED = json.load(f)


def run(*cmd, pin=PIN):
    env = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="en")
    env.pop("FIELDKIT_PIN", None)
    if pin is not None:
        env["FIELDKIT_PIN"] = pin
    return subprocess.run(list(cmd), capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)


def bump(version, n):
    parts = [int(p) for p in version.split(".")]
    parts[-1] += n
    return ".".join(str(p) for p in parts)


class CatalogCli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.keys = os.path.join(self.dir, "keys")
        self.db = os.path.join(self.dir, "server.sqlite")
        self.data = os.path.join(self.dir, "device")
        self.assertEqual(run(SERVER, "keygen", "--out", self.keys).returncode, 0)
        r = run(CTL, "--data", self.data, "init", "--server-key",
                os.path.join(self.keys, "server.pub"), "--kdf-passes", "1", "--kdf-memory", "0")
        self.assertEqual(r.returncode, 0, r.stderr)
        device = run(CTL, "--data", self.data, "device-key", pin=None).stdout.strip()
        r = run(SERVER, "--db", self.db, "device", "add", "--pubkey", device, "--name", "tab-1",
                "--commune", "00004")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.server = subprocess.Popen(
            [SERVER, "--db", self.db, "--keys", self.keys, "serve", "--listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.server.stdout.readline().split()
        self.assertEqual(line[0], "listening")
        self.url = line[1]

    def tearDown(self):
        self.server.terminate()
        self.server.wait()
        self.server.stdout.close()
        self.tmp.cleanup()

    def publish(self, catalog, name):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(catalog, f, ensure_ascii=False, indent=1)
        r = run(SERVER, "--db", self.db, "--keys", self.keys, "catalog", "add", "--file", path)
        self.assertEqual(r.returncode, 0, r.stderr)

    def pull(self, expect=0):
        r = run(CTL, "--data", self.data, "pull", "--server", self.url, "--json", pin=None)
        self.assertEqual(r.returncode, expect, r.stderr)
        return json.loads(r.stdout), r.stderr

    def in_use(self):
        r = run(CTL, "--data", self.data, "catalog", "list", "--json", pin=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout), r.stderr

    def cursor(self):
        with sqlite3.connect(os.path.join(self.data, "fieldkit.db")) as db:
            row = db.execute("SELECT value FROM settings WHERE key = 'sync.catalog_since'").fetchone()
        return int(row[0]) if row else 0

    def intake(self, fields):
        path = os.path.join(self.dir, "dossier.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"procedure": "certified-copies",
                       "citizen": {"id_number": "001099012345", "full_name": "Nguyễn Thị Hoà"},
                       "fields": fields}, f, ensure_ascii=False)
        return run(CTL, "--data", self.data, "intake", "add", "--json", path)

    def newer(self, n, extra_field=False):
        """The shipped catalog n versions on; with @extra_field, certified
        copies asks for a required "purpose_note" as well."""
        catalog = copy.deepcopy(SHIPPED)
        catalog["version"] = bump(SHIPPED["version"], n)
        if extra_field:
            proc = next(p for p in catalog["procedures"] if p["code"] == "certified-copies")
            proc["fields"].append({"name": "purpose_note", "type": "text", "required": True,
                                   "label": {"vi": "Mục đích", "en": "Purpose"},
                                   "max_length": 100})
        return catalog

    def test_publish_pull_apply_restart_intake(self):
        shipped_version = self.in_use()[0]["version"]
        self.assertEqual(shipped_version, SHIPPED["version"])
        fields = {"document_title": "Giấy khai sinh", "pages": 1, "copies": 2}
        v2 = self.newer(1, extra_field=True)
        self.publish(v2, "v2.json")

        pulled, _ = self.pull()
        self.assertTrue(pulled["catalog_applied"])
        self.assertEqual(pulled["catalog_version"], v2["version"])
        # Every command is a new process: the version is kept in the store.
        catalog, warning = self.in_use()
        self.assertEqual(catalog["version"], v2["version"])
        self.assertEqual(warning, "")
        proc = next(p for p in catalog["procedures"] if p["code"] == "certified-copies")
        self.assertIn("purpose_note", [f["name"] for f in proc["fields"]])
        self.assertEqual(self.cursor(), pulled["catalog_next"])

        # A new intake is checked against it, and records it.
        r = self.intake(fields)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("purpose_note", r.stderr)
        r = self.intake(dict(fields, purpose_note="Nộp hồ sơ nhập học"))
        self.assertEqual(r.returncode, 0, r.stderr)
        dossier_id = r.stdout.strip().splitlines()[-1]
        r = run(CTL, "--data", self.data, "dossier", "show", dossier_id)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["catalog_version"], v2["version"])

        # Nothing newer: the next pull changes nothing.
        pulled, _ = self.pull()
        self.assertFalse(pulled["catalog_applied"])
        self.assertEqual(pulled["catalog_version"], v2["version"])

    def test_tampered_and_unsigned_refused(self):
        v2 = self.newer(1)
        self.publish(v2, "v2.json")
        self.pull()
        cursor = self.cursor()

        # Changed on the server after it was signed.
        v3 = self.newer(2)
        self.publish(v3, "v3.json")
        with sqlite3.connect(self.db) as db:
            db.execute("UPDATE catalog SET body = replace(body, 'Đăng ký khai sinh', "
                       "'Đăng ký khai tử') WHERE version = ?", (v3["version"],))
        pulled, stderr = self.pull(expect=1)
        self.assertFalse(pulled["catalog_applied"])
        self.assertIn("not signed by the commune's server", pulled["catalog_error"])
        self.assertIn("keeps catalog version " + v2["version"], stderr)
        self.assertEqual(self.in_use()[0]["version"], v2["version"])
        self.assertEqual(self.cursor(), cursor)

        # Signed by another key (another server), or not signed at all.
        other = os.path.join(self.dir, "other-keys")
        self.assertEqual(run(SERVER, "keygen", "--out", other).returncode, 0)
        v4 = self.newer(3)
        path = os.path.join(self.dir, "v4.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(v4, f, ensure_ascii=False)
        other_db = os.path.join(self.dir, "other.sqlite")
        r = run(SERVER, "--db", other_db, "--keys", other, "catalog", "add", "--file", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        with sqlite3.connect(other_db) as src:
            row = src.execute("SELECT body, created_at, version, signature FROM catalog").fetchone()
        with sqlite3.connect(self.db) as db:
            db.execute("INSERT INTO catalog (body, created_at, version, signature)"
                       " VALUES (?, ?, ?, ?)", row)
        pulled, _ = self.pull(expect=1)
        self.assertIn("not signed", pulled["catalog_error"])
        with sqlite3.connect(self.db) as db:
            db.execute("UPDATE catalog SET signature = 'AAAA' WHERE version = ?",
                       (v4["version"],))
        pulled, _ = self.pull(expect=1)
        self.assertIn("not signed", pulled["catalog_error"])
        self.assertEqual(self.in_use()[0]["version"], v2["version"])
        self.assertEqual(self.cursor(), cursor)

        # A good version after them goes through.
        v5 = self.newer(4)
        self.publish(v5, "v5.json")
        pulled, _ = self.pull()
        self.assertTrue(pulled["catalog_applied"])
        self.assertEqual(self.in_use()[0]["version"], v5["version"])

    def test_show(self):
        """catalog show CODE: what the guide tells, from the catalog in use."""
        r = run(CTL, "catalog", "show", "certified-copies", "--json", pin=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        shown = json.loads(r.stdout)
        self.assertEqual(shown["catalog_version"], SHIPPED["version"])
        self.assertIn("2,000", shown["fee"]["text"])
        self.assertEqual(shown["time_limit_days"], 0)
        self.assertFalse(shown["online"]["available"])
        self.assertEqual([d["original"] for d in shown["documents"]], [True, False])
        r = run(CTL, "catalog", "show", "birth-registration", "--json", pin=None)
        shown = json.loads(r.stdout)
        self.assertEqual(shown["fee"]["amount"], 0)
        self.assertEqual(shown["online"], {"available": True, "full": True,
                                           "portal_code": "1.001193",
                                           "note": shown["online"]["note"]})
        r = run(CTL, "catalog", "show", "signature-certification", pin=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("10,000", r.stdout)
        self.assertIn("original to show", r.stdout)
        r = run(CTL, "catalog", "show", "no-such-thing", pin=None)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no-such-thing", r.stderr)
        r = run(CTL, "catalog", "show", pin=None)
        self.assertEqual(r.returncode, 2)
        # With --data: the version in use on the device, once pulled.
        newer = self.newer(1)
        proc = next(p for p in newer["procedures"] if p["code"] == "certified-copies")
        proc["time_limit_days"] = 1
        self.publish(newer, "v2.json")
        self.pull()
        r = run(CTL, "--data", self.data, "catalog", "show", "certified-copies", "--json",
                pin=None)
        shown = json.loads(r.stdout)
        self.assertEqual(shown["catalog_version"], newer["version"])
        self.assertEqual(shown["time_limit_days"], 1)

    def test_damaged_on_the_device(self):
        v2 = self.newer(1)
        self.publish(v2, "v2.json")
        self.pull()
        with sqlite3.connect(os.path.join(self.data, "fieldkit.db")) as db:
            db.execute("UPDATE catalog SET body = CAST(replace(CAST(body AS TEXT), "
                       "'Đăng ký khai sinh', 'Đăng ký khai tử') AS BLOB)")
        # Checked at load: the shipped catalog meanwhile, and why.
        catalog, warning = self.in_use()
        self.assertEqual(catalog["version"], SHIPPED["version"])
        self.assertIn("does not match the server's signature", warning)
        self.assertEqual(self.cursor(), 0)
        # The next pull brings the newest version again.
        pulled, _ = self.pull()
        self.assertTrue(pulled["catalog_applied"])
        catalog, warning = self.in_use()
        self.assertEqual(catalog["version"], v2["version"])
        self.assertEqual(warning, "")
        r = run(CTL, "--data", self.data, "audit", "verify", pin=None)
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    unittest.main()
