"""fk_cups: a real CUPS scheduler of the test's own, with cups-pdf queues.

`Cups()` starts `cupsd -f` with its configuration, spool, cache, state and
logs in a temporary directory, listening only on a Unix socket there; the
programs under test reach it through `CUPS_SERVER` (`env()`), so nothing
touches the machine's own CUPS. `add_pdf_queue()` makes a queue on the
cups-pdf backend (the simulated printer): cups-pdf reads its configuration
from /etc/cups/cups-pdf-INSTANCE.conf for a `cups-pdf:/INSTANCE` device,
the one place it looks, so a configuration named after this scheduler's
directory is written there (sending the PDFs to `pdf_dir`) and removed by
`close()`. `add_queue()` makes a queue on any other device (one that is
missing, to see a printer that cannot be reached). `add_no_paper_queue()`
makes one whose device is a receipt printer out of paper: a backend of the
scheduler's own (its ServerBin links the real filters and backends) that
reports `media-empty-error`, as a printer's backend does, and never prints.

`cannot_run()` says why this cannot run here (not root: cups-pdf runs as
root only; cupsd or cups-pdf missing); tests then skip.
"""

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time

CUPSD = "/usr/sbin/cupsd"
LPADMIN = "/usr/sbin/lpadmin"
CUPS_PDF = "/usr/lib/cups/backend/cups-pdf"
PDF_PPD = "/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd"
CUPS_PDF_CONF_DIR = "/etc/cups"
SERVER_BIN = "/usr/lib/cups"
NO_PAPER_BACKEND = """#!/bin/sh
# A receipt printer out of paper: it says so, as a printer's backend does,
# and waits for paper that never comes (cancelling the job ends it).
if [ $# -eq 0 ]; then
  echo 'direct fk-no-paper "Unknown" "FieldKit test printer out of paper"'
  exit 0
fi
echo "STATE: +media-empty-error" >&2
echo "INFO: Out of paper" >&2
cat >/dev/null
exec sleep 600
"""


def cannot_run():
    if os.geteuid() != 0:
        return "cups-pdf runs as root only, and so must the test's cupsd"
    for path in (CUPSD, LPADMIN, CUPS_PDF, PDF_PPD, shutil.which("gs") or "/usr/bin/gs"):
        if not os.path.exists(path):
            return "%s is not installed (scripts/ensure-deps installs it)" % path
    return None


