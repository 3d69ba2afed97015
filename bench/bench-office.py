#!/usr/bin/python3
# The commune's office on the real fieldkit-server (SQLite, loopback):
# logging in (Argon2id at the server's own cost), the inbox's first page of
# 50 dossiers, a search by name without accents, a search by ID number, and
# opening one dossier (decrypted in memory). The dossiers are made and
# delivered by the real fieldkit-ctl. Prints the median, the fastest and
# the 90th percentile of each, in milliseconds, then the same as JSON.
# Never fails on a time.
#
#   meson test -C build --benchmark office      (or run it with the
#   environment of bench/meson.build)
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.environ["FK_SOURCE_ROOT"], "tests", "server"))
import fkserver  # noqa: E402
from fkoffice import Browser, OfficeDevice, add_user  # noqa: E402
from fkserver import Server  # noqa: E402

DOSSIERS = int(os.environ.get("FK_BENCH_DOSSIERS", "60"))
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Lò", "Hà", "Vàng", "Đinh", "Nông"]
MIDDLE = ["Thị", "Văn", "Đức", "Ngọc", "Minh"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hoà", "Khánh", "Lan", "Mai", "Páo", "Sơn", "Tú"]
TARGET = "Nguyễn Thị Hoà Bình"
TARGET_ID = "001099777777"


def timed(label, n, request, check):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        r = request()
        times.append((time.perf_counter() - start) * 1000.0)
        assert check(r), "%s: unexpected answer %d" % (label, r.status)
    times.sort()
    return {
        "what": label,
        "runs": n,
        "median_ms": round(statistics.median(times), 2),
        "min_ms": round(times[0], 2),
        "p90_ms": round(times[int(0.9 * (n - 1))], 2),
    }


def main():
    tmp = fkserver.temp_dir()
    server = Server(tmp.name, "--log-requests=false", "--address-rate-limit=0")
    try:
        add_user(server.db, "tiepnhan", "receiver", "01864")
        device = OfficeDevice(tmp.name, server, "tablet-07", "01864")
        made = time.perf_counter()
        for i in range(DOSSIERS - 1):
            name = "%s %s %s" % (FAMILY[i % len(FAMILY)], MIDDLE[i % len(MIDDLE)],
                                 GIVEN[(i * 7) % len(GIVEN)])
            device.intake(name, id_number="0010990%05d" % i)
        device.intake(TARGET, id_number=TARGET_ID)
        delivered = device.sync()["delivered"]
        assert delivered == DOSSIERS, delivered
        made = time.perf_counter() - made
        b = Browser(server)
        results = [
            timed("login (POST /office/login, Argon2id)", 15, lambda: b.login("tiepnhan"),
                  lambda r: r.status == 303),
            timed("inbox, first page of 50 of %d dossiers" % DOSSIERS, 40,
                  lambda: b.get("/office/inbox"),
                  lambda r: r.status == 200 and r.text.count("/office/dossier/") == 50),
            timed("name search without accents (\"nguyen hoa\")", 40,
                  lambda: b.get("/office/inbox?name=nguyen+hoa"),
                  lambda r: r.status == 200 and TARGET in r.text),
            timed("ID number search (exact)", 40, lambda: b.get("/office/inbox?id=" + TARGET_ID),
                  lambda r: r.status == 200 and r.text.count("/office/dossier/") == 1),
        ]
        page = b.get("/office/inbox?id=" + TARGET_ID).text
        uuid = page.split("/office/dossier/", 1)[1].split('"', 1)[0]
        results.append(timed("open one dossier (decrypted in memory)", 20,
                             lambda: b.get("/office/dossier/" + uuid),
                             lambda r: r.status == 200 and TARGET in r.text))
    finally:
        server.stop()
        tmp.cleanup()
    print("office on fieldkit-server (SQLite, loopback), %d dossiers made and synced in %.1f s"
          % (DOSSIERS, made))
    print("%-50s %6s %10s %10s %10s" % ("", "runs", "median ms", "min ms", "p90 ms"))
    for r in results:
        print("%-50s %6d %10.2f %10.2f %10.2f" % (r["what"], r["runs"], r["median_ms"],
                                                  r["min_ms"], r["p90_ms"]))
    print(json.dumps({"bench": "office", "dossiers": DOSSIERS, "results": results},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
