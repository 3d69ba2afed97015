# The real fieldkit-server and fieldkit-ctl from Python tests: start a
# server, talk raw HTTP to it from any loopback address, count its fds and
# memory, and make a device with dossiers to sync.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import ctypes
import json
import os
import resource
import signal
import socket
import subprocess
import tempfile
import time

BUILD = os.environ["FK_BUILD_ROOT"]
SOURCE = os.environ["FK_SOURCE_ROOT"]
SERVER = os.path.join(BUILD, "server", "fieldkit-server")
CTL = os.path.join(BUILD, "cli", "fieldkit-ctl")
PIN = "2580"
PR_SET_PDEATHSIG = 1
METRICS_SOURCE = "127.0.0.250"


def _child_setup(nofile):
    def setup():
        # The server dies with the test, whatever happens to the test.
        ctypes.CDLL("libc.so.6").prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if nofile is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
    return setup


def run(*cmd, pin=PIN, env=None, timeout=180, prefix=()):
    full = dict(os.environ, FIELDKIT_LANG="en")
    full.pop("FIELDKIT_PIN", None)
    if pin is not None:
        full["FIELDKIT_PIN"] = pin
    if env:
        full.update(env)
    return subprocess.run([*prefix, *cmd], capture_output=True, text=True, env=full,
                          stdin=subprocess.DEVNULL, timeout=timeout)


class Server:
    """fieldkit-server serve on 127.0.0.1, with its own keys and database."""

    def __init__(self, directory, *args, nofile=None, env=None, db=None, keys=None,
                 listen="127.0.0.1:0"):
        self.dir = directory
        self.keys = keys or os.path.join(directory, "keys")
        self.db = db or os.path.join(directory, "server.sqlite")
        if not os.path.exists(os.path.join(self.keys, "server.secret")):
            r = run(SERVER, "keygen", "--out", self.keys)
            assert r.returncode == 0, r.stderr
        self.log_path = os.path.join(directory, "server-%d.log" % time.monotonic_ns())
        self.log = open(self.log_path, "w")
        full = dict(os.environ)
        if env:
            full.update(env)
        self.process = subprocess.Popen(
            [SERVER, "--db", self.db, "--keys", self.keys, "serve", "--listen", listen, *args],
            stdout=subprocess.PIPE, stderr=self.log, text=True, env=full,
            preexec_fn=_child_setup(nofile))
        line = self.process.stdout.readline().split()
        assert line and line[0] == "listening", "the server did not start: %s" % self.read_log()
        self.url = line[1]
        self.port = int(self.url.rstrip("/").rsplit(":", 1)[1])
        self.pid = self.process.pid

    def read_log(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def fds(self):
        return len(os.listdir("/proc/%d/fd" % self.pid))

    def rss_kib(self):
        with open("/proc/%d/status" % self.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def connect(self, source="127.0.0.1", timeout=10):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(timeout)
        s.bind((source, 0))
        s.connect(("127.0.0.1", self.port))
        return s

    def get(self, path, source="127.0.0.1", method="GET", headers=(), timeout=10):
        """One request on a connection of its own: (status, headers, body)."""
        with self.connect(source, timeout) as s:
            s.sendall(request(method, path, headers))
            return read_response(s)

    def metric(self, name, contains=""):
        """The sum of a metric's samples whose labels contain @contains.
        Asked from an address of its own, so as not to count against the
        test's."""
        for _ in range(50):
            status, _, body = self.get("/metrics", source=METRICS_SOURCE)
            if status != 503:  # busy: the connections just closed are not counted out yet
                break
            time.sleep(0.1)
        assert status == 200, status
        total = 0.0
        for line in body.decode().splitlines():
            if line.startswith("#"):
                continue
            key, _, value = line.rpartition(" ")
            if key.split("{", 1)[0] == name and contains in key:
                total += float(value)
        return total

    def wait_idle(self, rounds=100):
        """Until the server holds no client connection but the one asking."""
        return self.wait_connections(1, rounds, at_most=True)

    def wait_connections(self, n, rounds=100, at_most=False):
        """Until the server counts @n open connections (or more; or, with
        @at_most, at most @n), the asking one included."""
        for _ in range(rounds):
            count = self.metric("fieldkit_open_connections")
            if (count <= n) if at_most else (count >= n):
                return True
            time.sleep(0.1)
        return False

    def stop(self, sig=signal.SIGTERM, timeout=60):
        if self.process.poll() is None:
            self.process.send_signal(sig)
        status = self.process.wait(timeout=timeout)
        self.process.stdout.close()
        self.log.close()
        return status


def request(method, path, headers=(), body=b"", close=False):
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: 127.0.0.1"]
    lines += ["%s: %s" % h for h in headers]
    if body or method in ("POST", "PATCH"):
        lines.append("Content-Length: %d" % len(body))
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def read_response(s):
    """Reads one answer from a socket, or from a reader made with
    s.makefile("rb") (pass the same one to read answers in a row): (status,
    {header: value}, body); (0, {}, b"") if the connection ended first."""
    f = s if hasattr(s, "readline") else s.makefile("rb")
    try:
        line = f.readline()
        if not line:
            return 0, {}, b""
        status = int(line.split()[1])
        headers = {}
        while True:
            line = f.readline()
            if line in (b"\r\n", b""):
                break
            k, _, v = line.decode("latin-1").partition(":")
            headers[k.strip().lower()] = v.strip()
        body = f.read(int(headers.get("content-length", "0")))
    except (ConnectionResetError, BrokenPipeError):
        return 0, {}, b""
    return status, headers, body


def closed_by_peer(s):
    """True once the server has closed this connection (end of stream or
    reset); False if it is still open (nothing to read yet)."""
    try:
        s.setblocking(False)
        data = s.recv(1)
        return data == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        s.setblocking(True)


class Device:
    """A device store made with fieldkit-ctl, enrolled on @server."""

    def __init__(self, directory, server, name="tablet"):
        self.dir = os.path.join(directory, "device-" + name)
        self.tmp = directory
        pub = os.path.join(server.keys, "server.pub")
        r = run(CTL, "--data", self.dir, "init", "--server-key", pub, "--kdf-passes", "1",
                "--kdf-memory", "0")
        assert r.returncode == 0, r.stderr
        self.key = run(CTL, "--data", self.dir, "device-key", pin=None).stdout.strip()
        r = run(SERVER, "--db", server.db, "device", "add", "--pubkey", self.key, "--name", name)
        assert r.returncode == 0, r.stderr
        self.n = 0

    def intake(self, n, size=30000):
        for _ in range(n):
            self.n += 1
            photo = os.path.join(self.tmp, "photo-%s-%d.jpg" % (os.path.basename(self.dir), self.n))
            with open(photo, "wb") as f:
                f.write(b"JPEG-DOC" + os.urandom(size))
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
            path = photo + ".json"
            with open(path, "w", encoding="utf-8") as f:
                json.dump(dossier, f, ensure_ascii=False)
            r = run(CTL, "--data", self.dir, "intake", "add", "--json", path)
            assert r.returncode == 0, r.stderr

    def sync(self, url, *args, prefix=(), env=None):
        r = run(CTL, "--data", self.dir, "sync", "--server", url, "--json", *args, pin=None,
                prefix=prefix, env=env)
        try:
            summary = json.loads(r.stdout)
        except ValueError:
            summary = None
        return r.returncode, summary, r.stderr


def temp_dir():
    return tempfile.TemporaryDirectory(prefix="fk-server-")
