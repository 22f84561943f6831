"""A real OpenID provider on loopback for the Pro Santé Connect tests: Debian's ``glewlwyd``
(its own SQLite database, its OpenID Connect plugin, an RSA key), started by the test and
stopped by PID.

It stands in for PSC: a client ``cabine-portal`` (code flow, PKCE, client secret), another
client ``other-app`` (for a token of another audience), and doctors whose user properties
become PSC's claims ``SubjectNameID`` and ``preferred_username`` ("8" + RPPS). glewlwyd
refuses to set ``acr`` from a property (it keeps that name for itself and never sets it), so
the level of assurance travels in a claim named ``loa`` here (``[psc] acr_claim = "loa"``).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

BINARY = "/usr/bin/glewlwyd"
CONFIG = Path("/etc/glewlwyd/glewlwyd.conf")
SCHEMA = Path("/usr/share/dbconfig-common/data/glewlwyd/install/sqlite3")
CLIENT_ID, CLIENT_SECRET = "cabine-portal", "cabine-portal-secret-0123456789"
OTHER_ID, OTHER_SECRET = "other-app", "other-app-secret-0123456789"
#: login -> (password, national id "8" + RPPS, level)
DOCTORS = {
    "dr-psc": ("psc-pass-1", "810101010101", "eidas1"),
    "dr-weak": ("psc-pass-2", "810101010102", "eidas0"),
    "dr-stranger": ("psc-pass-3", "819999999999", "eidas1"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Glewlwyd:
    def __init__(self, base: Path, *, redirect_urls: list[str]) -> None:
        if not (Path(BINARY).exists() and CONFIG.exists() and SCHEMA.exists()):
            pytest.fail("glewlwyd is missing: apt-get install --no-install-recommends glewlwyd")
        self.base = base
        self._set_port(free_port())
        self.redirect_urls = redirect_urls
        self.process: subprocess.Popen[bytes] | None = None
        self._admin = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    # -- life ----------------------------------------------------------------------------

    def start(self) -> None:
        """Start it; a port taken meanwhile (another test's) is traded for another, twice."""
        for _ in range(3):
            if self._start():
                return
            self._set_port(free_port())
        pytest.fail(f"glewlwyd found no free port: {self.base / 'glewlwyd.log'}")

    def _set_port(self, port: int) -> None:
        self.port = port
        self.root = f"http://127.0.0.1:{self.port}"
        self.issuer = f"{self.root}/api/oidc"

    def _start(self) -> bool:
        self.base.mkdir(parents=True, exist_ok=True)
        database = self.base / "glewlwyd.db"
        if not database.exists():
            self._database(database)
        conf = CONFIG.read_text()
        replaced = {
            "port=": f"port={self.port}",
            "external_url=": f'external_url="{self.root}"',
            "log_file=": f'log_file="{self.base / "glewlwyd.log"}"',
            "log_level=": 'log_level="WARNING"',
        }
        lines = []
        for original in conf.splitlines():
            key = next((k for k in replaced if original.startswith(k)), None)
            line = replaced[key] if key else original
            if original.startswith("@include"):
                line = f'database = {{ type = "sqlite3" path = "{database}" }};'
            lines.append(line)
        (self.base / "glewlwyd.conf").write_text("\n".join(lines) + "\n")
        with (self.base / "stdout.log").open("ab") as log:
            self.process = subprocess.Popen(
                [BINARY, f"--config-file={self.base / 'glewlwyd.conf'}"],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log_file = self.base / "glewlwyd.log"
                said = log_file.read_text() if log_file.exists() else ""
                if "Address already in use" in said:
                    log_file.unlink()
                    return False
                pytest.fail(f"glewlwyd exited: {said[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return True
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.fail("glewlwyd did not listen within 15 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None

    @staticmethod
    def _database(path: Path) -> None:
        """glewlwyd's own schema; its user backend told to keep the two properties PSC's
        claims come from (at start: a module changed later is not reloaded)."""
        conn = sqlite3.connect(path)
        try:
            conn.executescript(SCHEMA.read_text())
            row = conn.execute(
                "SELECT gumi_parameters FROM g_user_module_instance WHERE gumi_name='database'"
            ).fetchone()
            params = json.loads(row[0])
            for prop in ("psc_id", "acr_level"):
                params["data-format"][prop] = {"multiple": False, "read": True, "write": True,
                                               "profile-read": False, "profile-write": False}  # fmt: skip
            conn.execute(
                "UPDATE g_user_module_instance SET gumi_parameters=? WHERE gumi_name='database'",
                (json.dumps(params),),
            )
            conn.commit()
        finally:
            conn.close()

    # -- its admin API -------------------------------------------------------------------

    def call(self, method: str, path: str, body: Any = None, *, opener: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.root}/api{path}", method=method, data=data,
                                     headers={"Content-Type": "application/json"})  # fmt: skip
        try:
            with (opener or self._admin).open(req, timeout=10) as response:
                text = response.read().decode()
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"glewlwyd {method} {path}: {exc.code} {exc.read()!r}") from exc
        return json.loads(text) if text else None

    def configure(self) -> None:
        self.call("POST", "/auth/", {"username": "admin", "password": "password"})
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(serialization.Encoding.PEM,
                                serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption()).decode()  # fmt: skip
        public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)  # fmt: skip
        self.call("POST", "/mod/plugin/", {
            "module": "oidc", "name": "oidc", "display_name": "PSC stand-in",
            "parameters": {
                "iss": self.issuer, "jwt-type": "rsa", "jwt-key-size": "256",
                "key": pem, "cert": public.decode(),
                "access-token-duration": 3600, "refresh-token-duration": 1209600,
                "code-duration": 600, "refresh-token-rolling": True, "allow-non-oidc": False,
                "auth-type-code-enabled": True, "auth-type-token-enabled": False,
                "auth-type-id-token-enabled": False, "auth-type-password-enabled": False,
                "auth-type-client-enabled": False, "auth-type-refresh-enabled": True,
                "pkce-allowed": True, "pkce-method-plain-allowed": False,
                "name-claim": "mandatory", "email-claim": "no",
                "claims": [
                    {"name": "SubjectNameID", "user-property": "psc_id", "mandatory": True},
                    {"name": "preferred_username", "user-property": "psc_id", "mandatory": True},
                    {"name": "loa", "user-property": "acr_level", "mandatory": True},
                ],
            },
        })  # fmt: skip
        for client_id, secret in ((CLIENT_ID, CLIENT_SECRET), (OTHER_ID, OTHER_SECRET)):
            self.call("POST", "/client/", {
                "client_id": client_id, "name": client_id, "enabled": True, "confidential": True,
                "password": secret, "redirect_uri": self.redirect_urls,
                "authorization_type": ["code"], "scope": [],
                "token_endpoint_auth_method": ["client_secret_basic"],
            })  # fmt: skip
        for login, (password, national_id, level) in DOCTORS.items():
            self.call("POST", "/user/", {
                "username": login, "name": f"Dr {login}", "email": "", "enabled": True,
                "scope": ["openid"], "password": password, "psc_id": national_id,
                "acr_level": level,
            })  # fmt: skip

    def user_cookie(self, login: str, client_id: str = CLIENT_ID) -> str:
        """What glewlwyd's login page leaves in a doctor's browser once they signed in and
        agreed to share their identity with ``client_id``: its session cookie."""
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.call("POST", "/auth/", {"username": login, "password": DOCTORS[login][0]},
                  opener=opener)  # fmt: skip
        self.call("PUT", f"/auth/grant/{client_id}", {"scope": "openid"}, opener=opener)
        cookie = next(c for c in jar if c.name.startswith("GLEWLWYD"))
        return f"{cookie.name}={cookie.value}"
