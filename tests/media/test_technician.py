"""The exam instruments for a technician: their config tables, ``kiosk selftest``, ``kiosk
measure`` (a still, a clip) and ``kiosk sim camera``; and a session's stills and clips, kept
only in its tmpfs spool and wiped with it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import av
import pytest

from drivers.media import capture, sim
from kiosk import config, selftest
from kiosk.errors import ConfigError, PrivacyError
from kiosk.exam import ExamFiles, check_media
from kiosk.privacy import Spool
from tests.helpers.cli import run_kiosk

CABIN = '[cabin]\nid = "c"\n'


def media_config(tmp_path: Path, spool: Path, tables: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'{CABIN}[session]\nspool_dir = "{spool}"\n{tables}', encoding="utf-8")
    return path


def test_the_media_tables_are_read_apart_from_the_instruments():
    cfg = config.parse(
        CABIN + '[devices.exam_camera]\nurl = "v4l2:///dev/video2?size=1920x1080&fps=30"\n'
        'model = "Firefly DE500"\n[devices.stethoscope]\nurl = "alsa://hw:2,0"\n'
    )
    assert cfg.devices == {}
    assert cfg.media["exam_camera"].url == "v4l2:///dev/video2?size=1920x1080&fps=30"
    assert cfg.media["exam_camera"].model == "Firefly DE500"
    assert cfg.media["stethoscope"] == config.MediaSourceConfig(url="alsa://hw:2,0")


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ('[devices.exam_camera]\nurl = "v4l2:///dev/video2?size=big"\n', "not WIDTHxHEIGHT"),
        ('[devices.stethoscope]\nurl = "pulse://default"\n', "scheme must be one of"),
        ('[devices.stethoscope]\nurl = "v4l2:///dev/video2"\n', "cannot be opened as v4l2"),
        ('[devices.exam_camera]\nurl = "alsa://hw:2,0"\n', "cannot be opened as alsa"),
        ('[devices.stethoscope]\nuri = "alsa://hw:2,0"\n', r"\[devices.stethoscope\]: unknown"),
        ("[devices.stethoscope]\n", "'url' is required"),
        ('[media]\nurl = "alsa://hw:2,0"\n', "unknown key 'media'"),
    ],
)
def test_a_bad_media_table_names_the_file_table_and_key(table, says):
    with pytest.raises(ConfigError, match=says) as caught:
        config.parse(CABIN + table, source="kiosk.toml")
    assert str(caught.value).startswith("kiosk.toml: ")


def test_selftest_checks_each_instrument_present_and_in_its_format():
    cfg = config.parse(
        CABIN + f'[devices.exam_camera]\nurl = "{sim.camera_url(offer=(640, 480))}"\n'
        '[devices.stethoscope]\nurl = "lavfi:sine=frequency=120:sample_rate=48000?rate=48000"\n'
    )
    results = {r.name: r for r in check_media(cfg)}
    assert results["media:exam_camera"].ok
    assert results["media:exam_camera"].detail.startswith("gives 640×480 at 30 fps")
    assert results["media:stethoscope"].ok
    assert results["media:stethoscope"].detail.startswith("gives 48000 Hz, 1 channel(s)")


def test_selftest_says_what_to_do_about_a_missing_or_wrong_instrument():
    cfg = config.parse(
        CABIN
        + f'[devices.exam_camera]\nurl = "{sim.camera_url(offer=(640, 480), ask=(1920, 1080))}"\n'
        '[devices.stethoscope]\nurl = "file:/nonexistent/stethoscope.wav"\n'
    )
    report = selftest.run_all(cfg)
    checks = {c.name: c for c in report.checks}
    camera, steth = checks["media:exam_camera"], checks["media:stethoscope"]
    assert not camera.ok and "asked 1920×1080, got 640×480" in camera.detail
    assert "put one of them in [devices.exam_camera] url" in camera.hint
    assert not steth.ok and "[missing]" in steth.detail
    assert steth.hint.startswith("plug the stethoscope in")
    assert not report.ok


def test_measure_takes_a_full_resolution_still(tmp_path, shm_spool):
    cfg = media_config(tmp_path, shm_spool, f'[devices.exam_camera]\nurl = "{sim.camera_url()}"\n')
    still = tmp_path / "out.jpg"
    done = run_kiosk("measure", "exam_camera", "--still", str(still), "--config", str(cfg))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("exam_camera: still 1920×1080, ")
    with av.open(io.BytesIO(still.read_bytes()), format="jpeg_pipe") as back:
        frame = next(back.decode(video=0))
    assert (frame.width, frame.height) == (1920, 1080)
    # never over a file already there: nothing of the technician's is lost
    again = run_kiosk("measure", "exam_camera", "--still", str(still), "--config", str(cfg))
    assert again.returncode == 1
    assert f"{still} exists: give a new file name" in again.stderr


def test_measure_reports_a_camera_short_of_the_size_asked(tmp_path, shm_spool):
    url = sim.camera_url(offer=(640, 480), ask=(1920, 1080))
    cfg = media_config(tmp_path, shm_spool, f'[devices.exam_camera]\nurl = "{url}"\n')
    done = run_kiosk("measure", "exam_camera", "--json", "--config", str(cfg))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["width"], report["height"]) == (640, 480)
    assert report["notice"] == "asked 1920×1080, got 640×480"


@pytest.mark.parametrize(
    ("args", "says", "code"),
    [
        (["exam_camera", "--seconds", "5"], "the camera takes --still", 1),
        (["stethoscope", "--still", "x.jpg"], "the stethoscope takes --seconds", 1),
        (["stethoscope", "--seconds", "45"], "at most 30", 1),
        (["tensiometer", "--still", "x.jpg"], "are for media instruments", 2),
    ],
)
def test_measure_refuses_options_that_do_not_fit(tmp_path, shm_spool, args, says, code):
    cfg = media_config(
        tmp_path,
        shm_spool,
        f'[devices.exam_camera]\nurl = "{sim.camera_url()}"\n'
        '[devices.stethoscope]\nurl = "lavfi:sine"\n',
    )
    done = run_kiosk("measure", *args, "--config", str(cfg))
    assert done.returncode == code
    assert says in done.stderr


def test_sim_camera_prints_a_table_the_config_takes():
    done = run_kiosk("sim", "camera", "--offer", "640x480", "--size", "1920x1080")
    assert done.returncode == 0, done.stderr
    cfg = config.parse(CABIN + done.stdout)
    assert cfg.media["exam_camera"].url.startswith("lavfi:testsrc2=size=640x480")
    bad = run_kiosk("sim", "camera", "--size", "huge")
    assert bad.returncode == 2 and "not WIDTHxHEIGHT" in bad.stderr


def test_stills_and_clips_live_in_the_session_spool_and_go_with_it(shm_spool):
    spool = Spool(shm_spool)
    spool.prepare()
    files = ExamFiles(spool, "s-1")
    still = files.save_still(capture.grab_still(sim.camera_url(offer=(640, 480))).jpeg)
    clip = files.save_clip(capture.record("lavfi:sine=frequency=120", seconds=0.2).wav)
    assert still.parent == clip.parent == shm_spool / "s-1" / "exam"
    assert (still.stat().st_mode & 0o777, clip.stat().st_mode & 0o777) == (0o600, 0o600)
    assert files.files() == [still, clip]
    spool.wipe("s-1")
    assert not still.exists() and not clip.exists() and spool.files() == []


def test_a_crash_leaves_no_still_behind(shm_spool):
    spool = Spool(shm_spool)
    spool.prepare()
    ExamFiles(spool, "s-2").save_still(b"\xff\xd8" + bytes(100) + b"\xff\xd9")
    assert Spool(shm_spool).wipe_all() == 1  # the next start-up
    assert spool.files() == []


def test_only_real_stills_and_clips_are_kept(shm_spool):
    spool = Spool(shm_spool)
    spool.prepare()
    files = ExamFiles(spool, "s-3")
    with pytest.raises(PrivacyError, match="JPEG"):
        files.save_still(b"GIF89a")
    with pytest.raises(PrivacyError, match="WAV"):
        files.save_clip(b"RIFF\0\0\0\0AVI ")
    with pytest.raises(PrivacyError, match="8 MB"):
        files.save_still(b"\xff\xd8" + bytes(9 * 1024 * 1024))
    assert files.files() == []
