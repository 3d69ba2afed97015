#!/usr/bin/python3
# The office in a real browser: Debian's chromium, headless, driven by
# chromium-driver and python3-selenium, against the real fieldkit-server
# with a dossier a real `fieldkit-ctl sync` delivered. A receiver logs in,
# finds the dossier, opens it, sees its photo (large too), records "ready";
# the device's `fieldkit-ctl pull` gets the result; a receiver of another
# commune cannot open it; logout. At 1366×768 and on a tablet, in
# Vietnamese and in English, with no error in the browser's console (a
# Content-Security-Policy violation would be one). Screenshots of each page
# go to $FK_BUILD_ROOT/screenshots/office-*.png, beside the app's.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fkserver  # noqa: E402
from fkoffice import OfficeDevice, PASSWORD, add_user  # noqa: E402
from fkserver import BUILD, CTL, SOURCE, Server, run  # noqa: E402

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
    from selenium.common.exceptions import (NoSuchElementException,
                                            StaleElementReferenceException)
except ImportError:  # pragma: no cover - the test is skipped
    webdriver = None

CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = os.path.join(BUILD, "screenshots")
NAME = "Nguyễn Thị Hoà Bình"
PHOTO = os.path.join(SOURCE, "tests", "data", "qr", "hard-067.jpg")
FINGER = os.path.join(SOURCE, "tests", "data", "fingerprints", "whorl.png")


def browser_available():
    return (webdriver is not None and os.access(CHROMEDRIVER, os.X_OK)
            and os.access(CHROMIUM, os.X_OK))


