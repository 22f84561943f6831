"""The simulated BlueZ's one error: it could not start, or a test drove it wrongly."""

from __future__ import annotations


class SimulatorError(RuntimeError):
    """The simulated BlueZ could not start or was driven wrongly; the message says which."""
