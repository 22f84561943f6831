"""The application core's errors.

CabineError
├── ConfigError        a config file is missing, malformed, or has a wrong or unknown key
├── SessionError
│   └── IllegalEventError  an event the current session state does not accept
└── PrivacyError       the spool is not where patient data may live
"""

from __future__ import annotations


class CabineError(Exception):
    """Base of every error the kiosk core raises on purpose."""


class ConfigError(CabineError):
    """A configuration problem, described in one line naming file, table and key."""


class SessionError(CabineError):
    """The patient session was asked something it cannot do."""


class IllegalEventError(SessionError):
    """The current state does not accept this event."""

    def __init__(self, state: str, event: str) -> None:
        super().__init__(f"event {event} is not accepted in state {state}")
        self.state = state
        self.event = event


class PrivacyError(CabineError):
    """Patient data would land somewhere it must not."""
