"""Spoken guidance: espeak-ng in a child process the app owns (off until the patient asks).

Saying something new stops what is being said; nothing waits for the voice, and the process
is stopped when the app closes.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from PyQt6.QtCore import QObject, QProcess, pyqtSignal

log = logging.getLogger(__name__)

VOICES = {"fr": "fr", "en": "en-gb", "ar": "ar", "es": "es"}
WORDS_PER_MINUTE = 140  # slower than espeak's default 175: easier to follow
STOP_WAIT_MS = 1000


class Speaker(QObject):
    """Reads texts aloud; :attr:`enabled` is the patient's switch."""

    #: Speaking started (the text), for tests and the technician log.
    started = pyqtSignal(str)
    #: The voice could not start (why).
    failed = pyqtSignal(str)

    def __init__(
        self,
        *,
        binary: str = "espeak-ng",
        wav_out: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``wav_out`` writes the speech to a WAV file instead of the speakers (tests)."""
        super().__init__(parent)
        self.binary = shutil.which(binary) or binary
        self.wav_out = wav_out
        self.failures = 0
        self.enabled = False
        self.last_text = ""
        self._process: QProcess | None = None

    @property
    def speaking(self) -> bool:
        return (
            self._process is not None
            and self._process.state() is not QProcess.ProcessState.NotRunning
        )

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        if not on:
            self.stop()

    def say(self, text: str, language: str) -> None:
        """Say ``text`` (when enabled), interrupting what is being said."""
        if not self.enabled or not text.strip():
            return
        self.stop()
        process = QProcess(self)
        process.setObjectName("espeak-ng")
        process.setProgram(self.binary)
        args = ["-v", VOICES.get(language, "fr"), "-s", str(WORDS_PER_MINUTE)]
        if self.wav_out is not None:
            args += ["-w", str(self.wav_out)]
        process.setArguments([*args, "--", text])
        process.setStandardOutputFile(QProcess.nullDevice())
        process.setStandardErrorFile(QProcess.nullDevice())
        process.errorOccurred.connect(self._on_error)
        process.finished.connect(lambda code, _status, p=process: self._on_finished(p, code))
        self._process = process
        self.last_text = text
        process.start()
        self.started.emit(text)

    def _on_finished(self, process: QProcess, code: int) -> None:
        if self._process is process:
            self._process = None
            if code != 0:
                # No sound device, a missing voice...: said once in the log, not per screen.
                self.failures += 1
                if self.failures == 1:
                    log.warning("speech: %s exited with %d", self.binary, code)
                    self.failed.emit(f"{self.binary} exited with {code}")
        process.deleteLater()

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error is QProcess.ProcessError.FailedToStart:
            why = f"{self.binary} could not start (package espeak-ng)"
            log.warning("speech: %s", why)
            self.failed.emit(why)

    def stop(self, *, wait: bool = False) -> None:
        """Silence the voice now; the process is reaped when Qt sees it end (``wait`` at
        shutdown only: the event loop never waits for it)."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.state() is not QProcess.ProcessState.NotRunning:
            process.kill()
            if wait:
                process.waitForFinished(STOP_WAIT_MS)
        if process.state() is QProcess.ProcessState.NotRunning:
            process.deleteLater()
        # else: _on_finished deletes it when it has ended.

    def close(self) -> None:
        self.enabled = False
        self.stop(wait=True)
