"""The outbox: a dossier the server refuses is quarantined with its reason,
the others are delivered; retry puts it back in the queue, discard (after a
confirmation) erases it for good."""
import glob
import json
import os
import unittest

from fkui import App, Server, ctl, intake_add, wait_for


class QueueTest(unittest.TestCase):
    def test_quarantine_and_delivery(self):
        server = Server()
        self.addCleanup(server.close)
        server.serve()
        with App() as app:
            data = app.data_dir
            app.set_up(server, "2468")
            server.enroll(app.ctl("device-key").strip())
        # Two dossiers taken while the app was closed (fieldkit-ctl is the
        # same store); the photo of the second is damaged on the device.
        work = os.path.join(app.tmp, "dossiers")
        os.makedirs(work)
        ids = []
        for i in range(2):
            with open(os.path.join(work, "p%d.jpg" % i), "wb") as f:
                f.write(b"JPEG-DOC-%d" % i + os.urandom(40000))
            ids.append(intake_add(data, work, "d%d" % i, [("document", "p%d.jpg" % i)]))
        parts = json.loads(ctl(data, "queue", "list", "--json"))
        self.assertEqual(len(parts), 2)
        before = set(glob.glob(os.path.join(data, "parts", "*")))
        # The damaged file: the largest sealed part of the second dossier
        # is the photo; flip a byte in the middle.
        sizes = sorted(before, key=os.path.getsize)
        victim = sizes[-1]
        with open(victim, "r+b") as f:
            f.seek(20000)
            b = f.read(1)
            f.seek(20000)
            f.write(bytes([b[0] ^ 0xff]))

        with App(data_dir=data) as app:
            app.wait_page("unlock")
            app.enter_pin("2468")
            app.wait_page("home")
            app.navigate("queue")
            app.wait_text("queue-summary", lambda t: "Chờ gửi: 2" in t)
            app.screenshot("queue-01-waiting-800x480")
            # Paused: nothing goes until "send now".
            app.ui("queue.pause")
            app.wait_text("queue-status", lambda t: "tạm dừng" in t)
            self.assertFalse(app.widget("queue-pause")["visible"])
            app.screenshot("queue-01-paused-800x480")
            self.assertIn("Chờ gửi: 2", app.text("queue-summary"))
            app.ui("queue.send-now")
            app.wait_text("queue-summary", lambda t: "Đã gửi: 1" in t and "Bị từ chối: 1" in t,
                          timeout=60)
            app.screenshot("queue-02-quarantined-800x480")
            states = {k: v["text"] for k, v in app.state()["widgets"].items()
                      if k.startswith("dossier-")}
            self.assertEqual(sorted(states.values()), ["máy chủ từ chối", "đã gửi"], states)
            refused = [k[len("dossier-"):] for k, v in states.items() if v == "máy chủ từ chối"]
            self.assertEqual(len(refused), 1)
            # Discard asks first; cancelling keeps the dossier as it was.
            self.assertEqual(app.text("discard-" + refused[0]), "Huỷ hồ sơ")
            app.ui("queue.discard", app.variant("s", refused[0]))
            wait_for(lambda: app.state()["dialog"] == "Huỷ hồ sơ này?", what="the dialog")
            app.screenshot("queue-03-discard-dialog-800x480")
            app.respond("cancel")
            wait_for(lambda: app.state()["dialog"] == "", what="the dialog closed")
            app.wait_text("queue-summary", lambda t: "Bị từ chối: 1" in t)
            self.assertEqual(app.text("dossier-" + refused[0]), "máy chủ từ chối")
            self.assertEqual(len(glob.glob(os.path.join(data, "parts", "*"))), len(before))

            app.ui("queue.retry", app.variant("s", refused[0]))
            app.wait_text("queue-summary", lambda t: "Chờ gửi: 1" in t)
            app.screenshot("queue-04-retried-800x480")
            # Still damaged: refused again, and this time given up.
            app.ui("queue.send-now")
            app.wait_text("queue-summary", lambda t: "Bị từ chối: 1" in t, timeout=60)
            app.ui("queue.discard", app.variant("s", refused[0]))
            wait_for(lambda: app.state()["dialog"] == "Huỷ hồ sơ này?", what="the dialog")
            app.respond("discard")
            app.wait_text("queue-summary", lambda t: "Bị từ chối: 0" in t)
            self.assertIsNone(app.widget("dossier-" + refused[0]))
            app.screenshot("queue-05-discarded-800x480")
            entries = {e["id"]: e for e in app.queue()}
            self.assertEqual(entries[refused[0]]["state"], "discarded")
            self.assertIn("reason", entries[refused[0]])
            # Its sealed parts are gone from the disk, the delivered one's stay.
            left = set(glob.glob(os.path.join(data, "parts", "*")))
            self.assertTrue(left < before)
            self.assertNotIn(victim, left)
            app.ctl("audit", "verify")  # fails (non-zero) on a broken chain
            app.resize(1280, 800)
            app.screenshot("queue-06-1280x800")
        server.close()

    def test_clock_off(self):
        """A tablet clock 10 minutes behind the server's: the batch still
        goes (signed with the server's time) and the page tells the officer
        to set the clock."""
        faketime = "/usr/bin/faketime"
        if not os.access(faketime, os.X_OK):
            self.skipTest("faketime is not installed")
        server = Server()
        self.addCleanup(server.close)
        # The server's clock 10 minutes ahead: the tablet's is 10 behind.
        server.serve(prefix=(faketime, "-f", "+10m"),
                     env={"FAKETIME_DONT_FAKE_MONOTONIC": "1"})
        with App() as app:
            data = app.data_dir
            app.set_up(server, "2468")
            server.enroll(app.ctl("device-key").strip())
        work = os.path.join(app.tmp, "dossiers")
        os.makedirs(work)
        with open(os.path.join(work, "p.jpg"), "wb") as f:
            f.write(b"JPEG-DOC" + os.urandom(4000))
        intake_add(data, work, "d", [("document", "p.jpg")])

        with App(data_dir=data) as app:
            app.wait_page("unlock")
            app.enter_pin("2468")
            app.wait_page("home")
            app.navigate("queue")
            self.assertFalse(app.widget("queue-clock")["visible"])
            app.ui("queue.send-now")
            app.wait_text("queue-summary", lambda t: "Đã gửi: 1" in t, timeout=60)
            app.wait_text("queue-clock",
                          lambda t: t and "Đồng hồ của máy tính bảng này chậm 10 phút" in t)
            self.assertTrue(app.widget("queue-clock")["visible"])
            app.screenshot("queue-07-clock-off-800x480")
        server.close()


if __name__ == "__main__":
    unittest.main()
