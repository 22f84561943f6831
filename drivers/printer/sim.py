"""A private CUPS with a cups-pdf queue: the simulated cabin printer for tests and demos.

Its own ``cupsd`` (own ServerRoot, spool, cache, logs) listens on a private Unix socket and a
loopback port; clients set ``CUPS_SERVER``. The queue's backend is a small wrapper around
cups-pdf that can play a printer fault (no paper, offline, jam). Stopped by PID.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

from drivers.daemon import PrivateDaemon
from drivers.printer.errors import CupsUnavailableError, NoSuchQueueError

CUPS_BIN = Path("/usr/lib/cups")
CUPS_PDF_BACKEND = CUPS_BIN / "backend" / "cups-pdf"
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
#: cups-pdf reads its instance config from here only (compiled in); ours is removed at stop.
CUPS_PDF_CONF_DIR = Path("/etc/cups")
BACKEND_NAME = "cabine-sim"
DEFAULT_QUEUE = "cabine-pdf"
#: Where ``kiosk sim printer`` puts its files unless told otherwise (the demo's CUPS_SERVER).
DEMO_DIR = "/dev/shm/cabine-cups"
#: Faults the simulated printer can play, as the printer-state-reasons its backend reports.
FAULTS = {
    "paper-out": "media-empty-error",
    "offline": "offline-error",
    "jam": "media-jam-error",
}

_BACKEND = """#!/bin/sh
# Cabine simulated printer: cups-pdf behind a fault switch (see drivers/printer/sim.py).
if [ $# -eq 0 ]; then
  echo 'direct {name} "Cabine" "Cabine simulated printer"'
  exit 0
fi
fault=$(cat "{faults}/$PRINTER" 2>/dev/null)
if [ -n "$fault" ]; then
  echo "STATE: -media-empty-error,offline-error,media-jam-error" >&2
  echo "STATE: +$fault" >&2
  echo "ERROR: simulated printer fault: $fault" >&2
  exit 4
fi
echo "STATE: -media-empty-error,offline-error,media-jam-error" >&2
# The queue hands over PDF; cups-pdf wants PostScript, so it gets a one-line program that
# runs the PDF itself (a PostScript round trip would drop the text's Unicode mapping).
pdf="{spool}/job-$1.pdf"
ps="{spool}/job-$1.ps"
if [ -n "$6" ]; then cat "$6" > "$pdf"; else cat > "$pdf"; fi
printf '%%!PS-Adobe-3.0\\n%%%%Title: %s\\n(%s) (r) file runpdf\\n' "$3" "$pdf" > "$ps"
DEVICE_URI="cups-pdf:/{instance}"
export DEVICE_URI
{cups_pdf} "$1" "$2" "$3" "$4" "$5" "$ps"
status=$?
rm -f "$pdf" "$ps"
exit $status
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class PrivateCups(PrivateDaemon):
    """One private cupsd with cups-pdf queues; ``start()`` returns once it serves.

    ``workdir`` must be reachable by the ``lp`` user (filters run as ``lp``); by default a new
    directory under /dev/shm (memory) is made, mode 0755, and removed by :meth:`cleanup`.
    """

    label = "private cupsd"
    install_hint = "install cups and cups-client (make setup)"
    error = CupsUnavailableError
    start_timeout = 15.0
    poll_interval = 0.02

    def __init__(
        self,
        *,
        workdir: str | os.PathLike[str] | None = None,
        port: int | None = None,
        queues: tuple[str, ...] = (DEFAULT_QUEUE,),
        keep_job_files: bool = False,
    ) -> None:
        #: True: a CUPS set up as installed by default, keeping each printed document a day.
        self.keep_job_files = keep_job_files
        parent = "/dev/shm" if Path("/dev/shm").is_dir() else None
        super().__init__(workdir, prefix="cabine-cups-", parent=parent)
        self.port = port or free_port()
        self.queues = queues
        self.socket_path = self.workdir / "cups.sock"
        self.server_root = self.workdir / "etc"
        self.request_root = self.workdir / "spool"
        self.temp_dir = self.workdir / "tmp"
        self.output_dir = self.workdir / "out"
        self.pdf_spool = self.workdir / "cups-pdf-spool"
        self.log_dir = self.workdir / "log"
        self.fault_dir = self.workdir / "faults"
        self.server_bin = self.workdir / "bin"
        self.instance = f"cabine-{os.getpid()}-{self.port}"
        self.cups_pdf_conf = CUPS_PDF_CONF_DIR / f"cups-pdf-{self.instance}.conf"

    # --- what clients need ----------------------------------------------------------------

    @property
    def server(self) -> str:
        """The value of ``CUPS_SERVER`` for clients of this cupsd."""
        return str(self.socket_path)

    def env(self) -> dict[str, str]:
        return {**os.environ, "CUPS_SERVER": self.server, "CUPS_SERVERROOT": str(self.server_root)}

    # --- set-up ---------------------------------------------------------------------------

    def _write_config(self) -> None:
        for folder in (self.workdir, self.output_dir, self.log_dir, self.fault_dir):
            folder.mkdir(parents=True, exist_ok=True)
        self.workdir.chmod(0o755)
        for folder in (self.server_root, self.server_bin, self.pdf_spool):
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
        self.output_dir.chmod(0o700)
        # Filters run as lp and write their temporary files here.
        self.temp_dir.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.temp_dir, "root", "lp")
        self.temp_dir.chmod(0o1770)
        # ServerBin: the system's filters and helpers, plus our own backend folder.
        for sub in ("filter", "daemon", "cgi-bin", "monitor", "notifier", "driver"):
            if (CUPS_BIN / sub).exists():
                (self.server_bin / sub).symlink_to(CUPS_BIN / sub)
        backends = self.server_bin / "backend"
        backends.mkdir()
        backend = backends / BACKEND_NAME
        backend.write_text(
            _BACKEND.format(
                name=BACKEND_NAME,
                faults=self.fault_dir,
                instance=self.instance,
                cups_pdf=CUPS_PDF_BACKEND,
                spool=self.pdf_spool,
            ),
            encoding="utf-8",
        )
        # 0700: cupsd runs a backend as root only when others cannot run it (cups-pdf needs it).
        backend.chmod(0o700)
        (self.server_root / "cups-files.conf").write_text(
            f"ServerRoot {self.server_root}\n"
            f"RequestRoot {self.request_root}\n"
            f"TempDir {self.temp_dir}\n"
            f"CacheDir {self.workdir / 'cache'}\n"
            f"StateDir {self.workdir / 'state'}\n"
            f"ServerBin {self.server_bin}\n"
            f"ErrorLog {self.log_dir / 'error_log'}\n"
            f"AccessLog {self.log_dir / 'access_log'}\n"
            f"PageLog {self.log_dir / 'page_log'}\n"
            # A value, never an empty line: CUPS 2.4.2-3+deb12u10 refuses "Printcap" alone
            # (cupsd exits at start); a file of our own keeps /etc/printcap untouched.
            f"Printcap {self.workdir / 'printcap'}\n"
            "User lp\nGroup lp\nSystemGroup root\n",
            encoding="utf-8",
        )
        (self.server_root / "cupsd.conf").write_text(
            "LogLevel info\n"
            f"Listen {self.socket_path}\n"
            f"Listen 127.0.0.1:{self.port}\n"
            "Browsing No\nWebInterface No\n"
            # No copy of a patient's document stays in the spool once printed.
            + ("" if self.keep_job_files else "PreserveJobFiles No\n")
            + "PreserveJobHistory Yes\nMaxJobs 500\n"
            "JobRetryLimit 0\nErrorPolicy stop-printer\n"
            "DefaultAuthType None\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n"
            "  JobPrivateAccess all\n  JobPrivateValues none\n"
            "  SubscriptionPrivateAccess all\n  SubscriptionPrivateValues none\n"
            "  <Limit All>\n    Order deny,allow\n  </Limit>\n"
            "</Policy>\n",
            encoding="utf-8",
        )
        self._remove_stale_instances()
        self.cups_pdf_conf.write_text(
            f"Out {self.output_dir}\n"
            f"AnonDirName {self.output_dir}\n"
            f"Spool {self.pdf_spool}\n"
            f"Log {self.log_dir}\n"
            "LogType 1\n"
            # NEWPDF=false: Ghostscript 10.0's new PDF reader drops the fonts' ToUnicode.
            "GSCall %s -q -dNEWPDF=false -dCompatibilityLevel=%s -dNOPAUSE -dBATCH -dSAFER "
            f"--permit-file-read={self.pdf_spool}/ "
            '-sDEVICE=pdfwrite -sOutputFile="%s" -dAutoRotatePages=/PageByPage '
            "-dAutoFilterColorImages=false -dColorImageFilter=/FlateEncode "
            "-dPDFSETTINGS=/prepress -c -f %s\n"
            # Ghostscript's temporary files stay in the private (memory) tree, not /var/tmp.
            f"GSTmp {self.pdf_spool}\n"
            "Grp root\n",
            encoding="utf-8",
        )

    @staticmethod
    def _remove_stale_instances() -> None:
        """cups-pdf configs left by a private CUPS whose process died without cleaning up."""
        for conf in CUPS_PDF_CONF_DIR.glob("cups-pdf-cabine-*.conf"):
            match = re.fullmatch(r"cups-pdf-cabine-(\d+)-\d+\.conf", conf.name)
            if match and not _pid_alive(int(match.group(1))):
                conf.unlink(missing_ok=True)

    def _launch(self) -> subprocess.Popen[bytes]:
        cupsd = self.program("cupsd")
        for needed in (CUPS_PDF_BACKEND, CUPS_PDF_PPD):
            if not needed.exists():
                raise CupsUnavailableError(
                    f"{needed} missing: install printer-driver-cups-pdf (make setup)"
                )
        try:
            self._write_config()
        except OSError as exc:
            raise CupsUnavailableError(f"cannot prepare the private CUPS: {exc}") from exc
        self.socket_path.unlink(missing_ok=True)
        conf, files = self.server_root / "cupsd.conf", self.server_root / "cups-files.conf"
        argv = [cupsd, "-f", "-c", str(conf), "-s", str(files)]
        return self._spawn(argv, stderr=self.log_dir / "cupsd.stderr")

    def _wait_ready(self, deadline: float) -> None:
        """Wait until it answers, then add the cups-pdf queues."""
        self.wait_until(self._answers, deadline, "its socket")
        for queue in self.queues:
            self.add_queue(queue)
        if self.queues:  # a kiosk configured without a queue name prints to the default
            self.admin("lpadmin", "-d", self.queues[0])

    def _describe(self) -> str:
        return f"on {self.socket_path} (port {self.port})"

    def _answers(self) -> bool:
        if not self.socket_path.exists():
            return False
        with socket.socket(socket.AF_UNIX) as probe:
            probe.settimeout(0.5)
            try:
                probe.connect(str(self.socket_path))
            except OSError:
                return False
        return True

    def admin(self, *command: str, timeout: float = 10.0) -> str:
        """Run a CUPS admin command (``lpadmin``, ``cupsdisable``...) against this cupsd."""
        argv = [self.program(command[0]), *command[1:]]
        try:
            done = subprocess.run(
                argv, env=self.env(), capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise CupsUnavailableError(f"{command[0]} did not answer in {timeout} s") from exc
        if done.returncode != 0:
            message = (done.stderr or done.stdout).strip()
            if "does not exist" in message or "Invalid destination" in message:
                raise NoSuchQueueError(message, queue=command[-1])
            raise CupsUnavailableError(f"{command[0]} failed: {message}")
        return done.stdout

    def _ppd(self) -> Path:
        """cups-pdf's PPD, told the printer takes PDF (CUPS then sends it after pdftopdf)."""
        path = self.workdir / "cabine-sim.ppd"
        if not path.exists():
            text = CUPS_PDF_PPD.read_text(encoding="latin-1")
            marker = "*LanguageLevel:"
            line = '*cupsFilter2: "application/vnd.cups-pdf application/pdf 0 -"\n'
            path.write_text(text.replace(marker, line + marker, 1), encoding="latin-1")
        return path

    def add_queue(self, queue: str) -> None:
        """A cups-pdf queue named ``queue``, enabled and accepting jobs."""
        self.admin("lpadmin", "-p", queue, "-E", "-v", f"{BACKEND_NAME}:/", "-P", str(self._ppd()))

    # --- printer faults, as staff would meet them ----------------------------------------

    def set_fault(self, queue: str, fault: str | None) -> None:
        """Make the next job on ``queue`` meet ``fault`` (a key of :data:`FAULTS`), or clear it.

        The backend reports the fault to CUPS, which stops the queue like a real printer would.
        """
        path = self.fault_dir / queue
        if fault is None:
            path.unlink(missing_ok=True)
            return
        if fault not in FAULTS:
            raise ValueError(f"unknown printer fault {fault!r}; one of {sorted(FAULTS)}")
        path.write_text(FAULTS[fault], encoding="ascii")

    def stop_queue(self, queue: str, *, reason: str = "stopped by staff") -> None:
        self.admin("cupsdisable", "-r", reason, queue)

    def resume_queue(self, queue: str) -> None:
        """Clear any fault, then enable the queue and let it accept jobs (staff fixed it)."""
        self.set_fault(queue, None)
        self.admin("cupsenable", queue)
        self.admin("cupsaccept", queue)

    def reject_jobs(self, queue: str) -> None:
        self.admin("cupsreject", queue)

    # --- what came out --------------------------------------------------------------------

    def printed(self) -> list[Path]:
        """The PDFs cups-pdf wrote (the simulated paper), oldest first."""
        return sorted(self.output_dir.rglob("*.pdf"), key=lambda p: p.stat().st_mtime_ns)

    def wait_printed(self, count: int, *, timeout: float = 20.0) -> list[Path]:
        """Wait until at least ``count`` PDFs came out; returns them, oldest first."""
        deadline = time.monotonic() + timeout
        while len(found := self.printed()) < count:
            if time.monotonic() >= deadline:
                raise CupsUnavailableError(
                    f"{len(found)} of {count} printed PDFs after {timeout} s: {self.log_tail()}"
                )
            time.sleep(0.02)  # polling a condition within a deadline
        return found

    def clear_output(self) -> None:
        for path in self.printed():
            path.unlink(missing_ok=True)

    def job_files(self) -> list[Path]:
        """Document files CUPS still holds for jobs (``d*`` in the spool) and its temp files."""
        found: list[Path] = []
        if self.request_root.exists():
            found += [p for p in self.request_root.glob("d*") if p.is_file()]
        for folder in (self.temp_dir, self.pdf_spool):
            if folder.exists():
                found += [p for p in folder.rglob("*") if p.is_file() and not p.is_socket()]
        return found

    def log_tail(self, lines: int = 5) -> str:
        parts: list[str] = []
        for name in ("cupsd.stderr", "error_log"):
            try:
                text = (self.log_dir / name).read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            wanted = [ln for ln in text.strip().splitlines() if ln[:2] in ("E ", "W ", "")]
            parts += wanted[-lines:]
        return " | ".join(parts) or "(empty log)"

    # --- teardown -------------------------------------------------------------------------

    def _forget(self) -> None:
        self.cups_pdf_conf.unlink(missing_ok=True)
        self.socket_path.unlink(missing_ok=True)
