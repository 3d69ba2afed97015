"""Result handover: checking the fingerprint waits for a finger on the
reader, and the officer can stop the check; without a match nothing can be
recorded, and the check can be started again."""
import json
import os
import subprocess
import unittest

from fkui import App, BUILD_ROOT, Server, wait_for

SRC = os.environ["FK_SOURCE_ROOT"]
FINGER = os.path.join(SRC, "tests", "data", "fingerprints", "whorl.png")
CITIZEN = {"id_number": "011195866217", "full_name": "Phạm Minh Nga",
           "birth_date": "1995-10-24", "sex": "female", "address": "Thôn Nà Hẩu"}
CTL = os.path.join(BUILD_ROOT, "app", "fieldkit-ctl")


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

        # A dossier taken with the citizen's fingerprint (the store has one
        # writer: the app is closed meanwhile).
        work = os.path.join(app.tmp, "dossier")
        os.makedirs(work)
        template = os.path.join(work, "finger.tpl")
        env = dict(os.environ, FIELDKIT_PIN="2468")
        subprocess.run([CTL, "fp", "enroll", "--sim", FINGER, "--out", template], check=True,
                       env=env, stdout=subprocess.DEVNULL)
        path = os.path.join(work, "dossier.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"procedure": "certified-copies", "citizen": CITIZEN,
                       "fields": {"document_title": "Giấy khai sinh", "pages": 1, "copies": 1},
                       "attachments": [{"kind": "fingerprint-template", "path": "finger.tpl"}]},
                      f, ensure_ascii=False)
        dossier = subprocess.run([CTL, "--data", data, "intake", "add", "--json", path],
                                 check=True, env=env, stdout=subprocess.PIPE,
                                 text=True).stdout.strip().splitlines()[-1]

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
