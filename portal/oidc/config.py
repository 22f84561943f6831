"""``[psc]``: the portal as a client of Pro Santé Connect (or of any OpenID provider that
says who a health professional is). Empty ``issuer``: no such login, passwords only.
"""

from __future__ import annotations

from dataclasses import dataclass


class PscConfigError(ValueError):
    """A ``[psc]`` value that cannot work; the message names the key."""


@dataclass(frozen=True, kw_only=True)
class PscConfig:
    #: The provider's issuer, exactly as its ID tokens say it (PSC: its realm's URL).
    issuer: str = ""
    #: Its discovery document; empty: ``<issuer>/.well-known/openid-configuration``.
    discovery_url: str = ""
    client_id: str = ""
    #: The client's secret, sent by HTTP Basic to the token endpoint (keep the file private).
    client_secret: str = ""
    #: The portal's callback as registered at the provider: ``https://<portal>/auth/psc/callback``.
    redirect_url: str = ""
    scope: str = "openid scope_all"
    #: Levels of assurance asked (``acr_values``) and accepted in the ID token: PSC's
    #: ``eidas1`` is the e-CPS app or the CPS card.
    acr_values: tuple[str, ...] = ("eidas1",)
    #: The claim carrying the level (``acr``; a provider that cannot set ``acr`` names another).
    acr_claim: str = "acr"
    #: Claims holding the professional's national id, first found wins (PSC: ``SubjectNameID``,
    #: ``preferred_username``): "8" + the 11-digit RPPS, or the RPPS itself.
    rpps_claims: tuple[str, ...] = ("SubjectNameID", "preferred_username")
    #: Seconds for each call to the provider; seconds of clock skew tolerated on ``exp``/``iat``.
    timeout_s: float = 10.0
    leeway_s: float = 60.0
    #: Seconds a sign-in may take between leaving for the provider and coming back.
    login_ttl_s: float = 600.0

    @property
    def enabled(self) -> bool:
        return bool(self.issuer)

    @property
    def discovery(self) -> str:
        return self.discovery_url or self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def check(psc: PscConfig) -> None:
    """Refuse a half-filled ``[psc]``; a filled one needs every key of a client."""
    if not psc.enabled:
        return
    for key in ("client_id", "client_secret", "redirect_url"):
        if not getattr(psc, key):
            raise PscConfigError(f"[psc] {key!r} is required with 'issuer'")
    for key in ("issuer", "redirect_url", "discovery_url"):
        value = getattr(psc, key)
        if value and not value.startswith(("https://", "http://")):
            raise PscConfigError(f"[psc] {key!r} must be an http(s) URL")
    if not psc.redirect_url.endswith("/auth/psc/callback"):
        raise PscConfigError("[psc] 'redirect_url' must end with /auth/psc/callback")
    if "openid" not in psc.scope.split():
        raise PscConfigError("[psc] 'scope' must include openid")
    if not psc.acr_values or not psc.rpps_claims:
        raise PscConfigError("[psc] 'acr_values' and 'rpps_claims' cannot be empty")
    if psc.timeout_s <= 0 or psc.leeway_s < 0 or psc.login_ttl_s <= 0:
        raise PscConfigError("[psc] 'timeout_s', 'login_ttl_s' > 0 and 'leeway_s' >= 0 needed")
