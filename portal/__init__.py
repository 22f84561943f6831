"""The doctor portal: login, waiting room, cabin health, and the call's signalling relay.

It speaks :mod:`kiosk.protocol`, the one module of ``kiosk`` it may import.
"""

from kiosk import protocol

__all__ = ["protocol"]
