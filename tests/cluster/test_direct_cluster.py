"""A nurse calls one doctor directly, across two real portal instances on a real Redis: the
room entry carries the doctor, the other doctor neither sees nor takes the patient."""

from __future__ import annotations

import aiohttp
import pytest

import protocol
from portal import server
from tests.cluster.test_instances import Instances, instances, room_with  # noqa: F401
from tests.helpers.waiting import until
from tests.portal.test_portal import cabin, doctor, recv

NURSE = {"nurse_name": "Awa Diallo", "nurse_profession": "infirmier"}


@pytest.mark.asyncio
async def test_the_named_doctor_on_b_takes_the_other_one_neither_sees_nor_takes(
    instances: Instances,  # noqa: F811
) -> None:
    a, b = instances
    hub_a, hub_b = a.app[server.HUB], b.app[server.HUB]
    http_a, doc_a = await doctor(b.url, "dr-a")  # the named doctor, on B
    http_b, doc_b = await doctor(a.url, "dr-b")  # another doctor, on A with the cabin
    async with aiohttp.ClientSession() as http:
        ws = await cabin(http, a.url)
        # the list, asked on A, knows dr-a is connected on B
        await until(lambda: hub_a.mesh and "dr-a" in hub_a.mesh.on_duty, "A sees dr-a on B")
        await ws.send_str(protocol.signal("doctors_ask"))
        states = {d["id"]: d["state"] for d in (await recv(ws, "doctors"))["doctors"]}
        assert states == {"dr-a": "available", "dr-b": "available"}
        await ws.send_str(protocol.signal("checkin", session_id="s-dir", doctor_id="dr-a", **NURSE))
        assert (await recv(ws, "direct"))["state"] == "waiting"
        room = await room_with(doc_a, "s-dir")
        [row] = room["patients"]
        assert (row["asked_for_you"], row["nurse"]) == (True, "Awa Diallo")
        # the entry in Redis carries the doctor
        [entry] = await hub_b.mesh.cluster.room()  # type: ignore[union-attr]
        assert (entry.doctor_id, entry.nurse_name) == ("dr-a", "Awa Diallo")
        assert hub_a.snapshot("dr-b")["patients"] == []
        assert hub_b.snapshot("dr-b")["patients"] == []
        # dr-b (on the cabin's instance) is refused; dr-a (on B, forwarded to A) takes
        await doc_b.send_str(protocol.signal("take", session_id="s-dir"))
        assert (await recv(doc_b, "error"))["code"] == "taken"
        await doc_a.send_str(protocol.signal("take", session_id="s-dir"))
        taken = await recv(doc_a, "taken")
        assert (await recv(ws, "call"))["call_id"] == taken["call_id"]
        await ws.close()
    for http_doc, doc in ((http_a, doc_a), (http_b, doc_b)):
        await doc.close()
        await http_doc.close()


@pytest.mark.asyncio
async def test_the_named_doctor_leaving_b_is_told_to_the_cabin_on_a(
    instances: Instances,  # noqa: F811
) -> None:
    a, b = instances
    hub_a = a.app[server.HUB]
    http_a, doc_a = await doctor(b.url, "dr-a")
    async with aiohttp.ClientSession() as http:
        ws = await cabin(http, a.url)
        await until(lambda: hub_a.mesh and "dr-a" in hub_a.mesh.on_duty, "A sees dr-a on B")
        await ws.send_str(protocol.signal("checkin", session_id="s-w", doctor_id="dr-a", **NURSE))
        await room_with(doc_a, "s-w")
        await doc_a.close()
        await http_a.close()
        for _ in range(100):
            if (await recv(ws, "queue", timeout=10))["doctor"] == "offline":
                break
        else:
            raise AssertionError("the cabin on A was not told dr-a left B")
        assert hub_a.patients["cabin-test-01"].session_id == "s-w"
        await ws.close()
