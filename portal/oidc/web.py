"""``/auth/psc/login`` and ``/auth/psc/callback``: a doctor signs in with Pro Santé Connect.

The login leaves a signed, short-lived cookie (state, nonce, PKCE verifier; ``SameSite=Lax``
so that it comes back with the provider's redirect, to this path only) and sends the browser
to the provider. The callback checks that cookie, exchanges the code, checks the ID token
(:mod:`.client`), finds the doctor's account by the RPPS the provider vouched for, and opens
the usual session with that RPPS inside it: the doctor's page receives it from ``/api/me``,
and it goes on the prescriptions instead of being typed. Whatever fails gets a page in French
and English saying what to do; nothing is logged but the doctor's login or the reason.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import secrets
import time
from collections.abc import AsyncIterator

from aiohttp import web

from portal import auth, security
from portal.config import PortalConfig
from portal.oidc.client import LoginState, PscClient, PscError

log = security.escaped_logger(__name__)

COOKIE = "cabine_psc"
PSC: web.AppKey[PscClient] = web.AppKey("psc")
_KEY: web.AppKey[bytes] = web.AppKey("psc-cookie-key")
_CONFIG: web.AppKey[PortalConfig] = web.AppKey("psc-config")
_SESSIONS: web.AppKey[auth.Sessions] = web.AppKey("psc-sessions")

#: Why a sign-in stopped, in the doctor's words (French, English), and the HTTP status.
MESSAGES: dict[str, tuple[int, str, str]] = {
    "unavailable": (503, "Pro Santé Connect ne répond pas pour le moment : réessayez dans "
                    "quelques minutes, ou connectez-vous par mot de passe si votre compte "
                    "le permet.",
                    "Pro Santé Connect does not answer for now: try again in a few minutes, or "
                    "log in with your password if your account allows it."),
    "state": (400, "Cette connexion a expiré ou n'a pas été commencée sur ce portail : "
              "recommencez.",
              "This sign-in has expired or was not started on this portal: start again."),
    "refused": (403, "Pro Santé Connect a refusé la connexion (code déjà utilisé ou expiré, ou "
                "connexion annulée) : recommencez.",
                "Pro Santé Connect refused the sign-in (a code already used or expired, or a "
                "cancelled sign-in): start again."),
    "token": (403, "La réponse de Pro Santé Connect n'est pas valable : connexion refusée.",
              "Pro Santé Connect's answer is not valid: sign-in refused."),
    "level": (403, "Niveau d'authentification insuffisant : utilisez votre carte CPS ou "
              "l'application e-CPS.",
              "Authentication level too low: use your CPS card or the e-CPS app."),
    "identity": (403, "Pro Santé Connect n'a pas transmis de numéro RPPS : connexion refusée.",
                 "Pro Santé Connect sent no RPPS number: sign-in refused."),
    "no_account": (403, "Aucun compte médecin actif de ce portail ne porte ce numéro RPPS : "
                   "demandez à l'administrateur du portail de l'ajouter.",
                   "No enabled doctor's account of this portal has this RPPS number: ask the "
                   "portal's administrator to add it."),
}  # fmt: skip


def setup(app: web.Application, cfg: PortalConfig, sessions: auth.Sessions) -> None:
    """The two routes, when ``[psc] issuer`` is set; ``/api/psc`` says whether they exist."""
    if not cfg.psc.enabled:
        app.router.add_get("/api/psc", unavailable)
        return
    app[_CONFIG] = cfg
    app[_SESSIONS] = sessions
    base = cfg.server.session_secret.encode() or secrets.token_bytes(32)
    app[_KEY] = hmac.new(base, b"cabine psc login", hashlib.sha256).digest()
    client = app[PSC] = PscClient(cfg.psc)

    async def lifetime(app: web.Application) -> AsyncIterator[None]:
        yield
        await client.close()

    app.cleanup_ctx.append(lifetime)
    app.router.add_get("/auth/psc/login", login)
    app.router.add_get("/auth/psc/callback", callback)
    app.router.add_get("/api/psc", about)


async def unavailable(request: web.Request) -> web.Response:
    """This portal has no Pro Santé Connect: the doctor's page offers the password only."""
    return web.json_response({"enabled": False})


