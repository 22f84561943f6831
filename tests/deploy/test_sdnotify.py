"""sd_notify: readiness, status and the watchdog's cadence, on a real unix datagram socket."""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import statistics
import subprocess
import sys
import time

import pytest

from kiosk.sdnotify import (
    Notifier,
    NotifyError,
    Watchdog,
    run_watchdog,
    socket_address,
    watchdog_timeout,
)
from tests.deploy.conftest import REPO, NotifySocket


def test_ready_and_status_in_one_datagram(notify_socket: NotifySocket) -> None:
    notifier = Notifier(notify_socket.address)
    assert notifier.ready("idle screen shown")
    got = notify_socket.wait_for("READY", "1")
    assert got[0].fields == {"READY": "1", "STATUS": "idle screen shown"}
    notifier.close()


def test_abstract_socket(abstract_notify_socket: NotifySocket) -> None:
    notifier = Notifier(abstract_notify_socket.address)
    assert notifier.watchdog()
    assert notifier.stopping("shutting down")
    abstract_notify_socket.wait_for("WATCHDOG", "1")
    assert abstract_notify_socket.wait_for("STOPPING", "1")[0].fields["STATUS"] == "shutting down"
    notifier.close()


def test_a_newline_cannot_smuggle_a_field(notify_socket: NotifySocket) -> None:
    notifier = Notifier(notify_socket.address)
    notifier.status("printing\nREADY=1")
    got = notify_socket.wait_for("STATUS")
    assert got[0].fields == {"STATUS": "printing READY=1"}
    assert not notify_socket.with_field("READY")
    notifier.close()


def test_extend_timeout(notify_socket: NotifySocket) -> None:
    notifier = Notifier(notify_socket.address)
    notifier.extend_timeout(1.5)
    assert notify_socket.wait_for("EXTEND_TIMEOUT_USEC")[0].fields["EXTEND_TIMEOUT_USEC"] == (
        "1500000"
    )
    notifier.close()


def test_without_a_socket_every_call_is_a_no_op() -> None:
    notifier = Notifier.from_environment({})
    assert not notifier.enabled
    assert not notifier.ready("idle")
    assert not notifier.watchdog()


def test_unset_keeps_children_from_inheriting_the_socket(notify_socket: NotifySocket) -> None:
    env = {"NOTIFY_SOCKET": notify_socket.address, "PATH": "/usr/bin"}
    notifier = Notifier.from_environment(env, unset=True)
    assert notifier.enabled
    assert "NOTIFY_SOCKET" not in env


@pytest.mark.parametrize("value", ["relative/path", "@", "vsock:2:1234"])
def test_a_malformed_socket_address_is_a_typed_error(value: str) -> None:
    with pytest.raises(NotifyError, match="NOTIFY_SOCKET"):
        socket_address(value)


def test_a_vanished_supervisor_is_logged_not_raised(
    tmp_path: os.PathLike[str], caplog: pytest.LogCaptureFixture
) -> None:
    sock = NotifySocket(str(tmp_path) + "/gone")
    sock.close()  # bound then closed: the path exists, nobody reads it
    notifier = Notifier(sock.address)
    with caplog.at_level(logging.WARNING, logger="kiosk.sdnotify"):
        assert not notifier.watchdog()
    assert "sd_notify" in caplog.text
    notifier.close()


def test_watchdog_timeout_from_the_environment() -> None:
    assert watchdog_timeout({}) == 0.0
    assert watchdog_timeout({"WATCHDOG_USEC": "2000000"}) == 2.0
    mine = {"WATCHDOG_USEC": "500000", "WATCHDOG_PID": str(os.getpid())}
    assert watchdog_timeout(mine) == 0.5
    # Inherited by a child: the timeout is meant for another process.
    assert watchdog_timeout({"WATCHDOG_USEC": "500000", "WATCHDOG_PID": "1"}) == 0.0
    for bad in (
        {"WATCHDOG_USEC": "soon"},
        {"WATCHDOG_USEC": "0"},
        {"WATCHDOG_USEC": "1", "WATCHDOG_PID": "x"},
    ):
        with pytest.raises(NotifyError):
            watchdog_timeout(bad)


