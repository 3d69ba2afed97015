"""The guided tour of an intake for a first-time volunteer: it starts by
itself at the device's first intake, walks every step on the real page with
the control it explains ringed and never under its card, changes nothing
stored, ends on skip, on leaving the page and on locking, does not start by
itself a second time, and the settings switch brings it back.

The simulated camera shows a card: a card read during the tour would change
the intake, so this also proves the scanner waits while the tour runs."""
import os
import unittest

from fkui import App, Server, contrast, overlap, wait_for
from gi.repository import GdkPixbuf

SRC = os.environ["FK_SOURCE_ROOT"]
CARD = os.path.join(SRC, "tests", "data", "qr", "easy-001.png")

# The wizard's step each stop shows, and the control it explains.
STOPS = [
    ("scan", "scanner-frame"),
    ("identity", "intake-id"),
    ("procedure", "intake-procedure-search"),
    ("photos", "intake-photo-preview"),
    ("fingerprint", "intake-fp-start"),
    ("consent", "consent-personal-data"),
    ("review", "intake-save"),
    ("receipt", "intake-receipt-print"),
]


def inside(box, width, height):
    x, y, w, h = box
    return x >= 0 and y >= 0 and x + w <= width and y + h <= height and w > 0 and h > 0


class TourTest(unittest.TestCase):
    def wait_stop(self, app, stop):
        """The state once stop @stop is shown and its card holds still."""
        last = [None]

        def placed():
            state = app.state()
            tour = state.get("tour")
            if not tour or tour["stop"] != stop or tour["target_bounds"] is None:
                return None
            key = (tour["target_bounds"], tour["card_bounds"])
            if tour["target_bounds"][2] == 0 or key != last[0]:
                last[0] = key
                return None
            return state
        try:
            return wait_for(placed, what="tour stop %d placed" % stop)
        except AssertionError:
            state = app.state()
            raise AssertionError("tour stop %d not placed: %s, step %s"
                                 % (stop, state.get("tour"), state["widgets"]["intake-step"]))

    def check_stop(self, app, stop, shot=None):
        """Stop @stop on the right step, its control ringed, on screen and
        clear of the card, the card in the window and readable; with @shot,
        photographed under that name."""
        state = self.wait_stop(app, stop)
        step, target = STOPS[stop - 1]
        tour = state["tour"]
        widgets = state["widgets"]
        self.assertEqual(widgets["intake-step"]["child"], step)
        self.assertEqual(tour["target"], target)
        self.assertTrue(tour["target_found"], target)
        self.assertTrue(tour["target_highlighted"], target)
        self.assertTrue(tour["target_in_view"], "%s is not all on screen" % target)
        self.assertEqual(widgets["tour-counter"]["text"], "%d/%d" % (stop, len(STOPS)))
        self.assertFalse(overlap(tour["card_bounds"], tour["target_bounds"]),
                         "the card %s covers %s %s"
                         % (tour["card_bounds"], target, tour["target_bounds"]))
        self.assertTrue(inside(tour["card_bounds"], state["width"], state["height"]),
                        tour["card_bounds"])
        for name in ("tour-title", "tour-text", "tour-next", "tour-skip"):
            self.assertTrue(widgets[name]["in_view"], name)
        self.assertEqual(widgets["tour-back"]["sensitive"], stop > 1)
        if shot:
            pixbuf = GdkPixbuf.Pixbuf.new_from_file(app.screenshot(shot))
            for name in ("tour-title", "tour-text", "tour-counter"):
                self.assertGreater(contrast(pixbuf, widgets[name]["bounds"]), 4.5, name)
        return state

    def drafts(self, app):
        return [d for d in app.queue() if d["state"] == "draft"]

    def no_tour(self, app):
        # Twice, a frame apart at least: a tour started by the page's map
        # is there by the first state already.
        return "tour" not in app.state() and "tour" not in app.state()

    def test_tour(self):
        server = Server()
        with App(env={"FIELDKIT_SIM_CAMERA": CARD}, tour=True) as app:
            app.set_up(server)

            # The first intake on this device: the tour starts by itself.
            app.navigate("intake")
            state = self.wait_stop(app, 1)
            self.assertEqual(state["tour"]["of"], len(STOPS))
            for stop in range(1, len(STOPS) + 1):
                self.check_stop(app, stop, "tour-%02d-%s-800x480" % (stop, STOPS[stop - 1][0]))
                if stop < len(STOPS):
                    app.click("tour-next")

            # Walking it wrote nothing: no draft, the card not read.
            self.assertEqual(self.drafts(app), [])
            self.assertEqual(app.widget("tour-next")["text"], "Xong")

            # Back one stop, then skipped: the page as it was, the scanner
            # at work again (the card is read at once).
            app.click("tour-back")
            self.assertEqual(self.wait_stop(app, len(STOPS) - 1)["tour"]["target"], STOPS[-2][1])
            self.assertEqual(self.drafts(app), [])
            app.click("tour-skip")
            wait_for(lambda: self.no_tour(app), what="the tour ending on skip")
            app.wait_step("identity")
            name = app.text("intake-name")
            self.assertTrue(name)

            # From the nav bar's "Hướng dẫn" over an intake under way, then
            # skipped mid-way: the same step, the same identity, one draft.
            app.wait_text("intake-draft", lambda t: "Đã lưu" in t)
            self.assertEqual(len(self.drafts(app)), 1)
            self.assertEqual(app.widget("intake-tour")["text"], "Hướng dẫn")
            app.click("intake-tour")
            self.wait_stop(app, 1)
            app.click("tour-next")
            self.wait_stop(app, 2)
            app.click("tour-next")
            self.assertEqual(self.wait_stop(app, 3)["widgets"]["intake-step"]["child"],
                             "procedure")
            app.click("tour-skip")
            wait_for(lambda: self.no_tour(app), what="the tour ending on skip")
            self.assertEqual(app.step(), "identity")
            self.assertEqual(app.text("intake-name"), name)
            self.assertEqual(len(self.drafts(app)), 1)

            # Seen: not by itself a second time.
            app.navigate("home")
            app.navigate("intake")
            self.assertTrue(self.no_tour(app))

            # The settings switch brings it back at the next intake.
            app.navigate("settings")
            self.assertFalse(app.widget("settings-tour")["active"])
            app.click("settings-tour")
            wait_for(lambda: app.widget("settings-tour")["active"], what="the switch on")
            app.navigate("intake")
            self.wait_stop(app, 1)

            # Leaving the page ends it, and it is not counted as seen.
            app.click("tour-next")
            self.wait_stop(app, 2)
            app.navigate("home")
            app.navigate("intake")
            self.assertEqual(self.wait_stop(app, 1)["widgets"]["intake-step"]["child"], "scan")

            # Locking ends it too; after the PIN the page is as it was.
            app.click("tour-next")
            self.wait_stop(app, 2)
            app.ui("win.lock")
            app.wait_page("unlock")
            app.enter_pin("2468")
            app.wait_page("home")

            # win.tour (the practice profile's first start asks for it).
            app.ui("win.tour")
            app.wait_page("intake")
            self.wait_stop(app, 1)
            app.click("tour-skip")
            wait_for(lambda: self.no_tour(app), what="the tour ending on skip")
            self.assertEqual(app.step(), "identity")
            self.assertEqual(app.text("intake-name"), name)
            app.navigate("settings")
            self.assertFalse(app.widget("settings-tour")["active"])

            # Practising, the band under the header takes room: every stop
            # still leaves its control clear.
            app.ui("win.lock")
            app.wait_page("unlock")
            app.ui("win.practice-start")
            wait_for(lambda: (app.widget("practice-band") or {}).get("visible"),
                     what="the practice band")
            app.enter_pin("1234")
            app.wait_page("home")
            app.ui("win.tour")
            for stop in range(1, len(STOPS) + 1):
                state = self.check_stop(app, stop, "tour-practice-%02d-%s-800x480"
                                        % (stop, STOPS[stop - 1][0]))
                self.assertTrue(state["widgets"]["practice-band"]["visible"])
                if stop < len(STOPS):
                    app.click("tour-next")
            app.click("tour-next")
            wait_for(lambda: self.no_tour(app), what="the tour done")
        server.close()


if __name__ == "__main__":
    unittest.main()
