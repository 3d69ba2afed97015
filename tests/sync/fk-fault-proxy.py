#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A fault-injecting TCP proxy on loopback, driven over stdin.

Usage: fk-fault-proxy.py TARGET_HOST:PORT
Prints "listening PORT" once ready, then reads one command per line and
answers each with one line:

  cut N [COUNT]     the next COUNT connections (default 1) are cut after
                    N bytes from client to server
  cut-every N       every connection is cut after N client bytes, until clear
  stall SECONDS     nothing moves, either way, for SECONDS (connections stay up)
  throttle BPS      client-to-server bandwidth in bytes per second (0: none)
  refuse SECONDS    new connections are closed at once for SECONDS
  fail500 COUNT     the next COUNT connections get "500" to their first request
  drop-all          cuts every open connection now
  drop-every SECS   cuts every open connection every SECS seconds (0: stop)
  corrupt-every-other
                    in every other connection (the first, third…), one byte of
                    the first request body is flipped on its way to the server
  stats             "stats up=… down=… cuts=… conns=… drops=… corrupted=…" (cuts:
                    connections cut; drops: drop events that cut at least one;
                    corrupted: request bodies damaged)
  clear             no more faults (throttle kept)
"""

import socket
import sys
import threading
import time

lock = threading.Condition()
state = {
    "cut_next": [],        # byte limits for the next connections
    "cut_every": 0,
    "stall_until": 0.0,
    "throttle": 0,
    "refuse_until": 0.0,
    "drop_every": 0.0,
    "up": 0,
    "down": 0,
    "cuts": 0,
    "conns": 0,
    "fail500": 0,
    "drops": 0,            # drop-all / drop-every events that cut something
    "corrupt_every_other": False,
    "corrupted": 0,
}
conns = set()
bucket = {"tokens": 0.0, "last": time.monotonic()}


def cut(pair):
    with lock:
        if pair in conns:
            conns.discard(pair)
            state["cuts"] += 1
    for s in pair:
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            s.close()
        except OSError:
            pass


def wait_not_stalled():
    while True:
        with lock:
            left = state["stall_until"] - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, 0.05))


def take_tokens(n):
    """Blocks until n bytes may pass the throttled uplink."""
    while True:
        with lock:
            rate = state["throttle"]
            if rate <= 0:
                return
            now = time.monotonic()
            bucket["tokens"] = min(rate * 0.05, bucket["tokens"] + (now - bucket["last"]) * rate)
            bucket["last"] = now
            if bucket["tokens"] >= n:
                bucket["tokens"] -= n
                return
            need = (n - bucket["tokens"]) / rate
        time.sleep(min(need, 0.05))


class Corrupter:
    """Follows the requests going up one connection and flips the first
    byte of the first request body."""

    def __init__(self):
        self.head = b""
        self.body_left = 0
        self.done = False

    def feed(self, data):
        if self.done:
            return data
        out = bytearray(data)
        pos = 0
        while pos < len(out) and not self.done:
            if self.body_left > 0:
                out[pos] ^= 0xFF
                self.done = True
                with lock:
                    state["corrupted"] += 1
                break
            self.head += bytes(out[pos:])
            end = self.head.find(b"\r\n\r\n")
            if end < 0:
                break
            pos = len(out) - (len(self.head) - (end + 4))
            for line in self.head[:end].split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    self.body_left = int(line.split(b":", 1)[1])
            self.head = b""
        return bytes(out)


def pump(src, dst, pair, upstream, limit, corrupter=None):
    sent = 0
    try:
        while True:
            size = 1024 if upstream and state["throttle"] > 0 else 65536
            data = src.recv(size)
            if not data:
                break
            wait_not_stalled()
            if corrupter is not None:
                data = corrupter.feed(data)
            if upstream:
                if limit and sent + len(data) >= limit:
                    data = data[: max(0, limit - sent)]
                    if data:
                        take_tokens(len(data))
                        dst.sendall(data)
                        with lock:
                            state["up"] += len(data)
                    cut(pair)
                    return
                take_tokens(len(data))
            dst.sendall(data)
            sent += len(data)
            with lock:
                state["up" if upstream else "down"] += len(data)
    except OSError:
        pass
    # One side finished: let the other see it. The pair no longer counts as
    # open, so a later drop does not count it as a cut.
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    with lock:
        conns.discard(pair)


def answer_500(client):
    """Reads one request (headers and Content-Length body), answers 500."""
    data = b""
    try:
        client.settimeout(10)
        while b"\r\n\r\n" not in data:
            more = client.recv(65536)
            if not more:
                break
            data += more
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        while len(body) < length:
            more = client.recv(65536)
            if not more:
                break
            body += more
        client.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n"
                       b"Connection: close\r\n\r\n")
    except OSError:
        pass
    client.close()


def serve(listener, target):
    while True:
        client, _ = listener.accept()
        with lock:
            refuse = time.monotonic() < state["refuse_until"]
            limit = state["cut_next"].pop(0) if state["cut_next"] else state["cut_every"]
            fail = state["fail500"] > 0
            if fail:
                state["fail500"] -= 1
        if refuse:
            client.close()
            continue
        if fail:
            threading.Thread(target=answer_500, args=(client,), daemon=True).start()
            continue
        try:
            server = socket.create_connection(target)
        except OSError:
            client.close()
            continue
        for s in (client, server):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        pair = (client, server)
        with lock:
            conns.add(pair)
            state["conns"] += 1
            corrupter = (Corrupter() if state["corrupt_every_other"] and state["conns"] % 2 == 1
                         else None)
        threading.Thread(target=pump, args=(client, server, pair, True, limit, corrupter),
                         daemon=True).start()
        threading.Thread(target=pump, args=(server, client, pair, False, 0), daemon=True).start()


def dropper():
    while True:
        with lock:
            every = state["drop_every"]
        if every <= 0:
            time.sleep(0.1)
            continue
        time.sleep(every)
        with lock:
            current = list(conns)
            if current:
                state["drops"] += 1
        for pair in current:
            cut(pair)


def main():
    host, port = sys.argv[1].rsplit(":", 1)
    target = (host, int(port))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    threading.Thread(target=serve, args=(listener, target), daemon=True).start()
    threading.Thread(target=dropper, daemon=True).start()
    print("listening", listener.getsockname()[1], flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        cmd, args = words[0], words[1:]
        now = time.monotonic()
        with lock:
            if cmd == "cut":
                state["cut_next"] += [int(args[0])] * (int(args[1]) if len(args) > 1 else 1)
            elif cmd == "cut-every":
                state["cut_every"] = int(args[0])
            elif cmd == "stall":
                state["stall_until"] = now + float(args[0])
            elif cmd == "throttle":
                state["throttle"] = int(args[0])
            elif cmd == "refuse":
                state["refuse_until"] = now + float(args[0])
            elif cmd == "drop-every":
                state["drop_every"] = float(args[0])
            elif cmd == "fail500":
                state["fail500"] = int(args[0])
            elif cmd == "corrupt-every-other":
                state["corrupt_every_other"] = True
            elif cmd == "clear":
                state["cut_next"] = []
                state["cut_every"] = 0
                state["stall_until"] = 0.0
                state["refuse_until"] = 0.0
                state["drop_every"] = 0.0
                state["fail500"] = 0
                state["corrupt_every_other"] = False
            elif cmd in ("drop-all", "stats"):
                pass
            else:
                print("error unknown command", flush=True)
                continue
            current = list(conns) if cmd == "drop-all" else []
            if current:
                state["drops"] += 1
            reply = ("stats up=%d down=%d cuts=%d conns=%d drops=%d corrupted=%d" % (
                state["up"], state["down"], state["cuts"], state["conns"],
                state["drops"], state["corrupted"])) if cmd == "stats" else "ok"
        for pair in current:
            cut(pair)
        print(reply, flush=True)


if __name__ == "__main__":
    main()
