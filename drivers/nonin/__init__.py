"""Nonin OEM III pulse oximeter module: pure protocol, serial driver, pty simulator."""
