"""The demo's examination instruments: the exam camera and the stethoscope of
``config/demo.toml`` (simulator sources: a ``lavfi:`` test card, a ``lavfi:`` heartbeat)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.config import Config

if TYPE_CHECKING:
    from kiosk.call.exam import ExamInstruments


def exam_instruments(config: Config) -> ExamInstruments | None:
    """The call's instruments, as :meth:`kiosk.cabin.Cabin.from_config` makes them; None
    when the config has none (no extra transceivers offered)."""
    from kiosk.call.exam import ExamInstruments

    return ExamInstruments.from_config(config) if config.media else None
