"""`kiosk screenshots`: every screen, every language, high contrast, 1920×1080 PNG files;
and every screen's layout fits a 1080p display in every language."""

from __future__ import annotations

import hashlib
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import LANGUAGES
from kiosk.session import State

KIOSK = Path(sys.executable).parent / "kiosk"
SCREENS = (
    "01-idle",
    "02-reading_card",
    "03-confirm_identity",
    "04-consent",
    "05-waiting_room",
    "05-waiting_room-staff_calling",
    "05-waiting_room-staff_coming",
    "05-waiting_room-booked_next",
    "05-waiting_room-no_doctor",
    "05-waiting_room-closed",
    "05-waiting_room-nobody_came",
    "05-waiting_room-nobody_came-book",
    "06-waiting_room-time_limit",
    "06-waiting_room-time_limit-staff_unreachable",
    "07-in_call",
    "07-in_call-connecting",
    "07-in_call-cannot_hear",
    "07-in_call-confirm_end",
    "07-in_call-muted",
    "07-in_call-chat",
    "07-in_call-chat-answered",
    "07-in_call-staff_coming",
    "07-in_call-voice_only",
    "07-in_call-reconnecting",
    "07-in_call-exam-ear_left",  # harness.screenshot_exam
    "07-in_call-exam-throat",
    "07-in_call-exam-heart",
    "07-in_call-exam-lungs_back",
    "07-in_call-exam-camera_lost",
    "08-measuring-chat",
    "08-measuring-blood_pressure",
    "08-measuring-temperature",
    "08-measuring-weight",
    "08-measuring-spo2",
    "09-fault-card_pulled",
    "09-fault-card_unreadable",
    "09-fault-card-vitale1",
    "09-fault-card-cps",
    "09-fault-card-bank",
    "09-fault-card-empty",
    "09-fault-call_lost",
    "09-fault-doctor_ended",
    "09-fault-generic",
    "09-fault-network_lost",
    "09-fault-instrument_unplugged",
    "09-fault-printer_problem",
    "09-fault-printer_problem-confirm",
    "10-printing",
    "11-goodbye",
    "12-wiping",
    "13-cleaning",
    "14-technician-pin",
    "14-technician-pin-locked",
    "15-technician",
    "16-booking_code-empty",
    "16-booking_code-typing",
    "16-booking_code-checking",
    "16-booking_code-bad_code",
    "16-booking_code-rate_limited",
    "16-booking_code-no_answer",
    "17-goodbye-no_appointment",
    "19-nurse-sign_in",
    "19-nurse-sign_in-cps",
    "19-nurse-sign_in-bad_rpps",
    "20-nurse-desk",
    "20-nurse-patient_without_card-bad_date",
    "21-nurse-consent",
    "21-nurse-doctor_choice",
    "21-nurse-waiting_for_doctor",
    "21-nurse-waiting_for_doctor-offline",
    "22-nurse-devices",
    "22-nurse-devices-paired",
    "22-nurse-devices-bonded_elsewhere",
)
#: Screens in every language at once, without a high-contrast mode: one picture each.
SINGLE_SCREENS = ("18-out_of_service",)


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", head[16:24])
    return width, height


@pytest.mark.slow
def test_screenshots_of_every_screen_language_and_contrast(tmp_path):
    out = tmp_path / "shots"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [str(KIOSK), "screenshots", "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    expected = {
        f"{screen}-{language}{hc}.png"
        for screen in SCREENS
        for language in LANGUAGES
        for hc in ("", "-hc")
    } | {f"{screen}.png" for screen in SINGLE_SCREENS}
    assert {p.name for p in out.iterdir()} == expected
    assert f"{len(expected)} screenshots" in proc.stdout
    noise = [
        line
        for line in proc.stderr.splitlines()
        if line.strip() and "propagateSizeHints" not in line
    ]
    assert not noise, noise  # no Qt warning, no traceback, no error log
    digests = {}
    for name in expected:
        assert png_size(out / name) == (1920, 1080), name
        digests[name] = hashlib.sha256((out / name).read_bytes()).hexdigest()
    for screen in SCREENS:
        # Each language and the high-contrast mode really change the picture.
        variants = {digests[f"{screen}-{lang}{hc}.png"] for lang in LANGUAGES for hc in ("", "-hc")}
        assert len(variants) == 2 * len(LANGUAGES), screen


def test_screenshot_size_is_checked():
    proc = subprocess.run(
        [str(KIOSK), "screenshots", "--out", "/tmp/never", "--size", "12x"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 2
    assert "WIDTHxHEIGHT" in proc.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_screen_fits_a_1080p_display(kiosk_app, language):
    from tests.ui.test_screens import go_to

    kiosk_app.bridge.on_language(language)
    go_to(kiosk_app, State.IN_CALL)
    for state, screen in kiosk_app.window.screens.items():
        screen.refresh()
        hint = screen.minimumSizeHint()
        assert hint.width() <= 1920 and hint.height() <= 1080, (state, language, hint)
