#!/usr/bin/python3
# fieldkit-ctl receipt: the citizen's receipt as a PDF on each paper, read
# back with poppler's tools (page size, text layer, pages as images), its
# QR code decoded through our own scanner (fieldkit-ctl qr decode), the
# Vietnamese read by OCR at a thermal printer's 203 dpi; no personal data.
# The pages go to $FK_BUILD_ROOT/screenshots/ beside the app's.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.environ["FK_SOURCE_ROOT"], "tests", "tools"))
import fk_ocr  # noqa: E402

BUILD = os.environ["FK_BUILD_ROOT"]
CTL = os.path.join(BUILD, "cli", "fieldkit-ctl")
SCREENSHOTS = os.path.join(BUILD, "screenshots")
PIN = "2580"
CITIZEN = {"id_number": "011195866217", "full_name": "Phạm Minh Nga",
           "birth_date": "1995-10-24", "sex": "female", "address": "Thôn Nà Hẩu, xã Bằng Thành"}
PERSONAL = ["011195866217", "Phạm Minh Nga", "PHẠM MINH NGA", "24/10/1995", "1995-10-24",
            "Nà Hẩu", "Bằng Thành", "Lò Văn Khánh"]
FIELDS = {"child_name": "Lò Văn Khánh", "child_birth_date": "2026-11-20", "child_sex": "male",
          "child_birth_place": "Trạm y tế xã Ba Đình", "child_ethnicity": "Tày",
          "child_nationality": "Việt Nam", "submitter_relation": "mother"}
# Page widths (and heights of sheets) in millimetres.
PAPERS = {"58mm": (58, None), "80mm": (80, None), "a5": (148, 210), "a4": (210, 297)}

for tool in ("pdfinfo", "pdftotext", "pdftoppm", "tesseract"):
    if shutil.which(tool) is None:
        print("SKIP: %s is not installed (scripts/ensure-deps installs it)" % tool)
        sys.exit(77)


def run(*args, pin=PIN, check=False):
    env = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="vi", TZ="Asia/Ho_Chi_Minh")
    env.pop("FIELDKIT_PIN", None)
    if pin is not None:
        env["FIELDKIT_PIN"] = pin
    r = subprocess.run([CTL, *args], capture_output=True, text=True, env=env,
                       stdin=subprocess.DEVNULL, timeout=60)
    if check and r.returncode != 0:
        raise AssertionError("fieldkit-ctl %s: %s" % (" ".join(args), r.stderr))
    return r


def page_size_mm(pdf):
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return float(m.group(1)) * 25.4 / 72, float(m.group(2)) * 25.4 / 72, pages


