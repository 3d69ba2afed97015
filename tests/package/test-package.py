#!/usr/bin/python3
# The Debian packages as an IT contact uses them: scripts/package builds
# them from a clean copy of the tree (lintian must find no error), apt
# installs them on this machine, the INSTALLED fieldkit-server runs (under
# systemd where systemd runs, else in the foreground as its own user), the
# INSTALLED fieldkit-ctl is enrolled as a device and delivers a dossier,
# then `apt-get remove` leaves only the data folders and `apt-get purge`
# removes those too.
#
# It installs into the real system, so it runs as root only, refuses to
# touch FieldKit packages it did not install itself, and purges what it
# installed however it ends: on a failure, and on SIGTERM, SIGINT or SIGHUP
# (meson's timeout) through a purge in a session of its own, which outlives
# the SIGKILL that may follow. While our packages are on the system a stamp
# file says so; `test-package.py --purge-leftovers` (scripts/test runs it at
# its end) and the next run purge them if a run was killed outright.
# FK_PACKAGE_DEBS=DIR installs the packages in DIR instead of building them
# (scripts/package --out DIR).
#
# SPDX-License-Identifier: GPL-3.0-or-later
import fcntl
import grp
import json
import os
import pwd
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import unittest

# The tree's root (scripts/test runs --purge-leftovers outside meson).
SOURCE = os.environ.get("FK_SOURCE_ROOT",
                        os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
PACKAGES = ["fieldkit", "fieldkit-ctl", "fieldkit-server", "fieldkit-common"]
BINARIES = ["/usr/bin/fieldkit", "/usr/bin/fieldkit-ctl", "/usr/bin/fieldkit-server"]
STAMP = "/var/lib/fieldkit-package-test.stamp"
# Two test runs on one machine (two checkouts) take turns.
LOCK = "/var/lib/fieldkit-package-test.lock"
DATA_DIRS = ["/etc/fieldkit", "/var/lib/fieldkit-server"]
UNIT = "/lib/systemd/system/fieldkit-server.service"
KIOSK_UNIT = "/lib/systemd/system/fieldkit-kiosk@.service"
PIN = "2580"
APT = ["apt-get", "-o", "DPkg::Lock::Timeout=600", "-y", "-q"]


def installed_env(**extra):
    """The environment of a person's shell: none of the test suite's
    pointers into the build tree (schemas, catalogs)."""
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive", LC_ALL="C.UTF-8",
               LANGUAGE="en")
    for name in ("GSETTINGS_SCHEMA_DIR", "FIELDKIT_LOCALEDIR", "GSETTINGS_BACKEND",
                 "FIELDKIT_PIN", "G_DEBUG"):
        env.pop(name, None)
    env.update(extra)
    return env


def run(*cmd, check=True, **extra):
    r = subprocess.run(list(cmd), capture_output=True, text=True, env=installed_env(**extra),
                       stdin=subprocess.DEVNULL, timeout=900)
    if check and r.returncode != 0:
        raise AssertionError("%s exited %d:\n%s%s" % (" ".join(cmd), r.returncode, r.stdout,
                                                       r.stderr))
    return r


# What the service's User=fieldkit does (setpriv execs the program itself,
# so a signal reaches the server and its exit status comes back).
AS_SERVER = ["setpriv", "--reuid=fieldkit", "--regid=fieldkit", "--init-groups", "--"]


def as_server(*cmd, check=True):
    # Its database stays its own.
    return run(*AS_SERVER, *cmd, check=check)


def package_state(name):
    r = run("dpkg-query", "-W", "-f=${db:Status-Status}", name, check=False)
    return r.stdout.strip() if r.returncode == 0 else "not-installed"


def ours_installed():
    return [p for p in PACKAGES if package_state(p) not in ("not-installed", "")]


def purge_ours():
    present = ours_installed()
    if present:
        run(*APT, "purge", *present)


def named_ours():
    """Every path of the system whose name says FieldKit (outside /tmp and
    /run, where tests of build trees keep their locks)."""
    r = run("find", "/etc", "/var/lib", "/var/cache", "/var/log", "/usr", "/opt", "-xdev",
            "-iname", "*fieldkit*", check=False)
    return {p for p in r.stdout.splitlines()
            if not p.startswith(("/var/lib/fieldkit-package-test.", LOCK))}


