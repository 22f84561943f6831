"""Contec CMS50D+ pulse oximeter (legacy live stream): pure protocol, serial driver, simulator."""
