#!/usr/bin/python3
# fieldkit-server's connections under abuse, against the real binary on
# loopback: client-closed connections leave no fd behind, a full fd table
# recovers by itself, a refused body is never read, connection caps answer
# 503 at once, slow headers and bodies are cut, idle keep-alive ends,
# SIGTERM drains and says so to systemd, /healthz and /metrics.
#
# --slow: the 20,000-connection count and slowloris only (the slow suite).
#
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fkserver  # noqa: E402
from fkserver import Device, Server, closed_by_peer, read_response, request  # noqa: E402

SLOW = "--slow" in sys.argv
if SLOW:
    sys.argv.remove("--slow")


def report(text):
    """Figures for the benchmark notes, in the test log."""
    print("# " + text, file=sys.stderr, flush=True)


class Connections(unittest.TestCase):
    def setUp(self):
        self.tmp = fkserver.temp_dir()
        self.servers = []
        self.sockets = []

    def tearDown(self):
        for s in self.sockets:
            s.close()
        for server in self.servers:
            if server.process.poll() is None:
                server.stop(signal.SIGKILL)
        self.tmp.cleanup()

    def serve(self, *args, **kwargs):
        server = Server(self.tmp.name, "--log-requests=false", *args, **kwargs)
        self.servers.append(server)
        return server

    def hold(self, server, n, source="127.0.0.1"):
        """@n connections that send nothing."""
        held = [server.connect(source) for _ in range(n)]
        self.sockets += held
        return held

    def release(self, held):
        for s in held:
            s.close()
            self.sockets.remove(s)

    @unittest.skipUnless(SLOW, "slow suite")
    def test_20000_client_closed_connections_leave_no_fd(self):
        server = self.serve("--address-rate-limit=0")
        self.assertEqual(server.get("/healthz")[0], 200)
        self.assertTrue(server.wait_idle())
        before = server.fds()
        rss_before = server.rss_kib()

        def keep_alive(s):
            s.sendall(request("GET", "/healthz") * 2)
            with s.makefile("rb") as f:
                self.assertEqual(read_response(f)[0], 200)
                self.assertEqual(read_response(f)[0], 200)

        def half_closed(s):
            # libmicrohttpd 0.9.75 takes the end of the request stream for
            # the end of the connection: it may close without answering.
            s.sendall(request("GET", "/healthz"))
            s.shutdown(socket.SHUT_WR)
            self.assertIn(read_response(s)[0], (0, 200))

        def reset(s):
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

        def silent(s):
            pass

        styles = [keep_alive, half_closed, reset, silent]
        errors = []

        def client(first, count):
            try:
                for i in range(first, first + count):
                    with server.connect() as s:
                        styles[i % len(styles)](s)
            except Exception as e:  # reported below, with the thread's share
                errors.append(e)

        threads = [threading.Thread(target=client, args=(t * 2500, 2500)) for t in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertTrue(server.wait_idle())
        after = server.fds()
        report("20000 connections (keep-alive, half-closed, reset, silent): fds %d before, %d "
               "after; RSS %d KiB before, %d KiB after" % (before, after, rss_before,
                                                           server.rss_kib()))
        self.assertLessEqual(after, before + 24)
        self.assertEqual(server.get("/healthz")[0], 200)

    def test_fd_limit_refuses_then_recovers(self):
        server = self.serve("--address-rate-limit=0", nofile=96)
        before = server.fds()
        held = []
        # Far more connections than the process may open files.
        for _ in range(200):
            try:
                held.append(server.connect())
            except OSError:
                break
        self.sockets += held
        # A new client is answered at once ("busy") or its connection closed:
        # never left waiting.
        with server.connect(timeout=20) as s:
            try:
                s.sendall(request("GET", "/healthz"))
                status, headers, _ = read_response(s)
            except OSError:
                status, headers = 0, {}
        self.assertIn(status, (0, 503))
        if status == 503:
            self.assertIn("retry-after", headers)
        self.release(held)
        for _ in range(100):
            try:
                if server.get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        self.assertEqual(server.get("/healthz")[0], 200)
        self.assertTrue(server.wait_idle())
        report("fd limit 96: %d connections opened, fds %d before, %d after; serving again" %
               (len(held), before, server.fds()))
        self.assertLessEqual(server.fds(), before + 8)

    def test_refused_1gib_body_is_never_read(self):
        server = self.serve()
        rss_before = server.rss_kib()
        sent = 0
        with server.connect() as s:
            s.sendall(b"PATCH /v1/blobs/" + b"a" * 64 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      b"Content-Length: 1073741824\r\n\r\n")
            chunk = b"x" * 65536
            try:
                while sent < 256 * 1024 * 1024:
                    s.sendall(chunk)
                    sent += len(chunk)
            except OSError:
                pass
            status, headers, _ = read_response(s)
        rss_after = server.rss_kib()
        report("1 GiB announced: answered %d after %d bytes sent; RSS %d KiB before, %d KiB "
               "after" % (status, sent, rss_before, rss_after))
        self.assertEqual(status, 413)
        self.assertEqual(headers.get("connection"), "close")
        self.assertLess(sent, 64 * 1024 * 1024)
        self.assertLess(rss_after, rss_before + 8 * 1024)
        self.assertEqual(server.get("/healthz")[0], 200)

    def test_connection_caps_answer_503_at_once(self):
        server = self.serve("--max-connections=30", "--max-connections-per-address=10",
                            "--address-rate-limit=0")
        mine = self.hold(server, 10)
        self.assertTrue(server.wait_connections(11))
        # One address over its cap: 503 with Retry-After, at once.
        status, headers, _ = server.get("/healthz")
        self.assertEqual(status, 503)
        self.assertIn("retry-after", headers)
        self.assertEqual(headers.get("connection"), "close")
        # Another address is not held back by it.
        self.assertEqual(server.get("/healthz", source="127.0.0.2")[0], 200)
        others = self.hold(server, 10, "127.0.0.2") + self.hold(server, 10, "127.0.0.3")
        # Over the total, once the server has taken the 30 held ones.
        for _ in range(50):
            status, headers, _ = server.get("/healthz", source="127.0.0.4")
            if status == 503:
                break
            time.sleep(0.1)
        self.assertEqual(status, 503)
        self.assertIn("retry-after", headers)
        self.release(mine + others)
        self.assertTrue(server.wait_idle())
        self.assertEqual(server.get("/healthz")[0], 200)

    def test_idle_keep_alive_and_slow_requests_are_cut(self):
        server = self.serve("--idle-timeout=30", "--header-timeout=2", "--body-timeout=2")
        # Keep-alive survives an answer, then ends when nothing follows.
        idle = server.connect(timeout=30)
        self.sockets.append(idle)
        with idle.makefile("rb") as f:
            idle.sendall(request("GET", "/healthz"))
            self.assertEqual(read_response(f)[0], 200)
            idle.sendall(request("GET", "/healthz"))
            self.assertEqual(read_response(f)[0], 200)
        # Headers one byte at a time, a body one byte at a time.
        heads = server.connect(timeout=30)
        bodies = server.connect(timeout=30)
        self.sockets += [heads, bodies]
        bodies.sendall(b"POST /v1/commit HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 500\r\n"
                       b"\r\n")
        text = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        cut = {}
        for i in range(80):
            for name, s, byte in (("header", heads, text[i % len(text):][:1]),
                                  ("body", bodies, b"{"), ("idle", idle, b"")):
                if name in cut:
                    continue
                try:
                    if byte:
                        s.sendall(byte)
                except OSError:
                    cut[name] = i
                    continue
                if closed_by_peer(s):
                    cut[name] = i
            if len(cut) == 3:
                break
            time.sleep(0.25)
        self.assertEqual(sorted(cut), ["body", "header", "idle"])
        self.assertGreaterEqual(server.metric("fieldkit_connection_timeouts_total"), 2)

    def test_sigterm_drains_and_tells_systemd(self):
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        path = os.path.join(self.tmp.name, "notify.sock")
        notify.bind(path)
        notify.settimeout(30)
        self.sockets.append(notify)
        server = self.serve("--shutdown-timeout=20", env={"NOTIFY_SOCKET": path})
        ready = notify.recv(4096).decode()
        self.assertIn("READY=1", ready)
        self.assertIn("MAINPID=%d" % server.pid, ready)
        # A request in flight: its body is not all there yet.
        busy = server.connect(timeout=30)
        self.sockets.append(busy)
        busy.sendall(b"POST /v1/commit HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n"
                     b"{")
        for _ in range(50):
            if server.metric("fieldkit_requests_in_flight") >= 1:
                break
            time.sleep(0.1)
        server.process.send_signal(signal.SIGTERM)
        self.assertEqual(notify.recv(4096).decode(), "STOPPING=1")
        # No new connections…
        with self.assertRaises(OSError):
            for _ in range(50):
                server.connect().close()
                time.sleep(0.1)
        # …while the one in flight finishes and gets its answer.
        self.assertIsNone(server.process.poll())
        busy.sendall(b"123456789")
        self.assertEqual(read_response(busy)[0], 401)
        self.assertEqual(server.stop(timeout=30), 0)

    def test_healthz_and_metrics(self):
        server = self.serve("--address-rate-limit=0")
        status, headers, body = server.get("/healthz")
        self.assertEqual(status, 200)
        self.assertIn(b'"status":"ok"', body)
        self.assertEqual(headers["content-type"], "application/json")
        self.assertEqual(server.get("/healthz", method="HEAD")[0], 200)
        self.assertEqual(server.get("/healthz", method="POST")[0], 405)
        device = Device(self.tmp.name, server, "tablet-7")
        device.intake(2)
        code, summary, err = device.sync(server.url)
        self.assertEqual(code, 0, err)
        status, headers, body = server.get("/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/plain; version=0.0.4"))
        text = body.decode()
        for name in ("fieldkit_requests_total{route=\"/v1/commit\",method=\"POST\",status=\"200\"}",
                     "fieldkit_commits_total 2", "fieldkit_duplicate_commits_total 0",
                     "fieldkit_received_bytes_total", "fieldkit_open_connections",
                     "fieldkit_db_call_seconds_bucket{le=\"+Inf\"}",
                     "fieldkit_devices{state=\"enrolled\"} 1",
                     "fieldkit_devices{state=\"revoked\"} 0",
                     "fieldkit_device_last_seen_seconds{device=\"tablet-7\"}"):
            self.assertIn(name, text)
        # Nothing a citizen wrote: no name, no ID number.
        self.assertNotIn("Nguy", text)
        self.assertNotIn("001099012345", text)
        # Only for the addresses it is meant for.
        other = Server(self.tmp.name, "--metrics-allow=10.0.0.0/8", db=server.db,
                       keys=server.keys)
        self.servers.append(other)
        self.assertEqual(other.get("/metrics")[0], 403)
        self.assertEqual(other.get("/healthz")[0], 200)

    def test_logs_name_route_status_device_and_dossier_only(self):
        server = Server(self.tmp.name)
        self.servers.append(server)
        device = Device(self.tmp.name, server, "tablet-3")
        device.intake(1)
        code, summary, err = device.sync(server.url)
        self.assertEqual(code, 0, err)
        server.stop()
        log = server.read_log()
        self.assertRegex(log, r"POST /v1/commit 200 [0-9.]+ ms device=tablet-3 dossier=[0-9a-f-]{36}")
        for secret in ("Nguy", "001099012345", "Thôn", "Lò Văn"):
            self.assertNotIn(secret, log)

    def test_config_file_and_overrides(self):
        first = self.serve()
        conf = os.path.join(self.tmp.name, "server.conf")
        port = first.port
        first.stop()
        with open(conf, "w") as f:
            f.write("[server]\nlisten=127.0.0.1:%d\ndatabase=%s\nkeys=%s\n"
                    "metrics-allow=10.0.0.0/8\nlog-requests=false\n" % (port, first.db, first.keys))
        p = subprocess.Popen([fkserver.SERVER, "serve", "--config", conf], stdout=subprocess.PIPE,
                             text=True)
        self.assertEqual(p.stdout.readline().split()[1], "http://127.0.0.1:%d/" % port)
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.wait(timeout=30), 0)
        p.stdout.close()
        # The command line wins: another metrics address list.
        p = subprocess.Popen([fkserver.SERVER, "--config", conf, "serve",
                              "--metrics-allow=127.0.0.1/32"], stdout=subprocess.PIPE, text=True)
        p.stdout.readline()
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(request("GET", "/metrics"))
            self.assertEqual(read_response(s)[0], 200)
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.wait(timeout=30), 0)
        p.stdout.close()
        # A configuration named but missing is an error, not the defaults.
        r = fkserver.run(fkserver.SERVER, "--config", conf + ".missing", "device", "list")
        self.assertEqual(r.returncode, 1)

    @unittest.skipUnless(SLOW, "slow suite")
    def test_slowloris_does_not_stop_a_device(self):
        server = self.serve("--header-timeout=20")
        device = Device(self.tmp.name, server)
        device.intake(3)
        text = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200
        loris = []
        for i in range(300):
            loris.append(server.connect("127.0.0.%d" % (2 + i % 3), timeout=5))
        self.sockets += loris
        stop = threading.Event()
        cut = set()

        def trickle():
            i = 0
            while not stop.is_set() and len(cut) < len(loris):
                for n, s in enumerate(loris):
                    if n in cut:
                        continue
                    try:
                        s.sendall(text[i % len(text):][:1])
                    except OSError:
                        cut.add(n)
                i += 1
                stop.wait(2)

        t = threading.Thread(target=trickle)
        t.start()
        start = time.monotonic()
        code, summary, err = device.sync(server.url)
        took = time.monotonic() - start
        open_during = server.metric("fieldkit_open_connections")
        # Then each is cut for taking too long over its headers.
        for _ in range(60):
            for n, s in enumerate(loris):
                if n not in cut and closed_by_peer(s):
                    cut.add(n)
            if len(cut) == len(loris):
                break
            time.sleep(1)
        stop.set()
        t.join()
        report("slowloris: 300 connections trickling a byte every 2 s, %d open on the server; "
               "a device synced %s dossiers in %.1f s; %d of 300 cut by the header timeout" %
               (open_during, summary and summary["delivered"], took, len(cut)))
        self.assertEqual(code, 0, err)
        self.assertEqual(summary["delivered"], 3)
        self.assertGreaterEqual(open_during, 300)
        self.assertEqual(len(cut), 300)


class Unit(unittest.TestCase):
    def test_systemd_unit(self):
        unit = os.path.join(fkserver.SOURCE, "server", "fieldkit-server.service")
        with open(unit) as f:
            text = f.read()
        for line in ("Type=notify", "User=fieldkit", "ProtectSystem=strict", "PrivateTmp=yes",
                     "NoNewPrivileges=yes", "StateDirectory=fieldkit-server"):
            self.assertIn(line + "\n", text)
        analyze = "/usr/bin/systemd-analyze"
        if not os.path.exists(analyze):
            self.skipTest("systemd-analyze is not installed")
        with fkserver.temp_dir() as tmp:
            copy = os.path.join(tmp, "fieldkit-server.service")
            with open(copy, "w") as f:
                f.write(text.replace("/usr/bin/fieldkit-server", fkserver.SERVER))
            r = subprocess.run([analyze, "verify", "--man=no", copy], capture_output=True,
                               text=True)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertEqual(r.stderr.strip(), "")


if __name__ == "__main__":
    unittest.main(verbosity=2)
