"""A VNeID help is recorded with its outcome and advice, and counted in the visit."""
import unittest

from fkui import App, Server


class VneidTest(unittest.TestCase):
    def test_record_helps(self):
        server = Server()
        with App() as app:
            app.set_up(server)
            app.ui("setup.done")
            app.wait_page("home")
            app.navigate("vneid")
            self.assertIn("chuyến công tác", app.text("vneid-count"))
            app.start_visit()
            app.navigate("vneid")
            app.screenshot("vneid-01-checklist-800x480")

            # A failure: the reason's advice is shown before it is recorded.
            app.ui("vneid.set-step", app.variant("(sb)", ("phone", True)))
            app.ui("vneid.set-outcome", app.variant("s", "no-nfc"))
            self.assertIn("mã QR", app.text("vneid-advice"))
            app.screenshot("vneid-02-failure-advice-800x480")
            app.ui("vneid.record")
            app.wait_text("vneid-count", lambda t: ": 1 (" in t)
            self.assertFalse(app.widget("vneid-step-phone")["active"])

            for step in ("phone", "card", "selfie", "otp", "passcode"):
                app.ui("vneid.set-step", app.variant("(sb)", (step, True)))
            app.ui("vneid.set-outcome", app.variant("s", "success"))
            app.screenshot("vneid-03-success-800x480")
            app.ui("vneid.record")
            self.assertIn("2 (kích hoạt thành công: 1)",
                          app.wait_text("vneid-count", lambda t: ": 2 (" in t))
            app.navigate("visit")
            self.assertEqual(app.text("visit-vneid"), "2")
            app.resize(1280, 800)
            app.navigate("vneid")
            app.screenshot("vneid-04-1280x800")
        server.close()


if __name__ == "__main__":
    unittest.main()
