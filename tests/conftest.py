"""Shared test set-up: Qt renders offscreen; real services come from per-area fixtures."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def shm_spool() -> Iterator[Path]:
    """A spool folder on tmpfs (the kiosk refuses one on disk) for one test, then removed."""
    path = Path(tempfile.mkdtemp(prefix="cabine-test-spool-", dir="/dev/shm"))
    yield path
    shutil.rmtree(path, ignore_errors=True)
