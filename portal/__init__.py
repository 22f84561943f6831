"""The doctor portal: login, waiting room, cabin health, and the call's signalling relay.

It speaks :mod:`protocol`, the messages shared with the cabin, and imports nothing of the
kiosk (``pip install .[portal]`` installs neither Qt nor the card and Bluetooth stacks).
"""
