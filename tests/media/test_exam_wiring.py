"""The cabin's call gets the configured exam instruments (``[devices.exam_camera]``,
``[devices.stethoscope]``), their stills kept in the cabin's spool; the demo's config has
both, as simulator sources; a cabin without them offers no extra track."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from harness.exam_demo import exam_instruments
from kiosk.cabin import Cabin
from kiosk.config import PortalLinkConfig, parse

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.asyncio


def demo_config(tmp_path: Path):  # type: ignore[no-untyped-def]
    config = parse((ROOT / "config" / "demo.toml").read_text(), source="demo.toml")
    return replace(
        config,
        session=replace(config.session, spool_dir=str(tmp_path / "spool")),
        portal=PortalLinkConfig(url="ws://127.0.0.1:9/", token="t"),
    )


async def test_the_demo_cabin_has_its_exam_instruments(tmp_path: Path) -> None:
    config = demo_config(tmp_path)
    assert set(config.media) == {"exam_camera", "stethoscope"}
    assert config.media["exam_camera"].url.startswith("lavfi:testsrc2=size=1920x1080")
    assert config.media["stethoscope"].url.startswith("lavfi:aevalsrc=")
    cabin = Cabin.from_config(config)
    try:
        assert cabin.call is not None and cabin.call.exam is not None
        assert cabin.call.exam.urls == {name: m.url for name, m in config.media.items()}
        assert cabin.call.exam.spool is cabin.runtime.spool  # stills live in the session spool
        assert cabin.exam_guide is not None and cabin.exam_guide.exam == ""
        assert cabin.exam_frame is None  # the camera is off
    finally:
        await cabin.call.close()
    scripted = exam_instruments(config)  # the scripted demo's, made the same way
    assert scripted is not None and scripted.urls == cabin.call.exam.urls


async def test_a_cabin_without_instruments_has_none(tmp_path: Path) -> None:
    config = replace(demo_config(tmp_path), media={})
    cabin = Cabin.from_config(config)
    try:
        assert cabin.call is not None and cabin.call.exam is None
    finally:
        await cabin.call.close()
    assert exam_instruments(config) is None
