# The office of a real fieldkit-server from Python tests: accounts made
# with `fieldkit-server user add`, a browser-like client (cookies, the
# CSRF token of the last page) over http.client, and a throwaway
# PostgreSQL cluster.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import html
import json
import http.client
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.parse

from fkserver import SERVER, run

PASSWORD = "mật-khẩu-thử-1"


def add_user(db, name, role, commune=None, password=PASSWORD):
    args = [SERVER, "--db", db, "user", "add", "--name", name, "--role", role]
    if commune:
        args += ["--commune", commune]
    r = run(*args, env={"FIELDKIT_PASSWORD": password})
    assert r.returncode == 0, r.stderr
    return name


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-case names; Set-Cookie as a list
        self.body = body
        self.text = body.decode("utf-8", "replace")

    def header(self, name):
        return self.headers.get(name.lower())

    def csrf(self):
        m = re.search(r'name="csrf" value="([^"]+)"', self.text)
        return m.group(1) if m else None

    def location(self):
        return self.header("location")


class Browser:
    """One client of the office: keeps its cookies like a browser and the
    CSRF token of the last page it read."""

    def __init__(self, server, source="127.0.0.1"):
        self.server = server
        self.source = source
        self.cookies = {}
        self.csrf = None

    def request(self, method, path, fields=None, headers=None, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60,
                                          source_address=(self.source, 0))
        all_headers = {"Host": "127.0.0.1:%d" % self.server.port}
        if self.cookies:
            all_headers["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        if fields is not None:
            body = urllib.parse.urlencode(fields).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        all_headers.update(headers or {})
        conn.request(method, path, body=body, headers=all_headers)
        r = conn.getresponse()
        data = r.read()
        headers_out = {}
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                headers_out.setdefault("set-cookie", []).append(v)
            else:
                headers_out[k.lower()] = v
        conn.close()
        for c in headers_out.get("set-cookie", []):
            name, _, rest = c.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in c:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        response = Response(r.status, headers_out, data)
        token = response.csrf()
        if token:
            self.csrf = token
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, fields=None, csrf=True, **kwargs):
        fields = dict(fields or {})
        if csrf and self.csrf:
            fields["csrf"] = self.csrf
        return self.request("POST", path, fields=fields, **kwargs)

    def post_files(self, path, fields=None, files=None, csrf=True):
        """POST as multipart/form-data, the way a form with a file input
        sends it; @files: name -> (filename, bytes)."""
        fields = dict(fields or {})
        if csrf and self.csrf:
            fields["csrf"] = self.csrf
        boundary = "----fieldkit%d" % len(self.cookies)
        body = b""
        for name, value in fields.items():
            body += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                     % (boundary, name, value)).encode()
        for name, (filename, data) in (files or {}).items():
            body += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                     "Content-Type: application/octet-stream\r\n\r\n"
                     % (boundary, name, filename)).encode() + data + b"\r\n"
        body += ("--%s--\r\n" % boundary).encode()
        return self.request("POST", path, body=body, headers={
            "Content-Type": "multipart/form-data; boundary=%s" % boundary})

    def login(self, name, password=PASSWORD):
        return self.request("POST", "/office/login", fields={"name": name, "password": password})


