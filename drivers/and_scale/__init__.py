"""A&D weighing instruments, standard format: pure protocol, serial driver, pty simulator."""
