"""A VNeID help is recorded with its outcome and advice, counted in the visit
and in the reports, and exported as CSV."""
import csv
import unittest

from fkui import App, Server, wait_for


class VneidTest(unittest.TestCase):
    def test_record_helps(self):
        server = Server()
        with App() as app:
            app.set_up(server)
            app.navigate("vneid")
            self.assertIn("chuyến công tác", app.text("vneid-count"))
            app.start_visit()
            app.navigate("vneid")
            app.screenshot("vneid-01-checklist-800x480")

            # A failure: the reason's advice is shown before it is recorded.
            app.ui("vneid.set-step", app.variant("(sb)", ("phone", True)))
            app.ui("vneid.set-outcome", app.variant("s", "no-nfc"))
            self.assertIn("mã QR", app.text("vneid-advice"))
            # Below the checklist at 800×480: scrolled into view.
            wait_for(lambda: app.widget("vneid-advice")["in_view"]
                     and app.widget("vneid-record")["in_view"], what="the advice in view")
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
            app.resize(800, 480)

            # The visit's report counts the helps by outcome; the CSV has them.
            app.navigate("reports")
            app.screenshot("reports-01-visit-800x480")
            app.ui("reports.export")
            saved = app.wait_text("reports-export", lambda t: t.startswith("Đã lưu vào "))
            path = saved[len("Đã lưu vào "):]
            with open(path, encoding="utf-8") as f:
                rows = list(csv.reader(f))
            self.assertIn(["Lượt hỗ trợ VNeID", "Tất cả lượt hỗ trợ", "2"], rows)
            self.assertIn(["Lượt hỗ trợ VNeID", "Điện thoại không có NFC", "1"], rows)
            self.assertIn(["Lượt hỗ trợ VNeID", "Kích hoạt thành công", "1"], rows)
            app.ui("reports.set-period", app.variant("s", "month"))
            app.wait_text("reports-title", lambda t: t.startswith("Tháng"))
            app.screenshot("reports-02-month-800x480")
        server.close()


if __name__ == "__main__":
    unittest.main()
