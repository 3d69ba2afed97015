"""The practice profile: entered from the unlock page, with a band on every
page, an intake of an invented citizen on the simulated devices (while the
hardware choice says real), a receipt with the practice band, the dossier
sent to the practice server the app runs (never to the real one), that
server stopped and the real store untouched once practice is left. A
damaged file of invented citizens is refused with a message, the app stays
in the real profile. Without fieldkit-server, practice dossiers stay on the
tablet and the queue page says why."""
import json
import os
import sqlite3
import subprocess
import sys
import unittest

from fkui import BUILD_ROOT, SCREENSHOTS, App, Server, wait_for
from gi.repository import GdkPixbuf

sys.path.insert(0, os.path.join(os.environ["FK_SOURCE_ROOT"], "tests", "tools"))
import fk_cups  # noqa: E402

CTL = os.path.join(BUILD_ROOT, "cli", "fieldkit-ctl")
SERVER = os.path.join(BUILD_ROOT, "server", "fieldkit-server")
SRC = os.environ["FK_SOURCE_ROOT"]
CITIZENS = os.path.join(SRC, "assets", "data", "practice", "citizens.json")
MAIN_PAGES = ("home", "visit", "queue", "handover", "guide", "vneid", "reports", "settings")


def audit_rows(data_dir):
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(data_dir, "fieldkit.db"), uri=True)
    try:
        return db.execute("SELECT count(*) FROM audit").fetchone()[0]
    finally:
        db.close()


def children(pid):
    """The processes @pid started: {pid: command line}."""
    found = {}
    for entry in os.listdir("/proc"):
        try:
            with open("/proc/%s/stat" % entry, encoding="ascii", errors="replace") as f:
                if int(f.read().rsplit(")", 1)[1].split()[1]) != pid:
                    continue
            with open("/proc/%s/cmdline" % entry, "rb") as f:
                found[int(entry)] = f.read().replace(b"\0", b" ").decode()
        except (OSError, ValueError, IndexError):
            continue
    return found


def exported(conf_args, out):
    """What `fieldkit-server export` decrypts: the dossiers it holds."""
    subprocess.run([SERVER] + conf_args + ["export", "--out", out], check=True,
                   stdout=subprocess.DEVNULL)
    return sorted(os.listdir(out))


