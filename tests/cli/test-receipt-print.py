#!/usr/bin/python3
# fieldkit-ctl receipt --print through a real CUPS scheduler of the test's
# own (tests/tools/fk_cups.py): the simulated printer is a cups-pdf queue,
# whose PDF is read back (page size, the QR code through our scanner, the
# text by OCR, without personal data); a printer that is missing, stopped,
# refusing jobs, out of paper or not answering, and no print service at
# all, each give their own clear message and leave no job behind.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import base64
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.environ["FK_SOURCE_ROOT"], "tests", "tools"))
import fk_cups  # noqa: E402
import fk_ocr  # noqa: E402

why = fk_cups.cannot_run()
if why:
    print("SKIP: " + why)
    sys.exit(77)

BUILD = os.environ["FK_BUILD_ROOT"]
CTL = os.path.join(BUILD, "cli", "fieldkit-ctl")
SCREENSHOTS = os.path.join(BUILD, "screenshots")
PIN = "2580"
CITIZEN = {"id_number": "011195866217", "full_name": "Phạm Minh Nga",
           "birth_date": "1995-10-24", "sex": "female", "address": "Thôn Nà Hẩu"}
PERSONAL = ["011195866217", "Phạm Minh Nga", "24/10/1995", "Nà Hẩu"]


