"""SunTech Advantage OEM NIBP module (tensiometer): pure protocol, serial driver, pty simulator."""
