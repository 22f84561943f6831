"""Bluetooth LE health instruments: GATT codecs, the bleak transport, drivers, a simulated BlueZ.

``gatt`` is pure (bytes <-> values), ``transport`` and ``drivers`` talk to bleak, ``sim`` serves
``org.bluez`` on a private D-Bus bus for tests, demos and ``kiosk sim ble``.
"""
