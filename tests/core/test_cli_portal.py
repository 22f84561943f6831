"""``kiosk portal``: never the demo's config by accident; a busy port is one line, not a trace."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.stack import DEMO_PORTAL_CONFIG, SimulatedStack
from kiosk.config import project_config
from tests.core.test_cli import kiosk


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port on 127.0.0.1 that this test holds open (listening) until it ends."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def test_portal_without_config_refuses_to_start():
    proc = kiosk("portal")
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("kiosk portal: no config given: pass --config FILE")
    assert "portal-demo.toml" in lines[0]


def test_portal_on_a_port_in_use_says_so_in_one_line(taken_port: int):
    demo = str(project_config("portal-demo"))
    proc = kiosk("portal", "--config", demo, "--host", "127.0.0.1", "--port", str(taken_port))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [
        f"kiosk portal: cannot listen on 127.0.0.1:{taken_port}: address already in use"
    ]
    assert "listening" not in proc.stdout


def test_portal_config_may_come_before_the_command(taken_port: int):
    demo = str(project_config("portal-demo"))
    proc = kiosk("--config", demo, "portal", "--host", "127.0.0.1", "--port", str(taken_port))
    assert proc.stderr.splitlines() == [
        f"kiosk portal: cannot listen on 127.0.0.1:{taken_port}: address already in use"
    ]


def test_the_demo_names_its_portal_config():
    assert project_config("portal-demo") == DEMO_PORTAL_CONFIG
    assert SimulatedStack().portal_config_path == DEMO_PORTAL_CONFIG


@pytest.mark.asyncio
async def test_the_demo_stack_serves_its_named_portal_config(tmp_path: Path):
    stack = SimulatedStack(workdir=tmp_path, portal_port=0)
    try:
        await stack.start_portal()
        assert stack.portal_url.startswith("http://127.0.0.1:")
        assert stack.booking_code, "the demo's own config gets the demo appointment"
    finally:
        await stack.stop()