class ReceiptPrint(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = cls.tmp.name
        cls.data = os.path.join(cls.dir, "data")
        key = os.path.join(cls.dir, "server.pub")
        with open(key, "w") as f:
            f.write(base64.b64encode(os.urandom(32)).decode() + "\n")
        cls.cups = fk_cups.Cups()
        cls.cups.add_pdf_queue("Receipts")
        cls.cups.lpadmin("-d", "Receipts")
        cls.cups.add_no_paper_queue("Empty")
        # A network printer that is off: nothing listens on the discard port.
        cls.cups.add_queue("Off", "socket://127.0.0.1:9")
        cls.cups.add_pdf_queue("Paused")
        cls.cups.tool("cupsdisable", "Paused")
        cls.cups.add_pdf_queue("Refusing")
        cls.cups.tool("cupsreject", "Refusing")
        cls.run_ctl("init", "--server-key", key, "--kdf-passes", "1", "--kdf-memory", "0")
        visit = cls.run_ctl("visit", "add", "--date", "2026-12-01", "--commune", "16171",
                            "--hamlet", "Bản Nà Lầu", "--team", "Lò Thị Mai").stdout.strip()
        with open(os.path.join(cls.dir, "p.jpg"), "wb") as f:
            f.write(b"JPEG" + os.urandom(4000))
        path = os.path.join(cls.dir, "d.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"procedure": "certified-copies", "visit_id": visit, "citizen": CITIZEN,
                       "created": "2026-12-01T09:41:00+07:00",
                       "fields": {"document_title": "Giấy khai sinh", "pages": 1, "copies": 2},
                       "attachments": [{"kind": "document", "path": "p.jpg",
                                        "document": "original-document"}]},
                      f, ensure_ascii=False)
        cls.id = cls.run_ctl("intake", "add", "--json", path).stdout.split()[-1]

    @classmethod
    def tearDownClass(cls):
        cls.cups.close()
        cls.tmp.cleanup()

    @classmethod
    def run_ctl(cls, *args, hw="sim", check=True, server=None):
        env = cls.cups.env(dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="vi", FIELDKIT_PIN=PIN,
                                FIELDKIT_HW=hw))
        if server is not None:
            env["CUPS_SERVER"] = server
        r = subprocess.run([CTL, "--data", cls.data, *args], capture_output=True, text=True,
                           env=env, stdin=subprocess.DEVNULL, timeout=120)
        if check and r.returncode != 0:
            raise AssertionError("fieldkit-ctl %s: %s" % (" ".join(args), r.stderr))
        return r

    def print_receipt(self, *args, hw="sim", server=None):
        return self.run_ctl("receipt", self.id, "--print", *args, hw=hw, check=False,
                            server=server)

    def assert_refused(self, r, *words):
        self.assertEqual(r.returncode, 1, r.stderr)
        for word in words:
            self.assertIn(word, r.stderr)
        # Nothing left to come out later, and nothing came out.
        self.assertEqual(self.cups.jobs(), [])

    def test_print_on_simulated_printer(self):
        before = set(self.cups.pdfs())
        r = self.print_receipt("--paper", "58mm")
        self.assertEqual(r.returncode, 0, r.stderr + self.cups.error_log())
        self.assertIn("Receipts", r.stderr)
        printed = sorted(set(self.cups.pdfs()) - before)
        self.assertEqual(len(printed), 1, printed)
        info = subprocess.run(["pdfinfo", printed[0]], capture_output=True, text=True,
                              check=True).stdout
        width = float(re.search(r"Page size:\s+([\d.]+) x", info).group(1)) * 25.4 / 72
        self.assertAlmostEqual(width, 58, delta=0.5)
        os.makedirs(SCREENSHOTS, exist_ok=True)
        png = os.path.join(SCREENSHOTS, "receipt-printed-58mm")
        subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", printed[0], png],
                       check=True)
        decoded = subprocess.run([CTL, "qr", "decode", png + ".png"], capture_output=True,
                                 text=True)
        self.assertEqual(decoded.stdout.strip(), self.id, decoded.stderr)
        # The print service's filters turn the text into outlines: what came
        # out is read as a person would, at the thermal head's 203 dpi.
        pbm = fk_ocr.render_thermal(printed[0], os.path.join(self.dir, "printed"))
        text = fk_ocr.text(pbm)
        self.assertTrue(fk_ocr.number_legible(pbm, self.id[:8].upper()),
                        fk_ocr.number_words(pbm))
        self.assertIn("Chứng thực bản sao từ bản chính", text)
        for personal in PERSONAL:
            self.assertNotIn(personal, text)
        # Named, the same printer prints whatever the backend.
        r = self.print_receipt("--printer", "Receipts", "--paper", "a5", hw="real")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_printer_missing(self):
        self.assert_refused(self.print_receipt("--printer", "Nowhere"), "“Nowhere”",
                            "Không có máy in")
        # Real hardware leaves the virtual cups-pdf queues out, simulated
        # hardware uses them only: a print service with only cups-pdf
        # queues has no real printer, one without them no simulated one.
        only_pdf = fk_cups.Cups()
        self.addCleanup(only_pdf.close)
        only_pdf.add_pdf_queue("Receipts")
        r = self.print_receipt(hw="real", server=only_pdf.socket)
        self.assertEqual(r.returncode, 1)
        self.assertIn("Chưa có máy in nào", r.stderr)
        no_pdf = fk_cups.Cups()
        self.addCleanup(no_pdf.close)
        no_pdf.add_queue("Off", "socket://127.0.0.1:9")
        r = self.print_receipt(server=no_pdf.socket)
        self.assertEqual(r.returncode, 1)
        self.assertIn("Chưa có máy in mô phỏng", r.stderr)

    def test_printer_stopped(self):
        self.assert_refused(self.print_receipt("--printer", "Paused"), "“Paused”", "đang dừng")
        self.assert_refused(self.print_receipt("--printer", "Refusing"), "“Refusing”",
                            "đang dừng")

    def test_out_of_paper(self):
        self.assert_refused(self.print_receipt("--printer", "Empty"), "“Empty”", "hết giấy")

    def test_printer_off(self):
        self.assert_refused(self.print_receipt("--printer", "Off", "--timeout", "3"), "“Off”",
                            "3 giây")

    def test_no_print_service(self):
        r = self.print_receipt(server=os.path.join(self.dir, "no-cupsd.sock"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("CUPS", r.stderr)

    def test_usage(self):
        r = self.run_ctl("receipt", self.id, "--print", "--pdf", "x.pdf", check=False)
        self.assertEqual(r.returncode, 2)
        r = self.run_ctl("receipt", self.id, "--pdf", "x.pdf", "--printer", "Receipts",
                         check=False)
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    unittest.main()
