"""High contrast, for reading in bright sun: with the setting on, every text
on every main screen reaches 7:1 against its background (WCAG AAA),
measured on the screenshot's pixels; the setting applies at once and is
kept across a restart."""
import unittest

import gi

gi.require_version("GdkPixbuf", "2.0")
from gi.repository import GdkPixbuf  # noqa: E402

from fkui import App, Server, wait_for  # noqa: E402

PAGES = ["home", "visit", "intake", "vneid", "queue", "handover", "reports", "settings", "guide"]
AAA = 7.0


def luminance(r, g, b):
    def lin(c):
        c /= 255.0
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(pixbuf, bounds):
    """The ratio between the lightest and the darkest pixel of a text's box:
    its glyphs against the background around them."""
    x, y, w, h = bounds
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + w, pixbuf.get_width()), min(y + h, pixbuf.get_height())
    if x1 <= x0 or y1 <= y0:
        return None
    data = pixbuf.get_pixels()
    stride, n = pixbuf.get_rowstride(), pixbuf.get_n_channels()
    lo, hi = 1.0, 0.0
    for row in range(y0, y1):
        for col in range(x0, x1):
            i = row * stride + col * n
            lum = luminance(data[i], data[i + 1], data[i + 2])
            lo, hi = min(lo, lum), max(hi, lum)
    return (hi + 0.05) / (lo + 0.05)


def low_contrast(app, name):
    """Texts on the current screen under 7:1, as (ratio, text), and how many
    texts were measured. The screen is measured once it holds still: laid
    out, and the same before and after the screenshot (a toast may be
    leaving)."""
    def still():
        before = app.state()
        if not all(t["bounds"][2] > 0 and t["bounds"][3] > 0 for t in before["texts"]):
            return None
        shot = app.screenshot(name)
        after = app.state()
        return before["texts"] == after["texts"] and (before["texts"], shot)
    texts, shot = wait_for(still, what="the screen holding still")
    pixbuf = GdkPixbuf.Pixbuf.new_from_file(shot)
    found = []
    for t in texts:
        ratio = contrast(pixbuf, t["bounds"])
        if ratio is not None and ratio < AAA:
            found.append((round(ratio, 1), t["text"]))
    return found, len(texts)


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
            normal, _ = low_contrast(app, "contrast-00-settings-normal-800x480")
            self.assertTrue(normal, "the default look already reaches 7:1 everywhere")

            app.click("settings-high-contrast")
            wait_for(lambda: app.widget("settings-high-contrast")["active"],
                     what="the switch on")
            for i, page in enumerate(PAGES, 1):
                app.navigate(page)
                if page == "intake":
                    app.wait_step("scan")
                low, count = low_contrast(app, "contrast-%02d-%s-800x480" % (i, page))
                self.assertGreater(count, 0)
                self.assertEqual(low, [], "texts under 7:1 on %s" % page)
            data = app.data_dir

        # Kept: the next start is in high contrast too.
        with App(data_dir=data) as app:
            low, count = low_contrast(app, "contrast-10-pin-pad-800x480")
            self.assertGreater(count, 0)
            self.assertEqual(low, [], "texts under 7:1 on the PIN pad")


if __name__ == "__main__":
    unittest.main()
