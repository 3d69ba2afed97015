#!/usr/bin/python3
# fieldkit-ctl store commands as a script uses them: init, intake add, queue
# list, dossier show, audit verify, admin reset-pin / pin-policy.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import base64
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import unittest
import uuid

CTL = os.path.join(os.environ["FK_BUILD_ROOT"], "cli", "fieldkit-ctl")
PIN = "2580"
NAME = "Nguyễn Thị Hoà Bình"
ID_NUMBER = "001099012345"

FIELDS = {
    "child_name": "Lò Văn Khánh",
    "child_birth_date": "2026-10-02",
    "child_sex": "male",
    "child_birth_place": "Trạm y tế xã Bằng Thành",
    "child_ethnicity": "Tày",
    "child_nationality": "Việt Nam",
    "submitter_relation": "mother",
}


# The command line follows the locale (LANGUAGE in a UTF-8 locale).
LOCALES = {lang: {"LC_ALL": "C.UTF-8", "LANGUAGE": lang} for lang in ("en", "vi")}


def run(*args, pin=PIN, env=None, lang="en"):
    e = dict(os.environ)
    e.update(LOCALES[lang])
    e.pop("FIELDKIT_PIN", None)
    if pin is not None:
        e["FIELDKIT_PIN"] = pin
    if env:
        e.update(env)
    return subprocess.run([CTL, *args], capture_output=True, text=True, env=e,
                          stdin=subprocess.DEVNULL, timeout=60)


