"""The home screen tells the day, and its counts follow the store: no
visit, then today's visit with its hamlet and team; dossiers waiting to be
sent and the network (NetworkManager by dbusmock); the results waiting to
be handed over in the visit's hamlet once the scheduler pulled them, none
once handed over; the last sync. All of it at 800×480 without scrolling,
each card a tap away from its page."""
import json
import os
import sqlite3
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ["FK_SOURCE_ROOT"], "tests", "dbusmock"))

from fk_netmock import NM_CONNECTIVITY_FULL, NM_CONNECTIVITY_NONE, NM_METERED_NO, NetMock  # noqa: E402
from fkui import App, CITIZEN, Server, ctl, wait_for  # noqa: E402

CARDS = ["home-visit", "home-queue", "home-results", "home-sync"]
TILES = ["tile-intake", "tile-guide", "tile-handover", "tile-vneid", "tile-reports",
         "tile-settings"]


def current_visit(data):
    with sqlite3.connect("file:%s?mode=ro" % os.path.join(data, "fieldkit.db"), uri=True) as db:
        return db.execute("SELECT value FROM settings WHERE key = 'app.visit.current-id'"
                          ).fetchone()[0]


def intake_on_visit(data, work, name, visit_id):
    """A certified-copies dossier of CITIZEN taken on @visit_id: its id."""
    page = os.path.join(work, name + ".jpg")
    with open(page, "wb") as f:
        f.write(b"JPEG-DOC" + os.urandom(20000))
    path = os.path.join(work, name + ".json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"procedure": "certified-copies", "citizen": CITIZEN, "visit_id": visit_id,
                   "fields": {"document_title": "Giấy khai sinh", "pages": 1, "copies": 2},
                   "attachments": [{"kind": "document", "path": page}]}, f, ensure_ascii=False)
    return ctl(data, "intake", "add", "--json", path).strip().splitlines()[-1]


class HomeTest(unittest.TestCase):
    def assert_fits(self, app):
        for name in CARDS + TILES:
            self.assertTrue(app.widget(name)["in_view"], "%s on screen without scrolling" % name)

    def test_the_day_at_a_glance(self):
        server = Server()
        self.addCleanup(server.close)
        server.serve()
        net = NetMock()
        self.addCleanup(net.close)
        net.start_nm(NM_CONNECTIVITY_NONE)
        with App() as app:
            data = app.data_dir
            app.set_up(server, "2468")
            app.wait_text("home-visit-title", lambda t: t == "Chưa bắt đầu chuyến công tác")
            self.assertEqual(app.text("home-queue-title"), "Không có hồ sơ chờ gửi")
            self.assertEqual(app.text("home-queue-detail"), "Mạng: không có sóng")
            self.assertEqual(app.text("home-sync-title"), "Chưa đồng bộ với máy chủ")
            self.assert_fits(app)
            app.screenshot("home-01-no-visit-800x480")
            commune = app.start_visit(hamlet="Thôn Nà Lầu", day="today",
                                      team=["Lò Văn A", "Hà Thị Bích"])
            app.wait_text("home-visit-title", lambda t: t == "Chuyến công tác hôm nay: Thôn Nà Lầu")
            self.assertIn("Phường Ba Đình", app.text("home-visit-detail"))
            self.assertIn("Lò Văn A, Hà Thị Bích", app.text("home-visit-detail"))
            server.enroll(app.ctl("device-key").strip(), commune)

        work = os.path.join(app.tmp, "dossiers")
        os.makedirs(work)
        visit = current_visit(data)
        first = intake_on_visit(data, work, "a", visit)
        intake_on_visit(data, work, "b", visit)
        # At the centre the office records the first one's result.
        server.add_result(commune, first)

        with App(data_dir=data) as app:
            app.enter_pin("2468")
            app.wait_page("home")
            app.wait_text("home-queue-title", lambda t: t == "2 hồ sơ chờ gửi")
            app.wait_text("home-results-title", lambda t: t == "Không có kết quả chờ trả")
            self.assertIn("Thôn Nà Lầu", app.text("home-results-detail"))
            self.assert_fits(app)
            app.screenshot("home-02-waiting-offline-800x480")

            # Back in range: sent and pulled on their own; the home follows.
            wifi = net.add_device("wlan0", "wifi")
            net.connect(wifi, "UBND xã", metered=NM_METERED_NO)
            net.set_connectivity(NM_CONNECTIVITY_FULL)
            app.wait_text("home-queue-title", lambda t: t == "Không có hồ sơ chờ gửi", timeout=60)
            app.wait_text("home-results-title", lambda t: t == "1 kết quả chờ trả", timeout=60)
            app.wait_text("home-sync-title", lambda t: t.startswith("Đồng bộ lần cuối: hôm nay"))
            self.assertEqual(app.text("home-queue-detail"), "Mạng: Wi-Fi")
            self.assertIn("danh mục phiên bản", app.text("home-sync-detail"))
            self.assert_fits(app)
            app.screenshot("home-03-synced-800x480")

            # The results card opens the handover; handed over, it counts none.
            app.click("home-results")
            app.wait_page("handover")
            app.type("handover-query", CITIZEN["id_number"])
            app.ui("handover.find")
            wait_for(lambda: app.widget("result-" + first), what="the dossier with a result")
            app.ui("handover.pick", app.variant("s", first))
            app.ui("handover.record")
            app.wait_text("handover-message", lambda t: "Đã ghi nhận" in t)
            app.navigate("home")
            app.wait_text("home-results-title", lambda t: t == "Không có kết quả chờ trả")

            app.click("home-visit")
            app.wait_page("visit")
            app.navigate("home")
            app.resize(1280, 800)
            self.assert_fits(app)
            app.screenshot("home-04-1280x800")


if __name__ == "__main__":
    unittest.main()
