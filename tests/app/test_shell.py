"""The app starts in Vietnamese, reaches every page and comes back."""
import struct
import unittest

from fkui import App, Server


def png_size(path):
    with open(path, "rb") as f:
        header = f.read(24)
    return struct.unpack(">II", header[16:24])


class ShellTest(unittest.TestCase):
    def test_navigation_and_screenshots(self):
        server = Server()
        with App() as app:
            app.set_up(server)
            shot = app.screenshot("shell-home-800x480")
            self.assertEqual(png_size(shot), (800, 480))
            app.navigate("settings")
            app.screenshot("shell-settings-800x480")
            app.ui("win.back")
            self.assertEqual(app.state()["page"], "home")
            app.resize(1280, 800)
            app.navigate("settings")
            # The device's key, as fieldkit-ctl device-key prints it, in
            # text and as a QR code, for the office to enroll it from.
            self.assertEqual(app.text("settings-device-key"), app.ctl("device-key").strip())
            qr = app.widget("settings-device-key-qr")
            self.assertTrue(qr["visible"] and qr["has_image"] and qr["in_view"], qr)
            self.assertEqual(png_size(app.screenshot("shell-settings-1280x800")), (1280, 800))
        server.close()

    def test_drawn_without_opengl(self):
        # The cairo renderer, and no OpenGL driver (nor the LLVM Mesa links)
        # mapped into the process: about 60 MB less memory.
        with App() as app:
            self.assertEqual(app.state()["renderer"], "GskCairoRenderer")
            self.assertEqual(gl_libraries(app.proc.pid), [])

    def test_opengl_when_the_device_asks(self):
        with App(env={"GSK_RENDERER": "gl"}) as app:
            self.assertEqual(app.state()["renderer"], "GskGLRenderer")
            self.assertNotEqual(gl_libraries(app.proc.pid), [])


def gl_libraries(pid):
    with open("/proc/%d/maps" % pid, encoding="utf-8") as f:
        paths = {line.split()[-1] for line in f if len(line.split()) == 6}
    return sorted(p for p in paths if "/dri/" in p or "libLLVM" in p)


if __name__ == "__main__":
    unittest.main()
