"""The call's network notice (a bus santé on a weak 4G), merged into
:data:`protocol.DATA_SCHEMAS`; imports nothing at all, the field type is handed in."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def network_schemas(
    field: Callable[..., Any], *, msg_id: Mapping[str, Any]
) -> dict[str, Mapping[str, Any]]:
    """The schemas, built with the protocol's field type ``field`` (``protocol.F``)."""
    return {
        # cabin -> doctor: what the cabin sends as its link allows, on each change: the
        # video (its size) or the voice alone (``video`` false), and the estimate followed
        "network": {
            **msg_id,
            "video": field(bool),
            "kbit": field(int),
            "width": field(int),
            "height": field(int),
        },
    }