def text_of(page):
    """The visible text of a page, tags removed and entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


class PostgreSQL:
    """A PostgreSQL cluster in a temporary folder, run as the postgres user
    on a free loopback port; databases made with psql."""

    def __init__(self):
        self.bin = None
        base = "/usr/lib/postgresql"
        for version in sorted(os.listdir(base)) if os.path.isdir(base) else []:
            candidate = os.path.join(base, version, "bin")
            if os.access(os.path.join(candidate, "initdb"), os.X_OK):
                self.bin = candidate
        self.dir = None
        self.n = 0

    def available(self):
        return self.bin is not None and os.geteuid() == 0 and shutil.which("runuser")

    def _as_postgres(self, *args):
        # The postgres user cannot enter the test's own (0700) folder.
        r = subprocess.run(["runuser", "-u", "postgres", "--", *args], capture_output=True,
                           text=True, timeout=120, cwd="/")
        assert r.returncode == 0, r.stderr + r.stdout
        return r.stdout

    def start(self):
        import pwd
        import socket
        self.dir = tempfile.mkdtemp(prefix="fk-pg-", dir="/tmp")
        pw = pwd.getpwnam("postgres")
        os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        data = os.path.join(self.dir, "data")
        log = os.path.join(self.dir, "log")
        self._as_postgres(os.path.join(self.bin, "initdb"), "-D", data, "-A", "trust", "-U",
                          "postgres", "--no-sync", "-E", "UTF8")
        # The port is free when chosen, but another program may take it
        # before the server binds it ("Address already in use" in the log):
        # then again, on another port.
        for attempt in range(5):
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                self.port = s.getsockname()[1]
            opts = "-h 127.0.0.1 -p %d -k %s -c fsync=off -c max_connections=50" % (self.port,
                                                                                     self.dir)
            r = subprocess.run(["runuser", "-u", "postgres", "--", os.path.join(self.bin, "pg_ctl"),
                                "-D", data, "-l", log, "-o", opts, "-w", "start"],
                               capture_output=True, text=True, timeout=120, cwd="/")
            if r.returncode == 0:
                return
        with open(log) as f:
            raise AssertionError("pg_ctl start failed 5 times: " + r.stdout + r.stderr + f.read())

    def new_database(self):
        self.n += 1
        name = "fk_office_%d_%d" % (os.getpid(), self.n)
        self._as_postgres("psql", "-h", "127.0.0.1", "-p", str(self.port), "-d", "postgres",
                          "-q", "-c", "CREATE DATABASE %s" % name)
        return "postgresql://postgres@127.0.0.1:%d/%s" % (self.port, name)

    def query(self, uri, sql):
        return self._as_postgres("psql", uri, "-At", "-c", sql).strip()

    def stop(self):
        if self.dir is None:
            return
        subprocess.run(["runuser", "-u", "postgres", "--", os.path.join(self.bin, "pg_ctl"),
                        "-D", os.path.join(self.dir, "data"), "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=120, cwd="/")
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None


def sqlite_query(path, sql):
    r = subprocess.run(["sqlite3", path, sql], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def wait_for(predicate, timeout=30.0, step=0.1):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


HAMLET_VISIT = {"id": "6f1c2b9e-8a44-4c1e-9a53-2d0c7b9e1a01", "date": "2026-12-01",
                "commune_code": "01864", "hamlet": "Thôn Nà Phặc",
                "team": ["Hoàng Văn Tú", "Lò Thị Mai"]}


class OfficeDevice:
    """A device store made with fieldkit-ctl, enrolled on a server for
    @commune, whose dossiers carry a visit, a photo and a fingerprint."""

    def __init__(self, directory, server, name, commune):
        from fkserver import CTL
        self.ctl = CTL
        self.dir = os.path.join(directory, "device-" + name)
        self.tmp = directory
        self.server = server
        pub = os.path.join(server.keys, "server.pub")
        r = run(CTL, "--data", self.dir, "init", "--server-key", pub, "--kdf-passes", "1",
                "--kdf-memory", "0")
        assert r.returncode == 0, r.stderr
        self.key = run(CTL, "--data", self.dir, "device-key", pin=None).stdout.strip()
        r = run(SERVER, "--db", server.db, "device", "add", "--pubkey", self.key, "--name", name,
                "--commune", commune)
        assert r.returncode == 0, r.stderr
        self.n = 0

    def intake(self, full_name, id_number="001099012345", photo=None, fingerprint=None,
               visit=HAMLET_VISIT, procedure="birth-registration"):
        self.n += 1
        attachments = []
        if photo:
            attachments.append({"kind": "document", "path": photo})
        if fingerprint:
            attachments.append({"kind": "fingerprint", "path": fingerprint})
        dossier = {
            "procedure": procedure,
            "citizen": {"id_number": id_number, "full_name": full_name,
                        "address": "Thôn Nà Phặc, xã Bằng Thành"},
            "fields": {"child_name": "Lò Văn Khánh", "child_birth_date": "2026-10-02",
                       "child_sex": "male", "child_birth_place": "Trạm y tế xã Bằng Thành",
                       "child_ethnicity": "Tày", "child_nationality": "Việt Nam",
                       "submitter_relation": "mother"},
            "consents": [{"purpose": "personal-data", "granted": True, "text_version": "2026-01"},
                         {"purpose": "biometrics", "granted": True, "text_version": "2026-01"}],
            "attachments": attachments,
        }
        if visit:
            dossier["visit"] = visit
            dossier["visit_id"] = visit["id"]
        path = os.path.join(self.tmp, "dossier-%s-%d.json" % (os.path.basename(self.dir), self.n))
        with open(path, "w", encoding="utf-8") as f:
            json.dump(dossier, f, ensure_ascii=False)
        r = run(self.ctl, "--data", self.dir, "intake", "add", "--json", path)
        assert r.returncode == 0, r.stderr
        return r.stdout.strip().split()[-1]

    def sync(self):
        r = run(self.ctl, "--data", self.dir, "sync", "--server", self.server.url, "--json",
                pin=None)
        assert r.returncode == 0, r.stderr + r.stdout
        return json.loads(r.stdout)

    def pull(self):
        r = run(self.ctl, "--data", self.dir, "pull", "--server", self.server.url, "--json",
                pin=None)
        assert r.returncode == 0, r.stderr + r.stdout
        return json.loads(r.stdout)

    def queue(self):
        r = run(self.ctl, "--data", self.dir, "queue", "list", "--json", pin=None)
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)
