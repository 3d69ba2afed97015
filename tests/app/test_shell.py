"""The app starts in Vietnamese, reaches every page and comes back."""
import ctypes
import struct
import unittest

from fkui import App, GdkPixbuf, Server


def png_size(path):
    with open(path, "rb") as f:
        header = f.read(24)
    return struct.unpack(">II", header[16:24])


def read_qr(path, bounds):
    """The text of the QR code in this part of a screenshot, read by libzbar
    (the decoder the office uses), or None."""
    x, y, w, h = bounds
    shot = GdkPixbuf.Pixbuf.new_from_file(path).new_subpixbuf(x, y, w, h)
    n, stride, pixels = shot.get_n_channels(), shot.get_rowstride(), shot.get_pixels()
    grey = b"".join(pixels[r * stride:r * stride + w * n][1::n] for r in range(h))
    zbar = ctypes.CDLL("libzbar.so.0")
    zbar.zbar_image_scanner_create.restype = ctypes.c_void_p
    zbar.zbar_image_create.restype = ctypes.c_void_p
    zbar.zbar_image_first_symbol.restype = ctypes.c_void_p
    zbar.zbar_symbol_get_data.restype = ctypes.c_char_p
    for f in ("zbar_image_scanner_set_config", "zbar_image_set_format", "zbar_image_set_size",
              "zbar_image_set_data", "zbar_scan_image", "zbar_image_first_symbol",
              "zbar_symbol_get_data", "zbar_image_destroy", "zbar_image_scanner_destroy"):
        getattr(zbar, f).argtypes = None
    scanner = ctypes.c_void_p(zbar.zbar_image_scanner_create())
    zbar.zbar_image_scanner_set_config(scanner, 0, 0, 1)  # every symbology: ZBAR_CFG_ENABLE
    image = ctypes.c_void_p(zbar.zbar_image_create())
    zbar.zbar_image_set_format(image, ctypes.c_ulong(struct.unpack("<I", b"Y800")[0]))
    zbar.zbar_image_set_size(image, ctypes.c_uint(w), ctypes.c_uint(h))
    buf = ctypes.create_string_buffer(grey, len(grey))
    zbar.zbar_image_set_data(image, buf, ctypes.c_ulong(len(grey)), None)
    text = None
    if zbar.zbar_scan_image(scanner, image) > 0:
        symbol = zbar.zbar_image_first_symbol(image)
        text = zbar.zbar_symbol_get_data(ctypes.c_void_p(symbol)).decode()
    zbar.zbar_image_destroy(image)
    zbar.zbar_image_scanner_destroy(scanner)
    return text


class ShellTest(unittest.TestCase):
    def test_navigation_and_screenshots(self):
        server = Server()
        with App() as app:
            app.set_up(server)
            shot = app.screenshot("shell-home-800x480")
            self.assertEqual(png_size(shot), (800, 480))
            # Outside the kiosk (--kiosk) the window can be closed.
            self.assertTrue(app.state()["window_buttons"])
            app.navigate("settings")
            app.screenshot("shell-settings-800x480")
            app.ui("win.back")
            self.assertEqual(app.state()["page"], "home")
            app.resize(1280, 800)
            app.navigate("settings")
            # The device's key, as fieldkit-ctl device-key prints it, in
            # text and as a QR code, for the office to enroll it from.
            key = app.ctl("device-key").strip()
            self.assertEqual(app.text("settings-device-key"), key)
            qr = app.widget("settings-device-key-qr")
            self.assertTrue(qr["visible"] and qr["has_image"] and qr["in_view"], qr)
            shot = app.screenshot("shell-settings-1280x800")
            self.assertEqual(png_size(shot), (1280, 800))
            self.assertEqual(read_qr(shot, qr["bounds"]), key)
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
