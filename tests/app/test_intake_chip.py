"""The intake through the card's chip: the simulated camera shows the card's
QR code, the real pcscd with vsmartcard's vpcd reader holds our card
emulator (tests/tools/fk_chip_card.py) with a chip signed by a test CSCA.

Read and verified, the identity and the form's fields proposed and taken,
the dossier sealed with them and the portrait; then a wrong CSCA (not
verified), a data group altered after signing (forged, refused), the card
lifted mid-read (nothing filled), a chip that disagrees with the QR code
(warning), a card whose expiry is not one of the predicted ones (typed in).
pcscd runs as root on one fixed socket: one test at a time (meson:
is_parallel false)."""
import json
import os
import sys
import tempfile
import unittest

from fkui import App, Server, ctl, wait_for

SRC = os.environ["FK_SOURCE_ROOT"]
sys.path.insert(0, os.path.join(SRC, "tests", "tools"))
import fk_chip_harness  # noqa: E402
import fk_pcscd  # noqa: E402

if fk_pcscd.cannot_run():
    print("SKIP: " + fk_pcscd.cannot_run())
    sys.exit(77)

CARD = os.path.join(SRC, "tests", "data", "qr", "easy-001.png")

# The citizen of the card's QR code (easy-001.png), and her chip.
NGA = {
    "id": "011195866217", "birth": "1995-10-24", "issued": "2021-08-21",
    "expiry": "2035-10-24", "sex_mrz": "F", "name_mrz": "PHAM<<MINH<NGA",
    "dg13": {
        "full_name": "Phạm Minh Nga", "sex": "Nữ", "nationality": "Việt Nam",
        "ethnicity": "Mông", "religion": "Tin Lành",
        "place_of_origin": "Xã Tà Xùa, Huyện Bắc Yên, Sơn La",
        "place_of_residence": "Thôn Nà Hẩu, Xã Tà Xùa, Huyện Mù Cang Chải, Điện Biên",
        "identification_marks": "Sẹo chấm C:1cm trên đuôi mắt trái",
        "father_name": "Phạm Văn Sử", "mother_name": "Giàng Thị Mai",
        "old_id_number": "040123456",
    },
}


def variant(card, **dg13):
    out = json.loads(json.dumps(card))
    out["dg13"].update(dg13)
    return out


class ChipIntakeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="fk-chip-ui-")
        cls.pki = fk_chip_harness.make_pki(cls.tmp)
        cls.jpeg, cls.jp2 = fk_chip_harness.make_portraits(cls.tmp)
        cls.pcscd = fk_pcscd.PcscdWithVpcd(cls.tmp).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.pcscd.__exit__(None, None, None)

    def card(self, card=NGA, **kw):
        """Puts a card on the reader until the test ends or takes it off."""
        kw.setdefault("portrait", self.jpeg)
        emu = fk_chip_harness.Emulator(self.pcscd, self.pki, card, kw.pop("portrait"), self.tmp,
                                       **kw)
        self.addCleanup(lambda: emu.proc.poll() is None and emu.close())
        return emu

    def start(self, trust, log=None):
        server = Server()
        self.addCleanup(server.close)
        app = App(env={"FIELDKIT_SIM_CAMERA": CARD, "G_MESSAGES_DEBUG": "all"}, log=log)
        self.addCleanup(app.close)
        app.set_up(server)
        app.start_visit()
        # The CSCA trust folder, as the officer sets it.
        app.navigate("settings")
        app.type("settings-csca-folder", os.path.join(self.pki, trust))
        self.assertEqual(app.text("settings-csca-folder"), os.path.join(self.pki, trust))
        return app

    def badge(self, app, predicate):
        return app.wait_text("intake-chip-badge", predicate, timeout=60)

    def test_chip_read_and_sealed(self):
        log = os.path.join(self.tmp, "app.log")
        app = self.start("trust", log=log)
        emu = self.card()
        app.navigate("intake")

        # QR code, then the chip step: read at once, verified.
        app.wait_step("chip")
        self.assertIn("Chạm thẻ vào đầu đọc", app.text("intake-step-title"))
        self.assertIn("Đã xác thực", self.badge(app, bool))
        self.assertIn("Đọc xong", app.text("intake-chip-message"))
        self.assertTrue(app.widget("intake-chip-portrait")["has_image"])
        self.assertFalse(app.widget("intake-chip-warning")["visible"])
        self.assertEqual(app.widget("chip-full_name")["subtitle"], "Phạm Minh Nga")
        self.assertEqual(app.widget("chip-birth_date")["subtitle"], "24/10/1995")
        self.assertEqual(app.widget("chip-old_id")["subtitle"], "040123456")
        # Sensitive data are not shown before a form asks for them.
        shown = json.dumps(app.state(), ensure_ascii=False)
        self.assertNotIn("Mông", shown)
        self.assertNotIn("Tin Lành", shown)
        self.assertEqual(emu.read_stats()["bac_failures"], 0)
        app.screenshot("intake-chip-01-verified-800x480")
        app.resize(1280, 800)
        app.screenshot("intake-chip-01-verified-1280x800")
        app.resize(800, 480)

        # Taken: the identity shows the chip's, the old ID the QR code lacked.
        app.ui("intake.chip-accept")
        app.wait_step("identity")
        self.assertEqual(app.text("intake-name"), "Phạm Minh Nga")
        self.assertIn("chip", app.text("intake-identity-message"))
        # the portrait beside the citizen for a face check
        self.assertTrue(app.widget("intake-identity-portrait")["has_image"])
        app.screenshot("intake-chip-02-identity-800x480")
        app.type("intake-phone", "0912345678")
        app.ui("intake.next")
        app.wait_step("procedure")

        # A form that asks for the ethnicity and the parents: proposed, then taken.
        app.ui("intake.pick-procedure", app.variant("s", "birth-re-registration"))
        app.wait_step("form")
        proposal = app.wait_text("intake-form-chip-values", bool)
        for value in ("Mông", "Phạm Văn Sử", "Giàng Thị Mai", "Xã Tà Xùa, Huyện Bắc Yên, Sơn La"):
            self.assertIn(value, proposal)
        self.assertNotIn("Tin Lành", proposal)  # the form does not ask for the religion
        self.assertEqual(app.text("field-ethnicity"), "")  # never filled in unseen
        app.screenshot("intake-chip-03-form-proposed-800x480")
        app.ui("intake.chip-fill")
        app.wait_text("field-ethnicity", lambda t: t == "Mông")
        self.assertEqual(app.text("field-father_name"), "Phạm Văn Sử")
        self.assertEqual(app.text("field-birth_date"), "24/10/1995")
        self.assertEqual(app.widget("field-sex")["text"], "Nữ")
        self.assertFalse(app.widget("intake-form-chip")["visible"])
        self.assertIn("chip", app.text("intake-form-message"))
        app.type("field-birth_place", "Trạm y tế xã Tà Xùa")
        app.type("field-previous_registration_place", "UBND xã Tà Xùa")
        app.select("field-submitter_relation", "Chính người được đăng ký lại khai sinh")
        app.click("field-pledge")
        app.screenshot("intake-chip-04-form-filled-800x480")
        app.ui("intake.next")
        app.wait_step("photos")
        wait_for(lambda: app.widget("intake-photo-preview")["has_image"], what="the preview")
        for document in ("birth-evidence", "applicant-id"):
            app.ui("intake.take-photo", app.variant("s", document))
            wait_for(lambda: not app.state()["widgets"].get("intake-photo-message", {}).get(
                "text", "").startswith("Đang"), what="the photo checked")
        app.ui("intake.next")
        app.wait_step("fingerprint")
        app.ui("intake.next")
        app.wait_step("consent")
        app.ui("intake.consent", app.variant("(sb)", ("personal-data", True)))
        app.ui("intake.consent", app.variant("(sb)", ("id-card-image", True)))
        app.ui("intake.next")
        app.wait_step("review")
        self.assertIn("Chip của thẻ: đã xác thực; giữ ảnh chân dung", app.text("intake-review"))
        app.ui("intake.save")
        app.wait_step("receipt", timeout=60)

        # The sealed dossier holds what was taken, the portrait, and no religion.
        entries = [d for d in app.queue() if d["state"] == "queued"]
        self.assertEqual(len(entries), 1, entries)
        dossier = json.loads(ctl(app.data_dir, "dossier", "show", entries[0]["id"]))
        self.assertEqual(dossier["procedure"], "birth-re-registration")
        fields = dossier["fields"]
        self.assertEqual(fields["ethnicity"], "Mông")
        self.assertEqual(fields["father_name"], "Phạm Văn Sử")
        self.assertEqual(fields["mother_name"], "Giàng Thị Mai")
        self.assertEqual(fields["birth_date"], "1995-10-24")
        self.assertEqual(fields["sex"], "female")
        self.assertEqual(dossier["citizen"]["old_id"], "040123456")
        self.assertIn("portrait", [a["kind"] for a in dossier["attachments"]])
        self.assertNotIn("Tin Lành", json.dumps(dossier, ensure_ascii=False))
        app.close()
        # Nothing of the chip in what the app printed, debug messages included.
        with open(log, encoding="utf-8") as f:
            printed = f.read()
        self.assertIn("chip read: bac, verified", printed)
        for value in ("Mông", "Tin Lành", "Phạm Văn Sử", "040123456"):
            self.assertNotIn(value, printed)

    def test_chip_outcomes(self):
        app = self.start("wrong")
        emu = self.card()
        app.navigate("intake")

        # A CSCA that did not issue the signer: read, not verified, and why.
        app.wait_step("chip")
        badge = self.badge(app, lambda t: "Chưa xác thực" in t)
        self.assertIn("CSCA", badge)
        self.assertTrue(app.widget("intake-chip-accept")["visible"])
        app.screenshot("intake-chip-05-not-verified-800x480")
        emu.close()

        # A data group altered after signing: forged, nothing of it used.
        emu = self.card(extra=["--tamper"])
        app.ui("intake.chip-read")
        self.assertIn("giả mạo", self.badge(app, lambda t: "giả mạo" in t))
        self.assertFalse(app.widget("intake-chip-portrait")["visible"])
        self.assertFalse(app.widget("intake-chip-accept")["visible"])
        self.assertNotIn("chip-full_name", app.state()["widgets"])
        app.screenshot("intake-chip-06-forged-800x480")
        app.ui("intake.next")
        app.wait_step("identity")
        self.assertEqual(app.text("intake-name"), "Phạm Minh Nga")  # the QR code's
        app.ui("intake.previous")
        app.wait_step("chip")
        emu.close()

        # Lifted mid-read: said so, nothing filled in; put back, read.
        app.ui("intake.restart")
        emu = self.card(extra=["--remove-after", "12"])
        app.wait_step("chip")
        message = app.wait_text("intake-chip-message", lambda t: "Chưa đọc được chip" in t,
                                timeout=60)
        self.assertIn("nhấc khỏi đầu đọc", message)
        self.assertFalse(app.widget("intake-chip-badge")["visible"])
        self.assertFalse(app.widget("intake-chip-portrait")["visible"])
        self.assertFalse(app.widget("intake-chip-values")["visible"])
        app.screenshot("intake-chip-07-card-removed-800x480")
        emu.proc.wait(timeout=10)
        fk_pcscd.wait_card(present=False)
        emu = self.card()
        app.ui("intake.chip-read")
        self.badge(app, lambda t: "Chưa xác thực" in t)
        emu.close()

        # The chip and the QR code disagree (the ID's first digits, the
        # name; the last nine digits open the chip): a clear warning, the
        # officer decides.
        app.navigate("settings")
        app.type("settings-csca-folder", os.path.join(self.pki, "trust"))
        app.navigate("intake")
        other = variant(dict(NGA, id="001195866217"), full_name="Phạm Minh Ngà")
        emu = self.card(other)
        app.ui("intake.restart")
        app.wait_step("chip")
        self.badge(app, lambda t: "Đã xác thực" in t)
        warning = app.wait_text("intake-chip-warning", bool)
        self.assertIn("Số định danh", warning)
        self.assertIn("Họ và tên", warning)
        self.assertEqual(app.widget("chip-full_name")["subtitle"], "Phạm Minh Ngà")
        app.screenshot("intake-chip-08-mismatch-800x480")
        emu.close()

        # An expiry none of the milestones gives: refused after at most
        # four tries, then the officer types the one printed on the card.
        odd = dict(NGA, expiry="2030-01-01")
        emu = self.card(odd)
        app.ui("intake.restart")
        app.wait_step("chip")
        app.wait_text("intake-chip-message", lambda t: "ngày hết hạn" in t, timeout=60)
        self.assertTrue(app.widget("intake-chip-expiry")["visible"])
        self.assertLessEqual(emu.read_stats()["bac_failures"], 4)
        self.assertFalse(app.widget("intake-chip-badge")["visible"])
        app.type("intake-chip-expiry", "01/01/2030")
        app.screenshot("intake-chip-09-expiry-typed-800x480")
        failures = emu.read_stats()["bac_failures"]
        app.ui("intake.chip-read")
        self.badge(app, lambda t: "Đã xác thực" in t)
        self.assertEqual(emu.read_stats()["bac_failures"], failures)


if __name__ == "__main__":
    unittest.main()
