"""Every page at 800×480 and 1280×800, checked as a person would look at
them: no control under a message or under another control (fkui's
screenshot() checks both on every picture, from the widgets' bounds), no
text that cannot be told from its background (measured on the picture's
pixels), a message that stays with its page, and a review step that shows what will
be sealed: the citizen, the procedure, each paper's photo, the fingerprint
image and the consents."""
import os
import unittest

from fkui import App, Server, covered_controls, low_contrast

SRC = os.environ["FK_SOURCE_ROOT"]
CARD = os.path.join(SRC, "tests", "data", "qr", "easy-001.png")
FINGER = os.path.join(SRC, "tests", "data", "fingerprints", "whorl.png")
PAGES = ["home", "visit", "intake", "queue", "vneid", "reports", "handover", "guide", "settings"]
SIZES = [(800, 480), (1280, 800)]
# Far below what reading in the sun wants (test_contrast asks 7:1 of the
# high-contrast look): this only finds a text a person cannot see at all,
# such as a label the same colour as the button under it.
VISIBLE = 2.0


def both_sizes(app, name):
    for width, height in SIZES:
        app.resize(width, height)
        shot = "screens-%s-%dx%d" % (name, width, height)
        faint, count = low_contrast(app, shot, VISIBLE)
        assert count > 0, "no text measured on %s" % shot
        assert not faint, "texts that cannot be seen on %s: %s" % (shot, faint)
    app.resize(*SIZES[0])


class ScreensTest(unittest.TestCase):
    def test_pages_toasts_review(self):
        server = Server()
        self.addCleanup(server.close)
        server.serve()
        env = {"FIELDKIT_SIM_CAMERA": CARD, "FIELDKIT_SIM_FINGERPRINT": FINGER}
        with App(env=env) as app:
            app.wait_page("setup")
            both_sizes(app, "setup")
            app.set_up(server)

            # "Visit started" is shown on the page the officer lands on,
            # above it, covering nothing; it does not follow to the next page.
            app.start_visit()
            toast = app.widget("toast")
            self.assertTrue(toast["visible"])
            self.assertEqual(app.text("toast-text"), "Đã bắt đầu chuyến công tác")
            state = app.state()
            self.assertEqual(covered_controls(state), [])
            # It takes its own room: the page starts below it.
            page_top = min(c["bounds"][1] for c in state["controls"]
                           if "toast-dismiss" not in c["control"]
                           and c["bounds"][1] > toast["bounds"][1])
            self.assertGreaterEqual(page_top, toast["bounds"][1] + toast["bounds"][3])
            both_sizes(app, "home-with-message")
            app.navigate("queue")
            self.assertFalse(app.widget("toast")["visible"])
            app.navigate("home")
            self.assertFalse(app.widget("toast")["visible"])

            for page in PAGES:
                app.navigate(page)
                both_sizes(app, page)
            app.ui("win.lock")
            app.wait_page("unlock")
            both_sizes(app, "unlock")
            app.enter_pin("2468")
            app.wait_page("home")

            # An intake up to the review.
            app.navigate("intake")
            app.wait_step("identity")
            app.type("intake-phone", "0912345678")
            app.ui("intake.next")
            app.certified_copy()
            app.photograph_original()
            app.give_fingerprint()
            app.consent("personal-data", "biometrics")

            review = app.text("intake-review")
            self.assertIn("Phạm Minh Nga", review)
            self.assertIn("Chứng thực", review)
            photo = app.widget("review-photo-original-document")
            self.assertIsNotNone(photo, "no thumbnail of the paper")
            self.assertTrue(photo["has_image"])
            # A photo of a page, not an empty frame: neither black nor white.
            self.assertTrue(20 < photo["mean_level"] < 250, photo["mean_level"])
            self.assertTrue(app.widget("intake-review-fingerprint")["has_image"])
            self.assertIn("đã lấy", app.text("intake-review-fingerprint-text"))
            consents = app.text("intake-review-consents")
            self.assertIn("✔", consents)
            self.assertIn("✘", consents)
            both_sizes(app, "intake-review")


if __name__ == "__main__":
    unittest.main()
