"""Pull with every sync: with NetworkManager (dbusmock) reporting Wi-Fi,
the scheduler sends the dossiers taken meanwhile on its own and pulls the
results and the newest catalog after the upload; the queue page says when.
Then the network goes and the server with it: the result is still offered
for handover, and the handover is recorded."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ["FK_SOURCE_ROOT"], "tests", "dbusmock"))

from fk_netmock import NM_CONNECTIVITY_FULL, NM_CONNECTIVITY_NONE, NM_METERED_NO, NetMock  # noqa: E402
from fkui import App, Server, CITIZEN, intake_add, shipped_catalog, wait_for  # noqa: E402


class PullTest(unittest.TestCase):
    def test_results_and_catalog_with_every_sync(self):
        server = Server()
        self.addCleanup(server.close)
        server.serve()
        net = NetMock()
        self.addCleanup(net.close)
        net.start_nm()
        with App() as app:
            data = app.data_dir
            app.set_up(server, "2468")
            commune = app.start_visit()
            server.enroll(app.ctl("device-key").strip(), commune)
            app.navigate("queue")
            app.wait_text("queue-pull", lambda t: "chưa bao giờ" in t)

        # Taken while the app was closed; at the centre the office already
        # has the result and a newer catalog is published.
        work = os.path.join(app.tmp, "dossier")
        os.makedirs(work)
        with open(os.path.join(work, "page.jpg"), "wb") as f:
            f.write(b"JPEG-DOC" + os.urandom(30000))
        dossier = intake_add(data, work, "d", [("document", "page.jpg")])
        server.add_result(commune, dossier)
        newer = shipped_catalog()
        newer["version"] += ".1"
        server.publish_catalog(newer)

        with App(data_dir=data) as app:
            app.enter_pin("2468")
            app.wait_page("home")
            app.navigate("queue")
            # Back in range: nobody taps anything.
            wifi = net.add_device("wlan0", "wifi")
            net.connect(wifi, "UBND xã", metered=NM_METERED_NO)
            net.set_connectivity(NM_CONNECTIVITY_FULL)
            app.wait_text("queue-summary", lambda t: "Đã gửi: 1" in t, timeout=60)
            app.wait_text("queue-pull", lambda t: "hôm nay" in t and newer["version"] in t,
                          timeout=60)
            app.screenshot("pull-01-queue-after-sync-800x480")

            # Out of range, and the server gone too.
            net.set_connectivity(NM_CONNECTIVITY_NONE)
            server.close()
            app.navigate("handover")
            app.type("handover-query", CITIZEN["id_number"])
            app.ui("handover.find")
            row = wait_for(lambda: app.widget("result-" + dossier), what="the citizen's dossier")
            self.assertIn("đã có kết quả", row["subtitle"])
            app.ui("handover.pick", app.variant("s", dossier))
            app.wait_text("handover-message", lambda t: "thẻ căn cước" in t)
            app.screenshot("pull-02-handover-offline-800x480")
            app.ui("handover.record")
            app.wait_text("handover-message", lambda t: "Đã ghi nhận" in t)
            app.type("handover-query", CITIZEN["id_number"])
            app.ui("handover.find")
            row = wait_for(lambda: app.widget("result-" + dossier), what="the dossier again")
            self.assertIn("đã trả", row["subtitle"])


if __name__ == "__main__":
    unittest.main()
