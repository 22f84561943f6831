"""The drivers' error tree: the base every hardware error derives from, and the instruments'
family (shared by every serial and BLE instrument and by the pure parsers).

A driver error carries a machine-readable ``reason`` (a StrEnum member of its family) so the
session and the screens can pick a calm message without parsing text.

DriverError                         any failure of a device, its transport or its data
├── InstrumentError                 an instrument; ``reason`` is an :class:`InstrumentErrorReason`
│   ├── FrameError                  bytes that are not a usable frame (garbage, bad checksum)
│   ├── DeviceReportedError         the device answered with an error code (``code``)
│   ├── InstrumentUnpluggedError    the port is gone, or went away during a measurement
│   ├── InstrumentTimeoutError      no result before the deadline (``after_s``)
│   └── MeasurementAbortedError     the measurement was aborted on request
├── CardError                       the card reader (:mod:`drivers.card.errors`)
├── PrinterError                    the cabin printer (:mod:`drivers.printer.errors`)
└── UnknownDriverError              a config names no known driver (:mod:`drivers.registry`)
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


class InstrumentErrorReason(StrEnum):
    """Why an instrument failed; stable codes the screens map to calm messages."""

    UNPLUGGED = "unplugged"
    TIMEOUT = "timeout"
    GARBAGE = "garbage"  # bytes that never formed a frame
    BAD_CHECKSUM = "bad_checksum"
    UNUSABLE_FRAME = "unusable_frame"  # well framed, but a field the parser cannot use
    DEVICE_ERROR = "device_error"
    BUSY = "busy"
    ABORTED = "aborted"
    NO_ANSWER = "no_answer"
    CLOSED = "closed"
    BAD_OPTIONS = "bad_options"


class InstrumentError(DriverError):
    """Any failure of an instrument; ``reason`` is an :class:`InstrumentErrorReason`."""

    reason: InstrumentErrorReason

    def __init__(
        self,
        message: str,
        *,
        device: str = "",
        reason: InstrumentErrorReason = InstrumentErrorReason.DEVICE_ERROR,
    ) -> None:
        super().__init__(message, device=device, reason=reason)
        self.reason = reason


class FrameError(InstrumentError):
    """Bytes that cannot be used as a frame; raised (or returned) by the pure parsers."""

    def __init__(
        self,
        message: str,
        *,
        reason: InstrumentErrorReason = InstrumentErrorReason.UNUSABLE_FRAME,
        data: bytes = b"",
        device: str = "",
    ) -> None:
        super().__init__(message, device=device, reason=reason)
        self.data = data


class DeviceReportedError(InstrumentError):
    """The device refused a command or reported a failure; ``code`` is the device's own."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        device: str = "",
        reason: InstrumentErrorReason = InstrumentErrorReason.DEVICE_ERROR,
    ) -> None:
        super().__init__(message, device=device, reason=reason)
        self.code = code


class InstrumentUnpluggedError(InstrumentError):
    def __init__(self, message: str, *, device: str = "") -> None:
        super().__init__(message, device=device, reason=InstrumentErrorReason.UNPLUGGED)


class InstrumentTimeoutError(InstrumentError):
    def __init__(self, device: str, *, after_s: float, what: str = "measurement") -> None:
        super().__init__(
            f"{device}: no {what} after {after_s:.1f} s",
            device=device,
            reason=InstrumentErrorReason.TIMEOUT,
        )
        self.after_s = after_s


class MeasurementAbortedError(InstrumentError):
    def __init__(self, device: str) -> None:
        super().__init__(
            f"{device}: measurement aborted", device=device, reason=InstrumentErrorReason.ABORTED
        )
