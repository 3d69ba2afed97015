"""The printed receipt from the app: from the receipt step, the queue and
the handover, through a CUPS scheduler of the test's own (a cups-pdf queue
as the printer); a stopped printer gives its message and the receipt is
printed later from the queue; the second copy is a second page."""
import os
import re
import subprocess
import sys
import unittest

from fkui import BUILD_ROOT, SCREENSHOTS, App, Server, wait_for

sys.path.insert(0, os.path.join(os.environ["FK_SOURCE_ROOT"], "tests", "tools"))
import fk_cups  # noqa: E402

CTL = os.path.join(BUILD_ROOT, "cli", "fieldkit-ctl")


def pdf_pages(path):
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    width = float(re.search(r"Page size:\s+([\d.]+) x", info).group(1)) * 25.4 / 72
    return int(re.search(r"Pages:\s+(\d+)", info).group(1)), width


class ReceiptTest(unittest.TestCase):
    def setUp(self):
        why = fk_cups.cannot_run()
        if why:
            self.skipTest(why)
        self.cups = fk_cups.Cups()
        self.addCleanup(self.cups.close)
        self.cups.add_pdf_queue("Receipts")
        self.cups.lpadmin("-d", "Receipts")
        self.cups.add_pdf_queue("Paused")
        self.cups.tool("cupsdisable", "Paused")

    def new_pdf(self, before):
        """The one PDF the printer made since @before, once the job is done."""
        made = wait_for(lambda: not self.cups.jobs() and sorted(set(self.cups.pdfs()) - before),
                        timeout=60, what="the printed PDF")
        self.assertEqual(len(made), 1, made)
        return made[0]

    def intake(self, app):
        """A certified copy taken without a card, up to the receipt step."""
        app.manual_intake()
        app.certified_copy(pages="1", copies="2")
        app.photograph_original()
        app.ui("intake.next")  # no fingerprint
        app.wait_step("consent")
        app.consent("personal-data")
        app.ui("intake.save")
        app.wait_step("receipt", timeout=60)
        return app.queue()[0]["id"]

    def set_printer(self, app, name):
        app.navigate("settings")
        app.type("settings-printer", name)
        app.navigate("intake")

    def set_second_copy(self, app, on):
        """The settings switch, turned and seen turned before going on."""
        app.navigate("settings")
        wait_for(lambda: app.widget("settings-second-copy"), what="the second copy switch")
        if app.widget("settings-second-copy")["active"] != on:
            app.click("settings-second-copy")
        wait_for(lambda: app.widget("settings-second-copy")["active"] == on,
                 what="the second copy switch %s" % ("on" if on else "off"))

    def test_print_from_receipt_queue_and_handover(self):
        server = Server()
        self.addCleanup(server.close)
        with App(env=self.cups.env({})) as app:
            app.set_up(server)
            app.start_visit()
            # A stopped printer: the officer is told why, and where to
            # print the receipt later.
            self.set_printer(app, "Paused")
            dossier = self.intake(app)
            app.ui("intake.print-receipt")
            message = app.wait_text("intake-receipt-message", lambda t: "Chưa in" in t)
            self.assertIn("“Paused” đang dừng", message)
            self.assertIn("Gửi hồ sơ", message)
            self.assertEqual(self.cups.jobs(), [])
            app.screenshot("receipt-01-printer-stopped-800x480")

            # The default printer prints it: a 58 mm roll.
            self.set_printer(app, "")
            before = set(self.cups.pdfs())
            app.ui("intake.print-receipt")
            app.wait_text("intake-receipt-message", lambda t: "Đã in giấy biên nhận trên máy "
                          "Receipts" in t, timeout=60)
            app.screenshot("receipt-02-printed-800x480")
            pdf = self.new_pdf(before)
            pages, width = pdf_pages(pdf)
            self.assertEqual(pages, 1)
            self.assertAlmostEqual(width, 58, delta=0.5)
            png = os.path.join(SCREENSHOTS, "receipt-03-app-printed-58mm")
            subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", pdf, png], check=True)
            decoded = subprocess.run([CTL, "qr", "decode", png + ".png"], capture_output=True,
                                     text=True)
            self.assertEqual(decoded.stdout.strip(), dossier, decoded.stderr)

            # From the queue, with the second copy for the dossier, on A5.
            self.set_second_copy(app, True)
            app.screenshot("receipt-04-settings-800x480")
            app.navigate("queue")
            wait_for(lambda: app.widget("print-" + dossier), what="the print button")
            app.screenshot("receipt-05-queue-800x480")
            before = set(self.cups.pdfs())
            app.ui("queue.print-receipt", app.variant("s", dossier))
            pages, width = pdf_pages(self.new_pdf(before))
            self.assertEqual(pages, 2)

            # At the handover, for a citizen who lost it.
            self.set_second_copy(app, False)
            app.navigate("handover")
            app.type("handover-query", "lo van pa")
            app.ui("handover.find")
            wait_for(lambda: app.widget("result-" + dossier), what="the citizen's dossier")
            app.ui("handover.pick", app.variant("s", dossier))
            before = set(self.cups.pdfs())
            app.ui("handover.print-receipt")
            app.wait_text("handover-message", lambda t: "Đã in giấy biên nhận" in t, timeout=60)
            app.screenshot("receipt-06-handover-800x480")
            pages, width = pdf_pages(self.new_pdf(before))
            self.assertEqual(pages, 1)


if __name__ == "__main__":
    unittest.main()
