#!/usr/bin/python3
# The whole delivery as an operator and a commune administrator do it, with
# the command-line tools only: fieldkit-server keygen, fieldkit-ctl init with
# server.pub, device-key, device add, intake add, sync, export, revoke.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import subprocess
import tempfile
import unittest

BUILD = os.environ["FK_BUILD_ROOT"]
CTL = os.path.join(BUILD, "cli", "fieldkit-ctl")
SERVER = os.path.join(BUILD, "server", "fieldkit-server")
PIN = "2580"


def run(*cmd, pin=PIN):
    # The command line follows the locale: English here.
    env = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="en")
    env.pop("FIELDKIT_PIN", None)
    if pin is not None:
        env["FIELDKIT_PIN"] = pin
    return subprocess.run(list(cmd), capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)


class SyncCli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.keys = os.path.join(self.dir, "keys")
        self.db = os.path.join(self.dir, "server.sqlite")
        self.data = os.path.join(self.dir, "device")
        r = run(SERVER, "keygen", "--out", self.keys)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.server = None

    def tearDown(self):
        if self.server is not None:
            self.server.terminate()
            self.server.wait()
        self.tmp.cleanup()

    def serve(self, *extra):
        self.server = subprocess.Popen(
            [SERVER, "--db", self.db, "--keys", self.keys, "serve", "--listen", "127.0.0.1:0",
             *extra], stdout=subprocess.PIPE, text=True)
        line = self.server.stdout.readline().split()
        self.assertEqual(line[0], "listening")
        return line[1]

    def intake(self, n):
        photos = []
        for i in range(n):
            photo = os.path.join(self.dir, "photo-%d.jpg" % i)
            data = b"JPEG-DOC-%d" % i + os.urandom(80000)
            with open(photo, "wb") as f:
                f.write(data)
            photos.append(data)
            dossier = {
                "procedure": "birth-registration",
                "citizen": {"id_number": "001099012345", "full_name": "Nguyễn Thị Hoà Bình",
                            "address": "Thôn Nà Phặc"},
                "fields": {"child_name": "Lò Văn Khánh", "child_birth_date": "2026-10-02",
                           "child_sex": "male", "child_birth_place": "Trạm y tế xã Bằng Thành",
                           "child_ethnicity": "Tày", "child_nationality": "Việt Nam",
                           "submitter_relation": "mother"},
                "attachments": [{"kind": "document", "path": photo}],
            }
            path = os.path.join(self.dir, "d%d.json" % i)
            with open(path, "w", encoding="utf-8") as f:
                json.dump(dossier, f, ensure_ascii=False)
            r = run(CTL, "--data", self.data, "intake", "add", "--json", path)
            self.assertEqual(r.returncode, 0, r.stderr)
        return photos

    def queue_states(self):
        r = run(CTL, "--data", self.data, "queue", "list", "--json", pin=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        return sorted(d["state"] for d in json.loads(r.stdout))

    def test_deliver_export_revoke(self):
        server_pub = os.path.join(self.keys, "server.pub")
        r = run(CTL, "--data", self.data, "init", "--server-key", server_pub, "--json",
                "--kdf-passes", "1", "--kdf-memory", "0")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run(CTL, "--data", self.data, "device-key", pin=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        device = r.stdout.strip()
        r = run(SERVER, "--db", self.db, "device", "add", "--pubkey", device, "--name", "tab-1",
                "--commune", "00004")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run(SERVER, "--db", self.db, "device", "list", "--json")
        self.assertEqual([d["pubkey"] for d in json.loads(r.stdout)], [device])

        photos = self.intake(2)
        url = self.serve()
        # No --server-key: init learnt the receipt key from server.pub.
        r = run(CTL, "--data", self.data, "sync", "--server", url, "--json", pin=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        summary = json.loads(r.stdout)
        self.assertEqual(summary["delivered"], 2)
        self.assertEqual(summary["remaining"], 0)
        self.assertEqual(self.queue_states(), ["delivered", "delivered"])

        out = os.path.join(self.dir, "export")
        r = run(SERVER, "--db", self.db, "--keys", self.keys, "export", "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        folders = sorted(os.listdir(out))
        self.assertEqual(len(folders), 2)
        exported = []
        for folder in folders:
            with open(os.path.join(out, folder, "dossier.json"), encoding="utf-8") as f:
                self.assertIn("Nguyễn Thị Hoà Bình", f.read())
            for name in os.listdir(os.path.join(out, folder)):
                if name != "dossier.json":
                    with open(os.path.join(out, folder, name), "rb") as f:
                        exported.append(f.read())
        self.assertEqual(sorted(exported), sorted(photos))

        # A result ready for this device's commune comes back on pull, once.
        first = folders[0]
        r = run(SERVER, "--db", self.db, "result", "add", "--commune", "00004", "--dossier",
                first, "--note", "Giấy khai sinh đã ký")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run(CTL, "--data", self.data, "pull", "--server", url, "--json", pin=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        pulled = json.loads(r.stdout)
        self.assertEqual([x["dossier"] for x in pulled["results"]], [first])
        self.assertEqual(pulled["results"][0]["note"], "Giấy khai sinh đã ký")
        r = run(CTL, "--data", self.data, "pull", "--server", url, "--json", pin=None)
        self.assertEqual(json.loads(r.stdout)["results"], [])

        # Revoked: the next dossier is refused and stays queued, not quarantined.
        r = run(SERVER, "--db", self.db, "device", "revoke", "--pubkey", device)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.intake(1)
        r = run(CTL, "--data", self.data, "sync", "--server", url, "--json", pin=None)
        self.assertEqual(r.returncode, 1)
        summary = json.loads(r.stdout)
        self.assertIn("revoked", summary["error"])
        self.assertEqual(self.queue_states(), ["delivered", "delivered", "queued"])

    def init_enrolled(self):
        r = run(CTL, "--data", self.data, "init", "--server-key",
                os.path.join(self.keys, "server.pub"), "--kdf-passes", "1", "--kdf-memory", "0")
        self.assertEqual(r.returncode, 0, r.stderr)
        device = run(CTL, "--data", self.data, "device-key", pin=None).stdout.strip()
        r = run(SERVER, "--db", self.db, "device", "add", "--pubkey", device, "--name", "t")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_https(self):
        cert = os.path.join(self.dir, "tls.crt")
        key = os.path.join(self.dir, "tls.key")
        r = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                            "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                            "-addext", "subjectAltName=IP:127.0.0.1"], capture_output=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.init_enrolled()
        self.intake(1)
        url = self.serve("--tls-cert", cert, "--tls-key", key)
        self.assertTrue(url.startswith("https://"))
        # A certificate the device does not trust: nothing is sent, nothing lost.
        r = run(CTL, "--data", self.data, "sync", "--server", url, "--json", "--retries", "1",
                pin=None)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(self.queue_states(), ["queued"])
        r = run(CTL, "--data", self.data, "sync", "--server", url, "--ca-file", cert, "--json",
                pin=None)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(self.queue_states(), ["delivered"])

    def test_wrong_server_key(self):
        other = os.path.join(self.dir, "other")
        self.assertEqual(run(SERVER, "keygen", "--out", other).returncode, 0)
        r = run(CTL, "--data", self.data, "init", "--server-key",
                os.path.join(self.keys, "server.pub"), "--kdf-passes", "1", "--kdf-memory", "0")
        self.assertEqual(r.returncode, 0, r.stderr)
        url = self.serve()
        r = run(CTL, "--data", self.data, "sync", "--server", url, "--server-key",
                os.path.join(other, "server.pub"), pin=None)
        self.assertEqual(r.returncode, 2)
        self.assertIn("another server", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