class Receipt(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = cls.tmp.name
        cls.data = os.path.join(cls.dir, "data")
        key = os.path.join(cls.dir, "server.pub")
        with open(key, "w") as f:
            f.write(base64.b64encode(os.urandom(32)).decode() + "\n")
        run("--data", cls.data, "init", "--server-key", key, "--kdf-passes", "1",
            "--kdf-memory", "0", check=True)
        # Tuesday 1 December 2026 in Bản Nà Lầu, xã Ba Đình (Thanh Hoá);
        # the team is planned back on Thursday 10 December.
        visit = run("--data", cls.data, "visit", "add", "--date", "2026-12-01", "--commune",
                    "16171", "--hamlet", "Bản Nà Lầu", "--team", "Lò Thị Mai", "--team",
                    "Hà Văn Tuấn", check=True).stdout.strip()
        run("--data", cls.data, "visit", "add", "--date", "2026-12-10", "--commune", "16171",
            "--hamlet", "Ban Na Lau", check=True)
        for i in range(2):
            with open(os.path.join(cls.dir, "p%d.jpg" % i), "wb") as f:
                f.write(b"JPEG-DOC-%d" % i + os.urandom(4000))
        dossier = {"procedure": "birth-registration", "visit_id": visit,
                   "created": "2026-12-01T09:41:00+07:00", "citizen": CITIZEN, "fields": FIELDS,
                   "attachments": [{"kind": "document", "path": "p0.jpg",
                                    "document": "birth-certificate"},
                                   {"kind": "document", "path": "p1.jpg",
                                    "document": "applicant-id"}]}
        path = os.path.join(cls.dir, "d.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(dossier, f, ensure_ascii=False)
        cls.id = run("--data", cls.data, "intake", "add", "--json", path,
                     check=True).stdout.split()[-1]
        cls.number = cls.id[:8].upper()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def receipt(self, paper, name=None):
        pdf = os.path.join(self.dir, "receipt-%s.pdf" % paper)
        r = run("--data", self.data, "receipt", name or self.id, "--pdf", pdf, "--paper", paper)
        self.assertEqual(r.returncode, 0, r.stderr)
        return pdf

    def test_papers(self):
        os.makedirs(SCREENSHOTS, exist_ok=True)
        for paper, (width, height) in PAPERS.items():
            with self.subTest(paper=paper):
                pdf = self.receipt(paper)
                w, h, pages = page_size_mm(pdf)
                self.assertEqual(pages, 1)
                self.assertAlmostEqual(w, width, delta=0.1)
                if height is None:
                    # A roll is cut after the receipt: longer than wide, not a sheet.
                    self.assertGreater(h, 100)
                    self.assertLess(h, 400)
                else:
                    self.assertAlmostEqual(h, height, delta=0.1)

                text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True,
                                      text=True, check=True).stdout
                flat = " ".join(text.split())
                for expected in (self.number, "GIẤY BIÊN NHẬN HỒ SƠ", "Đăng ký khai sinh",
                                 "Trung tâm Phục vụ hành chính công xã Ba Đình",
                                 "Bản Nà Lầu", "Lò Thị Mai", "Giấy chứng sinh",
                                 "Căn cước/CCCD của người nộp",
                                 # One working day after Tuesday 1 December.
                                 "Thứ Tư, 02/12/2026",
                                 # The next visit planned to the hamlet.
                                 "Thứ Năm, 10/12/2026", "Cán bộ tiếp nhận"):
                    self.assertIn(expected, flat)
                for personal in PERSONAL:
                    self.assertNotIn(personal, flat)

                # The page as a picture, as the screenshots show it; its QR
                # code read back by our scanner gives the dossier's UUID.
                png = os.path.join(SCREENSHOTS, "receipt-%s" % paper)
                subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", pdf, png],
                               check=True)
                decoded = run("qr", "decode", png + ".png", pin=None)
                self.assertEqual(decoded.returncode, 0, decoded.stderr)
                self.assertEqual(decoded.stdout.strip(), self.id)

    def test_legible_on_58mm_thermal(self):
        # A thermal head prints 203 dots per inch in black and white.
        pdf = self.receipt("58mm")
        pbm = fk_ocr.render_thermal(pdf, os.path.join(self.dir, "thermal"))
        flat = fk_ocr.text(pbm)
        for expected in ("GIẤY BIÊN NHẬN", "Đăng ký khai sinh",
                         "Ngày hẹn trả kết quả", "Thứ Tư, 02/12/2026", "Bản Nà Lầu"):
            self.assertIn(expected, flat)
        self.assertTrue(fk_ocr.number_legible(pbm, self.number),
                        "the number %s is not legible at 203 dpi: %r"
                        % (self.number, fk_ocr.number_words(pbm)))

    def test_number_and_errors(self):
        # The number on the receipt names the dossier, in either case.
        self.receipt("80mm", name=self.number.lower())
        r = run("--data", self.data, "receipt", "0123abcd", "--pdf", "x.pdf")
        self.assertEqual(r.returncode, 1)
        self.assertIn("Không có hồ sơ 0123abcd", r.stderr)
        r = run("--data", self.data, "receipt", self.id, "--pdf", "x.pdf", "--paper", "letter")
        self.assertEqual(r.returncode, 2)
        self.assertIn("letter", r.stderr)
        r = run("--data", self.data, "receipt", self.id)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--pdf", r.stderr)
        missing = os.path.join(self.dir, "no-such-dir", "r.pdf")
        r = run("--data", self.data, "receipt", self.id, "--pdf", missing)
        self.assertEqual(r.returncode, 1)
        self.assertIn("Không ghi được giấy biên nhận ra " + missing, r.stderr)
        self.assertFalse(os.path.exists(missing))
        r = run("--data", self.data, "receipt", self.id, "--pdf", "x.pdf", pin="0000")
        self.assertEqual(r.returncode, 1)
        self.assertFalse(os.path.exists("x.pdf"))

    def test_visits_listed(self):
        visits = json.loads(run("--data", self.data, "visit", "list", "--json",
                                check=True).stdout)
        self.assertEqual([v["date"] for v in visits], ["2026-12-01", "2026-12-10"])
        r = run("--data", self.data, "visit", "add", "--date", "2026-02-30", "--commune", "16171",
                "--hamlet", "X")
        self.assertEqual(r.returncode, 2)
        self.assertIn("visit.date", r.stderr)


if __name__ == "__main__":
    unittest.main()
