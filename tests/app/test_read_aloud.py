"""Reading aloud in the app, into the simulated speech device's WAV file
(FIELDKIT_SIM_SPEECH, paced as heard): a consent read to its end is
recorded as read by the device, one stopped half way is not, the officer's
tick records the officer; the stored dossier says so. Leaving the page,
another read and the lock stop the voice; the receipt and the VNeID advice
are read too, at the speed of the settings. A speech
device that cannot write gives the officer a message, and the app goes on.
Each WAV is checked with sox: its length follows the text, and it is not
silence."""
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from fkui import App, Server, ctl, wait_for


def wav_stats(path):
    """sox's length (seconds) and RMS amplitude of @path."""
    err = subprocess.run(["sox", path, "-n", "stat"], capture_output=True, text=True,
                         check=True).stderr
    fields = dict(line.split(":", 1) for line in err.splitlines() if ":" in line)
    return float(fields["Length (seconds)"]), float(fields["RMS     amplitude"])


class ReadAloudTest(unittest.TestCase):
    def setUp(self):
        for tool in ("sox", "espeak-ng"):
            if shutil.which(tool) is None:
                self.skipTest("%s is not installed (scripts/ensure-deps installs it)" % tool)
        self.work = tempfile.mkdtemp(prefix="fk-aloud-")
        self.addCleanup(shutil.rmtree, self.work, True)
        self.speech_dir = os.path.join(self.work, "speech")
        os.mkdir(self.speech_dir)
        self.wav = os.path.join(self.speech_dir, "speech.wav")

    def wav_mtime(self):
        return os.stat(self.wav).st_mtime_ns if os.path.exists(self.wav) else 0

    def new_wav(self, before):
        """The WAV of the read that ended since @before (a mtime): its stats."""
        wait_for(lambda: self.wav_mtime() != before, timeout=60, what="the spoken WAV")
        return wav_stats(self.wav)

    def read(self, app, button, stop=False, shot=None):
        """Press @button and, with @stop, press it again once the voice is
        heard (@shot: a screenshot meanwhile); returns the length of what
        was said."""
        before = self.wav_mtime()
        app.click(button)
        wait_for(lambda: app.state()["speaking"], what="the voice of %s" % button)
        self.assertEqual(app.text(button), "Dừng")
        if shot:
            app.screenshot(shot)
        if stop:
            time.sleep(1.0)
            app.click(button)
        length, rms = self.new_wav(before)
        wait_for(lambda: not app.state()["speaking"], what="the voice to end")
        self.assertEqual(app.text(button), "Đọc to")
        self.assertGreater(rms, 0.01, "%s said silence" % button)
        return length

    def to_consent_step(self, app):
        app.manual_intake()
        app.certified_copy()
        app.photograph_original()
        app.ui("intake.next")
        app.wait_step("consent")

    def test_read_aloud(self):
        server = Server()
        self.addCleanup(server.close)
        with App(env={"FIELDKIT_SIM_SPEECH": self.wav}) as app:
            app.set_up(server)
            app.start_visit()
            # The fast speed keeps the test short; slow is the default.
            app.navigate("settings")
            self.assertEqual(app.text("settings-speech-speed"), "Chậm")
            app.select("settings-speech-speed", "Nhanh")
            self.to_consent_step(app)
            app.screenshot("read-aloud-01-consent-800x480")

            # Read to its end: recorded as read by the device.
            full = self.read(app, "consent-read-personal-data")
            self.assertIn("Máy đã đọc to hết", app.text("consent-read-state-personal-data"))

            # Stopped half way: shorter, and not recorded.
            partial = self.read(app, "consent-read-id-card-image", stop=True,
                                shot="read-aloud-02-speaking-800x480")
            # The second text is longer than the first, its read shorter.
            self.assertLess(partial, full)
            self.assertIn("Chưa đọc to", app.text("consent-read-state-id-card-image"))

            # Another text read stops the one being read, which stays unrecorded.
            before = self.wav_mtime()
            app.click("consent-read-id-card-image")
            wait_for(lambda: app.state()["speaking"], what="the voice")
            app.click("consent-read-biometrics")
            self.new_wav(before)
            wait_for(lambda: app.text("consent-read-id-card-image") == "Đọc to"
                     and app.text("consent-read-biometrics") == "Dừng", what="the second read")
            app.click("consent-read-biometrics")
            wait_for(lambda: not app.state()["speaking"], what="the voice to stop")
            self.assertIn("Chưa đọc to", app.text("consent-read-state-id-card-image"))
            self.assertIn("Chưa đọc to", app.text("consent-read-state-biometrics"))

            # The officer reads the third one.
            app.click("consent-officer-biometrics")
            app.wait_text("consent-read-state-biometrics", lambda t: "Cán bộ đã tự đọc" in t)

            # Leaving the page stops the voice, and records nothing.
            before = self.wav_mtime()
            app.click("consent-read-id-card-image")
            wait_for(lambda: app.state()["speaking"], what="the voice")
            app.navigate("home")
            left, _ = self.new_wav(before)
            wait_for(lambda: not app.state()["speaking"], what="the voice to stop")
            self.assertLess(left, full)
            app.navigate("intake")
            app.wait_step("consent")
            self.assertEqual(app.text("consent-read-id-card-image"), "Đọc to")
            self.assertIn("Chưa đọc to", app.text("consent-read-state-id-card-image"))

            app.consent("personal-data")
            consents = app.text("intake-review-consents")
            self.assertIn("(máy đã đọc to)", consents)
            self.assertIn("(cán bộ đã đọc to)", consents)
            self.assertIn("(chưa ghi nhận đã đọc to)", consents)
            app.ui("intake.save")
            app.wait_step("receipt", timeout=60)
            dossier_id = app.queue()[0]["id"]
            dossier = json.loads(ctl(app.data_dir, "dossier", "show", dossier_id))
            read_by = {c["purpose"]: c.get("read_aloud") for c in dossier["consents"]}
            self.assertEqual(read_by, {"personal-data": "device", "id-card-image": None,
                                       "biometrics": "officer"})

            # The receipt, read aloud (stopped: it is long).
            wait_for(lambda: app.widget("intake-receipt-read")["sensitive"],
                     what="the spoken receipt")
            self.read(app, "intake-receipt-read", stop=True)

            # The VNeID advice, a short text: a shorter sound, as long as
            # espeak-ng's own at the fast speed (210 words a minute; the slow
            # default, 130, would be 60 % longer).
            app.navigate("vneid")
            app.ui("vneid.set-outcome", app.variant("s", "success"))
            advice = self.read(app, "vneid-advice-read")
            self.assertLess(advice, full)
            own = os.path.join(self.work, "own.wav")
            subprocess.run(["espeak-ng", "-v", "vi", "-s", "210", "-w", own, "%s.\n%s" % (
                app.text("vneid-outcome"), app.text("vneid-advice"))], check=True)
            expected, _ = wav_stats(own)
            self.assertGreater(advice, expected * 0.9)
            self.assertLess(advice, expected * 1.1)

            # Locking the app stops the voice (a longer advice).
            app.ui("vneid.set-outcome", app.variant("s", "no-nfc"))
            before = self.wav_mtime()
            app.click("vneid-advice-read")
            wait_for(lambda: app.state()["speaking"], what="the voice")
            app.ui("win.lock")
            app.wait_page("unlock")
            locked, _ = self.new_wav(before)
            wait_for(lambda: not app.state()["speaking"], what="the voice to stop")
            self.assertLess(locked, full)
            app.enter_pin("2468")
            app.wait_page("home")
            app.navigate("vneid")
            app.ui("vneid.set-outcome", app.variant("s", "success"))

            # The speech device cannot write: the officer is told what to do,
            # and the app goes on.
            shutil.rmtree(self.speech_dir)
            with open(self.speech_dir, "w") as f:
                f.write("not a folder")
            app.click("vneid-advice-read")
            message = app.wait_text("vneid-advice-read-message",
                                    lambda t: "tự đọc to văn bản" in t)
            self.assertIn("bấm «Đọc to» lại", message)
            self.assertEqual(app.text("vneid-advice-read"), "Đọc to")
            self.assertFalse(app.state()["speaking"])
            app.screenshot("read-aloud-03-no-speech-800x480")
            app.navigate("home")
            app.navigate("vneid")


if __name__ == "__main__":
    unittest.main()
