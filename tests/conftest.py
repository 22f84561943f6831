"""Shared test set-up: Qt renders offscreen; real services come from per-area fixtures."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
