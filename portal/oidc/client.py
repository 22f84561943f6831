"""The portal as an OpenID Connect client of Pro Santé Connect: the provider's discovery and
keys, the authorization request (code, PKCE S256 by Authlib, state, nonce, ``acr_values``),
the code exchanged at the token endpoint, and the ID token checked (signature on the
provider's keys by joserfc, Authlib's JOSE; issuer, audience, expiry, nonce, level).

Every call to the provider is bounded (``[psc] timeout_s``); a provider that does not answer
or answers nonsense is :class:`PscError` "unavailable", never a hang.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, urlencode

import aiohttp
from authlib.common.security import generate_token  # type: ignore[import-untyped]
from authlib.oauth2.rfc7636 import create_s256_code_challenge  # type: ignore[import-untyped]
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from portal import security

log = security.escaped_logger(__name__)

#: Signature algorithms accepted on ID tokens (never "none", never a shared-secret HMAC).
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")
#: Seconds the discovery document and the keys are kept before being fetched again.
CACHE_S = 3600.0
_MAX_BODY = 256 * 1024


class PscError(Exception):
    """A sign-in that cannot go on; ``code`` says why, in one word, for the page and the log:
    ``unavailable`` (provider down or wrong), ``state`` (no sign-in started here, or too old),
    ``refused`` (the provider refused: a code replayed or expired, or the user said no),
    ``token`` (an ID token that fails a check: ``detail`` which), ``level`` (assurance too
    low), ``identity`` (no RPPS in the claims)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str = ""


@dataclass(frozen=True)
class LoginState:
    """What the browser keeps (signed) between leaving for the provider and coming back."""

    state: str
    nonce: str
    verifier: str
    expires: float


@dataclass(frozen=True)
class Identity:
    rpps: str
    claims: dict[str, Any]


def basic_auth(client_id: str, secret: str) -> str:
    """HTTP Basic of a client: each part form-encoded first (RFC 6749 §2.3.1)."""
    raw = f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()
    return "Basic " + base64.b64encode(raw).decode()


def rpps_of(national_id: str) -> str:
    """The RPPS in a professional's national id: "8" + 11 digits (PSC's), or the 11 digits."""
    value = national_id.strip()
    if len(value) == 12 and value.startswith("8") and value.isdigit():
        return value[1:]
    if len(value) == 11 and value.isdigit():
        return value
    return ""


