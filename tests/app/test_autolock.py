"""Left untouched for the autolock-minutes setting, the app locks itself and
what was being typed is still there after the PIN."""
import os
import unittest

from fkui import App, Server, wait_for


class AutolockTest(unittest.TestCase):
    def test_locks_after_inactivity(self):
        # One minute, the shortest the setting allows, written before start.
        conf = os.path.join(os.environ["XDG_CONFIG_HOME"], "glib-2.0", "settings")
        os.makedirs(conf, exist_ok=True)
        with open(os.path.join(conf, "keyfile"), "w", encoding="utf-8") as f:
            f.write("[vn/fieldkit/FieldKit]\nautolock-minutes=uint32 1\n")
        server = Server()
        with App() as app:
            app.set_up(server, "2468")
            app.navigate("visit")
            app.type("visit-hamlet", "Thôn Khe Vằn")
            wait_for(lambda: app.state()["page"] == "unlock", timeout=90, what="the automatic lock")
            app.screenshot("autolock-01-locked-800x480")
            app.enter_pin("2468")
            app.wait_page("home")
            app.navigate("visit")
            self.assertEqual(app.text("visit-hamlet"), "Thôn Khe Vằn")
        server.close()


if __name__ == "__main__":
    unittest.main()
