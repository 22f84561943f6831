"""The base of every hardware error; each device family derives its own typed errors.

A driver error carries a machine-readable ``reason`` (a StrEnum member of its family) so the
session and the screens can pick a calm message without parsing text.
"""

from __future__ import annotations

from enum import StrEnum


class DriverError(Exception):
    """Any failure of a device, its transport or its data.

    ``device`` names the device (config id or family), ``reason`` is a short stable code.
    """

    def __init__(self, message: str, *, device: str = "", reason: StrEnum | str = "") -> None:
        super().__init__(message)
        self.device = device
        self.reason = reason
