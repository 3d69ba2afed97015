"""A full intake: the simulated camera shows a card, the virtual reader a
finger; the dossier ends sealed in the queue."""
import os
import unittest

from fkui import SCREENSHOTS, App, Server, wait_for

SRC = os.environ["FK_SOURCE_ROOT"]
CARD = os.path.join(SRC, "tests", "data", "qr", "easy-001.png")
FINGER = os.path.join(SRC, "tests", "data", "fingerprints", "whorl.png")


class IntakeTest(unittest.TestCase):
    def test_full_intake(self):
        server = Server()
        self.addCleanup(server.close)
        server.serve()
        env = {"FIELDKIT_SIM_CAMERA": CARD, "FIELDKIT_SIM_FINGERPRINT": FINGER}
        with App(env=env) as app:
            app.set_up(server)
            key = app.ctl("device-key").strip()
            commune = app.start_visit()
            server.enroll(key, commune)
            app.navigate("intake")
            shot = 1

            def snap(name):
                nonlocal shot
                app.screenshot("intake-%02d-%s-800x480" % (shot, name))
                shot += 1

            # The card's QR code is read from the live preview.
            app.wait_step("identity")
            self.assertEqual(app.text("intake-id"), "011195866217")
            self.assertEqual(app.text("intake-name"), "Phạm Minh Nga")
            self.assertEqual(app.text("intake-birth"), "24/10/1995")
            snap("identity-from-card")

            # A broken ID number is refused with the reason.
            app.type("intake-id", "0111958662")
            app.ui("intake.next")
            self.assertIn("12", app.wait_text("intake-identity-message", lambda t: "sửa" in t))
            snap("identity-error")
            app.type("intake-id", "011195866217")
            app.type("intake-phone", "0912345678")
            app.ui("intake.next")
            app.wait_step("procedure")
            snap("procedure")

            # Killed right after the identity step, before any procedure:
            # the identity is in a draft already and comes back.
            app.wait_text("intake-draft", lambda t: "Đã lưu" in t)
            drafts = [d for d in app.queue() if d["state"] == "draft"]
            self.assertEqual(len(drafts), 1, drafts)
            self.assertEqual(drafts[0]["procedure"], "")
            app.crash()
            app = App(data_dir=app.data_dir, env=env)
            app.wait_page("unlock")
            app.enter_pin("2468")
            app.wait_page("home")
            app.navigate("intake")
            app.wait_step("procedure")
            app.ui("intake.previous")
            app.wait_step("identity")
            self.assertEqual(app.text("intake-id"), "011195866217")
            self.assertEqual(app.text("intake-name"), "Phạm Minh Nga")
            self.assertEqual(app.text("intake-phone"), "0912345678")
            snap("identity-resumed-after-crash")
            self.assertEqual([d["id"] for d in app.queue()], [drafts[0]["id"]])
            app.ui("intake.next")
            app.wait_step("procedure")
            app.type("intake-procedure-search", "chung thuc")
            wait_for(lambda: "procedure-certified-copies" in app.state()["widgets"]
                     and "procedure-birth-registration" not in app.state()["widgets"],
                     what="accent-insensitive procedure search")
            app.ui("intake.pick-procedure", app.variant("s", "certified-copies"))
            app.wait_step("form")

            # Required fields are named when missing.
            app.ui("intake.next")
            app.wait_text("intake-form-message", bool)
            snap("form-error")
            app.type("field-document_title", "Giấy khai sinh")
            app.type("field-pages", "2")
            app.type("field-copies", "3")
            app.ui("intake.next")
            app.wait_step("photos")

            # Papers: required ones first, then the photo with the check's advice.
            app.ui("intake.next")
            self.assertIn("chụp ảnh", app.wait_text("intake-photo-message", bool))
            # The officer waits for the preview before taking the photo.
            wait_for(lambda: app.widget("intake-photo-preview")["has_image"],
                     what="the camera preview")
            app.ui("intake.take-photo", app.variant("s", "original-document"))
            app.wait_text("intake-photo-message", lambda t: "Đang kiểm tra" not in t
                          and "trước" not in t)
            snap("photos")
            app.ui("intake.next")
            app.wait_step("fingerprint")

            app.ui("intake.fingerprint")
            app.wait_text("intake-fp-message", lambda t: "Đã lấy vân tay" in t, timeout=60)
            self.assertEqual(app.widget("intake-fp-progress")["fraction"], 1.0)
            snap("fingerprint")
            app.ui("intake.next")
            app.wait_step("consent")

            # A crash mid-wizard loses nothing: the draft, sealed in the
            # store, opens again after the PIN.
            app.wait_text("intake-draft", lambda t: "Đã lưu" in t)
            drafts = [d for d in app.queue() if d["state"] == "draft"]
            self.assertEqual(len(drafts), 1, drafts)
            app.crash()
            app = App(data_dir=app.data_dir, env=env)
            app.wait_page("unlock")
            app.enter_pin("2468")
            app.wait_page("home")
            app.navigate("intake")
            app.wait_step("consent")
            snap("resumed-after-crash")

            # The processing consent is required; the others are recorded.
            app.ui("intake.next")
            app.wait_text("intake-consent-message", bool)
            app.ui("intake.consent", app.variant("(sb)", ("personal-data", True)))
            app.ui("intake.consent", app.variant("(sb)", ("biometrics", True)))
            app.ui("intake.consent", app.variant("(sb)", ("id-card-image", True)))
            snap("consent")
            app.ui("intake.next")
            app.wait_step("review")
            review = app.text("intake-review")
            self.assertIn("Phạm Minh Nga", review)
            self.assertIn("Chứng thực", review)
            snap("review")

            # Back and forth keeps every answer.
            app.ui("intake.previous")
            app.ui("intake.previous")
            app.ui("intake.previous")
            app.ui("intake.previous")
            app.wait_step("form")
            self.assertEqual(app.text("field-document_title"), "Giấy khai sinh")
            for _ in range(4):
                app.ui("intake.next")
            app.wait_step("review")

            app.ui("intake.save")
            app.wait_step("receipt", timeout=60)
            number = app.text("intake-receipt-number")
            self.assertRegex(number, r"^[0-9A-F]{8}$")
            self.assertTrue(app.widget("intake-receipt-qr")["has_image"])
            snap("receipt")
            # The citizen's phone reads the dossier's UUID off the screen.
            shown = app.ctl("qr", "decode", os.path.join(SCREENSHOTS, "intake-%02d-receipt-800x480.png"
                                                        % (shot - 1))).strip()
            self.assertTrue(shown.upper().startswith(number), shown)
            app.resize(1280, 800)
            app.screenshot("intake-receipt-1280x800")
            app.resize(800, 480)

            queue = app.queue()
            # The draft became the sealed dossier: one entry, no duplicate.
            self.assertEqual(len(queue), 1, queue)
            self.assertEqual(queue[0]["state"], "queued")
            self.assertTrue(queue[0]["id"].upper().startswith(number))
            self.assertEqual(queue[0]["id"], shown)

            app.navigate("visit")
            self.assertEqual(app.text("visit-dossiers"), "1")

            # Back in range: the dossier goes to the server on loopback.
            app.navigate("queue")
            app.ui("queue.send-now")
            app.wait_text("queue-summary", lambda t: "Đã gửi: 1" in t, timeout=60)
            snap("delivered")
            self.assertEqual([d["state"] for d in app.queue()], ["delivered"])

            # On a later visit: the server says the result is ready; the
            # citizen is found by name without accents, or by scanning the
            # card; the same finger is checked, the handover is counted.
            server.add_result(commune, queue[0]["id"])
            app.navigate("handover")
            app.ui("handover.pull")
            app.wait_text("handover-message", lambda t: "1 kết quả mới" in t)

            def results():
                return [k for k in app.state()["widgets"] if k.startswith("result-")]

            app.type("handover-query", "pham minh")
            app.ui("handover.find")
            found = wait_for(results, what="the citizen's dossiers by name")
            self.assertEqual(found, ["result-" + queue[0]["id"]])
            snap("handover-found-by-name")

            # The card in front of the camera: its ID number goes through
            # the store's keyed-hash index, the scanner closes by itself.
            app.type("handover-query", "")
            app.ui("handover.scan")
            app.wait_text("handover-query", lambda t: t == "011195866217")
            found = wait_for(results, what="the citizen's dossiers by the scanned card")
            self.assertEqual(found, ["result-" + queue[0]["id"]])
            self.assertFalse(app.widget("handover-scan")["visible"])
            self.assertIn("1 hồ sơ", app.text("handover-message"))
            snap("handover-found-by-card")
            app.ui("handover.pick", app.variant("s", queue[0]["id"]))
            app.ui("handover.verify")
            app.wait_text("handover-message", lambda t: "khớp" in t, timeout=60)
            self.assertNotIn("không khớp", app.text("handover-message"))
            snap("handover-verified")
            app.ui("handover.record")
            app.wait_text("handover-message", lambda t: "Đã ghi nhận" in t)
            app.navigate("visit")
            self.assertEqual(app.text("visit-handovers"), "1")
            app.close()
        server.close()

    def test_no_torch_without_light(self):
        """A camera without a light (the simulated one, by default) shows no
        torch button, on the handover's scanner as on the intake's."""
        server = Server()
        with App() as app:
            app.set_up(server)
            app.navigate("handover")
            app.ui("handover.scan")
            wait_for(lambda: app.widget("scanner-preview")["has_image"], what="the camera preview")
            self.assertFalse(app.widget("scanner-torch")["visible"])
            # At 800×480 the preview, its hint and the stop button all on screen.
            wait_for(lambda: all(app.widget(w)["in_view"] for w in
                                 ("scanner-preview", "scanner-status", "handover-scan-stop")),
                     what="the scanner in view")
            app.screenshot("handover-scan-no-torch-800x480")
            app.ui("handover.scan-cancel")
            self.assertFalse(app.widget("handover-scan-stop")["visible"])
        server.close()

    def test_manual_entry_without_card(self):
        """No card: the camera shows no code, the officer types the identity;
        a poor photo gets advice; no fingerprint without that consent."""
        server = Server()
        self.addCleanup(server.close)
        with App(env={"FIELDKIT_SIM_FINGERPRINT": FINGER, "FIELDKIT_SIM_TORCH": "1"}) as app:
            app.set_up(server)
            app.start_visit()
            app.navigate("intake")
            wait_for(lambda: app.widget("scanner-preview")["has_image"], what="the camera preview")
            self.assertEqual(app.step(), "scan")
            app.screenshot("manual-01-scan-guide-frame-800x480")

            # Torch, where the camera has one (the simulated one here, on
            # request): the button lights the picture up and turns it off.
            torch = wait_for(lambda: app.widget("scanner-torch")["visible"] and
                             app.widget("scanner-torch"), what="the torch button")
            self.assertFalse(torch["active"])
            dark = app.widget("scanner-preview")["mean_level"]
            app.click("scanner-torch")
            wait_for(lambda: app.widget("scanner-torch")["active"], what="the torch on")
            lit = wait_for(lambda: app.widget("scanner-preview")["mean_level"] > dark + 30 and
                           app.widget("scanner-preview")["mean_level"], what="a lighter preview")
            app.screenshot("manual-02-scan-torch-on-800x480")
            app.click("scanner-torch")
            wait_for(lambda: not app.widget("scanner-torch")["active"], what="the torch off")
            wait_for(lambda: app.widget("scanner-preview")["mean_level"] < lit - 30,
                     what="the preview back to its light")
            app.ui("intake.manual")
            app.wait_step("identity")
            app.type("intake-id", "001089012345")
            app.type("intake-name", "Lò Văn Pá")
            app.type("intake-birth", "12/03/1989")
            # An address with the old units: the 2025 commune is suggested
            # (Xã Hồng Ngài went whole into Xã Bắc Yên on 1 July 2025).
            app.type("intake-address", "Bản Hồng Ngài, X. Hong Ngai, H. Bắc Yên, T. Sơn La")
            commune = wait_for(lambda: app.widget("intake-commune")["text"].startswith("Xã Bắc Yên")
                               and app.widget("intake-commune"), what="the suggested commune")
            self.assertIn("Xã Hồng Ngài", commune["subtitle"])
            # The visit's commune and "not determined" are offered too.
            self.assertGreaterEqual(len(commune["options"]), 3)
            wait_for(lambda: app.widget("intake-commune")["in_view"], what="the suggestion in view")
            app.screenshot("manual-03-commune-suggested-800x480")
            app.type("intake-phone", "09123")
            app.ui("intake.next")
            self.assertIn("Số điện thoại", app.wait_text("intake-identity-message",
                                                          lambda t: "sửa" in t))
            app.screenshot("manual-03-identity-error-800x480")
            app.type("intake-phone", "")
            app.ui("intake.next")
            app.wait_step("procedure")
            app.ui("intake.pick-procedure", app.variant("s", "certified-copies"))
            app.wait_step("form")
            app.type("field-document_title", "Sổ hộ khẩu")
            app.type("field-pages", "hai")
            app.ui("intake.next")
            self.assertIn("số nguyên", app.wait_text("intake-form-message", bool))
            app.type("field-pages", "4")
            app.type("field-copies", "1")
            app.ui("intake.next")
            app.wait_step("photos")
            wait_for(lambda: app.widget("intake-photo-preview")["has_image"],
                     what="the camera preview")
            app.ui("intake.take-photo", app.variant("s", "original-document"))
            # A test pattern is no page: the check says what to do.
            advice = app.wait_text("intake-photo-message", lambda t: "chụp lại" in t)
            self.assertGreater(len(advice), len("Đã giữ ảnh, nhưng nên chụp lại: "))
            app.screenshot("manual-04-photo-advice-800x480")
            app.ui("intake.next")
            app.wait_step("fingerprint")
            app.ui("intake.next")
            app.wait_step("consent")
            app.ui("intake.consent", app.variant("(sb)", ("personal-data", True)))
            app.ui("intake.next")
            app.wait_step("review")
            self.assertIn("Vân tay: chưa lấy", app.text("intake-review-fingerprint-text"))
            self.assertFalse(app.widget("intake-review-fingerprint")["visible"])
            self.assertIn("Xã/phường hiện nay: Xã Bắc Yên", app.text("intake-review"))
            app.ui("intake.save")
            app.wait_step("receipt", timeout=60)
            self.assertEqual([d["state"] for d in app.queue()], ["queued"])
            app.ui("intake.restart")
            app.wait_step("scan")
            self.assertEqual(app.text("intake-id"), "")
            self.assertFalse(app.widget("intake-discard-draft")["visible"])

            # A citizen who leaves: the draft is discarded, after a question.
            app.ui("intake.manual")
            app.wait_step("identity")
            app.type("intake-id", "001089012346")
            app.type("intake-name", "Lò Thị Xuân")
            app.type("intake-birth", "02/09/1990")
            app.type("intake-address", "Bản Nà Phặc")
            app.ui("intake.next")
            app.wait_step("procedure")
            app.wait_text("intake-draft", lambda t: "Đã lưu" in t)
            self.assertTrue(app.widget("intake-discard-draft")["visible"])
            self.assertEqual(app.text("intake-discard-draft"), "Bỏ bản nháp")
            self.assertEqual(sorted(d["state"] for d in app.queue()), ["draft", "queued"])
            app.ui("intake.discard-draft")
            wait_for(lambda: app.state()["dialog"] == "Bỏ bản nháp này?", what="the dialog")
            app.screenshot("manual-04-discard-draft-dialog-800x480")
            app.respond("cancel")
            wait_for(lambda: app.state()["dialog"] == "", what="the dialog closed")
            self.assertEqual(app.step(), "procedure")
            self.assertEqual(app.text("intake-name"), "Lò Thị Xuân")
            self.assertEqual(sorted(d["state"] for d in app.queue()), ["draft", "queued"])
            app.ui("intake.discard-draft")
            wait_for(lambda: app.state()["dialog"] == "Bỏ bản nháp này?", what="the dialog")
            app.respond("discard")
            app.wait_step("scan")
            self.assertEqual(app.text("intake-name"), "")
            self.assertEqual([d["state"] for d in app.queue()], ["queued"])
            app.ctl("audit", "verify")  # fails (non-zero) on a broken chain

            # The handover's scanner is the intake's: live preview, torch;
            # a code that does not come stops at the officer's word.
            app.navigate("handover")
            self.assertFalse(app.widget("handover-scan")["visible"])
            app.ui("handover.scan")
            wait_for(lambda: app.widget("scanner-preview")["has_image"],
                     what="the handover's camera preview")
            self.assertTrue(app.widget("handover-scan")["visible"])
            wait_for(lambda: app.widget("scanner-torch")["visible"], what="the torch button")
            self.assertIn("mã QR", app.text("scanner-status"))
            app.screenshot("manual-05-handover-scan-800x480")
            app.ui("handover.scan-cancel")
            self.assertFalse(app.widget("handover-scan")["visible"])
            self.assertEqual([k for k in app.state()["widgets"] if k.startswith("result-")], [])
            # Leaving the page mid-scan turns the camera off and closes it.
            app.ui("handover.scan")
            app.navigate("home")
            app.navigate("handover")
            self.assertFalse(app.widget("handover-scan")["visible"])
        server.close()


if __name__ == "__main__":
    unittest.main()
