"""Result handover: checking the fingerprint waits for a finger on the
reader, and the officer can stop the check; without a match nothing can be
recorded, and the check can be started again."""
import os
import unittest

from fkui import App, Server, ctl, intake_add, wait_for

SRC = os.environ["FK_SOURCE_ROOT"]
FINGER = os.path.join(SRC, "tests", "data", "fingerprints", "whorl.png")


class HandoverTest(unittest.TestCase):
    def test_stop_the_fingerprint_check(self):
        server = Server()
        self.addCleanup(server.close)
        server.serve()
        # No FIELDKIT_SIM_FINGERPRINT: the simulated reader waits, as a real
        # one does until the citizen puts a finger on it.
        with App() as app:
            data = app.data_dir
            app.set_up(server, "2468")
            commune = app.start_visit()
            server.enroll(app.ctl("device-key").strip(), commune)

        # A dossier taken with the citizen's fingerprint.
        work = os.path.join(app.tmp, "dossier")
        os.makedirs(work)
        ctl(None, "fp", "enroll", "--sim", FINGER, "--out", os.path.join(work, "finger.tpl"))
        dossier = intake_add(data, work, "dossier", [("fingerprint-template", "finger.tpl")])

        with App(data_dir=data) as app:
            app.enter_pin("2468")
            app.wait_page("home")
            app.navigate("queue")
            app.ui("queue.send-now")
            app.wait_text("queue-summary", lambda t: "Đã gửi: 1" in t, timeout=60)
            server.add_result(commune, dossier)
            app.navigate("handover")
            app.ui("handover.pull")
            app.wait_text("handover-message", lambda t: "1 kết quả mới" in t)
            app.type("handover-query", "011195866217")
            app.ui("handover.find")
            wait_for(lambda: app.widget("result-" + dossier), what="the citizen's dossier")
            app.ui("handover.pick", app.variant("s", dossier))
            self.assertFalse(app.widget("handover-verify-cancel")["visible"])

            app.ui("handover.verify")
            app.wait_text("handover-message", lambda t: "ngón tay" in t)
            self.assertTrue(app.widget("handover-verify-cancel")["visible"])
            app.screenshot("handover-01-waiting-for-finger-800x480")
            app.ui("handover.verify-cancel")
            app.wait_text("handover-message", lambda t: "dừng" in t)
            self.assertFalse(app.widget("handover-verify-cancel")["visible"])
            self.assertEqual(app.widget("handover-progress")["fraction"], 0)
            app.screenshot("handover-02-check-stopped-800x480")
            # No handover without a match; the check can start again.
            app.ui("handover.record")
            self.assertNotIn("Đã ghi nhận", app.text("handover-message"))
            app.ui("handover.verify")
            wait_for(lambda: app.widget("handover-verify-cancel")["visible"],
                     what="a new check under way")
            app.ui("handover.verify-cancel")
            app.wait_text("handover-message", lambda t: "dừng" in t)


if __name__ == "__main__":
    unittest.main()
