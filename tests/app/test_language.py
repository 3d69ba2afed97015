"""Vietnamese by default; English when the language setting says so, from
the next start; FIELDKIT_LANG overrides the setting."""
import os
import subprocess
import tempfile
import unittest

from fkui import App

SETUP_VI = "Lần đầu sử dụng"
SETUP_EN = "First start"


class LanguageTest(unittest.TestCase):
    def setUp(self):
        # Each case its own settings file (the app keeps settings in a keyfile).
        self.config = tempfile.mkdtemp(prefix="fk-config-")
        self.env = {"XDG_CONFIG_HOME": self.config, "GSETTINGS_BACKEND": "keyfile"}

    def start(self, shot, **env):
        with App(env=dict(self.env, **env)) as app:
            app.wait_page("setup")
            title = app.state()["title"]
            app.screenshot("language-%s-800x480" % shot)
        return title

    def test_vietnamese_by_default(self):
        # Even when the machine asks gettext for English.
        self.assertEqual(self.start("default", LANG="C.UTF-8", LANGUAGE="en"), SETUP_VI)

    def test_english_from_the_setting(self):
        subprocess.run(["gsettings", "set", "vn.fieldkit.FieldKit", "language", "en"],
                       env=dict(os.environ, **self.env), check=True)
        self.assertEqual(self.start("english"), SETUP_EN)
        # The environment wins over the setting.
        self.assertEqual(self.start("override", FIELDKIT_LANG="vi"), SETUP_VI)


if __name__ == "__main__":
    unittest.main()
