"""Spoken guidance: the real espeak-ng, started without waiting, stopped by its owner."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from tests.ui.helpers import click
from ui.speech import Speaker

LONG = "Asseyez-vous, le dos contre le dossier. " * 20


@pytest.fixture
def espeak():
    binary = shutil.which("espeak-ng")
    if binary is None:
        pytest.fail("espeak-ng is not installed (package espeak-ng): run `make setup`")
    return binary


def test_off_by_default_and_silent(qtbot, espeak, tmp_path):
    speaker = Speaker(wav_out=tmp_path / "out.wav")
    speaker.say("Bonjour", "fr")
    assert not speaker.speaking
    assert not (tmp_path / "out.wav").exists()


def test_speaks_without_blocking_the_loop(qtbot, espeak, tmp_path):
    wav = tmp_path / "out.wav"
    speaker = Speaker(wav_out=wav)
    speaker.set_enabled(True)
    with qtbot.waitSignal(speaker.started):
        start = time.monotonic()
        speaker.say("Insérez votre carte Vitale", "fr")
        assert time.monotonic() - start < 0.5  # started, not waited for
    qtbot.waitUntil(lambda: not speaker.speaking, timeout=15_000)
    data = wav.read_bytes()
    assert data[:4] == b"RIFF" and len(data) > 10_000  # real synthesised speech
    speaker.close()


@pytest.mark.parametrize("language", ["fr", "en", "ar", "es"])
def test_every_language_has_a_voice(qtbot, espeak, tmp_path, language):
    wav = tmp_path / f"{language}.wav"
    speaker = Speaker(wav_out=wav)
    speaker.set_enabled(True)
    speaker.say({"fr": "Bonjour", "en": "Hello", "ar": "مرحبا", "es": "Hola"}[language], language)
    qtbot.waitUntil(lambda: not speaker.speaking, timeout=15_000)
    assert speaker.failures == 0
    assert wav.stat().st_size > 1000


def test_new_text_interrupts_and_stop_kills(qtbot, espeak, tmp_path):
    speaker = Speaker(wav_out=tmp_path / "out.wav")
    speaker.set_enabled(True)
    speaker.say(LONG, "fr")
    first = speaker._process
    speaker.say(LONG, "fr")
    assert speaker._process is not first
    assert speaker.speaking
    pid = speaker._process.processId()
    assert pid > 0
    speaker.set_enabled(False)  # the patient's switch stops the voice at once
    assert not speaker.speaking
    # Killed without the loop waiting, then reaped by Qt: no process left behind.
    qtbot.waitUntil(lambda: not Path(f"/proc/{pid}").exists(), timeout=5000)


def test_a_missing_binary_is_reported(qtbot, tmp_path):
    speaker = Speaker(binary=str(tmp_path / "no-espeak"))
    speaker.set_enabled(True)
    with qtbot.waitSignal(speaker.failed, timeout=5000) as blocker:
        speaker.say("Bonjour", "fr")
    assert "could not start" in blocker.args[0]
    speaker.close()


def test_the_read_aloud_switch_is_on_every_screen(kiosk_app, qtbot, espeak, tmp_path):
    window = kiosk_app.window
    assert window.speaker is not None and not window.speaker.enabled
    window.speaker.wav_out = tmp_path / "screen.wav"
    with qtbot.waitSignal(window.speaker.started) as blocker:
        click(qtbot, window.current.speech_button)
    assert blocker.args == ["Insérez votre carte Vitale\n" + window.current.body.text()]
    for screen in window.screens.values():
        assert screen.speech_button.text().startswith("☑")
    click(qtbot, window.current.speech_button)
    assert not window.speaker.enabled and not window.speaker.speaking