def test_a_separate_process_reports_ready_then_stopping(notify_socket: NotifySocket) -> None:
    code = (
        "from kiosk.sdnotify import Notifier\n"
        "n = Notifier.from_environment(unset=True)\n"
        "n.ready('idle'); n.stopping('bye'); n.close()\n"
    )
    env = {**os.environ, "NOTIFY_SOCKET": notify_socket.address}
    subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, check=True, timeout=30)
    notify_socket.wait_for("STOPPING", "1")
    kinds = [next(iter(d.fields)) for d in notify_socket.messages()]
    assert kinds == ["READY", "STOPPING"]


def test_watchdog_cadence_and_a_blocked_loop_stops_the_pings(
    notify_socket: NotifySocket,
) -> None:
    timeout = 0.5  # as if WATCHDOG_USEC=500000: a ping every 0.25 s
    period = timeout / 2
    blocked: dict[str, float] = {}

    async def kiosk() -> None:
        notifier = Notifier(notify_socket.address)
        watchdog = Watchdog(notifier, timeout=timeout)
        assert watchdog.start(asyncio.get_running_loop())
        deadline = time.monotonic() + 5
        while len(notify_socket.with_field("WATCHDOG")) < 6:
            assert time.monotonic() < deadline, "watchdog pings did not arrive"
            await asyncio.sleep(0.01)
        # The stimulus: the event loop is stuck (a frozen UI, a blocking call) for 5 periods.
        blocked["start"] = time.monotonic()
        time.sleep(5 * period)
        blocked["end"] = time.monotonic()
        before = len(notify_socket.with_field("WATCHDOG"))
        while len(notify_socket.with_field("WATCHDOG")) <= before:
            assert time.monotonic() < deadline + 5, "pings did not resume after the block"
            await asyncio.sleep(0.01)
        await watchdog.aclose()
        assert not watchdog.active
        notifier.close()

    asyncio.run(kiosk())
    pings = [d.at for d in notify_socket.with_field("WATCHDOG")]
    steady = [p for p in pings if p < blocked["start"]]
    gaps = [b - a for a, b in itertools.pairwise(steady)]
    assert len(gaps) >= 5
    # Half the timeout, and never close to the timeout itself.
    assert 0.8 * period <= statistics.median(gaps) <= 1.4 * period, gaps
    assert max(gaps) < timeout, gaps  # systemd would never have fired
    # Not one ping while the loop was blocked (allow 20 ms for one already in flight).
    during = [p for p in pings if blocked["start"] + 0.02 < p < blocked["end"]]
    assert during == []
    resumed = [p for p in pings if p >= blocked["end"]]
    assert resumed and resumed[0] - blocked["end"] < period


def test_a_failed_health_check_withholds_the_ping(notify_socket: NotifySocket) -> None:
    answers = iter([True, False, False, True])

    notifier = Notifier(notify_socket.address)

    async def main() -> None:
        task = asyncio.create_task(
            run_watchdog(
                notifier,
                timeout=0.1,
                healthy=lambda: next(answers, True),
            )
        )
        deadline = time.monotonic() + 5
        while len(notify_socket.with_field("WATCHDOG")) < 2:
            assert time.monotonic() < deadline
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    notifier.close()
    pings = [d.at for d in notify_socket.with_field("WATCHDOG")]
    # Two withheld pings leave a gap of about three periods between the first two.
    assert pings[1] - pings[0] >= 0.12


def test_watchdog_is_off_when_the_supervisor_asked_for_none(notify_socket: NotifySocket) -> None:
    async def main() -> None:
        assert not Watchdog(Notifier(notify_socket.address), timeout=0).start()
        assert not Watchdog(Notifier(None), timeout=1.0).start()

    asyncio.run(main())


@pytest.mark.parametrize(("timeout", "interval"), [(0.0, None), (1.0, 1.0), (1.0, -1.0)])
def test_bad_watchdog_periods_are_typed_errors(timeout: float, interval: float | None) -> None:
    with pytest.raises(NotifyError):
        asyncio.run(run_watchdog(Notifier(None), timeout=timeout, interval=interval))
