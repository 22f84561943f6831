"""A virtual Carte Vitale speaking the vpcd socket protocol, built from a JSON card profile.

vpcd (the virtual reader driver of pcscd) listens on a TCP port; a card is inserted while the
connection is open. Frames are a 2-byte big-endian length and a payload both ways; a 1-byte
payload is a control code (0 power off, 1 power on, 2 reset, 4 send the ATR).
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import struct
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from drivers.card import protocol
from drivers.card.errors import CardProfileError
from drivers.types import Beneficiary

log = logging.getLogger(__name__)

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"
#: Debian's vpcd reader listens on 0x8C7B for its first slot.
DEFAULT_PORT = 0x8C7B

CTRL_OFF, CTRL_ON, CTRL_RESET, CTRL_ATR = 0, 1, 2, 4
#: Files a profile may deny (answer ``6982``) or leave out (``6A82``).
FILES = ("identity", "nir")


@dataclass(frozen=True, kw_only=True)
class CardProfile:
    """What the virtual card holds and how it misbehaves.

    ``identity``/``nirs`` override the files built from ``beneficiaries`` (malformed TLV);
    ``deny`` names files answering ``6982``; ``remove_after`` pulls the card after that many
    APDUs; ``mute`` gives a dead answer to reset; ``vitale_application`` False makes a card
    without the VITALE application (a CPS, a bank card).
    """

    name: str
    atr: bytes
    beneficiaries: tuple[Beneficiary, ...] = field(default=(), repr=False)
    identity: bytes | None = field(default=None, repr=False)
    nirs: bytes | None = field(default=None, repr=False)
    deny: frozenset[str] = frozenset()
    t0_quirks: bool = False
    mute: bool = False
    remove_after: int | None = None
    pad_to: int = 0
    vitale_application: bool = True

    def files(self) -> tuple[bytes, bytes]:
        """The identity and NIR files, padded with ``00`` as a card's fixed-size files are."""
        identity = self.identity
        if identity is None:
            identity = protocol.identity_file(self.beneficiaries)
        nirs = self.nirs if self.nirs is not None else protocol.nir_file(self.beneficiaries)
        return _pad(identity, self.pad_to), _pad(nirs, self.pad_to)

    def but(self, **changes: Any) -> CardProfile:
        """A copy with ``changes`` (tests derive misbehaving cards from a good one)."""
        return replace(self, **changes)


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\x00" * max(0, size - len(data))


_PROFILE_KEYS = {
    "name",
    "description",
    "atr",
    "beneficiaries",
    "identity_hex",
    "nir_hex",
    "deny",
    "t0_quirks",
    "mute",
    "remove_after",
    "pad_to",
    "vitale_application",
}
_PERSON_KEYS = {"last_name", "first_name", "birth_date", "nir"}


def _hex(value: Any, where: str) -> bytes:
    if not isinstance(value, str):
        raise CardProfileError(f"{where}: expected hex text")
    try:
        return bytes.fromhex(value)
    except ValueError as exc:
        raise CardProfileError(f"{where}: not hex: {exc}") from exc


def _person(value: Any, rank: int, where: str) -> Beneficiary:
    if not isinstance(value, Mapping):
        raise CardProfileError(f"{where}: a beneficiary is a table")
    unknown = set(value) - _PERSON_KEYS
    if unknown:
        raise CardProfileError(f"{where}: unknown key(s) {sorted(unknown)}")
    try:
        texts = {k: value[k] for k in sorted(_PERSON_KEYS)}
    except KeyError as exc:
        raise CardProfileError(f"{where}: missing key {exc.args[0]!r}") from exc
    if not all(isinstance(t, str) for t in texts.values()):
        raise CardProfileError(f"{where}: every field is text")
    try:
        texts["last_name"].encode("latin-1")
        texts["first_name"].encode("latin-1")
    except UnicodeEncodeError as exc:
        raise CardProfileError(f"{where}: names must be Latin-1") from exc
    return Beneficiary(rank=rank, **texts)


