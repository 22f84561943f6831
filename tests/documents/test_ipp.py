"""The IPP bytes the driver sends and reads (RFC 8010 encoding), without a server."""

from __future__ import annotations

import struct

import pytest

from drivers.printer import ipp
from drivers.printer.cups import QueueState, QueueStatus
from drivers.printer.errors import (
    PaperJamError,
    PaperOutError,
    PrinterOfflineError,
    PrinterReason,
    PrinterStoppedError,
)


def attr(tag: int, name: str, value: bytes) -> bytes:
    return (
        struct.pack(">BH", tag, len(name)) + name.encode() + struct.pack(">H", len(value)) + value
    )


def test_request_bytes():
    data = ipp.encode_request(
        ipp.GET_JOB_ATTRIBUTES,
        7,
        printer_uri="ipp://localhost/jobs/3",
        job_id=3,
        requested=("job-state", "job-state-reasons"),
    )
    assert data[:8] == bytes.fromhex("0200 0009 00000007".replace(" ", ""))
    assert data[8] == ipp.TAG_OPERATION
    assert attr(ipp.TAG_CHARSET, "attributes-charset", b"utf-8") in data
    assert attr(ipp.TAG_INTEGER, "job-id", struct.pack(">i", 3)) in data
    assert attr(ipp.TAG_KEYWORD, "", b"job-state-reasons") in data  # additional value
    assert data[-1] == ipp.TAG_END


def test_response_decoding():
    body = (
        struct.pack(">BBHI", 2, 0, 0x0000, 7)
        + bytes([ipp.TAG_OPERATION])
        + attr(ipp.TAG_CHARSET, "attributes-charset", b"utf-8")
        + bytes([0x04])  # printer attributes group
        + attr(ipp.TAG_ENUM, "printer-state", struct.pack(">i", 5))
        + attr(ipp.TAG_KEYWORD, "printer-state-reasons", b"media-empty-error")
        + attr(ipp.TAG_KEYWORD, "", b"paused")
        + attr(ipp.TAG_BOOLEAN, "printer-is-accepting-jobs", b"\x01")
        + attr(0x13, "printer-state-message", b"")  # out-of-band no-value
        + bytes([ipp.TAG_END])
    )
    reply = ipp.decode_response(body)
    assert reply.ok and reply.request_id == 7
    assert reply.first("printer-state") == 5
    assert reply.strings("printer-state-reasons") == ("media-empty-error", "paused")
    assert reply.first("printer-is-accepting-jobs") is True
    assert reply.first("printer-state-message") is None
    assert reply.first("absent") is None


@pytest.mark.parametrize(
    "body",
    [
        b"\x02\x00",
        struct.pack(">BBHI", 2, 0, 0, 1) + b"\x01\x21\x00",
        struct.pack(">BBHI", 2, 0, 0, 1) + b"\x01" + attr(ipp.TAG_INTEGER, "x", b"\x00\x01"),
    ],
)
def test_truncated_or_malformed_replies_raise(body: bytes):
    with pytest.raises(ipp.IppError):
        ipp.decode_response(body)


@pytest.mark.parametrize(
    ("reasons", "error", "reason"),
    [
        ({"media-empty-error", "paused"}, PaperOutError, PrinterReason.PAPER_OUT),
        ({"media-needed-report"}, PaperOutError, PrinterReason.PAPER_OUT),
        ({"media-jam-error"}, PaperJamError, PrinterReason.PAPER_JAM),
        ({"offline-report"}, PrinterOfflineError, PrinterReason.OFFLINE),
        ({"paused"}, PrinterStoppedError, PrinterReason.STOPPED),
        ({"media-empty-warning"}, PrinterStoppedError, PrinterReason.STOPPED),
    ],
)
def test_stopped_queue_reasons_map_to_typed_errors(reasons, error, reason):
    status = QueueStatus("q", QueueState.STOPPED, True, frozenset(reasons), "")
    problem = status.problem()
    assert type(problem) is error
    assert problem.reason is reason


def test_ready_queue_with_stale_reason_can_print():
    assert (
        QueueStatus("q", QueueState.IDLE, True, frozenset({"media-empty-error"}), "").problem()
        is None
    )
    refusing = QueueStatus("q", QueueState.IDLE, False, frozenset(), "").problem()
    assert refusing is not None and refusing.reason is PrinterReason.NOT_ACCEPTING


def test_server_address():
    assert ipp.server_address("/x/cups.sock") == "/x/cups.sock"
    assert isinstance(ipp._connection("127.0.0.1:6310", 1.0), ipp.http.client.HTTPConnection)
    assert ipp._connection("127.0.0.1:6310", 1.0).port == 6310
    assert ipp._connection("printhost", 1.0).port == ipp.DEFAULT_PORT
    v6 = ipp._connection("[::1]:8631", 1.0)
    assert (v6.host, v6.port) == ("::1", 8631)
