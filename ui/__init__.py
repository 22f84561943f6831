"""The cabin's screens (PyQt6): the only package that imports Qt.

Screens render the session's state and send it events; they never touch a driver.
"""
