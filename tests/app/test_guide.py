"""The offline procedure guide ("Thủ tục"): from the home screen, an
accent-insensitive search ("khai sinh", "KHAI SINH", "khai sinh lien
thong"), a procedure with what it is for, its papers as a checklist, fee,
time limit, who decides, the portal; the button that starts an intake for
it; and the guide opened from the intake's procedure step."""
import unittest

from fkui import App, Server, shipped_catalog, wait_for

PROCEDURES = len(shipped_catalog()["procedures"])


def rows(app):
    return [k[len("guide-row-"):] for k in app.state()["widgets"] if k.startswith("guide-row-")]


class GuideTest(unittest.TestCase):
    def search(self, app, text, first):
        app.type("guide-search", text)
        # Every query here narrows the list: wait until it did.
        return wait_for(lambda: (lambda r: r if r and r[0] == first and len(r) < PROCEDURES else None)(
            rows(app)), what="%r first for %r" % (first, text))

    def test_guide(self):
        server = Server()
        with App() as app:
            app.set_up(server)
            app.screenshot("guide-00-home-800x480")
            app.click("tile-guide")
            app.wait_page("guide")
            wait_for(lambda: len(rows(app)) >= PROCEDURES, what="every procedure listed")
            self.assertIn("%d thủ tục" % PROCEDURES, app.text("guide-count"))
            app.screenshot("guide-01-list-800x480")

            births = ["birth-registration", "birth-registration-linked",
                      "late-birth-registration"]
            plain = self.search(app, "khai sinh", "birth-registration")
            self.assertEqual(plain[:3], births)
            self.assertNotIn("marriage-registration", plain)
            app.screenshot("guide-02-search-khai-sinh-800x480")
            self.assertEqual(self.search(app, "KHAI SINH", "birth-registration"), plain)
            linked = self.search(app, "khai sinh lien thong", "birth-registration-linked")
            self.assertNotIn("late-birth-registration", linked)
            app.screenshot("guide-03-search-lien-thong-800x480")
            # Words the citizen uses, and what the guide tells.
            self.search(app, "cong chung", "certified-copies")
            self.search(app, "1.004222", "permanent-residence-registration")
            app.type("guide-search", "không có thủ tục nào như thế")
            app.wait_text("guide-count", lambda t: "Không có thủ tục" in t)

            self.search(app, "bhyt", "birth-registration-linked")
            app.ui("guide.show", app.variant("s", "birth-registration-linked"))
            app.wait_text("guide-title", lambda t: t.startswith("Liên thông"))
            facts = app.text("guide-facts")
            for expected in ("Miễn lệ phí", "3 ngày làm việc", "Cổng Dịch vụ công quốc gia",
                             "Công an cấp xã", "Cha hoặc mẹ của trẻ"):
                self.assertIn(expected, facts)
            self.assertIn("Nghị định 63/2024/NĐ-CP", app.text("guide-legal"))
            doc = app.widget("guide-doc-birth-certificate")
            self.assertFalse(doc["active"])
            self.assertIn("0 trên 6", app.text("guide-checked"))
            app.screenshot("guide-04-linked-800x480")
            # The checklist, gone through with the citizen.
            app.click("guide-doc-birth-certificate")
            app.click("guide-doc-applicant-id")
            app.wait_text("guide-checked", lambda t: "2 trên 6" in t)
            self.assertTrue(app.widget("guide-doc-applicant-id")["active"])
            self.assertIn("xuất trình", app.widget("guide-paper-applicant-id")["subtitle"])
            self.assertIn("Nộp vào hồ sơ", app.widget("guide-paper-birth-certificate")["subtitle"])
            # The list scrolls to the count after the next frame is drawn.
            wait_for(lambda: app.widget("guide-checked")["in_view"],
                     what="the ticked count scrolled into view")
            self.assertTrue(app.widget("guide-start")["in_view"])
            app.screenshot("guide-05-checklist-800x480")

            # Start an intake for it: the wizard begins at the card, the
            # procedure already chosen.
            app.ui("guide.start-intake")
            app.wait_page("intake")
            self.assertEqual(app.step(), "scan")
            app.wait_text("intake-procedure", lambda t: t.startswith("Liên thông"))
            app.screenshot("guide-06-intake-started-800x480")

            # From the intake's procedure step, the guide on one procedure
            # (its ⓘ button), and back to the step.
            app.navigate("home")
            app.navigate("intake")
            app.ui("intake.manual")
            app.wait_step("identity")
            app.type("intake-id", "001089012345")
            app.type("intake-name", "Lò Văn Pá")
            app.type("intake-birth", "12/03/1989")
            app.ui("intake.next")
            app.wait_step("procedure")
            wait_for(lambda: app.widget("procedure-guide-signature-certification"),
                     what="the procedures listed")
            app.screenshot("guide-07-procedure-step-800x480")
            app.click("procedure-guide-signature-certification")
            app.wait_page("guide")
            app.wait_text("guide-title", lambda t: t == "Chứng thực chữ ký")
            self.assertIn("10.000 đồng", app.text("guide-facts"))
            self.assertIn("trực tiếp", app.text("guide-facts"))
            app.screenshot("guide-08-from-intake-800x480")
            app.ui("win.back")
            app.wait_page("intake")
            self.assertEqual(app.step(), "procedure")


if __name__ == "__main__":
    unittest.main()
