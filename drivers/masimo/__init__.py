"""Masimo Rad-8 pulse oximeter, ASCII 1 serial output: pure protocol, driver, pty simulator."""
