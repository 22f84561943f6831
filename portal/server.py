"""The portal as its callers start it (the harness, the benches, the tests): :func:`start`
gives a :class:`Running` portal, whose ``app[HUB]`` is its live state.

The portal's rooms: :mod:`portal.hub` (live state), :mod:`portal.relay` (signalling),
:mod:`portal.sockets`, :mod:`portal.http`, :mod:`portal.security` and :mod:`portal.app`.
"""

from __future__ import annotations

from portal import limits, security
from portal.app import Running, make_app, ssl_context, start
from portal.http import CONFIG, SESSIONS, ice_servers
from portal.hub import HUB, Hub
from portal.presence import Peer
from portal.relay import handle as _handle

__all__ = [
    "CONFIG",
    "HUB",
    "SESSIONS",
    "Hub",
    "Peer",
    "Running",
    "_handle",
    "ice_servers",
    "limits",
    "make_app",
    "ssl_context",
    "start",
]

# Callers that name this module's logger find the portal's escaping filter on it, as on
# every room's logger.
security.escaped_logger(__name__)