class PscClient:
    def __init__(self, cfg: Any, *, clock: Callable[[], float] = time.time) -> None:
        self.cfg = cfg  # PscConfig
        self._clock = clock
        self._session: aiohttp.ClientSession | None = None
        self._provider: tuple[float, Provider] | None = None
        self._keys: tuple[float, KeySet] | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            timeout = aiohttp.ClientTimeout(total=self.cfg.timeout_s)
            self._session = aiohttp.ClientSession(timeout=timeout)
        return self._session

    async def _json(self, method: str, url: str, **kwargs: Any) -> tuple[int, Any]:
        try:
            async with self._http().request(method, url, allow_redirects=False, **kwargs) as r:
                body = await r.content.read(_MAX_BODY + 1)
                status = r.status
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise PscError("unavailable", f"{type(exc).__name__} from {url}") from exc
        if len(body) > _MAX_BODY:
            raise PscError("unavailable", f"answer too large from {url}")
        try:
            return status, json.loads(body or b"null")
        except ValueError as exc:
            raise PscError("unavailable", f"not JSON from {url} (HTTP {status})") from exc

    # -- the provider --------------------------------------------------------------------

    async def provider(self) -> Provider:
        now = self._clock()
        if self._provider is not None and now - self._provider[0] < CACHE_S:
            return self._provider[1]
        status, doc = await self._json("GET", self.cfg.discovery)
        if status != 200 or not isinstance(doc, dict):
            raise PscError("unavailable", f"discovery answered HTTP {status}")
        try:
            found = Provider(
                issuer=str(doc["issuer"]),
                authorization_endpoint=str(doc["authorization_endpoint"]),
                token_endpoint=str(doc["token_endpoint"]),
                jwks_uri=str(doc["jwks_uri"]),
                userinfo_endpoint=str(doc.get("userinfo_endpoint", "")),
            )
        except KeyError as exc:
            raise PscError("unavailable", f"discovery without {exc.args[0]!r}") from exc
        if found.issuer != self.cfg.issuer:
            raise PscError("unavailable", "discovery names another issuer")
        self._provider = (now, found)
        return found

    async def keys(self, *, refresh: bool = False) -> KeySet:
        now = self._clock()
        if not refresh and self._keys is not None and now - self._keys[0] < CACHE_S:
            return self._keys[1]
        provider = await self.provider()
        status, doc = await self._json("GET", provider.jwks_uri)
        try:
            if status != 200:
                raise ValueError(f"HTTP {status}")
            keys = KeySet.import_key_set(doc)
        except (ValueError, TypeError, KeyError, JoseError) as exc:
            raise PscError("unavailable", f"keys unusable: {exc}") from exc
        self._keys = (now, keys)
        return keys

    # -- the flow ------------------------------------------------------------------------

    async def start(self) -> tuple[str, LoginState]:
        """The provider's authorization URL to send the browser to, and what to keep."""
        provider = await self.provider()
        login = LoginState(
            state=generate_token(32), nonce=generate_token(32), verifier=generate_token(64),
            expires=self._clock() + self.cfg.login_ttl_s,
        )  # fmt: skip
        query = {
            "response_type": "code",
            "client_id": self.cfg.client_id,
            "redirect_uri": self.cfg.redirect_url,
            "scope": self.cfg.scope,
            "state": login.state,
            "nonce": login.nonce,
            "code_challenge": create_s256_code_challenge(login.verifier),
            "code_challenge_method": "S256",
            "acr_values": " ".join(self.cfg.acr_values),
        }
        joiner = "&" if "?" in provider.authorization_endpoint else "?"
        return f"{provider.authorization_endpoint}{joiner}{urlencode(query)}", login

    async def finish(self, code: str, login: LoginState) -> Identity:
        """Exchange ``code`` (with the PKCE verifier) and check the ID token."""
        provider = await self.provider()
        status, body = await self._json(
            "POST",
            provider.token_endpoint,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.cfg.redirect_url,
                "code_verifier": login.verifier,
            },
            headers={"Authorization": basic_auth(self.cfg.client_id, self.cfg.client_secret)},
        )
        if status >= 500:
            raise PscError("unavailable", f"token endpoint answered HTTP {status}")
        if status != 200 or not isinstance(body, dict) or "id_token" not in body:
            error = body.get("error", "") if isinstance(body, dict) else ""
            raise PscError("refused", f"token endpoint: HTTP {status} {error}".strip())
        claims = await self.check_id_token(str(body["id_token"]), nonce=login.nonce)
        rpps = self._rpps(claims)
        if not rpps and provider.userinfo_endpoint and body.get("access_token"):
            rpps = self._rpps(await self._userinfo(provider, str(body["access_token"])))
        if not rpps:
            raise PscError("identity", "no RPPS in the identity claims")
        return Identity(rpps, claims)

    def _rpps(self, claims: dict[str, Any]) -> str:
        for name in self.cfg.rpps_claims:
            value = claims.get(name)
            if isinstance(value, str) and rpps_of(value):
                return rpps_of(value)
        return ""

    async def _userinfo(self, provider: Provider, access_token: str) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}
        status, body = await self._json("GET", provider.userinfo_endpoint, headers=headers)
        return body if status == 200 and isinstance(body, dict) else {}

    async def check_id_token(
        self, id_token: str, *, nonce: str, now: float | None = None
    ) -> dict[str, Any]:
        """The ID token's claims once its signature, issuer, audience, expiry, nonce and
        level are right; :class:`PscError` "token" (or "level") naming what is wrong."""
        keys = await self.keys()
        try:
            token = jwt.decode(id_token, keys, algorithms=list(ALGORITHMS))
        except JoseError as exc:
            if "kid" not in str(exc).lower() and "key" not in str(exc).lower():
                raise PscError("token", f"signature: {exc}") from exc
            try:  # the provider rolled its keys: fetch them once more
                fresh = await self.keys(refresh=True)
                token = jwt.decode(id_token, fresh, algorithms=list(ALGORITHMS))
            except JoseError as again:
                raise PscError("token", f"signature: {again}") from again
        except ValueError as exc:
            raise PscError("token", "not a JWT") from exc
        claims = dict(token.claims)
        when = int(self._clock() if now is None else now)
        registry = jwt.JWTClaimsRegistry(
            now=when,
            leeway=int(self.cfg.leeway_s),
            iss={"essential": True, "value": self.cfg.issuer},
            sub={"essential": True},
            aud={"essential": True, "value": self.cfg.client_id},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        try:
            registry.validate(claims)
        except JoseError as exc:
            raise PscError("token", f"{getattr(exc, 'claim', '')} {exc.error}".strip()) from exc
        audience, azp = claims["aud"], claims.get("azp")
        if isinstance(audience, list) and len(audience) > 1 and azp != self.cfg.client_id:
            raise PscError("token", "aud: another party's token (azp)")
        level = claims.get(self.cfg.acr_claim)
        if level not in self.cfg.acr_values:
            accepted = list(self.cfg.acr_values)
            raise PscError("level", f"{self.cfg.acr_claim} {level!r} not in {accepted}")
        return claims