class Cups:
    def __init__(self):
        # Not under the test's TMPDIR: its folder is private (0700), and the
        # filters run as lp must reach the spool.
        self.dir = tempfile.mkdtemp(prefix="fk-cups-", dir="/tmp")
        os.chmod(self.dir, 0o755)
        self.instance = "fk" + os.path.basename(self.dir).split("-")[-1].lower()
        self.socket = os.path.join(self.dir, "cups.sock")
        self.pdf_dir = os.path.join(self.dir, "pdf")
        self.confs = []
        for sub in ("etc", "etc/ppd", "spool", "spool/tmp", "cache", "state", "log", "pdf",
                    "pdf-spool", "bin", "bin/backend"):
            os.makedirs(os.path.join(self.dir, sub), exist_ok=True)
            os.chmod(os.path.join(self.dir, sub), 0o755)
        # The filters run as lp: they read the spool and write in its tmp.
        os.chmod(os.path.join(self.dir, "spool", "tmp"), 0o1777)
        os.chmod(os.path.join(self.dir, "pdf"), 0o1777)
        self._server_bin()
        etc = os.path.join(self.dir, "etc")
        with open(os.path.join(etc, "cupsd.conf"), "w") as f:
            f.write("LogLevel debug\n"
                    "Listen %s\n"
                    "Browsing Off\n"
                    "DefaultAuthType None\n"
                    "JobRetryInterval 1\n"
                    "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
                    "<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n"
                    "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n"
                    "</Policy>\n" % self.socket)
        with open(os.path.join(etc, "cups-files.conf"), "w") as f:
            f.write("ServerRoot %s\n" % etc
                    + "RequestRoot %s\n" % os.path.join(self.dir, "spool")
                    + "TempDir %s\n" % os.path.join(self.dir, "spool", "tmp")
                    + "CacheDir %s\n" % os.path.join(self.dir, "cache")
                    + "StateDir %s\n" % os.path.join(self.dir, "state")
                    + "ErrorLog %s\n" % os.path.join(self.dir, "log", "error_log")
                    + "AccessLog %s\n" % os.path.join(self.dir, "log", "access_log")
                    + "PageLog %s\n" % os.path.join(self.dir, "log", "page_log")
                    + "ServerBin %s\n" % os.path.join(self.dir, "bin")
                    + "FatalErrors none\n"
                    + "Sandboxing relaxed\n"
                    + "User lp\nGroup lp\nSystemGroup root\n")
        self.proc = subprocess.Popen([CUPSD, "-f", "-c", os.path.join(etc, "cupsd.conf"),
                                      "-s", os.path.join(etc, "cups-files.conf")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        atexit.register(self.close)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("cupsd exited with %d: %s" % (self.proc.returncode,
                                                                 self.error_log()))
            try:
                s = socket.socket(socket.AF_UNIX)
                s.connect(self.socket)
                s.close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("cupsd did not listen on %s" % self.socket)

    def _server_bin(self):
        """The real filters and backends, and ours, the printer out of paper."""
        bin_dir = os.path.join(self.dir, "bin")
        for name in os.listdir(SERVER_BIN):
            if name != "backend":
                os.symlink(os.path.join(SERVER_BIN, name), os.path.join(bin_dir, name))
        for name in os.listdir(os.path.join(SERVER_BIN, "backend")):
            os.symlink(os.path.join(SERVER_BIN, "backend", name),
                       os.path.join(bin_dir, "backend", name))
        path = os.path.join(bin_dir, "backend", "fk-no-paper")
        with open(path, "w") as f:
            f.write(NO_PAPER_BACKEND)
        os.chmod(path, 0o755)

    def env(self, base=None):
        env = dict(os.environ if base is None else base)
        env["CUPS_SERVER"] = self.socket
        return env

    def lpadmin(self, *args):
        subprocess.run([LPADMIN, *args], check=True, env=self.env(), capture_output=True,
                       text=True)

    def tool(self, name, *args):
        return subprocess.run([name, *args], check=True, env=self.env(), capture_output=True,
                              text=True).stdout

    def add_pdf_queue(self, name):
        """A cups-pdf queue writing its PDFs to pdf_dir, enabled."""
        instance = "%s-%s" % (self.instance, name.lower())
        conf = os.path.join(CUPS_PDF_CONF_DIR, "cups-pdf-%s.conf" % instance)
        with open(conf, "w") as f:
            # Label 2: the job id in every file name, so that a receipt printed
            # twice makes two files.
            f.write("Out %s\nAnonDirName %s\nSpool %s\nLog %s\nLogType 3\nLabel 2\n"
                    % (self.pdf_dir, self.pdf_dir, os.path.join(self.dir, "pdf-spool"),
                       os.path.join(self.dir, "log")))
        self.confs.append(conf)
        self.lpadmin("-p", name, "-v", "cups-pdf:/" + instance, "-P", PDF_PPD, "-E")

    def add_queue(self, name, uri):
        self.lpadmin("-p", name, "-v", uri, "-P", PDF_PPD, "-E")

    def add_no_paper_queue(self, name):
        self.add_queue(name, "fk-no-paper:/")

    def jobs(self):
        """The jobs not completed, cancelled or aborted, as lpstat lists them."""
        return self.tool("lpstat", "-o").split("\n")[:-1]

    def pdfs(self):
        return sorted(glob.glob(os.path.join(self.pdf_dir, "**", "*.pdf"), recursive=True))

    def error_log(self):
        try:
            with open(os.path.join(self.dir, "log", "error_log"), errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for conf in self.confs:
            if os.path.exists(conf):
                os.unlink(conf)
        self.confs = []
        shutil.rmtree(self.dir, ignore_errors=True)