class StoreCtl(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.data = os.path.join(self.dir, "data")
        self.key = os.path.join(self.dir, "server.pub")
        with open(self.key, "w") as f:
            f.write(base64.b64encode(os.urandom(32)).decode() + "\n")
        r = run("--data", self.data, "init", "--server-key", self.key, "--json",
                "--kdf-passes", "1", "--kdf-memory", "0")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = json.loads(r.stdout)
        self.recovery = out["recovery_code"]
        self.assertEqual(len(base64.b64decode(out["device_key"])), 32)

    def tearDown(self):
        self.tmp.cleanup()

    def write_dossier(self, name="d.json", **overrides):
        photo_dir = os.path.join(self.dir, "photos")
        os.makedirs(photo_dir, exist_ok=True)
        for i in range(2):
            with open(os.path.join(photo_dir, "p%d.jpg" % i), "wb") as f:
                f.write(b"JPEG-DOC-%d" % i + os.urandom(150000))
        d = {
            "procedure": "birth-registration",
            "citizen": {"id_number": ID_NUMBER, "full_name": NAME,
                        "address": "Thôn Nà Phặc"},
            "fields": dict(FIELDS),
            "attachments": [{"kind": "document", "path": "photos/p0.jpg"},
                            {"kind": "fingerprint", "path": "photos/p1.jpg"}],
        }
        d.update(overrides)
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(d, f, ensure_ascii=False)
        return path

    def add(self, path, **kw):
        return run("--data", self.data, "intake", "add", "--json", path, **kw)

    def queue(self):
        r = run("--data", self.data, "queue", "list", "--json", pin=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def test_init_key_formats(self):
        raw = os.path.join(self.dir, "raw.pub")
        with open(raw, "wb") as f:
            f.write(os.urandom(32))
        r = run("--data", os.path.join(self.dir, "d2"), "init", "--server-key", raw,
                "--kdf-passes", "1", "--kdf-memory", "0")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("recovery code", r.stdout)
        # The server's server.pub: X25519 key, then the receipt key.
        pub = os.path.join(self.dir, "server.pub2")
        with open(pub, "w") as f:
            f.write(base64.b64encode(os.urandom(32)).decode() + "\n" +
                    base64.b64encode(os.urandom(32)).decode() + "\n")
        r = run("--data", os.path.join(self.dir, "d4"), "init", "--server-key", pub,
                "--kdf-passes", "1", "--kdf-memory", "0")
        self.assertEqual(r.returncode, 0, r.stderr)
        bad = os.path.join(self.dir, "bad.pub")
        with open(bad, "w") as f:
            f.write("not a key")
        r = run("--data", os.path.join(self.dir, "d3"), "init", "--server-key", bad)
        self.assertEqual(r.returncode, 2)
        self.assertIn("32 raw bytes", r.stderr)
        # A second init keeps the first store.
        r = run("--data", self.data, "init", "--server-key", self.key)
        self.assertEqual(r.returncode, 1)
        self.assertIn("already", r.stderr)
        help_text = run("init", "--help").stdout
        self.assertIn("base64", help_text)

    def test_add_prints_uuid_once_and_idempotent(self):
        r = self.add(self.write_dossier())
        self.assertEqual(r.returncode, 0, r.stderr)
        first = r.stdout.strip()
        uuid.UUID(first)
        self.assertEqual(r.stdout, first + "\n")

        fixed = "5f0c8a57-93d1-4c5e-8f0e-2a3b4c5d6e7f"
        path = self.write_dossier("fixed.json", id=fixed)
        r1 = self.add(path)
        r2 = self.add(path)
        self.assertEqual((r1.returncode, r2.returncode), (0, 0), r2.stderr)
        self.assertEqual(r1.stdout.strip(), fixed)
        self.assertEqual(r2.stdout.strip(), fixed)
        q = self.queue()
        self.assertEqual(sorted(e["id"] for e in q), sorted([first, fixed]))
        for e in q:
            self.assertEqual(set(e), {"id", "state", "procedure", "created", "bytes"})
            self.assertEqual(e["state"], "queued")
            self.assertEqual(e["procedure"], "birth-registration")
            self.assertGreater(e["bytes"], 300000)
        text = json.dumps(q, ensure_ascii=False)
        self.assertNotIn(NAME, text)
        self.assertNotIn(ID_NUMBER, text)

    def test_bad_dossiers(self):
        r = self.add(self.write_dossier(procedure="flying-licence"))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("Unknown procedure", r.stderr)
        self.assertIn("flying-licence", r.stderr)

        fields = dict(FIELDS)
        del fields["child_birth_date"]
        r = self.add(self.write_dossier(fields=fields))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("child_birth_date", r.stderr)

        r = self.add(self.write_dossier(attachments=[{"kind": "document",
                                                      "path": "photos/missing.jpg"}]))
        self.assertEqual(r.returncode, 2)
        self.assertIn("missing.jpg", r.stderr)

        r = self.add(os.path.join(self.dir, "nope.json"))
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stdout, "")
        self.assertEqual(self.queue(), [])
        # Nothing sealed was left behind by the failures.
        self.assertEqual(os.listdir(os.path.join(self.data, "parts")), [])

    def test_show_needs_pin_and_counts_wrong_ones(self):
        uid = self.add(self.write_dossier()).stdout.strip()
        r = run("--data", self.data, "dossier", "show", uid, "--json", pin="0000")
        self.assertEqual(r.returncode, 1)
        self.assertIn("Wrong PIN", r.stderr)
        self.assertIn("9 tries left", r.stderr)
        r = run("--data", self.data, "dossier", "show", uid, "--json", pin="0001", lang="vi")
        self.assertEqual(r.returncode, 1)
        self.assertIn("Sai mã PIN", r.stderr)
        r = run("--data", self.data, "dossier", "show", uid, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        d = json.loads(r.stdout)
        self.assertEqual(d["id"], uid)
        self.assertEqual(d["citizen"]["full_name"], NAME)
        self.assertEqual(d["fields"]["child_name"], "Lò Văn Khánh")
        self.assertEqual([a["kind"] for a in d["attachments"]], ["document", "fingerprint"])
        r = run("--data", self.data, "dossier", "show", str(uuid.uuid4()), "--json")
        self.assertEqual(r.returncode, 1)
        self.assertIn("No dossier", r.stderr)

    def test_lockout_and_admin_reset(self):
        uid = self.add(self.write_dossier()).stdout.strip()
        r = run("--data", self.data, "admin", "pin-policy", "--max-attempts", "3",
                "--free-attempts", "1", "--delay", "600",
                env={"FIELDKIT_RECOVERY_CODE": self.recovery})
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run("--data", self.data, "dossier", "show", uid, pin="1111")
        self.assertEqual(r.returncode, 1)
        self.assertIn("Wait 600 seconds", r.stderr)
        # A new process must still wait, even with the right PIN.
        r = run("--data", self.data, "dossier", "show", uid)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"wait (59\d|600) seconds")
        # Skip the wait (as if time had passed) twice: the third wrong PIN locks.
        db = os.path.join(self.data, "fieldkit.db")
        for pin in ("2222", "3333"):
            with sqlite3.connect(db) as c:
                c.execute("UPDATE settings SET value = 0 WHERE key = 'pin.last_try'")
            r = run("--data", self.data, "dossier", "show", uid, pin=pin)
            self.assertEqual(r.returncode, 1)
        self.assertIn("locked", r.stderr)
        r = run("--data", self.data, "dossier", "show", uid)
        self.assertEqual(r.returncode, 1)
        self.assertIn("administrator", r.stderr)

        r = run("--data", self.data, "admin", "reset-pin",
                env={"FIELDKIT_RECOVERY_CODE": "0000-1111", "FIELDKIT_NEW_PIN": "4321"})
        self.assertEqual(r.returncode, 1)
        self.assertIn("recovery code is wrong", r.stderr)
        r = run("--data", self.data, "admin", "reset-pin",
                env={"FIELDKIT_RECOVERY_CODE": self.recovery.upper(), "FIELDKIT_NEW_PIN": "4321"})
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run("--data", self.data, "dossier", "show", uid, pin="4321")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["citizen"]["full_name"], NAME)

    def test_audit_verify_and_tamper(self):
        for _ in range(2):
            self.assertEqual(self.add(self.write_dossier()).returncode, 0)
        r = run("--data", self.data, "audit", "verify", pin=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("5 entries", r.stdout)
        with sqlite3.connect(os.path.join(self.data, "fieldkit.db")) as c:
            c.execute("UPDATE audit SET time = time + 1 WHERE seq = 3")
        r = run("--data", self.data, "audit", "verify", pin=None)
        self.assertEqual(r.returncode, 1)
        self.assertIn("entry 3", r.stderr)

    def test_retention_and_purge(self):
        r = run("--data", self.data, "admin", "retention", pin=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("30 days", r.stdout)
        r = run("--data", self.data, "admin", "retention", "--days", "7", pin=None,
                env={"FIELDKIT_RECOVERY_CODE": "0000"})
        self.assertEqual(r.returncode, 1)
        self.assertIn("recovery code is wrong", r.stderr)
        r = run("--data", self.data, "admin", "retention", "--days", "7", pin=None,
                env={"FIELDKIT_RECOVERY_CODE": self.recovery})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("7 days", r.stdout)
        uid = self.add(self.write_dossier()).stdout.strip()
        r = run("--data", self.data, "queue", "purge", pin=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("0 delivered dossiers purged", r.stdout)
        # Queued, not delivered: still whole.
        r = run("--data", self.data, "dossier", "show", uid)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_discard_quarantined(self):
        uid = self.add(self.write_dossier()).stdout.strip()
        other = self.add(self.write_dossier()).stdout.strip()
        parts = os.path.join(self.data, "parts")
        self.assertEqual(len(os.listdir(parts)), 6)
        # Only a quarantined dossier can be discarded, and only with --yes.
        r = run("--data", self.data, "queue", "discard", uid, "--yes", pin=None)
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot go from “queued” to “discarded”", r.stderr)
        # The uploader quarantines a dossier the server refuses; here the
        # refusal is written as the uploader would leave it.
        with sqlite3.connect(os.path.join(self.data, "fieldkit.db")) as c:
            c.execute("UPDATE outbox SET state = 'quarantined', reason = 'bad-signature' "
                      "WHERE dossier_id = ?", (uid,))
        r = run("--data", self.data, "queue", "discard", uid, pin=None)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--yes", r.stderr)
        r = run("--data", self.data, "queue", "discard", str(uuid.uuid4()), "--yes", pin=None)
        self.assertEqual(r.returncode, 1)
        self.assertIn("No dossier", r.stderr)
        self.assertEqual(len(os.listdir(parts)), 6)
        r = run("--data", self.data, "queue", "discard", uid, "--yes", pin=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(uid, r.stdout)
        self.assertEqual(len(os.listdir(parts)), 3)
        states = {e["id"]: e for e in self.queue()}
        self.assertEqual(states[uid]["state"], "discarded")
        self.assertEqual(states[uid]["reason"], "bad-signature")
        self.assertEqual(states[uid]["procedure"], "birth-registration")
        self.assertEqual(states[other]["state"], "queued")
        r = run("--data", self.data, "dossier", "show", uid)
        self.assertEqual(r.returncode, 1)
        r = run("--data", self.data, "dossier", "show", other)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run("--data", self.data, "audit", "verify", pin=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run("--data", self.data, "queue", "discard", uid, "--yes", pin=None)
        self.assertEqual(r.returncode, 1)

    def test_tampered_blob_is_refused(self):
        uid = self.add(self.write_dossier()).stdout.strip()
        parts = os.path.join(self.data, "parts")
        blob = [f for f in os.listdir(parts) if f.endswith(".fkd")][0]
        with open(os.path.join(parts, blob), "r+b") as f:
            f.seek(150)
            b = f.read(1)
            f.seek(150)
            f.write(bytes([b[0] ^ 1]))
        r = run("--data", self.data, "dossier", "show", uid)
        self.assertEqual(r.returncode, 1)
        self.assertIn("damaged or changed", r.stderr)


if __name__ == "__main__":
    unittest.main(testRunner=unittest.TextTestRunner(stream=sys.stdout, verbosity=2))
