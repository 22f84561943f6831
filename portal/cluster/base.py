"""The portal's shared state and its delivery between instances: one interface, two backends.

Modelled on Django Channels' channel layers: :class:`Cluster` is the contract, with an
in-memory backend for one process (:mod:`portal.cluster.memory`) and a Redis backend for
several instances (:mod:`portal.cluster.redis`), both tested by one suite
(``tests/cluster/test_contract.py``). A portal without ``[cluster] redis_url`` (the embedded
default) keeps its hub exactly as it was, its own dicts the one copy and no backend call on
its paths; with one, the hub's :class:`~portal.cluster.mesh.Mesh` mirrors its state into
the backend and passes messages between the instances. What the backend holds:

- **presence** of instances, cabins and doctors, each with an expiry (``present``);
- **the waiting room**: one :class:`RoomEntry` per cabin, read back in the room's order
  (booked patients by their slot, then walk-ins by arrival: :func:`queue_order`);
- **staff calls**: since when, and who said they are coming;
- **call ownership**: ``claim`` is atomic, so two instances answering the same ``take``
  cannot both win;
- **the cabins' reported state** (:mod:`.cabin_state`, no health data), counting only
  while the cabin is present on the instance that wrote it;
- **counters** for login throttles and rate limits (sliding windows, token buckets);
- **delivery**: a message ``send`` to an instance is read by that instance's ``listen``
  exactly once and in the order sent; one for an instance that is gone is refused (False).

Every call is bounded: a backend that cannot answer raises :class:`ClusterUnavailable`.
"""

from __future__ import annotations

import abc
import json
import secrets
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from typing import Any

from portal.cluster.cabin_state import CabinState

#: Presence kinds.
INSTANCE, CABIN, DOCTOR = "instance", "cabin", "doctor"