def purge_leftovers(wait):
    """Purges the packages a killed run left (its stamp says so); a run
    still going holds the lock and purges its own."""
    if os.geteuid() != 0 or not os.path.exists(STAMP):
        return
    with open(LOCK, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            return
        if not os.path.exists(STAMP):
            return
        try:
            purge_ours()
        except AssertionError:
            # A dpkg killed half-way leaves a package apt will not remove.
            present = ours_installed()
            if present:
                run("dpkg", "--purge", "--force-remove-reinstreq", *present, check=False)
        if not ours_installed():
            os.unlink(STAMP)
            print("test-package: purged the FieldKit packages a killed run had installed")


def purge_when_killed(signum, frame):
    # Our process group (apt-get and dpkg with it) is being stopped, maybe
    # by SIGKILL next: the purge runs in a session of its own and waits for
    # this run's lock, which goes with this process.
    subprocess.Popen([sys.executable, os.path.abspath(__file__), "--purge-leftovers"],
                     start_new_session=True, stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os._exit(128 + signum)


class Package(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if os.geteuid() != 0:
            raise unittest.SkipTest("installs packages: needs root")
        if shutil.which("dpkg-buildpackage") is None:
            raise unittest.SkipTest("dpkg-dev is not installed (scripts/ensure-deps)")
        cls.lock = open(LOCK, "w")
        fcntl.flock(cls.lock, fcntl.LOCK_EX)
        if ours_installed():
            if not os.path.exists(STAMP):
                raise unittest.SkipTest("FieldKit packages this test did not install are "
                                        "on this machine: %s" % " ".join(ours_installed()))
            purge_ours()
        for path in BINARIES + [UNIT]:
            if os.path.exists(path):
                raise unittest.SkipTest("%s is on this machine (not from a package): the "
                                        "packages would replace it" % path)
        cls.tmp = tempfile.TemporaryDirectory()
        cls.debs = os.path.join(cls.tmp.name, "debs")
        if os.environ.get("FK_PACKAGE_DEBS"):
            # Packages scripts/package already built (while working on this test).
            shutil.copytree(os.environ["FK_PACKAGE_DEBS"], cls.debs)
            return
        # Built once, from a clean copy of the tree; scripts/package fails
        # on any lintian error.
        # Niced: the other suites run beside it.
        r = run("nice", "-n", "10", os.path.join(SOURCE, "scripts", "package"), "--out",
                cls.debs, check=False)
        print(r.stdout)
        if r.returncode != 0:
            raise AssertionError("scripts/package failed:\n" + r.stdout + r.stderr)

    @classmethod
    def tearDownClass(cls):
        try:
            purge_ours()
        finally:
            if os.path.exists(STAMP):
                os.unlink(STAMP)
            cls.tmp.cleanup()
            cls.lock.close()

    def debs_of(self, names):
        files = sorted(os.listdir(self.debs))
        return [os.path.join(self.debs, f) for f in files
                if f.endswith(".deb") and f.split("_")[0] in names]

    def package_files(self):
        """Every file and link the packages hold (folders left out)."""
        paths = set()
        for deb in self.debs_of(PACKAGES):
            listing = run("dpkg-deb", "-c", deb).stdout.splitlines()
            for line in listing:
                fields = line.split()
                if fields[0].startswith("d"):
                    continue
                paths.add(os.path.normpath(fields[5].lstrip(".")))
        return paths

    def test_install_deliver_remove_purge(self):
        debs = self.debs_of(PACKAGES)
        self.assertEqual(len(debs), 4, os.listdir(self.debs))
        files = self.package_files()
        for path in BINARIES + [UNIT, KIOSK_UNIT, "/etc/fieldkit/server.conf",
                                "/usr/bin/fieldkit-kiosk",
                                "/usr/libexec/fieldkit/fieldkit-kiosk-session",
                                "/usr/share/fieldkit/fieldkit-kiosk-sway.conf",
                                "/lib/udev/rules.d/70-fieldkit-kiosk.rules",
                                "/usr/share/locale/vi/LC_MESSAGES/fieldkit.mo",
                                "/usr/share/glib-2.0/schemas/vn.fieldkit.FieldKit.gschema.xml",
                                "/usr/share/applications/vn.fieldkit.FieldKit.desktop",
                                "/usr/share/metainfo/vn.fieldkit.FieldKit.metainfo.xml"]:
            self.assertIn(path, files)

        before = named_ours()
        with open(STAMP, "w") as f:
            f.write("fieldkit packages installed by tests/package/test-package.py\n")
        run(*APT, "install", "--no-install-recommends", *debs)
        for p in PACKAGES:
            self.assertEqual(package_state(p), "installed")
        self.check_installed()
        self.deliver()
        self.remove_then_purge(files)
        # Nothing else of ours either: no unit link, no dpkg or
        # deb-systemd-helper state, no schema cache entry named for us.
        self.assertEqual(sorted(named_ours() - before), [])

    def check_installed(self):
        # A package is what runs on a device: no test actions in the app.
        with open("/usr/bin/fieldkit", "rb") as f:
            self.assertNotIn(b"FIELDKIT_TEST_ACTIONS", f.read())
        # The system user, the configuration only its group reads, its keys.
        user = pwd.getpwnam("fieldkit")
        group = grp.getgrnam("fieldkit")
        self.assertEqual(user.pw_dir, "/var/lib/fieldkit-server")
        st = os.stat("/etc/fieldkit")
        self.assertEqual((st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)), (0, group.gr_gid, 0o750))
        st = os.stat("/etc/fieldkit/keys/server.secret")
        self.assertEqual((st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)), (0, group.gr_gid, 0o640))
        st = os.stat("/var/lib/fieldkit-server")
        self.assertEqual((st.st_uid, stat.S_IMODE(st.st_mode)), (user.pw_uid, 0o700))
        self.assertIn("/etc/fieldkit/server.conf",
                      run("dpkg-query", "-W", "-f=${Conffiles}", "fieldkit-server").stdout)
        # The installed unit, as systemd reads it.
        r = run("systemd-analyze", "verify", "--man=no", UNIT, check=False)
        self.assertEqual((r.returncode, r.stderr.strip()), (0, ""), r.stdout + r.stderr)
        # The kiosk's unit, as an instance for the user "kiosk".
        instance = os.path.join(self.tmp.name, "fieldkit-kiosk@kiosk.service")
        shutil.copy(KIOSK_UNIT, instance)
        r = run("systemd-analyze", "verify", "--man=no", instance, check=False)
        self.assertEqual((r.returncode, r.stderr.strip()), (0, ""), r.stdout + r.stderr)
        # The kiosk's command and sway's configuration name installed files.
        for path in ("/usr/bin/fieldkit-kiosk", "/usr/share/fieldkit/fieldkit-kiosk-sway.conf"):
            with open(path) as f:
                text = f.read()
            self.assertIsNone(re.search(r"@\w+@", text), path)
            for ours in re.findall(r"/usr/(?:libexec|share)/fieldkit/[\w.-]+", text):
                self.assertTrue(os.path.exists(ours), "%s names %s" % (path, ours))
        # The schema compiled by its trigger, the catalog found where installed.
        r = run("gsettings", "get", "vn.fieldkit.FieldKit", "language")
        self.assertTrue(r.stdout.strip().startswith("'"), r.stdout)
        # fieldkit-common's catalog, where the installed programs look.
        r = run("fieldkit-ctl", "--help", LANGUAGE="vi")
        self.assertIn("Gửi lên mọi hồ sơ đang chờ", r.stdout)
        r = run("fieldkit-server", "--help", LANGUAGE="vi")
        self.assertIn("Chạy API tiếp nhận", r.stdout)

    def start_server(self):
        """The installed server: the service where systemd runs, else in
        the foreground as its user, with /etc/fieldkit/server.conf."""
        if os.path.isdir("/run/systemd/system"):
            run("systemctl", "restart", "fieldkit-server")
            self.addCleanup(run, "systemctl", "stop", "fieldkit-server", check=False)
            return "http://127.0.0.1:8470"
        proc = subprocess.Popen(
            AS_SERVER + ["/usr/bin/fieldkit-server", "serve",
             "--listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE, text=True, env=installed_env())
        self.server = proc
        line = proc.stdout.readline().split()
        self.assertEqual(line[:1], ["listening"], "the installed server did not start")
        return line[1]

    def stop_server(self):
        proc = getattr(self, "server", None)
        if proc is None:
            return
        # SIGTERM: the server finishes what is in flight and exits 0.
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=60), 0)
        self.server = None

    def deliver(self):
        device = os.path.join(self.tmp.name, "device")
        ctl = ["/usr/bin/fieldkit-ctl", "--data", device]
        run(*ctl, "init", "--server-key", "/etc/fieldkit/keys/server.pub", "--kdf-passes", "1",
            "--kdf-memory", "0", FIELDKIT_PIN=PIN)
        key = run(*ctl, "device-key").stdout.strip()
        as_server("fieldkit-server", "device", "add", "--pubkey", key, "--name", "tablet-01")
        listed = json.loads(as_server("fieldkit-server", "device", "list", "--json").stdout)
        self.assertEqual([d["pubkey"] for d in listed], [key])

        example = os.path.join(SOURCE, "docs", "examples", "birth-registration.json")
        run(*ctl, "intake", "add", "--json", example, FIELDKIT_PIN=PIN)
        url = self.start_server()
        try:
            r = run(*ctl, "sync", "--server", url, "--json")
            summary = json.loads(r.stdout)
            self.assertEqual((summary["delivered"], summary["remaining"]), (1, 0), r.stdout)
            states = [d["state"] for d in json.loads(run(*ctl, "queue", "list", "--json").stdout)]
            self.assertEqual(states, ["delivered"])
        finally:
            self.stop_server()

        # The commune opens it with the installed server's keys.
        out = tempfile.mkdtemp(prefix="fk-package-export.", dir="/tmp")
        self.addCleanup(shutil.rmtree, out, True)
        os.chown(out, pwd.getpwnam("fieldkit").pw_uid, -1)
        as_server("fieldkit-server", "export", "--out", os.path.join(out, "x"))
        folders = os.listdir(os.path.join(out, "x"))
        self.assertEqual(len(folders), 1)
        with open(os.path.join(out, "x", folders[0], "dossier.json"), encoding="utf-8") as f:
            self.assertIn("Nguyễn Thị Hoà Bình", f.read())
        self.assertTrue(os.path.exists("/var/lib/fieldkit-server/server.sqlite"))

    def remove_then_purge(self, files):
        run(*APT, "remove", *PACKAGES)
        for p in PACKAGES:
            self.assertIn(package_state(p), ("config-files", "not-installed"))
        # Only configuration and data are left: the conffile, the keys and
        # the database.
        left = sorted(p for p in files if os.path.lexists(p))
        self.assertEqual(left, ["/etc/fieldkit/server.conf"])
        self.assertTrue(os.path.exists("/etc/fieldkit/keys/server.secret"))
        self.assertTrue(os.path.exists("/var/lib/fieldkit-server/server.sqlite"))
        for path in BINARIES + [UNIT]:
            self.assertFalse(os.path.lexists(path), path)

        # Packages without conffiles are gone already; the rest are purged.
        self.assertEqual(ours_installed(), ["fieldkit-server"])
        purge_ours()
        for p in PACKAGES:
            self.assertEqual(package_state(p), "not-installed")
        for path in DATA_DIRS:
            self.assertFalse(os.path.lexists(path), path)
        self.assertNotIn("/etc/fieldkit", run("dpkg-statoverride", "--list").stdout)
        self.assertEqual([p for p in files if os.path.lexists(p)], [])


if __name__ == "__main__":
    if sys.argv[1:2] == ["--purge-leftovers"]:
        purge_leftovers(wait="--no-wait" not in sys.argv)
        sys.exit(0)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, purge_when_killed)
    unittest.main(verbosity=2)
