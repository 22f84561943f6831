"""Cabine's application core: session, configuration, call, printing, privacy and CLI.

No Qt here; the screens in ``ui`` render what this package decides.
"""

__version__ = "0.1.0"