@unittest.skipUnless(browser_available(), "needs chromium, chromium-driver and python3-selenium")
class Browser(unittest.TestCase):
    def setUp(self):
        self.tmp = fkserver.temp_dir()
        self.server = Server(self.tmp.name, "--log-requests=false", "--address-rate-limit=0")
        add_user(self.server.db, "tiepnhan", "receiver", "01864")
        add_user(self.server.db, "tiepnhan.badinh", "receiver", "00004")
        add_user(self.server.db, "giamsat", "supervisor")
        add_user(self.server.db, "quantri", "admin")
        self.device = OfficeDevice(self.tmp.name, self.server, "tablet-07", "01864")
        self.dossier = self.device.intake(NAME, photo=PHOTO, fingerprint=FINGER)
        self.assertEqual(self.device.sync()["delivered"], 1)
        self.profile = tempfile.mkdtemp(prefix="fk-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--lang=vi",
                    "--window-size=1366,768", "--user-data-dir=" + self.profile,
                    "--no-first-run", "--disable-extensions", "--disable-dev-shm-usage"):
            options.add_argument(arg)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(60)
        self.url = self.server.url.rstrip("/")

    def tearDown(self):
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)
        self.server.stop()
        self.tmp.cleanup()

    def shot(self, name):
        """The whole page, at the window's width."""
        os.makedirs(SCREENSHOTS, exist_ok=True)
        path = os.path.join(SCREENSHOTS, "office-%s.png" % name)
        size = self.driver.get_window_size()
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(size["width"], max(size["height"], height + 140))
        self.assertTrue(self.driver.save_screenshot(path))
        self.driver.set_window_size(size["width"], size["height"])
        with open(path, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def wait(self, condition, timeout=30):
        # A form's submit navigates: the body read by the condition may
        # belong to the page being left, so a stale element means "not yet".
        return WebDriverWait(self.driver, timeout, ignored_exceptions=(
            StaleElementReferenceException, NoSuchElementException)).until(condition)

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "body").text

    def console_errors(self):
        return [e for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]

    def fits_width(self):
        return self.driver.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth + 1")

    def login(self, name):
        self.driver.get(self.url + "/office/")
        self.wait(EC.presence_of_element_located((By.ID, "name")))
        self.assertIn("/office/login", self.driver.current_url)
        self.driver.find_element(By.ID, "name").send_keys(name)
        self.driver.find_element(By.ID, "password").send_keys(PASSWORD)
        self.driver.find_element(By.CSS_SELECTOR, "section.login button[type=submit]").click()
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "form.logout")))

    def logout(self):
        self.driver.find_element(By.CSS_SELECTOR, "form.logout button").click()
        self.wait(EC.presence_of_element_located((By.ID, "name")))

    def test_receive_open_record_logout(self):
        d = self.driver
        d.get(self.url + "/office/")
        self.wait(EC.presence_of_element_located((By.ID, "name")))
        self.assertEqual(d.find_element(By.TAG_NAME, "html").get_attribute("lang"), "vi")
        self.shot("login")
        self.login("tiepnhan")
        # The inbox, then a search by name without accents.
        self.assertIn("/office/inbox", d.current_url)
        self.assertIn("Hồ sơ đã nhận", self.text())
        self.assertIn(NAME, self.text())
        self.assertTrue(self.fits_width())
        self.shot("inbox")
        d.find_element(By.ID, "f-name").send_keys("nguyen hoa")
        d.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
        self.wait(EC.url_contains("name=nguyen"))
        link = d.find_element(By.LINK_TEXT, NAME)
        link.click()
        # The dossier, with its photo drawn.
        self.wait(EC.url_contains("/office/dossier/" + self.dossier))
        self.assertIn("Lò Văn Khánh", self.text())
        self.assertIn("Thôn Nà Phặc", self.text())
        photos = d.find_elements(By.CSS_SELECTOR, ".photos img")
        self.assertEqual(len(photos), 2)
        self.wait(lambda drv: all(drv.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth > 0", img)
            for img in photos))
        self.assertTrue(self.fits_width())
        self.shot("dossier")
        photos[0].click()
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "img.large")))
        large = d.find_element(By.CSS_SELECTOR, "img.large")
        self.wait(lambda drv: drv.execute_script("return arguments[0].naturalWidth > 0", large))
        self.shot("photo")
        d.find_element(By.LINK_TEXT, "Về hồ sơ").click()
        # Record "ready".
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "section.result")))
        d.find_element(By.CSS_SELECTOR, "input[name=result][value=ready]").click()
        d.find_element(By.ID, "note").send_keys("Giấy khai sinh đã ký, mời nhận")
        d.find_element(By.CSS_SELECTOR, "section.result button[type=submit]").click()
        self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "h1 + p .badge"),
                                                   "Có kết quả"))
        self.shot("result")
        # The device pulls it.
        pulled = self.device.pull()
        self.assertEqual([(r["dossier"], r["status"], r["note"]) for r in pulled["results"]],
                         [(self.dossier, "ready", "Giấy khai sinh đã ký, mời nhận")])
        # Tablet, portrait: one column, nothing cut off sideways.
        d.set_window_size(800, 1280)
        d.get(self.url + "/office/inbox")
        self.assertTrue(self.fits_width())
        self.shot("inbox-tablet")
        d.set_window_size(1366, 768)
        # English on request.
        d.find_element(By.CSS_SELECTOR, "a.lang").click()
        self.wait(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Dossiers received"))
        self.shot("inbox-en")
        d.find_element(By.CSS_SELECTOR, "a.lang").click()
        self.wait(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Hồ sơ đã nhận"))
        self.logout()
        self.assertIn("Bạn đã đăng xuất", self.text())
        self.shot("logged-out")
        self.assertEqual(self.console_errors(), [])

    def test_other_commune_cannot_open(self):
        self.login("tiepnhan.badinh")
        self.assertNotIn(NAME, self.text())
        self.driver.get(self.url + "/office/dossier/" + self.dossier)
        self.assertIn("thuộc xã khác", self.text())
        self.assertNotIn(NAME, self.text())
        self.shot("refused")
        self.driver.get(self.url + "/office/dossier/%s/photo/0" % self.dossier)
        self.assertIn("thuộc xã khác", self.text())
        self.logout()

    def test_supervisor_reports_and_audit(self):
        for outcome in ("success", "success", "no-nfc"):
            r = run(CTL, "--data", self.device.dir, "vneid", outcome, "--date", "2026-12-01",
                    "--commune", "01864", "--hamlet", "Thôn Nà Phặc")
            self.assertEqual(r.returncode, 0, r.stderr)
        self.device.pull()
        self.login("giamsat")
        self.driver.get(self.url + "/office/reports?from=2026-11-01&to=2026-12-31&by=month")
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "svg.chart rect")))
        self.assertIn("1 hồ sơ, 3 lượt hỗ trợ VNeID", self.text())
        bars = self.driver.find_elements(By.CSS_SELECTOR, "svg.chart rect")
        self.assertTrue(any(b.size["width"] > 100 for b in bars))
        self.assertTrue(self.fits_width())
        self.shot("reports")
        self.driver.get(self.url + "/office/dossier/" + self.dossier)
        self.driver.get(self.url + "/office/audit")
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "table.audit")))
        self.assertIn("Mở hồ sơ", self.text())
        self.shot("audit")
        self.assertEqual(self.console_errors(), [])
        self.logout()

    def test_admin_catalog_accounts_devices(self):
        with open(os.path.join(SOURCE, "assets", "data", "catalog.json"), encoding="utf-8") as f:
            catalog = json.load(f)
        catalog["version"] += ".1"
        catalog["procedures"].pop()
        path = os.path.join(self.tmp.name, "catalog-new.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(catalog, f, ensure_ascii=False)
        self.login("quantri")
        self.driver.get(self.url + "/office/catalog")
        # office.js puts the chosen file's text in the box.
        self.driver.find_element(By.ID, "catalog-file").send_keys(path)
        self.wait(lambda drv: drv.find_element(By.ID, "catalog").get_attribute("value")
                  .startswith("{"))
        self.shot("catalog")
        self.driver.find_element(By.CSS_SELECTOR, "form button[type=submit].primary").click()
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "h3.del")))
        self.assertIn("Bỏ thủ tục", self.text())
        self.shot("catalog-check")
        self.driver.get(self.url + "/office/users")
        self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "table.users")))
        self.assertIn("giamsat", self.text())
        self.assertTrue(self.fits_width())
        self.shot("users")
        self.driver.get(self.url + "/office/devices")
        self.wait(EC.presence_of_element_located((By.TAG_NAME, "h1")))
        self.assertIn("tablet-07", self.text())
        self.shot("devices")
        # A device enrolled from a picture of its QR code, chosen in the
        # file input as a phone's camera would give it.
        data = os.path.join(self.tmp.name, "device-qr")
        r = run(CTL, "--data", data, "init", "--server-key",
                os.path.join(self.server.keys, "server.pub"), "--kdf-passes", "1",
                "--kdf-memory", "0")
        self.assertEqual(r.returncode, 0, r.stderr)
        key = run(CTL, "--data", data, "device-key", pin=None).stdout.strip()
        photo = os.path.join(self.tmp.name, "key.png")
        self.assertEqual(run("qrencode", "-s", "6", "-o", photo, key, pin=None).returncode, 0)
        self.driver.find_element(By.ID, "keyphoto").send_keys(photo)
        self.driver.find_element(By.ID, "dname").send_keys("tablet-21")
        self.driver.find_element(By.ID, "commune").send_keys("01864")
        self.driver.find_element(By.CSS_SELECTOR, "#keyphoto ~ button.primary").click()
        self.wait(lambda drv: "tablet-21" in self.text())
        self.assertIn(key, self.text())
        self.shot("devices-enrolled-from-qr")
        self.assertEqual(self.console_errors(), [])
        self.logout()


if __name__ == "__main__":
    unittest.main(verbosity=2)