class ClusterUnavailable(Exception):
    """The shared state cannot be reached (Redis down): the portal says so, and retries."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"shared state at {url} unavailable: {reason}")
        self.url = url
        self.reason = reason


@dataclass(frozen=True)
class RoomEntry:
    """A patient in the waiting room, as every instance sees it (no health data: the
    kiosk's random session id, the cabin, the slot, who holds the call)."""

    cabin_id: str
    session_id: str
    #: Arrival, wall clock (epoch seconds): the walk-ins' order across instances.
    since: float
    slot_start: int = 0
    slot_label: str = ""
    taken_by: str = ""
    call_id: str = ""
    #: The instance holding the cabin's socket.
    instance: str = ""
    #: The doctor a nurse called directly, and the nurse (``portal.direct``); "": anyone's.
    doctor_id: str = ""
    nurse_name: str = ""
    nurse_profession: str = ""

    def dumps(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def loads(cls, text: str | bytes) -> RoomEntry:
        data = json.loads(text)
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def queue_order(entry: Any) -> tuple[int, int, float]:
    """Booked patients first, by their slot; then walk-ins, by arrival (the hub's rule)."""
    return (0, entry.slot_start, entry.since) if entry.slot_start else (1, 0, entry.since)


def new_instance_id() -> str:
    return "i-" + secrets.token_hex(6)


class Cluster(abc.ABC):
    """The shared state of one or more portal instances (see the module docstring)."""

    #: This instance's id (presence, delivery).
    instance: str
    #: The backend's address, for messages ("memory" for the embedded one).
    url: str = "memory"
    #: Whether other instances may share it (False: the hub's own dicts are the one copy).
    shared: bool = False

    # -- presence ----------------------------------------------------------------------

    @abc.abstractmethod
    async def present(self, kind: str, ident: str, ttl_s: float) -> None:
        """``ident`` is here, on this instance, for ``ttl_s`` unless renewed."""

    async def present_many(self, kind: str, idents: list[str], ttl_s: float) -> None:
        """:meth:`present` for many (a backend may renew them all in one round trip)."""
        for ident in idents:
            await self.present(kind, ident, ttl_s)

    @abc.abstractmethod
    async def absent(self, kind: str, ident: str) -> None:
        """``ident`` left this instance (no effect when another instance holds it now)."""

    @abc.abstractmethod
    async def presence(self, kind: str) -> dict[str, str]:
        """Who is present (not expired): ident -> instance."""

    # -- the waiting room --------------------------------------------------------------

    @abc.abstractmethod
    async def room_put(self, entry: RoomEntry) -> None:
        """Enter or update the cabin's patient (one per cabin)."""

    @abc.abstractmethod
    async def room_drop(self, cabin_id: str, session_id: str = "") -> bool:
        """Remove the cabin's patient (only this session's, when given); whether one was."""

    @abc.abstractmethod
    async def room(self) -> list[RoomEntry]:
        """Every patient, in the room's order (:func:`queue_order`)."""

    # -- staff calls -------------------------------------------------------------------

    @abc.abstractmethod
    async def staff_call(self, cabin_id: str, since: float) -> float:
        """The patient calls the staff: since when (an open call keeps its first time)."""

    @abc.abstractmethod
    async def staff_coming(self, cabin_id: str, by: str) -> bool:
        """Someone answers: False when there is no call."""

    @abc.abstractmethod
    async def staff_end(self, cabin_id: str) -> None: ...

    @abc.abstractmethod
    async def staff_calls(self) -> dict[str, tuple[float, str]]:
        """Open calls: cabin -> (since, who is coming or "")."""

    # -- call ownership ----------------------------------------------------------------

    @abc.abstractmethod
    async def claim(self, cabin_id: str, session_id: str, doctor_id: str, call_id: str) -> str:
        """Atomically: the session's call is this doctor's unless another doctor holds it.
        Returns the holder after the claim (``doctor_id`` when it won)."""

    @abc.abstractmethod
    async def release(self, cabin_id: str, call_id: str = "") -> None:
        """The call ended (only that call's hold, when given)."""

    @abc.abstractmethod
    async def owner(self, cabin_id: str) -> tuple[str, str, str] | None:
        """(doctor, call id, session id) holding the cabin's call, or None."""

    # -- the cabins' reported state ------------------------------------------------------

    @abc.abstractmethod
    async def states_put(self, states: list[CabinState]) -> None:
        """This instance's cabins' states (any number, one call), marked as this instance's."""

    @abc.abstractmethod
    async def state_drop(self, cabin_id: str) -> None:
        """The cabin left this instance (no effect when another instance wrote it since)."""

    @abc.abstractmethod
    async def states(self, known: int = -1) -> tuple[int, dict[str, CabinState] | None]:
        """The states' version and, when it is not ``known``, the states of the cabins
        present on the instance that wrote them (the others are removed)."""

    @abc.abstractmethod
    async def beat(self, times: dict[str, float]) -> list[str]:
        """This instance's cabins' last heartbeats (wall clock), all in one call; returns
        those of them whose state the backend lacks (a restart): the caller writes them."""

    @abc.abstractmethod
    async def beats(self, known: int = -1) -> tuple[int, dict[str, float] | None]:
        """The heartbeats' version and, when it is not ``known``, every cabin's last one."""

    # -- counters: login throttles, rate limits ------------------------------------------

    @abc.abstractmethod
    async def hit(self, key: str, window_s: float) -> int:
        """Count one event under ``key``; how many within the last ``window_s``."""

    @abc.abstractmethod
    async def hits(self, key: str, window_s: float) -> int:
        """How many events under ``key`` within the last ``window_s``."""

    @abc.abstractmethod
    async def forget(self, key: str) -> None: ...

    @abc.abstractmethod
    async def allow(self, key: str, rate: float, burst: int) -> bool:
        """A token bucket under ``key`` (``rate`` a second, ``burst`` deep): one token?"""

    # -- delivery ----------------------------------------------------------------------

    @abc.abstractmethod
    async def send(self, instance: str, message: dict[str, Any]) -> bool:
        """Queue ``message`` for ``instance``: False when that instance is gone."""

    @abc.abstractmethod
    def listen(self) -> AsyncIterator[dict[str, Any]]:
        """This instance's messages, each once, in the order sent."""

    # -- life --------------------------------------------------------------------------

    @abc.abstractmethod
    async def ping(self) -> bool:
        """Whether the shared state answers now (the health check)."""

    @abc.abstractmethod
    async def close(self) -> None: ...
