"""The officer starts the day's visit; the commune is found without accents."""
import unittest

from fkui import App, Server, wait_for


class VisitTest(unittest.TestCase):
    def test_start_visit(self):
        server = Server()
        with App() as app:
            app.set_up(server)
            app.screenshot("visit-01-home-800x480")
            app.navigate("visit")
            self.assertFalse(app.widget("visit-current")["visible"])
            # Missing fields are explained one at a time.
            app.type("visit-date", "31/02/2026")
            app.ui("visit.start")
            self.assertIn("không hợp lệ", app.wait_text("visit-error", bool))
            app.ui("visit.suggest-date", app.variant("s", "thu"))
            app.ui("visit.start")
            app.wait_text("visit-error", lambda t: "xã" in t)
            app.screenshot("visit-02-error-800x480")

            app.type("visit-commune-search", "ba dinh")
            rows = wait_for(lambda: [k for k in app.state()["widgets"] if k.startswith("commune-")],
                            what="commune search results")
            app.screenshot("visit-03-commune-search-800x480")
            app.ui("visit.pick-commune", app.variant("s", rows[0][len("commune-"):]))
            app.wait_text("visit-commune", lambda t: "Ba Đình" in t)
            app.type("visit-hamlet", "Thôn Nà Lầu")
            app.type("visit-member", "Lò Văn A")
            app.ui("visit.add-member")
            app.wait_text("visit-team", lambda t: "Lò Văn A" in t)
            app.screenshot("visit-04-filled-800x480")
            app.ui("visit.start")
            app.wait_page("home")
            app.navigate("visit")
            current = app.text("visit-current")
            self.assertIn("Nà Lầu", current)
            self.assertEqual(app.text("visit-dossiers"), "0")
            app.screenshot("visit-05-started-800x480")
            app.resize(1280, 800)
            app.screenshot("visit-06-started-1280x800")
        server.close()


if __name__ == "__main__":
    unittest.main()
