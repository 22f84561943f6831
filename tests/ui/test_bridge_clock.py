"""The session has one clock: the screens' timer applies its time limits only while no cabin
behind them does (a running cabin ticks the session on its own loop)."""

from __future__ import annotations

from PyQt6.QtCore import QTimer


class TickingCabin:
    """A stand-in offering only what the bridge asks to decide who ticks."""

    ticks_session = True


def test_the_screens_timer_steps_aside_for_a_cabin_that_ticks(kiosk_app):
    bridge = kiosk_app.bridge
    timer = bridge.findChild(QTimer, "session-tick")
    assert timer is not None and timer.isActive()  # a bare runtime: the screens tick
    bridge.runtime = TickingCabin()
    assert not timer.isActive()
    bridge.runtime = kiosk_app.runtime
    assert timer.isActive()
    bridge.runtime = None
    assert timer.isActive()
