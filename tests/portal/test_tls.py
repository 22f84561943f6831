"""The portal over TLS, and the cabin's link verifying it against the portal's CA."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import ipaddress
import ssl
from pathlib import Path

import aiohttp
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.call import CabinCall, CallOptions
from portal import server
from portal.config import PortalConfig, ServerConfig
from tests.portal.conftest import CABIN_ID, CABIN_TOKEN


def self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cabine test portal")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "portal.pem", directory / "portal.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.mark.asyncio
async def test_tls_portal_and_verified_cabin_link(
    portal_config: PortalConfig, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cert, key = self_signed(tmp_path)
    cfg = dataclasses.replace(
        portal_config,
        server=ServerConfig(tls_cert=str(cert), tls_key=str(key), heartbeat_s=2.0),
    )
    running = await server.start(cfg, host="127.0.0.1", port=0)
    try:
        assert running.url.startswith("https://")
        trust = ssl.create_default_context(cafile=str(cert))
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"{running.url}/api/health", ssl=trust) as response,
        ):
            assert response.status == 200
            assert "Content-Security-Policy" in response.headers

        options = CallOptions(
            portal_url=running.url.replace("https", "wss"),
            cabin_id=CABIN_ID,
            token=CABIN_TOKEN,
            portal_ca=str(cert),
            synthetic_media=True,
        )
        call = CabinCall(options)
        await call.start()
        try:
            await asyncio.wait_for(call.link.connected.wait(), 10)
        finally:
            await call.close()

        # without the portal's CA the cabin refuses the certificate, and keeps retrying
        untrusting = CabinCall(dataclasses.replace(options, portal_ca=""))
        await untrusting.start()
        try:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 10
            while "CertificateError" not in caplog.text and loop.time() < deadline:
                await asyncio.sleep(0.05)
            assert "ClientConnectorCertificateError" in caplog.text
            assert not untrusting.link.connected.is_set()
        finally:
            await untrusting.close()
    finally:
        await running.stop()