class PracticeTest(unittest.TestCase):
    def band(self, app):
        band = app.widget("practice-band")
        return band if band and band["visible"] and band["in_view"] else None

    def snap(self, app, name):
        """A screenshot with the band on top, under the header, the whole
        window wide."""
        band = wait_for(lambda: self.band(app), what="the practice band on %s" % name)
        x, y, w, h = band["bounds"]
        self.assertEqual(x, 0)
        self.assertEqual(w, app.state()["width"])
        self.assertLess(y, 80)
        self.assertGreaterEqual(h, 30)
        self.assertTrue(app.widget("practice-next-card")["visible"])
        self.assertEqual(app.text("practice-band-title"), "LUYỆN TẬP")
        app.screenshot("practice-%s-800x480" % name)

    def test_damaged_citizens_file(self):
        bad = os.path.join(os.environ.get("TMPDIR", "/tmp"), "fk-practice-bad.json")
        with open(bad, "w", encoding="utf-8") as f:
            f.write('{"citizens": [{"name": "Nguyễn Văn A", "payload": ')
        server = Server()
        with App(env={"FIELDKIT_PRACTICE_CITIZENS": bad}) as app:
            app.set_up(server)
            # From the settings this time.
            app.navigate("settings")
            app.click("settings-practice-start")
            message = app.wait_text("toast-text", bool)
            self.assertIn(bad, message)
            self.assertIn("không dùng được", message)
            self.assertIsNone(self.band(app))
            self.assertEqual(app.state()["page"], "settings")
            self.assertTrue(app.widget("settings-practice-start")["visible"])
            app.screenshot("practice-damaged-citizens-800x480")
            # Still the real profile: its PIN opens it.
            app.ui("win.lock")
            app.wait_page("unlock")
            self.assertTrue(app.widget("unlock-practice")["visible"])
            app.enter_pin("2468")
            app.wait_page("home")

    def test_no_practice_server(self):
        missing = os.path.join(os.environ.get("TMPDIR", "/tmp"), "no-such-fieldkit-server")
        server = Server()
        with App(env={"FIELDKIT_PRACTICE_SERVER": missing}) as app:
            app.set_up(server)
            app.ui("win.lock")
            app.wait_page("unlock")
            app.ui("win.practice-start")
            wait_for(lambda: self.band(app), what="the practice band")
            app.enter_pin("1234")
            app.wait_page("home")
            app.navigate("queue")
            status = app.wait_text("queue-status", lambda t: "nằm lại trên máy" in t)
            self.assertIn("không khởi động được máy chủ luyện tập", status)
            self.assertIn(missing, status)
            app.navigate("handover")
            app.ui("handover.pull")
            app.wait_text("handover-message",
                          lambda t: "không có máy chủ luyện tập nào chạy" in t)
            self.snap(app, "no-server-queue")

    def black_band_rows(self, pdf, name):
        """Rows of the printed page's top fifth that are black across at
        least nine tenths of the width: the practice band. The page goes to
        the screenshots, to be looked at."""
        stem = os.path.join(SCREENSHOTS, name)
        subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", pdf, stem], check=True)
        page = GdkPixbuf.Pixbuf.new_from_file(stem + ".png")
        data, stride, n = page.get_pixels(), page.get_rowstride(), page.get_n_channels()
        rows = 0
        for y in range(page.get_height() // 5):
            dark = sum(1 for x in range(page.get_width())
                       if data[y * stride + x * n] < 80)
            rows += dark >= 0.9 * page.get_width()
        return rows

    def pdf_text(self, pdf):
        return subprocess.run(["pdftotext", pdf, "-"], check=True, stdout=subprocess.PIPE,
                              text=True).stdout

    def test_practice(self):
        # The real server runs: practice must not reach it.
        server = Server()
        server.serve()
        self.addCleanup(server.close)
        env = {"FIELDKIT_HW": "real"}
        # The receipt printed from the app goes to a cups-pdf queue when a
        # CUPS scheduler of the test's own can run here.
        cups = None if fk_cups.cannot_run() else fk_cups.Cups()
        if cups is not None:
            self.addCleanup(cups.close)
            cups.add_pdf_queue("Receipts")
            cups.lpadmin("-d", "Receipts")
            env = cups.env(env)
        # The hardware choice says real: practice uses the simulated devices
        # all the same.
        with App(env=env) as app:
            app.set_up(server)
            real_dir = app.data_dir
            app.start_visit(hamlet="Thôn Nà Lầu")
            if cups is not None:
                # Named, a cups-pdf queue prints whatever the hardware choice.
                app.navigate("settings")
                app.type("settings-printer", "Receipts")
            app.ui("win.lock")
            app.wait_page("unlock")
            real_audit = audit_rows(real_dir)
            self.assertIsNone(self.band(app))
            self.assertTrue(app.widget("unlock-practice")["visible"])
            app.screenshot("practice-00-unlock-real-800x480")

            app.ui("win.practice-start")
            wait_for(lambda: self.band(app), what="the practice band")
            app.wait_page("unlock")
            self.assertIn("1234", app.text("unlock-practice-pin"))
            self.assertTrue(app.widget("unlock-practice-stop")["visible"])
            # A wrong PIN is practised too.
            app.enter_pin("9999")
            app.wait_text("unlock-message", lambda t: "Sai mã PIN" in t)
            self.snap(app, "01-unlock")
            app.enter_pin("1234")
            app.wait_page("home")
            # The real visit is the real store's: practice starts without it.
            self.assertNotIn("Thôn Nà Lầu", app.text("home-visit-title"))
            practice_dir = os.path.join(real_dir, "practice", "store")
            self.assertTrue(os.path.exists(os.path.join(practice_dir, "fieldkit.db")))
            self.snap(app, "02-home")

            app.start_visit(hamlet="Buôn Ko Tam")
            for page in MAIN_PAGES:
                app.navigate(page)
                if page == "queue":
                    # Ready once the practice server listens, network or
                    # not (it is on the tablet).
                    app.wait_text("queue-status", lambda t: "Sẵn sàng" in t)
                    # Paused, so that the dossier waits for "send now".
                    app.ui("queue.pause")
                    app.wait_text("queue-status", lambda t: "Đã tạm dừng" in t)
                self.snap(app, "03-" + page)
            # Results are asked of the practice server (none there yet),
            # never of the real one.
            app.navigate("handover")
            app.ui("handover.pull")
            app.wait_text("handover-message", lambda t: "0 kết quả mới từ máy chủ" in t)
            # Only the way back is open in the settings while practising.
            app.navigate("settings")
            self.assertTrue(app.widget("settings-practice-stop")["visible"])
            self.assertFalse(app.widget("settings-printer")["sensitive"])

            # The first intake in practice walks the volunteer through the
            # steps (the tour, whatever the real profile saw); the first
            # invented citizen's card is read once it ends.
            self.assertIn("Nguyễn Văn Hùng", app.text("practice-card"))
            app.navigate("intake")
            wait_for(lambda: "tour" in app.state(), what="the guided tour")
            self.snap(app, "04-intake-tour")
            app.click("tour-skip")
            wait_for(lambda: "tour" not in app.state(), what="the tour ending on skip")
            app.wait_step("identity")
            self.assertEqual(app.text("intake-name"), "Nguyễn Văn Hùng")
            self.assertEqual(app.text("intake-id"), "038085012345")
            self.snap(app, "05-intake-identity")
            app.ui("intake.next")
            app.wait_step("procedure")
            self.snap(app, "06-intake-procedure")
            app.ui("intake.pick-procedure", app.variant("s", "certified-copies"))
            app.wait_step("form")
            app.type("field-document_title", "Giấy khai sinh")
            app.type("field-pages", "1")
            app.type("field-copies", "2")
            self.snap(app, "07-intake-form")
            app.ui("intake.next")
            app.wait_step("photos")
            wait_for(lambda: app.widget("intake-photo-preview")["has_image"],
                     what="the camera preview")
            app.ui("intake.take-photo", app.variant("s", "original-document"))
            app.wait_text("intake-photo-message",
                          lambda t: "Đang kiểm tra" not in t and "trước" not in t)
            self.snap(app, "08-intake-photos")
            app.ui("intake.next")
            app.wait_step("fingerprint")
            # The citizen's print on the simulated reader.
            app.ui("intake.fingerprint")
            app.wait_text("intake-fp-message", lambda t: "Đã lấy vân tay" in t, timeout=60)
            self.snap(app, "09-intake-fingerprint")
            app.ui("intake.next")
            app.wait_step("consent")
            app.ui("intake.consent", app.variant("(sb)", ("personal-data", True)))
            app.ui("intake.consent", app.variant("(sb)", ("biometrics", True)))
            self.snap(app, "10-intake-consent")
            app.ui("intake.next")
            app.wait_step("review")
            self.assertIn("Nguyễn Văn Hùng", app.text("intake-review"))
            self.snap(app, "11-intake-review")
            app.ui("intake.save")
            app.wait_step("receipt", timeout=60)
            self.snap(app, "12-intake-receipt")
            if cups is not None:
                app.ui("intake.print-receipt")
                app.wait_text("intake-receipt-message", lambda t: "Đã in" in t, timeout=60)
                printed = wait_for(lambda: not cups.jobs() and cups.pdfs(), timeout=60,
                                   what="the printed receipt")
                # cups-pdf prints a picture of the page: the band is seen.
                self.assertGreater(self.black_band_rows(printed[0], "practice-receipt-printed"), 5)

            queue = json.loads(subprocess.run(
                [CTL, "--data", practice_dir, "queue", "list", "--json"], check=True,
                stdout=subprocess.PIPE, text=True).stdout)
            self.assertEqual([d["state"] for d in queue], ["queued"])
            dossier = queue[0]["id"]
            # The app runs a practice server of its own, its child.
            practice_server = wait_for(
                lambda: [p for p, c in children(app.proc.pid).items()
                         if "fieldkit-server" in c and "serve" in c],
                what="the practice server")[0]
            app.navigate("queue")
            self.snap(app, "13-queue-practice-dossier")
            app.ui("queue.send-now")
            app.wait_text("queue-summary", lambda t: "Đã gửi: 1" in t, timeout=60)
            self.snap(app, "13-queue-practice-sent")
            # It holds the dossier, sealed to its key (it opens there), and
            # the real server has nothing.
            conf = os.path.join(real_dir, "practice", "server", "server.conf")
            self.assertEqual(exported(["--config", conf], os.path.join(app.tmp, "practice-out")),
                             [dossier])
            self.assertEqual(exported(["--db", server.db, "--keys", server.keys],
                                      os.path.join(app.tmp, "real-out")), [])

            # The receipt, as printed or saved: the practice band on it.
            pdf = os.path.join(app.tmp, "receipt.pdf")
            subprocess.run([CTL, "--data", practice_dir, "receipt", dossier, "--pdf", pdf,
                            "--paper", "58mm"], check=True, stdout=subprocess.DEVNULL,
                           env=dict(os.environ, FIELDKIT_PIN="1234", LANGUAGE="vi"))
            self.assertIn("LUYỆN TẬP", self.pdf_text(pdf))
            self.assertGreater(self.black_band_rows(pdf, "practice-receipt-pdf"), 5)

            # A code read garbled: the app says so, the volunteer types the
            # card in.
            app.navigate("home")
            names = [app.text("practice-card")]
            while "Lường Thị Én" not in names[-1] and len(names) < 12:
                app.ui("win.practice-next-card")
                names.append(app.text("practice-card"))
            # Each tap presents the next citizen.
            self.assertEqual(len(set(names)), len(names))
            self.assertIn("Trần Thị Bích Ngọc", names[1])
            app.navigate("intake")
            app.ui("intake.restart")
            app.wait_step("identity")
            app.wait_text("intake-identity-message", lambda t: "bị giải mã sai" in t)
            self.snap(app, "14-intake-garbled-card")

            # Back to the real profile, the way it was entered.
            app.ui("win.lock")
            app.wait_page("unlock")
            app.ui("win.practice-stop")
            wait_for(lambda: self.band(app) is None and app.widget("unlock-practice")["visible"],
                     what="the real profile's unlock page")
            # The practice server stopped with practice.
            self.assertFalse(os.path.exists("/proc/%d" % practice_server))
            # Nothing of practice in the real store: no audit entry…
            self.assertEqual(audit_rows(real_dir), real_audit)
            app.enter_pin("2468")
            app.wait_page("home")
            # The real visit comes back with the real store.
            app.wait_text("home-visit-title", lambda t: "Thôn Nà Lầu" in t)
            app.navigate("queue")
            self.assertIsNone(self.band(app))
            app.screenshot("practice-15-real-queue-after-800x480")

            # … no dossier, no draft.
            self.assertEqual(app.queue(), [])


if __name__ == "__main__":
    unittest.main()