async def about(request: web.Request) -> web.Response:
    """For the doctor's page: whether to offer the button, and where it leads."""
    return web.json_response({"enabled": True, "login_url": "/auth/psc/login"})


def _seal(key: bytes, login: LoginState) -> str:
    payload = json.dumps(
        [login.state, login.nonce, login.verifier, round(login.expires, 3)], separators=(",", ":")
    ).encode()
    mac = hmac.new(key, payload, hashlib.sha256).digest()
    return f"{_b64(payload)}.{_b64(mac)}"


def _unseal(key: bytes, sealed: str | None, now: float) -> LoginState | None:
    if not sealed or len(sealed) > 1024 or sealed.count(".") != 1:
        return None
    encoded, mac = sealed.split(".")
    try:
        payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        state, nonce, verifier, expires = json.loads(payload)
    except (ValueError, TypeError):
        return None
    if not auth.same_secret(mac, _b64(hmac.new(key, payload, hashlib.sha256).digest())):
        return None
    if float(expires) <= now:
        return None
    return LoginState(str(state), str(nonce), str(verifier), float(expires))


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _page(code: str) -> web.Response:
    status, french, english = MESSAGES[code]
    body = f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pro Santé Connect — connexion impossible</title>
<link rel="stylesheet" href="/static/style.css"></head>
<body class="staff"><header><h1>Cabine — Pro Santé Connect</h1></header>
<main id="psc-error" data-code="{html.escape(code)}">
<h2>Connexion impossible</h2><p role="alert">{html.escape(french, quote=False)}</p>
<p><a href="/">Retour à la connexion</a></p>
<div lang="en"><h2>Sign-in impossible</h2><p>{html.escape(english, quote=False)}</p>
<p><a href="/">Back to the login</a></p></div>
</main></body></html>
"""
    return web.Response(text=body, status=status, content_type="text/html")


async def login(request: web.Request) -> web.StreamResponse:
    cfg = request.app[_CONFIG]
    try:
        url, state = await request.app[PSC].start()
    except PscError as exc:
        log.warning("psc: sign-in not started: %s", exc)
        return _page(exc.code)
    response = _redirect(url)
    response.set_cookie(
        COOKIE, _seal(request.app[_KEY], state), httponly=True, secure=cfg.server.secure_cookies,
        samesite="Lax", path="/auth/psc", max_age=int(cfg.psc.login_ttl_s),
    )  # fmt: skip
    return response


async def callback(request: web.Request) -> web.StreamResponse:
    cfg, client = request.app[_CONFIG], request.app[PSC]
    login_state = _unseal(request.app[_KEY], request.cookies.get(COOKIE), time.time())
    given = request.query.get("state", "")
    if login_state is None or not auth.same_secret(given, login_state.state):
        log.warning("psc: a callback without its sign-in (state)")
        return _forget(_page("state"))
    if "error" in request.query or not request.query.get("code"):
        log.info("psc: the provider refused: %s", request.query.get("error", "no code")[:64])
        return _forget(_page("refused"))
    try:
        identity = await client.finish(request.query["code"][:512], login_state)
    except PscError as exc:
        log.warning("psc: sign-in refused: %s", exc)
        return _forget(_page(exc.code))
    matches = [login for login, d in cfg.doctors.items() if d.rpps == identity.rpps]
    if len(matches) != 1:
        log.warning("psc: no single enabled doctor's account for the RPPS signed in (%d)",
                    len(matches))  # fmt: skip
        return _forget(_page("no_account"))
    doctor_id = matches[0]
    session = request.app[_SESSIONS].open(doctor_id, role=auth.DOCTOR, rpps=identity.rpps)
    log.info("doctor %s: logged in with Pro Santé Connect", doctor_id)
    response = _forget(_redirect("/"))
    response.set_cookie(
        auth.COOKIE, session.token, httponly=True, secure=cfg.server.secure_cookies,
        samesite="Strict", path="/", max_age=int(cfg.server.session_hours * 3600),
    )  # fmt: skip
    return response


def _redirect(url: str) -> web.Response:
    return web.Response(status=302, headers={"Location": url})


def _forget(response: web.StreamResponse) -> web.StreamResponse:
    """The sign-in's cookie is used once, whatever the outcome."""
    response.del_cookie(COOKIE, path="/auth/psc")
    return response
