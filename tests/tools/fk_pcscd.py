"""fk_pcscd: the real pcscd with vsmartcard's vpcd reader, for tests.

pcscd has one fixed socket (/run/pcscd/pcscd.comm) and must run as root,
so one instance at a time on the machine: `PcscdWithVpcd` takes an
exclusive lock first (tests that use it also run one at a time in meson),
starts pcscd in the foreground with a reader configuration of its own
(vpcd listening on a free loopback port), and stops it on exit.

`cannot_run()` says why pcscd genuinely cannot run here (not root, not
installed, another pcscd not ours holds the socket); tests then skip.
"""

import ctypes
import fcntl
import os
import random
import signal
import socket
import subprocess
import tempfile
import time

PCSCD = "/usr/sbin/pcscd"
VPCD_DRIVER = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so"
SOCKET = "/run/pcscd/pcscd.comm"
PID_FILE = "/run/pcscd/pcscd.pid"
LOCK = "/run/lock/fieldkit-pcscd.lock" if os.path.isdir("/run/lock") else "/tmp/fieldkit-pcscd.lock"
READER = "Virtual PCD 00 00"
MARK = "fieldkit-vpcd-"


SCARD_STATE_EMPTY = 0x10
SCARD_STATE_PRESENT = 0x20


class _ReaderState(ctypes.Structure):
    # pcsc-lite's SCARD_READERSTATE on Linux: DWORD is unsigned long
    _fields_ = [("szReader", ctypes.c_char_p), ("pvUserData", ctypes.c_void_p),
                ("dwCurrentState", ctypes.c_ulong), ("dwEventState", ctypes.c_ulong),
                ("cbAtr", ctypes.c_ulong), ("rgbAtr", ctypes.c_ubyte * 33)]


def wait_card(present, reader=READER, timeout=20):
    """Waits until pcscd sees a card on @reader (or none): a card that
    just left shows as present until the reader has looked again."""
    lib = ctypes.CDLL("libpcsclite.so.1")
    ctx = ctypes.c_long()
    if lib.SCardEstablishContext(2, None, None, ctypes.byref(ctx)) != 0:
        raise RuntimeError("pcscd does not answer")
    try:
        state = _ReaderState(reader.encode(), None, 0, 0, 0)
        want = SCARD_STATE_PRESENT if present else SCARD_STATE_EMPTY
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rv = lib.SCardGetStatusChange(ctx, ctypes.c_ulong(200), ctypes.byref(state), ctypes.c_ulong(1))
            if rv in (0, 0x8010000A) and state.dwEventState & want:  # success, timeout
                return
            state.dwCurrentState = state.dwEventState & ~0x2  # all but CHANGED
            if rv not in (0, 0x8010000A):
                time.sleep(0.1)
        raise RuntimeError("the card did not %s the reader" % ("reach" if present else "leave"))
    finally:
        lib.SCardReleaseContext(ctx)


def _alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def _foreign_pcscd():
    """The pid of a running pcscd that is not a leftover of ours, or None."""
    try:
        with open(PID_FILE) as f:
            pid = int(f.read().strip())
    except (OSError, ValueError):
        pid = None
    if pid is not None and _alive(pid):
        try:
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                cmdline = f.read().decode(errors="replace")
        except OSError:
            cmdline = ""
        if MARK in cmdline:
            return -pid  # ours, left behind by a test that died
        return pid
    if os.path.exists(SOCKET):
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect(SOCKET)
            return 0  # someone answers without a pid file we can read
        except OSError:
            pass
        finally:
            s.close()
    return None


def cannot_run():
    if os.geteuid() != 0:
        return "pcscd needs root here"
    if not os.access(PCSCD, os.X_OK):
        return "pcscd is not installed"
    if not os.path.exists(VPCD_DRIVER):
        return "vsmartcard-vpcd is not installed"
    return None


def _free(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def _free_port_pair():
    """Two free neighbouring ports (vpcd listens on one per slot), below the
    ephemeral range, which busy loopback tests can fill."""
    rand = random.Random(os.getpid())
    for _ in range(500):
        port = rand.randrange(20000, 32000)
        if _free(port) and _free(port + 1):
            return port
    raise RuntimeError("no free port pair on loopback")


class PcscdWithVpcd:
    def __init__(self, workdir=None):
        self.workdir = tempfile.mkdtemp(prefix=MARK, dir=workdir)
        self.lock = None
        self.proc = None
        self.port = None
        self.log = os.path.join(self.workdir, "pcscd.log")

    def __enter__(self):
        self.lock = open(LOCK, "w")
        fcntl.flock(self.lock, fcntl.LOCK_EX)
        other = _foreign_pcscd()
        if other is not None and other < 0:
            os.kill(-other, signal.SIGTERM)
            for _ in range(50):
                if not _alive(-other):
                    break
                time.sleep(0.1)
        elif other is not None:
            raise RuntimeError("another pcscd (pid %d) holds %s" % (other, SOCKET))
        if os.path.exists(SOCKET) and _foreign_pcscd() is None:
            os.unlink(SOCKET)  # stale, nobody listens
        self.port = _free_port_pair()
        conf = os.path.join(self.workdir, "reader.conf.d")
        os.mkdir(conf)
        with open(os.path.join(conf, "vpcd"), "w") as f:
            f.write('FRIENDLYNAME "Virtual PCD"\nDEVICENAME /dev/null:%d\nLIBPATH %s\nCHANNELID %d\n'
                    % (self.port, VPCD_DRIVER, self.port))
        self.proc = subprocess.Popen([PCSCD, "--foreground", "--config", conf],
                                     stdout=open(self.log, "w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("pcscd exited: " + open(self.log).read()[-2000:])
            if os.path.exists(SOCKET):
                return self
            time.sleep(0.05)
        raise RuntimeError("pcscd did not start")

    def __exit__(self, *exc):
        if self.proc is not None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.lock is not None:
            fcntl.flock(self.lock, fcntl.LOCK_UN)
            self.lock.close()
        return False
