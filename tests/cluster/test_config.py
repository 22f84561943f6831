"""``[cluster]`` in the portal's config, and a portal that cannot reach its Redis."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from portal.config import PortalConfigError
from portal.config import parse as parse_portal_config

ROOT = Path(__file__).resolve().parents[2]


def test_no_cluster_table_is_one_instance_in_memory() -> None:
    cfg = parse_portal_config("", source="t.toml")
    assert cfg.cluster.redis_url == ""


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('redis_url = "http://127.0.0.1:6379"', "[cluster] 'redis_url'"),
        ("presence_ttl_s = -1.0", "[cluster] 'presence_ttl_s'"),
        ("redis_host = 'x'", "[cluster]: unknown key 'redis_host'"),
        ("redis_url = 6379", "[cluster] key 'redis_url' must be str"),
    ],
)
def test_bad_cluster_table_names_the_key(table: str, message: str) -> None:
    with pytest.raises(PortalConfigError) as caught:
        parse_portal_config(f"[cluster]\n{table}\n", source="t.toml")
    assert message in str(caught.value) and "t.toml" in str(caught.value)


def test_the_demo_config_documents_the_cluster_table() -> None:
    text = (ROOT / "config" / "portal-demo.toml").read_text()
    assert "[cluster]" in text and 'redis_url = ""' in text


def test_portal_exits_naming_the_redis_it_cannot_reach(tmp_path: Path) -> None:
    url = f"unix://{tmp_path}/no-redis.sock"
    config = tmp_path / "portal.toml"
    config.write_text(f'[server]\nsession_secret = "k"\n[cluster]\nredis_url = "{url}"\n')
    done = subprocess.run(
        [sys.executable, "-m", "portal", "--config", str(config), "--port", "0"],
        capture_output=True, text=True, timeout=60, check=False, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(f"portal: shared state at {url} unavailable"), done.stderr
    assert "Traceback" not in done.stderr


def test_redis_replies_are_parsed_in_c() -> None:
    """Each instance reads every cabin's presence (5,000 in a region) when the room changes:
    redis-py's Python reply parser took 34 ms for it, holding the loop and the calls' messages
    with it; hiredis (``redis[hiredis]``, installed with the portal) takes 2.5 ms."""
    import redis.utils

    assert redis.utils.HIREDIS_AVAILABLE, "hiredis is not installed: `make setup` installs it"
