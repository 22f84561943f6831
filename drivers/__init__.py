"""Hardware: card reader, instruments, camera and audio, printer.

Knows no session and no Qt. One folder per device family: ``protocol.py`` (bytes to typed
values, no I/O), a transport, and ``sim.py`` (a simulator speaking the same bytes).
"""
