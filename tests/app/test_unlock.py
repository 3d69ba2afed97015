"""First run sets up the store; wrong PINs lead to a wait the officer is told about."""
import unittest

from fkui import App, Server, wait_for


class UnlockTest(unittest.TestCase):
    def test_setup_then_lockout(self):
        server = Server()
        with App() as app:
            app.screenshot("unlock-01-setup-800x480")
            # A PIN typed differently twice is refused with the reason.
            app.type("setup-server-url", server.url)
            app.type("setup-server-key", server.pub.replace("\n", " "))
            app.type("setup-pin", "2468")
            app.type("setup-pin-again", "2469")
            app.ui("setup.create")
            self.assertIn("khác nhau", app.wait_text("setup-error", bool))
            app.screenshot("unlock-02-setup-error-800x480")

            code = app.create_store(server, "2468")
            self.assertGreater(len(code), 10)
            app.screenshot("unlock-03-recovery-code-800x480")
            app.ui("setup.done")
            app.wait_page("home")

            app.ui("win.lock")
            app.wait_page("unlock")
            app.screenshot("unlock-04-pin-pad-800x480")

            # Two wrong PINs are only counted; the third makes the officer wait.
            for attempt in (1, 2):
                app.enter_pin("1111")
                app.wait_text("unlock-message", lambda t, a=attempt: "(%d lần sai)" % a in t)
            app.screenshot("unlock-05-wrong-pin-800x480")
            app.enter_pin("1111")
            message = app.wait_text("unlock-message", lambda t: "Thử lại sau" in t)
            self.assertRegex(message, r"\d+ giây")
            app.screenshot("unlock-06-lockout-800x480")

            # While the wait runs even the right PIN is not taken.
            app.enter_pin("2468")
            self.assertEqual(app.state()["page"], "unlock")
            self.assertIn("Thử lại sau", app.text("unlock-message"))
        server.close()

    def test_right_pin_opens(self):
        server = Server()
        with App() as app:
            app.set_up(server, "1357")
            app.ui("win.lock")
            app.wait_page("unlock")
            app.enter_pin("1357")
            app.wait_page("home")
        server.close()


if __name__ == "__main__":
    unittest.main()