def profile_from_json(data: Any, *, source: str = "<profile>") -> CardProfile:
    """Build a profile from parsed JSON; raises :class:`CardProfileError` naming the key."""
    if not isinstance(data, Mapping):
        raise CardProfileError(f"{source}: a card profile is a JSON object")
    unknown = set(data) - _PROFILE_KEYS
    if unknown:
        raise CardProfileError(f"{source}: unknown key(s) {sorted(unknown)}")
    if "atr" not in data:
        raise CardProfileError(f"{source}: missing key 'atr'")
    people = data.get("beneficiaries", [])
    if not isinstance(people, list):
        raise CardProfileError(f"{source}: 'beneficiaries' is a list")
    deny = data.get("deny", [])
    if not isinstance(deny, list) or not set(deny) <= set(FILES):
        raise CardProfileError(f"{source}: 'deny' is a list of {FILES}")
    remove_after = data.get("remove_after")
    if remove_after is not None and (
        isinstance(remove_after, bool) or not isinstance(remove_after, int) or remove_after < 0
    ):
        raise CardProfileError(f"{source}: 'remove_after' is a count of APDUs or null")
    pad_to = data.get("pad_to", 0)
    if isinstance(pad_to, bool) or not isinstance(pad_to, int) or not 0 <= pad_to <= 0x7FFF:
        raise CardProfileError(f"{source}: 'pad_to' is a size in bytes")
    flags = {}
    for key in ("t0_quirks", "mute", "vitale_application"):
        if key in data:
            if not isinstance(data[key], bool):
                raise CardProfileError(f"{source}: {key!r} is true or false")
            flags[key] = data[key]
    return CardProfile(
        name=str(data.get("name", source)),
        atr=_hex(data["atr"], f"{source}: 'atr'"),
        beneficiaries=tuple(
            _person(p, i, f"{source}: beneficiaries[{i}]") for i, p in enumerate(people)
        ),
        identity=_hex(data["identity_hex"], f"{source}: 'identity_hex'")
        if "identity_hex" in data
        else None,
        nirs=_hex(data["nir_hex"], f"{source}: 'nir_hex'") if "nir_hex" in data else None,
        deny=frozenset(deny),
        remove_after=remove_after,
        pad_to=pad_to,
        **flags,
    )


def profile_names() -> list[str]:
    """The profiles shipped in ``drivers/card/profiles/``."""
    return sorted(p.stem for p in PROFILES_DIR.glob("*.json"))


