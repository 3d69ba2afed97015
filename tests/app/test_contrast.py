"""High contrast, for reading in bright sun: with the setting on, every text
on every main screen reaches 7:1 against its background (WCAG AAA),
measured on the screenshot's pixels; the setting applies at once and is
kept across a restart."""
import unittest

from fkui import App, Server, low_contrast, wait_for

PAGES = ["home", "visit", "intake", "vneid", "queue", "handover", "reports", "settings", "guide"]
AAA = 7.0


class ContrastTest(unittest.TestCase):
    def test_high_contrast_screens(self):
        server = Server()
        self.addCleanup(server.close)
        with App() as app:
            app.set_up(server)
            app.start_visit()
            app.navigate("settings")
            self.assertFalse(app.widget("settings-high-contrast")["active"])
            # Adwaita's own look dims secondary text below 7:1: the check
            # below can tell.
            normal, _ = low_contrast(app, "contrast-00-settings-normal-800x480", AAA)
            self.assertTrue(normal, "the default look already reaches 7:1 everywhere")

            app.click("settings-high-contrast")
            wait_for(lambda: app.widget("settings-high-contrast")["active"],
                     what="the switch on")
            for i, page in enumerate(PAGES, 1):
                app.navigate(page)
                if page == "intake":
                    app.wait_step("scan")
                low, count = low_contrast(app, "contrast-%02d-%s-800x480" % (i, page), AAA)
                self.assertGreater(count, 0)
                self.assertEqual(low, [], "texts under 7:1 on %s" % page)
            data = app.data_dir

        # Kept: the next start is in high contrast too.
        with App(data_dir=data) as app:
            low, count = low_contrast(app, "contrast-10-pin-pad-800x480", AAA)
            self.assertGreater(count, 0)
            self.assertEqual(low, [], "texts under 7:1 on the PIN pad")


if __name__ == "__main__":
    unittest.main()
