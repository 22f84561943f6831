"""What the portal accepts from peers: ids, texts, JSON bodies; log lines peers cannot forge;
writes from other sites refused and the security headers on every answer (middlewares).

Everything here refuses with a typed error (:class:`BadInput`, or ``ProtocolError`` on the
sockets) that the caller turns into a 400 or an ``error`` message: never a 500.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from portal import auth
from portal.config import ID_PATTERN
from protocol import ErrorCode, ProtocolError

#: Fields holding a cabin, session or call id, in the messages the portal receives.
ID_FIELDS = ("cabin_id", "session_id", "call_id")
#: Deepest JSON nesting a body may have (the portal's bodies are two levels deep).
MAX_DEPTH = 16
#: A bearer token as RFC 6750 spells it (b64token).
_BEARER = re.compile(r"[A-Za-z0-9._~+/-]+=*")


class BadInput(ValueError):
    """A request the portal will not read: not UTF-8, not JSON, too deep, a lone surrogate."""


def encodable(text: str) -> bool:
    """Whether ``text`` is valid Unicode (no lone surrogate, as JSON ``"\\ud800"`` or a
    header's raw byte gives): such a string fails at its first re-encode, far from here."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_value(value: Any, *, max_depth: int = MAX_DEPTH) -> None:
    """Raise :class:`BadInput` when ``value`` (parsed JSON) nests deeper than ``max_depth`` or
    holds a string, key or value, that is not valid Unicode. Iterative: no recursion limit."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if not encodable(item):
                raise BadInput("a string is not valid Unicode")
        elif isinstance(item, dict | list):
            if depth > max_depth:
                raise BadInput(f"nested deeper than {max_depth}")
            if isinstance(item, dict):
                stack.extend((key, depth) for key in item)
                stack.extend((v, depth + 1) for v in item.values())
            else:
                stack.extend((v, depth + 1) for v in item)


def parse_json(raw: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse a JSON body; :class:`BadInput` for anything but sound, shallow, valid-Unicode
    JSON (``json.loads`` raises RecursionError, not ValueError, on 20,000 nested arrays)."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        value = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BadInput("not JSON") from exc
    check_value(value, max_depth=max_depth)
    return value


async def read_json(request: web.Request) -> Any:
    """A request's JSON body, checked as :func:`parse_json` does (413 when over the size cap)."""
    return parse_json(await request.read())


def bearer_token(header: str) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header; None when there is no such
    header, :class:`BadInput` when the token is not the visible ASCII RFC 6750 allows (raw
    bytes ``ff fe fd`` reach the handler as lone surrogates)."""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    if len(token) > 256 or not _BEARER.fullmatch(token):
        raise BadInput("a bearer token is visible ASCII")
    return token


def valid_id(value: Any) -> bool:
    return isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None


def check_message(msg: dict[str, Any]) -> None:
    """Refuse a signalling message whose ids break the id rule (``[A-Za-z0-9_-]{1,64}``), or
    one holding a string that is not valid Unicode (it would break every later broadcast).

    A bad ``cabin_id`` or ``session_id`` is ``bad_field``; a bad ``call_id`` is
    ``stale_call``, as any other id that names no current call (the portal makes none such).
    """
    ref = str(msg.get("type", ""))
    for name in ID_FIELDS:
        if name in msg and not valid_id(msg[name]):
            code = ErrorCode.STALE_CALL if name == "call_id" else ErrorCode.BAD_FIELD
            raise ProtocolError(code, f"{name!r} is 1 to 64 of A-Z a-z 0-9 _ -", ref=ref)
    try:
        check_value(msg, max_depth=4)
    except BadInput as exc:
        raise ProtocolError(ErrorCode.BAD_FIELD, "a field is not valid text", ref=ref) from exc


# -- logs ------------------------------------------------------------------------------------

#: C0 and C1 controls, DEL, line and paragraph separators, bidirectional overrides.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape(text: str) -> str:
    """``text`` with every control character written as an escape (``\\n``, ``\\x1b``)."""
    return _UNSAFE.sub(_escaped, text)


def _escaped(found: re.Match[str]) -> str:
    char = found.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    )


class EscapeFilter(logging.Filter):
    """Escapes control characters in a record's arguments, so that no text a peer chose (an
    id, a login) can start a new log line ("CRITICAL ...") or drive a terminal (ESC)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(escape(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: escape(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True


_FILTER = EscapeFilter()


def escaped_logger(name: str) -> logging.Logger:
    """``logging.getLogger(name)`` with :class:`EscapeFilter` on it."""
    logger = logging.getLogger(name)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    return logger


# -- middlewares -----------------------------------------------------------------------------

log = escaped_logger(__name__)

_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob: mediastream:; connect-src 'self' ws: wss:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@web.middleware
async def same_origin_writes(
    request: web.Request, handler: Callable[[web.Request], Any]
) -> web.StreamResponse:
    """A write a browser sends with the login cookie must come from the portal's own pages:
    SameSite=Strict stops other sites, not a page on a sibling subdomain (a form posted to
    "J'y vais" would tell a patient that someone is coming). The booking site's calls, with
    their bearer token and no cookie, are not concerned; nor is a client that says nothing
    of where it comes from (no browser leaves both headers out)."""
    if request.method in _WRITES and auth.COOKIE in request.cookies:
        site = request.headers.get("Sec-Fetch-Site")
        origin = request.headers.get("Origin")
        if site is not None:  # every current browser says it
            foreign = site not in ("same-origin", "none")
        else:  # the host only: a TLS proxy in front changes the scheme
            foreign = origin is not None and urlsplit(origin).netloc != request.host
        if foreign:
            log.warning("portal: a %s from another site refused", request.method)
            return web.json_response(
                {"error": "cross_site", "message": "writes come from the portal's own pages"},
                status=403,
            )
    response: web.StreamResponse = await handler(request)
    return response


@web.middleware
async def security_headers(
    request: web.Request, handler: Callable[[web.Request], Any]
) -> web.StreamResponse:
    response: web.StreamResponse = await handler(request)
    response.headers.setdefault("Content-Security-Policy", _CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("Permissions-Policy", "camera=(self), microphone=(self)")
    return response