def load_profile(name_or_path: str | Path) -> CardProfile:
    """A shipped profile by name (``family``), or a JSON file by path."""
    path = Path(name_or_path)
    if path.suffix != ".json" and not path.exists():
        path = PROFILES_DIR / f"{name_or_path}.json"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        known = ", ".join(profile_names())
        raise CardProfileError(f"no card profile {str(name_or_path)!r} (known: {known})") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CardProfileError(f"{path}: cannot read: {exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CardProfileError(f"{path}: not valid JSON: {exc}") from exc
    return profile_from_json(data, source=path.name)


class CardLogic:
    """The card's file system and command set: MF with the identity file (SFI 2), the VITALE
    application with the NIR file (SFI 2); SELECT, READ BINARY, GET RESPONSE."""

    def __init__(self, profile: CardProfile) -> None:
        self.profile = profile
        self.identity, self.nirs = profile.files()
        self.reset()

    def reset(self) -> None:
        self.directory = "mf"
        self.current: str | None = None
        self.pending = b""

    def _file(self, name: str | None) -> bytes:
        return self.identity if name == "identity" else self.nirs

    def answer(self, apdu: bytes) -> bytes:
        return self._answer(apdu).to_bytes()

    def _answer(self, apdu: bytes) -> protocol.Response:
        if len(apdu) < 4:
            return protocol.Response(b"", 0x67, 0x00)
        cla, ins, p1, p2 = apdu[:4]
        if cla != 0x00:
            return protocol.Response(b"", 0x6E, 0x00)
        if ins == 0xA4:
            return self._select(p1, apdu[5 : 5 + apdu[4]] if len(apdu) > 5 else b"")
        if ins == 0xB0:
            le = apdu[4] if len(apdu) > 4 else 0
            return self._read(p1, p2, le or 256)
        if ins == 0xC0:
            le = apdu[4] if len(apdu) > 4 else 0
            data, self.pending = self.pending, b""
            if not data:
                return protocol.Response(b"", 0x69, 0x85)
            if le and le < len(data):
                self.pending = data[le:]
                return protocol.Response(data[:le], 0x61, min(len(self.pending), 0xFF))
            return protocol.Response(data, 0x90, 0x00)
        return protocol.Response(b"", 0x6D, 0x00)

    def _select(self, p1: int, data: bytes) -> protocol.Response:
        if p1 == 0x00 and data in (b"\x3f\x00", b""):
            self.directory, self.current = "mf", None
            fci = protocol.encode_tlv(0x6F, protocol.encode_tlv(0x83, b"\x3f\x00"))
        elif p1 == 0x04 and data == protocol.AID_VITALE and self.profile.vitale_application:
            self.directory, self.current = "vitale", None
            fci = protocol.encode_tlv(0x6F, protocol.encode_tlv(0x84, data))
        else:
            return protocol.Response(b"", 0x6A, 0x82)
        if self.profile.t0_quirks:
            self.pending = fci
            return protocol.Response(b"", 0x61, len(fci))
        return protocol.Response(b"", 0x90, 0x00)

    def _read(self, p1: int, p2: int, le: int) -> protocol.Response:
        if p1 & 0x80:
            if p1 & 0x1F != 2:
                return protocol.Response(b"", 0x6A, 0x82)
            self.current = "identity" if self.directory == "mf" else "nir"
            offset = p2
        elif self.current is None:
            return protocol.Response(b"", 0x69, 0x86)
        else:
            offset = p1 << 8 | p2
        if self.current in self.profile.deny:
            return protocol.Response(b"", 0x69, 0x82)
        content = self._file(self.current)
        if offset >= len(content):
            return protocol.Response(b"", 0x6B, 0x00)
        chunk = content[offset : offset + le]
        if len(chunk) < le:
            if self.profile.t0_quirks:
                return protocol.Response(b"", 0x6C, len(chunk) & 0xFF)
            return protocol.Response(chunk, 0x62, 0x82)
        return protocol.Response(chunk, 0x90, 0x00)


def _recv_exact(sock: socket.socket, size: int) -> bytes | None:
    buf = bytearray()
    while len(buf) < size:
        part = sock.recv(size - len(buf))
        if not part:
            return None
        # Re-armed after every read: Linux drops back to delayed ACKs on its own.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        buf += part
    return bytes(buf)


class VirtualCard:
    """A card inserted into the vpcd reader at ``port``: ``insert()`` connects, ``remove()``
    disconnects. It serves on its own named thread and counts the APDUs it answered."""

    def __init__(
        self, profile: CardProfile, *, port: int = DEFAULT_PORT, host: str = "127.0.0.1"
    ) -> None:
        self.profile = profile
        self.port = port
        self.host = host
        self.apdus = 0
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.removed = threading.Event()
        self.removed.set()

    @property
    def inserted(self) -> bool:
        return not self.removed.is_set()

    def insert(self, *, timeout: float = 5.0) -> None:
        """Connect to the reader (retrying until it listens, within ``timeout``) and serve."""
        if self.inserted:
            return
        deadline = time.monotonic() + timeout
        while True:
            try:
                sock = socket.create_connection((self.host, self.port), timeout=1.0)
                break
            except OSError as exc:
                if time.monotonic() >= deadline:
                    raise CardProfileError(
                        f"no virtual reader listening on {self.host}:{self.port} "
                        f"(is the private pcscd running?): {exc}"
                    ) from exc
                self.removed.wait(0.05)
        sock.settimeout(None)
        # Small frames both ways: without these each APDU waits ~40 ms for a delayed ACK.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        self.apdus = 0
        logic = CardLogic(self.profile)
        with self._lock:
            self._sock = sock
            self.removed.clear()
        self._thread = threading.Thread(
            target=self._serve, args=(sock, logic), name=f"vicc-{self.port}", daemon=True
        )
        self._thread.start()
        log.info("virtual card %s inserted on port %d", self.profile.name, self.port)

    def remove(self, *, timeout: float = 5.0) -> None:
        """Pull the card out: close the connection and wait for the serving thread."""
        self._close()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def wait_removed(self, timeout: float) -> bool:
        return self.removed.wait(timeout)

    def _close(self) -> None:
        with self._lock:
            sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
            log.info("virtual card %s removed from port %d", self.profile.name, self.port)
        self.removed.set()

    def _serve(self, sock: socket.socket, logic: CardLogic) -> None:
        try:
            while True:
                header = _recv_exact(sock, 2)
                if header is None:
                    break
                (size,) = struct.unpack(">H", header)
                payload = _recv_exact(sock, size) if size else b""
                if payload is None:
                    break
                if size == 1:
                    reply = self._control(payload[0], logic)
                    if reply is not None:
                        sock.sendall(struct.pack(">H", len(reply)) + reply)
                    continue
                answer = logic.answer(payload)
                # counted before the answer leaves: the reader may have its last answer (and
                # a test read the count) before this thread runs again
                self.apdus += 1
                sock.sendall(struct.pack(">H", len(answer)) + answer)
                limit = self.profile.remove_after
                if limit is not None and self.apdus >= limit:
                    break
        except OSError:
            pass  # the reader or the test closed the connection: the card is out
        finally:
            self._close()

    def _control(self, code: int, logic: CardLogic) -> bytes | None:
        if code == CTRL_ATR:
            # vpcd ejects a card that gives no ATR at all, so a mute card is one whose
            # answer to reset stops after its first byte: present, but it cannot be used.
            return b"\x3b" if self.profile.mute else self.profile.atr
        if code in (CTRL_OFF, CTRL_RESET):
            logic.reset()
        return None

    def __enter__(self) -> VirtualCard:
        self.insert()
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def family(people: Sequence[Beneficiary], *, name: str = "generated") -> CardProfile:
    """A Vitale 2 profile holding ``people`` (tests build large families with it)."""
    return CardProfile(
        name=name,
        atr=bytes.fromhex("3B751300004509EA9000"),
        beneficiaries=tuple(people),
    )
