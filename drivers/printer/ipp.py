"""The few IPP requests the driver asks CUPS (printer and job attributes), as pure bytes.

:func:`encode_request` and :func:`decode_response` do no I/O; :func:`call` posts one request
to a CUPS server given as ``CUPS_SERVER`` spells it (a socket path, or ``host[:port]``).
"""

from __future__ import annotations

import http.client
import os
import socket
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

GET_JOB_ATTRIBUTES = 0x0009
GET_PRINTER_ATTRIBUTES = 0x000B

TAG_OPERATION = 0x01
TAG_END = 0x03
TAG_INTEGER = 0x21
TAG_BOOLEAN = 0x22
TAG_ENUM = 0x23
TAG_TEXT = 0x41
TAG_NAME = 0x42
TAG_KEYWORD = 0x44
TAG_URI = 0x45
TAG_CHARSET = 0x47
TAG_LANGUAGE = 0x48

STATUS_NOT_FOUND = 0x0406
DEFAULT_SOCKET = Path("/run/cups/cups.sock")
DEFAULT_PORT = 631

Value = int | bool | str | bytes | None


class IppError(Exception):
    """A reply that is not IPP, or a server that cannot be reached."""


@dataclass(frozen=True)
class Response:
    status: int
    request_id: int
    attributes: Mapping[str, tuple[Value, ...]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status < 0x0100

    def first(self, name: str) -> Value:
        values = self.attributes.get(name, ())
        return values[0] if values else None

    def strings(self, name: str) -> tuple[str, ...]:
        return tuple(v for v in self.attributes.get(name, ()) if isinstance(v, str))


def _attr(tag: int, name: str, values: Sequence[bytes]) -> bytes:
    out = bytearray()
    for i, value in enumerate(values):
        label = name.encode() if i == 0 else b""
        out += struct.pack(">BH", tag, len(label)) + label
        out += struct.pack(">H", len(value)) + value
    return bytes(out)


def encode_request(
    operation: int,
    request_id: int,
    *,
    printer_uri: str = "",
    job_id: int | None = None,
    requested: Sequence[str] = (),
) -> bytes:
    """An IPP/2.0 request with the operation attributes CUPS needs for a status query."""
    body = bytearray(struct.pack(">BBHI", 2, 0, operation, request_id))
    body.append(TAG_OPERATION)
    body += _attr(TAG_CHARSET, "attributes-charset", [b"utf-8"])
    body += _attr(TAG_LANGUAGE, "attributes-natural-language", [b"en"])
    if printer_uri:
        body += _attr(TAG_URI, "printer-uri", [printer_uri.encode()])
    if job_id is not None:
        body += _attr(TAG_INTEGER, "job-id", [struct.pack(">i", job_id)])
    if requested:
        body += _attr(TAG_KEYWORD, "requested-attributes", [r.encode() for r in requested])
    body.append(TAG_END)
    return bytes(body)


def _value(tag: int, raw: bytes) -> Value:
    if 0x10 <= tag <= 0x1F:  # out-of-band: unsupported, unknown, no-value
        return None
    if tag in (TAG_INTEGER, TAG_ENUM):
        if len(raw) != 4:
            raise IppError(f"integer attribute of {len(raw)} bytes")
        return int(struct.unpack(">i", raw)[0])
    if tag == TAG_BOOLEAN:
        return raw != b"\x00"
    if 0x40 <= tag <= 0x4F:
        return raw.decode("utf-8", errors="replace")
    return raw


def decode_response(data: bytes) -> Response:
    """Parse an IPP response; attributes of every group are merged by name (first wins)."""
    if len(data) < 9:
        raise IppError("IPP response too short")
    _major, _minor, status, request_id = struct.unpack(">BBHI", data[:8])
    attributes: dict[str, list[Value]] = {}
    pos, name = 8, ""
    while pos < len(data):
        tag = data[pos]
        pos += 1
        if tag == TAG_END:
            break
        if tag < 0x10:  # a new attribute group
            name = ""
            continue
        if pos + 2 > len(data):
            raise IppError("IPP response truncated in a name length")
        (name_len,) = struct.unpack(">H", data[pos : pos + 2])
        pos += 2
        label = data[pos : pos + name_len].decode("utf-8", errors="replace")
        pos += name_len
        if pos + 2 > len(data):
            raise IppError("IPP response truncated in a value length")
        (value_len,) = struct.unpack(">H", data[pos : pos + 2])
        pos += 2
        raw = data[pos : pos + value_len]
        if len(raw) != value_len:
            raise IppError("IPP response truncated in a value")
        pos += value_len
        if name_len:
            name = label
            if name in attributes:  # same name in a later group: keep the first group's
                name = ""
                continue
            attributes[name] = []
        if name:
            attributes[name].append(_value(tag, raw))
    frozen = {k: tuple(v) for k, v in attributes.items()}
    return Response(status=status, request_id=request_id, attributes=frozen)


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, *, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self._path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


def server_address(server: str = "") -> str:
    """The server to ask: ``server``, else ``$CUPS_SERVER``, else the local scheduler."""
    server = server or os.environ.get("CUPS_SERVER", "")
    if server:
        return server
    return str(DEFAULT_SOCKET) if DEFAULT_SOCKET.exists() else f"localhost:{DEFAULT_PORT}"


def _connection(server: str, timeout: float) -> http.client.HTTPConnection:
    if server.startswith("/"):
        return _UnixConnection(server, timeout=timeout)
    host, port = server, DEFAULT_PORT
    if server.startswith("["):  # [::1]:631
        end = server.find("]")
        host = server[1:end]
        if server[end + 1 : end + 2] == ":":
            port = int(server[end + 2 :])
    elif server.count(":") == 1:
        name, _, number = server.partition(":")
        host, port = name, int(number)
    return http.client.HTTPConnection(host, port, timeout=timeout)


def call(server: str, path: str, request: bytes, *, timeout: float = 5.0) -> Response:
    """POST one IPP request to ``path`` (``/printers/Q``, ``/jobs/7``) and decode the reply."""
    conn = _connection(server_address(server), timeout)
    try:
        conn.request("POST", path, body=request, headers={"Content-Type": "application/ipp"})
        reply = conn.getresponse()
        data = reply.read()
    except (OSError, http.client.HTTPException) as exc:
        raise IppError(f"CUPS at {server_address(server)} does not answer: {exc}") from exc
    finally:
        conn.close()
    if reply.status != 200:
        raise IppError(f"CUPS answered HTTP {reply.status}")
    return decode_response(data)
