"""A cabin without opening hours (walk-ins only) still has its calls and state on the staff
page: it is listed, marked as having no appointments."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from portal import server
from tests.appointments.conftest import OTHER_CABIN, appointments_config
from tests.appointments.helpers import cabin_socket
from tests.appointments.test_staff_accounts import jar, log_in
from tests.appointments.test_staff_calls import answer, cabins_of, staff_call
from tests.helpers.waiting import until
from tests.portal.conftest import CABIN_ID, DOCTORS
from tests.portal.test_portal import recv


@pytest.mark.asyncio
async def test_a_walk_in_cabins_call_is_listed_and_answered(tmp_path: Path) -> None:
    cfg = appointments_config(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}")
    cfg = replace(cfg, hours={CABIN_ID: cfg.hours[CABIN_ID]})  # OTHER_CABIN: no hours
    running = await server.start(cfg, host="127.0.0.1", port=0)
    try:
        async with jar() as http:
            await log_in(http, running.url, "dr-a", DOCTORS["dr-a"])
            cabins = await cabins_of(http, running.url)
            assert cabins[CABIN_ID]["appointments"] is True
            assert cabins[OTHER_CABIN]["appointments"] is False
            assert cabins[OTHER_CABIN]["address"] == ""
            ws, _ = await cabin_socket(
                http, running.url, cabin_id=OTHER_CABIN, token="other-cabin-token"
            )
            await staff_call(ws, active=True)
            assert (await recv(ws, "staff_answer"))["state"] == "received"
            await until(
                lambda: running.app[server.HUB].cabins[OTHER_CABIN].staff_called_at,
                "the call listed",
                timeout=5,
            )
            cabins = await cabins_of(http, running.url)
            assert cabins[OTHER_CABIN]["staff_call"] is not None
            assert (await answer(http, running.url, OTHER_CABIN))[0] == 200
            assert (await recv(ws, "staff_answer"))["state"] == "coming"
            await ws.close()
    finally:
        await running.stop()
